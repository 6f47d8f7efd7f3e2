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

TESTS(TEST(test_limits_and_grounding), TEST(test_no_repeats_and_centrality),
      TEST(test_word_budget_and_window))
