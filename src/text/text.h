/* SPDX-License-Identifier: MIT */
/* text.h: per-document text analysis — tokens, sentences, folding, SimHash.
 *
 * Everything here is pure: no I/O, no globals that change after start-up,
 * no printing. Inputs are UTF-8 byte strings with an explicit length; bytes
 * that are not valid UTF-8 are skipped (never an error, never a crash), so
 * every function accepts whatever a feed delivered.
 *
 * Expected workload: the tokenizer runs over every ingested article (about
 * 100k of them in benchmarks), for the search index and for clustering, so
 * it allocates nothing per token. The other functions run once per article
 * or per rendered line.
 *
 * Thread-safety: all functions are reentrant. text_tokenize() uses one
 * analyzer per thread (the Snowball stemmer and its stem cache, created on
 * the thread's first call and freed when the thread exits, or at exit() for
 * the main thread), so the cache stays warm across calls; a callback that
 * tokenizes again during its own call gets a temporary analyzer. A caller
 * may instead own a struct text_analyzer and call text_analyzer_tokenize();
 * an analyzer must not be shared between threads without a lock. The
 * stopword index is built once, under pthread_once(). */
#ifndef ACHIM_TEXT_TEXT_H
#define ACHIM_TEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ==== Tokens ==== */

enum text_flags {
    TEXT_FOLD = 1,      /* NFKC + Unicode case folding of each token */
    TEXT_STOPWORDS = 2, /* drop English/Korean stopwords; strip Korean particles */
    TEXT_STEM = 4,      /* English Snowball stemming of Latin words */
    TEXT_ANALYZE = 7,   /* all of the above: what search and clustering use */
    TEXT_UNACCENT = 8,  /* with TEXT_FOLD: drop combining marks of Latin words */
    TEXT_DUAL = 16,     /* with TEXT_ANALYZE: both streams in one pass (below) */
};

/* Which streams a token of a TEXT_ANALYZE | TEXT_DUAL scan belongs to. */
enum text_stream {
    TEXT_STREAM_PLAIN = 1,    /* what TEXT_FOLD | TEXT_STEM gives */
    TEXT_STREAM_ANALYZED = 2, /* what TEXT_ANALYZE gives */
};

enum text_token_kind {
    TOK_WORD,       /* letters, possibly with digits: "gpt-5", "u.s.", "bank" */
    TOK_NUMBER,     /* digits with decimal points: "1.2", "10000", "2.0.1" */
    TOK_CJK_BIGRAM, /* two Hangul/Han/kana characters, or one if alone */
};

struct text_token {
    const char *text; /* normalised token, not NUL-terminated */
    size_t len;       /* bytes in text */
    size_t start;     /* byte offset of the source word in the input */
    size_t end;       /* one past its last byte: input[start, end) */
    enum text_token_kind kind;
    unsigned streams; /* TEXT_DUAL only: TEXT_STREAM_* bits; 0 otherwise */
};

/* Called once per token; return non-zero to stop the scan. tok->text is valid
 * only during the call. */
typedef int (*text_token_fn)(void *ctx, const struct text_token *tok);

/* Longest source word, in bytes, that becomes a token. Longer runs of
 * letters (base64, hashes, glued URLs) are skipped as noise. */
#define TEXT_MAX_TOKEN_BYTES 128

/* Split 'len' bytes of UTF-8 into tokens and call fn for each, in order.
 *
 *  - Words are runs of letters, marks and digits. A hyphen, full stop or
 *    apostrophe between two of them keeps the word whole: "gpt-5",
 *    "node.js", "o'reilly". An apostrophe is removed ("o'reilly" gives
 *    "oreilly", "don't" gives "dont") and a possessive "'s" is dropped
 *    ("company's" gives "company"). A hyphen joins only next to a letter,
 *    so ranges such as "2020-2021" split. Initialisms keep their final
 *    dot: "U.S." and "U.S" both give "u.s.".
 *  - Numbers keep decimal points ("1.2", "2.0.1"); a comma followed by
 *    exactly three digits is a thousands separator and is removed
 *    ("10,000" gives "10000"). Currency and percent signs are not tokens.
 *  - Runs of Hangul, Han and kana become overlapping bigrams ("대통령" gives
 *    "대통" "통령"); a run of one character gives that character.
 *  - TEXT_FOLD applies NFKC and case folding (utf8proc) to each token and
 *    drops default-ignorable characters such as soft hyphens. With
 *    TEXT_UNACCENT it also drops the diacritics of words written in Latin
 *    letters ("Zürich" gives "zurich"); other scripts keep their marks.
 *  - TEXT_STOPWORDS drops tokens for which text_is_stopword() is true. For a
 *    Hangul run it first strips one trailing particle ("정부가" gives "정부")
 *    when at least two syllables remain, then drops the run if it is a
 *    stopword ("그리고").
 *  - TEXT_STEM applies the Snowball "english" stemmer to words made only of
 *    Latin letters; in a hyphenated word only the last part is stemmed
 *    ("self-driving" gives "self-drive").
 * TEXT_STOPWORDS and TEXT_STEM expect folded text, so use them with
 * TEXT_FOLD (TEXT_ANALYZE sets all three).
 *  - TEXT_ANALYZE | TEXT_DUAL gives the tokens of TEXT_FOLD | TEXT_STEM and
 *    those of TEXT_ANALYZE in one pass, for callers that need both (the
 *    day's analysis: clustering and SimHash read the analysed stream, the
 *    term lists the plain one). tok->streams says which stream a token is
 *    in: a stopword is in the plain stream only; a Hangul run that loses a
 *    particle or is a stopword gives its plain bigrams, then its analysed
 *    ones. Each stream, read alone, is exactly what its flags give.
 *
 * start/end always lie on UTF-8 boundaries inside the input. For a plain
 * ASCII word, folding input[start, end) gives the token text.
 * Returns 0, or the first non-zero value fn returned. s may be NULL when
 * len is 0. */
int text_tokenize(const char *s, size_t len, unsigned flags, text_token_fn fn, void *ctx);

/* A reusable tokenizer state: the stemmer and a scratch buffer for long
 * folds. One per thread; text_analyzer_free(NULL) is a no-op. */
struct text_analyzer;
struct text_analyzer *text_analyzer_new(void);
void text_analyzer_free(struct text_analyzer *a);
/* text_tokenize() using a's state; same contract. */
int text_analyzer_tokenize(struct text_analyzer *a, const char *s, size_t len, unsigned flags,
                           text_token_fn fn, void *ctx);

/* The tokenizer's identity, for indexes built from its output (FTS5 removes
 * a document by tokenizing it again, so an index built by one tokenizer
 * cannot be updated by another). Bump TEXT_TOKENIZER_VERSION by hand on any
 * change of output: stopwords, particles, folding, stemming, word rules.
 * text_tokenizer_fingerprint() catches the changes nobody bumped it for: a
 * 64-bit FNV-1a hash of the version, of the tokens (text, kind, offsets)
 * that `flags` give for a built-in probe text (stopwords, stems, CJK
 * bigrams, particles, compounds, accents, numbers) and of the stopword and
 * particle lists. Deterministic; computed anew on each call. */
#define TEXT_TOKENIZER_VERSION 1
uint64_t text_tokenizer_fingerprint(unsigned flags);

/* Fold `len` bytes into a running 64-bit FNV-1a hash (start with
 * TEXT_FNV1A_INIT); for callers that add their own probe output. */
#define TEXT_FNV1A_INIT 0xcbf29ce484222325ULL
uint64_t text_fnv1a(uint64_t h, const void *data, size_t len);

/* True if the folded word is an English or Korean stopword (the lists in
 * data/stopwords-en.txt and data/stopwords-ko.txt, compiled in). */
bool text_is_stopword(const char *folded_word, size_t len);

/* Number of words in the built-in stopword lists (for tests). */
size_t text_stopword_count(void);

/* ==== Sentences ==== */

struct text_span {
    size_t start, end; /* byte offsets, [start, end) */
};

/* Split into sentences. A sentence ends at '?', '!', '.', the CJK full stops
 * '。' '！' '？', or an ellipsis followed by a capital letter, together with
 * any closing quotes or brackets after it; every newline is a hard break.
 * A '.' does not end a sentence inside a number or version ("1.5",
 * "2.0.1"), after a title or common abbreviation ("Mr.", "Dr.", "e.g.",
 * "vs.", "Jan."), after a single initial ("J. Smith"), or when the next
 * word starts with a lower-case letter. After "Inc.", "Corp.", "U.S." and
 * the like the sentence ends only when the next word is a capitalised
 * function word ("... Apple Inc. The company"). Each span is trimmed of
 * white space; empty spans are left out.
 * Returns the number of spans; *out (OUT) is NULL when that is 0 and must
 * otherwise be released with free(). */
size_t text_sentences(const char *s, size_t len, struct text_span **out);

/* ==== Strings ==== */

/* NFKC + case fold a UTF-8 string, dropping invalid bytes and default-
 * ignorable characters. Returns a NUL-terminated string the caller releases
 * with free(); never NULL. */
char *text_fold(const char *s, size_t len);

/* Number of Unicode code points in s; invalid bytes are not counted. */
size_t text_utf8_length(const char *s, size_t len);

/* Copy of the NUL-terminated s cut to at most max_chars code points. When
 * cut, the copy ends at a word boundary where one lies in the second half
 * of the limit (otherwise between two code points), with trailing spaces
 * and commas removed and "…" appended; the ellipsis counts towards
 * max_chars. Invalid bytes are dropped, so the result is valid UTF-8.
 * NULL gives NULL; otherwise the caller releases the result with free(). */
char *text_truncate(const char *s, size_t max_chars);

/* ==== Term vectors ==== */

/* FNV-1a 64-bit hash of len bytes. */
uint64_t text_hash(const char *s, size_t len);

/* 64-bit SimHash of the TEXT_ANALYZE tokens of s, each weighted by its
 * count. Near-duplicate texts give a small text_hamming() distance
 * (one word changed in 60: usually <= 6 bits); unrelated texts about 32.
 * An empty text (or one of stopwords only) gives 0. */
uint64_t text_simhash(const char *s, size_t len);

/* text_simhash() of a text whose TEXT_ANALYZE tokens have the text_hash()
 * values h[0, n), in order: the same fingerprint without a tokenizer pass. */
uint64_t text_simhash_hashes(const uint64_t *h, size_t n);

/* Number of differing bits, 0..64. */
int text_hamming(uint64_t a, uint64_t b);

#endif
