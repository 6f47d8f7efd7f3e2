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
 * PARSE_WARM=N then makes N more such passes over the same files in the
 * same process, and adds the median pass's times as warm_seconds and
 * warm_cpu_seconds: the first pass pays what runs once per process
 * (lazy tables, iconv modules, the first touch of the heap), which a
 * process that parses many feeds pays once; the warm figure is the cost
 * per pass after that. Peak RSS covers all passes.
 *
 * Each file is read into memory first; only parsing is timed, as wall time
 * and as this process's CPU time (steadier on a busy machine). Prints one
 * line: "<mode> items=N bytes=N seconds=S maxrss_kb=N cpu_seconds=S" (the
 * first pass), then " warm_passes=N warm_seconds=S warm_cpu_seconds=S"
 * when PARSE_WARM is set, then " minflt=N" (page faults while parsing in
 * the first pass: first touches of memory, costly on a virtual machine)
 * and " warm_minflt=N" (the median warm pass's). Items are entries
 * (achim) or <item>/<entry> elements (walk).
 *
 *   build/bench/parse pair FILE...    PARSE_PAIRS (default 15) rounds in one
 *                                     process, each a walk pass and an achim
 *                                     pass back to back (in turn which first),
 *                                     after one unmeasured round of each
 *
 * The pair mode exists because this virtual machine's speed changes by up
 * to 1.6x from one second to the next: two programs timed one after the
 * other can land in different phases (single ratios then swing from 0.35
 * to 0.85), while passes a few milliseconds apart share one. It prints
 * "pair rounds=N achim_cpu=S walk_cpu=S ratio=R ratio_q1=R ratio_q3=R":
 * the median CPU time of each program's passes, and the median and
 * quartiles of the per-round ratio walk/achim (achim's speed as a share
 * of the walk's). */
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

struct pass {
    size_t items, bytes;
    double secs, cpu;
    long minflt; /* page faults while parsing (first touches of memory) */
};

static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

/* One pass over the files (repeat times), parsing each as soon as it is
 * read; only the parsing is timed. */
static struct pass run_pass(bool achim, char **files, int nfiles, int repeat)
{
    struct pass ps = {0};
    for (int k = 0; k < repeat * nfiles; k++) {
        const char *path = files[k % nfiles];
        struct buf b = BUF_INIT;
        if (file_read_all(path, &b, NULL) != ACHIM_OK) {
            buf_release(&b);
            continue;
        }
        long f0 = minor_faults();
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        if (achim) {
            struct feed_doc *d = NULL;
            size_t n = 0;
            struct feed_parse_opts o = {.url = "http://bench.example/feed.xml",
                                        .on_entry = count_entry,
                                        .on_entry_arg = &n};
            if (feed_parse_buffer(b.ptr, b.len, &o, &d, NULL) == ACHIM_OK)
                ps.items += n + d->nentries; /* d->nentries is 0 when streamed */
            feed_doc_free(d);
        } else {
            ps.items += walk(b.ptr, b.len);
        }
        ps.secs += clock_s(CLOCK_MONOTONIC) - t0;
        ps.cpu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        ps.minflt += minor_faults() - f0;
        ps.bytes += b.len;
        buf_release(&b);
    }
    return ps;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of n values (sorts v). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The ratio at quantile q of n sorted values. */
static double quantile(const double *v, int n, double q)
{
    double x = q * (n - 1);
    int i = (int)x;
    return i + 1 < n ? v[i] + (x - i) * (v[i + 1] - v[i]) : v[n - 1];
}

static int run_pairs(char **files, int nfiles)
{
    const char *env = getenv("PARSE_PAIRS");
    int rounds = env && atoi(env) > 0 ? atoi(env) : 15;
    if (rounds > 1000)
        rounds = 1000;
    double *ca = calloc((size_t)rounds, sizeof(double));
    double *cw = calloc((size_t)rounds, sizeof(double));
    double *ratio = calloc((size_t)rounds, sizeof(double));
    if (!ca || !cw || !ratio) {
        free(ca);
        free(cw);
        free(ratio);
        return 1;
    }
    run_pass(false, files, nfiles, 1); /* one-time set-up of each, not measured */
    run_pass(true, files, nfiles, 1);
    for (int i = 0; i < rounds; i++) {
        bool walk_first = i % 2 == 0;
        struct pass p1 = run_pass(!walk_first, files, nfiles, 1);
        struct pass p2 = run_pass(walk_first, files, nfiles, 1);
        cw[i] = walk_first ? p1.cpu : p2.cpu;
        ca[i] = walk_first ? p2.cpu : p1.cpu;
        ratio[i] = ca[i] > 0 ? cw[i] / ca[i] : 0;
    }
    double mr = median(ratio, rounds); /* sorts ratio */
    printf("pair rounds=%d achim_cpu=%.4f walk_cpu=%.4f ratio=%.3f ratio_q1=%.3f ratio_q3=%.3f\n",
           rounds, median(ca, rounds), median(cw, rounds), mr, quantile(ratio, rounds, 0.25),
           quantile(ratio, rounds, 0.75));
    free(ca);
    free(cw);
    free(ratio);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "pair"))
        return run_pairs(argv + 2, argc - 2);
    if (argc < 3 || (strcmp(argv[1], "achim") && strcmp(argv[1], "walk"))) {
        fprintf(stderr, "usage: parse achim|walk|pair FILE...\n");
        return 2;
    }
    bool achim = !strcmp(argv[1], "achim");
    const char *rep = getenv("PARSE_REPEAT");
    int repeat = rep && atoi(rep) > 0 ? atoi(rep) : 1;
    const char *warm_env = getenv("PARSE_WARM");
    int warm = warm_env && atoi(warm_env) > 0 ? atoi(warm_env) : 0;
    if (warm > 1000)
        warm = 1000;
    struct pass first = run_pass(achim, argv + 2, argc - 2, repeat);
    double *wsecs = calloc((size_t)warm + 1, sizeof(double));
    double *wcpu = calloc((size_t)warm + 1, sizeof(double));
    double *wflt = calloc((size_t)warm + 1, sizeof(double));
    if (!wsecs || !wcpu || !wflt) {
        free(wflt);
        free(wsecs);
        free(wcpu);
        return 1;
    }
    for (int i = 0; i < warm; i++) {
        struct pass w = run_pass(achim, argv + 2, argc - 2, repeat);
        wsecs[i] = w.secs;
        wcpu[i] = w.cpu;
        wflt[i] = (double)w.minflt;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s items=%zu bytes=%zu seconds=%.4f maxrss_kb=%ld cpu_seconds=%.4f", argv[1],
           first.items, first.bytes, first.secs, ru.ru_maxrss, first.cpu);
    if (warm)
        printf(" warm_passes=%d warm_seconds=%.4f warm_cpu_seconds=%.4f", warm, median(wsecs, warm),
               median(wcpu, warm));
    printf(" minflt=%ld", first.minflt);
    if (warm)
        printf(" warm_minflt=%.0f", median(wflt, warm));
    printf("\n");
    free(wsecs);
    free(wcpu);
    free(wflt);
    return 0;
}
