#!/bin/sh
# eval-analysis.sh: score the analysis engine on the shared evaluation data.
#
#   sh scripts/eval-analysis.sh            (or: make eval)
#
# Clustering: `achim cluster --jsonl` with its production defaults on every
# clusters/*.public.jsonl (mstream-news-t in its stream order), scored with
# cluster_score.py (NMI, ARI, BCubed). Classification: `achim classify
# --jsonl` on classify/*.public.jsonl; its tech-vs-not gate is mapped to
# the data set's own class names (AG News "Sci/Tech", BBC "tech") and scored
# with classify_score.py, whose per-class line for that class is the F1 of
# the gate; a second line gives P/R/F1 on the two halves by the parity of
# SHA-1(id) (development and check half, docs/analysis.md). The data is
# read from ../shared (or $ACHIM_SHARED) and never copied; when it is
# absent the script says "skip" and exits 0.
set -u
cd "$(dirname "$0")/.." || exit 2
ACHIM=${ACHIM_BIN:-$(pwd)/achim}
SHARED=${ACHIM_SHARED:-../shared}
if [ ! -d "$SHARED/corpus" ] || [ ! -d "$SHARED/eval" ]; then
    echo "skip - evaluation data not found in $SHARED"
    exit 0
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
TMP=$(mktemp -d /tmp/achim-eval.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
status=0

echo "== clustering (achim cluster, default options)"
for gold in "$SHARED"/corpus/clusters/*.public.jsonl; do
    [ -f "$gold" ] || continue
    name=$(basename "$gold" .public.jsonl)
    start=$(date +%s.%N)
    if ! "$ACHIM" cluster --jsonl "$gold" >"$TMP/$name.pred"; then
        echo "$name: achim cluster failed"
        status=1
        continue
    fi
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc)
    extra=
    [ "$name" = mstream-news-t ] && extra="--by batch"
    # shellcheck disable=SC2086
    line=$("$PY" "$SHARED/eval/cluster_score.py" --gold "$gold" --pred "$TMP/$name.pred" $extra |
        grep '^summary:')
    printf '%-16s %s time=%ss\n' "$name" "${line#summary: }" "$secs"
done

if "$ACHIM" help classify >/dev/null 2>&1; then
    echo "== tech-vs-not gate (achim classify)"
    for gold in "$SHARED"/corpus/classify/*.public.jsonl; do
        [ -f "$gold" ] || continue
        name=$(basename "$gold" .public.jsonl)
        case $name in
        agnews*) cls="Sci/Tech" ;;
        bbc*) cls="tech" ;;
        *) continue ;;
        esac
        if ! "$ACHIM" classify --jsonl "$gold" >"$TMP/$name.cls"; then
            echo "$name: achim classify failed"
            status=1
            continue
        fi
        "$PY" - "$TMP/$name.cls" "$cls" >"$TMP/$name.pred" <<'EOF'
import json, sys
cls = sys.argv[2]
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(json.dumps({"id": d["id"], "label": cls if d["tech"] else "other"}))
EOF
        f1=$("$PY" "$SHARED/eval/classify_score.py" --gold "$gold" --pred "$TMP/$name.pred" --json |
            "$PY" -c '
import json, sys
cls = sys.argv[1]
for line in sys.stdin:
    if line.startswith("{"):
        r = json.loads(line)
        p, rc, f, n = r["per_class"][cls]
        print("precision=%.4f recall=%.4f F1=%.4f support=%d" % (p, rc, f, n))' "$cls")
        printf '%-16s %s: %s\n' "$name" "$cls" "$f1"
        # The two halves by the parity of SHA-1(id): the development half
        # (even) is the only one whose errors are read when the term list
        # is revised; the check half (odd) says whether a change generalises.
        "$PY" - "$gold" "$TMP/$name.cls" "$cls" <<'EOF'
import hashlib, json, sys
gold_path, cls_path, cls = sys.argv[1:4]
gold = {}
for line in open(gold_path):
    d = json.loads(line)
    gold[d["id"]] = (d.get("label") or d.get("category")) == cls
counts = {0: [0, 0, 0], 1: [0, 0, 0]}  # tp, fp, fn per half
for line in open(cls_path):
    d = json.loads(line)
    half = hashlib.sha1(d["id"].encode()).digest()[-1] & 1
    g, p = gold[d["id"]], d["tech"]
    c = counts[half]
    c[0] += g and p
    c[1] += p and not g
    c[2] += g and not p
out = []
for half, name in ((0, "dev"), (1, "check")):
    tp, fp, fn = counts[half]
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    out.append("%s P=%.4f R=%.4f F1=%.4f" % (name, pr, rc, f))
print("%-16s   halves by SHA-1(id) parity: %s" % ("", "; ".join(out)))
EOF
    done
fi
exit $status
