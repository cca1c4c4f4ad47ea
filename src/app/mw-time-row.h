/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A row for one moment: a date and time as people type it ("6-12-2026 01:30", "01:30" for
 * today, "nu"/"now"; see mw_time_parse()), read in Dutch time, with a "Now" button and a
 * calendar. The row says what it understood and shows it back as "2026-12-06 01:30" when the
 * cursor leaves. Empty is allowed (unknown); anything else must parse. */

#define MW_TYPE_TIME_ROW (mw_time_row_get_type ())
G_DECLARE_FINAL_TYPE (MwTimeRow, mw_time_row, MW, TIME_ROW, AdwActionRow)

GtkWidget *mw_time_row_new        (const char *title,
                                   const char *accessible_name);
/* RFC 3339 text or NULL for empty/unknown. Does not emit "changed". */
void       mw_time_row_set_value  (MwTimeRow  *self,
                                   const char *rfc3339);
/* RFC 3339 with the Dutch offset of that moment, or NULL when empty or invalid. */
char      *mw_time_row_dup_value  (MwTimeRow  *self);
gboolean   mw_time_row_get_valid  (MwTimeRow  *self);
gboolean   mw_time_row_get_empty  (MwTimeRow  *self);
void       mw_time_row_set_now    (MwTimeRow  *self);
/* Shows a problem found by the page (ordering); NULL clears it. */
void       mw_time_row_set_error  (MwTimeRow  *self,
                                   const char *message);
GtkEntry  *mw_time_row_get_entry  (MwTimeRow  *self);

/* mw_time_parse() in Dutch time, now as today. */
GDateTime *mw_parse_local_time    (const char *text);

G_END_DECLS
