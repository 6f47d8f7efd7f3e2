# Fetching from a server that misbehaves on purpose (tests/helper/fault-httpd):
# slow drip, connection reset, endless and 1 GiB bodies, a gzip bomb, a
# redirect loop, a redirect to ftp, 500, 410, 429/503 with Retry-After and a
# lying charset. Every case must end within the configured limits, be
# recorded in the fetch log with its error, and leave earlier articles alone.
. tests/e2e/lib.sh
DB="$TMP/f.db"
HTTPD="${ACHIM_BUILD:-$TOP/build}/tests/helper/fault-httpd"
export ACHIM_NOW=2026-01-31T12:00:00Z
NOW=$(date -u -d 2026-01-31T12:00:00Z +%s)

"$HTTPD" --portfile "$TMP/port" --log "$TMP/req.log" --lifetime 60 &
HPID=$!
trap 'kill $HPID 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
i=0; while [ $i -lt 50 ] && ! [ -s "$TMP/port" ]; do sleep 0.1; i=$((i + 1)); done
U="http://127.0.0.1:$(cat "$TMP/port")"

# Earlier articles, stored from a local file: no fault may touch them.
"$ACHIM" --db "$DB" ingest "$TOP/tests/fixtures/feeds/rss20.xml" >/dev/null
before=$(sql "$DB" "select count(*) || ':' || total(length(title)) from articles")

for p in ok slow reset reset-mid endless huge gzip-bomb loop ftp 500 410 429 503 charset moved; do
    "$ACHIM" --db "$DB" sources add --no-check "$U/$p" >/dev/null
done
id() { sql "$DB" "select id from sources where feed_url = '$U/$1' or moved_from = '$U/$1'"; }
col() { sql "$DB" "select $2 from fetch_log where source_id = $(id "$1") order by id desc limit 1"; }

start=$(date +%s)
"$ACHIM" --db "$DB" fetch --jobs 16 --timeout 4 --connect-timeout 2 --low-speed-limit 200 \
    --low-speed-time 1 --max-size 1M >"$TMP/fetch.out" 2>&1
status=$?
elapsed=$(($(date +%s) - start))
check_eq "fetch is partial (exit 3)" "$status" "3"
[ "$elapsed" -le 8 ] && ok "all faults ended within the limits (${elapsed}s)" || not_ok "fetch took ${elapsed}s"
check_eq "every source has one fetch log row" "$(sql "$DB" "select count(distinct source_id) from fetch_log")" "15"
check_eq "a source ingested from a local file is not fetched" "$(sql "$DB" "select count(*) from fetch_log where source_id = 1")" "0"

check_eq "ok: stored" "$(col ok result) $(col ok added)" "ok 2"
check_eq "a source added by URL alone is named from its feed" "$(sql "$DB" "select name, site_url from sources where id = $(id ok)")" "Fault OK|http://127.0.0.1/"
check_eq "slow drip: timed out as io" "$(col slow result)" "io"
check_grep "slow drip: error names the low speed" "too slow\|timed out" "$TMP/fetch.out"
check_eq "reset: io error" "$(col reset result)" "io"
check_eq "reset mid-body: io error" "$(col reset-mid result)" "io"
check_eq "endless body: stopped at the cap" "$(col endless result)" "too-big"
check_eq "1 GiB Content-Length: refused" "$(col huge result)" "too-big"
[ "$(col huge bytes)" -lt 2000000 ] && ok "1 GiB body: under 2 MB read" || not_ok "1 GiB body: read $(col huge bytes) bytes"
check_eq "gzip bomb: stopped at the decoded cap" "$(col gzip-bomb result)" "too-big"
[ "$(col gzip-bomb bytes)" -lt 100000 ] && ok "gzip bomb: $(col gzip-bomb bytes) wire bytes for a 1 MiB cap" || not_ok "gzip bomb read $(col gzip-bomb bytes) bytes"
check_eq "redirect loop: http error" "$(col loop result)" "http"
check_grep "redirect loop: named" "too many redirects" "$TMP/fetch.out"
check_eq "redirect to ftp: refused" "$(col ftp result)" "http"
check_grep "redirect to ftp: named" "non-http(s) address 'ftp:" "$TMP/fetch.out"
check_eq "500: recorded" "$(col 500 result) $(col 500 http_status)" "http 500"
check_eq "410: source disabled" "$(col 410 result) $(sql "$DB" "select enabled from sources where id = $(id 410)")" "gone 0"
check_eq "429: waits out Retry-After (3600 s > 900 s back-off)" \
    "$(sql "$DB" "select next_fetch - $NOW from sources where id = $(id 429)")" "3600"
check_eq "503: the back-off is longer than its Retry-After (120 s)" \
    "$(sql "$DB" "select next_fetch - $NOW from sources where id = $(id 503)")" "900"
check_eq "lying charset: still stored" "$(col charset result) $(col charset added)" "ok 1"
check_eq "lying charset: UTF-8 bytes decoded despite the ISO-8859-1 label" "$(sql "$DB" "select title from articles where guid = 'fault-ko-1'")" "인공지능 반도체 투자"
check_eq "301: source moved to the new URL" "$(sql "$DB" "select feed_url from sources where moved_from = '$U/moved'")" "$U/ok2"
check_eq "failures counted" "$(sql "$DB" "select count(*) from sources where fail_count = 1")" "12"
# Memory stays bounded by the cap: peak RSS of a fetch of the endless body
# and of the gzip bomb with an 8 MiB cap (a buffered 1 GiB would show).
for p in endless gzip-bomb; do
    kb=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
        "$ACHIM" --db "$DB" fetch --source "$(id $p)" --max-size 8M --timeout 10)
    [ "$kb" -lt 262144 ] && ok "$p: peak memory $((kb / 1024)) MiB with an 8 MiB cap" || not_ok "$p: peak memory $((kb / 1024)) MiB"
    check_eq "$p: recorded as too big again" "$(col $p result) $(col $p error)" "too-big body larger than 8388608 bytes"
done
check_eq "earlier articles untouched" "$(sql "$DB" "select count(*) || ':' || total(length(title)) from articles where source_id = 1")" "$before"
check_eq "integrity" "$(sql "$DB" "pragma integrity_check")" "ok"

# Back-off: a second fetch leaves failing sources alone (no request reaches
# the server) and conditionally refetches the good ones.
: >"$TMP/req.log"
check_status "second fetch: only the healthy sources" 0 "$ACHIM" --db "$DB" fetch --timeout 4
check_eq "backing-off sources were not requested" "$(grep -c -v '^GET /\(ok\|ok2\|charset\)$' "$TMP/req.log")" "0"
check_eq "the 301 source is fetched at its new URL" "$(grep -c '^GET /moved$' "$TMP/req.log") $(grep -c '^GET /ok2$' "$TMP/req.log")" "0 1"
check_eq "ETag answered 304" "$(col ok result)" "not-modified"

# --force retries them; the fail count grows and the back-off doubles.
"$ACHIM" --db "$DB" fetch --force --timeout 2 --low-speed-limit 200 --low-speed-time 1 --max-size 1M >/dev/null 2>&1
check_eq "500 failed twice" "$(sql "$DB" "select fail_count from sources where id = $(id 500)")" "2"
check_eq "back-off doubled to 1800 s" "$(sql "$DB" "select next_fetch - $NOW from sources where id = $(id 500)")" "1800"
check_eq "disabled 410 source is not fetched even with --force" "$(sql "$DB" "select count(*) from fetch_log where source_id = $(id 410)")" "1"

"$ACHIM" --db "$DB" sources health >"$TMP/health.out"
check_grep "health lists the failing 500" "failing.*$U/500" "$TMP/health.out"
check_grep "health lists the disabled 410" "disabled.*$U/410" "$TMP/health.out"
check_grep "health lists the redirected source" "redirected.*$U/ok2 (was $U/moved)" "$TMP/health.out"
"$ACHIM" --db "$DB" sources health --json --all >"$TMP/health.json"
check_eq "health --json covers every source" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/health.json")" "16"
check_status "sources set --enable re-enables the 410 source" 0 "$ACHIM" --db "$DB" sources set "$U/410" --enable
check_eq "re-enabled, back-off cleared" "$(sql "$DB" "select enabled, next_fetch is null from sources where id = $(id 410)")" "1|1"
check_eq "integrity at the end" "$(sql "$DB" "pragma integrity_check")" "ok"
