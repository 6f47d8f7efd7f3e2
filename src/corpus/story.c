/* SPDX-License-Identifier: MIT */
/* story.c: group articles about the same story.
 *
 * One pass in time order: each document's TF-IDF vector (title counted
 * twice) joins the open story whose centroid is most similar, if that
 * similarity reaches the threshold, else it opens a new story. Stories idle
 * longer than the window are closed. IDF comes from the batch itself.
 * This is the first engine behind the story_group() contract; it compares a
 * document with every open story, which is fine for a day of news. */
#include "corpus/corpus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

void story_opts_default(struct story_opts *o)
{
    o->threshold = 0.22f;
    o->window = 3 * 86400;
}

struct df_entry {
    uint64_t term;
    unsigned df;
};

static int cmp_df(const void *a, const void *b)
{
    uint64_t x = ((const struct df_entry *)a)->term, y = ((const struct df_entry *)b)->term;
    return (x > y) - (x < y);
}

static unsigned df_lookup(const struct df_entry *df, size_t n, uint64_t term)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (df[mid].term < term)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && df[lo].term == term ? df[lo].df : 0;
}

struct open_story {
    struct tvec sum; /* sum of member vectors */
    float norm;
    int64_t last;
    size_t id;
};

void story_group(const struct story_doc *docs, size_t n, const struct story_opts *opts,
                 size_t *assign, size_t *nstories)
{
    struct story_opts def;
    if (!opts) {
        story_opts_default(&def);
        opts = &def;
    }
    struct tvec *vec = xcalloc(n ? n : 1, sizeof(*vec));
    size_t total_terms = 0;
    for (size_t i = 0; i < n; i++) {
        struct buf b = BUF_INIT;
        const char *title = docs[i].title ? docs[i].title : "";
        buf_addf(&b, "%s. %s. %s", title, title, docs[i].text ? docs[i].text : "");
        tvec_from_text(&vec[i], b.ptr, 1.0f);
        buf_release(&b);
        total_terms += vec[i].n;
    }
    /* document frequencies */
    struct df_entry *df = xcalloc(total_terms ? total_terms : 1, sizeof(*df));
    size_t ndf = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < vec[i].n; k++)
            df[ndf++] = (struct df_entry){vec[i].term[k], 1};
    qsort(df, ndf, sizeof(*df), cmp_df);
    size_t u = 0;
    for (size_t k = 0; k < ndf; k++) {
        if (u && df[u - 1].term == df[k].term)
            df[u - 1].df++;
        else
            df[u++] = df[k];
    }
    ndf = u;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < vec[i].n; k++) {
            unsigned d = df_lookup(df, ndf, vec[i].term[k]);
            float idf = (float)log((1.0 + (double)n) / (1.0 + d)) + 1.0f;
            vec[i].w[k] = (1.0f + logf(vec[i].w[k])) * idf;
        }
        tvec_normalize(&vec[i]);
    }

    struct open_story *st = NULL;
    size_t nst = 0, cap = 0, next_id = 0;
    for (size_t i = 0; i < n; i++) {
        float best = 0;
        size_t best_k = (size_t)-1;
        for (size_t k = 0; k < nst; k++) {
            if (docs[i].time && st[k].last && docs[i].time - st[k].last > opts->window)
                continue;
            float sim = st[k].norm > 0 ? tvec_dot(&vec[i], &st[k].sum) / st[k].norm : 0;
            if (sim > best) {
                best = sim;
                best_k = k;
            }
        }
        if (best_k != (size_t)-1 && best >= opts->threshold) {
            struct open_story *s = &st[best_k];
            tvec_add(&s->sum, &vec[i], 1.0f);
            s->norm = tvec_norm(&s->sum);
            if (docs[i].time > s->last)
                s->last = docs[i].time;
            assign[i] = s->id;
        } else {
            XGROW(st, nst + 1, cap);
            struct open_story *s = &st[nst++];
            memset(s, 0, sizeof(*s));
            tvec_add(&s->sum, &vec[i], 1.0f);
            s->norm = tvec_norm(&s->sum);
            s->last = docs[i].time;
            s->id = next_id++;
            assign[i] = s->id;
        }
    }
    *nstories = next_id;
    for (size_t k = 0; k < nst; k++)
        tvec_release(&st[k].sum);
    free(st);
    for (size_t i = 0; i < n; i++)
        tvec_release(&vec[i]);
    free(vec);
    free(df);
}
