/* SPDX-License-Identifier: MIT */
/* termlist.c: the reader of the tab-separated term files and the term set
 * that matches their token sequences (see corpus_int.h). */
#include "corpus/corpus_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "text/text.h"

enum achim_code termlist_parse(const char *text, size_t len, size_t max_fields, termlist_line_fn fn,
                               void *ctx, struct err *err)
{
    char *copy = xstrndup(text, len);
    char **field = xcalloc(max_fields ? max_fields : 1, sizeof(char *));
    enum achim_code rc = ACHIM_OK;
    int lineno = 0;
    char *line = copy;
    while (rc == ACHIM_OK && line) {
        char *eol = strchr(line, '\n');
        if (eol)
            *eol = '\0';
        lineno++;
        if (line[0] != '#' && !str_empty(line)) {
            size_t nf = 0;
            char *p = line;
            while (p && nf < max_fields) {
                char *tab = nf + 1 < max_fields ? strchr(p, '\t') : NULL;
                if (tab)
                    *tab = '\0';
                field[nf++] = str_trim(p);
                p = tab ? tab + 1 : NULL;
            }
            rc = fn(ctx, field, nf, lineno, err);
        }
        line = eol ? eol + 1 : NULL;
    }
    free(field);
    free(copy);
    return rc;
}

enum achim_code termlist_load(const char *path, size_t max_fields, termlist_line_fn fn, void *ctx,
                              struct err *err)
{
    struct buf b;
    buf_init(&b, 16u << 20);
    enum achim_code rc = file_read_all(path, &b, err);
    if (rc == ACHIM_OK) {
        rc = termlist_parse(b.ptr, b.len, max_fields, fn, ctx, err);
        if (rc != ACHIM_OK)
            err_prefix(err, "'%s'", path);
    }
    buf_release(&b);
    return rc;
}

void term_parts_append(uint64_t **h, size_t *n, size_t *cap, const char *tok, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || tok[i] == '-') {
            if (i > start) {
                XGROW(*h, *n + 1, *cap);
                uint64_t x = text_hash(tok + start, i - start);
                (*h)[(*n)++] = x ? x : 1;
            }
            start = i + 1;
        }
    }
}

static int push_parts(void *ctx, const struct text_token *tok)
{
    struct tok_hashes *hs = ctx;
    term_parts_append(&hs->h, &hs->n, &hs->cap, tok->text, tok->len);
    return 0;
}

void tok_hashes_add(struct tok_hashes *hs, const char *s, size_t len, unsigned flags)
{
    if (s)
        text_tokenize(s, len, flags, push_parts, hs);
}

void tok_hashes_release(struct tok_hashes *hs)
{
    free(hs->h);
    memset(hs, 0, sizeof(*hs));
}

bool term_set_equals(const struct term_set *s, size_t k, const uint64_t *h, size_t n)
{
    return s->seq[k].ntok == n && memcmp(s->seq[k].tok, h, n * sizeof(uint64_t)) == 0;
}

size_t term_set_add(struct term_set *s, const uint64_t *h, size_t n)
{
    XGROW(s->seq, s->n + 1, s->cap);
    struct term_seq *t = &s->seq[s->n];
    memset(t, 0, sizeof(*t));
    memcpy(t->tok, h, n * sizeof(uint64_t));
    t->ntok = n;
    t->next = SIZE_MAX;
    return s->n++;
}

/* The slot holding first-token hash h, or the empty slot where it would go. */
static size_t slot_of(const struct term_set *s, uint64_t h)
{
    size_t mask = s->nslots - 1, i = (size_t)(h ^ (h >> 31)) & mask;
    while (s->slot_hash[i] && s->slot_hash[i] != h)
        i = (i + 1) & mask;
    return i;
}

void term_set_index(struct term_set *s)
{
    free(s->slot_hash);
    free(s->slot_first);
    s->nslots = 16;
    while (s->nslots < s->n * 2 + 2)
        s->nslots *= 2;
    s->slot_hash = xcalloc(s->nslots, sizeof(uint64_t));
    s->slot_first = xcalloc(s->nslots, sizeof(size_t));
    /* linked from the last term back, so each chain runs in file order */
    for (size_t k = s->n; k-- > 0;) {
        size_t at = slot_of(s, s->seq[k].tok[0]);
        s->seq[k].next = s->slot_hash[at] ? s->slot_first[at] : SIZE_MAX;
        s->slot_hash[at] = s->seq[k].tok[0];
        s->slot_first[at] = k;
    }
}

size_t term_set_first(const struct term_set *s, uint64_t h)
{
    size_t at = slot_of(s, h);
    return s->slot_hash[at] ? s->slot_first[at] : SIZE_MAX;
}

void term_set_match(const struct term_set *s, const uint64_t *h, size_t n, bool longest,
                    void (*fired)(void *ctx, size_t term, size_t pos), void *ctx)
{
    if (!s->nslots)
        return;
    for (size_t i = 0; i < n;) {
        size_t best = SIZE_MAX, best_len = 0;
        for (size_t k = term_set_first(s, h[i]); k != SIZE_MAX; k = s->seq[k].next) {
            const struct term_seq *t = &s->seq[k];
            if (i + t->ntok > n || (longest && t->ntok <= best_len) ||
                memcmp(h + i + 1, t->tok + 1, (t->ntok - 1) * sizeof(uint64_t)) != 0)
                continue;
            if (!longest)
                fired(ctx, k, i);
            best = k;
            best_len = t->ntok;
        }
        if (longest && best != SIZE_MAX) {
            fired(ctx, best, i);
            i += best_len;
        } else {
            i++;
        }
    }
}

void term_set_release(struct term_set *s)
{
    free(s->seq);
    free(s->slot_hash);
    free(s->slot_first);
    memset(s, 0, sizeof(*s));
}
