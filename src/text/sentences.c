/* SPDX-License-Identifier: MIT */
/* sentences.c: split article text into sentences for summaries (TextRank)
 * and snippets.
 *
 * A rule-based splitter: it finds candidate terminators ('.', '?', '!',
 * CJK full stops, ellipses) and decides from the word before and the word
 * after whether the sentence really ends. News copy is full of "Mr.",
 * "U.S." and "Inc."; the rules below keep those inside sentences unless the
 * next word is a capitalised function word ("The", "It"), which in news
 * almost always starts a new sentence. Newlines are hard breaks because
 * feed text arrives with one paragraph per line. */
#include "text/text_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct spans {
    struct text_span *v;
    size_t n, cap;
    const char *s;
};

/* Trim [start, end) of white space and add it unless empty. */
static void push(struct spans *sp, size_t start, size_t end)
{
    const uint8_t *s = (const uint8_t *)sp->s;
    int32_t cp;
    while (start < end) {
        size_t k = text_utf8_decode(s + start, end - start, &cp);
        if (!text_is_space(cp))
            break;
        start += k;
    }
    while (end > start) {
        size_t b = end - 1;
        while (b > start && (s[b] & 0xC0) == 0x80 && end - b < 4)
            b--;
        size_t k = text_utf8_decode(s + b, end - b, &cp);
        if (b + k != end || !text_is_space(cp))
            break;
        end = b;
    }
    if (start == end)
        return;
    XGROW(sp->v, sp->n + 1, sp->cap);
    sp->v[sp->n].start = start;
    sp->v[sp->n].end = end;
    sp->n++;
}

static int32_t cp_at(const char *s, size_t len, size_t i, size_t *k)
{
    int32_t cp;
    *k = text_utf8_decode((const uint8_t *)s + i, len - i, &cp);
    return cp;
}

static bool is_closer(int32_t cp)
{
    switch (cp) {
    case '"':
    case '\'':
    case ')':
    case ']':
    case '}':
    case 0x00BB: /* » */
    case 0x2019: /* ’ */
    case 0x201D: /* ” */
    case 0x3009: /* 〉 */
    case 0x300B: /* 》 */
    case 0x300D: /* 」 */
    case 0x300F: /* 』 */
    case 0x3011: /* 】 */
    case 0x3015: /* 〕 */
    case 0xFF09: /* ） */ return true;
    default: return false;
    }
}

static bool is_opener(int32_t cp)
{
    switch (cp) {
    case '"':
    case '\'':
    case '(':
    case '[':
    case '{':
    case 0x00AB: /* « */
    case 0x2018: /* ‘ */
    case 0x201C: /* “ */
    case 0x3008: /* 〈 */
    case 0x300A: /* 《 */
    case 0x300C: /* 「 */
    case 0x300E: /* 『 */
    case 0x3010: /* 【 */
    case 0xFF08: /* （ */ return true;
    default: return false;
    }
}

static bool is_lower(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return cp > 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

static bool is_upper(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU ||
           utf8proc_category(cp) == UTF8PROC_CATEGORY_LT;
}

/* What follows a terminator. */
struct next_word {
    bool at_end;      /* only white space until the end of the input */
    bool spaced;      /* white space right after the terminator */
    int32_t first;    /* first code point of the next word (after openers) */
    bool starter;     /* a capitalised function word: "The", "It", "But" */
    bool initial;     /* a single letter followed by '.' */
    bool digit_first; /* starts with a digit */
};

static struct next_word look_ahead(const char *s, size_t len, size_t j)
{
    struct next_word nw = {0};
    size_t k;
    int32_t cp = -1;
    while (j < len && text_is_space(cp = cp_at(s, len, j, &k))) {
        nw.spaced = true;
        j += k;
    }
    if (j >= len) {
        nw.at_end = true;
        return nw;
    }
    while (j < len && is_opener(cp = cp_at(s, len, j, &k)))
        j += k;
    if (j >= len)
        return nw;
    nw.first = cp;
    nw.digit_first = cp >= '0' && cp <= '9';
    /* A short ASCII word is enough to recognise a function word. */
    char w[TEXT_STOPWORD_MAX_BYTES];
    size_t wl = 0;
    while (j < len && wl < sizeof(w) &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'))) {
        w[wl++] = (char)(s[j] >= 'A' && s[j] <= 'Z' ? s[j] + 32 : s[j]);
        j++;
    }
    bool word_end = j >= len || !((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'));
    nw.initial = wl == 1 && j < len && s[j] == '.';
    nw.starter = is_upper(nw.first) && word_end && wl > 0 && !nw.initial && text_is_stopword(w, wl);
    return nw;
}

/* Abbreviations, lower case, without their final dot. */
enum abbrev { AB_NONE, AB_TITLE, AB_MONTH, AB_SOFT };

static const char *const titles[] = {
    "mr",  "mrs",  "ms",   "dr",  "prof",   "gen",    "sen", "rep",  "gov", "lt",
    "col", "capt", "sgt",  "rev", "hon",    "messrs", "mme", "mlle", "vs",  "v",
    "e.g", "i.e",  "cf",   "fig", "approx", "ca",     "mt",  "pp",   "vol", "ed",
    "eds", "adm",  "cmdr", "maj", "supt",   "insp",   "det", "pres",
};
static const char *const months[] = {"jan", "feb", "mar",  "apr", "jun", "jul",
                                     "aug", "sep", "sept", "oct", "nov", "dec"};
static const char *const softs[] = {
    "inc",  "corp", "co",  "ltd", "llc",  "plc",  "bros", "jr",   "sr", "st",  "etc", "al",  "ave",
    "blvd", "dept", "est", "ft",  "govt", "intl", "assn", "univ", "no", "nos", "op",  "mfg",
};

static bool in_list(const char *w, size_t wl, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == wl && memcmp(list[i], w, wl) == 0)
            return true;
    return false;
}

/* Classify the word that ends just before the '.' at i. */
static enum abbrev abbrev_before(const char *s, size_t i)
{
    size_t b = i;
    while (b > 0 && !text_is_space((unsigned char)s[b - 1]) && (unsigned char)s[b - 1] < 0x80 &&
           !is_opener((unsigned char)s[b - 1]))
        b--;
    /* A word that continues in non-ASCII letters ("éa.") is no abbreviation. */
    if (b > 0 && (unsigned char)s[b - 1] >= 0x80) {
        size_t p = b - 1, k;
        while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80 && b - p < 4)
            p--;
        int32_t cp = cp_at(s, b, p, &k);
        if (!text_is_space(cp) && !is_opener(cp))
            return AB_NONE;
    }
    size_t wl = i - b;
    if (wl == 0 || wl > 8)
        return AB_NONE;
    char w[8];
    bool letters_dots = true, single = true;
    int letters = 0;
    for (size_t x = 0; x < wl; x++) {
        char c = s[b + x];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        w[x] = c;
        if (c >= 'a' && c <= 'z')
            letters++;
        else if (c != '.')
            letters_dots = false;
        if (c == '.')
            single = false;
    }
    if (!letters_dots || letters == 0)
        return AB_NONE;
    if (in_list(w, wl, titles, sizeof(titles) / sizeof(titles[0])))
        return AB_TITLE;
    if (in_list(w, wl, months, sizeof(months) / sizeof(months[0])))
        return AB_MONTH;
    if (in_list(w, wl, softs, sizeof(softs) / sizeof(softs[0])))
        return AB_SOFT;
    /* A single initial ("J. Smith") or an initialism ("U.S", "a.m"). */
    if (wl == 1 || (!single && letters * 2 == (int)wl + 1))
        return AB_SOFT;
    return AB_NONE;
}

/* Skip closing quotes and brackets from j. */
static size_t skip_closers(const char *s, size_t len, size_t j)
{
    size_t k;
    while (j < len && is_closer(cp_at(s, len, j, &k)))
        j += k;
    return j;
}

size_t text_sentences(const char *s, size_t len, struct text_span **out)
{
    struct spans sp = {NULL, 0, 0, s};
    size_t seg = 0, i = 0;
    *out = NULL;
    if (!s)
        return 0;
    while (i < len) {
        size_t k, j;
        int32_t cp = cp_at(s, len, i, &k);
        bool brk = false;

        if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
            push(&sp, seg, i);
            seg = i + k;
            i += k;
            continue;
        }
        if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF61 || cp == 0xFF0E) {
            /* CJK full stops end a sentence without a following space. */
            j = i + k;
            while (j < len) {
                int32_t c2 = cp_at(s, len, j, &k);
                if (c2 != 0x3002 && c2 != 0xFF01 && c2 != 0xFF1F && c2 != 0xFF61 && c2 != 0xFF0E &&
                    c2 != '!' && c2 != '?')
                    break;
                j += k;
            }
            j = skip_closers(s, len, j);
            push(&sp, seg, j);
            seg = i = j;
            continue;
        }
        if (cp == '?' || cp == '!') {
            j = i + 1;
            while (j < len && (s[j] == '?' || s[j] == '!' || s[j] == '.'))
                j++;
            j = skip_closers(s, len, j);
            struct next_word nw = look_ahead(s, len, j);
            brk = nw.at_end || (nw.spaced && !is_lower(nw.first));
        } else if (cp == '.' || cp == 0x2026) {
            bool ellipsis = cp == 0x2026;
            j = i + k;
            while (j < len && s[j] == '.') {
                j++;
                ellipsis = ellipsis || j - i >= 2;
            }
            size_t after = skip_closers(s, len, j);
            struct next_word nw = look_ahead(s, len, after);
            size_t pk;
            int32_t prev = -1;
            if (i > 0) {
                size_t b = i - 1;
                while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80 && i - b < 4)
                    b--;
                prev = cp_at(s, i, b, &pk);
            }
            if (nw.at_end) {
                brk = true;
            } else if (!nw.spaced) {
                /* "1.5", "example.com", "U.S.-based" stay whole; Korean
                 * sometimes omits the space after "다." */
                brk = !ellipsis && text_is_hangul_syllable(prev) && after == j &&
                      text_is_hangul_syllable(nw.first);
            } else if (ellipsis) {
                brk = is_upper(nw.first) || text_is_cjk(nw.first);
            } else {
                switch (abbrev_before(s, i)) {
                case AB_TITLE: brk = false; break;
                case AB_MONTH: brk = !nw.digit_first && nw.starter; break;
                case AB_SOFT: brk = nw.starter; break;
                case AB_NONE: brk = !is_lower(nw.first); break;
                }
            }
            j = after;
        } else {
            i += k;
            continue;
        }
        if (brk) {
            push(&sp, seg, j);
            seg = j;
        }
        i = j;
    }
    push(&sp, seg, len);
    *out = sp.v;
    return sp.n;
}
