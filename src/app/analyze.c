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

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "corpus/corpus.h"
#include "text/text.h"

static const char *text_of(const struct article *a)
{
    if (!str_empty(a->summary))
        return a->summary;
    if (!str_empty(a->content))
        return a->content;
    return NULL;
}

/* Articles tokenised per batch: all the memory their token hashes hold. */
#define GROUP_BATCH 2048
#define GROUP_MAX_THREADS 4

/* Add hist[0, nhist), then arts[idx[k]] (arts[k] without idx) for k < n, to
 * the engine. Each batch of articles is tokenised first, once and on every
 * core (doc_terms), then clustered in order: the engine is sequential. */
static void group_add_all(struct cluster_engine *e, const struct article *hist, size_t nhist,
                          const struct article *arts, const size_t *idx, size_t n)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nan = cores < 1 ? 1 : cores > GROUP_MAX_THREADS ? GROUP_MAX_THREADS : (size_t)cores;
    struct text_analyzer *an[GROUP_MAX_THREADS];
    for (size_t t = 0; t < nan; t++)
        an[t] = text_analyzer_new();
    size_t total = nhist + n, cap = total < GROUP_BATCH ? total : GROUP_BATCH;
    struct doc_terms *dt = xcalloc(cap ? cap : 1, sizeof(*dt));
    const struct article **batch = xcalloc(cap ? cap : 1, sizeof(*batch));
    const char **titles = xcalloc(cap ? cap : 1, sizeof(char *));
    const char **texts = xcalloc(cap ? cap : 1, sizeof(char *));
    for (size_t b0 = 0; b0 < total; b0 += cap) {
        size_t m = total - b0 < cap ? total - b0 : cap;
        for (size_t i = 0; i < m; i++) {
            size_t k = b0 + i;
            batch[i] = k < nhist ? &hist[k] : &arts[idx ? idx[k - nhist] : k - nhist];
            titles[i] = batch[i]->title;
            texts[i] = text_of(batch[i]);
        }
        doc_terms_compute_all(dt, titles, texts, m, an, nan);
        for (size_t i = 0; i < m; i++)
            cluster_engine_add_terms(e, &dt[i], article_date(batch[i]), NULL);
    }
    for (size_t i = 0; i < cap; i++)
        doc_terms_release(&dt[i]);
    free(dt);
    free(batch);
    free(titles);
    free(texts);
    for (size_t t = 0; t < nan; t++)
        text_analyzer_free(an[t]);
}

enum achim_code app_story_group(struct store *st, const struct article *arts, const size_t *idx,
                                size_t n, int64_t window_from, size_t *assign, size_t *nstories,
                                struct app_story_info **info, struct err *err)
{
    struct cluster_engine *e = cluster_engine_new(NULL);
    struct article *hist = NULL;
    size_t nhist = 0;
    size_t *all = NULL, *num = NULL;
    enum achim_code rc = ACHIM_OK;
    if (info)
        *info = NULL;
    if (st) {
        rc = store_articles_between(st, window_from - APP_IDF_HISTORY_DAYS * 86400, window_from,
                                    &hist, &nhist, err);
        if (rc != ACHIM_OK)
            goto out;
    }
    /* the week before is clustered too: a story of the window that joins
     * one of its clusters continues earlier coverage */
    group_add_all(e, hist, nhist, arts, idx, n);
    all = xcalloc(nhist + n + 1, sizeof(size_t));
    size_t ncl = cluster_engine_finish(e, all);
    /* number the window's stories 0.. in order of first appearance in the window */
    num = xmalloc((ncl + 1) * sizeof(size_t));
    for (size_t c = 0; c < ncl; c++)
        num[c] = SIZE_MAX;
    size_t next = 0;
    for (size_t k = 0; k < n; k++) {
        size_t c = all[nhist + k];
        if (num[c] == SIZE_MAX)
            num[c] = next++;
        assign[k] = num[c];
    }
    *nstories = next;
    if (info) {
        struct app_story_info *si = xcalloc(next ? next : 1, sizeof(*si));
        for (size_t i = 0; i < nhist; i++) {
            size_t c = all[i];
            if (num[c] == SIZE_MAX)
                continue;
            struct app_story_info *x = &si[num[c]];
            x->earlier++;
            x->last_earlier = hist[i].id; /* history is in time order */
            int64_t t = article_date(&hist[i]);
            if (t && (!x->first_seen || t < x->first_seen))
                x->first_seen = t;
        }
        for (size_t k = 0; k < n; k++) {
            struct app_story_info *x = &si[assign[k]];
            int64_t t = article_date(&arts[idx ? idx[k] : k]);
            if (t && (!x->first_seen || t < x->first_seen))
                x->first_seen = t;
        }
        *info = si;
    }
out:
    free(all);
    free(num);
    store_articles_free(hist, nhist);
    cluster_engine_free(e);
    return rc;
}

/* ==== Ranking ==== */

const char *app_story_state_name(enum app_story_state s)
{
    switch (s) {
    case APP_STORY_NEW: return "new";
    case APP_STORY_DEVELOPING: return "developing";
    case APP_STORY_CONTINUED: return "continued";
    }
    return "?";
}

void app_rank_story(const struct app_rank_in *in, int64_t window_to, struct app_rank *out)
{
    memset(out, 0, sizeof(*out));
    /* breadth: independent outlets, each weighted by its authority (the
     * source's weight, 1.0 unless the user set one) */
    out->breadth = APP_RANK_OUTLET * in->authority;
    out->focus = APP_RANK_FOCUS * log1p(in->focus > 0 ? in->focus : 0) / log1p(APP_RANK_FOCUS_FULL);
    if (out->focus > APP_RANK_FOCUS)
        out->focus = APP_RANK_FOCUS;
    double hours = (double)(window_to - in->last) / 3600.0;
    out->recency = hours <= 0 ? APP_RANK_RECENCY : APP_RANK_RECENCY * exp(-hours / 24.0);
    /* novelty: the share of the story's coverage that is new today */
    double total = (double)in->today + (double)in->earlier;
    out->novelty = total > 0 ? APP_RANK_NOVELTY * (double)in->today / total : 0;
    /* burst: today's articles against the earlier daily rate */
    double rate = (double)in->earlier / APP_IDF_HISTORY_DAYS;
    out->burst = APP_RANK_BURST * log1p((double)in->today / (1.0 + rate)) / log1p(10.0);
    if (out->burst > APP_RANK_BURST)
        out->burst = APP_RANK_BURST;
    out->watch = APP_RANK_WATCH * in->watched;
    out->total = out->breadth + out->focus + out->recency + out->novelty + out->burst + out->watch;
    if (!in->earlier)
        out->state = APP_STORY_NEW;
    else if ((double)in->today >= (double)in->earlier)
        out->state = APP_STORY_DEVELOPING;
    else
        out->state = APP_STORY_CONTINUED;
}

char *app_rank_explain(const struct app_rank_in *in, const struct app_rank *r, int64_t window_to)
{
    struct buf w = BUF_INIT;
    double hours = (double)(window_to - in->last) / 3600.0;
    double first_h = in->first_seen ? (double)(window_to - in->first_seen) / 3600.0 : 0;
    buf_addf(&w, "breadth: %d independent outlet(s), authority %.2f x %.0f -> %.2f", in->outlets,
             in->authority, APP_RANK_OUTLET, r->breadth);
    buf_addf(&w, "; focus: score %.1f, %.0f ln(1+f) / ln(1+%.0f) at most %.0f -> %.2f", in->focus,
             APP_RANK_FOCUS, APP_RANK_FOCUS_FULL, APP_RANK_FOCUS, r->focus);
    buf_addf(&w, "; recency: latest %.1f h before the brief -> %.2f", hours, r->recency);
    buf_addf(
        &w, "; novelty: %zu of %zu article(s) new today, first report %.1f h before (%s) -> %.2f",
        in->today, in->today + in->earlier, first_h, app_story_state_name(r->state), r->novelty);
    buf_addf(&w, "; burst: %zu today vs %.1f a day before -> %.2f", in->today,
             (double)in->earlier / APP_IDF_HISTORY_DAYS, r->burst);
    buf_addf(&w, "; watchlist: %d name(s)%s%s -> %.2f", in->watched, in->watched_names ? " " : "",
             in->watched_names ? in->watched_names : "", r->watch);
    buf_addf(&w, "; total %.2f", r->total);
    return buf_take(&w);
}

/* ==== Stories across days ==== */

enum achim_code app_story_save(struct store *st, int64_t day, const int64_t *article_ids, size_t n,
                               int64_t last_earlier, const char *title,
                               enum app_story_state state, int outlets, int64_t *id,
                               struct err *err)
{
    /* the window's own articles first (a brief built again keeps its ids),
     * then the earlier article the clustering engine joined it to */
    int64_t *ids = xcalloc(n + 1, sizeof(int64_t));
    size_t nids = 0;
    for (size_t i = 0; i < n; i++)
        if (article_ids[i])
            ids[nids++] = article_ids[i];
    int64_t sid = 0;
    enum achim_code rc = store_story_find(st, ids, nids, day, &sid, err);
    if (rc == ACHIM_OK && !sid && last_earlier)
        rc = store_story_find(st, &last_earlier, 1, day, &sid, err);
    if (rc == ACHIM_OK) {
        struct store_story s = {.id = sid,
                                .first_day = day,
                                .last_day = day,
                                .state = (char *)app_story_state_name(state),
                                .title = (char *)title,
                                .articles = (int)nids,
                                .outlets = outlets};
        rc = store_story_put(st, &s, ids, nids, id, err);
    }
    free(ids);
    return rc;
}

/* ==== Facts: entities and figures per article ==== */

void app_facts_text(struct buf *out, const char *title, const char *summary, const char *content)
{
    buf_reset(out);
    buf_addstr(out, title ? title : "");
    buf_addch(out, '\n');
    buf_addstr(out, summary ? summary : "");
    buf_addch(out, '\n');
    buf_addstr(out, content ? content : "");
}

void app_facts_extract(const struct gazetteer *g, const char *text, struct app_facts *out)
{
    struct entity_hit *hits = NULL;
    size_t nh = entity_extract(g, text, &hits);
    struct store_entity *ents = xcalloc(nh ? nh : 1, sizeof(*ents));
    size_t ne = 0;
    for (size_t i = 0; i < nh; i++) {
        const char *name = gazetteer_name(g, hits[i].entity);
        size_t k = 0;
        while (k < ne && strcmp(ents[k].name, name) != 0)
            k++;
        if (k == ne)
            ents[ne++] =
                (struct store_entity){(char *)name, (char *)gazetteer_kind(g, hits[i].entity), 0};
        ents[k].mentions++;
    }
    struct figure *fig = NULL;
    size_t nf = figure_extract(text, &fig);
    struct store_figure *figs = xcalloc(nf ? nf : 1, sizeof(*figs));
    for (size_t i = 0; i < nf; i++)
        figs[i] = (struct store_figure){(char *)figure_kind_name(fig[i].kind), fig[i].value,
                                        xstrdup(fig[i].unit),
                                        xstrndup(text + fig[i].start, fig[i].end - fig[i].start)};
    free(fig);
    free(hits);
    *out = (struct app_facts){ents, ne, figs, nf};
}

void app_facts_release(struct app_facts *f)
{
    for (size_t i = 0; i < f->nfigs; i++) {
        free(f->figs[i].unit);
        free(f->figs[i].text);
    }
    free(f->figs);
    free(f->ents);
    memset(f, 0, sizeof(*f));
}

/* Article id's facts, extracted ahead from this very text by prep's
 * thread, or now, into *f. */
static enum achim_code facts_of(struct store *st, const struct gazetteer *g, struct app_prep *prep,
                                int64_t id, struct buf *text, struct app_facts *f, struct err *err)
{
    struct article a = {0};
    enum achim_code rc = store_article_text(st, id, &a, err);
    if (rc != ACHIM_OK)
        return rc;
    app_facts_text(text, a.title, a.summary, a.content);
    if (!prep || !app_prep_take_facts(prep, g, text->ptr, f))
        app_facts_extract(g, text->ptr, f);
    article_release(&a);
    return ACHIM_OK;
}

enum achim_code app_facts_sync(struct store *st, const struct gazetteer *g, size_t *done,
                               struct err *err)
{
    return app_facts_sync_prepared(st, g, NULL, done, err);
}

enum achim_code app_facts_sync_prepared(struct store *st, const struct gazetteer *g,
                                        struct app_prep *prep, size_t *done, struct err *err)
{
    size_t total = 0;
    enum achim_code rc = ACHIM_OK;
    for (;;) {
        int64_t *ids = NULL;
        size_t n = 0;
        rc = store_facts_pending(st, 500, &ids, &n, err);
        if (rc != ACHIM_OK || n == 0) {
            free(ids);
            break;
        }
        /* the texts are read under the write lock, so that none changes
         * before its facts are stored; the batch's facts are then written
         * under one savepoint: all of them or none */
        bool own = !store_in_transaction(st);
        rc = own ? store_begin(st, err) : ACHIM_OK;
        struct app_facts *f = xcalloc(n, sizeof(*f));
        struct store_facts_row *rows = xcalloc(n, sizeof(*rows));
        struct buf text = BUF_INIT;
        for (size_t i = 0; rc == ACHIM_OK && i < n; i++) {
            rc = facts_of(st, g, prep, ids[i], &text, &f[i], err);
            rows[i] =
                (struct store_facts_row){ids[i], f[i].ents, f[i].nents, f[i].figs, f[i].nfigs};
        }
        if (rc == ACHIM_OK)
            rc = store_facts_put_batch(st, rows, n, err);
        if (rc == ACHIM_OK && own)
            rc = store_commit(st, err);
        if (rc != ACHIM_OK && own)
            store_rollback(st);
        for (size_t i = 0; i < n; i++)
            app_facts_release(&f[i]);
        free(f);
        free(rows);
        buf_release(&text);
        free(ids);
        if (rc != ACHIM_OK)
            break;
        total += n;
    }
    if (done)
        *done = total;
    return rc;
}
