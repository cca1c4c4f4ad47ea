/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"

G_BEGIN_DECLS

#define MW_TYPE_MODE_PAGE (mw_mode_page_get_type ())
G_DECLARE_FINAL_TYPE (MwModePage, mw_mode_page, MW, MODE_PAGE, MwPage)

GtkWidget *mw_mode_page_new (MwSession *session);

G_END_DECLS
