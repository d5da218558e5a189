"""The exception hierarchy: one class per status code, each raised from a
real library error, carrying the library's message; errors pickle."""

import math
import os
import pickle
import re
import subprocess
import sys
import unittest

import libcs
from libcs import Status
from _support import PKG_DIR, TOP_SRCDIR, TestCase

CLASSES = {
    Status.EINVAL: (libcs.InvalidArgumentError, ValueError),
    Status.EDOMAIN: (libcs.DomainError, ValueError),
    Status.ENONFINITE: (libcs.NonFiniteError, ValueError),
    Status.EEMPTY: (libcs.EmptyInputError, ValueError),
    Status.EUNDEFINED: (libcs.UndefinedResultError, ArithmeticError),
    Status.EOVERFLOW: (libcs.NumericOverflowError, OverflowError),
    Status.ENOMEM: (libcs.OutOfMemoryError, MemoryError),
    Status.EBUFSIZE: (libcs.BufferTooSmallError, ValueError),
    Status.ENOCONV: (libcs.NotConvergedError, ArithmeticError),
    Status.EFORMAT: (libcs.FormatError, ValueError),
    Status.EDUPLICATE: (libcs.DuplicateError, ValueError),
}

# a real library call that fails with each code (ENOMEM: see test_out_of_memory;
# ENOCONV: no function of this version returns it -- it is reserved for the
# iterative CLV fits)
REAL = {
    Status.EINVAL: lambda: libcs.churn_customer(1, 0, 0, denominator=7),
    Status.EDOMAIN: lambda: libcs.ltv_subscription(100, 2.0, 0.05),
    Status.ENONFINITE: lambda: libcs.ltv_subscription(math.nan, 0.8, 0.05),
    Status.EEMPTY: lambda: libcs.nps_from_scores(b""),
    Status.EUNDEFINED: lambda: libcs.ltv_subscription(100, 0.8, 0.0),
    Status.EOVERFLOW: lambda: libcs.ltv_simple(1e200, 1e200),
    Status.EBUFSIZE: lambda: libcs.NpsTally().serialize_into(bytearray(8)),
    Status.EFORMAT: lambda: libcs.NpsTally.from_bytes(b"not a tally"),
    Status.EDUPLICATE: lambda: _duplicated_ledger().movements(),
}


def _duplicated_ledger():
    ledger = libcs.MrrLedger(1, 3)
    ledger.add([5, 6, 5], [1, 1, 1], [100, 200, 300])
    return ledger


def header_status_codes():
    """{name: value} of enum libcs_status in include/libcs.h, as the library
    defines them (so a code added there cannot map to the base Error)."""
    with open(os.path.join(TOP_SRCDIR, "include", "libcs.h"), encoding="utf-8") as f:
        text = f.read()
    body = re.search(r"enum libcs_status\s*\{(.*?)\}", text, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", " ", body, flags=re.S)
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"LIBCS_(\w+)\s*=\s*(-?\d+)", body)}


class Hierarchy(TestCase):
    def test_every_header_code_has_its_class(self):
        codes = header_status_codes()
        self.assertEqual(codes.pop("OK"), 0)
        self.assertGreaterEqual(len(codes), 11)
        self.assertEqual({s.name: int(s) for s in Status if s != Status.OK}, codes,
                         "Status differs from enum libcs_status in libcs.h")
        for name, code in codes.items():
            cls = libcs.error_class(code)
            self.assertIsNot(cls, libcs.Error, "LIBCS_%s (%d) maps to the base Error" % (name, code))
            self.assertEqual(cls.code, code)
            self.assertIn(code, CLASSES, "LIBCS_%s has no entry in CLASSES" % name)
            self.assertNotEqual(libcs.strerror(code), libcs.strerror(-99),
                                "the library has no message for LIBCS_%s" % name)
        self.assertEqual(set(REAL) | {Status.ENOMEM, Status.ENOCONV}, set(codes.values()),
                         "a new code needs a real library call in REAL")

    def test_one_class_per_code(self):
        self.assertEqual(set(CLASSES), set(Status) - {Status.OK})
        for code, (cls, builtin) in CLASSES.items():
            self.assertTrue(issubclass(cls, libcs.Error))
            self.assertTrue(issubclass(cls, builtin), cls)
            self.assertEqual(cls.code, code)
            self.assertIs(libcs.error_class(code), cls)
            self.assertIs(libcs.error_class(int(code)), cls)
        self.assertIs(libcs.error_class(-99), libcs.Error)
        self.assertIsNot(libcs.NumericOverflowError, OverflowError)  # the builtin is not shadowed

    def test_raised_from_real_library_errors(self):
        for code, call in REAL.items():
            cls = CLASSES[code][0]
            with self.assertRaises(cls) as cm:
                call()
            self.assertIs(type(cm.exception), cls)
            self.assertEqual(cm.exception.code, code)
            self.assertEqual(cm.exception.message, libcs.strerror(code))

    def test_duplicate_error(self):
        with self.assertRaises(libcs.DuplicateError) as cm:
            _duplicated_ledger().movements()
        e = cm.exception
        self.assertEqual((e.code, e.customer, e.period, e.function),
                         (Status.EDUPLICATE, 5, 1, "MrrLedger.movements"))
        self.assertEqual(str(e), "MrrLedger.movements: customer 5, period 1: duplicate record "
                         "(two records for the same customer and period)")
        self.assertIsInstance(e, ValueError)
        back = pickle.loads(pickle.dumps(e))
        self.assertEqual((type(back), back.customer, back.period, str(back)),
                         (libcs.DuplicateError, 5, 1, str(e)))
        bare = libcs.DuplicateError()  # unknown duplicate: no customer, no period
        self.assertEqual((bare.customer, bare.period, str(bare)), (None, None, "duplicate record"))

    def test_not_converged_is_reserved(self):
        err = libcs.NotConvergedError(function="a_future_fit")
        self.assertEqual(err.code, Status.ENOCONV)
        self.assertEqual(str(err), "a_future_fit: did not converge")

    def test_strerror(self):
        self.assertEqual(libcs.strerror(0), "success")
        self.assertEqual(libcs.strerror(Status.EUNDEFINED), "result is mathematically undefined")
        self.assertEqual(libcs.strerror(Status.EDUPLICATE), "duplicate record")
        self.assertEqual(libcs.strerror(-12), "unknown libcs status code")
        self.assertEqual(libcs.strerror(2**70), "unknown libcs status code")
        for code in Status:
            self.assertTrue(libcs.strerror(code))

    def test_attributes_and_message(self):
        with self.assertRaises(libcs.Error) as cm:
            libcs.ltv_subscription_batch([100, 100], 0.8, [0.1, 0.0])
        e = cm.exception
        self.assertEqual((e.function, e.argument, e.index, e.value),
                         ("ltv_subscription_batch", "churn", 1, 0.0))
        self.assertIsNone(e.line)
        self.assertEqual(str(e), "ltv_subscription_batch: churn[1] = 0.0: result is "
                         "mathematically undefined (churn 0 divides by zero: customers never leave)")
        self.assertIsInstance(e.code, Status)
        e = libcs.Error(-42)
        self.assertEqual(e.code, -42)
        self.assertEqual(str(e), "unknown libcs status code")

    def test_pickle(self):
        for code, call in REAL.items():
            try:
                call()
            except libcs.Error as exc:
                for proto in range(pickle.HIGHEST_PROTOCOL + 1):
                    back = pickle.loads(pickle.dumps(exc, proto))
                    self.assertIs(type(back), type(exc))
                    self.assertEqual(str(back), str(exc))
                    self.assertEqual((back.code, back.argument, back.index, back.needed),
                                     (exc.code, exc.argument, exc.index, exc.needed))
                    self.assertEqual((getattr(back, "customer", None), getattr(back, "period", None)),
                                     (getattr(exc, "customer", None), getattr(exc, "period", None)))
                    self.assertEqual(repr(back.value), repr(exc.value))
        try:
            libcs.HealthModel.parse("libcs-health 1\nbogus\n")
        except libcs.FormatError as exc:
            back = pickle.loads(pickle.dumps(exc))
            self.assertEqual((back.line, back.column), (2, 1))

    @unittest.skipIf("asan" in os.environ.get("LD_PRELOAD", ""),
                     "address-space limits do not mix with AddressSanitizer")
    def test_out_of_memory(self):
        """A real LIBCS_ENOMEM: parse a 256 MiB text (the parser allocates
        its size) under an address-space limit 64 MiB above what the
        interpreter uses."""
        code = (
            "import resource, libcs\n"
            "text = b'libcs-health 1\\n' + b'#' * (256 << 20)\n"
            "vm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmSize'))\n"
            "resource.setrlimit(resource.RLIMIT_AS, ((vm << 10) + (64 << 20), resource.RLIM_INFINITY))\n"
            "try:\n"
            "    libcs.HealthModel.parse(text)\n"
            "except libcs.OutOfMemoryError as e:\n"
            "    print(type(e).__name__, e.code, isinstance(e, MemoryError))\n")
        env = dict(os.environ, PYTHONPATH=PKG_DIR)
        p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.stdout.strip(), "OutOfMemoryError -7 True", p.stderr)


if __name__ == "__main__":
    unittest.main()
