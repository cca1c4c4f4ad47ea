/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-regime.h"
#include "mw-report.h"

G_BEGIN_DECLS

/* One regime fact as a question: a number with its unit and an explicit "Unknown" check
 * (unknown is not 0), or a Yes / No / Unknown choice for a boolean fact. Edits write
 * facts.<id> in the report at once. */

#define MW_TYPE_FACT_ROW (mw_fact_row_get_type ())
G_DECLARE_FINAL_TYPE (MwFactRow, mw_fact_row, MW, FACT_ROW, AdwActionRow)

GtkWidget  *mw_fact_row_new       (const MwFactDef *fact,
                                   MwReport        *report);
const char *mw_fact_row_get_fact_id (MwFactRow     *self);
/* Reloads the value from the report. */
void        mw_fact_row_load      (MwFactRow       *self);
/* FALSE when a number is neither a valid value nor marked unknown. */
gboolean    mw_fact_row_get_valid (MwFactRow       *self);
GtkWidget  *mw_fact_row_get_input (MwFactRow       *self);
/* Writes the number back in the user's way of writing it, as leaving the field does. */
void        mw_fact_row_show_value (MwFactRow      *self);
void        mw_fact_row_share_unit_width (MwFactRow *self,
                                          GtkSizeGroup *group);

/* Parses a number of 0 or more as the user's language writes it (mw_number_parse()); integer
 * facts must be whole. */
gboolean    mw_parse_fact_number  (const char      *text,
                                   gboolean         integer,
                                   double          *value);

G_END_DECLS
