#!/usr/bin/env python3
"""examples/python/ltv.py - lifetime value of a small SaaS plan, every way
libcs computes it, on built-in data (the Python twin of examples/ltv.c; it
prints the same).  Run: python3 examples/python/ltv.py"""

import sys

import libcs


def main() -> int:
    # A plan at 100.00 a month, 80 % gross margin, 5 % monthly churn,
    # customers acquired for 450.00 and retained for 20.00 each.
    arpu, margin, churn, cac = 100.0, 0.8, 0.05, 450.0

    lifetime = libcs.ltv_lifetime(churn=churn)
    print("expected lifetime          %10.2f months (1 / %.2f)" % (lifetime, churn))
    ltv = libcs.ltv_subscription(arpu=arpu, margin=margin, churn=churn)
    print("subscription LTV           %10.2f (ARPU x margin / churn)" % ltv)
    v = libcs.ltv_discounted(arpu, margin, retention=1 - churn, discount=0.01)
    print("discounted LTV, 1 %%/month  %10.2f" % v)
    horizon = libcs.ltv_discounted_horizon(arpu, margin, retention=1 - churn,
                                           discount=0.01, periods=36)
    print("  of which first 36 months %10.2f" % horizon)
    v = libcs.ltv_net(arpu, margin, frequency=1.0, duration=lifetime,
                      acquisition_cost=cac, retention_cost=20.0)
    print("LTV net of CAC and costs   %10.2f" % v)
    print("LTV : CAC                  %10.2f" % libcs.ltv_cac_ratio(ltv=ltv, cac=cac))
    print("CAC payback                %10.2f months"
          % libcs.ltv_cac_payback(cac=cac, arpu=arpu, margin=margin))
    v = libcs.ltv_contract(annual_revenue=12000.0, margin=margin, years=3.0)
    print("3-year contract LTV        %10.2f (12,000 a year)" % v)

    # Repeat-purchase shop: the batch form over three customer segments.
    segments = libcs.ltv_repeat_batch(avg_order_value=[35.0, 60.0, 120.0],
                                      purchases_per_period=[4.0, 2.5, 1.2],
                                      lifetime_periods=[3.0, 2.0, 5.0])
    for i, value in enumerate(segments):
        print("segment %d repeat LTV       %10.2f" % (i + 1, value))

    # Bad input gets an exception, not a NaN: churn 0 would divide by zero.
    try:
        libcs.ltv_subscription(arpu, margin, churn=0.0)
    except libcs.UndefinedResultError as err:
        print("churn 0 -> %s" % err.message)
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
