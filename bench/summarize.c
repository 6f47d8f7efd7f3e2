/* SPDX-License-Identifier: MIT */
/* summarize.c (bench): time the summariser's ranking of 1,000 sentences.
 *
 * The sentences are the BBC articles of ../shared joined until there are
 * 1,000 of them (a realistic vocabulary), read from the JSONL file named on
 * the command line. Prints the best of five runs in milliseconds. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/util.h"
#include "corpus/corpus.h"
#include "text/text.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: summarize BBC.jsonl [SENTENCES]\n");
        return 2;
    }
    size_t want = argc > 2 ? (size_t)atol(argv[2]) : 1000;
    struct buf in = BUF_INIT, text = BUF_INIT;
    struct err e = ERR_INIT;
    if (file_read_all(argv[1], &in, &e) != ACHIM_OK) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    size_t have = 0;
    for (char *p = in.ptr; *p && have < want;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        cJSON *j = cJSON_Parse(p);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "text");
        if (cJSON_IsString(t)) {
            struct text_span *sp = NULL;
            size_t n = text_sentences(t->valuestring, strlen(t->valuestring), &sp);
            for (size_t k = 0; k < n && have < want; k++, have++) {
                buf_add(&text, t->valuestring + sp[k].start, sp[k].end - sp[k].start);
                buf_addch(&text, '\n');
            }
            free(sp);
        }
        cJSON_Delete(j);
        if (!nl)
            break;
        p = nl + 1;
    }
    const char *texts[1] = {text.ptr};
    struct sum_opts o;
    sum_opts_default(&o);
    o.max_sentences = 10;
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        struct sum_pick *p = NULL;
        double t0 = now_ms();
        summarize(texts, 1, &o, &p);
        double dt = now_ms() - t0;
        free(p);
        if (dt < best)
            best = dt;
    }
    printf("%zu sentences ranked in %.1f ms (best of 5)\n", have, best);
    buf_release(&in);
    buf_release(&text);
    return 0;
}
