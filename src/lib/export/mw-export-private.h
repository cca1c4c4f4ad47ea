/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-export.h"

G_BEGIN_DECLS

/* The time at a dotted path of the report, or NULL when unknown or not a time. */
GDateTime  *mw_export_report_time   (MwReport    *report,
                                     const char  *path);
/* The time the report was written: created_at, else the latest known timeline time.
 * NULL with an error when the report holds no time at all. */
GDateTime  *mw_export_created_time  (MwReport    *report,
                                     GError     **error);
/* What the deterministic ids derive from: the report_id, or a digest of the report. */
char       *mw_export_report_key    (MwReport    *report);
/* The report's string at path, or NULL when absent or empty. */
const char *mw_export_string        (MwReport    *report,
                                     const char  *path);

G_END_DECLS
