"""NPS: the tally (add, batch, merge, serialization, pickling), the one-shot
forms, categories, and every error path."""

import array
import copy
import math
import pickle
import unittest

import libcs
from libcs import NpsCategory, NpsTally
from _support import TestCase, numpy, requires_numpy, spy

EMEA = bytes([10, 9, 9, 8, 7, 10, 6, 3, 9, 10, 8, 9, 5, 10, 9])
AMER = bytes([9, 10, 7, 7, 8, 2, 10, 9, 6, 9, 10, 8])
U64_MAX = 2**64 - 1


class Reference(TestCase):
    def test_1000_250_75(self):
        """libcs(7): 1000 answers, 250 promoters, 75 detractors."""
        r = libcs.nps_from_counts(250, 675, 75, 0.95)
        self.assertIsInstance(r, libcs.NpsResult)
        self.assertEqual((r.n, r.promoters, r.passives, r.detractors), (1000, 250, 675, 75))
        self.assertEqual(r.nps, 17.5)
        se = 100 * math.sqrt((0.325 - 0.175**2) / 1000)
        self.assertAlmostEqual(r.se, se, 12)
        self.assertAlmostEqual(r.se, 1.7157, 4)
        self.assertAlmostEqual(r.wald_low, 14.137, 3)
        self.assertAlmostEqual(r.wald_high, 20.863, 3)
        self.assertAlmostEqual(r.adjusted_low, 14.09, 2)
        self.assertAlmostEqual(r.adjusted_high, 20.81, 2)
        self.assertEqual(r.level, 0.95)
        self.assertEqual((r.promoter_share, r.passive_share, r.detractor_share),
                         (0.25, 0.675, 0.075))
        self.assertEqual(r, libcs.nps_from_counts(promoters=250, passives=675, detractors=75))
        self.assertEqual(len(r), 15)
        self.assertEqual(r._fields[:4], ("n", "promoters", "passives", "detractors"))

    def test_scores_equal_counts(self):
        scores = [10] * 250 + [8] * 675 + [0] * 75
        for s in (scores, bytes(scores), array.array("B", scores), memoryview(bytes(scores))):
            self.assertEqual(libcs.nps_from_scores(s), libcs.nps_from_counts(250, 675, 75))
        wide = libcs.nps_from_scores(scores, level=0.99)
        self.assertGreater(wide.wald_high - wide.wald_low,
                           libcs.nps_from_scores(scores).wald_high - libcs.nps_from_scores(scores).wald_low)

    def test_category(self):
        want = [NpsCategory.DETRACTOR] * 7 + [NpsCategory.PASSIVE] * 2 + [NpsCategory.PROMOTER] * 2
        self.assertEqual([libcs.nps_category(s) for s in range(11)], want)
        self.assertIsInstance(libcs.nps_category(9), NpsCategory)
        self.assertLibcsError(libcs.DomainError, libcs.nps_category, 11, argument="score")
        self.assertLibcsError(libcs.DomainError, libcs.nps_category, -1, argument="score")
        self.assertLibcsError(libcs.DomainError, libcs.nps_category, 2**40, argument="score")
        with self.assertRaises(TypeError):
            libcs.nps_category(9.0)


class Errors(TestCase):
    def test_one_shot(self):
        err = self.assertLibcsError(libcs.DomainError, libcs.nps_from_scores, [9, 10, 11, 7],
                                    argument="scores", index=2)
        self.assertEqual(err.value, 11)
        self.assertLibcsError(libcs.DomainError, libcs.nps_from_scores, [9, 10, 7, 256],
                              argument="scores", index=3)
        self.assertLibcsError(libcs.DomainError, libcs.nps_from_scores, [9, -1],
                              argument="scores", index=1)
        self.assertLibcsError(libcs.EmptyInputError, libcs.nps_from_scores, [])
        self.assertLibcsError(libcs.EmptyInputError, libcs.nps_from_scores, b"")
        for level in (0, 1, 1.5, -0.5):
            self.assertLibcsError(libcs.DomainError, libcs.nps_from_scores, [9], level,
                                  argument="level")
        self.assertLibcsError(libcs.NonFiniteError, libcs.nps_from_scores, [9], math.nan,
                              argument="level")
        self.assertLibcsError(libcs.EmptyInputError, libcs.nps_from_counts, 0, 0, 0)
        self.assertLibcsError(libcs.NumericOverflowError, libcs.nps_from_counts, U64_MAX, 1, 0)
        self.assertLibcsError(libcs.DomainError, libcs.nps_from_counts, -1, 1, 0,
                              argument="promoters")
        self.assertLibcsError(libcs.DomainError, libcs.nps_from_counts, 1, 1, 1, level=2,
                              argument="level")
        with self.assertRaises(TypeError):
            libcs.nps_from_scores([9, 9.5])
        with self.assertRaises(TypeError):
            libcs.nps_from_scores("9 10")
        with self.assertRaises(TypeError):  # int64 buffer: scores are uint8
            libcs.nps_from_scores(array.array("q", [9, 10]))
        with self.assertRaises(TypeError):
            libcs.nps_from_scores(None)


class Tally(TestCase):
    def test_add_and_batch(self):
        t = NpsTally()
        self.assertEqual(t.counts, (0,) * 11)
        self.assertEqual(t.n, 0)
        t.add(10)
        t.add(score=0)
        t.add_batch(EMEA)
        t.add_batch([])  # adding nothing succeeds
        t.add_batch(b"")
        self.assertEqual(t.n, 2 + len(EMEA))
        self.assertEqual(t.counts[10], 1 + EMEA.count(10))
        self.assertEqual(NpsTally(EMEA).counts, NpsTally(list(EMEA)).counts)
        self.assertEqual(NpsTally(x for x in EMEA), NpsTally(EMEA))

    def test_example_regions(self):
        """examples/nps.c: two regions, one shipped as bytes, merged."""
        a, b = NpsTally(EMEA), NpsTally(AMER)
        a.merge(NpsTally.from_bytes(b.to_bytes()))
        r = a.result(0.95)
        self.assertEqual((r.n, r.promoters, r.passives, r.detractors), (27, 15, 7, 5))
        self.assertAlmostEqual(r.nps, 100 * 10 / 27, 12)
        self.assertEqual(r, libcs.nps_from_scores(EMEA + AMER))

    def test_merge_operators(self):
        a, b = NpsTally(EMEA), NpsTally(AMER)
        both = NpsTally(EMEA + AMER)
        self.assertEqual(a + b, both)
        self.assertEqual(a, NpsTally(EMEA))  # + made a new tally
        self.assertEqual(sum([a, b]), both)
        self.assertEqual(sum([a, b], NpsTally()), both)
        c = NpsTally(EMEA)
        c += b
        self.assertEqual(c, both)
        c.merge(c)  # merging itself doubles it
        self.assertEqual(c.counts, tuple(2 * x for x in both.counts))
        with self.assertRaises(TypeError):
            a.merge(EMEA)
        with self.assertRaises(TypeError):
            a + 1

    def test_errors(self):
        t = NpsTally(EMEA)
        before = t.counts
        self.assertLibcsError(libcs.DomainError, t.add, 11, argument="score")
        err = self.assertLibcsError(libcs.DomainError, t.add_batch, bytes([1, 2, 3, 12, 13]),
                                    argument="scores", index=3)
        self.assertEqual(err.value, 12)
        self.assertEqual(err.function, "NpsTally.add_batch")
        self.assertEqual(t.counts, before)  # all or nothing
        self.assertLibcsError(libcs.EmptyInputError, NpsTally().result)
        self.assertLibcsError(libcs.DomainError, t.result, 1.0, argument="level")
        self.assertLibcsError(libcs.NonFiniteError, t.result, math.inf, argument="level")
        full = NpsTally.from_counts([U64_MAX] + [0] * 10)
        self.assertLibcsError(libcs.NumericOverflowError, full.add, 0)
        self.assertLibcsError(libcs.NumericOverflowError, full.add_batch, b"\x00")
        self.assertLibcsError(libcs.NumericOverflowError, full.merge, NpsTally([0]))
        self.assertLibcsError(libcs.NumericOverflowError, NpsTally.from_counts([U64_MAX, 1] + [0] * 9).result)
        with self.assertRaises(ValueError):
            NpsTally.from_counts([1, 2, 3])
        self.assertLibcsError(libcs.DomainError, NpsTally.from_counts, [-1] + [0] * 10)

    def test_long_batch_error_index(self):
        scores = bytearray(b"\x05" * 100_000)
        scores[77_777] = 200
        self.assertLibcsError(libcs.DomainError, NpsTally().add_batch, scores,
                              argument="scores", index=77_777)

    def test_serialization(self):
        t = NpsTally(EMEA)
        data = t.to_bytes()
        self.assertEqual(len(data), libcs.NPS_TALLY_SERIALIZED_SIZE)
        self.assertEqual(data[:8], b"CSNP\x01\x0b\x00\x00")
        self.assertEqual(int.from_bytes(data[8 + 8 * 10:8 + 8 * 11], "little"), EMEA.count(10))
        self.assertEqual(NpsTally.from_bytes(data), t)
        self.assertEqual(NpsTally.from_bytes(bytearray(data)), t)
        self.assertEqual(NpsTally.from_bytes(memoryview(data)), t)
        for bad in (b"", data[:-1], data + b"\0", b"XSNP" + data[4:], data[:4] + b"\x02" + data[5:],
                    data[:6] + b"\x01" + data[7:]):
            self.assertLibcsError(libcs.FormatError, NpsTally.from_bytes, bad, argument="data")
        with self.assertRaises(TypeError):
            NpsTally.from_bytes("CSNP")

    def test_serialize_into(self):
        t = NpsTally(AMER)
        buf = bytearray(100)
        self.assertEqual(t.serialize_into(buf), 96)
        self.assertEqual(bytes(buf[:96]), t.to_bytes())
        small = bytearray(b"\xaa" * 95)
        err = self.assertLibcsError(libcs.BufferTooSmallError, t.serialize_into, small)
        self.assertEqual(err.needed, 96)
        self.assertEqual(small, bytearray(b"\xaa" * 95))  # untouched
        with self.assertRaises(TypeError):
            t.serialize_into(bytes(96))

    def test_pickle_and_copy(self):
        t = NpsTally(EMEA)
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            u = pickle.loads(pickle.dumps(t, proto))
            self.assertEqual(u, t)
            self.assertIsNot(u, t)
        self.assertIn(t.to_bytes(), pickle.dumps(t))  # travels as the library's bytes
        c = copy.copy(t)
        c.add(0)
        self.assertNotEqual(c, t)
        self.assertEqual(copy.deepcopy(t), t)
        self.assertEqual(eval(repr(t), {"NpsTally": NpsTally}), t)
        with self.assertRaises(TypeError):
            hash(t)

    def test_from_counts(self):
        t = NpsTally.from_counts(range(11))
        self.assertEqual(t.counts, tuple(range(11)))
        self.assertEqual(t.n, 55)


@requires_numpy
class NumpyTally(TestCase):
    def test_numpy_scores(self):
        rng = numpy.random.default_rng(7)
        s = rng.integers(0, 11, 100_000, dtype=numpy.uint8)
        t = NpsTally(s)
        self.assertEqual(t.counts, tuple(numpy.bincount(s, minlength=11).tolist()))
        self.assertEqual(t, NpsTally(array.array("B", s.tobytes())))
        self.assertEqual(libcs.nps_from_scores(s), t.result())

    def test_zero_copy_readonly_and_strided(self):
        s = numpy.arange(1000, dtype=numpy.uint8) % 11
        s.flags.writeable = False
        with spy("libcs_nps_tally_add_batch") as calls:
            NpsTally().add_batch(s)
        self.assertEqual(calls[0][2], s.ctypes.data)
        self.assertEqual(NpsTally(s[::2]), NpsTally(s.tolist()[::2]))

    def test_wrong_dtype(self):
        with self.assertRaises(TypeError):
            NpsTally(numpy.array([9, 10]))  # int64
        with self.assertRaises(TypeError):
            libcs.nps_from_scores(numpy.array([9, 10], dtype=numpy.int8))
        self.assertLibcsError(libcs.DomainError, NpsTally().add_batch,
                              numpy.array([1, 2, 11], dtype=numpy.uint8), index=2)


if __name__ == "__main__":
    unittest.main()
