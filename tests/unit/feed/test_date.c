/* SPDX-License-Identifier: MIT */
/* test_date.c: feed_date_parse() against a table of dates seen in feeds.
 *
 * Each row is an input and the expected instant in UTC ("YYYY-MM-DDTHH:MM:SSZ"),
 * or NULL when the input must be rejected. Expected values were computed
 * independently (civil time minus zone offset), not by running the parser. */
#include "../test.h"

#include "base/util.h"
#include "feed/feed.h"

static const struct {
    const char *in;
    const char *want;
} date_cases[] = {
    {"Sat, 31 Jan 2026 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 +0000", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 -0000", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 UT", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 UTC", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 Z", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 +0900", "2026-01-31T05:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 -0500", "2026-01-31T19:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 EST", "2026-01-31T19:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 EDT", "2026-01-31T18:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 CST", "2026-01-31T20:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 CDT", "2026-01-31T19:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 MST", "2026-01-31T21:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 MDT", "2026-01-31T20:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 PST", "2026-01-31T22:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 PDT", "2026-01-31T21:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 A", "2026-01-31T15:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 M", "2026-02-01T02:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 N", "2026-01-31T13:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 Y", "2026-01-31T02:05:00Z"},
    {"Sat, 31 Jan 2026 14:05 GMT", "2026-01-31T14:05:00Z"},
    {"31 Jan 2026 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"Mon, 31 Jan 2026 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 26 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"Sun, 31 Jan 99 14:05:00 GMT", "1999-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00", "2026-01-31T14:05:00Z"},
    {"Sat, 31 January 2026 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"Saturday, 31 January 2026 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 +09:00", "2026-01-31T05:05:00Z"},
    {"Sat,31 Jan 2026 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 GMT+9", "2026-01-31T05:05:00Z"},
    {"Sun, 1 Feb 2026 00:00:00 +0100", "2026-01-31T23:00:00Z"},
    {"sat, 31 jan 2026 14:05:00 gmt", "2026-01-31T14:05:00Z"},
    {"SAT, 31 JAN 2026 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 2:05:00 PM GMT", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 CET", "2026-01-31T13:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 CEST", "2026-01-31T12:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 BST", "2026-01-31T13:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 JST", "2026-01-31T05:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 KST", "2026-01-31T05:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 AEDT", "2026-01-31T03:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 IST", "2026-01-31T08:35:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 +0530", "2026-01-31T08:35:00Z"},
    {"Sat, 31 Jan 2026 14:05:00.123 GMT", "2026-01-31T14:05:00Z"},
    {"Thu, 29 Feb 2024 12:00:00 GMT", "2024-02-29T12:00:00Z"},
    {"Sat, 31 Jan 2026 24:00:00 GMT", "2026-02-01T00:00:00Z"},
    {"Sat, 31 Jan 2026 23:59:60 GMT", "2026-02-01T00:00:00Z"},
    {"31 Jan 2026", "2026-01-31T00:00:00Z"},
    {"Jan 31, 2026", "2026-01-31T00:00:00Z"},
    {"January 31, 2026 2:05 PM EST", "2026-01-31T19:05:00Z"},
    {"January 31st, 2026", "2026-01-31T00:00:00Z"},
    {"Sat Jan 31 14:05:00 2026", "2026-01-31T14:05:00Z"},
    {"Thu Jan  1 14:05:00 2026", "2026-01-01T14:05:00Z"},
    {"Sat Jan 31 14:05:00 UTC 2026", "2026-01-31T14:05:00Z"},
    {"Sat Jan 31 14:05:00 EST 2026", "2026-01-31T19:05:00Z"},
    {"31-Jan-2026 14:05:00", "2026-01-31T14:05:00Z"},
    {"31-Jan-26", "2026-01-31T00:00:00Z"},
    {"2026-Jan-31 14:05", "2026-01-31T14:05:00Z"},
    {"2026-01-31T14:05:00Z", "2026-01-31T14:05:00Z"},
    {"2026-01-31T14:05:00+09:00", "2026-01-31T05:05:00Z"},
    {"2026-01-31T14:05:00-05:00", "2026-01-31T19:05:00Z"},
    {"2026-01-31T14:05:00.123456Z", "2026-01-31T14:05:00Z"},
    {"2026-01-31T14:05:00,5Z", "2026-01-31T14:05:00Z"},
    {"2026-01-31T14:05:00.5+01:00", "2026-01-31T13:05:00Z"},
    {"2026-01-31 14:05:00", "2026-01-31T14:05:00Z"},
    {"2026-01-31 14:05:00Z", "2026-01-31T14:05:00Z"},
    {"2026-01-31 14:05:00 +0900", "2026-01-31T05:05:00Z"},
    {"2026-01-31T14:05Z", "2026-01-31T14:05:00Z"},
    {"2026-01-31T14:05", "2026-01-31T14:05:00Z"},
    {"2026-01-31T14Z", "2026-01-31T14:00:00Z"},
    {"2026-01-31", "2026-01-31T00:00:00Z"},
    {"2026-01", "2026-01-01T00:00:00Z"},
    {"2026", "2026-01-01T00:00:00Z"},
    {"20260131T140500Z", "2026-01-31T14:05:00Z"},
    {"20260131", "2026-01-31T00:00:00Z"},
    {"2026-01-31t14:05:00z", "2026-01-31T14:05:00Z"},
    {"2026-01-31T14:05:00+0900", "2026-01-31T05:05:00Z"},
    {"2026-01-31T14:05:00+09", "2026-01-31T05:05:00Z"},
    {"2026-01-31T14:05:00 UTC", "2026-01-31T14:05:00Z"},
    {"2026-01-31 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"2026-01-31T14:05:00-00:00", "2026-01-31T14:05:00Z"},
    {"2026-031", "2026-01-31T00:00:00Z"},
    {"2026-032", "2026-02-01T00:00:00Z"},
    {"  2026-01-31T14:05:00Z  ", "2026-01-31T14:05:00Z"},
    {"2026-1-31", "2026-01-31T00:00:00Z"},
    {"2026-01-31T23:30:00-10:00", "2026-02-01T09:30:00Z"},
    {"1999-12-31T23:59:59Z", "1999-12-31T23:59:59Z"},
    {"2026-01-31T14:05:00+14:00", "2026-01-31T00:05:00Z"},
    {"2026-01-31T14:05:00−05:00", "2026-01-31T19:05:00Z"},
    {"2026년 1월 31일", "2026-01-30T15:00:00Z"},
    {"2026년 1월 31일 14:05", "2026-01-31T05:05:00Z"},
    {"2026년 1월 31일 오후 2:05", "2026-01-31T05:05:00Z"},
    {"2026년 1월 31일 오전 9시 30분", "2026-01-31T00:30:00Z"},
    {"2026. 1. 31.", "2026-01-31T00:00:00Z"},
    {"2026. 1. 31. 오후 2:05:00", "2026-01-31T05:05:00Z"},
    {"2026-01-31 오후 2:05:00", "2026-01-31T05:05:00Z"},
    {"2026年1月31日", "2026-01-30T15:00:00Z"},
    {"2026年1月31日 14時05分", "2026-01-31T05:05:00Z"},
    {"2026/01/31 14:05", "2026-01-31T14:05:00Z"},
    {"2026/1/31", "2026-01-31T00:00:00Z"},
    {"31. Januar 2026", "2026-01-31T00:00:00Z"},
    {"Sa, 31 Jan 2026 14:05:00 +0100", "2026-01-31T13:05:00Z"},
    {"31. März 2026 14:05", "2026-03-31T14:05:00Z"},
    {"31 Dez 2025", "2025-12-31T00:00:00Z"},
    {"31 janvier 2026", "2026-01-31T00:00:00Z"},
    {"sam., 31 janv. 2026 14:05:00 +0100", "2026-01-31T13:05:00Z"},
    {"mar., 3 févr. 2026", "2026-02-03T00:00:00Z"},
    {"1er février 2026", "2026-02-01T00:00:00Z"},
    {"31 de enero de 2026", "2026-01-31T00:00:00Z"},
    {"sáb, 31 ene 2026 14:05:00 GMT", "2026-01-31T14:05:00Z"},
    {"31 dicembre 2025", "2025-12-31T00:00:00Z"},
    {"31 de dezembro de 2025", "2025-12-31T00:00:00Z"},
    {"31 maart 2026", "2026-03-31T00:00:00Z"},
    {"14h05, 31 janvier 2026", "2026-01-31T14:05:00Z"},
    {"01/31/2026", "2026-01-31T00:00:00Z"},
    {"31/01/2026", "2026-01-31T00:00:00Z"},
    {"31.01.2026", "2026-01-31T00:00:00Z"},
    {"31.01.2026 14:05", "2026-01-31T14:05:00Z"},
    {"1/31/2026 2:05:00 PM", "2026-01-31T14:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 XYZ", "2026-01-31T14:05:00Z"},
    {"Tue, 10 Jun 2003 09:41:01 GMT", "2003-06-10T09:41:01Z"},
    {"Sat, 31 Jan 2026 14:05:00 +0900 (KST)", "2026-01-31T05:05:00Z"},
    {"Sat, 31 Jan 2026 14:05:00 GMT+0900", "2026-01-31T05:05:00Z"},
    {"Sat, 31 Jan 2026 2:05 p.m. EST", "2026-01-31T19:05:00Z"},
    {"Fri, 31 Dec 1999 23:59:59 -0800", "2000-01-01T07:59:59Z"},
    {"", NULL},
    {"not a date", NULL},
    {"2026-02-30", NULL},
    {"2026-13-01", NULL},
    {"Sat, 32 Jan 2026 14:05:00 GMT", NULL},
    {"Sat, 31 Jan 2026 25:05:00 GMT", NULL},
    {"Sat, 31 Foo 2026", NULL},
    {"12:00", NULL},
    {"Sat, 31 Jan 2026 14:61:00 GMT", NULL},
    {"2026-01-31T14:05:00+25:00", NULL},
    {"0000-01-01", NULL},
    {"2026-00-10", NULL},
    {"Sat, 29 Feb 2025 12:00:00 GMT", NULL},
};

static void test_date_table(void)
{
    size_t n = sizeof(date_cases) / sizeof(date_cases[0]);
    CHECK(n >= 100);
    for (size_t i = 0; i < n; i++) {
        int64_t got = 0, want = 0;
        bool ok = feed_date_parse(date_cases[i].in, &got);
        if (!date_cases[i].want) {
            if (ok) {
                char iso[21];
                time_format_iso(got, iso);
                fprintf(stderr, "  case %zu '%s': accepted as %s, want rejection\n", i,
                        date_cases[i].in, iso);
                test_failed_checks++;
            }
            continue;
        }
        CHECK(time_parse_iso(date_cases[i].want, &want));
        if (!ok || got != want) {
            char iso[21] = "(rejected)";
            if (ok)
                time_format_iso(got, iso);
            fprintf(stderr, "  case %zu '%s': got %s, want %s\n", i, date_cases[i].in, iso,
                    date_cases[i].want);
            test_failed_checks++;
        }
    }
}

static void test_date_edges(void)
{
    int64_t t = 42;
    CHECK(!feed_date_parse(NULL, &t));
    CHECK(!feed_date_parse("   ", &t));
    CHECK_INT(t, 42); /* untouched on failure */
    char big[400];
    memset(big, '1', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK(!feed_date_parse(big, &t));
    CHECK(feed_date_parse("1970-01-01T00:00:00Z", &t));
    CHECK_INT(t, 0);
    CHECK(feed_date_parse("1969-12-31T23:59:59Z", &t));
    CHECK_INT(t, -1);
}

/* The exact RFC 822 shape has a fast path; near misses must still go
 * through the general parser and agree with it. */
static void test_rfc822_shapes(void)
{
    int64_t t = 0, want = 1769853600; /* 2026-01-31T10:00:00Z */
    CHECK(feed_date_parse("Sat, 31 Jan 2026 10:00:00 GMT", &t));
    CHECK_INT(t, want);
    CHECK(feed_date_parse("31 Jan 2026 10:00 GMT", &t));
    CHECK_INT(t, want);
    CHECK(feed_date_parse("Sat, 31 Jan 2026 11:00:00 +0100", &t));
    CHECK_INT(t, want);
    CHECK(feed_date_parse("Sat, 31 Jan 2026 05:00:00 EST", &t));
    CHECK_INT(t, want);
    CHECK(feed_date_parse("Sat, 31 Jan 2026 10:00:00 Z", &t));
    CHECK_INT(t, want);
    /* not the exact shape: trailing space, unknown zone, lower-case month,
     * two-digit year, a zone with a colon */
    CHECK(feed_date_parse("Sat, 31 Jan 2026 10:00:00 GMT ", &t));
    CHECK_INT(t, want);
    CHECK(feed_date_parse("Sat, 31 Jan 2026 10:00:00 XYZ", &t));
    CHECK_INT(t, want);
    CHECK(feed_date_parse("Sat, 31 jan 2026 10:00:00 GMT", &t));
    CHECK_INT(t, want);
    CHECK(feed_date_parse("Sat, 31 Jan 26 10:00:00 GMT", &t));
    CHECK_INT(t, want);
    CHECK(feed_date_parse("Sat, 31 Jan 2026 11:00:00 +01:00", &t));
    CHECK_INT(t, want);
    /* invalid in any shape */
    CHECK(!feed_date_parse("Sat, 32 Jan 2026 10:00:00 GMT", &t));
    CHECK(!feed_date_parse("Sat, 29 Feb 2026 10:00:00 GMT", &t));
}

TESTS(TEST(test_date_table), TEST(test_date_edges), TEST(test_rfc822_shapes))
