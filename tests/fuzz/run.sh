#!/bin/sh
# tests/fuzz/run.sh BINARY SECONDS: run a libFuzzer target for SECONDS,
# seeded from tests/fixtures/feeds and the conformance suite in ../shared
# (when present), and print the execution count. Seeds are copied into
# build/fuzz/corpus (a build artefact, never committed); crashes go to
# build/fuzz/findings.
set -u
cd "$(dirname "$0")/../.." || exit 2
bin=$1
secs=${2:-60}
corpus=build/fuzz/corpus
findings=build/fuzz/findings
mkdir -p "$corpus" "$findings"
for f in tests/fixtures/feeds/*; do cp -n "$f" "$corpus/" 2>/dev/null; done
if [ -d ../shared/conformance/feedparser ] && [ ! -f "$corpus/.suite" ]; then
    find ../shared/conformance/feedparser -type f -name '*.xml' | while read -r f; do
        cp "$f" "$corpus/suite-$(echo "$f" | tr '/' '_')"
    done
    touch "$corpus/.suite"
fi
log=build/fuzz/last.log
"$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$findings/" -print_final_stats=1 "$corpus" >"$log" 2>&1
status=$?
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log"
tail -n 3 "$log"
ls "$findings" | head
exit $status
