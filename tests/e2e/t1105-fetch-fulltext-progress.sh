# Full text for teaser-only sources (readability-style extraction of the
# article page, sanitised, stored beside the teaser), feed discovery
# failures, and the three output modes of `achim fetch`: a progress bar on a
# terminal, plain lines off it, and --json.
. tests/e2e/lib.sh
DB="$TMP/t.db"
HTTPD="${ACHIM_BUILD:-$TOP/build}/tests/helper/fault-httpd"
export ACHIM_NOW=2026-01-31T12:00:00Z

"$HTTPD" --portfile "$TMP/port" --log "$TMP/req.log" --lifetime 60 &
HPID=$!
trap 'kill $HPID 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
i=0; while [ $i -lt 50 ] && ! [ -s "$TMP/port" ]; do sleep 0.1; i=$((i + 1)); done
U="http://127.0.0.1:$(cat "$TMP/port")"

check_status "add a full-text source" 0 "$ACHIM" --db "$DB" sources add --fulltext --name Teasers "$U/full"
check_eq "full-text flag and name stored" "$(sql "$DB" "select fulltext, name from sources")" "1|Teasers"
check_status "fetch" 0 "$ACHIM" --db "$DB" fetch
check_grep "the article page was fetched" "^GET /article$" "$TMP/req.log"
C=$(sql "$DB" "select content from articles where guid = 'teaser-1'")
case "$C" in *"inference accelerators"*"power supply now decide"*) ok "main text extracted" ;; *) not_ok "main text missing: '$C'" ;; esac
case "$C" in *Newsletter* | *"Most read"* | *Copyright* | *"track("*) not_ok "boilerplate kept: '$C'" ;; *) ok "nav, sidebar, footer and script dropped" ;; esac
check_eq "teaser kept beside the text" "$(sql "$DB" "select summary from articles where guid = 'teaser-1'")" "A deal."
check_eq "sanitised html stored" "$(sql "$DB" "select content_html like '%<p>%' and content_html not like '%<script%' from articles where guid = 'teaser-1'")" "1"
: >"$TMP/req.log"
check_status "refetch" 0 "$ACHIM" --db "$DB" fetch
check_eq "the page is not fetched again" "$(grep -c '^GET /article$' "$TMP/req.log")" "0"
check_eq "the unchanged entry keeps its full text" "$(sql "$DB" "select length(content) > 300 from articles where guid = 'teaser-1'")" "1"

# Discovery: a page with no feed, and a 404.
check_status "a page announcing no feed is refused" 1 "$ACHIM" --db "$DB" sources add "$U/article"
check_grep "refusal says why" "neither a feed nor a page that announces one" "$TMP/status.err"
check_status "a 404 is refused" 1 "$ACHIM" --db "$DB" sources add "$U/nothing-here"
check_status "a non-http URL is a usage error" 2 "$ACHIM" --db "$DB" sources add "file:///etc/passwd"

"$ACHIM" --db "$DB" sources add --no-check "$U/ok" >/dev/null
"$ACHIM" --db "$DB" sources add --no-check "$U/500" >/dev/null

# Off a terminal: one plain line per source.
"$ACHIM" --db "$DB" fetch --force --no-fulltext >"$TMP/plain.out" 2>"$TMP/plain.err"
check_eq "plain: one line per source plus the summary" "$(wc -l <"$TMP/plain.out" | tr -d ' ')" "4"
check_grep "plain: failure line names the status" " http 500 $U/500: .*HTTP 500" "$TMP/plain.out"
if grep -q "$(printf '\r')" "$TMP/plain.out" "$TMP/plain.err"; then not_ok "plain output has carriage returns"; else ok "plain: no progress bar"; fi

# On a terminal (script(1) gives the command a pty): a progress bar.
if command -v script >/dev/null 2>&1; then
    script -qec "$ACHIM --db $DB fetch --force --no-fulltext" /dev/null >"$TMP/tty.out" 2>&1
    check_grep "tty: progress bar with counts" "sources \[#*\] 3/3" "$TMP/tty.out"
    check_grep "tty: failures shown above the bar" "500: http: HTTP 500" "$TMP/tty.out"
    if grep -q "$(printf '\r')" "$TMP/tty.out"; then ok "tty: bar redrawn in place"; else not_ok "tty: no carriage return"; fi
else
    echo "skip - script(1) not installed"
fi

# --json: one machine-readable document.
"$ACHIM" --db "$DB" fetch --force --no-fulltext --json >"$TMP/j.out" 2>/dev/null
check "json: one valid document with totals and results" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sources"] == 3 and d["failed"] == 1 and d["ok"] + d["not_modified"] == 2, d
r = {x["url"].rsplit("/", 1)[1]: x for x in d["results"]}
assert r["500"]["result"] == "http" and r["500"]["status"] == 500 and "HTTP 500" in r["500"]["error"]
assert r["500"]["next_fetch"] > 0' "$TMP/j.out"
