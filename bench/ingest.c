/* SPDX-License-Identifier: MIT */
/* ingest.c: achim's ingest against a bare SQLite program (issue 5, point 7).
 *
 *   ingest CORPUS.jsonl WORKDIR [DATADIR]
 *
 * CORPUS is what `bench/analysis gen` writes ({"id","title","text",
 * "published","source"} lines in time order). The corpus becomes RSS 2.0
 * files, one per outlet and day (what a daily fetch of that outlet returns),
 * written to WORKDIR/feeds before any clock starts. Then, in this run:
 *
 *  (a) achim ingest: each file read and handed to app_ingest_buffer() with
 *      the gazetteer, into a fresh store, as `achim ingest` does (with the
 *      outlet's address as the source, as `achim fetch` names it): parse the
 *      XML, key and dedup each entry against the store, store it, index it
 *      in FTS5 (after the feed's entries), count its term statistics and
 *      extract its entities and figures (both queued and drained a few
 *      thousand articles at a time, and at the end, as app_ingest_paths
 *      does), one transaction per feed, then the store closed (its last
 *      WAL checkpoint; (c) times its close too). As app_ingest_paths, the next files
 *      are read and parsed on a helper thread (app_ahead) and the stored
 *      articles analysed on another (app_prep); the CPU time of the storing
 *      thread is printed beside the process's. BENCH_INGEST_SERIAL=1 runs
 *      it all on one thread, as before, for comparison;
 *      BENCH_INGEST_NOAHEAD=1 or BENCH_INGEST_NOPREP=1 leave out one
 *      helper.
 *  (b) the same without term statistics and facts: parse + dedup + store +
 *      FTS5 (feed_parse_buffer + store_feed_ingest), to show what the
 *      statistics and facts cost; the statistics queue stays undrained.
 *  (c) bare SQLite: the same rows, already in memory (no file reading, no
 *      parsing, no dedup lookup, no hashing, no statistics, no facts),
 *      inserted with one prepared INSERT into a table with the same text
 *      columns and the external-content FTS5 definition and trigger of
 *      achim's migration 1 (tokenizer unicode61: achim's own, which stems,
 *      costs more), one transaction per feed, same pragmas (WAL, synchronous
 *      NORMAL). This is the floor any SQLite + FTS5 store pays that indexes
 *      by trigger.
 *  (c2) the same rows with no trigger: each feed's rows inserted, then
 *      indexed by plain INSERTs into articles_fts, which is how achim's
 *      ingest indexes since migration 9 (one FTS5 segment per feed instead
 *      of one per row): the floor of that way of indexing.
 *
 * BENCH_INGEST_ONLY=a (b, c or a combination) runs only those, to profile.
 * Prints items per second for each, and the ratio (a)/(c) against the goal
 * of 1.5x, by wall time (CPU time beside it: the machine is shared), the
 * ratios against (c2), and the store's size with the term statistics'
 * share (dbstat). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "bench.h"
#include "app/app.h"
#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"
#include "report/report.h"
#include "store/store_int.h"

struct item {
    char *id, *title, *text, *source;
    int64_t published;
};

struct feedfile {
    char *path;
    size_t first, n;    /* items[first .. first + n) */
    const char *source; /* the outlet (borrowed from the items) */
};

static int cmp_item(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    int64_t da = a->published / 86400, db = b->published / 86400;
    if (da != db)
        return da < db ? -1 : 1;
    int c = strcmp(a->source, b->source);
    if (c)
        return c;
    return a->published < b->published ? -1 : a->published > b->published;
}

static struct item *read_corpus(const char *path, size_t *n)
{
    struct buf all = BUF_INIT;
    struct err e = ERR_INIT;
    if (file_read_all(path, &all, &e) != ACHIM_OK) {
        fprintf(stderr, "bench: %s\n", e.msg);
        exit(1);
    }
    struct item *v = NULL;
    size_t len = 0, cap = 0;
    char *save = NULL;
    for (char *line = strtok_r(all.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *j = cJSON_Parse(line);
        if (!j)
            continue;
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(j, "id"));
        const char *title = cJSON_GetStringValue(cJSON_GetObjectItem(j, "title"));
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(j, "text"));
        const char *pub = cJSON_GetStringValue(cJSON_GetObjectItem(j, "published"));
        const char *src = cJSON_GetStringValue(cJSON_GetObjectItem(j, "source"));
        int64_t t = 0;
        if (id && title && text && pub && src && time_parse_iso(pub, &t)) {
            XGROW(v, len + 1, cap);
            v[len++] = (struct item){xstrdup(id), xstrdup(title), xstrdup(text), xstrdup(src), t};
        }
        cJSON_Delete(j);
    }
    buf_release(&all);
    qsort(v, len, sizeof(*v), cmp_item);
    *n = len;
    return v;
}

/* One RSS file per outlet and day, named so that sorting by name is
 * chronological. */
static struct feedfile *write_feeds(const char *dir, const struct item *it, size_t n,
                                    size_t *nfiles)
{
    struct feedfile *f = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int64_t day = it[i].published / 86400;
        while (j < n && it[j].published / 86400 == day && strcmp(it[j].source, it[i].source) == 0)
            j++;
        struct buf x = BUF_INIT;
        buf_addf(&x,
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
                 "<title>%s</title><link>https://%s.example/</link><description>news"
                 "</description>\n",
                 it[i].source, it[i].source);
        for (size_t k = i; k < j; k++) {
            char date[64];
            time_t t = (time_t)it[k].published;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
            buf_addstr(&x, "<item><title>");
            report_html_escape(&x, it[k].title);
            buf_addf(&x,
                     "</title><link>https://%s.example/a/%s</link><guid isPermaLink=\"false\">"
                     "%s-%s</guid><pubDate>%s</pubDate><description>",
                     it[k].source, it[k].id, it[k].source, it[k].id, date);
            report_html_escape(&x, it[k].text);
            buf_addstr(&x, "</description></item>\n");
        }
        buf_addstr(&x, "</channel></rss>\n");
        XGROW(f, len + 1, cap);
        struct buf p = BUF_INIT;
        buf_addf(&p, "%s/%06lld-%s.xml", dir, (long long)day, it[i].source);
        FILE *out = fopen(p.ptr, "w");
        if (!out || fwrite(x.ptr, 1, x.len, out) != x.len || fclose(out) != 0) {
            fprintf(stderr, "bench: cannot write %s: %s\n", p.ptr, strerror(errno));
            exit(1);
        }
        f[len++] = (struct feedfile){buf_take(&p), i, j - i, it[i].source};
        buf_release(&x);
        i = j;
    }
    *nfiles = len;
    return f;
}

static void remove_db(const char *path)
{
    char side[600];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

/* The outlet's feed address: each day's file of an outlet is the same
 * source, as when it is fetched every day. */
static void outlet_url(struct buf *u, const char *source)
{
    buf_reset(u);
    buf_addf(u, "https://%s.example/feed", source);
}

/* (a): what `achim ingest FILES` does for each file (read it, then
 * app_ingest_buffer: parse, key, dedup, store, FTS5, term statistics,
 * entities and figures, the last two queued and drained a few thousand
 * articles at a time and at the end, as app_ingest_paths does), with the
 * outlet's address as the source, as `achim fetch` names it. */
static enum achim_code full_ingest(struct store *st, const struct gazetteer *g,
                                   const struct feedfile *f, size_t nf, int *nfailed,
                                   struct err *err)
{
    int64_t run_id = 0;
    enum achim_code rc = store_run_begin(st, "ingest", 0, &run_id, err);
    /* BENCH_INGEST_SERIAL: no helper thread, for comparison (app_ahead
     * reads and parses on the caller's thread, no app_prep) */
    bool serial = getenv("BENCH_INGEST_SERIAL") != NULL;
    bool no_ahead = serial || getenv("BENCH_INGEST_NOAHEAD"),
         no_prep = serial || getenv("BENCH_INGEST_NOPREP");
    const char **paths = xcalloc(nf ? nf : 1, sizeof(*paths));
    const char **urls = xcalloc(nf ? nf : 1, sizeof(*urls));
    struct buf *url = xcalloc(nf ? nf : 1, sizeof(*url));
    for (size_t i = 0; i < nf; i++) {
        outlet_url(&url[i], f[i].source);
        paths[i] = f[i].path;
        urls[i] = url[i].ptr;
    }
    struct app_ahead *ahead = app_ahead_new(paths, urls, no_ahead ? 1 : nf);
    struct app_prep *prep = no_prep ? NULL : app_prep_new(g);
    struct app_buffer in = {.gazetteer = g, .batch_stats = true, .batch_facts = true, .prep = prep};
    for (size_t i = 0; i < nf && rc == ACHIM_OK; i++) {
        if (no_ahead) { /* one file at a time on this thread */
            app_ahead_free(ahead);
            ahead = app_ahead_new(paths + i, urls + i, 1);
        }
        rc = app_ahead_ingest_next(ahead, st, &in, run_id, 0, NULL, NULL, NULL, err);
        if (rc == ACHIM_EPARSE || rc == ACHIM_EIO) {
            (*nfailed)++;
            rc = ACHIM_OK;
        }
    }
    app_ahead_free(ahead);
    app_prep_wait(prep);
    if (rc == ACHIM_OK)
        rc = app_termstats_sync_prepared(st, g, prep, err);
    if (rc == ACHIM_OK)
        rc = app_facts_sync_prepared(st, g, prep, NULL, err);
    app_prep_free(prep);
    store_run_end(st, run_id, 0, rc == ACHIM_OK ? "ok" : "failed", NULL, NULL);
    for (size_t i = 0; i < nf; i++)
        buf_release(&url[i]);
    free(url);
    free(urls);
    free(paths);
    return rc;
}

/* (b): parse and store, without statistics or facts. */
static int store_only(const char *db, struct feedfile *f, size_t nf)
{
    struct store *st = NULL;
    struct err e = ERR_INIT;
    if (app_store_open(db, &st, &e) != ACHIM_OK)
        return fprintf(stderr, "bench: %s\n", e.msg), 1;
    for (size_t i = 0; i < nf; i++) {
        struct buf body = BUF_INIT;
        struct feed_doc *doc = NULL;
        struct buf url = BUF_INIT;
        outlet_url(&url, f[i].source);
        struct feed_parse_opts po = {.url = url.ptr};
        int64_t src = 0;
        if (file_read_all(f[i].path, &body, &e) != ACHIM_OK ||
            feed_parse_buffer(body.ptr, body.len, &po, &doc, &e) != ACHIM_OK ||
            store_source_ensure(st, url.ptr, doc->title, doc->link, 0, &src, &e) != ACHIM_OK ||
            store_feed_ingest(st, src, 0, doc, 0, NULL, &e) != ACHIM_OK) {
            fprintf(stderr, "bench: %s: %s\n", f[i].path, e.msg);
            return 1;
        }
        feed_doc_free(doc);
        buf_release(&body);
        buf_release(&url);
    }
    store_close(st);
    return 0;
}

/* (c): the floor. The same text columns, FTS5 definition and trigger as
 * achim's migration 1. With `deferred` (c2), no trigger: a feed's rows are
 * inserted first and then indexed by plain INSERTs into articles_fts, which
 * FTS5 keeps in memory and writes as one segment per feed, as achim's ingest
 * does since migration 9 (the trigger makes every INSERT open a statement
 * savepoint, and FTS5 writes a segment per savepoint). */
static int bare(const char *db, const struct item *it, struct feedfile *f, size_t nf, bool deferred)
{
    sqlite3 *h = NULL;
    if (sqlite3_open(db, &h) != SQLITE_OK)
        return 1;
    const char *schema =
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, source INTEGER NOT NULL, guid TEXT, "
        "  url TEXT, title TEXT, summary TEXT, content TEXT, published INTEGER);"
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, summary, content, "
        "  content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2');";
    const char *trigger = "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
                          "  INSERT INTO articles_fts(rowid, title, summary, content) "
                          "  VALUES (new.id, new.title, new.summary, new.content); END;";
    char *msg = NULL;
    if (sqlite3_exec(h, schema, NULL, NULL, &msg) != SQLITE_OK ||
        (!deferred && sqlite3_exec(h, trigger, NULL, NULL, &msg) != SQLITE_OK)) {
        fprintf(stderr, "bench: bare schema: %s\n", msg);
        return 1;
    }
    sqlite3_stmt *ins = NULL, *fts = NULL;
    sqlite3_prepare_v2(h,
                       "INSERT INTO articles (source, guid, url, title, summary, published) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                       -1, &ins, NULL);
    sqlite3_prepare_v2(h,
                       "INSERT INTO articles_fts(rowid, title, summary, content) "
                       "VALUES (?1, ?2, ?3, NULL)",
                       -1, &fts, NULL);
    char url[256], guid[128];
    int64_t *ids = NULL;
    size_t idcap = 0;
    for (size_t i = 0; i < nf; i++) {
        sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
        XGROW(ids, f[i].n, idcap);
        for (size_t k = f[i].first; k < f[i].first + f[i].n; k++) {
            snprintf(url, sizeof(url), "https://%s.example/a/%s", it[k].source, it[k].id);
            snprintf(guid, sizeof(guid), "%s-%s", it[k].source, it[k].id);
            sqlite3_bind_int64(ins, 1, (int64_t)i);
            sqlite3_bind_text(ins, 2, guid, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, url, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 4, it[k].title, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 5, it[k].text, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins, 6, it[k].published);
            if (sqlite3_step(ins) != SQLITE_DONE) {
                fprintf(stderr, "bench: bare insert: %s\n", sqlite3_errmsg(h));
                return 1;
            }
            sqlite3_reset(ins);
            ids[k - f[i].first] = sqlite3_last_insert_rowid(h);
        }
        for (size_t k = f[i].first; deferred && k < f[i].first + f[i].n; k++) {
            sqlite3_bind_int64(fts, 1, ids[k - f[i].first]);
            sqlite3_bind_text(fts, 2, it[k].title, -1, SQLITE_STATIC);
            sqlite3_bind_text(fts, 3, it[k].text, -1, SQLITE_STATIC);
            if (sqlite3_step(fts) != SQLITE_DONE) {
                fprintf(stderr, "bench: bare index: %s\n", sqlite3_errmsg(h));
                return 1;
            }
            sqlite3_reset(fts);
        }
        if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            return 1;
    }
    free(ids);
    sqlite3_finalize(ins);
    sqlite3_finalize(fts);
    sqlite3_close(h);
    return 0;
}

/* CPU time of the calling thread: (a) stores on one thread and analyses
 * and parses on others, so this is what its wall time cannot go below. */
static double thread_cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void report(const char *what, size_t n, double wall, double cpu)
{
    printf("  %-58s %7.2f s wall %7.2f s CPU  %8.0f items/s\n", what, wall, cpu, n / wall);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: ingest CORPUS.jsonl WORKDIR [DATADIR]\n");
        return 2;
    }
    /* SQLite's process-wide settings as achim's store makes them, before
     * (c) first uses SQLite: (a), (b) and (c) all run under them */
    store_library_init();
    const char *datadir = argc > 3 ? argv[3] : "data";
    size_t n = 0, nf = 0;
    struct item *it = read_corpus(argv[1], &n);
    struct buf dir = BUF_INIT, db = BUF_INIT;
    buf_addf(&dir, "%s/feeds", argv[2]);
    mkdir(dir.ptr, 0755);
    struct feedfile *f = write_feeds(dir.ptr, it, n, &nf);
    printf("corpus: %zu items in %zu RSS files (one per outlet and day)\n", n, nf);

    struct err e = ERR_INIT;
    struct gazetteer *g = NULL;
    struct buf gp = BUF_INIT;
    buf_addf(&gp, "%s/gazetteer.tsv", datadir);
    if (gazetteer_load(gp.ptr, &g, &e) != ACHIM_OK) {
        fprintf(stderr, "bench: %s\n", e.msg);
        return 1;
    }

    /* BENCH_INGEST_ONLY=a (or b, c, or a combination) runs only those, for
     * profiling one of them; the ratios need all three */
    const char *only = getenv("BENCH_INGEST_ONLY");
    bool run_a = !only || strchr(only, 'a'), run_b = !only || strchr(only, 'b'),
         run_c = !only || strchr(only, 'c');

    /* (c) first: it also warms the page cache for the same disk */
    buf_addf(&db, "%s/bare.db", argv[2]);
    remove_db(db.ptr);
    double w0 = now_s(), c0 = cpu_s();
    if (run_c && bare(db.ptr, it, f, nf, false))
        return 1;
    double w_bare = now_s() - w0, c_bare = cpu_s() - c0;
    remove_db(db.ptr);
    w0 = now_s(), c0 = cpu_s();
    if (run_c && bare(db.ptr, it, f, nf, true))
        return 1;
    double w_bare2 = now_s() - w0, c_bare2 = cpu_s() - c0;
    remove_db(db.ptr);

    buf_reset(&db);
    buf_addf(&db, "%s/store-only.db", argv[2]);
    remove_db(db.ptr);
    w0 = now_s(), c0 = cpu_s();
    if (run_b && store_only(db.ptr, f, nf))
        return 1;
    double w_store = now_s() - w0, c_store = cpu_s() - c0;
    remove_db(db.ptr);
    if (!run_a) {
        if (run_b)
            report("(b) achim parse+dedup+store+FTS5 (no stats, no facts)", n, w_store, c_store);
        if (run_c) {
            report("(c) bare SQLite: same rows from memory, INSERT + FTS5", n, w_bare, c_bare);
            report("(c2) bare SQLite, a feed's rows indexed after them", n, w_bare2, c_bare2);
        }
        return 0;
    }

    buf_reset(&db);
    buf_addf(&db, "%s/achim.db", argv[2]);
    remove_db(db.ptr);
    struct store *st = NULL;
    if (app_store_open(db.ptr, &st, &e) != ACHIM_OK) {
        fprintf(stderr, "bench: %s\n", e.msg);
        return 1;
    }
    int nfailed = 0;
    w0 = now_s(), c0 = cpu_s();
    double t0 = thread_cpu_s();
    enum achim_code rc = full_ingest(st, g, f, nf, &nfailed, &e);
    double w_full = now_s() - w0, c_full = cpu_s() - c0, t_full = thread_cpu_s() - t0;
    int64_t stored = store_query_int(st, "SELECT count(*) FROM articles", -1);
    int64_t ents = store_query_int(st, "SELECT count(*) FROM article_entities", -1);
    /* closing counts, as (c)'s sqlite3_close() does: the last checkpoint of
     * the WAL into the database is part of the ingest */
    w0 = now_s(), c0 = cpu_s(), t0 = thread_cpu_s();
    store_close(st);
    w_full += now_s() - w0, c_full += cpu_s() - c0, t_full += thread_cpu_s() - t0;
    if (rc != ACHIM_OK || nfailed) {
        fprintf(stderr, "bench: ingest: %s (%d files failed)\n", e.msg, nfailed);
        return 1;
    }

    printf("items/s over %zu items (higher is better):\n", n);
    report("(a) achim ingest: read+parse+dedup+store+FTS5+stats+facts", n, w_full, c_full);
    printf("  %-58s %7.2f s CPU on the storing thread (the rest on its helpers)\n", "", t_full);
    if (run_b)
        report("(b) achim parse+dedup+store+FTS5 (no stats, no facts)", n, w_store, c_store);
    if (run_c) {
        report("(c) bare SQLite: same rows from memory, INSERT + FTS5", n, w_bare, c_bare);
        report("(c2) bare SQLite, a feed's rows indexed after them", n, w_bare2, c_bare2);
    }
    if (!run_b || !run_c)
        return 0; /* the ratios need all three */
    double ratio = w_full / w_bare;
    printf("  achim ingest / bare SQLite: %.2fx wall, %.2fx CPU (goal within 1.5x: %s); "
           "without stats and facts %.2fx wall, %.2fx CPU\n",
           ratio, c_full / c_bare, ratio <= 1.5 ? "met" : "NOT met", w_store / w_bare,
           c_store / c_bare);
    printf("  against (c2), the bare program indexing as achim does: (a) %.2fx wall, %.2fx CPU; "
           "(b) %.2fx wall, %.2fx CPU\n",
           w_full / w_bare2, c_full / c_bare2, w_store / w_bare2, c_store / c_bare2);

    app_store_open(db.ptr, &st, &e);
    store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
    int64_t total = store_query_int(st, "SELECT sum(pgsize) FROM dbstat", -1);
    int64_t stats = store_termstats_bytes(st);
    int64_t rows = store_query_int(st, "SELECT count(*) FROM term_cells", -1);
    int64_t cells = store_query_int(st, "SELECT sum(achim_cells_count(cells)) FROM term_cells", -1);
    int64_t terms = store_query_int(st, "SELECT count(*) FROM term_dict", -1);
    store_close(st);
    printf("  store: %lld articles, %lld entity rows; %.1f MB, of which term statistics %.1f MB "
           "(%lld terms, %lld cells in %lld day x term rows): overhead +%.0f%% over the %.1f MB "
           "without them\n",
           (long long)stored, (long long)ents, total / 1e6, stats / 1e6, (long long)terms,
           (long long)cells, (long long)rows, 100.0 * (double)stats / (double)(total - stats),
           (total - stats) / 1e6);
    if (!getenv("BENCH_INGEST_KEEP"))
        remove_db(db.ptr);
    for (size_t i = 0; i < nf; i++) {
        unlink(f[i].path);
        free(f[i].path);
    }
    rmdir(dir.ptr);
    for (size_t i = 0; i < n; i++) {
        free(it[i].id);
        free(it[i].title);
        free(it[i].text);
        free(it[i].source);
    }
    free(it);
    free(f);
    gazetteer_free(g);
    buf_release(&dir);
    buf_release(&db);
    buf_release(&gp);
    return 0;
}
