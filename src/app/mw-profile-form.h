/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-session.h"

G_BEGIN_DECLS

/* The organisation profile as a form: its rows bound both ways to the session's MwProfile,
 * the law and the kind of entity, the services, the contacts, and a sentence saying what is
 * still missing. One form for both places the profile is edited: the first run's page
 * (MwProfilePage) and the preferences window (MwProfileWindow). */

#define MW_TYPE_PROFILE_FORM (mw_profile_form_get_type ())
G_DECLARE_FINAL_TYPE (MwProfileForm, mw_profile_form, MW, PROFILE_FORM, AdwPreferencesPage)

/* @session may be NULL: the form then says there is none. */
GtkWidget *mw_profile_form_new          (MwSession     *session);
/* Whether everything the profile needs is filled in ("complete"). */
gboolean   mw_profile_form_get_complete (MwProfileForm *self);
/* Reads the laws, the kinds of entity and the services again. */
void       mw_profile_form_refresh      (MwProfileForm *self);
/* The sentence naming what is still missing, or NULL when the profile is complete. */
char      *mw_profile_form_dup_missing  (MwProfileForm *self);

G_END_DECLS
