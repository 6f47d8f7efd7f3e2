/* SPDX-License-Identifier: MIT */
/* fetch.h: fetch many URLs at once over HTTP(S), politely, with bounds.
 *
 * This is the only header other modules include from src/fetch, and the only
 * place libcurl is used. Fetching never parses: a finished transfer hands its
 * bytes and what HTTP said about them to a callback, and the caller (the app
 * layer) decides what they mean.
 *
 * One fetch_run() call drives one libcurl multi handle: up to opts->jobs
 * transfers in flight, at most opts->per_host of them to one host, and a
 * start on a host at least opts->host_delay_ms after the previous start
 * there. Connections are reused (HTTP/1.1 keep-alive) and multiplexed (HTTP/2
 * over TLS where the server offers it). Only http and https are spoken, on
 * the first request and after redirects alike.
 *
 * Redirects are followed by this module rather than by libcurl, so that each
 * hop is scheduled like any request and the caller learns whether every hop
 * was permanent (301/308): then result.moved_to names the new address to
 * store. A chain longer than opts->max_redirects ends as ACHIM_EHTTP.
 *
 * Bounds: the decoded body is capped at opts->max_bytes (a gzip bomb stops at
 * the cap, not at the end of the bomb), and a transfer ends after
 * opts->timeout_ms in total, opts->connect_timeout_ms to connect, or when it
 * runs slower than opts->low_speed_bytes per second for opts->low_speed_secs.
 *
 * Workload: a morning run fetches tens to a few thousand feeds of 10 KB to
 * 2 MB each; article pages for full-text sources come in a second call. */
#ifndef ACHIM_FETCH_H
#define ACHIM_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define FETCH_MAX_BYTES_DEFAULT (16u << 20)

struct fetch_opts {
    const char *user_agent;  /* NULL: fetch_user_agent() */
    int jobs;                /* transfers in flight, default 16 */
    int per_host;            /* transfers in flight per host, default 4 */
    long host_delay_ms;      /* gap between starts on one host, default 0 */
    long connect_timeout_ms; /* default 10000 */
    long timeout_ms;         /* whole transfer, per redirect hop, default 60000 */
    long low_speed_bytes;    /* abort below this rate... default 64 */
    long low_speed_secs;     /* ...sustained this long, default 20 */
    size_t max_bytes;        /* decoded body cap, default FETCH_MAX_BYTES_DEFAULT */
    int max_redirects;       /* default 5 */
    const char *ca_file;     /* extra trusted CAs (PEM) instead of the system's; NULL */
};

/* Fill o with the defaults above. */
void fetch_opts_default(struct fetch_opts *o);

/* One URL to fetch. Strings are borrowed for the duration of fetch_run(). */
struct fetch_request {
    const char *url;
    const char *etag;          /* sent as If-None-Match; NULL: none */
    const char *last_modified; /* sent as If-Modified-Since; NULL: none */
    void *user;                /* the caller's cookie, handed back in the result */
};

/* The outcome of one request. Every pointer is borrowed and valid only
 * during the callback; copy what must outlive it.
 *
 * rc is ACHIM_OK for a 2xx answer (body/len hold the decoded body),
 * ACHIM_ENOTMODIFIED for 304, ACHIM_EHTTP for another status or a redirect
 * problem, ACHIM_ETOOBIG past max_bytes, ACHIM_EIO for a transport failure
 * (DNS, refused, reset, timeout, bad encoding); error then says which. */
struct fetch_result {
    const struct fetch_request *req;
    enum achim_code rc;
    int status;           /* last HTTP status, 0 when no answer came */
    const char *error;    /* NULL when rc == ACHIM_OK or ACHIM_ENOTMODIFIED */
    const char *url;      /* the address finally fetched (after redirects) */
    const char *moved_to; /* set when every redirect hop was 301/308 */
    int redirects;        /* hops followed */
    const char *etag;     /* response validators, NULL if absent */
    const char *last_modified;
    const char *content_type; /* with its charset parameter, NULL if absent */
    int64_t retry_after;      /* seconds from Retry-After, -1 if absent */
    const char *body;         /* NUL-terminated; "" when empty */
    size_t len;
    int64_t bytes_wire; /* bytes received on the wire (compressed), all hops */
    long ms;            /* wall time, all hops */
    bool timed_out;
};

/* Called in the caller's thread, once per request, as each one finishes
 * (in completion order, not request order). */
typedef void (*fetch_done_fn)(void *ctx, const struct fetch_result *r);

/* Fetch reqs[0..n) and call done for each. opts NULL means the defaults.
 * Returns ACHIM_OK once every request has been reported (individual failures
 * are reported through done, never here); ACHIM_EINVAL for bad options and
 * ACHIM_ENOMEM/ACHIM_EIO when libcurl itself cannot run, in which case done
 * has been called for no request. */
enum achim_code fetch_run(const struct fetch_request *reqs, size_t n, const struct fetch_opts *opts,
                          fetch_done_fn done, void *ctx, struct err *err);

/* The honest User-Agent: "achim/<version> (+https://github.com/achim-news/achim)". */
const char *fetch_user_agent(void);

/* The version of libcurl and its features, for --version and bug reports
 * (static string). */
const char *fetch_backend_version(void);

#endif
