/* SPDX-License-Identifier: MIT */
/* sources.c: feed sources and their fetch state, and fetch/ingest runs.
 *
 * Small tables (tens to hundreds of sources, one run per command), so most
 * calls prepare their statement afresh; clarity beats caching here. The
 * exception is store_source_ensure(), called for every ingested feed. */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"

static void bind_text_or_null(sqlite3_stmt *stmt, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, i);
}

enum achim_code store_source_ensure(struct store *st, const char *feed_url, const char *name,
                                    const char *site_url, int64_t now, int64_t *id, struct err *err)
{
    /* Every ingested feed names its source, and it is almost always there
     * with its fields set: a read answers that without writing (a write
     * would cost a commit of its own). The upsert touches only missing
     * fields; RETURNING gives the id of the new or the existing row alike. */
    static const char find_sql[] =
        "SELECT id, name IS NULL, site_url IS NULL FROM sources WHERE feed_url = ?1";
    static const char sql[] =
        "INSERT INTO sources (feed_url, name, site_url, created) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (feed_url) DO UPDATE SET "
        "name = coalesce(sources.name, excluded.name), "
        "site_url = coalesce(sources.site_url, excluded.site_url) "
        "RETURNING id";
    if (str_empty(feed_url))
        return err_set(err, ACHIM_EINVAL, "database '%s': source without a feed url", st->path);
    int rc;
    sqlite3_stmt *find = store_cached(st, STORE_C_SOURCE_FIND, find_sql, &rc);
    if (!find)
        return store_fail(st, err, rc, "find source '%s'", feed_url);
    sqlite3_bind_text(find, 1, feed_url, -1, SQLITE_STATIC);
    rc = sqlite3_step(find);
    if (rc == SQLITE_ROW) {
        bool fills = (sqlite3_column_int(find, 1) && !str_empty(name)) ||
                     (sqlite3_column_int(find, 2) && !str_empty(site_url));
        *id = sqlite3_column_int64(find, 0);
        sqlite3_reset(find);
        if (!fills)
            return ACHIM_OK;
    } else {
        sqlite3_reset(find);
        if (rc != SQLITE_DONE)
            return store_fail(st, err, rc, "find source '%s'", feed_url);
    }
    sqlite3_stmt *stmt = store_cached(st, STORE_C_SOURCE_ENSURE, sql, &rc);
    if (!stmt)
        return store_fail(st, err, rc, "add source '%s'", feed_url);
    sqlite3_bind_text(stmt, 1, feed_url, -1, SQLITE_STATIC);
    bind_text_or_null(stmt, 2, str_empty(name) ? NULL : name);
    bind_text_or_null(stmt, 3, str_empty(site_url) ? NULL : site_url);
    sqlite3_bind_int64(stmt, 4, now);
    enum achim_code code = ACHIM_OK;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(stmt, 0);
        rc = sqlite3_step(stmt);
    }
    if (rc != SQLITE_DONE)
        code = store_fail(st, err, rc, "add source '%s'", feed_url);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return code;
}

#define SOURCE_COLUMNS                                                                             \
    "s.id, s.feed_url, s.name, s.site_url, s.weight, s.enabled, s.created, "                       \
    "(SELECT count(*) FROM articles a WHERE a.source_id = s.id), s.fulltext, s.etag, "             \
    "s.last_modified, s.last_fetch, s.last_status, s.fail_count"

static void source_read(sqlite3_stmt *stmt, struct store_source *s)
{
    memset(s, 0, sizeof(*s));
    s->id = sqlite3_column_int64(stmt, 0);
    s->feed_url = store_column_strdup(stmt, 1);
    s->name = store_column_strdup(stmt, 2);
    s->site_url = store_column_strdup(stmt, 3);
    s->weight = sqlite3_column_double(stmt, 4);
    s->enabled = sqlite3_column_int(stmt, 5) != 0;
    s->created = sqlite3_column_int64(stmt, 6);
    s->articles = sqlite3_column_int64(stmt, 7);
    s->fulltext = sqlite3_column_int(stmt, 8) != 0;
    s->etag = store_column_strdup(stmt, 9);
    s->last_modified = store_column_strdup(stmt, 10);
    s->last_fetch = sqlite3_column_int64(stmt, 11);
    s->last_status = sqlite3_column_int(stmt, 12);
    s->fail_count = sqlite3_column_int(stmt, 13);
}

enum achim_code store_sources_list(struct store *st, struct store_source **out, size_t *n,
                                   struct err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, "SELECT " SOURCE_COLUMNS " FROM sources s ORDER BY s.id",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "list sources");
    struct store_source *v = NULL;
    size_t len = 0, cap = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        XGROW(v, len + 1, cap);
        source_read(stmt, &v[len++]);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        store_sources_free(v, len);
        return store_fail(st, err, rc, "list sources");
    }
    *out = v;
    *n = len;
    return ACHIM_OK;
}

enum achim_code store_source_get(struct store *st, int64_t id, struct store_source *out,
                                 struct err *err)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, "SELECT " SOURCE_COLUMNS " FROM sources s WHERE s.id = ?",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "get source %lld", (long long)id);
    sqlite3_bind_int64(stmt, 1, id);
    enum achim_code code = ACHIM_OK;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        source_read(stmt, out);
    else if (rc == SQLITE_DONE)
        code =
            err_set(err, ACHIM_ENOTFOUND, "database '%s': no source %lld", st->path, (long long)id);
    else
        code = store_fail(st, err, rc, "get source %lld", (long long)id);
    sqlite3_finalize(stmt);
    return code;
}

void store_source_release(struct store_source *s)
{
    if (!s)
        return;
    free(s->feed_url);
    free(s->name);
    free(s->site_url);
    free(s->etag);
    free(s->last_modified);
    memset(s, 0, sizeof(*s));
}

void store_sources_free(struct store_source *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        store_source_release(&v[i]);
    free(v);
}

enum achim_code store_source_fetched(struct store *st, int64_t id, int64_t now, int status,
                                     const char *etag, const char *last_modified, struct err *err)
{
    static const char sql_ok[] =
        "UPDATE sources SET last_fetch = ?2, last_status = ?3, fail_count = 0, "
        "etag = CASE WHEN ?3 BETWEEN 200 AND 299 THEN ?4 ELSE etag END, "
        "last_modified = CASE WHEN ?3 BETWEEN 200 AND 299 THEN ?5 ELSE last_modified END "
        "WHERE id = ?1";
    static const char sql_fail[] = "UPDATE sources SET last_fetch = ?2, last_status = ?3, "
                                   "fail_count = fail_count + 1 WHERE id = ?1";
    bool ok = (status >= 200 && status <= 299) || status == 304;
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, ok ? sql_ok : sql_fail, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "record fetch of source %lld", (long long)id);
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, now);
    sqlite3_bind_int(stmt, 3, status);
    if (ok) {
        bind_text_or_null(stmt, 4, etag);
        bind_text_or_null(stmt, 5, last_modified);
    }
    enum achim_code code = ACHIM_OK;
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE)
        code = store_fail(st, err, rc, "record fetch of source %lld", (long long)id);
    else if (sqlite3_changes(st->db) == 0)
        code =
            err_set(err, ACHIM_ENOTFOUND, "database '%s': no source %lld", st->path, (long long)id);
    sqlite3_finalize(stmt);
    return code;
}

/* ---- runs ------------------------------------------------------------------ */

enum achim_code store_run_begin(struct store *st, const char *kind, int64_t now, int64_t *run_id,
                                struct err *err)
{
    if (str_empty(kind))
        return err_set(err, ACHIM_EINVAL, "database '%s': run without a kind", st->path);
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, "INSERT INTO runs (kind, started) VALUES (?1, ?2)", -1,
                                &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "start %s run", kind);
    sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, now);
    enum achim_code code = ACHIM_OK;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE)
        *run_id = sqlite3_last_insert_rowid(st->db);
    else
        code = store_fail(st, err, rc, "start %s run", kind);
    sqlite3_finalize(stmt);
    return code;
}

enum achim_code store_run_end(struct store *st, int64_t run_id, int64_t now, const char *status,
                              const char *message, struct err *err)
{
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db,
                                "UPDATE runs SET finished = ?2, status = ?3, message = ?4 "
                                "WHERE id = ?1",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "finish run %lld", (long long)run_id);
    sqlite3_bind_int64(stmt, 1, run_id);
    sqlite3_bind_int64(stmt, 2, now);
    sqlite3_bind_text(stmt, 3, str_empty(status) ? "ok" : status, -1, SQLITE_STATIC);
    bind_text_or_null(stmt, 4, message);
    enum achim_code code = ACHIM_OK;
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE)
        code = store_fail(st, err, rc, "finish run %lld", (long long)run_id);
    else if (sqlite3_changes(st->db) == 0)
        code = err_set(err, ACHIM_ENOTFOUND, "database '%s': no run %lld", st->path,
                       (long long)run_id);
    sqlite3_finalize(stmt);
    return code;
}
