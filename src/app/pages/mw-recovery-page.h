/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"
#include "mw-time-row.h"

G_BEGIN_DECLS

#define MW_TYPE_RECOVERY_PAGE (mw_recovery_page_get_type ())
G_DECLARE_FINAL_TYPE (MwRecoveryPage, mw_recovery_page, MW, RECOVERY_PAGE, MwPage)

GtkWidget *mw_recovery_page_new              (MwSession      *session);
MwTimeRow *mw_recovery_page_get_forecast_row (MwRecoveryPage *self);

G_END_DECLS
