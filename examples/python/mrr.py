#!/usr/bin/env python3
"""examples/python/mrr.py - MRR movements, per-period rates and revenue
cohorts from a billing system's monthly MRR records, on built-in data (the
Python twin of examples/mrr.c; it prints the same).
Run: python3 examples/python/mrr.py"""

from array import array

import libcs
from libcs import ChurnDenominator

MONTHS = 6


def main() -> None:
    # (customer, month 0..5, MRR in cents), in no particular order, as a
    # billing export would give them; absent months are 0
    customer = array("q", [
        101, 101, 101, 101, 101, 101,  # steady, upgrades in month 3
        102, 102, 102,                 # churns after month 2
        103, 103, 103, 103, 103,       # joins in month 1, downgrades
        104, 104, 104,                 # leaves for a month, comes back
        105, 105,                      # joins in month 4
    ])
    month = array("i", [
        0, 1, 2, 3, 4, 5,
        0, 1, 2,
        1, 2, 3, 4, 5,
        0, 1, 3,
        4, 5,
    ])
    mrr = array("q", [
        9900, 9900, 9900, 14900, 14900, 14900,
        4900, 4900, 4900,
        29900, 29900, 19900, 19900, 19900,
        9900, 9900, 12900,
        4900, 4900,
    ])

    with libcs.MrrLedger(first_period=0, n_periods=MONTHS) as ledger:
        # records may arrive in chunks: add them in two (the slices of a
        # memoryview are read in place)
        c, m, v = memoryview(customer), memoryview(month), memoryview(mrr)
        ledger.add(c[:9], m[:9], v[:9])
        ledger.add(c[9:], m[9:], v[9:])
        rows = ledger.movements()
        rates = libcs.mrr_rates(rows, ChurnDenominator.START)

        print("month    start      new   expans.  contr.  churned  react.      "
              "end  cust  NRR")
        for r, rate in zip(rows, rates):
            line = ("%5d %8.2f %8.2f %8.2f %7.2f %8.2f %7.2f %8.2f %5d"
                    % (r.period, r.mrr_start / 100.0, r.new_mrr / 100.0, r.expansion / 100.0,
                       r.contraction / 100.0, r.churned / 100.0, r.reactivation / 100.0,
                       r.mrr_end / 100.0, r.customers_end))
            if libcs.MrrRate.NRR not in rate.undefined:
                print(line + " %5.1f%%" % (100 * rate.nrr))
            else:
                print(line + "     -")  # no MRR at start: undefined

        # revenue retained by cohort (first paying month)
        cohorts = ledger.cohorts()
    print("\nrevenue retained by cohort (% of the first month):")
    for c in range(MONTHS):
        if cohorts.revenue[c][0] <= 0:
            continue  # nobody started that month
        print("cohort %d:" % c + "".join(" %6.1f" % (100 * cohorts.revenue_share[c][o])
                                         for o in range(MONTHS - c)))


if __name__ == "__main__":
    main()
