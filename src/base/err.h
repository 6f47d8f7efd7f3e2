/* SPDX-License-Identifier: MIT */
/* err.h: error details carried beside an enum achim_code.
 *
 * The caller owns a struct err (usually on the stack) and passes a pointer
 * as the last argument; NULL is allowed and discards the text. err_set()
 * returns the code so failures read `return err_set(err, ACHIM_EPARSE, ...)`.
 * Messages are lowercase, without a final full stop. */
#ifndef ACHIM_BASE_ERR_H
#define ACHIM_BASE_ERR_H

#include "achim.h"

struct err {
    enum achim_code code;
    char msg[512];
};

#define ERR_INIT {ACHIM_OK, {0}}

/* Record code and a printf-style message; returns code. */
enum achim_code err_set(struct err *err, enum achim_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like err_set, appending ": strerror(errnum)". */
enum achim_code err_set_errno(struct err *err, enum achim_code code, int errnum,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Prefix an existing message with more context ("ingest 'a.xml': <old>"). */
void err_prefix(struct err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void err_clear(struct err *err);

#endif
