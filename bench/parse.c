/* SPDX-License-Identifier: MIT */
/* parse.c: timing driver for bench/bench_parse.sh.
 *
 *   build/bench/parse achim FILE...   feed_parse_buffer() with full normalisation,
 *                                     entries streamed to a callback (on_entry)
 *   build/bench/parse walk FILE...    a bare libxml2 xmlReader pass over the
 *                                     same bytes (the practical ceiling),
 *                                     less white space before "<?xml"
 *
 * PARSE_REPEAT=N parses the list N times (for profiling and for steadier
 * small measurements); the counts and times printed are the totals.
 *
 * Each file is read into memory first; only parsing is timed, as wall time
 * and as this process's CPU time (steadier on a busy machine). Prints one
 * line: "<mode> items=N bytes=N seconds=S maxrss_kb=N cpu_seconds=S".
 * Items are entries (achim) or <item>/<entry> elements (walk). */
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/buf.h"
#include "base/util.h"
#include "feed/feed.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool count_entry(void *arg, struct article *a)
{
    (void)a;
    ++*(size_t *)arg;
    return true;
}

static size_t walk(const char *data, size_t len)
{
    size_t items = 0;
    /* White space before the XML declaration is a fatal error to libxml2,
     * which would then read nothing of the document; feed parsers
     * (feedparser, achim) skip it, and so does the walk, so that it reads
     * the same documents. */
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i && len - i >= 5 && !memcmp(data + i, "<?xml", 5)) {
        data += i;
        len -= i;
    }
    xmlTextReaderPtr r =
        xmlReaderForMemory(data, (int)len, NULL, NULL,
                           XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
                               XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!r)
        return 0;
    while (xmlTextReaderRead(r) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        const xmlChar *n = xmlTextReaderConstLocalName(r);
        if (n && (!strcmp((const char *)n, "item") || !strcmp((const char *)n, "entry")))
            items++;
    }
    xmlFreeTextReader(r);
    return items;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "achim") && strcmp(argv[1], "walk"))) {
        fprintf(stderr, "usage: parse achim|walk FILE...\n");
        return 2;
    }
    bool achim = !strcmp(argv[1], "achim");
    size_t items = 0, bytes = 0;
    double secs = 0, cpu = 0;
    const char *rep = getenv("PARSE_REPEAT");
    int repeat = rep && atoi(rep) > 0 ? atoi(rep) : 1;
    for (int k = 0; k < repeat * (argc - 2); k++) {
        int i = 2 + k % (argc - 2);
        struct buf b = BUF_INIT;
        if (file_read_all(argv[i], &b, NULL) != ACHIM_OK) {
            buf_release(&b);
            continue;
        }
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        if (achim) {
            struct feed_doc *d = NULL;
            size_t n = 0;
            struct feed_parse_opts o = {.url = "http://bench.example/feed.xml",
                                        .on_entry = count_entry,
                                        .on_entry_arg = &n};
            if (feed_parse_buffer(b.ptr, b.len, &o, &d, NULL) == ACHIM_OK)
                items += n + d->nentries; /* d->nentries is 0 when streamed */
            feed_doc_free(d);
        } else {
            items += walk(b.ptr, b.len);
        }
        secs += clock_s(CLOCK_MONOTONIC) - t0;
        cpu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        bytes += b.len;
        buf_release(&b);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s items=%zu bytes=%zu seconds=%.3f maxrss_kb=%ld cpu_seconds=%.3f\n", argv[1], items,
           bytes, secs, ru.ru_maxrss, cpu);
    return 0;
}
