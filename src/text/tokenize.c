/* SPDX-License-Identifier: MIT */
/* tokenize.c: the tokenizer behind search indexing and clustering.
 *
 * One pass over the input, one code point at a time, with a table for
 * ASCII. A word is copied into a fixed buffer inside the analyzer while it
 * is scanned (connectors such as apostrophes and thousands commas are
 * dropped on the way), then folded, checked against the stopwords and
 * stemmed, each step writing into analyzer-owned buffers. Nothing is
 * allocated per token: the only allocations are the Snowball stemmer
 * (created on the first word that needs stemming) and a fold buffer for
 * the rare token whose NFKC expansion outgrows the inline one.
 *
 * Hangul, Han and kana runs are not words: they are emitted as overlapping
 * bigrams, which index CJK text reasonably without a dictionary. */
#include "text/text_int.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* Code points the inline fold buffer holds; NFKC expands a 128-byte token
 * past this only in contrived cases (ligatures, squared Latin words). */
#define FOLD_INLINE 512

/* Stems of recent words, direct-mapped by hash: news text repeats its
 * words, and a hit costs a hash and a compare instead of a Snowball run.
 * 8192 slots (400 KB, allocated with the stemmer): over the 100k-article
 * synthetic benchmark corpus (bench/analysis.c gen) 512 slots missed 48%
 * of the lookups, 4096 20%, 8192 12%, 16384 7% (memory per analyzer
 * grows with the slots; 8192 is where the gains flatten). */
#define STEM_CACHE_SLOTS 8192
#define STEM_CACHE_WORD 24
struct stem_entry {
    unsigned char in_len, out_len; /* in_len 0: empty slot */
    char in[STEM_CACHE_WORD];
    char out[STEM_CACHE_WORD];
};

struct text_analyzer {
    struct sb_stemmer *stemmer;    /* NULL until the first stem */
    struct stem_entry *stem_cache; /* allocated with the stemmer */
    bool stemmer_failed;           /* sb_stemmer_new failed: stop trying */
    utf8proc_int32_t *fold_heap;   /* fold buffer for huge expansions */
    size_t fold_heap_cap;
    char word[TEXT_MAX_TOKEN_BYTES + 8]; /* the word being scanned */
    char stem[2 * TEXT_MAX_TOKEN_BYTES + 16];
    utf8proc_int32_t fold[FOLD_INLINE]; /* also receives the UTF-8 result */
};

static const utf8proc_option_t fold_options =
    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;

/* ASCII classes: letters and digits only; everything else separates. */
static const unsigned char ascii_class[128] = {
    ['0'] = TC_DIGIT, ['1'] = TC_DIGIT, ['2'] = TC_DIGIT, ['3'] = TC_DIGIT, ['4'] = TC_DIGIT,
    ['5'] = TC_DIGIT, ['6'] = TC_DIGIT, ['7'] = TC_DIGIT, ['8'] = TC_DIGIT, ['9'] = TC_DIGIT,
    ['A'] = TC_ALPHA, ['B'] = TC_ALPHA, ['C'] = TC_ALPHA, ['D'] = TC_ALPHA, ['E'] = TC_ALPHA,
    ['F'] = TC_ALPHA, ['G'] = TC_ALPHA, ['H'] = TC_ALPHA, ['I'] = TC_ALPHA, ['J'] = TC_ALPHA,
    ['K'] = TC_ALPHA, ['L'] = TC_ALPHA, ['M'] = TC_ALPHA, ['N'] = TC_ALPHA, ['O'] = TC_ALPHA,
    ['P'] = TC_ALPHA, ['Q'] = TC_ALPHA, ['R'] = TC_ALPHA, ['S'] = TC_ALPHA, ['T'] = TC_ALPHA,
    ['U'] = TC_ALPHA, ['V'] = TC_ALPHA, ['W'] = TC_ALPHA, ['X'] = TC_ALPHA, ['Y'] = TC_ALPHA,
    ['Z'] = TC_ALPHA, ['a'] = TC_ALPHA, ['b'] = TC_ALPHA, ['c'] = TC_ALPHA, ['d'] = TC_ALPHA,
    ['e'] = TC_ALPHA, ['f'] = TC_ALPHA, ['g'] = TC_ALPHA, ['h'] = TC_ALPHA, ['i'] = TC_ALPHA,
    ['j'] = TC_ALPHA, ['k'] = TC_ALPHA, ['l'] = TC_ALPHA, ['m'] = TC_ALPHA, ['n'] = TC_ALPHA,
    ['o'] = TC_ALPHA, ['p'] = TC_ALPHA, ['q'] = TC_ALPHA, ['r'] = TC_ALPHA, ['s'] = TC_ALPHA,
    ['t'] = TC_ALPHA, ['u'] = TC_ALPHA, ['v'] = TC_ALPHA, ['w'] = TC_ALPHA, ['x'] = TC_ALPHA,
    ['y'] = TC_ALPHA, ['z'] = TC_ALPHA,
};

struct scan {
    const uint8_t *s;
    size_t len;
    unsigned flags;
    text_token_fn fn;
    void *ctx;
    struct text_analyzer *a;
};

/* Decode at s[i] (i < n) and classify. */
static inline enum text_class class_at(const uint8_t *s, size_t n, size_t i, int32_t *cp, size_t *k)
{
    if (s[i] < 0x80) {
        *cp = s[i];
        *k = 1;
        return (enum text_class)ascii_class[s[i]];
    }
    *k = text_utf8_decode(s + i, n - i, cp);
    return *cp < 0 ? TC_SEP : text_class_of(*cp);
}

static inline bool is_word_class(enum text_class c)
{
    return c == TC_ALPHA || c == TC_DIGIT || c == TC_MARK;
}

/* Latin letters and their marks, the words the English stemmer may touch. */
static inline bool is_latin(int32_t cp)
{
    return cp < 0x250 || (cp >= 0x300 && cp < 0x370) || (cp >= 0x1E00 && cp < 0x1F00) ||
           (cp >= 0xFF21 && cp <= 0xFF5A);
}

/* ==== Folding and stemming ==== */

/* True if the (folded) word is written in Latin letters only. */
static bool all_latin(const char *w, size_t n)
{
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += text_utf8_decode((const uint8_t *)w + i, n - i, &cp);
        if (cp < 0 || !is_latin(cp))
            return false;
    }
    return true;
}

static const char *fold_with(struct text_analyzer *a, const char *in, size_t n,
                             utf8proc_option_t options, size_t *out_len);

/* NFKC + case fold n bytes of valid UTF-8. The result lives in a's buffers
 * until the next fold; NULL if utf8proc refused the input. */
static const char *fold_into(struct text_analyzer *a, const char *in, size_t n, size_t *out_len)
{
    return fold_with(a, in, n, fold_options, out_len);
}

/* fold_into() with explicit utf8proc options. */
static const char *fold_with(struct text_analyzer *a, const char *in, size_t n,
                             utf8proc_option_t options, size_t *out_len)
{
    utf8proc_int32_t *buf = a->fold;
    utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)n, buf,
                                            FOLD_INLINE, options);
    if (k < 0)
        return NULL;
    if (k > FOLD_INLINE) {
        if ((size_t)k > a->fold_heap_cap) {
            free(a->fold_heap);
            a->fold_heap = xreallocarray(NULL, (size_t)k, sizeof(*a->fold_heap));
            a->fold_heap_cap = (size_t)k;
        }
        buf = a->fold_heap;
        k = utf8proc_decompose((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)n, buf, k, options);
        if (k < 0)
            return NULL;
    }
    k = utf8proc_reencode(buf, k, options);
    if (k < 0)
        return NULL;
    *out_len = (size_t)k;
    return (const char *)buf;
}

/* The word's first pre bytes followed by a stem, in a->stem. */
static const char *join_stem(struct text_analyzer *a, const char *w, size_t pre, const char *stem,
                             size_t len, size_t *out_len)
{
    memcpy(a->stem, w, pre);
    memcpy(a->stem + pre, stem, len);
    *out_len = pre + len;
    return a->stem;
}

/* Stem the last hyphen-separated part of a folded Latin word. Returns the
 * word itself when nothing changes or no stemmer is available. */
static const char *stem_word(struct text_analyzer *a, const char *w, size_t n, size_t *out_len)
{
    *out_len = n;
    if (n > TEXT_MAX_TOKEN_BYTES)
        return w;
    if (!a->stemmer) {
        if (a->stemmer_failed)
            return w;
        a->stemmer = sb_stemmer_new("english", NULL);
        if (!a->stemmer) {
            a->stemmer_failed = true;
            return w;
        }
        a->stem_cache = xcalloc(STEM_CACHE_SLOTS, sizeof(*a->stem_cache));
    }
    size_t pre = n;
    while (pre > 0 && w[pre - 1] != '-')
        pre--;
    if (pre >= n)
        return w;
    const char *part = w + pre;
    size_t plen = n - pre;
    struct stem_entry *e = NULL;
    if (plen <= STEM_CACHE_WORD) {
        e = &a->stem_cache[text_hash(part, plen) & (STEM_CACHE_SLOTS - 1)];
        if (e->in_len == plen && memcmp(e->in, part, plen) == 0)
            return join_stem(a, w, pre, e->out, e->out_len, out_len);
    }
    const sb_symbol *r = sb_stemmer_stem(a->stemmer, (const sb_symbol *)part, (int)plen);
    int rl = sb_stemmer_length(a->stemmer);
    if (!r || rl <= 0 || (size_t)rl + pre > sizeof(a->stem))
        return w;
    if (e && (size_t)rl <= STEM_CACHE_WORD) {
        e->in_len = (unsigned char)plen;
        memcpy(e->in, part, plen);
        e->out_len = (unsigned char)rl;
        memcpy(e->out, r, (size_t)rl);
    }
    return join_stem(a, w, pre, (const char *)r, (size_t)rl, out_len);
}

/* ==== Words ==== */

/* Scan the word that starts at i and emit it. Sets *next past it. */
static int scan_word(struct scan *sc, size_t i, size_t *next)
{
    const uint8_t *s = sc->s;
    size_t n = sc->len, j = i, wl = 0;
    char *w = sc->a->word;
    bool overflow = false, ascii = true;
    bool has_alpha = false, has_digit = false, has_dot = false;
    bool initialism = true; /* single letters joined by dots so far */
    size_t seg_chars = 0;   /* letters and digits since the last dot */
    int segs = 1;
    enum text_class last = TC_SEP;
    int32_t cp;
    size_t k;

    for (;;) {
        while (j < n) {
            enum text_class c = class_at(s, n, j, &cp, &k);
            if (c == TC_INVIS) {
                j += k;
                continue;
            }
            if (!is_word_class(c))
                break;
            if (wl + k > TEXT_MAX_TOKEN_BYTES)
                overflow = true;
            else if (k == 1)
                w[wl++] = (char)s[j];
            else {
                memcpy(w + wl, s + j, k);
                wl += k;
            }
            if (c != TC_MARK) {
                seg_chars++;
                last = c;
            }
            if (c == TC_ALPHA)
                has_alpha = true;
            else if (c == TC_DIGIT)
                has_digit = true;
            if (cp >= 0x80)
                ascii = false;
            j += k;
        }
        if (j >= n)
            break;

        /* A connector joins only when a word character follows it. */
        size_t k2;
        int32_t cp2;
        class_at(s, n, j, &cp, &k);
        if (j + k >= n)
            break;
        enum text_class after = class_at(s, n, j + k, &cp2, &k2);
        if (after != TC_ALPHA && after != TC_DIGIT)
            break;
        if (cp == '-' || cp == 0x2010 || cp == 0x2011) {
            if (last != TC_ALPHA && after != TC_ALPHA)
                break; /* "2020-2021" is a range */
            if (wl < TEXT_MAX_TOKEN_BYTES)
                w[wl++] = '-';
            initialism = false;
        } else if (cp == '.') {
            if (seg_chars != 1 || last != TC_ALPHA || after != TC_ALPHA)
                initialism = false;
            if (wl < TEXT_MAX_TOKEN_BYTES)
                w[wl++] = '.';
            has_dot = true;
            seg_chars = 0;
            segs++;
        } else if (cp == '\'' || cp == 0x2019) {
            if (last != TC_ALPHA || after != TC_ALPHA)
                break;
            if ((cp2 == 's' || cp2 == 'S') &&
                (j + k + 1 >= n || !is_word_class(class_at(s, n, j + k + 1, &cp2, &k2)))) {
                j += k + 1; /* possessive 's: the word ends here */
                break;
            }
            initialism = false; /* o'reilly -> oreilly */
        } else if (cp == ',' && last == TC_DIGIT && !has_alpha && j + 4 <= n) {
            /* thousands separator: exactly three digits follow */
            if (!(s[j + 1] >= '0' && s[j + 1] <= '9' && s[j + 2] >= '0' && s[j + 2] <= '9' &&
                  s[j + 3] >= '0' && s[j + 3] <= '9' &&
                  (j + 4 == n || s[j + 4] < '0' || s[j + 4] > '9')))
                break;
        } else {
            break;
        }
        j += k;
    }

    /* "U.S." and "U.S" both become "u.s.". */
    if (initialism && segs > 1 && seg_chars == 1 && last == TC_ALPHA && !has_digit) {
        if (j < n && s[j] == '.')
            j++;
        if (wl < TEXT_MAX_TOKEN_BYTES)
            w[wl++] = '.';
    }
    *next = j;
    if (overflow || wl == 0)
        return 0;

    struct text_token tok = {w, wl, i, j, (!has_alpha && has_digit) ? TOK_NUMBER : TOK_WORD, 0};
    if (sc->flags & TEXT_FOLD) {
        if (ascii) {
            for (size_t x = 0; x < wl; x++)
                if (w[x] >= 'A' && w[x] <= 'Z')
                    w[x] = (char)(w[x] + 32);
        } else {
            /* Only Latin words lose their marks: in Devanagari or kana a
             * mark is a vowel sign or voicing, part of the word. */
            utf8proc_option_t options = fold_options;
            if ((sc->flags & TEXT_UNACCENT) && all_latin(w, wl))
                options |= UTF8PROC_STRIPMARK;
            tok.text = fold_with(sc->a, w, wl, options, &tok.len);
            if (!tok.text || tok.len == 0)
                return 0;
        }
    }
    if (sc->flags & TEXT_DUAL) {
        tok.streams = TEXT_STREAM_PLAIN;
        if (!text_is_stopword(tok.text, tok.len))
            tok.streams |= TEXT_STREAM_ANALYZED;
    } else if ((sc->flags & TEXT_STOPWORDS) && text_is_stopword(tok.text, tok.len)) {
        return 0;
    }
    if ((sc->flags & TEXT_STEM) && tok.kind == TOK_WORD && !has_digit && !has_dot &&
        (ascii || all_latin(tok.text, tok.len)))
        tok.text = stem_word(sc->a, tok.text, tok.len, &tok.len);
    return sc->fn(sc->ctx, &tok);
}

/* ==== CJK runs ==== */

static int emit_cjk(struct scan *sc, size_t start, size_t end, bool stable, unsigned streams)
{
    struct text_token tok = {
        (const char *)sc->s + start, end - start, start, end, TOK_CJK_BIGRAM, streams};
    if ((sc->flags & TEXT_FOLD) && !stable) {
        tok.text = fold_into(sc->a, tok.text, tok.len, &tok.len);
        if (!tok.text || tok.len == 0)
            return 0;
    }
    return sc->fn(sc->ctx, &tok);
}

/* Emit the bigrams of the CJK characters in s[i, end), end > i. */
static int emit_bigrams(struct scan *sc, size_t i, size_t end, unsigned streams)
{
    const uint8_t *s = sc->s;
    size_t n = sc->len, p = i, k1;
    int32_t cp1;
    class_at(s, n, p, &cp1, &k1);
    if (p + k1 >= end)
        return emit_cjk(sc, p, p + k1, text_cjk_fold_stable(cp1), streams);
    while (p + k1 < end) {
        size_t q = p + k1, k2;
        int32_t cp2;
        class_at(s, n, q, &cp2, &k2);
        int rc = emit_cjk(sc, p, q + k2, text_cjk_fold_stable(cp1) && text_cjk_fold_stable(cp2),
                          streams);
        if (rc)
            return rc;
        p = q;
        k1 = k2;
        cp1 = cp2;
    }
    return 0;
}

/* Emit the bigrams of the run of CJK characters that starts at i. */
static int scan_cjk(struct scan *sc, size_t i, size_t *next)
{
    const uint8_t *s = sc->s;
    size_t n = sc->len, j = i, chars = 0, k;
    bool hangul = true;
    int32_t cp;

    while (j < n && class_at(s, n, j, &cp, &k) == TC_CJK) {
        hangul = hangul && text_is_hangul_syllable(cp);
        chars++;
        j += k;
    }
    *next = j;

    size_t end = j;
    if ((sc->flags & TEXT_STOPWORDS) && hangul) {
        end -= text_ko_particle_suffix((const char *)s + i, end - i);
        bool stop = text_is_stopword((const char *)s + i, end - i);
        if (sc->flags & TEXT_DUAL) {
            if (end == j && !stop)
                return emit_bigrams(sc, i, j, TEXT_STREAM_PLAIN | TEXT_STREAM_ANALYZED);
            int rc = emit_bigrams(sc, i, j, TEXT_STREAM_PLAIN);
            return rc || stop ? rc : emit_bigrams(sc, i, end, TEXT_STREAM_ANALYZED);
        }
        if (stop)
            return 0;
    }
    unsigned streams = (sc->flags & TEXT_DUAL) ? TEXT_STREAM_PLAIN | TEXT_STREAM_ANALYZED : 0;
    return emit_bigrams(sc, i, end, streams);
}

/* ==== Entry points ==== */

struct text_analyzer *text_analyzer_new(void)
{
    return xcalloc(1, sizeof(struct text_analyzer));
}

static void analyzer_release(struct text_analyzer *a)
{
    if (a->stemmer)
        sb_stemmer_delete(a->stemmer);
    free(a->stem_cache);
    free(a->fold_heap);
}

void text_analyzer_free(struct text_analyzer *a)
{
    if (!a)
        return;
    analyzer_release(a);
    free(a);
}

int text_analyzer_tokenize(struct text_analyzer *a, const char *s, size_t len, unsigned flags,
                           text_token_fn fn, void *ctx)
{
    struct scan sc = {(const uint8_t *)s, len, flags, fn, ctx, a};
    size_t i = 0;
    if (!s || !fn)
        return 0;
    while (i < len) {
        int32_t cp;
        size_t k, next;
        int rc;
        enum text_class c = class_at(sc.s, len, i, &cp, &k);
        if (c == TC_ALPHA || c == TC_DIGIT || c == TC_MARK)
            rc = scan_word(&sc, i, &next);
        else if (c == TC_CJK)
            rc = scan_cjk(&sc, i, &next);
        else {
            i += k;
            continue;
        }
        if (rc)
            return rc;
        i = next;
    }
    return 0;
}

/* text_tokenize() keeps one analyzer per thread, so its stemmer and stem
 * cache warm up across calls (news text repeats its words; creating a
 * Snowball stemmer and an empty cache per call cost a third of the
 * analysis time). A thread's analyzer is freed when the thread exits (the
 * key's destructor) and the main thread's at exit(), so leak checkers see
 * nothing. A callback that tokenizes again while its own call runs gets a
 * fresh analyzer on the stack, as before, instead of the busy one. */
static pthread_key_t cached_key;
static pthread_once_t cached_once = PTHREAD_ONCE_INIT;
static _Thread_local struct text_analyzer *cached;
static _Thread_local bool cached_busy;

static void cached_destroy(void *a)
{
    text_analyzer_free(a);
    cached = NULL;
}

static void cached_at_exit(void)
{
    if (cached && !cached_busy) {
        pthread_setspecific(cached_key, NULL);
        cached_destroy(cached);
    }
}

static void cached_init(void)
{
    pthread_key_create(&cached_key, cached_destroy);
    atexit(cached_at_exit);
}

int text_tokenize(const char *s, size_t len, unsigned flags, text_token_fn fn, void *ctx)
{
    if (!cached_busy) {
        if (!cached) {
            pthread_once(&cached_once, cached_init);
            cached = text_analyzer_new();
            pthread_setspecific(cached_key, cached);
        }
        cached_busy = true;
        int rc = text_analyzer_tokenize(cached, s, len, flags, fn, ctx);
        cached_busy = false;
        return rc;
    }
    /* A nested call: the analyzer is large (the inline fold buffer);
     * keeping it off the heap makes a call without stemming allocation-free. */
    struct text_analyzer a;
    a.stemmer = NULL;
    a.stem_cache = NULL;
    a.stemmer_failed = false;
    a.fold_heap = NULL;
    a.fold_heap_cap = 0;
    int rc = text_analyzer_tokenize(&a, s, len, flags, fn, ctx);
    analyzer_release(&a);
    return rc;
}

/* ---- identity ---------------------------------------------------------------- */

/* text_fnv1a() is in simhash.c, next to text_hash(), which it computes. */

static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i)); /* fixed byte order */
    return text_fnv1a(h, b, sizeof(b));
}

/* Every rule of text_tokenize() shows in this text at least once, so a
 * change of any of them changes the hash of its tokens. */
static const char tokenizer_probe[] =
    "The agents were running quickly; Companies' policies and the company's "
    "self-driving cars. GPT-5 and GPT-4o on node.js, U.S. and U.S officials, "
    "O'Reilly don't. 10,000 dollars, 1.2%, version 2.0.1, 2020-2021. "
    "Zürich Ångström café naïve résumé ﬁnance ＡＢＣ soft\xc2\xadhyphen. "
    "대통령이 정부가 그리고 삼성전자는 반도체를 발표했다. 中华人民共和国 東京都 "
    "ひらがな カタカナ. Ελληνικά Москва straße İstanbul. "
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa end.";

static int fingerprint_token(void *ctx, const struct text_token *t)
{
    uint64_t *h = ctx;
    *h = fnv_u64(*h, t->len);
    *h = text_fnv1a(*h, t->text, t->len);
    *h = fnv_u64(*h, (uint64_t)t->kind);
    *h = fnv_u64(*h, t->start);
    *h = fnv_u64(*h, t->end);
    return 0;
}

uint64_t text_tokenizer_fingerprint(unsigned flags)
{
    uint64_t h = fnv_u64(TEXT_FNV1A_INIT, TEXT_TOKENIZER_VERSION);
    h = fnv_u64(h, flags);
    struct text_analyzer *a = text_analyzer_new();
    text_analyzer_tokenize(a, tokenizer_probe, sizeof(tokenizer_probe) - 1, flags,
                           fingerprint_token, &h);
    text_analyzer_free(a);
    size_t len;
    for (size_t i = 0, n = text_stopword_count(); i < n; i++) {
        const char *w = text_stopword_at(i, &len);
        h = fnv_u64(h, len);
        h = text_fnv1a(h, w, len);
    }
    for (size_t i = 0, n = text_ko_particle_count(); i < n; i++) {
        const char *w = text_ko_particle_at(i, &len);
        h = fnv_u64(h, len);
        h = text_fnv1a(h, w, len);
    }
    return h;
}
