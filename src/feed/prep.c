/* SPDX-License-Identifier: MIT */
/* prep.c: repair feed XML text before libxml2 sees it.
 *
 * The commonest breakage in real feeds is entity misuse: HTML entities
 * (&nbsp; &eacute;) that XML does not define, and bare '&' in URLs and
 * titles. libxml2's recover mode drops such text, so this pass fixes it
 * first: HTML entities become numeric references, a bare '&' becomes
 * "&amp;", a '<' that cannot start markup becomes "&lt;", and characters
 * XML forbids (C0 controls, U+FFFE/U+FFFF) are dropped. Each fix marks the
 * document bozo, as feedparser does when its strict parser fails.
 *
 * The DOCTYPE is removed here too, which keeps libxml2 away from DTDs
 * altogether: no external entities (XXE), no entity expansion bombs.
 * Entities the internal subset declares as plain literals
 * (<!ENTITY name "text">) are substituted by this pass, the way feedparser
 * keeps "safe" entities; anything else they declare is ignored. A DOCTYPE
 * naming Netscape's RSS 0.91 DTD sets c->netscape for version detection.
 *
 * CDATA sections, comments and processing instructions are copied as they
 * are. The work is one linear pass over the text; what needs no repair
 * (most of it: ordinary text, tags, the XML entities, plain decimal
 * references) is skipped by plain_run() without a stop per byte, and goes
 * to the sink straight from the input when a whole slice of it does. */
#include "feed/feed_int.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define PREP_MAX_ENTITIES 64
#define PREP_MAX_ENTITY_VALUE 1024

struct entity {
    char *name;
    char *value; /* already escaped for XML text */
};

struct prep {
    struct feed_ctx *c;
    struct buf out;
    struct entity ents[PREP_MAX_ENTITIES];
    size_t nents;
    feed_prep_sink sink; /* NULL: everything is kept in out */
    void *arg;
    bool stopped; /* the sink wants no more */
    /* Bytes of the input that go out as they are, src[pend_from..pend_to),
     * not yet copied: consecutive runs are joined and copied at once when
     * something else is written (out_sync), rather than a run at a time. */
    const char *src;
    size_t pend_from, pend_to;
    bool charrefs; /* c->prep_charrefs (see feed_int.h) */
};

/* Write the pending input bytes to out. */
static void out_sync(struct prep *p)
{
    if (p->pend_to > p->pend_from)
        fbuf_add(&p->out, p->src + p->pend_from, p->pend_to - p->pend_from);
    p->pend_from = p->pend_to = 0;
}

/* Output src[from..to) as it is (later, with the runs next to it). */
static inline void out_copy(struct prep *p, size_t from, size_t to)
{
    if (from == to)
        return;
    if (p->pend_to == from && p->pend_to > p->pend_from) {
        p->pend_to = to;
        return;
    }
    out_sync(p);
    p->pend_from = from;
    p->pend_to = to;
}

/* out_copy(p, from, to), then the 5 bytes rep, written at once. */
static inline void out_copy_then5(struct prep *p, size_t from, size_t to, const char *rep)
{
    if (p->pend_to > p->pend_from) {
        if (from == to) {
            from = p->pend_from;
            to = p->pend_to;
        } else if (p->pend_to == from) {
            from = p->pend_from;
        } else {
            out_sync(p);
        }
    }
    size_t n = to - from;
    char *w = fbuf_room(&p->out, n + 5);
    memcpy(w, p->src + from, n);
    memcpy(w + n, rep, 5);
    p->out.len += n + 5;
    p->out.ptr[p->out.len] = '\0';
    p->pend_from = p->pend_to = 0;
}

/* The output's length, pending bytes included. */
static inline size_t out_len(const struct prep *p)
{
    return p->out.len + (p->pend_to - p->pend_from);
}

/* One slice to the sink, after an empty piece. libxml2's push parser
 * drops the text it has parsed (moving what is left to the front of its
 * buffer) when a parse call starts: a call with no new text moves only the
 * unparsed tail of the last slice, where the call with the slice would
 * move the whole new slice as well. That call may still move the parse on
 * (a CDATA section left unfinished can come out in more blocks), so text
 * can reach the SAX handlers in other pieces; fp.c joins the pieces, and
 * its one rule that reads piece boundaries (xhtml's <div>) never sees a
 * CDATA piece. Every sink must accept n == 0. */
static void give(struct prep *p, const char *s, size_t n)
{
    if (!p->sink(p->arg, s, 0) || !p->sink(p->arg, s, n))
        p->stopped = true;
}

/* Hand whole FEED_PREP_SLICE pieces of the output to the sink (all of it
 * when final), keeping the rest: the consumer sees the same slices however
 * the text was produced. */
static void flush(struct prep *p, bool final)
{
    if (!p->sink || (!final && p->out.len < FEED_PREP_SLICE))
        return;
    size_t n = final ? p->out.len : p->out.len - p->out.len % FEED_PREP_SLICE;
    for (size_t off = 0; off < n && !p->stopped;) {
        size_t k = n - off < FEED_PREP_SLICE ? n - off : FEED_PREP_SLICE;
        give(p, p->out.ptr + off, k);
        off += k;
    }
    memmove(p->out.ptr, p->out.ptr + n, p->out.len - n);
    buf_truncate(&p->out, p->out.len - n);
}

/* What the loop does once the output (pending bytes included) reaches a
 * slice: hand the sink every whole slice, as out_sync() and flush() would,
 * but take slices that lie wholly in the pending input straight from it
 * rather than copying them into out first (most of a feed needs no
 * repair, so most slices are such). */
static void hand_off(struct prep *p)
{
    if (!p->sink) {
        out_sync(p);
        return;
    }
    flush(p, false); /* the slices wholly in out */
    size_t pend = p->pend_to - p->pend_from;
    if (p->stopped || p->out.len + pend < FEED_PREP_SLICE)
        return;
    if (p->out.len) { /* a slice that starts in out and ends in the input */
        size_t take = FEED_PREP_SLICE - p->out.len;
        fbuf_add(&p->out, p->src + p->pend_from, take);
        p->pend_from += take;
        pend -= take;
        flush(p, false);
    }
    for (; pend >= FEED_PREP_SLICE && !p->stopped; pend -= FEED_PREP_SLICE) {
        give(p, p->src + p->pend_from, FEED_PREP_SLICE);
        p->pend_from += FEED_PREP_SLICE;
    }
    if (!pend)
        p->pend_from = p->pend_to = 0;
}

static bool name_start(unsigned char ch)
{
    return isalpha(ch) || ch == '_' || ch == ':' || ch >= 0x80;
}

static bool name_char(unsigned char ch)
{
    return name_start(ch) || isdigit(ch) || ch == '-' || ch == '.';
}

/* Copy s[from..] up to and including the terminator; returns the index past
 * it. */
static size_t copy_until(struct prep *p, const char *s, size_t len, size_t i, const char *term)
{
    size_t tl = strlen(term);
    const char *end = NULL;
    for (size_t k = i; k + tl <= len; k++) {
        const char *q = memchr(s + k, term[0], len - tl + 1 - k);
        if (!q)
            break;
        k = (size_t)(q - s);
        if (memcmp(q, term, tl) == 0) {
            end = q + tl;
            break;
        }
    }
    size_t stop = end ? (size_t)(end - s) : len;
    out_copy(p, i, stop);
    return stop;
}

/* ---- DOCTYPE ---------------------------------------------------------- */

/* Record <!ENTITY name "literal"> from the internal subset when the literal
 * is plain text or a single character reference. */
static void doctype_entity(struct prep *p, const char *s, size_t n)
{
    size_t i = 8; /* after "<!ENTITY" */
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i >= n || s[i] == '%')
        return; /* parameter entity */
    size_t ns = i;
    while (i < n && name_char((unsigned char)s[i]))
        i++;
    size_t ne = i;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (ne == ns || i >= n || (s[i] != '"' && s[i] != '\''))
        return; /* SYSTEM / PUBLIC: never loaded */
    char q = s[i++];
    size_t vs = i;
    while (i < n && s[i] != q)
        i++;
    if (i >= n || i - vs > PREP_MAX_ENTITY_VALUE || p->nents == PREP_MAX_ENTITIES)
        return;
    const char *v = s + vs;
    size_t vl = i - vs;
    const char *amp = memchr(v, '&', vl);
    if (amp) {
        /* only "&#233;" / "&#xE9;" alone is safe; anything else may nest */
        if (v[0] != '&' || vl < 4 || v[1] != '#' || v[vl - 1] != ';' || memchr(v + 1, '&', vl - 1))
            return;
    }
    struct entity *e = &p->ents[p->nents++];
    e->name = xstrndup(s + ns, ne - ns);
    if (amp) {
        e->value = xstrndup(v, vl);
    } else {
        struct buf b = BUF_INIT;
        for (size_t k = 0; k < vl; k++) {
            if (v[k] == '<')
                buf_addstr(&b, "&lt;");
            else
                buf_addch(&b, v[k]);
        }
        e->value = buf_take(&b);
    }
}

/* s[i] starts "<!DOCTYPE"; skip it, harvesting safe entities. Returns the
 * index past it. */
static size_t doctype(struct prep *p, const char *s, size_t len, size_t i)
{
    size_t start = i;
    int depth = 0;
    char quote = 0;
    for (i += 9; i < len; i++) {
        char ch = s[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
        } else if (ch == '"' || ch == '\'') {
            quote = ch;
        } else if (ch == '[') {
            depth++;
        } else if (ch == ']') {
            depth--;
        } else if (ch == '<' && depth > 0 && len - i > 8 && memcmp(s + i, "<!ENTITY", 8) == 0) {
            size_t e = i;
            char eq = 0;
            for (; e < len; e++) {
                if (eq) {
                    if (s[e] == eq)
                        eq = 0;
                } else if (s[e] == '"' || s[e] == '\'') {
                    eq = s[e];
                } else if (s[e] == '>') {
                    break;
                }
            }
            doctype_entity(p, s + i, e - i);
            i = e;
        } else if (ch == '>' && depth <= 0) {
            i++;
            break;
        }
    }
    for (size_t k = start; k + 8 <= i; k++)
        if (strncasecmp(s + k, "netscape", 8) == 0) {
            p->c->netscape = true;
            break;
        }
    return i;
}

/* ---- body ------------------------------------------------------------- */

static bool xml_char_ok(unsigned long cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* The character when s (n bytes) is "&#38;", "&#60;" or "&#62;", the
 * spellings prep_charrefs keeps for rewritten entity references; else 0. */
static int rewrite_spelling(const char *s, size_t n)
{
    if (n != 5 || s[0] != '&' || s[1] != '#' || s[4] != ';')
        return 0;
    if (s[2] == '3' && s[3] == '8')
        return '&';
    if (s[2] == '6' && (s[3] == '0' || s[3] == '2'))
        return s[3] == '0' ? '<' : '>';
    return 0;
}

/* "&#cp;" in decimal, as buf_addf(out, "&#%lu;", cp) would write it
 * without the cost of formatting (references are common in feeds). */
static void add_char_ref(struct prep *p, unsigned long cp)
{
    if (p->charrefs && (cp == '&' || cp == '<' || cp == '>')) {
        /* the decimal spelling is kept for rewritten entity references */
        out_sync(p);
        fbuf_add(&p->out, cp == '&' ? "&#x26;" : cp == '<' ? "&#x3C;" : "&#x3E;", 6);
        return;
    }
    char tmp[32];
    size_t n = sizeof(tmp);
    tmp[--n] = ';';
    do {
        tmp[--n] = (char)('0' + cp % 10);
        cp /= 10;
    } while (cp);
    tmp[--n] = '#';
    tmp[--n] = '&';
    out_sync(p);
    fbuf_add(&p->out, tmp + n, sizeof(tmp) - n);
}

/* s[i] is '&'. Emit a repaired reference; returns the index past what was
 * read. */
static size_t reference(struct prep *p, const char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    /* the five XML entities, by far the most common, go out as they are */
    static const struct {
        char text[6];
        size_t n;
    } xml_refs[] = {{"lt;", 3}, {"gt;", 3}, {"amp;", 4}, {"quot;", 5}, {"apos;", 5}};
    for (size_t e = 0; e < 5; e++)
        if (len - j >= xml_refs[e].n && s[j] == xml_refs[e].text[0] &&
            !memcmp(s + j, xml_refs[e].text, xml_refs[e].n)) {
            out_copy(p, i, j + xml_refs[e].n);
            return j + xml_refs[e].n;
        }
    if (j < len && s[j] == '#') {
        bool hex = j + 1 < len && (s[j + 1] == 'x' || s[j + 1] == 'X');
        size_t k = j + 1 + hex, ds = k;
        unsigned long cp = 0;
        while (k < len && k - ds < 8 &&
               (hex ? isxdigit((unsigned char)s[k]) : isdigit((unsigned char)s[k]))) {
            int dv =
                isdigit((unsigned char)s[k]) ? s[k] - '0' : tolower((unsigned char)s[k]) - 'a' + 10;
            cp = cp * (hex ? 16 : 10) + (unsigned long)dv;
            k++;
        }
        if (k > ds && k < len && s[k] == ';') {
            if (xml_char_ok(cp)) {
                if (!hex && s[ds] != '0' && !(p->charrefs && (cp == '&' || cp == '<' || cp == '>')))
                    out_copy(p, i, k + 1); /* already as add_char_ref writes it */
                else
                    add_char_ref(p, cp);
            } else {
                feed_bozo(p->c, "invalid character reference &#%lu;", cp);
            }
            return k + 1;
        }
    } else if (j < len && name_start((unsigned char)s[j]) && s[j] != ':') {
        size_t k = j;
        while (k < len && k - j < 32 && name_char((unsigned char)s[k]))
            k++;
        if (k < len && s[k] == ';') {
            size_t n = k - j;
            const char *name = s + j;
            static const char *const xml_ents[] = {"amp", "lt", "gt", "quot", "apos"};
            for (size_t e = 0; e < 5; e++)
                if (strlen(xml_ents[e]) == n && memcmp(name, xml_ents[e], n) == 0) {
                    out_copy(p, i, k + 1);
                    return k + 1;
                }
            for (size_t e = 0; e < p->nents; e++)
                if (strlen(p->ents[e].name) == n && memcmp(name, p->ents[e].name, n) == 0) {
                    const char *v = p->ents[e].value;
                    out_sync(p);
                    int ch = p->charrefs ? rewrite_spelling(v, strlen(v)) : 0;
                    if (ch)
                        add_char_ref(p, (unsigned long)ch);
                    else
                        buf_addstr(&p->out, v);
                    return k + 1;
                }
            char utf8[8];
            if (feed_html_entity(name, n, utf8)) {
                feed_bozo(p->c, "undefined entity &%.*s;", (int)n, name);
                unsigned long cp = 0;
                /* emit as a numeric reference: valid in text and attributes */
                const unsigned char *u = (const unsigned char *)utf8;
                if (u[0] < 0x80)
                    cp = u[0];
                else if (u[0] < 0xE0)
                    cp = ((u[0] & 0x1Ful) << 6) | (u[1] & 0x3Ful);
                else if (u[0] < 0xF0)
                    cp = ((u[0] & 0x0Ful) << 12) | ((u[1] & 0x3Ful) << 6) | (u[2] & 0x3Ful);
                else
                    cp = ((u[0] & 0x07ul) << 18) | ((u[1] & 0x3Ful) << 12) |
                         ((u[2] & 0x3Ful) << 6) | (u[3] & 0x3Ful);
                add_char_ref(p, cp);
                return k + 1;
            }
            feed_bozo(p->c, "undefined entity &%.*s;", (int)n, name);
            out_sync(p);
            buf_addstr(&p->out, "&amp;");
            return j;
        }
    }
    feed_bozo(p->c, "unescaped '&' in text");
    out_sync(p);
    buf_addstr(&p->out, "&amp;");
    return j;
}

/* Length of a UTF-8 sequence XML forbids at s (C0 control, U+FFFE, U+FFFF),
 * else 0. */
static size_t forbidden(const char *s, size_t left)
{
    unsigned char ch = (unsigned char)s[0];
    if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
        return 1;
    if (ch == 0xEF && left >= 3 && (unsigned char)s[1] == 0xBF &&
        ((unsigned char)s[2] == 0xBE || (unsigned char)s[2] == 0xBF))
        return 3;
    return 0;
}

/* Bytes that end a run of copied text (stop_text) or of tag text
 * (stop_tag): markup, references, C0 controls other than white space
 * (forbidden) and 0xEF (the lead byte of the forbidden U+FFFE/U+FFFF);
 * tags also stop at quotes, '>' and all controls; stop_text_ctl has only
 * the bytes that may start a forbidden character. */
static bool stop_text[256], stop_tag[256], stop_text_ctl[256];

static void stop_tables_init(void)
{
    for (int u = 0; u < 256; u++) {
        stop_text_ctl[u] = u == 0xEF || (u < 0x20 && u != '\t' && u != '\n' && u != '\r');
        stop_text[u] =
            u == '<' || u == '&' || u == 0xEF || (u < 0x20 && u != '\t' && u != '\n' && u != '\r');
        stop_tag[u] =
            u == '"' || u == '\'' || u == '>' || u == '&' || u == '<' || u < 0x20 || u == 0xEF;
    }
}

/* The first index from i on (len when none) whose byte is in stop_text
 * (tag false) or stop_tag (tag true). Most of a document is runs of such
 * ordinary bytes: with SSE2 they are skipped 16 at a time. */
static inline __attribute__((always_inline)) size_t scan_run(const char *s, size_t i, size_t len,
                                                             bool tag)
{
#if defined(__SSE2__)
    const __m128i c1f = _mm_set1_epi8(0x1F), lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'),
                  ef = _mm_set1_epi8((char)0xEF), tab = _mm_set1_epi8('\t'),
                  nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), gt = _mm_set1_epi8('>'),
                  dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\'');
    for (; len - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v); /* controls */
        if (tag) {
            m = _mm_or_si128(
                m, _mm_or_si128(_mm_cmpeq_epi8(v, gt),
                                _mm_or_si128(_mm_cmpeq_epi8(v, dq), _mm_cmpeq_epi8(v, sq))));
        } else { /* white space controls are text */
            __m128i ws = _mm_or_si128(_mm_cmpeq_epi8(v, tab),
                                      _mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)));
            m = _mm_andnot_si128(ws, m);
        }
        m = _mm_or_si128(m,
                         _mm_or_si128(_mm_cmpeq_epi8(v, lt),
                                      _mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, ef))));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
    }
#endif
    const bool *stop = tag ? stop_tag : stop_text;
    while (i < len && !stop[(unsigned char)s[i]])
        i++;
    return i;
}

/* The first byte at or after i that stop_text_ctl marks (a control other
 * than white space, or 0xEF), or len. */
static size_t scan_ctl(const char *s, size_t i, size_t len)
{
#if defined(__SSE2__)
    const __m128i c1f = _mm_set1_epi8(0x1F), ef = _mm_set1_epi8((char)0xEF),
                  tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (; len - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v);
        __m128i ws = _mm_or_si128(_mm_cmpeq_epi8(v, tab),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)));
        __m128i m = _mm_or_si128(_mm_andnot_si128(ws, ctl), _mm_cmpeq_epi8(v, ef));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
    }
#endif
    while (i < len && !stop_text_ctl[(unsigned char)s[i]])
        i++;
    return i;
}

/* The length of the reference at s (s[0] is '&', 16 bytes readable) when
 * reference() would copy it as it is: one of the five XML entities or a
 * decimal reference to an allowed character without leading zeros; else 0
 * (reference() then decides). */
static inline size_t plain_ref(const char *s)
{
    switch (s[1]) {
    case 'l':
    case 'g': return s[2] == 't' && s[3] == ';' ? 4 : 0;
    case 'a':
        if (s[2] == 'm' && s[3] == 'p' && s[4] == ';')
            return 5;
        return memcmp(s + 2, "pos;", 4) == 0 ? 6 : 0;
    case 'q': return memcmp(s + 2, "uot;", 4) == 0 ? 6 : 0;
    case '#': {
        if (s[2] < '1' || s[2] > '9')
            return 0;
        unsigned long cp = 0;
        size_t k = 2;
        for (; k < 10 && s[k] >= '0' && s[k] <= '9'; k++)
            cp = cp * 10 + (unsigned long)(s[k] - '0');
        return s[k] == ';' && xml_char_ok(cp) ? k + 1 : 0;
    }
    default: return 0;
    }
}

/* Bit j set when s[j] (j < 16) is in stop_tag: the bytes plain_run()
 * looks at, in text or in a tag (the stops of both and the white space
 * controls). */
static inline unsigned stop_bits(const char *s)
{
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    /* '<' and '>' differ in one bit, '"' and '&' in another */
    __m128i lt_gt = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(2)), _mm_set1_epi8('>'));
    __m128i quot_amp = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(4)), _mm_set1_epi8('&'));
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    __m128i other = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF)));
    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(lt_gt, quot_amp), _mm_or_si128(ctl, other)));
#else
    unsigned bits = 0;
    for (unsigned j = 0; j < 16; j++)
        bits |= (unsigned)stop_tag[(unsigned char)s[j]] << j;
    return bits;
#endif
}

/* From s[i] on, the longest stretch the loop below would copy unchanged
 * in text and tags alike: runs of ordinary bytes, the references
 * plain_ref() accepts, '<' starting a tag or end tag, quotes and '>' in a
 * tag, white space and non-forbidden 0xEF. It stops at anything else (left
 * to the loop, byte by byte), near the end of the text and within 16 bytes
 * after the output reaches a slice; *in_tag and *quote follow. Returns where it stopped.
 *
 * Each 16 bytes are tested once, for what stops text and tags alike, and
 * the bytes found are then taken in turn (most are references and tag
 * edges that need no repair), rather than testing again from each. */
static size_t plain_run(struct prep *p, const char *s, size_t len, size_t i, bool *in_tag,
                        char *quote)
{
    /* (with a sink the loop keeps out_len() below a slice) */
    size_t limit = p->sink ? i + (FEED_PREP_SLICE - out_len(p)) : len;
    bool tag = *in_tag;
    char q = *quote;
    size_t at = i, k = i; /* at: the 16 bytes tested */
    while (at < limit && len - at >= 16) {
        /* the bytes found, in order (a reference that plain_ref() takes
         * holds none, so none is skipped) */
        for (unsigned bits = stop_bits(s + at); bits; bits &= bits - 1) {
            k = at + (unsigned)__builtin_ctz(bits);
            /* plain_ref() and the tests below read up to 16 bytes on */
            if (len - k < 16)
                goto done;
            unsigned char c = (unsigned char)s[k];
            switch (c) {
            case '&': {
                size_t r = plain_ref(s + k);
                if (!r)
                    goto done;
                if (!p->charrefs)
                    break;
                /* &lt; &gt; &amp; in text as character references, which
                 * libxml2 reads faster; a reference already spelt so is
                 * left to reference() (see feed_int.h) */
                if (r == 5 && s[k + 1] == '#' && rewrite_spelling(s + k, 5))
                    goto done;
                if (!tag && (r == 4 || (r == 5 && s[k + 1] == 'a'))) {
                    out_copy_then5(p, i, k,
                                   s[k + 1] == 'l'   ? "&#60;"
                                   : s[k + 1] == 'g' ? "&#62;"
                                                     : "&#38;");
                    i = k + r;
                }
                break;
            }
            case '<': {
                unsigned char nx = (unsigned char)s[k + 1];
                if (tag || !(((nx | 0x20) >= 'a' && (nx | 0x20) <= 'z') || nx == '/'))
                    goto done;
                tag = true;
                break;
            }
            case '>': /* (quotes and '>' are text outside tags) */
                if (tag)
                    tag = q != 0;
                break;
            case '"':
            case '\'':
                if (tag && !q)
                    q = (char)c;
                else if (tag && c == (unsigned char)q)
                    q = 0;
                break;
            case '\t':
            case '\n':
            case '\r': break;
            case 0xEF:
                if (forbidden(s + k, len - k))
                    goto done;
                break;
            default: goto done; /* another control */
            }
        }
        at += 16;
    }
    k = at > i ? at : i; /* (a reference rewritten may end past at) */
done:
    out_copy(p, i, k);
    *in_tag = tag;
    *quote = q;
    return k;
}

static void prepare(struct prep *p, const char *s, size_t len, bool utf8_decl)
{
    static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
    pthread_once(&tables_once, stop_tables_init);
    struct feed_ctx *c = p->c;
    p->charrefs = c->prep_charrefs;
    size_t i = 0;
    p->src = s;
    p->pend_from = p->pend_to = 0;
    const char *gt =
        utf8_decl && len >= 5 && memcmp(s, "<?xml", 5) == 0 ? memchr(s, '>', len) : NULL;
    if (gt) {
        /* the text is UTF-8 whatever the declaration said: it says so now,
         * as feed_to_utf8() would have rewritten it */
        buf_addstr(&p->out, "<?xml version='1.0' encoding='utf-8'?>");
        i = (size_t)(gt - s) + 1;
    } else {
        /* white space before the XML declaration is an error libxml2 will
         * not recover from */
        while (i < len && isspace((unsigned char)s[i]))
            i++;
        if (i && len - i >= 5 && memcmp(s + i, "<?xml", 5) != 0)
            i = 0;
    }

    /* prolog: declaration, comments, PIs, white space and the DOCTYPE */
    while (i < len) {
        if (len - i >= 2 && s[i] == '<' && s[i + 1] == '?') {
            i = copy_until(p, s, len, i, "?>");
        } else if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            i = copy_until(p, s, len, i, "-->");
        } else if (len - i >= 9 && strncasecmp(s + i, "<!DOCTYPE", 9) == 0) {
            i = doctype(p, s, len, i);
        } else if (isspace((unsigned char)s[i])) {
            out_copy(p, i, i + 1);
            i++;
        } else {
            break;
        }
    }

    bool in_tag = false;
    char quote = 0;
    while (i < len) {
        if (out_len(p) >= FEED_PREP_SLICE) {
            hand_off(p);
            if (p->stopped)
                break;
        }
        i = plain_run(p, s, len, i, &in_tag, &quote);
        if (i >= len)
            break;
        if (p->sink && out_len(p) >= FEED_PREP_SLICE)
            continue; /* a slice is due before the byte at i is seen */
        char ch = s[i];
        /* (only a control or 0xEF can start a forbidden character) */
        unsigned char uch = (unsigned char)ch;
        size_t bad = uch < 0x20 || uch == 0xEF ? forbidden(s + i, len - i) : 0;
        if (bad) {
            feed_bozo(c, "invalid character 0x%02x", (unsigned char)ch);
            i += bad;
            continue;
        }
        if (!in_tag && ch == '<') {
            if (len - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
                out_sync(p);
                size_t start = p->out.len;
                i = copy_until(p, s, len, i, "]]>");
                out_sync(p); /* the section, to scan in place */
                /* drop forbidden characters inside the section as well */
                /* nothing to drop before the first control or 0xEF */
                size_t w = scan_ctl(p->out.ptr, start, p->out.len);
                for (size_t r = w; r < p->out.len;) {
                    size_t fb = forbidden(p->out.ptr + r, p->out.len - r);
                    if (fb) {
                        r += fb;
                        continue;
                    }
                    /* up to the next byte that may be forbidden */
                    size_t e = scan_ctl(p->out.ptr, r + 1, p->out.len);
                    memmove(p->out.ptr + w, p->out.ptr + r, e - r);
                    w += e - r;
                    r = e;
                }
                buf_truncate(&p->out, w);
                continue;
            }
            if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
                i = copy_until(p, s, len, i, "-->");
                continue;
            }
            if (len - i >= 2 && s[i + 1] == '?') {
                i = copy_until(p, s, len, i, "?>");
                continue;
            }
            unsigned char nx = i + 1 < len ? (unsigned char)s[i + 1] : 0;
            if (!(name_start(nx) || nx == '/' || nx == '!')) {
                feed_bozo(c, "unescaped '<' in text");
                out_sync(p);
                buf_addstr(&p->out, "&lt;");
                i++;
                continue;
            }
            in_tag = true;
            out_copy(p, i, i + 1);
            i++;
            continue;
        }
        if (in_tag) {
            /* a run of bytes that neither end the tag, change the quoting,
             * need repair nor may be forbidden goes out at once */
            size_t k = scan_run(s, i, len, true);
            if (k > i) {
                out_copy(p, i, k);
                i = k;
                continue;
            }
            if (quote) {
                if (ch == quote)
                    quote = 0;
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == '>') {
                in_tag = false;
            }
            if (ch == '&') {
                i = reference(p, s, len, i);
                continue;
            }
            if (ch == '<' && quote) {
                out_sync(p);
                buf_addstr(&p->out, "&lt;");
                i++;
                continue;
            }
            out_copy(p, i, i + 1);
            i++;
            continue;
        }
        if (ch == '&') {
            i = reference(p, s, len, i);
            continue;
        }
        /* copy a run of ordinary text at once */
        size_t k = i + 1;
        for (;; k++) {
            k = scan_run(s, k, len, false);
            if (k >= len)
                break;
            unsigned char u = (unsigned char)s[k];
            if (u == '<' || u == '&')
                break;
            /* only C0 controls and U+FFFE/U+FFFF (EF BF BE/BF) are forbidden */
            if (forbidden(s + k, len - k))
                break;
        }
        out_copy(p, i, k);
        i = k;
    }
    out_sync(p);
    for (size_t e = 0; e < p->nents; e++) {
        free(p->ents[e].name);
        free(p->ents[e].value);
    }
}

char *feed_xml_prepare(struct feed_ctx *c, const char *s, size_t len, size_t *outlen)
{
    struct prep p = {.c = c, .out = BUF_INIT};
    prepare(&p, s, len, false);
    *outlen = p.out.len;
    return buf_take(&p.out);
}

bool feed_xml_prepare_stream(struct feed_ctx *c, const char *s, size_t len, bool utf8_decl,
                             feed_prep_sink sink, void *arg)
{
    struct prep p = {.c = c, .out = BUF_INIT, .sink = sink, .arg = arg};
    /* room for a slice (or the whole of a smaller document) and a little
     * repair at once, rather than growing to it by doubling */
    buf_room(&p.out, (len < FEED_PREP_SLICE ? len : FEED_PREP_SLICE) + 1024);
    prepare(&p, s, len, utf8_decl);
    flush(&p, true);
    buf_release(&p.out);
    return !p.stopped;
}
