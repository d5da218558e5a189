"""Customer churn, retention and rate conversion."""

import array
import math
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


if __name__ == "__main__":
    unittest.main()
