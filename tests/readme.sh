#!/bin/sh
# tests/readme.sh - the C, Python and Ruby tours in README run and print what
# they promise, so the README cannot drift from the library.
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

# The Python tour is a doctest; the Ruby tour prints what its "# ..."
# comments say.  Both run against this build tree's library.
lib="$top_builddir/lib/.libs/libcs.so.0"
asan=$(ldd "$lib" 2>/dev/null | awk '/libasan/ { print $3; exit }')
if [ -n "$asan" ]; then
    LD_PRELOAD="$asan${LD_PRELOAD:+ $LD_PRELOAD}"
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" # the last setting wins
    export LD_PRELOAD ASAN_OPTIONS
fi
sed -n '/^    >>> import libcs/,/^$/p' "$top_srcdir/README" | sed 's/^    //' > "$tmp/tour.txt"
[ -s "$tmp/tour.txt" ] || { echo "FAIL: no Python tour found in README"; exit 1; }
if LIBCS_LIBRARY="$lib" PYTHONPATH="$top_srcdir/bindings/python" PYTHONDONTWRITEBYTECODE=1 \
        "${PYTHON3:-/usr/bin/python3}" -m doctest "$tmp/tour.txt"; then
    echo "PASS: README Python tour"
else
    echo "FAIL: README Python tour"; exit 1
fi
sed -n '/^    require "libcs"/,/^$/p' "$top_srcdir/README" | sed 's/^    //' > "$tmp/tour.rb"
[ -s "$tmp/tour.rb" ] || { echo "FAIL: no Ruby tour found in README"; exit 1; }
sed -n 's/.*# \(.*\)$/\1/p' "$tmp/tour.rb" > "$tmp/rb.want"
if LIBCS_LIBRARY="$lib" "${RUBY:-ruby}" -I"$top_srcdir/bindings/ruby/lib" "$tmp/tour.rb" > "$tmp/rb.out" &&
        diff -u "$tmp/rb.want" "$tmp/rb.out"; then
    echo "PASS: README Ruby tour"
else
    echo "FAIL: README Ruby tour"; exit 1
fi
