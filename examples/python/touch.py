#!/usr/bin/env python3
"""examples/python/touch.py - split a customer base into high-, low- and
tech-touch service three ways (ACV thresholds, shares, CSM capacity) on
built-in synthetic data (the Python twin of examples/touch.c; it prints the
same).  Run: python3 examples/python/touch.py"""

from array import array

import libcs
from libcs import Tier


def show(policy: str, s: libcs.TouchSummary) -> None:
    print(policy)
    for tier in (Tier.HIGH, Tier.LOW, Tier.TECH):
        t = s[tier]
        print("  %-4s touch: %5d customers (%5.1f%%), ACV %12.0f (%5.1f%% of value)"
              % (tier.name.lower(), t.customers, 100 * t.customer_share, t.value,
                 100 * t.value_share))


def main() -> None:
    n = 2000
    acv, risk_weighted = array("d"), array("d")
    state = 42
    # a Pareto ACV distribution (alpha 1.3, from 2,000): most accounts small,
    # a few large; the same 64-bit LCG as examples/touch.c
    for _ in range(n):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        u = ((state >> 11) + 1.0) / 9007199254740993.0
        acv.append(2000.0 * u ** (-1.0 / 1.3))
        risk = 0.2 + 0.8 * ((state >> 7) % 100) / 100.0
        risk_weighted.append(acv[-1] * risk)

    r = libcs.touch_thresholds(acv, high_min=50000, low_min=10000)
    show("ACV >= 50,000 high, >= 10,000 low:", r.summary)
    r = libcs.touch_shares(acv, high_share=0.04, low_share=0.16)
    show("top 4 % high, next 16 % low:", r.summary)
    # 3 CSMs with 25 accounts each, a pooled team for 300 more, filled by
    # ACV x risk so that large accounts at risk come first
    r = libcs.touch_capacity(acv, csms=3, accounts_per_csm=25, low_capacity=300,
                             priority=risk_weighted)
    show("3 CSMs x 25 accounts high, 300 pooled low, by ACV x risk:", r.summary)


if __name__ == "__main__":
    main()
