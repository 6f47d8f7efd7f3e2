/* SPDX-License-Identifier: MIT */
/* focus.c: transparent focus-area classification from a weighted term list.
 *
 * Terms and texts go through the same folding and stemming (no stopword
 * removal, so phrases such as "ai for science" keep their shape); a term
 * fires when its token sequence occurs (a term set, termlist.c: one hash
 * probe per text token). Each distinct term counts once per field: twice
 * its weight in the title, once in the text. */
#include "corpus/corpus_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "text/text.h"

#define FOCUS_FLAGS TERM_FLAGS /* folded and stemmed, as docterms.c's plain stream */

struct focus_term {
    char *text;
    char *subtopic;
    int area;
    double weight;
};

struct focus_model {
    struct focus_term *terms; /* terms[k] is the token sequence set.seq[k] */
    size_t n, cap;
    struct term_set set;
};

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
    term_set_release(&m->set);
    free(m);
}

size_t focus_model_size(const struct focus_model *m)
{
    return m ? m->n : 0;
}

static enum achim_code focus_line(void *ctx, char **field, size_t nfield, int lineno,
                                  struct err *err)
{
    struct focus_model *m = ctx;
    if (nfield != 4)
        return err_set(err, ACHIM_EPARSE, "term list line %d: want 4 tab-separated fields", lineno);
    int area = area_from_name(field[0]);
    char *end = NULL;
    double w = strtod(field[2], &end);
    if (area < 0 || end == field[2] || w <= 0)
        return err_set(err, ACHIM_EPARSE, "term list line %d: bad area or weight", lineno);
    struct tok_hashes hs = {0};
    tok_hashes_add(&hs, field[3], strlen(field[3]), FOCUS_FLAGS);
    /* a term with no usable tokens can never fire */
    bool add = hs.n > 0 && hs.n <= TERM_MAX_TOKENS;
    /* "robotics" and "robot" share a stem: one term, the larger weight */
    for (size_t j = 0; j < m->n && add; j++) {
        if (m->terms[j].area == area && term_set_equals(&m->set, j, hs.h, hs.n)) {
            if (w > m->terms[j].weight)
                m->terms[j].weight = w;
            add = false;
        }
    }
    if (add) {
        term_set_add(&m->set, hs.h, hs.n);
        XGROW(m->terms, m->n + 1, m->cap);
        m->terms[m->n++] = (struct focus_term){xstrdup(field[3]), xstrdup(field[1]), area, w};
    }
    tok_hashes_release(&hs);
    return ACHIM_OK;
}

static enum achim_code finish(struct focus_model *m, enum achim_code rc, struct focus_model **out)
{
    if (rc != ACHIM_OK) {
        focus_model_free(m);
        return rc;
    }
    term_set_index(&m->set);
    *out = m;
    return ACHIM_OK;
}

enum achim_code focus_model_parse(const char *text, size_t len, struct focus_model **out,
                                  struct err *err)
{
    struct focus_model *m = xcalloc(1, sizeof(*m));
    return finish(m, termlist_parse(text, len, 4, focus_line, m, err), out);
}

enum achim_code focus_model_load(const char *path, struct focus_model **out, struct err *err)
{
    struct focus_model *m = xcalloc(1, sizeof(*m));
    return finish(m, termlist_load(path, 4, focus_line, m, err), out);
}

/* Each distinct term counts once per field: mark it seen. */
static void mark_seen(void *ctx, size_t term, size_t pos)
{
    ((bool *)ctx)[term] = true;
    (void)pos;
}

/* Classify the token-part hashes of a title th[0, nth) and a text xh[0, nxh). */
static void classify_hashes(const struct focus_model *m, const uint64_t *th, size_t nth,
                            const uint64_t *xh, size_t nxh, double min_score,
                            struct focus_result *out)
{
    memset(out, 0, sizeof(*out));
    out->area = -1;
    size_t nterms = m->n ? m->n : 1;
    bool *in_title = xcalloc(nterms, sizeof(bool)), *in_text = xcalloc(nterms, sizeof(bool));
    term_set_match(&m->set, th, nth, false, mark_seen, in_title);
    term_set_match(&m->set, xh, nxh, false, mark_seen, in_text);
    double *sub_score = xcalloc(nterms, sizeof(double));
    struct buf fired = BUF_INIT;
    double none = 0;
    for (size_t i = 0; i < m->n; i++) {
        const struct focus_term *t = &m->terms[i];
        double s = (in_title[i] ? 2 * t->weight : 0) + (in_text[i] ? t->weight : 0);
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
                if (m->terms[j].area == best &&
                    strcmp(m->terms[j].subtopic, m->terms[i].subtopic) == 0)
                    sum += sub_score[j] * m->terms[j].weight;
            if (sum > top) {
                top = sum;
                out->subtopic = m->terms[i].subtopic;
            }
        }
    }
    out->terms = buf_take(&fired);
    free(sub_score);
    free(in_title);
    free(in_text);
}

void focus_classify(const struct focus_model *m, const char *title, const char *text,
                    double min_score, struct focus_result *out)
{
    struct tok_hashes th = {0}, xh = {0};
    tok_hashes_add(&th, title, title ? strlen(title) : 0, FOCUS_FLAGS);
    tok_hashes_add(&xh, text, text ? strlen(text) : 0, FOCUS_FLAGS);
    classify_hashes(m, th.h, th.n, xh.h, xh.n, min_score, out);
    tok_hashes_release(&th);
    tok_hashes_release(&xh);
}

void focus_classify_terms(const struct focus_model *m, const struct doc_terms *dt, double min_score,
                          struct focus_result *out)
{
    classify_hashes(m, dt->h[DOC_TITLE_PARTS], dt->n[DOC_TITLE_PARTS], dt->h[DOC_TEXT_PARTS],
                    dt->n[DOC_TEXT_PARTS], min_score, out);
}

void focus_result_release(struct focus_result *r)
{
    free(r->terms);
    r->terms = NULL;
}
