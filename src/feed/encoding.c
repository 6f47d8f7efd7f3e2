/* SPDX-License-Identifier: MIT */
/* encoding.c: decode a feed's bytes to UTF-8.
 *
 * Everything after this step works on UTF-8 only (entity repair in prep.c,
 * libxml2 told to ignore the declared encoding, cJSON). The encoding is
 * chosen as feedparser and RFC 3023 suggest: a byte order mark first, then
 * the HTTP charset, then the XML declaration, then UTF-8. When the chosen
 * encoding does not decode the bytes (a feed declared UTF-8 but written in
 * windows-1252 is the common case), the next candidates are tried, ending
 * with ISO-8859-1, which decodes anything; the document is then bozo. */
#include "feed/feed_int.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

/* Encoding named by a byte order mark or, without one, by the way "<?" is
 * laid out in the first bytes (XML 1.0 appendix F). *skip is the BOM size. */
static const char *sniff(const unsigned char *d, size_t n, size_t *skip)
{
    *skip = 0;
    if (n >= 4 && !memcmp(d, "\xFF\xFE\0\0", 4))
        return *skip = 4, "utf-32le";
    if (n >= 4 && !memcmp(d, "\0\0\xFE\xFF", 4))
        return *skip = 4, "utf-32be";
    if (n >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
        return *skip = 3, "utf-8";
    if (n >= 2 && !memcmp(d, "\xFF\xFE", 2))
        return *skip = 2, "utf-16le";
    if (n >= 2 && !memcmp(d, "\xFE\xFF", 2))
        return *skip = 2, "utf-16be";
    if (n >= 4 && !memcmp(d, "<\0\0\0", 4))
        return "utf-32le";
    if (n >= 4 && !memcmp(d, "\0\0\0<", 4))
        return "utf-32be";
    if (n >= 4 && !memcmp(d, "<\0?\0", 4))
        return "utf-16le";
    if (n >= 4 && !memcmp(d, "\0<\0?", 4))
        return "utf-16be";
    return NULL;
}

/* encoding="..." of an ASCII-compatible XML declaration, into out. */
static bool xml_decl_encoding(const char *d, size_t n, char *out, size_t cap)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)d[i]))
        i++;
    if (n - i < 5 || memcmp(d + i, "<?xml", 5) != 0)
        return false;
    const char *end = memchr(d + i, '>', n - i < 512 ? n - i : 512);
    if (!end)
        return false;
    for (const char *p = d + i; p + 8 < end; p++) {
        if (memcmp(p, "encoding", 8) != 0)
            continue;
        p += 8;
        while (p < end && (isspace((unsigned char)*p) || *p == '='))
            p++;
        if (p >= end || (*p != '"' && *p != '\''))
            return false;
        char q = *p++;
        size_t k = 0;
        while (p < end && *p != q && k + 1 < cap)
            out[k++] = *p++;
        out[k] = '\0';
        return k > 0;
    }
    return false;
}

/* charset parameter of a Content-Type value, into out. */
static bool http_charset(const char *ct, char *out, size_t cap)
{
    if (!ct)
        return false;
    for (const char *p = strchr(ct, ';'); p; p = strchr(p + 1, ';')) {
        const char *q = p + 1;
        while (isspace((unsigned char)*q))
            q++;
        if (strncasecmp(q, "charset", 7) != 0)
            continue;
        q += 7;
        while (isspace((unsigned char)*q) || *q == '=')
            q++;
        if (*q == '"' || *q == '\'')
            q++;
        size_t k = 0;
        while (*q && *q != '"' && *q != '\'' && *q != ';' && !isspace((unsigned char)*q) &&
               k + 1 < cap)
            out[k++] = (char)tolower((unsigned char)*q++);
        out[k] = '\0';
        return k > 0;
    }
    return false;
}

/* Same encoding name, ignoring case and punctuation ("UTF8" is "utf-8"). */
static bool same_encoding(const char *a, const char *b)
{
    for (;;) {
        while (*a && !isalnum((unsigned char)*a))
            a++;
        while (*b && !isalnum((unsigned char)*b))
            b++;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
        if (!*a)
            return true;
        a++, b++;
    }
}

static bool is_wide(const char *enc)
{
    return strncasecmp(enc, "utf-16", 6) == 0 || strncasecmp(enc, "utf-32", 6) == 0 ||
           strncasecmp(enc, "ucs", 3) == 0 || strncasecmp(enc, "utf16", 5) == 0 ||
           strncasecmp(enc, "utf32", 5) == 0;
}

/* Decode all of d with iconv; NULL when enc is unknown or the bytes are
 * not valid in it. */
static char *convert(const char *enc, const char *d, size_t n, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = n + n / 2 + 16, used = 0;
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
        free(out); /* EILSEQ or EINVAL: not this encoding */
        iconv_close(cd);
        return NULL;
    }
    iconv_close(cd);
    out[used] = '\0';
    *outlen = used;
    return out;
}

char *feed_to_utf8(struct feed_ctx *c, const char *data, size_t len, size_t *outlen)
{
    char bom_enc[16] = "", http[64] = "", decl[64] = "";
    size_t skip;
    const char *sniffed = sniff((const unsigned char *)data, len, &skip);
    if (sniffed)
        snprintf(bom_enc, sizeof(bom_enc), "%s", sniffed);
    bool have_http = http_charset(c->opts->content_type, http, sizeof(http));
    bool have_decl = !sniffed && xml_decl_encoding(data, len, decl, sizeof(decl));
    if (have_http && have_decl && !same_encoding(http, decl))
        feed_bozo(c, "document declared as %s, but served as %s", decl, http);

    const char *cand[6];
    size_t nc = 0;
    if (*bom_enc)
        cand[nc++] = bom_enc;
    if (have_http)
        cand[nc++] = http;
    if (have_decl)
        cand[nc++] = decl;
    cand[nc++] = "utf-8";
    cand[nc++] = "windows-1252";
    cand[nc++] = "iso-8859-1";

    bool declared = *bom_enc || have_http || have_decl;
    for (size_t i = 0; i < nc; i++) {
        /* a wide encoding named by text that is plainly ASCII-compatible
         * would decode to nonsense without failing */
        if (!*bom_enc && is_wide(cand[i]))
            continue;
        char *u = convert(cand[i], data + skip, len - skip, outlen);
        if (!u)
            continue;
        if (i > 0 && declared && !same_encoding(cand[i], cand[0]))
            feed_bozo(c, "document declared as %s, but parsed as %s", cand[0], cand[i]);
        else if (i > 0 && !declared)
            feed_bozo(c, "document is not valid utf-8, parsed as %s", cand[i]);
        char *lower = xstrdup(cand[i]);
        for (char *p = lower; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        free(c->doc->encoding);
        c->doc->encoding = lower;
        /* U+FEFF left at the start (BOM in a decoded wide encoding) */
        if (*outlen >= 3 && !memcmp(u, "\xEF\xBB\xBF", 3)) {
            memmove(u, u + 3, *outlen - 2);
            *outlen -= 3;
        }
        return u;
    }
    /* unreachable: iso-8859-1 decodes any byte */
    *outlen = 0;
    return xstrdup("");
}
