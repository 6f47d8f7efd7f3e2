/* SPDX-License-Identifier: MIT */
/* figcompare.c: do the outlets covering a story agree on its figures?
 *
 * The figures come from figure_extract() (entity.c), which already puts
 * every reading in one scale per unit: money in units of its currency
 * ("100억 달러" and "$10B" are both 1e10 USD), capacity in MW ("1.2 GW" is
 * 1200), percentages in percent. So comparing is a matter of pairing
 * readings of the same quantity: same kind, same unit, and within a factor
 * of two (a story's "$10B deal" and its "$400M round" are two quantities,
 * not a disagreement). Two readings disagree when no value satisfies both
 * (reading_bounds). Currencies are not converted: exchange rates change
 * daily and "₩14조" next to "$10B" says nothing about who is right. */
#include "corpus/corpus.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define SAME_QUANTITY_FACTOR 2.0 /* further apart than this: another quantity */
#define SAME_VALUE_SHARE 0.005   /* closer than 0.5%: the same value, rounded */

static bool same_quantity(const struct figure_claim *a, const struct figure_claim *b)
{
    if (a->kind != b->kind || strcmp(a->unit, b->unit) != 0)
        return false;
    double lo = a->value < b->value ? a->value : b->value;
    double hi = a->value < b->value ? b->value : a->value;
    return hi <= SAME_QUANTITY_FACTOR * lo;
}

/* What a reading allows, as [lo, hi]: an exact or "about" figure its
 * rounding band (v ± 0.25%); "more than" everything above that band (the
 * usual at-least words, "more than", "over", are strict); "up to" anything
 * up to the figure. So "up to 750 MW" and "750 MW" agree, "more than $10B"
 * and "$10 billion" do not, and neither do "about $10.5 billion" and "$10
 * billion". */
static void reading_bounds(const struct figure_claim *c, double *lo, double *hi)
{
    double band = SAME_VALUE_SHARE / 2 * c->value;
    *lo = c->value - band;
    *hi = c->value + band;
    if (c->qualifier == FIGURE_AT_LEAST) {
        *lo = c->value + 2 * band;
        *hi = INFINITY;
    } else if (c->qualifier == FIGURE_AT_MOST) {
        *lo = 0;
    }
}

static bool compatible(const struct figure_claim *a, const struct figure_claim *b)
{
    double alo, ahi, blo, bhi;
    reading_bounds(a, &alo, &ahi);
    reading_bounds(b, &blo, &bhi);
    return alo <= bhi && blo <= ahi;
}

static bool same_reading(const struct figure_claim *a, const struct figure_claim *b)
{
    double lo = a->value < b->value ? a->value : b->value;
    double hi = a->value < b->value ? b->value : a->value;
    return hi - lo <= SAME_VALUE_SHARE * hi && a->qualifier == b->qualifier;
}

size_t figure_disagreements(const struct figure_claim *c, size_t n, size_t *out, size_t *group)
{
    bool *grouped = xcalloc(n ? n : 1, sizeof(bool));
    size_t nout = 0, ngroups = 0;
    for (size_t a = 0; a < n; a++) {
        if (grouped[a] || c[a].kind == FIGURE_DATE)
            continue;
        size_t start = nout;
        bool differ = false;
        for (size_t k = a; k < n; k++) {
            if (grouped[k] || !same_quantity(&c[a], &c[k]))
                continue;
            grouped[k] = true;
            bool repeat = false; /* the outlet said the same thing before */
            for (size_t j = start; j < nout && !repeat; j++)
                repeat = c[out[j]].outlet == c[k].outlet && same_reading(&c[out[j]], &c[k]);
            if (repeat)
                continue;
            for (size_t j = start; j < nout && !differ; j++)
                differ = !compatible(&c[out[j]], &c[k]);
            if (group)
                group[nout] = ngroups;
            out[nout++] = k;
        }
        if (differ)
            ngroups++;
        else
            nout = start;
    }
    free(grouped);
    return nout;
}
