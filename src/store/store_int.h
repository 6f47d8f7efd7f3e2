/* SPDX-License-Identifier: MIT */
/* store_int.h: what the files of src/store share, and the hooks its unit
 * tests use. Other modules include only store/store.h.
 *
 * SQLite handles appear here as struct tags so that this header, like
 * store.h, does not need <sqlite3.h>; the .c files include it themselves. */
#ifndef ACHIM_STORE_INT_H
#define ACHIM_STORE_INT_H

#include <stdint.h>

#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

/* Statements of the per-article write path, prepared once per connection
 * (store_cached()) and finalized by store_close(): preparing them again for
 * every article cost more than running them. */
enum store_cached_id {
    STORE_C_ARTICLE_GET,
    STORE_C_ARTICLE_TEXT,
    STORE_C_FACT_ENTITY,
    STORE_C_FACT_FIGURE,
    STORE_C_FACT_DONE,
    STORE_C_FACT_CLEAR,
    STORE_C_FACT_TODO,
    STORE_C_INGEST_LOOKUP,
    STORE_C_INGEST_INSERT,
    STORE_C_INGEST_UPDATE,
    STORE_C_INGEST_RUN,
    STORE_C_INGEST_FTS,
    STORE_C_SOURCE_FIND,
    STORE_C_SOURCE_ENSURE,
    STORE_C_FACT_PENDING,
    STORE_C_TERMS_PENDING,
    STORE_C_COUNT
};

struct store {
    struct sqlite3 *db;
    char *path; /* as given to store_open(), for messages */
    struct sqlite3_stmt *cached[STORE_C_COUNT];
    char *fts_identity;  /* of the registered tokenizer, NULL if unknown */
    int64_t fts_rebuilt; /* articles re-indexed by this open, -1 if none */
    int fts_deferred;    /* what STORE_FN_FTS_DEFERRED() answers (articles.c) */
    /* search tokens recorded ahead, and where the next match is looked for
     * (store_fts_tokens_offer, tokenizer.c) */
    const struct store_fts_tokens *fts_offer;
    size_t fts_offer_next;
    int64_t fts_replayed;          /* texts whose recorded tokens were sent (for tests) */
    struct term_spare *term_spare; /* termstats.c: a batch's memory kept for the next */
};

/* SQL function of every store connection: 1 while store_feed_ingest() adds
 * the new articles to articles_fts itself, so the insert trigger (migration
 * 9) does not; 0 otherwise. */
#define STORE_FN_FTS_DEFERRED "achim_fts_deferred"

/* The cached statement `id` for sql (the same sql for an id every time),
 * prepared on first use, reset and unbound; NULL with *rc set on failure. */
struct sqlite3_stmt *store_cached(struct store *st, enum store_cached_id id, const char *sql,
                                  int *rc);
/* Finalize the cached statements (store_close() does). */
void store_cached_release(struct store *st);

/* Fill err with "database 'PATH': <fmt>: <sqlite message>" and return
 * ACHIM_EBUSY for lock timeouts, ACHIM_EDB otherwise. rc is the SQLite
 * result code of the failed call. */
enum achim_code store_fail(struct store *st, struct err *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Open the connection and set its pragmas, without migrating. */
enum achim_code store_open_raw(const char *path, struct store **out, struct err *err);
/* Make STORE_FTS_TOKENIZER available on the connection: register tok (owned,
 * destroyed on failure), or with tok NULL check that it is already known.
 * ACHIM_EINVAL naming the missing tokenizer otherwise (tokenizer.c). */
enum achim_code store_fts_tokenizer_attach(struct store *st, const struct store_tokenizer *tok,
                                           struct err *err);

/* Register the SQL functions of the packed term cells (achim_cells_pack,
 * _json, _add, _count; termstats.c) on the connection: migration 10 and the
 * view term_day call them. */
enum achim_code store_termstats_attach(struct store *st, struct err *err);

/* Make the recorded identity of articles_fts's tokenizer st->fts_identity,
 * rebuilding the index when it differs (see store_fts_rebuilt()). Call after
 * migrating; schema_before is the schema version before the migrations of
 * this open: below 7, migration 7 has just built the index with this
 * tokenizer (tokenizer.c). */
enum achim_code store_fts_identity_sync(struct store *st, int schema_before, struct err *err);

/* Apply migrations[v..n) to a database at version v, each in its own
 * BEGIN IMMEDIATE transaction that also sets user_version to its 1-based
 * position. A failing migration is rolled back and leaves user_version at the
 * last one that succeeded. ACHIM_ESCHEMA if the database is already past n. */
enum achim_code store_migrate(struct store *st, const char *const *migrations, int n,
                              struct err *err);

/* Run SQL (one or more statements) that returns no rows. */
enum achim_code store_exec(struct store *st, const char *sql, struct err *err);
/* First column of the first row of sql as an integer; `fallback` when the
 * statement fails or yields no row. For tests and simple pragmas. */
int64_t store_query_int(struct store *st, const char *sql, int64_t fallback);
/* Same, as a new string (free()) or NULL. */
char *store_query_text(struct store *st, const char *sql);

/* The article columns every query selects, from `articles a JOIN sources s`,
 * in the order store_article_read() expects. */
#define STORE_ARTICLE_COLUMNS                                                                      \
    "a.id, a.source_id, s.name, a.guid, a.url, a.canonical_url, a.title, a.authors, "              \
    "a.summary, a.content, a.content_html, a.language, a.tags, a.published, a.updated, "           \
    "a.ingested"
#define STORE_ARTICLE_NCOLUMNS 16

/* Fill *a (overwritten) from columns [first, first + STORE_ARTICLE_NCOLUMNS). */
void store_article_read(struct sqlite3_stmt *stmt, int first, struct article *a);
/* Column i as a new string, NULL for SQL NULL. */
char *store_column_strdup(struct sqlite3_stmt *stmt, int i);

#endif
