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
    struct article a1 = {.id = 7,
                         .source_name = "Outlet One",
                         .title = "Deal \"signed\"",
                         .url = "https://one.example/a b>c",
                         .published = b->date - 3600};
    struct article a2 = {.id = 9,
                         .source_name = "Outlet Two",
                         .title = "Robots",
                         .url = "https://two.example/r",
                         .published = b->date - 7200};
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
    CHECK_CONTAINS(out.ptr, "- **Models:** A model. _(single source)_ [^1]\n");
    CHECK_CONTAINS(
        out.ptr,
        "- **Compute & chips:** A deal\\_with \\[brackets\\]. _(single source)_ [^2][^1]\n");
    CHECK_CONTAINS(out.ptr, "[^1]: Outlet Two — “Robots”, 2026-01-31. <https://two.example/r>\n");
    CHECK_CONTAINS(
        out.ptr,
        "[^2]: Outlet One — “Deal \"signed\"”, 2026-01-31. <https://one.example/a%20b%3Ec>\n");
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

/* ---- confirmation, figures, implications, since yesterday -------------- */

static void add_analysis(struct briefing *b)
{
    struct brief_bullet *x = &b->sections[BRIEF_BIGTECH].bullets[0];
    x->confirmed = true;
    x->outlets = 2;
    x->score = 30;
    x->figures = xcalloc(5, sizeof(*x->figures));
    /* kind, value, unit, qualifier, group, ref */
    x->figures[x->nfigures++] = (struct brief_figure){0, 10e9, "USD", 1, 0, 0};
    x->figures[x->nfigures++] = (struct brief_figure){0, 10e9, "USD", 0, 0, 1};
    x->figures[x->nfigures++] = (struct brief_figure){0, 10.5e9, "USD", 2, 0, 0};
    x->figures[x->nfigures++] = (struct brief_figure){1, 750, "MW", 3, 1, 0};
    x->figures[x->nfigures++] = (struct brief_figure){1, 1000, "MW", 0, 1, 1};
    x->prev_articles = 3;
    x->prev_outlets = 2;
    struct brief_fact *f = briefing_add_fact(b, BRIEF_BIGTECH, BRIEF_FOR_QUANTS, BRIEF_FACT_AMOUNT);
    f->subject = xstrdup("Compute & chips");
    f->value = 400e6;
    f->ref = 1;
    f->has_ref = true;
    f = briefing_add_fact(b, BRIEF_BIGTECH, BRIEF_FOR_RESEARCHERS, BRIEF_FACT_TREND);
    f->subject = xstrdup("Compute & chips");
    f->value = 6;
    f->baseline = 1.5;
    f->n = 6;
}

static void test_markdown_analysis_lines(void)
{
    struct briefing b;
    make_brief(&b);
    add_analysis(&b);
    struct buf out = BUF_INIT;
    report_markdown(&b, &out);
    CHECK_CONTAINS(out.ptr, "Outlets differ on the figure: more than $10 billion [^2]; "
                            "$10 billion [^1]; about $10.5 billion [^2]. "
                            "Outlets differ on the figure: up to 750 MW [^2]; 1 GW [^1]. "
                            "_(confirmed by 2 outlets)_ [^2][^1]\n");
    CHECK_CONTAINS(out.ptr, "**For researchers**\n\n- Compute & chips: 6 articles today against "
                            "1.5 a day over the previous 6 days (×4)\n");
    CHECK_CONTAINS(out.ptr,
                   "**For quants**\n\n- Compute & chips: reported amount $400 million [^1]\n");
    CHECK_CONTAINS(out.ptr,
                   "## Since yesterday\n\n- Compute & chips — “Deal \"signed\"”: 2 outlets "
                   "today, after 3 articles from 2 outlets the day before [^2]\n");
    buf_release(&out);
    free(b.lang);
    b.lang = xstrdup("ko");
    report_markdown(&b, &out);
    CHECK_CONTAINS(
        out.ptr,
        "매체별 수치가 다릅니다: 100억 달러 이상 [^2]; 100억 달러 [^1]; 약 105억 달러 [^2]. "
        "매체별 수치가 다릅니다: 최대 750 MW [^2]; 1 GW [^1].");
    CHECK_CONTAINS(out.ptr, "_(2개 매체 확인)_");
    CHECK_CONTAINS(out.ptr, "**퀀트·금융 관점**\n\n- 컴퓨트·칩: 보도된 금액 4억 달러 [^1]\n");
    CHECK_CONTAINS(out.ptr, "## 어제 이후");
    buf_release(&out);
    briefing_release(&b);
}

static void test_figure_formats(void)
{
    static const struct {
        int kind;
        double value;
        const char *unit;
        int q;
        const char *en, *ko;
    } cases[] = {
        {0, 10e9, "USD", 0, "$10 billion", "100억 달러"},
        {0, 10.5e9, "USD", 2, "about $10.5 billion", "약 105억 달러"},
        {0, 10e9, "USD", 1, "more than $10 billion", "100억 달러 이상"},
        {0, 400e6, "USD", 0, "$400 million", "4억 달러"},
        {0, 30e6, "USD", 3, "up to $30 million", "최대 3000만 달러"},
        {0, 1.25e12, "USD", 0, "$1.25 trillion", "1.25조 달러"},
        {0, 9500, "USD", 0, "$9,500", "9,500 달러"},
        {0, 19.99, "USD", 0, "$19.99", "19.99 달러"},
        {0, 2.5e9, "EUR", 0, "€2.5 billion", "25억 유로"},
        {0, 12e6, "GBP", 2, "about £12 million", "약 1200만 파운드"},
        {0, 3e12, "KRW", 0, "₩3 trillion", "3조 원"},
        {0, 5e9, "JPY", 0, "¥5 billion", "50억 엔"},
        {0, 2e9, "CHF", 0, "2 billion CHF", "20억 CHF"},
        {1, 750, "MW", 3, "up to 750 MW", "최대 750 MW"},
        {1, 1200, "MW", 0, "1.2 GW", "1.2 GW"},
        {2, 61, "%", 1, "more than 61%", "61% 이상"},
        {2, 12.5, "%", 0, "12.5%", "12.5%"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf en = BUF_INIT, ko = BUF_INIT;
        report_figure(&en, cases[i].kind, cases[i].value, cases[i].unit, cases[i].q, "en");
        report_figure(&ko, cases[i].kind, cases[i].value, cases[i].unit, cases[i].q, "ko");
        CHECK_STR(en.ptr, cases[i].en);
        CHECK_STR(ko.ptr, cases[i].ko);
        buf_release(&en);
        buf_release(&ko);
    }
    /* an amount fact in euros names its currency */
    struct brief_fact f = {.kind = BRIEF_FACT_AMOUNT,
                           .subject = "Compute & chips",
                           .value = 2.5e9,
                           .unit = "EUR",
                           .n = 2};
    struct buf t = BUF_INIT;
    report_fact_text(&t, &f, "en");
    CHECK_STR(t.ptr, "Compute & chips: reported amount about €2.5 billion");
    buf_release(&t);
}

/* ---- HTML: markup from feeds never survives ----------------------------- */

static void make_hostile(struct briefing *b)
{
    make_brief(b);
    free(b->headline);
    b->headline = xstrdup("<script>alert('x')</script> and <img src=x onerror=alert(1)>");
    struct brief_bullet *y = &b->sections[BRIEF_AI].bullets[0];
    free(y->text);
    y->text = xstrdup("Click <a href=\"javascript:alert(1)\" onclick=\"steal()\">here</a> "
                      "<iframe src=//evil></iframe> [x](javascript:alert(2)) <!-- c -->");
    free(b->refs[0].title);
    b->refs[0].title = xstrdup("<svg onload=alert(3)>");
    free(b->refs[0].url);
    b->refs[0].url = xstrdup("javascript:alert(4)");
}

static void test_html_escapes_feed_markup(void)
{
    struct briefing b;
    make_hostile(&b);
    struct buf out = BUF_INIT;
    CHECK_INT(report_html(&b, &out), ACHIM_OK);
    CHECK(str_starts_with(out.ptr, "<!DOCTYPE html>\n<html lang=\"en\">"));
    CHECK(!strstr(out.ptr, "<script"));
    CHECK(!strstr(out.ptr, "<img"));
    CHECK(!strstr(out.ptr, "<iframe"));
    CHECK(!strstr(out.ptr, "<svg"));
    CHECK(!strstr(out.ptr, "<!-- c"));
    CHECK(!strstr(out.ptr, "href=\"javascript"));
    /* the text is still there, as text */
    CHECK_CONTAINS(out.ptr, "&lt;script&gt;alert(");
    CHECK_CONTAINS(out.ptr, "&lt;svg onload=alert(3)&gt;");
    /* styles are inline, for mail clients */
    CHECK_CONTAINS(out.ptr, "<h2 style=\"");
    CHECK_CONTAINS(
        out.ptr, "<a style=\"color:#0b57d0;text-decoration:none\" href=\"https://two.example/r\"");
    CHECK_CONTAINS(out.ptr, "data-footnotes");
    CHECK(str_ends_with(out.ptr, "</html>\n"));
    buf_release(&out);
    briefing_release(&b);
}

/* ---- e-mail --------------------------------------------------------------- */

static size_t b64_decode(const char *s, unsigned char *out, size_t cap)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t v = 0;
    int bits = 0;
    size_t n = 0;
    for (; *s && *s != '?' && *s != '-'; s++) {
        const char *p = strchr(al, *s);
        if (!p || !*s)
            continue;
        v = (v << 6) | (uint32_t)(p - al);
        bits += 6;
        if (bits >= 8 && n < cap) {
            bits -= 8;
            out[n++] = (unsigned char)(v >> bits);
        }
    }
    return n;
}

static void test_email_message(void)
{
    struct briefing b;
    make_brief(&b);
    b.sections[BRIEF_BIGTECH].bullets[0].score = 50; /* the top story: cites a1 first */
    struct report_mail m = {"achim <brief@news.example>", "Reader <r@example.org>",
                            "mailto:unsub@news.example", NULL, b.window_to};
    struct buf out = BUF_INIT;
    struct err e = ERR_INIT;
    CHECK_INT(report_email(&b, &m, &out, &e), ACHIM_OK);
    CHECK(str_starts_with(out.ptr,
                          "From: achim <brief@news.example>\r\nTo: Reader <r@example.org>\r\n"
                          "Subject: =?UTF-8?B?"));
    CHECK_CONTAINS(out.ptr, "\r\nDate: Sun, 01 Feb 2026 06:00:00 +0000\r\n");
    CHECK_CONTAINS(out.ptr, "\r\nMessage-ID: <brief.2026-02-01.en.");
    CHECK_CONTAINS(out.ptr, "@achim.localhost>\r\n");
    CHECK_CONTAINS(out.ptr, "\r\nList-Unsubscribe: <mailto:unsub@news.example>\r\n");
    CHECK_CONTAINS(out.ptr, "Content-Type: multipart/alternative; boundary=\"=_achim_");
    CHECK_CONTAINS(out.ptr, "Content-Type: text/plain; charset=UTF-8\r\n");
    CHECK_CONTAINS(out.ptr, "Content-Type: text/html; charset=UTF-8\r\n");
    /* every line ends in CRLF and is at most 78 characters */
    size_t longest = 0, bare_lf = 0, col = 0;
    for (size_t i = 0; i < out.len; i++) {
        if (out.ptr[i] == '\n') {
            if (!i || out.ptr[i - 1] != '\r')
                bare_lf++;
            col = 0;
        } else if (++col > longest)
            longest = col;
    }
    CHECK_INT(bare_lf, 0);
    CHECK(longest <= 78);
    /* the subject decodes to "[achim] 2026-02-01 — <top story>" */
    const char *subj = strstr(out.ptr, "Subject: =?UTF-8?B?") + strlen("Subject: =?UTF-8?B?");
    unsigned char dec[256] = {0};
    size_t n = b64_decode(subj, dec, sizeof(dec) - 1);
    dec[n] = 0;
    CHECK_STR((char *)dec, "[achim] 2026-02-01 — Deal \"signed\"");
    /* the same brief gives the same bytes; another recipient another id */
    struct buf again = BUF_INIT;
    report_email(&b, &m, &again, &e);
    CHECK_STR(again.ptr, out.ptr);
    buf_reset(&again);
    m.to = "other@example.org";
    report_email(&b, &m, &again, &e);
    CHECK(strcmp(again.ptr, out.ptr) != 0);
    buf_release(&again);
    /* header injection is refused */
    buf_reset(&out);
    m.to = "a@example.org\r\nBcc: victim@example.org";
    CHECK_INT(report_email(&b, &m, &out, &e), ACHIM_EINVAL);
    buf_release(&out);
    briefing_release(&b);
}

static void test_subject_utf8_cut(void)
{
    struct briefing b;
    make_brief(&b);
    free(b.refs[1].title);
    struct buf t = BUF_INIT;
    for (int i = 0; i < 100; i++)
        buf_addstr(&t, "한");
    b.refs[1].title = buf_take(&t); /* a2 leads the AI bullet */
    b.sections[BRIEF_AI].bullets[0].score = 99;
    struct buf s = BUF_INIT;
    report_subject(&b, &s);
    CHECK(str_starts_with(s.ptr, "[achim] 2026-02-01 — 한한"));
    CHECK(str_ends_with(s.ptr, "한…"));
    buf_release(&s);
    briefing_release(&b);
}

/* ---- Atom ----------------------------------------------------------------- */

static void test_atom(void)
{
    struct briefing bs[2];
    make_hostile(&bs[0]);
    make_brief(&bs[1]);
    bs[1].date += 86400;
    bs[1].window_to += 86400;
    struct buf out = BUF_INIT;
    struct report_feed f = {"https://example.org/a&b.atom", 0};
    CHECK_INT(report_atom(bs, 2, &f, &out), ACHIM_OK);
    CHECK(str_starts_with(
        out.ptr,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    CHECK_CONTAINS(out.ptr, "<updated>2026-02-02T06:00:00Z</updated>");
    CHECK_CONTAINS(out.ptr, "href=\"https://example.org/a&amp;b.atom\"");
    /* newest first */
    const char *d2 = strstr(out.ptr, "brief/2026-02-02/en"),
               *d1 = strstr(out.ptr, "brief/2026-02-01/en");
    CHECK(d1 && d2 && d2 < d1);
    /* the HTML content is escaped once more: no live markup in the XML */
    CHECK(!strstr(out.ptr, "<script"));
    CHECK(!strstr(out.ptr, "<p style"));
    CHECK_CONTAINS(out.ptr, "&lt;p style=");
    buf_release(&out);
    briefing_release(&bs[0]);
    briefing_release(&bs[1]);
}

static void test_json_grounding(void)
{
    struct briefing b;
    make_brief(&b);
    add_analysis(&b);
    struct brief_bullet *x = &b.sections[BRIEF_BIGTECH].bullets[0];
    x->sources = xcalloc(1, sizeof(*x->sources));
    x->sources[x->nsources++] = (struct brief_source){0, 2, xstrdup("A deal_with [brackets].")};
    struct buf out = BUF_INIT;
    report_json(&b, &out);
    CHECK_CONTAINS(out.ptr, "\"confirmed\":\ttrue");
    CHECK_CONTAINS(out.ptr, "\"sentence\":\t2");
    CHECK_CONTAINS(out.ptr, "\"qualifier\":\t\"at_least\"");
    CHECK_CONTAINS(out.ptr, "\"kind\":\t\"amount\"");
    CHECK_CONTAINS(out.ptr, "\"audience\":\t\"quants\"");
    CHECK_CONTAINS(out.ptr, "\"since_yesterday\":\t{");
    buf_release(&out);
    briefing_release(&b);
}

TESTS(TEST(test_markdown_footnotes_in_reading_order), TEST(test_markdown_korean), TEST(test_json),
      TEST(test_markdown_analysis_lines), TEST(test_figure_formats),
      TEST(test_html_escapes_feed_markup), TEST(test_email_message), TEST(test_subject_utf8_cut),
      TEST(test_atom), TEST(test_json_grounding))
