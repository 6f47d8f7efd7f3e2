/* SPDX-License-Identifier: MIT */
/* test_fpnames.c: the shortcuts of the SAX pass give feedparser's answers.
 *
 * fp.c works out what an element name means once per (local name, prefix,
 * namespace URI) and forgets it when a declaration changes the namespace
 * maps; the xml:base and xml:lang scopes share strings between elements;
 * fpglue.c returns an absolute http(s) link unchanged without splitting it;
 * prep.c copies the XML entities and runs of text at once. Each test parses
 * a document where the shortcut could go wrong and checks the article
 * fields, or calls the helper on the edge cases of its fast path. */
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "base/xalloc.h"
#include "feed/feed.h"
#include "feed/feed_int.h"

static struct feed_doc *parse(const char *xml, const char *url)
{
    struct feed_doc *d = NULL;
    struct feed_parse_opts o = {.url = url};
    if (feed_parse_buffer(xml, strlen(xml), &o, &d, NULL) != ACHIM_OK)
        return NULL;
    return d;
}

/* A prefix declared again with another URI keeps feedparser's first
 * mapping of that prefix (its namespace map is never reset); a prefix
 * declared on the element that uses it, and an unknown namespace, are
 * named as they are declared. */
static void test_names_follow_declarations(void)
{
    const char *xml =
        "<?xml version=\"1.0\"?>\n"
        "<rss version=\"2.0\" "
        "xmlns:a=\"http://purl.org/dc/elements/1.1/\"><channel><title>T</title>\n"
        "<item><title>one</title><a:creator>Ann</a:creator></item>\n"
        "<item xmlns:a=\"http://example.com/other\"><title>two</title><a:creator>Bob</a:creator>"
        "</item>\n"
        "<item><title>three</title><a:creator>Cy</a:creator></item>\n"
        "<item xmlns:b=\"http://purl.org/dc/elements/1.1/\"><title>four</title>"
        "<b:creator>Di</b:creator><a:creator>Ed</a:creator></item>\n"
        "<item xmlns:x=\"http://example.com/x\"><title>five</title><x:creator>Fay</x:creator>"
        "<c:creator xmlns:c=\"http://purl.org/dc/elements/1.1/\">Gus</c:creator></item>\n"
        "</channel></rss>\n";
    struct feed_doc *d = parse(xml, NULL);
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_INT(d->nentries, 5);
    if (d->nentries == 5) {
        CHECK_STR(d->entries[0].authors, "Ann");
        CHECK_STR(d->entries[1].authors, "Bob");
        CHECK_STR(d->entries[2].authors, "Cy");
        CHECK_STR(d->entries[3].authors, "Di, Ed");
        CHECK_STR(d->entries[4].authors, "Gus");
    }
    feed_doc_free(d);
}

/* xml:base and xml:lang apply to an element and what it holds, and the
 * outer values come back after it; an empty xml:lang clears the language. */
static void test_base_and_lang_scopes(void)
{
    const char *xml =
        "<?xml version=\"1.0\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://example.com/root/\" "
        "xml:lang=\"en\"><title>T</title>\n"
        "<entry xml:base=\"sub/\" xml:lang=\"de\"><title>eins</title><id>1</id>"
        "<link href=\"a.html\"/>\n"
        " <content type=\"html\" xml:base=\"/inner/\" xml:lang=\"fr\">&lt;a "
        "href=\"x.html\"&gt;x&lt;/a&gt;</content>\n"
        " <summary type=\"html\">&lt;a href=\"y.html\"&gt;y&lt;/a&gt;</summary></entry>\n"
        "<entry><title>two</title><id>2</id><link href=\"b.html\"/>"
        "<summary xml:lang=\"\">s</summary></entry>\n"
        "<entry xml:lang=\"ko\"><title xml:lang=\"ja\">three</title><id>3</id>"
        "<link href=\"c.html\"/></entry>\n"
        "</feed>\n";
    struct feed_doc *d = parse(xml, "http://elsewhere.example/feed");
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_INT(d->nentries, 3);
    if (d->nentries == 3) {
        CHECK_STR(d->entries[0].url, "http://example.com/root/sub/a.html");
        CHECK_STR(d->entries[0].content_html, "<a href=\"http://example.com/inner/x.html\">x</a>");
        CHECK_STR(d->entries[0].language, "de");
        CHECK_STR(d->entries[1].url, "http://example.com/root/b.html");
        CHECK_STR(d->entries[1].language, "en");
        CHECK_STR(d->entries[2].url, "http://example.com/root/c.html");
        CHECK_STR(d->entries[2].language, "ja");
    }
    feed_doc_free(d);
}

/* Equal categories are kept once; the same term with another scheme is a
 * tag of its own (a podcast's long keyword lists go through the same). */
static void test_tags_once(void)
{
    const char *xml =
        "<?xml version=\"1.0\"?>\n"
        "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">"
        "<channel><title>T</title>\n"
        "<item><title>one</title><category>a</category><category>a</category>"
        "<category domain=\"d\">a</category><category>b</category>\n"
        "<itunes:keywords>x, y, x ,a, y</itunes:keywords></item>\n"
        "</channel></rss>\n";
    struct feed_doc *d = parse(xml, NULL);
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_INT(d->nentries, 1);
    if (d->nentries == 1)
        CHECK_STR(d->entries[0].tags, "a, b, x, y");
    feed_doc_free(d);
}

static void check_join(const char *base, const char *ref, const char *want)
{
    char *got = fp_urljoin(base, ref);
    CHECK_STR(got, want);
    free(got);
}

/* Python's urljoin drops an empty query or fragment, tabs and line breaks,
 * lower-cases the scheme and keeps dot segments of an absolute URL. */
static void test_urljoin_absolute(void)
{
    check_join("http://base.example/dir/", "http://a.example/x?y#z", "http://a.example/x?y#z");
    check_join("", "https://a.example/x", "https://a.example/x");
    check_join("ftp://base.example/", "http://a.example/../x", "http://a.example/../x");
    check_join("http://base.example/", "http://a.example/x?", "http://a.example/x");
    check_join("http://base.example/", "http://a.example/x#", "http://a.example/x");
    check_join("http://base.example/", "http://a.example/x?#f", "http://a.example/x#f");
    check_join("http://base.example/", "http://a.example/x#f?g", "http://a.example/x#f?g");
    check_join("http://base.example/", "http://a.example/a\tb\nc", "http://a.example/abc");
    check_join("http://base.example/", "HTTP://a.example/x", "http://a.example/x");
    check_join("http://base.example/", "http:///a.example/x", "http://a.example/x");
    check_join("http://base.example/dir/", "rel/x", "http://base.example/dir/rel/x");
}

/* A reference whose scheme urljoin does not resolve against (ids such as
 * "tag:" and "urn:") comes back exactly as given; one it does, or one
 * without a scheme as urlsplit reads it, is joined as before. */
static void test_urljoin_other_schemes(void)
{
    const char *base = "http://base.example/dir/";
    check_join(base, "tag:example.org,2003:3.2397", "tag:example.org,2003:3.2397");
    check_join(base, "urn:uuid:2c43eb19-7261", "urn:uuid:2c43eb19-7261");
    check_join(base, "Tag:X", "Tag:X");
    check_join(base, "mailto:Jo@Example.com", "mailto:Jo@Example.com");
    check_join(base, "javascript:alert(1)", "javascript:alert(1)");
    check_join(base, "ftp:x", "ftp:x");
    check_join(base, "svn+ssh:x", "svn+ssh:x");
    check_join(base, "a\tb:c", "a\tb:c");
    check_join(base, "12:30", "http://base.example/dir/12:30");
    check_join(base, "x:", "x:");
    check_join("", "tag:a", "tag:a");
}

static char *prepare(const char *in, char **bozo)
{
    struct feed_parse_opts o = {0};
    struct feed_ctx c = {.opts = &o, .doc = feed_doc_new()};
    size_t n = 0;
    char *out = feed_xml_prepare(&c, in, strlen(in), &n);
    *bozo = c.doc->bozo_message ? xstrdup(c.doc->bozo_message) : NULL;
    feed_doc_free(c.doc);
    return out;
}

/* The XML entities pass as they are; a name that only starts like one is
 * an HTML entity or a stray '&'; forbidden characters go, in text and in
 * CDATA sections alike. */
static void test_prepare_references_and_runs(void)
{
    char *bozo = NULL;
    char *out =
        prepare("<r a=\"&lt;&quot;\">&lt;&amp;&quot;&apos;&gt; &ltx; &amp &nbsp;</r>", &bozo);
    CHECK_STR(out, "<r a=\"&lt;&quot;\">&lt;&amp;&quot;&apos;&gt; &amp;ltx; &amp;amp &#160;</r>");
    CHECK(bozo != NULL);
    free(out);
    free(bozo);
    out = prepare("<r>caf\xc3\xa9\x01 x<![CDATA[a\x02]]b]]>\xef\xbf\xbey<!-- - -- --></r>", &bozo);
    CHECK_STR(out, "<r>caf\xc3\xa9 x<![CDATA[a]]b]]>y<!-- - -- --></r>");
    free(out);
    free(bozo);
    out = prepare("<r>plain text, nothing to repair</r>", &bozo);
    CHECK_STR(out, "<r>plain text, nothing to repair</r>");
    CHECK(bozo == NULL);
    free(out);
    free(bozo);
}

/* The repair pass skips ordinary bytes many at a time (16 with SSE2): a
 * byte it must see is found at every position of such a block, in text and
 * inside a quoted attribute value alike. */
static void test_prepare_stops_at_every_offset(void)
{
    static const struct {
        const char *in, *out;
        bool bozo;
    } cases[] = {
        {"\x01", "", true},
        {"\x0b", "", true},
        {"\x1f", "", true},
        {"\xef\xbf\xbe", "", true},
        {"\xef\xbf\xbf", "", true},
        {"\xef\xbb\xbf", "\xef\xbb\xbf", false}, /* U+FEFF is allowed */
        {"\xef\xbc\x81", "\xef\xbc\x81", false},
        {"\xc3\xa9\x7f", "\xc3\xa9\x7f", false},
        {"\t\n\r", "\t\n\r", false},
        {"& ", "&amp; ", true},
        {"< ", "&lt; ", true},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        for (size_t off = 0; off <= 40; off++) {
            for (int attr = 0; attr < 2; attr++) {
                char in[256], want[256], pad[48], tail[48];
                memset(pad, 'a', off);
                pad[off] = '\0';
                size_t tl = 17 + off % 5;
                memset(tail, 'b', tl);
                tail[tl] = '\0';
                const char *open = attr ? "<r x=\"" : "<r>", *close = attr ? "\"/>" : "</r>";
                if (attr && cases[k].in[0] == '<') { /* "<" in an attribute */
                    snprintf(in, sizeof(in), "%s%s<%s%s", open, pad, tail, close);
                    snprintf(want, sizeof(want), "%s%s&lt;%s%s", open, pad, tail, close);
                } else {
                    snprintf(in, sizeof(in), "%s%s%s%s%s", open, pad, cases[k].in, tail, close);
                    snprintf(want, sizeof(want), "%s%s%s%s%s", open, pad, cases[k].out, tail,
                             close);
                }
                char *bozo = NULL;
                char *out = prepare(in, &bozo);
                CHECK_STR(out, want);
                if (!attr || cases[k].in[0] != '<')
                    CHECK(cases[k].bozo == (bozo != NULL));
                free(out);
                free(bozo);
            }
        }
    }
}

TESTS(TEST(test_names_follow_declarations), TEST(test_base_and_lang_scopes), TEST(test_tags_once),
      TEST(test_urljoin_absolute), TEST(test_urljoin_other_schemes),
      TEST(test_prepare_references_and_runs), TEST(test_prepare_stops_at_every_offset))
