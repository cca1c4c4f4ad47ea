/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"

G_BEGIN_DECLS

#define MW_TYPE_SERVICE_PAGE (mw_service_page_get_type ())
G_DECLARE_FINAL_TYPE (MwServicePage, mw_service_page, MW, SERVICE_PAGE, MwPage)

GtkWidget *mw_service_page_new    (MwSession     *session);
/* Selects the index-th service of the profile, as a click on its row does. */
gboolean   mw_service_page_select (MwServicePage *self,
                                   guint          index);

G_END_DECLS
