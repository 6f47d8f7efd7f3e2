# Fetching from a real web server: Debian's nginx on 127.0.0.1 serves the
# fixture feeds (gzip, ETag, Last-Modified). The first fetch stores the
# articles; the second is conditional and nginx answers 304 (its access log
# says so), which stores nothing and parses nothing. Also: a web page URL is
# resolved to the feed it announces, and OPML export/import round-trips.
. tests/e2e/lib.sh
. tests/nginx.sh
DB="$TMP/n.db"
F="$TOP/tests/fixtures/feeds"
export ACHIM_NOW=2026-01-31T12:00:00Z

command -v nginx >/dev/null 2>&1 || { echo "skip - nginx not installed"; exit 0; }

# nginx runs its workers as nobody: the served tree must be world-readable.
mkdir -p "$TMP/www" "$TMP/ngx/tmp"
cp "$F/rss20.xml" "$F/atom10.xml" "$F/rss10-rdf.xml" "$TMP/www/"
cat >"$TMP/www/index.html" <<'HTML'
<!DOCTYPE html><html><head><title>Site</title>
<link rel="alternate" type="application/atom+xml" href="/atom10.xml"></head><body>hi</body></html>
HTML
ngx_start "$TMP" "log_format t '\$status \$request_uri \"\$http_if_none_match\" \"\$http_if_modified_since\" \$sent_http_content_encoding \"\$http_user_agent\"'; access_log $TMP/ngx/access.log t; types { application/rss+xml xml; text/html html; } gzip on; gzip_min_length 64; gzip_types application/rss+xml;" "" || { not_ok "nginx starts"; sed 's/^/#   /' "$TMP/ngx/start.err"; exit 1; }
PORT=$NGX_PORT
U="http://127.0.0.1:$PORT"

check "add a feed URL" "$ACHIM" --db "$DB" sources add --weight 1.5 "$U/rss20.xml"
check "add an RDF feed" "$ACHIM" --db "$DB" sources add "$U/rss10-rdf.xml"
"$ACHIM" --db "$DB" sources add "$U/index.html" >"$TMP/add.out" 2>&1
check_grep "a web page is resolved to the feed it announces" "atom10.xml (found on" "$TMP/add.out"
check_eq "three sources" "$(sql "$DB" "select count(*) from sources")" "3"
check_eq "weight stored" "$(sql "$DB" "select weight from sources where feed_url like '%rss20.xml'")" "1.5"
check_eq "discovered source named from its feed" \
    "$(sql "$DB" "select name is not null and name <> '' from sources where feed_url like '%atom10.xml'")" "1"

: >"$TMP/ngx/access.log"
check_status "first fetch succeeds" 0 "$ACHIM" --db "$DB" fetch --jobs 4
n1=$(sql "$DB" "select count(*) from articles")
[ "$n1" -gt 0 ] && ok "articles stored ($n1)" || not_ok "no articles stored"
check_eq "three 200s in nginx's log" "$(grep -c '^200 /\(rss20\|atom10\|rss10-rdf\)' "$TMP/ngx/access.log")" "3"
check_grep "nginx compressed the RSS (gzip negotiated)" '^200 /rss20.xml .* gzip ' "$TMP/ngx/access.log"
check_grep "honest User-Agent sent" '"achim/[0-9.]* (+https://' "$TMP/ngx/access.log"
check_eq "validators stored for every source" "$(sql "$DB" "select count(*) from sources where etag is not null and last_modified is not null")" "3"
check_eq "fetch log has one ok row per source" "$(sql "$DB" "select count(*) from fetch_log where result = 'ok' and http_status = 200")" "3"

: >"$TMP/ngx/access.log"
"$ACHIM" --db "$DB" fetch --json >"$TMP/f2.json" 2>&1
check_eq "second fetch: nginx answered 304 three times" "$(grep -c '^304 ' "$TMP/ngx/access.log")" "3"
check_grep "If-None-Match was sent" '^304 /rss20.xml "W/' "$TMP/ngx/access.log"
check_eq "304 stores nothing new" "$(sql "$DB" "select count(*) from articles")" "$n1"
check_eq "json summary counts not-modified" \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["not_modified"], d["ok"], d["failed"], len(d["results"]))' "$TMP/f2.json")" "3 0 0 3"
check_eq "fetch log records not-modified" "$(sql "$DB" "select count(*) from fetch_log where result = 'not-modified' and http_status = 304")" "3"

# A changed feed is fetched again in full and updates what changed.
sed 's#</channel>#<item><title>A new GPU launch</title><link>http://example.com/new-gpu</link><guid>new-gpu-1</guid><pubDate>Sat, 31 Jan 2026 11:00:00 GMT</pubDate><description>New chips.</description></item></channel>#' \
    "$F/rss20.xml" >"$TMP/www/rss20.xml"
touch -d '2026-01-31 11:30' "$TMP/www/rss20.xml"
: >"$TMP/ngx/access.log"
check_status "third fetch after a change" 0 "$ACHIM" --db "$DB" fetch
check_eq "changed feed answered 200, the others 304" "$(grep -c '^200 ' "$TMP/ngx/access.log") $(grep -c '^304 ' "$TMP/ngx/access.log")" "1 2"
check_eq "exactly one new article" "$(sql "$DB" "select count(*) from articles")" "$((n1 + 1))"
check_eq "no duplicate keys" "$(sql "$DB" "select count(*) from (select source_id, key from articles group by 1,2 having count(*) > 1)")" "0"

# OPML round trip: export, import into a fresh store, export again.
check "export OPML" "$ACHIM" --db "$DB" sources export --out "$TMP/out.opml"
check "exported OPML is well-formed XML" python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$TMP/out.opml"
check_status "import into a fresh store" 0 "$ACHIM" --db "$TMP/2.db" sources import "$TMP/out.opml"
check_eq "same sources after import" "$(sql "$TMP/2.db" "select feed_url, weight from sources order by feed_url")" \
    "$(sql "$DB" "select feed_url, weight from sources order by feed_url")"
"$ACHIM" --db "$TMP/2.db" sources export | grep -v dateCreated >"$TMP/again.opml"
grep -v dateCreated "$TMP/out.opml" >"$TMP/out2.opml"
check_diff "export of the import equals the export" "$TMP/out2.opml" "$TMP/again.opml"
check_status "import again adds nothing" 0 "$ACHIM" --db "$TMP/2.db" sources import "$TMP/out.opml"
check_grep "import again reports existing" "0 added, 3 already present" "$TMP/status.out"

# The bundled default list: at least 40 feeds, all http(s), weights in range.
check_status "import the default list" 0 "$ACHIM" --db "$TMP/3.db" sources import
nd=$(sql "$TMP/3.db" "select count(*) from sources")
[ "$nd" -ge 40 ] && ok "default list has $nd sources (>= 40)" || not_ok "default list has only $nd sources"
check_eq "default weights in (0, 2]" "$(sql "$TMP/3.db" "select count(*) from sources where weight <= 0 or weight > 2 or feed_url not like 'https://%'")" "0"

check_status "remove a source" 0 "$ACHIM" --db "$DB" sources remove "$U/rss10-rdf.xml"
check_eq "its articles and log are gone" "$(sql "$DB" "select count(*) from articles a left join sources s on s.id = a.source_id where s.id is null") $(sql "$DB" "select count(*) from fetch_log f left join sources s on s.id = f.source_id where s.id is null")" "0 0"
check_eq "integrity" "$(sql "$DB" "pragma integrity_check")" "ok"
