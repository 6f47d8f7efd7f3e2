/* SPDX-License-Identifier: MIT */
/* store.h: persistence of sources, fetch runs and articles in SQLite, with
 * FTS5 full-text search.
 *
 * One struct store is one database connection; use it from one thread at a
 * time. store_open() creates the file if needed and brings its schema up to
 * date (ordered migrations, version kept in PRAGMA user_version); it refuses
 * a database written by a newer achim with ACHIM_ESCHEMA.
 *
 * Errors: functions return enum achim_code and describe the failure in the
 * caller's struct err (NULL allowed) as "database 'PATH': ...". Lock
 * contention that outlasts the 5 s busy timeout is ACHIM_EBUSY; every other
 * SQLite failure is ACHIM_EDB. Nothing here prints or exits.
 *
 * Ownership: results returned through non-const pointers belong to the
 * caller and are freed with the _free function named beside them. Times are
 * int64 seconds since the epoch, UTC, 0 when unknown. No SQLite type appears
 * in this header: callers never need <sqlite3.h>. */
#ifndef ACHIM_STORE_H
#define ACHIM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "model/model.h"

struct store;

/* ---- connection and schema ----------------------------------------------- */

/* Open or create the database at path (":memory:" for a private in-memory
 * one) and migrate it to the latest schema. Needs the search tokenizer: see
 * store_open_tokenized() (achim's front ends call app_store_open()). File databases use WAL
 * journalling. On success *out (OUT) must be closed with store_close().
 * Returns ACHIM_ESCHEMA for a database newer than this program, ACHIM_EBUSY
 * when another process holds the lock too long, ACHIM_EDB otherwise. */
enum achim_code store_open(const char *path, struct store **out, struct err *err);
void store_close(struct store *st); /* NULL is a no-op */
/* A store may move between threads but must be used by one at a time: its
 * connection is opened without SQLite's per-connection mutex.
 * store_library_init() makes SQLite's process-wide settings for achim (no
 * memory statistics, which cost a mutex per allocation). Opening a store
 * calls it; it only takes effect before SQLite's first use in the process,
 * so a program that also uses SQLite directly calls it first. */
void store_library_init(void);

/* The schema version of the open database (PRAGMA user_version). */
int store_schema_version(struct store *st);
/* The schema version this program writes: the number of migrations. */
int store_schema_latest(void);

/* Explicit write transaction (BEGIN IMMEDIATE). Store functions called inside
 * it join it; store_feed_ingest() then uses a savepoint so that its own
 * all-or-nothing guarantee still holds. store_rollback() is safe to call
 * when no transaction is open. */
enum achim_code store_begin(struct store *st, struct err *err);
enum achim_code store_commit(struct store *st, struct err *err);
void store_rollback(struct store *st);

/* ---- sources --------------------------------------------------------------- */

/* Find the source with this feed_url or create it (created = now). An existing
 * source keeps its name and site_url; missing ones are filled from the
 * arguments (NULL allowed). *id (OUT) is its id. ACHIM_EINVAL if feed_url is
 * empty. */
enum achim_code store_source_ensure(struct store *st, const char *feed_url, const char *name,
                                    const char *site_url, int64_t now, int64_t *id,
                                    struct err *err);

struct store_source {
    int64_t id;
    char *feed_url, *name, *site_url;
    double weight; /* ranking weight, 1.0 by default */
    bool enabled;
    int64_t created;
    int64_t articles; /* number of stored articles */
    /* Fetch state, for conditional GET and back-off. */
    bool fulltext;       /* fetch full article pages */
    char *etag;          /* last ETag, NULL if none */
    char *last_modified; /* last Last-Modified header, NULL if none */
    int64_t last_fetch;  /* time of the last attempt, 0 if never */
    int last_status;     /* HTTP status of the last attempt, 0 if none */
    int fail_count;      /* consecutive failures */
};

/* All sources ordered by id. *out (OUT, array of *n) is freed with
 * store_sources_free(); it is NULL when there are none. */
enum achim_code store_sources_list(struct store *st, struct store_source **out, size_t *n,
                                   struct err *err);
/* One source by id into *out (released with store_source_release()).
 * ACHIM_ENOTFOUND if there is none. */
enum achim_code store_source_get(struct store *st, int64_t id, struct store_source *out,
                                 struct err *err);
void store_source_release(struct store_source *s); /* frees fields; zeroes */
void store_sources_free(struct store_source *v, size_t n);

/* Record the outcome of a fetch attempt at `now`. status is the HTTP status
 * (0 for a transport failure). A 2xx or 304 resets fail_count, any other
 * status increments it; for a 2xx etag and last_modified replace the stored
 * validators (NULL clears them). ACHIM_ENOTFOUND if the source is unknown. */
enum achim_code store_source_fetched(struct store *st, int64_t id, int64_t now, int status,
                                     const char *etag, const char *last_modified, struct err *err);

/* ---- runs ------------------------------------------------------------------ */

/* Start a run of `kind` ("fetch", "ingest", ...) with status "running";
 * *run_id (OUT) is its id. Ingests that name the run add their counts to it. */
enum achim_code store_run_begin(struct store *st, const char *kind, int64_t now, int64_t *run_id,
                                struct err *err);
/* Finish a run with a status ("ok", "error", ...; NULL means "ok") and an
 * optional message.
 * ACHIM_ENOTFOUND if run_id is unknown. */
enum achim_code store_run_end(struct store *st, int64_t run_id, int64_t now, const char *status,
                              const char *message, struct err *err);

/* ---- articles -------------------------------------------------------------- */

struct ingest_counts {
    int added, updated, unchanged, skipped;
};

/* Store every entry of doc for source_id in ONE transaction (all or nothing;
 * a savepoint inside store_begin()). On failure nothing is written and
 * *counts is zeroed.
 *
 * Entry key = guid, else canonical_url, else url, else "title:"+title (blank
 * strings count as absent); entries with neither key nor title are skipped.
 * Same key + same content hash = unchanged; same key + different hash (of
 * title/summary/content/url/updated) = updated in place (ingested is kept).
 * When a key occurs more than once in doc the first entry wins and the later
 * ones are counted as skipped, so added + updated + unchanged + skipped ==
 * doc->nentries. `now` becomes ingested for new rows. run_id 0 = no run;
 * otherwise the run's counts are increased by this ingest's. counts may be
 * NULL. ACHIM_EINVAL if doc is NULL. */
enum achim_code store_feed_ingest(struct store *st, int64_t source_id, int64_t run_id,
                                  const struct feed_doc *doc, int64_t now,
                                  struct ingest_counts *counts, struct err *err);

/* store_feed_ingest() inside the caller's transaction (store_begin())
 * without a savepoint of its own: when it fails, the caller must roll the
 * whole transaction back. For a caller whose transaction holds just this
 * feed: in SQLite before 3.45 a savepoint makes FTS5 write its pending index
 * before every statement inside it, a fifth of an ingest's time. Outside a
 * transaction it is store_feed_ingest(). */
enum achim_code store_feed_ingest_joined(struct store *st, int64_t source_id, int64_t run_id,
                                         const struct feed_doc *doc, int64_t now,
                                         struct ingest_counts *counts, struct err *err);

/* One article by id, source_name filled, into *out (overwritten; release with
 * article_release()). ACHIM_ENOTFOUND if there is none. */
enum achim_code store_article_get(struct store *st, int64_t id, struct article *out,
                                  struct err *err);
/* store_article_get() of the title, summary and content only (the other
 * fields zero and NULL), for the facts drain. */
enum achim_code store_article_text(struct store *st, int64_t id, struct article *out,
                                   struct err *err);

/* Articles whose article_date() lies in [from, to), oldest first (ties by
 * id), source_name filled. *out (OUT, array of *n, NULL when empty) is freed
 * with store_articles_free(). */
enum achim_code store_articles_between(struct store *st, int64_t from, int64_t to,
                                       struct article **out, size_t *n, struct err *err);
void store_articles_free(struct article *v, size_t n); /* NULL is a no-op */

/* ---- search ---------------------------------------------------------------- */

struct store_hit {
    struct article article; /* source_name filled */
    double rank;            /* BM25 relevance, larger is better */
    char *snippet;          /* excerpt with matches between the markers */
};

/* Full-text search with FTS5 BM25 (column weights title 10, summary 4,
 * content 1), best first, at most `limit` hits (0 = no limit). The query uses
 * FTS5 syntax (words, "phrases", AND/OR/NOT, prefix*); a query FTS5 rejects is
 * retried as its words each quoted (bare AND/OR/NOT/NEAR and words without
 * letters or digits dropped), so typos never fail. Snippets mark
 * matches with "[" and "]". *hits (OUT, array of *n, NULL when none) is
 * freed with store_hits_free(). ACHIM_EINVAL for an empty query. */
enum achim_code store_search(struct store *st, const char *query, size_t limit,
                             struct store_hit **hits, size_t *n, struct err *err);
/* store_search() with caller-chosen snippet markers (e.g. "<mark>", "</mark>"). */
enum achim_code store_search_marked(struct store *st, const char *query, size_t limit,
                                    const char *open, const char *close, struct store_hit **hits,
                                    size_t *n, struct err *err);
void store_hits_free(struct store_hit *hits, size_t n); /* NULL is a no-op */

/* ---- tokenizers ------------------------------------------------------------ */

/* A tokenizer supplied by a higher module, wrapped as an FTS5 tokenizer.
 * tokenize() splits text[0..len) and calls sink once per token: tok/toklen is
 * the token as indexed (it need not be in text, e.g. after stemming) and
 * [start, end) its byte range in text, the original the index's user sees
 * (highlight() and snippet() cut it there). why is one of STORE_TOKENIZE_*,
 * with STORE_TOKENIZE_PREFIX added for a query phrase that ends in '*'. A
 * token whose tflags hold STORE_TOKEN_COLOCATED takes the position of the
 * token before it: a synonym. Queries should not send them (each would
 * widen the query); documents may, and must then send the same tokens
 * every time the same text is tokenized, since FTS5 removes a document by
 * tokenizing it again. A non-zero return from sink must stop tokenize(),
 * which then returns that value; tokenize() returns 0 on success. destroy
 * (may be NULL) is called with ctx when the store is closed; a new
 * registration under the same name takes over but does not end the old one. */
enum store_tokenize_why {
    STORE_TOKENIZE_DOCUMENT = 1, /* a text being indexed, or removed from the index */
    STORE_TOKENIZE_QUERY = 2,    /* a phrase of a MATCH expression */
    STORE_TOKENIZE_PREFIX = 4,   /* added to QUERY: the last token is a prefix */
    STORE_TOKENIZE_AUX = 8,      /* a stored text re-read by highlight() or snippet() */
};
#define STORE_TOKEN_COLOCATED 1
typedef int (*store_token_sink)(void *sink_ctx, int tflags, const char *tok, int toklen, int start,
                                int end);
struct store_tokenizer {
    void *ctx;
    int (*tokenize)(void *ctx, int why, const char *text, int len, void *sink_ctx,
                    store_token_sink sink);
    void (*destroy)(void *ctx);
    /* What the tokenizer produces, as a string that changes whenever its
     * output for documents may (a version plus a fingerprint of its output,
     * see app_store_open()); copied. NULL: unknown, never checked. */
    const char *identity;
};

/* Register tok under `name` on this connection, for FTS5 tables declared with
 * tokenize='name'. The registration lasts until store_close(); register again
 * after each store_open() before touching such a table. *tok is copied.
 * ACHIM_EINVAL if name is empty or tok->tokenize is NULL. */
enum achim_code store_register_tokenizer(struct store *st, const char *name,
                                         const struct store_tokenizer *tok, struct err *err);

/* Search tokens recorded ahead, on any thread, with a tokenizer of the
 * index's identity (tok->identity; NULL records nothing): what tok sends
 * for each of texts[0..n) (NULL or empty ones skipped). The texts are not
 * copied and must outlive the record. Offered to a store (NULL withdraws),
 * they are sent to FTS5 in place of tokenizing again whenever it indexes a
 * text that is byte for byte one of them, in the order recorded (what
 * store_feed_ingest() indexes for a document whose entries' title, summary
 * and content were recorded in that order); other texts are tokenized as
 * usual. An offer of another identity than the store's index is ignored.
 * Withdraw the offer before freeing the record or the texts. */
struct store_fts_tokens;
struct store_fts_tokens *store_fts_tokens_record(const struct store_tokenizer *tok,
                                                 const char *const *texts, size_t n);
void store_fts_tokens_free(struct store_fts_tokens *t); /* NULL is a no-op */
void store_fts_tokens_offer(struct store *st, const struct store_fts_tokens *t);

/* The tokenizer the search index articles_fts is declared with (since
 * migration 7). The store does not have it: the program supplies it through
 * store_open_tokenized() (achim's is the text module's, see app_store_open()),
 * so that search splits, folds and stems words the way analysis does. */
#define STORE_FTS_TOKENIZER "achim"

/* store_open() that first registers tok as STORE_FTS_TOKENIZER on the new
 * connection, before migrations or anything else touch the index. tok is
 * owned from here on: tok->destroy(tok->ctx) runs when the store closes, or
 * before this returns when it fails. tok NULL: the tokenizer must already be
 * known to the connection (e.g. an SQLite auto-extension), else the open is
 * refused with ACHIM_EINVAL and the database is left untouched; store_open()
 * is this with tok NULL. Searching or writing articles with a different
 * tokenizer than the one that built the index would corrupt it, hence the
 * refusal rather than a fallback. */
enum achim_code store_open_tokenized(const char *path, const struct store_tokenizer *tok,
                                     struct store **out, struct err *err);

/* The store records the identity of the tokenizer that built articles_fts
 * (table store_meta, key STORE_META_FTS_TOKENIZER). When store_open_tokenized()
 * is given a tok->identity that differs from the recorded one (or none is
 * recorded for an index built before it was kept), the index is rebuilt from
 * the articles in one transaction and the new identity recorded: an index
 * updated by a tokenizer other than the one that built it removes the wrong
 * tokens and silently rots. An index that migration 7 has just built in the
 * same open is recorded without a second rebuild.
 * store_fts_rebuilt() tells whether that happened on this open: the number
 * of articles re-indexed, or -1 if the index was kept (a front end may tell
 * the user; the store does not print). */
#define STORE_META_FTS_TOKENIZER "fts_tokenizer"
int64_t store_fts_rebuilt(const struct store *st);

/* ---- sources: management, fetch log, health and full text (fetchlog.c) ---- */

/* The id of the source with exactly this feed_url into *id (OUT).
 * ACHIM_ENOTFOUND if there is none. */
enum achim_code store_source_find(struct store *st, const char *feed_url, int64_t *id,
                                  struct err *err);

/* Fields to change in a source: NULL strings, negative weight and -1 flags
 * keep the current value. A new feed_url records the old one in moved_from
 * (a permanent redirect); ACHIM_EINVAL if another source already has it. */
struct store_source_edit {
    const char *feed_url;
    const char *name;
    double weight;
    int fulltext; /* 0, 1 or -1 */
    int enabled;  /* 0, 1 or -1 */
};
#define STORE_SOURCE_EDIT_INIT {NULL, NULL, -1.0, -1, -1}

/* Apply e to source id. ACHIM_ENOTFOUND if the source is unknown. */
enum achim_code store_source_edit(struct store *st, int64_t id, const struct store_source_edit *e,
                                  struct err *err);

/* Delete source id with its articles and fetch log. ACHIM_ENOTFOUND if
 * unknown. */
enum achim_code store_source_remove(struct store *st, int64_t id, struct err *err);

/* Set the earliest time of the next fetch of source id (0 = any time). */
enum achim_code store_source_schedule(struct store *st, int64_t id, int64_t next_fetch,
                                      struct err *err);

/* Ids of the enabled sources due at `now` (next_fetch unset or <= now),
 * ascending. *ids (OUT, array of *n, NULL when none) is freed with free(). */
enum achim_code store_sources_due(struct store *st, int64_t now, int64_t **ids, size_t *n,
                                  struct err *err);

/* One fetch attempt, as recorded in the fetch log. Strings are borrowed. */
struct store_fetch_entry {
    int64_t source_id;
    int64_t run_id;     /* 0: none */
    int64_t started;
    const char *url;    /* the address fetched (after redirects) */
    const char *result; /* "ok", "not-modified", "http", "too-big", "io", "parse", ... */
    int http_status;    /* 0 when no answer came */
    int64_t bytes;
    long ms;
    const char *error;  /* NULL on success */
    int added, updated;
};

/* Append e to the fetch log. */
enum achim_code store_fetch_log_add(struct store *st, const struct store_fetch_entry *e,
                                    struct err *err);

#define STORE_HEALTH_FAILING 1u    /* the last attempt failed */
#define STORE_HEALTH_SILENT 2u     /* no new article for silent_days */
#define STORE_HEALTH_REDIRECTED 4u /* moved by a permanent redirect */
#define STORE_HEALTH_SLOW 8u       /* mean fetch time of the last 10 over slow_ms */
#define STORE_HEALTH_DISABLED 16u  /* not fetched any more (e.g. HTTP 410) */

struct store_source_health {
    int64_t id;
    char *feed_url, *name, *moved_from, *last_error;
    bool enabled;
    int fail_count, last_status;
    int64_t last_fetch, last_ok, last_new, next_fetch; /* 0 when never */
    int64_t articles;
    long avg_ms;     /* mean of the last 10 attempts, 0 when none */
    int fetches;     /* attempts in the log */
    unsigned flags;  /* STORE_HEALTH_* */
};

/* Health of every source, ordered by id. A source is silent when its newest
 * article was ingested more than silent_days before `now` (or never, once it
 * has been fetched). *out (OUT, array of *n, NULL when none) is freed with
 * store_health_free(). */
enum achim_code store_sources_health(struct store *st, int64_t now, int silent_days, long slow_ms,
                                     struct store_source_health **out, size_t *n,
                                     struct err *err);
void store_health_free(struct store_source_health *v, size_t n);

/* An article page to fetch for full text. */
struct store_page {
    int64_t article_id;
    char *url;
};

/* Articles of enabled full-text sources that still have no content, newest
 * first, at most limit (0 = 100); run_id non-zero restricts them to that run.
 * *out (OUT, NULL when none) is freed with store_pages_free(). */
enum achim_code store_fulltext_pending(struct store *st, int64_t run_id, size_t limit,
                                       struct store_page **out, size_t *n, struct err *err);
void store_pages_free(struct store_page *v, size_t n);

/* Store the extracted text (and sanitised HTML) of an article page beside its
 * teaser. The entry's content hash is kept, so a later ingest of the same
 * unchanged feed entry does not count it as updated nor erase the text.
 * ACHIM_ENOTFOUND if the article is unknown. */
enum achim_code store_article_set_fulltext(struct store *st, int64_t id, const char *text,
                                           const char *html, struct err *err);

/* ---- maintenance ----------------------------------------------------------- */

struct store_stats {
    int64_t sources, articles, runs;
    int64_t oldest, newest; /* range of article dates, 0 when there are none */
};

enum achim_code store_stats(struct store *st, struct store_stats *out, struct err *err);

/* PRAGMA integrity_check, PRAGMA foreign_key_check and the FTS5 index check;
 * ACHIM_EDB naming the first problem found. */
enum achim_code store_check(struct store *st, struct err *err);

/* ---- term statistics (src/store/termstats.c) ------------------------------ *
 *
 * Per UTC day x outlet x term: occurrences (tf), articles using it (df) and
 * the earliest such article's date; per day x outlet: articles (the
 * denominator). Triggers queue every article insert, update and delete; the
 * counting itself needs a tokenizer from above the store, so the app hands
 * one in and store_termstats_sync() drains the queue (the ingest path calls
 * it inside each feed's transaction, bulk ingest every 2,000 articles;
 * queries call it first, so figures are never stale). A two-word phrase
 * used by one article so far is kept aside (not in the totals) until a
 * second article uses it; store_term_cells() still finds it. Days are int64
 * days since 1970-01-01 (time / 86400). */

enum store_term_kind {
    STORE_TERM_WORD = 1,   /* one analysed (folded, stemmed) word */
    STORE_TERM_PHRASE = 2, /* two adjacent analysed words, space-separated */
    STORE_TERM_ENTITY = 3, /* a named entity, as the extractor names it */
};

/* Receives one occurrence of a term (len bytes, need not be NUL-terminated).
 * A non-zero return stops the analysis. */
typedef int (*store_term_emit_fn)(void *emit_ctx, int kind, const char *term, size_t len);

/* The app's analyzer: call emit for every term occurrence in an article's
 * title and body (either may be NULL). Returns 0, or non-zero to fail. */
struct store_term_analyzer {
    void *ctx;
    int (*terms)(void *ctx, const char *title, const char *body, void *emit_ctx,
                 store_term_emit_fn emit);
};

/* Count every queued article version with an, in one transaction (a
 * savepoint inside store_begin()). *ndone (OUT, may be NULL) receives the
 * number of queue rows counted. */
enum achim_code store_termstats_sync(struct store *st, const struct store_term_analyzer *an,
                                     size_t *ndone, struct err *err);
/* Give back the memory store_termstats_sync() keeps for its next batch
 * (tens of megabytes after a large one): call once a bulk ingest or a
 * final count is done, so that a connection that stays open (achim run,
 * waiting for its delivery time) does not hold it. store_close() does it
 * too. */
void store_termstats_spare_free(struct store *st);
/* Number of article versions waiting to be counted. */
int64_t store_termstats_pending(struct store *st);
/* True while a transaction is open on the connection (store_begin()). */
bool store_in_transaction(struct store *st);

struct store_term_cell {
    int64_t day, source_id;
    int64_t tf, df;
    int64_t first; /* date of the earliest article counted in the cell */
};

/* The cells of one term (kind, analysed text) with day in [from_day,
 * to_day), by day then source. An unknown term gives no cells. *out (OUT,
 * array of *n, NULL when empty) is freed with free(). */
enum achim_code store_term_cells(struct store *st, int kind, const char *term, int64_t from_day,
                                 int64_t to_day, struct store_term_cell **out, size_t *n,
                                 struct err *err);
struct store_term_ref {
    int kind; /* enum store_term_kind */
    const char *term;
};
/* How store_terms_cells() reads: AUTO picks by estimated cost between one
 * seek per term and day and one scan of the range's rows; the others force
 * a plan (tests and benchmarks compare them). */
enum store_cells_plan { STORE_CELLS_AUTO, STORE_CELLS_SEEK, STORE_CELLS_SCAN };
/* store_term_cells() for n terms at once: out[i] (array of nout[i], freed
 * with free()) are the cells of terms[i]; out and nout have n entries. */
enum achim_code store_terms_cells(struct store *st, const struct store_term_ref *terms, size_t n,
                                  int64_t from_day, int64_t to_day, enum store_cells_plan plan,
                                  struct store_term_cell **out, size_t *nout, struct err *err);
/* Articles per day x source in [from_day, to_day), as cells with df = tf =
 * articles. Freed with free(). */
enum achim_code store_doc_cells(struct store *st, int64_t from_day, int64_t to_day,
                                struct store_term_cell **out, size_t *n, struct err *err);

struct store_term_total {
    int kind;
    char *term;
    int64_t df_a, df_b;     /* articles in window a, in window b */
    int64_t first_seen;     /* earliest article date ever counted */
    int64_t first_source;
};

/* Every term of a kind in kinds_mask (bit 1 << kind) used by at least
 * min_df articles in days [a_from, a_to), with its df there and in [b_from,
 * b_to). sources (n of them, NULL = all) restrict the outlets counted.
 * *out (OUT) is freed with store_term_totals_free(). */
enum achim_code store_term_totals(struct store *st, unsigned kinds_mask, int64_t a_from,
                                  int64_t a_to, int64_t b_from, int64_t b_to, int64_t min_df,
                                  const int64_t *sources, size_t nsources,
                                  struct store_term_total **out, size_t *n, struct err *err);
void store_term_totals_free(struct store_term_total *v, size_t n);

/* Called per article by store_term_articles(); non-zero stops the scan. */
typedef int (*store_article_text_fn)(void *ctx, int64_t source_id, int64_t date,
                                     const char *title, const char *body);
/* The articles dated in [from, to) that match the FTS5 query, oldest
 * first, at most limit (0 = all): their title and body as counted. */
enum achim_code store_term_articles(struct store *st, const char *fts_query, int64_t from,
                                    int64_t to, size_t limit, store_article_text_fn fn, void *ctx,
                                    struct err *err);

/* Bytes used by the term statistics tables and their indexes (dbstat), or
 * -1 when SQLite lacks dbstat. */
int64_t store_termstats_bytes(struct store *st);

/* ---- facts: entities and figures per article (facts.c) ------------------ *
 *
 * What the analysis found in each article, for the brief and a facts
 * table. The store keeps rows; src/app/analyze.c (app_facts_sync) finds them. */

struct store_entity {
    char *name;   /* canonical gazetteer name */
    char *kind;   /* "company", "lab", "agency", "org" */
    int mentions;
};

struct store_figure {
    char *kind;   /* "money", "power", "percent", "date" */
    double value; /* see corpus.h, struct figure */
    char *unit;
    char *text;   /* as written */
};

/* Ids of articles not processed yet (oldest id first, at most limit; 0 =
 * all). *ids (OUT, free()) is NULL when there are none. */
enum achim_code store_facts_pending(struct store *st, size_t limit, int64_t **ids, size_t *n,
                                    struct err *err);
/* Replace the article's entities and figures and mark it processed. Inside
 * store_begin() it joins the caller's transaction (batches) under a
 * savepoint: on failure this article's rows are undone and the caller's
 * transaction stays open with its other work; outside, it opens and
 * commits its own so the old facts never outlive the new ones. */
enum achim_code store_facts_put(struct store *st, int64_t article_id,
                                const struct store_entity *ents, size_t nents,
                                const struct store_figure *figs, size_t nfigs, struct err *err);
/* store_facts_put() for n articles under one savepoint (or one transaction
 * of its own): on failure all n are undone, and the caller's transaction
 * stays open with its other work. */
struct store_facts_row {
    int64_t article_id;
    const struct store_entity *ents;
    size_t nents;
    const struct store_figure *figs;
    size_t nfigs;
};
enum achim_code store_facts_put_batch(struct store *st, const struct store_facts_row *rows,
                                      size_t n, struct err *err);
/* The article's entities (most mentioned first) and figures (in text
 * order); free both with store_facts_free(). On failure both are NULL. */
enum achim_code store_facts_get(struct store *st, int64_t article_id, struct store_entity **ents,
                                size_t *nents, struct store_figure **figs, size_t *nfigs,
                                struct err *err);
void store_facts_free(struct store_entity *ents, size_t nents, struct store_figure *figs,
                      size_t nfigs);

/* ---- stories across days (stories.c) ------------------------------------ *
 *
 * A story keeps its id from day to day: the brief links each article to its
 * story, and a later day's story that contains (or continues) linked
 * articles takes the id they carry. Days are days since the epoch. */

struct store_story {
    int64_t id;
    int64_t first_day, last_day;
    char *state;  /* "new", "developing", "continued" */
    char *title;
    int articles, outlets; /* on last_day */
};

/* The story most of article_ids[0..n) are linked to on days before
 * before_day or on it (ties: the lower id); *id (OUT) is 0 when none is. */
enum achim_code store_story_find(struct store *st, const int64_t *article_ids, size_t n,
                                 int64_t before_day, int64_t *id, struct err *err);
/* Create (s->id 0: *id OUT receives the new id) or update story s for day
 * s->last_day (first_day kept for an existing story), and link
 * article_ids[0..n) to it, moving them from any other story. */
enum achim_code store_story_put(struct store *st, const struct store_story *s,
                                const int64_t *article_ids, size_t n, int64_t *id,
                                struct err *err);
/* Story id; ACHIM_ENOTFOUND when there is none. Release with store_story_release. */
enum achim_code store_story_get(struct store *st, int64_t id, struct store_story *out,
                                struct err *err);
void store_story_release(struct store_story *s);

#endif
