/* SPDX-License-Identifier: MIT */
/* test_fpdetail.c: articles must not depend on opts->detail.
 *
 * Without the detail tree (ingest, fetch, the benchmark) fp.c takes
 * shortcuts: it leaves out the parts of an entry nobody reads (keys of
 * elements without a handler, sanitising passes, parsed date tuples) and
 * skips the text of an entry's own element. Every article field and every
 * document field must still come out as with the detail tree, whose entries
 * are the FEED-JSON contract. Checked on inline cases and on every file of
 * ../shared (the real feeds and feedparser's conformance corpus), parsed
 * both ways, the second way streaming entries to on_entry as ingest does.
 * (An entry nested in another entry is the one known exception: streamed,
 * the inner one is gone when the outer one goes on.) */
#include "../test.h"

#include <sys/stat.h>

#include "base/buf.h"
#include "base/util.h"
#include "feed/feed.h"
#include "model/model.h"

/* Every field of a, one per line, into out. */
static void dump_article(struct buf *out, const struct article *a)
{
    const char *names[] = {"guid",    "url",     "canonical_url", "title",    "authors",
                           "summary", "content", "content_html",  "language", "tags"};
    const char *vals[] = {a->guid,    a->url,     a->canonical_url, a->title,    a->authors,
                          a->summary, a->content, a->content_html,  a->language, a->tags};
    buf_addstr(out, "entry\n");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        buf_addf(out, " %s=%s\n", names[i], vals[i] ? vals[i] : "(null)");
    buf_addf(out, " published=%lld updated=%lld\n", (long long)a->published, (long long)a->updated);
}

static void dump_doc(struct buf *out, const struct feed_doc *d)
{
    buf_addf(out, "doc format=%d bozo=%d\n", (int)d->format, (int)d->bozo);
    const char *names[] = {"version",  "title",    "link",        "subtitle",
                           "language", "encoding", "bozo_message"};
    const char *vals[] = {d->version,  d->title,    d->link,        d->subtitle,
                          d->language, d->encoding, d->bozo_message};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        buf_addf(out, " %s=%s\n", names[i], vals[i] ? vals[i] : "(null)");
}

static bool dump_entry(void *arg, struct article *a)
{
    dump_article(arg, a);
    return true;
}

/* The parse of data as text, with the detail tree (entries kept) or
 * without it (entries streamed); the two must be equal. */
static void dump_parse(struct buf *out, const char *data, size_t len, bool detail)
{
    struct buf entries = BUF_INIT;
    struct feed_parse_opts o = {.url = "http://detail.example/dir/feed.xml", .detail = detail};
    if (!detail) {
        o.on_entry = dump_entry;
        o.on_entry_arg = &entries;
    }
    struct feed_doc *d = NULL;
    struct err e = {0};
    enum achim_code rc = feed_parse_buffer(data, len, &o, &d, &e);
    buf_addf(out, "rc=%d\n", rc == ACHIM_OK ? 0 : 1);
    if (rc == ACHIM_OK) {
        dump_doc(out, d);
        for (size_t i = 0; i < d->nentries; i++)
            dump_article(&entries, &d->entries[i]);
        buf_add(out, entries.ptr, entries.len);
    }
    feed_doc_free(d);
    buf_release(&entries);
}

/* Equal with and without the detail tree; counts the comparison. */
static bool same_both_ways(const char *data, size_t len, const char *what)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    dump_parse(&a, data, len, true);
    dump_parse(&b, data, len, false);
    /* a document that is not a feed is refused only without the detail
     * tree (the detail reports it as bozo): nothing to compare then */
    bool refused = !strncmp(b.ptr, "rc=1", 4);
    bool same = refused || (a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
    if (!same) {
        size_t i = 0;
        while (i < a.len && i < b.len && a.ptr[i] == b.ptr[i])
            i++;
        size_t from = i > 80 ? i - 80 : 0;
        fprintf(stderr,
                "  %s: detail and streamed parses differ at byte %zu:\n  detail:   %.160s\n"
                "  streamed: %.160s\n",
                what, i, a.ptr + from, b.ptr + from);
    }
    buf_release(&a);
    buf_release(&b);
    return same;
}

/* Elements without a handler, with and without attributes, inside and
 * around the text constructs and entries where fp.c keeps or drops them. */
static void test_detail_inline(void)
{
    static const char *const docs[] = {
        "<rss version=\"2.0\" xmlns:x=\"http://x.example/\"><channel><title>T</title>"
        "<item><x:duration>12:00</x:duration><title>A &amp; B</title><x:thing a=\"1\"/>"
        "<link>http://a.example/1</link><description>&lt;p&gt;Hi &lt;b&gt;there&lt;/b&gt;"
        "</description><x:subtitle>sub</x:subtitle><author>jo@example.com (Jo)</author>"
        "<category>c1</category><x:href>/rel</x:href></item>"
        "<item>  <guid>http://a.example/2</guid> loose text <summary>s</summary></item>"
        "</channel></rss>",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:y=\"http://y.example/\"><title>F</title>"
        "<entry><id>urn:1</id><title type=\"html\">&lt;i&gt;x&lt;/i&gt;</title>"
        "<y:unknown><title>nested</title></y:unknown><y:other k=\"v\">text</y:other>"
        "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><y:inner>in"
        "</y:inner><p>para</p></div></content><updated>2026-01-31T10:00:00Z</updated>"
        "<author><name>Ann</name><y:role>ed</y:role></author></entry></feed>",
        "<rss version=\"2.0\"><channel><foo>feed level</foo><image><url>/i.png</url>"
        "<bar>in image</bar></image><item><source url=\"http://s.example/\">S<baz>z</baz>"
        "</source><bar>after</bar><title>t</title><textinput><qux>q</qux></textinput>"
        "</item></channel></rss>",
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        char what[32];
        snprintf(what, sizeof(what), "inline doc %zu", i);
        CHECK(same_both_ways(docs[i], strlen(docs[i]), what));
    }
}

struct walk_stats {
    int files, differ;
};

static void walk_file(const char *path, const char *name, void *arg)
{
    struct walk_stats *st = arg;
    (void)name;
    struct stat sb;
    if (stat(path, &sb) != 0 || sb.st_size > 8 * 1024 * 1024)
        return;
    struct buf b = BUF_INIT;
    if (file_read_all(path, &b, NULL) == ACHIM_OK && b.len) {
        st->files++;
        if (!same_both_ways(b.ptr, b.len, path))
            st->differ++;
    }
    buf_release(&b);
}

static void test_detail_shared(void)
{
    const char *shared = getenv("ACHIM_SHARED");
    const char *const subdirs[] = {"corpus/feeds", "conformance/feedparser"};
    for (size_t i = 0; i < 2; i++) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/%s", shared ? shared : "../shared", subdirs[i]);
        struct stat sb;
        if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            printf("skip - detail vs streamed: %s not found\n", dir);
            continue;
        }
        struct walk_stats st = {0};
        test_walk_files(dir, 8, walk_file, &st);
        printf("# detail vs streamed on %s: %d files, %d differ\n", subdirs[i], st.files,
               st.differ);
        CHECK(st.files > 0);
        CHECK_INT(st.differ, 0);
    }
}

TESTS(TEST(test_detail_inline), TEST(test_detail_shared))
