/* SPDX-License-Identifier: MIT */
/* analyze.c: the analysis steps of the brief that need the store — story
 * grouping with a warmed-up vocabulary and near-duplicate collapsing.
 *
 * corpus/ is pure and sees only arrays; this file feeds it what the store
 * holds. Grouping first shows the clustering engine the articles of the
 * days before the window (IDF statistics only, nothing is clustered), so
 * the first articles of the window are weighed against a settled
 * vocabulary: without it the first article of a day has every word equally
 * rare, and a story opened by it attracts whatever shares its common words.
 *
 * Expected work: one day's articles (hundreds; 3-4 thousand in the 100k
 * benchmark) and the week before them. */
#include "app/app.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "corpus/corpus.h"

static const char *text_of(const struct article *a)
{
    if (!str_empty(a->summary))
        return a->summary;
    if (!str_empty(a->content))
        return a->content;
    return NULL;
}

enum achim_code app_story_group(struct store *st, const struct article *arts, const size_t *idx,
                                size_t n, int64_t window_from, size_t *assign, size_t *nstories,
                                struct err *err)
{
    struct cluster_engine *e = cluster_engine_new(NULL);
    struct article *hist = NULL;
    size_t nhist = 0;
    enum achim_code rc = ACHIM_OK;
    if (st) {
        rc = store_articles_between(st, window_from - APP_IDF_HISTORY_DAYS * 86400, window_from,
                                    &hist, &nhist, err);
        if (rc != ACHIM_OK)
            goto out;
    }
    for (size_t i = 0; i < nhist; i++)
        cluster_engine_observe(e, hist[i].title, text_of(&hist[i]));
    for (size_t k = 0; k < n; k++) {
        const struct article *a = &arts[idx ? idx[k] : k];
        cluster_engine_add(e, a->title, text_of(a), article_date(a), NULL);
    }
    *nstories = cluster_engine_finish(e, assign);
out:
    store_articles_free(hist, nhist);
    cluster_engine_free(e);
    return rc;
}
