/* SPDX-License-Identifier: MIT */
/* app.h: achim's use cases — ingest, search and brief — shared by the CLI
 * and the web server. The app layer owns the order of steps and the
 * transactions; it never prints, exits or reads the environment: front ends
 * pass everything in (paths, clock, options) and render what comes back. */
#ifndef ACHIM_APP_H
#define ACHIM_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "model/model.h"
#include "store/store.h"

/* ---- ingest ------------------------------------------------------------- */

#define APP_MAX_FEED_BYTES (64u << 20) /* a local feed file larger than this is refused */

struct app_ingest_result {
    const char *path;         /* the file, as given or found in a folder */
    const char *feed_title;   /* NULL when the file could not be parsed */
    const char *format;       /* "rss", "atom", "json", ... */
    const char *version;      /* "rss20", "atom10", ... or NULL */
    struct ingest_counts counts;
    bool bozo;                /* parsed, but something was wrong */
    const char *bozo_message;
    enum achim_code rc;       /* ACHIM_OK, or why nothing was stored */
    const char *error;        /* message when rc != ACHIM_OK */
};

/* Called once per file, after the file is stored (or refused). */
typedef void (*app_ingest_fn)(void *ctx, const struct app_ingest_result *r);

/* Ingest files and folders (a folder's regular files, sorted by name, not
 * recursing into hidden files). Each file is parsed and stored in one
 * transaction of its own, so a broken file never leaves partial rows.
 * *nfailed receives the number of files that stored nothing because of an
 * error. Returns ACHIM_OK unless the store itself failed, or a path does not
 * exist (ACHIM_EIO, reported for that path through fn as well). */
enum achim_code app_ingest_paths(struct store *st, const char *const *paths, size_t npaths,
                                 int64_t now, app_ingest_fn fn, void *ctx, int *nfailed,
                                 struct err *err);

/* ---- brief ------------------------------------------------------------- */

struct app_brief_opts {
    int64_t date;             /* midnight UTC of the briefing day */
    const char *lang;         /* "en" or "ko" */
    int morning_hour;         /* the window ends at this UTC hour of date (default 6) */
    const char *terms_path;   /* focus term list (data/focus-terms.tsv) */
    size_t max_bullets;       /* per block, default 5 */
};

void app_brief_opts_default(struct app_brief_opts *o);

/* Build the briefing for o->date from the articles of the 24 hours before the
 * morning hour. out must be briefing_init()ed; release with briefing_release. */
enum achim_code app_brief_build(struct store *st, const struct app_brief_opts *o,
                                struct briefing *out, struct err *err);

#endif
