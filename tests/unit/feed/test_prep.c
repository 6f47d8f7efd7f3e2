/* SPDX-License-Identifier: MIT */
/* test_prep.c: the exact text the XML repair pass (prep.c) writes.
 *
 * prep.c copies most of a document as it is and stops only where a fix
 * may be due; its shortcuts for the common stops (the XML entities, plain
 * decimal references, '<' opening a tag) must give the same text as the
 * careful path. Each case is checked at the end of the input (where the
 * shortcuts do not look ahead) and followed by more text, and the streaming
 * form is checked with every kind of stop straddling a slice boundary. */
#include "../test.h"

#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"
#include "feed/feed_int.h"
#include "model/model.h"

/* More markup after each case, long enough for the shortcuts to apply. */
static const char tail[] = "\n<p class=\"t\">more &amp; more text, &#233; &lt;b&gt;</p>\n</r>";

static char *prepare(const char *in, size_t len, bool *bozo)
{
    struct feed_parse_opts o = {0};
    struct feed_ctx c = {.opts = &o, .doc = feed_doc_new()};
    size_t n = 0;
    char *out = feed_xml_prepare(&c, in, len, &n);
    CHECK_INT(n, strlen(out));
    *bozo = c.doc->bozo;
    feed_doc_free(c.doc);
    return out;
}

/* in repairs to want, marking the document bozo or not; also with tail after. */
static void check_repair(const char *in, const char *want, bool want_bozo)
{
    for (int with_tail = 0; with_tail < 2; with_tail++) {
        struct buf i = BUF_INIT, w = BUF_INIT;
        buf_addstr(&i, in);
        buf_addstr(&w, want);
        if (with_tail) {
            buf_addstr(&i, tail);
            buf_addstr(&w, tail);
        }
        bool bozo = false;
        char *out = prepare(i.ptr, i.len, &bozo);
        if (strcmp(out, w.ptr) != 0 || bozo != want_bozo)
            fprintf(stderr, "  input: %s\n", i.ptr);
        CHECK_STR(out, w.ptr);
        CHECK(bozo == want_bozo);
        free(out);
        buf_release(&i);
        buf_release(&w);
    }
}

static void test_references(void)
{
    check_repair("<r>&lt;&gt;&amp;&quot;&apos;</r>", "<r>&lt;&gt;&amp;&quot;&apos;</r>", false);
    check_repair("<r>&amp;amp;</r>", "<r>&amp;amp;</r>", false);
    check_repair("<r>&#65;&#9;&#1114111;</r>", "<r>&#65;&#9;&#1114111;</r>", false);
    /* leading zeros and hex are rewritten in decimal */
    check_repair("<r>&#0065;&#x41;&#X6a;</r>", "<r>&#65;&#65;&#106;</r>", false);
    /* references to characters XML forbids are dropped */
    check_repair("<r>a&#1;b&#xD800;c&#65534;d&#99999999;e</r>", "<r>abcde</r>", true);
    /* no digits, too many digits, no ';': the '&' was bare */
    check_repair("<r>&#x;</r>", "<r>&amp;#x;</r>", true);
    check_repair("<r>&#;</r>", "<r>&amp;#;</r>", true);
    check_repair("<r>&#123456789;</r>", "<r>&amp;#123456789;</r>", true);
    check_repair("<r>&#65 x</r>", "<r>&amp;#65 x</r>", true);
    check_repair("<r>&lt &gtx; &amp</r>", "<r>&amp;lt &amp;gtx; &amp;amp</r>", true);
    check_repair("<r>&apos &quo;</r>", "<r>&amp;apos &amp;quo;</r>", true);
    /* HTML entities become numeric references */
    check_repair("<r>&nbsp;&eacute;&hellip;</r>", "<r>&#160;&#233;&#8230;</r>", true);
    check_repair("<r>&unknownentity;</r>", "<r>&amp;unknownentity;</r>", true);
    check_repair("<r>fish & chips &</r>", "<r>fish &amp; chips &amp;</r>", true);
    /* a bare '&' as the very last byte */
    check_repair("<r>a</r>&", "<r>a</r>&amp;", true);
    check_repair("<r>a</r>&#", "<r>a</r>&amp;#", true);
    check_repair("<r>a</r>&lt", "<r>a</r>&amp;lt", true);
}

static void test_markup(void)
{
    check_repair("<r><a href=\"x?a=1&amp;b=2\" t='&quot;'>x</a></r>",
                 "<r><a href=\"x?a=1&amp;b=2\" t='&quot;'>x</a></r>", false);
    check_repair("<r><a href=\"x?a=1&b=2\">x</a></r>", "<r><a href=\"x?a=1&amp;b=2\">x</a></r>",
                 true);
    /* '>' and the other quote inside a value do not end it; '<' is escaped */
    check_repair("<r a=\"1 > 0 ' <\" b='\"'>x</r>", "<r a=\"1 > 0 ' &lt;\" b='\"'>x</r>", false);
    check_repair("<r\n\ta=\"&nbsp;\"\r\n/>", "<r\n\ta=\"&#160;\"\r\n/>", true);
    /* '<' that cannot start markup */
    check_repair("<r>5 < 6 <= 7 <1></r>", "<r>5 &lt; 6 &lt;= 7 &lt;1></r>", true);
    check_repair("<r>a</r><", "<r>a</r>&lt;", true);
    check_repair("<_r><:x>y</:x></_r>", "<_r><:x>y</:x></_r>", false);
    /* CDATA, comments and PIs go out as they are, forbidden characters aside */
    check_repair("<r><![CDATA[a & b < c &nbsp; ]] >]]></r>",
                 "<r><![CDATA[a & b < c &nbsp; ]] >]]></r>", false);
    check_repair("<r><![CDATA[x\x01y\xef\xbf\xbfz]]></r>", "<r><![CDATA[xyz]]></r>", false);
    check_repair("<r><!-- a -- b & < --></r>", "<r><!-- a -- b & < --></r>", false);
    check_repair("<r><?pi a & b < c?></r>", "<r><?pi a & b < c?></r>", false);
    check_repair("<r><![CDATA[unterminated & <", "<r><![CDATA[unterminated & <", false);
}

static void test_characters(void)
{
    /* C0 controls but white space, U+FFFE and U+FFFF go, in text and tags */
    check_repair("<r>a\x01\x08\x0b\x0c\x1f b\t\n\r</r>", "<r>a b\t\n\r</r>", true);
    check_repair("<r>\xef\xbf\xbe\xef\xbf\xbfx</r>", "<r>x</r>", true);
    check_repair("<r a=\"\x02\">x</r>", "<r a=\"\">x</r>", true);
    /* other characters led by 0xEF stay: U+FF0C, U+FEFF, U+FFFD */
    check_repair("<r t=\"\xef\xbc\x8c\">\xef\xbc\x8c\xef\xbb\xbf\xef\xbf\xbd</r>",
                 "<r t=\"\xef\xbc\x8c\">\xef\xbc\x8c\xef\xbb\xbf\xef\xbf\xbd</r>", false);
}

/* Stops packed together and at every offset within the 16 bytes the fast
 * path tests at once: references, tag edges, quotes, white space and 0xEF
 * one after another, with and without a fault among them. */
static void test_dense_stops(void)
{
    static const struct {
        const char *in, *want;
        bool bozo;
    } cases[] = {
        {"&lt;&gt;<b a=\"1>\" c='\"'>&#65;\t\n\r\xef\xbc\x8c</b>>\"'&amp;",
         "&lt;&gt;<b a=\"1>\" c='\"'>&#65;\t\n\r\xef\xbc\x8c</b>>\"'&amp;", false},
        {"&lt;\x01&gt;", "&lt;&gt;", true},
        {"<b a=\"&lt;<\">&gt;</b>", "<b a=\"&lt;&lt;\">&gt;</b>", false}, /* (escaped quietly) */
        {"&lt;&nbsp;&gt;<i>", "&lt;&#160;&gt;<i>", true},
        {"<i>\xef\xbf\xbe&amp;</i>", "<i>&amp;</i>", true},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
        for (int off = 0; off < 40; off++) {
            struct buf in = BUF_INIT, want = BUF_INIT;
            buf_addstr(&in, "<r>");
            buf_addstr(&want, "<r>");
            for (int k = 0; k < off; k++) {
                buf_addch(&in, 'x');
                buf_addch(&want, 'x');
            }
            buf_addstr(&in, cases[c].in);
            buf_addstr(&want, cases[c].want);
            buf_addstr(&in, "</r>");
            buf_addstr(&want, "</r>");
            check_repair(in.ptr, want.ptr, cases[c].bozo);
            buf_release(&in);
            buf_release(&want);
        }
}

static void test_doctype(void)
{
    check_repair("<?xml version=\"1.0\"?>\n"
                 "<!DOCTYPE rss [\n"
                 "  <!ENTITY me \"Jo <b>\">\n"
                 "  <!ENTITY c '&#169;'>\n"
                 "  <!ENTITY nest \"&me;&me;\">\n"
                 "  <!ENTITY ext SYSTEM \"file:///etc/passwd\">\n"
                 "  <!ENTITY % pe \"x\">\n"
                 "]>\n"
                 "<r>&me;&c;&nest;&ext;&lt;</r>",
                 "<?xml version=\"1.0\"?>\n\n<r>Jo &lt;b>&#169;&amp;nest;&amp;ext;&lt;</r>", true);
    /* leading white space goes before a declaration only */
    check_repair("  \n<?xml version=\"1.0\"?><r/>", "<?xml version=\"1.0\"?><r/>", false);
    check_repair("  <rss/>", "  <rss/>", false);
}

static bool sink_collect(void *arg, const char *s, size_t n)
{
    struct buf *b = arg;
    if (b->len % FEED_PREP_SLICE) { /* every piece but the last is whole */
        fprintf(stderr, "  slice after a short one\n");
        test_failed_checks++;
    }
    buf_add(b, s, n);
    return true;
}

/* Every kind of stop at each output offset around a slice boundary: the
 * slices join to the text the whole-buffer form gives, and that is the
 * input with just the stop repaired. */
static void test_stops_across_slices(void)
{
    static const struct {
        const char *in, *out;
    } stops[] = {
        {"&amp;", "&amp;"},
        {"&quot;", "&quot;"},
        {"&#8230;", "&#8230;"},
        {"&#x41;", "&#65;"},
        {"&nbsp;", "&#160;"},
        {"& ", "&amp; "},
        {"< ", "&lt; "},
        {"\x01", ""},
        {"\xef\xbf\xbe", ""},
        {"\xef\xbc\x8c", "\xef\xbc\x8c"},
        {"<![CDATA[&<\x02]]>", "<![CDATA[&<]]>"},
        {"<!-- & -->", "<!-- & -->"},
        {"<b a=\"&lt;>&x\">", "<b a=\"&lt;>&amp;x\">"},
        {"</b>", "</b>"},
    };
    for (size_t k = 0; k < sizeof(stops) / sizeof(stops[0]); k++) {
        for (size_t at = FEED_PREP_SLICE - 12; at < FEED_PREP_SLICE + 4; at++) {
            struct buf in = BUF_INIT, want = BUF_INIT;
            buf_addstr(&in, "<r>");
            while (in.len + 16 < at)
                buf_addstr(&in, "<i>y</i>&lt;");
            while (in.len < at)
                buf_addch(&in, 'x');
            buf_addstr(&want, in.ptr);
            buf_addstr(&in, stops[k].in);
            buf_addstr(&want, stops[k].out);
            for (int r = 0; r < 3000; r++) {
                buf_addstr(&in, "<i t='1'>a &amp; b &#233;</i>\n");
                buf_addstr(&want, "<i t='1'>a &amp; b &#233;</i>\n");
            }
            struct feed_parse_opts o = {0};
            struct feed_ctx c1 = {.opts = &o, .doc = feed_doc_new()};
            struct feed_ctx c2 = {.opts = &o, .doc = feed_doc_new()};
            size_t wlen = 0;
            char *whole = feed_xml_prepare(&c1, in.ptr, in.len, &wlen);
            struct buf pieces = BUF_INIT;
            CHECK(feed_xml_prepare_stream(&c2, in.ptr, in.len, false, sink_collect, &pieces));
            CHECK(wlen == want.len && !memcmp(whole, want.ptr, wlen));
            CHECK(pieces.len == want.len && !memcmp(pieces.ptr, want.ptr, want.len));
            CHECK(c1.doc->bozo == c2.doc->bozo);
            CHECK_STR(c2.doc->bozo_message, c1.doc->bozo_message);
            free(whole);
            buf_release(&pieces);
            buf_release(&in);
            buf_release(&want);
            feed_doc_free(c1.doc);
            feed_doc_free(c2.doc);
        }
    }
}

/* Collects the pieces, checking that each comes after an empty one (the
 * call that lets libxml2 drop what it parsed before the piece is added). */
struct pieces {
    struct buf text;
    size_t calls;
};

static bool sink_after_empty(void *arg, const char *s, size_t n)
{
    struct pieces *p = arg;
    if ((p->calls % 2 == 0) != (n == 0)) {
        fprintf(stderr, "  call %zu: %zu bytes\n", p->calls, n);
        test_failed_checks++;
    }
    p->calls++;
    buf_add(&p->text, s, n);
    return true;
}

static void test_empty_piece_first(void)
{
    struct buf in = BUF_INIT;
    buf_addstr(&in, "<r>");
    for (int i = 0; in.len < 3 * FEED_PREP_SLICE + 100; i++)
        buf_addf(&in, i % 5 ? "<p a=\"%d\">x &lt; y</p>" : "<p>fish & chips %d</p>", i);
    buf_addstr(&in, "</r>");
    struct feed_parse_opts o = {0};
    struct feed_ctx c1 = {.opts = &o, .doc = feed_doc_new()};
    struct feed_ctx c2 = {.opts = &o, .doc = feed_doc_new()};
    size_t wlen = 0;
    char *whole = feed_xml_prepare(&c1, in.ptr, in.len, &wlen);
    struct pieces got = {BUF_INIT, 0};
    CHECK(feed_xml_prepare_stream(&c2, in.ptr, in.len, false, sink_after_empty, &got));
    /* (the repairs make the output longer than three slices) */
    CHECK(wlen > 3 * FEED_PREP_SLICE);
    CHECK_INT(got.calls, 2 * ((wlen + FEED_PREP_SLICE - 1) / FEED_PREP_SLICE));
    CHECK(got.text.len == wlen && !memcmp(got.text.ptr, whole, wlen));
    free(whole);
    buf_release(&got.text);
    buf_release(&in);
    feed_doc_free(c1.doc);
    feed_doc_free(c2.doc);
}

static bool sink_collect_all(void *arg, const char *s, size_t n)
{
    buf_add(arg, s, n);
    return true;
}

/* With prep_charrefs, &lt; &gt; &amp; in text become &#60; &#62; &#38;, and
 * no other reference to those characters is spelt so (fp.c tells them
 * apart by that spelling); tags, CDATA and other references are kept. */
static void test_charrefs(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"a &lt; b &gt; c &amp; d", "a &#60; b &#62; c &#38; d"},
        {"&#60;&#62;&#38;", "&#x3C;&#x3E;&#x26;"},
        {"&#060;&#x3c;&#x26;&#61;&#600;", "&#x3C;&#x3C;&#x26;&#61;&#600;"},
        {"<a href=\"?a=1&amp;b=&lt;&#60;\">x&quot;&apos;</a>",
         "<a href=\"?a=1&amp;b=&lt;&#x3C;\">x&quot;&apos;</a>"},
        {"<![CDATA[&lt; &#60;]]>&e;", "<![CDATA[&lt; &#60;]]>&#x3C;"},
        /* (a repair's "&amp;" stays an entity reference, as before) */
        {"fish & chips &amp; <b>x</b>", "fish &amp; chips &#38; <b>x</b>"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        for (int off = 0; off < 20; off++) {
            struct buf in = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
            buf_addstr(&in, "<!DOCTYPE r [<!ENTITY e \"&#60;\">]><r>");
            buf_addstr(&want, "<r>");
            for (int i = 0; i < off; i++) {
                buf_addch(&in, 'x');
                buf_addch(&want, 'x');
            }
            buf_addstr(&in, cases[k].in);
            buf_addstr(&want, cases[k].want);
            /* (plain_run reads 16 bytes on, so a tail as long) */
            buf_addstr(&in, "</r>                    ");
            buf_addstr(&want, "</r>                    ");
            struct feed_parse_opts o = {0};
            struct feed_ctx c = {.opts = &o, .doc = feed_doc_new(), .prep_charrefs = true};
            CHECK(feed_xml_prepare_stream(&c, in.ptr, in.len, false, sink_collect_all, &got));
            if (got.len != want.len || memcmp(got.ptr, want.ptr, want.len)) {
                fprintf(stderr, "  case %zu at %d: got '%s'\n", k, off, got.ptr ? got.ptr : "");
                test_failed_checks++;
            }
            feed_doc_free(c.doc);
            buf_release(&in);
            buf_release(&want);
            buf_release(&got);
        }
}

static bool sink_first_only(void *arg, const char *s, size_t n)
{
    (void)s;
    (void)n;
    (*(int *)arg)++;
    return false;
}

/* A sink that wants no more ends the pass: nothing past the first slice is
 * repaired, so a fault there does not mark the document. */
static void test_stop_ends_the_pass(void)
{
    struct buf in = BUF_INIT;
    buf_addstr(&in, "<r>");
    while (in.len < 3 * FEED_PREP_SLICE)
        buf_addstr(&in, "<i>a &amp; b</i>\n");
    buf_addstr(&in, "<i>bare & here</i></r>");
    struct feed_parse_opts o = {0};
    struct feed_ctx c = {.opts = &o, .doc = feed_doc_new()};
    int calls = 0;
    CHECK(!feed_xml_prepare_stream(&c, in.ptr, in.len, false, sink_first_only, &calls));
    CHECK_INT(calls, 1);
    CHECK(!c.doc->bozo);
    feed_doc_free(c.doc);
    buf_release(&in);
}

TESTS(TEST(test_references), TEST(test_markup), TEST(test_characters), TEST(test_dense_stops),
      TEST(test_charrefs), TEST(test_doctype), TEST(test_stops_across_slices),
      TEST(test_empty_piece_first), TEST(test_stop_ends_the_pass))
