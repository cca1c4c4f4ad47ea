/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwWindow"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mw-assessment-page.h"
#include "mw-error.h"
#include "mw-exercise-window.h"
#include "mw-first-frame.h"
#include "mw-export.h"
#include "mw-delivery-page.h"
#include "mw-early-warning-page.h"
#include "mw-incidents-view.h"
#include "mw-key-page.h"
#include "mw-keyring.h"
#include "mw-mode-page.h"
#include "mw-nature-page.h"
#include "mw-profile-page.h"
#include "mw-json.h"
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
  GtkStack             *main_stack;
  MwIncidentsView      *incidents_view;  /* in main_stack once shown, else NULL */
  GMenuModel           *primary_menu;

  MwSession            *session;
  MwKeyring            *keyring;
  GSettings            *settings;
  GCancellable         *cancellable;
  GHashTable           *reminded;      /* "incident stage threshold" already notified */
  guint                 reminder_id;
  guint                 key_pending : 1;   /* loaded once the window has shown */
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
  { "early-warning", mw_early_warning_page_get_type },
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

/* The pages of the wizard, in order: the first three are first run's. Each is built when it
 * is first needed, so that the window shows without building the ten. */
static GType (* const wizard_pages[]) (void) = {
  mw_profile_page_get_type, mw_key_page_get_type, mw_mode_page_get_type,
  mw_early_warning_page_get_type, mw_when_page_get_type, mw_nature_page_get_type,
  mw_service_page_get_type, mw_recovery_page_get_type, mw_assessment_page_get_type,
  mw_review_page_get_type, mw_delivery_page_get_type,
};
#define N_FIRST_RUN_PAGES 3

static void
set_first_run_visible (MwWindow *self,
                       gboolean  visible)
{
  for (guint i = 0; i < N_FIRST_RUN_PAGES; i++)
    mw_assistant_set_page_visible (self->assistant, wizard_pages[i] (), visible);
}

static GType
first_filing_page_type (MwWindow *self)
{
  if (mw_assistant_get_page_visible (self->assistant, MW_TYPE_EARLY_WARNING_PAGE))
    return MW_TYPE_EARLY_WARNING_PAGE;
  return MW_TYPE_WHEN_PAGE;
}

static MwPage *
first_filing_page (MwWindow *self)
{
  return mw_assistant_find_page (self->assistant, first_filing_page_type (self));
}

/* A stage that asks only what the law asks then (the early warning, Cbw art. 26) is filed on
 * its own page; the pages of the full report wait for the next stage, unless the officer
 * asks for them now. The rule is the regime's (its stage "requires"), not the page's. */
static void
update_filing_pages (MwWindow *self)
{
  static GType (* const full_pages[]) (void) = {
    mw_when_page_get_type, mw_nature_page_get_type, mw_service_page_get_type,
    mw_recovery_page_get_type, mw_assessment_page_get_type,
  };
  MwReport *report = mw_session_get_report (self->session);
  MwRegime *regime = mw_session_get_regime (self->session);
  /* Not built yet: its "full details" is still off. */
  MwPage *early_warning = mw_assistant_lookup_page (self->assistant, MW_TYPE_EARLY_WARNING_PAGE);
  const MwStage *stage = NULL;
  gboolean brief, full;

  if (report != NULL && regime != NULL && mw_report_get_stage (report) != NULL)
    stage = mw_regime_find_stage (regime, mw_report_get_stage (report));
  brief = stage != NULL && stage->requires != NULL;
  full = !brief || (early_warning != NULL &&
                    mw_early_warning_page_get_full_details (MW_EARLY_WARNING_PAGE (early_warning)));

  mw_assistant_set_page_visible (self->assistant, MW_TYPE_EARLY_WARNING_PAGE, brief);
  for (guint i = 0; i < G_N_ELEMENTS (full_pages); i++)
    mw_assistant_set_page_visible (self->assistant, full_pages[i] (), full);
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
      mw_assistant_set_page_visible (self->assistant, MW_TYPE_KEY_PAGE, TRUE);
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
  if (page != NULL && G_OBJECT_TYPE (page) == first_filing_page_type (self) &&
      mw_session_has_profile (self->session))
    set_first_run_visible (self, FALSE);
  save_page (self);
}

/* Incidents ---------------------------------------------------------------------------- */

/* The incidents service; NULL (with a toast) when the store is unusable. */
static MwIncidents *
ensure_incidents (MwWindow *self)
{
  MwContext *context = mw_session_get_context (self->session);
  g_autoptr(GError) error = NULL;

  if (context == NULL || !mw_context_open (context, &error))
    {
      if (error != NULL)
        mw_window_add_toast (self, error->message);
      return NULL;
    }
  return mw_context_get_incidents (context);
}

static void new_incident_cb     (MwWindow        *self);
static void file_next_report_cb (MwIncidentsView *view,
                                 const char      *incident_id,
                                 MwWindow        *self);
static void view_message_cb     (MwIncidentsView *view,
                                 const char      *message,
                                 MwWindow        *self);
static void save_record_cb      (MwIncidentsView *view,
                                 const char      *report_id,
                                 MwWindow        *self);

/* The view of the incidents, built the first time it is shown, on the incidents service. */
static MwIncidentsView *
ensure_incidents_view (MwWindow *self)
{
  MwIncidents *incidents = ensure_incidents (self);

  if (self->incidents_view == NULL)
    {
      self->incidents_view = MW_INCIDENTS_VIEW (mw_incidents_view_new ());
      mw_incidents_view_set_menu_model (self->incidents_view, self->primary_menu);
      g_signal_connect_object (self->incidents_view, "new-incident", G_CALLBACK (new_incident_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->incidents_view, "file-next-report", G_CALLBACK (file_next_report_cb),
                               self, 0);
      g_signal_connect_object (self->incidents_view, "message", G_CALLBACK (view_message_cb), self, 0);
      g_signal_connect_object (self->incidents_view, "save-record", G_CALLBACK (save_record_cb), self, 0);
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->incidents_view), "incidents");
    }
  if (incidents != NULL && mw_incidents_view_get_incidents (self->incidents_view) != incidents)
    mw_incidents_view_set_incidents (self->incidents_view, incidents);
  return self->incidents_view;
}

/* The incidents, read again from the store now (at the start, to choose the first page). */
static MwIncidents *
reload_incidents (MwWindow *self)
{
  MwIncidents *incidents = ensure_incidents (self);
  g_autoptr(GError) error = NULL;

  if (incidents == NULL)
    return NULL;
  if (!mw_incidents_reload (incidents, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not read the incidents: %s"), error->message);

      mw_window_add_toast (self, message);
      return NULL;
    }
  return incidents;
}

static void
show_assistant (MwWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "assistant");
}

static void
incidents_reloaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(MwWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_incidents_reload_finish (MW_INCIDENTS (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Could not read the incidents: %s"), error->message);

      mw_window_add_toast (self, message);
    }
}

/* The list at once, brought up to date from a worker thread. */
static void
show_incidents (MwWindow *self)
{
  MwIncidents *incidents = mw_incidents_view_get_incidents (ensure_incidents_view (self));

  if (incidents != NULL)
    mw_incidents_reload_async (incidents, self->cancellable, incidents_reloaded_cb, g_object_ref (self));
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->incidents_view));
}

/* Reminders before each open deadline, while the app runs: once when a day is left, once
 * when four hours are, once at one hour, and once when it is missed. */

static void
remind (MwWindow       *self,
        MwIncidentItem *item,
        GDateTime      *now)
{
  GApplication *application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  GDateTime *due = mw_incident_item_get_next_due (item);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *key = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  g_autofree char *when = NULL;
  GTimeSpan left;
  int step;
  int stage;
  const char *stage_name;

  if (due == NULL || application == NULL)
    return;
  step = mw_deadline_reminder_step (due, now);
  if (step < 0)
    return;
  left = g_date_time_difference (due, now);
  key = g_strdup_printf ("%s %s %d", mw_incident_item_get_incident_id (item),
                         mw_incident_item_get_next_stage (item), step);
  if (!g_hash_table_add (self->reminded, g_steal_pointer (&key)))
    return;

  stage_name = mw_enum_from_nick (MW_TYPE_REPORT_STAGE, mw_incident_item_get_next_stage (item), &stage) ?
               mw_enum_get_display_name (MW_TYPE_REPORT_STAGE, stage) : mw_incident_item_get_next_stage (item);
  when = mw_format_deadline (due, now);
  title = g_strdup_printf (left <= 0 ? _("Deadline missed: %s") : _("Deadline approaching: %s"), stage_name);
  /* Translators: the incident's summary, then its deadline with the time left */
  body = g_strdup_printf (_("%s — due %s"), mw_incident_item_get_summary (item) != NULL ?
                          mw_incident_item_get_summary (item) : _("Incident without a summary"), when);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, left <= G_TIME_SPAN_HOUR ? G_NOTIFICATION_PRIORITY_URGENT
                                                                      : G_NOTIFICATION_PRIORITY_HIGH);
  id = g_strdup_printf ("deadline-%s", mw_incident_item_get_incident_id (item));
  g_application_send_notification (application, id, notification);
}

static void
reminders_reloaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(MwWindow) self = user_data;
  MwIncidents *incidents = MW_INCIDENTS (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint n;

  if (!mw_incidents_reload_finish (incidents, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the incidents for the reminders: %s", error->message);
      return;
    }
  now = mw_incidents_dup_now (incidents);
  n = g_list_model_get_n_items (G_LIST_MODEL (incidents));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwIncidentItem) item = g_list_model_get_item (G_LIST_MODEL (incidents), i);

      if (!mw_incident_item_get_training (item))
        remind (self, item, now);
    }
}

/* Every few minutes: the incidents read again in a worker thread (the time left in the list
 * moves on), then a reminder for each deadline that came close. */
static gboolean
reminder_tick_cb (gpointer user_data)
{
  MwWindow *self = MW_WINDOW (user_data);
  /* NULL until the store is open. */
  MwIncidents *incidents = mw_context_get_incidents (mw_session_get_context (self->session));

  if (incidents != NULL)
    mw_incidents_reload_async (incidents, self->cancellable, reminders_reloaded_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
new_incident_cb (MwWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.new-report", NULL);
}

static gboolean file_next_report (MwWindow   *self,
                                  const char *incident_id,
                                  GError    **error);

static void
file_next_report_cb (MwIncidentsView *view,
                     const char      *incident_id,
                     MwWindow        *self)
{
  g_autoptr(GError) error = NULL;

  if (!file_next_report (self, incident_id, &error))
    mw_window_add_toast (self, error->message);
}

/* The PDF record of a signed report: the report, how each recipient was reached, and the
 * incident's decisions. */
static GBytes *
pdf_record (MwWindow    *self,
            const char  *incident_id,
            const char  *report_id,
            GError     **error)
{
  if (ensure_incidents (self) == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED, _("The incidents cannot be read."));
      return NULL;
    }
  return mw_session_dup_pdf_record (self->session, incident_id, report_id, error);
}

static void
record_saved_cb (GtkNativeDialog *dialog,
                 int              response,
                 MwWindow        *self)
{
  const char *incident_id = g_object_get_data (G_OBJECT (dialog), "incident-id");
  const char *report_id = g_object_get_data (G_OBJECT (dialog), "report-id");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file != NULL ? g_file_get_path (file) : NULL;
      bytes = path != NULL ? pdf_record (self, incident_id, report_id, &error) : NULL;
      if (bytes != NULL &&
          g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          g_autofree char *message = g_strdup_printf (_("PDF record saved as %s"), path);

          mw_window_add_toast (self, message);
        }
      else if (error != NULL)
        mw_window_add_toast (self, error->message);
    }
  g_object_unref (dialog);
}

static void
save_record_cb (MwIncidentsView *view,
                const char      *report_id,
                MwWindow        *self)
{
  GtkFileChooserNative *dialog;
  g_autofree char *name = g_strdup_printf ("meldwijzer-%s.pdf", report_id);

  dialog = gtk_file_chooser_native_new (_("Save PDF Record"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data_full (G_OBJECT (dialog), "incident-id",
                          g_strdup (mw_incidents_view_get_shown (view)), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "report-id", g_strdup (report_id), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (record_saved_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
view_message_cb (MwIncidentsView *view,
                 const char      *message,
                 MwWindow        *self)
{
  mw_window_add_toast (self, message);
}

static void
page_added_cb (MwAssistant *assistant,
               MwPage      *page,
               MwWindow    *self)
{
  if (MW_IS_EARLY_WARNING_PAGE (page))
    g_signal_connect_object (page, "notify::full-details", G_CALLBACK (update_filing_pages),
                             self, G_CONNECT_SWAPPED);
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

  g_signal_connect_object (self->assistant, "page-added", G_CALLBACK (page_added_cb), self, 0);
  for (guint i = 0; i < G_N_ELEMENTS (wizard_pages); i++)
    mw_assistant_add_page_type (self->assistant, wizard_pages[i] (), self->session,
                                i >= N_FIRST_RUN_PAGES || !has_profile);
  g_signal_connect_object (self->session, "report-changed", G_CALLBACK (update_filing_pages),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::report", G_CALLBACK (update_filing_pages),
                           self, G_CONNECT_SWAPPED);
  update_filing_pages (self);

  remove_old_state_file (self);
  if (restored)
    {
      resume = saved_page (self);
      /* A draft left on a page of the full report had asked for it. */
      if (resume != NULL && !gtk_widget_get_visible (GTK_WIDGET (resume)))
        mw_early_warning_page_set_full_details (MW_EARLY_WARNING_PAGE (mw_assistant_find_page (self->assistant,
                                                                                               MW_TYPE_EARLY_WARNING_PAGE)),
                                                TRUE);
      {
        /* Someone coming back to an interrupted report at night may look away from the
         * screen for a while: this notice stays longer than the usual few seconds. */
        AdwToast *toast = adw_toast_new (_("Your draft report was restored."));

        adw_toast_set_timeout (toast, 20);
        adw_toast_overlay_add_toast (self->toast_overlay, toast);
      }
    }
  if (has_profile)
    {
      set_first_run_visible (self, FALSE);
      mw_assistant_set_current_page (self->assistant, resume ? resume : first_filing_page (self));
      self->key_pending = TRUE;
    }
  else
    mw_assistant_set_current_page (self->assistant, mw_assistant_find_page (self->assistant, MW_TYPE_PROFILE_PAGE));

  g_signal_connect_object (self->assistant, "notify::current-page", G_CALLBACK (page_changed_cb),
                           self, G_CONNECT_SWAPPED);

  /* With incidents on file and no report being written, the window opens on them. */
  {
    MwIncidents *incidents = has_profile ? reload_incidents (self) : NULL;

    if (incidents != NULL && !restored && g_list_model_get_n_items (G_LIST_MODEL (incidents)) > 0)
      gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (ensure_incidents_view (self)));
    else
      show_assistant (self);
  }
  self->reminder_id = g_timeout_add_seconds (5 * 60, reminder_tick_cb, self);
}

/* What the first frame does not need waits for it: the key's load from the keyring (a
 * D-Bus session with the Secret Service and its key exchange, in a thread that competes
 * for the CPU with the first layout). */
static gboolean
after_first_frame_cb (gpointer user_data)
{
  MwWindow *self = MW_WINDOW (user_data);

  if (self->key_pending)
    {
      self->key_pending = FALSE;
      mw_keyring_load_async (self->keyring, self->cancellable, key_loaded_cb, g_object_ref (self));
    }
  return G_SOURCE_REMOVE;
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
  show_assistant (self);
}

/* The next report of a stored incident, pre-filled from its last signed report, in the
 * wizard. */
static gboolean
file_next_report (MwWindow   *self,
                  const char *incident_id,
                  GError    **error)
{
  MwIncidents *incidents = ensure_incidents (self);
  MwReport *current = mw_session_get_report (self->session);
  g_autoptr(MwReport) report = NULL;

  if (incidents == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED, _("The incidents cannot be read."));
      return FALSE;
    }
  report = mw_incidents_dup_follow_up (incidents, incident_id, NULL, error);
  if (report == NULL)
    return FALSE;
  if (current != NULL && !mw_session_get_submitted (self->session))
    mw_session_discard_draft (self->session);
  mw_session_set_report (self->session, report);
  profile_changed_cb (self);
  mw_session_report_changed (self->session);
  if (!mw_session_flush (self->session, error))
    return FALSE;
  mw_assistant_set_current_page (self->assistant, first_filing_page (self));
  show_assistant (self);
  return TRUE;
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
  g_autoptr(GError) error = NULL;

  if (report == NULL || !mw_session_get_submitted (self->session) ||
      !file_next_report (self, mw_report_get_incident_id (report), &error))
    {
      if (error != NULL)
        mw_window_add_toast (self, error->message);
    }
}

static void
decision_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      MwWindow         *self)
{
  GtkEditable *reason = g_object_get_data (G_OBJECT (dialog), "reason");
  MwReport *report = mw_session_get_report (self->session);
  MwIncidents *incidents;
  g_autoptr(GError) error = NULL;
  g_autofree char *decision_id = NULL;
  g_autofree char *incident_id = NULL;

  if (g_strcmp0 (response, "record") != 0 || report == NULL)
    return;
  incidents = ensure_incidents (self);
  if (incidents == NULL)
    return;
  incident_id = g_strdup (mw_report_get_incident_id (report));
  decision_id = mw_incidents_record_decision (incidents, report, gtk_editable_get_text (reason),
                                              mw_session_get_signer (self->session), &error);
  if (decision_id == NULL)
    {
      mw_window_add_toast (self, error->message);
      return;
    }
  mw_window_add_toast (self, _("The decision was signed and kept with the incident."));
  show_incidents (self);
  mw_incidents_view_show_incident (self->incidents_view, incident_id);
}

/* "Record this decision": when the verdict is voluntary or undetermined and the officer
 * decides not to report, the facts, the criteria, the reason and who decided, signed. */
static void
record_decision_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwAssessment *assessment = mw_session_get_assessment (self->session);
  GtkWidget *dialog, *entry;

  if (mw_session_get_report (self->session) == NULL || assessment == NULL)
    {
      mw_window_add_toast (self, _("Answer the questions first: the decision records the facts and the verdict."));
      return;
    }
  if (mw_assessment_get_verdict (assessment) == MW_VERDICT_MANDATORY)
    {
      mw_window_add_toast (self, _("This incident must be reported: a decision not to report cannot be recorded."));
      return;
    }
  if (mw_session_get_signer (self->session) == NULL)
    {
      mw_window_add_toast (self, _("The signing key is not loaded yet; try again in a moment."));
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Record the Decision Not to Report?"),
                                   _("The facts as answered, the criteria as assessed, your reason and who decided "
                                     "are signed with the organisation’s key and kept with the incident, for auditors."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  mw_widget_set_accessible_label (entry, _("Reason for not reporting"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "reason", entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "record", _("_Record Decision"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "record", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "record");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (decision_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_incidents_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  show_incidents (MW_WINDOW (widget));
}

static void
edit_profile_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (mw_profile_window_new (GTK_WINDOW (self), self->session)));
}

/* The shortcuts window is built when it is asked for, not with every window as GTK does
 * for an app's gtk/help-overlay.ui. */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/meldwijzer/Meldwijzer/ui/mw-shortcuts-window.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (widget));
  gtk_window_present (shortcuts);
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

  mw_assistant_set_menu_model (self->assistant, self->primary_menu);

  g_signal_connect_object (self->session, "notify::training", G_CALLBACK (update_training),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "profile-changed", G_CALLBACK (profile_changed_cb),
                           self, G_CONNECT_SWAPPED);
  start (self);
  update_training (self);
  restore_window_state (self);
  fit_to_screen (self);
  /* Last: what the first frame shows is built. */
  mw_widget_wrap_at_words_until_first_frame (GTK_WIDGET (self));
}

static void
mw_window_dispose (GObject *object)
{
  MwWindow *self = MW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reminder_id, g_source_remove);
  g_clear_pointer (&self->reminded, g_hash_table_unref);
  g_clear_object (&self->keyring);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_WINDOW);
  self->incidents_view = NULL;  /* was the main stack's */
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
  gtk_widget_class_bind_template_child (widget_class, MwWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, primary_menu);

  gtk_widget_class_install_action (widget_class, "win.new-report", NULL, new_report_action);
  gtk_widget_class_install_action (widget_class, "win.follow-up", NULL, follow_up_action);
  gtk_widget_class_install_action (widget_class, "win.edit-profile", NULL, edit_profile_action);
  gtk_widget_class_install_action (widget_class, "win.exercise", NULL, mw_exercise_window_action);
  gtk_widget_class_install_action (widget_class, "win.show-incidents", NULL, show_incidents_action);
  gtk_widget_class_install_action (widget_class, "win.record-decision", NULL, record_decision_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_shortcuts_action);
}

static void
mw_window_init (MwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->reminded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keyring = mw_keyring_new (NULL);
  self->settings = settings_new ();
  mw_widget_after_first_frame (GTK_WIDGET (self), after_first_frame_cb, self, NULL);
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
