/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-incidents"

/* The incidents view and the window opening on it, with a real SQLite store in a temporary
 * folder: the list searchable, the detail with verified receipts and their key, "File the
 * Next Report" opening the wizard on the follow-up. */

#include "config.h"

#include <adwaita.h>

#include "mw-assistant.h"
#include "mw-incidents-view.h"
#include "mw-session.h"
#include "mw-signer.h"
#include "mw-store.h"
#include "mw-test-util.h"
#include "mw-test-widgets.h"
#include "mw-window.h"

static char *tmpdir;
static guint db_counter;
static MwSigner *recipient_key;

static MwStore *
new_store (void)
{
  g_autofree char *name = g_strdup_printf ("test-%u.db", ++db_counter);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  MwStore *store;

  g_setenv ("MELDWIJZER_DB", path, TRUE);
  store = mw_store_new_for_path (path, &error);
  g_assert_no_error (error);
  return store;
}

/* Signs and stores a report of a new incident; with @receipts, both recipients answer. */
static char *
file_incident (MwStore    *store,
               const char *summary,
               gboolean    receipts)
{
  static const char * const recipients[] = { "ncsc", "rdi", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reports", "cbw-dns-outage.json", NULL);
  g_autoptr(MwReport) report = mw_report_new_from_file (path, &error);
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autofree char *incident_id = g_uuid_string_random ();
  g_autofree char *report_id = g_uuid_string_random ();
  g_autofree char *jws = NULL;
  g_autofree char *sha256 = NULL;

  g_assert_no_error (error);
  mw_report_set_string (report, "incident_id", incident_id);
  mw_report_set_string (report, "report_id", report_id);
  mw_report_set_string (report, "stage", "early-warning");
  mw_report_set_unknown (report, "supersedes");
  mw_report_set_string (report, "nature.summary", summary);
  jws = mw_signer_sign_report (signer, report, &error);
  g_assert_no_error (error);
  g_assert_true (mw_store_submit (store, jws, recipients, &error));
  sha256 = mw_sha256_hex ((const guint8 *) jws, strlen (jws));
  for (guint i = 0; receipts && recipients[i] != NULL; i++)
    {
      g_autofree char *receipt_id = g_uuid_string_random ();
      g_autofree char *payload = g_strdup_printf ("{\"receipt_id\":\"%s\",\"recipient\":\"%s\",\"received_at\":"
                                                  "\"2026-11-21T04:00:00+01:00\",\"report_id\":\"%s\","
                                                  "\"report_sha256\":\"%s\"}",
                                                  receipt_id, recipients[i], report_id, sha256);
      g_autofree char *receipt = mw_signer_sign (recipient_key, "meldwijzer.receipt/1",
                                                 (const guint8 *) payload, strlen (payload), &error);

      g_assert_no_error (error);
      g_assert_true (mw_store_mark_delivered (store, report_id, recipients[i], receipt_id, receipt,
                                              "2026-11-21T04:00:00+01:00", &error));
    }
  return g_steal_pointer (&incident_id);
}

static void
iterate_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (done (data));
}

static gboolean
has_one_item (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 1;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  mw_test_collect_widgets (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static guint
count_buttons (GtkWidget  *root,
               const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint n = 0;

  mw_test_collect_widgets (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    n += g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0;
  return n;
}

static gboolean
has_label_containing (GtkWidget  *root,
                      const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  mw_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
file_next_cb (MwIncidentsView *view,
              const char      *incident_id,
              char           **out)
{
  g_free (*out);
  *out = g_strdup (incident_id);
}

/* The list filters as the user types; the detail names every receipt as verified, with the
 * recipient key's thumbprint in groups, and offers to save each one. */
static void
test_view (void)
{
  g_autoptr(MwStore) store = new_store ();
  g_autofree char *first = file_incident (store, "Resolvers unreachable", TRUE);
  g_autofree char *second = file_incident (store, "Mail relay abused", FALSE);
  g_autoptr(MwIncidents) incidents = mw_incidents_new (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *asked = NULL;
  g_autofree char *thumbprint = mw_thumbprint_format (mw_signer_get_thumbprint (recipient_key));
  GtkWidget *view = g_object_ref_sink (mw_incidents_view_new ());
  GtkWidget *button;

  g_assert_true (mw_incidents_reload (incidents, &error));
  mw_incidents_view_set_incidents (MW_INCIDENTS_VIEW (view), incidents);
  g_assert_cmpuint (g_list_model_get_n_items (mw_incidents_view_get_filtered (MW_INCIDENTS_VIEW (view))), ==, 2);

  gtk_editable_set_text (mw_incidents_view_get_search (MW_INCIDENTS_VIEW (view)), "RESOLVERS");
  iterate_until (has_one_item, mw_incidents_view_get_filtered (MW_INCIDENTS_VIEW (view)));
  {
    g_autoptr(MwIncidentItem) item = g_list_model_get_item (mw_incidents_view_get_filtered (MW_INCIDENTS_VIEW (view)), 0);

    g_assert_cmpstr (mw_incident_item_get_incident_id (item), ==, first);
  }

  mw_incidents_view_show_incident (MW_INCIDENTS_VIEW (view), first);
  g_assert_cmpstr (mw_incidents_view_get_shown (MW_INCIDENTS_VIEW (view)), ==, first);
  g_assert_cmpuint (count_buttons (view, "Save _Receipt"), ==, 2);
  g_assert_true (has_label_containing (view, thumbprint));
  g_assert_true (has_label_containing (view, "Delivered and verified"));
  g_assert_cmpuint (count_buttons (view, "Save _PDF Record"), ==, 1);

  g_signal_connect (view, "file-next-report", G_CALLBACK (file_next_cb), &asked);
  button = find_button (view, "_File the Next Report");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (asked, ==, first);

  /* Without receipts: nothing to save, the states said in words. */
  mw_incidents_view_show_incident (MW_INCIDENTS_VIEW (view), second);
  g_assert_cmpuint (count_buttons (view, "Save _Receipt"), ==, 0);
  g_assert_true (has_label_containing (view, "waiting to be delivered"));
  g_object_unref (view);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
destroy_window (MwWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_until (is_null, &window);
}

static GtkWidget *
visible_page (MwWindow *window)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  mw_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    {
      GtkWidget *child = gtk_stack_get_visible_child (g_ptr_array_index (stacks, i));

      if (MW_IS_INCIDENTS_VIEW (child) || MW_IS_ASSISTANT (child))
        return child;
    }
  return NULL;
}

static MwSession *
session_with_profile (void)
{
  g_autoptr(GError) error = NULL;
  MwSession *session = mw_session_new (tmpdir);

  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", &error));
  mw_profile_set_name (mw_session_get_profile (session), "Voorbeeld DNS B.V.");
  mw_profile_set_registration (mw_session_get_profile (session), "12345678");
  mw_profile_set_entity_type (mw_session_get_profile (session), "dns");
  mw_profile_set_contact_name (mw_session_get_profile (session), "J. de Vries");
  mw_profile_set_contact_email (mw_session_get_profile (session), "ciso@dns.example.nl");
  g_assert_true (mw_session_save_profile (session, &error));
  g_assert_no_error (error);
  return session;
}

/* The window opens on the wizard while nothing was filed, and on the incidents once
 * something was; "File the Next Report" opens the wizard on the follow-up. */
static void
test_window (void)
{
  g_autoptr(MwStore) store = new_store ();
  g_autoptr(MwSession) profile = session_with_profile ();
  g_autoptr(MwSession) session = NULL;
  g_autofree char *incident = NULL;
  MwReport *report;
  MwWindow *window;
  GtkWidget *page;

  window = mw_window_new (NULL, (session = mw_session_new (tmpdir)));
  g_assert_true (MW_IS_ASSISTANT (visible_page (window)));
  destroy_window (window);
  /* Its early warning filled in the time of awareness, a draft: no report is being written. */
  mw_session_discard_draft (session);
  g_clear_object (&session);

  incident = file_incident (store, "Resolvers unreachable", TRUE);
  window = mw_window_new (NULL, (session = mw_session_new (tmpdir)));
  page = visible_page (window);
  g_assert_true (MW_IS_INCIDENTS_VIEW (page));
  g_assert_cmpuint (g_list_model_get_n_items (mw_incidents_view_get_filtered (MW_INCIDENTS_VIEW (page))), ==, 1);

  mw_incidents_view_show_incident (MW_INCIDENTS_VIEW (page), incident);
  g_signal_emit_by_name (find_button (page, "_File the Next Report"), "clicked");
  g_assert_true (MW_IS_ASSISTANT (visible_page (window)));
  report = mw_session_get_report (session);
  g_assert_cmpstr (mw_report_get_incident_id (report), ==, incident);
  g_assert_cmpstr (mw_report_get_stage (report), ==, "notification");
  g_assert_nonnull (mw_report_get_string (report, "supersedes"));
  g_assert_cmpstr (mw_report_get_string (report, "nature.summary"), ==, "Resolvers unreachable");
  destroy_window (window);
}

/* "Record Decision Not to Report": refused while the verdict is mandatory; for an
 * undetermined one the reason asked for is signed and kept with the incident, which the
 * window then shows. */
static void
test_record_decision (void)
{
  g_autoptr(MwStore) store = new_store ();
  g_autoptr(MwSession) profile = session_with_profile ();
  g_autoptr(MwSession) session = NULL;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) toplevels = NULL;
  g_autoptr(MwIncidents) incidents = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autofree char *incident_id = NULL;
  AdwMessageDialog *dialog = NULL;
  GtkEditable *reason;
  MwReport *report;
  MwWindow *window;

  window = mw_window_new (NULL, (session = mw_session_new (tmpdir)));
  signer = mw_signer_generate (&error);
  mw_session_set_signer (session, signer);
  report = mw_session_get_report (session);
  incident_id = g_strdup (mw_report_get_incident_id (report));
  mw_report_set_string (report, "nature.summary", "Scan of the resolvers, nothing reached");
  mw_session_report_changed (session);

  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      g_assert_false (ADW_IS_MESSAGE_DIALOG (toplevel));
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.record-decision", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        dialog = ADW_MESSAGE_DIALOG (toplevel);
    }
  g_assert_nonnull (dialog);
  reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gtk_editable_set_text (reason, "Nothing got in; the scan was blocked.");
  adw_message_dialog_response (dialog, "record");
  gtk_window_destroy (GTK_WINDOW (dialog));

  incidents = mw_incidents_new (store);
  history = mw_incidents_dup_history (incidents, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (history), "decisions")), ==, 1);
  g_assert_true (MW_IS_INCIDENTS_VIEW (visible_page (window)));
  g_assert_cmpstr (mw_incidents_view_get_shown (MW_INCIDENTS_VIEW (visible_page (window))), ==, incident_id);
  g_assert_true (has_label_containing (GTK_WIDGET (window), "Nothing got in; the scan was blocked."));
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  tmpdir = g_dir_make_tmp ("mw-test-app-incidents-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  recipient_key = mw_signer_generate (&error);
  g_assert_no_error (error);

  g_test_add_func ("/app/incidents/view", test_view);
  g_test_add_func ("/app/incidents/window", test_window);
  g_test_add_func ("/app/incidents/record-decision", test_record_decision);

  result = g_test_run ();
  g_object_unref (recipient_key);
  mw_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return result;
}
