# Brief: the demo day's briefing in both languages has the promised structure,
# matches the golden files, and an empty day still gives three blocks.
. tests/e2e/lib.sh
G="$TOP/tests/golden"

check_status "demo (en) runs" 0 "$ACHIM" demo
cp "$TMP/status.out" "$TMP/demo-en.md"
check "demo (en) brief structure" python3 tests/e2e/check_brief.py "$TMP/demo-en.md" 2026-02-01 en
check_diff "demo (en) matches golden" "$G/demo-en.md" "$TMP/demo-en.md"
bullets=$(grep -c '^- \*\*' "$TMP/demo-en.md")
[ "$bullets" -ge 6 ] && ok "demo brief has $bullets bullets" || not_ok "demo brief has only $bullets bullets"

check_status "demo (ko) runs" 0 "$ACHIM" demo --lang ko
cp "$TMP/status.out" "$TMP/demo-ko.md"
check "demo (ko) brief structure" python3 tests/e2e/check_brief.py "$TMP/demo-ko.md" 2026-02-01 ko
check_diff "demo (ko) matches golden" "$G/demo-ko.md" "$TMP/demo-ko.md"

check_status "demo --format json" 0 "$ACHIM" demo --format json
check "json brief is valid and cites existing refs" python3 -c '
import json,sys
b=json.load(open(sys.argv[1]))
assert b["date"]=="2026-02-01" and len(b["sections"])==3
n=len(b["refs"])
for s in b["sections"]:
    for bl in s["bullets"]:
        assert bl["refs"] and all(0<=r<n for r in bl["refs"]), bl
        assert bl["why"] and bl["text"]' "$TMP/status.out"

# the top story is the one most independent outlets carried (syndicated
# copies are sources, not reports: their outlets do not add breadth)
check "the most-covered story leads its block" python3 -c '
import json,sys
b=json.load(open(sys.argv[1]))
allb=[bl for s in b["sections"] for bl in s["bullets"]]
top=max(bl["outlets"] for bl in allb)
assert top>=3, top
indep=lambda bl: int(bl["why"].split("breadth: ")[1].split(" independent")[0])
for s in b["sections"]:
    o=[indep(bl) for bl in s["bullets"]]
    assert o==sorted(o,reverse=True), o
    assert all(indep(bl) <= bl["outlets"] for bl in s["bullets"])' "$TMP/status.out"

# demo into a given folder keeps the store; brief from it agrees with demo
check_status "demo --dir keeps the store" 0 "$ACHIM" demo --dir "$TMP/keep"
check_status "brief from the kept store" 0 "$ACHIM" --db "$TMP/keep/achim.db" brief --date 2026-02-01
check_diff "brief equals demo output" "$TMP/demo-en.md" "$TMP/status.out"
check_status "brief --out writes a file" 0 "$ACHIM" --db "$TMP/keep/achim.db" brief --date 2026-02-01 --out "$TMP/o.md"
check_diff "--out file equals stdout" "$TMP/demo-en.md" "$TMP/o.md"

check_status "brief on an empty day" 0 "$ACHIM" --db "$TMP/keep/achim.db" brief --date 2020-01-01
check_eq "empty day still has three blocks" "$(grep -c '^## [123]\.' "$TMP/status.out")" "3"
check_grep "empty day says so" "No stories in this area today" "$TMP/status.out"
check_status "ACHIM_NOW chooses the default date" 0 env ACHIM_NOW=2026-02-01T09:00:00Z "$ACHIM" --db "$TMP/keep/achim.db" brief
check_diff "brief for ACHIM_NOW's day" "$TMP/demo-en.md" "$TMP/status.out"

# the "most-covered companies" lines count gazetteer entities stored per
# article (companies and labs), not capitalised words: no place names
check "companies lines name only gazetteer companies and labs" python3 -c '
import re, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8") if "Most-covered companies and labs" in l]
assert lines, "no companies line"
names = [n for l in lines for n in re.findall(r"([^:,]+?) \(\d+, \d+\)", l.split(": ", 1)[1])]
gaz = {}
for row in open(sys.argv[2], encoding="utf-8"):
    f = row.rstrip("\n").split("\t")
    if len(f) == 4 and not row.startswith("#"):
        gaz[f[0]] = f[1]
bad = [n.strip() for n in names if gaz.get(n.strip()) not in ("company", "lab")]
assert not bad, bad
assert "Zürich" not in "".join(lines)
assert "OpenAI (11, 18)" in lines[0], lines[0]   # 11 outlets, 18 articles on the sample day
' "$TMP/demo-en.md" "$TOP/data/gazetteer.tsv"
