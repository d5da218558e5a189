#!/bin/sh
# bindings/ruby/run-tests.sh - the Ruby binding's tests against the
# just-built library: the minitest suites (test/all.rb, which also checks
# that every bound C function was called) and every examples/ruby/*.rb,
# whose output must equal its C twin's (a C example without a Ruby twin, a
# twin without a C example, or a C example not built fails).  That every
# export is bound is checked for both bindings by tests/bindings.sh.
#
#   top_srcdir=... top_builddir=... LIBCS_DATA=... bindings/ruby/run-tests.sh [--valgrind]
#
# make check passes top_srcdir, top_builddir and LIBCS_DATA, the directory
# of the reference data sets (CDNOW) that the CLV suite and the README tour
# read: without it they fail, never skip.  RUBY, NM and VALGRIND may
# name the programs.  A missing ruby, ffi or minitest is a failure, never a
# skip.  --valgrind runs the suites under valgrind (Ruby's own noise
# suppressed by test/ruby.supp) after checking, with a deliberate
# use-after-free, that valgrind does catch errors through the binding.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$here/../..}" "${top_builddir:=$top_srcdir}"
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 1
top_builddir=$(cd "$top_builddir" && pwd) || exit 1
: "${RUBY:=ruby}" "${VALGRIND:=valgrind}"
export top_srcdir top_builddir RUBY
rubydir="$top_srcdir/bindings/ruby"
use_valgrind=no
[ "${1:-}" = "--valgrind" ] && use_valgrind=yes

fail() { echo "FAIL: $*"; exit 1; }
command -v "$RUBY" >/dev/null 2>&1 ||
    fail "ruby not found (Debian: apt-get install ruby ruby-ffi ruby-minitest)"
"$RUBY" -e 'require "ffi"' 2>/dev/null ||
    fail "the ffi gem is missing (Debian: apt-get install ruby-ffi; or gem install ffi)"
"$RUBY" -e 'require "minitest"' 2>/dev/null ||
    fail "minitest is missing (Debian: apt-get install ruby-minitest)"
LIBCS_LIBRARY="$top_builddir/lib/.libs/libcs.so.0"
[ -f "$LIBCS_LIBRARY" ] || fail "$LIBCS_LIBRARY not built (run make first)"
export LIBCS_LIBRARY
# A library built with AddressSanitizer (.ci/run) can only be loaded into
# the interpreter with the ASan runtime first; Ruby's own allocations at exit
# are not leaks of ours.
asan=$(ldd "$LIBCS_LIBRARY" 2>/dev/null | awk '/libasan/ { print $3; exit }')
if [ -n "$asan" ]; then
    LD_PRELOAD="$asan${LD_PRELOAD:+ $LD_PRELOAD}"
    # the last setting wins; Ruby's threads replace the signal stack that
    # ASan would unmap at thread exit, so ASan must not install its own
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0:use_sigaltstack=0"
    export LD_PRELOAD ASAN_OPTIONS
    echo "# library built with ASan: preloading $asan"
fi
echo "ruby: $("$RUBY" -v); ffi $("$RUBY" -rffi -e 'print FFI::VERSION')"
echo "library: $LIBCS_LIBRARY"
: "${LIBCS_DATA:=}"
export LIBCS_DATA
echo "data: ${LIBCS_DATA:-(LIBCS_DATA not set)}"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
if [ -z "$LIBCS_DATA" ] || [ ! -f "$LIBCS_DATA/CDNOW_sample.txt" ]; then
    echo "FAIL: LIBCS_DATA must name the reference data sets (CDNOW_sample.txt, ...);" \
         "make check sets it, by hand: LIBCS_DATA=/path/to/shared/data $0"
    status=1
fi

if [ "$use_valgrind" = yes ]; then
    command -v "$VALGRIND" >/dev/null 2>&1 || fail "valgrind not found"
    vg="$VALGRIND --quiet --error-exitcode=1 --suppressions=$rubydir/test/ruby.supp"
    # the canary: a model freed, then used through the raw interface
    $vg "$RUBY" -I"$rubydir/lib" -rlibcs -e '
        out = FFI::MemoryPointer.new(:pointer)
        Libcs::Native.libcs_health_model_new(out)
        m = out.read_pointer
        Libcs::Native.libcs_health_model_free(m)
        Libcs::Native.libcs_health_model_measures(m, FFI::MemoryPointer.new(:size_t))' \
        > "$tmp/canary.log" 2>&1
    if grep -q 'Invalid read' "$tmp/canary.log" && grep -q 'libcs_health_model_measures' "$tmp/canary.log"; then
        echo "valgrind catches a use-after-free through the binding (canary): ok"
    else
        cat "$tmp/canary.log"
        fail "valgrind did not report the canary's use-after-free"
    fi
    echo "== minitest suites under valgrind"
    LIBCS_TEST_VALGRIND=1 $vg "$RUBY" -I"$rubydir/lib" -I"$rubydir/test" "$rubydir/test/all.rb" || status=1
    [ "$status" = 0 ] && echo "PASS: no valgrind errors" || echo "FAIL: valgrind or the suites report errors"
    exit "$status"
fi

echo "== minitest suites"
"$RUBY" -I"$rubydir/lib" -I"$rubydir/test" "$rubydir/test/all.rb" || status=1

echo "== examples/ruby"
ran=0
# every C example has a Ruby twin and every twin a C example, whose outputs
# must agree: a twin missing, or a C example not built, fails
for c in "$top_srcdir"/examples/*.c; do
    name=$(basename "$c" .c)
    if [ ! -f "$top_srcdir/examples/ruby/$name.rb" ]; then
        echo "FAIL: examples/$name.c has no Ruby twin examples/ruby/$name.rb"
        status=1
    fi
done
for rb in "$top_srcdir"/examples/ruby/*.rb; do
    name=$(basename "$rb" .rb)
    ran=$((ran + 1))
    if ! "$RUBY" -I"$rubydir/lib" "$rb" > "$tmp/$name.out" 2> "$tmp/$name.err"; then
        cat "$tmp/$name.out" "$tmp/$name.err"
        echo "FAIL: examples/ruby/$name.rb exits non-zero"
        status=1
        continue
    fi
    if [ ! -f "$top_srcdir/examples/$name.c" ]; then
        echo "FAIL: examples/ruby/$name.rb has no C twin examples/$name.c"
        status=1
    elif [ -x "$top_builddir/examples/$name" ]; then
        "$top_builddir/examples/$name" > "$tmp/$name.c.out" 2>&1
        if diff -u "$tmp/$name.c.out" "$tmp/$name.out"; then
            echo "PASS: examples/ruby/$name.rb prints what examples/$name prints"
        else
            echo "FAIL: examples/ruby/$name.rb (+) differs from examples/$name (-)"
            status=1
        fi
    else
        echo "FAIL: examples/$name is not built, so examples/ruby/$name.rb cannot be compared with it" \
             "(make check builds it first)"
        status=1
    fi
done
[ "$ran" -gt 0 ] || { echo "FAIL: no examples/ruby/*.rb"; status=1; }

[ "$status" = 0 ] && echo "PASS: Ruby binding" || echo "FAIL: Ruby binding"
exit "$status"
