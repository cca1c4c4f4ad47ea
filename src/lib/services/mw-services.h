/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mw-filing.h"
#include "mw-outbox.h"
#include "mw-practice.h"
#include "mw-signer.h"

G_BEGIN_DECLS

/*
 * MwServices: what a front-end opens to reach the use cases — the local store (opened on
 * first use: $MELDWIJZER_DB or the user data dir), and on it the outbox, the practice
 * intake and filing, plus the few plain reads and writes a front-end needs (the
 * organisation profile, drafts, a signed report's bytes, which recipients have an
 * endpoint). No store row, SQL or HTTP is handed out: front-ends get JSON text, ids and
 * the services' own objects.
 */

#define MW_TYPE_SERVICES (mw_services_get_type ())
G_DECLARE_FINAL_TYPE (MwServices, mw_services, MW, SERVICES, GObject)

/* store_path: the database, or NULL for the default. Opens nothing yet. */
MwServices *mw_services_new                 (const char   *store_path);
/* Opens the store (creating its folder 0700) and the services on it; cheap once open. */
gboolean    mw_services_open                (MwServices   *self,
                                             GError      **error);
/* The folder the store lives in (the practice intake's database goes beside it). */
char       *mw_services_dup_data_dir        (MwServices   *self);

/* NULL until mw_services_open() succeeded. */
MwOutbox   *mw_services_get_outbox          (MwServices   *self);
MwFiling   *mw_services_get_filing          (MwServices   *self);
MwPractice *mw_services_get_practice        (MwServices   *self);

/* The organisation's key: enrolled at training mailboxes by the outbox and the practice
 * intake. */
void        mw_services_set_signer          (MwServices   *self,
                                             MwSigner     *signer);

/* The organisation profile as a JSON object text; NULL without an error when none was saved. */
char       *mw_services_load_profile        (MwServices   *self,
                                             GError      **error);
gboolean    mw_services_save_profile        (MwServices   *self,
                                             const char   *profile_json,
                                             GError      **error);

/* Drafts (meldwijzer.report/1 JSON, complete or not). */
gboolean    mw_services_save_draft          (MwServices   *self,
                                             const char   *report_json,
                                             GError      **error);
char       *mw_services_load_draft          (MwServices   *self,
                                             const char   *report_id,
                                             GError      **error);   /* MW_ERROR_NOT_FOUND */
char       *mw_services_load_newest_draft   (MwServices   *self,
                                             GError      **error);   /* MW_ERROR_NOT_FOUND */
gboolean    mw_services_discard_draft       (MwServices   *self,
                                             const char   *report_id,
                                             GError      **error);

/* The exact compact JWS of a signed report (MW_ERROR_NOT_FOUND when it was not signed). */
char       *mw_services_dup_signed_report   (MwServices   *self,
                                             const char   *report_id,
                                             GError      **error);

/* Of these recipients, the ids that have no endpoint (live or training) configured. The
 * same rule delivery uses: only a configured endpoint counts. */
GStrv       mw_services_dup_missing_endpoints (MwServices       *self,
                                             const char * const *recipients,
                                             gboolean            training,
                                             GError            **error);

/* Stops the outbox and the practice intake (when the application quits). */
void        mw_services_shutdown            (MwServices   *self);

G_END_DECLS
