"""Probabilistic CLV: BG/NBD and Gamma-Gamma fitted to CDNOW reproduce the
published estimates, clv_summarize reproduces the published CDNOW summary,
clv_compress gives back the grouped donation data, predictions agree with
an independent computation and the batch calls with the scalar ones, the
simulators are reproducible and recoverable, every error path names its
argument and index, a fit that does not converge carries its result, and
models pickle.

Sources (see tests/test_bgnbd.c, test_gg.c and test_clvdata.c):
Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way" (BG/NBD
on CDNOW: r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4) and "RFM and
CLV" (Gamma-Gamma: p 6.25, q 3.74, gamma 15.44); Python lifetimes 0.11 on
the same files; predictions at the published parameters computed with
mpmath (50 digits) by the script in tests/test_bgnbd.c.

The data sets come from $LIBCS_DATA, which make check sets to
../shared/data; without it (or a file) the tests fail, never skip."""

import array
import copy
import csv
import datetime
import math
import os
import pickle
import unittest

import libcs
from libcs import (BgNbd, BgNbdParams, BgNbdSample, ClvFit, ClvRows, ClvSummary,
                   GammaGamma, GammaGammaParams, GammaGammaSample, Status)
from _support import TestCase, numpy, requires_numpy, spy

NAN = math.nan
FHL = (0.243, 4.414, 0.793, 2.426)           # BG/NBD, as published
FHL_GG = (6.25, 3.74, 15.44)                 # Gamma-Gamma, as published
LIFETIMES = (0.242593, 4.413532, 0.792886, 2.425752)
LIFETIMES_SE = (0.012557, 0.378221, 0.185719, 0.705345)


def data_path(name):
    """A reference data set: fails (not skips) when LIBCS_DATA or the file
    is missing."""
    top = os.environ.get("LIBCS_DATA")
    if not top:
        raise AssertionError("LIBCS_DATA is not set: it names the reference data sets "
                             "(make check sets it to ../shared/data; by hand: "
                             "LIBCS_DATA=/path/to/shared/data bindings/python/run-tests.sh)")
    path = os.path.join(top, name)
    if not os.path.isfile(path):
        raise AssertionError("%s: no such file (LIBCS_DATA=%s)" % (path, top))
    return path


def read_csv(name):
    with open(data_path(name), newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [[float(v) for v in row] for row in rows[1:] if row]


def cdnow_summary():
    """cdnow_customers_summary.csv: ID, x, t_x, T (weeks, 2 decimals)."""
    header, rows = read_csv("cdnow_customers_summary.csv")
    assert header == ["ID", "frequency", "recency", "T"], header
    cols = list(zip(*rows))
    return [array.array("d", c) for c in cols]


def cdnow_log():
    """CDNOW_sample.txt: customer ids, day numbers from 1997-01-01, dollars."""
    customer, day, amount = array.array("q"), array.array("d"), array.array("d")
    origin = datetime.date(1997, 1, 1).toordinal()
    with open(data_path("CDNOW_sample.txt")) as f:
        for line in f:
            if not line.strip():
                continue
            _, cid, date, _, dollars = line.split()
            d = datetime.date(int(date[:4]), int(date[4:6]), int(date[6:]))
            customer.append(int(cid))
            day.append(d.toordinal() - origin)
            amount.append(float(dollars))
    return customer, day, amount


CAL_END = datetime.date(1997, 9, 30).toordinal() - datetime.date(1997, 1, 1).toordinal()
HOLD_END = datetime.date(1998, 6, 30).toordinal() - datetime.date(1997, 1, 1).toordinal()

# the independent computation of tests/test_bgnbd.c, at FHL
EX_T = [0.5, 1, 10, 39, 52, 78, 1000]
EX_WANT = [0.027065046325092387, 0.05326789117165828, 0.43241336223442557,
           1.1967231933208168, 1.4460505953964037, 1.8605190579427685, 6.5803916137382322]
PMF_K = [0, 1, 2, 3, 4, 5, 10, 20]
PMF_T = [1, 39, 78]
PMF_WANT = [
    [0.95158879773314705, 0.044115066032177441, 3.8080968968084638e-3,
     4.2557123132320311e-4, 5.3879944817010797e-5, 7.3495665219014719e-6,
     5.9019499688074766e-10, 9.7614501837023686e-18],
    [0.57378635209600941, 0.19939528083591146, 0.085429759539060759,
     0.045860353847999725, 0.027671449335782196, 0.017965493866579044,
     3.5904295401896732e-3, 3.9869209414220939e-4],
    [0.49102772505852727, 0.21049426215015859, 0.09675429489604172,
     0.055046615521459094, 0.035035702277635007, 0.023940236634437679,
     6.1178230208274377e-3, 1.1098725696902121e-3]]
# x, t_x, T, P(alive), E[Y(t)] for t = 1, 39, 78
CUSTOMERS = [
    (0, 0, 38.86, 1.0, (5.5956578894840522e-3, 0.19509805201126264, 0.35748990970834901)),
    (2, 30.43, 38.86, 0.72657857008067291,
     (0.037447969741732263, 1.2260281747671444, 2.1509194923774143)),
    (1, 1.71, 38.86, 0.21210098537737908,
     (6.0629517982828935e-3, 0.20318698707975406, 0.36201079777872015)),
    (5, 36.14, 38.86, 0.85219499296713088,
     (0.10253951791394164, 3.2446451084443942, 5.5754951528912955)),
    (14, 37.86, 38.86, 0.93307972327688478,
     (0.30464869951722098, 9.3666967958250166, 15.844707949798329)),
    (3, 10, 38.86, 0.13637027109623721,
     (0.010156481172302476, 0.32746726514493119, 0.56901681942132106)),
    (7, 29.43, 32, 0.86213388809588633,
     (0.16999834366364842, 5.1518802982583353, 8.6592711332865419)),
    (1000, 10000, 10000, 0.99920875577094427,
     (0.099897108726700182, 3.8901450002012286, 7.7683527691021973)),
    (1000, 9000, 10000, 2.2595972119945648e-43,
     (2.2590597516432762e-44, 8.7971214683033891e-43, 1.7567248242645965e-42)),
]
CUSTOMER_T = [1, 39, 78]


class TestCase2(TestCase):
    def assertRel(self, got, want, tol, msg=None):
        self.assertLessEqual(abs(got - want), tol * abs(want),
                             "%s: %r, want %r (relative %g)" % (msg or "", got, want, tol))

# ---- CDNOW: the published fits ------------------------------------------------------


class CdnowBgNbd(TestCase2):
    @classmethod
    def setUpClass(cls):
        cls.ids, cls.x, cls.t_x, cls.T = cdnow_summary()
        cls.model = BgNbd.fit(cls.x, cls.t_x, cls.T)

    def test_published(self):
        m = self.model
        self.assertIsInstance(m.params, BgNbdParams)
        for got, want in zip(m.params, FHL):
            self.assertAlmostEqual(got, want, delta=0.0005)
        self.assertEqual([round(v, 3) for v in m.params], list(FHL))
        self.assertAlmostEqual(m.result.loglik, -9582.4, delta=0.05)
        self.assertEqual(round(m.result.loglik, 1), -9582.4)

    def test_result(self):
        r = self.model.result
        self.assertIsInstance(r, ClvFit)
        self.assertIs(r.converged, True)
        self.assertIs(r.se_status, Status.OK)
        self.assertGreater(r.iterations, 0)
        self.assertIsInstance(r.se, BgNbdParams)
        self.assertEqual(r.params, self.model.params)
        for got, want in zip(r.params, LIFETIMES):
            self.assertRel(got, want, 1e-5, "param")
        for got, want in zip(r.se, LIFETIMES_SE):
            self.assertRel(got, want, 1e-3, "se")
        self.assertEqual(r.se.r, r.se[0])

    def test_loglik(self):
        # mpmath, 50 digits, at the published parameters
        self.assertRel(BgNbd(FHL).loglik(self.x, self.t_x, self.T), -9582.4268311823647, 1e-11)
        self.assertRel(self.model.loglik(self.x, self.t_x, self.T), self.model.result.loglik,
                       1e-12)
        # the maximum
        for i in range(4):
            for f in (0.99, 1.01):
                p = list(self.model.params)
                p[i] *= f
                self.assertLess(BgNbd(p).loglik(self.x, self.t_x, self.T),
                                self.model.result.loglik)

    def test_weights_and_compression(self):
        rows = libcs.clv_compress(self.x, self.t_x, self.T)
        self.assertIsInstance(rows, ClvRows)
        self.assertEqual(sum(rows.weights), len(self.x))
        self.assertLess(len(rows.x), len(self.x))
        m = BgNbd.fit(*rows)
        for got, want in zip(m.params, self.model.params):
            self.assertRel(got, want, 1e-6)
        self.assertRel(m.result.loglik, self.model.result.loglik, 1e-9)
        self.assertRel(self.model.loglik(*rows), self.model.result.loglik, 1e-12)
        # weight 2 on every row: the same maximum, twice the log-likelihood
        m2 = BgNbd.fit(self.x, self.t_x, self.T, weights=2.0)
        for got, want in zip(m2.params, self.model.params):
            self.assertRel(got, want, 1e-5)
        self.assertRel(m2.result.loglik, 2 * self.model.result.loglik, 1e-8)

    def test_start(self):
        for start in (FHL, BgNbdParams(1, 1, 1, 1), [5, 50, 5, 50]):
            m = BgNbd.fit(self.x, self.t_x, self.T, start=start)
            for got, want in zip(m.params, self.model.params):
                self.assertRel(got, want, 1e-4)
        with spy("libcs_bgnbd_fit") as calls:
            BgNbd.fit(self.x, self.t_x, self.T, start=FHL)
        self.assertEqual(list(calls[0][5]), list(FHL))

    def test_from_the_log(self):
        """clv_summarize of CDNOW_sample.txt, then the fit."""
        s = libcs.clv_summarize(*cdnow_log(), period=1, time_scale=7, calibration_end=CAL_END)
        m = BgNbd.fit(s.x, s.t_x, s.T)
        self.assertEqual([round(v, 3) for v in m.params], list(FHL))
        self.assertEqual(round(m.result.loglik, 1), -9582.4)

    @requires_numpy
    def test_numpy(self):
        x, t_x, T = (numpy.asarray(c) for c in (self.x, self.t_x, self.T))
        m = BgNbd.fit(x, t_x, T)
        self.assertEqual(m.params, self.model.params)
        with spy("libcs_bgnbd_fit") as calls:
            BgNbd.fit(x, t_x, T)
        self.assertEqual(calls[0][1], x.__array_interface__["data"][0])  # zero-copy


class CdnowGammaGamma(TestCase2):
    @classmethod
    def setUpClass(cls):
        header, rows = read_csv("cdnow_customers_summary_with_transactions.csv")
        assert header == ["ID", "x", "t_x", "T", "zbar"], header
        buyers = [r for r in rows if r[1] > 0]
        cls.x = array.array("d", [r[1] for r in buyers])
        cls.m = array.array("d", [r[4] for r in buyers])
        cls.model = GammaGamma.fit(cls.x, cls.m)

    def test_published(self):
        self.assertEqual(len(self.x), 946)
        m = self.model
        self.assertIsInstance(m.params, GammaGammaParams)
        # the published digits; on this file (mean values rounded to cents)
        # gamma is 15.4477 (libcs_gg_fit(3); lifetimes: 15.45)
        for got, want in zip(m.params, FHL_GG):
            self.assertAlmostEqual(got, want, delta=0.008)
        self.assertEqual([round(v, 2) for v in m.params[:2]], list(FHL_GG[:2]))
        # tests/test_gg.c: the maximum on this file
        self.assertRel(m.params.p, 6.24880248971, 1e-6)
        self.assertRel(m.params.q, 3.74458845329, 1e-6)
        self.assertRel(m.params.gamma, 15.4477480095, 1e-6)
        self.assertRel(m.result.loglik, -4055.92324350286, 1e-9)
        self.assertIs(m.result.converged, True)
        self.assertIs(m.result.se_status, Status.OK)
        self.assertEqual([round(v, 2) for v in m.result.se], [1.19, 0.29, 4.16])

    def test_loglik(self):
        self.assertRel(self.model.loglik(self.x, self.m), self.model.result.loglik, 1e-12)
        for i in range(3):
            p = list(self.model.params)
            p[i] *= 1.02
            self.assertLess(GammaGamma(p).loglik(self.x, self.m), self.model.result.loglik)

    def test_currency_unit(self):
        """Cents instead of dollars: p and q unchanged, gamma 100 times
        larger, LL lower by n log 100."""
        cents = GammaGamma.fit(self.x, [100 * v for v in self.m])
        self.assertRel(cents.params.p, self.model.params.p, 1e-5)
        self.assertRel(cents.params.q, self.model.params.q, 1e-5)
        self.assertRel(cents.params.gamma, 100 * self.model.params.gamma, 1e-5)
        self.assertRel(cents.result.loglik,
                       self.model.result.loglik - len(self.x) * math.log(100), 1e-8)

    def test_from_the_log(self):
        s = libcs.clv_summarize(*cdnow_log(), period=1, time_scale=7, calibration_end=CAL_END)
        buyers = s.repeat_buyers()
        self.assertEqual(len(buyers.x), 946)
        self.assertTrue(all(v >= 1 for v in buyers.x))
        m = GammaGamma.fit(buyers.x, buyers.mean_value)
        self.assertEqual([round(v, 2) for v in m.params], list(FHL_GG))

    def test_expected(self):
        """The example of libcs_gg_fit(3) and Fader & Hardie's spreadsheet."""
        gg = GammaGamma(FHL_GG)
        x = [2, 1, 7, 1, 2, 20]
        m = [22.35, 11.77, 73.74, 11.77, 25.55, 41.20]
        want = [24.66, 18.92, 71.47, 18.92, 27.29, 41.07]
        got = gg.expected(x, m)
        self.assertEqual([round(v, 2) for v in got], want)
        self.assertEqual([gg.expected(a, b) for a, b in zip(x, m)], list(got))
        self.assertEqual(round(gg.loglik(x, m), 4), -25.0961)
        self.assertAlmostEqual(gg.expected(2, 22.35), 375.875 / 15.24, places=12)
        self.assertEqual(round(gg.population_mean, 2), 35.22)
        self.assertAlmostEqual(gg.population_mean, 6.25 * 15.44 / 2.74, places=12)

    def test_batch_equals_scalar(self):
        got = self.model.expected(self.x, self.m)
        self.assertEqual(len(got), len(self.x))
        for i in range(len(self.x)):
            self.assertEqual(got[i], self.model.expected(self.x[i], self.m[i]))


# ---- clv_summarize and clv_compress --------------------------------------------------


class Summarize(TestCase2):
    @classmethod
    def setUpClass(cls):
        cls.log = cdnow_log()
        cls.s = libcs.clv_summarize(*cls.log, period=1, time_scale=7, calibration_end=CAL_END)
        cls.h = libcs.clv_summarize(*cls.log, period=1, time_scale=7, calibration_end=CAL_END,
                                    holdout_end=HOLD_END)

    def test_reproduces_the_published_summary(self):
        s = self.s
        self.assertIsInstance(s, ClvSummary)
        self.assertEqual(len(self.log[0]), 6919)
        ids, x, t_x, T = cdnow_summary()
        self.assertEqual(len(s.id), 2357)
        for col in s:
            self.assertEqual(len(col), 2357)
        self.assertEqual((s.id.typecode, s.id.itemsize), (libcs._buffers.INT64.typecode, 8))
        self.assertEqual(list(s.id), [int(v) for v in ids])
        self.assertEqual(list(s.x), list(x))
        for i in range(2357):
            self.assertEqual(round(100 * s.t_x[i]), round(100 * t_x[i]), "t_x of %d" % s.id[i])
            self.assertEqual(round(100 * s.T[i]), round(100 * T[i]), "T of %d" % s.id[i])
        self.assertEqual(sum(s.x), 2457)                # FHL (2005)
        self.assertEqual(set(s.holdout_x), {0.0})
        self.assertEqual(set(s.holdout_value), {0.0})
        # a few rows exactly: customer 1 bought on days 0, 17 and 213
        self.assertEqual((s.id[0], s.x[0]), (1, 2.0))
        self.assertAlmostEqual(s.t_x[0], 213 / 7, places=14)
        self.assertAlmostEqual(s.T[0], 272 / 7, places=14)
        self.assertAlmostEqual(s.mean_value[0], (29.73 + 14.96) / 2, places=12)
        self.assertEqual((s.id[1], s.x[1], round(s.t_x[1], 2)), (2, 1.0, 1.71))
        self.assertEqual((s.id[-1], s.x[-1], s.t_x[-1], round(s.T[-1], 2)),
                         (2357, 0.0, 0.0, 27.0))

    def test_mean_values(self):
        _, rows = read_csv("cdnow_customers_summary_with_transactions.csv")
        zbar = {int(r[0]): r[4] for r in rows}
        for i in range(len(self.s.id)):
            if self.s.id[i] in zbar:
                self.assertLessEqual(abs(self.s.mean_value[i] - zbar[self.s.id[i]]),
                                     0.005 + 1e-9, "customer %d" % self.s.id[i])

    def test_holdout(self):
        h, s = self.h, self.s
        self.assertEqual(len(h.id), 2357)
        self.assertEqual(sum(h.holdout_x), 1882)
        self.assertAlmostEqual(sum(h.holdout_value), 70976.39, places=6)
        self.assertEqual((h.holdout_x[0], round(h.holdout_value[0], 2)), (1.0, 26.48))
        for name in ("id", "x", "t_x", "T", "mean_value"):
            self.assertEqual(getattr(h, name), getattr(s, name), name)

    def test_defaults(self):
        """calibration_end None: the latest time of the log; period and
        time_scale 1."""
        customer, day, amount = self.log
        latest = max(day)
        a = libcs.clv_summarize(customer, day, amount)
        b = libcs.clv_summarize(customer, day, amount, 1.0, 1.0, latest, latest)
        self.assertEqual(a, b)
        self.assertEqual(max(a.T), latest)

    def test_man_page_example(self):
        s = libcs.clv_summarize([101, 102, 101, 104, 103, 101, 106, 102, 102, 103, 101, 103],
                                [0, 3, 0, 35, 7, 14, 7, 24, 10, 40, 30, 41],
                                [20, 15, 5, 50, 40, 30, 22.5, 20, 10, 25, 12, 5],
                                period=1, time_scale=7, calibration_end=27, holdout_end=55)
        self.assertEqual(list(s.id), [101, 102, 103, 106])
        self.assertEqual(list(s.x), [1, 2, 0, 0])
        self.assertEqual(list(s.t_x), [2, 3, 0, 0])
        self.assertEqual([round(v, 4) for v in s.T], [3.8571, 3.4286, 2.8571, 2.8571])
        self.assertEqual(list(s.mean_value), [30, 15, 0, 0])
        self.assertEqual(list(s.holdout_x), [1, 0, 2, 0])
        self.assertEqual(list(s.holdout_value), [12, 0, 30, 0])
        rows = libcs.clv_compress(s.x, s.t_x, s.T)
        self.assertEqual(list(rows.x), [1, 2, 0])
        self.assertEqual(list(rows.weights), [1, 1, 2])
        buyers = s.repeat_buyers()
        self.assertEqual(list(buyers.id), [101, 102])
        self.assertEqual(buyers.id.typecode, s.id.typecode)

    def test_nobody_born(self):
        s = libcs.clv_summarize([1, 2], [5.0, 6.0], [1.0, 1.0], calibration_end=1.0)
        self.assertEqual(s, ClvSummary(array.array("q"), *(array.array("d") for _ in range(6))))

    def test_allocation(self):
        """n slots, one call, cut to the customers found."""
        with spy("libcs_clv_summarize") as calls:
            s = libcs.clv_summarize(*self.log, period=1, time_scale=7, calibration_end=CAL_END)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0][0], 6919)
        self.assertEqual(calls[0][8], 6919)  # cap
        self.assertEqual(s, self.s)

    @requires_numpy
    def test_numpy(self):
        customer, day, amount = (numpy.asarray(c) for c in self.log)
        s = libcs.clv_summarize(customer, day, amount, period=1, time_scale=7,
                                calibration_end=CAL_END)
        self.assertEqual(s.id.dtype, numpy.int64)
        self.assertEqual(s.x.dtype, numpy.float64)
        self.assertEqual(s.id.shape, (2357,))
        self.assertEqual(s.id.tolist(), list(self.s.id))
        self.assertEqual(s.t_x.tolist(), list(self.s.t_x))
        buyers = s.repeat_buyers()
        self.assertEqual(buyers.x.shape, (946,))
        self.assertEqual(libcs.clv_summarize(customer, day, amount).T.max(), max(self.log[1]))
        with self.assertRaises(TypeError):   # int32 ids are not converted silently
            libcs.clv_summarize(customer.astype(numpy.int32), day, amount)

    def test_donations(self):
        """The donor-level rows of donations.csv compress back to its 22
        weighted patterns."""
        header, rows = read_csv("donations.csv")
        self.assertEqual(header, ["frequency", "recency", "periods", "weights"])
        x, t_x, T = array.array("d"), array.array("d"), array.array("d")
        for f, r, n, w in rows:
            for _ in range(int(w)):
                x.append(f), t_x.append(r), T.append(n)
        self.assertEqual(len(x), 11104)
        got = libcs.clv_compress(x, t_x, T)
        self.assertEqual(sorted(zip(*got)), sorted(tuple(r) for r in rows))
        # and with weights: merging the patterns twice doubles them
        cols = list(zip(*rows))
        twice = libcs.clv_compress(cols[0] * 2, cols[1] * 2, cols[2] * 2, cols[3] * 2)
        self.assertEqual(list(twice.weights), [2 * w for w in cols[3]])
        # zero weights are dropped
        zero = libcs.clv_compress([1, 0], [1, 0], [2, 2], [0, 1])
        self.assertEqual((list(zero.x), list(zero.weights)), ([0.0], [1.0]))
        none = libcs.clv_compress([1, 0], [1, 0], [2, 2], [0, 0])
        self.assertEqual(len(none.x), 0)


# ---- predictions -------------------------------------------------------------------


class Predictions(TestCase2):
    bg = BgNbd(FHL)

    def test_expected(self):
        for t, want in zip(EX_T, EX_WANT):
            self.assertRel(self.bg.expected(t), want, 1e-11, "E[X(%g)]" % t)
        self.assertEqual(self.bg.expected(0), 0.0)

    def test_pmf(self):
        for t, row in zip(PMF_T, PMF_WANT):
            for k, want in zip(PMF_K, row):
                got = self.bg.pmf(t, k)
                self.assertLessEqual(abs(got - want), 1e-11 * want + 1e-16,
                                     "P(X(%g) = %d)" % (t, k))

    def test_palive_and_conditional(self):
        for x, t_x, T, palive, ey in CUSTOMERS:
            self.assertRel(self.bg.palive(x, t_x, T), palive, 1e-12)
            for t, want in zip(CUSTOMER_T, ey):
                self.assertRel(self.bg.conditional(x, t_x, T, t), want, 1e-11)
        cols = [array.array("d", c) for c in list(zip(*CUSTOMERS))[:3]]
        for j, t in enumerate(CUSTOMER_T):
            got = self.bg.conditional(*cols, t=t)
            for i, c in enumerate(CUSTOMERS):
                self.assertRel(got[i], c[4][j], 1e-11)
        got = self.bg.palive(*cols)
        self.assertEqual(list(got), [self.bg.palive(*c[:3]) for c in CUSTOMERS])

    def test_batch_equals_scalar_on_cdnow(self):
        _, x, t_x, T = cdnow_summary()
        value = array.array("d", [10.0 + i % 7 for i in range(len(x))])
        with spy("libcs_bgnbd_conditional_batch") as calls:
            got = self.bg.conditional(x, t_x, T, 39)
        self.assertEqual(len(calls), 1)
        self.assertEqual(got.typecode, "d")
        for i in range(len(x)):  # the batch shares its series: equal to rounding
            self.assertRel(got[i], self.bg.conditional(x[i], t_x[i], T[i], 39), 1e-13)
        got = self.bg.palive(x, t_x, T)
        self.assertEqual(list(got), [self.bg.palive(x[i], t_x[i], T[i]) for i in range(len(x))])
        got = self.bg.clv(x, t_x, T, value, 4, 13, 0.01)
        self.assertEqual(list(got), [self.bg.clv(x[i], t_x[i], T[i], value[i], 4, 13, 0.01)
                                     for i in range(len(x))])

    def test_clv(self):
        bg, x, tx, T, v = self.bg, 2, 30.43, 38.86, 25.0
        e1, e2 = bg.conditional(x, tx, T, 13), bg.conditional(x, tx, T, 26)
        self.assertRel(bg.clv(x, tx, T, v, step=13, steps=2, discount=0.05),
                       v * (e1 / 1.05 + (e2 - e1) / 1.05 ** 2), 1e-14)
        e52 = bg.conditional(x, tx, T, 52)
        self.assertRel(bg.clv(x, tx, T, v, 1, 52), v * e52, 1e-13)
        self.assertRel(bg.clv(0, 0, 0, v, 4, 13), v * bg.expected(52), 1e-13)
        self.assertEqual(bg.clv(x, tx, T, v, 4, 0, 0.01), 0.0)
        # a number for everyone, and per-customer values
        got = bg.clv([2, 2], [30.43, 30.43], 38.86, [25.0, 50.0], 4, 13, 0.01)
        self.assertRel(got[1], 2 * got[0], 1e-15)
        self.assertEqual(got[0], bg.clv(x, tx, T, v, 4, 13, 0.01))

    def test_out(self):
        out = array.array("d", [NAN] * 3)
        got = self.bg.conditional([0, 2, 1], [0, 30.43, 1.71], 38.86, 39, out=out)
        self.assertIs(got, out)
        self.assertRel(out[1], CUSTOMERS[1][4][1], 1e-11)
        gg = GammaGamma(FHL_GG)
        out2 = bytearray(16)
        gg.expected([2, 1], [22.35, 11.77], out=memoryview(out2).cast("d"))
        self.assertEqual(round(memoryview(out2).cast("d")[0], 2), 24.66)
        with self.assertRaises(ValueError):
            self.bg.palive([1, 2], [1, 1], 3, out=array.array("d", [0.0]))
        # nothing is written on error
        out = array.array("d", [7.0, 7.0])
        with self.assertRaises(libcs.DomainError):
            self.bg.palive([1, 2], [1, 4], 3, out=out)
        self.assertEqual(list(out), [7.0, 7.0])

    @requires_numpy
    def test_numpy(self):
        x = numpy.array([0.0, 2.0, 1.0])
        t_x = numpy.array([0.0, 30.43, 1.71])
        got = self.bg.conditional(x, t_x, 38.86, 39)
        self.assertIsInstance(got, numpy.ndarray)
        self.assertEqual(got.dtype, numpy.float64)
        self.assertRel(got[1], CUSTOMERS[1][4][1], 1e-11)
        got = GammaGamma(FHL_GG).expected(numpy.array([2.0, 1.0]), [22.35, 11.77])
        self.assertIsInstance(got, numpy.ndarray)
        # a strided column works (copied once)
        wide = numpy.zeros((3, 2))
        wide[:, 0] = x
        self.assertEqual(list(self.bg.palive(wide[:, 0], t_x, 38.86)),
                         list(self.bg.palive(x, t_x, 38.86)))
        # a scalar numpy value is a number
        self.assertEqual(self.bg.expected(numpy.float64(39)), self.bg.expected(39))
        with self.assertRaises(TypeError):
            self.bg.palive(x.astype(numpy.float32), t_x, 38.86)

    def test_a_equal_one(self):
        bg = BgNbd((0.243, 4.414, 1.0, 2.426))
        got = bg.conditional([2, 0], [30.43, 0], 38.86, 39)
        self.assertEqual(got[0], bg.conditional(2, 30.43, 38.86, 39))
        self.assertGreater(bg.expected(39), 0)


# ---- simulation --------------------------------------------------------------------


class Simulate(TestCase2):
    def test_bgnbd(self):
        bg = BgNbd(FHL)
        a = bg.simulate(39.0, seed=2026, n=1000)
        self.assertIsInstance(a, BgNbdSample)
        self.assertEqual(a, bg.simulate([39.0] * 1000, 2026))
        self.assertEqual(list(a.T), [39.0] * 1000)
        self.assertNotEqual(a.x, bg.simulate(39.0, seed=2027, n=1000).x)
        for x, t_x, T in zip(*a):
            self.assertEqual(x, math.floor(x))
            self.assertTrue(0 <= t_x <= T)
            self.assertTrue(x > 0 or t_x == 0)
        # the mean count is E[X(39)]
        big = bg.simulate(39.0, seed=1, n=40000)
        self.assertAlmostEqual(sum(big.x) / 40000, bg.expected(39), delta=0.05)
        bg.loglik(*big)  # the simulated rows are valid input

    def test_bgnbd_recovery(self):
        truth = BgNbd((0.5, 5.0, 0.8, 3.0))
        T = [20.0 + i % 30 for i in range(8000)]
        m = BgNbd.fit(*truth.simulate(T, seed=7))
        for got, want, se in zip(m.params, truth.params, m.result.se):
            self.assertLess(abs(got - want), 4 * se, (got, want, se))

    def test_gamma_gamma(self):
        truth = GammaGamma((6, 4, 15))
        x = [1 + i % 4 for i in range(2000)]
        s = truth.simulate(x, seed=2026)
        self.assertIsInstance(s, GammaGammaSample)
        self.assertEqual(list(s.x), [float(v) for v in x])
        self.assertEqual(s, truth.simulate(array.array("d", x), 2026))
        self.assertTrue(all(v > 0 for v in s.mean_value))
        m = GammaGamma.fit(*s)
        # the example of libcs_gg_fit(3)
        self.assertEqual([round(v, 2) for v in m.params], [5.54, 4.36, 18.07])
        self.assertEqual([round(v, 2) for v in m.result.se], [0.76, 0.25, 3.5])
        self.assertEqual(round(m.result.loglik, 2), -8197.62)
        for got, want, se in zip(m.params, truth.params, m.result.se):
            self.assertLess(abs(got - want), 2 * se)
        one = truth.simulate(3, seed=5, n=4)
        self.assertEqual(list(one.x), [3.0] * 4)
        GammaGamma((2, 0.9, 10)).simulate(1, seed=1, n=10)  # q <= 1 is allowed

    @requires_numpy
    def test_numpy(self):
        T = numpy.full(50, 39.0)
        s = BgNbd(FHL).simulate(T, seed=3)
        self.assertIsInstance(s.x, numpy.ndarray)
        self.assertIs(s.T, T)
        self.assertEqual(s.x.tolist(), list(BgNbd(FHL).simulate(39.0, seed=3, n=50).x))


# ---- errors ------------------------------------------------------------------------


class Errors(TestCase2):
    bg = BgNbd(FHL)
    gg = GammaGamma(FHL_GG)

    def test_params(self):
        self.assertLibcsError(libcs.DomainError, BgNbd, (0.243, 4.414, 0.793, 0),
                              argument="b", index=None)
        self.assertLibcsError(libcs.NonFiniteError, BgNbd, (NAN, 4.414, 0.793, 2.426),
                              argument="r")
        self.assertLibcsError(libcs.DomainError, GammaGamma, (6, -4, 15), argument="q")
        self.assertLibcsError(libcs.NonFiniteError, GammaGamma, (6, 4, math.inf),
                              argument="gamma")
        with self.assertRaisesRegex(TypeError, "4 numbers"):
            BgNbd((1, 2, 3))
        with self.assertRaisesRegex(TypeError, "BgNbd: alpha must be a real number, not str"):
            BgNbd((1, "2", 3, 4))
        with self.assertRaises(TypeError):
            GammaGamma(5)
        with self.assertRaises(TypeError):
            BgNbd(FHL, result="fit")
        GammaGamma((2, 0.9, 10))  # q <= 1 is a model; its expectations are undefined

    def test_types(self):
        with self.assertRaisesRegex(TypeError, "BgNbd.conditional: x must be "):
            self.bg.conditional("2", 1, 3, 4)
        with self.assertRaisesRegex(TypeError, "BgNbd.conditional: t_x must be a number or an "
                                    "array, not None"):
            self.bg.conditional(2, None, 3, 4)
        with self.assertRaisesRegex(TypeError, "BgNbd.fit: T must be a number or an array"):
            BgNbd.fit([1, 2], [1, 2], None)
        with self.assertRaisesRegex(TypeError, r"BgNbd.fit: T must be an array"):
            BgNbd.fit([1, 2], [1, 2], "3")
        with self.assertRaisesRegex(TypeError, r"BgNbd.palive: x\[1\] must be a real number"):
            self.bg.palive([1, "2"], 1, 3)
        with self.assertRaisesRegex(TypeError, "at least one of x, t_x, T must be an array"):
            BgNbd.fit(1, 1, 3)
        with self.assertRaisesRegex(TypeError, "pmf: k must be an integer"):
            self.bg.pmf(1, 2.0)
        self.assertLibcsError(libcs.DomainError, self.bg.pmf, 1, -1, argument="k")
        self.assertLibcsError(libcs.DomainError, self.bg.clv, 1, 1, 3, 10, 1, -1,
                              argument="steps")
        with self.assertRaisesRegex(TypeError, "int64_t"):
            libcs.clv_summarize(array.array("d", [1, 2]), [0, 1], [1, 1])
        with self.assertRaisesRegex(TypeError, "start must be None or 4 numbers"):
            BgNbd.fit([1], [1], 3, start=(1, 2))
        with self.assertRaisesRegex(TypeError, r"start\[1\] must be a real number"):
            GammaGamma.fit([1], [1], start=(1, None, 3))
        with self.assertRaisesRegex(TypeError, "seed must be an integer"):
            self.bg.simulate(39.0, seed=1.5, n=3)
        self.assertLibcsError(libcs.DomainError, self.bg.simulate, 39.0, -1, 3, argument="seed")
        with self.assertRaisesRegex(TypeError, "give n"):
            self.bg.simulate(39.0, seed=1)

    def test_lengths(self):
        with self.assertRaisesRegex(ValueError, "t_x has 3 elements but x has 2"):
            self.bg.conditional([1, 2], [1, 1, 1], 3, 4)
        with self.assertRaisesRegex(ValueError, "weights has 1 elements but x has 2"):
            BgNbd.fit([1, 2], [1, 1], 3, weights=[1])
        with self.assertRaisesRegex(ValueError, "mean_value has 1 elements"):
            GammaGamma.fit([1, 2], [3])
        with self.assertRaisesRegex(ValueError, "amount has 1 elements"):
            libcs.clv_summarize([1, 2], [0, 1], [1])
        with self.assertRaisesRegex(ValueError, "T has 2 elements but n has 3"):
            self.bg.simulate([1, 2], seed=1, n=3)

    def test_rows(self):
        """Each rule of a BG/NBD row, in the batch (with the index), the
        scalar call, the fit and the log-likelihood (the index found by the
        binding)."""
        good = ([0, 2, 1], [0, 30.43, 1.71], [38.86, 38.86, 38.86])
        cases = [  # row 1 replaced: error, argument
            ((NAN, 30.43, 38.86), libcs.NonFiniteError, "x"),
            ((2, math.inf, 38.86), libcs.NonFiniteError, "t_x"),
            ((2, 30.43, NAN), libcs.NonFiniteError, "T"),
            ((2.5, 30.43, 38.86), libcs.DomainError, "x"),        # x not whole
            ((-1, 30.43, 38.86), libcs.DomainError, "x"),
            ((2e15, 30.43, 38.86), libcs.DomainError, "x"),
            ((2, 40, 38.86), libcs.DomainError, "t_x"),           # t_x > T
            ((2, -1, 38.86), libcs.DomainError, "t_x"),
            ((0, 1, 38.86), libcs.DomainError, "t_x"),            # x = 0, t_x > 0
            ((2, 0, -1), libcs.DomainError, "T"),
        ]
        for row, cls, arg in cases:
            cols = [list(c) for c in good]
            for c, v in zip(cols, row):
                c[1] = v
            calls = [lambda: self.bg.conditional(*cols, t=39),
                     lambda: self.bg.palive(*cols),
                     lambda: self.bg.clv(*cols, 10.0, 4, 13),
                     lambda: BgNbd.fit(*cols),
                     lambda: self.bg.loglik(*cols)]
            if row[0] != 2e15:  # clv_compress(3) sets no upper bound on x
                calls.append(lambda: libcs.clv_compress(*cols))
            for call in calls:
                err = self.assertLibcsError(cls, call, argument=arg, index=1)
                self.assertTrue(err.value == row[["x", "t_x", "T"].index(arg)] or
                                math.isnan(err.value), err)
            self.assertLibcsError(cls, self.bg.conditional, *row, 39, argument=arg, index=None)
            self.assertLibcsError(cls, self.bg.palive, *row, argument=arg, index=None)
        err = self.assertLibcsError(libcs.DomainError, self.bg.conditional, [1, 2.5], 1, 3, 4,
                                    argument="x", index=1)
        self.assertIn("x[1] = 2.5", str(err))
        self.assertIn("whole number", str(err))

    def test_weights(self):
        x, t_x, T = [0, 2, 1], [0, 30.43, 1.71], 38.86
        self.assertLibcsError(libcs.DomainError, BgNbd.fit, x, t_x, T, [1, -1, 1],
                              argument="weights", index=1)
        self.assertLibcsError(libcs.NonFiniteError, BgNbd.fit, x, t_x, T, [1, 1, NAN],
                              argument="weights", index=2)
        self.assertLibcsError(libcs.NonFiniteError, self.bg.loglik, x, t_x, T, [NAN, 1, 1],
                              argument="weights", index=0)
        self.assertLibcsError(libcs.DomainError, libcs.clv_compress, x, t_x, T, [1, 1, -2],
                              argument="weights", index=2)
        self.assertLibcsError(libcs.DomainError, GammaGamma.fit, [1, 2], [3, 4], [-1, 1],
                              argument="weights", index=0)
        # a bad row before a bad weight: the row
        self.assertLibcsError(libcs.DomainError, BgNbd.fit, [0, 2.5, 1], t_x, T, [-1, 1, 1],
                              argument="weights", index=0)
        self.assertLibcsError(libcs.DomainError, BgNbd.fit, [0, 2.5, 1], t_x, T, [1, 1, -1],
                              argument="x", index=1)

    def test_empty(self):
        self.assertLibcsError(libcs.EmptyInputError, BgNbd.fit, [], [], [], argument="x")
        err = self.assertLibcsError(libcs.EmptyInputError, BgNbd.fit, [1, 0], [1, 0], 3,
                                    [0, 0], argument="weights")
        self.assertIn("every weight is 0", str(err))
        self.assertLibcsError(libcs.EmptyInputError, GammaGamma.fit, [], [], argument="x")
        self.assertLibcsError(libcs.EmptyInputError, self.bg.loglik, [], [], [])
        self.assertLibcsError(libcs.EmptyInputError, self.gg.loglik, [], [])
        self.assertLibcsError(libcs.EmptyInputError, self.bg.conditional, [], [], [], 3)
        self.assertLibcsError(libcs.EmptyInputError, self.bg.palive, [], [], [])
        self.assertLibcsError(libcs.EmptyInputError, self.bg.clv, [], [], [], 1, 1, 1)
        self.assertLibcsError(libcs.EmptyInputError, self.gg.expected, [], [])
        self.assertLibcsError(libcs.EmptyInputError, self.bg.simulate, [], 1)
        self.assertLibcsError(libcs.EmptyInputError, self.gg.simulate, [], 1)
        self.assertLibcsError(libcs.EmptyInputError, libcs.clv_summarize, [], [], [],
                              argument="customer")
        self.assertLibcsError(libcs.EmptyInputError, libcs.clv_compress, [], [], [])

    def test_start(self):
        x, t_x, T = [0, 2, 1], [0, 30.43, 1.71], 38.86
        self.assertLibcsError(libcs.DomainError, BgNbd.fit, x, t_x, T, start=(1, 1, 0, 1),
                              argument="start", index=2)
        self.assertLibcsError(libcs.NonFiniteError, BgNbd.fit, x, t_x, T,
                              start=(NAN, 1, 1, 1), argument="start", index=0)
        self.assertLibcsError(libcs.DomainError, GammaGamma.fit, [1, 2], [3, 4],
                              start=(1, -1, 1), argument="start", index=1)
        # the start is checked before the rows
        self.assertLibcsError(libcs.DomainError, BgNbd.fit, [2.5], [1], 3, start=(1, 1, 0, 1),
                              argument="start")

    def test_horizons(self):
        bg = self.bg
        self.assertLibcsError(libcs.DomainError, bg.expected, -1, argument="t")
        self.assertLibcsError(libcs.NonFiniteError, bg.expected, NAN, argument="t")
        self.assertLibcsError(libcs.DomainError, bg.pmf, -1, 2, argument="t")
        self.assertLibcsError(libcs.DomainError, bg.conditional, 2, 1, 3, -1, argument="t")
        # one t for all: no index
        self.assertLibcsError(libcs.DomainError, bg.conditional, [2, 1], [1, 1], 3, -1,
                              argument="t", index=None)
        self.assertLibcsError(libcs.NonFiniteError, bg.conditional, [2, 1], [1, 1], 3, NAN,
                              argument="t", index=None)
        with self.assertRaisesRegex(TypeError, "t must be a real number"):
            bg.conditional([2, 1], [1, 1], 3, [39, 40])
        # a horizon too long for the series
        err = self.assertLibcsError(libcs.NotConvergedError, bg.expected, 1e7, argument=None)
        self.assertIsNone(err.result)
        self.assertLibcsError(libcs.NotConvergedError, bg.conditional, [0, 1000], [0, 10000],
                              1e4, 1e9)

    def test_clv_arguments(self):
        bg = self.bg
        cols = ([2, 1], [30.43, 1.71], 38.86)
        self.assertLibcsError(libcs.DomainError, bg.clv, *cols, [10, -1], 4, 13,
                              argument="value", index=1)
        self.assertLibcsError(libcs.NonFiniteError, bg.clv, *cols, [10, NAN], 4, 13,
                              argument="value", index=1)
        self.assertLibcsError(libcs.DomainError, bg.clv, *cols, 10, 0, 13,
                              argument="step", index=None)
        self.assertLibcsError(libcs.NonFiniteError, bg.clv, *cols, 10, math.inf, 13,
                              argument="step", index=None)
        self.assertLibcsError(libcs.DomainError, bg.clv, *cols, 10, 4, 13, -1,
                              argument="discount", index=None)
        self.assertLibcsError(libcs.DomainError, bg.clv, 2, 30.43, 38.86, 10, 4, 13, -1.5,
                              argument="discount")
        self.assertLibcsError(libcs.DomainError, bg.clv, 2, 30.43, 38.86, -10, 4, 13,
                              argument="value")

    def test_gamma_gamma_rows(self):
        gg = self.gg
        for x, m, cls, arg in [(0, 5, libcs.DomainError, "x"), (1.5, 5, libcs.DomainError, "x"),
                               (NAN, 5, libcs.NonFiniteError, "x"),
                               (2, 0, libcs.DomainError, "mean_value"),
                               (2, -3, libcs.DomainError, "mean_value"),
                               (2, math.inf, libcs.NonFiniteError, "mean_value")]:
            if x != 0:  # expected takes x = 0 (the population mean)
                self.assertLibcsError(cls, gg.expected, x, m, argument=arg, index=None)
                self.assertLibcsError(cls, gg.expected, [1, x], [5, m], argument=arg, index=1)
            self.assertLibcsError(cls, GammaGamma.fit, [1, 2, x], [5, 5, m], argument=arg,
                                  index=2)
            self.assertLibcsError(cls, gg.loglik, [x, 2], [m, 5], argument=arg, index=0)
        # a one-time buyer: the population mean, its mean value ignored but >= 0
        self.assertEqual(gg.expected(0, 0.0), gg.population_mean)
        self.assertEqual(list(gg.expected([0, 0], [7.0, 0.0])), [gg.population_mean] * 2)
        self.assertLibcsError(libcs.DomainError, gg.expected, 0, -1.0, argument="mean_value",
                              index=None)
        self.assertLibcsError(libcs.DomainError, gg.expected, [0, 0], [1.0, -1.0],
                              argument="mean_value", index=1)
        self.assertLibcsError(libcs.DomainError, gg.expected, -1, 5.0, argument="x",
                              index=None)
        err = self.assertLibcsError(libcs.DomainError, gg.simulate, [1, 0], 1, argument="x",
                                    index=1)
        self.assertIn("leave them out", str(err))

    def test_q_at_most_one(self):
        heavy = GammaGamma((2, 0.9, 10))
        err = self.assertLibcsError(libcs.UndefinedResultError, heavy.expected, 1, 10.0,
                                    argument="q", index=None)
        self.assertEqual(err.value, 0.9)
        self.assertIsInstance(err, ArithmeticError)
        self.assertLibcsError(libcs.UndefinedResultError, heavy.expected, [1, 2], [10, 20],
                              argument="q", index=None)
        self.assertLibcsError(libcs.UndefinedResultError, GammaGamma((2, 1, 10)).expected,
                              1, 10.0, argument="q")
        with self.assertRaises(libcs.UndefinedResultError):
            heavy.population_mean
        # a bad row is reported before q
        self.assertLibcsError(libcs.DomainError, heavy.expected, [1, -1], [10, 20],
                              argument="x", index=1)
        # x = 0 is a valid row: q <= 1 again
        self.assertLibcsError(libcs.UndefinedResultError, heavy.expected, [1, 0], [10, 20],
                              argument="q", index=None)

    def test_summarize(self):
        c, t, a = [1, 2, 1], [0, 1, 2], [10, 20, 30]
        self.assertLibcsError(libcs.NonFiniteError, libcs.clv_summarize, c, [0, NAN, 2], a,
                              argument="time", index=1)
        self.assertLibcsError(libcs.NonFiniteError, libcs.clv_summarize, c, t, [1, 2, NAN],
                              argument="amount", index=2)
        self.assertLibcsError(libcs.DomainError, libcs.clv_summarize, c, t, [1, -2, 3],
                              argument="amount", index=1)
        self.assertLibcsError(libcs.DomainError, libcs.clv_summarize, c, t, a, period=0,
                              argument="period", index=None)
        self.assertLibcsError(libcs.DomainError, libcs.clv_summarize, c, t, a, time_scale=-7,
                              argument="time_scale")
        self.assertLibcsError(libcs.NonFiniteError, libcs.clv_summarize, c, t, a,
                              calibration_end=NAN, argument="calibration_end")
        self.assertLibcsError(libcs.DomainError, libcs.clv_summarize, c, t, a,
                              calibration_end=2, holdout_end=1, argument="holdout_end")
        # two repeat transactions of 1e308: their total is too large
        self.assertLibcsError(libcs.NumericOverflowError, libcs.clv_summarize, [1, 1, 1], t,
                              [1e308, 1e308, 1e308])

    def test_simulate(self):
        self.assertLibcsError(libcs.DomainError, self.bg.simulate, [1, -1], 3, argument="T",
                              index=1)
        self.assertLibcsError(libcs.NonFiniteError, self.bg.simulate, [NAN, 1], 3,
                              argument="T", index=0)

    def test_loglik_not_finite(self):
        """Valid rows and parameters near the limits of a double: no
        argument is at fault (libcs_bgnbd_loglik reports LIBCS_ENONFINITE,
        libcs_gg_loglik LIBCS_EOVERFLOW)."""
        bg = BgNbd((1e308, 1e-308, 1e308, 1e-308))
        with self.assertRaises((libcs.NonFiniteError, libcs.NumericOverflowError)) as cm:
            bg.loglik([1, 0, 5], [1, 0, 2], [3, 3, 3])
        self.assertEqual((cm.exception.argument, cm.exception.index), (None, None))

    def test_errors_pickle(self):
        try:
            self.bg.conditional([1, 2.5], 1, 3, 4)
        except libcs.DomainError as e:
            err = e
        back = pickle.loads(pickle.dumps(err))
        self.assertEqual((type(back), str(back), back.index), (type(err), str(err), 1))


class NotConverged(TestCase2):
    """Mean values that do not vary: the Gamma-Gamma likelihood has no
    maximum (q grows without bound) and the fit ends without meeting its
    gradient test (LIBCS_ENOCONV, with the result filled)."""

    def test_result_carried(self):
        x, m = [1, 2, 3, 1, 2] * 40, [5.0] * 200
        with self.assertRaises(libcs.NotConvergedError) as cm:
            GammaGamma.fit(x, m)
        err = cm.exception
        self.assertEqual(err.code, Status.ENOCONV)
        self.assertEqual(err.function, "GammaGamma.fit")
        r = err.result
        self.assertIsInstance(r, ClvFit)
        self.assertIsInstance(r.params, GammaGammaParams)
        self.assertIs(r.converged, False)
        self.assertGreater(r.iterations, 0)
        self.assertIn(".result", str(err))
        model = GammaGamma(r.params, r)  # a model of the best point found
        self.assertIs(model.result, r)
        back = pickle.loads(pickle.dumps(err))
        self.assertEqual(back.result.params, r.params)
        self.assertIs(back.result.converged, False)

    def test_through_the_binding(self):
        """A BG/NBD fit the library reports as not converged."""
        real = libcs._ffi.C.libcs_bgnbd_fit

        def noconv(*args):
            rc = real(*args)
            args[-1]._obj.converged = 0
            return Status.ENOCONV if rc == 0 else rc

        libcs._ffi.C.libcs_bgnbd_fit = noconv
        try:
            with self.assertRaises(libcs.NotConvergedError) as cm:
                BgNbd.fit([0, 2, 1, 3], [0, 30.43, 1.71, 20], 38.86)
        finally:
            libcs._ffi.C.libcs_bgnbd_fit = real
        r = cm.exception.result
        self.assertIsInstance(r.params, BgNbdParams)
        self.assertIs(r.converged, False)
        self.assertTrue(all(v > 0 for v in r.params))


# ---- models as values ----------------------------------------------------------------


class Models(TestCase2):
    def test_pickle(self):
        _, x, t_x, T = cdnow_summary()
        bg = BgNbd.fit(x, t_x, T)
        for model in (bg, BgNbd(FHL), GammaGamma(FHL_GG)):
            back = pickle.loads(pickle.dumps(model))
            self.assertEqual(back, model)
            self.assertIs(type(back), type(model))
            self.assertEqual(back.params, model.params)
            self.assertEqual(hash(back), hash(model))
        back = pickle.loads(pickle.dumps(bg))
        self.assertEqual(back.result, bg.result)
        self.assertEqual(back.conditional(2, 30.43, 38.86, 39), bg.conditional(2, 30.43, 38.86, 39))
        self.assertIs(copy.deepcopy(bg), bg)  # immutable

    def test_values(self):
        a, b = BgNbd(FHL), BgNbd(BgNbdParams(*FHL))
        self.assertEqual(a, b)
        self.assertNotEqual(a, BgNbd((1, 1, 1, 1)))
        self.assertNotEqual(a, FHL)
        self.assertEqual(len({a, b}), 1)
        self.assertEqual(repr(a), "BgNbd(BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426))")
        self.assertEqual(eval(repr(a), vars(libcs)), a)
        self.assertIsNone(a.result)
        self.assertEqual(a.params.alpha, 4.414)
        with self.assertRaises(AttributeError):
            a.params = FHL
        with self.assertRaises(AttributeError):
            a.extra = 1
        self.assertEqual(GammaGamma([6, 4, 15]).params, GammaGammaParams(6.0, 4.0, 15.0))
        self.assertIsInstance(GammaGamma([6, 4, 15]).params.p, float)

    def test_params_by_name(self):
        """BgNbd(r=..., alpha=..., a=..., b=...), as Ruby's keywords, beside the
        tuple form; validated by the library the same way."""
        self.assertEqual(BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426), BgNbd(FHL))
        self.assertEqual(BgNbd(b=2.426, a=0.793, alpha=4.414, r=0.243).params, BgNbdParams(*FHL))
        self.assertEqual(GammaGamma(p=6, q=4, gamma=15).params, GammaGammaParams(6.0, 4.0, 15.0))
        self.assertEqual(libcs.ParetoNbd(r=1, alpha=2, s=3, beta=4).params.s, 3.0)
        self.assertEqual(libcs.BgBb(alpha=1, beta=2, gamma=3, delta=4).params.delta, 4.0)
        self.assertEqual(libcs.ShiftedBetaGeometric(alpha=1, beta=2), libcs.ShiftedBetaGeometric((1, 2)))
        with self.assertRaisesRegex(TypeError, "by name are r, alpha, a, b, not a, alpha, r"):
            BgNbd(r=1, alpha=1, a=1)
        with self.assertRaisesRegex(TypeError, "not both"):
            BgNbd(FHL, r=1, alpha=1, a=1, b=1)
        with self.assertRaises(TypeError):
            BgNbd(r=1, alpha=1, a=1, b=1, s=1)
        self.assertLibcsError(libcs.NonFiniteError, BgNbd, r=math.nan, alpha=1, a=1, b=1,
                              argument="r")
        self.assertLibcsError(libcs.DomainError, GammaGamma, p=1, q=2, gamma=-1, argument="gamma")

    def test_params_passed_once(self):
        """The model's parameters are one C array, read in place."""
        bg = BgNbd(FHL)
        with spy("libcs_bgnbd_palive_batch") as calls:
            bg.palive([1, 2], [1, 1], 3)
        self.assertEqual(list(calls[0][0]), list(FHL))
        self.assertEqual(calls[0][1], 2)


# ---- the new customer's predictions over arrays (the _batch twins) ---------------------


class NewCustomerBatch(TestCase2):
    bg = BgNbd(FHL)

    def test_expected_curve(self):
        with spy("libcs_bgnbd_expected_batch") as calls:
            got = self.bg.expected(EX_T)
        self.assertEqual(len(calls), 1)
        self.assertEqual(got.typecode, "d")
        for g, want in zip(got, EX_WANT):
            self.assertRel(g, want, 1e-11)
        # bit for bit the single calls
        self.assertEqual(list(got), [self.bg.expected(t) for t in EX_T])
        self.assertEqual(list(self.bg.expected(array.array("d", [0, 39]))),
                         [0.0, self.bg.expected(39)])

    def test_pmf_distribution(self):
        with spy("libcs_bgnbd_pmf_batch") as calls:
            got = self.bg.pmf(39, range(25))
        self.assertEqual(len(calls), 1)
        self.assertEqual(list(got), [self.bg.pmf(39, k) for k in range(25)])
        # t and k both arrays, and k as uint32 buffer
        ts = [t for t in PMF_T for _ in PMF_K]
        ks = array.array("I", [k for _ in PMF_T for k in PMF_K])
        got = self.bg.pmf(ts, ks)
        for i, want in enumerate(w for row in PMF_WANT for w in row):
            self.assertLessEqual(abs(got[i] - want), 1e-11 * want + 1e-16)
        self.assertEqual(list(got), [self.bg.pmf(t, k) for t, k in zip(ts, ks)])

    def test_out_and_numpy(self):
        out = array.array("d", [NAN] * 3)
        self.assertIs(self.bg.expected([1, 10, 39], out=out), out)
        self.assertEqual(list(out), [self.bg.expected(t) for t in (1, 10, 39)])
        # nothing is written on error
        out = array.array("d", [7.0] * 3)
        with self.assertRaises(libcs.DomainError):
            self.bg.pmf([1, -1, 2], 0, out=out)
        self.assertEqual(list(out), [7.0] * 3)
        if numpy is not None:
            got = self.bg.pmf(numpy.array([1.0, 39.0]), numpy.array([0, 3], dtype=numpy.uint32))
            self.assertIsInstance(got, numpy.ndarray)
            self.assertEqual(list(got), [self.bg.pmf(1, 0), self.bg.pmf(39, 3)])

    def test_errors(self):
        bg = self.bg
        self.assertLibcsError(libcs.DomainError, bg.expected, [1, -1, 3], argument="t", index=1)
        self.assertLibcsError(libcs.NonFiniteError, bg.expected, [1, 2, NAN], argument="t",
                              index=2)
        self.assertLibcsError(libcs.DomainError, bg.pmf, [1, -1], [0, 1], argument="t", index=1)
        self.assertLibcsError(libcs.DomainError, bg.pmf, 1, [0, -1], argument="k", index=1)
        self.assertLibcsError(libcs.NotConvergedError, bg.expected, [1, 1e7], index=1)
        self.assertLibcsError(libcs.EmptyInputError, bg.expected, [])
        self.assertLibcsError(libcs.EmptyInputError, bg.pmf, [], 0)
        with self.assertRaisesRegex(ValueError, "k has 3 elements but t has 2"):
            bg.pmf([1, 2], [0, 1, 2])


if __name__ == "__main__":
    unittest.main()
