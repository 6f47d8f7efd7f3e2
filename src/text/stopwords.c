/* SPDX-License-Identifier: MIT */
/* stopwords.c: the built-in English and Korean stopword lists.
 *
 * The lists are data/stopwords-en.txt and data/stopwords-ko.txt, embedded
 * here so the library needs no data files at run time. A unit test reads
 * both files and fails when they and these arrays disagree; after editing
 * a list, regenerate the arrays with:
 *
 *   grep -hv '^#' data/stopwords-en.txt data/stopwords-ko.txt | grep . |
 *       sed 's/^-//' | LC_ALL=C sort -u          (stop_words)
 *   grep '^-' data/stopwords-ko.txt | sed 's/^-//'   (ko_particles)
 *
 * Lookups happen once per word token during analysis, so they go through
 * a small hash table built on first use. The arrays stay sorted in byte
 * order so that the generating command above reproduces them exactly. */
#include "text/text_int.h"

#include <pthread.h>
#include <string.h>

#define SLOTS 1024
#define SLOTS_MAX_WORDS (SLOTS / 2)

struct word {
    const char *s;
    size_t len;
};

/* clang-format off */
#define W(s) {s, sizeof(s) - 1}
/* clang-format on */

/* Sorted as by LC_ALL=C sort: bytewise, a prefix before its extensions. */
static const struct word stop_words[] = {
    W("a"),          W("about"),      W("above"),       W("according"),   W("across"),
    W("after"),      W("afterwards"), W("again"),       W("against"),     W("ago"),
    W("all"),        W("almost"),     W("along"),       W("alongside"),   W("already"),
    W("also"),       W("although"),   W("always"),      W("am"),          W("amid"),
    W("among"),      W("amongst"),    W("an"),          W("and"),         W("another"),
    W("any"),        W("anybody"),    W("anyhow"),      W("anyone"),      W("anything"),
    W("anyway"),     W("anywhere"),   W("are"),         W("arent"),       W("around"),
    W("as"),         W("at"),         W("be"),          W("because"),     W("been"),
    W("before"),     W("behind"),     W("being"),       W("below"),       W("beneath"),
    W("beside"),     W("besides"),    W("between"),     W("beyond"),      W("both"),
    W("but"),        W("by"),         W("can"),         W("cannot"),      W("cant"),
    W("could"),      W("couldnt"),    W("despite"),     W("did"),         W("didnt"),
    W("do"),         W("does"),       W("doesnt"),      W("doing"),       W("done"),
    W("dont"),       W("down"),       W("during"),      W("e.g."),        W("each"),
    W("either"),     W("else"),       W("elsewhere"),   W("enough"),      W("etc"),
    W("even"),       W("ever"),       W("every"),       W("everybody"),   W("everyone"),
    W("everything"), W("everywhere"), W("except"),      W("few"),         W("for"),
    W("from"),       W("further"),    W("furthermore"), W("get"),         W("gets"),
    W("got"),        W("had"),        W("hadnt"),       W("has"),         W("hasnt"),
    W("have"),       W("havent"),     W("having"),      W("he"),          W("hed"),
    W("hence"),      W("her"),        W("here"),        W("hereby"),      W("herein"),
    W("hers"),       W("herself"),    W("him"),         W("himself"),     W("his"),
    W("how"),        W("however"),    W("i"),           W("i.e."),        W("if"),
    W("im"),         W("in"),         W("indeed"),      W("inside"),      W("instead"),
    W("into"),       W("is"),         W("isnt"),        W("it"),          W("itll"),
    W("its"),        W("itself"),     W("ive"),         W("just"),        W("least"),
    W("less"),       W("many"),       W("may"),         W("maybe"),       W("me"),
    W("meanwhile"),  W("might"),      W("mine"),        W("more"),        W("moreover"),
    W("most"),       W("mr"),         W("mrs"),         W("ms"),          W("much"),
    W("must"),       W("mustnt"),     W("my"),          W("myself"),      W("namely"),
    W("near"),       W("neednt"),     W("neither"),     W("never"),       W("nevertheless"),
    W("no"),         W("nobody"),     W("none"),        W("nonetheless"), W("noone"),
    W("nor"),        W("not"),        W("nothing"),     W("now"),         W("nowhere"),
    W("of"),         W("off"),        W("often"),       W("on"),          W("once"),
    W("one"),        W("ones"),       W("only"),        W("onto"),        W("or"),
    W("other"),      W("others"),     W("ought"),       W("our"),         W("ours"),
    W("ourselves"),  W("out"),        W("outside"),     W("over"),        W("own"),
    W("past"),       W("per"),        W("perhaps"),     W("quite"),       W("rather"),
    W("really"),     W("said"),       W("same"),        W("say"),         W("says"),
    W("seldom"),     W("several"),    W("shall"),       W("shant"),       W("she"),
    W("should"),     W("shouldnt"),   W("since"),       W("so"),          W("some"),
    W("somebody"),   W("somehow"),    W("someone"),     W("something"),   W("sometimes"),
    W("somewhat"),   W("somewhere"),  W("soon"),        W("still"),       W("such"),
    W("than"),       W("that"),       W("thats"),       W("the"),         W("their"),
    W("theirs"),     W("them"),       W("themselves"),  W("then"),        W("thence"),
    W("there"),      W("thereafter"), W("thereby"),     W("therefore"),   W("therein"),
    W("these"),      W("they"),       W("theyd"),       W("theyll"),      W("theyre"),
    W("theyve"),     W("this"),       W("those"),       W("though"),      W("through"),
    W("throughout"), W("thru"),       W("thus"),        W("till"),        W("to"),
    W("together"),   W("told"),       W("too"),         W("toward"),      W("towards"),
    W("under"),      W("underneath"), W("unless"),      W("unlike"),      W("until"),
    W("up"),         W("upon"),       W("us"),          W("very"),        W("via"),
    W("vs"),         W("was"),        W("wasnt"),       W("we"),          W("were"),
    W("werent"),     W("weve"),       W("what"),        W("whatever"),    W("when"),
    W("whence"),     W("whenever"),   W("where"),       W("whereas"),     W("whereby"),
    W("wherein"),    W("wherever"),   W("whether"),     W("which"),       W("whichever"),
    W("while"),      W("whilst"),     W("who"),         W("whoever"),     W("whom"),
    W("whose"),      W("why"),        W("will"),        W("with"),        W("within"),
    W("without"),    W("wont"),       W("would"),       W("wouldnt"),     W("yes"),
    W("yet"),        W("you"),        W("youd"),        W("youll"),       W("your"),
    W("youre"),      W("yours"),      W("yourself"),    W("yourselves"),  W("youve"),
    W("가"),         W("가장"),       W("각"),          W("같은"),        W("같이"),
    W("거기"),       W("것"),         W("것은"),        W("것을"),        W("것이"),
    W("게다가"),     W("과"),         W("과의"),        W("관련"),        W("그"),
    W("그것"),       W("그녀"),       W("그들"),        W("그래서"),      W("그러나"),
    W("그러면"),     W("그러므로"),   W("그런"),        W("그런데"),      W("그리고"),
    W("까지"),       W("께서"),       W("누구"),        W("는"),          W("다"),
    W("다시"),       W("당신"),       W("대한"),        W("대해"),        W("더"),
    W("덜"),         W("도"),         W("됐다"),        W("되는"),        W("된다"),
    W("들"),         W("들과"),       W("들도"),        W("들은"),        W("들을"),
    W("들의"),       W("들이"),       W("등"),          W("등을"),        W("등의"),
    W("따라서"),     W("따르면"),     W("때"),          W("때문"),        W("때문에"),
    W("또"),         W("또는"),       W("또한"),        W("라고"),        W("로"),
    W("로는"),       W("로서"),       W("로써"),        W("를"),          W("마저"),
    W("만"),         W("만큼"),       W("말했다"),      W("매우"),        W("모든"),
    W("못"),         W("무엇"),       W("및"),          W("밝혔다"),      W("보다"),
    W("부터"),       W("뿐"),         W("수"),          W("아니라"),      W("아주"),
    W("안"),         W("어디"),       W("어떤"),        W("언제"),        W("없는"),
    W("없다"),       W("에"),         W("에게"),        W("에게서"),      W("에는"),
    W("에도"),       W("에서"),       W("에서는"),      W("에서도"),      W("에서의"),
    W("여기"),       W("와"),         W("와의"),        W("우리"),        W("위한"),
    W("위해"),       W("으로"),       W("으로는"),      W("으로서"),      W("으로써"),
    W("으로의"),     W("은"),         W("을"),          W("의"),          W("이"),
    W("이것"),       W("이나"),       W("이다"),        W("이라고"),      W("이란"),
    W("이런"),       W("이며"),       W("이미"),        W("이번"),        W("있고"),
    W("있는"),       W("있다"),       W("있어"),        W("잘"),          W("저"),
    W("저것"),       W("저기"),       W("저런"),        W("저희"),        W("전했다"),
    W("조차"),       W("좀"),         W("중"),          W("즉"),          W("처럼"),
    W("통해"),       W("하고"),       W("하는"),        W("하지만"),      W("한다"),
    W("한테"),       W("한편"),       W("했다"),        W("혹은"),
};

/* Particles stripped from the end of Hangul runs (data/stopwords-ko.txt). */
static const struct word ko_particles[] = {
    W("이"),     W("가"),     W("은"),     W("는"),     W("을"),   W("를"),     W("의"),
    W("에"),     W("에서"),   W("에게"),   W("에게서"), W("께서"), W("한테"),   W("으로"),
    W("로"),     W("으로서"), W("로서"),   W("으로써"), W("로써"), W("으로는"), W("로는"),
    W("와"),     W("과"),     W("와의"),   W("과의"),   W("도"),   W("만"),     W("까지"),
    W("부터"),   W("보다"),   W("처럼"),   W("만큼"),   W("마저"), W("조차"),   W("에는"),
    W("에서는"), W("에도"),   W("에서도"), W("이나"),   W("이며"), W("라고"),   W("이라고"),
    W("이란"),   W("들"),     W("들이"),   W("들은"),   W("들을"), W("들의"),   W("들과"),
    W("들도"),   W("에서의"), W("으로의"),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(COUNT(stop_words) < SLOTS_MAX_WORDS, "stopword table too full");

/* Byte order with a prefix first: the order LC_ALL=C sort produces.
 * Words are short, so a plain loop beats a call to memcmp. */
static inline int word_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t m = alen < blen ? alen : blen;
    for (size_t i = 0; i < m; i++) {
        if (a[i] != b[i])
            return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
    }
    return alen < blen ? -1 : alen > blen;
}

/* Open-addressing index over stop_words, built once: lookups run for every
 * word token, and hashing beats bisection's mispredicted branches. Slots
 * hold an index + 1; 0 is empty. The table is at most half full. */
static uint16_t slots[SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static void slots_build(void)
{
    for (size_t i = 0; i < COUNT(stop_words); i++) {
        size_t h = (size_t)text_hash(stop_words[i].s, stop_words[i].len) & (SLOTS - 1);
        while (slots[h])
            h = (h + 1) & (SLOTS - 1);
        slots[h] = (uint16_t)(i + 1);
    }
}

bool text_is_stopword(const char *folded_word, size_t len)
{
    if (!folded_word || len == 0 || len > TEXT_STOPWORD_MAX_BYTES)
        return false;
    pthread_once(&slots_once, slots_build);
    size_t h = (size_t)text_hash(folded_word, len) & (SLOTS - 1);
    for (; slots[h]; h = (h + 1) & (SLOTS - 1)) {
        const struct word *w = &stop_words[slots[h] - 1];
        if (w->len == len && word_cmp(folded_word, len, w->s, len) == 0)
            return true;
    }
    return false;
}

size_t text_stopword_count(void)
{
    return COUNT(stop_words);
}

const char *text_stopword_at(size_t i, size_t *len)
{
    if (i >= COUNT(stop_words))
        return NULL;
    *len = stop_words[i].len;
    return stop_words[i].s;
}

size_t text_ko_particle_count(void)
{
    return COUNT(ko_particles);
}

const char *text_ko_particle_at(size_t i, size_t *len)
{
    if (i >= COUNT(ko_particles))
        return NULL;
    *len = ko_particles[i].len;
    return ko_particles[i].s;
}

size_t text_ko_particle_suffix(const char *run, size_t len)
{
    size_t best = 0;
    /* Hangul syllables are three bytes each; keep at least two. */
    if (len < 3 * 3)
        return 0;
    for (size_t i = 0; i < COUNT(ko_particles); i++) {
        size_t plen = ko_particles[i].len;
        if (plen > best && plen + 2 * 3 <= len &&
            memcmp(run + len - plen, ko_particles[i].s, plen) == 0)
            best = plen;
    }
    return best;
}
