/* SPDX-License-Identifier: MIT */
/* cmd_sources.c: achim sources add|list|set|remove|import|export|health. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "base/util.h"
#include "cli/cli.h"

/* A source named by id or by feed URL; 0 when there is none. */
static int64_t source_ref(struct store *st, const char *ref)
{
    long v;
    int64_t id = 0;
    if (cli_parse_size(ref, 1, 1L << 40, &v))
        return v;
    if (store_source_find(st, ref, &id, NULL) == ACHIM_OK)
        return id;
    return 0;
}

static bool parse_weight(const char *s, double *w)
{
    char *end = NULL;
    *w = strtod(s, &end);
    return end != s && !*end && *w > 0 && *w <= 10;
}

static int s_add(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},    {"weight", required_argument, NULL, 'w'},
        {"fulltext", no_argument, NULL, 'f'},      {"no-check", no_argument, NULL, 'N'},
        {"timeout", required_argument, NULL, 't'}, {NULL, 0, NULL, 0},
    };
    struct app_source_add a = {0};
    struct app_fetch_opts fo;
    app_fetch_opts_default(&fo);
    fo.net.timeout_ms = 30000;
    int c;
    while ((c = getopt_long(argc, argv, "n:w:", opts, NULL)) != -1) {
        switch (c) {
        case 'n': a.name = optarg; break;
        case 'w':
            if (!parse_weight(optarg, &a.weight))
                return cli_usage_error("sources", "--weight wants a number in (0, 10], not '%s'",
                                       optarg);
            break;
        case 'f': a.fulltext = true; break;
        case 'N': a.no_check = true; break;
        case 't': {
            char *end = NULL;
            double s = strtod(optarg, &end);
            if (end == optarg || *end || s <= 0)
                return cli_usage_error("sources", "--timeout wants seconds, not '%s'", optarg);
            fo.net.timeout_ms = (long)(s * 1000);
            break;
        }
        default: return cli_usage_error("sources", "bad option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("sources", "sources add wants one URL");
    a.url = argv[optind];
    int64_t id = 0;
    char *url = NULL;
    struct err e = ERR_INIT;
    enum achim_code rc = app_source_add(ctx->store, &a, &fo.net, ctx->now, &id, &url, &e);
    if (rc == ACHIM_EINVAL)
        return cli_usage_error("sources", "%s", e.msg);
    if (rc != ACHIM_OK)
        return cli_error(EXIT_FAIL, "%s", e.msg);
    if (strcmp(url, a.url) != 0)
        printf("added source %lld: %s (found on %s)\n", (long long)id, url, a.url);
    else
        printf("added source %lld: %s\n", (long long)id, url);
    free(url);
    return EXIT_OK;
}

static int s_list(struct cli_ctx *ctx, int argc, char **argv)
{
    bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
    if (argc > (json ? 2 : 1))
        return cli_usage_error("sources", "sources list takes only --json");
    struct store_source *v = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    if (store_sources_list(ctx->store, &v, &n, &e) != ACHIM_OK)
        return cli_error(EXIT_FAIL, "%s", e.msg);
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    if (!json && n) /* flags: x disabled, F full text */
        printf("%4s  %-4s %-2s %5s  %s  %s\n", "id", "wt", "", "items", "name", "url");
    for (size_t i = 0; i < n; i++) {
        struct store_source *s = &v[i];
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "id", (double)s->id);
            cJSON_AddStringToObject(o, "url", s->feed_url);
            cJSON_AddStringToObject(o, "name", s->name ? s->name : "");
            if (s->site_url)
                cJSON_AddStringToObject(o, "site", s->site_url);
            cJSON_AddNumberToObject(o, "weight", s->weight);
            cJSON_AddBoolToObject(o, "enabled", s->enabled);
            cJSON_AddBoolToObject(o, "fulltext", s->fulltext);
            cJSON_AddNumberToObject(o, "articles", (double)s->articles);
            cJSON_AddNumberToObject(o, "last_fetch", (double)s->last_fetch);
            cJSON_AddNumberToObject(o, "last_status", s->last_status);
            cJSON_AddNumberToObject(o, "fail_count", s->fail_count);
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("%4lld  %-4.2g %s%s %5lld  %s  %s\n", (long long)s->id, s->weight,
                   s->enabled ? " " : "x", s->fulltext ? "F" : " ", (long long)s->articles,
                   s->name ? s->name : "-", s->feed_url);
        }
    }
    if (json) {
        char *t = cJSON_Print(arr);
        puts(t);
        free(t);
        cJSON_Delete(arr);
    }
    store_sources_free(v, n);
    return EXIT_OK;
}

static int s_set(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'}, {"weight", required_argument, NULL, 'w'},
        {"fulltext", no_argument, NULL, 'f'},   {"no-fulltext", no_argument, NULL, 'F'},
        {"enable", no_argument, NULL, 'e'},     {"disable", no_argument, NULL, 'd'},
        {"url", required_argument, NULL, 'u'},  {NULL, 0, NULL, 0},
    };
    struct store_source_edit ed = STORE_SOURCE_EDIT_INIT;
    int c;
    while ((c = getopt_long(argc, argv, "n:w:", opts, NULL)) != -1) {
        switch (c) {
        case 'n': ed.name = optarg; break;
        case 'w':
            if (!parse_weight(optarg, &ed.weight))
                return cli_usage_error("sources", "--weight wants a number in (0, 10], not '%s'",
                                       optarg);
            break;
        case 'f': ed.fulltext = 1; break;
        case 'F': ed.fulltext = 0; break;
        case 'e': ed.enabled = 1; break;
        case 'd': ed.enabled = 0; break;
        case 'u': ed.feed_url = optarg; break;
        default: return cli_usage_error("sources", "bad option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("sources", "sources set wants one source (id or URL)");
    int64_t id = source_ref(ctx->store, argv[optind]);
    if (!id)
        return cli_error(EXIT_FAIL, "no source '%s'", argv[optind]);
    struct err e = ERR_INIT;
    enum achim_code rc = store_source_edit(ctx->store, id, &ed, &e);
    if (rc == ACHIM_OK && ed.enabled == 1) /* re-enabling also ends any back-off */
        rc = store_source_schedule(ctx->store, id, 0, &e);
    if (rc != ACHIM_OK)
        return cli_error(EXIT_FAIL, "%s", e.msg);
    return EXIT_OK;
}

static int s_remove(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("sources", "sources remove wants a source (id or URL)");
    int status = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        int64_t id = source_ref(ctx->store, argv[i]);
        struct err e = ERR_INIT;
        if (!id || store_source_remove(ctx->store, id, &e) != ACHIM_OK) {
            status = cli_error(EXIT_FAIL, "no source '%s'", argv[i]);
            continue;
        }
        printf("removed source %lld\n", (long long)id);
    }
    return status;
}

static int s_import(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc > 2)
        return cli_usage_error("sources", "sources import wants one OPML file");
    char *defaults = argc == 2 ? NULL : cli_data_path("sources.opml");
    const char *path = argc == 2 ? argv[1] : defaults;
    struct buf b;
    buf_init(&b, 64u << 20);
    struct err e = ERR_INIT;
    int added = 0, existing = 0, status = EXIT_OK;
    enum achim_code rc = file_read_all(path, &b, &e);
    if (rc == ACHIM_OK)
        rc = app_sources_import(ctx->store, b.ptr, b.len, ctx->now, &added, &existing, &e);
    if (rc != ACHIM_OK)
        status = cli_error(EXIT_FAIL, "%s: %s", path, e.msg);
    else
        printf("imported %s: %d added, %d already present\n", path, added, existing);
    buf_release(&b);
    free(defaults);
    return status;
}

static int s_export(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *out = NULL;
    if (argc == 3 && strcmp(argv[1], "--out") == 0)
        out = argv[2];
    else if (argc != 1)
        return cli_usage_error("sources", "sources export takes only --out FILE");
    struct buf b = BUF_INIT;
    struct err e = ERR_INIT;
    int status = EXIT_OK;
    if (app_sources_export(ctx->store, ctx->now, &b, &e) != ACHIM_OK)
        status = cli_error(EXIT_FAIL, "%s", e.msg);
    else if (out && file_write_atomic(out, b.ptr, b.len, &e) != ACHIM_OK)
        status = cli_error(EXIT_FAIL, "%s", e.msg);
    else if (!out)
        fwrite(b.ptr, 1, b.len, stdout);
    buf_release(&b);
    return status;
}

static void flags_text(unsigned f, struct buf *b)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{STORE_HEALTH_DISABLED, "disabled"},
                 {STORE_HEALTH_FAILING, "failing"},
                 {STORE_HEALTH_SILENT, "silent"},
                 {STORE_HEALTH_REDIRECTED, "redirected"},
                 {STORE_HEALTH_SLOW, "slow"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (f & names[i].bit)
            buf_addf(b, "%s%s", b->len ? "," : "", names[i].name);
    if (!b->len)
        buf_addstr(b, "ok");
}

static int s_health(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'J'},
        {"all", no_argument, NULL, 'a'},
        {"silent-days", required_argument, NULL, 's'},
        {"slow", required_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, all = false;
    long silent = 7, slow_ms = 5000;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'J': json = true; break;
        case 'a': all = true; break;
        case 's':
            if (!cli_parse_size(optarg, 1, 3650, &silent))
                return cli_usage_error("sources", "--silent-days wants 1 to 3650");
            break;
        case 'S':
            if (!cli_parse_size(optarg, 1, 3600000, &slow_ms))
                return cli_usage_error("sources", "--slow wants milliseconds");
            break;
        default: return cli_usage_error("sources", "bad option");
        }
    }
    struct store_source_health *v = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    if (store_sources_health(ctx->store, ctx->now, (int)silent, slow_ms, &v, &n, &e) != ACHIM_OK)
        return cli_error(EXIT_FAIL, "%s", e.msg);
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        struct store_source_health *h = &v[i];
        if (!all && !h->flags)
            continue;
        shown++;
        struct buf f = BUF_INIT;
        flags_text(h->flags, &f);
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "id", (double)h->id);
            cJSON_AddStringToObject(o, "name", h->name ? h->name : "");
            cJSON_AddStringToObject(o, "url", h->feed_url);
            cJSON_AddStringToObject(o, "health", f.ptr);
            cJSON_AddBoolToObject(o, "enabled", h->enabled);
            cJSON_AddNumberToObject(o, "fail_count", h->fail_count);
            cJSON_AddNumberToObject(o, "last_status", h->last_status);
            if (h->last_error)
                cJSON_AddStringToObject(o, "last_error", h->last_error);
            if (h->moved_from)
                cJSON_AddStringToObject(o, "moved_from", h->moved_from);
            cJSON_AddNumberToObject(o, "last_fetch", (double)h->last_fetch);
            cJSON_AddNumberToObject(o, "last_ok", (double)h->last_ok);
            cJSON_AddNumberToObject(o, "last_new", (double)h->last_new);
            cJSON_AddNumberToObject(o, "next_fetch", (double)h->next_fetch);
            cJSON_AddNumberToObject(o, "articles", (double)h->articles);
            cJSON_AddNumberToObject(o, "avg_ms", h->avg_ms);
            cJSON_AddNumberToObject(o, "fetches", h->fetches);
            cJSON_AddItemToArray(arr, o);
        } else {
            char last_new[11] = "never";
            if (h->last_new)
                time_format_day(h->last_new, last_new);
            printf("%4lld  %-22s fails %-3d status %-3d newest %-10s avg %5ld ms  %s  %s",
                   (long long)h->id, f.ptr, h->fail_count, h->last_status, last_new, h->avg_ms,
                   h->name ? h->name : "-", h->feed_url);
            if (h->moved_from)
                printf(" (was %s)", h->moved_from);
            if (h->last_error && (h->flags & STORE_HEALTH_FAILING))
                printf(": %s", h->last_error);
            putchar('\n');
        }
        buf_release(&f);
    }
    if (json) {
        char *t = cJSON_Print(arr);
        puts(t);
        free(t);
        cJSON_Delete(arr);
    } else if (!shown) {
        printf("all %zu source(s) healthy\n", n);
    }
    store_health_free(v, n);
    return EXIT_OK;
}

int cmd_sources(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(struct cli_ctx *, int, char **);
    } subs[] = {{"add", s_add},       {"list", s_list},     {"set", s_set},
                {"remove", s_remove}, {"import", s_import}, {"export", s_export},
                {"health", s_health}};
    if (argc < 2)
        return s_list(ctx, 1, argv);
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(argv[1], subs[i].name) == 0) {
            optind = 0;
            return subs[i].fn(ctx, argc - 1, argv + 1);
        }
    return cli_usage_error("sources", "no sources subcommand '%s'", argv[1]);
}
