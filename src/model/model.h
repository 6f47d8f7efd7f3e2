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
    /* feed/'s full feedparser-shaped detail tree when asked for (opaque
     * here); released by detail_free, which feed/ sets */
    void *detail;
    void (*detail_free)(void *detail);
};

struct feed_doc *feed_doc_new(void);
void feed_doc_free(struct feed_doc *doc); /* NULL is a no-op */
/* Append a zeroed entry and return it (valid until the next append). */
struct article *feed_doc_add_entry(struct feed_doc *doc);

/* ---- the briefing ------------------------------------------------------ */

enum brief_area { BRIEF_AI = 0, BRIEF_BIGTECH = 1, BRIEF_TRENDS = 2, BRIEF_NAREAS = 3 };

/* A sentence of a bullet and the article sentence it was taken from. */
struct brief_source {
    size_t ref;      /* index into briefing.refs */
    size_t sentence; /* sentence number in that article's text (0-based) */
    char *text;      /* the sentence as taken */
};

/* One figure as one outlet reports it, where outlets disagree. kind as
 * corpus FIGURE_* (0 money, 1 power, 2 percent); value in unit (money: a
 * currency code "USD", "EUR", "KRW"...; power: "MW"; percent: "%");
 * qualifier as corpus FIGURE_EXACT.. (0 exact, 1 at least, 2 about, 3 at
 * most). The readings of one quantity share group and are adjacent. */
struct brief_figure {
    int kind;
    double value;
    char unit[8];
    int qualifier;
    int group;
    size_t ref;      /* index into briefing.refs */
};

/* A measured fact behind an implication line; report/ words it per language. */
enum brief_fact_kind {
    BRIEF_FACT_COVERAGE = 0, /* count: stories, value: articles, outlets; subject: widest topic (n = its outlets) */
    BRIEF_FACT_TREND = 1,    /* subject: theme; value: articles today; baseline: daily mean; n: baseline days */
    BRIEF_FACT_COMPANIES = 2,/* subject: "Name (outlets, articles), ..." most-covered companies
                                and labs (gazetteer entities stored per article) */
    BRIEF_FACT_AMOUNT = 3,   /* subject: topic; value in unit (a currency); n: qualifier */
    BRIEF_FACT_CAPACITY = 4, /* subject: topic; value: megawatts; n: qualifier */
    BRIEF_FACT_WATCHLIST = 5,/* subject: "Name (n), ..." watched names by outlets covering them */
};
enum brief_audience { BRIEF_FOR_RESEARCHERS = 0, BRIEF_FOR_QUANTS = 1 };

struct brief_fact {
    enum brief_area area;
    enum brief_audience audience;
    enum brief_fact_kind kind;
    char *subject;
    double value;
    double baseline;
    int count;
    int outlets;
    int n;
    char unit[8];    /* amount: the currency of value ("USD", "EUR", "KRW"...) */
    size_t ref;      /* a supporting reference (index into briefing.refs) */
    bool has_ref;
};

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
    int independent; /* of those, outlets with a report of their own (wire copies and
                        links to another outlet's article count once) */
    double score;    /* ranking score (see why) */
    char *why;       /* human-readable explanation of the score */
    char *terms;     /* classification terms that fired, ", "-separated */
    /* grounding: the article sentences text is made of, in text order */
    struct brief_source *sources;
    size_t nsources;
    bool confirmed;  /* carried by 2+ independent outlets (else single source) */
    /* figures the outlets report for the story, where they disagree */
    struct brief_figure *figures;
    size_t nfigures;
    /* continued story: its articles in the 24 hours before the window */
    int prev_articles;
    int prev_outlets;
    /* the story across days: its persistent id (0: not stored) and state */
    int64_t story_id;
    char state[12];  /* "new", "developing", "continued" */
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
    /* implication facts, grouped by area in the order added */
    struct brief_fact *facts;
    size_t nfacts;
    size_t factcap;
};

void briefing_init(struct briefing *b);
void briefing_release(struct briefing *b);
/* Add a reference (deduplicated by article_id); returns its index. */
size_t briefing_add_ref(struct briefing *b, const struct article *a);
struct brief_bullet *brief_section_add(struct brief_section *s);
/* Append a zeroed fact for area and audience and return it. */
struct brief_fact *briefing_add_fact(struct briefing *b, enum brief_area area,
                                     enum brief_audience audience, enum brief_fact_kind kind);

#endif
