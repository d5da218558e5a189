#!/usr/bin/env python3
"""examples/python/health.py - score customer health with a Gainsight-style
scorecard, explain one score, report band changes since last week and place
each customer in a lifecycle stage, on built-in data (the Python twin of
examples/health.c; it prints the same).  Run: python3 examples/python/health.py"""

import math

import libcs
from libcs import Band, HealthEvent, Stage

# The scorecard, in libcs's text form (HealthModel.format()).
SCORECARD = """\
libcs-health 1
# minimum coverage: half of the weight must be measured
missing drop 0.5
measure "Weekly active users %" 35 linear 10 60
measure "Open P1 tickets" 20 tiers 100 1 60 3 0
measure "Days since last login" 25 linear 30 2
measure "Executive sponsor" 10 yesno 100 0
measure "NPS answer" 10 tiers 0 7 60 9 100
"""

STAGE_NAMES = {Stage.ADOPTION: "adoption", Stage.ONBOARDING: "onboarding",
               Stage.RENEWAL: "renewal", Stage.AT_RISK: "at risk",
               Stage.EXPANSION: "expansion", Stage.ADVOCATE: "advocate"}


def main() -> None:
    customers = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]
    # one row per customer; None = not measured
    values = [
        [55, 0, 1, 1, 10],               # Acme
        [30, 2, 9, 1, 8],                # Globex
        [12, 4, 25, 0, 3],               # Initech
        [None, None, None, 1, None],     # Umbrella: too little measured
        [48, 1, 4, 0, None],             # Hooli: no NPS answer
    ]
    last_week = [88.0, 70.0, 52.0, 40.0, 77.0]

    with libcs.HealthModel.parse(SCORECARD) as model:
        scores, bands, coverage = model.score_batch(values)
        deltas, events, changed = model.changes(previous=last_week, current=scores)
        print("%-9s %6s  %-7s %8s  %s" % ("customer", "score", "band", "coverage",
                                           "since last week"))
        for i, name in enumerate(customers):
            band, event = Band(bands[i]), HealthEvent(events[i])
            line = "%-9s " % name
            line += "%6s  " % "-" if band == Band.UNKNOWN else "%6.1f  " % scores[i]
            line += "%-7s %7.0f%%  " % (band.name.lower(), 100 * coverage[i])
            if event & HealthEvent.ENTERED_RED:
                line += "ENTERED RED "
            if event & HealthEvent.LEFT_RED:
                line += "left red "
            if event & HealthEvent.BECAME_UNKNOWN:
                line += "no longer measurable "
            if not math.isnan(deltas[i]):
                line += "(%+.1f)" % deltas[i]
            print(line)
        print("%d customers changed band\n" % changed)

        # What drives Initech's score?
        why = model.explain(values[2])
        print("Initech %.1f (%s):" % (why.score, why.band.name.lower()))
        for m in why.measures:
            print("  %-24s weight %3.0f%%  points %5.1f  contributes %5.1f"
                  % (m.name, 100 * m.weight, m.points, m.contribution))

    # Lifecycle stages with the default windows (90/90/365 days).
    tenure = [700, 400, 200, 30, 500]
    to_renewal = [200, 60, 300, 335, 150]
    nps = [None if row[4] is None else libcs.nps_category(row[4]) for row in values]
    with libcs.LifecyclePolicy() as policy:
        stages = policy.stage_batch(tenure, to_renewal, bands, nps)
    print("\nlifecycle:" + "".join(" %s=%s" % (name, STAGE_NAMES[Stage(s)])
                                    for name, s in zip(customers, stages)))


if __name__ == "__main__":
    main()
