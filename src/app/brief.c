/* SPDX-License-Identifier: MIT */
/* brief.c: the day's articles -> stories -> three blocks of cited bullets.
 *
 * Steps: load the window's articles, drop exact repeats (same canonical
 * URL), group the rest into stories, classify each story into a focus area,
 * score it (distinct outlets first, as Techmeme and Google News rank by
 * breadth of coverage, then focus strength and recency), and write the best
 * stories of each area as bullets whose text is taken from the articles. */
#include "app/app.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "corpus/corpus.h"

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
    int outlets;
    int64_t first, last;
    struct focus_result focus;
    double score;
    char *why;
};

static int count_outlets(const struct article *arts, const struct story *s)
{
    int n = 0;
    for (size_t i = 0; i < s->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            if (arts[s->members[j]].source_id == arts[s->members[i]].source_id)
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

/* Score and explain: outlets dominate; focus strength breaks ties between
 * equally covered stories; a recency bonus of up to 1 favours fresh news. */
static void score_story(struct story *s, int64_t window_to)
{
    double focus = s->focus.area >= 0 ? s->focus.score[s->focus.area] : 0;
    double focus_part = 2.0 * log1p(focus);
    double hours_old = (double)(window_to - s->last) / 3600.0;
    double recency = hours_old <= 0 ? 1.0 : exp(-hours_old / 24.0);
    s->score = 10.0 * s->outlets + focus_part + recency;
    struct buf w = BUF_INIT;
    buf_addf(&w, "%d outlet(s) x 10 = %.1f; focus %.1f -> 2 ln(1+f) = %.2f; recency %.1f h old -> %.2f; total %.2f",
             s->outlets, 10.0 * s->outlets, focus, focus_part, hours_old, recency, s->score);
    s->why = buf_take(&w);
}

static void fill_bullet(struct briefing *b, struct brief_bullet *bl, const struct story *s,
                        const struct article *arts)
{
    const char **texts = xcalloc(s->n, sizeof(char *));
    for (size_t i = 0; i < s->n; i++)
        texts[i] = article_text(&arts[s->members[i]]);
    struct picked_sentence *ps = NULL;
    size_t np = corpus_pick_sentences(texts, s->n, 2, BULLET_MAX_CHARS, &ps);
    struct buf text = BUF_INIT;
    size_t first_doc = 0;
    if (np) {
        first_doc = ps[0].doc;
        buf_addstr(&text, ps[0].sentence);
        /* a second sentence only when the first is short and it fits */
        if (np > 1 && strlen(ps[0].sentence) < 160 &&
            strlen(ps[0].sentence) + strlen(ps[1].sentence) < BULLET_MAX_CHARS)
            buf_addf(&text, " %s", ps[1].sentence);
    } else {
        buf_addstr(&text, arts[s->members[0]].title ? arts[s->members[0]].title : "");
    }
    for (size_t i = 0; i < np; i++)
        free(ps[i].sentence);
    free(ps);
    free(texts);

    bl->topic = xstrdup(s->focus.subtopic ? s->focus.subtopic : "Other");
    bl->text = buf_take(&text);
    bl->outlets = s->outlets;
    bl->score = s->score;
    bl->why = xstrdup(s->why);
    bl->terms = xstrdup(s->focus.terms);
    /* cite the article the text came from first, then one article per other outlet */
    bl->refs = xcalloc(MAX_REFS_PER_BULLET, sizeof(size_t));
    int64_t cited[MAX_REFS_PER_BULLET];
    const struct article *lead = &arts[s->members[first_doc]];
    cited[0] = lead->source_id;
    bl->refs[bl->nrefs++] = briefing_add_ref(b, lead);
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
}

static char *story_title(const struct story *s, const struct article *arts)
{
    /* the earliest report's headline names the story */
    return xstrdup(arts[s->members[0]].title ? arts[s->members[0]].title : "(untitled)");
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
        buf_addf(&h, "%s %02d:00 UTC까지 24시간 동안 %zu개 매체의 기사 %zu건을 %zu개 이야기로 묶었습니다.",
                 day, hour, b->noutlets, b->narticles, b->nstories);
    else
        buf_addf(&h, "In the 24 hours to %02d:00 UTC on %s, achim read %zu articles from %zu outlets and grouped them into %zu stories.",
                 hour, day, b->narticles, b->noutlets, b->nstories);
    size_t top = nranked < 3 ? nranked : 3;
    if (top) {
        buf_addstr(&h, ko ? " 가장 널리 보도된 이야기: " : " The most widely covered: ");
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
    enum achim_code rc = focus_model_load(o->terms_path, &model, err);
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
        if (!dup)
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

    struct story_doc *docs = xcalloc(nkeep ? nkeep : 1, sizeof(*docs));
    for (size_t k = 0; k < nkeep; k++) {
        const struct article *a = &arts[keep[k]];
        docs[k] = (struct story_doc){a->title, article_text(a), article_date(a), a->source_id};
    }
    size_t *assign = xcalloc(nkeep ? nkeep : 1, sizeof(size_t));
    size_t nstories = 0;
    story_group(docs, nkeep, NULL, assign, &nstories);
    out->nstories = nstories;

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
        s->outlets = count_outlets(arts, s);
        /* each distinct term counts once per story, however many copies carry it */
        focus_classify(model, titles.ptr, texts.ptr, FOCUS_MIN_SCORE, &s->focus);
        score_story(s, out->window_to);
        ranked[i] = s;
        buf_release(&titles);
        buf_release(&texts);
    }
    qsort(ranked, nstories, sizeof(*ranked), cmp_story_score);

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
        fill_bullet(out, brief_section_add(sec), s, arts);
    }
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
    free(docs);
    free(keep);
    store_articles_free(arts, n);
    focus_model_free(model);
    return ACHIM_OK;
}
