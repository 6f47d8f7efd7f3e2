/* SPDX-License-Identifier: MIT */
/* feed_int.h: internals shared by the files of src/feed (not for other modules).
 *
 * The pipeline of feed_parse_buffer() (parse.c):
 *
 *   bytes --encoding.c--> UTF-8 --prep.c--> well-behaved XML text
 *         --xml.c (xmlReader)--> struct feed_entry_raw --entry.c--> struct article
 *   bytes --json.c (cJSON)----------------> struct feed_entry_raw ----^
 *
 * Format parsers fill a struct feed_entry_raw with what the document says,
 * still marked as HTML or text; entry.c alone decides how that becomes the
 * plain-text and sanitised-HTML fields of struct article, so RSS, Atom and
 * JSON Feed entries are normalised the same way. */
#ifndef ACHIM_FEED_INT_H
#define ACHIM_FEED_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "feed/feed.h"

/* State of one feed_parse_buffer() call. */
struct feed_ctx {
    const struct feed_parse_opts *opts; /* never NULL (defaults substituted) */
    struct feed_doc *doc;
    size_t max_field;
    char *base;         /* Content-Location resolved against url, else url; may be NULL */
    bool netscape;      /* the DOCTYPE named Netscape's RSS 0.91 DTD */
    char *feed_authors; /* feed-level authors inherited by entries without any */
    bool stopped;       /* a limit was reached; parsers stop adding entries */
};

/* Record a recoverable problem. The first message is kept; later ones only
 * confirm doc->bozo. */
void feed_bozo(struct feed_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What a format parser found in one entry, before normalisation. Strings are
 * heap-allocated (NULL when absent); *_html tells whether a value is HTML
 * (true) or plain text (false). Bases are the xml:base in effect, used to
 * resolve links inside that HTML. */
struct feed_entry_raw {
    char *guid;
    bool guid_is_link; /* RSS guid isPermaLink (the default) */
    char *link;        /* absolute when a base was known */
    char *title;
    bool title_html;
    char *summary;
    bool summary_html;
    char *summary_base;
    char *content;
    bool content_html;
    char *content_base;
    struct buf authors; /* ", "-separated, no duplicates */
    struct buf tags;    /* ", "-separated, no duplicates */
    int64_t published, updated;
    char *lang;
};

void feed_entry_raw_release(struct feed_entry_raw *r);
/* Append name to a ", "-list unless empty or already present. */
void feed_list_add(struct buf *list, const char *name);
/* Normalise r into a new entry of c->doc (unless a limit was reached) and
 * release r. */
void feed_entry_commit(struct feed_ctx *c, struct feed_entry_raw *r);

/* Store s in *dst when *dst is still NULL (the first value wins), else free s. */
void feed_set_first(char **dst, char *s);
/* Cut s (in place) to at most max bytes at a UTF-8 character boundary. */
char *feed_cap(char *s, size_t max);
/* Parse a date for dst (when still 0); an unparseable date makes the doc bozo. */
void feed_date_field(struct feed_ctx *c, const char *s, int64_t *dst);
/* Plain text tidy-up in place: lines trimmed, white space runs (including
 * U+00A0) squashed to one space, blank lines dropped. Returns s. */
char *feed_text_tidy(char *s);
/* Everything on one line: like feed_text_tidy, newlines become spaces. */
char *feed_text_line(char *s);
/* True when s contains markup or entity references, so a field of unknown
 * type should be read as HTML (feedparser's lookslikehtml). */
bool feed_looks_like_html(const char *s);
/* Name of an RSS author value: "jo@example.com (Jo Bloggs)" gives "Jo Bloggs". */
char *feed_author_name(const char *s);

/* ---- encoding.c -------------------------------------------------------- */

/* Convert data to UTF-8 following the BOM, the HTTP charset and the XML
 * declaration, falling back to UTF-8, windows-1252 and ISO-8859-1 (and
 * setting bozo) when the declared encoding does not decode. Sets
 * c->doc->encoding. The result has no BOM. */
char *feed_to_utf8(struct feed_ctx *c, const char *data, size_t len, size_t *outlen);

/* ---- prep.c ------------------------------------------------------------ */

/* Rewrite UTF-8 XML text so libxml2 can take it without DTD processing: the
 * DOCTYPE is removed (its plain literal entities are kept and substituted
 * here), HTML named entities become character references, stray '&' become
 * "&amp;" and characters XML forbids are dropped. Each repair makes the
 * document bozo. Returns a new string; *outlen is its length. */
char *feed_xml_prepare(struct feed_ctx *c, const char *s, size_t len, size_t *outlen);

/* ---- xml.c / json.c ---------------------------------------------------- */

/* Parse prepared XML. ACHIM_EPARSE when the root element is not a feed. */
enum achim_code feed_xml_parse(struct feed_ctx *c, const char *xml, size_t len, struct err *err);
/* Parse a JSON Feed. ACHIM_EPARSE when the text is not one. */
enum achim_code feed_json_parse(struct feed_ctx *c, const char *json, size_t len, struct err *err);

/* ---- html.c ------------------------------------------------------------ */

/* Escape & < > " for use as HTML text or attribute value. */
void feed_html_escape(struct buf *out, const char *s, size_t n);
/* Decode one HTML named entity (without '&' and ';') to UTF-8 into out[8];
 * returns the byte length, 0 when name is unknown. */
size_t feed_html_entity(const char *name, size_t n, char out[8]);

#endif
