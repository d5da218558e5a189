#!/bin/sh
# tests/fuzz/run.sh - build the libFuzzer target with clang, ASan and UBSan over
# the library sources and run it for FUZZ_SECONDS (default 30).  Exit status
# non-zero on any crash, sanitizer report or broken property.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_BUILD:-$top/build-fuzz}
secs=${FUZZ_SECONDS:-30}
mkdir -p "$out/corpus" "$out/include/libcs"
# the generated version header, without needing configure
v=$(sed -n 's/^m4_define(\[libcs_\(major\|minor\|patch\)\], \[\([0-9]*\)\])/\2/p' "$top/configure.ac" | paste -sd' ')
set -- $v
sed -e "s/@LIBCS_VERSION_MAJOR@/$1/" -e "s/@LIBCS_VERSION_MINOR@/$2/" \
    -e "s/@LIBCS_VERSION_PATCH@/$3/" -e "s/@PACKAGE_VERSION@/$1.$2.$3/" \
    "$top/include/libcs/version.h.in" > "$out/include/libcs/version.h"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -I"$top/include" -I"$out/include" -DLIBCS_BUILDING \
    "$here/fuzz_libcs.c" "$top"/lib/*.c -lm -o "$out/fuzz_libcs"
# seeds: a valid serialized tally (from the format description) and scores
printf '\023CSNP\001\013\000\000' > "$out/corpus/seed-tally"
head -c 88 /dev/zero >> "$out/corpus/seed-tally"
printf '\023\000\001\002\003\004\005\006\007\010\011\012' > "$out/corpus/seed-scores"
rc=0
"$out/fuzz_libcs" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 \
    "$out/corpus" > "$out/fuzz.log" 2>&1 || rc=$?
grep -v '^"' "$out/fuzz.log" | tail -n 40
[ "$rc" = 0 ] && echo "fuzzing: no crash, sanitizer report or broken property in ${secs}s"
exit "$rc"
