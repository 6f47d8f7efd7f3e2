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
#include <pthread.h>
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

/* The characters a "plain" URL may hold after its host, by class: ASCII
 * letters and digits, RFC 3986's unreserved and sub-delims, ':' and '@'
 * (URL_PLAIN), '/' (URL_SLASH: maybe a dot segment follows), '?' and '#'
 * (URL_QF), '%' (URL_PCT, plain only where asked for), the terminating NUL
 * (URL_END); anything else, 0, is not plain. A table of all 256 bytes:
 * every byte of every link is checked. */
enum { URL_PLAIN = 1, URL_SLASH, URL_QF, URL_END, URL_PCT };
static const unsigned char url_class[256] = {
    4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 10 */
    0, 1, 0, 3, 1, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, /* 20 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 3, /* 30 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, /* 50 */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, /* 70 */
};

/* A byte of a plain host's labels: lower-case ASCII letter, digit, '-'. */
static bool host_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
}

/* The scheme and host of a plain_http_url(): the length of "http://host"
 * when s starts with lower-case "http://" or "https://" and a lower-case
 * DNS host whose last label starts with a letter (so no IPv4 form curl
 * would rewrite), without user or port, followed by '/' (or, when bare is
 * not NULL, by the end of s: *bare tells which); else 0. */
static size_t plain_http_host(const char *s, bool *bare)
{
    size_t i;
    if (s[0] != 'h' || s[1] != 't' || s[2] != 't' || s[3] != 'p')
        return 0;
    if (s[4] == ':' && s[5] == '/' && s[6] == '/')
        i = 7;
    else if (s[4] == 's' && s[5] == ':' && s[6] == '/' && s[7] == '/')
        i = 8;
    else
        return 0;
    size_t host = i, label = i;
    for (;;) {
        while (host_char((unsigned char)s[i]))
            i++;
        if (s[i] != '.')
            break;
        if (i == label)
            return 0; /* empty label */
        label = ++i;
    }
    if (s[i] && s[i] != '/')
        return 0;
    if (i == host || label == i || !(s[label] >= 'a' && s[label] <= 'z'))
        return 0;
    if (bare)
        *bare = !s[i];
    else if (!s[i])
        return 0;
    return i;
}

/* The rest of a plain_http_url() from s[i], a '/' of its path before any
 * '?' or '#': a path without dot segments, at most one '#', no empty query
 * or fragment, and only plain characters; percent-escapes only with pct.
 *
 * libcurl 7.88 parses an absolute URL (curl_url_set of CURLUPART_URL)
 * keeping its percent-escapes as written, valid or not, and never reads
 * "%2e" as a dot, so an absolute reference may hold them (pct). Elsewhere
 * '%' goes to curl: it lower-cases their hex digits when a query or
 * fragment is set on its own (feed_url_canonical's query filter, a
 * "#fragment" reference), and its joins of relative references differ
 * from plain_join's in corners (a base with "//" in its path or a '/' in
 * its fragment) that only references without '%' took the fast way. */
static bool plain_http_tail(const char *s, size_t i, bool pct)
{
    bool in_path = true, hash = false;
    for (;; i++) {
        unsigned k;
        /* four at a time (the NUL is not plain, so none is read past it) */
        while (url_class[(unsigned char)s[i]] == URL_PLAIN &&
               url_class[(unsigned char)s[i + 1]] == URL_PLAIN &&
               url_class[(unsigned char)s[i + 2]] == URL_PLAIN &&
               url_class[(unsigned char)s[i + 3]] == URL_PLAIN)
            i += 4;
        while ((k = url_class[(unsigned char)s[i]]) == URL_PLAIN)
            i++;
        if (k == URL_END)
            return true;
        if (k == URL_PCT) {
            if (!pct)
                return false;
            continue;
        }
        if (k == URL_SLASH) {
            /* maybe a dot segment; with pct (an absolute URL) only "/."
             * and "/.." are, not a name such as "/.well-known" */
            if (in_path && s[i + 1] == '.' &&
                (!pct || s[i + 2] == '.' || url_class[(unsigned char)s[i + 2]] != URL_PLAIN))
                return false;
            continue;
        }
        if (k != URL_QF)
            return false;
        if (s[i] == '#') {
            if (hash)
                return false;
            hash = true;
        }
        if (!s[i + 1] || s[i + 1] == '#')
            return false; /* curl drops an empty query or fragment */
        in_path = false;
    }
}

/* Is s an absolute http(s) URL that libcurl would give back byte for byte
 * (parse, then get)? Only a simple, already-normal shape qualifies (see
 * plain_http_host and plain_http_tail, pct); anything else goes through
 * curl. Returns the length of the scheme-and-host prefix, 0 when s is not
 * plain. */
static size_t plain_http_url(const char *s, bool pct)
{
    size_t host = plain_http_host(s, NULL);
    return host && plain_http_tail(s, host, pct) ? host : 0;
}

/* plain_http_url(s), or s is "http://host" with a plain host and nothing
 * after it, which curl gives back with a '/' added: then a new copy with
 * that '/'. NULL when neither. */
static char *plain_http_copy(const char *s, size_t n)
{
    bool bare;
    size_t host = plain_http_host(s, &bare);
    if (!host || (!bare && !plain_http_tail(s, host, true)))
        return NULL;
    char *c = xmalloc(n + 2);
    memcpy(c, s, n);
    if (bare)
        c[n++] = '/';
    c[n] = '\0';
    return c;
}

/* What plain_join needs of a base: plain_http_url(base) and where its
 * directory ends. Kept for the last base seen by this thread: a feed
 * resolves most links against one base. */
#define PLAIN_BASE_MAX 512
static _Thread_local struct plain_base {
    char base[PLAIN_BASE_MAX];
    size_t host; /* plain_http_url(base) */
    size_t dir;  /* the length of base's directory, with its '/' */
} plain_base_cache;

static const struct plain_base *plain_base(const char *base)
{
    struct plain_base *pb = &plain_base_cache;
    if (pb->base[0] && !strcmp(pb->base, base))
        return pb;
    size_t host = plain_http_url(base, false), dir = 0;
    if (host) {
        dir = host + strcspn(base + host, "?#");
        while (base[dir - 1] != '/')
            dir--;
    }
    size_t len = strlen(base);
    if (len >= PLAIN_BASE_MAX) {
        static _Thread_local struct plain_base once; /* too long to keep */
        pb = &once;
    } else {
        memcpy(pb->base, base, len + 1);
    }
    pb->host = host;
    pb->dir = dir;
    if (pb != &plain_base_cache)
        pb->base[0] = '\0';
    return pb;
}

/* A relative path reference (no scheme, no authority, no query or fragment
 * alone) against a plain base, joined by RFC 3986 section 5.2 without curl:
 * "/x" keeps the base's scheme and host, "x" also the base's directory.
 * Only when both are plain and the result is too, so that no dot segment
 * needs removing and curl would print the result as it is; else NULL. */
static char *plain_join(const char *base, const char *ref)
{
    if (!ref[0] || ref[0] == '?' || ref[0] == '#' || (ref[0] == '/' && ref[1] == '/'))
        return NULL;
    const struct plain_base *pb = plain_base(base);
    if (!pb->host)
        return NULL;
    size_t seg = strcspn(ref, "/?#");
    if (memchr(ref, ':', seg))
        return NULL; /* "a:b" would read as a scheme */
    size_t keep = ref[0] == '/' ? pb->host : pb->dir;
    size_t rl = strlen(ref);
    char *j = xmalloc(keep + rl + 1);
    memcpy(j, base, keep);
    memcpy(j + keep, ref, rl + 1);
    /* the base's part up to keep is plain path, so only what follows its
     * last '/' needs checking (that '/' for a dot segment after it) */
    if (plain_http_tail(j, ref[0] == '/' ? keep : keep - 1, false))
        return j;
    free(j);
    return NULL;
}

/* The last base parsed by this thread: a feed resolves many links against
 * the same base, and copying a parsed handle is cheaper than parsing. */
struct base_cache {
    char *base;
    CURLU *u; /* NULL when base did not parse */
};
static pthread_key_t base_key;
static pthread_once_t base_once = PTHREAD_ONCE_INIT;

static void base_cache_free(void *p)
{
    struct base_cache *bc = p;
    free(bc->base);
    curl_url_cleanup(bc->u);
    free(bc);
}

static void base_key_init(void)
{
    if (pthread_key_create(&base_key, base_cache_free))
        abort();
}

/* url_parse(base), from the cache when base is the one parsed last. */
static CURLU *base_parse(const char *base)
{
    pthread_once(&base_once, base_key_init);
    struct base_cache *bc = pthread_getspecific(base_key);
    if (!bc) {
        bc = xcalloc(1, sizeof(*bc));
        pthread_setspecific(base_key, bc);
    }
    if (!bc->base || strcmp(bc->base, base) != 0) {
        free(bc->base);
        curl_url_cleanup(bc->u);
        bc->base = xstrdup(base);
        bc->u = url_parse(base);
    }
    return bc->u ? curl_url_dup(bc->u) : NULL;
}

/* A reference that is only a fragment ("#x") or empty, against a plain
 * base: the base less its fragment, with ref's. Only when the result is
 * plain too (what curl prints after setting the fragment); else NULL. */
static char *plain_fragment(const char *base, const char *ref, size_t rn)
{
    const struct plain_base *pb = plain_base(base);
    if (!pb->host)
        return NULL;
    size_t keep = pb->host + strcspn(base + pb->host, "#");
    char *j = xmalloc(keep + rn + 1);
    memcpy(j, base, keep);
    memcpy(j + keep, ref, rn + 1);
    if (plain_http_tail(j, pb->host, false))
        return j;
    free(j);
    return NULL;
}

const char *feed_url_as_is(const char *ref, size_t *len)
{
    while (*ref && isspace((unsigned char)*ref))
        ref++;
    size_t host = plain_http_host(ref, NULL);
    if (!host || !plain_http_tail(ref, host, true))
        return NULL; /* (a plain URL ends in no white space) */
    *len = strlen(ref);
    return ref;
}

char *feed_url_resolve(const char *base, const char *ref)
{
    if (!ref)
        return NULL;
    /* the common cases without a copy of ref first: no white space to trim
     * at its end, and an absolute plain URL or a plain join */
    const char *t = ref;
    while (*t && isspace((unsigned char)*t))
        t++;
    size_t tn = strlen(t);
    char *out = NULL;
    if (!tn || !isspace((unsigned char)t[tn - 1])) {
        if ((out = plain_http_copy(t, tn)))
            return out; /* absolute and what curl would print */
        if (base && !scheme_len(t) &&
            ((out = plain_join(base, t)) ||
             ((!t[0] || t[0] == '#') && (out = plain_fragment(base, t, tn)))))
            return out;
    }
    char *r = trimmed_copy(ref);
    if (plain_http_url(r, true))
        return r; /* absolute and already what curl would print */
    size_t sl = scheme_len(r);
    if (!sl && base && (out = plain_join(base, r))) {
        free(r);
        return out;
    }
    if (sl && strncmp(r + sl, "://", 3) != 0) {
        /* mailto:, tag:, urn: ... are opaque: nothing to resolve */
        out = r;
        r = NULL;
        goto done;
    }
    CURLU *u = NULL;
    if (base && *base && !sl)
        u = base_parse(base);
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

/* For a plain_http_url(): would the query filter below keep the query as it
 * is? True when there is no query, or when it is '&'-separated, has no empty
 * parameter and no tracking parameter. */
static bool plain_query_kept(const char *url)
{
    const char *q = strchr(url, '?');
    if (!q)
        return true;
    size_t end = strcspn(++q, "#");
    for (size_t i = 0; i < end;) {
        size_t n = strcspn(q + i, "&;#");
        if (!n || q[i + n] == ';')
            return false;
        size_t kl = strcspn(q + i, "=&#");
        if (kl > n)
            kl = n;
        if (is_tracking_param(q + i, kl))
            return false;
        i += n;
        if (i < end && q[i] == '&') {
            i++;
            if (i == end)
                return false; /* a trailing '&' */
        }
    }
    return true;
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
    if (plain_http_url(r, false) && plain_query_kept(r)) {
        r[strcspn(r, "#")] = '\0';
        return r; /* curl would only drop the fragment */
    }
    bool bare;
    if (plain_http_host(r, &bare) && bare) {
        out = plain_http_copy(r, strlen(r)); /* "http://host/" */
        free(r);
        return out;
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
    if ((n == 4 || (n == 5 && scheme[4] == 's')) && !memcmp(scheme, "http", 4))
        return true; /* most links */
    for (size_t i = 0; i < sizeof(safe_schemes) / sizeof(safe_schemes[0]); i++)
        if (strcmp(scheme, safe_schemes[i]) == 0)
            return true;
    return false;
}
