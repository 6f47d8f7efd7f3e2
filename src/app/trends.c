/* SPDX-License-Identifier: MIT */
/* trends.c: term frequency, growth, bursts, first appearances, lead times
 * and context change across outlets and periods.
 *
 * The figures come from the store's per day x outlet x term statistics
 * (store/termstats.c), which this file also feeds: it supplies the analyzer
 * (text/ tokens: each analysed word, and each pair of words adjacent in the
 * source, as a phrase) and drains the store's queue inside each feed's
 * ingest transaction. A query over years therefore reads a few thousand
 * pre-aggregated rows per term instead of the articles.
 *
 * Two things are not pre-aggregated, because their cost would fall on every
 * ingest for the benefit of rare queries: phrases of three or more words and
 * the words around a term (context). Both scan only the articles that FTS5
 * finds for the term's words (prefix match on each stem), and every
 * candidate is re-tokenized and checked, so they count exactly what the
 * statistics would. */
#include "app/app.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "text/text.h"

#define DAY 86400
#define CONTEXT_MAX_DOCS 1000 /* articles read per term and period for context */
#define CONTEXT_CANDIDATES 50 /* co-occurring words weighed by idf per period */
#define MAX_KEY_TOKENS 8

/* ==== the analyzer ==== */

struct term_sink {
    void *emit_ctx;
    store_term_emit_fn emit;
    const char *src;
    char prev[TEXT_MAX_TOKEN_BYTES * 4];
    size_t prevlen, prev_end;
    bool have_prev;
    struct buf phrase;
    int rc;
};

/* Two tokens form a phrase when only blanks separate them in the source:
 * a dropped stopword or any punctuation in between breaks it. */
static bool adjacent(const char *src, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (src[i] != ' ' && src[i] != '\t')
            return false;
    return true;
}

static int sink_token(void *ctx, const struct text_token *tok)
{
    struct term_sink *s = ctx;
    if (tok->kind == TOK_NUMBER || tok->len == 0 || tok->len >= sizeof(s->prev)) {
        s->have_prev = false;
        return 0;
    }
    int rc = s->emit(s->emit_ctx, STORE_TERM_WORD, tok->text, tok->len);
    if (rc == 0 && s->have_prev && adjacent(s->src, s->prev_end, tok->start)) {
        buf_reset(&s->phrase);
        buf_add(&s->phrase, s->prev, s->prevlen);
        buf_addch(&s->phrase, ' ');
        buf_add(&s->phrase, tok->text, tok->len);
        rc = s->emit(s->emit_ctx, STORE_TERM_PHRASE, s->phrase.ptr, s->phrase.len);
    }
    memcpy(s->prev, tok->text, tok->len);
    s->prevlen = tok->len;
    s->prev_end = tok->end;
    s->have_prev = true;
    s->rc = rc;
    return rc;
}

struct analyzer_state {
    struct text_analyzer *ta;
    const struct gazetteer *g; /* NULL: no entities */
    struct app_prep *prep;     /* results analysed ahead (NULL: none) */
};

/* Each gazetteer entity mentioned in text, once per mention, keyed by its
 * folded canonical name (the key term_cells() looks up). */
static int emit_entities(const struct gazetteer *g, const char *text, void *emit_ctx,
                         store_term_emit_fn emit)
{
    if (!g || !text || !*text)
        return 0;
    struct entity_hit *hits = NULL;
    size_t nh = entity_extract(g, text, &hits);
    int rc = 0;
    for (size_t i = 0; i < nh && rc == 0; i++) {
        const char *name = gazetteer_name(g, hits[i].entity);
        char *key = str_squash_space(text_fold(name, strlen(name)));
        rc = emit(emit_ctx, STORE_TERM_ENTITY, key, strlen(key));
        free(key);
    }
    free(hits);
    return rc;
}

static int analyze_text(struct text_analyzer *ta, const char *text, void *emit_ctx,
                        store_term_emit_fn emit)
{
    if (!text || !*text)
        return 0;
    struct term_sink s = {.emit_ctx = emit_ctx, .emit = emit, .src = text};
    buf_init(&s.phrase, 0);
    int rc = text_analyzer_tokenize(ta, text, strlen(text), TEXT_ANALYZE, sink_token, &s);
    buf_release(&s.phrase);
    return rc;
}

static int analyze_article(struct text_analyzer *ta, const struct gazetteer *g, const char *title,
                           const char *body, void *emit_ctx, store_term_emit_fn emit)
{
    int rc = analyze_text(ta, title, emit_ctx, emit);
    if (rc == 0)
        rc = analyze_text(ta, body, emit_ctx, emit);
    if (rc == 0)
        rc = emit_entities(g, title, emit_ctx, emit);
    if (rc == 0)
        rc = emit_entities(g, body, emit_ctx, emit);
    return rc;
}

/* A tape: per occurrence its kind byte, its length (4 bytes, native
 * order) and its bytes, in the order the analyzer emitted them. */
static int tape_emit(void *ctx, int kind, const char *term, size_t len)
{
    struct app_term_tape *t = ctx;
    uint32_t n = (uint32_t)len;
    if (t->len + 5 + len > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + 5 + len)
            cap *= 2;
        t->p = xrealloc(t->p, cap);
        t->cap = cap;
    }
    t->p[t->len] = (unsigned char)kind;
    memcpy(t->p + t->len + 1, &n, 4);
    memcpy(t->p + t->len + 5, term, len);
    t->len += 5 + len;
    return 0;
}

void app_terms_record(struct text_analyzer *ta, const struct gazetteer *g, const char *title,
                      const char *body, struct app_term_tape *tape)
{
    analyze_article(ta, g, title, body, tape, tape_emit);
}

static int tape_replay(const struct app_term_tape *t, void *emit_ctx, store_term_emit_fn emit)
{
    int rc = 0;
    for (size_t i = 0; i < t->len && rc == 0;) {
        uint32_t n;
        memcpy(&n, t->p + i + 1, 4);
        rc = emit(emit_ctx, t->p[i], (const char *)t->p + i + 5, n);
        i += 5 + (size_t)n;
    }
    return rc;
}

static int analyzer_terms(void *ctx, const char *title, const char *body, void *emit_ctx,
                          store_term_emit_fn emit)
{
    struct analyzer_state *a = ctx;
    struct app_term_tape tape;
    if (a->prep && app_prep_take_terms(a->prep, a->g, title, body, &tape)) {
        int rc = tape_replay(&tape, emit_ctx, emit);
        free(tape.p);
        return rc;
    }
    return analyze_article(a->ta, a->g, title, body, emit_ctx, emit);
}

enum achim_code app_termstats_sync(struct store *st, const struct gazetteer *g, struct err *err)
{
    enum achim_code rc = app_termstats_sync_prepared(st, g, NULL, err);
    store_termstats_spare_free(st); /* a final count: nothing follows to reuse it */
    return rc;
}

enum achim_code app_termstats_sync_prepared(struct store *st, const struct gazetteer *g,
                                            struct app_prep *prep, struct err *err)
{
    struct analyzer_state a = {text_analyzer_new(), g, prep};
    struct store_term_analyzer an = {&a, analyzer_terms};
    enum achim_code rc = store_termstats_sync(st, &an, NULL, err);
    text_analyzer_free(a.ta);
    return rc;
}

/* One feed in one transaction (or the caller's): the articles, then their
 * term statistics and facts. batch_stats defers the counting until
 * APP_STATS_BATCH rows wait in term_queue; batch_facts defers the facts
 * (facts_todo) to the same moments, so a drain handles a few thousand
 * articles at once. Whatever waits is committed with its feed, so a kill
 * loses nothing: readers drain the queues before they read (trends count
 * term_queue, the brief and `explain` extract facts_todo). With prep the
 * stored feed's articles are analysed on its thread meanwhile, and a drain
 * first waits for it, then takes the results for the texts it reads
 * (ingest.c); the writes are the same, in the same order. */
static enum achim_code feed_ingest(struct store *st, const struct gazetteer *g, int64_t source_id,
                                   int64_t run_id, const struct feed_doc *doc, int64_t now,
                                   bool batch_stats, bool batch_facts, struct app_prep *prep,
                                   size_t batch, struct ingest_counts *counts, struct err *err)
{
    /* inside a caller's transaction both steps join it (savepoints) */
    bool own = !store_in_transaction(st);
    enum achim_code rc = own ? store_begin(st, err) : ACHIM_OK;
    struct ingest_counts c = {0, 0, 0, 0};
    /* our own transaction: no savepoint needed inside it (see store.h) */
    if (rc == ACHIM_OK)
        rc = (own ? store_feed_ingest_joined : store_feed_ingest)(st, source_id, run_id, doc, now,
                                                                  &c, err);
    /* what this feed added or changed is analysed on prep's thread while
     * the caller goes on with the next feeds */
    if (rc == ACHIM_OK && prep && c.added + c.updated > 0)
        app_prep_submit(prep, doc);
    int64_t wait = batch ? (int64_t)batch : APP_STATS_BATCH;
    bool drain = rc == ACHIM_OK && (!batch_stats || store_termstats_pending(st) >= wait);
    if (drain && prep)
        app_prep_wait(prep);
    if (drain)
        rc = app_termstats_sync_prepared(st, g, prep, err);
    if (rc == ACHIM_OK && g && (drain || !batch_facts))
        rc = app_facts_sync_prepared(st, g, prep, NULL, err);
    /* a full drain took what it needed: the rest (unchanged articles) is
     * never asked for */
    if (drain && prep)
        app_prep_clear(prep);
    if (rc == ACHIM_OK && own)
        rc = store_commit(st, err);
    if (rc != ACHIM_OK) {
        if (own)
            store_rollback(st);
        c = (struct ingest_counts){0, 0, 0, 0};
    }
    if (counts)
        *counts = c;
    return rc;
}

enum achim_code app_feed_ingest(struct store *st, const struct gazetteer *g, int64_t source_id,
                                int64_t run_id, const struct feed_doc *doc, int64_t now,
                                struct ingest_counts *counts, struct err *err)
{
    return feed_ingest(st, g, source_id, run_id, doc, now, false, false, NULL, 0, counts, err);
}

enum achim_code app_feed_ingest_batched(struct store *st, const struct gazetteer *g,
                                        int64_t source_id, int64_t run_id,
                                        const struct feed_doc *doc, int64_t now, bool batch_facts,
                                        struct ingest_counts *counts, struct err *err)
{
    return feed_ingest(st, g, source_id, run_id, doc, now, true, batch_facts, NULL, 0, counts, err);
}

enum achim_code app_feed_ingest_prepared(struct store *st, const struct gazetteer *g,
                                         int64_t source_id, int64_t run_id,
                                         const struct feed_doc *doc, int64_t now, bool batch_facts,
                                         struct app_prep *prep, size_t batch,
                                         struct ingest_counts *counts, struct err *err)
{
    return feed_ingest(st, g, source_id, run_id, doc, now, true, batch_facts, prep, batch, counts,
                       err);
}

/* ==== term keys ==== */

struct key_tokens {
    char *tok[MAX_KEY_TOKENS];
    size_t n;
    bool too_long;
};

static int collect_key(void *ctx, const struct text_token *tok)
{
    struct key_tokens *k = ctx;
    if (k->n == MAX_KEY_TOKENS) {
        k->too_long = true;
        return 1;
    }
    k->tok[k->n++] = xstrndup(tok->text, tok->len);
    return 0;
}

static void key_release(struct key_tokens *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->tok[i]);
    k->n = 0;
}

/* The analysed tokens of a typed term. */
static void key_of(const char *term, struct key_tokens *k)
{
    memset(k, 0, sizeof(*k));
    text_tokenize(term, strlen(term), TEXT_ANALYZE, collect_key, k);
}

static char *key_join(const struct key_tokens *k)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < k->n; i++)
        buf_addf(&b, "%s%s", i ? " " : "", k->tok[i]);
    return buf_take(&b);
}

/* FTS5 query finding every article that may hold the tokens: each stem as
 * a quoted prefix ("agent"* matches agents and agentic). */
static char *fts_query_of(const struct key_tokens *k)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < k->n; i++) {
        buf_addstr(&b, i ? " \"" : "\"");
        for (const char *p = k->tok[i]; *p; p++) {
            if (*p == '"')
                buf_addch(&b, '"');
            buf_addch(&b, *p);
        }
        buf_addstr(&b, "\"*");
    }
    return buf_take(&b);
}

/* ==== a small string -> count map (context words) ==== */

struct smap_entry {
    char *key;
    double v;
    int64_t stamp; /* the last document that counted it */
};
struct smap {
    struct smap_entry *e;
    size_t cap, n;
};

static struct smap_entry *smap_get(struct smap *m, const char *key, size_t len)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 256;
        struct smap_entry *ne = xcalloc(ncap, sizeof(*ne));
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].key) {
                size_t j = text_hash(m->e[i].key, strlen(m->e[i].key)) & (ncap - 1);
                while (ne[j].key)
                    j = (j + 1) & (ncap - 1);
                ne[j] = m->e[i];
            }
        free(m->e);
        m->e = ne;
        m->cap = ncap;
    }
    size_t j = text_hash(key, len) & (m->cap - 1);
    while (m->e[j].key) {
        if (strlen(m->e[j].key) == len && memcmp(m->e[j].key, key, len) == 0)
            return &m->e[j];
        j = (j + 1) & (m->cap - 1);
    }
    m->e[j].key = xstrndup(key, len);
    m->e[j].stamp = -1;
    m->n++;
    return &m->e[j];
}

static void smap_release(struct smap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->e[i].key);
    free(m->e);
    memset(m, 0, sizeof(*m));
}

/* ==== scanning candidate articles ==== */

struct doc_tokens {
    char **tok;
    size_t *start, *end;
    size_t n, cap;
    const char *src;
};

static int doc_collect(void *ctx, const struct text_token *tok)
{
    struct doc_tokens *d = ctx;
    if (d->n == d->cap) {
        size_t c = d->cap;
        XGROW(d->tok, d->n + 1, c);
        d->start = xreallocarray(d->start, c, sizeof(*d->start));
        d->end = xreallocarray(d->end, c, sizeof(*d->end));
        d->cap = c;
    }
    d->tok[d->n] = tok->kind == TOK_NUMBER ? NULL : xstrndup(tok->text, tok->len);
    d->start[d->n] = tok->start;
    d->end[d->n] = tok->end;
    d->n++;
    return 0;
}

static void doc_reset(struct doc_tokens *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->tok[i]);
    d->n = 0;
}

static void doc_release(struct doc_tokens *d)
{
    doc_reset(d);
    free(d->tok);
    free(d->start);
    free(d->end);
}

/* Occurrences of the key's token sequence, adjacent in the source. */
static int64_t doc_count_key(const struct doc_tokens *d, const struct key_tokens *k)
{
    int64_t hits = 0;
    for (size_t i = 0; i + k->n <= d->n; i++) {
        size_t j = 0;
        for (; j < k->n; j++) {
            if (!d->tok[i + j] || strcmp(d->tok[i + j], k->tok[j]) != 0)
                break;
            if (j && !adjacent(d->src, d->end[i + j - 1], d->start[i + j]))
                break;
        }
        if (j == k->n)
            hits++;
    }
    return hits;
}

struct scan {
    struct text_analyzer *ta;
    const struct key_tokens *key;
    struct doc_tokens title, body;
    /* long-phrase cells */
    struct store_term_cell *cells;
    size_t ncells, cap;
    /* context */
    struct smap *co;
    int64_t docs;
};

static void tokenize_into(struct scan *s, struct doc_tokens *d, const char *text)
{
    doc_reset(d);
    d->src = text ? text : "";
    if (text)
        text_analyzer_tokenize(s->ta, text, strlen(text), TEXT_ANALYZE, doc_collect, d);
}

static int64_t scan_article(struct scan *s, const char *title, const char *body)
{
    tokenize_into(s, &s->title, title);
    tokenize_into(s, &s->body, body);
    return doc_count_key(&s->title, s->key) + doc_count_key(&s->body, s->key);
}

static int scan_cells_fn(void *ctx, int64_t source_id, int64_t date, const char *title,
                         const char *body)
{
    struct scan *s = ctx;
    int64_t tf = scan_article(s, title, body);
    if (!tf)
        return 0;
    int64_t day = date >= 0 ? date / DAY : -((-date + DAY - 1) / DAY);
    struct store_term_cell *c = NULL;
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].day == day && s->cells[i].source_id == source_id)
            c = &s->cells[i];
    if (!c) {
        XGROW(s->cells, s->ncells + 1, s->cap);
        c = &s->cells[s->ncells++];
        *c = (struct store_term_cell){day, source_id, 0, 0, date};
    }
    c->tf += tf;
    c->df++;
    if (date < c->first)
        c->first = date;
    return 0;
}

static bool in_key(const struct key_tokens *k, const char *t)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->tok[i], t) == 0)
            return true;
    return false;
}

static void count_co(struct scan *s, const struct doc_tokens *d)
{
    for (size_t i = 0; i < d->n; i++) {
        if (!d->tok[i] || in_key(s->key, d->tok[i]) || strlen(d->tok[i]) < 2)
            continue;
        struct smap_entry *e = smap_get(s->co, d->tok[i], strlen(d->tok[i]));
        if (e->stamp != s->docs) { /* once per article: co-document counts */
            e->stamp = s->docs;
            e->v += 1;
        }
    }
}

static int scan_context_fn(void *ctx, int64_t source_id, int64_t date, const char *title,
                           const char *body)
{
    struct scan *s = ctx;
    if (!scan_article(s, title, body))
        return 0;
    count_co(s, &s->title);
    count_co(s, &s->body);
    s->docs++;
    return 0;
}

/* Cells of a phrase of three or more words, by scanning its FTS5 matches. */
static enum achim_code long_phrase_cells(struct store *st, const char *term, int64_t from_day,
                                         int64_t to_day, struct store_term_cell **out, size_t *n,
                                         struct err *err)
{
    struct key_tokens k;
    key_of(term, &k);
    struct scan s = {.ta = text_analyzer_new(), .key = &k};
    char *q = fts_query_of(&k);
    enum achim_code rc =
        store_term_articles(st, q, from_day * DAY, to_day * DAY, 0, scan_cells_fn, &s, err);
    free(q);
    key_release(&k);
    doc_release(&s.title);
    doc_release(&s.body);
    text_analyzer_free(s.ta);
    if (rc != ACHIM_OK) {
        free(s.cells);
        return rc;
    }
    *out = s.cells;
    *n = s.ncells;
    return ACHIM_OK;
}

/* The kind and key of a typed term (OUT: kind, key); *stored is false for a
 * phrase of more than two words, which the statistics do not hold. */
static enum achim_code term_key(const char *term, bool entity, const struct gazetteer *g, int *kind,
                                char **key, bool *stored, struct err *err)
{
    *stored = true;
    if (entity) {
        *kind = STORE_TERM_ENTITY;
        /* an alias or ticker the gazetteer knows names its entity ("CBRS") */
        struct entity_hit *hits = NULL;
        size_t nh = g ? entity_extract(g, term, &hits) : 0;
        const char *name = nh == 1 && hits[0].start == 0 && hits[0].end == strlen(term)
                               ? gazetteer_name(g, hits[0].entity)
                               : term;
        *key = text_fold(name, strlen(name));
        free(hits);
        str_squash_space(*key);
        if (!**key)
            return err_set(err, ACHIM_EINVAL, "empty entity name");
        return ACHIM_OK;
    }
    struct key_tokens k;
    key_of(term, &k);
    enum achim_code rc = ACHIM_OK;
    if (k.n == 0 || k.too_long) {
        *key = NULL;
        rc = err_set(err, ACHIM_EINVAL,
                     k.n ? "term '%s' has more than %d words" : "term '%s' has no countable words",
                     term, MAX_KEY_TOKENS);
    } else {
        *key = key_join(&k);
        *kind = k.n == 1 ? STORE_TERM_WORD : STORE_TERM_PHRASE;
        *stored = k.n <= 2;
    }
    key_release(&k);
    return rc;
}

/* The cells of a typed term, its kind and key resolved (OUT: kind, key). */
static enum achim_code term_cells(struct store *st, const char *term, bool entity,
                                  const struct gazetteer *g, int64_t from_day, int64_t to_day,
                                  int *kind, char **key, struct store_term_cell **out, size_t *n,
                                  struct err *err)
{
    *out = NULL;
    *n = 0;
    bool stored;
    enum achim_code rc = term_key(term, entity, g, kind, key, &stored, err);
    if (rc != ACHIM_OK)
        return rc;
    if (stored)
        return store_term_cells(st, *kind, *key, from_day, to_day, out, n, err);
    return long_phrase_cells(st, term, from_day, to_day, out, n, err);
}

/* The terms of a query resolved and, for those the statistics hold, their
 * cells over all days read at once (the store picks a seek per term and
 * day or one scan of the days for the lot): each series takes its range
 * and its first appearance from them. */
struct term_fetch {
    int kind;
    char *key; /* handed to the series */
    bool stored;
    struct store_term_cell *all;
    size_t nall;
};

static enum achim_code fetch_terms(struct store *st, const struct app_trends_opts *o,
                                   struct term_fetch *f, struct err *err)
{
    struct store_term_ref *refs = xcalloc(o->nterms ? o->nterms : 1, sizeof(*refs));
    size_t *at = xcalloc(o->nterms ? o->nterms : 1, sizeof(*at));
    size_t nrefs = 0;
    enum achim_code rc = ACHIM_OK;
    for (size_t i = 0; i < o->nterms && rc == ACHIM_OK; i++) {
        rc = term_key(o->terms[i], o->entities, o->gazetteer, &f[i].kind, &f[i].key, &f[i].stored,
                      err);
        if (rc == ACHIM_OK && f[i].stored) {
            refs[nrefs] = (struct store_term_ref){f[i].kind, f[i].key};
            at[nrefs++] = i;
        }
    }
    struct store_term_cell **cells = xcalloc(nrefs ? nrefs : 1, sizeof(*cells));
    size_t *ncells = xcalloc(nrefs ? nrefs : 1, sizeof(*ncells));
    if (rc == ACHIM_OK && nrefs)
        rc = store_terms_cells(st, refs, nrefs, INT64_MIN / 2 / DAY, INT64_MAX / 2 / DAY,
                               STORE_CELLS_AUTO, cells, ncells, err);
    for (size_t j = 0; rc == ACHIM_OK && j < nrefs; j++) {
        f[at[j]].all = cells[j];
        f[at[j]].nall = ncells[j];
    }
    free(cells);
    free(ncells);
    free(refs);
    free(at);
    return rc;
}

/* ==== building the trends ==== */

void app_trends_opts_default(struct app_trends_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->by = TREND_WEEK;
    o->baseline = 4;
    o->alpha = 0.001;
    o->limit = 20;
    o->min_count = 3;
    o->context_k = 10;
}

static void series_release(struct app_trend_series *s, size_t nperiods)
{
    free(s->term);
    free(s->key);
    free(s->x);
    free(s->xo);
    free(s->test);
    free(s->burst);
    free(s->growth);
    free(s->first_by_outlet);
    if (s->ctx) {
        for (size_t p = 0; p < nperiods; p++) {
            for (size_t i = 0; i < s->ctx[p].ntop; i++)
                free((char *)s->ctx[p].top[i].term);
            free(s->ctx[p].top);
        }
        free(s->ctx);
    }
}

void app_trends_release(struct app_trends *t)
{
    for (size_t i = 0; i < t->nseries; i++)
        series_release(&t->series[i], t->nperiods);
    free(t->series);
    for (size_t i = 0; i < t->nrows; i++)
        free(t->rows[i].term);
    free(t->rows);
    for (size_t i = 0; i < t->noutlets; i++)
        free(t->outlet_name[i]);
    free(t->outlet_name);
    free(t->outlet_id);
    free(t->docs_o);
    free(t->docs);
    free(t->period_start);
    free(t->period_label);
    memset(t, 0, sizeof(*t));
}

double app_trend_share(const struct app_trends *t, size_t s, size_t o, size_t p)
{
    const struct app_trend_series *se = &t->series[s];
    if (se->x[p] == 0)
        return NAN;
    return (double)se->xo[o * t->nperiods + p] / (double)se->x[p];
}

/* Index of the period holding day among n starts (the last start <= day),
 * or -1 before the first. */
static long period_index(const int64_t *start, size_t n, int64_t day)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (start[mid] <= day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

static long outlet_index(const struct app_trends *t, int64_t source_id)
{
    for (size_t i = 0; i < t->noutlets; i++)
        if (t->outlet_id[i] == source_id)
            return (long)i;
    return -1;
}

/* Outlets: all sources, or those named; names resolve case-insensitively. */
static enum achim_code pick_outlets(struct store *st, const struct app_trends_opts *o,
                                    struct app_trends *t, struct err *err)
{
    struct store_source *src = NULL;
    size_t n = 0;
    enum achim_code rc = store_sources_list(st, &src, &n, err);
    if (rc != ACHIM_OK)
        return rc;
    t->outlet_id = xcalloc(n ? n : 1, sizeof(*t->outlet_id));
    t->outlet_name = xcalloc(n ? n : 1, sizeof(*t->outlet_name));
    for (size_t i = 0; i < o->noutlets && rc == ACHIM_OK; i++) {
        bool found = false;
        for (size_t j = 0; j < n; j++)
            found |= src[j].name && str_eq_ci(src[j].name, o->outlets[i]);
        if (!found)
            rc = err_set(err, ACHIM_EINVAL, "no outlet named '%s' (see 'achim stats')",
                         o->outlets[i]);
    }
    for (size_t j = 0; j < n && rc == ACHIM_OK; j++) {
        bool keep = o->noutlets == 0;
        for (size_t i = 0; i < o->noutlets; i++)
            keep |= src[j].name && str_eq_ci(src[j].name, o->outlets[i]);
        if (!keep)
            continue;
        t->outlet_id[t->noutlets] = src[j].id;
        t->outlet_name[t->noutlets++] = xstrdup(src[j].name ? src[j].name : src[j].feed_url);
    }
    store_sources_free(src, n);
    return rc;
}

/* Sum cells into per-period totals (x, length nper, over ext starts) and,
 * for periods >= skip, per outlet (xo, noutlets x (nper - skip)). */
static void cells_to_periods(const struct app_trends *t, const int64_t *starts, size_t nper,
                             size_t skip, const struct store_term_cell *c, size_t nc, int64_t *x,
                             int64_t *xo, int64_t *first_o)
{
    for (size_t i = 0; i < nc; i++) {
        long o = outlet_index(t, c[i].source_id);
        long p = period_index(starts, nper, c[i].day);
        if (o < 0 || p < 0)
            continue;
        x[p] += c[i].df;
        if ((size_t)p >= skip && xo)
            xo[(size_t)o * (nper - skip) + ((size_t)p - skip)] += c[i].df;
        if ((size_t)p >= skip && first_o && c[i].df > 0 &&
            (first_o[o] == 0 || c[i].first < first_o[o]))
            first_o[o] = c[i].first;
    }
}

static int cmp_weight(const void *a, const void *b)
{
    const struct trend_weight *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return strcmp(x->term, y->term);
}

/* Co-occurring words of a term in [from_day, to_day): co-document counts
 * times idf in the period, the best k kept. */
static enum achim_code context_of(struct store *st, const struct key_tokens *k, int64_t from_day,
                                  int64_t to_day, int64_t period_docs, size_t topk,
                                  struct app_trend_context *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->jaccard = out->cosine = NAN;
    struct smap co = {0};
    struct scan s = {.ta = text_analyzer_new(), .key = k, .co = &co};
    char *q = fts_query_of(k);
    enum achim_code rc = store_term_articles(st, q, from_day * DAY, to_day * DAY, CONTEXT_MAX_DOCS,
                                             scan_context_fn, &s, err);
    free(q);
    doc_release(&s.title);
    doc_release(&s.body);
    text_analyzer_free(s.ta);
    out->docs = (size_t)s.docs;
    struct trend_weight *cand = xcalloc(co.n ? co.n : 1, sizeof(*cand));
    size_t nc = 0;
    for (size_t i = 0; i < co.cap; i++)
        if (co.e[i].key)
            cand[nc++] = (struct trend_weight){co.e[i].key, co.e[i].v};
    qsort(cand, nc, sizeof(*cand), cmp_weight);
    if (nc > CONTEXT_CANDIDATES)
        nc = CONTEXT_CANDIDATES;
    /* idf against the whole period, so "said" and "new" sink; the
     * candidates' cells read in one request */
    struct store_term_ref *refs = xcalloc(nc ? nc : 1, sizeof(*refs));
    struct store_term_cell **cells = xcalloc(nc ? nc : 1, sizeof(*cells));
    size_t *ncells = xcalloc(nc ? nc : 1, sizeof(*ncells));
    for (size_t i = 0; i < nc; i++)
        refs[i] = (struct store_term_ref){STORE_TERM_WORD, cand[i].term};
    if (rc == ACHIM_OK && nc)
        rc =
            store_terms_cells(st, refs, nc, from_day, to_day, STORE_CELLS_AUTO, cells, ncells, err);
    for (size_t i = 0; i < nc && rc == ACHIM_OK; i++) {
        int64_t df = 0;
        for (size_t j = 0; j < ncells[i]; j++)
            df += cells[i][j].df;
        free(cells[i]);
        double docs = period_docs > 0 ? (double)period_docs : 1;
        cand[i].w *= log((docs + 1) / ((double)df + 1)) + 1e-9;
    }
    free(refs);
    free(cells);
    free(ncells);
    qsort(cand, nc, sizeof(*cand), cmp_weight);
    if (nc > topk)
        nc = topk;
    out->top = xcalloc(nc ? nc : 1, sizeof(*out->top));
    for (size_t i = 0; i < nc; i++)
        out->top[i] = (struct trend_weight){xstrdup(cand[i].term), cand[i].w};
    out->ntop = nc;
    free(cand);
    smap_release(&co);
    return rc;
}

static enum achim_code build_series(struct store *st, const struct app_trends_opts *o,
                                    struct app_trends *t, const int64_t *ext, size_t next,
                                    size_t skip, const int64_t *ext_docs, const char *term,
                                    struct term_fetch *f, struct app_trend_series *s,
                                    struct err *err)
{
    size_t np = t->nperiods, no = t->noutlets;
    s->term = xstrdup(term);
    s->kind = f->kind;
    s->key = f->key;
    f->key = NULL;
    struct store_term_cell *c = NULL;
    size_t nc = 0;
    enum achim_code rc = ACHIM_OK;
    if (f->stored) {
        c = xcalloc(f->nall ? f->nall : 1, sizeof(*c));
        for (size_t i = 0; i < f->nall; i++)
            if (f->all[i].day >= ext[0] && f->all[i].day < t->to)
                c[nc++] = f->all[i];
    } else {
        rc = long_phrase_cells(st, term, ext[0], t->to, &c, &nc, err);
        if (rc != ACHIM_OK)
            return rc;
    }
    int64_t *x = xcalloc(next, sizeof(*x));
    s->xo = xcalloc(no * np + 1, sizeof(*s->xo));
    s->first_by_outlet = xcalloc(no ? no : 1, sizeof(int64_t));
    cells_to_periods(t, ext, next, skip, c, nc, x, s->xo, s->first_by_outlet);
    free(c);
    struct trend_test *tests = xcalloc(next, sizeof(*tests));
    trend_series_test(x, ext_docs, next, o->baseline, tests);
    s->x = xcalloc(np, sizeof(*s->x));
    s->test = xcalloc(np, sizeof(*s->test));
    s->burst = xcalloc(np, sizeof(*s->burst));
    s->growth = xcalloc(np, sizeof(*s->growth));
    for (size_t p = 0; p < np; p++) {
        s->x[p] = x[skip + p];
        s->test[p] = tests[skip + p];
        s->burst[p] = trend_is_burst(&s->test[p], s->x[p], o->alpha, (int64_t)o->min_count);
        size_t e = skip + p;
        s->growth[p] =
            e > 0 && ext_docs[e - 1] > 0
                ? trend_growth(tests[e].rate, 1000.0 * (double)x[e - 1] / (double)ext_docs[e - 1])
                : NAN;
    }
    free(x);
    free(tests);
    /* first ever: store-wide from the statistics; a long phrase (not
     * stored) falls back to its first use in the range */
    const struct store_term_cell *all = f->all;
    size_t nall = f->nall;
    for (size_t i = 0; i < nall; i++)
        if (all[i].df > 0 && (!s->first_seen || all[i].first < s->first_seen)) {
            s->first_seen = all[i].first;
            s->first_source = all[i].source_id;
        }
    for (size_t i = 0; !nall && i < no; i++)
        if (s->first_by_outlet[i] && (!s->first_seen || s->first_by_outlet[i] < s->first_seen)) {
            s->first_seen = s->first_by_outlet[i];
            s->first_source = t->outlet_id[i];
        }
    if (rc != ACHIM_OK || !o->context || s->kind == STORE_TERM_ENTITY)
        return rc;
    struct key_tokens k;
    key_of(term, &k);
    s->ctx = xcalloc(np, sizeof(*s->ctx));
    long prev = -1;
    for (size_t p = 0; p < np && rc == ACHIM_OK; p++) {
        int64_t end = p + 1 < np ? t->period_start[p + 1] : t->to;
        rc = context_of(st, &k, t->period_start[p], end, t->docs[p], o->context_k, &s->ctx[p], err);
        /* the shift is measured against the last earlier period that used
         * the term: an empty period has no context to compare */
        if (rc == ACHIM_OK && s->ctx[p].docs && prev >= 0) {
            const struct app_trend_context *a = &s->ctx[prev], *b = &s->ctx[p];
            s->ctx[p].jaccard = trend_jaccard(a->top, a->ntop, b->top, b->ntop);
            s->ctx[p].cosine = trend_cosine(a->top, a->ntop, b->top, b->ntop);
        }
        if (s->ctx[p].docs)
            prev = (long)p;
    }
    key_release(&k);
    return rc;
}

static int cmp_row(const void *a, const void *b)
{
    const struct app_trend_row *x = a, *y = b;
    if (x->test.log10p != y->test.log10p)
        return x->test.log10p < y->test.log10p ? -1 : 1;
    if (x->x != y->x)
        return x->x > y->x ? -1 : 1;
    return strcmp(x->term, y->term);
}

static enum achim_code build_emerging(struct store *st, const struct app_trends_opts *o,
                                      struct app_trends *t, bool whole_range, struct err *err)
{
    enum trend_period by = (enum trend_period)o->by;
    if (whole_range) {
        t->window_from = t->from;
        t->window_to = t->to;
    } else {
        t->window_from = t->period_start[t->nperiods - 1];
        t->window_to = t->to;
    }
    /* the baseline: `baseline` periods before the window */
    int64_t bf = t->window_from;
    for (size_t i = 0; i < o->baseline; i++)
        bf = trend_period_start(by, bf - 1);
    t->base_from = bf;
    t->base_to = t->window_from;
    struct store_term_cell *dc = NULL;
    size_t ndc = 0;
    enum achim_code rc = store_doc_cells(st, bf, t->window_to, &dc, &ndc, err);
    if (rc != ACHIM_OK)
        return rc;
    int64_t n = 0, nb = 0;
    for (size_t i = 0; i < ndc; i++) {
        if (outlet_index(t, dc[i].source_id) < 0)
            continue;
        if (dc[i].day >= t->window_from)
            n += dc[i].df;
        else
            nb += dc[i].df;
    }
    free(dc);
    t->window_docs = n;
    t->base_docs = nb;
    unsigned mask =
        o->entities ? 1u << STORE_TERM_ENTITY : (1u << STORE_TERM_WORD) | (1u << STORE_TERM_PHRASE);
    struct store_term_total *tot = NULL;
    size_t ntot = 0;
    rc = store_term_totals(st, mask, t->window_from, t->window_to, t->base_from, t->base_to,
                           (int64_t)o->min_count, o->noutlets ? t->outlet_id : NULL, t->noutlets,
                           &tot, &ntot, err);
    if (rc != ACHIM_OK)
        return rc;
    t->ntested = ntot;
    t->rows = xcalloc(ntot ? ntot : 1, sizeof(*t->rows));
    for (size_t i = 0; i < ntot; i++) {
        struct app_trend_row r = {.kind = tot[i].kind,
                                  .x = tot[i].df_a,
                                  .n = n,
                                  .xb = tot[i].df_b,
                                  .nb = nb,
                                  .first_seen = tot[i].first_seen,
                                  .first_source = tot[i].first_source};
        trend_test_counts(r.x, n, r.xb, nb, &r.test);
        if (r.test.ratio <= 1.0)
            continue;
        r.burst = trend_is_burst(&r.test, r.x, o->alpha / (double)ntot, (int64_t)o->min_count);
        r.is_new = r.first_seen >= t->window_from * DAY;
        r.term = tot[i].term;
        tot[i].term = NULL;
        t->rows[t->nrows++] = r;
    }
    store_term_totals_free(tot, ntot);
    qsort(t->rows, t->nrows, sizeof(*t->rows), cmp_row);
    for (size_t i = o->limit; i < t->nrows; i++)
        free(t->rows[i].term);
    if (o->limit && t->nrows > o->limit)
        t->nrows = o->limit;
    return ACHIM_OK;
}

enum achim_code app_trends_build(struct store *st, const struct app_trends_opts *o,
                                 struct app_trends *t, struct err *err)
{
    memset(t, 0, sizeof(*t));
    enum trend_period by = (enum trend_period)o->by;
    t->by = o->by;
    enum achim_code rc = app_termstats_sync(st, o->gazetteer, err);
    if (rc == ACHIM_OK)
        rc = pick_outlets(st, o, t, err);
    if (rc != ACHIM_OK)
        goto fail;
    for (size_t i = 0; i < o->nterms; i++)
        if (str_empty(o->terms[i])) {
            rc = err_set(err, ACHIM_EINVAL, "empty term");
            goto fail;
        }

    /* the range: as asked, else the days that hold articles */
    int64_t from = o->from, to = o->to;
    if (!from || !to) {
        struct store_term_cell *dc = NULL;
        size_t ndc = 0;
        rc = store_doc_cells(st, INT64_MIN / 2 / DAY, INT64_MAX / 2 / DAY, &dc, &ndc, err);
        if (rc != ACHIM_OK)
            goto fail;
        int64_t lo = 0, hi = 0;
        for (size_t i = 0; i < ndc; i++) {
            if (outlet_index(t, dc[i].source_id) < 0 || dc[i].df <= 0)
                continue;
            if (!lo || dc[i].day < lo)
                lo = dc[i].day;
            if (!hi || dc[i].day + 1 > hi)
                hi = dc[i].day + 1;
        }
        free(dc);
        if (!from)
            from = lo;
        if (!to)
            to = hi;
    }
    if (to <= from) {
        rc = err_set(err, ACHIM_ENOTFOUND, "no articles in the chosen range");
        goto fail;
    }
    t->from = trend_period_start(by, from);
    for (int64_t s = t->from; s < to; s = trend_period_next(by, s))
        t->nperiods++;
    if (t->nperiods > 5000) {
        rc = err_set(err, ACHIM_EINVAL, "%zu periods: choose a coarser --by or a shorter range",
                     t->nperiods);
        goto fail;
    }
    t->period_start = xcalloc(t->nperiods, sizeof(*t->period_start));
    t->period_label = xcalloc(t->nperiods, sizeof(*t->period_label));
    int64_t s0 = t->from;
    for (size_t p = 0; p < t->nperiods; p++, s0 = trend_period_next(by, s0)) {
        t->period_start[p] = s0;
        trend_period_label(by, s0, t->period_label[p]);
    }
    t->to = s0;

    /* extended periods: the trailing baseline before the first one */
    size_t skip = o->baseline, next = skip + t->nperiods;
    int64_t *ext = xcalloc(next, sizeof(*ext));
    ext[skip] = t->from;
    for (size_t i = skip; i-- > 0;)
        ext[i] = trend_period_start(by, ext[i + 1] - 1);
    memcpy(ext + skip, t->period_start, t->nperiods * sizeof(*ext));
    int64_t *ext_docs = xcalloc(next, sizeof(*ext_docs));
    t->docs_o = xcalloc(t->noutlets * t->nperiods + 1, sizeof(*t->docs_o));
    struct store_term_cell *dc = NULL;
    size_t ndc = 0;
    rc = store_doc_cells(st, ext[0], t->to, &dc, &ndc, err);
    if (rc == ACHIM_OK)
        cells_to_periods(t, ext, next, skip, dc, ndc, ext_docs, t->docs_o, NULL);
    free(dc);
    t->docs = xcalloc(t->nperiods, sizeof(*t->docs));
    memcpy(t->docs, ext_docs + skip, t->nperiods * sizeof(*t->docs));

    t->series = xcalloc(o->nterms ? o->nterms : 1, sizeof(*t->series));
    struct term_fetch *f = xcalloc(o->nterms ? o->nterms : 1, sizeof(*f));
    if (rc == ACHIM_OK)
        rc = fetch_terms(st, o, f, err);
    for (size_t i = 0; i < o->nterms && rc == ACHIM_OK; i++) {
        rc = build_series(st, o, t, ext, next, skip, ext_docs, o->terms[i], &f[i], &t->series[i],
                          err);
        t->nseries = i + 1;
    }
    for (size_t i = 0; i < o->nterms; i++) {
        free(f[i].key);
        free(f[i].all);
    }
    free(f);
    free(ext);
    free(ext_docs);
    if (rc == ACHIM_OK && o->emerging)
        rc = build_emerging(st, o, t, o->from && o->to, err);
    if (rc == ACHIM_OK)
        return ACHIM_OK;
fail:
    app_trends_release(t);
    return rc;
}

/* ==== momentum, for the brief ==== */

enum achim_code app_trend_momentum(struct store *st, const char *term, int64_t day,
                                   struct app_momentum *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->growth = NAN;
    if (str_empty(term))
        return err_set(err, ACHIM_EINVAL, "empty term");
    enum achim_code rc = app_termstats_sync(st, NULL, err);
    if (rc != ACHIM_OK)
        return rc;
    int64_t rf = day - 6, bf = rf - 28, to = day + 1;
    struct store_term_cell *c = NULL, *dc = NULL;
    size_t nc = 0, ndc = 0;
    int kind = 0;
    char *key = NULL;
    rc = term_cells(st, term, false, NULL, bf, to, &kind, &key, &c, &nc, err);
    free(key);
    if (rc == ACHIM_OK)
        rc = store_doc_cells(st, bf, to, &dc, &ndc, err);
    for (size_t i = 0; rc == ACHIM_OK && i < nc; i++)
        *(c[i].day >= rf ? &out->recent : &out->base) += c[i].df;
    for (size_t i = 0; rc == ACHIM_OK && i < ndc; i++)
        *(dc[i].day >= rf ? &out->recent_docs : &out->base_docs) += dc[i].df;
    free(c);
    free(dc);
    if (rc != ACHIM_OK)
        return rc;
    trend_test_counts(out->recent, out->recent_docs, out->base, out->base_docs, &out->test);
    if (out->base > 0 && out->base_docs > 0 && out->recent_docs > 0)
        out->growth =
            trend_growth(out->test.rate, 1000.0 * (double)out->base / (double)out->base_docs);
    return ACHIM_OK;
}
