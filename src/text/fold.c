/* SPDX-License-Identifier: MIT */
/* fold.c: whole-string helpers — folding, code point counts, truncation.
 *
 * These run once per title or summary (search keys, length limits in
 * briefings), not per token, so they favour simple code over speed: they
 * first copy the valid UTF-8 of the input and then work on that copy.
 * Invalid bytes are dropped everywhere, so every result is valid UTF-8. */
#include "text/text_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* Copy the valid UTF-8 of s[0, len) into a new NUL-terminated string,
 * dropping invalid bytes and, when drop_nul, NUL characters. */
static char *valid_copy(const char *s, size_t len, bool drop_nul, size_t *out_len)
{
    char *out = xmalloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t k = text_utf8_decode((const uint8_t *)s + i, len - i, &cp);
        if (cp > 0 || (cp == 0 && !drop_nul)) {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

char *text_fold(const char *s, size_t len)
{
    size_t n;
    utf8proc_uint8_t *folded = NULL;
    if (!s)
        return xstrdup("");
    char *clean = valid_copy(s, len, true, &n);
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)clean, (utf8proc_ssize_t)n, &folded,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                          UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    if (r < 0 || !folded) {
        /* Only out of memory can fail on valid input; treat it as such. */
        free(folded);
        folded = (utf8proc_uint8_t *)xstrdup(clean);
    }
    free(clean);
    return (char *)folded;
}

size_t text_utf8_length(const char *s, size_t len)
{
    size_t count = 0;
    if (!s)
        return 0;
    for (size_t i = 0; i < len;) {
        if ((unsigned char)s[i] < 0x80) {
            count++;
            i++;
            continue;
        }
        int32_t cp;
        i += text_utf8_decode((const uint8_t *)s + i, len - i, &cp);
        if (cp >= 0)
            count++;
    }
    return count;
}

/* Characters trimmed before the ellipsis is appended. */
static bool trim_before_ellipsis(int32_t cp)
{
    return text_is_space(cp) || cp == ',' || cp == ';' || cp == ':' || cp == '-' || cp == 0x2013 ||
           cp == 0x2014;
}

static bool breaks_anywhere(int32_t cp)
{
    return text_is_cjk(cp) && !text_is_hangul_syllable(cp) && !(cp >= 0x1100 && cp <= 0x11FF) &&
           !(cp >= 0x3131 && cp <= 0x318E);
}

static int32_t cp_at(const char *s, size_t len, size_t i)
{
    int32_t cp;
    text_utf8_decode((const uint8_t *)s + i, len - i, &cp);
    return cp;
}

char *text_truncate(const char *s, size_t max_chars)
{
    size_t n;
    if (!s)
        return NULL;
    char *c = valid_copy(s, strlen(s), false, &n);
    if (text_utf8_length(c, n) <= max_chars)
        return c;
    if (max_chars == 0) {
        c[0] = '\0';
        return c;
    }

    /* Offsets of the first max_chars code points; the ellipsis takes the
     * last place, so the text keeps limit = max_chars - 1 of them. */
    size_t limit = max_chars - 1;
    size_t *at = xreallocarray(NULL, limit + 1, sizeof(*at));
    size_t i = 0;
    for (size_t q = 0; q <= limit; q++) {
        int32_t cp;
        at[q] = i;
        i += text_utf8_decode((const uint8_t *)c + i, n - i, &cp);
    }

    /* Cut where a space begins or where Han or kana text allows a break
     * between any two characters (Korean separates words with spaces), no
     * further back than half the limit. */
    size_t cut = at[limit];
    for (size_t q = limit; q > 0 && q >= limit / 2; q--) {
        int32_t here = cp_at(c, n, at[q]), before = cp_at(c, n, at[q - 1]);
        if (text_is_space(here) || text_is_space(before) || breaks_anywhere(here) ||
            breaks_anywhere(before)) {
            cut = at[q];
            break;
        }
    }
    /* Drop trailing spaces and commas, a code point at a time. */
    size_t q = limit;
    while (q > 0 && at[q] > cut)
        q--;
    while (q > 0 && trim_before_ellipsis(cp_at(c, n, at[q - 1])))
        cut = at[--q];
    free(at);

    static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026 */
    char *out = xmalloc(cut + sizeof(ellipsis));
    memcpy(out, c, cut);
    memcpy(out + cut, ellipsis, sizeof(ellipsis));
    free(c);
    return out;
}
