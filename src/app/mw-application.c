/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwApplication"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-application.h"
#include "mw-label.h"
#include "mw-window.h"

struct _MwApplication
{
  AdwApplication  parent_instance;

  MwSession      *session;
};

G_DEFINE_FINAL_TYPE (MwApplication, mw_application, ADW_TYPE_APPLICATION)

static void
mw_application_activate (GApplication *application)
{
  MwApplication *self = MW_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      if (self->session == NULL)
        self->session = mw_session_new (NULL);
      window = GTK_WINDOW (mw_window_new (GTK_APPLICATION (application), self->session));
    }
  gtk_window_present (window);
}

static void
mw_application_shutdown (GApplication *application)
{
  MwApplication *self = MW_APPLICATION (application);

  if (self->session != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!mw_session_flush (self->session, &error))
        g_warning ("Could not save the draft: %s", error->message);
      mw_session_shutdown (self->session);
    }
  G_APPLICATION_CLASS (mw_application_parent_class)->shutdown (application);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Meldwijzer contributors"), NULL };

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", _("Meldwijzer"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("File a mandatory cybersecurity incident report with the NCSC and your regulator"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (application);

  /* Close through the windows so that an unsent report asks first. */
  if (windows != NULL)
    gtk_window_close (GTK_WINDOW (windows->data));
  else
    g_application_quit (G_APPLICATION (application));
}

static void
mw_application_startup (GApplication *application)
{
  static const GActionEntry entries[] = {
    { "about", about_action, NULL, NULL, NULL, { 0 } },
    { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  };
  const char *quit_accels[] = { "<Primary>q", NULL };
  const char * const *languages = g_get_language_names ();

  G_APPLICATION_CLASS (mw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);

  /* Regime labels follow the user's language (Dutch or English). */
  if (languages != NULL && languages[0] != NULL && g_str_has_prefix (languages[0], "nl"))
    mw_language_set ("nl");
}

static void
mw_application_dispose (GObject *object)
{
  MwApplication *self = MW_APPLICATION (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (mw_application_parent_class)->dispose (object);
}

static void
mw_application_class_init (MwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mw_application_dispose;
  application_class->activate = mw_application_activate;
  application_class->startup = mw_application_startup;
  application_class->shutdown = mw_application_shutdown;
}

static void
mw_application_init (MwApplication *self)
{
}

MwApplication *
mw_application_new (void)
{
  return g_object_new (MW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/io/github/meldwijzer/Meldwijzer",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
