#!/bin/sh
# bindings/python/run-tests.sh - the Python binding's tests against the
# just-built library (never an installed one): the unittest suite, then every
# program in examples/python/, each compared with its C twin's output (a C
# example without a Python twin, a twin without a C example, or a C example
# not built fails).  numpy must be importable unless LIBCS_ALLOW_NO_NUMPY=1.  automake passes top_srcdir and top_builddir; run by hand:
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
status=0
# numpy is optional for users, not for the tests: without it they would
# skip every numpy test; LIBCS_ALLOW_NO_NUMPY=1 allows that explicitly.
if "$python" -c 'import numpy; print("# numpy", numpy.__version__, "- numpy tests run")' 2>/dev/null; then
    :
elif [ "${LIBCS_ALLOW_NO_NUMPY:-}" = 1 ]; then
    echo "# numpy is not importable and LIBCS_ALLOW_NO_NUMPY=1: the numpy tests are skipped, their array.array twins run"
else
    echo "FAIL: numpy is not importable by $python (Debian: apt-get install python3-numpy;" \
         "set LIBCS_ALLOW_NO_NUMPY=1 to run without the numpy tests)"
    status=1
fi
"$python" -m unittest discover -v -s "$top_srcdir/bindings/python/tests" || status=1

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# every C example has a Python twin and every twin a C example, whose
# outputs must agree: a twin missing, or a C example not built, fails
for c in "$top_srcdir"/examples/*.c; do
    name=$(basename "$c" .c)
    if [ ! -f "$top_srcdir/examples/python/$name.py" ]; then
        echo "FAIL: examples/$name.c has no Python twin examples/python/$name.py"
        status=1
    fi
done
for ex in "$top_srcdir"/examples/python/*.py; do
    name=$(basename "$ex" .py)
    if ! "$python" "$ex" > "$tmp/$name.py.out"; then
        echo "FAIL: examples/python/$name.py exits non-zero"
        cat "$tmp/$name.py.out"
        status=1
        continue
    fi
    c="$top_builddir/examples/$name"
    if [ ! -f "$top_srcdir/examples/$name.c" ]; then
        echo "FAIL: examples/python/$name.py has no C twin examples/$name.c"
        status=1
    elif [ -x "$c" ]; then
        if "$c" > "$tmp/$name.c.out" && diff -u "$tmp/$name.c.out" "$tmp/$name.py.out"; then
            echo "PASS: examples/python/$name.py prints what examples/$name prints"
        else
            echo "FAIL: examples/python/$name.py and examples/$name differ (- C, + Python)"
            status=1
        fi
    else
        echo "FAIL: examples/$name is not built, so examples/python/$name.py cannot be compared with it" \
             "(make check builds it first)"
        status=1
    fi
done
[ "$status" = 0 ] && echo "PASS: Python binding tests and examples" ||
    echo "FAIL: Python binding tests or examples"
exit "$status"
