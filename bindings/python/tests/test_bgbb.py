"""BG/BB (libcs_bgbb_*): fitted to the donation data it gives the published
estimates; the log-likelihood, P(alive), E[X(n)], the pmf and the
conditional expectation agree with Fader, Hardie & Shang's equations
computed here from log-gamma functions, DERT with the discounted sum of
the conditional expectations; batch = scalar; the simulator; every error
with its argument and index; NaN; pickling.

Sources: Fader, Hardie & Shang (2010), "Customer-Base Analysis in a
Discrete-Time Noncontractual Setting", Marketing Science 29(6) (BG/BB on
11,104 donors, 6 opportunities: alpha 1.204, beta 0.750, gamma 0.657, delta
2.783, LL -33225.6; equations 5, 7, 8, 11, 13, 14).  donations.csv comes
from $LIBCS_DATA (see test_clv.py): without it the tests fail, never skip."""

import array
import math
import pickle
import unittest

import libcs
from libcs import BgBb, BgBbParams, BgBbSample, ClvFit, Status
from _support import numpy, requires_numpy, spy
from test_clv import TestCase2, read_csv

NAN = math.nan
PUBLISHED = (1.204, 0.750, 0.657, 2.783)
_lg = math.lgamma


def _lb(a, b):
    return _lg(a) + _lg(b) - _lg(a + b)


def lik(p, x, t_x, n):
    """FHS (5): alive throughout, or died after opportunity t_x + i."""
    a, b, g, d = p
    v = math.exp(_lb(a + x, b + n - x) - _lb(a, b) + _lb(g, d + n) - _lb(g, d))
    for i in range(int(n - t_x)):
        v += math.exp(_lb(a + x, b + t_x - x + i) - _lb(a, b) + _lb(g + 1, d + t_x + i) -
                      _lb(g, d))
    return v


def palive_ref(p, x, t_x, n):
    """FHS (11): P(alive at n + 1 | x, t_x, n)."""
    a, b, g, d = p
    return math.exp(_lb(a + x, b + n - x) - _lb(a, b) + _lb(g, d + n + 1) - _lb(g, d)) / \
        lik(p, x, t_x, n)


def expected_ref(p, n):
    """FHS (8): E[X(n)]."""
    a, b, g, d = p
    return a / (a + b) * d / (g - 1) * (1 - math.exp(_lg(g + d) + _lg(1 + d + n) -
                                                     _lg(g + d + n) - _lg(1 + d)))


def conditional_ref(p, x, t_x, n, m):
    """FHS (13): E[X(n, n + m) | x, t_x, n]."""
    a, b, g, d = p
    return (math.exp(_lb(a + x + 1, b + n - x) - _lb(a, b)) * d / (g - 1) *
            math.exp(_lg(g + d) - _lg(1 + d)) *
            (math.exp(_lg(1 + d + n) - _lg(g + d + n)) -
             math.exp(_lg(1 + d + n + m) - _lg(g + d + n + m))) / lik(p, x, t_x, n))


def pmf_ref(p, n, x):
    """FHS (7): P(X(n) = x)."""
    a, b, g, d = p
    v = math.comb(n, x) * math.exp(_lb(a + x, b + n - x) - _lb(a, b) + _lb(g, d + n) -
                                   _lb(g, d))
    for i in range(x, n):
        v += math.comb(i, x) * math.exp(_lb(a + x, b + i - x) - _lb(a, b) +
                                        _lb(g + 1, d + i) - _lb(g, d))
    return v


def donations():
    header, rows = read_csv("donations.csv")
    assert header == ["frequency", "recency", "periods", "weights"], header
    return [array.array("d", c) for c in zip(*rows)]


PATTERNS = [(0, 0, 6), (1, 1, 6), (1, 5, 6), (3, 4, 6), (6, 6, 6), (2, 3, 3), (0, 0, 0),
            (5, 10, 12)]


class Donations(TestCase2):
    @classmethod
    def setUpClass(cls):
        cls.x, cls.t_x, cls.n, cls.w = donations()
        cls.model = BgBb.fit(cls.x, cls.t_x, cls.n, cls.w)

    def test_published(self):
        self.assertEqual(len(self.x), 22)
        self.assertEqual(sum(self.w), 11104)
        m = self.model
        self.assertIsInstance(m, BgBb)
        self.assertIsInstance(m.params, BgBbParams)
        self.assertEqual([round(v, 3) for v in m.params], list(PUBLISHED))
        self.assertEqual(round(m.result.loglik, 1), -33225.6)
        r = m.result
        self.assertIsInstance(r, ClvFit)
        self.assertIs(r.converged, True)
        self.assertIs(r.se_status, Status.OK)
        self.assertIsInstance(r.se, BgBbParams)
        for v in r.se:
            self.assertTrue(math.isfinite(v) and 0 < v < 1, r.se)

    def test_loglik(self):
        rows = list(zip(self.x, self.t_x, self.n, self.w))
        want = sum(w * math.log(lik(PUBLISHED, x, t_x, n)) for x, t_x, n, w in rows)
        self.assertRel(BgBb(PUBLISHED).loglik(self.x, self.t_x, self.n, self.w), want, 1e-12)
        self.assertRel(self.model.loglik(self.x, self.t_x, self.n, self.w),
                       self.model.result.loglik, 1e-12)
        for i in range(4):
            p = list(self.model.params)
            p[i] *= 1.02
            self.assertLess(BgBb(p).loglik(self.x, self.t_x, self.n, self.w),
                            self.model.result.loglik)

    def test_donor_level_rows(self):
        """The 11,104 donors one row each: the same fit as the patterns."""
        x, t_x, n = (array.array("d") for _ in range(3))
        for row in zip(self.x, self.t_x, self.n, self.w):
            for _ in range(int(row[3])):
                x.append(row[0]), t_x.append(row[1]), n.append(row[2])
        m = BgBb.fit(x, t_x, n)
        for got, want in zip(m.params, self.model.params):
            self.assertRel(got, want, 1e-6)
        self.assertRel(m.result.loglik, self.model.result.loglik, 1e-10)
        self.assertRel(self.model.loglik(x, t_x, n), self.model.result.loglik, 1e-12)

    def test_start(self):
        with spy("libcs_bgbb_fit") as calls:
            m = BgBb.fit(self.x, self.t_x, 6, self.w, start=PUBLISHED)
        self.assertEqual(list(calls[0][5]), list(PUBLISHED))
        for got, want in zip(m.params, self.model.params):
            self.assertRel(got, want, 1e-4)

    @requires_numpy
    def test_numpy(self):
        cols = [numpy.asarray(c) for c in (self.x, self.t_x, self.n, self.w)]
        with spy("libcs_bgbb_fit") as calls:
            m = BgBb.fit(*cols)
        self.assertEqual(calls[0][1], cols[0].__array_interface__["data"][0])  # zero-copy
        self.assertEqual(m.params, self.model.params)
        got = m.palive(*cols[:3])
        self.assertIsInstance(got, numpy.ndarray)
        self.assertEqual(got.tolist(), list(m.palive(self.x, self.t_x, self.n)))


class Predictions(TestCase2):
    bb = BgBb(PUBLISHED)

    def test_palive_and_conditional(self):
        for row in PATTERNS:
            self.assertRel(self.bb.palive(*row), palive_ref(PUBLISHED, *row), 1e-12, row)
            for m in (1, 5, 20):
                self.assertRel(self.bb.conditional(*row, m), conditional_ref(PUBLISHED, *row, m),
                               1e-11, (row, m))
            self.assertEqual(self.bb.conditional(*row, 0), 0.0)
        cols = [array.array("d", c) for c in zip(*PATTERNS)]
        with spy("libcs_bgbb_conditional_batch") as calls:
            got = self.bb.conditional(*cols, future=5)
        self.assertEqual(len(calls), 1)
        self.assertEqual(list(got), [self.bb.conditional(*row, 5) for row in PATTERNS])
        self.assertEqual(list(self.bb.palive(*cols)), [self.bb.palive(*row) for row in PATTERNS])

    def test_expected_and_pmf(self):
        for n in (0, 1, 6, 10, 100):
            self.assertRel(self.bb.expected(n), expected_ref(PUBLISHED, n), 1e-12, n)
        self.assertEqual(self.bb.expected(0), 0.0)
        probs = [self.bb.pmf(6, k) for k in range(8)]
        for k in range(7):
            self.assertRel(probs[k], pmf_ref(PUBLISHED, 6, k), 1e-12, k)
        self.assertEqual(probs[7], 0.0)  # 7 transactions in 6 opportunities
        self.assertAlmostEqual(sum(probs), 1.0, delta=1e-12)
        self.assertRel(sum(k * v for k, v in enumerate(probs)), self.bb.expected(6), 1e-12)
        # a new customer's conditional expectation is E[X(n)]
        self.assertRel(self.bb.conditional(0, 0, 0, 6), self.bb.expected(6), 1e-13)

    def test_dert(self):
        for row in PATTERNS:
            for d in (0.1, 0.5):
                total, prev = 0.0, 0.0
                for s in range(1, 600):  # the discounted sum of E[X(n, n + s)] - E[X(n, n + s - 1)]
                    c = conditional_ref(PUBLISHED, *row, s)
                    total += (c - prev) / (1 + d) ** s
                    prev = c
                self.assertRel(self.bb.dert(*row, d), total, 1e-9, (row, d))
        cols = [list(c) for c in zip(*PATTERNS)]
        got = self.bb.dert(*cols, discount=0.1)
        self.assertEqual(list(got), [self.bb.dert(*row, 0.1) for row in PATTERNS])
        # undiscounted, gamma > 1: the expected number of all future transactions
        long_lived = BgBb((1.2, 0.75, 1.5, 2.8))
        self.assertRel(long_lived.dert(3, 4, 6, 0), long_lived.conditional(3, 4, 6, 10 ** 15),
                       1e-6)

    def test_out(self):
        out = array.array("d", [NAN] * 3)
        self.assertIs(self.bb.dert([0, 3, 6], [0, 4, 6], 6, 0.1, out=out), out)
        self.assertEqual(out[1], self.bb.dert(3, 4, 6, 0.1))
        out = array.array("d", [7.0, 7.0])
        with self.assertRaises(libcs.DomainError):  # nothing written on error
            self.bb.palive([1, 2], [1, 7], 6, out=out)
        self.assertEqual(list(out), [7.0, 7.0])

    @requires_numpy
    def test_numpy_outputs(self):
        got = self.bb.conditional(numpy.array([0.0, 3.0]), [0, 4], 6, 5)
        self.assertIsInstance(got, numpy.ndarray)
        self.assertEqual(self.bb.expected(numpy.float64(6)), self.bb.expected(6))
        with self.assertRaises(TypeError):
            self.bb.palive(numpy.array([1, 2], dtype=numpy.int32), [1, 2], 6)


class Simulate(TestCase2):
    def test_reproducible_and_recoverable(self):
        bb = BgBb(PUBLISHED)
        a = bb.simulate(6.0, seed=2026, n=20000)
        self.assertIsInstance(a, BgBbSample)
        self.assertEqual(a, bb.simulate([6.0] * 20000, 2026))
        self.assertNotEqual(a.x, bb.simulate(6.0, seed=2027, n=20000).x)
        for x, t_x, n in zip(*a):
            self.assertTrue(x == math.floor(x) and t_x == math.floor(t_x))
            self.assertTrue(0 <= x <= t_x <= n)
            self.assertEqual(x == 0, t_x == 0)
        self.assertAlmostEqual(sum(a.x) / 20000, bb.expected(6), delta=0.05)
        rows = libcs.clv_compress(*a)  # the simulated rows are valid BG/BB rows
        m = BgBb.fit(*rows)
        for got, want, se in zip(m.params, bb.params, m.result.se):
            self.assertLess(abs(got - want), 4 * se, (got, want, se))
        self.assertEqual(list(bb.simulate([0, 3], seed=1).x[:1]), [0.0])

    @requires_numpy
    def test_numpy(self):
        n = numpy.full(10, 6.0)
        s = BgBb(PUBLISHED).simulate(n, seed=3)
        self.assertIsInstance(s.x, numpy.ndarray)
        self.assertIs(s.periods, n)


class Errors(TestCase2):
    bb = BgBb(PUBLISHED)

    def test_params(self):
        self.assertLibcsError(libcs.DomainError, BgBb, (1, 1, 1, 0), argument="delta")
        self.assertLibcsError(libcs.NonFiniteError, BgBb, (1, NAN, 1, 1), argument="beta")
        with self.assertRaisesRegex(TypeError, r"BgBb: params must be 4 numbers \(alpha, beta, "
                                    r"gamma, delta\)"):
            BgBb((1, 2))

    def test_rows(self):
        """Each rule of a BG/BB row, in the batches (the library's index),
        the scalar calls, and the fit and log-likelihood (the index found by
        the binding)."""
        good = ([0, 1, 3], [0, 2, 4], [6, 6, 6])
        cases = [((NAN, 2, 6), libcs.NonFiniteError, "x"),
                 ((1, math.inf, 6), libcs.NonFiniteError, "t_x"),
                 ((1, 2, NAN), libcs.NonFiniteError, "periods"),
                 ((1, 2, 6.5), libcs.DomainError, "periods"),
                 ((1, 2, -6), libcs.DomainError, "periods"),
                 ((1, 2, 2e7), libcs.DomainError, "periods"),
                 ((1.5, 2, 6), libcs.DomainError, "x"),
                 ((-1, 2, 6), libcs.DomainError, "x"),
                 ((1, 2.5, 6), libcs.DomainError, "t_x"),
                 ((3, 2, 6), libcs.DomainError, "t_x"),     # x > t_x
                 ((1, 7, 6), libcs.DomainError, "t_x"),     # t_x > periods
                 ((0, 2, 6), libcs.DomainError, "t_x")]     # t_x without transactions
        for row, cls, arg in cases:
            cols = [list(c) for c in good]
            for c, v in zip(cols, row):
                c[1] = v
            for call in (lambda: self.bb.conditional(*cols, future=5),
                         lambda: self.bb.palive(*cols),
                         lambda: self.bb.dert(*cols, discount=0.1),
                         lambda: BgBb.fit(*cols),
                         lambda: self.bb.loglik(*cols)):
                err = self.assertLibcsError(cls, call, argument=arg, index=1)
                want = row[["x", "t_x", "periods"].index(arg)]
                self.assertTrue(err.value == want or math.isnan(err.value), err)
            self.assertLibcsError(cls, self.bb.conditional, *row, 5, argument=arg, index=None)
            self.assertLibcsError(cls, self.bb.palive, *row, argument=arg, index=None)
            self.assertLibcsError(cls, self.bb.dert, *row, 0.1, argument=arg, index=None)
        err = self.assertLibcsError(libcs.DomainError, self.bb.palive, [1, 3], [2, 2], 6,
                                    argument="t_x", index=1)
        self.assertIn("BgBb.palive: t_x[1] = 2.0", str(err))
        self.assertIn("x <= t_x", str(err))

    def test_horizons(self):
        bb = self.bb
        for bad, cls in ((-1, libcs.DomainError), (2.5, libcs.DomainError),
                         (NAN, libcs.NonFiniteError), (2e15, libcs.DomainError)):
            self.assertLibcsError(cls, bb.expected, bad, argument="periods")
            self.assertLibcsError(cls, bb.conditional, 3, 4, 6, bad, argument="future")
            self.assertLibcsError(cls, bb.conditional, [3, 1], [4, 1], 6, bad,
                                  argument="future", index=None)
            self.assertLibcsError(cls, bb.pmf, bad, 1, argument="periods")
        self.assertLibcsError(libcs.DomainError, bb.pmf, 2e7, 1, argument="periods")
        self.assertEqual(bb.expected(1e15), bb.expected(1e15))  # the longest horizon
        self.assertLibcsError(libcs.DomainError, bb.pmf, 6, -1, argument="k")
        # a bad row in the scalar call is reported before the horizon
        self.assertLibcsError(libcs.DomainError, bb.conditional, 3, 2, 6, -1, argument="t_x")

    def test_dert_discount(self):
        bb = self.bb
        self.assertLibcsError(libcs.DomainError, bb.dert, 3, 4, 6, -0.1, argument="discount")
        self.assertLibcsError(libcs.DomainError, bb.dert, [3, 1], [4, 1], 6, -0.1,
                              argument="discount", index=None)
        self.assertLibcsError(libcs.NonFiniteError, bb.dert, 3, 4, 6, NAN, argument="discount")
        self.assertLibcsError(libcs.NonFiniteError, bb.dert, [3], [4], 6, math.inf,
                              argument="discount", index=None)
        # undiscounted with gamma <= 1 (0.657): an infinite sum
        err = self.assertLibcsError(libcs.UndefinedResultError, bb.dert, 3, 4, 6, 0,
                                    argument="gamma")
        self.assertEqual(err.value, 0.657)
        self.assertIsInstance(err, ArithmeticError)
        self.assertLibcsError(libcs.UndefinedResultError, bb.dert, [3, 1], [4, 1], 6, 0.0,
                              argument="gamma", index=None)
        # a discount rate too small for the series
        self.assertLibcsError(libcs.NotConvergedError, bb.dert, 3, 4, 6, 1e-12, argument=None)

    def test_weights_empty_start(self):
        x, t_x, n = [0, 1, 3], [0, 2, 4], 6
        self.assertLibcsError(libcs.DomainError, BgBb.fit, x, t_x, n, [1, -1, 1],
                              argument="weights", index=1)
        self.assertLibcsError(libcs.NonFiniteError, self.bb.loglik, x, t_x, n, [NAN, 1, 1],
                              argument="weights", index=0)
        self.assertLibcsError(libcs.EmptyInputError, BgBb.fit, [], [], [], argument="x")
        err = self.assertLibcsError(libcs.EmptyInputError, BgBb.fit, x, t_x, n, [0, 0, 0],
                                    argument="weights")
        self.assertIn("every weight is 0", str(err))
        self.assertLibcsError(libcs.EmptyInputError, self.bb.loglik, [], [], [])
        self.assertLibcsError(libcs.EmptyInputError, self.bb.palive, [], [], [])
        self.assertLibcsError(libcs.EmptyInputError, self.bb.conditional, [], [], [], 1)
        self.assertLibcsError(libcs.EmptyInputError, self.bb.dert, [], [], [], 0.1)
        self.assertLibcsError(libcs.EmptyInputError, self.bb.simulate, [], 1)
        self.assertLibcsError(libcs.DomainError, BgBb.fit, x, t_x, n, start=(1, 1, -1, 1),
                              argument="start", index=2)
        self.assertLibcsError(libcs.NonFiniteError, BgBb.fit, x, t_x, n, start=(1, 1, 1, NAN),
                              argument="start", index=3)

    def test_simulate(self):
        self.assertLibcsError(libcs.DomainError, self.bb.simulate, [6, 2.5], 1,
                              argument="periods", index=1)
        self.assertLibcsError(libcs.DomainError, self.bb.simulate, [6, 2e7], 1,
                              argument="periods", index=1)
        self.assertLibcsError(libcs.NonFiniteError, self.bb.simulate, [NAN], 1,
                              argument="periods", index=0)
        with self.assertRaisesRegex(TypeError, "give n"):
            self.bb.simulate(6, seed=1)
        self.assertLibcsError(libcs.DomainError, self.bb.simulate, 6, 2 ** 64, 3,
                              argument="seed")

    def test_types_and_lengths(self):
        bb = self.bb
        with self.assertRaisesRegex(TypeError, "BgBb.dert: discount must be a real number"):
            bb.dert(3, 4, 6, [0.1, 0.2])
        with self.assertRaisesRegex(TypeError, "BgBb.conditional: future must be a real number"):
            bb.conditional(3, 4, 6, "5")
        with self.assertRaisesRegex(TypeError, r"BgBb.fit: periods\[2\] must be a real number"):
            BgBb.fit([0, 1, 3], [0, 2, 4], [6, 6, None])
        with self.assertRaisesRegex(TypeError, "at least one of x, t_x, periods must be an "
                                               "array"):
            BgBb.fit(1, 1, 6)
        with self.assertRaisesRegex(ValueError, "periods has 2 elements but x has 3"):
            bb.palive([0, 1, 3], [0, 2, 4], [6, 6])
        with self.assertRaisesRegex(ValueError, "weights has 2 elements but x has 3"):
            bb.loglik([0, 1, 3], [0, 2, 4], 6, [1, 1])
        with self.assertRaisesRegex(TypeError, "pmf: k must be an integer"):
            bb.pmf(6, 1.0)

    def test_pickle(self):
        m = BgBb.fit(*donations())
        back = pickle.loads(pickle.dumps(m))
        self.assertEqual((back, back.result), (m, m.result))
        self.assertEqual(repr(BgBb(PUBLISHED)),
                         "BgBb(BgBbParams(alpha=1.204, beta=0.75, gamma=0.657, delta=2.783))")
        self.assertEqual(eval(repr(BgBb(PUBLISHED)), vars(libcs)), BgBb(PUBLISHED))


class NewCustomerBatch(TestCase2):
    """The new customer's predictions over arrays: one call of the _batch
    twin, bit for bit the single calls."""
    bb = BgBb(PUBLISHED)

    def test_expected_curve(self):
        ns = [0, 1, 6, 10, 64, 65, 100, 10 ** 15]
        with spy("libcs_bgbb_expected_batch") as calls:
            got = self.bb.expected(ns)
        self.assertEqual(len(calls), 1)
        self.assertEqual(got.typecode, "d")
        self.assertEqual(list(got), [self.bb.expected(n) for n in ns])
        for g, n in zip(got[1:5], ns[1:5]):
            self.assertRel(g, expected_ref(PUBLISHED, n), 1e-12, n)

    def test_pmf_distribution(self):
        with spy("libcs_bgbb_pmf_batch") as calls:
            got = self.bb.pmf(6, range(8))
        self.assertEqual(len(calls), 1)
        self.assertEqual(list(got), [self.bb.pmf(6, k) for k in range(8)])
        for k in range(7):
            self.assertRel(got[k], pmf_ref(PUBLISHED, 6, k), 1e-12, k)
        got = self.bb.pmf([1, 6, 20], array.array("I", [1, 2, 3]))
        self.assertEqual(list(got), [self.bb.pmf(1, 1), self.bb.pmf(6, 2), self.bb.pmf(20, 3)])

    def test_errors(self):
        bb = self.bb
        self.assertLibcsError(libcs.DomainError, bb.expected, [1, 2.5], argument="periods",
                              index=1)
        # more opportunities than the pmf sums over, fine for E[X]
        self.assertLibcsError(libcs.DomainError, bb.pmf, [6, 2e7], 1, argument="periods",
                              index=1)
        self.assertEqual(len(bb.expected([6, 2e7])), 2)
        self.assertLibcsError(libcs.EmptyInputError, bb.expected, [])


if __name__ == "__main__":
    unittest.main()
