/* SPDX-License-Identifier: MIT */
/* docterms.c: an article's token hashes for every step of the day's
 * analysis, from one tokenizer pass (see corpus.h).
 *
 * Before, each step tokenised the article again: SimHash the text,
 * clustering the title twice and the text, the gate and focus title and
 * text each; over the benchmark's 100k articles that was about a third of
 * the analysis time. One TEXT_DUAL pass gives both token streams, and the
 * hashes the steps compare are all they keep of the tokens. Clustering
 * learns names from the text's case (a word capitalised inside a
 * sentence), which the hashes lose, so the same pass notes which of the
 * text's analysed tokens begin a sentence and which are capitalised
 * inside one (DOC_TEXT_INITIAL, DOC_TEXT_CAPITAL). */
#include "corpus/corpus_int.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/xalloc.h"
#include "text/text.h"

bool word_begins_sentence(const char *s, size_t start)
{
    while (start > 0) {
        unsigned char c = (unsigned char)s[start - 1];
        if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '(' || c == '[')
            start--;
        else
            return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '\n' ||
                   c == '\r';
    }
    return true;
}

bool word_capitalised(const char *s, size_t start, size_t end)
{
    unsigned char first = (unsigned char)s[start];
    if (start < end && first < 0x80) /* ASCII: no need to decode */
        return first >= 'A' && first <= 'Z';
    utf8proc_int32_t cp = -1;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s + start, (utf8proc_ssize_t)(end - start),
                         &cp) <= 0)
        return false;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

struct collect {
    struct doc_terms *dt;
    int analysed, parts; /* the lists this field's tokens go to */
    const char *input;   /* the text, when its case is noted (DOC_TEXT_INITIAL/CAPITAL) */
};

static void push_hash(struct doc_terms *dt, int l, uint64_t h)
{
    XGROW(dt->h[l], dt->n[l] + 1, dt->cap[l]);
    dt->h[l][dt->n[l]++] = h;
}

static int collect_token(void *ctx, const struct text_token *tok)
{
    struct collect *c = ctx;
    struct doc_terms *dt = c->dt;
    /* a token without hyphens is its only part: one hash serves both lists */
    bool whole = tok->len > 0 && !memchr(tok->text, '-', tok->len);
    uint64_t h =
        whole || (tok->streams & TEXT_STREAM_ANALYZED) ? text_hash(tok->text, tok->len) : 0;
    if (tok->streams & TEXT_STREAM_ANALYZED) {
        push_hash(dt, c->analysed, h);
        if (c->input) {
            if (word_begins_sentence(c->input, tok->start))
                push_hash(dt, DOC_TEXT_INITIAL, h);
            else if (word_capitalised(c->input, tok->start, tok->end))
                push_hash(dt, DOC_TEXT_CAPITAL, h);
        }
    }
    if (tok->streams & TEXT_STREAM_PLAIN) {
        int l = c->parts;
        if (whole) {
            XGROW(dt->h[l], dt->n[l] + 1, dt->cap[l]);
            dt->h[l][dt->n[l]++] = h ? h : 1;
        } else {
            term_parts_append(&dt->h[l], &dt->n[l], &dt->cap[l], tok->text, tok->len);
        }
    }
    return 0;
}

static void scan_field(struct doc_terms *dt, struct text_analyzer *a, const char *s, int analysed,
                       int parts)
{
    if (!s)
        return;
    /* titles are often in title case: only the text's case tells names */
    struct collect c = {dt, analysed, parts, analysed == DOC_TEXT ? s : NULL};
    /* the plain stream must be what the term lists were read with */
    _Static_assert((TEXT_ANALYZE & TERM_FLAGS) == TERM_FLAGS, "plain stream is FOLD | STEM");
    if (a)
        text_analyzer_tokenize(a, s, strlen(s), TEXT_ANALYZE | TEXT_DUAL, collect_token, &c);
    else
        text_tokenize(s, strlen(s), TEXT_ANALYZE | TEXT_DUAL, collect_token, &c);
}

static void insertion_sort(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Sort ascending: quicksort (median of three) down to short runs, then
 * insertion sort. An article has tens of tokens; qsort()'s merge sort and
 * its compare calls cost more than the comparisons themselves. */
void hashes_sort(uint64_t *v, size_t n)
{
    while (n > 24) {
        uint64_t a = v[0], b = v[n / 2], c = v[n - 1];
        uint64_t pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i >= j)
                break;
            uint64_t t = v[i];
            v[i++] = v[j];
            v[j--] = t;
        }
        /* v[0, j] <= pivot <= v[j + 1, n): recurse into the smaller side */
        size_t left = j + 1;
        if (left < n - left) {
            hashes_sort(v, left);
            v += left;
            n -= left;
        } else {
            hashes_sort(v + left, n - left);
            n = left;
        }
    }
    insertion_sort(v, n);
}

void doc_terms_compute(struct doc_terms *dt, struct text_analyzer *a, const char *title,
                       const char *text)
{
    for (int l = 0; l < DOC_NLISTS; l++)
        dt->n[l] = 0;
    scan_field(dt, a, title, DOC_TITLE, DOC_TITLE_PARTS);
    scan_field(dt, a, text, DOC_TEXT, DOC_TEXT_PARTS);
    /* SimHash and clustering count the analysed tokens, in any order;
     * sorted, clustering merges them instead of sorting on its thread */
    hashes_sort(dt->h[DOC_TITLE], dt->n[DOC_TITLE]);
    hashes_sort(dt->h[DOC_TEXT], dt->n[DOC_TEXT]);
    hashes_sort(dt->h[DOC_TEXT_INITIAL], dt->n[DOC_TEXT_INITIAL]);
    hashes_sort(dt->h[DOC_TEXT_CAPITAL], dt->n[DOC_TEXT_CAPITAL]);
}

void doc_terms_release(struct doc_terms *dt)
{
    for (int l = 0; l < DOC_NLISTS; l++)
        free(dt->h[l]);
    memset(dt, 0, sizeof(*dt));
}

uint64_t doc_terms_simhash(const struct doc_terms *dt)
{
    return text_simhash_hashes(dt->h[DOC_TEXT], dt->n[DOC_TEXT]);
}

struct batch {
    struct doc_terms *out;
    const char *const *titles, *const *texts;
    size_t from, to;
    struct text_analyzer *an;
};

static void *batch_run(void *arg)
{
    struct batch *b = arg;
    for (size_t i = b->from; i < b->to; i++)
        doc_terms_compute(&b->out[i], b->an, b->titles ? b->titles[i] : NULL,
                          b->texts ? b->texts[i] : NULL);
    return NULL;
}

void doc_terms_compute_all(struct doc_terms *out, const char *const *titles,
                           const char *const *texts, size_t n, struct text_analyzer *const *an,
                           size_t nan)
{
    if (nan > DOC_TERMS_MAX_THREADS)
        nan = DOC_TERMS_MAX_THREADS;
    if (nan < 2 || n < 2 * nan) { /* not worth a thread */
        batch_run(&(struct batch){out, titles, texts, 0, n, nan ? an[0] : NULL});
        return;
    }
    struct batch job[DOC_TERMS_MAX_THREADS];
    pthread_t th[DOC_TERMS_MAX_THREADS];
    bool started[DOC_TERMS_MAX_THREADS] = {false};
    size_t per = (n + nan - 1) / nan;
    for (size_t t = 0; t < nan; t++) {
        size_t from = t * per < n ? t * per : n;
        job[t] = (struct batch){out, titles, texts, from, from + per < n ? from + per : n, an[t]};
        /* part 0 runs on the calling thread, as does any part whose thread
         * could not start */
        started[t] = t > 0 && pthread_create(&th[t], NULL, batch_run, &job[t]) == 0;
    }
    for (size_t t = 0; t < nan; t++)
        if (!started[t])
            batch_run(&job[t]);
    for (size_t t = 0; t < nan; t++)
        if (started[t])
            pthread_join(th[t], NULL);
}
