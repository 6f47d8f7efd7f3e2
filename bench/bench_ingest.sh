#!/bin/sh
# bench_ingest.sh: achim's ingest against a bare SQLite program (issue 5,
# point 7), both measured in this run on the same generated corpus.
#
# bench/analysis gen writes N synthetic articles (default 100,000 over 30
# days, 200 outlets; BENCH_INGEST_N to change); bench/ingest turns them into
# one RSS file per outlet and day, then times (a) `achim ingest` of the
# folder (read, parse, key and dedup, store, FTS5, term statistics, entities
# and figures; the next files parsed and the stored articles analysed on two
# helper threads, the storing thread's CPU time printed too), (b) the same without statistics and facts, and (c) a bare
# SQLite program inserting the same rows from memory into a table with the
# same FTS5 definition and insert trigger; (c2) is that program indexing
# each feed's rows after inserting them, as achim does. It prints items/s,
# the ratio (a)/(c) against the goal of 1.5x, the ratios against (c2), and
# the store's size with the share of the term statistics.
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

# The same on real news text when ../shared is present: AG News test items
# (title and a one-line description, like a feed entry) and BBC articles
# (full text), spread over 20 outlets and 30 days in file order. Small, so
# the term dictionary weighs more than it would in a large store.
SHARED=${ACHIM_SHARED:-../shared}
AG="$SHARED/corpus/classify/agnews-test.public.jsonl"
BBC="$SHARED/corpus/classify/bbc-fulltext.public.jsonl"
if [ ! -f "$AG" ] || [ ! -f "$BBC" ]; then
    echo "skip - real-text ingest: $AG or $BBC absent"
    exit 0
fi
python3 - "$AG" "$BBC" "$TMP/real.jsonl" <<'PY' || exit 1
import json, sys, datetime
rows = [json.loads(l) for f in sys.argv[1:3] for l in open(f, encoding="utf-8")]
t0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for i, r in enumerate(rows):
        t = t0 + datetime.timedelta(seconds=i * 30 * 86400 // len(rows))
        out.write(json.dumps({"id": str(i), "title": r["title"],
                              "text": r["text"].replace("\\", " "),
                              "published": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                              "source": "outlet-%02d" % (i % 20)}) + "\n")
PY
echo "ingest, real text: AG News test + BBC full text ($(wc -l <"$TMP/real.jsonl") articles)"
rm -rf "$TMP/feeds"
"$B/bench/ingest" "$TMP/real.jsonl" "$TMP" data || exit 1
