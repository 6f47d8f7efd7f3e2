/* SPDX-License-Identifier: MIT */
/* test_termstats.c: the per day x outlet x term statistics.
 *
 * The store is fed through its real write path (store_feed_ingest, which
 * fires the queueing triggers) with a tiny analyzer of our own: lower-case
 * ASCII words split on blanks, each word a term and each adjacent pair a
 * phrase. After every step the statistics must equal a naive recount of
 * the articles as they are now — inserts, in-place updates that move an
 * article to another day, deletes by cascade, rolled-back transactions and
 * the backfill of a database written before the statistics existed. */
#include "../test.h"

#include <ctype.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"
#include "store/store_int.h"

#define T0 1769904000 /* 2026-02-01T00:00:00Z */
#define DAYS(n) ((int64_t)(n)*86400)

static int words(void *ctx, const char *title, const char *body, void *emit_ctx,
                 store_term_emit_fn emit)
{
    (*(int *)ctx)++;
    const char *texts[2] = {title, body};
    for (int t = 0; t < 2; t++) {
        const char *s = texts[t], *prev = NULL;
        size_t prevlen = 0;
        while (s && *s) {
            while (*s == ' ')
                s++;
            const char *w = s;
            while (*s && *s != ' ')
                s++;
            if (s == w)
                break;
            emit(emit_ctx, STORE_TERM_WORD, w, (size_t)(s - w));
            if (prev) {
                char pair[128];
                int n =
                    snprintf(pair, sizeof(pair), "%.*s %.*s", (int)prevlen, prev, (int)(s - w), w);
                emit(emit_ctx, STORE_TERM_PHRASE, pair, (size_t)n);
            }
            prev = w;
            prevlen = (size_t)(s - w);
        }
    }
    return 0;
}

static int calls;
static const struct store_term_analyzer analyzer = {&calls, words};

static struct store *open_at(const char *path)
{
    struct err e = ERR_INIT;
    struct store *st = NULL;
    if (store_open(path, &st, &e) != ACHIM_OK) {
        fprintf(stderr, "  store_open: %s\n", e.msg);
        exit(1);
    }
    return st;
}

static int64_t source(struct store *st, const char *url)
{
    int64_t id = 0;
    struct err e = ERR_INIT;
    CHECK_INT(store_source_ensure(st, url, url, NULL, T0, &id, &e), ACHIM_OK);
    return id;
}

static void add(struct feed_doc *doc, const char *guid, const char *title, const char *summary,
                int64_t published)
{
    struct article *a = feed_doc_add_entry(doc);
    a->guid = strdup(guid);
    a->title = strdup(title);
    a->summary = summary ? strdup(summary) : NULL;
    a->published = published;
}

static void ingest(struct store *st, int64_t src, struct feed_doc *doc)
{
    struct err e = ERR_INIT;
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0, NULL, &e), ACHIM_OK);
    feed_doc_free(doc);
}

static void sync_all(struct store *st)
{
    struct err e = ERR_INIT;
    CHECK_INT(store_termstats_sync(st, &analyzer, NULL, &e), ACHIM_OK);
    CHECK_INT(store_termstats_pending(st), 0);
}

/* The statistics must equal a recount of the articles table by SQL over the
 * same split: build the expected rows with a recursive word splitter. */
static void check_recount(struct store *st, const char *what)
{
    /* documents per day x source */
    int64_t bad_docs = store_query_int(
        st,
        "WITH want AS (SELECT sort_date / 86400 AS day, source_id, count(*) AS docs "
        "FROM articles GROUP BY 1, 2) "
        "SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT day, source_id, docs FROM doc_day "
        "UNION ALL SELECT day, source_id, docs FROM doc_day EXCEPT SELECT * FROM want)",
        -1);
    if (bad_docs != 0)
        fprintf(stderr, "  %s: doc_day differs in %lld rows\n", what, (long long)bad_docs);
    CHECK_INT(bad_docs, 0);
    /* word df and tf per day x source (recursive split of title and body) */
    int64_t bad_words = store_query_int(
        st,
        "WITH RECURSIVE txt(id, day, src, part, rest) AS ("
        "  SELECT id, sort_date / 86400, source_id, 0, title || ' ' FROM articles "
        "  UNION ALL SELECT id, sort_date / 86400, source_id, 1, "
        "    coalesce(nullif(summary, ''), substr(content, 1, 4000)) || ' ' FROM articles "
        "    WHERE coalesce(nullif(summary, ''), content) IS NOT NULL), "
        "split(id, day, src, w, rest) AS ("
        "  SELECT id, day, src, NULL, rest FROM txt "
        "  UNION ALL SELECT id, day, src, substr(rest, 1, instr(rest, ' ') - 1), "
        "    substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''), "
        "occ AS (SELECT id, day, src, w FROM split WHERE w IS NOT NULL AND w <> ''), "
        "want AS (SELECT w, day, src, count(*) AS tf, count(DISTINCT id) AS df FROM occ "
        "  GROUP BY 1, 2, 3), "
        "have AS (SELECT d.term AS w, t.day, t.source_id AS src, t.tf, t.df FROM term_day t "
        "  JOIN term_dict d ON d.id = t.term_id WHERE d.kind = 1) "
        "SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM have "
        "UNION ALL SELECT * FROM have EXCEPT SELECT * FROM want)",
        -1);
    if (bad_words != 0)
        fprintf(stderr, "  %s: term_day (words) differs in %lld rows\n", what,
                (long long)bad_words);
    CHECK_INT(bad_words, 0);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_day WHERE df <= 0 OR tf < df", -1), 0);
}

static int64_t df_of(struct store *st, int kind, const char *term, int64_t day)
{
    struct store_term_cell *c = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    CHECK_INT(store_term_cells(st, kind, term, day, day + 1, &c, &n, &e), ACHIM_OK);
    int64_t df = 0;
    for (size_t i = 0; i < n; i++)
        df += c[i].df;
    free(c);
    return df;
}

static void test_schema(void)
{
    struct store *st = open_at(":memory:");
    CHECK_INT(store_schema_version(st), store_schema_latest());
    CHECK_INT(store_query_int(st,
                              "SELECT count(*) FROM sqlite_master WHERE name IN "
                              "('term_dict','term_day','doc_day','term_queue')",
                              -1),
              4);
    store_close(st);
}

static void test_insert_update_delete(void)
{
    struct store *st = open_at(":memory:");
    int64_t a = source(st, "https://a.example/feed"), b = source(st, "https://b.example/feed");
    struct feed_doc *doc = feed_doc_new();
    add(doc, "a1", "agents rise", "agents and more agents", T0);
    add(doc, "a2", "chips", "chips agents", T0 + 3600);
    add(doc, "a3", "old news", NULL, T0 - DAYS(40));
    ingest(st, a, doc);
    doc = feed_doc_new();
    add(doc, "b1", "agents", "physical ai", T0 + 7200);
    ingest(st, b, doc);
    CHECK_INT(store_termstats_pending(st), 4);
    calls = 0;
    sync_all(st);
    CHECK_INT(calls, 4);
    check_recount(st, "after insert");
    CHECK_INT(df_of(st, STORE_TERM_WORD, "agents", T0 / 86400), 3);
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "physical ai", T0 / 86400), 1);
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "agents rise", T0 / 86400), 1);

    /* the same document again: unchanged, nothing queued */
    doc = feed_doc_new();
    add(doc, "a1", "agents rise", "agents and more agents", T0);
    ingest(st, a, doc);
    CHECK_INT(store_termstats_pending(st), 0);

    /* an update moving a1 to another day with other words */
    doc = feed_doc_new();
    add(doc, "a1", "robots rise", "robots", T0 + DAYS(2));
    ingest(st, a, doc);
    CHECK_INT(store_termstats_pending(st), 2);
    sync_all(st);
    check_recount(st, "after update");
    CHECK_INT(df_of(st, STORE_TERM_WORD, "agents", T0 / 86400), 2);
    CHECK_INT(df_of(st, STORE_TERM_WORD, "robots", T0 / 86400 + 2), 1);
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "agents rise", T0 / 86400), 0);

    /* deleting a source cascades to its articles and their counts */
    struct err e = ERR_INIT;
    CHECK_INT(store_exec(st, "DELETE FROM sources WHERE feed_url = 'https://b.example/feed'", &e),
              ACHIM_OK);
    sync_all(st);
    check_recount(st, "after delete");
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "physical ai", T0 / 86400), 0);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM doc_day WHERE source_id = 2", -1), 0);
    (void)b;
    store_close(st);
}

/* Random inserts, edits and re-dates in many small feeds, synced in
 * between at random: the counts always equal the recount. */
static void test_random_against_recount(void)
{
    static const char *const vocab[] = {"agents", "ai",       "chips",  "robots", "model",
                                        "small",  "language", "policy", "cloud",  "edge"};
    struct store *st = open_at(":memory:");
    int64_t src[3] = {source(st, "https://x.example/1"), source(st, "https://x.example/2"),
                      source(st, "https://x.example/3")};
    unsigned seed = 7;
    for (int round = 0; round < 40; round++) {
        struct feed_doc *doc = feed_doc_new();
        int s = (int)(rand_r(&seed) % 3);
        for (int i = 0; i < 6; i++) {
            char guid[32], title[128] = "", body[256] = "";
            snprintf(guid, sizeof(guid), "g%d", (int)(rand_r(&seed) % 25));
            for (int w = 0; w < 3; w++)
                snprintf(title + strlen(title), sizeof(title) - strlen(title), "%s%s", w ? " " : "",
                         vocab[rand_r(&seed) % 10]);
            for (int w = 0; w < 6; w++)
                snprintf(body + strlen(body), sizeof(body) - strlen(body), "%s%s", w ? " " : "",
                         vocab[rand_r(&seed) % 10]);
            add(doc, guid, title, body, T0 + DAYS(rand_r(&seed) % 5));
        }
        ingest(st, src[s], doc);
        if (rand_r(&seed) % 3 == 0)
            sync_all(st);
    }
    sync_all(st);
    check_recount(st, "random");
    store_close(st);
}

static void test_rollback_keeps_queue(void)
{
    struct store *st = open_at(":memory:");
    int64_t a = source(st, "https://a.example/feed");
    struct feed_doc *doc = feed_doc_new();
    add(doc, "a1", "agents", NULL, T0);
    ingest(st, a, doc);
    struct err e = ERR_INIT;
    CHECK_INT(store_begin(st, &e), ACHIM_OK);
    CHECK(store_in_transaction(st));
    CHECK_INT(store_termstats_sync(st, &analyzer, NULL, &e), ACHIM_OK);
    store_rollback(st);
    CHECK_INT(store_termstats_pending(st), 1);
    CHECK_INT(df_of(st, STORE_TERM_WORD, "agents", T0 / 86400), 0);
    sync_all(st);
    CHECK_INT(df_of(st, STORE_TERM_WORD, "agents", T0 / 86400), 1);
    store_close(st);
}

static int failing(void *ctx, const char *title, const char *body, void *emit_ctx,
                   store_term_emit_fn emit)
{
    return 1;
}

static void test_analyzer_failure_writes_nothing(void)
{
    struct store *st = open_at(":memory:");
    int64_t a = source(st, "https://a.example/feed");
    struct feed_doc *doc = feed_doc_new();
    add(doc, "a1", "agents", NULL, T0);
    ingest(st, a, doc);
    struct err e = ERR_INIT;
    struct store_term_analyzer bad = {NULL, failing};
    CHECK(store_termstats_sync(st, &bad, NULL, &e) != ACHIM_OK);
    CHECK_INT(store_termstats_pending(st), 1);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM doc_day", -1), 0);
    CHECK(!store_in_transaction(st));
    store_close(st);
}

static void test_totals_and_first_seen(void)
{
    struct store *st = open_at(":memory:");
    int64_t a = source(st, "https://a.example/feed"), b = source(st, "https://b.example/feed");
    struct feed_doc *doc = feed_doc_new();
    add(doc, "a1", "agents", NULL, T0 - DAYS(10));
    add(doc, "a2", "agents swarm", NULL, T0 + 100);
    add(doc, "a3", "swarm", NULL, T0 + 200);
    ingest(st, a, doc);
    doc = feed_doc_new();
    add(doc, "b1", "swarm", NULL, T0 + 50);
    ingest(st, b, doc);
    sync_all(st);
    struct store_term_total *t = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    int64_t d0 = T0 / 86400;
    CHECK_INT(store_term_totals(st, 1u << STORE_TERM_WORD, d0, d0 + 1, d0 - 20, d0, 1, NULL, 0, &t,
                                &n, &e),
              ACHIM_OK);
    CHECK_INT(n, 2);
    CHECK_STR(t[0].term, "agents");
    CHECK_INT(t[0].df_a, 1);
    CHECK_INT(t[0].df_b, 1);
    CHECK_INT(t[0].first_seen, T0 - DAYS(10));
    CHECK_STR(t[1].term, "swarm");
    CHECK_INT(t[1].df_a, 3);
    CHECK_INT(t[1].first_seen, T0 + 50);
    CHECK_INT(t[1].first_source, b);
    store_term_totals_free(t, n);
    /* one outlet only */
    CHECK_INT(
        store_term_totals(st, 1u << STORE_TERM_WORD, d0, d0 + 1, d0 - 20, d0, 1, &b, 1, &t, &n, &e),
        ACHIM_OK);
    CHECK_INT(n, 1);
    CHECK_STR(n ? t[0].term : NULL, "swarm");
    CHECK_INT(n ? t[0].df_a : 0, 1);
    store_term_totals_free(t, n);
    /* the cell's first is the earliest article of the cell */
    struct store_term_cell *c = NULL;
    CHECK_INT(store_term_cells(st, STORE_TERM_WORD, "swarm", d0, d0 + 1, &c, &n, &e), ACHIM_OK);
    CHECK_INT(n, 2);
    CHECK_INT(c[0].source_id, a);
    CHECK_INT(c[0].first, T0 + 100);
    CHECK_INT(c[0].df, 2);
    free(c);
    CHECK(store_termstats_bytes(st) != 0);
    store_close(st);
}

/* A version-1 database with articles: the migration queues them all. */
static void test_backfill(void)
{
    char path[] = "/tmp/achim-termstats-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct err e = ERR_INIT;
    struct buf sql = BUF_INIT;
    CHECK_INT(file_read_all(FIXTURE("db/schema-v1.sql"), &sql, &e), ACHIM_OK);
    struct store *st = NULL;
    CHECK_INT(store_open_raw(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_exec(st, sql.ptr, &e), ACHIM_OK);
    int64_t have = store_query_int(st, "SELECT count(*) FROM articles", -1);
    store_close(st);
    buf_release(&sql);
    CHECK(have > 0);
    st = open_at(path);
    CHECK_INT(store_termstats_pending(st), have);
    sync_all(st);
    check_recount(st, "backfill");
    CHECK_INT(store_query_int(st, "SELECT sum(docs) FROM doc_day", -1), have);
    store_close(st);
    unlink(path);
    struct buf side = BUF_INIT;
    buf_addf(&side, "%s-wal", path);
    unlink(side.ptr);
    buf_reset(&side);
    buf_addf(&side, "%s-shm", path);
    unlink(side.ptr);
    buf_release(&side);
}

TESTS(TEST(test_schema), TEST(test_insert_update_delete), TEST(test_random_against_recount),
      TEST(test_rollback_keeps_queue), TEST(test_analyzer_failure_writes_nothing),
      TEST(test_totals_and_first_seen), TEST(test_backfill))
