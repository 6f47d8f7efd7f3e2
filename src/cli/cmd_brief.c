/* SPDX-License-Identifier: MIT */
/* cmd_brief.c: achim brief — also used by achim demo. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "base/util.h"
#include "cli/cli.h"
#include "report/report.h"

/* Shared with cmd_demo.c: build and print the brief with parsed options. */
int cli_brief_print(struct store *st, struct app_brief_opts *o, const char *format,
                    const char *out_path);

int cli_brief_print(struct store *st, struct app_brief_opts *o, const char *format,
                    const char *out_path)
{
    char *terms = NULL;
    if (!o->terms_path)
        o->terms_path = terms = cli_data_path("focus-terms.tsv");
    struct briefing b;
    briefing_init(&b);
    struct err e = ERR_INIT;
    enum achim_code rc = app_brief_build(st, o, &b, &e);
    free(terms);
    if (rc != ACHIM_OK) {
        briefing_release(&b);
        return cli_error(EXIT_FAIL, "%s", e.msg);
    }
    struct buf out = BUF_INIT;
    if (strcmp(format, "json") == 0)
        report_json(&b, &out);
    else
        report_markdown(&b, &out);
    briefing_release(&b);
    int status = EXIT_OK;
    if (out_path) {
        if (file_write_atomic(out_path, out.ptr, out.len, &e) != ACHIM_OK)
            status = cli_error(EXIT_FAIL, "%s", e.msg);
    } else {
        fwrite(out.ptr, 1, out.len, stdout);
    }
    buf_release(&out);
    return status;
}

/* Parse the options brief and demo share; returns -1 to go on, else a status. */
int cli_brief_options(const char *cmd, int argc, char **argv, struct app_brief_opts *o,
                      const char **format, const char **out_path, const char **dir);

int cli_brief_options(const char *cmd, int argc, char **argv, struct app_brief_opts *o,
                      const char **format, const char **out_path, const char **dir)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},   {"lang", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'}, {"out", required_argument, NULL, 'o'},
        {"hour", required_argument, NULL, 'H'},   {"bullets", required_argument, NULL, 'b'},
        {"terms", required_argument, NULL, 't'},  {"dir", required_argument, NULL, 'D'},
        {NULL, 0, NULL, 0},
    };
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "d:l:f:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!time_parse_day(optarg, &o->date))
                return cli_usage_error(cmd, "--date wants YYYY-MM-DD, not '%s'", optarg);
            break;
        case 'l':
            if (strcmp(optarg, "en") != 0 && strcmp(optarg, "ko") != 0)
                return cli_usage_error(cmd, "--lang wants en or ko, not '%s'", optarg);
            o->lang = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "md") != 0 && strcmp(optarg, "json") != 0)
                return cli_usage_error(cmd, "--format wants md or json, not '%s'", optarg);
            *format = optarg;
            break;
        case 'o': *out_path = optarg; break;
        case 'H':
            if (!cli_parse_size(optarg, 0, 23, &v))
                return cli_usage_error(cmd, "--hour wants 0 to 23, not '%s'", optarg);
            o->morning_hour = (int)v;
            break;
        case 'b':
            if (!cli_parse_size(optarg, 1, 20, &v))
                return cli_usage_error(cmd, "--bullets wants 1 to 20, not '%s'", optarg);
            o->max_bullets = (size_t)v;
            break;
        case 't': o->terms_path = optarg; break;
        case 'D':
            if (!dir)
                return cli_usage_error(cmd, "unknown option --dir");
            *dir = optarg;
            break;
        default: return cli_usage_error(cmd, "bad option");
        }
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    return -1;
}

int cmd_brief(struct cli_ctx *ctx, int argc, char **argv)
{
    struct app_brief_opts o;
    app_brief_opts_default(&o);
    o.date = ctx->now - ctx->now % 86400;
    const char *format = "md", *out_path = NULL;
    int st = cli_brief_options("brief", argc, argv, &o, &format, &out_path, NULL);
    if (st >= 0)
        return st;
    return cli_brief_print(ctx->store, &o, format, out_path);
}
