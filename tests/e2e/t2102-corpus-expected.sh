# achim parse on the real feeds of ../shared/corpus/feeds against the expected
# parses shipped with them (rss-parser's expected/*.json, feed-rs's
# *.serde.json): feed title and link, item count, item titles, links and
# dates (UTC). One line per feed and field, then the agreement per fixture
# set; known differences are listed, with their reasons, in
# check_corpus_expected.py.
. tests/e2e/lib.sh
SHARED=${ACHIM_SHARED:-$TOP/../shared}
FEEDS="$SHARED/corpus/feeds"
if [ ! -d "$FEEDS/rss-parser" ] || [ ! -d "$FEEDS/feed-rs" ]; then
    echo "skip - corpus expected parses: $FEEDS not found (the shared data lives beside the checkout)"
    exit 0
fi
python3 "$TOP/tests/e2e/check_corpus_expected.py" "$ACHIM" "$FEEDS"
