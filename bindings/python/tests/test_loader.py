"""Finding the library: LIBCS_LIBRARY, pkg-config, the system loader; clear
errors when it is missing, not libcs, or too old.  Each case runs a fresh
interpreter."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import libcs
from _support import PKG_DIR, TestCase

PROBE = ("import libcs, libcs._ffi as f; "
         "print(f.FOUND_BY); print(libcs.library_path()); print(libcs.version_string())")


def run(env_changes, code=PROBE):
    env = dict(os.environ)
    env["PYTHONPATH"] = PKG_DIR
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)


class Loader(TestCase):
    lib = os.path.realpath(libcs.library_path())
    libdir = os.path.dirname(lib)

    def test_explicit_path(self):
        p = run({"LIBCS_LIBRARY": self.lib})
        self.assertEqual(p.returncode, 0, p.stderr)
        how, path, version = p.stdout.splitlines()
        self.assertEqual((how, os.path.realpath(path)), ("LIBCS_LIBRARY", self.lib))
        self.assertEqual(version, libcs.version_string())

    def test_explicit_path_missing(self):
        p = run({"LIBCS_LIBRARY": "/nonexistent/libcs.so.0"})
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("LibraryNotFoundError", p.stderr)
        self.assertIn("LIBCS_LIBRARY=/nonexistent/libcs.so.0 cannot be loaded", p.stderr)

    def test_not_libcs(self):
        import ctypes.util
        other = ctypes.util.find_library("m") or "libm.so.6"
        p = run({"LIBCS_LIBRARY": other})
        self.assertIn("is not a libcs library", p.stderr)
        self.assertIn("ImportError", p.stderr.replace("LibraryNotFoundError", "ImportError"))

    def test_pkg_config(self):
        if not shutil.which("pkg-config"):
            self.skipTest("pkg-config is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "libcs.pc"), "w") as f:
                f.write("libdir=%s\n\nName: libcs\nDescription: test\nVersion: %s\n"
                        "Libs: -L${libdir} -lcs\n" % (self.libdir, libcs.version_string()))
            p = run({"LIBCS_LIBRARY": None, "PKG_CONFIG_PATH": tmp, "PKG_CONFIG_LIBDIR": tmp})
        self.assertEqual(p.returncode, 0, p.stderr)
        how, path, _ = p.stdout.splitlines()
        self.assertEqual(how, "pkg-config")
        self.assertEqual(os.path.realpath(path), self.lib)

    def test_system_loader(self):
        p = run({"LIBCS_LIBRARY": None, "PKG_CONFIG": "false",
                 "LD_LIBRARY_PATH": self.libdir})
        self.assertEqual(p.returncode, 0, p.stderr)
        how, path, _ = p.stdout.splitlines()
        self.assertEqual(how, "system loader")
        self.assertEqual(os.path.realpath(path), self.lib)

    def test_not_found(self):
        p = run({"LIBCS_LIBRARY": None, "PKG_CONFIG": "false", "LD_LIBRARY_PATH": None})
        if p.returncode == 0:
            self.skipTest("a libcs is installed on this system: %s" % p.stdout.splitlines()[1])
        self.assertIn("LibraryNotFoundError", p.stderr)
        self.assertIn("set LIBCS_LIBRARY", p.stderr)

    def test_too_old(self):
        cc = (os.environ.get("CC") or "cc").split()
        if not shutil.which(cc[0]):
            self.skipTest("no C compiler to build a fake old libcs")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "old.c")
            with open(src, "w") as f:
                f.write("int libcs_version_number(void) { return 1000; }\n")
            so = os.path.join(tmp, "libcs.so.0")
            subprocess.run(cc + ["-shared", "-fPIC", src, "-o", so], check=True)
            p = run({"LIBCS_LIBRARY": so})
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("LibraryVersionError", p.stderr)
        self.assertIn("is version 0.1.0, but this Python binding needs libcs 0.6.0 or newer",
                      p.stderr)

    def test_0_2_is_too_old(self):
        """libcs 0.2 lacks the MRR ledger and Kaplan-Meier curves."""
        self._too_old(2000, "0.2.0")

    def test_0_3_is_too_old(self):
        """libcs 0.3 lacks the CLV models."""
        self._too_old(3000, "0.3.0")

    def test_0_4_is_too_old(self):
        """libcs 0.4 lacks the Pareto/NBD, BG/BB and shifted-beta-geometric
        models."""
        self._too_old(4000, "0.4.0")

    def test_0_5_is_too_old(self):
        """libcs 0.5 lacks the capped GRR against any base period, the churn
        tally and the batch forms of the new customer's predictions."""
        self._too_old(5000, "0.5.0")

    def _too_old(self, number, version):
        cc = (os.environ.get("CC") or "cc").split()
        if not shutil.which(cc[0]):
            self.skipTest("no C compiler to build a fake old libcs")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "old.c")
            with open(src, "w") as f:
                f.write("int libcs_version_number(void) { return %d; }\n" % number)
            so = os.path.join(tmp, "libcs.so.0")
            subprocess.run(cc + ["-shared", "-fPIC", src, "-o", so], check=True)
            p = run({"LIBCS_LIBRARY": so})
        self.assertIn("LibraryVersionError", p.stderr)
        self.assertIn("is version %s, but this Python binding needs libcs 0.6.0 or newer"
                      % version, p.stderr)

    def test_missing_functions(self):
        cc = (os.environ.get("CC") or "cc").split()
        if not shutil.which(cc[0]):
            self.skipTest("no C compiler to build a fake libcs")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "partial.c")
            with open(src, "w") as f:
                f.write("int libcs_version_number(void) { return 6000; }\n")
            so = os.path.join(tmp, "libcs.so.0")
            subprocess.run(cc + ["-shared", "-fPIC", src, "-o", so], check=True)
            p = run({"LIBCS_LIBRARY": so})
        self.assertIn("LibraryVersionError", p.stderr)
        self.assertIn("lacks", p.stderr)
        self.assertIn("libcs_mrr_new", p.stderr)
        self.assertIn("libcs_bgnbd_fit", p.stderr)
        self.assertIn("libcs_pnbd_fit", p.stderr)
        self.assertIn("libcs_sbg_derl", p.stderr)
        self.assertIn("libcs_mrr_capped_grr_since", p.stderr)
        self.assertIn("libcs_churn_tally_init", p.stderr)
        self.assertIn("libcs_sbg_del_batch", p.stderr)
        self.assertIn("libcs 0.6.0 this binding", p.stderr)

    def test_version_helpers(self):
        from libcs import _loader
        self.assertEqual(_loader.decode_version(2000), (0, 2, 0))
        self.assertEqual(_loader.decode_version(1002003), (1, 2, 3))
        self.assertEqual(_loader.REQUIRED_NUMBER, 6000)
        self.assertEqual(_loader.REQUIRED_VERSION, (0, 6, 0))
        self.assertTrue(issubclass(libcs.LibraryNotFoundError, ImportError))
        self.assertTrue(issubclass(libcs.LibraryVersionError, ImportError))


if __name__ == "__main__":
    unittest.main()
