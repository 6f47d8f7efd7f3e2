/* SPDX-License-Identifier: MIT */
/* fetch.c: the libcurl multi loop behind fetch_run().
 *
 * Design. Every request becomes a job. Jobs wait in `pending` (request order)
 * until three limits allow them to start: transfers in flight (opts->jobs),
 * transfers in flight on the job's host (opts->per_host) and the earliest
 * next start on that host (opts->host_delay_ms after the previous one). The
 * multi handle enforces the same connection limits again, so a reused
 * connection never lets a host see more than per_host connections.
 *
 * Redirects are not followed by libcurl: a 3xx with a Location goes back to
 * `pending` with the new address, so the next host gets the same politeness
 * and the chain is classified (all permanent or not) for the caller.
 *
 * Workload: up to a few thousand jobs per call; the pending scan is linear
 * per loop turn, which costs microseconds next to the network. */
#define _GNU_SOURCE
#include "fetch/fetch.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "achim.h"
#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"

#define FETCH_USER_AGENT "achim/" ACHIM_VERSION " (+https://github.com/achim-news/achim)"

const char *fetch_user_agent(void)
{
    return FETCH_USER_AGENT;
}

const char *fetch_backend_version(void)
{
    return curl_version();
}

void fetch_opts_default(struct fetch_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->jobs = 16;
    o->per_host = 4;
    o->host_delay_ms = 0;
    o->connect_timeout_ms = 10000;
    o->timeout_ms = 60000;
    o->low_speed_bytes = 64;
    o->low_speed_secs = 20;
    o->max_bytes = FETCH_MAX_BYTES_DEFAULT;
    o->max_redirects = 5;
}

/* ---- jobs and hosts ------------------------------------------------------ */

struct host {
    char *name; /* "host:port" */
    int active;
    int64_t next_ms; /* earliest next start (monotonic ms) */
};

struct job {
    const struct fetch_request *req;
    size_t host;
    char *url; /* current address (changes on redirects) */
    int hops;
    bool all_permanent;
    bool toobig;
    CURL *easy;
    struct curl_slist *hdrs;
    struct buf body;
    int64_t wire;
    int64_t t0_ms;
    char errbuf[CURL_ERROR_SIZE];
};

struct loop {
    const struct fetch_opts *o;
    CURLM *multi;
    struct job *jobs;
    size_t njobs;
    struct job **pending;
    size_t npending;
    struct host *hosts;
    size_t nhosts, hostcap;
    int running;
    fetch_done_fn done;
    void *ctx;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "host:port" of an http(s) URL, or NULL when the URL is not one. */
static char *url_host_key(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *key = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        goto out;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
        goto out;
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
        goto out;
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s:%s", host, port);
    key = buf_take(&b);
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return key;
}

static size_t host_index(struct loop *l, const char *key)
{
    for (size_t i = 0; i < l->nhosts; i++)
        if (strcmp(l->hosts[i].name, key) == 0)
            return i;
    XGROW(l->hosts, l->nhosts + 1, l->hostcap);
    l->hosts[l->nhosts] = (struct host){.name = xstrdup(key)};
    return l->nhosts++;
}

/* ---- libcurl callbacks --------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *vjob)
{
    struct job *j = vjob;
    size_t n = size * nmemb;
    if (buf_add(&j->body, data, n) != ACHIM_OK) {
        j->toobig = true;
        return 0; /* libcurl ends the transfer with CURLE_WRITE_ERROR */
    }
    return n;
}

/* ---- starting and finishing ---------------------------------------------- */

static void job_setup(struct loop *l, struct job *j)
{
    const struct fetch_opts *o = l->o;
    CURL *e = j->easy;
    curl_easy_setopt(e, CURLOPT_URL, j->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : FETCH_USER_AGENT);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* every decoder libcurl has */
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    /* Waiting for a connection to turn out multiplexed only pays where HTTP/2
     * can be negotiated (TLS); over plain HTTP it would serialise the host. */
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, str_starts_with(j->url, "https:") ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_secs);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
    if (o->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
    j->errbuf[0] = '\0';
}

static void job_build_headers(struct job *j)
{
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, "Accept: application/rss+xml, application/atom+xml, "
                             "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
                             "text/html;q=0.8, */*;q=0.5");
    struct buf b = BUF_INIT;
    if (!str_empty(j->req->etag)) {
        buf_addf(&b, "If-None-Match: %s", j->req->etag);
        h = curl_slist_append(h, b.ptr);
        buf_reset(&b);
    }
    if (!str_empty(j->req->last_modified)) {
        buf_addf(&b, "If-Modified-Since: %s", j->req->last_modified);
        h = curl_slist_append(h, b.ptr);
    }
    buf_release(&b);
    j->hdrs = h;
}

static const char *header_value(CURL *e, const char *name)
{
    struct curl_header *h = NULL;
    if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h)
        return NULL;
    return h->value;
}

/* Report j as finished with rc and the message fmt (NULL for none). */
static void job_report(struct loop *l, struct job *j, enum achim_code rc, int status,
                       const char *error, bool timed_out)
{
    struct fetch_result r = {
        .req = j->req,
        .rc = rc,
        .status = status,
        .error = error,
        .url = j->url,
        .moved_to = j->hops > 0 && j->all_permanent ? j->url : NULL,
        .redirects = j->hops,
        .retry_after = -1,
        .body = j->body.ptr,
        .len = j->body.len,
        .bytes_wire = j->wire,
        .ms = j->t0_ms ? (long)(now_ms() - j->t0_ms) : 0,
        .timed_out = timed_out,
    };
    if (j->easy && status > 0) {
        r.etag = header_value(j->easy, "ETag");
        r.last_modified = header_value(j->easy, "Last-Modified");
        char *ct = NULL;
        if (curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK)
            r.content_type = ct;
        if (header_value(j->easy, "Retry-After")) {
            curl_off_t ra = 0;
            if (curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK)
                r.retry_after = ra;
        }
    }
    if (l->done)
        l->done(l->ctx, &r);
    buf_release(&j->body);
}

static void job_enqueue(struct loop *l, struct job *j)
{
    l->pending[l->npending++] = j;
}

/* A finished transfer: follow a redirect or report. */
static void job_finish(struct loop *l, struct job *j, CURLcode cc)
{
    long status = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_off_t dl = 0;
    if (curl_easy_getinfo(j->easy, CURLINFO_SIZE_DOWNLOAD_T, &dl) == CURLE_OK)
        j->wire += dl;
    struct buf msg = BUF_INIT;
    enum achim_code rc = ACHIM_OK;
    bool timed_out = false;

    if (cc != CURLE_OK) {
        if (j->toobig || cc == CURLE_FILESIZE_EXCEEDED) {
            rc = ACHIM_ETOOBIG;
            buf_addf(&msg, "body larger than %zu bytes", l->o->max_bytes);
        } else if (cc == CURLE_OPERATION_TIMEDOUT) {
            rc = ACHIM_EIO;
            timed_out = true;
            buf_addf(&msg, "timed out: %s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(cc));
        } else {
            rc = ACHIM_EIO;
            buf_addf(&msg, "%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(cc));
        }
    } else if (status >= 300 && status < 400 && status != 304) {
        char *loc = NULL;
        curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &loc);
        if (!loc) {
            rc = ACHIM_EHTTP;
            buf_addf(&msg, "HTTP %ld without a usable Location", status);
        } else if (j->hops >= l->o->max_redirects) {
            rc = ACHIM_EHTTP;
            buf_addf(&msg, "too many redirects (more than %d)", l->o->max_redirects);
        } else {
            char *key = url_host_key(loc);
            if (!key) {
                rc = ACHIM_EHTTP;
                buf_addf(&msg, "redirect to a non-http(s) address '%s'", loc);
            } else {
                /* follow: back to pending with the new address */
                char *next = xstrdup(loc);
                free(j->url);
                j->url = next;
                j->hops++;
                if (status != 301 && status != 308)
                    j->all_permanent = false;
                l->hosts[j->host].active--;
                curl_multi_remove_handle(l->multi, j->easy);
                j->host = host_index(l, key);
                free(key);
                buf_reset(&j->body);
                job_setup(l, j);
                job_enqueue(l, j);
                buf_release(&msg);
                return;
            }
        }
    } else if (status == 304) {
        rc = ACHIM_ENOTMODIFIED;
    } else if (status < 200 || status > 299) {
        rc = ACHIM_EHTTP;
        buf_addf(&msg, "HTTP %ld", status);
    }
    l->hosts[j->host].active--;
    curl_multi_remove_handle(l->multi, j->easy);
    job_report(l, j, rc, (int)status, rc == ACHIM_OK || rc == ACHIM_ENOTMODIFIED ? NULL : msg.ptr,
               timed_out);
    buf_release(&msg);
    curl_easy_cleanup(j->easy);
    j->easy = NULL;
}

/* Start what the limits allow; returns ms until a host becomes free (-1: none waiting on a delay).
 */
static long start_ready(struct loop *l)
{
    int64_t now = now_ms();
    long wait = -1;
    size_t keep = 0;
    for (size_t i = 0; i < l->npending; i++) {
        struct job *j = l->pending[i];
        struct host *h = &l->hosts[j->host];
        bool can = l->running < l->o->jobs && h->active < l->o->per_host;
        if (can && h->next_ms > now) {
            long w = (long)(h->next_ms - now);
            if (wait < 0 || w < wait)
                wait = w;
            can = false;
        }
        if (!can) {
            l->pending[keep++] = j;
            continue;
        }
        h->active++;
        h->next_ms = now + l->o->host_delay_ms;
        if (!j->t0_ms)
            j->t0_ms = now; /* time is measured from the first start, not the queue */
        l->running++;
        curl_multi_add_handle(l->multi, j->easy);
    }
    l->npending = keep;
    return wait;
}

enum achim_code fetch_run(const struct fetch_request *reqs, size_t n, const struct fetch_opts *opts,
                          fetch_done_fn done, void *ctx, struct err *err)
{
    static bool global_done;
    struct fetch_opts defaults;
    if (!opts) {
        fetch_opts_default(&defaults);
        opts = &defaults;
    }
    if (opts->jobs < 1 || opts->per_host < 1 || opts->max_redirects < 0 || opts->max_bytes == 0 ||
        opts->timeout_ms < 1)
        return err_set(err, ACHIM_EINVAL, "fetch: invalid options");
    if (n == 0)
        return ACHIM_OK;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return err_set(err, ACHIM_EIO, "fetch: libcurl initialisation failed");
        global_done = true;
    }
    struct loop l = {.o = opts, .done = done, .ctx = ctx};
    l.multi = curl_multi_init();
    if (!l.multi)
        return err_set(err, ACHIM_ENOMEM, "fetch: cannot create a libcurl multi handle");
    curl_multi_setopt(l.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)opts->jobs);
    curl_multi_setopt(l.multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)opts->per_host);
    curl_multi_setopt(l.multi, CURLMOPT_MAXCONNECTS, (long)opts->jobs * 2);
    curl_multi_setopt(l.multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);

    l.jobs = xcalloc(n, sizeof(*l.jobs));
    l.pending = xcalloc(n, sizeof(*l.pending));
    l.njobs = n;
    for (size_t i = 0; i < n; i++) {
        struct job *j = &l.jobs[i];
        j->req = &reqs[i];
        j->url = xstrdup(reqs[i].url ? reqs[i].url : "");
        j->all_permanent = true;
        buf_init(&j->body, opts->max_bytes);
        char *key = url_host_key(j->url);
        if (!key) {
            struct buf m = BUF_INIT;
            buf_addf(&m, "not an http(s) URL: '%s'", j->url);
            job_report(&l, j, ACHIM_EINVAL, 0, m.ptr, false);
            buf_release(&m);
            continue;
        }
        j->host = host_index(&l, key);
        free(key);
        j->easy = curl_easy_init();
        if (!j->easy) {
            job_report(&l, j, ACHIM_ENOMEM, 0, "cannot create a libcurl handle", false);
            continue;
        }
        job_build_headers(j);
        job_setup(&l, j);
        job_enqueue(&l, j);
    }

    while (l.npending || l.running) {
        long wait = start_ready(&l);
        int still = 0;
        curl_multi_perform(l.multi, &still);
        CURLMsg *m;
        int left, finished = 0;
        while ((m = curl_multi_info_read(l.multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            struct job *j = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            l.running--;
            finished++;
            job_finish(&l, j, m->data.result);
        }
        if (finished && l.npending)
            continue; /* slots freed up: start more before sleeping */
        long timeout = wait >= 0 && wait < 200 ? wait : 200;
        if (l.running)
            curl_multi_poll(l.multi, NULL, 0, (int)timeout, NULL);
        else if (wait > 0) {
            struct timespec ts = {wait / 1000, (wait % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
    }

    for (size_t i = 0; i < n; i++) {
        free(l.jobs[i].url);
        curl_slist_free_all(l.jobs[i].hdrs);
        if (l.jobs[i].easy)
            curl_easy_cleanup(l.jobs[i].easy);
        buf_release(&l.jobs[i].body);
    }
    for (size_t i = 0; i < l.nhosts; i++)
        free(l.hosts[i].name);
    free(l.hosts);
    free(l.jobs);
    free(l.pending);
    curl_multi_cleanup(l.multi);
    return ACHIM_OK;
}
