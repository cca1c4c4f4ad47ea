/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-session.h"

G_BEGIN_DECLS

/* The organisation profile in a preferences window of its own, over the report being written
 * (the first run's form, not the first-run wizard again): Save (or Ctrl+S) keeps the changes,
 * Cancel (or Escape, or closing) puts the profile and its law back as they were. */

#define MW_TYPE_PROFILE_WINDOW (mw_profile_window_get_type ())
G_DECLARE_FINAL_TYPE (MwProfileWindow, mw_profile_window, MW, PROFILE_WINDOW, AdwPreferencesWindow)

GtkWidget *mw_profile_window_new     (GtkWindow *parent,
                                      MwSession *session);
/* Saves the profile, as the Save button does; FALSE with @error when it cannot be stored. */
gboolean   mw_profile_window_save    (MwProfileWindow *self,
                                      GError         **error);
/* Puts the profile back as it was when the window opened, and closes it. */
void       mw_profile_window_cancel  (MwProfileWindow *self);

G_END_DECLS
