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

# The index uses achim's own tokenizer (the text module's: folding, stems,
# stopwords, compound words, CJK bigrams), so search agrees with analysis.
cat >"$TMP/t.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tokenizer Outlet</title><link>https://tok.example/</link><description>t</description>
<item><title>Reasoning agents plan trips</title><link>https://tok.example/1</link><guid>t1</guid><pubDate>Sun, 01 Feb 2026 10:00:00 GMT</pubDate><description>A new agent books flights.</description></item>
<item><title>Startup opens an office in Zürich</title><link>https://tok.example/2</link><guid>t2</guid><pubDate>Sun, 01 Feb 2026 11:00:00 GMT</pubDate><description>The lab hires in Switzerland.</description></item>
<item><title>OpenAI ships GPT-5 to enterprises</title><link>https://tok.example/3</link><guid>t3</guid><pubDate>Sun, 01 Feb 2026 12:00:00 GMT</pubDate><description>GPT-4o stays available; the U.S. rollout is first.</description></item>
<item><title>삼성전자, 반도체를 증산</title><link>https://tok.example/4</link><guid>t4</guid><pubDate>Sun, 01 Feb 2026 13:00:00 GMT</pubDate><description>메모리 반도체를 더 만든다.</description></item>
<item><title>GPT models compared</title><link>https://tok.example/5</link><guid>t5</guid><pubDate>Sun, 01 Feb 2026 14:00:00 GMT</pubDate><description>A 5 point gap.</description></item>
</channel></rss>
XML
TDB="$TMP/t.db"
"$ACHIM" --db "$TDB" ingest "$TMP/t.xml" >/dev/null 2>&1
urls() { "$ACHIM" --db "$TDB" search --json "$@" | python3 -c '
import json,sys
print(" ".join(sorted(json.loads(l)["url"].rsplit("/",1)[1] for l in sys.stdin)))'; }
snip() { "$ACHIM" --db "$TDB" search --json "$@" | python3 -c '
import json,sys
print(" | ".join(json.loads(l)["snippet"] for l in sys.stdin))'; }
check_eq "stemmed: 'agents' finds the agents article" "$(urls agents)" "1"
check_eq "stemmed: 'planning' finds 'plan'" "$(urls planning)" "1"
check_eq "stemmed: 'booked' finds 'books'" "$(urls booked)" "1"
check_eq "stemmed: 'reasoned' finds 'Reasoning'" "$(urls reasoned)" "1"
check_eq "diacritics folded: 'Zurich' finds 'Zürich'" "$(urls Zurich)" "2"
check_eq "case folded: 'ZÜRICH' finds it too" "$(urls ZÜRICH)" "2"
check_eq "'GPT-5' finds GPT-5 only, not GPT-4o or 'GPT ... 5'" "$(urls GPT-5)" "3"
check_eq "'\"GPT-5\"' as a phrase, the same" "$(urls '"GPT-5"')" "3"
check_eq "'GPT' finds GPT-5, GPT-4o and GPT" "$(urls GPT)" "3 5"
check_eq "'U.S.' finds the initialism" "$(urls U.S.)" "3"
check_eq "Korean substring: '반도체' finds '반도체를'" "$(urls 반도체)" "4"
check_eq "Korean compound: '삼성' finds '삼성전자'" "$(urls 삼성)" "4"
check_eq "prefix query 'agen*'" "$(urls 'agen*')" "1"
check_eq "phrase across a stopword: '\"office in Zurich\"'" "$(urls '"office in Zurich"')" "2"
check_eq "phrase in the wrong order finds nothing" "$(urls '"Zurich office"')" ""
check_eq "snippet marks the original word, not the stem" "$(snip agents)" "Reasoning [agents] plan trips"
check_eq "snippet marks the accented word" "$(snip zurich)" "Startup opens an office in [Zürich]"
check_eq "snippet marks GPT-5 whole" "$(snip GPT-5)" "OpenAI ships [GPT-5] to enterprises"
check_eq "snippet marks the Korean word without its particle" "$(snip 반도체 --limit 1)" "삼성전자, [반도체]를 증산"

# Without achim's tokenizer the index cannot be read or written: the sqlite3
# shell is refused with a clear message and changes nothing.
check_status "sqlite3 shell cannot search without the tokenizer" 1 sqlite3 "$TDB" "select count(*) from articles_fts where articles_fts match 'agent'"
check_grep "it names the missing tokenizer" "no such tokenizer: achim" "$TMP/status.err"
check_status "nor write an article" 1 sqlite3 "$TDB" "update articles set title = 'x' where guid = 't1'"
check_eq "the article is unchanged" "$(sql "$TDB" "select title from articles where guid = 't1'")" "Reasoning agents plan trips"
check_eq "achim still finds it" "$(urls agent)" "1"

# A version-1 database is migrated and its index rebuilt with the tokenizer.
sql "$TMP/v1.db" <"$TOP/tests/fixtures/db/schema-v1.sql"
check_status "v1 database: stemmed search after migration" 0 "$ACHIM" --db "$TMP/v1.db" search --json harbours
check_grep "the rebuilt index finds the v1 article" "example.org/1" "$TMP/status.out"
check_eq "v1 database migrated to the current version" "$(sql "$TMP/v1.db" "pragma user_version")" "$(sql "$TDB" "pragma user_version")"
check_eq "index rebuilt over both articles" "$(sql "$TMP/v1.db" "select count(*) from articles_fts_docsize")" "2"
check_status "v1 database: Korean search after migration" 0 "$ACHIM" --db "$TMP/v1.db" search --json 항구
check_grep "finds the Korean article ('항구가' in its summary)" "example.org/2" "$TMP/status.out"
