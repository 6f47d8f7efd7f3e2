/* SPDX-License-Identifier: MIT */
/* analysis.c: benchmark driver for the analysis engine (bench/bench_analysis.sh).
 *
 *   analysis gen N DAYS SEED OUT.jsonl     synthetic news: N articles over DAYS days
 *   analysis day IN.jsonl [DATADIR]        the whole analysis pass over IN, timed
 *   analysis day-retokenise IN.jsonl [DATADIR]  the same on one thread, each
 *                                          step tokenising for itself (baseline)
 *   analysis brief IN.jsonl DATADIR DB [DAYS]  app_brief_build() over a store, timed
 *
 * The generator writes {"id","title","text","published","source","cluster"}
 * lines in time order. Stories are born every day with Zipf-distributed
 * sizes (a few big stories, many single reports), live one to three days,
 * and are told with their own names (companies, products, places), their
 * topic's vocabulary and general newsroom words drawn from a Zipf
 * vocabulary; 200 outlets with Zipf output; one article in twenty is a
 * syndicated copy of another with a word changed. Realistic enough that
 * clustering, dedup and the gate do real work; gold clusters let the
 * script score quality beside speed.
 *
 * "day" runs what a morning brief over the whole corpus runs, per article:
 * tokenising once (doc_terms), SimHash fingerprint and near-duplicate
 * lookup, streaming clustering, the technology gate and focus
 * classification, entity and figure extraction; then story ranking by
 * distinct outlets. It prints one line "seconds=S cpu_seconds=C
 * peak_rss_mb=M docs=N clusters=K copies=... digest=D" for the script (D
 * hashes every step's output, so two runs agree exactly when their
 * digests do), a "steps:" line of wall seconds per step and a
 * "cpu_steps:" line of CPU seconds per step. Nothing is
 * read or written while it runs, so wall time above CPU time is time the
 * process waited for a CPU held by others. */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"
#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "app/app.h"
#include "corpus/corpus.h"
#include "store/store.h"
#include "text/text.h"

/* ==== Generator ==== */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double unif(void)
{
    return (double)(next_rand() >> 11) / 9007199254740992.0;
}

/* Zipf(s=1) rank in [0, n) by inverse transform over the harmonic sum. */
static size_t zipf(size_t n)
{
    double h = log((double)n) + 0.5772;
    double u = unif() * h;
    size_t k = (size_t)exp(u - 0.5772);
    return k >= n ? n - 1 : k;
}

static const char syll[][4] = {"ka",  "to",  "ri",  "mo",  "se", "an", "vel", "dor", "pi",  "lu",
                               "xen", "qua", "bri", "sto", "ne", "zo", "tra", "mi",  "gal", "fe"};

static void make_word(char *out, size_t seed, int parts)
{
    out[0] = '\0';
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 12345;
    for (int i = 0; i < parts; i++) {
        x ^= x >> 29;
        x *= 0xBF58476D1CE4E5B9ULL;
        strcat(out, syll[(x >> 32) % 20]);
    }
}

#define VOCAB 20000
#define TOPICS 40
#define TOPIC_WORDS 150

static int cmd_gen(size_t n, int days, unsigned seed, const char *path)
{
    rng ^= (uint64_t)seed * 0x2545F4914F6CDD1DULL;
    FILE *f = fopen(path, "w");
    if (!f)
        return 1;
    int64_t start = time_from_civil(2026, 1, 1, 0, 0, 0);
    size_t per_day = n / (size_t)days;
    size_t story_id = 0, doc = 0;
    struct live {
        size_t id, topic, left;
        int64_t born;
        char names[4][32];
    } *live = xcalloc(4096, sizeof(*live));
    size_t nlive = 0;
    char w[64];
    for (int d = 0; d < days && doc < n; d++) {
        /* retire finished stories, then plan today's new ones */
        size_t k = 0;
        for (size_t i = 0; i < nlive; i++)
            if (live[i].left && (int64_t)(start + (int64_t)d * 86400) - live[i].born < 3 * 86400)
                live[k++] = live[i];
        nlive = k;
        size_t budget = per_day;
        while (budget > 0 && nlive < 4096) {
            struct live *s = &live[nlive++];
            s->id = story_id++;
            s->topic = next_rand() % TOPICS;
            s->left = 1 + (size_t)(60.0 / (1.0 + (double)zipf(400)));
            if (s->left > budget)
                s->left = budget;
            budget -= s->left;
            s->born = start + (int64_t)d * 86400;
            for (int j = 0; j < 4; j++) {
                make_word(w, 1000000 + s->id * 4 + (size_t)j, 4);
                w[0] = (char)(w[0] - 32); /* names are capitalised */
                snprintf(s->names[j], sizeof(s->names[j]), "%.31s", w);
            }
        }
        /* today's articles, in time order, from the live stories */
        for (size_t a = 0; a < per_day && doc < n; a++) {
            size_t pick = next_rand() % nlive;
            for (size_t tries = 0; tries < nlive && !live[pick].left; tries++)
                pick = (pick + 1) % nlive;
            struct live *s = &live[pick];
            if (s->left)
                s->left--;
            int64_t t = start + (int64_t)d * 86400 + (int64_t)(a * 86400 / per_day);
            struct buf title = BUF_INIT, text = BUF_INIT;
            buf_addf(&title, "%s %s", s->names[0], s->names[next_rand() % 4]);
            for (int i = 0; i < 5; i++) {
                size_t r = next_rand() % 10;
                if (r < 4)
                    make_word(w, 500000 + s->topic * TOPIC_WORDS + zipf(TOPIC_WORDS), 3);
                else
                    make_word(w, zipf(VOCAB), 3);
                buf_addf(&title, " %s", w);
            }
            for (int i = 0; i < 40; i++) {
                size_t r = next_rand() % 20;
                if (r < 3)
                    snprintf(w, sizeof(w), "%s", s->names[next_rand() % 4]);
                else if (r < 9)
                    make_word(w, 500000 + s->topic * TOPIC_WORDS + zipf(TOPIC_WORDS), 3);
                else
                    make_word(w, zipf(VOCAB), 3);
                buf_addf(&text, "%s%s", i ? " " : "", w);
                if (i % 12 == 11)
                    buf_addstr(&text, ".");
            }
            buf_addf(&text, " The deal is worth $%zu million and %zu MW.", 1 + next_rand() % 900,
                     1 + next_rand() % 900);
            cJSON *o = cJSON_CreateObject();
            char id[32], when[21], src[32];
            snprintf(id, sizeof(id), "%zu", doc);
            time_format_iso(t, when);
            snprintf(src, sizeof(src), "outlet-%zu", zipf(200));
            cJSON_AddStringToObject(o, "id", id);
            cJSON_AddStringToObject(o, "title", title.ptr);
            cJSON_AddStringToObject(o, "text", text.ptr);
            cJSON_AddStringToObject(o, "published", when);
            cJSON_AddStringToObject(o, "source", src);
            cJSON_AddNumberToObject(o, "cluster", (double)s->id);
            char *line = cJSON_PrintUnformatted(o);
            fprintf(f, "%s\n", line);
            /* a syndicated copy now and then: same text, another outlet */
            if (next_rand() % 20 == 0 && doc + 1 < n) {
                doc++;
                snprintf(id, sizeof(id), "%zu", doc);
                snprintf(src, sizeof(src), "outlet-%zu", zipf(200));
                cJSON_ReplaceItemInObject(o, "id", cJSON_CreateString(id));
                cJSON_ReplaceItemInObject(o, "source", cJSON_CreateString(src));
                free(line);
                line = cJSON_PrintUnformatted(o);
                fprintf(f, "%s\n", line);
            }
            free(line);
            cJSON_Delete(o);
            buf_release(&title);
            buf_release(&text);
            doc++;
        }
    }
    free(live);
    return fclose(f) == 0 ? 0 : 1;
}

/* ==== The day's analysis ==== */

struct doc {
    char *title, *text, *source;
    int64_t time;
};

static struct doc *read_docs(const char *path, size_t *count)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    struct doc *docs = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) != -1) {
        cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
        if (!o)
            continue;
        XGROW(docs, n + 1, cap);
        const cJSON *t = cJSON_GetObjectItem(o, "title"), *x = cJSON_GetObjectItem(o, "text"),
                    *s = cJSON_GetObjectItem(o, "source"), *p = cJSON_GetObjectItem(o, "published");
        docs[n].title = xstrdup(cJSON_IsString(t) ? t->valuestring : "");
        docs[n].text = xstrdup(cJSON_IsString(x) ? x->valuestring : "");
        docs[n].source = xstrdup(cJSON_IsString(s) ? s->valuestring : "");
        docs[n].time = 0;
        if (cJSON_IsString(p))
            time_parse_iso(p->valuestring, &docs[n].time);
        n++;
        cJSON_Delete(o);
    }
    free(line);
    fclose(f);
    *count = n;
    return docs;
}

static void free_docs(struct doc *docs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(docs[i].title);
        free(docs[i].text);
        free(docs[i].source);
    }
    free(docs);
}

/* Processor time of the calling thread. */
static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The clustering step over a chunk: the engine is sequential (each article
 * is weighed against the stories before it), so it runs on a thread of its
 * own while the independent steps take the other core. */
struct cluster_job {
    struct cluster_engine *ce;
    const struct doc *docs;
    const struct doc_terms *terms; /* NULL: tokenise the texts (retokenise) */
    size_t from, to;
    double wall, cpu; /* accumulated over the chunks */
};

static void *cluster_range(void *arg)
{
    struct cluster_job *j = arg;
    double t = now_s(), c = thread_cpu_s();
    for (size_t i = j->from; i < j->to; i++) {
        const struct doc *d = &j->docs[i];
        if (j->terms)
            cluster_engine_add_terms(j->ce, &j->terms[i - j->from], d->title, d->text, d->time,
                                     NULL);
        else
            cluster_engine_add(j->ce, d->title, d->text, d->time, NULL);
    }
    j->wall += now_s() - t;
    j->cpu += thread_cpu_s() - c;
    return NULL;
}

/* Articles per chunk: their token hashes (about 1 KB each) are all that is
 * held between the analyse step and the others, so memory stays flat. */
#define DAY_CHUNK 4096
#define DAY_MAX_THREADS DOC_TERMS_MAX_THREADS

static int cmd_day(const char *path, const char *data_dir, bool retokenise)
{
    size_t n = 0;
    struct doc *docs = read_docs(path, &n);
    if (!docs) {
        fprintf(stderr, "analysis: cannot read %s\n", path);
        return 1;
    }
    struct buf pg = BUF_INIT, pf = BUF_INIT, pz = BUF_INIT;
    buf_addf(&pg, "%s/tech-terms.tsv", data_dir);
    buf_addf(&pf, "%s/focus-terms.tsv", data_dir);
    buf_addf(&pz, "%s/gazetteer.tsv", data_dir);
    struct gate_model *gate = NULL;
    struct focus_model *focus = NULL;
    struct gazetteer *gaz = NULL;
    struct err e = ERR_INIT;
    if (gate_model_load(pg.ptr, &gate, &e) || focus_model_load(pf.ptr, &focus, &e) ||
        gazetteer_load(pz.ptr, &gaz, &e)) {
        fprintf(stderr, "analysis: %s\n", e.msg);
        return 1;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nthreads = retokenise                ? 1
                      : cores < 1               ? 1
                      : cores > DAY_MAX_THREADS ? DAY_MAX_THREADS
                                                : (size_t)cores;
    struct text_analyzer *an[DAY_MAX_THREADS];
    for (size_t t = 0; t < nthreads; t++)
        an[t] = text_analyzer_new();
    /* two chunks of token hashes: one being clustered, the next being made */
    struct doc_terms *chunk_terms[2] = {xcalloc(DAY_CHUNK, sizeof(struct doc_terms)),
                                        xcalloc(DAY_CHUNK, sizeof(struct doc_terms))};
    const char **titles = xcalloc(n ? n : 1, sizeof(char *)),
               **texts = xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        titles[i] = docs[i].title;
        texts[i] = docs[i].text;
    }
    double t0 = now_s(), cpu0 = cpu_s();
    /* The articles go through the steps a chunk at a time. Clustering runs
     * on a thread of its own while dedup, the gate, focus, entities and
     * figures run one after another on this one, which then tokenises the
     * next chunk (the analyse step, doc_terms; the first chunk is tokenised
     * on every core before clustering starts): clustering, the longest
     * step, has a core to itself and never waits for tokens. Each step's
     * seconds are read once per chunk, at no cost per article: CPU seconds
     * on the clock of the thread that ran it (process CPU while the analyse
     * step runs on every core), not inflated by waits for a CPU on a shared
     * machine. Clustering overlaps the other steps, so the wall seconds of
     * the steps add up to more than the total. With retokenise (the
     * baseline, as before doc_terms) one thread runs every step in turn and
     * each step tokenises the articles itself. */
    enum {
        ST_ANALYSE,
        ST_DEDUP,
        ST_CLUSTER,
        ST_GATE,
        ST_FOCUS,
        ST_ENTITY,
        ST_FIGURE,
        ST_RANK,
        NSTEPS
    };
    static const char *const step_name[NSTEPS] = {"analyse", "dedup",    "cluster", "gate",
                                                  "focus",   "entities", "figures", "rank"};
    double step[NSTEPS] = {0}, step_cpu[NSTEPS] = {0};
    double ts = now_s(), cs = thread_cpu_s(), tn, cn;
#define STEP_END(k)                                                                                \
    (tn = now_s(), cn = thread_cpu_s(), step[k] += tn - ts, step_cpu[k] += cn - cs, ts = tn,       \
     cs = cn)
    size_t copies = 0, techs = 0, ents = 0, figs = 0, focused = 0;
    uint64_t dedup_sum = 0;
    struct simhash_index *dup = simhash_index_new(SIMHASH_DUP_DISTANCE);
    struct cluster_engine *ce = cluster_engine_new(NULL);
    struct cluster_job cj = {ce, docs, NULL, 0, 0, 0, 0};
    if (!retokenise && n) { /* the first chunk on every core; the others overlap clustering */
        double pt = now_s(), pc = cpu_s();
        doc_terms_compute_all(chunk_terms[0], titles, texts, n < DAY_CHUNK ? n : DAY_CHUNK, an,
                              nthreads);
        step[ST_ANALYSE] += now_s() - pt;
        step_cpu[ST_ANALYSE] += cpu_s() - pc;
    }
    for (size_t c0 = 0; c0 < n; c0 += DAY_CHUNK) {
        size_t c1 = c0 + DAY_CHUNK < n ? c0 + DAY_CHUNK : n;
        struct doc_terms *terms = chunk_terms[(c0 / DAY_CHUNK) % 2];
        pthread_t cluster_thread;
        bool cluster_apart = false;
        if (!retokenise)
            cj.terms = terms;
        cj.from = c0;
        cj.to = c1;
        cluster_apart =
            nthreads > 1 && pthread_create(&cluster_thread, NULL, cluster_range, &cj) == 0;
        if (!cluster_apart)
            cluster_range(&cj);
        ts = now_s();
        cs = thread_cpu_s();
        for (size_t i = c0; i < c1; i++) {
            uint64_t fp = retokenise ? text_simhash(docs[i].text, strlen(docs[i].text))
                                     : doc_terms_simhash(&terms[i - c0]);
            dedup_sum += fp;
            if (simhash_index_find(dup, fp, NULL) != SIZE_MAX)
                copies++;
            else
                simhash_index_add(dup, fp, i);
        }
        STEP_END(ST_DEDUP);
        for (size_t i = c0; i < c1; i++) {
            struct gate_result g;
            if (retokenise)
                gate_score(gate, docs[i].title, docs[i].text, &g);
            else
                gate_score_terms(gate, &terms[i - c0], &g);
            techs += g.score >= GATE_MIN_SCORE;
            gate_result_release(&g);
        }
        STEP_END(ST_GATE);
        for (size_t i = c0; i < c1; i++) {
            struct focus_result fr;
            if (retokenise)
                focus_classify(focus, docs[i].title, docs[i].text, 6.0, &fr);
            else
                focus_classify_terms(focus, &terms[i - c0], 6.0, &fr);
            focused += fr.area >= 0;
            focus_result_release(&fr);
        }
        STEP_END(ST_FOCUS);
        for (size_t i = c0; i < c1; i++) {
            struct entity_hit *eh = NULL;
            ents += entity_extract(gaz, docs[i].text, &eh);
            free(eh);
        }
        STEP_END(ST_ENTITY);
        for (size_t i = c0; i < c1; i++) {
            struct figure *fg = NULL;
            figs += figure_extract(docs[i].text, &fg);
            free(fg);
        }
        STEP_END(ST_FIGURE);
        if (!retokenise && c1 < n) {
            /* the next chunk, on this thread while clustering has the other
             * core, or on every core when clustering ran here */
            size_t n1 = n - c1 < DAY_CHUNK ? n - c1 : DAY_CHUNK;
            struct doc_terms *next = chunk_terms[(c1 / DAY_CHUNK) % 2];
            if (cluster_apart) {
                doc_terms_compute_all(next, titles + c1, texts + c1, n1, an, 1);
                STEP_END(ST_ANALYSE);
            } else {
                double pt = now_s(), pc = cpu_s();
                doc_terms_compute_all(next, titles + c1, texts + c1, n1, an, nthreads);
                step[ST_ANALYSE] += now_s() - pt;
                step_cpu[ST_ANALYSE] += cpu_s() - pc;
            }
        }
        if (cluster_apart)
            pthread_join(cluster_thread, NULL);
        ts = now_s();
        cs = thread_cpu_s();
    }
    size_t *assign = xcalloc(n ? n : 1, sizeof(size_t));
    size_t k = cluster_engine_finish(ce, assign);
    STEP_END(ST_CLUSTER);
    step[ST_CLUSTER] += cj.wall;
    step_cpu[ST_CLUSTER] += cj.cpu;
    /* rank: distinct outlets per story (sources are sorted per story by a
     * hash set of (story, source) pairs) */
    size_t *outlets = xcalloc(k ? k : 1, sizeof(size_t));
    size_t hcap = 1;
    while (hcap < n * 2 + 2)
        hcap *= 2;
    uint64_t *seen = xcalloc(hcap, sizeof(uint64_t));
    for (size_t i = 0; i < n; i++) {
        uint64_t h = text_hash(docs[i].source, strlen(docs[i].source)) ^ (assign[i] * 0x9E37ULL);
        h = h ? h : 1;
        size_t j = (size_t)h & (hcap - 1);
        while (seen[j] && seen[j] != h)
            j = (j + 1) & (hcap - 1);
        if (!seen[j]) {
            seen[j] = h;
            outlets[assign[i]]++;
        }
    }
    size_t top = 0;
    for (size_t c = 0; c < k; c++)
        if (outlets[c] > outlets[top])
            top = c;
    STEP_END(ST_RANK);
#undef STEP_END
    double secs = now_s() - t0, cpu = cpu_s() - cpu0;
    /* a digest of every step's output, to compare the two ways of running */
    uint64_t digest = text_fnv1a(TEXT_FNV1A_INIT, assign, n * sizeof(size_t));
    digest = text_fnv1a(digest, &dedup_sum, sizeof(dedup_sum));
    size_t counts[] = {copies, techs, focused, ents, figs};
    digest = text_fnv1a(digest, counts, sizeof(counts));
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("seconds=%.2f cpu_seconds=%.2f peak_rss_mb=%.0f docs=%zu clusters=%zu copies=%zu "
           "tech=%zu focus=%zu entities=%zu figures=%zu top_outlets=%zu threads=%zu "
           "digest=%016llx\n",
           secs, cpu, ru.ru_maxrss / 1024.0, n, k, copies, techs, focused, ents, figs,
           k ? outlets[top] : 0, nthreads, (unsigned long long)digest);
    printf("steps:");
    for (int st = 0; st < NSTEPS; st++)
        printf(" %s=%.2f", step_name[st], step[st]);
    printf("\ncpu_steps:");
    for (int st = 0; st < NSTEPS; st++)
        printf(" %s=%.2f", step_name[st], step_cpu[st]);
    printf("\n");
    for (int b = 0; b < 2; b++) {
        for (size_t i = 0; i < DAY_CHUNK; i++)
            doc_terms_release(&chunk_terms[b][i]);
        free(chunk_terms[b]);
    }
    free(titles);
    free(texts);
    for (size_t t = 0; t < nthreads; t++)
        text_analyzer_free(an[t]);
    free(seen);
    free(outlets);
    free(assign);
    simhash_index_free(dup);
    cluster_engine_free(ce);
    gate_model_free(gate);
    focus_model_free(focus);
    gazetteer_free(gaz);
    free_docs(docs, n);
    buf_release(&pg);
    buf_release(&pf);
    buf_release(&pz);
    return 0;
}

/* ==== The brief over a store ==== */

/* "brief": what `achim brief` does on a store holding the corpus.
 * Setup (timed apart): every article of the last DAYS days is stored as
 * `achim ingest` stores what the brief reads (store_feed_ingest: the row
 * and FTS5; then its entities and figures, app_facts_sync), a day per
 * transaction, each outlet's articles of the day as one feed. Term
 * statistics, which only `achim trends` reads, are left out: they would
 * only lengthen the setup. Then app_brief_build() for the corpus's last
 * day is timed: the window's articles and the week before them read back,
 * copies found, stories grouped, ranked and saved with their persistent
 * ids, the briefing written. The peak memory includes the corpus read
 * for the setup. Prints "ingest_seconds=I stored=D seconds=S
 * cpu_seconds=C peak_rss_mb=M articles=A stories=K". */
static int cmd_brief(const char *path, const char *data_dir, const char *db_path, int days)
{
    size_t n = 0;
    struct doc *docs = read_docs(path, &n);
    if (!docs || !n) {
        fprintf(stderr, "analysis: cannot read %s\n", path);
        return 1;
    }
    /* only the last `days` days are stored (0: all; negative: the store
     * already holds them, nothing is ingested) */
    size_t first = days < 0 ? n : 0;
    int64_t last_day = docs[n - 1].time / 86400;
    while (days > 0 && first < n && docs[first].time / 86400 <= last_day - days)
        first++;
    struct buf pz = BUF_INIT, pf = BUF_INIT;
    buf_addf(&pz, "%s/gazetteer.tsv", data_dir);
    buf_addf(&pf, "%s/focus-terms.tsv", data_dir);
    struct gazetteer *gaz = NULL;
    struct store *st = NULL;
    struct err e = ERR_INIT;
    if (gazetteer_load(pz.ptr, &gaz, &e) || app_store_open(db_path, &st, &e)) {
        fprintf(stderr, "analysis: %s\n", e.msg);
        return 1;
    }
    double t0 = now_s();
    enum achim_code rc = ACHIM_OK;
    enum { OUTLETS = 200 };
    int64_t *src_id = xcalloc(OUTLETS, sizeof(int64_t));
    struct feed_doc **feed = xcalloc(OUTLETS, sizeof(*feed));
    for (size_t i = first; rc == ACHIM_OK && i < n;) {
        /* one day: every outlet's articles as one feed, in one transaction */
        int64_t day = docs[i].time / 86400;
        size_t j = i;
        for (; j < n && docs[j].time / 86400 == day; j++) {
            size_t o =
                (size_t)strtoul(docs[j].source + strcspn(docs[j].source, "0123456789"), NULL, 10) %
                OUTLETS;
            if (!feed[o])
                feed[o] = feed_doc_new();
            struct article *a = feed_doc_add_entry(feed[o]);
            char url[96];
            snprintf(url, sizeof(url), "https://%s.example/news/%zu", docs[j].source, j);
            a->guid = xstrdup(url);
            a->url = xstrdup(url);
            a->title = xstrdup(docs[j].title);
            a->summary = xstrdup(docs[j].text);
            a->language = xstrdup("en");
            a->published = docs[j].time;
        }
        rc = store_begin(st, &e);
        for (size_t o = 0; rc == ACHIM_OK && o < OUTLETS; o++) {
            if (!feed[o])
                continue;
            if (!src_id[o]) {
                char fu[64], name[32];
                snprintf(fu, sizeof(fu), "https://outlet-%zu.example/feed", o);
                snprintf(name, sizeof(name), "outlet-%zu", o);
                rc = store_source_ensure(st, fu, name, NULL, docs[i].time, &src_id[o], &e);
            }
            if (rc == ACHIM_OK)
                rc = store_feed_ingest(st, src_id[o], 0, feed[o], docs[i].time, NULL, &e);
            feed_doc_free(feed[o]);
            feed[o] = NULL;
        }
        if (rc == ACHIM_OK)
            rc = app_facts_sync(st, gaz, NULL, &e);
        rc = rc == ACHIM_OK ? store_commit(st, &e) : (store_rollback(st), rc);
        i = j;
    }
    free(feed);
    free(src_id);
    double ingest_s = now_s() - t0;
    if (rc != ACHIM_OK) {
        fprintf(stderr, "analysis: ingest: %s\n", e.msg);
        return 1;
    }
    struct app_brief_opts o;
    app_brief_opts_default(&o);
    o.date = (docs[n - 1].time / 86400) * 86400;
    o.terms_path = pf.ptr;
    o.gazetteer = gaz;
    struct briefing b;
    briefing_init(&b);
    t0 = now_s();
    double cpu0 = cpu_s();
    rc = app_brief_build(st, &o, &b, &e);
    double secs = now_s() - t0, cpu = cpu_s() - cpu0;
    if (rc != ACHIM_OK) {
        fprintf(stderr, "analysis: brief: %s\n", e.msg);
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("ingest_seconds=%.2f stored=%zu seconds=%.2f cpu_seconds=%.2f peak_rss_mb=%.0f "
           "articles=%zu stories=%zu\n",
           ingest_s, n - first, secs, cpu, ru.ru_maxrss / 1024.0, b.narticles, b.nstories);
    briefing_release(&b);
    store_close(st);
    gazetteer_free(gaz);
    free_docs(docs, n);
    buf_release(&pz);
    buf_release(&pf);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "gen") == 0)
        return cmd_gen((size_t)strtoul(argv[2], NULL, 10), atoi(argv[3]),
                       (unsigned)strtoul(argv[4], NULL, 10), argv[5]);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "day") == 0)
        return cmd_day(argv[2], argc == 4 ? argv[3] : "data", false);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "day-retokenise") == 0)
        return cmd_day(argv[2], argc == 4 ? argv[3] : "data", true);
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "brief") == 0)
        return cmd_brief(argv[2], argv[3], argv[4], argc == 6 ? atoi(argv[5]) : 0);
    fprintf(stderr, "usage: analysis gen N DAYS SEED OUT.jsonl | analysis day[-retokenise] "
                    "IN.jsonl [DATADIR] |\n"
                    "       analysis brief IN.jsonl DATADIR DB [DAYS]\n");
    return 2;
}
