/* SPDX-License-Identifier: MIT */
/* fuzz_feed.c: libFuzzer target for the feed parser (`make fuzz`).
 *
 * Each input goes through feed_parse_buffer() twice, the way achim uses it:
 * once as ingest does (articles only, entries dropped as they close) and
 * once as `achim parse --json` does (the full feedparser-shaped tree,
 * printed to JSON). The first input byte picks an HTTP context, so the
 * encoding rules for text/xml, application/xml, non-XML and header-less
 * responses are exercised as well as local files. Any crash, leak or
 * sanitizer report is a finding; each becomes a regression fixture under
 * tests/fixtures/feeds/fuzz-*. */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "feed/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {
        NULL,
        "application/atom+xml",
        "text/xml",
        "application/xml; charset=utf-16",
        "text/plain; charset=iso-8859-1",
        "application/rss+xml; charset=gb2312",
    };
    struct feed_parse_opts o = {.max_field = 64 * 1024};
    if (size) {
        unsigned sel = data[0] % 8;
        if (sel < sizeof(types) / sizeof(types[0]) && sel) {
            o.content_type = types[sel];
            o.http = true;
            o.url = "http://fuzz.example/dir/feed.xml";
            o.content_language = "en-us";
        } else if (sel == 7) {
            o.http = true; /* served without a Content-Type */
            o.url = "http://fuzz.example/";
        }
    }
    struct feed_doc *doc = NULL;
    if (feed_parse_buffer((const char *)data, size, &o, &doc, NULL) == ACHIM_OK)
        feed_doc_free(doc);
    o.detail = true;
    doc = NULL;
    if (feed_parse_buffer((const char *)data, size, &o, &doc, NULL) == ACHIM_OK) {
        cJSON *j = feed_detail_take(doc);
        char *s = cJSON_PrintUnformatted(j);
        free(s);
        cJSON_Delete(j);
        feed_doc_free(doc);
    }
    return 0;
}
