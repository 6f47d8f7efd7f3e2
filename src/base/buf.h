/* SPDX-License-Identifier: MIT */
/* buf.h: growable byte string, always NUL-terminated.
 *
 * A zeroed struct buf (BUF_INIT) is a valid empty string: buf->ptr is then
 * a static "" until the first append. `max` (0 = unlimited) caps the length:
 * an append past it returns ACHIM_ETOOBIG and leaves the buffer unchanged,
 * which is how downloads and rendered output are bounded. */
#ifndef ACHIM_BASE_BUF_H
#define ACHIM_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "achim.h"

struct buf {
    char *ptr;
    size_t len;
    size_t cap; /* 0 while ptr points at the static empty string */
    size_t max;
};

extern char buf_empty[];
#define BUF_INIT {buf_empty, 0, 0, 0}

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);        /* frees; leaves an empty buffer */
void buf_reset(struct buf *b);          /* length 0, keeps memory */
char *buf_take(struct buf *b);          /* caller frees with free(); buffer becomes empty */
enum achim_code buf_add(struct buf *b, const void *data, size_t len);
enum achim_code buf_addstr(struct buf *b, const char *s);
enum achim_code buf_addch(struct buf *b, char c);
enum achim_code buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum achim_code buf_vaddf(struct buf *b, const char *fmt, va_list ap);
void buf_truncate(struct buf *b, size_t len);
/* Room for extra more bytes and the NUL at once; returns b->ptr + b->len.
 * For writers that fill the space themselves and then raise b->len: `max`
 * is not checked here, the caller keeps its own bound. */
char *buf_room(struct buf *b, size_t extra);
void buf_rtrim(struct buf *b); /* drop trailing ASCII white space */

#endif
