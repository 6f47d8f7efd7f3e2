/* SPDX-License-Identifier: MIT */
/* test_ingest_threads.c: the bulk ingest's helper threads change how soon,
 * never what: term statistics and facts drained with results analysed
 * ahead (app_prep) equal those of the one-thread drain, row for row, on a
 * few hundred real news articles (BBC full text, AG News items) with
 * syndicated copies and changed versions; a failure in the middle of a
 * batch rolls the feed back as before and a retry ends where a clean run
 * ends; files read and parsed ahead (app_ahead) are stored as
 * app_ingest_paths stores them one at a time. */
#include "../test.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app_test.h"
#include "base/util.h"
#include "store/store_int.h"

#define BBC "../shared/corpus/classify/bbc-fulltext.public.jsonl"
#define AGNEWS "../shared/corpus/classify/agnews-test.public.jsonl"
#define PER_SET 200 /* articles from each file */
#define PER_FEED 8  /* entries per feed document */
#define OUTLETS 6
#define BATCH 50   /* drain once this many articles wait: several drains */
#define DAY0 20454 /* 2026-01-01 */

struct art {
    char *title, *summary, *content;
};

static struct art *arts;
static size_t narts;

/* The first PER_SET lines of path: BBC as full text (no summary, so the
 * statistics read the content's first 4,000 characters), AG News as a
 * title and summary. False when the file is absent. */
static bool load(const char *path, bool full_text)
{
    struct buf all = BUF_INIT;
    struct err e = ERR_INIT;
    if (file_read_all(path, &all, &e) != ACHIM_OK)
        return false;
    size_t got = 0;
    char *save = NULL;
    for (char *line = strtok_r(all.ptr, "\n", &save); line && got < PER_SET;
         line = strtok_r(NULL, "\n", &save)) {
        cJSON *j = cJSON_Parse(line);
        const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(j, "title"));
        const char *x = cJSON_GetStringValue(cJSON_GetObjectItem(j, "text"));
        if (t && x) {
            arts = realloc(arts, (narts + 1) * sizeof(*arts));
            arts[narts++] =
                (struct art){strdup(t), full_text ? NULL : strdup(x), full_text ? strdup(x) : NULL};
            got++;
        }
        cJSON_Delete(j);
    }
    buf_release(&all);
    return got == PER_SET;
}

static bool corpus(void)
{
    if (narts)
        return true;
    if (!load(BBC, true) || !load(AGNEWS, false)) {
        printf("skip - %s or %s not found\n", BBC, AGNEWS);
        return false;
    }
    /* interleave the two sets so every batch holds both kinds */
    for (size_t i = 1; i < narts / 2; i += 2) {
        struct art t = arts[i];
        arts[i] = arts[narts / 2 + i];
        arts[narts / 2 + i] = t;
    }
    return true;
}

static struct gazetteer *gaz(void)
{
    struct gazetteer *g = NULL;
    struct err e = ERR_INIT;
    CHECK_INT(gazetteer_load("data/gazetteer.tsv", &g, &e), ACHIM_OK);
    return g;
}

/* Feed f: PER_FEED articles of one outlet and day; every fifth feed also
 * carries a copy of an earlier article (syndication: the same text under
 * another outlet). version > 0 changes every third title (an update). */
static struct feed_doc *feed(size_t f, int version, int *outlet)
{
    struct feed_doc *doc = feed_doc_new();
    *outlet = (int)(f % OUTLETS);
    for (size_t k = 0; k < PER_FEED; k++) {
        size_t i = f * PER_FEED + k;
        if (i >= narts)
            break;
        struct article *a = feed_doc_add_entry(doc);
        char guid[64];
        snprintf(guid, sizeof(guid), "g%zu", i);
        a->guid = strdup(guid);
        if (version && i % 3 == 0) {
            struct buf t = BUF_INIT;
            buf_addf(&t, "%s (updated %d)", arts[i].title, version);
            a->title = buf_take(&t);
        } else {
            a->title = strdup(arts[i].title);
        }
        a->summary = arts[i].summary ? strdup(arts[i].summary) : NULL;
        a->content = arts[i].content ? strdup(arts[i].content) : NULL;
        a->published = ((int64_t)DAY0 + (int64_t)(f / OUTLETS)) * 86400 + (int64_t)k * 600;
    }
    if (f % 5 == 4 && f > 0) {
        size_t i = (f - 1) * PER_FEED; /* an earlier feed's first article */
        struct article *a = feed_doc_add_entry(doc);
        a->guid = strdup("copy");
        a->title = strdup(arts[i].title);
        a->summary = arts[i].summary ? strdup(arts[i].summary) : NULL;
        a->content = arts[i].content ? strdup(arts[i].content) : NULL;
        a->published = ((int64_t)DAY0 + (int64_t)(f / OUTLETS)) * 86400 + 7200;
    }
    return doc;
}

static size_t nfeeds(void)
{
    return (narts + PER_FEED - 1) / PER_FEED;
}

/* Store feed f (version) with the drains of app_ingest_paths, every BATCH
 * articles; prep NULL: the one-thread drain. */
static enum achim_code put(struct store *st, const struct gazetteer *g, struct app_prep *prep,
                           size_t f, int version, struct err *e)
{
    int outlet = 0;
    struct feed_doc *doc = feed(f, version, &outlet);
    char url[64];
    snprintf(url, sizeof(url), "https://outlet%d.example/feed", outlet);
    int64_t src = 0;
    enum achim_code rc = store_source_ensure(st, url, url, NULL, 0, &src, e);
    if (rc == ACHIM_OK)
        rc = app_feed_ingest_prepared(st, g, src, 0, doc, 0, true, prep, BATCH, NULL, e);
    feed_doc_free(doc);
    return rc;
}

static void finish(struct store *st, const struct gazetteer *g, struct app_prep *prep)
{
    struct err e = ERR_INIT;
    app_prep_wait(prep);
    CHECK_INT(app_termstats_sync_prepared(st, g, prep, &e), ACHIM_OK);
    CHECK_INT(app_facts_sync_prepared(st, g, prep, NULL, &e), ACHIM_OK);
}

/* Every row of queries q[0..n), as text, each after its query. */
static char *dump_rows(struct store *st, const char *const *q, size_t n)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *s = NULL;
        CHECK_INT(sqlite3_prepare_v2(st->db, q[i], -1, &s, NULL), SQLITE_OK);
        buf_addf(&b, "== %s\n", q[i]);
        while (s && sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const unsigned char *v = sqlite3_column_text(s, c);
                buf_addf(&b, "%s%s", c ? "|" : "", v ? (const char *)v : "NULL");
            }
            buf_addch(&b, '\n');
        }
        sqlite3_finalize(s);
    }
    return buf_take(&b);
}

/* Every row of the tables the ingest writes, as text (cells decoded). */
static char *dump(struct store *st)
{
    static const char *const q[] = {
        "SELECT * FROM articles ORDER BY id",
        "SELECT * FROM term_dict ORDER BY id",
        "SELECT day, term_id, achim_cells_json(cells) FROM term_cells ORDER BY day, term_id",
        "SELECT * FROM doc_day ORDER BY day, source_id",
        "SELECT * FROM phrase_pending ORDER BY h",
        "SELECT * FROM term_queue ORDER BY id",
        "SELECT * FROM article_entities ORDER BY article_id, entity",
        "SELECT * FROM article_figures ORDER BY article_id, seq",
        "SELECT * FROM facts_todo ORDER BY article_id",
    };
    return dump_rows(st, q, sizeof(q) / sizeof(q[0]));
}

static int64_t count(struct store *st, const char *sql)
{
    return store_query_int(st, sql, -1);
}

/* The first line where a and b differ, to show what a failure is about. */
static void show_diff(const char *a, const char *b)
{
    size_t i = 0, line = 0;
    while (a[i] && a[i] == b[i])
        if (a[i++] == '\n')
            line = i;
    fprintf(stderr, "  first difference:\n  < %.160s\n  > %.160s\n", a + line, b + line);
}

static void check_same(const char *want, const char *got)
{
    bool same = strcmp(want, got) == 0;
    CHECK(same);
    if (!same)
        show_diff(want, got);
}

static void test_threaded_drain_matches_one_thread(void)
{
    if (!corpus())
        return;
    struct gazetteer *g = gaz();
    struct store *one = open_mem(), *two = open_mem();
    struct app_prep *prep = app_prep_new(g);
    CHECK(prep != NULL);
    struct err e = ERR_INIT;
    size_t n = nfeeds();
    /* all feeds, then a third of them again with changed titles: the
     * changes queue removals of the old text, which only the drain can
     * count, beside the new versions analysed ahead */
    for (int version = 0; version < 2; version++)
        for (size_t f = 0; f < n; f += version ? 3 : 1) {
            CHECK_INT(put(one, g, NULL, f, version, &e), ACHIM_OK);
            CHECK_INT(put(two, g, prep, f, version, &e), ACHIM_OK);
        }
    finish(one, g, NULL);
    finish(two, g, prep);
    CHECK(count(one, "SELECT count(*) FROM articles") >= 2 * PER_SET);
    CHECK(count(one, "SELECT count(*) FROM article_entities") > 50);
    CHECK(count(one, "SELECT count(*) FROM article_figures") > 50);
    CHECK(count(one, "SELECT count(*) FROM term_cells") > 1000);
    CHECK_INT(count(two, "SELECT count(*) FROM term_queue"), 0);
    CHECK_INT(count(two, "SELECT count(*) FROM facts_todo"), 0);
    char *a = dump(one), *b = dump(two);
    check_same(a, b);
    free(a);
    free(b);
    /* the results were used: every new version's terms and facts (the
     * removals of old versions are the drain's own) */
    size_t taken = 0, missed = 0;
    app_prep_counts(prep, &taken, &missed);
    CHECK(taken >= 2 * (size_t)count(two, "SELECT count(*) FROM articles"));
    CHECK(missed > 0 && missed < taken / 4);
    app_prep_free(prep);
    store_close(one);
    store_close(two);
    gazetteer_free(g);
}

/* A drain that fails in the middle of a batch (a store error while facts
 * are written, after the batch's statistics) rolls the whole feed back:
 * its articles, the statistics of the batch and the queues are as they
 * were. Once the cause is gone, the same feeds end where a clean run
 * ends. */
static void test_failure_mid_batch_rolls_back(void)
{
    if (!corpus())
        return;
    struct gazetteer *g = gaz();
    struct store *clean = open_mem(), *st = open_mem();
    struct app_prep *prep = app_prep_new(g);
    struct err e = ERR_INIT;
    size_t n = nfeeds();
    for (size_t f = 0; f < n; f++)
        CHECK_INT(put(clean, g, NULL, f, 0, &e), ACHIM_OK);
    finish(clean, g, NULL);

    /* an article of the third batch cannot have its facts stored */
    size_t poisoned = (2 * BATCH + BATCH / 2) / PER_FEED * PER_FEED + 1;
    char sql[256];
    snprintf(sql, sizeof(sql),
             "CREATE TEMP TRIGGER poison BEFORE DELETE ON facts_todo WHEN old.article_id = %zu "
             "BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
             poisoned);
    CHECK_INT(store_exec(st, sql, &e), ACHIM_OK);
    size_t f = 0, failed_at = 0;
    char *before = NULL;
    for (; f < n; f++) {
        free(before);
        before = dump(st);
        enum achim_code rc = put(st, g, prep, f, 0, &e);
        if (rc != ACHIM_OK) {
            CHECK_INT(rc, ACHIM_EDB);
            CHECK_CONTAINS(e.msg, "poisoned");
            failed_at = f;
            break;
        }
    }
    CHECK(f < n);
    /* the batch waits, less the failed feed */
    CHECK(count(st, "SELECT count(*) FROM term_queue") >= BATCH - PER_FEED - 1);
    CHECK(count(st, "SELECT count(*) FROM facts_todo") >= BATCH - PER_FEED - 1);
    char *after = dump(st);
    check_same(before, after);
    free(after);
    free(before);
    CHECK_INT(store_exec(st, "DROP TRIGGER temp.poison", &e), ACHIM_OK);
    for (f = failed_at; f < n; f++)
        CHECK_INT(put(st, g, prep, f, 0, &e), ACHIM_OK);
    finish(st, g, prep);
    char *a = dump(clean), *b = dump(st);
    check_same(a, b);
    free(a);
    free(b);
    app_prep_free(prep);
    store_close(clean);
    store_close(st);
    gazetteer_free(g);
}

/* articles_fts's shadow tables (its segments, term index and sizes). */
static char *dump_fts(struct store *st)
{
    static const char *const q[] = {
        "SELECT id, hex(block) FROM articles_fts_data ORDER BY id",
        "SELECT segid, hex(term), pgno FROM articles_fts_idx ORDER BY segid, term",
        "SELECT id, hex(sz) FROM articles_fts_docsize ORDER BY id",
    };
    return dump_rows(st, q, sizeof(q) / sizeof(q[0]));
}

/* The files of a folder read and parsed ahead store what one file at a
 * time stores (app_ingest_paths against app_ingest_buffer per file). */
static void test_parse_ahead_matches_one_file_at_a_time(void)
{
    if (!corpus())
        return;
    char dir[] = "/tmp/achim-test-ahead.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    size_t n = 12;
    char **paths = calloc(n, sizeof(*paths));
    for (size_t f = 0; f < n; f++) {
        struct buf x = BUF_INIT;
        buf_addstr(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
                       "<title>Outlet</title><link>https://outlet.example/</link>\n");
        for (size_t k = 0; k < PER_FEED; k++) {
            const struct art *a = &arts[f * PER_FEED + k];
            buf_addf(&x,
                     "<item><guid>g%zu</guid><title><![CDATA[%s]]></title>"
                     "<pubDate>Thu, %02zu Jan 2026 10:00:00 +0000</pubDate>"
                     "<description><![CDATA[%s]]></description></item>\n",
                     f * PER_FEED + k, a->title, 1 + f, a->summary ? a->summary : a->content);
        }
        buf_addstr(&x, "</channel></rss>\n");
        struct buf p = BUF_INIT;
        buf_addf(&p, "%s/%02zu.xml", dir, f);
        FILE *out = fopen(p.ptr, "w");
        CHECK(out != NULL);
        if (out) {
            fwrite(x.ptr, 1, x.len, out);
            fclose(out);
        }
        paths[f] = buf_take(&p);
        buf_release(&x);
    }
    /* a file that is not a feed fails alone */
    struct buf bad = BUF_INIT;
    buf_addf(&bad, "%s/05a.xml", dir);
    FILE *out = fopen(bad.ptr, "w");
    if (out) {
        fputs("<html><body>not a feed</body></html>", out);
        fclose(out);
    }
    struct gazetteer *g = gaz();
    struct store *ahead = open_mem(), *one = open_mem();
    struct err e = ERR_INIT;
    int nfailed = 0;
    const char *dirs[] = {dir};
    CHECK_INT(app_ingest_paths(ahead, g, dirs, 1, 0, NULL, NULL, &nfailed, &e), ACHIM_OK);
    CHECK_INT(nfailed, 1);
    /* the same files one at a time, the bad one in its place */
    int64_t run_id = 0;
    CHECK_INT(store_run_begin(one, "ingest", 0, &run_id, &e), ACHIM_OK);
    for (size_t f = 0; f < n; f++) {
        for (int pass = 0; pass < (f == 6 ? 2 : 1); pass++) {
            const char *path = f == 6 && pass == 0 ? bad.ptr : paths[f];
            struct buf body = BUF_INIT;
            CHECK_INT(file_read_all(path, &body, &e), ACHIM_OK);
            char *real = realpath(path, NULL);
            struct buf u = BUF_INIT;
            buf_addf(&u, "file://%s", real);
            free(real);
            struct app_buffer in = {.data = body.ptr,
                                    .len = body.len,
                                    .url = u.ptr,
                                    .label = path,
                                    .gazetteer = g,
                                    .batch_stats = true,
                                    .batch_facts = true};
            enum achim_code rc = app_ingest_buffer(one, &in, run_id, 0, NULL, NULL, NULL, &e);
            CHECK_INT(rc, path == bad.ptr ? ACHIM_EPARSE : ACHIM_OK);
            buf_release(&u);
            buf_release(&body);
        }
    }
    finish(one, g, NULL);
    CHECK_INT(count(ahead, "SELECT count(*) FROM articles"), (int64_t)(n * PER_FEED));
    char *a = dump(one), *b = dump(ahead);
    check_same(a, b);
    free(a);
    free(b);
    /* the search index too, byte for byte: the parse thread's recorded
     * tokens were sent in place of tokenizing (title and description of
     * every article), and FTS5 wrote the same segments */
    CHECK_INT(ahead->fts_replayed, (int64_t)(2 * n * PER_FEED));
    CHECK_INT(one->fts_replayed, 0);
    a = dump_fts(one);
    b = dump_fts(ahead);
    check_same(a, b);
    free(a);
    free(b);
    CHECK_INT(store_check(ahead, &e), ACHIM_OK);
    for (size_t f = 0; f < n; f++) {
        unlink(paths[f]);
        free(paths[f]);
    }
    free(paths);
    unlink(bad.ptr);
    buf_release(&bad);
    rmdir(dir);
    store_close(ahead);
    store_close(one);
    gazetteer_free(g);
}

static void release_corpus(void)
{
    for (size_t i = 0; i < narts; i++) {
        free(arts[i].title);
        free(arts[i].summary);
        free(arts[i].content);
    }
    free(arts);
    arts = NULL;
    narts = 0;
}

/* last: frees the corpus the others share */
static void test_release(void)
{
    release_corpus();
}

TESTS(TEST(test_threaded_drain_matches_one_thread), TEST(test_failure_mid_batch_rolls_back),
      TEST(test_parse_ahead_matches_one_file_at_a_time), TEST(test_release))
