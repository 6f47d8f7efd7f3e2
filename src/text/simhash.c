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

uint64_t text_hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

struct votes {
    int32_t bit[64];
    size_t tokens;
};

static int vote(void *ctx, const struct text_token *tok)
{
    struct votes *v = ctx;
    uint64_t h = mix64(text_hash(tok->text, tok->len));
    for (int b = 0; b < 64; b++)
        v->bit[b] += ((h >> b) & 1) ? 1 : -1;
    v->tokens++;
    return 0;
}

uint64_t text_simhash(const char *s, size_t len)
{
    struct votes v = {{0}, 0};
    uint64_t out = 0;
    text_tokenize(s, len, TEXT_ANALYZE, vote, &v);
    if (v.tokens == 0)
        return 0;
    for (int b = 0; b < 64; b++)
        if (v.bit[b] > 0)
            out |= (uint64_t)1 << b;
    return out;
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
