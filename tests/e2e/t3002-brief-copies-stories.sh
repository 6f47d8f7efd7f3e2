# The sample day's analysis end to end: syndicated wire copies and an
# aggregator's tracking-parameter link to another outlet's article stay in
# the coverage and footnotes but count once for "confirmed" and the ranking;
# story ids persist from one day's brief to the next and `achim explain #ID`
# finds a story by that id; entities are stored at ingest and counted for
# `achim trends --entities`.
. tests/e2e/lib.sh

DB="$TMP/a.db"
check_status "ingest the sample feeds (one broken file: partial)" 3 "$ACHIM" --db "$DB" ingest "$TOP/examples/sample-feeds"
check_status "brief of 2026-01-30" 0 "$ACHIM" --db "$DB" brief --date 2026-01-30
check_status "brief of 2026-02-01 as JSON" 0 "$ACHIM" --db "$DB" brief --date 2026-02-01 --format json
cp "$TMP/status.out" "$TMP/b.json"

check "wire copies kept as sources, counted as one report" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
refs = b["refs"]
def bullet(title_part):
    for s in b["sections"]:
        for bl in s["bullets"]:
            for r in bl["refs"]:
                if title_part in refs[r]["title"]:
                    return bl
    raise SystemExit("no bullet citing " + title_part)
ads = bullet("Free and Go")
outlets = {refs[r]["outlet"] for r in ads["refs"]}
# W2: Tech Ledger and Policy & Platforms carry the same wire text
assert {"Tech Ledger", "Policy & Platforms"} <= outlets, outlets
assert ads["confirmed"], ads
assert "independent outlet(s)" in ads["why"], ads["why"]
n_indep = int(ads["why"].split("breadth: ")[1].split(" ")[0])
assert n_indep < ads["outlets"], (n_indep, ads["outlets"])
assert ads["independent"] == n_indep, ads
assert ads["story"] > 0 and ads["state"] in ("new", "developing", "continued"), ads
' "$TMP/b.json"

check_status "explain the top story" 0 "$ACHIM" --db "$DB" explain --date 2026-02-01 1
cp "$TMP/status.out" "$TMP/top.txt"
check "the top story is OpenAI-Cerebras with a persistent id" grep -q "Cerebras" "$TMP/top.txt"
ID=$(sed -n 's/^  story #\([0-9][0-9]*\), .*/\1/p' "$TMP/top.txt")
check "explain shows the story id and state" test -n "$ID"
check_status "explain #ID finds the same story" 0 "$ACHIM" --db "$DB" explain --date 2026-02-01 "#$ID"
check_diff "explain by id and by rank agree" "$TMP/top.txt" "$TMP/status.out"
check_status "building the brief again keeps the id" 0 "$ACHIM" --db "$DB" explain --date 2026-02-01 1
check "the id is stable" grep -q "^  story #$ID, " "$TMP/status.out"

# the Zürich leak sensors were first reported on 2026-01-30: on the sample
# day the story keeps the id the earlier brief gave it and is developing
ZID=$(python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
for s in b["sections"]:
    for bl in s["bullets"]:
        if any("Zürich" in b["refs"][r]["title"] for r in bl["refs"]):
            print(bl["story"], bl["state"])
            raise SystemExit
' "$TMP/b.json")
check "the leak-sensor story is developing" test "${ZID#* }" = developing
ZID=${ZID%% *}
check "its id was given before the sample day (stories table)" python3 -c '
import sqlite3, sys
first, last = sqlite3.connect(sys.argv[1]).execute(
    "SELECT first_day, last_day FROM stories WHERE id = ?", (int(sys.argv[2]),)).fetchone()
assert first < last == 20485, (first, last)   # 20485: 2026-02-01
' "$DB" "$ZID"
check_status "explain #ID of the developing story" 0 "$ACHIM" --db "$DB" explain --date 2026-02-01 "#$ZID"
check "explain says developing" grep -q "^  story #$ZID, developing" "$TMP/status.out"
check_status "an unknown id is not found" 1 "$ACHIM" --db "$DB" explain --date 2026-02-01 "#999999"

check_status "trends --entities counts entities stored at ingest" 0 \
    "$ACHIM" --db "$DB" trends --entities --terms Cerebras --by day --from 2026-01-31 --to 2026-02-01
check "Cerebras is counted on the sample day" sh -c \
    "grep -q 'entity \"cerebras\"' '$TMP/status.out' && grep '^  2026-01-31' '$TMP/status.out' | awk '{ exit !(\$3 >= 5) }'"
check_status "explain --article shows stored entities" 0 "$ACHIM" --db "$DB" explain --article 1
check_status "a ticker names its entity" 0 \
    "$ACHIM" --db "$DB" trends --entities --terms CBRS --by day --from 2026-01-31 --to 2026-02-01
check "CBRS is counted as Cerebras" grep -q 'CBRS  (entity "cerebras")' "$TMP/status.out"
