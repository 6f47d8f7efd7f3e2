/* SPDX-License-Identifier: MIT */
/* test_url.c: url.c's resolution, canonical form and scheme check.
 *
 * url.c answers the common shapes of link (an absolute http(s) URL already
 * in normal form, a relative path or a "#fragment" against such a base, a
 * bare "http://host") without libcurl, on the promise that curl would
 * print the same. These tests hold it to that promise by asking curl
 * itself, with the calls url.c makes on its slow path. */
#include "../test.h"
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "feed/feed.h"

/* What url.c's slow path gives for an absolute URL: parse, then print. */
static char *curl_round_trip(const char *url)
{
    CURLU *u = curl_url();
    char *s = NULL, *out = NULL;
    if (!curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) &&
        curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
        out = strdup(s);
        curl_free(s);
    }
    curl_url_cleanup(u);
    return out;
}

/* ... and for a "#fragment" (or empty) reference against base. */
static char *curl_fragment(const char *base, const char *ref)
{
    CURLU *u = curl_url();
    char *s = NULL, *out = NULL;
    if (!curl_url_set(u, CURLUPART_URL, base, CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) &&
        !curl_url_set(u, CURLUPART_FRAGMENT, ref[0] ? ref + 1 : NULL, 0) &&
        curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
        out = strdup(s);
        curl_free(s);
    }
    curl_url_cleanup(u);
    return out;
}

static const char *const absolute[] = {
    "https://example.com/a/b.html",
    "http://example.com/a/b?x=1&y=2#top",
    "https://example.com/search?q=million%20customer%20records",
    "https://example.com/wiki/Caf%C3%A9",
    "https://example.com/%7euser/%7Eother",
    "https://example.com/odd%zz/%2/%",
    "https://example.com/a/%2e%2e/b",
    "https://example.com/a/%2E/b?%3d%3D#%3a%3A",
    "http://www.taverncast.com",
    "https://a.b",
    "http://example.com/a/./b",
    "http://example.com/.well-known/x",
    "http://example.com/.a/6a01-120wi",
    "http://example.com/a/.",
    "http://example.com/a/..",
    "http://example.com/a/..b/.c?d=/./e",
    "http://example.com/a/.%2e/b",
    "http://example.com/a/../b",
    "http://example.com/a?#",
    "http://example.com/a#b#c",
    "http://Example.com/a",
    "http://1.2.3.4/a",
    "http://example.com:8080/a",
    "http://example.com/a b",
};

static void test_absolute_urls_print_as_curl_prints_them(void)
{
    for (size_t i = 0; i < sizeof(absolute) / sizeof(absolute[0]); i++) {
        char *want = curl_round_trip(absolute[i]);
        char *got = feed_url_resolve(NULL, absolute[i]);
        CHECK_STR(got, want);
        free(got);
        /* an absolute reference ignores the base */
        got = feed_url_resolve("https://base.example/dir/page.html", absolute[i]);
        CHECK_STR(got, want);
        free(got);
        free(want);
    }
    char *got = feed_url_resolve(NULL, "  https://example.com/x%20y \n");
    CHECK_STR(got, "https://example.com/x%20y");
    free(got);
}

static void test_fragment_references_match_curl(void)
{
    static const char *const bases[] = {
        "https://example.com/dir/page.html",
        "https://example.com/dir/page.html?q=1#old",
        "https://example.com/dir/page.html#a/b",
        "https://example.com/%7e/page.html",
    };
    static const char *const refs[] = {
        "#section-2", "#", "", "#a/b?c", "#%3A", "#x y", "#a#b",
    };
    for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
        for (size_t r = 0; r < sizeof(refs) / sizeof(refs[0]); r++) {
            char *want = curl_fragment(bases[b], refs[r]);
            char *got = feed_url_resolve(bases[b], refs[r]);
            CHECK_STR(got, want);
            free(got);
            free(want);
        }
}

static void test_relative_paths_join_by_rfc_3986(void)
{
    static const struct {
        const char *base, *ref, *want;
    } cases[] = {
        {"https://example.com/dir/page.html", "other.html", "https://example.com/dir/other.html"},
        {"https://example.com/dir/page.html", "/top?x=1", "https://example.com/top?x=1"},
        {"https://example.com/dir/page.html?q#f", "sub/x", "https://example.com/dir/sub/x"},
        {"https://example.com/dir/page.html", "../up", "https://example.com/up"},
        {"https://example.com/dir/page.html", "./same", "https://example.com/dir/same"},
        {"https://example.com/dir/page.html", "a%20b", "https://example.com/dir/a%20b"},
        {"https://example.com/dir/", "?q=2", "https://example.com/dir/?q=2"},
        {"https://example.com/dir/", "//cdn.example/x", "https://cdn.example/x"},
        {"https://example.com/dir/", "mailto:jo@example.com", "mailto:jo@example.com"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = feed_url_resolve(cases[i].base, cases[i].ref);
        CHECK_STR(got, cases[i].want);
        free(got);
        /* the same again: the second answer comes from the cached base */
        got = feed_url_resolve(cases[i].base, cases[i].ref);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
}

/* url.c keeps the last base each thread joined against. It must key on the
 * base's text, not its address: a feed's buffer is rewritten in place (or
 * freed and its address handed out again) with another base in it. A base
 * too long to keep, and one per thread, must join the same way. */
struct join_job {
    const char *base, *ref, *want;
    int mismatches;
};

static void *join_many(void *p)
{
    struct join_job *j = p;
    for (int i = 0; i < 2000; i++) {
        char *got = feed_url_resolve(j->base, j->ref);
        if (!got || strcmp(got, j->want))
            j->mismatches++;
        free(got);
    }
    return NULL;
}

static void test_base_cache_keys_on_text(void)
{
    char base[64];
    strcpy(base, "https://example.com/one/page.html");
    char *got = feed_url_resolve(base, "x.html");
    CHECK_STR(got, "https://example.com/one/x.html");
    free(got);
    strcpy(base, "https://example.org/second/dir/");
    got = feed_url_resolve(base, "x.html");
    CHECK_STR(got, "https://example.org/second/dir/x.html");
    free(got);
    got = feed_url_resolve(base, "#f");
    CHECK_STR(got, "https://example.org/second/dir/#f");
    free(got);

    /* a base above the cache's 512 bytes, between two short ones */
    struct buf long_base = BUF_INIT, want = BUF_INIT;
    buf_addstr(&long_base, "https://example.net/");
    for (int i = 0; i < 60; i++)
        buf_addstr(&long_base, "segment/");
    buf_add(&want, long_base.ptr, long_base.len);
    buf_addstr(&long_base, "page.html?q=1");
    buf_addstr(&want, "x.html");
    for (int round = 0; round < 2; round++) {
        got = feed_url_resolve(long_base.ptr, "x.html");
        CHECK_STR(got, want.ptr);
        free(got);
        got = feed_url_resolve(base, "x.html");
        CHECK_STR(got, "https://example.org/second/dir/x.html");
        free(got);
    }
    buf_release(&long_base);
    buf_release(&want);

    /* two threads, each with its own base */
    struct join_job jobs[2] = {
        {"https://a.example/d/p.html", "q.html", "https://a.example/d/q.html", 0},
        {"https://b.example/e/", "q.html", "https://b.example/e/q.html", 0},
    };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        CHECK(!pthread_create(&t[i], NULL, join_many, &jobs[i]));
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        CHECK_INT(jobs[i].mismatches, 0);
    }
}

static void test_canonical_form(void)
{
    static const struct {
        const char *url, *want;
    } cases[] = {
        {"http://www.taverncast.com", "http://www.taverncast.com/"},
        {"https://example.com/a?utm_source=x&id=3#frag", "https://example.com/a?id=3"},
        {"https://example.com/a?id=3#frag", "https://example.com/a?id=3"},
        {"HTTPS://Example.COM:443/a", "https://example.com/a"},
        {"ftp://example.com/a", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = feed_url_canonical(cases[i].url);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
    /* a query with percent-escapes is left to curl, which prints their hex
     * digits in lower case */
    char *got = feed_url_canonical("https://example.com/s?q=site%3Aexample.org");
    CHECK_STR(got, "https://example.com/s?q=site%3aexample.org");
    free(got);
}

static void test_safe_schemes(void)
{
    CHECK(feed_url_is_safe("http://example.com/"));
    CHECK(feed_url_is_safe("HTTPS://example.com/"));
    CHECK(feed_url_is_safe("mailto:jo@example.com"));
    CHECK(feed_url_is_safe("/relative:path"));
    CHECK(feed_url_is_safe("no-colon"));
    CHECK(!feed_url_is_safe("javascript:alert(1)"));
    CHECK(!feed_url_is_safe("java\tscript:alert(1)"));
    CHECK(!feed_url_is_safe("data:text/html,x"));
    CHECK(!feed_url_is_safe("httpx://example.com/"));
    CHECK(!feed_url_is_safe(":nothing"));
}

TESTS(TEST(test_absolute_urls_print_as_curl_prints_them), TEST(test_fragment_references_match_curl),
      TEST(test_relative_paths_join_by_rfc_3986), TEST(test_canonical_form),
      TEST(test_safe_schemes), TEST(test_base_cache_keys_on_text))
