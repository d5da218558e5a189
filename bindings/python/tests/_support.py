"""Shared helpers of the libcs Python tests: numpy detection (numpy tests
have array.array/list twins; without numpy they fail unless
LIBCS_ALLOW_NO_NUMPY=1), a tracer that
records every C function the suite calls (test_zz_coverage checks that each
bound one was), and error assertions."""

import array
import contextlib
import functools
import math
import os
import sys
import unittest

import libcs
from libcs import _ffi

try:
    import numpy
except ImportError:  # numpy is optional at run time, not for the tests
    numpy = None

#: Without numpy its tests are skipped (their array.array twins still run)
#: only when LIBCS_ALLOW_NO_NUMPY=1 says so; otherwise they fail, so that a
#: missing python3-numpy cannot pass unnoticed (run-tests.sh checks first).
ALLOW_NO_NUMPY = os.environ.get("LIBCS_ALLOW_NO_NUMPY") == "1"


def _numpy_missing(test):
    @functools.wraps(test)
    def missing(self, *args, **kwargs):
        self.fail("numpy is not importable: install python3-numpy, or set "
                  "LIBCS_ALLOW_NO_NUMPY=1 to skip the numpy tests")
    return missing


def requires_numpy(test):
    """Decorate a numpy test (method or class)."""
    if numpy is not None:
        return test
    if ALLOW_NO_NUMPY:
        return unittest.skip("numpy is not importable (LIBCS_ALLOW_NO_NUMPY=1)")(test)
    if isinstance(test, type):
        for name in dir(test):
            if name.startswith("test") and callable(getattr(test, name)):
                setattr(test, name, _numpy_missing(getattr(test, name)))
        return test
    return _numpy_missing(test)

TOP_SRCDIR = os.path.abspath(os.environ.get("top_srcdir") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
TOP_BUILDDIR = os.environ.get("top_builddir") and os.path.abspath(os.environ["top_builddir"])
PKG_DIR = os.path.join(TOP_SRCDIR, "bindings", "python")

# ---- tracing every C call ---------------------------------------------------

CALLED = set()


def _install_tracer():
    if getattr(_ffi.C, "_traced", False):
        return
    for name in _ffi.BOUND:
        fn = getattr(_ffi.C, name)

        def traced(*args, _fn=fn, _name=name):
            CALLED.add(_name)
            return _fn(*args)

        traced.__name__ = name
        traced.wrapped = fn
        setattr(_ffi.C, name, traced)
    _ffi.C._traced = True


_install_tracer()


@contextlib.contextmanager
def spy(name):
    """Record the arguments of every call of C function `name`."""
    calls = []
    original = getattr(_ffi.C, name)

    def recorder(*args):
        calls.append(args)
        return original(*args)

    setattr(_ffi.C, name, recorder)
    try:
        yield calls
    finally:
        setattr(_ffi.C, name, original)

# ---- assertions -----------------------------------------------------------


class TestCase(unittest.TestCase):
    def assertLibcsError(self, cls, fn, *args, argument="unset", index="unset", **kwargs):
        """fn(*args) raises exactly class `cls` (a libcs.Error subclass)
        carrying the given argument and index; returns the exception."""
        with self.assertRaises(cls) as cm:
            fn(*args, **kwargs)
        err = cm.exception
        self.assertIs(type(err), cls, str(err))
        self.assertEqual(err.code, cls.code)
        self.assertEqual(err.message, libcs.strerror(cls.code))
        self.assertIn(err.message, str(err))
        if argument != "unset":
            self.assertEqual(err.argument, argument, str(err))
        if index != "unset":
            self.assertEqual(err.index, index, str(err))
        return err

    def assertArrayEqual(self, got, want, places=None):
        got = list(got)
        want = list(want)
        self.assertEqual(len(got), len(want))
        for i, (g, w) in enumerate(zip(got, want)):
            if isinstance(w, float) and math.isnan(w):
                self.assertTrue(math.isnan(g), "element %d: %r is not NaN" % (i, g))
            elif places is None:
                self.assertEqual(g, w, "element %d" % i)
            else:
                self.assertAlmostEqual(g, w, places=places, msg="element %d" % i)


def darr(*values):
    return array.array("d", values)


def is_array_array(x, typecode):
    return isinstance(x, array.array) and x.typecode == typecode


def nan_equal(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


__all__ = ["CALLED", "TOP_SRCDIR", "TOP_BUILDDIR", "PKG_DIR", "TestCase", "darr",
           "is_array_array", "nan_equal", "numpy", "requires_numpy", "ALLOW_NO_NUMPY", "spy", "sys"]
