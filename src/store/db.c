/* SPDX-License-Identifier: MIT */
/* db.c: the connection — opening with achim's pragmas, transactions, error
 * reporting, small query helpers, statistics and integrity checks.
 *
 * Expected use: the CLI opens one store per command, web workers one per
 * thread; writers are short ingest transactions, so WAL plus a 5 s busy
 * timeout lets readers and one writer proceed without "database is locked". */
#include "store/store_int.h"

#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define BUSY_TIMEOUT_MS 5000

enum achim_code store_fail(struct store *st, struct err *err, int rc, const char *fmt, ...)
{
    int primary = rc & 0xff;
    enum achim_code code =
        (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) ? ACHIM_EBUSY : ACHIM_EDB;
    if (err) {
        char what[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof(what), fmt, ap);
        va_end(ap);
        const char *why = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
        err_set(err, code, "database '%s': %s: %s", st ? st->path : "?", what, why);
    }
    return code;
}

/* The page cache of a connection to a file store, as PRAGMA cache_size
 * (negative: KiB). */
#define STORE_CACHE_KIB "-32768"

static bool is_memory_path(const char *path)
{
    return path[0] == '\0' || strcmp(path, ":memory:") == 0;
}

static void fts_deferred_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    const struct store *st = sqlite3_user_data(ctx);
    sqlite3_result_int(ctx, st->fts_deferred);
}

/* SQLite's memory statistics take a process-wide mutex around every
 * allocation, about a million per 5,000 stored articles, and achim reads
 * none of them (sqlite3_memory_used, soft heap limits). The setting only
 * takes before SQLite initializes; later it is refused, harmlessly. */
static void sqlite_config_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void store_library_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_config_once);
}

enum achim_code store_open_raw(const char *path, struct store **out, struct err *err)
{
    *out = NULL;
    if (!path)
        return err_set(err, ACHIM_EINVAL, "database path missing");
    store_library_init();
    struct store *st = xcalloc(1, sizeof(*st));
    st->path = xstrdup(path);
    st->fts_rebuilt = -1;

    /* NOMUTEX: a struct store is used by one thread at a time (the threads
     * of a bulk ingest parse and analyse, only the caller's thread touches
     * the store; web workers open their own), so the connection's mutex,
     * entered by every bind, step and column call, guards nothing. */
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(
        path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    st->db = db;
    if (rc != SQLITE_OK) {
        enum achim_code code = store_fail(st, err, rc, "cannot open");
        store_close(st);
        return code;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    /* not deterministic: its answer changes during the connection's life */
    rc = sqlite3_create_function(db, STORE_FN_FTS_DEFERRED, 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, st,
                                 fts_deferred_fn, NULL, NULL);
    if (rc != SQLITE_OK) {
        enum achim_code code = store_fail(st, err, rc, "cannot open");
        store_close(st);
        return code;
    }

    /* cache_size: the term statistics pass of a bulk ingest walks
     * term_dict, term_day and phrase_pending from end to end, and with
     * SQLite's default of 2 MiB the cache spilled dirty pages in the middle
     * of the transaction and read them back (strace of the ingest benchmark,
     * 20k articles: pread calls halved, pwrite calls down a tenth at 32 MiB;
     * 64 MiB was no faster in the same timing run). Pages are allocated only
     * as they are used.
     * journal_mode answers with the mode in force; a file system without
     * shared memory may keep "delete", which is slower but correct.
     * temp_store = MEMORY: statement journals (every multi-row statement
     * inside a transaction, e.g. the FTS5 triggers) otherwise go to temp
     * files, thousands of small pwrite() calls per ingest. */
    const char *pragmas = is_memory_path(path)
                              ? "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
                                "PRAGMA temp_store = MEMORY;"
                              : "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; "
                                "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; "
                                "PRAGMA cache_size = " STORE_CACHE_KIB ";";

    rc = sqlite3_exec(db, pragmas, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        enum achim_code code = store_fail(st, err, rc, "cannot open");
        store_close(st);
        return code;
    }
    *out = st;
    return ACHIM_OK;
}

struct sqlite3_stmt *store_cached(struct store *st, enum store_cached_id id, const char *sql,
                                  int *rc)
{
    sqlite3_stmt *s = st->cached[id];
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        *rc = SQLITE_OK;
        return s;
    }
    *rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
    if (*rc != SQLITE_OK) {
        sqlite3_finalize(s);
        return NULL;
    }
    st->cached[id] = s;
    return s;
}

void store_cached_release(struct store *st)
{
    for (int i = 0; i < STORE_C_COUNT; i++) {
        sqlite3_finalize(st->cached[i]);
        st->cached[i] = NULL;
    }
}

void store_close(struct store *st)
{
    if (!st)
        return;
    store_cached_release(st);
    store_termstats_spare_free(st);
    sqlite3_close_v2(st->db);
    free(st->path);
    free(st->fts_identity);
    free(st);
}

/* ---- transactions ---------------------------------------------------------- */

enum achim_code store_begin(struct store *st, struct err *err)
{
    int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    return rc == SQLITE_OK ? ACHIM_OK : store_fail(st, err, rc, "begin transaction");
}

enum achim_code store_commit(struct store *st, struct err *err)
{
    int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return rc == SQLITE_OK ? ACHIM_OK : store_fail(st, err, rc, "commit");
}

void store_rollback(struct store *st)
{
    if (st && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- helpers --------------------------------------------------------------- */

enum achim_code store_exec(struct store *st, const char *sql, struct err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return ACHIM_OK;
    enum achim_code code = store_fail(st, err, rc, "%s", msg ? msg : "exec");
    sqlite3_free(msg);
    return code;
}

int64_t store_query_int(struct store *st, const char *sql, int64_t fallback)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return fallback;
    int64_t v = fallback;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

char *store_query_text(struct store *st, const char *sql)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return NULL;
    char *v = NULL;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        v = store_column_strdup(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

char *store_column_strdup(sqlite3_stmt *stmt, int i)
{
    const unsigned char *s = sqlite3_column_text(stmt, i);
    if (!s)
        return NULL;
    return xstrndup((const char *)s, (size_t)sqlite3_column_bytes(stmt, i));
}

void store_article_read(sqlite3_stmt *stmt, int first, struct article *a)
{
    int i = first;
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(stmt, i++);
    a->source_id = sqlite3_column_int64(stmt, i++);
    a->source_name = store_column_strdup(stmt, i++);
    a->guid = store_column_strdup(stmt, i++);
    a->url = store_column_strdup(stmt, i++);
    a->canonical_url = store_column_strdup(stmt, i++);
    a->title = store_column_strdup(stmt, i++);
    a->authors = store_column_strdup(stmt, i++);
    a->summary = store_column_strdup(stmt, i++);
    a->content = store_column_strdup(stmt, i++);
    a->content_html = store_column_strdup(stmt, i++);
    a->language = store_column_strdup(stmt, i++);
    a->tags = store_column_strdup(stmt, i++);
    a->published = sqlite3_column_int64(stmt, i++); /* NULL reads as 0 */
    a->updated = sqlite3_column_int64(stmt, i++);
    a->ingested = sqlite3_column_int64(stmt, i++);
    assert(i - first == STORE_ARTICLE_NCOLUMNS); /* matches STORE_ARTICLE_COLUMNS */
}

/* ---- statistics and checks ------------------------------------------------- */

enum achim_code store_stats(struct store *st, struct store_stats *out, struct err *err)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM sources), "
                              "(SELECT count(*) FROM articles), (SELECT count(*) FROM runs), "
                              "(SELECT min(sort_date) FROM articles), "
                              "(SELECT max(sort_date) FROM articles)";
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "stats");
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(stmt);
        return store_fail(st, err, rc, "stats");
    }
    out->sources = sqlite3_column_int64(stmt, 0);
    out->articles = sqlite3_column_int64(stmt, 1);
    out->runs = sqlite3_column_int64(stmt, 2);
    out->oldest = sqlite3_column_int64(stmt, 3);
    out->newest = sqlite3_column_int64(stmt, 4);
    sqlite3_finalize(stmt);
    return ACHIM_OK;
}

enum achim_code store_check(struct store *st, struct err *err)
{
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "integrity check");
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(stmt);
        return store_fail(st, err, rc, "integrity check");
    }
    const char *res = (const char *)sqlite3_column_text(stmt, 0);
    if (!res || strcmp(res, "ok") != 0) {
        err_set(err, ACHIM_EDB, "database '%s': integrity check: %s", st->path,
                res ? res : "no answer");
        sqlite3_finalize(stmt);
        return ACHIM_EDB;
    }
    sqlite3_finalize(stmt);

    rc = sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "foreign key check");
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        err_set(err, ACHIM_EDB,
                "database '%s': foreign key check: row %lld of table '%s' refers to a "
                "missing row of '%s'",
                st->path, (long long)sqlite3_column_int64(stmt, 1),
                (const char *)sqlite3_column_text(stmt, 0),
                (const char *)sqlite3_column_text(stmt, 2));
        sqlite3_finalize(stmt);
        return ACHIM_EDB;
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return store_fail(st, err, rc, "foreign key check");

    /* rank = 1 makes FTS5 compare the index with its content table,
     * articles; without it only the index's own structure is checked. */
    rc = sqlite3_exec(st->db,
                      "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "full-text index check");
    return ACHIM_OK;
}
