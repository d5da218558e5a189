#!/bin/sh
# tests/fuzz/run.sh - build the libFuzzer targets (fuzz_libcs: the whole API;
# fuzz_health_text: the health model's text parser) with clang, ASan and UBSan
# over the library sources and run each for FUZZ_SECONDS (default 30).  Exit
# status non-zero on any crash, sanitizer report or broken property.
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
for t in fuzz_libcs fuzz_health_text; do
    clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -I"$top/include" -I"$out/include" -DLIBCS_BUILDING \
        "$here/$t.c" "$top"/lib/*.c -lm -o "$out/$t"
done
# seeds: a valid serialized tally (from the format description) and scores
printf '\023CSNP\001\013\000\000' > "$out/corpus/seed-tally"
head -c 88 /dev/zero >> "$out/corpus/seed-tally"
printf '\023\000\001\002\003\004\005\006\007\010\011\012' > "$out/corpus/seed-scores"
# a serialized churn tally (case 28) of 0 customers
printf '\034CSCH\001\003\000\000' > "$out/corpus/seed-churn-tally"
head -c 24 /dev/zero >> "$out/corpus/seed-churn-tally"
# seeds for the text form: the documented example and a few variants, and a
# dictionary of its words
mkdir -p "$out/corpus-health"
printf '%s\n' 'libcs-health 1' 'aggregation weighted-mean' 'missing drop 0.5' \
    'bands 50 75' 'measure "Logins per week" 30 linear 0 10' \
    'measure "Support tickets" 20 tiers 100 3 60 6 0' \
    'measure "Executive sponsor" 10 yesno 100 0' > "$out/corpus-health/seed-example"
printf '# c\r\nlibcs-health 1\r\naggregation worst-of\r\nmissing worst 0\r\n\tbands 33.3 66.6\r\nmeasure "a \\"q\\" \\\\" 1e-300 tiers 42\r\n' \
    > "$out/corpus-health/seed-crlf"
printf 'libcs-health 1\nmeasure "x" 0.1 linear 10 -2.5e1\nmeasure "y" 2 yesno 0 100\n' \
    > "$out/corpus-health/seed-small"
cat > "$out/health.dict" <<'DICT'
"libcs-health"
"aggregation"
"weighted-mean"
"worst-of"
"missing"
"drop"
"worst"
"bands"
"measure"
"linear"
"tiers"
"yesno"
"\x22"
"\\"
"#"
"\x0d\x0a"
"1e-300"
"nan"
"inf"
DICT
rc=0
run() { # target corpus [options]
    t=$1 c=$2
    shift 2
    r=0
    "$out/$t" -max_total_time="$secs" -print_final_stats=1 \
        -artifact_prefix="$out/" "$@" "$c" \
        > "$out/$t.log" 2>&1 || r=$?
    echo "== $t"
    grep -v '^"' "$out/$t.log" | tail -n 40
    if [ "$r" = 0 ]; then
        echo "$t: no crash, sanitizer report or broken property in ${secs}s"
    else
        rc=$r
    fi
}
run fuzz_libcs "$out/corpus" -max_len=4096
run fuzz_health_text "$out/corpus-health" -max_len=4096 -dict="$out/health.dict"
exit "$rc"
