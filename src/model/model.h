/* SPDX-License-Identifier: MIT */
/* model.h: the plain data that flows between modules.
 *
 * feed/ produces struct feed_doc, store/ persists struct article, corpus/
 * groups them into stories and report/ renders struct briefing. None of
 * those modules knows the others; they share only these types.
 *
 * Ownership: every char * field is owned by the struct that holds it (heap,
 * NUL-terminated UTF-8, NULL when absent) and freed by the matching
 * _release/_free function. Times are int64 seconds since the epoch, UTC,
 * 0 when unknown. */
#ifndef ACHIM_MODEL_H
#define ACHIM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- articles and feeds ------------------------------------------------ */

struct article {
    int64_t id;          /* store row id; 0 before it is stored */
    int64_t source_id;   /* store source id; 0 when unknown */
    char *source_name;   /* outlet name, for display */
    char *guid;          /* feed-supplied id (RSS guid, Atom id, JSON id) */
    char *url;           /* link as published */
    char *canonical_url; /* normalised link used for deduplication */
    char *title;         /* plain text */
    char *authors;       /* plain text, ", "-separated */
    char *summary;       /* plain text of the teaser/description */
    char *content;       /* plain text of the full content, if any */
    char *content_html;  /* sanitised HTML of content (or summary), safe to show */
    char *language;      /* BCP 47 tag, e.g. "en", "ko" */
    char *tags;          /* ", "-separated categories */
    int64_t published;
    int64_t updated;
    int64_t ingested;
};

void article_release(struct article *a); /* frees fields; zeroes; NULL-safe */
/* Deep copy of src into dst (dst is overwritten, not released). */
void article_copy(struct article *dst, const struct article *src);
/* The best single date: published, else updated, else ingested. */
int64_t article_date(const struct article *a);

enum feed_format {
    FEED_FORMAT_UNKNOWN = 0,
    FEED_FORMAT_RSS,  /* RSS 0.9x and 2.0 */
    FEED_FORMAT_RDF,  /* RSS 1.0 / 0.90 in RDF */
    FEED_FORMAT_ATOM, /* Atom 0.3 and 1.0 */
    FEED_FORMAT_JSON, /* JSON Feed 1.0 / 1.1 */
    FEED_FORMAT_CDF,
};

const char *feed_format_name(enum feed_format f); /* "rss", "atom", ... */

struct feed_doc {
    enum feed_format format;
    char *version;  /* feedparser-style: "rss20", "atom10", "json11", ... */
    char *title;
    char *link;     /* the site's home page */
    char *subtitle;
    char *language;
    char *encoding; /* encoding actually used to decode the bytes */
    bool bozo;      /* something was wrong but data was recovered */
    char *bozo_message;
    struct article *entries;
    size_t nentries;
    size_t cap;
};

struct feed_doc *feed_doc_new(void);
void feed_doc_free(struct feed_doc *doc); /* NULL is a no-op */
/* Append a zeroed entry and return it (valid until the next append). */
struct article *feed_doc_add_entry(struct feed_doc *doc);

/* ---- the briefing ------------------------------------------------------ */

enum brief_area { BRIEF_AI = 0, BRIEF_BIGTECH = 1, BRIEF_TRENDS = 2, BRIEF_NAREAS = 3 };

/* One cited source, numbered by its position in briefing.refs (1-based in output). */
struct brief_ref {
    int64_t article_id;
    char *outlet;
    char *title;
    char *url;
    int64_t published;
};

struct brief_bullet {
    char *topic;     /* short label, e.g. "Compute & chips" */
    char *text;      /* extractive summary: sentences taken from the articles */
    size_t *refs;    /* indexes into briefing.refs, in citation order */
    size_t nrefs;
    int outlets;     /* distinct outlets covering the story */
    double score;    /* ranking score (see why) */
    char *why;       /* human-readable explanation of the score */
    char *terms;     /* classification terms that fired, ", "-separated */
};

struct brief_section {
    enum brief_area area;
    struct brief_bullet *bullets;
    size_t nbullets;
    size_t cap;
};

struct briefing {
    char *lang;           /* "en" or "ko" */
    int64_t date;         /* midnight UTC of the briefing day */
    int64_t window_from;  /* articles considered: [window_from, window_to) */
    int64_t window_to;
    char *headline;       /* 2-3 sentence paragraph naming the top stories */
    struct brief_section sections[BRIEF_NAREAS];
    struct brief_ref *refs;
    size_t nrefs;
    size_t refcap;
    size_t narticles;     /* articles in the window */
    size_t nstories;      /* stories after grouping */
    size_t noutlets;      /* distinct outlets in the window */
};

void briefing_init(struct briefing *b);
void briefing_release(struct briefing *b);
/* Add a reference (deduplicated by article_id); returns its index. */
size_t briefing_add_ref(struct briefing *b, const struct article *a);
struct brief_bullet *brief_section_add(struct brief_section *s);

#endif
