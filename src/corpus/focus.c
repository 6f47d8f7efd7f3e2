/* SPDX-License-Identifier: MIT */
/* focus.c: transparent focus-area classification from a weighted term list.
 *
 * Terms and texts go through the same folding and stemming (no stopword
 * removal, so phrases such as "ai for science" keep their shape); a term
 * fires when its token sequence occurs. Each distinct term counts once per
 * field: twice its weight in the title, once in the text. */
#include "corpus/corpus.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "text/text.h"

#define FOCUS_FLAGS (TEXT_FOLD | TEXT_STEM)
#define MAX_TERM_TOKENS 8

struct focus_term {
    char *text;
    char *subtopic;
    int area;
    double weight;
    uint64_t tok[MAX_TERM_TOKENS];
    size_t ntok;
};

struct focus_model {
    struct focus_term *terms;
    size_t n, cap;
};

struct hashes {
    uint64_t *h;
    size_t n, cap;
};

static void push_one(struct hashes *hs, const char *s, size_t len)
{
    XGROW(hs->h, hs->n + 1, hs->cap);
    hs->h[hs->n++] = text_hash(s, len);
}

/* Hyphenated words count as their parts, so "export-control" in a text
 * matches the term "export control" and the other way round. */
static int push_hash(void *ctx, const struct text_token *tok)
{
    struct hashes *hs = ctx;
    size_t start = 0;
    for (size_t i = 0; i <= tok->len; i++) {
        if (i == tok->len || tok->text[i] == '-') {
            if (i > start)
                push_one(hs, tok->text + start, i - start);
            start = i + 1;
        }
    }
    return 0;
}

/* "none" collects terms of news outside the focus (consumer deals, reviews,
 * recalls): a story goes to a focus area only when that area outscores it. */
#define AREA_NONE BRIEF_NAREAS

static int area_from_name(const char *s)
{
    if (strcmp(s, "none") == 0)
        return AREA_NONE;
    if (strcmp(s, "ai") == 0)
        return BRIEF_AI;
    if (strcmp(s, "bigtech") == 0)
        return BRIEF_BIGTECH;
    if (strcmp(s, "trends") == 0)
        return BRIEF_TRENDS;
    return -1;
}

void focus_model_free(struct focus_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->terms[i].text);
        free(m->terms[i].subtopic);
    }
    free(m->terms);
    free(m);
}

size_t focus_model_size(const struct focus_model *m) { return m ? m->n : 0; }

enum achim_code focus_model_parse(const char *text, size_t len, struct focus_model **out,
                                  struct err *err)
{
    struct focus_model *m = xcalloc(1, sizeof(*m));
    char *copy = xstrndup(text, len);
    enum achim_code rc = ACHIM_OK;
    int lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (line[0] == '#' || str_empty(line))
            continue;
        char *f[4];
        int nf = 0;
        char *p = line;
        while (nf < 4) {
            f[nf++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        if (nf != 4) {
            rc = err_set(err, ACHIM_EPARSE, "term list line %d: want 4 tab-separated fields",
                         lineno);
            break;
        }
        int area = area_from_name(str_trim(f[0]));
        char *end = NULL;
        double w = strtod(f[2], &end);
        if (area < 0 || end == f[2] || w <= 0) {
            rc = err_set(err, ACHIM_EPARSE, "term list line %d: bad area or weight", lineno);
            break;
        }
        XGROW(m->terms, m->n + 1, m->cap);
        struct focus_term *t = &m->terms[m->n];
        memset(t, 0, sizeof(*t));
        t->text = xstrdup(str_trim(f[3]));
        t->subtopic = xstrdup(str_trim(f[1]));
        t->area = area;
        t->weight = w;
        struct hashes hs = {0};
        text_tokenize(t->text, strlen(t->text), FOCUS_FLAGS, push_hash, &hs);
        if (hs.n == 0 || hs.n > MAX_TERM_TOKENS) {
            free(hs.h);
            free(t->text);
            free(t->subtopic);
            continue; /* a term with no usable tokens can never fire */
        }
        memcpy(t->tok, hs.h, hs.n * sizeof(uint64_t));
        t->ntok = hs.n;
        free(hs.h);
        /* "robotics" and "robot" share a stem: one term, the larger weight */
        bool merged = false;
        for (size_t j = 0; j < m->n && !merged; j++) {
            struct focus_term *o = &m->terms[j];
            if (o->area == t->area && o->ntok == t->ntok &&
                memcmp(o->tok, t->tok, t->ntok * sizeof(uint64_t)) == 0) {
                if (t->weight > o->weight)
                    o->weight = t->weight;
                merged = true;
            }
        }
        if (merged) {
            free(t->text);
            free(t->subtopic);
            continue;
        }
        m->n++;
    }
    free(copy);
    if (rc != ACHIM_OK) {
        focus_model_free(m);
        return rc;
    }
    *out = m;
    return ACHIM_OK;
}

enum achim_code focus_model_load(const char *path, struct focus_model **out, struct err *err)
{
    struct buf b;
    buf_init(&b, 16u << 20);
    enum achim_code rc = file_read_all(path, &b, err);
    if (rc == ACHIM_OK) {
        rc = focus_model_parse(b.ptr, b.len, out, err);
        if (rc != ACHIM_OK)
            err_prefix(err, "'%s'", path);
    }
    buf_release(&b);
    return rc;
}

static bool seq_contains(const struct hashes *hs, const struct focus_term *t)
{
    if (t->ntok > hs->n)
        return false;
    for (size_t i = 0; i + t->ntok <= hs->n; i++) {
        if (hs->h[i] != t->tok[0])
            continue;
        size_t k = 1;
        while (k < t->ntok && hs->h[i + k] == t->tok[k])
            k++;
        if (k == t->ntok)
            return true;
    }
    return false;
}

void focus_classify(const struct focus_model *m, const char *title, const char *text,
                    double min_score, struct focus_result *out)
{
    memset(out, 0, sizeof(*out));
    out->area = -1;
    struct hashes th = {0}, xh = {0};
    if (title)
        text_tokenize(title, strlen(title), FOCUS_FLAGS, push_hash, &th);
    if (text)
        text_tokenize(text, strlen(text), FOCUS_FLAGS, push_hash, &xh);
    double *sub_score = xcalloc(m->n ? m->n : 1, sizeof(double));
    struct buf fired = BUF_INIT;
    double none = 0;
    for (size_t i = 0; i < m->n; i++) {
        const struct focus_term *t = &m->terms[i];
        double s = 0;
        if (seq_contains(&th, t))
            s += 2 * t->weight;
        if (seq_contains(&xh, t))
            s += t->weight;
        if (s <= 0)
            continue;
        if (t->area == AREA_NONE)
            none += s;
        else
            out->score[t->area] += s;
        sub_score[i] = s;
        buf_addf(&fired, "%s%s(%g)", fired.len ? ", " : "", t->text, s);
    }
    int best = -1;
    out->none = none;
    for (int a = 0; a < BRIEF_NAREAS; a++)
        if (out->score[a] >= min_score && out->score[a] > none &&
            (best < 0 || out->score[a] > out->score[best]))
            best = a;
    out->area = best;
    if (best >= 0) {
        /* best subtopic: fired scores summed per subtopic, each scaled by its
         * term's weight so decisive terms outvote many generic ones */
        double top = 0;
        for (size_t i = 0; i < m->n; i++) {
            if (m->terms[i].area != best || sub_score[i] <= 0)
                continue;
            double sum = 0;
            for (size_t j = 0; j < m->n; j++)
                if (m->terms[j].area == best && strcmp(m->terms[j].subtopic, m->terms[i].subtopic) == 0)
                    sum += sub_score[j] * m->terms[j].weight;
            if (sum > top) {
                top = sum;
                out->subtopic = m->terms[i].subtopic;
            }
        }
    }
    out->terms = buf_take(&fired);
    free(sub_score);
    free(th.h);
    free(xh.h);
}

void focus_result_release(struct focus_result *r)
{
    free(r->terms);
    r->terms = NULL;
}
