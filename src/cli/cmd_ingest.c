/* SPDX-License-Identifier: MIT */
/* cmd_ingest.c: achim ingest PATH... */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>

#include "app/app.h"
#include "cli/cli.h"

struct ingest_print {
    bool json;
    int files, ok;
    struct ingest_counts total;
};

static void print_result(void *vctx, const struct app_ingest_result *r)
{
    struct ingest_print *p = vctx;
    p->files++;
    if (r->rc == ACHIM_OK) {
        p->ok++;
        p->total.added += r->counts.added;
        p->total.updated += r->counts.updated;
        p->total.unchanged += r->counts.unchanged;
        p->total.skipped += r->counts.skipped;
    }
    if (p->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", r->path);
        cJSON_AddBoolToObject(o, "ok", r->rc == ACHIM_OK);
        if (r->rc == ACHIM_OK) {
            cJSON_AddStringToObject(o, "feed", r->feed_title ? r->feed_title : "");
            cJSON_AddStringToObject(o, "format", r->format ? r->format : "");
            if (r->version)
                cJSON_AddStringToObject(o, "version", r->version);
            cJSON_AddNumberToObject(o, "added", r->counts.added);
            cJSON_AddNumberToObject(o, "updated", r->counts.updated);
            cJSON_AddNumberToObject(o, "unchanged", r->counts.unchanged);
            cJSON_AddNumberToObject(o, "skipped", r->counts.skipped);
            cJSON_AddBoolToObject(o, "bozo", r->bozo);
            if (r->bozo && r->bozo_message)
                cJSON_AddStringToObject(o, "bozo_message", r->bozo_message);
        } else {
            cJSON_AddStringToObject(o, "error", r->error ? r->error : achim_strerror(r->rc));
        }
        char *s = cJSON_PrintUnformatted(o);
        puts(s);
        free(s);
        cJSON_Delete(o);
        return;
    }
    if (r->rc != ACHIM_OK) {
        printf("%s: error: %s\n", r->path, r->error ? r->error : achim_strerror(r->rc));
        return;
    }
    printf("%s: %s (%s): %d added, %d updated, %d unchanged, %d skipped%s%s\n", r->path,
           r->feed_title ? r->feed_title : "(untitled)", r->version ? r->version : r->format,
           r->counts.added, r->counts.updated, r->counts.unchanged, r->counts.skipped,
           r->bozo ? "; warning: " : "", r->bozo ? (r->bozo_message ? r->bozo_message : "malformed") : "");
}

int cmd_ingest(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    struct ingest_print p = {0};
    int c;
    while ((c = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
        if (c == 'j')
            p.json = true;
        else
            return cli_usage_error("ingest", "bad option");
    }
    if (optind >= argc)
        return cli_usage_error("ingest", "ingest needs at least one file or folder");
    struct err e = ERR_INIT;
    int nfailed = 0;
    enum achim_code rc = app_ingest_paths(ctx->store, cli_gazetteer(ctx), (const char *const *)argv + optind,
                                          (size_t)(argc - optind), ctx->now, print_result, &p,
                                          &nfailed, &e);
    if (!p.json)
        printf("total: %d file(s), %d stored, %d failed; %d added, %d updated, %d unchanged, %d skipped\n",
               p.files, p.ok, nfailed, p.total.added, p.total.updated, p.total.unchanged,
               p.total.skipped);
    if (rc != ACHIM_OK && rc != ACHIM_EIO)
        return cli_error(EXIT_FAIL, "%s", e.msg);
    if (nfailed == 0)
        return EXIT_OK;
    if (p.ok == 0) {
        fprintf(stderr, "achim: error: no file could be stored\n");
        return EXIT_FAIL;
    }
    fprintf(stderr, "achim: warning: %d of %d file(s) failed\n", nfailed, p.files);
    return EXIT_PARTIAL;
}
