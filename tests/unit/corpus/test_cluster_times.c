/* SPDX-License-Identifier: MIT */
/* test_cluster_times.c: the clustering engine's window on times at the
 * ends of int64_t. `achim cluster` takes any epoch number from its input,
 * so the gap between a document and a story may not fit in an int64_t; it
 * must still count as far outside the window (no signed overflow, which
 * the ASan/UBSan build aborts on and the normal build got wrong). */
#include "../test.h"

#include "corpus/corpus.h"

static const char *const report =
    "Startup Quillon said it raised $40 million in a funding round to pay for hiring.";

/* One report twice: far in the future, then far in the past (a cluster
 * whose members all have times at or below 0 counts its latest time as
 * unknown, so a third report would be measured in documents: left out). */
static void test_far_apart_times(void)
{
    /* their difference is 3 modulo 2^64 */
    const int64_t times[] = {INT64_MAX - 1, INT64_MIN + 1};
    struct cluster_opts o;
    cluster_opts_default(&o);
    for (int agree = 0; agree < 2; agree++) {
        o.name_agree = agree;
        struct cluster_engine *e = cluster_engine_new(&o);
        for (size_t i = 0; i < 2; i++)
            cluster_engine_add(e, NULL, report, times[i], NULL);
        size_t got[2];
        size_t k = cluster_engine_finish(e, got);
        printf("# name_agree %d: %zu clusters: %zu %zu\n", agree, k, got[0], got[1]);
        CHECK_INT(k, 2); /* 2^64 - 3 s apart */
        cluster_engine_free(e);
    }
}

TESTS(TEST(test_far_apart_times))
