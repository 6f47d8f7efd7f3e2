/* SPDX-License-Identifier: MIT */
/* main.c: global options and the git-style command table. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "achim.h"
#include "base/util.h"
#include "cli/cli.h"

const struct cli_command cli_commands[] = {
    {"ingest", cmd_ingest, CLI_NEEDS_DB, "store articles from feed files or folders",
     "usage: achim ingest [--json] PATH...\n"
     "\n"
     "Parse each feed file (RSS, Atom, JSON Feed) and store its articles. A folder\n"
     "means every regular file in it. Each file is stored in one transaction: a file\n"
     "that cannot be parsed stores nothing. Ingesting the same file twice adds\n"
     "nothing; an entry whose text changed is updated in place.\n"
     "\n"
     "  --json   one JSON object per file on stdout\n"
     "\n"
     "Exit status: 0 all files stored, 3 some failed, 1 none could be stored.\n"},
    {"search", cmd_search, CLI_NEEDS_DB, "full-text search over stored articles",
     "usage: achim search [--limit N] [--json] QUERY...\n"
     "\n"
     "Search titles, summaries and content (SQLite FTS5, BM25 ranking; title matches\n"
     "weigh most). QUERY words are ANDed; FTS5 syntax (\"phrases\", OR, NOT, prefix*)\n"
     "works, and a query that is not valid FTS5 is searched as plain words.\n"
     "\n"
     "  --limit N   at most N hits (default 10, max 1000)\n"
     "  --json      one JSON object per hit: id, title, url, source, published, score, snippet\n"},
    {"brief", cmd_brief, CLI_NEEDS_DB, "write the morning briefing for a day",
     "usage: achim brief [--date YYYY-MM-DD] [--lang en|ko] [--format md|json] [--out FILE]\n"
     "\n"
     "Brief on the articles of the 24 hours before the morning of --date (06:00 UTC):\n"
     "a headline paragraph, then three blocks (AI & ML innovation, big tech strategy\n"
     "& policy, emerging trends & impact) of bullets with footnotes to their sources.\n"
     "\n"
     "  --date D       the briefing day (default: today, or the day of ACHIM_NOW)\n"
     "  --lang L       en (default) or ko\n"
     "  --format F     md (default) or json\n"
     "  --hour H       the morning hour in UTC that ends the window (default 6)\n"
     "  --bullets N    at most N bullets per block (default 5)\n"
     "  --terms FILE   focus term list (default: data/focus-terms.tsv)\n"
     "  --out FILE     write to FILE instead of stdout\n"},
    {"demo", cmd_demo, 0, "build a store from the bundled sample feeds and print its brief",
     "usage: achim demo [--dir DIR] [--lang en|ko] [--format md|json]\n"
     "\n"
     "Create a fresh store (in DIR, else a temporary folder that is removed\n"
     "afterwards), ingest the bundled sample feeds (fictional sample content for\n"
     "2026-01-25 to 2026-02-01) and print the brief for 2026-02-01.\n"},
    {"parse", cmd_parse, 0, "parse one feed and show what achim reads from it",
     "usage: achim parse [--json] [--url URL] FILE|-\n"
     "\n"
     "Parse a feed without storing it. Prints a short summary, or with --json the\n"
     "parsed document. Exit 0 for any feed that could be read at all, 1 otherwise.\n"},
    {"stats", cmd_stats, CLI_NEEDS_DB, "show what the store holds",
     "usage: achim stats [--json]\n"},
    {NULL, NULL, 0, NULL, NULL},
};

const struct cli_command *cli_find(const char *name)
{
    for (const struct cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int cli_error(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("achim: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("achim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "see 'achim help %s'\n", cmd);
    else
        fputs("see 'achim help'\n", stderr);
    return EXIT_USAGE;
}

static void print_overview(FILE *f)
{
    fprintf(f, "usage: achim [--db PATH] [--version] [--help] COMMAND [ARGS]\n\n"
               "achim turns the day's technology news feeds into a short, cited briefing.\n\n"
               "commands:\n");
    for (const struct cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-8s %s\n", c->name, c->summary);
    fprintf(f, "  %-8s %s\n", "help", "show help for a command");
    fprintf(f, "\noptions:\n"
               "  --db PATH   the store (default: $ACHIM_DB, else $XDG_DATA_HOME/achim/achim.db)\n"
               "  --version   print the version\n"
               "\nenvironment:\n"
               "  ACHIM_DB        database path when --db is not given\n"
               "  ACHIM_NOW       fixed clock (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or epoch seconds)\n"
               "  ACHIM_DATA_DIR  folder of data files (focus-terms.tsv)\n"
               "\nexit status: 0 success, 1 failure, 2 usage error, 3 partial success\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return EXIT_OK;
    }
    const struct cli_command *c = cli_find(argv[1]);
    if (!c)
        return cli_usage_error(NULL, "no such command: '%s'", argv[1]);
    fputs(c->usage, stdout);
    return EXIT_OK;
}

static bool parse_now(const char *s, int64_t *out)
{
    if (time_parse_iso(s, out) || time_parse_day(s, out))
        return true;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (end != s && *end == '\0' && v >= 0) {
        *out = v;
        return true;
    }
    return false;
}

int main(int argc, char **argv)
{
    struct cli_ctx ctx = {0};
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    /* '+' stops at the first non-option: the command's own options follow it */
    while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': ctx.db_path = optarg; break;
        case 'V': printf("achim %s\n", achim_version()); return EXIT_OK;
        case 'h': print_overview(stdout); return EXIT_OK;
        default: return cli_usage_error(NULL, "bad global option");
        }
    }
    if (optind >= argc) {
        print_overview(stderr);
        return EXIT_USAGE;
    }
    const char *now_env = getenv("ACHIM_NOW");
    if (now_env && *now_env) {
        if (!parse_now(now_env, &ctx.now))
            return cli_usage_error(NULL, "ACHIM_NOW='%s' is not a date, time or epoch", now_env);
    } else {
        ctx.now = time_now_real();
    }
    char **cargv = argv + optind;
    int cargc = argc - optind;
    if (strcmp(cargv[0], "help") == 0)
        return cmd_help(cargc, cargv);
    const struct cli_command *cmd = cli_find(cargv[0]);
    if (!cmd)
        return cli_usage_error(NULL, "'%s' is not an achim command", cargv[0]);
    for (int i = 1; i < cargc; i++) {
        if (strcmp(cargv[i], "--") == 0)
            break;
        if (strcmp(cargv[i], "--help") == 0 || strcmp(cargv[i], "-h") == 0) {
            fputs(cmd->usage, stdout);
            return EXIT_OK;
        }
    }
    if (cmd->flags & CLI_NEEDS_DB) {
        int rc = cli_open_store(&ctx);
        if (rc != EXIT_OK)
            return rc;
    }
    optind = 0; /* GNU getopt: start afresh for the command's options */
    int rc = cmd->fn(&ctx, cargc, cargv);
    store_close(ctx.store);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_error(EXIT_FAIL, "cannot write output");
    return rc;
}
