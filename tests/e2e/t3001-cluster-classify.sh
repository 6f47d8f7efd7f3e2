# Analysis commands on any JSONL: achim cluster groups a small stream into
# its stories, achim classify gates technology with the terms that fired
# and learns a model with --train, achim explain breaks down the sample
# day's top story. A fast sanity score on the shared corpus when present.
. tests/e2e/lib.sh

cat >"$TMP/stream.jsonl" <<'J'
{"id":"a1","title":"OpenAI signs 750 MW compute deal with Cerebras","text":"OpenAI will buy up to 750 megawatts of Cerebras compute through 2028.","published":"2026-01-31T08:00:00Z"}
{"id":"b1","title":"Storm closes harbour in Pelican Bay","text":"Heavy rain and wind closed the port of Pelican Bay on Saturday.","published":"2026-01-31T08:30:00Z"}
{"id":"a2","title":"Cerebras wins OpenAI inference deal worth $10 billion","text":"The deal gives OpenAI 750 MW of Cerebras systems for inference until 2028.","published":"2026-01-31T09:00:00Z"}
{"id":"b2","title":"Pelican Bay port stays shut as storm lingers","text":"The harbour of Pelican Bay remains closed after the storm.","published":"2026-01-31T10:00:00Z"}
{"id":"a3","title":"OpenAI and Cerebras agree multiyear compute purchase","text":"OpenAI agreed to purchase 750 MW of Cerebras compute.","published":"2026-02-09T10:00:00Z"}
J
check_status "cluster runs" 0 "$ACHIM" cluster --jsonl "$TMP/stream.jsonl"
cp "$TMP/status.out" "$TMP/clusters.jsonl"
check_eq "one line per document" "$(wc -l <"$TMP/clusters.jsonl" | tr -d ' ')" "5"
check "same story together, different stories apart, window closes" python3 -c '
import json, sys
c = {d["id"]: d["cluster"] for d in map(json.loads, open(sys.argv[1]))}
assert c["a1"] == c["a2"] and c["b1"] == c["b2"], c
assert c["a1"] != c["b1"], c
assert c["a3"] != c["a1"], c   # nine days later: a new story
assert c["a1"] == 0, c' "$TMP/clusters.jsonl"
check_status "cluster reads stdin" 0 sh -c "\"$ACHIM\" cluster --jsonl - <\"$TMP/stream.jsonl\" >\"$TMP/stdin.jsonl\""
check_diff "stdin gives the same clusters" "$TMP/clusters.jsonl" "$TMP/stdin.jsonl"
echo '{"title":"no id"}' >"$TMP/bad.jsonl"
check_status "a line without id fails" 1 "$ACHIM" cluster --jsonl "$TMP/bad.jsonl"
check_status "cluster without input is a usage error" 2 "$ACHIM" cluster
check_status "a bad name weight is a usage error" 2 "$ACHIM" cluster --name-weight x --jsonl "$TMP/stream.jsonl"

# two chip stories told with the same words but their own names: with names
# weighing double (--name-weight 1) each keeps its own cluster
: >"$TMP/names.jsonl"
for i in 0 1 2 3 4 5 6 7 8 9 10 11; do
    s="Quorra near Lindell and Osterby"
    [ $((i % 2)) -eq 1 ] && s="Vexor near Maraby and Tessin"
    w=$(echo "wafer foundry yield lithography fab node wafer foundry" | cut -d' ' -f$((i % 6 + 1))-$((i % 6 + 3)))
    printf '{"id":"%s","text":"The plant run by %s reported %s gains."}\n' "$i" "$s" "$w" >>"$TMP/names.jsonl"
done
# the week before (IDF only): the newsroom words everywhere, one topic word in ten reports
: >"$TMP/week.jsonl"
for i in $(seq 0 99); do
    w=sales
    [ $((i % 10)) -eq 0 ] && w=$(echo wafer foundry yield lithography fab node | cut -d' ' -f$((i / 10 % 6 + 1)))
    printf '{"id":"h%s","text":"The plant run by the group reported gains in %s."}\n' "$i" "$w" >>"$TMP/week.jsonl"
done
check_status "cluster with --name-weight" 0 "$ACHIM" cluster --name-weight 1 --history "$TMP/week.jsonl" --jsonl "$TMP/names.jsonl"
check "names keep the two stories apart" python3 -c '
import json, sys
c = [d["cluster"] for d in map(json.loads, open(sys.argv[1]))]
assert len(set(c[0::2])) == 1 and len(set(c[1::2])) == 1 and c[0] != c[1], c' "$TMP/status.out"

# three funding rounds told on one template: the words alone join them, the
# names (--name-agree) keep each company's round its own story
for c in "Quellmark:40:Brightwater Capital" "Ostravia:25:Pinecrest Partners" "Selvane:12:Northgate Ventures"; do
    co=${c%%:*}; rest=${c#*:}; m=${rest%%:*}; lead=${rest#*:}
    printf '{"id":"%s1","title":"Startup raises money","text":"The robotics startup %s said on Monday it raised $%s million in a funding round led by %s."}\n' "$co" "$co" "$m" "$lead"
    printf '{"id":"%s2","title":"Startup raises money","text":"The robotics startup %s raised $%s million on Monday in a funding round that %s led."}\n' "$co" "$co" "$m" "$lead"
done >"$TMP/rounds.jsonl"
check_status "cluster with --name-agree" 0 "$ACHIM" cluster --name-agree --jsonl "$TMP/rounds.jsonl"
check "each company's round is its own story" python3 -c '
import json, sys
c = {d["id"]: d["cluster"] for d in map(json.loads, open(sys.argv[1]))}
names = ["Quellmark", "Ostravia", "Selvane"]
assert all(c[n + "1"] == c[n + "2"] for n in names), c
assert len({c[n + "1"] for n in names}) == 3, c' "$TMP/status.out"
check_status "--name-agree takes no value" 2 "$ACHIM" cluster --name-agree=1 --jsonl "$TMP/rounds.jsonl"

cat >"$TMP/docs.jsonl" <<'J'
{"id":"t","title":"Intel unveils new laptop processor","text":"The chip brings faster graphics and longer battery life to thin laptops."}
{"id":"s","title":"United beat City in derby","text":"The striker scored twice as the team won the league match."}
{"id":"p","title":"Senators float licences for AI compute","text":"The Senate draft would regulate frontier compute clusters and cloud providers."}
J
check_status "classify runs" 0 "$ACHIM" classify --jsonl "$TMP/docs.jsonl"
cp "$TMP/status.out" "$TMP/cls.jsonl"
check "gate and areas with fired terms" python3 -c '
import json, sys
r = {d["id"]: d for d in map(json.loads, open(sys.argv[1]))}
assert r["t"]["tech"] and "processor" in r["t"]["tech_terms"], r["t"]
assert not r["s"]["tech"] and r["s"]["label"] == "not-tech" and "league" in r["s"]["tech_terms"], r["s"]
assert r["p"]["area"] == "bigtech" and r["p"]["subtopic"] == "Regulation & policy", r["p"]' "$TMP/cls.jsonl"

cat >"$TMP/train.jsonl" <<'J'
{"title":"kernel patch fixes scheduler","label":"tech"}
{"title":"kernel update speeds scheduler","label":"tech"}
{"title":"new kernel scheduler lands","label":"tech"}
{"title":"striker scores in derby","label":"sport"}
{"title":"striker signs for rivals","label":"sport"}
{"title":"derby ends level as striker hurt","label":"sport"}
J
check_status "train a gate model" 0 "$ACHIM" classify --train "$TMP/train.jsonl" --out "$TMP/gate.tsv"
check_grep "trained model has positive kernel weight" "^1\.[0-9]	kernel$" "$TMP/gate.tsv"
check_grep "trained model has negative striker weight" "^-1\.[0-9]	striker$" "$TMP/gate.tsv"
echo '{"id":"x","title":"kernel scheduler news"}' >"$TMP/one.jsonl"
check_status "classify with the trained model" 0 "$ACHIM" classify --gate "$TMP/gate.tsv" --min-score 1 --jsonl "$TMP/one.jsonl"
check_grep "trained model gates it as tech" '"tech":true' "$TMP/status.out"

check_status "demo store" 0 "$ACHIM" demo --dir "$TMP/demo"
check_status "explain the top story" 0 "$ACHIM" --db "$TMP/demo/achim.db" explain --date 2026-02-01 1
cp "$TMP/status.out" "$TMP/explain.txt"
check_grep "top story is OpenAI-Cerebras" "Cerebras" "$TMP/explain.txt"
check_grep "breadth part shown" "^  breadth  *[0-9]" "$TMP/explain.txt"
check_grep "novelty against the week before" "^  novelty .*first report" "$TMP/explain.txt"
check_status "explain by words" 0 "$ACHIM" --db "$TMP/demo/achim.db" explain --date 2026-02-01 --json ChatGPT ads
check "json explanation" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["outlets"] >= 5 and any(p.startswith("breadth") for p in d["parts"]), d' "$TMP/status.out"
check_status "watchlist adds its part" 0 "$ACHIM" --db "$TMP/demo/achim.db" explain --date 2026-02-01 --watch IBM IBM survey
check_grep "watchlist named" "watchlist .*IBM" "$TMP/status.out"
kid=$(sql "$TMP/demo/achim.db" "select id from articles where title like '%750MW%' limit 1")
check_status "explain --article stores and shows facts" 0 "$ACHIM" --db "$TMP/demo/achim.db" explain --article "$kid" --json
check "Korean article: entities and figures" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = {e["name"] for e in d["entities"]}
assert {"OpenAI", "Cerebras"} <= names, names
kinds = {(f["kind"], f["unit"], f["value"]) for f in d["figures"]}
assert ("power", "MW", 750) in kinds and ("money", "USD", 1e10) in kinds, kinds' "$TMP/status.out"
check_eq "every article processed once" "$(sql "$TMP/demo/achim.db" "select count(*) = (select count(*) from articles) from facts_done")" "1"
check_status "unknown story fails" 1 "$ACHIM" --db "$TMP/demo/achim.db" explain --date 2026-02-01 zzzqqq

gold=${ACHIM_SHARED:-/nonexistent}/corpus/clusters/googlenews-ts.public.jsonl
if [ -f "$gold" ]; then
    head -n 1000 "$gold" >"$TMP/gn.jsonl"
    "$ACHIM" cluster --jsonl "$TMP/gn.jsonl" >"$TMP/gn.pred"
    nmi=$(python3 "$ACHIM_SHARED/eval/cluster_score.py" --gold "$TMP/gn.jsonl" --pred "$TMP/gn.pred" |
        sed -n 's/^summary: NMI=\([0-9.]*\).*/\1/p')
    if python3 -c "import sys; sys.exit(0 if float('$nmi') > 0.85 else 1)"; then
        ok "googlenews-ts first 1000: NMI $nmi"
    else
        not_ok "googlenews-ts first 1000: NMI $nmi"
    fi
else
    echo "skip - shared corpus not found (googlenews-ts sanity score)"
fi

# Undated documents: the cluster window is counted in documents (1000 for
# the default three days). A story reported again after 1100 unrelated
# documents opens a new cluster; with the same lines dated 30 seconds
# apart (nine hours in all) it stays one story.
python3 - "$TMP/undated.jsonl" "$TMP/dated.jsonl" <<'PYEOF'
import json, sys
story = "quorra ledger merger vote"
lines = [story] + ["fq%04dv gq%04dv hq%04dv" % (i, i, i) for i in range(1100)] + [story]
for path, dated in ((sys.argv[1], False), (sys.argv[2], True)):
    with open(path, "w") as f:
        for i, text in enumerate(lines):
            d = {"id": str(i), "text": text}
            if dated:
                d["published"] = 1767225600 + i * 30
            f.write(json.dumps(d) + "\n")
PYEOF
check_status "cluster undated stream" 0 "$ACHIM" cluster --jsonl "$TMP/undated.jsonl"
check "undated: the story's return after 1100 documents is a new story" python3 -c '
import json, sys
c = {d["id"]: d["cluster"] for d in map(json.loads, open(sys.argv[1]))}
assert c["0"] != c["1101"], (c["0"], c["1101"])' "$TMP/status.out"
check_status "cluster dated stream" 0 "$ACHIM" cluster --jsonl "$TMP/dated.jsonl"
check "dated within the window: one story" python3 -c '
import json, sys
c = {d["id"]: d["cluster"] for d in map(json.loads, open(sys.argv[1]))}
assert c["0"] == c["1101"], (c["0"], c["1101"])' "$TMP/status.out"

# epoch numbers beyond int64 count as undated (no undefined conversion)
cat > "$TMP/huge.jsonl" <<'JEOF'
{"id":"h1","title":"Cerebras compute deal","text":"OpenAI buys Cerebras compute.","published":1e30}
{"id":"h2","title":"Cerebras compute deal signed","text":"OpenAI buys Cerebras compute for 2028.","published":-1e30}
{"id":"h3","title":"Harbour closed by storm","text":"The port of Pelican Bay is shut.","published":1767225600}
JEOF
check_status "cluster with out-of-range epoch numbers" 0 "$ACHIM" cluster --jsonl "$TMP/huge.jsonl"
check "every line gets a cluster" test "$(grep -c '"cluster"' "$TMP/status.out")" = 3
