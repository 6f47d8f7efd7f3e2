/* SPDX-License-Identifier: MIT */
/* test_stories.c: persistent story ids (stories.c) on a ":memory:" store —
 * a story is found through the articles linked to it (the most linked id
 * wins, links of later days are ignored), updating keeps first_day, and
 * linking an article again moves it. */
#include "../test.h"

#include <string.h>

#include "store/store_int.h"
#include "unicode61.h"

static struct store *open_with_articles(int64_t *ids, size_t n)
{
    struct err e = ERR_INIT;
    struct store *st = NULL;
    if (store_open_u61(":memory:", &st, &e) != ACHIM_OK) {
        fprintf(stderr, "  store_open: %s\n", e.msg);
        exit(1);
    }
    int64_t src = 0;
    CHECK_INT(store_source_ensure(st, "https://o.example/f", "O", NULL, 0, &src, &e), ACHIM_OK);
    struct feed_doc *doc = feed_doc_new();
    for (size_t i = 0; i < n; i++) {
        struct article *a = feed_doc_add_entry(doc);
        char g[16];
        snprintf(g, sizeof(g), "g%zu", i);
        a->guid = strdup(g);
        a->title = strdup(g);
        a->published = 86400 * 20000 + (int64_t)i;
    }
    CHECK_INT(store_feed_ingest(st, src, 0, doc, 0, NULL, &e), ACHIM_OK);
    feed_doc_free(doc);
    for (size_t i = 0; i < n; i++)
        ids[i] = (int64_t)i + 1;
    return st;
}

static void test_find_put_get(void)
{
    int64_t a[5];
    struct store *st = open_with_articles(a, 5);
    struct err e = ERR_INIT;
    int64_t id = -1, s1 = 0, s2 = 0;
    CHECK_INT(store_story_find(st, a, 5, 100, &id, &e), ACHIM_OK);
    CHECK_INT(id, 0); /* nothing linked yet */
    struct store_story s = {
        .last_day = 100, .state = "new", .title = "one", .articles = 2, .outlets = 1};
    CHECK_INT(store_story_put(st, &s, a, 2, &s1, &e), ACHIM_OK);
    s.title = "two";
    CHECK_INT(store_story_put(st, &s, a + 2, 1, &s2, &e), ACHIM_OK);
    CHECK(s1 > 0 && s2 > 0 && s1 != s2);
    /* two articles point at s1, one at s2: s1 */
    CHECK_INT(store_story_find(st, a, 3, 100, &id, &e), ACHIM_OK);
    CHECK_INT(id, s1);
    /* a tie goes to the lower id */
    CHECK_INT(store_story_find(st, a + 1, 2, 100, &id, &e), ACHIM_OK);
    CHECK_INT(id, s1 < s2 ? s1 : s2);
    /* links made on a later day are not seen from an earlier one */
    CHECK_INT(store_story_find(st, a, 3, 99, &id, &e), ACHIM_OK);
    CHECK_INT(id, 0);
    /* the next day: s1 continues, keeps its first day, takes article 3 over */
    struct store_story u = {.id = s1, .last_day = 101, .state = "continued", .title = "one, later"};
    CHECK_INT(store_story_put(st, &u, a + 2, 2, &id, &e), ACHIM_OK);
    CHECK_INT(id, s1);
    struct store_story got;
    CHECK_INT(store_story_get(st, s1, &got, &e), ACHIM_OK);
    CHECK_INT(got.first_day, 100);
    CHECK_INT(got.last_day, 101);
    CHECK_STR(got.state, "continued");
    CHECK_STR(got.title, "one, later");
    store_story_release(&got);
    CHECK_INT(store_story_find(st, a + 2, 1, 101, &id, &e), ACHIM_OK);
    CHECK_INT(id, s1);
    CHECK(store_story_get(st, 999, &got, &e) == ACHIM_ENOTFOUND);
    store_story_release(&got); /* a released (zeroed) story releases again */
    store_close(st);
}

TESTS(TEST(test_find_put_get))
