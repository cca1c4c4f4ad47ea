/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-intake"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "mw-error.h"
#include "mw-intake.h"
#include "mw-signer.h"

/* The MwIntake API on a real SQLite file in a temporary directory. The HTTP side is tested
 * against the real program by test-intake.py. */

typedef struct {
  char *dir;
  char *db;
  char *key;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mw-test-intake-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "intake.db", NULL);
  fixture->key = g_strconcat (fixture->db, ".key", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  const char *suffixes[] = { "", ".key", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (fixture->db, suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->key);
}

static MwIntake *
open_intake (Fixture       *fixture,
             MwIntakeFlags  flags)
{
  g_autoptr(GError) error = NULL;
  MwIntake *intake = mw_intake_new (fixture->db, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (intake);
  return intake;
}

static void
test_new_destroy (Fixture       *fixture,
                  gconstpointer  user_data)
{
  MwIntake *intake = open_intake (fixture, MW_INTAKE_FLAGS_NONE);
  g_autofree char *key_path = mw_intake_dup_key_path (intake);

  g_assert_cmpstr (mw_intake_get_db_path (intake), ==, fixture->db);
  g_assert_cmpstr (key_path, ==, fixture->key);
  g_assert_false (mw_intake_get_training (intake));
  g_assert_null (mw_intake_dup_url (intake));
  g_assert_finalize_object (intake);
}

static void
test_key_file (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(MwIntake) first = open_intake (fixture, MW_INTAKE_FLAGS_NONE);
  g_autoptr(MwIntake) second = NULL;
  g_autofree char *first_kid = g_strdup (mw_signer_get_thumbprint (mw_intake_get_signer (first)));
  struct stat st;

  g_assert_true (mw_signer_has_private (mw_intake_get_signer (first)));

  g_assert_cmpint (g_stat (fixture->key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpint (g_stat (fixture->db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* Reopening keeps the key. */
  g_clear_object (&first);
  second = open_intake (fixture, MW_INTAKE_FLAGS_NONE);
  g_assert_cmpstr (mw_signer_get_thumbprint (mw_intake_get_signer (second)), ==, first_kid);
}

static void
test_key_file_too_open (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwIntake) intake = open_intake (fixture, MW_INTAKE_FLAGS_NONE);
  g_autoptr(MwIntake) again = NULL;

  g_clear_object (&intake);
  g_assert_cmpint (g_chmod (fixture->key, 0640), ==, 0);

  again = mw_intake_new (fixture->db, MW_INTAKE_FLAGS_NONE, &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_null (again);
  g_assert_nonnull (strstr (error->message, fixture->key));
  g_assert_nonnull (strstr (error->message, "chmod"));
}

static void
test_key_file_public_only (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autofree char *public_jwk = NULL;
  g_autoptr(MwIntake) intake = NULL;

  g_assert_no_error (error);
  public_jwk = mw_signer_to_public_jwk (signer);
  g_assert_true (g_file_set_contents_full (fixture->key, public_jwk, -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);

  intake = mw_intake_new (fixture->db, MW_INTAKE_FLAGS_NONE, &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_null (intake);
}

static void
test_key_file_garbage (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwIntake) intake = NULL;

  g_assert_true (g_file_set_contents_full (fixture->key, "{\"kty\": \"RSA\"}", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);

  intake = mw_intake_new (fixture->db, MW_INTAKE_FLAGS_NONE, &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, fixture->key));
  g_assert_null (intake);
}

static void
test_mailbox_names (void)
{
  char long_name[66];
  const char *good[] = { "csirt", "ncsc-nl", "rdi_2", "Regulator.NL", "a" };
  const char *bad[] = { "", ".hidden", "-x", "a/b", "../etc", "a b", "é", "x?y" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (mw_is_mailbox_name (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (mw_is_mailbox_name (bad[i]));
  g_assert_false (mw_is_mailbox_name (NULL));

  memset (long_name, 'a', 64);
  long_name[64] = '\0';
  g_assert_true (mw_is_mailbox_name (long_name));
  long_name[64] = 'a';
  long_name[65] = '\0';
  g_assert_false (mw_is_mailbox_name (long_name));
}

static void
test_mailbox_mode (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwIntake) live = open_intake (fixture, MW_INTAKE_FLAGS_NONE);
  g_autoptr(MwIntake) training = NULL;

  g_assert_true (mw_intake_add_mailbox (live, "csirt", &error));
  g_assert_no_error (error);
  g_assert_true (mw_intake_add_mailbox (live, "csirt", &error));  /* twice is fine */
  g_assert_no_error (error);
  g_assert_false (mw_intake_add_mailbox (live, "../csirt", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&live);

  /* The database remembers that csirt is live. */
  training = open_intake (fixture, MW_INTAKE_FLAGS_TRAINING);
  g_assert_true (mw_intake_get_training (training));
  g_assert_false (mw_intake_add_mailbox (training, "csirt", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "csirt"));
  g_clear_error (&error);
  g_assert_true (mw_intake_add_mailbox (training, "exercise", &error));
  g_assert_no_error (error);
}

static void
test_enrol (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwIntake) intake = open_intake (fixture, MW_INTAKE_FLAGS_NONE);
  g_autoptr(MwSigner) sender = mw_signer_generate (&error);
  g_autofree char *public_jwk = NULL;
  g_autofree char *private_jwk = NULL;
  g_autofree char *kid = NULL;
  g_autofree char *kid_again = NULL;
  g_autofree char *huge = NULL;
  gboolean already = TRUE;

  g_assert_no_error (error);
  public_jwk = mw_signer_to_public_jwk (sender);
  private_jwk = mw_signer_to_private_jwk (sender);

  /* Not a mailbox of this intake. */
  g_assert_false (mw_intake_enrol (intake, "csirt", public_jwk, strlen (public_jwk), NULL, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (mw_intake_add_mailbox (intake, "csirt", &error));
  g_assert_no_error (error);

  g_assert_true (mw_intake_enrol (intake, "csirt", public_jwk, strlen (public_jwk), &already, &kid, &error));
  g_assert_no_error (error);
  g_assert_false (already);
  g_assert_cmpstr (kid, ==, mw_signer_get_thumbprint (sender));

  g_assert_true (mw_intake_enrol (intake, "csirt", public_jwk, strlen (public_jwk), &already, &kid_again, &error));
  g_assert_no_error (error);
  g_assert_true (already);
  g_assert_cmpstr (kid_again, ==, kid);

  /* Private keys are refused, so are other keys and oversized input. */
  g_assert_false (mw_intake_enrol (intake, "csirt", private_jwk, strlen (private_jwk), NULL, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (mw_intake_enrol (intake, "csirt", "{\"kty\":\"RSA\"}", 13, NULL, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);

  huge = g_malloc0 (128 * 1024 + 1);
  memset (huge, ' ', 128 * 1024);
  g_assert_false (mw_intake_enrol (intake, "csirt", huge, 128 * 1024, NULL, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* An embedded NUL is not a JWK. */
  g_assert_false (mw_intake_enrol (intake, "csirt", "{\0}", 3, NULL, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
}

static void
test_listen (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwIntake) intake = open_intake (fixture, MW_INTAKE_FLAGS_TRAINING);
  const char *bad[] = { "nonsense", "127.0.0.1", "127.0.0.1:70000", "127.0.0.1:-1", "[::1:80", "host.example:80" };
  g_autofree char *url = NULL;

  /* No mailbox yet. */
  g_assert_false (mw_intake_listen (intake, NULL, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (mw_intake_add_mailbox (intake, "csirt", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (mw_intake_listen (intake, bad[i], NULL, &error));
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }

  g_assert_true (mw_intake_listen (intake, NULL, NULL, &error));
  g_assert_no_error (error);

  url = mw_intake_dup_url (intake);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/"));
  g_assert_false (g_str_has_prefix (url, "http://127.0.0.1:0/"));

  mw_intake_disconnect (intake);
}

static GSocketAddress *
address (const char *host)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);

  return g_inet_socket_address_new (inet, 40000);
}

/* The overview is for loopback, and for others only with the operator's token. The
 * addresses are objects only: nothing is sent. */
static void
test_overview_access (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(MwIntake) intake = open_intake (fixture, MW_INTAKE_FLAGS_NONE);
  g_autoptr(GSocketAddress) v4 = address ("127.0.0.1");
  g_autoptr(GSocketAddress) v4_other = address ("127.0.0.53");
  g_autoptr(GSocketAddress) v6 = address ("::1");
  g_autoptr(GSocketAddress) lan = address ("192.0.2.10");
  g_autoptr(GSocketAddress) lan6 = address ("2001:db8::1");
  const char *token = "0123456789abcdef";

  g_assert_true (mw_intake_overview_allowed (intake, v4, NULL, NULL));
  g_assert_true (mw_intake_overview_allowed (intake, v4_other, NULL, NULL));
  g_assert_true (mw_intake_overview_allowed (intake, v6, NULL, NULL));
  g_assert_false (mw_intake_overview_allowed (intake, lan, NULL, NULL));
  g_assert_false (mw_intake_overview_allowed (intake, lan6, NULL, NULL));
  g_assert_false (mw_intake_overview_allowed (intake, NULL, NULL, NULL));
  /* Without a token configured, no token opens it. */
  g_assert_false (mw_intake_overview_allowed (intake, lan, "", "Bearer "));
  g_assert_false (mw_intake_overview_allowed (intake, lan, token, NULL));

  mw_intake_set_overview_token (intake, token);
  g_assert_true (mw_intake_overview_allowed (intake, v4, NULL, NULL));
  g_assert_false (mw_intake_overview_allowed (intake, lan, NULL, NULL));
  g_assert_true (mw_intake_overview_allowed (intake, lan, token, NULL));
  g_assert_true (mw_intake_overview_allowed (intake, lan6, NULL, "Bearer 0123456789abcdef"));
  g_assert_true (mw_intake_overview_allowed (intake, lan, NULL, "bearer 0123456789abcdef"));
  g_assert_false (mw_intake_overview_allowed (intake, lan, "0123456789abcde", NULL));
  g_assert_false (mw_intake_overview_allowed (intake, lan, "0123456789abcdef0", NULL));
  g_assert_false (mw_intake_overview_allowed (intake, lan, "", NULL));
  g_assert_false (mw_intake_overview_allowed (intake, lan, NULL, "Basic 0123456789abcdef"));
  g_assert_false (mw_intake_overview_allowed (intake, lan, NULL, "Bearer 0123456789abcdeF"));
  g_assert_false (mw_intake_overview_allowed (intake, lan, NULL, "0123456789abcdef"));

  mw_intake_set_overview_token (intake, "");
  g_assert_false (mw_intake_overview_allowed (intake, lan, token, NULL));
  g_assert_false (mw_intake_overview_allowed (intake, lan, "", NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/intake/new-destroy", test_new_destroy);
  ADD ("/intake/key-file", test_key_file);
  ADD ("/intake/key-file-too-open", test_key_file_too_open);
  ADD ("/intake/key-file-public-only", test_key_file_public_only);
  ADD ("/intake/key-file-garbage", test_key_file_garbage);
  ADD ("/intake/mailbox-mode", test_mailbox_mode);
  ADD ("/intake/enrol", test_enrol);
  ADD ("/intake/listen", test_listen);
  ADD ("/intake/overview-access", test_overview_access);
#undef ADD
  g_test_add_func ("/intake/mailbox-names", test_mailbox_names);

  return g_test_run ();
}
