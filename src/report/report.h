/* SPDX-License-Identifier: MIT */
/* report.h: render a struct briefing. Rendering never changes the model and
 * never fails on content: every string from a feed is escaped for the
 * target format. Footnotes are numbered in order of first citation. */
#ifndef ACHIM_REPORT_H
#define ACHIM_REPORT_H

#include "base/buf.h"
#include "base/err.h"
#include "model/model.h"

/* Section heading for an area in the briefing's language ("en" or "ko"). */
const char *report_area_title(enum brief_area area, const char *lang);

/* A bullet's topic label in the briefing's language (borrowed string). */
const char *report_topic_name(const char *topic, const char *lang);

/* Markdown with GFM footnotes ([^n] in bullets, definitions at the end). */
enum achim_code report_markdown(const struct briefing *b, struct buf *out);

/* JSON document of the whole briefing (one object; see docs/brief-json.md). */
enum achim_code report_json(const struct briefing *b, struct buf *out);

/* ---- charts and tables (src/report/svg.c, src/report/csv.c) ------------- *
 *
 * Generic renderings used by `achim trends`: they know labels and numbers,
 * not terms or stores. Every label is escaped for its format. */

/* A line chart: nseries lines over nx categories; y[s * nx + i], NAN = gap. */
struct report_chart {
    const char *title, *x_label, *y_label;
    const char *const *x; /* category labels */
    size_t nx;
    const char *const *series; /* legend names */
    size_t nseries;
    const double *y;
};

/* A heatmap: nrows x ncols cells v[r * ncols + c] (NAN = no data), shaded
 * from white (0) to dark (the maximum), each cell labelled with its value. */
struct report_heatmap {
    const char *title, *value_label;
    const char *const *rows;
    size_t nrows;
    const char *const *cols;
    size_t ncols;
    const double *v;
};

#define REPORT_SVG_WIDTH 960

/* Append the chart as an SVG group at vertical offset y0; returns the
 * height used (pixels). */
int report_svg_lines(const struct report_chart *c, int y0, struct buf *out);
int report_svg_heatmap(const struct report_heatmap *h, int y0, struct buf *out);
/* Wrap groups into a standalone SVG document of the given height. */
enum achim_code report_svg_document(const struct buf *groups, int height, struct buf *out);

/* Append one CSV record (RFC 4180: fields quoted when they hold a comma,
 * quote or line break; CRLF not used, "\n" ends the record). */
enum achim_code report_csv_row(struct buf *out, const char *const *fields, size_t n);
/* Append a number as a CSV field text: "" for NAN, else %.6g. */
void report_csv_num(char out[static 32], double v);

/* ---- language templates (lang.c) --------------------------------------- */

/* A figure in the briefing's language, kind, unit and qualifier as struct
 * brief_figure: "more than $10 billion" / "100억 달러 이상", "€2.5 billion" /
 * "25억 유로", "₩3 trillion" / "3조 원", "up to 750 MW", "1.2 GW", "61%". */
void report_figure(struct buf *out, int kind, double value, const char *unit, int qualifier,
                   const char *lang);
/* "For researchers" / "연구자 관점" ... */
const char *report_audience_title(enum brief_audience a, const char *lang);
/* "confirmed by 4 outlets" / "single source" (plain text). */
void report_confirmation(struct buf *out, const struct brief_bullet *bl, const char *lang);
/* One implication line from its measured fact (plain text, no citation). */
void report_fact_text(struct buf *out, const struct brief_fact *f, const char *lang);
/* A continued story's "since yesterday" line (plain text, no citation). */
void report_since_text(struct buf *out, const struct briefing *b, const struct brief_bullet *bl);
/* "Outlets differ on the figure: " */
void report_figures_intro(struct buf *out, const char *lang);

/* ---- HTML, e-mail and Atom (html.c, email.c, atom.c) --------------------- */

/* The whole page: <!DOCTYPE html>, inline CSS for mail clients, the body
 * rendered by cmark-gfm from report_markdown() (raw HTML never passes). */
enum achim_code report_html(const struct briefing *b, struct buf *out);
/* Only the styled body (for Atom entries). */
enum achim_code report_html_fragment(const struct briefing *b, struct buf *out);
/* Escape & < > " ' for HTML text and attributes. */
void report_html_escape(struct buf *out, const char *s);
/* "achim morning brief" / "achim 아침 브리핑". */
const char *report_title(const struct briefing *b);
/* Title of the highest-scored bullet's first source (borrowed), or NULL. */
const char *report_top_story(const struct briefing *b);
/* "[achim] 2026-02-01 — <top story>" (UTF-8, not yet RFC 2047 encoded). */
void report_subject(const struct briefing *b, struct buf *out);

struct report_mail {
    const char *from;        /* "achim <achim@example.org>"; required */
    const char *to;          /* one or more addresses, ", "-separated; required */
    const char *unsubscribe; /* List-Unsubscribe URI(s) ("mailto:..." or "https://..."), or NULL */
    const char *domain;      /* right-hand side of Message-ID; NULL: "achim.localhost" */
    int64_t date;            /* the Date header */
};

/* RFC 5322 message, multipart/alternative (text/plain Markdown + text/html),
 * CRLF line ends. ACHIM_EINVAL when an address is missing or has a line break. */
enum achim_code report_email(const struct briefing *b, const struct report_mail *m, struct buf *out,
                             struct err *err);

struct report_feed {
    const char *self_url; /* rel="self" link, or NULL */
    int64_t updated;      /* at least this <updated>; 0: the newest brief's */
};

/* Atom 1.0 feed with one entry per brief, newest first. */
enum achim_code report_atom(const struct briefing *briefs, size_t n, const struct report_feed *f,
                            struct buf *out);

#endif
