/* SPDX-License-Identifier: MIT */
/* text_int.h: helpers shared by the files of the text module only.
 *
 * UTF-8 decoding and character classes are here, as static inline
 * functions, because the tokenizer calls them for every character of every
 * article: a call into utf8proc per character would dominate its run time.
 * Other modules include text/text.h, never this file. */
#ifndef ACHIM_TEXT_TEXT_INT_H
#define ACHIM_TEXT_TEXT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <utf8proc.h>

#include "text/text.h"

/* Longest entry of the stopword lists, in bytes (checked by a test). */
#define TEXT_STOPWORD_MAX_BYTES 16

/* Decode one code point from s[0, n), n >= 1. Returns the bytes used and
 * sets *cp; a byte that does not start a valid, shortest-form sequence
 * (including surrogates and values past U+10FFFF) gives 1 and *cp = -1. */
static inline size_t text_utf8_decode(const uint8_t *s, size_t n, int32_t *cp)
{
    uint8_t c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (n >= 2 && (s[1] & 0xC0) == 0x80) {
            *cp = ((int32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
            return 2;
        }
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
            int32_t v = ((int32_t)(c & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
            if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
                *cp = v;
                return 3;
            }
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
            int32_t v = ((int32_t)(c & 0x07) << 18) | ((int32_t)(s[1] & 0x3F) << 12) |
                        ((int32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
            if (v >= 0x10000 && v <= 0x10FFFF) {
                *cp = v;
                return 4;
            }
        }
    }
    *cp = -1;
    return 1;
}

/* Character classes as the tokenizer sees them. */
enum text_class {
    TC_SEP,   /* anything that separates tokens */
    TC_ALPHA, /* letters (L*, Nl) */
    TC_DIGIT, /* decimal digits (Nd) */
    TC_MARK,  /* combining marks: part of the word they follow */
    TC_INVIS, /* soft hyphen, ZWJ, ZWNJ: inside a word, dropped */
    TC_CJK,   /* Hangul, Han, kana: bigrammed */
};

/* Hangul, Han ideographs and kana, the scripts written without spaces
 * between words (Korean has spaces, but its particles attach to nouns, so
 * bigrams serve it too). Middle dots are separators. */
static inline bool text_is_cjk(int32_t cp)
{
    if (cp < 0x1100)
        return false;
    if (cp <= 0x11FF)
        return true; /* Hangul Jamo */
    if (cp < 0x3005)
        return false;
    if (cp <= 0x3007)
        return true; /* 々 〆 〇 */
    if (cp >= 0x3041 && cp <= 0x30FF)
        return cp != 0x30A0 && cp != 0x30FB; /* kana, minus ゠ and ・ */
    if (cp >= 0x3131 && cp <= 0x318E)
        return true; /* Hangul compatibility jamo */
    if (cp >= 0x31F0 && cp <= 0x31FF)
        return true; /* katakana extension */
    if (cp >= 0x3400 && cp <= 0x4DBF)
        return true; /* Han extension A */
    if (cp >= 0x4E00 && cp <= 0x9FFF)
        return true; /* Han */
    if (cp >= 0xA960 && cp <= 0xA97F)
        return true; /* Hangul Jamo extended A */
    if (cp >= 0xAC00 && cp <= 0xD7A3)
        return true; /* Hangul syllables */
    if (cp >= 0xD7B0 && cp <= 0xD7FF)
        return true; /* Hangul Jamo extended B */
    if (cp >= 0xF900 && cp <= 0xFAFF)
        return true; /* Han compatibility */
    if (cp >= 0xFF66 && cp <= 0xFFDC)
        return true;                       /* half-width katakana and Hangul */
    return cp >= 0x20000 && cp <= 0x3FFFF; /* Han extensions B and later */
}

/* True when NFKC + case folding leave cp unchanged, so a bigram of such
 * characters can point into the input instead of being folded. */
static inline bool text_cjk_fold_stable(int32_t cp)
{
    return (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3041 && cp <= 0x3096) ||
           (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC || (cp >= 0x20000 && cp <= 0x2EBEF);
}

static inline bool text_is_hangul_syllable(int32_t cp)
{
    return cp >= 0xAC00 && cp <= 0xD7A3;
}

/* Class of a code point at or above U+0080 (ASCII uses a table). */
static inline enum text_class text_class_of(int32_t cp)
{
    if (text_is_cjk(cp))
        return TC_CJK;
    if (cp == 0x00AD || cp == 0x200C || cp == 0x200D || cp == 0x2060)
        return TC_INVIS;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL: return TC_ALPHA;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return TC_MARK;
    case UTF8PROC_CATEGORY_ND: return TC_DIGIT;
    default: return TC_SEP;
    }
}

/* White space, including no-break and ideographic spaces. */
static inline bool text_is_space(int32_t cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Stopword list access for tests (stopwords.c). */
const char *text_stopword_at(size_t i, size_t *len);
size_t text_ko_particle_count(void);
const char *text_ko_particle_at(size_t i, size_t *len);
/* The 64-bit finaliser of MurmurHash3: SimHash's votes pass each FNV
 * token hash through it (see simhash.c). */
static inline uint64_t text_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Bytes of the longest particle ending the Hangul run[0, len) that leaves
 * at least two syllables before it; 0 if none. */
size_t text_ko_particle_suffix(const char *run, size_t len);

#endif
