/* SPDX-License-Identifier: MIT */
/* test_fts_identity.c: articles_fts is rebuilt when the tokenizer changes.
 *
 * FTS5 removes a document from an external-content index by tokenizing its
 * old text again, so an index built by one tokenizer and updated by another
 * rots. Two test tokenizers stand for two versions of achim's: "plain"
 * (lower-cased words) and "stemmed" (also drops "the" and a final "s"). The
 * store is built with one, reopened with the other: it must rebuild once,
 * pass FTS5's integrity check before and after later updates and deletes,
 * and find what the new tokenizer finds; reopening with the same identity
 * must not rebuild. A control shows the rot the rebuild prevents. */
#include "../test.h"

#include <ctype.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "store/store_int.h"

struct test_tok {
    bool stem;
};

/* Words are runs of ASCII letters and digits, lower-cased; "stem" drops the
 * word "the" and strips one final 's' from longer words. */
static int tok_words(void *ctx, int why, const char *text, int len, void *sink_ctx,
                     store_token_sink sink)
{
    const struct test_tok *t = ctx;
    int i = 0;
    while (i < len) {
        while (i < len && !isalnum((unsigned char)text[i]))
            i++;
        int start = i;
        char word[64];
        int n = 0;
        while (i < len && isalnum((unsigned char)text[i])) {
            if (n < (int)sizeof(word))
                word[n++] = (char)tolower((unsigned char)text[i]);
            i++;
        }
        if (n == 0)
            continue;
        if (t->stem && n == 3 && memcmp(word, "the", 3) == 0)
            continue;
        if (t->stem && n > 3 && word[n - 1] == 's')
            n--;
        int rc = sink(sink_ctx, 0, word, n, start, i);
        if (rc)
            return rc;
    }
    return 0;
}

static void tok_free(void *ctx)
{
    free(ctx);
}

/* Open path with the plain or stemmed tokenizer under `identity` (NULL:
 * none given). */
static struct store *open_with(const char *path, bool stem, const char *identity)
{
    struct test_tok *t = calloc(1, sizeof(*t));
    t->stem = stem;
    struct store_tokenizer tok = {t, tok_words, tok_free, identity};
    struct err e = ERR_INIT;
    struct store *st = NULL;
    if (store_open_tokenized(path, &tok, &st, &e) != ACHIM_OK) {
        fprintf(stderr, "  store_open_tokenized: %s\n", e.msg);
        exit(1);
    }
    return st;
}

static void tmp_path(char out[64])
{
    snprintf(out, 64, "/tmp/achim-ftsid-XXXXXX");
    int fd = mkstemp(out);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
}

static void tmp_remove(const char *path)
{
    char side[80];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

static void put_article(struct store *st, int id, const char *title, const char *summary)
{
    struct err e = ERR_INIT;
    CHECK_INT(store_exec(st,
                         "INSERT OR IGNORE INTO sources (id, feed_url, created) "
                         "VALUES (1, 'https://t.example/feed', 0)",
                         &e),
              ACHIM_OK);
    sqlite3_stmt *stmt = NULL;
    CHECK_INT(
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO articles (id, source_id, key, title, summary, "
                           "ingested, content_hash) VALUES (?1, 1, 'k' || ?1, ?2, ?3, 0, 'h')",
                           -1, &stmt, NULL),
        SQLITE_OK);
    sqlite3_bind_int(stmt, 1, id);
    sqlite3_bind_text(stmt, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, summary, -1, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
}

/* FTS5's check of the index against the articles (rank = 1 compares with
 * the content table, tokenizing every row with the registered tokenizer). */
static bool index_consistent(struct store *st)
{
    return sqlite3_exec(
               st->db, "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)",
               NULL, NULL, NULL) == SQLITE_OK;
}

/* Ids matching an FTS5 query, as "1,3" in ascending order. */
static char *match_ids(struct store *st, const char *query)
{
    sqlite3_stmt *stmt = NULL;
    CHECK_INT(sqlite3_prepare_v2(st->db,
                                 "SELECT coalesce(group_concat(rowid, ','), '') FROM (SELECT "
                                 "rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY "
                                 "rowid)",
                                 -1, &stmt, NULL),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, query, -1, SQLITE_STATIC);
    char *out = NULL;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        out = store_column_strdup(stmt, 0);
    sqlite3_finalize(stmt);
    return out ? out : strdup("?");
}

static void check_match(struct store *st, const char *query, const char *want)
{
    char *got = match_ids(st, query);
    CHECK_STR(got, want);
    free(got);
}

static void fill(struct store *st)
{
    put_article(st, 1, "The robots are coming", "Factories buy robots");
    put_article(st, 2, "Chips and the markets", "A chip shortage");
    put_article(st, 3, "Garden news", "Nothing here");
}

static void test_rebuild_on_new_identity(void)
{
    char path[64];
    tmp_path(path);

    struct store *st = open_with(path, false, "plain/1");
    CHECK_INT(store_fts_rebuilt(st), -1); /* a new database: nothing to rebuild */
    char *rec = store_query_text(st, "SELECT value FROM store_meta WHERE key = 'fts_tokenizer'");
    CHECK_STR(rec, "plain/1");
    free(rec);
    fill(st);
    CHECK(index_consistent(st));
    check_match(st, "robots", "1");
    check_match(st, "robot", "");
    store_close(st);

    /* Same identity: kept as is. */
    st = open_with(path, false, "plain/1");
    CHECK_INT(store_fts_rebuilt(st), -1);
    store_close(st);

    /* A new tokenizer: rebuilt once, with it. */
    st = open_with(path, true, "stemmed/2");
    CHECK_INT(store_fts_rebuilt(st), 3);
    rec = store_query_text(st, "SELECT value FROM store_meta WHERE key = 'fts_tokenizer'");
    CHECK_STR(rec, "stemmed/2");
    free(rec);
    CHECK(index_consistent(st));
    check_match(st, "robot", "1");
    check_match(st, "chip", "2");
    check_match(st, "garden", "3");

    /* Updates and deletes remove exactly the tokens the rebuild indexed. */
    struct err e = ERR_INIT;
    CHECK_INT(store_exec(st, "UPDATE articles SET title = 'Robots in the garden' WHERE id = 3", &e),
              ACHIM_OK);
    CHECK_INT(store_exec(st, "DELETE FROM articles WHERE id = 2", &e), ACHIM_OK);
    CHECK(index_consistent(st));
    check_match(st, "robot", "1,3");
    check_match(st, "chip", "");
    check_match(st, "news", "");
    store_close(st);

    /* Same identity again: no second rebuild. */
    st = open_with(path, true, "stemmed/2");
    CHECK_INT(store_fts_rebuilt(st), -1);
    CHECK(index_consistent(st));
    store_close(st);
    tmp_remove(path);
}

/* What the rebuild prevents: the same change of tokenizer without a change
 * of identity leaves an index that fails FTS5's check. */
static void test_unchanged_identity_rots(void)
{
    char path[64];
    tmp_path(path);
    struct store *st = open_with(path, false, "same");
    fill(st);
    store_close(st);

    st = open_with(path, true, "same");
    CHECK_INT(store_fts_rebuilt(st), -1);
    CHECK(!index_consistent(st));
    store_close(st);
    tmp_remove(path);
}

/* An index built before identities were recorded (schema 7, no store_meta
 * row) is rebuilt once, since nobody knows which tokenizer built it; one
 * opened without an identity is left alone. */
static void test_unrecorded_identity(void)
{
    char path[64];
    tmp_path(path);
    struct store *st = open_with(path, false, NULL);
    fill(st);
    char *rec = store_query_text(st, "SELECT value FROM store_meta");
    CHECK(rec == NULL);
    free(rec);
    store_close(st);

    st = open_with(path, false, NULL);
    CHECK_INT(store_fts_rebuilt(st), -1);
    store_close(st);

    st = open_with(path, true, "stemmed/2");
    CHECK_INT(store_fts_rebuilt(st), 3);
    CHECK(index_consistent(st));
    check_match(st, "robot", "1");
    store_close(st);
    tmp_remove(path);
}

TESTS(TEST(test_rebuild_on_new_identity), TEST(test_unchanged_identity_rots),
      TEST(test_unrecorded_identity))
