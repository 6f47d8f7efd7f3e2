/* SPDX-License-Identifier: MIT */
#include "base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(size_t size)
{
    fprintf(stderr, "achim: fatal: out of memory allocating %zu bytes\n", size);
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        die_oom(size);
    return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        die_oom(nmemb * size);
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        die_oom(size);
    return p;
}

/* nmemb * size, or a fatal error when it does not fit in a size_t. */
static size_t array_bytes(size_t nmemb, size_t size)
{
    if (size && nmemb > (size_t)-1 / size) {
        fprintf(stderr, "achim: fatal: allocation size overflow\n");
        abort();
    }
    return nmemb * size;
}

void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
    return xrealloc(ptr, array_bytes(nmemb, size));
}

void *xaligned_alloc(size_t alignment, size_t nmemb, size_t size)
{
    size_t bytes = array_bytes(nmemb, size);
    void *p = aligned_alloc(alignment, bytes ? bytes : alignment);
    if (!p)
        die_oom(bytes);
    return p;
}

char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    size_t len = strnlen(s, n);
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
