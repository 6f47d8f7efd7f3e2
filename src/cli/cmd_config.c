/* SPDX-License-Identifier: MIT */
/* cmd_config.c: achim config — the effective preferences and where each
 * comes from (the file of docs/config.md, or the built-in default); with
 * --systemd-timer, a timer unit that delivers the brief at deliver_at. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

/* Minutes a scheduled run starts before deliver_at: time to fetch some
 * fifty feeds (a minute or two) with room for slow hosts, well inside the
 * 30 minutes contrib/systemd/achim.service allows a run. */
#define TIMER_LEAD_MINUTES 15

/* A systemd timer that starts `achim run --send` TIMER_LEAD_MINUTES before
 * deliver_at (local time, as systemd reads OnCalendar); the run holds the
 * e-mail until deliver_at itself. */
static int print_timer(const struct cli_config *cfg)
{
    int h, m;
    long hour = 6;
    if (cfg->hour)
        cli_parse_size(cfg->hour, 0, 23, &hour);
    if (!cfg->deliver_at || sscanf(cfg->deliver_at, "%2d:%2d", &h, &m) != 2)
        return cli_error(EXIT_FAIL,
                         "deliver_at is not set in %s: the timer starts the run "
                         "before it (docs/config.md)",
                         cfg->path ? cfg->path : "the config file");
    int start = h * 60 + m - TIMER_LEAD_MINUTES;
    if (start < 0)
        start = 0; /* stay on the same day: the run holds the e-mail until deliver_at */
    printf("# SPDX-License-Identifier: MIT\n"
           "# achim.timer for deliver_at = %s (local time), written by\n"
           "# `achim config --systemd-timer` from %s.\n"
           "# It starts achim.service %d minutes early so the feeds are fetched in time;\n"
           "# `achim run --send` then holds the e-mail until %s. Install as a user unit\n"
           "# beside contrib/systemd/achim.service, with --send added to its ExecStart:\n"
           "#   achim config --systemd-timer > ~/.config/systemd/user/achim.timer\n"
           "#   systemctl --user daemon-reload && systemctl --user enable --now achim.timer\n"
           "# The brief covers the 24 hours to %02ld:00 UTC (the hour setting).\n"
           "[Unit]\n"
           "Description=achim morning briefing, delivered at %s\n"
           "\n"
           "[Timer]\n"
           "OnCalendar=*-*-* %02d:%02d:00\n"
           "Persistent=true\n"
           "\n"
           "[Install]\n"
           "WantedBy=timers.target\n",
           cfg->deliver_at, cfg->path ? cfg->path : "the built-in defaults", h * 60 + m - start,
           cfg->deliver_at, hour, cfg->deliver_at, start / 60, start % 60);
    return EXIT_OK;
}

int cmd_config(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"path", no_argument, NULL, 'p'},
                                         {"systemd-timer", no_argument, NULL, 'T'},
                                         {NULL, 0, NULL, 0}};
    bool path_only = false, timer = false;
    int c;
    while ((c = getopt_long(argc, argv, "p", opts, NULL)) != -1) {
        switch (c) {
        case 'p': path_only = true; break;
        case 'T': timer = true; break;
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
    if (status == EXIT_OK && timer)
        status = print_timer(&cfg);
    else if (status == EXIT_OK)
        cli_config_print(&cfg, stdout);
    cli_config_release(&cfg);
    return status;
}
