# achim parse: --json prints feedparser's result shape for any readable
# document (exit 0, bozo for broken ones), HTTP context from --url/--headers
# or FEEDCONF_URL/FEEDCONF_HEADERS, and the conformance sample in ../shared
# when it is there.
. tests/e2e/lib.sh
F="$TOP/tests/fixtures/feeds"
J() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

check_status "parse --json a feed" 0 "$ACHIM" parse --json "$F/fp-rules.xml"
cp "$TMP/status.out" "$TMP/rules.json"
check_eq "version" "$(J "$TMP/rules.json" "d['version']")" "rss20"
check_eq "sanitised summary keeps the link, drops the script" \
    "$(J "$TMP/rules.json" "'evil' not in d['entries'][0]['summary'] and 'rel/page' in d['entries'][0]['summary']")" "True"
check_eq "enclosure as a link" "$(J "$TMP/rules.json" "d['entries'][0]['links'][0]['rel']")" "enclosure"

check_status "a truncated feed still exits 0" 0 "$ACHIM" parse --json "$F/truncated.xml"
check_eq "and is bozo" "$(J "$TMP/status.out" "d['bozo']")" "True"

printf '<html><body>no feed</body></html>' >"$TMP/page.html"
check_status "an HTML page is reported, not refused" 0 "$ACHIM" parse --json "$TMP/page.html"
check_eq "with an empty version" "$(J "$TMP/status.out" "repr(d['version'])")" "''"
check_status "without --json an HTML page is no feed" 1 "$ACHIM" parse "$TMP/page.html"

# HTTP context: options and environment agree
printf '<?xml version="1.0" encoding="iso-8859-1"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><link href="a"/></feed>' >"$TMP/h.xml"
check_status "--url --headers" 0 "$ACHIM" parse --json --url http://h.example/d/f.xml \
    --headers '{"Content-Type": "text/xml", "ETag": "\"e1\"", "Content-Language": "ko"}' "$TMP/h.xml"
cp "$TMP/status.out" "$TMP/h1.json"
check_eq "text/xml without charset is us-ascii" "$(J "$TMP/h1.json" "d['encoding']")" "us-ascii"
check_eq "links resolve against the URL" "$(J "$TMP/h1.json" "d['feed']['link']")" "http://h.example/d/a"
check_eq "Content-Language is the default language" "$(J "$TMP/h1.json" "d['feed']['language']")" "ko"
check_eq "headers and etag reported" "$(J "$TMP/h1.json" "d['headers']['etag'] == d['etag'] == '\"e1\"' and d['status'] == 200")" "True"
FEEDCONF_URL=http://h.example/d/f.xml FEEDCONF_HEADERS='{"Content-Type": "text/xml", "ETag": "\"e1\"", "Content-Language": "ko"}' \
    "$ACHIM" parse --json "$TMP/h.xml" >"$TMP/h2.json"
check_diff "FEEDCONF_* give the same result" "$TMP/h1.json" "$TMP/h2.json"

check_status "stdin" 0 sh -c "'$ACHIM' parse --json - <'$F/atom10.xml'"
check_status "bad --headers are ignored, not fatal" 0 "$ACHIM" parse --json --headers '{' "$F/atom10.xml"

# a sample of the conformance suite, when ../shared is present
S=${ACHIM_SHARED:-$TOP/../shared}/conformance
if [ -f "$S/feedconf.py" ]; then
    out=$(python3 "$S/feedconf.py" --jobs 2 --filter 'wellformed/(rss|atom10|sanitize)/[a-d]' --cmd "$ACHIM parse --json {file}" 2>&1 | tail -n 1)
    case $out in
    *" 0 failed") ok "conformance sample: $out" ;;
    *) not_ok "conformance sample: $out" ;;
    esac
else
    echo "skip - conformance suite not found (../shared absent)"
fi
