# SPDX-License-Identifier: MIT
# Brief formats: the sample day as HTML, e-mail, JSON and Atom, in English and
# Korean — golden files derived from the demo, and property checks that hold
# for any brief: the HTML parses with no active content from the feeds (the
# sample feeds carry <script>, on* handlers and javascript: links), every
# footnote resolves and is used, the e-mail parses with Python's email
# package with two valid UTF-8 parts and intact footnote links.
#
# Regenerate the goldens after an engine change (read them first):
#   sh tests/golden/regen.sh
. tests/e2e/lib.sh
G="$TOP/tests/golden"
# Debian's python3 starts in milliseconds; any python3 >= 3.6 will do
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

for lang in en ko; do
    for fmt in html eml json atom; do
        check_status "demo --lang $lang --format $fmt runs" 0 "$ACHIM" demo --lang $lang --format $fmt
        cp "$TMP/status.out" "$TMP/demo-$lang.$fmt"
        check_diff "demo ($lang, $fmt) matches golden" "$G/demo-$lang.$fmt" "$TMP/demo-$lang.$fmt"
    done
    check "HTML ($lang) parses, no active content, footnotes resolve" \
        $PY tests/e2e/check_brief.py --html "$TMP/demo-$lang.html" 2026-02-01 $lang
    check "e-mail ($lang) parses: two UTF-8 parts, valid brief, links intact" \
        $PY tests/e2e/check_brief.py --eml "$TMP/demo-$lang.eml" 2026-02-01 $lang
done

# the hostile items of the sample feeds are in the store, yet nothing active
# reaches any format (the escaped text may remain, as text)
for f in "$TMP"/demo-*.html "$TMP"/demo-*.atom; do
    if grep -qiE '<script|<iframe|<img|[[:space:]]on(click|error|load)=|href="javascript' "$f"; then
        not_ok "active content in $(basename "$f")"
    else ok "no active content in $(basename "$f")"; fi
done

check "Atom feed is well-formed with a week of entries, newest first" $PY -c '
import sys, xml.etree.ElementTree as ET
ns = {"a": "http://www.w3.org/2005/Atom"}
root = ET.parse(sys.argv[1]).getroot()
es = root.findall("a:entry", ns)
assert len(es) >= 2, len(es)
ids = [e.find("a:id", ns).text for e in es]
assert ids == sorted(ids, reverse=True), ids
assert ids[0].endswith("brief/2026-02-01/en"), ids[0]
for e in es:
    assert e.find("a:title", ns).text and e.find("a:updated", ns).text
    assert e.find("a:content", ns).get("type") == "html"
    assert "<script" not in e.find("a:content", ns).text' "$TMP/demo-en.atom"

check "JSON: grounding, confirmation and implications" $PY -c '
import json, sys
b = json.load(open(sys.argv[1]))
n = len(b["refs"])
for s in b["sections"]:
    for bl in s["bullets"]:
        assert bl["refs"] and all(0 <= r < n for r in bl["refs"]), bl
        assert bl["confirmed"] == (bl["outlets"] >= 2), bl
        # every sentence of the text comes from a cited article
        assert bl["sources"], bl
        for src in bl["sources"]:
            assert src["ref"] in bl["refs"] and src["text"] in bl["text"], src
    if s["bullets"]:
        kinds = {i["kind"] for i in s["implications"]}
        assert "coverage" in kinds, s["implications"]
# the deliberate disagreement on the Cerebras deal is noticed
figs = [bl for s in b["sections"] for bl in s["bullets"] if bl["figures"]]
assert figs, "no figure disagreement found"
vals = {(f["usd"], f["qualifier"]) for f in figs[0]["figures"]}
assert (1e10, "exact") in vals and (1e10, "at_least") in vals and (1.05e10, "about") in vals, vals
' "$TMP/demo-en.json"

check_grep "the bullet notes the disagreeing figures" "Outlets differ on the figure: .*about \$10.5 billion" "$TMP/demo-en.html"
check_grep "Korean brief has the quant block title" "트렌드·퀀트 implication" "$TMP/demo-ko.html"

# --out picks the format from the file name
check_status "demo --out x.eml" 0 "$ACHIM" demo --out "$TMP/o.eml"
check_diff "--out .eml equals --format eml" "$TMP/demo-en.eml" "$TMP/o.eml"
check_status "bad --format is a usage error" 2 "$ACHIM" demo --format pdf
check_status "--send with --format json is a usage error" 2 "$ACHIM" demo --send --format json
