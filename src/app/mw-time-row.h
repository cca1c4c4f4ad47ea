/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A row for one moment: a date and time entry in local time ("2026-11-22 03:10"), the time
 * zone, and a "Now" button. Empty is allowed (unknown); anything else must parse. */

#define MW_TYPE_TIME_ROW (mw_time_row_get_type ())
G_DECLARE_FINAL_TYPE (MwTimeRow, mw_time_row, MW, TIME_ROW, AdwActionRow)

GtkWidget *mw_time_row_new        (const char *title,
                                   const char *accessible_name);
/* RFC 3339 text or NULL for empty/unknown. Does not emit "changed". */
void       mw_time_row_set_value  (MwTimeRow  *self,
                                   const char *rfc3339);
/* RFC 3339 with the local offset, or NULL when empty or invalid. */
char      *mw_time_row_dup_value  (MwTimeRow  *self);
gboolean   mw_time_row_get_valid  (MwTimeRow  *self);
gboolean   mw_time_row_get_empty  (MwTimeRow  *self);
void       mw_time_row_set_now    (MwTimeRow  *self);
/* Shows a problem found by the page (ordering); NULL clears it. */
void       mw_time_row_set_error  (MwTimeRow  *self,
                                   const char *message);
GtkEntry  *mw_time_row_get_entry  (MwTimeRow  *self);

/* Parses "YYYY-MM-DD HH:MM[:SS]" in local time, or RFC 3339. */
GDateTime *mw_parse_local_time    (const char *text);

G_END_DECLS
