"""MRR ledgers: the hand-worked data set of tests/test_mrr.c (movements under
every reactivation window, rates with each denominator, cohorts, capped
GRR), the capped GRR against any base and its series, the examples of the man pages, merging, serialization (the golden
bytes) and pickling, every error path with its argument and index,
duplicates with their customer and period, zero-copy records, a random data
set against a reference written here, and the handle's life cycle."""

import array
import copy
import gc
import math
import pickle
import random
import sys
import threading
import unittest
from unittest import mock

import libcs
from libcs import (ChurnDenominator, MrrCohorts, MrrLedger, MrrPeriod, MrrRate, MrrRates,
                   Status, mrr_rates)
from _support import TestCase, numpy, requires_numpy, spy

NA = math.nan
I64_MAX, I64_MIN = 2**63 - 1, -2**63
I32_MAX, I32_MIN = 2**31 - 1, -2**31

# ---- the hand-worked data set (tests/test_mrr.c) -----------------------------
#
# Periods 100..106 (P0..P6).  MRR per customer ('.' = no record, '0' = an
# explicit zero record):
#
#   customer          P0   P1   P2   P3   P4   P5   P6
#   A = 1001         100  150  150  120  120  120  120   expansion, contraction
#   B = 42           200  200    0    .    .    .    .   churn by a 0 record
#   C = -5           300    .    .  250  250    .    .   churn by absence, back
#                                                        after a gap of 2
#   D = INT64_MAX      .   80   80    .    .    .   90   back after a gap of 3
#   E = INT64_MIN      0    0  500  700  700  400  400   zero records first
#   F = 7              .    .    .    .   60    .    .   churn after its last record
#   G = 0             50    0    0   50    .    .    .   0 records, back after a gap of 2
#
# The arithmetic of every expected number is in tests/test_mrr.c.
FIRST, NP = 100, 7
A, B, C, D, E, F, G = 1001, 42, -5, I64_MAX, I64_MIN, 7, 0
HAND = [
    (E, 104, 700), (A, 101, 150), (G, 102, 0), (D, 106, 90),
    (B, 100, 200), (C, 103, 250), (A, 106, 120), (E, 100, 0),
    (F, 104, 60), (A, 100, 100), (G, 100, 50), (E, 106, 400),
    (B, 102, 0), (D, 101, 80), (A, 103, 120), (E, 102, 500),
    (C, 100, 300), (G, 103, 50), (A, 105, 120), (E, 101, 0),
    (D, 102, 80), (A, 102, 150), (E, 105, 400), (C, 104, 250),
    (B, 101, 200), (G, 101, 0), (A, 104, 120), (E, 103, 700),
]
# period, start, new, expansion, contraction, churned, reactivation, end;
# customers: start, new, churned, reactivated, end
HAND_ANY = [
    (100, 0, 650, 0, 0, 0, 0, 650, 0, 4, 0, 0, 4),
    (101, 650, 80, 50, 0, 350, 0, 430, 4, 1, 2, 0, 3),
    (102, 430, 500, 0, 0, 200, 0, 730, 3, 1, 1, 0, 3),
    (103, 730, 0, 200, 30, 80, 300, 1120, 3, 0, 1, 2, 4),
    (104, 1120, 60, 0, 0, 50, 0, 1130, 4, 1, 1, 0, 4),
    (105, 1130, 0, 0, 300, 310, 0, 520, 4, 0, 2, 0, 2),
    (106, 520, 0, 0, 0, 0, 90, 610, 2, 0, 0, 1, 3),
]
# K = 2: D (gap 3) is new business in P6
HAND_K2 = HAND_ANY[:6] + [(106, 520, 90, 0, 0, 0, 0, 610, 2, 1, 0, 0, 3)]
# K = 1 and K = 0: C and G (gap 2) new in P3 too
HAND_K1 = HAND_ANY[:3] + [(103, 730, 300, 200, 30, 80, 0, 1120, 3, 2, 1, 0, 4)] + \
    HAND_ANY[4:6] + HAND_K2[6:]

# rates with the start denominator (NA: undefined, with EUNDEFINED)
HAND_RATES = [
    (NA, NA, NA, NA, NA, NA, 650 / 4),
    (2 / 4, 350 / 650, 300 / 650, 350 / 650, 300 / 650, 130 / 350, 430 / 3),
    (1 / 3, 200 / 430, 200 / 430, 230 / 430, 230 / 430, 500 / 200, 730 / 3),
    (1 / 3, 110 / 730, -390 / 730, 1120 / 730, 620 / 730, 500 / 110, 1120 / 4),
    (1 / 4, 50 / 1120, 50 / 1120, 1070 / 1120, 1070 / 1120, 60 / 50, 1130 / 4),
    (2 / 4, 610 / 1130, 610 / 1130, 520 / 1130, 520 / 1130, 0 / 610, 520 / 2),
    (0 / 2, 0 / 520, -90 / 520, 610 / 520, 520 / 520, NA, 610 / 3),
]
HAND_CHURN_SPN = [0.0, 2 / 5, 1 / 4, 1 / 5, 1 / 5, 2 / 4, 0.0]
HAND_CHURN_AVG = [0.0, 4 / 7, 1 / 3, 2 / 7, 1 / 4, 2 / 3, 0.0]

# cohorts (rows = cohorts P0..P6, columns = periods since; -1 / NA: not observable)
U = -1
HAND_COH_CUST = [
    [4, 2, 1, 3, 2, 1, 1], [1, 1, 0, 0, 0, 1, U], [1, 1, 1, 1, 1, U, U],
    [0, 0, 0, 0, U, U, U], [1, 0, 0, U, U, U, U], [0, 0, U, U, U, U, U],
    [0, U, U, U, U, U, U]]
HAND_COH_REV = [
    [650, 350, 150, 420, 370, 120, 120], [80, 80, 0, 0, 0, 90, U],
    [500, 700, 700, 400, 400, U, U], [0, 0, 0, 0, U, U, U],
    [60, 0, 0, U, U, U, U], [0, 0, U, U, U, U, U], [0, U, U, U, U, U, U]]
HAND_COH_CS = [
    [4 / 4, 2 / 4, 1 / 4, 3 / 4, 2 / 4, 1 / 4, 1 / 4], [1, 1, 0, 0, 0, 1, NA],
    [1, 1, 1, 1, 1, NA, NA], [NA] * 7, [1, 0, 0, NA, NA, NA, NA], [NA] * 7, [NA] * 7]
HAND_COH_RS = [
    [650 / 650, 350 / 650, 150 / 650, 420 / 650, 370 / 650, 120 / 650, 120 / 650],
    [80 / 80, 80 / 80, 0, 0, 0, 90 / 80, NA],
    [500 / 500, 700 / 500, 700 / 500, 400 / 500, 400 / 500, NA, NA],
    [NA] * 7, [60 / 60, 0, 0, NA, NA, NA, NA], [NA] * 7, [NA] * 7]
HAND_CAPPED = [None, 300 / 650, 230 / 430, 620 / 730, 1070 / 1120, 520 / 1130, 1.0]

# the ledger of the man pages: customers 1 to 4, months 1 to 5, cents
MAN_CUSTOMER = [1, 2, 4, 1, 2, 3, 4, 1, 3, 4, 1, 3, 4, 1, 2, 4]
MAN_MONTH = [1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5]
MAN_MRR = [10000, 20000, 8000, 10000, 20000, 30000, 0, 15000, 25000, 8000, 15000, 0, 8000,
           15000, 20000, 12000]

# libcs_mrr_new(3)'s format: periods -3..1, window 2, two records
GOLDEN = bytes([
    0x43, 0x53, 0x4D, 0x52, 1, 0, 0, 0,
    0xFD, 0xFF, 0xFF, 0xFF,
    0x05, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
    0x02, 0, 0, 0, 0, 0, 0, 0,
    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
    0xFF, 0xFF, 0xFF, 0xFF,
    0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x00, 0x00,
    0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0x01, 0x00, 0x00, 0x00,
    0, 0, 0, 0, 0, 0, 0, 0,
])


def columns(records):
    c, p, v = zip(*records) if records else ((), (), ())
    return list(c), list(p), list(v)


def hand_ledger(window=None, chunks=(5, 0, 9, 1, 13)):
    ledger = MrrLedger(FIRST, NP, window)
    at = 0
    for k in chunks:
        ledger.add(*columns(HAND[at:at + k]))
        at += k
    assert at == len(HAND) and len(ledger) == len(HAND)
    return ledger


def golden_ledger():
    ledger = MrrLedger(-3, 5, reactivation_window=2)
    ledger.add([0x0102030405060708, -2], [-1, 1], [0x1122334455, 0])
    return ledger


def same(a, b):
    return (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)) \
        or a == b


def reference_movements(records, first, n_periods, window):
    """The movements by their definitions, on a dense customer x period
    table walked one period at a time (independent of the library)."""
    table = {}
    for c, p, v in records:
        table.setdefault(c, {})[p - first] = v
    t = [[0] * 8 for _ in range(n_periods)]  # new exp con churn react n_new n_churn n_react
    for history in table.values():
        last_active, before = -1, 0
        for p in range(n_periods):
            now = history.get(p, 0)
            if before == 0 and now > 0:
                gap = p - last_active - 1
                if last_active >= 0 and (window < 0 or gap <= window):
                    t[p][4] += now
                    t[p][7] += 1
                else:
                    t[p][0] += now
                    t[p][5] += 1
            elif before > 0 and now == 0:
                t[p][3] += before
                t[p][6] += 1
            elif now > before:
                t[p][1] += now - before
            elif now < before:
                t[p][2] += before - now
            if now > 0:
                last_active = p
            before = now
    rows, mrr, cust = [], 0, 0
    for p in range(n_periods):
        new, exp, con, churn, react, n_new, n_churn, n_react = t[p]
        end = mrr + new + exp - con - churn + react
        cend = cust + n_new - n_churn + n_react
        rows.append(MrrPeriod(first + p, mrr, new, exp, con, churn, react, end,
                              cust, n_new, n_churn, n_react, cend))
        mrr, cust = end, cend
    return rows


def random_records(seed, n_customers, n_periods, first=0):
    """Customers who start at random, churn, change, leave and come back; a
    period without MRR gets an explicit 0 record 1 time in 4."""
    rng = random.Random(seed)
    records = []
    for k in range(n_customers):
        cid = rng.randrange(-2**63, 2**63) if k % 7 == 0 else k * 1000003
        active = rng.random() < 0.3
        v = rng.randrange(1, 10**6)
        for p in range(n_periods):
            r = rng.random()
            if active:
                if r < 0.1:
                    active = False
                elif r < 0.2:
                    v = rng.randrange(1, 10**6)
                elif r < 0.25:
                    v += rng.randrange(1, 1000)
            elif r < 0.15:
                active, v = True, rng.randrange(1, 10**9)
            if active:
                records.append((cid, first + p, v))
            elif rng.random() < 0.25:
                records.append((cid, first + p, 0))
    rng.shuffle(records)
    return records


class Hand(TestCase):
    def test_movements(self):
        rows = hand_ledger().movements()
        self.assertIsInstance(rows, tuple)
        self.assertTrue(all(isinstance(r, MrrPeriod) for r in rows))
        self.assertEqual(rows, tuple(MrrPeriod(*r) for r in HAND_ANY))
        self.assertEqual(rows[3].reactivation, 300)
        self.assertEqual(rows[3]._fields, MrrPeriod._fields)
        self.assertEqual(len(MrrPeriod._fields), 13)
        for r in rows:
            self.assertEqual(r.mrr_end, r.mrr_start + r.new_mrr + r.expansion - r.contraction
                             - r.churned + r.reactivation)
            self.assertEqual(r.customers_end, r.customers_start + r.customers_new
                             - r.customers_churned + r.customers_reactivated)

    def test_any_order_any_chunks_any_buffer(self):
        want = tuple(MrrPeriod(*r) for r in HAND_ANY)
        ledger = MrrLedger(FIRST, NP)
        ledger.add(*columns(HAND))
        self.assertEqual(ledger.movements(), want)
        rng = random.Random(1)
        for trial in range(20):
            recs = list(HAND)
            rng.shuffle(recs)
            ledger = MrrLedger(FIRST, NP)
            at = 0
            while at < len(recs):
                k = min(rng.randrange(6), len(recs) - at)
                c, p, v = columns(recs[at:at + k])
                if trial % 3 == 1:
                    c, p, v = array.array("q", c), array.array("i", p), array.array("q", v)
                elif trial % 3 == 2:
                    c, p, v = tuple(c), iter(p), (x for x in v)
                ledger.add(c, p, v)
                at += k
            self.assertEqual(ledger.movements(), want)

    def test_windows(self):
        cases = [(None, HAND_ANY), (-1, HAND_ANY), (libcs.MRR_ANY_GAP, HAND_ANY),
                 (I32_MAX, HAND_ANY), (4, HAND_ANY), (3, HAND_ANY), (2, HAND_K2),
                 (1, HAND_K1), (0, HAND_K1)]
        for window, want in cases:
            ledger = hand_ledger(window)
            self.assertEqual(ledger.movements(), tuple(MrrPeriod(*r) for r in want), window)
            self.assertEqual(ledger.reactivation_window, None if window in (None, -1) else window)
        # the window can be changed after the records are in
        ledger = hand_ledger()
        ledger.set_reactivation_window(0)
        self.assertEqual(ledger.movements(), tuple(MrrPeriod(*r) for r in HAND_K1))
        ledger.reactivation_window = None
        self.assertEqual(ledger.movements(), tuple(MrrPeriod(*r) for r in HAND_ANY))
        ledger.reactivation_window = 2
        self.assertEqual(ledger.movements()[6], MrrPeriod(*HAND_K2[6]))
        ledger.set_reactivation_window(None)
        self.assertIsNone(ledger.reactivation_window)

    def test_gap_window_rule(self):
        """One customer pays 10 in P0, is inactive for `gap` periods (absent,
        or with 0 records), returns with 20: a reactivation exactly when
        gap <= K (or K is any gap)."""
        for zeros in (False, True):
            for gap in range(1, 5):
                for k in range(-1, 6):
                    ledger = MrrLedger(0, 8, k)
                    recs = [(1, 0, 10)] + ([(1, p, 0) for p in range(1, gap + 1)] if zeros else [])
                    recs.append((1, gap + 1, 20))
                    ledger.add(*columns(recs))
                    rows = ledger.movements()
                    react = k == -1 or gap <= k
                    back = rows[gap + 1]
                    self.assertEqual((rows[1].churned, rows[1].customers_churned), (10, 1))
                    self.assertEqual((back.reactivation, back.customers_reactivated,
                                      back.new_mrr, back.customers_new),
                                     (20, 1, 0, 0) if react else (0, 0, 20, 1), (zeros, gap, k))
                    if gap + 2 < 8:
                        self.assertEqual(rows[gap + 2].churned, 20)

    def test_empty_ledger_and_zero_records(self):
        ledger = MrrLedger(-1, 3)
        zero = tuple(MrrPeriod(p, *[0] * 12) for p in (-1, 0, 1))
        self.assertEqual(ledger.movements(), zero)
        self.assertEqual(len(ledger), 0)
        ledger.add([1, 1, 2], [-1, 1, 0], [0, 0, 0])
        self.assertEqual(ledger.movements(), zero)

    def test_int32_edges(self):
        for f in (I32_MAX - 2, I32_MIN, -1):
            ledger = MrrLedger(f, 3)
            ledger.add([1, 2, 1], [f + 2, f + 1, f], [7, 3, 5])
            self.assertEqual(ledger.movements(), (
                MrrPeriod(f, 0, 5, 0, 0, 0, 0, 5, 0, 1, 0, 0, 1),
                MrrPeriod(f + 1, 5, 3, 0, 0, 5, 0, 3, 1, 1, 1, 0, 1),
                MrrPeriod(f + 2, 3, 0, 0, 0, 3, 7, 7, 1, 0, 1, 1, 1)))
            self.assertEqual(ledger.capped_grr(f + 2), 0.0)
            self.assertEqual((ledger.first_period, ledger.last_period, ledger.n_periods),
                             (f, f + 2, 3))
            self.assertEqual(list(ledger.periods), [f, f + 1, f + 2])

    def test_man_page_movements(self):
        """libcs_mrr_movements(3): its table, then C's March record twice."""
        ledger = MrrLedger(1, 5)
        customer = [4, 1, 2, 3, 1, 2, 4, 1, 3, 4, 1, 3, 4, 2, 1, 4]
        mrr = [8000, 10000, 20000, 30000, 10000, 20000, 0, 15000, 25000, 8000, 15000, 0, 8000,
               20000, 15000, 12000]
        ledger.add(customer, MAN_MONTH, mrr)

        def show(r):
            return ("%5d %6.0f %5.0f %5.0f %5.0f %5.0f %5.0f %6.0f  %d +%d -%d +%d = %d"
                    % (r.period, r.mrr_start / 100, r.new_mrr / 100, r.expansion / 100,
                       r.contraction / 100, r.churned / 100, r.reactivation / 100,
                       r.mrr_end / 100, r.customers_start, r.customers_new,
                       r.customers_churned, r.customers_reactivated, r.customers_end))
        self.assertEqual([show(r) for r in ledger.movements()], [
            "    1      0   380     0     0     0     0    380  0 +3 -0 +0 = 3",
            "    2    380   300     0     0    80     0    600  3 +1 -1 +0 = 3",
            "    3    600     0    50    50   200    80    480  3 +0 -1 +1 = 3",
            "    4    480     0     0     0   250     0    230  3 +0 -1 +0 = 2",
            "    5    230     0    40     0     0   200    470  2 +0 -0 +1 = 3"])
        ledger.reactivation_window = 1
        rows = ledger.movements()
        self.assertEqual(show(rows[4]), "    5    230   200    40     0     0     0    470  2 +1 -0 +0 = 3")
        ledger.reactivation_window = 0
        self.assertEqual(show(ledger.movements()[2]),
                         "    3    600    80    50    50   200     0    480  3 +1 -1 +0 = 3")
        ledger.add([3], [3], [25000])
        err = self.assertLibcsError(libcs.DuplicateError, ledger.movements)
        self.assertEqual((err.customer, err.period), (3, 3))


class Rates(TestCase):
    def check_hand(self, rates):
        self.assertEqual(len(rates), NP)
        for p, r in enumerate(rates):
            self.assertIsInstance(r, MrrRates)
            self.assertEqual(r.period, FIRST + p)
            for k in MrrRate:
                want = HAND_RATES[p][k]
                if math.isnan(want):
                    self.assertTrue(math.isnan(r[1 + k]), (p, k))
                    self.assertEqual(r.status[k], Status.EUNDEFINED)
                    self.assertIn(k, r.undefined)
                else:
                    self.assertAlmostEqual(r[1 + k], want, delta=1e-15 * max(1, abs(want)))
                    self.assertEqual(r.status[k], Status.OK)
                    self.assertIsInstance(r.status[k], Status)
                    self.assertEqual(r.rate(k), r[1 + k])

    def test_hand_rates(self):
        ledger = hand_ledger()
        rates = ledger.rates(ChurnDenominator.START)
        self.check_hand(rates)
        self.assertEqual(rates[0].undefined, frozenset(MrrRate) - {MrrRate.ARPA})
        self.assertEqual(rates[6].undefined, {MrrRate.QUICK_RATIO})
        self.assertEqual(rates[3].undefined, frozenset())
        self.assertEqual((rates[3].nrr, rates[3].arpa), (1120 / 730, 1120 / 4))
        err = self.assertLibcsError(libcs.UndefinedResultError, rates[6].rate,
                                    MrrRate.QUICK_RATIO, argument="quick_ratio")
        self.assertIn("period 106", str(err))
        self.assertEqual(rates[6].quick_ratio != rates[6].quick_ratio, True)  # NaN
        # the same from the rows, through mrr_rates
        self.check_hand(mrr_rates(ledger.movements(), ChurnDenominator.START))
        self.check_hand(ledger.rates(denominator=0))
        spn = ledger.rates(ChurnDenominator.START_PLUS_NEW)
        avg = ledger.rates(ChurnDenominator.AVERAGE)
        for p in range(NP):
            self.assertAlmostEqual(spn[p].customer_churn, HAND_CHURN_SPN[p], delta=1e-15)
            self.assertAlmostEqual(avg[p].customer_churn, HAND_CHURN_AVG[p], delta=1e-15)
            self.assertEqual(spn[p].status[0], Status.OK)
            self.assertEqual(spn[p].status[1:], ledger.rates(0)[p].status[1:])
        # a suffix: each row stands alone
        one = mrr_rates(ledger.movements()[3:4], ChurnDenominator.START)
        self.assertEqual(one[0].nrr, 1120 / 730)

    def test_rates_are_the_foundation_functions(self):
        rows = hand_ledger(1).movements()
        for d in ChurnDenominator:
            for row, r in zip(rows, mrr_rates(rows, d)):
                calls = [
                    lambda: libcs.churn_customer(row.customers_start,
                                                 row.customers_new + row.customers_reactivated,
                                                 row.customers_churned, d),
                    lambda: libcs.revenue_churn_gross(row.mrr_start, row.churned, row.contraction),
                    lambda: libcs.revenue_churn_net(row.mrr_start, row.churned, row.contraction,
                                                    row.expansion, row.reactivation),
                    lambda: libcs.revenue_nrr(row.mrr_start, row.churned, row.contraction,
                                              row.expansion, row.reactivation),
                    lambda: libcs.revenue_grr(row.mrr_start, row.churned, row.contraction),
                    lambda: libcs.revenue_quick_ratio(row.new_mrr, row.expansion,
                                                      row.reactivation, row.churned,
                                                      row.contraction)]
                for k, call in enumerate(calls):
                    try:
                        want, code = call(), Status.OK
                    except libcs.Error as exc:
                        want, code = NA, exc.code
                    self.assertEqual(r.status[k], code)
                    self.assertTrue(same(r[1 + k], want), (row.period, k))

    def test_edge_rows(self):
        """Hand-made rows that make the foundation functions fail
        (tests/test_mrr.c: test_rates_edge_rows)."""
        zero = MrrPeriod(0, *[0] * 12)
        bad = dict(zero._asdict(), period=1, mrr_start=100, churned=150, mrr_end=-50,
                   customers_start=1, customers_churned=2, customers_end=-1)
        big = zero._replace(period=2, mrr_start=10, new_mrr=I64_MAX, expansion=I64_MAX,
                            reactivation=I64_MAX, churned=1, customers_new=I64_MAX,
                            customers_reactivated=1, customers_end=5, mrr_end=-1)
        ordinary = (7, 1000, 100, 50, 20, 30, 10, 1110, 10, 2, 1, 1, 12)
        r = mrr_rates([zero, bad, big, ordinary], ChurnDenominator.START)
        self.assertEqual(r[0].status, (Status.EUNDEFINED,) * 7)
        self.assertTrue(all(math.isnan(x) for x in r[0][1:8]))
        self.assertEqual(r[1].status[:5], (Status.EDOMAIN,) * 5)
        self.assertEqual((r[1].status[MrrRate.QUICK_RATIO], r[1].quick_ratio), (Status.OK, 0.0))
        self.assertNotEqual(r[1].status[MrrRate.ARPA], Status.OK)
        self.assertEqual(r[2].status[MrrRate.CUSTOMER_CHURN], Status.EOVERFLOW)
        self.assertEqual(r[2].status[MrrRate.QUICK_RATIO], Status.EOVERFLOW)
        self.assertEqual(r[2].status[MrrRate.ARPA], Status.EDOMAIN)
        self.assertLibcsError(libcs.NumericOverflowError, r[2].rate, MrrRate.CUSTOMER_CHURN)
        self.assertLibcsError(libcs.DomainError, r[1].rate, MrrRate.NRR, argument="nrr")
        for k, want in enumerate((0.1, 0.05, -0.01, 1.01, 0.95, 3.2, 92.5)):
            self.assertAlmostEqual(r[3][1 + k], want, delta=1e-15 * max(1, abs(want)))
            self.assertEqual(r[3].status[k], Status.OK)
        self.assertEqual([x.period for x in r], [0, 1, 2, 7])

    def test_errors(self):
        rows = hand_ledger().movements()
        for d in (-1, 3, 2**31 - 1):
            self.assertLibcsError(libcs.InvalidArgumentError, mrr_rates, rows, d,
                                  argument="denominator")
            self.assertLibcsError(libcs.InvalidArgumentError, hand_ledger().rates, d,
                                  argument="denominator")
        self.assertLibcsError(libcs.EmptyInputError, mrr_rates, [], ChurnDenominator.START)
        self.assertLibcsError(libcs.EmptyInputError, mrr_rates, (), 0)
        self.assertLibcsError(libcs.DomainError, mrr_rates, rows, 2**31, argument="denominator")
        with self.assertRaises(TypeError):
            mrr_rates(rows, 0.5)
        with self.assertRaises(TypeError):
            mrr_rates("rows", 0)
        with self.assertRaises(TypeError):
            mrr_rates(rows[0], 0)  # one row is not a sequence of rows
        with self.assertRaises(TypeError):
            mrr_rates([42], 0)
        with self.assertRaises(ValueError):
            mrr_rates([(1, 2, 3)], 0)  # too few fields
        with self.assertRaises(ValueError):
            mrr_rates([{"period": 1}], 0)
        with self.assertRaises(TypeError) as cm:
            mrr_rates([rows[0]._replace(churned=1.5)], 0)
        self.assertIn("periods[0].churned", str(cm.exception))
        err = self.assertLibcsError(libcs.DomainError, mrr_rates,
                                    [rows[0], rows[1]._replace(period=2**31)], 0)
        self.assertEqual(err.argument, "periods[1].period")
        with self.assertRaises(TypeError):
            hand_ledger().rates()  # the denominator is always explicit

    def test_rows_from_anywhere(self):
        """Partitions by customer: their rows add field by field, and the
        rates of the sums are the rates of the whole (libcs_mrr_movements(3))."""
        whole = hand_ledger()
        a, b = MrrLedger(FIRST, NP), MrrLedger(FIRST, NP)
        for c, p, v in HAND:
            (a if c in (A, C, E) else b).add([c], [p], [v])
        sums = [{f: (x.period if f == "period" else getattr(x, f) + getattr(y, f))
                 for f in MrrPeriod._fields} for x, y in zip(a.movements(), b.movements())]
        self.assertEqual([MrrPeriod(**s) for s in sums], list(whole.movements()))
        got, want = mrr_rates(sums, 1), whole.rates(1)
        self.assertTrue(all(same(x, y) for g, w in zip(got, want) for x, y in zip(g, w)))
        self.assertEqual(mrr_rates(whole._movements("test"), 1)[3], want[3])  # the C rows too


class Cohorts(TestCase):
    def check_hand(self, co):
        self.assertIsInstance(co, MrrCohorts)
        for got, want in zip(co, (HAND_COH_CUST, HAND_COH_REV, HAND_COH_CS, HAND_COH_RS)):
            self.assertEqual(len(got), NP)
            for i in range(NP):
                self.assertEqual(len(got[i]), NP)
                for j in range(NP):
                    g, w = got[i][j], want[i][j]
                    if isinstance(w, float) and math.isnan(w):
                        self.assertTrue(math.isnan(g), (i, j, g))
                    else:
                        self.assertEqual(g, w, (i, j))

    def test_hand_cohorts(self):
        co = hand_ledger().cohorts()
        self.assertEqual(co.customers, HAND_COH_CUST)
        self.assertEqual(co.revenue, HAND_COH_REV)
        self.check_hand(co)
        self.assertTrue(all(type(x) is int for row in co.customers for x in row))
        self.assertTrue(all(type(x) is float for row in co.revenue_share for x in row))
        # cohorts follow the first paying period, whatever the window
        self.check_hand(hand_ledger(0).cohorts())

    def test_man_page_cohorts(self):
        ledger = MrrLedger(1, 5)
        ledger.add(MAN_CUSTOMER, MAN_MONTH, MAN_MRR)
        co = ledger.cohorts()
        self.assertEqual(co.customers[0], [3, 2, 2, 2, 3])
        self.assertEqual(co.customers[1], [1, 1, 0, 0, -1])
        self.assertEqual(["%.1f" % (100 * s) for s in co.revenue_share[0]],
                         ["100.0", "78.9", "60.5", "60.5", "123.7"])
        self.assertEqual((co.revenue[0][2], co.revenue[0][0], round(100 * co.customer_share[0][2], 1)),
                         (23000, 38000, 66.7))

    def test_one_period(self):
        co = MrrLedger(5, 1).cohorts()
        self.assertEqual((co.customers, co.revenue), ([[0]], [[0]]))
        self.assertTrue(math.isnan(co.customer_share[0][0]) and math.isnan(co.revenue_share[0][0]))

    @requires_numpy
    def test_numpy_matrices(self):
        ledger = hand_ledger()
        co = ledger.cohorts(numpy=True)
        self.assertEqual([m.shape for m in co], [(NP, NP)] * 4)
        self.assertEqual([m.dtype.name for m in co], ["int64", "int64", "float64", "float64"])
        self.assertTrue(all(m.flags.c_contiguous and m.flags.owndata for m in co))
        self.assertEqual(co.customers.tolist(), HAND_COH_CUST)
        self.assertTrue(numpy.array_equal(co.revenue_share, numpy.array(HAND_COH_RS),
                                          equal_nan=True))
        self.check_hand(co)
        # the diagonals add up to each period's customers and MRR
        rows = ledger.movements()
        for q in range(NP):
            self.assertEqual(sum(co.customers[k, q - k] for k in range(q + 1)),
                             rows[q].customers_end)
            self.assertEqual(sum(co.revenue[k, q - k] for k in range(q + 1)), rows[q].mrr_end)

    def test_numpy_requested_but_missing(self):
        with mock.patch.dict(sys.modules, {"numpy": None}):
            with self.assertRaises(ImportError) as cm:
                hand_ledger().cohorts(numpy=True)
        self.assertIn("numpy=True needs numpy", str(cm.exception))


class CappedGrr(TestCase):
    def test_hand(self):
        ledger = hand_ledger()
        rates = ledger.rates(0)
        for p in range(1, NP):
            g = ledger.capped_grr(FIRST + p)
            self.assertAlmostEqual(g, HAND_CAPPED[p], delta=1e-15)
            self.assertEqual(g, rates[p].grr)
        self.assertAlmostEqual(hand_ledger(0).capped_grr(period=103), 620 / 730, delta=1e-15)

    def test_errors(self):
        ledger = hand_ledger()
        for p in (FIRST, FIRST - 1, FIRST + NP, I32_MIN, I32_MAX):
            err = self.assertLibcsError(libcs.DomainError, ledger.capped_grr, p, argument="period")
            self.assertEqual(err.value, p)
            self.assertIn("100..106", str(err))
        self.assertLibcsError(libcs.DomainError, ledger.capped_grr, 2**31, argument="period")
        with self.assertRaises(TypeError):
            ledger.capped_grr(101.0)
        # nobody active the period before
        ledger = MrrLedger(0, 4)
        self.assertLibcsError(libcs.UndefinedResultError, ledger.capped_grr, 1, argument="period")
        ledger.add([1, 2, 2], [1, 2, 3], [0, 10, 10])
        self.assertLibcsError(libcs.UndefinedResultError, ledger.capped_grr, 1)
        err = self.assertLibcsError(libcs.UndefinedResultError, ledger.capped_grr, 2)
        self.assertIn("no customer was active in period 1", str(err))
        self.assertEqual(ledger.capped_grr(3), 1.0)
        # duplicates are reported with their customer and period
        ledger.add([2], [2], [11])
        err = self.assertLibcsError(libcs.DuplicateError, ledger.capped_grr, 3)
        self.assertEqual((err.customer, err.period, err.function), (2, 2, "MrrLedger.capped_grr"))
        # the sum of MRR before overflows
        ledger = MrrLedger(0, 2)
        ledger.add([1, 2, 3], [0, 0, 0], [2**62, 2**62, 1])
        self.assertLibcsError(libcs.NumericOverflowError, ledger.capped_grr, 1)


# The year of tests/test_mrr.c (year_ledger) and libcs_mrr_capped_grr_since(3):
# months 0..12 from Y25; A 100 then 150 from month 6; B 400 then 250 from 8;
# C 300 in 0..4; D 500 in 3..11, 400 in 12; E 200 in 0..1, a 0 record in 2,
# 120 from 9; F a 0 record in 0, 70 from 10.  Annual capped GRR of month 12:
# (min(150, 100) + 250 + 0 + min(120, 200)) / (100 + 400 + 300 + 200) = 0.47.
Y25 = 2025 * 12


def year_ledger():
    c, p, v = [], [], []
    for m in range(13):
        rows = [(1, 100 if m <= 5 else 150), (2, 400 if m <= 7 else 250)]
        if m <= 4:
            rows.append((3, 300))
        if m >= 3:
            rows.append((4, 500 if m <= 11 else 400))
        if m <= 2 or m >= 9:
            rows.append((5, 200 if m <= 1 else 0 if m == 2 else 120))
        if m == 0 or m >= 10:
            rows.append((6, 0 if m == 0 else 70))
        for cust, mrr in rows:
            c.append(cust)
            p.append(Y25 + m)
            v.append(mrr)
    ledger = MrrLedger(Y25, 13)
    ledger.add(c, p, v)
    return ledger


class CappedGrrSince(TestCase):
    def test_hand(self):
        ledger = year_ledger()
        self.assertEqual(ledger.capped_grr_since(Y25, Y25 + 12), 0.47)
        self.assertEqual(ledger.capped_grr_since(base=Y25 + 11, period=Y25 + 12), 990 / 1090)
        self.assertEqual(ledger.capped_grr_since(Y25 + 3, Y25 + 12), 750 / 1300)
        self.assertEqual(ledger.capped_grr_since(Y25, Y25 + 6), 0.5)
        self.assertEqual(ledger.capped_grr_since(Y25 + 2, Y25 + 9), 350 / 800)
        annual = ledger.capped_grr_series(12)
        self.assertEqual(len(annual), 13)
        self.assertTrue(all(math.isnan(g) for g in annual[:12]))
        self.assertEqual(annual[12], 0.47)
        monthly = ledger.capped_grr_series(lookback=1)
        rates = ledger.rates(0)
        self.assertTrue(math.isnan(monthly[0]))
        for m in range(1, 13):
            self.assertEqual(monthly[m], ledger.capped_grr(Y25 + m))
            self.assertEqual(monthly[m], rates[m].grr)
        self.assertTrue(all(math.isnan(g) for g in ledger.capped_grr_series(13)))
        self.assertTrue(all(math.isnan(g) for g in ledger.capped_grr_series(I32_MAX)))

    def test_series_is_a_loop_of_since(self):
        rng = random.Random(6)
        ledger = MrrLedger(-2, 15, 1)
        c, p, v = [], [], []
        for cust in range(300):
            start, mrr = rng.randrange(15), rng.choice([100, 2500, 10**9])
            for q in range(start, 15):
                if rng.random() < 0.1:
                    mrr = 0 if mrr else rng.randrange(1, 5000)
                elif mrr and rng.random() < 0.2:
                    mrr = max(0, mrr + rng.randrange(-mrr, mrr))
                if mrr or rng.random() < 0.2:
                    c.append(cust * 7919)
                    p.append(-2 + q)
                    v.append(mrr)
        ledger.add(c, p, v)
        for lb in (1, 2, 5, 12, 14, 15):
            series = ledger.capped_grr_series(lb)
            for q in range(15):
                try:
                    want = ledger.capped_grr_since(-2 + q - lb, -2 + q)
                except (libcs.DomainError, libcs.UndefinedResultError):
                    want = NA
                self.assertTrue(series[q] == want or (math.isnan(series[q]) and math.isnan(want)),
                                (lb, q, series[q], want))

    def test_errors(self):
        ledger = year_ledger()
        for base, period in ((Y25, Y25), (Y25 + 5, Y25 + 4), (Y25 - 1, Y25 + 1),
                             (Y25, Y25 + 13), (I32_MIN, I32_MAX)):
            err = self.assertLibcsError(libcs.DomainError, ledger.capped_grr_since, base, period)
            self.assertIn("both in the ledger's periods 24300..24312", str(err))
        err = self.assertLibcsError(libcs.DomainError, ledger.capped_grr_since, Y25 - 1, Y25 + 1,
                                    argument="base")
        self.assertEqual(err.value, Y25 - 1)
        self.assertLibcsError(libcs.DomainError, ledger.capped_grr_since, Y25, Y25 + 13,
                              argument="period")
        self.assertLibcsError(libcs.DomainError, ledger.capped_grr_since, 2**31, Y25,
                              argument="base")
        with self.assertRaises(TypeError):
            ledger.capped_grr_since(Y25 + 0.0, Y25 + 1)
        for lb in (0, -1, I32_MIN):
            err = self.assertLibcsError(libcs.DomainError, ledger.capped_grr_series, lb,
                                        argument="lookback")
            self.assertEqual(err.value, lb)
        self.assertLibcsError(libcs.DomainError, ledger.capped_grr_series, 2**31,
                              argument="lookback")
        # nobody paying at the base: month 1 has only a 0 record
        small = MrrLedger(0, 4)
        small.add([1, 1, 2], [0, 1, 3], [10, 0, 5])
        err = self.assertLibcsError(libcs.UndefinedResultError, small.capped_grr_since, 1, 3,
                                    argument="base")
        self.assertIn("no customer paid in period 1", str(err))
        g = small.capped_grr_series(2)
        self.assertTrue(math.isnan(g[1]) and g[2] == 0.0 and math.isnan(g[3]))
        # duplicates name the first repeated record
        ledger.add([2, 6], [Y25 + 4, Y25], [400, 0])
        for call in (lambda: ledger.capped_grr_since(Y25, Y25 + 12),
                     lambda: ledger.capped_grr_series(12), lambda: ledger.capped_grr_series(13)):
            err = self.assertLibcsError(libcs.DuplicateError, call)
            self.assertEqual((err.customer, err.period), (2, Y25 + 4))
        self.assertEqual(err.function, "MrrLedger.capped_grr_series")
        # the MRR of a base period overflows
        big = MrrLedger(0, 3)
        big.add([1, 2, 3], [0, 0, 1], [2**62, 2**62, 1])
        self.assertLibcsError(libcs.NumericOverflowError, big.capped_grr_since, 0, 2)
        self.assertLibcsError(libcs.NumericOverflowError, big.capped_grr_series, 2)
        self.assertEqual(big.capped_grr_since(1, 2), 0.0)


class Merge(TestCase):
    def test_man_page_example(self):
        """libcs_mrr_new(3): two workers, one ships its ledger as bytes."""
        q1, q2 = MrrLedger(1, 5), MrrLedger(1, 5)
        q1.add(MAN_CUSTOMER[:10], MAN_MONTH[:10], MAN_MRR[:10])
        q2.add(MAN_CUSTOMER[10:13], MAN_MONTH[10:13], MAN_MRR[10:13])
        q2.add(MAN_CUSTOMER[13:], MAN_MONTH[13:], MAN_MRR[13:])
        buf = q2.to_bytes()
        self.assertEqual((len(buf), buf[:4], buf[4]), (152, b"CSMR", 1))
        q1.merge(MrrLedger.from_bytes(buf))
        self.assertEqual(len(q1), 16)
        err = self.assertLibcsError(libcs.DomainError, q1.add, MAN_CUSTOMER[:1], [6], MAN_MRR[:1],
                                    argument="periods", index=0)
        self.assertEqual(err.value, 6)
        self.assertIn("outside the ledger's periods 1..5", str(err))
        self.assertEqual(["month %d: MRR %7.2f, %d customers" % (r.period, r.mrr_end / 100,
                                                                  r.customers_end)
                          for r in q1.movements()],
                         ["month 1: MRR  380.00, 3 customers", "month 2: MRR  600.00, 3 customers",
                          "month 3: MRR  480.00, 3 customers", "month 4: MRR  230.00, 2 customers",
                          "month 5: MRR  470.00, 3 customers"])

    def test_operators(self):
        a, b = MrrLedger(FIRST, NP), MrrLedger(FIRST, NP)
        a.add(*columns(HAND[:11]))
        b.add(*columns(HAND[11:]))
        want = tuple(MrrPeriod(*r) for r in HAND_ANY)
        total = a + b
        self.assertEqual(total.movements(), want)
        self.assertEqual((len(a), len(b), len(total)), (11, 17, 28))  # + makes a new ledger
        self.assertEqual(sum([a, b]).movements(), want)
        self.assertEqual(sum([a, b], MrrLedger(FIRST, NP)).movements(), want)
        a += b
        self.assertEqual(a.movements(), want)
        self.assertEqual(len(b), 17)
        with self.assertRaises(TypeError):
            a.merge(HAND)
        with self.assertRaises(TypeError):
            a + 1
        self.assertIs(type(copy.copy(a)), MrrLedger)
        self.assertEqual(copy.deepcopy(a).movements(), want)
        c = a.copy()
        c.add([99], [100], [1])
        self.assertEqual((len(a), len(c)), (28, 29))

    def test_shapes_must_match(self):
        ledger = hand_ledger()
        others = [MrrLedger(FIRST + 1, NP), MrrLedger(FIRST, NP + 1), MrrLedger(FIRST, NP, 2)]
        for other in others:
            other.add([1], [other.first_period], [5])
            err = self.assertLibcsError(libcs.InvalidArgumentError, ledger.merge, other,
                                        argument="other")
            self.assertIn("different shapes", str(err))
            with self.assertRaises(libcs.InvalidArgumentError):
                other.merge(ledger)
            with self.assertRaises(ValueError):
                ledger + other
        err = self.assertLibcsError(libcs.InvalidArgumentError, ledger.merge, ledger,
                                    argument="other")
        self.assertIn("cannot merge itself", str(err))
        with self.assertRaises(libcs.InvalidArgumentError):
            ledger += ledger
        self.assertEqual(len(ledger), len(HAND))
        self.assertEqual(ledger.movements(), tuple(MrrPeriod(*r) for r in HAND_ANY))
        # the same window set after creation makes them compatible
        others[2].reactivation_window = None
        ledger.merge(others[2])
        self.assertEqual(len(ledger), len(HAND) + 1)

    def test_empty_parts(self):
        ledger, empty = hand_ledger(), MrrLedger(FIRST, NP)
        ledger.merge(empty)
        ledger.merge(MrrLedger.from_bytes(empty.to_bytes()))
        empty.merge(MrrLedger(FIRST, NP))
        self.assertEqual((len(ledger), len(empty)), (len(HAND), 0))
        empty.merge(ledger)
        self.assertEqual(empty.movements(), tuple(MrrPeriod(*r) for r in HAND_ANY))

    def test_partitions_by_time(self):
        """One ledger of the full shape per month, merged: the movements of
        all the records (a period's movements depend on the one before)."""
        parts = [MrrLedger(FIRST, NP) for _ in range(NP)]
        for c, p, v in HAND:
            parts[p - FIRST].add([c], [p], [v])
        self.assertEqual(sum(parts).movements(), tuple(MrrPeriod(*r) for r in HAND_ANY))


class Serialization(TestCase):
    def test_golden_bytes(self):
        ledger = golden_ledger()
        self.assertEqual(ledger.to_bytes(), GOLDEN)
        back = MrrLedger.from_bytes(GOLDEN)
        self.assertEqual((back.first_period, back.n_periods, back.reactivation_window, len(back)),
                         (-3, 5, 2, 2))
        self.assertEqual(back.to_bytes(), GOLDEN)
        rows = back.movements()
        self.assertEqual(rows, ledger.movements())
        self.assertEqual((rows[2].new_mrr, rows[3].churned, rows[4].mrr_end),
                         (0x1122334455, 0x1122334455, 0))
        # the window came back: it merges with window 2, not with any gap
        MrrLedger(-3, 5, 2).merge(back)
        with self.assertRaises(libcs.InvalidArgumentError):
            MrrLedger(-3, 5).merge(back)
        back.add([9, 9], [0, 1], [1, 2])
        self.assertEqual(len(back), 4)
        for data in (bytearray(GOLDEN), memoryview(GOLDEN), array.array("B", GOLDEN),
                     memoryview(b"xx" + GOLDEN)[2:]):
            self.assertEqual(MrrLedger.from_bytes(data).to_bytes(), GOLDEN)
        # an empty ledger with the default window: a 32-byte header
        empty = MrrLedger(7, 1).to_bytes()
        self.assertEqual(empty, b"CSMR\x01\0\0\0\x07\0\0\0\x01\0\0\0\xff\xff\xff\xff" + bytes(12))
        self.assertIsNone(MrrLedger.from_bytes(empty).reactivation_window)

    def test_round_trip(self):
        ledger = hand_ledger(1)
        data = ledger.to_bytes()
        self.assertEqual(len(data), 32 + 20 * len(HAND))
        back = MrrLedger.from_bytes(data)
        self.assertEqual(back.movements(), tuple(MrrPeriod(*r) for r in HAND_K1))
        self.assertEqual(back.cohorts().customers, HAND_COH_CUST)
        self.assertEqual(back.to_bytes(), data)

    def test_rejects(self):
        for n in range(len(GOLDEN)):
            self.assertLibcsError(libcs.FormatError, MrrLedger.from_bytes, GOLDEN[:n],
                                  argument="data")
        bad = [GOLDEN + b"\0", GOLDEN + bytes(20), b"csmr" + GOLDEN[4:],
               GOLDEN[:4] + b"\x02" + GOLDEN[5:], GOLDEN[:5] + b"\x01" + GOLDEN[6:],
               GOLDEN[:12] + bytes(4) + GOLDEN[16:],             # n_periods 0
               GOLDEN[:19] + b"\xff" + GOLDEN[20:],              # window < -1
               GOLDEN[:51] + b"\x80" + GOLDEN[52:],              # a negative MRR
               GOLDEN[:60] + b"\x02" + GOLDEN[61:]]              # period 2 > the last
        for data in bad:
            err = self.assertLibcsError(libcs.FormatError, MrrLedger.from_bytes, data,
                                        argument="data")
            self.assertIn("format version 1", str(err))
        for data in ("CSMR", None, 42):
            with self.assertRaises(TypeError):
                MrrLedger.from_bytes(data)
        # with the count raised to 3, an extra record is accepted
        three = bytearray(GOLDEN + bytes(20))
        three[24] = 3
        self.assertEqual(len(MrrLedger.from_bytes(three)), 3)

    def test_serialize_into(self):
        ledger = golden_ledger()
        buf = bytearray(80)
        self.assertEqual(ledger.serialize_into(buf), 72)
        self.assertEqual(bytes(buf[:72]), GOLDEN)
        small = bytearray(b"\xaa" * 71)
        err = self.assertLibcsError(libcs.BufferTooSmallError, ledger.serialize_into, small)
        self.assertEqual(err.needed, 72)
        self.assertEqual(small, bytearray(b"\xaa" * 71))
        err = self.assertLibcsError(libcs.BufferTooSmallError, ledger.serialize_into, bytearray())
        self.assertEqual(err.needed, 72)
        with self.assertRaises(TypeError):
            ledger.serialize_into(bytes(72))

    def test_pickle(self):
        ledger = hand_ledger(2)
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(ledger, proto))
            self.assertIsInstance(back, MrrLedger)
            self.assertIsNot(back, ledger)
            self.assertEqual(back.movements(), tuple(MrrPeriod(*r) for r in HAND_K2))
            self.assertEqual(back.reactivation_window, 2)
        self.assertIn(ledger.to_bytes(), pickle.dumps(ledger))  # the library's bytes
        for value in (MrrPeriod(*HAND_ANY[1]), ledger.rates(0)[1]):
            self.assertEqual(pickle.loads(pickle.dumps(value)), value)


class Errors(TestCase):
    def test_new(self):
        for n in (0, -1, I32_MIN):
            self.assertLibcsError(libcs.DomainError, MrrLedger, 0, n, argument="n_periods")
        for first, n in ((I32_MAX, 2), (I32_MAX - 9, 11), (2, I32_MAX)):
            err = self.assertLibcsError(libcs.DomainError, MrrLedger, first, n,
                                        argument="n_periods")
            self.assertIn("must fit int32_t", str(err))
        self.assertLibcsError(libcs.DomainError, MrrLedger, 2**31, 1, argument="first_period")
        self.assertLibcsError(libcs.DomainError, MrrLedger, 0, 2**31, argument="n_periods")
        for first, n in ((I32_MAX, 1), (I32_MAX - 9, 10), (1, I32_MAX), (I32_MIN, I32_MAX),
                         (I32_MIN, 1)):
            with MrrLedger(first, n) as ledger:
                self.assertEqual((len(ledger), ledger.last_period), (0, first + n - 1))
        with self.assertRaises(TypeError):
            MrrLedger(0.0, 5)
        with self.assertRaises(TypeError):
            MrrLedger("1", 5)

    def test_window(self):
        ledger = golden_ledger()
        for gap in (-2, I32_MIN):
            self.assertLibcsError(libcs.DomainError, ledger.set_reactivation_window, gap,
                                  argument="max_gap")
        self.assertLibcsError(libcs.DomainError, MrrLedger, 0, 3, -5, argument="max_gap")
        self.assertEqual(ledger.to_bytes(), GOLDEN)  # unchanged
        self.assertEqual(ledger.reactivation_window, 2)
        with self.assertRaises(TypeError):
            ledger.reactivation_window = 1.0
        ledger.set_reactivation_window(I32_MAX)
        self.assertEqual(ledger.reactivation_window, I32_MAX)

    def test_add(self):
        ledger = hand_ledger()
        c, p, v = [1, 2, 3, 4, 5], [100, 101, 102, 103, 104], [1, 2, 3, 4, 5]
        for bad in (-1, I64_MIN):
            err = self.assertLibcsError(libcs.DomainError, ledger.add, c, p, v[:3] + [bad, 5],
                                        argument="mrr", index=3)
            self.assertEqual(err.value, bad)
            self.assertEqual(err.function, "MrrLedger.add")
        for at, period in ((0, 99), (4, 107), (2, I32_MIN), (1, I32_MAX), (4, 0)):
            pp = list(p)
            pp[at] = period
            err = self.assertLibcsError(libcs.DomainError, ledger.add, c, pp, v,
                                        argument="periods", index=at)
            self.assertEqual(err.value, period)
        # the first bad record is the one reported
        self.assertLibcsError(libcs.DomainError, ledger.add, c, [100, 99, 102, 103, 104],
                              [1, 2, 3, -5, 5], argument="periods", index=1)
        # all or nothing
        self.assertEqual(len(ledger), len(HAND))
        self.assertEqual(ledger.movements(), tuple(MrrPeriod(*r) for r in HAND_ANY))
        # lengths and types
        with self.assertRaises(ValueError):
            ledger.add([1, 2], [100], [5, 5])
        with self.assertRaises(ValueError):
            ledger.add([1, 2], [100, 101], [5])
        with self.assertRaises(TypeError):
            ledger.add(array.array("d", [1, 2]), [100, 101], [5, 5])  # customers are int64
        with self.assertRaises(TypeError):
            ledger.add([1, 2], array.array("q", [100, 101]), [5, 5])  # periods are int32
        with self.assertRaises(TypeError):
            ledger.add([1, 2], [100, 101], array.array("i", [5, 5]))  # MRR is int64
        with self.assertRaises(TypeError):
            ledger.add([1, 2], [100, 101], [5.0, 5])
        with self.assertRaises(TypeError):
            ledger.add([1, None], [100, 101], [5, 5])
        with self.assertRaises(TypeError):
            ledger.add("12", [100, 101], [5, 5])
        with self.assertRaises(TypeError):
            ledger.add(1, 100, 5)  # one record is three one-element arrays
        self.assertLibcsError(libcs.DomainError, ledger.add, [1, 2], [100, 2**31], [5, 5],
                              argument="periods", index=1)
        self.assertLibcsError(libcs.DomainError, ledger.add, [1, 2**63], [100, 101], [5, 5],
                              argument="customers", index=1)
        self.assertEqual(len(ledger), len(HAND))
        # adding nothing succeeds; the edges of the range and INT64_MAX are fine
        ledger.add([], [], [])
        ledger.add(array.array("q"), array.array("i"), array.array("q"))
        ledger.add([77, 77], [100, 106], [I64_MAX, 0])
        self.assertEqual(len(ledger), len(HAND) + 2)

    def test_add_far_periods(self):
        """Periods whose distance from the first does not fit int32 are
        outside, never wrapped into the range."""
        for first, n, period in ((-2, 5, I32_MAX), (-2, 5, I32_MAX - 1), (-1, 3, I32_MAX),
                                 (I32_MIN, 3, 0), (I32_MIN, 3, 5), (I32_MIN, 3, 10**6),
                                 (I32_MIN, 3, I32_MAX), (I32_MIN + 10, 3, 100)):
            ledger = MrrLedger(first, n)
            self.assertLibcsError(libcs.DomainError, ledger.capped_grr, period, argument="period")
            self.assertLibcsError(libcs.DomainError, ledger.add, [1], [period], [10],
                                  argument="periods", index=0)
            self.assertEqual(len(ledger), 0)

    def test_duplicates(self):
        recs = [(5, 1, 10), (9, 2, 20), (9, 0, 5), (7, 1, 1),
                (9, 2, 30), (5, 1, 10), (7, 1, 2), (5, 1, 0)]
        # the first record whose key was seen before, in the order added
        for n, skip, want in ((8, 8, (9, 2)), (8, 4, (5, 1)), (7, 5, (9, 2)), (4, 8, None)):
            r = [x for i, x in enumerate(recs[:n]) if i != skip]
            ledger = MrrLedger(0, 3)
            ledger.add(*columns(r[:3]))
            ledger.add(*columns(r[3:]))
            if want is None:
                ledger.movements()
                ledger.cohorts()
                continue
            for call in (ledger.movements, ledger.cohorts, lambda: ledger.rates(0)):
                err = self.assertLibcsError(libcs.DuplicateError, call)
                self.assertEqual((err.customer, err.period), want)
                self.assertIn("customer %d, period %d" % want, str(err))
        # a duplicate of a zero record across a merge
        a, b = MrrLedger(0, 3), MrrLedger(0, 3)
        a.add([3, 4], [0, 1], [0, 9])
        b.add([6, 3], [2, 0], [1, 0])
        a.merge(b)
        err = self.assertLibcsError(libcs.DuplicateError, a.movements)
        self.assertEqual((err.customer, err.period), (3, 0))
        # extreme ids
        a = MrrLedger(10, 2)
        a.add([I64_MAX, I64_MIN, I64_MIN, I64_MAX, I64_MIN], [11, 11, 10, 10, 11], [1, 1, 1, 1, 2])
        err = self.assertLibcsError(libcs.DuplicateError, a.movements)
        self.assertEqual((err.customer, err.period), (I64_MIN, 11))

    def test_overflow(self):
        half = 2**62
        for recs, cohorts_too in (([(1, 0, half), (2, 0, half)], True),
                                  ([(1, 0, I64_MAX - 10), (1, 1, I64_MAX - 10), (2, 1, 11)], False),
                                  ([(1, 0, I64_MAX - 10), (1, 1, I64_MAX - 10), (2, 0, 0),
                                    (3, 0, 5), (3, 1, 16)], True)):
            ledger = MrrLedger(0, 2)
            ledger.add(*columns(recs))
            self.assertLibcsError(libcs.NumericOverflowError, ledger.movements)
            self.assertLibcsError(libcs.NumericOverflowError, ledger.rates, 0)
            if cohorts_too:
                self.assertLibcsError(libcs.NumericOverflowError, ledger.cohorts)
        # INT64_MAX itself is fine, and so is a hand-over at INT64_MAX
        ledger = MrrLedger(0, 2)
        ledger.add([1, 2], [0, 0], [I64_MAX - 10, 10])
        rows = ledger.movements()
        self.assertEqual((rows[0].mrr_end, rows[1].churned, rows[1].mrr_end), (I64_MAX, I64_MAX, 0))
        self.assertEqual(ledger.cohorts().revenue[0][0], I64_MAX)
        ledger = MrrLedger(0, 3)
        ledger.add([1, 2, 2], [0, 1, 2], [I64_MAX] * 3)
        self.assertEqual(ledger.movements()[1],
                         MrrPeriod(1, I64_MAX, I64_MAX, 0, 0, I64_MAX, 0, I64_MAX, 1, 1, 1, 0, 1))


class Records(TestCase):
    def test_zero_copy_one_call(self):
        n = 100_000
        c = array.array("q", [i % 5000 for i in range(n)])
        p = array.array("i", [i // 5000 for i in range(n)])
        v = array.array("q", [100 + i % 7 for i in range(n)])
        ledger = MrrLedger(0, 20)
        with spy("libcs_mrr_add") as calls:
            ledger.add(c, p, v)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0][1:5], (n, c.buffer_info()[0], p.buffer_info()[0],
                                         v.buffer_info()[0]))
        self.assertEqual(len(ledger), n)
        for a in (c, p, v):
            a.append(0)  # the exports were released
        # memoryview slices: in place, at their offset
        with spy("libcs_mrr_add") as calls:
            ledger.add(memoryview(c)[10:20], memoryview(p)[10:20], memoryview(v)[10:20])
        self.assertEqual(calls[0][2], c.buffer_info()[0] + 10 * c.itemsize)
        # released after an error too
        bad = array.array("q", [-1])
        with self.assertRaises(libcs.DomainError):
            ledger.add([1], [0], bad)
        bad.append(1)

    def test_scalars_broadcast(self):
        ledger = MrrLedger(0, 3)
        ledger.add(7, [0, 1, 2], [10, 10, 20])  # one customer's history
        ledger.add([8, 9], 1, 5)                # two customers in one period
        rows = ledger.movements()
        self.assertEqual([r.mrr_end for r in rows], [10, 20, 20])
        self.assertEqual(rows[2].expansion, 10)
        err = self.assertLibcsError(libcs.DomainError, ledger.add, [1, 2], 1, -5,
                                    argument="mrr", index=0)
        self.assertEqual(err.value, -5)

    @requires_numpy
    def test_numpy_records(self):
        c, p, v = (numpy.array(x, dtype=t) for x, t in
                   zip(columns(HAND), (numpy.int64, numpy.int32, numpy.int64)))
        ledger = MrrLedger(FIRST, NP)
        with spy("libcs_mrr_add") as calls:
            ledger.add(c, p, v)
        self.assertEqual(calls[0][2:5], (c.ctypes.data, p.ctypes.data, v.ctypes.data))
        self.assertEqual(ledger.movements(), tuple(MrrPeriod(*r) for r in HAND_ANY))
        ledger = MrrLedger(FIRST, NP)
        ledger.add(c[::2], p[::2], v[::2])  # strided: copied once
        ledger.add(c[1::2], p[1::2], v[1::2])
        self.assertEqual(ledger.movements(), tuple(MrrPeriod(*r) for r in HAND_ANY))
        with self.assertRaises(TypeError):
            ledger.add(c, p.astype(numpy.int64), v)  # numpy's default int is not int32
        with self.assertRaises(TypeError):
            ledger.add(c, p, v.astype(numpy.float64))
        bad = v.copy()
        bad[5] = -1
        self.assertLibcsError(libcs.DomainError, MrrLedger(FIRST, NP).add, c, p, bad,
                              argument="mrr", index=5)

    def test_random_against_reference(self):
        for seed, window in ((1, -1), (2, 0), (3, 2)):
            recs = random_records(seed, 3000, 12, first=2024 * 12)
            ledger = MrrLedger(2024 * 12, 12, window)
            step = len(recs) // 7 + 1
            for k in range(0, len(recs), step):  # in chunks
                c, p, v = columns(recs[k:k + step])
                ledger.add(array.array("q", c), array.array("i", p), array.array("q", v))
            rows = ledger.movements()
            self.assertEqual(list(rows), reference_movements(recs, 2024 * 12, 12, window))
            co = ledger.cohorts()
            for q in range(12):
                self.assertEqual(sum(co.customers[k][q - k] for k in range(q + 1)),
                                 rows[q].customers_end)
                self.assertEqual(sum(co.revenue[k][q - k] for k in range(q + 1)), rows[q].mrr_end)
            for q in range(1, 12):
                if rows[q].mrr_start:
                    self.assertEqual(ledger.capped_grr(2024 * 12 + q), ledger.rates(0)[q].grr)
            # merged halves and a pickled copy agree
            half = MrrLedger(2024 * 12, 12, window)
            half.add(*columns(recs[: len(recs) // 2]))
            other = MrrLedger(2024 * 12, 12, window)
            other.add(*columns(recs[len(recs) // 2:]))
            self.assertEqual(pickle.loads(pickle.dumps(half + other)).movements(), rows)


class Lifecycle(TestCase):
    def test_with_close_repr(self):
        with hand_ledger() as ledger:
            self.assertEqual(repr(ledger), "<MrrLedger periods 100..106, any gap: 28 records>")
            self.assertEqual(ledger.records, 28)
        self.assertTrue(ledger.closed)
        self.assertEqual(repr(ledger), "<MrrLedger (closed)>")
        ledger.close()
        for call in (ledger.movements, ledger.cohorts, lambda: ledger.rates(0), ledger.to_bytes,
                     lambda: len(ledger), lambda: ledger.add([1], [100], [1]),
                     lambda: ledger.capped_grr(101), lambda: ledger.capped_grr_since(100, 101),
                     lambda: ledger.capped_grr_series(1), lambda: ledger.set_reactivation_window(1),
                     lambda: MrrLedger(FIRST, NP).merge(ledger)):
            with self.assertRaises(ValueError):
                call()
        self.assertIn("window 3", repr(MrrLedger(0, 2, 3)))

    def test_gc_frees_and_results_survive(self):
        class Holder:
            pass
        h = Holder()
        h.ledger = hand_ledger()
        h.self = h
        fin = h.ledger._finalizer
        rows, rates, co = h.ledger.movements(), h.ledger.rates(0), h.ledger.cohorts()
        del h
        gc.collect()
        self.assertFalse(fin.alive)
        self.assertEqual(rows, tuple(MrrPeriod(*r) for r in HAND_ANY))
        self.assertEqual(rates[3].nrr, 1120 / 730)
        self.assertEqual(co.customers, HAND_COH_CUST)
        # records handed to add() are copied: their arrays may go right away
        ledger = MrrLedger(FIRST, NP)
        ledger.add(*(array.array(t, col) for t, col in zip("qiq", columns(HAND))))
        gc.collect()
        self.assertEqual(ledger.movements(), rows)

    def test_threads(self):
        ledger = hand_ledger()
        want = ledger.movements()
        got = []

        def read():
            for _ in range(50):
                got.append(ledger.movements())

        def add():
            for k in range(50):
                ledger.add([10**6 + k], [FIRST], [0])  # zero records change nothing

        threads = [threading.Thread(target=read) for _ in range(3)] + [threading.Thread(target=add)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertEqual(len(got), 150)
        self.assertTrue(all(g == want for g in got))
        self.assertEqual(len(ledger), len(HAND) + 50)

    def test_cross_merges_do_not_deadlock(self):
        a, b = hand_ledger(), hand_ledger()
        done = []

        def merge(x, y):  # each merge at most doubles a ledger: 12 merges, < 2**12 x 28 records
            for _ in range(6):
                x.merge(y)
            done.append(1)

        threads = [threading.Thread(target=merge, args=(a, b)),
                   threading.Thread(target=merge, args=(b, a))]
        for th in threads:
            th.daemon = True
            th.start()
        for th in threads:
            th.join(60)
        self.assertEqual(len(done), 2, "a.merge(b) and b.merge(a) deadlocked")


if __name__ == "__main__":
    unittest.main()
