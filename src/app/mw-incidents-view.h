/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-incidents.h"

G_BEGIN_DECLS

/*
 * MwIncidentsView: the incidents, list ↔ detail in an AdwLeaflet. The list (searchable)
 * shows each incident's summary, stage, next deadline in Dutch time with the time left,
 * and each recipient's state; the detail every report with its deliveries and verified
 * receipts (with the receipt key's thumbprint, and "Save Receipt"), the decision records
 * and the deadlines. "new-incident" and "file-next-report" (incident id) ask the window to
 * open the wizard, "save-record" (report id) to save a report's PDF record, "message" to
 * tell the user something.
 */

#define MW_TYPE_INCIDENTS_VIEW (mw_incidents_view_get_type ())
G_DECLARE_FINAL_TYPE (MwIncidentsView, mw_incidents_view, MW, INCIDENTS_VIEW, AdwBin)

GtkWidget   *mw_incidents_view_new            (void);
void         mw_incidents_view_set_incidents  (MwIncidentsView *self,
                                               MwIncidents     *incidents);
MwIncidents *mw_incidents_view_get_incidents  (MwIncidentsView *self);
void         mw_incidents_view_set_menu_model (MwIncidentsView *self,
                                               GMenuModel      *menu);
/* Shows the incident's detail (NULL: the list alone). */
void         mw_incidents_view_show_incident  (MwIncidentsView *self,
                                               const char      *incident_id);
const char  *mw_incidents_view_get_shown      (MwIncidentsView *self);
/* The list as filtered by the search (a GListModel of MwIncidentItem). */
GListModel  *mw_incidents_view_get_filtered   (MwIncidentsView *self);
GtkEditable *mw_incidents_view_get_search     (MwIncidentsView *self);

G_END_DECLS
