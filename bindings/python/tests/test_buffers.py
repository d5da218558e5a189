"""Zero-copy buffers: what reaches C is the caller's memory (checked by
address), one C call per batch, exports released after every call (success
or error), conversions of lists and iterables, and survival of everything
across garbage collection."""

import array
import ctypes
import gc
import mmap
import unittest
import weakref

import libcs
from libcs import _buffers as B
from _support import TestCase, numpy, requires_numpy, spy


def bytes_address(b):
    return ctypes.cast(ctypes.c_char_p(b), ctypes.c_void_p).value


class ZeroCopy(TestCase):
    def test_million_scores_one_call_in_place(self):
        n = 10**6
        scores = array.array("B", bytes(range(11)) * (n // 11 + 1))[:n]
        t = libcs.NpsTally()
        with spy("libcs_nps_tally_add_batch") as calls:
            t.add_batch(scores)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0][1], n)
        self.assertEqual(calls[0][2], scores.buffer_info()[0])
        self.assertEqual(t.n, n)

    def test_read_only_buffers_in_place(self):
        data = bytes([9, 10, 3, 7]) * 1000
        with spy("libcs_nps_tally_add_batch") as calls:
            libcs.NpsTally().add_batch(data)
            libcs.NpsTally().add_batch(memoryview(data)[8:])
        self.assertEqual(calls[0][2], bytes_address(data))
        self.assertEqual(calls[1][2], bytes_address(data) + 8)
        self.assertEqual(calls[1][1], len(data) - 8)

    def test_other_exporters(self):
        want = libcs.NpsTally([9, 10, 3, 7])
        ctypes_array = (ctypes.c_uint8 * 4)(9, 10, 3, 7)
        with mmap.mmap(-1, 4) as mm:
            mm.write(bytes([9, 10, 3, 7]))
            for obj in (bytearray([9, 10, 3, 7]), ctypes_array, mm, memoryview(b"\0\0\x09\x0a\x03\x07")[2:]):
                self.assertEqual(libcs.NpsTally(obj), want, type(obj))
        doubles = (ctypes.c_double * 2)(0.5, 0.25)  # format '<d'
        self.assertEqual(list(libcs.ltv_lifetime_batch(doubles)), [2.0, 4.0])

    def test_exports_released_after_calls(self):
        ba = bytearray([1, 2, 3])
        libcs.NpsTally().add_batch(ba)
        ba.append(4)  # would raise BufferError if an export were still held
        bad = bytearray([1, 2, 30])
        with self.assertRaises(libcs.DomainError):
            libcs.NpsTally().add_batch(bad)
        bad.append(4)
        arr = array.array("d", [0.5, 0])
        with self.assertRaises(libcs.UndefinedResultError):
            libcs.ltv_lifetime_batch(arr)
        arr.append(1.0)
        out = array.array("d", [0, 0, 0])
        libcs.ltv_lifetime_batch(array.array("d", [0.5, 0.25, 1]), out=out)
        out.append(0)

    def test_empty_buffers_reach_the_library(self):
        with spy("libcs_nps_tally_add_batch") as calls:
            libcs.NpsTally().add_batch(array.array("B"))
        self.assertEqual(calls[0][1], 0)
        self.assertNotEqual(calls[0][2], 0)  # a valid pointer: the library decides
        self.assertLibcsError(libcs.EmptyInputError, libcs.ltv_lifetime_batch, array.array("d"))

    def test_conversions(self):
        self.assertEqual(libcs.NpsTally(iter([9, 10])), libcs.NpsTally(b"\x09\x0a"))
        self.assertEqual(libcs.NpsTally((9, 10)), libcs.NpsTally([9, 10]))
        self.assertEqual(libcs.NpsTally(range(11)).counts, (1,) * 11)
        with self.assertRaises(TypeError):
            libcs.NpsTally("910")
        with self.assertRaises(TypeError):
            libcs.NpsTally({9: 1})
        with self.assertRaises(TypeError):
            libcs.NpsTally(42)
        with self.assertRaises(TypeError):
            libcs.NpsTally([9, None])
        with self.assertRaises(TypeError):
            libcs.NpsTally(array.array("b", [9]))  # signed bytes are not uint8

    def test_fallback_without_pythonapi(self):
        """The paths used where ctypes.pythonapi does not exist (PyPy):
        writable buffers still in place, read-only ones copied once."""
        saved = B._GETBUF
        B._GETBUF = None
        try:
            writable = bytearray([9, 10, 3])
            with spy("libcs_nps_tally_add_batch") as calls:
                t = libcs.NpsTally(writable)
            self.assertEqual(calls[0][2], ctypes.addressof(ctypes.c_char.from_buffer(writable)))
            self.assertEqual(t, libcs.NpsTally(bytes(writable)))
            writable.append(1)  # released
            self.assertEqual(libcs.nps_from_scores(bytes([9, 10, 3])).n, 3)
        finally:
            B._GETBUF = saved

    def test_scalar_conversion_guards(self):
        with self.assertRaises(TypeError):
            B.to_float("1", "f", "x")
        self.assertEqual(B.to_int(True, B.CINT, "f", "x"), 1)
        self.assertLibcsError(libcs.DomainError, B.to_int, 2**31, B.CINT, "f", "x", argument="x")
        self.assertEqual(B.to_int(2**64 - 1, B.UINT64, "f", "x"), 2**64 - 1)


class GarbageCollection(TestCase):
    def test_results_outlive_inputs_and_temporaries(self):
        out = libcs.ltv_subscription_batch([100.0 + i for i in range(10000)], 0.8,
                                           array.array("d", [0.05]) * 10000)
        tally = libcs.NpsTally(bytes(range(11)) * 100)
        res = tally.result()
        del tally
        for _ in range(3):
            gc.collect()
        self.assertEqual(out[0], 1600.0)
        self.assertEqual(len(out), 10000)
        self.assertEqual(res.n, 1100)

    def test_input_dropped_right_after_call(self):
        class Box:
            pass
        box = Box()
        box.data = array.array("d", [0.5] * 1000)
        ref = weakref.ref(box)
        out = libcs.ltv_lifetime_batch(box.data)
        del box
        gc.collect()
        self.assertIsNone(ref())
        self.assertEqual(set(out), {2.0})

    def test_handles_in_cycles(self):
        class Holder:
            pass
        h = Holder()
        h.model = libcs.HealthModel()
        h.model.add_linear("x", 1, 0, 10)
        h.policy = libcs.LifecyclePolicy()
        h.self = h  # a reference cycle: only the cycle collector frees it
        fins = (h.model._finalizer, h.policy._finalizer)
        scores = h.model.score_batch([[1.0], [5.0], [None]])
        del h
        gc.collect()
        self.assertFalse(any(f.alive for f in fins))
        self.assertEqual(list(scores.scores)[:2], [10.0, 50.0])


@requires_numpy
class NumpyZeroCopy(TestCase):
    def test_ten_million_scores_one_call(self):
        s = (numpy.arange(10**7) % 11).astype(numpy.uint8)
        with spy("libcs_nps_tally_add_batch") as calls:
            t = libcs.NpsTally(s)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0][1:3], (10**7, s.ctypes.data))
        self.assertEqual(t, libcs.NpsTally(array.array("B", s.tobytes())))

    def test_views_and_slices(self):
        base = numpy.arange(100, dtype=numpy.float64) / 200 + 0.01
        view = base[10:20]
        with spy("libcs_ltv_lifetime_batch") as calls:
            out = libcs.ltv_lifetime_batch(view)
        self.assertEqual(calls[0][1], view.ctypes.data)
        self.assertArrayEqual(out, 1 / view, places=12)
        strided = base[::3]
        self.assertArrayEqual(libcs.ltv_lifetime_batch(strided), 1 / strided, places=12)

    def test_numpy_results_survive_gc(self):
        out = libcs.ltv_lifetime_batch(numpy.full(1000, 0.25))
        gc.collect()
        self.assertTrue((out == 4.0).all())
        self.assertTrue(out.flags.owndata)


if __name__ == "__main__":
    unittest.main()
