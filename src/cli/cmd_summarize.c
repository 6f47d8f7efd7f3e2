/* SPDX-License-Identifier: MIT */
/* cmd_summarize.c: achim summarize — the brief's summariser on plain text
 * or JSONL, one document at a time.
 *
 * With --jsonl each input line is {"id", "text"} and may carry its own
 * "ratio" (0-1, of the text's words) or "words" budget, which wins over the
 * command line; each output line is {"id", "summary"}. This is how the
 * ROUGE evaluation (scripts/eval-summaries.sh) gives achim and ots the same
 * length per article. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "corpus/corpus.h"

#define SUMMARIZE_MAX_INPUT (256u << 20)

struct sum_cli {
    long sentences; /* 0: not given */
    double ratio;   /* 0: not given */
};

/* Summarise one text into out (sentences joined by one space). */
static void summarize_one(const char *text, const struct sum_cli *c, double ratio, long words,
                          struct buf *out)
{
    struct sum_opts o;
    sum_opts_default(&o);
    size_t total = summarize_count_words(text);
    if (words > 0) {
        o.max_sentences = 0;
        o.max_words = (size_t)words;
    } else if (ratio > 0) {
        o.max_sentences = 0;
        o.max_words = (size_t)(ratio * (double)total + 0.5);
        if (!o.max_words)
            o.max_words = 1;
    } else if (c->ratio > 0) {
        o.max_sentences = 0;
        o.max_words = (size_t)(c->ratio * (double)total + 0.5);
        if (!o.max_words)
            o.max_words = 1;
    } else if (c->sentences > 0) {
        o.max_sentences = (size_t)c->sentences;
    }
    struct sum_pick *p = NULL;
    const char *texts[1] = {text};
    size_t n = summarize(texts, 1, &o, &p);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addch(out, ' ');
        buf_add(out, text + p[i].start, p[i].end - p[i].start);
    }
    free(p);
}

static int summarize_jsonl(const char *data, const struct sum_cli *c, const char *name)
{
    int status = EXIT_OK;
    size_t lineno = 0;
    struct buf out = BUF_INIT;
    for (const char *p = data; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        char *line = xstrndup(p, len);
        p = nl ? nl + 1 : p + len;
        if (str_empty(line)) {
            free(line);
            continue;
        }
        cJSON *j = cJSON_Parse(line);
        free(line);
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(j, "text");
        if (!j || !cJSON_IsString(text)) {
            status = cli_error(EXIT_FAIL, "%s:%zu: not a JSON object with a \"text\" string", name,
                               lineno);
            cJSON_Delete(j);
            break;
        }
        const cJSON *ratio = cJSON_GetObjectItemCaseSensitive(j, "ratio");
        const cJSON *words = cJSON_GetObjectItemCaseSensitive(j, "words");
        buf_reset(&out);
        summarize_one(text->valuestring, c, cJSON_IsNumber(ratio) ? ratio->valuedouble : 0,
                      cJSON_IsNumber(words) ? (long)words->valuedouble : 0, &out);
        cJSON *o = cJSON_CreateObject();
        cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
        cJSON_AddItemToObject(o, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "summary", out.ptr);
        char *s = cJSON_PrintUnformatted(o);
        if (s)
            printf("%s\n", s);
        free(s);
        cJSON_Delete(o);
        cJSON_Delete(j);
    }
    buf_release(&out);
    return status;
}

int cmd_summarize(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"sentences", required_argument, NULL, 'n'},
                                         {"ratio", required_argument, NULL, 'r'},
                                         {"jsonl", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    struct sum_cli c = {0, 0};
    bool jsonl = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "n:r:j", opts, NULL)) != -1) {
        switch (ch) {
        case 'n':
            if (!cli_parse_size(optarg, 1, 1000, &c.sentences))
                return cli_usage_error("summarize", "--sentences wants 1 to 1000, not '%s'",
                                       optarg);
            break;
        case 'r': {
            char *end = NULL;
            c.ratio = strtod(optarg, &end);
            if (!end || *end || !(c.ratio > 0 && c.ratio <= 1))
                return cli_usage_error("summarize", "--ratio wants a number in (0, 1], not '%s'",
                                       optarg);
            break;
        }
        case 'j': jsonl = true; break;
        default: return cli_usage_error("summarize", "bad option");
        }
    }
    if (c.sentences && c.ratio > 0)
        return cli_usage_error("summarize", "give --sentences or --ratio, not both");
    int status = EXIT_OK;
    int nfiles = argc - optind;
    for (int i = 0; i < (nfiles ? nfiles : 1) && status == EXIT_OK; i++) {
        const char *path = nfiles ? argv[optind + i] : "-";
        struct buf in = BUF_INIT;
        in.max = SUMMARIZE_MAX_INPUT;
        struct err e = ERR_INIT;
        if (strcmp(path, "-") == 0) {
            char chunk[65536];
            size_t got;
            while ((got = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
                if (buf_add(&in, chunk, got) != ACHIM_OK) {
                    status = cli_error(EXIT_FAIL, "standard input is too large");
                    break;
                }
        } else if (file_read_all(path, &in, &e) != ACHIM_OK) {
            status = cli_error(EXIT_FAIL, "%s", e.msg);
        }
        if (status == EXIT_OK) {
            if (jsonl) {
                status = summarize_jsonl(in.ptr, &c, path);
            } else {
                struct buf out = BUF_INIT;
                summarize_one(in.ptr, &c, 0, 0, &out);
                printf("%s\n", out.ptr);
                buf_release(&out);
            }
        }
        buf_release(&in);
    }
    (void)ctx;
    return status;
}
