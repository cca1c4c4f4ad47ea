/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"
#include "mw-time-row.h"

G_BEGIN_DECLS

#define MW_TYPE_WHEN_PAGE (mw_when_page_get_type ())
G_DECLARE_FINAL_TYPE (MwWhenPage, mw_when_page, MW, WHEN_PAGE, MwPage)

GtkWidget *mw_when_page_new       (MwSession  *session);
/* field: "started_at", "detected_at", "aware_at" or "resolved_at". */
MwTimeRow *mw_when_page_get_row   (MwWhenPage *self,
                                   const char *field);
void       mw_when_page_set_resolved (MwWhenPage *self,
                                      gboolean    resolved);

/* The timeline rules: awareness known; start <= detection <= awareness; resolution after the
 * start; nothing in the future. Returns a sentence saying what to fix, or NULL; *field gets
 * the field at fault. Times are RFC 3339 or NULL (unknown). */
char      *mw_check_timeline      (const char  *started_at,
                                   const char  *detected_at,
                                   const char  *aware_at,
                                   gboolean     resolved,
                                   const char  *resolved_at,
                                   GDateTime   *now,
                                   const char **field);

G_END_DECLS
