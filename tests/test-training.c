/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-training"

/* MwTrainingIntake against the real meldwijzer-intake program ($MELDWIJZER_INTAKE): it
 * enrols the key, starts on a free loopback port, answers there, and is gone after stop. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mw-error.h"
#include "mw-signer.h"
#include "mw-training.h"
#include "mw-test-util.h"

static char *tmpdir;

static void
start_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError **error = user_data;

  if (!mw_training_intake_start_finish (MW_TRAINING_INTAKE (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "started");  /* marker: done */
}

static gboolean
run_start (MwTrainingIntake  *intake,
           const char        *jwk,
           GError           **error)
{
  GError *result = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  mw_training_intake_start_async (intake, jwk, NULL, start_cb, &result);
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  if (g_error_matches (result, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_error_free (result);
      return TRUE;
    }
  g_propagate_error (error, result);
  return FALSE;
}

static gboolean
can_connect (const char *url)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_uri (client, url, 80, NULL, NULL);
  return connection != NULL;
}

static void
test_start_stop (void)
{
  const char *mailboxes[] = { "ncsc", "rdi", NULL };
  g_autofree char *db = g_build_filename (tmpdir, "training-intake.db", NULL);
  g_autoptr(MwTrainingIntake) intake = mw_training_intake_new (db, mailboxes);
  g_autoptr(MwSigner) signer = mw_signer_generate (NULL);
  g_autofree char *jwk = mw_signer_to_public_jwk (signer);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *mailbox = NULL;
  g_autofree char *receipt_jwk = NULL;
  g_autoptr(MwSigner) receipt_key = NULL;

  g_assert_false (mw_training_intake_get_running (intake));
  g_assert_null (mw_training_intake_get_url (intake));

  g_assert_true (run_start (intake, jwk, &error));
  g_assert_no_error (error);
  g_assert_true (mw_training_intake_get_running (intake));

  url = g_strdup (mw_training_intake_get_url (intake));
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/"));
  g_assert_false (g_str_has_suffix (url, ":0/"));
  mailbox = mw_training_intake_dup_mailbox_url (intake, "rdi");
  g_assert_cmpstr (mailbox + strlen (url), ==, "rdi");
  g_assert_true (can_connect (url));

  /* The receipts key beside the database, public part only. */
  receipt_jwk = mw_training_intake_dup_receipt_jwk (intake, &error);
  g_assert_no_error (error);
  receipt_key = mw_signer_new_from_jwk (receipt_jwk, &error);
  g_assert_no_error (error);
  g_assert_false (mw_signer_has_private (receipt_key));

  /* Starting twice is refused. */
  g_assert_false (run_start (intake, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
  g_clear_error (&error);

  mw_training_intake_stop (intake);
  g_assert_false (mw_training_intake_get_running (intake));
  g_assert_null (mw_training_intake_get_url (intake));
  g_assert_false (can_connect (url));
  mw_training_intake_stop (intake);  /* harmless */

  /* It starts again on the same database, with the key still enrolled. */
  g_assert_true (run_start (intake, jwk, &error));
  g_assert_no_error (error);
  g_assert_true (can_connect (mw_training_intake_get_url (intake)));
  g_clear_object (&intake);  /* dispose stops it */
  g_assert_false (can_connect (url));
}

static void
test_missing_program (void)
{
  const char *mailboxes[] = { "ncsc", NULL };
  g_autofree char *db = g_build_filename (tmpdir, "other.db", NULL);
  g_autoptr(MwTrainingIntake) intake = mw_training_intake_new (db, mailboxes);
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-intake", NULL);
  g_autoptr(GError) error = NULL;

  mw_training_intake_set_program (intake, missing);
  g_assert_false (run_start (intake, NULL, &error));
  g_assert_nonnull (error);
  g_assert_false (mw_training_intake_get_running (intake));
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("MELDWIJZER_INTAKE") == NULL)
    {
      g_test_skip ("MELDWIJZER_INTAKE is not set");
      return 77;
    }
  tmpdir = g_dir_make_tmp ("mw-test-training-XXXXXX", NULL);
  g_test_add_func ("/training/start-stop", test_start_stop);
  g_test_add_func ("/training/missing-program", test_missing_program);
  result = g_test_run ();

  mw_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return result;
}
