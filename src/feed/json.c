/* SPDX-License-Identifier: MIT */
/* json.c: JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) with cJSON.
 *
 * A JSON Feed is recognised by its "version" URL. Items map onto the same
 * struct feed_entry_raw as XML entries: content_html wins over content_text
 * for content, summary is text, "authors" (1.1) or "author" (1.0) name the
 * authors and fall back to the feed's, and "language" (1.1) is taken at
 * both levels. Wrong types are ignored, as feedparser does, rather than
 * rejecting the feed. The whole document is parsed at once; its size is the
 * caller's limit. */
#include "feed/feed_int.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring && *v->valuestring ? v->valuestring : NULL;
}

static char *dup_capped(struct feed_ctx *c, const char *s)
{
    return s ? feed_cap(xstrdup(s), c->max_field) : NULL;
}

/* Names from "authors" (1.1) or "author" (1.0) into list. */
static void authors(const cJSON *o, struct buf *list)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "authors"), *a;
    if (cJSON_IsArray(arr)) {
        cJSON_ArrayForEach(a, arr) feed_list_add(list, str(a, "name"));
    }
    const cJSON *one = cJSON_GetObjectItemCaseSensitive(o, "author");
    if (!list->len && cJSON_IsObject(one))
        feed_list_add(list, str(one, "name"));
    else if (!list->len && cJSON_IsString(one))
        feed_list_add(list, one->valuestring);
}

static void item(struct feed_ctx *c, const cJSON *it)
{
    struct feed_entry_raw r = {.authors = BUF_INIT, .tags = BUF_INIT};
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
    if (cJSON_IsString(id)) {
        r.guid = dup_capped(c, id->valuestring);
    } else if (cJSON_IsNumber(id)) { /* 1.0 feeds often use numbers */
        char num[40];
        snprintf(num, sizeof(num), "%.17g", id->valuedouble);
        r.guid = xstrdup(num);
    }
    const char *url = str(it, "url");
    if (!url)
        url = str(it, "external_url");
    if (url)
        r.link = feed_url_resolve(c->base, url);
    if (url && !r.link)
        r.link = dup_capped(c, url);
    r.title = dup_capped(c, str(it, "title"));
    r.title_html = false;
    const char *html = str(it, "content_html"), *text = str(it, "content_text");
    if (html) {
        r.content = dup_capped(c, html);
        r.content_html = true;
    } else if (text) {
        r.content = dup_capped(c, text);
    }
    r.summary = dup_capped(c, str(it, "summary"));
    if (r.summary)
        r.summary_html = feed_looks_like_html(r.summary);
    authors(it, &r.authors);
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(it, "tags"), *t;
    if (cJSON_IsArray(tags)) {
        cJSON_ArrayForEach(t, tags) if (cJSON_IsString(t)) feed_list_add(&r.tags, t->valuestring);
    }
    feed_date_field(c, str(it, "date_published"), &r.published);
    feed_date_field(c, str(it, "date_modified"), &r.updated);
    r.lang = dup_capped(c, str(it, "language"));
    feed_entry_commit(c, &r);
}

enum achim_code feed_json_parse(struct feed_ctx *c, const char *json, size_t len, struct err *err)
{
    struct feed_doc *doc = c->doc;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!root)
        return err_set(err, ACHIM_EPARSE, "not a feed: JSON syntax error near byte %zu",
                       end ? (size_t)(end - json) : (size_t)0);
    enum achim_code rc = ACHIM_OK;
    const char *version = str(root, "version");
    if (!cJSON_IsObject(root) || !version || !strstr(version, "jsonfeed.org/version/")) {
        rc = err_set(err, ACHIM_EPARSE, "not a feed: JSON without a jsonfeed.org version");
        goto out;
    }
    doc->format = FEED_FORMAT_JSON;
    const char *v = strstr(version, "/version/") + 9;
    if (!strncmp(v, "1.1", 3))
        doc->version = xstrdup("json11");
    else if (!strcmp(v, "1") || !strcmp(v, "1/") || !strcmp(v, "1.0"))
        doc->version = xstrdup("json1");
    else
        doc->version = xstrdup("json");
    doc->title = feed_text_line(dup_capped(c, str(root, "title")));
    const char *home = str(root, "home_page_url");
    if (home)
        doc->link = feed_url_resolve(c->base, home);
    doc->subtitle = feed_text_line(dup_capped(c, str(root, "description")));
    const char *lang = str(root, "language");
    if (lang) {
        free(doc->language);
        doc->language = xstrdup(lang);
    }
    struct buf fa = BUF_INIT;
    authors(root, &fa);
    if (fa.len)
        c->feed_authors = buf_take(&fa);
    buf_release(&fa);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items"), *it;
    if (!cJSON_IsArray(items)) {
        feed_bozo(c, "JSON Feed without an items array");
        goto out;
    }
    cJSON_ArrayForEach(it, items)
    {
        if (c->stopped)
            break;
        if (cJSON_IsObject(it))
            item(c, it);
    }
out:
    cJSON_Delete(root);
    return rc;
}
