/* SPDX-License-Identifier: MIT */
/* pick.c: choose the sentences that best stand for a group of texts.
 *
 * Score = cosine to the group centroid (centrality), times an early-position
 * prior (news puts the key fact first), for sentences inside a length
 * window; a sentence too similar to one already chosen is passed over. */
#include "corpus/corpus.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "text/text.h"

struct cand {
    size_t doc;
    size_t start, end;
    struct tvec v;
    float score;
};

static int cmp_cand(const void *a, const void *b)
{
    float x = ((const struct cand *)a)->score, y = ((const struct cand *)b)->score;
    return (y > x) - (y < x);
}

size_t corpus_pick_sentences(const char *const *texts, size_t n, size_t max_sentences,
                             size_t max_chars, struct picked_sentence **out)
{
    *out = NULL;
    struct cand *c = NULL;
    size_t nc = 0, cap = 0;
    struct tvec centroid = {0};
    for (size_t d = 0; d < n; d++) {
        if (!texts[d])
            continue;
        struct text_span *sp = NULL;
        size_t ns = text_sentences(texts[d], strlen(texts[d]), &sp);
        for (size_t k = 0; k < ns; k++) {
            size_t len = sp[k].end - sp[k].start;
            size_t chars = text_utf8_length(texts[d] + sp[k].start, len);
            char *s = xstrndup(texts[d] + sp[k].start, len);
            struct tvec v;
            tvec_from_text(&v, s, 1.0f);
            free(s);
            tvec_normalize(&v);
            tvec_add(&centroid, &v, 1.0f);
            if (chars < 25 || chars > max_chars || v.n < 3) {
                tvec_release(&v);
                continue;
            }
            XGROW(c, nc + 1, cap);
            c[nc++] = (struct cand){d, sp[k].start, sp[k].end, v, (float)k};
        }
        free(sp);
    }
    tvec_normalize(&centroid);
    for (size_t i = 0; i < nc; i++) {
        float position = c[i].score; /* sentence index within its text */
        float prior = position == 0 ? 1.25f : position == 1 ? 1.1f : 1.0f;
        c[i].score = tvec_dot(&c[i].v, &centroid) * prior;
    }
    if (nc)
        qsort(c, nc, sizeof(*c), cmp_cand);
    struct picked_sentence *res = xcalloc(max_sentences ? max_sentences : 1, sizeof(*res));
    size_t nres = 0;
    size_t *chosen = xcalloc(max_sentences ? max_sentences : 1, sizeof(size_t));
    for (size_t i = 0; i < nc && nres < max_sentences; i++) {
        bool repeat = false;
        for (size_t j = 0; j < nres; j++)
            if (tvec_dot(&c[i].v, &c[chosen[j]].v) > 0.5f)
                repeat = true;
        if (repeat)
            continue;
        chosen[nres] = i;
        res[nres].doc = c[i].doc;
        res[nres].sentence = str_squash_space(
            xstrndup(texts[c[i].doc] + c[i].start, c[i].end - c[i].start));
        res[nres].score = c[i].score;
        nres++;
    }
    for (size_t i = 0; i < nc; i++)
        tvec_release(&c[i].v);
    free(c);
    free(chosen);
    tvec_release(&centroid);
    if (!nres) {
        free(res);
        return 0;
    }
    *out = res;
    return nres;
}
