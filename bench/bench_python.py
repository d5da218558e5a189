#!/usr/bin/env python3
"""bench/bench_python.py - the Python binding's batch overhead: tally 10
million NPS scores (uint8, 0..10, fixed seed) with libcs.NpsTally.add_batch
from a numpy array and from an array.array, best of 5, and compare with the
C benchmark's own figure for the same call, measured in the same run by
running bench/bench_nps.  Target: Python / C <= 1.2.

Usage: bench_python.py [BUILD/bench/bench_nps] [--n N] [--rounds R] [--strict]

Run from a build tree (the integrator's `make bench` line):
    python3 $(srcdir)/bench/bench_python.py bench/bench_nps
The Python package is taken from this source tree and the library from the
build tree next to bench_nps (unless LIBCS_LIBRARY says otherwise).
"""

import argparse
import array
import os
import random
import re
import subprocess
import sys
import time

REPS = 5
TARGET = 1.2
C_LINE = re.compile(r"NPS tally \(uint8 scores\)\s+(\S+) items/s\s+(\S+) ms")


def setup(bench_nps):
    """Import libcs from this source tree, with the library of the build
    tree bench_nps belongs to."""
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "bindings", "python")
    if os.path.isdir(os.path.join(src, "libcs")):
        sys.path.insert(0, src)
    if bench_nps and not os.environ.get("LIBCS_LIBRARY"):
        lib = os.path.join(os.path.dirname(os.path.abspath(bench_nps)), "..", "lib", ".libs",
                           "libcs.so.0")
        if os.path.exists(lib):
            os.environ["LIBCS_LIBRARY"] = os.path.normpath(lib)
    import libcs
    return libcs


def scores(n, seed=0x9E3779B97F4A7C15):
    """n scores 0..10 from a fixed seed, as bytes."""
    table = bytes(b % 11 for b in range(256))
    return random.Random(seed).randbytes(n).translate(table)


def best(fn, reps=REPS):
    t_best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        t_best = min(t_best, time.perf_counter() - t0)
    return t_best


def c_figure(bench_nps, n):
    """The C benchmark's best time (seconds) for the NPS tally of n scores."""
    out = subprocess.run([bench_nps, str(n)], capture_output=True, text=True, check=True).stdout
    m = C_LINE.search(out)
    if not m:
        raise SystemExit("bench_python: no 'NPS tally (uint8 scores)' line in %s output:\n%s"
                         % (bench_nps, out))
    return float(m.group(2)) / 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench_nps", nargs="?", default=None,
                    help="the C benchmark program (BUILD/bench/bench_nps)")
    ap.add_argument("--n", type=int, default=10_000_000, help="scores (default 10 million)")
    ap.add_argument("--rounds", type=int, default=5,
                    help="alternate C and Python this many times, keep the best (default 5)")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 when a ratio misses the target")
    args = ap.parse_args()
    libcs = setup(args.bench_nps)
    try:
        import numpy
    except ImportError:
        numpy = None

    data = scores(args.n)
    arr = array.array("B", data)
    nps = numpy.frombuffer(data, dtype=numpy.uint8).copy() if numpy is not None else None

    def tally(x):
        t = libcs.NpsTally()  # as bench_nps re-initialises its tally each run
        t.add_batch(x)
        return t

    want = tally(arr)
    assert want.n == args.n
    if nps is not None:
        assert tally(nps) == want

    t_c = t_np = t_arr = float("inf")
    for _ in range(args.rounds):
        if args.bench_nps:
            t_c = min(t_c, c_figure(args.bench_nps, args.n))
        if nps is not None:
            t_np = min(t_np, best(lambda: tally(nps)))
        t_arr = min(t_arr, best(lambda: tally(arr)))

    print("libcs %s Python binding benchmark: NPS tally of %d uint8 scores "
          "(best of %d, %d rounds)" % (libcs.version_string(), args.n, REPS, args.rounds))
    print("  library: %s" % libcs.library_path())
    rows = []
    if args.bench_nps:
        rows.append(("C, bench_nps (same call, same n)", t_c, None))
    if nps is not None:
        rows.append(("Python, numpy uint8 array", t_np, t_np / t_c if args.bench_nps else None))
    else:
        print("  (numpy is not importable: numpy figure skipped)")
    rows.append(("Python, array.array('B')", t_arr, t_arr / t_c if args.bench_nps else None))
    missed = False
    for label, t, ratio in rows:
        line = "  %-34s %9.3f ms  %10.3g scores/s" % (label, 1e3 * t, args.n / t)
        if ratio is not None:
            ok = ratio <= TARGET
            missed = missed or not ok
            line += "  Python/C %.2f (target <= %.1f: %s)" % (ratio, TARGET, "met" if ok else "MISSED")
        print(line)
    if not args.bench_nps:
        print("  (no bench_nps given: no C figure to compare with)")
    small = array.array("B", data[:64])
    t_small = best(lambda: tally(small), reps=2000)
    print("  binding cost per call (NpsTally() + add_batch of 64 scores): %.1f us"
          % (1e6 * t_small))
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
