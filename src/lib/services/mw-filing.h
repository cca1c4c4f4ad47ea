/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mw-outbox.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-signer.h"

G_BEGIN_DECLS

typedef struct _MwStore MwStore;

/*
 * MwFiling: filing a report, the one use case every front-end calls (the wizard's "Sign and
 * send", meldwijzer-cli submit). Validate the complete report → assess it against its
 * regime → sign it once → store the signed report and one pending delivery per recipient
 * in one transaction → hand it to the outbox. Signing and the commit (with fsync) run in a
 * worker thread on a connection of their own; the caller's main loop keeps running.
 */

#define MW_TYPE_FILING (mw_filing_get_type ())
G_DECLARE_FINAL_TYPE (MwFiling, mw_filing, MW, FILING, GObject)

MwFiling *mw_filing_new              (MwStore             *store,
                                      MwOutbox            *outbox);

/* Who receives report under regime (NULL: loaded from the report's "regime"): the ids of the
 * recipients the assessment names, without advisory ones (advice, not a delivery). Fails
 * with MW_ERROR_INVALID, naming the field, when nobody does. */
GStrv     mw_filing_dup_recipients   (MwReport            *report,
                                      MwRegime            *regime,
                                      GError             **error);

/* Everything that stops report from being filed, as problems with their field (an empty
 * array when it can be filed). */
GPtrArray *mw_filing_check           (MwReport            *report,
                                      MwRegime            *regime);

/* Files report (a copy is taken), signed with signer. Finishes once the signed report and
 * its deliveries are stored, with the compact JWS; delivery goes on in the outbox.
 * Filing the identical report again is not an error (nothing changes); a signed report_id
 * with other content gives MW_ERROR_EXISTS; an incomplete report MW_ERROR_INVALID.
 * Cancelling before the commit leaves nothing stored; after it, the report stays filed. */
void      mw_filing_submit_async     (MwFiling            *self,
                                      MwReport            *report,
                                      MwRegime            *regime,
                                      MwSigner            *signer,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
char     *mw_filing_submit_finish    (MwFiling            *self,
                                      GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
