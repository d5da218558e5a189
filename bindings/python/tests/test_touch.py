"""Touch tiers by thresholds, shares and capacity, and their summaries."""

import array
import math
import random
import unittest

import libcs
from libcs import Tier
from _support import TestCase, numpy, requires_numpy, spy


def pareto(n, seed=42):
    """examples/touch.c's synthetic ACVs (and its risk-weighted priorities)."""
    state, acv, risk_weighted = seed, [], []
    for _ in range(n):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        u = ((state >> 11) + 1.0) / 9007199254740993.0
        acv.append(2000.0 * u ** (-1.0 / 1.3))
        risk_weighted.append(acv[-1] * (0.2 + 0.8 * ((state >> 7) % 100) / 100.0))
    return acv, risk_weighted


class Touch(TestCase):
    def check_summary(self, value, tiers, s):
        self.assertIsInstance(s, libcs.TouchSummary)
        self.assertEqual(sum(t.customers for t in s), len(value))  # tiers partition
        total = math.fsum(value)
        for t in Tier:
            members = [v for v, x in zip(value, tiers) if x == t]
            self.assertEqual(s[t].customers, len(members))
            self.assertAlmostEqual(s[t].value, math.fsum(members), delta=1e-9 * total)
            self.assertAlmostEqual(s[t].customer_share, len(members) / len(value), 15)
            self.assertAlmostEqual(s[t].value_share, math.fsum(members) / total if total else 0, 12)
        self.assertIs(s.high, s[Tier.HIGH])

    def test_thresholds(self):
        value = [60000, 12000, 3000, 80000, 10000, 50000]
        r = libcs.touch_thresholds(value, high_min=50000, low_min=10000)
        self.assertIsInstance(r, libcs.TouchResult)
        self.assertEqual(r.tiers.typecode, "i")
        self.assertEqual(list(r.tiers), [2, 1, 0, 2, 1, 2])
        self.check_summary(value, r.tiers, r.summary)
        self.assertEqual(r.summary, libcs.touch_summarize(value, r.tiers))

    def test_shares_and_ties(self):
        value = [5, 50, 500, 5000]
        self.assertEqual(list(libcs.touch_shares(value, 0.25, 0.25).tiers), [0, 0, 1, 2])
        # ranked by priority, ties by index: the first of equal priorities wins
        r = libcs.touch_shares([1, 1, 1, 1], 0.5, 0.25, priority=[3, 7, 7, 1])
        self.assertEqual(list(r.tiers), [1, 2, 2, 0])
        r = libcs.touch_shares([1, 1, 1, 1], 0.25, 0.25, priority=[7, 7, 7, 7])
        self.assertEqual(list(r.tiers), [2, 1, 0, 0])

    def test_capacity(self):
        value = [5, 50, 500, 5000]
        r = libcs.touch_capacity(value, csms=1, accounts_per_csm=1, low_capacity=2)
        self.assertEqual(list(r.tiers), [0, 1, 1, 2])
        r = libcs.touch_capacity(value, 2**63, 2**63, 2**64 - 1)  # more capacity than customers
        self.assertEqual(list(r.tiers), [2, 2, 2, 2])
        r = libcs.touch_capacity(value, 0, 10, 0)
        self.assertEqual(list(r.tiers), [0, 0, 0, 0])

    def test_example_data(self):
        """examples/touch.c: 2000 Pareto ACVs, three policies."""
        acv, risk = pareto(2000)
        r = libcs.touch_thresholds(acv, 50000, 10000)
        self.check_summary(acv, r.tiers, r.summary)
        r = libcs.touch_shares(acv, 0.04, 0.16)
        self.assertEqual(r.summary.high.customers, 80)
        self.assertEqual(r.summary.low.customers, 320)
        self.check_summary(acv, r.tiers, r.summary)
        top = sorted(range(2000), key=lambda i: -acv[i])[:80]
        self.assertEqual(sorted(i for i, t in enumerate(r.tiers) if t == Tier.HIGH), sorted(top))
        r = libcs.touch_capacity(acv, 3, 25, 300, priority=risk)
        self.assertEqual([r.summary[t].customers for t in Tier], [1625, 300, 75])
        self.check_summary(acv, r.tiers, r.summary)

    def test_large_n_selection(self):
        """Above 2048 customers the library selects with a histogram."""
        rng = random.Random(5)
        value = array.array("d", (rng.expovariate(1e-4) for _ in range(50000)))
        r = libcs.touch_shares(value, 0.1, 0.3)
        self.assertEqual([r.summary[t].customers for t in Tier], [30000, 15000, 5000])
        cut = sorted(value, reverse=True)[4999]
        self.assertTrue(all((v >= cut) == (t == Tier.HIGH) for v, t in zip(value, r.tiers)))

    def test_errors(self):
        self.assertLibcsError(libcs.DomainError, libcs.touch_thresholds, [1, 2, -3], 2, 1,
                              argument="value", index=2)
        self.assertLibcsError(libcs.NonFiniteError, libcs.touch_thresholds, [1, math.nan], 2, 1,
                              argument="value", index=1)
        self.assertLibcsError(libcs.DomainError, libcs.touch_thresholds, [1], 1, 2,
                              argument="high_min")
        self.assertLibcsError(libcs.NonFiniteError, libcs.touch_thresholds, [1], math.inf, 2,
                              argument="high_min")
        self.assertLibcsError(libcs.NumericOverflowError, libcs.touch_thresholds,
                              [1.7e308, 1.7e308], 1, 0)
        self.assertLibcsError(libcs.EmptyInputError, libcs.touch_thresholds, [], 1, 0)
        self.assertLibcsError(libcs.DomainError, libcs.touch_shares, [1], 0.5, 0.6,
                              argument="low_share")
        self.assertLibcsError(libcs.DomainError, libcs.touch_shares, [1], -0.5, 0.6,
                              argument="high_share")
        self.assertLibcsError(libcs.NonFiniteError, libcs.touch_shares, [1, 2], 0.5, 0.1,
                              priority=[1, math.inf], argument="priority", index=1)
        self.assertLibcsError(libcs.EmptyInputError, libcs.touch_shares, [], 0.5, 0.1)
        self.assertLibcsError(libcs.NonFiniteError, libcs.touch_capacity, [1, 2], 1, 1, 1,
                              priority=[math.nan, 1], argument="priority", index=0)
        self.assertLibcsError(libcs.DomainError, libcs.touch_capacity, [1, -2], 1, 1, 1,
                              argument="value", index=1)
        self.assertLibcsError(libcs.EmptyInputError, libcs.touch_capacity, [], 1, 1, 1)
        self.assertLibcsError(libcs.DomainError, libcs.touch_capacity, [1], -1, 1, 1,
                              argument="csms")
        self.assertLibcsError(libcs.DomainError, libcs.touch_summarize, [1, 2, 3], [0, 1, 5],
                              argument="tiers", index=2)
        self.assertLibcsError(libcs.DomainError, libcs.touch_summarize, [1, -2, 3], [0, 1, 5],
                              argument="value", index=1)
        self.assertLibcsError(libcs.EmptyInputError, libcs.touch_summarize, [], [])
        with self.assertRaises(ValueError):
            libcs.touch_shares([1, 2], 0.5, 0.1, priority=[1])
        with self.assertRaises(ValueError):
            libcs.touch_summarize([1, 2], [0])
        with self.assertRaises(TypeError):
            libcs.touch_summarize([1, 2], array.array("q", [0, 1]))
        with self.assertRaises(TypeError):
            libcs.touch_capacity([1], 1.5, 1, 1)

    @requires_numpy
    def test_numpy(self):
        acv, risk = pareto(5000)
        a, p = numpy.array(acv), numpy.array(risk)
        r = libcs.touch_capacity(a, 3, 25, 300, priority=p)
        self.assertIsInstance(r.tiers, numpy.ndarray)
        self.assertEqual(r.tiers.tolist(), list(libcs.touch_capacity(acv, 3, 25, 300, priority=risk).tiers))
        with spy("libcs_touch_summarize") as calls:
            s = libcs.touch_summarize(a, r.tiers)
        self.assertEqual(calls[0][1:3], (a.ctypes.data, r.tiers.ctypes.data))
        self.assertEqual(s, r.summary)
        with self.assertRaises(TypeError):
            libcs.touch_summarize(a, r.tiers.astype(numpy.int64))


if __name__ == "__main__":
    unittest.main()
