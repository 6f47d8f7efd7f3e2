/* SPDX-License-Identifier: MIT */
/* test_summarize.c: the summariser (corpus/summarize.c) — limits, grounding,
 * redundancy, centrality — and the figure extraction behind disagreement
 * notes and implication lines. */
#include "../test.h"

#include "base/util.h"
#include "corpus/corpus.h"
#include "text/text.h"

static char *xstrndup_test(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static const char *const story[] = {
    "Cerebras will supply OpenAI with 750 MW of compute through 2028. "
    "The deal is worth more than $10 billion. "
    "Shares of chip rivals fell in early trading. "
    "The weather in Sunnyvale was mild on Saturday.",
    "OpenAI agreed to buy 750 MW of Cerebras compute capacity through 2028. "
    "Analysts said the OpenAI compute deal diversifies its chip supply. "
    "Cerebras will supply OpenAI with 750 MW of compute through 2028.",
};

static void test_limits_and_grounding(void)
{
    struct sum_opts o;
    sum_opts_default(&o);
    o.max_sentences = 2;
    struct sum_pick *p = NULL;
    size_t n = summarize(story, 2, &o, &p);
    CHECK_INT(n, 2);
    for (size_t i = 0; i < n; i++) {
        /* each pick is exactly sentence p[i].sentence of text p[i].doc */
        struct text_span *sp = NULL;
        size_t ns = text_sentences(story[p[i].doc], strlen(story[p[i].doc]), &sp);
        CHECK(p[i].sentence < ns);
        if (p[i].sentence < ns) {
            CHECK_INT(sp[p[i].sentence].start, p[i].start);
            CHECK_INT(sp[p[i].sentence].end, p[i].end);
        }
        free(sp);
    }
    /* text order: (doc, sentence) ascending */
    CHECK(p[0].doc < p[1].doc || (p[0].doc == p[1].doc && p[0].sentence < p[1].sentence));
    free(p);
}

static void test_no_repeats_and_centrality(void)
{
    struct sum_opts o;
    sum_opts_default(&o);
    o.max_sentences = 3;
    o.text_order = false;
    struct sum_pick *p = NULL;
    size_t n = summarize(story, 2, &o, &p);
    CHECK(n >= 2);
    /* the sentence both outlets carry is the most central one */
    char *first = xstrndup_test(story[p[0].doc] + p[0].start, p[0].end - p[0].start);
    CHECK_CONTAINS(first, "750 MW");
    free(first);
    /* ... and it is taken once, not twice */
    int copies = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(story[p[i].doc] + p[i].start, "Cerebras will supply", 20) == 0)
            copies++;
    CHECK(copies <= 1);
    /* the off-topic sentence is never chosen before the on-topic ones */
    for (size_t i = 0; i < n; i++)
        CHECK(strncmp(story[p[i].doc] + p[i].start, "The weather", 11) != 0);
    free(p);
}

static void test_word_budget_and_window(void)
{
    struct sum_opts o;
    sum_opts_default(&o);
    o.max_sentences = 0;
    o.max_words = 20;
    struct sum_pick *p = NULL;
    size_t n = summarize(story, 2, &o, &p);
    size_t words = 0;
    for (size_t i = 0; i < n; i++) {
        char *s = xstrndup_test(story[p[i].doc] + p[i].start, p[i].end - p[i].start);
        words += summarize_count_words(s);
        free(s);
    }
    CHECK(n >= 1);
    CHECK(words >= 10 && words <= 30);
    free(p);
    /* a length window that no sentence fits gives nothing */
    o.max_words = 0;
    o.max_sentences = 3;
    o.min_chars = 500;
    CHECK_INT(summarize(story, 2, &o, &p), 0);
    CHECK(p == NULL);
    /* empty input */
    const char *none[] = {NULL, ""};
    CHECK_INT(summarize(none, 2, NULL, &p), 0);
}

static void test_money(void)
{
    static const struct {
        const char *text;
        double usd;
        int q;
    } cases[] = {
        {"a deal worth more than $10B, the companies said", 10e9, MONEY_AT_LEAST},
        {"Cerebras lands a $10 billion deal", 10e9, MONEY_EXACT},
        {"value the contract at about $10.5 billion over its life", 10.5e9, MONEY_ABOUT},
        {"raised $400 million in a Series C", 400e6, MONEY_EXACT},
        {"raises $30M to build", 30e6, MONEY_EXACT},
        {"up to $1.2bn in credits", 1.2e9, MONEY_AT_MOST},
        {"계약 규모는 100억 달러 이상으로", 10e9, MONEY_AT_LEAST},
        {"약 105억 달러 규모", 10.5e9, MONEY_ABOUT},
        {"It costs $2,500 a seat", 2500, MONEY_EXACT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct money m[2];
        size_t n = corpus_money(cases[i].text, m, 2);
        CHECK_INT(n, 1);
        if (n) {
            CHECK(m[0].usd > cases[i].usd * 0.999 && m[0].usd < cases[i].usd * 1.001);
            CHECK_INT(m[0].qualifier, cases[i].q);
        }
    }
    struct money m[4];
    CHECK_INT(corpus_money("no figures, 10 billion without a currency, US$", m, 4), 0);
    CHECK_INT(corpus_money("$5m and then 100억 달러 and $7B", m, 4), 3);
    CHECK(m[0].usd == 5e6 && m[1].usd == 10e9 && m[2].usd == 7e9); /* text order */
}

static void test_power(void)
{
    double mw[4];
    CHECK_INT(corpus_power("up to 750 MW of compute and a 1.2 gigawatt campus", mw, 4), 2);
    CHECK(mw[0] == 750 && mw[1] > 1199 && mw[1] < 1201);
    CHECK_INT(corpus_power("750 megawatts", mw, 4), 1);
    CHECK_INT(corpus_power("750 mw is lower case, 3 MWh is energy", mw, 4), 0);
}

TESTS(TEST(test_limits_and_grounding), TEST(test_no_repeats_and_centrality),
      TEST(test_word_budget_and_window), TEST(test_money), TEST(test_power))
