#!/bin/sh
# bench_fetch.sh: fetch 1,000 feeds from a local nginx with --jobs 32 and
# compare with `curl --parallel` fetching the same URLs with the same
# parallelism. Not a test: it prints figures, it asserts nothing.
#
# achim does more than curl here: it parses every feed and stores its
# articles (one transaction per feed), so the ratio is the cost of the whole
# ingest path over the bare transfers. A second, conditional achim run shows
# the steady state of a morning fetch (nginx answers 304, nothing is parsed).
set -u
cd "$(dirname "$0")/.." || exit 2
ACHIM=${ACHIM_BIN:-$(pwd)/achim}
N=${BENCH_FEEDS:-1000}
JOBS=${BENCH_JOBS:-32}
ITEMS=${BENCH_ITEMS:-20}
command -v nginx >/dev/null 2>&1 || { echo "bench_fetch: nginx not installed, skipped"; exit 0; }
command -v curl >/dev/null 2>&1 || { echo "bench_fetch: curl not installed, skipped"; exit 0; }
TMP=$(mktemp -d /tmp/achim-bench.XXXXXX)
. tests/nginx.sh
trap 'kill $(cat "$TMP/ngx/nginx.pid" 2>/dev/null) 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
mkdir -p "$TMP/www" "$TMP/ngx/tmp"
python3 - "$TMP/www" "$N" "$ITEMS" <<'PY'
import sys
d, n, ni = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for f in range(n):
    with open(f"{d}/f{f}.xml", "w") as o:
        o.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Bench feed {f}</title><link>http://bench.example/{f}/</link><description>d</description>\n')
        for i in range(ni):
            o.write(f'<item><title>Feed {f} story {i}: chips, models and policy</title><link>http://bench.example/{f}/a/{i}</link><guid>b{f}-{i}</guid><pubDate>Sat, 31 Jan 2026 {i%24:02d}:00:00 GMT</pubDate><description>Story {i} of feed {f}. A data center operator signed a deal for inference capacity while regulators opened a review of cloud contracts, analysts said on Friday.</description></item>\n')
        o.write('</channel></rss>\n')
PY
ngx_start "$TMP" "access_log off; types { application/rss+xml xml; } gzip on; gzip_types application/rss+xml; keepalive_requests 10000;" "" "" 2 1024 || exit 1
PORT=$NGX_PORT
U="http://127.0.0.1:$PORT"
size=$(du -sk "$TMP/www" | cut -f1)

{
    echo '<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head><body>'
    i=0
    while [ $i -lt "$N" ]; do echo "<outline text=\"f$i\" xmlUrl=\"$U/f$i.xml\"/>"; i=$((i + 1)); done
    echo '</body></opml>'
} >"$TMP/list.opml"
"$ACHIM" --db "$TMP/b.db" sources import "$TMP/list.opml" >/dev/null || exit 1

i=0
while [ $i -lt "$N" ]; do
    echo "url = \"$U/f$i.xml\""
    echo "output = \"/dev/null\""
    i=$((i + 1))
done >"$TMP/curl.cfg"

now() { date +%s.%N; }
t0=$(now)
curl --silent --compressed --parallel --parallel-max "$JOBS" --config "$TMP/curl.cfg" 2>/dev/null || echo "curl failed"
t1=$(now)
"$ACHIM" --db "$TMP/b.db" fetch --jobs "$JOBS" --per-host "$JOBS" --host-delay 0 --no-fulltext >"$TMP/a1.out" 2>&1
t2=$(now)
"$ACHIM" --db "$TMP/b.db" fetch --jobs "$JOBS" --per-host "$JOBS" --host-delay 0 --no-fulltext >"$TMP/a2.out" 2>&1
t3=$(now)
stored=$(sqlite3 "$TMP/b.db" "select count(*) from articles")
nm=$(sqlite3 "$TMP/b.db" "select count(*) from fetch_log where result = 'not-modified'")

python3 - "$N" "$JOBS" "$t0" "$t1" "$t2" "$t3" "$stored" "$nm" "$size" <<'PY'
import sys
n, jobs = int(sys.argv[1]), int(sys.argv[2])
t0, t1, t2, t3 = map(float, sys.argv[3:7])
stored, nm, kb = int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
c, a, a2 = t1 - t0, t2 - t1, t3 - t2
print(f"feeds: {n} ({kb} KB on disk), --jobs {jobs}, nginx on 127.0.0.1 with gzip")
print(f"curl --parallel   : {c:6.2f} s  {n / c:8.0f} feeds/s  (transfer only)")
print(f"achim fetch       : {a:6.2f} s  {n / a:8.0f} feeds/s  (transfer + parse + store, {stored} articles)")
print(f"achim fetch (304) : {a2:6.2f} s  {n / a2:8.0f} feeds/s  ({nm} not modified)")
print(f"ratio achim/curl  : {(n / a) / (n / c):.2f} (first fetch), {(n / a2) / (n / c):.2f} (conditional)")
PY
