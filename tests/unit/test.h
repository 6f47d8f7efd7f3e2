/* SPDX-License-Identifier: MIT */
/* test.h: the unit-test harness (one header, no dependencies).
 *
 * Each test is a function registered in a TESTS() table. Every check that
 * fails prints its file, line and expression; every test prints one line
 * "ok - name" or "not ok - name" (TAP style) that tests/run.sh counts.
 * The binary exits non-zero when any test failed.
 *
 *   static void test_add(void) { CHECK(1 + 1 == 2); CHECK_STR(s, "x"); }
 *   TESTS(TEST(test_add))
 *
 * ACHIM_SHARED (set by tests/run.sh) points at ../shared when present. */
#ifndef ACHIM_TEST_H
#define ACHIM_TEST_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int test_failed_checks;

#define CHECK(expr)                                                                     \
    do {                                                                                \
        if (!(expr)) {                                                                  \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #expr);  \
            test_failed_checks++;                                                       \
        }                                                                               \
    } while (0)

#define CHECK_INT(got, want)                                                            \
    do {                                                                                \
        long long g_ = (long long)(got), w_ = (long long)(want);                        \
        if (g_ != w_) {                                                                 \
            fprintf(stderr, "  %s:%d: %s == %lld, want %lld\n", __FILE__, __LINE__, #got, \
                    g_, w_);                                                            \
            test_failed_checks++;                                                       \
        }                                                                               \
    } while (0)

#define CHECK_STR(got, want)                                                            \
    do {                                                                                \
        const char *g_ = (got), *w_ = (want);                                           \
        if (!g_ || !w_ ? g_ != w_ : strcmp(g_, w_) != 0) {                              \
            fprintf(stderr, "  %s:%d: %s == \"%s\", want \"%s\"\n", __FILE__, __LINE__,  \
                    #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                      \
            test_failed_checks++;                                                       \
        }                                                                               \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                     \
    do {                                                                                \
        const char *h_ = (hay), *n_ = (needle);                                         \
        if (!h_ || !strstr(h_, n_)) {                                                   \
            fprintf(stderr, "  %s:%d: %s does not contain \"%s\"\n", __FILE__, __LINE__,  \
                    #hay, n_);                                                          \
            test_failed_checks++;                                                       \
        }                                                                               \
    } while (0)

struct test_case {
    const char *name;
    void (*fn)(void);
};

#define TEST(fn) {#fn, fn}

#define TESTS(...)                                                                      \
    int main(void)                                                                      \
    {                                                                                   \
        static const struct test_case cases[] = {__VA_ARGS__};                          \
        int passed = 0, failed = 0;                                                     \
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {                 \
            test_failed_checks = 0;                                                     \
            cases[i].fn();                                                              \
            if (test_failed_checks) {                                                   \
                printf("not ok - %s\n", cases[i].name);                                 \
                failed++;                                                               \
            } else {                                                                    \
                printf("ok - %s\n", cases[i].name);                                     \
                passed++;                                                               \
            }                                                                           \
            fflush(stdout);                                                             \
        }                                                                               \
        printf("# %d passed, %d failed\n", passed, failed);                             \
        return failed ? 1 : 0;                                                          \
    }

/* Calls fn(path, name, arg) for every regular file under dir and its
 * subfolders down to max_depth levels; names starting with '.' are
 * skipped. For the tests that read every file of a ../shared folder. */
static inline void test_walk_files(const char *dir, int max_depth,
                                   void (*fn)(const char *path, const char *name, void *arg),
                                   void *arg)
{
    DIR *dh = max_depth >= 0 ? opendir(dir) : NULL;
    if (!dh)
        return;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        int n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        struct stat sb;
        if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            test_walk_files(path, max_depth - 1, fn, arg);
        else if (S_ISREG(sb.st_mode))
            fn(path, de->d_name, arg);
    }
    closedir(dh);
}

/* Path of a file in tests/fixtures (the harness runs from the repo root). */
#define FIXTURE(rel) ("tests/fixtures/" rel)

#endif
