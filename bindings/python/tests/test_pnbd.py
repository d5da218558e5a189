"""Pareto/NBD (libcs_pnbd_*): fitted to CDNOW it gives the published
estimates, its predictions agree with an independent computation here
(P(alive) by Simpson's rule on the likelihood's integral, E[X(t)] and the
conditional expectation by their closed forms) and the batch calls with
the scalar ones, the simulator is reproducible and recoverable, every
error names its argument and index, and models pickle.

Sources: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves
for Customer Base Analysis" (Pareto/NBD on CDNOW, weeks: r 0.553, alpha
10.578, s 0.606, beta 11.669, LL -9594.98); libcs's own maximum there is LL
-9594.974 (tests/test_pnbd.c).  The data come from $LIBCS_DATA (see
test_clv.py): without it the tests fail, never skip."""

import array
import copy
import math
import pickle
import unittest

import libcs
from libcs import ClvFit, ParetoNbd, ParetoNbdParams, ParetoNbdSample, Status
from _support import numpy, requires_numpy, spy
from test_clv import TestCase2, cdnow_summary

NAN = math.nan
PUBLISHED = (0.553, 10.578, 0.606, 11.669)
ROWS = [(2, 30.43, 38.86), (1, 1.71, 38.86), (0, 0, 38.86), (14, 37.86, 38.86),
        (5, 10, 38.86), (7, 29.43, 32), (0, 0, 0), (3, 20, 20)]


def palive_reference(p, x, t_x, T, m=4000):
    """P(alive | x, t_x, T) from the likelihood (Fader & Hardie 2005 note):
    A / (A + s int_{t_x}^T (alpha+t)^-(r+x) (beta+t)^-(s+1) dt), A =
    (alpha+T)^-(r+x) (beta+T)^-s, the integral by Simpson's rule."""
    r, alpha, s, beta = p
    if T == t_x:
        return 1.0

    def f(t):
        return (alpha + t) ** -(r + x) * (beta + t) ** -(s + 1)

    h = (T - t_x) / m
    integral = h / 3 * (f(t_x) + f(T) + sum((4 if i % 2 else 2) * f(t_x + i * h)
                                           for i in range(1, m)))
    alive = (alpha + T) ** -(r + x) * (beta + T) ** -s
    return alive / (alive + s * integral)


def expected_reference(p, x, T, t):
    """E[X(t)] of a customer alive at T after x purchases (x = T = 0: a
    new customer), the closed form."""
    r, alpha, s, beta = p
    return (r + x) * (beta + T) / ((alpha + T) * (s - 1)) * (1 - ((beta + T) / (beta + T + t)) **
                                                               (s - 1))


class Cdnow(TestCase2):
    @classmethod
    def setUpClass(cls):
        cls.ids, cls.x, cls.t_x, cls.T = cdnow_summary()
        cls.model = ParetoNbd.fit(cls.x, cls.t_x, cls.T)

    def test_published(self):
        m = self.model
        self.assertIsInstance(m, ParetoNbd)
        self.assertIsInstance(m.params, ParetoNbdParams)
        # the published digits: r, alpha, s to the third decimal; beta,
        # which the likelihood barely pins down (se 6.2), within 0.0015
        for got, want in zip(m.params, PUBLISHED):
            self.assertAlmostEqual(got, want, delta=0.0015)
        self.assertEqual([round(v, 3) for v in m.params[:3]], list(PUBLISHED[:3]))
        self.assertAlmostEqual(m.result.loglik, -9594.98, delta=0.01)
        self.assertAlmostEqual(m.result.loglik, -9594.974, delta=0.0005)

    def test_result(self):
        r = self.model.result
        self.assertIsInstance(r, ClvFit)
        self.assertIs(r.converged, True)
        self.assertIs(r.se_status, Status.OK)
        self.assertGreater(r.iterations, 0)
        self.assertIsInstance(r.se, ParetoNbdParams)
        self.assertEqual(r.params, self.model.params)
        for v in r.se:
            self.assertTrue(math.isfinite(v) and v > 0, r.se)
        self.assertEqual(r.se.s, r.se[2])

    def test_loglik(self):
        m = self.model
        self.assertRel(m.loglik(self.x, self.t_x, self.T), m.result.loglik, 1e-12)
        published = ParetoNbd(PUBLISHED).loglik(self.x, self.t_x, self.T)
        self.assertAlmostEqual(published, -9594.98, delta=0.01)
        self.assertLessEqual(published, m.result.loglik)
        for i in range(4):  # the maximum
            for f in (0.98, 1.02):
                p = list(m.params)
                p[i] *= f
                self.assertLess(ParetoNbd(p).loglik(self.x, self.t_x, self.T), m.result.loglik)

    def test_weights_and_compression(self):
        rows = libcs.clv_compress(self.x, self.t_x, self.T)
        m = ParetoNbd.fit(*rows)
        for got, want in zip(m.params, self.model.params):
            self.assertRel(got, want, 1e-5)
        self.assertRel(m.result.loglik, self.model.result.loglik, 1e-9)
        self.assertRel(self.model.loglik(*rows), self.model.result.loglik, 1e-12)
        twice = self.model.loglik(self.x, self.t_x, self.T, weights=2.0)
        self.assertRel(twice, 2 * self.model.result.loglik, 1e-12)

    def test_start(self):
        with spy("libcs_pnbd_fit") as calls:
            m = ParetoNbd.fit(self.x, self.t_x, self.T, start=PUBLISHED)
        self.assertEqual(list(calls[0][5]), list(PUBLISHED))
        for got, want in zip(m.params, self.model.params):
            self.assertRel(got, want, 1e-4)
        with spy("libcs_pnbd_fit") as calls:
            ParetoNbd.fit(self.x, self.t_x, self.T)
        self.assertIsNone(calls[0][5])  # the library's own starts

    def test_batch_equals_scalar(self):
        m = self.model
        value = array.array("d", [10.0 + i % 7 for i in range(len(self.x))])
        with spy("libcs_pnbd_conditional_batch") as calls:
            cond = m.conditional(self.x, self.t_x, self.T, 39)
        self.assertEqual(len(calls), 1)
        self.assertEqual(cond.typecode, "d")
        alive = m.palive(self.x, self.t_x, self.T)
        clv = m.clv(self.x, self.t_x, self.T, value, 4, 13, 0.01)
        for i in range(0, len(self.x), 7):
            row = (self.x[i], self.t_x[i], self.T[i])
            self.assertRel(cond[i], m.conditional(*row, 39), 1e-13)
            self.assertEqual(alive[i], m.palive(*row))
            self.assertRel(clv[i], m.clv(*row, value[i], 4, 13, 0.01), 1e-13)

    @requires_numpy
    def test_numpy(self):
        x, t_x, T = (numpy.asarray(c) for c in (self.x, self.t_x, self.T))
        with spy("libcs_pnbd_palive_batch") as calls:
            got = self.model.palive(x, t_x, T)
        self.assertEqual(calls[0][2], x.__array_interface__["data"][0])  # zero-copy
        self.assertIsInstance(got, numpy.ndarray)
        self.assertEqual(got.tolist(), list(self.model.palive(self.x, self.t_x, self.T)))
        with spy("libcs_pnbd_fit") as calls:
            ParetoNbd.fit(x, t_x, T, start=self.model.params)
        self.assertEqual(calls[0][1], x.__array_interface__["data"][0])


class Predictions(TestCase2):
    pn = ParetoNbd(PUBLISHED)

    def test_palive(self):
        for row in ROWS:
            self.assertRel(self.pn.palive(*row), palive_reference(PUBLISHED, *row), 1e-10,
                           "P(alive | %r)" % (row,))
        self.assertEqual(self.pn.palive(3, 20, 20), 1.0)    # bought at the end
        self.assertEqual(self.pn.palive(0, 0, 0), 1.0)
        got = self.pn.palive(*(list(c) for c in zip(*ROWS)))
        self.assertEqual(list(got), [self.pn.palive(*row) for row in ROWS])

    def test_expected_and_pmf(self):
        for t in (0.5, 1, 10, 39, 78, 1000):
            self.assertRel(self.pn.expected(t), expected_reference(PUBLISHED, 0, 0, t), 1e-12)
        self.assertEqual(self.pn.expected(0), 0.0)
        probs = [self.pn.pmf(39, k) for k in range(400)]
        self.assertAlmostEqual(sum(probs), 1.0, delta=1e-9)
        self.assertRel(sum(k * p for k, p in enumerate(probs)), self.pn.expected(39), 1e-8)
        self.assertEqual(self.pn.pmf(0, 0), 1.0)
        self.assertEqual(self.pn.pmf(0, 3), 0.0)
        self.assertGreater(self.pn.pmf(1, 0), self.pn.pmf(1, 1))
        # s = 1: the limit (r + x)(beta + T)/(alpha + T) log(1 + t/(beta + T))
        one = ParetoNbd((0.5, 10, 1, 12))
        self.assertRel(one.expected(39), 0.5 * 12 / 10 * math.log1p(39 / 12), 1e-8)

    def test_conditional(self):
        for row in ROWS:
            for t in (1, 39, 78):
                want = palive_reference(PUBLISHED, *row) * expected_reference(
                    PUBLISHED, row[0], row[2], t)
                self.assertRel(self.pn.conditional(*row, t), want, 1e-10, "%r, t = %g" % (row, t))
        self.assertEqual(self.pn.conditional(2, 30.43, 38.86, 0), 0.0)
        # a new customer: E[X(t)]
        self.assertRel(self.pn.conditional(0, 0, 0, 39), self.pn.expected(39), 1e-14)
        cols = [array.array("d", c) for c in zip(*ROWS)]
        got = self.pn.conditional(*cols, t=39)
        for i, row in enumerate(ROWS):
            self.assertRel(got[i], self.pn.conditional(*row, 39), 1e-13)

    def test_clv(self):
        pn, row, v = self.pn, (2, 30.43, 38.86), 25.0
        e1, e2 = pn.conditional(*row, 13), pn.conditional(*row, 26)
        self.assertRel(pn.clv(*row, v, step=13, steps=2, discount=0.05),
                       v * (e1 / 1.05 + (e2 - e1) / 1.05 ** 2), 1e-13)
        self.assertRel(pn.clv(*row, v, 52, 1), v * pn.conditional(*row, 52), 1e-13)
        self.assertEqual(pn.clv(*row, v, 4, 0, 0.01), 0.0)
        got = pn.clv([2, 2], [30.43, 30.43], 38.86, [25.0, 50.0], 4, 13, 0.01)
        self.assertRel(got[1], 2 * got[0], 1e-15)
        self.assertEqual(got[0], pn.clv(*row, v, 4, 13, 0.01))

    def test_out(self):
        out = array.array("d", [NAN] * 3)
        got = self.pn.conditional([0, 2, 1], [0, 30.43, 1.71], 38.86, 39, out=out)
        self.assertIs(got, out)
        self.assertEqual(out[1], self.pn.conditional(2, 30.43, 38.86, 39))
        out = array.array("d", [7.0, 7.0])
        with self.assertRaises(libcs.DomainError):  # nothing written on error
            self.pn.palive([1, 2], [1, 4], 3, out=out)
        self.assertEqual(list(out), [7.0, 7.0])
        with self.assertRaisesRegex(ValueError, "out has 1 elements; the call needs 2"):
            self.pn.clv([1, 2], [1, 1], 3, 1, 1, 1, out=array.array("d", [0.0]))
        with self.assertRaises(TypeError):
            self.pn.palive([1, 2], [1, 1], 3, out=array.array("f", [0.0, 0.0]))

    @requires_numpy
    def test_numpy_outputs(self):
        got = self.pn.conditional(numpy.array([0.0, 2.0]), [0, 30.43], 38.86, 39)
        self.assertIsInstance(got, numpy.ndarray)
        self.assertEqual(got.dtype, numpy.float64)
        wide = numpy.zeros((2, 3))
        wide[:, 1] = [2.0, 1.0]  # a strided column: copied once
        self.assertEqual(list(self.pn.palive(wide[:, 1], [30.43, 1.71], 38.86)),
                         list(self.pn.palive([2, 1], [30.43, 1.71], 38.86)))
        with self.assertRaises(TypeError):
            self.pn.palive(numpy.array([1, 2], dtype=numpy.int64), [1, 1], 3)


class Simulate(TestCase2):
    def test_reproducible(self):
        pn = ParetoNbd(PUBLISHED)
        a = pn.simulate(39.0, seed=2026, n=1000)
        self.assertIsInstance(a, ParetoNbdSample)
        self.assertEqual(a, pn.simulate([39.0] * 1000, 2026))
        self.assertNotEqual(a.x, pn.simulate(39.0, seed=2027, n=1000).x)
        self.assertEqual(list(a.T), [39.0] * 1000)
        for x, t_x, T in zip(*a):
            self.assertEqual(x, math.floor(x))
            self.assertTrue(0 <= t_x <= T)
            self.assertTrue(x > 0 or t_x == 0)
        big = pn.simulate(39.0, seed=1, n=40000)
        self.assertAlmostEqual(sum(big.x) / 40000, pn.expected(39), delta=0.05)
        pn.loglik(*big)  # valid input

    def test_recovery(self):
        truth = ParetoNbd((0.6, 8.0, 0.8, 12.0))
        T = [20.0 + i % 30 for i in range(10000)]
        m = ParetoNbd.fit(*truth.simulate(T, seed=7))
        for got, want, se in zip(m.params, truth.params, m.result.se):
            self.assertLess(abs(got - want), 4 * se, (got, want, se))

    @requires_numpy
    def test_numpy(self):
        T = numpy.full(20, 39.0)
        s = ParetoNbd(PUBLISHED).simulate(T, seed=3)
        self.assertIsInstance(s.x, numpy.ndarray)
        self.assertIs(s.T, T)
        self.assertEqual(s.x.tolist(), list(ParetoNbd(PUBLISHED).simulate(39.0, 3, 20).x))


class Errors(TestCase2):
    pn = ParetoNbd(PUBLISHED)

    def test_params(self):
        self.assertLibcsError(libcs.DomainError, ParetoNbd, (0.5, 10, 0, 12), argument="s")
        self.assertLibcsError(libcs.DomainError, ParetoNbd, (0.5, -10, 1, 12), argument="alpha")
        self.assertLibcsError(libcs.NonFiniteError, ParetoNbd, (0.5, 10, 1, NAN),
                              argument="beta")
        self.assertLibcsError(libcs.NonFiniteError, ParetoNbd, (math.inf, 10, 1, 1),
                              argument="r")
        with self.assertRaisesRegex(TypeError, r"ParetoNbd: params must be 4 numbers \(r, alpha, "
                                    r"s, beta\)"):
            ParetoNbd((1, 2, 3))
        with self.assertRaisesRegex(TypeError, "ParetoNbd: s must be a real number, not str"):
            ParetoNbd((1, 2, "3", 4))

    def test_rows(self):
        good = ([0, 2, 1], [0, 30.43, 1.71], [38.86, 38.86, 38.86])
        cases = [((NAN, 30.43, 38.86), libcs.NonFiniteError, "x"),
                 ((2, NAN, 38.86), libcs.NonFiniteError, "t_x"),
                 ((2, 30.43, math.inf), libcs.NonFiniteError, "T"),
                 ((2.5, 30.43, 38.86), libcs.DomainError, "x"),
                 ((-1, 30.43, 38.86), libcs.DomainError, "x"),
                 ((2, 40, 38.86), libcs.DomainError, "t_x"),
                 ((2, -1, 38.86), libcs.DomainError, "t_x"),
                 ((0, 1, 38.86), libcs.DomainError, "t_x"),
                 ((2, 0, -1), libcs.DomainError, "T")]
        for row, cls, arg in cases:
            cols = [list(c) for c in good]
            for c, v in zip(cols, row):
                c[1] = v
            for call in (lambda: self.pn.conditional(*cols, t=39),
                         lambda: self.pn.palive(*cols),
                         lambda: self.pn.clv(*cols, 10.0, 4, 13),
                         lambda: ParetoNbd.fit(*cols),
                         lambda: self.pn.loglik(*cols)):
                err = self.assertLibcsError(cls, call, argument=arg, index=1)
                want = row[["x", "t_x", "T"].index(arg)]
                self.assertTrue(err.value == want or math.isnan(err.value), err)
            self.assertLibcsError(cls, self.pn.conditional, *row, 39, argument=arg, index=None)
            self.assertLibcsError(cls, self.pn.palive, *row, argument=arg, index=None)
            self.assertLibcsError(cls, self.pn.clv, *row, 1, 1, 1, argument=arg, index=None)
        err = self.assertLibcsError(libcs.DomainError, self.pn.palive, [1, 2.5], 1, 3,
                                    argument="x", index=1)
        self.assertIn("ParetoNbd.palive: x[1] = 2.5", str(err))
        self.assertIn("whole number", str(err))

    def test_weights_empty_start(self):
        x, t_x, T = [0, 2, 1], [0, 30.43, 1.71], 38.86
        self.assertLibcsError(libcs.DomainError, ParetoNbd.fit, x, t_x, T, [1, -1, 1],
                              argument="weights", index=1)
        self.assertLibcsError(libcs.NonFiniteError, self.pn.loglik, x, t_x, T, [1, 1, NAN],
                              argument="weights", index=2)
        self.assertLibcsError(libcs.EmptyInputError, ParetoNbd.fit, [], [], [], argument="x")
        err = self.assertLibcsError(libcs.EmptyInputError, ParetoNbd.fit, x, t_x, T, 0.0,
                                    argument="weights")
        self.assertIn("every weight is 0", str(err))
        self.assertLibcsError(libcs.EmptyInputError, self.pn.loglik, [], [], [])
        self.assertLibcsError(libcs.EmptyInputError, self.pn.conditional, [], [], [], 3)
        self.assertLibcsError(libcs.EmptyInputError, self.pn.palive, [], [], [])
        self.assertLibcsError(libcs.EmptyInputError, self.pn.clv, [], [], [], 1, 1, 1)
        self.assertLibcsError(libcs.EmptyInputError, self.pn.simulate, [], 1)
        self.assertLibcsError(libcs.DomainError, ParetoNbd.fit, x, t_x, T, start=(1, 1, 0, 1),
                              argument="start", index=2)
        self.assertLibcsError(libcs.NonFiniteError, ParetoNbd.fit, x, t_x, T,
                              start=(NAN, 1, 1, 1), argument="start", index=0)

    def test_horizons_and_clv(self):
        pn = self.pn
        self.assertLibcsError(libcs.DomainError, pn.expected, -1, argument="t")
        self.assertLibcsError(libcs.NonFiniteError, pn.expected, NAN, argument="t")
        self.assertLibcsError(libcs.DomainError, pn.pmf, -1, 2, argument="t")
        self.assertLibcsError(libcs.NonFiniteError, pn.pmf, math.inf, 2, argument="t")
        self.assertLibcsError(libcs.DomainError, pn.conditional, 2, 1, 3, -1, argument="t")
        self.assertLibcsError(libcs.DomainError, pn.conditional, [2, 1], [1, 1], 3, -1,
                              argument="t", index=None)
        self.assertLibcsError(libcs.NonFiniteError, pn.conditional, [2, 1], [1, 1], 3, NAN,
                              argument="t", index=None)
        cols = ([2, 1], [30.43, 1.71], 38.86)
        self.assertLibcsError(libcs.DomainError, pn.clv, *cols, [10, -1], 4, 13,
                              argument="value", index=1)
        self.assertLibcsError(libcs.NonFiniteError, pn.clv, *cols, [10, NAN], 4, 13,
                              argument="value", index=1)
        self.assertLibcsError(libcs.DomainError, pn.clv, *cols, 10, 0, 13, argument="step",
                              index=None)
        self.assertLibcsError(libcs.DomainError, pn.clv, 2, 30.43, 38.86, 10, 4, 13, -1,
                              argument="discount")
        self.assertLibcsError(libcs.NonFiniteError, pn.clv, 2, 30.43, 38.86, 10, 4, 13, NAN,
                              argument="discount")
        self.assertLibcsError(libcs.DomainError, pn.simulate, [1, -1], 3, argument="T",
                              index=1)
        self.assertLibcsError(libcs.NonFiniteError, pn.simulate, [NAN, 1], 3, argument="T",
                              index=0)

    def test_types_and_lengths(self):
        pn = self.pn
        with self.assertRaisesRegex(TypeError, "ParetoNbd.conditional: x must be "):
            pn.conditional("2", 1, 3, 4)
        with self.assertRaisesRegex(TypeError, r"ParetoNbd.palive: t_x\[1\] must be a real "):
            pn.palive([1, 2], [1, "1"], 3)
        with self.assertRaisesRegex(TypeError, "at least one of x, t_x, T must be an array"):
            ParetoNbd.fit(1, 1, 3)
        with self.assertRaisesRegex(TypeError, "pmf: k must be an integer"):
            pn.pmf(1, 2.0)
        self.assertLibcsError(libcs.DomainError, pn.pmf, 1, -1, argument="k")
        with self.assertRaisesRegex(TypeError, "start must be None or 4 numbers"):
            ParetoNbd.fit([1], [1], 3, start=(1, 2))
        with self.assertRaisesRegex(TypeError, "seed must be an integer"):
            pn.simulate(39.0, seed=1.5, n=3)
        with self.assertRaisesRegex(TypeError, "give n"):
            pn.simulate(39.0, seed=1)
        with self.assertRaisesRegex(ValueError, "t_x has 3 elements but x has 2"):
            pn.conditional([1, 2], [1, 1, 1], 3, 4)
        with self.assertRaisesRegex(ValueError, "weights has 1 elements but x has 2"):
            ParetoNbd.fit([1, 2], [1, 1], 3, weights=[1])
        with self.assertRaisesRegex(ValueError, "T has 2 elements but n has 3"):
            pn.simulate([1, 2], seed=1, n=3)
        with self.assertRaises(TypeError):
            pn.palive(array.array("q", [1, 2]), [1, 1], 3)  # int64: not converted silently


class Models(TestCase2):
    def test_values_and_pickle(self):
        a = ParetoNbd(PUBLISHED)
        self.assertEqual(a, ParetoNbd(ParetoNbdParams(*PUBLISHED)))
        self.assertNotEqual(a, ParetoNbd((1, 1, 1, 1)))
        self.assertNotEqual(a, libcs.BgNbd(PUBLISHED))  # another model
        self.assertEqual(len({a, ParetoNbd(list(PUBLISHED))}), 1)
        self.assertEqual(repr(a), "ParetoNbd(ParetoNbdParams(r=0.553, alpha=10.578, s=0.606, "
                                  "beta=11.669))")
        self.assertEqual(eval(repr(a), vars(libcs)), a)
        self.assertIsNone(a.result)
        with self.assertRaises(AttributeError):
            a.params = PUBLISHED
        self.assertIs(copy.deepcopy(a), a)
        m = ParetoNbd.fit(*cdnow_summary()[1:])
        back = pickle.loads(pickle.dumps(m))
        self.assertEqual((back, back.result), (m, m.result))
        self.assertEqual(back.palive(2, 30.43, 38.86), m.palive(2, 30.43, 38.86))

    def test_not_converged(self):
        """A fit the library reports as not converged carries its result."""
        real = libcs._ffi.C.libcs_pnbd_fit

        def noconv(*args):
            rc = real(*args)
            args[-1]._obj.converged = 0
            return Status.ENOCONV if rc == 0 else rc

        libcs._ffi.C.libcs_pnbd_fit = noconv
        try:
            with self.assertRaises(libcs.NotConvergedError) as cm:
                ParetoNbd.fit([0, 2, 1, 3], [0, 30.43, 1.71, 20], 38.86)
        finally:
            libcs._ffi.C.libcs_pnbd_fit = real
        r = cm.exception.result
        self.assertEqual(cm.exception.function, "ParetoNbd.fit")
        self.assertIsInstance(r.params, ParetoNbdParams)
        self.assertIs(r.converged, False)
        self.assertIsInstance(ParetoNbd(r.params, r).expected(1), float)


class NewCustomerBatch(TestCase2):
    """The new customer's predictions over arrays: one call of the _batch
    twin, bit for bit the single calls."""
    pn = ParetoNbd(PUBLISHED)

    def test_expected_curve(self):
        ts = [0, 0.5, 1, 10, 39, 78, 1000]
        with spy("libcs_pnbd_expected_batch") as calls:
            got = self.pn.expected(ts)
        self.assertEqual(len(calls), 1)
        self.assertEqual(got.typecode, "d")
        self.assertEqual(list(got), [self.pn.expected(t) for t in ts])
        for g, t in zip(got[1:], ts[1:]):
            self.assertRel(g, expected_reference(PUBLISHED, 0, 0, t), 1e-12)

    def test_pmf_distribution(self):
        with spy("libcs_pnbd_pmf_batch") as calls:
            got = self.pn.pmf(39, range(30))
        self.assertEqual(len(calls), 1)
        self.assertEqual(list(got), [self.pn.pmf(39, k) for k in range(30)])
        got = self.pn.pmf([0, 1, 39], [0, 1, 5])
        self.assertEqual(list(got), [1.0, self.pn.pmf(1, 1), self.pn.pmf(39, 5)])

    def test_errors(self):
        pn = self.pn
        self.assertLibcsError(libcs.DomainError, pn.expected, [1, -1], argument="t", index=1)
        self.assertLibcsError(libcs.NonFiniteError, pn.pmf, [1, 2, NAN], 3, argument="t",
                              index=2)
        self.assertLibcsError(libcs.EmptyInputError, pn.pmf, [], [])
        out = array.array("d", [7.0] * 2)
        with self.assertRaises(libcs.DomainError):
            pn.expected([1, -1], out=out)
        self.assertEqual(list(out), [7.0] * 2)


if __name__ == "__main__":
    unittest.main()
