# Ingest: per-feed counts, idempotence, updates in place, folders, --json.
. tests/e2e/lib.sh
DB="$TMP/i.db"
F="$TOP/tests/fixtures/feeds"

check_status "first ingest succeeds" 0 "$ACHIM" --db "$DB" ingest "$F/rss20.xml"
added=$(sed -n 's/.*: \([0-9]*\) added.*/\1/p' "$TMP/status.out" | head -1)
rows=$(sql "$DB" "select count(*) from articles")
check_eq "rows stored equal 'added'" "$rows" "$added"
[ "$rows" -gt 0 ] && ok "rss20 fixture stored articles ($rows)" || not_ok "rss20 fixture stored nothing"

check_status "second ingest succeeds" 0 "$ACHIM" --db "$DB" ingest "$F/rss20.xml"
check_grep "second ingest adds nothing" ": 0 added, 0 updated, $rows unchanged" "$TMP/status.out"
check_eq "row count unchanged" "$(sql "$DB" "select count(*) from articles")" "$rows"

# an edited entry updates its row in place, keeping its id
python3 - "$F/rss20.xml" "$TMP/edited.xml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
i = s.index("<item>")
j = s.index("<description>", i) + len("<description>")
open(sys.argv[2], "w", encoding="utf-8").write(s[:j] + "UPDATED TEXT. " + s[j:])
PY
cp "$F/rss20.xml" "$TMP/feed.xml"
"$ACHIM" --db "$TMP/u.db" ingest "$TMP/feed.xml" >/dev/null 2>&1
ids_before=$(sql "$TMP/u.db" "select group_concat(id) from (select id from articles order by id)")
cp "$TMP/edited.xml" "$TMP/feed.xml"
check_status "re-ingest of an edited feed succeeds" 0 "$ACHIM" --db "$TMP/u.db" ingest "$TMP/feed.xml"
check_grep "changed entry is reported as updated" "0 added, 1 updated, $((rows - 1)) unchanged" "$TMP/status.out"
check_eq "update keeps the rows and their ids" "$(sql "$TMP/u.db" "select group_concat(id) from (select id from articles order by id)")" "$ids_before"
check_eq "updated text is stored" "$(sql "$TMP/u.db" "select count(*) from articles where summary like 'UPDATED TEXT.%'")" "1"
check_eq "search sees the update" "$("$ACHIM" --db "$TMP/u.db" search --json updated | wc -l | tr -d ' ')" "1"

# --json: one object per file
check_status "ingest --json succeeds" 0 "$ACHIM" --db "$DB" ingest --json "$F/rss20.xml"
check "ingest --json prints valid JSON lines" python3 -c '
import json,sys
lines=[json.loads(l) for l in open(sys.argv[1])]
assert len(lines)==1 and lines[0]["ok"] is True and lines[0]["added"]==0, lines' "$TMP/status.out"

# a folder with one good and one broken file: partial success, exit 3
mkdir -p "$TMP/mixed"
cp "$F/rss20.xml" "$TMP/mixed/a.xml"
printf '<html><body>502 Bad Gateway</body></html>' >"$TMP/mixed/b.xml"
check_status "folder with a non-feed exits 3 (partial)" 3 "$ACHIM" --db "$TMP/m.db" ingest "$TMP/mixed"
check_grep "the non-feed file is reported" "b.xml: error" "$TMP/status.out"
check_eq "the good file was stored" "$(sql "$TMP/m.db" "select count(*) from articles")" "$rows"
check "store passes integrity check" test "$(sql "$DB" "pragma integrity_check")" = ok
check_eq "journal mode is WAL" "$(sql "$DB" "pragma journal_mode")" "wal"
