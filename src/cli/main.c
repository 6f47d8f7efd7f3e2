/* SPDX-License-Identifier: MIT */
/* main.c: global options and the git-style command table. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "achim.h"
#include "base/util.h"
#include "cli/cli.h"
#include "corpus/corpus.h"

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
     "usage: achim brief [--date YYYY-MM-DD] [--lang en|ko] [--format FMT] [--out FILE]\n"
     "                   [--send [--to ADDR] [--smtp URL]]\n"
     "\n"
     "Brief on the articles of the 24 hours before the morning of --date (06:00 UTC):\n"
     "a headline paragraph, then three blocks (AI & ML innovation, big tech strategy\n"
     "& policy, emerging trends & impact) of bullets with footnotes to their sources,\n"
     "each marked confirmed (2+ outlets) or single source, implication lines for\n"
     "researchers and quants built from measured facts, and continued stories.\n"
     "Defaults come from the preferences file (achim config, docs/config.md).\n"
     "\n"
     "  --date D       the briefing day (default: today, or the day of ACHIM_NOW)\n"
     "  --lang L       en (default) or ko\n"
     "  --format F     md (default), json, html, eml (RFC 5322 message) or atom\n"
     "  --days N       atom: the last N days' briefs (default 7)\n"
     "  --hour H       the morning hour in UTC that ends the window (default 6)\n"
     "  --bullets N    at most N bullets per block (default 5)\n"
     "  --terms FILE   focus term list (default: data/focus-terms.tsv)\n"
     "  --out FILE     write to FILE instead of stdout (.html .eml .json .atom pick the format)\n"
     "  --send         e-mail it over SMTP (smtp_url, mail_to ... in the config file)\n"
     "  --to ADDR      recipient(s) for --send, comma-separated\n"
     "  --smtp URL     smtp://HOST[:PORT] or smtps://HOST[:PORT] for --send (TLS,\n"
     "                 STARTTLS and AUTH: smtp_tls, smtp_ca_file, smtp_user ...)\n"},
    {"demo", cmd_demo, 0, "build a store from the bundled sample feeds and print its brief",
     "usage: achim demo [--dir DIR] [--lang en|ko] [--format md|json|html|eml|atom] [--out FILE]\n"
     "\n"
     "Create a fresh store (in DIR, else a temporary folder that is removed\n"
     "afterwards), ingest the bundled sample feeds (fictional sample content for\n"
     "2026-01-25 to 2026-02-01) and print the brief for 2026-02-01. Takes the\n"
     "options of achim brief; ignores the preferences file except for --send.\n"},
    {"parse", cmd_parse, 0, "parse one feed and show what achim reads from it",
     "usage: achim parse [--json] [--url URL] [--headers JSON] FILE|-\n"
     "\n"
     "Parse a feed without storing it. Prints a short summary, or with --json the\n"
     "parsed document in feedparser's result shape. --url and --headers (a JSON\n"
     "object of HTTP response headers) describe how the bytes were served; the\n"
     "FEEDCONF_URL and FEEDCONF_HEADERS environment variables do the same.\n"
     "Exit 0 for any feed that could be read at all, 1 otherwise.\n"},
    {"stats", cmd_stats, CLI_NEEDS_DB, "show what the store holds",
     "usage: achim stats [--json]\n"},
    {"summarize", cmd_summarize, 0, "extractive summary of plain text or JSONL",
     "usage: achim summarize [--sentences N | --ratio R] [--jsonl] [FILE|-]...\n"
     "\n"
     "Summarise each input (default: standard input) with the brief's engine:\n"
     "LexRank centrality, word-frequency salience and a lead-position prior,\n"
     "chosen by MMR without near-repeats; sentences keep their original order.\n"
     "\n"
     "  --sentences N   at most N sentences (default 3)\n"
     "  --ratio R       about R x the text's words (0 < R <= 1)\n"
     "  --jsonl         input lines {\"id\",\"text\"[,\"ratio\"|\"words\"]},\n"
     "                  output lines {\"id\",\"summary\"}\n"},
    {"fetch", cmd_fetch, CLI_NEEDS_DB, "fetch the sources' feeds and store new articles",
     "usage: achim fetch [--jobs N] [--source ID] [--force] [--json] [LIMITS]\n"
     "\n"
     "Fetch every enabled source that is due (libcurl, HTTP/1.1 keep-alive, HTTP/2\n"
     "where offered, gzip/deflate/br), conditionally with its stored ETag and\n"
     "Last-Modified (a 304 costs no parse), and store new and changed articles.\n"
     "Redirects are followed (permanent ones update the source's URL), 410 disables\n"
     "a source, 429/503 honour Retry-After, failing sources back off exponentially\n"
     "(15 min doubling to a day). Sources marked --fulltext also get their new\n"
     "article pages fetched and their main text extracted. Every attempt is logged\n"
     "(see 'achim sources health').\n"
     "\n"
     "  --jobs N              transfers at once (default 16)\n"
     "  --per-host N          transfers at once per host (default 4)\n"
     "  --host-delay MS       gap between requests to one host (default 100)\n"
     "  --source ID           only this source, even if it is backing off\n"
     "  --force               ignore back-off and Retry-After\n"
     "  --timeout S           whole transfer (default 60)\n"
     "  --connect-timeout S   connecting (default 10)\n"
     "  --low-speed-limit B   abort below B bytes/s...   (default 64)\n"
     "  --low-speed-time S    ...for S seconds            (default 20)\n"
     "  --max-size N[KMG]     largest body, decoded (default 16M)\n"
     "  --max-redirects N     (default 5)\n"
     "  --no-fulltext         skip article pages\n"
     "  --ca-file FILE        trust these CAs (PEM) instead of the system's\n"
     "  --json                one JSON summary on stdout\n"
     "\n"
     "On a terminal a progress bar is shown; otherwise one line per source.\n"
     "Exit status: 0 all fetched, 3 some failed, 1 none could be fetched.\n"},
    {"sources", cmd_sources, CLI_NEEDS_DB, "add, list, import, export and check sources",
     "usage: achim sources [list [--json]]\n"
     "       achim sources add URL [--name N] [--weight W] [--fulltext] [--no-check]\n"
     "       achim sources set ID|URL [--name N] [--weight W] [--[no-]fulltext]\n"
     "                                [--enable|--disable] [--url URL]\n"
     "       achim sources remove ID|URL...\n"
     "       achim sources import [FILE.opml]   (no FILE: the bundled default list)\n"
     "       achim sources export [--out FILE]\n"
     "       achim sources health [--all] [--json] [--silent-days N] [--slow MS]\n"
     "\n"
     "add fetches URL first: a feed is added as is; a web page is searched for\n"
     "<link rel=\"alternate\"> feeds and the first readable one is added. The weight\n"
     "(default 1) is the source's authority in the brief. Removing a source deletes\n"
     "its articles. export writes OPML 2.0 that other readers import; weights and\n"
     "full-text flags travel in the achim namespace. health lists failing, silent\n"
     "(no new article for N days, default 7), redirected, slow (mean of the last 10\n"
     "fetches over MS, default 5000) and disabled sources.\n"},
    {"run", cmd_run, CLI_NEEDS_DB, "fetch, brief and deliver in one go (for cron/systemd)",
     "usage: achim run [--out-dir DIR] [--lock FILE] [--no-fetch] [--json] [--send [--no-hold]]\n"
     "                 [--date D] [--lang en|ko] [--format md|json] [FETCH OPTIONS]\n"
     "\n"
     "Fetch all due sources, ingest them, build the brief and write it to\n"
     "DIR/brief-YYYY-MM-DD.LANG.md (default DIR: 'briefs' beside the database),\n"
     "then deliver it (--send: e-mail it as the preferences file says; see\n"
     "'achim config'; a run before deliver_at holds the e-mail until then, unless\n"
     "--no-hold). An exclusive lock (default: the database path + '.run.lock')\n"
     "keeps two runs from overlapping; a second run gives up at once. Fetch options\n"
     "are those of 'achim fetch'.\n"
     "\n"
     "Exit status: 0 the brief was written (failed sources or delivery are\n"
     "warnings on stderr and in --json), 1 nothing could be done (no brief, or\n"
     "another run holds the lock).\n"},
    {"trends", cmd_trends, CLI_NEEDS_DB, "term frequency, bursts and context across outlets and periods",
     "usage: achim trends [--terms T,...] [--entities] [--by day|week|month|quarter]\n"
     "                    [--outlets NAME,...] [--from D --to D] [--emerging] [--context]\n"
     "                    [--format table|csv|json|svg] [--out FILE]\n"
     "\n"
     "How often terms appear: articles using each term per 1,000 articles, by period\n"
     "and outlet; share of voice per outlet; growth against the previous period and\n"
     "against the trailing baseline, with a Poisson burst test (z and p); first\n"
     "appearance and lead time per outlet. Terms are matched after folding and\n"
     "stemming (\"agents\" counts \"agent\"); two words form a phrase.\n"
     "\n"
     "  --terms T,...     terms or phrases to follow (repeatable)\n"
     "  --entities        count entity names instead of words\n"
     "  --by P            day, week (default), month or quarter\n"
     "  --outlets N,...   only these outlets (names as in 'achim stats')\n"
     "  --from D, --to D  YYYY-MM-DD, inclusive (default: all stored articles)\n"
     "  --emerging        rank all terms by the significance of their growth in the\n"
     "                    last period (or --from..--to) against the baseline before it;\n"
     "                    the default when no --terms are given\n"
     "  --context         top co-occurring words per period and their shift\n"
     "                    (Jaccard and cosine against the previous period)\n"
     "  --baseline N      trailing periods in the baseline (default 4)\n"
     "  --limit N         emerging rows (default 20)\n"
     "  --min-count N     emerging: at least N articles in the window (default 3)\n"
     "  --format F        table (default), csv, json or svg (line chart + heatmaps)\n"
     "  --out FILE        write csv, json or svg to FILE\n"},
    {"cluster", cmd_cluster, 0, "group JSONL documents into stories (streaming)",
     "usage: achim cluster [--threshold X] [--window HOURS] --jsonl FILE|-\n"
     "\n"
     "Read {\"id\",\"title\",\"text\",\"published\",\"source\"} lines in stream order\n"
     "and print {\"id\",\"cluster\"} lines: the engine that groups the brief's\n"
     "stories (one pass, incremental TF-IDF, inverted-index candidates).\n"
     "\n"
     "  --threshold X   cosine to join a story (default 0.15)\n"
     "  --rescue X      at the end, move stories of 1-2 documents into a larger one\n"
     "                  when each document reaches cosine X (default: off)\n"
     "  --window H      hours a story stays open after its latest document (default 72)\n"
     "  --merge X       merge two stories a document joins both of when their\n"
     "                  centroids reach cosine X (default 0.4; 0 = never)\n"
     "  --name-weight W extra weight of names (words capitalised inside sentences):\n"
     "                  a rare name counts 1 + W times (default 0: off)\n"
     "  --name-agree    in cased text, scale each cosine by the cosine of the names\n"
     "                  alone (words capitalised inside sentences), so reports\n"
     "                  naming different companies stay apart (default: on)\n"
     "  --no-name-agree turn that off: cosines of the words alone\n"
     "  --history FILE  JSONL documents that only inform the word statistics (IDF),\n"
     "                  e.g. the days before the stream\n"
     "  --verbose       on stderr, each document's provisional story and best cosine\n"},
    {"config", cmd_config, 0, "show the effective preferences",
     "usage: achim config [--path | --systemd-timer]\n"
     "\n"
     "Print every setting of the preferences file with its effective value and\n"
     "where it comes from. The file is $ACHIM_CONFIG, else\n"
     "$XDG_CONFIG_HOME/achim/config, else ~/.config/achim/config: 'key = value'\n"
     "lines, '#' comments (see docs/config.md). Command-line options override it.\n"
     "\n"
     "  --path            print only the file's path\n"
     "  --systemd-timer   print a systemd timer that starts 'achim run --send' 15\n"
     "                    minutes before deliver_at (local time); the run holds\n"
     "                    the e-mail until deliver_at\n"},
    {"classify", cmd_classify, 0, "technology gate and focus areas for JSONL documents",
     "usage: achim classify [--gate FILE] [--terms FILE] [--min-score X] --jsonl FILE|-\n"
     "       achim classify --train FILE [--tech-label L] [--out MODEL]\n"
     "\n"
     "Read {\"id\",\"title\",\"text\"} lines and print, per line, the label (not-tech,\n"
     "ai, bigtech, trends, or tech outside the three areas), the technology score\n"
     "with the terms that fired, and the focus area with its subtopic and terms.\n"
     "\n"
     "  --gate FILE      technology term weights (default: data/tech-terms.tsv)\n"
     "  --terms FILE     focus term list (default: data/focus-terms.tsv)\n"
     "  --min-score X    technology score needed (default 2: one decisive term)\n"
     "  --train FILE     learn a gate model from labelled lines: \"tech\": true|false,\n"
     "                   or \"label\"/\"category\" equal to --tech-label (default tech)\n"
     "  --out MODEL      write the trained model there (default: stdout)\n"},
    {"explain", cmd_explain, CLI_NEEDS_DB, "why a story of the brief ranks where it does",
     "usage: achim explain [--date YYYY-MM-DD] [--hour H] [--watch NAMES] [--json] STORY\n"
     "       achim explain --article ID [--json]\n"
     "\n"
     "Build the day's brief and show, for one story, each part of its ranking score\n"
     "with its evidence (outlets and their authority, focus, recency, novelty\n"
     "against the week before, burst, watchlist), the focus terms that fired and\n"
     "its sources. STORY is its rank over all blocks (1 = highest score), #ID (the\n"
     "story's persistent id, the same on every day it is briefed) or words of its\n"
     "text or of a source's title. Defaults and their reasons: docs/ranking.md.\n"
     "\n"
     "  --watch NAMES   comma-separated names to weigh up (default: watchlist of the\n"
     "                  preferences file)\n"
     "  --json          the same as one JSON object\n"
     "  --article ID    the entities (data/gazetteer.tsv) and figures (money, MW,\n"
     "                  percentages, dates) stored for one article; articles not\n"
     "                  yet processed are processed first\n"},
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
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "  %-10s %s\n", "help", "show help for a command");
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
    gazetteer_free(ctx.gazetteer);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_error(EXIT_FAIL, "cannot write output");
    return rc;
}
