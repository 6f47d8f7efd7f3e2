#!/usr/bin/env python3
"""Structural checks of a Markdown brief: title with the date, a headline
paragraph, the three blocks in order, bullets that end in footnotes, every
footnote used resolves to an outlet and URL, and every definition is used."""
import re
import sys


def main(path, date, lang):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    errors = []
    if not re.match(r"^# .*%s$" % re.escape(date), lines[0]):
        errors.append("first line is not a title with the date: %r" % lines[0])
    heads = [l for l in lines if l.startswith("## ")]
    want = ["## 1.", "## 2.", "## 3."]
    if [h[:5] for h in heads[:3]] != want:
        errors.append("blocks are not 1, 2, 3 in order: %r" % heads)
    body = text.split("\n## ")[0]
    paras = [p for p in body.split("\n\n")[1:] if p.strip() and not p.startswith("_")]
    if not paras:
        errors.append("no headline paragraph")
    bullets = [l for l in lines if l.startswith("- **")]
    for b in bullets:
        if not re.search(r"\*\*[^*]+:\*\* .+ (\[\^\d+\])+$", b):
            errors.append("bullet without topic, text or footnotes: %r" % b)
    used = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    defined = {}
    for l in lines:
        m = re.match(r"^\[\^(\d+)\]: (.+)$", l)
        if m:
            defined[m.group(1)] = m.group(2)
    for n in used - set(defined):
        errors.append("footnote [^%s] used but not defined" % n)
    for n in set(defined) - used:
        errors.append("footnote [^%s] defined but never used" % n)
    for n, d in defined.items():
        if not re.search(r" — “.+”, \d{4}-\d\d-\d\d\. <https?://[^ >]+>$", d):
            errors.append("footnote [^%s] lacks outlet, title, date or URL: %r" % (n, d))
    nums = sorted(int(n) for n in defined)
    if nums != list(range(1, len(nums) + 1)):
        errors.append("footnotes are not numbered 1..n: %r" % nums)
    if lang == "ko" and "이론·모델" not in text:
        errors.append("Korean block names missing")
    if errors:
        print("\n".join(errors))
        return 1
    print("brief ok: %d bullets, %d footnotes" % (len(bullets), len(defined)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "en"))
