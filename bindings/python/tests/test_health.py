"""Health models: building, the scorecard of examples/health.c scored by
hand, missing values (NaN and None), explanations, band changes, the text
form, errors with argument/index/line/column, pickling, and the handle's
life cycle (close, with, garbage collection, threads)."""

import array
import copy
import gc
import math
import pickle
import threading
import unittest

import libcs
from libcs import Band, HealthAggregation, HealthEvent, HealthMissing, HealthModel
from _support import TestCase, numpy, requires_numpy, spy

NAN = math.nan
SCORECARD = (
    "libcs-health 1\n"
    "# minimum coverage: half of the weight must be measured\n"
    "missing drop 0.5\n"
    "measure \"Weekly active users %\" 35 linear 10 60\n"
    "measure \"Open P1 tickets\" 20 tiers 100 1 60 3 0\n"
    "measure \"Days since last login\" 25 linear 30 2\n"
    "measure \"Executive sponsor\" 10 yesno 100 0\n"
    "measure \"NPS answer\" 10 tiers 0 7 60 9 100\n")
NAMES = ("Weekly active users %", "Open P1 tickets", "Days since last login",
         "Executive sponsor", "NPS answer")
ROWS = [
    [55, 0, 1, 1, 10],          # Acme
    [30, 2, 9, 1, 8],           # Globex
    [12, 4, 25, 0, 3],          # Initech
    [NAN, NAN, NAN, 1, NAN],    # Umbrella: too little measured
    [48, 1, 4, 0, NAN],         # Hooli: no NPS answer
]


def by_hand(row):
    """The scorecard's score of a row, computed from its definition."""
    def linear(v, bad, good):
        return min(max(100 * (v - bad) / (good - bad), 0), 100)
    rules = [(35, lambda v: linear(v, 10, 60)),
             (20, lambda v: 100 if v < 1 else 60 if v < 3 else 0),
             (25, lambda v: linear(v, 30, 2)),
             (10, lambda v: 100 if v == 1 else 0),
             (10, lambda v: 0 if v < 7 else 60 if v < 9 else 100)]
    present = [(w, f(v)) for (w, f), v in zip(rules, row) if not math.isnan(v)]
    cover = sum(w for w, _ in present) / 100
    if cover < 0.5:
        return NAN, cover
    return sum(w * p for w, p in present) / sum(w for w, _ in present), cover


def build():
    m = HealthModel()
    m.set_missing(HealthMissing.DROP, 0.5)
    m.add_linear("Weekly active users %", 35, bad=10, good=60)
    m.add_tiers("Open P1 tickets", 20, breaks=[1, 3], points=[100, 60, 0])
    m.add_linear("Days since last login", 25, bad=30, good=2)
    m.add_yesno("Executive sponsor", 10, yes_points=100, no_points=0)
    m.add_tiers("NPS answer", 10, [7, 9], [0, 60, 100])
    return m


class Scorecard(TestCase):
    def setUp(self):
        self.m = HealthModel.parse(SCORECARD)

    def tearDown(self):
        self.m.close()

    def test_built_equals_parsed(self):
        with build() as b:
            self.assertEqual(b.format(), self.m.format())
        self.assertEqual(len(self.m), 5)
        self.assertEqual(self.m.measures, 5)
        self.assertEqual(self.m.names, NAMES)
        self.assertEqual(self.m.measure_name(3), "Executive sponsor")
        self.assertEqual(self.m.weights, (0.35, 0.2, 0.25, 0.1, 0.1))
        self.assertAlmostEqual(sum(self.m.weights), 1.0, 15)
        self.assertEqual(self.m.weight(0), 0.35)

    def test_scores_by_hand(self):
        for row in ROWS:
            want, cover = by_hand(row)
            got = self.m.score(row)
            self.assertIsInstance(got, libcs.HealthScore)
            self.assertAlmostEqual(got.coverage, cover, 12)
            if math.isnan(want):
                self.assertTrue(math.isnan(got.score))
                self.assertEqual(got.band, Band.UNKNOWN)
            else:
                self.assertAlmostEqual(got.score, want, 9)
                band = Band.RED if want <= 50 else Band.YELLOW if want <= 75 else Band.GREEN
                self.assertEqual(got.band, band)
        self.assertAlmostEqual(self.m.score(ROWS[0]).score, 96.5, 12)
        self.assertAlmostEqual(self.m.score(ROWS[1]).score, 60.75, 12)

    def test_none_and_mappings_are_missing(self):
        want = self.m.score(ROWS[4])
        self.assertEqual(self.m.score([48, 1, 4, 0, None]), want)
        self.assertEqual(self.m.score(dict(zip(NAMES[:4], [48, 1, 4, 0]))), want)
        self.assertEqual(self.m.score({**dict(zip(NAMES, ROWS[4])), "NPS answer": None}), want)
        self.assertEqual(self.m.score(array.array("d", ROWS[4])), want)
        with self.assertRaises(ValueError):
            self.m.score({"Logins": 3})
        with self.assertRaises(ValueError):
            self.m.score([1, 2, 3])
        with self.assertRaises(TypeError):
            self.m.score([55, 0, 1, "yes", 10])

    def test_batch_forms_agree(self):
        want = [self.m.score(r) for r in ROWS]
        flat = array.array("d", [v for r in ROWS for v in r])
        forms = [ROWS, [[None if math.isnan(v) else v for v in r] for r in ROWS],
                 [dict(zip(NAMES, r)) for r in ROWS], flat,
                 memoryview(flat).cast("B").cast("d", (5, 5))]
        for values in forms:
            got = self.m.score_batch(values)
            self.assertIsInstance(got, libcs.HealthScores)
            self.assertEqual(got.bands.typecode, "i")
            self.assertArrayEqual(got.scores, [w.score for w in want])
            self.assertEqual(list(got.bands), [w.band for w in want])
            self.assertArrayEqual(got.coverage, [w.coverage for w in want])
        self.assertIsNone(self.m.score_batch(ROWS, coverage=False).coverage)

    def test_batch_errors(self):
        rows = [list(r) for r in ROWS]
        rows[2][3] = 0.5  # a yes/no answer that is neither
        err = self.assertLibcsError(libcs.DomainError, self.m.score_batch, rows,
                                    argument="values", index=(2, 3))
        self.assertEqual(err.value, 0.5)
        self.assertIn("Executive sponsor", str(err))
        rows[2][3] = 1
        rows[4][0] = math.inf
        self.assertLibcsError(libcs.NonFiniteError, self.m.score_batch, rows,
                              argument="values", index=(4, 0))
        self.assertLibcsError(libcs.DomainError, self.m.score, [55, 0, 1, 2, 10],
                              argument="values", index=3)
        self.assertLibcsError(libcs.NonFiniteError, self.m.explain, [55, 0, -math.inf, 1, 10],
                              argument="values", index=2)
        self.assertLibcsError(libcs.EmptyInputError, self.m.score_batch, [])
        with self.assertRaises(ValueError):
            self.m.score_batch([[1, 2, 3]])
        with self.assertRaises(ValueError):
            self.m.score_batch(array.array("d", [1.0] * 7))  # not rows of 5
        with self.assertRaises(TypeError):
            self.m.score_batch(array.array("f", [1.0] * 5))
        with self.assertRaises(TypeError):
            self.m.score_batch("values")
        with self.assertRaises(TypeError):
            self.m.score_batch([5])

    def test_explain(self):
        e = self.m.explain(ROWS[2])
        self.assertIsInstance(e, libcs.Explanation)
        self.assertAlmostEqual(e.score, self.m.score(ROWS[2]).score, 12)
        self.assertEqual(e.band, Band.RED)
        self.assertEqual(tuple(x.name for x in e.measures), NAMES)
        self.assertAlmostEqual(sum(x.contribution for x in e.measures), e.score, 9)
        self.assertEqual([x.points for x in e.measures][:2], [4.0, 0.0])
        self.assertAlmostEqual(e.measures[2].weight, 0.25)
        e = self.m.explain(ROWS[4])  # a dropped measure: NaN points and contribution
        self.assertTrue(math.isnan(e.measures[4].points))
        self.assertTrue(math.isnan(e.measures[4].contribution))

    def test_changes(self):
        """examples/health.c: scores against last week's."""
        scores = self.m.score_batch(ROWS).scores
        last = [88.0, 70.0, 52.0, 40.0, 77.0]
        ch = self.m.changes(last, scores)
        self.assertIsInstance(ch, libcs.HealthChanges)
        self.assertEqual(ch.changed, 3)
        ev = [HealthEvent(e) for e in ch.events]
        self.assertEqual(ev[0], HealthEvent.NONE)
        self.assertEqual(ev[1], HealthEvent.NONE)
        self.assertEqual(ev[2], HealthEvent.ENTERED_RED | HealthEvent.LEFT_YELLOW)
        self.assertEqual(ev[3], HealthEvent.BECAME_UNKNOWN | HealthEvent.LEFT_RED)
        self.assertEqual(ev[4], HealthEvent.ENTERED_YELLOW | HealthEvent.LEFT_GREEN)
        self.assertAlmostEqual(ch.deltas[0], scores[0] - 88.0)
        self.assertTrue(math.isnan(ch.deltas[3]))
        back = self.m.changes([None, 80], [60, None])
        self.assertEqual([HealthEvent(e) for e in back.events],
                         [HealthEvent.BECAME_KNOWN | HealthEvent.ENTERED_YELLOW,
                          HealthEvent.BECAME_UNKNOWN | HealthEvent.LEFT_GREEN])
        self.assertLibcsError(libcs.DomainError, self.m.changes, [10, 101], [10, 20],
                              argument="previous", index=1)
        self.assertLibcsError(libcs.NonFiniteError, self.m.changes, [10, 10], [10, math.inf],
                              argument="current", index=1)
        self.assertLibcsError(libcs.EmptyInputError, self.m.changes, [], [])
        with self.assertRaises(ValueError):
            self.m.changes([1, 2], [1])

    def test_band(self):
        self.assertEqual(self.m.band(50), Band.RED)
        self.assertEqual(self.m.band(50.0001), Band.YELLOW)
        self.assertEqual(self.m.band(75), Band.YELLOW)
        self.assertEqual(self.m.band(100), Band.GREEN)
        self.assertEqual(self.m.band(None), Band.UNKNOWN)
        self.assertEqual(self.m.band(NAN), Band.UNKNOWN)
        self.assertLibcsError(libcs.DomainError, self.m.band, 100.5, argument="score")
        self.assertLibcsError(libcs.NonFiniteError, self.m.band, math.inf, argument="score")


class Building(TestCase):
    def test_settings(self):
        with HealthModel() as m:
            m.add_linear("a", 1, 0, 10)
            m.add_yesno("b", 1)
            self.assertEqual(m.score([5, None]).score, 50.0)
            m.set_missing(HealthMissing.WORST)
            self.assertEqual(m.score([5, None]).score, 25.0)
            m.set_aggregation(HealthAggregation.WORST_OF)
            self.assertEqual(m.score([5, 1]).score, 50.0)
            e = m.explain([5, 1])
            self.assertEqual([x.contribution for x in e.measures], [50.0, 0.0])
            m.set_bands(20, 40)
            self.assertEqual(m.score([5, 1]).band, Band.GREEN)
            m.set_missing(HealthMissing.DROP, min_coverage=1)
            self.assertEqual(m.score([5, None]).band, Band.UNKNOWN)
            text = m.format()
            self.assertIn("aggregation worst-of", text)
            self.assertIn("bands 20 40", text)
            self.assertIn("missing drop 1", text)

    def test_errors(self):
        with HealthModel() as m:
            m.add_linear("Logins", 30, 0, 10)
            self.assertLibcsError(libcs.DomainError, m.add_linear, "Logins", 1, 0, 1,
                                  argument="name")
            self.assertLibcsError(libcs.DomainError, m.add_linear, "", 1, 0, 1, argument="name")
            self.assertLibcsError(libcs.DomainError, m.add_linear, "x" * 256, 1, 0, 1,
                                  argument="name")
            self.assertLibcsError(libcs.DomainError, m.add_linear, "tab\there", 1, 0, 1,
                                  argument="name")
            self.assertLibcsError(libcs.DomainError, m.add_linear, "nul\0", 1, 0, 1,
                                  argument="name")
            self.assertLibcsError(libcs.DomainError, m.add_linear, "w", 0, 0, 1, argument="weight")
            self.assertLibcsError(libcs.NonFiniteError, m.add_linear, "w", NAN, 0, 1,
                                  argument="weight")
            self.assertLibcsError(libcs.NonFiniteError, m.add_linear, "w", 1, 0, math.inf,
                                  argument="good")
            self.assertLibcsError(libcs.DomainError, m.add_linear, "w", 1, 3, 3, argument="good")
            self.assertLibcsError(libcs.DomainError, m.add_linear, "w", 1, 0, 1e-320,
                                  argument="good")
            m.add_linear("huge", 1e308, 0, 1)
            self.assertLibcsError(libcs.NumericOverflowError, m.add_linear, "w", 1e308, 0, 1)
            self.assertLibcsError(libcs.DomainError, m.add_yesno, "y", 1, 100, 100,
                                  argument="no_points")
            self.assertLibcsError(libcs.DomainError, m.add_yesno, "y", 1, 101, 0,
                                  argument="yes_points")
            self.assertLibcsError(libcs.DomainError, m.add_tiers, "t", 1, [2, 1], [0, 50, 100],
                                  argument="breaks", index=1)
            self.assertLibcsError(libcs.DomainError, m.add_tiers, "t", 1, [1, 2], [0, -5, 100],
                                  argument="points", index=1)
            self.assertLibcsError(libcs.NonFiniteError, m.add_tiers, "t", 1, [1, NAN], [0, 5, 100],
                                  argument="breaks", index=1)
            self.assertLibcsError(libcs.DomainError, m.add_tiers, "t", 1, list(range(64)),
                                  [0] * 65, argument="points")
            self.assertLibcsError(libcs.EmptyInputError, m.add_tiers, "t", 1, [], [])
            with self.assertRaises(ValueError):
                m.add_tiers("t", 1, [1, 2], [0, 100])
            with self.assertRaises(TypeError):
                m.add_linear(b"bytes", 1, 0, 1)
            self.assertLibcsError(libcs.InvalidArgumentError, m.set_missing, 2, argument="policy")
            self.assertLibcsError(libcs.DomainError, m.set_missing, 0, 1.5,
                                  argument="min_coverage")
            self.assertLibcsError(libcs.InvalidArgumentError, m.set_aggregation, 7,
                                  argument="aggregation")
            self.assertLibcsError(libcs.DomainError, m.set_bands, 80, 70, argument="yellow_max")
            self.assertLibcsError(libcs.DomainError, m.set_bands, -1, 70, argument="red_max")
            self.assertLibcsError(libcs.DomainError, m.measure_name, 2, argument="i")
            self.assertLibcsError(libcs.DomainError, m.weight, 5, argument="i")
            self.assertLibcsError(libcs.DomainError, m.weight, -1, argument="i")
            self.assertEqual(m.names, ("Logins", "huge"))  # failed adds added nothing
        with HealthModel() as empty:
            self.assertLibcsError(libcs.EmptyInputError, empty.score, [])
            self.assertLibcsError(libcs.EmptyInputError, empty.score_batch, [[]])
            self.assertLibcsError(libcs.EmptyInputError, empty.explain, [])
            self.assertEqual(empty.names, ())

    def test_unicode_names(self):
        with HealthModel() as m:
            m.add_linear("Connexions / semaine \u00e9t\u00e9 \U0001F600", 1, 0, 10)
            self.assertEqual(m.names[0], "Connexions / semaine \u00e9t\u00e9 \U0001F600")
            self.assertEqual(HealthModel.parse(m.format()).names, m.names)
            m.add_linear("quote \" and \\ backslash", 1, 0, 1)
            self.assertEqual(HealthModel.parse(m.format()).names, m.names)


class TextForm(TestCase):
    def test_round_trip(self):
        with HealthModel.parse(SCORECARD) as m:
            text = m.format()
            self.assertTrue(text.startswith("libcs-health 1\n"))
            self.assertEqual(str(m), text)
            self.assertEqual(HealthModel.parse(text).format(), text)
            self.assertEqual(HealthModel.parse(text.encode()).format(), text)
            self.assertEqual(HealthModel.parse(text.replace("\n", "\r\n")).format(), text)
            buf = bytearray(len(text) + 1)
            self.assertEqual(m.format_into(buf), len(text) + 1)
            self.assertEqual(bytes(buf), text.encode() + b"\0")
            small = bytearray(10)
            err = self.assertLibcsError(libcs.BufferTooSmallError, m.format_into, small)
            self.assertEqual(err.needed, len(text) + 1)
            self.assertEqual(small, bytearray(10))

    def test_exact_numbers(self):
        with HealthModel() as m:
            m.add_linear("x", 0.1, 1 / 3, 2 / 3)
            m.set_bands(12.345678901234567, 75)
            m2 = HealthModel.parse(m.format())
            self.assertEqual(m2.weights, m.weights)
            self.assertEqual(m2.score([0.5]), m.score([0.5]))
            self.assertEqual(m2.band(12.345678901234567), Band.RED)

    def test_parse_errors(self):
        cases = [
            ("", libcs.FormatError, 1, 1),
            ("libcs-health 2\n", libcs.FormatError, 1, 14),
            ("libcs-health 1\nmeasure \"x\" 30 linaer 0 10\n", libcs.FormatError, 2, 16),
            ("libcs-health 1\r\nbands 50\r\n", libcs.FormatError, 2, 9),
            ("libcs-health 1\nbands 80 75\n", libcs.DomainError, 2, 10),
            ("libcs-health 1\nbands 180 75\n", libcs.DomainError, 2, 7),
            ("libcs-health 1\nmeasure \"x\" nan linear 0 10\n", libcs.NonFiniteError, 2, 13),
            ("libcs-health 1\nmeasure \"x\" 1 linear 0 1\nmeasure \"x\" 1 linear 0 1\n",
             libcs.DomainError, 3, 9),
            ("libcs-health 1\nmeasure \"\u00e9\u00e9\" 1 linear 0 1 extra\n", libcs.FormatError, 2, 29),  # bytes
            ("libcs-health 1\n\0\n", libcs.FormatError, 2, 1),
        ]
        for text, cls, line, column in cases:
            with self.subTest(text=text):
                err = self.assertLibcsError(cls, HealthModel.parse, text, argument="text")
                self.assertEqual((err.line, err.column), (line, column), str(err))
                self.assertIn("line %d, column %d" % (line, column), str(err))
        with self.assertRaises(TypeError):
            HealthModel.parse(42)


class Lifecycle(TestCase):
    def test_close_and_with(self):
        m = build()
        self.assertFalse(m.closed)
        with m:
            m.score(ROWS[0])
        self.assertTrue(m.closed)
        m.close()  # idempotent
        for call in (lambda: m.score(ROWS[0]), lambda: m.add_linear("z", 1, 0, 1), m.format,
                     lambda: len(m), lambda: m.band(50)):
            with self.assertRaises(ValueError):
                call()
        self.assertIn("closed", repr(m))
        with self.assertRaises(ValueError):
            pickle.dumps(m)

    def test_garbage_collection_frees_once(self):
        m = build()
        fin = m._finalizer
        result = m.score_batch(ROWS)
        expl = m.explain(ROWS[0])
        del m
        gc.collect()
        self.assertFalse(fin.alive)  # freed by the finaliser
        # results are Python-owned and outlive the model
        self.assertAlmostEqual(result.scores[0], 96.5)
        self.assertEqual(expl.measures[0].name, NAMES[0])
        m = build()
        fin = m._finalizer
        m.close()
        self.assertFalse(fin.alive)
        del m
        gc.collect()

    def test_model_survives_while_used_from_temporary_expressions(self):
        scores = [HealthModel.parse(SCORECARD).score(r).score for r in ROWS[:2]]
        gc.collect()
        self.assertAlmostEqual(scores[0], 96.5)
        batch = HealthModel.parse(SCORECARD).score_batch([list(r) for r in ROWS])
        gc.collect()
        self.assertEqual(len(batch.scores), 5)

    def test_pickle_and_copy(self):
        m = HealthModel.parse(SCORECARD)
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            m2 = pickle.loads(pickle.dumps(m, proto))
            self.assertEqual(m2.format(), m.format())
            self.assertEqual(m2.score(ROWS[1]), m.score(ROWS[1]))
            m2.close()
        c = copy.copy(m)
        c.add_linear("extra", 1, 0, 1)
        self.assertEqual(len(m), 5)
        self.assertEqual(copy.deepcopy(m).format(), m.format())
        self.assertIn("Weekly active users", repr(m))

    def test_threads_score_and_close(self):
        m = HealthModel.parse(SCORECARD)
        rows = [list(r) for r in ROWS] * 2000
        want = list(m.score_batch(rows).scores)
        errors, closed = [], []

        def work():
            try:
                for _ in range(20):
                    got = m.score_batch(rows).scores
                    if not all((g == w) or (math.isnan(g) and math.isnan(w))
                               for g, w in zip(got, want)):
                        errors.append("mismatch")
            except ValueError as exc:  # closed under our feet: refused, not a crash
                closed.append(exc)
            except Exception as exc:  # pragma: no cover
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        m.close()  # defers the free until running calls return
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertFalse(m._finalizer.alive)

    def test_writer_waits_for_readers(self):
        m = HealthModel.parse(SCORECARD)
        # mappings adapt to however many measures the model has when read
        rows = [dict(zip(NAMES, r)) for r in ROWS] * 4000
        done = []

        def reader():
            for _ in range(5):
                done.append(len(m.score_batch(rows).scores))

        t = threading.Thread(target=reader)
        t.start()
        for i in range(20):
            m.add_linear("m%d" % i, 1, 0, 1)
        t.join()
        self.assertEqual(len(m), 25)
        self.assertEqual(len(done), 5)
        m.close()


@requires_numpy
class NumpyHealth(TestCase):
    def test_matrix(self):
        with HealthModel.parse(SCORECARD) as m:
            values = numpy.array(ROWS)
            got = m.score_batch(values)
            self.assertIsInstance(got.scores, numpy.ndarray)
            self.assertEqual(got.bands.dtype, numpy.intc)
            want = m.score_batch(ROWS)
            self.assertArrayEqual(got.scores, want.scores)
            self.assertEqual(got.bands.tolist(), list(want.bands))
            with spy("libcs_health_score_batch") as calls:
                m.score_batch(values)
            self.assertEqual(calls[0][2], values.ctypes.data)  # read in place
            self.assertArrayEqual(m.score_batch(numpy.asfortranarray(values)).scores, want.scores)
            self.assertArrayEqual(m.score_batch(values.ravel()).scores, want.scores)
            with self.assertRaises(ValueError):
                m.score_batch(numpy.ones((3, 4)))
            with self.assertRaises(ValueError):
                m.score_batch(numpy.ones((2, 5, 1)))
            with self.assertRaises(TypeError):
                m.score_batch(numpy.ones((3, 5), dtype=numpy.float32))
            ch = m.changes(numpy.array([88.0, 70, 52, 40, 77]), got.scores)
            self.assertIsInstance(ch.deltas, numpy.ndarray)
            self.assertEqual(ch.changed, 3)
            self.assertEqual(m.score(numpy.array(ROWS[0], dtype=float)), m.score(ROWS[0]))
            with self.assertRaises(TypeError):
                m.score(numpy.array(ROWS[0]))  # int64: not converted silently


if __name__ == "__main__":
    unittest.main()
