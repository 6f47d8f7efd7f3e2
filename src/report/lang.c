/* SPDX-License-Identifier: MIT */
/* lang.c: the English and Korean templates of the briefing — money and
 * capacity formats, confirmation labels, implication sentences and the
 * "since yesterday" line.
 *
 * Every sentence here is a template filled with measured numbers from
 * struct briefing (counts, baselines, extracted figures); nothing is
 * invented. Names of companies and models come from the articles and are
 * never translated. Korean amounts use the myriad units (만, 억, 조):
 * $10.5 billion is "105억 달러", ₩3 trillion "3조 원". */
#include "report/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Shortest decimal form with at most `digits` decimals: 10, 10.5, 1.25. */
static void add_number(struct buf *out, double v, int digits)
{
    char s[64];
    snprintf(s, sizeof(s), "%.*f", digits, v);
    if (strchr(s, '.')) {
        size_t n = strlen(s);
        while (n && s[n - 1] == '0')
            s[--n] = 0;
        if (n && s[n - 1] == '.')
            s[--n] = 0;
    }
    buf_addstr(out, s);
}

/* Thousands separators, and cents when there are any: 18,000, 19.99. */
static void add_grouped(struct buf *out, double v)
{
    char s[64];
    snprintf(s, sizeof(s), "%.0f", floor(v));
    size_t n = strlen(s), lead = n % 3 ? n % 3 : 3;
    buf_add(out, s, lead);
    for (size_t i = lead; i < n; i += 3) {
        buf_addch(out, ',');
        buf_add(out, s + i, 3);
    }
    long cents = lround((v - floor(v)) * 100);
    if (cents > 0 && cents < 100)
        buf_addf(out, ".%02ld", cents);
}

/* Currency signs and Korean names; an unknown code is written after the
 * number ("2 billion CHF"). */
static const struct {
    const char *code, *sign, *ko;
} currencies[] = {
    {"USD", "$", "달러"}, {"EUR", "€", "유로"}, {"GBP", "£", "파운드"},
    {"JPY", "¥", "엔"},   {"KRW", "₩", "원"},
};

/* Large-number words: the first whose scale an amount reaches names it,
 * with up to `digits` decimals; smaller amounts are written in full. */
struct scale {
    double at;
    const char *word;
    int digits;
};
static const struct scale scales_en[] = {
    {1e12, " trillion", 2}, {1e9, " billion", 2}, {1e6, " million", 1}, {0, NULL, 0}};
/* Korean myriad units: 105억, 3000만, 1.25조. */
static const struct scale scales_ko[] = {
    {1e12, "조", 2}, {1e8, "억", 1}, {1e4, "만", 1}, {0, NULL, 0}};

static void add_amount(struct buf *out, double v, const struct scale *sc)
{
    for (; sc->word; sc++) {
        if (v >= sc->at) {
            add_number(out, v / sc->at, sc->digits);
            buf_addstr(out, sc->word);
            return;
        }
    }
    add_grouped(out, v);
}

static void figure_body(struct buf *out, int kind, double value, const char *unit, bool ko)
{
    if (kind == 1) { /* power, in MW */
        if (value >= 1000) {
            add_number(out, value / 1000, 2);
            buf_addstr(out, " GW");
        } else {
            add_number(out, value, 1);
            buf_addstr(out, " MW");
        }
        return;
    }
    if (kind == 2) { /* percent */
        add_number(out, value, 2);
        buf_addch(out, '%');
        return;
    }
    size_t c = 0, nc = sizeof(currencies) / sizeof(currencies[0]);
    while (c < nc && strcmp(currencies[c].code, unit ? unit : "") != 0)
        c++;
    if (ko) {
        add_amount(out, value, scales_ko);
        buf_addf(out, " %s", c < nc ? currencies[c].ko : unit ? unit : "");
    } else if (c < nc) {
        buf_addstr(out, currencies[c].sign);
        add_amount(out, value, scales_en);
    } else {
        add_amount(out, value, scales_en);
        buf_addf(out, " %s", unit ? unit : "");
    }
}

void report_figure(struct buf *out, int kind, double value, const char *unit, int qualifier,
                   const char *lang)
{
    bool ko = lang && strcmp(lang, "ko") == 0;
    if (ko) {
        if (qualifier == 2)
            buf_addstr(out, "약 ");
        else if (qualifier == 3)
            buf_addstr(out, "최대 ");
        figure_body(out, kind, value, unit, true);
        if (qualifier == 1)
            buf_addstr(out, " 이상");
        return;
    }
    static const char *const qual_en[] = {"", "more than ", "about ", "up to "};
    if (qualifier > 0 && qualifier < 4)
        buf_addstr(out, qual_en[qualifier]);
    figure_body(out, kind, value, unit, false);
}

const char *report_audience_title(enum brief_audience a, const char *lang)
{
    bool ko = lang && strcmp(lang, "ko") == 0;
    if (a == BRIEF_FOR_RESEARCHERS)
        return ko ? "연구자 관점" : "For researchers";
    return ko ? "퀀트·금융 관점" : "For quants";
}

void report_confirmation(struct buf *out, const struct brief_bullet *bl, const char *lang)
{
    bool ko = lang && strcmp(lang, "ko") == 0;
    /* wire copies count as coverage, not as independent confirmation */
    int independent = bl->independent ? bl->independent : bl->outlets;
    if (bl->confirmed && independent < bl->outlets)
        buf_addf(out,
                 ko ? "독립 매체 %d곳 확인, 전체 %d개 매체 보도"
                    : "confirmed by %d independent outlets of %d",
                 independent, bl->outlets);
    else if (bl->confirmed)
        buf_addf(out, ko ? "%d개 매체 확인" : "confirmed by %d outlets", bl->outlets);
    else if (bl->outlets > 1)
        buf_addf(out, ko ? "단일 출처, %d개 매체 전재" : "single source, carried by %d outlets",
                 bl->outlets);
    else
        buf_addstr(out, ko ? "단일 출처" : "single source");
}

void report_fact_text(struct buf *out, const struct brief_fact *f, const char *lang)
{
    bool ko = lang && strcmp(lang, "ko") == 0;
    const char *subject = f->subject ? f->subject : "";
    switch (f->kind) {
    case BRIEF_FACT_COVERAGE:
        if (ko)
            buf_addf(out,
                     "이 분야 이야기 %d개, 기사 %.0f건, %d개 매체. 가장 널리 보도된 주제는 "
                     "%s(%d개 매체)",
                     f->count, f->value, f->outlets, report_topic_name(subject, lang), f->n);
        else
            buf_addf(out,
                     "%d %s, %.0f %s from %d %s in this block; the most widely covered "
                     "is %s (%d %s)",
                     f->count, f->count == 1 ? "story" : "stories", f->value,
                     f->value == 1 ? "article" : "articles", f->outlets,
                     f->outlets == 1 ? "outlet" : "outlets", subject, f->n,
                     f->n == 1 ? "outlet" : "outlets");
        break;
    case BRIEF_FACT_TREND: {
        double ratio = f->baseline > 0 ? f->value / f->baseline : 0;
        if (ko) {
            buf_addf(out, "%s: 오늘 기사 %.0f건, 지난 %d일 하루 평균 ",
                     report_topic_name(subject, lang), f->value, f->n);
            add_number(out, f->baseline, 1);
            buf_addstr(out, "건");
            if (ratio > 0) {
                buf_addstr(out, " 대비 ");
                add_number(out, ratio, 1);
                buf_addstr(out, "배");
            } else {
                buf_addstr(out, " (이전 기사 없음)");
            }
        } else {
            buf_addf(out, "%s: %.0f articles today against ", subject, f->value);
            add_number(out, f->baseline, 1);
            buf_addf(out, " a day over the previous %d day%s", f->n, f->n == 1 ? "" : "s");
            if (ratio > 0) {
                buf_addstr(out, " (×");
                add_number(out, ratio, 1);
                buf_addch(out, ')');
            } else {
                buf_addstr(out, " (new this window)");
            }
        }
        break;
    }
    case BRIEF_FACT_COMPANIES:
        buf_addf(out,
                 ko ? "가장 많이 보도된 기업·연구소(매체 수, 기사 수): %s"
                    : "Most-covered companies and labs (outlets, articles): %s",
                 subject);
        break;
    case BRIEF_FACT_WATCHLIST:
        buf_addf(out, ko ? "관심 목록(매체 수): %s" : "Watchlist (outlets): %s", subject);
        break;
    case BRIEF_FACT_AMOUNT:
        buf_addf(out, ko ? "%s: 보도된 금액 " : "%s: reported amount ",
                 report_topic_name(subject, lang));
        report_figure(out, 0, f->value, f->unit[0] ? f->unit : "USD", f->n, lang);
        break;
    case BRIEF_FACT_CAPACITY:
        buf_addf(out, ko ? "%s: 보도된 용량 " : "%s: reported capacity ",
                 report_topic_name(subject, lang));
        report_figure(out, 1, f->value, "MW", f->n, lang);
        break;
    }
}

void report_since_text(struct buf *out, const struct briefing *b, const struct brief_bullet *bl)
{
    bool ko = b->lang && strcmp(b->lang, "ko") == 0;
    const char *title = bl->nrefs && bl->refs[0] < b->nrefs ? b->refs[bl->refs[0]].title : "";
    buf_addf(out, "%s — “%s”: ", report_topic_name(bl->topic, b->lang), title);
    if (ko)
        buf_addf(out, "오늘 %d개 매체 보도, 전날 %d개 매체의 기사 %d건에 이어짐", bl->outlets,
                 bl->prev_outlets, bl->prev_articles);
    else
        buf_addf(out, "%d %s today, after %d %s from %d %s the day before", bl->outlets,
                 bl->outlets == 1 ? "outlet" : "outlets", bl->prev_articles,
                 bl->prev_articles == 1 ? "article" : "articles", bl->prev_outlets,
                 bl->prev_outlets == 1 ? "outlet" : "outlets");
}

void report_figures_intro(struct buf *out, const char *lang)
{
    bool ko = lang && strcmp(lang, "ko") == 0;
    buf_addstr(out, ko ? "매체별 수치가 다릅니다: " : "Outlets differ on the figure: ");
}
