/* SPDX-License-Identifier: MIT */
/* paths.c: where the store, the data files and the sample feeds live. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "corpus/corpus.h"

#ifndef ACHIM_DATADIR
#define ACHIM_DATADIR "/usr/local/share/achim"
#endif

char *cli_db_path(const char *flag, struct err *err)
{
    if (flag && *flag)
        return xstrdup(flag);
    const char *env = getenv("ACHIM_DB");
    if (env && *env)
        return xstrdup(env);
    struct buf dir = BUF_INIT;
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg == '/')
        buf_addf(&dir, "%s/achim", xdg);
    else if (home && *home)
        buf_addf(&dir, "%s/.local/share/achim", home);
    else {
        err_set(err, ACHIM_EINVAL, "no --db, ACHIM_DB, XDG_DATA_HOME or HOME to place the store");
        buf_release(&dir);
        return NULL;
    }
    if (dir_make_all(dir.ptr, err) != ACHIM_OK) {
        buf_release(&dir);
        return NULL;
    }
    buf_addstr(&dir, "/achim.db");
    return buf_take(&dir);
}

int cli_open_store(struct cli_ctx *ctx)
{
    struct err e = ERR_INIT;
    char *path = cli_db_path(ctx->db_path, &e);
    if (!path)
        return cli_error(EXIT_FAIL, "%s", e.msg);
    enum achim_code rc = app_store_open(path, &ctx->store, &e);
    free(path);
    if (rc != ACHIM_OK)
        return cli_error(EXIT_FAIL, "%s", e.msg);
    int64_t rebuilt = store_fts_rebuilt(ctx->store);
    if (rebuilt >= 0)
        fprintf(stderr, "achim: search index rebuilt for a new tokenizer (%lld articles)\n",
                (long long)rebuilt);
    return EXIT_OK;
}

static char *exe_dir(void)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return xstrdup(dirname(buf));
}

static bool exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* First existing candidate among: $ACHIM_DATA_DIR, <exe>/data, <exe>/../data
 * (build/asan/achim in the tree), <exe>/../share/achim, the install folder. */
char *cli_data_path(const char *file)
{
    char *dir = exe_dir();
    const char *env = getenv("ACHIM_DATA_DIR");
    struct buf c = BUF_INIT;
    const char *fmts[] = {"%s/data/%s", "%s/../../data/%s", "%s/../share/achim/%s"};
    char *found = NULL;
    if (env && *env) {
        buf_addf(&c, "%s/%s", env, file);
        if (exists(c.ptr))
            found = buf_take(&c);
        buf_reset(&c);
    }
    for (size_t i = 0; !found && dir && i < sizeof(fmts) / sizeof(fmts[0]); i++) {
        buf_addf(&c, fmts[i], dir, file);
        if (exists(c.ptr))
            found = buf_take(&c);
        buf_reset(&c);
    }
    if (!found) {
        buf_addf(&c, "%s/%s", ACHIM_DATADIR, file);
        found = buf_take(&c);
    }
    buf_release(&c);
    free(dir);
    return found;
}

char *cli_sample_dir(void)
{
    char *dir = exe_dir();
    struct buf c = BUF_INIT;
    const char *fmts[] = {"%s/examples/sample-feeds", "%s/../../examples/sample-feeds",
                          "%s/../share/achim/sample-feeds"};
    char *found = NULL;
    for (size_t i = 0; !found && dir && i < sizeof(fmts) / sizeof(fmts[0]); i++) {
        buf_addf(&c, fmts[i], dir);
        if (exists(c.ptr))
            found = buf_take(&c);
        buf_reset(&c);
    }
    if (!found) {
        buf_addf(&c, "%s/sample-feeds", ACHIM_DATADIR);
        if (exists(c.ptr))
            found = buf_take(&c);
    }
    buf_release(&c);
    free(dir);
    return found;
}

bool cli_parse_size(const char *s, long min, long max, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

const struct gazetteer *cli_gazetteer(struct cli_ctx *ctx)
{
    if (!ctx->gazetteer_tried) {
        ctx->gazetteer_tried = true;
        char *p = cli_data_path("gazetteer.tsv");
        if (p && gazetteer_load(p, &ctx->gazetteer, NULL) != ACHIM_OK)
            ctx->gazetteer = NULL;
        free(p);
    }
    return ctx->gazetteer;
}
