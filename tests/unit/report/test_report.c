/* SPDX-License-Identifier: MIT */
#include "../test.h"

#include "base/util.h"
#include "base/xalloc.h"
#include "report/report.h"

static void make_brief(struct briefing *b)
{
    briefing_init(b);
    b->lang = xstrdup("en");
    time_parse_day("2026-02-01", &b->date);
    b->window_to = b->date + 6 * 3600;
    b->window_from = b->window_to - 86400;
    b->headline = xstrdup("Top story: *chips* [and] <deals>.");
    struct article a1 = {.id = 7, .source_name = "Outlet One", .title = "Deal \"signed\"",
                         .url = "https://one.example/a b>c", .published = b->date - 3600};
    struct article a2 = {.id = 9, .source_name = "Outlet Two", .title = "Robots",
                         .url = "https://two.example/r", .published = b->date - 7200};
    /* bullets added in rank order: bigtech first cites a1 and a2, ai cites a2 */
    struct brief_bullet *x = brief_section_add(&b->sections[BRIEF_BIGTECH]);
    x->topic = xstrdup("Compute & chips");
    x->text = xstrdup("A deal_with [brackets].");
    x->refs = xcalloc(2, sizeof(size_t));
    x->refs[x->nrefs++] = briefing_add_ref(b, &a1);
    x->refs[x->nrefs++] = briefing_add_ref(b, &a2);
    struct brief_bullet *y = brief_section_add(&b->sections[BRIEF_AI]);
    y->topic = xstrdup("Models");
    y->text = xstrdup("A model.");
    y->refs = xcalloc(1, sizeof(size_t));
    y->refs[y->nrefs++] = briefing_add_ref(b, &a2);
}

static void test_markdown_footnotes_in_reading_order(void)
{
    struct briefing b;
    make_brief(&b);
    CHECK_INT(b.nrefs, 2); /* a2 cited twice, stored once */
    struct buf out = BUF_INIT;
    CHECK_INT(report_markdown(&b, &out), ACHIM_OK);
    CHECK(str_starts_with(out.ptr, "# achim morning brief — 2026-02-01\n"));
    /* block 1 (AI) comes first in the text, so its ref (a2) becomes [^1] */
    CHECK_CONTAINS(out.ptr, "- **Models:** A model. [^1]\n");
    CHECK_CONTAINS(out.ptr, "- **Compute & chips:** A deal\\_with \\[brackets\\]. [^2][^1]\n");
    CHECK_CONTAINS(out.ptr, "[^1]: Outlet Two — “Robots”, 2026-01-31. <https://two.example/r>\n");
    CHECK_CONTAINS(out.ptr, "[^2]: Outlet One — “Deal \"signed\"”, 2026-01-31. <https://one.example/a%20b%3Ec>\n");
    CHECK_CONTAINS(out.ptr, "Top story: \\*chips\\* \\[and\\] \\<deals\\>.");
    CHECK_CONTAINS(out.ptr, "## 3. Emerging trends & impact\n\n_No stories in this area today._");
    buf_release(&out);
    briefing_release(&b);
}

static void test_markdown_korean(void)
{
    struct briefing b;
    make_brief(&b);
    free(b.lang);
    b.lang = xstrdup("ko");
    struct buf out = BUF_INIT;
    report_markdown(&b, &out);
    CHECK(str_starts_with(out.ptr, "# achim 아침 브리핑 — 2026-02-01\n"));
    CHECK_CONTAINS(out.ptr, "## 1. 이론·모델");
    CHECK_CONTAINS(out.ptr, "## 2. 빅테크·정책");
    CHECK_CONTAINS(out.ptr, "## 3. 트렌드·퀀트 implication");
    CHECK_CONTAINS(out.ptr, "## 출처");
    buf_release(&out);
    briefing_release(&b);
}

static void test_json(void)
{
    struct briefing b;
    make_brief(&b);
    struct buf out = BUF_INIT;
    CHECK_INT(report_json(&b, &out), ACHIM_OK);
    CHECK_CONTAINS(out.ptr, "\"date\":\t\"2026-02-01\"");
    CHECK_CONTAINS(out.ptr, "\"area\":\t\"bigtech\"");
    CHECK_CONTAINS(out.ptr, "\"url\":\t\"https://one.example/a b>c\"");
    buf_release(&out);
    briefing_release(&b);
}

TESTS(TEST(test_markdown_footnotes_in_reading_order), TEST(test_markdown_korean), TEST(test_json))
