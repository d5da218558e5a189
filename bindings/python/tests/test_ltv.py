"""LTV functions: worked examples from libcs(7), every error path, batch =
loop of singles (lists, array.array, numpy), broadcasting and out=."""

import array
import math
import unittest

import libcs
from _support import TestCase, darr, is_array_array, numpy, requires_numpy, spy

# scalar function, batch function, columns of valid inputs (one per argument)
CASES = [
    (libcs.ltv_simple, libcs.ltv_simple_batch, [[45, 0, 12.5], [6, 3, 0]]),
    (libcs.ltv_repeat, libcs.ltv_repeat_batch, [[45, 35, 60], [3, 4, 2.5], [4, 3, 2]]),
    (libcs.ltv_subscription, libcs.ltv_subscription_batch,
     [[100, 50, 0], [0.8, 0.6, 0.9], [0.05, 0.02, 1]]),
    (libcs.ltv_contract, libcs.ltv_contract_batch, [[12000, 5000, 0], [0.75, 0.5, 1], [3, 1.5, 2]]),
    (libcs.ltv_net, libcs.ltv_net_batch,
     [[50, 100, 10], [0.6, 0.8, 0.5], [2, 1, 1], [24, 20, 2], [400, 450, 100], [200, 20, 0]]),
    (libcs.ltv_discounted, libcs.ltv_discounted_batch,
     [[100, 100, 80], [0.8, 0.8, 1], [0.95, 0.95, 0], [0.01, 0, -0.02]]),
    (libcs.ltv_lifetime, libcs.ltv_lifetime_batch, [[0.05, 0.5, 1]]),
    (libcs.ltv_cac_ratio, libcs.ltv_cac_ratio_batch, [[1600, -10, 0], [500, 100, 3]]),
    (libcs.ltv_cac_payback, libcs.ltv_cac_payback_batch, [[500, 0, 30], [100, 10, 3], [0.8, 0.5, 1]]),
]


class WorkedExamples(TestCase):
    """The FORMULAS section of libcs(7)."""

    def test_simple_and_repeat(self):
        self.assertEqual(libcs.ltv_simple(avg_order_value=45, purchases=6), 270.0)
        self.assertEqual(libcs.ltv_repeat(45, purchases_per_period=3, lifetime_periods=4), 540.0)

    def test_subscription(self):
        self.assertEqual(libcs.ltv_subscription(arpu=100.0, margin=0.8, churn=0.05), 1600.0)
        self.assertEqual(libcs.ltv_lifetime(churn=0.05), 20.0)

    def test_contract_and_net(self):
        self.assertEqual(libcs.ltv_contract(12000, 0.75, 3), 27000.0)
        self.assertEqual(libcs.ltv_net(50, 0.6, 2, 24, 400, 200), 840.0)
        self.assertLess(libcs.ltv_net(10, 0.5, 1, 1, 100, 0), 0)  # may be negative

    def test_discounted(self):
        self.assertAlmostEqual(libcs.ltv_discounted(100, 0.8, 0.95, 0.01), 80 * 1.01 / 0.06, 9)
        self.assertAlmostEqual(libcs.ltv_discounted_horizon(100, 0.8, 0.95, 0.01, 12), 700.88, 2)
        self.assertAlmostEqual(libcs.ltv_discounted(100, 0.8, 0.95, 0), 1600.0, 9)
        self.assertEqual(libcs.ltv_discounted_horizon(100, 0.8, 0.95, 0.01, periods=0), 0.0)
        self.assertEqual(libcs.ltv_discounted_horizon(100, 0.8, 0, 0.01, periods=5), 80.0)
        self.assertEqual(libcs.ltv_discounted_horizon(100, 0.8, 1, 0, periods=2**32 - 1),
                         80.0 * (2**32 - 1))

    def test_cac(self):
        self.assertEqual(libcs.ltv_cac_ratio(ltv=1600, cac=500), 3.2)
        self.assertEqual(libcs.ltv_cac_payback(cac=500, arpu=100, margin=0.8), 6.25)

    def test_keyword_arguments_and_number_types(self):
        from decimal import Decimal
        from fractions import Fraction
        self.assertEqual(libcs.ltv_subscription(churn=0.05, margin=0.8, arpu=100), 1600.0)
        self.assertEqual(libcs.ltv_subscription(Decimal("100"), Fraction(4, 5), 0.05), 1600.0)
        self.assertIsInstance(libcs.ltv_simple(1, 2), float)


class Errors(TestCase):
    def test_undefined(self):
        err = self.assertLibcsError(libcs.UndefinedResultError, libcs.ltv_subscription,
                                    100, 0.8, 0.0, argument="churn", index=None)
        self.assertEqual(err.function, "ltv_subscription")
        self.assertEqual(err.value, 0.0)
        self.assertIn("churn = 0.0", str(err))
        self.assertLibcsError(libcs.UndefinedResultError, libcs.ltv_lifetime, 0, argument="churn")
        self.assertLibcsError(libcs.UndefinedResultError, libcs.ltv_discounted, 100, 0.8, 1, 0,
                              argument="retention")
        self.assertLibcsError(libcs.UndefinedResultError, libcs.ltv_cac_ratio, 100, 0,
                              argument="cac")
        self.assertLibcsError(libcs.UndefinedResultError, libcs.ltv_cac_payback, 100, 0, 0.5,
                              argument="arpu")
        self.assertLibcsError(libcs.UndefinedResultError, libcs.ltv_cac_payback, 100, 10, 0,
                              argument="margin")

    def test_domain(self):
        self.assertLibcsError(libcs.DomainError, libcs.ltv_subscription, -1, 0.8, 0.05,
                              argument="arpu")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_subscription, 100, 1.5, 0.05,
                              argument="margin")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_subscription, 100, 0.8, 1.05,
                              argument="churn")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_simple, 10, -1, argument="purchases")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_repeat, 10, 1, -1,
                              argument="lifetime_periods")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_contract, 10, 0.5, -3,
                              argument="years")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_net, 10, 0.5, 1, 1, 1, -2,
                              argument="retention_cost")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_discounted, 10, 0.5, 0.9, -1,
                              argument="discount")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_discounted_horizon, 10, 0.5, 1.2, 0, 3,
                              argument="retention")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_cac_ratio, 10, -5, argument="cac")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_cac_payback, -5, 10, 0.5,
                              argument="cac")

    def test_nan_and_infinity(self):
        for bad in (math.nan, math.inf, -math.inf):
            err = self.assertLibcsError(libcs.NonFiniteError, libcs.ltv_subscription,
                                        100, bad, 0.05, argument="margin")
            self.assertTrue(err.value != err.value or math.isinf(err.value))
        self.assertLibcsError(libcs.NonFiniteError, libcs.ltv_cac_ratio, math.nan, 1,
                              argument="ltv")
        self.assertLibcsError(libcs.NonFiniteError, libcs.ltv_simple, 10**400, 1,
                              argument="avg_order_value")

    def test_overflow(self):
        self.assertLibcsError(libcs.NumericOverflowError, libcs.ltv_simple, 1e200, 1e200)
        self.assertLibcsError(libcs.NumericOverflowError, libcs.ltv_net, 1e200, 1, 1e200, 1, 0, 0)
        self.assertLibcsError(libcs.NumericOverflowError, libcs.ltv_lifetime, 5e-324)

    def test_wrong_types(self):
        for bad in ("100", b"100", None, [100], {"x": 1}, object()):
            with self.assertRaises(TypeError, msg=repr(bad)) as cm:
                libcs.ltv_subscription(bad, 0.8, 0.05)
            self.assertIn("arpu", str(cm.exception))
        with self.assertRaises(TypeError):
            libcs.ltv_discounted_horizon(100, 0.8, 0.9, 0, 12.0)  # periods is an integer
        self.assertLibcsError(libcs.DomainError, libcs.ltv_discounted_horizon,
                              100, 0.8, 0.9, 0, 2**32, argument="periods")
        self.assertLibcsError(libcs.DomainError, libcs.ltv_discounted_horizon,
                              100, 0.8, 0.9, 0, -1, argument="periods")
        with self.assertRaises(TypeError):
            libcs.ltv_subscription(100, 0.8)  # missing argument


class Batch(TestCase):
    def test_batch_is_loop_of_singles(self):
        for scalar, batch, cols in CASES:
            with self.subTest(batch.__name__):
                want = [scalar(*row) for row in zip(*cols)]
                for make in (list, tuple, lambda c: array.array("d", c), iter):
                    got = batch(*[make(c) for c in cols])
                    self.assertTrue(is_array_array(got, "d"), type(got))
                    self.assertArrayEqual(got, want)

    def test_horizon_batch_uint32_periods(self):
        args = ([100, 100], [0.8, 0.8], [0.95, 0.95], [0.01, 0.01])
        want = [libcs.ltv_discounted_horizon(*a, p) for a, p in zip(zip(*args), (12, 36))]
        for periods in ([12, 36], array.array("I", [12, 36])):
            self.assertArrayEqual(libcs.ltv_discounted_horizon_batch(*args, periods), want)
        with self.assertRaises(TypeError):  # uint32 is needed, not int64
            libcs.ltv_discounted_horizon_batch(*args, array.array("q", [12, 36]))

    def test_broadcast_scalars(self):
        got = libcs.ltv_subscription_batch([100, 200, 50], 0.8, [0.05, 0.1, 0.5])
        self.assertArrayEqual(got, [1600.0, 1600.0, 80.0])
        got = libcs.ltv_subscription_batch(100, margin=0.8, churn=darr(0.05, 0.1))
        self.assertArrayEqual(got, [1600.0, 800.0])
        with self.assertRaises(TypeError):
            libcs.ltv_subscription_batch(100, 0.8, 0.05)  # no array at all

    def test_error_index_and_argument(self):
        err = self.assertLibcsError(libcs.UndefinedResultError, libcs.ltv_subscription_batch,
                                    [100, 200, 300], 0.8, [0.1, 0.2, 0.0],
                                    argument="churn", index=2)
        self.assertEqual(err.value, 0.0)
        self.assertEqual(err.function, "ltv_subscription_batch")
        self.assertIn("churn[2] = 0.0", str(err))
        self.assertLibcsError(libcs.NonFiniteError, libcs.ltv_subscription_batch,
                              [100, math.nan, 300], 0.8, 0.1, argument="arpu", index=1)
        self.assertLibcsError(libcs.DomainError, libcs.ltv_subscription_batch,
                              [100, 200, 300], [0.8, 0.8, 2], 0.1, argument="margin", index=2)
        self.assertLibcsError(libcs.NumericOverflowError, libcs.ltv_simple_batch,
                              [1, 1e200], [1, 1e200], index=1)

    def test_output_untouched_on_error(self):
        out = darr(-1, -1, -1)
        with self.assertRaises(libcs.UndefinedResultError):
            libcs.ltv_lifetime_batch([0.5, 0.1, 0], out=out)
        self.assertEqual(list(out), [-1, -1, -1])

    def test_empty_batch(self):
        self.assertLibcsError(libcs.EmptyInputError, libcs.ltv_subscription_batch,
                              [], [], [], index=None)
        self.assertLibcsError(libcs.EmptyInputError, libcs.ltv_lifetime_batch, darr())

    def test_lengths_and_element_types(self):
        with self.assertRaises(ValueError) as cm:
            libcs.ltv_subscription_batch([100, 200, 300], 0.8, [0.1, 0.2])
        self.assertIn("churn has 2 elements but arpu has 3", str(cm.exception))
        with self.assertRaises(TypeError) as cm:
            libcs.ltv_subscription_batch([100, "200"], 0.8, 0.1)
        self.assertIn("arpu[1]", str(cm.exception))
        with self.assertRaises(TypeError):
            libcs.ltv_subscription_batch([100, None], 0.8, 0.1)
        for wrong in (array.array("f", [1, 2]), array.array("q", [1, 2]), b"\x01\x02",
                      "12", {1: 2}, {1.0, 2.0}):
            with self.assertRaises(TypeError, msg=repr(wrong)):
                libcs.ltv_subscription_batch(wrong, 0.8, 0.1)
        with self.assertRaises(ValueError):  # two-dimensional
            libcs.ltv_lifetime_batch(memoryview(darr(0.1, 0.2, 0.3, 0.4)).cast("B").cast("d", (2, 2)))

    def test_out(self):
        out = darr(0, 0, 0)
        got = libcs.ltv_subscription_batch([100, 200, 300], 0.8, 0.5, out=out)
        self.assertIs(got, out)
        self.assertArrayEqual(out, [160.0, 320.0, 480.0])
        ba = bytearray(16)
        libcs.ltv_lifetime_batch([0.5, 0.25], out=memoryview(ba).cast("d"))
        self.assertEqual(array.array("d", bytes(ba)).tolist(), [2.0, 4.0])
        with self.assertRaises(ValueError):
            libcs.ltv_lifetime_batch([0.5, 0.25], out=darr(0))
        with self.assertRaises(TypeError):
            libcs.ltv_lifetime_batch([0.5, 0.25], out=bytes(16))  # read-only
        with self.assertRaises(TypeError):
            libcs.ltv_lifetime_batch([0.5, 0.25], out=array.array("f", [0, 0]))
        with self.assertRaises(TypeError):
            libcs.ltv_lifetime_batch([0.5, 0.25], out=[0.0, 0.0])

    def test_in_place(self):
        churn = darr(0.5, 0.25)
        libcs.ltv_lifetime_batch(churn, out=churn)
        self.assertEqual(list(churn), [2.0, 4.0])

    def test_one_c_call_for_a_million(self):
        n = 10**6
        arpu = array.array("d", [100.0]) * n
        with spy("libcs_ltv_subscription_batch") as calls:
            out = libcs.ltv_subscription_batch(arpu, 0.8, 0.05)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0][0], n)
        self.assertEqual(calls[0][1], arpu.buffer_info()[0])  # arpu passed in place
        self.assertEqual(len(out), n)
        self.assertEqual(out[0], 1600.0)
        self.assertEqual(out[n - 1], 1600.0)


@requires_numpy
class NumpyBatch(TestCase):
    def test_numpy_in_numpy_out(self):
        for scalar, batch, cols in CASES:
            with self.subTest(batch.__name__):
                arrays = [numpy.asarray(c, dtype=numpy.float64) for c in cols]
                got = batch(*arrays)
                self.assertIsInstance(got, numpy.ndarray)
                self.assertEqual(got.dtype, numpy.float64)
                self.assertArrayEqual(got, batch(*cols))

    def test_mixed_and_broadcast(self):
        arpu = numpy.array([100.0, 200.0])
        got = libcs.ltv_subscription_batch(arpu, 0.8, [0.05, 0.1])
        self.assertIsInstance(got, numpy.ndarray)
        self.assertArrayEqual(got, [1600.0, 1600.0])
        got = libcs.ltv_subscription_batch(numpy.float64(100), numpy.float32(0.5), darr(0.5))
        self.assertTrue(is_array_array(got, "d"))  # numpy scalars are scalars

    def test_zero_copy_and_readonly(self):
        arpu = numpy.linspace(1, 100, 1000)
        arpu.flags.writeable = False
        with spy("libcs_ltv_subscription_batch") as calls:
            libcs.ltv_subscription_batch(arpu, 0.8, 0.05)
        self.assertEqual(calls[0][1], arpu.ctypes.data)

    def test_strided_column_is_copied_once(self):
        m = numpy.arange(12, dtype=numpy.float64).reshape(4, 3)
        col = m[:, 1]
        self.assertFalse(col.flags.c_contiguous)
        self.assertArrayEqual(libcs.ltv_simple_batch(col, 2), [2.0, 8.0, 14.0, 20.0])

    def test_wrong_dtype_and_shape(self):
        with self.assertRaises(TypeError) as cm:
            libcs.ltv_subscription_batch(numpy.arange(3), 0.8, 0.1)
        self.assertIn("float64", str(cm.exception))
        with self.assertRaises(TypeError):
            libcs.ltv_subscription_batch(numpy.ones(3, numpy.float32), 0.8, 0.1)
        with self.assertRaises(TypeError):
            libcs.ltv_subscription_batch(numpy.ones(3, ">f8"), 0.8, 0.1)
        with self.assertRaises(ValueError):
            libcs.ltv_subscription_batch(numpy.ones((2, 2)), 0.8, 0.1)

    def test_error_index(self):
        churn = numpy.full(1000, 0.05)
        churn[777] = 0
        self.assertLibcsError(libcs.UndefinedResultError, libcs.ltv_subscription_batch,
                              100.0, 0.8, churn, argument="churn", index=777)

    def test_out_numpy(self):
        out = numpy.zeros(3)
        self.assertIs(libcs.ltv_lifetime_batch(numpy.array([0.5, 0.25, 1]), out=out), out)
        self.assertEqual(out.tolist(), [2.0, 4.0, 1.0])
        with self.assertRaises(ValueError):
            libcs.ltv_lifetime_batch([0.5], out=numpy.zeros((1, 1)))


if __name__ == "__main__":
    unittest.main()
