/* SPDX-License-Identifier: MIT */
/* stories.c: story ids that persist across days (tables of the migration
 * "stories"; written by app_stories_save() in src/app/analyze.c).
 *
 * The store only remembers which article belonged to which story; deciding
 * what a story is stays in corpus/ and app/. Work: a day's stories (tens to
 * a few thousand), each with its handful of articles, in one transaction. */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

enum achim_code store_story_find(struct store *st, const int64_t *article_ids, size_t n,
                                 int64_t before_day, int64_t *id, struct err *err)
{
    *id = 0;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT story_id FROM story_articles "
                                "WHERE article_id = ?1 AND day <= ?2",
                                -1, &q, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "stories: find");
    int64_t *ids = xcalloc(n ? n : 1, sizeof(int64_t));
    size_t nids = 0;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(q, 1, article_ids[i]);
        sqlite3_bind_int64(q, 2, before_day);
        rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            ids[nids++] = sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            break;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_OK) {
        free(ids);
        return store_fail(st, err, rc, "stories: find");
    }
    /* the most frequent id, the lower one on ties (a handful of ids: quadratic is fine) */
    size_t best = 0;
    for (size_t i = 0; i < nids; i++) {
        size_t c = 0;
        for (size_t j = 0; j < nids; j++)
            c += ids[j] == ids[i];
        if (c > best || (c == best && ids[i] < *id)) {
            best = c;
            *id = ids[i];
        }
    }
    free(ids);
    return ACHIM_OK;
}

enum achim_code store_story_put(struct store *st, const struct store_story *s,
                                const int64_t *article_ids, size_t n, int64_t *id, struct err *err)
{
    sqlite3_stmt *q = NULL;
    int rc;
    int64_t sid = s->id;
    if (sid) {
        rc = sqlite3_prepare_v2(st->db,
                                "UPDATE stories SET last_day = max(last_day, ?2), state = ?3, "
                                "title = ?4, articles = ?5, outlets = ?6, "
                                "first_day = min(first_day, ?2) WHERE id = ?1",
                                -1, &q, NULL);
        if (rc == SQLITE_OK)
            sqlite3_bind_int64(q, 1, sid);
    } else {
        rc = sqlite3_prepare_v2(st->db,
                                "INSERT INTO stories(first_day, last_day, state, title, articles, "
                                "outlets) VALUES (?2, ?2, ?3, ?4, ?5, ?6)",
                                -1, &q, NULL);
    }
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(q, 2, s->last_day);
        sqlite3_bind_text(q, 3, s->state ? s->state : "new", -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, s->title ? s->title : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 5, s->articles);
        sqlite3_bind_int(q, 6, s->outlets);
        rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(st->db);
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "stories: put");
    if (!sid)
        sid = sqlite3_last_insert_rowid(st->db);
    rc = sqlite3_prepare_v2(st->db,
                            "INSERT INTO story_articles(article_id, story_id, day) "
                            "VALUES (?1, ?2, ?3) ON CONFLICT(article_id) DO UPDATE SET "
                            "story_id = excluded.story_id, day = excluded.day",
                            -1, &q, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        sqlite3_bind_int64(q, 1, article_ids[i]);
        sqlite3_bind_int64(q, 2, sid);
        sqlite3_bind_int64(q, 3, s->last_day);
        rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(st->db);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "stories: link articles");
    if (id)
        *id = sid;
    return ACHIM_OK;
}

enum achim_code store_story_get(struct store *st, int64_t id, struct store_story *out,
                                struct err *err)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT id, first_day, last_day, state, title, articles, outlets "
                                "FROM stories WHERE id = ?1",
                                -1, &q, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "stories: get");
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    enum achim_code code = ACHIM_OK;
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        out->first_day = sqlite3_column_int64(q, 1);
        out->last_day = sqlite3_column_int64(q, 2);
        out->state = xstrdup((const char *)sqlite3_column_text(q, 3));
        out->title = xstrdup((const char *)sqlite3_column_text(q, 4));
        out->articles = sqlite3_column_int(q, 5);
        out->outlets = sqlite3_column_int(q, 6);
    } else if (rc == SQLITE_DONE) {
        code = err_set(err, ACHIM_ENOTFOUND, "no story %lld", (long long)id);
    } else {
        code = store_fail(st, err, rc, "stories: get");
    }
    sqlite3_finalize(q);
    return code;
}

void store_story_release(struct store_story *s)
{
    if (!s)
        return;
    free(s->state);
    free(s->title);
    memset(s, 0, sizeof(*s));
}
