/* SPDX-License-Identifier: MIT */
/* test_cluster_names.c: the name agreement as a default of the clustering
 * engine (issue 5) — on by default; funding rounds of different
 * companies told in one wording stay apart under the defaults; the
 * precomputed-terms path (doc_terms, as the brief runs) learns names from
 * its single tokenizer pass and clusters exactly as the text path does. */
#include "../test.h"

#include <stdbool.h>

#include "base/buf.h"
#include "corpus/corpus.h"

/* A week of other news first, so that the story's words and names are
 * selective and weigh by how rare they are, as in the brief. */
static void observe_week(struct cluster_engine *e)
{
    static const char *const other[] = {
        "The council said on Tuesday that road repairs would start next month.",
        "Shares of the retailer fell after it cut its forecast for the holiday season.",
        "The league confirmed that the final will be played in the capital in May.",
        "A new exhibition of modern prints opens at the museum this weekend.",
        "Rail operators said services would be reduced during the strike next week."};
    for (int i = 0; i < 50; i++)
        cluster_engine_observe(e, NULL, other[i % 5]);
}

static void test_default_on(void)
{
    struct cluster_opts o;
    cluster_opts_default(&o);
    CHECK(o.name_agree); /* for achim cluster, the brief and the bench alike */
}

/* Funding rounds of four companies, each told twice in one shared wording,
 * interleaved; nothing but the companies and their people tells them apart.
 * With the defaults (got) and with the agreement off (off). */
static void rounds(const struct cluster_opts *o, size_t *got, size_t n)
{
    static const char *const co[4][2] = {{"Quillon", "Adaeze Morrow"},
                                         {"Veltrix", "Joren Pask"},
                                         {"Harbinth", "Mirela Sova"},
                                         {"Pellucid", "Tamsin Orr"}};
    static const char *const form[2] = {
        "Startup %s said it raised $40 million in a funding round that values it at $300 "
        "million; chief executive %s said the money will pay for hiring.",
        "The funding round for %s values the startup at $300 million after it raised $40 "
        "million, and %s plans to spend the money on hiring."};
    struct cluster_engine *e = cluster_engine_new(o);
    observe_week(e);
    for (size_t i = 0; i < n; i++) {
        struct buf b = BUF_INIT;
        buf_addf(&b, form[i / 4 % 2], co[i % 4][0], co[i % 4][1]);
        cluster_engine_add(e, NULL, b.ptr, 1700000000 + (int64_t)i * 600, NULL);
        buf_release(&b);
    }
    cluster_engine_finish(e, got);
    cluster_engine_free(e);
}

static void test_rounds_apart_by_default(void)
{
    enum { N = 8 };
    size_t on[N], off[N];
    struct cluster_opts o;
    cluster_opts_default(&o);
    rounds(NULL, on, N);
    o.name_agree = false;
    rounds(&o, off, N);
    size_t mixed_on = 0, mixed_off = 0, split_on = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++) {
            bool same = i % 4 == j % 4;
            mixed_on += !same && on[i] == on[j];
            mixed_off += !same && off[i] == off[j];
            split_on += same && on[i] != on[j];
        }
    printf("# funding rounds in one wording: %zu pairs of different companies together with "
           "the defaults, %zu without the name agreement; %zu pairs of one company apart\n",
           mixed_on, mixed_off, split_on);
    CHECK(mixed_off > 0); /* the wording alone collapses them */
    CHECK_INT(mixed_on, 0);
    CHECK_INT(split_on, 0);
}

/* What doc_terms records for names: of the text's analysed tokens, those
 * that begin a sentence and those capitalised inside one; the title's case
 * is not read. */
static void test_doc_terms_case_lists(void)
{
    struct doc_terms dt = {0};
    doc_terms_compute(&dt, NULL, "Pelican Storm Title",
                      "Rain fell near Pelican. Storm hits Pelican docks; ferries wait");
    /* "rain", "storm", "ferries" begin sentences; "pelican" twice inside one */
    CHECK_INT(dt.n[DOC_TEXT_INITIAL], 3);
    CHECK_INT(dt.n[DOC_TEXT_CAPITAL], 2);
    struct doc_terms one = {0};
    doc_terms_compute(&one, NULL, NULL, "pelican");
    if (dt.n[DOC_TEXT_CAPITAL] == 2 && one.n[DOC_TEXT] == 1) {
        CHECK(dt.h[DOC_TEXT_CAPITAL][0] == one.h[DOC_TEXT][0]);
        CHECK(dt.h[DOC_TEXT_CAPITAL][1] == one.h[DOC_TEXT][0]);
    }
    CHECK_INT(one.n[DOC_TEXT_INITIAL], 1);
    CHECK_INT(one.n[DOC_TEXT_CAPITAL], 0);
    for (size_t i = 1; i < dt.n[DOC_TEXT_INITIAL]; i++)
        CHECK(dt.h[DOC_TEXT_INITIAL][i - 1] <= dt.h[DOC_TEXT_INITIAL][i]); /* sorted */
    doc_terms_release(&dt);
    doc_terms_release(&one);
}

/* A small cased stream: two companies' funding rounds in one wording and a
 * chip plant story, added as text and as doc_terms with the title and text
 * withheld (the terms must carry the names: nothing is tokenised again). */
static void test_terms_path_learns_names(void)
{
    static const char *const docs[][2] = {
        {"Quillon raises $40m",
         "Startup Quillon said it raised $40 million in a funding round; chief executive Adaeze "
         "Morrow said the money will pay for hiring."},
        {"Veltrix raises $40m",
         "Startup Veltrix said it raised $40 million in a funding round; chief executive Joren "
         "Pask said the money will pay for hiring."},
        {"Plant delay",
         "Work on the Ostfeld chip plant near Marburg slipped again, said Ostfeld, citing "
         "permits."},
        {"Quillon round",
         "The funding round for Quillon values it at $300 million, and Adaeze Morrow plans to "
         "hire."},
        {"Veltrix round",
         "The funding round for Veltrix values it at $300 million, and Joren Pask plans to "
         "hire."},
        {"More delay at Ostfeld",
         "Ostfeld said the Marburg plant is delayed by permits once more. Local officials "
         "agreed."},
    };
    enum { N = sizeof(docs) / sizeof(docs[0]) };
    struct cluster_opts o;
    cluster_opts_default(&o);
    o.name_agree = true;
    struct cluster_engine *a = cluster_engine_new(&o), *b = cluster_engine_new(&o);
    observe_week(a);
    observe_week(b);
    struct doc_terms dt = {0};
    bool same_sims = true;
    for (size_t i = 0; i < N; i++) {
        int64_t t = 1700000000 + (int64_t)i * 600;
        float sa = 0, sb = 0;
        cluster_engine_add(a, docs[i][0], docs[i][1], t, &sa);
        doc_terms_compute(&dt, NULL, docs[i][0], docs[i][1]);
        cluster_engine_add_terms(b, &dt, t, &sb);
        same_sims = same_sims && sa == sb;
    }
    size_t by_text[N], by_terms[N];
    size_t ka = cluster_engine_finish(a, by_text);
    size_t kb = cluster_engine_finish(b, by_terms);
    printf("# cased stream: %zu clusters from text, %zu from doc_terms\n", ka, kb);
    CHECK(same_sims);
    CHECK_INT(kb, ka);
    CHECK(memcmp(by_text, by_terms, sizeof(by_text)) == 0);
    CHECK(by_terms[0] != by_terms[1]); /* the two rounds apart: names were learned */
    CHECK(by_terms[0] == by_terms[3]);
    CHECK(by_terms[1] == by_terms[4]);
    doc_terms_release(&dt);
    cluster_engine_free(a);
    cluster_engine_free(b);
}

TESTS(TEST(test_default_on), TEST(test_rounds_apart_by_default), TEST(test_doc_terms_case_lists),
      TEST(test_terms_path_learns_names))
