/* SPDX-License-Identifier: MIT */
/* open.c: opening the store with achim's search tokenizer.
 *
 * The search index (articles_fts) is declared with tokenize='achim'. That
 * tokenizer is the text module's, with the flags analysis uses (TEXT_ANALYZE:
 * folded, stopwords dropped, Snowball stems, CJK bigrams; plus TEXT_UNACCENT,
 * which only differs for Latin words with diacritics), so a search for
 * "agents" finds "agent" just as clustering, focus and term statistics count
 * them, and "반도체" finds "반도체를". The store may not depend on text/, so it
 * takes the tokenizer as a callback (store_open_tokenized), and every place
 * that opens the store goes through app_store_open(). */
#include "app/app.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "text/text.h"

unsigned app_search_text_flags(void)
{
    return TEXT_ANALYZE | TEXT_UNACCENT;
}

/* The connection's analyzers: one for the text, one for the parts of its
 * compound words (see emit_parts), each keeping its own buffers. A store is
 * used from one thread at a time and FTS5 tokenizes one text at a time. */
struct fts_tokenizer {
    struct text_analyzer *text, *parts;
};

/* One FTS5 tokenize call. */
struct fts_call {
    struct fts_tokenizer *tk;
    int why;        /* STORE_TOKENIZE_* */
    unsigned flags; /* text.h flags */
    const char *text;
    void *sink_ctx;
    store_token_sink sink;
    const struct text_token *word; /* the compound word whose parts are sent */
};

static int part_token(void *ctx, const struct text_token *t)
{
    const struct fts_call *c = ctx;
    if (t->len < 2) /* "u" and "s" of "U.S." find nothing worth finding */
        return 0;
    return c->sink(c->sink_ctx, STORE_TOKEN_COLOCATED, t->text, (int)t->len, (int)c->word->start,
                   (int)c->word->end);
}

/* A hyphenated or dotted word is indexed whole ("gpt-5", "node.js"), which
 * is what a query for "GPT-5" must match; its parts ("gpt", "node", "js")
 * are indexed as well, at the same position, so that "GPT" finds GPT-5 and
 * GPT-4o as the unicode61 tokenizer did. Each part is analysed from the
 * source word on its own ("agents-based" gives "agent" and "base"). */
static int emit_parts(struct fts_call *c, const struct text_token *t)
{
    char part[4 * TEXT_MAX_TOKEN_BYTES];
    size_t n = t->end - t->start;
    if (n >= sizeof(part))
        return 0;
    memcpy(part, c->text + t->start, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)part[i];
        if (ch == '-' || ch == '.')
            part[i] = ' ';
        else if (ch == 0xE2 && i + 2 < n && (unsigned char)part[i + 1] == 0x80 &&
                 ((unsigned char)part[i + 2] == 0x90 || (unsigned char)part[i + 2] == 0x91))
            memset(part + i, ' ', 3); /* U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN */
    }
    c->word = t;
    return text_analyzer_tokenize(c->tk->parts, part, n, c->flags, part_token, c);
}

/* Offsets are those of the source word in the text FTS5 passed in, not of
 * the folded token: highlight() and snippet() cut the stored text by them. */
static int fts_token(void *ctx, const struct text_token *t)
{
    struct fts_call *c = ctx;
    int rc = c->sink(c->sink_ctx, 0, t->text, (int)t->len, (int)t->start, (int)t->end);
    if (rc || t->kind != TOK_WORD || !(c->why & STORE_TOKENIZE_DOCUMENT) ||
        (!memchr(t->text, '-', t->len) && !memchr(t->text, '.', t->len)))
        return rc;
    return emit_parts(c, t);
}

static int fts_tokenize(void *ctx, int why, const char *text, int len, void *sink_ctx,
                        store_token_sink sink)
{
    struct fts_call c = {ctx, why, app_search_text_flags(), text, sink_ctx, sink, NULL};
    /* A prefix is not a word: "a*" asks for words that start with "a",
     * so it is not dropped as a stopword. */
    if (why & STORE_TOKENIZE_PREFIX)
        c.flags &= ~(unsigned)TEXT_STOPWORDS;
    return text_analyzer_tokenize(c.tk->text, text, len > 0 ? (size_t)len : 0, c.flags, fts_token,
                                  &c);
}

static void fts_destroy(void *ctx)
{
    struct fts_tokenizer *tk = ctx;
    text_analyzer_free(tk->text);
    text_analyzer_free(tk->parts);
    free(tk);
}

/* ---- identity ---------------------------------------------------------------
 *
 * The index must be rebuilt whenever what fts_tokenize() sends for a document
 * changes (see store_fts_rebuilt()). Its identity is the text module's
 * version and fingerprint for our flags, plus this file's own version and a
 * hash of what fts_tokenize() sends for a probe of compound words, the part
 * this file adds. Bump SEARCH_TOKENIZER_VERSION on any change of emit_parts()
 * or fts_token(). */
#define SEARCH_TOKENIZER_VERSION 1

static const char compound_probe[] = "GPT-5 and GPT-4o on node.js; agents-based self\xe2\x80\x90"
                                     "driving U.S. x-y a-b-c "
                                     "state-of-the-art 2020-2021 e.g. Zürich-Ångström 삼성-전자";

static int fingerprint_sink(void *sink_ctx, int tflags, const char *tok, int toklen, int start,
                            int end)
{
    uint64_t *h = sink_ctx;
    int v[4] = {tflags, toklen, start, end};
    *h = text_fnv1a(*h, v, sizeof(v));
    *h = text_fnv1a(*h, tok, (size_t)toklen);
    return 0;
}

static char search_identity[64];

static void search_identity_compute(void)
{
    struct fts_tokenizer tk = {text_analyzer_new(), text_analyzer_new()};
    uint64_t h = TEXT_FNV1A_INIT;
    fts_tokenize(&tk, STORE_TOKENIZE_DOCUMENT, compound_probe, (int)sizeof(compound_probe) - 1, &h,
                 fingerprint_sink);
    text_analyzer_free(tk.text);
    text_analyzer_free(tk.parts);
    snprintf(search_identity, sizeof(search_identity), "achim/%d.%d/%016llx/%016llx",
             TEXT_TOKENIZER_VERSION, SEARCH_TOKENIZER_VERSION,
             (unsigned long long)text_tokenizer_fingerprint(app_search_text_flags()),
             (unsigned long long)h);
}

const char *app_search_tokenizer_identity(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, search_identity_compute);
    return search_identity;
}

void app_search_tokenizer_new(struct store_tokenizer *out)
{
    struct fts_tokenizer *tk = xmalloc(sizeof(*tk));
    tk->text = text_analyzer_new();
    tk->parts = text_analyzer_new();
    *out = (struct store_tokenizer){tk, fts_tokenize, fts_destroy, app_search_tokenizer_identity()};
}

enum achim_code app_store_open(const char *path, struct store **out, struct err *err)
{
    struct store_tokenizer tok;
    app_search_tokenizer_new(&tok);
    return store_open_tokenized(path, &tok, out, err);
}
