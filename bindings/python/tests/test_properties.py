"""Randomised invariants over every scalar/batch pair (fixed seeds): a batch
equals the loop of its singles, and a failing batch reports the first
failing element's error, argument and index, exactly as the single call on
that element does."""

import math
import random
import unittest

import libcs
from libcs import ChurnDenominator
from _support import TestCase

SPECIAL = [0.0, -0.0, 1.0, 0.5, -1.0, 1e-320, 1e308, math.inf, -math.inf, math.nan, 2.0, 0.05]
INTS = [0, 1, 2, -1, 10, 100, 2**62, 2**63 - 1, -2**63]


def rand_double(rng, clean):
    if clean or rng.random() < 0.9:
        return rng.choice([rng.uniform(0, 1), rng.uniform(0, 1000), rng.uniform(-0.5, 1.5)])
    return rng.choice(SPECIAL)


def rand_int(rng, clean):
    if clean or rng.random() < 0.9:
        return rng.randrange(0, 1000)
    return rng.choice(INTS)


PAIRS = [  # (scalar, batch, argument kinds: d = double, i = int64, u = uint32)
    (libcs.ltv_simple, libcs.ltv_simple_batch, "dd"),
    (libcs.ltv_repeat, libcs.ltv_repeat_batch, "ddd"),
    (libcs.ltv_subscription, libcs.ltv_subscription_batch, "ddd"),
    (libcs.ltv_contract, libcs.ltv_contract_batch, "ddd"),
    (libcs.ltv_net, libcs.ltv_net_batch, "dddddd"),
    (libcs.ltv_discounted, libcs.ltv_discounted_batch, "dddd"),
    (libcs.ltv_discounted_horizon, libcs.ltv_discounted_horizon_batch, "ddddu"),
    (libcs.ltv_lifetime, libcs.ltv_lifetime_batch, "d"),
    (libcs.ltv_cac_ratio, libcs.ltv_cac_ratio_batch, "dd"),
    (libcs.ltv_cac_payback, libcs.ltv_cac_payback_batch, "ddd"),
    (libcs.churn_retention, libcs.churn_retention_batch, "d"),
    (libcs.churn_convert, libcs.churn_convert_batch, "dd"),
    (libcs.revenue_churn_gross, libcs.revenue_churn_gross_batch, "iii"),
    (libcs.revenue_churn_net, libcs.revenue_churn_net_batch, "iiiii"),
    (libcs.revenue_churn_simple, libcs.revenue_churn_simple_batch, "iii"),
    (libcs.revenue_nrr, libcs.revenue_nrr_batch, "iiiii"),
    (libcs.revenue_grr, libcs.revenue_grr_batch, "iii"),
    (libcs.revenue_quick_ratio, libcs.revenue_quick_ratio_batch, "iiiii"),
] + [
    (lambda a, b, c, d=d: libcs.churn_customer(a, b, c, d),
     lambda a, b, c, d=d: libcs.churn_customer_batch(a, b, c, d), "iii")
    for d in ChurnDenominator
]


def outcome(fn, args):
    try:
        return ("ok", fn(*args))
    except libcs.Error as e:
        return ("error", type(e), e.argument, e.value)


class BatchEqualsSingles(TestCase):
    def test_random(self):
        rng = random.Random(20261123)
        for scalar, batch, kinds in PAIRS:
            for trial in range(60):
                n = rng.randrange(1, 40)
                clean = trial % 3 == 0
                cols = []
                for k in kinds:
                    if k == "d":
                        cols.append([rand_double(rng, clean) for _ in range(n)])
                    elif k == "u":
                        cols.append([rng.choice([0, 1, 12, 36, 2**32 - 1]) for _ in range(n)])
                    else:
                        cols.append([rand_int(rng, clean) for _ in range(n)])
                rows = list(zip(*cols))
                singles = [outcome(scalar, r) for r in rows]
                first_bad = next((i for i, o in enumerate(singles) if o[0] == "error"), None)
                try:
                    got = batch(*cols)
                except libcs.Error as e:
                    self.assertIsNotNone(first_bad, (batch.__name__, rows))
                    want = singles[first_bad]
                    self.assertEqual((type(e), e.index), (want[1], first_bad),
                                     (getattr(batch, "__name__", ""), rows[first_bad], str(e)))
                    self.assertEqual(e.argument, want[2], str(e))
                else:
                    self.assertIsNone(first_bad, (batch.__name__, rows, singles[first_bad or 0]))
                    self.assertEqual(list(got), [o[1] for o in singles])


if __name__ == "__main__":
    unittest.main()
