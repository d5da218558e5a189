#!/bin/sh
# tests/symbols.sh - the library exports exactly the functions of the version
# script, all named libcs_*, all in a LIBCS_ version node, and every one is
# declared LIBCS_API in the public header.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${NM:=nm}"
lib="$top_builddir/lib/.libs/libcs.so"
sym="$top_srcdir/lib/libcs.sym"
hdr="$top_srcdir/include/libcs.h"
[ -f "$lib" ] || { echo "FAIL: $lib not built"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

"$NM" -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sort > "$tmp/exported"
sed -e 's,/\*.*\*/,,' "$sym" | grep -oE '^[[:space:]]*libcs_[a-z0-9_]+;' |
    tr -d ' ;\t' | sort > "$tmp/script"
tr '\n' ' ' < "$hdr" | grep -oE 'LIBCS_API[^;(]*\(' |
    grep -oE 'libcs_[a-z0-9_]+[[:space:]]*\($' | tr -d '( ' | sort > "$tmp/header"

echo "exported: $(wc -l < "$tmp/exported"), version script: $(wc -l < "$tmp/script"), header: $(wc -l < "$tmp/header")"

# every exported symbol carries a LIBCS_ version and the libcs_ prefix
if grep -v '^libcs_[a-z0-9_]*@@*LIBCS_[0-9.]*$' "$tmp/exported"; then
    echo "FAIL: exported symbols above lack the libcs_ prefix or a LIBCS_ version"
    fail=1
fi
sed 's/@.*//' "$tmp/exported" > "$tmp/names"
if ! diff -u "$tmp/script" "$tmp/names"; then
    echo "FAIL: exported symbols differ from lib/libcs.sym (- script, + exported)"
    fail=1
fi
if ! diff -u "$tmp/header" "$tmp/names"; then
    echo "FAIL: exported symbols differ from the LIBCS_API prototypes (- header, + exported)"
    fail=1
fi
[ "$fail" = 0 ] && echo "PASS: $(wc -l < "$tmp/names") symbols match the version script and the header"
exit "$fail"
