/* SPDX-License-Identifier: MIT */
#include "../test.h"

#include <math.h>

#include "corpus/corpus.h"

static void test_tvec_against_naive(void)
{
    struct tvec a, b;
    tvec_from_text(&a, "chips chips compute deal", 1.0f);
    tvec_from_text(&b, "compute deal for chips and power", 1.0f);
    /* naive dot over term lists */
    float naive = 0;
    for (size_t i = 0; i < a.n; i++)
        for (size_t j = 0; j < b.n; j++)
            if (a.term[i] == b.term[j])
                naive += a.w[i] * b.w[j];
    CHECK(fabsf(tvec_dot(&a, &b) - naive) < 1e-5f);
    CHECK(naive >= 4.0f); /* chip x2, comput, deal */
    struct tvec sum = {0};
    tvec_add(&sum, &a, 1.0f);
    tvec_add(&sum, &b, 2.0f);
    CHECK(fabsf(tvec_dot(&sum, &sum) -
                (tvec_dot(&a, &a) + 4 * tvec_dot(&b, &b) + 4 * tvec_dot(&a, &b))) < 1e-3f);
    for (size_t i = 1; i < sum.n; i++)
        CHECK(sum.term[i - 1] < sum.term[i]);
    tvec_normalize(&sum);
    CHECK(fabsf(tvec_norm(&sum) - 1.0f) < 1e-5f);
    tvec_release(&a);
    tvec_release(&b);
    tvec_release(&sum);
}

static void test_story_grouping(void)
{
    const struct story_doc docs[] = {
        {"OpenAI signs 750 MW compute deal with Cerebras",
         "OpenAI will buy up to 750 megawatts of Cerebras compute through 2028.", 100, 1},
        {"Heavy rain expected across the region this weekend",
         "Forecasters expect heavy rain and strong wind on Saturday.", 110, 2},
        {"Cerebras wins OpenAI inference deal worth over $10 billion",
         "The deal gives OpenAI 750 MW of Cerebras systems for inference until 2028.", 120, 3},
        {"New phone review: battery lasts two days",
         "The phone's battery and camera impressed our reviewer.", 130, 1},
        {"OpenAI and Cerebras agree on multiyear compute purchase",
         "OpenAI agreed to purchase Cerebras compute capacity of 750 MW.", 140, 4},
        {"Weekend weather: rain and wind warnings issued",
         "Rain and wind warnings are in place for Saturday.", 150, 3},
    };
    size_t assign[6], n = 0;
    story_group(docs, 6, NULL, assign, &n);
    CHECK_INT(n, 3);
    CHECK_INT(assign[0], assign[2]);
    CHECK_INT(assign[0], assign[4]);
    CHECK_INT(assign[1], assign[5]);
    CHECK(assign[0] != assign[1]);
    CHECK(assign[3] != assign[0] && assign[3] != assign[1]);
    CHECK_INT(assign[0], 0); /* numbered in order of first appearance */

    /* the time window closes idle stories */
    struct story_opts o;
    story_opts_default(&o);
    o.window = 5;
    story_group(docs, 6, &o, assign, &n);
    CHECK_INT(n, 6);
}

static const char terms[] = "# comment\n"
                            "ai\tModels & research\t1\tmodel\n"
                            "ai\tAI for science\t3\tai for science\n"
                            "bigtech\tCompute & chips\t2\tchip\n"
                            "bigtech\tCompute & chips\t3\tcompute deal\n"
                            "trends\tPhysical AI & robotics\t3\tphysical ai\n";

static void test_focus_classify(void)
{
    struct focus_model *m = NULL;
    struct err e = ERR_INIT;
    CHECK_INT(focus_model_parse(terms, sizeof(terms) - 1, &m, &e), ACHIM_OK);
    CHECK_INT(focus_model_size(m), 5);
    struct focus_result r;
    focus_classify(m, "A compute deal for chips", "The chips ship in 2027.", 1.0, &r);
    CHECK_INT(r.area, BRIEF_BIGTECH);
    CHECK_STR(r.subtopic, "Compute & chips");
    CHECK_CONTAINS(r.terms, "compute deal(6)");
    CHECK_CONTAINS(r.terms, "chip(6)"); /* title 2x2 + text 1x2, stemmed "chips" */
    CHECK(fabs(r.score[BRIEF_BIGTECH] - 12.0) < 1e-9);
    focus_result_release(&r);

    focus_classify(m, "Robots", "NVIDIA bets on Physical AI for factories.", 1.0, &r);
    CHECK_INT(r.area, BRIEF_TRENDS);
    focus_result_release(&r);

    focus_classify(m, "Garden tips", "Water the roses early.", 1.0, &r);
    CHECK_INT(r.area, -1);
    CHECK_STR(r.terms, "");
    focus_result_release(&r);

    /* a phrase with a stopword inside still matches as a phrase */
    focus_classify(m, "New lab for AI for Science", "", 1.0, &r);
    CHECK_INT(r.area, BRIEF_AI);
    CHECK_STR(r.subtopic, "AI for science");
    focus_result_release(&r);
    focus_model_free(m);

    static const char bad[] = "nowhere\tX\t1\tterm\n";
    CHECK_INT(focus_model_parse(bad, sizeof(bad) - 1, &m, &e), ACHIM_EPARSE);
    CHECK_CONTAINS(e.msg, "line 1");
    static const char short_line[] = "ai\tX\t1\n";
    CHECK_INT(focus_model_parse(short_line, sizeof(short_line) - 1, &m, &e), ACHIM_EPARSE);
}

static void test_pick_sentences(void)
{
    const char *texts[] = {
        "OpenAI agreed to buy up to 750 MW of compute from Cerebras through 2028. "
        "The weather in the valley was mild.",
        "Cerebras said the OpenAI compute agreement covers 750 MW through 2028. "
        "Shares of unrelated firms moved little.",
        "Analysts called the OpenAI and Cerebras compute agreement a bet on inference.",
    };
    struct picked_sentence *ps = NULL;
    size_t n = corpus_pick_sentences(texts, 3, 2, 300, &ps);
    CHECK_INT(n, 2);
    CHECK_CONTAINS(ps[0].sentence, "Cerebras");
    CHECK(strstr(ps[0].sentence, "weather") == NULL);
    CHECK(ps[0].score >= ps[1].score);
    /* no near-repeat: the two chosen sentences come from different texts */
    CHECK(ps[0].doc != ps[1].doc);
    for (size_t i = 0; i < n; i++)
        free(ps[i].sentence);
    free(ps);

    const char *empty[] = {"", NULL};
    CHECK_INT(corpus_pick_sentences(empty, 2, 2, 300, &ps), 0);
    CHECK(ps == NULL);
}

TESTS(TEST(test_tvec_against_naive), TEST(test_story_grouping), TEST(test_focus_classify),
      TEST(test_pick_sentences))
