/* SPDX-License-Identifier: MIT */
/* cmd_demo.c: achim demo — the bundled sample week, end to end. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "base/util.h"
#include "cli/cli.h"

#define DEMO_DAY "2026-02-01"

static void remove_tree(const char *dir)
{
    const char *suffixes[] = {"/achim.db", "/achim.db-wal", "/achim.db-shm", "/achim.db-journal"};
    struct buf p = BUF_INIT;
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        buf_reset(&p);
        buf_addf(&p, "%s%s", dir, suffixes[i]);
        unlink(p.ptr);
    }
    buf_release(&p);
    rmdir(dir);
}

int cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    struct app_brief_opts o;
    app_brief_opts_default(&o);
    o.gazetteer = cli_gazetteer(ctx);
    time_parse_day(DEMO_DAY, &o.date);
    /* the demo ignores the preferences file (its output is the golden
     * sample), except for the mail settings of --send */
    struct cli_config cfg;
    struct brief_cli bc = {.format = "md", .days = 7, .cfg = &cfg};
    int status = cli_config_load(&cfg);
    if (status == EXIT_OK)
        status = cli_brief_options("demo", argc, argv, &o, &bc);
    if (status >= 0) {
        cli_config_release(&cfg);
        return status;
    }
    const char *dir = bc.dir;
    char *samples = cli_sample_dir();
    if (!samples) {
        cli_config_release(&cfg);
        return cli_error(EXIT_FAIL, "cannot find the bundled sample feeds (examples/sample-feeds)");
    }
    char tmpl[] = "/tmp/achim-demo-XXXXXX";
    char *workdir = NULL;
    if (dir) {
        struct err e = ERR_INIT;
        if (dir_make_all(dir, &e) != ACHIM_OK) {
            free(samples);
            cli_config_release(&cfg);
            return cli_error(EXIT_FAIL, "%s", e.msg);
        }
    } else if (!(workdir = mkdtemp(tmpl))) {
        free(samples);
        cli_config_release(&cfg);
        return cli_error(EXIT_FAIL, "cannot create a temporary folder");
    }
    struct buf db = BUF_INIT;
    buf_addf(&db, "%s/achim.db", dir ? dir : workdir);
    ctx->db_path = db.ptr;
    status = cli_open_store(ctx);
    if (status == EXIT_OK) {
        struct err e = ERR_INIT;
        int nfailed = 0;
        const char *paths[] = {samples};
        enum achim_code rc =
            app_ingest_paths(ctx->store, cli_gazetteer(ctx), paths, 1, ctx->now, NULL, NULL, &nfailed, &e);
        if (rc != ACHIM_OK) {
            status = cli_error(EXIT_FAIL, "%s", e.msg);
        } else {
            fprintf(stderr,
                    "achim demo: sample feeds from %s into %s (%d deliberately broken file(s) "
                    "refused)\n",
                    samples, db.ptr, nfailed);
            status = cli_brief_print(ctx->store, &o, &bc);
        }
    }
    store_close(ctx->store);
    ctx->store = NULL;
    if (workdir)
        remove_tree(workdir);
    buf_release(&db);
    free(samples);
    cli_config_release(&cfg);
    return status;
}
