/* SPDX-License-Identifier: MIT */
/* test_termlist.c: the shared reader of tab-separated term files and the
 * term set (all matches against a brute-force scan, longest matches), and
 * the three loaders built on them agreeing on files and errors. */
#include "../test.h"

#include <stdio.h>
#include <unistd.h>

#include "corpus/corpus_int.h"
#include "text/text.h"

struct seen {
    char text[512];
    int lines[8];
    size_t n;
};

static enum achim_code collect(void *ctx, char **field, size_t nfield, int lineno, struct err *err)
{
    struct seen *s = ctx;
    if (strcmp(field[0], "stop") == 0)
        return err_set(err, ACHIM_EPARSE, "line %d: stop", lineno);
    size_t len = strlen(s->text);
    for (size_t i = 0; i < nfield; i++)
        len += (size_t)snprintf(s->text + len, sizeof(s->text) - len, "%s[%s]", i ? "" : "|",
                                field[i]);
    s->lines[s->n++] = lineno;
    return ACHIM_OK;
}

static void test_termlist_fields(void)
{
    static const char text[] = "# comment\n"
                               "\n"
                               " a \t b\tc\td\n"
                               "   \n"
                               "one\r\n"
                               "x\ty\tz\textra\tmore";
    struct seen s = {{0}, {0}, 0};
    struct err e = ERR_INIT;
    CHECK_INT(termlist_parse(text, sizeof(text) - 1, 4, collect, &s, &e), ACHIM_OK);
    /* fields trimmed; the last of max_fields keeps any further tabs */
    CHECK_STR(s.text, "|[a][b][c][d]|[one]|[x][y][z][extra\tmore]");
    CHECK_INT(s.n, 3);
    /* line numbers count blank and comment lines too */
    CHECK_INT(s.lines[0], 3);
    CHECK_INT(s.lines[1], 5);
    CHECK_INT(s.lines[2], 6);

    static const char stops[] = "ok\nstop\nnever\n";
    struct seen t = {{0}, {0}, 0};
    CHECK_INT(termlist_parse(stops, sizeof(stops) - 1, 2, collect, &t, &e), ACHIM_EPARSE);
    CHECK_INT(t.n, 1);
    CHECK_CONTAINS(e.msg, "line 2");

    CHECK_INT(termlist_load("/nonexistent/terms.tsv", 2, collect, &t, &e), ACHIM_EIO);
    CHECK_CONTAINS(e.msg, "/nonexistent/terms.tsv");
}

static void test_termlist_load_names_file(void)
{
    char path[] = "/tmp/achim-termlist-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    static const char bad[] = "# gate model\n3\tsoftware\nthree\tsoftware\n";
    CHECK(write(fd, bad, sizeof(bad) - 1) == (ssize_t)(sizeof(bad) - 1));
    close(fd);
    struct err e = ERR_INIT;
    struct gate_model *g = NULL;
    CHECK_INT(gate_model_load(path, &g, &e), ACHIM_EPARSE);
    CHECK_CONTAINS(e.msg, path);
    CHECK_CONTAINS(e.msg, "line 3");
    struct focus_model *f = NULL;
    CHECK_INT(focus_model_load(path, &f, &e), ACHIM_EPARSE);
    CHECK_CONTAINS(e.msg, "line 2");
    struct gazetteer *z = NULL;
    CHECK_INT(gazetteer_load(path, &z, &e), ACHIM_EPARSE);
    CHECK_CONTAINS(e.msg, "gazetteer line 2");
    unlink(path);
}

static void hashes_of(struct tok_hashes *hs, const char *s)
{
    hs->n = 0;
    tok_hashes_add(hs, s, strlen(s), TEXT_FOLD | TEXT_STEM);
}

static void test_tok_hashes(void)
{
    struct tok_hashes a = {0}, b = {0};
    hashes_of(&a, "Export-control rules");
    hashes_of(&b, "export control rule");
    CHECK_INT(a.n, 3);
    CHECK_INT(b.n, 3);
    CHECK(memcmp(a.h, b.h, 3 * sizeof(uint64_t)) == 0);
    for (size_t i = 0; i < a.n; i++)
        CHECK(a.h[i] != 0);
    tok_hashes_add(&a, NULL, 0, TEXT_FOLD);
    CHECK_INT(a.n, 3);
    tok_hashes_release(&a);
    tok_hashes_release(&b);
    CHECK(a.h == NULL && a.n == 0);
}

struct hits {
    size_t term[64], pos[64];
    size_t n;
};

static void record_hit(void *ctx, size_t term, size_t pos)
{
    struct hits *h = ctx;
    if (h->n < 64) {
        h->term[h->n] = term;
        h->pos[h->n++] = pos;
    }
}

static bool hit(const struct hits *h, size_t term, size_t pos)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->term[i] == term && h->pos[i] == pos)
            return true;
    return false;
}

static void test_term_set_matching(void)
{
    const char *terms[] = {"mp3 player", "player", "president bush", "bush", "bush fire", "mp3"};
    enum { NT = sizeof(terms) / sizeof(terms[0]) };
    struct term_set set = {0};
    struct tok_hashes hs = {0};
    for (size_t k = 0; k < NT; k++) {
        hashes_of(&hs, terms[k]);
        CHECK_INT(term_set_add(&set, hs.h, hs.n), k);
        CHECK(term_set_equals(&set, k, hs.h, hs.n));
    }
    term_set_index(&set);
    hashes_of(&hs, "President Bush bought an MP3 player; the player beat bush fires");
    /* all matches: exactly those of a scan of every term at every position */
    struct hits all = {{0}, {0}, 0};
    term_set_match(&set, hs.h, hs.n, false, record_hit, &all);
    size_t want = 0;
    for (size_t k = 0; k < NT; k++) {
        for (size_t i = 0; i + set.seq[k].ntok <= hs.n; i++) {
            if (memcmp(hs.h + i, set.seq[k].tok, set.seq[k].ntok * sizeof(uint64_t)) == 0) {
                CHECK(hit(&all, k, i));
                want++;
            }
        }
    }
    CHECK_INT(all.n, want);
    CHECK_INT(all.n, 8);
    /* longest: "president bush" hides "bush", "mp3 player" hides both parts,
     * "bush fire" wins over "bush" */
    struct hits lon = {{0}, {0}, 0};
    term_set_match(&set, hs.h, hs.n, true, record_hit, &lon);
    CHECK_INT(lon.n, 4);
    CHECK(hit(&lon, 2, 0)); /* president bush */
    CHECK(hit(&lon, 0, 4)); /* mp3 player */
    CHECK(hit(&lon, 1, 7)); /* the player */
    CHECK(hit(&lon, 4, 9)); /* bush fire(s) */

    struct term_set empty = {0};
    struct hits none = {{0}, {0}, 0};
    term_set_match(&empty, hs.h, hs.n, true, record_hit, &none);
    CHECK_INT(none.n, 0);
    term_set_release(&set);
    tok_hashes_release(&hs);
}

static void test_gate_longest_phrase(void)
{
    static const char model[] = "3\tmp3 player\n"
                                "-2\tplayer\n"
                                "-2\tpresident bush\n"
                                "-3\tbush\n";
    struct gate_model *m = NULL;
    struct err e = ERR_INIT;
    CHECK_INT(gate_model_parse(model, sizeof(model) - 1, &m, &e), ACHIM_OK);
    struct gate_result r;
    gate_score(m, "New MP3 player", "President Bush was given one.", &r);
    /* 1.5 * 3 for the phrase in the title; -2 for the phrase in the text;
     * neither "player" nor "bush" fires on its own */
    CHECK(r.score == 4.5 - 2.0);
    CHECK_INT(r.nfired, 2);
    CHECK_STR(r.terms, "mp3 player(+4.5), president bush(-2)");
    gate_result_release(&r);
    gate_model_free(m);
}

TESTS(TEST(test_termlist_fields), TEST(test_termlist_load_names_file), TEST(test_tok_hashes),
      TEST(test_term_set_matching), TEST(test_gate_longest_phrase))
