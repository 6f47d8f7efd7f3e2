/* SPDX-License-Identifier: MIT */
/* encoding.c: decode a feed's bytes to UTF-8 by feedparser's rules.
 *
 * Everything after this step works on UTF-8 only (entity repair in prep.c,
 * libxml2 told to ignore the declared encoding, cJSON). The encoding is
 * chosen the way feedparser reads RFC 3023: a byte order mark (or the
 * layout of "<?xm" in UTF-16/32 and EBCDIC) and the XML declaration give
 * candidates, and the HTTP Content-Type decides which counts —
 * application/xml types trust the charset, then the declaration, then
 * UTF-8; text/xml types trust only the charset, else US-ASCII; a response
 * without Content-Type means the declaration, else ISO-8859-1; a local file
 * the declaration, else UTF-8. When the chosen encoding does not decode
 * the bytes, the declaration, the BOM, a statistical guess (chardet.c),
 * UTF-8, windows-1252 and ISO-8859-2 are tried in turn and the document is
 * bozo (CharacterEncodingOverride).
 * A non-XML content type is bozo too (NonXMLContentType).
 *
 * Names are Python codec names as feeds spell them; iconv does the work,
 * with an alias table for names glibc does not know and built-in tables
 * for the Mac code pages it lacks. */
#include "feed/feed_int.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "base/xalloc.h"

static const unsigned short macgreek[128] = {
    0x00C4, 0x00B9, 0x00B2, 0x00C9, 0x00B3, 0x00D6, 0x00DC, 0x0385, 0x00E0, 0x00E2, 0x00E4, 0x0384,
    0x00A8, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00A3, 0x2122, 0x00EE, 0x00EF, 0x2022, 0x00BD,
    0x2030, 0x00F4, 0x00F6, 0x00A6, 0x20AC, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x0393, 0x0394, 0x0398,
    0x039B, 0x039E, 0x03A0, 0x00DF, 0x00AE, 0x00A9, 0x03A3, 0x03AA, 0x00A7, 0x2260, 0x00B0, 0x00B7,
    0x0391, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x0392, 0x0395, 0x0396, 0x0397, 0x0399, 0x039A, 0x039C,
    0x03A6, 0x03AB, 0x03A8, 0x03A9, 0x03AC, 0x039D, 0x00AC, 0x039F, 0x03A1, 0x2248, 0x03A4, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x03A5, 0x03A7, 0x0386, 0x0388, 0x0153, 0x2013, 0x2015, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x0389, 0x038A, 0x038C, 0x038E, 0x03AD, 0x03AE, 0x03AF, 0x03CC, 0x038F,
    0x03CD, 0x03B1, 0x03B2, 0x03C8, 0x03B4, 0x03B5, 0x03C6, 0x03B3, 0x03B7, 0x03B9, 0x03BE, 0x03BA,
    0x03BB, 0x03BC, 0x03BD, 0x03BF, 0x03C0, 0x03CE, 0x03C1, 0x03C3, 0x03C4, 0x03B8, 0x03C9, 0x03C2,
    0x03C7, 0x03C5, 0x03B6, 0x03CA, 0x03CB, 0x0390, 0x03B0, 0x00AD,
};
static const unsigned short macturkish[128] = {
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3,
    0x00E5, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
    0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x00B0, 0x00A2, 0x00A3,
    0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
    0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA,
    0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153, 0x2013, 0x2014, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x011E, 0x011F, 0x0130, 0x0131, 0x015E, 0x015F,
    0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE,
    0x00CF, 0x00CC, 0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0xF8A0, 0x02C6, 0x02DC,
    0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
};
static const unsigned short maclatin2[128] = {
    0x00C4, 0x0100, 0x0101, 0x00C9, 0x0104, 0x00D6, 0x00DC, 0x00E1, 0x0105, 0x010C, 0x00E4, 0x010D,
    0x0106, 0x0107, 0x00E9, 0x0179, 0x017A, 0x010E, 0x00ED, 0x010F, 0x0112, 0x0113, 0x0116, 0x00F3,
    0x0117, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x011A, 0x011B, 0x00FC, 0x2020, 0x00B0, 0x0118, 0x00A3,
    0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x0119, 0x00A8, 0x2260, 0x0123, 0x012E,
    0x012F, 0x012A, 0x2264, 0x2265, 0x012B, 0x0136, 0x2202, 0x2211, 0x0142, 0x013B, 0x013C, 0x013D,
    0x013E, 0x0139, 0x013A, 0x0145, 0x0146, 0x0143, 0x00AC, 0x221A, 0x0144, 0x0147, 0x2206, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x0148, 0x0150, 0x00D5, 0x0151, 0x014C, 0x2013, 0x2014, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x25CA, 0x014D, 0x0154, 0x0155, 0x0158, 0x2039, 0x203A, 0x0159, 0x0156,
    0x0157, 0x0160, 0x201A, 0x201E, 0x0161, 0x015A, 0x015B, 0x00C1, 0x0164, 0x0165, 0x00CD, 0x017D,
    0x017E, 0x016A, 0x00D3, 0x00D4, 0x016B, 0x016E, 0x00DA, 0x016F, 0x0170, 0x0171, 0x0172, 0x0173,
    0x00DD, 0x00FD, 0x0137, 0x017B, 0x0141, 0x017C, 0x0122, 0x02C7,
};
static const unsigned short macroman[128] = {
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3,
    0x00E5, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
    0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x00B0, 0x00A2, 0x00A3,
    0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
    0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA,
    0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153, 0x2013, 0x2014, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
    0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE,
    0x00CF, 0x00CC, 0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
    0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
};

static const struct {
    const char *name;
    const unsigned short *table;
} mac_tables[] = {
    {"macgreek", macgreek},          {"mac-greek", macgreek},  {"macturkish", macturkish},
    {"mac-turkish", macturkish},     {"maclatin2", maclatin2}, {"mac-latin2", maclatin2},
    {"maccentraleurope", maclatin2}, {"macroman", macroman},   {"mac-roman", macroman},
    {"macintosh", macroman},
};

/* Python codec aliases glibc's iconv does not accept. */
static const char *const aliases[][2] = {
    {"cp-is", "CP861"},
    {"csibm861", "CP861"},
    {"ibm039", "IBM037"},
    {"u16", "UTF-16"},
    {"utf16", "UTF-16"},
    {"u32", "UTF-32"},
    {"utf32", "UTF-32"},
    {"u8", "UTF-8"},
    {"utf", "UTF-8"},
    {"utf8", "UTF-8"},
    {"latin", "ISO-8859-1"},
    {"latin1", "ISO-8859-1"},
    {"l1", "ISO-8859-1"},
    {"cp65001", "UTF-8"},
    {"utf-8-sig", "UTF-8"},
    {"gb2312", "GB18030"},
    {"x-mac-roman", "MACINTOSH"},
};

static char *lower_dash(const char *s)
{
    char *r = xstrdup(s);
    for (char *p = r; *p; p++)
        *p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
    return r;
}

/* Decode with a 128-entry table for 0x80..0xFF. */
static char *decode_table(const unsigned short *t, const char *d, size_t n, size_t *outlen)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)d[i];
        unsigned cp = c < 0x80 ? c : t[c - 0x80];
        if (cp == 0xFFFD) {
            buf_release(&b);
            return NULL;
        }
        utf8proc_uint8_t u[4];
        buf_add(&b, u, (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, u));
    }
    *outlen = b.len;
    return buf_take(&b);
}

/* Descriptors opened by this thread, kept for the life of the thread:
 * iconv_open() looks the pair up and loads glibc's gconv module each
 * time, which costs more than decoding a typical feed. A small table; when
 * it is full the oldest slot is reused. Pairs iconv does not know are
 * remembered too. */
#define ICONV_CACHE 48
struct iconv_cache {
    struct {
        char *to, *from;
        iconv_t cd;
    } slot[ICONV_CACHE];
    size_t n, next;
};
static pthread_key_t iconv_key;
static pthread_once_t iconv_once = PTHREAD_ONCE_INIT;

static void iconv_cache_free(void *p)
{
    struct iconv_cache *ic = p;
    for (size_t i = 0; i < ic->n; i++) {
        if (ic->slot[i].cd != (iconv_t)-1)
            iconv_close(ic->slot[i].cd);
        free(ic->slot[i].to);
        free(ic->slot[i].from);
    }
    free(ic);
}

static void iconv_key_init(void)
{
    if (pthread_key_create(&iconv_key, iconv_cache_free))
        abort();
}

iconv_t feed_iconv(const char *to, const char *from)
{
    pthread_once(&iconv_once, iconv_key_init);
    struct iconv_cache *ic = pthread_getspecific(iconv_key);
    if (!ic) {
        ic = xcalloc(1, sizeof(*ic));
        pthread_setspecific(iconv_key, ic);
    }
    for (size_t i = 0; i < ic->n; i++)
        if (!strcmp(ic->slot[i].from, from) && !strcmp(ic->slot[i].to, to)) {
            iconv_t cd = ic->slot[i].cd;
            if (cd != (iconv_t)-1)
                iconv(cd, NULL, NULL, NULL, NULL); /* back to the initial state */
            return cd;
        }
    size_t i = ic->n < ICONV_CACHE ? ic->n++ : ic->next++ % ICONV_CACHE;
    if (ic->slot[i].to) { /* a reused slot */
        if (ic->slot[i].cd != (iconv_t)-1)
            iconv_close(ic->slot[i].cd);
        free(ic->slot[i].to);
        free(ic->slot[i].from);
    }
    ic->slot[i].to = xstrdup(to);
    ic->slot[i].from = xstrdup(from);
    ic->slot[i].cd = iconv_open(to, from);
    return ic->slot[i].cd;
}

static char *iconv_all(iconv_t cd, const char *d, size_t n, size_t *outlen)
{
    size_t cap = n * 2 + 16, used = 0;
    char *out = xmalloc(cap);
    char *in = (char *)d;
    size_t inleft = n;
    for (;;) {
        char *o = out + used;
        size_t oleft = cap - used - 1;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        used = (size_t)(o - out);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            cap *= 2;
            out = xrealloc(out, cap);
            continue;
        }
        free(out);
        return NULL;
    }
    out[used] = '\0';
    *outlen = used;
    return out;
}

static bool is_shift_jis(const char *name)
{
    static const char *const l[] = {"shift-jis", "shiftjis", "sjis", "s-jis", "csshiftjis"};
    for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
        if (!strcmp(name, l[i]))
            return true;
    return false;
}

/* glibc's SHIFT_JIS reads bytes 0x5C and 0x7E as JIS Roman (YEN SIGN,
 * OVERLINE); Python reads them as ASCII. Neither character has another
 * single-byte source in Shift_JIS, so mapping them back is exact. */
static void sjis_ascii(char *s, size_t *len)
{
    size_t w = 0;
    for (size_t r = 0; r < *len;) {
        if (r + 1 < *len && (unsigned char)s[r] == 0xC2 && (unsigned char)s[r + 1] == 0xA5) {
            s[w++] = '\\';
            r += 2;
        } else if (r + 2 < *len && !memcmp(s + r, "\xE2\x80\xBE", 3)) {
            s[w++] = '~';
            r += 3;
        } else {
            s[w++] = s[r++];
        }
    }
    s[w] = '\0';
    *len = w;
}

/* ISO-8859-1 maps byte b to U+00b: decoded here rather than through iconv,
 * whose gconv module would be loaded for it (a one-time cost larger than
 * decoding most feeds). The names are glibc's for the charset, as
 * lower_dash() spells them ("latin1" and "l1" arrive as aliases[]'s
 * "ISO-8859-1"). */
static bool is_latin1(const char *ic)
{
    static const char *const l[] = {"iso-8859-1", "iso8859-1", "iso88591",
                                    "cp819",      "ibm819",    "csisolatin1"};
    for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
        if (!strcasecmp(ic, l[i]))
            return true;
    return false;
}

static char *decode_latin1(const char *d, size_t n, size_t *outlen)
{
    char *out = xmalloc(2 * n + 1);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)d[i];
        if (c < 0x80) {
            out[w++] = (char)c;
        } else { /* U+0080..U+00FF: two bytes */
            out[w++] = (char)(0xC0 | (c >> 6));
            out[w++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[w] = '\0';
    *outlen = w;
    return out;
}

/* The single-byte code pages chardet.c has build-time tables for (the
 * windows-125x, ISO-8859-2/5/7/8, KOI8-R, ...), decoded without loading
 * their gconv modules; the tables are iconv's own decoding of each byte.
 * ic is the name convert() would hand to iconv_open(), which ignores case
 * and knows WINDOWS-125x as CP125x and CP866 as IBM866: sbcs_name() spells
 * it as chardet.c's tables do. */
static void sbcs_name(const char *ic, char *up, size_t cap)
{
    size_t n = strlen(ic);
    if (n >= cap) {
        up[0] = '\0';
        return;
    }
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)toupper((unsigned char)ic[i]);
    if (!strncmp(up, "WINDOWS-125", 11))
        snprintf(up, cap, "CP%s", ic + 8);
    else if (!strncmp(up, "ISO8859-", 8))
        snprintf(up, cap, "ISO-8859-%s", ic + 8);
    else if (!strcmp(up, "CP866"))
        snprintf(up, cap, "IBM866");
}

/* Decode all of d as Python's bytes.decode(enc) would; NULL when the
 * encoding is unknown or the bytes are not valid in it. */
static char *convert(const char *enc, const char *d, size_t n, size_t *outlen)
{
    char *name = lower_dash(enc);
    char *out = NULL;
    if (!strcmp(name, "utf-8") || !strcmp(name, "utf8")) {
        /* the common case needs no conversion, only validation */
        free(name);
        if (!fp_utf8_valid(d, n))
            return NULL;
        char *copy = xmalloc(n + 1); /* the text may hold NUL bytes */
        memcpy(copy, d, n);
        copy[n] = '\0';
        *outlen = n;
        return copy;
    }
    for (size_t i = 0; i < sizeof(mac_tables) / sizeof(mac_tables[0]); i++)
        if (!strcmp(name, mac_tables[i].name)) {
            out = decode_table(mac_tables[i].table, d, n, outlen);
            free(name);
            return out;
        }
    const char *ic = name;
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (!strcmp(name, aliases[i][0]))
            ic = aliases[i][1];
    /* Python's utf-16/utf-32 without a BOM read little-endian */
    const unsigned char *u = (const unsigned char *)d;
    if (!strcasecmp(ic, "utf-16") &&
        !(n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))))
        ic = "UTF-16LE";
    if (!strcasecmp(ic, "utf-32") &&
        !(n >= 4 && (!memcmp(u, "\xFF\xFE\0\0", 4) || !memcmp(u, "\0\0\xFE\xFF", 4))))
        ic = "UTF-32LE";
    if (is_latin1(ic)) {
        free(name);
        return decode_latin1(d, n, outlen);
    }
    char sbcs[32];
    sbcs_name(ic, sbcs, sizeof(sbcs));
    bool known = false;
    out = feed_sbcs_to_utf8(sbcs, d, n, outlen, &known);
    if (known) {
        free(name);
        return out;
    }
    iconv_t cd = feed_iconv("UTF-8", ic);
    char cpname[72];
    if (cd == (iconv_t)-1 && isdigit((unsigned char)ic[0])) {
        snprintf(cpname, sizeof(cpname), "CP%s", ic); /* Python reads "850" as cp850 */
        cd = feed_iconv("UTF-8", cpname);
    }
    if (cd == (iconv_t)-1) {
        free(name);
        return NULL;
    }
    out = iconv_all(cd, d, n, outlen);
    if (out && is_shift_jis(name))
        sjis_ascii(out, outlen);
    /* ic may be name itself: freed only after its last use */
    if (out && *outlen >= 3 && !memcmp(out, "\xEF\xBB\xBF", 3) &&
        (!strncasecmp(ic, "utf-16", 6) || !strncasecmp(ic, "utf-32", 6))) {
        memmove(out, out + 3, *outlen - 2);
        *outlen -= 3;
    }
    free(name);
    return out;
}

/* ^<\?.*encoding=['"](.*?)['"].*\?> on the first line of t. */
static bool decl_encoding(const char *t, size_t n, char *out, size_t cap)
{
    if (n < 2 || t[0] != '<' || t[1] != '?')
        return false;
    const char *nl = memchr(t, '\n', n);
    size_t line = nl ? (size_t)(nl - t) : n;
    /* greedy ".*encoding=": the last occurrence that still leaves "?>" after it */
    const char *end = NULL;
    /* the last "?>" of the line, found forwards by memchr (a document on
     * one line makes the line long) */
    for (const char *gt = t + 1; (gt = memchr(gt, '>', line - (size_t)(gt - t)));)
        if (gt[-1] == '?')
            end = ++gt;
        else
            gt++;
    if (!end)
        return false;
    for (const char *p = end - 2; p >= t + 2; p--) {
        if ((size_t)(end - p) < 11 || strncmp(p, "encoding=", 9))
            continue;
        char q = p[9];
        if (q != '"' && q != '\'')
            continue;
        const char *v = p + 10;
        const char *close = v;
        while (close < end - 2 && *close != '"' && *close != '\'')
            close++;
        if (close >= end - 2 + 1 || (*close != '"' && *close != '\''))
            continue;
        size_t k = (size_t)(close - v);
        if (k + 1 > cap)
            return false;
        for (size_t i = 0; i < k; i++)
            out[i] = (char)tolower((unsigned char)v[i]);
        out[k] = '\0';
        return true;
    }
    return false;
}

/* Content-Type split into a lower-case media type and its charset. */
static void parse_ct(const char *ct, char *type, size_t tcap, char *cs, size_t ccap)
{
    *type = *cs = '\0';
    if (!ct)
        return;
    const char *p = ct;
    while (isspace((unsigned char)*p))
        p++;
    size_t k = 0;
    while (*p && *p != ';' && k + 1 < tcap)
        type[k++] = (char)tolower((unsigned char)*p++);
    while (k && isspace((unsigned char)type[k - 1]))
        k--;
    type[k] = '\0';
    for (const char *s = strchr(ct, ';'); s; s = strchr(s + 1, ';')) {
        const char *q = s + 1;
        while (isspace((unsigned char)*q))
            q++;
        if (strncasecmp(q, "charset", 7))
            continue;
        q += 7;
        while (isspace((unsigned char)*q))
            q++;
        if (*q != '=')
            continue;
        q++;
        while (isspace((unsigned char)*q))
            q++;
        bool quoted = *q == '"';
        if (quoted)
            q++;
        k = 0;
        while (*q && (quoted ? *q != '"' : (*q != ';' && !isspace((unsigned char)*q))) &&
               k + 1 < ccap) {
            if (*q != '\'')
                cs[k++] = (char)tolower((unsigned char)*q);
            q++;
        }
        cs[k] = '\0';
        return;
    }
}

static bool is_wide_generic(const char *e)
{
    static const char *const l[] = {
        "u16",    "utf-16",    "utf16",  "utf_16",          "u32",
        "utf-32", "utf32",     "utf_32", "iso-10646-ucs-2", "iso-10646-ucs-4",
        "csucs4", "csunicode", "ucs-2",  "ucs-4",           NULL};
    for (size_t i = 0; l[i]; i++)
        if (!strcmp(e, l[i]))
            return true;
    return false;
}

/* What the bytes and HTTP declare, by RFC 3023 as feedparser reads it: the
 * byte order mark (or the layout of "<?xm") and how many bytes it takes,
 * the XML declaration's encoding, and the encoding that counts (rfc). */
struct declared {
    const char *bom;
    size_t skip;
    char xml_enc[64];
    char rfc[64];
    bool nonxml; /* bozo: HTTP said the media type is not XML, or nothing */
};

static void declared_encoding(struct feed_ctx *c, const char *data, size_t len, struct declared *dc)
{
    const unsigned char *d = (const unsigned char *)data;
    const char *bom = "";
    size_t skip = 0;
    if (len >= 4 && !memcmp(d, "\0\0\xFE\xFF", 4))
        bom = "utf-32be", skip = 4;
    else if (len >= 4 && !memcmp(d, "\xFF\xFE\0\0", 4))
        bom = "utf-32le", skip = 4;
    else if (len >= 2 && !memcmp(d, "\xFE\xFF", 2) && !(len >= 4 && !memcmp(d + 2, "\0\0", 2)))
        bom = "utf-16be", skip = 2;
    else if (len >= 2 && !memcmp(d, "\xFF\xFE", 2) && !(len >= 4 && !memcmp(d + 2, "\0\0", 2)))
        bom = "utf-16le", skip = 2;
    else if (len >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
        bom = "utf-8", skip = 3;
    else if (len >= 4 && !memcmp(d, "\x4C\x6F\xA7\x94", 4))
        bom = "cp037";
    else if (len >= 4 && !memcmp(d, "\0<\0?", 4))
        bom = "utf-16be";
    else if (len >= 4 && !memcmp(d, "<\0?\0", 4))
        bom = "utf-16le";
    else if (len >= 4 && !memcmp(d, "\0\0\0<", 4))
        bom = "utf-32be";
    else if (len >= 4 && !memcmp(d, "<\0\0\0", 4))
        bom = "utf-32le";
    data += skip;
    len -= skip;
    dc->bom = bom;
    dc->skip = skip;

    char *xml_enc = dc->xml_enc;
    xml_enc[0] = '\0';
    if (*bom) {
        size_t tl = 0;
        size_t probe = len < 4096 ? len : 4096;
        probe -= probe % 4;
        char *t = convert(bom, data, probe, &tl);
        if (t && decl_encoding(t, tl, xml_enc, sizeof(dc->xml_enc)) && is_wide_generic(xml_enc))
            snprintf(xml_enc, sizeof(dc->xml_enc), "%s", bom);
        free(t);
    } else {
        decl_encoding(data, len, xml_enc, sizeof(dc->xml_enc));
    }

    char ctype[128], http_enc[64];
    parse_ct(c->opts->content_type, ctype, sizeof(ctype), http_enc, sizeof(http_enc));
    bool http = c->opts->http || c->opts->content_type;
    bool acceptable = false;
    char *rfc = dc->rfc;
    size_t rcap = sizeof(dc->rfc);
    size_t tlen = strlen(ctype);
    if (!strcmp(ctype, "application/xml") || !strcmp(ctype, "application/xml-dtd") ||
        !strcmp(ctype, "application/xml-external-parsed-entity") ||
        (!strncmp(ctype, "application/", 12) && tlen >= 4 && !strcmp(ctype + tlen - 4, "+xml"))) {
        acceptable = true;
        snprintf(rfc, rcap, "%s", *http_enc ? http_enc : *xml_enc ? xml_enc : "utf-8");
    } else if (!strcmp(ctype, "text/xml") || !strcmp(ctype, "text/xml-external-parsed-entity") ||
               (!strncmp(ctype, "text/", 5) && tlen >= 4 && !strcmp(ctype + tlen - 4, "+xml"))) {
        acceptable = true;
        snprintf(rfc, rcap, "%s", *http_enc ? http_enc : "us-ascii");
    } else if (!strncmp(ctype, "text/", 5)) {
        snprintf(rfc, rcap, "%s", *http_enc ? http_enc : "us-ascii");
    } else if (http && !c->opts->content_type) {
        snprintf(rfc, rcap, "%s", *xml_enc ? xml_enc : "iso-8859-1");
    } else {
        snprintf(rfc, rcap, "%s", *xml_enc ? xml_enc : "utf-8");
    }
    if (!strcasecmp(rfc, "gb2312"))
        snprintf(rfc, rcap, "gb18030");
    if (!strcasecmp(xml_enc, "gb2312"))
        snprintf(xml_enc, sizeof(dc->xml_enc), "gb18030");
    dc->nonxml = http && !acceptable;
}

/* feed_utf8_as_is() for what dc says of data. */
static bool utf8_as_is(struct feed_ctx *c, const struct declared *dc, const char *data, size_t len)
{
    /* feed_to_utf8's first candidate is rfc; when it is "utf-8" and the
     * bytes are valid, it takes them as they are and nothing is bozo */
    if (dc->nonxml || strcmp(dc->rfc, "utf-8") || !fp_utf8_valid(data + dc->skip, len - dc->skip))
        return false;
    free(c->doc->encoding);
    c->doc->encoding = xstrdup("utf-8");
    return true;
}

bool feed_utf8_as_is(struct feed_ctx *c, const char *data, size_t len, size_t *skip)
{
    struct declared dc;
    declared_encoding(c, data, len, &dc);
    if (!utf8_as_is(c, &dc, data, len))
        return false;
    *skip = dc.skip;
    return true;
}

/* feed_to_utf8() for what dc says of data. */
static char *to_utf8(struct feed_ctx *c, struct declared *dc, const char *data, size_t len,
                     size_t *outlen)
{
    data += dc->skip;
    len -= dc->skip;
    const char *bom = dc->bom;
    char *xml_enc = dc->xml_enc, *rfc = dc->rfc;
    if (dc->nonxml) {
        if (c->opts->content_type)
            feed_bozo(c, "%s is not an XML media type", c->opts->content_type);
        else
            feed_bozo(c, "no Content-type specified");
        c->bozo_type = "NonXMLContentType";
    }

    /* guess_slot stands for the statistical guess, made only when reached */
    static const char guess_slot[] = "?";
    const char *cand[] = {rfc, xml_enc, bom, guess_slot, "utf-8", "windows-1252", "iso-8859-2"};
    const char *tried[8];
    size_t ntried = 0;
    for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
        if (cand[i] == guess_slot) {
            const char *guess = feed_chardet(data, len);
            cand[i] = guess ? guess : "";
        }
        if (!*cand[i])
            continue;
        bool seen = false;
        for (size_t k = 0; k < ntried; k++)
            if (!strcmp(tried[k], cand[i]))
                seen = true;
        if (seen)
            continue;
        tried[ntried++] = cand[i];
        char *u = convert(cand[i], data, len, outlen);
        if (!u)
            continue;
        if (strcmp(cand[i], rfc)) {
            /* the message names what was declared and what worked */
            free(c->doc->bozo_message);
            c->doc->bozo_message = NULL;
            feed_bozo(c, "document declared as %s, but parsed as %s", rfc, cand[i]);
            c->bozo_type = "CharacterEncodingOverride";
        }
        free(c->doc->encoding);
        c->doc->encoding = xstrdup(cand[i]);
        /* the text is UTF-8 now, and its declaration must say so */
        if (*outlen >= 5 && !memcmp(u, "<?xml", 5)) {
            char *gt = memchr(u, '>', *outlen);
            if (gt) {
                static const char decl[] = "<?xml version='1.0' encoding='utf-8'?>";
                size_t old = (size_t)(gt - u) + 1, nl = sizeof(decl) - 1;
                char *v = xmalloc(*outlen - old + nl + 1);
                memcpy(v, decl, nl);
                memcpy(v + nl, gt + 1, *outlen - old + 1);
                free(u);
                u = v;
                *outlen = *outlen - old + nl;
            }
        }
        return u;
    }
    free(c->doc->bozo_message);
    c->doc->bozo_message = NULL;
    feed_bozo(c,
              "document encoding unknown, I tried %s, %s, utf-8, windows-1252, and iso-8859-2 "
              "but nothing worked",
              rfc, xml_enc);
    c->bozo_type = "CharacterEncodingUnknown";
    free(c->doc->encoding);
    c->doc->encoding = xstrdup("");
    *outlen = len;
    return xstrndup(data, len);
}

char *feed_to_utf8(struct feed_ctx *c, const char *data, size_t len, size_t *outlen)
{
    struct declared dc;
    declared_encoding(c, data, len, &dc);
    return to_utf8(c, &dc, data, len, outlen);
}

const char *feed_utf8_text(struct feed_ctx *c, const char *data, size_t len, bool in_place,
                           size_t *outlen, bool *utf8_decl, char **copy)
{
    struct declared dc;
    declared_encoding(c, data, len, &dc);
    *copy = NULL;
    *utf8_decl = false;
    if (in_place && utf8_as_is(c, &dc, data, len)) {
        *utf8_decl = len - dc.skip >= 5 && !memcmp(data + dc.skip, "<?xml", 5);
        *outlen = len - dc.skip;
        return data + dc.skip;
    }
    return *copy = to_utf8(c, &dc, data, len, outlen);
}
