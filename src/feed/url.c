/* SPDX-License-Identifier: MIT */
/* url.c: URL resolution, canonicalisation and scheme safety for feeds.
 *
 * Feeds carry relative links (RFC 3986 references resolved against xml:base,
 * Content-Location or the document address), and the same article is often
 * published under several URLs that differ only in tracking parameters,
 * letter case or a default port. Resolution and parsing are libcurl's
 * (curl_url); this file adds the cases curl leaves alone: fragment-only
 * references, non-hierarchical schemes (mailto:, tag:, urn:), and the
 * canonical form used for deduplication. */
#include "feed/feed_int.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

/* Length of the scheme of s ("http" in "http://x"), 0 when s has none. */
static size_t scheme_len(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return 0;
    size_t i = 1;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
        i++;
    return s[i] == ':' ? i : 0;
}

/* Copy of s without leading and trailing ASCII white space. */
static char *trimmed_copy(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return xstrndup(s, n);
}

static char *curl_take(char *s)
{
    char *r = xstrdup(s);
    curl_free(s);
    return r;
}

/* Parse an absolute URL with a "//" authority into a new handle, or NULL. */
static CURLU *url_parse(const char *s)
{
    CURLU *u = curl_url();
    if (!u)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, s, CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE)) {
        curl_url_cleanup(u);
        return NULL;
    }
    return u;
}

char *feed_url_resolve(const char *base, const char *ref)
{
    if (!ref)
        return NULL;
    char *r = trimmed_copy(ref), *out = NULL;
    size_t sl = scheme_len(r);
    if (sl && strncmp(r + sl, "://", 3) != 0) {
        /* mailto:, tag:, urn: ... are opaque: nothing to resolve */
        out = r;
        r = NULL;
        goto done;
    }
    CURLU *u = NULL;
    if (base && *base && !sl)
        u = url_parse(base);
    if (!u) {
        u = url_parse(r);
        goto get;
    }
    if (r[0] == '\0' || r[0] == '#') {
        /* curl drops the last path segment for these; RFC 3986 keeps it */
        curl_url_set(u, CURLUPART_FRAGMENT, r[0] ? r + 1 : NULL, 0);
    } else if (curl_url_set(u, CURLUPART_URL, r, CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE)) {
        curl_url_cleanup(u);
        u = NULL;
    }
get:
    if (u) {
        char *s = NULL;
        if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
            out = curl_take(s);
        curl_url_cleanup(u);
    }
done:
    free(r);
    return out;
}

/* Query parameters dropped by feed_url_canonical(): analytics and referral
 * markers that do not change what the page shows. Keys compare case-blind;
 * a trailing '*' matches any suffix. */
static const char *const tracking_params[] = {
    "utm_*",         "fbclid",     "gclid",
    "dclid",         "gclsrc",     "msclkid",
    "yclid",         "mc_cid",     "mc_eid",
    "ref",           "ref_src",    "ref_url",
    "cmpid",         "_hsenc",     "_hsmi",
    "hsctatracking", "igshid",     "mkt_tok",
    "oly_anon_id",   "oly_enc_id", "vero_id",
    "wt.mc_id",      "wt_mc_id",   "ocid",
    "s_cid",         "_ga",        "_gl",
    "smid",          "ito",        "at_medium",
    "at_campaign",   "guccounter", "__twitter_impression",
};

static bool is_tracking_param(const char *key, size_t n)
{
    for (size_t i = 0; i < sizeof(tracking_params) / sizeof(tracking_params[0]); i++) {
        const char *p = tracking_params[i];
        size_t pl = strlen(p);
        if (p[pl - 1] == '*') {
            if (n >= pl - 1 && strncasecmp(key, p, pl - 1) == 0)
                return true;
        } else if (n == pl && strncasecmp(key, p, n) == 0) {
            return true;
        }
    }
    return false;
}

char *feed_url_canonical(const char *url)
{
    if (!url)
        return NULL;
    char *r = trimmed_copy(url), *out = NULL, *s = NULL;
    size_t sl = scheme_len(r);
    if (!(sl == 4 && strncasecmp(r, "http", 4) == 0) &&
        !(sl == 5 && strncasecmp(r, "https", 5) == 0)) {
        free(r);
        return NULL;
    }
    CURLU *u = url_parse(r);
    free(r);
    if (!u)
        return NULL;
    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
    if (curl_url_get(u, CURLUPART_HOST, &s, 0) == CURLUE_OK) {
        for (char *p = s; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        size_t hl = strlen(s);
        if (hl > 1 && s[hl - 1] == '.') /* "example.com." is example.com */
            s[hl - 1] = '\0';
        curl_url_set(u, CURLUPART_HOST, s, 0);
        curl_free(s);
        s = NULL;
    }
    if (curl_url_get(u, CURLUPART_QUERY, &s, 0) == CURLUE_OK && s) {
        struct buf q = BUF_INIT;
        for (char *p = s; *p;) {
            size_t n = strcspn(p, "&;");
            size_t kl = strcspn(p, "=");
            if (kl > n)
                kl = n;
            if (n && !is_tracking_param(p, kl)) {
                if (q.len)
                    buf_addch(&q, '&');
                buf_add(&q, p, n);
            }
            p += n;
            if (*p)
                p++;
        }
        curl_url_set(u, CURLUPART_QUERY, q.len ? q.ptr : NULL, 0);
        buf_release(&q);
        curl_free(s);
        s = NULL;
    }
    if (curl_url_get(u, CURLUPART_URL, &s, CURLU_NO_DEFAULT_PORT) == CURLUE_OK)
        out = curl_take(s);
    curl_url_cleanup(u);
    return out;
}

/* Schemes feedparser's sanitizer lets through (acceptable_uri_schemes). */
static const char *const safe_schemes[] = {
    "aim",     "callto", "cvs",    "facetime", "feed",   "ftp",   "git",    "gtalk",  "http",
    "https",   "irc",    "ircs",   "irc6",     "itms",   "mms",   "msnim",  "mailto", "news",
    "nntp",    "rtsp",   "sftp",   "sip",      "sips",   "skype", "smb",    "ssh",    "svn",
    "svn+ssh", "tel",    "telnet", "urn",      "webcal", "xmpp",  "magnet", "gopher",
};

bool feed_url_is_safe(const char *url)
{
    if (!url || !strchr(url, ':'))
        return true;
    /* Browsers ignore white space and control characters inside a scheme,
     * so "java\tscript:" must be seen as "javascript:". */
    char scheme[32];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f)
            continue;
        if (*p == ':')
            break;
        if (*p == '/' || *p == '?' || *p == '#')
            return true; /* relative reference */
        if (n + 1 >= sizeof(scheme))
            return false;
        scheme[n++] = (char)tolower(*p);
    }
    scheme[n] = '\0';
    if (n == 0)
        return false;
    for (size_t i = 0; i < sizeof(safe_schemes) / sizeof(safe_schemes[0]); i++)
        if (strcmp(scheme, safe_schemes[i]) == 0)
            return true;
    return false;
}
