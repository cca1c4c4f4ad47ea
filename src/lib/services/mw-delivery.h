/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mw-signer.h"
#include "mw-store.h"

G_BEGIN_DECLS

/* Bound for anything a recipient answers. */
#define MW_DELIVERY_MAX_RESPONSE (1024 * 1024)
#define MW_DELIVERY_TIMEOUT_SECONDS 30

/*
 * MwDelivery sends stored signed reports to their recipients, in parallel over one
 * SoupSession, verifies each receipt against the recipient's pinned key and stores it.
 * Network errors and 5xx are retried with the store's bounded backoff; 4xx stop with the
 * recipient's message. HTTPS is required except to loopback; a recipient may pin its
 * certificate. Every state lives in MwStore, so delivery resumes after a restart.
 */

#define MW_TYPE_DELIVERY (mw_delivery_get_type ())
G_DECLARE_FINAL_TYPE (MwDelivery, mw_delivery, MW, DELIVERY, GObject)

MwDelivery *mw_delivery_new            (MwStore              *store);
MwStore    *mw_delivery_get_store      (MwDelivery           *self);

/* Our public key, enrolled at training mailboxes before the first delivery there. */
void        mw_delivery_set_signer     (MwDelivery           *self,
                                        MwSigner             *signer);

/* Attempts every pending delivery that is due now (of one report, or all for NULL), in
 * parallel; completes when each has an outcome. Fails only when the store fails:
 * what happened to each delivery is in the store (and the "delivery-changed" signal). */
void        mw_delivery_run_async      (MwDelivery           *self,
                                        const char           *report_id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean    mw_delivery_run_finish     (MwDelivery           *self,
                                        GAsyncResult         *result,
                                        GError              **error);

/* Keeps delivering on its own: runs now and again whenever the next pending delivery
 * falls due, until mw_delivery_stop() or dispose. */
void        mw_delivery_start          (MwDelivery           *self);
void        mw_delivery_stop           (MwDelivery           *self);

/* Is this URL allowed as a recipient endpoint? (https, or http to loopback only) */
gboolean    mw_delivery_check_url      (const char           *url,
                                        GError              **error);

G_END_DECLS
