/* SPDX-License-Identifier: MIT */
/* fp.c: the feed element handlers, modelled on feedparser's rules.
 *
 * One SAX pass (libxml2, recover mode) over the prepared XML drives a state
 * machine that reproduces feedparser's _FeedParserMixin: an element stack
 * whose text pieces are joined when the element closes, "content params"
 * (type, language, base) for text constructs, xml:base and xml:lang stacks,
 * and one handler pair per known element ("rss", "item", "dc_creator",
 * "itunes_owner", "media_thumbnail", ...). Every element of every format
 * goes through the same handlers, so an Atom <title> in an RSS feed, a
 * dc:date in Atom and an RSS <guid> in RDF all mean what feedparser says.
 *
 * The result is a JSON tree in feedparser's shape (the FEED-JSON contract of
 * `achim parse --json`): feed-level keys in fp->feed, one object per entry
 * in fp->entries. When an entry closes, fp_entry_done() hands it to the
 * caller (parse.c turns it into a struct article); the caller may then drop
 * it, which is how ingest keeps memory proportional to one entry.
 *
 * Per element the pass does little work of its own: what a name means (its
 * handler) is worked out once per name of libxml2's dictionary (struct
 * name_info), open elements reuse their slot's buffers, and the xml:base
 * and xml:lang scopes share strings when an element changes neither.
 *
 * HTML values are resolved (relative URIs) and sanitised by sgml.c with
 * feedparser's exact output rules. Without opts->detail nobody reads an
 * entry's sanitised summary or content, so those passes are skipped there:
 * fpglue.c works from the HTML as published (f->raw). The same goes for
 * the parts of the tree only the detail shows (a text construct's base
 * and value copy in its *_detail, a tag's scheme, parsed date tuples, an
 * entry's keys for elements without a handler that nothing reads back, the
 * text between an entry's elements): the handlers are the same either way,
 * they just leave those out (test_fpdetail.c checks the articles agree). */
#include "feed/feed_int.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <malloc.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "base/xalloc.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- namespaces -------------------------------------------------------------- */

static const char *const known_ns[][2] = {
    {"", ""},
    {"http://backend.userland.com/rss", ""},
    {"http://blogs.law.harvard.edu/tech/rss", ""},
    {"http://purl.org/rss/1.0/", ""},
    {"http://my.netscape.com/rdf/simple/0.9/", ""},
    {"http://example.com/newformat#", ""},
    {"http://example.com/necho", ""},
    {"http://purl.org/echo/", ""},
    {"uri/of/echo/namespace#", ""},
    {"http://purl.org/pie/", ""},
    {"http://purl.org/atom/ns#", ""},
    {"http://www.w3.org/2005/atom", ""},
    {"http://purl.org/rss/1.0/modules/rss091#", ""},
    {"http://webns.net/mvcb/", "admin"},
    {"http://purl.org/rss/1.0/modules/aggregation/", "ag"},
    {"http://purl.org/rss/1.0/modules/annotate/", "annotate"},
    {"http://media.tangent.org/rss/1.0/", "audio"},
    {"http://backend.userland.com/blogchannelmodule", "blogChannel"},
    {"http://creativecommons.org/ns#license", "cc"},
    {"http://web.resource.org/cc/", "cc"},
    {"http://cyber.law.harvard.edu/rss/creativecommonsrssmodule.html", "creativeCommons"},
    {"http://backend.userland.com/creativecommonsrssmodule", "creativeCommons"},
    {"http://purl.org/rss/1.0/modules/company", "co"},
    {"http://purl.org/rss/1.0/modules/content/", "content"},
    {"http://my.theinfo.org/changed/1.0/rss/", "cp"},
    {"http://purl.org/dc/elements/1.1/", "dc"},
    {"http://purl.org/dc/terms/", "dcterms"},
    {"http://purl.org/rss/1.0/modules/email/", "email"},
    {"http://purl.org/rss/1.0/modules/event/", "ev"},
    {"http://rssnamespace.org/feedburner/ext/1.0", "feedburner"},
    {"http://freshmeat.net/rss/fm/", "fm"},
    {"http://xmlns.com/foaf/0.1/", "foaf"},
    {"http://www.w3.org/2003/01/geo/wgs84_pos#", "geo"},
    {"http://www.georss.org/georss", "georss"},
    {"http://www.opengis.net/gml", "gml"},
    {"http://postneo.com/icbm/", "icbm"},
    {"http://purl.org/rss/1.0/modules/image/", "image"},
    {"http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"},
    {"http://example.com/dtds/podcast-1.0.dtd", "itunes"},
    {"http://purl.org/rss/1.0/modules/link/", "l"},
    {"http://search.yahoo.com/mrss", "media"},
    {"http://search.yahoo.com/mrss/", "media"},
    {"http://madskills.com/public/xml/rss/module/pingback/", "pingback"},
    {"http://prismstandard.org/namespaces/1.2/basic/", "prism"},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"},
    {"http://www.w3.org/2000/01/rdf-schema#", "rdfs"},
    {"http://purl.org/rss/1.0/modules/reference/", "ref"},
    {"http://purl.org/rss/1.0/modules/richequiv/", "reqv"},
    {"http://purl.org/rss/1.0/modules/search/", "search"},
    {"http://purl.org/rss/1.0/modules/slash/", "slash"},
    {"http://schemas.xmlsoap.org/soap/envelope/", "soap"},
    {"http://purl.org/rss/1.0/modules/servicestatus/", "ss"},
    {"http://hacks.benhammersley.com/rss/streaming/", "str"},
    {"http://purl.org/rss/1.0/modules/subscription/", "sub"},
    {"http://purl.org/rss/1.0/modules/syndication/", "sy"},
    {"http://schemas.pocketsoap.com/rss/mydescmodule/", "szf"},
    {"http://purl.org/rss/1.0/modules/taxonomy/", "taxo"},
    {"http://purl.org/rss/1.0/modules/threading/", "thr"},
    {"http://purl.org/rss/1.0/modules/textinput/", "ti"},
    {"http://madskills.com/public/xml/rss/module/trackback/", "trackback"},
    {"http://wellformedweb.org/commentapi/", "wfw"},
    {"http://purl.org/rss/1.0/modules/wiki/", "wiki"},
    {"http://www.w3.org/1999/xhtml", "xhtml"},
    {"http://www.w3.org/1999/xlink", "xlink"},
    {"http://www.w3.org/xml/1998/namespace", "xml"},
    {"http://podlove.org/simple-chapters", "psc"},
};

/* feedparser's prefix for a namespace URI (case-insensitive), else NULL. */
static const char *known_prefix_lookup(const char *uri)
{
    if (!uri)
        uri = "";
    char low[256];
    snprintf(low, sizeof(low), "%s", uri);
    for (char *p = low; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (strstr(low, "backend.userland.com/rss"))
        return "";
    for (size_t i = 0; i < sizeof(known_ns) / sizeof(known_ns[0]); i++)
        if (!strcasecmp(uri, known_ns[i][0]))
            return known_ns[i][1];
    return NULL;
}

/* The lookup above runs for every element and attribute, with the few
 * namespace URIs a document uses: remember the last answers. */
#define NS_CACHE 8
static _Thread_local struct ns_cache {
    char uri[128];
    const char *prefix;
    bool used;
} ns_cache[NS_CACHE];
static _Thread_local unsigned ns_cache_next;

static const char *known_prefix(const char *uri)
{
    if (!uri)
        uri = "";
    size_t n = strlen(uri);
    if (n >= sizeof(ns_cache[0].uri))
        return known_prefix_lookup(uri);
    for (unsigned i = 0; i < NS_CACHE; i++)
        if (ns_cache[i].used && !memcmp(ns_cache[i].uri, uri, n + 1))
            return ns_cache[i].prefix;
    struct ns_cache *e = &ns_cache[ns_cache_next++ % NS_CACHE];
    memcpy(e->uri, uri, n + 1);
    e->prefix = known_prefix_lookup(uri);
    e->used = true;
    return e->prefix;
}

/* out = a b c, cut to cap like snprintf (the element-name hot path). */
static void cat3(char *out, size_t cap, const char *a, const char *b, const char *c)
{
    size_t n = 0;
    for (const char *part[3] = {a, b, c}, **p = part; p < part + 3; p++)
        for (const char *q = *p; *q && n + 1 < cap; q++)
            out[n++] = *q;
    out[n] = '\0';
}

/* ---- state ------------------------------------------------------------------- */

/* One open element. Slots are kept when an element closes and reused by
 * the next one at that depth, so its name and text buffers are allocated
 * once per depth rather than once per element (a long text leaves with
 * its buffer instead: see pop and elem_cover). */
struct elem {
    char *name;
    size_t namecap;
    bool expecting;
    bool discard;    /* nobody reads its text: do not keep it (an entry's own) */
    struct buf text; /* the pieces joined */
    size_t *cuts;    /* piece boundaries, for the xhtml <div> rule */
    size_t ncuts, capcuts;
};

/* What an element's name means, worked out once per (local name, prefix,
 * namespace URI) of libxml2's dictionary: its name as feedparser's strict
 * parser sees it ("dc:creator"), the handler name ("dc_creator") and the
 * handler. Depends on the namespaces declared so far, so the table is
 * emptied whenever a declaration is seen. */
struct handler;
struct name_info {
    const xmlChar *local, *prefix, *uri; /* the key: pointers into libxml2's dict */
    char *tag;                           /* qualified() */
    char *name;                          /* mapped prefix "_" local name */
    const struct handler *h;             /* NULL when there is none */
    bool ends_textinput, ends_image;     /* opening it leaves a textinput / image */
    bool svg;                            /* the local part is "svg" */
    bool unread; /* no handler, and no rule nor fpglue.c reads its key in an entry */
};
#define NAME_SLOTS 256 /* a power of two; documents use a few dozen names */
_Static_assert(NAME_SLOTS <= 256, "slot numbers are kept in a uint8_t");

struct kv {
    char *k, *v;
    bool owned; /* v is the list's to free (else it lives in fp.attrvals) */
};

/* feedparser's contentparams for the open text construct: a small ordered
 * dict of known keys, kept in C (it is set for every text construct and
 * read on every piece of text) and made into JSON only when an entry's
 * *_detail or content item stores a copy (cp_json). */
enum cp_key { CP_TYPE, CP_LANGUAGE, CP_BASE, CP_BASE64, CP_SRC, CP_NKEYS };
static const char *const cp_names[CP_NKEYS] = {"type", "language", "base", "base64", "src"};
struct cparams {
    unsigned char order[CP_NKEYS]; /* the keys present, in insertion order */
    size_t n;
    unsigned present;    /* the same keys as a set: bit k for key k */
    char *str[CP_NKEYS]; /* string values (buffers kept from use to use) */
    size_t cap[CP_NKEYS];
    bool null[CP_NKEYS]; /* the value is JSON null (string keys) */
    bool b64;            /* CP_BASE64's value */
    bool type_html;      /* type_is_html(str[CP_TYPE]), worked out as it is set */
};

struct fp {
    struct feed_ctx *c;
    xmlParserCtxtPtr pctx;
    cJSON *feed, *entries, *source, *nsuse, *nsmap;
    struct cparams cp;
    /* sax_start's attribute list and the storage of its keys, kept from
     * element to element (values are allocated: handlers replace them) */
    struct kv *attrs;
    char (*keys)[256];
    size_t capattrs, capkeys;
    struct buf attrvals; /* the values, one after another (no malloc each) */
    size_t *attroffs;    /* their offsets there, while the list is built */
    size_t capoffs;
    /* namespace declarations already taken into account: while ns_gen is
     * unchanged (no declaration changed a map since), the same one again
     * (libxml2 dictionary strings, so the same pointers) changes nothing */
    struct ns_seen {
        const xmlChar *prefix, *uri;
        unsigned gen;
    } ns_seen[4];
    unsigned ns_gen, ns_next;
    /* feedparser's depthmap: the depth at which each key of the open entry
     * was set; slots and their strings are reused from entry to entry */
    struct depth_key {
        char *key;
        size_t cap;
        int depth;
    } * depths;
    size_t ndepths, capdepths, initdepths;
    char version[16];
    int infeed, inentry, incontent, intextinput, inimage, inauthor, incontributor, inpublisher,
        insource;
    const char *summary_key;
    struct elem *stack;
    size_t nstack, capstack, ninit; /* ninit: slots ever used (kept for reuse) */
    struct name_info *names;        /* NAME_SLOTS, allocated on first use */
    size_t nnames;
    uint8_t name_used[NAME_SLOTS / 2]; /* the slots in use, for name_cache_clear */
    struct name_info scratch;          /* for a name that cannot be cached */
    char scratch_tag[256], scratch_name[400];
    char **bases, **langs;
    size_t nbl, capbl, capl;
    char *baseuri, *lang;
    /* f->baseuri is known to equal bases[nbl - 1] (or to be NULL where it
     * is): scope_value and unknown_end can skip comparing the two, a whole
     * URL, at every element */
    bool base_top_same;
    int svgok, title_depth, depth;
    bool has_content, guidislink, psc_flag;
    char *xlink_prefix;
    size_t nentries;   /* entries seen, including dropped ones */
    char *raw_id;      /* the entry's id before URI resolution, for the store */
    struct fp_raw raw; /* the entry's HTML before feedparser's passes */
    bool root_seen;
    int overdeep;           /* elements ignored below the depth limit */
    int ingeometry;         /* GML: 0, GEO_POINT, GEO_LINESTRING, GEO_POLYGON */
    struct buf scratch_buf; /* handle_data's escaped copy, reused */
};

enum { GEO_POINT = 1, GEO_LINESTRING, GEO_POLYGON };

static char *xs(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* ---- tree nodes ------------------------------------------------------------- */

/* The nodes of the trees built here come from a free list of this thread:
 * without the detail tree every entry is dropped once fpglue.c has read it
 * (fp_jrecycle), and the next entry reuses its nodes, which saves a malloc
 * and a free per node (an entry holds a few dozen). Nodes are allocated
 * with cJSON_malloc like cJSON's own, so cJSON_Delete still frees any tree
 * that leaves the parser; fp_end empties the list. */
#define JPOOL_MAX 4096 /* nodes kept: ~100 entries' worth, 256 KiB at most */
static _Thread_local cJSON *jpool;
static _Thread_local size_t jpool_n;

/* Short strings (values and keys) are kept the same way, by the size
 * malloc_usable_size() reports: bin k holds blocks with room for at least
 * SPOOL_MIN + 16 k bytes (glibc's sizes for small requests are
 * 24, 40, 56, ...; with another allocator a block just lands in a lower
 * bin). A block is linked through its first bytes while in a bin. */
#define SPOOL_MIN 24
#define SPOOL_BINS 8   /* up to 136 bytes: most values and keys */
#define SPOOL_MAX 1024 /* blocks kept per bin */
static _Thread_local char *spool[SPOOL_BINS];
static _Thread_local unsigned spool_n[SPOOL_BINS];

/* Under AddressSanitizer a kept node or string is poisoned until reused:
 * without this, a pointer still held into a recycled one would read or
 * write it unseen, where cJSON_Delete's free() would have been caught. */
#if defined(__SANITIZE_ADDRESS__)
#define FP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FP_ASAN 1
#endif
#endif
#if defined(FP_ASAN)
#include <sanitizer/asan_interface.h>
#define POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
/* (n unevaluated: it may be a malloc_usable_size() call) */
#define POOL_POISON(p, n) ((void)(p))
#define POOL_UNPOISON(p, n) ((void)(p))
#endif

static char *str_block(size_t n)
{
    size_t k = n <= SPOOL_MIN ? 0 : (n - SPOOL_MIN + 15) / 16;
    if (k >= SPOOL_BINS)
        return cJSON_malloc(n);
    char *b = spool[k];
    if (b) {
        POOL_UNPOISON(b, malloc_usable_size(b));
        memcpy(&spool[k], b, sizeof(char *));
        spool_n[k]--;
        return b;
    }
    return cJSON_malloc(SPOOL_MIN + 16 * k);
}

static void str_release(char *b)
{
    size_t room = malloc_usable_size(b);
    size_t k = room < SPOOL_MIN ? SPOOL_BINS : (room - SPOOL_MIN) / 16;
    if (k >= SPOOL_BINS || spool_n[k] >= SPOOL_MAX) {
        cJSON_free(b);
        return;
    }
    memcpy(b, &spool[k], sizeof(char *));
    POOL_POISON(b, room);
    spool[k] = b;
    spool_n[k]++;
}

static cJSON *jnode(int type)
{
    cJSON *n = jpool;
    if (n) {
        POOL_UNPOISON(n, sizeof(*n));
        jpool = n->next;
        jpool_n--;
    } else if (!(n = cJSON_malloc(sizeof(*n)))) {
        return NULL;
    }
    memset(n, 0, sizeof(*n));
    n->type = type;
    return n;
}

static cJSON *jnew_object(void)
{
    return jnode(cJSON_Object);
}

static cJSON *jnew_array(void)
{
    return jnode(cJSON_Array);
}

static cJSON *jnew_null(void)
{
    return jnode(cJSON_NULL);
}

static cJSON *jnew_bool(bool b)
{
    return jnode(b ? cJSON_True : cJSON_False);
}

/* cJSON_CreateString of the n bytes at s (no NUL among them). */
static cJSON *jnew_string_n(const char *s, size_t len)
{
    size_t n = len + 1;
    char *v = str_block(n);
    if (!v)
        return NULL;
    cJSON *item = jnode(cJSON_String);
    if (!item) {
        str_release(v);
        return NULL;
    }
    memcpy(v, s, len);
    v[len] = '\0';
    item->valuestring = v;
    return item;
}

/* cJSON_CreateString: NULL for NULL, as cJSON gives. */
static cJSON *jnew_string(const char *s)
{
    return s ? jnew_string_n(s, strlen(s)) : NULL;
}

/* cJSON_Delete(item), its nodes kept for reuse. */
void fp_jrecycle(cJSON *item)
{
    while (item) {
        cJSON *next = item->next;
        if (!(item->type & cJSON_IsReference)) {
            if (item->child)
                fp_jrecycle(item->child);
            if (item->valuestring)
                str_release(item->valuestring);
        }
        if (!(item->type & cJSON_StringIsConst) && item->string)
            str_release(item->string);
        if (jpool_n < JPOOL_MAX) {
            item->next = jpool;
            POOL_POISON(item, sizeof(*item));
            jpool = item;
            jpool_n++;
        } else {
            cJSON_free(item);
        }
        item = next;
    }
}

static void jpool_drain(void)
{
    while (jpool) {
        cJSON *n = jpool;
        POOL_UNPOISON(n, sizeof(*n));
        jpool = n->next;
        cJSON_free(n);
    }
    jpool_n = 0;
    for (size_t k = 0; k < SPOOL_BINS; k++) {
        while (spool[k]) {
            char *b = spool[k];
            POOL_UNPOISON(b, malloc_usable_size(b));
            memcpy(&spool[k], b, sizeof(char *));
            cJSON_free(b);
        }
        spool_n[k] = 0;
    }
}

/* cJSON_Duplicate(item, 1), with nodes and strings from the pools. */
static char *jstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = str_block(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static cJSON *jdup(const cJSON *item)
{
    cJSON *n = jnode(item->type & ~cJSON_IsReference);
    if (!n)
        return NULL;
    n->valueint = item->valueint;
    n->valuedouble = item->valuedouble;
    if (item->valuestring && !(n->valuestring = jstrdup(item->valuestring)))
        goto fail;
    if (item->string) {
        n->string = item->type & cJSON_StringIsConst ? item->string : jstrdup(item->string);
        if (!n->string)
            goto fail;
    }
    cJSON *last = NULL;
    for (const cJSON *c = item->child; c; c = c->next) {
        cJSON *nc = jdup(c);
        if (!nc)
            goto fail;
        if (last) {
            last->next = nc;
            nc->prev = last;
        } else {
            n->child = nc;
        }
        last = nc;
    }
    if (n->child)
        n->child->prev = last;
    return n;
fail:
    fp_jrecycle(n);
    return NULL;
}

/* Would jsets(o, k, s) have made item, as far as cJSON_Compare can tell? */
static bool jvalue_is(const cJSON *item, const char *s)
{
    if (!item)
        return false;
    if (!s)
        return cJSON_IsNull(item);
    return fp_jis_string(item) && fp_streq(item->valuestring, s);
}

/* The last item of an array (cJSON_GetArrayItem(a, size - 1) without
 * walking it: cJSON keeps the last item as the first one's prev). */
static cJSON *jlast(const cJSON *a)
{
    return a && a->child ? a->child->prev : NULL;
}

/* The keys the trees hold most often (an entry's and its details'): an
 * object refers to these strings rather than to a copy (cJSON's constant
 * keys), which saves an allocation and a free per key. Any other key is
 * copied as usual. */
static const char *const static_keys[] = {
    "author",
    "author_detail",
    "authors",
    "base",
    "comments",
    "content",
    "contributors",
    "email",
    "guidislink",
    "height",
    "href",
    "id",
    "image",
    "itunes_duration",
    "itunes_explicit",
    "label",
    "language",
    "length",
    "link",
    "links",
    "media_content",
    "media_thumbnail",
    "medium",
    "name",
    "published",
    "published_parsed",
    "publisher",
    "publisher_detail",
    "rel",
    "rights",
    "rights_detail",
    "scheme",
    "subtitle",
    "subtitle_detail",
    "summary",
    "summary_detail",
    "tags",
    "term",
    "title",
    "title_detail",
    "type",
    "updated",
    "updated_parsed",
    "url",
    "value",
    "width",
    "base64",
    "mode",
    "filesize",
    "isdefault",
    "expression",
    "duration",
};
#define STATIC_KEY_SLOTS 256 /* a power of two, well above the list's size */
static const char *static_key_table[STATIC_KEY_SLOTS];

static size_t static_key_slot(const char *k)
{
    size_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)k; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h & (STATIC_KEY_SLOTS - 1);
}

static void static_keys_init(void);
static void static_keys_ready(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, static_keys_init);
}

static void static_keys_init(void)
{
    for (size_t i = 0; i < sizeof(static_keys) / sizeof(static_keys[0]); i++) {
        size_t j = static_key_slot(static_keys[i]);
        while (static_key_table[j])
            j = (j + 1) & (STATIC_KEY_SLOTS - 1);
        static_key_table[j] = static_keys[i];
    }
}

/* Keys given as the very strings of static_keys, as the parser's literals
 * mostly are (the compiler merges equal literals): found by their address,
 * which only such a string can have, without hashing. */
#define STATIC_KEY_SEEN 256
static _Thread_local const char *static_key_seen[STATIC_KEY_SEEN];

/* k's string in static_keys, else NULL (after static_keys_ready()). */
static const char *static_key(const char *k)
{
    size_t seen = ((uintptr_t)k >> 3) & (STATIC_KEY_SEEN - 1);
    if (static_key_seen[seen] == k)
        return k;
    for (size_t j = static_key_slot(k); static_key_table[j]; j = (j + 1) & (STATIC_KEY_SLOTS - 1)) {
        if (static_key_table[j] == k) {
            static_key_seen[seen] = k;
            return k;
        }
        if (fp_streq(static_key_table[j], k))
            return static_key_table[j];
    }
    return NULL;
}

/* cJSON_AddItemToObject, without copying a key of static_keys. (The
 * library call, not an inline copy of cJSON's list code: inlining saved
 * 0.2% of the instructions on a 10k-item feed, not worth depending on
 * cJSON's private list invariants.) */
static void jadd(cJSON *o, const char *k, cJSON *v)
{
    const char *sk = static_key(k);
    if (sk)
        cJSON_AddItemToObjectCS(o, sk, v);
    else
        cJSON_AddItemToObject(o, k, v);
}

/* o[k] = v: replaces in place (keeping the key's position) with one lookup. */
static void jset(cJSON *o, const char *k, cJSON *v)
{
    if (!o) {
        fp_jrecycle(v);
        return;
    }
    cJSON *old = fp_jget(o, k);
    if (!old) {
        jadd(o, k, v);
        return;
    }
    /* v takes over old's key string, as cJSON_ReplaceItemInObject would copy it */
    if (v->string && !(v->type & cJSON_StringIsConst))
        cJSON_free(v->string);
    v->string = old->string;
    v->type = (v->type & ~cJSON_StringIsConst) | (old->type & cJSON_StringIsConst);
    old->string = NULL;
    /* cJSON_ReplaceItemViaPointer, with old's nodes kept for reuse */
    v->next = old->next;
    v->prev = old->prev;
    if (v->next)
        v->next->prev = v;
    if (o->child == old) {
        if (old->prev == old)
            v->prev = v;
        o->child = v;
    } else {
        if (v->prev)
            v->prev->next = v;
        if (!v->next)
            o->child->prev = v;
    }
    old->next = old->prev = NULL;
    fp_jrecycle(old);
}

static void jsets(cJSON *o, const char *k, const char *s)
{
    jset(o, k, s ? jnew_string(s) : jnew_null());
}

/* setdefault: the existing item, else v added. */
static cJSON *jdefault(cJSON *o, const char *k, cJSON *v)
{
    cJSON *old = fp_jget(o, k);
    if (old) {
        fp_jrecycle(v);
        return old;
    }
    jadd(o, k, v);
    return v;
}

/* setdefault with a new empty array or object, made only when missing. */
static cJSON *jdefault_new(cJSON *o, const char *k, cJSON *(*make)(void))
{
    cJSON *old = fp_jget(o, k);
    if (old)
        return old;
    cJSON *v = make();
    jadd(o, k, v);
    return v;
}

static const char *attr_get(const struct kv *a, size_t n, const char *k)
{
    const char *v = NULL;
    for (size_t i = 0; i < n; i++)
        if (fp_streq(a[i].k, k))
            v = a[i].v; /* dict(): the last one wins */
    return v;
}

static cJSON *attrs_obj(const struct kv *a, size_t n)
{
    cJSON *o = jnew_object();
    for (size_t i = 0; i < n; i++)
        jsets(o, a[i].k, a[i].v);
    return o;
}

/* Python's str.strip(): ASCII and Unicode white space. */
static size_t uspace(const char *p)
{
    unsigned char c = (unsigned char)p[0];
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F))
        return 1;
    if (c == 0xC2 && ((unsigned char)p[1] == 0x85 || (unsigned char)p[1] == 0xA0))
        return 2;
    if (c == 0xE1 && (unsigned char)p[1] == 0x9A && (unsigned char)p[2] == 0x80)
        return 3;
    if (c == 0xE2 && (unsigned char)p[1] == 0x80 &&
        (((unsigned char)p[2] >= 0x80 && (unsigned char)p[2] <= 0x8A) ||
         (unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9 || (unsigned char)p[2] == 0xAF))
        return 3;
    if (c == 0xE2 && (unsigned char)p[1] == 0x81 && (unsigned char)p[2] == 0x9F)
        return 3;
    if (c == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
        return 3;
    return 0;
}

char *fp_strip(char *s)
{
    if (!s)
        return s;
    /* the common case: printable ASCII at both ends, which no white space
     * is or ends with (a multibyte one ends in a continuation byte) */
    unsigned char first = (unsigned char)s[0];
    if (first > ' ' && first < 0x80) {
        unsigned char last = (unsigned char)s[strlen(s) - 1];
        if (last > ' ' && last < 0x80)
            return s;
    }
    char *p = s;
    size_t k;
    while (*p && (k = uspace(p)))
        p += k;
    size_t n = strlen(p);
    if (p != s)
        memmove(s, p, n + 1);
    /* from the end: white space is ASCII or a 2- or 3-byte sequence whose
     * lead byte (never a continuation byte) uspace() recognises */
    while (n) {
        if (n >= 1 && uspace(s + n - 1) == 1)
            n -= 1;
        else if (n >= 2 && uspace(s + n - 2) == 2)
            n -= 2;
        else if (n >= 3 && uspace(s + n - 3) == 3)
            n -= 3;
        else
            break;
    }
    s[n] = '\0';
    return s;
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = uspace(s + i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

/* ---- date helper -------------------------------------------------------------- */

cJSON *feed_date_tuple(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    /* civil from days (Howard Hinnant) */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    static const int cum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int yday = cum[m - 1] + (int)d + (leap && m > 2);
    int wday = (int)(((days % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday (3) */
    double v[9] = {(double)y,
                   (double)m,
                   (double)d,
                   (double)(secs / 3600),
                   (double)(secs % 3600 / 60),
                   (double)(secs % 60),
                   wday,
                   yday,
                   0};
    return cJSON_CreateDoubleArray(v, 9);
}

static cJSON *date_tuple(const char *s)
{
    int64_t t;
    if (!s || !feed_date_parse(s, &t))
        return jnew_null();
    return feed_date_tuple(t);
}

/* ---- context ------------------------------------------------------------------ */

static cJSON *cur_entry(struct fp *f)
{
    /* cJSON keeps an array's last item as its first item's prev */
    return f->entries && f->entries->child ? f->entries->child->prev : NULL;
}

static cJSON *context(struct fp *f)
{
    if (f->insource)
        return f->source;
    cJSON *img = f->inimage ? fp_jget(f->feed, "image") : NULL;
    if (img)
        return img;
    cJSON *ti = f->intextinput ? fp_jget(f->feed, "textinput") : NULL;
    if (ti)
        return ti;
    if (f->inentry && cur_entry(f))
        return cur_entry(f);
    return f->feed;
}

/* ctx is the open entry and the entry is only made into an article: what
 * goes there under a key nothing reads back without the detail tree (see
 * entry_keys_read) need not be made at all. */
static bool entry_for_article_only(struct fp *f, const cJSON *ctx)
{
    return !f->c->opts->detail && f->inentry && ctx && ctx == cur_entry(f);
}

static void save(struct fp *f, const char *k, cJSON *v, bool overwrite)
{
    cJSON *ctx = context(f);
    if (overwrite)
        jset(ctx, k, v);
    else
        jdefault(ctx, k, v);
}

/* ---- content params ------------------------------------------------------------ */

static void copy_reusing(char **dst, size_t *cap, const char *s);

static int cp_pos(const struct cparams *cp, enum cp_key k)
{
    for (size_t i = 0; i < cp->n; i++)
        if (cp->order[i] == k)
            return (int)i;
    return -1;
}

/* Is k present? (cp_pos(cp, k) >= 0, asked for every piece of text) */
static bool cp_has(const struct cparams *cp, enum cp_key k)
{
    return cp->present >> k & 1;
}

/* The string value of k, NULL when absent or null (jstr's answer). */
static const char *cp_str(const struct cparams *cp, enum cp_key k)
{
    return cp_has(cp, k) && !cp->null[k] ? cp->str[k] : NULL;
}

/* Append k to the keys present unless it is there (a dict's order). */
static void cp_touch(struct cparams *cp, enum cp_key k)
{
    if (!cp_has(cp, k)) {
        cp->order[cp->n++] = (unsigned char)k;
        cp->present |= 1u << k;
    }
}

/* No keys (a new text construct, or the end of one). */
static void cp_clear(struct cparams *cp)
{
    cp->n = 0;
    cp->present = 0;
}

/* cp[k] = s (NULL: null), in place when k is present. */
static bool type_is_html(const char *t);
static void cp_set(struct cparams *cp, enum cp_key k, const char *s)
{
    cp_touch(cp, k);
    cp->null[k] = !s;
    if (s)
        copy_reusing(&cp->str[k], &cp->cap[k], s);
    if (s && k == CP_TYPE) /* (pop() asks it of every element) */
        cp->type_html = type_is_html(s);
}

/* cp["base64"] = v (the one boolean key) */
static void cp_set_base64(struct cparams *cp, bool v)
{
    cp_touch(cp, CP_BASE64);
    cp->b64 = v;
}

static void cp_del(struct cparams *cp, enum cp_key k)
{
    if (!cp_has(cp, k))
        return;
    int i = cp_pos(cp, k);
    memmove(cp->order + i, cp->order + i + 1, cp->n - (size_t)i - 1);
    cp->n--;
    cp->present &= ~(1u << k);
}

static void cp_release(struct cparams *cp)
{
    for (int k = 0; k < CP_NKEYS; k++)
        free(cp->str[k]);
    memset(cp, 0, sizeof(*cp));
}

/* The params as a JSON object, as cJSON_Duplicate of feedparser's dict,
 * with "value" added. Without the detail tree only what fpglue.c reads of
 * it is made: a content item's type and value, a *_detail's type and
 * language. */
enum cp_use { CP_DETAIL, CP_CONTENT };
static cJSON *cp_json(const struct fp *f, enum cp_use use, const char *value)
{
    const struct cparams *cp = &f->cp;
    bool all = f->c->opts->detail;
    cJSON *o = jnew_object();
    for (size_t i = 0; i < cp->n; i++) {
        enum cp_key k = cp->order[i];
        if (!all && k != CP_TYPE && !(k == CP_LANGUAGE && use == CP_DETAIL))
            continue;
        cJSON *v = k == CP_BASE64 ? jnew_bool(cp->b64)
                   : cp->null[k]  ? jnew_null()
                                  : jnew_string(cp->str[k]);
        jadd(o, cp_names[k], v);
    }
    if (all || use == CP_CONTENT)
        jsets(o, "value", value);
    return o;
}

/* ---- element stack ------------------------------------------------------------- */

/* *dst = a copy of s, in a buffer of *cap bytes kept from use to use. */
static void copy_reusing(char **dst, size_t *cap, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > *cap) {
        *cap = n < 32 ? 32 : n;
        *dst = xrealloc(*dst, *cap);
    }
    memcpy(*dst, s, n);
}

/* An element another one now covers keeps its text, but not a large buffer
 * left in its slot by an earlier element: a misnested document can leave
 * an element open for good (pop() ignores a close tag that is not the
 * top's, as feedparser does), one more slot per entry, and each would hold
 * such a buffer to the end of the parse, memory touched for nothing. */
#define ELEM_COVERED_TEXT 4096
static void elem_cover(struct elem *e)
{
    if (e->text.cap <= ELEM_COVERED_TEXT || e->text.len >= e->text.cap / 4)
        return;
    if (!e->text.len) {
        buf_release(&e->text);
    } else {
        e->text.ptr = xrealloc(e->text.ptr, e->text.len + 1);
        e->text.cap = e->text.len + 1;
    }
}

static void push(struct fp *f, const char *name, bool expecting)
{
    if (f->nstack >= FEED_MAX_DEPTH * 4)
        return;
    if (f->nstack)
        elem_cover(&f->stack[f->nstack - 1]);
    XGROW(f->stack, f->nstack + 1, f->capstack);
    if (f->nstack == f->ninit) {
        struct elem *fresh = &f->stack[f->ninit++];
        memset(fresh, 0, sizeof(*fresh));
        fresh->text = (struct buf)BUF_INIT;
    }
    struct elem *e = &f->stack[f->nstack++];
    copy_reusing(&e->name, &e->namecap, name);
    e->expecting = expecting;
    e->discard = false;
    buf_reset(&e->text);
    e->ncuts = 0;
}

static void add_piece(struct fp *f, const char *s, size_t n)
{
    if (!f->nstack)
        return;
    struct elem *e = &f->stack[f->nstack - 1];
    if (e->discard)
        return;
    if (e->text.len + n > f->c->max_field) {
        /* keep what fits, cut at a character boundary */
        size_t room = e->text.len < f->c->max_field ? f->c->max_field - e->text.len : 0;
        while (room && room < n && ((unsigned char)s[room] & 0xC0) == 0x80)
            room--;
        n = room;
        if (!n)
            return;
    }
    XGROW(e->cuts, e->ncuts + 1, e->capcuts);
    e->cuts[e->ncuts++] = e->text.len;
    fbuf_add(&e->text, s, n);
}

static void handle_data(struct fp *f, const char *s, size_t n, bool escape)
{
    /* text nobody keeps (an entry's own, between its elements) ends here:
     * add_piece would drop it, whatever form it takes below */
    if (!f->nstack || f->stack[f->nstack - 1].discard)
        return;
    const char *t = escape ? cp_str(&f->cp, CP_TYPE) : NULL;
    if (t && fp_streq(t, "application/xhtml+xml")) {
        struct buf *b = &f->scratch_buf;
        buf_reset(b);
        for (size_t i = 0; i < n;) {
            size_t run = i;
            while (run < n && s[run] != '&' && s[run] != '<' && s[run] != '>')
                run++;
            fbuf_add(b, s + i, run - i); /* copied as it is */
            if (run == n)
                break;
            if (s[run] == '&')
                fbuf_add(b, "&amp;", 5);
            else
                fbuf_add(b, s[run] == '<' ? "&lt;" : "&gt;", 4);
            i = run + 1;
        }
        add_piece(f, b->ptr, b->len);
        return;
    }
    add_piece(f, s, n);
}

static void elem_release(struct elem *e)
{
    free(e->name);
    buf_release(&e->text);
    free(e->cuts);
}

/* A closed element's slot, kept for the next element at its depth; a
 * large text buffer is not kept, so memory stays bounded by what is open. */
#define ELEM_KEEP_TEXT (64 * 1024)
#define ELEM_TAKE_TEXT (4 * 1024) /* pop() takes a text this long, buffer and all */
static void elem_close(struct elem *e)
{
    if (e->text.cap > ELEM_KEEP_TEXT)
        buf_release(&e->text);
    else
        buf_reset(&e->text);
    e->ncuts = 0;
}

static const char *const relative_uri_keys[] = {
    "comments", "docs", "href",        "icon",           "id", "link",
    "logo",     "url",  "wfw_comment", "wfw_commentrss", NULL,
};
static const char *const html_keys[] = {
    "content",  "copyright", "description", "info",  "rights",
    "subtitle", "summary",   "tagline",     "title", NULL,
};

static bool in_set(const char *s, const char *const *l)
{
    for (; *l; l++)
        if (fp_streq(s, *l))
            return true;
    return false;
}

/* Does a list's name start with s[0]? letters is a set of lower-case
 * letters, bit i for 'a' + i. */
#define LETTER(c) (1u << ((c) - 'a'))
static bool first_letter_in(const char *s, unsigned letters)
{
    unsigned i = (unsigned char)s[0] - 'a';
    return i < 26 && (letters >> i & 1);
}

/* in_set(s, relative_uri_keys) and in_set(s, html_keys), asked of every
 * element pop() stores: most names start with a letter neither list has */
static bool is_relative_uri_key(const char *s)
{
    return first_letter_in(s, LETTER('c') | LETTER('d') | LETTER('h') | LETTER('i') | LETTER('l') |
                                  LETTER('u') | LETTER('w')) &&
           in_set(s, relative_uri_keys);
}

static bool is_html_key(const char *s)
{
    return first_letter_in(s, LETTER('c') | LETTER('d') | LETTER('i') | LETTER('r') | LETTER('s') |
                                  LETTER('t')) &&
           in_set(s, html_keys);
}

/* feedparser's mapContentType: t lower-cased, its short names ("text",
 * "html", "xhtml") made MIME types. The result is a static name, or the
 * lower-cased t in buf (cap bytes) when it fits, else in a new string left
 * in *heap for the caller to free (*heap is NULL otherwise): text
 * constructs map their type at every element, and the names are short. */
static const char *map_type_in(const char *t, char *buf, size_t cap, char **heap)
{
    *heap = NULL;
    if (!t)
        t = "";
    size_t n = strlen(t);
    char *s = n < cap ? buf : (*heap = xmalloc(n + 1));
    for (size_t i = 0; i <= n; i++)
        s[i] = (char)tolower((unsigned char)t[i]);
    const char *named = fp_streq(s, "text") || fp_streq(s, "plain") ? "text/plain"
                        : fp_streq(s, "html")                       ? "text/html"
                        : fp_streq(s, "xhtml")                      ? "application/xhtml+xml"
                                                                    : NULL;
    if (!named)
        return s;
    free(*heap);
    *heap = NULL;
    return named;
}

/* map_type_in(t) is "text/html" or "application/xhtml+xml" (without the copy). */
static bool type_is_html(const char *t)
{
    /* "html", "xhtml", "text/html" or "application/xhtml+xml", in any
     * case: the first letter tells which one to compare with */
    switch (t[0]) {
    case 'h':
    case 'H': return !strcasecmp(t, "html");
    case 'x':
    case 'X': return !strcasecmp(t, "xhtml");
    case 't':
    case 'T': return !strcasecmp(t, "text/html");
    case 'a':
    case 'A': return !strcasecmp(t, "application/xhtml+xml");
    default: return false;
    }
}

static char *resolve(struct fp *f, const char *uri)
{
    return fp_urljoin(f->baseuri ? f->baseuri : "", uri);
}

static char *b64decode(const char *s, bool *ok)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    struct buf b = BUF_INIT;
    unsigned v = 0;
    int bits = 0, pad = 0, n = 0;
    *ok = true;
    for (; *s; s++) {
        if (*s == '=') {
            pad++;
            continue;
        }
        const char *p = strchr(tbl, *s);
        if (!p || !*s)
            continue;
        v = (v << 6) | (unsigned)(p - tbl);
        bits += 6;
        n++;
        if (bits >= 8) {
            bits -= 8;
            buf_addch(&b, (char)((v >> bits) & 0xFF));
        }
    }
    if (n % 4 == 1)
        *ok = false;
    if (!fp_utf8_valid(b.ptr, b.len))
        *ok = false;
    return buf_take(&b);
}

/* output.encode('iso-8859-1').decode('utf-8') when that works. */
static char *latin1_fix(char *s)
{
    /* Only text made of ASCII and U+0080..U+00FF, whose code points read
     * as bytes are well-formed UTF-8, can be such a mix-up: check that
     * first, without building anything (cheap for ordinary Latin text). */
    size_t n = strlen(s);
    const unsigned char *u = (const unsigned char *)s, *end = u + n;
    bool any = false;
    int cont = 0;
    while (*u) {
        unsigned b;
#if defined(__SSE2__)
        if (!cont) /* skip ASCII 16 bytes at a time */
            while (end - u >= 16 &&
                   !_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)u)))
                u += 16;
        if (!*u)
            break;
#endif
        if (!cont && end - u >= 8) { /* skip ASCII 8 bytes at a time */
            uint64_t w;
            memcpy(&w, u, 8);
            if (!(w & 0x8080808080808080ull)) {
                u += 8;
                continue;
            }
        }
        if (*u < 0x80) {
            b = *u++;
        } else if ((*u == 0xC2 || *u == 0xC3) && u[1]) {
            b = ((*u & 0x1Fu) << 6) | (u[1] & 0x3Fu);
            u += 2;
            any = true;
        } else {
            return s;
        }
        if (cont) {
            if ((b & 0xC0) != 0x80)
                return s;
            cont--;
        } else if (b >= 0x80) {
            if (b >= 0xC2 && b <= 0xDF)
                cont = 1;
            else if (b >= 0xE0 && b <= 0xEF)
                cont = 2;
            else if (b >= 0xF0 && b <= 0xF4)
                cont = 3;
            else
                return s;
        }
    }
    if (!any || cont)
        return s;
    bool high = false;
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            buf_addch(&b, (char)c);
            i++;
        } else if ((c == 0xC2 || c == 0xC3) && i + 1 < n) {
            buf_addch(&b, (char)(((c & 0x1F) << 6) | ((unsigned char)s[i + 1] & 0x3F)));
            i += 2;
            high = true;
        } else {
            buf_release(&b);
            return s;
        }
    }
    if (high && fp_utf8_valid(b.ptr, b.len)) {
        free(s);
        return buf_take(&b);
    }
    buf_release(&b);
    return s;
}

/* U+0080..U+009F as the windows-1252 characters they stand for (0: none). */
static const unsigned short cp1252_table[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* The windows-1252 character for code point cp (U+0080..U+009F), in UTF-8
 * with a NUL; false when there is none. */
static bool cp1252_utf8(unsigned cp, char u[4])
{
    unsigned m = cp >= 0x80 && cp <= 0x9F ? cp1252_table[cp - 0x80] : 0;
    if (!m)
        return false;
    if (m < 0x800) {
        u[0] = (char)(0xC0 | (m >> 6));
        u[1] = (char)(0x80 | (m & 0x3F));
        u[2] = 0;
    } else {
        u[0] = (char)(0xE0 | (m >> 12));
        u[1] = (char)(0x80 | ((m >> 6) & 0x3F));
        u[2] = (char)(0x80 | (m & 0x3F));
        u[3] = 0;
    }
    return true;
}

/* Does p start with the UTF-8 of a U+0080..U+009F that cp1252_utf8 maps? */
static bool cp1252_at(const char *p, char u[4])
{
    return (unsigned char)p[0] == 0xC2 && cp1252_utf8((unsigned char)p[1], u);
}

/* Map U+0080..U+009F to their windows-1252 characters. */
static char *cp1252_fix(char *s)
{
    char u[4];
    const char *first = s;
    while ((first = strchr(first, '\xC2')) && !cp1252_at(first, u))
        first++;
    if (!first)
        return s; /* nothing to map: the common case */
    struct buf b = BUF_INIT;
    buf_add(&b, s, (size_t)(first - s));
    for (const char *p = first; *p;) {
        if (cp1252_at(p, u)) {
            buf_addstr(&b, u);
            p += 2;
        } else {
            const char *q = strchr(p + 1, '\xC2');
            size_t run = q ? (size_t)(q - p) : strlen(p);
            buf_add(&b, p, run);
            p += run;
        }
    }
    free(s);
    return buf_take(&b);
}

/* cp1252_fix(latin1_fix(s)): both leave text without a byte above 0x7F
 * as it is, which most values are; one look at the bytes tells. */
static char *mojibake_fix_n(char *s, size_t *len)
{
    size_t n = *len, i = 0;
    uint64_t any = 0;
#if defined(__SSE2__)
    __m128i any16 = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16)
        any16 = _mm_or_si128(any16, _mm_loadu_si128((const __m128i *)(const void *)(s + i)));
    if (_mm_movemask_epi8(any16))
        any = 0x80;
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        any |= w;
    }
    for (; i < n; i++)
        any |= (unsigned char)s[i];
    if (!(any & 0x8080808080808080ull))
        return s;
    s = cp1252_fix(latin1_fix(s));
    *len = strlen(s);
    return s;
}

static char *mojibake_fix(char *s)
{
    size_t n = strlen(s);
    return mojibake_fix_n(s, &n);
}

/* Character references to U+0080..U+009F, which feedparser reads as the
 * windows-1252 characters they were meant to be (see cp1252_fix), are
 * written as those characters; the HTML parser would drop them.
 * cp1252_ref: the character a reference "&#...;" at p names when it has
 * such a meaning, written to out; returns the reference's length, 0
 * otherwise. */
static size_t cp1252_ref(const char *p, char out[4])
{
    bool hex = p[2] == 'x' || p[2] == 'X';
    const char *q = p + 2 + hex;
    unsigned long cp = 0;
    int nd = 0;
    while (nd < 6 && (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q))) {
        cp = cp * (hex ? 16 : 10) + (unsigned long)(isdigit((unsigned char)*q)
                                                        ? *q - '0'
                                                        : tolower((unsigned char)*q) - 'a' + 10);
        q++, nd++;
    }
    if (!nd || *q != ';' || !cp1252_utf8((unsigned)cp, out))
        return 0;
    return (size_t)(q + 1 - p);
}

static char *cp1252_refs(char *s)
{
    char u[4];
    const char *first = s;
    /* strstr(first, "&#"), by its '&' (a long HTML text has few) */
    while ((first = strchr(first, '&')) && !(first[1] == '#' && cp1252_ref(first, u)))
        first++;
    if (!first)
        return s; /* the common case: no such reference */
    struct buf b = BUF_INIT;
    buf_add(&b, s, (size_t)(first - s));
    for (const char *p = first; *p;) {
        size_t n = p[0] == '&' && p[1] == '#' ? cp1252_ref(p, u) : 0;
        if (n) {
            buf_addstr(&b, u);
            p += n;
            continue;
        }
        const char *q = strchr(p + 1, '&');
        size_t run = q ? (size_t)(q - p) : strlen(p);
        buf_add(&b, p, run);
        p += run;
    }
    free(s);
    return buf_take(&b);
}

/* looks_like_html(): a close tag or an entity, only known elements and entities. */
static bool looks_like_html(const char *s)
{
    bool close = false, ent = false;
    /* both need a '<' or a '&': none, as in most plain text, is a quick no */
    const char *first = strpbrk(s, "<&");
    if (!first)
        return false;
    for (const char *p = first; *p; p++) {
        if (p[0] == '<' && p[1] == '/') {
            const char *q = p + 2;
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
            if (q > p + 2 && *q == '>')
                close = true;
        }
        if (p[0] == '&') {
            const char *q = p + 1;
            if (*q == '#')
                q++;
            const char *st = q;
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
            if (q > st && *q == ';')
                ent = true;
        }
    }
    if (!close && !ent)
        return false;
    for (const char *p = s; *p; p++) {
        if (p[0] == '<') {
            const char *q = p + 1;
            if (*q == '/')
                q++;
            const char *st = q;
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
            if (q > st) {
                char tag[64];
                size_t n = (size_t)(q - st) < sizeof(tag) - 1 ? (size_t)(q - st) : sizeof(tag) - 1;
                for (size_t i = 0; i < n; i++)
                    tag[i] = (char)tolower((unsigned char)st[i]);
                tag[n] = '\0';
                if (!fp_acceptable_element(tag))
                    return false;
            }
        }
        if (p[0] == '&') {
            const char *q = p + 1;
            const char *st = q;
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
            char tmp[8];
            if (q > st && *q == ';' && !fp_html_entity_known(st, (size_t)(q - st), tmp))
                return false;
        }
    }
    return true;
}

static struct depth_key *depth_find(struct fp *f, const char *key)
{
    for (size_t i = 0; i < f->ndepths; i++)
        if (fp_streq(f->depths[i].key, key))
            return &f->depths[i];
    return NULL;
}

/* depthmap[key] = depth; d is depth_find's answer for key. */
static void depth_set(struct fp *f, struct depth_key *d, const char *key, int depth)
{
    if (!d) {
        XGROW(f->depths, f->ndepths + 1, f->capdepths);
        if (f->ndepths == f->initdepths)
            f->depths[f->initdepths++] = (struct depth_key){0};
        d = &f->depths[f->ndepths++];
        copy_reusing(&d->key, &d->cap, key);
    }
    d->depth = depth;
}

/* A copy of the n bytes at s, NUL-terminated (s's length is known). */
/* fp_strip(s), returning the length of the result; n is strlen(s). */
static size_t strip_len(char *s, size_t n)
{
    /* fp_strip's quick case: printable ASCII at both ends */
    if (n && (unsigned char)s[0] > ' ' && (unsigned char)s[0] < 0x80 &&
        (unsigned char)s[n - 1] > ' ' && (unsigned char)s[n - 1] < 0x80)
        return n;
    return strlen(fp_strip(s));
}

/* key + "_detail" (or key + "s" when plural), as the literal in
 * static_keys for the usual keys: jadd then finds it by its address
 * instead of hashing a copy made on the stack. Else the name made in buf. */
static const char *key_with(const char *key, bool plural, char *buf, size_t cap)
{
    if (plural) {
        if (fp_streq(key, "author"))
            return "authors";
    } else {
        switch (key[0]) {
        case 'a':
            if (fp_streq(key, "author"))
                return "author_detail";
            break;
        case 'p':
            if (fp_streq(key, "publisher"))
                return "publisher_detail";
            break;
        case 'r':
            if (fp_streq(key, "rights"))
                return "rights_detail";
            break;
        case 's':
            if (fp_streq(key, "summary"))
                return "summary_detail";
            if (fp_streq(key, "subtitle"))
                return "subtitle_detail";
            break;
        case 't':
            if (fp_streq(key, "title"))
                return "title_detail";
            break;
        default: break;
        }
    }
    cat3(buf, cap, key, plural ? "s" : "_detail", "");
    return buf;
}

/* pop(): the element's text, processed and stored as feedparser does.
 * Returns a new string, or NULL when the top element is not `name`.
 * Without want the caller only frees the text: an entry's key may then
 * take it over rather than a copy (and NULL is returned). */
static char *pop_text(struct fp *f, const char *name, bool strip, bool want)
{
    if (!f->nstack || strcmp(f->stack[f->nstack - 1].name, name))
        return NULL;
    /* the slot (and so el below) stays as it is until the next push, and
     * nothing here pushes */
    struct elem *es = &f->stack[--f->nstack];
    const struct elem e = *es;
    char *out;
    /* out's length when known without a strlen: element text holds no NUL
     * (libxml2 delivers none, and tags are written from names) */
    size_t outlen = (size_t)-1;
    const char *ctype = cp_str(&f->cp, CP_TYPE);
    if (fp_streq(f->version, "atom10") && ctype && fp_streq(ctype, "application/xhtml+xml")) {
        /* drop a wrapping <div> that holds all the content */
        size_t first = 0, last = e.ncuts;
        size_t *c = e.cuts;
#define PIECE_END(i) ((i) + 1 < e.ncuts ? c[(i) + 1] : e.text.len)
        while (last - first > 1 &&
               is_blank(e.text.ptr + c[last - 1], PIECE_END(last - 1) - c[last - 1]))
            last--;
        while (last - first > 1 && is_blank(e.text.ptr + c[first], PIECE_END(first) - c[first]))
            first++;
        const char *p0 = e.text.ptr + (last > first ? c[first] : 0);
        size_t l0 = last > first ? PIECE_END(first) - c[first] : 0;
        const char *pl = last > first ? e.text.ptr + c[last - 1] : "";
        size_t ll = last > first ? PIECE_END(last - 1) - c[last - 1] : 0;
        size_t from = last > first ? c[first] : 0, to = last > first ? PIECE_END(last - 1) : 0;
        if (last > first &&
            ((l0 == 5 && !memcmp(p0, "<div>", 5)) || (l0 > 5 && !memcmp(p0, "<div ", 5))) &&
            ll == 6 && !memcmp(pl, "</div>", 6)) {
            int depth = 0;
            bool broke = false;
            for (size_t i = first; i + 1 < last; i++) {
                const char *pp = e.text.ptr + c[i];
                size_t pl2 = PIECE_END(i) - c[i];
                if (pl2 >= 2 && pp[0] == '<' && pp[1] == '/') {
                    depth--;
                    if (depth == 0) {
                        broke = true;
                        break;
                    }
                } else if (pl2 >= 1 && pp[0] == '<' &&
                           !(pl2 >= 2 && pp[pl2 - 2] == '/' && pp[pl2 - 1] == '>')) {
                    depth++;
                }
            }
            if (!broke) {
                from = PIECE_END(first);
                to = c[last - 1];
            }
        }
#undef PIECE_END
        out = xstrndup(e.text.ptr + from, to >= from ? to - from : 0);
    } else if (e.text.len >= ELEM_TAKE_TEXT) {
        /* a long text (an entry's content) leaves with its buffer rather
         * than as a copy; the slot starts afresh */
        outlen = e.text.len;
        out = buf_take(&es->text);
    } else {
        outlen = e.text.len;
        out = feed_dup_n(e.text.ptr, e.text.len);
    }
    bool expecting = e.expecting;
    const char *el = e.name;
    elem_close(es);
    if (!expecting) {
        if (strip)
            fp_strip(out);
        return out;
    }
    /* out's length, kept up to date below so that it is measured once */
    if (outlen == (size_t)-1)
        outlen = strlen(out);
    size_t n = strip ? strip_len(out, outlen) : outlen;
    if (cp_has(&f->cp, CP_BASE64) && f->cp.b64) {
        bool ok;
        char *d = b64decode(out, &ok);
        if (ok) {
            free(out);
            out = d;
            n = strlen(out);
        } else {
            free(d);
        }
    }
    if (fp_streq(el, "id") && f->inentry && !f->insource) {
        free(f->raw_id);
        f->raw_id = feed_dup_n(out, n);
    }
    if (is_relative_uri_key(el) && *out && (strcmp(el, "id") || f->guidislink)) {
        char *r = fp_urljoin_take(f->baseuri ? f->baseuri : "", out);
        if (r != out)
            n = strlen(r);
        out = r;
    }
    ctype = cp_str(&f->cp, CP_TYPE);
    if (strncmp(f->version, "atom", 4) && ctype && fp_streq(ctype, "text/plain") &&
        looks_like_html(out))
        cp_set(&f->cp, CP_TYPE, "text/html");
    cp_del(&f->cp, CP_BASE64); /* ("mode" is never set) */
    ctype = cp_str(&f->cp, CP_TYPE);
    bool htmlish = ctype ? f->cp.type_html : true, fixed = false;
    const char *tp = ctype ? ctype : "text/html";
    if (htmlish && f->inentry && !f->insource &&
        (fp_streq(el, "content") || fp_streq(el, "summary") || fp_streq(el, "description"))) {
        bool is_content = fp_streq(el, "content");
        char **dst = is_content ? &f->raw.content : &f->raw.summary;
        char **bdst = is_content ? &f->raw.content_base : &f->raw.summary_base;
        /* without the detail tree, fpglue.c reads the entry's HTML from
         * f->raw only: feedparser's own resolve and sanitise passes would
         * produce nothing anyone reads, so the value is only fixed below,
         * and the raw HTML is that fixed value (fixed once) */
        bool passes = f->c->opts->detail;
        if (!passes) {
            htmlish = false;
            out = mojibake_fix_n(out, &n);
            fixed = true;
        }
        if (!*dst || !is_content) {
            free(*dst);
            free(*bdst);
            *dst = cp1252_refs(passes ? mojibake_fix(feed_dup_n(out, n)) : feed_dup_n(out, n));
            *bdst = xs(f->baseuri);
        }
    }
    if (htmlish && is_html_key(el)) {
        char *r = fp_sgml(out, SGML_RESOLVE, tp, f->baseuri ? f->baseuri : "");
        free(out);
        out = fp_sgml(r, SGML_SANITIZE, tp, NULL);
        free(r);
        n = strlen(out);
    }
    if (!fixed)
        out = mojibake_fix_n(out, &n);
    if (fp_streq(el, "category") || fp_streq(el, "tags") || fp_streq(el, "itunes_keywords"))
        goto done;
    if (fp_streq(el, "title") && f->title_depth > -1 && f->title_depth <= f->depth)
        goto done;
    if (f->inentry && !f->insource && cur_entry(f)) {
        cJSON *ent = cur_entry(f);
        if (fp_streq(el, "content")) {
            cJSON *arr = jdefault_new(ent, "content", jnew_array);
            cJSON_AddItemToArray(arr, cp_json(f, CP_CONTENT, out));
        } else if (fp_streq(el, "link")) {
            if (!f->inimage) {
                /* "&amp;" back to "&", and "&name;" to "&name" in query strings */
                struct buf b = BUF_INIT;
                const char *amp = strchr(out, '&'); /* none: nothing changes */
                if (amp)
                    buf_add(&b, out, (size_t)(amp - out));
                for (const char *p = amp; p && *p;) {
                    if (!strncmp(p, "&amp;", 5)) {
                        buf_addch(&b, '&');
                        p += 5;
                        continue;
                    }
                    if (*p == '&') {
                        const char *q = p + 1;
                        while (isalnum((unsigned char)*q) || *q == '_')
                            q++;
                        if (q > p + 1 && *q == ';') {
                            buf_add(&b, p, (size_t)(q - p));
                            p = q + 1;
                            continue;
                        }
                    }
                    buf_addch(&b, *p++);
                }
                if (amp) {
                    free(out);
                    out = buf_take(&b);
                }
                cJSON *last = jlast(fp_jget(ent, "links"));
                const char *rel = last ? fp_jstr(last, "rel") : NULL;
                /* an Atom link without href names its target in its text;
                 * only an alternate one is the entry's link */
                bool is_link = !rel || fp_streq(rel, "alternate");
                /* (only the detail shows a link object's href: of it, only
                 * the rel is read back) */
                if (*out && last && f->c->opts->detail)
                    jsets(last, "href", out);
                if (is_link) {
                    cJSON *v;
                    if (!want && !f->c->opts->detail && (v = jnode(cJSON_String))) {
                        v->valuestring = out; /* (as below) */
                        out = NULL;
                        jset(ent, "link", v);
                    } else {
                        jsets(ent, "link", out);
                    }
                }
            }
        } else {
            const char *key = fp_streq(el, "description") ? "summary" : el;
            struct depth_key *od = depth_find(f, key);
            /* (the detail first: it may copy out, which the key may take) */
            cJSON *d = f->incontent ? cp_json(f, CP_DETAIL, out) : NULL;
            if (!od || f->depth <= od->depth) {
                depth_set(f, od, key, f->depth);
                cJSON *v;
                /* out goes to the entry as it is, buffer and all, when the
                 * caller only frees it and the entry is dropped once read
                 * (the detail tree, kept whole, gets a copy of its size) */
                if (!want && !f->c->opts->detail && (v = jnode(cJSON_String))) {
                    v->valuestring = out;
                    out = NULL;
                } else {
                    v = jnew_string_n(out, n);
                }
                jset(ent, key, v);
            }
            if (d) {
                char dk[64];
                jset(ent, key_with(key, false, dk, sizeof(dk)), d);
            }
        }
    } else if (f->infeed || f->insource) {
        cJSON *ctx = context(f);
        const char *key = fp_streq(el, "description") ? "subtitle" : el;
        jsets(ctx, key, out);
        if (fp_streq(key, "link")) {
            struct buf b = BUF_INIT;
            for (const char *p = out; *p;) {
                if (*p == '&') {
                    const char *q = p + 1;
                    while (isalnum((unsigned char)*q) || *q == '_')
                        q++;
                    if (q > p + 1 && *q == ';') {
                        buf_add(&b, p, (size_t)(q - p));
                        p = q + 1;
                        continue;
                    }
                }
                buf_addch(&b, *p++);
            }
            free(out);
            out = buf_take(&b);
            jsets(ctx, "link", out);
            cJSON *links = fp_jget(ctx, "links");
            int nl = cJSON_GetArraySize(links);
            if (nl)
                jsets(cJSON_GetArrayItem(links, nl - 1), "href", out);
        } else if (f->incontent) {
            cJSON *d = cp_json(f, CP_DETAIL, out);
            char dk[64];
            jset(ctx, key_with(key, false, dk, sizeof(dk)), d);
        }
    }
done:
    return out;
}

static char *pop(struct fp *f, const char *name, bool strip)
{
    return pop_text(f, name, strip, true);
}

static void pop_free(struct fp *f, const char *name)
{
    free(pop_text(f, name, true, false));
}

static void push_content(struct fp *f, const char *tag, const struct kv *a, size_t na,
                         const char *deftype, bool expecting)
{
    f->incontent++;
    if (f->lang)
        for (char *p = f->lang; *p; p++)
            if (*p == '_')
                *p = '-';
    cp_clear(&f->cp);
    const char *t = attr_get(a, na, "type");
    char mtbuf[64], *mtheap;
    const char *mt = map_type_in(t ? t : deftype, mtbuf, sizeof(mtbuf), &mtheap);
    cp_set(&f->cp, CP_TYPE, mt);
    cp_set(&f->cp, CP_LANGUAGE, f->lang);
    if (f->c->opts->detail) {
        cp_set(&f->cp, CP_BASE, f->baseuri ? f->baseuri : "");
    } else {
        /* only the detail tree shows its value: none, rather than the
         * previous element's */
        cp_touch(&f->cp, CP_BASE);
        f->cp.null[CP_BASE] = true;
    }
    const char *mode = attr_get(a, na, "mode");
    bool b64 =
        (mode && fp_streq(mode, "base64")) ||
        !(!strncmp(mt, "text/", 5) || str_ends_with(mt, "+xml") || str_ends_with(mt, "/xml"));
    cp_set_base64(&f->cp, b64);
    free(mtheap);
    push(f, tag, expecting);
}

static char *pop_content_text(struct fp *f, const char *tag, bool want)
{
    char *v = pop_text(f, tag, true, want);
    f->incontent--;
    cp_clear(&f->cp);
    return v;
}

static char *pop_content(struct fp *f, const char *tag)
{
    return pop_content_text(f, tag, true);
}

static void pop_content_free(struct fp *f, const char *tag)
{
    free(pop_content_text(f, tag, false));
}

/* ---- authors and tags ---------------------------------------------------------- */

static void sync_author_detail(struct fp *f, const char *key)
{
    cJSON *ctx = context(f);
    char kb[32], kdb[40];
    const char *k = key_with(key, true, kb, sizeof(kb));
    const char *kd = key_with(key, false, kdb, sizeof(kdb));
    cJSON *list = fp_jget(ctx, k);
    cJSON *detail = jlast(list);
    if (detail && detail->child) {
        const char *name = fp_jstr(detail, "name"), *email = fp_jstr(detail, "email");
        if (name && *name && email && *email) {
            struct buf b = BUF_INIT;
            buf_addf(&b, "%s (%s)", name, email);
            jsets(ctx, key, b.ptr);
            buf_release(&b);
        } else if (name && *name) {
            jsets(ctx, key, name);
        } else if (email && *email) {
            jsets(ctx, key, email);
        }
        return;
    }
    const char *author0 = fp_jstr(ctx, key);
    if (!author0 || !*author0)
        return;
    /* the name is author0 itself unless an e-mail address is cut out of it
     * (author0 stays valid: the tree is not changed before its last use) */
    char *author = NULL;
    char *email = fp_find_email(author0);
    if (email) {
        /* author.replace(email, ''), then drop "()", "<>", "&lt;&gt;" */
        struct buf b = BUF_INIT;
        size_t el = strlen(email);
        for (const char *p = author0; *p;) {
            if (!strncmp(p, email, el)) {
                p += el;
                continue;
            }
            buf_addch(&b, *p++);
        }
        static const char *const junk[] = {"()", "<>", "&lt;&gt;"};
        for (int j = 0; j < 3; j++) {
            struct buf b2 = BUF_INIT;
            size_t jl = strlen(junk[j]);
            for (const char *p = b.ptr; *p;) {
                if (!strncmp(p, junk[j], jl)) {
                    p += jl;
                    continue;
                }
                buf_addch(&b2, *p++);
            }
            buf_release(&b);
            b = b2;
        }
        author = fp_strip(buf_take(&b));
        size_t n = strlen(author);
        if (n && author[0] == '(')
            memmove(author, author + 1, n--);
        if (n && author[n - 1] == ')')
            author[--n] = '\0';
        fp_strip(author);
    }
    const char *name = author ? author : author0;
    if (*name || email) {
        /* feedparser fills the last of `authors` and makes it the detail
         * when there is none yet */
        cJSON *d = detail ? detail : jnew_object();
        if (*name)
            jsets(d, "name", name);
        if (email)
            jsets(d, "email", email);
        if (!fp_jget(ctx, kd))
            jadd(ctx, kd, detail ? jdup(d) : d);
        else if (!detail)
            fp_jrecycle(d);
    }
    free(author);
    free(email);
}

static void save_author(struct fp *f, const char *key, const char *value, const char *prefix)
{
    cJSON *ctx = context(f);
    char kdb[40], ksb[40];
    const char *kd = key_with(prefix, false, kdb, sizeof(kdb));
    const char *ks = key_with(prefix, true, ksb, sizeof(ksb));
    cJSON *d = jdefault_new(ctx, kd, jnew_object);
    jsets(d, key, value);
    sync_author_detail(f, prefix);
    cJSON *list = fp_jget(ctx, ks);
    if (!list) {
        list = jnew_array();
        cJSON_AddItemToArray(list, jnew_object());
        jadd(ctx, ks, list);
    }
    cJSON *last = jlast(list);
    if (last)
        jsets(last, key, value);
}

static void save_contributor(struct fp *f, const char *key, const char *value)
{
    cJSON *ctx = context(f);
    cJSON *list = fp_jget(ctx, "contributors");
    if (!list) {
        list = jnew_array();
        cJSON_AddItemToArray(list, jnew_object());
        jadd(ctx, "contributors", list);
    }
    cJSON *last = cJSON_GetArrayItem(list, cJSON_GetArraySize(list) - 1);
    if (last)
        jsets(last, key, value);
}

/* A tag object's term, hashed, kept in the object's (otherwise unused,
 * never printed or compared) valueint so that add_tag's search for an
 * equal tag compares numbers first; 0 on an object made elsewhere, which is
 * then compared in full. */
static int tag_term_hash(const char *term)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)(term ? term : ""); *p; p++)
        h = (h ^ *p) * 16777619u;
    return (int)((h & 0x3FFFFFFFu) | (term ? 1u : 2u)); /* never 0 */
}

static void add_tag(struct fp *f, const char *term, const char *scheme, const char *label)
{
    cJSON *ctx = context(f);
    cJSON *tags = jdefault_new(ctx, "tags", jnew_array);
    if ((!term || !*term) && (!scheme || !*scheme) && (!label || !*label))
        return;
    /* a new object: its keys are added without looking for them first.
     * Without the detail tree only a tag's label, else its term, is read
     * (fpglue.c lists each text once): tags that differ only in their
     * scheme list the same, so the scheme and a null label are left out. */
    bool all = f->c->opts->detail;
    cJSON *v = jnew_object();
    cJSON_AddItemToObjectCS(v, "term", term ? jnew_string(term) : jnew_null());
    if (all)
        cJSON_AddItemToObjectCS(v, "scheme", scheme ? jnew_string(scheme) : jnew_null());
    if (all || label)
        cJSON_AddItemToObjectCS(v, "label", label ? jnew_string(label) : jnew_null());
    cJSON *t;
    /* equal tags have equal terms: only those need the full comparison
     * (a podcast's keywords make this list long) */
    int h = tag_term_hash(term);
    v->valueint = h;
    cJSON_ArrayForEach(t, tags)
    {
        if ((t->valueint == h || !t->valueint) && jvalue_is(fp_jget(t, "term"), term) &&
            cJSON_Compare(t, v, 1)) {
            fp_jrecycle(v);
            return;
        }
    }
    cJSON_AddItemToArray(tags, v);
}

/* ---- handlers ------------------------------------------------------------------ */

#define A const struct kv *a, size_t na
typedef void (*start_fn)(struct fp *f, struct kv *a, size_t na);
typedef void (*end_fn)(struct fp *f);

static void end_updated(struct fp *f);
static void end_link(struct fp *f);
static void start_link(struct fp *f, struct kv *a, size_t na);
static void start_content(struct fp *f, struct kv *a, size_t na);
static void end_content(struct fp *f);

static void cdf_common(struct fp *f, struct kv *a, size_t na)
{
    const char *lm = attr_get(a, na, "lastmod");
    if (lm) {
        push(f, "updated", true);
        add_piece(f, lm, strlen(lm));
        end_updated(f);
    }
    const char *href = attr_get(a, na, "href");
    if (href) {
        char *h = xstrdup(href);
        start_link(f, NULL, 0);
        if (f->nstack) {
            struct elem *e = &f->stack[f->nstack - 1];
            buf_reset(&e->text);
            e->ncuts = 0;
            add_piece(f, h, strlen(h));
        }
        end_link(f);
        free(h);
    }
}

static void start_rss(struct fp *f, struct kv *a, size_t na)
{
    if (f->version[0] && !strncmp(f->version, "rss", 3))
        return;
    const char *v = attr_get(a, na, "version");
    if (!v)
        v = "";
    const char *ver = fp_streq(v, "0.91")    ? "rss091u"
                      : fp_streq(v, "0.92")  ? "rss092"
                      : fp_streq(v, "0.93")  ? "rss093"
                      : fp_streq(v, "0.94")  ? "rss094"
                      : !strncmp(v, "2.", 2) ? "rss20"
                                             : "rss";
    snprintf(f->version, sizeof(f->version), "%s", ver);
}

static void start_channel(struct fp *f, struct kv *a, size_t na)
{
    f->infeed = 1;
    cdf_common(f, a, na);
}

static void end_channel(struct fp *f)
{
    f->infeed = 0;
}

static void start_feed(struct fp *f, struct kv *a, size_t na)
{
    f->infeed = 1;
    if (f->version[0])
        return;
    const char *v = attr_get(a, na, "version");
    const char *ver = !v                   ? "atom"
                      : fp_streq(v, "0.1") ? "atom01"
                      : fp_streq(v, "0.2") ? "atom02"
                      : fp_streq(v, "0.3") ? "atom03"
                                           : "atom";
    snprintf(f->version, sizeof(f->version), "%s", ver);
}

static void start_image(struct fp *f, struct kv *a, size_t na)
{
    cJSON *ctx = context(f);
    if (!f->inentry)
        jdefault_new(ctx, "image", jnew_object);
    f->inimage = 1;
    f->title_depth = -1;
    push(f, "image", false);
}

static void end_image(struct fp *f)
{
    pop_free(f, "image");
    f->inimage = 0;
}

static void start_textinput(struct fp *f, struct kv *a, size_t na)
{
    cJSON *ctx = context(f);
    jdefault_new(ctx, "textinput", jnew_object);
    f->intextinput = 1;
    f->title_depth = -1;
    push(f, "textinput", false);
}

static void end_textinput(struct fp *f)
{
    pop_free(f, "textinput");
    f->intextinput = 0;
}

static void start_author(struct fp *f, struct kv *a, size_t na)
{
    f->inauthor = 1;
    push(f, "author", true);
    cJSON *ctx = context(f);
    cJSON *l = jdefault_new(ctx, "authors", jnew_array);
    cJSON_AddItemToArray(l, jnew_object());
}

static void end_author(struct fp *f)
{
    pop_free(f, "author");
    f->inauthor = 0;
    sync_author_detail(f, "author");
}

static void start_contributor(struct fp *f, struct kv *a, size_t na)
{
    f->incontributor = 1;
    cJSON *ctx = context(f);
    cJSON *l = jdefault_new(ctx, "contributors", jnew_array);
    cJSON_AddItemToArray(l, jnew_object());
    push(f, "contributor", false);
}

static void end_contributor(struct fp *f)
{
    pop_free(f, "contributor");
    f->incontributor = 0;
}

static void start_name(struct fp *f, struct kv *a, size_t na)
{
    push(f, "name", false);
}

static void end_name(struct fp *f)
{
    char *v = pop(f, "name", true);
    if (!v)
        v = NULL;
    if (f->inpublisher)
        save_author(f, "name", v, "publisher");
    else if (f->inauthor)
        save_author(f, "name", v, "author");
    else if (f->incontributor)
        save_contributor(f, "name", v);
    else if (f->intextinput)
        jsets(context(f), "name", v);
    free(v);
}

static void end_dim(struct fp *f, const char *k)
{
    char *v = pop(f, k, true);
    long n = 0;
    if (v) {
        char *end;
        const char *s = v;
        n = strtol(s, &end, 10);
        if (end == s || *end)
            n = 0;
    }
    if (f->inimage)
        jset(context(f), k, cJSON_CreateNumber((double)n));
    free(v);
}

static void start_width(struct fp *f, struct kv *a, size_t na)
{
    push(f, "width", false);
}
static void end_width(struct fp *f)
{
    end_dim(f, "width");
}
static void start_height(struct fp *f, struct kv *a, size_t na)
{
    push(f, "height", false);
}
static void end_height(struct fp *f)
{
    end_dim(f, "height");
}

static void start_url(struct fp *f, struct kv *a, size_t na)
{
    push(f, "href", true);
}

static void end_url(struct fp *f)
{
    char *v = pop(f, "href", true);
    if (f->inauthor)
        save_author(f, "href", v, "author");
    else if (f->incontributor)
        save_contributor(f, "href", v);
    free(v);
}

static void start_email(struct fp *f, struct kv *a, size_t na)
{
    push(f, "email", false);
}

static void end_email(struct fp *f)
{
    char *v = pop(f, "email", true);
    if (f->inpublisher)
        save_author(f, "email", v, "publisher");
    else if (f->inauthor)
        save_author(f, "email", v, "author");
    else if (f->incontributor)
        save_contributor(f, "email", v);
    free(v);
}

static void start_subtitle(struct fp *f, struct kv *a, size_t na)
{
    push_content(f, "subtitle", a, na, "text/plain", true);
}
static bool drop_unread(struct fp *f, const char *name);
static void end_subtitle(struct fp *f)
{
    /* an entry's subtitle (itunes:subtitle) and its detail are only read in
     * the detail tree; pop_content's other effects end with it */
    if (!f->c->opts->detail && f->inentry && !f->insource && cur_entry(f) && f->nstack &&
        fp_streq(f->stack[f->nstack - 1].name, "subtitle")) {
        elem_close(&f->stack[--f->nstack]);
        f->incontent--;
        cp_clear(&f->cp);
        return;
    }
    pop_content_free(f, "subtitle");
}
static void start_rights(struct fp *f, struct kv *a, size_t na)
{
    push_content(f, "rights", a, na, "text/plain", true);
}
static void end_rights(struct fp *f)
{
    pop_content_free(f, "rights");
}

static void start_item(struct fp *f, struct kv *a, size_t na)
{
    cJSON_AddItemToArray(f->entries, jnew_object());
    f->nentries++;
    f->ndepths = 0;
    push(f, "item", false);
    /* the text between an entry's elements (white space, mostly) is only
     * popped to be freed (end_item) */
    if (f->nstack && fp_streq(f->stack[f->nstack - 1].name, "item"))
        f->stack[f->nstack - 1].discard = true;
    free(f->raw_id);
    f->raw_id = NULL;
    fp_raw_release(&f->raw);
    f->inentry = 1;
    f->guidislink = false;
    f->title_depth = -1;
    const char *id = attr_get(a, na, "rdf:about");
    if (id)
        jsets(context(f), "id", id);
    cdf_common(f, a, na);
}

static void end_item(struct fp *f)
{
    pop_free(f, "item");
    f->inentry = 0;
    f->has_content = false;
    cJSON *e = cur_entry(f);
    if (e)
        fp_entry_done(f->c, f->entries, e, f->raw_id, &f->raw);
}

static void start_language(struct fp *f, struct kv *a, size_t na)
{
    push(f, "language", true);
}

static void end_language(struct fp *f)
{
    char *v = pop(f, "language", true);
    free(f->lang);
    f->lang = v;
}

static void start_webmaster(struct fp *f, struct kv *a, size_t na)
{
    push(f, "publisher", true);
}

static void end_webmaster(struct fp *f)
{
    pop_free(f, "publisher");
    sync_author_detail(f, "publisher");
}

static void date_end(struct fp *f, const char *el, const char *key)
{
    /* the parsed tuple is only part of the detail tree; fpglue.c parses the
     * date string itself for the article (so without the detail the text
     * is not wanted here) */
    bool tuple = f->c->opts->detail;
    char *v = pop_text(f, el, true, tuple);
    if (tuple)
        save(f, key, date_tuple(v), true);
    free(v);
}

static void start_published(struct fp *f, struct kv *a, size_t na)
{
    push(f, "published", true);
}
static void end_published(struct fp *f)
{
    date_end(f, "published", "published_parsed");
}
static void start_updated(struct fp *f, struct kv *a, size_t na)
{
    push(f, "updated", true);
}
static void end_updated(struct fp *f)
{
    date_end(f, "updated", "updated_parsed");
}
static void start_created(struct fp *f, struct kv *a, size_t na)
{
    push(f, "created", true);
}
static void end_created(struct fp *f)
{
    date_end(f, "created", "created_parsed");
}
static void start_expirationdate(struct fp *f, struct kv *a, size_t na)
{
    push(f, "expired", true);
}
static void end_expirationdate(struct fp *f)
{
    date_end(f, "expired", "expired_parsed");
}

static void start_category(struct fp *f, struct kv *a, size_t na)
{
    const char *term = attr_get(a, na, "term");
    const char *scheme = attr_get(a, na, "scheme");
    if (!scheme)
        scheme = attr_get(a, na, "domain");
    add_tag(f, term, scheme, attr_get(a, na, "label"));
    push(f, "category", true);
}

static void end_category(struct fp *f)
{
    char *v = pop(f, "category", true);
    if (!v || !*v) {
        free(v);
        return;
    }
    cJSON *tags = fp_jget(context(f), "tags");
    /* cJSON keeps an array's last item as its first item's prev */
    cJSON *last = tags && tags->child ? tags->child->prev : NULL;
    const char *lt = last ? fp_jstr(last, "term") : NULL;
    if (last && (!lt || !*lt)) {
        jsets(last, "term", v);
        last->valueint = tag_term_hash(v);
    } else
        add_tag(f, v, NULL, NULL);
    free(v);
}

static void start_cloud(struct fp *f, struct kv *a, size_t na)
{
    jset(context(f), "cloud", attrs_obj(a, na));
}

/* A link's address: its url, else uri, else href attribute (feedparser's
 * order); NULL when it has none. */
static const char *link_href_attr(const struct kv *a, size_t na)
{
    const char *href = attr_get(a, na, "url");
    if (!href)
        href = attr_get(a, na, "uri");
    if (!href)
        href = attr_get(a, na, "href");
    return href;
}

static void enforce_href(struct kv *a, size_t na)
{
    const char *href = link_href_attr(a, na);
    if (!href || !*href)
        return;
    char *h = xstrdup(href);
    for (size_t i = 0; i < na; i++)
        if (fp_streq(a[i].k, "url") || fp_streq(a[i].k, "uri")) {
            a[i].k = (char *)"href"; /* (keys are not owned by the list) */
        }
    for (size_t i = 0; i < na; i++)
        if (fp_streq(a[i].k, "href")) {
            if (a[i].owned)
                free(a[i].v);
            a[i].v = xstrdup(h);
            a[i].owned = true;
        }
    free(h);
}

/* start_link for an entry made only into an article: of the link object
 * only its rel is read back (by pop(), for a link given as text), so only
 * that is made; the entry's link is set as start_link sets it. */
static void start_link_article(struct fp *f, cJSON *ctx, const struct kv *a, size_t na)
{
    /* the href enforce_href() and the object would give */
    const char *href = link_href_attr(a, na);
    if (!href || !*href)
        href = attr_get(a, na, "href");
    const char *rel = attr_get(a, na, "rel");
    if (!rel)
        rel = "alternate";
    const char *type = attr_get(a, na, "type");
    if (!type)
        type = fp_streq(rel, "self") ? "application/atom+xml" : "text/html";
    bool alt = fp_streq(rel, "alternate") && type_is_html(type);
    cJSON *o = jnew_object();
    jsets(o, "rel", rel);
    cJSON_AddItemToArray(jdefault_new(ctx, "links", jnew_array), o);
    if (!href) {
        push(f, "link", true);
    } else if (alt) {
        char *r = resolve(f, href);
        jsets(ctx, "link", r);
        free(r);
    }
}

static void start_link(struct fp *f, struct kv *a0, size_t na0)
{
    cJSON *ctx0 = context(f);
    if (!f->inimage && entry_for_article_only(f, ctx0)) {
        start_link_article(f, ctx0, a0, na0);
        return;
    }
    cJSON *o = jnew_object();
    struct kv *a = a0;
    size_t na = na0;
    enforce_href(a, na);
    for (size_t i = 0; i < na; i++)
        jsets(o, a[i].k, a[i].v);
    if (!fp_jget(o, "rel"))
        jsets(o, "rel", "alternate");
    const char *rel = fp_jstr(o, "rel");
    if (!fp_jget(o, "type"))
        jsets(o, "type", rel && fp_streq(rel, "self") ? "application/atom+xml" : "text/html");
    const char *href = fp_jstr(o, "href");
    if (href) {
        char *r = resolve(f, href);
        jsets(o, "href", r);
        free(r);
    }
    bool expecting = f->infeed || f->inentry || f->insource;
    cJSON *ctx = context(f);
    cJSON *links = jdefault_new(ctx, "links", jnew_array);
    href = fp_jstr(o, "href");
    bool has_href = href != NULL;
    char *hcopy = xs(href);
    rel = fp_jstr(o, "rel");
    const char *type = fp_jstr(o, "type");
    bool alt = rel && fp_streq(rel, "alternate") && type && type_is_html(type);
    if (!(f->inentry && f->inimage))
        cJSON_AddItemToArray(links, o);
    else
        fp_jrecycle(o);
    if (has_href) {
        if (alt)
            jsets(ctx, "link", hcopy);
    } else {
        push(f, "link", expecting);
    }
    free(hcopy);
}

static void end_link(struct fp *f)
{
    pop_free(f, "link");
}

static void start_guid(struct fp *f, struct kv *a, size_t na)
{
    const char *p = attr_get(a, na, "ispermalink");
    f->guidislink = !p || fp_streq(p, "true");
    push(f, "id", true);
}

static void end_guid(struct fp *f)
{
    char *v = pop(f, "id", true);
    bool haslink = fp_jget(context(f), "link") != NULL;
    if (f->c->opts->detail) /* (only the detail shows it) */
        save(f, "guidislink", jnew_bool(f->guidislink && !haslink), false);
    if (f->guidislink && v && !haslink) /* (a link there stays) */
        save(f, "link", jnew_string(v), false);
    free(v);
}

static void unknown_start(struct fp *f, const char *tag, struct kv *a, size_t na);

static void start_title(struct fp *f, struct kv *a, size_t na)
{
    if (f->svgok) {
        unknown_start(f, "title", a, na);
        return;
    }
    push_content(f, "title", a, na, "text/plain", f->infeed || f->inentry || f->insource);
}

static void end_title(struct fp *f)
{
    if (f->svgok)
        return;
    char *v = pop_content(f, "title");
    if (v && *v)
        f->title_depth = f->depth;
    free(v);
}

static void start_description(struct fp *f, struct kv *a, size_t na)
{
    cJSON *ctx = context(f);
    if (fp_jget(ctx, "summary") && !f->has_content) {
        f->summary_key = "content";
        start_content(f, a, na);
    } else {
        push_content(f, "description", a, na, "text/html", f->infeed || f->inentry || f->insource);
    }
}

static void start_abstract(struct fp *f, struct kv *a, size_t na)
{
    push_content(f, "description", a, na, "text/plain", f->infeed || f->inentry || f->insource);
}

static void end_description(struct fp *f)
{
    if (f->summary_key && fp_streq(f->summary_key, "content"))
        end_content(f);
    else
        pop_content_free(f, "description");
    f->summary_key = NULL;
}

static void start_info(struct fp *f, struct kv *a, size_t na)
{
    push_content(f, "info", a, na, "text/plain", true);
}

static void end_info(struct fp *f)
{
    pop_content_free(f, "info");
}

static void start_generator(struct fp *f, struct kv *a, size_t na)
{
    if (na) {
        enforce_href(a, na);
        for (size_t i = 0; i < na; i++)
            if (fp_streq(a[i].k, "href")) {
                char *r = resolve(f, a[i].v);
                if (a[i].owned)
                    free(a[i].v);
                a[i].v = r;
                a[i].owned = true;
            }
    }
    jset(context(f), "generator_detail", attrs_obj(a, na));
    push(f, "generator", true);
}

static void end_generator(struct fp *f)
{
    char *v = pop(f, "generator", true);
    cJSON *d = fp_jget(context(f), "generator_detail");
    if (d)
        jsets(d, "name", v);
    free(v);
}

static void start_summary(struct fp *f, struct kv *a, size_t na)
{
    cJSON *ctx = context(f);
    if (fp_jget(ctx, "summary") && !f->has_content) {
        f->summary_key = "content";
        start_content(f, a, na);
    } else {
        f->summary_key = "summary";
        push_content(f, "summary", a, na, "text/plain", true);
    }
}

static void end_summary(struct fp *f)
{
    if (f->summary_key && fp_streq(f->summary_key, "content"))
        end_content(f);
    else
        pop_content_free(f, f->summary_key ? f->summary_key : "summary");
    f->summary_key = NULL;
}

static void start_enclosure(struct fp *f, struct kv *a, size_t na)
{
    if (entry_for_article_only(f, context(f))) { /* only the rel is read back */
        cJSON *o = jnew_object();
        jsets(o, "rel", "enclosure");
        cJSON_AddItemToArray(jdefault_new(context(f), "links", jnew_array), o);
        return;
    }
    enforce_href(a, na);
    cJSON *o = attrs_obj(a, na);
    jsets(o, "rel", "enclosure");
    cJSON *links = jdefault_new(context(f), "links", jnew_array);
    cJSON_AddItemToArray(links, o);
}

static void start_source(struct fp *f, struct kv *a, size_t na)
{
    const char *url = attr_get(a, na, "url");
    if (url)
        jsets(f->source, "href", url);
    push(f, "source", true);
    f->insource = 1;
    f->title_depth = -1;
}

static void end_source(struct fp *f)
{
    f->insource = 0;
    char *v = pop(f, "source", true);
    if (v && *v)
        jsets(f->source, "title", v);
    free(v);
    jset(context(f), "source", f->source);
    f->source = jnew_object();
}

static void start_content(struct fp *f, struct kv *a, size_t na)
{
    f->has_content = true;
    push_content(f, "content", a, na, "text/plain", true);
    const char *src = attr_get(a, na, "src");
    if (src && *src)
        cp_set(&f->cp, CP_SRC, src);
    push(f, "content", true);
}

static void start_body(struct fp *f, struct kv *a, size_t na)
{
    push_content(f, "content", a, na, "application/xhtml+xml", true);
}

static void start_content_encoded(struct fp *f, struct kv *a, size_t na)
{
    f->has_content = true;
    push_content(f, "content", a, na, "text/html", true);
}

static void end_content(struct fp *f)
{
    char mtbuf[64], *mtheap;
    const char *mt = map_type_in(cp_str(&f->cp, CP_TYPE), mtbuf, sizeof(mtbuf), &mtheap);
    bool copy = fp_streq(mt, "text/plain") || fp_streq(mt, "text/html") ||
                fp_streq(mt, "application/xhtml+xml");
    free(mtheap);
    char *v = pop_content(f, "content");
    /* save(f, "summary", copy, false), copying the content (often large)
     * only when there is no summary yet */
    cJSON *ctx = copy && v ? context(f) : NULL;
    if (ctx && !fp_jget(ctx, "summary"))
        jadd(ctx, "summary", jnew_string(v));
    free(v);
}

static void start_newlocation(struct fp *f, struct kv *a, size_t na)
{
    push(f, "newlocation", true);
}

static void end_newlocation(struct fp *f)
{
    char *url = pop(f, "newlocation", true);
    if (url && context(f) == f->feed) {
        char *u = fp_safe_uri(f->baseuri, fp_strip(url));
        jsets(f->feed, "newlocation", u);
        free(u);
    }
    free(url);
}

static void start_tags(struct fp *f, struct kv *a, size_t na)
{
    push(f, "tags", true);
}

static void end_tags(struct fp *f)
{
    char *v = pop(f, "tags", true);
    if (!v)
        return;
    char *save_p = NULL;
    for (char *t = strtok_r(v, ",", &save_p); t; t = strtok_r(NULL, ",", &save_p))
        add_tag(f, fp_strip(t), NULL, NULL);
    free(v);
}

/* dc / dcterms */
static void start_dcterms_valid(struct fp *f, struct kv *a, size_t na)
{
    push(f, "validity", true);
}

static void end_dcterms_valid(struct fp *f)
{
    char *v = pop(f, "validity", true);
    if (!v)
        return;
    char *sp = NULL;
    for (char *part = strtok_r(v, ";", &sp); part; part = strtok_r(NULL, ";", &sp)) {
        char *eq = strchr(part, '=');
        if (!eq)
            continue;
        *eq = '\0';
        if (fp_streq(part, "start")) {
            save(f, "validity_start", jnew_string(eq + 1), true);
            save(f, "validity_start_parsed", date_tuple(eq + 1), true);
        } else if (fp_streq(part, "end")) {
            save(f, "validity_end", jnew_string(eq + 1), true);
            save(f, "validity_end_parsed", date_tuple(eq + 1), true);
        }
    }
    free(v);
}

static void start_dc_contributor(struct fp *f, struct kv *a, size_t na)
{
    f->incontributor = 1;
    cJSON *l = jdefault_new(context(f), "contributors", jnew_array);
    cJSON_AddItemToArray(l, jnew_object());
    push(f, "name", false);
}

static void end_dc_contributor(struct fp *f)
{
    end_name(f);
    f->incontributor = 0;
}

/* creative commons */
static void start_cc_license(struct fp *f, struct kv *a, size_t na)
{
    const char *v = attr_get(a, na, "rdf:resource");
    cJSON *o = jnew_object();
    jsets(o, "rel", "license");
    if (v && *v)
        jsets(o, "href", v);
    cJSON_AddItemToArray(jdefault_new(context(f), "links", jnew_array), o);
}

static void start_creativecommons_license(struct fp *f, struct kv *a, size_t na)
{
    push(f, "license", true);
}

static void end_creativecommons_license(struct fp *f)
{
    char *v = pop(f, "license", true);
    cJSON *ctx = context(f);
    cJSON *o = jnew_object();
    jsets(o, "rel", "license");
    if (v && *v)
        jsets(o, "href", v);
    cJSON_AddItemToArray(jdefault_new(ctx, "links", jnew_array), o);
    fp_jdel(ctx, "license");
    free(v);
}

/* itunes */
static void start_itunes_owner(struct fp *f, struct kv *a, size_t na)
{
    f->inpublisher = 1;
    push(f, "publisher", false);
}

static void end_itunes_owner(struct fp *f)
{
    pop_free(f, "publisher");
    f->inpublisher = 0;
    sync_author_detail(f, "publisher");
}

static void end_itunes_keywords(struct fp *f)
{
    char *v = pop(f, "itunes_keywords", true);
    if (!v)
        return;
    char *sp = NULL;
    for (char *t = strtok_r(v, ",", &sp); t; t = strtok_r(NULL, ",", &sp))
        if (*fp_strip(t))
            add_tag(f, t, "http://www.itunes.com/", NULL);
    free(v);
}

static void start_itunes_category(struct fp *f, struct kv *a, size_t na)
{
    add_tag(f, attr_get(a, na, "text"), "http://www.itunes.com/", NULL);
    push(f, "category", true);
}

static void start_itunes_image(struct fp *f, struct kv *a, size_t na)
{
    push(f, "itunes_image", false);
    const char *h = attr_get(a, na, "href");
    if (!h || !*h)
        h = attr_get(a, na, "url");
    if (h && *h && !entry_for_article_only(f, context(f))) {
        cJSON *o = jnew_object();
        jsets(o, "href", h);
        jset(context(f), "image", o);
    }
}

static void end_itunes_block(struct fp *f)
{
    char *v = pop(f, "itunes_block", false);
    jset(context(f), "itunes_block",
         cJSON_CreateNumber(v && (fp_streq(v, "yes") || fp_streq(v, "Yes")) ? 1 : 0));
    free(v);
}

static void end_itunes_explicit(struct fp *f)
{
    if (drop_unread(f, "itunes_explicit")) /* read in the detail tree only */
        return;
    char *v = pop(f, "itunes_explicit", false);
    cJSON *r;
    if (v && (fp_streq(v, "yes") || fp_streq(v, "true")))
        r = jnew_bool(true);
    else if (v && (fp_streq(v, "no") || fp_streq(v, "false") || fp_streq(v, "clean")))
        r = jnew_bool(false);
    else
        r = jnew_null();
    jset(context(f), "itunes_explicit", r);
    free(v);
}

/* media rss */
static void start_media_category(struct fp *f, struct kv *a, size_t na)
{
    const char *term = attr_get(a, na, "term");
    const char *scheme = attr_get(a, na, "scheme");
    if (!scheme)
        scheme = "http://search.yahoo.com/mrss/category_schema";
    add_tag(f, term, scheme, attr_get(a, na, "label"));
    push(f, "category", true);
}

static void end_media_keywords(struct fp *f)
{
    char *v = pop(f, "media_keywords", true);
    if (!v)
        return;
    char *sp = NULL;
    for (char *t = strtok_r(v, ",", &sp); t; t = strtok_r(NULL, ",", &sp))
        if (*fp_strip(t))
            add_tag(f, t, NULL, NULL);
    free(v);
}

static void end_media_title(struct fp *f)
{
    int d = f->title_depth;
    end_title(f);
    f->title_depth = d;
}

static void start_media_group(struct fp *f, struct kv *a, size_t na) {}

static void media_obj_start(struct fp *f, const char *key, const char *el, struct kv *a, size_t na)
{
    jdefault(context(f), key, attrs_obj(a, na));
    push(f, el, true);
}

static void media_obj_end(struct fp *f, const char *key, const char *el)
{
    char *v = pop(f, el, true);
    if (v && !is_blank(v, strlen(v))) {
        cJSON *o = fp_jget(context(f), key);
        if (o)
            jsets(o, "content", v);
    }
    free(v);
}

static void start_media_rating(struct fp *f, struct kv *a, size_t na)
{
    media_obj_start(f, "media_rating", "rating", a, na);
}
static void end_media_rating(struct fp *f)
{
    media_obj_end(f, "media_rating", "rating");
}
static void start_media_license(struct fp *f, struct kv *a, size_t na)
{
    media_obj_start(f, "media_license", "license", a, na);
}
static void end_media_license(struct fp *f)
{
    media_obj_end(f, "media_license", "license");
}
static void start_media_restriction(struct fp *f, struct kv *a, size_t na)
{
    media_obj_start(f, "media_restriction", "restriction", a, na);
}

static void end_media_restriction(struct fp *f)
{
    char *v = pop(f, "restriction", true);
    if (v && !is_blank(v, strlen(v))) {
        cJSON *o = fp_jget(context(f), "media_restriction");
        if (o) {
            cJSON *arr = jnew_array();
            char *p = v;
            for (;;) {
                char *sp = strchr(p, ' ');
                if (sp)
                    *sp = '\0';
                char *t = xstrdup(p);
                fp_strip(t);
                for (char *q = t; *q; q++)
                    *q = (char)tolower((unsigned char)*q);
                cJSON_AddItemToArray(arr, jnew_string(t));
                free(t);
                if (!sp)
                    break;
                p = sp + 1;
            }
            jset(o, "content", arr);
        }
    }
    free(v);
}

static void start_media_credit(struct fp *f, struct kv *a, size_t na)
{
    cJSON *l = jdefault_new(context(f), "media_credit", jnew_array);
    cJSON_AddItemToArray(l, attrs_obj(a, na));
    push(f, "credit", true);
}

static void end_media_credit(struct fp *f)
{
    char *v = pop(f, "credit", true);
    if (v && !is_blank(v, strlen(v))) {
        cJSON *l = fp_jget(context(f), "media_credit");
        int n = cJSON_GetArraySize(l);
        if (n)
            jsets(cJSON_GetArrayItem(l, n - 1), "content", v);
    }
    free(v);
}

static void start_media_content(struct fp *f, struct kv *a, size_t na)
{
    if (entry_for_article_only(f, context(f)))
        return;
    cJSON *l = jdefault_new(context(f), "media_content", jnew_array);
    cJSON_AddItemToArray(l, attrs_obj(a, na));
}

static void start_media_thumbnail(struct fp *f, struct kv *a, size_t na)
{
    cJSON *l = jdefault_new(context(f), "media_thumbnail", jnew_array);
    push(f, "url", true);
    cJSON_AddItemToArray(l, attrs_obj(a, na));
}

static void end_media_thumbnail(struct fp *f)
{
    char *v = pop(f, "url", true);
    cJSON *l = fp_jget(context(f), "media_thumbnail");
    int n = cJSON_GetArraySize(l);
    if (v && !is_blank(v, strlen(v)) && n) {
        cJSON *last = cJSON_GetArrayItem(l, n - 1);
        if (!fp_jget(last, "url"))
            jsets(last, "url", v);
    }
    free(v);
}

static void start_media_player(struct fp *f, struct kv *a, size_t na)
{
    push(f, "media_player", false);
    jset(context(f), "media_player", attrs_obj(a, na));
}

static void end_media_player(struct fp *f)
{
    char *v = pop(f, "media_player", true);
    cJSON *o = fp_jget(context(f), "media_player");
    if (o)
        jsets(o, "content", v);
    free(v);
}

/* psc */
static void start_psc_chapters(struct fp *f, struct kv *a, size_t na)
{
    cJSON *ctx = context(f);
    if (fp_jget(ctx, "psc_chapters"))
        return;
    f->psc_flag = true;
    cJSON *o = attrs_obj(a, na);
    jset(o, "chapters", jnew_array());
    jset(ctx, "psc_chapters", o);
}

static void end_psc_chapters(struct fp *f)
{
    f->psc_flag = false;
}

static void start_psc_chapter(struct fp *f, struct kv *a, size_t na)
{
    if (!f->psc_flag || entry_for_article_only(f, context(f)))
        return;
    const char *start = attr_get(a, na, "start");
    cJSON *o = attrs_obj(a, na);
    /* ^((\d{2}):)?(\d{2}):(\d{2})(\.(\d{3}))?$ */
    cJSON *parsed = jnew_null();
    if (start) {
        int h = 0, m = 0, s = 0, ms = 0, n = 0;
        size_t len = strlen(start);
        bool ok = false;
        if (len >= 5 && sscanf(start, "%2d:%2d:%2d%n", &h, &m, &s, &n) == 3 && n == 8 &&
            (len == 8 || (len == 12 && start[8] == '.' && sscanf(start + 9, "%3d", &ms) == 1)))
            ok = true;
        else if (h = 0, sscanf(start, "%2d:%2d%n", &m, &s, &n) == 2 && n == 5 &&
                            (len == 5 ||
                             (len == 9 && start[5] == '.' && sscanf(start + 6, "%3d", &ms) == 1)))
            ok = true;
        if (ok) {
            fp_jrecycle(parsed);
            parsed = cJSON_CreateNumber(h * 3600 + m * 60 + s + ms / 1000.0);
        }
    }
    jset(o, "start_parsed", parsed);
    cJSON *pc = fp_jget(context(f), "psc_chapters");
    cJSON *ch = fp_jget(pc, "chapters");
    if (ch)
        cJSON_AddItemToArray(ch, o);
    else
        fp_jrecycle(o);
}

/* admin */
static void start_admin_generatoragent(struct fp *f, struct kv *a, size_t na)
{
    const char *v = attr_get(a, na, "rdf:resource");
    push(f, "generator", true);
    if (v && *v)
        add_piece(f, v, strlen(v));
    free(pop(f, "generator", true));
    cJSON *o = jnew_object();
    jsets(o, "href", v);
    jset(context(f), "generator_detail", o);
}

static void start_admin_errorreportsto(struct fp *f, struct kv *a, size_t na)
{
    const char *v = attr_get(a, na, "rdf:resource");
    push(f, "errorreportsto", true);
    if (v && *v)
        add_piece(f, v, strlen(v));
    free(pop(f, "errorreportsto", true));
}

/* georss / gml */
static const int geog_cs[] = {
    3819, 3821, 3824, 3889, 3906, 4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008, 4009, 4010, 4011,
    4012, 4013, 4014, 4015, 4016, 4018, 4019, 4020, 4021, 4022, 4023, 4024, 4025, 4027, 4028, 4029,
    4030, 4031, 4032, 4033, 4034, 4035, 4036, 4041, 4042, 4043, 4044, 4045, 4046, 4047, 4052, 4053,
    4054, 4055, 4075, 4081, 4120, 4121, 4122, 4123, 4124, 4125, 4126, 4127, 4128, 4129, 4130, 4131,
    4132, 4133, 4134, 4135, 4136, 4137, 4138, 4139, 4140, 4141, 4142, 4143, 4144, 4145, 4146, 4147,
    4148, 4149, 4150, 4151, 4152, 4153, 4154, 4155, 4156, 4157, 4158, 4159, 4160, 4161, 4162, 4163,
    4164, 4165, 4166, 4167, 4168, 4169, 4170, 4171, 4172, 4173, 4174, 4175, 4176, 4178, 4179, 4180,
    4181, 4182, 4183, 4184, 4185, 4188, 4189, 4190, 4191, 4192, 4193, 4194, 4195, 4196, 4197, 4198,
    4199, 4200, 4201, 4202, 4203, 4204, 4205, 4206, 4207, 4208, 4209, 4210, 4211, 4212, 4213, 4214,
    4215, 4216, 4218, 4219, 4220, 4221, 4222, 4223, 4224, 4225, 4226, 4227, 4228, 4229, 4230, 4231,
    4232, 4233, 4234, 4235, 4236, 4237, 4238, 4239, 4240, 4241, 4242, 4243, 4244, 4245, 4246, 4247,
    4248, 4249, 4250, 4251, 4252, 4253, 4254, 4255, 4256, 4257, 4258, 4259, 4260, 4261, 4262, 4263,
    4264, 4265, 4266, 4267, 4268, 4269, 4270, 4271, 4272, 4273, 4274, 4275, 4276, 4277, 4278, 4279,
    4280, 4281, 4282, 4283, 4284, 4285, 4286, 4287, 4288, 4289, 4291, 4292, 4293, 4294, 4295, 4296,
    4297, 4298, 4299, 4300, 4301, 4302, 4303, 4304, 4306, 4307, 4308, 4309, 4310, 4311, 4312, 4313,
    4314, 4315, 4316, 4317, 4318, 4319, 4322, 4324, 4326, 4463, 4470, 4475, 4483, 4490, 4555, 4558,
    4600, 4601, 4602, 4603, 4604, 4605, 4606, 4607, 4608, 4609, 4610, 4611, 4612, 4613, 4614, 4615,
    4616, 4617, 4618, 4619, 4620, 4621, 4622, 4623, 4624, 4625, 4626, 4627, 4628, 4629, 4630, 4631,
    4632, 4633, 4634, 4635, 4636, 4637, 4638, 4639, 4640, 4641, 4642, 4643, 4644, 4645, 4646, 4657,
    4658, 4659, 4660, 4661, 4662, 4663, 4664, 4665, 4666, 4667, 4668, 4669, 4670, 4671, 4672, 4673,
    4674, 4675, 4676, 4677, 4678, 4679, 4680, 4681, 4682, 4683, 4684, 4685, 4686, 4687, 4688, 4689,
    4690, 4691, 4692, 4693, 4694, 4695, 4696, 4697, 4698, 4699, 4700, 4701, 4702, 4703, 4704, 4705,
    4706, 4707, 4708, 4709, 4710, 4711, 4712, 4713, 4714, 4715, 4716, 4717, 4718, 4719, 4720, 4721,
    4722, 4723, 4724, 4725, 4726, 4727, 4728, 4729, 4730, 4731, 4732, 4733, 4734, 4735, 4736, 4737,
    4738, 4739, 4740, 4741, 4742, 4743, 4744, 4745, 4746, 4747, 4748, 4749, 4750, 4751, 4752, 4753,
    4754, 4755, 4756, 4757, 4758, 4759, 4760, 4761, 4762, 4763, 4764, 4765, 4801, 4802, 4803, 4804,
    4805, 4806, 4807, 4808, 4809, 4810, 4811, 4813, 4814, 4815, 4816, 4817, 4818, 4819, 4820, 4821,
    4823, 4824, 4901, 4902, 4903, 4904, 4979,
};

/* Coordinates of a GeoRSS/GML list: pairs (or triples) of numbers, each
 * pair swapped to (lon, lat) when swap. NULL when a number is invalid. */
static cJSON *geo_coords(const char *value, bool swap, int dims)
{
    char *v = xstrdup(value ? value : "");
    for (char *p = v; *p; p++)
        if (*p == ',')
            *p = ' ';
    double nums[3];
    int n = 0;
    cJSON *list = jnew_array();
    char *sp = NULL;
    for (char *t = strtok_r(v, " \t\n\r\f\v", &sp); t; t = strtok_r(NULL, " \t\n\r\f\v", &sp)) {
        char *end;
        double d = strtod(t, &end);
        if (end == t || *end) {
            fp_jrecycle(list);
            free(v);
            return NULL;
        }
        nums[n++] = d;
        if (n == dims || (n == 2 && dims != 3)) {
            double tup[3] = {swap ? nums[1] : nums[0], swap ? nums[0] : nums[1], nums[2]};
            cJSON_AddItemToArray(list, cJSON_CreateDoubleArray(tup, dims == 3 ? 3 : 2));
            n = 0;
        }
    }
    free(v);
    return list;
}

static cJSON *geo_shape(const char *type, cJSON *coords)
{
    cJSON *o = jnew_object();
    jsets(o, "type", type);
    cJSON_AddItemToObject(o, "coordinates", coords);
    return o;
}

static cJSON *geo_point(const char *v, bool swap, int dims)
{
    cJSON *c = geo_coords(v, swap, dims);
    if (!c || !cJSON_GetArraySize(c)) {
        fp_jrecycle(c);
        return NULL;
    }
    cJSON *first = cJSON_DetachItemFromArray(c, 0);
    fp_jrecycle(c);
    return geo_shape("Point", first);
}

static cJSON *geo_line(const char *v, bool swap, int dims)
{
    cJSON *c = geo_coords(v, swap, dims);
    return c ? geo_shape("LineString", c) : NULL;
}

static cJSON *geo_polygon(const char *v, bool swap, int dims)
{
    cJSON *c = geo_coords(v, swap, dims);
    if (!c || cJSON_GetArraySize(c) < 4) {
        fp_jrecycle(c);
        return NULL;
    }
    cJSON *ring = jnew_array();
    cJSON_AddItemToArray(ring, c);
    return geo_shape("Polygon", ring);
}

static void save_where(struct fp *f, cJSON *g)
{
    if (!g)
        return;
    cJSON *w = fp_jget(context(f), "where");
    if (!w) {
        w = jnew_object();
        jset(context(f), "where", w);
    }
    cJSON *it = g->child;
    while (it) {
        cJSON *next = it->next;
        char *k = xstrdup(it->string);
        cJSON_DetachItemViaPointer(g, it);
        jset(w, k, it);
        free(k);
        it = next;
    }
    fp_jrecycle(g);
}

static void start_georssgeom(struct fp *f, struct kv *a, size_t na)
{
    push(f, "geometry", false);
    jset(context(f), "where", jnew_object());
}

static void end_georss_point(struct fp *f)
{
    char *v = pop(f, "geometry", true);
    save_where(f, geo_point(v, true, 2));
    free(v);
}

static void end_georss_line(struct fp *f)
{
    char *v = pop(f, "geometry", true);
    save_where(f, geo_line(v, true, 2));
    free(v);
}

static void end_georss_polygon(struct fp *f)
{
    char *v = pop(f, "geometry", true);
    save_where(f, geo_polygon(v, true, 2));
    free(v);
}

static void end_georss_box(struct fp *f)
{
    char *v = pop(f, "geometry", true);
    cJSON *c = geo_coords(v, true, 2);
    if (c)
        save_where(f, geo_shape("Box", c));
    free(v);
}

static void start_where(struct fp *f, struct kv *a, size_t na)
{
    push(f, "where", false);
    jset(context(f), "where", jnew_object());
}

static void end_where(struct fp *f)
{
    pop_free(f, "where");
}

static void srs_attrs(struct fp *f, struct kv *a, size_t na)
{
    const char *name = attr_get(a, na, "srsname");
    const char *dim = attr_get(a, na, "srsdimension");
    long d = 2;
    if (dim) {
        char *end;
        d = strtol(dim, &end, 10);
        if (end == dim || *end)
            d = 2;
    }
    cJSON *ctx = context(f);
    cJSON *w = fp_jget(ctx, "where");
    if (!w) {
        w = jnew_object();
        jset(ctx, "where", w);
    }
    jsets(w, "srsName", name);
    jset(w, "srsDimension", cJSON_CreateNumber((double)d));
}

static void start_gml_point(struct fp *f, struct kv *a, size_t na)
{
    srs_attrs(f, a, na);
    f->ingeometry = GEO_POINT;
    push(f, "geometry", false);
}

static void start_gml_linestring(struct fp *f, struct kv *a, size_t na)
{
    srs_attrs(f, a, na);
    f->ingeometry = GEO_LINESTRING;
    push(f, "geometry", false);
}

static void start_gml_polygon(struct fp *f, struct kv *a, size_t na)
{
    srs_attrs(f, a, na);
    push(f, "geometry", false);
}

static void start_gml_exterior(struct fp *f, struct kv *a, size_t na)
{
    push(f, "geometry", false);
}

static void start_gml_linearring(struct fp *f, struct kv *a, size_t na)
{
    f->ingeometry = GEO_POLYGON;
    push(f, "geometry", false);
}

static void start_gml_pos(struct fp *f, struct kv *a, size_t na)
{
    push(f, "pos", false);
}

/* swap and dimensions from the srsName/srsDimension of `where` */
static void srs_of(struct fp *f, bool *swap, int *dims)
{
    cJSON *w = fp_jget(context(f), "where");
    const char *name = fp_jstr(w, "srsName");
    cJSON *d = fp_jget(w, "srsDimension");
    *dims = cJSON_IsNumber(d) ? d->valueint : 2;
    *swap = true;
    if (name && strstr(name, "EPSG")) {
        const char *colon = strrchr(name, ':');
        long epsg = strtol(colon ? colon + 1 : name, NULL, 10);
        *swap = false;
        for (size_t i = 0; i < sizeof(geog_cs) / sizeof(geog_cs[0]); i++)
            if (geog_cs[i] == epsg)
                *swap = true;
    }
}

static void end_gml_pos(struct fp *f)
{
    char *v = pop(f, "pos", true);
    bool swap;
    int dims;
    srs_of(f, &swap, &dims);
    save_where(f, geo_point(v, swap, dims));
    free(v);
}

static void end_gml_poslist(struct fp *f)
{
    char *v = pop(f, "pos", true);
    bool swap;
    int dims;
    srs_of(f, &swap, &dims);
    if (f->ingeometry == GEO_LINESTRING) {
        save_where(f, geo_line(v, swap, dims));
    } else if (f->ingeometry == GEO_POLYGON) {
        cJSON *c = geo_coords(v, swap, dims);
        if (c) {
            cJSON *ring = jnew_array();
            cJSON_AddItemToArray(ring, c);
            save_where(f, geo_shape("Polygon", ring));
        }
    }
    free(v);
}

static void end_geom(struct fp *f)
{
    f->ingeometry = 0;
    pop_free(f, "geometry");
}

static void end_dc_author(struct fp *f)
{
    end_author(f);
}

static const struct handler {
    const char *name;
    start_fn start;
    end_fn end;
} handlers[] = {
    {"rss", start_rss, NULL},
    {"channel", start_channel, end_channel},
    {"feed", start_feed, end_channel},
    {"image", start_image, end_image},
    {"textinput", start_textinput, end_textinput},
    {"author", start_author, end_author},
    {"managingeditor", start_author, end_author},
    {"contributor", start_contributor, end_contributor},
    {"name", start_name, end_name},
    {"width", start_width, end_width},
    {"height", start_height, end_height},
    {"url", start_url, end_url},
    {"homepage", start_url, end_url},
    {"uri", start_url, end_url},
    {"email", start_email, end_email},
    {"subtitle", start_subtitle, end_subtitle},
    {"tagline", start_subtitle, end_subtitle},
    {"rights", start_rights, end_rights},
    {"copyright", start_rights, end_rights},
    {"item", start_item, end_item},
    {"entry", start_item, end_item},
    {"language", start_language, end_language},
    {"webmaster", start_webmaster, end_webmaster},
    {"published", start_published, end_published},
    {"issued", start_published, end_published},
    {"pubdate", start_published, end_published},
    {"updated", start_updated, end_updated},
    {"modified", start_updated, end_updated},
    {"lastbuilddate", start_updated, end_updated},
    {"created", start_created, end_created},
    {"expirationdate", start_expirationdate, end_expirationdate},
    {"category", start_category, end_category},
    {"keywords", start_category, end_category},
    {"cloud", start_cloud, NULL},
    {"link", start_link, end_link},
    {"guid", start_guid, end_guid},
    {"id", start_guid, end_guid},
    {"title", start_title, end_title},
    {"description", start_description, end_description},
    {"abstract", start_abstract, end_description},
    {"info", start_info, end_info},
    {"feedburner_browserfriendly", start_info, end_info},
    {"generator", start_generator, end_generator},
    {"summary", start_summary, end_summary},
    {"enclosure", start_enclosure, NULL},
    {"source", start_source, end_source},
    {"content", start_content, end_content},
    {"body", start_body, end_content},
    {"xhtml_body", start_body, end_content},
    {"content_encoded", start_content_encoded, end_content},
    {"fullitem", start_content_encoded, end_content},
    {"newlocation", start_newlocation, end_newlocation},
    {"tags", start_tags, end_tags},
    {"dc_author", start_author, end_dc_author},
    {"dc_creator", start_author, end_dc_author},
    {"dc_date", start_updated, end_updated},
    {"dc_description", start_description, end_description},
    {"dc_language", start_language, end_language},
    {"dc_publisher", start_webmaster, end_webmaster},
    {"dc_rights", start_rights, end_rights},
    {"dc_subject", start_category, end_category},
    {"dc_title", start_title, end_title},
    {"dcterms_created", start_created, end_created},
    {"dcterms_issued", start_published, end_published},
    {"dcterms_modified", start_updated, end_updated},
    {"dcterms_valid", start_dcterms_valid, end_dcterms_valid},
    {"dc_contributor", start_dc_contributor, end_dc_contributor},
    {"cc_license", start_cc_license, NULL},
    {"creativecommons_license", start_creativecommons_license, end_creativecommons_license},
    {"itunes_author", start_author, end_author},
    {"itunes_category", start_itunes_category, end_category},
    {"itunes_name", start_name, end_name},
    {"itunes_email", start_email, end_email},
    {"itunes_subtitle", start_subtitle, end_subtitle},
    {"itunes_summary", start_summary, end_summary},
    {"itunes_owner", start_itunes_owner, end_itunes_owner},
    {"itunes_keywords", NULL, end_itunes_keywords},
    {"itunes_image", start_itunes_image, NULL},
    {"itunes_link", start_itunes_image, NULL},
    {"itunes_block", NULL, end_itunes_block},
    {"itunes_explicit", NULL, end_itunes_explicit},
    {"media_category", start_media_category, end_category},
    {"media_keywords", NULL, end_media_keywords},
    {"media_title", start_title, end_media_title},
    {"media_group", start_media_group, NULL},
    {"media_rating", start_media_rating, end_media_rating},
    {"media_credit", start_media_credit, end_media_credit},
    {"media_description", start_description, end_description},
    {"media_restriction", start_media_restriction, end_media_restriction},
    {"media_license", start_media_license, end_media_license},
    {"media_content", start_media_content, NULL},
    {"media_thumbnail", start_media_thumbnail, end_media_thumbnail},
    {"media_player", start_media_player, end_media_player},
    {"psc_chapters", start_psc_chapters, end_psc_chapters},
    {"psc_chapter", start_psc_chapter, NULL},
    {"admin_generatoragent", start_admin_generatoragent, NULL},
    {"admin_errorreportsto", start_admin_errorreportsto, NULL},
    {"georss_point", start_georssgeom, end_georss_point},
    {"georss_line", start_georssgeom, end_georss_line},
    {"georss_polygon", start_georssgeom, end_georss_polygon},
    {"georss_box", start_georssgeom, end_georss_box},
    {"where", start_where, end_where},
    {"georss_where", start_where, end_where},
    {"gml_point", start_gml_point, end_geom},
    {"gml_linestring", start_gml_linestring, end_geom},
    {"gml_polygon", start_gml_polygon, end_geom},
    {"gml_exterior", start_gml_exterior, end_geom},
    {"gml_linearring", start_gml_linearring, end_geom},
    {"gml_pos", start_gml_pos, end_gml_pos},
    {"gml_poslist", start_gml_pos, end_gml_poslist},
};

/* The keys of an entry that a rule here or fpglue.c may read back, for
 * elements without a handler (which store their text, or attributes, under
 * their own name): without the detail tree any other such key is written
 * only to be thrown away with the entry, so it is not written at all
 * (see drop_unread). Kept generously: every key read by name anywhere,
 * the author/publisher/contributor families and any "*_detail" or
 * "*_parsed". A key missing here would change articles only with detail
 * off, which test_fpdetail.c compares against detail on. Sorted. */
static const char *const entry_keys_read[] = {
    "author",
    "author_detail",
    "authors",
    "chapters",
    "content",
    "contributor",
    "contributors",
    "created",
    "description",
    "email",
    "generator",
    "guidislink",
    "href",
    "id",
    "image",
    "label",
    "language",
    "license",
    "link",
    "links",
    "media_content",
    "media_credit",
    "media_license",
    "media_player",
    "media_rating",
    "media_restriction",
    "media_thumbnail",
    "name",
    "psc_chapters",
    "published",
    "publisher",
    "publishers",
    "rel",
    "scheme",
    "source",
    "subtitle",
    "summary",
    "tags",
    "term",
    "textinput",
    "title",
    "type",
    "updated",
    "url",
    "value",
    "where",
};

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool entry_key_read(const char *k)
{
    return str_ends_with(k, "_detail") || str_ends_with(k, "_parsed") ||
           bsearch(&k, entry_keys_read, sizeof(entry_keys_read) / sizeof(entry_keys_read[0]),
                   sizeof(entry_keys_read[0]), key_cmp);
}

static const struct handler *find_handler(const char *name)
{
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if (handlers[i].name[0] == name[0] && fp_streq(handlers[i].name, name))
            return &handlers[i];
    return NULL;
}
#undef A

/* ---- generic start/end --------------------------------------------------------- */

static const char *mapped_prefix(struct fp *f, const char *prefix)
{
    const char *m = fp_jstr(f->nsmap, prefix);
    return m ? m : prefix;
}

static void strattrs(struct buf *b, const struct kv *a, size_t na)
{
    for (size_t i = 0; i < na; i++) {
        buf_addch(b, ' ');
        buf_addstr(b, a[i].k);
        buf_add(b, "=\"", 2);
        for (const char *p = a[i].v; *p;) {
            size_t run = strcspn(p, "&<>\""); /* copied as it is */
            buf_add(b, p, run);
            p += run;
            switch (*p) {
            case '&': buf_add(b, "&amp;", 5); break;
            case '<': buf_add(b, "&lt;", 4); break;
            case '>': buf_add(b, "&gt;", 4); break;
            case '"': buf_add(b, "&quot;", 6); break;
            default: continue; /* the end */
            }
            p++;
        }
        buf_addch(b, '"');
    }
}

static bool ends_xml(const char *t)
{
    return !t || str_ends_with(t, "xml");
}

/* ni->name and what follows from it, for the qualified tag ni->tag; name
 * holds the handler name (cap bytes). */
static void name_derive(struct fp *f, struct name_info *ni, char *name, size_t cap)
{
    const char *tag0 = ni->tag;
    char prefix[64] = "", suffix[256];
    const char *colon = strchr(tag0, ':');
    if (colon) {
        size_t pl = (size_t)(colon - tag0) < sizeof(prefix) - 1 ? (size_t)(colon - tag0)
                                                                : sizeof(prefix) - 1;
        memcpy(prefix, tag0, pl);
        prefix[pl] = '\0';
        cat3(suffix, sizeof(suffix), colon + 1, "", "");
    } else {
        cat3(suffix, sizeof(suffix), tag0, "", "");
    }
    const char *mp = mapped_prefix(f, prefix);
    cat3(name, cap, mp, *mp ? "_" : "", suffix);
    ni->name = name;
    ni->svg = fp_streq(suffix, "svg");
    ni->h = find_handler(name);
    ni->unread = !ni->h && !entry_key_read(name);
    ni->ends_textinput = !*mp && strcmp(tag0, "title") && strcmp(tag0, "link") &&
                         strcmp(tag0, "description") && strcmp(tag0, "name");
    ni->ends_image = !*mp && strcmp(tag0, "title") && strcmp(tag0, "link") &&
                     strcmp(tag0, "description") && strcmp(tag0, "url") && strcmp(tag0, "href") &&
                     strcmp(tag0, "width") && strcmp(tag0, "height");
}

static void unknown_start_ni(struct fp *f, const struct name_info *ni, struct kv *a, size_t na);

/* The xml:base and xml:lang stacks: an element that changes neither (the
 * usual case) shares the string of the element below, so an entry of
 * v[0..n) is owned only when it differs from the one under it. */
static char *scope_value(char **v, size_t n, const char *cur)
{
    if (n && (v[n - 1] == cur || (v[n - 1] && cur && fp_streq(v[n - 1], cur))))
        return v[n - 1];
    return xs(cur);
}

static void scope_free(char **v, size_t i)
{
    if (!i || v[i] != v[i - 1])
        free(v[i]);
}

/* unknown_start for a tag named by a handler rather than by the document. */
static void unknown_start(struct fp *f, const char *tag0, struct kv *a, size_t na)
{
    char tag[256], name[400];
    cat3(tag, sizeof(tag), tag0, "", "");
    struct name_info ni = {.tag = tag};
    name_derive(f, &ni, name, sizeof(name));
    unknown_start_ni(f, &ni, a, na);
}

static void unknown_start_ni(struct fp *f, const struct name_info *ni, struct kv *a, size_t na)
{
    const char *tag0 = ni->tag;
    f->depth++;
    /* attr_get() of the four keys below, in one pass over the attributes */
    const char *xml_base = NULL, *plain_base = NULL, *xml_lang = NULL, *plain_lang = NULL;
    for (size_t i = 0; i < na; i++) {
        const char *k = a[i].k;
        if (k[0] == 'x') {
            if (fp_streq(k, "xml:base"))
                xml_base = a[i].v;
            else if (fp_streq(k, "xml:lang"))
                xml_lang = a[i].v;
        } else if (k[0] == 'b' && fp_streq(k, "base")) {
            plain_base = a[i].v;
        } else if (k[0] == 'l' && fp_streq(k, "lang")) {
            plain_lang = a[i].v;
        }
    }
    const char *base = xml_base ? xml_base : plain_base;
    if (base && *base) {
        char *nb;
        if (f->baseuri && *f->baseuri) {
            nb = fp_safe_uri(f->baseuri, base);
            if (!*nb) {
                free(nb);
                nb = xstrdup(f->baseuri);
            }
        } else {
            nb = fp_urljoin("", base);
        }
        free(f->baseuri);
        f->baseuri = nb;
        f->base_top_same = false;
    }
    const char *lang = xml_lang ? xml_lang : plain_lang;
    if (lang) { /* else the language in effect stays */
        free(f->lang);
        f->lang = *lang ? xstrdup(lang) : NULL;
    }
    const char *newlang = f->lang;
    if (newlang && *newlang && (fp_streq(tag0, "feed") || fp_streq(tag0, "rss"))) {
        char *l = xstrdup(newlang);
        for (char *p = l; *p; p++)
            if (*p == '_')
                *p = '-';
        jsets(f->feed, "language", l);
        free(l);
    }
    XGROW(f->bases, f->nbl + 1, f->capbl);
    XGROW(f->langs, f->nbl + 1, f->capl);
    f->bases[f->nbl] = f->nbl && f->base_top_same ? f->bases[f->nbl - 1]
                                                  : scope_value(f->bases, f->nbl, f->baseuri);
    f->base_top_same = true; /* the entry is baseuri, or a copy of it */
    f->langs[f->nbl] = scope_value(f->langs, f->nbl, f->lang);
    f->nbl++;

    const char *ctype = cp_str(&f->cp, CP_TYPE);
    if (f->incontent && !ends_xml(ctype ? ctype : "xml")) {
        if (fp_streq(tag0, "xhtml:div") || fp_streq(tag0, "div"))
            return;
        cp_set(&f->cp, CP_TYPE, "application/xhtml+xml");
    }
    ctype = cp_str(&f->cp, CP_TYPE);
    if (f->incontent && ctype && fp_streq(ctype, "application/xhtml+xml")) {
        const char *tag = tag0;
        const char *colon = strchr(tag0, ':');
        struct kv extra = {0};
        if (colon) {
            char prefix[64];
            size_t pl = (size_t)(colon - tag0) < sizeof(prefix) - 1 ? (size_t)(colon - tag0)
                                                                    : sizeof(prefix) - 1;
            memcpy(prefix, tag0, pl);
            prefix[pl] = '\0';
            tag = colon + 1;
            const char *ns = fp_jstr(f->nsuse, prefix);
            if (!ns)
                ns = "";
            if ((fp_streq(tag, "math") && fp_streq(ns, "http://www.w3.org/1998/Math/MathML")) ||
                (fp_streq(tag, "svg") && fp_streq(ns, "http://www.w3.org/2000/svg"))) {
                extra.k = (char *)"xmlns";
                extra.v = (char *)ns;
            }
        }
        if (fp_streq(tag, "svg"))
            f->svgok++;
        struct buf b = BUF_INIT;
        buf_addch(&b, '<');
        buf_addstr(&b, tag);
        strattrs(&b, a, na);
        if (extra.k)
            strattrs(&b, &extra, 1);
        buf_addch(&b, '>');
        handle_data(f, b.ptr, b.len, false);
        buf_release(&b);
        return;
    }
    if (ni->ends_textinput)
        f->intextinput = 0;
    if (ni->ends_image)
        f->inimage = 0;
    const struct handler *h = ni->h;
    if (h && h->start) {
        h->start(f, a, na);
        return;
    }
    if (na == 0) {
        push(f, ni->name, true);
        return;
    }
    cJSON *ctx = context(f);
    if (ni->unread && entry_for_article_only(f, ctx))
        return; /* nobody would read it (see entry_keys_read) */
    jset(ctx, ni->name, attrs_obj(a, na));
}

/* Close the element on top, named name, without pop()'s work when what pop
 * would do comes down to storing a key of the entry nobody reads without the
 * detail tree (an element without a handler whose key is not in
 * entry_keys_read, itunes:explicit): outside any text construct, the
 * content params that pop() consults are empty, and an entry key is its
 * only effect. */
static bool drop_unread(struct fp *f, const char *name)
{
    if (f->c->opts->detail || !f->inentry || f->insource || f->incontent || f->cp.n || !f->nstack ||
        !cur_entry(f))
        return false;
    struct elem *e = &f->stack[f->nstack - 1];
    if (!fp_streq(e->name, name))
        return false;
    f->nstack--;
    elem_close(e);
    return true;
}

static void unknown_end(struct fp *f, const struct name_info *ni)
{
    const char *tag0 = ni->tag;
    if (ni->svg && f->svgok)
        f->svgok--;
    const struct handler *h = f->svgok ? NULL : ni->h;
    if (h && h->end)
        h->end(f);
    else if (!(ni->unread && drop_unread(f, ni->name)))
        pop_free(f, ni->name);
    const char *ctype = cp_str(&f->cp, CP_TYPE);
    if (f->incontent && !ends_xml(ctype ? ctype : "xml")) {
        if (fp_streq(tag0, "xhtml:div") || fp_streq(tag0, "div"))
            return;
        cp_set(&f->cp, CP_TYPE, "application/xhtml+xml");
    }
    ctype = cp_str(&f->cp, CP_TYPE);
    if (f->incontent && ctype && fp_streq(ctype, "application/xhtml+xml")) {
        const char *t = strrchr(tag0, ':');
        t = t ? t + 1 : tag0;
        struct buf b = BUF_INIT;
        buf_add(&b, "</", 2);
        buf_addstr(&b, t);
        buf_addch(&b, '>');
        handle_data(f, b.ptr, b.len, false);
        buf_release(&b);
    }
    if (f->nbl) {
        f->nbl--;
        /* baseuri equals the entry below when it equals this one and the
         * element did not change the base (the two share a string) */
        bool same = f->base_top_same && f->nbl && f->bases[f->nbl] == f->bases[f->nbl - 1];
        scope_free(f->bases, f->nbl);
        scope_free(f->langs, f->nbl);
        /* (copied only when they differ: usually nothing changed) */
        const char *pb = f->nbl ? f->bases[f->nbl - 1] : NULL;
        if (!same && pb && *pb && (!f->baseuri || strcmp(f->baseuri, pb))) {
            free(f->baseuri);
            f->baseuri = xstrdup(pb);
        }
        f->base_top_same = same || (pb && *pb);
        const char *pl = f->nbl ? f->langs[f->nbl - 1] : NULL;
        if (f->nbl && !(pl && f->lang && fp_streq(pl, f->lang)) && (pl || f->lang)) {
            free(f->lang);
            f->lang = xs(pl);
        }
    }
    f->depth--;
}

/* ---- libxml2 SAX ----------------------------------------------------------------- */

static void name_cache_clear(struct fp *f)
{
    if (!f->nnames)
        return;
    /* only the slots in use: namespace declarations clear the table,
     * often several times at the start of a small document */
    for (size_t k = 0; k < f->nnames; k++) {
        struct name_info *ni = &f->names[f->name_used[k]];
        free(ni->tag);
        free(ni->name);
        memset(ni, 0, sizeof(*ni));
    }
    f->nnames = 0;
}

/* o[k] = v for the namespace maps, forgetting the names worked out so far
 * when that changes what a name means (a document usually declares each
 * namespace once, or the same way again on many elements). */
static void ns_set(struct fp *f, cJSON *o, const char *k, const char *v)
{
    const char *old = fp_jstr(o, k);
    if (old && fp_streq(old, v))
        return;
    name_cache_clear(f);
    f->ns_gen++;
    jsets(o, k, v);
}

static void track_namespace(struct fp *f, const char *prefix, const char *uri)
{
    char low[512];
    cat3(low, sizeof(low), uri, "", "");
    for (char *p = low; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!f->version[0]) {
        if (!prefix && fp_streq(low, "http://my.netscape.com/rdf/simple/0.9/"))
            snprintf(f->version, sizeof(f->version), "rss090");
        else if (fp_streq(low, "http://purl.org/rss/1.0/"))
            snprintf(f->version, sizeof(f->version), "rss10");
        else if (fp_streq(low, "http://www.w3.org/2005/atom"))
            snprintf(f->version, sizeof(f->version), "atom10");
    }
    if (strstr(low, "backend.userland.com/rss")) {
        uri = "http://backend.userland.com/rss";
        snprintf(low, sizeof(low), "%s", uri);
    }
    const char *kp = known_prefix(low);
    if (kp) {
        if (prefix)
            ns_set(f, f->nsmap, prefix, kp);
        ns_set(f, f->nsuse, kp, uri);
    } else {
        ns_set(f, f->nsuse, prefix ? prefix : "", uri);
    }
}

/* Element name as the strict feedparser sees it: "prefix:local" lower-cased
 * with feedparser's prefix for known namespaces. */
static void qualified(struct fp *f, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      char *out, size_t cap)
{
    const char *l = (const char *)local;
    if (uri) {
        const char *kp = known_prefix((const char *)uri);
        if (kp) {
            cat3(out, cap, kp, *kp ? ":" : "", l);
        } else {
            const char *pf = NULL;
            cJSON *it;
            cJSON_ArrayForEach(it, f->nsuse) if (it->string && *it->string && fp_jis_string(it) &&
                                                 fp_streq(it->valuestring, (const char *)uri))
            {
                pf = it->string;
                break;
            }
            cat3(out, cap, pf ? pf : "", pf ? ":" : "", l);
        }
    } else if (prefix) {
        cat3(out, cap, (const char *)prefix, ":", l);
    } else {
        cat3(out, cap, l, "", "");
    }
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
}

static bool dict_owns(const struct fp *f, const xmlChar *s)
{
    return !s || xmlDictOwns(f->pctx->dict, s) == 1;
}

/* What the element (local, prefix, uri) means: from the table when seen
 * before, else worked out and remembered when libxml2's dictionary holds
 * the three strings (so their pointers name them for the whole parse). */
static const struct name_info *name_of(struct fp *f, const xmlChar *local, const xmlChar *prefix,
                                       const xmlChar *uri)
{
    uintptr_t k = ((uintptr_t)local * 0x9E3779B1u) ^ ((uintptr_t)prefix * 0x85EBCA77u) ^
                  ((uintptr_t)uri * 0xC2B2AE3Du);
    size_t i = (size_t)(k ^ (k >> 17) ^ (k >> 29)) & (NAME_SLOTS - 1);
    if (f->names) {
        for (; f->names[i].local; i = (i + 1) & (NAME_SLOTS - 1)) {
            const struct name_info *ni = &f->names[i];
            if (ni->local == local && ni->prefix == prefix && ni->uri == uri)
                return ni;
        }
    }
    char tag[256], name[400];
    qualified(f, local, prefix, uri, tag, sizeof(tag));
    struct name_info *ni = &f->scratch;
    bool keep = f->nnames < NAME_SLOTS / 2 && f->pctx && dict_owns(f, local) &&
                dict_owns(f, prefix) && dict_owns(f, uri);
    if (keep) {
        if (!f->names)
            f->names = xcalloc(NAME_SLOTS, sizeof(*f->names));
        ni = &f->names[i]; /* the free slot the probe ended on */
        ni->tag = xstrdup(tag);
        name_derive(f, ni, name, sizeof(name));
        ni->name = xstrdup(name);
        ni->local = local;
        ni->prefix = prefix;
        ni->uri = uri;
        f->name_used[f->nnames++] = (uint8_t)i;
        return ni;
    }
    memcpy(f->scratch_tag, tag, sizeof(tag));
    ni->tag = f->scratch_tag;
    name_derive(f, ni, f->scratch_name, sizeof(f->scratch_name));
    return ni;
}

/* An attribute value as the application sees it: libxml2 leaves character
 * references and predefined entities escaped when it does not substitute
 * entities. Appended to *out with its NUL. */
static void attr_value(struct buf *out, const char *v, size_t n)
{
    if (!memchr(v, '&', n)) {
        fbuf_add(out, v, n);
        fbuf_addch(out, '\0');
        return;
    }
    struct buf b = *out; /* appended to in place, then the NUL kept */
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '&') {
            static const char *const pre[][2] = {
                {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""}, {"apos;", "'"}};
            bool done = false;
            for (int k = 0; k < 5 && !done; k++) {
                size_t l = strlen(pre[k][0]);
                if (i + 1 + l <= n && !memcmp(v + i + 1, pre[k][0], l)) {
                    buf_addstr(&b, pre[k][1]);
                    i += l;
                    done = true;
                }
            }
            if (done)
                continue;
            if (i + 2 < n && v[i + 1] == '#') {
                bool hex = v[i + 2] == 'x';
                size_t k = i + 2 + hex;
                unsigned long cp = 0;
                size_t st = k;
                while (k < n &&
                       (hex ? isxdigit((unsigned char)v[k]) : isdigit((unsigned char)v[k])) &&
                       k - st < 8) {
                    cp = cp * (hex ? 16 : 10) +
                         (unsigned long)(isdigit((unsigned char)v[k])
                                             ? v[k] - '0'
                                             : tolower((unsigned char)v[k]) - 'a' + 10);
                    k++;
                }
                if (k > st && k < n && v[k] == ';' && cp && cp <= 0x10FFFF) {
                    char u[8];
                    int l = xmlCopyCharMultiByte((xmlChar *)u, (int)cp);
                    if (l > 0)
                        buf_add(&b, u, (size_t)l);
                    i = k;
                    continue;
                }
            }
            fbuf_addch(&b, '&');
            continue;
        }
        /* the run up to the next reference, as it is */
        const char *amp = memchr(v + i, '&', n - i);
        size_t run = amp ? (size_t)(amp - (v + i)) : n - i;
        fbuf_add(&b, v + i, run);
        i += run - 1;
    }
    fbuf_addch(&b, '\0');
    *out = b;
}

/* Was the declaration (prefix, uri) taken into account with the maps as
 * they are? (Entries hold ns_gen + 1, so a zeroed one never matches.) */
static bool ns_seen(const struct fp *f, const xmlChar *prefix, const xmlChar *uri)
{
    for (int i = 0; i < 4; i++)
        if (f->ns_seen[i].uri == uri && f->ns_seen[i].prefix == prefix &&
            f->ns_seen[i].gen == f->ns_gen + 1)
            return true;
    return false;
}

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **nss, int nattr, int ndef, const xmlChar **attrs)
{
    struct fp *f = ((xmlParserCtxtPtr)ctx)->_private;
    if (f->c->stopped)
        return;
    if (f->overdeep || f->depth >= FEED_MAX_DEPTH) {
        if (!f->overdeep)
            feed_bozo(f->c, "elements nested deeper than %d levels were ignored", FEED_MAX_DEPTH);
        f->overdeep++;
        return;
    }
    for (int i = 0; i < nns; i++) {
        const xmlChar *xp = nss[2 * i], *xu = nss[2 * i + 1];
        if (!xu || !*xu || ns_seen(f, xp, xu))
            continue;
        track_namespace(f, (const char *)xp, (const char *)xu);
        if (f->pctx && dict_owns(f, xp) && dict_owns(f, xu))
            f->ns_seen[f->ns_next++ % 4] = (struct ns_seen){xp, xu, f->ns_gen + 1};
    }
    if (prefix && !uri) {
        feed_bozo(f->c, "UndeclaredNamespace: '%s' is not associated with a namespace",
                  (const char *)prefix);
        fp_bozo_type(f->c, "UndeclaredNamespace");
    }
    const struct name_info *ni = name_of(f, local, prefix, uri);
    if (!f->root_seen) {
        f->root_seen = true;
        snprintf(f->c->root_name, sizeof(f->c->root_name), "%s", (const char *)local);
    }
    /* room for every attribute first: keys point into f->keys */
    size_t most = 2 + (size_t)(nns > 0 ? nns : 0) + (size_t)(nattr > 0 ? nattr : 0);
    XGROW(f->attrs, most, f->capattrs);
    XGROW(f->keys, most, f->capkeys);
    struct kv *a = f->attrs;
    size_t na = 0;
    /* the values go to f->attrvals, their offsets to f->attroffs; the
     * pointers are set once the buffer stops growing */
    XGROW(f->attroffs, most, f->capoffs);
    size_t *off = f->attroffs;
    struct buf *vals = &f->attrvals;
    buf_reset(vals);
    if (fp_streq((const char *)local, "math") && uri &&
        fp_streq((const char *)uri, "http://www.w3.org/1998/Math/MathML")) {
        a[na].k = (char *)"xmlns";
        off[na++] = vals->len;
        attr_value(vals, (const char *)uri, strlen((const char *)uri));
    }
    if (fp_streq((const char *)local, "svg") && uri &&
        fp_streq((const char *)uri, "http://www.w3.org/2000/svg")) {
        a[na].k = (char *)"xmlns";
        off[na++] = vals->len;
        attr_value(vals, (const char *)uri, strlen((const char *)uri));
    }
    for (int i = 0; i < nns; i++) {
        const char *p = (const char *)nss[2 * i], *u = (const char *)nss[2 * i + 1];
        if (p && u && fp_streq(u, "http://www.w3.org/1999/xlink")) {
            char *k = f->keys[na];
            snprintf(k, 128, "xmlns:%s", p);
            a[na].k = k;
            off[na++] = vals->len;
            attr_value(vals, u, strlen(u));
        }
    }
    for (int i = 0; i < nattr; i++) {
        const xmlChar **at = attrs + 5 * i;
        const char *al = (const char *)at[0], *ap = (const char *)at[1], *au = (const char *)at[2];
        char *key = f->keys[na]; /* this slot is free: na only grows */
        const char *kp = au ? known_prefix(au) : NULL;
        if (kp && *kp)
            cat3(key, sizeof(f->keys[0]), kp, ":", al);
        else if (ap && !au)
            cat3(key, sizeof(f->keys[0]), ap, ":", al);
        else
            cat3(key, sizeof(f->keys[0]), al, "", "");
        for (char *p = key; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        size_t voff = vals->len;
        attr_value(vals, (const char *)at[3], (size_t)(at[4] - at[3]));
        if (fp_streq(key, "rel") || fp_streq(key, "type"))
            for (char *p = vals->ptr + voff; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        size_t k;
        for (k = 0; k < na; k++)
            if (fp_streq(a[k].k, key))
                break;
        if (k < na) {
            off[k] = voff; /* dict(): the last one wins */
        } else {
            a[na].k = key;
            off[na++] = voff;
        }
    }
    for (size_t i = 0; i < na; i++) {
        a[i].v = vals->ptr + off[i];
        a[i].owned = false;
    }
    unknown_start_ni(f, ni, na ? a : NULL, na);
    for (size_t i = 0; i < na; i++)
        if (a[i].owned) /* a handler's replacement */
            free(a[i].v);
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    struct fp *f = ((xmlParserCtxtPtr)ctx)->_private;
    if (f->c->stopped)
        return;
    if (f->overdeep) {
        f->overdeep--;
        return;
    }
    unknown_end(f, name_of(f, local, prefix, uri));
}

/* Is the one character s a reference prep.c rewrote from &lt; &gt; or
 * &amp; (c->prep_charrefs), which libxml2 would have dropped as an entity
 * reference once the document had an error? libxml2 has just read it
 * (the text before input->cur, still in its buffer), and prep.c spells no
 * other reference to these characters so. */
static bool fp_rewritten_ref(const struct fp *f, xmlParserCtxtPtr ctxt, const xmlChar *s)
{
    const xmlParserInputPtr in = ctxt->input;
    if (!f->c->prep_charrefs || !in || !in->cur || !in->base || in->cur - in->base < 5)
        return false;
    const xmlChar *r = in->cur - 5;
    if (r[0] != '&' || r[1] != '#' || r[4] != ';')
        return false;
    return (s[0] == '&' && r[2] == '3' && r[3] == '8') ||
           (s[0] == '<' && r[2] == '6' && r[3] == '0') ||
           (s[0] == '>' && r[2] == '6' && r[3] == '2');
}

static void sax_chars(void *ctx, const xmlChar *s, int n)
{
    struct fp *f = ((xmlParserCtxtPtr)ctx)->_private;
    if (f->c->stopped)
        return;
    if (n == 1 && !((xmlParserCtxtPtr)ctx)->wellFormed && fp_rewritten_ref(f, ctx, s))
        return;
    /* handle_data and add_piece inline for the usual piece: libxml2 calls
     * this for every run of text and every reference in it (an escaped
     * HTML description arrives in dozens of pieces), so the calls and
     * their repeated checks add up. Anything else takes the full path. */
    if (f->nstack) {
        struct elem *e = &f->stack[f->nstack - 1];
        if (e->discard)
            return;
        const char *t = cp_str(&f->cp, CP_TYPE);
        size_t len = e->text.len, m = (size_t)n;
        if (!(t && t[0] == 'a') && len + m <= f->c->max_field && e->ncuts < e->capcuts &&
            !e->text.max && len + m < e->text.cap) {
            e->cuts[e->ncuts++] = len;
            if (m == 1) /* a character reference's piece: no memcpy call */
                e->text.ptr[len] = (char)s[0];
            else
                memcpy(e->text.ptr + len, s, m);
            e->text.len = len + m;
            e->text.ptr[len + m] = '\0';
            return;
        }
    }
    handle_data(f, (const char *)s, (size_t)n, true);
}

static void sax_error(void *arg, xmlErrorPtr e)
{
    xmlParserCtxtPtr p = arg;
    struct fp *f = p ? p->_private : NULL;
    if (!f || !e || e->level < XML_ERR_ERROR)
        return;
    char msg[200];
    snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
    str_trim(msg);
    feed_bozo(f->c, "line %d: %s", e->line, msg);
    if (!f->c->bozo_type || strcmp(f->c->bozo_type, "UndeclaredNamespace"))
        fp_bozo_type(f->c, "SAXParseException");
}

void feed_xml_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, xmlInitParser);
}

struct fp *fp_begin(struct feed_ctx *c)
{
    feed_xml_init();
    static_keys_ready();
    struct fp *f = xcalloc(1, sizeof(*f));
    f->c = c;
    f->scratch_buf = (struct buf)BUF_INIT;
    f->attrvals = (struct buf)BUF_INIT;
    f->title_depth = -1;
    f->feed = jnew_object();
    f->entries = jnew_array();
    f->source = jnew_object();
    f->nsuse = jnew_object();
    f->nsmap = jnew_object();
    f->baseuri = xstrdup(c->base ? c->base : "");
    c->jfeed = f->feed;
    c->fp_version = f->version;
    f->lang = c->opts->content_language && *c->opts->content_language
                  ? xstrdup(c->opts->content_language)
                  : NULL;
    if (f->lang) {
        char *l = xstrdup(f->lang);
        for (char *p = l; *p; p++)
            if (*p == '_')
                *p = '-';
        jsets(f->feed, "language", l);
        free(l);
    }
    xmlSAXHandler h;
    memset(&h, 0, sizeof(h));
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = sax_start;
    h.endElementNs = sax_end;
    h.characters = sax_chars;
    h.cdataBlock = sax_chars;
    h.serror = sax_error;
    xmlParserCtxtPtr p = xmlCreatePushParserCtxt(&h, NULL, NULL, 0, c->base);
    if (!p)
        return f; /* fp_end reports it */
    p->_private = f;
    f->pctx = p;
    xmlCtxtUseOptions(p, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC | XML_PARSE_HUGE);
    xmlSwitchEncoding(p, XML_CHAR_ENCODING_UTF8);
    return f;
}

static bool fp_running(const struct fp *f)
{
    return f->pctx && !f->pctx->disableSAX && f->pctx->instate != XML_PARSER_EOF && !f->c->stopped;
}

bool fp_chunk(void *arg, const char *xml, size_t len)
{
    struct fp *f = arg;
    if (fp_running(f))
        xmlParseChunk(f->pctx, xml, (int)len, 0);
    return !f->c->aborted;
}

enum achim_code fp_end(struct fp *f, struct err *err)
{
    struct feed_ctx *c = f->c;
    xmlParserCtxtPtr p = f->pctx;
    if (!p)
        err_set(err, ACHIM_EPARSE, "cannot create XML parser");
    if (p && !p->disableSAX && p->instate != XML_PARSER_EOF && !c->aborted)
        xmlParseChunk(p, NULL, 0, 1);
    if (p) {
        if (p->myDoc)
            xmlFreeDoc(p->myDoc);
        xmlFreeParserCtxt(p);
        f->pctx = NULL;
        if (f->inentry && cur_entry(f) && !c->stopped) {
            /* the document ended inside an entry: what was read still counts */
            feed_bozo(c, "document ends inside an entry");
            fp_entry_done(c, f->entries, cur_entry(f), f->raw_id, &f->raw);
        }
    }
    fp_result(c, f->feed, f->entries, f->nsuse, f->version, f->nentries);
    f->feed = f->entries = f->nsuse = NULL;
    for (size_t i = 0; i < f->ninit; i++)
        elem_release(&f->stack[i]);
    name_cache_clear(f);
    free(f->names);
    free(f->stack);
    for (size_t i = 0; i < f->nbl; i++) {
        scope_free(f->bases, i);
        scope_free(f->langs, i);
    }
    free(f->bases);
    free(f->langs);
    free(f->baseuri);
    free(f->lang);
    cJSON_Delete(f->source);
    cp_release(&f->cp);
    cJSON_Delete(f->nsmap);
    for (size_t i = 0; i < f->initdepths; i++)
        free(f->depths[i].key);
    free(f->depths);
    free(f->raw_id);
    fp_raw_release(&f->raw);
    free(f->attrs);
    free(f->keys);
    free(f->attroffs);
    buf_release(&f->attrvals);
    buf_release(&f->scratch_buf);
    c->fp_version = NULL;
    free(f);
    jpool_drain();
    return ACHIM_OK;
}

enum achim_code fp_parse(struct feed_ctx *c, const char *xmltext, size_t len, struct err *err)
{
    struct fp *f = fp_begin(c);
    for (size_t off = 0; off < len && fp_running(f);) {
        size_t n = len - off < FEED_PREP_SLICE ? len - off : FEED_PREP_SLICE;
        fp_chunk(f, xmltext + off, n);
        off += n;
    }
    return fp_end(f, err);
}
