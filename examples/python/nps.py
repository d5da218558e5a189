#!/usr/bin/env python3
"""examples/python/nps.py - NPS of a survey answered in two regions, tallied
separately, merged, serialized and reported with confidence intervals; plus
CSAT and CES (the Python twin of examples/nps.c; it prints the same).
Run: python3 examples/python/nps.py"""

import pickle
import sys

import libcs


def main() -> int:
    emea = bytes([10, 9, 9, 8, 7, 10, 6, 3, 9, 10, 8, 9, 5, 10, 9])
    amer = bytes([9, 10, 7, 7, 8, 2, 10, 9, 6, 9, 10, 8])

    a = libcs.NpsTally(emea)
    b = libcs.NpsTally(amer)

    # Ship region B's tally as bytes (as a worker would: pickling uses the
    # library's serialization too) and merge it.
    c = pickle.loads(pickle.dumps(libcs.NpsTally.from_bytes(b.to_bytes())))
    a += c

    r = a.result(level=0.95)
    print("%d answers: %d promoters, %d passives, %d detractors"
          % (r.n, r.promoters, r.passives, r.detractors))
    print("NPS %.1f (se %.1f)" % (r.nps, r.se))
    print("95%% Wald interval          %6.1f to %5.1f" % (r.wald_low, r.wald_high))
    print("95%% adjusted Wald interval %6.1f to %5.1f" % (r.adjusted_low, r.adjusted_high))

    # The reference check: 1000 answers, 250 promoters, 75 detractors.
    r = libcs.nps_from_counts(promoters=250, passives=675, detractors=75, level=0.95)
    print("1000/250/75: NPS %.1f, 95%% interval %.1f to %.1f"
          % (r.nps, r.wald_low, r.wald_high))

    csat = bytes([5, 4, 4, 3, 5, 2, 4, 5, 1, 4])
    ces = bytes([6, 7, 5, 4, 6, 3, 7, 5])
    share = libcs.csat(csat, scale_max=5, top_boxes=2)
    print("CSAT (top 2 of 5) %.0f%%" % (100 * share))
    mean, share = libcs.ces(ces, scale_max=7, threshold=5)
    print("CES mean %.2f of 7, %.0f%% at 5 or more" % (mean, 100 * share))

    # A score off the scale is reported with its position.
    try:
        libcs.nps_from_scores([9, 10, 11, 7], level=0.95)
    except libcs.DomainError as err:
        print("scores {9, 10, 11, 7}: %s at index %d" % (err.message, err.index))
        return 0 if err.index == 2 else 1
    return 1


if __name__ == "__main__":
    sys.exit(main())
