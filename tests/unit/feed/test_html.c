/* SPDX-License-Identifier: MIT */
/* test_html.c: HTML to text, the sanitiser and the URL helpers of src/feed. */
#include "../test.h"

#include "base/xalloc.h"
#include "feed/feed.h"
#include "feed/feed_int.h"

static void check_text(const char *html, const char *want)
{
    char *got = feed_html_to_text(html);
    CHECK_STR(got, want);
    free(got);
}

static void test_html_to_text(void)
{
    check_text("<p>Hello <b>world</b></p>", "Hello world");
    check_text("a &amp; b &lt;c&gt; &eacute;t&eacute; &nbsp;x &#8212; &#x41;",
               "a & b <c> été x — A");
    check_text("<p>one</p><p>two</p>", "one\ntwo");
    check_text("line<br>break<br/>again", "line\nbreak\nagain");
    check_text("  lots   of \n\t space  ", "lots of space");
    check_text("<script>var x = '<p>';</script>kept<style>p{}</style>", "kept");
    check_text("<ul><li>a</li><li>b</li></ul>", "a\nb");
    check_text("5 < 6 and 7 > 3", "5 < 6 and 7 > 3");
    check_text("<div>unclosed <i>tags", "unclosed tags");
    check_text("", "");
    check_text("AT&T &unknown; rocks", "AT&T &unknown; rocks");
    check_text("<table><tr><td>a</td><td>b</td></tr></table>", "a b");
    CHECK(feed_html_to_text(NULL) == NULL);
}

static char *san(const char *html, const char *base)
{
    return feed_html_sanitize(html, base);
}

static void test_html_sanitize(void)
{
    char *s =
        san("<p onclick=\"x()\" class=\"c\">Hi <script>alert(1)</script><b>there</b></p>", NULL);
    CHECK_STR(s, "<p class=\"c\">Hi <b>there</b></p>");
    free(s);

    s = san("<a href=\"javascript:alert(1)\">a</a><a href=\" JaVaScRiPt:x\">b</a>"
            "<a href=\"java&#9;script:x\">c</a><a href=\"vbscript:x\">d</a>"
            "<img src=\"data:image/png;base64,AAAA\"><a href=\"mailto:a@b.c\">m</a>",
            NULL);
    CHECK_STR(s, "<a>a</a><a>b</a><a>c</a><a>d</a><img /><a href=\"mailto:a@b.c\">m</a>");
    free(s);

    s = san("<a href=\"/x?a=1&amp;b=2\">rel</a><img src=\"pic.png\" onerror=\"e()\" alt=\"p\">",
            "https://ex.com/dir/page.html");
    CHECK_STR(s, "<a href=\"https://ex.com/x?a=1&amp;b=2\">rel</a>"
                 "<img src=\"https://ex.com/dir/pic.png\" alt=\"p\" />");
    free(s);

    s = san("<iframe src=\"https://evil/\">in frame</iframe><object><embed src=x>obj</object>"
            "<form action=\"/post\"><input name=q>form text</form><style>p{}</style>ok",
            NULL);
    CHECK_STR(s, "ok");
    free(s);

    /* unknown elements lose their tags but keep their text */
    s = san("<blink>old</blink> <custom-el>x</custom-el>", NULL);
    CHECK_STR(s, "old x");
    free(s);

    s = san("<div style=\"background:url(javascript:x)\">styled</div>", NULL);
    CHECK_STR(s, "<div>styled</div>");
    free(s);

    s = san("Fish &amp; chips &lt;3 &eacute;", NULL);
    CHECK_STR(s, "Fish &amp; chips &lt;3 é");
    free(s);

    s = san("<p>unclosed <em>tags", NULL);
    CHECK_STR(s, "<p>unclosed <em>tags</em></p>");
    free(s);
    CHECK(san(NULL, NULL) == NULL);
}

static void check_resolve(const char *base, const char *ref, const char *want)
{
    char *got = feed_url_resolve(base, ref);
    CHECK_STR(got, want);
    free(got);
}

static void test_url_resolve(void)
{
    /* RFC 3986 section 5.4 examples */
    const char *b = "http://a/b/c/d;p?q";
    check_resolve(b, "g", "http://a/b/c/g");
    check_resolve(b, "./g", "http://a/b/c/g");
    check_resolve(b, "g/", "http://a/b/c/g/");
    check_resolve(b, "/g", "http://a/g");
    check_resolve(b, "//g", "http://g/");
    check_resolve(b, "?y", "http://a/b/c/d;p?y");
    check_resolve(b, "g?y", "http://a/b/c/g?y");
    check_resolve(b, "#s", "http://a/b/c/d;p?q#s");
    check_resolve(b, "g#s", "http://a/b/c/g#s");
    check_resolve(b, "..", "http://a/b/");
    check_resolve(b, "../g", "http://a/b/g");
    check_resolve(b, "../../g", "http://a/g");
    check_resolve(b, "", "http://a/b/c/d;p?q");
    check_resolve(b, "https://other.example/x", "https://other.example/x");
    check_resolve(b, "  g  ", "http://a/b/c/g");
    check_resolve(b, "mailto:jo@example.com", "mailto:jo@example.com");
    check_resolve(b, "tag:example.org,2026:1", "tag:example.org,2026:1");
    check_resolve(NULL, "https://ex.com/a b", "https://ex.com/a%20b");
    check_resolve(NULL, "relative/only", NULL);
    check_resolve(b, NULL, NULL);
    /* shapes next to the already-absolute fast path, which curl rewrites */
    check_resolve(b, "http://a.example/x?", "http://a.example/x");
    check_resolve(b, "http://a.example/x#", "http://a.example/x");
    check_resolve(b, "http://a.example/./x", "http://a.example/x");
    check_resolve(b, "http://127.1/x", "http://127.0.0.1/x");
    check_resolve(b, "http://a.example", "http://a.example/");
    check_resolve(b, "https://a.example/p?q=1#f", "https://a.example/p?q=1#f");
    /* the same base many times, then another (the parsed base is cached) */
    check_resolve("http://base.example/d/p", "/rel/1", "http://base.example/rel/1");
    check_resolve("http://base.example/d/p", "../up", "http://base.example/up");
    check_resolve("https://other.example/q/", "r", "https://other.example/q/r");
    check_resolve("not a base", "r", NULL);
    check_resolve("http://base.example/d/p", "r", "http://base.example/d/r");
}

static void check_canon(const char *in, const char *want)
{
    char *got = feed_url_canonical(in);
    CHECK_STR(got, want);
    free(got);
}

static void test_url_canonical(void)
{
    check_canon("HTTP://Example.COM:80/Path?b=2&a=1#frag", "http://example.com/Path?b=2&a=1");
    check_canon("https://ex.com:443/a", "https://ex.com/a");
    check_canon("https://ex.com:8443/a", "https://ex.com:8443/a");
    check_canon("https://ex.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=x&gclid=y",
                "https://ex.com/a?id=7");
    check_canon("https://ex.com/a?mc_cid=1&mc_eid=2&ref=home&cmpid=3", "https://ex.com/a");
    check_canon("https://ex.com/a?UTM_Campaign=x&q=search+term&page=2",
                "https://ex.com/a?q=search+term&page=2");
    check_canon("https://ex.com", "https://ex.com/");
    check_canon("https://ex.com./x", "https://ex.com/x");
    check_canon("https://a.example/p?q=1#f", "https://a.example/p?q=1");
    check_canon("https://a.example/x?a=1&&b=2", "https://a.example/x?a=1&b=2");
    check_canon("https://a.example/x?a=1;b=2", "https://a.example/x?a=1&b=2");
    check_canon("https://a.example/x?a=1&", "https://a.example/x?a=1");
    check_canon("http://A.example/x", "http://a.example/x");
    check_canon("ftp://ex.com/file", NULL);
    check_canon("mailto:a@b.c", NULL);
    check_canon("not a url", NULL);
    check_canon(NULL, NULL);
}

static void test_url_safe(void)
{
    CHECK(feed_url_is_safe("https://ex.com/"));
    CHECK(feed_url_is_safe("/relative:colon"));
    CHECK(feed_url_is_safe("page.html?x=a:b"));
    CHECK(feed_url_is_safe("mailto:x@y"));
    CHECK(!feed_url_is_safe("javascript:alert(1)"));
    CHECK(!feed_url_is_safe("  JAVASCRIPT:alert(1)"));
    CHECK(!feed_url_is_safe("java\tscript:alert(1)"));
    CHECK(!feed_url_is_safe("java\x01script:alert(1)"));
    CHECK(!feed_url_is_safe("vbscript:x"));
    CHECK(!feed_url_is_safe("data:text/html,<script>"));
    CHECK(!feed_url_is_safe(":nothing"));
}

static void check_tidy(const char *in, bool one_line, const char *want)
{
    char *s = xstrdup(in);
    char *got = one_line ? feed_text_line(s) : feed_text_tidy(s);
    CHECK_STR(got, want);
    free(got);
}

/* tidy() copies runs of ordinary bytes at once; the separators between
   them, no-break spaces and a lone 0xC2 must come out as before */
static void test_text_tidy(void)
{
    check_tidy("  one  two\t\tthree  ", false, "one two three");
    check_tidy("para one\n\n  para two\r\n", false, "para one\npara two");
    check_tidy("para one\n\n  para two", true, "para one para two");
    check_tidy("a\xc2\xa0\xc2\xa0"
               "b",
               false, "a b");
    check_tidy("caf\xc3\xa9 \xc2\xbd price\xc2", false, "caf\xc3\xa9 \xc2\xbd price\xc2");
    check_tidy("\xc2\xa0x\fy\vz", false, "x\ny\nz");
    check_tidy("", false, "");
    check_tidy(" \t\n ", false, "");
    CHECK(feed_text_tidy(NULL) == NULL);
}

TESTS(TEST(test_html_to_text), TEST(test_html_sanitize), TEST(test_url_resolve),
      TEST(test_url_canonical), TEST(test_url_safe), TEST(test_text_tidy))
