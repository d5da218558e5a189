"""`pip install ./bindings/python` works offline (no index, setuptools from
the system) and the installed package finds the library like any other
program.  The package is copied first, so the source tree stays clean (and
may be read-only, as under make distcheck)."""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from _support import PKG_DIR, TestCase


def _can_build_wheels():
    """pip builds a wheel with setuptools: it needs the wheel package, or a
    setuptools new enough (70.1) to carry bdist_wheel itself."""
    if importlib.util.find_spec("wheel") is not None:
        return True
    spec = importlib.util.find_spec("setuptools")  # located, not imported
    return spec is not None and spec.origin is not None and os.path.exists(
        os.path.join(os.path.dirname(spec.origin), "command", "bdist_wheel.py"))


class Install(TestCase):
    def setUp(self):
        # a missing tool fails the test instead of skipping it: a skip would
        # hide that the install was never tried (.ci/install-deps installs
        # both packages)
        if importlib.util.find_spec("pip") is None:
            self.fail("pip is not installed (apt-get install python3-pip)")
        if not _can_build_wheels():
            self.fail("neither wheel nor a setuptools with bdist_wheel is "
                      "installed (apt-get install python3-wheel)")

    def test_offline_pip_install(self):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src")
            shutil.copytree(PKG_DIR, src, ignore=shutil.ignore_patterns(
                "tests", "__pycache__", "build", "*.egg-info"))
            target = os.path.join(tmp, "site")
            env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
                       PIP_NO_CACHE_DIR="1")
            env.pop("PYTHONPATH", None)
            p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-index",
                                "--no-build-isolation", "--no-deps", "--quiet",
                                "--target", target, src],
                               env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertTrue(os.path.exists(os.path.join(target, "libcs", "py.typed")))
            code = ("import libcs; print(libcs.__file__); "
                    "print(libcs.ltv_subscription(arpu=100.0, margin=0.8, churn=0.05))")
            env["PYTHONPATH"] = target
            p = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp,
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            path, value = p.stdout.split()
            self.assertTrue(path.startswith(target), path)
            self.assertEqual(value, "1600.0")
            self.assertFalse(os.path.exists(os.path.join(PKG_DIR, "build")))


if __name__ == "__main__":
    unittest.main()
