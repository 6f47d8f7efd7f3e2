/* SPDX-License-Identifier: MIT */
/* fetch.c: the fetch use case — due sources over the network, through the
 * one ingest path, into the store, with each attempt on record.
 *
 * Per source, everything this run learns is written together: the articles
 * (store_feed_ingest's savepoint), the validators and fail count, the
 * schedule, a permanent move and the fetch log row. Sources are grouped into
 * one transaction per APP_FETCH_COMMIT_MS of work (group commit: a thousand
 * small feeds would otherwise pay a thousand commits). A run killed at any
 * point therefore leaves each source either fully updated or untouched, and
 * the next run simply fetches the untouched ones again; articles are keyed,
 * so nothing is stored twice.
 *
 * Back-off: after the n-th consecutive failure a source waits
 * backoff_base * 2^(n-1) seconds (capped at backoff_max) before it is due
 * again; a 429 or 503 with Retry-After waits at least that long. HTTP 410
 * disables the source for good. */
#define _GNU_SOURCE /* strcasestr */
#include "app/app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"

void app_fetch_opts_default(struct app_fetch_opts *o)
{
    memset(o, 0, sizeof(*o));
    fetch_opts_default(&o->net);
    o->net.host_delay_ms = 100; /* feeds of one site are spaced out a little */
    o->fulltext = true;
    o->fulltext_max = 100;
    o->backoff_base = 900;
    o->backoff_max = 86400;
}

#define APP_FETCH_COMMIT_MS 250

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct fctx {
    struct store *st;
    const struct app_fetch_opts *o;
    int64_t now, run_id;
    struct store_source *src; /* indexed like the requests */
    size_t total, done;
    app_fetch_fn fn;
    void *ctx;
    struct app_fetch_summary *sum;
    enum achim_code store_rc; /* first store failure: stops recording */
    struct err store_err;
    bool in_tx;       /* a group-commit transaction is open */
    int64_t tx_start; /* when it was opened (monotonic ms) */
};

/* Commit the open group, if any; a failure stops recording. */
static void group_commit(struct fctx *c)
{
    if (!c->in_tx)
        return;
    c->in_tx = false;
    struct err e = ERR_INIT;
    enum achim_code rc = store_commit(c->st, &e);
    if (rc != ACHIM_OK) {
        store_rollback(c->st);
        c->store_rc = rc;
        c->store_err = e;
    }
}

static const char *result_name(enum achim_code rc, int status)
{
    switch (rc) {
    case ACHIM_OK: return "ok";
    case ACHIM_ENOTMODIFIED: return "not-modified";
    case ACHIM_EHTTP: return status == 410 ? "gone" : "http";
    case ACHIM_ETOOBIG: return "too-big";
    case ACHIM_EPARSE: return "parse";
    case ACHIM_EINVAL: return "invalid";
    case ACHIM_EDB:
    case ACHIM_EBUSY: return "store";
    default: return "io";
    }
}

static int64_t backoff(const struct app_fetch_opts *o, int fails)
{
    int64_t d = o->backoff_base;
    for (int i = 1; i < fails && d < o->backoff_max; i++)
        d *= 2;
    return d < o->backoff_max ? d : o->backoff_max;
}

/* Record one finished source; runs inside its own transaction. */
static enum achim_code record(struct fctx *c, struct store_source *s, const struct fetch_result *r,
                              struct app_fetch_event *ev, struct err *err)
{
    enum achim_code rc = r->rc;
    struct err pe = ERR_INIT;
    if (rc == ACHIM_OK) {
        struct app_buffer in = {.data = r->body,
                                .len = r->len,
                                .url = r->url,
                                .content_type = r->content_type,
                                .label = s->feed_url,
                                .source_id = s->id,
                                .source_url = s->feed_url};
        in.gazetteer = c->o->gazetteer;
        in.batch_stats = true; /* counted in bulk at the end of the run */
        rc = app_ingest_buffer(c->st, &in, c->run_id, c->now, NULL, NULL, &ev->counts, &pe);
        if (rc == ACHIM_EDB || rc == ACHIM_EBUSY)
            return err_set(err, rc, "%s", pe.msg);
    }
    ev->rc = rc;
    ev->result = result_name(rc, r->status);

    enum achim_code w = ACHIM_OK;
    if (rc == ACHIM_OK || rc == ACHIM_ENOTMODIFIED) {
        w = store_source_fetched(c->st, s->id, c->now, r->status, r->etag, r->last_modified, err);
    } else {
        /* A body that did not parse, broke off or was too big is a failure of
         * the source even if HTTP said 200: the fail count grows and the
         * validators are not kept. The fetch log keeps the real status; the
         * source's last_status says 0, "no usable answer". */
        int status = (r->status >= 200 && r->status <= 299) || r->status == 304 ? 0 : r->status;
        w = store_source_fetched(c->st, s->id, c->now, status, NULL, NULL, err);
    }
    if (w != ACHIM_OK)
        return w;

    int64_t next = 0;
    if (rc != ACHIM_OK && rc != ACHIM_ENOTMODIFIED) {
        next = c->now + backoff(c->o, s->fail_count + 1);
        if (r->retry_after >= 0 && (r->status == 429 || r->status == 503)) {
            int64_t ra = r->retry_after < 7 * 86400 ? r->retry_after : 7 * 86400;
            if (c->now + ra > next)
                next = c->now + ra;
        }
    }
    ev->next_fetch = next;
    if ((w = store_source_schedule(c->st, s->id, next, err)) != ACHIM_OK)
        return w;

    struct store_source_edit e = STORE_SOURCE_EDIT_INIT;
    bool edit = false;
    if (r->moved_to && (rc == ACHIM_OK || rc == ACHIM_ENOTMODIFIED) &&
        strcmp(r->moved_to, s->feed_url) != 0) {
        int64_t other = 0;
        if (store_source_find(c->st, r->moved_to, &other, NULL) == ACHIM_ENOTFOUND) {
            e.feed_url = r->moved_to;
            ev->moved_to = r->moved_to;
            edit = true;
        }
    }
    if (r->status == 410) {
        e.enabled = 0;
        edit = true;
    }
    if (edit && (w = store_source_edit(c->st, s->id, &e, err)) != ACHIM_OK)
        return w;

    /* the transfer's error, or what went wrong with a body that arrived */
    const char *msg = rc == ACHIM_OK || rc == ACHIM_ENOTMODIFIED ? NULL
                      : r->rc == ACHIM_OK                        ? pe.msg
                                                                 : r->error;
    struct store_fetch_entry le = {
        .source_id = s->id,
        .run_id = c->run_id,
        .started = c->now,
        .url = r->url,
        .result = ev->result,
        .http_status = r->status,
        .bytes = r->bytes_wire,
        .ms = r->ms,
        .error = msg,
        .added = ev->counts.added,
        .updated = ev->counts.updated,
    };
    w = store_fetch_log_add(c->st, &le, err);
    ev->error = msg;
    return w;
}

static void on_feed(void *vctx, const struct fetch_result *r)
{
    struct fctx *c = vctx;
    struct store_source *s = r->req->user;
    c->done++;
    struct app_fetch_event ev = {
        .source_id = s->id,
        .name = s->name ? s->name : s->feed_url,
        .url = r->url,
        .status = r->status,
        .bytes = r->bytes_wire,
        .ms = r->ms,
        .done = c->done,
        .total = c->total,
    };
    struct app_fetch_summary *sum = c->sum;
    sum->bytes += r->bytes_wire;
    if (c->store_rc == ACHIM_OK) {
        struct err e = ERR_INIT;
        enum achim_code rc = ACHIM_OK;
        if (!c->in_tx) {
            rc = store_begin(c->st, &e);
            c->in_tx = rc == ACHIM_OK;
            c->tx_start = mono_ms();
        }
        if (rc == ACHIM_OK)
            rc = record(c, s, r, &ev, &e);
        if (rc != ACHIM_OK) {
            /* the whole group goes; its sources are simply fetched again */
            store_rollback(c->st);
            c->in_tx = false;
            c->store_rc = rc;
            c->store_err = e;
            ev.rc = rc;
            ev.result = "store";
            ev.error = c->store_err.msg;
        } else if (mono_ms() - c->tx_start >= APP_FETCH_COMMIT_MS || c->done == c->total) {
            group_commit(c);
        }
    } else {
        ev.rc = c->store_rc;
        ev.result = "store";
        ev.error = c->store_err.msg;
    }
    if (ev.rc == ACHIM_OK)
        sum->ok++;
    else if (ev.rc == ACHIM_ENOTMODIFIED)
        sum->not_modified++;
    else
        sum->failed++;
    sum->added += ev.counts.added;
    sum->updated += ev.counts.updated;
    if (c->fn)
        c->fn(c->ctx, &ev);
}

/* ---- full text ------------------------------------------------------------- */

static void on_page(void *vctx, const struct fetch_result *r)
{
    struct fctx *c = vctx;
    const struct store_page *p = r->req->user;
    c->done++;
    struct app_fetch_event ev = {.url = r->url,
                                 .status = r->status,
                                 .bytes = r->bytes_wire,
                                 .ms = r->ms,
                                 .page = true,
                                 .done = c->done,
                                 .total = c->total,
                                 .rc = r->rc,
                                 .error = r->error};
    c->sum->bytes += r->bytes_wire;
    struct err e = ERR_INIT;
    if (r->rc == ACHIM_OK && c->store_rc == ACHIM_OK) {
        char *text = NULL, *html = NULL;
        const char *cs = r->content_type ? strcasestr(r->content_type, "charset=") : NULL;
        char charset[64] = "";
        if (cs) {
            size_t k = 0;
            for (cs += 8; *cs && *cs != ';' && *cs != ' ' && k + 1 < sizeof(charset); cs++)
                if (*cs != '"')
                    charset[k++] = *cs;
            charset[k] = '\0';
        }
        ev.rc = feed_extract_article(r->body, r->len, r->url, charset[0] ? charset : NULL, &text,
                                     &html, &e);
        if (ev.rc == ACHIM_OK) {
            ev.rc = store_article_set_fulltext(c->st, p->article_id, text, html, &e);
            if (ev.rc == ACHIM_EDB || ev.rc == ACHIM_EBUSY) {
                c->store_rc = ev.rc;
                c->store_err = e;
            }
        }
        if (ev.rc != ACHIM_OK)
            ev.error = e.msg;
        free(text);
        free(html);
    }
    ev.result = result_name(ev.rc, r->status);
    if (ev.rc == ACHIM_OK)
        c->sum->pages_ok++;
    if (c->fn)
        c->fn(c->ctx, &ev);
}

static enum achim_code fetch_pages(struct fctx *c, struct err *err)
{
    struct store_page *pages = NULL;
    size_t n = 0;
    enum achim_code rc =
        store_fulltext_pending(c->st, c->run_id, c->o->fulltext_max, &pages, &n, err);
    if (rc != ACHIM_OK || n == 0)
        return rc;
    struct fetch_request *reqs = xcalloc(n, sizeof(*reqs));
    for (size_t i = 0; i < n; i++)
        reqs[i] = (struct fetch_request){.url = pages[i].url, .user = &pages[i]};
    c->done = 0;
    c->total = n;
    c->sum->pages = n;
    rc = fetch_run(reqs, n, &c->o->net, on_page, c, err);
    free(reqs);
    store_pages_free(pages, n);
    return rc;
}

/* ---- the use case ------------------------------------------------------------ */

enum achim_code app_fetch(struct store *st, const struct app_fetch_opts *o, int64_t now,
                          app_fetch_fn fn, void *ctx, struct app_fetch_summary *sum,
                          struct err *err)
{
    memset(sum, 0, sizeof(*sum));
    struct fctx c = {.st = st, .o = o, .now = now, .fn = fn, .ctx = ctx, .sum = sum};
    int64_t *ids = NULL;
    size_t nids = 0;
    enum achim_code rc = ACHIM_OK;
    if (o->source_id) {
        ids = xmalloc(sizeof(*ids));
        ids[0] = o->source_id;
        nids = 1;
    } else {
        /* force: every enabled source; else those whose back-off is over */
        rc = store_sources_due(st, o->force ? INT64_MAX : now, &ids, &nids, err);
        if (rc != ACHIM_OK)
            return rc;
        int64_t *all = NULL;
        size_t nall = 0;
        if (store_sources_due(st, INT64_MAX, &all, &nall, NULL) == ACHIM_OK)
            sum->skipped = nall > nids ? nall - nids : 0;
        free(all);
    }
    c.src = xcalloc(nids ? nids : 1, sizeof(*c.src));
    struct fetch_request *reqs = xcalloc(nids ? nids : 1, sizeof(*reqs));
    size_t n = 0;
    for (size_t i = 0; i < nids; i++) {
        rc = store_source_get(st, ids[i], &c.src[n], err);
        if (rc != ACHIM_OK)
            goto out;
        struct store_source *s = &c.src[n];
        if (!str_starts_with(s->feed_url, "http://") && !str_starts_with(s->feed_url, "https://")) {
            store_source_release(s); /* ingested from a local file: not a subscription */
            continue;
        }
        reqs[n] = (struct fetch_request){
            .url = s->feed_url, .etag = s->etag, .last_modified = s->last_modified, .user = s};
        n++;
    }
    rc = store_run_begin(st, "fetch", now, &c.run_id, err);
    if (rc != ACHIM_OK)
        goto out;
    sum->run_id = c.run_id;
    sum->sources = n;
    c.total = n;
    rc = fetch_run(reqs, n, &o->net, on_feed, &c, err);
    group_commit(&c);
    if (rc == ACHIM_OK && c.store_rc == ACHIM_OK && o->fulltext)
        rc = fetch_pages(&c, err);
    if (rc == ACHIM_OK && c.store_rc != ACHIM_OK) {
        rc = c.store_rc;
        err_set(err, rc, "%s", c.store_err.msg);
    }
    if (rc == ACHIM_OK)
        rc = app_termstats_sync(st, o->gazetteer, err);
    struct buf msg = BUF_INIT;
    buf_addf(&msg, "%zu source(s): %zu ok, %zu not modified, %zu failed; %d added, %d updated",
             sum->sources, sum->ok, sum->not_modified, sum->failed, sum->added, sum->updated);
    const char *status = rc != ACHIM_OK ? "failed" : sum->failed ? "partial" : "ok";
    store_run_end(st, c.run_id, now, status, msg.ptr, NULL);
    buf_release(&msg);
out:
    for (size_t i = 0; i < n; i++)
        store_source_release(&c.src[i]);
    free(c.src);
    free(reqs);
    free(ids);
    return rc;
}
