/* SPDX-License-Identifier: MIT */
/* sources.c: adding sources (with feed discovery), OPML import and export.
 *
 * Adding checks the address the way a reader would: fetch it once; if it is
 * a feed, keep it; if it is an HTML page, follow its <link rel="alternate">
 * announcements and keep the first one that parses. Nothing is stored from
 * this check: the first `achim fetch` ingests the articles. */
#include "app/app.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/xalloc.h"
#include "feed/feed.h"

struct probe {
    enum achim_code rc;
    int status;
    struct buf body;
    char *url, *content_type, *error;
};

static void on_probe(void *vctx, const struct fetch_result *r)
{
    struct probe *p = vctx;
    p->rc = r->rc;
    p->status = r->status;
    buf_reset(&p->body);
    buf_add(&p->body, r->body, r->len);
    p->url = xstrdup(r->url);
    p->content_type = xstrdup(r->content_type);
    p->error = xstrdup(r->error);
}

static void probe_release(struct probe *p)
{
    buf_release(&p->body);
    free(p->url);
    free(p->content_type);
    free(p->error);
    memset(p, 0, sizeof(*p));
}

/* Fetch url into p; ACHIM_OK or the transfer's failure (message in err). */
static enum achim_code probe(const char *url, const struct fetch_opts *net, struct probe *p,
                             struct err *err)
{
    memset(p, 0, sizeof(*p));
    struct fetch_request req = {.url = url};
    enum achim_code rc = fetch_run(&req, 1, net, on_probe, p, err);
    if (rc != ACHIM_OK)
        return rc;
    if (p->rc != ACHIM_OK)
        return err_set(err, p->rc, "cannot fetch '%s': %s", url, p->error ? p->error : "failed");
    return ACHIM_OK;
}

/* Parse p's body as a feed; the document or NULL. */
static struct feed_doc *as_feed(const struct probe *p)
{
    struct feed_doc *doc = NULL;
    struct feed_parse_opts po = {.url = p->url, .content_type = p->content_type};
    if (feed_parse_buffer(p->body.ptr, p->body.len, &po, &doc, NULL) != ACHIM_OK)
        return NULL;
    return doc;
}

enum achim_code app_source_add(struct store *st, const struct app_source_add *a,
                               const struct fetch_opts *net, int64_t now, int64_t *id,
                               char **feed_url, struct err *err)
{
    *feed_url = NULL;
    if (str_empty(a->url))
        return err_set(err, ACHIM_EINVAL, "source without a url");
    if (!str_starts_with(a->url, "http://") && !str_starts_with(a->url, "https://"))
        return err_set(err, ACHIM_EINVAL, "'%s' is not an http(s) url", a->url);
    char *url = xstrdup(a->url);
    char *title = NULL, *site = NULL;
    enum achim_code rc = ACHIM_OK;
    if (!a->no_check) {
        struct probe p;
        rc = probe(url, net, &p, err);
        struct feed_doc *doc = rc == ACHIM_OK ? as_feed(&p) : NULL;
        if (rc == ACHIM_OK && !doc) {
            char **cand = NULL;
            size_t ncand = 0;
            feed_discover(p.body.ptr, p.body.len, p.url, &cand, &ncand);
            rc = ncand ? ACHIM_ENOTFOUND
                       : err_set(err, ACHIM_ENOTFOUND,
                                 "'%s' is neither a feed nor a page that "
                                 "announces one",
                                 url);
            for (size_t i = 0; i < ncand && !doc; i++) {
                struct probe q;
                if (probe(cand[i], net, &q, NULL) == ACHIM_OK && (doc = as_feed(&q))) {
                    free(url);
                    url = xstrdup(cand[i]);
                    rc = ACHIM_OK;
                }
                probe_release(&q);
            }
            if (rc != ACHIM_OK && ncand)
                err_set(err, rc, "none of the %zu feed(s) '%s' announces could be read", ncand,
                        a->url);
            for (size_t i = 0; i < ncand; i++)
                free(cand[i]);
            free(cand);
        }
        if (doc) {
            title = xstrdup(doc->title);
            site = xstrdup(doc->link);
        }
        feed_doc_free(doc);
        probe_release(&p);
    }
    if (rc == ACHIM_OK)
        rc = store_source_ensure(st, url, a->name ? a->name : title, site, now, id, err);
    if (rc == ACHIM_OK) {
        struct store_source_edit e = STORE_SOURCE_EDIT_INIT;
        e.name = a->name;
        e.weight = a->weight > 0 ? a->weight : -1;
        e.fulltext = a->fulltext ? 1 : -1;
        e.enabled = 1;
        rc = store_source_edit(st, *id, &e, err);
    }
    if (rc == ACHIM_OK)
        *feed_url = url;
    else
        free(url);
    free(title);
    free(site);
    return rc;
}

enum achim_code app_sources_import(struct store *st, const char *data, size_t len, int64_t now,
                                   int *added, int *existing, struct err *err)
{
    *added = *existing = 0;
    struct feed_outline *v = NULL;
    size_t n = 0;
    enum achim_code rc = feed_opml_parse(data, len, &v, &n, err);
    if (rc != ACHIM_OK)
        return rc;
    /* one transaction: an import is all or nothing */
    rc = store_begin(st, err);
    for (size_t i = 0; i < n && rc == ACHIM_OK; i++) {
        const struct feed_outline *f = &v[i];
        if (!str_starts_with(f->xml_url, "http://") && !str_starts_with(f->xml_url, "https://"))
            continue;
        int64_t id = 0;
        if (store_source_find(st, f->xml_url, &id, NULL) == ACHIM_OK)
            (*existing)++;
        else
            (*added)++;
        rc = store_source_ensure(st, f->xml_url, f->title, f->html_url, now, &id, err);
        if (rc == ACHIM_OK && (f->weight > 0 || f->fulltext)) {
            struct store_source_edit e = STORE_SOURCE_EDIT_INIT;
            e.weight = f->weight > 0 ? f->weight : -1;
            e.fulltext = f->fulltext ? 1 : -1;
            rc = store_source_edit(st, id, &e, err);
        }
    }
    if (rc == ACHIM_OK)
        rc = store_commit(st, err);
    else {
        store_rollback(st);
        *added = *existing = 0;
    }
    feed_outlines_free(v, n);
    return rc;
}

enum achim_code app_sources_export(struct store *st, int64_t now, struct buf *out, struct err *err)
{
    struct store_source *s = NULL;
    size_t n = 0;
    enum achim_code rc = store_sources_list(st, &s, &n, err);
    if (rc != ACHIM_OK)
        return rc;
    struct feed_outline *v = xcalloc(n ? n : 1, sizeof(*v));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (str_starts_with(s[i].feed_url, "file://"))
            continue; /* local files are not subscriptions */
        v[k].xml_url = s[i].feed_url;
        v[k].html_url = s[i].site_url;
        v[k].title = s[i].name;
        v[k].weight = s[i].weight;
        v[k].fulltext = s[i].fulltext;
        k++;
    }
    rc = feed_opml_write(v, k, "achim sources", now, out);
    free(v); /* strings are borrowed from s */
    store_sources_free(s, n);
    return rc;
}
