/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mw-filing.h"
#include "mw-incidents.h"
#include "mw-outbox.h"
#include "mw-practice.h"
#include "mw-signer.h"

G_BEGIN_DECLS

/*
 * MwContext: what a front-end opens to reach the use cases — the local store (opened on
 * first use: $MELDWIJZER_DB or the user data dir), and on it the outbox, the practice
 * intake and filing, plus the few plain reads and writes a front-end needs (the
 * organisation profile, drafts, a signed report's bytes, which recipients have an
 * endpoint). No store row, SQL or HTTP is handed out: front-ends get JSON text, ids and
 * the services' own objects.
 */

#define MW_TYPE_CONTEXT (mw_context_get_type ())
G_DECLARE_FINAL_TYPE (MwContext, mw_context, MW, CONTEXT, GObject)

/* store_path: the database, or NULL for the default. Opens nothing yet. */
MwContext *mw_context_new                 (const char   *store_path);
/* Opens the store (creating its folder 0700) and the services on it; cheap once open. */
gboolean    mw_context_open                (MwContext   *self,
                                             GError      **error);
/* The folder the store lives in (the practice intake's database goes beside it). */
char       *mw_context_dup_data_dir        (MwContext   *self);

/* NULL until mw_context_open() succeeded. */
MwOutbox   *mw_context_get_outbox          (MwContext   *self);
MwFiling   *mw_context_get_filing          (MwContext   *self);
MwPractice *mw_context_get_practice        (MwContext   *self);
/* The incidents over time (not loaded until mw_incidents_reload()). */
MwIncidents *mw_context_get_incidents      (MwContext   *self);

/* The organisation's key: enrolled at training mailboxes by the outbox and the practice
 * intake. */
void        mw_context_set_signer          (MwContext   *self,
                                             MwSigner     *signer);

/* The organisation profile as a JSON object text; NULL without an error when none was saved
 * (without a store file, none is created for asking). */
char       *mw_context_load_profile        (MwContext   *self,
                                             GError      **error);
gboolean    mw_context_save_profile        (MwContext   *self,
                                             const char   *profile_json,
                                             GError      **error);

/* Drafts (meldwijzer.report/1 JSON, complete or not). */
gboolean    mw_context_save_draft          (MwContext   *self,
                                             const char   *report_json,
                                             GError      **error);
char       *mw_context_load_draft          (MwContext   *self,
                                             const char   *report_id,
                                             GError      **error);   /* MW_ERROR_NOT_FOUND */
char       *mw_context_load_newest_draft   (MwContext   *self,
                                             GError      **error);   /* MW_ERROR_NOT_FOUND */
gboolean    mw_context_discard_draft       (MwContext   *self,
                                             const char   *report_id,
                                             GError      **error);

/* The exact compact JWS of a signed report (MW_ERROR_NOT_FOUND when it was not signed). */
char       *mw_context_dup_signed_report   (MwContext   *self,
                                             const char   *report_id,
                                             GError      **error);

/* Of these recipients, the ids that have no endpoint (live or training) configured. The
 * same rule delivery uses: only a configured endpoint counts. */
GStrv       mw_context_dup_missing_endpoints (MwContext       *self,
                                             const char * const *recipients,
                                             gboolean            training,
                                             GError            **error);

/* Stops the outbox and the practice intake (when the application quits). */
void        mw_context_shutdown            (MwContext   *self);

G_END_DECLS
