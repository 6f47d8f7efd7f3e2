/* SPDX-License-Identifier: MIT */
/* entry.c: turn what a format parser found into struct article fields.
 *
 * One place decides, for RSS, Atom and JSON Feed alike, how HTML and text
 * values become the plain-text fields (title, summary, content) and the
 * sanitised content_html, how links are made absolute and canonical, and
 * which language and authors an entry inherits from its feed. */
#include "feed/feed_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void feed_bozo(struct feed_ctx *c, const char *fmt, ...)
{
    c->doc->bozo = true;
    /* While prep.c streams repaired text to fp.c, fp's messages wait in
     * late_bozo: the first message is the one a whole repair pass followed
     * by a whole parse would have met first (see parse.c). */
    char **dst = c->defer_bozo ? &c->late_bozo : &c->doc->bozo_message;
    if (*dst)
        return;
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    *dst = buf_take(&b);
}

struct article *feed_entry_new(struct feed_ctx *c)
{
    c->nseen++;
    if (!c->opts->on_entry)
        return feed_doc_add_entry(c->doc);
    article_release(&c->pending);
    memset(&c->pending, 0, sizeof(c->pending));
    return &c->pending;
}

void feed_entry_done(struct feed_ctx *c, struct article *a)
{
    if (a != &c->pending)
        return;
    if (!c->opts->on_entry(c->opts->on_entry_arg, a))
        c->aborted = c->stopped = true;
    article_release(a);
    memset(a, 0, sizeof(*a));
}

void feed_set_first(char **dst, char *s)
{
    if (!*dst && s && *s)
        *dst = s;
    else
        free(s);
}

char *feed_cap(char *s, size_t max)
{
    return s ? feed_cap_n(s, strlen(s), max) : s;
}

char *feed_cap_n(char *s, size_t n, size_t max)
{
    if (!s || !max || n <= max)
        return s;
    n = max;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* do not cut a UTF-8 sequence */
    s[n] = '\0';
    return s;
}

void feed_date_field(struct feed_ctx *c, const char *s, int64_t *dst)
{
    int64_t t;
    if (!s || str_empty(s) || *dst)
        return;
    if (feed_date_parse(s, &t))
        *dst = t;
    else
        feed_bozo(c, "unparseable date '%.60s'", s);
}

/* Is p at a U+00A0 NO-BREAK SPACE (C2 A0)? */
static bool is_nbsp(const char *p)
{
    return (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0;
}

/* bytes tidy() must look at: NUL, white space and 0xC2 (a no-break space's
   lead byte) */
static const bool special_byte[256] = {
    [0] = true,   ['\n'] = true, ['\f'] = true, ['\v'] = true,
    [' '] = true, ['\t'] = true, ['\r'] = true, [0xC2] = true,
};

/* The tidy-up in place of s, len bytes long; returns the new length. */
static size_t tidy_n(char *s, size_t len, bool one_line)
{
    char *w = s;
#if defined(__SSE2__)
    const char *limit = s + len; /* (16-byte loads stay before it) */
#else
    (void)len;
#endif
    bool space = false, line = false; /* pending separators */
    for (const char *r = s; *r;) {
        if (*r == '\n' || *r == '\f' || *r == '\v') {
            line = true;
            r++;
        } else if (*r == ' ' || *r == '\t' || *r == '\r') {
            space = true;
            r++;
        } else if (is_nbsp(r)) {
            space = true;
            r += 2;
        } else {
            if (w > s && (line || space))
                *w++ = line && !one_line ? '\n' : ' ';
            line = space = false;
            /* copy the run of ordinary bytes in one go (a word, mostly) */
            const char *end = r + 1;
            if (w == r) {
#if defined(__SSE2__)
                /* nothing moves: skip 16 bytes at a time, and with them
                 * lone spaces between bytes of words, which stay as they
                 * are (the byte before end is one of a word); a space
                 * before another special byte, or last in the block, ends
                 * the skip */
                while (limit - end >= 16) {
                    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)end);
                    __m128i other = _mm_or_si128(
                        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\f')))),
                        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\v')),
                                                  _mm_cmpeq_epi8(v, _mm_setzero_si128())),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2))));
                    unsigned sp =
                        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
                    unsigned ot = (unsigned)_mm_movemask_epi8(other);
                    unsigned bits = ot | (sp & (((sp | ot) >> 1) | 0x8000u));
                    if (bits) {
                        end += __builtin_ctz(bits);
                        break;
                    }
                    end += 16;
                }
#endif
                while (!(special_byte[(unsigned char)*end]))
                    end++;
                w += end - r;
                r = end;
            } else { /* moving left: copy as we scan */
                *w++ = *r++;
                while (!(special_byte[(unsigned char)*r]))
                    *w++ = *r++;
            }
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static char *tidy(char *s, bool one_line)
{
    tidy_n(s, strlen(s), one_line);
    return s;
}

char *feed_text_tidy(char *s)
{
    return s ? tidy(s, false) : s;
}

char *feed_text_line(char *s)
{
    return s ? tidy(s, true) : s;
}

size_t feed_text_line_n(char *s, size_t n)
{
    return tidy_n(s, n, true);
}

bool feed_looks_like_html(const char *s)
{
    if (!s)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p == '<') {
            /* a tag: "<b>", "</p>", "<br/>", "<!--" */
            const char *q = p + 1;
            if (*q == '/')
                q++;
            if (*q == '!' || (isalpha((unsigned char)*q) && strchr(q, '>')))
                return true;
        } else if (*p == '&') {
            const char *q = p + 1;
            if (*q == '#')
                q++;
            size_t n = 0;
            while (isalnum((unsigned char)q[n]))
                n++;
            if (n && q[n] == ';')
                return true;
        }
    }
    return false;
}

char *feed_author_name(const char *s)
{
    if (!s)
        return NULL;
    char *t = feed_text_line(xstrdup(s));
    /* "jo@example.com (Jo Bloggs)" */
    char *open = strchr(t, '('), *close = strrchr(t, ')');
    if (open && close > open + 1 && memchr(t, '@', (size_t)(open - t))) {
        char *name = xstrndup(open + 1, (size_t)(close - open - 1));
        free(t);
        return feed_text_line(name);
    }
    /* "Jo Bloggs <jo@example.com>" */
    char *lt = strchr(t, '<');
    if (lt && lt > t && strchr(lt, '@') && strchr(lt, '>')) {
        *lt = '\0';
        return feed_text_line(t);
    }
    return t;
}

void feed_list_add(struct buf *list, const char *name)
{
    if (!name)
        return;
    /* tidied in a local copy when it fits (names and tags are short) */
    char local[256];
    size_t len = strlen(name);
    char *t = len < sizeof(local) ? memcpy(local, name, len + 1) : xstrdup(name);
    size_t n = feed_text_line_n(t, len);
    if (n == 0)
        goto out;
    /* an item equal to t is an occurrence of it: without one (the usual
     * case) the item by item search below, quadratic over a podcast's long
     * keyword lists, can only fail */
    for (const char *p = strstr(list->ptr, t) ? list->ptr : ""; *p;) {
        size_t m = strcspn(p, ",");
        if (m == n && memcmp(p, t, n) == 0)
            goto out;
        p += m;
        while (*p == ',' || *p == ' ')
            p++;
    }
    if (!list->cap)
        buf_room(list, 256); /* one allocation for most lists */
    if (list->len)
        fbuf_add(list, ", ", 2);
    fbuf_add(list, t, n);
out:
    if (t != local)
        free(t);
}

void feed_entry_raw_release(struct feed_entry_raw *r)
{
    free(r->guid);
    free(r->link);
    free(r->title);
    free(r->summary);
    free(r->summary_base);
    free(r->content);
    free(r->content_base);
    buf_release(&r->authors);
    buf_release(&r->tags);
    free(r->lang);
    memset(r, 0, sizeof(*r));
    r->authors = (struct buf)BUF_INIT;
    r->tags = (struct buf)BUF_INIT;
}

/* Plain text of a value that is HTML or text. */
static char *plain_of(const char *s, bool html, bool one_line)
{
    if (!s)
        return NULL;
    char *t = html ? feed_html_to_text(s) : xstrdup(s);
    if (!t)
        return NULL;
    one_line ? feed_text_line(t) : feed_text_tidy(t);
    if (!*t) {
        free(t);
        return NULL;
    }
    return t;
}

/* Sanitised HTML of a value that is HTML or text. */
static char *html_of(const char *s, bool html, const char *base)
{
    if (!s || str_empty(s))
        return NULL;
    if (html)
        return feed_html_sanitize(s, base);
    struct buf b = BUF_INIT;
    feed_html_escape(&b, s, strlen(s));
    return buf_take(&b);
}

static bool is_web_url(const char *s)
{
    return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

void feed_entry_commit(struct feed_ctx *c, struct feed_entry_raw *r)
{
    struct feed_doc *doc = c->doc;
    size_t max = c->max_field;
    if (c->stopped)
        goto out;
    if (c->nseen >= FEED_MAX_ENTRIES) {
        feed_bozo(c, "more than %d entries; the rest were ignored", FEED_MAX_ENTRIES);
        c->stopped = true;
        goto out;
    }
    struct article *a = feed_entry_new(c);
    if (r->guid)
        a->guid = feed_cap(feed_text_line(xstrdup(r->guid)), max);
    if (a->guid && !*a->guid) {
        free(a->guid);
        a->guid = NULL;
    }
    const char *link = r->link;
    if (!link && r->guid_is_link && is_web_url(a->guid))
        link = a->guid;
    if (link) {
        a->url = feed_url_resolve(c->base, link);
        if (!a->url)
            a->url = xstrdup(link);
        feed_cap(a->url, max);
        a->canonical_url = feed_url_canonical(a->url);
    }
    a->title = feed_cap(plain_of(r->title, r->title_html, true), max);
    a->summary = feed_cap(plain_of(r->summary, r->summary_html, false), max);
    a->content = feed_cap(plain_of(r->content, r->content_html, false), max);
    if (r->content && !str_empty(r->content))
        a->content_html =
            html_of(r->content, r->content_html, r->content_base ? r->content_base : c->base);
    else
        a->content_html =
            html_of(r->summary, r->summary_html, r->summary_base ? r->summary_base : c->base);
    feed_cap(a->content_html, max);
    if (r->lang && !str_empty(r->lang))
        a->language = feed_text_line(xstrdup(r->lang));
    else if (doc->language)
        a->language = xstrdup(doc->language);
    else if (c->opts->content_language && !str_empty(c->opts->content_language))
        a->language = feed_text_line(xstrdup(c->opts->content_language));
    if (r->authors.len)
        a->authors = feed_cap(xstrdup(r->authors.ptr), max);
    else if (c->feed_authors)
        a->authors = xstrdup(c->feed_authors);
    if (r->tags.len)
        a->tags = feed_cap(xstrdup(r->tags.ptr), max);
    a->published = r->published;
    a->updated = r->updated;
    feed_entry_done(c, a);
out:
    feed_entry_raw_release(r);
}
