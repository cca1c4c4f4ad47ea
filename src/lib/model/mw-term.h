/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Europe/Amsterdam, the zone every legal term is counted and shown in (DOMAIN.md, Time). */
GTimeZone  *mw_dutch_time_zone   (void);
/* The same instant in Dutch time (the Amsterdam offset of that instant). */
GDateTime  *mw_to_dutch_time     (GDateTime    *time);

/* Algemene termijnenwet art. 3(1): the generally recognised holidays. Returns the holiday's
 * name in the user's language, or NULL when @date is none. */
const char *mw_dutch_holiday     (const GDate  *date);

/* The end of a term of @hours, @days or @months (exactly one non-zero) after @from, in
 * Dutch time. Hours are elapsed time, across a clock change. Days and months are counted
 * on the Dutch calendar and end at the end of that day (24:00); a date the month does not
 * have means its last day; a term that ends on a Saturday, Sunday or holiday runs through
 * the next day that is none of these (Algemene termijnenwet arts. 1, 3 and 4). When it was
 * extended, @extension (nullable) says from when and why, in the user's language. */
GDateTime  *mw_term_end          (GDateTime    *from,
                                  int           hours,
                                  int           days,
                                  int           months,
                                  char        **extension);

/* A time in Dutch time only, "2027-03-27 10:00 +01:00": for a record that reads the same
 * wherever it is made (the PDF). */
char       *mw_format_dutch_time (GDateTime    *time);

/* A due time for people, in Dutch time: "2027-04-27 23:30 +02:00", or for a term that ends
 * at the end of a day (@end_of_day) "2027-04-26 24:00 +02:00". Adds the user's own zone
 * in brackets where its offset differs. */
char       *mw_format_due        (GDateTime    *due,
                                  gboolean      end_of_day);

G_END_DECLS
