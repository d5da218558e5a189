#!/usr/bin/env python3
"""examples/python/churn.py - a quarter of customer and revenue churn for a
SaaS business, on built-in data (the Python twin of examples/churn.c; it
prints the same).  Run: python3 examples/python/churn.py"""

from array import array

import libcs
from libcs import ChurnDenominator


def main() -> None:
    # Customers at the start of July, August, September; new; churned.
    start = array("q", [100, 98, 103])
    added = array("q", [8, 12, 6])
    lost = array("q", [10, 7, 5])
    months = ["Jul", "Aug", "Sep"]
    names = ["start", "start+new", "average"]

    # one batch call per definition: libcs never picks the denominator for you
    rate = [libcs.churn_customer_batch(start, added, lost, denominator=d)
            for d in ChurnDenominator]
    print("customer churn by denominator\n      %10s %10s %10s" % tuple(names))
    for m, month in enumerate(months):
        print("%s   %9.2f%% %9.2f%% %9.2f%%"
              % (month, 100 * rate[0][m], 100 * rate[1][m], 100 * rate[2][m]))

    annual = libcs.churn_convert(rate[0][0], periods=12.0)
    monthly = libcs.churn_convert(annual, periods=1.0 / 12.0)
    print("July's %.2f%% a month is %.2f%% a year (and back: %.2f%%)"
          % (100 * rate[0][0], 100 * annual, 100 * monthly))

    # July again, counted where the customers are: EMEA's 60 customers
    # active on 1 July (every tenth lost) and 5 won, from per-customer flags;
    # the Americas' 40 at the start, 3 new and 4 lost arrive as a serialized
    # tally (pickles travel the same way) and are merged.
    emea = libcs.ChurnTally(bytes(int(i < 60) for i in range(65)),
                            bytes(int(i >= 60) for i in range(65)),
                            bytes(int(i < 60 and i % 10 == 0) for i in range(65)))
    sent = libcs.ChurnTally.from_counts(at_start=40, new_customers=3, churned=4).to_bytes()
    emea += libcs.ChurnTally.from_bytes(sent)
    print("July from two regions' tallies (%d bytes each): %d at start, %d new, %d lost, %.2f%%"
          % (len(sent), emea.at_start, emea.new_customers, emea.churned,
             100 * emea.result(ChurnDenominator.START)))

    # MRR movements for July in cents.
    mrr0, new_mrr, expansion, reactivation, contraction, churned = \
        1000000, 80000, 45000, 5000, 15000, 40000
    gross = libcs.revenue_churn_gross(mrr0, churned=churned, contraction=contraction)
    net = libcs.revenue_churn_net(mrr0, churned, contraction, expansion, reactivation)
    nrr = libcs.revenue_nrr(mrr0, churned, contraction, expansion, reactivation)
    grr = libcs.revenue_grr(mrr0, churned, contraction)
    quick = libcs.revenue_quick_ratio(new_mrr, expansion, reactivation, churned, contraction)
    print("July MRR 10,000.00: gross revenue churn %.2f%%, net %.2f%%"
          % (100 * gross, 100 * net))
    print("NRR %.2f%%, GRR %.2f%%, quick ratio %.2f" % (100 * nrr, 100 * grr, quick))


if __name__ == "__main__":
    main()
