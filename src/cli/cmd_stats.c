/* SPDX-License-Identifier: MIT */
/* cmd_stats.c: achim stats — counts and the sources in the store. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>

#include "base/util.h"
#include "cli/cli.h"

int cmd_stats(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
        if (c == 'j')
            json = true;
        else
            return cli_usage_error("stats", "bad option");
    }
    if (optind < argc)
        return cli_usage_error("stats", "unexpected argument '%s'", argv[optind]);
    struct store_stats s;
    struct store_source *src = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    if (store_stats(ctx->store, &s, &e) != ACHIM_OK ||
        store_sources_list(ctx->store, &src, &n, &e) != ACHIM_OK)
        return cli_error(EXIT_FAIL, "%s", e.msg);
    char oldest[21] = "-", newest[21] = "-";
    if (s.oldest)
        time_format_iso(s.oldest, oldest);
    if (s.newest)
        time_format_iso(s.newest, newest);
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "schema_version", store_schema_version(ctx->store));
        cJSON_AddNumberToObject(o, "sources", (double)s.sources);
        cJSON_AddNumberToObject(o, "articles", (double)s.articles);
        cJSON_AddNumberToObject(o, "runs", (double)s.runs);
        cJSON_AddStringToObject(o, "oldest", oldest);
        cJSON_AddStringToObject(o, "newest", newest);
        cJSON *arr = cJSON_AddArrayToObject(o, "source_list");
        for (size_t i = 0; i < n; i++) {
            cJSON *so = cJSON_CreateObject();
            cJSON_AddNumberToObject(so, "id", (double)src[i].id);
            cJSON_AddStringToObject(so, "name", src[i].name ? src[i].name : "");
            cJSON_AddStringToObject(so, "feed_url", src[i].feed_url ? src[i].feed_url : "");
            cJSON_AddNumberToObject(so, "articles", (double)src[i].articles);
            cJSON_AddItemToArray(arr, so);
        }
        char *str = cJSON_PrintUnformatted(o);
        puts(str);
        free(str);
        cJSON_Delete(o);
    } else {
        printf("schema version %d; %lld sources, %lld articles, %lld runs; articles dated %s to %s\n",
               store_schema_version(ctx->store), (long long)s.sources, (long long)s.articles,
               (long long)s.runs, oldest, newest);
        for (size_t i = 0; i < n; i++)
            printf("  %4lld  %5lld articles  %s\n", (long long)src[i].id,
                   (long long)src[i].articles, src[i].name ? src[i].name : src[i].feed_url);
    }
    store_sources_free(src, n);
    return EXIT_OK;
}
