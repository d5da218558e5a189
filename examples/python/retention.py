#!/usr/bin/env python3
"""examples/python/retention.py - a Kaplan-Meier retention curve of
subscription lifetimes in months, its median and restricted mean, an LTV
from the curve, and the time to first value of new accounts, on built-in
data (the Python twin of examples/retention.c; it prints the same).
Run: python3 examples/python/retention.py"""

from array import array

import libcs


def main() -> None:
    # months subscribed; churned = 1, still active = 0 (censored)
    months = array("i", [1, 2, 2, 3, 3, 3, 5, 6, 6, 8,
                         9, 11, 12, 12, 14, 15, 18, 20, 24, 24])
    churned = bytes([1, 1, 0, 1, 1, 0, 1, 1, 0, 1,
                     0, 1, 1, 0, 0, 1, 0, 1, 0, 0])

    # an int32 array: fitted by libcs_km_fit_int, in linear time
    with libcs.KaplanMeier.fit(months, churned, level=0.95) as km:
        c = km.curve
        print("month  at risk  churned  retained  95% interval")
        for i in range(len(km)):
            if c.n_event[i] > 0:
                print("%5.0f  %7.0f  %7.0f  %7.1f%%  %5.1f%% - %5.1f%%"
                      % (c.time[i], c.n_risk[i], c.n_event[i], 100 * c.survival[i],
                         100 * c.lower[i], 100 * c.upper[i]))
        try:
            print("median lifetime: %.1f months" % km.median())
        except libcs.UndefinedResultError as err:
            # never below 50 %: report it, don't invent a number
            print("median lifetime: not reached (%s)" % err.message)
        rmst = km.rmst(24.0)
        ltv = km.ltv(80.0, 24.0)
        print("mean months retained in the first 24: %.2f" % rmst)
        print("24-month LTV at 80.00 margin a month: %.2f" % ltv)

    # time to value: days to the first report shared; accounts that have
    # not shared one yet are censored at their age
    days = [3, 5, 5, 7, 8, 12, 14, 14, 20, 30, 30, 45]
    reached = [True, True, True, True, False, True, True, False, True, True, False, False]
    km = libcs.KaplanMeier.fit(days, reached)
    parts = []
    for p in (0.25, 0.5, 0.75):
        try:
            parts.append(" %.0f%% by day %.1f;" % (100 * p, km.quantile(p)))
        except libcs.UndefinedResultError:
            parts.append(" %.0f%% not reached;" % (100 * p))
    print("\ntime to value:" + "".join(parts))
    km.close()


if __name__ == "__main__":
    main()
