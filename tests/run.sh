#!/bin/sh
# tests/run.sh BUILD_DIR...: run every unit-test binary and end-to-end script
# against each build and print one closing "N passed, N failed" line.
#
# Unit binaries and e2e scripts print TAP-style "ok - name" / "not ok - name"
# lines; a program that dies without saying "not ok" counts as one failure.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
if [ -d "$ROOT/../shared" ]; then
    ACHIM_SHARED=$(cd "$ROOT/../shared" && pwd)
    export ACHIM_SHARED
fi
export LC_ALL=C.UTF-8
total_pass=0
total_fail=0
total_skip=0
failed_names=""

run_one() { # label, command...
    label=$1
    shift
    out=$(mktemp)
    "$@" >"$out" 2>&1
    status=$?
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^not ok ' "$out")
    s=$(grep -c '^skip ' "$out")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $label exited with status $status" >>"$out"
    fi
    if [ "$f" -ne 0 ]; then
        echo "FAIL $label ($p passed, $f failed)"
        sed 's/^/    /' "$out" | tail -n 60
        failed_names="$failed_names $label"
    else
        echo "PASS $label ($p passed)"
        grep '^skip ' "$out" | sed 's/^/    /'
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    total_skip=$((total_skip + s))
    rm -f "$out"
}

for build in "$@"; do
    echo "== suite on $build"
    if [ "$build" = build ]; then bin="$ROOT/achim"; else bin="$ROOT/$build/achim"; fi
    export ACHIM_BIN="$bin" ACHIM_BUILD="$ROOT/$build"
    for t in "$build"/tests/*/test_*; do
        [ -x "$t" ] || continue
        run_one "$build:unit/${t#"$build"/tests/}" "$t"
    done
    for t in tests/e2e/t[0-9]*.sh; do
        [ -f "$t" ] || continue
        run_one "$build:e2e/$(basename "$t")" sh "$t"
    done
done

[ -n "$failed_names" ] && echo "failed:$failed_names"
if [ "$total_skip" -gt 0 ]; then
    echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
    echo "$total_pass passed, $total_fail failed"
fi
[ "$total_fail" -eq 0 ]
