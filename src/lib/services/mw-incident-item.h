/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One incident as MwIncidents lists it: a small read-only object a row binds to, with its
 * summary, its stage (of the newest report), the next deadline that is not done, and the
 * state of each delivery of its newest signed report. MwIncidents makes new items when it
 * reloads. */

#define MW_TYPE_INCIDENT_ITEM (mw_incident_item_get_type ())
G_DECLARE_FINAL_TYPE (MwIncidentItem, mw_incident_item, MW, INCIDENT_ITEM, GObject)

const char *mw_incident_item_get_incident_id  (MwIncidentItem *self);
/* The newest report's summary, or NULL. */
const char *mw_incident_item_get_summary      (MwIncidentItem *self);
const char *mw_incident_item_get_regime       (MwIncidentItem *self);
/* The stage of the newest signed report (or of the draft when nothing was signed), or NULL. */
const char *mw_incident_item_get_stage        (MwIncidentItem *self);
gboolean    mw_incident_item_get_training     (MwIncidentItem *self);
/* The next deadline that is not done, or NULL stage and due. */
const char *mw_incident_item_get_next_stage   (MwIncidentItem *self);
GDateTime  *mw_incident_item_get_next_due     (MwIncidentItem *self);
/* When and why the next deadline was extended (Algemene termijnenwet), or NULL. */
const char *mw_incident_item_get_next_extension (MwIncidentItem *self);
/* Was the next deadline already missed (at the clock of the last reload)? */
gboolean    mw_incident_item_get_overdue      (MwIncidentItem *self);
/* "recipient: state" per delivery of the newest signed report, joined by ", "; or NULL. */
const char *mw_incident_item_get_recipients   (MwIncidentItem *self);
/* Summary, id, stage and recipients in one text, for a search filter. */
const char *mw_incident_item_get_search_text  (MwIncidentItem *self);

/* The time from @now to @due for people, in days and hours: "2 days 5 hours left",
 * "3 hours overdue", "less than an hour left". */
char       *mw_format_time_left              (GDateTime      *due,
                                              GDateTime      *now);
/* A deadline for people: Dutch time (a term that ends at the end of a day as 24:00, the
 * user's zone beside it where it differs) and the time left from @now:
 * "2027-04-26 24:00 +02:00 (2 days 5 hours left)". */
char       *mw_format_deadline               (GDateTime      *due,
                                              GDateTime      *now);

/* Desktop reminders before a deadline: a day, four hours and one hour before, and once it is
 * missed. Of these, the step that @now has reached for @due, in hours before it (24, 4, 1,
 * or 0 once missed), or -1 while more than a day is left. */
int         mw_deadline_reminder_step        (GDateTime      *due,
                                              GDateTime      *now);

G_END_DECLS
