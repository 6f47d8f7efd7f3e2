/* SPDX-License-Identifier: MIT */
/* json.c: the briefing as one JSON object, for scripts and the web API. */
#include "report/report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static cJSON *time_item(int64_t t)
{
    char iso[21];
    time_format_iso(t, iso);
    return cJSON_CreateString(iso);
}

enum achim_code report_json(const struct briefing *b, struct buf *out)
{
    static const char *const keys[BRIEF_NAREAS] = {"ai", "bigtech", "trends"};
    cJSON *root = cJSON_CreateObject();
    char day[11];
    time_format_day(b->date, day);
    cJSON_AddStringToObject(root, "date", day);
    cJSON_AddStringToObject(root, "lang", b->lang ? b->lang : "en");
    cJSON_AddItemToObject(root, "window_from", time_item(b->window_from));
    cJSON_AddItemToObject(root, "window_to", time_item(b->window_to));
    cJSON_AddNumberToObject(root, "articles", (double)b->narticles);
    cJSON_AddNumberToObject(root, "outlets", (double)b->noutlets);
    cJSON_AddNumberToObject(root, "stories", (double)b->nstories);
    cJSON_AddStringToObject(root, "headline", b->headline ? b->headline : "");
    cJSON *sections = cJSON_AddArrayToObject(root, "sections");
    for (int a = 0; a < BRIEF_NAREAS; a++) {
        const struct brief_section *sec = &b->sections[a];
        cJSON *so = cJSON_CreateObject();
        cJSON_AddStringToObject(so, "area", keys[a]);
        cJSON_AddStringToObject(so, "title", report_area_title((enum brief_area)a, b->lang));
        cJSON *bullets = cJSON_AddArrayToObject(so, "bullets");
        for (size_t i = 0; i < sec->nbullets; i++) {
            const struct brief_bullet *bl = &sec->bullets[i];
            cJSON *bo = cJSON_CreateObject();
            cJSON_AddStringToObject(bo, "topic", bl->topic ? bl->topic : "");
            cJSON_AddStringToObject(bo, "text", bl->text ? bl->text : "");
            cJSON_AddNumberToObject(bo, "outlets", bl->outlets);
            cJSON_AddNumberToObject(bo, "independent", bl->independent);
            if (bl->story_id) {
                cJSON_AddNumberToObject(bo, "story", (double)bl->story_id);
                cJSON_AddStringToObject(bo, "state", bl->state);
            }
            cJSON_AddNumberToObject(bo, "score", bl->score);
            cJSON_AddStringToObject(bo, "why", bl->why ? bl->why : "");
            cJSON_AddStringToObject(bo, "terms", bl->terms ? bl->terms : "");
            cJSON *refs = cJSON_AddArrayToObject(bo, "refs");
            for (size_t r = 0; r < bl->nrefs; r++)
                cJSON_AddItemToArray(refs, cJSON_CreateNumber((double)bl->refs[r]));
            cJSON_AddBoolToObject(bo, "confirmed", bl->confirmed);
            cJSON *src = cJSON_AddArrayToObject(bo, "sources");
            for (size_t k = 0; k < bl->nsources; k++) {
                cJSON *x = cJSON_CreateObject();
                cJSON_AddNumberToObject(x, "ref", (double)bl->sources[k].ref);
                cJSON_AddNumberToObject(x, "sentence", (double)bl->sources[k].sentence);
                cJSON_AddStringToObject(x, "text", bl->sources[k].text ? bl->sources[k].text : "");
                cJSON_AddItemToArray(src, x);
            }
            cJSON *fig = cJSON_AddArrayToObject(bo, "figures");
            for (size_t k = 0; k < bl->nfigures; k++) {
                static const char *const qual[] = {"exact", "at_least", "about", "at_most"};
                static const char *const kind[] = {"money", "power", "percent"};
                const struct brief_figure *g = &bl->figures[k];
                cJSON *x = cJSON_CreateObject();
                cJSON_AddStringToObject(x, "kind", kind[g->kind >= 0 && g->kind < 3 ? g->kind : 0]);
                cJSON_AddNumberToObject(x, "value", g->value);
                cJSON_AddStringToObject(x, "unit", g->unit);
                if (g->kind == 0 && strcmp(g->unit, "USD") == 0)
                    cJSON_AddNumberToObject(x, "usd", g->value);
                cJSON_AddStringToObject(x, "qualifier", qual[g->qualifier & 3]);
                cJSON_AddNumberToObject(x, "group", g->group);
                cJSON_AddNumberToObject(x, "ref", (double)bl->figures[k].ref);
                cJSON_AddItemToArray(fig, x);
            }
            if (bl->prev_articles) {
                cJSON *y = cJSON_AddObjectToObject(bo, "since_yesterday");
                cJSON_AddNumberToObject(y, "articles", bl->prev_articles);
                cJSON_AddNumberToObject(y, "outlets", bl->prev_outlets);
                struct buf t = BUF_INIT;
                report_since_text(&t, b, bl);
                cJSON_AddStringToObject(y, "text", t.ptr);
                buf_release(&t);
            }
            cJSON_AddItemToArray(bullets, bo);
        }
        static const char *const kinds[] = {"coverage", "trend",    "companies",
                                            "amount",   "capacity", "watchlist"};
        cJSON *imp = cJSON_AddArrayToObject(so, "implications");
        for (size_t k = 0; k < b->nfacts; k++) {
            const struct brief_fact *f = &b->facts[k];
            if ((int)f->area != a)
                continue;
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "audience",
                                    f->audience == BRIEF_FOR_QUANTS ? "quants" : "researchers");
            cJSON_AddStringToObject(x, "kind", kinds[f->kind % 6]);
            struct buf t = BUF_INIT;
            report_fact_text(&t, f, b->lang);
            cJSON_AddStringToObject(x, "text", t.ptr);
            buf_release(&t);
            cJSON_AddStringToObject(x, "subject", f->subject ? f->subject : "");
            cJSON_AddNumberToObject(x, "value", f->value);
            cJSON_AddNumberToObject(x, "baseline", f->baseline);
            cJSON_AddNumberToObject(x, "count", f->count);
            cJSON_AddNumberToObject(x, "outlets", f->outlets);
            cJSON_AddNumberToObject(x, "n", f->n);
            if (f->kind == BRIEF_FACT_AMOUNT)
                cJSON_AddStringToObject(x, "unit", f->unit[0] ? f->unit : "USD");
            else if (f->kind == BRIEF_FACT_CAPACITY)
                cJSON_AddStringToObject(x, "unit", "MW");
            if (f->has_ref)
                cJSON_AddNumberToObject(x, "ref", (double)f->ref);
            else
                cJSON_AddNullToObject(x, "ref");
            cJSON_AddItemToArray(imp, x);
        }
        cJSON_AddItemToArray(sections, so);
    }
    cJSON *refs = cJSON_AddArrayToObject(root, "refs");
    for (size_t i = 0; i < b->nrefs; i++) {
        const struct brief_ref *r = &b->refs[i];
        cJSON *ro = cJSON_CreateObject();
        cJSON_AddNumberToObject(ro, "index", (double)i);
        cJSON_AddNumberToObject(ro, "article_id", (double)r->article_id);
        cJSON_AddStringToObject(ro, "outlet", r->outlet ? r->outlet : "");
        cJSON_AddStringToObject(ro, "title", r->title ? r->title : "");
        cJSON_AddStringToObject(ro, "url", r->url ? r->url : "");
        cJSON_AddItemToObject(ro, "published", time_item(r->published));
        cJSON_AddItemToArray(refs, ro);
    }
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return ACHIM_ENOMEM;
    enum achim_code rc = buf_addstr(out, s);
    buf_addch(out, '\n');
    free(s);
    return rc;
}
