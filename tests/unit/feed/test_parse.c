/* SPDX-License-Identifier: MIT */
/* test_parse.c: feed_parse_buffer() on the fixture feeds and the shared corpus.
 *
 * Fixtures in tests/fixtures/feeds are small, hand-written and each aimed at
 * one feature or one kind of breakage; the corpus test only checks that
 * real-world files never crash the parser and reports how many parse. */
#include "../test.h"

#include <sys/stat.h>
#include <time.h>

#include "base/util.h"
#include "feed/feed.h"

static const struct feed_parse_opts default_opts = {.url = "https://fixtures.example/feeds/x.xml"};

/* Parse a fixture; returns the doc (or NULL) and the code in *rc. */
static struct feed_doc *parse_opts(const char *name, const struct feed_parse_opts *opts,
                                   enum achim_code *rc, struct err *e)
{
    char path[256];
    snprintf(path, sizeof(path), "tests/fixtures/feeds/%s", name);
    struct buf b = BUF_INIT;
    if (file_read_all(path, &b, e) != ACHIM_OK) {
        fprintf(stderr, "  cannot read %s: %s\n", path, e->msg);
        test_failed_checks++;
        *rc = ACHIM_EIO;
        return NULL;
    }
    struct feed_doc *d = NULL;
    *rc = feed_parse_buffer(b.ptr, b.len, opts, &d, e);
    buf_release(&b);
    return d;
}

static struct feed_doc *parse(const char *name)
{
    struct err e = ERR_INIT;
    enum achim_code rc;
    struct feed_doc *d = parse_opts(name, &default_opts, &rc, &e);
    if (rc != ACHIM_OK || !d) {
        fprintf(stderr, "  %s: %s (%s)\n", name, achim_strerror(rc), e.msg);
        test_failed_checks++;
    }
    return d;
}

static int64_t iso(const char *s)
{
    int64_t t = 0;
    if (!time_parse_iso(s, &t))
        test_failed_checks++;
    return t;
}

static void test_rss20(void)
{
    struct feed_doc *d = parse("rss20.xml");
    if (!d)
        return;
    CHECK_INT(d->format, FEED_FORMAT_RSS);
    CHECK_STR(d->version, "rss20");
    CHECK_STR(d->title, "Achim Test & Co");
    CHECK_STR(d->link, "https://news.example.com/"); /* atom:link rel=self ignored */
    CHECK_STR(d->subtitle, "Fixture for RSS 2.0");
    CHECK_STR(d->language, "en-gb");
    CHECK_STR(d->encoding, "utf-8");
    CHECK(!d->bozo);
    CHECK_INT(d->nentries, 2);
    if (d->nentries < 2)
        goto out;
    struct article *a = &d->entries[0];
    CHECK_STR(a->guid, "urn:example:1");
    CHECK_STR(a->url, "https://news.example.com/a/1?utm_source=rss&id=7#top");
    CHECK_STR(a->canonical_url, "https://news.example.com/a/1?id=7");
    CHECK_STR(a->title, "First story about things");
    CHECK_STR(a->authors, "Jo Bloggs");
    CHECK_STR(a->tags, "World, Politics");
    CHECK_STR(a->summary, "Short teaser & more.");
    CHECK_STR(a->content, "Full text of the first story.");
    CHECK_STR(
        a->content_html,
        "<p>Full <a href=\"https://fixtures.example/a/1/more\">text</a> of the first story.</p>");
    CHECK_STR(a->language, "en-gb");
    CHECK_INT(a->published, iso("2026-01-31T05:05:00Z"));
    CHECK_INT(a->updated, 0);
    struct article *b = &d->entries[1];
    CHECK_STR(b->guid, "https://news.example.com/a/2");
    CHECK_STR(b->url, "https://news.example.com/a/2"); /* isPermaLink guid */
    CHECK_STR(b->title, "Second & last");
    CHECK_STR(b->authors, "Ed Itor");
    CHECK(b->content == NULL);
    CHECK_STR(b->content_html, "Plain words, no markup.");
    CHECK_INT(b->published, iso("2026-01-30T08:00:00Z")); /* dc:date */
out:
    feed_doc_free(d);
}

static void test_atom10(void)
{
    struct feed_doc *d = parse("atom10.xml");
    if (!d)
        return;
    CHECK_INT(d->format, FEED_FORMAT_ATOM);
    CHECK_STR(d->version, "atom10");
    CHECK_STR(d->title, "Das Blog");
    CHECK_STR(d->link, "https://blog.example.org/"); /* text/html alternate, xml:base */
    CHECK_STR(d->subtitle, "Notes and news");
    CHECK_STR(d->language, "de");
    CHECK(!d->bozo);
    CHECK_INT(d->nentries, 2);
    if (d->nentries < 2)
        goto out;
    struct article *a = &d->entries[0];
    CHECK_STR(a->guid, "tag:blog.example.org,2026:1");
    CHECK_STR(a->url, "https://blog.example.org/base/posts/1.html");
    CHECK_STR(a->title, "Erster Eintrag");
    CHECK_STR(a->authors, "Anna, Ben");
    CHECK_STR(a->tags, "Technik, news");
    CHECK_STR(a->summary, "A <summary> in text");
    CHECK_STR(a->content, "Hello world");
    CHECK_STR(a->content_html,
              "<p>Hello <em>world</em> <img src=\"https://cdn.example.org/x/pic.png\" /></p>");
    CHECK_STR(a->language, "de");
    CHECK_INT(a->published, iso("2026-01-31T08:30:00Z"));
    CHECK_INT(a->updated, iso("2026-01-31T10:00:00Z"));
    struct article *b = &d->entries[1];
    CHECK_STR(b->url, "https://blog.example.org/posts/2.html");
    CHECK_STR(b->authors, "Feed Author"); /* inherited from the feed */
    CHECK_STR(b->language, "en");
    CHECK_STR(b->content, "Escaped & bold");
    CHECK_STR(b->content_html, "<p>Escaped &amp; <b>bold</b></p>");
    CHECK_INT(b->published, 0);
    CHECK_INT(b->updated, iso("2026-01-30T10:00:00Z"));
out:
    feed_doc_free(d);
}

static void test_atom03(void)
{
    struct feed_doc *d = parse("atom03.xml");
    if (!d)
        return;
    CHECK_STR(d->version, "atom03");
    CHECK_STR(d->subtitle, "Still around");
    CHECK_STR(d->link, "http://old.example.com/");
    CHECK_INT(d->nentries, 1);
    if (d->nentries == 1) {
        struct article *a = &d->entries[0];
        CHECK_STR(a->content, "Escaped html");
        CHECK_STR(a->content_html, "<p>Escaped <i>html</i></p>");
        CHECK_STR(a->summary, "Base64 summary");
        CHECK_INT(a->published, iso("2005-06-01T17:00:00Z"));
        CHECK_INT(a->updated, iso("2005-06-02T12:00:00Z"));
    }
    feed_doc_free(d);
}

static void test_jsonfeed(void)
{
    struct feed_doc *d = parse("jsonfeed11.json");
    if (!d)
        return;
    CHECK_INT(d->format, FEED_FORMAT_JSON);
    CHECK_STR(d->version, "json11");
    CHECK_STR(d->title, "JSON News");
    CHECK_STR(d->link, "https://json.example.net/");
    CHECK_STR(d->subtitle, "A JSON Feed fixture");
    CHECK_STR(d->language, "fr");
    CHECK(d->bozo); /* "not a date" */
    CHECK_CONTAINS(d->bozo_message, "date");
    CHECK_INT(d->nentries, 2);
    if (d->nentries == 2) {
        struct article *a = &d->entries[0];
        CHECK_STR(a->guid, "1");
        CHECK_STR(a->canonical_url, "https://json.example.net/p/1?x=1");
        CHECK_STR(a->title, "Premier article");
        CHECK_STR(a->content, "Bonjour monde");
        CHECK_STR(a->content_html, "<p>Bonjour <strong>monde</strong></p>");
        CHECK_STR(a->summary, "Résumé court");
        CHECK_STR(a->authors, "Claire, Didier");
        CHECK_STR(a->tags, "politique, europe");
        CHECK_STR(a->language, "fr-CA");
        CHECK_INT(a->published, iso("2026-01-31T07:00:00Z"));
        CHECK_INT(a->updated, iso("2026-01-31T09:00:00Z"));
        struct article *b = &d->entries[1];
        CHECK_STR(b->guid, "2");
        CHECK_STR(b->url, "https://fixtures.example/p/2");
        CHECK_STR(b->content, "Just text\nin two paragraphs");
        CHECK_STR(b->authors, "Feed Person");
        CHECK_STR(b->language, "fr");
        CHECK_INT(b->published, 0);
    }
    feed_doc_free(d);

    d = parse("jsonfeed10.json");
    if (!d)
        return;
    CHECK_STR(d->version, "json1");
    CHECK_INT(d->nentries, 1);
    if (d->nentries == 1)
        CHECK_STR(d->entries[0].authors, "Solo");
    feed_doc_free(d);
}

static void test_rdf(void)
{
    struct feed_doc *d = parse("rss10-rdf.xml");
    if (!d)
        return;
    CHECK_INT(d->format, FEED_FORMAT_RDF);
    CHECK_STR(d->version, "rss10");
    CHECK_STR(d->title, "RDF Site");
    CHECK_STR(d->language, "ja");
    CHECK_INT(d->nentries, 1);
    if (d->nentries == 1) {
        struct article *a = &d->entries[0];
        CHECK_STR(a->guid, "http://rdf.example.com/1");
        CHECK_STR(a->url, "http://rdf.example.com/1");
        CHECK_STR(a->summary, "Item one");
        CHECK_STR(a->authors, "Taro");
        CHECK_STR(a->tags, "Science");
        CHECK_STR(a->language, "ja");
        CHECK_INT(a->published, iso("2026-01-31T14:30:00Z"));
    }
    feed_doc_free(d);
}

static void test_rss09x(void)
{
    struct feed_doc *d = parse("rss091.xml");
    if (d) {
        CHECK_STR(d->version, "rss091n"); /* Netscape DOCTYPE */
        CHECK_STR(d->encoding, "iso-8859-1");
        CHECK_INT(d->nentries, 1);
        if (d->nentries == 1)
            CHECK_STR(d->entries[0].summary, "Old été news");
        feed_doc_free(d);
    }
    d = parse("rss092.xml");
    if (d) {
        CHECK_STR(d->version, "rss092");
        CHECK_INT(d->nentries, 1);
        CHECK(!d->bozo);
        feed_doc_free(d);
    }
    static const char u091[] = "<rss version=\"0.91\"><channel><title>U</title>"
                               "<item><title>x</title></item></channel></rss>";
    struct feed_doc *u = NULL;
    CHECK_INT(feed_parse_buffer(u091, sizeof(u091) - 1, NULL, &u, NULL), ACHIM_OK);
    if (u)
        CHECK_STR(u->version, "rss091u");
    feed_doc_free(u);
}

static void test_encodings(void)
{
    struct feed_doc *d = parse("latin1.xml");
    if (d) {
        CHECK_STR(d->encoding, "iso-8859-1");
        CHECK_STR(d->title, "Café Français");
        CHECK(!d->bozo);
        if (d->nentries == 1) {
            CHECK_STR(d->entries[0].title, "Été à Paris ©");
            CHECK_STR(d->entries[0].summary, "Naïve résumé");
        }
        feed_doc_free(d);
    }
    d = parse("cp1252-as-utf8.xml");
    if (d) {
        CHECK(d->bozo);
        CHECK_STR(d->encoding, "windows-1252");
        if (d->nentries == 1)
            CHECK_STR(d->entries[0].title, "Café “quoted”");
        feed_doc_free(d);
    }
    /* UTF-16 with a BOM, and a BOM-prefixed UTF-8 document */
    static const char utf8[] =
        "\xEF\xBB\xBF<rss version=\"2.0\"><channel><title>Bom \xC3\xA9</title>"
        "</channel></rss>";
    struct feed_doc *u = NULL;
    CHECK_INT(feed_parse_buffer(utf8, sizeof(utf8) - 1, NULL, &u, NULL), ACHIM_OK);
    if (u) {
        CHECK_STR(u->title, "Bom é");
        CHECK(!u->bozo);
    }
    feed_doc_free(u);
    const char *src = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel>"
                      "<title>Wide</title><item><title>w1</title></item></channel></rss>";
    size_t n = strlen(src);
    char *w = malloc(2 * n + 2);
    w[0] = (char)0xFF, w[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++)
        w[2 + 2 * i] = src[i], w[3 + 2 * i] = 0;
    u = NULL;
    CHECK_INT(feed_parse_buffer(w, 2 * n + 2, NULL, &u, NULL), ACHIM_OK);
    if (u) {
        CHECK_STR(u->encoding, "utf-16le");
        CHECK_STR(u->title, "Wide");
        CHECK_INT(u->nentries, 1);
    }
    feed_doc_free(u);
    free(w);
    /* the HTTP charset wins over the declaration (RFC 3023) */
    static const char l1[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\">"
                             "<channel><title>Caf\xE9</title></channel></rss>";
    struct feed_parse_opts o = {.content_type = "application/rss+xml; charset=ISO-8859-1"};
    u = NULL;
    CHECK_INT(feed_parse_buffer(l1, sizeof(l1) - 1, &o, &u, NULL), ACHIM_OK);
    if (u) {
        CHECK_STR(u->title, "Café");
        CHECK_STR(u->encoding, "iso-8859-1");
    }
    feed_doc_free(u);
}

static void test_broken_entities(void)
{
    struct feed_doc *d = parse("broken-entities.xml");
    if (!d)
        return;
    CHECK(d->bozo);
    CHECK_CONTAINS(d->bozo_message, "entity");
    CHECK_STR(d->title, "Broken Entities © 2026");
    CHECK_STR(d->link, "http://broken.example.com/?a=1&b=2");
    CHECK_INT(d->nentries, 2);
    if (d->nentries == 2) {
        struct article *a = &d->entries[0];
        CHECK_STR(a->title, "Café & Bar & Grill — &unknownthing; 5 < 6");
        CHECK_STR(a->url, "http://broken.example.com/item?x=1&y=2");
        CHECK_STR(a->summary, "Text … with entities");
        CHECK_INT(a->published, iso("2026-01-30T10:00:00Z"));
        CHECK_STR(d->entries[1].title, "Second survives");
    }
    feed_doc_free(d);
}

static void test_not_well_formed(void)
{
    struct feed_doc *d = parse("truncated.xml");
    if (d) {
        CHECK(d->bozo);
        CHECK_INT(d->nentries, 2);
        if (d->nentries == 2) {
            CHECK_STR(d->entries[0].summary, "All here");
            CHECK_STR(d->entries[1].title, "Cut short");
        }
        feed_doc_free(d);
    }
    /* mismatched tags early in the document must not lose later entries */
    static const char mm[] = "<rss version=\"2.0\"><channel><title>T</title><br>"
                             "<item><title>A</title><link>http://x.example/1</link></item>"
                             "<item><title>B</title></item></channel></rss>";
    struct feed_doc *u = NULL;
    CHECK_INT(feed_parse_buffer(mm, sizeof(mm) - 1, NULL, &u, NULL), ACHIM_OK);
    if (u) {
        CHECK(u->bozo);
        CHECK_INT(u->nentries, 2);
    }
    feed_doc_free(u);
    /* undeclared namespace prefixes are still understood */
    static const char ns[] = "<rss version=\"2.0\"><channel><item><title>t</title>"
                             "<dc:creator>Undeclared</dc:creator>"
                             "<content:encoded>&lt;p&gt;body&lt;/p&gt;</content:encoded>"
                             "</item></channel></rss>";
    u = NULL;
    CHECK_INT(feed_parse_buffer(ns, sizeof(ns) - 1, NULL, &u, NULL), ACHIM_OK);
    if (u && u->nentries == 1) {
        CHECK_STR(u->entries[0].authors, "Undeclared");
        CHECK_STR(u->entries[0].content, "body");
        CHECK(u->bozo);
    }
    feed_doc_free(u);
}

static void test_not_a_feed(void)
{
    struct err e = ERR_INIT;
    enum achim_code rc;
    struct feed_doc *d = parse_opts("html-page.xml", &default_opts, &rc, &e);
    CHECK_INT(rc, ACHIM_EPARSE);
    CHECK(d == NULL);
    CHECK_STR(e.msg, "not a feed: root element <html>");

    struct feed_doc *u = (struct feed_doc *)&e; /* must be reset to NULL */
    CHECK_INT(feed_parse_buffer("", 0, NULL, &u, &e), ACHIM_EPARSE);
    CHECK(u == NULL);
    CHECK_INT(feed_parse_buffer(" \n\t ", 4, NULL, &u, &e), ACHIM_EPARSE);
    CHECK_CONTAINS(e.msg, "empty");
    static const char svg[] = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    CHECK_INT(feed_parse_buffer(svg, sizeof(svg) - 1, NULL, &u, &e), ACHIM_EPARSE);
    CHECK_STR(e.msg, "not a feed: root element <svg>");
    static const char txt[] = "just some words";
    CHECK_INT(feed_parse_buffer(txt, sizeof(txt) - 1, NULL, &u, &e), ACHIM_EPARSE);
    static const char js[] = "{\"hello\": 1}";
    CHECK_INT(feed_parse_buffer(js, sizeof(js) - 1, NULL, &u, &e), ACHIM_EPARSE);
    CHECK_CONTAINS(e.msg, "jsonfeed");
    static const char badjs[] = "{\"version\": \"https://jsonfeed.org/version/1.1\", ";
    CHECK_INT(feed_parse_buffer(badjs, sizeof(badjs) - 1, NULL, &u, &e), ACHIM_EPARSE);
    CHECK(u == NULL);
    CHECK_INT(feed_parse_buffer("<rss/>", 6, NULL, NULL, &e), ACHIM_EINVAL);
}

static void test_xxe(void)
{
    struct feed_doc *d = parse("xxe.xml");
    if (!d)
        return;
    CHECK_STR(d->title, "XXE plain text"); /* literal internal entity kept */
    CHECK(d->bozo);
    if (d->nentries == 1) {
        struct article *a = &d->entries[0];
        CHECK_STR(a->title, "Leak: &xxe;");
        CHECK(!strstr(a->summary ? a->summary : "", "root:"));
        CHECK(!strstr(a->content_html ? a->content_html : "", "root:"));
    } else {
        CHECK_INT(d->nentries, 1);
    }
    feed_doc_free(d);
}

static void test_billion_laughs(void)
{
    clock_t t0 = clock();
    struct feed_doc *d = parse("billion-laughs.xml");
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 1.0);
    if (!d)
        return;
    CHECK(d->bozo);
    if (d->nentries == 1)
        CHECK(strlen(d->entries[0].title ? d->entries[0].title : "") < 100);
    feed_doc_free(d);
}

static void test_hostile_html(void)
{
    struct feed_doc *d = parse("hostile-html.xml");
    if (!d)
        return;
    CHECK_INT(d->nentries, 1);
    if (d->nentries == 1) {
        struct article *a = &d->entries[0];
        const char *h = a->content_html ? a->content_html : "";
        CHECK_STR(a->title, "Hostile content");
        CHECK(!strstr(h, "script"));
        CHECK(!strstr(h, "onclick"));
        CHECK(!strstr(h, "onerror"));
        CHECK(!strstr(h, "javascript"));
        CHECK(!strstr(h, "vbscript"));
        CHECK(!strstr(h, "data:"));
        CHECK(!strstr(h, "iframe"));
        CHECK(!strstr(h, "frame text"));
        CHECK(!strstr(h, "style="));
        CHECK(!strstr(h, "<style"));
        CHECK(!strstr(h, "display:none"));
        CHECK(!strstr(h, "<form"));
        CHECK(!strstr(h, "<embed"));
        CHECK_CONTAINS(h, "<p>Safe text</p>");
        CHECK_CONTAINS(h, "<img src=\"https://fixtures.example/feeds/x.png\" alt=\"pic\" />");
        CHECK_CONTAINS(h,
                       "<a href=\"https://fixtures.example/relative/path\" title=\"ok\">rel</a>");
        CHECK_CONTAINS(a->summary, "Safe text");
        CHECK(!strstr(a->summary, "document.cookie"));
    }
    feed_doc_free(d);
}

static void test_http_context(void)
{
    static const char x[] = "<rss version=\"2.0\"><channel><title>T</title><item><title>a</title>"
                            "<link>rel/1</link></item></channel></rss>";
    struct feed_parse_opts o = {.url = "http://h.example/feeds/rss",
                                .content_location = "/other/place.xml",
                                .content_language = "ko"};
    struct feed_doc *d = NULL;
    CHECK_INT(feed_parse_buffer(x, sizeof(x) - 1, &o, &d, NULL), ACHIM_OK);
    if (d) {
        CHECK_STR(d->language, "ko");
        if (d->nentries == 1) {
            CHECK_STR(d->entries[0].url, "http://h.example/other/rel/1");
            CHECK_STR(d->entries[0].language, "ko");
        }
    }
    feed_doc_free(d);
}

static void test_limits(void)
{
    /* max_field caps text fields at a character boundary */
    static const char x[] =
        "<rss version=\"2.0\"><channel><title>T</title><item>"
        "<title>ééééééééééééééééééééé</title>"
        "<description>0123456789abcdefghij</description></item></channel></rss>";
    struct feed_parse_opts o = {.max_field = 9};
    struct feed_doc *d = NULL;
    CHECK_INT(feed_parse_buffer(x, sizeof(x) - 1, &o, &d, NULL), ACHIM_OK);
    if (d && d->nentries == 1) {
        CHECK_STR(d->entries[0].title, "éééé");
        CHECK(strlen(d->entries[0].summary) <= 9);
    }
    feed_doc_free(d);

    /* deep nesting ends in bozo, not a stack overflow */
    struct buf b = BUF_INIT;
    buf_addstr(&b, "<rss version=\"2.0\"><channel><item><title>deep</title><description>");
    for (int i = 0; i < 5000; i++)
        buf_addstr(&b, "<d>");
    buf_addstr(&b, "x");
    for (int i = 0; i < 5000; i++)
        buf_addstr(&b, "</d>");
    buf_addstr(&b, "</description></item></channel></rss>");
    d = NULL;
    CHECK_INT(feed_parse_buffer(b.ptr, b.len, NULL, &d, NULL), ACHIM_OK);
    if (d)
        CHECK(d->bozo);
    feed_doc_free(d);
    buf_release(&b);

    /* many entries stream through */
    buf_addstr(&b, "<rss version=\"2.0\"><channel><title>many</title>");
    for (int i = 0; i < 20000; i++)
        buf_addf(&b, "<item><title>n%d</title><link>http://m.example/%d</link></item>", i, i);
    buf_addstr(&b, "</channel></rss>");
    d = NULL;
    CHECK_INT(feed_parse_buffer(b.ptr, b.len, NULL, &d, NULL), ACHIM_OK);
    if (d) {
        CHECK_INT(d->nentries, 20000);
        CHECK(!d->bozo);
        if (d->nentries == 20000)
            CHECK_STR(d->entries[19999].title, "n19999");
    }
    feed_doc_free(d);
    buf_release(&b);
}

/* ---- shared corpus ------------------------------------------------------- */

struct corpus_stats {
    int files, ok, bozo, eparse, entries;
};

static void corpus_file(const char *path, struct corpus_stats *st)
{
    struct buf b = BUF_INIT;
    struct err e = ERR_INIT;
    b.max = 64 * 1024 * 1024;
    if (file_read_all(path, &b, &e) != ACHIM_OK) {
        buf_release(&b);
        return;
    }
    st->files++;
    struct feed_doc *d = NULL;
    enum achim_code rc = feed_parse_buffer(b.ptr, b.len, &default_opts, &d, &e);
    if (rc == ACHIM_OK) {
        st->ok++;
        st->bozo += d->bozo;
        st->entries += (int)d->nentries;
    } else {
        st->eparse++;
        if (getenv("ACHIM_CORPUS_VERBOSE"))
            fprintf(stderr, "  %s: %s\n", path, e.msg);
    }
    CHECK((rc == ACHIM_OK) == (d != NULL));
    feed_doc_free(d);
    buf_release(&b);
}

static void corpus_walk_file(const char *path, const char *name, void *st)
{
    if (!str_starts_with(name, "LICENSE"))
        corpus_file(path, st);
}

static void test_shared_corpus(void)
{
    const char *shared = getenv("ACHIM_SHARED");
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/corpus/feeds", shared ? shared : "../shared");
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        printf("skip - corpus: %s not found\n", dir);
        return;
    }
    struct corpus_stats st = {0};
    test_walk_files(dir, 8, corpus_walk_file, &st);
    printf("# corpus: %d files, %d parsed (%d bozo, %d entries), %d not a feed\n", st.files, st.ok,
           st.bozo, st.entries, st.eparse);
    CHECK(st.files > 0);
}

TESTS(TEST(test_rss20), TEST(test_atom10), TEST(test_atom03), TEST(test_jsonfeed), TEST(test_rdf),
      TEST(test_rss09x), TEST(test_encodings), TEST(test_broken_entities),
      TEST(test_not_well_formed), TEST(test_not_a_feed), TEST(test_xxe), TEST(test_billion_laughs),
      TEST(test_hostile_html), TEST(test_http_context), TEST(test_limits), TEST(test_shared_corpus))
