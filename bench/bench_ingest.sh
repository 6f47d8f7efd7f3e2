#!/bin/sh
# bench_ingest.sh: achim's ingest against a bare SQLite program (issue 5,
# point 7), both measured in this run on the same generated corpus.
#
# bench/analysis gen writes N synthetic articles (default 100,000 over 30
# days, 200 outlets; BENCH_INGEST_N to change); bench/ingest turns them into
# one RSS file per outlet and day, then times (a) `achim ingest` of the
# folder (read, parse, key and dedup, store, FTS5, term statistics, entities
# and figures), (b) the same without statistics and facts, and (c) a bare
# SQLite program inserting the same rows from memory into a table with the
# same FTS5 definition. It prints items/s, the ratio (a)/(c) against the goal
# of 1.5x and the store's size with the share of the term statistics.
# BENCH_INGEST_DIR chooses where the corpus and stores live (default /tmp).
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ACHIM_BUILD:-build}
N=${BENCH_INGEST_N:-100000}
for bin in "$B/bench/analysis" "$B/bench/ingest"; do
    [ -x "$bin" ] || { echo "skip - $bin not built (make bench)"; exit 0; }
done
TMP=$(mktemp -d "${BENCH_INGEST_DIR:-/tmp}/achim-bench-ingest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
"$B/bench/analysis" gen "$N" 30 1 "$TMP/corpus.jsonl" || exit 1
echo "ingest: $N synthetic articles over 30 days"
"$B/bench/ingest" "$TMP/corpus.jsonl" "$TMP" data || exit 1
