"""Runs last (unittest sorts modules by name): every C function the binding
binds was called by the suite, through the binding.  Skipped when only part
of the suite was loaded."""

import glob
import os
import sys
import unittest

from libcs import _ffi
from _support import CALLED


class EveryFunctionExercised(unittest.TestCase):
    def test_every_bound_function_was_called(self):
        here = os.path.dirname(os.path.abspath(__file__))
        suite = {os.path.basename(p)[:-3] for p in glob.glob(os.path.join(here, "test_*.py"))}
        missing_modules = sorted(m for m in suite if m not in sys.modules)
        if missing_modules:
            self.skipTest("only part of the suite ran (not loaded: %s)" % ", ".join(missing_modules))
        import gc
        gc.collect()  # let finalisers free what the suite left behind
        self.assertEqual(sorted(_ffi.BOUND - CALLED), [],
                         "bound C functions no test called")


if __name__ == "__main__":
    unittest.main()
