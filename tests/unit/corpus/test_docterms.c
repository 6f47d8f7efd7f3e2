/* SPDX-License-Identifier: MIT */
/* test_docterms.c: an article tokenised once (doc_terms) must give every
 * step exactly what tokenising it again gave: SimHash, clustering, the
 * technology gate and focus classification, on built-in texts that touch
 * every tokenizer rule and on the shared evaluation sets when present. */
#include "../test.h"

#include <math.h>
#include <stdbool.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "corpus/corpus.h"
#include "text/text.h"

/* Titles and texts with stopwords, hyphenated and possessive words,
 * initialisms, numbers, accents, Korean particles and stopwords, Japanese,
 * Chinese, invalid bytes, empty and missing fields. */
static const char *const sample[][2] = {
    {"OpenAI's new AI model beats Google's chips", "The company's self-driving cars use AI chips. "
                                                   "Open-source software and machine learning."},
    {"U.S. regulators fine Apple Inc. $1.2 billion",
     "The U.S officials said on Monday that the 10,000-page report, version 2.0.1, covers "
     "2020-2021."},
    {"Zürich café: naïve résumé of the ﬁnance week",
     "Ångström ＡＢＣ soft\xc2\xadhyphen straße İstanbul."},
    {"삼성전자는 반도체를 발표했다",
     "대통령이 정부가 그리고 삼성전자는 새 인공지능 반도체를 공개했다. 그리고 그는"},
    {"東京都のひらがなとカタカナ", "中华人民共和国 東京都 ひらがな カタカナ の 研究"},
    {"", "Only a text, no title: the league's football match report and the cloud-computing deal."},
    {NULL, "Bytes \xff\xfe that are not UTF-8, and a t\xc3"},
    {"A title with no text", NULL},
    {"the and of", "a an the of in on at is was were be been"},
    {"Quantum computing startup raises $50m", "Researchers at the lab built a 100-qubit chip; "
                                              "investors, including SoftBank, back the start-up."},
};
#define NSAMPLE (sizeof(sample) / sizeof(sample[0]))

static struct gate_model *gate;
static struct focus_model *focus;

static void load_models(void)
{
    struct err e = ERR_INIT;
    if (!gate)
        CHECK_INT(gate_model_load("data/tech-terms.tsv", &gate, &e), ACHIM_OK);
    if (!focus)
        CHECK_INT(focus_model_load("data/focus-terms.tsv", &focus, &e), ACHIM_OK);
}

static int collect_hash(void *ctx, const struct text_token *tok)
{
    struct buf *b = ctx;
    uint64_t h = text_hash(tok->text, tok->len);
    buf_add(b, &h, sizeof(h));
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The analysed token hashes of s, sorted, as doc_terms keeps them. */
static void check_sorted_analysed(const char *s, const uint64_t *got, size_t n)
{
    struct buf b = BUF_INIT;
    if (s)
        text_tokenize(s, strlen(s), TEXT_ANALYZE, collect_hash, &b);
    size_t want = b.len / sizeof(uint64_t);
    CHECK_INT(n, want);
    if (want)
        qsort(b.ptr, want, sizeof(uint64_t), cmp_u64);
    CHECK(n == want && (n == 0 || memcmp(b.ptr, got, n * sizeof(uint64_t)) == 0));
    buf_release(&b);
}

/* Every step's result from dt equals its result from title and text;
 * returns the number of mismatches. */
static int compare_steps(const struct doc_terms *dt, const char *title, const char *text)
{
    int bad = 0;
    check_sorted_analysed(title, dt->h[DOC_TITLE], dt->n[DOC_TITLE]);
    check_sorted_analysed(text, dt->h[DOC_TEXT], dt->n[DOC_TEXT]);
    uint64_t fp = text ? text_simhash(text, strlen(text)) : 0;
    bad += fp != doc_terms_simhash(dt);

    struct gate_result g1, g2;
    gate_score(gate, title, text, &g1);
    gate_score_terms(gate, dt, &g2);
    bad += g1.score != g2.score || g1.nfired != g2.nfired || strcmp(g1.terms, g2.terms) != 0;
    gate_result_release(&g1);
    gate_result_release(&g2);

    struct focus_result f1, f2;
    focus_classify(focus, title, text, 6.0, &f1);
    focus_classify_terms(focus, dt, 6.0, &f2);
    bad += f1.area != f2.area || f1.none != f2.none || f1.subtopic != f2.subtopic ||
           strcmp(f1.terms, f2.terms) != 0 || memcmp(f1.score, f2.score, sizeof(f1.score)) != 0;
    focus_result_release(&f1);
    focus_result_release(&f2);
    return bad;
}

static void test_samples_match_every_step(void)
{
    load_models();
    struct doc_terms dt = {0};
    struct text_analyzer *an = text_analyzer_new();
    for (size_t i = 0; i < NSAMPLE; i++) {
        /* the thread's analyzer, then an own one reusing dt's buffers */
        doc_terms_compute(&dt, NULL, sample[i][0], sample[i][1]);
        int bad = compare_steps(&dt, sample[i][0], sample[i][1]);
        doc_terms_compute(&dt, an, sample[i][0], sample[i][1]);
        bad += compare_steps(&dt, sample[i][0], sample[i][1]);
        if (bad)
            fprintf(stderr, "  sample %zu differs\n", i);
        CHECK_INT(bad, 0);
    }
    /* the samples do fire terms, so the comparison is not of empty results */
    struct gate_result g;
    doc_terms_compute(&dt, an, sample[0][0], sample[0][1]);
    gate_score_terms(gate, &dt, &g);
    CHECK(g.nfired > 0);
    gate_result_release(&g);
    doc_terms_release(&dt);
    doc_terms_release(&dt); /* released twice: a no-op */
    text_analyzer_free(an);
}

/* Many repeats of a few words: the sort of long runs of equal hashes. */
static void test_long_repetitive_text(void)
{
    struct buf text = BUF_INIT;
    static const char *const words[] = {"chip", "market", "chips", "Nvidia", "cloud", "AI"};
    uint64_t x = 7;
    for (int i = 0; i < 3000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        buf_addf(&text, "%s ", words[(x >> 33) % 6]);
    }
    struct doc_terms dt = {0};
    doc_terms_compute(&dt, NULL, "chip chip market", text.ptr);
    CHECK(dt.n[DOC_TEXT] == 3000);
    CHECK_INT(compare_steps(&dt, "chip chip market", text.ptr), 0);
    doc_terms_release(&dt);
    buf_release(&text);
}

/* Documents of a JSONL file (title, text): the first max lines. */
static size_t load_jsonl(const char *rel, size_t max, char ***titles, char ***texts)
{
    const char *root = getenv("ACHIM_SHARED");
    if (!root)
        return 0;
    struct buf path = BUF_INIT, data = BUF_INIT;
    buf_addf(&path, "%s/%s", root, rel);
    struct err e = ERR_INIT;
    size_t n = 0;
    if (file_read_all(path.ptr, &data, &e) == ACHIM_OK) {
        *titles = xcalloc(max, sizeof(char *));
        *texts = xcalloc(max, sizeof(char *));
        char *save = NULL;
        for (char *line = strtok_r(data.ptr, "\n", &save); line && n < max;
             line = strtok_r(NULL, "\n", &save)) {
            cJSON *o = cJSON_Parse(line);
            const cJSON *t = cJSON_GetObjectItem(o, "title"), *x = cJSON_GetObjectItem(o, "text");
            (*titles)[n] = cJSON_IsString(t) ? xstrdup(t->valuestring) : NULL;
            (*texts)[n] = cJSON_IsString(x) ? xstrdup(x->valuestring) : NULL;
            n++;
            cJSON_Delete(o);
        }
    }
    buf_release(&path);
    buf_release(&data);
    return n;
}

static void free_docs(char **titles, char **texts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(titles[i]);
        free(texts[i]);
    }
    free(titles);
    free(texts);
}

static void test_shared_classify_sets(void)
{
    static const char *const sets[] = {"corpus/classify/bbc-fulltext.public.jsonl",
                                       "corpus/classify/agnews-test.public.jsonl"};
    load_models();
    for (size_t s = 0; s < 2; s++) {
        char **titles = NULL, **texts = NULL;
        size_t n = load_jsonl(sets[s], 400, &titles, &texts);
        if (!n) {
            printf("skip - ../shared/%s not found\n", sets[s]);
            continue;
        }
        struct doc_terms dt = {0};
        int bad = 0;
        size_t fired = 0;
        for (size_t i = 0; i < n; i++) {
            doc_terms_compute(&dt, NULL, titles[i], texts[i]);
            bad += compare_steps(&dt, titles[i], texts[i]) != 0;
            struct gate_result g;
            gate_score_terms(gate, &dt, &g);
            fired += g.nfired > 0;
            gate_result_release(&g);
        }
        printf("# %s: %zu documents, %d differ, %zu fire gate terms\n", sets[s], n, bad, fired);
        CHECK_INT(bad, 0);
        CHECK(fired > n / 2);
        doc_terms_release(&dt);
        free_docs(titles, texts, n);
    }
}

/* Cluster numbers of docs added as text or as doc_terms, with opts o. */
static void cluster_both(char **titles, char **texts, size_t n, const struct cluster_opts *o,
                         size_t *by_text, size_t *by_terms)
{
    struct cluster_engine *a = cluster_engine_new(o), *b = cluster_engine_new(o);
    struct doc_terms dt = {0};
    for (size_t i = 0; i < n; i++) {
        int64_t t = 1700000000 + (int64_t)i * 600;
        cluster_engine_add(a, titles ? titles[i] : NULL, texts[i], t, NULL);
        doc_terms_compute(&dt, NULL, titles ? titles[i] : NULL, texts[i]);
        cluster_engine_add_terms(b, &dt, t, NULL);
    }
    cluster_engine_finish(a, by_text);
    cluster_engine_finish(b, by_terms);
    doc_terms_release(&dt);
    cluster_engine_free(a);
    cluster_engine_free(b);
}

static void test_cluster_terms_identical(void)
{
    char *titles[NSAMPLE * 3], *texts[NSAMPLE * 3];
    for (size_t r = 0; r < 3; r++)
        for (size_t i = 0; i < NSAMPLE; i++) {
            titles[r * NSAMPLE + i] = (char *)sample[i][0];
            texts[r * NSAMPLE + i] = (char *)sample[i][1];
        }
    size_t a[NSAMPLE * 3], b[NSAMPLE * 3];
    struct cluster_opts o;
    cluster_opts_default(&o);
    cluster_both(titles, texts, NSAMPLE * 3, &o, a, b);
    CHECK(memcmp(a, b, sizeof(a)) == 0);
    CHECK(a[NSAMPLE] == a[0]); /* a repeated document joins its first copy's story */

    static const char *const sets[] = {"corpus/clusters/googlenews-ts.public.jsonl",
                                       "corpus/classify/bbc-fulltext.public.jsonl"};
    for (size_t s = 0; s < 2; s++) {
        char **st = NULL, **sx = NULL;
        size_t n = load_jsonl(sets[s], 1500, &st, &sx);
        if (!n) {
            printf("skip - ../shared/%s not found\n", sets[s]);
            continue;
        }
        size_t *x = xcalloc(n, sizeof(size_t)), *y = xcalloc(n, sizeof(size_t));
        for (int names = 0; names < 2; names++) {
            o.name_weight = names ? 1.0f : 0.0f; /* names from dt's case lists too */
            cluster_both(st, sx, n, &o, x, y);
            CHECK(memcmp(x, y, n * sizeof(size_t)) == 0);
        }
        o.name_weight = 0;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            k = x[i] + 1 > k ? x[i] + 1 : k;
        printf("# %s: %zu documents in %zu clusters either way\n", sets[s], n, k);
        CHECK(k > 1 && k < n);
        free(x);
        free(y);
        free_docs(st, sx, n);
    }
}

static void cleanup(void)
{
    gate_model_free(gate);
    focus_model_free(focus);
    gate = NULL;
    focus = NULL;
}

static void test_zz_cleanup(void)
{
    cleanup();
    CHECK(gate == NULL);
}

TESTS(TEST(test_samples_match_every_step), TEST(test_long_repetitive_text),
      TEST(test_shared_classify_sets), TEST(test_cluster_terms_identical), TEST(test_zz_cleanup))
