# Ingest is atomic per feed: SIGKILL in the middle of a large feed leaves the
# store consistent, earlier articles intact, and a rerun completes without
# duplicates.
. tests/e2e/lib.sh
DB="$TMP/k.db"
F="$TOP/tests/fixtures/feeds"

"$ACHIM" --db "$DB" ingest "$F/rss20.xml" >/dev/null 2>&1
before=$(sql "$DB" "select count(*) from articles")

python3 - "$TMP/big.xml" <<'PY'
import sys
n = 60000
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Big Feed</title><link>https://big.example/</link><description>many items</description>\n')
    for i in range(n):
        f.write(f'<item><title>Item {i} about compute and chips</title><link>https://big.example/a/{i}</link><guid>big-{i}</guid><pubDate>Sat, 31 Jan 2026 10:{i%60:02d}:00 GMT</pubDate><description>Paragraph {i}: a deal for {i} megawatts of inference capacity was reported by several outlets today.</description></item>\n')
    f.write('</channel></rss>\n')
PY

"$ACHIM" --db "$DB" ingest "$TMP/big.xml" >/dev/null 2>&1 &
pid=$!
# wait until the write transaction has started, then kill mid-write
i=0
while [ $i -lt 200 ] && [ ! -s "$DB-wal" ]; do sleep 0.02; i=$((i + 1)); done
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

check_eq "integrity check after SIGKILL" "$(sql "$DB" "pragma integrity_check")" "ok"
after=$(sql "$DB" "select count(*) from articles")
big=$(sql "$DB" "select count(*) from articles where guid like 'big-%'")
if [ "$big" -eq 0 ] || [ "$big" -eq 60000 ]; then ok "big feed is all or nothing ($big rows)"; else not_ok "big feed half-written: $big rows"; fi
check_eq "earlier articles untouched" "$(sql "$DB" "select count(*) from articles where guid not like 'big-%'")" "$before"
check_eq "fts index matches table after kill" "$(sql "$DB" "select count(*) from articles_fts_docsize")" "$after"

check_status "rerun completes" 0 "$ACHIM" --db "$DB" ingest "$TMP/big.xml"
check_eq "rerun stores every item once" "$(sql "$DB" "select count(*) from articles where guid like 'big-%'")" "60000"
check_eq "no duplicate keys" "$(sql "$DB" "select count(*) from (select source_id, key from articles group by 1,2 having count(*) > 1)")" "0"
check_eq "fts rows equal article rows" "$(sql "$DB" "select count(*) from articles_fts_docsize")" "$(sql "$DB" "select count(*) from articles")"
check_eq "integrity check after rerun" "$(sql "$DB" "pragma integrity_check")" "ok"
