/* SPDX-License-Identifier: MIT */
/* csv.c: RFC 4180 records for `achim trends --format csv`.
 *
 * A field is quoted only when it must be (comma, quote, CR or LF), with
 * inner quotes doubled, so plain tables stay readable and every spreadsheet
 * and csv module reads them back unchanged. Records end in "\n". */
#include "report/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static enum achim_code field(struct buf *out, const char *s)
{
    if (!s)
        return ACHIM_OK;
    if (!strpbrk(s, ",\"\r\n"))
        return buf_addstr(out, s);
    enum achim_code rc = buf_addch(out, '"');
    for (; *s && rc == ACHIM_OK; s++)
        rc = *s == '"' ? buf_addstr(out, "\"\"") : buf_addch(out, *s);
    return rc == ACHIM_OK ? buf_addch(out, '"') : rc;
}

enum achim_code report_csv_row(struct buf *out, const char *const *fields, size_t n)
{
    enum achim_code rc = ACHIM_OK;
    for (size_t i = 0; i < n && rc == ACHIM_OK; i++) {
        if (i)
            rc = buf_addch(out, ',');
        if (rc == ACHIM_OK)
            rc = field(out, fields[i]);
    }
    return rc == ACHIM_OK ? buf_addch(out, '\n') : rc;
}

void report_csv_num(char out[static 32], double v)
{
    if (isnan(v))
        out[0] = '\0';
    else if (isinf(v))
        snprintf(out, 32, "%s", v > 0 ? "inf" : "-inf");
    else
        snprintf(out, 32, "%.6g", v);
}
