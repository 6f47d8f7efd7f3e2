/* SPDX-License-Identifier: MIT */
/* test_fptypes.c: content types and text repairs in the element handlers.
 *
 * fp.c maps a text construct's type as feedparser's mapContentType does
 * (lower case, "text"/"html"/"xhtml" made MIME types), picks an entry's
 * link among its <link>s by rel and type (in any case), and repairs text
 * that was UTF-8 read as ISO-8859-1 or that holds windows-1252 code points.
 * Each case is parsed twice, with the detail tree (the FEED-JSON contract)
 * and streamed without it (ingest), and both views are checked. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "feed/feed.h"
#include "model/model.h"

static cJSON *root;
static struct feed_doc *doc;
static struct article streamed[4];
static size_t nstreamed;

static void release(void)
{
    cJSON_Delete(root);
    feed_doc_free(doc);
    root = NULL;
    doc = NULL;
    for (size_t i = 0; i < nstreamed; i++)
        article_release(&streamed[i]);
    memset(streamed, 0, sizeof(streamed));
    nstreamed = 0;
}

static bool keep_entry(void *arg, struct article *a)
{
    (void)arg;
    if (nstreamed < sizeof(streamed) / sizeof(streamed[0])) {
        streamed[nstreamed++] = *a; /* takes the strings */
        memset(a, 0, sizeof(*a));
    }
    return true;
}

/* Parse s with the detail tree (root, doc) and streamed (streamed[]). */
static bool parse(const char *s)
{
    release();
    struct feed_parse_opts o = {.url = "http://types.example/feed.xml", .detail = true};
    if (feed_parse_buffer(s, strlen(s), &o, &doc, NULL) != ACHIM_OK)
        return false;
    root = feed_detail_take(doc);
    struct feed_doc *d2 = NULL;
    struct feed_parse_opts o2 = {.url = "http://types.example/feed.xml", .on_entry = keep_entry};
    bool ok = feed_parse_buffer(s, strlen(s), &o2, &d2, NULL) == ACHIM_OK;
    feed_doc_free(d2);
    return ok && root;
}

static const char *str_at(const char *path)
{
    const cJSON *n = root;
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    char *save = NULL;
    for (char *k = strtok_r(buf, ".", &save); k && n; k = strtok_r(NULL, ".", &save))
        n = cJSON_IsArray(n) ? cJSON_GetArrayItem(n, atoi(k))
                             : cJSON_GetObjectItemCaseSensitive(n, k);
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

/* The article of entry i, the same with and without the detail tree. */
static const struct article *entry(size_t i)
{
    if (!doc || i >= doc->nentries || i >= nstreamed)
        return NULL;
    const struct article *a = &doc->entries[i], *b = &streamed[i];
    CHECK_STR(b->url, a->url);
    CHECK_STR(b->title, a->title);
    CHECK_STR(b->summary, a->summary);
    CHECK_STR(b->content_html, a->content_html);
    return a;
}

#define ATOM_HEAD "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"

/* Text construct types, however they are spelt, and the types they map to. */
static void test_text_construct_types(void)
{
    CHECK(parse(ATOM_HEAD
                "<entry><title type='HTML'>a &lt;b&gt;bold&lt;/b&gt; one</title>"
                "<summary type='Text'>plain &lt;i&gt;text&lt;/i&gt;</summary></entry>"
                "<entry><title type='XHTML'><div xmlns='http://www.w3.org/1999/xhtml'>x "
                "<b>y</b></div></title><summary type='Application/X-Thing'>z</summary></entry>"
                "<entry><title type='text/PLAIN'>t</title></entry>"
                "</feed>"));
    CHECK_STR(str_at("entries.0.title_detail.type"), "text/html");
    CHECK_STR(str_at("entries.0.summary_detail.type"), "text/plain");
    CHECK_STR(str_at("entries.1.title_detail.type"), "application/xhtml+xml");
    CHECK_STR(str_at("entries.1.summary_detail.type"), "application/x-thing");
    CHECK_STR(str_at("entries.2.title_detail.type"), "text/plain");
    const struct article *a = entry(0);
    CHECK(a != NULL);
    if (a) {
        CHECK_STR(a->title, "a bold one");          /* HTML made text */
        CHECK_STR(a->summary, "plain <i>text</i>"); /* text stays as it is */
    }
    a = entry(1);
    CHECK(a != NULL);
    if (a)
        CHECK_STR(a->title, "x y");
}

/* A type longer than the handlers' buffer for it is mapped all the same. */
static void test_long_type(void)
{
    char type[200];
    memset(type, 'Q', sizeof(type) - 1);
    memcpy(type, "Application/", 12);
    type[sizeof(type) - 1] = '\0';
    char want[200];
    for (size_t i = 0; i < sizeof(type); i++)
        want[i] = (char)(type[i] >= 'A' && type[i] <= 'Z' ? type[i] + 32 : type[i]);
    char doc_text[1024];
    snprintf(doc_text, sizeof(doc_text),
             ATOM_HEAD "<entry><title type='%s'>long</title></entry></feed>", type);
    CHECK(parse(doc_text));
    CHECK_STR(str_at("entries.0.title_detail.type"), want);
    const struct article *a = entry(0);
    CHECK(a && a->title && !strcmp(a->title, "long"));
}

/* An entry's link is its alternate link of an HTML type, in any case
 * ("TEXT/HTML", the short "Html"), not one of another type or rel. */
static void test_link_types(void)
{
    CHECK(parse(ATOM_HEAD
                "<entry><title>1</title>"
                "<link rel='alternate' type='application/atom+xml' href='/feed-of-it'/>"
                "<link rel='alternate' type='TEXT/HTML' href='/one'/></entry>"
                "<entry><title>2</title><link rel='alternate' type='Html' href='/two'/></entry>"
                "<entry><title>3</title><link rel='ALTERNATE' type='xhtml' href='/three'/>"
                "<link rel='enclosure' type='text/html' href='/not-this'/></entry>"
                "<entry><title>4</title><link rel='alternate' type='text/htmlx' href='/no'/>"
                "</entry></feed>"));
    const struct article *a = entry(0);
    CHECK(a && a->url && !strcmp(a->url, "http://types.example/one"));
    a = entry(1);
    CHECK(a && a->url && !strcmp(a->url, "http://types.example/two"));
    /* rel is lower-cased like type: ALTERNATE is alternate */
    a = entry(2);
    CHECK(a && a->url && !strcmp(a->url, "http://types.example/three"));
    a = entry(3);
    CHECK(a != NULL);
    if (a)
        CHECK(a->url == NULL);
    CHECK_STR(str_at("entries.3.link"), NULL);
}

/* UTF-8 text read as ISO-8859-1 is read again as UTF-8; windows-1252 code
 * points (U+0080..U+009F, as characters or references) become the
 * characters they stand for; plain ASCII, however long, is left alone. */
static void test_text_repairs(void)
{
    char longascii[3000];
    for (size_t i = 0; i + 1 < sizeof(longascii); i++)
        longascii[i] = (char)('a' + i % 26);
    longascii[sizeof(longascii) - 1] = '\0';
    char text[8192];
    snprintf(text, sizeof(text),
             "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>"
             "<item><title>Caf\xC3\x83\xC2\xA9 cr\xC3\x83\xC2\xA8me</title>"
             "<description>it&amp;#146;s \xC2\x93quoted\xC2\x94</description></item>"
             "<item><title>%s</title><description>&lt;p&gt;%s&lt;/p&gt;</description></item>"
             "</channel></rss>",
             longascii, longascii);
    CHECK(parse(text));
    CHECK_STR(str_at("entries.0.title"), "Caf\xC3\xA9 cr\xC3\xA8me");
    const struct article *a = entry(0);
    CHECK(a != NULL);
    if (a) {
        CHECK_STR(a->title, "Caf\xC3\xA9 cr\xC3\xA8me");
        /* &#146; is a right single quote, U+0093/U+0094 curly double quotes */
        CHECK_STR(a->summary, "it\xE2\x80\x99s \xE2\x80\x9Cquoted\xE2\x80\x9D");
    }
    a = entry(1);
    CHECK(a != NULL);
    if (a) {
        CHECK_STR(a->title, longascii);
        CHECK_STR(a->summary, longascii);
    }
}

TESTS(TEST(test_text_construct_types), TEST(test_long_type), TEST(test_link_types),
      TEST(test_text_repairs))
