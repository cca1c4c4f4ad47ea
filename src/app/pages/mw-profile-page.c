/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwProfilePage"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-profile-form.h"
#include "mw-profile-page.h"

/* The first run's step for the organisation profile: the profile form, complete when the
 * form is; Next saves the profile. */

struct _MwProfilePage
{
  MwPage         parent_instance;

  MwProfileForm *form;
};

G_DEFINE_FINAL_TYPE (MwProfilePage, mw_profile_page, MW_TYPE_PAGE)

static void
form_complete_cb (MwProfilePage *self)
{
  mw_page_set_complete (MW_PAGE (self), mw_profile_form_get_complete (self->form));
}

static void
mw_profile_page_shown (MwPage *page)
{
  MwProfilePage *self = MW_PROFILE_PAGE (page);

  if (self->form != NULL)
    mw_profile_form_refresh (self->form);
}

static void
mw_profile_page_dispose (GObject *object)
{
  MwProfilePage *self = MW_PROFILE_PAGE (object);

  G_OBJECT_CLASS (mw_profile_page_parent_class)->dispose (object);
  self->form = NULL;  /* was a child: the page's dispose unparents its children */
}

static void
mw_profile_page_constructed (GObject *object)
{
  MwProfilePage *self = MW_PROFILE_PAGE (object);

  G_OBJECT_CLASS (mw_profile_page_parent_class)->constructed (object);

  /* Without a session (a page made on its own) the form says so. */
  self->form = MW_PROFILE_FORM (mw_profile_form_new (mw_page_get_session (MW_PAGE (self))));
  gtk_widget_set_parent (GTK_WIDGET (self->form), GTK_WIDGET (self));
  g_signal_connect_object (self->form, "notify::complete", G_CALLBACK (form_complete_cb),
                           self, G_CONNECT_SWAPPED);
  form_complete_cb (self);
}

static void
mw_profile_page_class_init (MwProfilePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->constructed = mw_profile_page_constructed;
  object_class->dispose = mw_profile_page_dispose;
  page_class->shown = mw_profile_page_shown;
  page_class->apply_async = mw_page_apply_save_profile_async;
}

static void
mw_profile_page_init (MwProfilePage *self)
{
  mw_page_set_title (MW_PAGE (self), _("Your organisation"));
}

GtkWidget *
mw_profile_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_PROFILE_PAGE, "session", session, NULL);
}

char *
mw_profile_page_dup_missing (MwProfilePage *self)
{
  g_return_val_if_fail (MW_IS_PROFILE_PAGE (self), NULL);

  return mw_profile_form_dup_missing (self->form);
}
