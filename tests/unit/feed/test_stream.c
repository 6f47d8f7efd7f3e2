/* SPDX-License-Identifier: MIT */
/* test_stream.c: the streaming parse (opts.on_entry), the repair pass in
 * slices and large UTF-8 documents read in place.
 *
 * Streaming must not change what is parsed: every test compares the
 * streamed result with the whole-document one on the same bytes, on the
 * fixture feeds and on generated feeds large enough to cross the slice
 * (32 KiB) boundaries many times, read in place and through
 * feed_to_utf8's copy, with entities, CDATA and HTML that straddle slice
 * boundaries. */
#include "../test.h"

#include <dirent.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"
#include "feed/feed_int.h"
#include "model/model.h"

static const struct feed_parse_opts base_opts = {.url = "https://stream.example/feed.xml"};

/* Articles collected by on_entry, copied field by field. */
struct collected {
    struct article *v;
    size_t n, cap, stop_after;
};

static bool collect(void *arg, struct article *a)
{
    struct collected *c = arg;
    XGROW(c->v, c->n + 1, c->cap);
    struct article *d = &c->v[c->n++];
    memset(d, 0, sizeof(*d));
    d->guid = xstrdup(a->guid);
    d->url = xstrdup(a->url);
    d->canonical_url = xstrdup(a->canonical_url);
    d->title = xstrdup(a->title);
    d->authors = xstrdup(a->authors);
    d->summary = a->summary; /* taking a string is allowed */
    a->summary = NULL;
    d->content = xstrdup(a->content);
    d->content_html = xstrdup(a->content_html);
    d->language = xstrdup(a->language);
    d->tags = xstrdup(a->tags);
    d->published = a->published;
    d->updated = a->updated;
    return !c->stop_after || c->n < c->stop_after;
}

static void collected_release(struct collected *c)
{
    for (size_t i = 0; i < c->n; i++)
        article_release(&c->v[i]);
    free(c->v);
    memset(c, 0, sizeof(*c));
}

static void same_str(const char *what, const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b))) {
        fprintf(stderr, "  %s differs: '%.80s' vs '%.80s'\n", what, a ? a : "(null)",
                b ? b : "(null)");
        test_failed_checks++;
    }
}

static void same_article(const struct article *a, const struct article *b)
{
    same_str("guid", a->guid, b->guid);
    same_str("url", a->url, b->url);
    same_str("canonical_url", a->canonical_url, b->canonical_url);
    same_str("title", a->title, b->title);
    same_str("authors", a->authors, b->authors);
    same_str("summary", a->summary, b->summary);
    same_str("content", a->content, b->content);
    same_str("content_html", a->content_html, b->content_html);
    same_str("language", a->language, b->language);
    same_str("tags", a->tags, b->tags);
    CHECK_INT(a->published, b->published);
    CHECK_INT(a->updated, b->updated);
}

/* Parse data both ways and check that they agree. Returns the entry count. */
static size_t check_stream_same(const char *data, size_t len)
{
    struct feed_doc *whole = NULL, *streamed = NULL;
    struct collected col = {0};
    struct feed_parse_opts o = base_opts;
    enum achim_code rc1 = feed_parse_buffer(data, len, &o, &whole, NULL);
    o.on_entry = collect;
    o.on_entry_arg = &col;
    enum achim_code rc2 = feed_parse_buffer(data, len, &o, &streamed, NULL);
    CHECK_INT(rc2, rc1);
    size_t n = 0;
    if (whole && streamed) {
        CHECK_INT(streamed->nentries, 0);
        CHECK_INT(col.n, whole->nentries);
        for (size_t i = 0; i < col.n && i < whole->nentries; i++)
            same_article(&whole->entries[i], &col.v[i]);
        same_str("doc title", whole->title, streamed->title);
        same_str("doc version", whole->version, streamed->version);
        same_str("bozo_message", whole->bozo_message, streamed->bozo_message);
        CHECK_INT(whole->bozo, streamed->bozo);
        n = whole->nentries;
    }
    feed_doc_free(whole);
    feed_doc_free(streamed);
    collected_release(&col);
    return n;
}

static void test_fixtures_stream_same(void)
{
    DIR *dh = opendir("tests/fixtures/feeds");
    CHECK(dh != NULL);
    if (!dh)
        return;
    int files = 0;
    size_t entries = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof(path), "tests/fixtures/feeds/%s", de->d_name);
        struct buf b = BUF_INIT;
        if (file_read_all(path, &b, NULL) == ACHIM_OK) {
            entries += check_stream_same(b.ptr, b.len);
            files++;
        }
        buf_release(&b);
    }
    closedir(dh);
    CHECK(files > 5);
    CHECK(entries > 10);
}

/* An RSS feed of n items whose text crosses slice boundaries at many
 * offsets: HTML descriptions, HTML entities prep.c repairs, CDATA, a bare
 * '&', non-ASCII text. */
static void big_feed(struct buf *b, int n, const char *decl)
{
    buf_addstr(b, decl);
    buf_addstr(b, "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
                  "<title>Big &amp; streamed</title><link>https://big.example/</link>\n");
    for (int i = 0; i < n; i++) {
        buf_addf(b,
                 "<item><title>Item %d &eacute;t&eacute; &amp; caf\xc3\xa9 R&D</title>"
                 "<link>https://big.example/a/%d?x=1&amp;utm_source=rss</link>"
                 "<guid>urn:big:%d</guid><dc:creator>Writer %d</dc:creator>"
                 "<pubDate>Sat, 31 Jan 2026 10:%02d:00 GMT</pubDate>",
                 i, i, i, i % 7, i % 60);
        if (i % 3 == 0)
            buf_addf(b,
                     "<description><![CDATA[<p>CDATA %d <a href=\"/rel/%d\">link</a> "
                     "<script>x()</script>&nbsp;done</p>]]></description>",
                     i, i);
        else
            buf_addf(b,
                     "<description>&lt;p&gt;Para %d &amp;mdash; &lt;b onclick=\"x()\"&gt;"
                     "bold&lt;/b&gt; %.*s&lt;/p&gt;</description>",
                     i, i % 97,
                     "lorem ipsum dolor sit amet consectetur adipiscing elit sed do "
                     "eiusmod tempor incididunt ut labore et dolore magna aliqua");
        buf_addstr(b, "</item>\n");
    }
    buf_addstr(b, "</channel></rss>\n");
}

/* Parse b through feed_to_utf8's copy and in place and check that they
 * agree. Returns the in-place document, NULL unless both parsed. */
static struct feed_doc *check_in_place_same(const struct buf *b)
{
    struct feed_doc *copy = NULL, *inplace = NULL;
    feed_in_place_off = true;
    CHECK_INT(feed_parse_buffer(b->ptr, b->len, &base_opts, &copy, NULL), ACHIM_OK);
    feed_in_place_off = false;
    CHECK_INT(feed_parse_buffer(b->ptr, b->len, &base_opts, &inplace, NULL), ACHIM_OK);
    bool both = copy && inplace;
    if (both) {
        CHECK_INT(inplace->nentries, copy->nentries);
        for (size_t i = 0; i < copy->nentries && i < inplace->nentries; i++)
            same_article(&copy->entries[i], &inplace->entries[i]);
        same_str("encoding", copy->encoding, inplace->encoding);
        same_str("bozo_message", copy->bozo_message, inplace->bozo_message);
    }
    feed_doc_free(copy);
    if (!both) {
        feed_doc_free(inplace);
        return NULL;
    }
    return inplace;
}

/* Parse data with &lt; &gt; &amp; left as they are and rewritten as
 * character references (feed_ctx.prep_charrefs), which must agree also
 * after an error, when libxml2 drops entity references but not character
 * references. Returns the charrefs document (NULL unless both parsed). */
static struct feed_doc *check_charrefs_same(const char *data)
{
    struct feed_doc *plain = NULL, *refs = NULL;
    feed_charrefs_off = true;
    enum achim_code rc1 = feed_parse_buffer(data, strlen(data), &base_opts, &plain, NULL);
    feed_charrefs_off = false;
    enum achim_code rc2 = feed_parse_buffer(data, strlen(data), &base_opts, &refs, NULL);
    CHECK_INT(rc2, rc1);
    bool both = plain && refs;
    if (both) {
        CHECK_INT(refs->nentries, plain->nentries);
        for (size_t i = 0; i < plain->nentries && i < refs->nentries; i++)
            same_article(&plain->entries[i], &refs->entries[i]);
        same_str("doc title", plain->title, refs->title);
        same_str("bozo_message", plain->bozo_message, refs->bozo_message);
        CHECK_INT(refs->bozo, plain->bozo);
    }
    feed_doc_free(plain);
    if (!both) {
        feed_doc_free(refs);
        return NULL;
    }
    return refs;
}

static void test_charrefs_same(void)
{
    /* an item's text with every spelling of the three characters: the XML
     * entities, decimal (with and without a leading zero), hex, an HTML
     * entity prep.c repairs, one the DOCTYPE declares, CDATA, attributes */
    static const char item[] =
        "<item><title>a &lt; b &gt; c &amp; d &#60; e &#62; f &#38; g &#060; &#x3C; &#x26; "
        "&LT; &ent; h</title><link>https://x.example/?a=1&amp;b=&#38;c&#60;</link>"
        "<description>&lt;p title=\"&amp;&#60;\"&gt;x &amp;amp; &#38;amp;&lt;/p&gt;"
        "<![CDATA[ &#60; &lt; ]]>&lt;</description></item>";
    static const char *const breakage[] = {
        "",                                              /* well-formed throughout */
        "<item><title>x</b></title></item>",             /* mismatched tag before */
        "<item><title>x</title><guid>1</item>",          /* an unclosed element */
        "<item><title a=\"1\" a=\"2\">x</title></item>", /* a repeated attribute */
        "<item><title>\xc3 x</title></item>",            /* bad UTF-8 */
    };
    for (size_t k = 0; k < sizeof(breakage) / sizeof(breakage[0]); k++)
        for (int after = 0; after < 2; after++) {
            struct buf b = BUF_INIT;
            buf_addstr(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                           "<!DOCTYPE rss [<!ENTITY ent \"&#60;\">]>\n"
                           "<rss version=\"2.0\"><channel><title>T &lt;&amp;&gt;</title>");
            buf_addstr(&b, item);
            buf_addstr(&b, after ? "" : breakage[k]);
            buf_addstr(&b, item);
            buf_addstr(&b, after ? breakage[k] : "");
            buf_addstr(&b, item);
            buf_addstr(&b, "</channel></rss>");
            struct feed_doc *d = check_charrefs_same(b.ptr);
            CHECK(d != NULL);
            if (d && k == 1 && !after) {
                /* (the test means something: libxml2 dropped the entity
                 * references after the error, not before) */
                CHECK(d->nentries >= 2);
                if (d->nentries >= 2) {
                    CHECK(strstr(d->entries[0].title, "a < b > c & d") != NULL);
                    CHECK(strstr(d->entries[d->nentries - 1].title, "a < b") == NULL);
                }
            }
            feed_doc_free(d);
            buf_release(&b);
        }
    /* and the generated feed, and the fixtures' real ones */
    struct buf big = BUF_INIT;
    big_feed(&big, 300, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    feed_doc_free(check_charrefs_same(big.ptr));
    buf_release(&big);
    DIR *dh = opendir("tests/fixtures/feeds");
    CHECK(dh != NULL);
    struct dirent *de;
    while (dh && (de = readdir(dh))) {
        if (de->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof(path), "tests/fixtures/feeds/%s", de->d_name);
        struct buf b = BUF_INIT;
        if (file_read_all(path, &b, NULL) == ACHIM_OK && !memchr(b.ptr, 0, b.len)) {
            struct feed_doc *plain = NULL, *refs = NULL;
            feed_charrefs_off = true;
            feed_parse_buffer(b.ptr, b.len, &base_opts, &plain, NULL);
            feed_charrefs_off = false;
            feed_parse_buffer(b.ptr, b.len, &base_opts, &refs, NULL);
            CHECK((plain == NULL) == (refs == NULL));
            if (plain && refs) {
                CHECK_INT(refs->nentries, plain->nentries);
                for (size_t i = 0; i < plain->nentries && i < refs->nentries; i++)
                    same_article(&plain->entries[i], &refs->entries[i]);
                same_str("bozo_message", plain->bozo_message, refs->bozo_message);
            }
            feed_doc_free(plain);
            feed_doc_free(refs);
        }
        buf_release(&b);
    }
    if (dh)
        closedir(dh);
}

static void test_big_stream_same(void)
{
    struct buf b = BUF_INIT;
    big_feed(&b, 3000, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    CHECK(b.len > 4 * FEED_PREP_SLICE); /* above the in-place threshold too */
    CHECK_INT(check_stream_same(b.ptr, b.len), 3000);

    /* read in place, the text need not end in a NUL (an mmap'ed file) */
    char *exact = xmalloc(b.len);
    memcpy(exact, b.ptr, b.len);
    CHECK_INT(check_stream_same(exact, b.len), 3000);
    free(exact);

    /* in place or through feed_to_utf8's copy: the same articles */
    struct feed_doc *inplace = check_in_place_same(&b);
    if (inplace) {
        CHECK_STR(inplace->encoding, "utf-8");
        CHECK_STR(inplace->entries[1].title, "Item 1 été & café R&D");
        CHECK_STR(inplace->entries[1].url, "https://big.example/a/1?x=1&utm_source=rss");
        CHECK_STR(inplace->entries[0].content_html,
                  "<p>CDATA 0 <a href=\"https://stream.example/rel/0\">link</a> \xc2\xa0"
                  "done</p>");
    }
    feed_doc_free(inplace);
    buf_release(&b);

    /* a declaration naming another encoding, a BOM: still the same result */
    const char *decls[] = {"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n",
                           "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n",
                           "<?xml version='1.0' encoding='us-ascii'?>\n"};
    for (size_t k = 0; k < 3; k++) {
        big_feed(&b, 2000, decls[k]);
        feed_doc_free(check_in_place_same(&b));
        buf_release(&b);
    }
}

static bool sink_collect(void *arg, const char *s, size_t n)
{
    struct buf *b = arg;
    /* every piece but the last is a whole slice */
    if (b->len % FEED_PREP_SLICE) {
        fprintf(stderr, "  slice after a short one\n");
        test_failed_checks++;
    }
    buf_add(b, s, n);
    return true;
}

static void test_prep_slices(void)
{
    struct buf in = BUF_INIT;
    buf_addstr(&in, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY me \"Jo\">]>\n<rss>");
    for (int i = 0; i < 4000; i++)
        buf_addf(&in, "<i a=\"x&y\">&me; &nbsp; 5 < 6 &amp; \x01<![CDATA[%d & <b>]]></i>\n", i);
    buf_addstr(&in, "</rss>");
    struct feed_parse_opts o = {0};
    struct feed_ctx c1 = {.opts = &o, .doc = feed_doc_new()};
    struct feed_ctx c2 = {.opts = &o, .doc = feed_doc_new()};
    size_t wlen = 0;
    char *whole = feed_xml_prepare(&c1, in.ptr, in.len, &wlen);
    struct buf pieces = BUF_INIT;
    CHECK(feed_xml_prepare_stream(&c2, in.ptr, in.len, false, sink_collect, &pieces));
    CHECK(wlen > 2 * FEED_PREP_SLICE);
    CHECK_INT(pieces.len, wlen);
    CHECK(pieces.len == wlen && !memcmp(pieces.ptr, whole, wlen));
    CHECK_STR(c2.doc->bozo_message, c1.doc->bozo_message);
    CHECK(strstr(whole, "<i a=\"x&amp;y\">Jo &#160; 5 &lt; 6 &amp; <![CDATA[0 & <b>]]></i>") !=
          NULL);
    free(whole);
    buf_release(&pieces);
    feed_doc_free(c1.doc);
    feed_doc_free(c2.doc);
    buf_release(&in);
}

/* The first problem reported is the first one the repair pass met, then
 * libxml2's, as when the whole text was repaired before parsing. */
static void test_bozo_order(void)
{
    struct buf b = BUF_INIT;
    buf_addstr(&b, "<rss version=\"2.0\"><channel><title>t</title>"
                   "<item><title>a</x></title></item>\n"); /* a libxml2 error, early */
    for (int i = 0; i < 3000; i++)
        buf_addf(&b, "<item><title>n%d</title><description>%0100d</description></item>\n", i, i);
    buf_addstr(&b, "<item><title>R&eacute;sum&eacute;</title></item></channel></rss>");
    CHECK(b.len > 3 * FEED_PREP_SLICE);
    struct feed_doc *d = NULL;
    CHECK_INT(feed_parse_buffer(b.ptr, b.len, &base_opts, &d, NULL), ACHIM_OK);
    if (d) {
        CHECK(d->bozo);
        CHECK_STR(d->bozo_message, "undefined entity &eacute;");
        CHECK(d->nentries > 3000);
        if (d->nentries)
            CHECK_STR(d->entries[d->nentries - 1].title, "Résumé");
    }
    feed_doc_free(d);
    check_stream_same(b.ptr, b.len);
    buf_release(&b);
}

static void test_stop_early(void)
{
    struct buf b = BUF_INIT;
    big_feed(&b, 2000, "");
    struct collected col = {.stop_after = 3};
    struct feed_parse_opts o = base_opts;
    o.on_entry = collect;
    o.on_entry_arg = &col;
    struct feed_doc *d = NULL;
    CHECK_INT(feed_parse_buffer(b.ptr, b.len, &o, &d, NULL), ACHIM_OK);
    CHECK_INT(col.n, 3);
    if (col.n == 3) {
        CHECK_STR(col.v[2].guid, "urn:big:2");
        CHECK(col.v[2].summary != NULL);
    }
    if (d)
        CHECK_STR(d->version, "rss20");
    feed_doc_free(d);
    collected_release(&col);

    /* JSON Feed entries stream too */
    static const char json[] =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\",\"items\":["
        "{\"id\":\"1\",\"content_html\":\"<p>one</p>\"},{\"id\":\"2\",\"content_text\":\"two\"}]}";
    check_stream_same(json, sizeof(json) - 1);
    buf_release(&b);
}

TESTS(TEST(test_fixtures_stream_same), TEST(test_charrefs_same), TEST(test_big_stream_same),
      TEST(test_prep_slices), TEST(test_bozo_order), TEST(test_stop_early))
