/* SPDX-License-Identifier: MIT */
/* brief.c: the day's articles -> stories -> three blocks of cited bullets.
 *
 * Steps: load the window's articles, drop exact repeats (same canonical
 * URL), group the rest into stories, classify each story into a focus area,
 * score it (distinct outlets first, as Techmeme and Google News rank by
 * breadth of coverage, then focus strength and recency), and write the best
 * stories of each area as bullets whose text is taken from the articles. */
#include "app/app.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "corpus/corpus.h"
#include "text/text.h"

#define MAX_REFS_PER_BULLET 4
#define BULLET_MAX_CHARS 320
#define FOCUS_MIN_SCORE 6.0 /* e.g. one decisive term (weight 3) in a title */

void app_brief_opts_default(struct app_brief_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->lang = "en";
    o->morning_hour = 6;
    o->max_bullets = 5;
}

struct story {
    size_t *members; /* indexes into the article array, time order */
    size_t n, cap;
    int outlets;     /* distinct outlets among the members: coverage */
    int independent; /* distinct outlets among original reports (copies left out) */
    int64_t first, last;
    struct focus_result focus;
    double score;
    char *why;
    struct app_rank_in rank_in; /* the evidence behind score (analyze.c) */
    enum app_story_state state;
    int64_t id;           /* persistent id (stories table), 0 until saved */
    int64_t last_earlier; /* latest article of the days before, 0 = none */
};

/* Distinct outlets of the story's members; with copy (indexed like arts,
 * may be NULL) only of its original reports, syndicated copies left out. */
static int count_outlets(const struct article *arts, const struct story *s, const bool *copy)
{
    int n = 0;
    for (size_t i = 0; i < s->n; i++) {
        bool seen = copy && copy[s->members[i]];
        for (size_t j = 0; j < i && !seen; j++)
            if (arts[s->members[j]].source_id == arts[s->members[i]].source_id &&
                !(copy && copy[s->members[j]]))
                seen = true;
        if (!seen)
            n++;
    }
    return n;
}

static const char *article_text(const struct article *a)
{
    if (!str_empty(a->summary))
        return a->summary;
    if (!str_empty(a->content))
        return a->content;
    return a->title;
}

static int cmp_story_score(const void *a, const void *b)
{
    const struct story *x = *(struct story *const *)a, *y = *(struct story *const *)b;
    if (x->score != y->score)
        return (y->score > x->score) - (y->score < x->score);
    return (x->first > y->first) - (x->first < y->first);
}

/* Score and explain with the documented ranking (app.h, APP_RANK_*):
 * outlets weighted by authority dominate; focus, recency, novelty against
 * the week before, burst and the watchlist order equally covered stories. */
static void score_story(struct story *s, int64_t window_to)
{
    s->rank_in.outlets = s->independent;
    s->rank_in.focus = s->focus.area >= 0 ? s->focus.score[s->focus.area] : 0;
    s->rank_in.last = s->last;
    s->rank_in.today = s->n;
    struct app_rank r;
    app_rank_story(&s->rank_in, window_to, &r);
    s->score = r.total;
    s->state = r.state;
    s->why = app_rank_explain(&s->rank_in, &r, window_to);
}

/* Distinct outlets' authority (source weight; 1.0 when unknown) and the
 * watchlist names the story mentions (case-insensitive, whole words). */
static void story_evidence(struct story *s, const struct article *arts, const bool *copy,
                           const struct store_source *src, size_t nsrc, const char *watchlist,
                           struct buf *names)
{
    double auth = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct article *a = &arts[s->members[i]];
        bool seen = copy[s->members[i]]; /* a syndicated copy adds no authority */
        for (size_t j = 0; j < i && !seen; j++)
            seen = arts[s->members[j]].source_id == a->source_id && !copy[s->members[j]];
        if (seen)
            continue;
        double w = 1.0;
        for (size_t k = 0; k < nsrc; k++)
            if (src[k].id == a->source_id && src[k].weight > 0)
                w = src[k].weight;
        auth += w;
    }
    s->rank_in.authority = auth;
    s->rank_in.watched = 0;
    for (const char *p = watchlist; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char *name = str_trim(xstrndup(p, len));
        size_t nl = strlen(name);
        bool hit = false;
        for (size_t i = 0; nl && i < s->n && !hit; i++) {
            const struct article *a = &arts[s->members[i]];
            const char *fields[2] = {a->title, article_text(a)};
            for (int f = 0; f < 2 && !hit; f++) {
                const char *t = fields[f];
                for (const char *q = t; q && *q && !hit; q++) {
                    if (strncasecmp(q, name, nl) == 0 &&
                        (q == t || !isalnum((unsigned char)q[-1])) &&
                        !isalnum((unsigned char)q[nl]))
                        hit = true;
                }
            }
        }
        if (hit) {
            s->rank_in.watched++;
            buf_addf(names, "%s%s", names->len ? ", " : "", name);
        }
        free(name);
        p = comma ? comma + 1 : p + len;
    }
}

/* ---- bullet text, grounding and figures (summariser) ------------------- */

#define MAX_CLAIMS_PER_ARTICLE 8

/* The figures an article reports for its story, from the one extractor
 * (figure_extract): per kind and unit, the first in its title, else the
 * first in its text. Dates are left out: articles date different events. */
static size_t article_claims(const struct article *a, struct figure_claim *out, size_t cap)
{
    size_t n = 0;
    const char *fields[2] = {a->title, article_text(a)};
    for (int k = 0; k < 2 && !(k == 1 && fields[1] == fields[0]); k++) {
        struct figure *fig = NULL;
        size_t nf = figure_extract(fields[k], &fig);
        for (size_t i = 0; i < nf && n < cap; i++) {
            bool have = fig[i].kind == FIGURE_DATE;
            for (size_t j = 0; j < n && !have; j++)
                have = out[j].kind == fig[i].kind && strcmp(out[j].unit, fig[i].unit) == 0;
            if (have)
                continue;
            struct figure_claim *c = &out[n++];
            memset(c, 0, sizeof(*c));
            c->kind = fig[i].kind;
            c->value = fig[i].value;
            memcpy(c->unit, fig[i].unit, sizeof(c->unit));
            c->qualifier = fig[i].qualifier;
            c->outlet = a->source_id;
        }
        free(fig);
    }
    return n;
}

/* Where the story's outlets disagree on a figure (figure_disagreements:
 * money in any currency, capacity, percentages), each reading cited. */
static void note_figures(struct briefing *b, struct brief_bullet *bl, const struct story *s,
                         const struct article *arts)
{
    size_t cap = s->n * MAX_CLAIMS_PER_ARTICLE;
    struct figure_claim *c = xcalloc(cap ? cap : 1, sizeof(*c));
    size_t *member = xcalloc(cap ? cap : 1, sizeof(size_t));
    size_t nc = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t k = article_claims(&arts[s->members[i]], c + nc, MAX_CLAIMS_PER_ARTICLE);
        for (size_t j = 0; j < k; j++)
            member[nc + j] = i;
        nc += k;
    }
    size_t *idx = xcalloc(nc ? nc : 1, sizeof(size_t));
    size_t *group = xcalloc(nc ? nc : 1, sizeof(size_t));
    size_t nd = figure_disagreements(c, nc, idx, group);
    if (nd) {
        bl->figures = xcalloc(nd, sizeof(*bl->figures));
        for (size_t k = 0; k < nd; k++) {
            const struct figure_claim *x = &c[idx[k]];
            struct brief_figure *f = &bl->figures[bl->nfigures++];
            f->kind = (int)x->kind;
            f->value = x->value;
            memcpy(f->unit, x->unit, sizeof(f->unit));
            f->qualifier = x->qualifier;
            f->group = (int)group[k];
            f->ref = briefing_add_ref(b, &arts[s->members[member[idx[k]]]]);
        }
    }
    free(group);
    free(idx);
    free(member);
    free(c);
}

static void fill_bullet(struct briefing *b, struct brief_bullet *bl, const struct story *s,
                        const struct article *arts)
{
    const char **texts = xcalloc(s->n, sizeof(char *));
    for (size_t i = 0; i < s->n; i++)
        texts[i] = article_text(&arts[s->members[i]]);
    struct sum_opts so;
    sum_opts_default(&so);
    so.max_sentences = 2;
    so.max_chars = BULLET_MAX_CHARS;
    so.min_chars = 25;
    so.text_order = false; /* the most representative sentence first */
    struct sum_pick *ps = NULL;
    size_t np = summarize(texts, s->n, &so, &ps);
    /* a second sentence only when the first is short and both fit */
    if (np > 1 && (ps[0].end - ps[0].start >= 160 ||
                   ps[0].end - ps[0].start + ps[1].end - ps[1].start >= BULLET_MAX_CHARS))
        np = 1;
    if (np == 2 && ps[1].sentence < ps[0].sentence) {
        /* an article's lead introduces the names another's detail refers to */
        struct sum_pick t = ps[0];
        ps[0] = ps[1];
        ps[1] = t;
    }
    struct buf text = BUF_INIT;
    bl->refs = xcalloc(MAX_REFS_PER_BULLET + 2, sizeof(size_t));
    int64_t cited[MAX_REFS_PER_BULLET + 2];
    bl->sources = xcalloc(np ? np : 1, sizeof(*bl->sources));
    for (size_t i = 0; i < np; i++) {
        const struct article *a = &arts[s->members[ps[i].doc]];
        char *sent =
            str_squash_space(xstrndup(texts[ps[i].doc] + ps[i].start, ps[i].end - ps[i].start));
        if (i)
            buf_addch(&text, ' ');
        buf_addstr(&text, sent);
        size_t ref = briefing_add_ref(b, a);
        bl->sources[bl->nsources++] = (struct brief_source){ref, ps[i].sentence, sent};
        bool dup = false;
        for (size_t k = 0; k < bl->nrefs; k++)
            if (bl->refs[k] == ref)
                dup = true;
        if (!dup) {
            cited[bl->nrefs] = a->source_id;
            bl->refs[bl->nrefs++] = ref;
        }
    }
    if (!np) {
        const struct article *a = &arts[s->members[0]];
        buf_addstr(&text, a->title ? a->title : "");
        cited[0] = a->source_id;
        bl->refs[bl->nrefs++] = briefing_add_ref(b, a);
    }
    free(ps);
    free(texts);

    bl->topic = xstrdup(s->focus.subtopic ? s->focus.subtopic : "Other");
    bl->text = buf_take(&text);
    bl->outlets = s->outlets;
    bl->confirmed = s->independent >= 2; /* wire copies are one report */
    bl->score = s->score;
    bl->why = xstrdup(s->why);
    bl->terms = xstrdup(s->focus.terms);
    /* after the articles the text came from, one article per other outlet */
    for (size_t i = 0; i < s->n && bl->nrefs < MAX_REFS_PER_BULLET; i++) {
        const struct article *a = &arts[s->members[i]];
        bool outlet_cited = false;
        for (size_t k = 0; k < bl->nrefs; k++)
            if (cited[k] == a->source_id)
                outlet_cited = true;
        if (outlet_cited)
            continue;
        cited[bl->nrefs] = a->source_id;
        bl->refs[bl->nrefs++] = briefing_add_ref(b, a);
    }
    note_figures(b, bl, s, arts);
}

/* ---- preferences: muted terms and outlets, watchlist ------------------ */

/* Case-insensitive (ASCII) search of needle in hay. */
static bool contains_ci(const char *hay, const char *needle, size_t n)
{
    for (; hay && *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && (hay[i] | 0x20) == (needle[i] | 0x20))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* Call fn for each trimmed, non-empty item of a comma-separated list. */
static bool list_any(const char *list, bool (*fn)(const char *item, size_t n, const void *ctx),
                     const void *ctx)
{
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && p[m - 1] == ' ')
            m--;
        if (m && fn(p, m, ctx))
            return true;
        p += n;
    }
    return false;
}

static bool term_in_article(const char *item, size_t n, const void *ctx)
{
    const struct article *a = ctx;
    return contains_ci(a->title, item, n) || contains_ci(article_text(a), item, n);
}

static bool is_source(const char *item, size_t n, const void *ctx)
{
    const struct article *a = ctx;
    return a->source_name && strlen(a->source_name) == n && contains_ci(a->source_name, item, n);
}

static bool muted(const struct app_brief_opts *o, const struct article *a)
{
    return list_any(o->mute_sources, is_source, a) || list_any(o->mute_terms, term_in_article, a);
}

/* ---- since yesterday and implications (measured facts only) ----------- */

#define HISTORY_DAYS 28        /* the baseline a theme's coverage is compared with */
#define CONTINUED_MIN_COS 0.25 /* an article of the day before joins a story at this cosine */
#define MAX_AMOUNTS_PER_AREA 3

/* Articles of earlier days, for "since yesterday" and theme baselines. */
struct history {
    struct article *arts; /* [window_from - HISTORY_DAYS days, window_from) */
    size_t n;
    struct tvec *vec; /* normalised, for the day before only (NULL otherwise) */
};

static void story_vector(struct tvec *v, const struct story *s, const struct article *arts)
{
    memset(v, 0, sizeof(*v));
    for (size_t i = 0; i < s->n; i++) {
        const struct article *a = &arts[s->members[i]];
        struct tvec t;
        tvec_from_text(&t, a->title, 2.0f);
        tvec_add(v, &t, 1.0f);
        tvec_release(&t);
        tvec_from_text(&t, article_text(a), 1.0f);
        tvec_add(v, &t, 1.0f);
        tvec_release(&t);
    }
    tvec_normalize(v);
}

/* A continued story: how many articles (and outlets) of the 24 hours before
 * the window are about it. */
static void note_since_yesterday(struct brief_bullet *bl, const struct story *s,
                                 const struct article *arts, const struct history *h,
                                 int64_t window_from)
{
    struct tvec v;
    story_vector(&v, s, arts);
    int64_t outlets[64];
    int nout = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (!h->vec[i].n || article_date(&h->arts[i]) < window_from - 86400)
            continue;
        if (tvec_dot(&v, &h->vec[i]) < CONTINUED_MIN_COS)
            continue;
        bl->prev_articles++;
        bool seen = false;
        for (int k = 0; k < nout; k++)
            if (outlets[k] == h->arts[i].source_id)
                seen = true;
        if (!seen && nout < 64)
            outlets[nout++] = h->arts[i].source_id;
    }
    bl->prev_outlets = nout;
    tvec_release(&v);
}

static void history_load(struct store *st, int64_t window_from, struct history *h)
{
    memset(h, 0, sizeof(*h));
    if (store_articles_between(st, window_from - HISTORY_DAYS * 86400, window_from, &h->arts, &h->n,
                               NULL) != ACHIM_OK) {
        h->arts = NULL;
        h->n = 0;
    }
    h->vec = xcalloc(h->n ? h->n : 1, sizeof(*h->vec));
    for (size_t i = 0; i < h->n; i++) {
        const struct article *a = &h->arts[i];
        if (article_date(a) < window_from - 86400)
            continue;
        struct tvec t;
        tvec_from_text(&h->vec[i], a->title, 2.0f);
        tvec_from_text(&t, article_text(a), 1.0f);
        tvec_add(&h->vec[i], &t, 1.0f);
        tvec_release(&t);
        tvec_normalize(&h->vec[i]);
    }
}

static void history_release(struct history *h)
{
    for (size_t i = 0; i < h->n; i++)
        tvec_release(&h->vec[i]);
    free(h->vec);
    store_articles_free(h->arts, h->n);
}

struct theme {
    const char *topic; /* borrowed from the focus model */
    int today, before;
};

/* A gazetteer entity (stored per article at ingest, store_facts_get) and
 * the distinct outlets and articles of a block that mention it. */
struct entity_count {
    char *name;
    int64_t *outlets;
    size_t noutlets, cap;
    int articles;
};

/* Only companies and labs ("OpenAI", "Google DeepMind") are counted: the
 * quants' question is which firms the day's coverage is about. */
static bool is_company(const char *kind)
{
    return kind && (strcmp(kind, "company") == 0 || strcmp(kind, "lab") == 0);
}

static void count_entities(struct store *st, const struct article *a, struct entity_count **ec,
                           size_t *n, size_t *cap)
{
    struct store_entity *ents = NULL;
    struct store_figure *figs = NULL;
    size_t nents = 0, nfigs = 0;
    if (store_facts_get(st, a->id, &ents, &nents, &figs, &nfigs, NULL) != ACHIM_OK)
        return; /* no facts: the line is an extra, never a reason to fail */
    for (size_t i = 0; i < nents; i++) {
        if (!is_company(ents[i].kind))
            continue;
        size_t k = 0;
        while (k < *n && strcmp((*ec)[k].name, ents[i].name) != 0)
            k++;
        if (k == *n) {
            XGROW(*ec, *n + 1, *cap);
            memset(&(*ec)[k], 0, sizeof((*ec)[k]));
            (*ec)[k].name = xstrdup(ents[i].name);
            (*n)++;
        }
        struct entity_count *e = &(*ec)[k];
        e->articles++;
        bool seen = false;
        for (size_t j = 0; j < e->noutlets && !seen; j++)
            seen = e->outlets[j] == a->source_id;
        if (!seen) {
            XGROW(e->outlets, e->noutlets + 1, e->cap);
            e->outlets[e->noutlets++] = a->source_id;
        }
    }
    store_facts_free(ents, nents, figs, nfigs);
}

static int cmp_entity_counts(const void *a, const void *b)
{
    const struct entity_count *x = a, *y = b;
    if (x->noutlets != y->noutlets)
        return x->noutlets < y->noutlets ? 1 : -1;
    if (x->articles != y->articles)
        return y->articles - x->articles;
    return strcmp(x->name, y->name);
}

/* A money figure the size of a deal, not a price tag: a million dollars,
 * euros or pounds; the same order of magnitude in yen and won. */
static bool deal_sized(const struct figure *f)
{
    double floor_value = 1e6;
    if (strcmp(f->unit, "JPY") == 0)
        floor_value = 1e8;
    else if (strcmp(f->unit, "KRW") == 0)
        floor_value = 1e9;
    return f->value >= floor_value;
}

static void add_implications(struct store *st, struct briefing *b, struct story **ranked,
                             size_t nranked, const struct article *arts, const size_t *keep,
                             size_t nkeep, const struct history *h, const struct focus_model *model,
                             const char *watchlist)
{
    for (int area = 0; area < BRIEF_NAREAS; area++) {
        const struct brief_section *sec = &b->sections[area];
        if (!sec->nbullets)
            continue;
        /* researchers: coverage of the block, and its widest story */
        int nstories = 0, narts = 0;
        int64_t outlets[256];
        int nout = 0;
        const struct story *widest = NULL;
        struct entity_count *ents = NULL;
        size_t nents = 0, entcap = 0;
        for (size_t i = 0; i < nranked; i++) {
            const struct story *s = ranked[i];
            if (s->focus.area != area)
                continue;
            if (!widest)
                widest = s;
            nstories++;
            narts += (int)s->n;
            for (size_t m = 0; m < s->n; m++) {
                const struct article *a = &arts[s->members[m]];
                bool seen = false;
                for (int k = 0; k < nout; k++)
                    if (outlets[k] == a->source_id)
                        seen = true;
                if (!seen && nout < 256)
                    outlets[nout++] = a->source_id;
                count_entities(st, a, &ents, &nents, &entcap);
            }
        }
        struct brief_fact *f =
            briefing_add_fact(b, (enum brief_area)area, BRIEF_FOR_RESEARCHERS, BRIEF_FACT_COVERAGE);
        f->count = nstories;
        f->value = narts;
        f->outlets = nout;
        f->subject = xstrdup(sec->bullets[0].topic);
        f->n = sec->bullets[0].outlets;
        f->ref = sec->bullets[0].refs[0];
        f->has_ref = true;
        (void)widest;

        /* researchers: the theme growing most against its daily baseline */
        if (h->n) {
            char days[HISTORY_DAYS + 1] = {0};
            int ndays = 0;
            int64_t from = b->window_from - HISTORY_DAYS * 86400;
            struct theme th[32];
            size_t nth = 0;
            for (int pass = 0; pass < 2; pass++) {
                size_t n = pass ? nkeep : h->n;
                for (size_t i = 0; i < n; i++) {
                    const struct article *a = pass ? &arts[keep[i]] : &h->arts[i];
                    if (!pass) {
                        int64_t d = (article_date(a) - from) / 86400;
                        if (d >= 0 && d < HISTORY_DAYS && !days[d]) {
                            days[d] = 1;
                            ndays++;
                        }
                    }
                    struct focus_result r;
                    focus_classify(model, a->title, article_text(a), FOCUS_MIN_SCORE, &r);
                    if (r.area == area && r.subtopic) {
                        size_t k = 0;
                        while (k < nth && strcmp(th[k].topic, r.subtopic) != 0)
                            k++;
                        if (k == nth && nth < 32)
                            th[nth++] = (struct theme){r.subtopic, 0, 0};
                        if (k < nth) {
                            if (pass)
                                th[k].today++;
                            else
                                th[k].before++;
                        }
                    }
                    focus_result_release(&r);
                }
            }
            size_t best = nth;
            double best_ratio = 0;
            for (size_t k = 0; k < nth && ndays; k++) {
                double base = (double)th[k].before / ndays;
                double ratio = (th[k].today + 0.5) / (base + 0.5);
                if (th[k].today >= 2 && ratio > best_ratio) {
                    best_ratio = ratio;
                    best = k;
                }
            }
            if (best < nth) {
                f = briefing_add_fact(b, (enum brief_area)area, BRIEF_FOR_RESEARCHERS,
                                      BRIEF_FACT_TREND);
                f->subject = xstrdup(th[best].topic);
                f->value = th[best].today;
                f->baseline = (double)th[best].before / ndays;
                f->n = ndays;
            }
        }

        /* quants: the companies and labs most outlets wrote about */
        if (nents)
            qsort(ents, nents, sizeof(*ents), cmp_entity_counts);
        struct buf nb = BUF_INIT;
        int shown = 0;
        for (size_t k = 0; k < nents && shown < 3 && ents[k].noutlets >= 2; k++) {
            buf_addf(&nb, "%s%s (%zu, %d)", shown ? ", " : "", ents[k].name, ents[k].noutlets,
                     ents[k].articles);
            shown++;
        }
        if (shown) {
            f = briefing_add_fact(b, (enum brief_area)area, BRIEF_FOR_QUANTS, BRIEF_FACT_COMPANIES);
            f->subject = buf_take(&nb);
            f->count = shown;
        }
        buf_release(&nb);
        for (size_t k = 0; k < nents; k++) {
            free(ents[k].name);
            free(ents[k].outlets);
        }
        free(ents);

        /* quants: the user's watchlist, by outlets covering each name */
        if (watchlist) {
            struct buf wb = BUF_INIT;
            int nw = 0;
            for (const char *p = watchlist; *p;) {
                while (*p == ' ' || *p == ',')
                    p++;
                size_t len = strcspn(p, ",");
                size_t m = len;
                while (m && p[m - 1] == ' ')
                    m--;
                if (m) {
                    int64_t wo[64];
                    int nwo = 0;
                    for (size_t i = 0; i < nranked; i++) {
                        if (ranked[i]->focus.area != area)
                            continue;
                        for (size_t k = 0; k < ranked[i]->n; k++) {
                            const struct article *a = &arts[ranked[i]->members[k]];
                            if (!contains_ci(a->title, p, m) && !contains_ci(article_text(a), p, m))
                                continue;
                            bool seen = false;
                            for (int j = 0; j < nwo; j++)
                                if (wo[j] == a->source_id)
                                    seen = true;
                            if (!seen && nwo < 64)
                                wo[nwo++] = a->source_id;
                        }
                    }
                    if (nwo) {
                        buf_addf(&wb, "%s%.*s (%d)", nw ? ", " : "", (int)m, p, nwo);
                        nw++;
                    }
                }
                p += len;
            }
            if (nw) {
                f = briefing_add_fact(b, (enum brief_area)area, BRIEF_FOR_QUANTS,
                                      BRIEF_FACT_WATCHLIST);
                f->subject = buf_take(&wb);
                f->count = nw;
            }
            buf_release(&wb);
        }

        /* quants: amounts (any currency) and capacities stated in the bullets */
        int namounts = 0;
        for (size_t i = 0; i < sec->nbullets && namounts < MAX_AMOUNTS_PER_AREA; i++) {
            const struct brief_bullet *bl = &sec->bullets[i];
            struct figure *fig = NULL;
            size_t nf = figure_extract(bl->text, &fig);
            const struct figure *money = NULL, *power = NULL;
            for (size_t k = 0; k < nf; k++) {
                if (fig[k].kind == FIGURE_MONEY && !money)
                    money = &fig[k];
                else if (fig[k].kind == FIGURE_POWER && !power)
                    power = &fig[k];
            }
            if (money && deal_sized(money)) {
                f = briefing_add_fact(b, (enum brief_area)area, BRIEF_FOR_QUANTS,
                                      BRIEF_FACT_AMOUNT);
                f->subject = xstrdup(bl->topic);
                f->value = money->value;
                memcpy(f->unit, money->unit, sizeof(f->unit));
                f->n = money->qualifier;
                f->ref = bl->refs[0];
                f->has_ref = true;
                namounts++;
            }
            if (power) {
                f = briefing_add_fact(b, (enum brief_area)area, BRIEF_FOR_QUANTS,
                                      BRIEF_FACT_CAPACITY);
                f->subject = xstrdup(bl->topic);
                f->value = power->value;
                f->n = power->qualifier;
                f->ref = bl->refs[0];
                f->has_ref = true;
                namounts++;
            }
            free(fig);
        }
    }
}

/* ---- syndicated copies ------------------------------------------------- */

#define COPY_MIN_CHARS 80 /* shorter texts are too generic for a fingerprint to prove a copy */

/* Find the copies among arts[keep[0..nkeep)] (time order): an article whose
 * canonical URL is an earlier kept article's (an aggregator linking to the
 * original, tracking parameters removed), or whose text is within
 * SIMHASH_DUP_DISTANCE bits of an earlier one's (the same wire text in two
 * outlets; titles are left out, since outlets rewrite them). lead[k]
 * receives the position in keep of k's original (k itself for originals);
 * the SimHash index compares only fingerprints sharing a bit block, never
 * all pairs. Returns the number of copies. */
static size_t find_copies(const struct article *arts, const size_t *keep, size_t nkeep,
                          size_t *lead)
{
    struct simhash_index *x = simhash_index_new(SIMHASH_DUP_DISTANCE);
    size_t ncopies = 0;
    for (size_t k = 0; k < nkeep; k++) {
        const struct article *a = &arts[keep[k]];
        lead[k] = k;
        for (size_t j = 0; j < k && a->canonical_url; j++) {
            const struct article *p = &arts[keep[j]];
            if (lead[j] == j && p->canonical_url &&
                strcmp(p->canonical_url, a->canonical_url) == 0) {
                lead[k] = j;
                break;
            }
        }
        const char *t = article_text(a);
        size_t len = t && t != a->title ? strlen(t) : 0;
        uint64_t fp = len >= COPY_MIN_CHARS ? text_simhash(t, len) : 0;
        if (lead[k] == k && fp) {
            size_t j = simhash_index_find(x, fp, NULL);
            if (j != SIZE_MAX)
                lead[k] = j;
        }
        if (lead[k] != k)
            ncopies++;
        else if (fp)
            simhash_index_add(x, fp, k);
    }
    simhash_index_free(x);
    return ncopies;
}

static char *story_title(const struct story *s, const struct article *arts)
{
    /* the earliest report's headline names the story */
    return xstrdup(arts[s->members[0]].title ? arts[s->members[0]].title : "(untitled)");
}

/* Give every story of the day its persistent id (app_story_save), in one
 * transaction: a story continuing one of an earlier brief keeps its id. */
static enum achim_code save_stories(struct store *st, int64_t day, struct story *stories,
                                    size_t nstories, const struct article *arts, struct err *err)
{
    bool own = !store_in_transaction(st);
    enum achim_code rc = own ? store_begin(st, err) : ACHIM_OK;
    for (size_t i = 0; rc == ACHIM_OK && i < nstories; i++) {
        struct story *s = &stories[i];
        int64_t *ids = xcalloc(s->n ? s->n : 1, sizeof(int64_t));
        for (size_t m = 0; m < s->n; m++)
            ids[m] = arts[s->members[m]].id;
        char *title = story_title(s, arts);
        rc = app_story_save(st, day, ids, s->n, s->last_earlier, title, s->state, s->outlets,
                            &s->id, err);
        free(title);
        free(ids);
    }
    if (rc == ACHIM_OK && own)
        rc = store_commit(st, err);
    else if (rc != ACHIM_OK && own)
        store_rollback(st);
    return rc;
}

static void write_headline(struct briefing *b, struct story **ranked, size_t nranked,
                           const struct article *arts)
{
    struct buf h = BUF_INIT;
    char day[11];
    time_format_day(b->date, day);
    int hour = (int)((b->window_to - b->date) / 3600);
    bool ko = strcmp(b->lang, "ko") == 0;
    if (ko)
        buf_addf(
            &h,
            "%s %02d:00 UTC까지 24시간 동안 %zu개 매체의 기사 %zu건을 %zu개 이야기로 묶었습니다.",
            day, hour, b->noutlets, b->narticles, b->nstories);
    else
        buf_addf(&h,
                 "In the 24 hours to %02d:00 UTC on %s, achim read %zu articles from %zu outlets "
                 "and grouped them into %zu stories.",
                 hour, day, b->narticles, b->noutlets, b->nstories);
    size_t top = nranked < 3 ? nranked : 3;
    if (top) {
        /* the first three by rank, which weighs independent outlets, focus,
         * recency and novelty: not always in order of outlets */
        buf_addstr(&h, ko ? " 순위가 가장 높은 이야기: " : " The top-ranked stories: ");
        for (size_t i = 0; i < top; i++) {
            char *t = story_title(ranked[i], arts);
            if (i)
                buf_addstr(&h, i + 1 == top ? (ko ? ", " : " and ") : ", ");
            if (ko)
                buf_addf(&h, "“%s”(%d개 매체)", t, ranked[i]->outlets);
            else
                buf_addf(&h, "“%s” (%d outlet%s)", t, ranked[i]->outlets,
                         ranked[i]->outlets == 1 ? "" : "s");
            free(t);
        }
        buf_addch(&h, '.');
    }
    b->headline = buf_take(&h);
}

enum achim_code app_brief_build(struct store *st, const struct app_brief_opts *o,
                                struct briefing *out, struct err *err)
{
    struct focus_model *model = NULL;
    enum achim_code rc = ACHIM_OK;
    /* the analysis step: entities and figures of articles not yet processed */
    if (o->gazetteer)
        rc = app_facts_sync(st, o->gazetteer, NULL, err);
    if (rc == ACHIM_OK)
        rc = focus_model_load(o->terms_path, &model, err);
    if (rc != ACHIM_OK)
        return rc;
    out->lang = xstrdup(o->lang && strcmp(o->lang, "ko") == 0 ? "ko" : "en");
    out->date = o->date;
    out->window_to = o->date + (int64_t)o->morning_hour * 3600;
    out->window_from = out->window_to - 86400;

    struct article *arts = NULL;
    size_t n = 0;
    rc = store_articles_between(st, out->window_from, out->window_to, &arts, &n, err);
    if (rc != ACHIM_OK) {
        focus_model_free(model);
        return rc;
    }

    /* the same link carried twice (same outlet or a syndicated copy with the
     * same canonical URL) is one article */
    size_t *keep = xcalloc(n ? n : 1, sizeof(size_t));
    size_t nkeep = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < nkeep && arts[i].canonical_url; k++) {
            const struct article *p = &arts[keep[k]];
            if (p->canonical_url && strcmp(p->canonical_url, arts[i].canonical_url) == 0 &&
                p->source_id == arts[i].source_id)
                dup = true;
        }
        if (!dup && !muted(o, &arts[i]))
            keep[nkeep++] = i;
    }
    out->narticles = nkeep;
    {
        int64_t *seen = xcalloc(nkeep ? nkeep : 1, sizeof(int64_t));
        size_t ns = 0;
        for (size_t k = 0; k < nkeep; k++) {
            bool found = false;
            for (size_t j = 0; j < ns; j++)
                if (seen[j] == arts[keep[k]].source_id)
                    found = true;
            if (!found)
                seen[ns++] = arts[keep[k]].source_id;
        }
        out->noutlets = ns;
        free(seen);
    }

    /* syndicated copies join their original's story: only originals are
     * clustered, and copies count as coverage but not as independent reports */
    size_t *lead = xcalloc(nkeep ? nkeep : 1, sizeof(size_t));
    bool *copy = xcalloc(n ? n : 1, sizeof(bool));
    size_t *orig = xcalloc(nkeep ? nkeep : 1, sizeof(size_t));
    size_t norig = 0;
    find_copies(arts, keep, nkeep, lead);
    for (size_t k = 0; k < nkeep; k++) {
        if (lead[k] == k)
            orig[norig++] = keep[k];
        else
            copy[keep[k]] = true;
    }
    size_t *assign = xcalloc(nkeep ? nkeep : 1, sizeof(size_t));
    size_t nstories = 0;
    struct app_story_info *info = NULL;
    rc = app_story_group(st, arts, orig, norig, out->window_from, assign, &nstories, &info, err);
    if (rc == ACHIM_OK) {
        /* spread the originals' stories over keep (copies follow their original) */
        size_t *by_keep = xcalloc(nkeep ? nkeep : 1, sizeof(size_t));
        for (size_t k = 0, oi = 0; k < nkeep; k++)
            by_keep[k] = lead[k] == k ? assign[oi++] : by_keep[lead[k]];
        free(assign);
        assign = by_keep;
    }
    free(orig);
    free(lead);
    if (rc != ACHIM_OK) {
        free(copy);
        free(assign);
        free(keep);
        store_articles_free(arts, n);
        focus_model_free(model);
        return rc;
    }
    out->nstories = nstories;
    struct store_source *srcs = NULL;
    size_t nsrcs = 0;
    if (store_sources_list(st, &srcs, &nsrcs, NULL) != ACHIM_OK) {
        srcs = NULL; /* no weights: every outlet counts 1.0 */
        nsrcs = 0;
    }

    struct story *stories = xcalloc(nstories ? nstories : 1, sizeof(*stories));
    for (size_t k = 0; k < nkeep; k++) {
        struct story *s = &stories[assign[k]];
        XGROW(s->members, s->n + 1, s->cap);
        s->members[s->n++] = keep[k];
    }
    struct story **ranked = xcalloc(nstories ? nstories : 1, sizeof(*ranked));
    for (size_t i = 0; i < nstories; i++) {
        struct story *s = &stories[i];
        struct buf titles = BUF_INIT, texts = BUF_INIT;
        s->first = article_date(&arts[s->members[0]]);
        for (size_t m = 0; m < s->n; m++) {
            const struct article *a = &arts[s->members[m]];
            buf_addf(&titles, "%s. ", a->title ? a->title : "");
            buf_addf(&texts, "%s\n", article_text(a) ? article_text(a) : "");
            if (article_date(a) > s->last)
                s->last = article_date(a);
        }
        s->outlets = count_outlets(arts, s, NULL);
        s->independent = count_outlets(arts, s, copy);
        s->rank_in.earlier = info[i].earlier;
        s->rank_in.first_seen = info[i].first_seen;
        s->last_earlier = info[i].last_earlier;
        struct buf names = BUF_INIT;
        story_evidence(s, arts, copy, srcs, nsrcs, o->watchlist, &names);
        s->rank_in.outlets = s->independent;
        s->rank_in.watched_names = names.len ? names.ptr : NULL;
        /* each distinct term counts once per story, however many copies carry it */
        focus_classify(model, titles.ptr, texts.ptr, FOCUS_MIN_SCORE, &s->focus);
        score_story(s, out->window_to);
        s->rank_in.watched_names = NULL;
        buf_release(&names);
        ranked[i] = s;
        buf_release(&titles);
        buf_release(&texts);
    }
    qsort(ranked, nstories, sizeof(*ranked), cmp_story_score);
    rc = save_stories(st, out->date / 86400, stories, nstories, arts, err);

    struct history hist;
    history_load(st, out->window_from, &hist);
    struct story **focused = xcalloc(nstories ? nstories : 1, sizeof(*focused));
    size_t nfocused = 0;
    for (size_t i = 0; i < nstories; i++) {
        struct story *s = ranked[i];
        if (s->focus.area < 0)
            continue;
        focused[nfocused++] = s;
        struct brief_section *sec = &out->sections[s->focus.area];
        if (sec->nbullets >= o->max_bullets)
            continue;
        struct brief_bullet *bl = brief_section_add(sec);
        fill_bullet(out, bl, s, arts);
        bl->story_id = s->id;
        bl->independent = s->independent;
        snprintf(bl->state, sizeof(bl->state), "%s", app_story_state_name(s->state));
        note_since_yesterday(bl, s, arts, &hist, out->window_from);
    }
    add_implications(st, out, focused, nfocused, arts, keep, nkeep, &hist, model, o->watchlist);
    history_release(&hist);
    write_headline(out, focused, nfocused, arts);

    for (size_t i = 0; i < nstories; i++) {
        free(stories[i].members);
        free(stories[i].why);
        focus_result_release(&stories[i].focus);
    }
    free(stories);
    free(ranked);
    free(focused);
    free(assign);
    free(copy);
    free(info);
    store_sources_free(srcs, nsrcs);
    free(keep);
    store_articles_free(arts, n);
    focus_model_free(model);
    return rc;
}
