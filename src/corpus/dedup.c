/* SPDX-License-Identifier: MIT */
/* dedup.c: an index of 64-bit SimHash fingerprints for near-duplicate
 * lookup without comparing all pairs.
 *
 * Multi-index hashing (Manku, Jain and Das Sarma, WWW 2007): split the 64
 * bits into d+1 blocks. Two fingerprints within Hamming distance d differ
 * in at most d blocks, so by the pigeonhole principle they agree exactly on
 * at least one. Each block has its own table from block value to the items
 * carrying it; a query looks up its d+1 block values and computes the full
 * distance only for the items found there. With b-bit blocks a random
 * unrelated fingerprint collides with probability 2^-b per block, so a
 * query costs about (d+1) * n / 2^b comparisons instead of n.
 *
 * Expected work: every article of a day against the days before (tens of
 * thousands of fingerprints). SIMHASH_DUP_DISTANCE (6 bits, 7 blocks of 9
 * or 10 bits) catches a syndicated teaser with a content word changed
 * (5-6 bits) while two unrelated texts, about 32 bits apart, come within
 * 6 bits with a probability near 1e-11.
 *
 * Real fingerprints are not uniform: texts of one language share their
 * common words, which push many bits the same way (in the benchmark's
 * corpus single bits are set in 11% to 80% of the texts), so buckets are
 * uneven and a query compares about three times n * (d+1) / 2^b. Each
 * bucket therefore keeps the fingerprints themselves next to their
 * positions: a query streams through contiguous arrays and counts
 * differing bits with a branch-free popcount, instead of chasing an index
 * into the item array for every candidate. */
#include "corpus/corpus.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct sh_entry {
    uint64_t fp;
    size_t id;
};

struct sh_bucket {
    uint64_t *fp;   /* fingerprints, in the order added */
    uint32_t *item; /* their indexes into index->items */
    uint32_t n, cap;
};

struct simhash_index {
    int maxd;
    int nblocks;
    int shift[SIMHASH_MAX_DISTANCE + 1];
    int width[SIMHASH_MAX_DISTANCE + 1];
    struct sh_bucket *table[SIMHASH_MAX_DISTANCE + 1];
    size_t tsize[SIMHASH_MAX_DISTANCE + 1];
    struct sh_entry *items;
    size_t n, cap;
};

struct simhash_index *simhash_index_new(int max_distance)
{
    if (max_distance < 0)
        max_distance = 0;
    if (max_distance > SIMHASH_MAX_DISTANCE)
        max_distance = SIMHASH_MAX_DISTANCE;
    struct simhash_index *x = xcalloc(1, sizeof(*x));
    x->maxd = max_distance;
    x->nblocks = max_distance + 1;
    int pos = 0;
    for (int b = 0; b < x->nblocks; b++) {
        int w = 64 / x->nblocks + (b < 64 % x->nblocks ? 1 : 0);
        x->shift[b] = pos;
        x->width[b] = w;
        pos += w;
        /* tables are capped at 2^16 buckets; wider blocks are hashed into them */
        size_t size = (size_t)1 << (w < 16 ? w : 16);
        x->tsize[b] = size;
        x->table[b] = xcalloc(size, sizeof(struct sh_bucket));
    }
    return x;
}

void simhash_index_free(struct simhash_index *x)
{
    if (!x)
        return;
    for (int b = 0; b < x->nblocks; b++) {
        for (size_t i = 0; i < x->tsize[b]; i++) {
            free(x->table[b][i].fp);
            free(x->table[b][i].item);
        }
        free(x->table[b]);
    }
    free(x->items);
    free(x);
}

size_t simhash_index_size(const struct simhash_index *x)
{
    return x->n;
}

static size_t bucket_of(const struct simhash_index *x, int b, uint64_t fp)
{
    uint64_t v = x->width[b] == 64 ? fp : (fp >> x->shift[b]) & (((uint64_t)1 << x->width[b]) - 1);
    v *= 0x9E3779B97F4A7C15ULL; /* spread wide blocks over the table */
    return (size_t)(v >> 40) & (x->tsize[b] - 1);
}

/* Bits set in x (SWAR; no dependence on a popcount instruction). */
static int popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}

void simhash_index_add(struct simhash_index *x, uint64_t fp, size_t id)
{
    XGROW(x->items, x->n + 1, x->cap);
    x->items[x->n] = (struct sh_entry){fp, id};
    for (int b = 0; b < x->nblocks; b++) {
        struct sh_bucket *bk = &x->table[b][bucket_of(x, b, fp)];
        if (bk->n == bk->cap) {
            bk->cap = bk->cap ? bk->cap * 2 : 4;
            bk->fp = xreallocarray(bk->fp, bk->cap, sizeof(*bk->fp));
            bk->item = xreallocarray(bk->item, bk->cap, sizeof(*bk->item));
        }
        bk->fp[bk->n] = fp;
        bk->item[bk->n++] = (uint32_t)x->n;
    }
    x->n++;
}

/* The scan of a query's buckets, written once and compiled twice: with
 * the portable popcount, and (on x86-64) with the POPCNT instruction,
 * chosen at run time. The scan is most of a lookup's time: a bucket holds
 * a few hundred fingerprints once the index holds 100k. */
#define FIND_NEAREST_BODY(popcount)                                                                \
    int bestd = x->maxd + 1;                                                                       \
    uint32_t best_pos = UINT32_MAX;                                                                \
    for (int b = 0; b < x->nblocks; b++) {                                                         \
        const struct sh_bucket *bk = &x->table[b][bucket_of(x, b, fp)];                            \
        const uint64_t *f = bk->fp;                                                                \
        for (uint32_t i = 0; i < bk->n; i++) {                                                     \
            int d = popcount(f[i] ^ fp); /* nearest wins; among equals the earliest added */       \
            if (d > x->maxd || d > bestd)                                                          \
                continue;                                                                          \
            if (d < bestd || bk->item[i] < best_pos) {                                             \
                bestd = d;                                                                         \
                best_pos = bk->item[i];                                                            \
            }                                                                                      \
        }                                                                                          \
    }                                                                                              \
    *dist = bestd;                                                                                 \
    return best_pos;

static uint32_t find_nearest(const struct simhash_index *x, uint64_t fp, int *dist)
{
    FIND_NEAREST_BODY(popcount64)
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_POPCNT_DISPATCH 1
__attribute__((target("popcnt"))) static uint32_t find_nearest_popcnt(const struct simhash_index *x,
                                                                      uint64_t fp, int *dist){
    FIND_NEAREST_BODY(__builtin_popcountll)}
#endif

size_t simhash_index_find(const struct simhash_index *x, uint64_t fp, int *distance)
{
    int bestd;
    uint32_t best_pos;
#ifdef HAVE_POPCNT_DISPATCH
    if (__builtin_cpu_supports("popcnt"))
        best_pos = find_nearest_popcnt(x, fp, &bestd);
    else
#endif
        best_pos = find_nearest(x, fp, &bestd);
    size_t best = best_pos == UINT32_MAX ? SIZE_MAX : x->items[best_pos].id;
    if (distance)
        *distance = best == SIZE_MAX ? -1 : bestd;
    return best;
}
