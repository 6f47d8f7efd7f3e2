/* SPDX-License-Identifier: MIT */
/* markdown.c: the briefing as GitHub-flavoured Markdown. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"

static const char *const area_en[BRIEF_NAREAS] = {
    "1. AI & ML innovation",
    "2. Big tech strategy & policy",
    "3. Emerging trends & impact",
};
static const char *const area_ko[BRIEF_NAREAS] = {
    "1. 이론·모델: AI·ML 혁신",
    "2. 빅테크·정책: 전략과 규제",
    "3. 트렌드·퀀트 implication: 새로운 기술 트렌드",
};

/* Korean names of the standard subtopics of data/focus-terms.tsv; a name
 * not listed (a user's own) is shown as written. */
static const char *const topic_ko[][2] = {
    {"Models & research", "모델·연구"},
    {"Efficiency & small models", "효율·소형 모델"},
    {"Reasoning & agents", "추론·에이전트"},
    {"Multimodal & explainable AI", "멀티모달·설명가능 AI"},
    {"AI for science", "과학을 위한 AI"},
    {"Compute & chips", "컴퓨트·칩"},
    {"Business models & ads", "수익모델·광고"},
    {"Enterprise adoption", "엔터프라이즈 도입"},
    {"Regulation & policy", "규제·정책"},
    {"Multi-agent systems", "멀티에이전트"},
    {"Physical AI & robotics", "물리적 AI·로보틱스"},
    {"Edge AI & sensing", "엣지 AI·센싱"},
    {"Spatial computing", "공간 컴퓨팅"},
    {"Governance & safety", "거버넌스·안전"},
};

const char *report_topic_name(const char *topic, const char *lang)
{
    if (!topic || !lang || strcmp(lang, "ko") != 0)
        return topic;
    for (size_t i = 0; i < sizeof(topic_ko) / sizeof(topic_ko[0]); i++)
        if (strcmp(topic, topic_ko[i][0]) == 0)
            return topic_ko[i][1];
    return topic;
}

static bool is_ko(const struct briefing *b) { return b->lang && strcmp(b->lang, "ko") == 0; }

const char *report_area_title(enum brief_area area, const char *lang)
{
    if ((unsigned)area >= BRIEF_NAREAS)
        return "";
    return lang && strcmp(lang, "ko") == 0 ? area_ko[area] : area_en[area];
}

/* Escape characters that Markdown would read as markup. */
static void md_text(struct buf *out, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\`*_[]<>#|~", *s))
            buf_addch(out, '\\');
        if (*s == '\n' || *s == '\r')
            buf_addch(out, ' ');
        else
            buf_addch(out, *s);
    }
}

/* A URL inside <...>: characters that would end or break it are encoded. */
static void md_url(struct buf *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == 0x7f)
            buf_addf(out, "%%%02X", c);
        else
            buf_addch(out, (char)c);
    }
}

enum achim_code report_markdown(const struct briefing *b, struct buf *out)
{
    bool ko = is_ko(b);
    char day[11], from[21], to[21];
    time_format_day(b->date, day);
    time_format_iso(b->window_from, from);
    time_format_iso(b->window_to, to);

    size_t *number = xcalloc(b->nrefs ? b->nrefs : 1, sizeof(size_t)); /* ref -> footnote no. */
    size_t *order = xcalloc(b->nrefs ? b->nrefs : 1, sizeof(size_t));  /* footnote no. -> ref */
    size_t next = 0;

    buf_addf(out, "# %s — %s\n\n", ko ? "achim 아침 브리핑" : "achim morning brief", day);
    if (ko)
        buf_addf(out, "_%zu개 매체, 기사 %zu건, 이야기 %zu개 · 기간 %s – %s_\n\n", b->noutlets,
                 b->narticles, b->nstories, from, to);
    else
        buf_addf(out, "_%zu articles from %zu outlets in %zu stories · window %s – %s_\n\n",
                 b->narticles, b->noutlets, b->nstories, from, to);
    if (b->headline) {
        md_text(out, b->headline);
        buf_addstr(out, "\n\n");
    }
    for (int a = 0; a < BRIEF_NAREAS; a++) {
        const struct brief_section *sec = &b->sections[a];
        buf_addf(out, "## %s\n\n", report_area_title((enum brief_area)a, b->lang));
        if (!sec->nbullets)
            buf_addstr(out, ko ? "_오늘은 이 분야의 주요 기사가 없습니다._\n\n"
                               : "_No stories in this area today._\n\n");
        for (size_t i = 0; i < sec->nbullets; i++) {
            const struct brief_bullet *bl = &sec->bullets[i];
            buf_addstr(out, "- **");
            md_text(out, report_topic_name(bl->topic, b->lang));
            buf_addstr(out, ":** ");
            md_text(out, bl->text);
            buf_addch(out, ' ');
            for (size_t r = 0; r < bl->nrefs; r++) {
                size_t ref = bl->refs[r];
                if (!number[ref]) {
                    number[ref] = ++next;
                    order[next - 1] = ref;
                }
                buf_addf(out, "[^%zu]", number[ref]);
            }
            buf_addch(out, '\n');
        }
        if (sec->nbullets)
            buf_addch(out, '\n');
    }
    if (next) {
        buf_addf(out, "## %s\n\n", ko ? "출처" : "Sources");
        for (size_t k = 0; k < next; k++) {
            const struct brief_ref *r = &b->refs[order[k]];
            char pub[11];
            time_format_day(r->published, pub);
            buf_addf(out, "[^%zu]: ", k + 1);
            md_text(out, r->outlet);
            buf_addstr(out, " — “");
            md_text(out, r->title);
            buf_addf(out, "”, %s. <", pub);
            md_url(out, r->url ? r->url : "");
            buf_addstr(out, ">\n");
        }
    }
    free(number);
    free(order);
    return ACHIM_OK;
}
