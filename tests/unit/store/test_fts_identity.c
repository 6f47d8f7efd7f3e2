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
#include "tmp_db.h"

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

/* A feed document of (title, summary) entries. */
static struct feed_doc *doc_of(const char *const (*v)[2], size_t n)
{
    struct feed_doc *doc = feed_doc_new();
    for (size_t i = 0; i < n; i++) {
        struct article *a = feed_doc_add_entry(doc);
        char guid[32];
        snprintf(guid, sizeof(guid), "g%zu", i);
        a->guid = strdup(guid);
        a->title = strdup(v[i][0]);
        a->summary = strdup(v[i][1]);
    }
    return doc;
}

/* The entries' texts in the order store_feed_ingest() indexes them. */
static struct store_fts_tokens *record_doc(const struct store_tokenizer *tok,
                                           const struct feed_doc *doc)
{
    const char *texts[3 * 8];
    size_t n = 0;
    for (size_t i = 0; i < doc->nentries && n + 3 <= 3 * 8; i++) {
        texts[n++] = doc->entries[i].title;
        texts[n++] = doc->entries[i].summary;
        texts[n++] = doc->entries[i].content;
    }
    return store_fts_tokens_record(tok, texts, n);
}

static const char *const articles3[][2] = {
    {"The robots are coming", "Factories buy robots"},
    {"Chips and the markets", "A chip shortage"},
    {"Garden news", "Nothing here"},
};

/* Tokens recorded ahead are what FTS5 indexes: recorded with the store's
 * own tokenizer, the index is byte for byte the one tokenizing builds;
 * recorded by a tokenizer that stems but claims the plain one's identity,
 * the stems are indexed (so the recorded tokens, not the tokenizer, were
 * used), except for a text changed after recording, which is tokenized as
 * usual. Tokens of another identity are not used at all. */
static void test_recorded_tokens_replayed(void)
{
    struct test_tok plain = {false}, stem = {true};
    struct store_tokenizer same = {&plain, tok_words, NULL, "plain/1"};
    struct store_tokenizer liar = {&stem, tok_words, NULL, "plain/1"};
    struct store_tokenizer other = {&stem, tok_words, NULL, "stemmed/2"};
    struct err e = ERR_INIT;
    char *blocks[2] = {NULL, NULL};
    for (int pass = 0; pass < 2; pass++) {
        struct store *st = open_with(":memory:", false, "plain/1");
        int64_t src = 0;
        CHECK_INT(store_source_ensure(st, "https://t.example/feed", "T", NULL, 0, &src, &e),
                  ACHIM_OK);
        struct feed_doc *doc = doc_of(articles3, 3);
        struct store_fts_tokens *t = pass ? record_doc(&same, doc) : NULL;
        store_fts_tokens_offer(st, t);
        CHECK_INT(store_feed_ingest(st, src, 0, doc, 0, NULL, &e), ACHIM_OK);
        store_fts_tokens_offer(st, NULL);
        CHECK_INT(st->fts_replayed, pass ? 6 : 0);
        CHECK(index_consistent(st));
        blocks[pass] = store_query_text(
            st, "SELECT group_concat(id || ':' || hex(block), ',') FROM articles_fts_data");
        store_fts_tokens_free(t);
        feed_doc_free(doc);
        store_close(st);
    }
    CHECK(blocks[0] && blocks[1]);
    CHECK_STR(blocks[1], blocks[0]);
    free(blocks[0]);
    free(blocks[1]);

    struct store *st = open_with(":memory:", false, "plain/1");
    int64_t src = 0;
    CHECK_INT(store_source_ensure(st, "https://t.example/feed", "T", NULL, 0, &src, &e), ACHIM_OK);
    /* recorded from a copy of the document whose second summary then
     * differs from the stored one: equal length, other bytes */
    struct feed_doc *copy = doc_of(articles3, 2);
    struct store_fts_tokens *t = record_doc(&liar, copy);
    struct feed_doc *doc = doc_of(articles3, 2);
    doc->entries[1].summary[2] = 'C';
    doc->entries[1].summary[4] = 'y';
    store_fts_tokens_offer(st, t);
    CHECK_INT(store_feed_ingest(st, src, 0, doc, 0, NULL, &e), ACHIM_OK);
    store_fts_tokens_offer(st, NULL);
    CHECK_INT(st->fts_replayed, 3);
    check_match(st, "robot", "1"); /* the liar's stem */
    check_match(st, "robots", "");
    check_match(st, "market", "2"); /* the title, recorded */
    check_match(st, "chyp", "2");   /* the changed summary, tokenized */
    check_match(st, "shortage", "2");
    store_fts_tokens_free(t);
    feed_doc_free(doc);
    feed_doc_free(copy);

    /* another identity: offered, never used */
    doc = doc_of(articles3 + 2, 1);
    free(doc->entries[0].guid);
    doc->entries[0].guid = strdup("g9");
    t = record_doc(&other, doc);
    store_fts_tokens_offer(st, t);
    CHECK_INT(store_feed_ingest(st, src, 0, doc, 0, NULL, &e), ACHIM_OK);
    store_fts_tokens_offer(st, NULL);
    CHECK_INT(st->fts_replayed, 3);
    check_match(st, "news", "3");
    store_fts_tokens_free(t);
    feed_doc_free(doc);
    CHECK(store_fts_tokens_record(&(struct store_tokenizer){&plain, tok_words, NULL, NULL},
                                  (const char *const[]){"x"}, 1) == NULL);
    store_close(st);
}

/* An update re-indexes an article: FTS5 tokenizes the old texts for its
 * 'delete' as documents too, so with the new texts offered the delete may
 * take an offered text (here the old summary is the new title) and the
 * insert find no match after it. Whatever is replayed or tokenized, the
 * index must hold exactly the new texts. */
static void test_recorded_tokens_on_update(void)
{
    struct test_tok plain = {false};
    struct store_tokenizer same = {&plain, tok_words, NULL, "plain/1"};
    struct err e = ERR_INIT;
    struct store *st = open_with(":memory:", false, "plain/1");
    int64_t src = 0;
    CHECK_INT(store_source_ensure(st, "https://t.example/feed", "T", NULL, 0, &src, &e), ACHIM_OK);
    struct feed_doc *doc = doc_of(articles3, 3);
    CHECK_INT(store_feed_ingest(st, src, 0, doc, 0, NULL, &e), ACHIM_OK);
    feed_doc_free(doc);
    /* every entry's title and summary swapped */
    const char *const swapped[][2] = {{articles3[0][1], articles3[0][0]},
                                      {articles3[1][1], articles3[1][0]},
                                      {articles3[2][1], articles3[2][0]}};
    doc = doc_of(swapped, 3);
    struct store_fts_tokens *t = record_doc(&same, doc);
    store_fts_tokens_offer(st, t);
    struct ingest_counts c = {0, 0, 0, 0};
    CHECK_INT(store_feed_ingest(st, src, 0, doc, 0, &c, &e), ACHIM_OK);
    store_fts_tokens_offer(st, NULL);
    CHECK_INT(c.updated, 3);
    CHECK(st->fts_replayed > 0);
    CHECK(index_consistent(st));
    check_match(st, "title:factories", "1");
    check_match(st, "summary:coming", "1");
    check_match(st, "title:coming", "");
    check_match(st, "summary:markets", "2");
    check_match(st, "title:markets", "");
    check_match(st, "title:shortage", "2");
    store_fts_tokens_free(t);
    feed_doc_free(doc);
    store_close(st);
}

TESTS(TEST(test_rebuild_on_new_identity), TEST(test_unchanged_identity_rots),
      TEST(test_unrecorded_identity), TEST(test_recorded_tokens_replayed),
      TEST(test_recorded_tokens_on_update))
