/* SPDX-License-Identifier: MIT */
/* test_fetch.c: fetch_run() against a canned-reply server in a thread on
 * 127.0.0.1 — status mapping, conditional GET headers, redirect
 * classification, the body cap, per-host politeness and bad input. No
 * other address is ever contacted. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../test.h"
#include "base/xalloc.h"
#include "fetch/fetch.h"

/* ---- a canned-reply server ------------------------------------------------ */

struct route {
    const char *path;
    const char *reply; /* whole response; %d is replaced by the port */
};

static const struct route routes[] = {
    {"/feed", "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
              "ETag: \"v1\"\r\nLast-Modified: Sat, 31 Jan 2026 12:00:00 GMT\r\n"
              "Content-Length: 5\r\nConnection: close\r\n\r\nhello"},
    {"/cond", "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n"},
    {"/perm",
     "HTTP/1.1 301 Moved\r\nLocation: /perm2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
    {"/perm2",
     "HTTP/1.1 308 Moved\r\nLocation: /feed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
    {"/mixed",
     "HTTP/1.1 301 Moved\r\nLocation: /temp\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
    {"/temp",
     "HTTP/1.1 302 Found\r\nLocation: /feed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
    {"/big", "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\nConnection: close\r\n\r\n"},
    {"/429",
     "HTTP/1.1 429 Too Many\r\nRetry-After: 77\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
    {NULL, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
};

static int srv_fd, srv_port;
static char last_request[4096];
static int max_concurrent, concurrent;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *serve_one(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char req[4096];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof(req) - 1 && (n = recv(fd, req + len, sizeof(req) - 1 - len, 0)) > 0) {
        len += (size_t)n;
        req[len] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    req[len] = '\0';
    pthread_mutex_lock(&mu);
    snprintf(last_request, sizeof(last_request), "%s", req);
    if (++concurrent > max_concurrent)
        max_concurrent = concurrent;
    pthread_mutex_unlock(&mu);
    char path[256] = "";
    sscanf(req, "%*s %255s", path);
    const struct route *r = routes;
    while (r->path && strcmp(r->path, path) != 0)
        r++;
    struct timespec ts = {0, 30 * 1000000L}; /* hold the connection a moment */
    nanosleep(&ts, NULL);
    /* the request is finished before the reply leaves: once the client has
     * read it, it may open the next connection while this thread is still
     * descheduled, which must not count as a third transfer in flight */
    pthread_mutex_lock(&mu);
    concurrent--;
    pthread_mutex_unlock(&mu);
    (void)!write(fd, r->reply, strlen(r->reply));
    if (r->path && strcmp(r->path, "/big") == 0) {
        char chunk[4096];
        memset(chunk, 'x', sizeof(chunk));
        (void)!write(fd, chunk, sizeof(chunk));
    }
    close(fd);
    return NULL;
}

static void *serve(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(srv_fd, NULL, NULL);
        if (fd < 0)
            return NULL;
        pthread_t t;
        pthread_create(&t, NULL, serve_one, (void *)(intptr_t)fd);
        pthread_detach(t);
    }
}

static void server_start(void)
{
    srv_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(srv_fd, (struct sockaddr *)&a, sizeof(a));
    listen(srv_fd, 64);
    socklen_t l = sizeof(a);
    getsockname(srv_fd, (struct sockaddr *)&a, &l);
    srv_port = ntohs(a.sin_port);
    pthread_t t;
    pthread_create(&t, NULL, serve, NULL);
    pthread_detach(t);
}

/* ---- collecting results --------------------------------------------------- */

struct got {
    enum achim_code rc;
    int status, redirects;
    char body[64], etag[64], lm[64], ctype[128], moved_to[256], url[256], error[256];
    int64_t retry_after;
    size_t len;
    int calls;
};

static void copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

static void on_done(void *ctx, const struct fetch_result *r)
{
    struct got *g = (struct got *)r->req->user;
    (void)ctx;
    g->calls++;
    g->rc = r->rc;
    g->status = r->status;
    g->redirects = r->redirects;
    g->retry_after = r->retry_after;
    g->len = r->len;
    copy(g->body, sizeof(g->body), r->body);
    copy(g->etag, sizeof(g->etag), r->etag);
    copy(g->lm, sizeof(g->lm), r->last_modified);
    copy(g->ctype, sizeof(g->ctype), r->content_type);
    copy(g->moved_to, sizeof(g->moved_to), r->moved_to);
    copy(g->url, sizeof(g->url), r->url);
    copy(g->error, sizeof(g->error), r->error);
}

static char *url(const char *path)
{
    char *u = xmalloc(128);
    snprintf(u, 128, "http://127.0.0.1:%d%s", srv_port, path);
    return u;
}

static void fetch_one(const char *path, const char *etag, const char *lm,
                      const struct fetch_opts *o, struct got *g)
{
    memset(g, 0, sizeof(*g));
    char *u = url(path);
    struct fetch_request req = {.url = u, .etag = etag, .last_modified = lm, .user = g};
    CHECK_INT(fetch_run(&req, 1, o, on_done, NULL, NULL), ACHIM_OK);
    CHECK_INT(g->calls, 1);
    free(u);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_ok_and_validators(void)
{
    struct got g;
    fetch_one("/feed", NULL, NULL, NULL, &g);
    CHECK_INT(g.rc, ACHIM_OK);
    CHECK_INT(g.status, 200);
    CHECK_STR(g.body, "hello");
    CHECK_INT(g.len, 5);
    CHECK_STR(g.etag, "\"v1\"");
    CHECK_STR(g.lm, "Sat, 31 Jan 2026 12:00:00 GMT");
    CHECK_STR(g.ctype, "application/rss+xml; charset=utf-8");
    CHECK_STR(g.moved_to, "");
    CHECK_CONTAINS(last_request, "User-Agent: achim/" ACHIM_VERSION " (+https://");
    CHECK_CONTAINS(last_request, "Accept-Encoding: ");
    CHECK(!strstr(last_request, "If-None-Match"));
}

static void test_conditional_get(void)
{
    struct got g;
    fetch_one("/cond", "\"v1\"", "Sat, 31 Jan 2026 12:00:00 GMT", NULL, &g);
    CHECK_INT(g.rc, ACHIM_ENOTMODIFIED);
    CHECK_INT(g.status, 304);
    CHECK_STR(g.error, "");
    CHECK_CONTAINS(last_request, "If-None-Match: \"v1\"");
    CHECK_CONTAINS(last_request, "If-Modified-Since: Sat, 31 Jan 2026 12:00:00 GMT");
}

static void test_redirects(void)
{
    struct got g;
    fetch_one("/perm", NULL, NULL, NULL, &g);
    CHECK_INT(g.rc, ACHIM_OK);
    CHECK_INT(g.redirects, 2);
    char *want = url("/feed");
    CHECK_STR(g.moved_to, want); /* 301 then 308: permanent all the way */
    CHECK_STR(g.url, want);
    fetch_one("/mixed", NULL, NULL, NULL, &g);
    CHECK_INT(g.rc, ACHIM_OK);
    CHECK_STR(g.moved_to, ""); /* a 302 in the chain: not a move */
    CHECK_STR(g.url, want);
    free(want);

    struct fetch_opts o;
    fetch_opts_default(&o);
    o.max_redirects = 1;
    fetch_one("/perm", NULL, NULL, &o, &g);
    CHECK_INT(g.rc, ACHIM_EHTTP);
    CHECK_CONTAINS(g.error, "too many redirects");
}

static void test_cap_and_status(void)
{
    struct fetch_opts o;
    fetch_opts_default(&o);
    o.max_bytes = 1000;
    struct got g;
    fetch_one("/big", NULL, NULL, &o, &g);
    CHECK_INT(g.rc, ACHIM_ETOOBIG);
    CHECK(g.len <= 1000);
    fetch_one("/429", NULL, NULL, NULL, &g);
    CHECK_INT(g.rc, ACHIM_EHTTP);
    CHECK_INT(g.status, 429);
    CHECK_INT(g.retry_after, 77);
    fetch_one("/nowhere", NULL, NULL, NULL, &g);
    CHECK_INT(g.rc, ACHIM_EHTTP);
    CHECK_INT(g.status, 404);
    CHECK_INT(g.retry_after, -1);
}

static void test_per_host_limit(void)
{
    struct fetch_opts o;
    fetch_opts_default(&o);
    o.jobs = 8;
    o.per_host = 2;
    struct got g[8];
    struct fetch_request reqs[8];
    char *u = url("/feed");
    for (int i = 0; i < 8; i++)
        reqs[i] = (struct fetch_request){.url = u, .user = &g[i]};
    memset(g, 0, sizeof(g));
    max_concurrent = 0;
    CHECK_INT(fetch_run(reqs, 8, &o, on_done, NULL, NULL), ACHIM_OK);
    for (int i = 0; i < 8; i++)
        CHECK_INT(g[i].rc, ACHIM_OK);
    CHECK(max_concurrent <= 2);
    CHECK(max_concurrent >= 1);

    o.per_host = 8;
    max_concurrent = 0;
    memset(g, 0, sizeof(g));
    CHECK_INT(fetch_run(reqs, 8, &o, on_done, NULL, NULL), ACHIM_OK);
    CHECK(max_concurrent > 2); /* the limit, not the server, held it at 2 */
    free(u);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_host_delay(void)
{
    /* three requests to one host 150 ms apart take at least 300 ms, even
     * with slots to spare; without the delay they overlap */
    struct fetch_opts o;
    fetch_opts_default(&o);
    o.jobs = 8;
    o.per_host = 8;
    o.host_delay_ms = 150;
    struct got g[3];
    struct fetch_request reqs[3];
    char *u = url("/feed");
    for (int i = 0; i < 3; i++)
        reqs[i] = (struct fetch_request){.url = u, .user = &g[i]};
    memset(g, 0, sizeof(g));
    int64_t t0 = mono_ms();
    CHECK_INT(fetch_run(reqs, 3, &o, on_done, NULL, NULL), ACHIM_OK);
    int64_t slow = mono_ms() - t0;
    CHECK(slow >= 300);
    for (int i = 0; i < 3; i++)
        CHECK_INT(g[i].rc, ACHIM_OK);
    o.host_delay_ms = 0;
    t0 = mono_ms();
    CHECK_INT(fetch_run(reqs, 3, &o, on_done, NULL, NULL), ACHIM_OK);
    CHECK(mono_ms() - t0 < slow);
    free(u);
}

static void test_bad_input(void)
{
    struct got g1 = {0}, g2 = {0}, g3 = {0};
    struct fetch_request reqs[3] = {
        {.url = "ftp://127.0.0.1/feed", .user = &g1},
        {.url = "file:///etc/passwd", .user = &g2},
        {.url = "not a url", .user = &g3},
    };
    CHECK_INT(fetch_run(reqs, 3, NULL, on_done, NULL, NULL), ACHIM_OK);
    CHECK_INT(g1.rc, ACHIM_EINVAL);
    CHECK_INT(g2.rc, ACHIM_EINVAL);
    CHECK_INT(g3.rc, ACHIM_EINVAL);
    CHECK_INT(g1.calls + g2.calls + g3.calls, 3);

    struct fetch_opts o;
    fetch_opts_default(&o);
    o.jobs = 0;
    struct err e = ERR_INIT;
    CHECK_INT(fetch_run(reqs, 3, &o, on_done, NULL, &e), ACHIM_EINVAL);
    CHECK_INT(fetch_run(NULL, 0, NULL, on_done, NULL, NULL), ACHIM_OK);
}

static void test_refused_is_io(void)
{
    /* a port nobody listens on: bind, read the port, close */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr *)&a, sizeof(a));
    socklen_t l = sizeof(a);
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    char u[64];
    snprintf(u, sizeof(u), "http://127.0.0.1:%d/", ntohs(a.sin_port));
    struct got g = {0};
    struct fetch_request req = {.url = u, .user = &g};
    CHECK_INT(fetch_run(&req, 1, NULL, on_done, NULL, NULL), ACHIM_OK);
    CHECK_INT(g.rc, ACHIM_EIO);
    CHECK_INT(g.status, 0);
    CHECK(g.error[0] != '\0');
}

static void test_user_agent(void)
{
    CHECK_STR(fetch_user_agent(), "achim/" ACHIM_VERSION " (+https://github.com/achim-news/achim)");
    struct fetch_opts o;
    fetch_opts_default(&o);
    CHECK_INT(o.max_bytes, FETCH_MAX_BYTES_DEFAULT);
    CHECK(o.jobs > 0 && o.per_host > 0 && o.timeout_ms > 0);
}

static void test_server_starts(void)
{
    server_start();
    CHECK(srv_port > 0);
}

TESTS(TEST(test_server_starts), TEST(test_user_agent), TEST(test_ok_and_validators),
      TEST(test_conditional_get), TEST(test_redirects), TEST(test_cap_and_status),
      TEST(test_per_host_limit), TEST(test_host_delay), TEST(test_bad_input),
      TEST(test_refused_is_io))
