#!/bin/sh
# bindings/python/run-tests.sh - the Python binding's tests against the
# just-built library (never an installed one): the unittest suite, then every
# program in examples/python/, each compared with its C twin's output when
# that is built.  automake passes top_srcdir and top_builddir; run by hand:
#   top_srcdir=. top_builddir=. bindings/python/run-tests.sh
# Uses Debian's interpreter (LIBCS_TEST_PYTHON, else PYTHON3 as configure
# found it, else /usr/bin/python3) and fails, never skips, when it is missing.
# The CLV tests and README's tour read the reference data sets from the
# folder LIBCS_DATA names (make check exports it: ../shared/data); they fail
# without it:  LIBCS_DATA=../shared/data top_srcdir=. ... run-tests.sh
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
python=${LIBCS_TEST_PYTHON:-${PYTHON3:-/usr/bin/python3}}
if [ ! -x "$python" ]; then
    echo "FAIL: $python not found; the Python binding tests need Debian's python3 (apt-get install python3)"
    exit 1
fi
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 1
top_builddir=$(cd "$top_builddir" && pwd) || exit 1
lib="$top_builddir/lib/.libs/libcs.so.0"
[ -f "$lib" ] || { echo "FAIL: $lib is not built"; exit 1; }

LIBCS_LIBRARY=$lib
PYTHONPATH="$top_srcdir/bindings/python${PYTHONPATH:+:$PYTHONPATH}"
PYTHONDONTWRITEBYTECODE=1   # keep the source tree clean (and it may be read-only)
export LIBCS_LIBRARY PYTHONPATH PYTHONDONTWRITEBYTECODE top_srcdir top_builddir

# A library built with AddressSanitizer (.ci/run) can only be loaded into the
# interpreter with the ASan runtime first; Python's own allocations at exit
# are not leaks of ours.
asan=$(ldd "$lib" 2>/dev/null | awk '/libasan/ { print $3; exit }')
if [ -n "$asan" ]; then
    LD_PRELOAD="$asan${LD_PRELOAD:+ $LD_PRELOAD}"
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" # the last setting wins
    export LD_PRELOAD ASAN_OPTIONS
    echo "# library built with ASan: preloading $asan"
fi

echo "# LIBCS_DATA=${LIBCS_DATA:-(not set: the CLV tests will fail)}"
"$python" -c 'import sys; print("# Python", sys.version.split()[0], "at", sys.executable)'
"$python" -c 'import numpy; print("# numpy", numpy.__version__, "- numpy tests run")' 2>/dev/null ||
    echo "# numpy is not importable: the numpy tests are skipped, their array.array twins run"

status=0
"$python" -m unittest discover -v -s "$top_srcdir/bindings/python/tests" || status=1

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for ex in "$top_srcdir"/examples/python/*.py; do
    name=$(basename "$ex" .py)
    if ! "$python" "$ex" > "$tmp/$name.py.out"; then
        echo "FAIL: examples/python/$name.py exits non-zero"
        cat "$tmp/$name.py.out"
        status=1
        continue
    fi
    c="$top_builddir/examples/$name"
    if [ -x "$c" ]; then
        if "$c" > "$tmp/$name.c.out" && diff -u "$tmp/$name.c.out" "$tmp/$name.py.out"; then
            echo "PASS: examples/python/$name.py prints what examples/$name prints"
        else
            echo "FAIL: examples/python/$name.py and examples/$name differ (- C, + Python)"
            status=1
        fi
    else
        echo "PASS: examples/python/$name.py runs (examples/$name not built: output not compared)"
    fi
done
[ "$status" = 0 ] && echo "PASS: Python binding tests and examples" ||
    echo "FAIL: Python binding tests or examples"
exit "$status"
