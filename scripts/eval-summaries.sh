#!/bin/sh
# SPDX-License-Identifier: MIT
# eval-summaries.sh: ROUGE of achim's summariser against Debian's ots and the
# lead baseline on the BBC summaries in ../shared, side by side, every system
# at the same length per article (100 x reference words / article words, the
# budget ots-len gets in shared/eval/baselines.py).
#
#   sh scripts/eval-summaries.sh [SPLIT]     SPLIT: public (default)
#
# Reads the data from ../shared (never copied); prints "skip - <reason>" when
# it or ots is absent. Output: one table row per system, ROUGE-1/2/L F1 with
# --stem, and the mean words per summary.
set -eu
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
SPLIT=${1:-public}
SHARED=${ACHIM_SHARED:-$ROOT/../shared}
DATA="$SHARED/corpus/summaries/bbc/bbc-summary.$SPLIT.jsonl"
ROUGE="$SHARED/eval/rouge.py"
ACHIM=${ACHIM_BIN:-$ROOT/achim}
PY=/usr/bin/python3
[ -f "$DATA" ] || { echo "skip - no $DATA"; exit 0; }
[ -f "$ROUGE" ] || { echo "skip - no $ROUGE"; exit 0; }
[ -x "$ACHIM" ] || { echo "skip - build achim first (make)"; exit 0; }
OTS=$(command -v ots || true)
TMP=$(mktemp -d /tmp/achim-eval.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM

# inputs with a per-article budget; lead and ots predictions at that budget
$PY - "$DATA" "$TMP" "${OTS:-}" <<'PYEOF'
import json, os, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
data, tmp, ots = sys.argv[1], sys.argv[2], sys.argv[3]
docs = [json.loads(l) for l in open(data, encoding="utf-8") if l.strip()]
words = lambda s: len(s.split())
with open(os.path.join(tmp, "in.jsonl"), "w", encoding="utf-8") as f:
    for d in docs:
        aw, rw = words(d["text"]), words(d["summary"])
        pct = min(100, max(1, round(100 * rw / aw))) if aw else 100
        d["_pct"] = pct
        f.write(json.dumps({"id": d["id"], "text": d["text"], "ratio": pct / 100}) + "\n")
# lead: leading sentences (a simple splitter) up to the same word budget
split = re.compile(r"(?<=[.!?])\s+|\n+")
with open(os.path.join(tmp, "lead.jsonl"), "w", encoding="utf-8") as f:
    for d in docs:
        budget = round(d["_pct"] / 100 * words(d["text"]))
        out, n = [], 0
        for s in (x.strip() for x in split.split(d["text"])):
            if not s:
                continue
            if n and abs(n + words(s) - budget) >= abs(n - budget):
                break
            out.append(s)
            n += words(s)
        f.write(json.dumps({"id": d["id"], "summary": " ".join(out)}) + "\n")
if ots:
    def run(d):
        r = subprocess.run([ots, "--ratio=%d" % d["_pct"]], input=d["text"].encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
        return r.stdout.decode("utf-8", "replace")
    with ThreadPoolExecutor(os.cpu_count() or 2) as ex:
        outs = list(ex.map(run, docs))
    with open(os.path.join(tmp, "ots.jsonl"), "w", encoding="utf-8") as f:
        for d, o in zip(docs, outs):
            f.write(json.dumps({"id": d["id"], "summary": o}) + "\n")
PYEOF

"$ACHIM" summarize --jsonl "$TMP/in.jsonl" >"$TMP/achim.jsonl"

echo "BBC $SPLIT half, ROUGE F1 (--stem), every system at the ots-len budget per article"
printf '%-8s %8s %8s %8s %8s\n' system words ROUGE-1 ROUGE-2 ROUGE-L
for sys in achim ots lead; do
    [ -f "$TMP/$sys.jsonl" ] || { echo "$sys: skip - not available"; continue; }
    $PY "$ROUGE" --ref "$DATA" --pred "$TMP/$sys.jsonl" --stem --json 2>/dev/null |
        $PY -c '
import json, sys
name, pred = sys.argv[1], sys.argv[2]
j = None
for l in sys.stdin:
    l = l.strip()
    if l.startswith("{"):
        j = json.loads(l)
w = [len(json.loads(x)["summary"].split()) for x in open(pred, encoding="utf-8")]
def f(k):
    return j["ALL"][k][2]
print("%-8s %8.1f %8.4f %8.4f %8.4f" % (name, sum(w) / len(w), f("rouge1"), f("rouge2"), f("rougeL")))
' "$sys" "$TMP/$sys.jsonl"
done
