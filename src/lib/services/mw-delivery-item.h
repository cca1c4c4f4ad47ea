/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "mw-delivery-state.h"

G_BEGIN_DECLS

/* One delivery of a signed report to one recipient, as MwOutbox lists it: a small read-only
 * object a delivery row binds to. Its properties notify when the outbox learns more. */

#define MW_TYPE_DELIVERY_ITEM (mw_delivery_item_get_type ())
G_DECLARE_FINAL_TYPE (MwDeliveryItem, mw_delivery_item, MW, DELIVERY_ITEM, GObject)

const char      *mw_delivery_item_get_report_id    (MwDeliveryItem *self);
const char      *mw_delivery_item_get_recipient    (MwDeliveryItem *self);
MwDeliveryState  mw_delivery_item_get_state        (MwDeliveryItem *self);
gboolean         mw_delivery_item_get_training     (MwDeliveryItem *self);
guint            mw_delivery_item_get_attempts     (MwDeliveryItem *self);
/* When the next attempt is due (µs since the epoch) while pending. */
gint64           mw_delivery_item_get_next_attempt (MwDeliveryItem *self);
/* Has the recipient an endpoint for this report's mode (training or live)? */
gboolean         mw_delivery_item_get_has_endpoint (MwDeliveryItem *self);
/* What went wrong last (pending or failed), or NULL. */
const char      *mw_delivery_item_get_error        (MwDeliveryItem *self);
/* How it was filed by hand, or NULL. */
const char      *mw_delivery_item_get_note         (MwDeliveryItem *self);
const char      *mw_delivery_item_get_receipt_id   (MwDeliveryItem *self);
const char      *mw_delivery_item_get_received_at  (MwDeliveryItem *self);
/* Filed at a desk: the reference it gave, when (RFC 3339) and through which regime channel
 * (filed-by-hand); or the recipient that passed it on (forwarded). Each may be NULL. */
const char      *mw_delivery_item_get_reference    (MwDeliveryItem *self);
const char      *mw_delivery_item_get_filed_at     (MwDeliveryItem *self);
const char      *mw_delivery_item_get_channel      (MwDeliveryItem *self);
const char      *mw_delivery_item_get_forwarded_by (MwDeliveryItem *self);
/* Is something happening to it right now (an attempt in flight)? */
gboolean         mw_delivery_item_get_busy         (MwDeliveryItem *self);

G_END_DECLS
