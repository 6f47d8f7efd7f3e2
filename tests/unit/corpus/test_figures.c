/* SPDX-License-Identifier: MIT */
/* test_figures.c: the qualifiers figure_extract() reads around a figure, and
 * figure_disagreements() on planted disagreements of every figure kind:
 * dollars, euros, won, "10억 달러", MW/GW and percentages. */
#include "../test.h"

#include <math.h>

#include "corpus/corpus.h"

static void test_qualifiers(void)
{
    static const struct {
        const char *text;
        enum figure_kind kind;
        double value;
        const char *unit;
        int q;
    } cases[] = {
        {"a deal worth more than $10B, the companies said", FIGURE_MONEY, 10e9, "USD",
         FIGURE_AT_LEAST},
        {"Cerebras lands a $10 billion deal", FIGURE_MONEY, 10e9, "USD", FIGURE_EXACT},
        {"value the contract at about $10.5 billion", FIGURE_MONEY, 10.5e9, "USD", FIGURE_ABOUT},
        {"raises $30M to build", FIGURE_MONEY, 30e6, "USD", FIGURE_EXACT},
        {"up to $1.2bn in credits", FIGURE_MONEY, 1.2e9, "USD", FIGURE_AT_MOST},
        {"계약 규모는 100억 달러 이상으로", FIGURE_MONEY, 10e9, "USD", FIGURE_AT_LEAST},
        {"약 105억 달러 규모", FIGURE_MONEY, 10.5e9, "USD", FIGURE_ABOUT},
        {"최대 3조 원을 투자", FIGURE_MONEY, 3e12, "KRW", FIGURE_AT_MOST},
        {"nearly €2.5 billion", FIGURE_MONEY, 2.5e9, "EUR", FIGURE_ABOUT},
        {"It costs $2,500 a seat", FIGURE_MONEY, 2500, "USD", FIGURE_EXACT},
        {"up to 750 MW of compute", FIGURE_POWER, 750, "MW", FIGURE_AT_MOST},
        {"a 1.2-gigawatt campus", FIGURE_POWER, 1200, "MW", FIGURE_EXACT},
        {"750 megawatts", FIGURE_POWER, 750, "MW", FIGURE_EXACT},
        {"more than 60% of firms", FIGURE_PERCENT, 60, "%", FIGURE_AT_LEAST},
        {"as much as 750 megawatts", FIGURE_POWER, 750, "MW", FIGURE_AT_MOST},
        /* a hedge must be a word of its own: "moreover" is not "over" */
        {"moreover $5 million", FIGURE_MONEY, 5e6, "USD", FIGURE_EXACT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct figure *f = NULL;
        size_t n = figure_extract(cases[i].text, &f);
        CHECK_INT(n, 1);
        if (n) {
            CHECK_INT(f[0].kind, cases[i].kind);
            CHECK(fabs(f[0].value - cases[i].value) <= 1e-6 * cases[i].value);
            CHECK_STR(f[0].unit, cases[i].unit);
            if (f[0].qualifier != cases[i].q)
                fprintf(stderr, "  qualifier %d, want %d: '%s'\n", f[0].qualifier, cases[i].q,
                        cases[i].text);
            CHECK_INT(f[0].qualifier, cases[i].q);
        }
        free(f);
    }
    /* lower-case "mw" and energy "MWh" are no capacity; text order is kept */
    struct figure *f = NULL;
    CHECK_INT(figure_extract("750 mw is lower case, 3 MWh is energy", &f), 0);
    free(f);
    CHECK_INT(figure_extract("$5m and then 100억 달러 and $7B", &f), 3);
    CHECK(f[0].value == 5e6 && f[1].value == 10e9 && f[2].value == 7e9);
    free(f);
}

/* Claims from text the way the brief reads them: the first figure of each
 * text, reported by outlet k. */
static size_t claims_of(const char *const *texts, size_t n, struct figure_claim *out)
{
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        struct figure *f = NULL;
        if (figure_extract(texts[i], &f)) {
            out[nc] =
                (struct figure_claim){f[0].kind, f[0].value, "", f[0].qualifier, (int64_t)i + 1};
            memcpy(out[nc].unit, f[0].unit, sizeof(out[nc].unit));
            nc++;
        }
        free(f);
    }
    return nc;
}

static void test_disagreements(void)
{
    struct {
        const char *name;
        const char *texts[4];
        size_t want; /* claims listed as disagreeing */
    } cases[] = {
        {"dollars, qualifier", {"a $10 billion deal", "more than $10B", "$10 billion pact"}, 3},
        {"dollars, value", {"$10 billion", "about $10.5 billion", "$10bn"}, 3},
        {"same value in two spellings", {"$10 billion", "$10B", "$10,000 million"}, 0},
        {"Korean and English dollars", {"100억 달러 규모", "$12 billion deal"}, 2},
        {"Korean and English agree", {"100억 달러 규모", "$10 billion deal"}, 0},
        {"euros", {"€2.5 billion", "€2.8bn", "EUR 2.5 billion"}, 3},
        {"won", {"₩3조 투자", "3.5조 원 투자"}, 2},
        {"capacity in MW and GW", {"750 MW of compute", "1 GW of compute", "0.75 GW"}, 3},
        {"capacity agrees across units", {"750 MW", "0.75 gigawatts"}, 0},
        {"percentages", {"61% of firms", "58 per cent of firms"}, 2},
        /* other quantities, not disagreements */
        {"another order of magnitude", {"$10 billion", "$400 million"}, 0},
        {"another currency", {"$10 billion", "€9 billion"}, 0},
        {"another kind", {"61%", "61 MW"}, 0},
        {"dates are not compared", {"on 2026-01-31", "on 2026-02-01"}, 0},
        /* hedged readings that fit together */
        {"up to and exact", {"up to 750 MW", "the 750 MW pact", "as much as 750 megawatts"}, 0},
        {"about and exact", {"about $10 billion", "$10 billion"}, 0},
        {"more than and a larger value", {"more than $10B", "$10.5 billion"}, 0},
        {"up to and a larger value", {"up to 750 MW", "1 GW"}, 2},
        {"more than and a smaller value", {"more than $10B", "$9.5 billion"}, 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = 0;
        while (n < 4 && cases[i].texts[n])
            n++;
        struct figure_claim c[4];
        size_t nc = claims_of(cases[i].texts, n, c);
        size_t out[4], group[4];
        size_t nd = figure_disagreements(c, nc, out, group);
        if (nd != cases[i].want)
            fprintf(stderr, "  %s: %zu disagreeing, want %zu\n", cases[i].name, nd, cases[i].want);
        CHECK_INT(nd, cases[i].want);
        for (size_t k = 0; k < nd; k++)
            CHECK_INT(group[k], 0);
    }

    /* two quantities in one story, and an outlet repeating itself */
    struct figure_claim c[] = {
        {FIGURE_MONEY, 10e9, "USD", FIGURE_AT_LEAST, 1},
        {FIGURE_POWER, 750, "MW", FIGURE_AT_MOST, 1},
        {FIGURE_MONEY, 10e9, "USD", FIGURE_EXACT, 2},
        {FIGURE_POWER, 1000, "MW", FIGURE_EXACT, 2},
        {FIGURE_MONEY, 10e9, "USD", FIGURE_AT_LEAST, 1},
        {FIGURE_PERCENT, 40, "%", FIGURE_EXACT, 3},
        {FIGURE_PERCENT, 40, "%", FIGURE_EXACT, 2},
    };
    size_t out[7], group[7];
    size_t nd = figure_disagreements(c, 7, out, group);
    CHECK_INT(nd, 4); /* the repeat (index 4) and the agreeing percentages are left out */
    CHECK(out[0] == 0 && out[1] == 2 && out[2] == 1 && out[3] == 3);
    CHECK(group[0] == 0 && group[1] == 0 && group[2] == 1 && group[3] == 1);
    CHECK_INT(figure_disagreements(c, 0, out, NULL), 0);
}

TESTS(TEST(test_qualifiers), TEST(test_disagreements))
