/* SPDX-License-Identifier: MIT */
/* simhash.c: token hashing and 64-bit SimHash fingerprints.
 *
 * The corpus module compares fingerprints of every new article with recent
 * ones to find near-duplicates (the same wire story in several feeds), so
 * a fingerprint must be cheap: one tokenizer pass and 64 counters. Each
 * analysed token votes +1 or -1 on every bit according to its hash; a
 * token that occurs n times votes n times, which weights it by its count.
 *
 * FNV-1a mixes the high bits of short strings poorly, and SimHash needs all
 * 64 bits to behave as independent coin flips, so the votes use the FNV
 * hash passed through a 64-bit finaliser (the one from MurmurHash3). */
#include "text/text_int.h"

#include <pthread.h>

uint64_t text_fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t text_hash(const char *s, size_t len)
{
    return text_fnv1a(TEXT_FNV1A_INIT, s, len);
}

struct votes {
    int32_t bit[64];
    size_t tokens;
};

/* One token's votes: +1 on its hash's set bits, -1 on the others. */
static inline void vote_hash(struct votes *v, uint64_t token_hash)
{
    uint64_t h = text_mix64(token_hash);
    for (int b = 0; b < 64; b++)
        v->bit[b] += (int32_t)((h >> b) & 1) * 2 - 1;
    v->tokens++;
}

static int vote(void *ctx, const struct text_token *tok)
{
    vote_hash(ctx, text_hash(tok->text, tok->len));
    return 0;
}

static uint64_t fingerprint(const struct votes *v)
{
    uint64_t out = 0;
    if (v->tokens == 0)
        return 0;
    for (int b = 0; b < 64; b++)
        if (v->bit[b] > 0)
            out |= (uint64_t)1 << b;
    return out;
}

uint64_t text_simhash(const char *s, size_t len)
{
    struct votes v = {{0}, 0};
    text_tokenize(s, len, TEXT_ANALYZE, vote, &v);
    return fingerprint(&v);
}

/* Each byte value spread over the bytes of a word: bit b of the byte sets
 * byte b to 1, so adding these words counts 8 bits at once. */
static uint64_t spread[256];
static pthread_once_t spread_once = PTHREAD_ONCE_INIT;

static void spread_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        for (int b = 0; b < 8; b++)
            if (v & (1u << b))
                spread[v] |= (uint64_t)1 << (8 * b);
}

uint64_t text_simhash_hashes(const uint64_t *h, size_t n)
{
    /* The same votes as vote_hash(), counted as set bits per position: a
     * bit's vote is ones - (n - ones). Eight byte-wide counters per word,
     * emptied every 255 tokens before they overflow. */
    pthread_once(&spread_once, spread_init);
    struct votes v = {{0}, n};
    for (size_t i = 0; i < n;) {
        uint64_t acc[8] = {0};
        size_t end = n - i > 255 ? i + 255 : n;
        for (; i < end; i++) {
            uint64_t m = text_mix64(h[i]);
            for (int byte = 0; byte < 8; byte++)
                acc[byte] += spread[(m >> (8 * byte)) & 0xFF];
        }
        for (int byte = 0; byte < 8; byte++)
            for (int b = 0; b < 8; b++)
                v.bit[8 * byte + b] += (int32_t)((acc[byte] >> (8 * b)) & 0xFF);
    }
    for (int b = 0; b < 64; b++)
        v.bit[b] = 2 * v.bit[b] - (int32_t)n;
    return fingerprint(&v);
}

int text_hamming(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ b;
    int n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}
