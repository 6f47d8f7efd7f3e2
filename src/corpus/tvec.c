/* SPDX-License-Identifier: MIT */
/* tvec.c: sparse term vectors keyed by token hash, kept sorted so that
 * dot products and sums are linear merges. */
#include "corpus/corpus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "text/text.h"

void tvec_release(struct tvec *v)
{
    free(v->term);
    free(v->w);
    memset(v, 0, sizeof(*v));
}

struct hash_list {
    uint64_t *h;
    size_t n, cap;
};

static int collect_hash(void *ctx, const struct text_token *tok)
{
    struct hash_list *l = ctx;
    XGROW(l->h, l->n + 1, l->cap);
    l->h[l->n++] = text_hash(tok->text, tok->len);
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void tvec_from_text(struct tvec *out, const char *s, float weight)
{
    memset(out, 0, sizeof(*out));
    if (!s || !*s)
        return;
    struct hash_list l = {0};
    text_tokenize(s, strlen(s), TEXT_ANALYZE, collect_hash, &l);
    if (!l.n) {
        free(l.h);
        return;
    }
    qsort(l.h, l.n, sizeof(uint64_t), cmp_u64);
    out->term = xmalloc(l.n * sizeof(uint64_t));
    out->w = xmalloc(l.n * sizeof(float));
    for (size_t i = 0; i < l.n; i++) {
        if (out->n && out->term[out->n - 1] == l.h[i]) {
            out->w[out->n - 1] += weight;
        } else {
            out->term[out->n] = l.h[i];
            out->w[out->n] = weight;
            out->n++;
        }
    }
    free(l.h);
}

void tvec_add(struct tvec *dst, const struct tvec *src, float scale)
{
    size_t cap = dst->n + src->n;
    if (!src->n)
        return;
    uint64_t *term = xmalloc(cap * sizeof(uint64_t));
    float *w = xmalloc(cap * sizeof(float));
    size_t i = 0, j = 0, k = 0;
    while (i < dst->n || j < src->n) {
        if (j == src->n || (i < dst->n && dst->term[i] < src->term[j])) {
            term[k] = dst->term[i];
            w[k++] = dst->w[i++];
        } else if (i == dst->n || src->term[j] < dst->term[i]) {
            term[k] = src->term[j];
            w[k++] = src->w[j++] * scale;
        } else {
            term[k] = dst->term[i];
            w[k++] = dst->w[i++] + src->w[j++] * scale;
        }
    }
    free(dst->term);
    free(dst->w);
    dst->term = term;
    dst->w = w;
    dst->n = k;
}

float tvec_dot(const struct tvec *a, const struct tvec *b)
{
    float sum = 0;
    size_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        if (a->term[i] < b->term[j])
            i++;
        else if (b->term[j] < a->term[i])
            j++;
        else
            sum += a->w[i++] * b->w[j++];
    }
    return sum;
}

float tvec_norm(const struct tvec *v)
{
    double s = 0;
    for (size_t i = 0; i < v->n; i++)
        s += (double)v->w[i] * v->w[i];
    return (float)sqrt(s);
}

void tvec_normalize(struct tvec *v)
{
    float n = tvec_norm(v);
    if (n > 0)
        for (size_t i = 0; i < v->n; i++)
            v->w[i] /= n;
}
