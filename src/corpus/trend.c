/* SPDX-License-Identifier: MIT */
/* trend.c: calendar periods, growth, burst significance and context shift.
 *
 * Everything here works on counts that the store keeps per day and outlet:
 * "x of n articles used the term". Term rates are small (a few per
 * thousand), so the number of articles using a term in a period is well
 * modelled as Poisson with mean n * baseline rate. The test is one-sided and
 * exact (the upper tail is the regularised lower incomplete gamma function
 * P(x, lambda)), so it stays meaningful for the small counts of a new term,
 * where a z-score would claim significance for 2 articles against 0.1
 * expected. The baseline is smoothed (+0.5 articles, +1 document), so a term
 * never seen before gets a finite, small expectation instead of zero.
 *
 * Expected work: a few hundred periods per term and a few thousand terms
 * for --emerging; nothing here allocates. */
#include "corpus/corpus.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"

/* ==== calendar ==== */

/* days since 1970-01-01 to civil date (proleptic Gregorian; H. Hinnant) */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int64_t days_from_civil(int y, int m, int d)
{
    return time_from_civil(y, m, d, 0, 0, 0) / 86400;
}

/* 1970-01-01 was a Thursday: Monday-based weekday 0..6 */
static int64_t weekday(int64_t day)
{
    int64_t w = (day + 3) % 7;
    return w < 0 ? w + 7 : w;
}

int64_t trend_period_start(enum trend_period p, int64_t day)
{
    int y, m, d;
    switch (p) {
    case TREND_DAY: return day;
    case TREND_WEEK: return day - weekday(day);
    case TREND_MONTH: civil_from_days(day, &y, &m, &d); return days_from_civil(y, m, 1);
    case TREND_QUARTER:
        civil_from_days(day, &y, &m, &d);
        return days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
    }
    return day;
}

int64_t trend_period_next(enum trend_period p, int64_t start)
{
    int y, m, d;
    switch (p) {
    case TREND_DAY: return start + 1;
    case TREND_WEEK: return start + 7;
    case TREND_MONTH:
    case TREND_QUARTER:
        civil_from_days(start, &y, &m, &d);
        m += p == TREND_MONTH ? 1 : 3;
        if (m > 12) {
            m -= 12;
            y++;
        }
        return days_from_civil(y, m, 1);
    }
    return start + 1;
}

void trend_period_label(enum trend_period p, int64_t start, char out[static 16])
{
    int y, m, d;
    civil_from_days(start, &y, &m, &d);
    y = y < 0 ? 0 : y > 9999 ? 9999 : y; /* keeps every label within 16 bytes */
    switch (p) {
    case TREND_DAY: snprintf(out, 16, "%04d-%02d-%02d", y, m, d); break;
    case TREND_WEEK: {
        /* ISO week: the week belongs to the year of its Thursday */
        int64_t thu = start - weekday(start) + 3;
        int ty, tm, td;
        civil_from_days(thu, &ty, &tm, &td);
        ty = ty < 0 ? 0 : ty > 9999 ? 9999 : ty;
        int64_t week = (thu - days_from_civil(ty, 1, 1)) / 7 + 1;
        snprintf(out, 16, "%04d-W%02d", ty, (int)week);
        break;
    }
    case TREND_MONTH: snprintf(out, 16, "%04d-%02d", y, m); break;
    case TREND_QUARTER: snprintf(out, 16, "%04d-Q%c", y, (char)('1' + (m - 1) / 3)); break;
    }
}

bool trend_period_parse(const char *s, enum trend_period *out)
{
    static const char *const names[] = {"day", "week", "month", "quarter"};
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (enum trend_period)i;
            return true;
        }
    return false;
}

/* ==== Poisson tail ==== */

/* log P(a, x), the regularised lower incomplete gamma, by its series
 * (converges fast for x < a + 1). */
static double log_gamma_p_series(double a, double x)
{
    double ap = a, sum = 1.0 / a, del = sum;
    for (int i = 0; i < 10000; i++) {
        ap += 1;
        del *= x / ap;
        sum += del;
        if (fabs(del) < fabs(sum) * 1e-15)
            break;
    }
    return log(sum) - x + a * log(x) - lgamma(a);
}

/* Q(a, x) = 1 - P(a, x) by Lentz's continued fraction (x >= a + 1). */
static double gamma_q_cf(double a, double x)
{
    const double tiny = 1e-300;
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < 10000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15)
            break;
    }
    return exp(-x + a * log(x) - lgamma(a)) * h;
}

double trend_poisson_log_sf(double x, double lambda)
{
    if (x <= 0)
        return 0;
    if (lambda <= 0)
        return -INFINITY;
    /* P(X >= x) = P(x, lambda) for integer x >= 1 */
    if (lambda < x + 1)
        return log_gamma_p_series(x, lambda);
    double q = gamma_q_cf(x, lambda);
    return log1p(-fmin(q, 1.0));
}

double trend_poisson_sf(double x, double lambda)
{
    return exp(trend_poisson_log_sf(x, lambda));
}

/* ==== tests ==== */

void trend_test_counts(int64_t x, int64_t n, int64_t xb, int64_t nb, struct trend_test *out)
{
    memset(out, 0, sizeof(*out));
    double p0 = ((double)xb + 0.5) / ((double)nb + 1.0);
    out->base = 1000.0 * p0;
    out->base_docs = nb;
    if (n <= 0) {
        out->p = 1;
        return;
    }
    out->rate = 1000.0 * (double)x / (double)n;
    out->expected = p0 * (double)n;
    out->ratio = out->rate / out->base;
    out->z = ((double)x - out->expected) / sqrt(out->expected);
    double lp = trend_poisson_log_sf((double)x, out->expected);
    out->p = exp(lp);
    out->log10p = lp / log(10.0);
}

bool trend_is_burst(const struct trend_test *t, int64_t x, double alpha, int64_t min_count)
{
    return x >= min_count && t->base_docs >= TREND_MIN_BASE_DOCS && t->ratio >= 2.0 && t->p < alpha;
}

double trend_growth(double now, double before)
{
    if (before == 0)
        return NAN;
    return (now - before) / before;
}

void trend_series_test(const int64_t *x, const int64_t *n, size_t len, size_t window,
                       struct trend_test *out)
{
    int64_t xb = 0, nb = 0;
    for (size_t i = 0; i < len; i++) {
        trend_test_counts(x[i], n[i], xb, nb, &out[i]);
        xb += x[i];
        nb += n[i];
        if (i >= window) {
            xb -= x[i - window];
            nb -= n[i - window];
        }
    }
}

/* ==== context similarity ==== */

static const struct trend_weight *find_term(const struct trend_weight *v, size_t n,
                                            const char *term)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].term, term) == 0)
            return &v[i];
    return NULL;
}

double trend_jaccard(const struct trend_weight *a, size_t na, const struct trend_weight *b,
                     size_t nb)
{
    if (na == 0 && nb == 0)
        return 1;
    size_t both = 0;
    for (size_t i = 0; i < na; i++)
        if (find_term(b, nb, a[i].term))
            both++;
    return (double)both / (double)(na + nb - both);
}

double trend_cosine(const struct trend_weight *a, size_t na, const struct trend_weight *b,
                    size_t nb)
{
    double dot = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < na; i++) {
        aa += a[i].w * a[i].w;
        const struct trend_weight *o = find_term(b, nb, a[i].term);
        if (o)
            dot += a[i].w * o->w;
    }
    for (size_t i = 0; i < nb; i++)
        bb += b[i].w * b[i].w;
    if (aa == 0 || bb == 0)
        return 0;
    return dot / sqrt(aa * bb);
}
