/* SPDX-License-Identifier: MIT */
/* test_dedup.c: the SimHash near-duplicate index on skewed fingerprints
 * (as real texts give: common words push many bits the same way), checked
 * against a scan of all pairs, and its tie rule. */
#include "../test.h"

#include "corpus/corpus.h"
#include "text/text.h"

static uint64_t rnd_state = 0x243F6A8885A308D3ULL;
static uint64_t rnd64(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* A fingerprint whose bit b is set with probability bias[b] / 16. */
static uint64_t skewed(const int *bias)
{
    uint64_t fp = 0;
    for (int b = 0; b < 64; b++)
        if ((int)(rnd64() % 16) < bias[b])
            fp |= (uint64_t)1 << b;
    return fp;
}

/* Skewed fingerprints crowd a few buckets; the index must still return
 * exactly the nearest (earliest among equals) within the distance. */
static void test_skewed_vs_naive(void)
{
    enum { N = 4000 };
    static uint64_t fp[N];
    int bias[64];
    for (int b = 0; b < 64; b++)
        bias[b] = b % 4 == 0 ? 8 : b % 4 == 1 ? 2 : b % 4 == 2 ? 13 : 15;
    size_t found = 0;
    for (int d = 0; d <= SIMHASH_MAX_DISTANCE; d += 2) {
        struct simhash_index *x = simhash_index_new(d);
        for (size_t i = 0; i < N; i++) {
            if (i > 0 && rnd64() % 4 == 0) {
                fp[i] = fp[rnd64() % i];
                int flips = (int)(rnd64() % 10);
                for (int f = 0; f < flips; f++)
                    fp[i] ^= (uint64_t)1 << (rnd64() % 64);
            } else {
                fp[i] = skewed(bias);
            }
            int got_d = 0;
            size_t got = simhash_index_find(x, fp[i], &got_d);
            size_t want = SIZE_MAX;
            int want_d = d + 1;
            for (size_t j = 0; j < i; j++) {
                int h = text_hamming(fp[i], fp[j]);
                if (h < want_d) {
                    want_d = h;
                    want = j;
                }
            }
            CHECK_INT(got, want);
            CHECK_INT(got_d, want == SIZE_MAX ? -1 : want_d);
            found += want != SIZE_MAX;
            simhash_index_add(x, fp[i], i);
        }
        simhash_index_free(x);
    }
    CHECK(found > N / 2); /* the comparison did exercise matches */
}

/* Equal distances: the earliest added wins, whatever block matched; the
 * caller's ids are returned, not positions. */
static void test_ties(void)
{
    struct simhash_index *x = simhash_index_new(SIMHASH_DUP_DISTANCE);
    uint64_t base = 0x0123456789ABCDEFULL;
    simhash_index_add(x, base ^ 0x3ULL, 40);         /* 2 bits off, low block */
    simhash_index_add(x, base ^ (0x3ULL << 60), 30); /* 2 bits off, high block */
    simhash_index_add(x, base ^ (0x1ULL << 30), 20); /* 1 bit off */
    int d = -2;
    CHECK_INT(simhash_index_find(x, base, &d), 20);
    CHECK_INT(d, 1);
    CHECK_INT(simhash_index_find(x, base ^ (0x1ULL << 30) ^ 0x3ULL, &d), 40);
    CHECK_INT(d, 1);
    CHECK_INT(simhash_index_find(x, base ^ 0x3ULL ^ (0x3ULL << 60), &d), 40);
    CHECK_INT(d, 2);
    CHECK(simhash_index_find(x, ~base, &d) == SIZE_MAX);
    CHECK_INT(d, -1);
    CHECK_INT(simhash_index_size(x), 3);
    simhash_index_free(x);
}

TESTS(TEST(test_skewed_vs_naive), TEST(test_ties))
