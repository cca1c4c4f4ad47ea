/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"

G_BEGIN_DECLS

#define MW_TYPE_KEY_PAGE (mw_key_page_get_type ())
G_DECLARE_FINAL_TYPE (MwKeyPage, mw_key_page, MW, KEY_PAGE, MwPage)

GtkWidget *mw_key_page_new (MwSession *session);

G_END_DECLS
