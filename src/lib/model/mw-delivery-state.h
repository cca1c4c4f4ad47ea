/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The state of one delivery of a signed report to one recipient. The nick is the string
 * stored in the database and printed by `outbox list --json` (contract, DESIGN.md). */
typedef enum {
  MW_DELIVERY_STATE_PENDING,          /* not yet delivered: will be (re)tried at next_attempt_at */
  MW_DELIVERY_STATE_DELIVERED,        /* a receipt is stored */
  MW_DELIVERY_STATE_FAILED,           /* refused by the recipient (4xx): not retried */
  MW_DELIVERY_STATE_FILED_BY_HAND,    /* filed at the recipient's desk: reference and filed_at */
  MW_DELIVERY_STATE_AWAITING_FILING,  /* live, no endpoint: waits to be filed at a desk */
  MW_DELIVERY_STATE_FORWARDED,        /* passed on by another recipient (forwarded_by) */
} MwDeliveryState;

#define MW_TYPE_DELIVERY_STATE (mw_delivery_state_get_type ())
GType       mw_delivery_state_get_type    (void) G_GNUC_CONST;

const char *mw_delivery_state_to_string   (MwDeliveryState  state);
gboolean    mw_delivery_state_from_string (const char      *text,
                                           MwDeliveryState *state);

G_END_DECLS
