/* SPDX-License-Identifier: MIT */
/* xalloc.h: allocation that never returns NULL.
 *
 * achim is an application with a library: running out of memory is not worth
 * a recovery path, so these abort with a message instead. Sizes are checked
 * for overflow. */
#ifndef ACHIM_BASE_XALLOC_H
#define ACHIM_BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* realloc to nmemb*size bytes, aborting on overflow */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
/* aligned_alloc of nmemb*size bytes (a multiple of alignment), aborting on
 * overflow; free() releases it */
void *xaligned_alloc(size_t alignment, size_t nmemb, size_t size);
char *xstrdup(const char *s);            /* NULL gives NULL */
char *xstrndup(const char *s, size_t n); /* copies at most n bytes, NUL-terminates */

/* Grow an array to hold at least `need` elements, doubling; updates *cap. */
#define XGROW(ptr, need, cap)                                                   \
    do {                                                                        \
        if ((size_t)(need) > (cap)) {                                           \
            size_t xg_new = (cap) ? (cap) * 2 : 8;                              \
            while (xg_new < (size_t)(need))                                     \
                xg_new *= 2;                                                    \
            (ptr) = xreallocarray((ptr), xg_new, sizeof(*(ptr)));               \
            (cap) = xg_new;                                                     \
        }                                                                       \
    } while (0)

#endif
