/* SPDX-License-Identifier: MIT */
/* cmd_run.c: achim run — fetch, ingest, brief and deliver in one command,
 * for cron or a systemd timer (contrib/systemd/achim.{service,timer}). */
#include <assert.h>
#include <cjson/cJSON.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "cli/cli.h"

/* From cmd_fetch.c. */
extern const struct option cli_fetch_long_opts[];
extern const size_t cli_fetch_nopts;
int cli_fetch_option(const char *cmd, int c, const char *arg, struct app_fetch_opts *o);
void cli_fetch_summary(const struct app_fetch_summary *s, bool json, cJSON *list, double secs);

static void on_fetch(void *ctx, const struct app_fetch_event *ev)
{
    bool tty = *(bool *)ctx;
    if (ev->rc == ACHIM_OK || ev->rc == ACHIM_ENOTMODIFIED)
        return;
    fprintf(tty ? stderr : stdout, "%s: %s: %s\n", ev->page ? ev->url : ev->name, ev->result,
            ev->error ? ev->error : achim_strerror(ev->rc));
}

/* ---- deliver_at: hold the e-mail until the configured local time ------ */

struct held_delivery {
    const struct cli_config *cfg;
    int64_t now;       /* ctx->now when the run started */
    int64_t started;   /* the real clock then: now + elapsed is the time later */
    bool fixed_clock;  /* ACHIM_NOW fixes the clock: no time elapses */
    bool hold;         /* false with --no-hold */
    long held_seconds; /* how long the e-mail waited (-1: not held) */
};

/* Seconds from `now` to today's deliver_at ("HH:MM", local time), or 0 when
 * it is not set or has passed today: a run after deliver_at sends at once. */
static long deliver_wait(const char *deliver_at, int64_t now)
{
    int h, m;
    if (!deliver_at || sscanf(deliver_at, "%2d:%2d", &h, &m) != 2)
        return 0;
    time_t t = (time_t)now;
    struct tm lt;
    if (!localtime_r(&t, &lt))
        return 0;
    lt.tm_hour = h;
    lt.tm_min = m;
    lt.tm_sec = 0;
    lt.tm_isdst = -1;
    time_t target = mktime(&lt);
    return target > t ? (long)(target - t) : 0;
}

static enum achim_code deliver_when_due(void *ctx, const struct briefing *b, const char *text,
                                        size_t len, struct err *err)
{
    struct held_delivery *h = ctx;
    if (h->hold) {
        int64_t now = h->now + (h->fixed_clock ? 0 : time_now_real() - h->started);
        long wait = deliver_wait(h->cfg->deliver_at, now);
        if (wait > 0) {
            fprintf(stderr, "achim: holding the e-mail until %s (deliver_at), %ld s\n",
                    h->cfg->deliver_at, wait);
            h->held_seconds = wait;
            for (unsigned left = (unsigned)wait; left;)
                left = sleep(left);
        }
    }
    return cli_mail_deliver((void *)h->cfg, b, text, len, err);
}

int cmd_run(struct cli_ctx *ctx, int argc, char **argv)
{
    struct app_run_opts o = {0};
    app_fetch_opts_default(&o.fetch);
    app_brief_opts_default(&o.brief);
    o.fetch.gazetteer = o.brief.gazetteer = cli_gazetteer(ctx);
    o.brief.date = ctx->now - ctx->now % 86400;
    o.format = "md";
    const char *out_dir = NULL, *lock = NULL;
    bool json = false, send = false, hold = true;
    struct option opts[64];
    static const struct option mine[] = {
        {"out-dir", required_argument, NULL, 'o'},
        {"lock", required_argument, NULL, 'L'},
        {"no-fetch", no_argument, NULL, 'N'},
        {"json", no_argument, NULL, 'J'},
        {"date", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {"hour", required_argument, NULL, 'H'},
        {"bullets", required_argument, NULL, 'b'},
        {"terms", required_argument, NULL, 't'},
        {"send", no_argument, NULL, 'S'},
        {"no-hold", no_argument, NULL, 'W'},
        {NULL, 0, NULL, 0},
    };
    assert(cli_fetch_nopts + sizeof(mine) / sizeof(mine[0]) <= sizeof(opts) / sizeof(opts[0]));
    memcpy(opts, cli_fetch_long_opts, sizeof(struct option) * cli_fetch_nopts);
    memcpy(opts + cli_fetch_nopts, mine, sizeof(mine));
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "j:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out_dir = optarg; break;
        case 'L': lock = optarg; break;
        case 'N': o.no_fetch = true; break;
        case 'J': json = true; break;
        case 'd':
            if (!time_parse_day(optarg, &o.brief.date))
                return cli_usage_error("run", "--date wants YYYY-MM-DD, not '%s'", optarg);
            break;
        case 'l':
            if (strcmp(optarg, "en") != 0 && strcmp(optarg, "ko") != 0)
                return cli_usage_error("run", "--lang wants en or ko, not '%s'", optarg);
            o.brief.lang = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "md") != 0 && strcmp(optarg, "json") != 0)
                return cli_usage_error("run", "--format wants md or json, not '%s'", optarg);
            o.format = optarg;
            break;
        case 'H':
            if (!cli_parse_size(optarg, 0, 23, &v))
                return cli_usage_error("run", "--hour wants 0 to 23, not '%s'", optarg);
            o.brief.morning_hour = (int)v;
            break;
        case 'b':
            if (!cli_parse_size(optarg, 1, 20, &v))
                return cli_usage_error("run", "--bullets wants 1 to 20, not '%s'", optarg);
            o.brief.max_bullets = (size_t)v;
            break;
        case 't': o.brief.terms_path = optarg; break;
        case 'S': send = true; break;
        case 'W': hold = false; break;
        default: {
            int st = c == '?' ? 1 : cli_fetch_option("run", c, optarg, &o.fetch);
            if (st == 1)
                return cli_usage_error("run", "bad option");
            if (st >= 0)
                return st;
        }
        }
    }
    if (optind < argc)
        return cli_usage_error("run", "unexpected argument '%s'", argv[optind]);

    struct err e = ERR_INIT;
    char *db = cli_db_path(ctx->db_path, &e);
    if (!db)
        return cli_error(EXIT_FAIL, "%s", e.msg);
    struct buf lockp = BUF_INIT, outp = BUF_INIT;
    if (lock)
        buf_addstr(&lockp, lock);
    else
        buf_addf(&lockp, "%s.run.lock", db);
    if (out_dir) {
        buf_addstr(&outp, out_dir);
    } else {
        char *dcopy = xstrdup(db);
        buf_addf(&outp, "%s/briefs", dirname(dcopy));
        free(dcopy);
    }
    free(db);
    o.lock_path = lockp.ptr;
    o.out_dir = outp.ptr;
    char *terms = NULL;
    if (!o.brief.terms_path)
        o.brief.terms_path = terms = cli_data_path("focus-terms.tsv");
    bool tty = isatty(STDERR_FILENO);
    o.on_fetch = json ? NULL : on_fetch;
    o.on_fetch_ctx = &tty;
    /* Delivery: with --send the brief is e-mailed as the preferences file
     * says (mail_to, smtp_url, ...; docs/config.md), not before deliver_at
     * when that is set: a run started early holds the written brief. */
    struct cli_config cfg = {0};
    const char *fixed = getenv("ACHIM_NOW");
    struct held_delivery held = {&cfg, ctx->now, time_now_real(), fixed && *fixed, hold, -1};
    if (send) {
        int st = cli_config_load(&cfg);
        if (st != EXIT_OK) {
            free(terms);
            buf_release(&lockp);
            buf_release(&outp);
            return st;
        }
        if (!cfg.mail_to) {
            cli_config_release(&cfg);
            free(terms);
            buf_release(&lockp);
            buf_release(&outp);
            return cli_usage_error("run", "--send needs mail_to in the preferences file");
        }
        o.deliver = deliver_when_due;
        o.deliver_ctx = &held;
    }

    struct app_run_summary sum;
    enum achim_code rc = app_run(ctx->store, &o, ctx->now, &sum, &e);
    /* For cron and systemd, a run that wrote its brief succeeded: some of
     * fifty feeds fail on any morning. Such failures are warnings (and in
     * --json); only a run that could do nothing exits non-zero. */
    int status = EXIT_OK;
    bool partial = false;
    if (rc == ACHIM_EBUSY) {
        status = cli_error(EXIT_FAIL, "%s: nothing done", e.msg);
    } else if (rc != ACHIM_OK) {
        status = cli_error(EXIT_FAIL, "no brief written: %s", e.msg);
    } else {
        partial =
            (!o.no_fetch && (!sum.fetched || sum.fetch.failed)) || (o.deliver && !sum.delivered);
    }
    if (rc != ACHIM_EBUSY) {
        if (json) {
            cJSON *j = cJSON_CreateObject();
            cJSON_AddBoolToObject(j, "fetched", sum.fetched);
            if (!o.no_fetch) {
                cJSON *f = cJSON_AddObjectToObject(j, "fetch");
                cJSON_AddNumberToObject(f, "sources", (double)sum.fetch.sources);
                cJSON_AddNumberToObject(f, "ok", (double)sum.fetch.ok);
                cJSON_AddNumberToObject(f, "not_modified", (double)sum.fetch.not_modified);
                cJSON_AddNumberToObject(f, "failed", (double)sum.fetch.failed);
                cJSON_AddNumberToObject(f, "added", sum.fetch.added);
                cJSON_AddNumberToObject(f, "updated", sum.fetch.updated);
                if (sum.fetch_error[0])
                    cJSON_AddStringToObject(f, "error", sum.fetch_error);
            }
            cJSON_AddBoolToObject(j, "briefed", sum.briefed);
            cJSON_AddNumberToObject(j, "bullets", (double)sum.bullets);
            if (sum.out_path)
                cJSON_AddStringToObject(j, "brief", sum.out_path);
            if (sum.brief_error[0])
                cJSON_AddStringToObject(j, "brief_error", sum.brief_error);
            cJSON_AddBoolToObject(j, "delivered", sum.delivered);
            if (held.held_seconds >= 0)
                cJSON_AddNumberToObject(j, "held_seconds", (double)held.held_seconds);
            cJSON_AddBoolToObject(j, "partial", partial);
            cJSON_AddNumberToObject(j, "status", status);
            char *t = cJSON_PrintUnformatted(j);
            puts(t);
            free(t);
            cJSON_Delete(j);
        } else {
            if (!o.no_fetch) {
                if (sum.fetched)
                    cli_fetch_summary(&sum.fetch, false, NULL, 0);
                else
                    printf("fetch: failed: %s\n", sum.fetch_error);
            }
            if (sum.written)
                printf("brief: %zu bullet(s) written to %s\n", sum.bullets, sum.out_path);
            if (o.deliver && held.held_seconds >= 0)
                printf("deliver: held until %s (%ld s)\n", cfg.deliver_at, held.held_seconds);
            if (o.deliver)
                printf("deliver: %s%s\n",
                       sum.delivered ? "ok" : "failed: ", sum.delivered ? "" : sum.deliver_error);
        }
    }
    if (partial)
        fprintf(stderr, "achim: warning: brief written, but %s\n",
                !sum.fetched       ? "the fetch failed"
                : sum.fetch.failed ? "some sources failed (see 'achim sources health')"
                                   : "delivery failed");
    app_run_summary_release(&sum);
    cli_config_release(&cfg);
    free(terms);
    buf_release(&lockp);
    buf_release(&outp);
    return status;
}
