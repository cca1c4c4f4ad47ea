/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-incident-item.h"

G_BEGIN_DECLS

/* For MwIncidents only. Takes every argument as a copy (strings) or a reference (due). */
MwIncidentItem *mw_incident_item_new (const char *incident_id,
                                      const char *summary,
                                      const char *regime,
                                      const char *stage,
                                      gboolean    training,
                                      const char *next_stage,
                                      GDateTime  *next_due,
                                      gboolean    overdue,
                                      const char *next_extension,
                                      const char *recipients);

G_END_DECLS
