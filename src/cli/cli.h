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
#include "store/store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_PARTIAL = 3 };

struct cli_ctx {
    const char *db_path; /* from --db, else NULL (resolved by cli_open_store) */
    int64_t now;         /* ACHIM_NOW or the real clock */
    struct store *store; /* opened for commands that need it */
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

#endif
