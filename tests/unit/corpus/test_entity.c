/* SPDX-License-Identifier: MIT */
/* test_entity.c: gazetteer matching rules and figure extraction, and the
 * shipped data/gazetteer.tsv (size, the names the issue requires). */
#include "../test.h"

#include <math.h>

#include "corpus/corpus.h"

static const char gaz[] = "# test\n"
                          "Samsung Electronics\tcompany\tSamsung\t005930.KS\n"
                          "NVIDIA\tcompany\t-\tNVDA\n"
                          "Apple\tcompany\t-\tAAPL\n"
                          "OpenAI\tlab\tOpen AI\t-\n";

static size_t names(const struct gazetteer *g, const char *text, char *out, size_t max)
{
    struct entity_hit *h = NULL;
    size_t n = entity_extract(g, text, &h);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, max - len, "%s%s[%zu,%zu]", i ? " " : "",
                 gazetteer_name(g, h[i].entity), h[i].start, h[i].end);
    }
    free(h);
    return n;
}

static void test_entities(void)
{
    struct gazetteer *g = NULL;
    struct err e = ERR_INIT;
    CHECK_INT(gazetteer_parse(gaz, sizeof(gaz) - 1, &g, &e), ACHIM_OK);
    CHECK_INT(gazetteer_size(g), 4);
    CHECK_STR(gazetteer_tickers(g, 1), "NVDA");
    char buf[512];
    /* longest form wins; case folds; position reported */
    CHECK_INT(names(g, "Samsung Electronics and Nvidia beat OpenAI.", buf, sizeof(buf)), 3);
    CHECK_STR(buf, "Samsung Electronics[0,19] NVIDIA[24,30] OpenAI[36,42]");
    /* lower-case words are not names; tickers only in capitals or exchange form */
    CHECK_INT(names(g, "an apple a day; nvda fell", buf, sizeof(buf)), 0);
    CHECK_INT(names(g, "NVDA and 005930.KS rose, Apple too", buf, sizeof(buf)), 3);
    CHECK_STR(buf, "NVIDIA[0,4] Samsung Electronics[9,18] Apple[25,30]");
    CHECK_INT(names(g, "Open AI said", buf, sizeof(buf)), 1);
    CHECK_INT(names(g, "", buf, sizeof(buf)), 0);
    gazetteer_free(g);

    static const char bad[] = "OnlyName\n";
    CHECK_INT(gazetteer_parse(bad, sizeof(bad) - 1, &g, &e), ACHIM_EPARSE);

    /* the shipped gazetteer */
    CHECK_INT(gazetteer_load("data/gazetteer.tsv", &g, &e), ACHIM_OK);
    CHECK(gazetteer_size(g) >= 200);
    CHECK_INT(names(g, "OpenAI buys Cerebras compute; GOOGL and IBM and Samsung Electronics", buf,
                    sizeof(buf)),
              5);
    CHECK_CONTAINS(buf, "Alphabet");
    CHECK_CONTAINS(buf, "Cerebras");
    gazetteer_free(g);
}

struct want_fig {
    const char *text;
    enum figure_kind kind;
    double value;
    const char *unit;
    const char *as_written;
};

static void test_figures(void)
{
    static const struct want_fig cases[] = {
        {"a deal worth $10 billion", FIGURE_MONEY, 1e10, "USD", "$10 billion"},
        {"more than $10B in", FIGURE_MONEY, 1e10, "USD", "$10B"},
        {"about $10.5bn.", FIGURE_MONEY, 1.05e10, "USD", "$10.5bn"},
        {"raised €2.5 million", FIGURE_MONEY, 2.5e6, "EUR", "€2.5 million"},
        {"£12m for", FIGURE_MONEY, 1.2e7, "GBP", "£12m"},
        {"₩3조 투자", FIGURE_MONEY, 3e12, "KRW", "₩3조"},
        {"계약… 100억 달러 이상", FIGURE_MONEY, 1e10, "USD", "100억 달러"},
        {"EUR 40 million", FIGURE_MONEY, 4e7, "EUR", "EUR 40 million"},
        {"up to 750 MW of", FIGURE_POWER, 750, "MW", "750 MW"},
        {"a 1.2 GW campus", FIGURE_POWER, 1200, "MW", "1.2 GW"},
        {"750MW 규모", FIGURE_POWER, 750, "MW", "750MW"},
        {"61% of firms", FIGURE_PERCENT, 61, "%", "61%"},
        {"fell 41 per cent", FIGURE_PERCENT, 41, "%", "41 per cent"},
        {"1,200 headsets, 97% less", FIGURE_PERCENT, 97, "%", "97%"},
        {"on 2026-01-31 it", FIGURE_DATE, 1769817600, "day", "2026-01-31"},
        {"from January 31, 2026 on", FIGURE_DATE, 1769817600, "day", "January 31, 2026"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct figure *f = NULL;
        size_t n = figure_extract(cases[i].text, &f);
        bool found = false;
        for (size_t k = 0; k < n; k++) {
            if (f[k].kind != cases[i].kind)
                continue;
            found = true;
            CHECK(fabs(f[k].value - cases[i].value) <= 1e-6 * fabs(cases[i].value));
            CHECK_STR(f[k].unit, cases[i].unit);
            size_t len = f[k].end - f[k].start;
            CHECK(len == strlen(cases[i].as_written) &&
                  memcmp(cases[i].text + f[k].start, cases[i].as_written, len) == 0);
        }
        if (!found)
            fprintf(stderr, "  no %s in '%s'\n", figure_kind_name(cases[i].kind), cases[i].text);
        CHECK(found);
        free(f);
    }
    /* no figures in version numbers, years alone or words */
    struct figure *f = NULL;
    CHECK_INT(figure_extract("GPT-5.2 shipped in 2025 to many users", &f), 0);
    CHECK(f == NULL);
    CHECK_INT(figure_extract(NULL, &f), 0);
}

/* Month names and currency signs are tried only where a figure can start:
 * a month at the start of a word, a sign not glued to a word before it;
 * both in any letter case. */
static void test_figure_keyword_boundaries(void)
{
    static const struct want_fig cases[] = {
        {"from JANUARY 31, 2026 on", FIGURE_DATE, 1769817600, "day", "JANUARY 31, 2026"},
        {"(december 1, 2025)", FIGURE_DATE, 1764547200, "day", "december 1, 2025"},
        {"paid usd 5 million", FIGURE_MONEY, 5e6, "USD", "usd 5 million"},
        {"raised US$5 billion", FIGURE_MONEY, 5e9, "USD", "US$5 billion"},
        {"cost ¥300 each", FIGURE_MONEY, 300, "JPY", "¥300"},
        {"(₩500억)", FIGURE_MONEY, 5e10, "KRW", "₩500억"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct figure *f = NULL;
        size_t n = figure_extract(cases[i].text, &f);
        CHECK_INT(n, 1);
        if (n == 1) {
            CHECK_INT(f[0].kind, cases[i].kind);
            CHECK(fabs(f[0].value - cases[i].value) <= 1e-6 * fabs(cases[i].value));
            CHECK_STR(f[0].unit, cases[i].unit);
            CHECK_INT(f[0].end - f[0].start, strlen(cases[i].as_written));
            CHECK(memcmp(cases[i].text + f[0].start, cases[i].as_written,
                         strlen(cases[i].as_written)) == 0);
        }
        free(f);
    }
    /* a month inside a word is no date; a sign glued to a word is no
     * currency, so "AUS$5" (not US dollars) gives nothing */
    struct figure *f = NULL;
    CHECK_INT(figure_extract("Summarch 5, 2024 and AUS$5 or XEUR 40 and ASEAN", &f), 0);
    free(f);
}

TESTS(TEST(test_entities), TEST(test_figures), TEST(test_figure_keyword_boundaries))
