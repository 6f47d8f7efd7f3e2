# The search index remembers which tokenizer built it: opened by an achim
# whose tokenizer differs (here: a recorded identity of an older one), it is
# rebuilt once, said on stderr, and stays consistent; the next run is quiet.
. tests/e2e/lib.sh
DB="$TMP/id.db"
cat >"$TMP/id.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Identity Outlet</title><link>https://id.example/</link><description>t</description>
<item><title>Reasoning agents plan trips</title><link>https://id.example/1</link><guid>i1</guid><pubDate>Sun, 01 Feb 2026 10:00:00 GMT</pubDate><description>A new agent books flights.</description></item>
<item><title>삼성전자, 반도체를 증산</title><link>https://id.example/2</link><guid>i2</guid><pubDate>Sun, 01 Feb 2026 11:00:00 GMT</pubDate><description>메모리 반도체를 더 만든다.</description></item>
</channel></rss>
XML
check_status "ingest succeeds" 0 "$ACHIM" --db "$DB" ingest "$TMP/id.xml"
check_eq "a new database is not rebuilt" "$(grep -c 'search index rebuilt' "$TMP/status.err")" "0"
check "the identity is recorded" python3 -c '
import sqlite3,sys
v=sqlite3.connect(sys.argv[1]).execute("SELECT value FROM store_meta WHERE key=?",("fts_tokenizer",)).fetchone()
assert v and v[0].startswith("achim/"), v' "$DB"

python3 -c '
import sqlite3,sys
c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE store_meta SET value=? WHERE key=?",("achim/0.0/older",
"fts_tokenizer")); c.commit()' "$DB"
check_status "search after a tokenizer change succeeds" 0 "$ACHIM" --db "$DB" search --json agent
check_grep "the rebuild is said once on stderr" \
    "achim: search index rebuilt for a new tokenizer (2 articles)" "$TMP/status.err"
check_eq "the stemmed search finds the article" "$(wc -l <"$TMP/status.out" | tr -d ' ')" "1"
check_status "the next run succeeds" 0 "$ACHIM" --db "$DB" search --json 반도체
check_eq "the next run does not rebuild" "$(grep -c 'search index rebuilt' "$TMP/status.err")" "0"
check_grep "Korean search finds the article" "id.example/2" "$TMP/status.out"
check_eq "the rebuilt index holds both articles" "$(sql "$DB" "select count(*) from articles_fts_docsize")" "2"
