/* SPDX-License-Identifier: MIT */
/* summarize.c: multi-document extractive summarisation (the summariser).
 *
 * One engine serves `achim summarize` (one article at a time, thousands of
 * them in the ROUGE evaluation) and the brief (one story of 2-10 articles).
 * Every chosen sentence keeps the document and sentence number it came
 * from, so a bullet can be traced back sentence by sentence.
 *
 * Scoring, for each sentence inside the length window:
 *   - centrality: continuous LexRank (Erkan & Radev 2004) — PageRank over
 *     the idf-weighted cosine similarity graph of all sentences;
 *   - salience: the summed document frequency of the sentence's content
 *     words, divided by the square root of its length (a word-frequency
 *     summariser in the manner of Luhn and ots, tempered so that long
 *     sentences do not win by length alone);
 *   - a position prior: news puts the key fact first, so the k-th sentence
 *     of an article gets 1 + P/(k+1).
 * Selection is Maximal Marginal Relevance (Carbonell & Goldstein 1998):
 * repeatedly take the sentence maximising lambda*score - (1-lambda)*max
 * similarity to those already taken, skipping near-repeats, until the
 * sentence count or word budget is reached.
 *
 * Workload: up to a few thousand sentences per call (at most
 * SUMMARIZE_MAX_SENTENCES are read). The similarity graph is built from
 * posting lists (pairs only for shared terms) into a dense float matrix, so
 * 1,000 sentences take 4 MB and about 25 ms. */
#include "corpus/corpus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "text/text.h"

/* The similarity matrix is ns x ns floats: past this many sentences (16 MB)
 * the rest of the input is not considered — the position prior would rank
 * it last anyway. */
#define SUMMARIZE_MAX_SENTENCES 2000

#define LEXRANK_DAMPING 0.15
#define LEXRANK_ITERATIONS 60
#define LEXRANK_EPSILON 1e-7

void sum_opts_default(struct sum_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->max_sentences = 3;
    o->min_chars = 20;
    o->max_chars = 0;
    o->lambda = 0.7f;
    o->repeat = 0.6f;
    o->position = 0.5f;
    o->text_order = true;
}

/* ==== Sentences and their terms ==== */

struct sent {
    size_t doc, index; /* document, sentence number within it */
    size_t start, end; /* bytes in texts[doc] */
    size_t words;      /* white-space separated words */
    size_t chars;
    size_t t0, nt; /* its distinct terms: posting[t0 .. t0+nt) in sentence order */
    bool eligible; /* inside the length window */
    double score;
};

struct post {
    uint64_t term;
    uint32_t sent;
    float tf;
    float w; /* tf * idf, later divided by the sentence norm */
};

struct collect {
    struct post *p;
    size_t n, cap;
    uint32_t sent;
};

static int collect_term(void *ctx, const struct text_token *tok)
{
    struct collect *c = ctx;
    XGROW(c->p, c->n + 1, c->cap);
    c->p[c->n++] = (struct post){text_hash(tok->text, tok->len), c->sent, 1.0f, 0};
    return 0;
}

static int cmp_post_term(const void *a, const void *b)
{
    const struct post *x = a, *y = b;
    if (x->term != y->term)
        return (x->term > y->term) - (x->term < y->term);
    return (x->sent > y->sent) - (x->sent < y->sent);
}

static size_t count_words(const char *s, size_t len)
{
    size_t n = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool sp = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

/* ==== LexRank ==== */

/* Power iteration of PageRank on the row-normalised similarity matrix. */
static void lexrank(const float *sim, size_t n, double *rank)
{
    double *rowsum = xcalloc(n, sizeof(double));
    double *next = xcalloc(n, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            rowsum[i] += sim[i * n + j];
        rank[i] = 1.0 / (double)n;
    }
    for (int it = 0; it < LEXRANK_ITERATIONS; it++) {
        double dangling = 0;
        for (size_t i = 0; i < n; i++) {
            next[i] = 0;
            if (rowsum[i] <= 0)
                dangling += rank[i];
        }
        /* sim is symmetric: next[j] += rank[i] * sim[i][j] / rowsum[i] */
        for (size_t i = 0; i < n; i++) {
            if (rowsum[i] <= 0)
                continue;
            double share = rank[i] / rowsum[i];
            const float *row = sim + i * n;
            for (size_t j = 0; j < n; j++)
                next[j] += share * row[j];
        }
        double delta = 0;
        for (size_t i = 0; i < n; i++) {
            double v = LEXRANK_DAMPING / (double)n +
                       (1.0 - LEXRANK_DAMPING) * (next[i] + dangling / (double)n);
            delta += fabs(v - rank[i]);
            rank[i] = v;
        }
        if (delta < LEXRANK_EPSILON)
            break;
    }
    free(rowsum);
    free(next);
}

/* ==== The engine ==== */

size_t summarize(const char *const *texts, size_t ndocs, const struct sum_opts *opts,
                 struct sum_pick **out)
{
    struct sum_opts o;
    if (opts)
        o = *opts;
    else
        sum_opts_default(&o);
    *out = NULL;

    struct text_analyzer *an = text_analyzer_new();
    struct sent *s = NULL;
    size_t ns = 0, scap = 0;
    struct collect col = {0};
    for (size_t d = 0; d < ndocs; d++) {
        if (!texts[d])
            continue;
        struct text_span *sp = NULL;
        size_t n = text_sentences(texts[d], strlen(texts[d]), &sp);
        for (size_t k = 0; k < n && ns < SUMMARIZE_MAX_SENTENCES; k++) {
            const char *p = texts[d] + sp[k].start;
            size_t len = sp[k].end - sp[k].start;
            XGROW(s, ns + 1, scap);
            struct sent *x = &s[ns];
            memset(x, 0, sizeof(*x));
            x->doc = d;
            x->index = k;
            x->start = sp[k].start;
            x->end = sp[k].end;
            x->words = count_words(p, len);
            x->chars = text_utf8_length(p, len);
            x->t0 = col.n;
            col.sent = (uint32_t)ns;
            text_analyzer_tokenize(an, p, len, TEXT_ANALYZE, collect_term, &col);
            x->nt = col.n - x->t0;
            x->eligible =
                x->chars >= o.min_chars && (!o.max_chars || x->chars <= o.max_chars) && x->nt > 0;
            ns++;
        }
        free(sp);
    }
    text_analyzer_free(an);
    if (!ns) {
        free(col.p);
        return 0;
    }

    /* group postings by term: document frequency over sentences, then idf */
    size_t np = col.n;
    struct post *p = col.p;
    if (np)
        qsort(p, np, sizeof(*p), cmp_post_term);
    /* merge repeats of a term within one sentence into tf */
    size_t m = 0;
    for (size_t i = 0; i < np; i++) {
        if (m && p[m - 1].term == p[i].term && p[m - 1].sent == p[i].sent)
            p[m - 1].tf += 1.0f;
        else
            p[m++] = p[i];
    }
    np = m;
    double *norm = xcalloc(ns, sizeof(double));
    double *salience = xcalloc(ns, sizeof(double));
    for (size_t i = 0; i < np;) {
        size_t j = i;
        double tf_total = 0;
        while (j < np && p[j].term == p[i].term) {
            tf_total += p[j].tf;
            j++;
        }
        size_t df = j - i;
        double idf = log(((double)ns + 1.0) / (double)df);
        for (size_t k = i; k < j; k++) {
            p[k].w = (float)(p[k].tf * idf);
            norm[p[k].sent] += (double)p[k].w * p[k].w;
            /* a word the text keeps returning to marks a salient sentence */
            if (tf_total > 1)
                salience[p[k].sent] += tf_total - p[k].tf;
        }
        i = j;
    }
    for (size_t i = 0; i < ns; i++)
        norm[i] = norm[i] > 0 ? sqrt(norm[i]) : 1.0;
    for (size_t k = 0; k < np; k++)
        p[k].w = (float)(p[k].w / norm[p[k].sent]);

    /* cosine similarity through shared terms only */
    float *sim = xcalloc(ns * ns, sizeof(float));
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && p[j].term == p[i].term)
            j++;
        for (size_t a = i; a < j; a++)
            for (size_t b = a + 1; b < j; b++) {
                float v = p[a].w * p[b].w;
                sim[(size_t)p[a].sent * ns + p[b].sent] += v;
                sim[(size_t)p[b].sent * ns + p[a].sent] += v;
            }
        i = j;
    }
    double *rank = xcalloc(ns, sizeof(double));
    lexrank(sim, ns, rank);

    double max_rank = 0, max_sal = 0;
    for (size_t i = 0; i < ns; i++) {
        salience[i] /= sqrt((double)(s[i].words ? s[i].words : 1));
        if (s[i].eligible && rank[i] > max_rank)
            max_rank = rank[i];
        if (s[i].eligible && salience[i] > max_sal)
            max_sal = salience[i];
    }
    for (size_t i = 0; i < ns; i++) {
        double c = max_rank > 0 ? rank[i] / max_rank : 0;
        double f = max_sal > 0 ? salience[i] / max_sal : 0;
        double prior = 1.0 + o.position / (double)(s[i].index + 1);
        s[i].score = (0.5 * c + 0.5 * f) * prior / (1.0 + o.position);
    }

    /* MMR selection under the sentence and word limits */
    size_t cap = o.max_sentences ? o.max_sentences : ns;
    struct sum_pick *res = xcalloc(cap ? cap : 1, sizeof(*res));
    size_t nres = 0, words = 0;
    bool *taken = xcalloc(ns, sizeof(bool));
    double *maxsim = xcalloc(ns, sizeof(double));
    while (nres < cap) {
        size_t best = ns;
        double best_v = -1e30;
        for (size_t i = 0; i < ns; i++) {
            if (taken[i] || !s[i].eligible || maxsim[i] > o.repeat)
                continue;
            if (o.max_words && words && words + s[i].words > o.max_words &&
                words + s[i].words - o.max_words >= o.max_words - words)
                continue; /* taking it would leave us further from the budget */
            double v = o.lambda * s[i].score - (1.0 - o.lambda) * maxsim[i];
            if (v > best_v) {
                best_v = v;
                best = i;
            }
        }
        if (best == ns)
            break;
        taken[best] = true;
        res[nres++] = (struct sum_pick){s[best].doc, s[best].index, s[best].start, s[best].end,
                                        (float)s[best].score};
        words += s[best].words;
        for (size_t i = 0; i < ns; i++) {
            double v = sim[i * ns + best];
            if (v > maxsim[i])
                maxsim[i] = v;
        }
        if (o.max_words && words >= o.max_words)
            break;
    }
    if (o.text_order && nres > 1) {
        /* insertion sort by (doc, sentence): nres is small */
        for (size_t i = 1; i < nres; i++) {
            struct sum_pick t = res[i];
            size_t j = i;
            while (j > 0 && (res[j - 1].doc > t.doc ||
                             (res[j - 1].doc == t.doc && res[j - 1].sentence > t.sentence))) {
                res[j] = res[j - 1];
                j--;
            }
            res[j] = t;
        }
    }
    free(taken);
    free(maxsim);
    free(rank);
    free(sim);
    free(norm);
    free(salience);
    free(p);
    free(s);
    if (!nres) {
        free(res);
        return 0;
    }
    *out = res;
    return nres;
}

size_t summarize_count_words(const char *s)
{
    return s ? count_words(s, strlen(s)) : 0;
}
