/* SPDX-License-Identifier: MIT */
/* fault-httpd.c: a small HTTP/1.1 server on 127.0.0.1 that misbehaves on
 * purpose, for the fetch tests.
 *
 *   fault-httpd --portfile FILE [--log FILE] [--lifetime SECS]
 *
 * It listens on an ephemeral port of 127.0.0.1 only (never another
 * address), writes the port to FILE, logs one "METHOD PATH" line per request
 * to --log, and exits after --lifetime seconds (default 120) even if nobody
 * stops it. Each connection is served by a forked child that answers one
 * request and closes; a child lives at most 60 s, so a drip ends even if the
 * client never gives up.
 *
 * Paths (the query string is ignored):
 *   /ok, /ok2          a valid RSS 2.0 feed (two items) with ETag/Last-Modified
 *   /slow              200 and headers, then one byte every 500 ms, forever
 *   /reset             reads the request, then resets the connection (RST)
 *   /reset-mid         headers and half a body, then RST
 *   /endless           200 without Content-Length, bytes as fast as possible
 *   /huge              Content-Length: 1 GiB, then bytes until the client quits
 *   /loop, /loop2      302 to each other
 *   /moved             301 to /ok2;  /temp: 302 to /ok
 *   /ftp               302 to an ftp:// address
 *   /500 /410          that status
 *   /429               429 with Retry-After: 3600 (longer than the back-off)
 *   /503               503 with Retry-After: 120
 *   /charset           Korean UTF-8 feed served as "text/xml; charset=iso-8859-1"
 *   /gzip-bomb         Content-Encoding: gzip, a deflate stream of zeros that
 *                      inflates by ~1000:1 without end
 *   /page              an HTML page announcing /ok with <link rel="alternate">
 *   /article           an HTML article page (for full-text extraction)
 *   /full              a feed whose items are teasers linking to /article */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *log_path;
static int port;

static const char feed_ok[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<rss version=\"2.0\"><channel><title>Fault OK</title><link>http://127.0.0.1/</link>"
    "<description>ok</description>\n"
    "<item><title>GPU supply deal for AI inference</title><link>http://127.0.0.1/a/1</link>"
    "<guid>fault-ok-1</guid><pubDate>Sat, 31 Jan 2026 10:00:00 GMT</pubDate>"
    "<description>A data center operator signed a deal for inference chips.</description></item>\n"
    "<item><title>Regulators review cloud market</title><link>http://127.0.0.1/a/2</link>"
    "<guid>fault-ok-2</guid><pubDate>Sat, 31 Jan 2026 11:00:00 GMT</pubDate>"
    "<description>Competition authorities opened a review of cloud "
    "contracts.</description></item>\n"
    "</channel></rss>\n";

static const char feed_charset[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<rss version=\"2.0\"><channel><title>\xED\x85\x8C\xED\x81\xAC \xEB\x89\xB4\xEC\x8A\xA4</title>"
    "<link>http://127.0.0.1/ko</link><description>ko</description>\n"
    "<item><title>\xEC\x9D\xB8\xEA\xB3\xB5\xEC\xA7\x80\xEB\x8A\xA5 "
    "\xEB\xB0\x98\xEB\x8F\x84\xEC\xB2\xB4"
    " \xED\x88\xAC\xEC\x9E\x90</title><link>http://127.0.0.1/ko/1</link><guid>fault-ko-1</guid>"
    "<pubDate>Sat, 31 Jan 2026 09:00:00 "
    "GMT</pubDate><description>\xEB\xB0\x98\xEB\x8F\x84\xEC\xB2\xB4"
    " \xEC\x84\xA4\xEB\xB9\x84 \xED\x88\xAC\xEC\x9E\x90 "
    "\xED\x99\x95\xEB\x8C\x80</description></item>\n"
    "</channel></rss>\n";

static const char page_html[] =
    "<!DOCTYPE html><html><head><title>A site</title>\n"
    "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Feed\" href=\"/ok\">\n"
    "</head><body><p>Welcome.</p></body></html>\n";

static const char article_html[] =
    "<!DOCTYPE html><html><head><title>Chip deal</title></head><body>\n"
    "<nav class=\"menu\"><a href=\"/\">Home</a> <a href=\"/tech\">Tech</a> <a "
    "href=\"/ai\">AI</a></nav>\n"
    "<div class=\"sidebar\"><a href=\"/x\">Most read</a><a href=\"/y\">Newsletter</a></div>\n"
    "<article class=\"post-content\"><h1>Chip deal</h1>\n"
    "<p>The operator of a large data center network signed a multi-year agreement on Friday to "
    "buy inference accelerators, according to two people familiar with the terms, a deal that "
    "would make it one of the largest buyers of such chips outside the big cloud providers.</p>\n"
    "<p>The agreement covers several hundred megawatts of capacity, the people said, and "
    "deliveries start in the second half of the year, with options to extend the order if "
    "demand from model developers keeps growing at its current pace.</p>\n"
    "<p>Analysts said the purchase reflects a shift in spending from training, which dominated "
    "the last two years, toward serving models to customers, where costs, latency and power "
    "supply now decide who can compete.</p>\n"
    "<script>track('x')</script></article>\n"
    "<footer>Copyright, terms, privacy, cookies, contact, careers, advertising.</footer>\n"
    "</body></html>\n";

static void log_request(const char *method, const char *path)
{
    if (!log_path)
        return;
    FILE *f = fopen(log_path, "a");
    if (!f)
        return;
    fprintf(f, "%s %s\n", method, path);
    fclose(f);
}

static int send_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void send_str(int fd, const char *s)
{
    send_all(fd, s, strlen(s));
}

static void reply(int fd, int status, const char *reason, const char *headers, const char *body)
{
    char head[1024];
    snprintf(head, sizeof(head),
             "HTTP/1.1 %d %s\r\nServer: fault-httpd\r\nConnection: close\r\n%sContent-Length: "
             "%zu\r\n\r\n",
             status, reason, headers ? headers : "", body ? strlen(body) : 0);
    send_str(fd, head);
    if (body)
        send_str(fd, body);
}

static void reset(int fd)
{
    struct linger l = {1, 0}; /* close() now sends RST */
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
    _exit(0);
}

static void msleep(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- a deflate stream of zeros without end ------------------------------- *
 * Fixed-Huffman block: one literal 0, then "length 258, distance 1" over
 * and over (13 bits per 258 zero bytes). */
struct bits {
    unsigned char buf[65536];
    size_t n;
    unsigned acc;
    int nacc;
};

static void put_bits(struct bits *b, unsigned v, int n)
{
    for (int i = 0; i < n; i++) {
        b->acc |= ((v >> i) & 1u) << b->nacc;
        if (++b->nacc == 8) {
            b->buf[b->n++] = (unsigned char)b->acc;
            b->acc = 0;
            b->nacc = 0;
        }
    }
}

static void put_code(struct bits *b, unsigned code, int n) /* Huffman codes go MSB first */
{
    for (int i = n - 1; i >= 0; i--)
        put_bits(b, (code >> i) & 1u, 1);
}

static void gzip_bomb(int fd)
{
    send_str(fd, "HTTP/1.1 200 OK\r\nServer: fault-httpd\r\nConnection: close\r\n"
                 "Content-Type: application/rss+xml\r\nContent-Encoding: gzip\r\n\r\n");
    static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
    if (send_all(fd, hdr, sizeof(hdr)) < 0)
        return;
    struct bits b = {0};
    put_bits(&b, 1, 1);    /* BFINAL */
    put_bits(&b, 1, 2);    /* BTYPE = fixed Huffman */
    put_code(&b, 0x30, 8); /* literal 0 */
    for (;;) {
        while (b.n < sizeof(b.buf) - 4) {
            put_code(&b, 0xC5, 8); /* length code 285 = 258 */
            put_code(&b, 0, 5);    /* distance code 0 = 1 */
        }
        if (send_all(fd, b.buf, b.n) < 0)
            return;
        b.n = 0;
    }
}

static void handle(int fd)
{
    char req[8192];
    size_t len = 0;
    while (len < sizeof(req) - 1) {
        ssize_t n = recv(fd, req + len, sizeof(req) - 1 - len, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
        req[len] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    req[len] = '\0';
    char method[16] = "", path[2048] = "";
    if (sscanf(req, "%15s %2047s", method, path) != 2)
        reset(fd);
    char *q = strchr(path, '?');
    if (q)
        *q = '\0';
    log_request(method, path);
    char hdr[512];

    if (strcmp(path, "/ok") == 0 || strcmp(path, "/ok2") == 0) {
        const char *etag = "\"fault-ok-v1\"";
        if (strstr(req, etag)) {
            send_str(
                fd,
                "HTTP/1.1 304 Not Modified\r\nConnection: close\r\nETag: \"fault-ok-v1\"\r\n\r\n");
            return;
        }
        snprintf(hdr, sizeof(hdr),
                 "Content-Type: application/rss+xml; charset=utf-8\r\nETag: %s\r\n"
                 "Last-Modified: Sat, 31 Jan 2026 12:00:00 GMT\r\n",
                 etag);
        reply(fd, 200, "OK", hdr, feed_ok);
    } else if (strcmp(path, "/full") == 0) {
        char body[2048];
        snprintf(body, sizeof(body),
                 "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Teasers</title>"
                 "<link>http://127.0.0.1:%d/</link><description>t</description>"
                 "<item><title>Chip deal</title><link>http://127.0.0.1:%d/article</link>"
                 "<guid>teaser-1</guid><pubDate>Sat, 31 Jan 2026 10:00:00 GMT</pubDate>"
                 "<description>A deal.</description></item></channel></rss>",
                 port, port);
        reply(fd, 200, "OK", "Content-Type: application/rss+xml\r\n", body);
    } else if (strcmp(path, "/slow") == 0) {
        send_str(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/rss+xml\r\n"
                     "Content-Length: 100000\r\n\r\n<");
        for (;;) {
            msleep(500);
            if (send_all(fd, " ", 1) < 0)
                return;
        }
    } else if (strcmp(path, "/reset") == 0) {
        reset(fd);
    } else if (strcmp(path, "/reset-mid") == 0) {
        send_str(fd,
                 "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/rss+xml\r\n"
                 "Content-Length: 1000\r\n\r\n<?xml version=\"1.0\"?><rss version=\"2.0\"><chan");
        msleep(100);
        reset(fd);
    } else if (strcmp(path, "/endless") == 0 || strcmp(path, "/huge") == 0) {
        if (path[1] == 'e')
            send_str(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: "
                         "application/rss+xml\r\n\r\n");
        else
            send_str(fd,
                     "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/rss+xml\r\n"
                     "Content-Length: 1073741824\r\n\r\n");
        char chunk[65536];
        memset(chunk, 'x', sizeof(chunk));
        while (send_all(fd, chunk, sizeof(chunk)) == 0)
            ;
    } else if (strcmp(path, "/loop") == 0) {
        reply(fd, 302, "Found", "Location: /loop2\r\n", "");
    } else if (strcmp(path, "/loop2") == 0) {
        reply(fd, 302, "Found", "Location: /loop\r\n", "");
    } else if (strcmp(path, "/moved") == 0) {
        reply(fd, 301, "Moved Permanently", "Location: /ok2\r\n", "");
    } else if (strcmp(path, "/temp") == 0) {
        reply(fd, 302, "Found", "Location: /ok\r\n", "");
    } else if (strcmp(path, "/ftp") == 0) {
        reply(fd, 302, "Found", "Location: ftp://127.0.0.1/feed.xml\r\n", "");
    } else if (strcmp(path, "/500") == 0) {
        reply(fd, 500, "Internal Server Error", "Content-Type: text/plain\r\n", "boom\n");
    } else if (strcmp(path, "/410") == 0) {
        reply(fd, 410, "Gone", "Content-Type: text/plain\r\n", "gone\n");
    } else if (strcmp(path, "/429") == 0) {
        reply(fd, 429, "Too Many Requests", "Retry-After: 3600\r\n", "slow down\n");
    } else if (strcmp(path, "/503") == 0) {
        reply(fd, 503, "Service Unavailable", "Retry-After: 120\r\n", "later\n");
    } else if (strcmp(path, "/charset") == 0) {
        reply(fd, 200, "OK", "Content-Type: text/xml; charset=iso-8859-1\r\n", feed_charset);
    } else if (strcmp(path, "/gzip-bomb") == 0) {
        gzip_bomb(fd);
    } else if (strcmp(path, "/page") == 0) {
        reply(fd, 200, "OK", "Content-Type: text/html; charset=utf-8\r\n", page_html);
    } else if (strcmp(path, "/article") == 0) {
        reply(fd, 200, "OK", "Content-Type: text/html; charset=utf-8\r\n", article_html);
    } else {
        reply(fd, 404, "Not Found", "Content-Type: text/plain\r\n", "no such path\n");
    }
}

int main(int argc, char **argv)
{
    const char *portfile = NULL;
    int lifetime = 120;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--portfile") == 0)
            portfile = argv[i + 1];
        else if (strcmp(argv[i], "--log") == 0)
            log_path = argv[i + 1];
        else if (strcmp(argv[i], "--lifetime") == 0)
            lifetime = atoi(argv[i + 1]);
    }
    if (!portfile) {
        fprintf(stderr, "usage: fault-httpd --portfile FILE [--log FILE] [--lifetime SECS]\n");
        return 2;
    }
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* 127.0.0.1 only */
    if (bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(ls, 128) != 0) {
        perror("fault-httpd: bind");
        return 1;
    }
    socklen_t alen = sizeof(a);
    getsockname(ls, (struct sockaddr *)&a, &alen);
    port = ntohs(a.sin_port);
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", portfile);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return 1;
    fprintf(f, "%d\n", port);
    fclose(f);
    rename(tmp, portfile);
    signal(SIGCHLD, SIG_IGN); /* no zombies */
    signal(SIGPIPE, SIG_IGN);
    alarm((unsigned)lifetime);
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(ls);
            alarm(60);
            handle(fd);
            close(fd);
            _exit(0);
        }
        close(fd);
    }
}
