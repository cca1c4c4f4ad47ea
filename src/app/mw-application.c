/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwApplication"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-application.h"
#include "mw-label.h"
#include "mw-regime.h"
#include "mw-window.h"
#include "mw-assessment-page.h"
#include "mw-delivery-page.h"
#include "mw-early-warning-page.h"
#include "mw-key-page.h"
#include "mw-mode-page.h"
#include "mw-nature-page.h"
#include "mw-profile-page.h"
#include "mw-recovery-page.h"
#include "mw-review-page.h"
#include "mw-service-page.h"
#include "mw-when-page.h"

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

const char *
mw_application_help_page_for (GtkWidget *page)
{
  if (page == NULL)
    return "index";
  if (MW_IS_PROFILE_PAGE (page) || MW_IS_KEY_PAGE (page))
    return "first-run";
  if (MW_IS_MODE_PAGE (page))
    return "training";
  if (MW_IS_EARLY_WARNING_PAGE (page))
    return "filing";
  if (MW_IS_WHEN_PAGE (page))
    return "filing-when";
  if (MW_IS_NATURE_PAGE (page))
    return "filing-what";
  if (MW_IS_SERVICE_PAGE (page))
    return "filing-service";
  if (MW_IS_RECOVERY_PAGE (page))
    return "filing-recovery";
  if (MW_IS_ASSESSMENT_PAGE (page))
    return "verdict";
  if (MW_IS_REVIEW_PAGE (page))
    return "filing-submit";
  if (MW_IS_DELIVERY_PAGE (page))
    return "delivery";
  return "index";
}

/* F1 and the menu open the help page for the step on screen. */
static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *page = NULL;
  g_autofree char *uri = NULL;

  if (MW_IS_WINDOW (window))
    page = GTK_WIDGET (mw_assistant_get_current_page (mw_window_get_assistant (MW_WINDOW (window))));

  uri = g_strconcat ("help:meldwijzer/", mw_application_help_page_for (page), NULL);
  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
}

static void
legal_source_free (char **pair)
{
  g_strfreev (pair);
}

GPtrArray *
mw_application_dup_legal_sources (void)
{
  GPtrArray *sources = g_ptr_array_new_with_free_func ((GDestroyNotify) legal_source_free);
  g_auto(GStrv) ids = mw_regime_list_available ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(MwRegime) regime = mw_regime_load (ids[i], NULL);
      GPtrArray *list;

      if (regime == NULL)
        continue;
      list = mw_regime_get_sources (regime);
      for (guint j = 0; j < list->len; j++)
        {
          /* "title — url", as the regime loader keeps them */
          const char *source = g_ptr_array_index (list, j);
          const char *separator = strstr (source, " — ");
          char **pair;

          if (separator == NULL || !g_str_has_prefix (separator + strlen (" — "), "https://"))
            continue;
          if (!g_hash_table_add (seen, g_strdup (separator + strlen (" — "))))
            continue;
          pair = g_new0 (char *, 3);
          pair[0] = g_strndup (source, separator - source);
          pair[1] = g_strdup (separator + strlen (" — "));
          g_ptr_array_add (sources, pair);
        }
    }

  return sources;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Meldwijzer contributors"), NULL };
  g_autoptr(GPtrArray) sources = mw_application_dup_legal_sources ();
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (application));
  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  adw_about_window_set_application_name (about, _("Meldwijzer"));
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_comments (about, _("File a mandatory cybersecurity incident report with the NCSC and your regulator"));
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_translator_credits (about, _("translator-credits"));

  /* The law the verdicts rest on, straight from the regime files in use. */
  for (guint i = 0; i < sources->len; i++)
    {
      char **pair = g_ptr_array_index (sources, i);
      adw_about_window_add_link (about, pair[0], pair[1]);
    }

  adw_about_window_add_legal_section (about, _("ENISA reference incident taxonomy"),
                                      _("From the MISP taxonomies (rsit)"),
                                      GTK_LICENSE_BSD, NULL);

  gtk_window_present (GTK_WINDOW (about));
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
    { "help", help_action, NULL, NULL, NULL, { 0 } },
    { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  };
  const char *quit_accels[] = { "<Primary>q", NULL };
  const char *help_accels[] = { "F1", NULL };
  const char *shortcuts_accels[] = { "<Primary>question", NULL };
  const char * const *languages = g_get_language_names ();

  /* The law is read while the toolkit starts, on another core: the window's first page
   * needs it, and reading it on the way there kept the window from showing. */
  mw_regime_preload (MW_DEFAULT_REGIME);
  G_APPLICATION_CLASS (mw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay", shortcuts_accels);

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
