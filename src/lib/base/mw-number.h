/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Numbers as people write them in their language.
 *
 * Dutch ("nl") writes 120.000 for a hundred and twenty thousand and 2,5 for two and a half;
 * English (any other language) writes 120,000 and 2.5. Thousands may also be grouped with
 * spaces (120 000) or not at all (120000); grouping is in groups of three. A text that one
 * language reads as a decimal and the other as thousands ("120.000" in English, "120,000" in
 * Dutch: one to three digits, a separator and exactly three digits) is refused as ambiguous
 * rather than guessed; so is anything malformed or with more than 15 digits. A refusal says
 * how to write the number in that language. Nothing is ever truncated. */

#define MW_NUMBER_MAX_TEXT 64

gboolean  mw_number_parse  (const char  *text,
                            const char  *language,
                            double      *value,
                            GError     **error);
/* As mw_number_parse() reads it back: thousands grouped, the language's decimal mark. */
char     *mw_number_format (double       value,
                            const char  *language);

G_END_DECLS
