/* SPDX-License-Identifier: MIT */
/* test_fpshort.c: more shortcuts of the parser give the answers of the long
 * way round.
 *
 * An element that another one covers gives its text buffer back (fp.c,
 * elem_cover); attribute values live in one buffer per element, and
 * handlers that replace one (enclosure and generator hrefs) own the
 * replacement; a tag's term is hashed to find equal tags; a content
 * element copies itself to the summary only when there is none; the
 * xml:base in effect is compared with the scope below only when it may
 * differ; feed_list_add looks for a duplicate only when the name occurs
 * in the list; links are checked against a table of URL character
 * classes; chardet scores runs of ASCII without classifying each byte.
 * The expected values are those the parser gave before the shortcuts. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "base/buf.h"
#include "feed/feed.h"
#include "feed/feed_int.h"

static struct feed_doc *parse(const char *xml, bool detail, cJSON **root)
{
    struct feed_doc *d = NULL;
    struct feed_parse_opts o = {.url = "http://example.com/feed", .detail = detail};
    if (feed_parse_buffer(xml, strlen(xml), &o, &d, NULL) != ACHIM_OK)
        return NULL;
    if (root)
        *root = detail ? feed_detail_take(d) : NULL;
    return d;
}

static const char *entry_str(cJSON *root, int i, const char *key)
{
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "entries"), i);
    cJSON *v = cJSON_GetObjectItem(e, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* An unknown element in the slot a long text used in the entry before
 * keeps its own text when a child covers it, and the child's text is its
 * own: after an RSS description (a long text leaves pop() with its
 * buffer) and after Atom XHTML content (whose slot keeps its large buffer
 * until an element there is covered, then gives it back). */
static void test_covered_element_keeps_text(void)
{
    struct buf big = BUF_INIT, x = BUF_INIT;
    for (int i = 0; i < 1000; i++)
        buf_addstr(&big, "word ");
    buf_addf(&x,
             "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>T</title>\n"
             "<item><title>one</title><description>%s</description>"
             "<foo>abc<bar>z</bar>def</foo></item>\n"
             "<item><title>two</title><description>%s</description>"
             "<baz>q<qux>r</qux>s<qux>t</qux>u</baz></item>\n"
             "</channel></rss>\n",
             big.ptr, big.ptr);
    cJSON *root = NULL;
    struct feed_doc *d = parse(x.ptr, true, &root);
    CHECK(d && root);
    if (d && root) {
        CHECK_INT(d->nentries, 2);
        CHECK_STR(entry_str(root, 0, "foo"), "abcdef");
        CHECK_STR(entry_str(root, 0, "bar"), "z");
        CHECK_STR(entry_str(root, 1, "baz"), "qsu");
        CHECK_STR(entry_str(root, 1, "qux"), "t");
        CHECK_INT(strlen(entry_str(root, 1, "summary")), 1000 * 5 - 1);
    }
    cJSON_Delete(root);
    feed_doc_free(d);

    buf_reset(&big);
    buf_reset(&x);
    for (int i = 0; i < 1000; i++)
        buf_addstr(&big, "<b>w</b> ");
    buf_addf(
        &x,
        "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\n"
        "<entry><id>1</id><title>one</title><content type=\"xhtml\"><div "
        "xmlns=\"http://www.w3.org/1999/xhtml\">%s</div></content></entry>\n"
        "<entry>\n <id>2</id><title>two</title><foo>abc<bar>z</bar>def</foo></entry>\n</feed>\n",
        big.ptr);
    root = NULL;
    d = parse(x.ptr, true, &root);
    CHECK(d && root);
    if (d && root) {
        CHECK_INT(d->nentries, 2);
        CHECK_STR(entry_str(root, 1, "foo"), "abcdef");
        CHECK_STR(entry_str(root, 1, "bar"), "z");
        if (d->nentries == 2) {
            CHECK_INT(strlen(d->entries[0].content), 1999);
            CHECK_INT(strlen(d->entries[0].content_html), 8999);
        }
    }
    cJSON_Delete(root);
    feed_doc_free(d);
    buf_release(&big);
    buf_release(&x);
}

/* Attribute values: references decoded, keys lower-cased (the last of two
 * that then agree wins), rel and type lower-cased, and an href a handler
 * resolves or copies (generator uri, enclosure url) owned by the list. */
static void test_attribute_values(void)
{
    const char *atom =
        "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
        "xml:base=\"http://example.com/a/\"><title>T</title>"
        "<generator uri=\"/gen?a=1&amp;b=2\" version=\"1&#46;0\">G</generator>"
        "<entry><id>1</id><title>one</title><link rel=\"ALTERNATE\" Type=\"Text/HTML\" "
        "type=\"TEXT/html\" href=\"x?p=1&amp;q=&#50;\"/>"
        "<link rel=\"enclosure\" href=\"/m.mp3\" length=\"5\" "
        "type=\"Audio/MPEG\"/></entry></feed>\n";
    cJSON *root = NULL;
    struct feed_doc *d = parse(atom, true, &root);
    CHECK(d && root);
    if (d && root) {
        cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "entries"), 0);
        char *links = cJSON_PrintUnformatted(cJSON_GetObjectItem(e, "links"));
        CHECK_STR(links, "[{\"rel\":\"alternate\",\"type\":\"text/html\",\"href\":"
                         "\"http://example.com/a/x?p=1&q=2\"},{\"rel\":\"enclosure\",\"href\":"
                         "\"http://example.com/m.mp3\",\"length\":\"5\",\"type\":\"audio/mpeg\"}]");
        free(links);
        char *gen = cJSON_PrintUnformatted(
            cJSON_GetObjectItem(cJSON_GetObjectItem(root, "feed"), "generator_detail"));
        CHECK_STR(gen, "{\"href\":\"http://example.com/gen?a=1&b=2\",\"version\":\"1.0\","
                       "\"name\":\"G\"}");
        free(gen);
        CHECK_STR(d->entries[0].url, "http://example.com/a/x?p=1&q=2");
    }
    cJSON_Delete(root);
    feed_doc_free(d);

    const char *rss =
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>T</title>"
        "<item><title>one</title><enclosure url=\"http://e.example/a.mp3?x=1&amp;y=&#50;\" "
        "length=\"5\" type=\"Audio/MPEG\"/></item></channel></rss>\n";
    root = NULL;
    d = parse(rss, true, &root);
    CHECK(d && root);
    if (d && root) {
        cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "entries"), 0);
        char *links = cJSON_PrintUnformatted(cJSON_GetObjectItem(e, "links"));
        CHECK_STR(links, "[{\"href\":\"http://e.example/a.mp3?x=1&y=2\",\"length\":\"5\","
                         "\"type\":\"audio/mpeg\",\"rel\":\"enclosure\"}]");
        free(links);
    }
    cJSON_Delete(root);
    feed_doc_free(d);
}

/* Equal tags are kept once, a term set late (a category with a domain
 * gets its term when it closes) is found like any other. */
static void test_tags_by_term(void)
{
    const char *rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>T</title>"
                      "<item><title>one</title><category>a</category><category>a</category>"
                      "<category>b</category><category domain=\"d\">a</category>"
                      "<category>a</category><category domain=\"d\">a</category></item>"
                      "</channel></rss>\n";
    cJSON *root = NULL;
    struct feed_doc *d = parse(rss, true, &root);
    CHECK(d && root);
    if (d && root) {
        cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "entries"), 0);
        char *tags = cJSON_PrintUnformatted(cJSON_GetObjectItem(e, "tags"));
        /* the last category opens a new tag (no term yet, so unlike any)
         * and fills its term in: feedparser's own duplicate */
        CHECK_STR(tags, "[{\"term\":\"a\",\"scheme\":null,\"label\":null},{\"term\":\"b\","
                        "\"scheme\":null,\"label\":null},{\"term\":\"a\",\"scheme\":\"d\","
                        "\"label\":null},{\"term\":\"a\",\"scheme\":\"d\",\"label\":null}]");
        free(tags);
        CHECK_STR(d->entries[0].tags, "a, b");
    }
    cJSON_Delete(root);
    feed_doc_free(d);
    d = parse(rss, false, NULL);
    CHECK(d && d->nentries == 1);
    if (d && d->nentries == 1)
        CHECK_STR(d->entries[0].tags, "a, b");
    feed_doc_free(d);
}

/* Content becomes the summary only when there is none yet; a description
 * after it still wins, as in feedparser. */
static void test_content_and_summary(void)
{
    const char *rss =
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" "
        "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>T</title>"
        "<item><title>one</title><content:encoded>&lt;p&gt;full &lt;b&gt;one&lt;/b&gt;&lt;/p&gt;"
        "</content:encoded></item>"
        "<item><title>two</title><description>teaser two</description>"
        "<content:encoded>&lt;p&gt;full two&lt;/p&gt;</content:encoded></item>"
        "<item><title>three</title><content:encoded>&lt;p&gt;full three&lt;/p&gt;"
        "</content:encoded><description>late teaser</description></item>"
        "</channel></rss>\n";
    for (int detail = 0; detail < 2; detail++) {
        cJSON *root = NULL;
        struct feed_doc *d = parse(rss, detail, &root);
        CHECK(d != NULL);
        if (!d)
            continue;
        CHECK_INT(d->nentries, 3);
        if (d->nentries == 3) {
            CHECK_STR(d->entries[0].summary, "full one");
            CHECK_STR(d->entries[0].content_html, "<p>full <b>one</b></p>");
            CHECK_STR(d->entries[1].summary, "teaser two");
            CHECK_STR(d->entries[1].content, "full two");
            CHECK_STR(d->entries[2].summary, "late teaser");
            CHECK_STR(d->entries[2].content, "full three");
        }
        if (root) {
            CHECK_STR(entry_str(root, 0, "summary"), "<p>full <b>one</b></p>");
            CHECK_STR(entry_str(root, 1, "summary"), "teaser two");
        }
        cJSON_Delete(root);
        feed_doc_free(d);
    }
}

/* The base in effect after an element that changed it, after one that
 * set it to what it already was, and after a nested change. */
static void test_base_after_scopes(void)
{
    const char *atom =
        "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
        "xml:base=\"http://example.com/root/\"><title>T</title>"
        "<entry><id>1</id><title>one</title><content type=\"html\" "
        "xml:base=\"http://other.example/in/\">&lt;a href=\"c.html\"&gt;c&lt;/a&gt;</content>"
        "<link href=\"after.html\"/></entry>"
        "<entry xml:base=\"http://example.com/root/\"><id>2</id><title>two</title>"
        "<link href=\"same.html\"/><summary type=\"html\" xml:base=\"deeper/\">&lt;a "
        "href=\"s.html\"&gt;s&lt;/a&gt;</summary></entry>"
        "<entry><id>3</id><title>three</title><link href=\"three.html\"/></entry></feed>\n";
    struct feed_doc *d = parse(atom, false, NULL);
    CHECK(d && d->nentries == 3);
    if (d && d->nentries == 3) {
        CHECK_STR(d->entries[0].url, "http://example.com/root/after.html");
        CHECK_STR(d->entries[0].content_html, "<a href=\"http://other.example/in/c.html\">c</a>");
        CHECK_STR(d->entries[1].url, "http://example.com/root/same.html");
        CHECK_STR(d->entries[1].content_html,
                  "<a href=\"http://example.com/root/deeper/s.html\">s</a>");
        CHECK_STR(d->entries[2].url, "http://example.com/root/three.html");
    }
    feed_doc_free(d);
}

/* A name is a duplicate only of a whole item: not of a longer item it
 * occurs in, nor of an item holding a comma (which splits it); an item
 * after a leading comma counts. */
static void test_list_add_whole_items(void)
{
    struct buf l = BUF_INIT;
    const char *names[] = {"Technology", "Tech", "Tech", "olo",        " Tech ", "a,b",
                           "a,b",        ",x",   "x",    "Technology", "echn"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        feed_list_add(&l, names[i]);
    CHECK_STR(l.ptr, "Technology, Tech, olo, a,b, a,b, ,x, echn");
    buf_release(&l);
}

static void check_url(const char *ref, const char *resolved, const char *canonical)
{
    char *r = feed_url_resolve("http://base.example/d/", ref);
    char *c = feed_url_canonical(ref);
    CHECK_STR(r, resolved);
    CHECK_STR(c, canonical);
    free(r);
    free(c);
}

/* Each class of the URL character table, and its neighbours. */
static void test_url_character_classes(void)
{
    check_url("http://a.example/~u/(x)*!$'+,;=:@", "http://a.example/~u/(x)*!$'+,;=:@",
              "http://a.example/~u/(x)*!$'+,;=:@");
    check_url("http://a.example/p?x#y#z", "http://a.example/p?x#y#z", "http://a.example/p?x");
    check_url("http://a.example/a/.b", "http://a.example/a/.b", "http://a.example/a/.b");
    check_url("http://a.example/p/./q?r", "http://a.example/p/q?r", "http://a.example/p/q?r");
    check_url("http://a.example/p/q?r/./s", "http://a.example/p/q?r/./s",
              "http://a.example/p/q?r/./s");
    check_url("http://a.example/%41", "http://a.example/%41", "http://a.example/%41");
    check_url("http://a.example/p?#f", "http://a.example/p#f", "http://a.example/p");
    check_url("http://a.example/p?q#", "http://a.example/p?q", "http://a.example/p?q");
    check_url("http://a.example/a b", "http://a.example/a%20b", "http://a.example/a%20b");
    check_url("http://a.example/x\"y", "http://a.example/x\"y", "http://a.example/x\"y");
    check_url("http://a.example/x{y}", "http://a.example/x{y}", "http://a.example/x{y}");
    check_url("http://a.example/\xc3\xa9", "http://a.example/%c3%a9", "http://a.example/%c3%a9");
}

/* A Latin-1 document, mostly ASCII: the guess and its margin over random
 * bytes are those of scoring every character one by one. */
static void test_chardet_ascii_runs(void)
{
    const char *latin = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
                        "<title>Caf\xe9 cr\xe8me</title><item><title>Ol\xe1 \xe0 todos, \xc9 isto"
                        "</title><description>S\xe3o Paulo, Bras\xedlia e \xc1gua Branca"
                        "</description></item></channel></rss>\n";
    double margin = 0;
    const char *g = feed_chardet_detail(latin, strlen(latin), &margin);
    CHECK_STR(g, "windows-1252");
    CHECK(fabs(margin - 11.175063229111288) < 1e-9);
}

TESTS(TEST(test_covered_element_keeps_text), TEST(test_attribute_values), TEST(test_tags_by_term),
      TEST(test_content_and_summary), TEST(test_base_after_scopes), TEST(test_list_add_whole_items),
      TEST(test_url_character_classes), TEST(test_chardet_ascii_runs))
