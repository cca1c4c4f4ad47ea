/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-email-portal"

/* The e-mail with its attachments through the Email portal (mw-email-portal.c), on a private
 * session bus (GTestDBus): with no portal on the bus the call says NOT_SUPPORTED (the desk
 * step then falls back to mailto:); with the mock portal of tests/mock-email-portal.py — a
 * mock because no real portal backend or mail program can run headless — the portal gets the
 * address, subject and body, and attachment fds that are readable and hold exactly the bytes
 * given, under their names; a portal that cannot open a mail program is an error, one the
 * user cancelled a cancellation. The desk step's "Write E-mail" attaches the exact signed
 * report and its PDF record, and without a portal shows how to attach them by hand. */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "mw-desk-step.h"
#include "mw-email-portal.h"
#include "mw-test-app.h"
#include "mw-test-widgets.h"

static GTestDBus *bus;
static char *tmpdir;

static void
compose_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  if (!mw_email_portal_compose_finish (result, error) && *error == NULL)
    g_assert_not_reached ();
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, 0, "ok");  /* done, without an error */
}

/* Composes and waits; returns the error, or NULL when the portal said the e-mail opened. */
static GError *
compose (const MwEmailAttachment *attachments,
         gsize                    n_attachments)
{
  GError *error = NULL;

  mw_email_portal_compose_async ("cert@ncsc.nl", "nl-cbw R-1", "Company name: Wolkendienst B.V.\n",
                                 attachments, n_attachments, NULL, compose_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (error->domain == G_IO_ERROR && error->code == 0 && g_str_equal (error->message, "ok"))
    g_clear_error (&error);
  return error;
}

static GSubprocess *
start_mock (const char *record,
            const char *response)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "mock-email-portal.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GSubprocess *mock;

  g_assert_no_error (error);
  mock = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/usr/bin/python3", script, record, response, NULL);
  g_assert_no_error (error);
  /* Until it owns the portal's name (a bound, not a measure: a mock that never gets there
   * has failed). */
  for (guint tries = 0;; tries++)
    {
      g_autoptr(GVariant) owner = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                                               "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                                               "NameHasOwner",
                                                               g_variant_new ("(s)", "org.freedesktop.portal.Desktop"),
                                                               G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                                               NULL, &error);
      gboolean has = FALSE;

      g_assert_no_error (error);
      g_variant_get (owner, "(b)", &has);
      if (has)
        break;
      g_assert_cmpuint (tries, <, 600);
      g_usleep (50 * 1000);
    }
  return mock;
}

static void
stop_mock (GSubprocess *mock)
{
  g_subprocess_force_exit (mock);
  g_subprocess_wait (mock, NULL, NULL);
  g_object_unref (mock);
}

static void
test_no_portal (void)
{
  const char data[] = "eyJhbGciOiJFZERTQSJ9.e30.c2ln";
  g_autoptr(GBytes) jws = g_bytes_new_static (data, sizeof data - 1);
  const MwEmailAttachment attachments[] = { { "meldwijzer-R-1.jws", jws } };
  g_autoptr(GError) error = compose (attachments, G_N_ELEMENTS (attachments));

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_attachments (void)
{
  g_autofree char *record = g_build_filename (tmpdir, "record.json", NULL);
  GSubprocess *mock = start_mock (record, "0");
  /* Bytes a text channel would mangle: a NUL, a CR LF, 0xff, and a PDF's head. */
  const char pdf_data[] = "%PDF-1.7\r\n\0\xff\xfe binary \x01\x02 %%EOF\n";
  const char jws_data[] = "eyJhbGciOiJFZERTQSJ9.e30.c2ln\n";
  g_autoptr(GBytes) pdf = g_bytes_new_static (pdf_data, sizeof pdf_data - 1);
  g_autoptr(GBytes) jws = g_bytes_new_static (jws_data, sizeof jws_data - 1);
  const MwEmailAttachment attachments[] = { { "meldwijzer-R-1.jws", jws }, { "meldwijzer-R-1.pdf", pdf } };
  g_autoptr(GError) error = compose (attachments, G_N_ELEMENTS (attachments));
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *options;
  JsonArray *files;

  g_assert_no_error (error);
  json_parser_load_from_file (parser, record, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  options = json_object_get_object_member (root, "options");
  g_assert_cmpstr (json_object_get_string_member (options, "address"), ==, "cert@ncsc.nl");
  g_assert_cmpstr (json_object_get_string_member (options, "subject"), ==, "nl-cbw R-1");
  g_assert_cmpstr (json_object_get_string_member (options, "body"), ==, "Company name: Wolkendienst B.V.\n");
  files = json_object_get_array_member (root, "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *file = json_array_get_object_element (files, i);
      g_autoptr(GString) hex = g_string_new (NULL);
      gsize size;
      const guint8 *bytes = g_bytes_get_data (attachments[i].contents, &size);

      for (gsize j = 0; j < size; j++)
        g_string_append_printf (hex, "%02x", bytes[j]);
      g_assert_true (json_object_get_boolean_member (file, "readable"));
      g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, attachments[i].name);
      g_assert_cmpstr (json_object_get_string_member (file, "hex"), ==, hex->str);
    }
  stop_mock (mock);
}

static void
test_portal_fails (void)
{
  g_autofree char *record = g_build_filename (tmpdir, "record-2.json", NULL);
  GSubprocess *mock = start_mock (record, "2");
  g_autoptr(GError) error = compose (NULL, 0);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  stop_mock (mock);

  mock = start_mock (record, "1");
  g_clear_error (&error);
  error = compose (NULL, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  stop_mock (mock);
}


/* A live report of a cloud provider, signed and stored: the NCSC's desk step on its e-mail. */
static GtkWidget *
new_email_step (MwSession **session_out)
{
  gboolean submitted;
  g_autoptr(MwSession) session = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (NULL);
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = mw_format_time (now);
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  static guint counter;
  GtkWidget *step;

  db = g_strdup_printf ("%s/step-%u.db", tmpdir, ++counter);
  g_setenv ("MELDWIJZER_DB", db, TRUE);
  session = mw_session_new (tmpdir);
  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", &error));
  mw_profile_set_name (mw_session_get_profile (session), "Wolkendienst B.V.");
  mw_profile_set_registration (mw_session_get_profile (session), "12345678");
  mw_profile_set_entity_type (mw_session_get_profile (session), "cloud");
  mw_profile_set_contact_name (mw_session_get_profile (session), "A. de Vries");
  mw_profile_set_contact_email (mw_session_get_profile (session), "soc@example.nl");
  mw_profile_add_service (mw_session_get_profile (session), "Object storage", "EU-West");
  report = mw_session_create_report (session);
  mw_session_set_report (session, report);
  mw_session_set_signer (session, signer);
  mw_session_set_training (session, FALSE);
  mw_report_set_string (report, "timeline.aware_at", time);
  mw_report_set_string (report, "timeline.started_at", time);
  mw_report_set_string (report, "nature.summary", "Storage down");
  mw_report_set_string (report, "recovery.status", "investigating");
  /* What an early warning answers (Cbw art. 26). */
  mw_report_set_string (report, "service.name", "Object storage");
  mw_report_set_boolean (report, "nature.suspected_unlawful", TRUE);
  mw_report_set_boolean (report, "facts.cross_border", FALSE);
  submitted = mw_test_submit (session, &error);
  g_assert_no_error (error);
  g_assert_true (submitted);

  step = mw_desk_step_new (mw_session_get_outbox (session, &error), report, mw_session_get_regime (session), "ncsc");
  g_assert_no_error (error);
  g_object_ref_sink (step);
  mw_desk_step_set_session (MW_DESK_STEP (step), session);
  /* The NCSC's channels: phone, e-mail, form. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (mw_test_find_named (step, "desk-channel")), 1);
  g_assert_cmpstr (mw_desk_step_get_channel (MW_DESK_STEP (step)), ==, "ncsc-email");
  *session_out = g_steal_pointer (&session);
  return step;
}

static void
test_step_attaches (void)
{
  g_autofree char *record = g_build_filename (tmpdir, "record-step.json", NULL);
  GSubprocess *mock = start_mock (record, "0");
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GtkWidget) step = new_email_step (&session);
  MwReport *report = mw_session_get_report (session);
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = mw_context_dup_signed_report (mw_session_get_context (session),
                                                       mw_report_get_report_id (report), &error);
  g_autofree char *jws_name = g_strdup_printf ("meldwijzer-%s.jws", mw_report_get_report_id (report));
  g_autofree char *pdf_name = g_strdup_printf ("meldwijzer-%s.pdf", mw_report_get_report_id (report));
  g_autoptr(GString) jws_hex = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *options, *file;
  JsonArray *files;

  g_assert_no_error (error);
  for (const char *c = jws; *c; c++)
    g_string_append_printf (jws_hex, "%02x", (guint8) *c);
  g_signal_emit_by_name (mw_test_find_named (step, "desk-email"), "clicked");
  while (!g_file_test (record, G_FILE_TEST_EXISTS))
    g_main_context_iteration (NULL, TRUE);

  json_parser_load_from_file (parser, record, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  options = json_object_get_object_member (root, "options");
  g_assert_cmpstr (json_object_get_string_member (options, "address"), ==, "cert@ncsc.nl");
  g_assert_nonnull (strstr (json_object_get_string_member (options, "body"), "Wolkendienst B.V."));
  files = json_object_get_array_member (root, "attachments");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);
  file = json_array_get_object_element (files, 0);
  g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, jws_name);
  g_assert_cmpstr (json_object_get_string_member (file, "hex"), ==, jws_hex->str);
  file = json_array_get_object_element (files, 1);
  g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, pdf_name);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (file, "hex"), "255044462d"));  /* %PDF- */
  g_assert_false (gtk_widget_get_visible (mw_test_find_named (step, "desk-attach")));
  stop_mock (mock);
}

static gboolean
attach_row_shown (GtkWidget *step)
{
  return gtk_widget_get_visible (mw_test_find_named (step, "desk-attach"));
}

/* No portal: the mailto: link, and the row saying to attach both files by hand. */
static void
test_step_without_portal (void)
{
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GtkWidget) step = new_email_step (&session);

  g_assert_false (attach_row_shown (step));
  g_signal_emit_by_name (mw_test_find_named (step, "desk-email"), "clicked");
  while (!attach_row_shown (step))
    g_main_context_iteration (NULL, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *display = NULL;
  int status;

  tmpdir = g_dir_make_tmp ("mw-email-portal-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  /* The private bus has no accessibility bus to find. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  /* GTestDBus unsets DISPLAY (against X11 autolaunch of a bus); GTK needs it back. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/email-portal/no-portal", test_no_portal);
  g_test_add_func ("/email-portal/attachments", test_attachments);
  g_test_add_func ("/email-portal/portal-fails", test_portal_fails);
  g_test_add_func ("/email-portal/desk-step-attaches", test_step_attaches);
  g_test_add_func ("/email-portal/desk-step-without-portal", test_step_without_portal);
  status = g_test_run ();

  /* GTK keeps its connection to the session bus to the end (its settings portal proxy), so
   * the bus is stopped without waiting for the connection to go, and without it taking the
   * test down as it closes. */
  {
    g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

    if (connection != NULL)
      g_dbus_connection_set_exit_on_close (connection, FALSE);
  }
  g_test_dbus_stop (bus);
  /* Not unreferenced: its finalize would wait for that connection all the same. */
  return status;
}
