#!/bin/sh
# bench/run.sh: run every bench/bench_*.sh in order. Each prints its own
# figures and ratios against a baseline measured in the same run.
set -u
cd "$(dirname "$0")/.." || exit 2
if [ -d ../shared ]; then ACHIM_SHARED=$(cd ../shared && pwd); export ACHIM_SHARED; fi
export ACHIM_BIN="$(pwd)/achim" ACHIM_BUILD="$(pwd)/build"
status=0
for b in bench/bench_*.sh; do
    [ -f "$b" ] || continue
    echo "== $b"
    sh "$b" || status=1
done
exit $status
