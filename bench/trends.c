/* SPDX-License-Identifier: MIT */
/* trends.c: benchmark of the term statistics behind `achim trends`.
 *
 * Generates N articles (default 1,000,000) from 20 outlets over three years
 * (2023-2025), titles and summaries drawn from a Zipf vocabulary of 30,000
 * made-up words plus 100 tracked terms whose rate rises or falls by
 * quarter, and stores them through the real write path: store_feed_ingest
 * (one feed document per outlet and day) with the statistics counted in
 * the same transaction by the app's analyzer. Then it times trends for the
 * 100 terms by quarter over the whole range, and --emerging for the last
 * quarter, and reports the store's size with and without the statistics
 * (dbstat). Not a test: it prints figures.
 *
 * A second phase writes the statistics of 1,000,000 articles straight into
 * the tables and times the same query over them.
 *
 * usage: bench/trends [N] [DIR]   (N default 20,000; DIR default /tmp)
 *        bench/trends --plans STORE...   times only the read plans on kept stores
 * BENCH_TRENDS_KEEP=1 keeps both stores and prints their paths, so that
 * `achim trends` outputs or another build's plans can be compared on them. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "app/app.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "store/store_int.h"

#define OUTLETS 20
#define VOCAB 30000
#define TRACKED 100
#define DAYS 1096 /* 2023-01-01 .. 2025-12-31 */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static double uniform(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static char *vocab[VOCAB];
static double cdf[VOCAB];
static char tracked[TRACKED][32];

static void make_vocab(void)
{
    static const char *const syl[] = {"ka", "lo", "mi", "ne", "ru", "ta",  "vo",  "si",  "de",
                                      "pa", "zu", "fi", "go", "be", "tor", "lin", "ser", "qua"};
    double sum = 0;
    for (int i = 0; i < VOCAB; i++) {
        char w[32] = "";
        int v = i;
        /* distinct by construction: the word spells i in base 18 */
        do {
            strcat(w, syl[v % 18]);
            v /= 18;
        } while (v);
        vocab[i] = xstrdup(w);
        sum += 1.0 / pow(i + 1, 1.07);
        cdf[i] = sum;
    }
    for (int i = 0; i < VOCAB; i++)
        cdf[i] /= sum;
    for (int i = 0; i < TRACKED; i++)
        snprintf(tracked[i], sizeof(tracked[i]), "trackx%c%c", 'a' + i / 26, 'a' + i % 26);
}

static const char *zipf_word(void)
{
    double u = uniform();
    size_t lo = 0, hi = VOCAB - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return vocab[lo];
}

/* Tracked term i in quarter q (0..11): a rate between 0.1% and 8%. */
static double tracked_rate(int i, int q)
{
    switch (i % 4) {
    case 0: return 0.001 + 0.006 * q;              /* rising */
    case 1: return 0.07 - 0.005 * q;               /* falling */
    case 2: return q == (i % 12) ? 0.08 : 0.005;   /* one burst quarter */
    default: return q >= 6 + (i % 6) ? 0.02 : 0.0; /* new from some quarter */
    }
}

/* About a third of the words of news text are stopwords, which break
 * phrases; without them every adjacent pair would become a phrase. */
static const char *const stop[] = {"the", "of", "and", "to", "in", "for", "on", "with"};

static char *text_of(int nwords, int q)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < nwords; i++)
        buf_addf(&b, "%s%s", i ? " " : "",
                 uniform() < 0.35 ? stop[(int)(uniform() * 8) & 7] : zipf_word());
    for (int t = 0; t < TRACKED; t++)
        if (uniform() < tracked_rate(t, q) / 3) /* title or summary: ~rate per article */
            buf_addf(&b, " %s", tracked[t]);
    return buf_take(&b);
}

static void remove_side_files(const char *path)
{
    char side[600];
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

/* The store's read of the 100 terms' cells over the whole range, both plans
 * of store_terms_cells() and the one it picks, in ms CPU (best of reps);
 * the plans must agree cell for cell. */
static int time_plans(struct store *st, const char *const *names, const char *label, int reps)
{
    struct store_term_ref refs[TRACKED];
    for (int i = 0; i < TRACKED; i++)
        refs[i] = (struct store_term_ref){STORE_TERM_WORD, names[i]};
    struct store_term_cell *cells[3][TRACKED];
    size_t ncells[3][TRACKED];
    double best[3];
    struct err e = ERR_INIT;
    for (int p = 0; p < 3; p++)
        best[p] = 1e9;
    /* the plans take turns, so that none alone meets a cold cache */
    for (int rep = 0; rep < reps; rep++)
        for (int p = 0; p < 3; p++) {
            if (rep)
                for (int i = 0; i < TRACKED; i++)
                    free(cells[p][i]);
            double c0 = cpu_s();
            if (store_terms_cells(st, refs, TRACKED, INT64_MIN / 2 / 86400, INT64_MAX / 2 / 86400,
                                  (enum store_cells_plan)p, cells[p], ncells[p], &e) != ACHIM_OK) {
                fprintf(stderr, "bench: %s\n", e.msg);
                return 1;
            }
            if (cpu_s() - c0 < best[p])
                best[p] = cpu_s() - c0;
        }
    bool same = true;
    for (int i = 0; i < TRACKED; i++) {
        same = same && ncells[1][i] == ncells[2][i] && ncells[0][i] == ncells[1][i] &&
               (!ncells[1][i] || /* no cells: NULL arrays */
                (!memcmp(cells[1][i], cells[2][i], ncells[1][i] * sizeof(**cells[1])) &&
                 !memcmp(cells[0][i], cells[1][i], ncells[1][i] * sizeof(**cells[1]))));
        for (int p = 0; p < 3; p++)
            free(cells[p][i]);
    }
    printf("%s: store cells of 100 terms, whole range: seeks %.1f ms, scan %.1f ms, chosen %.1f "
           "ms CPU (best of %d); plans agree: %s\n",
           label, best[1] * 1000, best[2] * 1000, best[0] * 1000, reps, same ? "yes" : "NO");
    return same ? 0 : 1;
}

/* The best CPU time of five app_trends_build() of o; bursts (may be NULL)
 * receives the burst quarters flagged, describe prints the result's size
 * once. */
static int time_trends(struct store *st, const struct app_trends_opts *o, bool describe,
                       double *best, size_t *bursts)
{
    struct err e = ERR_INIT;
    for (int rep = 0; rep < 5; rep++) {
        struct app_trends t;
        double q0 = cpu_s();
        if (app_trends_build(st, o, &t, &e) != ACHIM_OK) {
            fprintf(stderr, "bench: %s\n", e.msg);
            return 1;
        }
        double q1 = cpu_s() - q0;
        if (q1 < *best)
            *best = q1;
        if (bursts) {
            *bursts = 0;
            for (size_t s = 0; s < t.nseries; s++)
                for (size_t p = 0; p < t.nperiods; p++)
                    *bursts += t.series[s].burst[p];
        }
        if (describe && rep == 0)
            printf("trends: %zu terms x %zu quarters x %zu outlets\n", t.nseries, t.nperiods,
                   t.noutlets);
        app_trends_release(&t);
    }
    return 0;
}

/* --plans: the read plans of this build on stores an earlier run kept. */
static int plans_only(int argc, char **argv)
{
    make_vocab();
    const char *names[TRACKED];
    for (int i = 0; i < TRACKED; i++)
        names[i] = tracked[i];
    int bad = 0;
    for (int a = 2; a < argc; a++) {
        struct err e = ERR_INIT;
        struct store *st = NULL;
        if (app_store_open(argv[a], &st, &e) != ACHIM_OK) {
            fprintf(stderr, "bench: %s\n", e.msg);
            return 1;
        }
        bad |= time_plans(st, names, argv[a], 5);
        struct app_trends_opts o;
        app_trends_opts_default(&o);
        o.terms = names;
        o.nterms = TRACKED;
        o.by = TREND_QUARTER;
        double best = 1e9;
        if (!bad)
            bad = time_trends(st, &o, false, &best, NULL);
        printf("%s: trends for 100 terms by quarter: %.1f ms CPU (best of 5)\n", argv[a],
               best * 1000);
        store_close(st);
    }
    for (int i = 0; i < VOCAB; i++)
        free(vocab[i]);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--plans") == 0)
        return plans_only(argc, argv);
    long n = argc > 1 ? atol(argv[1]) : 20000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char path[512];
    snprintf(path, sizeof(path), "%s/achim-bench-trends-%d.db", dir, (int)getpid());
    make_vocab();
    struct err e = ERR_INIT;
    struct store *st = NULL;
    if (app_store_open(path, &st, &e) != ACHIM_OK) {
        fprintf(stderr, "bench: %s\n", e.msg);
        return 1;
    }
    /* a bulk load: the machine may crash and lose it, and big transactions
     * should not spill pages to the WAL before they commit */
    store_exec(st,
               "PRAGMA synchronous = OFF; PRAGMA cache_size = -524288; PRAGMA temp_store = MEMORY",
               NULL);
    int64_t src[OUTLETS];
    for (int o = 0; o < OUTLETS; o++) {
        char url[64], name[64];
        snprintf(url, sizeof(url), "https://outlet%02d.example/feed", o);
        snprintf(name, sizeof(name), "Outlet %02d", o);
        store_source_ensure(st, url, name, NULL, 0, &src[o], &e);
    }
    int64_t t0 = time_from_civil(2023, 1, 1, 0, 0, 0);
    double per_doc = (double)n / (DAYS * OUTLETS);
    double t_ingest = 0, t_stats = 0, c_ingest = 0, c_stats = 0, start = now_s(), cstart = cpu_s();
    long made = 0, serial = 0;
    int64_t ndocs = 0;
    for (int d = 0; d < DAYS && made < n; d++) {
        int q = d * 12 / DAYS;
        if (store_begin(st, &e) != ACHIM_OK)
            break;
        for (int o = 0; o < OUTLETS && made < n; o++) {
            struct feed_doc *doc = feed_doc_new();
            long k = (long)(per_doc * (d * OUTLETS + o + 1)) - (long)(per_doc * (d * OUTLETS + o));
            for (long i = 0; i < k && made < n; i++, made++) {
                struct article *a = feed_doc_add_entry(doc);
                char guid[32];
                snprintf(guid, sizeof(guid), "g%ld", serial++);
                a->guid = xstrdup(guid);
                a->title = text_of(8, q);
                a->summary = text_of(22, q);
                a->published = t0 + (int64_t)d * 86400 + (int64_t)(uniform() * 86400);
            }
            if (!doc->nentries) {
                feed_doc_free(doc);
                continue;
            }
            double a0 = now_s(), ca0 = cpu_s();
            enum achim_code rc = store_feed_ingest(st, src[o], 0, doc, t0, NULL, &e);
            t_ingest += now_s() - a0;
            c_ingest += cpu_s() - ca0;
            ndocs++;
            feed_doc_free(doc);
            if (rc != ACHIM_OK) {
                fprintf(stderr, "bench: %s\n", e.msg);
                return 1;
            }
        }
        /* a bulk import counts a day's feeds at once, still inside the
         * transaction that stored them (app_feed_ingest does it per feed) */
        double a1 = now_s(), ca1 = cpu_s();
        if (app_termstats_sync(st, NULL, &e) != ACHIM_OK) {
            fprintf(stderr, "bench: %s\n", e.msg);
            return 1;
        }
        t_stats += now_s() - a1;
        c_stats += cpu_s() - ca1;
        if (store_commit(st, &e) != ACHIM_OK)
            break;
    }
    double load = now_s() - start, cload = cpu_s() - cstart;
    printf("loaded %ld articles (%lld feed documents, 20 outlets, 2023-2025) in %.1f s wall, "
           "%.1f s CPU\n  store_feed_ingest %.1f s wall, %.1f s CPU; term statistics %.1f s "
           "wall, %.1f s CPU (%.0f articles per CPU second)\n",
           made, (long long)ndocs, load, cload, t_ingest, c_ingest, t_stats, c_stats,
           c_stats > 0 ? made / c_stats : 0.0);

    /* sizes: the statistics tables against everything else */
    store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
    int64_t total = store_query_int(st, "SELECT sum(pgsize) FROM dbstat", -1);
    int64_t stats = store_termstats_bytes(st);
    int64_t rows = store_query_int(st, "SELECT count(*) FROM term_day", -1);
    int64_t terms = store_query_int(st, "SELECT count(*) FROM term_dict", -1);
    printf("store %.1f MB; term statistics %.1f MB (%lld terms, %lld day x outlet x term rows); "
           "without them %.1f MB: overhead %.0f%%\n",
           total / 1e6, stats / 1e6, (long long)terms, (long long)rows, (total - stats) / 1e6,
           100.0 * (double)stats / (double)(total - stats));

    /* the query: 100 terms by quarter over the whole range */
    const char *names[TRACKED];
    for (int i = 0; i < TRACKED; i++)
        names[i] = tracked[i];
    struct app_trends_opts o;
    app_trends_opts_default(&o);
    o.terms = names;
    o.nterms = TRACKED;
    o.by = TREND_QUARTER;
    double best = 1e9;
    size_t bursts = 0;
    if (time_trends(st, &o, true, &best, &bursts))
        return 1;
    printf("trends for 100 terms by quarter: %.1f ms CPU (best of 5); %zu burst quarters flagged\n",
           best * 1000, bursts);
    if (time_plans(st, names, "trends", 5))
        return 1;
    o.nterms = 0;
    o.terms = NULL;
    o.emerging = true;
    struct app_trends t;
    double q0 = cpu_s();
    if (app_trends_build(st, &o, &t, &e) != ACHIM_OK) {
        fprintf(stderr, "bench: %s\n", e.msg);
        return 1;
    }
    printf("emerging, last quarter vs the 4 before: %.0f ms CPU (%zu terms tested); top: %s\n",
           (cpu_s() - q0) * 1000, t.ntested, t.nrows ? t.rows[0].term : "-");
    app_trends_release(&t);
    store_close(st);
    if (getenv("BENCH_TRENDS_KEEP")) /* to compare `achim trends` outputs on it */
        printf("kept the store: %s\n", path);
    else {
        unlink(path);
        remove_side_files(path);
    }

    /* the query at full scale: statistics as 1,000,000 articles leave them
     * (46 a day from each of 20 outlets for three years), written directly
     * into the tables, so the figure does not wait for a million ingests */
    snprintf(path, sizeof(path), "%s/achim-bench-trends-scale-%d.db", dir, (int)getpid());
    if (app_store_open(path, &st, &e) != ACHIM_OK) {
        fprintf(stderr, "bench: %s\n", e.msg);
        return 1;
    }
    double s0 = now_s();
    struct buf sql = BUF_INIT;
    buf_addf(&sql,
             "PRAGMA synchronous = OFF; BEGIN;"
             "WITH RECURSIVE o(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM o WHERE i < 19) "
             "INSERT INTO sources (feed_url, name, created) "
             "SELECT 'https://outlet' || i || '.example/feed', 'Outlet ' || i, 0 FROM o;"
             "WITH RECURSIVE d(day) AS (SELECT %lld UNION ALL SELECT day + 1 FROM d "
             "WHERE day < %lld) "
             "INSERT INTO doc_day SELECT day, s.id, 46 FROM d, sources s;"
             "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 99) "
             "INSERT INTO term_dict (kind, term) "
             "SELECT 1, 'trackx' || char(97 + i / 26) || char(97 + i %% 26) FROM k;"
             "WITH RECURSIVE f(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM f WHERE i < 199999) "
             "INSERT INTO term_dict (kind, term) SELECT 1 + (i %% 2), 'filler' || i FROM f;"
             /* tracked terms: a cell for most day x outlet pairs */
             "INSERT INTO term_day (term_id, day, source_id, tf, df, first_s) "
             "SELECT t.id, d.day, d.source_id, 1 + abs(random() %% 4), "
             "1 + abs(random() %% 3), 0 FROM term_dict t, doc_day d "
             "WHERE t.term LIKE 'trackx%%' AND abs(random() %% 10) < 7;"
             /* the long tail: 10 rare terms per day x outlet */
             "INSERT INTO term_day (term_id, day, source_id, tf, df, first_s) "
             "SELECT 100 + abs(random() %% 200000), d.day, d.source_id, 1, 1, "
             "0 FROM doc_day d, (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 "
             "UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 "
             "UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10) "
             "WHERE true;"
             "COMMIT;",
             (long long)(t0 / 86400), (long long)(t0 / 86400 + DAYS - 1));
    if (store_exec(st, sql.ptr, &e) != ACHIM_OK) {
        fprintf(stderr, "bench: %s\n", e.msg);
        return 1;
    }
    buf_release(&sql);
    printf("scale store: %lld day x outlet x term rows (%lld of the 100 terms), %lld "
           "articles, written in %.1f s\n",
           (long long)store_query_int(st, "SELECT count(*) FROM term_day", -1),
           (long long)store_query_int(st, "SELECT count(*) FROM term_day WHERE term_id <= 100", -1),
           (long long)store_query_int(st, "SELECT sum(docs) FROM doc_day", -1), now_s() - s0);
    o.terms = names;
    o.nterms = TRACKED;
    o.emerging = false;
    best = 1e9;
    double wall = 0;
    for (int rep = 0; rep < 3; rep++) {
        double q0c = cpu_s(), q0w = now_s();
        if (app_trends_build(st, &o, &t, &e) != ACHIM_OK) {
            fprintf(stderr, "bench: %s\n", e.msg);
            return 1;
        }
        if (cpu_s() - q0c < best) {
            best = cpu_s() - q0c;
            wall = now_s() - q0w;
        }
        app_trends_release(&t);
    }
    printf("trends for 100 terms by quarter over 1,000,000 articles' statistics: %.0f ms CPU "
           "(%.0f ms wall, best of 3)\n",
           best * 1000, wall * 1000);
    if (time_plans(st, names, "scale", 3))
        return 1;
    store_close(st);
    if (getenv("BENCH_TRENDS_KEEP"))
        printf("kept the scale store: %s\n", path);
    else {
        unlink(path);
        remove_side_files(path);
    }
    for (int i = 0; i < VOCAB; i++)
        free(vocab[i]);
    return 0;
}
