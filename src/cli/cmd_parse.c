/* SPDX-License-Identifier: MIT */
/* cmd_parse.c: achim parse FILE|- — what the parser reads from one feed. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/cli.h"
#include "feed/feed.h"

#define PARSE_MAX_BYTES (256u << 20)

static void add_str(cJSON *o, const char *key, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, key, v);
}

static void add_time(cJSON *o, const char *key, int64_t t)
{
    if (t) {
        char iso[21];
        time_format_iso(t, iso);
        cJSON_AddStringToObject(o, key, iso);
    }
}

static void print_json(const struct feed_doc *doc)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "bozo", doc->bozo);
    if (doc->bozo)
        add_str(root, "bozo_exception", doc->bozo_message ? doc->bozo_message : "malformed");
    cJSON_AddStringToObject(root, "encoding", doc->encoding ? doc->encoding : "");
    cJSON_AddStringToObject(root, "version", doc->version ? doc->version : "");
    cJSON *feed = cJSON_AddObjectToObject(root, "feed");
    add_str(feed, "title", doc->title);
    add_str(feed, "link", doc->link);
    add_str(feed, "subtitle", doc->subtitle);
    add_str(feed, "language", doc->language);
    cJSON *entries = cJSON_AddArrayToObject(root, "entries");
    for (size_t i = 0; i < doc->nentries; i++) {
        const struct article *a = &doc->entries[i];
        cJSON *e = cJSON_CreateObject();
        add_str(e, "title", a->title);
        add_str(e, "link", a->url);
        add_str(e, "id", a->guid);
        add_str(e, "author", a->authors);
        add_str(e, "summary", a->summary);
        add_str(e, "language", a->language);
        add_time(e, "published", a->published);
        add_time(e, "updated", a->updated);
        if (a->content_html) {
            cJSON *content = cJSON_AddArrayToObject(e, "content");
            cJSON *c = cJSON_CreateObject();
            cJSON_AddStringToObject(c, "type", "text/html");
            cJSON_AddStringToObject(c, "value", a->content_html);
            cJSON_AddItemToArray(content, c);
        }
        if (a->tags && *a->tags) {
            cJSON *tags = cJSON_AddArrayToObject(e, "tags");
            char *copy = strdup(a->tags), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                cJSON *to = cJSON_CreateObject();
                cJSON_AddStringToObject(to, "term", str_trim(t));
                cJSON_AddItemToArray(tags, to);
            }
            free(copy);
        }
        cJSON_AddItemToArray(entries, e);
    }
    char *s = cJSON_PrintUnformatted(root);
    puts(s);
    free(s);
    cJSON_Delete(root);
}

static enum achim_code read_stdin(struct buf *b, struct err *err)
{
    char chunk[65536];
    ssize_t n;
    while ((n = read(0, chunk, sizeof(chunk))) > 0)
        if (buf_add(b, chunk, (size_t)n) != ACHIM_OK)
            return err_set(err, ACHIM_ETOOBIG, "standard input is larger than %zu bytes", b->max);
    if (n < 0)
        return err_set(err, ACHIM_EIO, "cannot read standard input");
    return ACHIM_OK;
}

int cmd_parse(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"url", required_argument, NULL, 'u'},
                                         {NULL, 0, NULL, 0}};
    bool json = false;
    const char *url = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "ju:", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'u': url = optarg; break;
        default: return cli_usage_error("parse", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("parse", "parse wants exactly one FILE or -");
    const char *path = argv[optind];
    struct buf body;
    buf_init(&body, PARSE_MAX_BYTES);
    struct err e = ERR_INIT;
    enum achim_code rc = strcmp(path, "-") == 0 ? read_stdin(&body, &e)
                                                : file_read_all(path, &body, &e);
    struct feed_doc *doc = NULL;
    if (rc == ACHIM_OK) {
        struct feed_parse_opts po = {.url = url};
        rc = feed_parse_buffer(body.ptr, body.len, &po, &doc, &e);
    }
    buf_release(&body);
    if (rc != ACHIM_OK)
        return cli_error(EXIT_FAIL, "%s: %s", path, e.msg);
    if (json) {
        print_json(doc);
    } else {
        printf("%s: %s feed (%s), %zu entries, encoding %s\n", path,
               feed_format_name(doc->format), doc->version ? doc->version : "?", doc->nentries,
               doc->encoding ? doc->encoding : "?");
        printf("title: %s\nlink: %s\n", doc->title ? doc->title : "", doc->link ? doc->link : "");
        if (doc->bozo)
            printf("warning: %s\n", doc->bozo_message ? doc->bozo_message : "malformed feed");
        for (size_t i = 0; i < doc->nentries && i < 10; i++) {
            char when[21] = "unknown date";
            if (article_date(&doc->entries[i]))
                time_format_iso(article_date(&doc->entries[i]), when);
            printf("  - %s  %s\n", when, doc->entries[i].title ? doc->entries[i].title : "(untitled)");
        }
        if (doc->nentries > 10)
            printf("  ... %zu more\n", doc->nentries - 10);
    }
    feed_doc_free(doc);
    return EXIT_OK;
}
