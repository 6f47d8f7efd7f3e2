# Trends on the bundled sample week: counts agree with an independent count
# in SQL, rates and shares add up, re-ingesting changes nothing, and every
# output format is well-formed.
. tests/e2e/lib.sh
DB="$TMP/s.db"
export ACHIM_NOW=2026-02-01T07:00:00Z
"$ACHIM" --db "$DB" ingest examples/sample-feeds >/dev/null 2>&1

check_status "daily json for sample terms" 0 "$ACHIM" --db "$DB" trends --by day \
    --terms cerebras,nvidia,ChatGPT --format json
cp "$TMP/status.out" "$TMP/t.json"
sql "$DB" "SELECT date(sort_date, 'unixepoch'), count(*) FROM articles
           WHERE (' ' || lower(title || ' ' || coalesce(nullif(summary, ''), substr(content, 1, 4000)))
                  || ' ') LIKE '%cerebras%' GROUP BY 1" >"$TMP/cerebras.sql"
sql "$DB" "SELECT count(*) FROM articles" >"$TMP/n.sql"
check "uses per day equal an independent SQL count" python3 - "$TMP/t.json" "$TMP/cerebras.sql" "$TMP/n.sql" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
want = dict(l.strip().split("|") for l in open(sys.argv[2]) if l.strip())
start = {p["label"]: p["start"] for p in t["periods"]}
c = next(s for s in t["series"] if s["term"] == "cerebras")
got = {start[p["period"]]: p["uses"] for p in c["periods"] if p["uses"]}
assert got == {k: int(v) for k, v in want.items()}, (got, want)
assert sum(p["articles"] for p in t["periods"]) == int(open(sys.argv[3]).read()), "articles"
PY
check "per 1,000 and share of voice add up" python3 - "$TMP/t.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
art = {p["label"]: p["articles"] for p in t["periods"]}
for s in t["series"]:
    for p in s["periods"]:
        n = art[p["period"]]
        if n:
            assert abs(p["per_1000"] - 1000 * p["uses"] / n) < 1e-9
        outs = p["outlets"].values()
        assert sum(o["uses"] for o in outs) == p["uses"], p
        assert sum(o["articles"] for o in outs) == n, p
        if p["uses"]:
            assert abs(sum(o["share"] for o in outs if o["share"] is not None) - 1) < 1e-9
    assert s["first_seen"] and s["first_outlet"]
    lead = [l["lead_hours"] for l in s["lead"]]
    assert min(lead) == 0 and all(h >= 0 for h in lead)
PY
check_status "re-ingest (the deliberately broken files fail again)" 3 "$ACHIM" --db "$DB" ingest \
    examples/sample-feeds
"$ACHIM" --db "$DB" trends --by day --terms cerebras,nvidia,ChatGPT --format json >"$TMP/t2.json"
check_diff "same json after re-ingest" "$TMP/t.json" "$TMP/t2.json"

check_status "table output" 0 "$ACHIM" --db "$DB" trends --by day --terms "cerebras,physical AI"
check_grep "table names the phrase as counted" 'phrase "physic ai"' "$TMP/status.out"
check_grep "table shows share of voice" "share of voice" "$TMP/status.out"
check_status "csv output" 0 "$ACHIM" --db "$DB" trends --by day --terms cerebras --format csv
check "csv: header, then term in the first column on every row" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0][:4] == ["term", "kind", "period", "outlet"], rows[0]
assert len(rows) > 8 and all(r[0] == "cerebras" for r in rows[1:])
' "$TMP/status.out"
check_status "emerging json on the last day" 0 "$ACHIM" --db "$DB" trends --by day --format json
check "emerging rows are sorted by significance" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
lp = [r["log10_p"] for r in t["emerging"]]
assert lp and lp == sorted(lp), lp
assert t["terms_tested"] >= len(lp)
' "$TMP/status.out"
check_status "svg chart of the week" 0 "$ACHIM" --db "$DB" trends --by day \
    --terms "OpenAI,cerebras,physical AI,small language models" --format svg --out "$TMP/week.svg"
check "svg parses" python3 -c '
import sys, xml.etree.ElementTree as ET
ET.parse(sys.argv[1])' "$TMP/week.svg"
check_status "--to before --from is a usage error" 2 "$ACHIM" --db "$DB" trends --terms x \
    --from 2026-02-01 --to 2026-01-01
