#!/bin/sh
# bench_trends.sh: term statistics behind `achim trends` (bench/trends.c).
#
# Stores N generated articles (default 20,000; BENCH_TRENDS_N=1000000 for
# the full million: about 45 minutes on the shared 2-core machine, far
# longer than the five minutes `make bench` aims at) through the real
# ingest path with the statistics counted in the same transactions,
# then times trends for 100 terms by quarter and --emerging, and prints the
# store's size with and without the statistics. A second phase writes the
# statistics a million articles leave straight into the tables and times
# the same query over them.
# BENCH_TRENDS_DIR chooses where the temporary store lives (default /tmp).
# BENCH_TRENDS_KEEP=1 keeps both stores; `build/bench/trends --plans DB...`
# then times only the read plans of store_terms_cells() on them, so two
# builds can be compared on the same stores, runs alternated.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${ACHIM_BUILD:-build}
BIN="$BUILD/bench/trends"
[ -x "$BIN" ] || { echo "skip - $BIN not built (make bench)"; exit 0; }
N=${BENCH_TRENDS_N:-20000}
DIR=${BENCH_TRENDS_DIR:-/tmp}
echo "trends: $N articles, store in $DIR"
start=$(date +%s)
"$BIN" "$N" "$DIR" || exit 1
echo "trends: total $(( $(date +%s) - start )) s"
