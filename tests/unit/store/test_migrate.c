/* SPDX-License-Identifier: MIT */
/* test_migrate.c: opening databases and the migration runner.
 *
 * Covers a fresh database (memory and file, with its pragmas), a version-1
 * database built from tests/fixtures/db/schema-v1.sql, refusal of a newer
 * schema, and the runner itself on small made-up migration lists: only the
 * missing migrations run, and a failing one leaves the version untouched. */
#include "../test.h"

#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"
#include "store/store_int.h"
#include "tmp_db.h"
#include "unicode61.h"

static int64_t count_tables(struct store *st)
{
    return store_query_int(st,
                           "SELECT count(*) FROM sqlite_master WHERE name IN "
                           "('sources', 'runs', 'articles', 'articles_fts')",
                           -1);
}

static void test_open_memory(void)
{
    struct err e = ERR_INIT;
    struct store *st = NULL;
    CHECK_INT(store_open_u61(":memory:", &st, &e), ACHIM_OK);
    CHECK(st != NULL);
    CHECK(store_schema_latest() >= 1);
    CHECK_INT(store_schema_version(st), store_schema_latest());
    CHECK_INT(count_tables(st), 4);
    CHECK_INT(store_query_int(st, "PRAGMA foreign_keys", -1), 1);
    /* migration 12: the articles' indexes are the ones queries use */
    char *idx = store_query_text(st, "SELECT group_concat(name, ' ') FROM (SELECT name FROM "
                                     "pragma_index_list('articles') ORDER BY name)");
    CHECK_STR(idx, "articles_run_id articles_sort_date sqlite_autoindex_articles_1");
    free(idx);
    store_close(st);
    store_close(NULL);
}

static void test_open_file_pragmas(void)
{
    char path[64];
    tmp_path(path);
    struct err e = ERR_INIT;
    struct store *st = NULL;
    CHECK_INT(store_open_u61(path, &st, &e), ACHIM_OK);
    char *mode = store_query_text(st, "PRAGMA journal_mode");
    CHECK_STR(mode, "wal");
    free(mode);
    CHECK_INT(store_query_int(st, "PRAGMA foreign_keys", -1), 1);
    CHECK_INT(store_query_int(st, "PRAGMA synchronous", -1), 1); /* NORMAL */
    CHECK_INT(store_query_int(st, "PRAGMA busy_timeout", -1), 5000);
    CHECK_INT(store_schema_version(st), store_schema_latest());
    int64_t id = 0;
    CHECK_INT(store_source_ensure(st, "https://a.example/feed", "A", NULL, 100, &id, &e), ACHIM_OK);
    store_close(st);

    /* Reopening migrates nothing and keeps the data. */
    CHECK_INT(store_open_u61(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), store_schema_latest());
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM sources", -1), 1);
    store_close(st);
    tmp_remove(path);
}

/* The schema as SQLite records it, one string, for comparing databases. */
static char *schema_text(struct store *st)
{
    return store_query_text(st, "SELECT group_concat(type || ' ' || name || ': ' || "
                                "coalesce(sql, ''), char(10)) FROM "
                                "(SELECT * FROM sqlite_master ORDER BY type, name)");
}

static void test_open_v1_fixture(void)
{
    char path[64];
    tmp_path(path);
    struct err e = ERR_INIT;
    struct buf sql = BUF_INIT;
    CHECK_INT(file_read_all(FIXTURE("db/schema-v1.sql"), &sql, &e), ACHIM_OK);

    struct store *st = NULL;
    CHECK_INT(store_open_raw(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_exec(st, sql.ptr, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), 1);
    store_close(st);
    buf_release(&sql);

    CHECK_INT(store_open_u61(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), store_schema_latest());
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    struct article a;
    CHECK_INT(store_article_get(st, 2, &a, &e), ACHIM_OK);
    CHECK_STR(a.title, "항구 재개장");
    CHECK_STR(a.source_name, "Example Daily");
    CHECK_INT(a.published, 0);
    CHECK_INT(a.ingested, 1769904000);
    article_release(&a);
    struct store_hit *hits;
    size_t n;
    CHECK_INT(store_search(st, "harbour", 10, &hits, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    store_hits_free(hits, n);
    /* A migrated database has exactly the schema of a fresh one. */
    char *migrated = schema_text(st);
    store_close(st);

    CHECK_INT(store_open_u61(":memory:", &st, &e), ACHIM_OK);
    char *fresh = schema_text(st);
    CHECK_STR(migrated, fresh);
    free(migrated);
    free(fresh);
    store_close(st);
    tmp_remove(path);
}

/* Without the search tokenizer the store is refused before anything is
 * migrated or written: a v1 database keeps its version and its index. */
static void test_refuse_without_tokenizer(void)
{
    struct err e = ERR_INIT;
    struct store *st = (struct store *)&e;
    CHECK_INT(store_open(":memory:", &st, &e), ACHIM_EINVAL);
    CHECK(st == NULL);
    CHECK_STR(e.msg, "database ':memory:': the search index needs the 'achim' tokenizer, which "
                     "this program did not provide (open the store with store_open_tokenized)");

    char path[64];
    tmp_path(path);
    struct buf sql = BUF_INIT;
    CHECK_INT(file_read_all(FIXTURE("db/schema-v1.sql"), &sql, &e), ACHIM_OK);
    CHECK_INT(store_open_raw(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_exec(st, sql.ptr, &e), ACHIM_OK);
    store_close(st);
    buf_release(&sql);
    CHECK_INT(store_open(path, &st, &e), ACHIM_EINVAL);
    CHECK_CONTAINS(e.msg, "needs the 'achim' tokenizer");
    CHECK_INT(store_open_raw(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), 1);
    char *fts = store_query_text(st, "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'");
    CHECK_CONTAINS(fts, "unicode61");
    free(fts);
    store_close(st);

    /* The same file with the tokenizer: migrated, the index rebuilt with it. */
    CHECK_INT(store_open_u61(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), store_schema_latest());
    fts = store_query_text(st, "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'");
    CHECK_CONTAINS(fts, "tokenize='" STORE_FTS_TOKENIZER "'");
    free(fts);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM articles_fts_docsize", -1), 2);
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    store_close(st);
    tmp_remove(path);
}

static void test_refuse_newer(void)
{
    char path[64];
    tmp_path(path);
    struct err e = ERR_INIT;
    struct store *st = NULL;
    CHECK_INT(store_open_u61(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_exec(st, "PRAGMA user_version = 999", &e), ACHIM_OK);
    store_close(st);

    st = (struct store *)&e; /* must be reset to NULL */
    CHECK_INT(store_open_u61(path, &st, &e), ACHIM_ESCHEMA);
    CHECK(st == NULL);
    char want[256];
    snprintf(want, sizeof(want),
             "database '%s' has schema version 999, newer than this achim (%d); upgrade achim",
             path, store_schema_latest());
    CHECK_STR(e.msg, want);
    tmp_remove(path);
}

static void test_not_a_database(void)
{
    char path[64];
    tmp_path(path);
    struct err e = ERR_INIT;
    CHECK_INT(
        file_write_atomic(path, "this is not sqlite, just text that is long enough\n", 51, &e),
        ACHIM_OK);
    struct store *st = NULL;
    CHECK_INT(store_open_u61(path, &st, &e), ACHIM_EDB);
    CHECK(st == NULL);
    CHECK(str_starts_with(e.msg, "database '/tmp/achim-store-"));
    CHECK_CONTAINS(e.msg, "not a database");
    tmp_remove(path);

    CHECK_INT(store_open_u61("/nonexistent-dir/x/y.db", &st, &e), ACHIM_EDB);
    CHECK_CONTAINS(e.msg, "database '/nonexistent-dir/x/y.db': ");
}

/* ---- the runner on made-up lists ------------------------------------------ */

static const char m1[] = "CREATE TABLE t (what TEXT); INSERT INTO t VALUES ('m1');";
static const char m2[] = "INSERT INTO t VALUES ('m2');";
static const char m3_bad[] = "CREATE TABLE u (x); INSERT INTO t VALUES ('m3'); "
                             "INSERT INTO no_such_table VALUES (1);";

static void test_runner_applies_only_missing(void)
{
    struct err e = ERR_INIT;
    struct store *st = NULL;
    CHECK_INT(store_open_raw(":memory:", &st, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), 0);

    const char *const list1[] = {m1};
    CHECK_INT(store_migrate(st, list1, 1, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), 1);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM t", -1), 1);

    /* m1 again would fail on CREATE TABLE and duplicate its row. */
    const char *const list2[] = {m1, m2};
    CHECK_INT(store_migrate(st, list2, 2, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), 2);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM t", -1), 2);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM t WHERE what = 'm2'", -1), 1);

    /* Nothing to do is fine. */
    CHECK_INT(store_migrate(st, list2, 2, &e), ACHIM_OK);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM t", -1), 2);

    /* A list shorter than the database is a newer schema. */
    CHECK_INT(store_migrate(st, list1, 1, &e), ACHIM_ESCHEMA);
    CHECK_CONTAINS(e.msg, "has schema version 2, newer than this achim (1)");
    store_close(st);
}

static void test_runner_failure_rolls_back(void)
{
    struct err e = ERR_INIT;
    struct store *st = NULL;
    CHECK_INT(store_open_raw(":memory:", &st, &e), ACHIM_OK);
    const char *const list[] = {m1, m2, m3_bad};
    CHECK_INT(store_migrate(st, list, 3, &e), ACHIM_EDB);
    CHECK_CONTAINS(e.msg, "database ':memory:': migration 3 failed: ");
    CHECK_CONTAINS(e.msg, "no_such_table");
    CHECK_INT(store_schema_version(st), 2);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM sqlite_master WHERE name = 'u'", -1), 0);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM t", -1), 2);
    /* The connection is usable and not left inside a transaction. */
    CHECK_INT(store_begin(st, &e), ACHIM_OK);
    store_rollback(st);
    store_close(st);
}

/* A migration that fails on a file database leaves the file as it was. */
static void test_runner_failure_on_file(void)
{
    char path[64];
    tmp_path(path);
    struct err e = ERR_INIT;
    struct store *st = NULL;
    CHECK_INT(store_open_raw(path, &st, &e), ACHIM_OK);
    const char *const list[] = {m1, m3_bad};
    CHECK_INT(store_migrate(st, list, 2, &e), ACHIM_EDB);
    store_close(st);
    CHECK_INT(store_open_raw(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), 1);
    CHECK_INT(store_query_int(st, "SELECT count(*) FROM t", -1), 1);
    store_close(st);
    tmp_remove(path);
}

TESTS(TEST(test_open_memory), TEST(test_open_file_pragmas), TEST(test_open_v1_fixture),
      TEST(test_refuse_without_tokenizer), TEST(test_refuse_newer), TEST(test_not_a_database),
      TEST(test_runner_applies_only_missing), TEST(test_runner_failure_rolls_back),
      TEST(test_runner_failure_on_file))
