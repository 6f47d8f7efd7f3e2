/* SPDX-License-Identifier: MIT */
/* test_chardet.c: the statistical encoding guess (chardet.c) and its use
 * when a feed declares no encoding that works (encoding.c).
 *
 * The sample sentences are written for this test (news-like sentences in
 * each language); iconv encodes them, so each case checks that the bytes of
 * one language in one legacy encoding are recognised among all the other
 * candidates. */
#include "../test.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>

#include "feed/feed.h"
#include "feed/feed_int.h"
#include "model/model.h"

/* text (UTF-8) in encoding enc, or NULL when iconv cannot encode it */
static char *encode(const char *text, const char *enc, size_t *len)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t n = strlen(text), cap = n * 4 + 16;
    char *out = malloc(cap), *o = out, *in = (char *)text;
    size_t inleft = n, oleft = cap;
    size_t r = iconv(cd, &in, &inleft, &o, &oleft);
    iconv_close(cd);
    if (r == (size_t)-1) {
        free(out);
        return NULL;
    }
    *len = (size_t)(o - out);
    return out;
}

/* A small RSS document whose title and description are text, in enc. */
static char *feed_in(const char *text, const char *enc, size_t *len)
{
    char doc[4096];
    snprintf(doc, sizeof(doc),
             "<rss><channel><item><title>%s</title><description>%s</description></item>"
             "</channel></rss>",
             text, text);
    return encode(doc, enc, len);
}

static const char ru[] = "Новая модель искусственного интеллекта показала хорошие результаты на "
                         "тестах. Компания заявила, что система будет доступна разработчикам уже в "
                         "следующем месяце.";
static const char he[] = "החברה הודיעה היום על מערכת חדשה לבינה מלאכותית שתהיה זמינה למפתחים בחודש "
                         "הבא.";
static const char el[] =
    "Η εταιρεία ανακοίνωσε σήμερα ένα νέο σύστημα τεχνητής νοημοσύνης για τους "
    "προγραμματιστές.";
static const char pl[] = "Firma ogłosiła dziś nową wersję swojego systemu sztucznej inteligencji, "
                         "która będzie dostępna dla programistów już w przyszłym miesiącu.";
static const char cs[] = "Společnost dnes oznámila nový systém umělé inteligence, který bude "
                         "vývojářům k dispozici příští měsíc.";
static const char es[] = "La compañía anunció hoy un nuevo sistema de inteligencia artificial que "
                         "estará disponible para los desarrolladores el próximo mes.";
static const char de[] =
    "Das Unternehmen hat heute ein neues System für künstliche Intelligenz "
    "vorgestellt, das Entwicklern ab nächstem Monat zur Verfügung stehen wird.";
static const char tr[] = "Şirket bugün yapay zekâ alanında geliştiricilerin önümüzdeki ay "
                         "kullanabileceği yeni bir sistem duyurdu.";
static const char th[] = "บริษัทประกาศเปิดตัวระบบปัญญาประดิษฐ์รุ่นใหม่ในวันนี้ "
                         "ซึ่งนักพัฒนาจะสามารถใช้งานได้ในเดือนหน้า";
static const char zh[] = "该公司今天宣布推出新的人工智能系统，开发者将在下个月可以使用。";
static const char zht[] = "該公司今天宣佈推出新的人工智慧系統，開發者將在下個月可以使用。";
static const char ja[] =
    "同社は本日、新しい人工知能システムを発表した。開発者は来月から利用できるようになる。";
static const char ko[] =
    "그 회사는 오늘 새로운 인공지능 시스템을 발표했으며, 개발자들은 다음 달부터 "
    "사용할 수 있다.";

static const char hu[] =
    "A vállalat ma bejelentette új mesterséges intelligencia rendszerét, amely "
    "a jövő hónaptól lesz elérhető a fejlesztők számára.";
static const char pt[] = "A empresa anunciou hoje um novo sistema de inteligência artificial, que "
                         "estará disponível para os desenvolvedores no próximo mês.";
static const char fr[] = "La société a annoncé aujourd’hui un nouveau système d’intelligence "
                         "artificielle, disponible pour les développeurs dès le mois prochain.";
static const char uk[] = "Уряд оголосив про нові заходи підтримки економіки, які діятимуть з "
                         "наступного місяця.";
static const char zh_tw[] =
    "台灣的科技公司今天發表了新的電腦系統，開發者將在下個月開始使用這項服務。";

static const struct {
    const char *text, *iconv_name, *want;
} samples[] = {
    {ru, "MACCYRILLIC", "MacCyrillic"},
    {uk, "CP1251", "windows-1251"},
    {hu, "CP1250", "windows-1250"},
    {cs, "ISO-8859-2", "ISO-8859-2"},
    {pt, "CP1252", "windows-1252"},
    {fr, "CP1252", "windows-1252"},
    {zh_tw, "BIG5", "Big5"},
    {ru, "KOI8-R", "KOI8-R"},
    {ru, "CP1251", "windows-1251"},
    {ru, "CP866", "IBM866"},
    {ru, "ISO-8859-5", "ISO-8859-5"},
    {"Новости технологий за неделю", "KOI8-R", "KOI8-R"},
    {"Новости технологий за неделю", "CP1251", "windows-1251"},
    {he, "CP1255", "windows-1255"},
    {"חדשות טכנולוגיה", "CP1255", "windows-1255"},
    {el, "ISO-8859-7", "ISO-8859-7"},
    {pl, "CP1250", "windows-1250"},
    {pl, "ISO-8859-2", "ISO-8859-2"},
    {cs, "CP1250", "windows-1250"},
    {es, "CP1252", "windows-1252"},
    {de, "CP1252", "windows-1252"},
    {tr, "CP1254", "windows-1254"},
    {th, "TIS-620", "TIS-620"},
    {"ข่าวเทคโนโลยี", "TIS-620", "TIS-620"},
    {zh, "GB2312", "GB2312"},
    {"科技新闻：人工智能", "GB2312", "GB2312"},
    {zht, "BIG5", "Big5"},
    {"科技新聞：人工智慧", "BIG5", "Big5"},
    {ja, "EUC-JP", "EUC-JP"},
    {ja, "CP932", "SHIFT_JIS"},
    {"今日のニュース", "EUC-JP", "EUC-JP"},
    {ko, "EUC-KR", "EUC-KR"},
    {"오늘의 기술 뉴스", "EUC-KR", "EUC-KR"},
};

static void test_languages(void)
{
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        size_t len;
        char *doc = feed_in(samples[i].text, samples[i].iconv_name, &len);
        CHECK(doc != NULL);
        if (!doc)
            continue;
        const char *got = feed_chardet(doc, len);
        if (!got || strcmp(got, samples[i].want))
            fprintf(stderr, "  case %zu (%s): got %s\n", i, samples[i].iconv_name,
                    got ? got : "(null)");
        CHECK_STR(got, samples[i].want);
        free(doc);
    }
}

/* Text whose bytes are the same in two encodings: the more widespread
 * spelling wins (the candidates' priors), as chardet reports it. The test
 * first checks that the bytes really are identical. */
static const struct {
    const char *text, *iconv_name, *same_as, *want;
} same_bytes[] = {
    {zh_tw, "CP950", "BIG5", "Big5"},
    {zh, "GB18030", "GB2312", "GB2312"},
    {ko, "CP949", "EUC-KR", "EUC-KR"},
    {el, "CP1253", "ISO-8859-7", "ISO-8859-7"}, /* lower case only: the code pages agree */
};

static void test_same_bytes(void)
{
    for (size_t i = 0; i < sizeof(same_bytes) / sizeof(same_bytes[0]); i++) {
        size_t len, len2;
        char *doc = feed_in(same_bytes[i].text, same_bytes[i].iconv_name, &len);
        char *doc2 = feed_in(same_bytes[i].text, same_bytes[i].same_as, &len2);
        CHECK(doc && doc2 && len == len2 && !memcmp(doc, doc2, len));
        if (doc)
            CHECK_STR(feed_chardet(doc, len), same_bytes[i].want);
        free(doc);
        free(doc2);
    }
}

/* The first guesses of a process come from several threads at once: the
 * models are built once and every thread sees the same answers. */
struct thread_case {
    size_t first; /* index into samples; the thread walks all of them from here */
    size_t wrong;
};

static void *guess_all(void *arg)
{
    struct thread_case *tc = arg;
    size_t n = sizeof(samples) / sizeof(samples[0]);
    for (size_t k = 0; k < n; k++) {
        size_t i = (tc->first + k) % n, len;
        char *doc = feed_in(samples[i].text, samples[i].iconv_name, &len);
        const char *got = doc ? feed_chardet(doc, len) : NULL;
        if (!got || strcmp(got, samples[i].want))
            tc->wrong++;
        free(doc);
    }
    return NULL;
}

static void test_threads_first_use(void)
{
    enum { NTHREADS = 4 };
    pthread_t t[NTHREADS];
    struct thread_case tc[NTHREADS];
    for (size_t i = 0; i < NTHREADS; i++) {
        tc[i] = (struct thread_case){i * 7, 0};
        CHECK_INT(pthread_create(&t[i], NULL, guess_all, &tc[i]), 0);
    }
    for (size_t i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK_INT((int)tc[i].wrong, 0);
    }
}

/* No guess where there is nothing to guess or nothing convincing. */
static void test_no_guess(void)
{
    const char ascii[] = "<rss><channel><title>Plain news</title></channel></rss>";
    CHECK(feed_chardet(ascii, sizeof(ascii) - 1) == NULL);
    const char utf8[] = "<rss><channel><title>Café — naïve</title></channel></rss>";
    CHECK_STR(feed_chardet(utf8, sizeof(utf8) - 1), "utf-8");
    /* UTF-8 with one stray windows-1252 byte: no legacy encoding explains it */
    const char mixed[] = "<title>Café, crème brûlée, déjà vu, résumé \x93quoted\x94</title>";
    CHECK(feed_chardet(mixed, sizeof(mixed) - 1) == NULL);
    /* doubly encoded punctuation and a stray byte: line noise */
    const char noise[] = "<description><![CDATA[ \xE2\x80\x99<>\xE2\x80\x9D\xA9 ]]></description>";
    CHECK(feed_chardet(noise, sizeof(noise) - 1) == NULL);
    /* random high bytes between ASCII words */
    char rnd[2048];
    uint32_t seed = 12345;
    for (size_t i = 0; i < sizeof(rnd); i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned char b = (unsigned char)(seed >> 16);
        rnd[i] = (char)(i % 3 == 2 ? ' ' : (b | 0x80));
    }
    double margin = 0;
    CHECK(feed_chardet_detail(rnd, sizeof(rnd), &margin) == NULL);
    CHECK(margin < 0);
}

/* The parser falls back on the guess when the declared encoding fails. */
static void test_parse_undeclared(void)
{
    size_t len;
    char *doc = feed_in(ko, "EUC-KR", &len);
    CHECK(doc != NULL);
    if (!doc)
        return;
    struct feed_parse_opts opts = {0};
    struct feed_doc *d = NULL;
    struct err e = ERR_INIT;
    CHECK_INT(feed_parse_buffer(doc, len, &opts, &d, &e), ACHIM_OK);
    if (d) {
        CHECK_STR(d->encoding, "EUC-KR");
        CHECK(d->bozo);
        CHECK_INT(d->nentries, 1);
        if (d->nentries)
            CHECK_STR(d->entries[0].title, ko);
    }
    feed_doc_free(d);
    free(doc);
}

/* Shift_JIS keeps ASCII's backslash and tilde (glibc reads them as JIS Roman). */
static void test_shift_jis_ascii(void)
{
    const char doc[] = "<?xml version=\"1.0\" encoding=\"shift_jis\"?><rss><channel><item>"
                       "<title>C:\\dir ~home \x82\xa0</title></item></channel></rss>";
    struct feed_parse_opts opts = {0};
    struct feed_doc *d = NULL;
    struct err e = ERR_INIT;
    CHECK_INT(feed_parse_buffer(doc, sizeof(doc) - 1, &opts, &d, &e), ACHIM_OK);
    if (d && d->nentries)
        CHECK_STR(d->entries[0].title, "C:\\dir ~home あ");
    CHECK(d && !d->bozo);
    feed_doc_free(d);
}

/* The build-time single-byte tables decode exactly as iconv does: every
 * byte alone, and long strings of mixed bytes in one iconv call (so no
 * table code page may depend on context, as glibc's composing CP1255 does). */
static void test_sbcs_tables_match_iconv(void)
{
    static const char *const pages[] = {
        "CP1252", "CP1250",      "ISO-8859-2", "CP1254", "CP1251",     "KOI8-R", "ISO-8859-5",
        "IBM866", "MACCYRILLIC", "ISO-8859-7", "CP1253", "ISO-8859-8", "TIS-620"};
    CHECK(feed_sbcs_table("CP1255") == NULL);
    CHECK(feed_sbcs_table("SHIFT_JIS") == NULL);
    for (size_t k = 0; k < sizeof(pages) / sizeof(pages[0]); k++) {
        const uint32_t *table = feed_sbcs_table(pages[k]);
        CHECK(table != NULL);
        iconv_t cd = iconv_open("UTF-32LE", pages[k]);
        CHECK(cd != (iconv_t)-1);
        if (!table || cd == (iconv_t)-1)
            continue;
        int wrong = 0, valid = 0;
        unsigned char valid_bytes[256];
        for (int b = 0; b < 256; b++) {
            char in[1] = {(char)b}, *ip = in;
            uint32_t out[4], *op = out;
            size_t il = 1, ol = sizeof(out);
            iconv(cd, NULL, NULL, NULL, NULL);
            size_t r = iconv(cd, &ip, &il, (char **)&op, &ol);
            iconv(cd, NULL, NULL, (char **)&op, &ol);
            bool ok = r != (size_t)-1 && op == out + 1;
            if (ok ? table[b] != out[0] : table[b] != 0xFFFFFFFFu)
                wrong++;
            if (ok)
                valid_bytes[valid++] = (unsigned char)b;
        }
        CHECK_INT(wrong, 0);
        /* strings of valid bytes: one code point per byte, as in the table */
        uint32_t seed = 2166136261u;
        unsigned char text[1024];
        uint32_t decoded[1024 + 4];
        for (int round = 0; round < 16 && valid; round++) {
            for (size_t i = 0; i < sizeof(text); i++) {
                seed = seed * 1664525u + 1013904223u;
                text[i] = valid_bytes[(seed >> 8) % (uint32_t)valid];
            }
            char *ip = (char *)text, *op = (char *)decoded;
            size_t il = sizeof(text), ol = sizeof(decoded);
            iconv(cd, NULL, NULL, NULL, NULL);
            size_t r = iconv(cd, &ip, &il, &op, &ol);
            iconv(cd, NULL, NULL, &op, &ol);
            size_t count = (size_t)(op - (char *)decoded) / 4;
            CHECK(r != (size_t)-1 && count == sizeof(text));
            for (size_t i = 0; i < count && i < sizeof(text); i++)
                if (decoded[i] != table[text[i]])
                    wrong++;
        }
        CHECK_INT(wrong, 0);
        iconv_close(cd);
    }
}

/* The multibyte prefilter only rules out bytes iconv rejects too: valid
 * text in each code page passes it, West European bytes fail it, and on
 * random bytes every string it rules out is one iconv refuses. */
static void test_mbcs_prefilter_agrees_with_iconv(void)
{
    static const char *const pages[] = {"GB2312",    "GB18030", "BIG5",   "CP950", "EUC-JP",
                                        "SHIFT_JIS", "CP932",   "EUC-KR", "CP949"};
    static const char *const texts[] = {zh, zht, ja, ko, zh_tw};
    size_t west_len;
    char *west = encode("Le café, à côté de l'hôtel, était fermé.", "CP1252", &west_len);
    CHECK(west != NULL);
    uint32_t seed = 12345u;
    for (size_t k = 0; k < sizeof(pages) / sizeof(pages[0]); k++) {
        for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
            size_t len;
            char *bytes = encode(texts[t], pages[k], &len);
            if (bytes)
                CHECK(!feed_mbcs_ruled_out(pages[k], bytes, len));
            free(bytes);
        }
        if (west)
            CHECK(feed_mbcs_ruled_out(pages[k], west, west_len));
        iconv_t cd = iconv_open("UTF-32LE", pages[k]);
        CHECK(cd != (iconv_t)-1);
        if (cd == (iconv_t)-1)
            continue;
        int ruled_out = 0, wrong = 0;
        char text[256];
        uint32_t out[256 + 4];
        for (int round = 0; round < 3000; round++) {
            seed = seed * 1664525u + 1013904223u;
            size_t n = 2 + (seed >> 8) % (sizeof(text) - 2);
            uint32_t density = 1 + (seed >> 20) % 99;
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1664525u + 1013904223u;
                bool high = (seed >> 24) % 100 < density;
                text[i] = (char)(high ? 0x80 | ((seed >> 8) & 0x7F) : (seed >> 8) & 0x7F);
            }
            if (!feed_mbcs_ruled_out(pages[k], text, n))
                continue;
            ruled_out++;
            char *ip = text, *op = (char *)out;
            size_t il = n, ol = sizeof(out);
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 || errno != EILSEQ)
                wrong++;
        }
        CHECK(ruled_out > 100);
        CHECK_INT(wrong, 0);
        iconv_close(cd);
    }
    free(west);
}

/* test_threads_first_use runs first, so its threads race to build the models. */
TESTS(TEST(test_threads_first_use), TEST(test_languages), TEST(test_same_bytes),
      TEST(test_no_guess), TEST(test_parse_undeclared), TEST(test_shift_jis_ascii),
      TEST(test_sbcs_tables_match_iconv), TEST(test_mbcs_prefilter_agrees_with_iconv))
