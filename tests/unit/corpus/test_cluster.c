/* SPDX-License-Identifier: MIT */
/* test_cluster.c: the streaming clustering engine — exact recovery of
 * well-separated synthetic stories, the time window (and its edge), IDF warm-up, story
 * frequency weights and their prior, burst weights, the optional rescue, the optional
 * name weight, candidate verification,
 * determinism, and (when ../shared is present) a fast
 * sanity score on the first 1500 lines of googlenews-ts. */
#include "../test.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "corpus/corpus.h"

/* NMI (square-root normalisation) of two labelings of n items. */
static double nmi(const size_t *a, const size_t *b, size_t n)
{
    size_t ka = 0, kb = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] + 1 > ka)
            ka = a[i] + 1;
        if (b[i] + 1 > kb)
            kb = b[i] + 1;
    }
    double *joint = xcalloc(ka * kb, sizeof(double));
    double *pa = xcalloc(ka, sizeof(double)), *pb = xcalloc(kb, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        joint[a[i] * kb + b[i]] += 1.0 / n;
        pa[a[i]] += 1.0 / n;
        pb[b[i]] += 1.0 / n;
    }
    double mi = 0, ha = 0, hb = 0;
    for (size_t x = 0; x < ka; x++)
        for (size_t y = 0; y < kb; y++)
            if (joint[x * kb + y] > 0)
                mi += joint[x * kb + y] * log(joint[x * kb + y] / (pa[x] * pb[y]));
    for (size_t x = 0; x < ka; x++)
        if (pa[x] > 0)
            ha -= pa[x] * log(pa[x]);
    for (size_t y = 0; y < kb; y++)
        if (pb[y] > 0)
            hb -= pb[y] * log(pb[y]);
    free(joint);
    free(pa);
    free(pb);
    return ha > 0 && hb > 0 ? mi / sqrt(ha * hb) : (ha == hb ? 1.0 : 0.0);
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) & 0x7fff;
}

static const char *const common[] = {"company", "report", "week", "market"};

/* Ten stories, each with its own five names; documents draw four story
 * names and two common words, shuffled across stories. The engine first
 * observes a background of the common words, as the brief shows it the
 * week before its window. */
static struct cluster_engine *warm_engine(void)
{
    struct cluster_engine *e = cluster_engine_new(NULL);
    for (int i = 0; i < 100; i++)
        cluster_engine_observe(e, NULL, i % 2 ? "company report week" : "market company week");
    return e;
}

static void test_synthetic_stories(void)
{
    enum { NSTORY = 10, NDOC = 300 };
    size_t gold[NDOC], got[NDOC], got2[NDOC];
    char *texts[NDOC];
    for (size_t i = 0; i < NDOC; i++) {
        size_t s = rnd() % NSTORY;
        gold[i] = s;
        struct buf b = BUF_INIT;
        for (int w = 0; w < 4; w++)
            buf_addf(&b, "story%czeta%c ", (char)('a' + s), (char)('a' + rnd() % 5));
        for (int w = 0; w < 2; w++)
            buf_addf(&b, "%s ", common[rnd() % 4]);
        texts[i] = buf_take(&b);
    }
    struct cluster_engine *e = warm_engine();
    for (size_t i = 0; i < NDOC; i++)
        cluster_engine_add(e, NULL, texts[i], 0, NULL);
    CHECK_INT(cluster_engine_ndocs(e), NDOC);
    size_t k = cluster_engine_finish(e, got);
    cluster_engine_free(e);
    CHECK(k >= NSTORY && k <= NSTORY + 3);
    /* never two stories in one cluster: homogeneity is exact */
    size_t mixed = 0;
    for (size_t i = 0; i < NDOC; i++)
        for (size_t j = 0; j < i; j++)
            if (got[i] == got[j] && gold[i] != gold[j])
                mixed++;
    CHECK_INT(mixed, 0);
    CHECK(nmi(gold, got, NDOC) > 0.95);
    CHECK_INT(got[0], 0); /* numbered in order of first appearance */

    /* deterministic: the same stream gives the same clusters */
    e = warm_engine();
    for (size_t i = 0; i < NDOC; i++)
        cluster_engine_add(e, NULL, texts[i], 0, NULL);
    cluster_engine_finish(e, got2);
    cluster_engine_free(e);
    CHECK(memcmp(got, got2, sizeof(got)) == 0);
    for (size_t i = 0; i < NDOC; i++)
        free(texts[i]);
}

static void test_window_and_sim(void)
{
    struct cluster_opts o;
    cluster_opts_default(&o);
    o.window = 3600;
    struct cluster_engine *e = cluster_engine_new(&o);
    float sim = -1;
    CHECK_INT(cluster_engine_add(e, "Cerebras OpenAI deal", "750 MW through 2028", 1000, &sim), 0);
    CHECK(sim == 0); /* nothing to compare with */
    CHECK_INT(cluster_engine_add(e, "OpenAI Cerebras deal", "750 MW of compute", 2000, &sim), 0);
    CHECK(sim > 0.5f && sim <= 1.0001f);
    /* the same words two hours after the story's latest document: a new story */
    CHECK_INT(cluster_engine_add(e, "OpenAI Cerebras deal", "750 MW of compute", 2000 + 7201, &sim),
              1);
    CHECK(sim == 0);
    size_t assign[3];
    CHECK_INT(cluster_engine_finish(e, assign), 2);
    CHECK_INT(assign[2], 1);
    cluster_engine_free(e);
    cluster_engine_free(NULL);
}

/* The window's edge in whole seconds, both ways: a report exactly
 * opts.window after a story's latest report (or before its earliest) still
 * joins it, one second more opens a story of its own. */
static void test_window_edge(void)
{
    struct cluster_opts o;
    cluster_opts_default(&o);
    o.window = 3600;
    struct cluster_engine *e = cluster_engine_new(&o);
    const char *title = "Cerebras OpenAI deal", *text = "750 MW of compute through 2028";
    const int64_t t0 = 1767225600;
    CHECK_INT(cluster_engine_add(e, title, text, t0, NULL), 0);
    CHECK_INT(cluster_engine_add(e, title, text, t0 + 3600, NULL), 0);
    CHECK_INT(cluster_engine_add(e, title, text, t0 + 7201, NULL), 1);
    /* times going back: measured from the story's earliest report */
    CHECK_INT(cluster_engine_add(e, title, text, t0 - 3600, NULL), 0);
    CHECK_INT(cluster_engine_add(e, title, text, t0 - 7201, NULL), 2);
    size_t assign[5];
    CHECK_INT(cluster_engine_finish(e, assign), 3);
    cluster_engine_free(e);
}

/* Documents without times: the window is counted in documents, a day of
 * opts.window standing for a third of the burst window (333 documents).
 * The same report of one story comes back after gaps of unrelated reports
 * (each with words of its own): it joins its story while the gap is within
 * the window, and opens a new one after a longer silence, as a dated story
 * does after three days. Returns the number of clusters; story[g]
 * receives the cluster of the story's report after gap g (story[0]: the
 * first report). */
static size_t undated_gaps(int64_t window, const int *gaps, size_t ngaps, size_t *story)
{
    struct cluster_opts o;
    cluster_opts_default(&o);
    o.window = window;
    struct cluster_engine *e = cluster_engine_new(&o);
    size_t n = 0, filler = 0;
    char text[64];
    story[0] = n++;
    cluster_engine_add(e, NULL, "quorra ledger merger vote", 0, NULL);
    for (size_t g = 0; g < ngaps; g++) {
        for (int i = 0; i < gaps[g]; i++, filler++, n++) {
            char a = (char)('a' + filler / 676), b = (char)('a' + filler / 26 % 26),
                 c = (char)('a' + filler % 26);
            snprintf(text, sizeof(text), "fq%c%c%cv gq%c%c%cv hq%c%c%cv", a, b, c, a, b, c, a, b,
                     c);
            cluster_engine_add(e, NULL, text, 0, NULL);
        }
        story[g + 1] = n++;
        cluster_engine_add(e, NULL, "quorra ledger merger vote", 0, NULL);
    }
    size_t *got = xcalloc(n, sizeof(size_t));
    size_t k = cluster_engine_finish(e, got);
    cluster_engine_free(e);
    for (size_t g = 0; g <= ngaps; g++)
        story[g] = got[story[g]];
    free(got);
    return k;
}

static void test_window_in_documents(void)
{
    size_t story[8];
    /* default window, three days: 1000 documents; reports every 300
     * documents keep the story open over 1500, then 1100 without one */
    const int steady[] = {300, 300, 300, 300, 300, 1100};
    size_t k = undated_gaps(3 * 86400, steady, 6, story);
    CHECK_INT(k, 1 + 1500 + 1100 + 1);
    for (int g = 1; g < 6; g++)
        CHECK_INT(story[g], story[0]);
    CHECK(story[6] != story[0]);
    /* a one-day window: 333 documents */
    const int day[] = {300, 400};
    undated_gaps(86400, day, 2, story);
    CHECK_INT(story[1], story[0]);
    CHECK(story[2] != story[1]);
    /* no window: the story never closes */
    const int never[] = {1100};
    undated_gaps(0, never, 1, story);
    CHECK_INT(story[1], story[0]);
}

/* Mixed and disordered times: a cluster with times is closed for good
 * (retired) only when a later document could not join it in time nor in
 * documents. Story reports dated T and T + 1 hour must stay one story when
 * between them come (a) 2100 undated reports, the last sharing a word with
 * the story, or (b) one report sharing a word but dated ten days ahead (a
 * wrong clock). Each of those is closed to the story itself (past the
 * window in documents, or in time) and opens its own cluster. */
static void test_window_mixed_times(void)
{
    const int64_t t0 = 1767225600;
    const char *story = "quorra ledger merger vote";
    for (int wrong_clock = 0; wrong_clock <= 1; wrong_clock++) {
        struct cluster_opts o;
        cluster_opts_default(&o);
        struct cluster_engine *e = cluster_engine_new(&o);
        size_t n = 0;
        cluster_engine_add(e, NULL, story, t0, NULL);
        n++;
        for (int i = 0; !wrong_clock && i < 2100; i++, n++) {
            char text[64], a = (char)('a' + i / 676), b = (char)('a' + i / 26 % 26),
                           c = (char)('a' + i % 26);
            snprintf(text, sizeof(text), "fq%c%c%cv gq%c%c%cv hq%c%c%cv", a, b, c, a, b, c, a, b,
                     c);
            cluster_engine_add(e, NULL, text, 0, NULL);
        }
        size_t between = n++;
        cluster_engine_add(e, NULL, "ledger kestrel wharf", wrong_clock ? t0 + 10 * 86400 : 0,
                           NULL);
        size_t again = n++;
        cluster_engine_add(e, NULL, story, t0 + 3600, NULL);
        size_t *got = xcalloc(n, sizeof(size_t));
        cluster_engine_finish(e, got);
        cluster_engine_free(e);
        if (got[again] != got[0])
            fprintf(stderr, "# wrong_clock=%d: story split %zu / %zu\n", wrong_clock, got[0],
                    got[again]);
        CHECK_INT(got[again], got[0]);
        CHECK(got[between] != got[0]);
        free(got);
    }
}

/* Without history the first document's common words weigh as much as its
 * names; observing a background where "cloud" is everywhere lowers the
 * similarity that rests on it alone. */
static void test_observe_history(void)
{
    const char *a = "Lumina cloud customers cloud pricing";
    const char *b = "Vexor cloud customers cloud outage";
    float cold = 0, warm = 0;
    struct cluster_engine *e = cluster_engine_new(NULL);
    cluster_engine_add(e, NULL, a, 0, NULL);
    cluster_engine_add(e, NULL, b, 0, &cold);
    cluster_engine_free(e);
    e = cluster_engine_new(NULL);
    for (int i = 0; i < 50; i++)
        cluster_engine_observe(e, "cloud customers", i % 2 ? "the cloud market" : "customers buy");
    cluster_engine_add(e, NULL, a, 0, NULL);
    cluster_engine_add(e, NULL, b, 0, &warm);
    CHECK_INT(cluster_engine_ndocs(e), 2);
    cluster_engine_free(e);
    CHECK(warm < cold);
    CHECK(warm < 0.15f);
}

/* The rescue moves a lone document into the story that grew after it. */
static void test_rescue(void)
{
    struct cluster_opts o;
    cluster_opts_default(&o);
    o.small = 2;
    o.rescue = 0.15f;
    struct cluster_engine *e = cluster_engine_new(&o);
    cluster_engine_add(e, NULL, "quorra ledger merger filing", 0, NULL);
    cluster_engine_add(e, NULL, "pelican harbour storm closes port", 0, NULL);
    for (int i = 0; i < 5; i++)
        cluster_engine_add(e, NULL, "quorra merger vote shareholders approve quorra", 0, NULL);
    size_t assign[7];
    float sim;
    size_t k = cluster_engine_finish(e, assign);
    cluster_engine_free(e);
    (void)sim;
    CHECK_INT(k, 2);
    CHECK_INT(assign[0], assign[2]);
    CHECK(assign[1] != assign[0]);
}

/* A document with more candidates than are verified in full (16) still
 * finds its story, late in the list of clusters, with the exact cosine:
 * the words common to all (past 5% of the documents seen, so left out of
 * the candidate walk) are added back for the finalists. */
static void test_many_candidates(void)
{
    struct cluster_engine *e = cluster_engine_new(NULL);
    /* "common" in every document, "alpha" in one in a hundred: selective */
    for (int i = 0; i < 1000; i++)
        cluster_engine_observe(e, NULL, i % 100 ? "common background" : "alpha common");
    char text[128];
    for (int i = 0; i < 30; i++) {
        snprintf(text, sizeof(text), "alpha nm%c%cq pl%c%cq th%c%cq ob%c%cq common", 'a' + i / 26,
                 'a' + i % 26, 'a' + i / 26, 'a' + i % 26, 'a' + i / 26, 'a' + i % 26, 'a' + i / 26,
                 'a' + i % 26);
        CHECK_INT(cluster_engine_add(e, NULL, text, 0, NULL), (size_t)i);
    }
    float sim = 0;
    snprintf(text, sizeof(text), "alpha nm%c%cq pl%c%cq th%c%cq ob%c%cq common", 'a', 'z', 'a', 'z',
             'a', 'z', 'a', 'z');
    CHECK_INT(cluster_engine_add(e, NULL, text, 0, &sim), 25);
    CHECK(sim > 0.999f && sim < 1.0001f);
    cluster_engine_free(e);
}

/* A story that opened twice merges once reports telling it join both
 * halves and their centroids converge (opts.merge); two distinct stories
 * that one report happens to bridge stay apart. Twenty unrelated reports
 * come first: weights rest on how many stories use a word, which means
 * little in a world of two. */
static size_t bridged(float merge, int per_story, int bridges, size_t *got)
{
    struct cluster_opts o;
    cluster_opts_default(&o);
    o.merge = merge;
    struct cluster_engine *e = cluster_engine_new(&o);
    size_t n = 0;
    for (int i = 0; i < 20; i++) {
        char text[64];
        snprintf(text, sizeof(text), "xq%cv yq%cv zq%cv", 'a' + i, 'a' + i, 'a' + i);
        cluster_engine_add(e, NULL, text, 0, NULL);
        n++;
    }
    for (int i = 0; i < per_story; i++) {
        cluster_engine_add(e, NULL, "quorra merger vote shareholders", 0, NULL);
        cluster_engine_add(e, NULL, "lindell harbour storm closes", 0, NULL);
        n += 2;
    }
    for (int i = 0; i < bridges; i++) {
        cluster_engine_add(e, NULL, "quorra merger vote lindell harbour storm", 0, NULL);
        n++;
    }
    CHECK_INT(cluster_engine_ndocs(e), n);
    size_t k = cluster_engine_finish(e, got);
    cluster_engine_free(e);
    return k;
}

static void test_merge_converged(void)
{
    size_t got[64];
    /* one report each, then reports that tell both: one story */
    CHECK_INT(bridged(0, 1, 6, got), 22);
    CHECK_INT(bridged(0.5f, 1, 6, got), 21);
    CHECK_INT(got[20], got[21]);
    /* five reports each and one bridging report: still two stories */
    CHECK_INT(bridged(0.5f, 5, 1, got), 22);
    CHECK(got[20] != got[21]);
}

/* Words weigh by how many stories use them, not how many documents: a
 * story told forty times keeps its own name decisive, so a report that
 * shares only that name with it (and brings three new words) still joins
 * it. A word that every report of a cold stream shares ("market", beside
 * three words of their own) glues few of them together, and a new report
 * with it opens a story of its own: with story counts alone, the first
 * reports that joined on the word would make it look specific to their
 * story and draw all the rest (the prior of CLUSTER_STORY_PRIOR). */
static void test_story_words_decide(void)
{
    struct cluster_engine *e = cluster_engine_new(NULL);
    char text[96];
    size_t bg[30];
    for (int i = 0; i < 30; i++) {
        snprintf(text, sizeof(text), "market bq%c%cv cq%c%cv dq%c%cv", 'a' + i / 26, 'a' + i % 26,
                 'a' + i / 26, 'a' + i % 26, 'a' + i / 26, 'a' + i % 26);
        bg[i] = cluster_engine_add(e, NULL, text, 0, NULL);
    }
    size_t distinct = 0, story = 0;
    for (int i = 0; i < 30; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || bg[j] == bg[i];
        distinct += !seen;
    }
    printf("# thirty reports sharing one common word: %zu clusters\n", distinct);
    CHECK(distinct >= 25);
    for (int i = 0; i < 40; i++) {
        snprintf(text, sizeof(text), "quorra fq%c%cv gq%c%cv hq%c%cv", 'a' + i / 26, 'a' + i % 26,
                 'a' + (i + 7) / 26, 'a' + (i + 7) % 26, 'a' + (i + 13) / 26, 'a' + (i + 13) % 26);
        size_t k = cluster_engine_add(e, NULL, text, 0, NULL);
        if (i == 0)
            story = k;
        CHECK_INT(k, story);
    }
    float sim = 0;
    CHECK_INT(cluster_engine_add(e, NULL, "quorra newvx newvy newvz", 0, &sim), story);
    printf("# a story's own word shared with a new report: cosine %.3f\n", sim);
    CHECK(sim >= 0.15f);
    CHECK_INT(cluster_engine_add(e, NULL, "market newwx newwy newwz", 0, &sim), story + 1);
    CHECK(sim < 0.15f);
    size_t got[72];
    CHECK_INT(cluster_engine_finish(e, got), distinct + 2);
    cluster_engine_free(e);
}

/* Words that burst weigh more: "steady" and "surge" are each in ten of
 * 5000 reports that have seven words of their own beside, so their
 * document counts are equal; but "surge" is in ten of the last thirty,
 * "steady" in one report in 500 all stream long. By document and story
 * counts the reports with "steady" open a story each (the base of the
 * comparison: without burst weights those with "surge" would too, the two
 * words would weigh the same, and a report with both would tie and join
 * the older, a "steady" one). Used far more lately than usual, "surge"
 * weighs more: the reports with it join each other, and so does a report
 * with both words. */
static void test_bursts_weigh(void)
{
    enum { NDOC = 5000 };
    struct cluster_engine *e = cluster_engine_new(NULL);
    size_t surge[10], nsurge = 0, steady[10], nsteady = 0;
    for (int i = 0; i < NDOC; i++) {
        struct buf b = BUF_INIT;
        for (int w = 0; w < 7; w++)
            buf_addf(&b, "bg%dw%c ", i, 'a' + w);
        bool is_steady = i % 500 == 0, is_surge = i >= NDOC - 30 && i % 3 == 0;
        if (is_steady)
            buf_addstr(&b, "steady");
        if (is_surge)
            buf_addstr(&b, "surge");
        size_t k = cluster_engine_add(e, NULL, b.ptr, 0, NULL);
        if (is_steady)
            steady[nsteady++] = k;
        if (is_surge)
            surge[nsurge++] = k;
        buf_release(&b);
    }
    CHECK_INT(nsteady, 10);
    CHECK_INT(nsurge, 10);
    size_t steady_stories = 0, surge_stories = 0;
    for (size_t i = 0; i < 10; i++) {
        bool seen_steady = false, seen_surge = false;
        for (size_t j = 0; j < i; j++) {
            seen_steady = seen_steady || steady[j] == steady[i];
            seen_surge = seen_surge || surge[j] == surge[i];
        }
        steady_stories += !seen_steady;
        surge_stories += !seen_surge;
    }
    printf("# ten reports with a steady word: %zu stories; with a bursting word: %zu\n",
           steady_stories, surge_stories);
    CHECK_INT(steady_stories, 10);
    CHECK(surge_stories < 5);
    float sim = 0;
    size_t k = cluster_engine_add(e, NULL, "steady surge", 0, &sim);
    bool with_surge = false, with_steady = false;
    for (size_t i = 0; i < 10; i++) {
        with_surge = with_surge || k == surge[i];
        with_steady = with_steady || k == steady[i];
    }
    printf("# a report with a steady and a bursting word joins a report with the %s one (cosine "
           "%.3f)\n",
           with_surge    ? "bursting"
           : with_steady ? "steady"
                         : "neither",
           sim);
    CHECK(with_surge);
    cluster_engine_free(e);
}

/* Names decide: two interleaved stories told with the same topic words but
 * each with its own names (capitalised inside sentences) merge when names
 * are words like any other, and separate with names weighing more (name
 * weight 1) or with the name agreement (opts.name_agree). The same texts in
 * lower case have no names, and the name agreement cannot help. */
static size_t planted_names(float name_weight, bool agree, bool lower, size_t *got, size_t n)
{
    static const char *const cased[2][3] = {{"Quorra", "Lindell", "Osterby"},
                                            {"Vexor", "Maraby", "Tessin"}};
    static const char *const lowered[2][3] = {{"quorra", "lindell", "osterby"},
                                              {"vexor", "maraby", "tessin"}};
    const char *const(*names)[3] = lower ? lowered : cased;
    static const char *const topic[] = {"wafer", "foundry", "yield", "lithography", "fab", "node"};
    struct cluster_opts o;
    cluster_opts_default(&o);
    o.name_weight = name_weight;
    o.name_agree = agree;
    struct cluster_engine *e = cluster_engine_new(&o);
    /* the week before: the newsroom words are everywhere, the topic's words
     * in one report in ten, the names nowhere yet */
    for (int i = 0; i < 100; i++) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "The plant run by the group reported gains in %s.",
                 i % 10 ? "sales" : topic[i / 10 % 6]);
        cluster_engine_observe(e, NULL, b.ptr);
        buf_release(&b);
    }
    for (size_t i = 0; i < n; i++) {
        size_t s = i % 2;
        struct buf b = BUF_INIT;
        buf_addf(&b, "The plant run by %s near %s and %s reported %s, %s and %s gains.",
                 names[s][0], names[s][1], names[s][2], topic[i % 6], topic[(i + 1) % 6],
                 topic[(i + 2) % 6]);
        cluster_engine_add(e, NULL, b.ptr, 0, NULL);
        buf_release(&b);
    }
    size_t k = cluster_engine_finish(e, got);
    cluster_engine_free(e);
    return k;
}

/* Pairs of reports of different stories (odd and even) in one cluster. */
static size_t mixed_pairs(const size_t *got, size_t n)
{
    size_t mixed = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            mixed += got[i] == got[j] && i % 2 != j % 2;
    return mixed;
}

static void test_names_decide(void)
{
    enum { N = 12 };
    size_t plain[N], named[N], agreed[N], lower[N];
    size_t k0 = planted_names(0, false, false, plain, N);
    size_t k1 = planted_names(1, false, false, named, N);
    size_t ka = planted_names(0, true, false, agreed, N);
    size_t kl = planted_names(0, true, true, lower, N);
    printf("# planted names: %zu clusters plain, %zu with the name weight, %zu with the name "
           "agreement, %zu with it in lower case\n",
           k0, k1, ka, kl);
    CHECK(mixed_pairs(plain, N) > 0);
    CHECK_INT(mixed_pairs(named, N), 0);
    CHECK_INT(k1, 2);
    CHECK_INT(mixed_pairs(agreed, N), 0);
    CHECK_INT(ka, 2);
    CHECK(mixed_pairs(lower, N) > 0);
}

/* The collapse of stories of one kind (issue 5), and the name agreement
 * (opts.name_agree) against it: funding rounds of six companies, each told
 * three times in different words around one template ("raised ... in a
 * round led by ..."), interleaved, with one investor (Sequoia) in all of
 * them. With the agreement off, or without names to go by (the same text in
 * lower case), the template pulls different companies' rounds into one
 * cluster; with it on, each company's round is a story of its own and its
 * three reports stay together. */
static void funding_rounds(bool agree, bool lower, size_t *got, size_t n)
{
    static const char *const co[6][2] = {
        {"Quillon", "Adaeze Morrow"},  {"Veltrix", "Joren Pask"},  {"Harbinth", "Mirela Sova"},
        {"Ostrava Labs", "Kenji Uda"}, {"Pellucid", "Tamsin Orr"}, {"Brightwell", "Ravi Anand"}};
    static const char *const form[3] = {
        "Startup %s has raised $40 million in a round led by Sequoia, chief executive "
        "%s said, to expand its software for warehouses.",
        "The funding round for %s, led by Sequoia, values the company at $300 million; %s said "
        "the money will pay for hiring.",
        "Investors including Sequoia put new money into %s, whose founder %s plans to double "
        "the staff after the round."};
    struct cluster_opts o;
    cluster_opts_default(&o);
    o.name_agree = agree;
    struct cluster_engine *e = cluster_engine_new(&o);
    for (size_t i = 0; i < n; i++) {
        size_t c = i % 6, f = i / 6 % 3;
        struct buf b = BUF_INIT;
        buf_addf(&b, form[f], co[c][0], co[c][1]);
        if (lower)
            for (char *p = b.ptr; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        cluster_engine_add(e, NULL, b.ptr, 1700000000 + (int64_t)i * 600, NULL);
        buf_release(&b);
    }
    cluster_engine_finish(e, got);
    cluster_engine_free(e);
}

static void test_names_agree(void)
{
    enum { N = 18 };
    size_t off[N], lower[N], cased[N];
    funding_rounds(false, false, off, N);
    funding_rounds(true, true, lower, N);
    funding_rounds(true, false, cased, N);
    size_t mixed_off = 0, mixed_lower = 0, mixed_cased = 0, split_cased = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++) {
            bool same = i % 6 == j % 6;
            mixed_off += !same && off[i] == off[j];
            mixed_lower += !same && lower[i] == lower[j];
            mixed_cased += !same && cased[i] == cased[j];
            split_cased += same && cased[i] != cased[j];
        }
    printf("# funding rounds: %zu pairs of different companies together without the name "
           "agreement, %zu with it in lower case, %zu with it cased; %zu pairs of one company "
           "apart with it cased\n",
           mixed_off, mixed_lower, mixed_cased, split_cased);
    CHECK(mixed_off > 0);
    CHECK(mixed_lower > 0);
    CHECK_INT(mixed_cased, 0);
    CHECK_INT(split_cased, 0);
}

/* Only capitalisation inside a sentence marks a name: a word capitalised
 * because it starts a sentence, or in an all-capitals text, weighs as if
 * lower case; one capitalised mid-sentence raises the similarity it carries. */
static float pair_sim(float name_weight, const char *a, const char *b)
{
    struct cluster_opts o;
    cluster_opts_default(&o);
    o.name_weight = name_weight;
    struct cluster_engine *e = cluster_engine_new(&o);
    float sim = 0;
    cluster_engine_add(e, NULL, "harbour orchard meadow", 0, NULL);
    cluster_engine_add(e, NULL, a, 0, NULL);
    cluster_engine_add(e, NULL, b, 0, &sim);
    cluster_engine_free(e);
    return sim;
}

static void test_names_mid_sentence(void)
{
    const char *a = "Storm closes the harbour. Rain keeps falling on boats";
    const char *b = "Storm delays the ferry. Wind keeps blowing over docks";
    CHECK(fabsf(pair_sim(1, a, b) - pair_sim(0, a, b)) < 1e-6f);
    const char *ca = "PELICAN STORM CLOSES THE HARBOUR AND BOATS";
    const char *cb = "PELICAN STORM DELAYS THE FERRY AND DOCKS";
    CHECK(fabsf(pair_sim(1, ca, cb) - pair_sim(0, ca, cb)) < 1e-6f);
    const char *na = "The storm near Pelican closes the harbour and boats";
    const char *nb = "The storm near Pelican delays the ferry and docks";
    float s0 = pair_sim(0, na, nb), s1 = pair_sim(1, na, nb);
    printf("# shared mid-sentence name: cosine %.3f without, %.3f with the name weight\n", s0, s1);
    CHECK(s1 > s0 + 0.05f);
}

/* Lines of the shared set, as (id, text, gold cluster), first `max` only. */
static size_t load_shared(const char *rel, size_t max, char ***texts, size_t **gold)
{
    const char *root = getenv("ACHIM_SHARED");
    if (!root)
        return 0;
    struct buf path = BUF_INIT, data = BUF_INIT;
    buf_addf(&path, "%s/%s", root, rel);
    struct err e = ERR_INIT;
    size_t n = 0;
    if (file_read_all(path.ptr, &data, &e) == ACHIM_OK) {
        *texts = xcalloc(max, sizeof(char *));
        *gold = xcalloc(max, sizeof(size_t));
        char *save = NULL;
        for (char *line = strtok_r(data.ptr, "\n", &save); line && n < max;
             line = strtok_r(NULL, "\n", &save)) {
            /* {"id": "...", "text": "...", "cluster": "N"}: plain lowercase words */
            char *t = strstr(line, "\"text\": \"");
            char *c = strstr(line, "\"cluster\": \"");
            if (!t || !c)
                continue;
            t += 9;
            char *te = strchr(t, '"');
            if (!te)
                continue;
            (*texts)[n] = xstrndup(t, (size_t)(te - t));
            (*gold)[n] = (size_t)strtoul(c + 12, NULL, 10);
            n++;
        }
    }
    buf_release(&path);
    buf_release(&data);
    return n;
}

static void test_shared_sanity(void)
{
    char **texts = NULL;
    size_t *gold = NULL;
    size_t n = load_shared("corpus/clusters/googlenews-ts.public.jsonl", 1500, &texts, &gold);
    if (!n) {
        printf("skip - ../shared/corpus/clusters/googlenews-ts.public.jsonl not found\n");
        return;
    }
    size_t *got = xcalloc(n, sizeof(size_t));
    struct cluster_engine *e = cluster_engine_new(NULL);
    for (size_t i = 0; i < n; i++)
        cluster_engine_add(e, NULL, texts[i], 0, NULL);
    cluster_engine_finish(e, got);
    cluster_engine_free(e);
    double score = nmi(gold, got, n);
    printf("# googlenews-ts first %zu lines: NMI %.4f\n", n, score);
    CHECK(score > 0.85); /* the full-set score is in scripts/eval-analysis.sh */
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    free(gold);
    free(got);
}

TESTS(TEST(test_synthetic_stories), TEST(test_window_and_sim), TEST(test_window_edge),
      TEST(test_window_in_documents), TEST(test_window_mixed_times), TEST(test_observe_history),
      TEST(test_rescue), TEST(test_many_candidates), TEST(test_merge_converged),
      TEST(test_story_words_decide), TEST(test_bursts_weigh), TEST(test_names_decide),
      TEST(test_names_agree), TEST(test_names_mid_sentence), TEST(test_shared_sanity))
