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
 * tree per field is bounded. */
#include "feed/feed_int.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

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
};

struct feed_html_parser *feed_html_parser_new(void)
{
    struct feed_html_parser *p = xcalloc(1, sizeof(*p));
    p->src = (struct buf)BUF_INIT;
    return p;
}

void feed_html_parser_free(struct feed_html_parser *p)
{
    if (!p)
        return;
    if (p->ctxt)
        htmlFreeParserCtxt(p->ctxt);
    buf_release(&p->src);
    free(p);
}

static htmlDocPtr html_parse(struct feed_html_parser *p, const char *html, size_t n)
{
    buf_truncate(&p->src, 0);
    buf_add(&p->src, "<html><body>", 12);
    buf_add(&p->src, html, n);
    if (!p->ctxt) {
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

void feed_html_escape(struct buf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && s[run] != '&' && s[run] != '<' && s[run] != '>' && s[run] != '"')
            run++;
        if (run > i)
            buf_add(out, s + i, run - i);
        if (run == n)
            break;
        switch (s[run]) {
        case '&': buf_add(out, "&amp;", 5); break;
        case '<': buf_add(out, "&lt;", 4); break;
        case '>': buf_add(out, "&gt;", 4); break;
        default: buf_add(out, "&quot;", 6); break;
        }
        i = run + 1;
    }
}

size_t feed_html_entity(const char *name, size_t n, char out[8])
{
    char key[40];
    if (n == 0 || n >= sizeof(key))
        return 0;
    memcpy(key, name, n);
    key[n] = '\0';
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)key);
    if (!e)
        return 0;
    int len = xmlCopyCharMultiByte((xmlChar *)out, (int)e->value);
    return len > 0 ? (size_t)len : 0;
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

/* Length of the longest prefix of s that the HTML parser would read as
 * nothing but text, character for character: no markup or references, no
 * CR or other control characters it normalises or drops, no noncharacter
 * U+FFFE/U+FFFF and only well-formed UTF-8. Such text needs no parse. */
static size_t plain_prefix(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == '<' || c == '&' || c == 0x7F || (c < 0x20 && c != '\t' && c != '\n'))
                return i;
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

/* Plain text of a fragment that is all text (see plain_prefix). */
static char *text_of_plain(const char *s, size_t n)
{
    char *t = xstrndup(s, n);
    for (char *p = t; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return feed_text_tidy(t);
}

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
            char *resolved = NULL;
            if (in_list(an, san_url_attrs)) {
                if (!feed_url_is_safe(val)) {
                    xmlFree(v);
                    continue;
                }
                if (base)
                    resolved = feed_url_resolve(base, val);
                if (resolved)
                    val = resolved;
            }
            buf_addch(out, ' ');
            buf_addstr(out, an);
            buf_add(out, "=\"", 2);
            feed_html_escape(out, val, strlen(val));
            buf_addch(out, '"');
            free(resolved);
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

char *feed_html_sanitize(const char *html, const char *base_url)
{
    char *san = NULL;
    if (html)
        feed_html_render(NULL, html, base_url, NULL, &san);
    return san;
}

void feed_html_render(struct feed_html_parser *parser, const char *html, const char *base,
                      char **text, char **san)
{
    size_t n = strlen(html);
    if (plain_prefix(html, n) == n && !is_blank_text(html, n)) {
        if (text)
            *text = text_of_plain(html, n);
        if (san) {
            struct buf b = BUF_INIT;
            feed_html_escape(&b, html, n);
            *san = buf_take(&b);
        }
        return;
    }
    struct feed_html_parser *own = parser ? NULL : feed_html_parser_new();
    htmlDocPtr d = html_parse(parser ? parser : own, html, n);
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
