/* SPDX-License-Identifier: MIT */
/* atom.c: past briefs as an Atom 1.0 feed (RFC 4287), so any feed reader can
 * subscribe to the morning brief.
 *
 * One entry per brief, newest first: the title names the day and its top
 * story, the summary is the headline paragraph and the content is the same
 * HTML as the e-mail's (escaped as type="html"). Ids are tag URIs built from
 * the day and language, so a brief rebuilt for the same day keeps its id and
 * readers update it instead of showing it twice. Characters XML 1.0 forbids
 * (C0 controls other than tab and newlines) are dropped. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static void xml_text(struct buf *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '<': buf_addstr(out, "&lt;"); break;
        case '>': buf_addstr(out, "&gt;"); break;
        case '&': buf_addstr(out, "&amp;"); break;
        case '"': buf_addstr(out, "&quot;"); break;
        default:
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                buf_addch(out, (char)c);
        }
    }
}

enum achim_code report_atom(const struct briefing *briefs, size_t n, const struct report_feed *f,
                            struct buf *out)
{
    char iso[21];
    int64_t updated = f && f->updated ? f->updated : 0;
    for (size_t i = 0; i < n; i++)
        if (briefs[i].window_to > updated)
            updated = briefs[i].window_to;
    const char *lang = n && briefs[0].lang ? briefs[0].lang : "en";
    bool ko = strcmp(lang, "ko") == 0;
    buf_addf(out,
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
             "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n",
             ko ? "ko" : "en");
    buf_addf(out, "  <title>%s</title>\n", ko ? "achim 아침 브리핑" : "achim morning brief");
    buf_addstr(out, "  <subtitle>");
    xml_text(out, ko ? "AI·ML, 빅테크·정책, 기술 트렌드에 대한 출처가 달린 아침 브리핑"
                     : "A cited morning briefing on AI & ML, big tech and technology trends");
    buf_addstr(out, "</subtitle>\n");
    buf_addf(out, "  <id>tag:achim.localhost,2026:briefs/%s</id>\n", ko ? "ko" : "en");
    time_format_iso(updated, iso);
    buf_addf(out, "  <updated>%s</updated>\n", iso);
    buf_addstr(out, "  <author><name>achim</name></author>\n");
    buf_addf(out, "  <generator version=\"%s\">achim</generator>\n", ACHIM_VERSION);
    if (f && f->self_url) {
        buf_addstr(out, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
        xml_text(out, f->self_url);
        buf_addstr(out, "\"/>\n");
    }
    size_t *order = calloc(n ? n : 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++) {
        size_t t = order[i], j = i;
        while (j > 0 && briefs[order[j - 1]].date < briefs[t].date) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = t;
    }
    for (size_t k = 0; k < n; k++) {
        const struct briefing *b = &briefs[order[k]];
        char day[11];
        time_format_day(b->date, day);
        buf_addstr(out, "  <entry>\n");
        buf_addf(out, "    <id>tag:achim.localhost,2026:brief/%s/%s</id>\n", day,
                 b->lang ? b->lang : "en");
        buf_addstr(out, "    <title>");
        struct buf t = BUF_INIT;
        report_subject(b, &t);
        xml_text(out, t.ptr + strlen("[achim] "));
        buf_release(&t);
        buf_addstr(out, "</title>\n");
        time_format_iso(b->window_to, iso);
        buf_addf(out, "    <published>%s</published>\n    <updated>%s</updated>\n", iso, iso);
        buf_addstr(out, "    <summary>");
        xml_text(out, b->headline);
        buf_addstr(out, "</summary>\n    <content type=\"html\">");
        struct buf h = BUF_INIT;
        report_html_fragment(b, &h);
        xml_text(out, h.ptr);
        buf_release(&h);
        buf_addstr(out, "</content>\n  </entry>\n");
    }
    free(order);
    return buf_addstr(out, "</feed>\n");
}
