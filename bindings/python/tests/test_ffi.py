"""The ctypes layer: every exported function is bound (compared with
``nm -D``), the structs match the C layout, the package metadata agrees."""

import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import libcs
from libcs import _ffi
from _support import PKG_DIR, TOP_BUILDDIR, TOP_SRCDIR, TestCase


def exported_symbols(path):
    nm = os.environ.get("NM") or "nm"
    out = subprocess.run([nm, "-D", "--defined-only", path], capture_output=True, text=True,
                         check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] != "A":
            names.add(parts[2].split("@")[0])
    return names


def header_functions():
    with open(os.path.join(TOP_SRCDIR, "include", "libcs.h"), encoding="utf-8") as f:
        text = " ".join(f.read().split())
    return set(re.findall(r"LIBCS_API [^;(]*?\b(libcs_[a-z0-9_]+)\s*\(", text))


class Coverage(TestCase):
    def test_bound_equals_exported(self):
        if not shutil.which(os.environ.get("NM") or "nm"):
            self.fail("nm is needed to list the library's symbols (binutils)")
        exported = exported_symbols(libcs.library_path())
        # libcs 0.6: 81 of 0.2, 12 MRR, 10 Kaplan-Meier (0.3), 18 CLV (0.4),
        # 11 Pareto/NBD, 11 BG/BB, 11 shifted-beta-geometric (0.5), 2 capped
        # GRR, 7 churn tally, 9 batch forms of the new customer's predictions
        # (0.6)
        self.assertEqual(len(exported), 172)
        self.assertEqual(set(_ffi.BOUND) - exported, set(), "bound but not exported")
        self.assertEqual(exported - set(_ffi.BOUND), set(), "exported but not bound")

    def test_bound_equals_header(self):
        self.assertEqual(header_functions(), set(_ffi.BOUND))

    def test_every_prototype_is_set(self):
        for name in _ffi.BOUND:
            fn = getattr(_ffi.C, name)
            fn = getattr(fn, "wrapped", fn)  # the test tracer wraps them
            restype, argtypes = _ffi.PROTOTYPES[name]
            self.assertEqual(list(fn.argtypes), list(argtypes), name)
            self.assertEqual(fn.restype, restype, name)


class StructLayout(TestCase):
    def test_sizes_and_offsets(self):
        T, R, S = _ffi.NpsTallyStruct, _ffi.NpsResultStruct, _ffi.TouchSummaryStruct
        self.assertEqual(ctypes.sizeof(T), 88)
        self.assertEqual(ctypes.sizeof(R), 4 * 8 + 11 * 8)
        self.assertEqual(ctypes.sizeof(S), 3 * 8 * 4)
        self.assertEqual(R.nps.offset, 56)
        self.assertEqual(R.adjusted_high.offset, 112)
        self.assertEqual(S.value.offset, 24)
        self.assertEqual(S.value_share.offset, 72)
        MP, MR = _ffi.MrrPeriodStruct, _ffi.MrrRatesStruct
        self.assertEqual(ctypes.sizeof(MP), 4 + 4 + 12 * 8)
        self.assertEqual(ctypes.sizeof(MR), 8 * 8 + 8 * 4)
        self.assertEqual((MP.period.offset, MP.reserved.offset, MP.mrr_start.offset),
                         (0, 4, 8))
        self.assertEqual(MP.customers_end.offset, 96)
        self.assertEqual((MR.rate.offset, MR.status.offset), (0, 64))
        self.assertEqual((MR.rate.size, MR.status.size), (8 * 8, 8 * 4))
        CT = _ffi.ChurnTallyStruct
        self.assertEqual(ctypes.sizeof(CT), 3 * 8)
        self.assertEqual((CT.at_start.offset, CT.new_customers.offset, CT.churned.offset),
                         (0, 8, 16))
        F = _ffi.ClvFitStruct
        self.assertEqual(ctypes.sizeof(F), 9 * 8 + 4 * 4)  # 88
        self.assertEqual((F.params.offset, F.se.offset, F.loglik.offset), (0, 32, 64))
        self.assertEqual((F.n_params.offset, F.iterations.offset, F.converged.offset,
                          F.se_status.offset), (72, 76, 80, 84))

    def test_layout_matches_the_compiler(self):
        """Compare with what the C compiler says about the real header."""
        cc = (os.environ.get("CC") or "cc").split()
        if not shutil.which(cc[0]):
            self.skipTest("no C compiler (%s) to compare struct layouts with" % cc[0])
        builddir = TOP_BUILDDIR or os.path.normpath(
            os.path.join(os.path.dirname(libcs.library_path()), "..", ".."))
        src = r"""
        #include <stddef.h>
        #include <stdio.h>
        #include <libcs.h>
        #define O(t, f) printf(#t "." #f " %zu\n", offsetof(t, f))
        int main(void) {
            printf("tally %zu\nresult %zu\nsummary %zu\nperiod %zu\nrates %zu\n"
                   "fit %zu\n", sizeof(libcs_nps_tally), sizeof(libcs_nps_result),
                   sizeof(libcs_touch_summary), sizeof(libcs_mrr_period),
                   sizeof(libcs_mrr_rates), sizeof(libcs_clv_fit));
            O(libcs_nps_result, n); O(libcs_nps_result, promoter_share);
            O(libcs_nps_result, nps); O(libcs_nps_result, se); O(libcs_nps_result, level);
            O(libcs_nps_result, wald_low); O(libcs_nps_result, adjusted_nps);
            O(libcs_nps_result, adjusted_high);
            O(libcs_touch_summary, value); O(libcs_touch_summary, customer_share);
            O(libcs_touch_summary, value_share);
            O(libcs_mrr_period, period); O(libcs_mrr_period, reserved);
            O(libcs_mrr_period, mrr_start); O(libcs_mrr_period, new_mrr);
            O(libcs_mrr_period, expansion); O(libcs_mrr_period, contraction);
            O(libcs_mrr_period, churned); O(libcs_mrr_period, reactivation);
            O(libcs_mrr_period, mrr_end); O(libcs_mrr_period, customers_start);
            O(libcs_mrr_period, customers_new); O(libcs_mrr_period, customers_churned);
            O(libcs_mrr_period, customers_reactivated); O(libcs_mrr_period, customers_end);
            O(libcs_mrr_rates, rate); O(libcs_mrr_rates, status);
            O(libcs_clv_fit, params); O(libcs_clv_fit, se); O(libcs_clv_fit, loglik);
            O(libcs_clv_fit, n_params); O(libcs_clv_fit, iterations);
            O(libcs_clv_fit, converged); O(libcs_clv_fit, se_status);
            return 0;
        }
        """
        with tempfile.TemporaryDirectory() as tmp:
            c, exe = os.path.join(tmp, "layout.c"), os.path.join(tmp, "layout")
            with open(c, "w") as f:
                f.write(src)
            subprocess.run(cc + ["-I" + os.path.join(TOP_SRCDIR, "include"),
                                 "-I" + os.path.join(builddir, "include"), c, "-o", exe],
                           check=True)
            out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
        got = dict(line.rsplit(" ", 1) for line in out.splitlines())
        self.assertEqual(int(got["tally"]), ctypes.sizeof(_ffi.NpsTallyStruct))
        self.assertEqual(int(got["result"]), ctypes.sizeof(_ffi.NpsResultStruct))
        self.assertEqual(int(got["summary"]), ctypes.sizeof(_ffi.TouchSummaryStruct))
        self.assertEqual(int(got["period"]), ctypes.sizeof(_ffi.MrrPeriodStruct))
        self.assertEqual(int(got["rates"]), ctypes.sizeof(_ffi.MrrRatesStruct))
        self.assertEqual(int(got["fit"]), ctypes.sizeof(_ffi.ClvFitStruct))
        structs = {"libcs_nps_result": _ffi.NpsResultStruct,
                   "libcs_touch_summary": _ffi.TouchSummaryStruct,
                   "libcs_mrr_period": _ffi.MrrPeriodStruct,
                   "libcs_mrr_rates": _ffi.MrrRatesStruct,
                   "libcs_clv_fit": _ffi.ClvFitStruct}
        checked = set()
        for key, value in got.items():
            if "." in key:
                struct, field = key.split(".")
                self.assertEqual(getattr(structs[struct], field).offset, int(value), key)
                checked.add(key)
        for name in ("libcs_mrr_period", "libcs_mrr_rates", "libcs_clv_fit"):
            fields = {"%s.%s" % (name, f) for f, _ in structs[name]._fields_}
            self.assertEqual(fields - checked, set(), "fields not compared with the compiler")


class Metadata(TestCase):
    def test_versions(self):
        self.assertEqual(libcs.version_string(), "%d.%d.%d" % libcs.version_info())
        self.assertGreaterEqual(libcs.version_number(), 5000)
        self.assertEqual(libcs.REQUIRED_VERSION, (0, 6, 0))
        self.assertGreaterEqual(libcs.version_info(), libcs.REQUIRED_VERSION)
        try:
            import tomllib
        except ImportError:  # Python < 3.11
            self.skipTest("tomllib needs Python 3.11")
        with open(os.path.join(PKG_DIR, "pyproject.toml"), "rb") as f:
            meta = tomllib.load(f)
        self.assertEqual(meta["project"]["version"], libcs.__version__)
        self.assertEqual(meta["project"]["dependencies"], [])
        # the package's version follows the C library it was written for
        self.assertEqual(libcs.__version__, "%d.%d.%d" % libcs.REQUIRED_VERSION)

    def test_all(self):
        for name in libcs.__all__:
            self.assertTrue(hasattr(libcs, name), name)
        self.assertEqual(len(set(libcs.__all__)), len(libcs.__all__))
        for name in ("Error", "NpsTally", "HealthModel", "LifecyclePolicy", "Band", "Tier",
                     "Stage", "ltv_subscription_batch", "touch_capacity", "MrrLedger",
                     "MrrPeriod", "MrrRates", "MrrCohorts", "MrrRate", "mrr_rates",
                     "KaplanMeier", "KmCurve", "DuplicateError", "BgNbd", "BgNbdParams",
                     "GammaGamma", "GammaGammaParams", "ClvFit", "ClvSummary", "ClvRows",
                     "clv_summarize", "clv_compress", "NotConvergedError", "ParetoNbd",
                     "ParetoNbdParams", "ParetoNbdSample", "BgBb", "BgBbParams", "BgBbSample",
                     "ShiftedBetaGeometric", "ShiftedBetaGeometricParams",
                     "ShiftedBetaGeometricSample"):
            self.assertIn(name, libcs.__all__)

    def test_docstrings_and_hints(self):
        for name in libcs.__all__:
            obj = getattr(libcs, name)
            if callable(obj) and not name.startswith("_"):
                self.assertTrue(obj.__doc__ and obj.__doc__.strip(), name)
        import typing
        hints = typing.get_type_hints(libcs.ltv_subscription)
        self.assertEqual(hints["return"], float)

    def test_library_path(self):
        path = libcs.library_path()
        self.assertTrue(os.path.exists(path), path)
        if os.environ.get("LIBCS_LIBRARY"):
            self.assertEqual(os.path.realpath(path),
                             os.path.realpath(os.environ["LIBCS_LIBRARY"]))
        self.assertIn(sys.modules["libcs"].__name__, "libcs")


if __name__ == "__main__":
    unittest.main()
