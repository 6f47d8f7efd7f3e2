/* SPDX-License-Identifier: MIT */
/* test_search.c: the search index with achim's tokenizer (app_store_open).
 *
 * The index must hold exactly the tokens analysis sees (read back through
 * fts5vocab), plus the parts of compound words at the same position; its
 * offsets must point into the original text, so that highlight() marks the
 * word as written; and the store must be refused without the tokenizer. */
#include "../test.h"

#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app_test.h"
#include "base/buf.h"
#include "store/store_int.h"
#include "text/text.h"
#include "../store/unicode61.h"

/* Store one article with this title and summary; its id is 1. */
static void put_article(struct store *st, const char *title, const char *summary)
{
    struct err e = ERR_INIT;
    sqlite3_stmt *stmt = NULL;
    CHECK_INT(store_exec(st,
                         "INSERT INTO sources (id, feed_url, created) "
                         "VALUES (1, 'https://t.example/feed', 0)",
                         &e),
              ACHIM_OK);
    CHECK_INT(sqlite3_prepare_v2(st->db,
                                 "INSERT INTO articles (id, source_id, key, title, summary, "
                                 "ingested, content_hash) VALUES (1, 1, 'k', ?1, ?2, 0, 'h')",
                                 -1, &stmt, NULL),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, summary, -1, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
}

/* Tokens as "tok|tok|..." (one string per position) */
static int collect(void *ctx, const struct text_token *t)
{
    struct buf *b = ctx;
    if (b->len)
        buf_addch(b, '|');
    buf_add(b, t->text, t->len);
    return 0;
}

/* The index's terms of column col (0 title, 1 summary) by position: terms
 * at one position (a word and its colocated parts) joined by '+', in
 * alphabetical order, positions by '|'. */
static char *index_terms(struct store *st, int col)
{
    struct err e = ERR_INIT;
    CHECK_INT(store_exec(st,
                         "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab "
                         "USING fts5vocab(main, articles_fts, instance)",
                         &e),
              ACHIM_OK);
    sqlite3_stmt *stmt = NULL;
    CHECK_INT(sqlite3_prepare_v2(st->db,
                                 "SELECT group_concat(terms, '|') FROM (SELECT offset, "
                                 "group_concat(term, '+') AS terms FROM (SELECT * FROM "
                                 "temp.vocab WHERE doc = 1 AND col = ?1 ORDER BY offset, term) "
                                 "GROUP BY offset ORDER BY offset)",
                                 -1, &stmt, NULL),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, col == 0 ? "title" : "summary", -1, SQLITE_STATIC);
    char *out = NULL;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
        out = strdup((const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return out ? out : strdup("");
}

static char *analysis_terms(const char *s, unsigned flags)
{
    struct buf b = BUF_INIT;
    text_tokenize(s, strlen(s), flags, collect, &b);
    return buf_take(&b);
}

/* What analysis sees is what the index holds, position for position. */
static void test_index_equals_analysis(void)
{
    static const char title[] = "OpenAI's agents are reasoning about the U.S. market";
    static const char summary[] = "Regulators said 10,000 chips shipped in 2025; 삼성전자는 "
                                  "반도체를 더 만든다. Costs fell 3.5 percent!";
    struct store *st = open_mem();
    put_article(st, title, summary);
    char *want = analysis_terms(title, TEXT_ANALYZE);
    char *got = index_terms(st, 0);
    CHECK_STR(got, want);
    CHECK_STR(got, "openai|agent|reason|u.s.|market");
    free(want);
    free(got);
    want = analysis_terms(summary, TEXT_ANALYZE);
    got = index_terms(st, 1);
    CHECK_STR(got, want);
    CHECK_CONTAINS(got, "|삼성|성전|전자|반도|도체|");
    free(want);
    free(got);
    store_close(st);
}

/* Diacritics are dropped from Latin words (the only difference from
 * TEXT_ANALYZE), and compound words also index their parts. */
static void test_index_unaccent_and_parts(void)
{
    static const char title[] =
        "Zürich café tests GPT-5 and self-driving node.js agents-based tools";
    struct store *st = open_mem();
    put_article(st, title, "");
    char *want = analysis_terms(title, app_search_text_flags());
    CHECK_CONTAINS(want, "zurich|cafe|");
    char *got = index_terms(st, 0);
    CHECK_STR(got, "zurich|cafe|test|gpt+gpt-5|drive+self+self-drive|js+node+node.js|"
                   "agent+agents-base+base|tool");
    /* Removing the colocated parts gives the analysis stream again. */
    CHECK_STR(want, "zurich|cafe|test|gpt-5|self-drive|node.js|agents-base|tool");
    free(want);
    free(got);
    store_close(st);
}

/* highlight() marks each word as written in the stored text: the offsets
 * are the original's, not the folded or stemmed token's. */
static void test_highlight_offsets(void)
{
    static const char title[] = "ÉCOLE Polytechnique’s AGENTS: GPT-5 in Zürich, 1,500 GPUs for "
                                "the U.S.; 삼성전자는 반도체를 만든다";
    struct store *st = open_mem();
    put_article(st, title, "");
    struct {
        const char *query, *want;
    } cases[] = {
        {"ecole", "[ÉCOLE] Polytechnique’s"},
        {"polytechnique", "ÉCOLE [Polytechnique’s] AGENTS"},
        {"agent", "[AGENTS]:"},
        {"\"gpt-5\"", "[GPT-5] in"},
        {"gpt", "[GPT-5] in"},
        {"zurich", "in [Zürich],"},
        {"1500", "[1,500] GPUs"},
        {"gpus", "[GPUs] for"},
        {"\"u.s.\"", "the [U.S.];"},
        {"삼성전자", "[삼성전자]는"},
        {"반도체", "[반도체]를"},
        {"만든다", "[만든다]"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sqlite3_stmt *stmt = NULL;
        CHECK_INT(sqlite3_prepare_v2(st->db,
                                     "SELECT highlight(articles_fts, 0, '[', ']') FROM "
                                     "articles_fts WHERE articles_fts MATCH ?1",
                                     -1, &stmt, NULL),
                  SQLITE_OK);
        sqlite3_bind_text(stmt, 1, cases[i].query, -1, SQLITE_STATIC);
        const char *hl = NULL;
        if (sqlite3_step(stmt) == SQLITE_ROW)
            hl = (const char *)sqlite3_column_text(stmt, 0);
        if (!hl || !strstr(hl, cases[i].want))
            fprintf(stderr, "  query %s: %s\n", cases[i].query, hl ? hl : "(no match)");
        CHECK(hl != NULL);
        if (hl) {
            CHECK_CONTAINS(hl, cases[i].want);
            CHECK_INT((long long)strlen(hl), (long long)strlen(title) + 2); /* one pair of marks */
        }
        sqlite3_finalize(stmt);
    }
    store_close(st);
}

/* Two matches side by side inside one CJK run, whose bigrams overlap, must
 * not make highlight() copy text twice. */
static void test_highlight_adjacent_bigrams(void)
{
    struct store *st = open_mem();
    put_article(st, "한국가스공사 발표", "");
    char *hl = store_query_text(st, "SELECT highlight(articles_fts, 0, '[', ']') FROM articles_fts "
                                    "WHERE articles_fts MATCH '국가 OR 가스'");
    CHECK(hl != NULL);
    if (hl) {
        /* Overlapping bigrams are cut to start where the one before
         * ended, so a match inside a run loses its first character. */
        CHECK_STR(hl, "한국[가][스]공사 발표");
    }
    free(hl);
    store_close(st);
}

/* Search through the store API: stems, folding, stopwords in phrases,
 * prefixes that are stopwords, and the fallback for "GPT-5" unquoted. */
static void test_search_queries(void)
{
    struct store *st = open_mem();
    put_article(st, "The state of the art in reasoning agents",
                "GPT-5 and GPT-4o were tested in Zürich.");
    static const struct {
        const char *q;
        size_t want;
    } cases[] = {
        {"agent", 1},
        {"REASONED", 1},
        {"\"state of the art\"", 1},
        {"\"state art\"", 1},
        {"\"art state\"", 0},
        {"GPT-5", 1},
        {"gpt-4o", 1},
        {"gpt-6", 0},
        {"zurich", 1},
        {"ZÜRICH", 1},
        {"a*", 1},
        {"agen*", 1},
        {"the", 0},
        {"agents NOT zurich", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct err e = ERR_INIT;
        struct store_hit *h = NULL;
        size_t n = 99;
        CHECK_INT(store_search(st, cases[i].q, 0, &h, &n, &e), ACHIM_OK);
        if (n != cases[i].want)
            fprintf(stderr, "  query '%s': %zu hits\n", cases[i].q, n);
        CHECK_INT(n, cases[i].want);
        store_hits_free(h, n);
    }
    store_close(st);
}

/* Writes keep the index in step: an update and a delete remove exactly
 * the old tokens (FTS5 tokenizes the old text again to remove it). */
static void test_update_delete_consistent(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    put_article(st, "Self-driving agents in Zürich", "반도체를 만든다");
    CHECK_INT(store_exec(st, "UPDATE articles SET title = 'GPT-5 ships' WHERE id = 1", &e),
              ACHIM_OK);
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    CHECK_INT(store_query_int(
                  st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'drive'", -1),
              0);
    CHECK_INT(
        store_query_int(st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'gpt'", -1),
        1);
    CHECK_INT(store_exec(st, "DELETE FROM articles WHERE id = 1", &e), ACHIM_OK);
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    CHECK_INT(store_exec(st,
                         "CREATE VIRTUAL TABLE temp.rows USING fts5vocab(main, articles_fts, row)",
                         &e),
              ACHIM_OK);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM temp.rows", -1), 0);
    store_close(st);
}

/* The tokenizer's identity: a pure function of its output. Flags that
 * change the output change the fingerprint; the same flags give the same. */
static void test_identity_follows_output(void)
{
    const char *id = app_search_tokenizer_identity();
    CHECK(strncmp(id, "achim/", 6) == 0);
    CHECK_STR(id, app_search_tokenizer_identity());
    uint64_t search = text_tokenizer_fingerprint(app_search_text_flags());
    CHECK(search == text_tokenizer_fingerprint(app_search_text_flags()));
    CHECK(search != text_tokenizer_fingerprint(TEXT_ANALYZE));              /* no unaccent */
    CHECK(search != text_tokenizer_fingerprint(TEXT_FOLD | TEXT_UNACCENT)); /* no stems */
    CHECK(text_tokenizer_fingerprint(TEXT_FOLD) != text_tokenizer_fingerprint(0));
    char hex[20];
    snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)search);
    CHECK_CONTAINS(id, hex);
}

static int64_t count_match(struct store *st, const char *query)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '%s'",
             query);
    return store_query_int(st, sql, -1);
}

/* An index built by another tokenizer (FTS5's unicode61, achim's before
 * migration 7, under its own identity) is rebuilt by app_store_open() once,
 * after which search stems and updates and deletes keep it consistent; the
 * next open keeps it. */
static void test_rebuild_for_new_tokenizer(void)
{
    char path[] = "/tmp/achim-search-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct err e = ERR_INIT;
    struct store_tokenizer old = unicode61_tokenizer();
    old.identity = "unicode61/old";
    struct store *st = NULL;
    CHECK_INT(store_open_tokenized(path, &old, &st, &e), ACHIM_OK);
    put_article(st, "Reasoning agents plan trips", "삼성전자는 반도체를 만든다");
    CHECK_INT(count_match(st, "agent"), 0); /* unicode61 does not stem */
    store_close(st);

    CHECK_INT(app_store_open(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_fts_rebuilt(st), 1);
    char *rec = store_query_text(st, "SELECT value FROM store_meta WHERE key = 'fts_tokenizer'");
    CHECK_STR(rec, app_search_tokenizer_identity());
    free(rec);
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    CHECK_INT(count_match(st, "agent"), 1);
    CHECK_INT(count_match(st, "반도체"), 1);
    CHECK_INT(store_exec(st, "UPDATE articles SET title = 'GPT-5 ships' WHERE id = 1", &e),
              ACHIM_OK);
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    CHECK_INT(count_match(st, "agent"), 0);
    CHECK_INT(count_match(st, "gpt"), 1);
    store_close(st);

    CHECK_INT(app_store_open(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_fts_rebuilt(st), -1);
    CHECK_INT(store_exec(st, "DELETE FROM articles WHERE id = 1", &e), ACHIM_OK);
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    CHECK_INT(count_match(st, "gpt"), 0);
    store_close(st);
    unlink(path);
    char side[64];
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

TESTS(TEST(test_index_equals_analysis), TEST(test_index_unaccent_and_parts),
      TEST(test_highlight_offsets), TEST(test_highlight_adjacent_bigrams),
      TEST(test_search_queries), TEST(test_update_delete_consistent),
      TEST(test_identity_follows_output), TEST(test_rebuild_for_new_tokenizer))
