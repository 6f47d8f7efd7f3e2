#!/bin/sh
# check-deps.sh: each module may include only the modules below it
# (see docs/ARCHITECTURE.md). Prints offending includes; exits 1 if any.
set -u
cd "$(dirname "$0")/.." || exit 2
allowed() {
    case $1 in
    base) echo "base" ;;
    model) echo "model base" ;;
    feed) echo "feed model base" ;;
    fetch) echo "fetch base" ;;
    deliver) echo "deliver base" ;;
    store) echo "store model base" ;;
    text) echo "text base" ;;
    corpus) echo "corpus text model base" ;;
    report) echo "report model base" ;;
    app) echo "app report corpus text store deliver fetch feed model base" ;;
    web) echo "web app report corpus text store deliver fetch feed model base" ;;
    cli) echo "cli web app report corpus text store deliver fetch feed model base" ;;
    esac
}
bad=0
for f in src/*/*.c src/*/*.h; do
    m=$(echo "$f" | cut -d/ -f2)
    ok=$(allowed "$m")
    for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$f"); do
        case " $ok " in
        *" $inc "*) ;;
        *) echo "$f: module '$m' must not include '$inc/'"; bad=1 ;;
        esac
    done
    # third-party headers stay in their one module
    for pair in "curl/:feed fetch deliver" "libxml/:feed fetch" "sqlite3.h:store" "microhttpd.h:web"; do
        hdr=${pair%%:*}
        homes=${pair#*:}
        if grep -q "#include <$hdr" "$f" && ! echo " $homes " | grep -q " $m "; then
            echo "$f: <$hdr...> belongs to module(s) '$homes' only"
            bad=1
        fi
    done
done
[ $bad -eq 0 ] && echo "check-deps: module dependencies ok"
exit $bad
