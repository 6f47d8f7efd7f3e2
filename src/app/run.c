/* SPDX-License-Identifier: MIT */
/* run.c: the morning job — fetch, ingest, brief, write, deliver — in one
 * call, for cron or a systemd timer.
 *
 * Two runs never overlap: the whole run holds an exclusive flock() on
 * o->lock_path, taken without waiting, so a second run started while the
 * first is still busy (a slow network, a timer firing twice) gives up at
 * once with ACHIM_EBUSY instead of queueing behind it. The kernel drops the
 * lock when the process ends, however it ends.
 *
 * Steps degrade rather than abort: a failed fetch still briefs on what is
 * stored; a failed delivery still leaves the written brief. Only a run that
 * produced no brief at all is a failure. */
#define _GNU_SOURCE
#include "app/app.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "report/report.h"

static int lock_take(const char *path, struct err *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set_errno(err, ACHIM_EIO, errno, "cannot open lock file '%s'", path), -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            err_set(err, ACHIM_EBUSY, "another run holds the lock '%s'", path);
        else
            err_set_errno(err, ACHIM_EIO, e, "cannot lock '%s'", path);
        return -1;
    }
    /* the holder's pid, for people wondering who holds it */
    char pid[32];
    int len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0 && write(fd, pid, (size_t)len) < 0) {
        /* informational only */
    }
    return fd;
}

static void copy_msg(char *dst, size_t cap, const struct err *e)
{
    snprintf(dst, cap, "%s", e->msg);
}

enum achim_code app_run(struct store *st, const struct app_run_opts *o, int64_t now,
                        struct app_run_summary *sum, struct err *err)
{
    memset(sum, 0, sizeof(*sum));
    if (str_empty(o->lock_path) || str_empty(o->out_dir))
        return err_set(err, ACHIM_EINVAL, "run needs a lock file and an output folder");
    int fd = lock_take(o->lock_path, err);
    if (fd < 0)
        return err->code;

    struct err e = ERR_INIT;
    if (!o->no_fetch) {
        sum->fetch_rc =
            app_fetch(st, &o->fetch, now, o->on_fetch, o->on_fetch_ctx, &sum->fetch, &e);
        sum->fetched = sum->fetch_rc == ACHIM_OK;
        if (!sum->fetched)
            copy_msg(sum->fetch_error, sizeof(sum->fetch_error), &e);
    }

    /* analyse: count what is still queued for term statistics (ingest does
     * this per feed; this catches anything written by other paths) */
    err_clear(&e);
    if (app_termstats_sync(st, o->fetch.gazetteer, &e) != ACHIM_OK && !sum->fetch_error[0])
        copy_msg(sum->fetch_error, sizeof(sum->fetch_error), &e);

    struct briefing b;
    briefing_init(&b);
    struct buf text = BUF_INIT;
    err_clear(&e);
    sum->brief_rc = app_brief_build(st, &o->brief, &b, &e);
    if (sum->brief_rc == ACHIM_OK) {
        sum->briefed = true;
        for (int a = 0; a < BRIEF_NAREAS; a++)
            sum->bullets += b.sections[a].nbullets;
        bool json = o->format && strcmp(o->format, "json") == 0;
        sum->brief_rc = json ? report_json(&b, &text) : report_markdown(&b, &text);
    }
    if (sum->brief_rc == ACHIM_OK)
        sum->brief_rc = dir_make_all(o->out_dir, &e);
    if (sum->brief_rc == ACHIM_OK) {
        char day[11];
        time_format_day(o->brief.date, day);
        struct buf p = BUF_INIT;
        buf_addf(&p, "%s/brief-%s.%s.%s", o->out_dir, day, o->brief.lang ? o->brief.lang : "en",
                 o->format && strcmp(o->format, "json") == 0 ? "json" : "md");
        sum->brief_rc = file_write_atomic(p.ptr, text.ptr, text.len, &e);
        sum->written = sum->brief_rc == ACHIM_OK;
        sum->out_path = buf_take(&p);
    }
    if (sum->brief_rc != ACHIM_OK)
        copy_msg(sum->brief_error, sizeof(sum->brief_error), &e);

    if (sum->written && o->deliver) {
        err_clear(&e);
        sum->deliver_rc = o->deliver(o->deliver_ctx, &b, text.ptr, text.len, &e);
        sum->delivered = sum->deliver_rc == ACHIM_OK;
        if (!sum->delivered)
            copy_msg(sum->deliver_error, sizeof(sum->deliver_error), &e);
    }
    briefing_release(&b);
    buf_release(&text);
    close(fd); /* releases the lock */

    if (sum->written)
        return ACHIM_OK;
    return err_set(err, sum->brief_rc, "%s", sum->brief_error);
}

void app_run_summary_release(struct app_run_summary *sum)
{
    free(sum->out_path);
    sum->out_path = NULL;
}
