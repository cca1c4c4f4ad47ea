/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mw-assessor.h"
#include "mw-profile.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-context.h"
#include "mw-signer.h"

G_BEGIN_DECLS

/* The wizard's shared state (the "driver"): the organisation profile, the loaded regime, the
 * one MwReport that every page edits, its live assessment, and the mode (training or live).
 * Pages read and write the report and then call mw_session_report_changed(). */

#define MW_DEFAULT_REGIME MW_PROFILE_DEFAULT_REGIME

#define MW_TYPE_SESSION (mw_session_get_type ())
G_DECLARE_FINAL_TYPE (MwSession, mw_session, MW, SESSION, GObject)

MwSession    *mw_session_new                 (const char  *data_dir);
const char   *mw_session_get_data_dir        (MwSession   *self);

/* The use cases: filing, the outbox, the practice intake, drafts and the profile. */
MwContext    *mw_session_get_context         (MwSession   *self);

/* Profile (kept in the store as JSON, see mw-profile.c); "profile-changed" follows its
 * every change, services included. */
gboolean      mw_session_load_profile        (MwSession   *self,
                                              GError     **error);
gboolean      mw_session_save_profile        (MwSession   *self,
                                              GError     **error);
gboolean      mw_session_has_profile         (MwSession   *self);
MwProfile    *mw_session_get_profile         (MwSession   *self);

gboolean      mw_session_set_regime_id       (MwSession   *self,
                                              const char  *regime_id,
                                              GError     **error);
MwRegime     *mw_session_get_regime          (MwSession   *self);
MwAssessor   *mw_session_get_assessor        (MwSession   *self);
const MwEntityType *mw_session_get_entity_type (MwSession *self);

/* The organisation's signing key (from MwKeyring), once loaded or generated. */
MwSigner     *mw_session_get_signer          (MwSession   *self);
void          mw_session_set_signer          (MwSession   *self,
                                              MwSigner    *signer);

gboolean      mw_session_get_training        (MwSession   *self);
void          mw_session_set_training        (MwSession   *self,
                                              gboolean     training);

/* The report being filed. */
MwReport     *mw_session_get_report          (MwSession   *self);
void          mw_session_set_report          (MwSession   *self,
                                              MwReport    *report);
/* A new report filled from the profile. */
MwReport     *mw_session_create_report       (MwSession   *self);
/* Re-assesses, notifies "report-changed" and schedules the autosave. */
void          mw_session_report_changed      (MwSession   *self);
MwAssessment *mw_session_get_assessment      (MwSession   *self);
/* The recipients' names joined for a button: "NCSC and RDI". */
char         *mw_session_dup_recipient_names (MwSession   *self);

/* Autosave of the draft: written on every change (debounced by a few hundred ms) and
 * always on mw_session_flush(). */
gboolean      mw_session_flush               (MwSession   *self,
                                              GError     **error);
gboolean      mw_session_restore_draft       (MwSession   *self,
                                              GError     **error);
void          mw_session_discard_draft       (MwSession   *self);
gboolean      mw_session_get_dirty           (MwSession   *self);
gboolean      mw_session_get_submitted       (MwSession   *self);
void          mw_session_set_submitted       (MwSession   *self,
                                              gboolean     submitted);

/* Sign and send: saves the draft, then files the report with MwFiling (validated, signed
 * once, stored with one pending delivery per recipient in one transaction, off the main
 * thread) and sets "submitted". Delivery then goes on in the outbox. */
void          mw_session_submit_async        (MwSession          *self,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean      mw_session_submit_finish       (MwSession          *self,
                                              GAsyncResult       *result,
                                              GError            **error);
/* The recipients the report goes to (ids), as filing decides them. */
GStrv         mw_session_dup_recipient_ids   (MwSession   *self);
/* Starts a new report for the same profile (a new incident). */
void          mw_session_start_new_report    (MwSession   *self);

/* The outbox (its list model follows the deliveries), opening the store if needed. */
MwOutbox     *mw_session_get_outbox          (MwSession   *self,
                                              GError     **error);
/* After a restart: the outbox resumes every pending delivery in the background (starting
 * the practice intake when a training delivery needs it). Returns how many are pending. */
guint         mw_session_resume_deliveries   (MwSession   *self);

/* The PDF record of a signed report (DESIGN.md): the report, how and when each recipient was
 * reached with the receipts verified, and the incident's decision records. */
GBytes       *mw_session_dup_pdf_record      (MwSession   *self,
                                              const char  *incident_id,
                                              const char  *report_id,
                                              GError     **error);

/* The law the report is assessed under is the one in force when the entity became aware:
 * why, in the user's language (NULL before timeline.aware_at is known). */
const char   *mw_session_get_law_reason      (MwSession   *self);
/* When the incident started under another law than the one in force when it became known,
 * that other law (else NULL); mw_session_choose_law() lets the officer assess under it. */
MwRegime     *mw_session_get_other_law       (MwSession   *self);
void          mw_session_choose_law          (MwSession   *self,
                                              const char  *regime_id);

/* Stops the outbox and the practice intake; called when the app quits. */
void          mw_session_shutdown            (MwSession   *self);

G_END_DECLS
