"""Customer churn, retention, rate conversion and the churn tally."""

import array
import copy
import math
import pickle
import unittest

import libcs
from libcs import ChurnDenominator as D
from _support import TestCase, is_array_array, numpy, requires_numpy


class CustomerChurn(TestCase):
    def test_worked_example(self):
        """libcs(7): 100 on 1 July, 10 lost; with 20 new, the denominators disagree."""
        self.assertEqual(libcs.churn_customer(100, 0, 10, D.START), 0.1)
        self.assertEqual(libcs.churn_customer(100, 20, 10, denominator=D.START), 0.1)
        self.assertAlmostEqual(libcs.churn_customer(100, 20, 10, D.START_PLUS_NEW), 10 / 120)
        self.assertAlmostEqual(libcs.churn_customer(100, 20, 10, D.AVERAGE), 10 / 105)
        self.assertEqual(libcs.churn_customer(10, 10, 15, 0), 1.5)  # plain ints work

    def test_denominator_is_required(self):
        with self.assertRaises(TypeError):
            libcs.churn_customer(100, 0, 10)

    def test_errors(self):
        self.assertLibcsError(libcs.InvalidArgumentError, libcs.churn_customer, 100, 0, 10, 3,
                              argument="denominator")
        self.assertLibcsError(libcs.DomainError, libcs.churn_customer, -1, 0, 0, D.START,
                              argument="at_start")
        self.assertLibcsError(libcs.DomainError, libcs.churn_customer, 100, 5, 106, D.START,
                              argument="churned")
        self.assertLibcsError(libcs.UndefinedResultError, libcs.churn_customer, 0, 5, 1, D.START)
        self.assertLibcsError(libcs.DomainError, libcs.churn_customer, 2**63, 0, 0, D.START,
                              argument="at_start")
        with self.assertRaises(TypeError):
            libcs.churn_customer(100.0, 0, 10, D.START)
        with self.assertRaises(TypeError):
            libcs.churn_customer(100, 0, 10, "start")

    def test_batch(self):
        start, new, lost = [100, 98, 103], [8, 12, 6], [10, 7, 5]
        for d in D:
            want = [libcs.churn_customer(s, a, c, d) for s, a, c in zip(start, new, lost)]
            for make in (list, lambda c: array.array("q", c)):
                got = libcs.churn_customer_batch(make(start), make(new), make(lost), d)
                self.assertTrue(is_array_array(got, "d"))
                self.assertArrayEqual(got, want)
        self.assertArrayEqual(libcs.churn_customer_batch(100, [0, 20], 10, D.START_PLUS_NEW),
                              [0.1, 10 / 120])

    def test_batch_errors(self):
        self.assertLibcsError(libcs.DomainError, libcs.churn_customer_batch,
                              [100, 100, 100], [0, 0, 0], [1, 101, 2], D.START,
                              argument="churned", index=1)
        self.assertLibcsError(libcs.InvalidArgumentError, libcs.churn_customer_batch,
                              [100], [0], [1], 9, argument="denominator", index=None)
        self.assertLibcsError(libcs.EmptyInputError, libcs.churn_customer_batch, [], [], [], 0)
        with self.assertRaises(TypeError):
            libcs.churn_customer_batch([100, 1.5], 0, 1, 0)
        with self.assertRaises(TypeError):
            libcs.churn_customer_batch(array.array("d", [100]), 0, 1, 0)
        with self.assertRaises(TypeError):  # the denominator is one value for all
            libcs.churn_customer_batch([100], [0], [1], [0])
        self.assertLibcsError(libcs.DomainError, libcs.churn_customer_batch,
                              [100, 2**64], 0, 1, 0, argument="at_start", index=1)

    @requires_numpy
    def test_numpy(self):
        start = numpy.array([100, 98, 103], dtype=numpy.int64)
        got = libcs.churn_customer_batch(start, numpy.array([8, 12, 6]), [10, 7, 5], D.AVERAGE)
        self.assertIsInstance(got, numpy.ndarray)
        self.assertArrayEqual(got, libcs.churn_customer_batch([100, 98, 103], [8, 12, 6],
                                                              [10, 7, 5], D.AVERAGE))
        with self.assertRaises(TypeError):
            libcs.churn_customer_batch(start.astype(numpy.int32), 0, 1, 0)
        with self.assertRaises(TypeError):
            libcs.churn_customer_batch(start.astype(numpy.float64), 0, 1, 0)


class RetentionAndConversion(TestCase):
    def test_retention(self):
        self.assertEqual(libcs.churn_retention(0.25), 0.75)
        self.assertArrayEqual(libcs.churn_retention_batch([0, 0.5, 1]), [1.0, 0.5, 0.0])
        self.assertLibcsError(libcs.DomainError, libcs.churn_retention, 1.5, argument="churn")
        self.assertLibcsError(libcs.NonFiniteError, libcs.churn_retention, math.nan,
                              argument="churn")
        self.assertLibcsError(libcs.DomainError, libcs.churn_retention_batch, [0.1, -0.1],
                              argument="churn", index=1)

    def test_convert(self):
        """libcs(7): 2 % monthly is 21.53 % a year; 20 % a year is 1.84 % a month."""
        self.assertAlmostEqual(libcs.churn_convert(0.02, periods=12), 1 - 0.98**12, 12)
        self.assertAlmostEqual(libcs.churn_convert(0.20, 1 / 12), 1 - 0.8**(1 / 12), 12)
        self.assertEqual(libcs.churn_convert(1.0, 0.5), 1.0)
        self.assertArrayEqual(libcs.churn_convert_batch([0.02, 0.2], [12, 1 / 12]),
                              [libcs.churn_convert(0.02, 12), libcs.churn_convert(0.2, 1 / 12)])
        self.assertLibcsError(libcs.DomainError, libcs.churn_convert, 0.1, 0, argument="periods")
        self.assertLibcsError(libcs.NonFiniteError, libcs.churn_convert, 0.1, math.inf,
                              argument="periods")
        self.assertLibcsError(libcs.DomainError, libcs.churn_convert_batch, 0.1, [1, 2, -3],
                              argument="periods", index=2)

    @requires_numpy
    def test_numpy(self):
        got = libcs.churn_convert_batch(numpy.array([0.02, 0.2]), 12)
        self.assertIsInstance(got, numpy.ndarray)
        self.assertArrayEqual(got, libcs.churn_convert_batch([0.02, 0.2], 12))


class Tally(TestCase):
    # 120 customers: 0..99 active on 1 July (3, 13, ..., 93 lost), 100..119
    # won in July and kept (libcs_churn_tally_init(3), libcs(7))
    START = bytes(int(i < 100) for i in range(120))
    NEW = bytes(int(i >= 100) for i in range(120))
    LOST = bytes(int(i < 100 and i % 10 == 3) for i in range(120))

    def test_worked_example(self):
        t = libcs.ChurnTally(self.START, self.NEW, self.LOST)
        self.assertEqual(t.counts, (100, 20, 10))
        self.assertEqual((t.at_start, t.new_customers, t.churned, t.at_end), (100, 20, 10, 110))
        self.assertEqual(t.result(D.START), 0.1)
        self.assertEqual(t.result(D.START_PLUS_NEW), 10 / 120)
        self.assertEqual(t.result(denominator=D.AVERAGE), 10 / 105)
        for d in D:
            self.assertEqual(t.result(d), libcs.churn_customer(100, 20, 10, d))
        with self.assertRaises(TypeError):
            t.result()  # libcs never picks a denominator
        u = libcs.ChurnTally()
        u.add(60, 20, 4)
        u.add(at_start=40, churned=6)
        self.assertEqual(u, t)
        self.assertEqual(libcs.ChurnTally.from_counts(100, 20, 10), t)

    def test_inputs(self):
        want = libcs.ChurnTally(self.START, self.NEW, self.LOST)
        as_lists = libcs.ChurnTally(list(self.START), list(self.NEW), list(self.LOST))
        as_bools = libcs.ChurnTally([bool(x) for x in self.START], [bool(x) for x in self.NEW],
                                    [bool(x) for x in self.LOST])
        as_arrays = libcs.ChurnTally(*(array.array("B", x) for x in
                                       (self.START, self.NEW, self.LOST)))
        self.assertEqual(as_lists, want)
        self.assertEqual(as_bools, want)
        self.assertEqual(as_arrays, want)
        strided = libcs.ChurnTally(*(memoryview(bytes(b for b in x for _ in (0, 1)))[::2]
                                     for x in (self.START, self.NEW, self.LOST)))
        self.assertEqual(strided, want)
        with self.assertRaises(TypeError):
            libcs.ChurnTally(self.START, self.NEW)
        with self.assertRaises(ValueError):
            libcs.ChurnTally(self.START, self.NEW, self.LOST[:-1])
        with self.assertRaises(TypeError):
            libcs.ChurnTally(array.array("d", [1.0]), [0], [0])
        t = libcs.ChurnTally()
        t.add_batch(b"", b"", b"")  # an empty chunk is a no-op
        self.assertEqual(t.counts, (0, 0, 0))

    @requires_numpy
    def test_numpy(self):
        s, n, c = (numpy.frombuffer(x, dtype=numpy.uint8) for x in (self.START, self.NEW, self.LOST))
        self.assertEqual(libcs.ChurnTally(s, n, c).counts, (100, 20, 10))
        self.assertEqual(libcs.ChurnTally(s.astype(bool), n.astype(bool), c.astype(bool)).counts,
                         (100, 20, 10))

    def test_chunks_and_merges_equal_one_pass(self):
        n = 10_007
        s = bytes(int(i % 9 != 0) for i in range(n))
        w = bytes(int(i % 9 == 0 and i % 4 != 0) for i in range(n))
        c = bytes(int((s[i] or w[i]) and i % 6 == 1) for i in range(n))
        one = libcs.ChurnTally(s, w, c)
        self.assertEqual(one.counts, (sum(s), sum(w), sum(c)))
        chunked, parts = libcs.ChurnTally(), []
        for lo in range(0, n, 999):
            chunked.add_batch(s[lo:lo + 999], w[lo:lo + 999], c[lo:lo + 999])
            parts.append(libcs.ChurnTally(s[lo:lo + 999], w[lo:lo + 999], c[lo:lo + 999]))
        self.assertEqual(chunked, one)
        self.assertEqual(sum(parts), one)
        merged = parts[0].copy()
        for p in parts[1:]:
            merged += p
        self.assertEqual(merged, one)
        self.assertEqual(parts[0] + parts[1], libcs.ChurnTally(s[:1998], w[:1998], c[:1998]))
        doubled = one.copy()
        doubled.merge(doubled)
        self.assertEqual(doubled.counts, tuple(2 * x for x in one.counts))

    def test_batch_errors(self):
        cases = [((2, 0, 0), "flags are 0 or 1"), ((0, 0, 2), "flags are 0 or 1"),
                 ((1, 1, 0), "not both"), ((0, 0, 1), "lost only if")]
        for flags, text in cases:
            s, w, c = bytearray(6), bytearray(6), bytearray(6)
            s[0] = 1
            s[4], w[4], c[4] = flags
            s[5] = 2  # a second bad customer: the first is reported
            t = libcs.ChurnTally.from_counts(5, 6, 7)
            err = self.assertLibcsError(libcs.DomainError, t.add_batch, s, w, c, index=4)
            self.assertEqual(err.value, flags)
            self.assertIn(text, str(err))
            self.assertEqual(t.counts, (5, 6, 7))  # all or nothing
        big = libcs.ChurnTally.from_counts(2**63 - 1)
        self.assertLibcsError(libcs.NumericOverflowError, big.add_batch, [1], [0], [0], index=None)
        self.assertEqual(big.counts, (2**63 - 1, 0, 0))

    def test_add_and_result_errors(self):
        t = libcs.ChurnTally.from_counts(5, 6, 7)
        self.assertLibcsError(libcs.DomainError, t.add, -1, 0, 0, argument="at_start")
        self.assertLibcsError(libcs.DomainError, t.add, 0, -1, 0, argument="new_customers")
        self.assertLibcsError(libcs.DomainError, t.add, 1, 1, 3, argument="churned")
        self.assertLibcsError(libcs.NumericOverflowError, t.add, 2**63 - 1, 0, 0)
        self.assertLibcsError(libcs.DomainError, t.add, 2**63, argument="at_start")  # not an int64
        self.assertEqual(t.counts, (5, 6, 7))
        full = libcs.ChurnTally.from_counts(0, 2**63 - 1, 0)
        with self.assertRaises(libcs.NumericOverflowError):
            full.merge(t)
        with self.assertRaises(TypeError):
            t.merge(libcs.NpsTally())
        self.assertLibcsError(libcs.InvalidArgumentError, t.result, 3, argument="denominator")
        empty = libcs.ChurnTally()
        for d in D:
            self.assertLibcsError(libcs.UndefinedResultError, empty.result, d)
        new_only = libcs.ChurnTally.from_counts(0, 4, 1)
        self.assertLibcsError(libcs.UndefinedResultError, new_only.result, D.START)
        self.assertEqual(new_only.result(D.START_PLUS_NEW), 0.25)

    def test_serialization(self):
        t = libcs.ChurnTally.from_counts(0x0102030405060708, 0x1122334455667788, 0x100000002)
        golden = (b"CSCH\x01\x03\x00\x00" + bytes.fromhex("0807060504030201")
                  + bytes.fromhex("8877665544332211") + bytes.fromhex("0200000001000000"))
        self.assertEqual(libcs.CHURN_TALLY_SERIALIZED_SIZE, 32)
        self.assertEqual(t.to_bytes(), golden)
        self.assertEqual(libcs.ChurnTally.from_bytes(golden), t)
        self.assertEqual(libcs.ChurnTally.from_bytes(bytearray(golden)), t)
        doubled = bytes(b for pair in zip(golden, golden) for b in pair)
        self.assertEqual(libcs.ChurnTally.from_bytes(memoryview(doubled)[::2]), t)  # strided
        bad = [golden[:31], golden + b"\0", b"", b"CSNP" + golden[4:], golden[:4] + b"\x02" + golden[5:],
               golden[:5] + b"\x04" + golden[6:], golden[:6] + b"\x01" + golden[7:],
               golden[:15] + b"\x81" + golden[16:],  # at_start above 2**63 - 1
               libcs.ChurnTally.from_counts(1, 1, 2).to_bytes()[:24] + bytes([3]) + bytes(7)]
        for data in bad:
            self.assertLibcsError(libcs.FormatError, libcs.ChurnTally.from_bytes, data,
                                  argument="data")
        with self.assertRaises(TypeError):
            libcs.ChurnTally.from_bytes("CSCH")

    def test_pickle_and_copy(self):
        t = libcs.ChurnTally(self.START, self.NEW, self.LOST)
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            self.assertEqual(pickle.loads(pickle.dumps(t, proto)), t)
        self.assertIn(t.to_bytes(), pickle.dumps(t))  # travels as the library's bytes
        for c in (t.copy(), copy.copy(t), copy.deepcopy(t)):
            self.assertEqual(c, t)
            c.add(1)
            self.assertNotEqual(c, t)
        self.assertEqual(repr(t), "ChurnTally.from_counts(at_start=100, new_customers=20, churned=10)")
        self.assertEqual(eval("libcs." + repr(t)), t)
        with self.assertRaises(TypeError):
            hash(t)


if __name__ == "__main__":
    unittest.main()
