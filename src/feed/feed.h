/* SPDX-License-Identifier: MIT */
/* feed.h: parse RSS, RDF, Atom and JSON Feed documents into struct feed_doc.
 *
 * This is the only header other modules include from src/feed. Parsing works
 * on a buffer and never touches the network or the file system: the bytes
 * come from the caller (fetch or a local file), together with what HTTP said
 * about them (struct feed_parse_opts). Real feeds are often broken, so the
 * parser is liberal in what it accepts, in the manner of feedparser: it
 * recovers what it can and reports problems through doc->bozo rather than by
 * failing. Only input that is not a feed at all (an HTML page, an empty
 * buffer, another XML vocabulary) is refused with ACHIM_EPARSE.
 *
 * Security: external entities and DTDs are never loaded, internal entity
 * declarations other than plain literals are dropped, and HTML that reaches
 * article.content_html has passed feed_html_sanitize().
 *
 * Every char * returned by a function here belongs to the caller, who frees
 * it with free(). */
#ifndef ACHIM_FEED_H
#define ACHIM_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "model/model.h"

struct feed_parse_opts {
    const char *url;              /* document address, base for relative links; may be NULL */
    const char *content_type;     /* HTTP Content-Type incl. charset, or NULL (local file) */
    const char *content_location; /* may be NULL */
    const char *content_language; /* may be NULL */
    size_t max_field;             /* cap per text field in bytes, 0 = default 1 MiB */
    bool detail;                  /* keep feedparser's full result (feed_detail_take) */
    bool http;                    /* the bytes came over HTTP (content_type may be NULL) */
    /* Streaming: when set, each entry goes to on_entry as soon as it is
     * complete, in document order, instead of into doc->entries, so memory
     * stays proportional to one entry. The callee may take strings from a
     * (setting the field to NULL); a is released after the call. doc's own
     * fields are final only when feed_parse_buffer returns. Returning false
     * stops the parse: what was read so far is the result. */
    bool (*on_entry)(void *arg, struct article *a);
    void *on_entry_arg;
};

#define FEED_MAX_FIELD_DEFAULT (1024 * 1024)
#define FEED_MAX_ENTRIES 1000000
#define FEED_MAX_DEPTH 256

/* Parse len bytes of RSS/RDF/Atom/JSON Feed. Returns ACHIM_OK with *out set
 * (caller frees with feed_doc_free) whenever anything feed-like could be read,
 * setting doc->bozo and doc->bozo_message for recoverable problems (not
 * well-formed, wrong encoding, bad dates...). Returns ACHIM_EPARSE with no
 * *out when the bytes are not a feed at all (e.g. an HTML page), or empty.
 * opts may be NULL (no URL, no HTTP headers, default limits).
 *
 * Each entry gets guid, url (absolute), canonical_url, title (plain text),
 * authors, summary (plain text), content (plain text of the full content),
 * content_html (sanitised content, else sanitised summary), language, tags,
 * published and updated. The document gets format, version (feedparser's
 * names: "rss20", "rss091u", "rss10", "atom10", "json11", ...), title, link,
 * subtitle, language and encoding (the charset actually used, lower case). */
enum achim_code feed_parse_buffer(const char *data, size_t len, const struct feed_parse_opts *opts,
                                  struct feed_doc **out, struct err *err);

/* The full result in the shape of feedparser's (the FEED-JSON contract of
 * `achim parse --json`): bozo, bozo_exception, encoding, version,
 * namespaces, feed, entries. Only present when opts->detail was set; the
 * caller owns the returned object (cJSON_Delete). NULL otherwise. */
struct cJSON;
struct cJSON *feed_detail_take(struct feed_doc *doc);

/* Parse a date in RFC 822/1123 (with any zone name/offset), W3C-DTF/RFC 3339/ISO 8601
 * and common broken forms; false when unparseable. Result in UTC seconds.
 * A date without a zone is taken as UTC, except Korean forms ("2026년 1월 31일",
 * "오후 2:05"), which are taken as KST (+09:00) as feedparser does. Partial
 * W3C-DTF dates ("2026-01", "2026") mean the first day of the period. */
bool feed_date_parse(const char *s, int64_t *out);

/* Canonical form of a URL for deduplication: lower-case scheme/host, no default
 * port, no fragment, tracking parameters removed (utm_*, fbclid, gclid, mc_cid,
 * mc_eid, ref, cmpid, ...), remaining query kept in order. NULL if not http(s)/unparseable.
 * Caller frees. */
char *feed_url_canonical(const char *url);

/* Resolve ref against base (RFC 3986). base may be NULL, in which case ref must
 * be absolute. Surrounding white space in ref is ignored. Caller frees; NULL on
 * failure. */
char *feed_url_resolve(const char *base, const char *ref);

/* True when url has a scheme that is safe to link to from sanitised HTML
 * (http, https, ftp, mailto, ...) or no scheme at all (a relative reference).
 * javascript:, vbscript:, data: and unknown schemes are unsafe, however they
 * are spelt (case, embedded white space or control characters). */
bool feed_url_is_safe(const char *url);

/* Plain text of an HTML fragment: tags dropped, entities decoded, block elements
 * become line breaks/spaces, whitespace squashed. Paragraph-like blocks are
 * separated by one '\n'; inside a line, white space runs become one space.
 * NULL gives NULL. Caller frees. */
char *feed_html_to_text(const char *html);

/* Sanitised HTML fragment: an allow-list of elements and attributes in the spirit of
 * feedparser's _HTMLSanitizer (script/style/iframe/object/embed/form removed with their
 * content where feedparser does, on* attributes and javascript:/data:/vbscript: URLs dropped,
 * relative href/src resolved against base_url). base_url may be NULL. NULL gives
 * NULL. Caller frees. */
char *feed_html_sanitize(const char *html, const char *base_url);

/* ---- OPML, feed discovery and full-text extraction (opml.c, extract.c) ---- */

#include "base/buf.h"

/* One feed of a subscription list. weight is achim's authority weight
 * (achim:weight attribute, 0 when absent); fulltext the achim:fulltext flag. */
struct feed_outline {
    char *xml_url;  /* the feed */
    char *html_url; /* the site, NULL if absent */
    char *title;    /* text or title attribute, NULL if absent */
    char *category; /* title of the enclosing outline, NULL at top level */
    double weight;
    bool fulltext;
};

/* Read every <outline> that has an xmlUrl from an OPML 1.0/2.0 document, at
 * any depth, in document order. Parsed like feeds: no network, no DTD, no
 * external entities. *out (OUT, array of *n, NULL when none) is freed with
 * feed_outlines_free(). ACHIM_EPARSE if the bytes are not OPML. */
enum achim_code feed_opml_parse(const char *data, size_t len, struct feed_outline **out, size_t *n,
                                struct err *err);
void feed_outlines_free(struct feed_outline *v, size_t n); /* NULL is a no-op */

/* Append an OPML 2.0 document listing v[0..n) (with achim:weight and
 * achim:fulltext attributes in achim's namespace) to out. */
enum achim_code feed_opml_write(const struct feed_outline *v, size_t n, const char *title,
                                int64_t now, struct buf *out);

/* The feeds an HTML page announces with <link rel="alternate"> (RSS, Atom,
 * RDF or JSON Feed types), resolved against base_url, in page order.
 * *urls (OUT, array of *n, NULL when none) is freed with free() per element
 * and for the array. */
void feed_discover(const char *html, size_t len, const char *base_url, char ***urls, size_t *n);

/* Readability-style main text of an article page: the page is parsed with
 * libxml2's HTML parser (no network), boilerplate (script, nav, aside,
 * footer, forms, comments...) dropped, and the block with the best score of
 * paragraph text, commas and class/id hints, less link density, kept.
 * charset (from Content-Type) may be NULL: the page's own declaration is then
 * used. On success *text is plain text and *html its sanitised HTML (caller
 * frees both). ACHIM_ENOTFOUND when no block has enough text to be an
 * article (a menu, a paywall, an error page). */
enum achim_code feed_extract_article(const char *page, size_t len, const char *url,
                                     const char *charset, char **text, char **html,
                                     struct err *err);

#endif
