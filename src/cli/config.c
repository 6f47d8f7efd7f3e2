/* SPDX-License-Identifier: MIT */
/* config.c: the preferences file, $XDG_CONFIG_HOME/achim/config (else
 * ~/.config/achim/config; ACHIM_CONFIG names another file).
 *
 * Format (docs/config.md): one "key = value" per line, '#' starts a comment
 * line, blank lines are ignored, values are taken verbatim after trimming.
 * Unknown keys and bad values are errors with the line number, so a typo
 * never silently does nothing. Command-line options win over the file; the
 * file wins over the built-in defaults. The SMTP password may also come
 * from ACHIM_SMTP_PASSWORD, which wins over the file. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "cli/cli.h"

#define CONFIG_MAX_BYTES (1u << 20)

/* The table of keys: name, offset of the char * in struct cli_config, help. */
#define FIELD(f) offsetof(struct cli_config, f)
static const struct {
    const char *key;
    size_t off;
    const char *help;
} keys[] = {
    {"lang", FIELD(lang), "briefing language: en or ko"},
    {"bullets", FIELD(bullets), "bullets per block, 1-20"},
    {"hour", FIELD(hour), "UTC hour that ends the 24-hour window, 0-23"},
    {"terms", FIELD(terms), "focus term list with weights (data/focus-terms.tsv format)"},
    {"mute_terms", FIELD(mute_terms),
     "comma-separated words: stories mentioning them are left out"},
    {"mute_sources", FIELD(mute_sources), "comma-separated outlet names to leave out"},
    {"watchlist", FIELD(watchlist), "comma-separated company names to follow"},
    {"mail_to", FIELD(mail_to), "recipient(s) of achim brief --send, comma-separated"},
    {"mail_from", FIELD(mail_from), "sender address, e.g. achim <achim@example.org>"},
    {"smtp_url", FIELD(smtp_url), "smtp://host:587 (STARTTLS when offered) or smtps://host:465"},
    {"smtp_user", FIELD(smtp_user), "SMTP AUTH user (empty: no AUTH)"},
    {"smtp_password", FIELD(smtp_password), "SMTP AUTH password (or ACHIM_SMTP_PASSWORD)"},
    {"smtp_tls", FIELD(smtp_tls), "auto (STARTTLS when offered), starttls (required) or none"},
    {"smtp_ca_file", FIELD(smtp_ca_file),
     "PEM file of the CAs that sign the server's certificate (empty: the system's)"},
    {"smtp_verify", FIELD(smtp_verify),
     "yes: check the server's certificate and name; no only for a test server"},
    {"list_unsubscribe", FIELD(list_unsubscribe),
     "List-Unsubscribe URI, e.g. mailto:me@example.org"},
    {"deliver_at", FIELD(deliver_at), "local delivery time HH:MM, for schedulers (achim run)"},
};

static char **slot(struct cli_config *c, size_t i)
{
    return (char **)((char *)c + keys[i].off);
}

void cli_config_release(struct cli_config *c)
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        free(*slot(c, i));
    free(c->path);
    free(c->password_from);
    memset(c, 0, sizeof(*c));
}

char *cli_config_path(void)
{
    struct buf p = BUF_INIT;
    const char *env = getenv("ACHIM_CONFIG");
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (env && *env)
        buf_addstr(&p, env);
    else if (xdg && *xdg)
        buf_addf(&p, "%s/achim/config", xdg);
    else if (home && *home)
        buf_addf(&p, "%s/.config/achim/config", home);
    else
        return NULL;
    return buf_take(&p);
}

static bool check_value(const char *key, const char *v)
{
    long n;
    if (strcmp(key, "lang") == 0)
        return strcmp(v, "en") == 0 || strcmp(v, "ko") == 0;
    if (strcmp(key, "bullets") == 0)
        return cli_parse_size(v, 1, 20, &n);
    if (strcmp(key, "hour") == 0)
        return cli_parse_size(v, 0, 23, &n);
    if (strcmp(key, "smtp_verify") == 0)
        return strcmp(v, "yes") == 0 || strcmp(v, "no") == 0;
    if (strcmp(key, "smtp_tls") == 0)
        return strcmp(v, "auto") == 0 || strcmp(v, "starttls") == 0 || strcmp(v, "none") == 0;
    if (strcmp(key, "smtp_url") == 0)
        return str_starts_with(v, "smtp://") || str_starts_with(v, "smtps://");
    if (strcmp(key, "deliver_at") == 0)
        return strlen(v) == 5 && v[2] == ':' && v[0] >= '0' && v[0] <= '2' && v[1] >= '0' &&
               v[1] <= '9' && v[3] >= '0' && v[3] <= '5' && v[4] >= '0' && v[4] <= '9';
    if (strcmp(key, "mail_to") == 0 || strcmp(key, "mail_from") == 0)
        return strchr(v, '@') != NULL;
    return true;
}

int cli_config_load(struct cli_config *c)
{
    memset(c, 0, sizeof(*c));
    char *path = cli_config_path();
    int status = EXIT_OK;
    if (path) {
        struct buf data = BUF_INIT;
        data.max = CONFIG_MAX_BYTES;
        FILE *f = fopen(path, "r");
        if (f) {
            fclose(f);
            struct err e = ERR_INIT;
            if (file_read_all(path, &data, &e) != ACHIM_OK) {
                status = cli_error(EXIT_FAIL, "%s", e.msg);
            } else {
                c->path = xstrdup(path);
                size_t lineno = 0;
                for (char *line = data.ptr; line && *line && status == EXIT_OK;) {
                    char *nl = strchr(line, '\n');
                    if (nl)
                        *nl = 0;
                    lineno++;
                    str_trim(line);
                    if (*line && *line != '#') {
                        char *eq = strchr(line, '=');
                        if (!eq) {
                            status =
                                cli_error(EXIT_USAGE, "%s:%zu: want 'key = value'", path, lineno);
                            break;
                        }
                        *eq = 0;
                        char *key = str_trim(line), *val = str_trim(eq + 1);
                        size_t k = 0;
                        while (k < sizeof(keys) / sizeof(keys[0]) && strcmp(keys[k].key, key))
                            k++;
                        if (k == sizeof(keys) / sizeof(keys[0]))
                            status = cli_error(EXIT_USAGE, "%s:%zu: unknown setting '%s'", path,
                                               lineno, key);
                        else if (*val && !check_value(key, val))
                            status = cli_error(EXIT_USAGE, "%s:%zu: bad value '%s' for '%s'", path,
                                               lineno, val, key);
                        else {
                            free(*slot(c, k));
                            *slot(c, k) = *val ? xstrdup(val) : NULL;
                        }
                    }
                    line = nl ? nl + 1 : NULL;
                }
            }
        }
        buf_release(&data);
    }
    free(path);
    const char *pw = getenv("ACHIM_SMTP_PASSWORD");
    if (pw && *pw) {
        free(c->smtp_password);
        c->smtp_password = xstrdup(pw);
        c->password_from = xstrdup("ACHIM_SMTP_PASSWORD");
    } else if (c->smtp_password) {
        c->password_from = xstrdup("config");
    }
    return status;
}

void cli_config_apply_brief(const struct cli_config *c, struct app_brief_opts *o)
{
    long v;
    if (c->lang)
        o->lang = c->lang;
    if (c->bullets && cli_parse_size(c->bullets, 1, 20, &v))
        o->max_bullets = (size_t)v;
    if (c->hour && cli_parse_size(c->hour, 0, 23, &v))
        o->morning_hour = (int)v;
    if (c->terms)
        o->terms_path = c->terms;
    o->mute_terms = c->mute_terms;
    o->mute_sources = c->mute_sources;
    o->watchlist = c->watchlist;
}

static const char *builtin_default(const char *key)
{
    static const char *const d[][2] = {
        {"lang", "en"},         {"bullets", "5"},
        {"hour", "6"},          {"terms", "data/focus-terms.tsv"},
        {"smtp_tls", "auto"},   {"mail_from", "achim <achim@localhost>"},
        {"smtp_verify", "yes"},
    };
    for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
        if (strcmp(d[i][0], key) == 0)
            return d[i][1];
    return NULL;
}

void cli_config_print(const struct cli_config *c, FILE *f)
{
    char *path = cli_config_path();
    fprintf(f, "# config file: %s (%s)\n", path ? path : "(none: no HOME)",
            c->path ? "read" : "not present, defaults apply");
    free(path);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *v = *slot((struct cli_config *)c, i);
        const char *origin = v ? "config" : "default";
        if (strcmp(keys[i].key, "smtp_password") == 0) {
            fprintf(f, "%-16s = %s", keys[i].key, v ? "(set)" : "");
            fprintf(f, "   # %s; %s\n", v ? c->password_from : "default", keys[i].help);
            continue;
        }
        if (!v)
            v = builtin_default(keys[i].key);
        fprintf(f, "%-16s = %s   # %s; %s\n", keys[i].key, v ? v : "", origin, keys[i].help);
    }
}
