/* SPDX-License-Identifier: MIT */
/* cli.h: shared context of the command-line front end. Only cli/ prints,
 * exits, reads the environment and parses argv.
 *
 * Exit statuses (documented in `achim help` and the README):
 *   0  success
 *   1  runtime failure (I/O, database, nothing could be done)
 *   2  usage error (unknown command or option, bad argument)
 *   3  partial success (some inputs failed, the rest was stored) */
#ifndef ACHIM_CLI_H
#define ACHIM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "model/model.h"
#include "store/store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_PARTIAL = 3 };

struct cli_ctx {
    const char *db_path; /* from --db, else NULL (resolved by cli_open_store) */
    int64_t now;         /* ACHIM_NOW or the real clock */
    struct store *store; /* opened for commands that need it */
    struct gazetteer *gazetteer; /* loaded on first use by cli_gazetteer() */
    bool gazetteer_tried;
};

typedef int (*cli_cmd_fn)(struct cli_ctx *ctx, int argc, char **argv);

struct cli_command {
    const char *name;
    cli_cmd_fn fn;
    unsigned flags;
    const char *summary;
    const char *usage; /* full help text */
};
#define CLI_NEEDS_DB 1u

const struct cli_command *cli_find(const char *name);
extern const struct cli_command cli_commands[];

/* Print "achim: error: ..." to stderr; returns status. */
int cli_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print the usage error and a pointer to `achim help CMD`; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open (creating and migrating) the store at the resolved path. */
int cli_open_store(struct cli_ctx *ctx);
/* Resolve the database path: --db, ACHIM_DB, $XDG_DATA_HOME/achim/achim.db. */
char *cli_db_path(const char *flag, struct err *err);
/* Folder holding achim's data files (focus-terms.tsv ...); caller frees. */
char *cli_data_path(const char *file);
/* The bundled gazetteer (data/gazetteer.tsv), loaded once per command and
 * freed by main; NULL when it cannot be found or read (entities and figures
 * are then not extracted: they are extras, never a reason to fail). */
const struct gazetteer *cli_gazetteer(struct cli_ctx *ctx);
/* The bundled sample feeds folder, or NULL when not found; caller frees. */
char *cli_sample_dir(void);
/* Parse a positive integer option; false if invalid. */
bool cli_parse_size(const char *s, long min, long max, long *out);

int cmd_ingest(struct cli_ctx *ctx, int argc, char **argv);
int cmd_search(struct cli_ctx *ctx, int argc, char **argv);
int cmd_brief(struct cli_ctx *ctx, int argc, char **argv);
int cmd_demo(struct cli_ctx *ctx, int argc, char **argv);
int cmd_parse(struct cli_ctx *ctx, int argc, char **argv);
int cmd_stats(struct cli_ctx *ctx, int argc, char **argv);
int cmd_summarize(struct cli_ctx *ctx, int argc, char **argv);
int cmd_fetch(struct cli_ctx *ctx, int argc, char **argv);
int cmd_sources(struct cli_ctx *ctx, int argc, char **argv);
int cmd_run(struct cli_ctx *ctx, int argc, char **argv);
int cmd_trends(struct cli_ctx *ctx, int argc, char **argv);
int cmd_cluster(struct cli_ctx *ctx, int argc, char **argv);
int cmd_classify(struct cli_ctx *ctx, int argc, char **argv);
int cmd_explain(struct cli_ctx *ctx, int argc, char **argv);

/* ---- preferences (config.c) and mail delivery (cmd_brief.c) ------------ */

/* Settings from the preferences file (docs/config.md); NULL = not set. */
struct cli_config {
    char *path; /* the file read, NULL when there was none */
    char *lang, *bullets, *hour, *terms;
    char *mute_terms, *mute_sources, *watchlist;
    char *mail_to, *mail_from, *smtp_url, *smtp_user, *smtp_password, *smtp_tls;
    char *smtp_ca_file, *smtp_verify;
    char *list_unsubscribe, *deliver_at;
    char *password_from; /* "config" or "ACHIM_SMTP_PASSWORD" */
};
struct app_brief_opts;

/* Path of the preferences file: $ACHIM_CONFIG, $XDG_CONFIG_HOME/achim/config,
 * ~/.config/achim/config; NULL without HOME. Caller frees. */
char *cli_config_path(void);
/* Read the file (a missing file is no error); prints and returns a status. */
int cli_config_load(struct cli_config *c);
void cli_config_release(struct cli_config *c);
/* Defaults of brief/demo from the file (command-line options come after). */
void cli_config_apply_brief(const struct cli_config *c, struct app_brief_opts *o);
/* Every setting with its effective value and where it comes from. */
void cli_config_print(const struct cli_config *c, FILE *f);

/* app_deliver_fn for app_run: e-mail the briefing as configured in ctx
 * (a struct cli_config *) — report_email() then deliver_smtp_send(). */
enum achim_code cli_mail_deliver(void *ctx, const struct briefing *b, const char *text,
                                 size_t len, struct err *err);
int cmd_config(struct cli_ctx *ctx, int argc, char **argv);

/* What brief and demo share beyond struct app_brief_opts (cmd_brief.c). */
struct brief_cli {
    const char *format;   /* md json html eml atom */
    const char *out_path; /* NULL: stdout */
    const char *dir;      /* demo only */
    bool send;
    const char *to;       /* overrides mail_to */
    const char *smtp;     /* overrides smtp_url */
    long days;            /* atom: how many days back */
    int64_t mail_date;    /* Date header; 0: the end of the brief's window */
    struct cli_config *cfg;
};
int cli_brief_print(struct store *st, struct app_brief_opts *o, struct brief_cli *bc);
/* Parse the options brief and demo share; -1 to go on, else an exit status. */
int cli_brief_options(const char *cmd, int argc, char **argv, struct app_brief_opts *o,
                      struct brief_cli *bc);

#endif
