/* SPDX-License-Identifier: MIT */
/* test_deliver.c: SMTP delivery's argument checks and failure reporting.
 * Real delivery to a server on 127.0.0.1 is tested end to end
 * (tests/e2e/t4003-brief-send.sh, t4005-brief-send-tls.sh with Debian's
 * aiosmtpd and TLS). */
#include "../test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deliver/deliver.h"

static void test_bare_address(void)
{
    char a[64];
    CHECK(deliver_bare_address("achim <brief@news.example>", a, sizeof(a)));
    CHECK_STR(a, "brief@news.example");
    CHECK(deliver_bare_address("  r@example.org ", a, sizeof(a)));
    CHECK_STR(a, "r@example.org");
    CHECK(deliver_bare_address("\"Doe, J\" <j@x.example>", a, sizeof(a)));
    CHECK_STR(a, "j@x.example");
    CHECK(!deliver_bare_address("no address here", a, sizeof(a)));
    CHECK(!deliver_bare_address("a@b\r\nRCPT TO:<x@y>", a, sizeof(a)));
    CHECK(!deliver_bare_address("<>", a, sizeof(a)));
    CHECK(!deliver_bare_address(NULL, a, sizeof(a)));
    CHECK(!deliver_bare_address("very-long-address@example.org", a, 8));
}

static void test_bad_options(void)
{
    const char *to[] = {"r@example.org"};
    struct deliver_smtp d = {0};
    struct err e = ERR_INIT;
    d.url = "http://127.0.0.1:25";
    d.from = "a@example.org";
    d.to = to;
    d.nto = 1;
    CHECK_INT(deliver_smtp_send(&d, "x", 1, &e), ACHIM_EINVAL);
    CHECK_CONTAINS(e.msg, "not an smtp://");
    d.url = "smtp://127.0.0.1:1";
    d.from = "nobody";
    CHECK_INT(deliver_smtp_send(&d, "x", 1, &e), ACHIM_EINVAL);
    d.from = "a@example.org";
    d.nto = 0;
    CHECK_INT(deliver_smtp_send(&d, "x", 1, &e), ACHIM_EINVAL);
    const char *bad[] = {"r@example.org", "x\r\ny"};
    d.to = bad;
    d.nto = 2;
    CHECK_INT(deliver_smtp_send(&d, "x", 1, &e), ACHIM_EINVAL);
}

static void test_refused_connection(void)
{
    /* a port that was just free: nobody listens there */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sa);
    CHECK(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    CHECK(getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
    close(fd);
    char url[64];
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", ntohs(sa.sin_port));
    const char *to[] = {"r@example.org"};
    struct deliver_smtp d = {0};
    d.url = url;
    d.from = "a@example.org";
    d.to = to;
    d.nto = 1;
    d.timeout_seconds = 5;
    struct err e = ERR_INIT;
    const char msg[] = "Subject: x\r\n\r\nbody\r\n";
    CHECK_INT(deliver_smtp_send(&d, msg, sizeof(msg) - 1, &e), ACHIM_EIO);
    CHECK_CONTAINS(e.msg, url);
}

/* A one-connection SMTP server in a child process that speaks in clear and
 * offers no STARTTLS: it greets, answers EHLO, and closes on anything else. */
static pid_t plain_server(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sa);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 1) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
        return -1;
    *port = ntohs(sa.sin_port);
    pid_t pid = fork();
    if (pid != 0) {
        close(fd);
        return pid;
    }
    int c = accept(fd, NULL, NULL);
    const char greet[] = "220 test ESMTP\r\n", ehlo[] = "250-test\r\n250 8BITMIME\r\n";
    char buf[512];
    if (c >= 0 && write(c, greet, sizeof(greet) - 1) > 0) {
        ssize_t n = read(c, buf, sizeof(buf) - 1);
        if (n > 4 && memcmp(buf, "EHLO", 4) == 0 && write(c, ehlo, sizeof(ehlo) - 1) > 0)
            (void)read(c, buf, sizeof(buf) - 1);
    }
    _exit(0);
}

static void test_tls_failures_are_named(void)
{
    const char *to[] = {"r@example.org"};
    const char msg[] = "Subject: x\r\n\r\nbody\r\n";
    char url[64];
    struct err e = ERR_INIT;
    int port = 0;
    /* STARTTLS required, the server does not offer it */
    pid_t pid = plain_server(&port);
    CHECK(pid > 0);
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", port);
    struct deliver_smtp d = {.url = url,
                             .from = "a@example.org",
                             .to = to,
                             .nto = 1,
                             .tls = DELIVER_TLS_STARTTLS,
                             .timeout_seconds = 10};
    CHECK_INT(deliver_smtp_send(&d, msg, sizeof(msg) - 1, &e), ACHIM_EIO);
    CHECK_CONTAINS(e.msg, "does not offer STARTTLS");
    waitpid(pid, NULL, 0);
    /* smtps:// to a server in clear: no TLS session */
    pid = plain_server(&port);
    CHECK(pid > 0);
    snprintf(url, sizeof(url), "smtps://127.0.0.1:%d", port);
    d.tls = DELIVER_TLS_AUTO;
    CHECK_INT(deliver_smtp_send(&d, msg, sizeof(msg) - 1, &e), ACHIM_EIO);
    CHECK_CONTAINS(e.msg, url);
    CHECK_CONTAINS(e.msg, "TLS");
    waitpid(pid, NULL, 0);
}

TESTS(TEST(test_bare_address), TEST(test_bad_options), TEST(test_refused_connection),
      TEST(test_tls_failures_are_named))
