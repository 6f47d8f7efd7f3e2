/* SPDX-License-Identifier: MIT */
/* feed_int.h: internals shared by the files of src/feed (not for other modules).
 *
 * The pipeline of feed_parse_buffer() (parse.c):
 *
 *   bytes --encoding.c--> UTF-8 --prep.c--> well-behaved XML text
 *         --fp.c (SAX, feedparser's element rules; sgml.c sanitises HTML)-->
 *         feedparser-shaped JSON entry --fpglue.c--> struct article
 *
 * It is a stream: prep.c hands the repaired text to libxml2's push parser
 * a slice at a time, each entry becomes an article as it closes and, with
 * opts->on_entry, goes to the caller and is freed. fpglue.c builds the
 * article's text and sanitised HTML from the entry's HTML as published
 * (struct fp_raw), parsed once by html.c; sgml.c's feedparser passes only
 * run for the detail tree (opts->detail).
 *   bytes --json.c (cJSON)--> struct feed_entry_raw --entry.c--> struct article
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
#include <string.h>

#include <cjson/cJSON.h>
#include <iconv.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "feed/feed.h"

/* strcmp() == 0, first checking the first two bytes inline: most of
   fp.c's comparisons of element and key names fail there ("title" and
   "type" share only their first). */
static inline bool fp_streq(const char *a, const char *b)
{
    return a[0] == b[0] && (!a[0] || (a[1] == b[1] && (!a[1] || !strcmp(a + 2, b + 2))));
}

/* buf_addch and buf_add, inline while the buffer has room and no cap (the
   parser's hot loops append a byte or a short run at a time). */
static inline void fbuf_addch(struct buf *b, char c)
{
    if (!b->max && b->len + 1 < b->cap) {
        b->ptr[b->len++] = c;
        b->ptr[b->len] = '\0';
    } else {
        buf_addch(b, c);
    }
}

/* buf_room, inline when the room is there already. */
static inline char *fbuf_room(struct buf *b, size_t extra)
{
    return b->len + extra < b->cap ? b->ptr + b->len : buf_room(b, extra);
}

static inline void fbuf_add(struct buf *b, const char *s, size_t n)
{
    if (!b->max && b->len + n < b->cap) {
        memcpy(b->ptr + b->len, s, n);
        b->len += n;
        b->ptr[b->len] = '\0';
    } else {
        buf_add(b, s, n);
    }
}

/* cJSON_GetObjectItemCaseSensitive without a strcmp call per key: fp.c's
   entries hold a dozen or more keys and this lookup is the parser's hottest
   path. */
static inline cJSON *fp_jget(const cJSON *o, const char *k)
{
    if (!o || !k)
        return NULL;
    for (cJSON *c = o->child; c && c->string; c = c->next)
        if (fp_streq(c->string, k))
            return c;
    return NULL;
}

/* cJSON_IsString, inline (asked for every value read back from a tree). */
static inline bool fp_jis_string(const cJSON *v)
{
    return v && (v->type & 0xFF) == cJSON_String;
}

/* A copy of the n bytes at s, NUL-terminated. */
static inline char *feed_dup_n(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* fp_jget(o, k) as a string. Each key is first compared by its address:
 * keys stored as the very literal asked for (cJSON's constant keys; the
 * linker merges equal literals) then match without a strcmp call. */
static inline const char *fp_jstr(const cJSON *o, const char *k)
{
    if (!o || !k)
        return NULL;
    for (const cJSON *c = o->child; c && c->string; c = c->next)
        if (c->string == k || fp_streq(c->string, k))
            return fp_jis_string(c) ? c->valuestring : NULL;
    return NULL;
}

/* cJSON_DeleteItemFromObjectCaseSensitive, with fp_jget's lookup. */
static inline void fp_jdel(cJSON *o, const char *k)
{
    cJSON *item = fp_jget(o, k);
    if (item)
        cJSON_Delete(cJSON_DetachItemViaPointer(o, item));
}

/* State of one feed_parse_buffer() call. */
struct feed_ctx {
    const struct feed_parse_opts *opts; /* never NULL (defaults substituted) */
    struct feed_doc *doc;
    size_t max_field;
    char *base;             /* Content-Location resolved against url, else url; may be NULL */
    bool netscape;          /* the DOCTYPE named Netscape's RSS 0.91 DTD */
    char *feed_authors;     /* feed-level authors inherited by entries without any */
    bool stopped;           /* a limit was reached; parsers stop adding entries */
    bool aborted;           /* opts->on_entry asked to stop: parsing ends now */
    size_t nseen;           /* entries turned into articles (kept or streamed) */
    struct article pending; /* the entry being handed to opts->on_entry */
    bool defer_bozo;        /* fp runs while prep.c still repairs: see feed_bozo */
    char *late_bozo;        /* fp's first message while deferred */
    const char *bozo_type;  /* feedparser's exception name for the first problem */
    char dt_version[16];    /* version named by the DOCTYPE ("rss091n") */
    cJSON *jfeed;           /* fp.c's result: feed-level keys */
    cJSON *jentries;        /* entries still held (all of them with opts->detail) */
    cJSON *jns;             /* namespaces in use */
    const char *fp_version; /* fp.c's version while parsing */
    char root_name[64];     /* the root element's local name */
    struct feed_html_parser *html; /* reused for every entry's HTML (fpglue.c) */
    /* prep.c writes &lt; &gt; &amp; in text as &#60; &#62; &#38; (which
     * libxml2 reads faster) and every other reference to those characters
     * in another spelling; fp.c then drops the three after an error, as
     * libxml2 drops entity references (see fp_rewritten_ref) */
    bool prep_charrefs;
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
/* A new, zeroed article for an entry: appended to doc->entries, or the one
 * handed to opts->on_entry by feed_entry_done (which then releases it). */
struct article *feed_entry_new(struct feed_ctx *c);
void feed_entry_done(struct feed_ctx *c, struct article *a);

/* Store s in *dst when *dst is still NULL (the first value wins), else free s. */
void feed_set_first(char **dst, char *s);
/* Cut s (in place) to at most max bytes at a UTF-8 character boundary. */
char *feed_cap(char *s, size_t max);
/* feed_cap when s's length n is known (strlen(s) == n). */
char *feed_cap_n(char *s, size_t n, size_t max);
/* Parse a date for dst (when still 0); an unparseable date makes the doc bozo. */
void feed_date_field(struct feed_ctx *c, const char *s, int64_t *dst);
/* Plain text tidy-up in place: lines trimmed, white space runs (including
 * U+00A0) squashed to one space, blank lines dropped. Returns s. */
char *feed_text_tidy(char *s);
/* Everything on one line: like feed_text_tidy, newlines become spaces. */
char *feed_text_line(char *s);
/* feed_text_line of s, n bytes long (not NULL); returns the new length. */
size_t feed_text_line_n(char *s, size_t n);
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

/* True when feed_to_utf8() would take data as it is, UTF-8 by declaration
 * and valid, without complaint: its copy would be the same bytes less the
 * BOM (*skip bytes), with the XML declaration rewritten. Sets
 * c->doc->encoding as feed_to_utf8() would; changes nothing when false. */
bool feed_utf8_as_is(struct feed_ctx *c, const char *data, size_t len, size_t *skip);

/* The document as UTF-8: data itself less the BOM when in_place and
 * feed_utf8_as_is() would say so (*utf8_decl: an XML declaration there is
 * still to be rewritten), else feed_to_utf8()'s copy, also left in *copy
 * for the caller to free. The declared encoding is worked out once. */
const char *feed_utf8_text(struct feed_ctx *c, const char *data, size_t len, bool in_place,
                           size_t *outlen, bool *utf8_decl, char **copy);

/* ---- chardet.c --------------------------------------------------------- */

/* Statistical guess of the encoding of bytes nothing declared correctly
 * (feedparser's chardet step): the name chardet would report ("Big5",
 * "EUC-JP", "EUC-KR", "GB2312", "SHIFT_JIS", "KOI8-R", "TIS-620",
 * "windows-1251", "windows-1255", ...), "utf-8" for valid UTF-8, or NULL
 * for plain ASCII, UTF-8 with a few stray bytes, or text that no candidate
 * explains clearly. The _detail form also gives the winner's evidence in
 * nats over random bytes. */
const char *feed_chardet(const char *data, size_t len);
/* iconv_open(to, from), opened once per thread and kept (encoding.c): the
 * descriptor comes back reset to its initial state and must not be closed;
 * (iconv_t)-1 when iconv does not know the pair. */
iconv_t feed_iconv(const char *to, const char *from);
const char *feed_chardet_detail(const char *data, size_t len, double *margin);
/* chardet.c's build-time table for a single-byte iconv code page, or NULL. */
const uint32_t *feed_sbcs_table(const char *iconv_name);
/* d[0..n) decoded to UTF-8 with that table, as strict iconv would decode
 * it: NULL when a byte is not valid in the code page. *known is false (and
 * the result NULL) when there is no table for iconv_name. */
char *feed_sbcs_to_utf8(const char *iconv_name, const char *d, size_t n, size_t *outlen,
                        bool *known);
/* True when chardet.c's build-time pair table shows d[0..n) cannot be
 * valid in the multibyte iconv code page (false: unknown or maybe valid). */
bool feed_mbcs_ruled_out(const char *iconv_name, const char *d, size_t n);

/* ---- prep.c ------------------------------------------------------------ */

/* Rewrite UTF-8 XML text so libxml2 can take it without DTD processing: the
 * DOCTYPE is removed (its plain literal entities are kept and substituted
 * here), HTML named entities become character references, stray '&' become
 * "&amp;" and characters XML forbids are dropped. Each repair makes the
 * document bozo. Returns a new string; *outlen is its length. */
char *feed_xml_prepare(struct feed_ctx *c, const char *s, size_t len, size_t *outlen);

/* The same repair, with the output handed to sink in pieces of
 * FEED_PREP_SLICE bytes (the last one shorter) as it is produced, so the
 * repaired text never exists whole. utf8_decl: s is the UTF-8 text of a
 * document whose XML declaration must be rewritten to say so (what
 * feed_to_utf8 does to the copy it makes). Each piece comes after an empty
 * one (n == 0: every sink must accept it), which lets libxml2 drop what it has parsed before the
 * piece is added (see give() in prep.c). sink returns false to stop; the
 * result is false when it did. */
/* 32 KiB: libxml2's push buffer (slice plus leftover, grown by doubling)
 * and the repair buffer then stay below glibc's 128 KiB mmap threshold, so
 * a process's first large feed reuses heap rather than mapping (and
 * faulting in) fresh pages; 16 KiB saves little more and costs calls. */
#define FEED_PREP_SLICE (32 * 1024)
typedef bool (*feed_prep_sink)(void *arg, const char *s, size_t n);
bool feed_xml_prepare_stream(struct feed_ctx *c, const char *s, size_t len, bool utf8_decl,
                             feed_prep_sink sink, void *arg);

/* ---- parse.c ----------------------------------------------------------- */

/* Tests set this to take UTF-8 documents through feed_to_utf8's copy
 * rather than in place, to compare the two. */
extern bool feed_in_place_off;
/* Test hook: prep.c leaves &lt; &gt; &amp; as they are (feed_ctx.prep_charrefs). */
extern bool feed_charrefs_off;

/* ---- json.c -------------------------------------------------------- */

/* Parse a JSON Feed. ACHIM_EPARSE when the text is not one. */
enum achim_code feed_json_parse(struct feed_ctx *c, const char *json, size_t len, struct err *err);

/* ---- url.c ------------------------------------------------------------- */

/* When feed_url_resolve(any base, ref) would return ref itself less its
 * leading white space (an absolute URL curl prints as it is): that part of
 * ref, *len bytes long (the rest of the string); else NULL. Saves a copy. */
const char *feed_url_as_is(const char *ref, size_t *len);

/* ---- html.c ------------------------------------------------------------ */

/* Escape & < > " for use as HTML text or attribute value. */
void feed_html_escape(struct buf *out, const char *s, size_t n);
/* A reusable HTML fragment parser (libxml2 context and buffer). */
struct feed_html_parser;
struct feed_html_parser *feed_html_parser_new(void);
void feed_html_parser_free(struct feed_html_parser *p); /* NULL is a no-op */
/* Both renderings of one HTML fragment from a single parse: *text as
 * feed_html_to_text() and *san as feed_html_sanitize(html, base) give them.
 * Either out pointer may be NULL; html must not be. parser may be NULL (a
 * temporary one is used). Text without markup or references skips the HTML
 * parser, and most other fragments are read in one pass without a tree. */
void feed_html_render(struct feed_html_parser *parser, const char *html, const char *base,
                      char **text, char **san);
/* The two ways feed_html_render() takes, for tests and differential checks:
 * _tree parses with libxml2's HTML parser and walks the tree (the
 * reference); _stream reads the HTML in one pass and gives the same results
 * without a tree, or returns false (and sets nothing) for a fragment it
 * leaves to _tree. */
void feed_html_render_tree(struct feed_html_parser *parser, const char *html, const char *base,
                           char **text, char **san);
bool feed_html_render_stream(struct feed_html_parser *parser, const char *html, const char *base,
                             char **text, char **san);
/* Decode one HTML named entity (without '&' and ';') to UTF-8 into out[8];
 * returns the byte length, 0 when name is unknown. */
size_t feed_html_entity(const char *name, size_t n, char out[8]);

/* ---- fp.c / sgml.c / fpglue.c: the feedparser-model parser -------------- */

/* Parse prepared XML with feedparser's element rules; fills c->jfeed,
 * c->jentries, c->jns and the document's version. Entries are handed to
 * fp_entry_done() as they close. Never fails on bad input (bozo instead). */
enum achim_code fp_parse(struct feed_ctx *c, const char *xml, size_t len, struct err *err);
/* The same in steps, for text that arrives in pieces (feed_prep_sink):
 * fp_begin, fp_chunk for each piece (returns false once the caller's
 * on_entry asked to stop), fp_end (frees f). */
struct fp;
struct fp *fp_begin(struct feed_ctx *c);
bool fp_chunk(void *f, const char *xml, size_t len);
enum achim_code fp_end(struct fp *f, struct err *err);
/* xmlInitParser(), once for the process: libxml2 2.9 initialises its
 * globals unsynchronised on the first parser context, so two threads
 * parsing their first feeds at once (ingest, fetch) would race there. */
void feed_xml_init(void);
/* An entry closed: turn it into a struct article of c->doc and, unless the
 * caller wants the detail tree, drop it from entries. */
struct fp_raw {
    char *content, *content_base, *summary, *summary_base;
};
void fp_raw_release(struct fp_raw *r);
void fp_entry_done(struct feed_ctx *c, cJSON *entries, cJSON *entry, const char *raw_id,
                   const struct fp_raw *raw);
/* cJSON_Delete(item) for the trees fp.c builds: their nodes go back to
 * fp.c's free list for the next entry (emptied by fp_end). */
void fp_jrecycle(cJSON *item);
/* The parse finished: take ownership of the trees. */
void fp_result(struct feed_ctx *c, cJSON *feed, cJSON *entries, cJSON *ns, const char *version,
               size_t nentries);
/* Name the first problem's feedparser exception type (first one wins). */
void fp_bozo_type(struct feed_ctx *c, const char *type);
/* Attach the feedparser-shaped result to c->doc (opts->detail). */
void fp_attach_detail(struct feed_ctx *c);
/* feedparser's 9-item time tuple (UTC; wday 0 = Monday) for epoch seconds t. */
cJSON *feed_date_tuple(int64_t t);

enum sgml_mode { SGML_PLAIN, SGML_RESOLVE, SGML_SANITIZE };
/* feedparser's HTML re-serialisation (see sgml.c); new string. */
char *fp_sgml(const char *html, enum sgml_mode mode, const char *type, const char *base);
/* make_safe_absolute_uri(base, rel): join, and "" for an unsafe scheme. */
char *fp_safe_uri(const char *base, const char *rel);
bool fp_scheme_ok(const char *scheme);
bool fp_acceptable_element(const char *tag);
/* Python's urllib.parse.urljoin after feedparser's "scheme:///" fix. */
char *fp_urljoin(const char *base, const char *ref);
/* fp_urljoin(base, ref), taking ref (a string of the caller's to free):
 * returned itself when the join leaves it as it is. */
char *fp_urljoin_take(const char *base, char *ref);
/* urlsplit's scheme (lower case) into out; false when there is none. */
bool fp_url_scheme(const char *url, char *out, size_t cap);
/* Python str.strip() in place (Unicode white space). */
char *fp_strip(char *s);
bool fp_utf8_valid(const char *s, size_t n);
/* Is name an HTML entity Python's html.entities knows? */
bool fp_html_entity_known(const char *name, size_t n, char out[8]);
/* The first e-mail address in s (feedparser's pattern); new string or NULL. */
char *fp_find_email(const char *s);

#endif
