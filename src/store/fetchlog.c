/* SPDX-License-Identifier: MIT */
/* fetchlog.c: managing sources, the fetch log, source health and full text.
 *
 * Tables are small (hundreds of sources, a few rows of log per source per
 * day), so statements are prepared per call, as in sources.c. The health
 * query is the only aggregate: it reads the last ten log rows per source
 * through the (source_id, started) index. */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"

static void bind_opt_text(sqlite3_stmt *stmt, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, i);
}

/* Run a one-row write statement on source id; ENOTFOUND when no row changed. */
static enum achim_code step_changed(struct store *st, sqlite3_stmt *stmt, int64_t id,
                                    const char *what, struct err *err)
{
    enum achim_code code = ACHIM_OK;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_CONSTRAINT)
        code = err_set(err, ACHIM_EINVAL, "database '%s': %s: another source has that url",
                       st->path, what);
    else if (rc != SQLITE_DONE)
        code = store_fail(st, err, rc, "%s", what);
    else if (sqlite3_changes(st->db) == 0)
        code =
            err_set(err, ACHIM_ENOTFOUND, "database '%s': no source %lld", st->path, (long long)id);
    sqlite3_finalize(stmt);
    return code;
}

enum achim_code store_source_find(struct store *st, const char *feed_url, int64_t *id,
                                  struct err *err)
{
    sqlite3_stmt *stmt;
    int rc =
        sqlite3_prepare_v2(st->db, "SELECT id FROM sources WHERE feed_url = ?1", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "find source");
    sqlite3_bind_text(stmt, 1, feed_url ? feed_url : "", -1, SQLITE_STATIC);
    enum achim_code code = ACHIM_OK;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(stmt, 0);
    else if (rc == SQLITE_DONE)
        code = err_set(err, ACHIM_ENOTFOUND, "database '%s': no source with url '%s'", st->path,
                       feed_url ? feed_url : "");
    else
        code = store_fail(st, err, rc, "find source");
    sqlite3_finalize(stmt);
    return code;
}

enum achim_code store_source_edit(struct store *st, int64_t id, const struct store_source_edit *e,
                                  struct err *err)
{
    static const char sql[] =
        "UPDATE sources SET "
        "moved_from = CASE WHEN ?2 IS NOT NULL AND ?2 <> feed_url THEN feed_url "
        "  ELSE moved_from END, "
        "feed_url = coalesce(?2, feed_url), name = coalesce(?3, name), "
        "weight = CASE WHEN ?4 >= 0 THEN ?4 ELSE weight END, "
        "fulltext = CASE WHEN ?5 >= 0 THEN ?5 ELSE fulltext END, "
        "enabled = CASE WHEN ?6 >= 0 THEN ?6 ELSE enabled END "
        "WHERE id = ?1";
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "edit source %lld", (long long)id);
    sqlite3_bind_int64(stmt, 1, id);
    bind_opt_text(stmt, 2, str_empty(e->feed_url) ? NULL : e->feed_url);
    bind_opt_text(stmt, 3, str_empty(e->name) ? NULL : e->name);
    sqlite3_bind_double(stmt, 4, e->weight);
    sqlite3_bind_int(stmt, 5, e->fulltext);
    sqlite3_bind_int(stmt, 6, e->enabled);
    return step_changed(st, stmt, id, "edit source", err);
}

enum achim_code store_source_remove(struct store *st, int64_t id, struct err *err)
{
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, "DELETE FROM sources WHERE id = ?1", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "remove source %lld", (long long)id);
    sqlite3_bind_int64(stmt, 1, id);
    return step_changed(st, stmt, id, "remove source", err);
}

enum achim_code store_source_schedule(struct store *st, int64_t id, int64_t next_fetch,
                                      struct err *err)
{
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(
        st->db, "UPDATE sources SET next_fetch = nullif(?2, 0) WHERE id = ?1", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "schedule source %lld", (long long)id);
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, next_fetch);
    return step_changed(st, stmt, id, "schedule source", err);
}

enum achim_code store_sources_due(struct store *st, int64_t now, int64_t **ids, size_t *n,
                                  struct err *err)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT id FROM sources WHERE enabled AND "
                                "(next_fetch IS NULL OR next_fetch <= ?1) ORDER BY id",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "list due sources");
    sqlite3_bind_int64(stmt, 1, now);
    int64_t *v = NULL;
    size_t len = 0, cap = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        XGROW(v, len + 1, cap);
        v[len++] = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        free(v);
        return store_fail(st, err, rc, "list due sources");
    }
    *ids = v;
    *n = len;
    return ACHIM_OK;
}

enum achim_code store_fetch_log_add(struct store *st, const struct store_fetch_entry *e,
                                    struct err *err)
{
    static const char sql[] =
        "INSERT INTO fetch_log (source_id, run_id, started, url, result, http_status, bytes, ms, "
        "error, added, updated) VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "log fetch of source %lld", (long long)e->source_id);
    sqlite3_bind_int64(stmt, 1, e->source_id);
    sqlite3_bind_int64(stmt, 2, e->run_id);
    sqlite3_bind_int64(stmt, 3, e->started);
    bind_opt_text(stmt, 4, e->url);
    sqlite3_bind_text(stmt, 5, e->result ? e->result : "ok", -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 6, e->http_status);
    sqlite3_bind_int64(stmt, 7, e->bytes);
    sqlite3_bind_int64(stmt, 8, e->ms);
    bind_opt_text(stmt, 9, e->error);
    sqlite3_bind_int(stmt, 10, e->added);
    sqlite3_bind_int(stmt, 11, e->updated);
    enum achim_code code = ACHIM_OK;
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE)
        code = store_fail(st, err, rc, "log fetch of source %lld", (long long)e->source_id);
    sqlite3_finalize(stmt);
    return code;
}

/* ---- health ---------------------------------------------------------------- */

enum achim_code store_sources_health(struct store *st, int64_t now, int silent_days, long slow_ms,
                                     struct store_source_health **out, size_t *n, struct err *err)
{
    static const char sql[] =
        "SELECT s.id, s.feed_url, s.name, s.moved_from, s.enabled, s.fail_count, "
        "  coalesce(s.last_status, 0), coalesce(s.last_fetch, 0), coalesce(s.next_fetch, 0), "
        "  (SELECT error FROM fetch_log f WHERE f.source_id = s.id ORDER BY started DESC, id DESC "
        "   LIMIT 1), "
        "  coalesce((SELECT max(started) FROM fetch_log f WHERE f.source_id = s.id "
        "   AND result IN ('ok', 'not-modified')), 0), "
        "  coalesce((SELECT max(ingested) FROM articles a WHERE a.source_id = s.id), 0), "
        "  (SELECT count(*) FROM articles a WHERE a.source_id = s.id), "
        "  coalesce((SELECT avg(ms) FROM (SELECT ms FROM fetch_log f WHERE f.source_id = s.id "
        "   ORDER BY started DESC, id DESC LIMIT 10)), 0), "
        "  (SELECT count(*) FROM fetch_log f WHERE f.source_id = s.id) "
        "FROM sources s ORDER BY s.id";
    *out = NULL;
    *n = 0;
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "source health");
    struct store_source_health *v = NULL;
    size_t len = 0, cap = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        XGROW(v, len + 1, cap);
        struct store_source_health *h = &v[len++];
        memset(h, 0, sizeof(*h));
        h->id = sqlite3_column_int64(stmt, 0);
        h->feed_url = store_column_strdup(stmt, 1);
        h->name = store_column_strdup(stmt, 2);
        h->moved_from = store_column_strdup(stmt, 3);
        h->enabled = sqlite3_column_int(stmt, 4) != 0;
        h->fail_count = sqlite3_column_int(stmt, 5);
        h->last_status = sqlite3_column_int(stmt, 6);
        h->last_fetch = sqlite3_column_int64(stmt, 7);
        h->next_fetch = sqlite3_column_int64(stmt, 8);
        h->last_error = store_column_strdup(stmt, 9);
        h->last_ok = sqlite3_column_int64(stmt, 10);
        h->last_new = sqlite3_column_int64(stmt, 11);
        h->articles = sqlite3_column_int64(stmt, 12);
        h->avg_ms = (long)sqlite3_column_double(stmt, 13);
        h->fetches = sqlite3_column_int(stmt, 14);
        if (h->fail_count > 0)
            h->flags |= STORE_HEALTH_FAILING;
        if (h->last_fetch && (h->last_new == 0 || now - h->last_new > (int64_t)silent_days * 86400))
            h->flags |= STORE_HEALTH_SILENT;
        if (h->moved_from)
            h->flags |= STORE_HEALTH_REDIRECTED;
        if (h->fetches && slow_ms > 0 && h->avg_ms > slow_ms)
            h->flags |= STORE_HEALTH_SLOW;
        if (!h->enabled)
            h->flags |= STORE_HEALTH_DISABLED;
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        store_health_free(v, len);
        return store_fail(st, err, rc, "source health");
    }
    *out = v;
    *n = len;
    return ACHIM_OK;
}

void store_health_free(struct store_source_health *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].feed_url);
        free(v[i].name);
        free(v[i].moved_from);
        free(v[i].last_error);
    }
    free(v);
}

/* ---- full text --------------------------------------------------------------- */

enum achim_code store_fulltext_pending(struct store *st, int64_t run_id, size_t limit,
                                       struct store_page **out, size_t *n, struct err *err)
{
    static const char sql[] =
        "SELECT a.id, a.url FROM articles a JOIN sources s ON s.id = a.source_id "
        "WHERE s.fulltext AND s.enabled AND coalesce(a.content, '') = '' "
        "AND a.url LIKE 'http%' AND (?1 = 0 OR a.run_id = ?1) "
        "ORDER BY a.sort_date DESC, a.id DESC LIMIT ?2";
    *out = NULL;
    *n = 0;
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "list pages for full text");
    sqlite3_bind_int64(stmt, 1, run_id);
    sqlite3_bind_int64(stmt, 2, limit ? (int64_t)limit : 100);
    struct store_page *v = NULL;
    size_t len = 0, cap = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        XGROW(v, len + 1, cap);
        v[len].article_id = sqlite3_column_int64(stmt, 0);
        v[len].url = store_column_strdup(stmt, 1);
        len++;
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        store_pages_free(v, len);
        return store_fail(st, err, rc, "list pages for full text");
    }
    *out = v;
    *n = len;
    return ACHIM_OK;
}

void store_pages_free(struct store_page *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].url);
    free(v);
}

enum achim_code store_article_set_fulltext(struct store *st, int64_t id, const char *text,
                                           const char *html, struct err *err)
{
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db,
                                "UPDATE articles SET content = ?2, "
                                "content_html = coalesce(?3, content_html) WHERE id = ?1",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "store full text of article %lld", (long long)id);
    sqlite3_bind_int64(stmt, 1, id);
    bind_opt_text(stmt, 2, text);
    bind_opt_text(stmt, 3, html);
    enum achim_code code = ACHIM_OK;
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE)
        code = store_fail(st, err, rc, "store full text of article %lld", (long long)id);
    else if (sqlite3_changes(st->db) == 0)
        code = err_set(err, ACHIM_ENOTFOUND, "database '%s': no article %lld", st->path,
                       (long long)id);
    sqlite3_finalize(stmt);
    return code;
}
