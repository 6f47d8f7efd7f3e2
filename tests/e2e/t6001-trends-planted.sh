# Trends on a generated corpus with planted bursts, a first appearance with
# known lead times and a context shift (tests/gen/gen_trends.py): the
# detector must find exactly what was planted.
. tests/e2e/lib.sh
DB="$TMP/g.db"
python3 tests/gen/gen_trends.py "$TMP/feeds" --seed 11 >"$TMP/truth.json"
check "generated corpus ingests" "$ACHIM" --db "$DB" ingest "$TMP/feeds"

check_status "weekly json for the planted terms" 0 "$ACHIM" --db "$DB" trends --by week \
    --terms quantaflux,zyloprene,agents --context --format json
cp "$TMP/status.out" "$TMP/weekly.json"
check "burst found in the planted week and nowhere else" python3 - "$TMP/truth.json" "$TMP/weekly.json" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
start = {p["label"]: p["start"] for p in t["periods"]}
q = next(s for s in t["series"] if s["term"] == "quantaflux")
bursts = [start[p["period"]] for p in q["periods"] if p["burst"]]
assert bursts == [truth["burst_week_start"]], (bursts, truth["burst_week_start"])
uses = next(p["uses"] for p in q["periods"] if start[p["period"]] == truth["burst_week_start"])
assert uses == truth["burst_articles"], (uses, truth["burst_articles"])
PY
check "first appearance, first outlet and lead times" python3 - "$TMP/truth.json" "$TMP/weekly.json" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
z = next(s for s in t["series"] if s["term"] == "zyloprene")
assert z["first_seen"] == truth["first_time"], z["first_seen"]
assert z["first_outlet"] == truth["first_outlet"], z["first_outlet"]
lead = {l["outlet"]: l["lead_hours"] for l in z["lead"]}
assert lead[truth["first_outlet"]] == 0, lead
assert abs(lead[truth["second_outlet"]] - 6) < 1e-9, lead
assert all(h >= 24 for o, h in lead.items() if o not in (truth["first_outlet"], truth["second_outlet"])), lead
# nothing before its first week
assert sum(p["uses"] for p in z["periods"][:-2]) == 0
PY
check "context shift: planted words on each side, similarity drops at the shift" python3 - "$TMP/truth.json" "$TMP/weekly.json" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
start = {p["label"]: p["start"] for p in t["periods"]}
a = next(s for s in t["series"] if s["term"] == "agents")
stems = {"chatbot": "chatbot", "assistant": "assist", "customer": "custom",
         "orchestration": "orchestr", "workflow": "workflow", "autonomous": "autonom"}
shift = truth["shift_week_start"]
cos = {}
for p in a["periods"]:
    top3 = set(p["context"]["top"][:3])
    side = "context_before" if start[p["period"]] < shift else "context_after"
    want = {stems[w] for w in truth[side]}
    assert top3 == want, (p["period"], top3, want)
    cos[start[p["period"]]] = p["context"]["cosine_prev"]
assert cos[shift] is not None and cos[shift] < 0.1, cos[shift]
others = [c for d, c in cos.items() if d != shift and c is not None]
assert len(others) >= 5 and min(others) > 0.5, others
PY

check_status "emerging over the last week" 0 "$ACHIM" --db "$DB" trends --by week --emerging \
    --format csv --limit 5
cp "$TMP/status.out" "$TMP/emerging.csv"
check "emerging csv: header row, planted new term first, flagged new and burst" python3 - "$TMP/emerging.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0][0] == "term" and "p" in rows[0] and "new" in rows[0], rows[0]
h = {k: i for i, k in enumerate(rows[0])}
top = rows[1]
assert top[0] == "zylopren", top
assert top[h["new"]] == "1" and top[h["burst"]] == "1", top
ps = [float(r[h["p"]]) for r in rows[1:]]
lp = [float(r[h["log10_p"]]) for r in rows[1:]]
assert lp == sorted(lp), lp   # most significant first
assert 1 <= len(rows) - 1 <= 5
PY

check_status "svg chart" 0 "$ACHIM" --db "$DB" trends --by week --terms quantaflux,agents \
    --format svg --out "$TMP/chart.svg"
check "svg is well-formed with axes, legend and one heatmap cell per outlet x week" python3 - "$TMP/chart.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == ns + "svg"
texts = [t.text or "" for t in root.iter(ns + "text")]
for want in ("quantaflux", "agents", "per 1,000 articles", "week", "2025-W49"):
    assert any(want in t for t in texts), want
cells = [r for r in root.iter(ns + "rect") if r.find(ns + "title") is not None]
assert len(cells) == 2 * 5 * 12, len(cells)   # two heatmaps, 5 outlets x 12 weeks
PY

check_status "an unknown outlet is a usage error" 2 "$ACHIM" --db "$DB" trends --terms agents \
    --outlets "No Such Outlet"
check_status "a bad --by is a usage error" 2 "$ACHIM" --db "$DB" trends --by year
check_status "one outlet only" 0 "$ACHIM" --db "$DB" trends --terms agents --by month \
    --outlets "Alpha Wire" --format json
check "one outlet: only its articles are counted" python3 -c '
import json,sys
truth = json.load(open(sys.argv[2])); t = json.load(open(sys.argv[1]))
assert sum(p["articles"] for p in t["periods"]) * 5 == truth["articles"], t["periods"]
' "$TMP/status.out" "$TMP/truth.json"
