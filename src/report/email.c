/* SPDX-License-Identifier: MIT */
/* email.c: the briefing as one RFC 5322 message — multipart/alternative with
 * the Markdown as text/plain and the HTML page as text/html, both UTF-8 and
 * base64 (so no line is too long for SMTP and no byte needs 8BITMIME).
 *
 * Headers: From, To, Subject (RFC 2047 encoded words: "[achim] 2026-02-01 —
 * <top story>"), Date (RFC 5322 format, UTC), Message-ID, MIME-Version,
 * List-Unsubscribe when configured. Lines end in CRLF, as SMTP and .eml
 * readers expect. The Message-ID and the boundary are derived from the
 * content and the date, so the same brief gives the same bytes (golden
 * tests) and a different brief a different id. Addresses given by the user
 * are refused when they contain a line break (header injection). */
#include "report/report.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"

#define B64_LINE 76
#define SUBJECT_MAX_BYTES 180

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of data; a CRLF after every `line` output characters (0: none). */
static void add_base64(struct buf *out, const unsigned char *d, size_t n, size_t line)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63], i + 1 < n ? b64[(v >> 6) & 63] : '=',
                     i + 2 < n ? b64[v & 63] : '='};
        buf_add(out, q, 4);
        col += 4;
        if (line && col >= line) {
            buf_addstr(out, "\r\n");
            col = 0;
        }
    }
    if (line && col)
        buf_addstr(out, "\r\n");
}

static uint64_t fnv1a(const char *s, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Bytes of s up to max, cut on a UTF-8 boundary. */
static size_t utf8_prefix(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* RFC 2047 "=?UTF-8?B?...?=" words of at most 75 characters, folded. */
static void add_encoded_words(struct buf *out, const char *s)
{
    size_t len = strlen(s);
    bool first = true;
    while (len) {
        size_t n = utf8_prefix(s, 45); /* 45 bytes -> 60 base64 chars + 12 = 72 */
        if (!n)
            n = len < 45 ? len : 45;
        if (!first)
            buf_addstr(out, "\r\n ");
        buf_addstr(out, "=?UTF-8?B?");
        add_base64(out, (const unsigned char *)s, n, 0);
        buf_addstr(out, "?=");
        first = false;
        s += n;
        len -= n;
    }
}

static bool header_safe(const char *s)
{
    return s && !strpbrk(s, "\r\n");
}

/* RFC 5322 date-time in UTC: "Sun, 01 Feb 2026 06:00:00 +0000". */
static void add_date(struct buf *out, int64_t t)
{
    static const char *const wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char iso[21];
    time_format_iso(t, iso); /* YYYY-MM-DDTHH:MM:SSZ */
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int w = (int)(((days % 7) + 7) % 7);
    int m = (iso[5] - '0') * 10 + (iso[6] - '0');
    buf_addf(out, "%s, %.2s %s %.4s %.8s +0000", wd[w], iso + 8, mon[(m - 1) % 12], iso, iso + 11);
}

const char *report_top_story(const struct briefing *b)
{
    const struct brief_bullet *top = NULL;
    for (int a = 0; a < BRIEF_NAREAS; a++)
        for (size_t i = 0; i < b->sections[a].nbullets; i++) {
            const struct brief_bullet *bl = &b->sections[a].bullets[i];
            if (!top || bl->score > top->score)
                top = bl;
        }
    if (!top || !top->nrefs || top->refs[0] >= b->nrefs)
        return NULL;
    return b->refs[top->refs[0]].title;
}

void report_subject(const struct briefing *b, struct buf *out)
{
    char day[11];
    time_format_day(b->date, day);
    buf_addf(out, "[achim] %s", day);
    const char *top = report_top_story(b);
    if (top && *top) {
        size_t n = utf8_prefix(top, SUBJECT_MAX_BYTES);
        buf_addstr(out, " — ");
        for (size_t i = 0; i < n; i++)
            buf_addch(out, top[i] == '\r' || top[i] == '\n' || top[i] == '\t' ? ' ' : top[i]);
        if (n < strlen(top))
            buf_addstr(out, "…");
    }
}

enum achim_code report_email(const struct briefing *b, const struct report_mail *m, struct buf *out,
                             struct err *err)
{
    if (!header_safe(m->from) || !header_safe(m->to) ||
        (m->unsubscribe && !header_safe(m->unsubscribe)) || (m->domain && !header_safe(m->domain)))
        return err_set(err, ACHIM_EINVAL, "mail addresses must be set and on one line");
    struct buf text = BUF_INIT, html = BUF_INIT, subject = BUF_INIT;
    report_markdown(b, &text);
    report_html(b, &html);
    report_subject(b, &subject);

    char day[11];
    time_format_day(b->date, day);
    uint64_t h = fnv1a(text.ptr, text.len, 0xcbf29ce484222325ULL);
    h = fnv1a(html.ptr, html.len, h);
    char stamp[32];
    snprintf(stamp, sizeof(stamp), "%lld", (long long)m->date);
    h = fnv1a(stamp, strlen(stamp), h);
    h = fnv1a(m->to, strlen(m->to), h);

    buf_addf(out, "From: %s\r\nTo: %s\r\nSubject: ", m->from, m->to);
    add_encoded_words(out, subject.ptr);
    buf_addstr(out, "\r\nDate: ");
    add_date(out, m->date);
    buf_addf(out, "\r\nMessage-ID: <brief.%s.%s.%016llx@%s>\r\n", day, b->lang ? b->lang : "en",
             (unsigned long long)h, m->domain ? m->domain : "achim.localhost");
    if (m->unsubscribe && *m->unsubscribe) {
        buf_addstr(out, "List-Unsubscribe: ");
        if (m->unsubscribe[0] == '<')
            buf_addstr(out, m->unsubscribe);
        else
            buf_addf(out, "<%s>", m->unsubscribe);
        buf_addstr(out, "\r\n");
    }
    buf_addf(out, "Content-Language: %s\r\nMIME-Version: 1.0\r\n", b->lang ? b->lang : "en");
    buf_addf(out,
             "Content-Type: multipart/alternative; boundary=\"=_achim_%016llx\"\r\n\r\n"
             "This is a multi-part message in MIME format.\r\n\r\n",
             (unsigned long long)h);
    buf_addf(out,
             "--=_achim_%016llx\r\nContent-Type: text/plain; charset=UTF-8\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n",
             (unsigned long long)h);
    add_base64(out, (const unsigned char *)text.ptr, text.len, B64_LINE);
    buf_addf(out,
             "\r\n--=_achim_%016llx\r\nContent-Type: text/html; charset=UTF-8\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n",
             (unsigned long long)h);
    add_base64(out, (const unsigned char *)html.ptr, html.len, B64_LINE);
    enum achim_code rc = buf_addf(out, "\r\n--=_achim_%016llx--\r\n", (unsigned long long)h);
    buf_release(&text);
    buf_release(&html);
    buf_release(&subject);
    if (rc != ACHIM_OK)
        return err_set(err, rc, "the message is larger than the output limit");
    return ACHIM_OK;
}
