#!/bin/sh
# tests/header.sh - the public header stands alone: it compiles by itself as
# strict C99 and C11 and as C++ (the extern "C" guard), with every warning on.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
inc="-I$top_srcdir/include -I$top_builddir/include"
fail=0
printf '#include <libcs.h>\n#include <libcs.h>\nint main(void) { return LIBCS_AT_LEAST_VERSION(0, 0, 0) ? libcs_version_number() * 0 : 1; }\n' > "$tmp/h.c"
for std in c99 c11; do
    if $CC -std=$std -pedantic -Wall -Wextra -Werror $inc -c "$tmp/h.c" -o "$tmp/h.o"; then
        echo "PASS: header compiles as -std=$std -pedantic"
    else
        echo "FAIL: header does not compile as -std=$std"; fail=1
    fi
done
CXX=${CXX:-$(command -v g++ || command -v clang++ || true)}
if [ -z "$CXX" ]; then
    echo "FAIL: no C++ compiler to check the extern \"C\" guard"; exit 1
fi
cp "$tmp/h.c" "$tmp/h.cc"
if $CXX -std=c++11 -pedantic -Wall -Wextra -Werror $inc -c "$tmp/h.cc" -o "$tmp/hcc.o" &&
   nm "$tmp/hcc.o" | grep -q ' U libcs_version_number$'; then
    echo "PASS: header compiles as C++11 with C linkage"
else
    echo "FAIL: header as C++ (or the extern \"C\" guard)"; fail=1
fi
exit "$fail"
