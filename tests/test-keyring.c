/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keyring"

#include <glib/gstdio.h>
#include <string.h>

#include "mw-error.h"
#include "mw-keyring.h"
#include "mw-signer.h"

/* These tests use libsecret's file backend (SECRET_BACKEND=file), set up in main() before
 * libsecret is first used: a real encrypted keyring file in a temporary directory, no D-Bus.
 * The "no service" tests run in subprocesses with the D-Bus backend and no usable bus. */

static char *tmpdir;
static char *keyring_path;

static char *
private_d (MwSigner *signer)
{
  char *jwk = mw_signer_to_private_jwk (signer);
  const char *start = strstr (jwk, "\"d\":\"");
  char *d;

  g_assert_nonnull (start);
  start += 5;
  d = g_strndup (start, strchr (start, '"') - start);
  mw_secure_free (jwk);
  g_assert_cmpuint (strlen (d), ==, 43);
  return d;
}

static guint
count_items (const char *profile)
{
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_search_sync (mw_keyring_get_schema (), SECRET_SEARCH_ALL, NULL, &error,
                                              "purpose", "signing", "profile", profile, NULL);
  guint n = g_list_length (items);

  g_assert_no_error (error);
  g_list_free_full (items, g_object_unref);
  return n;
}

static void
test_empty (void)
{
  g_autoptr(MwKeyring) keyring = mw_keyring_new ("empty");
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (mw_keyring_get_profile (keyring), ==, "empty");
  signer = mw_keyring_load_sync (keyring, NULL, &error);
  g_assert_null (signer);
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  /* The fact only: the wizard shows it too, so no command-line advice (the CLI adds that). */
  g_assert_nonnull (strstr (error->message, "no signing key"));
  g_assert_null (strstr (error->message, "meldwijzer-cli"));
  g_clear_error (&error);

  g_assert_null (mw_keyring_export_public_sync (keyring, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (mw_keyring_delete_sync (keyring, NULL, &error));
  g_assert_no_error (error);
}

static void
test_generate_load (void)
{
  g_autoptr(MwKeyring) keyring = mw_keyring_new ("generate");
  g_autoptr(MwKeyring) again = mw_keyring_new ("generate");
  g_autoptr(MwSigner) generated = NULL;
  g_autoptr(MwSigner) loaded = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;
  g_autofree char *public_jwk = NULL;
  g_autofree char *expected_public = NULL;

  generated = mw_keyring_generate_sync (keyring, MW_KEYRING_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_signer_has_private (generated));
  g_assert_cmpuint (count_items ("generate"), ==, 1);

  /* A second keyring object (as a second process would) loads the same key. */
  loaded = mw_keyring_load_sync (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_signer_has_private (loaded));
  g_assert_cmpstr (mw_signer_get_thumbprint (loaded), ==, mw_signer_get_thumbprint (generated));

  /* What the loaded key signs, the generated one verifies. */
  jws = mw_signer_sign (loaded, MW_JWS_CTY_REPORT, (const guint8 *)"{}", 2, &error);
  g_assert_no_error (error);
  payload = mw_signer_verify (generated, jws, &error);
  g_assert_no_error (error);

  public_jwk = mw_keyring_export_public_sync (again, NULL, &error);
  g_assert_no_error (error);
  expected_public = mw_signer_to_public_jwk (generated);
  g_assert_cmpstr (public_jwk, ==, expected_public);
  g_assert_null (strstr (public_jwk, "\"d\""));

  g_assert_true (mw_keyring_delete_sync (keyring, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items ("generate"), ==, 0);
  g_assert_null (mw_keyring_load_sync (keyring, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
}

static void
test_refuse_overwrite (void)
{
  g_autoptr(MwKeyring) keyring = mw_keyring_new ("overwrite");
  g_autoptr(MwSigner) first = NULL;
  g_autoptr(MwSigner) second = NULL;
  g_autoptr(MwSigner) loaded = NULL;
  g_autoptr(MwSigner) forced = NULL;
  g_autoptr(MwSigner) imported = NULL;
  g_autoptr(GError) error = NULL;

  first = mw_keyring_generate_sync (keyring, MW_KEYRING_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);

  /* Without force: refused, naming the existing key and what replacing it means. */
  second = mw_keyring_generate_sync (keyring, MW_KEYRING_FLAGS_NONE, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
  g_assert_null (strstr (error->message, "meldwijzer-cli"));
  g_assert_nonnull (strstr (error->message, mw_signer_get_thumbprint (first)));
  g_clear_error (&error);

  imported = mw_signer_generate (&error);
  g_assert_no_error (error);
  g_assert_false (mw_keyring_store_sync (keyring, imported, MW_KEYRING_FLAGS_NONE, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
  g_assert_null (strstr (error->message, "meldwijzer-cli"));
  g_clear_error (&error);

  loaded = mw_keyring_load_sync (keyring, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (loaded), ==, mw_signer_get_thumbprint (first));
  g_clear_object (&loaded);

  /* With force: replaced, and the old key is gone (one item, not two). */
  forced = mw_keyring_generate_sync (keyring, MW_KEYRING_FLAGS_FORCE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (forced), !=, mw_signer_get_thumbprint (first));
  loaded = mw_keyring_load_sync (keyring, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (loaded), ==, mw_signer_get_thumbprint (forced));
  g_assert_cmpuint (count_items ("overwrite"), ==, 1);
  g_clear_object (&loaded);

  /* Storing an existing key with force, and storing the same key again. */
  g_assert_true (mw_keyring_store_sync (keyring, imported, MW_KEYRING_FLAGS_FORCE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mw_keyring_store_sync (keyring, imported, MW_KEYRING_FLAGS_FORCE, NULL, &error));
  g_assert_no_error (error);
  loaded = mw_keyring_load_sync (keyring, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (loaded), ==, mw_signer_get_thumbprint (imported));
  g_assert_cmpuint (count_items ("overwrite"), ==, 1);
}

static void
test_public_only_refused (void)
{
  g_autoptr(MwKeyring) keyring = mw_keyring_new ("public-only");
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(MwSigner) pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *public_jwk = NULL;

  signer = mw_signer_generate (&error);
  g_assert_no_error (error);
  public_jwk = mw_signer_to_public_jwk (signer);
  pub = mw_signer_new_from_jwk (public_jwk, &error);
  g_assert_no_error (error);

  g_assert_false (mw_keyring_store_sync (keyring, pub, MW_KEYRING_FLAGS_FORCE, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_cmpuint (count_items ("public-only"), ==, 0);
}

static void
test_damaged (void)
{
  g_autoptr(MwKeyring) keyring = mw_keyring_new ("damaged");
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;

  /* Something else put a public key (no "d") under our schema. */
  g_assert_true (secret_password_store_sync (mw_keyring_get_schema (), SECRET_COLLECTION_DEFAULT,
                                             "damaged", "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
                                             NULL, &error,
                                             "purpose", "signing", "profile", "damaged", NULL));
  g_assert_no_error (error);
  signer = mw_keyring_load_sync (keyring, NULL, &error);
  g_assert_null (signer);
  g_assert_error (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "no private part"));
  g_assert_null (strstr (error->message, "meldwijzer-cli"));
  g_clear_error (&error);

  g_assert_true (secret_password_store_sync (mw_keyring_get_schema (), SECRET_COLLECTION_DEFAULT,
                                             "damaged", "not a key", NULL, &error,
                                             "purpose", "signing", "profile", "damaged", NULL));
  g_assert_no_error (error);
  signer = mw_keyring_load_sync (keyring, NULL, &error);
  g_assert_null (signer);
  g_assert_error (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_null (strstr (error->message, "meldwijzer-cli"));
  g_clear_error (&error);

  g_assert_true (mw_keyring_delete_sync (keyring, NULL, &error));
  g_assert_no_error (error);
}

static void
test_profiles (void)
{
  g_autoptr(MwKeyring) a = mw_keyring_new ("org-a");
  g_autoptr(MwKeyring) b = mw_keyring_new ("org-b");
  g_autoptr(MwKeyring) from_env = NULL;
  g_autoptr(MwSigner) ka = NULL;
  g_autoptr(MwSigner) kb = NULL;
  g_autoptr(MwSigner) loaded = NULL;
  g_autoptr(GError) error = NULL;

  ka = mw_keyring_generate_sync (a, MW_KEYRING_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  kb = mw_keyring_generate_sync (b, MW_KEYRING_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (ka), !=, mw_signer_get_thumbprint (kb));

  /* mw_keyring_new (NULL) follows $MELDWIJZER_KEYRING_PROFILE (set in main()). */
  from_env = mw_keyring_new (NULL);
  g_assert_cmpstr (mw_keyring_get_profile (from_env), ==, "org-b");
  loaded = mw_keyring_load_sync (from_env, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (loaded), ==, mw_signer_get_thumbprint (kb));
  g_clear_object (&loaded);

  /* Deleting one leaves the other. */
  g_assert_true (mw_keyring_delete_sync (a, NULL, &error));
  g_assert_no_error (error);
  loaded = mw_keyring_load_sync (b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (loaded), ==, mw_signer_get_thumbprint (kb));
  g_assert_null (mw_keyring_load_sync (a, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);

  {
    g_autoptr(MwKeyring) def = mw_keyring_new ("");

    g_assert_cmpstr (mw_keyring_get_profile (def), ==, MW_KEYRING_DEFAULT_PROFILE);
  }
}

/* Async ------------------------------------------------------------------------------ */

typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} AsyncData;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncData *data = user_data;

  g_assert_true (MW_IS_KEYRING (source));
  data->result = g_object_ref (result);
  g_main_loop_quit (data->loop);
}

static GAsyncResult *
wait_for (AsyncData *data)
{
  g_main_loop_run (data->loop);
  g_assert_nonnull (data->result);
  return data->result;
}

static void
test_async (void)
{
  g_autoptr(MwKeyring) keyring = mw_keyring_new ("async");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(MwSigner) ensured = NULL;
  g_autoptr(MwSigner) ensured2 = NULL;
  g_autoptr(MwSigner) generated = NULL;
  g_autoptr(MwSigner) loaded = NULL;
  g_autoptr(MwSigner) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncData data = { loop, NULL };

  /* First run: ensure generates. */
  mw_keyring_ensure_async (keyring, NULL, on_done, &data);
  ensured = mw_keyring_ensure_finish (keyring, wait_for (&data), &error);
  g_assert_no_error (error);
  g_assert_nonnull (ensured);
  g_clear_object (&data.result);

  /* Second run: ensure loads the same key. */
  mw_keyring_ensure_async (keyring, NULL, on_done, &data);
  ensured2 = mw_keyring_ensure_finish (keyring, wait_for (&data), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (ensured2), ==, mw_signer_get_thumbprint (ensured));
  g_clear_object (&data.result);

  /* Generate without force is refused, with force replaces. */
  mw_keyring_generate_async (keyring, MW_KEYRING_FLAGS_NONE, NULL, on_done, &data);
  g_assert_null (mw_keyring_generate_finish (keyring, wait_for (&data), &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_object (&data.result);

  mw_keyring_generate_async (keyring, MW_KEYRING_FLAGS_FORCE, NULL, on_done, &data);
  generated = mw_keyring_generate_finish (keyring, wait_for (&data), &error);
  g_assert_no_error (error);
  g_clear_object (&data.result);

  mw_keyring_load_async (keyring, NULL, on_done, &data);
  loaded = mw_keyring_load_finish (keyring, wait_for (&data), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (loaded), ==, mw_signer_get_thumbprint (generated));
  g_assert_cmpstr (mw_signer_get_thumbprint (loaded), !=, mw_signer_get_thumbprint (ensured));
  g_clear_object (&data.result);

  stored = mw_signer_generate (&error);
  g_assert_no_error (error);
  mw_keyring_store_async (keyring, stored, MW_KEYRING_FLAGS_NONE, NULL, on_done, &data);
  g_assert_false (mw_keyring_store_finish (keyring, wait_for (&data), &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_object (&data.result);

  mw_keyring_store_async (keyring, stored, MW_KEYRING_FLAGS_FORCE, NULL, on_done, &data);
  g_assert_true (mw_keyring_store_finish (keyring, wait_for (&data), &error));
  g_assert_no_error (error);
  g_clear_object (&data.result);

  /* A cancelled call reports cancellation, not a keyring problem. */
  g_cancellable_cancel (cancellable);
  mw_keyring_load_async (keyring, cancellable, on_done, &data);
  g_assert_null (mw_keyring_load_finish (keyring, wait_for (&data), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&data.result);

  g_assert_true (mw_keyring_delete_sync (keyring, NULL, &error));
  g_assert_no_error (error);
}

/* The private key is not in the keyring file in plain text -------------------------- */

static void
test_not_plain_on_disk (void)
{
  g_autoptr(MwKeyring) keyring = mw_keyring_new ("disk");
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *d = NULL;
  const char *name;
  guint files = 0;

  signer = mw_keyring_generate_sync (keyring, MW_KEYRING_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  d = private_d (signer);

  dir = g_dir_open (tmpdir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (length, >, 0);
      g_assert_null (g_strstr_len (contents, length, d));
      g_assert_null (g_strstr_len (contents, length, "\"d\""));
      files++;
    }
  /* The keyring file exists (so the check above looked at something). */
  g_assert_true (g_file_test (keyring_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (files, >=, 1);
}

/* Errors without a Secret Service --------------------------------------------------- */

static void
assert_no_service (void)
{
  g_autoptr(MwKeyring) keyring = mw_keyring_new ("no-service");
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;

  signer = mw_keyring_load_sync (keyring, NULL, &error);
  g_assert_null (signer);
  g_assert_error (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING);
  g_assert_cmpstr (error->message, ==,
                   "No keyring service is running: start GNOME Keyring or log in to a desktop session");
  g_clear_error (&error);

  signer = mw_keyring_generate_sync (keyring, MW_KEYRING_FLAGS_NONE, NULL, &error);
  g_assert_null (signer);
  g_assert_error (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING);
}

static void
test_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *address = g_strdup_printf ("unix:path=%s/no-such-bus", tmpdir);

      /* The D-Bus backend, and a session bus address where nothing listens. */
      g_unsetenv ("SECRET_BACKEND");
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      assert_no_service ();
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      /* A real, private session bus on which nobody provides org.freedesktop.secrets
       * (GTestDBus only activates services from directories the test adds). */
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_unsetenv ("SECRET_BACKEND");
      g_test_dbus_up (bus);
      assert_no_service ();
      /* Only stop the daemon: g_test_dbus_down() would wait for libsecret's cached
       * connection to go away, which it never does. The subprocess exits next. */
      g_test_dbus_stop (bus);
      return;
    }

  if (!g_file_test ("/usr/bin/dbus-daemon", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_translate_error (void)
{
  static const struct {
    GQuark (*domain) (void);
    int code;
    int mw_code;
    const char *fragment;
  } cases[] = {
    { secret_error_get_quark, SECRET_ERROR_IS_LOCKED, MW_CRYPTO_ERROR_KEYRING, "unlock your keyring" },
    { g_dbus_error_quark, G_DBUS_ERROR_SERVICE_UNKNOWN, MW_CRYPTO_ERROR_KEYRING, "No keyring service is running" },
    { g_dbus_error_quark, G_DBUS_ERROR_NAME_HAS_NO_OWNER, MW_CRYPTO_ERROR_KEYRING, "No keyring service is running" },
    { g_dbus_error_quark, G_DBUS_ERROR_NO_SERVER, MW_CRYPTO_ERROR_KEYRING, "No keyring service is running" },
    { g_io_error_quark, G_IO_ERROR_NOT_FOUND, MW_CRYPTO_ERROR_KEYRING, "No keyring service is running" },
    { secret_error_get_quark, SECRET_ERROR_PROTOCOL, MW_CRYPTO_ERROR_KEYRING, "GNOME Keyring" },
    { g_io_error_quark, G_IO_ERROR_CANCELLED, G_IO_ERROR_CANCELLED, "raw" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) raw = g_error_new (cases[i].domain (), cases[i].code, "raw D-Bus text");
      g_autoptr(GError) translated = mw_keyring_translate_error (raw);

      g_assert_cmpint (translated->code, ==, cases[i].mw_code);
      g_assert_true (translated->domain == (cases[i].mw_code == MW_CRYPTO_ERROR_KEYRING ? MW_CRYPTO_ERROR : G_IO_ERROR));
      if (strstr (translated->message, cases[i].fragment) == NULL)
        g_error ("“%s” does not say “%s”", translated->message, cases[i].fragment);
      if (translated->domain == MW_CRYPTO_ERROR && cases[i].domain != secret_error_get_quark)
        g_assert_null (strstr (translated->message, "raw D-Bus text"));
    }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  tmpdir = g_dir_make_tmp ("mw-test-keyring-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  keyring_path = g_build_filename (tmpdir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  /* Before any thread exists: tests name their profiles, except /keyring/profiles. */
  g_setenv (MW_KEYRING_PROFILE_ENV, "org-b", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/empty", test_empty);
  g_test_add_func ("/keyring/generate-load", test_generate_load);
  g_test_add_func ("/keyring/refuse-overwrite", test_refuse_overwrite);
  g_test_add_func ("/keyring/public-only-refused", test_public_only_refused);
  g_test_add_func ("/keyring/damaged", test_damaged);
  g_test_add_func ("/keyring/profiles", test_profiles);
  g_test_add_func ("/keyring/async", test_async);
  g_test_add_func ("/keyring/not-plain-on-disk", test_not_plain_on_disk);
  g_test_add_func ("/keyring/no-bus", test_no_bus);
  g_test_add_func ("/keyring/no-service", test_no_service);
  g_test_add_func ("/keyring/translate-error", test_translate_error);

  ret = g_test_run ();

  /* Each process (subprocesses too) made and removes its own directory. */
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmpdir);
  }
  g_free (keyring_path);
  g_free (tmpdir);
  return ret;
}
