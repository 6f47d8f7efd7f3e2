/* SPDX-License-Identifier: MIT */
/* html.c: HTML fragments from feeds, as plain text or as sanitised HTML.
 *
 * Feed content is HTML written by strangers: unclosed tags, HTML entities,
 * scripts, event handlers, javascript: links. Both functions here parse the
 * fragment with libxml2's forgiving HTML parser (no network, no encoding
 * switch by <meta>) and walk the tree: feed_html_to_text() keeps the words,
 * feed_html_sanitize() re-serialises only an allow-list of elements and
 * attributes modelled on feedparser's _HTMLSanitizer. The fragment is
 * wrapped in <html><body> so libxml2 does not invent <p> elements around
 * leading text. Input is capped by the caller (max_field), so building a
 * tree per field is bounded.
 *
 * That tree is the reference; most fragments never build it. A streaming
 * renderer (below) reads the HTML once, replaying the parser's decisions
 * without a tree, and prints both renderings exactly as the tree walks
 * would, several times faster; what it is unsure of goes to the tree. */
#include "feed/feed_int.h"

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/globals.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The element and attribute lists below are looked up for every node, by
 * binary search: keep each sorted (strcmp order) and ending in NULL. */
static bool in_sorted(const char *name, const char *const *list, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, list[mid]);
        if (!c)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}
#define in_list(name, list) in_sorted((name), (list), sizeof(list) / sizeof((list)[0]) - 1)

/* A reusable HTML parser: one per feed (see feed_html_render), so each
 * fragment costs a reset rather than a new context, dictionary and buffer. */
struct feed_html_parser {
    htmlParserCtxtPtr ctxt;
    struct buf src;
    struct buf scratch; /* the streaming renderer's (see feed_html_render_stream) */
};

struct feed_html_parser *feed_html_parser_new(void)
{
    struct feed_html_parser *p = xcalloc(1, sizeof(*p));
    p->src = (struct buf)BUF_INIT;
    p->scratch = (struct buf)BUF_INIT;
    return p;
}

void feed_html_parser_free(struct feed_html_parser *p)
{
    if (!p)
        return;
    if (p->ctxt)
        htmlFreeParserCtxt(p->ctxt);
    buf_release(&p->src);
    buf_release(&p->scratch);
    free(p);
}

static htmlDocPtr html_parse(struct feed_html_parser *p, const char *html, size_t n)
{
    buf_truncate(&p->src, 0);
    buf_add(&p->src, "<html><body>", 12);
    buf_add(&p->src, html, n);
    if (!p->ctxt) {
        feed_xml_init();
        p->ctxt = htmlNewParserCtxt();
        if (!p->ctxt)
            return NULL;
    } else {
        htmlCtxtReset(p->ctxt);
    }
    htmlParserCtxtPtr ctxt = p->ctxt;
    /* COMPACT keeps short text inside its node; NODEFDTD skips a DOCTYPE
     * node nobody reads */
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                 HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT |
                                 HTML_PARSE_NODEFDTD);
    /* (libxml2 2.9's static input buffers misread some fragments, e.g. a
     * DOCTYPE inside one, so the input is an ordinary memory buffer) */
    xmlParserInputBufferPtr in =
        xmlParserInputBufferCreateMem(p->src.ptr, (int)p->src.len, XML_CHAR_ENCODING_UTF8);
    if (!in)
        return NULL;
    xmlParserInputPtr stream = xmlNewIOInputStream(ctxt, in, XML_CHAR_ENCODING_UTF8);
    if (!stream) {
        xmlFreeParserInputBuffer(in);
        return NULL;
    }
    inputPush(ctxt, stream);
    htmlParseDocument(ctxt);
    htmlDocPtr d = ctxt->myDoc;
    ctxt->myDoc = NULL;
    return d;
}

/* SWAR tests on 8 bytes at once: does x hold a zero byte, a byte equal to
 * c, a byte below c (valid only when no byte has its top bit set)? */
#define BYTES_01 0x0101010101010101ULL
#define BYTES_80 0x8080808080808080ULL
static inline uint64_t load8(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}
static inline uint64_t has_zero(uint64_t x)
{
    return (x - BYTES_01) & ~x & BYTES_80;
}
static inline uint64_t has_byte(uint64_t x, unsigned char c)
{
    return has_zero(x ^ (BYTES_01 * c));
}
static inline uint64_t has_below(uint64_t x, unsigned char c)
{
    return (x - BYTES_01 * c) & ~x & BYTES_80;
}

/* the bytes feed_html_escape() replaces */
static const bool html_special[256] = {['&'] = true, ['<'] = true, ['>'] = true, ['"'] = true};

/* feed_html_escape() through buf_add(), which enforces a buffer's cap. */
static void escape_capped(struct buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!html_special[(unsigned char)c])
            buf_add(out, &c, 1);
        else
            buf_addstr(out, c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : "&quot;");
    }
}

void feed_html_escape(struct buf *out, const char *s, size_t n)
{
    if (out->max) {
        escape_capped(out, s, n);
        return;
    }
    size_t i = 0;
    while (i < n) {
        /* a block at a time, so that the room made for the worst case (6
         * bytes out for one in) stays small */
        size_t stop = n - i > 4096 ? i + 4096 : n;
        char *w = fbuf_room(out, (stop - i) * 6), *w0 = w;
        while (i < stop) {
#if defined(__SSE2__)
            /* 16 bytes at a time: all 16 are copied (the room has 6 bytes
             * per byte left), and w moves on by those before the first
             * special byte */
            while (i + 16 <= stop) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
                _mm_storeu_si128((__m128i *)(void *)w, v);
                __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')),
                                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')),
                                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
                unsigned bits = (unsigned)_mm_movemask_epi8(m);
                unsigned k = bits ? (unsigned)__builtin_ctz(bits) : 16;
                w += k;
                i += k;
                if (bits)
                    break;
            }
#endif
            while (i + 8 <= stop) {
                uint64_t x = load8(s + i);
                if (has_byte(x, '&') | has_byte(x, '<') | has_byte(x, '>') | has_byte(x, '"'))
                    break;
                memcpy(w, s + i, 8);
                w += 8;
                i += 8;
            }
            if (i == stop)
                break;
            char c = s[i++];
            if (!html_special[(unsigned char)c]) {
                *w++ = c;
                continue;
            }
            const char *rep = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : "&quot;";
            size_t len = strlen(rep);
            memcpy(w, rep, len);
            w += len;
        }
        *w = '\0';
        out->len += (size_t)(w - w0);
    }
}

/* The answers of feed_html_entity for recent names: libxml2's
 * htmlEntityLookup reads its table of 253 names one by one, and a feed
 * uses a few entities many times. Direct-mapped by name hash; a slot holds
 * the name, NUL-terminated, and its UTF-8 (len 0: not an entity). */
#define ENTITY_MEMO_SLOTS 64
static _Thread_local struct entity_memo {
    char name[40];
    char utf8[8];
    uint8_t len;
} entity_memo[ENTITY_MEMO_SLOTS];

size_t feed_html_entity(const char *name, size_t n, char out[8])
{
    char key[40];
    if (n == 0 || n >= sizeof(key))
        return 0;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)name[i]) * 16777619u;
    struct entity_memo *m = &entity_memo[h % ENTITY_MEMO_SLOTS];
    if (!memcmp(m->name, name, n) && !m->name[n]) {
        memcpy(out, m->utf8, m->len);
        return m->len;
    }
    memcpy(key, name, n);
    key[n] = '\0';
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)key);
    int len = e ? xmlCopyCharMultiByte((xmlChar *)out, (int)e->value) : 0;
    if (len < 0)
        len = 0;
    /* (a name with a NUL in it is looked up but never kept) */
    if (!memchr(name, '\0', n)) {
        memcpy(m->name, key, n + 1);
        memcpy(m->utf8, out, (size_t)len);
        m->len = (uint8_t)len;
    }
    return (size_t)len;
}

/* ---- plain text ------------------------------------------------------------ */

/* Elements whose content is not text a reader sees. <embed> is void in
 * HTML, but libxml2 nests what follows an unclosed one inside it: that
 * text is kept. */
static const char *const text_skip[] = {
    "applet", "head",   "iframe", "math", "noembed",  "noframes", "noscript", "object",
    "script", "select", "style",  "svg",  "template", "title",    NULL,
};

/* Elements that start a new line. */
static const char *const text_block[] = {
    "address", "article", "aside", "blockquote", "br",       "caption",    "center", "dd",
    "details", "div",     "dl",    "dt",         "fieldset", "figcaption", "figure", "footer",
    "form",    "h1",      "h2",    "h3",         "h4",       "h5",         "h6",     "header",
    "hr",      "legend",  "li",    "main",       "nav",      "ol",         "p",      "pre",
    "section", "summary", "table", "tr",         "ul",       NULL,
};

static void text_walk(xmlNodePtr n, struct buf *out, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE) {
            /* line breaks in HTML source are spaces; only blocks break lines */
            size_t start = out->len;
            buf_addstr(out, (const char *)n->content);
            for (size_t i = start; i < out->len; i++)
                if (out->ptr[i] == '\n' || out->ptr[i] == '\r' || out->ptr[i] == '\f')
                    out->ptr[i] = ' ';
        } else if (n->type == XML_ELEMENT_NODE && depth < FEED_MAX_DEPTH) {
            const char *name = (const char *)n->name;
            if (in_list(name, text_skip))
                continue;
            bool block = in_list(name, text_block);
            if (block)
                buf_addch(out, '\n');
            text_walk(n->children, out, depth + 1);
            if (block)
                buf_addch(out, '\n');
            else if ((name[0] == 't' && (name[1] == 'd' || name[1] == 'h') && !name[2]))
                buf_addch(out, ' ');
        }
    }
}

/* ASCII as the HTML parser reads it: 0 for a character it takes as itself,
 * 1 for the start of markup or a reference, 2 for a character it
 * normalises or drops (CR, other controls, DEL). */
static const unsigned char ascii_class[128] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
};

/* Length of the longest prefix of s made only of characters the HTML
 * parser reads as themselves (no CR or other control characters it
 * normalises or drops, no noncharacter U+FFFE/U+FFFF, only well-formed
 * UTF-8), markup and references aside; *markup tells whether that prefix
 * has any '<' or '&'. A clean fragment without markup needs no parse. */
static size_t clean_prefix(const char *s, size_t n, bool *markup)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    *markup = false;
    while (i < n) {
#if defined(__SSE2__)
        /* once markup was seen, 32 bytes at a time: only a byte below 0x20
         * or above 0x7E ends the run, and those are the bytes b for which
         * b + 1, signed, is below 0x21 (0x7F and up wrap round) */
        if (*markup) {
            const __m128i one = _mm_set1_epi8(1), lim = _mm_set1_epi8(0x21);
            while (i + 32 <= n) {
                __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
                __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
                __m128i stop = _mm_or_si128(_mm_cmpgt_epi8(lim, _mm_add_epi8(a, one)),
                                            _mm_cmpgt_epi8(lim, _mm_add_epi8(b, one)));
                if (_mm_movemask_epi8(stop))
                    break; /* (found below) */
                i += 32;
            }
        }
        /* plain ASCII text 16 bytes at a time: a byte below 0x20 or above
         * 0x7E (signed: negative), or '<' and '&' until markup was seen,
         * ends the run */
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i stop = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                                        _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
            if (!*markup)
                stop = _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
                                                       _mm_cmpeq_epi8(v, _mm_set1_epi8('&'))));
            unsigned bits = (unsigned)_mm_movemask_epi8(stop);
            if (bits) {
                i += (unsigned)__builtin_ctz(bits);
                break;
            }
            i += 16;
        }
#endif
        /* plain ASCII text 8 bytes at a time */
        while (i + 8 <= n) {
            uint64_t x = load8(s + i);
            if ((x & BYTES_80) | has_below(x, 0x20) | has_byte(x, 0x7F) |
                (*markup ? 0 : has_byte(x, '<') | has_byte(x, '&')))
                break;
            i += 8;
        }
        if (i == n)
            break;
        unsigned char c = p[i];
        if (c < 0x80) {
            if (ascii_class[c]) {
                if (ascii_class[c] == 2)
                    return i;
                *markup = true;
            }
            i++;
            continue;
        }
        size_t k = c >= 0xC2 && c <= 0xDF   ? 1
                   : c >= 0xE0 && c <= 0xEF ? 2
                   : c >= 0xF0 && c <= 0xF4 ? 3
                                            : 0;
        if (!k || i + k >= n)
            return i;
        unsigned long cp = c & (0x3F >> k);
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
            return i;
        i += k + 1;
    }
    return i;
}

static bool is_blank_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            return false;
    return true;
}

struct stream;
static char *text_of_plain(const char *s, size_t n);

char *feed_html_to_text(const char *html)
{
    char *text = NULL;
    if (html)
        feed_html_render(NULL, html, NULL, &text, NULL);
    return text;
}

/* ---- sanitising ------------------------------------------------------------ */

/* feedparser's _HTMLSanitizer.acceptable_elements, less the form controls. */
static const char *const san_elements[] = {
    "a",        "abbr",       "acronym",    "address", "area",     "article",  "aside",    "audio",
    "b",        "big",        "blockquote", "br",      "canvas",   "caption",  "center",   "cite",
    "code",     "col",        "colgroup",   "command", "datagrid", "datalist", "dd",       "del",
    "details",  "dfn",        "dialog",     "dir",     "div",      "dl",       "dt",       "em",
    "fieldset", "figcaption", "figure",     "font",    "footer",   "h1",       "h2",       "h3",
    "h4",       "h5",         "h6",         "header",  "hr",       "i",        "img",      "ins",
    "kbd",      "label",      "legend",     "li",      "m",        "main",     "map",      "mark",
    "menu",     "meter",      "multicol",   "nav",     "nextid",   "ol",       "optgroup", "option",
    "output",   "p",          "picture",    "pre",     "progress", "q",        "s",        "samp",
    "section",  "small",      "sound",      "source",  "spacer",   "span",     "strike",   "strong",
    "sub",      "summary",    "sup",        "table",   "tbody",    "td",       "tfoot",    "th",
    "thead",    "time",       "tr",         "tt",      "u",        "ul",       "var",      "video",
    NULL,
};

/* Removed together with everything inside them. feedparser drops the
 * content of script, applet and style; embedded objects, frames and forms
 * carry nothing a reader of a news item needs either. (<embed> is only
 * unwrapped: see text_skip.) */
static const char *const san_drop[] = {
    "applet", "base",   "button", "form",    "frame",    "frameset", "head",   "iframe",
    "link",   "math",   "meta",   "noembed", "noframes", "noscript", "object", "param",
    "script", "select", "style",  "svg",     "template", "textarea", "title",  NULL,
};

/* feedparser's acceptable_attributes, less style (its CSS filter is not
 * reproduced here) and the form-only ones. */
static const char *const san_attrs[] = {
    "abbr",    "align",       "alt",         "axis",        "background", "balance", "bgcolor",
    "border",  "bordercolor", "cellpadding", "cellspacing", "char",       "charoff", "cite",
    "class",   "clear",       "color",       "cols",        "colspan",    "compact", "controls",
    "coords",  "datetime",    "dir",         "face",        "headers",    "height",  "hidden",
    "high",    "href",        "hreflang",    "hspace",      "id",         "ismap",   "label",
    "lang",    "longdesc",    "loop",        "low",         "max",        "media",   "min",
    "name",    "nohref",      "noshade",     "nowrap",      "open",       "optimum", "poster",
    "preload", "rel",         "rev",         "rows",        "rowspan",    "rules",   "scope",
    "shape",   "size",        "span",        "src",         "start",      "summary", "tabindex",
    "target",  "title",       "type",        "usemap",      "valign",     "value",   "vspace",
    "width",   "xml:lang",    NULL,
};

/* Attributes holding a URL: checked for scheme and made absolute. */
static const char *const san_url_attrs[] = {
    "background", "cite", "href", "longdesc", "poster", "src", "usemap", NULL,
};

static const char *const san_void[] = {
    "area", "br", "col", "hr", "img", "source", "spacer", "wbr", NULL,
};

/* One allowed attribute an="val" (an is an_len bytes) of a kept element;
 * a URL attribute (is_url: in san_url_attrs) is dropped when its scheme is
 * unsafe and made absolute against base. */
static void san_attr(struct buf *out, const char *an, size_t an_len, bool is_url, const char *val,
                     const char *base)
{
    char *resolved = NULL;
    size_t len = 0;
    if (is_url) {
        /* (an http(s) URL as it stands is safe) */
        const char *as_is = base ? feed_url_as_is(val, &len) : NULL;
        if (as_is) {
            val = as_is; /* what feed_url_resolve would copy */
        } else {
            if (!feed_url_is_safe(val))
                return;
            if (base && (resolved = feed_url_resolve(base, val)))
                val = resolved;
        }
    }
    if (!len)
        len = strlen(val);
    fbuf_addch(out, ' ');
    fbuf_add(out, an, an_len);
    fbuf_add(out, "=\"", 2);
    feed_html_escape(out, val, len);
    fbuf_addch(out, '"');
    free(resolved);
}

static void san_walk(xmlNodePtr n, struct buf *out, const char *base, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE) {
            const char *t = (const char *)n->content;
            feed_html_escape(out, t, strlen(t));
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || depth >= FEED_MAX_DEPTH)
            continue;
        const char *name = (const char *)n->name;
        if (in_list(name, san_drop))
            continue;
        if (!in_list(name, san_elements)) {
            san_walk(n->children, out, base, depth + 1); /* keep the text, drop the tag */
            continue;
        }
        buf_addch(out, '<');
        buf_addstr(out, name);
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            const char *an = (const char *)a->name;
            if (!in_list(an, san_attrs))
                continue;
            /* the HTML parser gives an attribute one text child, or none
             * when the value is empty or absent */
            xmlChar *v = NULL;
            const char *val;
            if (!a->children)
                val = "";
            else if (a->children->type == XML_TEXT_NODE && !a->children->next)
                val = (const char *)a->children->content;
            else
                val = (const char *)(v = xmlNodeGetContent((xmlNodePtr)a));
            if (!val)
                val = an;
            san_attr(out, an, strlen(an), in_list(an, san_url_attrs), val, base);
            xmlFree(v);
        }
        if (in_list(name, san_void)) {
            buf_add(out, " />", 3);
            continue;
        }
        buf_addch(out, '>');
        san_walk(n->children, out, base, depth + 1);
        buf_add(out, "</", 2);
        buf_addstr(out, name);
        buf_addch(out, '>');
    }
}

/* ---- streaming renderer ------------------------------------------------------ */

/* Most fragments are rendered without a tree: one pass over the HTML that
 * reproduces, event for event, what libxml2's HTML parser (2.9 series, as
 * configured in html_parse) would build and the two walks above would
 * print. It follows the parser's rules for what a start tag closes (asked
 * of libxml2 itself, see el_init), which end tags are ignored, void
 * elements, script and style content, references and attribute values.
 * Whatever it is not sure to read the same way (doctype, processing
 * instructions, "<!" that is not a comment, html/head/body tags, prefixed
 * names, CR and control characters, bad UTF-8, a tag or comment cut off by
 * the end of the input, very deep nesting) makes it give up before
 * anything is returned, and the fragment takes the tree path instead.
 * tests/unit/feed/test_html.c checks the two agree on generated fragments. */

/* Every element name either libxml2 or the lists above know. Names outside
 * it are unknown to both (checked as they are met). */
static const char *const el_names[] = {
    "a",          "abbr",     "acronym",  "address",  "applet",   "area",       "article",
    "aside",      "audio",    "b",        "base",     "basefont", "bdo",        "big",
    "blockquote", "body",     "br",       "button",   "canvas",   "caption",    "center",
    "cite",       "code",     "col",      "colgroup", "command",  "datagrid",   "datalist",
    "dd",         "del",      "details",  "dfn",      "dialog",   "dir",        "div",
    "dl",         "dt",       "em",       "embed",    "fieldset", "figcaption", "figure",
    "font",       "footer",   "form",     "frame",    "frameset", "h1",         "h2",
    "h3",         "h4",       "h5",       "h6",       "head",     "header",     "hr",
    "html",       "i",        "iframe",   "img",      "input",    "ins",        "isindex",
    "kbd",        "label",    "legend",   "li",       "link",     "listing",    "m",
    "main",       "map",      "mark",     "math",     "menu",     "meta",       "meter",
    "multicol",   "nav",      "nextid",   "noembed",  "noframes", "noscript",   "object",
    "ol",         "optgroup", "option",   "output",   "p",        "param",      "picture",
    "pre",        "progress", "q",        "s",        "samp",     "script",     "section",
    "select",     "small",    "sound",    "source",   "spacer",   "span",       "strike",
    "strong",     "style",    "sub",      "summary",  "sup",      "svg",        "table",
    "tbody",      "td",       "template", "textarea", "tfoot",    "th",         "thead",
    "time",       "title",    "tr",       "tt",       "u",        "ul",         "var",
    "video",      "wbr",      "xmp",
};
#define NEL (sizeof(el_names) / sizeof(el_names[0]))
#define EL_UNKNOWN NEL

enum {
    EL_LX_EMPTY = 1 << 0,   /* libxml2 closes it right after its start tag */
    EL_RAW = 1 << 1,        /* script, style: content read as raw text */
    EL_ROOT = 1 << 2,       /* html, head, body: left to the tree path */
    EL_TEXT_SKIP = 1 << 3,  /* text_skip */
    EL_TEXT_BLOCK = 1 << 4, /* text_block */
    EL_TEXT_CELL = 1 << 5,  /* td, th */
    EL_SAN_DROP = 1 << 6,   /* san_drop */
    EL_SAN_KEEP = 1 << 7,   /* san_elements */
    EL_SAN_VOID = 1 << 8,   /* san_void */
};

static uint16_t el_flags[NEL + 1];
static uint8_t el_prio[NEL + 1];
static pthread_once_t el_once = PTHREAD_ONCE_INIT;
/* The rules below are those of libxml2 2.9 (checked against 2.9.14); its
 * HTML parser changed much in later series, whose fragments all take the
 * tree path until the renderer is checked against them. */
static bool stream_supported;

/* Exact-match lookup of lowercase names in a fixed list: an open-addressed
 * table of list index + 1, filled once by el_init. */
#define NAME_SLOTS 512
static uint32_t name_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void slots_add(uint16_t *slots, const char *name, size_t index)
{
    size_t i = name_hash(name, strlen(name)) % NAME_SLOTS;
    while (slots[i])
        i = (i + 1) % NAME_SLOTS;
    slots[i] = (uint16_t)(index + 1);
}

/* The index of name[0..len), whose name_hash is h, in list (whose
 * entries are lens[i] bytes long), or -1. */
static long slots_find(const uint16_t *slots, const char *const *list, const uint8_t *lens,
                       const char *name, size_t len, uint32_t h)
{
    for (size_t i = h % NAME_SLOTS; slots[i]; i = (i + 1) % NAME_SLOTS) {
        size_t k = slots[i] - 1u;
        if (lens[k] == len && !memcmp(list[k], name, len))
            return (long)k;
    }
    return -1;
}

#define NSAN_ATTRS (sizeof(san_attrs) / sizeof(san_attrs[0]) - 1)
static uint16_t el_slots[NAME_SLOTS], attr_slots[NAME_SLOTS];
static uint8_t el_len[NEL], attr_len[NSAN_ATTRS];
static uint16_t el_html, el_body;    /* the ids of html and body */
static bool attr_is_url[NSAN_ATTRS]; /* san_attrs[i] is in san_url_attrs */

/* Bytes of HTML names as libxml2 reads them (htmlParseHTMLName): name
 * characters, and among them ':' and '.', which the stream treats apart. */
enum { NC_NAME = 1, NC_COLON = 2, NC_DOT = 4 };
static unsigned char name_class[256];
static unsigned char name_lower[256]; /* a name character in lower case */

/* libxml2's answer: does a start tag of new_name close an open old_name
 * (both lower case)? htmlAutoCloseTag(doc, old, node) asks it of node's
 * name. */
static bool lx_start_closes(const char *new_name, const char *old_name)
{
    xmlNode node;
    memset(&node, 0, sizeof(node));
    node.type = XML_ELEMENT_NODE;
    node.name = (const xmlChar *)new_name;
    return htmlAutoCloseTag(NULL, (const xmlChar *)old_name, &node) == 1;
}

/* the elements a start tag of the same name closes (libxml2 2.9's
 * htmlCheckAutoClose(x, x), which its public htmlAutoCloseTag cannot
 * answer; test_html.c checks this list against the parser) */
static const char *const closes_itself[] = {
    "a", "colgroup", "form", "li", "option", "p", "tbody", "td", "th", "tr", NULL,
};

/* el_closes[new][old]: 0 not asked yet, else 1 + whether it closes.
 * Asked of libxml2 on first use, pair by pair: a document uses a few
 * elements, and asking about every pair (or every pair of a row) once cost
 * more than most parses. Two threads asking at once write the same. */
static atomic_uchar el_closes[NEL][NEL];

static bool el_closes_pair(size_t id, size_t old_id)
{
    unsigned char v = atomic_load_explicit(&el_closes[id][old_id], memory_order_relaxed);
    if (!v) {
        const char *name = el_names[id];
        bool closes =
            id == old_id ? in_list(name, closes_itself) : lx_start_closes(name, el_names[old_id]);
        v = (unsigned char)(1 + closes);
        atomic_store_explicit(&el_closes[id][old_id], v, memory_order_relaxed);
    }
    return v == 2;
}

static bool is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* A character of an HTML name as libxml2 reads one (htmlParseHTMLName). */
static bool is_name_char(unsigned char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_' || c == '.';
}

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void el_init(void)
{
    feed_xml_init();
    stream_supported = atoi(xmlParserVersion) / 100 == 209;
    for (size_t i = 0; i < NEL; i++) {
        const char *name = el_names[i];
        const htmlElemDesc *d = htmlTagLookup((const xmlChar *)name);
        uint16_t f = 0;
        if (d && d->empty)
            f |= EL_LX_EMPTY;
        if (!strcmp(name, "script") || !strcmp(name, "style"))
            f |= EL_RAW;
        if (!strcmp(name, "html") || !strcmp(name, "head") || !strcmp(name, "body"))
            f |= EL_ROOT;
        if (in_list(name, text_skip))
            f |= EL_TEXT_SKIP;
        if (in_list(name, text_block))
            f |= EL_TEXT_BLOCK;
        if (!strcmp(name, "td") || !strcmp(name, "th"))
            f |= EL_TEXT_CELL;
        if (in_list(name, san_drop))
            f |= EL_SAN_DROP;
        if (in_list(name, san_elements))
            f |= EL_SAN_KEEP;
        if (in_list(name, san_void))
            f |= EL_SAN_VOID;
        el_flags[i] = f;
        /* how far a misplaced end tag may reach (libxml2's
         * htmlGetEndPriority): it never closes an element of higher
         * priority on its way */
        static const struct {
            const char *name;
            uint8_t prio;
        } prios[] = {{"div", 150},   {"td", 160},    {"th", 160},    {"tr", 170},
                     {"thead", 180}, {"tbody", 180}, {"tfoot", 180}, {"table", 190},
                     {"head", 200},  {"body", 200},  {"html", 220}};
        el_prio[i] = 100;
        for (size_t k = 0; k < sizeof(prios) / sizeof(prios[0]); k++)
            if (!strcmp(name, prios[k].name))
                el_prio[i] = prios[k].prio;
    }
    el_prio[EL_UNKNOWN] = 100;
    for (size_t i = 0; i < NEL; i++) {
        slots_add(el_slots, el_names[i], i);
        el_len[i] = (uint8_t)strlen(el_names[i]);
    }
    for (size_t i = 0; i < NSAN_ATTRS; i++) {
        slots_add(attr_slots, san_attrs[i], i);
        attr_len[i] = (uint8_t)strlen(san_attrs[i]);
        attr_is_url[i] = in_list(san_attrs[i], san_url_attrs);
    }
    el_html = (uint16_t)slots_find(el_slots, el_names, el_len, "html", 4, name_hash("html", 4));
    el_body = (uint16_t)slots_find(el_slots, el_names, el_len, "body", 4, name_hash("body", 4));
    for (unsigned c = 0; c < 256; c++)
        if (is_name_char((unsigned char)c)) {
            name_class[c] = NC_NAME | (c == ':' ? NC_COLON : 0) | (c == '.' ? NC_DOT : 0);
            name_lower[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        }
}

/* libxml2's names are case-insensitive and at most 99 bytes long (longer
 * ones it cuts, which is left to the tree path) */
#define NAME_MAX_LEN 99

static void lower_name(char *out, const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (char)(name[i] | ((name[i] >= 'A' && name[i] <= 'Z') ? 0x20 : 0));
    out[len] = '\0';
}

/* The element id of a lower-case name (NUL-terminated, len bytes, of
 * name_hash h), EL_UNKNOWN if not in el_names. */
static size_t el_lookup_low(const char *low, size_t len, uint32_t h)
{
    long id = slots_find(el_slots, el_names, el_len, low, len, h);
    if (id >= 0)
        return (size_t)id;
    /* a name libxml2 knows but el_names lacks would be handled wrongly */
    if (htmlTagLookup((const xmlChar *)low))
        return SIZE_MAX;
    return EL_UNKNOWN;
}

/* Does a start tag of (id, name) close the open element (old_id, old)? */
static bool el_closes_open(size_t id, const char *name, size_t len, size_t old_id, const char *old,
                           size_t old_len)
{
    if (id != EL_UNKNOWN && old_id != EL_UNKNOWN)
        return el_closes_pair(id, old_id); /* libxml2's htmlStartClose */
    /* a name el_names lacks may still be in libxml2's list: ask it */
    char a[NAME_MAX_LEN + 1], b[NAME_MAX_LEN + 1];
    lower_name(a, id == EL_UNKNOWN ? name : el_names[id],
               id == EL_UNKNOWN ? len : strlen(el_names[id]));
    lower_name(b, old_id == EL_UNKNOWN ? old : el_names[old_id],
               old_id == EL_UNKNOWN ? old_len : strlen(el_names[old_id]));
    return strcmp(a, b) && lx_start_closes(a, b);
}

/* An element open in the stream, with what its end prints. */
struct open_el {
    const char *name; /* as written, for unknown elements */
    uint16_t len;
    uint16_t id;
    char text_close; /* '\n' (block), ' ' (cell) or 0 */
    bool text_hide;  /* its content is not text */
    bool san_hide;   /* its content is dropped from the sanitised HTML */
    bool san_close;  /* the sanitised HTML needs its end tag */
};

/* Deeper nesting is left to the tree path, which cuts at FEED_MAX_DEPTH. */
#define STREAM_MAX_DEPTH 200
#define STREAM_MAX_ATTRS 64

struct attr {
    size_t name, value; /* offsets into the scratch buffer, NUL-terminated */
    uint32_t hash;      /* name_hash of the (lower-case) name */
    uint8_t name_len;
    bool has_value;
};

struct stream {
    const char *s;
    size_t n;
    struct buf *text, *san; /* either may be NULL */
    const char *base;
    struct buf scratch; /* one start tag's attribute names and values */
    struct attr attrs[STREAM_MAX_ATTRS];
    size_t nattrs;
    struct open_el st[STREAM_MAX_DEPTH];
    int top;
    bool space, line; /* separators pending in the plain text */
};

/* Does a start tag of (id, name) close the innermost open element? */
static bool closes_top(const struct stream *r, size_t id, const char *name, size_t len)
{
    const struct open_el *top = &r->st[r->top];
    return el_closes_open(id, name, len, top->id, top->name, top->len);
}

/* Bytes the tidying below looks at: white space and 0xC2 (the lead byte
 * of U+00A0 NO-BREAK SPACE). */
static const bool tidy_special[256] = {
    [' '] = true, ['\t'] = true, ['\n'] = true, ['\r'] = true, ['\f'] = true, [0xC2] = true,
};

/* Text for the plain rendering, tidied as it comes: this is text_walk()
 * (line breaks inside text are spaces) followed by feed_text_tidy() (runs
 * of white space and no-break spaces become one space, or one line break
 * when a block boundary is among them; none at either end), done in one
 * pass. A UTF-8 sequence never straddles two calls. */
static void text_add(struct stream *r, const char *p, size_t len)
{
    struct buf *b = r->text;
    /* at most one separator more than the bytes in */
    char *w = fbuf_room(b, len + 1), *start = b->ptr;
    const char *end = p + len;
    bool space = r->space, line = r->line; /* (locals: kept in registers) */
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (tidy_special[c] && (c != 0xC2 || (p + 1 < end && (unsigned char)p[1] == 0xA0))) {
            space = true;
            p += c == 0xC2 ? 2 : 1;
            continue;
        }
        if (line || space) {
            if (w > start)
                *w++ = line ? '\n' : ' ';
            line = space = false;
        }
        /* the rest of the word */
        *w++ = (char)*p++;
#if defined(__SSE2__)
        /* 16 bytes at a time: all 16 are copied, and w moves on by those
         * before the first special byte. (w is at most one byte further
         * into the room than p is into the input, and the room has that
         * byte and the NUL to spare, so the 16 fit.) */
        while (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            _mm_storeu_si128((__m128i *)(void *)w, v);
            __m128i other = _mm_or_si128(
                _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\f')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)))));
            unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
            unsigned ot = (unsigned)_mm_movemask_epi8(other);
            /* a lone ' ' between two bytes of words is what tidying would
             * make of it, so it is copied too (the byte before the block
             * is one of a word); a space before another special byte, or
             * last in the block, ends the copy */
            unsigned bits = ot | (sp & (((sp | ot) >> 1) | 0x8000u));
            unsigned k = bits ? (unsigned)__builtin_ctz(bits) : 16;
            p += k;
            w += k;
            if (bits)
                break;
        }
#endif
        while (p < end && !tidy_special[(unsigned char)*p])
            *w++ = *p++;
    }
    *w = '\0';
    b->len = (size_t)(w - start);
    r->space = space;
    r->line = line;
}

/* Plain text of a fragment that is all text (see clean_prefix): line
 * breaks read as spaces, then feed_text_tidy(), which is what text_add
 * does in one pass (clean text has no CR, form feed or other control
 * character that tidying would read differently). */
static char *text_of_plain(const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    struct stream r;
    r.text = &b;
    r.space = r.line = false;
    text_add(&r, s, n);
    return buf_take(&b);
}

/* Text as the parser passes it on: to the plain text and, escaped, to the
 * sanitised HTML. */
static void emit(struct stream *r, const char *p, size_t len)
{
    const struct open_el *t = &r->st[r->top];
    if (r->text && !t->text_hide)
        text_add(r, p, len);
    if (r->san && !t->san_hide)
        feed_html_escape(r->san, p, len);
}

/* Bytes that end text_run_both's copying: the tidying's (tidy_special),
 * those the escape replaces, and '<' and '&', which end the run. */
static const bool run_special[256] = {
    [' '] = true,  ['\t'] = true, ['\n'] = true, ['\r'] = true, ['\f'] = true,
    [0xC2] = true, ['&'] = true,  ['<'] = true,  ['>'] = true,  ['"'] = true,
};

#if defined(__SSE2__)
/* text_run_both's 16-byte tests: the bytes that are ' ', and those that
 * are other white space, 0xC2 or a byte the escape replaces or that ends
 * the run. The input is clean (clean_prefix), so its only bytes below 0x20
 * are '\t' and '\n', which v | 3 turns into 0x0B; '<' and '>' differ in
 * one bit, '"' and '&' in another. */
static inline uint32_t run_spaces(__m128i v)
{
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
}
static inline uint32_t run_others(__m128i v)
{
    __m128i ws = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(3)), _mm_set1_epi8(0x0B));
    __m128i nbsp = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2));
    __m128i lt_gt = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(2)), _mm_set1_epi8('>'));
    __m128i quot_amp = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(4)), _mm_set1_epi8('&'));
    return (uint32_t)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(ws, nbsp), _mm_or_si128(lt_gt, quot_amp)));
}
#endif

/* The text from s[i] up to the next '<' or '&' (or the end), to both
 * outputs at once: what emit() does with it (text_add and
 * feed_html_escape) in one pass that reads each byte once, where the two
 * would each read it and find2 a third time. Returns where it stopped. */
static size_t text_run_both(struct stream *r, size_t i)
{
    struct buf *tb = r->text, *sb = r->san;
    const char *p = r->s + i, *end = r->s + r->n;
    size_t rest = (size_t)(end - p);
    /* Room, kept at every step: the text's at least what is left of the
     * input, one separator, 16 bytes of overshoot and the NUL; the
     * escape's the same less the separator, and an escape (up to 6 bytes
     * for one) checks for its extra bytes before it is written. */
    fbuf_room(tb, rest + 18);
    char *tw = tb->ptr + tb->len, *tstart = tb->ptr;
    char *sw = fbuf_room(sb, rest + 17);
    bool space = r->space, line = r->line;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (run_special[c]) {
            if (c == '<' || c == '&')
                break;
            if (c == '>' || c == '"') {
                size_t left = (size_t)(end - p);
                if ((size_t)(sb->ptr + sb->cap - sw) < left + 17 + 5) {
                    sb->len = (size_t)(sw - sb->ptr);
                    sw = buf_room(sb, left + 17 + 5);
                }
                memcpy(sw, c == '>' ? "&gt;" : "&quot;", c == '>' ? 4 : 6);
                sw += c == '>' ? 4 : 6;
                /* a word byte to the text */
                if (line || space) {
                    if (tw > tstart)
                        *tw++ = line ? '\n' : ' ';
                    line = space = false;
                }
                *tw++ = (char)c;
                p++;
                continue;
            }
            if (c != 0xC2 || (p + 1 < end && (unsigned char)p[1] == 0xA0)) {
                /* white space: as it is in the HTML, a separator pending
                 * in the text */
                space = true;
                *sw++ = (char)c;
                if (c == 0xC2)
                    *sw++ = p[1];
                p += c == 0xC2 ? 2 : 1;
                continue;
            }
            /* (0xC2 leading another character: a word byte) */
        }
        if (line || space) {
            if (tw > tstart)
                *tw++ = line ? '\n' : ' ';
            line = space = false;
        }
        /* the rest of the word */
        *tw++ = (char)c;
        *sw++ = (char)c;
        p++;
#if defined(__SSE2__)
        /* 32, then 16 bytes at a time, to both: text_add's block copy (the
         * byte before the block is one of a word, and a lone ' ' between
         * two word bytes is copied), where a byte the escape replaces also
         * ends the copy. A ' ' last in the block is copied and read again
         * as the first of the next block. */
        uint32_t bits = 0;
        while (!bits && end - p >= 32) {
            __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
            _mm_storeu_si128((__m128i *)(void *)tw, v0);
            _mm_storeu_si128((__m128i *)(void *)(tw + 16), v1);
            _mm_storeu_si128((__m128i *)(void *)sw, v0);
            _mm_storeu_si128((__m128i *)(void *)(sw + 16), v1);
            uint32_t sp = run_spaces(v0) | run_spaces(v1) << 16;
            uint32_t ot = run_others(v0) | run_others(v1) << 16;
            bits = ot | (sp & ((sp | ot) >> 1));
            unsigned k = bits ? (unsigned)__builtin_ctz(bits) : 32 - (sp >> 31);
            p += k;
            tw += k;
            sw += k;
        }
        while (!bits && end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            _mm_storeu_si128((__m128i *)(void *)tw, v);
            _mm_storeu_si128((__m128i *)(void *)sw, v);
            uint32_t sp = run_spaces(v), ot = run_others(v);
            bits = ot | (sp & ((sp | ot) >> 1));
            unsigned k = bits ? (unsigned)__builtin_ctz(bits) : 16 - (sp >> 15);
            p += k;
            tw += k;
            sw += k;
        }
#endif
        while (p < end && !run_special[(unsigned char)*p]) {
            *tw++ = *p;
            *sw++ = *p++;
        }
    }
    *tw = '\0';
    tb->len = (size_t)(tw - tb->ptr);
    *sw = '\0';
    sb->len = (size_t)(sw - sb->ptr);
    r->space = space;
    r->line = line;
    return (size_t)(p - r->s);
}

/* A character reference libxml2 accepts (its IS_CHAR). */
static bool is_xml_char(unsigned long c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* A reference at s[i] == '&', decoded as libxml2 decodes it in text and
 * attribute values: "&#N;" / "&#xH;" (the ';' optional) is the character
 * when valid and nothing otherwise (*ulen = 0); "&name;" is a known HTML 4
 * entity's character; anything else stands for itself (*ulen = 0 and
 * *literal the bytes it covers). The character goes to u as UTF-8, *ulen
 * bytes. Returns the index after the reference, 0 when libxml2's reading
 * is uncertain (a value too large for it). */
static size_t reference(const char *s, size_t n, size_t i, char u[8], size_t *ulen, size_t *literal)
{
    *ulen = 0;
    *literal = 0;
    size_t k = i + 1;
    if (k < n && s[k] == '#') {
        k++;
        unsigned radix = 10;
        if (k < n && (s[k] == 'x' || s[k] == 'X')) {
            radix = 16;
            k++;
        }
        unsigned long v = 0;
        for (; k < n && s[k] != ';'; k++) {
            unsigned char c = (unsigned char)s[k];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (radix == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                d = (c | 0x20) - 'a' + 10;
            else
                break;
            v = v * radix + d;
            if (v >= 0x110000)
                return 0;
        }
        if (k < n && s[k] == ';')
            k++;
        if (is_xml_char(v))
            *ulen = (size_t)xmlCopyCharMultiByte((xmlChar *)u, (int)v);
        return k;
    }
    if (k < n && (is_alpha((unsigned char)s[k]) || s[k] == '_' || s[k] == ':')) {
        size_t end = k + 1;
        while (end < n && is_name_char((unsigned char)s[end]))
            end++;
        if (end < n && s[end] == ';' && (*ulen = feed_html_entity(s + k, end - k, u)))
            return end + 1;
        *literal = end - i;
        return end;
    }
    *literal = 1;
    return k;
}

/* The start of an element: what it prints in the text and the sanitised
 * HTML, given the attributes in r->attrs. */
static bool push_el(struct stream *r, size_t id, const char *name, size_t len)
{
    if (r->top + 1 >= STREAM_MAX_DEPTH)
        return false;
    const struct open_el *parent = &r->st[r->top];
    struct open_el *e = &r->st[++r->top];
    unsigned f = el_flags[id];
    e->name = name;
    e->len = (uint16_t)len;
    e->id = (uint16_t)id;
    e->text_close = 0;
    e->text_hide = parent->text_hide || (f & EL_TEXT_SKIP);
    if (!e->text_hide && r->text) {
        if (f & EL_TEXT_BLOCK) {
            r->line = true;
            e->text_close = '\n';
        } else if (f & EL_TEXT_CELL) {
            e->text_close = ' ';
        }
    }
    e->san_hide = parent->san_hide;
    e->san_close = false;
    if (!parent->san_hide && r->san) {
        if (f & EL_SAN_DROP) {
            e->san_hide = true;
        } else if (f & EL_SAN_KEEP) {
            fbuf_addch(r->san, '<');
            fbuf_add(r->san, el_names[id], el_len[id]);
            for (size_t a = 0; a < r->nattrs; a++) {
                const struct attr *at = &r->attrs[a];
                const char *an = r->scratch.ptr + at->name;
                long k = slots_find(attr_slots, san_attrs, attr_len, an, at->name_len, at->hash);
                if (k < 0)
                    continue;
                /* libxml2 gives a boolean attribute without a value its
                 * name as value, any other one no value */
                const char *val = at->has_value ? r->scratch.ptr + at->value
                                  : htmlIsBooleanAttr((const xmlChar *)an) ? an
                                                                           : "";
                san_attr(r->san, an, at->name_len, attr_is_url[k], val, r->base);
            }
            if (f & EL_SAN_VOID) {
                fbuf_add(r->san, " />", 3);
                e->san_hide = true;
            } else {
                fbuf_addch(r->san, '>');
                e->san_close = true;
            }
        }
    }
    return true;
}

static void pop_el(struct stream *r)
{
    const struct open_el *e = &r->st[r->top--];
    if (e->text_close == '\n')
        r->line = true;
    else if (e->text_close)
        r->space = true;
    if (e->san_close) {
        fbuf_add(r->san, "</", 2);
        fbuf_add(r->san, el_names[e->id], el_len[e->id]);
        fbuf_addch(r->san, '>');
    }
}

static bool same_el(const struct open_el *e, size_t id, const char *name, size_t len)
{
    if (id != EL_UNKNOWN)
        return e->id == id;
    return e->id == EL_UNKNOWN && e->len == len && !strncasecmp(e->name, name, len);
}

/* A name at s[i], as libxml2 reads an element or attribute name: its
 * length, 0 if it is one the tree path should take. *dot (when not NULL)
 * tells whether it has a '.'. The name also goes to low in lower case,
 * NUL-terminated (room for NAME_MAX_LEN + 1 bytes), with its name_hash in
 * *hash. */
static size_t name_scan(const char *s, size_t n, size_t i, bool *dot, char *low, uint32_t *hash)
{
    size_t k = i;
    unsigned seen = 0, c;
    uint32_t h = 2166136261u;
    while (k < n && (c = name_class[(unsigned char)s[k]])) {
        unsigned char l = name_lower[(unsigned char)s[k]];
        seen |= c;
        if (k - i < NAME_MAX_LEN)
            low[k - i] = (char)l;
        h = (h ^ l) * 16777619u;
        k++;
    }
    /* a prefixed name loses its prefix in libxml2's tree */
    if (k - i > NAME_MAX_LEN || (seen & NC_COLON))
        return 0;
    low[k - i] = '\0';
    *hash = h;
    if (dot)
        *dot = seen & NC_DOT;
    return k - i;
}

/* The first index from k (below n) of byte a or b, else n. */
static size_t find2(const char *s, size_t k, size_t n, char a, char b)
{
#if defined(__SSE2__)
    while (k + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
        unsigned bits = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a)), _mm_cmpeq_epi8(v, _mm_set1_epi8(b))));
        if (bits)
            return k + (unsigned)__builtin_ctz(bits);
        k += 16;
    }
#endif
    while (k < n && s[k] != a && s[k] != b)
        k++;
    return k;
}

/* "</name>" at s[*i]: libxml2's htmlParseEndTag. An end tag of an element
 * that is not open is ignored, and one that would have to close an
 * element of higher priority (say </div> inside a table cell) too;
 * otherwise the elements opened after it close with it. */
static bool end_tag(struct stream *r, size_t *i)
{
    const char *s = r->s;
    size_t n = r->n, j = *i + 2;
    if (j >= n || !is_alpha((unsigned char)s[j]))
        return false;
    char low[NAME_MAX_LEN + 1];
    uint32_t h;
    size_t len = name_scan(s, n, j, NULL, low, &h);
    if (!len)
        return false;
    size_t k = j + len;
    while (k < n && is_blank((unsigned char)s[k]))
        k++;
    if (k >= n || s[k] != '>')
        return false;
    *i = k + 1;
    size_t id = el_lookup_low(low, len, h);
    if (id == SIZE_MAX || (el_flags[id] & EL_ROOT))
        return false;
    int at = r->top;
    while (at >= 2 && !same_el(&r->st[at], id, s + j, len))
        at--;
    if (at < 2)
        return true;
    for (int k2 = r->top; k2 > at; k2--)
        if (el_prio[r->st[k2].id] > el_prio[id])
            return true;
    while (r->top >= at)
        pop_el(r);
    return true;
}

/* One attribute value (libxml2's htmlParseHTMLAttribute): up to the quote
 * `stop`, or when stop is 0 to a blank or '>'; references decoded. Appends
 * it NUL-terminated to the scratch buffer; returns the index after it or
 * 0 to give up. */
static size_t attr_value(struct stream *r, size_t k, char stop)
{
    const char *s = r->s;
    size_t n = r->n;
    while (k < n && s[k] != stop) {
        if (!stop && (s[k] == '>' || is_blank((unsigned char)s[k])))
            break;
        if (s[k] == '&') {
            char u[8];
            size_t ulen, literal, next = reference(s, n, k, u, &ulen, &literal);
            /* an invalid character reference is a NUL there */
            if (!next || (!ulen && !literal))
                return 0;
            if (ulen)
                fbuf_add(&r->scratch, u, ulen);
            else
                fbuf_add(&r->scratch, s + k, literal);
            k = next;
            continue;
        }
        size_t run = k + 1;
        if (stop)
            run = find2(s, run, n, stop, '&');
        else
            while (run < n && s[run] != '&' && s[run] != '>' && !is_blank((unsigned char)s[run]))
                run++;
        fbuf_add(&r->scratch, s + k, run - k);
        k = run;
    }
    fbuf_addch(&r->scratch, '\0');
    return k;
}

static bool at_tag_end(const char *s, size_t n, size_t k)
{
    return s[k] == '>' || (s[k] == '/' && k + 1 < n && s[k + 1] == '>');
}

/* "<name attributes>" at s[*i]: libxml2's htmlParseStartTag and what
 * htmlParseElementInternal does after it. */
static bool start_tag(struct stream *r, size_t *i)
{
    const char *s = r->s;
    size_t n = r->n, j = *i + 1;
    bool dot;
    char low[NAME_MAX_LEN + 1];
    uint32_t h;
    size_t len = name_scan(s, n, j, &dot, low, &h);
    /* libxml2 reads a name with a '.' differently when it decides what the
     * tag closes */
    if (!len || dot)
        return false;
    size_t id = el_lookup_low(low, len, h);
    if (id == SIZE_MAX || (el_flags[id] & EL_ROOT))
        return false;
    while (closes_top(r, id, s + j, len)) {
        if (r->top <= 1)
            return false;
        pop_el(r);
    }
    size_t k = j + len;
    buf_reset(&r->scratch);
    r->nattrs = 0;
    while (k < n && is_blank((unsigned char)s[k]))
        k++;
    while (k < n && !at_tag_end(s, n, k)) {
        unsigned char c = (unsigned char)s[k];
        if (!(is_alpha(c) || c == '_' || c == ':' || c == '.')) {
            /* not an attribute: skipped up to a blank or the tag's end */
            while (k < n && !is_blank((unsigned char)s[k]) && !at_tag_end(s, n, k))
                k++;
        } else {
            size_t name_at = r->scratch.len;
            uint32_t hash;
            size_t alen = name_scan(s, n, k, NULL, fbuf_room(&r->scratch, NAME_MAX_LEN + 1), &hash);
            if (!alen)
                return false;
            r->scratch.len += alen + 1; /* with its NUL */
            r->scratch.ptr[r->scratch.len] = '\0';
            k += alen;
            while (k < n && is_blank((unsigned char)s[k]))
                k++;
            size_t value_at = r->scratch.len;
            bool has_value = false;
            if (k < n && s[k] == '=') {
                k++;
                while (k < n && is_blank((unsigned char)s[k]))
                    k++;
                if (k < n && (s[k] == '"' || s[k] == '\'')) {
                    char q = s[k];
                    k = attr_value(r, k + 1, q);
                    if (!k || k >= n)
                        return false; /* no closing quote */
                    k++;
                } else {
                    size_t from = k;
                    k = attr_value(r, k, 0);
                    if (!k || k == from)
                        return false; /* "name=" and no value */
                }
                has_value = true;
            }
            /* a repeated attribute is dropped */
            bool repeated = false;
            for (size_t a = 0; a < r->nattrs && !repeated; a++)
                repeated =
                    r->attrs[a].hash == hash && r->attrs[a].name_len == alen &&
                    !memcmp(r->scratch.ptr + r->attrs[a].name, r->scratch.ptr + name_at, alen);
            if (!repeated) {
                if (r->nattrs == STREAM_MAX_ATTRS)
                    return false;
                r->attrs[r->nattrs++] =
                    (struct attr){name_at, value_at, hash, (uint8_t)alen, has_value};
            }
        }
        while (k < n && is_blank((unsigned char)s[k]))
            k++;
    }
    if (k >= n)
        return false; /* the input ends inside the tag */
    if (!push_el(r, id, s + j, len))
        return false;
    if (s[k] == '/') {
        k += 2;
        pop_el(r);
    } else {
        k++;
        if (el_flags[id] & EL_LX_EMPTY)
            pop_el(r);
    }
    *i = k;
    return true;
}

/* Render r->s, whose characters clean_prefix() accepts, into r->text and/or
 * r->san (either may be NULL); false when the fragment is left to the tree
 * path (the buffers then hold garbage). */
static bool stream_render(struct stream *r)
{
    const char *s = r->s;
    size_t n = r->n, i = 0;
    pthread_once(&el_once, el_init);
    if (!stream_supported)
        return false;
    r->top = -1;
    r->nattrs = 0;
    r->space = r->line = false;
    static const struct open_el root = {0};
    r->st[0] = root;
    r->st[0].id = el_html;
    r->st[1] = root;
    r->st[1].id = el_body;
    r->top = 1;
    while (i < n) {
        char c = s[i];
        if (c == '<' && i + 1 < n && s[i + 1] == '/') {
            if (!end_tag(r, &i))
                return false;
            continue;
        }
        const struct open_el *t = &r->st[r->top];
        if (el_flags[t->id] & EL_RAW) {
            /* a start tag may still close the script (htmlParseContentInternal
             * checks before reading raw text) */
            if (c == '<' && i + 1 < n && is_alpha((unsigned char)s[i + 1])) {
                bool dot;
                char low[NAME_MAX_LEN + 1];
                uint32_t h;
                size_t len = name_scan(s, n, i + 1, &dot, low, &h);
                if (!len || dot)
                    return false;
                size_t id = el_lookup_low(low, len, h);
                if (id == SIZE_MAX)
                    return false;
                if (closes_top(r, id, s + i + 1, len)) {
                    if (!start_tag(r, &i))
                        return false;
                    continue;
                }
            }
            /* raw text up to "</" and the element's name, in any case
             * (neither text nor sanitised HTML keeps it) */
            const char *name = el_names[t->id];
            size_t len = strlen(name), k = i;
            for (;; k++) {
                const char *lt = memchr(s + k, '<', n - k);
                if (!lt) {
                    k = n;
                    break;
                }
                k = (size_t)(lt - s);
                if (k + 1 < n && s[k + 1] == '/' && n - (k + 2) >= len &&
                    !strncasecmp(s + k + 2, name, len))
                    break;
            }
            i = k;
            continue;
        }
        if (c == '<') {
            unsigned char d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
            if (is_alpha(d)) {
                if (!start_tag(r, &i))
                    return false;
            } else if (d == '!') {
                /* only a comment; its end is the first "-->" after "<!--" */
                if (i + 3 >= n || s[i + 2] != '-' || s[i + 3] != '-')
                    return false;
                size_t k = i + 4;
                for (;; k++) {
                    const char *dash = k < n ? memchr(s + k, '-', n - k) : NULL;
                    if (!dash)
                        return false;
                    k = (size_t)(dash - s);
                    if (k + 2 < n && s[k + 1] == '-' && s[k + 2] == '>')
                        break;
                    /* "--!>" ends it too in some libxml2 versions */
                    if (k + 3 < n && s[k + 1] == '-' && s[k + 2] == '!' && s[k + 3] == '>')
                        return false;
                }
                i = k + 3;
            } else if (d == '?') {
                return false;
            } else {
                emit(r, "<", 1);
                i++;
            }
        } else if (c == '&') {
            char u[8];
            size_t ulen, literal, next = reference(s, n, i, u, &ulen, &literal);
            if (!next)
                return false;
            if (ulen)
                emit(r, u, ulen);
            else if (literal)
                emit(r, s + i, literal);
            i = next;
        } else if (r->text && r->san && !t->text_hide && !t->san_hide) {
            i = text_run_both(r, i);
        } else {
            size_t k = find2(s, i + 1, n, '<', '&');
            emit(r, s + i, k - i);
            i = k;
        }
    }
    while (r->top >= 0)
        pop_el(r);
    return true;
}

static bool stream_run(struct feed_html_parser *parser, const char *html, size_t n,
                       const char *base, char **text, char **san)
{
    struct stream r;
    r.scratch = parser ? parser->scratch : (struct buf)BUF_INIT;
    struct buf tb = BUF_INIT, sb = BUF_INIT;
    /* usual sizes, so that they are rarely grown */
    if (text)
        buf_room(&tb, n + 16);
    if (san)
        buf_room(&sb, n + n / 8 + 16);
    r.s = html;
    r.n = n;
    r.text = text ? &tb : NULL;
    r.san = san ? &sb : NULL;
    r.base = base;
    bool ok = stream_render(&r);
    if (parser)
        parser->scratch = r.scratch; /* kept for the next fragment */
    else
        buf_release(&r.scratch);
    if (!ok) {
        buf_release(&tb);
        buf_release(&sb);
        return false;
    }
    if (text)
        *text = buf_take(&tb); /* already tidy */
    if (san)
        *san = buf_take(&sb);
    return true;
}

bool feed_html_render_stream(struct feed_html_parser *parser, const char *html, const char *base,
                             char **text, char **san)
{
    size_t n = strlen(html);
    bool markup;
    return clean_prefix(html, n, &markup) == n && stream_run(parser, html, n, base, text, san);
}

char *feed_html_sanitize(const char *html, const char *base_url)
{
    char *san = NULL;
    if (html)
        feed_html_render(NULL, html, base_url, NULL, &san);
    return san;
}

void feed_html_render_tree(struct feed_html_parser *parser, const char *html, const char *base,
                           char **text, char **san)
{
    struct feed_html_parser *own = parser ? NULL : feed_html_parser_new();
    htmlDocPtr d = html_parse(parser ? parser : own, html, strlen(html));
    feed_html_parser_free(own);
    if (text) {
        struct buf out = BUF_INIT;
        if (d)
            text_walk(d->children, &out, 0);
        *text = feed_text_tidy(buf_take(&out));
    }
    if (san) {
        struct buf out = BUF_INIT;
        if (d)
            san_walk(d->children, &out, base, 0);
        *san = buf_take(&out);
    }
    if (d)
        xmlFreeDoc(d);
}

void feed_html_render(struct feed_html_parser *parser, const char *html, const char *base,
                      char **text, char **san)
{
    size_t n = strlen(html);
    bool markup;
    bool clean = clean_prefix(html, n, &markup) == n;
    if (clean && !markup && !is_blank_text(html, n)) {
        if (text)
            *text = text_of_plain(html, n);
        if (san) {
            struct buf b = BUF_INIT;
            feed_html_escape(&b, html, n);
            *san = buf_take(&b);
        }
        return;
    }
    if (!clean || !stream_run(parser, html, n, base, text, san))
        feed_html_render_tree(parser, html, base, text, san);
}
