/* SPDX-License-Identifier: MIT */
/* test_dual.c: TEXT_DUAL, both token streams in one pass, against the two
 * single-stream scans; text_simhash_hashes() against text_simhash() and a
 * plain vote count. */
#include "../test.h"

#include "base/buf.h"
#include "text/text.h"
#include "text/text_int.h"

struct tok_rec {
    char text[2 * TEXT_MAX_TOKEN_BYTES + 16];
    size_t len, start, end;
    enum text_token_kind kind;
};

struct recs {
    struct tok_rec *r;
    size_t n, cap;
    unsigned want; /* with TEXT_DUAL: the stream to keep */
};

static int record(void *ctx, const struct text_token *t)
{
    struct recs *l = ctx;
    if (l->want && !(t->streams & l->want))
        return 0;
    if (!l->want && t->streams != 0)
        return 1; /* outside TEXT_DUAL, streams stays 0 */
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->r = realloc(l->r, l->cap * sizeof(*l->r));
    }
    struct tok_rec *r = &l->r[l->n++];
    memcpy(r->text, t->text, t->len);
    r->len = t->len;
    r->start = t->start;
    r->end = t->end;
    r->kind = t->kind;
    return 0;
}

static bool same(const struct recs *a, const struct recs *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const struct tok_rec *x = &a->r[i], *y = &b->r[i];
        if (x->len != y->len || memcmp(x->text, y->text, x->len) != 0 || x->start != y->start ||
            x->end != y->end || x->kind != y->kind)
            return false;
    }
    return true;
}

static const char *const inputs[] = {
    "The agents were running quickly; Companies' policies and the company's self-driving cars.",
    "GPT-5 and GPT-4o on node.js, U.S. and U.S officials, O'Reilly don't. 10,000 dollars, 1.2%.",
    "Zürich Ångström café naïve résumé ﬁnance ＡＢＣ soft\xc2\xadhyphen straße İstanbul.",
    "대통령이 정부가 그리고 삼성전자는 반도체를 발표했다. 그는 그리고",
    "中华人民共和国 東京都 ひらがな カタカナ. Ελληνικά Москва",
    "of the and a an in on", /* stopwords only */
    "\xff\xfe broken t\xc3",
    "",
};

static void test_dual_streams_equal_single_scans(void)
{
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        const char *s = inputs[i];
        size_t len = strlen(s);
        struct recs plain = {0}, analysed = {0}, dual_plain = {0}, dual_analysed = {0};
        CHECK_INT(text_tokenize(s, len, TEXT_FOLD | TEXT_STEM, record, &plain), 0);
        CHECK_INT(text_tokenize(s, len, TEXT_ANALYZE, record, &analysed), 0);
        dual_plain.want = TEXT_STREAM_PLAIN;
        dual_analysed.want = TEXT_STREAM_ANALYZED;
        text_tokenize(s, len, TEXT_ANALYZE | TEXT_DUAL, record, &dual_plain);
        text_tokenize(s, len, TEXT_ANALYZE | TEXT_DUAL, record, &dual_analysed);
        if (!same(&plain, &dual_plain) || !same(&analysed, &dual_analysed))
            fprintf(stderr, "  input %zu: dual scan differs\n", i);
        CHECK(same(&plain, &dual_plain));
        CHECK(same(&analysed, &dual_analysed));
        free(plain.r);
        free(analysed.r);
        free(dual_plain.r);
        free(dual_analysed.r);
    }
    /* the inputs do differ between the streams: stopwords and particles */
    struct recs p = {0}, a = {0};
    text_tokenize(inputs[3], strlen(inputs[3]), TEXT_FOLD | TEXT_STEM, record, &p);
    text_tokenize(inputs[3], strlen(inputs[3]), TEXT_ANALYZE, record, &a);
    CHECK(p.n > a.n && a.n > 0);
    free(p.r);
    free(a.r);
}

static int collect_hash(void *ctx, const struct text_token *t)
{
    struct buf *b = ctx;
    uint64_t h = text_hash(t->text, t->len);
    buf_add(b, &h, sizeof(h));
    return 0;
}

/* SimHash by its definition: per bit, +1 or -1 for every token. */
static uint64_t simhash_reference(const uint64_t *h, size_t n)
{
    long bit[64] = {0};
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 64; b++)
            bit[b] += ((text_mix64(h[i]) >> b) & 1) ? 1 : -1;
    uint64_t out = 0;
    for (int b = 0; n && b < 64; b++)
        if (bit[b] > 0)
            out |= (uint64_t)1 << b;
    return out;
}

static void test_simhash_of_hashes(void)
{
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        struct buf b = BUF_INIT;
        text_tokenize(inputs[i], strlen(inputs[i]), TEXT_ANALYZE, collect_hash, &b);
        size_t n = b.len / sizeof(uint64_t);
        CHECK(text_simhash_hashes((const uint64_t *)b.ptr, n) ==
              text_simhash(inputs[i], strlen(inputs[i])));
        buf_release(&b);
    }
    CHECK(text_simhash_hashes(NULL, 0) == 0);
    /* past 255 tokens the byte counters are emptied: check around that,
     * with hashes repeated so that votes pile up on the same bits */
    uint64_t h[1200], x = 1;
    for (size_t i = 0; i < 1200; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        h[i] = i % 3 ? x : 42;
    }
    static const size_t sizes[] = {1, 2, 63, 254, 255, 256, 257, 510, 511, 766, 1200};
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
        CHECK(text_simhash_hashes(h, sizes[k]) == simhash_reference(h, sizes[k]));
    for (size_t i = 0; i < 1200; i++)
        h[i] = 42; /* one token 1200 times: its own mixed hash */
    CHECK(text_simhash_hashes(h, 1200) == text_mix64(42));
}

TESTS(TEST(test_dual_streams_equal_single_scans), TEST(test_simhash_of_hashes))
