/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mw-delivery-item.h"
#include "mw-practice.h"
#include "mw-signer.h"

G_BEGIN_DECLS

typedef struct _MwStore MwStore;

/*
 * MwOutbox: every delivery of every signed report, and the one place that delivers them.
 * It sends stored signed reports to their recipients in parallel (MwIntakeClient), verifies
 * each receipt against the recipient's pinned key (MwReceipt) and stores it; network errors
 * and 5xx are retried with the store's bounded backoff, 4xx stop with the recipient's
 * message; it resumes at start, and records a filing by hand. Training deliveries to a
 * recipient without a training mailbox of its own go to the practice intake (MwPractice).
 *
 * It is a GListModel of MwDeliveryItem: the deliveries of one report (mw_outbox_set_report)
 * or of all, kept up to date as they change, for a delivery page to bind to.
 */

#define MW_TYPE_OUTBOX (mw_outbox_get_type ())
G_DECLARE_FINAL_TYPE (MwOutbox, mw_outbox, MW, OUTBOX, GObject)

MwOutbox   *mw_outbox_new            (MwStore              *store);
/* Our key, enrolled at training mailboxes before the first delivery there (may be NULL). */
void        mw_outbox_set_signer     (MwOutbox             *self,
                                      MwSigner             *signer);
/* The practice intake for training deliveries (may be NULL: then they wait for a mailbox). */
void        mw_outbox_set_practice   (MwOutbox             *self,
                                      MwPractice           *practice);

/* Which deliveries the list model holds: those of report_id, or every one for NULL. */
void        mw_outbox_set_report     (MwOutbox             *self,
                                      const char           *report_id);
const char *mw_outbox_get_report     (MwOutbox             *self);
/* Reads the deliveries again (another process, such as the command line, may have changed
 * them); the items of unchanged deliveries are kept. */
void        mw_outbox_reload         (MwOutbox             *self);

/* Attempts every pending delivery that is due now (of report_id, or all for NULL), in
 * parallel, and finishes when each has an outcome — also one already in flight when this
 * was called. Fails only when the store fails or the cancellable is cancelled (which does
 * not stop the attempts: their outcome is stored all the same). What happened to each
 * delivery is in the list model. */
void        mw_outbox_deliver_async  (MwOutbox             *self,
                                      const char           *report_id,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean    mw_outbox_deliver_finish (MwOutbox             *self,
                                      GAsyncResult         *result,
                                      GError              **error);

/* Keeps delivering on its own: now, and whenever the next pending delivery falls due, until
 * mw_outbox_stop() or dispose. Returns how many deliveries are pending. */
guint       mw_outbox_start          (MwOutbox             *self);
void        mw_outbox_stop           (MwOutbox             *self);

/* "Try again now": pending deliveries (of report_id, or all) become due now, and with
 * include_failed refused ones pending again; then delivers them. Returns how many were
 * rescheduled, or -1 with error. */
gint        mw_outbox_retry          (MwOutbox             *self,
                                      const char           *report_id,
                                      gboolean              include_failed,
                                      GError              **error);

/* Records that the live report was filed at the recipient's desk (web form, portal, e-mail,
 * phone): the reference the desk gave (trimmed, not empty), when (filed_at: not more than a
 * few minutes in the future) and through which of the regime's channels (channel: its id,
 * or NULL). Refuses, changing nothing, an unknown report or recipient, a draft, a training
 * report, a delivered or an already filed delivery. Every other delivery of the report whose
 * recipient the regime marks forwarded_by this one, and that awaits filing, becomes
 * forwarded. */
gboolean    mw_outbox_record_filing  (MwOutbox             *self,
                                      const char           *report_id,
                                      const char           *recipient,
                                      const char           *reference,
                                      GDateTime            *filed_at,
                                      const char           *channel,
                                      GError              **error);

/* Configuring a live endpoint for the day an authority offers the intake protocol: asks the
 * mailbox at url whether it is live (a training mailbox is refused: MW_ERROR_INVALID) and
 * finishes with its receipt key, a public JWK, to be confirmed with the recipient (its
 * thumbprint) before mw_outbox_set_live_endpoint(). */
void        mw_outbox_fetch_receipt_key_async  (MwOutbox            *self,
                                                const char          *url,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char       *mw_outbox_fetch_receipt_key_finish (MwOutbox            *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Stores url as recipient's live endpoint with the confirmed receipt key; the live
 * deliveries to it that await filing are then sent there. */
gboolean    mw_outbox_set_live_endpoint        (MwOutbox            *self,
                                                const char          *recipient,
                                                const char          *url,
                                                const char          *receipt_jwk,
                                                GError             **error);

G_END_DECLS
