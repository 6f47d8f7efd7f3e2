/* SPDX-License-Identifier: MIT */
#include "../test.h"

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

static void test_buf_append_and_max(void)
{
    struct buf b = BUF_INIT;
    CHECK_STR(b.ptr, "");
    CHECK_INT(buf_addstr(&b, "morning"), ACHIM_OK);
    CHECK_INT(buf_addf(&b, " %d %s", 7, "am"), ACHIM_OK);
    CHECK_STR(b.ptr, "morning 7 am");
    buf_release(&b);

    struct buf capped;
    buf_init(&capped, 4);
    CHECK_INT(buf_addstr(&capped, "abc"), ACHIM_OK);
    CHECK_INT(buf_addstr(&capped, "de"), ACHIM_ETOOBIG);
    CHECK_STR(capped.ptr, "abc");
    buf_release(&capped);
}

static void test_buf_long_format(void)
{
    struct buf b = BUF_INIT;
    char big[1000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK_INT(buf_addf(&b, "<%s>", big), ACHIM_OK);
    CHECK_INT(b.len, 1001);
    CHECK(b.ptr[0] == '<' && b.ptr[1000] == '>');
    char *taken = buf_take(&b);
    CHECK_INT(strlen(taken), 1001);
    free(taken);
    CHECK_INT(b.len, 0);
}

static void test_time_roundtrip(void)
{
    int64_t t;
    CHECK(time_parse_day("2026-02-01", &t));
    CHECK_INT(t, 1769904000);
    char iso[21];
    time_format_iso(t, iso);
    CHECK_STR(iso, "2026-02-01T00:00:00Z");
    CHECK(!time_parse_day("2026-02-30", &t));
    CHECK(!time_parse_day("2026-2-1", &t));
    CHECK(time_parse_day("2024-02-29", &t));
    CHECK(time_parse_iso("2026-01-31T23:30:00+09:00", &t));
    time_format_iso(t, iso);
    CHECK_STR(iso, "2026-01-31T14:30:00Z");
    CHECK(time_parse_iso("2026-01-31T23:30:00.250Z", &t));
    CHECK(!time_parse_iso("2026-01-31 23:30", &t));
}

static void test_strings(void)
{
    char s[] = "  a \t b\n\n c  ";
    CHECK_STR(str_squash_space(s), "a b c");
    char t[] = "\t x y \n";
    CHECK_STR(str_trim(t), "x y");
    CHECK(str_eq_ci("OpenAI", "openai"));
    CHECK(!str_eq_ci("OpenAI", "openai2"));
    CHECK(str_starts_with("https://x", "https://"));
    CHECK(str_ends_with("feed.xml", ".xml"));
    CHECK(str_empty("  \n"));
    CHECK(!str_empty(" a "));
}

static void test_err(void)
{
    struct err e = ERR_INIT;
    CHECK_INT(err_set(&e, ACHIM_EPARSE, "no <%s> in '%s'", "channel", "a.xml"), ACHIM_EPARSE);
    CHECK_STR(e.msg, "no <channel> in 'a.xml'");
    err_prefix(&e, "ingest");
    CHECK_STR(e.msg, "ingest: no <channel> in 'a.xml'");
    CHECK_INT(err_set(NULL, ACHIM_EIO, "ignored"), ACHIM_EIO);
    CHECK_STR(achim_strerror(ACHIM_ESCHEMA), "database schema too new");
}

TESTS(TEST(test_buf_append_and_max), TEST(test_buf_long_format), TEST(test_time_roundtrip),
      TEST(test_strings), TEST(test_err))
