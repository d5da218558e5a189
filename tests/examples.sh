#!/bin/sh
# tests/examples.sh - every example program runs and prints exactly the
# output recorded in examples/expected/NAME.txt, so the numbers the examples
# show (each worked out in the program's comments or on its man page) cannot
# drift unnoticed; the Python and Ruby twins are compared with the C output
# by the bindings' run-tests.sh.  Every example has a recorded output and
# every recorded output has an example.  automake passes EXAMPLES (the
# programs, relative to top_builddir), top_srcdir, top_builddir and
# LIBCS_DATA.  After an intended change, record the new output with
#   ./examples/NAME > $top_srcdir/examples/expected/NAME.txt
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${EXAMPLES:?EXAMPLES is not set}"
expected="$top_srcdir/examples/expected"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
n=0
for e in $EXAMPLES; do
    name=$(basename "$e")
    n=$((n + 1))
    if ! "$top_builddir/$e" > "$tmp/$name.out" 2>&1; then
        echo "FAIL: $e exits non-zero"
        cat "$tmp/$name.out"
        status=1
    elif [ ! -f "$expected/$name.txt" ]; then
        echo "FAIL: $e has no recorded output examples/expected/$name.txt"
        status=1
    elif diff -u "$expected/$name.txt" "$tmp/$name.out"; then
        echo "PASS: $e prints examples/expected/$name.txt"
    else
        echo "FAIL: $e prints something else than examples/expected/$name.txt"
        status=1
    fi
done
for f in "$expected"/*.txt; do
    name=$(basename "$f" .txt)
    case " $EXAMPLES " in
    *" examples/$name "*) ;;
    *) echo "FAIL: examples/expected/$name.txt has no example program"; status=1 ;;
    esac
done
echo "# $n examples run"
exit $status
