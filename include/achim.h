/* SPDX-License-Identifier: MIT */
/* achim.h: public contract of libachim — result codes and version.
 *
 * Every fallible libachim function returns enum achim_code and writes a
 * human-readable reason into a caller-owned struct err (see src/base/err.h).
 * The numeric values below never change: scripts may depend on them. */
#ifndef ACHIM_H
#define ACHIM_H

#define ACHIM_VERSION "0.1.0"

enum achim_code {
    ACHIM_OK = 0,
    ACHIM_ENOMEM = 1,       /* out of memory */
    ACHIM_EIO = 2,          /* file or socket I/O failed */
    ACHIM_EHTTP = 3,        /* HTTP transfer failed or bad status */
    ACHIM_ENOTMODIFIED = 4, /* HTTP 304: nothing new */
    ACHIM_ETOOBIG = 5,      /* input over a configured limit */
    ACHIM_EPARSE = 6,       /* input could not be parsed at all */
    ACHIM_EDB = 7,          /* database error */
    ACHIM_ENOTFOUND = 8,    /* lookup found nothing */
    ACHIM_EINVAL = 9,       /* invalid argument or option */
    ACHIM_ESCHEMA = 10,     /* database schema newer than this program */
    ACHIM_EBUSY = 11,       /* resource locked by another process */
};

/* Static English description of a code; never NULL. */
const char *achim_strerror(enum achim_code code);

/* Version string, e.g. "0.1.0". */
const char *achim_version(void);

#endif
