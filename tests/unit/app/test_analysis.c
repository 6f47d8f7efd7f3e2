/* SPDX-License-Identifier: MIT */
/* test_analysis.c: the analysis steps the brief relies on, on a ":memory:"
 * store — entities and figures extracted at ingest (and counted for
 * `trends --entities`), syndicated copies collapsed into one story that
 * keeps every outlet but counts as one report, and story ids that persist
 * from one day's brief to the next. */
#include "../test.h"

#include <string.h>

#include "app/app.h"
#include "app_test.h"
#include "base/util.h"
#include "store/store_int.h"

#define DAY 20485 /* 2026-02-01 */

static const char gaz_text[] = "OpenAI\tlab\tOpen AI\t-\n"
                               "Cerebras\tcompany\tCerebras Systems\tCBRS\n"
                               "NVIDIA\tcompany\tNvidia\tNVDA\n";

static struct gazetteer *gaz(void)
{
    struct gazetteer *g = NULL;
    struct err e = ERR_INIT;
    CHECK_INT(gazetteer_parse(gaz_text, strlen(gaz_text), &g, &e), ACHIM_OK);
    return g;
}

struct item {
    const char *outlet, *guid, *link, *title, *summary;
    int64_t published;
};

static int64_t count(struct store *st, const char *sql)
{
    return store_query_int(st, sql, -1);
}

/* The documents counted for trends --entities under the folded name `key`
 * around DAY. */
static int64_t entity_df(struct store *st, const char *key)
{
    struct store_term_cell *c = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    CHECK_INT(store_term_cells(st, STORE_TERM_ENTITY, key, DAY - 2, DAY + 1, &c, &n, &e), ACHIM_OK);
    int64_t df = 0;
    for (size_t i = 0; i < n; i++)
        df += c[i].df;
    free(c);
    return df;
}

enum put_mode { PUT_NOW, PUT_BATCH_STATS, PUT_BATCH_FACTS };

/* Store each item under its outlet (one feed per item): counted and
 * extracted at once (app_feed_ingest), with the statistics batched (as
 * `achim fetch` does) or with the facts batched too (`achim ingest`). */
static void put_as(struct store *st, const struct gazetteer *g, const struct item *it, size_t n,
                   enum put_mode mode)
{
    struct err e = ERR_INIT;
    for (size_t i = 0; i < n; i++) {
        char url[128];
        snprintf(url, sizeof(url), "https://%s.example/feed", it[i].outlet);
        int64_t src = 0;
        CHECK_INT(store_source_ensure(st, url, it[i].outlet, NULL, 0, &src, &e), ACHIM_OK);
        struct feed_doc *doc = feed_doc_new();
        struct article *a = feed_doc_add_entry(doc);
        a->guid = strdup(it[i].guid);
        a->url = strdup(it[i].link);
        /* as the feed parser canonicalises: tracking parameters dropped */
        a->canonical_url = strndup(it[i].link, strcspn(it[i].link, "?"));
        a->title = strdup(it[i].title);
        a->summary = strdup(it[i].summary);
        a->published = it[i].published;
        if (mode == PUT_NOW)
            CHECK_INT(app_feed_ingest(st, g, src, 0, doc, 0, NULL, &e), ACHIM_OK);
        else
            CHECK_INT(
                app_feed_ingest_batched(st, g, src, 0, doc, 0, mode == PUT_BATCH_FACTS, NULL, &e),
                ACHIM_OK);
        feed_doc_free(doc);
    }
}

static void put(struct store *st, const struct gazetteer *g, const struct item *it, size_t n)
{
    put_as(st, g, it, n, PUT_NOW);
}

#define WIRE                                                                                       \
    "OpenAI has agreed to buy up to 750 MW of computing capacity from Cerebras Systems through "   \
    "2028 in a compute deal worth more than $10 billion, the companies said on Saturday."

static const struct item day1[] = {
    {"ledger", "l1", "https://ledger.example/a", "OpenAI signs Cerebras compute deal", WIRE,
     (int64_t)DAY * 86400 - 12 * 3600},
    /* the same wire text under another outlet's headline */
    {"signal", "s1", "https://signal.example/w", "Cerebras, OpenAI strike chip deal", WIRE,
     (int64_t)DAY * 86400 - 11 * 3600},
    /* an aggregator's link to the ledger's article, with tracking parameters */
    {"pulse", "p1", "https://ledger.example/a?utm_source=rss&utm_medium=feed",
     "Elsewhere: OpenAI and Cerebras",
     "Recommended reading on the OpenAI and Cerebras agreement for wafer-scale inference chips "
     "and GPU compute capacity.",
     (int64_t)DAY * 86400 - 10 * 3600},
};

static const struct item own_report = {
    "daily",
    "d1",
    "https://daily.example/c",
    "Cerebras lands OpenAI as anchor chip customer",
    "Cerebras Systems won a $10 billion agreement to supply OpenAI with 750 MW of inference "
    "compute on its wafer-scale chips, a rare challenge to NVIDIA GPU dominance in AI compute.",
    (int64_t)DAY * 86400 - 2 * 3600};

static void opts(struct app_brief_opts *o, int64_t day, const struct gazetteer *g)
{
    app_brief_opts_default(o);
    o->date = day * 86400;
    o->terms_path = "data/focus-terms.tsv";
    o->gazetteer = g;
    o->max_bullets = 50;
}

/* The bullet citing an article whose title contains t, or NULL. */
static const struct brief_bullet *find_bullet(const struct briefing *b, const char *t)
{
    for (int a = 0; a < BRIEF_NAREAS; a++)
        for (size_t i = 0; i < b->sections[a].nbullets; i++) {
            const struct brief_bullet *bl = &b->sections[a].bullets[i];
            for (size_t r = 0; r < bl->nrefs; r++)
                if (b->refs[bl->refs[r]].title && strstr(b->refs[bl->refs[r]].title, t))
                    return bl;
        }
    return NULL;
}

static void test_entities_and_figures_at_ingest(void)
{
    struct store *st = open_mem();
    struct gazetteer *g = gaz();
    struct err e = ERR_INIT;
    put(st, g, day1, 2);
    /* nothing left for a later pass: extracted in the ingest transaction */
    int64_t *ids = NULL;
    size_t n = 0;
    CHECK_INT(store_facts_pending(st, 0, &ids, &n, &e), ACHIM_OK);
    CHECK_INT(n, 0);
    free(ids);
    struct store_entity *ents = NULL;
    struct store_figure *figs = NULL;
    size_t ne = 0, nf = 0;
    CHECK_INT(store_facts_get(st, 1, &ents, &ne, &figs, &nf, &e), ACHIM_OK);
    CHECK_INT(ne, 2);
    bool money = false, power = false;
    for (size_t i = 0; i < nf; i++) {
        money |= strcmp(figs[i].kind, "money") == 0 && figs[i].value == 1e10;
        power |= strcmp(figs[i].kind, "power") == 0 && figs[i].value == 750;
    }
    CHECK(money);
    CHECK(power);
    store_facts_free(ents, ne, figs, nf);
    /* and counted for trends --entities, keyed by the folded canonical name */
    CHECK_INT(entity_df(st, "cerebras"), 2);
    struct store_term_cell *c = NULL;
    /* without a gazetteer no entity is counted (and nothing fails) */
    CHECK_INT(store_term_cells(st, STORE_TERM_ENTITY, "nvidia", DAY - 2, DAY + 1, &c, &n, &e),
              ACHIM_OK);
    CHECK_INT(n, 0);
    free(c);
    gazetteer_free(g);
    store_close(st);
}

/* A bulk ingest leaves its feeds' statistics and facts queued until a
 * batch fills (and a kill can leave them so): the readers drain them
 * first, the brief the facts and trends the statistics, entities
 * included. A batched ingest without batch_facts (fetch) still extracts
 * each feed's facts at once. */
static void test_batched_ingest_readers_drain(void)
{
    struct store *st = open_mem();
    struct gazetteer *g = gaz();
    struct err e = ERR_INIT;
    put_as(st, g, &own_report, 1, PUT_BATCH_STATS);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_todo"), 0);
    CHECK_INT(count(st, "SELECT count(*) FROM term_queue"), 1);
    put_as(st, g, day1, 3, PUT_BATCH_FACTS);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_todo"), 3);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_done"), 1);
    CHECK_INT(count(st, "SELECT count(*) FROM term_queue"), 4);
    CHECK_INT(store_termstats_pending(st), 4);

    struct app_brief_opts o;
    opts(&o, DAY, g);
    struct briefing b;
    briefing_init(&b);
    CHECK_INT(app_brief_build(st, &o, &b, &e), ACHIM_OK);
    briefing_release(&b);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_todo"), 0);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_done"), 4);
    CHECK_INT(count(st, "SELECT count(*) FROM article_entities WHERE entity = 'Cerebras'"), 4);

    const char *terms[] = {"Cerebras"};
    struct app_trends_opts to;
    app_trends_opts_default(&to);
    to.terms = terms;
    to.nterms = 1;
    to.entities = true;
    to.gazetteer = g;
    struct app_trends t;
    CHECK_INT(app_trends_build(st, &to, &t, &e), ACHIM_OK);
    app_trends_release(&t);
    CHECK_INT(count(st, "SELECT count(*) FROM term_queue"), 0);
    CHECK_INT(entity_df(st, "cerebras"), 4);
    gazetteer_free(g);
    store_close(st);
}

static void test_copies_are_one_report(void)
{
    struct store *st = open_mem();
    struct gazetteer *g = gaz();
    struct err e = ERR_INIT;
    put(st, g, day1, 3);
    struct app_brief_opts o;
    opts(&o, DAY, g);
    struct briefing b;
    briefing_init(&b);
    CHECK_INT(app_brief_build(st, &o, &b, &e), ACHIM_OK);
    CHECK_INT(b.nstories, 1);
    const struct brief_bullet *bl = find_bullet(&b, "Cerebras");
    CHECK(bl != NULL);
    if (bl) {
        CHECK_INT(bl->outlets, 3); /* every outlet is kept as a source */
        CHECK_INT(bl->nrefs, 3);
        CHECK(!bl->confirmed); /* but one wire text and a link to it are one report */
        CHECK(strstr(bl->why, "breadth: 1 independent outlet(s)") != NULL);
    }
    briefing_release(&b);
    /* an outlet's own reporting confirms it */
    put(st, g, &own_report, 1);
    briefing_init(&b);
    CHECK_INT(app_brief_build(st, &o, &b, &e), ACHIM_OK);
    bl = find_bullet(&b, "anchor chip customer");
    CHECK(bl != NULL);
    if (bl) {
        CHECK_INT(bl->outlets, 4);
        CHECK(bl->confirmed);
        CHECK(strstr(bl->why, "breadth: 2 independent outlet(s)") != NULL);
    }
    briefing_release(&b);
    gazetteer_free(g);
    store_close(st);
}

static void test_story_ids_persist(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    put(st, NULL, day1, 2);
    struct app_brief_opts o;
    opts(&o, DAY, NULL);
    struct briefing b;
    briefing_init(&b);
    CHECK_INT(app_brief_build(st, &o, &b, &e), ACHIM_OK);
    const struct brief_bullet *bl = find_bullet(&b, "Cerebras");
    int64_t id = bl ? bl->story_id : 0;
    CHECK(id > 0);
    CHECK_STR(bl ? bl->state : "", "new");
    briefing_release(&b);
    /* built again: the same id */
    briefing_init(&b);
    CHECK_INT(app_brief_build(st, &o, &b, &e), ACHIM_OK);
    bl = find_bullet(&b, "Cerebras");
    CHECK_INT(bl ? bl->story_id : 0, id);
    briefing_release(&b);
    /* the next day's follow-up continues it */
    struct item next = own_report;
    next.published = (int64_t)(DAY + 1) * 86400 - 5 * 3600;
    put(st, NULL, &next, 1);
    opts(&o, DAY + 1, NULL);
    briefing_init(&b);
    CHECK_INT(app_brief_build(st, &o, &b, &e), ACHIM_OK);
    bl = find_bullet(&b, "anchor chip customer");
    CHECK(bl != NULL);
    CHECK_INT(bl ? bl->story_id : 0, id);
    CHECK_STR(bl ? bl->state : "", "continued");
    briefing_release(&b);
    struct store_story s;
    CHECK_INT(store_story_get(st, id, &s, &e), ACHIM_OK);
    CHECK_INT(s.first_day, DAY);
    CHECK_INT(s.last_day, DAY + 1);
    CHECK_STR(s.state, "continued");
    store_story_release(&s);
    CHECK(store_story_get(st, id + 100, &s, &e) == ACHIM_ENOTFOUND);
    store_close(st);
}

TESTS(TEST(test_entities_and_figures_at_ingest), TEST(test_batched_ingest_readers_drain),
      TEST(test_copies_are_one_report), TEST(test_story_ids_persist))
