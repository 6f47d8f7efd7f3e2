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

static bool is_ko(const struct briefing *b)
{
    return b->lang && strcmp(b->lang, "ko") == 0;
}

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

/* Footnote numbers in order of first citation. */
struct notes {
    size_t *number; /* ref -> footnote number (0: not cited yet) */
    size_t *order;  /* footnote number - 1 -> ref */
    size_t next;
};

static void cite(struct buf *out, struct notes *n, size_t ref)
{
    if (!n->number[ref]) {
        n->number[ref] = ++n->next;
        n->order[n->next - 1] = ref;
    }
    buf_addf(out, "[^%zu]", n->number[ref]);
}

/* "Outlets differ on the figure: $10 billion [^3]; more than $10 billion
 * [^1][^2]." once per quantity the outlets disagree on. */
static void md_figures(struct buf *out, const struct briefing *b, const struct brief_bullet *bl,
                       struct notes *n)
{
    bool *done = calloc(bl->nfigures ? bl->nfigures : 1, sizeof(bool));
    for (size_t i = 0; i < bl->nfigures; i++) {
        const struct brief_figure *f = &bl->figures[i];
        if (done[i])
            continue;
        if (i == 0 || f->group != bl->figures[i - 1].group) {
            if (i)
                buf_addstr(out, ". ");
            report_figures_intro(out, b->lang);
        } else {
            buf_addstr(out, "; ");
        }
        struct buf m = BUF_INIT;
        report_figure(&m, f->kind, f->value, f->unit, f->qualifier, b->lang);
        md_text(out, m.ptr);
        buf_release(&m);
        buf_addch(out, ' ');
        /* the first two articles with this reading are cited */
        int cited = 0;
        for (size_t j = i; j < bl->nfigures && bl->figures[j].group == f->group; j++)
            if (!done[j] && bl->figures[j].value == f->value &&
                bl->figures[j].qualifier == f->qualifier) {
                done[j] = true;
                if (cited++ < 2)
                    cite(out, n, bl->figures[j].ref);
            }
    }
    buf_addstr(out, ".");
    free(done);
}

static void md_facts(struct buf *out, const struct briefing *b, int area, struct notes *n)
{
    for (int aud = 0; aud < 2; aud++) {
        bool any = false;
        for (size_t i = 0; i < b->nfacts; i++) {
            const struct brief_fact *f = &b->facts[i];
            if ((int)f->area != area || (int)f->audience != aud)
                continue;
            if (!any)
                buf_addf(out, "**%s**\n\n",
                         report_audience_title((enum brief_audience)aud, b->lang));
            any = true;
            struct buf t = BUF_INIT;
            report_fact_text(&t, f, b->lang);
            buf_addstr(out, "- ");
            md_text(out, t.ptr);
            buf_release(&t);
            if (f->has_ref && f->ref < b->nrefs) {
                buf_addch(out, ' ');
                cite(out, n, f->ref);
            }
            buf_addch(out, '\n');
        }
        if (any)
            buf_addch(out, '\n');
    }
}

enum achim_code report_markdown(const struct briefing *b, struct buf *out)
{
    bool ko = is_ko(b);
    char day[11], from[21], to[21];
    time_format_day(b->date, day);
    time_format_iso(b->window_from, from);
    time_format_iso(b->window_to, to);

    struct notes n = {xcalloc(b->nrefs ? b->nrefs : 1, sizeof(size_t)),
                      xcalloc(b->nrefs ? b->nrefs : 1, sizeof(size_t)), 0};

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
    bool continued = false;
    for (int a = 0; a < BRIEF_NAREAS; a++) {
        const struct brief_section *sec = &b->sections[a];
        buf_addf(out, "## %s\n\n", report_area_title((enum brief_area)a, b->lang));
        if (!sec->nbullets)
            buf_addstr(out, ko ? "_오늘은 이 분야의 주요 기사가 없습니다._\n\n"
                               : "_No stories in this area today._\n\n");
        for (size_t i = 0; i < sec->nbullets; i++) {
            const struct brief_bullet *bl = &sec->bullets[i];
            if (bl->prev_articles)
                continued = true;
            buf_addstr(out, "- **");
            md_text(out, report_topic_name(bl->topic, b->lang));
            buf_addstr(out, ":** ");
            md_text(out, bl->text);
            if (bl->nfigures) {
                buf_addch(out, ' ');
                md_figures(out, b, bl, &n);
            }
            buf_addstr(out, " _(");
            report_confirmation(out, bl, b->lang);
            buf_addstr(out, ")_ ");
            for (size_t r = 0; r < bl->nrefs; r++)
                cite(out, &n, bl->refs[r]);
            buf_addch(out, '\n');
        }
        if (sec->nbullets)
            buf_addch(out, '\n');
        md_facts(out, b, a, &n);
    }
    if (continued) {
        buf_addf(out, "## %s\n\n", ko ? "어제 이후" : "Since yesterday");
        for (int a = 0; a < BRIEF_NAREAS; a++)
            for (size_t i = 0; i < b->sections[a].nbullets; i++) {
                const struct brief_bullet *bl = &b->sections[a].bullets[i];
                if (!bl->prev_articles)
                    continue;
                struct buf t = BUF_INIT;
                report_since_text(&t, b, bl);
                buf_addstr(out, "- ");
                md_text(out, t.ptr);
                buf_release(&t);
                buf_addch(out, ' ');
                cite(out, &n, bl->refs[0]);
                buf_addch(out, '\n');
            }
        buf_addch(out, '\n');
    }
    if (n.next) {
        buf_addf(out, "## %s\n\n", ko ? "출처" : "Sources");
        for (size_t k = 0; k < n.next; k++) {
            const struct brief_ref *r = &b->refs[n.order[k]];
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
    free(n.number);
    free(n.order);
    return ACHIM_OK;
}
