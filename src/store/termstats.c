/* SPDX-License-Identifier: MIT */
/* termstats.c: per day x outlet x term counts, kept as articles change.
 *
 * Workload: every ingest adds a few to a few hundred article versions; a
 * backfill or a benchmark adds a million. Trend queries read a handful of
 * terms over years, so the statistics are stored pre-aggregated per UTC day
 * and outlet (term_day, a WITHOUT ROWID table keyed by term first) and a
 * query costs one index range per term, not a rescan of the articles.
 *
 * Triggers (migrations "term statistics" and "leaner term statistics" in
 * migrate.c) queue each article version with a sign: 2 for an insert whose
 * text is read from the article when counted, -1 with the old text for a
 * version that went away, and before an article changes they give its
 * waiting insert the old text (sign 1). So the queue can be drained in any
 * batch size and in any later transaction and still sum to the counts of the
 * articles as they are now. Draining needs the app's tokenizer: the store
 * must not depend on text/, so the analyzer is a callback.
 *
 * A batch is first summed in memory (term -> cells by day and outlet), then
 * written with one upsert per cell; cells whose df drops to zero are
 * removed. The cells of a known term go to the end of its range of
 * term_day, a page of its own for each term, and a commit writes each page
 * it dirtied: the bigger the batch, the fewer page writes per article,
 * which is why bulk ingest counts 8,000 articles at once (ingest benchmark,
 * 20k articles: a fifth fewer pwrite calls and a seventh less CPU than at
 * 2,000, for about 80 MB more memory at the peak). The batch is written in
 * the key order of each B-tree it walks (batch_write).
 *
 * Two-word phrases are mostly used once, ever. A phrase enters term_dict
 * only when a second article uses it; until then its one cell waits in
 * phrase_pending under a hash of its text, and moves into term_day when it
 * is promoted, so counts and first appearance stay exact from the first
 * article. Pending phrases older than PENDING_DAYS before the newest day
 * counted are dropped.
 *
 * `first` (earliest article date; stored as seconds into the cell's day)
 * only ever moves earlier: a deleted first article leaves it as it was,
 * which the trend code treats as "first seen no later than". */
#include "store/store_int.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/xalloc.h"

/* queue rows summed in memory per write pass: room for a bulk ingest's
 * batch (8,000 articles) and the feed that made it reach that, in one pass */
#define SYNC_BATCH 10000
#define DAY_SECONDS 86400
#define PENDING_DAYS 31 /* a phrase used once is forgotten after a month */
#define PRUNE_EVERY 7   /* days between prunes of the pending phrases */

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / DAY_SECONDS : -((-t + DAY_SECONDS - 1) / DAY_SECONDS);
}

/* ==== in-memory batch ==== */

struct cell {
    int64_t day, source_id, tf, df, first;
};

struct term_acc {
    char *key; /* kind byte + term, NUL-terminated (in the batch's arena) */
    size_t keylen;
    uint64_t hash;
    struct cell *cells;
    size_t ncells, cap;
    int64_t first_seen, first_source; /* earliest positive occurrence in the batch */
    uint32_t article;                 /* serial of the last article that used it */
    uint32_t seen_at;                 /* its index in batch.seen for that article */
    /* set while the batch is written */
    int64_t id;          /* in term_dict; 0 while unknown */
    int64_t dict_first;  /* term_dict.first_seen before this batch */
    int64_t pending_key; /* phrase_hash() of a phrase */
    bool known;          /* in term_dict before this batch */
    bool write;          /* has cells to write */
};

/* Keys and the terms' cells live in large blocks that never move, freed
 * with the batch: a batch holds a few hundred thousand of each, most of
 * them a few bytes or a single cell, too small to be worth a malloc. */
struct key_block {
    struct key_block *next;
    size_t used, size;
    char text[];
};
#define KEY_BLOCK 65536
struct cell_block {
    struct cell_block *next;
    size_t used, size;
    struct cell v[];
};
#define CELL_BLOCK 4096

/* A batch of a few thousand articles holds a hundred thousand distinct
 * terms and phrases, and every token probes the table: the probe reads a
 * small slot (32 bits of the hash, the entry's index) and touches the
 * entry only on a likely match, so the part of the table that must stay in
 * the CPU caches is an eighth of what a table of whole entries was. */
struct batch {
    struct term_acc *terms; /* dense, in order of first use */
    size_t n, termcap;
    uint64_t *slots; /* open addressing: hash32 << 32 | (index + 1); 0 = empty */
    size_t cap;
    struct key_block *keys;
    struct cell_block *cellmem;
    /* per-article scratch: distinct terms of the current article */
    size_t *seen;
    int64_t *seen_tf;
    size_t nseen, seencap;
    uint32_t article;  /* serial of the current article, from 1 */
    struct cell *docs; /* per day x source */
    size_t ndocs, doccap;
    /* the article being counted */
    int sign;
    int64_t day, source_id, date;
    struct buf key;
    int64_t newest_day; /* latest day with an article added */
};

static uint64_t fnv(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static char *key_copy(struct batch *b, const char *key, size_t len)
{
    if (!b->keys || b->keys->size - b->keys->used < len + 1) {
        size_t size = len + 1 > KEY_BLOCK ? len + 1 : KEY_BLOCK;
        struct key_block *k = xmalloc(sizeof(*k) + size);
        k->next = b->keys;
        k->used = 0;
        k->size = size;
        b->keys = k;
    }
    char *p = b->keys->text + b->keys->used;
    memcpy(p, key, len);
    p[len] = '\0';
    b->keys->used += len + 1;
    return p;
}

static struct cell *cells_alloc(struct batch *b, size_t n)
{
    if (!b->cellmem || b->cellmem->size - b->cellmem->used < n) {
        size_t size = n > CELL_BLOCK ? n : CELL_BLOCK;
        struct cell_block *k = xmalloc(sizeof(*k) + size * sizeof(struct cell));
        k->next = b->cellmem;
        k->used = 0;
        k->size = size;
        b->cellmem = k;
    }
    struct cell *c = b->cellmem->v + b->cellmem->used;
    b->cellmem->used += n;
    return c;
}

static struct cell *term_cell_add(struct batch *b, struct term_acc *t, int64_t day, int64_t src)
{
    if (t->ncells == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 1;
        struct cell *nc = cells_alloc(b, ncap);
        if (t->ncells)
            memcpy(nc, t->cells, t->ncells * sizeof(*nc));
        t->cells = nc;
        t->cap = ncap;
    }
    struct cell *c = &t->cells[t->ncells++];
    *c = (struct cell){day, src, 0, 0, INT64_MAX};
    return c;
}

/* The term's cell for (day, src) as an article is counted: articles come in
 * id order, a feed (one outlet, mostly one day) at a time, so it is the
 * last cell or a new one. A (day, src) seen before that is added again
 * (feeds interleaved) and merged before the batch is written
 * (merge_cells); searching every cell of a common word for each new
 * feed cost more. A full array moves to one twice its size (the old one
 * stays unused in its block). */
static struct cell *term_cell(struct batch *b, struct term_acc *t, int64_t day, int64_t src)
{
    if (t->ncells && t->cells[t->ncells - 1].day == day && t->cells[t->ncells - 1].source_id == src)
        return &t->cells[t->ncells - 1];
    return term_cell_add(b, t, day, src);
}

/* The term's cell for (day, src), searched among all (cells merged). */
static struct cell *term_cell_find(struct batch *b, struct term_acc *t, int64_t day, int64_t src)
{
    for (size_t i = t->ncells; i-- > 0;)
        if (t->cells[i].day == day && t->cells[i].source_id == src)
            return &t->cells[i];
    return term_cell_add(b, t, day, src);
}

static void batch_grow(struct batch *b)
{
    size_t ncap = b->cap ? b->cap * 2 : 65536;
    uint64_t *ns = xcalloc(ncap, sizeof(*ns));
    for (size_t i = 0; i < b->n; i++) {
        size_t j = b->terms[i].hash & (ncap - 1);
        while (ns[j])
            j = (j + 1) & (ncap - 1);
        ns[j] = (b->terms[i].hash >> 32) << 32 | (uint64_t)(i + 1);
    }
    free(b->slots);
    b->slots = ns;
    b->cap = ncap;
}

static size_t batch_slot(struct batch *b, const char *key, size_t len)
{
    if ((b->n + 1) * 2 > b->cap)
        batch_grow(b);
    uint64_t h = fnv(key, len);
    uint64_t tag = (h >> 32) << 32;
    size_t j = h & (b->cap - 1);
    for (uint64_t s; (s = b->slots[j]); j = (j + 1) & (b->cap - 1)) {
        if ((s & 0xffffffff00000000ULL) != tag)
            continue;
        struct term_acc *t = &b->terms[(s & 0xffffffffULL) - 1];
        if (t->hash == h && t->keylen == len && memcmp(t->key, key, len) == 0)
            return (s & 0xffffffffULL) - 1;
    }
    XGROW(b->terms, b->n + 1, b->termcap);
    size_t i = b->n++;
    b->slots[j] = tag | (uint64_t)(i + 1);
    struct term_acc *t = &b->terms[i];
    memset(t, 0, sizeof(*t));
    t->key = key_copy(b, key, len);
    t->keylen = len;
    t->hash = h;
    t->first_seen = INT64_MAX;
    return i;
}

static struct cell *cell_of(struct cell **v, size_t *n, size_t *cap, int64_t day, int64_t src)
{
    /* articles come in id order, mostly one feed (outlet) and few days at a
     * time: search from the end */
    for (size_t i = *n; i-- > 0;)
        if ((*v)[i].day == day && (*v)[i].source_id == src)
            return &(*v)[i];
    XGROW(*v, *n + 1, *cap);
    struct cell *c = &(*v)[(*n)++];
    *c = (struct cell){day, src, 0, 0, INT64_MAX};
    return c;
}

static int batch_emit(void *ctx, int kind, const char *term, size_t len)
{
    struct batch *b = ctx;
    if (len == 0 || kind < 1 || kind > 255)
        return 0;
    buf_reset(&b->key);
    buf_addch(&b->key, (char)kind);
    buf_add(&b->key, term, len);
    size_t slot = batch_slot(b, b->key.ptr, b->key.len);
    struct term_acc *t = &b->terms[slot];
    if (t->article == b->article) {
        b->seen_tf[t->seen_at]++;
        return 0;
    }
    t->article = b->article;
    t->seen_at = (uint32_t)b->nseen;
    if (b->nseen == b->seencap) {
        size_t c = b->seencap;
        XGROW(b->seen, b->nseen + 1, c);
        b->seen_tf = xreallocarray(b->seen_tf, c, sizeof(*b->seen_tf));
        b->seencap = c;
    }
    b->seen[b->nseen] = slot;
    b->seen_tf[b->nseen++] = 1;
    return 0;
}

/* Fold the current article's distinct terms into the batch. */
static void batch_article_done(struct batch *b)
{
    for (size_t k = 0; k < b->nseen; k++) {
        struct term_acc *t = &b->terms[b->seen[k]];
        struct cell *c = term_cell(b, t, b->day, b->source_id);
        c->tf += b->sign * b->seen_tf[k];
        c->df += b->sign;
        if (b->sign > 0) {
            if (b->date < c->first)
                c->first = b->date;
            if (b->date < t->first_seen) {
                t->first_seen = b->date;
                t->first_source = b->source_id;
            }
        }
    }
    b->nseen = 0;
    b->article++;
    size_t cap = b->doccap;
    struct cell *d = cell_of(&b->docs, &b->ndocs, &cap, b->day, b->source_id);
    b->doccap = cap;
    d->df += b->sign;
}

static void batch_release(struct batch *b)
{
    free(b->terms);
    while (b->cellmem) {
        struct cell_block *next = b->cellmem->next;
        free(b->cellmem);
        b->cellmem = next;
    }
    free(b->slots);
    while (b->keys) {
        struct key_block *next = b->keys->next;
        free(b->keys);
        b->keys = next;
    }
    free(b->seen);
    free(b->seen_tf);
    free(b->docs);
    buf_release(&b->key);
    memset(b, 0, sizeof(*b));
}

/* ==== writing a batch ==== */

enum {
    W_TERM_GET,
    W_TERM_ADD,
    W_FIRST,
    W_CELL,
    W_CELL_DROP,
    W_DOC,
    W_DOC_DROP,
    W_PEND_GET,
    W_PEND_PUT,
    W_PEND_DEL,
    W_PEND_ADD,
    W_COUNT
};

static const char *const write_sql[W_COUNT] = {
    [W_TERM_GET] = "SELECT id, first_seen FROM term_dict WHERE kind = ?1 AND term = ?2",
    [W_TERM_ADD] = "INSERT INTO term_dict (kind, term, first_seen, first_source) "
                   "VALUES (?1, ?2, ?3, ?4)",
    [W_FIRST] = "UPDATE term_dict SET first_seen = ?2, first_source = ?3 WHERE id = ?1",
    [W_CELL] = "INSERT INTO term_day (term_id, day, source_id, df, tf, first_s) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE SET "
               "tf = tf + excluded.tf, df = df + excluded.df, "
               "first_s = min(first_s, excluded.first_s)",
    [W_CELL_DROP] = "DELETE FROM term_day WHERE term_id = ?1 AND day = ?2 AND source_id = ?3 "
                    "AND df <= 0",
    [W_DOC] = "INSERT INTO doc_day (day, source_id, docs) VALUES (?1, ?2, ?3) "
              "ON CONFLICT DO UPDATE SET docs = docs + excluded.docs",
    [W_DOC_DROP] = "DELETE FROM doc_day WHERE day = ?1 AND source_id = ?2 AND docs <= 0",
    [W_PEND_GET] = "SELECT day, source_id, first_s, tf FROM phrase_pending WHERE h = ?1",
    [W_PEND_PUT] = "INSERT OR REPLACE INTO phrase_pending (h, day, source_id, first_s, tf) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_PEND_DEL] = "DELETE FROM phrase_pending WHERE h = ?1",
    [W_PEND_ADD] = "INSERT OR IGNORE INTO phrase_pending (h, day, source_id, first_s, tf) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)",
};

static int step_reset(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Seconds into its day of a cell's earliest article (INT64_MAX: none). */
static int64_t first_in_day(const struct cell *c)
{
    if (c->first == INT64_MAX)
        return DAY_SECONDS - 1;
    int64_t s = c->first - c->day * DAY_SECONDS;
    return s < 0 ? 0 : s >= DAY_SECONDS ? DAY_SECONDS - 1 : s;
}

/* The pending table's key of a phrase: 64-bit FNV-1a of its text. Two
 * phrases sharing a hash would merge one first occurrence; at a million
 * pending phrases the chance of any such pair is about 1 in 10^7. */
static int64_t phrase_hash(const struct term_acc *t)
{
    return (int64_t)fnv(t->key + 1, t->keylen - 1);
}

/* The articles that use the term in the batch's cells (sum of positive
 * df); *one receives the last cell with a positive df. */
static int64_t positive_df(const struct term_acc *t, const struct cell **one)
{
    int64_t df = 0;
    *one = NULL;
    for (size_t k = 0; k < t->ncells; k++)
        if (t->cells[k].df > 0) {
            df += t->cells[k].df;
            *one = &t->cells[k];
        }
    return df;
}

/* Write phrase h's one use, cell c, to phrase_pending with s (W_PEND_ADD
 * or W_PEND_PUT). */
static int pending_write(sqlite3_stmt *s, int64_t h, const struct cell *c)
{
    sqlite3_bind_int64(s, 1, h);
    sqlite3_bind_int64(s, 2, c->day);
    sqlite3_bind_int64(s, 3, c->source_id);
    sqlite3_bind_int64(s, 4, first_in_day(c));
    sqlite3_bind_int64(s, 5, c->tf > 0 ? c->tf : 1);
    return step_reset(s);
}

/* A phrase not in the dictionary: fold its pending first occurrence (if
 * any) into the batch's cells, then promote it (true) when two or more
 * articles now use it, else keep the one article in phrase_pending. */
static int phrase_unpromoted(struct batch *b, sqlite3_stmt **w, struct term_acc *t, bool *promote)
{
    *promote = false;
    int64_t h = t->pending_key;
    /* Most phrases are used once, ever: one article of this batch and no
     * pending use. Then adding its pending row is all there is to do, and
     * the insert tells whether a pending row was there (one seek, not a
     * read and a write). */
    const struct cell *one_here;
    if (positive_df(t, &one_here) == 1) {
        int rc = pending_write(w[W_PEND_ADD], h, one_here);
        if (rc != SQLITE_OK || sqlite3_changes(sqlite3_db_handle(w[W_PEND_ADD])) == 1)
            return rc;
        /* a pending use was there: fold it in below */
    }
    sqlite3_bind_int64(w[W_PEND_GET], 1, h);
    int rc = sqlite3_step(w[W_PEND_GET]);
    bool pending = rc == SQLITE_ROW;
    if (pending) {
        int64_t day = sqlite3_column_int64(w[W_PEND_GET], 0);
        int64_t src = sqlite3_column_int64(w[W_PEND_GET], 1);
        int64_t first = day * DAY_SECONDS + sqlite3_column_int64(w[W_PEND_GET], 2);
        int64_t tf = sqlite3_column_int64(w[W_PEND_GET], 3);
        struct cell *c = term_cell_find(b, t, day, src);
        c->df += 1;
        c->tf += tf;
        if (first < c->first)
            c->first = first;
        /* the pending use came from an earlier batch, so from an earlier
         * article: on a tie of dates it stays the first, as within a batch
         * (where the first article counted wins), whatever the batch size */
        if (first <= t->first_seen) {
            t->first_seen = first;
            t->first_source = src;
        }
    }
    sqlite3_reset(w[W_PEND_GET]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    /* removals of versions never counted (pruned while pending) are moot */
    const struct cell *one;
    int64_t df = positive_df(t, &one);
    if (df >= 2) {
        *promote = true;
        if (!pending)
            return SQLITE_OK;
        sqlite3_bind_int64(w[W_PEND_DEL], 1, h);
        return step_reset(w[W_PEND_DEL]);
    }
    if (df == 1)
        return pending_write(w[W_PEND_PUT], h, one);
    if (!pending)
        return SQLITE_OK;
    sqlite3_bind_int64(w[W_PEND_DEL], 1, h);
    return step_reset(w[W_PEND_DEL]);
}

/* Orders of the write passes. Each pass walks its B-tree in key order, so
 * consecutive lookups and upserts land on the pages the last one read:
 * a batch of a few thousand articles touches a hundred thousand terms and
 * cells, and in hash order every one of them was a random page (read
 * again and again from disk once the page cache had spilled). */
static int cmp_term_key(const void *pa, const void *pb)
{
    /* term_dict's UNIQUE (kind, term): kind, then the term's bytes (BINARY) */
    const struct term_acc *a = *(struct term_acc *const *)pa, *b = *(struct term_acc *const *)pb;
    size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
    int c = memcmp(a->key, b->key, n);
    return c ? c : a->keylen < b->keylen ? -1 : a->keylen > b->keylen;
}

static int cmp_pending_key(const void *pa, const void *pb)
{
    int64_t a = (*(struct term_acc *const *)pa)->pending_key;
    int64_t b = (*(struct term_acc *const *)pb)->pending_key;
    return a < b ? -1 : a > b;
}

static int cmp_term_id(const void *pa, const void *pb)
{
    int64_t a = (*(struct term_acc *const *)pa)->id, b = (*(struct term_acc *const *)pb)->id;
    return a < b ? -1 : a > b;
}

static int cmp_cell(const void *pa, const void *pb)
{
    const struct cell *a = pa, *b = pb;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return a->source_id < b->source_id ? -1 : a->source_id > b->source_id;
}

/* Pass 1: the term's entry, if any. */
static int term_lookup(sqlite3_stmt **w, struct term_acc *t)
{
    sqlite3_bind_int(w[W_TERM_GET], 1, (unsigned char)t->key[0]);
    sqlite3_bind_text(w[W_TERM_GET], 2, t->key + 1, (int)t->keylen - 1, SQLITE_STATIC);
    int rc = sqlite3_step(w[W_TERM_GET]);
    t->id = 0;
    t->dict_first = INT64_MAX;
    t->known = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        t->id = sqlite3_column_int64(w[W_TERM_GET], 0);
        if (sqlite3_column_type(w[W_TERM_GET], 1) != SQLITE_NULL)
            t->dict_first = sqlite3_column_int64(w[W_TERM_GET], 1);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(w[W_TERM_GET]);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Pass 3: a new entry for a term with something positive to count. */
static int term_add(sqlite3 *db, sqlite3_stmt **w, struct term_acc *t)
{
    if (t->first_seen == INT64_MAX) {
        t->write = false; /* nothing positive to count: no entry */
        return SQLITE_OK;
    }
    sqlite3_bind_int(w[W_TERM_ADD], 1, (unsigned char)t->key[0]);
    sqlite3_bind_text(w[W_TERM_ADD], 2, t->key + 1, (int)t->keylen - 1, SQLITE_STATIC);
    sqlite3_bind_int64(w[W_TERM_ADD], 3, t->first_seen);
    sqlite3_bind_int64(w[W_TERM_ADD], 4, t->first_source);
    int rc = step_reset(w[W_TERM_ADD]);
    t->id = sqlite3_last_insert_rowid(db);
    return rc;
}

/* Pass 4: an earlier first appearance, then the cells. */
static int term_cells(sqlite3_stmt **w, struct term_acc *t)
{
    int rc = SQLITE_OK;
    bool known = t->known;
    if (known && t->first_seen < t->dict_first) {
        sqlite3_bind_int64(w[W_FIRST], 1, t->id);
        sqlite3_bind_int64(w[W_FIRST], 2, t->first_seen);
        sqlite3_bind_int64(w[W_FIRST], 3, t->first_source);
        rc = step_reset(w[W_FIRST]);
    }
    if (t->ncells > 1)
        qsort(t->cells, t->ncells, sizeof(*t->cells), cmp_cell);
    for (size_t k = 0; k < t->ncells && rc == SQLITE_OK; k++) {
        const struct cell *c = &t->cells[k];
        /* a new entry has no cells to subtract from */
        if ((c->df == 0 && c->tf == 0) || (!known && c->df <= 0))
            continue;
        sqlite3_bind_int64(w[W_CELL], 1, t->id);
        sqlite3_bind_int64(w[W_CELL], 2, c->day);
        sqlite3_bind_int64(w[W_CELL], 3, c->source_id);
        sqlite3_bind_int64(w[W_CELL], 4, c->df);
        sqlite3_bind_int64(w[W_CELL], 5, c->tf);
        /* a removal never moves `first`; a new cell starts at its date */
        sqlite3_bind_int64(w[W_CELL], 6, first_in_day(c));
        rc = step_reset(w[W_CELL]);
        if (rc == SQLITE_OK && c->df < 0) {
            sqlite3_bind_int64(w[W_CELL_DROP], 1, t->id);
            sqlite3_bind_int64(w[W_CELL_DROP], 2, c->day);
            sqlite3_bind_int64(w[W_CELL_DROP], 3, c->source_id);
            rc = step_reset(w[W_CELL_DROP]);
        }
    }
    return rc;
}

/* Sort the term's cells by (day, source) and sum the ones of one (day,
 * source) that term_cell() added apart. */
static void merge_cells(struct term_acc *t)
{
    if (t->ncells < 2)
        return;
    qsort(t->cells, t->ncells, sizeof(*t->cells), cmp_cell);
    size_t m = 0;
    for (size_t k = 1; k < t->ncells; k++) {
        struct cell *last = &t->cells[m], *c = &t->cells[k];
        if (c->day == last->day && c->source_id == last->source_id) {
            last->tf += c->tf;
            last->df += c->df;
            if (c->first < last->first)
                last->first = c->first;
        } else {
            t->cells[++m] = *c;
        }
    }
    t->ncells = m + 1;
}

/* Write the batch's terms in four passes, each in the order of the B-tree
 * it walks: look up every term (term_dict's index order), settle the
 * phrases not in the dictionary (phrase_pending's order), add the new
 * entries (index order again), then write first appearances and cells
 * (term id order, which is term_day's). */
static int batch_write(sqlite3 *db, sqlite3_stmt **w, struct batch *b)
{
    int rc = SQLITE_OK;
    struct term_acc **v = xcalloc(b->n ? b->n : 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct term_acc *t = &b->terms[i];
        merge_cells(t);
        bool any = false;
        for (size_t k = 0; k < t->ncells; k++)
            any |= t->cells[k].df != 0 || t->cells[k].tf != 0;
        t->write = any;
        if (any)
            v[n++] = t;
    }
    qsort(v, n, sizeof(*v), cmp_term_key);
    for (size_t i = 0; i < n && rc == SQLITE_OK; i++)
        rc = term_lookup(w, v[i]);

    /* the phrases not in the dictionary, by pending key */
    struct term_acc **ph = xcalloc(n ? n : 1, sizeof(*ph));
    size_t nph = 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i]->known && (unsigned char)v[i]->key[0] == STORE_TERM_PHRASE) {
            v[i]->pending_key = phrase_hash(v[i]);
            ph[nph++] = v[i];
        }
    qsort(ph, nph, sizeof(*ph), cmp_pending_key);
    for (size_t i = 0; i < nph && rc == SQLITE_OK; i++) {
        bool promote = false;
        rc = phrase_unpromoted(b, w, ph[i], &promote);
        ph[i]->write = promote;
    }
    free(ph);

    for (size_t i = 0; i < n && rc == SQLITE_OK; i++)
        if (!v[i]->known && v[i]->write)
            rc = term_add(db, w, v[i]);

    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i]->write && v[i]->id)
            v[m++] = v[i];
    qsort(v, m, sizeof(*v), cmp_term_id);
    for (size_t i = 0; i < m && rc == SQLITE_OK; i++)
        rc = term_cells(w, v[i]);
    free(v);

    for (size_t k = 0; k < b->ndocs && rc == SQLITE_OK; k++) {
        const struct cell *d = &b->docs[k];
        if (d->df == 0)
            continue;
        sqlite3_bind_int64(w[W_DOC], 1, d->day);
        sqlite3_bind_int64(w[W_DOC], 2, d->source_id);
        sqlite3_bind_int64(w[W_DOC], 3, d->df);
        rc = step_reset(w[W_DOC]);
        if (rc == SQLITE_OK && d->df < 0) {
            sqlite3_bind_int64(w[W_DOC_DROP], 1, d->day);
            sqlite3_bind_int64(w[W_DOC_DROP], 2, d->source_id);
            rc = step_reset(w[W_DOC_DROP]);
        }
        if (d->df > 0 && d->day > b->newest_day)
            b->newest_day = d->day;
    }
    return rc;
}

/* Drop pending phrases whose one use lies more than PENDING_DAYS before
 * the newest day counted so far: a phrase that does not recur within a
 * month cannot make a trend. A full scan of the pending table, so it runs
 * when the newest day has moved PRUNE_EVERY days since the last one.
 * Days after tomorrow (feeds with wrong dates) do not move the newest day. */
static int prune_pending(struct store *st, int64_t newest_day)
{
    int64_t tomorrow = day_of((int64_t)time(NULL)) + 1;
    if (newest_day > tomorrow)
        newest_day = tomorrow;
    int64_t pruned = store_query_int(
        st, "SELECT value FROM term_meta WHERE name = 'pending_pruned_day'", INT64_MIN);
    if (newest_day == INT64_MIN || (pruned != INT64_MIN && newest_day < pruned + PRUNE_EVERY))
        return SQLITE_OK;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "DELETE FROM phrase_pending WHERE day < ?1", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, newest_day - PENDING_DAYS);
        rc = step_reset(s);
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(st->db,
                                "INSERT OR REPLACE INTO term_meta (name, value) "
                                "VALUES ('pending_pruned_day', ?1)",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, newest_day);
        rc = step_reset(s);
        sqlite3_finalize(s);
    }
    return rc;
}

/* ==== sync ==== */

int64_t store_termstats_pending(struct store *st)
{
    return store_query_int(st, "SELECT count(*) FROM term_queue", -1);
}

/* Count up to SYNC_BATCH queue rows; *got receives how many. */
static int sync_batch(struct store *st, sqlite3_stmt *q, sqlite3_stmt *del, sqlite3_stmt **w,
                      const struct store_term_analyzer *an, size_t *got, bool *analyzer_failed,
                      int64_t *newest_day)
{
    struct batch b = {0};
    buf_init(&b.key, 0);
    b.newest_day = INT64_MIN;
    b.article = 1;
    int64_t last = 0;
    size_t n = 0;
    int rc;
    sqlite3_bind_int(q, 1, SYNC_BATCH);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        last = sqlite3_column_int64(q, 0);
        b.sign = sqlite3_column_int(q, 1) < 0 ? -1 : 1;
        b.source_id = sqlite3_column_int64(q, 2);
        b.date = sqlite3_column_int64(q, 3);
        b.day = day_of(b.date);
        const char *title = (const char *)sqlite3_column_text(q, 4);
        const char *body = (const char *)sqlite3_column_text(q, 5);
        if (an->terms(an->ctx, title, body, &b, batch_emit) != 0) {
            *analyzer_failed = true;
            rc = SQLITE_ABORT;
            break;
        }
        batch_article_done(&b);
        n++;
    }
    sqlite3_reset(q);
    if (rc == SQLITE_DONE)
        rc = batch_write(st->db, w, &b);
    if (rc == SQLITE_OK && n) {
        sqlite3_bind_int64(del, 1, last);
        rc = step_reset(del);
    }
    if (b.newest_day > *newest_day)
        *newest_day = b.newest_day;
    batch_release(&b);
    *got = n;
    return rc;
}

enum achim_code store_termstats_sync(struct store *st, const struct store_term_analyzer *an,
                                     size_t *ndone, struct err *err)
{
    if (ndone)
        *ndone = 0;
    if (!an || !an->terms)
        return err_set(err, ACHIM_EINVAL, "database '%s': term statistics need an analyzer",
                       st->path);
    bool nested = !sqlite3_get_autocommit(st->db);
    int rc =
        sqlite3_exec(st->db, nested ? "SAVEPOINT termstats" : "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "term statistics: begin");
    sqlite3_stmt *q = NULL, *del = NULL, *w[W_COUNT] = {NULL};
    /* sign 2: an insert whose text is read from the article as it is now
     * (the triggers turn it into a +1 with its text before the article
     * changes or goes away) */
    rc = sqlite3_prepare_v2(
        st->db,
        "SELECT q.id, q.sign, q.source_id, q.date, "
        "  CASE WHEN q.sign = 2 THEN a.title ELSE q.title END, "
        "  CASE WHEN q.sign = 2 THEN coalesce(nullif(a.summary, ''), substr(a.content, 1, 4000)) "
        "  ELSE q.body END "
        "FROM term_queue q LEFT JOIN articles a ON q.sign = 2 AND a.id = q.article_id "
        "ORDER BY q.id LIMIT ?1",
        -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(st->db, "DELETE FROM term_queue WHERE id <= ?1", -1, &del, NULL);
    for (int i = 0; i < W_COUNT && rc == SQLITE_OK; i++)
        rc = sqlite3_prepare_v2(st->db, write_sql[i], -1, &w[i], NULL);
    size_t total = 0, got = 0;
    bool analyzer_failed = false;
    int64_t newest_day = INT64_MIN;
    do {
        if (rc != SQLITE_OK)
            break;
        rc = sync_batch(st, q, del, w, an, &got, &analyzer_failed, &newest_day);
        total += got;
    } while (got == SYNC_BATCH);
    if (rc == SQLITE_OK && total)
        rc = prune_pending(st, newest_day);
    enum achim_code code = ACHIM_OK;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, nested ? "RELEASE termstats" : "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        if (analyzer_failed)
            code = err_set(err, ACHIM_EINVAL, "database '%s': term analyzer failed", st->path);
        else
            code = store_fail(st, err, rc, "term statistics");
        if (nested)
            sqlite3_exec(st->db, "ROLLBACK TO termstats; RELEASE termstats", NULL, NULL, NULL);
        else if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        total = 0;
    }
    sqlite3_finalize(q);
    sqlite3_finalize(del);
    for (int i = 0; i < W_COUNT; i++)
        sqlite3_finalize(w[i]);
    if (ndone)
        *ndone = total;
    return code;
}

/* ==== queries ==== */

static enum achim_code read_cells(struct store *st, sqlite3_stmt *s, struct store_term_cell **out,
                                  size_t *n, struct err *err, const char *what)
{
    struct store_term_cell *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        XGROW(v, len + 1, cap);
        struct store_term_cell *c = &v[len++];
        c->day = sqlite3_column_int64(s, 0);
        c->source_id = sqlite3_column_int64(s, 1);
        c->tf = sqlite3_column_int64(s, 2);
        c->df = sqlite3_column_int64(s, 3);
        c->first = sqlite3_column_int64(s, 4);
    }
    if (rc != SQLITE_DONE) {
        free(v);
        return store_fail(st, err, rc, "%s", what);
    }
    *out = v;
    *n = len;
    return ACHIM_OK;
}

/* A phrase used by one article so far lives in phrase_pending: its one cell. */
static enum achim_code pending_cell(struct store *st, const char *term, int64_t from_day,
                                    int64_t to_day, struct store_term_cell **out, size_t *n,
                                    struct err *err)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT day, source_id, tf, 1, day * 86400 + first_s "
                                "FROM phrase_pending WHERE h = ?1 AND day >= ?2 AND day < ?3",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "pending phrase");
    /* phrase_hash() of the phrase's batch key: the hash of its text */
    sqlite3_bind_int64(s, 1, (int64_t)fnv(term, strlen(term)));
    sqlite3_bind_int64(s, 2, from_day);
    sqlite3_bind_int64(s, 3, to_day);
    enum achim_code code = read_cells(st, s, out, n, err, "pending phrase");
    sqlite3_finalize(s);
    return code;
}

enum achim_code store_term_cells(struct store *st, int kind, const char *term, int64_t from_day,
                                 int64_t to_day, struct store_term_cell **out, size_t *n,
                                 struct err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT t.day, t.source_id, t.tf, t.df, t.day * 86400 + t.first_s "
                                "FROM term_day t JOIN term_dict d ON d.id = t.term_id "
                                "WHERE d.kind = ?1 AND d.term = ?2 AND t.day >= ?3 AND t.day < ?4 "
                                "ORDER BY t.day, t.source_id",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "term cells");
    sqlite3_bind_int(s, 1, kind);
    sqlite3_bind_text(s, 2, term ? term : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, from_day);
    sqlite3_bind_int64(s, 4, to_day);
    enum achim_code code = read_cells(st, s, out, n, err, "term cells");
    sqlite3_finalize(s);
    if (code == ACHIM_OK && *n == 0 && kind == STORE_TERM_PHRASE && term)
        code = pending_cell(st, term, from_day, to_day, out, n, err);
    return code;
}

enum achim_code store_doc_cells(struct store *st, int64_t from_day, int64_t to_day,
                                struct store_term_cell **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT day, source_id, docs, docs, 0 FROM doc_day "
                                "WHERE day >= ?1 AND day < ?2 ORDER BY day, source_id",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "document cells");
    sqlite3_bind_int64(s, 1, from_day);
    sqlite3_bind_int64(s, 2, to_day);
    enum achim_code code = read_cells(st, s, out, n, err, "document cells");
    sqlite3_finalize(s);
    return code;
}

void store_term_totals_free(struct store_term_total *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].term);
    free(v);
}

enum achim_code store_term_totals(struct store *st, unsigned kinds_mask, int64_t a_from,
                                  int64_t a_to, int64_t b_from, int64_t b_to, int64_t min_df,
                                  const int64_t *sources, size_t nsources,
                                  struct store_term_total **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    struct buf list = BUF_INIT;
    buf_addch(&list, '[');
    for (size_t i = 0; sources && i < nsources; i++)
        buf_addf(&list, "%s%lld", i ? "," : "", (long long)sources[i]);
    buf_addch(&list, ']');
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(
        st->db,
        "WITH c AS (SELECT term_id, "
        "  sum(CASE WHEN day >= ?1 AND day < ?2 THEN df ELSE 0 END) AS a, "
        "  sum(CASE WHEN day >= ?3 AND day < ?4 THEN df ELSE 0 END) AS b "
        "  FROM term_day WHERE ((day >= ?1 AND day < ?2) OR (day >= ?3 AND day < ?4)) "
        "  AND (?7 = 0 OR source_id IN (SELECT value FROM json_each(?8))) "
        "  GROUP BY term_id HAVING a >= ?5) "
        "SELECT d.kind, d.term, c.a, c.b, d.first_seen, d.first_source "
        "FROM c JOIN term_dict d ON d.id = c.term_id WHERE (?6 >> d.kind) & 1 "
        "ORDER BY d.kind, d.term",
        -1, &s, NULL);
    if (rc != SQLITE_OK) {
        buf_release(&list);
        return store_fail(st, err, rc, "term totals");
    }
    sqlite3_bind_int64(s, 1, a_from);
    sqlite3_bind_int64(s, 2, a_to);
    sqlite3_bind_int64(s, 3, b_from);
    sqlite3_bind_int64(s, 4, b_to);
    sqlite3_bind_int64(s, 5, min_df);
    sqlite3_bind_int64(s, 6, kinds_mask);
    sqlite3_bind_int(s, 7, sources && nsources ? 1 : 0);
    sqlite3_bind_text(s, 8, list.ptr, -1, SQLITE_STATIC);
    struct store_term_total *v = NULL;
    size_t len = 0, cap = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        XGROW(v, len + 1, cap);
        struct store_term_total *t = &v[len++];
        t->kind = sqlite3_column_int(s, 0);
        t->term = store_column_strdup(s, 1);
        t->df_a = sqlite3_column_int64(s, 2);
        t->df_b = sqlite3_column_int64(s, 3);
        t->first_seen = sqlite3_column_int64(s, 4);
        t->first_source = sqlite3_column_int64(s, 5);
    }
    sqlite3_finalize(s);
    buf_release(&list);
    if (rc != SQLITE_DONE) {
        store_term_totals_free(v, len);
        return store_fail(st, err, rc, "term totals");
    }
    *out = v;
    *n = len;
    return ACHIM_OK;
}

enum achim_code store_term_articles(struct store *st, const char *fts_query, int64_t from,
                                    int64_t to, size_t limit, store_article_text_fn fn, void *ctx,
                                    struct err *err)
{
    sqlite3_stmt *s;
    int rc =
        sqlite3_prepare_v2(st->db,
                           "SELECT a.source_id, a.sort_date, a.title, "
                           "coalesce(nullif(a.summary, ''), substr(a.content, 1, 4000)) "
                           "FROM articles_fts f JOIN articles a ON a.id = f.rowid "
                           "WHERE articles_fts MATCH ?1 AND a.sort_date >= ?2 AND a.sort_date < ?3 "
                           "ORDER BY a.sort_date, a.id LIMIT ?4",
                           -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "term articles");
    sqlite3_bind_text(s, 1, fts_query, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    sqlite3_bind_int64(s, 4, limit ? (int64_t)limit : -1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(ctx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
               (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3))) {
            rc = SQLITE_DONE;
            break;
        }
    }
    enum achim_code code = ACHIM_OK;
    if (rc != SQLITE_DONE)
        code = store_fail(st, err, rc, "term articles for '%s'", fts_query);
    sqlite3_finalize(s);
    return code;
}

int64_t store_termstats_bytes(struct store *st)
{
    return store_query_int(st,
                           "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                           "('term_dict', 'term_day', 'doc_day', 'term_queue', "
                           "'sqlite_autoindex_term_dict_1', 'phrase_pending', 'term_meta')",
                           -1);
}

bool store_in_transaction(struct store *st)
{
    return !sqlite3_get_autocommit(st->db);
}
