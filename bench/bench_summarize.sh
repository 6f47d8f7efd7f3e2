#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_summarize.sh: the summariser's speed.
#  1. ranking 1,000 sentences (goal: at most 50 ms);
#  2. summarising the public BBC articles with achim and with Debian's ots
#     (the same articles, the same per-article budget, one process each as
#     a user would run it), printed as a ratio.
# Needs ../shared (skips otherwise). Not a test: figures vary by machine.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
SHARED=${ACHIM_SHARED:-$ROOT/../shared}
DATA="$SHARED/corpus/summaries/bbc/bbc-summary.public.jsonl"
ACHIM=${ACHIM_BIN:-$ROOT/achim}
BENCH=${ACHIM_BUILD:-$ROOT/build}/bench/summarize
[ -f "$DATA" ] || { echo "skip - no $DATA"; exit 0; }
[ -x "$BENCH" ] || { echo "skip - build the benchmarks first (make bench)"; exit 0; }
"$BENCH" "$DATA" 1000

TMP=$(mktemp -d /tmp/achim-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
mkdir -p "$TMP/txt"
/usr/bin/python3 - "$DATA" "$TMP" <<'PYEOF'
import json, os, sys
data, tmp = sys.argv[1], sys.argv[2]
with open(os.path.join(tmp, "in.jsonl"), "w") as f:
    for i, l in enumerate(open(data, encoding="utf-8")):
        d = json.loads(l)
        f.write(json.dumps({"id": d["id"], "text": d["text"], "ratio": 0.44}) + "\n")
        open(os.path.join(tmp, "txt", "%05d.txt" % i), "w", encoding="utf-8").write(d["text"])
PYEOF
n=$(ls "$TMP/txt" | wc -l)
ms() { date +%s%N | cut -c1-13; }
t0=$(ms)
"$ACHIM" summarize --jsonl "$TMP/in.jsonl" >/dev/null
t1=$(ms)
achim_batch=$((t1 - t0))
t0=$(ms)
for f in "$TMP"/txt/*.txt; do "$ACHIM" summarize --ratio 0.44 "$f" >/dev/null; done
t1=$(ms)
achim_each=$((t1 - t0))
if command -v ots >/dev/null; then
    t0=$(ms)
    for f in "$TMP"/txt/*.txt; do ots --ratio=44 "$f" >/dev/null; done
    t1=$(ms)
    ots_each=$((t1 - t0))
    echo "$n BBC articles at 44%: achim one process $achim_batch ms; one process per article: achim $achim_each ms, ots $ots_each ms"
    awk -v a="$achim_each" -v o="$ots_each" -v b="$achim_batch" 'BEGIN {
        printf "ratio ots/achim (process per article): %.2fx; ots/achim (achim in one process): %.2fx\n", o / a, o / (b > 0 ? b : 1) }'
else
    echo "$n BBC articles at 44%: achim one process $achim_batch ms, one process per article $achim_each ms; ots: skip - not installed"
fi
