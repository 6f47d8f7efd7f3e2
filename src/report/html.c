/* SPDX-License-Identifier: MIT */
/* html.c: the briefing as a self-contained HTML page, for the e-mail's HTML
 * part, the Atom feed and browsers.
 *
 * The HTML is rendered by cmark-gfm from the Markdown of markdown.c, so both
 * always say the same thing. Safety does not depend on cmark alone: every
 * string from a feed is already escaped in the Markdown (no raw HTML can
 * appear), and cmark runs without CMARK_OPT_UNSAFE, which drops raw HTML and
 * javascript:/vbscript:/file:/data: links should any slip through.
 *
 * Mail clients (Gmail, Outlook) ignore <style> blocks and external sheets,
 * so the look comes from style="" attributes added to the tags cmark emits.
 * Tags are matched exactly as cmark writes them; feed text cannot forge one
 * because its '<' is always escaped to "&lt;". */
#include "report/report.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define FONT                                                                                       \
    "-apple-system,'Segoe UI',Helvetica,Arial,'Apple SD Gothic Neo','Malgun Gothic',"              \
    "'Noto Sans KR',sans-serif"

/* cmark's tag -> the same tag with inline style */
static const char *const styled[][2] = {
    {"<h1>", "<h1 style=\"font-size:22px;line-height:1.3;margin:0 0 6px 0;color:#111\">"},
    {"<h2>", "<h2 style=\"font-size:17px;margin:26px 0 8px 0;padding-bottom:4px;border-bottom:1px "
             "solid #e2e2e2;color:#111\">"},
    {"<p>", "<p style=\"margin:0 0 12px 0\">"},
    {"<ul>", "<ul style=\"margin:0 0 14px 0;padding-left:20px\">"},
    {"<ol>", "<ol style=\"margin:0;padding-left:20px\">"},
    {"<li>", "<li style=\"margin:0 0 8px 0\">"},
    {"<li id=", "<li style=\"margin:0 0 4px 0\" id="},
    {"<a href=", "<a style=\"color:#0b57d0;text-decoration:none\" href="},
    {"<sup class=\"footnote-ref\">",
     "<sup class=\"footnote-ref\" style=\"font-size:11px;line-height:0\">"},
    {"<em>", "<em style=\"color:#666\">"},
    {"<section class=\"footnotes\" data-footnotes>",
     "<section class=\"footnotes\" data-footnotes style=\"margin-top:28px;padding-top:8px;"
     "border-top:1px solid #e2e2e2;font-size:13px;color:#555\">"},
};

static void add_styled(struct buf *out, const char *html)
{
    for (const char *p = html; *p;) {
        bool done = false;
        if (*p == '<')
            for (size_t i = 0; i < sizeof(styled) / sizeof(styled[0]); i++) {
                size_t n = strlen(styled[i][0]);
                if (strncmp(p, styled[i][0], n) == 0) {
                    buf_addstr(out, styled[i][1]);
                    p += n;
                    done = true;
                    break;
                }
            }
        if (!done)
            buf_addch(out, *p++);
    }
}

void report_html_escape(struct buf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': buf_addstr(out, "&lt;"); break;
        case '>': buf_addstr(out, "&gt;"); break;
        case '&': buf_addstr(out, "&amp;"); break;
        case '"': buf_addstr(out, "&quot;"); break;
        case '\'': buf_addstr(out, "&#39;"); break;
        default: buf_addch(out, *s);
        }
    }
}

enum achim_code report_html_fragment(const struct briefing *b, struct buf *out)
{
    struct buf md = BUF_INIT;
    enum achim_code rc = report_markdown(b, &md);
    if (rc != ACHIM_OK) {
        buf_release(&md);
        return rc;
    }
    char *html = cmark_markdown_to_html(md.ptr, md.len, CMARK_OPT_FOOTNOTES);
    buf_release(&md);
    if (!html)
        return ACHIM_ENOMEM;
    add_styled(out, html);
    free(html);
    return ACHIM_OK;
}

const char *report_title(const struct briefing *b)
{
    return b->lang && strcmp(b->lang, "ko") == 0 ? "achim 아침 브리핑" : "achim morning brief";
}

enum achim_code report_html(const struct briefing *b, struct buf *out)
{
    bool ko = b->lang && strcmp(b->lang, "ko") == 0;
    char day[11];
    time_format_day(b->date, day);
    buf_addf(out,
             "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
             ko ? "ko" : "en");
    report_html_escape(out, report_title(b));
    buf_addf(out, " — %s</title>\n</head>\n", day);
    buf_addstr(out,
               "<body style=\"margin:0;padding:0;background:#f5f5f2\">\n"
               "<div style=\"max-width:680px;margin:0 auto;padding:20px 18px;background:#ffffff;"
               "font-family:" FONT ";font-size:15px;line-height:1.55;color:#1f1f1f\">\n");
    enum achim_code rc = report_html_fragment(b, out);
    buf_addf(out, "<p style=\"margin:24px 0 0 0;font-size:12px;color:#888\">%s</p>\n",
             ko ? "achim이 매체 피드에서 자동으로 뽑은 문장입니다. 모든 항목은 출처 각주로 "
                  "확인할 수 있습니다."
                : "Sentences extracted by achim from the outlets' feeds; every item can be "
                  "checked against its footnoted sources.");
    buf_addstr(out, "</div>\n</body>\n</html>\n");
    return rc;
}
