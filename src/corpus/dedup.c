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
 * 6 bits with a probability near 1e-11. */
#include "corpus/corpus.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "text/text.h"

struct sh_entry {
    uint64_t fp;
    size_t id;
};

struct sh_bucket {
    uint32_t *item; /* indexes into index->items */
    size_t n, cap;
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
        for (size_t i = 0; i < x->tsize[b]; i++)
            free(x->table[b][i].item);
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

void simhash_index_add(struct simhash_index *x, uint64_t fp, size_t id)
{
    XGROW(x->items, x->n + 1, x->cap);
    x->items[x->n] = (struct sh_entry){fp, id};
    for (int b = 0; b < x->nblocks; b++) {
        struct sh_bucket *bk = &x->table[b][bucket_of(x, b, fp)];
        XGROW(bk->item, bk->n + 1, bk->cap);
        bk->item[bk->n++] = (uint32_t)x->n;
    }
    x->n++;
}

size_t simhash_index_find(const struct simhash_index *x, uint64_t fp, int *distance)
{
    size_t best = SIZE_MAX;
    int bestd = x->maxd + 1;
    size_t best_pos = SIZE_MAX;
    for (int b = 0; b < x->nblocks; b++) {
        const struct sh_bucket *bk = &x->table[b][bucket_of(x, b, fp)];
        for (size_t i = 0; i < bk->n; i++) {
            const struct sh_entry *e = &x->items[bk->item[i]];
            int d = text_hamming(e->fp, fp);
            /* nearest wins; among equals the earliest added */
            if (d > x->maxd)
                continue;
            if (d < bestd || (d == bestd && bk->item[i] < best_pos)) {
                bestd = d;
                best = e->id;
                best_pos = bk->item[i];
            }
        }
    }
    if (distance)
        *distance = best == SIZE_MAX ? -1 : bestd;
    return best;
}
