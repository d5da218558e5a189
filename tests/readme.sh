#!/bin/sh
# tests/readme.sh - the C tour in README compiles, runs and prints what its
# comments promise, so the README cannot drift from the library.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# the indented block from "#include <libcs.h>" to the closing brace
sed -n '/^    #include <libcs.h>/,/^    }/p' "$top_srcdir/README" | sed 's/^    //' > "$tmp/tour.c"
[ -s "$tmp/tour.c" ] || { echo "FAIL: no C tour found in README"; exit 1; }
if ! $CC -Wall -Werror -I"$top_srcdir/include" -I"$top_builddir/include" "$tmp/tour.c" \
        -L"$top_builddir/lib/.libs" -lcs -lm -o "$tmp/tour"; then
    echo "FAIL: the README tour does not compile"; exit 1
fi
LD_LIBRARY_PATH="$top_builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$tmp/tour" > "$tmp/out" ||
    { echo "FAIL: the README tour exits non-zero"; exit 1; }
cat "$tmp/out"
printf 'LTV 1600.00\nNPS 17.5 [14.1, 20.9]\nresult is mathematically undefined\n' > "$tmp/want"
if diff -u "$tmp/want" "$tmp/out"; then
    echo "PASS: README tour output matches its comments"
else
    echo "FAIL: README tour output differs from its comments"; exit 1
fi
