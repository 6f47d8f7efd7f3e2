/* SPDX-License-Identifier: MIT */
/* test_fastpath.c: the parser's shortcuts must not change what it reads.
 *
 * The repair pass drops forbidden characters from CDATA sections a run at
 * a time, attribute values copy the text between references at once,
 * mojibake is found 16 bytes at a time, and the trees fp.c builds reuse the
 * nodes and short strings of dropped entries. Each test puts the case at
 * every offset of a 16-byte block (or makes enough entries to cycle the
 * free lists) and checks the result against what it must be. */
#include "../test.h"

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"
#include "model/model.h"

static struct feed_doc *parse(const char *xml, size_t len, bool detail)
{
    struct feed_parse_opts o = {.url = "http://fast.example/feed.xml", .detail = detail};
    struct feed_doc *d = NULL;
    CHECK_INT(feed_parse_buffer(xml, len, &o, &d, NULL), ACHIM_OK);
    return d;
}

static void atom_open(struct buf *b)
{
    buf_reset(b);
    buf_addstr(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\n");
}

/* Controls and U+FFFE inside CDATA are dropped, U+FF01 (EF BC 81, which
 * shares its lead byte with U+FFFE) is kept, wherever they fall. */
static void test_cdata_forbidden(void)
{
    struct buf b = BUF_INIT, want = BUF_INIT;
    for (int off = 0; off < 40; off++) {
        atom_open(&b);
        buf_addstr(&b, "<entry><id>urn:1</id><title>x</title><summary type=\"html\"><![CDATA[<p>");
        buf_reset(&want);
        for (int i = 0; i < off; i++) {
            buf_addch(&b, (char)('a' + i % 26));
            buf_addch(&want, (char)('a' + i % 26));
        }
        buf_addstr(&b, "\x01over\xef\xbf\xbe the lazy dog \xef\xbc\x81 and\x02"
                       " more \xef\xbf\xbf end</p>]]></summary></entry></feed>\n");
        buf_addstr(&want, "over the lazy dog \xef\xbc\x81 and more end");
        struct feed_doc *d = parse(b.ptr, b.len, false);
        if (d && d->nentries == 1)
            CHECK_STR(d->entries[0].summary, want.ptr);
        else
            CHECK(!"one entry");
        feed_doc_free(d);
    }
    buf_release(&b);
    buf_release(&want);
}

/* An attribute value's references (&amp; &quot; &#38; &#x26; and an
 * unknown one kept as it is), with runs of text of every length between. */
static void test_attribute_references(void)
{
    struct buf b = BUF_INIT, want = BUF_INIT;
    for (int run = 1; run < 36; run++) {
        atom_open(&b);
        buf_addstr(&b, "<entry><id>urn:1</id><title>x</title><link rel=\"alternate\" href=\"");
        buf_reset(&want);
        static const char *const refs[][2] = {
            {"&amp;", "&"}, {"&quot;", "\""}, {"&#38;", "&"}, {"&#x26;", "&"}, {"&amp;", "&"}};
        buf_addstr(&b, "http://example.com/p?");
        buf_addstr(&want, "http://example.com/p?");
        for (size_t r = 0; r < sizeof(refs) / sizeof(refs[0]); r++) {
            for (int i = 0; i < run; i++) {
                buf_addch(&b, (char)('a' + (i + (int)r) % 26));
                buf_addch(&want, (char)('a' + (i + (int)r) % 26));
            }
            buf_addstr(&b, refs[r][0]);
            buf_addstr(&want, refs[r][1]);
        }
        buf_addstr(&b, "z\"/></entry></feed>\n");
        buf_addstr(&want, "z");
        struct feed_doc *d = parse(b.ptr, b.len, false);
        if (d && d->nentries == 1)
            CHECK_STR(d->entries[0].url, want.ptr);
        else
            CHECK(!"one entry");
        feed_doc_free(d);
    }
    buf_release(&b);
    buf_release(&want);
}

/* UTF-8 text read as Latin-1 once too often ("cafÃ©") is repaired after a
 * long ASCII stretch as well as at its start; real Latin-1 text is not. */
static void test_mojibake_after_ascii(void)
{
    struct buf b = BUF_INIT, want = BUF_INIT;
    for (int off = 0; off < 40; off++) {
        atom_open(&b);
        buf_addstr(&b, "<entry><id>urn:1</id><title>");
        buf_reset(&want);
        for (int i = 0; i < off; i++) {
            buf_addch(&b, (char)('a' + i % 26));
            buf_addch(&want, (char)('a' + i % 26));
        }
        buf_addstr(&b,
                   " caf\xc3\x83\xc2\xa9</title><summary>na\xc3\xafve</summary></entry></feed>\n");
        buf_addstr(&want, " caf\xc3\xa9");
        struct feed_doc *d = parse(b.ptr, b.len, false);
        if (d && d->nentries == 1) {
            CHECK_STR(d->entries[0].title, want.ptr + (off ? 0 : 1));
            CHECK_STR(d->entries[0].summary, "na\xc3\xafve");
        } else {
            CHECK(!"one entry");
        }
        feed_doc_free(d);
    }
    buf_release(&b);
    buf_release(&want);
}

/* A feed of n entries with many keys each (links, authors, tags, media,
 * details), enough to cycle the node and string free lists. */
static void many_entries(struct buf *b, int n)
{
    buf_reset(b);
    buf_addstr(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                  "xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><title>Many</title>"
                  "<link>http://fast.example/</link>\n");
    for (int i = 0; i < n; i++)
        buf_addf(b,
                 "<item><title>Item %d with a title long enough to need a bigger block</title>"
                 "<link>http://fast.example/a/%d</link><guid>urn:%d</guid>"
                 "<dc:creator>Writer %d</dc:creator><category>c%d</category>"
                 "<category>a category name of some length %d</category>"
                 "<media:content url=\"http://fast.example/m/%d.jpg\" type=\"image/jpeg\"/>"
                 "<pubDate>Sat, 31 Jan 2026 10:%02d:00 GMT</pubDate>"
                 "<description>&lt;p&gt;Text %d &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;</description>"
                 "</item>\n",
                 i, i, i, i % 7, i % 5, i % 3, i, i % 60, i);
    buf_addstr(b, "</channel></rss>\n");
}

static char *detail_json(const char *xml, size_t len)
{
    struct feed_doc *d = parse(xml, len, true);
    cJSON *j = d ? feed_detail_take(d) : NULL;
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    feed_doc_free(d);
    return s;
}

/* The same bytes give the same tree and articles however many parses came
 * before (the free lists are emptied at the end of each), with and without
 * the detail tree. */
static void test_repeated_parses_agree(void)
{
    struct buf b = BUF_INIT;
    many_entries(&b, 600);
    char *first = detail_json(b.ptr, b.len);
    CHECK(first && strstr(first, "\"Item 599 with a title"));
    struct feed_doc *kept = parse(b.ptr, b.len, false);
    CHECK(kept && kept->nentries == 600);
    for (int round = 0; round < 3; round++) {
        char *again = detail_json(b.ptr, b.len);
        CHECK(first && again && !strcmp(first, again));
        free(again);
        struct feed_doc *d = parse(b.ptr, b.len, false);
        CHECK(d && kept && d->nentries == kept->nentries);
        for (size_t i = 0; d && kept && i < d->nentries && i < kept->nentries; i++) {
            CHECK_STR(d->entries[i].title, kept->entries[i].title);
            CHECK_STR(d->entries[i].authors, kept->entries[i].authors);
            CHECK_STR(d->entries[i].tags, kept->entries[i].tags);
            CHECK_STR(d->entries[i].content_html, kept->entries[i].content_html);
        }
        feed_doc_free(d);
    }
    if (kept && kept->nentries == 600) {
        CHECK_STR(kept->entries[599].tags, "c4, a category name of some length 2");
        CHECK_STR(kept->entries[599].authors, "Writer 4");
        CHECK_STR(kept->entries[599].summary, "Text 599 bold");
    }
    feed_doc_free(kept);
    free(first);
    buf_release(&b);
}

TESTS(TEST(test_cdata_forbidden), TEST(test_attribute_references), TEST(test_mojibake_after_ascii),
      TEST(test_repeated_parses_agree))
