#!/usr/bin/env python3
"""Structural checks of a brief (Markdown; --html page; --eml message): title with the date, a headline
paragraph, the three blocks in order, bullets that end in footnotes, every
footnote used resolves to an outlet and URL, and every definition is used."""
import os
import re
import sys


FOOTNOTE_DEF = re.compile(r"^\[\^(\d+)\]: ", re.M)


class HTMLCheck:
    """Parse HTML with the standard library; collect what must never be there."""

    def __init__(self):
        import html.parser

        outer = self

        class P(html.parser.HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack = []
                self.links = []
                self.ids = set()
                self.bad = []
                self.text = []

            def handle_starttag(self, tag, attrs):
                void = {"meta", "br", "hr", "img", "input", "link"}
                if tag in ("script", "iframe", "object", "embed", "img", "svg", "form", "style"):
                    self.bad.append("<%s>" % tag)
                for k, v in attrs:
                    if k.startswith("on"):
                        self.bad.append("%s= on <%s>" % (k, tag))
                    if k in ("href", "src") and v and v.strip().lower().startswith(
                            ("javascript:", "vbscript:", "data:")):
                        self.bad.append("%s=%s" % (k, v))
                    if k == "id":
                        self.ids.add(v)
                    if tag == "a" and k == "href":
                        self.links.append(v)
                if tag not in void:
                    self.stack.append(tag)

            def handle_endtag(self, tag):
                if not self.stack or self.stack[-1] != tag:
                    self.bad.append("misnested </%s> (open: %s)" % (tag, self.stack[-3:]))
                else:
                    self.stack.pop()

            def handle_data(self, d):
                self.text.append(d)

        self.parser = P()


def check_html(text):
    """Errors of an HTML brief: parse, nesting, no active content, every
    footnote link resolves, every footnote is referenced."""
    errors = []
    c = HTMLCheck().parser
    c.feed(text)
    c.close()
    errors += ["forbidden: %s" % b for b in c.bad]
    if c.stack:
        errors.append("unclosed tags: %r" % c.stack)
    if not text.startswith("<!DOCTYPE html>"):
        errors.append("no doctype")
    refs = [l[1:] for l in c.links if l.startswith("#fn-")]
    backs = [l[1:] for l in c.links if l.startswith("#fnref-")]
    for r in refs:
        if r not in c.ids:
            errors.append("footnote link #%s does not resolve" % r)
    defined = {i for i in c.ids if i.startswith("fn-")}
    for d in defined - set(refs):
        errors.append("footnote %s is never referenced" % d)
    for b in backs:
        if b not in c.ids:
            errors.append("back link #%s does not resolve" % b)
    if not [l for l in c.links if l.startswith("https://")]:
        errors.append("no source links")
    return errors, c


def check_eml(path, date, lang):
    import email
    import email.policy

    raw = open(path, "rb").read()
    errors = []
    if b"\n" in raw.replace(b"\r\n", b""):
        errors.append("a line does not end in CRLF")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    subject = str(msg["Subject"])
    if not subject.startswith("[achim] %s — " % date):
        errors.append("subject %r" % subject)
    for h in ("From", "To", "Date", "Message-ID", "MIME-Version"):
        if not msg[h]:
            errors.append("no %s header" % h)
    if msg.get_content_type() != "multipart/alternative":
        errors.append("not multipart/alternative: %s" % msg.get_content_type())
    parts = {p.get_content_type(): p for p in msg.iter_parts()}
    if set(parts) != {"text/plain", "text/html"}:
        errors.append("parts: %r" % list(parts))
        return errors, msg
    for t, p in parts.items():
        body = p.get_payload(decode=True)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as e:
            errors.append("%s is not valid UTF-8: %s" % (t, e))
        if p.get_content_charset() != "utf-8":
            errors.append("%s charset %s" % (t, p.get_content_charset()))
    plain = parts["text/plain"].get_payload(decode=True).decode("utf-8")
    html = parts["text/html"].get_payload(decode=True).decode("utf-8")
    tmp = path + ".txt"
    open(tmp, "w", encoding="utf-8").write(plain)
    if main(tmp, date, lang, quiet=True):
        errors.append("the text part is not a valid brief")
    os.unlink(tmp)
    herr, c = check_html(html)
    errors += ["html part: " + e for e in herr]
    # the footnote links are intact: the same URLs in both parts
    urls_md = re.findall(r"^\[\^\d+\]: .* <(https?://[^>]+)>$", plain, re.M)
    urls_html = [l for l in c.links if l.startswith("http")]
    for u in urls_md:
        if u not in urls_html:
            errors.append("footnote URL %s missing from the HTML part" % u)
    return errors, msg


def main(path, date, lang, quiet=False):
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
        if not re.search(r" _\((confirmed by \d+ (independent )?outlets( of \d+)?|single source(, carried by \d+ outlets)?"
                         r"|\d+개 매체 확인|독립 매체 \d+곳 확인, 전체 \d+개 매체 보도|단일 출처(, \d+개 매체 전재)?)\)_ ", b):
            errors.append("bullet not marked confirmed or single source: %r" % b)
        # a figure disagreement lists 2+ readings, each cited
        for m in re.finditer(r"(?:Outlets differ on the figure|매체별 수치가 다릅니다): (.+?)\.(?= |$)", b):
            readings = m.group(1).split("; ")
            if len(readings) < 2 or not all(re.search(r"\S (\[\^\d+\])+$", r) for r in readings):
                errors.append("figure disagreement without 2 cited readings: %r" % m.group(0))
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
    if not quiet:
        print("brief ok: %d bullets, %d footnotes" % (len(bullets), len(defined)))
    return 0


def cli():
    args = sys.argv[1:]
    kind = "md"
    if args and args[0] in ("--html", "--eml"):
        kind = args.pop(0)[2:]
    path, date = args[0], args[1]
    lang = args[2] if len(args) > 2 else "en"
    if kind == "md":
        return main(path, date, lang)
    if kind == "html":
        errors, c = check_html(open(path, encoding="utf-8").read())
        what = "html ok: %d links" % len(c.links)
    else:
        errors, msg = check_eml(path, date, lang)
        what = "eml ok: %s" % msg["Subject"]
    if errors:
        print("\n".join(errors))
        return 1
    print(what)
    return 0


if __name__ == "__main__":
    sys.exit(cli())
