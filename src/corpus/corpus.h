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

/* ---- an article's analysed text, tokenised once (docterms.c) ------------ *
 *
 * The day's analysis reads every article in several steps: SimHash and
 * clustering read its analysed tokens (TEXT_ANALYZE), the gate and focus
 * term lists its plain ones (folded and stemmed, stopwords kept, hyphenated
 * words split into parts, as termlist.c matches them). doc_terms_compute()
 * scans title and text once (TEXT_DUAL) and keeps the token hashes of both
 * streams, so no step tokenises again; each *_terms() function below gives
 * exactly what its text counterpart gives for the same title and text. */

struct text_analyzer;

enum doc_terms_list {
    DOC_TITLE,       /* analysed tokens of the title: text_hash() of each, sorted */
    DOC_TEXT,        /* analysed tokens of the text, the same way */
    DOC_TITLE_PARTS, /* plain tokens of the title split at hyphens, in order; never 0 */
    DOC_TEXT_PARTS,  /* the same for the text */
    /* what clustering learns names from (cluster.c): of the text's analysed
     * tokens, those that begin a sentence, and those capitalised inside
     * one; text_hash() of each, sorted */
    DOC_TEXT_INITIAL,
    DOC_TEXT_CAPITAL,
    DOC_NLISTS
};

struct doc_terms {
    uint64_t *h[DOC_NLISTS];
    size_t n[DOC_NLISTS], cap[DOC_NLISTS];
};

/* Fill dt (zeroed, or filled before: its buffers are reused) from title and
 * text (either may be NULL) with analyzer a (NULL: the thread's own, as
 * text_tokenize() uses). Release with doc_terms_release(). */
void doc_terms_compute(struct doc_terms *dt, struct text_analyzer *a, const char *title,
                       const char *text);
void doc_terms_release(struct doc_terms *dt);
/* text_simhash() of the text. */
uint64_t doc_terms_simhash(const struct doc_terms *dt);
/* doc_terms_compute() of out[i] from titles[i] and texts[i] (either array
 * may be NULL) for i < n, split over nan threads (at most
 * DOC_TERMS_MAX_THREADS, the calling one included), thread t using
 * analyzer an[t]; one thread, with an[0] (NULL when nan is 0), for few
 * documents. The result does not depend on nan. */
#define DOC_TERMS_MAX_THREADS 8
void doc_terms_compute_all(struct doc_terms *out, const char *const *titles,
                           const char *const *texts, size_t n, struct text_analyzer *const *an,
                           size_t nan);

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
/* focus_classify() of the title and text dt was computed from. */
void focus_classify_terms(const struct focus_model *m, const struct doc_terms *dt,
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

/* ---- summariser (summarize.c) ------------------------------------------ */

/* Options of summarize(); sum_opts_default() fills the defaults noted. */
struct sum_opts {
    size_t max_sentences; /* at most this many sentences (3; 0 = no limit) */
    size_t max_words;     /* word budget: stop at the count closest to it (0 = none) */
    size_t min_chars;     /* shorter sentences are never chosen (20) */
    size_t max_chars;     /* longer sentences are never chosen (0 = no limit) */
    float lambda;         /* MMR: weight of score against redundancy (0.7) */
    float repeat;         /* cosine above which a sentence repeats a chosen one (0.6) */
    float position;       /* position prior: sentence k of a text gets 1 + P/(k+1) (0.5) */
    bool text_order;      /* return picks in (doc, sentence) order, else best first (true) */
};

void sum_opts_default(struct sum_opts *o);

/* One chosen sentence, tied to where it came from. */
struct sum_pick {
    size_t doc;        /* index into the texts given */
    size_t sentence;   /* sentence number within that text (text_sentences order) */
    size_t start, end; /* its bytes: texts[doc][start, end) */
    float score;       /* centrality x salience x position, 0..1 */
};

/* Extractive summary of one or more texts: LexRank centrality over the
 * idf-weighted cosine graph of all sentences, word-frequency salience and an
 * early-position prior, chosen by MMR without near-repeats, within the
 * sentence-length window and the sentence/word limits of opts (NULL: the
 * defaults). NULL texts are skipped. Returns the number of picks; *out (OUT)
 * is NULL when 0, else malloc'd for the caller to free(). Never fails. */
size_t summarize(const char *const *texts, size_t ndocs, const struct sum_opts *opts,
                 struct sum_pick **out);

/* White-space separated words in s (NULL gives 0): the unit of word budgets. */
size_t summarize_count_words(const char *s);

/* ---- trend statistics (src/corpus/trend.c) ------------------------------ *
 *
 * Pure figures over counts: a term used by x of n articles in a period,
 * against a baseline of xb of nb. Burst detection is a one-sided Poisson
 * test of x against the baseline rate scaled to n (see docs/trends.md for
 * why not Kleinberg's automaton). Days are days since 1970-01-01 UTC. */

enum trend_period { TREND_DAY, TREND_WEEK, TREND_MONTH, TREND_QUARTER };

/* First day of the period holding `day` (weeks start on Monday). */
int64_t trend_period_start(enum trend_period p, int64_t day);
/* First day of the period after the one starting at `start`. */
int64_t trend_period_next(enum trend_period p, int64_t start);
/* "2026-01-31", "2026-W05" (ISO week), "2026-01" or "2026-Q1". */
void trend_period_label(enum trend_period p, int64_t start, char out[static 16]);
/* Parse "day", "week", "month" or "quarter"; false otherwise. */
bool trend_period_parse(const char *s, enum trend_period *out);

/* P(X >= x) for X ~ Poisson(lambda), and its natural log (exact for small
 * x, no underflow for large ones). x <= 0 gives 1 (log 0). */
double trend_poisson_sf(double x, double lambda);
double trend_poisson_log_sf(double x, double lambda);

struct trend_test {
    double rate;     /* x per 1,000 articles of the period */
    double base;     /* baseline per 1,000 articles (smoothed: +0.5 / +1) */
    double expected; /* articles expected at the baseline rate */
    double ratio;    /* rate / base */
    double z;        /* (x - expected) / sqrt(expected) */
    double p;        /* P(X >= x) under the baseline: the significance */
    double log10p;   /* log10 of p, finite even when p underflows */
    int64_t base_docs; /* nb: articles behind the baseline */
};

/* Fewer baseline articles than this make "growth against the baseline"
 * mostly smoothing: front ends show it as unknown. */
#define TREND_MIN_BASE_DOCS 30

/* Test x of n against xb of nb. n == 0 gives rate 0 and p 1. */
void trend_test_counts(int64_t x, int64_t n, int64_t xb, int64_t nb, struct trend_test *out);
/* A burst: p below alpha, at least min_count articles, a rate at least
 * twice the baseline and a baseline of TREND_MIN_BASE_DOCS articles. */
bool trend_is_burst(const struct trend_test *t, int64_t x, double alpha, int64_t min_count);
/* Relative growth (now - before) / before; NAN when before is 0. */
double trend_growth(double now, double before);

/* Tests of each period i of a series (x[i] of n[i]) against the sum of the
 * `window` periods before it (periods before the series start count as
 * empty). out has len elements. */
void trend_series_test(const int64_t *x, const int64_t *n, size_t len, size_t window,
                       struct trend_test *out);

/* A weighted context term (co-occurrence weight). */
struct trend_weight {
    const char *term;
    double w;
};
/* Jaccard similarity of the term sets of a and b (1 when both empty). */
double trend_jaccard(const struct trend_weight *a, size_t na, const struct trend_weight *b,
                     size_t nb);
/* Cosine similarity of the weight vectors (0 when either is empty). */
double trend_cosine(const struct trend_weight *a, size_t na, const struct trend_weight *b,
                    size_t nb);

/* ---- streaming clustering (cluster.c) ----------------------------------- *
 *
 * One pass over documents in time order: incremental term weights (inverse
 * story frequency, an IDF over the clusters so far, raised for words that
 * burst), candidates from an
 * inverted index of cluster postings (never all pairs), join the most
 * similar open cluster at or above the threshold (in cased text the cosine
 * scaled by how well the names agree), else open one; two
 * clusters a document joins both of merge when their centroids converge. See
 * the comment at the top of cluster.c for the design and the defaults. */

struct cluster_opts {
    float threshold;  /* cosine to a centroid needed to join it (0.15) */
    float rescue;     /* cosine for a small cluster to move at finish (0.15) */
    size_t small;     /* clusters of at most this many documents may move (0 = never, default) */
    int64_t window;   /* seconds a cluster stays open after its latest document (3 days; 0 =
                       * forever); without times counted in documents, 1000 for 3 days */
    int title_weight; /* times the title is counted (2) */
    float merge;      /* centroid cosine merging two clusters a document joins (0.4; 0: never) */
    float name_weight; /* a selective term always capitalised mid-sentence weighs 1 + this (0) */
    bool name_agree;   /* scale cosines by how well the names agree (true; see cluster.c) */
};

void cluster_opts_default(struct cluster_opts *o);

struct cluster_engine;

/* New engine with o (NULL: defaults); free with cluster_engine_free(). */
struct cluster_engine *cluster_engine_new(const struct cluster_opts *o);
void cluster_engine_free(struct cluster_engine *e); /* NULL is a no-op */

/* Add the next document (title and text may be NULL; time 0 = unknown,
 * which never closes a cluster). Returns its provisional cluster number;
 * *sim (OUT, may be NULL) receives the cosine to the best existing cluster. */
size_t cluster_engine_add(struct cluster_engine *e, const char *title, const char *text,
                          int64_t time, float *sim);
size_t cluster_engine_ndocs(const struct cluster_engine *e);
/* cluster_engine_add() of the document dt was computed from, the same
 * result without tokenising again (dt's DOC_TEXT_INITIAL and
 * DOC_TEXT_CAPITAL lists carry what names are learned from). */
size_t cluster_engine_add_terms(struct cluster_engine *e, const struct doc_terms *dt, int64_t time,
                                float *sim);

/* Count a document in the term statistics only, as a story of its own (it
 * is never clustered): the days before a briefing window, so that the first
 * documents of the window are weighed against a settled vocabulary instead
 * of against each other. */
void cluster_engine_observe(struct cluster_engine *e, const char *title, const char *text);

/* Run the small-cluster rescue and number clusters 0.. in order of first
 * appearance; assign (may be NULL) receives one number per document added.
 * Returns the number of clusters. Call once, after the last add. */
size_t cluster_engine_finish(struct cluster_engine *e, size_t *assign);

/* ---- technology gate (gate.c) ------------------------------------------ *
 *
 * "Is this technology news at all?": a transparent model of signed term
 * weights (data/tech-terms.tsv, "weight<TAB>term or phrase"), read back as
 * the terms that fired. */

#define GATE_TITLE_FACTOR 1.5 /* a term in the title counts 1.5 times its weight */
#define GATE_MIN_SCORE 2.0    /* default threshold: one decisive or two supporting terms */

struct gate_model;

/* Parse or load a model; *out is released with gate_model_free(). Lines are
 * "weight<TAB>term", or "weight<TAB>term<TAB>finance" for the markets and
 * results vocabulary that is counted twice when it reaches half the
 * technology evidence (gate.c); # starts a comment. ACHIM_EPARSE names a
 * bad line. */
enum achim_code gate_model_parse(const char *text, size_t len, struct gate_model **out,
                                 struct err *err);
enum achim_code gate_model_load(const char *path, struct gate_model **out, struct err *err);
void gate_model_free(struct gate_model *m); /* NULL is a no-op */
size_t gate_model_size(const struct gate_model *m);

struct gate_result {
    double score;  /* summed evidence; technology when >= the caller's threshold */
    size_t nfired; /* terms that fired */
    char *terms;   /* "term(+w), term(-w)" in model order; release with gate_result_release */
};

/* Score a title and text (either may be NULL). */
void gate_score(const struct gate_model *m, const char *title, const char *text,
                struct gate_result *out);
/* gate_score() of the title and text dt was computed from. */
void gate_score_terms(const struct gate_model *m, const struct doc_terms *dt,
                      struct gate_result *out);
void gate_result_release(struct gate_result *r);

struct trained_term {
    char *text;    /* analysed word (folded, stemmed) */
    double weight; /* ln P(word | tech) / P(word | other), documents, add-one smoothed */
    size_t docs;   /* documents containing it */
};

/* Learn term weights from n labelled documents (titles/texts arrays may be
 * NULL or hold NULLs). Words in fewer than min_docs documents, or whose
 * |weight| is below min_weight, are left out. *out (OUT) is sorted by
 * decreasing |weight|; free with gate_trained_free(). Returns the count. */
size_t gate_train(const char *const *titles, const char *const *texts, const bool *is_tech,
                  size_t n, size_t min_docs, double min_weight, struct trained_term **out);
void gate_trained_free(struct trained_term *v, size_t n);

/* ---- near-duplicate index (dedup.c) ------------------------------------- *
 *
 * SimHash fingerprints (text_simhash) in a multi-index table: a lookup
 * compares only fingerprints that agree exactly on one of max_distance+1
 * bit blocks, never all pairs, and still finds every one within
 * max_distance bits. */

#define SIMHASH_MAX_DISTANCE 7
#define SIMHASH_DUP_DISTANCE 6 /* syndicated copy: a word changed in a teaser (unrelated: ~32) */

struct simhash_index;

/* New empty index for lookups within max_distance bits (0..7, clamped). */
struct simhash_index *simhash_index_new(int max_distance);
void simhash_index_free(struct simhash_index *x); /* NULL is a no-op */
size_t simhash_index_size(const struct simhash_index *x);
/* Store fingerprint fp under the caller's id. */
void simhash_index_add(struct simhash_index *x, uint64_t fp, size_t id);
/* The id of the nearest stored fingerprint within max_distance (the
 * earliest added among equals), or SIZE_MAX; *distance (OUT, may be NULL)
 * receives its distance, or -1. */
size_t simhash_index_find(const struct simhash_index *x, uint64_t fp, int *distance);

/* ---- entities and figures (entity.c) ------------------------------------ *
 *
 * Named entities from a gazetteer (data/gazetteer.tsv: name, kind, aliases,
 * tickers) and figures (money, power capacity, percentages, dates) from
 * plain text. See entity.c for the matching rules. */

struct gazetteer;

/* Parse or load "name<TAB>kind<TAB>aliases|...<TAB>tickers|..." lines ("-"
 * for none); *out is released with gazetteer_free(). ACHIM_EPARSE names the
 * bad line. */
enum achim_code gazetteer_parse(const char *text, size_t len, struct gazetteer **out,
                                struct err *err);
enum achim_code gazetteer_load(const char *path, struct gazetteer **out, struct err *err);
void gazetteer_free(struct gazetteer *g); /* NULL is a no-op */
size_t gazetteer_size(const struct gazetteer *g); /* entities */
/* Borrowed strings of entity i (< gazetteer_size()). */
const char *gazetteer_name(const struct gazetteer *g, size_t i);
const char *gazetteer_kind(const struct gazetteer *g, size_t i);
const char *gazetteer_tickers(const struct gazetteer *g, size_t i); /* "A|B" or "" */

struct entity_hit {
    size_t entity;     /* index into the gazetteer */
    size_t start, end; /* bytes of the mention in the text */
};

/* Every mention in text, in order (the longest form wins at a position).
 * *out (OUT) is NULL when none, else free() it. Returns the count. */
size_t entity_extract(const struct gazetteer *g, const char *text, struct entity_hit **out);

enum figure_kind { FIGURE_MONEY, FIGURE_POWER, FIGURE_PERCENT, FIGURE_DATE };

/* How a figure is hedged: "more than $10B", "약 105억 달러", "up to 750 MW". */
enum figure_qualifier { FIGURE_EXACT = 0, FIGURE_AT_LEAST = 1, FIGURE_ABOUT = 2, FIGURE_AT_MOST = 3 };

struct figure {
    enum figure_kind kind;
    double value;      /* money: in units of unit; power: MW; percent; date: epoch seconds */
    char unit[8];      /* "USD", "EUR", "GBP", "KRW", "JPY"; "MW"; "%"; "day" */
    size_t start, end; /* bytes of the figure as written, currency sign included */
    int qualifier;     /* enum figure_qualifier: the words just before or after it */
};

/* Every figure in text, in order. *out (OUT) is NULL when none, else free()
 * it. Returns the count. */
size_t figure_extract(const char *text, struct figure **out);
const char *figure_kind_name(enum figure_kind k); /* "money", "power", ... */

/* One outlet's figure for a story, to compare outlets (figcompare.c). */
struct figure_claim {
    enum figure_kind kind;
    double value; /* normalised as in struct figure: currency units, MW, % */
    char unit[8];
    int qualifier;
    int64_t outlet; /* who reports it */
};

/* Where outlets disagree. Claims of the same kind and unit within a factor
 * of two of the first such claim are readings of one quantity (a different
 * order of magnitude is another quantity, and money in two currencies is
 * never compared); they disagree when no value fits two of them: exact
 * and "about" figures more than 0.5% apart, "more than X" against X or
 * less, "up to X" against more than X ("up to 750 MW" and "750 MW" agree).
 * Dates are not compared. An outlet's repeat of the
 * same reading counts once. Writes the indexes of the claims of every
 * disagreeing quantity to out (room for n), grouped by quantity in order of
 * first claim, and when group is not NULL the quantity's number (0, 1, ...)
 * of each to group; returns how many. */
size_t figure_disagreements(const struct figure_claim *c, size_t n, size_t *out, size_t *group);

#endif
