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

static bool in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return true;
    return false;
}

static htmlDocPtr html_parse(const char *html)
{
    struct buf b = BUF_INIT;
    buf_addstr(&b, "<html><body>");
    buf_addstr(&b, html);
    htmlDocPtr d = htmlReadMemory(b.ptr, (int)b.len, NULL, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                      HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC);
    buf_release(&b);
    return d;
}

void feed_html_escape(struct buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': buf_addstr(out, "&amp;"); break;
        case '<': buf_addstr(out, "&lt;"); break;
        case '>': buf_addstr(out, "&gt;"); break;
        case '"': buf_addstr(out, "&quot;"); break;
        default: buf_addch(out, s[i]);
        }
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

/* Elements whose content is not text a reader sees. */
static const char *const text_skip[] = {
    "script", "style",  "head",   "title", "noscript", "template", "iframe",   "object",
    "embed",  "applet", "select", "svg",   "math",     "noembed",  "noframes", NULL,
};

/* Elements that start a new line. */
static const char *const text_block[] = {
    "p",       "div",    "br",         "li",       "ul",      "ol",      "dl",      "dt",
    "dd",      "h1",     "h2",         "h3",       "h4",      "h5",      "h6",      "blockquote",
    "pre",     "table",  "tr",         "hr",       "section", "article", "aside",   "header",
    "footer",  "figure", "figcaption", "nav",      "address", "center",  "caption", "details",
    "summary", "main",   "form",       "fieldset", "legend",  NULL,
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
            else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
                buf_addch(out, ' ');
        }
    }
}

char *feed_html_to_text(const char *html)
{
    if (!html)
        return NULL;
    htmlDocPtr d = html_parse(html);
    struct buf out = BUF_INIT;
    if (d) {
        text_walk(d->children, &out, 0);
        xmlFreeDoc(d);
    }
    char *s = buf_take(&out);
    return feed_text_tidy(s);
}

/* ---- sanitising ------------------------------------------------------------ */

/* feedparser's _HTMLSanitizer.acceptable_elements, less the form controls. */
static const char *const san_elements[] = {
    "a",        "abbr",       "acronym",    "address", "area",     "article",  "aside",   "audio",
    "b",        "big",        "blockquote", "br",      "canvas",   "caption",  "center",  "cite",
    "code",     "col",        "colgroup",   "command", "datagrid", "datalist", "dd",      "del",
    "details",  "dfn",        "dialog",     "dir",     "div",      "dl",       "dt",      "em",
    "fieldset", "figcaption", "figure",     "font",    "footer",   "h1",       "h2",      "h3",
    "h4",       "h5",         "h6",         "header",  "hr",       "i",        "img",     "ins",
    "kbd",      "label",      "legend",     "li",      "m",        "map",      "menu",    "meter",
    "multicol", "nav",        "nextid",     "ol",      "optgroup", "option",   "output",  "p",
    "pre",      "progress",   "q",          "s",       "samp",     "section",  "small",   "sound",
    "source",   "spacer",     "span",       "strike",  "strong",   "sub",      "sup",     "table",
    "tbody",    "td",         "tfoot",      "th",      "thead",    "time",     "tr",      "tt",
    "u",        "ul",         "var",        "video",   "summary",  "mark",     "picture", "main",
    NULL,
};

/* Removed together with everything inside them. feedparser drops the
 * content of script, applet and style; embedded objects, frames and forms
 * carry nothing a reader of a news item needs either. */
static const char *const san_drop[] = {
    "script",   "style", "applet",   "iframe",   "object",   "embed",    "noembed",
    "noframes", "frame", "frameset", "form",     "template", "svg",      "math",
    "head",     "title", "select",   "textarea", "button",   "noscript", "base",
    "meta",     "link",  "param",    NULL,
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
    "href", "src", "cite", "longdesc", "poster", "background", "usemap", NULL,
};

static const char *const san_void[] = {
    "area", "br", "col", "hr", "img", "source", "wbr", "spacer", NULL,
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
        buf_addf(out, "<%s", name);
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            const char *an = (const char *)a->name;
            if (!in_list(an, san_attrs))
                continue;
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            const char *val = v ? (const char *)v : an;
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
            buf_addf(out, " %s=\"", an);
            feed_html_escape(out, val, strlen(val));
            buf_addch(out, '"');
            free(resolved);
            xmlFree(v);
        }
        if (in_list(name, san_void)) {
            buf_addstr(out, " />");
            continue;
        }
        buf_addch(out, '>');
        san_walk(n->children, out, base, depth + 1);
        buf_addf(out, "</%s>", name);
    }
}

char *feed_html_sanitize(const char *html, const char *base_url)
{
    if (!html)
        return NULL;
    htmlDocPtr d = html_parse(html);
    struct buf out = BUF_INIT;
    if (d) {
        san_walk(d->children, &out, base_url, 0);
        xmlFreeDoc(d);
    }
    return buf_take(&out);
}
