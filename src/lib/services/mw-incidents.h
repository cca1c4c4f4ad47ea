/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mw-incident-item.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-signer.h"

G_BEGIN_DECLS

typedef struct _MwStore MwStore;

/* Content type of a signed decision record (the "cty" of its protected header). */
#define MW_JWS_CTY_DECISION "meldwijzer.decision/1"

/*
 * MwIncidents: incidents over time. An incident is a chain of signed reports (each
 * superseding the one before), their deliveries and receipts, and the decision records
 * kept with it. It is a GListModel of MwIncidentItem (newest first) with each incident's
 * stage, next deadline and the state of each recipient; it gives an incident's full
 * history, the next report pre-filled from the last one, a receipt's exact bytes, and
 * records a signed decision not to report.
 *
 * Deadlines follow DOMAIN.md's Time section through MwAssessor: a stage counts as filed
 * at its earliest delivery (a receipt's received_at, or when a desk filing was recorded),
 * later stages count from it (the final report from the notification's filing); a deadline
 * is done (late when filed after it), open, or overdue at the service's clock.
 */

#define MW_TYPE_INCIDENTS (mw_incidents_get_type ())
G_DECLARE_FINAL_TYPE (MwIncidents, mw_incidents, MW, INCIDENTS, GObject)

MwIncidents *mw_incidents_new               (MwStore        *store);
/* A fixed clock (tests); NULL goes back to the real one. Takes effect at the next reload. */
void         mw_incidents_set_now           (MwIncidents    *self,
                                             GDateTime      *now);
/* The clock: the fixed time, or now. */
GDateTime   *mw_incidents_dup_now           (MwIncidents    *self);
/* Reads every incident again. On error the list is left as it was. */
gboolean     mw_incidents_reload            (MwIncidents    *self,
                                             GError        **error);
/* The same in a worker thread on a store connection of its own; the list changes when it
 * finishes (unless a later reload was asked for meanwhile). */
void         mw_incidents_reload_async      (MwIncidents         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     mw_incidents_reload_finish     (MwIncidents         *self,
                                             GAsyncResult        *result,
                                             GError             **error);
MwIncidentItem *mw_incidents_lookup         (MwIncidents    *self,
                                             const char     *incident_id);
/* The regime @id (as an item or a history names it), loaded once and kept while @self
 * lives; NULL when it does not load. */
MwRegime    *mw_incidents_lookup_regime     (MwIncidents    *self,
                                             const char     *id);

/* The incident as DESIGN.md's `incident show --json` prints it: {"incident_id", "regime",
 * "reports": [{…, "deliveries": […]}], "decisions": [{"decision_id", "report_id",
 * "decided_at", "decided_by", "verdict", "reason", "sha256", "kid"}], "deadlines":
 * [{"stage", "due", "status", "late" (when done)}]}. MW_ERROR_NOT_FOUND for an unknown id. */
JsonNode    *mw_incidents_dup_history       (MwIncidents    *self,
                                             const char     *incident_id,
                                             GError        **error);
/* The list as `incident list --json` prints it: [{"incident_id", "summary", "regime",
 * "stage", "next_deadline": {"stage", "due"} | null, "training"}], as of the last reload. */
JsonNode    *mw_incidents_list_to_json      (MwIncidents    *self);

/* The next report of the incident, pre-filled from its newest signed report: same
 * incident_id, supersedes set, created now, and @stage, or (NULL) the stage the regime
 * says comes next (an intermediate report only when asked for). MW_ERROR_NOT_FOUND when
 * nothing was signed yet; MW_ERROR_INVALID for a stage the entity type does not have. */
MwReport    *mw_incidents_dup_follow_up     (MwIncidents    *self,
                                             const char     *incident_id,
                                             const char     *stage,
                                             GError        **error);

/* The exact compact JWS of the receipt @recipient gave for @report_id.
 * MW_ERROR_NOT_FOUND when there is no such delivery or it has no receipt. */
char        *mw_incidents_dup_receipt       (MwIncidents    *self,
                                             const char     *report_id,
                                             const char     *recipient,
                                             GError        **error);

/* Signs (with @signer) and keeps with its incident a decision not to report @report:
 * its facts, the criteria as assessed, @reason and who decided (the report's contact).
 * Only for a verdict that is voluntary or undetermined (else MW_ERROR_INVALID). Returns
 * the new decision_id. */
char        *mw_incidents_record_decision   (MwIncidents    *self,
                                             MwReport       *report,
                                             const char     *reason,
                                             MwSigner       *signer,
                                             GError        **error);

G_END_DECLS
