# SPDX-License-Identifier: MIT
# achim summarize: the brief's summariser on plain text and JSONL — limits,
# original order, verbatim sentences, per-line budgets, errors.
. tests/e2e/lib.sh
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

cat >"$TMP/a.txt" <<'TXT'
Cerebras will supply OpenAI with 750 MW of compute through 2028, the companies said.
The deal is worth more than $10 billion, making OpenAI the chipmaker's largest customer.
Analysts said the OpenAI compute deal diversifies its chip supply away from GPUs.
Cerebras builds wafer-scale chips that are suited to fast inference for OpenAI models.
The weather in Sunnyvale was mild on Saturday.
TXT

check_status "summarize --sentences 2" 0 "$ACHIM" summarize --sentences 2 "$TMP/a.txt"
cp "$TMP/status.out" "$TMP/s2.txt"
check "two sentences, verbatim from the text, in their original order" $PY -c '
import sys
src = open(sys.argv[1]).read().split("\n")
out = open(sys.argv[2]).read().strip()
picked = [s for s in src if s and s in out]
assert len(picked) == 2, picked
assert out == " ".join(picked), out
assert "weather" not in out' "$TMP/a.txt" "$TMP/s2.txt"

check_status "summarize from stdin" 0 sh -c "'$ACHIM' summarize --sentences 2 < '$TMP/a.txt'"
check_diff "stdin gives the same summary" "$TMP/s2.txt" "$TMP/status.out"

check_status "summarize --ratio 0.4" 0 "$ACHIM" summarize --ratio 0.4 "$TMP/a.txt"
words=$(wc -w <"$TMP/status.out")
[ "$words" -ge 15 ] && [ "$words" -le 45 ] && ok "--ratio 0.4 gives about 40% of 70 words ($words)" ||
    not_ok "--ratio 0.4 gives $words words"

$PY -c '
import json, sys
t = open(sys.argv[1]).read()
print(json.dumps({"id": "a", "text": t}))
print(json.dumps({"id": 7, "text": t, "words": 12}))
print()
print(json.dumps({"id": "empty", "text": ""}))' "$TMP/a.txt" >"$TMP/in.jsonl"
check_status "summarize --jsonl" 0 "$ACHIM" summarize --jsonl --sentences 1 "$TMP/in.jsonl"
check "one output line per input object, ids kept, per-line budget honoured" $PY -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["id"] for r in rows] == ["a", 7, "empty"], rows
assert rows[0]["summary"].count(". ") == 0 and rows[0]["summary"].endswith(".")
assert 8 <= len(rows[1]["summary"].split()) <= 20, rows[1]
assert rows[2]["summary"] == ""' "$TMP/status.out"

printf '{"id": 1, "text": "ok."}\nnot json\n' >"$TMP/bad.jsonl"
check_status "malformed JSONL line fails" 1 "$ACHIM" summarize --jsonl "$TMP/bad.jsonl"
check_grep "the error names the line" "bad.jsonl:2" "$TMP/status.err"
check_status "--ratio out of range" 2 "$ACHIM" summarize --ratio 1.5 "$TMP/a.txt"
check_status "--sentences and --ratio together" 2 "$ACHIM" summarize --sentences 2 --ratio 0.5 "$TMP/a.txt"
check_status "missing file" 1 "$ACHIM" summarize "$TMP/nope.txt"
