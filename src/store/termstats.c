/* SPDX-License-Identifier: MIT */
/* termstats.c: per day x outlet x term counts, kept as articles change.
 *
 * Workload: every ingest adds a few to a few hundred article versions; a
 * backfill or a benchmark adds a million. Trend queries read a handful of
 * terms over years, so the statistics are stored pre-aggregated per UTC day
 * and outlet (term_cells, below) and a query costs one seek per day of
 * its range, not a rescan of the articles.
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
 * Cells are packed (migration 10): one term_cells row per (day, term)
 * holds the cells of every outlet as a blob (cells_encode: per outlet a few
 * varints, about 6 bytes instead of a 21-byte row), keyed day first. A
 * batch is first summed in memory (term -> cells by day and outlet), then
 * written row by row in key order: its articles are mostly of the last
 * days, so the writes land at the end of the table, on pages the batch
 * fills itself, and a row of a day no earlier batch reached is a plain
 * insert (no read). With rows keyed term first, every batch rewrote a page
 * of each term it touched, nearly the whole table per commit. A query
 * looks up the wanted terms' rows day by day (one statement, the ids an IN
 * list), or, when the days of the range hold few rows against the seeks
 * that would take, scans the range once and keeps the wanted terms' rows,
 * testing each row's term id inside the statement (store_terms_cells);
 * cells whose df drops to zero are removed. The view term_day shows the cells as rows
 * (term_id, day, source_id, df, tf, first_s) for SQL and tests, through the
 * connection's functions achim_cells_json() and achim_cells_add().
 * Bulk ingest counts 8,000 articles at once: the terms a batch shares are
 * looked up and written once (ingest benchmark, 100k articles: 16,000 saved
 * 3% of the CPU time for 100 MB more memory).
 *
 * Two-word phrases are mostly used once, ever. A phrase enters term_dict
 * only when a second article uses it; until then its one cell waits in
 * phrase_pending under a hash of its text, and moves into term_cells when it
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

/* first_s: seconds into the cell's day of its earliest article (every
 * article of a cell is of that day; NO_FIRST: none yet), and df in 32
 * bits (at most the articles of a batch): 32 bytes a cell instead of 40,
 * a fifth less memory for the half million cells of a bulk ingest's
 * batch. */
#define NO_FIRST INT32_MAX
struct cell {
    int64_t day, source_id, tf;
    int32_t df, first_s;
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
    int64_t pending_key; /* phrase_hash() of a phrase */
    int64_t pos_df;      /* positive_df() when the batch's cells were merged */
    size_t pos_one;      /* and the index of its last positive cell */
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
    /* cell arrays a term outgrew, by log2 of their capacity, for the next
     * term that grows to that size (cells_reuse) */
    struct cell *outgrown[64];
    struct term_spare *spare; /* the connection's blocks kept between batches */
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
    int64_t newest_day; /* latest day with an article added */
};

/* The blocks of full size (KEY_BLOCK, CELL_BLOCK), the term array and
 * the rows of the last batch, kept by the connection for the next one
 * (store->term_spare, freed by store_close): a bulk ingest counts a batch
 * every 8,000 articles, and each batch's tens of megabytes, freed and
 * given back to the system, were fresh memory again for the next. On the
 * ingest benchmark (100k synthetic articles) the storing thread took
 * 27,800 page faults instead of 65,800 (getrusage), those of the term
 * statistics 18,900 instead of 59,000. */
struct term_spare {
    struct key_block *keys;
    struct cell_block *cells;
    struct term_acc *terms;
    size_t termcap;
    struct row_cell *rows; /* cells_write()'s rows */
    size_t rowcap;
};

void store_termstats_spare_free(struct store *st)
{
    struct term_spare *sp = st->term_spare;
    if (!sp)
        return;
    while (sp->keys) {
        struct key_block *next = sp->keys->next;
        free(sp->keys);
        sp->keys = next;
    }
    while (sp->cells) {
        struct cell_block *next = sp->cells->next;
        free(sp->cells);
        sp->cells = next;
    }
    free(sp->terms);
    free(sp->rows);
    free(sp);
    st->term_spare = NULL;
}

/* FNV-1a of s, continued from h (FNV_BASIS to start) */
#define FNV_BASIS 0xcbf29ce484222325ULL
static uint64_t fnv_more(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t fnv(const char *s, size_t len)
{
    return fnv_more(FNV_BASIS, s, len);
}

/* A copy of the key kind byte + term, NUL-terminated, in the batch's
 * blocks. */
static char *key_copy(struct batch *b, int kind, const char *term, size_t len)
{
    if (!b->keys || b->keys->size - b->keys->used < len + 2) {
        size_t size = len + 2 > KEY_BLOCK ? len + 2 : KEY_BLOCK;
        struct key_block *k = NULL;
        if (size == KEY_BLOCK && b->spare->keys) {
            k = b->spare->keys;
            b->spare->keys = k->next;
        } else {
            k = xmalloc(sizeof(*k) + size);
        }
        k->next = b->keys;
        k->used = 0;
        k->size = size;
        b->keys = k;
    }
    char *p = b->keys->text + b->keys->used;
    p[0] = (char)kind;
    memcpy(p + 1, term, len);
    p[len + 1] = '\0';
    b->keys->used += len + 2;
    return p;
}

static struct cell *cells_alloc(struct batch *b, size_t n)
{
    if (!b->cellmem || b->cellmem->size - b->cellmem->used < n) {
        size_t size = n > CELL_BLOCK ? n : CELL_BLOCK;
        struct cell_block *k = NULL;
        if (size == CELL_BLOCK && b->spare->cells) {
            k = b->spare->cells;
            b->spare->cells = k->next;
        } else {
            k = xmalloc(sizeof(*k) + size * sizeof(struct cell));
        }
        k->next = b->cellmem;
        k->used = 0;
        k->size = size;
        b->cellmem = k;
    }
    struct cell *c = b->cellmem->v + b->cellmem->used;
    b->cellmem->used += n;
    return c;
}

_Static_assert(sizeof(struct cell) >= sizeof(struct cell *), "an outgrown array links through it");

static unsigned log2_of(size_t pow2)
{
    return (unsigned)__builtin_ctzll((unsigned long long)pow2);
}

/* A term's cells grow by doubling (capacities are powers of two). The
 * array it outgrows goes to b->outgrown, linked through its first cell,
 * and the next term growing to that capacity takes it: without, the
 * outgrown arrays (as much memory again as the cells in use) were fresh
 * memory that nothing touched again, and the first page faults of those
 * pages were 40% of the faults of a bulk ingest's storing thread (perf,
 * 5,000 synthetic articles). */
static struct cell *cells_reuse(struct batch *b, size_t cap)
{
    struct cell **head = &b->outgrown[log2_of(cap)];
    struct cell *c = *head;
    if (!c)
        return cells_alloc(b, cap);
    struct cell *next; /* the list is linked through the arrays' first bytes */
    memcpy(&next, (const void *)c, sizeof(next));
    *head = next;
    return c;
}

static void cells_outgrown(struct batch *b, struct cell *c, size_t cap)
{
    struct cell **head = &b->outgrown[log2_of(cap)];
    memcpy((void *)c, head, sizeof(*head));
    *head = c;
}

static struct cell *term_cell_add(struct batch *b, struct term_acc *t, int64_t day, int64_t src)
{
    if (t->ncells == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 1;
        struct cell *nc = cells_reuse(b, ncap);
        if (t->ncells) {
            memcpy(nc, t->cells, t->ncells * sizeof(*nc));
            cells_outgrown(b, t->cells, t->cap);
        }
        t->cells = nc;
        t->cap = ncap;
    }
    struct cell *c = &t->cells[t->ncells++];
    *c = (struct cell){day, src, 0, 0, NO_FIRST};
    return c;
}

/* The term's cell for (day, src) as an article is counted: articles come in
 * id order, a feed (one outlet, mostly one day) at a time, so it is the
 * last cell or a new one. A (day, src) seen before that is added again
 * (feeds interleaved) and merged before the batch is written
 * (merge_cells); searching every cell of a common word for each new
 * feed cost more. A full array moves to one twice its size; the old one
 * goes to the next term that grows to its size (cells_reuse). */
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

/* The index of term (kind, term) in the batch, added if new. Every token
 * of every article comes here: the key is hashed and compared where it
 * lies, and copied only when the term is new. */
static size_t batch_slot(struct batch *b, int kind, const char *term, size_t len)
{
    if ((b->n + 1) * 2 > b->cap)
        batch_grow(b);
    /* fnv() of the key (kind byte + term) without assembling it */
    char kind_byte = (char)kind;
    uint64_t h = fnv_more(fnv_more(FNV_BASIS, &kind_byte, 1), term, len);
    uint64_t tag = (h >> 32) << 32;
    size_t j = h & (b->cap - 1);
    for (uint64_t s; (s = b->slots[j]); j = (j + 1) & (b->cap - 1)) {
        if ((s & 0xffffffff00000000ULL) != tag)
            continue;
        struct term_acc *t = &b->terms[(s & 0xffffffffULL) - 1];
        if (t->hash == h && t->keylen == len + 1 && (unsigned char)t->key[0] == kind &&
            memcmp(t->key + 1, term, len) == 0)
            return (s & 0xffffffffULL) - 1;
    }
    XGROW(b->terms, b->n + 1, b->termcap);
    size_t i = b->n++;
    b->slots[j] = tag | (uint64_t)(i + 1);
    struct term_acc *t = &b->terms[i];
    memset(t, 0, sizeof(*t));
    t->key = key_copy(b, kind, term, len);
    t->keylen = len + 1;
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
    *c = (struct cell){day, src, 0, 0, NO_FIRST};
    return c;
}

static int batch_emit(void *ctx, int kind, const char *term, size_t len)
{
    struct batch *b = ctx;
    if (len == 0 || kind < 1 || kind > 255)
        return 0;
    size_t slot = batch_slot(b, kind, term, len);
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
            int32_t in_day = (int32_t)(b->date - b->day * DAY_SECONDS);
            if (in_day < c->first_s)
                c->first_s = in_day;
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

/* A batch for the connection st, starting with the blocks and the term
 * array the last one left (see struct term_spare). */
static void batch_init(struct batch *b, struct store *st)
{
    memset(b, 0, sizeof(*b));
    if (!st->term_spare)
        st->term_spare = xcalloc(1, sizeof(struct term_spare));
    b->spare = st->term_spare;
    b->terms = b->spare->terms;
    b->termcap = b->spare->termcap;
    b->spare->terms = NULL;
    b->spare->termcap = 0;
}

/* Full-size blocks and the term array go back to the spare, the rest is
 * freed. */
static void batch_release(struct batch *b)
{
    struct term_spare *sp = b->spare; /* batch_init took its term array */
    sp->terms = b->terms;
    sp->termcap = b->termcap;
    while (b->cellmem) {
        struct cell_block *next = b->cellmem->next;
        if (b->cellmem->size == CELL_BLOCK) {
            b->cellmem->next = sp->cells;
            sp->cells = b->cellmem;
        } else {
            free(b->cellmem);
        }
        b->cellmem = next;
    }
    free(b->slots);
    while (b->keys) {
        struct key_block *next = b->keys->next;
        if (b->keys->size == KEY_BLOCK) {
            b->keys->next = sp->keys;
            sp->keys = b->keys;
        } else {
            free(b->keys);
        }
        b->keys = next;
    }
    free(b->seen);
    free(b->seen_tf);
    free(b->docs);
    memset(b, 0, sizeof(*b));
}

/* ==== packed cells ====
 *
 * A term_cells blob: per outlet, by ascending source id, the varints
 * zigzag(source id - previous source id), zigzag(df), zigzag(tf) and
 * first_s (seconds into the day of the earliest article). Signed values
 * are zigzagged so that a count gone wrong still round-trips. */

struct pcell {
    int64_t source_id, df, tf, first_s;
};

/* Writes v as a varint at p (room for 10 bytes); returns the bytes written. */
static size_t put_varint(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    do {
        p[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            p[n] |= 0x80;
        n++;
    } while (v);
    return n;
}

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Reads one varint at *p (< end); false at a truncated or overlong one. */
static bool get_varint(const unsigned char **p, const unsigned char *end, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char c = *(*p)++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

static void cells_encode(struct buf *b, const struct pcell *c, size_t n)
{
    buf_reset(b);
    int64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        /* a cell's four varints in one append: a row is rewritten at every
         * batch that touches its day, so this runs for every cell */
        unsigned char tmp[40];
        size_t len = put_varint(tmp, zigzag(c[i].source_id - prev));
        len += put_varint(tmp + len, zigzag(c[i].df));
        len += put_varint(tmp + len, zigzag(c[i].tf));
        len += put_varint(tmp + len, c[i].first_s < 0 ? 0 : (uint64_t)c[i].first_s);
        buf_add(b, (const char *)tmp, len);
        prev = c[i].source_id;
    }
}

/* Appends the cells of blob to *v (array of *n, capacity *cap); false when
 * the blob is malformed (what was decoded before stays). */
/* The next cell at *p (before end) into c, its source id a delta from
 * the previous cell's (c->source_id on entry, 0 for the first); false for
 * a malformed blob. */
static inline bool cell_next(const unsigned char **p, const unsigned char *end, struct pcell *c)
{
    uint64_t ds, df, tf, fs;
    if (!get_varint(p, end, &ds) || !get_varint(p, end, &df) || !get_varint(p, end, &tf) ||
        !get_varint(p, end, &fs))
        return false;
    *c = (struct pcell){c->source_id + unzigzag(ds), unzigzag(df), unzigzag(tf), (int64_t)fs};
    return true;
}

static bool cells_decode(const void *blob, size_t len, struct pcell **v, size_t *n, size_t *cap)
{
    const unsigned char *p = blob, *end = p + len;
    struct pcell c = {0};
    while (p < end) {
        if (!cell_next(&p, end, &c))
            return false;
        XGROW(*v, *n + 1, *cap);
        (*v)[(*n)++] = c;
    }
    return true;
}

static int cmp_pcell(const void *pa, const void *pb)
{
    const struct pcell *a = pa, *b = pb;
    return a->source_id < b->source_id ? -1 : a->source_id > b->source_id;
}

/* Add one cell to sorted v as the former row upsert did: counts summed,
 * first_s the earlier. */
static void cells_add_one(struct pcell **v, size_t *n, size_t *cap, const struct pcell *c)
{
    size_t lo = 0, hi = *n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((*v)[mid].source_id < c->source_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < *n && (*v)[lo].source_id == c->source_id) {
        struct pcell *x = &(*v)[lo];
        x->df += c->df;
        x->tf += c->tf;
        if (c->first_s < x->first_s)
            x->first_s = c->first_s;
        return;
    }
    XGROW(*v, *n + 1, *cap);
    memmove(&(*v)[lo + 1], &(*v)[lo], (*n - lo) * sizeof(**v));
    (*v)[lo] = *c;
    (*n)++;
}

/* The cells of SQL argument val into *v (freed by the caller, also on
 * failure); false, with the function's error set, when malformed. */
static bool arg_cells(sqlite3_context *ctx, sqlite3_value *val, struct pcell **v, size_t *n,
                      size_t *cap)
{
    if (cells_decode(sqlite3_value_blob(val), (size_t)sqlite3_value_bytes(val), v, n, cap))
        return true;
    sqlite3_result_error(ctx, "malformed term cells", -1);
    return false;
}

/* Cells v[0..n) packed as the function's result. */
static void result_cells(sqlite3_context *ctx, const struct pcell *v, size_t n)
{
    struct buf b = BUF_INIT;
    cells_encode(&b, v, n);
    sqlite3_result_blob(ctx, b.ptr, (int)b.len, SQLITE_TRANSIENT);
    buf_release(&b);
}

/* achim_cells_pack(source_id, df, tf, first_s): the aggregate that packs
 * the rows of one (day, term) into a blob (migration 10). */
struct pack_agg {
    struct pcell *v;
    size_t n, cap;
};

static void pack_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct pack_agg *a = sqlite3_aggregate_context(ctx, sizeof(*a));
    if (!a) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    struct pcell c = {sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1]),
                      sqlite3_value_int64(argv[2]), sqlite3_value_int64(argv[3])};
    XGROW(a->v, a->n + 1, a->cap);
    a->v[a->n++] = c;
}

static void pack_final(sqlite3_context *ctx)
{
    struct pack_agg *a = sqlite3_aggregate_context(ctx, 0);
    if (!a || !a->n) {
        sqlite3_result_zeroblob(ctx, 0);
        if (a)
            free(a->v);
        return;
    }
    qsort(a->v, a->n, sizeof(*a->v), cmp_pcell);
    struct pcell *m = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < a->n; i++)
        cells_add_one(&m, &n, &cap, &a->v[i]);
    result_cells(ctx, m, n);
    free(m);
    free(a->v);
}

/* achim_cells_json(cells): '[[source_id, df, tf, first_s], ...]', what the
 * view term_day unpacks with json_each. */
static void json_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct pcell *v = NULL;
    size_t n = 0, cap = 0;
    if (!arg_cells(ctx, argv[0], &v, &n, &cap)) {
        free(v);
        return;
    }
    struct buf b = BUF_INIT;
    buf_addch(&b, '[');
    for (size_t i = 0; i < n; i++)
        buf_addf(&b, "%s[%lld,%lld,%lld,%lld]", i ? "," : "", (long long)v[i].source_id,
                 (long long)v[i].df, (long long)v[i].tf, (long long)v[i].first_s);
    buf_addch(&b, ']');
    sqlite3_result_text(ctx, b.ptr, (int)b.len, SQLITE_TRANSIENT);
    buf_release(&b);
    free(v);
}

/* achim_cells_add(cells, source_id, df, tf, first_s): cells (NULL: none)
 * with one cell added as a row upsert adds it (the view's insert trigger). */
static void add_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct pcell *v = NULL;
    size_t n = 0, cap = 0;
    if (sqlite3_value_type(argv[0]) != SQLITE_NULL && !arg_cells(ctx, argv[0], &v, &n, &cap)) {
        free(v);
        return;
    }
    struct pcell c = {sqlite3_value_int64(argv[1]), sqlite3_value_int64(argv[2]),
                      sqlite3_value_int64(argv[3]), sqlite3_value_int64(argv[4])};
    cells_add_one(&v, &n, &cap, &c);
    result_cells(ctx, v, n);
    free(v);
}

/* achim_cells_count(cells): the number of cells, for sizes and tests. */
static void count_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct pcell *v = NULL;
    size_t n = 0, cap = 0;
    if (arg_cells(ctx, argv[0], &v, &n, &cap))
        sqlite3_result_int64(ctx, (sqlite3_int64)n);
    free(v);
}

static void wanted_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);

enum achim_code store_termstats_attach(struct store *st, struct err *err)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function(st->db, "achim_cells_pack", 4, flags, NULL, NULL, pack_step,
                                     pack_final);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(st->db, "achim_cells_json", 1, flags, NULL, json_fn, NULL,
                                     NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(st->db, "achim_cells_add", 5, flags, NULL, add_fn, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(st->db, "achim_cells_count", 1, flags, NULL, count_fn, NULL,
                                     NULL);
    if (rc == SQLITE_OK) /* not deterministic: its first argument is a bound C pointer */
        rc = sqlite3_create_function(st->db, "achim_term_wanted", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS,
                                     NULL, wanted_fn, NULL, NULL);
    return rc == SQLITE_OK ? ACHIM_OK : store_fail(st, err, rc, "term cell functions");
}

/* ==== writing a batch ==== */

enum {
    W_TERM_GET,
    W_TERM_ADD,
    W_FIRST,
    W_ROW_MAX,
    W_ROW_GET,
    W_ROW_PUT,
    W_ROW_SET,
    W_ROW_DEL,
    W_DOC,
    W_DOC_DROP,
    W_PEND_GET,
    W_PEND_PUT,
    W_PEND_DEL,
    W_PEND_ADD,
    W_ROW_PUT_MANY, /* ROW_PUT_MANY rows of W_ROW_PUT in one statement */
    W_COUNT
};

/* New term_cells rows are inserted this many at a time: a batch writes
 * tens of thousands, and one statement per row spent more on running the
 * statement than on the insert. 128 rather than 32 took 7% off these
 * inserts (callgrind, 5,000 synthetic articles); 384 bound values stay far
 * below SQLite's limit of 32,766. */
#define ROW_PUT_MANY 128

static const char *const write_sql[W_COUNT] = {
    [W_TERM_GET] = "SELECT kind, term, id FROM term_dict WHERE (kind, term) >= (?1, ?2) "
                   "ORDER BY kind, term",
    [W_TERM_ADD] = "INSERT INTO term_dict (kind, term, first_seen, first_source) "
                   "VALUES (?1, ?2, ?3, ?4)",
    [W_FIRST] = "UPDATE term_dict SET first_seen = ?2, first_source = ?3 WHERE id = ?1 "
                "AND (first_seen IS NULL OR first_seen > ?2)",
    [W_ROW_MAX] = "SELECT max(term_id) FROM term_cells WHERE day = ?1",
    [W_ROW_GET] = "SELECT cells FROM term_cells WHERE day = ?1 AND term_id = ?2",
    [W_ROW_PUT] = "INSERT INTO term_cells (day, term_id, cells) VALUES (?1, ?2, ?3)",
    [W_ROW_SET] = "UPDATE term_cells SET cells = ?3 WHERE day = ?1 AND term_id = ?2",
    [W_ROW_DEL] = "DELETE FROM term_cells WHERE day = ?1 AND term_id = ?2",
    [W_DOC] = "INSERT INTO doc_day (day, source_id, docs) VALUES (?1, ?2, ?3) "
              "ON CONFLICT DO UPDATE SET docs = docs + excluded.docs",
    [W_DOC_DROP] = "DELETE FROM doc_day WHERE day = ?1 AND source_id = ?2 AND docs <= 0",
    [W_PEND_GET] = "SELECT day, source_id, first_s, tf FROM phrase_pending WHERE h = ?1",
    [W_PEND_PUT] = "INSERT OR REPLACE INTO phrase_pending (h, day, source_id, first_s, tf) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_PEND_DEL] = "DELETE FROM phrase_pending WHERE h = ?1",
    [W_PEND_ADD] = "INSERT OR IGNORE INTO phrase_pending (h, day, source_id, first_s, tf) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_ROW_PUT_MANY] = NULL, /* put_many_sql() */
};

/* W_ROW_PUT for ROW_PUT_MANY rows: "INSERT ... VALUES (?, ?, ?), ..." */
static char *put_many_sql(void)
{
    struct buf b = BUF_INIT;
    buf_addstr(&b, "INSERT INTO term_cells (day, term_id, cells) VALUES ");
    for (int i = 0; i < ROW_PUT_MANY; i++)
        buf_addstr(&b, i ? ", (?, ?, ?)" : "(?, ?, ?)");
    return buf_take(&b);
}

static int step_reset(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Seconds s into a day, as stored: within [0, DAY_SECONDS). */
static int32_t in_day_clamp(int64_t s)
{
    return (int32_t)(s < 0 ? 0 : s >= DAY_SECONDS ? DAY_SECONDS - 1 : s);
}

/* Seconds into its day of a cell's earliest article (none: the day's end). */
static int64_t first_in_day(const struct cell *c)
{
    return c->first_s == NO_FIRST ? DAY_SECONDS - 1 : in_day_clamp(c->first_s);
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
    if (t->pos_df == 1) {
        int rc = pending_write(w[W_PEND_ADD], h, &t->cells[t->pos_one]);
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
        int64_t first_s = sqlite3_column_int64(w[W_PEND_GET], 2);
        int64_t first = day * DAY_SECONDS + first_s;
        int64_t tf = sqlite3_column_int64(w[W_PEND_GET], 3);
        struct cell *c = term_cell_find(b, t, day, src);
        c->df += 1;
        c->tf += tf;
        /* clamped as it will be written: the earlier of the two either way */
        int32_t first_at = in_day_clamp(first_s);
        if (first_at < c->first_s)
            c->first_s = first_at;
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
/* The passes sort pointers to the batch's terms, a few hundred thousand of
 * them scattered over the batch's memory: each sorts (key, pointer) pairs
 * whose leading 16 bytes decide nearly every comparison without touching
 * the term, then writes the pointers back in order. */
struct sort_ent {
    uint64_t k0, k1;
    struct term_acc *t;
};

enum sort_by { BY_TERM_KEY, BY_PENDING_KEY, BY_TERM_ID };

/* RUN_MERGE_SORT(name, T, before) defines name(v, n): a stable sort of
 * T v[0..n), before(a, b) true when *a goes strictly before *b. The
 * batch's arrays come mostly in order (a term's cells by day, then
 * outlet), so it merges the ascending runs it finds (none to merge: no
 * work), with the comparison inlined. Through qsort's comparison callback
 * these sorts cost 2.9% of a bulk ingest's storing thread, this way 40%
 * less (callgrind, 20,000 synthetic articles). Stable, so ties keep the
 * order they had: qsort promises no order for ties (glibc's merge sort
 * falls back to quicksort when it cannot get its temporary array). */
#define RUN_MERGE_SORT(name, T, before)                                                            \
    static void name(T *v, size_t n)                                                               \
    {                                                                                              \
        if (n < 2)                                                                                 \
            return;                                                                                \
        if (n <= 16) { /* insertion sort: a few cells */                                           \
            for (size_t i = 1; i < n; i++) {                                                       \
                T x = v[i];                                                                        \
                size_t j = i;                                                                      \
                for (; j > 0 && before(&x, &v[j - 1]); j--)                                        \
                    v[j] = v[j - 1];                                                               \
                v[j] = x;                                                                          \
            }                                                                                      \
            return;                                                                                \
        }                                                                                          \
        size_t first = 1; /* the first out of order: none (n) mostly */                            \
        while (first < n && !before(&v[first], &v[first - 1]))                                     \
            first++;                                                                               \
        if (first == n)                                                                            \
            return;                                                                                \
        size_t *at = NULL, nruns = 0, cap = 0; /* run i is [at[i], at[i + 1]) */                   \
        for (size_t i = 0; i < n; i++)                                                             \
            if (i == 0 || (i >= first && before(&v[i], &v[i - 1]))) {                              \
                XGROW(at, nruns + 2, cap);                                                         \
                at[nruns++] = i;                                                                   \
            }                                                                                      \
        at[nruns] = n;                                                                             \
        T *tmp = xcalloc(n, sizeof(T)), *src = v, *dst = tmp;                                      \
        while (nruns > 1) {                                                                        \
            size_t m = 0;                                                                          \
            for (size_t r = 0; r < nruns; r += 2) {                                                \
                size_t lo = at[r], mid = at[r + 1], hi = r + 2 <= nruns ? at[r + 2] : mid;         \
                size_t a = lo, b = mid, o = lo;                                                    \
                while (a < mid && b < hi)                                                          \
                    dst[o++] = before(&src[b], &src[a]) ? src[b++] : src[a++];                     \
                while (a < mid)                                                                    \
                    dst[o++] = src[a++];                                                           \
                while (b < hi)                                                                     \
                    dst[o++] = src[b++];                                                           \
                at[m++] = lo;                                                                      \
            }                                                                                      \
            at[m] = n;                                                                             \
            nruns = m;                                                                             \
            T *x = src;                                                                            \
            src = dst;                                                                             \
            dst = x;                                                                               \
        }                                                                                          \
        if (src != v)                                                                              \
            memcpy(v, src, n * sizeof(T));                                                         \
        free(tmp);                                                                                 \
        free(at);                                                                                  \
    }

static uint64_t be_bytes(const char *p, size_t len)
{
    uint64_t v = 0;
    for (size_t i = 0; i < 8; i++)
        v = v << 8 | (i < len ? (unsigned char)p[i] : 0);
    return v;
}

static inline int cmp_sort_ent(const struct sort_ent *a, const struct sort_ent *b)
{
    if (a->k0 != b->k0)
        return a->k0 < b->k0 ? -1 : 1;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    /* term_dict's UNIQUE (kind, term): kind, then the term's bytes
     * (BINARY); the first 16 were equal (a NUL pad sorts first) */
    const struct term_acc *x = a->t, *y = b->t;
    size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
    int c = n > 16 ? memcmp(x->key + 16, y->key + 16, n - 16) : 0;
    return c ? c : x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

#define SORT_ENT_BEFORE(a, b) (cmp_sort_ent(a, b) < 0)
RUN_MERGE_SORT(sort_ents, struct sort_ent, SORT_ENT_BEFORE)

static void sort_terms(struct term_acc **v, size_t n, enum sort_by by)
{
    if (n < 2)
        return;
    struct sort_ent *e = xcalloc(n, sizeof(*e));
    for (size_t i = 0; i < n; i++) {
        const struct term_acc *t = v[i];
        e[i].t = v[i];
        switch (by) {
        case BY_TERM_KEY:
            e[i].k0 = be_bytes(t->key, t->keylen);
            e[i].k1 = t->keylen > 8 ? be_bytes(t->key + 8, t->keylen - 8) : 0;
            break;
        case BY_PENDING_KEY: /* signed order */
            e[i].k0 = (uint64_t)t->pending_key ^ (1ULL << 63);
            break;
        case BY_TERM_ID: e[i].k0 = (uint64_t)t->id ^ (1ULL << 63); break;
        }
    }
    sort_ents(e, n);
    for (size_t i = 0; i < n; i++)
        v[i] = e[i].t;
    free(e);
}

/* Whether cell a goes before cell b: by day, then outlet. */
static inline bool cell_before(const struct cell *a, const struct cell *b)
{
    return a->day != b->day ? a->day < b->day : a->source_id < b->source_id;
}
RUN_MERGE_SORT(sort_cells, struct cell, cell_before)

/* Pass 1: the entries of the terms (sorted by key), if any. One cursor
 * walks term_dict's (kind, term) index along with them: the terms of a
 * large batch are dense in it, and stepping to the next entry costs a
 * fraction of a seek from the root. When the entry sought is more than
 * LOOKUP_STEPS entries ahead, the cursor seeks instead. */
#define LOOKUP_STEPS 8

/* The index entry under the cursor against term t: <0, 0, >0. */
static int entry_cmp(sqlite3_stmt *s, const struct term_acc *t)
{
    int kind = sqlite3_column_int(s, 0), tk = (unsigned char)t->key[0];
    if (kind != tk)
        return kind < tk ? -1 : 1;
    const void *term = sqlite3_column_blob(s, 1);
    size_t len = (size_t)sqlite3_column_bytes(s, 1), tlen = t->keylen - 1;
    int c = len && tlen ? memcmp(term, t->key + 1, len < tlen ? len : tlen) : 0;
    return c ? c : len < tlen ? -1 : len > tlen;
}

static int terms_lookup(sqlite3_stmt **w, struct term_acc **v, size_t n)
{
    sqlite3_stmt *s = w[W_TERM_GET];
    int rc = SQLITE_DONE;
    bool positioned = false; /* rc is the step that put the cursor where it is */
    for (size_t i = 0; i < n; i++) {
        struct term_acc *t = v[i];
        int c = -1;
        for (int steps = 0; positioned && rc == SQLITE_ROW && (c = entry_cmp(s, t)) < 0; steps++) {
            if (steps == LOOKUP_STEPS) {
                positioned = false;
                break;
            }
            rc = sqlite3_step(s);
        }
        if (positioned && rc != SQLITE_ROW && rc != SQLITE_DONE)
            break;
        if (!positioned) {
            sqlite3_reset(s);
            sqlite3_bind_int(s, 1, (unsigned char)t->key[0]);
            sqlite3_bind_text(s, 2, t->key + 1, (int)t->keylen - 1, SQLITE_STATIC);
            rc = sqlite3_step(s);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                break;
            positioned = true;
            c = rc == SQLITE_ROW ? entry_cmp(s, t) : 1;
        } else if (rc == SQLITE_DONE) {
            c = 1; /* past the last entry: every later term is new */
        }
        t->known = rc == SQLITE_ROW && c == 0;
        t->id = t->known ? sqlite3_column_int64(s, 2) : 0;
    }
    /* the bound key points into a term; leave no statement running */
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
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

/* Pass 4: an earlier first appearance (the update keeps a later one). */
static int term_first(sqlite3_stmt **w, struct term_acc *t)
{
    if (!t->known || t->first_seen == INT64_MAX)
        return SQLITE_OK;
    sqlite3_bind_int64(w[W_FIRST], 1, t->id);
    sqlite3_bind_int64(w[W_FIRST], 2, t->first_seen);
    sqlite3_bind_int64(w[W_FIRST], 3, t->first_source);
    return step_reset(w[W_FIRST]);
}

/* A cell of the batch bound for row (day, term_id) of term_cells. */
struct row_cell {
    int64_t term_id, source_id, df, tf, first_s;
};

struct day_rows {
    int64_t day;
    struct row_cell *v; /* a slice of one array for all days (cells_write) */
    size_t n, cap;      /* rows placed; the day's exact count (counted first) */
};

/* Row (day, cells c[0..n) of one term) merged into what the row holds (old,
 * nold; sorted by source), as the former upsert of each cell did: counts
 * summed, first_s the earlier, and a cell dropped when the batch removed
 * articles from it and none are left. Into out (cleared first). */
static void row_merge(const struct pcell *old, size_t nold, const struct row_cell *c, size_t n,
                      struct pcell **out, size_t *nout, size_t *cap)
{
    *nout = 0;
    size_t i = 0, k = 0;
    while (i < nold || k < n) {
        XGROW(*out, *nout + 1, *cap);
        if (k == n || (i < nold && old[i].source_id < c[k].source_id)) {
            (*out)[(*nout)++] = old[i++];
            continue;
        }
        struct pcell m = {c[k].source_id, c[k].df, c[k].tf, c[k].first_s};
        if (i < nold && old[i].source_id == c[k].source_id) {
            m.df += old[i].df;
            m.tf += old[i].tf;
            if (old[i].first_s < m.first_s)
                m.first_s = old[i].first_s;
            i++;
        }
        bool removed = c[k].df < 0 && m.df <= 0;
        k++;
        if (!removed)
            (*out)[(*nout)++] = m;
    }
}

/* New rows of a day waiting to be inserted, ROW_PUT_MANY at a time; their
 * blobs one after the other in blobs. */
struct row_puts {
    int64_t ids[ROW_PUT_MANY];
    size_t end[ROW_PUT_MANY]; /* of each blob in blobs */
    size_t n;
    struct buf blobs;
};

/* Insert the waiting rows (in the order they came). */
static int puts_flush(sqlite3_stmt **w, int64_t day, struct row_puts *p)
{
    int rc = SQLITE_OK;
    if (p->n == ROW_PUT_MANY) {
        sqlite3_stmt *s = w[W_ROW_PUT_MANY];
        for (size_t i = 0; i < p->n; i++) {
            size_t from = i ? p->end[i - 1] : 0;
            sqlite3_bind_int64(s, (int)(3 * i + 1), day);
            sqlite3_bind_int64(s, (int)(3 * i + 2), p->ids[i]);
            sqlite3_bind_blob(s, (int)(3 * i + 3), p->blobs.ptr + from, (int)(p->end[i] - from),
                              SQLITE_STATIC);
        }
        rc = step_reset(s);
        sqlite3_clear_bindings(s);
    } else {
        sqlite3_stmt *s = w[W_ROW_PUT];
        for (size_t i = 0; i < p->n && rc == SQLITE_OK; i++) {
            size_t from = i ? p->end[i - 1] : 0;
            sqlite3_bind_int64(s, 1, day);
            sqlite3_bind_int64(s, 2, p->ids[i]);
            sqlite3_bind_blob(s, 3, p->blobs.ptr + from, (int)(p->end[i] - from), SQLITE_STATIC);
            rc = step_reset(s);
            sqlite3_clear_bindings(s);
        }
    }
    p->n = 0;
    buf_reset(&p->blobs);
    return rc;
}

/* Write one day's rows (sorted by term, then source). Rows of terms above
 * the day's highest stored term id are new: inserted without a read. */
static int day_write(sqlite3_stmt **w, const struct day_rows *d, struct buf *blob,
                     struct row_puts *puts)
{
    sqlite3_bind_int64(w[W_ROW_MAX], 1, d->day);
    int rc = sqlite3_step(w[W_ROW_MAX]);
    int64_t max_id = INT64_MIN;
    if (rc == SQLITE_ROW && sqlite3_column_type(w[W_ROW_MAX], 0) != SQLITE_NULL)
        max_id = sqlite3_column_int64(w[W_ROW_MAX], 0);
    sqlite3_reset(w[W_ROW_MAX]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    struct pcell *old = NULL, *merged = NULL;
    size_t oldcap = 0, mcap = 0;
    rc = SQLITE_OK;
    for (size_t i = 0; i < d->n && rc == SQLITE_OK;) {
        size_t j = i;
        int64_t id = d->v[i].term_id;
        while (j < d->n && d->v[j].term_id == id)
            j++;
        size_t nold = 0, nm = 0;
        bool exists = false;
        if (id <= max_id) {
            sqlite3_bind_int64(w[W_ROW_GET], 1, d->day);
            sqlite3_bind_int64(w[W_ROW_GET], 2, id);
            rc = sqlite3_step(w[W_ROW_GET]);
            if (rc == SQLITE_ROW) {
                exists = true;
                if (!cells_decode(sqlite3_column_blob(w[W_ROW_GET], 0),
                                  (size_t)sqlite3_column_bytes(w[W_ROW_GET], 0), &old, &nold,
                                  &oldcap))
                    rc = SQLITE_CORRUPT;
            }
            sqlite3_reset(w[W_ROW_GET]);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                break;
            rc = SQLITE_OK;
        }
        row_merge(old, nold, d->v + i, j - i, &merged, &nm, &mcap);
        i = j;
        if (nm && !exists) { /* a new row: waits for the next insert of many */
            cells_encode(blob, merged, nm);
            buf_add(&puts->blobs, blob->ptr, blob->len);
            puts->ids[puts->n] = id;
            puts->end[puts->n++] = puts->blobs.len;
            if (puts->n == ROW_PUT_MANY)
                rc = puts_flush(w, d->day, puts);
            continue;
        }
        if (nm == 0 && !exists)
            continue;
        /* the rows before it first, so that the writes keep their order */
        if (puts->n && (rc = puts_flush(w, d->day, puts)) != SQLITE_OK)
            break;
        sqlite3_stmt *s = nm == 0 ? w[W_ROW_DEL] : w[W_ROW_SET];
        sqlite3_bind_int64(s, 1, d->day);
        sqlite3_bind_int64(s, 2, id);
        if (nm) {
            cells_encode(blob, merged, nm);
            sqlite3_bind_blob(s, 3, blob->ptr, (int)blob->len, SQLITE_STATIC);
        }
        rc = step_reset(s);
        sqlite3_clear_bindings(s);
    }
    if (rc == SQLITE_OK && puts->n)
        rc = puts_flush(w, d->day, puts);
    puts->n = 0; /* after a failure: dropped, the caller rolls back */
    buf_reset(&puts->blobs);
    free(old);
    free(merged);
    return rc;
}

/* A term's cells sorted by (day, source): merge_cells() sorted them, but
 * a promoted phrase may have had its pending use added after. */
static void cells_sort(struct term_acc *t)
{
    sort_cells(t->cells, t->ncells);
}

static bool cell_written(const struct term_acc *t, const struct cell *c)
{
    /* a new entry has no cells to subtract from */
    return !((c->df == 0 && c->tf == 0) || (!t->known && c->df <= 0));
}

/* The index of the first of the sorted days v[0..n) not before day. */
static size_t day_index(const int64_t *v, size_t n, int64_t day)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Pass 5: the cells of the terms (in term id order, each term's sorted by
 * day and source), sorted out by day, so each day's rows come in key
 * order; then written day by day. */
static int cells_write(sqlite3_stmt **w, struct term_acc **v, size_t m, struct term_spare *sp)
{
    /* the batch's days, sorted and distinct (a few, unless a backfill) */
    int64_t *dayv = NULL;
    size_t ndays = 0, dcap = 0;
    for (size_t i = 0; i < m; i++) {
        cells_sort(v[i]);
        int64_t last = INT64_MIN;
        for (size_t k = 0; k < v[i]->ncells; k++) {
            int64_t day = v[i]->cells[k].day;
            if (day == last)
                continue;
            last = day;
            size_t at = day_index(dayv, ndays, day);
            if (at < ndays && dayv[at] == day)
                continue;
            XGROW(dayv, ndays + 1, dcap);
            memmove(dayv + at + 1, dayv + at, (ndays - at) * sizeof(*dayv));
            dayv[at] = day;
            ndays++;
        }
    }
    struct day_rows *days = xcalloc(ndays ? ndays : 1, sizeof(*days));
    for (size_t d = 0; d < ndays; d++)
        days[d].day = dayv[d];
    /* counted first, then placed: the rows (a hundred thousand for a bulk
     * ingest's batch) in one array of the exact size, each day's a slice
     * of it; grown row by row, the reallocations copied them into fresh
     * memory, a tenth of the storing thread's page faults (perf, 5,000
     * synthetic articles) */
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m; i++) {
            const struct term_acc *t = v[i];
            size_t d = 0;
            for (size_t k = 0; k < t->ncells; k++) {
                const struct cell *c = &t->cells[k];
                if (!cell_written(t, c))
                    continue;
                if (days[d].day != c->day)
                    d = day_index(dayv, ndays, c->day);
                struct day_rows *dr = &days[d];
                if (pass == 0) {
                    dr->cap++;
                    continue;
                }
                /* a removal never moves `first`; a new cell starts at its date */
                dr->v[dr->n++] =
                    (struct row_cell){t->id, c->source_id, c->df, c->tf, first_in_day(c)};
            }
        }
        if (pass == 0) {
            for (size_t d = 0; d < ndays; d++)
                total += days[d].cap;
            if (!sp->rows || sp->rowcap < total) {
                free(sp->rows);
                sp->rowcap = total ? total : 1;
                sp->rows = xcalloc(sp->rowcap, sizeof(*sp->rows));
            }
            for (size_t d = 0, at = 0; d < ndays; at += days[d].cap, d++)
                days[d].v = sp->rows + at;
        }
    }
    free(dayv);
    int rc = SQLITE_OK;
    struct buf blob = BUF_INIT;
    struct row_puts puts = {.n = 0};
    buf_init(&puts.blobs, 0);
    for (size_t d = 0; d < ndays && rc == SQLITE_OK; d++)
        rc = day_write(w, &days[d], &blob, &puts);
    buf_release(&puts.blobs);
    buf_release(&blob);
    free(days);
    return rc;
}

/* Sort the term's cells by (day, source) and sum the ones of one (day,
 * source) that term_cell() added apart. */
static void merge_cells(struct term_acc *t)
{
    if (t->ncells < 2)
        return;
    /* mostly in order already: feeds come by day, an outlet at a time */
    cells_sort(t);
    size_t m = 0;
    for (size_t k = 1; k < t->ncells; k++) {
        struct cell *last = &t->cells[m], *c = &t->cells[k];
        if (c->day == last->day && c->source_id == last->source_id) {
            last->tf += c->tf;
            last->df += c->df;
            if (c->first_s < last->first_s)
                last->first_s = c->first_s;
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
        t->pos_df = 0;
        for (size_t k = 0; k < t->ncells; k++) {
            any |= t->cells[k].df != 0 || t->cells[k].tf != 0;
            if (t->cells[k].df > 0) {
                t->pos_df += t->cells[k].df;
                t->pos_one = k;
            }
        }
        t->write = any;
        if (any)
            v[n++] = t;
    }
    sort_terms(v, n, BY_TERM_KEY);
    rc = terms_lookup(w, v, n);

    /* the phrases not in the dictionary, by pending key */
    struct term_acc **ph = xcalloc(n ? n : 1, sizeof(*ph));
    size_t nph = 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i]->known && (unsigned char)v[i]->key[0] == STORE_TERM_PHRASE) {
            v[i]->pending_key = phrase_hash(v[i]);
            ph[nph++] = v[i];
        }
    sort_terms(ph, nph, BY_PENDING_KEY);
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
    sort_terms(v, m, BY_TERM_ID);
    for (size_t i = 0; i < m && rc == SQLITE_OK; i++)
        rc = term_first(w, v[i]);
    if (rc == SQLITE_OK)
        rc = cells_write(w, v, m, b->spare);
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
    /* The bulk ingest asks after every feed, with up to APP_STATS_BATCH
     * rows queued: count(*) stepped over all of them. Rows are added at
     * max(id) + 1 (the triggers of migration termstats_lean append, or
     * rewrite a row in place when its article changes or goes) and are
     * removed only from the front (sync_batch), so the ids are contiguous
     * and two seeks give the count (one subquery each: a query with both
     * min() and max() scans the table). Were a row ever removed from the
     * middle, this would overstate the queue, which only makes a bulk
     * ingest drain it sooner. */
    int rc;
    sqlite3_stmt *s = store_cached(st, STORE_C_TERMS_PENDING,
                                   "SELECT coalesce((SELECT max(id) FROM term_queue) - "
                                   "(SELECT min(id) FROM term_queue) + 1, 0)",
                                   &rc);
    if (rc != SQLITE_OK)
        return -1;
    int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    return n;
}

/* Count up to SYNC_BATCH queue rows; *got receives how many. */
static int sync_batch(struct store *st, sqlite3_stmt *q, sqlite3_stmt *del, sqlite3_stmt **w,
                      const struct store_term_analyzer *an, size_t *got, bool *analyzer_failed,
                      int64_t *newest_day)
{
    struct batch b;
    batch_init(&b, st);
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
    char *many = put_many_sql();
    for (int i = 0; i < W_COUNT && rc == SQLITE_OK; i++)
        rc = sqlite3_prepare_v2(st->db, write_sql[i] ? write_sql[i] : many, -1, &w[i], NULL);
    free(many);
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

/* The id of term (kind, text) in term_dict, 0 when unknown, and the day
 * of its first article (INT64_MIN when not recorded); s is the lookup
 * statement of store_terms_cells, prepared once for all its terms. */
static enum achim_code term_id_of(struct store *st, sqlite3_stmt *s, int kind, const char *term,
                                  int64_t *id, int64_t *first_day, struct err *err)
{
    *id = 0;
    *first_day = INT64_MIN;
    sqlite3_bind_int(s, 1, kind);
    sqlite3_bind_text(s, 2, term ? term : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        if (sqlite3_column_type(s, 1) != SQLITE_NULL)
            *first_day = day_of(sqlite3_column_int64(s, 1));
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ACHIM_OK : store_fail(st, err, rc, "term cells");
}

/* Appends the cells of one term_cells row (day) to *out as store cells. */
static bool row_cells(int64_t day, const void *blob, size_t len, struct store_term_cell **out,
                      size_t *n, size_t *cap)
{
    /* decoded straight into *out, not through cells_decode's array: this
     * runs for every row read */
    const unsigned char *p = blob, *end = p + len;
    struct pcell c = {0};
    while (p < end) {
        if (!cell_next(&p, end, &c))
            return false;
        XGROW(*out, *n + 1, *cap);
        (*out)[(*n)++] =
            (struct store_term_cell){day, c.source_id, c.tf, c.df, day * DAY_SECONDS + c.first_s};
    }
    return true;
}

/* A requested term during store_terms_cells: its row id and its first
 * day that can hold its cells (the last is the read's). */
struct term_want {
    int64_t id, lo;
    size_t at; /* index in the request */
};

static int cmp_want_id(const void *pa, const void *pb)
{
    const struct term_want *a = pa, *b = pb;
    return a->id < b->id ? -1 : a->id > b->id ? 1 : (a->at > b->at) - (a->at < b->at);
}

/* The wanted terms of one read, sorted by id (cmp_want_id), as both plans
 * and achim_term_wanted() see them; bits has a bit per id of [min, max]
 * (NULL when that span is too wide, or for the seek plan: then a binary
 * search answers). */
struct want_set {
    const struct term_want *w;
    size_t n;
    int64_t min, max;
    unsigned char *bits;
};
#define WANT_SET_POINTER "achim_want_set"
#define WANT_BITS_MAX ((int64_t)1 << 26) /* 8 MB of bits at most */

/* bitmap: only the scan tests ids one by one; the seek plan's lookups need
 * no bits, so it does not pay for them. */
static void want_set_init(struct want_set *set, const struct term_want *w, size_t n, bool bitmap)
{
    *set = (struct want_set){w, n, w[0].id, w[n - 1].id, NULL};
    /* the span in unsigned arithmetic: ids are any int64 (a hand-made or
     * damaged term_dict), and max - min of far-apart ids overflows int64 */
    if (!bitmap || (uint64_t)set->max - (uint64_t)set->min >= (uint64_t)WANT_BITS_MAX)
        return;
    set->bits = xcalloc((size_t)((set->max - set->min) / 8 + 1), 1);
    for (size_t i = 0; i < n; i++)
        set->bits[(w[i].id - set->min) / 8] |= (unsigned char)(1u << ((w[i].id - set->min) % 8));
}

/* Index of the first want with id >= id. */
static size_t want_first(const struct want_set *set, int64_t id)
{
    size_t a = 0, b = set->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (set->w[m].id < id)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

/* Whether the read wants id on some of its days (row_to_wants checks the
 * day). */
static bool want_has(const struct want_set *set, int64_t id)
{
    if (id < set->min || id > set->max)
        return false;
    if (set->bits)
        return set->bits[(id - set->min) / 8] >> ((id - set->min) % 8) & 1;
    size_t a = want_first(set, id);
    return a < set->n && set->w[a].id == id;
}

/* achim_term_wanted(set, term_id): 1 when the read wants the rows of
 * term_id; set is a struct want_set bound with sqlite3_bind_pointer (0 for
 * anything else). Testing the rows inside the scan's statement skips the
 * others at about half the cost of handing each to C. The set is looked
 * up once per statement and kept as the argument's auxiliary data. */
static void wanted_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct want_set *set = sqlite3_get_auxdata(ctx, 0);
    if (!set) {
        set = sqlite3_value_pointer(argv[0], WANT_SET_POINTER);
        if (set)
            sqlite3_set_auxdata(ctx, 0, (void *)set, NULL);
    }
    sqlite3_result_int(ctx, set && want_has(set, sqlite3_value_int64(argv[1])));
}

/* Appends the cells of the row (day, id) to every want of it whose days
 * hold day (both plans read no day past the last); SQLITE_CORRUPT for a
 * malformed blob. */
static int row_to_wants(const struct want_set *set, sqlite3_stmt *s, struct store_term_cell **out,
                        size_t *nout, size_t *caps)
{
    int64_t day = sqlite3_column_int64(s, 0), id = sqlite3_column_int64(s, 1);
    for (size_t a = want_first(set, id); a < set->n && set->w[a].id == id; a++) {
        const struct term_want *w = &set->w[a];
        if (day < w->lo)
            continue;
        if (!row_cells(day, sqlite3_column_blob(s, 2), (size_t)sqlite3_column_bytes(s, 2),
                       &out[w->at], &nout[w->at], &caps[w->at]))
            return SQLITE_CORRUPT;
    }
    return SQLITE_OK;
}

/* Steps s to the end, giving its rows (day, term_id, cells) to the wants. */
static int rows_to_wants(const struct want_set *set, sqlite3_stmt *s, struct store_term_cell **out,
                         size_t *nout, size_t *caps)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = row_to_wants(set, s, out, nout, caps)) != SQLITE_OK)
            return rc;
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Relative CPU cost of one seek of the seek plan (one row looked up by its
 * key (day, id), inside the statement) against passing over one row in
 * the scan plan (its term id tested by achim_term_wanted inside the
 * statement). Measured on the generated 20,000-article store of
 * bench/trends (323,431 rows, 94 of its 100 words present, 1,096 days;
 * the same statements without decoding the cells, which both plans do
 * alike): about 0.25 us a seek and 0.05 us a row passed over, a ratio of
 * 5; with the decoding, 0.29 and 0.07 us, about 4. */
#ifndef SEEK_ROW_RATIO /* a build may force a plan: 0 seeks, 1e9 scans */
#define SEEK_ROW_RATIO 5
#endif
#define SAMPLE_DAYS 8

/* Rows of term_cells with day in [lo, hi], estimated from SAMPLE_DAYS
 * days spread over the range; each day is counted up to cap rows (beyond
 * that the estimate only needs to say "many"), so the estimate costs at
 * most SAMPLE_DAYS x cap steps. */
static int estimate_rows(struct store *st, int64_t lo, int64_t hi, int64_t cap, double *rows)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(
        st->db, "SELECT count(*) FROM (SELECT 1 FROM term_cells WHERE day = ?1 LIMIT ?2)", -1, &s,
        NULL);
    if (rc != SQLITE_OK)
        return rc;
    int64_t days = hi - lo + 1, samples = days < SAMPLE_DAYS ? days : SAMPLE_DAYS, sum = 0;
    for (int64_t i = 0; i < samples && rc == SQLITE_OK; i++) {
        sqlite3_bind_int64(s, 1, lo + (2 * i + 1) * days / (2 * samples));
        sqlite3_bind_int64(s, 2, cap);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            sum += sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        }
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    *rows = (double)sum / (double)samples * (double)days;
    return rc;
}

/* The seek plan: for each day of [lo, hi], one lookup of (day, id) per
 * distinct wanted id, in one statement, day by day: the days are
 * generated inside it and the ids are an IN list, so the lookups of a day
 * land on the same few pages one after another. */
static int cells_by_seeks(struct store *st, const struct want_set *set, int64_t lo, int64_t hi,
                          struct store_term_cell **out, size_t *nout, size_t *caps)
{
    struct buf ids = BUF_INIT;
    buf_addf(&ids, "[");
    for (size_t i = 0; i < set->n; i++)
        if (!i || set->w[i].id != set->w[i - 1].id)
            buf_addf(&ids, "%s%lld", i ? "," : "", (long long)set->w[i].id);
    buf_addf(&ids, "]");
    sqlite3_stmt *s;
    int rc =
        sqlite3_prepare_v2(st->db,
                           "WITH RECURSIVE d(day) AS (SELECT ?1 UNION ALL "
                           "SELECT day + 1 FROM d WHERE day < ?2) "
                           "SELECT t.day, t.term_id, t.cells FROM d CROSS JOIN term_cells t "
                           "ON t.day = d.day AND t.term_id IN (SELECT value FROM json_each(?3))",
                           -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, lo);
        sqlite3_bind_int64(s, 2, hi);
        sqlite3_bind_text(s, 3, ids.ptr, (int)ids.len, SQLITE_STATIC);
        rc = rows_to_wants(set, s, out, nout, caps);
    }
    sqlite3_finalize(s);
    buf_release(&ids);
    return rc;
}

/* The scan plan: one pass over the rows of [lo, hi] in key order (day, then
 * term id); achim_term_wanted() keeps the wanted rows inside the statement,
 * and only those are decoded. Each term's cells come out by day, as the
 * seeks give them. */
static int cells_by_scan(struct store *st, const struct want_set *set, int64_t lo, int64_t hi,
                         struct store_term_cell **out, size_t *nout, size_t *caps)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT day, term_id, cells FROM term_cells "
                                "WHERE day >= ?1 AND day <= ?2 AND achim_term_wanted(?3, term_id)",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, lo);
        sqlite3_bind_int64(s, 2, hi);
        sqlite3_bind_pointer(s, 3, (void *)set, WANT_SET_POINTER, NULL);
        rc = rows_to_wants(set, s, out, nout, caps);
    }
    sqlite3_finalize(s);
    return rc;
}

enum achim_code store_terms_cells(struct store *st, const struct store_term_ref *terms, size_t n,
                                  int64_t from_day, int64_t to_day, enum store_cells_plan plan,
                                  struct store_term_cell **out, size_t *nout, struct err *err)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = NULL;
        nout[i] = 0;
    }
    /* every cell of a term is counted from an article no earlier than the
     * term's first; none lies outside the days stored */
    int64_t lo = store_query_int(st, "SELECT min(day) FROM term_cells", INT64_MAX);
    int64_t hi = store_query_int(st, "SELECT max(day) FROM term_cells", INT64_MIN);
    if (lo < from_day)
        lo = from_day;
    if (hi > to_day - 1)
        hi = to_day - 1;
    struct term_want *w = xcalloc(n ? n : 1, sizeof(*w));
    size_t nw = 0;
    int64_t scan_lo = INT64_MAX;
    enum achim_code code = ACHIM_OK;
    sqlite3_stmt *lookup = NULL;
    int rc = sqlite3_prepare_v2(
        st->db, "SELECT id, first_seen FROM term_dict WHERE kind = ?1 AND term = ?2", -1, &lookup,
        NULL);
    if (rc != SQLITE_OK)
        code = store_fail(st, err, rc, "term cells");
    for (size_t i = 0; i < n && code == ACHIM_OK; i++) {
        int64_t id = 0, first_day = INT64_MIN;
        code = term_id_of(st, lookup, terms[i].kind, terms[i].term, &id, &first_day, err);
        int64_t tlo = lo > first_day ? lo : first_day;
        if (code != ACHIM_OK || !id || tlo > hi)
            continue;
        w[nw++] = (struct term_want){id, tlo, i};
        if (tlo < scan_lo)
            scan_lo = tlo;
    }
    sqlite3_finalize(lookup);
    if (code == ACHIM_OK && nw) {
        qsort(w, nw, sizeof(*w), cmp_want_id);
        double days = (double)(hi - scan_lo + 1), ids = 0;
        for (size_t i = 0; i < nw; i++)
            ids += !i || w[i].id != w[i - 1].id;
        if (plan == STORE_CELLS_AUTO) {
            /* the scan passes over every row of the range, the seeks look
             * up each distinct id on every day of it: the scan wins when
             * the range holds fewer than SEEK_ROW_RATIO rows per seek */
            double budget = ids * days * SEEK_ROW_RATIO, rows = budget;
            rc = estimate_rows(st, scan_lo, hi, (int64_t)(budget / days) + 1, &rows);
            plan = rows < budget ? STORE_CELLS_SCAN : STORE_CELLS_SEEK;
        }
        struct want_set set;
        want_set_init(&set, w, nw, plan == STORE_CELLS_SCAN);
        size_t *caps = xcalloc(n, sizeof(*caps));
        if (rc == SQLITE_OK && plan == STORE_CELLS_SCAN)
            rc = cells_by_scan(st, &set, scan_lo, hi, out, nout, caps);
        else if (rc == SQLITE_OK)
            rc = cells_by_seeks(st, &set, scan_lo, hi, out, nout, caps);
        free(caps);
        free(set.bits);
        if (rc != SQLITE_OK)
            code = store_fail(st, err, rc, "term cells");
    }
    free(w);
    for (size_t i = 0; i < n && code == ACHIM_OK; i++)
        if (nout[i] == 0 && terms[i].kind == STORE_TERM_PHRASE && terms[i].term)
            code = pending_cell(st, terms[i].term, from_day, to_day, &out[i], &nout[i], err);
    if (code != ACHIM_OK)
        for (size_t i = 0; i < n; i++) {
            free(out[i]);
            out[i] = NULL;
            nout[i] = 0;
        }
    return code;
}

enum achim_code store_term_cells(struct store *st, int kind, const char *term, int64_t from_day,
                                 int64_t to_day, struct store_term_cell **out, size_t *n,
                                 struct err *err)
{
    const struct store_term_ref ref = {kind, term};
    return store_terms_cells(st, &ref, 1, from_day, to_day, STORE_CELLS_AUTO, out, n, err);
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

/* Per term id, the articles in windows a and b (store_term_totals). */
struct total_acc {
    int64_t id, a, b;
};

struct total_map {
    struct total_acc *v; /* open addressing on id; id 0 = empty */
    size_t cap, n;
};

static struct total_acc *total_slot(struct total_map *m, int64_t id)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 4096;
        struct total_acc *nv = xcalloc(ncap, sizeof(*nv));
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].id) {
                size_t j = (uint64_t)m->v[i].id * 0x9E3779B97F4A7C15ULL >> 20 & (ncap - 1);
                while (nv[j].id)
                    j = (j + 1) & (ncap - 1);
                nv[j] = m->v[i];
            }
        free(m->v);
        m->v = nv;
        m->cap = ncap;
    }
    size_t j = (uint64_t)id * 0x9E3779B97F4A7C15ULL >> 20 & (m->cap - 1);
    while (m->v[j].id && m->v[j].id != id)
        j = (j + 1) & (m->cap - 1);
    if (!m->v[j].id) {
        m->v[j].id = id;
        m->n++;
    }
    return &m->v[j];
}

static int cmp_total(const void *pa, const void *pb)
{
    const struct store_term_total *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    /* term_dict's BINARY collation: bytes, then length */
    size_t la = strlen(a->term), lb = strlen(b->term);
    int c = memcmp(a->term, b->term, la < lb ? la : lb);
    return c ? c : la < lb ? -1 : la > lb;
}

static bool source_wanted(const int64_t *sources, size_t nsources, int64_t id)
{
    if (!sources || !nsources)
        return true;
    for (size_t i = 0; i < nsources; i++)
        if (sources[i] == id)
            return true;
    return false;
}

/* Sum the df of every row with day in [from, to) into the map, window a
 * or b. */
static int totals_scan(struct store *st, struct total_map *m, int64_t from, int64_t to, bool a,
                       const int64_t *sources, size_t nsources)
{
    if (from >= to)
        return SQLITE_OK;
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(
        st->db, "SELECT term_id, cells FROM term_cells WHERE day >= ?1 AND day < ?2", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    struct pcell *v = NULL;
    size_t cap = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        size_t nv = 0;
        if (!cells_decode(sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1), &v, &nv,
                          &cap)) {
            rc = SQLITE_CORRUPT;
            break;
        }
        int64_t df = 0;
        bool any = false;
        for (size_t i = 0; i < nv; i++)
            if (source_wanted(sources, nsources, v[i].source_id)) {
                df += v[i].df;
                any = true;
            }
        if (!any)
            continue;
        struct total_acc *t = total_slot(m, sqlite3_column_int64(s, 0));
        if (a)
            t->a += df;
        else
            t->b += df;
    }
    free(v);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum achim_code store_term_totals(struct store *st, unsigned kinds_mask, int64_t a_from,
                                  int64_t a_to, int64_t b_from, int64_t b_to, int64_t min_df,
                                  const int64_t *sources, size_t nsources,
                                  struct store_term_total **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    /* summed in memory from the day ranges of term_cells: the rows of a
     * period are contiguous, the terms in them are not */
    struct total_map m = {0};
    int rc = totals_scan(st, &m, a_from, a_to, true, sources, nsources);
    if (rc == SQLITE_OK)
        rc = totals_scan(st, &m, b_from, b_to, false, sources, nsources);
    sqlite3_stmt *s = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(
            st->db, "SELECT kind, term, first_seen, first_source FROM term_dict WHERE id = ?1", -1,
            &s, NULL);
    struct store_term_total *v = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < m.cap && rc == SQLITE_OK; i++) {
        const struct total_acc *t = &m.v[i];
        if (!t->id || t->a < min_df)
            continue;
        sqlite3_bind_int64(s, 1, t->id);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            int kind = sqlite3_column_int(s, 0);
            if ((kinds_mask >> kind) & 1) {
                XGROW(v, len + 1, cap);
                v[len++] = (struct store_term_total){
                    .kind = kind,
                    .term = store_column_strdup(s, 1),
                    .df_a = t->a,
                    .df_b = t->b,
                    .first_seen = sqlite3_column_int64(s, 2),
                    .first_source = sqlite3_column_int64(s, 3),
                };
            }
        }
        sqlite3_reset(s);
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(s);
    free(m.v);
    if (rc != SQLITE_OK) {
        store_term_totals_free(v, len);
        return store_fail(st, err, rc, "term totals");
    }
    if (len > 1)
        qsort(v, len, sizeof(*v), cmp_total);
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
                           "('term_dict', 'term_cells', 'doc_day', 'term_queue', "
                           "'sqlite_autoindex_term_dict_1', 'phrase_pending', 'term_meta')",
                           -1);
}

bool store_in_transaction(struct store *st)
{
    return !sqlite3_get_autocommit(st->db);
}
