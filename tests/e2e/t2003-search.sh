# Search: BM25 ranking with title weight, snippets, JSON fields, typo-proof queries.
. tests/e2e/lib.sh
DB="$TMP/s.db"
cat >"$TMP/s.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Search Test Outlet</title><link>https://search.example/</link><description>t</description>
<item><title>Weather report for the weekend</title><link>https://search.example/1</link><guid>s1</guid><pubDate>Sat, 31 Jan 2026 10:00:00 GMT</pubDate><description>Rain is expected. A note at the end mentions a photonic processor.</description></item>
<item><title>Photonic processor startup raises funds</title><link>https://search.example/2</link><guid>s2</guid><pubDate>Sat, 31 Jan 2026 11:00:00 GMT</pubDate><description>The company builds light-based chips.</description></item>
<item><title>Garden tips</title><link>https://search.example/3</link><guid>s3</guid><pubDate>Sat, 31 Jan 2026 12:00:00 GMT</pubDate><description>Nothing about computing here.</description></item>
<item><title>반도체 수출 규제 강화</title><link>https://search.example/4</link><guid>s4</guid><pubDate>Sat, 31 Jan 2026 13:00:00 GMT</pubDate><description>정부는 첨단 반도체 수출 규제를 강화한다고 밝혔다.</description></item>
</channel></rss>
XML
"$ACHIM" --db "$DB" ingest "$TMP/s.xml" >/dev/null 2>&1

check_status "search succeeds" 0 "$ACHIM" --db "$DB" search --json photonic processor
first=$(head -1 "$TMP/status.out" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["url"])')
check_eq "title match ranks first" "$first" "https://search.example/2"
check_eq "both matching articles found" "$(wc -l <"$TMP/status.out" | tr -d ' ')" "2"
check "json hits carry id, title, url, source, published, snippet" python3 -c '
import json,sys
for l in open(sys.argv[1]):
    o=json.loads(l)
    for k in ("id","title","url","source","published","snippet","score"): assert k in o, k
    assert o["source"]=="Search Test Outlet"
    assert o["published"].startswith("2026-01-31T")' "$TMP/status.out"
check_grep "snippet highlights the match" "\[[Pp]hotonic\]" "$TMP/status.out"
check_status "--limit 1 returns one hit" 0 "$ACHIM" --db "$DB" search --json --limit 1 photonic
check_eq "--limit 1 line count" "$(wc -l <"$TMP/status.out" | tr -d ' ')" "1"
check_status "query with FTS syntax errors still works" 0 "$ACHIM" --db "$DB" search 'photonic AND ("'
check_grep "fallback query finds the article" "Photonic processor" "$TMP/status.out"
check_status "no match is not an error" 0 "$ACHIM" --db "$DB" search zebra
check_grep "no match is said" "no matches" "$TMP/status.out"
check_status "Korean search works" 0 "$ACHIM" --db "$DB" search --json 반도체
check_grep "Korean article found" "search.example/4" "$TMP/status.out"
