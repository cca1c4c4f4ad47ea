/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mw-label.h"

G_BEGIN_DECLS

/*
 * What data files (regimes, scenario packs) share when they are read: every
 * problem is "FILE: PATH: what is wrong", texts are bounded, ids are of one alphabet, labels
 * have exactly an English and a Dutch text. Each file format wraps an MwDataParser in its
 * own parser.
 */
typedef struct {
  const char *file;      /* named in every message */
  GError    **error;
  const char *format;    /* the format's name, for a member it does not have */
} MwDataParser;

/* The most bytes a text in a data file may have. */
#define MW_DATA_MAX_TEXT 4000

/* Sets the error ("FILE: PATH: message") and returns FALSE. */
gboolean  mw_data_fail         (MwDataParser       *p,
                                const char         *path,
                                const char         *format,
                                ...) G_GNUC_PRINTF (3, 4);
/* Lower-case letters, digits and "-" (and "." between parts with @dots, "_" with
 * @underscore), at most 64. */
gboolean  mw_data_id_valid     (const char         *id,
                                gboolean            dots,
                                gboolean            underscore);
/* The member @name of @object (which may be NULL), or NULL when it is absent or null. */
JsonNode *mw_data_member       (JsonObject         *object,
                                const char         *name);
/* Refuses a member not in @known: a misspelt name must not pass silently. */
gboolean  mw_data_only_members (MwDataParser       *p,
                                JsonObject         *object,
                                const char         *path,
                                const char * const *known);
/* A text of at most MW_DATA_MAX_TEXT bytes into *out (untouched when absent and optional). */
gboolean  mw_data_get_string   (MwDataParser       *p,
                                JsonObject         *object,
                                const char         *path,
                                const char         *name,
                                gboolean            required,
                                char              **out);
/* A required id (see mw_data_id_valid()). */
gboolean  mw_data_get_id       (MwDataParser       *p,
                                JsonObject         *object,
                                const char         *path,
                                const char         *name,
                                gboolean            dots,
                                gboolean            underscore,
                                char              **out);
/* {"en": …, "nl": …} and nothing else. */
gboolean  mw_data_get_label    (MwDataParser       *p,
                                JsonObject         *object,
                                const char         *path,
                                const char         *name,
                                gboolean            required,
                                MwLabel            *label);

G_END_DECLS
