/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-email-portal"

/* The e-mail with its attachments through the Email portal (mw-email-portal.c), on a private
 * session bus (GTestDBus): with no portal on the bus the call says NOT_SUPPORTED (the desk
 * step then falls back to mailto:); with the mock portal of tests/mock-email-portal.py — a
 * mock because no real portal backend or mail program can run headless — the portal gets the
 * address, subject and body, and attachment fds that are readable and hold exactly the bytes
 * given, under their names; a portal that cannot open a mail program is an error, one the
 * user cancelled a cancellation. */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mw-email-portal.h"

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

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("mw-email-portal-XXXXXX", NULL);
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add_func ("/email-portal/no-portal", test_no_portal);
  g_test_add_func ("/email-portal/attachments", test_attachments);
  g_test_add_func ("/email-portal/portal-fails", test_portal_fails);
  status = g_test_run ();

  g_test_dbus_down (bus);
  g_object_unref (bus);
  return status;
}
