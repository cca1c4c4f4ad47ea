/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A bilingual text from a data file. */
typedef struct {
  char *en;
  char *nl;
} MwLabel;

const char *mw_language      (void);
void        mw_language_set  (const char    *language);
const char *mw_label_get     (const MwLabel *label);
void        mw_label_clear   (MwLabel       *label);

/* Joins texts for a sentence in the user's language: "a", "a and b", "a, b and c". */
char       *mw_join_for_sentence (GPtrArray *texts);

G_END_DECLS
