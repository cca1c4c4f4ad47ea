/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mw-assessor.h"
#include "mw-profile.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-store.h"
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

MwStore      *mw_session_get_store           (MwSession   *self,
                                              GError     **error);

/* Profile (kept in MwStore as JSON, see mw-profile.c); "profile-changed" follows its every
 * change, services included. */
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

/* Sign and submit: validates the complete report, signs it once with the session's signer,
 * and stores the signed report with one pending delivery per recipient of the assessment
 * (one MwStore transaction). Delivery itself is started by the caller. */
gboolean      mw_session_submit              (MwSession   *self,
                                              GError     **error);
/* The recipients of the report being filed (ids), from the assessment. */
GStrv         mw_session_dup_recipient_ids   (MwSession   *self);
/* Starts a new report for the same profile (a new incident). */
void          mw_session_start_new_report    (MwSession   *self);

/* Training mode: starts the practice intake (one mailbox per recipient of the regime, the
 * session's key enrolled) unless it runs, and records its mailboxes as the training
 * endpoints in the store. */
void          mw_session_ensure_training_async  (MwSession          *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean      mw_session_ensure_training_finish (MwSession          *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);
/* Delivers every pending delivery of the submitted report (starting the practice intake
 * first in training mode); emits "delivery-progress" as deliveries change state. Finishes
 * when none is in flight any more; pending ones are retried later. */
void          mw_session_deliver_async       (MwSession          *self,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean      mw_session_deliver_finish      (MwSession          *self,
                                              GAsyncResult       *result,
                                              GError            **error);

/* After a restart: resumes every pending delivery in the background (starting the practice
 * intake first when a training delivery is pending). Returns how many are pending. */
guint         mw_session_resume_deliveries   (MwSession   *self);

/* The root URL of the running practice intake, or NULL. */
const char   *mw_session_get_training_url    (MwSession   *self);
/* Stops the practice intake; called when the app quits. */
void          mw_session_shutdown            (MwSession   *self);

G_END_DECLS
