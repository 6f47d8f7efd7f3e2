/* SPDX-License-Identifier: MIT */
/* date.c: the dates feeds actually contain, to UTC seconds.
 *
 * Two passes. The strict one reads W3C-DTF / RFC 3339 / ISO 8601 (Atom,
 * dc:date, JSON Feed), including partial dates ("2026-01"), the basic format
 * ("20260131T140500Z"), a space instead of 'T' and a zone name instead of an
 * offset. The loose one tokenises anything else: RFC 822/1123 (RSS) with
 * or without weekday and seconds, asctime, month names in several
 * languages, numeric day-month-year orders and Korean/CJK forms with
 * 년 월 일 and 오전/오후. Weekdays are ignored, never checked: feeds get
 * them wrong more often than the date itself.
 *
 * Conventions: no zone means UTC, except CJK-marked dates, which mean KST
 * (+09:00) as in feedparser's Korean handlers. Two-digit years follow POSIX
 * %y: 69-99 are 19xx, 00-68 are 20xx. Military zones follow RFC 822's
 * letters (A = -1 ... M = -12, N = +1 ... Y = +12) as feedparser does. */
#include "feed/feed_int.h"

#include <ctype.h>
#include <string.h>

#include "base/util.h"

struct dt {
    int y, mo, d, h, mi, s;
    int off; /* minutes east of UTC */
    bool zone, cjk;
};

/* ---- names ----------------------------------------------------------------- */

struct name_val {
    const char *name;
    int val;
};

static const struct name_val zones[] = {
    {"ut", 0},      {"utc", 0},    {"gmt", 0},    {"z", 0},      {"wet", 0},    {"est", -300},
    {"edt", -240},  {"cst", -360}, {"cdt", -300}, {"mst", -420}, {"mdt", -360}, {"pst", -480},
    {"pdt", -420},  {"et", -300},  {"ct", -360},  {"mt", -420},  {"pt", -480},  {"akst", -540},
    {"akdt", -480}, {"hst", -600}, {"ast", -240}, {"adt", -180}, {"nst", -210}, {"ndt", -150},
    {"bst", 60},    {"ist", 330},  {"cet", 60},   {"cest", 120}, {"met", 60},   {"mest", 120},
    {"eet", 120},   {"eest", 180}, {"west", 60},  {"msk", 180},  {"jst", 540},  {"kst", 540},
    {"hkt", 480},   {"sgt", 480},  {"awst", 480}, {"acst", 570}, {"acdt", 630}, {"aest", 600},
    {"aedt", 660},  {"nzst", 720}, {"nzdt", 780}, {"wib", 420},  {"ict", 420},  {"pht", 480},
    {"cat", 120},   {"eat", 180},  {"wat", 60},   {"sast", 120}, {"brt", -180}, {"art", -180},
    {"mez", 60},    {"mesz", 120}, {NULL, 0},
};

static const struct name_val months[] = {
    /* English */
    {"january", 1},
    {"february", 2},
    {"march", 3},
    {"april", 4},
    {"may", 5},
    {"june", 6},
    {"july", 7},
    {"august", 8},
    {"september", 9},
    {"october", 10},
    {"november", 11},
    {"december", 12},
    {"jan", 1},
    {"feb", 2},
    {"mar", 3},
    {"apr", 4},
    {"jun", 6},
    {"jul", 7},
    {"aug", 8},
    {"sep", 9},
    {"sept", 9},
    {"oct", 10},
    {"nov", 11},
    {"dec", 12},
    /* German */
    {"januar", 1},
    {"jänner", 1},
    {"februar", 2},
    {"märz", 3},
    {"maerz", 3},
    {"mär", 3},
    {"mrz", 3},
    {"mai", 5},
    {"juni", 6},
    {"juli", 7},
    {"oktober", 10},
    {"okt", 10},
    {"dezember", 12},
    {"dez", 12},
    /* French */
    {"janvier", 1},
    {"janv", 1},
    {"février", 2},
    {"fevrier", 2},
    {"févr", 2},
    {"fevr", 2},
    {"fév", 2},
    {"mars", 3},
    {"avril", 4},
    {"avr", 4},
    {"juin", 6},
    {"juillet", 7},
    {"juil", 7},
    {"août", 8},
    {"aout", 8},
    {"septembre", 9},
    {"octobre", 10},
    {"novembre", 11},
    {"décembre", 12},
    {"decembre", 12},
    {"déc", 12},
    /* Spanish */
    {"enero", 1},
    {"ene", 1},
    {"febrero", 2},
    {"marzo", 3},
    {"abril", 4},
    {"abr", 4},
    {"mayo", 5},
    {"junio", 6},
    {"julio", 7},
    {"agosto", 8},
    {"ago", 8},
    {"septiembre", 9},
    {"setiembre", 9},
    {"octubre", 10},
    {"noviembre", 11},
    {"diciembre", 12},
    {"dic", 12},
    /* Italian */
    {"gennaio", 1},
    {"gen", 1},
    {"febbraio", 2},
    {"aprile", 4},
    {"maggio", 5},
    {"mag", 5},
    {"giugno", 6},
    {"giu", 6},
    {"luglio", 7},
    {"lug", 7},
    {"settembre", 9},
    {"set", 9},
    {"ottobre", 10},
    {"ott", 10},
    {"dicembre", 12},
    /* Portuguese */
    {"janeiro", 1},
    {"fevereiro", 2},
    {"fev", 2},
    {"março", 3},
    {"marco", 3},
    {"maio", 5},
    {"junho", 6},
    {"julho", 7},
    {"setembro", 9},
    {"outubro", 10},
    {"out", 10},
    {"novembro", 11},
    {"dezembro", 12},
    /* Dutch */
    {"januari", 1},
    {"februari", 2},
    {"maart", 3},
    {"mrt", 3},
    {"mei", 5},
    {"augustus", 8},
    {NULL, 0},
};

/* lower-case ASCII copy of s[0..n) into out; false when too long */
static bool lower_word(const char *s, size_t n, char *out, size_t cap)
{
    if (n >= cap)
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
    return true;
}

static bool lookup(const struct name_val *t, const char *w, int *val)
{
    for (; t->name; t++) /* (the first letter rules out most entries) */
        if (t->name[0] == w[0] && strcmp(t->name, w) == 0) {
            *val = t->val;
            return true;
        }
    return false;
}

/* Zone name, military letter included, in minutes east of UTC. */
static bool zone_name(const char *w, int *off)
{
    if (lookup(zones, w, off))
        return true;
    if (w[0] && !w[1] && w[0] >= 'a' && w[0] <= 'y' && w[0] != 'j') {
        int c = w[0];
        if (c <= 'i')
            *off = -(c - 'a' + 1) * 60;
        else if (c <= 'm')
            *off = -(c - 'a') * 60;
        else
            *off = (c - 'n' + 1) * 60;
        return true;
    }
    return false;
}

/* ---- helpers --------------------------------------------------------------- */

static int digits(const char *p, int max, int *val)
{
    int n = 0, v = 0;
    while (n < max && isdigit((unsigned char)p[n]))
        v = v * 10 + (p[n++] - '0');
    *val = v;
    return n;
}

static bool valid(const struct dt *t)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (t->y < 1 || t->y > 9999 || t->mo < 1 || t->mo > 12 || t->d < 1)
        return false;
    int max = mdays[t->mo - 1];
    if (t->mo == 2 && ((t->y % 4 == 0 && t->y % 100 != 0) || t->y % 400 == 0))
        max = 29;
    if (t->d > max)
        return false;
    if (t->h == 24 && (t->mi || t->s))
        return false;
    return t->h >= 0 && t->h <= 24 && t->mi >= 0 && t->mi <= 59 && t->s >= 0 && t->s <= 60 &&
           t->off > -24 * 60 && t->off < 24 * 60;
}

/* Numeric offset at p ("+09:00", "-0500", "+9", "+09"); returns bytes read. */
static int offset(const char *p, int *off)
{
    if (*p != '+' && *p != '-' && strncmp(p, "\xe2\x88\x92", 3) != 0)
        return 0;
    int sign = *p == '+' ? 1 : -1, n = *p == '-' || *p == '+' ? 1 : 3, h, m = 0;
    int k = digits(p + n, 4, &h);
    if (k == 4) {
        m = h % 100;
        h /= 100;
    } else if (k == 1 || k == 2) {
        if (p[n + k] == ':' && digits(p + n + k + 1, 2, &m) == 2)
            k += 3;
    } else {
        return 0;
    }
    if (h > 23 || m > 59)
        return 0;
    *off = sign * (h * 60 + m);
    return n + k;
}

/* ---- strict: W3C-DTF / RFC 3339 / ISO 8601 ---------------------------------- */

static bool parse_iso(const char *p, struct dt *t)
{
    int k;
    if (digits(p, 4, &t->y) != 4)
        return false;
    p += 4;
    t->mo = t->d = 1;
    bool basic = false;
    if (*p == '-') {
        if ((k = digits(p + 1, 3, &t->mo)) == 3) {
            /* ordinal date "2026-031" */
            int yday = t->mo;
            t->mo = 1;
            t->d = yday;
            p += 4;
            if (yday < 1 || yday > 366)
                return false;
            goto time;
        }
        if (k < 1)
            return false;
        p += 1 + k;
        if (*p == '-') {
            if ((k = digits(p + 1, 2, &t->d)) < 1)
                return false;
            p += 1 + k;
        }
    } else if (isdigit((unsigned char)*p)) {
        if (digits(p, 4, &k) != 4 || isdigit((unsigned char)p[4]))
            return false;
        t->mo = k / 100;
        t->d = k % 100;
        p += 4;
        basic = true;
    }
time:
    if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
        p++;
        if (digits(p, 2, &t->h) != 2)
            return false;
        p += 2;
        if (*p == ':' || (basic && isdigit((unsigned char)*p))) {
            p += *p == ':';
            if (digits(p, 2, &t->mi) != 2)
                return false;
            p += 2;
            if (*p == ':' || (basic && isdigit((unsigned char)*p))) {
                p += *p == ':';
                if (digits(p, 2, &t->s) != 2)
                    return false;
                p += 2;
                if ((*p == '.' || *p == ',') && isdigit((unsigned char)p[1]))
                    for (p++; isdigit((unsigned char)*p); p++)
                        ;
            }
        }
        while (*p == ' ')
            p++;
        if (*p == 'Z' || *p == 'z') {
            t->zone = true;
            p++;
        } else if ((k = offset(p, &t->off))) {
            t->zone = true;
            p += k;
        } else if (isalpha((unsigned char)*p)) {
            char w[8];
            size_t n = 0;
            while (isalpha((unsigned char)p[n]))
                n++;
            if (!lower_word(p, n, w, sizeof(w)) || !lookup(zones, w, &t->off))
                return false;
            t->zone = true;
            p += n;
            if ((k = offset(p, &t->off))) /* "GMT+09:00" */
                p += k;
        }
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p)
        return false;
    if (t->mo == 1 && t->d > 31) { /* ordinal day: roll into months */
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (t->y % 4 == 0 && t->y % 100 != 0) || t->y % 400 == 0;
        while (t->mo <= 12) {
            int md = mdays[t->mo - 1] + (t->mo == 2 && leap);
            if (t->d <= md)
                break;
            t->d -= md;
            t->mo++;
        }
    }
    return true;
}

/* ---- loose: RFC 822, asctime, localised and CJK forms ------------------------ */

struct num {
    int val, len;
    char sep; /* separator just before it */
};

/* CJK unit suffixes after a number. */
static const struct {
    const char *s;
    int field; /* 0 year, 1 month, 2 day, 3 hour, 4 minute, 5 second */
} cjk_units[] = {
    {"\xeb\x85\x84", 0}, {"\xe5\xb9\xb4", 0}, /* 년 年 */
    {"\xec\x9b\x94", 1}, {"\xe6\x9c\x88", 1}, /* 월 月 */
    {"\xec\x9d\xbc", 2}, {"\xe6\x97\xa5", 2}, /* 일 日 */
    {"\xec\x8b\x9c", 3}, {"\xe6\x99\x82", 3}, /* 시 時 */
    {"\xeb\xb6\x84", 4}, {"\xe5\x88\x86", 4}, /* 분 分 */
    {"\xec\xb4\x88", 5}, {"\xe7\xa7\x92", 5}, /* 초 秒 */
};

static bool parse_loose(const char *p, struct dt *t)
{
    struct num nums[8];
    int nn = 0, ampm = 0, nums_at_month = -1, k;
    int cjk[6] = {-1, -1, -1, -1, -1, -1};
    bool have_time = false, after_gmt = false, month_word = false;
    char sep = 0;
    t->h = t->mi = t->s = 0;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (isdigit(c)) {
            int v, n = 0;
            while (isdigit((unsigned char)p[n]))
                n++;
            if (n > 8)
                return false;
            digits(p, n, &v);
            const char *q = p + n;
            if (*q == ':' && isdigit((unsigned char)q[1]) && n <= 2 && !have_time) {
                t->h = v;
                q++;
                if ((k = digits(q, 2, &t->mi)) < 1)
                    return false;
                q += k;
                if (*q == ':' && isdigit((unsigned char)q[1])) {
                    q += 1 + digits(q + 1, 2, &t->s);
                    if ((*q == '.' || *q == ',') && isdigit((unsigned char)q[1]))
                        for (q++; isdigit((unsigned char)*q); q++)
                            ;
                }
                have_time = true;
                p = q;
                sep = 0;
                continue;
            }
            if ((*q == 'h' || *q == 'H') && n <= 2 && isdigit((unsigned char)q[1]) &&
                !have_time) { /* French "14h05" */
                t->h = v;
                q += 1 + digits(q + 1, 2, &t->mi);
                have_time = true;
                p = q;
                continue;
            }
            bool unit = false;
            for (size_t i = 0; i < sizeof(cjk_units) / sizeof(cjk_units[0]); i++) {
                size_t ul = strlen(cjk_units[i].s);
                if (strncmp(q, cjk_units[i].s, ul) == 0) {
                    cjk[cjk_units[i].field] = v;
                    t->cjk = true;
                    q += ul;
                    unit = true;
                    break;
                }
            }
            if (!unit) {
                char w[3];
                if (isalpha((unsigned char)q[0]) && isalpha((unsigned char)q[1]) &&
                    !isalpha((unsigned char)q[2]) && lower_word(q, 2, w, sizeof(w)) &&
                    (!strcmp(w, "st") || !strcmp(w, "nd") || !strcmp(w, "rd") || !strcmp(w, "th")))
                    q += 2; /* "31st" */
                if (nn == 8)
                    return false;
                nums[nn++] = (struct num){v, n, sep};
            }
            p = q;
            sep = 0;
            continue;
        }
        if ((c == '+' || c == '-' || c == 0xe2) && (have_time || after_gmt) &&
            (k = offset(p, &t->off))) {
            t->zone = true;
            p += k;
            after_gmt = false;
            continue;
        }
        if (isalpha(c) || c >= 0x80) {
            size_t n = 0;
            while (p[n] && (isalpha((unsigned char)p[n]) || (unsigned char)p[n] >= 0x80))
                n++;
            char w[24];
            int v;
            if (strncmp(p, "\xec\x98\xa4\xec\xa0\x84", 6) == 0 || /* 오전 */
                strncmp(p, "\xe5\x8d\x88\xe5\x89\x8d", 6) == 0) { /* 午前 */
                ampm = 1;
                t->cjk = true;
                n = 6;
            } else if (strncmp(p, "\xec\x98\xa4\xed\x9b\x84", 6) == 0 || /* 오후 */
                       strncmp(p, "\xe5\x8d\x88\xe5\xbe\x8c", 6) == 0) { /* 午後 */
                ampm = 2;
                t->cjk = true;
                n = 6;
            } else if (lower_word(p, n, w, sizeof(w))) {
                if (!strcmp(w, "am") || !strcmp(w, "pm")) {
                    ampm = w[0] == 'a' ? 1 : 2;
                } else if ((!strcmp(w, "a") || !strcmp(w, "p")) && p[1] == '.' &&
                           (p[2] == 'm' || p[2] == 'M')) {
                    ampm = w[0] == 'a' ? 1 : 2; /* "a.m." */
                    n = 3;
                } else if (lookup(months, w, &v) && (!month_word || nums_at_month == 0)) {
                    /* a second month word after one that opened the date: the
                     * first was a weekday ("mar." is Tuesday in French) */
                    t->mo = v;
                    month_word = true;
                    nums_at_month = nn;
                } else if ((have_time || n > 1) && zone_name(w, &t->off)) {
                    t->zone = true;
                    after_gmt = true;
                }
            }
            p += n;
            continue;
        }
        if (c == '.' || c == '/' || c == '-')
            sep = (char)c;
        p++;
    }
    if (ampm && have_time) {
        if (t->h > 12)
            return false;
        if (ampm == 2 && t->h < 12)
            t->h += 12;
        else if (ampm == 1 && t->h == 12)
            t->h = 0;
    }
    if (cjk[3] >= 0) {
        t->h = cjk[3] + (ampm == 2 && cjk[3] < 12 ? 12 : 0);
        t->mi = cjk[4] >= 0 ? cjk[4] : 0;
        t->s = cjk[5] >= 0 ? cjk[5] : 0;
    }
    int i = 0, y = -1, ylen = 0;
    if (cjk[1] >= 0) {
        t->mo = cjk[1];
        y = cjk[0];
        ylen = 4;
        t->d = cjk[2];
        if (y < 0 && nn)
            y = nums[i].val, ylen = nums[i].len, i++;
        if (t->d < 0 && i < nn)
            t->d = nums[i++].val;
    } else if (month_word) {
        /* day and year around a month name, in any order */
        t->d = -1;
        for (; i < nn; i++) {
            if (nums[i].len >= 3 || nums[i].val > 31) {
                if (y >= 0)
                    return false;
                y = nums[i].val, ylen = nums[i].len;
            } else if (t->d < 0) {
                t->d = nums[i].val;
            } else if (y < 0) {
                y = nums[i].val, ylen = nums[i].len;
            } else {
                return false;
            }
        }
    } else if (nn == 3) {
        struct num a = nums[0], b = nums[1], cc = nums[2];
        if (a.len == 4) { /* 2026/01/31, 2026. 1. 31. */
            y = a.val, ylen = 4, t->mo = b.val, t->d = cc.val;
        } else if (b.sep == '/' && a.val <= 12) { /* US 01/31/2026 */
            t->mo = a.val, t->d = b.val, y = cc.val, ylen = cc.len;
        } else { /* 31.01.2026, 31/01/2026, 31-01-2026 */
            t->d = a.val, t->mo = b.val, y = cc.val, ylen = cc.len;
        }
        i = 3;
    } else {
        return false;
    }
    if (y < 0 || t->d < 0)
        return false;
    if (ylen <= 2)
        y += y < 69 ? 2000 : 1900;
    t->y = y;
    if (!t->zone && t->cjk) {
        t->off = 9 * 60;
        t->zone = true;
    }
    return true;
}

/* The RFC 822 form almost every RSS feed uses, exactly: an optional English
 * weekday and ", ", a day of one or two digits, an English month
 * abbreviation, a four-digit year, hh:mm or hh:mm:ss, and a zone name or a
 * four-digit offset, single spaces between and nothing after. parse_loose()
 * reads these the same way; this only skips its tokeniser and tables.
 * False when s has any other shape. */
/* Does p start with the three bytes at name? (strncmp(p, name, 3) == 0
 * without the call: a mismatch at p's NUL stops before reading past it.) */
static bool starts3(const char *p, const char *name)
{
    return p[0] == name[0] && p[0] && p[1] == name[1] && p[1] && p[2] == name[2];
}

static bool parse_rfc822_exact(const char *p, struct dt *t)
{
    static const char wdays[] = "MonTueWedThuFriSatSun";
    static const char mons[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (isalpha((unsigned char)p[0])) {
        bool known = false;
        for (int i = 0; i < 7 && !known; i++)
            known = starts3(p, wdays + 3 * i);
        if (!known || p[3] != ',' || p[4] != ' ')
            return false;
        p += 5;
    }
    int k = digits(p, 2, &t->d);
    if (k < 1 || p[k] != ' ')
        return false;
    p += k + 1;
    t->mo = 0;
    for (int i = 0; i < 12 && !t->mo; i++)
        if (starts3(p, mons + 3 * i))
            t->mo = i + 1;
    if (!t->mo || p[3] != ' ')
        return false;
    p += 4;
    if (digits(p, 4, &t->y) != 4 || p[4] != ' ')
        return false;
    p += 5;
    k = digits(p, 2, &t->h);
    if (k < 1 || p[k] != ':' || digits(p + k + 1, 2, &t->mi) != 2)
        return false;
    p += k + 3;
    if (*p == ':') {
        if (digits(p + 1, 2, &t->s) != 2)
            return false;
        p += 3;
    }
    if (*p++ != ' ')
        return false;
    if (*p == '+' || *p == '-')
        return offset(p, &t->off) == 5 && !p[5];
    size_t n = 0;
    while (isalpha((unsigned char)p[n]))
        n++;
    char w[8];
    return n && !p[n] && lower_word(p, n, w, sizeof(w)) && zone_name(w, &t->off);
}

bool feed_date_parse(const char *s, int64_t *out)
{
    if (!s)
        return false;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || strlen(s) > 200)
        return false;
    struct dt t = {0};
    bool ok = parse_rfc822_exact(s, &t) && valid(&t);
    if (!ok) {
        memset(&t, 0, sizeof(t));
        ok = parse_iso(s, &t) && valid(&t);
    }
    if (!ok) {
        memset(&t, 0, sizeof(t));
        ok = parse_loose(s, &t) && valid(&t);
    }
    if (!ok)
        return false;
    *out = time_from_civil(t.y, t.mo, t.d, t.h, t.mi, t.s) - (int64_t)t.off * 60;
    return true;
}
