/* SPDX-License-Identifier: MIT */
/* opml.c: subscription lists in OPML, read and written.
 *
 * OPML in the wild is small (tens to a few thousand outlines) and loosely
 * written: categories nest outlines, the feed address hides in xmlUrl (or
 * xmlurl), the name in text or title. Every outline with a feed address is
 * one feed_outline; nesting only names its category. achim's own
 * attributes, weight and fulltext, live in the achim namespace so other
 * readers ignore them and the list round-trips. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"
#include "feed/feed_int.h"

#define ACHIM_OPML_NS "https://github.com/achim-news/achim/opml"

/* Attribute by local name, any namespace, ASCII case-insensitive; a copy or NULL. */
static char *attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (!str_eq_ci((const char *)a->name, name))
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        char *s = v ? xstrdup((const char *)v) : NULL;
        xmlFree(v);
        if (s && str_empty(s)) {
            free(s);
            return NULL;
        }
        return s ? str_trim(s) : NULL;
    }
    return NULL;
}

struct outlines {
    struct feed_outline *v;
    size_t n, cap;
};

static void walk(xmlNodePtr n, const char *category, struct outlines *o, int depth)
{
    if (depth > 64)
        return;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || !str_eq_ci((const char *)n->name, "outline"))
            continue;
        char *xml_url = attr(n, "xmlUrl");
        char *title = attr(n, "text");
        if (!title)
            title = attr(n, "title");
        if (xml_url) {
            XGROW(o->v, o->n + 1, o->cap);
            struct feed_outline *f = &o->v[o->n++];
            memset(f, 0, sizeof(*f));
            f->xml_url = xml_url;
            f->html_url = attr(n, "htmlUrl");
            f->title = title;
            f->category = xstrdup(category);
            char *w = attr(n, "weight");
            if (w)
                f->weight = strtod(w, NULL);
            if (f->weight < 0 || f->weight > 100)
                f->weight = 0;
            free(w);
            char *ft = attr(n, "fulltext");
            f->fulltext = ft && (strcmp(ft, "true") == 0 || strcmp(ft, "1") == 0);
            free(ft);
            walk(n->children, category, o, depth + 1);
        } else {
            walk(n->children, title ? title : category, o, depth + 1);
            free(title);
        }
    }
}

enum achim_code feed_opml_parse(const char *data, size_t len, struct feed_outline **out, size_t *n,
                                struct err *err)
{
    *out = NULL;
    *n = 0;
    if (len == 0 || len > (size_t)INT32_MAX)
        return err_set(err, ACHIM_EPARSE, "not an OPML document (empty or too large)");
    feed_xml_init(); /* libxml2's first parser sets up its globals unlocked */
    xmlDocPtr d = xmlReadMemory(data, (int)len, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    xmlNodePtr root = d ? xmlDocGetRootElement(d) : NULL;
    if (!root || !str_eq_ci((const char *)root->name, "opml")) {
        xmlFreeDoc(d);
        return err_set(err, ACHIM_EPARSE, "not an OPML document (no <opml> root)");
    }
    struct outlines o = {0};
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && str_eq_ci((const char *)c->name, "body"))
            walk(c->children, NULL, &o, 0);
    xmlFreeDoc(d);
    *out = o.v;
    *n = o.n;
    return ACHIM_OK;
}

void feed_outlines_free(struct feed_outline *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].xml_url);
        free(v[i].html_url);
        free(v[i].title);
        free(v[i].category);
    }
    free(v);
}

static void esc(struct buf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': buf_addstr(out, "&amp;"); break;
        case '<': buf_addstr(out, "&lt;"); break;
        case '>': buf_addstr(out, "&gt;"); break;
        case '"': buf_addstr(out, "&quot;"); break;
        case '\n': buf_addstr(out, "&#10;"); break;
        default: buf_addch(out, *s);
        }
    }
}

static const char *const day_names[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

enum achim_code feed_opml_write(const struct feed_outline *v, size_t n, const char *title,
                                int64_t now, struct buf *out)
{
    char iso[21];
    time_format_iso(now, iso);
    int y, mo, d, h, mi, s;
    sscanf(iso, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s);
    int64_t days = now >= 0 ? now / 86400 : (now - 86399) / 86400;
    buf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<opml version=\"2.0\" xmlns:achim=\"" ACHIM_OPML_NS "\">\n  <head>\n"
                    "    <title>");
    esc(out, title ? title : "achim sources");
    buf_addf(out, "</title>\n    <dateCreated>%s, %02d %s %04d %02d:%02d:%02d GMT</dateCreated>\n",
             day_names[((days % 7) + 7) % 7], d, month_names[(mo - 1) % 12], y, h, mi, s);
    buf_addstr(out, "  </head>\n  <body>\n");
    const char *open_cat = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct feed_outline *f = &v[i];
        const char *cat = f->category;
        bool same = (cat && open_cat && strcmp(cat, open_cat) == 0) || (!cat && !open_cat);
        if (!same) {
            if (open_cat)
                buf_addstr(out, "    </outline>\n");
            if (cat) {
                buf_addstr(out, "    <outline text=\"");
                esc(out, cat);
                buf_addstr(out, "\">\n");
            }
            open_cat = cat;
        }
        buf_addstr(out, open_cat ? "      " : "    ");
        buf_addstr(out, "<outline type=\"rss\" text=\"");
        esc(out, f->title ? f->title : f->xml_url);
        buf_addstr(out, "\" title=\"");
        esc(out, f->title ? f->title : f->xml_url);
        buf_addstr(out, "\" xmlUrl=\"");
        esc(out, f->xml_url);
        buf_addch(out, '"');
        if (f->html_url) {
            buf_addstr(out, " htmlUrl=\"");
            esc(out, f->html_url);
            buf_addch(out, '"');
        }
        if (f->weight > 0)
            buf_addf(out, " achim:weight=\"%g\"", f->weight);
        if (f->fulltext)
            buf_addstr(out, " achim:fulltext=\"true\"");
        buf_addstr(out, "/>\n");
    }
    if (open_cat)
        buf_addstr(out, "    </outline>\n");
    return buf_addstr(out, "  </body>\n</opml>\n");
}
