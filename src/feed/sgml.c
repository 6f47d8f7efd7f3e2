/* SPDX-License-Identifier: MIT */
/* sgml.c: feedparser's HTML post-processing, reproduced byte for byte.
 *
 * Feed HTML is re-serialised by a small SGML tokenizer with the exact
 * rules of feedparser's _BaseHTMLProcessor (itself sgmllib): text and
 * unknown markup pass through verbatim, start tags are rebuilt with their
 * attributes lower-cased, de-duplicated, sorted and double-quoted, void
 * elements end in " />", character references are kept (C1 ones mapped to
 * windows-1252), unknown entities become "&amp;name". On top of that two
 * passes exist:
 *
 *   SGML_RESOLVE   relative URIs in a@href, img@src, ... made absolute
 *                  against the element's base (RelativeURIResolver);
 *   SGML_SANITIZE  the allow-lists of elements, attributes, CSS
 *                  properties and URI schemes (_HTMLSanitizer), with
 *                  script/style/applet content dropped and MathML/SVG
 *                  accepted inside their own namespaces.
 *
 * The output matters to the last byte because feedparser's conformance
 * suite compares strings, and the same sanitised HTML is what achim later
 * shows in pages and mail. One linear pass per call; no tree is built.
 * The element and attribute lists are feedparser's (BSD licence). */
#include "feed/feed_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

static const char *const san_acceptable_elements[] = {
    "a",          "abbr",
    "acronym",    "address",
    "area",       "article",
    "aside",      "audio",
    "b",          "big",
    "blockquote", "br",
    "button",     "canvas",
    "caption",    "center",
    "cite",       "code",
    "col",        "colgroup",
    "command",    "datagrid",
    "datalist",   "dd",
    "del",        "details",
    "dfn",        "dialog",
    "dir",        "div",
    "dl",         "dt",
    "em",         "event-source",
    "fieldset",   "figcaption",
    "figure",     "font",
    "footer",     "form",
    "h1",         "h2",
    "h3",         "h4",
    "h5",         "h6",
    "header",     "hr",
    "i",          "img",
    "input",      "ins",
    "kbd",        "keygen",
    "label",      "legend",
    "li",         "m",
    "map",        "menu",
    "meter",      "multicol",
    "nav",        "nextid",
    "noscript",   "ol",
    "optgroup",   "option",
    "output",     "p",
    "pre",        "progress",
    "q",          "s",
    "samp",       "section",
    "select",     "small",
    "sound",      "source",
    "spacer",     "span",
    "strike",     "strong",
    "sub",        "sup",
    "table",      "tbody",
    "td",         "textarea",
    "tfoot",      "th",
    "thead",      "time",
    "tr",         "tt",
    "u",          "ul",
    "var",        "video",
    NULL,
};

static const char *const san_acceptable_attributes[] = {
    "abbr",
    "accept",
    "accept-charset",
    "accesskey",
    "action",
    "align",
    "alt",
    "autocomplete",
    "autofocus",
    "axis",
    "background",
    "balance",
    "bgcolor",
    "bgproperties",
    "border",
    "bordercolor",
    "bordercolordark",
    "bordercolorlight",
    "bottompadding",
    "cellpadding",
    "cellspacing",
    "ch",
    "challenge",
    "char",
    "charoff",
    "charset",
    "checked",
    "choff",
    "cite",
    "class",
    "clear",
    "color",
    "cols",
    "colspan",
    "compact",
    "contenteditable",
    "controls",
    "coords",
    "data",
    "datafld",
    "datapagesize",
    "datasrc",
    "datetime",
    "default",
    "delay",
    "dir",
    "disabled",
    "draggable",
    "dynsrc",
    "enctype",
    "end",
    "face",
    "for",
    "form",
    "frame",
    "galleryimg",
    "gutter",
    "headers",
    "height",
    "hidden",
    "hidefocus",
    "high",
    "href",
    "hreflang",
    "hspace",
    "icon",
    "id",
    "inputmode",
    "ismap",
    "keytype",
    "label",
    "lang",
    "leftspacing",
    "list",
    "longdesc",
    "loop",
    "loopcount",
    "loopend",
    "loopstart",
    "low",
    "lowsrc",
    "max",
    "maxlength",
    "media",
    "method",
    "min",
    "multiple",
    "name",
    "nohref",
    "noshade",
    "nowrap",
    "open",
    "optimum",
    "pattern",
    "ping",
    "point-size",
    "poster",
    "pqg",
    "preload",
    "prompt",
    "radiogroup",
    "readonly",
    "rel",
    "repeat-max",
    "repeat-min",
    "replace",
    "required",
    "rev",
    "rightspacing",
    "rows",
    "rowspan",
    "rules",
    "scope",
    "selected",
    "shape",
    "size",
    "span",
    "src",
    "start",
    "step",
    "style",
    "summary",
    "suppress",
    "tabindex",
    "target",
    "template",
    "title",
    "toppadding",
    "type",
    "unselectable",
    "urn",
    "usemap",
    "valign",
    "value",
    "variable",
    "volume",
    "vrml",
    "vspace",
    "width",
    "wrap",
    "xml:lang",
    NULL,
};

static const char *const san_acceptable_css_properties[] = {
    "azimuth",
    "background-color",
    "border-bottom-color",
    "border-collapse",
    "border-color",
    "border-left-color",
    "border-right-color",
    "border-top-color",
    "clear",
    "color",
    "cursor",
    "direction",
    "display",
    "elevation",
    "float",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-variant",
    "font-weight",
    "height",
    "letter-spacing",
    "line-height",
    "overflow",
    "pause",
    "pause-after",
    "pause-before",
    "pitch",
    "pitch-range",
    "richness",
    "speak",
    "speak-header",
    "speak-numeral",
    "speak-punctuation",
    "speech-rate",
    "stress",
    "text-align",
    "text-decoration",
    "text-indent",
    "unicode-bidi",
    "vertical-align",
    "voice-family",
    "volume",
    "white-space",
    "width",
    NULL,
};

static const char *const san_acceptable_css_keywords[] = {
    "!important", "aqua",   "auto",   "black",       "block",     "blue",   "bold",    "both",
    "bottom",     "brown",  "center", "collapse",    "dashed",    "dotted", "fuchsia", "gray",
    "green",      "italic", "left",   "lime",        "maroon",    "medium", "navy",    "none",
    "normal",     "nowrap", "olive",  "pointer",     "purple",    "red",    "right",   "silver",
    "solid",      "teal",   "top",    "transparent", "underline", "white",  "yellow",  NULL,
};

static const char *const san_mathml_elements[] = {
    "annotation",
    "annotation-xml",
    "maction",
    "maligngroup",
    "malignmark",
    "math",
    "menclose",
    "merror",
    "mfenced",
    "mfrac",
    "mglyph",
    "mi",
    "mlabeledtr",
    "mlongdiv",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mscarries",
    "mscarry",
    "msgroup",
    "msline",
    "mspace",
    "msqrt",
    "msrow",
    "mstack",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "none",
    "semantics",
    NULL,
};

static const char *const san_mathml_attributes[] = {
    "accent",
    "accentunder",
    "actiontype",
    "align",
    "alignmentscope",
    "altimg",
    "altimg-height",
    "altimg-valign",
    "altimg-width",
    "alttext",
    "bevelled",
    "charalign",
    "close",
    "columnalign",
    "columnlines",
    "columnspacing",
    "columnspan",
    "columnwidth",
    "crossout",
    "decimalpoint",
    "denomalign",
    "depth",
    "dir",
    "display",
    "displaystyle",
    "edge",
    "encoding",
    "equalcolumns",
    "equalrows",
    "fence",
    "fontstyle",
    "fontweight",
    "form",
    "frame",
    "framespacing",
    "groupalign",
    "height",
    "href",
    "id",
    "indentalign",
    "indentalignfirst",
    "indentalignlast",
    "indentshift",
    "indentshiftfirst",
    "indentshiftlast",
    "indenttarget",
    "infixlinebreakstyle",
    "largeop",
    "length",
    "linebreak",
    "linebreakmultchar",
    "linebreakstyle",
    "lineleading",
    "linethickness",
    "location",
    "longdivstyle",
    "lquote",
    "lspace",
    "mathbackground",
    "mathcolor",
    "mathsize",
    "mathvariant",
    "maxsize",
    "minlabelspacing",
    "minsize",
    "movablelimits",
    "notation",
    "numalign",
    "open",
    "other",
    "overflow",
    "position",
    "rowalign",
    "rowlines",
    "rowspacing",
    "rowspan",
    "rquote",
    "rspace",
    "scriptlevel",
    "scriptminsize",
    "scriptsizemultiplier",
    "selection",
    "separator",
    "separators",
    "shift",
    "side",
    "src",
    "stackalign",
    "stretchy",
    "subscriptshift",
    "superscriptshift",
    "symmetric",
    "voffset",
    "width",
    "xlink:href",
    "xlink:show",
    "xlink:type",
    "xmlns",
    "xmlns:xlink",
    NULL,
};

static const char *const san_svg_elements[] = {
    "a",
    "animate",
    "animateColor",
    "animateMotion",
    "animateTransform",
    "circle",
    "defs",
    "desc",
    "ellipse",
    "font-face",
    "font-face-name",
    "font-face-src",
    "foreignObject",
    "g",
    "glyph",
    "hkern",
    "line",
    "linearGradient",
    "marker",
    "metadata",
    "missing-glyph",
    "mpath",
    "path",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "set",
    "stop",
    "svg",
    "switch",
    "text",
    "title",
    "tspan",
    "use",
    NULL,
};

static const char *const san_svg_attributes[] = {
    "accent-height",
    "accumulate",
    "additive",
    "alphabetic",
    "arabic-form",
    "ascent",
    "attributeName",
    "attributeType",
    "baseProfile",
    "bbox",
    "begin",
    "by",
    "calcMode",
    "cap-height",
    "class",
    "color",
    "color-rendering",
    "content",
    "cx",
    "cy",
    "d",
    "descent",
    "display",
    "dur",
    "dx",
    "dy",
    "end",
    "fill",
    "fill-opacity",
    "fill-rule",
    "font-family",
    "font-size",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "from",
    "fx",
    "fy",
    "g1",
    "g2",
    "glyph-name",
    "gradientUnits",
    "hanging",
    "height",
    "horiz-adv-x",
    "horiz-origin-x",
    "id",
    "ideographic",
    "k",
    "keyPoints",
    "keySplines",
    "keyTimes",
    "lang",
    "marker-end",
    "marker-mid",
    "marker-start",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "mathematical",
    "max",
    "min",
    "name",
    "offset",
    "opacity",
    "orient",
    "origin",
    "overline-position",
    "overline-thickness",
    "panose-1",
    "path",
    "pathLength",
    "points",
    "preserveAspectRatio",
    "r",
    "refX",
    "refY",
    "repeatCount",
    "repeatDur",
    "requiredExtensions",
    "requiredFeatures",
    "restart",
    "rotate",
    "rx",
    "ry",
    "slope",
    "stemh",
    "stemv",
    "stop-color",
    "stop-opacity",
    "strikethrough-position",
    "strikethrough-thickness",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "systemLanguage",
    "target",
    "text-anchor",
    "to",
    "transform",
    "type",
    "u1",
    "u2",
    "underline-position",
    "underline-thickness",
    "unicode",
    "unicode-range",
    "units-per-em",
    "values",
    "version",
    "viewBox",
    "visibility",
    "width",
    "widths",
    "x",
    "x-height",
    "x1",
    "x2",
    "xlink:actuate",
    "xlink:arcrole",
    "xlink:href",
    "xlink:role",
    "xlink:show",
    "xlink:title",
    "xlink:type",
    "xml:base",
    "xml:lang",
    "xml:space",
    "xmlns",
    "xmlns:xlink",
    "y",
    "y1",
    "y2",
    "zoomAndPan",
    NULL,
};

static const char *const san_acceptable_svg_properties[] = {
    "fill",           "fill-opacity", "fill-rule", "stroke", "stroke-linecap", "stroke-linejoin",
    "stroke-opacity", "stroke-width", NULL,
};

static const char *const void_elements[] = {
    "area",  "base",    "basefont", "br",   "col",  "command", "embed",  "frame", "hr",  "img",
    "input", "isindex", "keygen",   "link", "meta", "param",   "source", "track", "wbr", NULL,
};

/* (element, attribute) pairs that hold a URI, for SGML_RESOLVE. */
static const char *const relative_uris[][2] = {
    {"a", "href"},          {"applet", "codebase"}, {"area", "href"},       {"audio", "src"},
    {"blockquote", "cite"}, {"body", "background"}, {"del", "cite"},        {"form", "action"},
    {"frame", "longdesc"},  {"frame", "src"},       {"iframe", "longdesc"}, {"iframe", "src"},
    {"head", "profile"},    {"img", "longdesc"},    {"img", "src"},         {"img", "usemap"},
    {"input", "src"},       {"input", "usemap"},    {"ins", "cite"},        {"link", "href"},
    {"object", "classid"},  {"object", "codebase"}, {"object", "data"},     {"object", "usemap"},
    {"q", "cite"},          {"script", "src"},      {"source", "src"},      {"video", "poster"},
    {"video", "src"},
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Membership in one of the sorted, NULL-terminated lists above. */
static bool in_sorted(const char *s, const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return bsearch(&s, list, n, sizeof(*list), cmp_str) != NULL;
}

/* Case-insensitive membership for the mixed-case SVG lists; returns the
 * list's spelling or NULL. */
static const char *in_svg(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(s, *list) == 0)
            return *list;
    return NULL;
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

struct attr {
    char *key, *val;
};

struct sgml {
    enum sgml_mode mode;
    bool xhtml; /* the content type is application/xhtml+xml */
    const char *type;
    const char *base;
    struct buf out;
    char lasttag[64];
    int unacceptable, mathml, svg;
};

/* ---- URIs ------------------------------------------------------------------- */

static const char *const safe_schemes[] = {
    "aim",   "callto", "cvs",     "facetime", "feed",  "file", "ftp",   "git",      "gopher",
    "gtalk", "h323",   "hdl",     "http",     "https", "imap", "irc",   "irc6",     "ircs",
    "itms",  "magnet", "mailto",  "mms",      "msnim", "news", "nntp",  "prospero", "rsync",
    "rtsp",  "rtspu",  "sftp",    "shttp",    "sip",   "sips", "skype", "smb",      "snews",
    "ssh",   "svn",    "svn+ssh", "telnet",   "wais",  "ymsg", NULL,
};

bool fp_scheme_ok(const char *scheme)
{
    return in_list(scheme, safe_schemes);
}

char *fp_safe_uri(const char *base, const char *rel)
{
    if (!base || !*base)
        return xstrdup(rel ? rel : "");
    if (!rel || !*rel) {
        char scheme[32];
        if (!fp_url_scheme(base, scheme, sizeof(scheme)) || fp_scheme_ok(scheme))
            return xstrdup(base);
        return xstrdup("");
    }
    char *u = fp_urljoin(base, rel);
    /* uri.strip().split(':', 1)[0] must be an accepted scheme */
    const char *p = u;
    while (*p && isspace((unsigned char)*p))
        p++;
    size_t n = strcspn(p, ":");
    char scheme[32];
    bool ok = n < sizeof(scheme) && p[n] == ':';
    if (ok) {
        memcpy(scheme, p, n);
        scheme[n] = '\0';
        ok = fp_scheme_ok(scheme);
    }
    if (!ok) {
        free(u);
        return xstrdup("");
    }
    return u;
}

static bool is_w(unsigned char c)
{
    return isalnum(c) || c == '_' || c >= 0x80;
}

/* ---- output helpers ------------------------------------------------------- */

static void data(struct sgml *s, const char *p, size_t n)
{
    if (s->mode == SGML_SANITIZE && s->unacceptable)
        return;
    buf_add(&s->out, p, n);
}

/* bare_ampersand: '&' not starting "#\d+;", "#x[0-9a-fA-F]+;" or "\w+;" */
static bool bare_amp(const char *p)
{
    const char *q = p + 1;
    if (*q == '#') {
        q++;
        if (isdigit((unsigned char)*q)) {
            while (isdigit((unsigned char)*q))
                q++;
            if (*q == ';')
                return false;
        }
        q = p + 2;
        if (*q == 'x') {
            q++;
            const char *st = q;
            while (isxdigit((unsigned char)*q))
                q++;
            if (q > st && *q == ';')
                return false;
        }
        return true;
    }
    const char *st = q;
    while (is_w((unsigned char)*q))
        q++;
    return !(q > st && *q == ';');
}

static void emit_start(struct sgml *s, const char *tag, struct attr *a, size_t na)
{
    buf_addch(&s->out, '<');
    buf_addstr(&s->out, tag);
    for (size_t i = 0; i < na; i++) {
        buf_addf(&s->out, " %s=\"", a[i].key);
        for (const char *p = a[i].val; *p; p++) {
            switch (*p) {
            case '>': buf_addstr(&s->out, "&gt;"); break;
            case '<': buf_addstr(&s->out, "&lt;"); break;
            case '"': buf_addstr(&s->out, "&quot;"); break;
            case '&':
                if (bare_amp(p))
                    buf_addstr(&s->out, "&amp;");
                else
                    buf_addch(&s->out, '&');
                break;
            default: buf_addch(&s->out, *p);
            }
        }
        buf_addch(&s->out, '"');
    }
    buf_addstr(&s->out, in_list(tag, void_elements) ? " />" : ">");
}

static void emit_end(struct sgml *s, const char *tag)
{
    if (!in_list(tag, void_elements))
        buf_addf(&s->out, "</%s>", tag);
}

static int cmp_attr(const void *a, const void *b)
{
    const struct attr *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->val, y->val);
}

/* normalize_attrs: last value of each lower-cased key wins, rel/type
 * values lower-cased, sorted. */
static size_t normalize(struct attr *a, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        for (char *p = a[i].key; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        size_t k;
        for (k = 0; k < m; k++)
            if (!strcmp(a[k].key, a[i].key))
                break;
        if (k < m) {
            free(a[k].val);
            a[k].val = a[i].val;
            free(a[i].key);
        } else {
            a[m++] = a[i];
        }
    }
    for (size_t i = 0; i < m; i++)
        if (!strcmp(a[i].key, "rel") || !strcmp(a[i].key, "type"))
            for (char *p = a[i].val; *p; p++)
                *p = (char)tolower((unsigned char)*p);
    if (m > 1)
        qsort(a, m, sizeof(*a), cmp_attr);
    return m;
}

static void free_attrs(struct attr *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].key);
        free(a[i].val);
    }
}

/* ---- CSS ---------------------------------------------------------------------- */

static bool css_value_ok(const char *w)
{
    if (in_sorted(w, san_acceptable_css_keywords))
        return true;
    /* ^(#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d{0,2}\.?\d{0,2}(cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$
     */
    const char *p = w;
    if (*p == '#') {
        p++;
        if (!*p)
            return false;
        for (; *p; p++)
            if (!isdigit((unsigned char)*p) && !(*p >= 'a' && *p <= 'f'))
                return false;
        return true;
    }
    if (!strncmp(p, "rgb(", 4)) {
        p += 4;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
        if (*p == '%')
            p++;
        if (*p != ',')
            return false;
        p++;
        while (isdigit((unsigned char)*p))
            p++;
        if (*p == '%')
            p++;
        if (*p == ',')
            p++;
        while (isdigit((unsigned char)*p))
            p++;
        if (*p == '%')
            p++;
        if (*p == ')')
            p++;
        return !*p;
    }
    int d = 0;
    while (isdigit((unsigned char)*p) && d < 2)
        p++, d++;
    if (*p == '.')
        p++;
    d = 0;
    while (isdigit((unsigned char)*p) && d < 2)
        p++, d++;
    static const char *const units[] = {"cm", "em", "ex", "in", "mm", "pc",
                                        "pt", "px", "%",  ",",  ")",  NULL};
    if (!*p)
        return true;
    for (size_t i = 0; units[i]; i++)
        if (!strcmp(p, units[i]))
            return true;
    return false;
}

/* sanitize_style(): the kept declarations as "prop: value;" joined by
 * spaces, or a new "" when anything looks suspicious. */
static char *clean_style(struct sgml *s, const char *style)
{
    struct buf st = BUF_INIT, out = BUF_INIT;
    /* drop url(...) with the white space after it */
    for (const char *p = style; *p;) {
        if (!strncmp(p, "url", 3)) {
            const char *q = p + 3;
            while (isspace((unsigned char)*q))
                q++;
            if (*q == '(') {
                q++;
                while (isspace((unsigned char)*q))
                    q++;
                const char *r = q;
                while (*r && !isspace((unsigned char)*r) && *r != ')')
                    r++;
                if (r > q) {
                    while (isspace((unsigned char)*r))
                        r++;
                    if (*r == ')') {
                        r++;
                        while (isspace((unsigned char)*r))
                            r++;
                        buf_addch(&st, ' ');
                        p = r;
                        continue;
                    }
                }
            }
        }
        buf_addch(&st, *p++);
    }
    /* the gauntlet: ^([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*$ */
    const char *p = st.ptr;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (strchr(":,;#%.!", c) || isspace(c) || isalnum(c)) {
            p++;
        } else if (is_w(c) && p[1] == '-' && is_w((unsigned char)p[2])) {
            p += 3;
        } else if (c == '-' && p > st.ptr && is_w((unsigned char)p[-1]) &&
                   is_w((unsigned char)p[1])) {
            p++;
        } else if (c == '\'' || c == '"') {
            const char *q = p + 1;
            while (*q && (isspace((unsigned char)*q) || is_w((unsigned char)*q)))
                q++;
            if (*q != c || q == p + 1)
                goto bad;
            p = q + 1;
        } else if (c == '(') {
            const char *q = p + 1;
            while (*q && (isdigit((unsigned char)*q) || *q == ',' || isspace((unsigned char)*q)))
                q++;
            if (*q != ')' || q == p + 1)
                goto bad;
            p = q + 1;
        } else if (c >= 0x80) {
            p++; /* \w covers non-ASCII letters */
        } else {
            goto bad;
        }
    }
    /* every part must be "prop: value;" */
    for (p = st.ptr; *p;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *ps = p;
        while (*p == '-' || is_w((unsigned char)*p))
            p++;
        if (p == ps)
            goto bad;
        size_t plen = (size_t)(p - ps);
        while (isspace((unsigned char)*p))
            p++;
        if (*p != ':')
            goto bad;
        p++;
        while (isspace((unsigned char)*p))
            p++;
        const char *vs = p;
        while (*p && *p != ':' && *p != ';')
            p++;
        size_t vlen = (size_t)(p - vs);
        if (*p == ';')
            p++;
        else if (*p == ':')
            goto bad;
        if (!vlen)
            continue;
        char prop[64];
        char *val = xstrndup(vs, vlen);
        if (plen >= sizeof(prop)) {
            free(val);
            continue;
        }
        memcpy(prop, ps, plen);
        prop[plen] = '\0';
        char lprop[64];
        for (size_t i = 0; i <= plen; i++)
            lprop[i] = (char)tolower((unsigned char)prop[i]);
        bool keep = false;
        if (in_sorted(lprop, san_acceptable_css_properties)) {
            keep = true;
        } else {
            size_t dash = strcspn(lprop, "-");
            if ((dash == 10 && !strncmp(lprop, "background", 10)) ||
                (dash == 6 && !strncmp(lprop, "border", 6)) ||
                (dash == 6 && !strncmp(lprop, "margin", 6)) ||
                (dash == 7 && !strncmp(lprop, "padding", 7))) {
                keep = true;
                char *save = NULL, *copy = xstrdup(val);
                for (char *w = strtok_r(copy, " \t\n\r\f\v", &save); w;
                     w = strtok_r(NULL, " \t\n\r\f\v", &save))
                    if (!css_value_ok(w)) {
                        keep = false;
                        break;
                    }
                free(copy);
            } else if (s->svg && in_sorted(lprop, san_acceptable_svg_properties)) {
                keep = true;
            }
        }
        if (keep) {
            if (out.len)
                buf_addch(&out, ' ');
            buf_addf(&out, "%s: %s;", prop, val);
        }
        free(val);
    }
    buf_release(&st);
    return buf_take(&out);
bad:
    buf_release(&st);
    buf_release(&out);
    return xstrdup("");
}

/* ---- tag handlers -------------------------------------------------------------- */

static bool has_attr(struct attr *a, size_t n, const char *k, const char *v)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(a[i].key, k) && (!v || !strcmp(a[i].val, v)))
            return true;
    return false;
}

static void push_attr(struct attr **a, size_t *n, size_t *cap, const char *k, const char *v)
{
    XGROW(*a, *n + 1, *cap);
    (*a)[*n].key = xstrdup(k);
    (*a)[*n].val = xstrdup(v);
    (*n)++;
}

static void start_tag(struct sgml *s, char *tag, struct attr *a, size_t na, size_t cap)
{
    if (s->mode == SGML_PLAIN) {
        emit_start(s, tag, a, na);
        goto out;
    }
    if (s->mode == SGML_RESOLVE) {
        na = normalize(a, na);
        for (size_t i = 0; i < na; i++)
            for (size_t k = 0; k < sizeof(relative_uris) / sizeof(relative_uris[0]); k++)
                if (!strcmp(relative_uris[k][0], tag) && !strcmp(relative_uris[k][1], a[i].key)) {
                    char *v = xstrdup(a[i].val);
                    fp_strip(v);
                    char *r = fp_safe_uri(s->base, v);
                    free(v);
                    free(a[i].val);
                    a[i].val = r;
                    break;
                }
        emit_start(s, tag, a, na);
        goto out;
    }
    /* SGML_SANITIZE */
    const char *const *acceptable = san_acceptable_attributes;
    bool svg_attrs = false;
    const char *name = tag;
    if (!in_sorted(tag, san_acceptable_elements) || s->svg) {
        if (!strcmp(tag, "script") || !strcmp(tag, "style") || !strcmp(tag, "applet"))
            s->unacceptable++;
        if (s->type && strlen(s->type) >= 4 && !strcmp(s->type + strlen(s->type) - 4, "html")) {
            const char *xmlns = NULL;
            for (size_t i = 0; i < na; i++)
                if (!strcmp(a[i].key, "xmlns"))
                    xmlns = a[i].val;
            if (!xmlns || !*xmlns) {
                if (!strcmp(tag, "svg"))
                    push_attr(&a, &na, &cap, "xmlns", "http://www.w3.org/2000/svg");
                if (!strcmp(tag, "math"))
                    push_attr(&a, &na, &cap, "xmlns", "http://www.w3.org/1998/Math/MathML");
            }
        }
        if (!strcmp(tag, "math") && has_attr(a, na, "xmlns", "http://www.w3.org/1998/Math/MathML"))
            s->mathml++;
        if (!strcmp(tag, "svg") && has_attr(a, na, "xmlns", "http://www.w3.org/2000/svg"))
            s->svg++;
        const char *svgname;
        if (s->mathml && in_sorted(tag, san_mathml_elements)) {
            acceptable = san_mathml_attributes;
        } else if (s->svg && (svgname = in_svg(tag, san_svg_elements))) {
            svg_attrs = true;
            name = svgname;
        } else if (!in_sorted(tag, san_acceptable_elements)) {
            goto out;
        }
    }
    if (s->mathml || s->svg) {
        bool xlink = false;
        for (size_t i = 0; i < na; i++)
            if (!strncmp(a[i].key, "xlink:", 6))
                xlink = true;
        if (xlink && !has_attr(a, na, "xmlns:xlink", "http://www.w3.org/1999/xlink"))
            push_attr(&a, &na, &cap, "xmlns:xlink", "http://www.w3.org/1999/xlink");
    }
    na = normalize(a, na);
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        bool style_ok = svg_attrs ? in_svg("style", san_svg_attributes) != NULL
                                  : in_sorted("style", acceptable);
        if (!strcmp(a[i].key, "style") && style_ok) {
            char *v = clean_style(s, a[i].val);
            if (*v) {
                free(a[i].val);
                a[i].val = v;
                a[m++] = a[i];
            } else {
                free(v);
                free_attrs(&a[i], 1);
            }
            continue;
        }
        const char *key = NULL;
        if (svg_attrs)
            key = in_svg(a[i].key, san_svg_attributes);
        else if (in_sorted(a[i].key, acceptable))
            key = a[i].key;
        if (!key) {
            free_attrs(&a[i], 1);
            continue;
        }
        if (key != a[i].key) {
            free(a[i].key);
            a[i].key = xstrdup(key);
        }
        if (!strcmp(a[i].key, "href")) {
            char *v = fp_safe_uri(a[i].val, NULL);
            free(a[i].val);
            a[i].val = v;
        }
        a[m++] = a[i];
    }
    na = m;
    emit_start(s, name, a, na);
out:
    free_attrs(a, na);
    free(a);
}

static void end_tag(struct sgml *s, const char *tag)
{
    if (s->mode != SGML_SANITIZE) {
        emit_end(s, tag);
        return;
    }
    const char *name = tag;
    if (!in_sorted(tag, san_acceptable_elements)) {
        if (!strcmp(tag, "script") || !strcmp(tag, "style") || !strcmp(tag, "applet"))
            s->unacceptable--;
        const char *svgname;
        if (s->mathml && in_sorted(tag, san_mathml_elements)) {
            if (!strcmp(tag, "math"))
                s->mathml--;
        } else if (s->svg && (svgname = in_svg(tag, san_svg_elements))) {
            name = svgname;
            if (!strcmp(tag, "svg"))
                s->svg--;
        } else {
            return;
        }
    }
    emit_end(s, name);
}

/* ---- the tokenizer (sgmllib.goahead) ----------------------------------------- */

static const unsigned short cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static void charref(struct sgml *s, const char *ref, size_t n)
{
    if (s->mode == SGML_SANITIZE && s->unacceptable)
        return;
    char low[32];
    if (n >= sizeof(low))
        n = sizeof(low) - 1;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)ref[i]);
    low[n] = '\0';
    unsigned long v = low[0] == 'x' ? strtoul(low + 1, NULL, 16) : strtoul(low, NULL, 10);
    if (v >= 0x80 && v <= 0x9F && cp1252_c1[v - 0x80])
        buf_addf(&s->out, "&#x%x;", cp1252_c1[v - 0x80]);
    else
        buf_addf(&s->out, "&#%s;", low);
}

static void entityref(struct sgml *s, const char *name, size_t n)
{
    if (s->mode == SGML_SANITIZE && s->unacceptable)
        return;
    char tmp[8];
    if ((n == 4 && !memcmp(name, "apos", 4)) || fp_html_entity_known(name, n, tmp))
        buf_addf(&s->out, "&%.*s;", (int)n, name);
    else
        buf_addf(&s->out, "&amp;%.*s", (int)n, name);
}

/* The feedparser endbracket: index of the '<' or '>' that ends the tag
 * starting before i, skipping quoted attribute values; -1 if none. */
static long endbracket(const char *r, size_t n, size_t i)
{
    size_t p = i;
    while (p < n) {
        char c = r[p];
        if (c == '<' || c == '>')
            return (long)p;
        if (c == '"' || c == '\'') {
            const char *q = memchr(r + p + 1, c, n - p - 1);
            if (!q)
                break;
            size_t e = (size_t)(q - r) + 1;
            bool la = false;
            if (e < n) {
                char d = r[e];
                if (d == '>' || d == '/' || isspace((unsigned char)d)) {
                    la = true;
                } else if (is_w((unsigned char)d)) {
                    size_t k = e;
                    while (k < n && is_w((unsigned char)r[k]))
                        k++;
                    la = k < n && r[k] == '=';
                }
            }
            if (!la)
                break;
            p = e;
            continue;
        }
        p++;
    }
    /* second alternative: .*?(?=[<>]) on one line */
    for (p = i; p < n && r[p] != '\n'; p++)
        if (r[p] == '<' || r[p] == '>')
            return (long)p;
    return -1;
}

static bool name_start(char c)
{
    return isalpha((unsigned char)c);
}

static bool tag_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == ':';
}

static bool unquoted_char(char c)
{
    return isalnum((unsigned char)c) || (c && strchr("][-./,:;+*%?!&$()_#=~'\"@", c));
}

/* Convert "&#N" without ';' to "&#N;" in an attribute value (the only
 * change entity_or_charref makes there). */
static char *attr_refs(const char *v, size_t n)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        buf_addch(&b, v[i]);
        if (v[i] == '&' && i + 1 < n && v[i + 1] == '#' && i + 2 < n &&
            isdigit((unsigned char)v[i + 2])) {
            size_t k = i + 2;
            while (k < n && isdigit((unsigned char)v[k]))
                k++;
            buf_add(&b, v + i + 1, k - i - 1);
            if (k >= n || v[k] != ';')
                buf_addch(&b, ';');
            i = k - 1;
        }
    }
    return buf_take(&b);
}

static long parse_starttag(struct sgml *s, const char *r, size_t n, size_t i)
{
    /* shorttagopen: '<' name '/' */
    size_t k = i + 1;
    if (name_start(r[k])) {
        size_t t = k + 1;
        while (t < n && (isalnum((unsigned char)r[t]) || r[t] == '-' || r[t] == '.'))
            t++;
        if (t < n && r[t] == '/') {
            /* shorttag <tag/data/ */
            const char *slash = memchr(r + t + 1, '/', n - t - 1);
            if (!slash)
                return -1;
            char tag[64];
            size_t tl = t - k < sizeof(tag) - 1 ? t - k : sizeof(tag) - 1;
            for (size_t q = 0; q < tl; q++)
                tag[q] = (char)tolower((unsigned char)r[k + q]);
            tag[tl] = '\0';
            start_tag(s, tag, NULL, 0, 0);
            data(s, r + t + 1, (size_t)(slash - (r + t + 1)));
            end_tag(s, tag);
            return slash - r + 1;
        }
    }
    long jb = endbracket(r, n, i + 1);
    if (jb < 0)
        return -1;
    size_t j = (size_t)jb;
    char tag[64];
    if (r[i + 1] == '>') {
        snprintf(tag, sizeof(tag), "%s", s->lasttag);
        k = j;
    } else {
        k = i + 1;
        while (k < n && tag_char(r[k]))
            k++;
        size_t tl = k - i - 1 < sizeof(tag) - 1 ? k - i - 1 : sizeof(tag) - 1;
        for (size_t q = 0; q < tl; q++)
            tag[q] = (char)tolower((unsigned char)r[i + 1 + q]);
        tag[tl] = '\0';
        snprintf(s->lasttag, sizeof(s->lasttag), "%s", tag);
    }
    struct attr *a = NULL;
    size_t na = 0, cap = 0;
    while (k < j) {
        size_t m = k;
        while (m < n && isspace((unsigned char)r[m]))
            m++;
        if (!(isalpha((unsigned char)r[m]) || r[m] == '_'))
            break;
        size_t ns = m;
        while (m < n && (isalnum((unsigned char)r[m]) || strchr("-:._", r[m])) && r[m])
            m++;
        size_t ne = m;
        if (m < n && r[m] == '$')
            m++;
        size_t e = m;
        while (e < n && isspace((unsigned char)r[e]))
            e++;
        char *val;
        if (e < n && r[e] == '=') {
            e++;
            while (e < n && isspace((unsigned char)r[e]))
                e++;
            size_t vs = e, ve;
            const char *q;
            if (e < n && (r[e] == '\'' || r[e] == '"') &&
                (q = memchr(r + e + 1, r[e], n - e - 1))) {
                ve = (size_t)(q - r) + 1;
            } else {
                ve = e;
                while (ve < n && unquoted_char(r[ve]))
                    ve++;
            }
            size_t vl = ve - vs;
            const char *v = r + vs;
            if (vl >= 1 && (v[0] == '\'' || v[0] == '"') && v[vl - 1] == v[0]) {
                v++;
                vl = vl >= 2 ? vl - 2 : 0;
            }
            val = attr_refs(v, vl);
            m = ve;
        } else {
            val = xstrndup(r + ns, ne - ns);
        }
        XGROW(a, na + 1, cap);
        a[na].key = xstrndup(r + ns, ne - ns);
        for (char *p = a[na].key; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        a[na].val = val;
        na++;
        k = m;
    }
    if (r[j] == '>')
        j++;
    start_tag(s, tag, a, na, cap);
    if (s->xhtml && j >= 2 && r[j - 2] == '/' && r[j - 1] == '>')
        end_tag(s, s->lasttag);
    return (long)j;
}

static long parse_endtag(struct sgml *s, const char *r, size_t n, size_t i)
{
    long jb = endbracket(r, n, i + 1);
    if (jb < 0)
        return -1;
    size_t j = (size_t)jb;
    size_t a = i + 2, b = j;
    while (a < b && isspace((unsigned char)r[a]))
        a++;
    while (b > a && isspace((unsigned char)r[b - 1]))
        b--;
    char tag[64];
    size_t tl = b - a < sizeof(tag) - 1 ? b - a : sizeof(tag) - 1;
    for (size_t q = 0; q < tl; q++)
        tag[q] = (char)tolower((unsigned char)r[a + q]);
    tag[tl] = '\0';
    if (r[j] == '>')
        j++;
    end_tag(s, tag);
    return (long)j;
}

/* <!-- ... -->; -1 when unterminated. */
static long parse_comment(struct sgml *s, const char *r, size_t n, size_t i)
{
    for (size_t k = i + 4; k + 1 < n; k++) {
        if (r[k] == '-' && r[k + 1] == '-') {
            size_t e = k + 2;
            while (e < n && isspace((unsigned char)r[e]))
                e++;
            if (e < n && r[e] == '>') {
                if (!(s->mode == SGML_SANITIZE && s->unacceptable)) {
                    buf_addstr(&s->out, "<!--");
                    buf_add(&s->out, r + i + 4, k - i - 4);
                    buf_addstr(&s->out, "-->");
                }
                return (long)e + 1;
            }
        }
    }
    if (s->mode != SGML_SANITIZE)
        return -1;
    /* a sanitiser does not let an unclosed comment through */
    for (size_t k = i + 4; k + 1 < n; k++)
        if (r[k] == '-' && r[k + 1] == '-') {
            const char *gt = memchr(r + k + 2, '>', n - k - 2);
            if (gt) {
                /* '--[^>]*>' : the first '>' after "--" */
                return gt - r + 1;
            }
            break;
        }
    return (long)n;
}

/* <!...> other than comments: DOCTYPE and marked sections are dropped by
 * the sanitiser and kept otherwise; -1 when incomplete. */
static long parse_decl(struct sgml *s, const char *r, size_t n, size_t i)
{
    size_t j = i + 2;
    if (j < n && r[j] == '>')
        return (long)j + 1;
    if (j >= n || r[j] == '-')
        return -1;
    if (r[j] == '[') {
        for (size_t k = j; k + 1 < n; k++)
            if (r[k] == ']' && r[k + 1] == '>')
                return (long)k + 2;
        return -1;
    }
    if (!isalpha((unsigned char)r[j])) {
        data(s, "&lt;", 4);
        return (long)i + 1;
    }
    char quote = 0;
    for (size_t k = j; k < n; k++) {
        if (quote) {
            if (r[k] == quote)
                quote = 0;
        } else if (r[k] == '"' || r[k] == '\'') {
            quote = r[k];
        } else if (r[k] == '>') {
            if (s->mode != SGML_SANITIZE && !strncasecmp(r + j, "doctype", 7)) {
                buf_addstr(&s->out, "<!");
                buf_add(&s->out, r + i + 2, k - i - 2);
                buf_addch(&s->out, '>');
            }
            return (long)k + 1;
        }
    }
    return -1;
}

static void goahead(struct sgml *s, const char *r, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && r[j] != '<' && r[j] != '&')
            j++;
        if (i < j)
            data(s, r + i, j - i);
        i = j;
        if (i == n)
            break;
        if (r[i] == '<') {
            long k = -2;
            if (i + 1 < n && (r[i + 1] == '>' || isalpha((unsigned char)r[i + 1])))
                k = parse_starttag(s, r, n, i);
            else if (i + 1 < n && r[i + 1] == '/')
                k = parse_endtag(s, r, n, i);
            else if (n - i >= 4 && !memcmp(r + i, "<!--", 4))
                k = parse_comment(s, r, n, i);
            else if (i + 1 < n && r[i + 1] == '?') {
                const char *gt = memchr(r + i + 2, '>', n - i - 2);
                if (!gt) {
                    k = -1;
                } else {
                    if (s->mode != SGML_SANITIZE) {
                        buf_addstr(&s->out, "<?");
                        buf_add(&s->out, r + i + 2, (size_t)(gt - r) - i - 2);
                        buf_addch(&s->out, '>');
                    }
                    k = gt - r + 1;
                }
            } else if (i + 1 < n && r[i + 1] == '!')
                k = parse_decl(s, r, n, i);
            if (k == -1)
                break;
            if (k >= 0) {
                i = (size_t)k;
                continue;
            }
        } else {
            /* &#(\d+|[xX][0-9a-fA-F]+); */
            size_t k = i + 1;
            if (k < n && r[k] == '#') {
                size_t d = k + 1;
                if (d < n && (r[d] == 'x' || r[d] == 'X')) {
                    size_t e = d + 1;
                    while (e < n && isxdigit((unsigned char)r[e]))
                        e++;
                    if (e > d + 1 && e < n && r[e] == ';') {
                        charref(s, r + d, e - d);
                        i = e + 1;
                        continue;
                    }
                } else {
                    size_t e = d;
                    while (e < n && isdigit((unsigned char)r[e]))
                        e++;
                    if (e > d && e < n && r[e] == ';') {
                        charref(s, r + d, e - d);
                        i = e + 1;
                        continue;
                    }
                }
            } else if (k < n && isalpha((unsigned char)r[k])) {
                /* &([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9] */
                size_t e = k;
                while (e < n && (isalnum((unsigned char)r[e]) || r[e] == '-' || r[e] == '.'))
                    e++;
                if (e < n) {
                    entityref(s, r + k, e - k);
                    i = r[e] == ';' ? e + 1 : e;
                    continue;
                }
            }
        }
        /* incomplete: &name, &#digits, <tag..., </..., <!... */
        size_t j2 = i + 1;
        if (r[i] == '&') {
            if (j2 < n && isalpha((unsigned char)r[j2])) {
                while (j2 < n && isalnum((unsigned char)r[j2]))
                    j2++;
            } else if (j2 < n && r[j2] == '#') {
                j2++;
                while (j2 < n && isdigit((unsigned char)r[j2]))
                    j2++;
            }
        } else if (j2 < n && (isalpha((unsigned char)r[j2]) || r[j2] == '!')) {
            j2++;
            while (j2 < n && r[j2] != '<' && r[j2] != '>')
                j2++;
        } else if (j2 < n && r[j2] == '/') {
            j2++;
            if (j2 < n && isalpha((unsigned char)r[j2]))
                while (j2 < n && r[j2] != '<' && r[j2] != '>')
                    j2++;
        }
        if (j2 == n)
            break;
        data(s, r + i, j2 - i);
        i = j2;
    }
    if (i < n)
        data(s, r + i, n - i);
}

/* feed(): the regex rewrites done before tokenising. */
static char *prefeed(const char *in)
{
    struct buf b = BUF_INIT;
    int decl_fixes = 0;
    for (const char *p = in; *p;) {
        /* <!((?!DOCTYPE|--|\[)) -> &lt;! , at most twice (re.sub count) */
        if (p[0] == '<' && p[1] == '!' && decl_fixes < 2 && strncmp(p + 2, "DOCTYPE", 7) &&
            strncmp(p + 2, "--", 2) && p[2] != '[') {
            buf_addstr(&b, "&lt;!");
            p += 2;
            decl_fixes++;
            continue;
        }
        /* '<name/>' and '<name />' become '<name />' or '<name></name>' */
        if (p[0] == '<') {
            const char *q = p + 1;
            while (*q && *q != '<' && *q != '>' && !isspace((unsigned char)*q))
                q++;
            /* non-greedy: the name ends before the last "/" that precedes
             * optional space and '>' */
            const char *nameend = NULL, *end = NULL;
            const char *w = q;
            while (isspace((unsigned char)*w))
                w++;
            if (q > p + 1 && q[-1] == '/' && *q == '>' && q - 1 > p + 1) {
                nameend = q - 1;
                end = q + 1;
            } else if (q > p + 1 && w[0] == '/' && w[1] == '>') {
                nameend = q;
                end = w + 2;
            }
            if (nameend) {
                /* the non-greedy name also stops before trailing white space */
                char tag[128];
                size_t tl = (size_t)(nameend - p - 1);
                if (tl < sizeof(tag)) {
                    memcpy(tag, p + 1, tl);
                    tag[tl] = '\0';
                    if (in_list(tag, void_elements))
                        buf_addf(&b, "<%s />", tag);
                    else
                        buf_addf(&b, "<%s></%s>", tag, tag);
                    p = end;
                    continue;
                }
            }
        }
        if (*p != '<' && *p != '&') {
            size_t run = strcspn(p, "<&");
            buf_add(&b, p, run);
            p += run;
            continue;
        }
        if (!strncmp(p, "&#39;", 5)) {
            buf_addch(&b, '\'');
            p += 5;
            continue;
        }
        if (!strncmp(p, "&#34;", 5)) {
            buf_addch(&b, '"');
            p += 5;
            continue;
        }
        buf_addch(&b, *p++);
    }
    return buf_take(&b);
}

char *fp_sgml(const char *html, enum sgml_mode mode, const char *type, const char *base)
{
    struct sgml s = {.mode = mode, .type = type, .base = base, .out = BUF_INIT};
    snprintf(s.lasttag, sizeof(s.lasttag), "???");
    s.xhtml = type && !strcmp(type, "application/xhtml+xml");
    char *src;
    if (mode == SGML_SANITIZE) {
        /* html_source.replace('<![CDATA[', '&lt;![CDATA[') */
        struct buf b = BUF_INIT;
        for (const char *p = html; *p;) {
            if (*p != '<') {
                size_t run = strcspn(p, "<");
                buf_add(&b, p, run);
                p += run;
                continue;
            }
            if (!strncmp(p, "<![CDATA[", 9)) {
                buf_addstr(&b, "&lt;![CDATA[");
                p += 9;
            } else {
                buf_addch(&b, *p++);
            }
        }
        src = prefeed(b.ptr);
        buf_release(&b);
    } else {
        src = prefeed(html);
    }
    goahead(&s, src, strlen(src));
    free(src);
    char *out = buf_take(&s.out);
    if (mode == SGML_SANITIZE) {
        fp_strip(out);
        /* \r\n -> \n */
        char *w = out;
        for (const char *r = out; *r; r++) {
            if (r[0] == '\r' && r[1] == '\n')
                continue;
            *w++ = *r;
        }
        *w = '\0';
    }
    return out;
}

bool fp_acceptable_element(const char *tag)
{
    return in_sorted(tag, san_acceptable_elements);
}
