# Bulk ingest queues term statistics and facts (entities, figures) and
# drains both in batches: when more than APP_STATS_BATCH (8,000) articles
# wait, inside the feed's transaction, and the rest when `achim ingest`
# ends. Afterwards nothing waits, every article has its entities and figures,
# and the counts agree with what the articles say.
. tests/e2e/lib.sh
DB="$TMP/b.db"
mkdir -p "$TMP/feeds"

# 01-big: 8,500 items, more than one batch; 02..04: small feeds after it.
# Items whose number is even name Cerebras (and a price), odd ones OpenAI.
python3 - "$TMP/feeds" <<'PY'
import sys
d = sys.argv[1]
def feed(name, first, n, day):
    with open(f"{d}/{name}.xml", "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                f'<title>{name}</title><link>https://{name}.example/</link><description>d</description>\n')
        for i in range(first, first + n):
            if i % 2 == 0:
                text = f"Cerebras Systems sold {i} racks for $10 billion to a lab."
            else:
                text = f"OpenAI reported {i} new agents on its platform today."
            f.write(f'<item><title>Item {i}</title><link>https://{name}.example/a/{i}</link>'
                    f'<guid>{name}-{i}</guid><pubDate>Sat, {day:02d} Jan 2026 10:{i % 60:02d}:00 GMT</pubDate>'
                    f'<description>{text}</description></item>\n')
        f.write('</channel></rss>\n')
feed("01-big", 0, 8500, 10)
feed("02-small", 8500, 30, 11)
feed("03-small", 8530, 31, 12)
feed("04-small", 8561, 40, 13)
PY

check_status "bulk ingest succeeds" 0 "$ACHIM" --db "$DB" ingest "$TMP/feeds"
check_eq "every item stored" "$(sql "$DB" "select count(*) from articles")" "8601"
check_eq "no term statistics left queued" "$(sql "$DB" "select count(*) from term_queue")" "0"
check_eq "no facts left queued" "$(sql "$DB" "select count(*) from facts_todo")" "0"
check_eq "every article's facts extracted" "$(sql "$DB" "select count(*) from facts_done")" "8601"
check_eq "Cerebras found in the even items" \
    "$(sql "$DB" "select count(*) from article_entities e join articles a on a.id = e.article_id where e.entity = 'Cerebras' and cast(substr(a.title, 6) as integer) % 2 = 0")" "4301"
check_eq "OpenAI found in the odd items" \
    "$(sql "$DB" "select count(*) from article_entities where entity = 'OpenAI'")" "4300"
check_eq "the price found once per Cerebras item" \
    "$(sql "$DB" "select count(*) from article_figures where kind = 'money' and value = 10000000000")" "4301"
"$ACHIM" --db "$DB" trends --entities --terms cerebras --by month --format csv >"$TMP/trends.csv" 2>&1
check_grep "entities counted for trends: 4,301 of 8,601 articles" \
    "^cerebras,entity,2026-01,(all),8601,4301," "$TMP/trends.csv"

# a second run changes nothing and leaves nothing queued
check_status "second ingest succeeds" 0 "$ACHIM" --db "$DB" ingest "$TMP/feeds"
check_eq "second ingest adds no facts" "$(sql "$DB" "select count(*) from article_entities")" "8601"
check_eq "nothing queued after the second run" \
    "$(sql "$DB" "select (select count(*) from facts_todo) + (select count(*) from term_queue)")" "0"
check_eq "integrity check" "$(sql "$DB" "pragma integrity_check")" "ok"
