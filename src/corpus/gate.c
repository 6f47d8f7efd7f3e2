/* SPDX-License-Identifier: MIT */
/* gate.c: the "is this technology news at all" gate — a transparent
 * signed-term model, and a trainer that writes one from labelled text.
 *
 * A model is a list of terms or phrases with signed weights (see
 * data/tech-terms.tsv). Terms and texts go through the same folding and
 * stemming as the focus classifier; a term fires once per field, its weight
 * counted GATE_TITLE_FACTOR times in the title and once in the text. The
 * sum is the score; the caller compares it with a threshold. Every fired
 * term is reported, so a decision can always be read back to its evidence.
 *
 * Lookup: terms are indexed by the hash of their first token (open
 * addressing), so scoring a text costs one probe per token plus a compare
 * for each phrase that starts there: thousands of terms cost no more than
 * ten. Expected work: every article of a day, or an evaluation set of a
 * few thousand texts, in well under a second.
 *
 * Training (gate_train) counts, for every analysed word, the documents of
 * each class that contain it and writes the smoothed log-odds
 * ln(P(w|tech)/P(w|other)) of the words that are frequent and decisive
 * enough — Bernoulli naive Bayes evidence, in the same file format, so a
 * trained model can be read and edited like the hand-written one. */
#include "corpus/corpus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "text/text.h"

#define GATE_FLAGS (TEXT_FOLD | TEXT_STEM)
#define GATE_MAX_TOKENS 6

struct gate_term {
    char *text;
    double weight;
    uint64_t tok[GATE_MAX_TOKENS];
    size_t ntok;
    size_t next; /* next term with the same first token, or SIZE_MAX */
};

struct gate_model {
    struct gate_term *terms;
    size_t n, cap;
    uint64_t *slot_hash; /* first-token hash table: hash -> first term */
    size_t *slot_term;
    size_t nslots;
};

struct hashes {
    uint64_t *h;
    size_t n, cap;
};

static int push_hash(void *ctx, const struct text_token *tok)
{
    struct hashes *hs = ctx;
    size_t start = 0;
    for (size_t i = 0; i <= tok->len; i++) {
        if (i == tok->len || tok->text[i] == '-') {
            if (i > start) {
                XGROW(hs->h, hs->n + 1, hs->cap);
                uint64_t h = text_hash(tok->text + start, i - start);
                hs->h[hs->n++] = h ? h : 1;
            }
            start = i + 1;
        }
    }
    return 0;
}

void gate_model_free(struct gate_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->terms[i].text);
    free(m->terms);
    free(m->slot_hash);
    free(m->slot_term);
    free(m);
}

size_t gate_model_size(const struct gate_model *m)
{
    return m ? m->n : 0;
}

static size_t slot_of(const struct gate_model *m, uint64_t h)
{
    size_t mask = m->nslots - 1, i = (size_t)(h ^ (h >> 31)) & mask;
    while (m->slot_hash[i] && m->slot_hash[i] != h)
        i = (i + 1) & mask;
    return i;
}

static void index_terms(struct gate_model *m)
{
    m->nslots = 16;
    while (m->nslots < m->n * 2 + 2)
        m->nslots *= 2;
    m->slot_hash = xcalloc(m->nslots, sizeof(uint64_t));
    m->slot_term = xcalloc(m->nslots, sizeof(size_t));
    /* insert in reverse so each chain lists terms in file order */
    for (size_t k = m->n; k-- > 0;) {
        size_t s = slot_of(m, m->terms[k].tok[0]);
        if (!m->slot_hash[s]) {
            m->slot_hash[s] = m->terms[k].tok[0];
            m->terms[k].next = SIZE_MAX;
        } else {
            m->terms[k].next = m->slot_term[s];
        }
        m->slot_term[s] = k;
    }
}

enum achim_code gate_model_parse(const char *text, size_t len, struct gate_model **out,
                                 struct err *err)
{
    struct gate_model *m = xcalloc(1, sizeof(*m));
    char *copy = xstrndup(text, len);
    enum achim_code rc = ACHIM_OK;
    int lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (line[0] == '#' || str_empty(line))
            continue;
        char *tab = strchr(line, '\t');
        char *end = NULL;
        double w = tab ? strtod(line, &end) : 0;
        if (!tab || end != tab || w == 0 || !isfinite(w)) {
            rc = err_set(err, ACHIM_EPARSE, "term model line %d: want weight<TAB>term", lineno);
            break;
        }
        char *term = str_trim(tab + 1);
        struct hashes hs = {0};
        text_tokenize(term, strlen(term), GATE_FLAGS, push_hash, &hs);
        if (hs.n == 0 || hs.n > GATE_MAX_TOKENS) {
            free(hs.h);
            continue; /* no usable tokens: it could never fire */
        }
        /* the same token sequence twice (e.g. "chip" and "chips"): keep the first */
        bool dup = false;
        for (size_t j = 0; j < m->n && !dup; j++)
            dup = m->terms[j].ntok == hs.n &&
                  memcmp(m->terms[j].tok, hs.h, hs.n * sizeof(uint64_t)) == 0;
        if (!dup) {
            XGROW(m->terms, m->n + 1, m->cap);
            struct gate_term *t = &m->terms[m->n++];
            memset(t, 0, sizeof(*t));
            t->text = xstrdup(term);
            t->weight = w;
            memcpy(t->tok, hs.h, hs.n * sizeof(uint64_t));
            t->ntok = hs.n;
        }
        free(hs.h);
    }
    free(copy);
    if (rc != ACHIM_OK) {
        gate_model_free(m);
        return rc;
    }
    index_terms(m);
    *out = m;
    return ACHIM_OK;
}

enum achim_code gate_model_load(const char *path, struct gate_model **out, struct err *err)
{
    struct buf b;
    buf_init(&b, 16u << 20);
    enum achim_code rc = file_read_all(path, &b, err);
    if (rc == ACHIM_OK) {
        rc = gate_model_parse(b.ptr, b.len, out, err);
        if (rc != ACHIM_OK)
            err_prefix(err, "'%s'", path);
    }
    buf_release(&b);
    return rc;
}

/* Mark in fired[] every term whose token sequence occurs in hs. */
static void match(const struct gate_model *m, const struct hashes *hs, unsigned char *fired,
                  unsigned char bit)
{
    for (size_t i = 0; i < hs->n; i++) {
        size_t s = slot_of(m, hs->h[i]);
        if (!m->slot_hash[s])
            continue;
        for (size_t k = m->slot_term[s]; k != SIZE_MAX; k = m->terms[k].next) {
            const struct gate_term *t = &m->terms[k];
            if (i + t->ntok > hs->n)
                continue;
            size_t j = 1;
            while (j < t->ntok && hs->h[i + j] == t->tok[j])
                j++;
            if (j == t->ntok)
                fired[k] |= bit;
        }
    }
}

void gate_score(const struct gate_model *m, const char *title, const char *text,
                struct gate_result *out)
{
    memset(out, 0, sizeof(*out));
    struct hashes th = {0}, xh = {0};
    if (title)
        text_tokenize(title, strlen(title), GATE_FLAGS, push_hash, &th);
    if (text)
        text_tokenize(text, strlen(text), GATE_FLAGS, push_hash, &xh);
    unsigned char *fired = xcalloc(m->n ? m->n : 1, 1);
    match(m, &th, fired, 1);
    match(m, &xh, fired, 2);
    struct buf terms = BUF_INIT;
    for (size_t k = 0; k < m->n; k++) {
        if (!fired[k])
            continue;
        double s = ((fired[k] & 1) ? GATE_TITLE_FACTOR * m->terms[k].weight : 0) +
                   ((fired[k] & 2) ? m->terms[k].weight : 0);
        out->score += s;
        buf_addf(&terms, "%s%s(%+g)", terms.len ? ", " : "", m->terms[k].text, s);
        out->nfired++;
    }
    out->terms = buf_take(&terms);
    free(fired);
    free(th.h);
    free(xh.h);
}

void gate_result_release(struct gate_result *r)
{
    free(r->terms);
    r->terms = NULL;
}

/* ==== Training ==== */

struct word_count {
    uint64_t hash;
    char *text;
    unsigned n[2]; /* documents containing it: [0] other, [1] tech */
    size_t last_doc;
};

struct trainer {
    struct word_count *w;
    size_t cap, used;
    size_t doc;
    int cls;
};

static struct word_count *trainer_slot(struct trainer *t, uint64_t h)
{
    if ((t->used + 1) * 2 > t->cap) {
        struct word_count *old = t->w;
        size_t oldcap = t->cap;
        t->cap = oldcap ? oldcap * 2 : 4096;
        t->w = xcalloc(t->cap, sizeof(*t->w));
        for (size_t i = 0; i < oldcap; i++) {
            if (!old[i].hash)
                continue;
            size_t j = (size_t)old[i].hash & (t->cap - 1);
            while (t->w[j].hash)
                j = (j + 1) & (t->cap - 1);
            t->w[j] = old[i];
        }
        free(old);
    }
    size_t j = (size_t)h & (t->cap - 1);
    while (t->w[j].hash && t->w[j].hash != h)
        j = (j + 1) & (t->cap - 1);
    return &t->w[j];
}

static int train_tok(void *ctx, const struct text_token *tok)
{
    struct trainer *t = ctx;
    if (tok->kind == TOK_NUMBER || tok->len < 2)
        return 0;
    uint64_t h = text_hash(tok->text, tok->len);
    h = h ? h : 1;
    struct word_count *w = trainer_slot(t, h);
    if (!w->hash) {
        w->hash = h;
        w->text = xstrndup(tok->text, tok->len);
        w->last_doc = SIZE_MAX;
        t->used++;
    }
    if (w->last_doc != t->doc) {
        w->last_doc = t->doc;
        w->n[t->cls]++;
    }
    return 0;
}

static int cmp_abs_weight(const void *a, const void *b)
{
    double x = fabs(((const struct trained_term *)a)->weight);
    double y = fabs(((const struct trained_term *)b)->weight);
    if (x != y)
        return (y > x) - (y < x);
    return strcmp(((const struct trained_term *)a)->text, ((const struct trained_term *)b)->text);
}

size_t gate_train(const char *const *titles, const char *const *texts, const bool *is_tech,
                  size_t n, size_t min_docs, double min_weight, struct trained_term **out)
{
    struct trainer t = {0};
    size_t ndoc[2] = {0, 0};
    struct text_analyzer *an = text_analyzer_new();
    for (size_t i = 0; i < n; i++) {
        t.doc = i;
        t.cls = is_tech[i] ? 1 : 0;
        ndoc[t.cls]++;
        if (titles && titles[i])
            text_analyzer_tokenize(an, titles[i], strlen(titles[i]), TEXT_ANALYZE, train_tok, &t);
        if (texts && texts[i])
            text_analyzer_tokenize(an, texts[i], strlen(texts[i]), TEXT_ANALYZE, train_tok, &t);
    }
    text_analyzer_free(an);
    struct trained_term *res = NULL;
    size_t nres = 0, cap = 0;
    for (size_t i = 0; i < t.cap; i++) {
        struct word_count *w = &t.w[i];
        if (!w->hash)
            continue;
        if (w->n[0] + w->n[1] >= min_docs && ndoc[0] && ndoc[1]) {
            double p1 = (w->n[1] + 1.0) / (ndoc[1] + 2.0);
            double p0 = (w->n[0] + 1.0) / (ndoc[0] + 2.0);
            double lo = log(p1 / p0);
            if (fabs(lo) >= min_weight) {
                XGROW(res, nres + 1, cap);
                res[nres].text = w->text;
                res[nres].weight = round(lo * 10) / 10;
                res[nres].docs = w->n[0] + w->n[1];
                nres++;
                w->text = NULL;
            }
        }
        free(w->text);
    }
    free(t.w);
    if (nres)
        qsort(res, nres, sizeof(*res), cmp_abs_weight);
    *out = res;
    return nres;
}

void gate_trained_free(struct trained_term *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].text);
    free(v);
}
