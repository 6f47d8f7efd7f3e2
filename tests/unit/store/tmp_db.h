/* SPDX-License-Identifier: MIT */
/* tmp_db.h: temporary database files for the store tests (include after
 * ../test.h). */
#ifndef ACHIM_TEST_STORE_TMP_DB_H
#define ACHIM_TEST_STORE_TMP_DB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A fresh temporary file path; the empty file exists until tmp_remove(). */
static inline void tmp_path(char out[64])
{
    snprintf(out, 64, "/tmp/achim-store-XXXXXX");
    int fd = mkstemp(out);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
}

/* The store at path and its WAL side files. */
static inline void tmp_remove(const char *path)
{
    char side[80];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

#endif
