#!/bin/sh
# conformance.sh: run feedparser's conformance suite from ../shared against
# `achim parse --json`. Skips with a message when ../shared is absent.
set -u
cd "$(dirname "$0")/.." || exit 2
SUITE=../shared/conformance
if [ ! -f "$SUITE/feedconf.py" ]; then
    echo "conformance: skipped: $SUITE/feedconf.py not found (the suite lives beside the checkout)"
    exit 0
fi
exec python3 "$SUITE/feedconf.py" --jobs 2 --cmd "$(pwd)/achim parse --json {file}" "$@"
