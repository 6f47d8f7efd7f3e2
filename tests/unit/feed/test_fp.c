/* SPDX-License-Identifier: MIT */
/* test_fp.c: feedparser's rules as achim's parser reproduces them.
 *
 * Each test parses a small document (a fixture in tests/fixtures/feeds or
 * an inline string) with opts.detail set and checks the feedparser-shaped
 * result `achim parse --json` prints: sanitising, URI resolution, the Atom
 * XHTML wrapper, encodings by RFC 3023, authors, enclosures, GeoRSS,
 * iTunes, dates, and the ingest view of the same entries. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "base/util.h"
#include "feed/feed.h"

static cJSON *root;
static struct feed_doc *doc;

static void release(void)
{
    cJSON_Delete(root);
    feed_doc_free(doc);
    root = NULL;
    doc = NULL;
}

static bool parse_opts(const char *data, size_t len, const struct feed_parse_opts *o0)
{
    release();
    struct feed_parse_opts o = o0 ? *o0 : (struct feed_parse_opts){0};
    o.detail = true;
    if (feed_parse_buffer(data, len, &o, &doc, NULL) != ACHIM_OK)
        return false;
    root = feed_detail_take(doc);
    return root != NULL;
}

static bool parse_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "tests/fixtures/feeds/%s", name);
    struct buf b = BUF_INIT;
    bool ok = file_read_all(path, &b, NULL) == ACHIM_OK && parse_opts(b.ptr, b.len, NULL);
    buf_release(&b);
    return ok;
}

/* Value at a path like "entries.0.summary_detail.type"; NULL if absent. */
static const cJSON *at(const char *path)
{
    const cJSON *n = root;
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    char *save = NULL;
    for (char *k = strtok_r(buf, ".", &save); k && n; k = strtok_r(NULL, ".", &save)) {
        if (cJSON_IsArray(n))
            n = cJSON_GetArrayItem(n, atoi(k));
        else
            n = cJSON_GetObjectItemCaseSensitive(n, k);
    }
    return n;
}

static const char *str_at(const char *path)
{
    const cJSON *n = at(path);
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

static double num_at(const char *path)
{
    const cJSON *n = at(path);
    return cJSON_IsNumber(n) ? n->valuedouble : -1e9;
}

static void test_sanitise_and_resolve(void)
{
    CHECK(parse_file("fp-rules.xml"));
    /* on* handlers, script content, unsafe CSS and javascript: go; attributes
     * are lower-cased and sorted; void elements close; relative links resolve
     * against xml:base; an unknown entity becomes "&amp;name" */
    CHECK_STR(str_at("entries.0.summary"),
              "<p class=\"a\" id=\"b\">Hi <a href=\"http://rules.example/base/rel/page\">there</a>"
              "<br /><span style=\"color: red;\">s</span><a href=\"\">js</a>&amp;bogus</p>");
    CHECK_STR(str_at("entries.0.summary_detail.type"), "text/html");
    CHECK_STR(str_at("entries.0.title"), "First & best");
    CHECK_STR(str_at("entries.0.title_detail.type"), "text/plain");
    release();
}

static void test_guid_link_and_authors(void)
{
    CHECK(parse_file("fp-rules.xml"));
    /* a permalink guid is resolved and becomes the link; isPermaLink="false" does not */
    CHECK_STR(str_at("entries.0.id"), "http://rules.example/base/item/1");
    CHECK_STR(str_at("entries.0.link"), "http://rules.example/base/item/1");
    CHECK(cJSON_IsTrue(at("entries.0.guidislink")));
    CHECK_STR(str_at("entries.1.id"), "tag:rules.example,2026:2");
    CHECK(cJSON_IsFalse(at("entries.1.guidislink")));
    CHECK(at("entries.1.link") == NULL);
    /* "Name (email)" splits; several dc:creator make several authors */
    CHECK_STR(str_at("feed.author_detail.name"), "Jo Writer");
    CHECK_STR(str_at("feed.author_detail.email"), "jo@rules.com");
    CHECK_STR(str_at("entries.0.authors.0.name"), "First Author");
    CHECK_STR(str_at("entries.0.authors.1.name"), "Second Author");
    /* the store keeps the guid as written, authors joined */
    CHECK_INT(doc->nentries, 2);
    if (doc->nentries == 2) {
        CHECK_STR(doc->entries[0].guid, "item/1");
        CHECK_STR(doc->entries[0].authors, "First Author, Second Author");
    }
    release();
}

static void test_enclosure_tags_dates_geo_itunes(void)
{
    CHECK(parse_file("fp-rules.xml"));
    CHECK_STR(str_at("entries.0.links.0.rel"), "enclosure");
    CHECK_STR(str_at("entries.0.links.0.length"), "123");
    CHECK_STR(str_at("entries.0.tags.0.term"), "Tech");
    CHECK_STR(str_at("entries.0.tags.0.scheme"), "http://rules.example/cats");
    CHECK(cJSON_IsNull(at("entries.0.tags.0.label")));
    /* +0100 is applied: 09:15 UTC, a Saturday (5), day 31 of the year */
    CHECK_INT(num_at("entries.0.published_parsed.3"), 9);
    CHECK_INT(num_at("entries.0.published_parsed.6"), 5);
    CHECK_INT(num_at("entries.0.published_parsed.7"), 31);
    /* GeoRSS "lat lon" is reported as (lon, lat) */
    CHECK_STR(str_at("entries.0.where.type"), "Point");
    CHECK(num_at("entries.0.where.coordinates.0") == -71.92);
    CHECK(num_at("entries.0.where.coordinates.1") == 45.256);
    CHECK(cJSON_IsTrue(at("entries.0.itunes_explicit")));
    CHECK(cJSON_IsFalse(at("feed.itunes_explicit")));
    release();
}

static void test_atom_xhtml_and_lang(void)
{
    CHECK(parse_file("fp-atom-xhtml.xml"));
    /* the wrapping xhtml <div> is not content */
    CHECK_STR(str_at("feed.title"), "An <b>XHTML</b> title");
    CHECK_STR(str_at("feed.title_detail.type"), "application/xhtml+xml");
    CHECK_STR(str_at("feed.language"), "en");
    CHECK_STR(str_at("entries.0.title_detail.language"), "de");
    CHECK_STR(str_at("entries.0.link"), "http://atom.example/feed/entries/1");
    CHECK_STR(str_at("entries.0.content.0.value"),
              "<p>Ein <img src=\"http://atom.example/feed/pic.png\" /> Bild</p>");
    CHECK_STR(str_at("entries.0.author"), "Ann (ann@atom.example)");
    CHECK_STR(str_at("entries.0.links.1.href"), "http://atom.example/m.ogg");
    if (doc->nentries == 1) {
        CHECK_STR(doc->entries[0].language, "de");
        CHECK_STR(doc->entries[0].authors, "Ann");
    }
    release();
}

static void test_rfc3023_encodings(void)
{
    static const char latin[] =
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
        "<rss version=\"2.0\"><channel><title>Caf\xE9</title></channel></rss>";
    /* a local file: the declaration counts */
    CHECK(parse_opts(latin, sizeof(latin) - 1, NULL));
    CHECK_STR(str_at("encoding"), "iso-8859-1");
    CHECK_STR(str_at("feed.title"), "Caf\xC3\xA9");
    CHECK(cJSON_IsFalse(at("bozo")));
    /* text/xml without charset means us-ascii, which fails: overridden, bozo */
    struct feed_parse_opts o = {.content_type = "text/xml", .http = true};
    CHECK(parse_opts(latin, sizeof(latin) - 1, &o));
    CHECK(cJSON_IsTrue(at("bozo")));
    CHECK_STR(str_at("bozo_exception.type"), "CharacterEncodingOverride");
    CHECK_STR(str_at("encoding"), "iso-8859-1");
    /* application/xml trusts the declaration; gb2312 reads as gb18030 */
    static const char gb[] = "<?xml version=\"1.0\" encoding=\"gb2312\"?>"
                             "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>";
    o.content_type = "application/atom+xml";
    CHECK(parse_opts(gb, sizeof(gb) - 1, &o));
    CHECK_STR(str_at("encoding"), "gb18030");
    CHECK(cJSON_IsFalse(at("bozo")));
    /* a non-XML media type is bozo */
    o.content_type = "text/plain; charset=utf-8";
    CHECK(parse_opts(gb, sizeof(gb) - 1, &o));
    CHECK_STR(str_at("bozo_exception.type"), "NonXMLContentType");
    release();
}

static void test_undeclared_prefix_and_not_a_feed(void)
{
    static const char undecl[] = "<rss version=\"2.0\"><channel><item><dc:creator>Kim</dc:creator>"
                                 "</item></channel></rss>";
    CHECK(parse_opts(undecl, sizeof(undecl) - 1, NULL));
    CHECK(cJSON_IsTrue(at("bozo")));
    CHECK_STR(str_at("entries.0.author"), "Kim");
    /* --json reports any document; ingest refuses one that is no feed */
    static const char html[] = "<html><body><p>hi</p></body></html>";
    CHECK(parse_opts(html, sizeof(html) - 1, NULL));
    CHECK_STR(str_at("version"), "");
    release();
    struct feed_doc *d = NULL;
    struct err e = ERR_INIT;
    CHECK_INT(feed_parse_buffer(html, sizeof(html) - 1, NULL, &d, &e), ACHIM_EPARSE);
    CHECK_STR(e.msg, "not a feed: root element <html>");
}

static void test_sanitiser_edges(void)
{
    /* a start tag without attributes (a libFuzzer finding: qsort of an empty
     * attribute list), comments kept, CDATA inside HTML escaped */
    static const char x[] =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"html\">"
        "&lt;b&gt;x&lt;/b&gt;&lt;!-- c --&gt;&lt;style&gt;p{}&lt;/style&gt;&lt;IMG SRC=a.png&gt;"
        "</content></entry></feed>";
    struct feed_parse_opts o = {.url = "http://s.example/f/"};
    CHECK(parse_opts(x, sizeof(x) - 1, &o));
    CHECK_STR(str_at("entries.0.content.0.value"),
              "<b>x</b><!-- c --><img src=\"http://s.example/f/a.png\" />");
    release();
}

static void test_nul_bytes(void)
{
    /* UTF-8 text holding NUL bytes: dropped, bozo, nothing read past the end */
    static const char x[] = "<rss version=\"2.0\"><channel><title>a\0b</title>"
                            "<item><title>x</title></item></channel></rss>";
    CHECK(parse_opts(x, sizeof(x) - 1, NULL));
    CHECK(cJSON_IsTrue(at("bozo")));
    CHECK_STR(str_at("feed.title"), "ab");
    CHECK_STR(str_at("entries.0.title"), "x");
    release();
}

static void test_jsonfeed_dates(void)
{
    CHECK(parse_file("jsonfeed11.json"));
    /* date_published / date_modified become published(_parsed) and
     * updated(_parsed), in UTC; an unparseable date gives neither */
    CHECK_STR(str_at("entries.0.published"), "2026-01-31T07:00:00Z");
    CHECK_INT((long long)num_at("entries.0.published_parsed.0"), 2026);
    CHECK_INT((long long)num_at("entries.0.published_parsed.1"), 1);
    CHECK_INT((long long)num_at("entries.0.published_parsed.2"), 31);
    CHECK_INT((long long)num_at("entries.0.published_parsed.3"), 7);
    CHECK_INT((long long)num_at("entries.0.published_parsed.6"), 5); /* Saturday */
    CHECK_INT((long long)num_at("entries.0.published_parsed.7"), 31);
    CHECK_STR(str_at("entries.0.updated"), "2026-01-31T09:00:00Z");
    CHECK_INT((long long)num_at("entries.0.updated_parsed.3"), 9);
    CHECK(at("entries.1.published") == NULL);
    CHECK(at("entries.1.published_parsed") == NULL);
    CHECK(at("entries.1.updated") == NULL);
    release();
}

TESTS(TEST(test_nul_bytes), TEST(test_jsonfeed_dates), TEST(test_sanitise_and_resolve),
      TEST(test_guid_link_and_authors), TEST(test_enclosure_tags_dates_geo_itunes),
      TEST(test_atom_xhtml_and_lang), TEST(test_rfc3023_encodings),
      TEST(test_undeclared_prefix_and_not_a_feed), TEST(test_sanitiser_edges))
