/* SPDX-License-Identifier: MIT */
/* cmd_brief.c: achim brief — build the day's briefing and print, save or
 * mail it in any format; also used by achim demo.
 *
 * Formats: md (Markdown with GFM footnotes), json (docs/brief-json.md),
 * html (self-contained page), eml (RFC 5322 message, as sent by --send) and
 * atom (a feed of the last --days briefs). Settings come from the
 * preferences file (docs/config.md), overridden by options. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "deliver/deliver.h"
#include "report/report.h"

#define MAX_RECIPIENTS 32
#define ATOM_MAX_DAYS 60

/* What brief and demo share beyond struct app_brief_opts. */

/* ---- mail ---------------------------------------------------------------- */

static void mail_headers(const struct cli_config *cfg, const char *to, int64_t date,
                         struct report_mail *m)
{
    memset(m, 0, sizeof(*m));
    m->from = cfg && cfg->mail_from ? cfg->mail_from : "achim <achim@localhost>";
    m->to = to ? to : cfg ? cfg->mail_to : NULL;
    m->unsubscribe = cfg ? cfg->list_unsubscribe : NULL;
    m->date = date;
    const char *at = strrchr(m->from, '@');
    static char domain[256];
    if (at) {
        size_t n = strcspn(at + 1, "> ");
        if (n && n < sizeof(domain)) {
            memcpy(domain, at + 1, n);
            domain[n] = 0;
            m->domain = domain;
        }
    }
}

/* Send an already rendered message to every address of to ("a, b"). */
static enum achim_code mail_send(const struct cli_config *cfg, const char *smtp, const char *to,
                                 const char *from, const char *msg, size_t len, struct err *err)
{
    const char *url = smtp ? smtp : cfg ? cfg->smtp_url : NULL;
    if (!url)
        return err_set(err, ACHIM_EINVAL, "no mail server: set smtp_url in %s or give --smtp",
                       "the config file");
    if (cfg && cfg->smtp_user && !cfg->smtp_password)
        return err_set(err, ACHIM_EINVAL,
                       "smtp_user is set but there is no password (smtp_password in the config "
                       "file or ACHIM_SMTP_PASSWORD)");
    char *list = xstrdup(to);
    const char *rcpt[MAX_RECIPIENTS];
    size_t n = 0;
    for (char *p = list; p && *p && n < MAX_RECIPIENTS;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = 0;
        if (!str_empty(p))
            rcpt[n++] = str_trim(p);
        p = comma ? comma + 1 : NULL;
    }
    struct deliver_smtp d = {0};
    d.url = url;
    d.from = from;
    d.to = rcpt;
    d.nto = n;
    d.user = cfg ? cfg->smtp_user : NULL;
    d.password = cfg ? cfg->smtp_password : NULL;
    d.tls = DELIVER_TLS_AUTO;
    if (cfg && cfg->smtp_tls && strcmp(cfg->smtp_tls, "starttls") == 0)
        d.tls = DELIVER_TLS_STARTTLS;
    else if (cfg && cfg->smtp_tls && strcmp(cfg->smtp_tls, "none") == 0)
        d.tls = DELIVER_TLS_NONE;
    d.ca_file = cfg ? cfg->smtp_ca_file : NULL;
    d.insecure = cfg && cfg->smtp_verify && strcmp(cfg->smtp_verify, "no") == 0;
    enum achim_code rc = deliver_smtp_send(&d, msg, len, err);
    free(list);
    return rc;
}

enum achim_code cli_mail_deliver(void *ctx, const struct briefing *b, const char *text, size_t len,
                                 struct err *err)
{
    const struct cli_config *cfg = ctx;
    (void)text;
    (void)len;
    if (!cfg || !cfg->mail_to)
        return err_set(err, ACHIM_EINVAL, "no recipient: set mail_to in the config file");
    struct report_mail m;
    mail_headers(cfg, NULL, time_now_real(), &m);
    struct buf msg = BUF_INIT;
    enum achim_code rc = report_email(b, &m, &msg, err);
    if (rc == ACHIM_OK)
        rc = mail_send(cfg, NULL, m.to, m.from, msg.ptr, msg.len, err);
    buf_release(&msg);
    return rc;
}

/* ---- render -------------------------------------------------------------- */

static int build(struct store *st, const struct app_brief_opts *o, struct briefing *b)
{
    briefing_init(b);
    struct err e = ERR_INIT;
    if (app_brief_build(st, o, b, &e) != ACHIM_OK) {
        briefing_release(b);
        return cli_error(EXIT_FAIL, "%s", e.msg);
    }
    return EXIT_OK;
}

int cli_brief_print(struct store *st, struct app_brief_opts *o, struct brief_cli *bc)
{
    char *terms = NULL;
    if (!o->terms_path)
        o->terms_path = terms = cli_data_path("focus-terms.tsv");
    struct buf out = BUF_INIT;
    struct err e = ERR_INIT;
    int status = EXIT_OK;
    struct report_mail m;
    if (strcmp(bc->format, "atom") == 0) {
        /* the last --days briefs, ending with --date */
        size_t n = (size_t)bc->days;
        struct briefing *bs = xcalloc(n, sizeof(*bs));
        size_t built = 0;
        int64_t last = o->date;
        for (size_t i = 0; i < n && status == EXIT_OK; i++) {
            o->date = last - (int64_t)i * 86400;
            status = build(st, o, &bs[i]);
            if (status == EXIT_OK)
                built++;
        }
        o->date = last;
        if (status == EXIT_OK) {
            /* days without articles are not worth an entry */
            size_t k = 0;
            for (size_t i = 0; i < built; i++) {
                if (bs[i].narticles || i == 0)
                    bs[k++] = bs[i];
                else
                    briefing_release(&bs[i]);
            }
            built = k;
            report_atom(bs, built, NULL, &out);
        }
        for (size_t i = 0; i < built; i++)
            briefing_release(&bs[i]);
        free(bs);
    } else {
        struct briefing b;
        status = build(st, o, &b);
        if (status == EXIT_OK) {
            const char *to = bc->to ? bc->to : bc->cfg ? bc->cfg->mail_to : NULL;
            if (strcmp(bc->format, "json") == 0)
                report_json(&b, &out);
            else if (strcmp(bc->format, "html") == 0)
                report_html(&b, &out);
            else if (strcmp(bc->format, "eml") == 0 || bc->send) {
                mail_headers(bc->cfg, to ? to : "achim reader <reader@localhost>",
                             bc->mail_date ? bc->mail_date : b.window_to, &m);
                if (report_email(&b, &m, &out, &e) != ACHIM_OK)
                    status = cli_error(EXIT_USAGE, "%s", e.msg);
            } else
                report_markdown(&b, &out);
            if (status == EXIT_OK && bc->send) {
                if (!to)
                    status = cli_error(EXIT_USAGE, "--send needs a recipient: --to ADDRESS or "
                                                   "mail_to in the config file");
                else if (mail_send(bc->cfg, bc->smtp, to, m.from, out.ptr, out.len, &e) != ACHIM_OK)
                    status = cli_error(EXIT_FAIL, "%s", e.msg);
            }
            briefing_release(&b);
        }
    }
    free(terms);
    if (status == EXIT_OK && bc->out_path) {
        if (file_write_atomic(bc->out_path, out.ptr, out.len, &e) != ACHIM_OK)
            status = cli_error(EXIT_FAIL, "%s", e.msg);
    } else if (status == EXIT_OK && !bc->send) {
        fwrite(out.ptr, 1, out.len, stdout);
    }
    buf_release(&out);
    return status;
}

/* ---- options --------------------------------------------------------------- */

/* Parse the options brief and demo share; returns -1 to go on, else a status. */
int cli_brief_options(const char *cmd, int argc, char **argv, struct app_brief_opts *o,
                      struct brief_cli *bc)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'o'},
        {"hour", required_argument, NULL, 'H'},
        {"bullets", required_argument, NULL, 'b'},
        {"terms", required_argument, NULL, 't'},
        {"dir", required_argument, NULL, 'D'},
        {"send", no_argument, NULL, 'S'},
        {"to", required_argument, NULL, 'T'},
        {"smtp", required_argument, NULL, 'M'},
        {"days", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"md", "json", "html", "eml", "atom"};
    int c;
    long v;
    bool format_given = false;
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
        case 'f': {
            bool ok = false;
            for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
                if (strcmp(optarg, formats[i]) == 0)
                    ok = true;
            if (!ok)
                return cli_usage_error(cmd, "--format wants md, json, html, eml or atom, not '%s'",
                                       optarg);
            bc->format = optarg;
            format_given = true;
            break;
        }
        case 'o': bc->out_path = optarg; break;
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
            if (strcmp(cmd, "demo") != 0)
                return cli_usage_error(cmd, "unknown option --dir");
            bc->dir = optarg;
            break;
        case 'S': bc->send = true; break;
        case 'T':
            if (!strchr(optarg, '@') || strpbrk(optarg, "\r\n"))
                return cli_usage_error(cmd, "--to wants a mail address, not '%s'", optarg);
            bc->to = optarg;
            break;
        case 'M':
            if (!str_starts_with(optarg, "smtp://") && !str_starts_with(optarg, "smtps://"))
                return cli_usage_error(
                    cmd, "--smtp wants smtp://HOST[:PORT] or smtps://..., not '%s'", optarg);
            bc->smtp = optarg;
            break;
        case 'n':
            if (!cli_parse_size(optarg, 1, ATOM_MAX_DAYS, &v))
                return cli_usage_error(cmd, "--days wants 1 to %d, not '%s'", ATOM_MAX_DAYS,
                                       optarg);
            bc->days = v;
            break;
        default: return cli_usage_error(cmd, "bad option");
        }
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (!format_given && bc->out_path) {
        /* the file name says what is wanted */
        static const char *const ext[][2] = {{".json", "json"}, {".html", "html"},
                                             {".htm", "html"},  {".eml", "eml"},
                                             {".atom", "atom"}, {".xml", "atom"}};
        for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
            if (str_ends_with(bc->out_path, ext[i][0]))
                bc->format = ext[i][1];
    }
    if (bc->send && strcmp(bc->format, "md") != 0 && strcmp(bc->format, "eml") != 0)
        return cli_usage_error(cmd, "--send sends the e-mail; it does not go with --format %s",
                               bc->format);
    return -1;
}

int cmd_brief(struct cli_ctx *ctx, int argc, char **argv)
{
    struct app_brief_opts o;
    app_brief_opts_default(&o);
    o.gazetteer = cli_gazetteer(ctx);
    o.date = ctx->now - ctx->now % 86400;
    struct cli_config cfg;
    int st = cli_config_load(&cfg);
    if (st != EXIT_OK) {
        cli_config_release(&cfg);
        return st;
    }
    cli_config_apply_brief(&cfg, &o);
    struct brief_cli bc = {.format = "md", .days = 7, .cfg = &cfg, .mail_date = ctx->now};
    st = cli_brief_options("brief", argc, argv, &o, &bc);
    if (st < 0)
        st = cli_brief_print(ctx->store, &o, &bc);
    cli_config_release(&cfg);
    return st;
}
