#!/bin/sh
# tests/manpages.sh - the manual is complete, lint-clean and tells the truth:
#  1. every page in man/man3 and man/man7 passes `mandoc -Tlint -Wstyle`;
#  2. every page is listed in man/Makefile.inc (so it is installed and
#     distributed) and every listed page exists; every .so alias points at a
#     full page;
#  3. every function the built library exports has man/man3/<name>.3, and the
#     page it leads to names the function with .Nm;
#  4. the EXAMPLES section of every full page holds a C program (its first
#     .Bd -literal block) that compiles against the build tree and exits 0;
#     when the section has a second .Bd -literal block, that block is the
#     program's exact standard output.
# Missing tools or an unbuilt library are failures, never a skip.
set -u
LC_ALL=C; export LC_ALL
: "${top_srcdir:=.}" "${top_builddir:=.}" "${NM:=nm}" "${MANDOC:=mandoc}" "${CC:=cc}"
# absolute paths: the checks below change directory
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 1
top_builddir=$(cd "$top_builddir" && pwd) || exit 1
man="$top_srcdir/man"
libdir="$top_builddir/lib/.libs"
lib="$libdir/libcs.so"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

command -v "$MANDOC" >/dev/null 2>&1 || { echo "FAIL: mandoc ($MANDOC) not found"; exit 1; }
[ -f "$lib" ] || { echo "FAIL: $lib not built"; exit 1; }
tmp=$(mktemp -d "$top_builddir/manpages.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# A page is an alias when its only content is one .so request.
is_alias() {
    [ "$(wc -l < "$1")" -eq 1 ] && grep -qx '\.so man[0-9]/[A-Za-z0-9_.]*' "$1"
}
alias_target() { sed -n 's/^\.so //p' "$1"; }

pages=$(cd "$man" && ls man3/*.3 man7/*.7 2>/dev/null)
[ -n "$pages" ] || { echo "FAIL: no man pages under $man"; exit 1; }
npages=$(echo "$pages" | wc -l)

# ---- 1. lint ---------------------------------------------------------------
# mandoc resolves .so relative to the working directory: lint from man/, so
# that an alias is linted together with the page it includes.  mandoc warns
# ".so is fragile, better use ln(1)" on every alias; that one line is how the
# project's aliases are meant to work and is the only output allowed there.
# Style messages count too, except the two that depend on what this machine
# has installed (other manuals and mandoc's database).
echo "== mandoc -Tlint -Wstyle on $npages pages"
for p in $pages; do
    out=$(cd "$man" && "$MANDOC" -Tlint -Wstyle "$p" 2>&1 |
        grep -v -e "STYLE: referenced manual not found" \
            -e "outdated mandoc.db lacks")
    if is_alias "$man/$p"; then
        out=$(printf '%s\n' "$out" |
            grep -v "^[^:]*: $p:1:[0-9]*: WARNING: \.so is fragile, better use ln(1): so ")
    fi
    if [ -n "$out" ]; then
        echo "$out"
        bad "$p is not lint-clean"
    fi
done

# ---- 2. Makefile.inc and aliases ---------------------------------------------
echo "== man/Makefile.inc lists every page; aliases lead to full pages"
awk '{ for (i = 1; i <= NF; i++) print $i }' "$man/Makefile.inc" |
    grep -E '^man/man[0-9]/[^/]+\.[0-9]$' | sed 's,^man/,,' | sort > "$tmp/listed"
echo "$pages" | sort > "$tmp/present"
comm -23 "$tmp/present" "$tmp/listed" | while read -r p; do
    echo "FAIL: man/$p is not listed in man/Makefile.inc"
done | grep . && fail=1
comm -13 "$tmp/present" "$tmp/listed" | while read -r p; do
    echo "FAIL: man/Makefile.inc lists man/$p, which does not exist"
done | grep . && fail=1
nalias=0
for p in $pages; do
    is_alias "$man/$p" || continue
    nalias=$((nalias + 1))
    t=$(alias_target "$man/$p")
    if [ ! -f "$man/$t" ]; then
        bad "$p: .so $t: no such page"
    elif is_alias "$man/$t"; then
        bad "$p: .so $t is itself an alias"
    fi
done
echo "   $npages pages, $nalias of them .so aliases"

# ---- 3. every exported function has a page -----------------------------------
echo "== every function exported by lib/.libs/libcs.so has a man/man3 page"
# shellcheck disable=SC2086 # $NM may carry options (libtool's "nm -B")
$NM -D --defined-only "$lib" > "$tmp/nm" || { echo "FAIL: $NM -D $lib"; exit 1; }
awk '{ print $NF }' "$tmp/nm" | sed 's/@.*//' | grep -v '^LIBCS_[0-9][0-9.]*$' |
    sort -u > "$tmp/exported"
[ -s "$tmp/exported" ] || bad "no exported functions found in $lib"
while read -r f; do
    p="$man/man3/$f.3"
    if [ ! -f "$p" ]; then
        bad "$f is exported but has no man/man3/$f.3"
        continue
    fi
    is_alias "$p" && p="$man/$(alias_target "$p")"
    if [ ! -f "$p" ] || ! grep -q "^\.Nm $f\( ,\)*$" "$p"; then
        bad "$f: its page ${p#"$man/"} does not name it with .Nm"
    fi
done < "$tmp/exported"
echo "   $(wc -l < "$tmp/exported") exported functions checked"

# ---- 4. the examples compile, run and print what the page says ----------------
# mdoc escapes that may appear in a literal display, turned back into C.  \e
# goes through a placeholder so that "\e&" is not read as "\&".
esc=$(printf '\001')
unescape() {
    sed -e "s/\\\\e/$esc/g" -e 's/\\&//g' -e 's/\\-/-/g' \
        -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\(ga/`/g' \
        -e 's/\\(ti/~/g' -e 's/\\(ha/^/g' -e "s/\\\\(rs/$esc/g" \
        -e "s/$esc/\\\\/g"
}
# Block $2 (1 = code, 2 = expected output) of the EXAMPLES section of $1.
example_block() {
    awk -v want="$2" '
        /^\.Sh / { insec = ($2 == "EXAMPLES"); next }
        insec && /^\.Bd -literal/ { blk++; inblk = 1; next }
        insec && inblk && /^\.Ed/ { inblk = 0; next }
        insec && inblk && blk == want { print }
    ' "$1" | unescape
}
echo "== EXAMPLES: build with $CC against the build tree, run, compare output"
inc="-I$top_srcdir/include -I$top_builddir/include"
nex=0
for p in $pages; do
    is_alias "$man/$p" && continue
    name=$(basename "$p")
    src="$tmp/$name.c"
    example_block "$man/$p" 1 > "$src"
    if ! grep -q 'main(' "$src"; then
        bad "$p: no program in its EXAMPLES section"
        continue
    fi
    nex=$((nex + 1))
    # shellcheck disable=SC2086 # $CC and $inc are word lists
    if ! $CC $inc -Wall -Wextra -Werror -o "$tmp/$name.bin" "$src" \
            -L"$libdir" -lcs -lm > "$tmp/$name.cc" 2>&1; then
        cat "$tmp/$name.cc"
        bad "$p: the EXAMPLES program does not build"
        continue
    fi
    LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        "$tmp/$name.bin" > "$tmp/$name.out" 2> "$tmp/$name.err"
    rc=$?
    if [ "$rc" != 0 ]; then
        cat "$tmp/$name.out" "$tmp/$name.err"
        bad "$p: the EXAMPLES program exits with status $rc"
        continue
    fi
    example_block "$man/$p" 2 > "$tmp/$name.expected"
    if [ -s "$tmp/$name.expected" ]; then
        if diff -u "$tmp/$name.expected" "$tmp/$name.out"; then
            echo "   $p: builds, runs, prints what the page shows"
        else
            bad "$p: the program's output differs from the page (- page, + program)"
        fi
    else
        echo "   $p: builds and runs"
    fi
done
[ "$nex" -gt 0 ] || bad "no examples found"

if [ "$fail" = 0 ]; then
    echo "PASS: $npages pages lint-clean and installed; $(wc -l < "$tmp/exported") functions documented; $nex examples build and run"
fi
exit "$fail"
