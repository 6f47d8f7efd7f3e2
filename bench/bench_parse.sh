#!/bin/sh
# bench_parse.sh: feed parsing speed and memory, on the same bytes, for
#   achim     feed_parse_buffer() with full normalisation (dates, sanitising, URIs)
#   feedparser Debian's python3-feedparser (/usr/bin/python3)
#   walk      a bare libxml2 xmlReader pass (the practical ceiling)
# on the real feeds of ../shared/corpus/feeds and on a generated 100k-item,
# ~100 MB RSS feed. Prints items/s, MB/s, peak RSS and the ratios
# achim/feedparser and achim/walk, each against issue 3's goal (>= 30x
# feedparser, >= 0.6 of the walk, peak RSS <= input + 32 MiB), all measured
# in this run on the same bytes. achim hands entries to a callback
# (on_entry), as a streaming consumer does; every run holds the whole input
# in memory, which the RSS goal counts. Each program runs in a fresh process
# and is timed twice: "cold", its first pass over the files (what one run
# pays, one-time set-up included), and "warm", the median of BENCH_WARM
# (default 5) further passes over the same files in the same process; the
# ratios are given for both. Then "paired": walk and achim passes back to
# back in one process, the median of 15 per-round ratios (5 on the 100k
# feed, BENCH_PAIRS_BIG) with quartiles. This virtual machine's speed
# changes by up to 1.6x from one second to the next, so separate processes
# can meet different phases (single ratios swung from 0.33 to 0.84 with no
# change to the code); paired passes meet the same one, which makes the
# paired ratio the steady measure. A benchmark, not a test: it never fails
# on numbers.
set -u
cd "$(dirname "$0")/.." || exit 2
B=build/bench/parse
[ -x "$B" ] || { echo "bench_parse: $B not built (make bench)"; exit 1; }
W=build/bench/data
mkdir -p "$W"
SHARED=${ACHIM_SHARED:-../shared}
PARSE_WARM=${BENCH_WARM:-5}
export PARSE_WARM

if [ ! -s "$W/big.xml" ]; then
    python3 - "$W/big.xml" <<'PY'
import sys
n = 100000
pad = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 11
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Big</title><link>https://big.example/</link><description>generated</description>\n')
    for i in range(n):
        f.write(f'<item><title>Item {i} &amp; chips</title><link>https://big.example/a/{i}</link>'
                f'<guid>https://big.example/a/{i}</guid><dc:creator>Writer {i % 97}</dc:creator>'
                f'<category>cat{i % 13}</category><pubDate>Sat, 31 Jan 2026 10:{i % 60:02d}:00 GMT</pubDate>'
                f'<description>&lt;p&gt;Paragraph {i} with &lt;a href="/rel/{i}"&gt;a link&lt;/a&gt; and '
                f'&lt;b onclick="x()"&gt;bold&lt;/b&gt;. {pad}&lt;/p&gt;</description></item>\n')
    f.write('</channel></rss>\n')
PY
fi

FP=$W/fp.py
cat >"$FP" <<'PY'
import os, resource, statistics, sys, time
import feedparser
# one pass over the files, as build/bench/parse does: read (untimed), parse (timed)
def run_pass(paths):
    items = size = 0
    secs = cpu = 0.0
    for p in paths:
        data = open(p, 'rb').read()
        t0, c0 = time.perf_counter(), time.process_time()
        d = feedparser.parse(data, response_headers={'content-location': 'http://bench.example/feed.xml'})
        secs += time.perf_counter() - t0
        cpu += time.process_time() - c0
        items += len(d.entries)
        size += len(data)
    return items, size, secs, cpu
paths = sys.argv[1:]
items, size, secs, cpu = run_pass(paths)
warm = int(os.environ.get('PARSE_WARM', '0') or 0)
ws, wc = [], []
for _ in range(warm):
    r = run_pass(paths)
    ws.append(r[2])
    wc.append(r[3])
line = "feedparser items=%d bytes=%d seconds=%.4f maxrss_kb=%d cpu_seconds=%.4f" % (items, size, secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, cpu)
if warm:
    line += " warm_passes=%d warm_seconds=%.4f warm_cpu_seconds=%.4f" % (warm, statistics.median(ws), statistics.median(wc))
print(line)
PY

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

report() { # label, achim line, feedparser line, walk line
    echo "-- $1"
    for line in "$2" "$3" "$4"; do
        [ -n "$line" ] || continue
        echo "$line" | awk '{
            split($2,a,"="); split($3,b,"="); split($4,c,"="); split($5,d,"="); split($6,e,"=");
            s = c[2] > 0 ? c[2] : 1e-9;
            printf "   %-10s %8d items %8.1f MB %8.3f s (cpu %7.3f s) %9.0f items/s %7.1f MB/s  peak RSS %6.1f MiB  (cold)\n",
                   $1, a[2], b[2]/1e6, c[2], e[2], a[2]/s, b[2]/1e6/s, d[2]/1024 }'
    done
    ia=$(field "$2" items); if_=$(field "$3" items); ba=$(field "$2" bytes); ra=$(field "$2" maxrss_kb)
    # ratios of time on the same bytes (= of MB/s; the walk counts only
    # <item> and <entry> elements, so its item count may be lower), by wall
    # time and by CPU time; the machine is shared, and CPU time is what a
    # quiet machine's wall time would be. "cold" is each program's first
    # pass in a fresh process (what one run pays, one-time set-up
    # included); "warm" the median of the passes after it in the same
    # process, when they were run (PARSE_WARM).
    for kind in cold warm; do
        if [ $kind = cold ]; then s_=seconds; c_=cpu_seconds; else s_=warm_seconds; c_=warm_cpu_seconds; fi
        sa=$(field "$2" $s_); sf=$(field "$3" $s_); sw=$(field "$4" $s_)
        ca=$(field "$2" $c_); cf=$(field "$3" $c_); cw=$(field "$4" $c_)
        [ -n "$sa" ] || continue
        np=$(field "$2" warm_passes)
        if [ $kind = cold ]; then label="cold (first pass)"; else label="warm (median of $np passes)"; fi
        awk -v sa="$sa" -v sf="$sf" -v sw="$sw" -v ca="$ca" -v cf="$cf" -v cw="$cw" -v ba="$ba" \
            -v label="$label" 'BEGIN {
            printf "   %s: achim %.4f s (cpu %.4f s, %.1f MB/s)", label, sa, ca, (ca > 0 ? ba / 1e6 / ca : 0);
            if (cf != "") printf ", feedparser cpu %.4f s", cf;
            if (cw != "") printf ", walk cpu %.4f s", cw;
            printf "\n";
            if (sf > 0 && sa > 0 && cf > 0 && ca > 0) {
                r = sf / sa; q = cf / ca;
                printf "     ratio achim/feedparser: %6.1fx as fast (cpu %6.1fx)   (goal >= 30x):  goal %s\n", r, q, (q >= 30 ? "met" : "NOT met");
            }
            if (sw > 0 && sa > 0 && cw > 0 && ca > 0) {
                r = sw / sa; q = cw / ca;
                printf "     ratio achim/walk:       %6.2f of its speed (cpu %6.2f)  (goal >= 0.6):  goal %s\n", r, q, (q >= 0.6 ? "met" : "NOT met");
            }
        }'
    done
    awk -v ba="$ba" -v ra="$ra" -v memgoal="${5:-}" 'BEGIN {
        if (memgoal != "" && ra > 0) {
            lim = ba / 1024 + 32 * 1024;
            printf "   peak RSS achim:         %6.1f MiB for %.1f MiB of input (goal <= input + 32 MiB = %.1f MiB):  goal %s\n",
                   ra / 1024, ba / 1048576, lim / 1024, (ra <= lim ? "met" : "NOT met");
        }
    }'
    [ -n "$ia" ] && [ -n "$if_" ] && [ "$ia" != "$if_" ] && echo "   note: item counts differ (achim $ia, feedparser $if_)"
    # page faults while parsing: first touches of memory, which a virtual
    # machine makes costly (some 12 us each here), most of them in the cold pass
    fa=$(field "$2" minflt); fw=$(field "$4" minflt)
    [ -n "$fa" ] && [ -n "$fw" ] &&
        echo "   page faults while parsing (cold pass): achim $fa, walk $fw; warm pass: achim $(field "$2" warm_minflt), walk $(field "$4" warm_minflt)"
    # the paired measure (parse.c, pair mode): achim and walk passes back
    # to back in one process, so that both meet the same phase of a virtual
    # machine whose speed changes from one second to the next
    if [ -n "${6:-}" ]; then
        echo "$6" | awk '{
            for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            printf "   paired (%d rounds of a walk pass and an achim pass back to back, one process): achim cpu %.4f s, walk cpu %.4f s\n", v["rounds"], v["achim_cpu"], v["walk_cpu"];
            printf "     ratio achim/walk:       %6.2f of its speed (quartiles %.2f-%.2f)  (goal >= 0.6):  goal %s\n", v["ratio"], v["ratio_q1"], v["ratio_q3"], (v["ratio"] >= 0.6 ? "met" : "NOT met") }'
    fi
    :
}

# real feeds
set -- $(find "$SHARED/corpus/feeds" -type f \( -name '*.xml' -o -name '*.rss' -o -name '*.atom' \) 2>/dev/null | sort)
if [ $# -gt 0 ]; then
    a=$("$B" achim "$@"); w=$("$B" walk "$@")
    f=$(/usr/bin/python3 "$FP" "$@" 2>/dev/null)
    p=$("$B" pair "$@")
    report "real feeds ($# files from $SHARED/corpus/feeds)" "$a" "$f" "$w" "" "$p"
else
    echo "skip - real feeds: $SHARED/corpus/feeds not found"
fi

# the generated feed, first its first 10k items with all three parsers,
# then all 100k items (feedparser needs about 4 minutes there, so it runs
# on the whole feed only with BENCH_FEEDPARSER_BIG=1); each parser runs in
# its own process for a clean peak RSS
if [ ! -s "$W/big10k.xml" ]; then
    head -n 10001 "$W/big.xml" >"$W/big10k.xml"
    echo '</channel></rss>' >>"$W/big10k.xml"
fi
a=$("$B" achim "$W/big10k.xml"); w=$("$B" walk "$W/big10k.xml")
f=$(/usr/bin/python3 "$FP" "$W/big10k.xml" 2>/dev/null)
p=$("$B" pair "$W/big10k.xml")
report "generated feed, 10k items ($(wc -c <"$W/big10k.xml") bytes)" "$a" "$f" "$w" mem "$p"
a=$("$B" achim "$W/big.xml"); w=$("$B" walk "$W/big.xml")
if [ "${BENCH_FEEDPARSER_BIG:-0}" = 1 ]; then f=$(PARSE_WARM=0 /usr/bin/python3 "$FP" "$W/big.xml" 2>/dev/null); else f=""; fi
p=$(PARSE_PAIRS=${BENCH_PAIRS_BIG:-5} "$B" pair "$W/big.xml")
report "generated feed, 100k items ($(wc -c <"$W/big.xml") bytes)" "$a" "$f" "$w" mem "$p"
