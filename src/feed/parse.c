/* SPDX-License-Identifier: MIT */
/* parse.c: feed_parse_buffer(), the entry point of the feed parser.
 *
 * Decides the base URI and defaults from what HTTP said, decodes the bytes
 * to UTF-8 (encoding.c), sends JSON to json.c and everything else through
 * the XML repair pass (prep.c) to xml.c. The document is only handed to
 * the caller when a parser recognised a feed; otherwise it is dropped and
 * the parser's reason is returned with ACHIM_EPARSE. */
#include "feed/feed_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"

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
    char *utf8 = feed_to_utf8(&c, data, len, &ulen);
    const char *p = utf8;
    while (*p && isspace((unsigned char)*p))
        p++;
    enum achim_code rc;
    if (*p == '{' || *p == '[') {
        rc = feed_json_parse(&c, utf8, ulen, err);
    } else {
        size_t xlen = 0;
        char *xml = feed_xml_prepare(&c, utf8, ulen, &xlen);
        rc = feed_xml_parse(&c, xml, xlen, err);
        free(xml);
    }
    free(utf8);
    free(c.base);
    free(c.feed_authors);
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
