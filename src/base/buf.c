/* SPDX-License-Identifier: MIT */
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
    b->ptr = buf_empty;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_release(struct buf *b)
{
    if (b->cap)
        free(b->ptr);
    size_t max = b->max;
    buf_init(b, max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->cap)
        b->ptr[0] = '\0';
}

char *buf_take(struct buf *b)
{
    char *p = b->cap ? b->ptr : xstrdup("");
    buf_init(b, b->max);
    return p;
}

static void grow(struct buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (b->cap) {
        b->ptr = xrealloc(b->ptr, cap);
    } else {
        b->ptr = xmalloc(cap);
        b->ptr[0] = '\0';
    }
    b->cap = cap;
}

char *buf_room(struct buf *b, size_t extra)
{
    grow(b, extra);
    return b->ptr + b->len;
}

enum achim_code buf_add(struct buf *b, const void *data, size_t len)
{
    if (b->max && (len > b->max || b->len > b->max - len))
        return ACHIM_ETOOBIG;
    if (!len)
        return ACHIM_OK;
    grow(b, len);
    memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return ACHIM_OK;
}

enum achim_code buf_addstr(struct buf *b, const char *s) { return buf_add(b, s, strlen(s)); }

enum achim_code buf_addch(struct buf *b, char c) { return buf_add(b, &c, 1); }

enum achim_code buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof(small), fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return ACHIM_EINVAL;
    if ((size_t)n < sizeof(small))
        return buf_add(b, small, (size_t)n);
    if (b->max && (size_t)n > b->max - b->len)
        return ACHIM_ETOOBIG;
    grow(b, (size_t)n);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return ACHIM_OK;
}

enum achim_code buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum achim_code rc = buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void buf_truncate(struct buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

void buf_rtrim(struct buf *b)
{
    while (b->len && strchr(" \t\r\n\f\v", b->ptr[b->len - 1]))
        b->len--;
    if (b->cap)
        b->ptr[b->len] = '\0';
}
