/* SPDX-License-Identifier: MIT */
/* corpus.h: analysis over many documents — story grouping, focus-area
 * classification and extractive sentence choice.
 *
 * Pure computation over arrays the caller owns: no I/O except loading the
 * term list, no SQLite, no printing. Uses text/ for tokens and sentences. */
#ifndef ACHIM_CORPUS_H
#define ACHIM_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "model/model.h"

/* ---- term vectors ------------------------------------------------------ */

/* A sparse vector: terms are token hashes sorted ascending. */
struct tvec {
    uint64_t *term;
    float *w;
    size_t n;
};

void tvec_release(struct tvec *v);
/* Raw term frequencies of the analysed tokens of s (stemmed, no stopwords). */
void tvec_from_text(struct tvec *out, const char *s, float weight);
/* dst += src * scale */
void tvec_add(struct tvec *dst, const struct tvec *src, float scale);
float tvec_dot(const struct tvec *a, const struct tvec *b);
float tvec_norm(const struct tvec *v);
void tvec_normalize(struct tvec *v);

/* ---- story grouping ---------------------------------------------------- */

struct story_doc {
    const char *title;
    const char *text;  /* summary or content, plain text */
    int64_t time;
    int64_t source_id;
};

struct story_opts {
    float threshold;   /* minimum cosine to a story centroid to join it */
    int64_t window;    /* seconds: stories idle longer than this are closed */
};

void story_opts_default(struct story_opts *o);

/* Group docs (in the order given, which should be time order) into stories.
 * assign[i] receives the story number of docs[i], numbered 0.. in order of
 * first appearance; *nstories receives the count. */
void story_group(const struct story_doc *docs, size_t n, const struct story_opts *opts,
                 size_t *assign, size_t *nstories);

/* ---- focus classification ---------------------------------------------- */

struct focus_model;

/* Load the weighted term list (format: see data/focus-terms.tsv). */
enum achim_code focus_model_load(const char *path, struct focus_model **out, struct err *err);
enum achim_code focus_model_parse(const char *text, size_t len, struct focus_model **out,
                                  struct err *err);
void focus_model_free(struct focus_model *m);
size_t focus_model_size(const struct focus_model *m);

struct focus_result {
    int area;                      /* enum brief_area, or -1 when nothing fired enough */
    double score[BRIEF_NAREAS];    /* summed weights per area */
    double none;                   /* summed weights of out-of-focus terms */
    const char *subtopic;          /* best subtopic of the chosen area (borrowed from the model) */
    char *terms;                   /* fired terms "term(w)", ", "-separated; caller releases */
};

/* Classify a text; the title counts twice. An area is assigned when its
 * score reaches min_score and exceeds the out-of-focus ("none") score. */
void focus_classify(const struct focus_model *m, const char *title, const char *text,
                    double min_score, struct focus_result *out);
void focus_result_release(struct focus_result *r);

/* ---- extractive choice ------------------------------------------------- */

struct picked_sentence {
    size_t doc;      /* index into the texts given */
    char *sentence;  /* caller frees */
    float score;
};

/* Choose up to max_sentences sentences from texts that best represent the
 * group (centrality against the group centroid, an early-position prior, a
 * length window, and no near-repeats). Returns the count; *out is malloc'd,
 * free each sentence and the array. */
size_t corpus_pick_sentences(const char *const *texts, size_t n, size_t max_sentences,
                             size_t max_chars, struct picked_sentence **out);

#endif
