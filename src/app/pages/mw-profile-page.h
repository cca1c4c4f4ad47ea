/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"

G_BEGIN_DECLS

#define MW_TYPE_PROFILE_PAGE (mw_profile_page_get_type ())
G_DECLARE_FINAL_TYPE (MwProfilePage, mw_profile_page, MW, PROFILE_PAGE, MwPage)

GtkWidget *mw_profile_page_new (MwSession *session);

/* The sentence naming what is still missing, or NULL when the profile is complete. */
char      *mw_profile_page_dup_missing (MwProfilePage *self);

G_END_DECLS
