/* SPDX-License-Identifier: MIT */
/* articles.c: storing parsed feed documents and reading articles back.
 *
 * Ingest is the hot write path: every fetch stores a whole document (10 to
 * a few hundred entries), most of them already stored and unchanged. So each
 * entry costs one indexed lookup of (source_id, key) and a hash comparison;
 * only new or changed entries are written, which also keeps the FTS5 index
 * (maintained by triggers) from churning. New articles are indexed by this
 * file, after the feed's entries are stored, so that FTS5 writes one
 * segment per feed rather than one per article (migration 9). The
 * statements are prepared once per connection (store_cached).
 *
 * The content hash is 64-bit FNV-1a over the fields whose change makes an
 * entry "updated", each prefixed by its length so that moving text between
 * fields changes the hash. It detects edits, not adversaries. */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"

/* ---- keys and hashes ------------------------------------------------------- */

/* The dedup key of e as a new string, or NULL when it has none. */
static char *entry_key(const struct article *e)
{
    if (!str_empty(e->guid))
        return xstrdup(e->guid);
    if (!str_empty(e->canonical_url))
        return xstrdup(e->canonical_url);
    if (!str_empty(e->url))
        return xstrdup(e->url);
    if (!str_empty(e->title)) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "title:%s", e->title);
        return buf_take(&b);
    }
    return NULL;
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t hash_field(uint64_t h, const char *s)
{
    /* Length prefix, with UINT64_MAX for NULL so that NULL differs from "". */
    uint64_t len = s ? (uint64_t)strlen(s) : UINT64_MAX;
    h = fnv1a(h, &len, sizeof(len));
    return s ? fnv1a(h, s, (size_t)len) : h;
}

static void entry_hash(const struct article *e, char out[17])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = hash_field(h, e->title);
    h = hash_field(h, e->summary);
    h = hash_field(h, e->content);
    h = hash_field(h, e->url);
    int64_t updated = e->updated;
    h = fnv1a(h, &updated, sizeof(updated));
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* ---- duplicate keys within a document -------------------------------------- */

struct keyed {
    const char *key;
    size_t index;
};

static int keyed_cmp(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Set dup[i] for every entry whose key already occurred earlier in doc. */
static void mark_duplicates(char *const *keys, size_t n, bool *dup)
{
    struct keyed *k = xcalloc(n ? n : 1, sizeof(*k));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (keys[i])
            k[m++] = (struct keyed){keys[i], i};
    qsort(k, m, sizeof(*k), keyed_cmp);
    for (size_t i = 1; i < m; i++)
        if (strcmp(k[i - 1].key, k[i].key) == 0)
            dup[k[i].index] = true;
    free(k);
}

/* ---- ingest ---------------------------------------------------------------- */

enum stmt_id { S_LOOKUP, S_INSERT, S_UPDATE, S_RUN, S_FTS, S_COUNT };
_Static_assert(STORE_C_INGEST_FTS - STORE_C_INGEST_LOOKUP == S_FTS,
               "the cached ingest statements follow enum stmt_id");

static const char *const stmt_sql[S_COUNT] = {
    [S_LOOKUP] = "SELECT id, content_hash FROM articles WHERE source_id = ?1 AND key = ?2",
    [S_INSERT] = "INSERT INTO articles (source_id, key, guid, url, canonical_url, title, "
                 "authors, summary, content, content_html, language, tags, published, updated, "
                 "ingested, content_hash, run_id) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                 "?17)",
    [S_UPDATE] = "UPDATE articles SET guid = ?3, url = ?4, canonical_url = ?5, title = ?6, "
                 "authors = ?7, summary = ?8, content = ?9, content_html = ?10, "
                 "language = ?11, tags = ?12, published = ?13, updated = ?14, "
                 "content_hash = ?16, run_id = coalesce(?17, run_id) "
                 "WHERE id = ?18",
    [S_RUN] = "UPDATE runs SET added = added + ?2, updated = updated + ?3, "
              "unchanged = unchanged + ?4, skipped = skipped + ?5 WHERE id = ?1",
    /* what the insert trigger would do (migration 9) */
    [S_FTS] = "INSERT INTO articles_fts(rowid, title, summary, content) VALUES (?1, ?2, ?3, ?4)",
};

static int bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
    return s ? sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(stmt, i);
}

static int bind_time(sqlite3_stmt *stmt, int i, int64_t t)
{
    return t ? sqlite3_bind_int64(stmt, i, t) : sqlite3_bind_null(stmt, i);
}

/* Bind the parameters INSERT and UPDATE share (?1 to ?17). */
static int bind_entry(sqlite3_stmt *stmt, int64_t source_id, int64_t run_id, const char *key,
                      const struct article *e, int64_t now, const char *hash)
{
    int rc = sqlite3_bind_int64(stmt, 1, source_id);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 2, key);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 3, e->guid);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 4, e->url);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 5, e->canonical_url);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 6, e->title);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 7, e->authors);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 8, e->summary);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 9, e->content);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 10, e->content_html);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 11, e->language);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 12, e->tags);
    if (rc == SQLITE_OK)
        rc = bind_time(stmt, 13, e->published);
    if (rc == SQLITE_OK)
        rc = bind_time(stmt, 14, e->updated);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(stmt, 15, now);
    if (rc == SQLITE_OK)
        rc = bind_text(stmt, 16, hash);
    if (rc == SQLITE_OK)
        rc = bind_time(stmt, 17, run_id);
    return rc;
}

/* Run a bound write statement to completion and reset it. */
static int step_done(sqlite3_stmt *stmt)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Store one entry (not a duplicate, key known) and count the outcome; *added
 * receives the id of a new article (0 otherwise). */
static int ingest_one(sqlite3 *db, sqlite3_stmt **s, int64_t source_id, int64_t run_id,
                      const char *key, const struct article *e, int64_t now,
                      struct ingest_counts *c, int64_t *added)
{
    *added = 0;
    char hash[17];
    entry_hash(e, hash);

    sqlite3_stmt *q = s[S_LOOKUP];
    sqlite3_bind_int64(q, 1, source_id);
    sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    int64_t id = 0;
    bool same = false;
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(q, 0);
        const char *old = (const char *)sqlite3_column_text(q, 1);
        same = old && strcmp(old, hash) == 0;
        rc = SQLITE_DONE;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return rc;

    if (id && same) {
        c->unchanged++;
        return SQLITE_OK;
    }
    sqlite3_stmt *w = id ? s[S_UPDATE] : s[S_INSERT];
    rc = bind_entry(w, source_id, run_id, key, e, now, hash);
    if (rc == SQLITE_OK && id)
        rc = sqlite3_bind_int64(w, 18, id);
    if (rc != SQLITE_OK) {
        sqlite3_reset(w);
        sqlite3_clear_bindings(w);
        return rc;
    }
    rc = step_done(w);
    if (rc == SQLITE_OK) {
        if (id) {
            c->updated++;
        } else {
            c->added++;
            *added = sqlite3_last_insert_rowid(db);
        }
    }
    return rc;
}

/* Index the new articles in FTS5, as the insert trigger would have. */
static int index_added(sqlite3_stmt *fts, const struct feed_doc *doc, const size_t *which,
                       const int64_t *ids, size_t n)
{
    int rc = SQLITE_OK;
    for (size_t k = 0; k < n && rc == SQLITE_OK; k++) {
        const struct article *e = &doc->entries[which[k]];
        sqlite3_bind_int64(fts, 1, ids[k]);
        bind_text(fts, 2, e->title);
        bind_text(fts, 3, e->summary);
        bind_text(fts, 4, e->content);
        rc = step_done(fts);
    }
    return rc;
}

static enum achim_code feed_ingest(struct store *st, int64_t source_id, int64_t run_id,
                                   const struct feed_doc *doc, int64_t now, bool joined,
                                   struct ingest_counts *counts, struct err *err);

enum achim_code store_feed_ingest(struct store *st, int64_t source_id, int64_t run_id,
                                  const struct feed_doc *doc, int64_t now,
                                  struct ingest_counts *counts, struct err *err)
{
    return feed_ingest(st, source_id, run_id, doc, now, false, counts, err);
}

enum achim_code store_feed_ingest_joined(struct store *st, int64_t source_id, int64_t run_id,
                                         const struct feed_doc *doc, int64_t now,
                                         struct ingest_counts *counts, struct err *err)
{
    bool joined = !sqlite3_get_autocommit(st->db); /* else: store_feed_ingest() */
    return feed_ingest(st, source_id, run_id, doc, now, joined, counts, err);
}

static enum achim_code feed_ingest(struct store *st, int64_t source_id, int64_t run_id,
                                   const struct feed_doc *doc, int64_t now, bool joined,
                                   struct ingest_counts *counts, struct err *err)
{
    struct ingest_counts c = {0, 0, 0, 0};
    if (counts)
        *counts = c;
    if (!doc)
        return err_set(err, ACHIM_EINVAL, "database '%s': ingest without a document", st->path);

    size_t n = doc->nentries;
    char **keys = xcalloc(n ? n : 1, sizeof(*keys));
    bool *dup = xcalloc(n ? n : 1, sizeof(*dup));
    for (size_t i = 0; i < n; i++)
        keys[i] = entry_key(&doc->entries[i]);
    mark_duplicates(keys, n, dup);

    sqlite3_stmt *s[S_COUNT] = {NULL};
    enum achim_code code = ACHIM_OK;
    const char *what = "prepare";
    int rc = SQLITE_OK;

    /* Inside a caller's transaction a savepoint keeps this call atomic; on
     * its own it takes the write lock at once, so that no other writer can
     * slip in between our lookups and writes (and force SQLITE_BUSY late). */
    bool nested = !sqlite3_get_autocommit(st->db);
    if (!joined)
        rc =
            sqlite3_exec(st->db, nested ? "SAVEPOINT ingest" : "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        code = store_fail(st, err, rc, "ingest for source %lld: begin", (long long)source_id);
        goto out;
    }
    /* prepared once per connection: compiling the INSERT with its triggers
     * cost more than a small feed's inserts */
    for (int i = 0; i < S_COUNT && rc == SQLITE_OK; i++)
        s[i] =
            store_cached(st, (enum store_cached_id)(STORE_C_INGEST_LOOKUP + i), stmt_sql[i], &rc);

    /* New articles are indexed after the loop, all in one FTS5 segment
     * (see migration 9): the insert trigger stands aside meanwhile. */
    size_t *added_at = xcalloc(n ? n : 1, sizeof(*added_at));
    int64_t *added_id = xcalloc(n ? n : 1, sizeof(*added_id));
    size_t nadded = 0;
    size_t failed_at = 0;
    st->fts_deferred = 1;
    for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
        what = "entry";
        failed_at = i;
        if (!keys[i] || dup[i]) {
            c.skipped++;
        } else {
            rc = ingest_one(st->db, s, source_id, run_id, keys[i], &doc->entries[i], now, &c,
                            &added_id[nadded]);
            if (rc == SQLITE_OK && added_id[nadded])
                added_at[nadded++] = i;
        }
    }
    st->fts_deferred = 0;
    if (rc == SQLITE_OK) {
        what = "search index";
        rc = index_added(s[S_FTS], doc, added_at, added_id, nadded);
    }
    free(added_at);
    free(added_id);
    if (rc == SQLITE_OK && run_id) {
        what = "run counts";
        sqlite3_bind_int64(s[S_RUN], 1, run_id);
        sqlite3_bind_int(s[S_RUN], 2, c.added);
        sqlite3_bind_int(s[S_RUN], 3, c.updated);
        sqlite3_bind_int(s[S_RUN], 4, c.unchanged);
        sqlite3_bind_int(s[S_RUN], 5, c.skipped);
        rc = step_done(s[S_RUN]);
    }
    if (rc == SQLITE_OK) {
        what = "commit";
        if (!joined)
            rc = sqlite3_exec(st->db, nested ? "RELEASE ingest" : "COMMIT", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        if (strcmp(what, "entry") == 0)
            code = store_fail(st, err, rc, "ingest for source %lld: entry %zu",
                              (long long)source_id, failed_at + 1);
        else
            code =
                store_fail(st, err, rc, "ingest for source %lld: %s", (long long)source_id, what);
        if (joined)
            ; /* the caller rolls back */
        else if (nested)
            sqlite3_exec(st->db, "ROLLBACK TO ingest; RELEASE ingest", NULL, NULL, NULL);
        else if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        c = (struct ingest_counts){0, 0, 0, 0};
    }
out:
    for (int i = 0; i < S_COUNT; i++)
        if (s[i]) {
            sqlite3_reset(s[i]);
            sqlite3_clear_bindings(s[i]); /* the bound key and text are ours */
        }
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    free(dup);
    if (counts)
        *counts = c;
    return code;
}

/* ---- reading --------------------------------------------------------------- */

void store_articles_free(struct article *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        article_release(&v[i]);
    free(v);
}

/* The article with this id, read through the cached statement `which` of
 * sql: every column (store_article_read) or, text_only, title, summary and
 * content only. */
static enum achim_code article_by_id(struct store *st, int64_t id, enum store_cached_id which,
                                     const char *sql, bool text_only, struct article *out,
                                     struct err *err)
{
    memset(out, 0, sizeof(*out));
    int rc;
    sqlite3_stmt *stmt = store_cached(st, which, sql, &rc);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "get article %lld", (long long)id);
    sqlite3_bind_int64(stmt, 1, id);
    enum achim_code code = ACHIM_OK;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && !text_only) {
        store_article_read(stmt, 0, out);
    } else if (rc == SQLITE_ROW) {
        out->id = id;
        out->title = store_column_strdup(stmt, 0);
        out->summary = store_column_strdup(stmt, 1);
        out->content = store_column_strdup(stmt, 2);
    } else if (rc == SQLITE_DONE) {
        code = err_set(err, ACHIM_ENOTFOUND, "database '%s': no article %lld", st->path,
                       (long long)id);
    } else {
        code = store_fail(st, err, rc, "get article %lld", (long long)id);
    }
    sqlite3_reset(stmt);
    return code;
}

enum achim_code store_article_get(struct store *st, int64_t id, struct article *out,
                                  struct err *err)
{
    return article_by_id(st, id, STORE_C_ARTICLE_GET,
                         "SELECT " STORE_ARTICLE_COLUMNS " FROM articles a "
                         "JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
                         false, out, err);
}

enum achim_code store_article_text(struct store *st, int64_t id, struct article *out,
                                   struct err *err)
{
    return article_by_id(st, id, STORE_C_ARTICLE_TEXT,
                         "SELECT title, summary, content FROM articles WHERE id = ?1", true, out,
                         err);
}

enum achim_code store_articles_between(struct store *st, int64_t from, int64_t to,
                                       struct article **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT " STORE_ARTICLE_COLUMNS " FROM articles a "
                                "JOIN sources s ON s.id = a.source_id "
                                "WHERE a.sort_date >= ?1 AND a.sort_date < ?2 "
                                "ORDER BY a.sort_date, a.id",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "articles between");
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);
    struct article *v = NULL;
    size_t len = 0, cap = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        XGROW(v, len + 1, cap);
        store_article_read(stmt, 0, &v[len++]);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        store_articles_free(v, len);
        return store_fail(st, err, rc, "articles between");
    }
    *out = v;
    *n = len;
    return ACHIM_OK;
}
