# achim run: fetch -> ingest -> brief -> write, under a lock. The bundled
# sample feeds are served by nginx on 127.0.0.1; the brief lands in the
# output folder; a second run while the lock is held does nothing and says
# so; unreachable sources still give a brief (exit 0 with a warning: the run
# did its job); a run that cannot write its brief fails (exit 1).
. tests/e2e/lib.sh
. tests/nginx.sh
DB="$TMP/r.db"
export ACHIM_NOW=2026-02-01T07:00:00Z
command -v nginx >/dev/null 2>&1 || { echo "skip - nginx not installed"; exit 0; }

mkdir -p "$TMP/www" "$TMP/ngx/tmp"
cp "$TOP"/examples/sample-feeds/*.xml "$TOP"/examples/sample-feeds/*.atom "$TOP"/examples/sample-feeds/*.json "$TMP/www/" 2>/dev/null
rm -f "$TMP/www/broken-html-page.xml" # not a feed: t1102 covers failures
ngx_start "$TMP" "access_log $TMP/ngx/access.log; types { application/rss+xml xml; application/atom+xml atom; application/feed+json json; }" "" "" 1 64 || { not_ok "nginx starts"; sed 's/^/#   /' "$TMP/ngx/start.err"; exit 1; }
PORT=$NGX_PORT

for f in "$TMP"/www/*; do
    "$ACHIM" --db "$DB" sources add --no-check "http://127.0.0.1:$PORT/$(basename "$f")" >/dev/null
done
nsrc=$(sql "$DB" "select count(*) from sources")

check_status "run succeeds" 0 "$ACHIM" --db "$DB" run --out-dir "$TMP/briefs"
B="$TMP/briefs/brief-2026-02-01.en.md"
check_grep "run reports the written brief" "brief: .* written to $B" "$TMP/status.out"
[ -s "$B" ] && ok "brief file written" || not_ok "no brief file at $B"
check "brief has the promised structure" python3 tests/e2e/check_brief.py "$B" 2026-02-01 en
check_eq "all sources fetched" "$(sql "$DB" "select count(*) from fetch_log where result = 'ok'")" "$nsrc"
check_eq "run recorded as a fetch run" "$(sql "$DB" "select status from runs where kind = 'fetch' order by id desc limit 1")" "ok"

# The same brief as `achim brief` gives for the same store and day.
"$ACHIM" --db "$DB" brief --date 2026-02-01 >"$TMP/brief.md"
check_diff "run's brief equals achim brief" "$TMP/brief.md" "$B"

# A second run while the lock is held gives up at once.
LOCK="$DB.run.lock"
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "w"); fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close(); time.sleep(30)' "$LOCK" "$TMP/locked" &
holder=$!
i=0; while [ $i -lt 100 ] && ! [ -e "$TMP/locked" ]; do sleep 0.05; i=$((i + 1)); done
start=$(date +%s)
check_status "second run while locked exits 1" 1 "$ACHIM" --db "$DB" run --out-dir "$TMP/briefs"
[ $(($(date +%s) - start)) -le 1 ] && ok "locked run gave up at once" || not_ok "locked run waited"
check_grep "locked run says why" "another run holds the lock" "$TMP/status.err"
kill $holder 2>/dev/null
wait $holder 2>/dev/null

# Unreachable sources: the brief is still written from what is stored.
kill "$(cat "$TMP/ngx/nginx.pid")"
sleep 0.3
check_status "run with every source down still succeeds" 0 "$ACHIM" --db "$DB" run --out-dir "$TMP/briefs2" --force --connect-timeout 1 --timeout 2
[ -s "$TMP/briefs2/brief-2026-02-01.en.md" ] && ok "brief written from the store" || not_ok "no brief when sources are down"
check_grep "a warning names the failed sources" "warning: brief written, but some sources failed" "$TMP/status.err"
check_status "--json summary" 0 "$ACHIM" --db "$DB" run --out-dir "$TMP/briefs2" --force --connect-timeout 1 --timeout 2 --json --format json
check_eq "json says fetched, briefed, failures" \
    "$(python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read()); print(d["fetched"], d["briefed"], d["fetch"]["failed"] > 0, d["partial"], d["brief"].endswith(".json"))' "$TMP/status.out")" "True True True True True"

# Nothing could be done: the output folder cannot be created.
: >"$TMP/not-a-dir"
check_status "unwritable output folder fails (1)" 1 "$ACHIM" --db "$DB" run --no-fetch --out-dir "$TMP/not-a-dir/sub"
check_eq "integrity" "$(sql "$DB" "pragma integrity_check")" "ok"
