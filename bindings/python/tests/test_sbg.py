"""The shifted-beta-geometric model (libcs_sbg_*): fitted to Fader &
Hardie's two cohorts it gives the published estimates; retention,
survival, projections and both log-likelihoods agree with the model's
closed forms computed here, DEL and DERL with their discounted sums of
survival; the fits from survivor counts and from the same customers'
durations agree; the simulator; ``active`` flags of every accepted type;
every error with its argument and index; NaN; pickling.

Sources: Fader & Hardie (2007), "How to Project Customer Retention",
Journal of Interactive Marketing 21(1) (years 0-7 of two 1,000-customer
cohorts: regular alpha 0.704, beta 1.182; high end alpha 0.668, beta
3.806); Fader & Hardie (2010), "Customer-Base Valuation in a Contractual
Setting" (DEL and DERL).  sbg_retention.csv comes from $LIBCS_DATA (see
test_clv.py): without it the tests fail, never skip."""

import array
import math
import pickle
import unittest

import libcs
from libcs import (ClvFit, ShiftedBetaGeometric, ShiftedBetaGeometricParams,
                   ShiftedBetaGeometricSample, Status)
from _support import numpy, requires_numpy, spy
from test_clv import TestCase2, read_csv

NAN = math.nan
REGULAR = (0.704, 1.182)
HIGH_END = (0.668, 3.806)


def retention_csv():
    header, rows = read_csv("sbg_retention.csv")
    assert header == ["year", "regular", "high_end"], header
    assert [r[0] for r in rows] == list(range(13)), rows
    return {"regular": [r[1] for r in rows], "high_end": [r[2] for r in rows]}


def survival_ref(p, t):
    a, b = p
    v = 1.0
    for i in range(1, t + 1):
        v *= (b + i - 1) / (a + b + i - 1)
    return v


def discounted_sum(p, t0, d):
    """sum over k >= 0 of S(t0 + k) / (1 + d)^k, until the terms vanish."""
    a, b = p
    term = survival_ref(p, t0)
    total, t = 0.0, t0
    while term > 1e-22 * total or total == 0.0:
        total += term
        t += 1
        term *= (b + t - 1) / (a + b + t - 1) / (1 + d)
    return total


def loglik_survivors_ref(p, s):
    ll = sum((s[t - 1] - s[t]) * math.log(survival_ref(p, t - 1) - survival_ref(p, t))
             for t in range(1, len(s)))
    return ll + s[-1] * math.log(survival_ref(p, len(s) - 1))


def records(s):
    """Survivor counts as duration records: churned in period t (weight
    s[t-1] - s[t]), still active after n - 1 periods (weight s[n-1])."""
    n = len(s)
    return (array.array("d", list(range(1, n)) + [n - 1]),
            array.array("B", [0] * (n - 1) + [1]),
            array.array("d", [s[t - 1] - s[t] for t in range(1, n)] + [s[-1]]))


class Cohorts(TestCase2):
    @classmethod
    def setUpClass(cls):
        cls.data = retention_csv()
        cls.models = {k: ShiftedBetaGeometric.fit_survivors(v[:8]) for k, v in cls.data.items()}

    def test_published(self):
        for name, want in (("regular", REGULAR), ("high_end", HIGH_END)):
            m = self.models[name]
            self.assertIsInstance(m, ShiftedBetaGeometric)
            self.assertIsInstance(m.params, ShiftedBetaGeometricParams)
            self.assertEqual([round(v, 3) for v in m.params], list(want), name)
            r = m.result
            self.assertIsInstance(r, ClvFit)
            self.assertIs(r.converged, True)
            self.assertIs(r.se_status, Status.OK)
            self.assertIsInstance(r.se, ShiftedBetaGeometricParams)
            self.assertTrue(all(0 < v < 1 for v in r.se), r.se)
            self.assertRel(r.loglik, loglik_survivors_ref(m.params, self.data[name][:8]), 1e-12)

    def test_projection(self):
        """The fit on years 0-7 projects years 8-12 within 5 % of the
        actual counts (Fader & Hardie's figure: slightly low, the more so
        for the high-end segment)."""
        for name, m in self.models.items():
            actual = self.data[name]
            got = m.project(1000, 13)
            self.assertEqual(got.typecode, "d")
            self.assertEqual(got[0], 1000.0)
            for t in range(13):
                self.assertRel(got[t], 1000 * survival_ref(m.params, t), 1e-12)
            for t in range(8, 13):
                self.assertLess(abs(got[t] - actual[t]), 0.05 * actual[t], (name, t))
        self.assertEqual([round(v) for v in self.models["regular"].project(1000, 13)[8:]],
                         [220, 204, 191, 180, 170])   # actual 223, 207, 194, 183, 173
        self.assertEqual([round(v) for v in self.models["high_end"].project(1000, 13)[8:]],
                         [460, 436, 414, 395, 378])   # actual 468, 445, 427, 409, 394

    def test_loglik(self):
        for name, m in self.models.items():
            s = self.data[name][:8]
            self.assertRel(m.loglik_survivors(s), m.result.loglik, 1e-12)
            for i in range(2):
                for f in (0.98, 1.02):
                    p = list(m.params)
                    p[i] *= f
                    self.assertLess(ShiftedBetaGeometric(p).loglik_survivors(s), m.result.loglik)
            self.assertRel(m.loglik_durations(*records(s)), m.result.loglik, 1e-12)
        self.assertEqual(ShiftedBetaGeometric(REGULAR).loglik_survivors([1000]), 0.0)

    def test_durations_equal_survivors(self):
        for name, m in self.models.items():
            s = self.data[name][:8]
            d = ShiftedBetaGeometric.fit_durations(*records(s))
            for got, want in zip(d.params, m.params):
                self.assertRel(got, want, 1e-6)
            self.assertRel(d.result.loglik, m.result.loglik, 1e-10)
            # one record a customer, active as bools: the same fit
            duration, active = [], []
            for t, a, w in zip(*records(s)):
                duration += [t] * int(w)
                active += [bool(a)] * int(w)
            self.assertEqual(len(duration), 1000)
            e = ShiftedBetaGeometric.fit_durations(duration, active)
            for got, want in zip(e.params, m.params):
                self.assertRel(got, want, 1e-6)

    def test_start(self):
        s = self.data["high_end"][:8]
        with spy("libcs_sbg_fit_survivors") as calls:
            m = ShiftedBetaGeometric.fit_survivors(s, start=HIGH_END)
        self.assertEqual(list(calls[0][2]), list(HIGH_END))
        for got, want in zip(m.params, self.models["high_end"].params):
            self.assertRel(got, want, 1e-5)
        with spy("libcs_sbg_fit_durations") as calls:
            ShiftedBetaGeometric.fit_durations(*records(s), start=[1, 1])
        self.assertEqual(list(calls[0][4]), [1.0, 1.0])

    @requires_numpy
    def test_numpy(self):
        s = numpy.array(self.data["regular"][:8])
        with spy("libcs_sbg_fit_survivors") as calls:
            m = ShiftedBetaGeometric.fit_survivors(s)
        self.assertEqual(calls[0][1], s.__array_interface__["data"][0])  # zero-copy
        self.assertEqual(m.params, self.models["regular"].params)
        duration, active, weights = records(self.data["regular"][:8])
        for flags in (numpy.asarray(active), numpy.asarray(active).astype(bool)):
            got = ShiftedBetaGeometric.fit_durations(numpy.asarray(duration), flags,
                                                     numpy.asarray(weights))
            self.assertRel(got.result.loglik, m.result.loglik, 1e-10)
        with self.assertRaisesRegex(TypeError, "uint8_t"):
            m.loglik_durations(duration, numpy.asarray(active).astype(numpy.int64))
        out = numpy.zeros(5)
        self.assertIs(m.project(1000, 5, out=out), out)
        self.assertEqual(out.tolist(), list(m.project(1000, 5)))
        renewals = numpy.array([0.0, 3.0, 7.0])
        with spy("libcs_sbg_derl_batch") as calls:
            got = m.discounted_expected_residual_lifetime(renewals, 0.1)
        self.assertEqual(calls[0][2], renewals.__array_interface__["data"][0])  # zero-copy
        self.assertIsInstance(got, numpy.ndarray)
        self.assertEqual(got.tolist(), [m.discounted_expected_residual_lifetime(r, 0.1)
                                        for r in (0, 3, 7)])


class Predictions(TestCase2):
    m = ShiftedBetaGeometric(REGULAR)

    def test_retention_and_survival(self):
        a, b = REGULAR
        for t in (1, 2, 5, 12, 1000, 10 ** 15):
            self.assertRel(self.m.retention(t), (b + t - 1) / (a + b + t - 1), 1e-15)
        self.assertEqual(self.m.survival(0), 1.0)
        for t in (1, 2, 5, 12, 100):
            self.assertRel(self.m.survival(t), survival_ref(REGULAR, t), 1e-12)
            self.assertRel(self.m.survival(t), self.m.survival(t - 1) * self.m.retention(t),
                           1e-12)
        # survival falls like t^-alpha
        self.assertLess(self.m.survival(10 ** 12), 1e-6)

    def test_del_and_derl(self):
        for p in (REGULAR, HIGH_END):
            m = ShiftedBetaGeometric(p)
            for d in (0.05, 0.1, 0.5):
                self.assertRel(m.discounted_expected_lifetime(d), discounted_sum(p, 0, d),
                               1e-12, (p, d))
                for r in (0, 1, 4, 10):
                    self.assertRel(m.discounted_expected_residual_lifetime(r, d),
                                   discounted_sum(p, r + 1, d) / survival_ref(p, r), 1e-11,
                                   (p, d, r))
        # undiscounted, alpha > 1: E[1/theta] = (alpha + beta - 1)/(alpha - 1)
        m = ShiftedBetaGeometric((2.5, 4.0))
        self.assertRel(m.discounted_expected_lifetime(0), 5.5 / 1.5, 1e-15)
        self.assertRel(m.discounted_expected_residual_lifetime(3, 0), 7.0 / 1.5, 1e-15)
        # a customer base at once: one call of libcs_sbg_derl_batch
        m = ShiftedBetaGeometric(HIGH_END)
        renewals = [0, 1, 4, 4, 10, 0]
        with spy("libcs_sbg_derl_batch") as calls:
            got = m.discounted_expected_residual_lifetime(renewals, 0.1)
        self.assertEqual(len(calls), 1)
        self.assertEqual(got.typecode, "d")
        self.assertEqual(list(got), [m.discounted_expected_residual_lifetime(r, 0.1)
                                     for r in renewals])
        out = array.array("d", [NAN] * 6)
        self.assertIs(m.discounted_expected_residual_lifetime(array.array("d", renewals), 0.1,
                                                              out=out), out)
        self.assertEqual(out, got)
        self.assertEqual(list(ShiftedBetaGeometric((2.5, 4.0)).discounted_expected_residual_lifetime(
            [3, 0], 0)), [7.0 / 1.5, 4.0 / 1.5])
        # a long-tenured customer is worth more than a new one
        self.assertGreater(self.m.discounted_expected_residual_lifetime(7, 0.1),
                           self.m.discounted_expected_lifetime(0.1))

    def test_project(self):
        got = self.m.project(250, 4)
        for t in range(4):
            self.assertRel(got[t], 250 * survival_ref(REGULAR, t), 1e-14)
        self.assertEqual(list(self.m.project(0, 3)), [0.0, 0.0, 0.0])
        out = array.array("d", [NAN] * 3)
        self.assertIs(self.m.project(10, 3, out=out), out)
        self.assertEqual(out[0], 10.0)
        with self.assertRaisesRegex(ValueError, "out has 3 elements; the call needs 4"):
            self.m.project(10, 4, out=out)
        with self.assertRaises(TypeError):
            self.m.project(10, 3, out=b"\0" * 24)  # read-only


class Simulate(TestCase2):
    def test_reproducible_and_recoverable(self):
        m = ShiftedBetaGeometric(HIGH_END)
        s = m.simulate(20000, 12, seed=2026)
        self.assertIsInstance(s, ShiftedBetaGeometricSample)
        self.assertEqual((s.duration.typecode, s.active.typecode), ("d", "B"))
        self.assertEqual(s, m.simulate(n=20000, periods=12, seed=2026))
        self.assertNotEqual(s, m.simulate(20000, 12, seed=2027))
        for d, a in zip(*s):
            self.assertIn(a, (0, 1))
            self.assertTrue(d == 12 if a else 1 <= d <= 12)
        still = sum(s.active) / 20000
        self.assertAlmostEqual(still, m.survival(12), delta=0.01)
        f = ShiftedBetaGeometric.fit_durations(*s)
        for got, want, se in zip(f.params, m.params, f.result.se):
            self.assertLess(abs(got - want), 4 * se, (got, want, se))
        self.assertEqual(list(m.simulate(3, 0, seed=1).active), [1, 1, 1])  # no period observed


class Errors(TestCase2):
    m = ShiftedBetaGeometric(REGULAR)

    def test_params(self):
        self.assertLibcsError(libcs.DomainError, ShiftedBetaGeometric, (0, 1), argument="alpha")
        self.assertLibcsError(libcs.NonFiniteError, ShiftedBetaGeometric, (1, NAN),
                              argument="beta")
        with self.assertRaisesRegex(TypeError, r"ShiftedBetaGeometric: params must be 2 numbers "
                                    r"\(alpha, beta\)"):
            ShiftedBetaGeometric((1, 2, 3))

    def test_survivors(self):
        s = [1000, 631, 468, 382]
        for fn in (ShiftedBetaGeometric.fit_survivors, self.m.loglik_survivors):
            err = self.assertLibcsError(libcs.NonFiniteError, fn, [1000, 631, NAN, 382],
                                        argument="survivors", index=2)
            self.assertTrue(math.isnan(err.value))
            err = self.assertLibcsError(libcs.DomainError, fn, [1000, 631, 468, 500],
                                        argument="survivors", index=3)
            self.assertEqual(err.value, 500)
            self.assertIn("never increase: survivors[2] = 468", str(err))
            err = self.assertLibcsError(libcs.DomainError, fn, [0, 0, 0],
                                        argument="survivors", index=0)
            self.assertIn("the cohort", str(err))
            self.assertLibcsError(libcs.DomainError, fn, [10, -1, -2], argument="survivors",
                                  index=1)
            self.assertLibcsError(libcs.NonFiniteError, fn, [math.inf, 5], argument="survivors",
                                  index=0)
            self.assertLibcsError(libcs.EmptyInputError, fn, [], argument="survivors")
            with self.assertRaisesRegex(TypeError, "survivors must be an array"):
                fn(1000)
            with self.assertRaisesRegex(TypeError, r"survivors\[1\] must be a real number"):
                fn([1000, "631"])
        err = self.assertLibcsError(libcs.EmptyInputError, ShiftedBetaGeometric.fit_survivors,
                                    [1000], argument="survivors")
        self.assertIn("cohort alone", str(err))
        self.assertLibcsError(libcs.DomainError, ShiftedBetaGeometric.fit_survivors, s,
                              start=(1, 0), argument="start", index=1)
        self.assertLibcsError(libcs.NonFiniteError, ShiftedBetaGeometric.fit_survivors, s,
                              start=(NAN, 1), argument="start", index=0)
        # the start is checked before the counts
        self.assertLibcsError(libcs.DomainError, ShiftedBetaGeometric.fit_survivors, [0, 1],
                              start=(-1, 1), argument="start")
        with self.assertRaisesRegex(TypeError, "start must be None or 2 numbers"):
            ShiftedBetaGeometric.fit_survivors(s, start=(1, 1, 1, 1))

    def test_durations(self):
        fit, loglik = ShiftedBetaGeometric.fit_durations, self.m.loglik_durations
        cases = [(([1, NAN, 3], [0, 0, 1]), libcs.NonFiniteError, "duration", 1),
                 (([1, 2, 3], [0, 2, 1]), libcs.DomainError, "active", 1),
                 (([1, 0, 3], [0, 0, 1]), libcs.DomainError, "duration", 1),   # churned in 0
                 (([1, 2.5, 3], [0, 1, 1]), libcs.DomainError, "duration", 1),
                 (([1, 2, -3], [0, 1, 1]), libcs.DomainError, "duration", 2),
                 (([1, 2, 2e15], [0, 1, 1]), libcs.DomainError, "duration", 2)]
        for args, cls, arg, index in cases:
            for fn in (fit, loglik):
                self.assertLibcsError(cls, fn, *args, argument=arg, index=index)
        self.assertRel(loglik([0, 1], [1, 1]), math.log(self.m.survival(1)), 1e-15)
        for fn in (fit, loglik):
            self.assertLibcsError(libcs.NonFiniteError, fn, [1, 2], [0, 1], [1, NAN],
                                  argument="weights", index=1)
            self.assertLibcsError(libcs.DomainError, fn, [1, 2], [0, 1], [-1, 1],
                                  argument="weights", index=0)
            self.assertLibcsError(libcs.EmptyInputError, fn, [], [], argument="duration")
            self.assertLibcsError(libcs.DomainError, fn, [1, 2], [0, 256],
                                  argument="active", index=1)  # does not fit uint8_t
            with self.assertRaisesRegex(TypeError, "uint8_t"):
                fn([1, 2], array.array("d", [0, 1]))
            with self.assertRaisesRegex(TypeError, r"active\[1\] must be an integer"):
                fn([1, 2], [0, 0.5])
            with self.assertRaisesRegex(ValueError, "active has 3 elements but duration has 2"):
                fn([1, 2], [0, 1, 1])
            with self.assertRaisesRegex(TypeError, "at least one of duration, active must be "
                                                   "an array"):
                fn(1, 0)
        err = self.assertLibcsError(libcs.EmptyInputError, fit, [1, 2], [0, 1], 0,
                                    argument="weights")
        self.assertIn("every weight is 0", str(err))
        self.assertLibcsError(libcs.DomainError, fit, [1, 2], 0, start=(1, -2),
                              argument="start", index=1)
        # one flag for everyone
        self.assertRel(loglik([1, 2, 3], 0), sum(
            math.log(self.m.survival(t - 1) - self.m.survival(t)) for t in (1, 2, 3)), 1e-12)

    def test_scalars(self):
        m = self.m
        for fn, arg in ((m.retention, "t"), (m.survival, "t")):
            self.assertLibcsError(libcs.NonFiniteError, fn, NAN, argument=arg)
            self.assertLibcsError(libcs.DomainError, fn, 1.5, argument=arg)
            self.assertLibcsError(libcs.DomainError, fn, -1, argument=arg)
            self.assertLibcsError(libcs.DomainError, fn, 2e15, argument=arg)
        self.assertLibcsError(libcs.DomainError, m.retention, 0, argument="t")
        # a number or an array (of periods: the batch twin)
        with self.assertRaisesRegex(TypeError, "ShiftedBetaGeometric.survival: t must be an array, "
                                    "a sequence of numbers or a buffer, not str"):
            m.survival("3")
        with self.assertRaisesRegex(TypeError, r"ShiftedBetaGeometric.survival: t\[1\] must be a real"):
            m.survival([3, "3"])
        for fn, args in ((m.discounted_expected_lifetime, ()),
                         (m.discounted_expected_residual_lifetime, (2,))):
            self.assertLibcsError(libcs.NonFiniteError, fn, *args, NAN, argument="discount")
            self.assertLibcsError(libcs.DomainError, fn, *args, -1, argument="discount")
            err = self.assertLibcsError(libcs.UndefinedResultError, fn, *args, -0.5,
                                        argument="discount")
            self.assertIn("negative discount rate", str(err))
            err = self.assertLibcsError(libcs.UndefinedResultError, fn, *args, 0,
                                        argument="alpha")  # alpha 0.704 <= 1
            self.assertEqual(err.value, 0.704)
            self.assertLibcsError(libcs.NotConvergedError, fn, *args, 1e-15, argument=None)
        derl = m.discounted_expected_residual_lifetime
        # the batch: the first bad customer by its index; the rate, one for
        # all, and alpha without one
        self.assertLibcsError(libcs.DomainError, derl, [1, 2, 1.5], 0.1, argument="renewals",
                              index=2)
        self.assertLibcsError(libcs.NonFiniteError, derl, [1, NAN], 0.1, argument="renewals",
                              index=1)
        self.assertLibcsError(libcs.DomainError, derl, [1, -1], 0.1, argument="renewals",
                              index=1)
        self.assertLibcsError(libcs.NonFiniteError, derl, [1, 2], NAN, argument="discount",
                              index=None)
        self.assertLibcsError(libcs.DomainError, derl, [1, 2], -2, argument="discount",
                              index=None)
        self.assertLibcsError(libcs.UndefinedResultError, derl, [1, 2], -0.5,
                              argument="discount", index=None)
        err = self.assertLibcsError(libcs.UndefinedResultError, derl, [1, 2], 0,
                                    argument="alpha", index=None)
        self.assertEqual(err.value, 0.704)
        self.assertLibcsError(libcs.EmptyInputError, derl, [], 0.1)
        out = array.array("d", [7.0, 7.0])
        with self.assertRaises(libcs.DomainError):  # nothing written on error
            derl([1, 0.5], 0.1, out=out)
        self.assertEqual(list(out), [7.0, 7.0])
        with self.assertRaisesRegex(ValueError, "out has 2 elements; the call needs 3"):
            derl([1, 2, 3], 0.1, out=out)
        with self.assertRaisesRegex(TypeError, "discount must be a real number"):
            derl([1, 2], [0.1, 0.2])
        self.assertLibcsError(libcs.DomainError, derl, 1.5, 0.1, argument="renewals")
        self.assertLibcsError(libcs.DomainError, derl, -1, 0.1, argument="renewals")
        self.assertLibcsError(libcs.NonFiniteError, derl, math.inf, 0.1, argument="renewals")

    def test_project_and_simulate(self):
        m = self.m
        self.assertLibcsError(libcs.DomainError, m.project, -1, 3, argument="cohort")
        self.assertLibcsError(libcs.NonFiniteError, m.project, NAN, 3, argument="cohort")
        err = self.assertLibcsError(libcs.EmptyInputError, m.project, 1000, 0, argument="n")
        self.assertIn("no periods", str(err))
        self.assertLibcsError(libcs.DomainError, m.project, 1000, -1, argument="n")
        with self.assertRaisesRegex(TypeError, "n must be an integer"):
            m.project(1000, 3.0)
        self.assertLibcsError(libcs.EmptyInputError, m.simulate, 0, 5, 1, argument="n")
        self.assertLibcsError(libcs.DomainError, m.simulate, 3, 2 ** 32, 1, argument="periods")
        self.assertLibcsError(libcs.DomainError, m.simulate, 3, 5, -1, argument="seed")
        with self.assertRaisesRegex(TypeError, "seed must be an integer"):
            m.simulate(3, 5, 1.0)

    def test_pickle(self):
        fitted = ShiftedBetaGeometric.fit_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
        for model in (fitted, ShiftedBetaGeometric(HIGH_END)):
            back = pickle.loads(pickle.dumps(model))
            self.assertEqual((back, back.result), (model, model.result))
        self.assertEqual(repr(ShiftedBetaGeometric(REGULAR)),
                         "ShiftedBetaGeometric(ShiftedBetaGeometricParams(alpha=0.704, "
                         "beta=1.182))")
        self.assertNotEqual(ShiftedBetaGeometric(REGULAR), REGULAR)

    def test_not_converged(self):
        real = libcs._ffi.C.libcs_sbg_fit_survivors

        def noconv(*args):
            rc = real(*args)
            args[-1]._obj.converged = 0
            return Status.ENOCONV if rc == 0 else rc

        libcs._ffi.C.libcs_sbg_fit_survivors = noconv
        try:
            with self.assertRaises(libcs.NotConvergedError) as cm:
                ShiftedBetaGeometric.fit_survivors([1000, 631, 468])
        finally:
            libcs._ffi.C.libcs_sbg_fit_survivors = real
        self.assertEqual(cm.exception.function, "ShiftedBetaGeometric.fit_survivors")
        self.assertIsInstance(cm.exception.result.params, ShiftedBetaGeometricParams)
        self.assertIs(cm.exception.result.converged, False)


class Curves(TestCase2):
    """Retention, survival and DEL over arrays: one call of the _batch
    twin, bit for bit the single calls."""
    m = ShiftedBetaGeometric(REGULAR)

    def test_retention_and_survival_curves(self):
        ts = list(range(1, 13)) + [1000, 10 ** 15]
        with spy("libcs_sbg_retention_batch") as calls:
            r = self.m.retention(ts)
        self.assertEqual(len(calls), 1)
        self.assertEqual(r.typecode, "d")
        self.assertEqual(list(r), [self.m.retention(t) for t in ts])
        with spy("libcs_sbg_survival_batch") as calls:
            s = self.m.survival([0] + ts)
        self.assertEqual(len(calls), 1)
        self.assertEqual(list(s), [self.m.survival(t) for t in [0] + ts])
        for t in (1, 2, 5, 12):
            self.assertRel(s[t], survival_ref(REGULAR, t), 1e-12)
        # the projection is the cohort times the survival curve
        proj = self.m.project(1000, 13)
        for t in range(13):
            self.assertRel(proj[t], 1000 * s[t], 1e-15)

    def test_del_over_rates(self):
        rates = [0.05, 0.1, 0.5, 0.1]
        with spy("libcs_sbg_del_batch") as calls:
            got = self.m.discounted_expected_lifetime(rates)
        self.assertEqual(len(calls), 1)
        self.assertEqual(list(got), [self.m.discounted_expected_lifetime(d) for d in rates])
        for g, d in zip(got, rates):
            self.assertRel(g, discounted_sum(REGULAR, 0, d), 1e-12)
        out = array.array("d", [NAN] * 4)
        self.assertIs(self.m.discounted_expected_lifetime(rates, out=out), out)
        self.assertEqual(out, got)

    def test_errors(self):
        m = self.m
        self.assertLibcsError(libcs.DomainError, m.retention, [1, 0], argument="t", index=1)
        self.assertLibcsError(libcs.DomainError, m.survival, [0, 1.5], argument="t", index=1)
        self.assertLibcsError(libcs.NonFiniteError, m.discounted_expected_lifetime, [0.1, NAN],
                              argument="discount", index=1)
        self.assertLibcsError(libcs.DomainError, m.discounted_expected_lifetime, [0.1, -1],
                              argument="discount", index=1)
        # undefined: a negative rate, or none with alpha <= 1
        self.assertLibcsError(libcs.UndefinedResultError, m.discounted_expected_lifetime,
                              [0.1, -0.5], argument="discount", index=1)
        self.assertLibcsError(libcs.UndefinedResultError, m.discounted_expected_lifetime,
                              [0.1, 0], argument="alpha")
        self.assertLibcsError(libcs.EmptyInputError, m.survival, [])
        out = array.array("d", [7.0] * 2)
        with self.assertRaises(libcs.DomainError):
            m.retention([1, 0], out=out)
        self.assertEqual(list(out), [7.0] * 2)


if __name__ == "__main__":
    unittest.main()
