/* SPDX-License-Identifier: MIT */
/* cmd_cluster.c: achim cluster — the story clustering engine on any JSONL.
 *
 * Reads {"id","title"?,"text"?,"published"?,"source"?} lines in order and
 * prints one {"id","cluster"} line per input line, in input order, once the
 * stream has ended (the engine's small-cluster rescue runs at the end). The
 * engine is the one the brief uses, with the same defaults. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "corpus/corpus.h"

/* "published": ISO 8601 string, YYYY-MM-DD or epoch seconds; 0 if absent. */
static int64_t json_time(const cJSON *v)
{
    int64_t t = 0;
    /* an epoch number beyond int64 (or not finite) cannot be converted:
     * such a document counts as undated */
    if (cJSON_IsNumber(v))
        return isfinite(v->valuedouble) && fabs(v->valuedouble) < 9.2e18 ? (int64_t)v->valuedouble
                                                                         : 0;
    if (cJSON_IsString(v) &&
        (time_parse_iso(v->valuestring, &t) || time_parse_day(v->valuestring, &t)))
        return t;
    return 0;
}

/* Lines of a JSONL file count in the IDF statistics only. */
static int observe_file(struct cluster_engine *e, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) != -1) {
        cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
        const cJSON *title = cJSON_GetObjectItemCaseSensitive(o, "title");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
        if (o)
            cluster_engine_observe(e, cJSON_IsString(title) ? title->valuestring : NULL,
                                   cJSON_IsString(text) ? text->valuestring : NULL);
        cJSON_Delete(o);
    }
    free(line);
    fclose(f);
    return 0;
}

int cmd_cluster(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"jsonl", required_argument, NULL, 'j'},
        {"threshold", required_argument, NULL, 't'},
        {"window", required_argument, NULL, 'w'},
        {"rescue", required_argument, NULL, 'r'},
        {"history", required_argument, NULL, 'H'},
        {"name-weight", required_argument, NULL, 'n'},
        {"name-agree", no_argument, NULL, 'a'},
        {"no-name-agree", no_argument, NULL, 'A'},
        {"merge", required_argument, NULL, 'm'},
        {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    struct cluster_opts co;
    cluster_opts_default(&co);
    const char *path = NULL, *history = NULL;
    bool verbose = false;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "j:", opts, NULL)) != -1) {
        switch (c) {
        case 'j': path = optarg; break;
        case 't':
            co.threshold = strtof(optarg, &end);
            if (end == optarg || *end || co.threshold <= 0 || co.threshold >= 1)
                return cli_usage_error("cluster", "--threshold wants a number in (0, 1)");
            break;
        case 'H': history = optarg; break;
        case 'm':
            co.merge = strtof(optarg, &end);
            if (end == optarg || *end || co.merge < 0 || co.merge > 1)
                return cli_usage_error("cluster", "--merge wants a number in [0, 1]");
            break;
        case 'n':
            co.name_weight = strtof(optarg, &end);
            if (end == optarg || *end || co.name_weight < 0 || co.name_weight > 10)
                return cli_usage_error("cluster", "--name-weight wants a number in [0, 10]");
            break;
        case 'a': co.name_agree = true; break;
        case 'A': co.name_agree = false; break;
        case 'v': verbose = true; break;
        case 'r':
            co.rescue = strtof(optarg, &end);
            if (end == optarg || *end || co.rescue < 0 || co.rescue >= 1)
                return cli_usage_error("cluster", "--rescue wants a number in [0, 1)");
            co.small = co.rescue > 0 ? 2 : 0;
            break;
        case 'w': {
            long h;
            if (!cli_parse_size(optarg, 0, 24L * 3650, &h))
                return cli_usage_error("cluster", "--window wants hours, not '%s'", optarg);
            co.window = (int64_t)h * 3600;
            break;
        }
        default: return cli_usage_error("cluster", "bad option");
        }
    }
    if (!path && optind < argc)
        path = argv[optind++];
    if (!path)
        return cli_usage_error("cluster", "want --jsonl FILE or -");
    if (optind < argc)
        return cli_usage_error("cluster", "unexpected argument '%s'", argv[optind]);
    struct cluster_engine *e = cluster_engine_new(&co);
    if (history && observe_file(e, history) != 0) {
        cluster_engine_free(e);
        return cli_error(EXIT_FAIL, "cannot read '%s'", history);
    }
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!in) {
        cluster_engine_free(e);
        return cli_error(EXIT_FAIL, "cannot open '%s'", path);
    }

    char **ids = NULL;
    size_t nids = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    long lineno = 0;
    int status = EXIT_OK;
    while ((len = getline(&line, &lcap, in)) != -1) {
        lineno++;
        if (str_empty(line))
            continue;
        cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
        const cJSON *id = o ? cJSON_GetObjectItemCaseSensitive(o, "id") : NULL;
        if (!id || !(cJSON_IsString(id) || cJSON_IsNumber(id))) {
            status = cli_error(EXIT_FAIL, "'%s' line %ld: not a JSON object with an \"id\"", path,
                               lineno);
            cJSON_Delete(o);
            break;
        }
        char num[32];
        if (cJSON_IsNumber(id))
            snprintf(num, sizeof(num), "%.0f", id->valuedouble);
        const cJSON *title = cJSON_GetObjectItemCaseSensitive(o, "title");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
        XGROW(ids, nids + 1, cap);
        ids[nids++] = xstrdup(cJSON_IsString(id) ? id->valuestring : num);
        float sim = 0;
        size_t k =
            cluster_engine_add(e, cJSON_IsString(title) ? title->valuestring : NULL,
                               cJSON_IsString(text) ? text->valuestring : NULL,
                               json_time(cJSON_GetObjectItemCaseSensitive(o, "published")), &sim);
        if (verbose)
            fprintf(stderr, "%s -> %zu (best cosine %.3f)\n", ids[nids - 1], k, sim);
        cJSON_Delete(o);
    }
    free(line);
    if (in != stdin)
        fclose(in);
    if (status == EXIT_OK) {
        size_t *assign = xcalloc(nids ? nids : 1, sizeof(size_t));
        cluster_engine_finish(e, assign);
        for (size_t i = 0; i < nids; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", ids[i]);
            cJSON_AddNumberToObject(o, "cluster", (double)assign[i]);
            char *s = cJSON_PrintUnformatted(o);
            puts(s);
            free(s);
            cJSON_Delete(o);
        }
        free(assign);
    }
    for (size_t i = 0; i < nids; i++)
        free(ids[i]);
    free(ids);
    cluster_engine_free(e);
    (void)ctx;
    return status;
}
