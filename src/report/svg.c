/* SPDX-License-Identifier: MIT */
/* svg.c: standalone SVG charts — a line chart and a heatmap.
 *
 * The output is plain SVG 1.1 with no scripts, fonts or external
 * references, so it opens in any browser or image viewer and can be
 * attached to a report as is. Charts are groups (<g>) placed one under the
 * other by the caller; report_svg_document() wraps them. Each point and
 * cell carries a <title> with its exact value (a tooltip in browsers).
 * Labels come from feeds and users, so every one is XML-escaped. */
#include "report/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FONT "font-family=\"sans-serif\""

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

static void esc(struct buf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': buf_addstr(out, "&amp;"); break;
        case '<': buf_addstr(out, "&lt;"); break;
        case '>': buf_addstr(out, "&gt;"); break;
        case '"': buf_addstr(out, "&quot;"); break;
        default:
            /* control characters are not allowed in XML 1.0 */
            if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
                buf_addch(out, *s);
        }
    }
}

static void text(struct buf *out, double x, double y, const char *anchor, int size,
                 const char *extra, const char *s)
{
    buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" " FONT "%s%s>",
             x, y, anchor, size, extra ? " " : "", extra ? extra : "");
    esc(out, s);
    buf_addstr(out, "</text>\n");
}

/* A "nice" axis maximum >= v: 1, 2 or 5 times a power of ten. */
static double nice_max(double v)
{
    if (!(v > 0))
        return 1;
    double p = pow(10, floor(log10(v)));
    for (int i = 0; i < 3; i++) {
        double m = (double[]){1, 2, 5}[i] * p;
        if (m >= v)
            return m;
    }
    return 10 * p;
}

static void fmt_num(char out[32], double v)
{
    if (v == floor(v) && fabs(v) < 1e9)
        snprintf(out, 32, "%.0f", v);
    else if (fabs(v) >= 10)
        snprintf(out, 32, "%.1f", v);
    else
        snprintf(out, 32, "%.2f", v);
}

int report_svg_lines(const struct report_chart *c, int y0, struct buf *out)
{
    const double left = 70, right = 210, top = 40, plot_h = 300, bottom = 80;
    const double plot_w = REPORT_SVG_WIDTH - left - right;
    int height = (int)(top + plot_h + bottom);
    double maxv = 0;
    for (size_t i = 0; i < c->nseries * c->nx; i++)
        if (!isnan(c->y[i]) && c->y[i] > maxv)
            maxv = c->y[i];
    double ymax = nice_max(maxv);
    buf_addf(out, "<g transform=\"translate(0,%d)\">\n", y0);
    text(out, REPORT_SVG_WIDTH / 2.0, 24, "middle", 16, "font-weight=\"bold\"", c->title);
    /* grid and y axis */
    for (int i = 0; i <= 5; i++) {
        double v = ymax * i / 5, y = top + plot_h - plot_h * i / 5;
        char lab[32];
        fmt_num(lab, v);
        buf_addf(out,
                 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                 "stroke-width=\"1\"/>\n",
                 left, y, left + plot_w, y, i ? "#e5e5e5" : "#333");
        text(out, left - 6, y + 4, "end", 11, NULL, lab);
    }
    buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", left,
             top, left, top + plot_h);
    char rot[96];
    snprintf(rot, sizeof(rot), "transform=\"rotate(-90 %.1f %.1f)\"", 16.0, top + plot_h / 2);
    text(out, 16, top + plot_h / 2, "middle", 12, rot, c->y_label);
    /* x axis: at most ~16 labels, rotated when many */
    double step = c->nx > 1 ? plot_w / (double)(c->nx - 1) : 0;
    size_t every = c->nx > 16 ? (c->nx + 15) / 16 : 1;
    for (size_t i = 0; i < c->nx; i++) {
        double x = c->nx > 1 ? left + step * (double)i : left + plot_w / 2;
        buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
                 x, top + plot_h, x, top + plot_h + 4);
        if (i % every)
            continue;
        char tr[96];
        snprintf(tr, sizeof(tr), "transform=\"rotate(-30 %.1f %.1f)\"", x, top + plot_h + 16);
        text(out, x, top + plot_h + 16, "end", 11, c->nx > 6 ? tr : NULL, c->x[i]);
    }
    text(out, left + plot_w / 2, top + plot_h + bottom - 8, "middle", 12, NULL, c->x_label);
    /* lines, points, legend */
    for (size_t s = 0; s < c->nseries; s++) {
        const char *col = palette[s % NPALETTE];
        buf_addf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", col);
        for (size_t i = 0; i < c->nx; i++) {
            double v = c->y[s * c->nx + i];
            if (isnan(v))
                continue;
            double x = c->nx > 1 ? left + step * (double)i : left + plot_w / 2;
            buf_addf(out, "%.1f,%.1f ", x, top + plot_h - plot_h * v / ymax);
        }
        buf_addstr(out, "\"/>\n");
        for (size_t i = 0; i < c->nx; i++) {
            double v = c->y[s * c->nx + i];
            if (isnan(v))
                continue;
            double x = c->nx > 1 ? left + step * (double)i : left + plot_w / 2;
            char lab[32];
            fmt_num(lab, v);
            buf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>", x,
                     top + plot_h - plot_h * v / ymax, col);
            esc(out, c->series[s]);
            buf_addstr(out, ", ");
            esc(out, c->x[i]);
            buf_addf(out, ": %s</title></circle>\n", lab);
        }
        double ly = top + 10 + 20 * (double)s;
        buf_addf(out,
                 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                 "stroke-width=\"3\"/>\n",
                 left + plot_w + 16, ly, left + plot_w + 40, ly, col);
        text(out, left + plot_w + 46, ly + 4, "start", 12, NULL, c->series[s]);
    }
    buf_addstr(out, "</g>\n");
    return height;
}

/* White to dark blue by t in [0, 1]. */
static void shade(double t, char out[8])
{
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    int r = (int)(255 - t * (255 - 8)), g = (int)(255 - t * (255 - 48)),
        b = (int)(255 - t * (255 - 107));
    snprintf(out, 8, "#%02x%02x%02x", r & 255, g & 255, b & 255);
}

int report_svg_heatmap(const struct report_heatmap *h, int y0, struct buf *out)
{
    const double left = 190, top = 44, right = 20, cell_h = 22;
    double cell_w = (REPORT_SVG_WIDTH - left - right) / (double)(h->ncols ? h->ncols : 1);
    if (cell_w > 90)
        cell_w = 90;
    double plot_h = cell_h * (double)h->nrows;
    int height = (int)(top + plot_h + 110);
    double maxv = 0;
    for (size_t i = 0; i < h->nrows * h->ncols; i++)
        if (!isnan(h->v[i]) && h->v[i] > maxv)
            maxv = h->v[i];
    buf_addf(out, "<g transform=\"translate(0,%d)\">\n", y0);
    text(out, REPORT_SVG_WIDTH / 2.0, 24, "middle", 16, "font-weight=\"bold\"", h->title);
    for (size_t r = 0; r < h->nrows; r++) {
        double y = top + cell_h * (double)r;
        text(out, left - 6, y + cell_h / 2 + 4, "end", 11, NULL, h->rows[r]);
        for (size_t c = 0; c < h->ncols; c++) {
            double v = h->v[r * h->ncols + c];
            char col[8] = "#f4f4f4", lab[32] = "";
            if (!isnan(v)) {
                shade(maxv > 0 ? v / maxv : 0, col);
                fmt_num(lab, v);
            }
            double x = left + cell_w * (double)c;
            buf_addf(out,
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                     "stroke=\"#fff\"><title>",
                     x, y, cell_w, cell_h, col);
            esc(out, h->rows[r]);
            buf_addstr(out, ", ");
            esc(out, h->cols[c]);
            buf_addf(out, ": %s</title></rect>\n", isnan(v) ? "no articles" : lab);
            if (!isnan(v) && cell_w >= 26)
                text(out, x + cell_w / 2, y + cell_h / 2 + 4, "middle", 10,
                     maxv > 0 && v / maxv > 0.55 ? "fill=\"#fff\"" : NULL, lab);
        }
    }
    size_t every = h->ncols > 24 ? (h->ncols + 23) / 24 : 1;
    for (size_t c = 0; c < h->ncols; c += every) {
        double x = left + cell_w * ((double)c + 0.5);
        char tr[96];
        snprintf(tr, sizeof(tr), "transform=\"rotate(-30 %.1f %.1f)\"", x, top + plot_h + 14);
        text(out, x, top + plot_h + 14, "end", 11, tr, h->cols[c]);
    }
    /* legend: the colour scale */
    double ly = top + plot_h + 70;
    for (int i = 0; i <= 10; i++) {
        char col[8];
        shade(i / 10.0, col);
        buf_addf(out,
                 "<rect x=\"%.1f\" y=\"%.1f\" width=\"20\" height=\"12\" fill=\"%s\" "
                 "stroke=\"#ccc\"/>\n",
                 left + 20.0 * i, ly, col);
    }
    char lo[64], hi[64];
    snprintf(lo, sizeof(lo), "0");
    fmt_num(hi, maxv);
    text(out, left - 6, ly + 10, "end", 11, NULL, lo);
    text(out, left + 226, ly + 10, "start", 11, NULL, hi);
    text(out, left + 270, ly + 10, "start", 11, NULL, h->value_label);
    buf_addstr(out, "</g>\n");
    return height;
}

enum achim_code report_svg_document(const struct buf *groups, int height, struct buf *out)
{
    buf_addf(out,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
             "height=\"%d\" viewBox=\"0 0 %d %d\">\n"
             "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
             REPORT_SVG_WIDTH, height, REPORT_SVG_WIDTH, height);
    buf_add(out, groups->ptr, groups->len);
    return buf_addstr(out, "</svg>\n");
}
