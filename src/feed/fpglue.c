/* SPDX-License-Identifier: MIT */
/* fpglue.c: between fp.c's feedparser-shaped tree and achim's model.
 *
 * fp.c builds each entry as feedparser would report it; this file turns a
 * finished entry into the struct article that ingest stores (plain-text
 * title and summary, sanitised HTML, absolute links, dates in UTC seconds),
 * assembles the document-level result, and holds the small helpers that
 * mimic Python's library behaviour where feedparser leans on it (urljoin,
 * urlsplit's scheme, the e-mail pattern). */
#include "feed/feed_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "base/xalloc.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void fp_bozo_type(struct feed_ctx *c, const char *type)
{
    c->bozo_type = type; /* as in feedparser, the last exception is reported */
}

bool fp_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
#if defined(__SSE2__)
        /* ASCII 64, then 16 bytes at a time (documents are mostly ASCII
         * markup) */
        while (n - i >= 64) {
            const __m128i *q = (const __m128i *)(const void *)(p + i);
            __m128i any =
                _mm_or_si128(_mm_or_si128(_mm_loadu_si128(q), _mm_loadu_si128(q + 1)),
                             _mm_or_si128(_mm_loadu_si128(q + 2), _mm_loadu_si128(q + 3)));
            if (_mm_movemask_epi8(any))
                break;
            i += 64;
        }
        while (n - i >= 16 &&
               !_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i))))
            i += 16;
        if (i == n)
            break;
#endif
        if (n - i >= 8) { /* ASCII 8 bytes at a time */
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = p[i];
        size_t k;
        unsigned long cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + k >= n + 0 && i + k > n - 0)
            if (i + k >= n + 1)
                return false;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (p[i + j] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += k + 1;
    }
    return true;
}

bool fp_html_entity_known(const char *name, size_t n, char out[8])
{
    if (n == 4 && !memcmp(name, "apos", 4))
        return false;
    return feed_html_entity(name, n, out) > 0;
}

/* ([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))
 * ([a-zA-Z]{2,4}|[0-9]{1,3})(\]?)(\?subject=\S+)? */
char *fp_find_email(const char *s)
{
    for (const char *at = strchr(s, '@'); at; at = strchr(at + 1, '@')) {
        const char *st = at;
        while (st > s && (isalnum((unsigned char)st[-1]) || strchr("_-.+", st[-1])))
            st--;
        if (st == at)
            continue;
        const char *p = at + 1;
        /* domain labels: ([a-zA-Z0-9-]+\.)+ then a 2-4 letter TLD (greedy with backtracking) */
        const char *labels_end = NULL;
        const char *q = p;
        const char *ends[64];
        int ne = 0;
        for (;;) {
            const char *r = q;
            while (isalnum((unsigned char)*r) || *r == '-')
                r++;
            if (r == q || *r != '.')
                break;
            q = r + 1;
            if (ne < 64)
                ends[ne++] = q;
        }
        const char *end = NULL;
        for (int k = ne - 1; k >= 0 && !end; k--) {
            const char *t = ends[k];
            int n = 0;
            while (isalpha((unsigned char)t[n]) && n < 4)
                n++;
            if (n >= 2) {
                end = t + n;
                break;
            }
            n = 0;
            while (isdigit((unsigned char)t[n]) && n < 3)
                n++;
            if (n >= 1)
                end = t + n;
        }
        (void)labels_end;
        if (!end)
            continue;
        if (*end == ']')
            end++;
        if (!strncmp(end, "?subject=", 9) && end[9] && !isspace((unsigned char)end[9])) {
            end += 9;
            while (*end && !isspace((unsigned char)*end))
                end++;
        }
        return xstrndup(st, (size_t)(end - st));
    }
    return NULL;
}

/* ---- Python's urllib.parse ------------------------------------------------------- */

struct split {
    char *scheme, *netloc, *path, *query, *fragment;
    bool has_query, has_fragment;
};

static bool scheme_char(char c)
{
    return isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.';
}

static void urlsplit(const char *url0, const char *defscheme, struct split *sp)
{
    while (*url0 && (unsigned char)*url0 <= ' ')
        url0++;
    struct buf b = BUF_INIT;
    for (const char *p = url0; *p; p++)
        if (*p != '\t' && *p != '\r' && *p != '\n')
            buf_addch(&b, *p);
    char *url = buf_take(&b);
    char *u = url;
    sp->scheme = xstrdup(defscheme);
    char *colon = strchr(u, ':');
    if (colon && colon > u && isalpha((unsigned char)u[0])) {
        bool ok = true;
        for (char *p = u; p < colon; p++)
            if (!scheme_char(*p))
                ok = false;
        if (ok) {
            free(sp->scheme);
            sp->scheme = xstrndup(u, (size_t)(colon - u));
            for (char *p = sp->scheme; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            u = colon + 1;
        }
    }
    if (u[0] == '/' && u[1] == '/') {
        size_t n = strcspn(u + 2, "/?#");
        sp->netloc = xstrndup(u + 2, n);
        u += 2 + n;
    } else {
        sp->netloc = xstrdup("");
    }
    char *hash = strchr(u, '#');
    sp->fragment = xstrdup(hash ? hash + 1 : "");
    size_t plen = hash ? (size_t)(hash - u) : strlen(u);
    char *rest = xstrndup(u, plen);
    char *q = strchr(rest, '?');
    sp->query = xstrdup(q ? q + 1 : "");
    if (q)
        *q = '\0';
    sp->path = rest;
    free(url);
}

static void split_free(struct split *sp)
{
    free(sp->scheme);
    free(sp->netloc);
    free(sp->path);
    free(sp->query);
    free(sp->fragment);
}

bool fp_url_scheme(const char *url, char *out, size_t cap)
{
    struct split sp;
    urlsplit(url, "", &sp);
    bool ok = *sp.scheme && strlen(sp.scheme) < cap;
    if (ok)
        strcpy(out, sp.scheme);
    split_free(&sp);
    return ok;
}

static bool in_l(const char *s, const char *const *l)
{
    for (; *l; l++)
        if (!strcmp(s, *l))
            return true;
    return false;
}

static const char *const uses_relative[] = {
    "",    "ftp",      "http", "gopher", "nntp", "imap", "wais",    "file", "https", "shttp",
    "mms", "prospero", "rtsp", "rtspu",  "sftp", "svn",  "svn+ssh", "ws",   "wss",   NULL,
};
static const char *const uses_netloc[] = {
    "",        "ftp",   "http",  "gopher", "nntp",     "telnet", "imap",  "wais",  "file",
    "mms",     "https", "shttp", "snews",  "prospero", "rtsp",   "rtspu", "rsync", "svn",
    "svn+ssh", "sftp",  "nfs",   "git",    "git+ssh",  "ws",     "wss",   NULL,
};

static char *unsplit(const char *scheme, const char *netloc, const char *path, const char *query,
                     const char *fragment)
{
    struct buf b = BUF_INIT;
    if (*netloc || (*scheme && in_l(scheme, uses_netloc) && strncmp(path, "//", 2))) {
        buf_addstr(&b, "//");
        buf_addstr(&b, netloc);
        if (*path && path[0] != '/')
            buf_addch(&b, '/');
    }
    buf_addstr(&b, path);
    struct buf o = BUF_INIT;
    if (*scheme)
        buf_addf(&o, "%s:", scheme);
    buf_add(&o, b.ptr, b.len);
    buf_release(&b);
    if (*query)
        buf_addf(&o, "?%s", query);
    if (*fragment)
        buf_addf(&o, "#%s", fragment);
    return buf_take(&o);
}

static char *urljoin(const char *base, const char *url)
{
    if (!*base)
        return xstrdup(url);
    if (!*url)
        return xstrdup(base);
    struct split b, u;
    urlsplit(base, "", &b);
    urlsplit(url, b.scheme, &u);
    char *r = NULL;
    if (strcmp(u.scheme, b.scheme) || !in_l(u.scheme, uses_relative)) {
        r = xstrdup(url);
        goto out;
    }
    const char *netloc = u.netloc;
    if (in_l(u.scheme, uses_netloc)) {
        if (*u.netloc) {
            r = unsplit(u.scheme, u.netloc, u.path, u.query, u.fragment);
            goto out;
        }
        netloc = b.netloc;
    }
    if (!*u.path) {
        r = unsplit(u.scheme, netloc, b.path, *u.query ? u.query : b.query, u.fragment);
        goto out;
    }
    /* merge and remove dot segments the way Python does */
    size_t nseg = 0, cap = 0;
    char **segs = NULL;
    char *bp = xstrdup(b.path), *up = xstrdup(u.path);
    if (up[0] != '/') {
        /* base_parts = bpath.split('/'), last dropped unless empty */
        char *p = bp;
        for (;;) {
            char *sl = strchr(p, '/');
            XGROW(segs, nseg + 1, cap);
            segs[nseg++] = xstrndup(p, sl ? (size_t)(sl - p) : strlen(p));
            if (!sl)
                break;
            p = sl + 1;
        }
        if (nseg && *segs[nseg - 1]) {
            free(segs[--nseg]);
        }
    }
    {
        char *p = up;
        for (;;) {
            char *sl = strchr(p, '/');
            XGROW(segs, nseg + 1, cap);
            segs[nseg++] = xstrndup(p, sl ? (size_t)(sl - p) : strlen(p));
            if (!sl)
                break;
            p = sl + 1;
        }
    }
    if (up[0] != '/' && nseg > 2) {
        /* segments[1:-1] = filter(None, segments[1:-1]) */
        size_t w = 1;
        for (size_t i = 1; i + 1 < nseg; i++) {
            if (*segs[i])
                segs[w++] = segs[i];
            else
                free(segs[i]);
        }
        segs[w++] = segs[nseg - 1];
        nseg = w;
    }
    char **res = xcalloc(nseg + 1, sizeof(char *));
    size_t nr = 0;
    for (size_t i = 0; i < nseg; i++) {
        if (!strcmp(segs[i], "..")) {
            if (nr)
                nr--;
        } else if (!strcmp(segs[i], ".")) {
            continue;
        } else {
            res[nr++] = segs[i];
        }
    }
    if (nseg && (!strcmp(segs[nseg - 1], ".") || !strcmp(segs[nseg - 1], "..")))
        res[nr++] = (char *)"";
    struct buf pb = BUF_INIT;
    for (size_t i = 0; i < nr; i++) {
        if (i)
            buf_addch(&pb, '/');
        buf_addstr(&pb, res[i]);
    }
    if (!pb.len)
        buf_addch(&pb, '/');
    r = unsplit(u.scheme, netloc, pb.ptr, u.query, u.fragment);
    buf_release(&pb);
    for (size_t i = 0; i < nseg; i++)
        free(segs[i]);
    free(segs);
    free(res);
    free(bp);
    free(up);
out:
    split_free(&b);
    split_free(&u);
    return r;
}

/* Is ref an absolute http(s) URL that urljoin() gives back unchanged
 * whatever the base? Lower-case scheme, a host right after "//" (so the
 * slash fix below does nothing), no tab or line break for urlsplit to
 * drop, and no empty query or fragment for unsplit to drop. Most links
 * in feeds are, and this saves splitting both URLs. */
static bool url_joins_to_itself(const char *ref)
{
    const char *p = !strncmp(ref, "http://", 7)    ? ref + 7
                    : !strncmp(ref, "https://", 8) ? ref + 8
                                                   : NULL;
    if (!p || !*p || *p == '/' || *p == '?' || *p == '#')
        return false;
    const char *query = NULL, *frag = NULL;
    /* (strcspn finds the next byte of interest faster than a byte loop) */
    for (p += strcspn(p, "\t\r\n#?"); *p; p += 1 + strcspn(p + 1, "\t\r\n#?")) {
        if (*p == '\t' || *p == '\r' || *p == '\n')
            return false;
        if (*p == '#' && !frag)
            frag = p;
        else if (*p == '?' && !query && !frag)
            query = p;
    }
    if (frag && !frag[1])
        return false;
    if (query && (!query[1] || query + 1 == frag))
        return false;
    return true;
}

char *fp_urljoin_take(const char *base, char *ref)
{
    if (ref && url_joins_to_itself(ref))
        return ref; /* (no copy to make and free) */
    char *r = fp_urljoin(base, ref);
    free(ref);
    return r;
}

char *fp_urljoin(const char *base, const char *ref)
{
    if (!ref)
        ref = "";
    if (!base)
        base = "";
    if (url_joins_to_itself(ref))
        return xstrdup(ref);
    /* a scheme urljoin does not resolve against ("tag:", "urn:", "mailto:",
     * common in ids) leaves the reference as it is: the scheme as urlsplit
     * finds it, with nothing for the fix below ("scheme://") */
    if (isalpha((unsigned char)*ref)) {
        const char *q = ref + 1;
        while (scheme_char(*q))
            q++;
        char scheme[16];
        size_t n = (size_t)(q - ref);
        if (*q == ':' && !(q[1] == '/' && q[2] == '/') && n < sizeof(scheme)) {
            for (size_t i = 0; i < n; i++)
                scheme[i] = (char)tolower((unsigned char)ref[i]);
            scheme[n] = '\0';
            if (!in_l(scheme, uses_relative))
                return xstrdup(ref);
        }
    }
    /* _urifixer: extra slashes after "scheme://" are dropped */
    const char *p = ref;
    char *fixed = NULL;
    if (isalpha((unsigned char)*p)) {
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '+' || *q == ',' || *q == '-' || *q == '.')
            q++;
        if (!strncmp(q, "://", 3)) {
            const char *r = q + 3;
            while (*r == '/')
                r++;
            struct buf b = BUF_INIT;
            buf_add(&b, p, (size_t)(q + 3 - p));
            buf_addstr(&b, r);
            fixed = buf_take(&b);
        }
    }
    char *out = urljoin(base, fixed ? fixed : ref);
    free(fixed);
    return out;
}

/* ---- entries to articles ------------------------------------------------------ */

/* The feed's reusable HTML parser, made on first use. */
static struct feed_html_parser *html_parser(struct feed_ctx *c)
{
    if (!c->html)
        c->html = feed_html_parser_new();
    return c->html;
}

/* The xml:base in effect for a raw value, else the document's base. */
static const char *base_of(const struct feed_ctx *c, const char *base)
{
    return base && *base ? base : c->base;
}

/* Text (already tidied), NULL when empty. */
static char *nonempty(char *t)
{
    if (t && !*t) {
        free(t);
        return NULL;
    }
    return t;
}

/* Plain text of a value of the given type (or that looks like HTML when
 * guess is set); NULL when empty. */
static char *plain(struct feed_ctx *c, const char *value, const char *type, bool guess)
{
    if (!value || !*value)
        return NULL;
    bool html = (type && strstr(type, "html")) || (guess && feed_looks_like_html(value));
    char *t = NULL;
    if (html)
        feed_html_render(html_parser(c), value, NULL, &t, NULL);
    else
        t = feed_text_tidy(xstrdup(value));
    return nonempty(t);
}

static const char *detail_type(const cJSON *e, const char *key)
{
    char k[64];
    size_t n = strlen(key);
    if (n + sizeof("_detail") > sizeof(k))
        return NULL; /* (the keys asked for are short) */
    memcpy(k, key, n);
    memcpy(k + n, "_detail", sizeof("_detail"));
    return fp_jstr(fp_jget(e, k), "type");
}

/* The keys fp_entry_done reads, found in one pass over the entry (an
 * entry holds a few dozen keys; a lookup per key walked them each time).
 * The first item of a key wins, as fp_jget finds it. */
struct entry_keys {
    const cJSON *id, *link, *title, *title_detail, *content, *summary, *summary_detail, *authors,
        *author_detail, *author, *tags, *published, *created, *updated;
};

/* The key names entry_keys looks for. fp.c stores these keys as the very
 * strings of its literals (cJSON's constant keys), and the linker usually
 * merges equal literals: a key is then recognised by its address, without a
 * strcmp call per candidate; any other key is compared as text. */
static const char *const key_author = "author";
static const char *const key_authors = "authors";
static const char *const key_author_detail = "author_detail";
static const char *const key_content = "content";
static const char *const key_created = "created";
static const char *const key_id = "id";
static const char *const key_link = "link";
static const char *const key_published = "published";
static const char *const key_summary = "summary";
static const char *const key_summary_detail = "summary_detail";
static const char *const key_title = "title";
static const char *const key_title_detail = "title_detail";
static const char *const key_tags = "tags";
static const char *const key_updated = "updated";

static void entry_keys(const cJSON *e, struct entry_keys *k)
{
    memset(k, 0, sizeof(*k));
    for (const cJSON *c = e ? e->child : NULL; c && c->string; c = c->next) {
        const char *s = c->string;
        const cJSON **slot = NULL;
        switch (s[0]) {
        case 'a':
            slot = s == key_author                  ? &k->author
                   : s == key_authors               ? &k->authors
                   : s == key_author_detail         ? &k->author_detail
                   : fp_streq(s, key_author)        ? &k->author
                   : fp_streq(s, key_authors)       ? &k->authors
                   : fp_streq(s, key_author_detail) ? &k->author_detail
                                                    : NULL;
            break;
        case 'c':
            slot = s == key_content           ? &k->content
                   : s == key_created         ? &k->created
                   : fp_streq(s, key_content) ? &k->content
                   : fp_streq(s, key_created) ? &k->created
                                              : NULL;
            break;
        case 'i': slot = s == key_id || fp_streq(s, key_id) ? &k->id : NULL; break;
        case 'l': slot = s == key_link || fp_streq(s, key_link) ? &k->link : NULL; break;
        case 'p':
            slot = s == key_published || fp_streq(s, key_published) ? &k->published : NULL;
            break;
        case 's':
            slot = s == key_summary                  ? &k->summary
                   : s == key_summary_detail         ? &k->summary_detail
                   : fp_streq(s, key_summary)        ? &k->summary
                   : fp_streq(s, key_summary_detail) ? &k->summary_detail
                                                     : NULL;
            break;
        case 't':
            slot = s == key_title                  ? &k->title
                   : s == key_title_detail         ? &k->title_detail
                   : s == key_tags                 ? &k->tags
                   : fp_streq(s, key_title)        ? &k->title
                   : fp_streq(s, key_title_detail) ? &k->title_detail
                   : fp_streq(s, key_tags)         ? &k->tags
                                                   : NULL;
            break;
        case 'u': slot = s == key_updated || fp_streq(s, key_updated) ? &k->updated : NULL; break;
        default: break;
        }
        if (slot && !*slot)
            *slot = c;
    }
}

/* The list's text capped at max, or NULL when it is empty; the list is
 * emptied for the next use. */
static char *list_take(struct buf *list, size_t max)
{
    size_t n = list->len;
    char *s = n ? feed_cap_n(buf_take(list), n, max) : NULL;
    buf_release(list);
    return s;
}

/* fp_jstr() of an item found by entry_keys. */
static const char *str_of(const cJSON *v)
{
    return fp_jis_string(v) ? v->valuestring : NULL;
}

static int64_t date_of(const char *s)
{
    int64_t t;
    return s && feed_date_parse(s, &t) ? t : 0;
}

void fp_raw_release(struct fp_raw *r)
{
    free(r->content);
    free(r->content_base);
    free(r->summary);
    free(r->summary_base);
    memset(r, 0, sizeof(*r));
}

void fp_entry_done(struct feed_ctx *c, cJSON *entries, cJSON *e, const char *raw_id,
                   const struct fp_raw *raw)
{
    size_t max = c->max_field;
    if (c->stopped)
        goto drop;
    if (c->nseen >= FEED_MAX_ENTRIES) {
        feed_bozo(c, "more than %d entries; the rest were ignored", FEED_MAX_ENTRIES);
        c->stopped = true;
        goto drop;
    }
    struct article *a = feed_entry_new(c);
    struct entry_keys k;
    entry_keys(e, &k);
    const char *id = raw_id && *raw_id ? raw_id : str_of(k.id);
    /* (lengths carried from copy to tidy-up to cap, each measured once) */
    if (id && *id) {
        size_t n = strlen(id);
        char *g = feed_dup_n(id, n);
        a->guid = feed_cap_n(g, feed_text_line_n(g, n), max);
    }
    const char *link = str_of(k.link);
    if (link && *link) {
        size_t n = strlen(link);
        a->url = feed_cap_n(feed_dup_n(link, n), n, max);
        a->canonical_url = feed_url_canonical(a->url);
    }
    bool guess = !c->fp_version || strncmp(c->fp_version, "atom", 4);
    char *t = plain(c, str_of(k.title), fp_jstr(k.title_detail, "type"), guess);
    a->title = t ? feed_cap_n(t, feed_text_line_n(t, strlen(t)), max) : NULL;
    const cJSON *content = cJSON_GetArrayItem(k.content, 0);
    const char *cv = fp_jstr(content, "value"), *ct = fp_jstr(content, "type");
    bool has_content = cv && *cv;
    const char *sv = str_of(k.summary), *st = fp_jstr(k.summary_detail, "type");
    /* feedparser copies the content to a missing summary (without a
     * summary_detail): its text is the content's */
    bool summary_is_content = !st && has_content && sv && !strcmp(sv, cv);
    if (summary_is_content)
        st = ct;
    /* content_html: the product's own, stricter sanitiser on the HTML as
     * published (raw), since it reaches pages and mail; that HTML is parsed
     * once for both its plain text and its sanitised form */
    bool html_from_content = has_content && raw->content && (!ct || strstr(ct, "html"));
    bool html_from_summary = !has_content && raw->summary;
    bool content_rendered = has_content && raw->content && ct && strstr(ct, "html");
    if (content_rendered) {
        char *text = NULL;
        feed_html_render(html_parser(c), raw->content, base_of(c, raw->content_base), &text,
                         &a->content_html);
        a->content = feed_cap(nonempty(text), max);
    } else {
        a->content = feed_cap(plain(c, cv, ct, false), max);
        if (html_from_content)
            feed_html_render(html_parser(c), raw->content, base_of(c, raw->content_base), NULL,
                             &a->content_html);
    }
    bool summary_rendered = sv && *sv && st && strstr(st, "html") && raw->summary;
    if (summary_is_content && !html_from_summary) {
        a->summary = xstrdup(a->content);
    } else if (summary_rendered && content_rendered && !strcmp(raw->summary, raw->content)) {
        a->summary = xstrdup(a->content); /* the same HTML twice: one parse */
    } else if (summary_rendered) {
        char *text = NULL;
        feed_html_render(html_parser(c), raw->summary, base_of(c, raw->summary_base), &text,
                         html_from_summary ? &a->content_html : NULL);
        a->summary = feed_cap(nonempty(text), max);
    } else {
        a->summary = feed_cap(plain(c, sv, st, false), max);
        if (html_from_summary)
            feed_html_render(html_parser(c), raw->summary, base_of(c, raw->summary_base), NULL,
                             &a->content_html);
    }
    const char *hv = has_content ? cv : sv;
    const char *ht = has_content ? ct : st;
    if (!html_from_content && !html_from_summary && hv && *hv) {
        if (ht && strstr(ht, "html")) {
            a->content_html = feed_html_sanitize(hv, c->base);
        } else {
            struct buf b = BUF_INIT;
            feed_html_escape(&b, hv, strlen(hv));
            a->content_html = buf_take(&b);
        }
    }
    feed_cap(a->content_html, max);
    const char *lang = fp_jstr(k.title_detail, "language");
    if (!lang)
        lang = fp_jstr(k.summary_detail, "language");
    if (!lang)
        lang = fp_jstr(c->jfeed, "language");
    if (!lang)
        lang = c->opts->content_language;
    if (lang && *lang)
        a->language = feed_text_line(xstrdup(lang));
    struct buf list = BUF_INIT;
    const cJSON *it;
    cJSON_ArrayForEach(it, k.authors)
    {
        const char *n = fp_jstr(it, "name");
        feed_list_add(&list, n && *n ? n : fp_jstr(it, "email"));
    }
    if (!list.len) {
        const char *au = fp_jstr(k.author_detail, "name");
        feed_list_add(&list, au ? au : str_of(k.author));
    }
    if (!list.len && c->jfeed) {
        const char *au = fp_jstr(fp_jget(c->jfeed, "author_detail"), "name");
        feed_list_add(&list, au ? au : fp_jstr(c->jfeed, "author"));
    }
    a->authors = list_take(&list, max);
    cJSON_ArrayForEach(it, k.tags)
    {
        const char *label = fp_jstr(it, "label");
        feed_list_add(&list, label && *label ? label : fp_jstr(it, "term"));
    }
    a->tags = list_take(&list, max);
    a->published = date_of(str_of(k.published));
    if (!a->published)
        a->published = date_of(str_of(k.created));
    a->updated = date_of(str_of(k.updated));
    if (!a->published && a->updated && c->fp_version && strncmp(c->fp_version, "atom", 4))
        a->published = a->updated;
    feed_entry_done(c, a);
drop:
    if (!c->opts->detail) {
        cJSON_DetachItemViaPointer(entries, e);
        fp_jrecycle(e);
    }
}

void fp_result(struct feed_ctx *c, cJSON *feed, cJSON *entries, cJSON *ns, const char *version,
               size_t nentries)
{
    c->jfeed = feed;
    c->jentries = entries;
    c->jns = ns;
    struct feed_doc *doc = c->doc;
    const char *v = c->dt_version[0] ? c->dt_version : version;
    free(doc->version);
    doc->version = xstrdup(v ? v : "");
    if (!strncmp(doc->version, "atom", 4))
        doc->format = FEED_FORMAT_ATOM;
    else if (!strcmp(doc->version, "rss10") || !strcmp(doc->version, "rss090"))
        doc->format = FEED_FORMAT_RDF;
    else if (!strncmp(doc->version, "rss", 3))
        doc->format = FEED_FORMAT_RSS;
    else if (!strcmp(doc->version, "cdf"))
        doc->format = FEED_FORMAT_CDF;
    const char *title = fp_jstr(feed, "title");
    if (title) {
        char *t = plain(c, title, detail_type(feed, "title"), true);
        doc->title = t ? feed_text_line(t) : NULL;
    }
    const char *link = fp_jstr(feed, "link");
    if (link && *link)
        doc->link = xstrdup(link);
    const char *sub = fp_jstr(feed, "subtitle");
    if (sub) {
        char *t = plain(c, sub, detail_type(feed, "subtitle"), false);
        doc->subtitle = t ? feed_text_line(t) : NULL;
    }
    const char *lang = fp_jstr(feed, "language");
    if (lang && *lang) {
        free(doc->language);
        doc->language = xstrdup(lang);
    }
    (void)nentries;
}

static void detail_free(void *p)
{
    cJSON_Delete(p);
}

/* Build the feedparser-shaped result and attach it to the document. */
void fp_attach_detail(struct feed_ctx *c)
{
    struct feed_doc *doc = c->doc;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "bozo", doc->bozo);
    if (doc->bozo) {
        cJSON *ex = cJSON_AddObjectToObject(root, "bozo_exception");
        cJSON_AddStringToObject(ex, "type", c->bozo_type ? c->bozo_type : "SAXParseException");
        cJSON_AddStringToObject(ex, "message", doc->bozo_message ? doc->bozo_message : "");
    }
    cJSON_AddStringToObject(root, "encoding", doc->encoding ? doc->encoding : "");
    cJSON_AddStringToObject(root, "version", doc->version ? doc->version : "");
    cJSON_AddItemToObject(root, "namespaces", c->jns ? c->jns : cJSON_CreateObject());
    cJSON_AddItemToObject(root, "feed", c->jfeed ? c->jfeed : cJSON_CreateObject());
    cJSON_AddItemToObject(root, "entries", c->jentries ? c->jentries : cJSON_CreateArray());
    c->jns = c->jfeed = c->jentries = NULL;
    doc->detail = root;
    doc->detail_free = detail_free;
}

struct cJSON *feed_detail_take(struct feed_doc *doc)
{
    if (!doc || !doc->detail)
        return NULL;
    cJSON *r = doc->detail;
    doc->detail = NULL;
    return r;
}
