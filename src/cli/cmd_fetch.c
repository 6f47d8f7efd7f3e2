/* SPDX-License-Identifier: MIT */
/* cmd_fetch.c: achim fetch — and the network options `achim run` shares.
 *
 * Three ways to show progress: on a terminal a one-line bar on stderr
 * (sources done / total, bytes, failures) with failures printed above it;
 * off a terminal one plain line per source on stdout; with --json one
 * summary object on stdout at the end. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "base/util.h"
#include "cli/cli.h"

/* Shared with cmd_run.c. */
extern const struct option cli_fetch_long_opts[];
extern const size_t cli_fetch_nopts;
int cli_fetch_option(const char *cmd, int c, const char *arg, struct app_fetch_opts *o);

#define FETCH_OPTS_COUNT 13
const struct option cli_fetch_long_opts[FETCH_OPTS_COUNT + 1] = {
    {"jobs", required_argument, NULL, 'j'},
    {"per-host", required_argument, NULL, 1001},
    {"host-delay", required_argument, NULL, 1002},
    {"timeout", required_argument, NULL, 1003},
    {"connect-timeout", required_argument, NULL, 1004},
    {"low-speed-limit", required_argument, NULL, 1005},
    {"low-speed-time", required_argument, NULL, 1006},
    {"max-size", required_argument, NULL, 1007},
    {"max-redirects", required_argument, NULL, 1008},
    {"source", required_argument, NULL, 1009},
    {"force", no_argument, NULL, 1010},
    {"no-fulltext", no_argument, NULL, 1011},
    {"ca-file", required_argument, NULL, 1012},
    {NULL, 0, NULL, 0},
};
const size_t cli_fetch_nopts = FETCH_OPTS_COUNT;

/* Seconds with an optional fraction ("2", "0.5") to milliseconds. */
static bool parse_seconds(const char *s, long *ms)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end || v <= 0 || v > 86400)
        return false;
    *ms = (long)(v * 1000 + 0.5);
    return *ms > 0;
}

/* Bytes with an optional K/M/G suffix. */
static bool parse_bytes(const char *s, size_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *s == '-')
        return false;
    unsigned long long mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1024, end++;
    else if (*end == 'm' || *end == 'M')
        mul = 1024 * 1024, end++;
    else if (*end == 'g' || *end == 'G')
        mul = 1024ull * 1024 * 1024, end++;
    if (*end || v == 0 || v > (1ull << 40) / mul)
        return false;
    *out = (size_t)(v * mul);
    return true;
}

/* Apply one parsed option; returns -1 when handled, 1 when not ours, else
 * the usage status. */
int cli_fetch_option(const char *cmd, int c, const char *arg, struct app_fetch_opts *o)
{
    long v;
    switch (c) {
    case 'j':
        if (!cli_parse_size(arg, 1, 1024, &v))
            return cli_usage_error(cmd, "--jobs wants 1 to 1024, not '%s'", arg);
        o->net.jobs = (int)v;
        return -1;
    case 1001:
        if (!cli_parse_size(arg, 1, 1024, &v))
            return cli_usage_error(cmd, "--per-host wants 1 to 1024, not '%s'", arg);
        o->net.per_host = (int)v;
        return -1;
    case 1002:
        if (!cli_parse_size(arg, 0, 600000, &v))
            return cli_usage_error(cmd, "--host-delay wants milliseconds, not '%s'", arg);
        o->net.host_delay_ms = v;
        return -1;
    case 1003:
        if (!parse_seconds(arg, &o->net.timeout_ms))
            return cli_usage_error(cmd, "--timeout wants seconds, not '%s'", arg);
        return -1;
    case 1004:
        if (!parse_seconds(arg, &o->net.connect_timeout_ms))
            return cli_usage_error(cmd, "--connect-timeout wants seconds, not '%s'", arg);
        return -1;
    case 1005:
        if (!cli_parse_size(arg, 0, 1 << 30, &v))
            return cli_usage_error(cmd, "--low-speed-limit wants bytes per second, not '%s'", arg);
        o->net.low_speed_bytes = v;
        return -1;
    case 1006:
        if (!cli_parse_size(arg, 1, 3600, &v))
            return cli_usage_error(cmd, "--low-speed-time wants seconds, not '%s'", arg);
        o->net.low_speed_secs = v;
        return -1;
    case 1007:
        if (!parse_bytes(arg, &o->net.max_bytes))
            return cli_usage_error(cmd, "--max-size wants bytes (K, M, G allowed), not '%s'", arg);
        return -1;
    case 1008:
        if (!cli_parse_size(arg, 0, 50, &v))
            return cli_usage_error(cmd, "--max-redirects wants 0 to 50, not '%s'", arg);
        o->net.max_redirects = (int)v;
        return -1;
    case 1009:
        if (!cli_parse_size(arg, 1, 1L << 40, &v))
            return cli_usage_error(cmd, "--source wants a source id, not '%s'", arg);
        o->source_id = v;
        return -1;
    case 1010: o->force = true; return -1;
    case 1011: o->fulltext = false; return -1;
    case 1012:
        if (access(arg, R_OK) != 0)
            return cli_usage_error(cmd, "--ca-file '%s' cannot be read", arg);
        o->net.ca_file = arg;
        return -1;
    default: return 1;
    }
}

/* ---- output -------------------------------------------------------------- */

struct fetch_print {
    bool json, tty;
    int64_t bytes;
    size_t failed;
    cJSON *list;
};

static void human_bytes(int64_t b, char out[32])
{
    if (b >= 10 * 1024 * 1024)
        snprintf(out, 32, "%.0f MB", b / 1048576.0);
    else if (b >= 1024 * 1024)
        snprintf(out, 32, "%.1f MB", b / 1048576.0);
    else if (b >= 1024)
        snprintf(out, 32, "%.0f KB", b / 1024.0);
    else
        snprintf(out, 32, "%lld B", (long long)b);
}

static void bar(struct fetch_print *p, const struct app_fetch_event *ev)
{
    const int width = 30;
    int fill = ev->total ? (int)(width * ev->done / ev->total) : width;
    char bytes[32];
    human_bytes(p->bytes, bytes);
    fprintf(stderr, "\r\033[K%s [", ev->page ? "pages  " : "sources");
    for (int i = 0; i < width; i++)
        fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %zu/%zu  %s  %zu failed", ev->done, ev->total, bytes, p->failed);
    if (ev->done == ev->total)
        fputc('\n', stderr);
    fflush(stderr);
}

static bool failed(const struct app_fetch_event *ev)
{
    return ev->rc != ACHIM_OK && ev->rc != ACHIM_ENOTMODIFIED;
}

static void on_event(void *vctx, const struct app_fetch_event *ev)
{
    struct fetch_print *p = vctx;
    p->bytes += ev->bytes;
    if (failed(ev))
        p->failed++;
    if (p->json) {
        cJSON *o = cJSON_CreateObject();
        if (ev->page) {
            cJSON_AddStringToObject(o, "page", ev->url ? ev->url : "");
        } else {
            cJSON_AddNumberToObject(o, "id", (double)ev->source_id);
            cJSON_AddStringToObject(o, "name", ev->name ? ev->name : "");
            cJSON_AddStringToObject(o, "url", ev->url ? ev->url : "");
        }
        cJSON_AddStringToObject(o, "result", ev->result ? ev->result : "");
        cJSON_AddNumberToObject(o, "status", ev->status);
        cJSON_AddNumberToObject(o, "added", ev->counts.added);
        cJSON_AddNumberToObject(o, "updated", ev->counts.updated);
        cJSON_AddNumberToObject(o, "bytes", (double)ev->bytes);
        cJSON_AddNumberToObject(o, "ms", ev->ms);
        if (ev->error)
            cJSON_AddStringToObject(o, "error", ev->error);
        if (ev->moved_to)
            cJSON_AddStringToObject(o, "moved_to", ev->moved_to);
        if (ev->next_fetch)
            cJSON_AddNumberToObject(o, "next_fetch", (double)ev->next_fetch);
        cJSON_AddItemToArray(p->list, o);
        return;
    }
    if (p->tty) {
        if (failed(ev))
            fprintf(stderr, "\r\033[K%s: %s: %s\n", ev->page ? ev->url : ev->name, ev->result,
                    ev->error ? ev->error : achim_strerror(ev->rc));
        else if (ev->moved_to)
            fprintf(stderr, "\r\033[K%s: moved permanently to %s\n", ev->name, ev->moved_to);
        bar(p, ev);
        return;
    }
    if (ev->page) {
        printf("page %s: %s%s%s\n", ev->url, ev->result, ev->error ? ": " : "",
               ev->error ? ev->error : "");
        return;
    }
    printf("%lld %s %d %s: %d added, %d updated, %lld bytes, %ld ms", (long long)ev->source_id,
           ev->result, ev->status, ev->url ? ev->url : "", ev->counts.added, ev->counts.updated,
           (long long)ev->bytes, ev->ms);
    if (ev->moved_to)
        printf("; moved to %s", ev->moved_to);
    if (ev->error)
        printf(": %s", ev->error);
    putchar('\n');
}

/* Shared with cmd_run.c: print the closing summary of a fetch. */
void cli_fetch_summary(const struct app_fetch_summary *s, bool json, cJSON *list, double secs);

void cli_fetch_summary(const struct app_fetch_summary *s, bool json, cJSON *list, double secs)
{
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "run_id", (double)s->run_id);
        cJSON_AddNumberToObject(o, "sources", (double)s->sources);
        cJSON_AddNumberToObject(o, "skipped", (double)s->skipped);
        cJSON_AddNumberToObject(o, "ok", (double)s->ok);
        cJSON_AddNumberToObject(o, "not_modified", (double)s->not_modified);
        cJSON_AddNumberToObject(o, "failed", (double)s->failed);
        cJSON_AddNumberToObject(o, "added", s->added);
        cJSON_AddNumberToObject(o, "updated", s->updated);
        cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
        cJSON_AddNumberToObject(o, "pages", (double)s->pages);
        cJSON_AddNumberToObject(o, "pages_ok", (double)s->pages_ok);
        cJSON_AddNumberToObject(o, "seconds", secs);
        if (list)
            cJSON_AddItemToObject(o, "results", list);
        char *t = cJSON_PrintUnformatted(o);
        puts(t);
        free(t);
        cJSON_Delete(o);
        return;
    }
    printf("fetch: %zu source(s) in %.1f s: %zu ok, %zu not modified, %zu failed, %zu waiting "
           "(back-off); %d added, %d updated; %lld bytes",
           s->sources, secs, s->ok, s->not_modified, s->failed, s->skipped, s->added, s->updated,
           (long long)s->bytes);
    if (s->pages)
        printf("; full text %zu/%zu page(s)", s->pages_ok, s->pages);
    putchar('\n');
}

static double mono_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_fetch(struct cli_ctx *ctx, int argc, char **argv)
{
    struct app_fetch_opts o;
    app_fetch_opts_default(&o);
    o.gazetteer = cli_gazetteer(ctx);
    struct fetch_print p = {.tty = isatty(STDERR_FILENO) && isatty(STDOUT_FILENO)};
    struct option opts[FETCH_OPTS_COUNT + 2];
    memcpy(opts, cli_fetch_long_opts, sizeof(cli_fetch_long_opts));
    opts[FETCH_OPTS_COUNT] = (struct option){"json", no_argument, NULL, 'J'};
    opts[FETCH_OPTS_COUNT + 1] = (struct option){NULL, 0, NULL, 0};
    int c;
    while ((c = getopt_long(argc, argv, "j:", opts, NULL)) != -1) {
        if (c == 'J') {
            p.json = true;
            continue;
        }
        int st = c == '?' ? 1 : cli_fetch_option("fetch", c, optarg, &o);
        if (st == 1)
            return cli_usage_error("fetch", "bad option");
        if (st >= 0)
            return st;
    }
    if (optind < argc)
        return cli_usage_error("fetch", "unexpected argument '%s'", argv[optind]);
    if (p.json)
        p.list = cJSON_CreateArray();
    struct app_fetch_summary sum;
    struct err e = ERR_INIT;
    double t0 = mono_secs();
    enum achim_code rc = app_fetch(ctx->store, &o, ctx->now, on_event, &p, &sum, &e);
    double secs = mono_secs() - t0;
    if (rc != ACHIM_OK) {
        cJSON_Delete(p.list);
        return cli_error(EXIT_FAIL, "%s", e.msg);
    }
    cli_fetch_summary(&sum, p.json, p.list, secs);
    size_t good = sum.ok + sum.not_modified;
    if (sum.failed == 0)
        return EXIT_OK;
    if (good == 0) {
        fprintf(stderr, "achim: error: no source could be fetched\n");
        return EXIT_FAIL;
    }
    fprintf(stderr, "achim: warning: %zu of %zu source(s) failed\n", sum.failed, sum.sources);
    return EXIT_PARTIAL;
}
