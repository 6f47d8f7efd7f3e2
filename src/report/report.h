/* SPDX-License-Identifier: MIT */
/* report.h: render a struct briefing. Rendering never changes the model and
 * never fails on content: every string from a feed is escaped for the
 * target format. Footnotes are numbered in order of first citation. */
#ifndef ACHIM_REPORT_H
#define ACHIM_REPORT_H

#include "base/buf.h"
#include "model/model.h"

/* Section heading for an area in the briefing's language ("en" or "ko"). */
const char *report_area_title(enum brief_area area, const char *lang);

/* A bullet's topic label in the briefing's language (borrowed string). */
const char *report_topic_name(const char *topic, const char *lang);

/* Markdown with GFM footnotes ([^n] in bullets, definitions at the end). */
enum achim_code report_markdown(const struct briefing *b, struct buf *out);

/* JSON document of the whole briefing (one object; see docs/brief-json.md). */
enum achim_code report_json(const struct briefing *b, struct buf *out);

#endif
