#!/bin/sh
# SPDX-License-Identifier: MIT
# regen.sh: rewrite every golden file of the sample day from ./achim demo —
# after an engine change, once the new output has been read and judged:
#   make && sh tests/golden/regen.sh && git diff --stat tests/golden
set -eu
cd "$(dirname "$0")/../.." || exit 2
ACHIM=${ACHIM_BIN:-./achim}
for lang in en ko; do
    "$ACHIM" demo --lang $lang >tests/golden/demo-$lang.md 2>/dev/null
    for fmt in html eml json atom; do
        "$ACHIM" demo --lang $lang --format $fmt >tests/golden/demo-$lang.$fmt 2>/dev/null
    done
done
echo "regen: tests/golden/demo-{en,ko}.{md,html,eml,json,atom} rewritten"
