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
 * removed. Every cell written lands on a random page of term_day, and a
 * commit writes each page it dirtied: the bigger the batch, the fewer page
 * writes per article, which is why bulk ingest counts 2,000 articles at once.
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

#define SYNC_BATCH 2000 /* queue rows summed in memory per write pass */
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
    char *key; /* kind byte + term, NUL-terminated */
    size_t keylen;
    uint64_t hash;
    struct cell *cells;
    size_t ncells, cap;
    int64_t first_seen, first_source; /* earliest positive occurrence in the batch */
    uint32_t article;                 /* serial of the last article that used it */
    uint32_t seen_at;                 /* its index in batch.seen for that article */
};

struct batch {
    struct term_acc *terms; /* open addressing; key NULL = empty */
    size_t cap, n;
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

static void batch_grow(struct batch *b)
{
    size_t ncap = b->cap ? b->cap * 2 : 16384;
    struct term_acc *nt = xcalloc(ncap, sizeof(*nt));
    for (size_t i = 0; i < b->cap; i++) {
        if (!b->terms[i].key)
            continue;
        size_t j = b->terms[i].hash & (ncap - 1);
        while (nt[j].key)
            j = (j + 1) & (ncap - 1);
        nt[j] = b->terms[i];
    }
    /* the per-article scratch holds slot numbers: remap them */
    for (size_t k = 0; k < b->nseen; k++) {
        struct term_acc *old = &b->terms[b->seen[k]];
        size_t j = old->hash & (ncap - 1);
        while (nt[j].key != old->key)
            j = (j + 1) & (ncap - 1);
        b->seen[k] = j;
    }
    free(b->terms);
    b->terms = nt;
    b->cap = ncap;
}

static size_t batch_slot(struct batch *b, const char *key, size_t len)
{
    if ((b->n + 1) * 2 > b->cap)
        batch_grow(b);
    uint64_t h = fnv(key, len);
    size_t j = h & (b->cap - 1);
    while (b->terms[j].key) {
        if (b->terms[j].hash == h && b->terms[j].keylen == len &&
            memcmp(b->terms[j].key, key, len) == 0)
            return j;
        j = (j + 1) & (b->cap - 1);
    }
    struct term_acc *t = &b->terms[j];
    t->key = xstrndup(key, len);
    t->keylen = len;
    t->hash = h;
    t->first_seen = INT64_MAX;
    b->n++;
    return j;
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
        struct cell *c = cell_of(&t->cells, &t->ncells, &t->cap, b->day, b->source_id);
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
    for (size_t i = 0; i < b->cap; i++) {
        free(b->terms[i].key);
        free(b->terms[i].cells);
    }
    free(b->terms);
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

/* A phrase not in the dictionary: fold its pending first occurrence (if
 * any) into the batch's cells, then promote it (true) when two or more
 * articles now use it, else keep the one article in phrase_pending. */
static int phrase_unpromoted(sqlite3_stmt **w, struct term_acc *t, bool *promote)
{
    *promote = false;
    int64_t h = phrase_hash(t);
    sqlite3_bind_int64(w[W_PEND_GET], 1, h);
    int rc = sqlite3_step(w[W_PEND_GET]);
    bool pending = rc == SQLITE_ROW;
    if (pending) {
        int64_t day = sqlite3_column_int64(w[W_PEND_GET], 0);
        int64_t src = sqlite3_column_int64(w[W_PEND_GET], 1);
        int64_t first = day * DAY_SECONDS + sqlite3_column_int64(w[W_PEND_GET], 2);
        int64_t tf = sqlite3_column_int64(w[W_PEND_GET], 3);
        struct cell *c = cell_of(&t->cells, &t->ncells, &t->cap, day, src);
        c->df += 1;
        c->tf += tf;
        if (first < c->first)
            c->first = first;
        if (first < t->first_seen) {
            t->first_seen = first;
            t->first_source = src;
        }
    }
    sqlite3_reset(w[W_PEND_GET]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    /* removals of versions never counted (pruned while pending) are moot */
    int64_t df = 0;
    const struct cell *one = NULL;
    for (size_t k = 0; k < t->ncells; k++)
        if (t->cells[k].df > 0) {
            df += t->cells[k].df;
            one = &t->cells[k];
        }
    if (df >= 2) {
        *promote = true;
        if (!pending)
            return SQLITE_OK;
        sqlite3_bind_int64(w[W_PEND_DEL], 1, h);
        return step_reset(w[W_PEND_DEL]);
    }
    if (df == 1) {
        sqlite3_bind_int64(w[W_PEND_PUT], 1, h);
        sqlite3_bind_int64(w[W_PEND_PUT], 2, one->day);
        sqlite3_bind_int64(w[W_PEND_PUT], 3, one->source_id);
        sqlite3_bind_int64(w[W_PEND_PUT], 4, first_in_day(one));
        sqlite3_bind_int64(w[W_PEND_PUT], 5, one->tf > 0 ? one->tf : 1);
        return step_reset(w[W_PEND_PUT]);
    }
    if (!pending)
        return SQLITE_OK;
    sqlite3_bind_int64(w[W_PEND_DEL], 1, h);
    return step_reset(w[W_PEND_DEL]);
}

static int write_term(sqlite3 *db, sqlite3_stmt **w, struct term_acc *t)
{
    int kind = (unsigned char)t->key[0];
    const char *term = t->key + 1;
    sqlite3_bind_int(w[W_TERM_GET], 1, kind);
    sqlite3_bind_text(w[W_TERM_GET], 2, term, (int)t->keylen - 1, SQLITE_STATIC);
    int rc = sqlite3_step(w[W_TERM_GET]);
    int64_t id = 0, first_seen = INT64_MAX;
    bool known = rc == SQLITE_ROW;
    if (known) {
        id = sqlite3_column_int64(w[W_TERM_GET], 0);
        if (sqlite3_column_type(w[W_TERM_GET], 1) != SQLITE_NULL)
            first_seen = sqlite3_column_int64(w[W_TERM_GET], 1);
    }
    sqlite3_reset(w[W_TERM_GET]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    rc = SQLITE_OK;
    if (!known) {
        bool promote = true;
        if (kind == STORE_TERM_PHRASE)
            rc = phrase_unpromoted(w, t, &promote);
        if (rc != SQLITE_OK || !promote || t->first_seen == INT64_MAX)
            return rc; /* nothing positive to count: no entry */
        sqlite3_bind_int(w[W_TERM_ADD], 1, kind);
        sqlite3_bind_text(w[W_TERM_ADD], 2, term, (int)t->keylen - 1, SQLITE_STATIC);
        sqlite3_bind_int64(w[W_TERM_ADD], 3, t->first_seen);
        sqlite3_bind_int64(w[W_TERM_ADD], 4, t->first_source);
        rc = step_reset(w[W_TERM_ADD]);
        id = sqlite3_last_insert_rowid(db);
    } else if (t->first_seen < first_seen) {
        sqlite3_bind_int64(w[W_FIRST], 1, id);
        sqlite3_bind_int64(w[W_FIRST], 2, t->first_seen);
        sqlite3_bind_int64(w[W_FIRST], 3, t->first_source);
        rc = step_reset(w[W_FIRST]);
    }
    for (size_t k = 0; k < t->ncells && rc == SQLITE_OK; k++) {
        const struct cell *c = &t->cells[k];
        /* a new entry has no cells to subtract from */
        if ((c->df == 0 && c->tf == 0) || (!known && c->df <= 0))
            continue;
        sqlite3_bind_int64(w[W_CELL], 1, id);
        sqlite3_bind_int64(w[W_CELL], 2, c->day);
        sqlite3_bind_int64(w[W_CELL], 3, c->source_id);
        sqlite3_bind_int64(w[W_CELL], 4, c->df);
        sqlite3_bind_int64(w[W_CELL], 5, c->tf);
        /* a removal never moves `first`; a new cell starts at its date */
        sqlite3_bind_int64(w[W_CELL], 6, first_in_day(c));
        rc = step_reset(w[W_CELL]);
        if (rc == SQLITE_OK && c->df < 0) {
            sqlite3_bind_int64(w[W_CELL_DROP], 1, id);
            sqlite3_bind_int64(w[W_CELL_DROP], 2, c->day);
            sqlite3_bind_int64(w[W_CELL_DROP], 3, c->source_id);
            rc = step_reset(w[W_CELL_DROP]);
        }
    }
    return rc;
}

static int batch_write(sqlite3 *db, sqlite3_stmt **w, struct batch *b)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; i < b->cap && rc == SQLITE_OK; i++) {
        struct term_acc *t = &b->terms[i];
        if (!t->key)
            continue;
        bool any = false;
        for (size_t k = 0; k < t->ncells; k++)
            any |= t->cells[k].df != 0 || t->cells[k].tf != 0;
        if (any)
            rc = write_term(db, w, t);
    }
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
    struct term_acc t = {.key = NULL};
    struct buf key = BUF_INIT;
    buf_addch(&key, (char)STORE_TERM_PHRASE);
    buf_addstr(&key, term);
    t.key = key.ptr;
    t.keylen = key.len;
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT day, source_id, tf, 1, day * 86400 + first_s "
                                "FROM phrase_pending WHERE h = ?1 AND day >= ?2 AND day < ?3",
                                -1, &s, NULL);
    if (rc != SQLITE_OK) {
        buf_release(&key);
        return store_fail(st, err, rc, "pending phrase");
    }
    sqlite3_bind_int64(s, 1, phrase_hash(&t));
    sqlite3_bind_int64(s, 2, from_day);
    sqlite3_bind_int64(s, 3, to_day);
    buf_release(&key);
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
