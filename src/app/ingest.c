/* SPDX-License-Identifier: MIT */
/* ingest.c: feed documents into the store, one transaction per feed.
 *
 * app_ingest_buffer() is the one path from bytes to stored articles: local
 * files (app_ingest_paths) and fetched bodies (app_fetch, fetch.c) both go
 * through it, so a feed is parsed and keyed the same way however it came.
 *
 * A bulk ingest of files (app_ingest_paths) stores on the caller's thread,
 * on its one connection, while two helpers keep the second core busy with
 * what needs no store: app_ahead reads and parses the next files and
 * records their entries' search tokens (which the store replays to FTS5
 * instead of tokenizing, store_fts_tokens_offer), app_prep analyses the
 * stored feeds' articles for the statistics and facts drains.
 * Measured on the 100k-article ingest benchmark (callgrind, 10k articles)
 * the storing thread then runs 27% fewer instructions than one thread doing
 * everything; the helpers add 3%. Recording the tokens ahead took another
 * 10% off the storing thread (callgrind, 5k articles: 3.76G -> 3.37G). */
#define _GNU_SOURCE
#include "app/app.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"
#include "text/text.h"

/* ---- analysis ahead of the drains (app.h, app_prep) ----------------------
 *
 * One thread takes the stored feeds' articles in the order they come and
 * analyses each as the drains would: its term occurrences (the text
 * term_queue hands the statistics: the title, and the summary or else the
 * first 4,000 characters of the content) and, with a gazetteer, its
 * entities and figures (title, summary and content). The results wait in a
 * hash table keyed by that text until a drain, on the caller's thread,
 * takes the one whose text equals what it read from the store. One thread:
 * analysing a feed costs a third of storing it, so it keeps up; it is
 * woken once per few feeds, so app_prep_wait before a drain (and at the
 * end) waits while the last of them are analysed. */

enum { PREP_TERMS, PREP_FACTS };

struct prep_entry {
    struct prep_entry *next;
    uint64_t hash;
    int what;
    char *key; /* terms: title NUL body; facts: the facts text */
    size_t keylen;
    struct app_term_tape tape;
    struct app_facts facts;
    size_t bytes;
};

struct prep_text {
    char *title, *summary, *content;
};

struct prep_job {
    struct prep_job *next;
    struct prep_text *v;
    size_t n, bytes;
};

struct app_prep {
    const struct gazetteer *g;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, idle;
    struct prep_job *head, *tail; /* submitted, not analysed yet */
    size_t held;                  /* jobs submitted since the thread was last woken */
    bool busy, stop;              /* the thread holds a job; asked to end */
    struct prep_entry **slots;    /* chained, cap a power of two */
    size_t cap, n;
    size_t bytes;         /* of the jobs and entries held */
    size_t taken, missed; /* results asked for by the drains */
};

#define PREP_BODY_CHARS 4000 /* term_queue's body (termstats.c) */
#define PREP_WAKE_JOBS 8     /* feeds submitted per wake of the thread */

/* A key's hash, 8 bytes a step (a drain hashes every article's text to
 * look it up; only this process ever sees the values). */
static uint64_t hash_more(uint64_t h, const char *s, size_t len)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    for (; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

/* A key in parts, hashed and compared without assembling it. */
struct key_part {
    const char *p;
    size_t len;
};

static uint64_t parts_hash(int what, const struct key_part *k, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)what;
    for (size_t i = 0; i < n; i++)
        h = hash_more(h, k[i].p, k[i].len) ^ (uint64_t)k[i].len;
    return h;
}

static bool parts_equal(const struct prep_entry *e, const struct key_part *k, size_t n)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (e->keylen - at < k[i].len || memcmp(e->key + at, k[i].p, k[i].len) != 0)
            return false;
        at += k[i].len;
    }
    return at == e->keylen;
}

/* The statistics' body of an article: what term_queue reads,
 * coalesce(nullif(summary, ''), substr(content, 1, 4000)), with SQLite's
 * count of characters (a lead byte and the continuation bytes after it). */
static struct key_part queue_body(const struct prep_text *t)
{
    if (!str_empty(t->summary))
        return (struct key_part){t->summary, strlen(t->summary)};
    if (!t->content)
        return (struct key_part){"", 0};
    const unsigned char *s = (const unsigned char *)t->content;
    size_t i = 0;
    for (size_t chars = 0; s[i] && chars < PREP_BODY_CHARS; chars++)
        if (s[i++] >= 0xc0)
            while ((s[i] & 0xc0) == 0x80)
                i++;
    return (struct key_part){t->content, i};
}

static void entry_free(struct prep_entry *e)
{
    free(e->key);
    free(e->tape.p);
    app_facts_release(&e->facts);
    free(e);
}

static struct prep_entry *entry_new(int what, const struct key_part *k, size_t n)
{
    struct prep_entry *e = xcalloc(1, sizeof(*e));
    e->what = what;
    e->hash = parts_hash(what, k, n);
    for (size_t i = 0; i < n; i++)
        e->keylen += k[i].len;
    e->key = xmalloc(e->keylen + 1);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(e->key + at, k[i].p, k[i].len);
        at += k[i].len;
    }
    e->key[at] = '\0';
    return e;
}

/* Under p->mu. */
static void map_put(struct app_prep *p, struct prep_entry *e)
{
    if (p->n + 1 > p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 4096;
        struct prep_entry **ns = xcalloc(ncap, sizeof(*ns));
        for (size_t i = 0; i < p->cap; i++)
            for (struct prep_entry *x = p->slots[i], *next; x; x = next) {
                next = x->next;
                x->next = ns[x->hash & (ncap - 1)];
                ns[x->hash & (ncap - 1)] = x;
            }
        free(p->slots);
        p->slots = ns;
        p->cap = ncap;
    }
    e->next = p->slots[e->hash & (p->cap - 1)];
    p->slots[e->hash & (p->cap - 1)] = e;
    p->n++;
    p->bytes += e->bytes;
}

/* The entry for the key, unlinked; NULL when none. */
static struct prep_entry *map_take(struct app_prep *p, int what, const struct key_part *k, size_t n)
{
    uint64_t h = parts_hash(what, k, n);
    pthread_mutex_lock(&p->mu);
    struct prep_entry *e = NULL;
    for (struct prep_entry **at = p->cap ? &p->slots[h & (p->cap - 1)] : NULL; at && *at;
         at = &(*at)->next)
        if ((*at)->hash == h && (*at)->what == what && parts_equal(*at, k, n)) {
            e = *at;
            *at = e->next;
            p->n--;
            p->bytes -= e->bytes;
            break;
        }
    *(e ? &p->taken : &p->missed) += 1;
    pthread_mutex_unlock(&p->mu);
    return e;
}

static void job_free(struct prep_job *j)
{
    for (size_t i = 0; i < j->n; i++) {
        free(j->v[i].title);
        free(j->v[i].summary);
        free(j->v[i].content);
    }
    free(j->v);
    free(j);
}

/* Analyse one job's articles (no lock held), then publish the results. */
static void job_run(struct app_prep *p, struct text_analyzer *ta, struct prep_job *j)
{
    struct prep_entry **out = xcalloc(2 * j->n + 1, sizeof(*out));
    size_t nout = 0;
    struct buf text = BUF_INIT;
    for (size_t i = 0; i < j->n; i++) {
        const struct prep_text *t = &j->v[i];
        struct key_part k[3] = {
            {t->title ? t->title : "", t->title ? strlen(t->title) : 0}, {"", 1}, queue_body(t)};
        struct prep_entry *e = entry_new(PREP_TERMS, k, 3);
        char *body = xstrndup(k[2].p, k[2].len);
        app_terms_record(ta, p->g, t->title, body, &e->tape);
        free(body);
        e->bytes = sizeof(*e) + e->keylen + e->tape.cap;
        out[nout++] = e;
        if (!p->g)
            continue;
        app_facts_text(&text, t->title, t->summary, t->content);
        struct key_part f = {text.ptr, text.len};
        e = entry_new(PREP_FACTS, &f, 1);
        app_facts_extract(p->g, text.ptr, &e->facts);
        e->bytes = sizeof(*e) + e->keylen + e->facts.nents * sizeof(struct store_entity);
        for (size_t x = 0; x < e->facts.nfigs; x++)
            e->bytes += sizeof(struct store_figure) + strlen(e->facts.figs[x].text) + 8;
        out[nout++] = e;
    }
    buf_release(&text);
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < nout; i++)
        map_put(p, out[i]);
    p->bytes -= j->bytes;
    pthread_mutex_unlock(&p->mu);
    free(out);
    job_free(j);
}

static void *prep_main(void *arg)
{
    struct app_prep *p = arg;
    struct text_analyzer *ta = text_analyzer_new();
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->stop)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        struct prep_job *j = p->head;
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        p->busy = true;
        pthread_mutex_unlock(&p->mu);
        job_run(p, ta, j);
        pthread_mutex_lock(&p->mu);
        p->busy = false;
        if (!p->head)
            pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->mu);
    text_analyzer_free(ta);
    return NULL;
}

struct app_prep *app_prep_new(const struct gazetteer *g)
{
    struct app_prep *p = xcalloc(1, sizeof(*p));
    p->g = g;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->idle, NULL);
    if (pthread_create(&p->thread, NULL, prep_main, p) != 0) {
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->idle);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    return p;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void app_prep_submit(struct app_prep *p, const struct feed_doc *doc)
{
    if (!p || !doc || !doc->nentries)
        return;
    pthread_mutex_lock(&p->mu);
    bool full = p->bytes > APP_PREP_MAX_BYTES;
    pthread_mutex_unlock(&p->mu);
    if (full) /* the drains analyse these themselves */
        return;
    struct prep_job *j = xcalloc(1, sizeof(*j));
    j->v = xcalloc(doc->nentries, sizeof(*j->v));
    j->n = doc->nentries;
    for (size_t i = 0; i < j->n; i++) {
        const struct article *a = &doc->entries[i];
        j->v[i] = (struct prep_text){dup_or_null(a->title), dup_or_null(a->summary),
                                     dup_or_null(a->content)};
        j->bytes += sizeof(j->v[i]) + (a->title ? strlen(a->title) : 0) +
                    (a->summary ? strlen(a->summary) : 0) + (a->content ? strlen(a->content) : 0);
    }
    pthread_mutex_lock(&p->mu);
    p->bytes += j->bytes;
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    /* the thread is woken for PREP_WAKE_JOBS feeds at a time (or by a
     * wait): a wake per feed was a futex call and a switch of threads for
     * every feed of a few articles */
    if (++p->held >= PREP_WAKE_JOBS) {
        p->held = 0;
        pthread_cond_signal(&p->work);
    }
    pthread_mutex_unlock(&p->mu);
}

void app_prep_wait(struct app_prep *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    if (p->held) { /* jobs that did not wake the thread yet */
        p->held = 0;
        pthread_cond_signal(&p->work);
    }
    while (p->head || p->busy)
        pthread_cond_wait(&p->idle, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void app_prep_clear(struct app_prep *p)
{
    if (!p)
        return;
    app_prep_wait(p);
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < p->cap; i++)
        for (struct prep_entry *e = p->slots[i], *next; e; e = next) {
            next = e->next;
            p->bytes -= e->bytes;
            entry_free(e);
        }
    free(p->slots);
    p->slots = NULL;
    p->cap = p->n = 0;
    pthread_mutex_unlock(&p->mu);
}

void app_prep_free(struct app_prep *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    while (p->head) {
        struct prep_job *j = p->head;
        p->head = j->next;
        job_free(j);
    }
    p->tail = NULL;
    app_prep_clear(p);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->idle);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

void app_prep_counts(struct app_prep *p, size_t *taken, size_t *missed)
{
    pthread_mutex_lock(&p->mu);
    *taken = p->taken;
    *missed = p->missed;
    pthread_mutex_unlock(&p->mu);
}

bool app_prep_take_terms(struct app_prep *p, const struct gazetteer *g, const char *title,
                         const char *body, struct app_term_tape *out)
{
    if (!p || p->g != g)
        return false;
    struct key_part k[3] = {{title ? title : "", title ? strlen(title) : 0},
                            {"", 1},
                            {body ? body : "", body ? strlen(body) : 0}};
    struct prep_entry *e = map_take(p, PREP_TERMS, k, 3);
    if (!e)
        return false;
    *out = e->tape;
    e->tape = (struct app_term_tape){NULL, 0, 0};
    entry_free(e);
    return true;
}

bool app_prep_take_facts(struct app_prep *p, const struct gazetteer *g, const char *text,
                         struct app_facts *out)
{
    if (!p || p->g != g || !g)
        return false;
    struct key_part k = {text, strlen(text)};
    struct prep_entry *e = map_take(p, PREP_FACTS, &k, 1);
    if (!e)
        return false;
    *out = e->facts;
    e->facts = (struct app_facts){NULL, 0, NULL, 0};
    entry_free(e);
    return true;
}

/* ---- the one store path ------------------------------------------------ */

/* Store doc, the outcome of parsing in (parse_rc, with pe when it failed;
 * doc is freed here), and report it. */
static enum achim_code ingest_doc(struct store *st, const struct app_buffer *in,
                                  enum achim_code parse_rc, struct feed_doc *doc,
                                  const struct store_fts_tokens *tokens, const struct err *pe,
                                  int64_t run_id, int64_t now, app_ingest_fn fn, void *ctx,
                                  struct ingest_counts *counts, struct err *err)
{
    struct app_ingest_result r = {.path = in->label ? in->label : in->url};
    struct err e = *pe;
    r.rc = parse_rc;
    if (r.rc != ACHIM_OK)
        goto report;
    r.feed_title = doc->title;
    r.format = feed_format_name(doc->format);
    r.version = doc->version;
    r.bozo = doc->bozo;
    r.bozo_message = doc->bozo_message;

    int64_t source_id = in->source_id;
    if (!source_id) {
        const char *name = !str_empty(doc->title) ? doc->title : r.path;
        r.rc = store_source_ensure(st, in->url, name, doc->link, now, &source_id, &e);
    } else if (in->source_url) {
        /* a source added by URL alone takes its name and site from its feed */
        int64_t same = 0;
        r.rc = store_source_ensure(st, in->source_url, doc->title, doc->link, now, &same, &e);
    }
    /* the entries' search tokens, when recorded ahead: withdrawn before the
     * document (whose texts they point to) is freed */
    store_fts_tokens_offer(st, tokens);
    if (r.rc == ACHIM_OK && in->batch_stats)
        r.rc = app_feed_ingest_prepared(st, in->gazetteer, source_id, run_id, doc, now,
                                        in->batch_facts, in->prep, 0, &r.counts, &e);
    else if (r.rc == ACHIM_OK)
        r.rc = app_feed_ingest(st, in->gazetteer, source_id, run_id, doc, now, &r.counts, &e);
    store_fts_tokens_offer(st, NULL);

report:
    if (r.rc != ACHIM_OK) {
        r.error = e.msg;
        err_set(err, r.rc, "%s", e.msg);
    }
    if (counts)
        *counts = r.counts;
    if (fn)
        fn(ctx, &r);
    feed_doc_free(doc);
    return r.rc;
}

enum achim_code app_ingest_buffer(struct store *st, const struct app_buffer *in, int64_t run_id,
                                  int64_t now, app_ingest_fn fn, void *ctx,
                                  struct ingest_counts *counts, struct err *err)
{
    struct err e = ERR_INIT;
    struct feed_doc *doc = NULL;
    struct feed_parse_opts po = {.url = in->url, .content_type = in->content_type};
    enum achim_code rc = feed_parse_buffer(in->data, in->len, &po, &doc, &e);
    return ingest_doc(st, in, rc, doc, NULL, &e, run_id, now, fn, ctx, counts, err);
}

/* ---- files read and parsed ahead (app.h, app_ahead) ---------------------- */

/* One file's read and parse. */
struct ahead_doc {
    bool ready;
    enum achim_code rc; /* of reading (then doc is NULL), else of parsing */
    bool read_failed;
    size_t bytes; /* the file's size, what the ring's byte limit counts */
    struct err e;
    struct buf url;
    struct feed_doc *doc;
    struct store_fts_tokens *tokens; /* of doc's entries, recorded on the thread */
};

struct app_ahead {
    const char *const *paths, *const *urls;
    size_t n;
    size_t taken;  /* documents the caller has taken */
    size_t parsed; /* documents the thread has put in the ring */
    size_t bytes;  /* file bytes of the documents waiting in the ring */
    struct ahead_doc ring[APP_AHEAD_DEPTH];
    bool threaded, stop;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

/* The search tokens of doc's entries (title, summary, content of each, in
 * the order store_feed_ingest indexes them), so that the storing thread
 * replays them instead of tokenizing (store_fts_tokens_offer). */
static struct store_fts_tokens *record_tokens(const struct store_tokenizer *tok,
                                              const struct feed_doc *doc)
{
    size_t n = 3 * doc->nentries;
    const char **texts = xcalloc(n ? n : 1, sizeof(*texts));
    for (size_t i = 0; i < doc->nentries; i++) {
        texts[3 * i] = doc->entries[i].title;
        texts[3 * i + 1] = doc->entries[i].summary;
        texts[3 * i + 2] = doc->entries[i].content;
    }
    struct store_fts_tokens *t = store_fts_tokens_record(tok, texts, n);
    free(texts);
    return t;
}

/* Read and parse file i as ingest_file() did; with tok (on the thread),
 * record the search tokens of its entries too. */
static void ahead_parse(const struct app_ahead *a, size_t i, const struct store_tokenizer *tok,
                        struct ahead_doc *d)
{
    *d = (struct ahead_doc){.e = ERR_INIT};
    buf_init(&d->url, 0);
    struct buf body;
    buf_init(&body, APP_MAX_FEED_BYTES);
    d->rc = file_read_all(a->paths[i], &body, &d->e);
    d->bytes = body.len;
    if (d->rc != ACHIM_OK) {
        d->read_failed = true;
        buf_release(&body);
        return;
    }
    if (a->urls && a->urls[i]) {
        buf_addstr(&d->url, a->urls[i]);
    } else {
        char *real = realpath(a->paths[i], NULL);
        buf_addf(&d->url, "file://%s", real ? real : a->paths[i]);
        free(real);
    }
    struct feed_parse_opts po = {.url = d->url.ptr};
    d->rc = feed_parse_buffer(body.ptr, body.len, &po, &d->doc, &d->e);
    buf_release(&body);
    if (d->rc == ACHIM_OK && tok)
        d->tokens = record_tokens(tok, d->doc);
}

static void *ahead_main(void *arg)
{
    struct app_ahead *a = arg;
    struct store_tokenizer tok;
    app_search_tokenizer_new(&tok);
    for (size_t i = 0; i < a->n; i++) {
        pthread_mutex_lock(&a->mu);
        while (!a->stop &&
               (i - a->taken >= APP_AHEAD_DEPTH || (i > a->taken && a->bytes >= APP_AHEAD_BYTES)))
            pthread_cond_wait(&a->cv, &a->mu);
        bool stop = a->stop;
        pthread_mutex_unlock(&a->mu);
        if (stop)
            break;
        struct ahead_doc d;
        ahead_parse(a, i, &tok, &d);
        pthread_mutex_lock(&a->mu);
        d.ready = true;
        a->ring[i % APP_AHEAD_DEPTH] = d;
        a->parsed = i + 1;
        a->bytes += d.bytes;
        pthread_cond_broadcast(&a->cv);
        pthread_mutex_unlock(&a->mu);
    }
    tok.destroy(tok.ctx);
    return NULL;
}

struct app_ahead *app_ahead_new(const char *const *paths, const char *const *urls, size_t n)
{
    struct app_ahead *a = xcalloc(1, sizeof(*a));
    a->paths = paths;
    a->urls = urls;
    a->n = n;
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    a->threaded = n > 1 && pthread_create(&a->thread, NULL, ahead_main, a) == 0;
    return a;
}

void app_ahead_free(struct app_ahead *a)
{
    if (!a)
        return;
    if (a->threaded) {
        pthread_mutex_lock(&a->mu);
        a->stop = true;
        pthread_cond_broadcast(&a->cv);
        pthread_mutex_unlock(&a->mu);
        pthread_join(a->thread, NULL);
    }
    for (size_t k = 0; k < APP_AHEAD_DEPTH; k++)
        if (a->ring[k].ready) {
            store_fts_tokens_free(a->ring[k].tokens);
            feed_doc_free(a->ring[k].doc);
            buf_release(&a->ring[k].url);
        }
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    free(a);
}

enum achim_code app_ahead_ingest_next(struct app_ahead *a, struct store *st,
                                      const struct app_buffer *in, int64_t run_id, int64_t now,
                                      app_ingest_fn fn, void *ctx, struct ingest_counts *counts,
                                      struct err *err)
{
    size_t i = a->taken;
    if (i >= a->n)
        return err_set(err, ACHIM_EINVAL, "no file left to ingest");
    struct ahead_doc d;
    if (a->threaded) {
        pthread_mutex_lock(&a->mu);
        while (!a->ring[i % APP_AHEAD_DEPTH].ready)
            pthread_cond_wait(&a->cv, &a->mu);
        d = a->ring[i % APP_AHEAD_DEPTH];
        a->ring[i % APP_AHEAD_DEPTH].ready = false;
        a->taken++;
        bool bytes_full = a->bytes >= APP_AHEAD_BYTES;
        a->bytes -= d.bytes;
        /* the parser sleeps only on a full ring: woken when half of it is
         * taken, it parses that half in one go (a wake per document was a
         * futex call and a switch of threads each); asleep on the byte
         * limit, it is woken at once */
        if (a->parsed - a->taken <= APP_AHEAD_DEPTH / 2 || bytes_full)
            pthread_cond_broadcast(&a->cv);
        pthread_mutex_unlock(&a->mu);
    } else {
        ahead_parse(a, i, NULL, &d); /* on this thread: tokenized once, when stored */
        a->taken++;
    }
    enum achim_code rc;
    if (d.read_failed) {
        struct app_ingest_result r = {.path = a->paths[i], .rc = d.rc, .error = d.e.msg};
        if (counts)
            *counts = (struct ingest_counts){0, 0, 0, 0};
        if (fn)
            fn(ctx, &r);
        err_set(err, d.rc, "%s", d.e.msg);
        rc = d.rc;
    } else {
        struct app_buffer b = *in;
        b.data = NULL;
        b.len = 0;
        b.url = d.url.ptr;
        b.label = a->paths[i];
        rc = ingest_doc(st, &b, d.rc, d.doc, d.tokens, &d.e, run_id, now, fn, ctx, counts, err);
    }
    store_fts_tokens_free(d.tokens);
    buf_release(&d.url);
    return rc;
}

/* ---- files and folders -------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What app_ingest_paths() does in order: ingest a file, report a missing
 * path, or fail on a folder it cannot list. */
enum step_kind { STEP_FILE, STEP_MISSING, STEP_BAD_DIR };
struct step {
    enum step_kind kind;
    const char *arg; /* the path as given, for messages */
    int errnum;      /* STEP_MISSING */
};

struct plan {
    struct step *steps;
    size_t n, cap;
    char **files; /* of the STEP_FILE steps, in order (owned) */
    size_t nfiles, fcap;
};

static void plan_file(struct plan *p, const char *arg, char *file)
{
    XGROW(p->steps, p->n + 1, p->cap);
    p->steps[p->n++] = (struct step){STEP_FILE, arg, 0};
    XGROW(p->files, p->nfiles + 1, p->fcap);
    p->files[p->nfiles++] = file;
}

/* A folder's regular files (not .md, not .opml), sorted by name. */
static bool plan_dir(struct plan *p, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        struct buf path = BUF_INIT;
        buf_addf(&path, "%s/%s", dir, de->d_name);
        struct stat sb;
        if (stat(path.ptr, &sb) == 0 && S_ISREG(sb.st_mode) && !str_ends_with(de->d_name, ".md") &&
            !str_ends_with(de->d_name, ".opml")) {
            XGROW(names, n + 1, cap);
            names[n++] = buf_take(&path);
        } else {
            buf_release(&path);
        }
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(char *), cmp_str);
    for (size_t i = 0; i < n; i++)
        plan_file(p, dir, names[i]);
    free(names);
    return true;
}

static void plan_release(struct plan *p)
{
    for (size_t i = 0; i < p->nfiles; i++)
        free(p->files[i]);
    free(p->files);
    free(p->steps);
}

enum achim_code app_ingest_paths(struct store *st, const struct gazetteer *g,
                                 const char *const *paths, size_t npaths, int64_t now,
                                 app_ingest_fn fn, void *ctx, int *nfailed, struct err *err)
{
    *nfailed = 0;
    int64_t run_id = 0;
    enum achim_code rc = store_run_begin(st, "ingest", now, &run_id, err);
    if (rc != ACHIM_OK)
        return rc;
    /* every file known first, so that the next ones are read and parsed on
     * a thread while this one is stored; a folder that cannot be listed
     * stops the ingest where it stands */
    struct plan plan = {0};
    for (size_t i = 0; i < npaths; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0) {
            XGROW(plan.steps, plan.n + 1, plan.cap);
            plan.steps[plan.n++] = (struct step){STEP_MISSING, paths[i], errno};
        } else if (!S_ISDIR(sb.st_mode)) {
            plan_file(&plan, paths[i], xstrdup(paths[i]));
        } else if (!plan_dir(&plan, paths[i])) {
            XGROW(plan.steps, plan.n + 1, plan.cap);
            plan.steps[plan.n++] = (struct step){STEP_BAD_DIR, paths[i], 0};
            break;
        }
    }
    struct app_ahead *ahead = app_ahead_new((const char *const *)plan.files, NULL, plan.nfiles);
    struct app_prep *prep = app_prep_new(g);
    struct app_buffer in = {.gazetteer = g, .batch_stats = true, .batch_facts = true, .prep = prep};
    enum achim_code missing = ACHIM_OK;
    for (size_t i = 0; i < plan.n && rc == ACHIM_OK; i++) {
        const struct step *s = &plan.steps[i];
        if (s->kind == STEP_MISSING) {
            struct app_ingest_result r = {.path = s->arg, .rc = ACHIM_EIO};
            struct err e = ERR_INIT;
            err_set_errno(&e, ACHIM_EIO, s->errnum, "cannot read '%s'", s->arg);
            r.error = e.msg;
            (*nfailed)++;
            if (fn)
                fn(ctx, &r);
            missing = err_set(err, ACHIM_EIO, "%s", e.msg);
            continue;
        }
        if (s->kind == STEP_BAD_DIR) {
            rc = err_set(err, ACHIM_EIO, "store failed while ingesting '%s'", s->arg);
            break;
        }
        struct err e = ERR_INIT;
        enum achim_code frc = app_ahead_ingest_next(ahead, st, &in, run_id, now, fn, ctx, NULL, &e);
        if (frc != ACHIM_OK)
            (*nfailed)++;
        if (frc == ACHIM_EDB) {
            rc = frc;
            err_set(err, rc, "store failed while ingesting '%s'", s->arg);
        }
    }
    app_ahead_free(ahead);
    plan_release(&plan);
    /* what the batched ingests left queued is counted and extracted
     * before returning */
    app_prep_wait(prep);
    if (rc == ACHIM_OK)
        rc = app_termstats_sync_prepared(st, g, prep, err);
    store_termstats_spare_free(st); /* the drains are over */
    if (rc == ACHIM_OK && g)
        rc = app_facts_sync_prepared(st, g, prep, NULL, err);
    app_prep_free(prep);
    struct buf msg = BUF_INIT;
    buf_addf(&msg, "%d file(s) failed", *nfailed);
    store_run_end(st, run_id, now, rc == ACHIM_OK ? (*nfailed ? "partial" : "ok") : "failed",
                  msg.ptr, NULL);
    buf_release(&msg);
    return rc != ACHIM_OK ? rc : missing;
}
