/* SPDX-License-Identifier: MIT */
/* cmd_explain.c: achim explain — why a story of the brief ranks where it
 * does: the ranking's parts with their evidence, the focus terms that fired
 * and the sources.
 *
 * STORY is the story's rank in the day's brief (1 = highest score over all
 * blocks), its persistent id as "#ID" (the same from day to day, see the
 * stories table), or words that its bullet or one of its sources' titles
 * contain.
 * The brief is built exactly as `achim brief` builds it, preferences file
 * included, so the numbers are the ones behind the briefing. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "corpus/corpus.h"

struct ranked_bullet {
    const struct brief_bullet *bl;
    int area;
};

static int cmp_ranked(const void *a, const void *b)
{
    double x = ((const struct ranked_bullet *)a)->bl->score;
    double y = ((const struct ranked_bullet *)b)->bl->score;
    return (y > x) - (y < x);
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; p && *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return true;
    return false;
}

static bool bullet_matches(const struct briefing *b, const struct brief_bullet *bl,
                           const char *words)
{
    char *copy = xstrdup(words);
    bool all = true;
    char *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w && all; w = strtok_r(NULL, " ", &save)) {
        bool any = contains_ci(bl->text, w) || contains_ci(bl->topic, w);
        for (size_t r = 0; r < bl->nrefs && !any; r++)
            any = contains_ci(b->refs[bl->refs[r]].title, w);
        all = any;
    }
    free(copy);
    return all;
}

static const char *const area_names[BRIEF_NAREAS] = {
    "AI & ML innovation", "Big tech strategy & policy", "Emerging trends & impact"};

static void print_explanation(const struct briefing *b, const struct ranked_bullet *r, size_t rank,
                              size_t total, bool json)
{
    const struct brief_bullet *bl = r->bl;
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "rank", (double)rank);
        cJSON_AddNumberToObject(o, "story", (double)bl->story_id);
        cJSON_AddStringToObject(o, "state", bl->state);
        cJSON_AddStringToObject(o, "area", area_names[r->area]);
        cJSON_AddStringToObject(o, "topic", bl->topic);
        cJSON_AddStringToObject(o, "text", bl->text);
        cJSON_AddNumberToObject(o, "score", bl->score);
        cJSON_AddNumberToObject(o, "outlets", bl->outlets);
        cJSON *parts = cJSON_AddArrayToObject(o, "parts");
        char *why = xstrdup(bl->why);
        char *save = NULL;
        for (char *p = strtok_r(why, ";", &save); p; p = strtok_r(NULL, ";", &save))
            cJSON_AddItemToArray(parts, cJSON_CreateString(str_trim(p)));
        free(why);
        cJSON_AddStringToObject(o, "terms", bl->terms ? bl->terms : "");
        cJSON *src = cJSON_AddArrayToObject(o, "sources");
        for (size_t i = 0; i < bl->nrefs; i++) {
            const struct brief_ref *ref = &b->refs[bl->refs[i]];
            cJSON *s = cJSON_CreateObject();
            cJSON_AddStringToObject(s, "outlet", ref->outlet ? ref->outlet : "");
            cJSON_AddStringToObject(s, "title", ref->title ? ref->title : "");
            cJSON_AddStringToObject(s, "url", ref->url ? ref->url : "");
            cJSON_AddItemToArray(src, s);
        }
        char *s = cJSON_Print(o);
        puts(s);
        free(s);
        cJSON_Delete(o);
        return;
    }
    char day[11];
    time_format_day(b->date, day);
    printf("story %zu of %zu in the brief of %s — %s: %s\n", rank, total, day, area_names[r->area],
           bl->topic);
    printf("  story #%lld, %s\n", (long long)bl->story_id, bl->state);
    printf("  %s\n\n", bl->text);
    printf("score %.2f, the sum of:\n", bl->score);
    char *why = xstrdup(bl->why);
    char *save = NULL;
    for (char *p = strtok_r(why, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
        p = str_trim(p);
        char *arrow = strstr(p, "->");
        char *eq = arrow ? NULL : strrchr(p, '=');
        const char *points = arrow ? arrow + 2 : eq ? eq + 1 : "";
        if (arrow)
            *arrow = '\0';
        else if (eq)
            *eq = '\0';
        if (str_starts_with(p, "total"))
            continue;
        char *colon = strchr(p, ':');
        if (colon) {
            *colon = '\0';
            printf("  %-10s %8s   %s\n", p, str_trim((char *)points), str_trim(colon + 1));
        }
    }
    free(why);
    printf("\nfocus terms that fired: %s\n", bl->terms && *bl->terms ? bl->terms : "(none)");
    printf("\nsources (%d outlet%s):\n", bl->outlets, bl->outlets == 1 ? "" : "s");
    for (size_t i = 0; i < bl->nrefs; i++) {
        const struct brief_ref *ref = &b->refs[bl->refs[i]];
        printf("  [%zu] %s — %s\n", bl->refs[i] + 1, ref->outlet ? ref->outlet : "?",
               ref->title ? ref->title : "");
    }
    printf("\nranking defaults and their reasons: docs/ranking.md\n");
}

/* --article ID: bring the stored facts up to date, then show the article's. */
static int explain_article(struct cli_ctx *ctx, const char *idstr, bool json)
{
    char *end = NULL;
    long long id = strtoll(idstr, &end, 10);
    if (end == idstr || *end || id <= 0)
        return cli_usage_error("explain", "--article wants an article id, not '%s'", idstr);
    char *gp = cli_data_path("gazetteer.tsv");
    struct gazetteer *g = NULL;
    struct err e = ERR_INIT;
    int status = EXIT_OK;
    struct article a = {0};
    struct store_entity *ents = NULL;
    struct store_figure *figs = NULL;
    size_t ne = 0, nf = 0;
    if (gazetteer_load(gp, &g, &e) != ACHIM_OK || app_facts_sync(ctx->store, g, NULL, &e) ||
        store_article_get(ctx->store, id, &a, &e) ||
        store_facts_get(ctx->store, id, &ents, &ne, &figs, &nf, &e)) {
        status = cli_error(e.code == ACHIM_ENOTFOUND ? EXIT_FAIL : EXIT_FAIL, "%s", e.msg);
        goto out;
    }
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)id);
        cJSON_AddStringToObject(o, "title", a.title ? a.title : "");
        cJSON *je = cJSON_AddArrayToObject(o, "entities");
        for (size_t i = 0; i < ne; i++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "name", ents[i].name);
            cJSON_AddStringToObject(x, "kind", ents[i].kind);
            cJSON_AddNumberToObject(x, "mentions", ents[i].mentions);
            cJSON_AddItemToArray(je, x);
        }
        cJSON *jf = cJSON_AddArrayToObject(o, "figures");
        for (size_t i = 0; i < nf; i++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "kind", figs[i].kind);
            cJSON_AddNumberToObject(x, "value", figs[i].value);
            cJSON_AddStringToObject(x, "unit", figs[i].unit);
            cJSON_AddStringToObject(x, "text", figs[i].text);
            cJSON_AddItemToArray(jf, x);
        }
        char *out = cJSON_PrintUnformatted(o);
        puts(out);
        free(out);
        cJSON_Delete(o);
    } else {
        printf("article %lld: %s\n", id, a.title ? a.title : "");
        printf("entities:");
        for (size_t i = 0; i < ne; i++)
            printf("%s %s (%s, %d)", i ? "," : "", ents[i].name, ents[i].kind, ents[i].mentions);
        printf("%s\nfigures:", ne ? "" : " (none)");
        for (size_t i = 0; i < nf; i++)
            printf("%s %s %s = %g %s", i ? "," : "", figs[i].kind, figs[i].text, figs[i].value,
                   figs[i].unit);
        printf("%s\n", nf ? "" : " (none)");
    }
out:
    store_facts_free(ents, ne, figs, nf);
    article_release(&a);
    gazetteer_free(g);
    free(gp);
    return status;
}

int cmd_explain(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},
        {"hour", required_argument, NULL, 'H'},
        {"watch", required_argument, NULL, 'w'},
        {"terms", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {"article", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    struct app_brief_opts o;
    app_brief_opts_default(&o);
    o.gazetteer = cli_gazetteer(ctx);
    o.date = ctx->now - ctx->now % 86400;
    o.max_bullets = 1000; /* every focused story, not only the shown ones */
    struct cli_config cfg;
    int status = cli_config_load(&cfg);
    if (status != EXIT_OK) {
        cli_config_release(&cfg);
        return status;
    }
    cli_config_apply_brief(&cfg, &o);
    o.max_bullets = 1000;
    bool json = false;
    const char *article = NULL;
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!time_parse_day(optarg, &o.date)) {
                cli_config_release(&cfg);
                return cli_usage_error("explain", "--date wants YYYY-MM-DD, not '%s'", optarg);
            }
            break;
        case 'H':
            if (!cli_parse_size(optarg, 0, 23, &v)) {
                cli_config_release(&cfg);
                return cli_usage_error("explain", "--hour wants 0-23");
            }
            o.morning_hour = (int)v;
            break;
        case 'w': o.watchlist = optarg; break;
        case 't': o.terms_path = optarg; break;
        case 'j': json = true; break;
        case 'a': article = optarg; break;
        default: cli_config_release(&cfg); return cli_usage_error("explain", "bad option");
        }
    }
    if (article) {
        cli_config_release(&cfg);
        if (optind < argc)
            return cli_usage_error("explain", "--article takes no STORY");
        return explain_article(ctx, article, json);
    }
    if (optind >= argc) {
        cli_config_release(&cfg);
        return cli_usage_error("explain", "which story? give its rank, #ID or words of its title");
    }
    struct buf query = BUF_INIT;
    for (int i = optind; i < argc; i++)
        buf_addf(&query, "%s%s", i > optind ? " " : "", argv[i]);
    char *terms = NULL;
    if (!o.terms_path)
        o.terms_path = terms = cli_data_path("focus-terms.tsv");
    struct briefing b;
    briefing_init(&b);
    struct err e = ERR_INIT;
    enum achim_code rc = app_brief_build(ctx->store, &o, &b, &e);
    if (rc != ACHIM_OK) {
        status = cli_error(EXIT_FAIL, "%s", e.msg);
        goto out;
    }
    size_t total = 0;
    for (int a = 0; a < BRIEF_NAREAS; a++)
        total += b.sections[a].nbullets;
    struct ranked_bullet *rb = xcalloc(total ? total : 1, sizeof(*rb));
    size_t k = 0;
    for (int a = 0; a < BRIEF_NAREAS; a++)
        for (size_t i = 0; i < b.sections[a].nbullets; i++)
            rb[k++] = (struct ranked_bullet){&b.sections[a].bullets[i], a};
    if (total)
        qsort(rb, total, sizeof(*rb), cmp_ranked);
    char *end = NULL;
    long want = strtol(query.ptr, &end, 10);
    size_t found = SIZE_MAX;
    if (query.ptr[0] == '#') { /* a persistent story id, stable across days */
        long long sid = strtoll(query.ptr + 1, &end, 10);
        for (size_t i = 0; i < total && found == SIZE_MAX && end != query.ptr + 1 && !*end; i++)
            if (rb[i].bl->story_id == sid)
                found = i;
    } else if (end != query.ptr && *end == '\0') {
        if (want >= 1 && (size_t)want <= total)
            found = (size_t)want - 1;
    } else {
        for (size_t i = 0; i < total && found == SIZE_MAX; i++)
            if (bullet_matches(&b, rb[i].bl, query.ptr))
                found = i;
    }
    if (found == SIZE_MAX) {
        char day[11];
        time_format_day(o.date, day);
        status = cli_error(EXIT_FAIL, "no story '%s' in the brief of %s (%zu stories)", query.ptr,
                           day, total);
    } else {
        print_explanation(&b, &rb[found], found + 1, total, json);
    }
    free(rb);
out:
    briefing_release(&b);
    buf_release(&query);
    free(terms);
    cli_config_release(&cfg);
    return status;
}
