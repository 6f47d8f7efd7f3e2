/* SPDX-License-Identifier: MIT */
/* cmd_parse.c: achim parse FILE|- — what the parser reads from one feed.
 *
 * With --json it prints feedparser's result shape (the FEED-JSON contract
 * the conformance suite checks); HTTP context comes from --url/--headers or
 * FEEDCONF_URL/FEEDCONF_HEADERS, as if the bytes had been fetched. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <time.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/cli.h"
#include "feed/feed.h"

#define PARSE_MAX_BYTES (256u << 20)

/* Lower-cased copy of the HTTP headers object, or an empty object. */
static cJSON *headers_lower(const char *json)
{
    cJSON *in = json && *json ? cJSON_Parse(json) : NULL;
    cJSON *out = cJSON_CreateObject(), *it;
    if (cJSON_IsObject(in)) {
        cJSON_ArrayForEach(it, in)
        {
            if (!it->string || !cJSON_IsString(it))
                continue;
            char *k = strdup(it->string);
            for (char *p = k; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            cJSON_DeleteItemFromObjectCaseSensitive(out, k);
            cJSON_AddStringToObject(out, k, it->valuestring);
            free(k);
        }
    }
    cJSON_Delete(in);
    return out;
}

static const char *hdr(const cJSON *h, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* [year, month, day, hour, min, sec, wday, yday, 0] of an HTTP date, or null. */
static cJSON *date_tuple(const char *s)
{
    int64_t t;
    if (!s || !feed_date_parse(s, &t))
        return cJSON_CreateNull();
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return cJSON_CreateNull();
    double v[9] = {tm.tm_year + 1900, tm.tm_mon + 1,        tm.tm_mday,     tm.tm_hour, tm.tm_min,
                   tm.tm_sec,         (tm.tm_wday + 6) % 7, tm.tm_yday + 1, 0};
    return cJSON_CreateDoubleArray(v, 9);
}

static void print_json(struct feed_doc *doc, const char *url, cJSON *headers, bool http)
{
    cJSON *root = feed_detail_take(doc);
    if (!root)
        root = cJSON_CreateObject();
    if (http) {
        cJSON_AddItemToObject(root, "headers", cJSON_Duplicate(headers, 1));
        if (url)
            cJSON_AddStringToObject(root, "href", url);
        cJSON_AddNumberToObject(root, "status", 200);
        const char *etag = hdr(headers, "etag"), *mod = hdr(headers, "last-modified");
        if (etag && *etag)
            cJSON_AddStringToObject(root, "etag", etag);
        if (mod && *mod) {
            cJSON_AddStringToObject(root, "modified", mod);
            cJSON_AddItemToObject(root, "modified_parsed", date_tuple(mod));
        }
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
                                         {"headers", required_argument, NULL, 'H'},
                                         {NULL, 0, NULL, 0}};
    bool json = false;
    const char *url = NULL, *headers_json = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "ju:H:", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'u': url = optarg; break;
        case 'H': headers_json = optarg; break;
        default: return cli_usage_error("parse", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("parse", "parse wants exactly one FILE or -");
    const char *path = argv[optind];
    /* the conformance harness passes HTTP context through the environment */
    if (!url || !*url)
        url = getenv("FEEDCONF_URL");
    if (!headers_json || !*headers_json)
        headers_json = getenv("FEEDCONF_HEADERS");
    if (url && !*url)
        url = NULL;
    bool http = url || (headers_json && *headers_json);
    cJSON *headers = headers_lower(headers_json);
    struct buf body;
    buf_init(&body, PARSE_MAX_BYTES);
    struct err e = ERR_INIT;
    enum achim_code rc =
        strcmp(path, "-") == 0 ? read_stdin(&body, &e) : file_read_all(path, &body, &e);
    struct feed_doc *doc = NULL;
    if (rc == ACHIM_OK) {
        struct feed_parse_opts po = {.url = url,
                                     .content_type = hdr(headers, "content-type"),
                                     .content_location = hdr(headers, "content-location"),
                                     .content_language = hdr(headers, "content-language"),
                                     .detail = json,
                                     .http = http};
        rc = feed_parse_buffer(body.ptr, body.len, &po, &doc, &e);
    }
    buf_release(&body);
    if (rc != ACHIM_OK) {
        cJSON_Delete(headers);
        return cli_error(EXIT_FAIL, "%s: %s", path, e.msg);
    }
    if (json) {
        print_json(doc, url, headers, http);
    } else {
        printf("%s: %s feed (%s), %zu entries, encoding %s\n", path, feed_format_name(doc->format),
               doc->version ? doc->version : "?", doc->nentries,
               doc->encoding ? doc->encoding : "?");
        printf("title: %s\nlink: %s\n", doc->title ? doc->title : "", doc->link ? doc->link : "");
        if (doc->bozo)
            printf("warning: %s\n", doc->bozo_message ? doc->bozo_message : "malformed feed");
        for (size_t i = 0; i < doc->nentries && i < 10; i++) {
            char when[21] = "unknown date";
            if (article_date(&doc->entries[i]))
                time_format_iso(article_date(&doc->entries[i]), when);
            printf("  - %s  %s\n", when,
                   doc->entries[i].title ? doc->entries[i].title : "(untitled)");
        }
        if (doc->nentries > 10)
            printf("  ... %zu more\n", doc->nentries - 10);
    }
    feed_doc_free(doc);
    cJSON_Delete(headers);
    return EXIT_OK;
}
