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

#include "text/text.h"

unsigned app_search_text_flags(void)
{
    return TEXT_ANALYZE | TEXT_UNACCENT;
}

/* Where one FTS5 tokenize call sends its tokens. */
struct fts_call {
    void *sink_ctx;
    int (*sink)(void *sink_ctx, const char *tok, int toklen, int start, int end);
};

/* Offsets are those of the source word in the text FTS5 passed in, not of
 * the folded token: highlight() and snippet() cut the stored text by them. */
static int fts_token(void *ctx, const struct text_token *t)
{
    const struct fts_call *c = ctx;
    return c->sink(c->sink_ctx, t->text, (int)t->len, (int)t->start, (int)t->end);
}

/* ctx is the connection's own analyzer: a store is used from one thread at
 * a time, and FTS5 never tokenizes two texts at once on one connection. */
static int fts_tokenize(void *ctx, const char *text, int len, void *sink_ctx,
                        int (*sink)(void *sink_ctx, const char *tok, int toklen, int start,
                                    int end))
{
    struct fts_call c = {sink_ctx, sink};
    return text_analyzer_tokenize(ctx, text, len > 0 ? (size_t)len : 0, app_search_text_flags(),
                                  fts_token, &c);
}

static void fts_destroy(void *ctx)
{
    text_analyzer_free(ctx);
}

enum achim_code app_store_open(const char *path, struct store **out, struct err *err)
{
    struct store_tokenizer tok = {text_analyzer_new(), fts_tokenize, fts_destroy};
    return store_open_tokenized(path, &tok, out, err);
}
