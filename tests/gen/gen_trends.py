#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen_trends.py: RSS feeds with planted trends, for `achim trends` tests.

Writes one RSS 2.0 file per outlet into OUTDIR and prints the ground truth
as JSON on stdout. Everything is drawn from random.Random(seed), so a seed
gives the same corpus on every machine.

Planted, on top of background text made of made-up words:
  burst    "quantaflux" is in ~2% of articles, and in ~30% during one week
  first    "zyloprene" never appears until a given day, first in one outlet
           at 09:00, in a second outlet six hours later, in the rest the
           next day (lead times 0 h, 6 h, >= 24 h)
  context  "agents" appears in ~20% of articles, always with "chatbot",
           "assistant", "customer" before the shift week, always with
           "orchestration", "workflow", "autonomous" from it on

usage: gen_trends.py OUTDIR [--seed N] [--weeks N] [--per-day N]
"""
import argparse
import datetime as dt
import json
import os
import random
from xml.sax.saxutils import escape

OUTLETS = ["Alpha Wire", "Beta Daily", "Gamma Review", "Delta Post", "Epsilon Times"]
SYLL = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "de", "pa", "zu", "fi", "go", "be"]
START = dt.datetime(2025, 10, 6, tzinfo=dt.timezone.utc)  # a Monday


def words(rng, n):
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(SYLL) for _ in range(rng.randint(3, 4))))
    return sorted(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--weeks", type=int, default=12)
    ap.add_argument("--per-day", type=int, default=6)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    vocab = words(rng, 400)
    days = a.weeks * 7
    burst_week = a.weeks - 4
    shift_week = a.weeks // 2
    first_day = days - 5
    first_order = rng.sample(OUTLETS, len(OUTLETS))
    os.makedirs(a.outdir, exist_ok=True)
    truth = {
        "start": START.strftime("%Y-%m-%d"),
        "days": days,
        "burst_term": "quantaflux",
        "burst_week_start": (START + dt.timedelta(days=7 * burst_week)).strftime("%Y-%m-%d"),
        "first_term": "zyloprene",
        "first_time": (START + dt.timedelta(days=first_day, hours=9)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"),
        "first_outlet": first_order[0],
        "second_outlet": first_order[1],
        "context_term": "agents",
        "shift_week_start": (START + dt.timedelta(days=7 * shift_week)).strftime("%Y-%m-%d"),
        "context_before": ["chatbot", "assistant", "customer"],
        "context_after": ["orchestration", "workflow", "autonomous"],
        "articles": 0,
        "burst_articles": 0,
    }
    for oi, outlet in enumerate(OUTLETS):
        items = []
        for d in range(days):
            week = d // 7
            for k in range(a.per_day):
                t = START + dt.timedelta(days=d, hours=rng.randint(0, 8) + 10 if k else 7,
                                         minutes=rng.randint(0, 59))
                title = rng.sample(vocab, 4)
                body = [rng.choice(vocab) for _ in range(18)]
                p_burst = 0.30 if week == burst_week else 0.02
                if rng.random() < p_burst:
                    body.insert(rng.randrange(len(body)), "quantaflux")
                    if week == burst_week:
                        truth["burst_articles"] += 1
                if rng.random() < 0.20:
                    ctx = truth["context_before"] if week < shift_week else truth["context_after"]
                    body[2:2] = ["agents"] + ctx
                items.append((t, " ".join(title).capitalize(), " ".join(body) + "."))
        # first appearance: first outlet at 09:00 on first_day, second six
        # hours later, the others the day after
        rank = first_order.index(outlet)
        if rank == 0:
            ft = START + dt.timedelta(days=first_day, hours=9)
        elif rank == 1:
            ft = START + dt.timedelta(days=first_day, hours=15)
        else:
            ft = START + dt.timedelta(days=first_day + 1, hours=9 + rank)
        for j in range(3):
            items.append((ft + dt.timedelta(hours=24 * j),
                          "Zyloprene " + " ".join(rng.sample(vocab, 3)),
                          "The zyloprene " + " ".join(rng.sample(vocab, 10)) + "."))
        items.sort()
        truth["articles"] += len(items)
        slug = outlet.lower().replace(" ", "-")
        with open(os.path.join(a.outdir, slug + ".xml"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                    f"<title>{escape(outlet)}</title><link>https://{slug}.example/</link>"
                    "<description>generated</description>\n")
            for n, (t, title, body) in enumerate(items):
                f.write(f"<item><title>{escape(title)}</title>"
                        f"<link>https://{slug}.example/{n}</link><guid>{slug}-{n}</guid>"
                        f"<pubDate>{t.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
                        f"<description>{escape(body)}</description></item>\n")
            f.write("</channel></rss>\n")
    json.dump(truth, os.sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
