/* SPDX-License-Identifier: MIT */
/* cmd_search.c: achim search QUERY... */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/util.h"
#include "cli/cli.h"

int cmd_search(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    bool json = false;
    long limit = 10;
    int c;
    while ((c = getopt_long(argc, argv, "jn:", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'n':
            if (!cli_parse_size(optarg, 1, 1000, &limit))
                return cli_usage_error("search", "--limit wants a number from 1 to 1000, not '%s'",
                                       optarg);
            break;
        default: return cli_usage_error("search", "bad option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("search", "search needs a query");
    struct buf q = BUF_INIT;
    for (int i = optind; i < argc; i++)
        buf_addf(&q, "%s%s", i > optind ? " " : "", argv[i]);
    if (str_empty(q.ptr)) {
        buf_release(&q);
        return cli_usage_error("search", "search needs a query");
    }
    struct store_hit *hits = NULL;
    size_t n = 0;
    struct err e = ERR_INIT;
    enum achim_code rc = store_search(ctx->store, q.ptr, (size_t)limit, &hits, &n, &e);
    buf_release(&q);
    if (rc != ACHIM_OK)
        return cli_error(rc == ACHIM_EINVAL ? EXIT_USAGE : EXIT_FAIL, "%s", e.msg);
    for (size_t i = 0; i < n; i++) {
        const struct article *a = &hits[i].article;
        char when[21];
        time_format_iso(article_date(a), when);
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "id", (double)a->id);
            cJSON_AddStringToObject(o, "title", a->title ? a->title : "");
            cJSON_AddStringToObject(o, "url", a->url ? a->url : "");
            cJSON_AddStringToObject(o, "source", a->source_name ? a->source_name : "");
            cJSON_AddStringToObject(o, "published", when);
            cJSON_AddNumberToObject(o, "score", hits[i].rank);
            cJSON_AddStringToObject(o, "snippet", hits[i].snippet ? hits[i].snippet : "");
            char *s = cJSON_PrintUnformatted(o);
            puts(s);
            free(s);
            cJSON_Delete(o);
        } else {
            printf("%zu. %s\n   %s · %.10s · id %lld\n   %s\n   %s\n\n", i + 1,
                   a->title ? a->title : "(untitled)", a->source_name ? a->source_name : "?",
                   when, (long long)a->id, a->url ? a->url : "",
                   hits[i].snippet ? hits[i].snippet : "");
        }
    }
    if (!json && n == 0)
        printf("no matches\n");
    store_hits_free(hits, n);
    return EXIT_OK;
}
