/* SPDX-License-Identifier: MIT */
/* extract.c: what an HTML page says beyond markup — the feeds it announces
 * and, readability-style, its main article text.
 *
 * Extraction in the manner of Arc90's Readability: every paragraph with
 * enough text gives points to its parent (and half to its grandparent):
 * one, plus one per comma, plus one per 100 characters (at most three).
 * Elements whose class or id suggest content (article, body, content,
 * entry, main, post, story, text) start with +25, boilerplate hints
 * (comment, footer, sidebar, nav, share, related, promo, ad) with -25, and
 * a candidate's score is scaled by (1 - link density) so link farms lose.
 * The best candidate is the article. Its HTML goes through
 * feed_html_sanitize() and its text through feed_html_to_text(), like every
 * other piece of HTML achim stores.
 *
 * Pages are 20 KB to 2 MB; the tree walk is linear and bounded in depth. */
#define _GNU_SOURCE /* strcasestr */
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"
#include "feed/feed_int.h"

#define MAX_DEPTH 200
#define MIN_PARAGRAPH 25     /* characters for a paragraph to count */
#define MIN_ARTICLE_TEXT 250 /* characters of text for a page to hold an article */

static htmlDocPtr page_parse(const char *page, size_t len, const char *charset)
{
    if (len == 0 || len > (size_t)INT32_MAX)
        return NULL;
    feed_xml_init(); /* libxml2's first parser sets up its globals unlocked */
    return htmlReadMemory(page, (int)len, NULL, charset,
                          HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                              HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS);
}

static bool name_is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && str_eq_ci((const char *)n->name, name);
}

static char *prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* ---- discovery --------------------------------------------------------------- */

static bool feed_type(const char *t)
{
    static const char *const types[] = {"application/rss+xml", "application/atom+xml",
                                        "application/rdf+xml", "application/feed+json",
                                        "application/json",    NULL};
    for (const char *const *p = types; *p; p++)
        if (str_eq_ci(t, *p))
            return true;
    return false;
}

static void discover_walk(xmlNodePtr n, const char *base, char ***urls, size_t *len, size_t *cap,
                          int depth)
{
    for (; n && depth < MAX_DEPTH; n = n->next) {
        if (name_is(n, "link")) {
            char *rel = prop(n, "rel"), *type = prop(n, "type"), *href = prop(n, "href");
            if (rel && type && href && strstr(rel, "alternate") && feed_type(str_trim(type))) {
                char *abs = feed_url_resolve(base, href);
                bool dup = false;
                for (size_t i = 0; abs && i < *len; i++)
                    dup |= strcmp((*urls)[i], abs) == 0;
                if (abs && !dup) {
                    XGROW(*urls, *len + 1, *cap);
                    (*urls)[(*len)++] = abs;
                } else {
                    free(abs);
                }
            }
            free(rel);
            free(type);
            free(href);
        }
        if (n->type == XML_ELEMENT_NODE && !name_is(n, "body"))
            discover_walk(n->children, base, urls, len, cap, depth + 1);
    }
}

void feed_discover(const char *html, size_t len, const char *base_url, char ***urls, size_t *n)
{
    *urls = NULL;
    *n = 0;
    htmlDocPtr d = page_parse(html, len, NULL);
    if (!d)
        return;
    size_t cap = 0;
    discover_walk(xmlDocGetRootElement(d), base_url, urls, n, &cap, 0);
    xmlFreeDoc(d);
}

/* ---- extraction -------------------------------------------------------------- */

static const char *const dropped[] = {"script", "style",  "noscript", "nav",    "aside",
                                      "footer", "form",   "iframe",   "button", "svg",
                                      "header", "select", "input",    "menu",   NULL};

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (str_eq_ci(s, *list))
            return true;
    return false;
}

static void strip(xmlNodePtr n, int depth)
{
    while (n) {
        xmlNodePtr next = n->next;
        if (n->type == XML_COMMENT_NODE ||
            (n->type == XML_ELEMENT_NODE && in_list((const char *)n->name, dropped))) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        } else if (n->type == XML_ELEMENT_NODE && depth < MAX_DEPTH) {
            strip(n->children, depth + 1);
        }
        n = next;
    }
}

static bool has_word(const char *s, const char *const *words)
{
    if (!s)
        return false;
    for (; *words; words++)
        if (strcasestr(s, *words))
            return true;
    return false;
}

static int class_weight(xmlNodePtr n)
{
    static const char *const good[] = {"article", "body",  "content", "entry", "main",
                                       "post",    "story", "text",    "blog",  NULL};
    static const char *const bad[] = {"comment",  "footer", "footnote", "sidebar", "nav",
                                      "share",    "social", "related",  "promo",   "advert",
                                      "sponsor",  "widget", "popup",    "cookie",  "newsletter",
                                      "masthead", "menu",   NULL};
    int w = 0;
    char *cls = prop(n, "class"), *id = prop(n, "id");
    if (has_word(cls, bad) || has_word(id, bad))
        w -= 25;
    else if (has_word(cls, good) || has_word(id, good))
        w += 25;
    if (name_is(n, "article") || name_is(n, "main"))
        w += 30;
    free(cls);
    free(id);
    return w;
}

struct cand {
    xmlNodePtr node;
    double score;
};

struct cands {
    struct cand *v;
    size_t n, cap;
};

static struct cand *cand_get(struct cands *c, xmlNodePtr n)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].node == n)
            return &c->v[i];
    XGROW(c->v, c->n + 1, c->cap);
    c->v[c->n] = (struct cand){n, class_weight(n)};
    return &c->v[c->n++];
}

static size_t text_len(xmlNodePtr n, size_t *commas, size_t *link_chars, bool in_link, int depth)
{
    size_t len = 0;
    for (; n && depth < MAX_DEPTH; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content) {
            for (const unsigned char *p = n->content; *p; p++) {
                if ((*p & 0xC0) == 0x80 || *p <= ' ')
                    continue; /* count characters, not bytes or spaces */
                len++;
                if (*p == ',')
                    (*commas)++;
                if (in_link)
                    (*link_chars)++;
            }
            /* CJK text has few commas in the Latin sense; count ideographic ones too */
            if (strstr((const char *)n->content, "\xE3\x80\x81"))
                (*commas)++;
        } else if (n->type == XML_ELEMENT_NODE) {
            len += text_len(n->children, commas, link_chars, in_link || name_is(n, "a"), depth + 1);
        }
    }
    return len;
}

static void score_walk(xmlNodePtr n, struct cands *c, int depth)
{
    for (; n && depth < MAX_DEPTH; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (name_is(n, "p") || name_is(n, "pre") || name_is(n, "blockquote")) {
            size_t commas = 0, links = 0;
            size_t len = text_len(n->children, &commas, &links, false, 0);
            if (len >= MIN_PARAGRAPH && n->parent && n->parent->type == XML_ELEMENT_NODE) {
                double s = 1.0 + (double)commas + (double)(len / 100 < 3 ? len / 100 : 3);
                cand_get(c, n->parent)->score += s;
                xmlNodePtr gp = n->parent->parent;
                if (gp && gp->type == XML_ELEMENT_NODE)
                    cand_get(c, gp)->score += s / 2;
            }
        }
        score_walk(n->children, c, depth + 1);
    }
}

enum achim_code feed_extract_article(const char *page, size_t len, const char *url,
                                     const char *charset, char **text, char **html, struct err *err)
{
    *text = NULL;
    *html = NULL;
    htmlDocPtr d = page_parse(page, len, charset);
    xmlNodePtr root = d ? xmlDocGetRootElement(d) : NULL;
    if (!root) {
        xmlFreeDoc(d);
        return err_set(err, ACHIM_EPARSE, "page '%s' is not HTML", url ? url : "");
    }
    strip(root->children, 0);
    struct cands c = {0};
    score_walk(root, &c, 0);
    struct cand *best = NULL;
    for (size_t i = 0; i < c.n; i++) {
        size_t commas = 0, links = 0;
        size_t tl = text_len(c.v[i].node->children, &commas, &links, false, 0);
        double density = tl ? (double)links / (double)tl : 1.0;
        c.v[i].score *= 1.0 - density;
        if (!best || c.v[i].score > best->score)
            best = &c.v[i];
    }
    enum achim_code rc = ACHIM_OK;
    if (!best || best->score <= 0) {
        rc = err_set(err, ACHIM_ENOTFOUND, "no article text found in '%s'", url ? url : "");
        goto out;
    }
    xmlBufferPtr xb = xmlBufferCreate();
    for (xmlNodePtr k = best->node->children; k; k = k->next)
        htmlNodeDump(xb, d, k);
    char *sanitized = feed_html_sanitize((const char *)xmlBufferContent(xb), url);
    xmlBufferFree(xb);
    char *plain = feed_html_to_text(sanitized);
    if (!plain || strlen(plain) < MIN_ARTICLE_TEXT) {
        free(plain);
        free(sanitized);
        rc = err_set(err, ACHIM_ENOTFOUND, "too little article text in '%s'", url ? url : "");
        goto out;
    }
    *text = plain;
    *html = sanitized;
out:
    free(c.v);
    xmlFreeDoc(d);
    return rc;
}
