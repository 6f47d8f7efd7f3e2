/* SPDX-License-Identifier: MIT */
/* test_trends.c: the app side of trends — the analyzer as the store sees
 * it, app_feed_ingest() counting in the same transaction, series built
 * from the statistics, and app_trend_momentum() for the brief.
 *
 * Documents are built by hand on a ":memory:" store: a planted term rises
 * in the last week against a four-week baseline, another term stays flat. */
#include "../test.h"

#include <math.h>

#include "app/app.h"
#include "app_test.h"
#include "base/util.h"
#include "store/store_int.h"

#define D0 20454 /* 2026-01-01 as days since the epoch */

/* One outlet, `days` days from D0, `per_day` articles a day; articles
 * whose index i satisfies planted(day, i) mention "Agents" in the title. */
static void fill(struct store *st, int days, int per_day, int (*planted)(int day, int i))
{
    struct err e = ERR_INIT;
    int64_t src = 0;
    CHECK_INT(store_source_ensure(st, "https://o.example/f", "Outlet", NULL, 0, &src, &e),
              ACHIM_OK);
    for (int d = 0; d < days; d++) {
        struct feed_doc *doc = feed_doc_new();
        for (int i = 0; i < per_day; i++) {
            struct article *a = feed_doc_add_entry(doc);
            char g[32], title[128];
            snprintf(g, sizeof(g), "%d-%d", d, i);
            snprintf(title, sizeof(title), "%s weather report, cloud pricing update",
                     planted(d, i) ? "Agents take over;" : "Nothing new:");
            a->guid = strdup(g);
            a->title = strdup(title);
            a->summary = strdup("The small language models of physical AI.");
            a->published = (int64_t)(D0 + d) * 86400 + 3600 * (i % 20);
        }
        struct ingest_counts c;
        CHECK_INT(app_feed_ingest(st, NULL, src, 0, doc, 0, &c, &e), ACHIM_OK);
        CHECK_INT(c.added, per_day);
        feed_doc_free(doc);
    }
}

static int rising(int day, int i)
{
    return day >= 28 ? i < 6 : i < 1; /* 6 of 20 in the last week, 1 of 20 before */
}

static void test_ingest_counts_in_same_transaction(void)
{
    struct store *st = open_mem();
    fill(st, 3, 4, rising);
    /* nothing left in the queue: counted inside the ingest */
    CHECK_INT(store_termstats_pending(st), 0);
    CHECK_INT(store_query_int(st, "SELECT sum(docs) FROM doc_day", -1), 12);
    /* words are folded and stemmed, stopwords dropped, phrases adjacent */
    CHECK_INT(store_query_int(st,
                              "SELECT sum(df) FROM term_day JOIN term_dict d ON d.id = term_id "
                              "WHERE d.kind = 1 AND d.term = 'agent'",
                              -1),
              3);
    CHECK_INT(store_query_int(st,
                              "SELECT sum(df) FROM term_day JOIN term_dict d ON d.id = term_id "
                              "WHERE d.kind = 2 AND d.term = 'physic ai'",
                              -1),
              12);
    /* "report, cloud": the comma breaks the phrase */
    CHECK_INT(store_query_int(st,
                              "SELECT count(*) FROM term_dict WHERE kind = 2 AND "
                              "term = 'report cloud'",
                              -1),
              0);
    /* inside a caller's transaction that rolls back, nothing stays */
    struct err e = ERR_INIT;
    CHECK_INT(store_begin(st, &e), ACHIM_OK);
    struct feed_doc *doc = feed_doc_new();
    struct article *a = feed_doc_add_entry(doc);
    a->guid = strdup("x");
    a->title = strdup("zyloprene");
    a->published = (int64_t)D0 * 86400;
    CHECK_INT(app_feed_ingest(st, NULL, 1, 0, doc, 0, NULL, &e), ACHIM_OK);
    feed_doc_free(doc);
    store_rollback(st);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_dict WHERE term = 'zylopren'", -1), 0);
    CHECK_INT(store_termstats_pending(st), 0);
    store_close(st);
}

static void test_momentum(void)
{
    struct store *st = open_mem();
    fill(st, 35, 20, rising);
    struct app_momentum m;
    struct err e = ERR_INIT;
    CHECK_INT(app_trend_momentum(st, "agents", D0 + 34, &m, &e), ACHIM_OK);
    CHECK_INT(m.recent, 7 * 6);
    CHECK_INT(m.recent_docs, 7 * 20);
    CHECK_INT(m.base, 28);
    CHECK_INT(m.base_docs, 28 * 20);
    CHECK(fabs(m.growth - 5.0) < 1e-9); /* 300 per 1,000 against 50 */
    CHECK(m.test.p < 1e-6);
    /* a flat term: no growth, no significance */
    CHECK_INT(app_trend_momentum(st, "weather", D0 + 34, &m, &e), ACHIM_OK);
    CHECK(fabs(m.growth) < 1e-9);
    CHECK(m.test.p > 0.3);
    /* a phrase of three words is counted by scanning */
    CHECK_INT(app_trend_momentum(st, "small language models", D0 + 34, &m, &e), ACHIM_OK);
    CHECK_INT(m.recent, 140);
    CHECK(app_trend_momentum(st, "", D0, &m, &e) == ACHIM_EINVAL);
    store_close(st);
}

static void test_series_and_emerging(void)
{
    struct store *st = open_mem();
    fill(st, 35, 20, rising);
    struct app_trends_opts o;
    app_trends_opts_default(&o);
    const char *terms[] = {"Agents", "weather report"};
    o.terms = terms;
    o.nterms = 2;
    o.by = TREND_WEEK;
    o.emerging = true;
    struct app_trends t;
    struct err e = ERR_INIT;
    CHECK_INT(app_trends_build(st, &o, &t, &e), ACHIM_OK);
    CHECK(t.nperiods >= 5);
    CHECK_INT(t.nseries, 2);
    CHECK_STR(t.series[0].key, "agent");
    CHECK_INT(t.series[1].kind, STORE_TERM_PHRASE);
    int64_t total = 0, docs = 0;
    for (size_t p = 0; p < t.nperiods; p++) {
        total += t.series[0].x[p];
        docs += t.docs[p];
        CHECK_INT(t.series[1].x[p], t.docs[p]); /* in every article */
    }
    CHECK_INT(total, 28 + 42);
    CHECK_INT(docs, 35 * 20);
    /* the last week (2026-02-02..) is a burst for "agent", never for "weather" */
    size_t last = t.nperiods - 1;
    CHECK(t.series[0].burst[last]);
    for (size_t p = 0; p < t.nperiods; p++)
        CHECK(!t.series[1].burst[p]);
    /* emerging: "agent" (or a phrase with it) ranks first */
    CHECK(t.nrows >= 1);
    CHECK(t.nrows && strstr(t.rows[0].term, "agent") != NULL);
    app_trends_release(&t);
    const char *bad[] = {" "};
    o.terms = bad;
    o.nterms = 1;
    CHECK(app_trends_build(st, &o, &t, &e) == ACHIM_EINVAL);
    store_close(st);
}

TESTS(TEST(test_ingest_counts_in_same_transaction), TEST(test_momentum),
      TEST(test_series_and_emerging))
