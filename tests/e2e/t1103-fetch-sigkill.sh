# SIGKILL in the middle of a fetch: every source is written in one
# transaction (articles, validators, schedule, fetch log), so the store is
# consistent after the kill, each source is all or nothing, and a rerun
# completes the work without duplicates.
. tests/e2e/lib.sh
. tests/nginx.sh
DB="$TMP/k.db"
export ACHIM_NOW=2026-01-31T12:00:00Z
command -v nginx >/dev/null 2>&1 || { echo "skip - nginx not installed"; exit 0; }

NF=60
NI=100
mkdir -p "$TMP/www" "$TMP/ngx/tmp"
python3 - "$TMP/www" $NF $NI <<'PY'
import sys
d, nf, ni = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for f in range(nf):
    with open(f"{d}/f{f}.xml", "w") as o:
        o.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Feed {f}</title><link>http://feeds.example/{f}/</link><description>d</description>\n')
        for i in range(ni):
            o.write(f'<item><title>Feed {f} item {i} on chips and models</title><link>http://feeds.example/{f}/a/{i}</link><guid>f{f}-{i}</guid><pubDate>Sat, 31 Jan 2026 10:{i%60:02d}:00 GMT</pubDate><description>Item {i} of feed {f}: a report on inference capacity and new models.</description></item>\n')
        o.write('</channel></rss>\n')
PY
ngx_start "$TMP" "access_log $TMP/ngx/access.log; types { application/rss+xml xml; }" "" || { not_ok "nginx starts"; sed 's/^/#   /' "$TMP/ngx/start.err"; exit 1; }
PORT=$NGX_PORT

python3 - "$TMP/list.opml" "$PORT" $NF <<'PY'
import sys
path, port, nf = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "w") as o:
    o.write('<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>\n')
    for f in range(nf):
        o.write(f'<outline text="Feed {f}" xmlUrl="http://127.0.0.1:{port}/f{f}.xml"/>\n')
    o.write('</body></opml>\n')
PY
check_status "import $NF sources" 0 "$ACHIM" --db "$DB" sources import "$TMP/list.opml"

# One transfer at a time with a 40 ms gap per host: the run takes seconds,
# so the kill lands in the middle of it.
"$ACHIM" --db "$DB" fetch --per-host 1 --host-delay 40 >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 400 ]; do
    n=$(sql "$DB" "select count(*) from fetch_log" 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 5 ] && break
    sleep 0.02
    i=$((i + 1))
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
done_before=$(sql "$DB" "select count(*) from fetch_log")
if [ "$done_before" -ge 1 ] && [ "$done_before" -lt $NF ]; then ok "killed mid-run ($done_before of $NF sources done)"; else not_ok "kill did not land mid-run ($done_before of $NF)"; fi

check_eq "integrity after SIGKILL" "$(sql "$DB" "pragma integrity_check")" "ok"
check_eq "each source all or nothing" "$(sql "$DB" "select count(*) from (select source_id, count(*) c from articles group by 1 having c <> $NI)")" "0"
check_eq "articles only for logged sources" "$(sql "$DB" "select count(distinct source_id) from articles")" "$done_before"
check_eq "validators iff logged" "$(sql "$DB" "select count(*) from sources s where (s.etag is not null) <> exists (select 1 from fetch_log f where f.source_id = s.id)")" "0"
check_eq "fts rows equal article rows" "$(sql "$DB" "select count(*) from articles_fts_docsize")" "$(sql "$DB" "select count(*) from articles")"

check_status "rerun completes" 0 "$ACHIM" --db "$DB" fetch --jobs 8
check_eq "every item stored once" "$(sql "$DB" "select count(*) from articles")" "$((NF * NI))"
check_eq "no duplicate keys" "$(sql "$DB" "select count(*) from (select source_id, key from articles group by 1,2 having count(*) > 1)")" "0"
check_eq "sources done before the kill were refetched conditionally" "$(sql "$DB" "select count(*) from fetch_log where result = 'not-modified'")" "$done_before"
check_eq "fts rows equal article rows after rerun" "$(sql "$DB" "select count(*) from articles_fts_docsize")" "$((NF * NI))"
check_eq "integrity after rerun" "$(sql "$DB" "pragma integrity_check")" "ok"
