/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool str_eq_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

bool str_empty(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

char *str_trim(char *s)
{
    size_t n = strlen(s), i = 0;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, n - i);
    s[n - i] = '\0';
    return s;
}

char *str_squash_space(char *s)
{
    char *w = s;
    bool space = true; /* drops leading space */
    for (const char *r = s; *r; r++) {
        if (isspace((unsigned char)*r)) {
            if (!space)
                *w++ = ' ';
            space = true;
        } else {
            *w++ = *r;
            space = false;
        }
    }
    if (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
    return s;
}

void time_format_iso(int64_t t, char out[static 21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
        memcpy(out, "0000-00-00T00:00:00Z", 21);
        return;
    }
    /* every field is in range (gmtime_r, and the year checked above), so
     * the 20 characters always fit */
    if (snprintf(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec) < 0)
        memcpy(out, "0000-00-00T00:00:00Z", 21);
}

void time_format_day(int64_t t, char out[static 11])
{
    char iso[21];
    time_format_iso(t, iso);
    memcpy(out, iso, 10);
    out[10] = '\0';
}

/* Days from civil (Howard Hinnant's algorithm): exact for the proleptic
 * Gregorian calendar, no libc time zone state involved. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int64_t time_from_civil(int year, int month, int day, int hour, int min, int sec)
{
    return days_from_civil(year, (unsigned)month, (unsigned)day) * 86400 + hour * 3600 +
           min * 60 + sec;
}

static bool valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}

bool time_parse_day(const char *s, int64_t *out)
{
    int y, m, d, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
        return false;
    if (!valid_date(y, m, d))
        return false;
    *out = time_from_civil(y, m, d, 0, 0, 0);
    return true;
}

bool time_parse_iso(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6)
        return false;
    if (!valid_date(y, mo, d) || h > 23 || mi > 59 || se > 60)
        return false;
    const char *p = s + n;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    int64_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, k = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2)
            return false;
        off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 1 + k;
    } else {
        return false;
    }
    if (*p)
        return false;
    *out = time_from_civil(y, mo, d, h, mi, se) - off;
    return true;
}

int64_t time_now_real(void) { return (int64_t)time(NULL); }

enum achim_code file_read_all(const char *path, struct buf *b, struct err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set_errno(err, ACHIM_EIO, errno, "cannot open '%s'", path);
    enum achim_code rc = ACHIM_OK;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = err_set_errno(err, ACHIM_EIO, errno, "cannot read '%s'", path);
            break;
        }
        if (n == 0)
            break;
        if (buf_add(b, chunk, (size_t)n) != ACHIM_OK) {
            rc = err_set(err, ACHIM_ETOOBIG, "'%s' is larger than %zu bytes", path, b->max);
            break;
        }
    }
    close(fd);
    return rc;
}

enum achim_code file_write_atomic(const char *path, const char *data, size_t len,
                                  struct err *err)
{
    struct buf tmp = BUF_INIT;
    buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    enum achim_code rc = ACHIM_OK;
    int fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = err_set_errno(err, ACHIM_EIO, errno, "cannot create '%s'", tmp.ptr);
        goto out;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = err_set_errno(err, ACHIM_EIO, errno, "cannot write '%s'", tmp.ptr);
            break;
        }
        off += (size_t)n;
    }
    if (close(fd) != 0 && rc == ACHIM_OK)
        rc = err_set_errno(err, ACHIM_EIO, errno, "cannot write '%s'", tmp.ptr);
    if (rc == ACHIM_OK && rename(tmp.ptr, path) != 0)
        rc = err_set_errno(err, ACHIM_EIO, errno, "cannot rename to '%s'", path);
    if (rc != ACHIM_OK)
        unlink(tmp.ptr);
out:
    buf_release(&tmp);
    return rc;
}

enum achim_code dir_make_all(const char *path, struct err *err)
{
    char *p = strdup(path);
    if (!p)
        return err_set(err, ACHIM_ENOMEM, "out of memory");
    enum achim_code rc = ACHIM_OK;
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char save = *s;
            *s = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST) {
                rc = err_set_errno(err, ACHIM_EIO, errno, "cannot create folder '%s'", p);
                break;
            }
            *s = save;
            if (!save)
                break;
        }
    }
    free(p);
    return rc;
}
