/* SPDX-License-Identifier: MIT */
/* facts.c: entities and figures stored per article (tables of the
 * migration "facts"; filled by app_facts_sync() in src/app/analyze.c).
 *
 * The store only keeps what the app layer found: it knows nothing of
 * gazetteers or number formats. Work: a few rows per article, written in
 * batches of a day's articles inside one transaction. Articles still to
 * process are queued in facts_todo by an insert trigger, so finding them
 * costs a read of the queue, not a scan of every article; an update
 * trigger queues an article again when its text changes, and storing its
 * facts then replaces the rows of the old text. */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

enum achim_code store_facts_pending(struct store *st, size_t limit, int64_t **ids, size_t *n,
                                    struct err *err)
{
    *ids = NULL;
    *n = 0;
    /* asked after every feed by a feed-by-feed ingest (fetch): prepared
     * once per connection */
    int rc;
    sqlite3_stmt *q =
        store_cached(st, STORE_C_FACT_PENDING,
                     "SELECT article_id FROM facts_todo ORDER BY article_id LIMIT ?1", &rc);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "facts: pending");
    sqlite3_bind_int64(q, 1, limit ? (sqlite3_int64)limit : -1);
    size_t cap = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        XGROW(*ids, *n + 1, cap);
        (*ids)[(*n)++] = sqlite3_column_int64(q, 0);
    }
    sqlite3_reset(q); /* a statement left running would hold its read */
    if (rc != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return store_fail(st, err, rc, "facts: pending");
    }
    return ACHIM_OK;
}

/* The statements of a put, cached per connection. */
struct put_stmts {
    sqlite3_stmt *ent, *fig, *done, *clear, *todo;
};

static int put_prepare(struct store *st, struct put_stmts *s)
{
    int rc = SQLITE_OK;
    s->ent = store_cached(st, STORE_C_FACT_ENTITY,
                          "INSERT INTO article_entities(article_id, entity, kind, mentions) "
                          "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(article_id, entity) DO "
                          "UPDATE SET mentions = excluded.mentions",
                          &rc);
    s->fig = rc != SQLITE_OK ? NULL
                             : store_cached(st, STORE_C_FACT_FIGURE,
                                            "INSERT OR REPLACE INTO article_figures("
                                            "article_id, seq, kind, value, unit, text) "
                                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                            &rc);
    s->done = rc != SQLITE_OK ? NULL
                              : store_cached(st, STORE_C_FACT_DONE,
                                             "INSERT OR IGNORE INTO facts_done(article_id) "
                                             "VALUES (?1)",
                                             &rc);
    s->clear = rc != SQLITE_OK ? NULL
                               : store_cached(st, STORE_C_FACT_CLEAR,
                                              "DELETE FROM article_figures WHERE "
                                              "article_id = ?1",
                                              &rc);
    s->todo = rc != SQLITE_OK ? NULL
                              : store_cached(st, STORE_C_FACT_TODO,
                                             "DELETE FROM facts_todo WHERE "
                                             "article_id = ?1",
                                             &rc);
    return rc;
}

/* Leave no statement running: a pending read would hold the transaction. */
static void put_reset(struct put_stmts *s)
{
    sqlite3_reset(s->ent);
    sqlite3_reset(s->fig);
    sqlite3_clear_bindings(s->ent); /* the bound texts are the caller's */
    sqlite3_clear_bindings(s->fig);
    sqlite3_reset(s->done);
    sqlite3_reset(s->clear);
    sqlite3_reset(s->todo);
}

/* One article's rows, inside a transaction or savepoint the caller undoes
 * on failure. An SQLite result code. */
static int put_one(struct store *st, struct put_stmts *s, const struct store_facts_row *r)
{
    int64_t article_id = r->article_id;
    int rc;
    sqlite3_bind_int64(s->done, 1, article_id);
    if ((rc = sqlite3_step(s->done)) != SQLITE_DONE)
        return rc;
    sqlite3_reset(s->done);
    if (sqlite3_changes(st->db) == 0) {
        /* extracted before, and queued again because its text changed:
         * its rows are those of the old text. A first extraction has none
         * (only this file writes them, with facts_done, and they go with
         * the article), so it skips both deletes. Rare, so the entities'
         * delete is not a kept statement. */
        sqlite3_bind_int64(s->clear, 1, article_id);
        if ((rc = sqlite3_step(s->clear)) != SQLITE_DONE)
            return rc;
        sqlite3_reset(s->clear);
        sqlite3_stmt *old = NULL;
        rc = sqlite3_prepare_v2(st->db, "DELETE FROM article_entities WHERE article_id = ?1", -1,
                                &old, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(old, 1, article_id);
            rc = sqlite3_step(old);
        }
        sqlite3_finalize(old);
        if (rc != SQLITE_DONE)
            return rc;
    }
    for (size_t i = 0; i < r->nents; i++) {
        const struct store_entity *x = &r->ents[i];
        sqlite3_reset(s->ent);
        sqlite3_bind_int64(s->ent, 1, article_id);
        sqlite3_bind_text(s->ent, 2, x->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s->ent, 3, x->kind ? x->kind : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(s->ent, 4, x->mentions);
        if ((rc = sqlite3_step(s->ent)) != SQLITE_DONE)
            return rc;
    }
    sqlite3_reset(s->ent);
    for (size_t i = 0; i < r->nfigs; i++) {
        const struct store_figure *x = &r->figs[i];
        sqlite3_reset(s->fig);
        sqlite3_bind_int64(s->fig, 1, article_id);
        sqlite3_bind_int64(s->fig, 2, (sqlite3_int64)i);
        sqlite3_bind_text(s->fig, 3, x->kind, -1, SQLITE_STATIC);
        sqlite3_bind_double(s->fig, 4, x->value);
        sqlite3_bind_text(s->fig, 5, x->unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(s->fig, 6, x->text ? x->text : "", -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(s->fig)) != SQLITE_DONE)
            return rc;
    }
    sqlite3_reset(s->fig);
    sqlite3_bind_int64(s->todo, 1, article_id);
    if ((rc = sqlite3_step(s->todo)) != SQLITE_DONE)
        return rc;
    sqlite3_reset(s->todo);
    return SQLITE_OK;
}

enum achim_code store_facts_put_batch(struct store *st, const struct store_facts_row *rows,
                                      size_t n, struct err *err)
{
    struct put_stmts s;
    int rc = put_prepare(st, &s);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "facts: prepare");
    /* the old rows go and the new ones come in one transaction: a reader
     * never sees an article without its facts or with two versions mixed;
     * inside the caller's transaction a savepoint makes a failure undo
     * these articles' rows only, so the caller's other work is not lost */
    bool own = !store_in_transaction(st);
    if ((rc = sqlite3_exec(st->db, own ? "BEGIN IMMEDIATE" : "SAVEPOINT facts", NULL, NULL,
                           NULL)) != SQLITE_OK)
        return store_fail(st, err, rc, "facts: begin");
    size_t i = 0;
    for (; i < n && rc == SQLITE_OK; i++)
        rc = put_one(st, &s, &rows[i]);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, own ? "COMMIT" : "RELEASE facts", NULL, NULL, NULL);
    /* the message first: resetting a statement that ran fine sets the
     * connection's error back to "not an error" */
    enum achim_code code = rc == SQLITE_OK
                               ? ACHIM_OK
                               : store_fail(st, err, rc, "facts: article %lld",
                                            (long long)(i ? rows[i - 1].article_id : 0));
    put_reset(&s);
    if (code != ACHIM_OK) {
        if (own)
            store_rollback(st);
        else
            sqlite3_exec(st->db, "ROLLBACK TO facts; RELEASE facts", NULL, NULL, NULL);
    }
    return code;
}

enum achim_code store_facts_put(struct store *st, int64_t article_id,
                                const struct store_entity *ents, size_t nents,
                                const struct store_figure *figs, size_t nfigs, struct err *err)
{
    struct store_facts_row r = {article_id, ents, nents, figs, nfigs};
    return store_facts_put_batch(st, &r, 1, err);
}

enum achim_code store_facts_get(struct store *st, int64_t article_id, struct store_entity **ents,
                                size_t *nents, struct store_figure **figs, size_t *nfigs,
                                struct err *err)
{
    *ents = NULL;
    *figs = NULL;
    *nents = *nfigs = 0;
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    const char *what = "facts: entities";
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT entity, kind, mentions FROM article_entities WHERE "
                                "article_id = ?1 ORDER BY mentions DESC, entity",
                                -1, &q, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(q, 1, article_id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        XGROW(*ents, *nents + 1, cap);
        struct store_entity *x = &(*ents)[(*nents)++];
        x->name = store_column_strdup(q, 0);
        x->kind = store_column_strdup(q, 1);
        x->mentions = sqlite3_column_int(q, 2);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        goto fail;
    cap = 0;
    what = "facts: figures";
    rc = sqlite3_prepare_v2(st->db,
                            "SELECT kind, value, unit, text FROM article_figures WHERE "
                            "article_id = ?1 ORDER BY seq",
                            -1, &q, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(q, 1, article_id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        XGROW(*figs, *nfigs + 1, cap);
        struct store_figure *x = &(*figs)[(*nfigs)++];
        x->kind = store_column_strdup(q, 0);
        x->value = sqlite3_column_double(q, 1);
        x->unit = store_column_strdup(q, 2);
        x->text = store_column_strdup(q, 3);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        goto fail;
    return ACHIM_OK;
fail:
    /* callers that treat the facts as optional return at once, without
     * freeing: hand back nothing rather than the rows read so far */
    store_facts_free(*ents, *nents, *figs, *nfigs);
    *ents = NULL;
    *figs = NULL;
    *nents = *nfigs = 0;
    return store_fail(st, err, rc, "%s", what);
}

void store_facts_free(struct store_entity *ents, size_t nents, struct store_figure *figs,
                      size_t nfigs)
{
    for (size_t i = 0; i < nents; i++) {
        free(ents[i].name);
        free(ents[i].kind);
    }
    free(ents);
    for (size_t i = 0; i < nfigs; i++) {
        free(figs[i].kind);
        free(figs[i].unit);
        free(figs[i].text);
    }
    free(figs);
}
