/* SPDX-License-Identifier: MIT */
/* analysis.c: benchmark driver for the analysis engine (bench/bench_analysis.sh).
 *
 *   analysis gen N DAYS SEED OUT.jsonl   synthetic news: N articles over DAYS days
 *   analysis day IN.jsonl                the whole analysis pass over IN, timed
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
 * SimHash fingerprint and near-duplicate lookup, streaming clustering,
 * the technology gate and focus classification, entity and figure
 * extraction; then story ranking by distinct outlets. It prints one line
 * "seconds=S peak_rss_mb=M docs=N clusters=K copies=C" for the script. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "corpus/corpus.h"
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
                snprintf(s->names[j], sizeof(s->names[j]), "%s", w);
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

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct doc {
    char *title, *text, *source;
    int64_t time;
};

static int cmd_day(const char *path, const char *data_dir)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 1;
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
    double t0 = now_s();
    struct simhash_index *dup = simhash_index_new(SIMHASH_DUP_DISTANCE);
    struct cluster_engine *ce = cluster_engine_new(NULL);
    size_t copies = 0, techs = 0, ents = 0, figs = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t fp = text_simhash(docs[i].text, strlen(docs[i].text));
        if (simhash_index_find(dup, fp, NULL) != SIZE_MAX)
            copies++;
        else
            simhash_index_add(dup, fp, i);
        cluster_engine_add(ce, docs[i].title, docs[i].text, docs[i].time, NULL);
        struct gate_result g;
        gate_score(gate, docs[i].title, docs[i].text, &g);
        techs += g.score >= GATE_MIN_SCORE;
        gate_result_release(&g);
        struct focus_result fr;
        focus_classify(focus, docs[i].title, docs[i].text, 6.0, &fr);
        focus_result_release(&fr);
        struct entity_hit *eh = NULL;
        ents += entity_extract(gaz, docs[i].text, &eh);
        free(eh);
        struct figure *fg = NULL;
        figs += figure_extract(docs[i].text, &fg);
        free(fg);
    }
    size_t *assign = xcalloc(n ? n : 1, sizeof(size_t));
    size_t k = cluster_engine_finish(ce, assign);
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
    double secs = now_s() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("seconds=%.2f peak_rss_mb=%.0f docs=%zu clusters=%zu copies=%zu tech=%zu entities=%zu "
           "figures=%zu top_outlets=%zu\n",
           secs, ru.ru_maxrss / 1024.0, n, k, copies, techs, ents, figs, k ? outlets[top] : 0);
    free(seen);
    free(outlets);
    free(assign);
    simhash_index_free(dup);
    cluster_engine_free(ce);
    gate_model_free(gate);
    focus_model_free(focus);
    gazetteer_free(gaz);
    for (size_t i = 0; i < n; i++) {
        free(docs[i].title);
        free(docs[i].text);
        free(docs[i].source);
    }
    free(docs);
    buf_release(&pg);
    buf_release(&pf);
    buf_release(&pz);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "gen") == 0)
        return cmd_gen((size_t)strtoul(argv[2], NULL, 10), atoi(argv[3]),
                       (unsigned)strtoul(argv[4], NULL, 10), argv[5]);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "day") == 0)
        return cmd_day(argv[2], argc == 4 ? argv[3] : "data");
    fprintf(stderr,
            "usage: analysis gen N DAYS SEED OUT.jsonl | analysis day IN.jsonl [DATADIR]\n");
    return 2;
}
