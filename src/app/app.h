/* SPDX-License-Identifier: MIT */
/* app.h: achim's use cases — ingest, search and brief — shared by the CLI
 * and the web server. The app layer owns the order of steps and the
 * transactions; it never prints, exits or reads the environment: front ends
 * pass everything in (paths, clock, options) and render what comes back. */
#ifndef ACHIM_APP_H
#define ACHIM_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "corpus/corpus.h"
#include "model/model.h"
#include "store/store.h"

/* ---- the store ---------------------------------------------------------- */

/* Open (create, migrate) the store at path with achim's search tokenizer
 * registered as STORE_FTS_TOKENIZER: the text module's tokenizer with
 * app_search_text_flags() (src/app/open.c). Every command and the web server
 * open the store this way; store_open() alone is refused, since the index
 * cannot be read or written without its tokenizer. */
enum achim_code app_store_open(const char *path, struct store **out, struct err *err);

/* The identity app_store_open() gives that tokenizer (store_tokenizer.
 * identity): "achim/TEXTVER.SEARCHVER/TEXTFP/PARTSFP", versions bumped by
 * hand and fingerprints of its output on built-in probe texts computed on
 * first use, so the index is rebuilt when its output changes. */
const char *app_search_tokenizer_identity(void);
/* A new instance of that tokenizer, as app_store_open() registers it, for
 * recording search tokens on another thread (store_fts_tokens_record);
 * free with out->destroy(out->ctx). */
void app_search_tokenizer_new(struct store_tokenizer *out);

/* The text.h flags search tokenizes with: what analysis uses (TEXT_ANALYZE)
 * plus TEXT_UNACCENT, so "Zurich" finds "Zürich" as the unicode61 tokenizer
 * did before. */
unsigned app_search_text_flags(void);

/* ---- ingest ------------------------------------------------------------- */

#define APP_MAX_FEED_BYTES (64u << 20) /* a local feed file larger than this is refused */

struct app_ingest_result {
    const char *path;         /* the file, as given or found in a folder */
    const char *feed_title;   /* NULL when the file could not be parsed */
    const char *format;       /* "rss", "atom", "json", ... */
    const char *version;      /* "rss20", "atom10", ... or NULL */
    struct ingest_counts counts;
    bool bozo;                /* parsed, but something was wrong */
    const char *bozo_message;
    enum achim_code rc;       /* ACHIM_OK, or why nothing was stored */
    const char *error;        /* message when rc != ACHIM_OK */
};

/* Called once per file, after the file is stored (or refused). */
typedef void (*app_ingest_fn)(void *ctx, const struct app_ingest_result *r);

/* Ingest files and folders (a folder's regular files, sorted by name, not
 * recursing into hidden files). Each file is parsed and stored in one
 * transaction of its own, so a broken file never leaves partial rows.
 * *nfailed receives the number of files that stored nothing because of an
 * error. Returns ACHIM_OK unless the store itself failed, or a path does not
 * exist (ACHIM_EIO, reported for that path through fn as well). */
enum achim_code app_ingest_paths(struct store *st, const struct gazetteer *g,
                                 const char *const *paths, size_t npaths,
                                 int64_t now, app_ingest_fn fn, void *ctx, int *nfailed,
                                 struct err *err);

/* ---- brief ------------------------------------------------------------- */

struct app_brief_opts {
    int64_t date;             /* midnight UTC of the briefing day */
    const char *lang;         /* "en" or "ko" */
    int morning_hour;         /* the window ends at this UTC hour of date (default 6) */
    const char *terms_path;   /* focus term list (data/focus-terms.tsv) */
    size_t max_bullets;       /* per block, default 5 */
    /* preferences (docs/config.md); comma-separated, NULL for none */
    const char *mute_terms;   /* an article whose title or text has one is left out */
    const char *mute_sources; /* outlets (by name, case-insensitive) left out */
    const char *watchlist;    /* names whose coverage the implications report */
    const struct gazetteer *gazetteer; /* when set, entities and figures of articles not yet
                                          processed are extracted first (app_facts_sync) */
};

void app_brief_opts_default(struct app_brief_opts *o);

/* Build the briefing for o->date from the articles of the 24 hours before the
 * morning hour (steps: docs/ARCHITECTURE.md, "The brief"). It writes to the
 * store too: facts of unprocessed articles (with o->gazetteer) and the day's
 * stories with their persistent ids (app_story_save). out must be
 * briefing_init()ed; release with briefing_release (also on failure). */
enum achim_code app_brief_build(struct store *st, const struct app_brief_opts *o,
                                struct briefing *out, struct err *err);

/* ---- trends (src/app/trends.c) ------------------------------------------ *
 *
 * Term frequencies over periods and outlets from the store's term
 * statistics (see docs/trends.md). Terms are counted as analysed words
 * (folded, stemmed: "agents" counts with "agent"), two-word phrases and,
 * once extracted, entities. */

/* Count the articles queued for term statistics (see store.h) with the
 * analyzer trends use. Safe to call at any time; queries call it first.
 * With a gazetteer g (NULL: none) the entities each article mentions are
 * counted too (STORE_TERM_ENTITY, keyed by the folded canonical name), which
 * is what `trends --entities` reads. */
enum achim_code app_termstats_sync(struct store *st, const struct gazetteer *g, struct err *err);

/* store_feed_ingest(), the term statistics of what it wrote and, with a
 * gazetteer g (NULL: none), each new or changed article's entities and
 * figures (app_facts_sync), in one transaction. Same contract as
 * store_feed_ingest(). */
enum achim_code app_feed_ingest(struct store *st, const struct gazetteer *g, int64_t source_id,
                                int64_t run_id,
                                const struct feed_doc *doc, int64_t now,
                                struct ingest_counts *counts, struct err *err);

/* app_feed_ingest(), but the term statistics are counted only when at least
 * APP_STATS_BATCH articles wait in the queue (then all of them, in this
 * transaction): counting a few thousand articles at once writes each page
 * of the statistics once instead of once per feed. With batch_facts the
 * entities and figures wait too and are extracted at the same moments.
 * Queries drain what waits before they read; bulk callers call
 * app_termstats_sync() (and, with batch_facts, app_facts_sync()) at their
 * end. */
#define APP_STATS_BATCH 8000
enum achim_code app_feed_ingest_batched(struct store *st, const struct gazetteer *g,
                                        int64_t source_id, int64_t run_id,
                                        const struct feed_doc *doc, int64_t now, bool batch_facts,
                                        struct ingest_counts *counts, struct err *err);

/* ---- analysis ahead of the drains (src/app/ingest.c) ---------------------- *
 *
 * A bulk ingest's term statistics and facts are counted and extracted in
 * batches (app_feed_ingest_batched); the SQLite writes stay on the caller's
 * one connection and thread, but the analysis itself (tokenizing, entities,
 * figures) is pure. An app_prep runs it on a thread of its own for each
 * stored feed's articles while the caller parses and stores the next feeds,
 * and keeps the results keyed by the very text they came from; the drains
 * take a result only when the text they read from the store is byte for
 * byte the one analysed, and analyse anything else themselves. So what is
 * stored never depends on it, only how soon. Memory: the texts and results
 * of at most APP_PREP_MAX_BYTES (room for a batch of APP_STATS_BATCH
 * articles of up to 16 KB of text and results each; a synthetic article
 * takes about 2 KB); beyond that feeds are left to the drains. */
#define APP_PREP_MAX_BYTES ((size_t)128 << 20)
struct app_prep;
/* With g (NULL: no entities, no facts), as the drains will be called. NULL
 * when no thread could be started: callers then go without. */
struct app_prep *app_prep_new(const struct gazetteer *g);
void app_prep_free(struct app_prep *p); /* NULL is a no-op */
/* Queue the entries of doc for analysis (copies what it needs). */
void app_prep_submit(struct app_prep *p, const struct feed_doc *doc);
/* Wait until everything submitted is analysed. */
void app_prep_wait(struct app_prep *p);
/* Drop every result not taken (after a full drain nothing needs them). */
void app_prep_clear(struct app_prep *p);
/* Results the drains took, and asked for in vain (analysed themselves). */
void app_prep_counts(struct app_prep *p, size_t *taken, size_t *missed);
/* app_feed_ingest_batched() with prep (may be NULL): the feed's articles are
 * submitted once stored, and a drain takes the results. The drains come
 * once `batch` articles wait (0: APP_STATS_BATCH; tests use small ones). */
enum achim_code app_feed_ingest_prepared(struct store *st, const struct gazetteer *g,
                                         int64_t source_id, int64_t run_id,
                                         const struct feed_doc *doc, int64_t now, bool batch_facts,
                                         struct app_prep *prep, size_t batch,
                                         struct ingest_counts *counts, struct err *err);
/* app_termstats_sync() and app_facts_sync() taking prep's results (prep may
 * be NULL; it is ignored unless made with the same gazetteer). */
enum achim_code app_termstats_sync_prepared(struct store *st, const struct gazetteer *g,
                                            struct app_prep *prep, struct err *err);
enum achim_code app_facts_sync_prepared(struct store *st, const struct gazetteer *g,
                                        struct app_prep *prep, size_t *done, struct err *err);

/* Files read and parsed on a thread, in order, while the caller stores the
 * ones before: at most APP_AHEAD_DEPTH parsed documents wait, and the
 * thread, asleep on a full ring, is woken when half of it is taken (so it
 * sleeps and wakes once per four documents, not once per document). Nor
 * does it parse ahead while the waiting documents' files reach
 * APP_AHEAD_BYTES: eight large feeds (each up to APP_MAX_FEED_BYTES) would
 * otherwise be held at once. paths
 * and urls (the document address of each, NULL or a NULL entry:
 * file://REALPATH, as `achim ingest` names a file) are borrowed until
 * app_ahead_free(). */
#define APP_AHEAD_DEPTH 8
#define APP_AHEAD_BYTES (32u << 20)
struct app_ahead;
struct app_buffer;
struct app_ahead *app_ahead_new(const char *const *paths, const char *const *urls, size_t n);
void app_ahead_free(struct app_ahead *a); /* NULL is a no-op */
/* Store the next file: app_ingest_buffer() with in (its data, len, url and
 * label replaced by the file's), or, when the file could not be read, its
 * error reported through fn and returned. */
enum achim_code app_ahead_ingest_next(struct app_ahead *a, struct store *st,
                                      const struct app_buffer *in, int64_t run_id, int64_t now,
                                      app_ingest_fn fn, void *ctx, struct ingest_counts *counts,
                                      struct err *err);

struct text_analyzer;
/* For app_prep (internal to src/app). One article's term occurrences, as
 * the statistics' analyzer emits them, recorded for replay. */
struct app_term_tape {
    unsigned char *p;
    size_t len, cap;
};
/* Record the analyzer's emissions for title and body (either may be NULL)
 * with the analyzer ta (one per thread) into tape (appended). */
void app_terms_record(struct text_analyzer *ta, const struct gazetteer *g, const char *title,
                      const char *body, struct app_term_tape *tape);
/* One article's entities and figures, as app_facts_sync() stores them. */
struct app_facts {
    struct store_entity *ents; /* name and kind point into the gazetteer */
    size_t nents;
    struct store_figure *figs; /* unit and text owned */
    size_t nfigs;
};
/* The text facts are extracted from: title, summary and content (NULL as
 * empty), a line each, replacing out's contents. app_prep keys its results
 * by this text, so both it and app_facts_sync() build it here. */
void app_facts_text(struct buf *out, const char *title, const char *summary, const char *content);
void app_facts_extract(const struct gazetteer *g, const char *text, struct app_facts *out);
void app_facts_release(struct app_facts *f);
/* The result for exactly this text, removed from p (the caller releases
 * it); false when there is none, or p was made with another gazetteer than
 * g. title/body NULL count as empty. */
bool app_prep_take_terms(struct app_prep *p, const struct gazetteer *g, const char *title,
                         const char *body, struct app_term_tape *out);
bool app_prep_take_facts(struct app_prep *p, const struct gazetteer *g, const char *text,
                         struct app_facts *out);

struct app_trends_opts {
    const char *const *terms; /* terms or phrases as typed; NULL/0 with emerging */
    size_t nterms;
    bool entities;            /* count entity names instead of words and phrases */
    int by;                   /* enum trend_period (corpus.h) */
    const char *const *outlets; /* outlet names to keep (case-insensitive); NULL = all */
    size_t noutlets;
    int64_t from, to;         /* days [from, to) since the epoch; 0 = the store's range */
    size_t baseline;          /* trailing periods in the baseline (default 4) */
    double alpha;             /* burst significance level (default 0.001) */
    bool emerging;            /* rank terms by the significance of their growth */
    size_t limit;             /* emerging rows (default 20) */
    size_t min_count;         /* emerging: articles in the window (default 3) */
    bool context;             /* compute co-occurring terms per period */
    const struct gazetteer *gazetteer; /* entities of articles still queued (NULL: none) */
    size_t context_k;         /* co-occurring terms kept per period (default 10) */
};
void app_trends_opts_default(struct app_trends_opts *o);

struct app_trend_context {
    struct trend_weight *top; /* best first; term strings owned */
    size_t ntop;
    size_t docs;              /* articles that used the term */
    double jaccard, cosine;   /* against the previous period; NAN for the first */
};

struct app_trend_series {
    char *term;   /* as typed */
    char *key;    /* as counted (analysed) */
    int kind;     /* enum store_term_kind */
    int64_t *x;   /* per period: articles using it, all kept outlets */
    int64_t *xo;  /* per outlet x period: [o * nperiods + p] */
    struct trend_test *test; /* per period, against the trailing baseline */
    bool *burst;  /* per period */
    double *growth; /* per period: against the previous period, NAN if none */
    int64_t *first_by_outlet; /* earliest article per outlet in range, 0 = none */
    int64_t first_seen;       /* earliest ever (store-wide) */
    int64_t first_source;
    struct app_trend_context *ctx; /* per period when opts.context, else NULL */
};

struct app_trend_row { /* one --emerging row */
    char *term;
    int kind;
    int64_t x, n, xb, nb; /* window and baseline counts */
    struct trend_test test;
    bool burst;           /* significant after Bonferroni over ntested */
    bool is_new;          /* first seen inside the window */
    int64_t first_seen, first_source;
};

struct app_trends {
    int by;
    int64_t from, to;      /* days covered */
    size_t nperiods;
    int64_t *period_start; /* days */
    char (*period_label)[16];
    int64_t *docs;         /* per period, kept outlets */
    size_t noutlets;
    int64_t *outlet_id;
    char **outlet_name;
    int64_t *docs_o;       /* per outlet x period */
    struct app_trend_series *series;
    size_t nseries;
    struct app_trend_row *rows; /* emerging, most significant first */
    size_t nrows, ntested;
    int64_t window_from, window_to, base_from, base_to; /* emerging, days */
    int64_t window_docs, base_docs; /* emerging: articles in each */
};

/* Build trends; out is overwritten, release with app_trends_release().
 * ACHIM_EINVAL for an empty term or unknown outlet. */
enum achim_code app_trends_build(struct store *st, const struct app_trends_opts *o,
                                 struct app_trends *out, struct err *err);
void app_trends_release(struct app_trends *t);

/* Share of voice: outlet o's part of all articles using series s in
 * period p (0..1; NAN when nobody used it). */
double app_trend_share(const struct app_trends *t, size_t s, size_t o, size_t p);

struct app_momentum {
    int64_t recent, recent_docs; /* articles using the term, articles: 7 days to `day` */
    int64_t base, base_docs;     /* the 28 days before those */
    double growth;               /* rate vs baseline rate - 1; NAN without baseline */
    struct trend_test test;
};

/* The one call for implication lines: how `term` moved in the 7 days up to
 * and including `day` (days since the epoch) against the 4 weeks before. */
enum achim_code app_trend_momentum(struct store *st, const char *term, int64_t day,
                                   struct app_momentum *out, struct err *err);

/* ---- fetch, sources and run (fetch.c, sources.c, run.c) ----------------- *
 *
 * Fetching connects three modules that do not know each other: fetch/
 * brings bytes, feed/ parses them, store/ keeps them. Fetched bodies take
 * the same path as local files (app_ingest_buffer), so a feed is parsed and
 * stored identically whichever way it arrived. */

#include "fetch/fetch.h"

/* One feed document in memory, for app_ingest_buffer(). */
struct app_buffer {
    const char *data;
    size_t len;
    const char *url;          /* document address: base for links, source key */
    const char *content_type; /* HTTP Content-Type (charset), NULL for files */
    const char *label;        /* reported as app_ingest_result.path */
    int64_t source_id;        /* 0: find or create the source by url */
    const struct gazetteer *gazetteer; /* entities and figures to extract (NULL: none) */
    const char *source_url;   /* with source_id: its stored feed URL, so that a
                                 missing name and site are filled from the feed */
    bool batch_stats;         /* count term statistics once APP_STATS_BATCH articles
                                 wait, not per document (faster in bulk); the caller
                                 must call app_termstats_sync() before it returns */
    bool batch_facts;         /* with batch_stats: extract entities and figures with
                                 the statistics' batches, not per document; the
                                 caller must also call app_facts_sync() */
    struct app_prep *prep;    /* with batch_stats: analysis ahead of the drains
                                 (NULL: none); the caller drains with the
                                 _prepared syncs */
};

/* Parse one document and store its entries in one transaction; fn (may be
 * NULL) is called with the outcome before this returns. Returns the outcome's
 * code: ACHIM_EPARSE when the bytes are not a feed (nothing stored),
 * ACHIM_EDB/ACHIM_EBUSY when the store failed. counts (may be NULL) receives
 * what was stored. */
enum achim_code app_ingest_buffer(struct store *st, const struct app_buffer *in, int64_t run_id,
                                  int64_t now, app_ingest_fn fn, void *ctx,
                                  struct ingest_counts *counts, struct err *err);

struct app_fetch_opts {
    struct fetch_opts net;  /* transfer limits (fetch_opts_default) */
    int64_t source_id;      /* only this source (ignores its back-off); 0: all due */
    bool force;             /* ignore back-off and Retry-After */
    bool fulltext;          /* fetch article pages of full-text sources */
    size_t fulltext_max;    /* pages per run, default 100 */
    int64_t backoff_base;   /* seconds after the first failure, default 900 */
    int64_t backoff_max;    /* cap of the doubling back-off, default 86400 */
    const struct gazetteer *gazetteer; /* entities and figures at ingest (NULL: none) */
};

void app_fetch_opts_default(struct app_fetch_opts *o);

/* What happened to one source (or, with page set, one article page). Strings
 * are borrowed for the duration of the callback. result is one of "ok",
 * "not-modified", "http", "gone" (410: source disabled), "too-big", "io",
 * "parse", "store", "invalid". */
struct app_fetch_event {
    int64_t source_id;
    const char *name;
    const char *url;
    const char *result;
    enum achim_code rc;
    int status;
    const char *error;
    int64_t bytes; /* wire bytes */
    long ms;
    struct ingest_counts counts;
    const char *moved_to;  /* the source's new address after a permanent redirect */
    int64_t next_fetch;    /* when the source may be fetched again, 0: any time */
    bool page;             /* a full-text article page, not a feed */
    size_t done, total;    /* progress within this phase */
};
typedef void (*app_fetch_fn)(void *ctx, const struct app_fetch_event *ev);

struct app_fetch_summary {
    size_t sources;      /* fetched this run */
    size_t skipped;      /* enabled, but waiting out a back-off */
    size_t ok, not_modified, failed;
    int added, updated;
    int64_t bytes;
    long ms;
    size_t pages, pages_ok; /* full-text pages */
    int64_t run_id;
};

/* Fetch every enabled source that is due (or o->source_id), ingest what
 * changed, record each attempt in the fetch log and the source's state
 * (validators, fail count, back-off, a permanent move, 410 disabling), then
 * fetch article pages of full-text sources. fn (may be NULL) hears each
 * source as it finishes. Returns ACHIM_OK when the work could be attempted
 * (failures of single sources are counted in *sum, never returned);
 * ACHIM_ENOTFOUND for an unknown o->source_id; store errors otherwise. */
enum achim_code app_fetch(struct store *st, const struct app_fetch_opts *o, int64_t now,
                          app_fetch_fn fn, void *ctx, struct app_fetch_summary *sum,
                          struct err *err);

/* ---- sources ----------------------------------------------------------- */

struct app_source_add {
    const char *url;
    const char *name;  /* NULL: the feed's title */
    double weight;     /* <= 0: 1.0 */
    bool fulltext;
    bool no_check;     /* store as given, without fetching it */
};

/* Add a source. Unless a->no_check, the URL is fetched first: a feed is
 * added as is; an HTML page is searched for <link rel="alternate"> feeds and
 * the first that parses is added instead (*feed_url tells which; caller
 * frees). ACHIM_ENOTFOUND when the page names no usable feed, ACHIM_EHTTP /
 * ACHIM_EIO when it cannot be fetched. *id (OUT) is the source's id. */
enum achim_code app_source_add(struct store *st, const struct app_source_add *a,
                               const struct fetch_opts *net, int64_t now, int64_t *id,
                               char **feed_url, struct err *err);

/* Import an OPML document: every outline becomes a source (existing ones,
 * matched by feed URL, get the list's weight and full-text flag). *added and
 * *existing (OUT) count them. ACHIM_EPARSE when it is not OPML. */
enum achim_code app_sources_import(struct store *st, const char *data, size_t len, int64_t now,
                                   int *added, int *existing, struct err *err);

/* All sources as an OPML 2.0 document appended to out. */
enum achim_code app_sources_export(struct store *st, int64_t now, struct buf *out,
                                   struct err *err);

/* ---- run --------------------------------------------------------------- */

/* Delivery hook: called with the rendered briefing once it is written. The
 * e-mail delivery plugs in here. Returns ACHIM_OK or a failure that makes
 * the run partial. */
typedef enum achim_code (*app_deliver_fn)(void *ctx, const struct briefing *b, const char *text,
                                          size_t len, struct err *err);

struct app_run_opts {
    const char *lock_path;        /* flock()ed for the whole run; required */
    struct app_fetch_opts fetch;
    bool no_fetch;                /* brief from what is stored */
    struct app_brief_opts brief;
    const char *format;           /* "md" (default) or "json" */
    const char *out_dir;          /* brief-YYYY-MM-DD.<lang>.<md|json> is written here */
    app_deliver_fn deliver;       /* NULL: none */
    void *deliver_ctx;
    app_fetch_fn on_fetch;        /* progress (may be NULL) */
    void *on_fetch_ctx;
};

struct app_run_summary {
    struct app_fetch_summary fetch;
    bool fetched, briefed, written, delivered;
    enum achim_code fetch_rc, brief_rc, deliver_rc;
    char fetch_error[512], brief_error[512], deliver_error[512];
    char *out_path;               /* the brief file; caller frees */
    size_t bullets;
};

/* fetch -> ingest -> brief -> write -> deliver, under an exclusive lock.
 * ACHIM_EBUSY (nothing done) when another run holds the lock. Otherwise each
 * step's outcome is in *sum and the return is ACHIM_OK when the brief was
 * written, else the first failure. Release sum with app_run_summary_release. */
enum achim_code app_run(struct store *st, const struct app_run_opts *o, int64_t now,
                        struct app_run_summary *sum, struct err *err);
void app_run_summary_release(struct app_run_summary *sum);

/* ---- analysis (analyze.c) ----------------------------------------------- */

/* Days before a window whose articles warm up the clustering vocabulary. */
#define APP_IDF_HISTORY_DAYS 7

/* What the week before says about a story of the window. */
struct app_story_info {
    size_t earlier;     /* articles of the APP_IDF_HISTORY_DAYS days before in the same story */
    int64_t first_seen; /* time of the story's first report, earlier ones included */
    int64_t last_earlier; /* id of its latest article of the days before, 0 = none */
};

/* Group arts[idx[0..n)] (idx NULL: arts[0..n)), in time order, into
 * stories with the streaming engine (corpus.h, cluster_engine). The
 * articles of the APP_IDF_HISTORY_DAYS days before window_from go through
 * the engine first (st may be NULL: no history), so a story of the window
 * can continue earlier coverage. assign[k] receives the story of the k-th
 * article, numbered in order of first appearance in the window; *nstories
 * their count; *info (OUT, may be NULL; free()) one app_story_info per
 * story. Store errors are returned; nothing else fails. */
enum achim_code app_story_group(struct store *st, const struct article *arts, const size_t *idx,
                                size_t n, int64_t window_from, size_t *assign, size_t *nstories,
                                struct app_story_info **info, struct err *err);

/* Ranking (docs/ranking.md). Breadth of independent coverage leads, as on
 * Techmeme and Google News: each outlet is worth APP_RANK_OUTLET points
 * times its authority (source weight, 1.0 by default), so one more outlet
 * outweighs every other signal together (at most 3 + 1 + 2 + 2 = 8 points,
 * plus the user's watchlist, which is the user's own override). The rest
 * orders equally covered stories: focus strength, freshness, how new the
 * story is against the week before, how sharply its coverage rose, and
 * names the user follows. */
#define APP_RANK_OUTLET 10.0
#define APP_RANK_FOCUS 3.0       /* x ln(1 + focus score) / ln(1 + FULL), capped at 3 */
#define APP_RANK_FOCUS_FULL 64.0 /* a focus score this high earns the whole focus part */
#define APP_RANK_RECENCY 1.0 /* x exp(-hours since the latest article / 24) */
#define APP_RANK_NOVELTY 2.0 /* x share of the story's articles that are from today */
#define APP_RANK_BURST 2.0   /* x ln(1 + today / (1 + earlier daily rate)) / ln 11, capped */
#define APP_RANK_WATCH 3.0   /* per watchlist name the story mentions */

enum app_story_state {
    APP_STORY_NEW,        /* no coverage in the week before */
    APP_STORY_DEVELOPING, /* earlier coverage, and at least as much today */
    APP_STORY_CONTINUED,  /* earlier coverage outweighs today's */
};
const char *app_story_state_name(enum app_story_state s);

struct app_rank_in {
    int outlets;
    double authority;  /* sum of the distinct outlets' weights */
    double focus;      /* focus score of the story's area (0 if none) */
    int64_t first_seen, last;
    size_t today, earlier; /* articles in the window, in the week before */
    int watched;           /* watchlist names mentioned */
    const char *watched_names; /* for the explanation, may be NULL */
};

struct app_rank {
    double breadth, focus, recency, novelty, burst, watch, total;
    enum app_story_state state;
};

void app_rank_story(const struct app_rank_in *in, int64_t window_to, struct app_rank *out);
/* The breakdown as "part: evidence -> points; ...; total T"; caller frees. */
char *app_rank_explain(const struct app_rank_in *in, const struct app_rank *r, int64_t window_to);

/* Persistent story ids (store.h, stories). A story of day `day` made of
 * article_ids[0..n) takes the id its articles (or, through last_earlier,
 * the coverage it continues) were given on an earlier brief, else a new
 * one; its state, title and outlets are recorded for that day and its
 * articles linked to it. *id (OUT) receives the id. Call inside a
 * transaction when saving a day's stories. */
enum achim_code app_story_save(struct store *st, int64_t day, const int64_t *article_ids, size_t n,
                               int64_t last_earlier, const char *title,
                               enum app_story_state state, int outlets, int64_t *id,
                               struct err *err);

/* Extract entities (gazetteer g) and figures from every article not yet
 * processed and store them per article (store.h, facts), in batches of 500
 * per transaction (inside a caller's transaction: in that one). *done (OUT, may be NULL) counts the articles processed. */
enum achim_code app_facts_sync(struct store *st, const struct gazetteer *g, size_t *done,
                               struct err *err);

#endif
