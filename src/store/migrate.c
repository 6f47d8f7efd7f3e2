/* SPDX-License-Identifier: MIT */
/* migrate.c: the schema, as an ordered list of migrations, and the runner.
 *
 * The schema version of a database is PRAGMA user_version: the number of
 * migrations applied to it. This program's version is the length of the
 * list. Each migration runs in its own BEGIN IMMEDIATE transaction that also
 * bumps user_version, so a crash or a failing statement leaves the database
 * at the previous version, and two processes opening the same new file do
 * not both migrate it (the second re-reads the version under the lock).
 *
 * RULE: a migration that has been released is never edited. Schema changes
 * append a new string to the end of `migrations`; they may ALTER, create or
 * copy, but must work on every database produced by the ones before. */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>

#include "base/xalloc.h"

/* ---- migration 1: the base schema ----------------------------------------
 *
 * sources   one row per feed, with its fetch state (conditional GET
 *           validators, last status, consecutive failures).
 * runs      one row per fetch/ingest run; ingests add their counts.
 * articles  one row per (source, key), key being the entry's dedup key.
 *           Unknown dates are NULL; sort_date (published, else updated, else
 *           ingested) is the indexed date used for ranges.
 * articles_fts  external-content FTS5 index over title, summary and content,
 *           kept in step with articles by the three triggers. */
static const char migration_1[] =
    "CREATE TABLE sources (\n"
    "  id            INTEGER PRIMARY KEY,\n"
    "  feed_url      TEXT NOT NULL UNIQUE,\n"
    "  name          TEXT,\n"
    "  site_url      TEXT,\n"
    "  weight        REAL NOT NULL DEFAULT 1.0,\n"
    "  enabled       INTEGER NOT NULL DEFAULT 1,\n"
    "  fulltext      INTEGER NOT NULL DEFAULT 0,\n"
    "  created       INTEGER NOT NULL,\n"
    "  etag          TEXT,\n"
    "  last_modified TEXT,\n"
    "  last_fetch    INTEGER,\n"
    "  last_status   INTEGER,\n"
    "  fail_count    INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE TABLE runs (\n"
    "  id        INTEGER PRIMARY KEY,\n"
    "  kind      TEXT NOT NULL,\n"
    "  started   INTEGER NOT NULL,\n"
    "  finished  INTEGER,\n"
    "  status    TEXT NOT NULL DEFAULT 'running',\n"
    "  message   TEXT,\n"
    "  added     INTEGER NOT NULL DEFAULT 0,\n"
    "  updated   INTEGER NOT NULL DEFAULT 0,\n"
    "  unchanged INTEGER NOT NULL DEFAULT 0,\n"
    "  skipped   INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE TABLE articles (\n"
    "  id            INTEGER PRIMARY KEY,\n"
    "  source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,\n"
    "  key           TEXT NOT NULL,\n"
    "  guid          TEXT,\n"
    "  url           TEXT,\n"
    "  canonical_url TEXT,\n"
    "  title         TEXT,\n"
    "  authors       TEXT,\n"
    "  summary       TEXT,\n"
    "  content       TEXT,\n"
    "  content_html  TEXT,\n"
    "  language      TEXT,\n"
    "  tags          TEXT,\n"
    "  published     INTEGER,\n"
    "  updated       INTEGER,\n"
    "  ingested      INTEGER NOT NULL,\n"
    "  content_hash  TEXT NOT NULL,\n"
    "  run_id        INTEGER REFERENCES runs(id) ON DELETE SET NULL,\n"
    "  sort_date     INTEGER GENERATED ALWAYS AS (coalesce(published, updated, ingested)) "
    "STORED,\n"
    "  UNIQUE (source_id, key)\n"
    ");\n"
    "CREATE INDEX articles_published ON articles(published);\n"
    "CREATE INDEX articles_canonical_url ON articles(canonical_url);\n"
    "CREATE INDEX articles_sort_date ON articles(sort_date);\n"
    "CREATE INDEX articles_run_id ON articles(run_id);\n"
    "CREATE VIRTUAL TABLE articles_fts USING fts5(\n"
    "  title, summary, content,\n"
    "  content='articles', content_rowid='id',\n"
    "  tokenize='unicode61 remove_diacritics 2'\n"
    ");\n"
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN\n"
    "  INSERT INTO articles_fts(rowid, title, summary, content)\n"
    "    VALUES (new.id, new.title, new.summary, new.content);\n"
    "END;\n"
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)\n"
    "    VALUES ('delete', old.id, old.title, old.summary, old.content);\n"
    "END;\n"
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, content ON articles\n"
    "BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, summary, content)\n"
    "    VALUES ('delete', old.id, old.title, old.summary, old.content);\n"
    "  INSERT INTO articles_fts(rowid, title, summary, content)\n"
    "    VALUES (new.id, new.title, new.summary, new.content);\n"
    "END;\n";

/* ---- migration (issue 7): term statistics ----------------------------------
 *
 * term_dict   one row per counted term: kind 1 word (stem), 2 phrase (two
 *             adjacent words), 3 entity (named by the entity extractor);
 *             first_seen/first_source: the earliest article that used it.
 * term_day    per term x UTC day x outlet: occurrences (tf), articles (df)
 *             and the date of the earliest of those articles.
 * doc_day     articles per UTC day x outlet: the denominators.
 * term_queue  article versions whose terms are not counted yet: the
 *             triggers add one row per insert (+1), update (-1 old, +1 new)
 *             and delete (-1), and store_termstats_sync() counts and removes
 *             them (see src/store/termstats.c). Counting needs the tokenizer,
 *             which lives above the store, so SQL alone cannot do it; the
 *             queue keeps the statistics exact whatever writes the articles.
 * The backfill queues every article already stored. */
static const char migration_termstats[] =
    "CREATE TABLE term_dict (\n"
    "  id           INTEGER PRIMARY KEY,\n"
    "  kind         INTEGER NOT NULL,\n"
    "  term         TEXT NOT NULL,\n"
    "  first_seen   INTEGER,\n"
    "  first_source INTEGER,\n"
    "  UNIQUE (kind, term)\n"
    ");\n"
    "CREATE TABLE term_day (\n"
    "  term_id   INTEGER NOT NULL,\n"
    "  day       INTEGER NOT NULL,\n"
    "  source_id INTEGER NOT NULL,\n"
    "  tf        INTEGER NOT NULL,\n"
    "  df        INTEGER NOT NULL,\n"
    "  first     INTEGER NOT NULL,\n"
    "  PRIMARY KEY (term_id, day, source_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE doc_day (\n"
    "  day       INTEGER NOT NULL,\n"
    "  source_id INTEGER NOT NULL,\n"
    "  docs      INTEGER NOT NULL,\n"
    "  PRIMARY KEY (day, source_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE term_queue (\n"
    "  id         INTEGER PRIMARY KEY,\n"
    "  sign       INTEGER NOT NULL,\n"
    "  article_id INTEGER NOT NULL,\n"
    "  source_id  INTEGER NOT NULL,\n"
    "  date       INTEGER NOT NULL,\n"
    "  title      TEXT,\n"
    "  body       TEXT\n"
    ");\n"
    "CREATE TRIGGER termstats_insert AFTER INSERT ON articles BEGIN\n"
    "  INSERT INTO term_queue (sign, article_id, source_id, date, title, body)\n"
    "    VALUES (1, new.id, new.source_id, new.sort_date, new.title,\n"
    "            coalesce(nullif(new.summary, ''), substr(new.content, 1, 4000)));\n"
    "END;\n"
    "CREATE TRIGGER termstats_update AFTER UPDATE OF title, summary, content, published,\n"
    "  updated, source_id ON articles\n"
    "WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary\n"
    "  OR old.content IS NOT new.content OR old.sort_date IS NOT new.sort_date\n"
    "  OR old.source_id IS NOT new.source_id\n"
    "BEGIN\n"
    "  INSERT INTO term_queue (sign, article_id, source_id, date, title, body)\n"
    "    VALUES (-1, old.id, old.source_id, old.sort_date, old.title,\n"
    "            coalesce(nullif(old.summary, ''), substr(old.content, 1, 4000)));\n"
    "  INSERT INTO term_queue (sign, article_id, source_id, date, title, body)\n"
    "    VALUES (1, new.id, new.source_id, new.sort_date, new.title,\n"
    "            coalesce(nullif(new.summary, ''), substr(new.content, 1, 4000)));\n"
    "END;\n"
    "CREATE TRIGGER termstats_delete AFTER DELETE ON articles BEGIN\n"
    "  INSERT INTO term_queue (sign, article_id, source_id, date, title, body)\n"
    "    VALUES (-1, old.id, old.source_id, old.sort_date, old.title,\n"
    "            coalesce(nullif(old.summary, ''), substr(old.content, 1, 4000)));\n"
    "END;\n"
    "INSERT INTO term_queue (sign, article_id, source_id, date, title, body)\n"
    "  SELECT 1, id, source_id, sort_date, title,\n"
    "         coalesce(nullif(summary, ''), substr(content, 1, 4000))\n"
    "  FROM articles ORDER BY id;\n";

/* ---- migration: fetch log and fetch scheduling ---------------------------
 *
 * sources.next_fetch   earliest time the next fetch may start (back-off
 *                      after failures, Retry-After); NULL means any time.
 * sources.moved_from   the feed URL before a permanent redirect moved it.
 * fetch_log            one row per fetch attempt of a source: outcome, HTTP
 *                      status, bytes, time taken and items new/updated, the
 *                      evidence behind `achim sources health`. */
static const char migration_fetchlog[] =
    "ALTER TABLE sources ADD COLUMN next_fetch INTEGER;\n"
    "ALTER TABLE sources ADD COLUMN moved_from TEXT;\n"
    "CREATE TABLE fetch_log (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,\n"
    "  run_id      INTEGER REFERENCES runs(id) ON DELETE SET NULL,\n"
    "  started     INTEGER NOT NULL,\n"
    "  url         TEXT,\n"
    "  result      TEXT NOT NULL,\n"
    "  http_status INTEGER NOT NULL DEFAULT 0,\n"
    "  bytes       INTEGER NOT NULL DEFAULT 0,\n"
    "  ms          INTEGER NOT NULL DEFAULT 0,\n"
    "  error       TEXT,\n"
    "  added       INTEGER NOT NULL DEFAULT 0,\n"
    "  updated     INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX fetch_log_source ON fetch_log(source_id, started);\n";

/* Append new migrations here; never edit or reorder the ones above. */
/* Entities and figures found in each article (app_facts_sync): one row per
 * entity with its mention count, one per figure as written; facts_done
 * marks an article as processed (also when nothing was found). */
static const char migration_facts[] =
    "CREATE TABLE article_entities (\n"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "  entity     TEXT NOT NULL,\n"
    "  kind       TEXT NOT NULL,\n"
    "  mentions   INTEGER NOT NULL,\n"
    "  PRIMARY KEY (article_id, entity)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX article_entities_entity ON article_entities(entity);\n"
    "CREATE TABLE article_figures (\n"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
    "  seq        INTEGER NOT NULL,\n"
    "  kind       TEXT NOT NULL,\n"
    "  value      REAL NOT NULL,\n"
    "  unit       TEXT NOT NULL,\n"
    "  text       TEXT NOT NULL,\n"
    "  PRIMARY KEY (article_id, seq)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE facts_done (\n"
    "  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE\n"
    ");\n";

/* Stories that persist across days (app_stories_save, written by the
 * brief): one row per story with the day it was first and last briefed and
 * its state then; story_articles links each article to its story, so the
 * next day's story that continues these articles takes the same id. */
static const char migration_stories[] =
    "CREATE TABLE stories (\n"
    "  id        INTEGER PRIMARY KEY,\n"
    "  first_day INTEGER NOT NULL,\n"
    "  last_day  INTEGER NOT NULL,\n"
    "  state     TEXT NOT NULL,\n"
    "  title     TEXT NOT NULL,\n"
    "  articles  INTEGER NOT NULL DEFAULT 0,\n"
    "  outlets   INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE TABLE story_articles (\n"
    "  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,\n"
    "  story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,\n"
    "  day        INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX story_articles_story ON story_articles(story_id);\n";

/* ---- migration (issue 7): leaner term statistics ---------------------------
 *
 * The first version kept every two-word phrase, and most phrases are used
 * once: they made up most of term_day and term_dict, more than doubling a
 * store. Now a phrase enters term_dict only when a second article uses it;
 * until then its one use waits in phrase_pending, keyed by a 64-bit hash of
 * its text (no text stored), and is forgotten a month after the newest day
 * counted (src/store/termstats.c). Converted here: phrases of one article
 * older than that are dropped, younger ones stay counted.
 *
 * term_day  the same cells, with `first` kept as seconds into the day
 *           (first_s: 3 bytes instead of 4 to 6) and df before tf.
 * term_meta small named values of the statistics (the last prune day).
 * term_queue  an insert queues only the article's id (sign 2: its text is
 *           read from the article when counted); before an article changes
 *           or goes away, the update and delete triggers first give such a
 *           row the old text (sign 1), so the queue still sums to the
 *           articles as they are.
 * facts_todo  articles whose entities and figures are not extracted yet,
 *           filled by a trigger, so finding them no longer scans every
 *           article on each ingest. */
static const char migration_termstats_lean[] =
    "CREATE TEMP TABLE one_off AS\n"
    "  SELECT t.term_id AS id FROM term_day t JOIN term_dict d ON d.id = t.term_id\n"
    "  WHERE d.kind = 2 GROUP BY t.term_id\n"
    "  HAVING sum(t.df) <= 1 AND max(t.day) < (SELECT coalesce(max(day), 0) FROM doc_day) - 31;\n"
    "CREATE TABLE term_day_lean (\n"
    "  term_id   INTEGER NOT NULL,\n"
    "  day       INTEGER NOT NULL,\n"
    "  source_id INTEGER NOT NULL,\n"
    "  df        INTEGER NOT NULL,\n"
    "  tf        INTEGER NOT NULL,\n"
    "  first_s   INTEGER NOT NULL,\n"
    "  PRIMARY KEY (term_id, day, source_id)\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO term_day_lean\n"
    "  SELECT term_id, day, source_id, df, tf, max(0, min(86399, first - day * 86400))\n"
    "  FROM term_day WHERE term_id NOT IN (SELECT id FROM temp.one_off) ORDER BY 1, 2, 3;\n"
    "DROP TABLE term_day;\n"
    "ALTER TABLE term_day_lean RENAME TO term_day;\n"
    "DELETE FROM term_dict WHERE id IN (SELECT id FROM temp.one_off);\n"
    "DROP TABLE temp.one_off;\n"
    "CREATE TABLE phrase_pending (\n"
    "  h         INTEGER PRIMARY KEY,\n"
    "  day       INTEGER NOT NULL,\n"
    "  source_id INTEGER NOT NULL,\n"
    "  first_s   INTEGER NOT NULL,\n"
    "  tf        INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE term_meta (\n"
    "  name  TEXT PRIMARY KEY,\n"
    "  value INTEGER\n"
    ") WITHOUT ROWID;\n"
    "DROP TRIGGER termstats_insert;\n"
    "DROP TRIGGER termstats_update;\n"
    "DROP TRIGGER termstats_delete;\n"
    "CREATE TRIGGER termstats_insert AFTER INSERT ON articles BEGIN\n"
    "  INSERT INTO term_queue (sign, article_id, source_id, date)\n"
    "    VALUES (2, new.id, new.source_id, new.sort_date);\n"
    "END;\n"
    "CREATE TRIGGER termstats_update AFTER UPDATE OF title, summary, content, published,\n"
    "  updated, source_id ON articles\n"
    "WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary\n"
    "  OR old.content IS NOT new.content OR old.sort_date IS NOT new.sort_date\n"
    "  OR old.source_id IS NOT new.source_id\n"
    "BEGIN\n"
    "  UPDATE term_queue SET sign = 1, source_id = old.source_id, date = old.sort_date,\n"
    "    title = old.title, body = coalesce(nullif(old.summary, ''), substr(old.content, 1, 4000))\n"
    "    WHERE article_id = old.id AND sign = 2;\n"
    "  INSERT INTO term_queue (sign, article_id, source_id, date, title, body)\n"
    "    VALUES (-1, old.id, old.source_id, old.sort_date, old.title,\n"
    "            coalesce(nullif(old.summary, ''), substr(old.content, 1, 4000)));\n"
    "  INSERT INTO term_queue (sign, article_id, source_id, date)\n"
    "    VALUES (2, new.id, new.source_id, new.sort_date);\n"
    "END;\n"
    "CREATE TRIGGER termstats_delete AFTER DELETE ON articles BEGIN\n"
    "  UPDATE term_queue SET sign = 1, source_id = old.source_id, date = old.sort_date,\n"
    "    title = old.title, body = coalesce(nullif(old.summary, ''), substr(old.content, 1, 4000))\n"
    "    WHERE article_id = old.id AND sign = 2;\n"
    "  INSERT INTO term_queue (sign, article_id, source_id, date, title, body)\n"
    "    VALUES (-1, old.id, old.source_id, old.sort_date, old.title,\n"
    "            coalesce(nullif(old.summary, ''), substr(old.content, 1, 4000)));\n"
    "END;\n"
    "CREATE TABLE facts_todo (\n"
    "  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE\n"
    ");\n"
    "INSERT INTO facts_todo\n"
    "  SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM facts_done) ORDER BY id;\n"
    "CREATE TRIGGER facts_todo_insert AFTER INSERT ON articles BEGIN\n"
    "  INSERT INTO facts_todo (article_id) VALUES (new.id);\n"
    "END;\n";

/* ---- migration 7: search with achim's tokenizer -----------------------------
 *
 * articles_fts is declared anew with tokenize='achim' (STORE_FTS_TOKENIZER:
 * the text module's tokenizer, which the program registers before
 * migrating, see store_open_tokenized) and rebuilt from the articles, so
 * search folds, drops stopwords, stems and splits CJK into bigrams exactly
 * as analysis does. The triggers name the table, so they carry over. */
static const char migration_search_tokenizer[] =
    "DROP TABLE articles_fts;\n"
    "CREATE VIRTUAL TABLE articles_fts USING fts5(\n"
    "  title, summary, content,\n"
    "  content='articles', content_rowid='id',\n"
    "  tokenize='" STORE_FTS_TOKENIZER "'\n"
    ");\n"
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');\n";

/* ---- migration 8: small named values of the store ---------------------------
 *
 * store_meta keeps, under STORE_META_FTS_TOKENIZER, the identity of the
 * tokenizer that built articles_fts; store_fts_identity_sync() (tokenizer.c)
 * rebuilds the index when the program's tokenizer differs. */
static const char migration_store_meta[] = "CREATE TABLE IF NOT EXISTS store_meta (\n"
                                           "  key TEXT PRIMARY KEY,\n"
                                           "  value TEXT NOT NULL\n"
                                           ") WITHOUT ROWID;\n";

/* ---- migration 9: the ingest indexes its new articles itself -------------
 *
 * An article inserted by the insert trigger makes FTS5 write a segment of
 * its own: the trigger's write to the virtual table makes the INSERT open a
 * statement savepoint, and FTS5 (3.40) flushes its pending terms at every
 * savepoint. store_feed_ingest() therefore inserts a feed's new articles
 * first and indexes them afterwards, in plain single-row statements whose
 * terms FTS5 keeps in memory and writes as one segment at commit. While it
 * does, the connection's function achim_fts_deferred() (STORE_FN_FTS_DEFERRED,
 * db.c) answers 1 and the insert trigger stands aside; every other writer
 * of articles is indexed by the trigger as before. */
static const char migration_fts_deferred[] =
    "DROP TRIGGER articles_fts_insert;\n"
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles\n"
    "WHEN NOT " STORE_FN_FTS_DEFERRED "() BEGIN\n"
    "  INSERT INTO articles_fts(rowid, title, summary, content)\n"
    "    VALUES (new.id, new.title, new.summary, new.content);\n"
    "END;\n";

/* ---- migration 10: packed term statistics --------------------------------
 *
 * term_day kept one row per term x day x outlet: 21 bytes each, and since
 * it was keyed term first, every batch of counted articles rewrote a page
 * of each term it touched (most of the table at each commit of a bulk
 * ingest). term_cells keeps one row per day x term, keyed day first, whose
 * blob packs the cells of every outlet (src/store/termstats.c, about 6
 * bytes a cell), so new counts land at the end of the table. The rows are
 * packed by achim_cells_pack(), a function of every store connection
 * (store_termstats_attach). term_day stays as a view of the cells, with an
 * insert trigger that adds a cell as the former upsert did. */
static const char migration_termstats_packed[] =
    "CREATE TABLE term_cells (\n"
    "  day     INTEGER NOT NULL,\n"
    "  term_id INTEGER NOT NULL,\n"
    "  cells   BLOB NOT NULL,\n"
    "  PRIMARY KEY (day, term_id)\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO term_cells (day, term_id, cells)\n"
    "  SELECT day, term_id, achim_cells_pack(source_id, df, tf, first_s)\n"
    "  FROM term_day GROUP BY day, term_id ORDER BY day, term_id;\n"
    "DROP TABLE term_day;\n"
    "CREATE VIEW term_day (term_id, day, source_id, df, tf, first_s) AS\n"
    "  SELECT c.term_id, c.day, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),\n"
    "         json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]')\n"
    "  FROM term_cells c, json_each(achim_cells_json(c.cells)) j;\n"
    "CREATE TRIGGER term_day_insert INSTEAD OF INSERT ON term_day BEGIN\n"
    "  INSERT OR REPLACE INTO term_cells (day, term_id, cells)\n"
    "    VALUES (new.day, new.term_id, achim_cells_add((SELECT cells FROM term_cells\n"
    "      WHERE day = new.day AND term_id = new.term_id), new.source_id, new.df, new.tf,\n"
    "      new.first_s));\n"
    "END;\n";

/* ---- migration 11: changed articles are extracted again ---------------------
 *
 * facts_todo was filled only by the insert trigger, so an article whose
 * title, summary or content a feed later changed kept the entities and
 * figures of its old text. The update trigger queues it again when its text
 * really changed (store_facts_put replaces its rows). term_queue gets an
 * index on article_id: the termstats update and delete triggers look up the
 * article's queued row, which otherwise scans the whole queue (thousands of
 * rows during an ingest) for every changed or deleted article. */
static const char migration_facts_on_update[] =
    "CREATE TRIGGER facts_todo_update AFTER UPDATE OF title, summary, content ON articles\n"
    "WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary\n"
    "  OR old.content IS NOT new.content\n"
    "BEGIN\n"
    "  INSERT OR IGNORE INTO facts_todo (article_id) VALUES (new.id);\n"
    "END;\n"
    "CREATE INDEX term_queue_article ON term_queue (article_id);\n";

/* ---- migration 12: two indexes no query uses -------------------------------
 *
 * articles_published and articles_canonical_url (migration 1) serve no
 * statement of achim: dates are read through sort_date (which covers
 * published) and no query looks articles up by canonical address. Every
 * stored article paid an entry in each, and every feed's commit a page of
 * each: dropping them took 4% off the storing thread of a bulk ingest
 * (callgrind, 5,000 and 20,000 synthetic articles); the tables are
 * unchanged. IF EXISTS: a store put together by hand without them (as
 * tests do) migrates too. */
static const char migration_drop_unused_indexes[] =
    "DROP INDEX IF EXISTS articles_published;\n"
    "DROP INDEX IF EXISTS articles_canonical_url;\n";

static const char *const migrations[] = {
    migration_1,
    migration_termstats,
    migration_fetchlog,
    migration_facts,
    migration_stories,
    migration_termstats_lean,
    migration_search_tokenizer,
    migration_store_meta,
    migration_fts_deferred,
    migration_termstats_packed,
    migration_facts_on_update,
    migration_drop_unused_indexes,
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_latest(void)
{
    return NMIGRATIONS;
}

int store_schema_version(struct store *st)
{
    return (int)store_query_int(st, "PRAGMA user_version", -1);
}

static enum achim_code too_new(struct store *st, int have, int n, struct err *err)
{
    return err_set(err, ACHIM_ESCHEMA,
                   "database '%s' has schema version %d, newer than this achim (%d); "
                   "upgrade achim",
                   st->path, have, n);
}

/* Apply migration number `version` (1-based) unless another connection got
 * there first. */
static enum achim_code migrate_one(struct store *st, const char *sql, int version, int n,
                                   struct err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_fail(st, err, rc, "migration %d: begin", version);

    enum achim_code code = ACHIM_OK;
    int have = store_schema_version(st);
    if (have >= version) { /* done meanwhile by another process */
        if (have > n)
            code = too_new(st, have, n, err);
        goto out;
    }
    rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) {
        char pragma[48];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version);
        rc = sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        code = err_set(err, rc == SQLITE_BUSY ? ACHIM_EBUSY : ACHIM_EDB,
                       "database '%s': migration %d failed: %s", st->path, version,
                       msg ? msg : sqlite3_errmsg(st->db));
        goto out;
    }
    rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        code = store_fail(st, err, rc, "migration %d: commit", version);
out:
    sqlite3_free(msg);
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return code;
}

enum achim_code store_migrate(struct store *st, const char *const *list, int n, struct err *err)
{
    int have = store_schema_version(st);
    if (have < 0)
        return store_fail(st, err, sqlite3_errcode(st->db), "reading schema version");
    if (have > n)
        return too_new(st, have, n, err);
    for (int v = have; v < n; v++) {
        enum achim_code code = migrate_one(st, list[v], v + 1, n, err);
        if (code != ACHIM_OK)
            return code;
    }
    return ACHIM_OK;
}

enum achim_code store_open(const char *path, struct store **out, struct err *err)
{
    return store_open_tokenized(path, NULL, out, err);
}

enum achim_code store_open_tokenized(const char *path, const struct store_tokenizer *tok,
                                     struct store **out, struct err *err)
{
    *out = NULL;
    struct store *st;
    enum achim_code code = store_open_raw(path, &st, err);
    if (code != ACHIM_OK) {
        if (tok && tok->destroy)
            tok->destroy(tok->ctx);
        return code;
    }
    if (tok && tok->identity)
        st->fts_identity = xstrdup(tok->identity);
    /* Before migrating: the migrations rebuild the index with it. */
    code = store_fts_tokenizer_attach(st, tok, err);
    /* and the term cells' functions, which migration 10 and term_day use */
    if (code == ACHIM_OK)
        code = store_termstats_attach(st, err);
    int schema_before = store_schema_version(st);
    if (code == ACHIM_OK)
        code = store_migrate(st, migrations, NMIGRATIONS, err);
    if (code == ACHIM_OK)
        code = store_fts_identity_sync(st, schema_before, err);
    if (code != ACHIM_OK) {
        store_close(st);
        return code;
    }
    *out = st;
    return ACHIM_OK;
}
