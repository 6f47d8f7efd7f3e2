/* SPDX-License-Identifier: MIT */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const code_names[] = {
    [ACHIM_OK] = "success",
    [ACHIM_ENOMEM] = "out of memory",
    [ACHIM_EIO] = "input/output error",
    [ACHIM_EHTTP] = "http error",
    [ACHIM_ENOTMODIFIED] = "not modified",
    [ACHIM_ETOOBIG] = "input too large",
    [ACHIM_EPARSE] = "parse error",
    [ACHIM_EDB] = "database error",
    [ACHIM_ENOTFOUND] = "not found",
    [ACHIM_EINVAL] = "invalid argument",
    [ACHIM_ESCHEMA] = "database schema too new",
    [ACHIM_EBUSY] = "resource busy",
};

const char *achim_strerror(enum achim_code code)
{
    if ((unsigned)code < sizeof(code_names) / sizeof(code_names[0]) && code_names[code])
        return code_names[code];
    return "unknown error";
}

const char *achim_version(void) { return ACHIM_VERSION; }

enum achim_code err_set(struct err *err, enum achim_code code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

enum achim_code err_set_errno(struct err *err, enum achim_code code, int errnum,
                              const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
        err->code = code;
    }
    return code;
}

void err_prefix(struct err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char head[256], old[sizeof(err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof(head), fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof(old));
    /* a message too long for err->msg loses its tail, on purpose */
    if (snprintf(err->msg, sizeof(err->msg), "%s: %s", head, old) < 0)
        err->msg[0] = '\0';
}

void err_clear(struct err *err)
{
    if (err) {
        err->code = ACHIM_OK;
        err->msg[0] = '\0';
    }
}
