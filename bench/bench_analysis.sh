#!/bin/sh
# bench_analysis.sh: the analysis engine at scale (issue 5, point 7).
#
# 1. The day's analysis over a generated corpus of 100k news-like articles
#    over 30 days (bench/analysis.c gen: about 60% technology stories that
#    name gazetteer companies, figures and focus-area vocabulary, 40% sport,
#    politics, markets and other news; several outlets per story in their
#    own words, syndicated copies), every article through every step:
#    tokenising once (analyse, on every core), SimHash dedup, streaming
#    clustering (on a thread of its own), the technology gate, focus
#    classification, entities and figures, ranking by outlets; in memory,
#    no store (so no I/O: wall time above CPU time is other processes
#    holding the CPU). Goal: under 10 s and 512 MB peak on this 2-core
#    machine. Per-step seconds show where the time goes; the same pass
#    with every step tokenising for itself on one thread is the baseline.
# 2. `achim brief` as it runs on such a store: the corpus's last
#    BENCH_ANALYSIS_BRIEF_DAYS days (default 8: the window and the week of
#    history the brief reads; 0 skips this part) are ingested as `achim
#    ingest` stores them (setup, timed apart), then app_brief_build() for
#    the last day is timed: about 3,300 articles in the window and 23,000
#    before it at the 100k corpus's density. Same goals.
# 3. Clustering alone against scikit-learn on the same 10k texts: Debian's
#    python3-sklearn (under /usr/bin/python3), TfidfVectorizer + DBSCAN with
#    cosine distance (eps = 1 - achim's join threshold, min_samples 1, so
#    both draw the same line), timed in the same run; both scored against
#    the generator's gold stories with ../shared/eval/cluster_score.py when
#    present. Goal: at least 20x faster at equal or better NMI.
# Prints figures and ratios; ingest against bare SQLite is not measured here.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ACHIM_BUILD:-build}
ACHIM=${ACHIM_BIN:-./achim}
N=${BENCH_ANALYSIS_N:-100000}
BRIEF_DAYS=${BENCH_ANALYSIS_BRIEF_DAYS:-8}
TMP=$(mktemp -d /tmp/achim-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
"$B/bench/analysis" gen "$N" 30 1 "$TMP/corpus.jsonl" || exit 1
echo "corpus: $N generated articles over 30 days, $(grep -o '"cluster":[0-9]*' "$TMP/corpus.jsonl" |
    sort -u | wc -l) gold stories"

# goals LINE: judge seconds= (wall) and peak_rss_mb= of an analysis line; the
# CPU time and the load average say how much of the wall time was waiting
# for a CPU other processes held
goals() {
    secs=$(echo " $1" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
    cpu=$(echo "$1" | sed -n 's/.*cpu_seconds=\([0-9.]*\).*/\1/p')
    rss=$(echo "$1" | sed -n 's/.*peak_rss_mb=\([0-9]*\).*/\1/p')
    load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
    awk -v s="$secs" -v c="$cpu" -v m="$rss" -v l="$load" 'BEGIN {
        printf "  goal <10 s: %s (wall %.2f s, CPU %.2f s, load average %s)", (s < 10 ? "met" : "NOT met"), s, c, l
        if (s >= 10 && c < 10) printf "; on CPU time: met (the wall time waited for a shared CPU)"
        printf "\n  goal <512 MB: %s (%d MB peak)\n", (m < 512 ? "met" : "NOT met"), m }'
}

line=$("$B/bench/analysis" day "$TMP/corpus.jsonl" data) || exit 1
echo "day analysis, every article: $(echo "$line" | head -n 1)"
echo "  $(echo "$line" | sed -n 's/^steps:/wall seconds per step (clustering overlaps the rest):/p')"
echo "  $(echo "$line" | sed -n 's/^cpu_steps:/CPU seconds per step:/p')"
goals "$(echo "$line" | head -n 1)"
# how much work the gate, focus and entity steps found: a corpus they never
# fire on would make them look cheap
echo "$line" | head -n 1 | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "  passed the technology gate: %d (%.1f%%); placed in a focus area: %d (%.1f%%); entities %d, figures %d\n",
        v["tech"], 100 * v["tech"] / v["docs"], v["focus"], 100 * v["focus"] / v["docs"], v["entities"], v["figures"] }'
# The same-run baseline: one thread, every step tokenising each article
# itself, as before articles were tokenised once (doc_terms). The digest
# covers every step's output, so equal digests mean equal results.
base=$("$B/bench/analysis" day-retokenise "$TMP/corpus.jsonl" data) || exit 1
echo "  baseline (each step tokenises for itself, one thread): $(echo "$base" | head -n 1 |
    sed 's/ docs=.*digest=/ digest=/')"
echo "  $(echo "$base" | sed -n 's/^cpu_steps:/baseline CPU seconds per step:/p')"
awk -v l="$(echo "$line" | head -n 1)" -v b="$(echo "$base" | head -n 1)" 'function get(s, k) {
        return (match(s, " " k "=[^ ]*") ? substr(s, RSTART + length(k) + 2, RLENGTH - length(k) - 2) : "")
    } BEGIN { l = " " l; b = " " b
    printf "  baseline / now: CPU %.2fx, wall %.2fx; same results: %s\n",
        get(b, "cpu_seconds") / get(l, "cpu_seconds"), get(b, "seconds") / get(l, "seconds"),
        (get(b, "digest") == get(l, "digest") ? "yes" : "NO (digests differ)") }'

if [ "$BRIEF_DAYS" -gt 0 ]; then
    line=$("$B/bench/analysis" brief "$TMP/corpus.jsonl" data "$TMP/brief.db" "$BRIEF_DAYS") || exit 1
    echo "brief of the last day over a store of the last $BRIEF_DAYS days: $line"
    goals "$line"
    rm -f "$TMP"/brief.db*
fi

head -n 10000 "$TMP/corpus.jsonl" >"$TMP/10k.jsonl"
if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
    "$ACHIM" cluster --jsonl "$TMP/10k.jsonl" >"$TMP/achim.pred" || exit 1
    echo "skip - python3-sklearn not installed (sh scripts/install-deps.sh)"
    exit 0
fi
# Both sides report wall and CPU seconds (user + system, all threads). On
# this shared machine wall time swings with the load of other sessions, so
# the ratio is taken on CPU time; achim's figure is a whole process (start,
# JSON parsing, tokenising, clustering, output), scikit-learn's only the fit.
# achim runs in well under a second, where one scheduling hiccup is a large
# share, so it is timed three times and the fastest run counts (as timeit
# does); scikit-learn's fit is long enough to average such noise out.
/usr/bin/python3 - "$ACHIM" "$TMP/10k.jsonl" "$TMP/achim.pred" >"$TMP/achim.time" <<'PY' || exit 1
import resource, subprocess, sys, time
best = None
for _ in range(3):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    with open(sys.argv[3], "w") as out:
        subprocess.run([sys.argv[1], "cluster", "--jsonl", sys.argv[2]], stdout=out, check=True)
    wall = time.time() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    best = (wall, cpu) if best is None else (min(best[0], wall), min(best[1], cpu))
print("%.3f %.3f" % best)
PY
/usr/bin/python3 - "$TMP/10k.jsonl" "$TMP/sk.pred" >"$TMP/sk.time" <<'PY'
import json, sys, time
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.cluster import DBSCAN
docs = [json.loads(l) for l in open(sys.argv[1])]
texts = [d["title"] + " " + d["title"] + " " + d["text"] for d in docs]
t0, c0 = time.time(), time.process_time()
X = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
labels = DBSCAN(eps=0.85, min_samples=1, metric="cosine").fit_predict(X)
t1, c1 = time.time(), time.process_time()
with open(sys.argv[2], "w") as f:
    for d, c in zip(docs, labels):
        f.write(json.dumps({"id": d["id"], "cluster": int(c)}) + "\n")
print("%.3f %.3f" % (t1 - t0, c1 - c0))
PY
read -r w_achim c_achim <"$TMP/achim.time"
read -r w_sk c_sk <"$TMP/sk.time"
echo "achim cluster, 10k texts (best of 3): wall ${w_achim}s, CPU ${c_achim}s"
echo "scikit-learn TfidfVectorizer + DBSCAN (cosine), 10k texts: wall ${w_sk}s, CPU ${c_sk}s"
awk -v a="$c_achim" -v s="$c_sk" -v wa="$w_achim" -v ws="$w_sk" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    r = s / a; printf "  speed-up %.1fx on CPU time (%.1fx wall, load average %s) (goal >= 20x: %s)\n",
    r, ws / wa, l, (r >= 20 ? "met" : "NOT met") }'
SCORE=${ACHIM_SHARED:-../shared}/eval/cluster_score.py
if [ -f "$SCORE" ]; then
    # the optional name weight (off by default, see src/corpus/cluster.c), for comparison
    "$ACHIM" cluster --name-weight 1 --jsonl "$TMP/10k.jsonl" >"$TMP/names.pred" || exit 1
    for who in achim sk names; do
        printf '  %-6s %s\n' "$who" "$(python3 "$SCORE" --gold "$TMP/10k.jsonl" --pred "$TMP/$who.pred" | grep '^summary:')"
    done
fi
