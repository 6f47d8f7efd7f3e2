/* SPDX-License-Identifier: MIT */
/* search.c: full-text search over articles_fts.
 *
 * Queries come straight from people (CLI argument, web search box), so a
 * query FTS5 cannot parse is not an error: it is retried as a plain list of
 * words, each quoted so that operators and punctuation lose their meaning.
 * BM25 weights favour the title (10) over the summary (4) and the body (1):
 * a headline that names the subject is the best evidence of relevance.
 *
 * FTS5 passes each phrase of the query through the index's own tokenizer
 * (STORE_FTS_TOKENIZER), so queries are folded, stemmed and split exactly
 * as the articles were; nothing is normalised here. Hyphenated and dotted
 * names ("GPT-5", "U.S.") are not FTS5 barewords: they fail to parse and
 * come back through the quoted fallback as one token each. */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"

static const char search_sql[] =
    "SELECT " STORE_ARTICLE_COLUMNS ", bm25(articles_fts, 10.0, 4.0, 1.0) AS score, "
    "snippet(articles_fts, -1, ?2, ?3, '…', 16) "
    "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
    "JOIN sources s ON s.id = a.source_id "
    "WHERE articles_fts MATCH ?1 ORDER BY score, a.id LIMIT ?4";

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A letter or digit in ASCII, or any byte of a multi-byte UTF-8 sequence
 * (Hangul, accented Latin and the like are all searchable). */
static bool is_wordish(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool is_operator(const char *w, size_t len)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "NEAR"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strlen(ops[i]) == len && memcmp(ops[i], w, len) == 0)
            return true;
    return false;
}

/* The words of q (split at white space), each as an FTS5 string with inner
 * quotes doubled, joined by spaces (implicit AND). Dropped: words that hold
 * no letter or digit, which would tokenize to nothing, and the operators
 * AND, OR, NOT and NEAR, which in a query that failed to parse were most
 * likely misplaced operators rather than search terms. out stays empty when
 * nothing is left. */
static void quote_words(const char *q, struct buf *out)
{
    const char *p = q;
    while (*p) {
        while (is_space(*p))
            p++;
        const char *start = p;
        bool useful = false;
        for (; *p && !is_space(*p); p++)
            useful = useful || is_wordish((unsigned char)*p);
        if (!useful || is_operator(start, (size_t)(p - start)))
            continue;
        if (out->len)
            buf_addch(out, ' ');
        buf_addch(out, '"');
        for (const char *c = start; c < p; c++) {
            if (*c == '"')
                buf_addch(out, '"');
            buf_addch(out, *c);
        }
        buf_addch(out, '"');
    }
}

/* Run one MATCH expression. SQLITE_ERROR before the first row means FTS5
 * rejected the expression; the caller may then retry. */
static int run_query(struct store *st, const char *match, size_t limit, const char *open,
                     const char *close, struct store_hit **hits, size_t *n)
{
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(st->db, search_sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(stmt, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, open, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, close, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, limit ? (sqlite3_int64)limit : -1);
    struct store_hit *v = NULL;
    size_t len = 0, cap = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        XGROW(v, len + 1, cap);
        struct store_hit *h = &v[len++];
        store_article_read(stmt, 0, &h->article);
        h->rank = -sqlite3_column_double(stmt, STORE_ARTICLE_NCOLUMNS);
        h->snippet = store_column_strdup(stmt, STORE_ARTICLE_NCOLUMNS + 1);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        store_hits_free(v, len);
        return rc;
    }
    *hits = v;
    *n = len;
    return SQLITE_OK;
}

enum achim_code store_search_marked(struct store *st, const char *query, size_t limit,
                                    const char *open, const char *close, struct store_hit **hits,
                                    size_t *n, struct err *err)
{
    *hits = NULL;
    *n = 0;
    if (str_empty(query))
        return err_set(err, ACHIM_EINVAL, "database '%s': empty search query", st->path);
    int rc = run_query(st, query, limit, open ? open : "", close ? close : "", hits, n);
    if ((rc & 0xff) == SQLITE_ERROR) {
        struct buf quoted = BUF_INIT;
        quote_words(query, &quoted);
        rc = quoted.len
                 ? run_query(st, quoted.ptr, limit, open ? open : "", close ? close : "", hits, n)
                 : SQLITE_OK;
        buf_release(&quoted);
    }
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "search '%s'", query);
    return ACHIM_OK;
}

enum achim_code store_search(struct store *st, const char *query, size_t limit,
                             struct store_hit **hits, size_t *n, struct err *err)
{
    return store_search_marked(st, query, limit, "[", "]", hits, n, err);
}

void store_hits_free(struct store_hit *hits, size_t n)
{
    for (size_t i = 0; hits && i < n; i++) {
        article_release(&hits[i].article);
        free(hits[i].snippet);
    }
    free(hits);
}
