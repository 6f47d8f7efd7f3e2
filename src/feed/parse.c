/* SPDX-License-Identifier: MIT */
/* parse.c: feed_parse_buffer(), the entry point of the feed parser.
 *
 * Decides the base URI and defaults from what HTTP said, decodes the bytes
 * to UTF-8 (encoding.c), sends JSON to json.c and everything else through
 * the XML repair pass (prep.c) to fp.c. The document is only handed to
 * the caller when a parser recognised a feed; otherwise it is dropped and
 * the parser's reason is returned with ACHIM_EPARSE.
 *
 * Memory: besides the caller's bytes, a parse holds one slice of repaired
 * text (FEED_PREP_SLICE), libxml2's push-parser state, the open entry and,
 * unless opts->on_entry takes them one by one, the finished articles. A
 * UTF-8 document is not even copied (utf8_in_place). */
#include "feed/feed_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "model/model.h"

/* An entry date as feedparser reports it: the text (here rebuilt in UTC
 * from the parsed time: the article does not keep the document's spelling)
 * and the time tuple. 0 means the entry has no such date. */
static void add_date(cJSON *e, const char *key, int64_t t)
{
    if (!t)
        return;
    time_t tt = (time_t)t;
    struct tm tm;
    char text[40], parsed[48];
    if (!gmtime_r(&tt, &tm) || !strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm))
        return;
    snprintf(parsed, sizeof(parsed), "%s_parsed", key);
    cJSON_AddStringToObject(e, key, text);
    cJSON_AddItemToObject(e, parsed, feed_date_tuple(t));
}

/* A JSON Feed reported in the same feedparser shape as XML feeds. */
static void json_detail(struct feed_ctx *c, enum achim_code rc)
{
    struct feed_doc *doc = c->doc;
    if (rc) {
        free(doc->version);
        doc->version = xstrdup("");
        c->doc->bozo = true;
    }
    cJSON *feed = cJSON_CreateObject(), *entries = cJSON_CreateArray();
    if (doc->title)
        cJSON_AddStringToObject(feed, "title", doc->title);
    if (doc->link)
        cJSON_AddStringToObject(feed, "link", doc->link);
    if (doc->language)
        cJSON_AddStringToObject(feed, "language", doc->language);
    for (size_t i = 0; i < doc->nentries; i++) {
        const struct article *a = &doc->entries[i];
        cJSON *e = cJSON_CreateObject();
        if (a->title)
            cJSON_AddStringToObject(e, "title", a->title);
        if (a->url)
            cJSON_AddStringToObject(e, "link", a->url);
        if (a->guid)
            cJSON_AddStringToObject(e, "id", a->guid);
        if (a->summary)
            cJSON_AddStringToObject(e, "summary", a->summary);
        add_date(e, "published", a->published);
        add_date(e, "updated", a->updated);
        cJSON_AddItemToArray(entries, e);
    }
    c->jfeed = feed;
    c->jentries = entries;
    c->jns = cJSON_CreateObject();
    fp_attach_detail(c);
}

struct prep_to_fp {
    struct feed_ctx *c;
    struct fp *f;
};

/* prep.c's sink: one slice of repaired text into the XML parser. */
static bool prep_to_fp(void *arg, const char *s, size_t n)
{
    struct prep_to_fp *pf = arg;
    pf->c->defer_bozo = true;
    bool more = fp_chunk(pf->f, s, n);
    pf->c->defer_bozo = false;
    return more;
}

/* Documents that are UTF-8 are read in place rather than copied by
 * feed_to_utf8() (twice when the XML declaration is rewritten): see
 * feed_utf8_text(). */
bool feed_in_place_off;
bool feed_charrefs_off;

enum achim_code feed_parse_buffer(const char *data, size_t len, const struct feed_parse_opts *opts,
                                  struct feed_doc **out, struct err *err)
{
    static const struct feed_parse_opts no_opts;
    if (out)
        *out = NULL;
    if (!out)
        return err_set(err, ACHIM_EINVAL, "feed_parse_buffer: no output");
    if (!opts)
        opts = &no_opts;
    size_t i = 0;
    while (data && i < len && isspace((unsigned char)data[i]))
        i++;
    if (!data || i == len)
        return err_set(err, ACHIM_EPARSE, "not a feed: empty document");

    struct feed_ctx c = {.opts = opts, .doc = feed_doc_new()};
    c.max_field = opts->max_field ? opts->max_field : FEED_MAX_FIELD_DEFAULT;
    if (opts->content_location && !str_empty(opts->content_location))
        c.base = feed_url_resolve(opts->url, opts->content_location);
    if (!c.base && opts->url && !str_empty(opts->url))
        c.base = feed_url_resolve(NULL, opts->url);
    if (!c.base && opts->url)
        c.base = xstrdup(opts->url);
    if (opts->content_language && !str_empty(opts->content_language))
        c.doc->language = feed_text_line(xstrdup(opts->content_language));

    size_t ulen = 0;
    bool utf8_decl = false;
    char *utf8 = NULL;
    const char *text = feed_utf8_text(&c, data, len, !feed_in_place_off, &ulen, &utf8_decl, &utf8);
    const char *p = text;
    while (p < text + ulen && *p && isspace((unsigned char)*p))
        p++;
    enum achim_code rc;
    if (p < text + ulen && (*p == '{' || *p == '[')) {
        rc = feed_json_parse(&c, text, ulen, err);
        if (opts->detail)
            json_detail(&c, rc);
        if (opts->detail)
            rc = ACHIM_OK;
    } else {
        /* repair and parse in one stream: the repaired text is handed to
         * libxml2's push parser a slice at a time and never exists whole */
        struct fp *f = fp_begin(&c);
        struct prep_to_fp pf = {&c, f};
        c.prep_charrefs = !feed_charrefs_off;
        feed_xml_prepare_stream(&c, text, ulen, utf8_decl, prep_to_fp, &pf);
        if (!c.doc->bozo_message && c.late_bozo) {
            c.doc->bozo_message = c.late_bozo;
            c.late_bozo = NULL;
        }
        free(utf8); /* the bytes are not needed from here on */
        utf8 = NULL;
        if (c.netscape)
            snprintf(c.dt_version, sizeof(c.dt_version), "rss091n");
        rc = fp_end(f, err);
        if (!rc && !opts->detail && !*c.doc->version && !c.nseen)
            rc = *c.root_name
                     ? err_set(err, ACHIM_EPARSE, "not a feed: root element <%s>", c.root_name)
                     : err_set(err, ACHIM_EPARSE, "not a feed: %s",
                               c.doc->bozo_message ? c.doc->bozo_message : "no root element");
        if (!rc && opts->detail)
            fp_attach_detail(&c);
    }
    cJSON_Delete(c.jfeed);
    cJSON_Delete(c.jentries);
    cJSON_Delete(c.jns);
    free(utf8);
    free(c.base);
    free(c.feed_authors);
    free(c.late_bozo);
    article_release(&c.pending);
    feed_html_parser_free(c.html);
    if (rc) {
        feed_doc_free(c.doc);
        return rc;
    }
    feed_cap(c.doc->title, c.max_field);
    feed_cap(c.doc->subtitle, c.max_field);
    feed_cap(c.doc->link, c.max_field);
    *out = c.doc;
    return ACHIM_OK;
}
