/* SPDX-License-Identifier: MIT */
/* test_html.c: HTML to text, the sanitiser and the URL helpers of src/feed. */
#include "../test.h"

#include <libxml/globals.h>
#include <libxml/xmlreader.h>
#include <sys/stat.h>

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

/* ---- the streaming renderer against the libxml2 tree ------------------------ */

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Renders html both ways (text and sanitised HTML, with and without a
 * reusable parser); true when the streaming renderer took it. Any
 * difference is a failed check. */
static bool stream_agrees(struct feed_html_parser *p, const char *html, const char *base)
{
    char *t1 = NULL, *s1 = NULL, *t2 = NULL, *s2 = NULL;
    bool took = feed_html_render_stream(p, html, base, &t1, &s1);
    if (took) {
        feed_html_render_tree(p, html, base, &t2, &s2);
        if (!same_str(t1, t2) || !same_str(s1, s2)) {
            fprintf(stderr, "  stream and tree differ on [%s]\n   text %s | %s\n   san  %s | %s\n",
                    html, t1, t2, s1, s2);
            CHECK(!"stream and tree renderings agree");
        }
        /* one output alone is the same as both at once */
        char *t3 = NULL, *s3 = NULL;
        CHECK(feed_html_render_stream(NULL, html, base, &t3, NULL));
        CHECK(feed_html_render_stream(NULL, html, base, NULL, &s3));
        CHECK(same_str(t3, t1) && same_str(s3, s1));
        free(t3);
        free(s3);
    } else {
        CHECK(!t1 && !s1);
    }
    free(t1);
    free(s1);
    free(t2);
    free(s2);
    return took;
}

/* libxml2's ways with broken HTML, each of which the streaming renderer
 * must reproduce. */
static bool stream_enabled(void)
{
    char *t = NULL;
    if (feed_html_render_stream(NULL, "<b>x</b>", NULL, &t, NULL)) {
        free(t);
        return true;
    }
    printf("skip - streaming HTML renderer: not enabled for libxml2 %s\n", xmlParserVersion);
    return false;
}

static void test_html_stream_cases(void)
{
    if (!stream_enabled())
        return;
    static const char *const taken[] = {
        "<p>a</div>b",                                    /* stray end tag: ignored */
        "<b><p>x</b>y</p>z",                              /* <p> closes <b> */
        "<p>a<p>b<li>c<li>d",                             /* elements closing their own kind */
        "<a href=x>1<a href=y>2",                         /* nested links */
        "<table><td>a<td>b</table>after",                 /* cells without rows */
        "<table><tr><td><div>a</td>b</div>c</table>",     /* </td> cannot close the div */
        "<div><table><tr><td>a</div>b</td></tr></table>", /* nor </div> the cell */
        "<div><p>a</div>b",
        "<p>para<xmp>code</xmp>", /* xmp: unknown element, yet closes <p> */
        "<ul><li>one<li>two</ul><dl><dt>t<dd>d<dt>u</dl>",
        "<script></p>x</script>y",
        "<p><script>a</scriptx>b</SCRIPT >c",
        "<style>p { x: '</p>' }</style>kept",
        "text<script>never closed <b>",
        "<video><source src=a.mp4>fallback</video>", /* <source> has content here */
        "<td nowrap ismap=x hidden class= a title=\"q&quot;&amp;&#65;\" class=dup>cell",
        "<img src=\"/p.png\" alt='it&apos;s' onerror=x()/>after",
        "<a href=\"javascript:alert(1)\">j</a><a href=\" /rel?a=1&amp;b=2\">r</a>",
        "R&D &amp x &#65 &#0; &#x41;q &nbsp &foo; & b &#;",
        "5 < 6 <> <3 <_x> <=",
        "a<!-- <p>c</p> -->b<!---->c<!-->d-->e",
        "  \t\n  ",
        "caf\xc3\xa9\xc2\xa0\xc2\xa0x \xc2\xbd <br>\n<hr/>y",
        "<h1>T</h1>\n<p>one &mdash; <em>two</em></p><blockquote>q</blockquote>",
        "<custom-el>x</custom-el><blink>y</blink><foo/>z",
        "<iframe src=x>in</iframe><object>o</object><noscript>n</noscript><svg>s</svg>",
        "<select><option>a<option>b</select><textarea>t</textarea>",
        "<center>c</center><font color=red>f</font><embed src=x>e",
        "<scr<script>ipt>alert(1)</script>x", /* obfuscated scripts */
        "<<script>script>alert(2)</script>y<style><!--</style>z-->",
        "<a href=\"jav&#x09;ascript:x\" onmouseover=y>l</a><img src=javascript:z>",
    };
    static const char *const declined[] = {
        "<!DOCTYPE html><p>x",         /* doctype */
        "<?php echo 1 ?>x",            /* processing instruction */
        "<html><body>x</body></html>", /* document elements */
        "a\r\nb",                      /* CR */
        "bad \xff byte <b>x</b>",      /* not UTF-8 */
        "<o:p>Word</o:p>",             /* prefixed name */
        "<a xml:lang=en>x</a>",
        "<p title=\"unterminated", /* tag cut off */
        "x<!-- unterminated",
        "<!x>",
    };
    struct feed_html_parser *p = feed_html_parser_new();
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
        bool took = stream_agrees(p, taken[i], "https://ex.com/d/page");
        if (!took)
            fprintf(stderr, "  not taken: [%s]\n", taken[i]);
        CHECK(took);
    }
    for (size_t i = 0; i < sizeof(declined) / sizeof(declined[0]); i++)
        CHECK(!stream_agrees(p, declined[i], NULL));
    /* deep nesting goes to the tree (which cuts it off at FEED_MAX_DEPTH) */
    struct buf deep = BUF_INIT;
    for (int i = 0; i < 300; i++)
        buf_addstr(&deep, "<span>");
    buf_addstr(&deep, "deep");
    CHECK(!stream_agrees(p, deep.ptr, NULL));
    buf_release(&deep);
    /* and what feed_html_render() returns is the tree's rendering either way */
    char *t = NULL, *s = NULL;
    feed_html_render(p, "<p>Hi <script>x()</script><b>there</b>", NULL, &t, &s);
    CHECK_STR(t, "Hi there");
    CHECK_STR(s, "<p>Hi <b>there</b></p>");
    free(t);
    free(s);
    feed_html_parser_free(p);
}

/* A fixed-seed generator of broken HTML: elements libxml2 and the
 * renderer know and some they do not, in any nesting and case, with all
 * shapes of attributes and references, comments, scripts, stray end tags
 * and a few constructs the streaming renderer declines. */
static uint64_t gen_state = 0x9E3779B97F4A7C15ULL;
static unsigned gen_rand(unsigned n)
{
    gen_state ^= gen_state << 13;
    gen_state ^= gen_state >> 7;
    gen_state ^= gen_state << 17;
    return (unsigned)(gen_state % n);
}
#define GEN_PICK(a) ((a)[gen_rand(sizeof(a) / sizeof((a)[0]))])

static void gen_fragment(struct buf *b)
{
    static const char *const names[] = {
        "a",         "abbr",     "address",    "applet",   "area",   "article",  "b",
        "base",      "big",      "blockquote", "br",       "button", "caption",  "center",
        "code",      "col",      "colgroup",   "dd",       "del",    "details",  "dir",
        "div",       "dl",       "dt",         "em",       "embed",  "fieldset", "figure",
        "font",      "form",     "frame",      "frameset", "h1",     "h3",       "head",
        "hr",        "i",        "iframe",     "img",      "input",  "ins",      "label",
        "legend",    "li",       "link",       "listing",  "map",    "math",     "menu",
        "meta",      "noembed",  "noframes",   "noscript", "object", "ol",       "optgroup",
        "option",    "p",        "param",      "pre",      "q",      "s",        "script",
        "section",   "select",   "small",      "source",   "span",   "strike",   "strong",
        "style",     "sub",      "summary",    "svg",      "table",  "tbody",    "td",
        "template",  "textarea", "tfoot",      "th",       "thead",  "title",    "tr",
        "tt",        "u",        "ul",         "video",    "wbr",    "xmp",      "foo",
        "custom-el", "x.y",      "DIV",        "P",        "Li",     "TD",       "SCRIPT",
        "nobr",      "blink",
    };
    static const char *const common[] = {
        "p",   "div", "b",      "i",  "a",   "span", "li", "ul", "td",    "tr",   "table",  "br",
        "img", "em",  "strong", "h2", "pre", "dd",   "dt", "th", "tbody", "form", "option", "font"};
    static const char *const attr_names[] = {
        "href",   "src",        "class",   "title", "alt", "onclick", "style",
        "nowrap", "hidden",     "compact", "cite",  "id",  "HREF",    "data-x",
        "ismap",  "background", "width",   "_x",    ".y",  "checked", "value",
    };
    static const char *const attr_values[] = {
        "x",
        "/rel/path",
        "http://ex.com/a?b=1&amp;c=2",
        "javascript:alert(1)",
        "a&quot;b",
        "&#65;&#x42;",
        "&foo;bar",
        "&amp",
        "it's",
        "a b",
        "",
        "caf\xc3\xa9",
        "mailto:a@b.c",
        "&lt;script&gt;",
        "&nbsp;",
        "x&y",
        "a\tb\nc",
        "../up",
        ">",
    };
    static const char *const texts[] = {
        "hello",
        " ",
        "  ",
        "\n",
        "\t",
        "word ",
        "5 < 6",
        "a > b",
        "&amp;",
        "&lt;&gt;",
        "&nbsp;",
        "&#8212;",
        "&#x41;",
        "&#65",
        "&#0;",
        "&#;",
        "&foo;",
        "&amp",
        "AT&T",
        "& b",
        "&",
        "&#xD800;",
        "&#1114111;",
        "&#13;",
        "&#10;",
        "&apos;",
        "&eacute;",
        "caf\xc3\xa9",
        "\xc2\xa0",
        "\xc2\xbd",
        "\xf0\x9f\x98\x80",
        "<3",
        "< b",
        "<_x>",
        "<>",
        "\"q\"",
        "&Amp;",
        "&a.b;",
        "&nbspx;",
        "  \xc2\xa0 ",
    };
    static const char *const others[] = {
        "<!-- c -->",
        "<!---->",
        "<!-- a -- b -->",
        "<!--<p>-->",
        "<!-->x-->",
        "<script>var x='<p>';</script>",
        "<style>a</p>b</STYLE>",
        "<script>a</scriptx>b</script>",
        "<!DOCTYPE html>",
        "<?pi x?>",
        "<html>",
        "</body>",
        "\r\n",
        "<o:p>",
        "<img src=a",
    };
    int pieces = 1 + (int)gen_rand(25);
    for (int i = 0; i < pieces; i++) {
        unsigned k = gen_rand(100);
        const char *name = gen_rand(2) ? GEN_PICK(common) : GEN_PICK(names);
        if (k < 30) {
            buf_addf(b, "<%s", name);
            for (unsigned a = gen_rand(4); a > 0; a--) {
                buf_addstr(b, gen_rand(4) ? " " : "\n");
                if (!gen_rand(20)) {
                    buf_addstr(b, gen_rand(2) ? "\"y\"" : "/");
                    continue;
                }
                buf_addstr(b, GEN_PICK(attr_names));
                const char *v = GEN_PICK(attr_values);
                switch (gen_rand(5)) {
                case 0: break;
                case 1: buf_addf(b, "=\"%s\"", v); break;
                case 2: buf_addf(b, " = '%s'", v); break;
                default: buf_addf(b, "=%s", strpbrk(v, " \t\n>'") || !*v ? "v" : v); break;
                }
            }
            buf_addstr(b, gen_rand(8) ? ">" : "/>");
        } else if (k < 50) {
            buf_addf(b, "</%s%s>", name, gen_rand(6) ? "" : " ");
        } else if (k < 88) {
            buf_addstr(b, GEN_PICK(texts));
        } else if (k < 94) {
            buf_addstr(b, GEN_PICK(others));
        } else {
            for (unsigned d = gen_rand(8); d > 0; d--)
                buf_addf(b, "<%s>", GEN_PICK(common));
        }
    }
}

static void test_html_stream_generated(void)
{
    if (!stream_enabled())
        return;
    enum { N = 4000 };
    struct feed_html_parser *p = feed_html_parser_new();
    int taken = 0;
    for (int i = 0; i < N; i++) {
        struct buf b = BUF_INIT;
        gen_fragment(&b);
        taken += stream_agrees(i % 2 ? p : NULL, b.ptr, i % 3 ? "http://ex.com/dir/page" : NULL);
        buf_release(&b);
    }
    feed_html_parser_free(p);
    /* most of them are for the streaming renderer (the rest use something
     * it declines): the comparison above is not vacuous */
    CHECK(taken > N / 2);
}

/* The plain text copies a word 16 bytes at a time: words of every length
 * around that block, between each kind of white space (a no-break space,
 * and a 0xC2 lead byte that is not one), come out as the tree path has
 * them. */
static void test_html_stream_word_blocks(void)
{
    if (!stream_enabled())
        return;
    static const char *const seps[] = {" ",        "\n",    "\t",       "\r",   "\f",
                                       "\xc2\xa0", "  \n ", "\xc2\xa9", "<br>", "</b> <b>"};
    int taken = 0;
    for (size_t k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
        for (int len = 1; len <= 40; len++) {
            struct buf b = BUF_INIT;
            buf_addstr(&b, "<p><b>");
            for (int word = 0; word < 4; word++) {
                for (int i = 0; i < len + word; i++)
                    buf_addch(&b, (char)('a' + (i + word) % 26));
                buf_addstr(&b, seps[k]);
            }
            buf_addstr(&b, "end</b></p>");
            taken += stream_agrees(NULL, b.ptr, NULL);
            buf_release(&b);
        }
    }
    CHECK(taken > 300); /* not vacuous: the streaming renderer took them */
}

/* Every feed of ../shared (the corpus and feedparser's conformance suite):
 * the text of each element that carries a title, summary or content, read
 * both as text and as inner markup, rendered both ways. */
struct shared_stats {
    int files, values, taken; /* element text */
    int inner, inner_taken;   /* inner markup (CDATA sections are left to the tree) */
};

static bool is_content_element(const char *name)
{
    static const char *const names[] = {
        "abstract", "body",   "content",  "copyright", "description", "encoded",
        "info",     "rights", "subtitle", "summary",   "tagline",     "title",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(name, names[i]))
            return true;
    return false;
}

static void shared_value(struct feed_html_parser *p, char *v, int *values, int *taken)
{
    if (v && (strchr(v, '<') || strchr(v, '&'))) {
        ++*values;
        *taken += stream_agrees(p, v, "http://bench.example/feed.xml");
    }
    xmlFree(v);
}

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void shared_file(struct feed_html_parser *p, const char *path, struct shared_stats *st)
{
    xmlTextReaderPtr r = xmlReaderForFile(
        path, NULL, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r)
        return;
    st->files++;
    while (xmlTextReaderRead(r) == 1) {
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !name ||
            !is_content_element(name))
            continue;
        shared_value(p, (char *)xmlTextReaderReadString(r), &st->values, &st->taken);
        shared_value(p, (char *)xmlTextReaderReadInnerXml(r), &st->inner, &st->inner_taken);
    }
    xmlFreeTextReader(r);
}

struct shared_walk {
    struct feed_html_parser *parser;
    struct shared_stats *stats;
};

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && !strcmp(name + n - k, suffix);
}

static void shared_walk_file(const char *path, const char *name, void *arg)
{
    struct shared_walk *w = arg;
    if (has_suffix(name, ".xml") || has_suffix(name, ".rss") || has_suffix(name, ".rdf") ||
        has_suffix(name, ".atom"))
        shared_file(w->parser, path, w->stats);
}

static void test_html_stream_shared(void)
{
    if (!stream_enabled())
        return;
    const char *shared = getenv("ACHIM_SHARED");
    const char *const subdirs[] = {"corpus/feeds", "conformance"};
    struct feed_html_parser *p = feed_html_parser_new();
    xmlSetGenericErrorFunc(NULL, quiet); /* feeds in encodings libxml2 cannot read */
    for (size_t i = 0; i < 2; i++) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/%s", shared ? shared : "../shared", subdirs[i]);
        struct stat sb;
        if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            printf("skip - html stream vs tree: %s not found\n", dir);
            continue;
        }
        struct shared_stats st = {0};
        test_walk_files(dir, 5, shared_walk_file, &(struct shared_walk){p, &st});
        printf("# html stream vs tree on %s: %d files; %d values with markup, %d streamed; "
               "%d as inner markup, %d streamed\n",
               subdirs[i], st.files, st.values, st.taken, st.inner, st.inner_taken);
        CHECK(st.files > 0);
        CHECK(st.taken > st.values * 9 / 10);
    }
    xmlSetGenericErrorFunc(NULL, NULL);
    feed_html_parser_free(p);
}

/* feed_html_escape() works through 8 bytes at a time and in 4 KiB blocks;
   every position of a special byte, long inputs and capped buffers must
   come out as a byte-by-byte escape would */
static void test_html_escape(void)
{
    struct buf b = BUF_INIT;
    feed_html_escape(&b, "a<b>&\"c'", 8);
    CHECK_STR(b.ptr, "a&lt;b&gt;&amp;&quot;c'");
    buf_release(&b);
    char in[10000];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = "abcdefghij<klmno&pqrstuvwxyz\"0123456789>"[(i * 7 + i / 13) % 40];
    struct buf want = BUF_INIT;
    for (size_t i = 0; i < sizeof(in); i++) {
        const char *rep = in[i] == '<'   ? "&lt;"
                          : in[i] == '>' ? "&gt;"
                          : in[i] == '&' ? "&amp;"
                          : in[i] == '"' ? "&quot;"
                                         : NULL;
        if (rep)
            buf_addstr(&want, rep);
        else
            buf_add(&want, in + i, 1);
    }
    feed_html_escape(&b, in, sizeof(in));
    CHECK_INT(b.len, want.len);
    CHECK(!strcmp(b.ptr, want.ptr));
    /* appended, not overwritten */
    feed_html_escape(&b, "&", 1);
    CHECK(b.len == want.len + 5 && !strcmp(b.ptr + want.len, "&amp;"));
    buf_release(&b);
    /* a capped buffer keeps its cap */
    buf_init(&b, 12);
    feed_html_escape(&b, "x<y", 3);
    CHECK_STR(b.ptr, "x&lt;y");
    feed_html_escape(&b, in, sizeof(in));
    CHECK(b.len <= 12);
    buf_release(&b);
    buf_release(&want);
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

/* tidy() as documented, a byte at a time: the reference for the generated
   cases below. */
static char *tidy_reference(const char *s, bool one_line)
{
    struct buf b = BUF_INIT;
    bool space = false, line = false;
    for (const char *r = s; *r;) {
        unsigned char c = (unsigned char)*r;
        if (c == '\n' || c == '\f' || c == '\v') {
            line = true;
            r++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            space = true;
            r++;
        } else if (c == 0xC2 && (unsigned char)r[1] == 0xA0) {
            space = true;
            r += 2;
        } else {
            if (b.len && (line || space))
                buf_addch(&b, line && !one_line ? '\n' : ' ');
            line = space = false;
            buf_addch(&b, *r++);
        }
    }
    return buf_take(&b);
}

/* Separators at every offset of the 16-byte blocks tidy() and the
   streaming renderer skip at once (where a lone space between two words
   is copied as it is and anything else stops the skip): both must give
   what a byte-at-a-time reading gives. */
static const char *const gen_seps[] = {" ",  "  ",       "\t", "\n",  "\xc2\xa0", " \n",
                                       "\f", "\xc2\xa9", "\r", " \t", "\v",       " \xc2\xa0"};

static void gen_text(struct buf *b, size_t sep, int len, int seed)
{
    buf_reset(b);
    for (int word = 0; word < 7; word++) {
        int n = (len + word * seed) % 23 + 1;
        for (int i = 0; i < n; i++)
            buf_addch(b, (char)('a' + (i + word) % 26));
        /* mostly lone spaces, the given separator now and then */
        buf_addstr(b, (word + seed) % 3 ? " " : gen_seps[sep]);
    }
    buf_addstr(b, "end");
}

static void test_text_tidy_generated(void)
{
    struct buf b = BUF_INIT;
    int cases = 0;
    for (size_t k = 0; k < sizeof(gen_seps) / sizeof(gen_seps[0]); k++) {
        for (int len = 0; len < 24; len++) {
            for (int seed = 1; seed <= 3; seed++) {
                gen_text(&b, k, len, seed);
                for (int one_line = 0; one_line <= 1; one_line++) {
                    char *want = tidy_reference(b.ptr, one_line);
                    char *s = xstrdup(b.ptr);
                    char *got = one_line ? feed_text_line(s) : feed_text_tidy(s);
                    CHECK_STR(got, want);
                    free(got);
                    free(want);
                    cases++;
                }
            }
        }
    }
    CHECK_INT(cases, 12 * 24 * 3 * 2);
    buf_release(&b);
}

static void test_html_stream_lone_spaces(void)
{
    if (!stream_enabled())
        return;
    struct buf b = BUF_INIT, html = BUF_INIT;
    int taken = 0;
    for (size_t k = 0; k < sizeof(gen_seps) / sizeof(gen_seps[0]); k++) {
        for (int len = 0; len < 24; len++) {
            gen_text(&b, k, len, 1 + (int)k % 3);
            buf_reset(&html);
            buf_addstr(&html, "<p>");
            buf_add(&html, b.ptr, b.len);
            buf_addstr(&html, " &amp; \"quoted\" <i>x</i> ");
            buf_add(&html, b.ptr, b.len);
            buf_addstr(&html, "</p>");
            taken += stream_agrees(NULL, html.ptr, NULL);
        }
    }
    CHECK(taken > 200); /* not vacuous: the streaming renderer took them */
    buf_release(&b);
    buf_release(&html);
}

/* The paths the renderer takes without the tree, checked against it:
 * attributes repeated in other letter case, URL attributes the link
 * resolver keeps as they are (leading white space, percent-escapes) or
 * rewrites, the same entity many times (feed_html_entity remembers
 * answers) among unknown and overlong names, and text without markup
 * (tidied in one pass). */
static void test_html_stream_attrs_entities_plain(void)
{
    if (!stream_enabled())
        return;
    static const char *const cases[] = {
        "<a HREF=\"http://ex.com/a\" href=\"http://ex.com/b\">x</a>",
        "<img SRC=' https://ex.com/i%20j.png' alt=A ALT=B Width=3>",
        "<a href=\"https://ex.com/p?q=1#f\" title=\"t&amp;u\">y</a>",
        "<a href=\"/rel/x\">r</a><a href=\"#frag\">f</a><a href=\"https://ex.com\">h</a>",
        "<a href=\"javascript:alert(1)\">j</a><a href=\"java&#9;script:x\">k</a>",
        "<a href=\"HTTP://EX.COM/Up\">u</a><a href=\"https://ex.com/a/../b\">d</a>",
        "<p>&amp;&amp;&nbsp;&hellip;&amp;&bogus;&hellip;&amp;&"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;</p>",
        "<p title=\"&eacute;&amp;&eacute;&copy\">&eacute;&Eacute;&eacute;</p>",
        "plain words\twith\ttabs and\nnew lines and\xc2\xa0no-break\xc2\xa0spaces  ",
        "\xc2\xa0\xc2\xa0",
        "  x  ",
    };
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            const char *base = round ? "http://ex.com/dir/page" : NULL;
            stream_agrees(NULL, cases[i], base);
            /* feed_html_render (plain text without markup included) */
            char *t1 = NULL, *s1 = NULL, *t2 = NULL, *s2 = NULL;
            feed_html_render(NULL, cases[i], base, &t1, &s1);
            feed_html_render_tree(NULL, cases[i], base, &t2, &s2);
            CHECK_STR(t1, t2);
            CHECK_STR(s1, s2);
            free(t1);
            free(s1);
            free(t2);
            free(s2);
        }
    char u[8];
    for (int i = 0; i < 3; i++) {
        CHECK_INT(feed_html_entity("eacute", 6, u), 2);
        CHECK(!memcmp(u, "\xc3\xa9", 2));
        CHECK_INT(feed_html_entity("bogus", 5, u), 0);
        CHECK_INT(feed_html_entity("amp", 3, u), 1);
        CHECK(u[0] == '&');
        CHECK_INT(feed_html_entity("ampx", 3, u), 1); /* only n bytes count */
        CHECK_INT(feed_html_entity("Eacute", 6, u), 2);
        CHECK(!memcmp(u, "\xc3\x89", 2));
    }
}

/* Text runs between tags go to both renderings in one pass (32 and 16
 * bytes at a time, stopped by white space, a no-break space, a byte the
 * escape replaces, or markup): every such byte at every offset of a long
 * run, after a block start (a line break pending) and inside inline
 * elements, agrees with the tree; a fragment the renderer must decline
 * (bad UTF-8, control characters) is declined, and hostile markup in the
 * same runs stays neutralised. */
static void test_html_stream_text_runs(void)
{
    if (!stream_enabled())
        return;
    static const char *const specials[] = {
        " ",  "  ", "\t",  "\n",    " \n",        "\xc2\xa0",     "\xc2\xa9", ">",
        "\"", "'",  " >",  "&amp;", "&quot;&gt;", "&nbsp;",       "<b>x</b>", "<br>",
        "&",  "<",  "a<b", "x&y;",  "&#x41;",     "\xe6\x97\xa5",
    };
    static const char *const frames[][2] = {
        {"", ""},
        {"<p>", "</p>"},
        {"<div><b>", "</b> tail</div>"},
        {"<a href=\"javascript:alert(1)\" onclick=\"x()\">", "</a>"},
        {"<table><tr><td>", "</td><td>two</td></tr></table>"},
    };
    struct buf b = BUF_INIT;
    int taken = 0, cases = 0;
    for (size_t f = 0; f < sizeof(frames) / sizeof(frames[0]); f++)
        for (size_t k = 0; k < sizeof(specials) / sizeof(specials[0]); k++)
            for (int at = 0; at < 70; at++) {
                buf_reset(&b);
                buf_addstr(&b, frames[f][0]);
                for (int i = 0; i < 80; i++) {
                    if (i == at)
                        buf_addstr(&b, specials[k]);
                    /* words of 1 to 7 letters between single spaces */
                    buf_addch(&b, i % 7 == 6 ? ' ' : (char)('a' + i % 26));
                }
                buf_addstr(&b, frames[f][1]);
                taken += stream_agrees(NULL, b.ptr, f % 2 ? "http://ex.com/d/p" : NULL);
                cases++;
                /* both outputs at once, so that the check reads the
                 * sanitised HTML of the one-pass text runs */
                char *t = NULL, *s = NULL;
                CHECK(feed_html_render_stream(NULL, b.ptr, NULL, &t, &s) || (!t && !s));
                if (s)
                    CHECK(!strstr(s, "javascript:") && !strstr(s, "onclick"));
                free(t);
                free(s);
            }
    /* not vacuous: the renderer took them, but for a '<' that opens a
     * tag the input ends inside (left to the tree) */
    printf("# html stream text runs: %d fragments, %d streamed\n", cases, taken);
    CHECK(taken > cases * 9 / 10);
    /* what clean_prefix refuses the renderer declines, so these take the
     * tree path in feed_html_render */
    static const char *const unclean[] = {
        "<p>abc\xff def</p>",  "<p>abc \xc0\xaf</p>",       "<b>x\ry</b>",   "<b>x\x01y</b>",
        "<i>\xed\xa0\x80</i>", "<p>truncated \xe6\x97</p>", "<p>x\x7fy</p>", "<p>\xef\xbf\xbe</p>",
    };
    for (size_t i = 0; i < sizeof(unclean) / sizeof(unclean[0]); i++) {
        char *t = NULL, *s = NULL;
        CHECK(!feed_html_render_stream(NULL, unclean[i], NULL, &t, &s));
        CHECK(!t && !s);
    }
    /* and so at every offset of the 32 bytes clean_prefix reads at once
     * after markup, among which a valid character is no reason */
    static const char *const odd[] = {"\xff", "\r", "\x01", "\x7f", "\xc0\xaf", "\xc3\xa9"};
    for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++)
        for (int at = 0; at < 70; at++) {
            buf_reset(&b);
            buf_addstr(&b, "<p>");
            for (int i = 0; i < 80; i++) {
                if (i == at)
                    buf_addstr(&b, odd[k]);
                buf_addch(&b, (char)('a' + i % 26));
            }
            buf_addstr(&b, "</p>");
            char *t = NULL, *s = NULL;
            bool took = feed_html_render_stream(NULL, b.ptr, NULL, &t, &s);
            CHECK(took == (k == sizeof(odd) / sizeof(odd[0]) - 1));
            free(t);
            free(s);
        }
    buf_release(&b);
}

TESTS(TEST(test_html_to_text), TEST(test_html_stream_cases), TEST(test_html_stream_generated),
      TEST(test_html_stream_word_blocks), TEST(test_html_stream_shared), TEST(test_html_escape),
      TEST(test_html_sanitize), TEST(test_url_resolve), TEST(test_url_canonical),
      TEST(test_url_safe), TEST(test_text_tidy), TEST(test_text_tidy_generated),
      TEST(test_html_stream_lone_spaces), TEST(test_html_stream_attrs_entities_plain),
      TEST(test_html_stream_text_runs))
