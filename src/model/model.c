/* SPDX-License-Identifier: MIT */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void article_release(struct article *a)
{
    if (!a)
        return;
    free(a->source_name);
    free(a->guid);
    free(a->url);
    free(a->canonical_url);
    free(a->title);
    free(a->authors);
    free(a->summary);
    free(a->content);
    free(a->content_html);
    free(a->language);
    free(a->tags);
    memset(a, 0, sizeof(*a));
}

void article_copy(struct article *dst, const struct article *src)
{
    *dst = *src;
    dst->source_name = xstrdup(src->source_name);
    dst->guid = xstrdup(src->guid);
    dst->url = xstrdup(src->url);
    dst->canonical_url = xstrdup(src->canonical_url);
    dst->title = xstrdup(src->title);
    dst->authors = xstrdup(src->authors);
    dst->summary = xstrdup(src->summary);
    dst->content = xstrdup(src->content);
    dst->content_html = xstrdup(src->content_html);
    dst->language = xstrdup(src->language);
    dst->tags = xstrdup(src->tags);
}

int64_t article_date(const struct article *a)
{
    if (a->published)
        return a->published;
    if (a->updated)
        return a->updated;
    return a->ingested;
}

const char *feed_format_name(enum feed_format f)
{
    switch (f) {
    case FEED_FORMAT_RSS: return "rss";
    case FEED_FORMAT_RDF: return "rdf";
    case FEED_FORMAT_ATOM: return "atom";
    case FEED_FORMAT_JSON: return "json";
    case FEED_FORMAT_CDF: return "cdf";
    default: return "unknown";
    }
}

struct feed_doc *feed_doc_new(void) { return xcalloc(1, sizeof(struct feed_doc)); }

void feed_doc_free(struct feed_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nentries; i++)
        article_release(&doc->entries[i]);
    free(doc->entries);
    free(doc->version);
    free(doc->title);
    free(doc->link);
    free(doc->subtitle);
    free(doc->language);
    free(doc->encoding);
    free(doc->bozo_message);
    free(doc);
}

struct article *feed_doc_add_entry(struct feed_doc *doc)
{
    XGROW(doc->entries, doc->nentries + 1, doc->cap);
    struct article *a = &doc->entries[doc->nentries++];
    memset(a, 0, sizeof(*a));
    return a;
}
