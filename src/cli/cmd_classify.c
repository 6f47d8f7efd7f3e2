/* SPDX-License-Identifier: MIT */
/* cmd_classify.c: achim classify — the technology gate and the focus areas
 * on any JSONL, with the terms that fired; and --train, which writes a gate
 * model from labelled lines.
 *
 * Input lines: {"id","title"?,"text"?}. Output, one line per input line:
 * {"id","label","tech","tech_score","tech_terms","area","subtopic",
 * "area_score","terms"}; label is "not-tech", or the focus area ("ai",
 * "bigtech", "trends"), or "tech" for technology outside the three areas. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "corpus/corpus.h"

#define CLASSIFY_FOCUS_MIN 6.0 /* the brief's threshold: one decisive term in a title */

static const char *const area_names[BRIEF_NAREAS] = {"ai", "bigtech", "trends"};

static const char *str_field(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Read JSONL lines into parallel arrays; returns -1 on a bad line. */
struct rows {
    char **id, **title, **text, **label;
    bool *tech;
    size_t n, cap;
};

static void rows_release(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->id[i]);
        free(r->title[i]);
        free(r->text[i]);
        free(r->label[i]);
    }
    free(r->id);
    free(r->title);
    free(r->text);
    free(r->label);
    free(r->tech);
}

static int rows_read(FILE *in, const char *path, const char *tech_label, struct rows *r)
{
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    long lineno = 0;
    int status = 0;
    while ((len = getline(&line, &lcap, in)) != -1) {
        lineno++;
        if (str_empty(line))
            continue;
        cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
        const cJSON *id = o ? cJSON_GetObjectItemCaseSensitive(o, "id") : NULL;
        if (!cJSON_IsObject(o)) {
            status = cli_error(EXIT_FAIL, "'%s' line %ld: not a JSON object", path, lineno);
            cJSON_Delete(o);
            break;
        }
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 256;
            r->id = xreallocarray(r->id, r->cap, sizeof(char *));
            r->title = xreallocarray(r->title, r->cap, sizeof(char *));
            r->text = xreallocarray(r->text, r->cap, sizeof(char *));
            r->label = xreallocarray(r->label, r->cap, sizeof(char *));
            r->tech = xreallocarray(r->tech, r->cap, sizeof(bool));
        }
        char num[32] = "";
        if (cJSON_IsNumber(id))
            snprintf(num, sizeof(num), "%.0f", id->valuedouble);
        else
            snprintf(num, sizeof(num), "%ld", lineno);
        r->id[r->n] = xstrdup(cJSON_IsString(id) ? id->valuestring : num);
        r->title[r->n] = xstrdup(str_field(o, "title"));
        r->text[r->n] = xstrdup(str_field(o, "text"));
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "tech");
        const char *lab = str_field(o, "label");
        if (!lab)
            lab = str_field(o, "category");
        r->label[r->n] = xstrdup(lab);
        r->tech[r->n] =
            cJSON_IsBool(t) ? cJSON_IsTrue(t) : (lab && tech_label && strcmp(lab, tech_label) == 0);
        r->n++;
        cJSON_Delete(o);
    }
    free(line);
    return status;
}

static int do_train(struct rows *r, const char *out_path)
{
    size_t ntech = 0;
    for (size_t i = 0; i < r->n; i++)
        ntech += r->tech[i];
    if (!ntech || ntech == r->n)
        return cli_error(EXIT_FAIL, "training needs lines of both classes (%zu of %zu are tech)",
                         ntech, r->n);
    struct trained_term *tt = NULL;
    /* words in at least 3 documents and at least e (2.7) times likelier in
     * one class: enough to be evidence, few enough to read */
    size_t nt = gate_train((const char *const *)r->title, (const char *const *)r->text, r->tech,
                           r->n, 3, 1.0, &tt);
    struct buf b = BUF_INIT;
    buf_addf(&b,
             "# achim gate model trained from %zu lines (%zu tech): weight<TAB>term\n"
             "# weight = ln(P(word | tech) / P(word | other)) over documents, add-one "
             "smoothed\n",
             r->n, ntech);
    for (size_t i = 0; i < nt; i++)
        buf_addf(&b, "%.1f\t%s\n", tt[i].weight, tt[i].text);
    gate_trained_free(tt, nt);
    int status = EXIT_OK;
    struct err e = ERR_INIT;
    if (out_path) {
        if (file_write_atomic(out_path, b.ptr, b.len, &e) != ACHIM_OK)
            status = cli_error(EXIT_FAIL, "%s", e.msg);
    } else {
        fwrite(b.ptr, 1, b.len, stdout);
    }
    buf_release(&b);
    return status;
}

int cmd_classify(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"jsonl", required_argument, NULL, 'j'},      {"train", required_argument, NULL, 'T'},
        {"out", required_argument, NULL, 'o'},        {"gate", required_argument, NULL, 'g'},
        {"terms", required_argument, NULL, 't'},      {"min-score", required_argument, NULL, 'm'},
        {"tech-label", required_argument, NULL, 'L'}, {NULL, 0, NULL, 0},
    };
    const char *path = NULL, *train = NULL, *out_path = NULL, *gate_path = NULL, *terms_path = NULL,
               *tech_label = "tech";
    double min_score = GATE_MIN_SCORE;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "j:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'j': path = optarg; break;
        case 'T': train = optarg; break;
        case 'o': out_path = optarg; break;
        case 'g': gate_path = optarg; break;
        case 't': terms_path = optarg; break;
        case 'L': tech_label = optarg; break;
        case 'm':
            min_score = strtod(optarg, &end);
            if (end == optarg || *end)
                return cli_usage_error("classify", "--min-score wants a number");
            break;
        default: return cli_usage_error("classify", "bad option");
        }
    }
    if (!path && !train && optind < argc)
        path = argv[optind++];
    if (optind < argc)
        return cli_usage_error("classify", "unexpected argument '%s'", argv[optind]);
    if (!path == !train)
        return cli_usage_error("classify", "want --jsonl FILE|- or --train FILE");
    const char *src = train ? train : path;
    FILE *in = strcmp(src, "-") == 0 ? stdin : fopen(src, "r");
    if (!in)
        return cli_error(EXIT_FAIL, "cannot open '%s'", src);
    struct rows r = {0};
    int status = rows_read(in, src, tech_label, &r);
    if (in != stdin)
        fclose(in);
    if (status) {
        rows_release(&r);
        return status;
    }
    if (train) {
        status = do_train(&r, out_path);
        rows_release(&r);
        return status;
    }

    char *gp = gate_path ? NULL : cli_data_path("tech-terms.tsv");
    char *fp = terms_path ? NULL : cli_data_path("focus-terms.tsv");
    struct gate_model *gate = NULL;
    struct focus_model *focus = NULL;
    struct err e = ERR_INIT;
    if (gate_model_load(gate_path ? gate_path : gp, &gate, &e) != ACHIM_OK ||
        focus_model_load(terms_path ? terms_path : fp, &focus, &e) != ACHIM_OK) {
        status = cli_error(EXIT_FAIL, "%s", e.msg);
        goto out;
    }
    for (size_t i = 0; i < r.n; i++) {
        struct gate_result g;
        struct focus_result f;
        gate_score(gate, r.title[i], r.text[i], &g);
        focus_classify(focus, r.title[i], r.text[i], CLASSIFY_FOCUS_MIN, &f);
        bool tech = g.score >= min_score;
        const char *label = !tech ? "not-tech" : f.area >= 0 ? area_names[f.area] : "tech";
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r.id[i]);
        cJSON_AddStringToObject(o, "label", label);
        cJSON_AddBoolToObject(o, "tech", tech);
        cJSON_AddNumberToObject(o, "tech_score", round(g.score * 100) / 100);
        cJSON_AddStringToObject(o, "tech_terms", g.terms);
        if (f.area >= 0) {
            cJSON_AddStringToObject(o, "area", area_names[f.area]);
            cJSON_AddStringToObject(o, "subtopic", f.subtopic);
            cJSON_AddNumberToObject(o, "area_score", f.score[f.area]);
        } else {
            cJSON_AddNullToObject(o, "area");
            cJSON_AddNullToObject(o, "subtopic");
            cJSON_AddNumberToObject(o, "area_score", 0);
        }
        cJSON_AddStringToObject(o, "terms", f.terms);
        char *s = cJSON_PrintUnformatted(o);
        puts(s);
        free(s);
        cJSON_Delete(o);
        gate_result_release(&g);
        focus_result_release(&f);
    }
out:
    gate_model_free(gate);
    focus_model_free(focus);
    free(gp);
    free(fp);
    rows_release(&r);
    (void)ctx;
    return status;
}
