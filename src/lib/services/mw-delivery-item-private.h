/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-delivery-item.h"
#include "mw-store.h"

G_BEGIN_DECLS

/* For MwOutbox only. */
MwDeliveryItem *mw_delivery_item_new      (const MwStoreDelivery *row);
/* Takes over what changed in row (same report and recipient), notifying each property. */
void            mw_delivery_item_update   (MwDeliveryItem        *self,
                                           const MwStoreDelivery *row);
void            mw_delivery_item_set_busy (MwDeliveryItem        *self,
                                           gboolean               busy);

G_END_DECLS
