/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"

G_BEGIN_DECLS

#define MW_TYPE_REVIEW_PAGE (mw_review_page_get_type ())
G_DECLARE_FINAL_TYPE (MwReviewPage, mw_review_page, MW, REVIEW_PAGE, MwPage)

GtkWidget *mw_review_page_new                (MwSession    *session);
gboolean   mw_review_page_get_sensitive_shown (MwReviewPage *self);

G_END_DECLS
