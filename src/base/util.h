/* SPDX-License-Identifier: MIT */
/* util.h: small string, time and file helpers used everywhere (libc only).
 *
 * Times are int64 seconds since the Unix epoch, always UTC; 0 means
 * "unknown". Nothing here reads the environment or the clock except
 * time_now_real(): callers decide what "now" is. */
#ifndef ACHIM_BASE_UTIL_H
#define ACHIM_BASE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
bool str_eq_ci(const char *a, const char *b); /* ASCII case-insensitive */
bool str_empty(const char *s);                /* NULL or only white space */
/* Trim ASCII white space in place; returns s. */
char *str_trim(char *s);
/* Collapse runs of white space to one space and trim; returns s. */
char *str_squash_space(char *s);

/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into out (>= 21 bytes). */
void time_format_iso(int64_t t, char out[static 21]);
/* Format t as "YYYY-MM-DD" into out (>= 11 bytes). */
void time_format_day(int64_t t, char out[static 11]);
/* Parse "YYYY-MM-DD" to midnight UTC; false if not a valid date. */
bool time_parse_day(const char *s, int64_t *out);
/* Parse "YYYY-MM-DDTHH:MM:SSZ" (or with ±HH:MM offset); false if invalid. */
bool time_parse_iso(const char *s, int64_t *out);
/* Civil date to seconds (UTC); month 1-12. */
int64_t time_from_civil(int year, int month, int day, int hour, int min, int sec);
int64_t time_now_real(void);

/* Read a whole file into b (honouring b->max). */
enum achim_code file_read_all(const char *path, struct buf *b, struct err *err);
/* Write data to path atomically (temp file + rename). */
enum achim_code file_write_atomic(const char *path, const char *data, size_t len,
                                  struct err *err);
/* mkdir -p with mode 0700 for new folders. */
enum achim_code dir_make_all(const char *path, struct err *err);

#endif
