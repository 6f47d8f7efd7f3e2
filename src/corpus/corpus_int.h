/* SPDX-License-Identifier: MIT */
/* corpus_int.h: helpers shared by the files of the corpus module only.
 *
 * Term lists (termlist.c): the editable data files of the analysis —
 * data/tech-terms.tsv (gate.c), data/focus-terms.tsv (focus.c) and
 * data/gazetteer.tsv (entity.c) — are tab-separated lines with # comments.
 * One reader splits them into fields; a term set holds the token-hash
 * sequences of terms and finds every one that occurs in a text with one
 * hash probe per text token (open addressing on the first token).
 * Other modules include corpus/corpus.h, never this file. */
#ifndef ACHIM_CORPUS_CORPUS_INT_H
#define ACHIM_CORPUS_CORPUS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "corpus/corpus.h"

/* ---- tab-separated term files ------------------------------------------ */

/* Called for each line that is neither blank nor a # comment, with its
 * fields split at tabs and trimmed (at most max_fields: the last one keeps
 * any further tabs). lineno counts from 1 over all lines. A code other
 * than ACHIM_OK stops the reading and is returned. */
typedef enum achim_code (*termlist_line_fn)(void *ctx, char **field, size_t nfield, int lineno,
                                            struct err *err);

/* Run fn over the lines of text[0, len). */
enum achim_code termlist_parse(const char *text, size_t len, size_t max_fields, termlist_line_fn fn,
                               void *ctx, struct err *err);
/* Read the file at path and run fn over its lines; an error names the file. */
enum achim_code termlist_load(const char *path, size_t max_fields, termlist_line_fn fn, void *ctx,
                              struct err *err);

/* ---- token hashes ------------------------------------------------------ */

struct tok_hashes {
    uint64_t *h; /* never 0, so 0 can mark an empty hash slot */
    size_t n, cap;
};

/* Append the hashes of the tokens of s[0, len) under the TEXT_* flags; a
 * hyphenated word counts as its parts, so "export-control" in a text
 * matches the term "export control" and the other way round. */
void tok_hashes_add(struct tok_hashes *hs, const char *s, size_t len, unsigned flags);
void tok_hashes_release(struct tok_hashes *hs);
/* Append the hashes of the hyphen-separated parts of one token to the
 * growable array *h (*n used, *cap allocated), as tok_hashes_add() does. */
void term_parts_append(uint64_t **h, size_t *n, size_t *cap, const char *tok, size_t len);
/* The flags of the plain token stream the term lists match (gate, focus). */
#define TERM_FLAGS (TEXT_FOLD | TEXT_STEM)

/* Sort n token hashes ascending (quicksort down to short runs, then
 * insertion sort: faster than qsort() on the tens to thousands of an
 * article; docterms.c). */
void hashes_sort(uint64_t *v, size_t n);

/* ---- names (cluster.c learns them, docterms.c records what it needs) ---- */

/* Does the word at s[start] begin a sentence: nothing but spaces, quotes
 * and brackets between it and the text's start or a . ! ? : ; or newline? */
bool word_begins_sentence(const char *s, size_t start);
/* Is the first letter of s[start, end) upper or title case? */
bool word_capitalised(const char *s, size_t start, size_t end);

/* ---- term sets --------------------------------------------------------- */

#define TERM_MAX_TOKENS 8

struct term_seq {
    uint64_t tok[TERM_MAX_TOKENS];
    size_t ntok;
    size_t next; /* next term with the same first token, SIZE_MAX ends */
};

struct term_set {
    struct term_seq *seq;
    size_t n, cap;
    uint64_t *slot_hash; /* first-token hash -> first term with it */
    size_t *slot_first;
    size_t nslots;
};

/* Whether term k is exactly the token sequence h[0, n). */
bool term_set_equals(const struct term_set *s, size_t k, const uint64_t *h, size_t n);
/* Append a sequence of 1..TERM_MAX_TOKENS hashes; returns its index. */
size_t term_set_add(struct term_set *s, const uint64_t *h, size_t n);
/* Build the first-token index; call after the last add, before matching. */
void term_set_index(struct term_set *s);
/* The first term (in file order) whose first token is h, SIZE_MAX if none;
 * seq[k].next walks the rest. Needs term_set_index(). */
size_t term_set_first(const struct term_set *s, uint64_t h);
/* Call fired(ctx, term, pos) for every term occurring at token pos of h;
 * with longest, only for the longest term at a position, and the tokens it
 * covers start no other term ("president bush" hides "bush" there), as a
 * reader takes a phrase as one unit. */
void term_set_match(const struct term_set *s, const uint64_t *h, size_t n, bool longest,
                    void (*fired)(void *ctx, size_t term, size_t pos), void *ctx);
void term_set_release(struct term_set *s);

#endif
