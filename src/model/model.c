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
    if (doc->detail && doc->detail_free)
        doc->detail_free(doc->detail);
    free(doc);
}

struct article *feed_doc_add_entry(struct feed_doc *doc)
{
    XGROW(doc->entries, doc->nentries + 1, doc->cap);
    struct article *a = &doc->entries[doc->nentries++];
    memset(a, 0, sizeof(*a));
    return a;
}

void briefing_init(struct briefing *b)
{
    memset(b, 0, sizeof(*b));
    for (int i = 0; i < BRIEF_NAREAS; i++)
        b->sections[i].area = (enum brief_area)i;
}

void briefing_release(struct briefing *b)
{
    for (int i = 0; i < BRIEF_NAREAS; i++) {
        struct brief_section *s = &b->sections[i];
        for (size_t j = 0; j < s->nbullets; j++) {
            free(s->bullets[j].topic);
            free(s->bullets[j].text);
            free(s->bullets[j].refs);
            free(s->bullets[j].why);
            free(s->bullets[j].terms);
            for (size_t k = 0; k < s->bullets[j].nsources; k++)
                free(s->bullets[j].sources[k].text);
            free(s->bullets[j].sources);
            free(s->bullets[j].figures);
        }
        free(s->bullets);
    }
    for (size_t i = 0; i < b->nrefs; i++) {
        free(b->refs[i].outlet);
        free(b->refs[i].title);
        free(b->refs[i].url);
    }
    free(b->refs);
    for (size_t i = 0; i < b->nfacts; i++)
        free(b->facts[i].subject);
    free(b->facts);
    free(b->lang);
    free(b->headline);
    briefing_init(b);
}

size_t briefing_add_ref(struct briefing *b, const struct article *a)
{
    for (size_t i = 0; i < b->nrefs; i++)
        if (b->refs[i].article_id == a->id)
            return i;
    XGROW(b->refs, b->nrefs + 1, b->refcap);
    struct brief_ref *r = &b->refs[b->nrefs];
    r->article_id = a->id;
    r->outlet = xstrdup(a->source_name ? a->source_name : "unknown outlet");
    r->title = xstrdup(a->title ? a->title : "(untitled)");
    r->url = xstrdup(a->url);
    r->published = article_date(a);
    return b->nrefs++;
}

struct brief_bullet *brief_section_add(struct brief_section *s)
{
    XGROW(s->bullets, s->nbullets + 1, s->cap);
    struct brief_bullet *bl = &s->bullets[s->nbullets++];
    memset(bl, 0, sizeof(*bl));
    return bl;
}

struct brief_fact *briefing_add_fact(struct briefing *b, enum brief_area area,
                                     enum brief_audience audience, enum brief_fact_kind kind)
{
    XGROW(b->facts, b->nfacts + 1, b->factcap);
    struct brief_fact *f = &b->facts[b->nfacts++];
    memset(f, 0, sizeof(*f));
    f->area = area;
    f->audience = audience;
    f->kind = kind;
    return f;
}
