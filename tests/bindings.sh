#!/bin/sh
# tests/bindings.sh - every exported C function has a Python and a Ruby
# binding: the symbols `nm -D` lists must equal the functions the Python
# package binds (libcs._ffi.BOUND) and the Ruby gem attaches
# (Libcs::FFI_FUNCTIONS), except those on the C-only list below.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${NM:=nm}"
python=${PYTHON3:-/usr/bin/python3}
ruby=${RUBY:-ruby}
lib="$top_builddir/lib/.libs/libcs.so.0"
[ -f "$lib" ] || { echo "FAIL: $lib not built"; exit 1; }
command -v "$python" >/dev/null 2>&1 || { echo "FAIL: $python not found"; exit 1; }
command -v "$ruby" >/dev/null 2>&1 || { echo "FAIL: $ruby not found"; exit 1; }

# C-only functions, each with the reason it has no binding.  Keep it short.
C_ONLY="
"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$NM" -D --defined-only "$lib" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' |
    sort > "$tmp/exported"
printf '%s\n' $C_ONLY | sed '/^$/d' | sort > "$tmp/c_only"
comm -23 "$tmp/exported" "$tmp/c_only" > "$tmp/want"

# a library built with ASan must be preloaded into the interpreters
asan=$(ldd "$lib" 2>/dev/null | awk '/libasan/ { print $3; exit }')
if [ -n "$asan" ]; then
    LD_PRELOAD="$asan${LD_PRELOAD:+ $LD_PRELOAD}"
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" # the last setting wins
    export LD_PRELOAD ASAN_OPTIONS
fi
LIBCS_LIBRARY=$lib
export LIBCS_LIBRARY
PYTHONPATH="$top_srcdir/bindings/python" PYTHONDONTWRITEBYTECODE=1 "$python" -c \
    'from libcs import _ffi; print("\n".join(sorted(_ffi.BOUND)))' > "$tmp/python" ||
    { echo "FAIL: the Python package does not import"; exit 1; }
"$ruby" -I"$top_srcdir/bindings/ruby/lib" -e \
    'require "libcs"; puts Libcs::FFI_FUNCTIONS.sort' > "$tmp/ruby" ||
    { echo "FAIL: the Ruby gem does not load"; exit 1; }
sort -o "$tmp/python" "$tmp/python"
sort -o "$tmp/ruby" "$tmp/ruby"

fail=0
for lang in python ruby; do
    missing=$(comm -23 "$tmp/want" "$tmp/$lang")
    extra=$(comm -13 "$tmp/exported" "$tmp/$lang")
    if [ -n "$missing" ]; then
        echo "FAIL: exported functions with no $lang binding:"; echo "$missing"; fail=1
    fi
    if [ -n "$extra" ]; then
        echo "FAIL: the $lang binding binds functions the library does not export:"
        echo "$extra"; fail=1
    fi
    [ -z "$missing$extra" ] && echo "PASS: $(wc -l < "$tmp/$lang") functions bound in $lang"
done
echo "exported: $(wc -l < "$tmp/exported"); C-only: $(wc -l < "$tmp/c_only")"
exit "$fail"
