/* SPDX-License-Identifier: MIT */
/* entity.c: named entities from a gazetteer, and figures — money, power
 * capacity, percentages and dates — from plain text.
 *
 * Entities: every name, alias and ticker of data/gazetteer.tsv becomes a
 * folded token sequence, indexed by its first token (open addressing), so
 * a text costs one probe per token. A mention must start with a character
 * that is not a lower-case ASCII letter ("Apple said", not "apple pie");
 * a plain ticker must be written in capitals in the text ("NVDA"), while
 * an exchange-qualified one ("005930.KS") matches as written. The longest
 * match at a position wins, so "Samsung Electronics" is not also "Samsung".
 *
 * Figures: one left-to-right scan for numbers ("10", "10.5", "1,200",
 * "100억"), reading a currency sign or code before and a multiplier and
 * unit after: "$10 billion", "€2.5bn", "₩3조", "100억 달러", "750 MW",
 * "1.2 gigawatts", "61%", "41 per cent", and the hedge around each ("more
 * than", "about", "up to"; "약", "이상", "최대"). This is the one figure
 * extractor: ingest stores its figures, the brief compares them between
 * outlets (figcompare.c). Dates are ISO days (2026-01-31)
 * and English "January 31, 2026" / "31 January 2026" forms.
 *
 * Expected work: every article of a day (and the week before, when the
 * store is filled), a few hundred bytes each. Pure: no I/O except loading
 * the gazetteer file. */
#include "corpus/corpus_int.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "text/text.h"

#define ENT_MAX_TOKENS TERM_MAX_TOKENS

/* ==== Gazetteer ==== */

/* What form k (the token sequence forms.seq[k]) names. */
struct gaz_form {
    size_t entity;
    bool ticker; /* plain ticker: must be in capitals in the text */
};

struct gaz_entity {
    char *name, *kind, *tickers;
};

struct gazetteer {
    struct gaz_entity *ent;
    size_t nent, capent;
    struct term_set forms; /* the names, aliases and tickers, as token hashes */
    struct gaz_form *form; /* form[k] says what forms.seq[k] names */
    size_t capform;
};

struct toks {
    uint64_t h[ENT_MAX_TOKENS + 1];
    size_t n;
};

static int form_tok(void *ctx, const struct text_token *tok)
{
    struct toks *t = ctx;
    if (t->n <= ENT_MAX_TOKENS) {
        uint64_t h = text_hash(tok->text, tok->len);
        t->h[t->n] = h ? h : 1;
    }
    t->n++;
    return 0;
}

static void gaz_add_form(struct gazetteer *g, const char *s, size_t entity, bool ticker)
{
    struct toks t = {{0}, 0};
    text_tokenize(s, strlen(s), TEXT_FOLD, form_tok, &t);
    if (t.n == 0 || t.n > ENT_MAX_TOKENS)
        return;
    size_t k = term_set_add(&g->forms, t.h, t.n);
    XGROW(g->form, k + 1, g->capform);
    /* a ticker with an exchange suffix or digits is distinctive as written */
    g->form[k] = (struct gaz_form){entity, ticker && !strpbrk(s, ".0123456789")};
}

void gazetteer_free(struct gazetteer *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nent; i++) {
        free(g->ent[i].name);
        free(g->ent[i].kind);
        free(g->ent[i].tickers);
    }
    free(g->ent);
    free(g->form);
    term_set_release(&g->forms);
    free(g);
}

size_t gazetteer_size(const struct gazetteer *g)
{
    return g ? g->nent : 0;
}
const char *gazetteer_name(const struct gazetteer *g, size_t i)
{
    return g->ent[i].name;
}
const char *gazetteer_kind(const struct gazetteer *g, size_t i)
{
    return g->ent[i].kind;
}
const char *gazetteer_tickers(const struct gazetteer *g, size_t i)
{
    return g->ent[i].tickers;
}

/* Split a |-separated field ("-" = none) and add each part as a form. */
static void add_forms(struct gazetteer *g, char *field, size_t entity, bool ticker)
{
    if (strcmp(field, "-") == 0 || !*field)
        return;
    char *save = NULL;
    for (char *p = strtok_r(field, "|", &save); p; p = strtok_r(NULL, "|", &save))
        gaz_add_form(g, str_trim(p), entity, ticker);
}

static enum achim_code gaz_line(void *ctx, char **field, size_t nfield, int lineno, struct err *err)
{
    struct gazetteer *g = ctx;
    if (nfield != 4 || !*field[0])
        return err_set(err, ACHIM_EPARSE,
                       "gazetteer line %d: want name<TAB>kind<TAB>aliases<TAB>tickers", lineno);
    XGROW(g->ent, g->nent + 1, g->capent);
    size_t id = g->nent++;
    g->ent[id].name = xstrdup(field[0]);
    g->ent[id].kind = xstrdup(field[1]);
    g->ent[id].tickers = xstrdup(strcmp(field[3], "-") == 0 ? "" : field[3]);
    gaz_add_form(g, g->ent[id].name, id, false);
    add_forms(g, field[2], id, false);
    add_forms(g, field[3], id, true);
    return ACHIM_OK;
}

/* Index the forms by first token; each chain runs in file order. */
static enum achim_code gaz_finish(struct gazetteer *g, enum achim_code rc, struct gazetteer **out)
{
    if (rc != ACHIM_OK) {
        gazetteer_free(g);
        return rc;
    }
    term_set_index(&g->forms);
    *out = g;
    return ACHIM_OK;
}

enum achim_code gazetteer_parse(const char *text, size_t len, struct gazetteer **out,
                                struct err *err)
{
    struct gazetteer *g = xcalloc(1, sizeof(*g));
    return gaz_finish(g, termlist_parse(text, len, 4, gaz_line, g, err), out);
}

enum achim_code gazetteer_load(const char *path, struct gazetteer **out, struct err *err)
{
    struct gazetteer *g = xcalloc(1, sizeof(*g));
    return gaz_finish(g, termlist_load(path, 4, gaz_line, g, err), out);
}

/* ==== Entity extraction ==== */

struct span_tok {
    uint64_t h;
    size_t start, end;
};

struct span_list {
    struct span_tok *t;
    size_t n, cap;
};

static int span_tok(void *ctx, const struct text_token *tok)
{
    struct span_list *l = ctx;
    XGROW(l->t, l->n + 1, l->cap);
    uint64_t h = text_hash(tok->text, tok->len);
    l->t[l->n++] = (struct span_tok){h ? h : 1, tok->start, tok->end};
    return 0;
}

static bool all_caps(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            return false;
    return true;
}

size_t entity_extract(const struct gazetteer *g, const char *text, struct entity_hit **out)
{
    *out = NULL;
    if (!g || !text || !g->forms.nslots)
        return 0;
    struct span_list l = {0};
    text_tokenize(text, strlen(text), TEXT_FOLD, span_tok, &l);
    struct entity_hit *hits = NULL;
    size_t nh = 0, cap = 0;
    for (size_t i = 0; i < l.n;) {
        size_t best = SIZE_MAX, best_len = 0;
        if (!(text[l.t[i].start] >= 'a' && text[l.t[i].start] <= 'z')) {
            for (size_t k = term_set_first(&g->forms, l.t[i].h); k != SIZE_MAX;
                 k = g->forms.seq[k].next) {
                const struct term_seq *f = &g->forms.seq[k];
                if (i + f->ntok > l.n || f->ntok <= best_len)
                    continue;
                size_t j = 1;
                while (j < f->ntok && l.t[i + j].h == f->tok[j])
                    j++;
                if (j < f->ntok)
                    continue;
                if (g->form[k].ticker && !all_caps(text, l.t[i].start, l.t[i + f->ntok - 1].end))
                    continue;
                best = k;
                best_len = f->ntok;
            }
        }
        if (best == SIZE_MAX) {
            i++;
            continue;
        }
        XGROW(hits, nh + 1, cap);
        hits[nh++] =
            (struct entity_hit){g->form[best].entity, l.t[i].start, l.t[i + best_len - 1].end};
        i += best_len;
    }
    free(l.t);
    *out = hits;
    return nh;
}

/* ==== Figures ==== */

static bool starts(const char *s, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - s) >= n && strncasecmp(s, word, n) == 0;
}

/* The word at s ends here (no letter follows). */
static bool word_end(const char *s, const char *end)
{
    return s >= end || !isalpha((unsigned char)*s);
}

static const char *skip_spaces(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t' || (unsigned char)*s == 0xC2))
        s += (unsigned char)*s == 0xC2 && s + 1 < end && (unsigned char)s[1] == 0xA0 ? 2 : 1;
    return s;
}

struct mult {
    const char *word;
    double factor;
};

static const struct mult mults[] = {
    {"trillion", 1e12}, {"billion", 1e9}, {"million", 1e6}, {"thousand", 1e3}, {"tn", 1e12},
    {"bn", 1e9},        {"mn", 1e6},      {"b", 1e9},       {"m", 1e6},        {"k", 1e3},
    {"조", 1e12},       {"억", 1e8},      {"만", 1e4},      {NULL, 0},
};

struct cur {
    const char *sign;
    const char *code;
};

static const struct cur prefixes[] = {
    {"US$", "USD"},  {"$", "USD"},    {"€", "EUR"},    {"£", "GBP"},    {"₩", "KRW"}, {"¥", "JPY"},
    {"USD ", "USD"}, {"EUR ", "EUR"}, {"GBP ", "GBP"}, {"KRW ", "KRW"}, {NULL, NULL},
};

static const struct cur suffixes[] = {
    {"달러", "USD"},  {"원", "KRW"},     {"유로", "EUR"}, {"dollars", "USD"},
    {"euros", "EUR"}, {"pounds", "GBP"}, {"won", "KRW"},  {"yen", "JPY"},
    {"USD", "USD"},   {"EUR", "EUR"},    {NULL, NULL},
};

static const char *const months[] = {"january",   "february", "march",    "april",
                                     "may",       "june",     "july",     "august",
                                     "september", "october",  "november", "december"};

static int month_at(const char *s, const char *end, size_t *len)
{
    for (int m = 0; m < 12; m++) {
        if ((*s | 0x20) != months[m][0])
            continue;
        size_t n = strlen(months[m]);
        if ((size_t)(end - s) >= n && strncasecmp(s, months[m], n) == 0 && word_end(s + n, end)) {
            *len = n;
            return m + 1;
        }
    }
    return 0;
}

/* Parse a number at s: digits with thousands commas and one decimal point. */
static const char *parse_number(const char *s, const char *end, double *v)
{
    char buf[64];
    size_t n = 0;
    const char *p = s;
    bool dot = false;
    while (p < end && n < sizeof(buf) - 1) {
        if (isdigit((unsigned char)*p)) {
            buf[n++] = *p++;
        } else if (*p == ',' && p + 3 < end + 0 && isdigit((unsigned char)p[1]) &&
                   isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
                   (p + 4 >= end || !isdigit((unsigned char)p[4]))) {
            p++; /* thousands separator */
        } else if (*p == '.' && !dot && p + 1 < end && isdigit((unsigned char)p[1])) {
            buf[n++] = *p++;
            dot = true;
        } else {
            break;
        }
    }
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    return p;
}

static void add_fig(struct figure **out, size_t *n, size_t *cap, enum figure_kind kind,
                    double value, const char *unit, size_t start, size_t end)
{
    XGROW(*out, *n + 1, *cap);
    struct figure *f = &(*out)[(*n)++];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->value = value;
    snprintf(f->unit, sizeof(f->unit), "%s", unit);
    f->start = start;
    f->end = end;
}

/* The text before s ends with word w as a whole word (ASCII case-insensitive). */
static bool word_before(const char *base, const char *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s - base) < n || strncasecmp(s - n, w, n) != 0)
        return false;
    unsigned char prev = s - n == base ? ' ' : (unsigned char)*(s - n - 1);
    return !isalpha(prev) && prev < 0x80; /* not inside a word, Latin or Hangul */
}

/* The hedge around the figure text[start, end): "more than", "about", "up
 * to" ... before it; Korean "약", "최대" before, "이상", "넘는", "미만" after. */
static int figure_qualifier(const char *text, size_t start, size_t end, const char *stop)
{
    static const struct {
        const char *w;
        int q;
    } before[] = {
        {"more than", FIGURE_AT_LEAST},  {"over", FIGURE_AT_LEAST},
        {"at least", FIGURE_AT_LEAST},   {"upwards of", FIGURE_AT_LEAST},
        {"about", FIGURE_ABOUT},         {"around", FIGURE_ABOUT},
        {"roughly", FIGURE_ABOUT},       {"nearly", FIGURE_ABOUT},
        {"approximately", FIGURE_ABOUT}, {"some", FIGURE_ABOUT},
        {"almost", FIGURE_ABOUT},        {"close to", FIGURE_ABOUT},
        {"above", FIGURE_AT_LEAST},      {"in excess of", FIGURE_AT_LEAST},
        {"up to", FIGURE_AT_MOST},       {"as much as", FIGURE_AT_MOST},
        {"at most", FIGURE_AT_MOST},     {"less than", FIGURE_AT_MOST},
        {"under", FIGURE_AT_MOST},       {"약", FIGURE_ABOUT},
        {"최대", FIGURE_AT_MOST},
    };
    const char *b = text + start;
    while (b > text && b[-1] == ' ')
        b--;
    for (size_t i = 0; i < sizeof(before) / sizeof(before[0]); i++)
        if (word_before(text, b, before[i].w))
            return before[i].q;
    const char *a = skip_spaces(text + end, stop);
    if (starts(a, stop, "이상") || starts(a, stop, "넘"))
        return FIGURE_AT_LEAST;
    if (starts(a, stop, "미만") || starts(a, stop, "이하"))
        return FIGURE_AT_MOST;
    return FIGURE_EXACT;
}

/* What a byte can start besides a digit: the first bytes of the month names
 * and of the currency prefixes, in either case (the keywords are matched
 * ignoring ASCII case). Filled from the tables, so they cannot disagree. */
enum { FIRST_MONTH = 1, FIRST_CURRENCY = 2 };
static unsigned char figure_first_byte[256];
static pthread_once_t figure_first_once = PTHREAD_ONCE_INIT;

static void figure_first_init(void)
{
    for (int m = 0; m < 12; m++) {
        unsigned char c = (unsigned char)months[m][0];
        figure_first_byte[c | 0x20] |= FIRST_MONTH;
        figure_first_byte[c & ~0x20] |= FIRST_MONTH;
    }
    for (const struct cur *c = prefixes; c->sign; c++) {
        unsigned char b = (unsigned char)c->sign[0];
        figure_first_byte[b] |= FIRST_CURRENCY;
        if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
            figure_first_byte[b | 0x20] |= FIRST_CURRENCY;
            figure_first_byte[b & ~0x20] |= FIRST_CURRENCY;
        }
    }
}

size_t figure_extract(const char *text, struct figure **out)
{
    pthread_once(&figure_first_once, figure_first_init);
    *out = NULL;
    if (!text)
        return 0;
    size_t n = 0, cap = 0;
    const char *base = text, *end = text + strlen(text);
    for (const char *p = text; p < end;) {
        /* ISO date */
        if (isdigit((unsigned char)*p) && (p == base || !isalnum((unsigned char)p[-1])) &&
            end - p >= 10 && p[4] == '-' && p[7] == '-') {
            int64_t t;
            char day[11];
            memcpy(day, p, 10);
            day[10] = '\0';
            if (time_parse_day(day, &t)) {
                add_fig(out, &n, &cap, FIGURE_DATE, (double)t, "day", (size_t)(p - base),
                        (size_t)(p - base + 10));
                p += 10;
                continue;
            }
        }
        /* Only a digit, a month name at the start of a word or a currency
         * sign not inside a word can start a figure: any other byte is passed
         * over without trying each keyword there (this loop runs over
         * every byte of every text). */
        unsigned char c0 = (unsigned char)*p;
        bool month_here =
            (figure_first_byte[c0] & FIRST_MONTH) && (p == base || !isalpha((unsigned char)p[-1]));
        bool currency_here = (figure_first_byte[c0] & FIRST_CURRENCY) &&
                             (p == base || !isalnum((unsigned char)p[-1]));
        if (!isdigit(c0) && !month_here && !currency_here) {
            p++;
            continue;
        }
        /* "January 31, 2026" */
        size_t mlen;
        int mon = month_here ? month_at(p, end, &mlen) : 0;
        if (mon) {
            const char *q = skip_spaces(p + mlen, end);
            int d = 0, y = 0;
            while (q < end && isdigit((unsigned char)*q) && d < 100)
                d = d * 10 + (*q++ - '0');
            if (q < end && *q == ',')
                q++;
            q = skip_spaces(q, end);
            const char *ys = q;
            while (q < end && isdigit((unsigned char)*q) && y < 10000)
                y = y * 10 + (*q++ - '0');
            if (d >= 1 && d <= 31 && q - ys == 4) {
                add_fig(out, &n, &cap, FIGURE_DATE, (double)time_from_civil(y, mon, d, 0, 0, 0),
                        "day", (size_t)(p - base), (size_t)(q - base));
                p = q;
                continue;
            }
        }
        /* currency prefix */
        const char *cur = NULL;
        const char *num = p;
        for (const struct cur *c = prefixes; currency_here && c->sign; c++) {
            if (starts(p, end, c->sign)) {
                const char *q = skip_spaces(p + strlen(c->sign), end);
                if (q < end && isdigit((unsigned char)*q)) {
                    cur = c->code;
                    num = q;
                }
                break;
            }
        }
        if (!isdigit((unsigned char)*num) ||
            (num == p && p > base && (isalnum((unsigned char)p[-1]) || p[-1] == '.'))) {
            p++;
            continue;
        }
        double v;
        const char *q = parse_number(num, end, &v);
        const char *after = q;
        /* multiplier */
        const char *r = skip_spaces(q, end);
        for (const struct mult *m = mults; m->word; m++) {
            size_t wl = strlen(m->word);
            bool ascii = isalpha((unsigned char)m->word[0]);
            /* one-letter multipliers only glued to the number ("$10B", "5m") */
            const char *at = (ascii && wl == 1) ? q : r;
            if (starts(at, end, m->word) && (!ascii || word_end(at + wl, end))) {
                v *= m->factor;
                after = at + wl;
                r = skip_spaces(after, end);
                break;
            }
        }
        const char *unit_end = after;
        const char *unit = cur;
        if (!unit) {
            for (const struct cur *c = suffixes; c->sign; c++) {
                size_t sl = strlen(c->sign);
                if (starts(r, end, c->sign) &&
                    (!isalpha((unsigned char)c->sign[0]) || word_end(r + sl, end))) {
                    unit = c->code;
                    unit_end = r + sl;
                    break;
                }
            }
        }
        if (unit) {
            add_fig(out, &n, &cap, FIGURE_MONEY, v, unit, (size_t)(p - base),
                    (size_t)(unit_end - base));
            p = unit_end;
            continue;
        }
        /* capacity and percentages (after the plain number, no multiplier);
         * "a 1.2-gigawatt campus" is hyphenated */
        r = skip_spaces(q, end);
        if (r == q && r + 1 < end && *r == '-' && isalpha((unsigned char)r[1]))
            r++;
        struct {
            const char *w;
            double mw;
        } power[] = {{"GW", 1000},  {"gigawatts", 1000},  {"gigawatt", 1000},
                     {"MW", 1},     {"megawatts", 1},     {"megawatt", 1},
                     {"kW", 0.001}, {"kilowatts", 0.001}, {NULL, 0}};
        bool done = false;
        for (int k = 0; power[k].w; k++) {
            size_t wl = strlen(power[k].w);
            bool exact = wl == 2; /* unit symbols are case-sensitive: "MW", not "mw" */
            if ((exact ? strncmp(r, power[k].w, wl) == 0 && (size_t)(end - r) >= wl
                       : starts(r, end, power[k].w)) &&
                word_end(r + wl, end)) {
                add_fig(out, &n, &cap, FIGURE_POWER, v * power[k].mw, "MW", (size_t)(p - base),
                        (size_t)(r + wl - base));
                p = r + wl;
                done = true;
                break;
            }
        }
        if (done)
            continue;
        if (q < end && *q == '%') {
            add_fig(out, &n, &cap, FIGURE_PERCENT, v, "%", (size_t)(p - base),
                    (size_t)(q + 1 - base));
            p = q + 1;
            continue;
        }
        if (starts(r, end, "percent") || starts(r, end, "per cent")) {
            size_t wl = starts(r, end, "percent") ? 7 : 8;
            add_fig(out, &n, &cap, FIGURE_PERCENT, v, "%", (size_t)(p - base),
                    (size_t)(r + wl - base));
            p = r + wl;
            continue;
        }
        p = q > p ? q : p + 1;
    }
    for (size_t i = 0; i < n; i++)
        (*out)[i].qualifier = figure_qualifier(base, (*out)[i].start, (*out)[i].end, end);
    return n;
}

const char *figure_kind_name(enum figure_kind k)
{
    switch (k) {
    case FIGURE_MONEY: return "money";
    case FIGURE_POWER: return "power";
    case FIGURE_PERCENT: return "percent";
    case FIGURE_DATE: return "date";
    }
    return "?";
}
