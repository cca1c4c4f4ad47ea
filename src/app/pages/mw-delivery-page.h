/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"

G_BEGIN_DECLS

#define MW_TYPE_DELIVERY_PAGE (mw_delivery_page_get_type ())
G_DECLARE_FINAL_TYPE (MwDeliveryPage, mw_delivery_page, MW, DELIVERY_PAGE, MwPage)

GtkWidget *mw_delivery_page_new         (MwSession      *session);
/* Re-reads the deliveries of the current report from the store. */
void       mw_delivery_page_refresh     (MwDeliveryPage *self);
guint      mw_delivery_page_get_n_delivered (MwDeliveryPage *self);
const char *mw_delivery_page_get_headline   (MwDeliveryPage *self);
/* What the law asks besides reporting (Cbw art. 30), or NULL when it asks nothing more. */
const char *mw_delivery_page_get_reminder   (MwDeliveryPage *self);
/* Recipients shown with a Retry button (refused, or pending after a failed attempt). */
guint      mw_delivery_page_get_n_retry     (MwDeliveryPage *self);
/* Desks still to file at, each with its step (an MwDeskStep), or NULL. */
guint      mw_delivery_page_get_n_desks     (MwDeliveryPage *self);
GtkWidget *mw_delivery_page_get_desk_step   (MwDeliveryPage *self,
                                             const char     *recipient);

G_END_DECLS
