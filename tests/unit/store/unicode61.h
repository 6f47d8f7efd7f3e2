/* SPDX-License-Identifier: MIT */
/* unicode61.h: the search tokenizer of the store's unit tests.
 *
 * articles_fts is declared with tokenize='achim' (STORE_FTS_TOKENIZER), the
 * text module's tokenizer, which the app supplies and store tests may not
 * link. They open the store with FTS5's own unicode61 (remove_diacritics 2)
 * in its place, the tokenizer the index had before, so they go on testing
 * the store rather than a tokenizer (the real one: tests/unit/app/test_search.c). */
#ifndef ACHIM_TEST_UNICODE61_H
#define ACHIM_TEST_UNICODE61_H

#include <sqlite3.h>
#include <stdlib.h>

#include "store/store.h"

struct u61 {
    fts5_tokenizer methods;
    Fts5Tokenizer *inst;
};

struct u61_call {
    void *sink_ctx;
    store_token_sink sink;
};

static int u61_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    struct u61_call *c = ctx;
    return c->sink(c->sink_ctx, flags & FTS5_TOKEN_COLOCATED ? STORE_TOKEN_COLOCATED : 0, tok, n,
                   start, end);
}

static int u61_tokenize(void *ctx, int why, const char *text, int len, void *sink_ctx,
                        store_token_sink sink)
{
    struct u61 *u = ctx;
    struct u61_call c = {sink_ctx, sink};
    int flags = (why & STORE_TOKENIZE_QUERY) ? FTS5_TOKENIZE_QUERY
                : (why & STORE_TOKENIZE_AUX) ? FTS5_TOKENIZE_AUX
                                             : FTS5_TOKENIZE_DOCUMENT;
    if (why & STORE_TOKENIZE_PREFIX)
        flags |= FTS5_TOKENIZE_PREFIX;
    return u->methods.xTokenize(u->inst, &c, flags, text, len, u61_token);
}

static void u61_destroy(void *ctx)
{
    struct u61 *u = ctx;
    u->methods.xDelete(u->inst);
    free(u);
}

/* A unicode61 instance, found through a scratch connection's fts5_api (the
 * built-in tokenizers keep no reference to the connection). */
static struct store_tokenizer unicode61_tokenizer(void)
{
    struct store_tokenizer tok = {NULL, u61_tokenize, u61_destroy, NULL};
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    fts5_api *api = NULL;
    struct u61 *u = calloc(1, sizeof(*u));
    void *user = NULL;
    const char *args[] = {"remove_diacritics", "2"};
    if (!u || sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
        abort();
    sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (!api || api->xFindTokenizer(api, "unicode61", &user, &u->methods) != SQLITE_OK ||
        u->methods.xCreate(user, args, 2, &u->inst) != SQLITE_OK)
        abort();
    sqlite3_close(db);
    tok.ctx = u;
    return tok;
}

/* store_open() for the store's tests. */
static inline enum achim_code store_open_u61(const char *path, struct store **out, struct err *err)
{
    struct store_tokenizer tok = unicode61_tokenizer();
    return store_open_tokenized(path, &tok, out, err);
}

#endif
