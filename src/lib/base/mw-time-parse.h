/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A date and time as people type them, read in @zone (for reports: Dutch time).
 *
 * Accepted, with the day always before the month as in the Netherlands:
 *   "6-12-2026 01:30", "06-12-2026 01:30:15", "6.12.26 1:30"   day-month-year
 *   "6-12 1:30"                                                 this year
 *   "01:30", "1:30"                                             today
 *   "2026-12-06 01:30", "2026-12-06T01:30"                      year first
 *   "2026-12-06T01:30:00+01:00", "...Z"                         RFC 3339, any offset
 *   "nu", "now"                                                 this minute
 * "today" and "this year" are those of @now in @zone. A date alone, a time that does not
 * exist, a month day that does not exist or anything else is refused with a message that says
 * how to write it. The result is in @zone. */

#define MW_TIME_PARSE_MAX_TEXT 64

GDateTime *mw_time_parse (const char  *text,
                          GTimeZone   *zone,
                          GDateTime   *now,
                          GError     **error);

G_END_DECLS
