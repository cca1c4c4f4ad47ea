/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwWindow"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mw-assessment-page.h"
#include "mw-error.h"
#include "mw-delivery-page.h"
#include "mw-key-page.h"
#include "mw-keyring.h"
#include "mw-mode-page.h"
#include "mw-nature-page.h"
#include "mw-profile-page.h"
#include "mw-profile-window.h"
#include "mw-recovery-page.h"
#include "mw-review-page.h"
#include "mw-service-page.h"
#include "mw-vocabulary.h"
#include "mw-when-page.h"
#include "mw-window.h"

struct _MwWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  MwAssistant          *assistant;
  GMenuModel           *primary_menu;

  MwSession            *session;
  MwKeyring            *keyring;
  GSettings            *settings;
  GCancellable         *cancellable;
  MwPage               *first_run[3];
  guint                 close_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (MwWindow, mw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
mw_window_add_toast (MwWindow   *self,
                     const char *message)
{
  g_return_if_fail (MW_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* Settings ----------------------------------------------------------------------------- */

/* The schema id is the same in every build profile (APP_ID may end in .Devel). */
#define SETTINGS_SCHEMA_ID "io.github.meldwijzer.Meldwijzer"

/* The filing pages a draft reopens on, by their name in the "last-draft-page" key (its
 * choices in the schema). */
static const struct {
  const char *name;
  GType     (*get_type) (void);
} resumable_pages[] = {
  { "when", mw_when_page_get_type },
  { "nature", mw_nature_page_get_type },
  { "service", mw_service_page_get_type },
  { "recovery", mw_recovery_page_get_type },
  { "assessment", mw_assessment_page_get_type },
  { "review", mw_review_page_get_type },
};

/* g_settings_new() aborts when the schema is not installed. Without it (a build run outside
 * `meson devenv`) the window starts with its defaults and remembers nothing. */
static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed: the window size and the page of "
                 "the draft are not remembered. Install the app, or run the build with "
                 "“meson devenv -C BUILDDIR meldwijzer”.", SETTINGS_SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
restore_window_state (MwWindow *self)
{
  if (self->settings == NULL)
    return;
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (MwWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  /* GTK keeps the default size at the window's size while it is not maximized. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", CLAMP (width, 360, 16384));
      g_settings_set_int (self->settings, "window-height", CLAMP (height, 294, 16384));
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

/* The draft and the page it is on, so that the next start opens there. */
static void
save_page (MwWindow *self)
{
  MwPage *page = mw_assistant_get_current_page (self->assistant);
  MwReport *report = mw_session_get_report (self->session);
  const char *name = "";

  if (self->settings == NULL || page == NULL || report == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (resumable_pages); i++)
    if (G_OBJECT_TYPE (page) == resumable_pages[i].get_type ())
      name = resumable_pages[i].name;
  g_settings_set_string (self->settings, "last-draft-id", mw_report_get_report_id (report));
  g_settings_set_string (self->settings, "last-draft-page", name);
}

static MwPage *
saved_page (MwWindow *self)
{
  MwReport *report = mw_session_get_report (self->session);
  g_autofree char *report_id = NULL;
  g_autofree char *name = NULL;

  if (self->settings == NULL || report == NULL)
    return NULL;
  report_id = g_settings_get_string (self->settings, "last-draft-id");
  if (g_strcmp0 (report_id, mw_report_get_report_id (report)) != 0)
    return NULL;
  name = g_settings_get_string (self->settings, "last-draft-page");
  for (guint i = 0; i < G_N_ELEMENTS (resumable_pages); i++)
    if (g_str_equal (name, resumable_pages[i].name))
      return mw_assistant_find_page (self->assistant, resumable_pages[i].get_type ());
  return NULL;
}

/* Before GSettings held them, the draft and its page were kept in a key file of their own. */
static void
remove_old_state_file (MwWindow *self)
{
  g_autofree char *path = g_build_filename (mw_session_get_data_dir (self->session),
                                            "state.ini", NULL);

  g_remove (path);
}

static void
update_training (MwWindow *self)
{
  mw_assistant_set_training (self->assistant, mw_session_get_training (self->session));
}

static void
set_first_run_visible (MwWindow *self,
                       gboolean  visible)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->first_run); i++)
    gtk_widget_set_visible (GTK_WIDGET (self->first_run[i]), visible);
}

static MwPage *
first_filing_page (MwWindow *self)
{
  return mw_assistant_find_page (self->assistant, MW_TYPE_WHEN_PAGE);
}

static void
profile_changed_cb (MwWindow *self)
{
  MwReport *report = mw_session_get_report (self->session);

  if (report == NULL || mw_session_get_submitted (self->session))
    return;
  /* The report's provider follows the profile until it is signed. */
  mw_profile_apply_to_report (mw_session_get_profile (self->session), report);
  if (mw_session_get_regime (self->session) != NULL &&
      g_strcmp0 (mw_report_get_regime (report), mw_regime_get_id (mw_session_get_regime (self->session))) != 0)
    mw_report_set_string (report, "regime", mw_regime_get_id (mw_session_get_regime (self->session)));
}

static void
key_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(MwWindow) self = user_data;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;

  signer = mw_keyring_load_finish (MW_KEYRING (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (signer == NULL)
    {
      /* Show the key page so that the user sees the problem and can try again. */
      gtk_widget_set_visible (GTK_WIDGET (self->first_run[1]), TRUE);
      mw_window_add_toast (self, error->message);
      return;
    }
  mw_session_set_signer (self->session, signer);
  /* Deliveries left pending when the app last stopped go out now. */
  if (mw_session_resume_deliveries (self->session) > 0)
    mw_window_add_toast (self, _("Resuming earlier deliveries."));
}

static void
page_changed_cb (MwWindow *self)
{
  MwPage *page = mw_assistant_get_current_page (self->assistant);

  /* Leaving the first-run pages: they are done. */
  if (page == first_filing_page (self) && mw_session_has_profile (self->session))
    set_first_run_visible (self, FALSE);
  save_page (self);
}

static void
start (MwWindow *self)
{
  g_autoptr(GError) error = NULL;
  gboolean has_profile;
  gboolean restored = FALSE;
  MwPage *resume = NULL;

  has_profile = mw_session_load_profile (self->session, &error);
  if (!has_profile && !g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND))
    {
      g_autofree char *message = g_strdup_printf (_("Could not read the organisation profile: %s"), error->message);

      mw_window_add_toast (self, message);
    }
  g_clear_error (&error);
  if (!has_profile && mw_session_get_regime (self->session) == NULL &&
      !mw_session_set_regime_id (self->session, MW_DEFAULT_REGIME, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not load the rules: %s"), error->message);

      mw_window_add_toast (self, message);
      g_clear_error (&error);
    }

  if (has_profile && mw_session_restore_draft (self->session, &error))
    restored = TRUE;
  else
    {
      if (error != NULL && !g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND))
        g_warning ("Could not restore the draft: %s", error->message);
      mw_session_start_new_report (self->session);
    }
  profile_changed_cb (self);

  for (guint i = 0; i < G_N_ELEMENTS (self->first_run); i++)
    mw_assistant_add_page (self->assistant, self->first_run[i]);
  mw_assistant_add_page (self->assistant, MW_PAGE (mw_when_page_new (self->session)));
  mw_assistant_add_page (self->assistant, MW_PAGE (mw_nature_page_new (self->session)));
  mw_assistant_add_page (self->assistant, MW_PAGE (mw_service_page_new (self->session)));
  mw_assistant_add_page (self->assistant, MW_PAGE (mw_recovery_page_new (self->session)));
  mw_assistant_add_page (self->assistant, MW_PAGE (mw_assessment_page_new (self->session)));
  mw_assistant_add_page (self->assistant, MW_PAGE (mw_review_page_new (self->session)));
  mw_assistant_add_page (self->assistant, MW_PAGE (mw_delivery_page_new (self->session)));

  remove_old_state_file (self);
  if (restored)
    {
      resume = saved_page (self);
      mw_window_add_toast (self, _("Your draft report was restored."));
    }
  if (has_profile)
    {
      set_first_run_visible (self, FALSE);
      mw_assistant_set_current_page (self->assistant, resume ? resume : first_filing_page (self));
      mw_keyring_load_async (self->keyring, self->cancellable, key_loaded_cb, g_object_ref (self));
    }
  else
    mw_assistant_set_current_page (self->assistant, self->first_run[0]);

  g_signal_connect_object (self->assistant, "notify::current-page", G_CALLBACK (page_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

/* Actions ------------------------------------------------------------------------------ */

static void
new_report (MwWindow   *self,
            const char *stage)
{
  MwReport *current = mw_session_get_report (self->session);
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GError) error = NULL;

  if (stage != NULL && current != NULL && mw_session_get_submitted (self->session))
    {
      report = mw_report_new_follow_up (current, stage);
      mw_session_set_report (self->session, report);
    }
  else
    {
      if (current != NULL && !mw_session_get_submitted (self->session))
        mw_session_discard_draft (self->session);
      mw_session_start_new_report (self->session);
    }
  profile_changed_cb (self);
  mw_session_report_changed (self->session);
  if (!mw_session_flush (self->session, &error))
    mw_window_add_toast (self, error->message);
  mw_assistant_set_current_page (self->assistant, first_filing_page (self));
}

static void
new_report_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  new_report (MW_WINDOW (widget), NULL);
}

static void
follow_up_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwReport *report = mw_session_get_report (self->session);
  int stage = -1;
  MwReportStage next = MW_REPORT_STAGE_NOTIFICATION;

  if (report != NULL)
    mw_enum_from_nick (MW_TYPE_REPORT_STAGE, mw_report_get_stage (report), &stage);
  if (stage == MW_REPORT_STAGE_NOTIFICATION || stage == MW_REPORT_STAGE_INTERMEDIATE ||
      stage == MW_REPORT_STAGE_FINAL || stage == MW_REPORT_STAGE_PROGRESS)
    next = MW_REPORT_STAGE_FINAL;
  new_report (self, mw_enum_to_nick (MW_TYPE_REPORT_STAGE, next));
}

static void
edit_profile_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (mw_profile_window_new (GTK_WINDOW (self), self->session)));
}

/* Closing ------------------------------------------------------------------------------ */

static gboolean
has_unsent_work (MwWindow *self)
{
  MwReport *report = mw_session_get_report (self->session);

  if (report == NULL || mw_session_get_submitted (self->session))
    return FALSE;
  return mw_report_is_known (report, "nature.summary") ||
         mw_report_is_known (report, "timeline.aware_at") ||
         mw_report_is_known (report, "timeline.started_at");
}

static gboolean
close_idle_cb (gpointer user_data)
{
  MwWindow *self = MW_WINDOW (user_data);

  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   MwWindow         *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    mw_session_discard_draft (self->session);
  else if (g_strcmp0 (response, "keep") != 0)
    return;
  self->close_confirmed = TRUE;
  /* Close once the dialog is gone: it is transient for this window. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

static gboolean
mw_window_close_request (GtkWindow *window)
{
  MwWindow *self = MW_WINDOW (window);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (!mw_session_flush (self->session, &error))
    g_warning ("Could not save the draft: %s", error->message);
  save_page (self);
  save_window_state (self);

  if (self->close_confirmed || !has_unsent_work (self))
    return GTK_WINDOW_CLASS (mw_window_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("The report has not been sent"),
                                   _("Your draft is saved and opens again next time. Reporting deadlines keep running."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Continue Filing"),
                                    "discard", _("_Discard Draft"),
                                    "keep", _("_Close and Keep Draft"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "keep",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (close_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* GObject ------------------------------------------------------------------------------ */

/* On a small screen (a phone, a 360 px wide test screen), start no larger than the screen.
 * $MELDWIJZER_WINDOW_SIZE=WIDTHxHEIGHT (a debugging aid, used by the end-to-end test for its
 * phone-sized run) sets the starting size instead. */
static void
fit_to_screen (MwWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GListModel *monitors = display ? gdk_display_get_monitors (display) : NULL;
  g_autoptr(GdkMonitor) monitor = NULL;
  GdkRectangle geometry;
  const char *size = g_getenv ("MELDWIJZER_WINDOW_SIZE");
  int width, height;

  if (size != NULL && *size != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (size, "x", 3);
      guint64 w = 0, h = 0;

      if (g_strv_length (parts) == 2 &&
          g_ascii_string_to_unsigned (parts[0], 10, 360, 8192, &w, NULL) &&
          g_ascii_string_to_unsigned (parts[1], 10, 294, 8192, &h, NULL))
        {
          gtk_window_set_default_size (GTK_WINDOW (self), (int) w, (int) h);
          return;
        }
      g_warning ("Ignoring $MELDWIJZER_WINDOW_SIZE=%s: give WIDTHxHEIGHT, at least 360x294", size);
    }

  if (monitors == NULL || g_list_model_get_n_items (monitors) == 0)
    return;
  monitor = g_list_model_get_item (monitors, 0);
  gdk_monitor_get_geometry (monitor, &geometry);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (geometry.width > 0 && geometry.width < width)
    width = MAX (geometry.width, 360);
  if (geometry.height > 0 && geometry.height < height)
    height = MAX (geometry.height, 294);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
}

static void
mw_window_constructed (GObject *object)
{
  MwWindow *self = MW_WINDOW (object);
  G_OBJECT_CLASS (mw_window_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = mw_session_new (NULL);

  self->first_run[0] = MW_PAGE (mw_profile_page_new (self->session));
  self->first_run[1] = MW_PAGE (mw_key_page_new (self->session));
  self->first_run[2] = MW_PAGE (mw_mode_page_new (self->session));

  mw_assistant_set_menu_model (self->assistant, self->primary_menu);

  g_signal_connect_object (self->session, "notify::training", G_CALLBACK (update_training),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "profile-changed", G_CALLBACK (profile_changed_cb),
                           self, G_CONNECT_SWAPPED);
  start (self);
  update_training (self);
  restore_window_state (self);
  fit_to_screen (self);
}

static void
mw_window_dispose (GObject *object)
{
  MwWindow *self = MW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->keyring);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_WINDOW);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mw_window_parent_class)->dispose (object);
}

static void
mw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MwWindow *self = MW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MwWindow *self = MW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_window_class_init (MwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = mw_window_constructed;
  object_class->dispose = mw_window_dispose;
  object_class->get_property = mw_window_get_property;
  object_class->set_property = mw_window_set_property;
  window_class->close_request = mw_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, MW_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MW_TYPE_ASSISTANT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, assistant);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, primary_menu);

  gtk_widget_class_install_action (widget_class, "win.new-report", NULL, new_report_action);
  gtk_widget_class_install_action (widget_class, "win.follow-up", NULL, follow_up_action);
  gtk_widget_class_install_action (widget_class, "win.edit-profile", NULL, edit_profile_action);
}

static void
mw_window_init (MwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->keyring = mw_keyring_new (NULL);
  self->settings = settings_new ();
  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

MwWindow *
mw_window_new (GtkApplication *application,
               MwSession      *session)
{
  return g_object_new (MW_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

MwAssistant *
mw_window_get_assistant (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);
  return self->assistant;
}

MwSession *
mw_window_get_session (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);
  return self->session;
}
