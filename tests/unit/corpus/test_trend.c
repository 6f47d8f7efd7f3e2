/* SPDX-License-Identifier: MIT */
/* test_trend.c: calendar periods, the Poisson tail, burst detection on
 * simulated series with planted bursts, and context similarity.
 *
 * The tail is checked against a naive sum of the probability mass
 * function; the detector against series drawn from a seeded Poisson
 * generator, where the bursts are known because we put them there. */
#include "../test.h"

#include <math.h>

#include "base/util.h"
#include "corpus/corpus.h"

static int64_t day(const char *s)
{
    int64_t t = 0;
    if (!time_parse_day(s, &t))
        fprintf(stderr, "  bad day %s\n", s);
    return t / 86400;
}

static void test_periods(void)
{
    char l[16];
    /* 2026-01-31 is a Saturday: its ISO week 5 starts on Monday 26 January */
    CHECK_INT(trend_period_start(TREND_WEEK, day("2026-01-31")), day("2026-01-26"));
    trend_period_label(TREND_WEEK, day("2026-01-26"), l);
    CHECK_STR(l, "2026-W05");
    /* 1 January 2021 was a Friday: it belongs to ISO week 53 of 2020 */
    trend_period_label(TREND_WEEK, trend_period_start(TREND_WEEK, day("2021-01-01")), l);
    CHECK_STR(l, "2020-W53");
    CHECK_INT(trend_period_start(TREND_MONTH, day("2024-02-29")), day("2024-02-01"));
    CHECK_INT(trend_period_next(TREND_MONTH, day("2024-12-01")), day("2025-01-01"));
    CHECK_INT(trend_period_start(TREND_QUARTER, day("2026-06-30")), day("2026-04-01"));
    CHECK_INT(trend_period_next(TREND_QUARTER, day("2026-10-01")), day("2027-01-01"));
    trend_period_label(TREND_QUARTER, day("2026-10-01"), l);
    CHECK_STR(l, "2026-Q4");
    trend_period_label(TREND_DAY, day("1969-12-31"), l);
    CHECK_STR(l, "1969-12-31");
    CHECK_INT(trend_period_start(TREND_WEEK, day("1969-12-31")), day("1969-12-29"));
    /* periods tile the line: every day lies in exactly the period it starts */
    for (int p = TREND_DAY; p <= TREND_QUARTER; p++) {
        int64_t s = trend_period_start((enum trend_period)p, day("2023-11-15"));
        for (int i = 0; i < 30; i++) {
            int64_t n = trend_period_next((enum trend_period)p, s);
            CHECK(n > s);
            CHECK_INT(trend_period_start((enum trend_period)p, n - 1), s);
            CHECK_INT(trend_period_start((enum trend_period)p, n), n);
            s = n;
        }
    }
    enum trend_period ep;
    CHECK(trend_period_parse("quarter", &ep) && ep == TREND_QUARTER);
    CHECK(!trend_period_parse("year", &ep));
}

/* log P(X >= x) by summing the mass function from x upwards. */
static double naive_log_sf(int x, double lambda)
{
    double logpmf = -lambda + x * log(lambda) - lgamma(x + 1.0), sum = 0;
    for (int k = x; k < x + 2000; k++) {
        sum += exp(logpmf - (-lambda + x * log(lambda) - lgamma(x + 1.0)));
        logpmf += log(lambda) - log(k + 1.0);
    }
    return -lambda + x * log(lambda) - lgamma(x + 1.0) + log(sum);
}

static void test_poisson_tail(void)
{
    CHECK(trend_poisson_sf(0, 3.0) == 1.0);
    CHECK(fabs(trend_poisson_sf(1, 2.0) - (1 - exp(-2.0))) < 1e-12);
    static const double lambdas[] = {0.01, 0.3, 1, 4.5, 20, 150};
    for (size_t i = 0; i < sizeof(lambdas) / sizeof(lambdas[0]); i++)
        for (int x = 1; x < 300; x += 7) {
            double got = trend_poisson_log_sf(x, lambdas[i]), want = naive_log_sf(x, lambdas[i]);
            if (fabs(got - want) > 1e-8 * fmax(1, fabs(want))) {
                fprintf(stderr, "  x=%d lambda=%g: %.12g vs %.12g\n", x, lambdas[i], got, want);
                CHECK(0);
            }
        }
    /* far in the tail p underflows, its log does not */
    CHECK(isfinite(trend_poisson_log_sf(5000, 10)));
    CHECK(trend_poisson_log_sf(5000, 10) < -10000);
}

/* Knuth's Poisson sampler with a fixed LCG: reproducible series. */
static uint64_t rng = 42;
static double uniform(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng >> 11) / 9007199254740992.0;
}
static int64_t poisson(double lambda)
{
    double l = exp(-lambda), p = 1;
    int64_t k = 0;
    do {
        k++;
        p *= uniform();
    } while (p > l);
    return k - 1;
}

static void test_planted_bursts(void)
{
    enum { LEN = 120, TRIALS = 20 };
    int64_t x[LEN], n[LEN];
    bool planted[LEN] = {false};
    planted[40] = planted[41] = planted[90] = true;
    int hits = 0, false_alarms = 0, strong = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
        for (int i = 0; i < LEN; i++) {
            n[i] = 800 + (int64_t)(uniform() * 400); /* articles vary by period */
            double rate = 0.004 * (planted[i] ? 5 : 1);
            x[i] = poisson(rate * (double)n[i]);
        }
        struct trend_test t[LEN];
        trend_series_test(x, n, LEN, 8, t);
        for (int i = 8; i < LEN; i++) {
            bool b = trend_is_burst(&t[i], x[i], 0.001, 3);
            hits += b && planted[i];
            false_alarms += b && !planted[i];
        }
        strong += t[90].p < 1e-4 && t[90].ratio > 2.5;
    }
    /* five times the base rate over ~4 expected articles: found nearly
     * always; at alpha 0.001 over 20 x 109 quiet periods, about two false
     * alarms are expected */
    CHECK(hits >= 3 * TRIALS * 8 / 10);
    CHECK(false_alarms <= 6);
    CHECK(strong >= TRIALS * 3 / 4);
    /* the same detector on a series without any burst stays quiet */
    for (int i = 0; i < LEN; i++) {
        n[i] = 1000;
        x[i] = poisson(4.0);
    }
    struct trend_test t[LEN];
    trend_series_test(x, n, LEN, 8, t);
    int quiet = 0;
    for (int i = 8; i < LEN; i++)
        quiet += !trend_is_burst(&t[i], x[i], 0.001, 3);
    CHECK(quiet >= LEN - 8 - 1);
}

static void test_counts(void)
{
    struct trend_test t;
    /* a term never seen before, in 3 of 100 articles, against 1000 without */
    trend_test_counts(3, 100, 0, 1000, &t);
    CHECK(fabs(t.rate - 30) < 1e-9);
    CHECK(fabs(t.expected - 100 * 0.5 / 1001) < 1e-12);
    CHECK(t.p < 1e-4);
    CHECK(trend_is_burst(&t, 3, 0.001, 3));
    CHECK(!trend_is_burst(&t, 3, 0.001, 4));
    /* the same rate as the baseline is no burst */
    trend_test_counts(40, 1000, 400, 10000, &t);
    CHECK(t.ratio > 0.95 && t.ratio < 1.05);
    CHECK(t.p > 0.3);
    CHECK(!trend_is_burst(&t, 40, 0.001, 3));
    trend_test_counts(5, 0, 1, 10, &t);
    CHECK(t.p == 1.0);
    CHECK(isnan(trend_growth(3, 0)));
    CHECK(fabs(trend_growth(3, 2) - 0.5) < 1e-12);
}

static void test_similarity(void)
{
    struct trend_weight a[] = {{"orchestr", 3}, {"multi-agent", 2}, {"tool", 1}};
    struct trend_weight b[] = {{"tool", 1}, {"multi-agent", 2}, {"orchestr", 3}};
    struct trend_weight c[] = {{"chatbot", 4}, {"assist", 1}, {"tool", 1}};
    CHECK(fabs(trend_jaccard(a, 3, b, 3) - 1) < 1e-12);
    CHECK(fabs(trend_cosine(a, 3, b, 3) - 1) < 1e-12);
    CHECK(fabs(trend_jaccard(a, 3, c, 3) - 1.0 / 5) < 1e-12);
    CHECK(fabs(trend_cosine(a, 3, c, 3) - 1.0 / (sqrt(14) * sqrt(18))) < 1e-12);
    CHECK(trend_jaccard(a, 3, NULL, 0) == 0);
    CHECK(trend_jaccard(NULL, 0, NULL, 0) == 1);
    CHECK(trend_cosine(a, 3, NULL, 0) == 0);
}

TESTS(TEST(test_periods), TEST(test_poisson_tail), TEST(test_planted_bursts), TEST(test_counts),
      TEST(test_similarity))
