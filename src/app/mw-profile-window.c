/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwProfileWindow"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-page.h"
#include "mw-profile-form.h"
#include "mw-profile-window.h"

/* The preferences window over the report being written: the first run's profile form as its
 * one page, and under it Cancel and Save, for a change of law re-derives the report's stage
 * and must be undone whole when the officer changes their mind. The rows write into the
 * session's profile as they are edited; Cancel, Escape and closing put back the copy taken
 * when the window opened (the law first), Save stores the profile. */

struct _MwProfileWindow
{
  AdwPreferencesWindow  parent_instance;

  MwSession            *session;
  MwProfile            *before;       /* the profile as it was when the window opened */
  MwProfileForm        *form;
  GtkWidget            *save_button;
  GtkLabel             *error_label;
  guint                 done : 1;
};

G_DEFINE_FINAL_TYPE (MwProfileWindow, mw_profile_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
complete_changed_cb (MwProfileWindow *self)
{
  gtk_widget_set_sensitive (self->save_button, mw_profile_form_get_complete (self->form));
}

static void
save_clicked_cb (MwProfileWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!mw_profile_form_get_complete (self->form))
    return;
  if (!mw_profile_window_save (self, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The profile could not be saved: %s"),
                                                  error->message);

      gtk_label_set_text (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cancel_clicked_cb (MwProfileWindow *self)
{
  mw_profile_window_cancel (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save_clicked_cb (MW_PROFILE_WINDOW (widget));
}

static gboolean
mw_profile_window_close_request (GtkWindow *window)
{
  MwProfileWindow *self = MW_PROFILE_WINDOW (window);

  /* Closed without Save: as Cancel. */
  if (!self->done)
    {
      mw_profile_window_cancel (self);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (mw_profile_window_parent_class)->close_request (window);
}

static void
mw_profile_window_dispose (GObject *object)
{
  MwProfileWindow *self = MW_PROFILE_WINDOW (object);

  g_clear_object (&self->session);
  g_clear_object (&self->before);
  G_OBJECT_CLASS (mw_profile_window_parent_class)->dispose (object);
}

static void
mw_profile_window_class_init (MwProfileWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mw_profile_window_dispose;
  window_class->close_request = mw_profile_window_close_request;
  gtk_widget_class_install_action (widget_class, "profile.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "profile.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_profile_window_init (MwProfileWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Organisation profile"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 720);
  /* Typing goes into the rows, never into a search. */
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
}

/* Cancel and Save under the form, with what went wrong when saving. */
static GtkWidget *
new_actions_group (MwProfileWindow *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  /* Translators: its letter differs from those of the profile's rows (Dutch: "N_aam") */
  GtkWidget *cancel = gtk_button_new_with_mnemonic (C_("profile window", "_Cancel"));

  self->error_label = g_object_new (GTK_TYPE_LABEL, "wrap", TRUE, "xalign", 0.0f,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->error_label));

  mw_button_fix_accessible_name (cancel);
  /* Translators: its letter differs from those of the profile's rows ("New _service") */
  self->save_button = gtk_button_new_with_mnemonic (_("Sa_ve Profile"));
  mw_button_fix_accessible_name (self->save_button);
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), cancel);
  gtk_box_append (GTK_BOX (box), self->save_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);

  g_signal_connect_object (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  return group;
}

GtkWidget *
mw_profile_window_new (GtkWindow *parent,
                       MwSession *session)
{
  MwProfileWindow *self;
  g_autoptr(JsonObject) snapshot = NULL;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_PROFILE_WINDOW, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  snapshot = mw_profile_to_json (mw_session_get_profile (session));
  self->before = mw_profile_new_from_json (snapshot, NULL);

  self->form = MW_PROFILE_FORM (mw_profile_form_new (session));
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self->form), _("Organisation profile"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->form),
                            ADW_PREFERENCES_GROUP (new_actions_group (self)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (self->form));

  g_signal_connect_object (self->form, "notify::complete", G_CALLBACK (complete_changed_cb), self,
                           G_CONNECT_SWAPPED);
  complete_changed_cb (self);
  return GTK_WIDGET (self);
}

gboolean
mw_profile_window_save (MwProfileWindow  *self,
                        GError          **error)
{
  g_return_val_if_fail (MW_IS_PROFILE_WINDOW (self), FALSE);

  if (!mw_session_save_profile (self->session, error))
    return FALSE;
  self->done = TRUE;
  return TRUE;
}

void
mw_profile_window_cancel (MwProfileWindow *self)
{
  MwProfile *profile;
  const char *regime;

  g_return_if_fail (MW_IS_PROFILE_WINDOW (self));

  if (!self->done)
    {
      profile = mw_session_get_profile (self->session);
      regime = mw_profile_get_regime (self->before);
      /* The law first: it re-derives the report's stage and the entity types it knows. */
      if (regime != NULL)
        mw_session_set_regime_id (self->session, regime, NULL);
      mw_profile_assign (profile, self->before);
      self->done = TRUE;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}
