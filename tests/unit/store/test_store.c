/* SPDX-License-Identifier: MIT */
/* test_store.c: sources, runs, ingest, reading, search, tokenizers, checks.
 *
 * Each test opens its own ":memory:" store (or a /tmp file where the file
 * matters) and builds feed documents by hand, so nothing depends on the
 * feed parser. Times are fixed numbers around 2026-02-01. */
#include "../test.h"

#include <sqlite3.h>
#include <unistd.h>

#include "base/util.h"
#include "store/store_int.h"
#include "tmp_db.h"
#include "unicode61.h"

#define T0 1769904000 /* 2026-02-01T00:00:00Z */

static struct store *open_mem(void)
{
    struct err e = ERR_INIT;
    struct store *st = NULL;
    if (store_open_u61(":memory:", &st, &e) != ACHIM_OK) {
        fprintf(stderr, "  store_open: %s\n", e.msg);
        exit(1);
    }
    return st;
}

static int64_t add_source(struct store *st, const char *url, const char *name)
{
    int64_t id = 0;
    struct err e = ERR_INIT;
    CHECK_INT(store_source_ensure(st, url, name, NULL, T0, &id, &e), ACHIM_OK);
    return id;
}

/* Append an entry; NULL strings stay NULL. */
static struct article *entry(struct feed_doc *doc, const char *guid, const char *url,
                             const char *title, const char *summary, const char *content,
                             int64_t published)
{
    struct article *a = feed_doc_add_entry(doc);
    a->guid = guid ? strdup(guid) : NULL;
    a->url = url ? strdup(url) : NULL;
    a->title = title ? strdup(title) : NULL;
    a->summary = summary ? strdup(summary) : NULL;
    a->content = content ? strdup(content) : NULL;
    a->published = published;
    return a;
}

static int64_t count(struct store *st, const char *sql)
{
    return store_query_int(st, sql, -1);
}

/* ---- sources and runs ------------------------------------------------------ */

static void test_sources(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t a = 0, a2 = 0, b = 0;
    CHECK_INT(store_source_ensure(st, "https://a.example/feed", NULL, NULL, T0, &a, &e), ACHIM_OK);
    CHECK_INT(store_source_ensure(st, "https://a.example/feed", "Alpha", "https://a.example/",
                                  T0 + 5, &a2, &e),
              ACHIM_OK);
    CHECK_INT(a2, a);
    CHECK_INT(store_source_ensure(st, "https://b.example/rss", "Beta", NULL, T0, &b, &e), ACHIM_OK);
    CHECK(b != a);
    /* An existing name is kept. */
    CHECK_INT(store_source_ensure(st, "https://b.example/rss", "Renamed", NULL, T0, &b, &e),
              ACHIM_OK);
    CHECK_INT(store_source_ensure(st, "  ", "x", NULL, T0, &b, &e), ACHIM_EINVAL);

    struct feed_doc *doc = feed_doc_new();
    entry(doc, "g1", NULL, "One", NULL, NULL, T0);
    entry(doc, "g2", NULL, "Two", NULL, NULL, T0);
    CHECK_INT(store_feed_ingest(st, a, 0, doc, T0, NULL, &e), ACHIM_OK);
    feed_doc_free(doc);

    struct store_source *v;
    size_t n;
    CHECK_INT(store_sources_list(st, &v, &n, &e), ACHIM_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(v[0].id, a);
        CHECK_STR(v[0].name, "Alpha"); /* filled in by the second ensure */
        CHECK_STR(v[0].site_url, "https://a.example/");
        CHECK_INT(v[0].created, T0);
        CHECK_INT(v[0].articles, 2);
        CHECK(v[0].enabled);
        CHECK(v[0].weight == 1.0);
        CHECK_STR(v[1].name, "Beta");
        CHECK_INT(v[1].articles, 0);
        CHECK(v[1].site_url == NULL);
    }
    store_sources_free(v, n);

    /* Fetch state: validators on 200, kept on 304, failures counted. */
    CHECK_INT(store_source_fetched(st, a, T0 + 60, 200, "\"e1\"", "Sun, 01 Feb 2026", &e),
              ACHIM_OK);
    CHECK_INT(store_source_fetched(st, a, T0 + 120, 304, NULL, NULL, &e), ACHIM_OK);
    CHECK_INT(store_source_fetched(st, a, T0 + 180, 503, NULL, NULL, &e), ACHIM_OK);
    CHECK_INT(store_source_fetched(st, a, T0 + 240, 0, NULL, NULL, &e), ACHIM_OK);
    struct store_source s;
    CHECK_INT(store_source_get(st, a, &s, &e), ACHIM_OK);
    CHECK_STR(s.etag, "\"e1\"");
    CHECK_STR(s.last_modified, "Sun, 01 Feb 2026");
    CHECK_INT(s.last_fetch, T0 + 240);
    CHECK_INT(s.last_status, 0);
    CHECK_INT(s.fail_count, 2);
    store_source_release(&s);
    CHECK_INT(store_source_fetched(st, a, T0 + 300, 200, NULL, NULL, &e), ACHIM_OK);
    CHECK_INT(store_source_get(st, a, &s, &e), ACHIM_OK);
    CHECK_INT(s.fail_count, 0);
    CHECK(s.etag == NULL);
    store_source_release(&s);
    CHECK_INT(store_source_get(st, 999, &s, &e), ACHIM_ENOTFOUND);
    CHECK_INT(store_source_fetched(st, 999, T0, 200, NULL, NULL, &e), ACHIM_ENOTFOUND);
    store_close(st);
}

static void test_runs(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://a.example/feed", "A");
    int64_t run = 0;
    CHECK_INT(store_run_begin(st, "fetch", T0, &run, &e), ACHIM_OK);
    CHECK(run > 0);

    struct feed_doc *doc = feed_doc_new();
    entry(doc, "g1", NULL, "One", NULL, NULL, T0);
    entry(doc, NULL, NULL, NULL, "no key, no title", NULL, T0);
    struct ingest_counts c;
    CHECK_INT(store_feed_ingest(st, src, run, doc, T0, &c, &e), ACHIM_OK);
    CHECK_INT(store_feed_ingest(st, src, run, doc, T0, &c, &e), ACHIM_OK);
    feed_doc_free(doc);

    CHECK_INT(store_run_end(st, run, T0 + 9, "ok", "2 documents", &e), ACHIM_OK);
    CHECK_INT(count(st, "SELECT added FROM runs"), 1);
    CHECK_INT(count(st, "SELECT unchanged FROM runs"), 1);
    CHECK_INT(count(st, "SELECT skipped FROM runs"), 2);
    CHECK_INT(count(st, "SELECT finished FROM runs"), T0 + 9);
    CHECK_INT(count(st, "SELECT status = 'ok' AND message = '2 documents' FROM runs"), 1);
    CHECK_INT(count(st, "SELECT run_id FROM articles"), run);
    CHECK_INT(store_run_end(st, run + 1, T0, "ok", NULL, &e), ACHIM_ENOTFOUND);
    CHECK_INT(store_run_begin(st, "", T0, &run, &e), ACHIM_EINVAL);
    store_close(st);
}

/* ---- ingest ---------------------------------------------------------------- */

static struct feed_doc *three_entries(void)
{
    struct feed_doc *doc = feed_doc_new();
    entry(doc, "urn:1", "https://n.example/1", "Harbour reopens", "Ships return.", "Long text.",
          T0 + 10);
    entry(doc, "urn:2", "https://n.example/2", "Rail strike ends", "Trains run.", NULL, T0 + 20);
    entry(doc, "urn:3", "https://n.example/3", "Budget passes", NULL, "Parliament voted.", T0 + 30);
    return doc;
}

static void test_ingest_idempotent(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://n.example/feed", "News");
    struct feed_doc *doc = three_entries();
    struct ingest_counts c;
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 100, &c, &e), ACHIM_OK);
    CHECK_INT(c.added, 3);
    CHECK_INT(c.updated + c.unchanged + c.skipped, 0);
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 200, &c, &e), ACHIM_OK);
    CHECK_INT(c.added, 0);
    CHECK_INT(c.updated, 0);
    CHECK_INT(c.unchanged, 3);
    CHECK_INT(count(st, "SELECT count(*) FROM articles"), 3);
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts"), 3);
    CHECK_INT(count(st, "SELECT max(ingested) FROM articles"), T0 + 100);

    /* The same entries under another source are other articles. */
    int64_t other = add_source(st, "https://mirror.example/feed", "Mirror");
    CHECK_INT(store_feed_ingest(st, other, 0, doc, T0, &c, &e), ACHIM_OK);
    CHECK_INT(c.added, 3);
    feed_doc_free(doc);
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    store_close(st);
}

static void test_ingest_update(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://n.example/feed", "News");
    struct feed_doc *doc = three_entries();
    struct ingest_counts c;
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 100, &c, &e), ACHIM_OK);
    int64_t id = count(st, "SELECT id FROM articles WHERE guid = 'urn:2'");

    free(doc->entries[1].title);
    doc->entries[1].title = strdup("Rail strike ends after talks");
    doc->entries[2].updated = T0 + 50; /* a changed date alone is an update */
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 200, &c, &e), ACHIM_OK);
    CHECK_INT(c.added, 0);
    CHECK_INT(c.updated, 2);
    CHECK_INT(c.unchanged, 1);
    CHECK_INT(count(st, "SELECT count(*) FROM articles"), 3);

    struct article a;
    CHECK_INT(store_article_get(st, id, &a, &e), ACHIM_OK);
    CHECK_STR(a.title, "Rail strike ends after talks");
    CHECK_INT(a.ingested, T0 + 100); /* first seen, not last changed */
    CHECK_STR(a.source_name, "News");
    article_release(&a);

    /* The full-text index follows the update. */
    struct store_hit *hits;
    size_t n;
    CHECK_INT(store_search(st, "talks", 0, &hits, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    store_hits_free(hits, n);
    CHECK_INT(store_check(st, &e), ACHIM_OK);

    /* Fields outside the hash (authors) do not make an update. */
    doc->entries[0].authors = strdup("A. Writer");
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 300, &c, &e), ACHIM_OK);
    CHECK_INT(c.unchanged, 3);
    feed_doc_free(doc);
    store_close(st);
}

static void test_ingest_keys_and_duplicates(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://n.example/feed", "News");
    struct feed_doc *doc = feed_doc_new();
    entry(doc, "dup", NULL, "First copy", NULL, NULL, T0);
    struct article *canon = entry(doc, NULL, "https://n.example/x?utm=1", "Canon", NULL, NULL, T0);
    canon->canonical_url = strdup("https://n.example/x");
    entry(doc, NULL, "https://n.example/y", "By url", NULL, NULL, T0);
    entry(doc, "  ", NULL, "Only a title", NULL, NULL, T0); /* blank guid = absent */
    entry(doc, "dup", NULL, "Second copy", NULL, NULL, T0);
    entry(doc, NULL, NULL, NULL, "nothing to key on", NULL, T0);
    entry(doc, NULL, NULL, "Only a title", NULL, NULL, T0); /* same title key */

    struct ingest_counts c;
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0, &c, &e), ACHIM_OK);
    CHECK_INT(c.added, 4);
    CHECK_INT(c.skipped, 3);
    CHECK_INT(c.added + c.updated + c.unchanged + c.skipped, doc->nentries);
    CHECK_INT(count(st, "SELECT count(*) FROM articles"), 4);
    CHECK_INT(count(st, "SELECT count(*) FROM articles WHERE key = 'dup' AND title = 'First copy'"),
              1);
    CHECK_INT(count(st, "SELECT count(*) FROM articles WHERE key = 'https://n.example/x'"), 1);
    CHECK_INT(count(st, "SELECT count(*) FROM articles WHERE key = 'https://n.example/y'"), 1);
    CHECK_INT(count(st, "SELECT count(*) FROM articles WHERE key = 'title:Only a title'"), 1);

    /* Again: the duplicate still counts once, and is not seen as a change. */
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0, &c, &e), ACHIM_OK);
    CHECK_INT(c.unchanged, 4);
    CHECK_INT(c.updated, 0);
    CHECK_INT(c.skipped, 3);
    feed_doc_free(doc);

    /* An empty document is fine. */
    doc = feed_doc_new();
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0, &c, &e), ACHIM_OK);
    CHECK_INT(c.added + c.updated + c.unchanged + c.skipped, 0);
    feed_doc_free(doc);
    CHECK_INT(store_feed_ingest(st, src, 0, NULL, T0, &c, &e), ACHIM_EINVAL);
    store_close(st);
}

static void test_ingest_atomic(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://n.example/feed", "News");
    int64_t run = 0;
    CHECK_INT(store_run_begin(st, "fetch", T0, &run, &e), ACHIM_OK);
    /* Injected failure: any row titled 'boom' aborts its statement. */
    CHECK_INT(store_exec(st,
                         "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.articles "
                         "WHEN new.title = 'boom' BEGIN SELECT RAISE(ABORT, 'injected'); END",
                         &e),
              ACHIM_OK);

    struct feed_doc *doc = feed_doc_new();
    entry(doc, "ok-1", NULL, "fine", NULL, NULL, T0);
    entry(doc, "bad", NULL, "boom", NULL, NULL, T0);
    entry(doc, "ok-2", NULL, "fine too", NULL, NULL, T0);
    struct ingest_counts c = {9, 9, 9, 9};
    CHECK_INT(store_feed_ingest(st, src, run, doc, T0, &c, &e), ACHIM_EDB);
    CHECK_INT(c.added + c.updated + c.unchanged + c.skipped, 0);
    CHECK_CONTAINS(e.msg, "database ':memory:': ingest for source 1: entry 2: injected");
    CHECK_INT(count(st, "SELECT count(*) FROM articles"), 0);
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts"), 0);
    CHECK_INT(count(st, "SELECT added FROM runs"), 0);

    /* Inside a caller's transaction only the failed ingest is undone. */
    struct feed_doc *good = feed_doc_new();
    entry(good, "g", NULL, "good", NULL, NULL, T0);
    CHECK_INT(store_begin(st, &e), ACHIM_OK);
    CHECK_INT(store_feed_ingest(st, src, run, good, T0, &c, &e), ACHIM_OK);
    CHECK_INT(store_feed_ingest(st, src, run, doc, T0, &c, &e), ACHIM_EDB);
    CHECK_INT(store_commit(st, &e), ACHIM_OK);
    CHECK_INT(count(st, "SELECT count(*) FROM articles"), 1);
    CHECK_INT(count(st, "SELECT added FROM runs"), 1);
    feed_doc_free(good);

    /* An unknown source violates the foreign key and writes nothing. */
    CHECK_INT(store_feed_ingest(st, 42, 0, doc, T0, &c, &e), ACHIM_EDB);
    CHECK_CONTAINS(e.msg, "FOREIGN KEY");
    CHECK_INT(count(st, "SELECT count(*) FROM articles"), 1);
    feed_doc_free(doc);
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    /* a failed ingest leaves the insert trigger indexing again */
    CHECK_INT(count(st, "SELECT " STORE_FN_FTS_DEFERRED "()"), 0);
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'good'"), 1);
    store_close(st);
}

/* FTS5's own check, comparing the index with the articles (rank 1). */
static enum achim_code fts_check(struct store *st, struct err *e)
{
    return store_exec(
        st, "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)", e);
}

/* store_feed_ingest indexes a feed's new articles itself, after storing
 * them, in one FTS5 segment (migration 9); every other writer of articles
 * is still indexed by the insert trigger. */
static void test_ingest_indexes_new_articles(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://n.example/feed", "News");
    struct feed_doc *doc = three_entries();
    entry(doc, "urn:4", NULL, "Harbour strike", NULL, NULL, T0 + 40);
    entry(doc, "urn:5", NULL, NULL, "Only a summary about ships.", NULL, T0 + 50);
    entry(doc, "urn:6", NULL, "Only a title", NULL, NULL, T0 + 60);
    struct ingest_counts c;
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0, &c, &e), ACHIM_OK);
    CHECK_INT(c.added, 6);
    CHECK_INT(fts_check(st, &e), ACHIM_OK);
    /* the averages, the structure and one segment of one leaf: the six
     * articles were not flushed one by one */
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts_data"), 3);
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harbour'"), 2);
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'ships'"), 2);
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'parliament'"),
              1);

    /* an update in a later feed goes through the update trigger */
    free(doc->entries[3].title);
    doc->entries[3].title = strdup("Harbour strike over");
    entry(doc, "urn:7", NULL, "Budget debate", NULL, NULL, T0 + 70);
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 100, &c, &e), ACHIM_OK);
    CHECK_INT(c.added, 1);
    CHECK_INT(c.updated, 1);
    CHECK_INT(fts_check(st, &e), ACHIM_OK);
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'over'"), 1);
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'budget'"), 2);

    /* a plain INSERT is indexed by the trigger, inside a transaction too */
    CHECK_INT(count(st, "SELECT " STORE_FN_FTS_DEFERRED "()"), 0);
    CHECK_INT(store_begin(st, &e), ACHIM_OK);
    CHECK_INT(store_exec(st,
                         "INSERT INTO articles (source_id, key, title, ingested, content_hash) "
                         "VALUES (1, 'raw', 'Lighthouse restored', 0, 'x')",
                         &e),
              ACHIM_OK);
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 200, &c, &e), ACHIM_OK);
    CHECK_INT(store_commit(st, &e), ACHIM_OK);
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'lighthouse'"),
              1);
    CHECK_INT(fts_check(st, &e), ACHIM_OK);
    feed_doc_free(doc);
    store_close(st);
}

/* The source of every ingested feed is looked up without a write when it
 * is there with its name and site; a missing field is still filled. */
static void test_source_ensure_reads(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t a = 0, again = 0;
    CHECK_INT(store_source_ensure(st, "https://a.example/feed", "Alpha", NULL, T0, &a, &e),
              ACHIM_OK);
    int changes = sqlite3_total_changes(st->db);
    CHECK_INT(store_source_ensure(st, "https://a.example/feed", "Other", NULL, T0, &again, &e),
              ACHIM_OK);
    CHECK_INT(again, a);
    CHECK_INT(sqlite3_total_changes(st->db), changes); /* the name is kept, nothing written */
    CHECK_INT(store_source_ensure(st, "https://a.example/feed", NULL, "https://a.example/", T0,
                                  &again, &e),
              ACHIM_OK);
    CHECK_INT(again, a);
    char *site = store_query_text(st, "SELECT site_url FROM sources WHERE id = 1");
    CHECK_STR(site, "https://a.example/");
    free(site);
    char *name = store_query_text(st, "SELECT name FROM sources WHERE id = 1");
    CHECK_STR(name, "Alpha");
    free(name);
    store_close(st);
}

static void test_unicode_and_nulls(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://k.example/피드", "한겨레 📰");
    struct feed_doc *doc = feed_doc_new();
    entry(doc, "k1", NULL, "서울 날씨 — ☀️ «맑음» Ünïcödé", NULL, NULL, 0);
    struct article *full = entry(doc, "k2", "https://k.example/2", "t", "s", "c", T0);
    full->canonical_url = strdup("https://k.example/2");
    full->authors = strdup("김철수, Jane Doe");
    full->content_html = strdup("<p>c</p>");
    full->language = strdup("ko");
    full->tags = strdup("정치, economy");
    full->updated = T0 + 1;
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 5, NULL, &e), ACHIM_OK);
    feed_doc_free(doc);

    struct article a;
    CHECK_INT(store_article_get(st, 1, &a, &e), ACHIM_OK);
    CHECK_STR(a.title, "서울 날씨 — ☀️ «맑음» Ünïcödé");
    CHECK_STR(a.source_name, "한겨레 📰");
    CHECK_STR(a.guid, "k1");
    CHECK(a.url == NULL && a.canonical_url == NULL && a.summary == NULL);
    CHECK(a.content == NULL && a.content_html == NULL && a.authors == NULL);
    CHECK(a.language == NULL && a.tags == NULL);
    CHECK_INT(a.published, 0);
    CHECK_INT(a.updated, 0);
    CHECK_INT(a.ingested, T0 + 5);
    CHECK_INT(a.source_id, src);
    article_release(&a);
    CHECK_INT(count(st, "SELECT count(*) FROM articles WHERE published IS NULL"), 1);

    CHECK_INT(store_article_get(st, 2, &a, &e), ACHIM_OK);
    CHECK_STR(a.authors, "김철수, Jane Doe");
    CHECK_STR(a.content_html, "<p>c</p>");
    CHECK_STR(a.language, "ko");
    CHECK_STR(a.tags, "정치, economy");
    CHECK_STR(a.canonical_url, "https://k.example/2");
    CHECK_INT(a.published, T0);
    CHECK_INT(a.updated, T0 + 1);
    article_release(&a);

    CHECK_INT(store_article_get(st, 99, &a, &e), ACHIM_ENOTFOUND);
    CHECK_STR(e.msg, "database ':memory:': no article 99");
    store_close(st);
}

/* ---- reading by date ------------------------------------------------------- */

static void test_articles_between(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://n.example/feed", "News");
    const int64_t from = T0, to = T0 + 86400;
    struct feed_doc *doc = feed_doc_new();
    entry(doc, "before", NULL, "before", NULL, NULL, from - 1);
    entry(doc, "last", NULL, "last", NULL, NULL, to - 1);
    entry(doc, "first", NULL, "first", NULL, NULL, from);
    entry(doc, "after", NULL, "after", NULL, NULL, to);
    entry(doc, "by-updated", NULL, "by-updated", NULL, NULL, 0)->updated = from + 10;
    entry(doc, "by-ingested", NULL, "by-ingested", NULL, NULL, 0); /* ingested = now */
    /* published wins over updated even when updated is in range */
    entry(doc, "pub-wins", NULL, "pub-wins", NULL, NULL, to + 5)->updated = from + 1;
    CHECK_INT(store_feed_ingest(st, src, 0, doc, from + 20, NULL, &e), ACHIM_OK);
    feed_doc_free(doc);

    struct article *v;
    size_t n;
    CHECK_INT(store_articles_between(st, from, to, &v, &n, &e), ACHIM_OK);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_STR(v[0].title, "first");
        CHECK_STR(v[1].title, "by-updated");
        CHECK_STR(v[2].title, "by-ingested");
        CHECK_STR(v[3].title, "last");
        CHECK_STR(v[3].source_name, "News");
        for (size_t i = 0; i < n; i++)
            CHECK(article_date(&v[i]) >= from && article_date(&v[i]) < to);
    }
    store_articles_free(v, n);

    CHECK_INT(store_articles_between(st, to, to, &v, &n, &e), ACHIM_OK);
    CHECK_INT(n, 0);
    CHECK(v == NULL);
    store_articles_free(NULL, 0);

    struct store_stats s;
    CHECK_INT(store_stats(st, &s, &e), ACHIM_OK);
    CHECK_INT(s.sources, 1);
    CHECK_INT(s.articles, 7);
    CHECK_INT(s.runs, 0);
    CHECK_INT(s.oldest, from - 1);
    CHECK_INT(s.newest, to + 5);
    store_close(st);
}

/* ---- search ---------------------------------------------------------------- */

static struct store *search_fixture(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://n.example/feed", "News");
    struct feed_doc *doc = feed_doc_new();
    /* The content-only match repeats the word; the title match still wins. */
    entry(doc, "c", NULL, "Weekly roundup", "Various items.",
          "The volcano erupted; volcano ash closed airports near the volcano.", T0);
    entry(doc, "t", NULL, "Volcano erupts in Iceland", "Lava reached the road.", "Roads closed.",
          T0);
    entry(doc, "s", NULL, "Travel news", "Flights resume after volcano ash clears.", NULL, T0);
    entry(doc, "k", NULL, "서울 지하철 파업 종료", "노사가 임금 협상에 합의했다.", NULL, T0);
    entry(doc, "d", NULL, "Café culture returns", NULL, NULL, T0);
    entry(doc, "n", NULL, "Unrelated", NULL, NULL, T0);
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0, NULL, &e), ACHIM_OK);
    feed_doc_free(doc);
    return st;
}

static void test_search_ranking_and_snippet(void)
{
    struct store *st = search_fixture();
    struct err e = ERR_INIT;
    struct store_hit *h;
    size_t n;
    CHECK_INT(store_search(st, "volcano", 10, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(h[0].article.guid, "t"); /* title */
        CHECK_STR(h[1].article.guid, "s"); /* summary */
        CHECK_STR(h[2].article.guid, "c"); /* content only */
        CHECK(h[0].rank > h[1].rank && h[1].rank > h[2].rank);
        CHECK_CONTAINS(h[0].snippet, "[Volcano]");
        CHECK_CONTAINS(h[2].snippet, "[volcano]");
        CHECK_STR(h[0].article.source_name, "News");
    }
    store_hits_free(h, n);

    CHECK_INT(store_search(st, "volcano", 1, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    store_hits_free(h, n);

    CHECK_INT(store_search_marked(st, "lava", 0, "<mark>", "</mark>", &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_CONTAINS(h[0].snippet, "<mark>Lava</mark>");
    store_hits_free(h, n);

    /* FTS5 syntax works when it parses. */
    CHECK_INT(store_search(st, "volcano NOT lava", 0, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 2);
    store_hits_free(h, n);
    CHECK_INT(store_search(st, "volc*", 0, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 3);
    store_hits_free(h, n);
    CHECK_INT(store_search(st, "\"volcano ash\"", 0, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 2);
    store_hits_free(h, n);

    CHECK_INT(store_search(st, "nothing-like-this", 0, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 0);
    CHECK(h == NULL);
    CHECK_INT(store_search(st, "  ", 0, &h, &n, &e), ACHIM_EINVAL);
    CHECK_INT(store_search(st, "", 0, &h, &n, &e), ACHIM_EINVAL);
    store_close(st);
}

static void test_search_syntax_fallback(void)
{
    struct store *st = search_fixture();
    struct err e = ERR_INIT;
    static const struct {
        const char *q;
        size_t want;
    } cases[] = {
        {"\"volcano", 3},        /* unbalanced quote */
        {"volcano AND", 3},      /* dangling operator */
        {"(lava", 1},            /* unbalanced parenthesis */
        {"iceland: volcano", 1}, /* not a column name */
        {"volcano^ +lava", 1},   /* stray punctuation */
        {"AND", 0},              /* operator alone */
        {"*", 0},                /* nothing searchable is left */
        {"-- ;", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct store_hit *h = NULL;
        size_t n = 99;
        enum achim_code code = store_search(st, cases[i].q, 0, &h, &n, &e);
        if (code != ACHIM_OK)
            fprintf(stderr, "  query '%s': %s\n", cases[i].q, e.msg);
        CHECK_INT(code, ACHIM_OK);
        if (n != cases[i].want)
            fprintf(stderr, "  query '%s'\n", cases[i].q);
        CHECK_INT(n, cases[i].want);
        store_hits_free(h, n);
    }
    store_close(st);
}

static void test_search_unicode(void)
{
    struct store *st = search_fixture();
    struct err e = ERR_INIT;
    struct store_hit *h;
    size_t n;
    CHECK_INT(store_search(st, "지하철", 0, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(h[0].article.guid, "k");
        CHECK_CONTAINS(h[0].snippet, "[지하철]");
    }
    store_hits_free(h, n);
    CHECK_INT(store_search(st, "합의했다", 0, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    store_hits_free(h, n);
    CHECK_INT(store_search(st, "서울*", 0, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    store_hits_free(h, n);
    /* remove_diacritics: "cafe" finds "Café" and the other way round. */
    CHECK_INT(store_search(st, "cafe", 0, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    store_hits_free(h, n);
    CHECK_INT(store_search(st, "CAFÉ", 0, &h, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    store_hits_free(h, n);
    store_close(st);
}

/* ---- tokenizer plug-in ----------------------------------------------------- */

struct toy {
    int calls;
    int destroyed;
};

/* Splits only at commas and lowercases ASCII: "Red Apple,green" gives the
 * tokens "red apple" and "green", which unicode61 would never produce. */
static int toy_tokenize(void *ctx, int why, const char *text, int len, void *sink_ctx,
                        store_token_sink sink)
{
    struct toy *t = ctx;
    t->calls++;
    int start = 0;
    for (int i = 0; i <= len; i++) {
        if (i < len && text[i] != ',')
            continue;
        if (i > start) {
            char tok[64];
            int n = i - start < 63 ? i - start : 63;
            for (int j = 0; j < n; j++) {
                char ch = text[start + j];
                tok[j] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
            }
            int rc = sink(sink_ctx, 0, tok, n, start, i);
            if (rc)
                return rc;
        }
        start = i + 1;
    }
    return 0;
}

static void toy_destroy(void *ctx)
{
    ((struct toy *)ctx)->destroyed++;
}

static void test_register_tokenizer(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    struct toy toy = {0, 0};
    struct store_tokenizer tok = {&toy, toy_tokenize, toy_destroy, NULL};
    CHECK_INT(store_register_tokenizer(st, "toy", &tok, &e), ACHIM_OK);
    CHECK_INT(store_exec(st,
                         "CREATE VIRTUAL TABLE temp.scratch USING fts5(body, tokenize='toy');"
                         "INSERT INTO scratch(body) VALUES ('Red Apple,green pear');"
                         "INSERT INTO scratch(body) VALUES ('apple,plum');",
                         &e),
              ACHIM_OK);
    CHECK(toy.calls >= 2);
    CHECK_INT(count(st, "SELECT count(*) FROM scratch WHERE scratch MATCH '\"red apple\"'"), 1);
    CHECK_INT(count(st, "SELECT count(*) FROM scratch WHERE scratch MATCH '\"GREEN PEAR\"'"), 1);
    /* "apple" is a whole token only in the second row. */
    CHECK_INT(count(st, "SELECT rowid FROM scratch WHERE scratch MATCH 'apple'"), 2);
    CHECK_INT(count(st, "SELECT count(*) FROM scratch WHERE scratch MATCH 'pear'"), 0);
    char *hl = store_query_text(
        st, "SELECT highlight(scratch, 0, '[', ']') FROM scratch WHERE scratch MATCH 'plum'");
    CHECK_STR(hl, "apple,[plum]");
    free(hl);
    /* The articles index keeps its own tokenizer. */
    CHECK_INT(count(st, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'x'"), 0);

    struct store_tokenizer none = {NULL, NULL, NULL, NULL};
    CHECK_INT(store_register_tokenizer(st, "bad", &none, &e), ACHIM_EINVAL);
    CHECK_INT(store_register_tokenizer(st, "", &tok, &e), ACHIM_EINVAL);
    CHECK_INT(toy.destroyed, 0);
    store_close(st);
    CHECK_INT(toy.destroyed, 1);
}

/* ---- checks ---------------------------------------------------------------- */

static void test_check(void)
{
    struct store *st = search_fixture();
    struct err e = ERR_INIT;
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    /* An orphan written behind the store's back is reported. */
    CHECK_INT(store_exec(st,
                         "PRAGMA foreign_keys = OFF;"
                         "INSERT INTO articles (source_id, key, ingested, content_hash) "
                         "VALUES (77, 'orphan', 0, '');"
                         "PRAGMA foreign_keys = ON;",
                         &e),
              ACHIM_OK);
    CHECK_INT(store_check(st, &e), ACHIM_EDB);
    CHECK_CONTAINS(e.msg, "database ':memory:': foreign key check: ");
    CHECK_CONTAINS(e.msg, "'articles'");
    CHECK_INT(store_exec(st, "DELETE FROM articles WHERE key = 'orphan'", &e), ACHIM_OK);
    CHECK_INT(store_check(st, &e), ACHIM_OK);

    /* An FTS index out of step with its content table is reported. */
    CHECK_INT(store_exec(st,
                         "INSERT INTO articles_fts(articles_fts, rowid, title, summary, "
                         "content) VALUES ('delete', 1, 'Weekly roundup', "
                         "'Various items.', 'nonsense')",
                         &e),
              ACHIM_OK);
    CHECK_INT(store_check(st, &e), ACHIM_EDB);
    CHECK_CONTAINS(e.msg, "full-text index check");
    store_close(st);
}

/* Two connections to one WAL file: a reader sees committed ingests, and a
 * writer blocked by another's transaction gets ACHIM_EBUSY, not a hang. */
static void test_two_connections(void)
{
    char path[64];
    tmp_path(path);
    struct err e = ERR_INIT;
    struct store *a = NULL, *b = NULL;
    CHECK_INT(store_open_u61(path, &a, &e), ACHIM_OK);
    CHECK_INT(store_open_u61(path, &b, &e), ACHIM_OK);
    int64_t src = add_source(a, "https://n.example/feed", "News");
    struct feed_doc *doc = three_entries();
    CHECK_INT(store_feed_ingest(a, src, 0, doc, T0, NULL, &e), ACHIM_OK);
    CHECK_INT(count(b, "SELECT count(*) FROM articles"), 3);

    CHECK_INT(store_begin(a, &e), ACHIM_OK);
    CHECK_INT(store_exec(b, "PRAGMA busy_timeout = 10", &e), ACHIM_OK);
    CHECK_INT(store_feed_ingest(b, src, 0, doc, T0, NULL, &e), ACHIM_EBUSY);
    CHECK_CONTAINS(e.msg, "locked");
    store_rollback(a);
    feed_doc_free(doc);
    store_close(a);
    store_close(b);
    tmp_remove(path);
}

/* No statement of the connection is left running (a running read would
 * hold its snapshot and keep a checkpoint from completing). */
/* A store holding three_entries(), ingested at T0. */
static struct store *three_entries_store(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://n.example/feed", "News");
    struct feed_doc *doc = three_entries();
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0, NULL, &e), ACHIM_OK);
    feed_doc_free(doc);
    return st;
}

/* Stores one entity and one figure for the first article; returns its id. */
static int64_t first_with_facts(struct store *st)
{
    struct err e = ERR_INIT;
    int64_t id = count(st, "SELECT min(id) FROM articles");
    struct store_entity ent = {"Harbour Authority", "org", 2};
    struct store_figure fig = {"money", 5e6, "USD", "$5 million"};
    CHECK_INT(store_facts_put(st, id, &ent, 1, &fig, 1, &e), ACHIM_OK);
    return id;
}

static bool none_running(struct store *st)
{
    for (sqlite3_stmt *s = sqlite3_next_stmt(st->db, NULL); s; s = sqlite3_next_stmt(st->db, s))
        if (sqlite3_stmt_busy(s))
            return false;
    return true;
}

/* The facts queue: new articles wait in id order, a limit takes the
 * first, a processed article leaves it, and each read (a statement kept
 * for the connection) is finished before it returns. */
static void test_facts_pending_queue(void)
{
    struct store *st = three_entries_store();
    struct err e = ERR_INIT;
    int64_t *ids = NULL;
    size_t n = 0;
    CHECK_INT(store_facts_pending(st, 0, &ids, &n, &e), ACHIM_OK);
    CHECK_INT(n, 3);
    CHECK(none_running(st));
    for (size_t i = 1; i < n; i++)
        CHECK(ids[i - 1] < ids[i]);
    int64_t first = n ? ids[0] : 0, second = n > 1 ? ids[1] : 0;
    free(ids);
    CHECK_INT(store_facts_pending(st, 2, &ids, &n, &e), ACHIM_OK);
    CHECK_INT(n, 2);
    CHECK(n == 2 && ids[0] == first && ids[1] == second);
    CHECK(none_running(st));
    free(ids);
    struct store_entity ent = {"Harbour Authority", "org", 2};
    CHECK_INT(store_facts_put(st, first, &ent, 1, NULL, 0, &e), ACHIM_OK);
    CHECK_INT(store_facts_pending(st, 1, &ids, &n, &e), ACHIM_OK);
    CHECK(n == 1 && ids[0] == second);
    free(ids);
    /* inside a transaction, which then commits */
    CHECK_INT(store_begin(st, &e), ACHIM_OK);
    CHECK_INT(store_facts_put(st, second, NULL, 0, NULL, 0, &e), ACHIM_OK);
    CHECK_INT(store_facts_pending(st, 0, &ids, &n, &e), ACHIM_OK);
    CHECK_INT(n, 1);
    CHECK(none_running(st));
    free(ids);
    CHECK_INT(store_commit(st, &e), ACHIM_OK);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_done"), 2);
    CHECK_INT(count(st, "SELECT count(*) FROM article_entities"), 1);
    store_close(st);
}

/* A read of an article's facts that fails half-way hands back nothing:
 * the brief treats facts as optional and returns without freeing, so rows
 * already read must not be left with it. */
static void test_facts_get_failure_returns_nothing(void)
{
    struct store *st = three_entries_store();
    struct err e = ERR_INIT;
    int64_t id = first_with_facts(st);
    struct store_entity *ents = NULL;
    struct store_figure *figs = NULL;
    size_t ne = 0, nf = 0;
    CHECK_INT(store_facts_get(st, id, &ents, &ne, &figs, &nf, &e), ACHIM_OK);
    CHECK(ne == 1 && nf == 1);
    store_facts_free(ents, ne, figs, nf);
    /* the entities read, then the figures fail */
    CHECK_INT(store_exec(st, "DROP TABLE article_figures", &e), ACHIM_OK);
    e = (struct err)ERR_INIT;
    CHECK(store_facts_get(st, id, &ents, &ne, &figs, &nf, &e) != ACHIM_OK);
    CHECK(ents == NULL && ne == 0);
    CHECK(figs == NULL && nf == 0);
    store_facts_free(ents, ne, figs, nf);
    store_close(st);
}

/* A stand-in for the app's extractor (the store cannot link it): the
 * companies and amounts this test writes, found in the article's text as
 * stored. Drains the queue the way app_facts_sync() does, in batches inside
 * one transaction; returns how many articles it processed. */
static size_t drain_facts(struct store *st)
{
    static const char *const companies[] = {"Acme Corp", "Borealis Ltd"};
    static const char *const amounts[] = {"$1 billion", "$2 billion"};
    static const double values[] = {1e9, 2e9};
    struct err e = ERR_INIT;
    int64_t *ids = NULL;
    size_t n = 0;
    CHECK_INT(store_facts_pending(st, 0, &ids, &n, &e), ACHIM_OK);
    CHECK_INT(store_begin(st, &e), ACHIM_OK);
    for (size_t i = 0; i < n; i++) {
        struct article a;
        CHECK_INT(store_article_get(st, ids[i], &a, &e), ACHIM_OK);
        char text[512];
        snprintf(text, sizeof(text), "%s\n%s\n%s", a.title ? a.title : "",
                 a.summary ? a.summary : "", a.content ? a.content : "");
        struct store_entity ents[2];
        struct store_figure figs[2];
        size_t ne = 0, nf = 0;
        for (size_t k = 0; k < 2; k++) {
            if (strstr(text, companies[k]))
                ents[ne++] = (struct store_entity){(char *)companies[k], "org", 1};
            if (strstr(text, amounts[k]))
                figs[nf++] = (struct store_figure){"money", values[k], "USD", (char *)amounts[k]};
        }
        CHECK_INT(store_facts_put(st, ids[i], ents, ne, figs, nf, &e), ACHIM_OK);
        article_release(&a);
    }
    CHECK_INT(store_commit(st, &e), ACHIM_OK);
    free(ids);
    return n;
}

/* The article's stored facts as "entity;...|figure;...". */
static void facts_text(struct store *st, int64_t id, char *out, size_t cap)
{
    struct err e = ERR_INIT;
    struct store_entity *ents = NULL;
    struct store_figure *figs = NULL;
    size_t ne = 0, nf = 0;
    CHECK_INT(store_facts_get(st, id, &ents, &ne, &figs, &nf, &e), ACHIM_OK);
    out[0] = '\0';
    for (size_t i = 0; i < ne; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s;", ents[i].name);
    snprintf(out + strlen(out), cap - strlen(out), "|");
    for (size_t i = 0; i < nf; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s=%.0f;", figs[i].text, figs[i].value);
    store_facts_free(ents, ne, figs, nf);
}

/* An article whose text a feed changes is extracted again: its stored
 * entities and figures become those of the new text only. A change that
 * leaves the text as it was (a date) does not queue it. */
static void test_facts_follow_changed_text(void)
{
    struct store *st = open_mem();
    struct err e = ERR_INIT;
    int64_t src = add_source(st, "https://n.example/feed", "News");
    struct feed_doc *doc = feed_doc_new();
    entry(doc, "urn:deal", "https://n.example/deal", "Acme Corp buys a port",
          "Acme Corp pays $1 billion for the harbour.", NULL, T0 + 10);
    entry(doc, "urn:other", "https://n.example/other", "Rail strike ends", "Trains run.", NULL,
          T0 + 20);
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 100, NULL, &e), ACHIM_OK);
    int64_t id = count(st, "SELECT id FROM articles WHERE guid = 'urn:deal'");
    CHECK_INT(drain_facts(st), 2);
    char got[256];
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Acme Corp;|$1 billion=1000000000;");

    /* the feed rewrites the story: another buyer, another price */
    free(doc->entries[0].title);
    doc->entries[0].title = strdup("Borealis Ltd buys a port");
    free(doc->entries[0].summary);
    doc->entries[0].summary = strdup("Borealis Ltd pays $2 billion for the harbour.");
    struct ingest_counts c;
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 200, &c, &e), ACHIM_OK);
    CHECK_INT(c.updated, 1);
    CHECK_INT(drain_facts(st), 1);
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Borealis Ltd;|$2 billion=2000000000;");
    CHECK_INT(count(st, "SELECT count(*) FROM article_entities WHERE entity = 'Acme Corp'"), 0);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_todo"), 0);

    /* only the date changes: the text is the same, nothing to extract */
    doc->entries[0].updated = T0 + 50;
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 300, &c, &e), ACHIM_OK);
    CHECK_INT(c.updated, 1);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_todo"), 0);
    /* the text goes (an empty summary): the facts go with it */
    free(doc->entries[0].summary);
    doc->entries[0].summary = NULL;
    free(doc->entries[0].title);
    doc->entries[0].title = strdup("Port sale");
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 400, &c, &e), ACHIM_OK);
    CHECK_INT(drain_facts(st), 1);
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "|");
    feed_doc_free(doc);

    /* outside a transaction store_facts_put() is all-or-nothing by itself */
    struct store_entity ent = {"Acme Corp", "org", 3};
    CHECK_INT(store_facts_put(st, id, &ent, 1, NULL, 0, &e), ACHIM_OK);
    CHECK(!store_in_transaction(st));
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Acme Corp;|");
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    store_close(st);
}

/* store_facts_put() failing half-way outside a transaction (a figure
 * without a kind breaks a NOT NULL): its own transaction rolls back, so the
 * old facts stay, the article stays queued, no statement is left running,
 * and the error names SQLite's reason, not a later statement's "not an
 * error". */
static void test_facts_put_failure_keeps_old_facts(void)
{
    struct store *st = three_entries_store();
    struct err e = ERR_INIT;
    int64_t id = first_with_facts(st);
    CHECK_INT(
        store_exec(
            st, "UPDATE articles SET title = 'New title' WHERE id = (SELECT min(id) FROM articles)",
            &e),
        ACHIM_OK);
    CHECK_INT(
        count(st,
              "SELECT count(*) FROM facts_todo WHERE article_id = (SELECT min(id) FROM articles)"),
        1);
    struct store_entity ent2 = {"Borealis Ltd", "org", 1};
    struct store_figure bad = {NULL, 1, "USD", "$1"};
    CHECK_INT(store_facts_put(st, id, &ent2, 1, &bad, 1, &e), ACHIM_EDB);
    CHECK_CONTAINS(e.msg, "NOT NULL");
    CHECK(!store_in_transaction(st));
    CHECK(none_running(st));
    char got[256];
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Harbour Authority;|$5 million=5000000;");
    CHECK_INT(
        count(st,
              "SELECT count(*) FROM facts_todo WHERE article_id = (SELECT min(id) FROM articles)"),
        1);
    /* inside the caller's transaction: the transaction stays open, this
     * article's half-written rows are undone, and the caller's other work
     * in the same transaction commits */
    e = (struct err)ERR_INIT;
    int64_t other = count(st, "SELECT max(id) FROM articles");
    struct store_entity ent3 = {"Coastal Rail", "org", 1};
    CHECK_INT(store_begin(st, &e), ACHIM_OK);
    CHECK_INT(store_facts_put(st, other, &ent3, 1, NULL, 0, &e), ACHIM_OK);
    CHECK_INT(store_facts_put(st, id, &ent2, 1, &bad, 1, &e), ACHIM_EDB);
    CHECK_CONTAINS(e.msg, "NOT NULL");
    CHECK(store_in_transaction(st));
    CHECK(none_running(st));
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Harbour Authority;|$5 million=5000000;");
    e = (struct err)ERR_INIT;
    CHECK_INT(store_commit(st, &e), ACHIM_OK);
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Harbour Authority;|$5 million=5000000;");
    facts_text(st, other, got, sizeof(got));
    CHECK_STR(got, "Coastal Rail;|");
    CHECK_INT(count(st, "SELECT count(*) FROM article_entities WHERE entity = 'Borealis Ltd'"), 0);
    store_close(st);
}

/* store_facts_put_batch(): what one put per article writes, under one
 * savepoint; a failure at its last article undoes all of the batch (the
 * first article keeps its old facts, the others stay queued) and leaves
 * the caller's transaction open with its own work, which commits. */
static void test_facts_put_batch(void)
{
    struct store *st = three_entries_store();
    struct err e = ERR_INIT;
    int64_t id = first_with_facts(st);
    CHECK_INT(store_exec(st,
                         "UPDATE articles SET title = 'New title' WHERE id = (SELECT "
                         "min(id) FROM articles)",
                         &e),
              ACHIM_OK);
    int64_t *ids = NULL;
    size_t n = 0;
    CHECK_INT(store_facts_pending(st, 0, &ids, &n, &e), ACHIM_OK);
    CHECK_INT(n, 3);
    CHECK(n == 3 && ids[0] == id);
    struct store_entity ents[3] = {
        {"Borealis Ltd", "org", 1}, {"Coastal Rail", "org", 2}, {"Delta Port", "place", 1}};
    struct store_figure good = {"money", 2e9, "USD", "$2 billion"};
    struct store_figure bad = {NULL, 1, "USD", "$1"};
    struct store_facts_row rows[3];
    for (size_t i = 0; i < 3 && i < n; i++)
        rows[i] = (struct store_facts_row){ids[i], &ents[i], 1, i == 2 ? &bad : &good, 1};
    CHECK_INT(store_begin(st, &e), ACHIM_OK);
    CHECK_INT(store_exec(st, "UPDATE sources SET weight = 2", &e), ACHIM_OK);
    CHECK_INT(store_facts_put_batch(st, rows, 3, &e), ACHIM_EDB);
    CHECK_CONTAINS(e.msg, "NOT NULL");
    CHECK(store_in_transaction(st));
    CHECK(none_running(st));
    e = (struct err)ERR_INIT;
    CHECK_INT(store_commit(st, &e), ACHIM_OK);
    char got[256];
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Harbour Authority;|$5 million=5000000;");
    CHECK_INT(count(st, "SELECT count(*) FROM facts_todo"), 3);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_done"), 1);
    CHECK_INT(count(st, "SELECT count(*) FROM sources WHERE weight = 2"), 1);

    /* the same batch, fixed, on its own: all three written, the first
     * article's old figure replaced */
    rows[2].figs = &good;
    CHECK_INT(store_facts_put_batch(st, rows, 3, &e), ACHIM_OK);
    CHECK(!store_in_transaction(st));
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Borealis Ltd;|$2 billion=2000000000;");
    facts_text(st, ids[2], got, sizeof(got));
    CHECK_STR(got, "Delta Port;|$2 billion=2000000000;");
    CHECK_INT(count(st, "SELECT count(*) FROM facts_todo"), 0);
    CHECK_INT(count(st, "SELECT count(*) FROM article_entities"), 3);
    CHECK_INT(count(st, "SELECT count(*) FROM article_figures"), 3);
    CHECK_INT(store_facts_put_batch(st, rows, 0, &e), ACHIM_OK);
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    free(ids);
    store_close(st);
}

/* A version-10 store with data (no facts update trigger, no index on
 * term_queue.article_id): migration 11 adds both and keeps every row, and
 * a changed article is then queued and extracted again. */
static void test_migrate_from_v10(void)
{
    char path[64];
    tmp_path(path);
    struct err e = ERR_INIT;
    struct store *st = NULL;
    CHECK_INT(store_open_u61(path, &st, &e), ACHIM_OK);
    int64_t src = add_source(st, "https://n.example/feed", "News");
    struct feed_doc *doc = three_entries();
    free(doc->entries[0].summary);
    doc->entries[0].summary = strdup("Acme Corp pays $1 billion.");
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 100, NULL, &e), ACHIM_OK);
    CHECK_INT(drain_facts(st), 3);
    int64_t id = count(st, "SELECT id FROM articles WHERE guid = 'urn:1'");
    /* one article not extracted yet: it stays queued across the migration */
    CHECK_INT(store_exec(st, "INSERT INTO facts_todo VALUES (3)", &e), ACHIM_OK);
    CHECK_INT(store_exec(st,
                         "DROP TRIGGER facts_todo_update; DROP INDEX term_queue_article;"
                         "PRAGMA user_version = 10;",
                         &e),
              ACHIM_OK);
    int64_t queued = count(st, "SELECT count(*) FROM term_queue");
    CHECK(queued > 0);
    store_close(st);

    CHECK_INT(store_open_u61(path, &st, &e), ACHIM_OK);
    CHECK_INT(store_schema_version(st), store_schema_latest());
    CHECK_INT(count(st, "SELECT count(*) FROM sqlite_master WHERE name IN "
                        "('facts_todo_update', 'term_queue_article')"),
              2);
    /* the termstats triggers' lookup uses the index */
    sqlite3_stmt *q = NULL;
    CHECK_INT(sqlite3_prepare_v2(st->db,
                                 "EXPLAIN QUERY PLAN UPDATE term_queue SET sign = 1 "
                                 "WHERE article_id = 1 AND sign = 2",
                                 -1, &q, NULL),
              SQLITE_OK);
    char plan[512] = "";
    while (sqlite3_step(q) == SQLITE_ROW)
        snprintf(plan + strlen(plan), sizeof(plan) - strlen(plan), "%s;",
                 (const char *)sqlite3_column_text(q, 3));
    sqlite3_finalize(q);
    CHECK_CONTAINS(plan, "term_queue_article");
    CHECK_INT(count(st, "SELECT count(*) FROM articles"), 3);
    CHECK_INT(count(st, "SELECT count(*) FROM term_queue"), queued);
    CHECK_INT(count(st, "SELECT count(*) FROM facts_done"), 3);
    CHECK_INT(count(st, "SELECT group_concat(article_id) FROM facts_todo"), 3);
    char got[256];
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Acme Corp;|$1 billion=1000000000;");

    free(doc->entries[0].summary);
    doc->entries[0].summary = strdup("Borealis Ltd pays $2 billion.");
    CHECK_INT(store_feed_ingest(st, src, 0, doc, T0 + 200, NULL, &e), ACHIM_OK);
    CHECK_INT(drain_facts(st), 2);
    facts_text(st, id, got, sizeof(got));
    CHECK_STR(got, "Borealis Ltd;|$2 billion=2000000000;");
    CHECK_INT(store_check(st, &e), ACHIM_OK);
    feed_doc_free(doc);
    store_close(st);
    tmp_remove(path);
}

TESTS(TEST(test_sources), TEST(test_runs), TEST(test_ingest_idempotent), TEST(test_ingest_update),
      TEST(test_ingest_keys_and_duplicates), TEST(test_ingest_atomic),
      TEST(test_ingest_indexes_new_articles), TEST(test_source_ensure_reads),
      TEST(test_unicode_and_nulls), TEST(test_articles_between),
      TEST(test_search_ranking_and_snippet), TEST(test_search_syntax_fallback),
      TEST(test_search_unicode), TEST(test_register_tokenizer), TEST(test_check),
      TEST(test_two_connections), TEST(test_facts_pending_queue),
      TEST(test_facts_get_failure_returns_nothing), TEST(test_facts_follow_changed_text),
      TEST(test_migrate_from_v10), TEST(test_facts_put_failure_keeps_old_facts),
      TEST(test_facts_put_batch))
