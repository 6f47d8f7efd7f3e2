/* SPDX-License-Identifier: MIT */
/* tokenizer.c: plugging a tokenizer from a higher module into FTS5.
 *
 * store must not depend on text/, yet search should split and stem words the
 * way analysis does. So app/ hands store a plain C callback (struct
 * store_tokenizer) and this file wraps it in FTS5's v1 tokenizer interface
 * (struct fts5_tokenizer; SQLite 3.40 has no v2). The fts5_api handle is
 * obtained the documented way: SELECT fts5(?1) with the address of a pointer
 * bound as "fts5_api_ptr".
 *
 * FTS5 owns the registration: it calls tok_destroy() when the connection
 * closes, which frees our copy and calls the caller's destroy hook. A second
 * registration under the same name shadows the first, which lives on until
 * then. */
#include "store/store_int.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"

/* One FTS5 token callback in flight, seen from the caller's sink. */
struct sink_bridge {
    void *fts_ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
    int len;      /* of the text being tokenized */
    int last_end; /* end offset of the last token that took a position */
    int rc;       /* first non-zero result of xToken */
};

/* highlight() and snippet() count positions by tokenizing the stored text
 * again (skipping colocated tokens) and copy the text between the offsets
 * of the matched ones, so the offsets are kept inside the text and in
 * order: a token starts no earlier than the one before it ended. Tokens
 * that overlap, such as the CJK bigrams "삼성" "성전" "전자" of "삼성전자", are
 * cut to "삼성" "전" "자": when two matches sit at adjacent positions,
 * SQLite 3.40's highlight() copies the text from the end of the first to
 * the start of the second, and a negative length there makes it copy the
 * whole rest of the text. So a match that starts a run is marked whole
 * ("반도체" in "반도체를"), one inside a run loses its first character. */
static int bridge_sink(void *sink_ctx, int tflags, const char *tok, int toklen, int start, int end)
{
    struct sink_bridge *b = sink_ctx;
    int fts_flags = 0;
    if (tflags & STORE_TOKEN_COLOCATED)
        fts_flags = FTS5_TOKEN_COLOCATED;
    else if (start < b->last_end)
        start = b->last_end;
    if (start < 0)
        start = 0;
    if (start > b->len)
        start = b->len;
    if (end > b->len)
        end = b->len;
    if (end < start)
        end = start;
    if (!fts_flags)
        b->last_end = end;
    int rc = b->xToken(b->fts_ctx, fts_flags, tok, toklen, start, end);
    if (rc != SQLITE_OK && b->rc == SQLITE_OK)
        b->rc = rc;
    return rc;
}

/* A registration: the caller's tokenizer and the store whose connection
 * holds it (for the tokens offered ahead, store_fts_tokens_offer). */
struct registered {
    struct store_tokenizer tok;
    struct store *st;
};

/* The instance is the registration itself: the callback takes no
 * per-table arguments, so there is nothing to allocate. */
static int tok_create(void *user, const char **args, int nargs, Fts5Tokenizer **out)
{
    *out = (Fts5Tokenizer *)user;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t) {}

static bool tokens_replay(const struct registered *r, const char *text, int len,
                          struct sink_bridge *b);

static int tok_tokenize(Fts5Tokenizer *t, void *fts_ctx, int flags, const char *text, int len,
                        int (*xToken)(void *, int, const char *, int, int, int))
{
    const struct registered *r = (const struct registered *)t;
    const struct store_tokenizer *tok = &r->tok;
    struct sink_bridge b = {fts_ctx, xToken, text ? len : 0, 0, SQLITE_OK};
    /* a document's text recorded ahead: its tokens, sent as recorded */
    if (flags == FTS5_TOKENIZE_DOCUMENT && r->st && r->st->fts_offer && text && len > 0 &&
        tokens_replay(r, text, len, &b))
        return b.rc;
    int why = (flags & FTS5_TOKENIZE_QUERY) ? STORE_TOKENIZE_QUERY
              : (flags & FTS5_TOKENIZE_AUX) ? STORE_TOKENIZE_AUX
                                            : STORE_TOKENIZE_DOCUMENT;
    if ((flags & FTS5_TOKENIZE_QUERY) && (flags & FTS5_TOKENIZE_PREFIX))
        why |= STORE_TOKENIZE_PREFIX;
    int rc = tok->tokenize(tok->ctx, why, text ? text : "", text ? len : 0, &b, bridge_sink);
    if (b.rc != SQLITE_OK)
        return b.rc;
    return rc == 0 ? SQLITE_OK : SQLITE_ERROR;
}

static void tok_destroy(void *user)
{
    struct registered *r = user;
    if (r->tok.destroy)
        r->tok.destroy(r->tok.ctx);
    free(r);
}

static fts5_api *fts5_api_of(sqlite3 *db, int *rc)
{
    fts5_api *api = NULL;
    sqlite3_stmt *stmt;
    *rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL);
    if (*rc != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
    *rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (*rc == SQLITE_ROW)
        *rc = SQLITE_OK;
    if (*rc == SQLITE_OK && !api)
        *rc = SQLITE_ERROR;
    return api;
}

enum achim_code store_register_tokenizer(struct store *st, const char *name,
                                         const struct store_tokenizer *tok, struct err *err)
{
    if (str_empty(name) || !tok || !tok->tokenize)
        return err_set(err, ACHIM_EINVAL, "database '%s': tokenizer needs a name and a function",
                       st->path);
    int rc;
    fts5_api *api = fts5_api_of(st->db, &rc);
    if (!api)
        return store_fail(st, err, rc, "tokenizer '%s': full-text search unavailable", name);

    fts5_tokenizer methods = {tok_create, tok_delete, tok_tokenize}; /* FTS5 copies it */
    struct registered *copy = xmalloc(sizeof(*copy));
    *copy = (struct registered){*tok, st};
    rc = api->xCreateTokenizer(api, name, copy, &methods, tok_destroy);
    if (rc != SQLITE_OK) {
        free(copy); /* FTS5 calls xDestroy only for registrations it kept */
        return store_fail(st, err, rc, "register tokenizer '%s'", name);
    }
    return ACHIM_OK;
}

enum achim_code store_fts_tokenizer_attach(struct store *st, const struct store_tokenizer *tok,
                                           struct err *err)
{
    if (tok) {
        enum achim_code code = store_register_tokenizer(st, STORE_FTS_TOKENIZER, tok, err);
        if (code != ACHIM_OK && tok->destroy)
            tok->destroy(tok->ctx); /* not kept by FTS5, so nobody else will */
        return code;
    }
    int rc;
    fts5_api *api = fts5_api_of(st->db, &rc);
    void *user = NULL;
    fts5_tokenizer methods;
    if (api && api->xFindTokenizer(api, STORE_FTS_TOKENIZER, &user, &methods) == SQLITE_OK)
        return ACHIM_OK;
    return err_set(err, ACHIM_EINVAL,
                   "database '%s': the search index needs the '%s' tokenizer, which this "
                   "program did not provide (open the store with store_open_tokenized)",
                   st->path, STORE_FTS_TOKENIZER);
}

/* ---- tokens recorded ahead (store_fts_tokens_*) ---------------------------
 *
 * A bulk ingest parses the next feeds on a helper thread, which also runs
 * the search tokenizer over their entries' texts; the storing thread then
 * replays those tokens when FTS5 asks for the tokens of the same text,
 * instead of computing them again (they were 12% of its instructions).
 * A text is matched by its bytes, so what FTS5 receives is what the
 * tokenizer would have sent: the recorded sink calls, through the same
 * bridge_sink. Tokens recorded with a tokenizer of another identity than
 * the connection's are never offered. */

struct tok_text {
    const char *p;   /* the caller's, not copied */
    int len;         /* -1: not recorded (the tokenizer failed) */
    size_t from, to; /* its tokens in tape */
};

struct store_fts_tokens {
    char *identity;
    struct tok_text *v;
    size_t n;
    unsigned char *tape; /* per token: tflags, toklen, start, end (ints), the token */
    size_t len, cap;
};

static int record_sink(void *sink_ctx, int tflags, const char *tok, int toklen, int start, int end)
{
    struct store_fts_tokens *t = sink_ctx;
    if (toklen < 0)
        return SQLITE_ERROR;
    int head[4] = {tflags, toklen, start, end};
    size_t need = t->len + sizeof(head) + (size_t)toklen;
    if (need > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < need)
            cap *= 2;
        t->tape = xrealloc(t->tape, cap);
        t->cap = cap;
    }
    memcpy(t->tape + t->len, head, sizeof(head));
    if (toklen)
        memcpy(t->tape + t->len + sizeof(head), tok, (size_t)toklen);
    t->len = need;
    return 0;
}

struct store_fts_tokens *store_fts_tokens_record(const struct store_tokenizer *tok,
                                                 const char *const *texts, size_t n)
{
    if (!tok || !tok->tokenize || !tok->identity)
        return NULL;
    struct store_fts_tokens *t = xcalloc(1, sizeof(*t));
    t->identity = xstrdup(tok->identity);
    t->v = xcalloc(n ? n : 1, sizeof(*t->v));
    for (size_t i = 0; i < n; i++) {
        size_t len = texts[i] ? strlen(texts[i]) : 0;
        if (len == 0 || len > INT_MAX)
            continue; /* left unmatched: an empty text has no tokens anyway */
        struct tok_text *x = &t->v[t->n++];
        *x = (struct tok_text){texts[i], (int)len, t->len, 0};
        if (tok->tokenize(tok->ctx, STORE_TOKENIZE_DOCUMENT, texts[i], (int)len, t, record_sink) !=
            0) {
            x->len = -1;
            t->len = x->from;
        }
        x->to = t->len;
    }
    return t;
}

void store_fts_tokens_free(struct store_fts_tokens *t)
{
    if (!t)
        return;
    free(t->identity);
    free(t->v);
    free(t->tape);
    free(t);
}

void store_fts_tokens_offer(struct store *st, const struct store_fts_tokens *t)
{
    bool same = t && st->fts_identity && strcmp(t->identity, st->fts_identity) == 0;
    st->fts_offer = same ? t : NULL;
    st->fts_offer_next = 0;
}

/* Send the recorded tokens of text[0..len) through b, if it is one of the
 * offered texts; false (nothing sent) otherwise. The texts come in the
 * order FTS5 asks for them, so the search starts after the last match. */
static bool tokens_replay(const struct registered *r, const char *text, int len,
                          struct sink_bridge *b)
{
    struct store *st = r->st;
    const struct store_fts_tokens *t = st->fts_offer;
    if (!r->tok.identity || strcmp(r->tok.identity, t->identity) != 0)
        return false;
    size_t k = st->fts_offer_next;
    for (; k < t->n; k++)
        if (t->v[k].len == len && (t->v[k].p == text || memcmp(t->v[k].p, text, (size_t)len) == 0))
            break;
    if (k == t->n)
        return false;
    st->fts_offer_next = k + 1;
    st->fts_replayed++;
    for (size_t at = t->v[k].from; at < t->v[k].to;) {
        int head[4];
        memcpy(head, t->tape + at, sizeof(head));
        at += sizeof(head);
        if (bridge_sink(b, head[0], (const char *)t->tape + at, head[1], head[2], head[3]) !=
            SQLITE_OK)
            break;
        at += (size_t)head[1];
    }
    return true;
}

/* ---- the identity of the index's tokenizer ---------------------------------- */

/* The schema version whose migration builds articles_fts with the
 * registered tokenizer (migration_search_tokenizer in migrate.c). */
#define SCHEMA_FTS_BUILT 7

int64_t store_fts_rebuilt(const struct store *st)
{
    return st->fts_rebuilt;
}

static char *recorded_identity(struct store *st)
{
    return store_query_text(
        st, "SELECT value FROM store_meta WHERE key = '" STORE_META_FTS_TOKENIZER "'");
}

static enum achim_code record_identity(struct store *st, struct err *err)
{
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(
        st->db,
        "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('" STORE_META_FTS_TOKENIZER
        "', ?1)",
        -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, st->fts_identity, -1, SQLITE_STATIC);
        rc = sqlite3_step(stmt);
        sqlite3_finalize(stmt);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    return rc == SQLITE_OK ? ACHIM_OK : store_fail(st, err, rc, "record the search tokenizer");
}

enum achim_code store_fts_identity_sync(struct store *st, int schema_before, struct err *err)
{
    if (!st->fts_identity)
        return ACHIM_OK;
    /* The common case reads only, without taking the write lock. */
    char *have = recorded_identity(st);
    bool same = have && strcmp(have, st->fts_identity) == 0;
    free(have);
    if (same)
        return ACHIM_OK;

    enum achim_code code = store_begin(st, err);
    if (code != ACHIM_OK)
        return code;
    have = recorded_identity(st); /* another process may have rebuilt meanwhile */
    if (have && strcmp(have, st->fts_identity) == 0) {
        free(have);
        return store_commit(st, err);
    }
    bool just_built = !have && schema_before < SCHEMA_FTS_BUILT;
    free(have);
    int64_t articles = -1;
    if (!just_built) {
        code = store_exec(st, "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')", err);
        if (code == ACHIM_OK)
            articles = store_query_int(st, "SELECT count(*) FROM articles", 0);
    }
    if (code == ACHIM_OK)
        code = record_identity(st, err);
    if (code == ACHIM_OK)
        code = store_commit(st, err);
    if (code != ACHIM_OK) {
        store_rollback(st);
        return code;
    }
    st->fts_rebuilt = articles;
    return ACHIM_OK;
}
