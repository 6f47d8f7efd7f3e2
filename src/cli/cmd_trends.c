/* SPDX-License-Identifier: MIT */
/* cmd_trends.c: achim trends — term frequency across outlets and periods
 * as a table, CSV, JSON or an SVG chart (see docs/trends.md). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "report/report.h"

#define MAX_LIST 256

/* Split a comma-separated option into list (strings point into a copy kept
 * in *store, released by the caller). */
static bool split_list(const char *arg, char ***list, size_t *n, size_t *cap)
{
    char *copy = xstrdup(arg);
    for (char *p = copy, *next; p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        str_trim(p);
        if (!*p)
            continue;
        if (*n >= MAX_LIST) {
            free(copy);
            return false;
        }
        XGROW(*list, *n + 1, *cap);
        (*list)[(*n)++] = xstrdup(p);
    }
    free(copy);
    return true;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case STORE_TERM_WORD: return "word";
    case STORE_TERM_PHRASE: return "phrase";
    case STORE_TERM_ENTITY: return "entity";
    }
    return "?";
}

static const char *outlet_name(const struct app_trends *t, int64_t id)
{
    for (size_t i = 0; i < t->noutlets; i++)
        if (t->outlet_id[i] == id)
            return t->outlet_name[i];
    return "?";
}

static double per1000(int64_t x, int64_t n)
{
    return n > 0 ? 1000.0 * (double)x / (double)n : NAN;
}

static void fmt(char out[32], const char *f, double v)
{
    if (isnan(v))
        snprintf(out, 32, "-");
    else
        snprintf(out, 32, f, v);
}

static void day_label(int64_t day, char out[11])
{
    time_format_day(day * 86400, out);
}

/* Hours between the first article of each outlet and the first overall;
 * -1 for outlets that never used the term. Returns the earliest time. */
static int64_t lead_times(const struct app_trends *t, const struct app_trend_series *s,
                          double *hours)
{
    int64_t first = 0;
    for (size_t o = 0; o < t->noutlets; o++)
        if (s->first_by_outlet[o] && (!first || s->first_by_outlet[o] < first))
            first = s->first_by_outlet[o];
    for (size_t o = 0; o < t->noutlets; o++)
        hours[o] = s->first_by_outlet[o] ? (double)(s->first_by_outlet[o] - first) / 3600.0 : -1;
    return first;
}

static bool has_base(const struct app_trends *t, const struct trend_test *k, size_t p)
{
    return t->docs[p] && k->base_docs >= TREND_MIN_BASE_DOCS;
}

/* ==== table ==== */

static void print_series(const struct app_trends *t, size_t si)
{
    const struct app_trend_series *s = &t->series[si];
    printf("\n%s  (%s \"%s\")\n", s->term, kind_name(s->kind), s->key);
    printf("  %-10s %8s %6s %8s %8s %8s %7s %9s  %s\n", "period", "articles", "uses", "per1000",
           "vs-prev", "vs-base", "z", "p", "burst");
    for (size_t p = 0; p < t->nperiods; p++) {
        const struct trend_test *k = &s->test[p];
        char r[32], g[32], b[32], z[32], pv[32];
        fmt(r, "%.1f", per1000(s->x[p], t->docs[p]));
        fmt(g, "%+.0f%%", 100 * s->growth[p]);
        fmt(b, "%+.0f%%", has_base(t, k, p) ? 100 * (k->ratio - 1) : NAN);
        fmt(z, "%.2f", has_base(t, k, p) ? k->z : NAN);
        fmt(pv, "%.2g", has_base(t, k, p) ? k->p : NAN);
        printf("  %-10s %8lld %6lld %8s %8s %8s %7s %9s  %s\n", t->period_label[p],
               (long long)t->docs[p], (long long)s->x[p], r, g, b, z, pv,
               s->burst[p] ? "BURST" : "");
    }
    /* share of voice in the last period with any use */
    size_t last = t->nperiods;
    while (last > 0 && s->x[last - 1] == 0)
        last--;
    if (last) {
        size_t p = last - 1;
        printf("  share of voice %s:", t->period_label[p]);
        for (size_t o = 0; o < t->noutlets; o++) {
            double sh = app_trend_share(t, si, o, p);
            if (sh > 0)
                printf(" %s %.0f%%;", t->outlet_name[o], 100 * sh);
        }
        printf("\n");
    }
    if (s->first_seen) {
        char d[21];
        time_format_iso(s->first_seen, d);
        printf("  first seen %s (%s)%s\n", d, outlet_name(t, s->first_source),
               s->first_seen >= t->period_start[t->nperiods - 1] * 86400 ? ", new this period"
                                                                         : "");
    }
    double *hours = xcalloc(t->noutlets + 1, sizeof(double));
    if (lead_times(t, s, hours)) {
        printf("  lead (hours after the first outlet):");
        for (size_t o = 0; o < t->noutlets; o++)
            if (hours[o] >= 0)
                printf(" %s %+.1f;", t->outlet_name[o], hours[o]);
        printf("\n");
    }
    free(hours);
    for (size_t p = 0; s->ctx && p < t->nperiods; p++) {
        const struct app_trend_context *c = &s->ctx[p];
        printf("  context %s (%zu articles):", t->period_label[p], c->docs);
        for (size_t i = 0; i < c->ntop; i++)
            printf("%s %s", i ? "," : "", c->top[i].term);
        if (!isnan(c->jaccard))
            printf("  [vs previous: jaccard %.2f, cosine %.2f]", c->jaccard, c->cosine);
        printf("\n");
    }
}

static void print_emerging(const struct app_trends *t)
{
    char wf[11], wt[11], bf[11], bt[11];
    day_label(t->window_from, wf);
    day_label(t->window_to - 1, wt);
    day_label(t->base_from, bf);
    day_label(t->base_to - 1, bt);
    printf("\nemerging %s..%s against %s..%s (%zu terms tested, Poisson test, Bonferroni)\n", wf,
           wt, bf, bt, t->ntested);
    if (t->base_docs < TREND_MIN_BASE_DOCS)
        printf("  the baseline holds %lld article(s), too few to compare against: widen it with "
               "--baseline or choose a later window (--from/--to)\n",
               (long long)t->base_docs);
    printf("  %4s %-28s %-6s %6s %8s %8s %7s %7s %9s %6s  %s\n", "rank", "term", "kind", "uses",
           "per1000", "base", "ratio", "z", "p", "-log10p", "flags");
    for (size_t i = 0; i < t->nrows; i++) {
        const struct app_trend_row *r = &t->rows[i];
        printf("  %4zu %-28s %-6s %6lld %8.2f %8.2f %7.1f %7.2f %9.2g %6.1f  %s%s\n", i + 1,
               r->term, kind_name(r->kind), (long long)r->x, r->test.rate, r->test.base,
               r->test.ratio, r->test.z, r->test.p, -r->test.log10p, r->burst ? "BURST " : "",
               r->is_new ? "NEW" : "");
    }
}

static void print_table(const struct app_trends *t)
{
    static const char *const by[] = {"day", "week", "month", "quarter"};
    char f[11], l[11];
    day_label(t->from, f);
    day_label(t->to - 1, l);
    int64_t docs = 0;
    for (size_t p = 0; p < t->nperiods; p++)
        docs += t->docs[p];
    printf("trends by %s, %s..%s: %zu period(s), %zu outlet(s), %lld articles\n", by[t->by], f, l,
           t->nperiods, t->noutlets, (long long)docs);
    for (size_t i = 0; i < t->nseries; i++)
        print_series(t, i);
    if (t->rows || t->ntested)
        print_emerging(t);
}

/* ==== CSV ==== */

static void csv_series(const struct app_trends *t, struct buf *out)
{
    static const char *const head[] = {
        "term", "kind",     "period",         "outlet",      "articles",
        "uses", "per_1000", "share_of_voice", "growth_prev", "growth_baseline",
        "z",    "p",        "burst"};
    report_csv_row(out, head, sizeof(head) / sizeof(head[0]));
    for (size_t si = 0; si < t->nseries; si++) {
        const struct app_trend_series *s = &t->series[si];
        for (size_t p = 0; p < t->nperiods; p++) {
            char n[32], x[32], r[32], g[32], gb[32], z[32], pv[32];
            snprintf(n, 32, "%lld", (long long)t->docs[p]);
            snprintf(x, 32, "%lld", (long long)s->x[p]);
            report_csv_num(r, per1000(s->x[p], t->docs[p]));
            report_csv_num(g, s->growth[p]);
            report_csv_num(gb, has_base(t, &s->test[p], p) ? s->test[p].ratio - 1 : NAN);
            report_csv_num(z, has_base(t, &s->test[p], p) ? s->test[p].z : NAN);
            report_csv_num(pv, has_base(t, &s->test[p], p) ? s->test[p].p : NAN);
            const char *row[] = {s->term,
                                 kind_name(s->kind),
                                 t->period_label[p],
                                 "(all)",
                                 n,
                                 x,
                                 r,
                                 "1",
                                 g,
                                 gb,
                                 z,
                                 pv,
                                 s->burst[p] ? "1" : "0"};
            report_csv_row(out, row, 13);
            for (size_t o = 0; o < t->noutlets; o++) {
                int64_t no = t->docs_o[o * t->nperiods + p], xo = s->xo[o * t->nperiods + p];
                if (!no)
                    continue;
                char sv[32];
                snprintf(n, 32, "%lld", (long long)no);
                snprintf(x, 32, "%lld", (long long)xo);
                report_csv_num(r, per1000(xo, no));
                report_csv_num(sv, app_trend_share(t, si, o, p));
                const char *orow[] = {s->term,
                                      kind_name(s->kind),
                                      t->period_label[p],
                                      t->outlet_name[o],
                                      n,
                                      x,
                                      r,
                                      sv,
                                      "",
                                      "",
                                      "",
                                      "",
                                      ""};
                report_csv_row(out, orow, 13);
            }
        }
    }
}

static void csv_emerging(const struct app_trends *t, struct buf *out)
{
    static const char *const head[] = {
        "term", "kind", "uses",    "articles", "per_1000", "baseline_per_1000", "ratio",
        "z",    "p",    "log10_p", "burst",    "new",      "first_seen",        "first_outlet"};
    report_csv_row(out, head, 14);
    for (size_t i = 0; i < t->nrows; i++) {
        const struct app_trend_row *r = &t->rows[i];
        char x[32], n[32], rt[32], b[32], ra[32], z[32], p[32], lp[32], fs[21] = "";
        snprintf(x, 32, "%lld", (long long)r->x);
        snprintf(n, 32, "%lld", (long long)r->n);
        report_csv_num(rt, r->test.rate);
        report_csv_num(b, r->test.base);
        report_csv_num(ra, r->test.ratio);
        report_csv_num(z, r->test.z);
        report_csv_num(p, r->test.p);
        report_csv_num(lp, r->test.log10p);
        if (r->first_seen)
            time_format_iso(r->first_seen, fs);
        const char *row[] = {r->term,
                             kind_name(r->kind),
                             x,
                             n,
                             rt,
                             b,
                             ra,
                             z,
                             p,
                             lp,
                             r->burst ? "1" : "0",
                             r->is_new ? "1" : "0",
                             fs,
                             r->first_seen ? outlet_name(t, r->first_source) : ""};
        report_csv_row(out, row, 14);
    }
}

/* ==== JSON ==== */

static cJSON *num_or_null(double v)
{
    return isnan(v) || isinf(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v);
}

static void json_out(const struct app_trends *t, struct buf *out)
{
    static const char *const by[] = {"day", "week", "month", "quarter"};
    cJSON *root = cJSON_CreateObject();
    char d[21];
    cJSON_AddStringToObject(root, "by", by[t->by]);
    day_label(t->from, d);
    cJSON_AddStringToObject(root, "from", d);
    day_label(t->to - 1, d);
    cJSON_AddStringToObject(root, "to", d);
    cJSON *periods = cJSON_AddArrayToObject(root, "periods");
    for (size_t p = 0; p < t->nperiods; p++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "label", t->period_label[p]);
        day_label(t->period_start[p], d);
        cJSON_AddStringToObject(o, "start", d);
        cJSON_AddNumberToObject(o, "articles", (double)t->docs[p]);
        cJSON_AddItemToArray(periods, o);
    }
    cJSON *series = cJSON_AddArrayToObject(root, "series");
    double *hours = xcalloc(t->noutlets + 1, sizeof(double));
    for (size_t si = 0; si < t->nseries; si++) {
        const struct app_trend_series *s = &t->series[si];
        cJSON *so = cJSON_CreateObject();
        cJSON_AddStringToObject(so, "term", s->term);
        cJSON_AddStringToObject(so, "key", s->key);
        cJSON_AddStringToObject(so, "kind", kind_name(s->kind));
        if (s->first_seen) {
            time_format_iso(s->first_seen, d);
            cJSON_AddStringToObject(so, "first_seen", d);
            cJSON_AddStringToObject(so, "first_outlet", outlet_name(t, s->first_source));
        }
        cJSON *ps = cJSON_AddArrayToObject(so, "periods");
        for (size_t p = 0; p < t->nperiods; p++) {
            cJSON *po = cJSON_CreateObject();
            cJSON_AddStringToObject(po, "period", t->period_label[p]);
            cJSON_AddNumberToObject(po, "uses", (double)s->x[p]);
            cJSON_AddItemToObject(po, "per_1000", num_or_null(per1000(s->x[p], t->docs[p])));
            cJSON_AddItemToObject(po, "growth_prev", num_or_null(s->growth[p]));
            cJSON_AddItemToObject(
                po, "growth_baseline",
                num_or_null(has_base(t, &s->test[p], p) ? s->test[p].ratio - 1 : NAN));
            cJSON_AddItemToObject(po, "z",
                                  num_or_null(has_base(t, &s->test[p], p) ? s->test[p].z : NAN));
            cJSON_AddItemToObject(po, "p",
                                  num_or_null(has_base(t, &s->test[p], p) ? s->test[p].p : NAN));
            cJSON_AddBoolToObject(po, "burst", s->burst[p]);
            cJSON *outs = cJSON_AddObjectToObject(po, "outlets");
            for (size_t o = 0; o < t->noutlets; o++) {
                int64_t no = t->docs_o[o * t->nperiods + p], xo = s->xo[o * t->nperiods + p];
                if (!no)
                    continue;
                cJSON *oo = cJSON_CreateObject();
                cJSON_AddNumberToObject(oo, "articles", (double)no);
                cJSON_AddNumberToObject(oo, "uses", (double)xo);
                cJSON_AddItemToObject(oo, "per_1000", num_or_null(per1000(xo, no)));
                cJSON_AddItemToObject(oo, "share", num_or_null(app_trend_share(t, si, o, p)));
                cJSON_AddItemToObject(outs, t->outlet_name[o], oo);
            }
            if (s->ctx) {
                const struct app_trend_context *c = &s->ctx[p];
                cJSON *co = cJSON_AddObjectToObject(po, "context");
                cJSON_AddNumberToObject(co, "articles", (double)c->docs);
                cJSON *top = cJSON_AddArrayToObject(co, "top");
                for (size_t i = 0; i < c->ntop; i++)
                    cJSON_AddItemToArray(top, cJSON_CreateString(c->top[i].term));
                cJSON_AddItemToObject(co, "jaccard_prev", num_or_null(c->jaccard));
                cJSON_AddItemToObject(co, "cosine_prev", num_or_null(c->cosine));
            }
            cJSON_AddItemToArray(ps, po);
        }
        if (lead_times(t, s, hours)) {
            cJSON *lead = cJSON_AddArrayToObject(so, "lead");
            for (size_t o = 0; o < t->noutlets; o++) {
                if (hours[o] < 0)
                    continue;
                cJSON *lo = cJSON_CreateObject();
                cJSON_AddStringToObject(lo, "outlet", t->outlet_name[o]);
                time_format_iso(s->first_by_outlet[o], d);
                cJSON_AddStringToObject(lo, "first", d);
                cJSON_AddNumberToObject(lo, "lead_hours", hours[o]);
                cJSON_AddItemToArray(lead, lo);
            }
        }
        cJSON_AddItemToArray(series, so);
    }
    free(hours);
    if (t->ntested || t->nrows) {
        cJSON *em = cJSON_AddArrayToObject(root, "emerging");
        for (size_t i = 0; i < t->nrows; i++) {
            const struct app_trend_row *r = &t->rows[i];
            cJSON *ro = cJSON_CreateObject();
            cJSON_AddStringToObject(ro, "term", r->term);
            cJSON_AddStringToObject(ro, "kind", kind_name(r->kind));
            cJSON_AddNumberToObject(ro, "uses", (double)r->x);
            cJSON_AddNumberToObject(ro, "articles", (double)r->n);
            cJSON_AddNumberToObject(ro, "per_1000", r->test.rate);
            cJSON_AddNumberToObject(ro, "baseline_per_1000", r->test.base);
            cJSON_AddNumberToObject(ro, "ratio", r->test.ratio);
            cJSON_AddItemToObject(ro, "z", num_or_null(r->test.z));
            cJSON_AddNumberToObject(ro, "p", r->test.p);
            cJSON_AddNumberToObject(ro, "log10_p", r->test.log10p);
            cJSON_AddBoolToObject(ro, "burst", r->burst);
            cJSON_AddBoolToObject(ro, "new", r->is_new);
            cJSON_AddItemToArray(em, ro);
        }
        cJSON_AddNumberToObject(root, "terms_tested", (double)t->ntested);
    }
    char *s = cJSON_PrintUnformatted(root);
    buf_addstr(out, s);
    buf_addch(out, '\n');
    free(s);
    cJSON_Delete(root);
}

/* ==== SVG ==== */

static void svg_out(const struct app_trends *t, struct buf *out)
{
    static const char *const by[] = {"day", "week", "month", "quarter"};
    struct buf g = BUF_INIT;
    int y = 0;
    const char **labels = xcalloc(t->nperiods + 1, sizeof(char *));
    for (size_t p = 0; p < t->nperiods; p++)
        labels[p] = t->period_label[p];
    const char **names = xcalloc(t->nseries + 1, sizeof(char *));
    double *v = xcalloc(t->nseries * t->nperiods + 1, sizeof(double));
    for (size_t s = 0; s < t->nseries; s++) {
        names[s] = t->series[s].term;
        for (size_t p = 0; p < t->nperiods; p++)
            v[s * t->nperiods + p] = per1000(t->series[s].x[p], t->docs[p]);
    }
    char title[128], xl[64];
    snprintf(title, sizeof(title), "Articles using each term, per 1,000 articles, by %s",
             by[t->by]);
    snprintf(xl, sizeof(xl), "%s", by[t->by]);
    struct report_chart c = {title,       xl,    "per 1,000 articles", labels,
                             t->nperiods, names, t->nseries,           v};
    y += report_svg_lines(&c, y, &g);
    double *hv = xcalloc(t->noutlets * t->nperiods + 1, sizeof(double));
    for (size_t s = 0; s < t->nseries; s++) {
        for (size_t o = 0; o < t->noutlets; o++)
            for (size_t p = 0; p < t->nperiods; p++) {
                int64_t no = t->docs_o[o * t->nperiods + p];
                hv[o * t->nperiods + p] =
                    no ? per1000(t->series[s].xo[o * t->nperiods + p], no) : NAN;
            }
        struct buf ht = BUF_INIT;
        buf_addf(&ht, "\"%s\" by outlet and %s (per 1,000 of the outlet's articles)",
                 t->series[s].term, by[t->by]);
        struct report_heatmap h = {ht.ptr,
                                   "per 1,000 articles",
                                   (const char *const *)t->outlet_name,
                                   t->noutlets,
                                   labels,
                                   t->nperiods,
                                   hv};
        y += report_svg_heatmap(&h, y, &g);
        buf_release(&ht);
    }
    report_svg_document(&g, y, out);
    buf_release(&g);
    free(hv);
    free(v);
    free(names);
    free(labels);
}

/* ==== the command ==== */

int cmd_trends(struct cli_ctx *ctx, int argc, char **argv)
{
    enum {
        O_TERMS = 1,
        O_ENT,
        O_BY,
        O_OUTLETS,
        O_FROM,
        O_TO,
        O_FORMAT,
        O_EMERGING,
        O_LIMIT,
        O_CONTEXT,
        O_BASELINE,
        O_OUT,
        O_MIN
    };
    static const struct option opts[] = {
        {"terms", required_argument, NULL, O_TERMS},
        {"entities", no_argument, NULL, O_ENT},
        {"by", required_argument, NULL, O_BY},
        {"outlets", required_argument, NULL, O_OUTLETS},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"format", required_argument, NULL, O_FORMAT},
        {"emerging", no_argument, NULL, O_EMERGING},
        {"limit", required_argument, NULL, O_LIMIT},
        {"context", no_argument, NULL, O_CONTEXT},
        {"baseline", required_argument, NULL, O_BASELINE},
        {"min-count", required_argument, NULL, O_MIN},
        {"out", required_argument, NULL, O_OUT},
        {NULL, 0, NULL, 0},
    };
    struct app_trends_opts o;
    app_trends_opts_default(&o);
    o.gazetteer = cli_gazetteer(ctx);
    char **terms = NULL, **outlets = NULL;
    size_t nterms = 0, tcap = 0, noutlets = 0, ocap = 0;
    const char *format = "table", *out_path = NULL;
    int status = -1, c;
    long v;
    while (status < 0 && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_TERMS:
            if (!split_list(optarg, &terms, &nterms, &tcap))
                status = cli_usage_error("trends", "at most %d terms", MAX_LIST);
            break;
        case O_OUTLETS:
            if (!split_list(optarg, &outlets, &noutlets, &ocap))
                status = cli_usage_error("trends", "at most %d outlets", MAX_LIST);
            break;
        case O_ENT: o.entities = true; break;
        case O_BY: {
            enum trend_period p;
            if (!trend_period_parse(optarg, &p))
                status = cli_usage_error("trends", "--by must be day, week, month or quarter");
            o.by = p;
            break;
        }
        case O_FROM:
        case O_TO: {
            int64_t t;
            if (!time_parse_day(optarg, &t))
                status = cli_usage_error("trends", "'%s' is not a YYYY-MM-DD date", optarg);
            else if (c == O_FROM)
                o.from = t / 86400;
            else
                o.to = t / 86400 + 1; /* --to is inclusive */
            break;
        }
        case O_FORMAT:
            format = optarg;
            if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json") &&
                strcmp(format, "svg"))
                status = cli_usage_error("trends", "--format must be table, csv, json or svg");
            break;
        case O_EMERGING: o.emerging = true; break;
        case O_CONTEXT: o.context = true; break;
        case O_LIMIT:
            if (!cli_parse_size(optarg, 1, 10000, &v))
                status = cli_usage_error("trends", "--limit must be 1 to 10000");
            o.limit = (size_t)v;
            break;
        case O_BASELINE:
            if (!cli_parse_size(optarg, 1, 520, &v))
                status = cli_usage_error("trends", "--baseline must be 1 to 520 periods");
            o.baseline = (size_t)v;
            break;
        case O_MIN:
            if (!cli_parse_size(optarg, 1, 1000000, &v))
                status = cli_usage_error("trends", "--min-count must be a positive number");
            o.min_count = (size_t)v;
            break;
        case O_OUT: out_path = optarg; break;
        default: status = cli_usage_error("trends", "bad option");
        }
    }
    if (status < 0 && optind < argc)
        status = cli_usage_error("trends", "unexpected argument '%s'", argv[optind]);
    if (status < 0 && o.from && o.to && o.to <= o.from)
        status = cli_usage_error("trends", "--to is before --from");
    if (status >= 0) {
        free_list(terms, nterms);
        free_list(outlets, noutlets);
        return status;
    }
    bool emerging_asked = o.emerging;
    if (!nterms)
        o.emerging = true;
    o.terms = (const char *const *)terms;
    o.nterms = nterms;
    o.outlets = (const char *const *)outlets;
    o.noutlets = noutlets;

    struct app_trends t;
    struct err e = ERR_INIT;
    enum achim_code rc = app_trends_build(ctx->store, &o, &t, &e);
    /* a chart of emerging terms charts the top five of them */
    if (rc == ACHIM_OK && !nterms && strcmp(format, "svg") == 0 && t.nrows) {
        size_t n = t.nrows < 5 ? t.nrows : 5;
        for (size_t i = 0; i < n; i++) {
            XGROW(terms, nterms + 1, tcap);
            terms[nterms++] = xstrdup(t.rows[i].term);
        }
        app_trends_release(&t);
        o.terms = (const char *const *)terms;
        o.nterms = nterms;
        rc = app_trends_build(ctx->store, &o, &t, &e);
    }
    if (rc != ACHIM_OK) {
        free_list(terms, nterms);
        free_list(outlets, noutlets);
        return cli_error(rc == ACHIM_EINVAL ? EXIT_USAGE : EXIT_FAIL, "%s", e.msg);
    }
    struct buf out = BUF_INIT;
    if (strcmp(format, "csv") == 0) {
        /* CSV is one table: the ranking when asked for (or when no terms
         * were named), else the series */
        if (emerging_asked || !t.nseries)
            csv_emerging(&t, &out);
        else
            csv_series(&t, &out);
    } else if (strcmp(format, "json") == 0) {
        json_out(&t, &out);
    } else if (strcmp(format, "svg") == 0) {
        svg_out(&t, &out);
    } else {
        fflush(stdout);
        print_table(&t);
    }
    status = EXIT_OK;
    if (out.len) {
        if (out_path) {
            if (file_write_atomic(out_path, out.ptr, out.len, &e) != ACHIM_OK)
                status = cli_error(EXIT_FAIL, "%s", e.msg);
        } else {
            fwrite(out.ptr, 1, out.len, stdout);
        }
    }
    buf_release(&out);
    app_trends_release(&t);
    free_list(terms, nterms);
    free_list(outlets, noutlets);
    return status;
}
