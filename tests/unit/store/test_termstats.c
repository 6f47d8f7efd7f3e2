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
#include <sqlite3.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"
#include "store/store_int.h"
#include "tmp_db.h"
#include "unicode61.h"

#define T0 1769904000 /* 2026-02-01T00:00:00Z */
#define DAYS(n) ((int64_t)(n)*86400)
#define STR_(x) #x
#define STR(x) STR_(x)

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
    if (store_open_u61(path, &st, &e) != ACHIM_OK) {
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

/* ---- phrase recount, in C ---- */

struct pcell {
    char pair[128];
    int64_t day, src, tf, df, last_id;
};

static struct pcell *pcells;
static size_t npcells, pcap;

static struct pcell *pcell_at(const char *pair, int64_t day, int64_t src)
{
    for (size_t i = 0; i < npcells; i++)
        if (pcells[i].day == day && pcells[i].src == src && strcmp(pcells[i].pair, pair) == 0)
            return &pcells[i];
    if (npcells == pcap) {
        pcap = pcap ? pcap * 2 : 64;
        pcells = realloc(pcells, pcap * sizeof(*pcells));
    }
    struct pcell *c = &pcells[npcells++];
    memset(c, 0, sizeof(*c));
    snprintf(c->pair, sizeof(c->pair), "%s", pair);
    c->day = day;
    c->src = src;
    c->last_id = -1;
    return c;
}

static void pairs_of(const char *s, int64_t id, int64_t day, int64_t src)
{
    const char *prev = NULL;
    size_t prevlen = 0;
    while (s && *s) {
        while (*s == ' ')
            s++;
        const char *w = s;
        while (*s && *s != ' ')
            s++;
        if (s == w)
            break;
        if (prev) {
            char pair[128];
            snprintf(pair, sizeof(pair), "%.*s %.*s", (int)prevlen, prev, (int)(s - w), w);
            struct pcell *c = pcell_at(pair, day, src);
            c->tf++;
            if (c->last_id != id) {
                c->df++;
                c->last_id = id;
            }
        }
        prev = w;
        prevlen = (size_t)(s - w);
    }
}

/* Every phrase the articles use now has exactly its recounted cells
 * (through term_dict when promoted, phrase_pending when used once), except
 * a phrase used once on a day before the last prune's cutoff, which has
 * none; and nothing else is stored. */
static void check_phrases(struct store *st, const char *what)
{
    npcells = 0;
    sqlite3_stmt *q;
    CHECK_INT(sqlite3_prepare_v2(st->db,
                                 "SELECT id, sort_date / 86400, source_id, title, "
                                 "coalesce(nullif(summary, ''), substr(content, 1, 4000)) "
                                 "FROM articles ORDER BY id",
                                 -1, &q, NULL),
              SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW)
        for (int col = 3; col <= 4; col++)
            pairs_of((const char *)sqlite3_column_text(q, col), sqlite3_column_int64(q, 0),
                     sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2));
    sqlite3_finalize(q);
    int64_t pruned =
        store_query_int(st, "SELECT value FROM term_meta WHERE name = 'pending_pruned_day'", 0);
    int64_t cutoff = pruned ? pruned - 31 : INT64_MIN;
    int64_t want_rows = 0, bad = 0;
    for (size_t i = 0; i < npcells; i++) {
        const struct pcell *c = &pcells[i];
        int64_t total = 0;
        for (size_t j = 0; j < npcells; j++)
            if (strcmp(pcells[j].pair, c->pair) == 0)
                total += pcells[j].df;
        bool forgotten = total == 1 && c->day < cutoff;
        struct store_term_cell *have = NULL;
        size_t n = 0;
        struct err e = ERR_INIT;
        CHECK_INT(
            store_term_cells(st, STORE_TERM_PHRASE, c->pair, c->day, c->day + 1, &have, &n, &e),
            ACHIM_OK);
        size_t k = 0;
        while (k < n && have[k].source_id != c->src)
            k++;
        if (forgotten && k == n) {
            free(have);
            continue;
        }
        want_rows++;
        if (k == n || have[k].df != c->df || have[k].tf != c->tf) {
            fprintf(stderr,
                    "  %s: phrase '%s' day %lld source %lld: want df %lld tf %lld, have %s\n", what,
                    c->pair, (long long)c->day, (long long)c->src, (long long)c->df,
                    (long long)c->tf, k == n ? "none" : "other counts");
            bad++;
        }
        free(have);
    }
    CHECK_INT(bad, 0);
    int64_t stored = store_query_int(st,
                                     "SELECT (SELECT count(*) FROM term_day t JOIN term_dict d "
                                     "ON d.id = t.term_id WHERE d.kind = 2) + "
                                     "(SELECT count(*) FROM phrase_pending)",
                                     -1);
    if (stored != want_rows)
        fprintf(stderr, "  %s: %lld phrase cells stored, %lld expected\n", what, (long long)stored,
                (long long)want_rows);
    CHECK_INT(stored, want_rows);
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
    check_phrases(st, what);
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

/* Days with many terms, new and already counted, synced at random: a
 * batch's new rows of a day are inserted many at a time (ROW_PUT_MANY,
 * termstats.c) between updates of rows already there, in key order; the
 * counts still equal the recount. */
static void test_many_rows_against_recount(void)
{
    struct store *st = open_at(":memory:");
    int64_t src[2] = {source(st, "https://y.example/1"), source(st, "https://y.example/2")};
    unsigned seed = 11;
    for (int round = 0; round < 30; round++) {
        struct feed_doc *doc = feed_doc_new();
        for (int i = 0; i < 5; i++) {
            char guid[32], title[256] = "", body[1024] = "";
            snprintf(guid, sizeof(guid), "m%d", (int)(rand_r(&seed) % 60));
            for (int w = 0; w < 4; w++)
                snprintf(title + strlen(title), sizeof(title) - strlen(title), "%sw%u",
                         w ? " " : "", rand_r(&seed) % 300);
            for (int w = 0; w < 40; w++)
                snprintf(body + strlen(body), sizeof(body) - strlen(body), "%sw%u", w ? " " : "",
                         rand_r(&seed) % 300);
            add(doc, guid, title, body, T0 + DAYS(rand_r(&seed) % 3));
        }
        ingest(st, src[round % 2], doc);
        if (rand_r(&seed) % 4 == 0)
            sync_all(st);
    }
    sync_all(st);
    check_recount(st, "many rows");
    CHECK(store_query_int(st,
                          "SELECT max(n) FROM (SELECT count(*) AS n FROM term_cells GROUP BY "
                          "day)",
                          0) > 100);
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

/* A phrase enters the dictionary with its second article, keeps the first
 * article's date as its first appearance, and one that never recurs is
 * forgotten a month after the newest day counted. Words never wait. */
static void test_phrase_promotion_and_prune(void)
{
    struct store *st = open_at(":memory:");
    int64_t a = source(st, "https://a.example/feed"), b = source(st, "https://b.example/feed");
    int64_t d0 = T0 / 86400;
    struct feed_doc *doc = feed_doc_new();
    add(doc, "a1", "physical ai", "lonely pair", T0 + 60);
    ingest(st, a, doc);
    sync_all(st);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_dict WHERE kind = 2", -1), 0);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM phrase_pending", -1), 2);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_dict WHERE kind = 1", -1), 4);
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "physical ai", d0), 1);

    doc = feed_doc_new();
    add(doc, "b1", "more physical ai", NULL, T0 + DAYS(3));
    ingest(st, b, doc);
    sync_all(st);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM phrase_pending", -1),
              2); /* +more physical */
    CHECK_INT(store_query_int(st,
                              "SELECT first_seen = " STR(
                                  T0) " + 60 AND first_source = 1 "
                                      "FROM term_dict WHERE kind = 2 AND term = 'physical ai'",
                              -1),
              1);
    struct store_term_cell *c = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    CHECK_INT(store_term_cells(st, STORE_TERM_PHRASE, "physical ai", d0 - 1, d0 + 10, &c, &n, &e),
              ACHIM_OK);
    CHECK_INT(n, 2);
    CHECK_INT(n ? c[0].first : 0, T0 + 60);
    CHECK_INT(n ? c[0].source_id : 0, a);
    CHECK_INT(n > 1 ? c[1].first : 0, T0 + DAYS(3));
    free(c);
    check_recount(st, "promoted");

    /* two months later: the pending phrases of day d0 and d0 + 3 go */
    doc = feed_doc_new();
    add(doc, "a2", "later news", NULL, T0 + DAYS(60));
    ingest(st, a, doc);
    sync_all(st);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM phrase_pending", -1), 1);
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "lonely pair", d0), 0);
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "later news", d0 + 60), 1);
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "physical ai", d0), 1);
    CHECK_INT(df_of(st, STORE_TERM_WORD, "lonely", d0), 1);
    check_recount(st, "after prune");
    (void)b;
    store_close(st);
}

/* A store of schema 5 (phrases of one article kept, `first` as a date, no
 * facts queue) is converted: old one-off phrases dropped, recent ones and
 * everything else kept with the same counts, and ingest still counts. */
static void test_migrate_from_v5(void)
{
    char path[] = "/tmp/achim-termstats-v5-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct err e = ERR_INIT;
    struct store *st = open_at(path);
    int64_t a = source(st, "https://a.example/feed");
    struct feed_doc *doc = feed_doc_new();
    add(doc, "a1", "agents", NULL, T0 - DAYS(100));
    add(doc, "a2", "agents", NULL, T0);
    ingest(st, a, doc);
    int64_t d0 = T0 / 86400;
    /* the schema-5 layout, rows as the old code wrote them */
    struct buf sql = BUF_INIT;
    buf_addf(
        &sql,
        "DELETE FROM term_queue; DROP VIEW term_day; DROP TABLE term_cells; "
        "DROP TABLE phrase_pending; "
        "DROP TABLE term_meta; DROP TRIGGER facts_todo_insert; DROP TRIGGER facts_todo_update; "
        "DROP TABLE facts_todo; DROP INDEX term_queue_article; "
        "CREATE TABLE term_day (term_id INTEGER NOT NULL, day INTEGER NOT NULL, "
        "source_id INTEGER NOT NULL, tf INTEGER NOT NULL, df INTEGER NOT NULL, "
        "first INTEGER NOT NULL, PRIMARY KEY (term_id, day, source_id)) WITHOUT ROWID;"
        "INSERT INTO term_dict (id, kind, term, first_seen, first_source) VALUES "
        "(1, 1, 'agents', %lld, 1), (2, 2, 'old pair', %lld, 1), (3, 2, 'new pair', %lld, 1),"
        "(4, 2, 'twice pair', %lld, 1);"
        "INSERT INTO term_day VALUES (1, %lld, 1, 1, 1, %lld), (1, %lld, 1, 2, 1, %lld),"
        "(2, %lld, 1, 1, 1, %lld), (3, %lld, 1, 1, 1, %lld), (4, %lld, 1, 2, 2, %lld);"
        "INSERT INTO doc_day VALUES (%lld, 1, 1), (%lld, 1, 1);"
        "PRAGMA user_version = 5;",
        (long long)(T0 - DAYS(100)), (long long)(T0 - DAYS(100)), (long long)T0,
        (long long)(T0 - DAYS(100)), (long long)(d0 - 100), (long long)(T0 - DAYS(100)),
        (long long)d0, (long long)(T0 + 7), (long long)(d0 - 100), (long long)(T0 - DAYS(100)),
        (long long)d0, (long long)T0, (long long)(d0 - 100), (long long)(T0 - DAYS(100) + 5),
        (long long)(d0 - 100), (long long)d0);
    CHECK_INT(store_exec(st, sql.ptr, &e), ACHIM_OK);
    buf_release(&sql);
    store_close(st);

    st = open_at(path);
    CHECK_INT(store_schema_version(st), store_schema_latest());
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_dict WHERE term = 'old pair'", -1), 0);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_day WHERE term_id = 2", -1), 0);
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "new pair", d0), 1);
    CHECK_INT(df_of(st, STORE_TERM_PHRASE, "twice pair", d0 - 100), 2);
    struct store_term_cell *c = NULL;
    size_t n = 0;
    CHECK_INT(store_term_cells(st, STORE_TERM_WORD, "agents", d0, d0 + 1, &c, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    CHECK_INT(n ? c[0].first : 0, T0 + 7);
    CHECK_INT(n ? c[0].tf : 0, 2);
    free(c);
    /* both articles wait for their entities and figures */
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM facts_todo", -1), 2);
    int64_t *ids = NULL;
    CHECK_INT(store_facts_pending(st, 0, &ids, &n, &e), ACHIM_OK);
    CHECK_INT(n, 2);
    if (n)
        CHECK_INT(store_facts_put(st, ids[0], NULL, 0, NULL, 0, &e), ACHIM_OK);
    free(ids);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM facts_todo", -1), 1);
    /* the new triggers queue an insert by id only */
    doc = feed_doc_new();
    add(doc, "a3", "agents again", NULL, T0 + 100);
    ingest(st, a, doc);
    CHECK_INT(store_query_int(st,
                              "SELECT count(*) FROM term_queue WHERE sign = 2 AND "
                              "title IS NULL AND body IS NULL",
                              -1),
              1);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM facts_todo", -1), 2);
    sync_all(st);
    CHECK_INT(df_of(st, STORE_TERM_WORD, "agents", d0), 2);
    store_close(st);
    tmp_remove(path);
}

/* An article changed or deleted while its insert still waits to be counted
 * (text read lazily): the counts follow the article as it is now. */
static void test_lazy_queue_then_change(void)
{
    struct store *st = open_at(":memory:");
    int64_t a = source(st, "https://a.example/feed");
    struct feed_doc *doc = feed_doc_new();
    add(doc, "a1", "agents rise", NULL, T0);
    add(doc, "a2", "chips fall", NULL, T0);
    ingest(st, a, doc);
    doc = feed_doc_new();
    add(doc, "a1", "robots rise", NULL, T0 + DAYS(1));
    ingest(st, a, doc);
    struct err e = ERR_INIT;
    CHECK_INT(store_exec(st, "DELETE FROM articles WHERE key = 'a2'", &e), ACHIM_OK);
    sync_all(st);
    check_recount(st, "lazy then change");
    CHECK_INT(df_of(st, STORE_TERM_WORD, "agents", T0 / 86400), 0);
    CHECK_INT(df_of(st, STORE_TERM_WORD, "chips", T0 / 86400), 0);
    CHECK_INT(df_of(st, STORE_TERM_WORD, "robots", T0 / 86400 + 1), 1);
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
    tmp_remove(path);
}

/* The first source of a term or phrase whose first uses share one date is
 * the outlet of the article counted first, whether the two are counted in
 * one batch or in two (the second use of a phrase then meets the first one
 * pending). Many terms at once also run the sorted write passes over terms
 * known and new. */
static int64_t first_source_of(struct store *st, int kind, const char *term)
{
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT first_source FROM term_dict WHERE kind = %d AND term = '%s'",
             kind, term);
    return store_query_int(st, sql, -1);
}

static void test_first_source_on_a_tie(void)
{
    for (int batches = 1; batches <= 2; batches++) {
        struct store *st = open_at(":memory:");
        int64_t a = source(st, "https://a.example/feed"), b = source(st, "https://b.example/feed");
        struct feed_doc *doc = feed_doc_new();
        add(doc, "a1", "wire story breaks", "same words everywhere", T0 + 60);
        ingest(st, a, doc);
        if (batches == 2)
            sync_all(st);
        doc = feed_doc_new();
        add(doc, "b1", "wire story breaks", "same words everywhere", T0 + 60);
        ingest(st, b, doc);
        sync_all(st);
        CHECK_INT(first_source_of(st, STORE_TERM_PHRASE, "wire story"), a);
        CHECK_INT(first_source_of(st, STORE_TERM_PHRASE, "same words"), a);
        CHECK_INT(first_source_of(st, STORE_TERM_WORD, "breaks"), a);
        CHECK_INT(df_of(st, STORE_TERM_PHRASE, "story breaks", T0 / 86400), 2);

        /* an earlier article arriving later moves the first source */
        doc = feed_doc_new();
        char guid[16], title[64];
        for (int i = 0; i < 40; i++) {
            snprintf(guid, sizeof(guid), "b%d", i + 2);
            snprintf(title, sizeof(title), "topic%d wire story%d", i % 7, i);
            add(doc, guid, title, NULL, T0 + 30);
        }
        ingest(st, b, doc);
        sync_all(st);
        CHECK_INT(first_source_of(st, STORE_TERM_WORD, "wire"), b);
        CHECK_INT(first_source_of(st, STORE_TERM_WORD, "same"), a);
        CHECK_INT(first_source_of(st, STORE_TERM_PHRASE, "wire story"), a);
        check_recount(st, batches == 1 ? "one batch" : "two batches");
        store_close(st);
    }
}

/* Every cell as the view term_day shows it, with its term, in one string. */
static char *cells_text(struct store *st)
{
    return store_query_text(st, "SELECT group_concat(x, char(10)) FROM (SELECT d.kind || ' ' || "
                                "d.term || ' ' || t.day || ' ' || t.source_id || ' ' || t.df || "
                                "' ' || t.tf || ' ' || t.first_s AS x FROM term_day t JOIN "
                                "term_dict d ON d.id = t.term_id ORDER BY d.kind, d.term, t.day, "
                                "t.source_id)");
}

/* Articles over days and outlets with shared words, so phrases get promoted
 * and some stay pending; step picks other titles for a later round. */
static void fill_days(struct store *st, const int64_t *src, int nsrc, int step)
{
    static const char *const vocab[] = {"agents", "ai",     "chips", "robots", "model",
                                        "small",  "policy", "cloud", "edge",   "wire"};
    unsigned seed = 11 + (unsigned)step;
    for (int s = 0; s < nsrc; s++)
        for (int day = 0; day < 4; day++) {
            struct feed_doc *doc = feed_doc_new();
            for (int i = 0; i < 5; i++) {
                char guid[32], title[96] = "", body[160] = "";
                snprintf(guid, sizeof(guid), "s%d-d%d-%d", s, day, (i + step) % 7);
                for (int w = 0; w < 3; w++)
                    snprintf(title + strlen(title), sizeof(title) - strlen(title), "%s%s",
                             w ? " " : "", vocab[rand_r(&seed) % 10]);
                for (int w = 0; w < 5; w++)
                    snprintf(body + strlen(body), sizeof(body) - strlen(body), "%s%s%d",
                             w ? " " : "", vocab[rand_r(&seed) % 10], (int)(rand_r(&seed) % 3));
                add(doc, guid, title, body, T0 + DAYS(day + step) + 600 * i + 37 * s);
            }
            ingest(st, src[s], doc);
        }
}

/* A version-9 store (cells as rows of table term_day) with data: migration
 * 10 packs them without losing or changing a cell, and counting goes on
 * from them (updates that move articles, deletes) exactly. */
static void test_migrate_from_v9(void)
{
    char path[] = "/tmp/achim-termstats-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct err e = ERR_INIT;
    struct store *st = open_at(path);
    int64_t src[3] = {source(st, "https://a.example/feed"), source(st, "https://b.example/feed"),
                      source(st, "https://c.example/feed")};
    fill_days(st, src, 3, 0);
    sync_all(st);
    check_recount(st, "before v9");
    char *before = cells_text(st);
    int64_t cells = store_query_int(st, "SELECT count(*) FROM term_day", -1);
    int64_t pending = store_query_int(st, "SELECT count(*) FROM phrase_pending", -1);
    CHECK(cells > 100);
    CHECK(pending > 0);
    CHECK(store_query_int(st, "SELECT count(*) FROM term_dict WHERE kind = 2", -1) > 0);
    /* the layout of migration 6 (what versions 6 to 9 have), rows as the
     * former code wrote them */
    CHECK_INT(store_exec(st,
                         "CREATE TABLE term_day_v9 (\n"
                         "  term_id   INTEGER NOT NULL,\n"
                         "  day       INTEGER NOT NULL,\n"
                         "  source_id INTEGER NOT NULL,\n"
                         "  df        INTEGER NOT NULL,\n"
                         "  tf        INTEGER NOT NULL,\n"
                         "  first_s   INTEGER NOT NULL,\n"
                         "  PRIMARY KEY (term_id, day, source_id)\n"
                         ") WITHOUT ROWID;\n"
                         "INSERT INTO term_day_v9 SELECT term_id, day, source_id, df, tf, first_s "
                         "FROM term_day ORDER BY 1, 2, 3;"
                         "DROP VIEW term_day; DROP TABLE term_cells;"
                         "DROP TRIGGER facts_todo_update; DROP INDEX term_queue_article;"
                         "ALTER TABLE term_day_v9 RENAME TO term_day;"
                         "PRAGMA user_version = 9;",
                         &e),
              ACHIM_OK);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_day", -1), cells);
    store_close(st);

    st = open_at(path);
    CHECK_INT(store_schema_version(st), store_schema_latest());
    char *type = store_query_text(st, "SELECT type FROM sqlite_master WHERE name = 'term_day'");
    CHECK_STR(type, "view");
    free(type);
    char *after = cells_text(st);
    CHECK_STR(after, before);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM phrase_pending", -1), pending);
    /* packed: fewer rows than cells, every cell in one */
    int64_t rows = store_query_int(st, "SELECT count(*) FROM term_cells", -1);
    CHECK(rows > 0 && rows < cells);
    CHECK_INT(store_query_int(st, "SELECT sum(achim_cells_count(cells)) FROM term_cells", -1),
              cells);
    check_recount(st, "migrated");
    CHECK_INT(store_check(st, &e), ACHIM_OK);

    /* counting continues on the packed rows: new days, articles that move
     * (other text, other day) and a deleted outlet */
    fill_days(st, src, 3, 2);
    sync_all(st);
    check_recount(st, "migrated, then more");
    CHECK_INT(store_exec(st, "DELETE FROM sources WHERE feed_url = 'https://b.example/feed'", &e),
              ACHIM_OK);
    sync_all(st);
    check_recount(st, "migrated, then a deleted outlet");
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_day WHERE source_id = 2", -1), 0);
    free(before);
    free(after);
    store_close(st);
    tmp_remove(path);
}

/* The packed cells through the view: extreme values round-trip, an insert
 * into the view adds to a cell as the former upsert did, a query reads
 * them by day and source, and a damaged blob is an error, not a guess. */
static void test_packed_cells(void)
{
    struct store *st = open_at(":memory:");
    struct err e = ERR_INIT;
    int64_t d0 = T0 / 86400;
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO term_dict (id, kind, term, first_seen, first_source) VALUES "
             "(7, 1, 'agents', %lld, 1);"
             "INSERT INTO term_day (term_id, day, source_id, df, tf, first_s) VALUES "
             "(7, %lld, 1000000, 3, 5, 86399), (7, %lld, 1, 1, 1, 0), (7, %lld, 300, 2, -4, 7),"
             "(7, %lld, 300, 1, 1, 3), (7, %lld, 2, 123456789, 987654321, 60);",
             (long long)((d0 - 400) * 86400 + 60), (long long)d0, (long long)d0, (long long)d0,
             (long long)d0, (long long)(d0 - 400));
    CHECK_INT(store_exec(st, sql, &e), ACHIM_OK);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_cells", -1), 2);
    char *text = store_query_text(st, "SELECT group_concat(source_id || ':' || df || ':' || tf || "
                                      "':' || first_s, ' ') FROM term_day WHERE term_id = 7");
    CHECK_STR(text, "2:123456789:987654321:60 1:1:1:0 300:3:-3:3 1000000:3:5:86399");
    free(text);
    struct store_term_cell *c = NULL;
    size_t n = 0;
    CHECK_INT(store_term_cells(st, STORE_TERM_WORD, "agents", d0 - 1000, d0 + 1, &c, &n, &e),
              ACHIM_OK);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_INT(c[0].day, d0 - 400);
        CHECK_INT(c[0].first, (d0 - 400) * 86400 + 60);
        CHECK_INT(c[1].source_id, 1);
        CHECK_INT(c[2].source_id, 300);
        CHECK_INT(c[2].tf, -3);
        CHECK_INT(c[3].source_id, 1000000);
        CHECK_INT(c[3].first, d0 * 86400 + 86399);
    }
    free(c);
    /* a range holding only the later day */
    CHECK_INT(store_term_cells(st, STORE_TERM_WORD, "agents", d0, d0 + 1, &c, &n, &e), ACHIM_OK);
    CHECK_INT(n, 3);
    free(c);
    CHECK_INT(store_exec(st, "UPDATE term_cells SET cells = x'0280' WHERE term_id = 7", &e),
              ACHIM_OK);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_day", -1), -1);
    CHECK_INT(store_term_cells(st, STORE_TERM_WORD, "agents", d0, d0 + 1, &c, &n, &e), ACHIM_EDB);
    CHECK_INT(n, 0);
    store_close(st);
}

/* Both read plans of store_terms_cells (a seek per term and day, one scan
 * of the range) give the very cells store_term_cells gives, term by term,
 * on the same store: sparse and dense words, a promoted phrase, a phrase
 * still pending, an unknown term and a term asked twice, over ranges that
 * cut the stored days anywhere. A damaged row fails both plans alike. */
static void test_read_plans_agree(void)
{
    static const char *const vocab[] = {"agents", "ai",    "chips", "robots", "model",
                                        "small",  "cloud", "edge",  "rare",   "policy"};
    struct store *st = open_at(":memory:");
    int64_t src[3] = {source(st, "https://p.example/1"), source(st, "https://p.example/2"),
                      source(st, "https://p.example/3")};
    unsigned seed = 11;
    int serial = 0;
    for (int day = 0; day < 40; day++) {
        struct feed_doc *doc = feed_doc_new();
        int s = (int)(rand_r(&seed) % 3);
        for (int i = 0; i < 3; i++) {
            char guid[32], title[128] = "";
            snprintf(guid, sizeof(guid), "p%d", serial++);
            /* "rare" only every ninth day; the rest at random */
            for (int w = 0; w < 4; w++)
                snprintf(title + strlen(title), sizeof(title) - strlen(title), "%s%s", w ? " " : "",
                         vocab[rand_r(&seed) % 8]);
            if (day % 9 == 0 && i == 0)
                strcat(title, " rare");
            add(doc, guid, title, NULL, T0 + DAYS(day) + (int64_t)(rand_r(&seed) % 86400));
        }
        if (day == 17)
            add(doc, "once", "zebra crossing", NULL, T0 + DAYS(day) + 5);
        ingest(st, src[s], doc);
        if (day % 5 == 4)
            sync_all(st);
    }
    sync_all(st);
    int64_t d0 = T0 / 86400;
    /* a term whose id lies far from the others: the scan's set of wanted
     * ids is then searched, not a bitmap over the span of the ids */
    char far[256];
    snprintf(far, sizeof(far),
             "INSERT INTO term_dict (id, kind, term) VALUES (200000000, %d, 'faraway');"
             "INSERT INTO term_day (term_id, day, source_id, tf, df, first_s) "
             "VALUES (200000000, %lld, %lld, 3, 2, 60)",
             STORE_TERM_WORD, (long long)(d0 + 12), (long long)src[1]);
    struct err e = ERR_INIT;
    CHECK_INT(store_exec(st, far, &e), ACHIM_OK);
    /* the scan's filter answers 0 without the set bound by the read */
    CHECK_INT(store_query_int(st, "SELECT achim_term_wanted(1, 1)", -1), 0);
    const struct store_term_ref refs[] = {
        {STORE_TERM_WORD, "agents"},
        {STORE_TERM_WORD, "rare"},
        {STORE_TERM_PHRASE, "zebra crossing"},
        {STORE_TERM_WORD, "nowhere"},
        {STORE_TERM_WORD, "rare"},
        {STORE_TERM_PHRASE, "agents ai"},
        {STORE_TERM_WORD, "policy"},
        {STORE_TERM_WORD, "faraway"},
    };
    enum { NREFS = sizeof(refs) / sizeof(refs[0]) };
    const int64_t ranges[][2] = {{INT64_MIN / 2 / 86400, INT64_MAX / 2 / 86400},
                                 {d0 + 3, d0 + 28},
                                 {d0 + 17, d0 + 18},
                                 {d0 - 50, d0},
                                 {d0 + 40, d0 + 90},
                                 {d0 + 9, d0 + 9}};
    int64_t compared = 0;
    for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
        struct store_term_cell *by[3][NREFS];
        size_t n[3][NREFS];
        for (int p = 0; p < 3; p++)
            CHECK_INT(store_terms_cells(st, refs, NREFS, ranges[r][0], ranges[r][1],
                                        (enum store_cells_plan)p, by[p], n[p], &e),
                      ACHIM_OK);
        for (size_t i = 0; i < NREFS; i++) {
            struct store_term_cell *one = NULL;
            size_t none = 0;
            CHECK_INT(store_term_cells(st, refs[i].kind, refs[i].term, ranges[r][0], ranges[r][1],
                                       &one, &none, &e),
                      ACHIM_OK);
            for (int p = 0; p < 3; p++) {
                CHECK_INT(n[p][i], none);
                CHECK(n[p][i] != none || !none || !memcmp(by[p][i], one, none * sizeof(*one)));
                free(by[p][i]);
            }
            compared += (int64_t)none;
            free(one);
        }
    }
    /* the cells are those the view shows, so the comparison is not empty */
    CHECK(compared > 0);
    struct store_term_cell *all[NREFS];
    size_t nall[NREFS];
    CHECK_INT(store_terms_cells(st, refs, NREFS, d0, d0 + 40, STORE_CELLS_SCAN, all, nall, &e),
              ACHIM_OK);
    int64_t rare_df = 0;
    for (size_t j = 0; j < nall[1]; j++)
        rare_df += all[1][j].df;
    CHECK_INT(rare_df, 5);
    CHECK_INT(rare_df, store_query_int(st,
                                       "SELECT sum(t.df) FROM term_day t JOIN term_dict d ON "
                                       "d.id = t.term_id WHERE d.term = 'rare'",
                                       -1));
    CHECK_INT(nall[2], 1); /* the pending phrase */
    CHECK_INT(nall[3], 0);
    CHECK_INT(nall[4], nall[1]);
    CHECK_INT(nall[7], 1);
    CHECK(nall[7] == 1 && all[7][0].day == d0 + 12 && all[7][0].source_id == src[1] &&
          all[7][0].tf == 3 && all[7][0].df == 2 && all[7][0].first == (d0 + 12) * 86400 + 60);
    for (size_t i = 0; i < NREFS; i++)
        free(all[i]);
    /* a damaged row of a wanted term: both plans fail and return nothing */
    CHECK_INT(store_exec(st,
                         "UPDATE term_cells SET cells = x'0280' WHERE term_id = "
                         "(SELECT id FROM term_dict WHERE term = 'rare')",
                         &e),
              ACHIM_OK);
    for (int p = 1; p < 3; p++) {
        CHECK_INT(store_terms_cells(st, refs, NREFS, d0, d0 + 40, (enum store_cells_plan)p, all,
                                    nall, &e),
                  ACHIM_EDB);
        for (size_t i = 0; i < NREFS; i++)
            CHECK(all[i] == NULL && nall[i] == 0);
    }
    store_close(st);
}

/* store_termstats_pending() (two seeks on the queue's ids) against a count
 * of the queue's rows through inserts, an update and a delete (which also
 * rewrite queued rows), a drain, and inserts after the queue emptied. */
static void test_pending_counts_queue_rows(void)
{
    struct store *st = open_at(":memory:");
    struct err e = ERR_INIT;
    int64_t a = source(st, "https://a.example/feed");
#define PENDING_IS_COUNT()                                                                         \
    CHECK_INT(store_termstats_pending(st),                                                         \
              store_query_int(st, "SELECT count(*) FROM term_queue", -1))
    PENDING_IS_COUNT();
    CHECK_INT(store_termstats_pending(st), 0);
    struct feed_doc *doc = feed_doc_new();
    add(doc, "p1", "agents rise", "agents", T0);
    add(doc, "p2", "robots rise", "robots", T0 + 60);
    add(doc, "p3", "chips", "chips and chips", T0 + 120);
    ingest(st, a, doc);
    CHECK_INT(store_termstats_pending(st), 3);
    PENDING_IS_COUNT();
    doc = feed_doc_new();
    add(doc, "p2", "robots fall", "robots", T0 + 60);
    ingest(st, a, doc);
    PENDING_IS_COUNT();
    CHECK_INT(store_exec(st, "DELETE FROM articles WHERE guid = 'p1'", &e), ACHIM_OK);
    PENDING_IS_COUNT();
    CHECK(store_termstats_pending(st) > 3);
    sync_all(st);
    PENDING_IS_COUNT();
    doc = feed_doc_new();
    add(doc, "p4", "agents again", "agents", T0 + DAYS(1));
    add(doc, "p5", "robots again", NULL, T0 + DAYS(1));
    ingest(st, a, doc);
    CHECK_INT(store_termstats_pending(st), 2);
    PENDING_IS_COUNT();
    sync_all(st);
    check_recount(st, "after the queue emptied and filled again");
#undef PENDING_IS_COUNT
    store_close(st);
}

/* Term ids far apart, negative and positive (a hand-made or damaged
 * term_dict): the span between them overflows int64, so the scan's wanted
 * set must search them rather than size a bitmap by their difference. Both
 * plans find each term's single cell. */
static void test_far_apart_term_ids(void)
{
    struct store *st = open_at(":memory:");
    struct err e = ERR_INIT;
    int64_t d0 = T0 / 86400;
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO term_dict (id, kind, term) VALUES (-5000000000000000000, %d, 'low'),"
             "(5000000000000000000, %d, 'high');"
             "INSERT INTO term_day (term_id, day, source_id, tf, df, first_s) VALUES "
             "(-5000000000000000000, %lld, 1, 2, 1, 10), (5000000000000000000, %lld, 1, 4, 3, 20)",
             STORE_TERM_WORD, STORE_TERM_WORD, (long long)d0, (long long)(d0 + 1));
    CHECK_INT(store_exec(st, sql, &e), ACHIM_OK);
    const struct store_term_ref refs[] = {{STORE_TERM_WORD, "low"}, {STORE_TERM_WORD, "high"}};
    for (int p = STORE_CELLS_SEEK; p <= STORE_CELLS_SCAN; p++) {
        struct store_term_cell *out[2];
        size_t n[2];
        CHECK_INT(store_terms_cells(st, refs, 2, d0, d0 + 2, (enum store_cells_plan)p, out, n, &e),
                  ACHIM_OK);
        CHECK(n[0] == 1 && out[0][0].day == d0 && out[0][0].tf == 2 && out[0][0].df == 1);
        CHECK(n[1] == 1 && out[1][0].day == d0 + 1 && out[1][0].tf == 4 && out[1][0].df == 3);
        free(out[0]);
        free(out[1]);
    }
    store_close(st);
}

/* One batch whose terms have many cells (12 outlets x 6 days, more than
 * the insertion sort's 16) arriving out of order: the feeds of a store
 * come day by day but with the outlets shuffled, and some (day, outlet)
 * twice, apart, so a term's cells hold runs to merge and repeats to sum.
 * The counts equal the recount, and the cells, entries and first
 * appearances equal those of a store fed the same articles in order. */
static void feed_grid(struct store *st, const int64_t *src, const int *order, int nfeeds)
{
    for (int f = 0; f < nfeeds; f++) {
        /* feeds 0-71 are each (day, outlet) once, 72-95 a second part of some */
        int id = order[f], part = id >= 72, cell = part ? (id - 72) * 29 % 72 : id;
        int day = cell / 12, s = cell % 12;
        struct feed_doc *doc = feed_doc_new();
        for (int i = 0; i < 2; i++) {
            char guid[48], title[64], body[96];
            snprintf(guid, sizeof(guid), "d%d-s%d-p%d-%d", day, s, part, i);
            snprintf(title, sizeof(title), "grid news w%d", (day * 7 + s + i) % 9);
            snprintf(body, sizeof(body), "common words and w%d w%d", (s + i) % 5, day % 4);
            add(doc, guid, title, body, T0 + DAYS(day) + 60 * (12 * s + i + 3 * part));
        }
        ingest(st, src[s], doc);
    }
}

static void test_unordered_cells(void)
{
    int shuffled[96], sorted[96];
    unsigned seed = 5;
    for (int f = 0; f < 96; f++)
        shuffled[f] = sorted[f] = f;
    for (int f = 95; f > 0; f--) { /* Fisher-Yates over all 96 feeds */
        int j = (int)(rand_r(&seed) % (unsigned)(f + 1)), x = shuffled[f];
        shuffled[f] = shuffled[j];
        shuffled[j] = x;
    }
    char *text[2], *dict[2];
    for (int pass = 0; pass < 2; pass++) {
        struct store *st = open_at(":memory:");
        int64_t src[12];
        for (int s = 0; s < 12; s++) {
            char url[48];
            snprintf(url, sizeof(url), "https://grid.example/%02d", s);
            src[s] = source(st, url);
        }
        feed_grid(st, src, pass ? shuffled : sorted, 96);
        sync_all(st);
        check_recount(st, pass ? "unordered cells" : "ordered cells");
        CHECK(store_query_int(st,
                              "SELECT achim_cells_count(cells) FROM term_cells WHERE term_id = "
                              "(SELECT id FROM term_dict WHERE term = 'common') LIMIT 1",
                              0) == 12);
        text[pass] = cells_text(st);
        dict[pass] = store_query_text(st, "SELECT group_concat(x, char(10)) FROM (SELECT kind || "
                                          "' ' || term || ' ' || first_seen || ' ' || "
                                          "first_source AS x FROM term_dict ORDER BY id)");
        store_close(st);
    }
    CHECK_STR(text[1], text[0]);
    CHECK_STR(dict[1], dict[0]);
    for (int pass = 0; pass < 2; pass++) {
        free(text[pass]);
        free(dict[pass]);
    }
}

/* Each cell's first_s is the earliest time of day of its articles: words
 * of many outlets and days at random times, counted in batches of random
 * size (a cell's articles split over batches), and a phrase whose first
 * use waits in phrase_pending until a second, earlier article of the same
 * outlet and day promotes it. */
static void test_first_in_day_per_cell(void)
{
    static const char *const vocab[] = {"alpha", "beta", "gamma", "delta", "eps", "zeta"};
    struct store *st = open_at(":memory:");
    int64_t src[9];
    for (int s = 0; s < 9; s++) {
        char url[48];
        snprintf(url, sizeof(url), "https://first.example/%d", s);
        src[s] = source(st, url);
    }
    unsigned seed = 3;
    for (int round = 0; round < 60; round++) {
        struct feed_doc *doc = feed_doc_new();
        for (int i = 0; i < 4; i++) {
            char guid[32], title[64] = "", body[128] = "";
            snprintf(guid, sizeof(guid), "f%d-%d", round, i);
            for (int w = 0; w < 5; w++)
                snprintf(body + strlen(body), sizeof(body) - strlen(body), "%s%s", w ? " " : "",
                         vocab[rand_r(&seed) % 6]);
            snprintf(title, sizeof(title), "%s", vocab[rand_r(&seed) % 6]);
            add(doc, guid, title, body,
                T0 + DAYS(rand_r(&seed) % 4) + (int64_t)(rand_r(&seed) % 86400));
        }
        ingest(st, src[rand_r(&seed) % 9], doc);
        if (rand_r(&seed) % 5 == 0)
            sync_all(st);
    }
    sync_all(st);
    check_recount(st, "first in day");
    int64_t bad = store_query_int(
        st,
        "WITH RECURSIVE txt(id, day, src, at, rest) AS ("
        "  SELECT id, sort_date / 86400, source_id, sort_date % 86400, "
        "    title || ' ' || summary || ' ' FROM articles), "
        "split(id, day, src, at, w, rest) AS ("
        "  SELECT id, day, src, at, NULL, rest FROM txt "
        "  UNION ALL SELECT id, day, src, at, substr(rest, 1, instr(rest, ' ') - 1), "
        "    substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''), "
        "want AS (SELECT w, day, src, min(at) AS first_s FROM split "
        "  WHERE w IS NOT NULL AND w <> '' GROUP BY 1, 2, 3), "
        "have AS (SELECT d.term AS w, t.day, t.source_id AS src, t.first_s FROM term_day t "
        "  JOIN term_dict d ON d.id = t.term_id WHERE d.kind = 1) "
        "SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM have "
        "UNION ALL SELECT * FROM have EXCEPT SELECT * FROM want)",
        -1);
    CHECK_INT(bad, 0);
    CHECK(store_query_int(st, "SELECT count(*) FROM term_day", 0) > 100);

    /* "rare pair" at 15:00, counted alone (pending), then at 09:00 of the
     * same day and outlet in a later batch: promoted, first_s 09:00 */
    struct feed_doc *doc = feed_doc_new();
    add(doc, "late", "rare pair", "", T0 + DAYS(9) + 15 * 3600);
    ingest(st, src[0], doc);
    sync_all(st);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM term_dict WHERE term = 'rare pair'", -1),
              0);
    doc = feed_doc_new();
    add(doc, "early", "rare pair", "", T0 + DAYS(9) + 9 * 3600);
    ingest(st, src[0], doc);
    sync_all(st);
    CHECK_INT(store_query_int(st,
                              "SELECT t.first_s * 1000 + t.df FROM term_day t JOIN term_dict d "
                              "ON d.id = t.term_id WHERE d.term = 'rare pair'",
                              -1),
              (int64_t)(9 * 3600) * 1000 + 2);
    store_close(st);
}

TESTS(TEST(test_schema), TEST(test_insert_update_delete), TEST(test_random_against_recount),
      TEST(test_many_rows_against_recount), TEST(test_rollback_keeps_queue),
      TEST(test_analyzer_failure_writes_nothing), TEST(test_totals_and_first_seen),
      TEST(test_phrase_promotion_and_prune), TEST(test_migrate_from_v5),
      TEST(test_lazy_queue_then_change), TEST(test_backfill), TEST(test_first_source_on_a_tie),
      TEST(test_migrate_from_v9), TEST(test_packed_cells), TEST(test_read_plans_agree),
      TEST(test_pending_counts_queue_rows), TEST(test_far_apart_term_ids),
      TEST(test_unordered_cells), TEST(test_first_in_day_per_cell))
