# SPDX-License-Identifier: MIT
# Figure disagreements of every kind in a real brief: three outlets report
# one subsidy in euros (€2.5 billion, €2.8bn), one data-centre capacity in
# GW and MW (1.2 GW, 1,800 MW, 1.2 gigawatts), one survey share (61%,
# "some 48%") and two Korean outlets one investment in "억 달러" (10억,
# 12억 달러). Each bullet must say "Outlets differ on the figure: ..." with
# every reading cited, in unit-aware form; a story where the outlets agree
# ("up to 750 MW" and "750 MW") must not.
. tests/e2e/lib.sh
mkdir -p "$TMP/feeds"
python3 - "$TMP/feeds" <<'PY'
import os, sys
out = sys.argv[1]
stories = [
 ("fab", 10, [
  ("Alpha Tech", "EU clears €2.5 billion subsidy for Dresden chip fab",
   "The European Commission approved a €2.5 billion state aid package for a new semiconductor fab in Dresden that will make chips for AI accelerators and cars."),
  ("Beta Wire", "Brussels backs Dresden semiconductor fab with €2.8bn",
   "Brussels has approved €2.8 billion of state aid for a semiconductor fab in Dresden that will make chips for AI accelerators and cars, officials said."),
  ("Gamma Daily", "Dresden chip fab wins EU state aid approval",
   "A new semiconductor fab in Dresden making chips for AI accelerators and cars won EU approval for €2.5bn of state aid on Saturday."),
 ]),
 ("dc", 12, [
  ("Alpha Tech", "Northwind plans 1.2 GW AI data centre campus in Texas",
   "Northwind Cloud will build a 1.2 GW data centre campus for AI training in Texas, with the first GPU halls due in 2027."),
  ("Beta Wire", "Northwind's Texas AI campus to draw 1,800 MW",
   "Northwind Cloud said its Texas data centre campus for AI training will draw 1,800 MW when complete, with the first GPU halls due in 2027."),
  ("Gamma Daily", "Texas to host Northwind's giant AI training campus",
   "Northwind Cloud is building a data centre campus for AI training in Texas sized at 1.2 gigawatts; the first GPU halls are due in 2027."),
 ]),
 ("survey", 14, [
  ("Alpha Tech", "Survey: 61% of enterprises run AI agents in production",
   "A survey of 2,000 companies found that 61% of enterprises now run AI agents in production, up from a third a year ago, with agentic workflows in customer support leading."),
  ("Beta Wire", "Most enterprises now run AI agents in production, survey finds",
   "Some 48% of enterprises run AI agents in production, a survey of 2,000 companies found, up from a third a year ago, with agentic workflows in customer support leading."),
  ("Gamma Daily", "AI agents reach production at most large firms",
   "AI agents now run in production at 61% of enterprises, according to a survey of 2,000 companies, with agentic workflows in customer support leading the way."),
 ]),
 ("kr", 16, [
  ("Delta 뉴스", "한빛반도체, 용인 반도체 공장에 10억 달러 투자",
   "한빛반도체가 용인에 AI 가속기용 반도체 공장을 짓는 데 10억 달러를 투자한다고 밝혔다. 공장은 2027년 가동을 목표로 한다."),
  ("Epsilon 경제", "한빛반도체 용인 공장 투자 12억 달러 규모",
   "한빛반도체가 용인에 AI 가속기용 반도체 공장을 짓는 데 12억 달러를 투자한다고 밝혔다. 공장은 2027년 가동이 목표다."),
 ]),
 ("agree", 18, [
  ("Alpha Tech", "Orbit Labs signs up to 750 MW GPU compute deal with Helio Power",
   "Orbit Labs agreed to buy up to 750 MW of GPU compute capacity from Helio Power through 2029 for training its frontier models."),
  ("Beta Wire", "Helio Power to supply Orbit Labs with 750 MW of GPU compute",
   "Helio Power will supply Orbit Labs with 750 MW of GPU compute capacity through 2029, the companies said, for training frontier models."),
 ]),
]
feeds = {}
for slug, hour, items in stories:
    for i, (outlet, title, text) in enumerate(items):
        feeds.setdefault(outlet, []).append((slug, hour + i, title, text))
for outlet, items in feeds.items():
    key = outlet.split()[0].lower()
    with open(os.path.join(out, key + ".xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                '<title>%s</title><link>https://%s.example/</link><description>t</description>\n'
                % (outlet, key))
        for slug, hour, title, text in items:
            f.write('<item><title>%s</title><link>https://%s.example/%s</link>'
                    '<pubDate>Sat, 31 Jan 2026 %02d:00:00 +0000</pubDate>'
                    '<description>%s</description></item>\n' % (title, key, slug, hour, text))
        f.write('</channel></rss>\n')
PY
DB="$TMP/a.db"
check_status "ingest the planted feeds" 0 "$ACHIM" --db "$DB" ingest "$TMP/feeds"
check_status "brief of 2026-02-01" 0 "$ACHIM" --db "$DB" brief --date 2026-02-01
cp "$TMP/status.out" "$TMP/en.md"
check "the brief is well formed, each disagreement cited" python3 tests/e2e/check_brief.py "$TMP/en.md" 2026-02-01 en
check_grep "euros" "Outlets differ on the figure: €2.5 billion \[^[0-9]*\]\[^[0-9]*\]; €2.8 billion \[^[0-9]*\]\." "$TMP/en.md"
check_grep "capacity, MW read as GW" "Outlets differ on the figure: 1.2 GW \[^[0-9]*\]\[^[0-9]*\]; 1.8 GW \[^[0-9]*\]\." "$TMP/en.md"
check_grep "percentages, hedged" "Outlets differ on the figure: 61% \[^[0-9]*\]\[^[0-9]*\]; about 48% \[^[0-9]*\]\." "$TMP/en.md"
check_grep "Korean amounts in dollars" "Outlets differ on the figure: \$1 billion \[^[0-9]*\]; \$1.2 billion \[^[0-9]*\]\." "$TMP/en.md"
check "up to 750 MW and 750 MW agree: one bullet of both outlets, no disagreement" sh -c \
    "grep '^- \*\*.*Orbit Labs.*confirmed by 2 outlets' '$TMP/en.md' | grep -v 'differ'"
check "four disagreements in all" sh -c "test \$(grep -c 'Outlets differ on the figure' '$TMP/en.md') -eq 4"
check_status "the Korean brief" 0 "$ACHIM" --db "$DB" brief --date 2026-02-01 --lang ko
cp "$TMP/status.out" "$TMP/ko.md"
check_grep "Korean: euros" "매체별 수치가 다릅니다: 25억 유로 \[^[0-9]*\]\[^[0-9]*\]; 28억 유로" "$TMP/ko.md"
check_grep "Korean: dollars in 억" "매체별 수치가 다릅니다: 10억 달러 \[^[0-9]*\]; 12억 달러" "$TMP/ko.md"
check_status "the JSON brief" 0 "$ACHIM" --db "$DB" brief --date 2026-02-01 --format json
check "JSON figures carry kind, value, unit and the citing outlet" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
seen = {}
for s in b["sections"]:
    for bl in s["bullets"]:
        for f in bl.get("figures", []):
            outlet = b["refs"][f["ref"]]["outlet"]
            seen.setdefault((f["kind"], f["unit"]), set()).add((f["value"], f["qualifier"], outlet))
assert seen[("money", "EUR")] == {(2.5e9, "exact", "Alpha Tech"), (2.8e9, "exact", "Beta Wire"),
                                  (2.5e9, "exact", "Gamma Daily")}, seen[("money", "EUR")]
assert seen[("power", "MW")] == {(1200, "exact", "Alpha Tech"), (1800, "exact", "Beta Wire"),
                                 (1200, "exact", "Gamma Daily")}, seen[("power", "MW")]
assert seen[("percent", "%")] == {(61, "exact", "Alpha Tech"), (48, "about", "Beta Wire"),
                                  (61, "exact", "Gamma Daily")}, seen[("percent", "%")]
assert {v for v, q, o in seen[("money", "USD")]} == {1e9, 1.2e9}, seen[("money", "USD")]
' "$TMP/status.out"
