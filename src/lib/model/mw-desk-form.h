/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "mw-report.h"

G_BEGIN_DECLS

/*
 * The answers of a report as a desk's form asks them (DESIGN.md, "Filing at a desk"): in
 * the order of the form's sections (a regime channel's "form"), each a label and a text
 * ready to paste. Section ids: organisation, sector, notifier, significance, status, times,
 * description, impact, cross-border, indicators. Unknown ids are skipped; NULL sections
 * give every section in that order.
 */

typedef struct {
  char *section;  /* the section id */
  char *label;    /* what the form calls it, in the user's language */
  char *value;    /* the answer, ready to paste */
} MwDeskAnswer;

void         mw_desk_answer_free        (MwDeskAnswer       *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDeskAnswer, mw_desk_answer_free)

/* The answers the report has (unknown ones are left out), of MwDeskAnswer. */
GPtrArray   *mw_desk_form_answers       (MwReport           *report,
                                         const char * const *sections);
/* A section's heading in the user's language, or NULL for an unknown id. */
const char  *mw_desk_form_section_title (const char         *section);
/* The answers as one text (for an e-mail body, or to read out on the phone). */
char        *mw_desk_form_to_text       (GPtrArray          *answers);

/* A time as a person types it when recording a filing: RFC 3339 with an offset, or without
 * one ("2026-12-06T03:10", "2026-12-06 03:10", with or without seconds) in Dutch time
 * (DESIGN.md). FALSE when it is not a time. */
gboolean     mw_desk_form_parse_time    (const char         *text,
                                         GDateTime         **out);

G_END_DECLS
