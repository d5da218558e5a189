"""Lifecycle stages and policies."""

import array
import gc
import math
import pickle
import unittest

import libcs
from libcs import Band, LifecyclePolicy, NpsCategory as N, Stage
from _support import TestCase, numpy, requires_numpy


class Stages(TestCase):
    def test_default_rules(self):
        with LifecyclePolicy() as p:
            self.assertEqual(p.order, libcs.DEFAULT_ORDER)
            self.assertIsNone(p.windows)
            cases = [
                ((30, 335, Band.GREEN, N.PROMOTER), Stage.ONBOARDING),
                ((400, 60, Band.YELLOW, N.PASSIVE), Stage.RENEWAL),
                ((200, 300, Band.RED, N.DETRACTOR), Stage.AT_RISK),
                ((200, 300, Band.GREEN, N.PROMOTER), Stage.EXPANSION),
                ((700, 200, Band.GREEN, N.PROMOTER), Stage.ADVOCATE),
                ((500, 150, Band.YELLOW, None), Stage.ADOPTION),
                ((500, 150, Band.UNKNOWN, N.NO_ANSWER), Stage.ADOPTION),
                ((30, 10, Band.RED, N.DETRACTOR), Stage.ONBOARDING),  # first match wins
            ]
            for args, want in cases:
                self.assertEqual(p.stage(*args), want, args)
                self.assertIsInstance(p.stage(*args), Stage)

    def test_windows_and_order(self):
        p = LifecyclePolicy(onboarding_days=30, renewal_days=60, advocate_days=180)
        self.assertEqual(p.windows, (30.0, 60.0, 180.0))
        self.assertEqual(p.stage(45, 300, Band.GREEN, N.PROMOTER), Stage.EXPANSION)
        self.assertEqual(p.stage(200, 300, Band.GREEN, N.PROMOTER), Stage.ADVOCATE)
        p.set_order([Stage.RENEWAL, Stage.AT_RISK, Stage.ONBOARDING, Stage.EXPANSION,
                      Stage.ADVOCATE])
        self.assertEqual(p.stage(10, 10, Band.RED, N.DETRACTOR), Stage.RENEWAL)
        self.assertEqual(p.stage(400, 300, Band.GREEN, N.PROMOTER), Stage.EXPANSION)
        self.assertEqual(p.order[0], Stage.RENEWAL)
        self.assertIn("renewal 60", repr(p))
        q = pickle.loads(pickle.dumps(p))
        self.assertEqual((q.windows, q.order), (p.windows, p.order))
        self.assertEqual(q.stage(10, 10, Band.RED, N.DETRACTOR), Stage.RENEWAL)
        p.close()
        q.close()
        with self.assertRaises(TypeError):
            LifecyclePolicy(onboarding_days=30)

    def test_errors(self):
        p = LifecyclePolicy()
        self.assertLibcsError(libcs.DomainError, p.set_windows, 30, -1, 10, argument="renewal_days")
        self.assertLibcsError(libcs.NonFiniteError, p.set_windows, math.nan, 1, 10,
                              argument="onboarding_days")
        self.assertLibcsError(libcs.DomainError, p.set_order, [1, 2, 3, 4], argument="order")
        self.assertLibcsError(libcs.DomainError, p.set_order, [1, 2, 3, 4, 4])
        self.assertLibcsError(libcs.DomainError, p.set_order, [0, 1, 2, 3, 4])
        self.assertEqual(p.order, libcs.DEFAULT_ORDER)  # unchanged on error
        self.assertLibcsError(libcs.DomainError, p.stage, -1, 10, Band.RED, N.PASSIVE,
                              argument="days_since_start")
        self.assertLibcsError(libcs.NonFiniteError, p.stage, 1, math.inf, Band.RED, N.PASSIVE,
                              argument="days_to_renewal")
        self.assertLibcsError(libcs.DomainError, p.stage, 1, 10, 4, N.PASSIVE, argument="band")
        self.assertLibcsError(libcs.DomainError, p.stage, 1, 10, Band.RED, 3,
                              argument="nps_category")
        with self.assertRaises(TypeError):
            p.stage(1, 10, 1.0, N.PASSIVE)
        with self.assertRaises(TypeError):
            p.stage("1", 10, 1, N.PASSIVE)
        p.close()
        with self.assertRaises(ValueError):
            p.stage(1, 10, 1, 1)
        with self.assertRaises(ValueError):
            p.set_windows(1, 1, 1)

    def test_batch(self):
        since = [700, 400, 200, 30, 500]
        renewal = [200, 60, 300, 335, 150]
        bands = [3, 2, 1, 0, 2]
        cats = [1, 0, -1, None, None]
        with LifecyclePolicy() as p:
            want = [p.stage(*a) for a in zip(since, renewal, bands, cats)]
            got = p.stage_batch(since, renewal, bands, cats)
            self.assertEqual(got.typecode, "i")
            self.assertEqual(list(got), want)
            got = p.stage_batch(array.array("d", since), array.array("d", renewal),
                                array.array("i", bands), array.array("i", [1, 0, -1, 2, 2]))
            self.assertEqual(list(got), want)
            self.assertLibcsError(libcs.DomainError, p.stage_batch, since, renewal,
                                  [3, 2, 9, 0, 2], cats, argument="band", index=2)
            self.assertLibcsError(libcs.NonFiniteError, p.stage_batch, since,
                                  [1, 1, 1, math.nan, 1], bands, cats,
                                  argument="days_to_renewal", index=3)
            self.assertLibcsError(libcs.EmptyInputError, p.stage_batch, [], [], [], [])
            with self.assertRaises(ValueError):
                p.stage_batch(since, renewal, bands[:2], cats)
            with self.assertRaises(TypeError):
                p.stage_batch(since, renewal, array.array("q", bands), cats)

    def test_gc(self):
        p = LifecyclePolicy()
        fin = p._finalizer
        stages = p.stage_batch([1, 2], [300, 300], [3, 3], [1, 1])
        del p
        gc.collect()
        self.assertFalse(fin.alive)
        self.assertEqual(list(stages), [Stage.ONBOARDING] * 2)

    @requires_numpy
    def test_numpy_with_health_bands(self):
        m = libcs.HealthModel()
        m.add_linear("usage", 1, 0, 100)
        bands = m.score_batch(numpy.array([[90.0], [10.0], [60.0]])).bands
        with LifecyclePolicy() as p:
            got = p.stage_batch(numpy.array([700.0, 200, 200]), numpy.array([300.0, 300, 30]),
                                bands, numpy.array([1, 0, 0], dtype=numpy.intc))
        self.assertIsInstance(got, numpy.ndarray)
        self.assertEqual(got.tolist(), [Stage.ADVOCATE, Stage.AT_RISK, Stage.RENEWAL])


if __name__ == "__main__":
    unittest.main()
