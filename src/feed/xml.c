/* SPDX-License-Identifier: MIT */
/* xml.c: RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and CDF with libxml2's xmlReader.
 *
 * The document is read as a stream (SAX2 push parser): only the root,
 * RSS's <channel> and the element being read exist as a tree. Each entry
 * (item, entry) and each feed-level element is read when it closes and
 * then freed, so memory stays bounded by the largest entry, not the feed.
 * (libxml2's xmlReader would be simpler, but it gives up at the first
 * well-formedness error even in recover mode; SAX keeps going.)
 *
 * Like feedparser, all formats share one set of element handlers: the
 * namespaces of RSS 1.0, RSS 0.90, Userland RSS and Atom count as "core",
 * so <title>, <link>, <content> mean the same wherever they appear, and
 * extension namespaces (dc, dcterms, content, xhtml, itunes) are known by
 * URI or, when a feed forgets to declare them, by their usual prefix.
 * <link> with href is an Atom link, without one an RSS link; that is how an
 * atom:link rel="self" inside an RSS channel stays out of the way.
 *
 * Options: XML_PARSE_RECOVER so broken feeds still yield entries,
 * XML_PARSE_NONET, never NOENT or DTDLOAD (the DOCTYPE is already gone, see
 * prep.c), and IGNORE_ENC because encoding.c has produced UTF-8. */
#include "feed/feed_int.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "base/xalloc.h"

enum ns {
    NS_CORE, /* no namespace, RSS 1.0 / 0.90 / Userland, Atom */
    NS_DC,
    NS_DCTERMS,
    NS_CONTENT,
    NS_RDF,
    NS_XHTML,
    NS_ITUNES,
    NS_OTHER,
};

static const struct {
    const char *uri;
    enum ns ns;
} ns_uris[] = {
    {"http://www.w3.org/2005/Atom", NS_CORE},
    {"http://purl.org/atom/ns#", NS_CORE},
    {"http://purl.org/rss/1.0/", NS_CORE},
    {"http://my.netscape.com/rdf/simple/0.9/", NS_CORE},
    {"http://backend.userland.com/rss2", NS_CORE},
    {"http://backend.userland.com/rss", NS_CORE},
    {"http://blogs.law.harvard.edu/tech/rss", NS_CORE},
    {"http://purl.org/dc/elements/1.1/", NS_DC},
    {"http://purl.org/dc/elements/1.0/", NS_DC},
    {"http://purl.org/dc/terms/", NS_DCTERMS},
    {"http://purl.org/rss/1.0/modules/content/", NS_CONTENT},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF},
    {"http://www.w3.org/1999/xhtml", NS_XHTML},
    {"http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES},
};

static const struct {
    const char *prefix;
    enum ns ns;
} ns_prefixes[] = {
    {"atom", NS_CORE}, {"dc", NS_DC},       {"dcterms", NS_DCTERMS}, {"content", NS_CONTENT},
    {"rdf", NS_RDF},   {"xhtml", NS_XHTML}, {"itunes", NS_ITUNES},
};

struct qname {
    enum ns ns;
    const char *local;
};

struct xml {
    struct feed_ctx *c;
    xmlDocPtr xdoc;
    bool link_html; /* doc->link is an HTML alternate */
};

static enum ns ns_of_prefix(const char *prefix, size_t n)
{
    for (size_t i = 0; i < sizeof(ns_prefixes) / sizeof(ns_prefixes[0]); i++)
        if (strlen(ns_prefixes[i].prefix) == n &&
            strncasecmp(prefix, ns_prefixes[i].prefix, n) == 0)
            return ns_prefixes[i].ns;
    return NS_OTHER;
}

static struct qname qname_of(xmlNodePtr n)
{
    struct qname q = {NS_CORE, (const char *)n->name};
    if (n->ns && n->ns->href) {
        q.ns = NS_OTHER;
        for (size_t i = 0; i < sizeof(ns_uris) / sizeof(ns_uris[0]); i++)
            if (strcasecmp((const char *)n->ns->href, ns_uris[i].uri) == 0) {
                q.ns = ns_uris[i].ns;
                return q;
            }
        if (n->ns->prefix)
            q.ns = ns_of_prefix((const char *)n->ns->prefix, strlen((const char *)n->ns->prefix));
        return q;
    }
    /* an undeclared prefix: libxml2 keeps "dc:creator" as the name */
    const char *colon = strchr(q.local, ':');
    if (colon) {
        q.ns = ns_of_prefix(q.local, (size_t)(colon - q.local));
        q.local = colon + 1;
    }
    return q;
}

static char *attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static bool attr_eq(xmlNodePtr n, const char *name, const char *want)
{
    char *v = attr(n, name);
    bool eq = v && strcasecmp(str_trim(v), want) == 0;
    free(v);
    return eq;
}

/* ---- text of elements ----------------------------------------------------- */

static void text_walk(xmlNodePtr n, struct buf *b, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            buf_addstr(b, (const char *)n->content);
        else if (n->type == XML_ELEMENT_NODE && depth < FEED_MAX_DEPTH)
            text_walk(n->children, b, depth + 1);
        /* entity references are never expanded (see prep.c) */
    }
}

/* Concatenated text inside n; a new string, never NULL. */
static char *text_of(struct xml *x, xmlNodePtr n)
{
    struct buf b = BUF_INIT;
    text_walk(n->children, &b, 0);
    return feed_cap(buf_take(&b), x->c->max_field);
}

static void serialize(xmlNodePtr n, struct buf *b, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            const char *t = (const char *)n->content;
            feed_html_escape(b, t, strlen(t));
        } else if (n->type == XML_ELEMENT_NODE && depth < FEED_MAX_DEPTH) {
            const char *name = qname_of(n).local;
            buf_addf(b, "<%s", name);
            for (xmlAttrPtr a = n->properties; a; a = a->next) {
                xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
                bool xmlns = a->ns && a->ns->prefix && !strcmp((const char *)a->ns->prefix, "xml");
                buf_addf(b, " %s%s=\"", xmlns ? "xml:" : "", (const char *)a->name);
                if (v)
                    feed_html_escape(b, (const char *)v, strlen((const char *)v));
                buf_addch(b, '"');
                xmlFree(v);
            }
            buf_addch(b, '>');
            serialize(n->children, b, depth + 1);
            buf_addf(b, "</%s>", name);
        }
    }
}

/* Markup inside n as an HTML string, namespace prefixes dropped. */
static char *inner_html(struct xml *x, xmlNodePtr n)
{
    struct buf b = BUF_INIT;
    serialize(n->children, &b, 0);
    return feed_cap(buf_take(&b), x->c->max_field);
}

static bool has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return true;
    return false;
}

static char *base64_decode(const char *s)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    struct buf b = BUF_INIT;
    unsigned v = 0;
    int bits = 0;
    for (; *s; s++) {
        const char *p = *s ? strchr(tbl, *s) : NULL;
        if (!p)
            continue;
        v = (v << 6) | (unsigned)(p - tbl);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf_addch(&b, (char)((v >> bits) & 0xFF));
        }
    }
    return buf_take(&b);
}

enum tdef { TDEF_TEXT, TDEF_HTML, TDEF_GUESS };

/* Value of a text construct (Atom title/summary/content, RSS description...)
 * and whether it is HTML. */
static char *construct(struct xml *x, xmlNodePtr n, enum tdef def, bool *html)
{
    char *type = attr(n, "type"), *mode = attr(n, "mode");
    char *s;
    if (type)
        for (char *p = str_trim(type); *p; p++)
            *p = (char)tolower((unsigned char)*p);
    bool xhtml = type && (!strcmp(type, "xhtml") || !strcmp(type, "application/xhtml+xml"));
    if (xhtml || (mode && !strcasecmp(mode, "xml") && has_element_child(n)) ||
        has_element_child(n)) {
        /* XHTML content or HTML left unescaped in the XML */
        xmlNodePtr inner = n;
        xmlNodePtr only = NULL;
        int elems = 0;
        for (xmlNodePtr k = n->children; k; k = k->next) {
            if (k->type == XML_ELEMENT_NODE)
                elems++, only = k;
            else if (k->type == XML_TEXT_NODE && !str_empty((const char *)k->content))
                elems += 2;
        }
        if (xhtml && elems == 1 && strcmp(qname_of(only).local, "div") == 0)
            inner = only; /* Atom's wrapper <div> is not content */
        s = inner_html(x, inner);
        *html = true;
        goto out;
    }
    s = text_of(x, n);
    if (mode && !strcasecmp(mode, "base64")) {
        char *d = base64_decode(s);
        free(s);
        s = d;
    }
    if (mode && !strcasecmp(mode, "escaped"))
        *html = !type || strstr(type, "html") != NULL;
    else if (type && (!strcmp(type, "html") || strstr(type, "html")))
        *html = true;
    else if (type && (!strcmp(type, "text") || !strncmp(type, "text/", 5)))
        *html = false;
    else if (def == TDEF_GUESS)
        *html = feed_looks_like_html(s);
    else
        *html = def == TDEF_HTML;
out:
    free(type);
    free(mode);
    return s;
}

/* Base URI in effect at n (xml:base chain, else the document's); new string or NULL. */
static char *base_of(struct xml *x, xmlNodePtr n)
{
    xmlChar *b = xmlNodeGetBase(x->xdoc, n);
    if (!b)
        return x->c->base ? xstrdup(x->c->base) : NULL;
    char *s = xstrdup((const char *)b);
    xmlFree(b);
    return s;
}

static char *resolve_at(struct xml *x, xmlNodePtr n, const char *ref)
{
    if (!ref || str_empty(ref))
        return NULL;
    char *base = base_of(x, n);
    char *u = feed_url_resolve(base, ref);
    free(base);
    if (!u) {
        u = xstrdup(ref);
        str_trim(u);
    }
    return u;
}

/* Is an Atom link type one a browser shows (or unspecified)? */
static bool html_link_type(xmlNodePtr n)
{
    char *t = attr(n, "type");
    bool ok = !t || strstr(t, "html") != NULL;
    free(t);
    return ok;
}

/* <link>: Atom (href/rel/type) or RSS (text). Updates *dst and *dst_html,
 * which record whether the current choice is a preferred HTML alternate. */
static void link_elem(struct xml *x, xmlNodePtr n, char **dst, bool *dst_html)
{
    char *href = attr(n, "href");
    if (!href) {
        if (!*dst) {
            char *t = text_of(x, n);
            *dst = resolve_at(x, n, t);
            *dst_html = true;
            free(t);
        }
        return;
    }
    char *rel = attr(n, "rel");
    bool alternate = !rel || !strcasecmp(str_trim(rel), "alternate");
    free(rel);
    if (alternate) {
        bool htmlish = html_link_type(n);
        if (!*dst || (htmlish && !*dst_html)) {
            free(*dst);
            *dst = resolve_at(x, n, href);
            *dst_html = htmlish;
        }
    }
    free(href);
}

/* Author name from an Atom person construct or RSS/Dublin Core text. */
static char *person(struct xml *x, xmlNodePtr n)
{
    if (has_element_child(n)) {
        char *email = NULL;
        for (xmlNodePtr k = n->children; k; k = k->next) {
            if (k->type != XML_ELEMENT_NODE)
                continue;
            struct qname q = qname_of(k);
            if (q.ns == NS_CORE && !strcmp(q.local, "name")) {
                free(email);
                char *t = text_of(x, k);
                return feed_text_line(t);
            }
            if (q.ns == NS_CORE && !strcmp(q.local, "email") && !email)
                email = text_of(x, k);
        }
        return email ? feed_text_line(email) : NULL;
    }
    char *t = text_of(x, n);
    char *name = feed_author_name(t);
    free(t);
    return name;
}

/* ---- entries ------------------------------------------------------------ */

static void entry(struct xml *x, xmlNodePtr e)
{
    struct feed_entry_raw r = {.authors = BUF_INIT, .tags = BUF_INIT};
    struct feed_ctx *c = x->c;
    bool link_html = false, is_atom = c->doc->format == FEED_FORMAT_ATOM;
    char *dc_date = NULL, *dc_lang = NULL;
    for (xmlNodePtr n = e->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        struct qname q = qname_of(n);
        const char *l = q.local;
        if (q.ns == NS_CORE) {
            if (!strcmp(l, "title")) {
                if (!r.title)
                    r.title = construct(x, n, is_atom ? TDEF_TEXT : TDEF_GUESS, &r.title_html);
            } else if (!strcmp(l, "link")) {
                link_elem(x, n, &r.link, &link_html);
            } else if (!strcmp(l, "guid")) {
                if (!r.guid) {
                    r.guid = text_of(x, n);
                    r.guid_is_link = !attr_eq(n, "isPermaLink", "false");
                }
            } else if (!strcmp(l, "id")) {
                if (!r.guid)
                    r.guid = text_of(x, n);
            } else if (!strcmp(l, "description") || !strcmp(l, "summary") ||
                       !strcmp(l, "abstract")) {
                if (!r.summary) {
                    r.summary = construct(x, n, is_atom ? TDEF_TEXT : TDEF_HTML, &r.summary_html);
                    r.summary_base = base_of(x, n);
                }
            } else if (!strcmp(l, "content")) {
                char *src = attr(n, "src");
                if (!r.content && !src) {
                    r.content = construct(x, n, TDEF_TEXT, &r.content_html);
                    r.content_base = base_of(x, n);
                }
                free(src);
            } else if (!strcmp(l, "author")) {
                char *a = person(x, n);
                feed_list_add(&r.authors, a);
                free(a);
            } else if (!strcmp(l, "category")) {
                char *t = attr(n, "label");
                if (!t || str_empty(t)) {
                    free(t);
                    t = attr(n, "term");
                }
                if (!t || str_empty(t)) {
                    free(t);
                    t = text_of(x, n);
                }
                feed_list_add(&r.tags, t);
                free(t);
            } else if (!strcmp(l, "pubDate") || !strcmp(l, "published") || !strcmp(l, "issued") ||
                       !strcmp(l, "created")) {
                char *t = text_of(x, n);
                feed_date_field(c, t, &r.published);
                free(t);
            } else if (!strcmp(l, "updated") || !strcmp(l, "modified")) {
                char *t = text_of(x, n);
                feed_date_field(c, t, &r.updated);
                free(t);
            }
        } else if (q.ns == NS_DC) {
            if (!strcmp(l, "creator") || !strcmp(l, "author") || !strcmp(l, "contributor")) {
                if (!strcmp(l, "contributor") && r.authors.len)
                    continue;
                char *a = person(x, n);
                feed_list_add(&r.authors, a);
                free(a);
            } else if (!strcmp(l, "subject")) {
                char *t = text_of(x, n);
                feed_list_add(&r.tags, t);
                free(t);
            } else if (!strcmp(l, "date")) {
                feed_set_first(&dc_date, text_of(x, n));
            } else if (!strcmp(l, "title") && !r.title) {
                r.title = construct(x, n, TDEF_GUESS, &r.title_html);
            } else if (!strcmp(l, "description") && !r.summary) {
                r.summary = construct(x, n, TDEF_GUESS, &r.summary_html);
            } else if (!strcmp(l, "language")) {
                feed_set_first(&dc_lang, text_of(x, n));
            } else if (!strcmp(l, "identifier") && !r.guid) {
                r.guid = text_of(x, n);
            }
        } else if (q.ns == NS_DCTERMS) {
            char *t = NULL;
            if (!strcmp(l, "issued") || !strcmp(l, "created"))
                feed_date_field(c, t = text_of(x, n), &r.published);
            else if (!strcmp(l, "modified"))
                feed_date_field(c, t = text_of(x, n), &r.updated);
            free(t);
        } else if (q.ns == NS_CONTENT && !strcmp(l, "encoded")) {
            if (!r.content) {
                r.content = text_of(x, n);
                r.content_html = true;
                r.content_base = base_of(x, n);
            }
        } else if (q.ns == NS_XHTML && !strcmp(l, "body")) {
            if (!r.content) {
                r.content = inner_html(x, n);
                r.content_html = true;
                r.content_base = base_of(x, n);
            }
        } else if (q.ns == NS_ITUNES && !strcmp(l, "author") && !r.authors.len) {
            char *a = person(x, n);
            feed_list_add(&r.authors, a);
            free(a);
        }
    }
    if (!r.published && dc_date)
        feed_date_field(c, dc_date, &r.published);
    free(dc_date);
    if (!r.guid) /* RSS 1.0 items name themselves with rdf:about */
        r.guid = attr(e, "about");
    if (!r.link && c->doc->format == FEED_FORMAT_CDF) {
        char *href = attr(e, "href");
        r.link = resolve_at(x, e, href);
        free(href);
    }
    xmlChar *lang = xmlNodeGetLang(e);
    if (lang && *lang) {
        r.lang = xstrdup((const char *)lang);
        free(dc_lang);
    } else {
        r.lang = dc_lang;
    }
    xmlFree(lang);
    feed_entry_commit(c, &r);
}

/* ---- feed level --------------------------------------------------------- */

static void set_doc_text(char **dst, char *s, bool html)
{
    char *t = html ? feed_html_to_text(s) : xstrdup(s);
    free(s);
    feed_text_line(t);
    feed_set_first(dst, t);
}

static void feed_elem(struct xml *x, xmlNodePtr n, struct qname q)
{
    struct feed_doc *doc = x->c->doc;
    bool is_atom = doc->format == FEED_FORMAT_ATOM, html = false;
    const char *l = q.local;
    if ((q.ns == NS_CORE || q.ns == NS_DC) && !strcmp(l, "title")) {
        char *s = construct(x, n, is_atom ? TDEF_TEXT : TDEF_GUESS, &html);
        set_doc_text(&doc->title, s, html);
    } else if (q.ns == NS_CORE && !strcmp(l, "link")) {
        link_elem(x, n, &doc->link, &x->link_html);
    } else if (((q.ns == NS_CORE || q.ns == NS_DC) && !strcmp(l, "description")) ||
               (q.ns == NS_CORE && (!strcmp(l, "subtitle") || !strcmp(l, "tagline")))) {
        char *s = construct(x, n, is_atom ? TDEF_TEXT : TDEF_HTML, &html);
        set_doc_text(&doc->subtitle, s, html);
    } else if ((q.ns == NS_CORE || q.ns == NS_DC) && !strcmp(l, "language")) {
        char *s = feed_text_line(text_of(x, n));
        if (*s) {
            free(doc->language);
            doc->language = s;
        } else {
            free(s);
        }
    } else if (q.ns == NS_CORE && !strcmp(l, "author") && is_atom) {
        char *a = person(x, n);
        if (a && *a && !x->c->feed_authors)
            x->c->feed_authors = feed_cap(xstrdup(a), x->c->max_field);
        free(a);
    }
}

/* ---- document ----------------------------------------------------------- */

static bool ns_declared(xmlNodePtr n, const char *uri)
{
    for (xmlNsPtr ns = n->nsDef; ns; ns = ns->next)
        if (ns->href && !strcasecmp((const char *)ns->href, uri))
            return true;
    return n->ns && n->ns->href && !strcasecmp((const char *)n->ns->href, uri);
}

/* Recognise the format from the root element; ACHIM_EPARSE when it is none. */
static enum achim_code root(struct xml *x, xmlNodePtr n, struct err *err)
{
    struct feed_doc *doc = x->c->doc;
    struct qname q = qname_of(n);
    const char *l = q.local;
    const char *version = NULL;
    char *v = attr(n, "version");
    if (v)
        str_trim(v);
    if (q.ns == NS_CORE && !strcmp(l, "rss")) {
        doc->format = FEED_FORMAT_RSS;
        if (!v)
            version = "rss";
        else if (v[0] == '2')
            version = "rss20";
        else if (!strcmp(v, "0.91"))
            version = x->c->netscape ? "rss091n" : "rss091u";
        else if (!strcmp(v, "0.92"))
            version = "rss092";
        else if (!strcmp(v, "0.93"))
            version = "rss093";
        else if (!strcmp(v, "0.94"))
            version = "rss094";
        else if (!strcmp(v, "0.90") || !strcmp(v, "0.9"))
            version = "rss090";
        else
            version = "rss";
    } else if ((q.ns == NS_RDF || q.ns == NS_CORE) && !strcmp(l, "RDF")) {
        doc->format = FEED_FORMAT_RDF;
        version = ns_declared(n, "http://my.netscape.com/rdf/simple/0.9/") ? "rss090" : "rss10";
    } else if (q.ns == NS_CORE && !strcmp(l, "feed")) {
        doc->format = FEED_FORMAT_ATOM;
        if (n->ns && !strcmp((const char *)n->ns->href, "http://www.w3.org/2005/Atom"))
            version = "atom10";
        else if (v && !strcmp(v, "0.1"))
            version = "atom01";
        else if (v && !strcmp(v, "0.2"))
            version = "atom02";
        else if (n->ns || (v && !strcmp(v, "0.3")))
            version = "atom03";
        else
            version = "atom";
        xmlChar *lang = xmlNodeGetLang(n);
        if (lang && *lang) {
            free(doc->language);
            doc->language = xstrdup((const char *)lang);
        }
        xmlFree(lang);
    } else if (q.ns == NS_CORE && !strcmp(l, "channel")) {
        doc->format = FEED_FORMAT_CDF;
        version = "cdf";
    }
    free(v);
    if (!version)
        return err_set(err, ACHIM_EPARSE, "not a feed: root element <%s>", (const char *)n->name);
    doc->version = xstrdup(version);
    return ACHIM_OK;
}

/* libxml2's own SAX2 tree builder does the work; these wrappers watch
 * element boundaries. When an entry or a feed-level element closes it is
 * read and its subtree freed, leaving an empty shell; shells are unlinked
 * when the next sibling starts (unlinking at the end event would let
 * libxml2 append later text to a node it no longer tracks). */
struct sax {
    struct xml x;
    struct err *err;
    enum achim_code rc;
    startElementNsSAX2Func start;
    endElementNsSAX2Func end;
    int depth;
    bool root_seen, channel_done;
    xmlNodePtr root, channel, open_entry;
};

static bool is_entry(struct qname q)
{
    return q.ns == NS_CORE && (!strcmp(q.local, "item") || !strcmp(q.local, "entry"));
}

static void drop_children(xmlNodePtr n)
{
    xmlNodePtr k = n->children;
    n->children = n->last = NULL;
    if (k)
        xmlFreeNodeList(k);
}

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **nss, int nattr, int ndef, const xmlChar **attrs)
{
    xmlParserCtxtPtr p = ctx;
    struct sax *s = p->_private;
    xmlNodePtr parent = p->node;
    if (parent && (parent == s->root || parent == s->channel)) {
        /* everything already inside root/channel is closed and read */
        for (xmlNodePtr k = parent->children, next; k; k = next) {
            next = k->next;
            if (k == s->channel) {
                s->channel = NULL;
                s->channel_done = true;
            }
            xmlUnlinkNode(k);
            xmlFreeNode(k);
        }
    }
    s->start(ctx, local, prefix, uri, nns, nss, nattr, ndef, attrs);
    xmlNodePtr n = p->node;
    s->depth++;
    if (!n || s->rc)
        return;
    if (!s->root_seen) {
        s->root_seen = true;
        s->root = n;
        s->x.xdoc = n->doc;
        if ((s->rc = root(&s->x, n, s->err)))
            xmlStopParser(p);
        return;
    }
    struct qname q = qname_of(n);
    if (!s->channel && !s->channel_done && n->parent == s->root && q.ns == NS_CORE &&
        !strcmp(q.local, "channel") && s->x.c->doc->format != FEED_FORMAT_CDF)
        s->channel = n;
    else if (!s->open_entry && is_entry(q))
        s->open_entry = n;
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    xmlParserCtxtPtr p = ctx;
    struct sax *s = p->_private;
    xmlNodePtr n = p->node;
    s->end(ctx, local, prefix, uri);
    s->depth--;
    if (!n || s->rc || s->x.c->stopped)
        return;
    if (n == s->open_entry) {
        s->open_entry = NULL;
        entry(&s->x, n);
        drop_children(n);
        if (s->x.c->stopped)
            xmlStopParser(p);
    } else if (!s->open_entry && n != s->channel && n->parent &&
               (n->parent == s->root || n->parent == s->channel)) {
        feed_elem(&s->x, n, qname_of(n));
        drop_children(n);
    }
}

static void sax_error(void *arg, xmlErrorPtr e)
{
    xmlParserCtxtPtr p = arg;
    struct sax *s = p ? p->_private : NULL;
    if (!s || !e || e->level < XML_ERR_ERROR)
        return;
    char msg[200];
    snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
    str_trim(msg);
    feed_bozo(s->x.c, "not well-formed XML: line %d: %s", e->line, msg);
}

enum achim_code feed_xml_parse(struct feed_ctx *c, const char *xmltext, size_t len, struct err *err)
{
    struct sax s = {.x = {.c = c}, .err = err};
    xmlSAXHandler h;
    memset(&h, 0, sizeof(h));
    xmlSAXVersion(&h, 2);
    s.start = h.startElementNs;
    s.end = h.endElementNs;
    h.startElementNs = sax_start;
    h.endElementNs = sax_end;
    h.serror = sax_error;
    h.internalSubset = NULL; /* prep.c removed the DOCTYPE; ignore any left */
    h.externalSubset = NULL;
    h.resolveEntity = NULL;
    xmlParserCtxtPtr p = xmlCreatePushParserCtxt(&h, NULL, NULL, 0, c->base);
    if (!p)
        return err_set(err, ACHIM_EPARSE, "cannot create XML parser");
    p->_private = &s;
    xmlCtxtUseOptions(p, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC | XML_PARSE_NOCDATA);
    xmlSwitchEncoding(p, XML_CHAR_ENCODING_UTF8);
    /* Feed the text in slices so a stop (not a feed, entry limit) ends
     * the work early. */
    const size_t slice = 64 * 1024;
    for (size_t off = 0; off < len && !p->disableSAX && p->instate != XML_PARSER_EOF;) {
        size_t n = len - off < slice ? len - off : slice;
        xmlParseChunk(p, xmltext + off, (int)n, 0);
        off += n;
    }
    if (!p->disableSAX && p->instate != XML_PARSER_EOF)
        xmlParseChunk(p, NULL, 0, 1);
    if (s.open_entry && !s.rc && !c->stopped) {
        /* a truncated document: the entry being read still counts */
        feed_bozo(c, "document ends inside an entry");
        entry(&s.x, s.open_entry);
    }
    enum achim_code rc = s.rc;
    if (!s.root_seen && !rc)
        rc = err_set(err, ACHIM_EPARSE, "not a feed: %s",
                     c->doc->bozo_message ? c->doc->bozo_message : "no root element");
    if (p->myDoc)
        xmlFreeDoc(p->myDoc);
    xmlFreeParserCtxt(p);
    return rc;
}
