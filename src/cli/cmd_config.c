/* SPDX-License-Identifier: MIT */
/* cmd_config.c: achim config — the effective preferences and where each
 * comes from (the file of docs/config.md, or the built-in default). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

int cmd_config(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"path", no_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
    bool path_only = false;
    int c;
    while ((c = getopt_long(argc, argv, "p", opts, NULL)) != -1) {
        switch (c) {
        case 'p': path_only = true; break;
        default: return cli_usage_error("config", "bad option");
        }
    }
    if (optind < argc)
        return cli_usage_error("config", "unexpected argument '%s'", argv[optind]);
    (void)ctx;
    if (path_only) {
        char *p = cli_config_path();
        if (!p)
            return cli_error(EXIT_FAIL, "no config path: neither XDG_CONFIG_HOME nor HOME is set");
        printf("%s\n", p);
        free(p);
        return EXIT_OK;
    }
    struct cli_config cfg;
    int status = cli_config_load(&cfg);
    if (status == EXIT_OK)
        cli_config_print(&cfg, stdout);
    cli_config_release(&cfg);
    return status;
}
