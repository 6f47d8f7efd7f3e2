/* SPDX-License-Identifier: MIT */
/* app_test.h: set-up shared by the app module's unit tests. */
#ifndef ACHIM_TEST_APP_TEST_H
#define ACHIM_TEST_APP_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "app/app.h"

/* A fresh in-memory store opened as the app opens one (its tokenizer and
 * functions registered); the test stops if that fails. */
static struct store *open_mem(void)
{
    struct err e = ERR_INIT;
    struct store *st = NULL;
    if (app_store_open(":memory:", &st, &e) != ACHIM_OK) {
        fprintf(stderr, "  app_store_open: %s\n", e.msg);
        exit(1);
    }
    return st;
}

#endif
