/* SPDX-License-Identifier: MIT */
/* ingest.c: feed documents into the store, one transaction per feed.
 *
 * app_ingest_buffer() is the one path from bytes to stored articles: local
 * files (app_ingest_paths) and fetched bodies (app_fetch, fetch.c) both go
 * through it, so a feed is parsed and keyed the same way however it came. */
#define _GNU_SOURCE
#include "app/app.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"

/* ---- the one store path ------------------------------------------------ */

enum achim_code app_ingest_buffer(struct store *st, const struct app_buffer *in, int64_t run_id,
                                  int64_t now, app_ingest_fn fn, void *ctx,
                                  struct ingest_counts *counts, struct err *err)
{
    struct app_ingest_result r = {.path = in->label ? in->label : in->url};
    struct err e = ERR_INIT;
    struct feed_doc *doc = NULL;
    struct feed_parse_opts po = {.url = in->url, .content_type = in->content_type};
    r.rc = feed_parse_buffer(in->data, in->len, &po, &doc, &e);
    if (r.rc != ACHIM_OK)
        goto report;
    r.feed_title = doc->title;
    r.format = feed_format_name(doc->format);
    r.version = doc->version;
    r.bozo = doc->bozo;
    r.bozo_message = doc->bozo_message;

    int64_t source_id = in->source_id;
    if (!source_id) {
        const char *name = !str_empty(doc->title) ? doc->title : r.path;
        r.rc = store_source_ensure(st, in->url, name, doc->link, now, &source_id, &e);
    } else if (in->source_url) {
        /* a source added by URL alone takes its name and site from its feed */
        int64_t same = 0;
        r.rc = store_source_ensure(st, in->source_url, doc->title, doc->link, now, &same, &e);
    }
    if (r.rc == ACHIM_OK && in->batch_stats)
        r.rc = app_feed_ingest_batched(st, in->gazetteer, source_id, run_id, doc, now,
                                       in->batch_facts, &r.counts, &e);
    else if (r.rc == ACHIM_OK)
        r.rc = app_feed_ingest(st, in->gazetteer, source_id, run_id, doc, now, &r.counts, &e);

report:
    if (r.rc != ACHIM_OK) {
        r.error = e.msg;
        err_set(err, r.rc, "%s", e.msg);
    }
    if (counts)
        *counts = r.counts;
    if (fn)
        fn(ctx, &r);
    feed_doc_free(doc);
    return r.rc;
}

/* ---- files and folders -------------------------------------------------- */

static enum achim_code ingest_file(struct store *st, const struct gazetteer *g, const char *path,
                                   int64_t now, int64_t run_id, app_ingest_fn fn, void *ctx,
                                   int *nfailed)
{
    struct err e = ERR_INIT;
    struct buf body;
    buf_init(&body, APP_MAX_FEED_BYTES);
    enum achim_code rc = file_read_all(path, &body, &e);
    if (rc != ACHIM_OK) {
        struct app_ingest_result r = {.path = path, .rc = rc, .error = e.msg};
        (*nfailed)++;
        if (fn)
            fn(ctx, &r);
        buf_release(&body);
        return ACHIM_OK;
    }
    char *real = realpath(path, NULL);
    struct buf u = BUF_INIT;
    buf_addf(&u, "file://%s", real ? real : path);
    free(real);
    struct app_buffer in = {.data = body.ptr,
                            .len = body.len,
                            .url = u.ptr,
                            .label = path,
                            .gazetteer = g,
                            .batch_stats = true,
                            .batch_facts = true};
    rc = app_ingest_buffer(st, &in, run_id, now, fn, ctx, NULL, &e);
    if (rc != ACHIM_OK)
        (*nfailed)++;
    buf_release(&u);
    buf_release(&body);
    return rc == ACHIM_EDB ? rc : ACHIM_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum achim_code ingest_dir(struct store *st, const struct gazetteer *g, const char *dir,
                                  int64_t now, int64_t run_id, app_ingest_fn fn, void *ctx,
                                  int *nfailed)
{
    DIR *d = opendir(dir);
    if (!d)
        return ACHIM_EIO;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        struct buf p = BUF_INIT;
        buf_addf(&p, "%s/%s", dir, de->d_name);
        struct stat sb;
        if (stat(p.ptr, &sb) == 0 && S_ISREG(sb.st_mode) && !str_ends_with(de->d_name, ".md") &&
            !str_ends_with(de->d_name, ".opml")) {
            XGROW(names, n + 1, cap);
            names[n++] = buf_take(&p);
        } else {
            buf_release(&p);
        }
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(char *), cmp_str);
    enum achim_code rc = ACHIM_OK;
    for (size_t i = 0; i < n; i++) {
        if (rc == ACHIM_OK)
            rc = ingest_file(st, g, names[i], now, run_id, fn, ctx, nfailed);
        free(names[i]);
    }
    free(names);
    return rc;
}

enum achim_code app_ingest_paths(struct store *st, const struct gazetteer *g,
                                 const char *const *paths, size_t npaths, int64_t now,
                                 app_ingest_fn fn, void *ctx, int *nfailed, struct err *err)
{
    *nfailed = 0;
    int64_t run_id = 0;
    enum achim_code rc = store_run_begin(st, "ingest", now, &run_id, err);
    if (rc != ACHIM_OK)
        return rc;
    enum achim_code missing = ACHIM_OK;
    for (size_t i = 0; i < npaths && rc == ACHIM_OK; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0) {
            int errnum = errno;
            struct app_ingest_result r = {.path = paths[i], .rc = ACHIM_EIO};
            struct err e = ERR_INIT;
            err_set_errno(&e, ACHIM_EIO, errnum, "cannot read '%s'", paths[i]);
            r.error = e.msg;
            (*nfailed)++;
            if (fn)
                fn(ctx, &r);
            missing = err_set(err, ACHIM_EIO, "%s", e.msg);
            continue;
        }
        if (S_ISDIR(sb.st_mode))
            rc = ingest_dir(st, g, paths[i], now, run_id, fn, ctx, nfailed);
        else
            rc = ingest_file(st, g, paths[i], now, run_id, fn, ctx, nfailed);
        if (rc != ACHIM_OK)
            err_set(err, rc, "store failed while ingesting '%s'", paths[i]);
    }
    /* what the batched ingests left queued is counted and extracted
     * before returning */
    if (rc == ACHIM_OK)
        rc = app_termstats_sync(st, g, err);
    if (rc == ACHIM_OK && g)
        rc = app_facts_sync(st, g, NULL, err);
    struct buf msg = BUF_INIT;
    buf_addf(&msg, "%d file(s) failed", *nfailed);
    store_run_end(st, run_id, now, rc == ACHIM_OK ? (*nfailed ? "partial" : "ok") : "failed",
                  msg.ptr, NULL);
    buf_release(&msg);
    return rc != ACHIM_OK ? rc : missing;
}
