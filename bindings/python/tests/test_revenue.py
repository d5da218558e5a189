"""Revenue churn, NRR, GRR and the quick ratio from MRR movements in cents."""

import array
import unittest

import libcs
from _support import ALLOW_NO_NUMPY, TestCase, is_array_array, numpy, requires_numpy

# libcs(7): MRR 100,000.00 at start, 8,000 new, 3,000 expansion, 1,000
# reactivation, 2,000 contraction, 4,000 churned (in cents)
START, NEW, EXP, REACT, CONTR, CHURNED = 10_000_000, 800_000, 300_000, 100_000, 200_000, 400_000


class WorkedExamples(TestCase):
    def test_libcs7(self):
        self.assertEqual(libcs.revenue_churn_gross(START, CHURNED, CONTR), 0.06)
        self.assertEqual(libcs.revenue_churn_net(START, CHURNED, CONTR, EXP, REACT), 0.02)
        self.assertEqual(libcs.revenue_nrr(START, CHURNED, CONTR, EXP, REACT), 0.98)
        self.assertEqual(libcs.revenue_nrr(START, CHURNED, CONTR, EXP, reactivation=0), 0.97)
        self.assertEqual(libcs.revenue_grr(START, CHURNED, CONTR), 0.94)
        self.assertEqual(libcs.revenue_quick_ratio(NEW, EXP, REACT, CHURNED, CONTR), 2.0)
        self.assertEqual(libcs.revenue_churn_simple(5000, 12, 2_000_000), 0.03)

    def test_negative_net_churn(self):
        self.assertLess(libcs.revenue_churn_net(1000, 10, 0, 100, 0), 0)


class Errors(TestCase):
    def test_domain(self):
        self.assertLibcsError(libcs.DomainError, libcs.revenue_churn_gross, 100, -1, 0,
                              argument="churned")
        self.assertLibcsError(libcs.DomainError, libcs.revenue_churn_gross, 100, 60, 50,
                              argument="churned")
        self.assertLibcsError(libcs.DomainError, libcs.revenue_churn_net, 100, 0, 0, -5, 0,
                              argument="expansion")
        self.assertLibcsError(libcs.DomainError, libcs.revenue_nrr, 100, 0, 0, 0, -1,
                              argument="reactivation")
        self.assertLibcsError(libcs.DomainError, libcs.revenue_grr, -100, 0, 0,
                              argument="mrr_start")
        self.assertLibcsError(libcs.DomainError, libcs.revenue_quick_ratio, -1, 0, 0, 1, 0,
                              argument="new_mrr")
        self.assertLibcsError(libcs.DomainError, libcs.revenue_churn_simple, 5, -1, 10,
                              argument="cancellations")

    def test_undefined(self):
        self.assertLibcsError(libcs.UndefinedResultError, libcs.revenue_churn_gross, 0, 0, 0,
                              argument="mrr_start")
        self.assertLibcsError(libcs.UndefinedResultError, libcs.revenue_grr, 0, 0, 0,
                              argument="mrr_start")
        self.assertLibcsError(libcs.UndefinedResultError, libcs.revenue_quick_ratio, 1, 1, 1, 0, 0,
                              argument=None)
        self.assertLibcsError(libcs.UndefinedResultError, libcs.revenue_churn_simple, 1, 1, 0,
                              argument="total_revenue")

    def test_overflow(self):
        big = 2**63 - 1
        self.assertLibcsError(libcs.NumericOverflowError, libcs.revenue_churn_simple, big, 3, 1)
        self.assertLibcsError(libcs.NumericOverflowError, libcs.revenue_nrr, big, 0, 0, big, big)
        self.assertLibcsError(libcs.NumericOverflowError, libcs.revenue_quick_ratio,
                              big, big, big, 1, 0)

    def test_types(self):
        with self.assertRaises(TypeError):
            libcs.revenue_grr(100.5, 0, 0)
        self.assertLibcsError(libcs.DomainError, libcs.revenue_grr, 2**63, 0, 0,
                              argument="mrr_start")


class Batch(TestCase):
    CASES = [
        (libcs.revenue_churn_gross, libcs.revenue_churn_gross_batch,
         [[START, 1000, 5], [CHURNED, 10, 0], [CONTR, 90, 5]]),
        (libcs.revenue_churn_net, libcs.revenue_churn_net_batch,
         [[START, 1000, 5], [CHURNED, 10, 0], [CONTR, 90, 5], [EXP, 500, 0], [REACT, 0, 1]]),
        (libcs.revenue_churn_simple, libcs.revenue_churn_simple_batch,
         [[5000, 100, 1], [12, 0, 7], [2_000_000, 5, 70]]),
        (libcs.revenue_nrr, libcs.revenue_nrr_batch,
         [[START, 1000, 5], [CHURNED, 10, 0], [CONTR, 90, 5], [EXP, 500, 0], [REACT, 0, 1]]),
        (libcs.revenue_grr, libcs.revenue_grr_batch,
         [[START, 1000, 5], [CHURNED, 10, 0], [CONTR, 90, 5]]),
        (libcs.revenue_quick_ratio, libcs.revenue_quick_ratio_batch,
         [[NEW, 0, 5], [EXP, 10, 0], [REACT, 0, 0], [CHURNED, 1, 3], [CONTR, 0, 0]]),
    ]

    def test_batch_is_loop_of_singles(self):
        for scalar, batch, cols in self.CASES:
            with self.subTest(batch.__name__):
                want = [scalar(*row) for row in zip(*cols)]
                for make in (list, lambda c: array.array("q", c)):
                    got = batch(*[make(c) for c in cols])
                    self.assertTrue(is_array_array(got, "d"))
                    self.assertArrayEqual(got, want)
                if numpy is None:
                    self.assertTrue(ALLOW_NO_NUMPY, "numpy is not importable (python3-numpy)")
                else:
                    got = batch(*[numpy.array(c, dtype=numpy.int64) for c in cols])
                    self.assertIsInstance(got, numpy.ndarray)
                    self.assertArrayEqual(got, want)

    def test_batch_errors(self):
        self.assertLibcsError(libcs.DomainError, libcs.revenue_grr_batch,
                              [100, 100], [0, 70], [0, 40], argument="churned", index=1)
        self.assertLibcsError(libcs.UndefinedResultError, libcs.revenue_churn_gross_batch,
                              [100, 0], 0, 0, argument="mrr_start", index=1)
        self.assertLibcsError(libcs.EmptyInputError, libcs.revenue_nrr_batch, [], [], [], [], [])
        with self.assertRaises(ValueError):
            libcs.revenue_grr_batch([1, 2], [0], 0)

    @requires_numpy
    def test_numpy_dtypes(self):
        with self.assertRaises(TypeError):
            libcs.revenue_grr_batch(numpy.array([100.0]), 0, 0)
        with self.assertRaises(TypeError):
            libcs.revenue_grr_batch(numpy.array([100], dtype=numpy.uint64), 0, 0)
        got = libcs.revenue_grr_batch(numpy.array([100, 200]), numpy.int64(10), 0)
        self.assertArrayEqual(got, [0.9, 0.95])


if __name__ == "__main__":
    unittest.main()
