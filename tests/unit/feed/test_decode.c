/* SPDX-License-Identifier: MIT */
/* test_decode.c: decoding without iconv and UTF-8 read in place must give
 * what iconv and feed_to_utf8's copy give.
 *
 * ISO-8859-1 and the single-byte code pages with a build-time table are
 * decoded without loading their gconv modules; every byte of each is
 * checked against this machine's iconv, alone and in a document. Valid
 * UTF-8 is parsed in place whatever its size; small documents with and
 * without BOM, declaration and HTTP headers must give the same full
 * result (FEED-JSON) in place and through the copy. */
#include "../test.h"

#include <cjson/cJSON.h>
#include <iconv.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "feed/feed.h"
#include "feed/feed_int.h"

/* iconv's strict decoding of d[0..n) to UTF-8, or NULL. */
static char *iconv_utf8(const char *name, const char *d, size_t n, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = 4 * n + 16;
    char *out = xmalloc(cap);
    char *in = (char *)d, *o = out;
    size_t il = n, ol = cap - 1;
    size_t r = iconv(cd, &in, &il, &o, &ol);
    if (r != (size_t)-1)
        r = iconv(cd, NULL, NULL, &o, &ol);
    iconv_close(cd);
    if (r == (size_t)-1) {
        free(out);
        return NULL;
    }
    *o = '\0';
    *outlen = (size_t)(o - out);
    return out;
}

static const char *const sbcs_names[] = {
    "CP1252", "CP1250",     "ISO-8859-2", "CP1254",     "CP1251",  "KOI8-R",     "ISO-8859-5",
    "IBM866", "ISO-8859-7", "CP1253",     "ISO-8859-8", "TIS-620", "MACCYRILLIC"};

static void test_sbcs_tables_match_iconv(void)
{
    for (size_t k = 0; k < sizeof(sbcs_names) / sizeof(sbcs_names[0]); k++) {
        const char *name = sbcs_names[k];
        char all[256];
        size_t nall = 0;
        for (int b = 0; b < 256; b++) {
            char byte = (char)b;
            size_t want_len = 0, got_len = 0;
            bool known = false;
            char *want = iconv_utf8(name, &byte, 1, &want_len);
            char *got = feed_sbcs_to_utf8(name, &byte, 1, &got_len, &known);
            CHECK(known);
            CHECK((want == NULL) == (got == NULL));
            if (want && got)
                CHECK(want_len == got_len && !memcmp(want, got, want_len));
            if (want)
                all[nall++] = byte; /* the valid bytes, for the run below */
            free(want);
            free(got);
        }
        /* all valid bytes in one run, NUL included */
        size_t want_len = 0, got_len = 0;
        bool known = false;
        char *want = iconv_utf8(name, all, nall, &want_len);
        char *got = feed_sbcs_to_utf8(name, all, nall, &got_len, &known);
        CHECK(want && got && want_len == got_len && !memcmp(want, got, want_len));
        free(want);
        free(got);
    }
    bool known = true;
    size_t n = 0;
    CHECK(!feed_sbcs_to_utf8("CP1255", "a", 1, &n, &known)); /* composes: stays on iconv */
    CHECK(!known);
}

/* A declared legacy encoding is decoded as iconv decodes it, whether or
 * not the decoder uses iconv: feed_to_utf8's text after the rewritten
 * declaration is iconv's decoding of the bytes after the original one. */
static void test_declared_legacy_like_iconv(void)
{
    static const struct {
        const char *declared, *iconv_name;
    } cases[] = {
        {"iso-8859-1", "ISO-8859-1"},   {"ISO-8859-1", "ISO-8859-1"}, {"latin1", "ISO-8859-1"},
        {"l1", "ISO-8859-1"},           {"iso8859-1", "ISO-8859-1"},  {"iso_8859-1", "ISO-8859-1"},
        {"windows-1252", "CP1252"},     {"WINDOWS-1251", "CP1251"},   {"cp1250", "CP1250"},
        {"iso8859-2", "ISO-8859-2"},    {"iso-8859-7", "ISO-8859-7"}, {"cp866", "IBM866"},
        {"koi8-r", "KOI8-R"},           {"windows-1255", "CP1255"},   {"tis-620", "TIS-620"},
        {"iso-8859-15", "ISO-8859-15"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char body[256];
        size_t nb = 0;
        for (int b = 0x20; b < 256; b++) {
            char byte = (char)b;
            size_t l = 0;
            char *one = iconv_utf8(cases[k].iconv_name, &byte, 1, &l);
            if (one && b != '<' && b != '&')
                body[nb++] = byte;
            free(one);
        }
        struct buf doc = BUF_INIT;
        buf_addf(&doc, "<?xml version=\"1.0\" encoding=\"%s\"?>", cases[k].declared);
        buf_add(&doc, body, nb);
        struct feed_parse_opts opts = {0};
        struct feed_ctx c = {.opts = &opts, .doc = feed_doc_new()};
        size_t got_len = 0, want_len = 0;
        char *got = feed_to_utf8(&c, doc.ptr, doc.len, &got_len);
        char *want = iconv_utf8(cases[k].iconv_name, body, nb, &want_len);
        const char *gt = got ? memchr(got, '>', got_len) : NULL;
        CHECK(want && gt);
        if (want && gt) {
            size_t tail = got_len - (size_t)(gt + 1 - got);
            CHECK(tail == want_len && !memcmp(gt + 1, want, want_len));
        }
        CHECK(!c.doc->bozo);
        free(got);
        free(want);
        feed_doc_free(c.doc);
        buf_release(&doc);
    }
}

/* The full result (FEED-JSON) of one parse, as text. */
static char *parse_json(const char *data, size_t len, const struct feed_parse_opts *base,
                        bool in_place_off)
{
    struct feed_parse_opts o = *base;
    o.detail = true;
    struct feed_doc *d = NULL;
    feed_in_place_off = in_place_off;
    enum achim_code rc = feed_parse_buffer(data, len, &o, &d, NULL);
    feed_in_place_off = false;
    if (rc != ACHIM_OK)
        return xstrdup("(not parsed)");
    cJSON *j = feed_detail_take(d);
    char *s = j ? cJSON_PrintUnformatted(j) : xstrdup("(no detail)");
    cJSON_Delete(j);
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s|%s|%d|%s|%zu", s, d->encoding ? d->encoding : "-", d->bozo,
             d->bozo_message ? d->bozo_message : "-", d->nentries);
    free(s);
    feed_doc_free(d);
    return buf_take(&b);
}

static void test_in_place_small_same(void)
{
    static const char *const docs[] = {
        "<rss version=\"2.0\"><channel><title>Caf\xC3\xA9</title><item><title>a &amp; b</title>"
        "<description>&lt;p&gt;x&lt;/p&gt;</description></item></channel></rss>",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>T "
        "\xE2\x82\xAC</title><item><title>one</title></item></channel></rss>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
        "<title>A</title><entry><title>e \xC3\xBC</title><id>x</id></entry></feed>",
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
        "<title>bom</title><item><title>i</title></item></channel></rss>",
        "\xEF\xBB\xBF<rss version=\"2.0\"><channel><title>bom, no declaration</title></channel>"
        "</rss>",
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><title>"
        "ascii only</title><item><title>i</title></item></channel></rss>",
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><title>"
        "caf\xC3\xA9</title></channel></rss>",
        "<?xml version='1.0' encoding='utf-8' standalone='yes'?><!-- c --><rss version=\"0.91\">"
        "<channel><title>t</title><item><title>x &eacute; &nbsp; y</title></item></channel></rss>",
        "  \n<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>leading space</title>"
        "</channel></rss>",
        "<?xml version=\"1.0\" encoding=\"utf-8\"<rss version=\"2.0\"><channel><title>broken "
        "declaration</title></channel></rss>",
        "{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"J \xC3\xA9\", "
        "\"items\": [{\"id\": \"1\", \"content_text\": \"t\"}]}",
        "<rss version=\"2.0\"><channel><title>not UTF-8: caf\xE9</title></channel></rss>",
    };
    static const struct feed_parse_opts variants[] = {
        {.url = "https://in-place.example/feed.xml"},
        {.url = "https://in-place.example/feed.xml", .http = true},
        {.url = "https://in-place.example/feed.xml", .content_type = "text/xml"},
        {.url = "https://in-place.example/feed.xml",
         .content_type = "application/xml; charset=utf-8"},
        {.url = "https://in-place.example/feed.xml",
         .content_type = "application/rss+xml; charset=UTF-8"},
        {.url = "https://in-place.example/feed.xml", .content_type = "text/html"},
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
            char *copy = parse_json(docs[i], strlen(docs[i]), &variants[v], true);
            char *inplace = parse_json(docs[i], strlen(docs[i]), &variants[v], false);
            if (strcmp(copy, inplace))
                fprintf(stderr, "  doc %zu variant %zu:\n    copy:     %s\n    in place: %s\n", i,
                        v, copy, inplace);
            CHECK_STR(inplace, copy);
            free(copy);
            free(inplace);
        }
}

/* Which documents are taken as they are: declared (or defaulted) UTF-8 by
 * feedparser's rules, valid, and no complaint about the media type. */
static void test_utf8_as_is(void)
{
    static const struct {
        const char *doc, *content_type;
        bool http, as_is;
        size_t skip;
    } cases[] = {
        {"<rss/>", NULL, false, true, 0},
        {"\xEF\xBB\xBF<rss/>", NULL, false, true, 3},
        {"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss/>", NULL, false, true, 0},
        {"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss/>", NULL, false, false, 0},
        {"<rss>caf\xE9</rss>", NULL, false, false, 0},
        {"<rss/>", NULL, true, false, 0},        /* HTTP without Content-Type: ISO-8859-1 */
        {"<rss/>", "text/xml", false, false, 0}, /* us-ascii */
        {"<rss/>", "application/xml; charset=utf-8", false, true, 0},
        {"<rss/>", "text/html; charset=utf-8", false, false, 0}, /* bozo: not XML */
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct feed_parse_opts opts = {.content_type = cases[k].content_type,
                                       .http = cases[k].http};
        struct feed_ctx c = {.opts = &opts, .doc = feed_doc_new()};
        size_t skip = 99;
        bool as_is = feed_utf8_as_is(&c, cases[k].doc, strlen(cases[k].doc), &skip);
        CHECK_INT(as_is, cases[k].as_is);
        if (as_is) {
            CHECK_INT(skip, cases[k].skip);
            CHECK_STR(c.doc->encoding, "utf-8");
        } else {
            CHECK(!c.doc->encoding && !c.doc->bozo); /* nothing changed */
        }
        feed_doc_free(c.doc);
    }
}

/* A document whose BOM is followed by a second one (U+FEFF as its first
 * character) decodes with that character dropped too; the decoder named by
 * the BOM is still in use when it checks for it (a use after free, found
 * by fuzzing, under ASan). */
static void test_second_bom_dropped(void)
{
    static const char body[] = "<rss version=\"2.0\"><channel><title>t</title></channel></rss>";
    for (int wide = 2; wide <= 4; wide += 2) {
        struct buf doc = BUF_INIT;
        for (int bom = 0; bom < 2; bom++) {
            if (wide == 4)
                buf_add(&doc, "\0\0", 2);
            buf_add(&doc, "\xFE\xFF", 2);
        }
        for (const char *p = body; *p; p++) {
            for (int z = 1; z < wide; z++)
                buf_add(&doc, "\0", 1);
            buf_add(&doc, p, 1);
        }
        struct feed_parse_opts opts = {0};
        struct feed_ctx c = {.opts = &opts, .doc = feed_doc_new()};
        size_t got_len = 0;
        char *got = feed_to_utf8(&c, doc.ptr, doc.len, &got_len);
        CHECK(got != NULL);
        if (got) {
            CHECK_INT(got_len, strlen(body));
            CHECK(got_len == strlen(body) && !memcmp(got, body, got_len));
        }
        CHECK_STR(c.doc->encoding, wide == 2 ? "utf-16be" : "utf-32be");
        free(got);
        feed_doc_free(c.doc);
        buf_release(&doc);
    }
}

TESTS(TEST(test_sbcs_tables_match_iconv), TEST(test_utf8_as_is),
      TEST(test_declared_legacy_like_iconv), TEST(test_in_place_small_same),
      TEST(test_second_bom_dropped))
