/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "mw-error.h"
#include "mw-store.h"
#include "mw-test-util.h"

/* Each test gets its own temporary directory with real SQLite files in it. */
typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mw-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* A nested folder that does not exist yet: the store creates it. */
  fixture->path = g_build_filename (fixture->dir, "data", "meldwijzer", "meldwijzer.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static MwStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  MwStore *store = mw_store_new_for_path (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Raw SQLite access, independent of MwStore, to look behind its back. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
base64url (const char *data,
           gsize       length)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) data, length);
  GString *out = g_string_new (NULL);

  for (const char *p = b64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static char *
make_report_json (const char *report_id,
                  const char *incident_id,
                  const char *stage,
                  const char *supersedes,
                  const char *summary)
{
  g_autofree char *supersedes_json = supersedes != NULL ? g_strdup_printf ("\"%s\"", supersedes)
                                                        : g_strdup ("null");

  return g_strdup_printf ("{\"format\":\"meldwijzer.report/1\",\"report_id\":\"%s\","
                          "\"incident_id\":\"%s\",\"stage\":\"%s\",\"kind\":\"incident\","
                          "\"supersedes\":%s,\"training\":true,\"regime\":\"nl-cbw\","
                          "\"nature\":{\"summary\":\"%s\",\"cause\":\"unknown\"},"
                          "\"facts\":{\"users_affected\":120000,\"unavailable_minutes\":45}}",
                          report_id, incident_id, stage, supersedes_json, summary);
}

/* JWS-shaped text (its "signature" the 64 bytes of a hex SHA-256): the store does not verify
 * signatures, it keeps the exact bytes. */
static char *
make_jws (const char *payload)
{
  static const char header[] = "{\"alg\":\"EdDSA\",\"cty\":\"meldwijzer.report/1\",\"kid\":\"test\"}";
  g_autofree char *h = base64url (header, strlen (header));
  g_autofree char *p = base64url (payload, strlen (payload));
  g_autofree char *input = g_strdup_printf ("%s.%s", h, p);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);
  g_autofree char *s = base64url (digest, strlen (digest));

  return g_strdup_printf ("%s.%s", input, s);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
assert_files_absent_or_same (const char *path,
                             GBytes     *before)
{
  g_autoptr(GBytes) after = read_bytes (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  GStatBuf st;

  g_assert_true (g_bytes_equal (before, after));
  /* No journal was started, and no write-ahead log holds changes for the file. */
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_true (g_stat (wal, &st) != 0 || st.st_size == 0);
}

/* ---- Opening ---- */

static void
test_open_new (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MwStore) store = open_store (fixture->path);
  g_autofree char *mode = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  sqlite3 *db;
  GStatBuf st;

  g_assert_cmpstr (mw_store_get_path (store), ==, fixture->path);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  db = raw_open (fixture->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, MW_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), ==, 0x4D574A5A);
  mode = raw_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                                "('profile', 'endpoints', 'incidents', 'reports', 'deliveries', 'receipts')"),
                   ==, 6);
  sqlite3_close (db);
}

static void
test_open_reopen (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = make_report_json ("r-1", "i-1", "early-warning", NULL, "Pumps offline");
  g_autofree char *loaded = NULL;

  {
    g_autoptr(MwStore) store = open_store (fixture->path);

    mw_store_save_draft (store, json, &error);
    g_assert_no_error (error);
  }
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(MwStore) store = open_store (fixture->path);

      g_clear_pointer (&loaded, g_free);
      loaded = mw_store_load_draft (store, "r-1", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (loaded, ==, json);
    }

  /* Two stores on one file (the app and the CLI at once) both work. */
  {
    g_autoptr(MwStore) a = open_store (fixture->path);
    g_autoptr(MwStore) b = open_store (fixture->path);
    g_autofree char *json2 = make_report_json ("r-2", "i-1", "early-warning", NULL, "More pumps");
    g_autofree char *from_a = NULL;

    mw_store_save_draft (b, json2, &error);
    g_assert_no_error (error);
    from_a = mw_store_load_draft (a, "r-2", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (from_a, ==, json2);
  }
}

/* The database and its folder are private to their owner (0600 in 0700), whatever the umask,
 * with SQLite's -wal and -shm files too; a database from before this rule is tightened. */
static void
test_open_private (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);
  g_autofree char *json = make_report_json ("r-1", "i-1", "early-warning", NULL, "Pumps offline");
  mode_t old_umask = umask (022);

  store = open_store (fixture->path);
  g_assert_true (mw_store_save_draft (store, json, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mw_test_file_mode (dir), ==, 0700);
  g_assert_cmpuint (mw_test_file_mode (fixture->path), ==, 0600);
  g_assert_cmpuint (mw_test_file_mode (wal), ==, 0600);
  g_assert_cmpuint (mw_test_file_mode (shm), ==, 0600);
  g_clear_object (&store);

  /* Made by an older version with the umask's mode. */
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_cmpint (g_chmod (wal, 0644), ==, 0);
  store = open_store (fixture->path);
  g_assert_cmpuint (mw_test_file_mode (fixture->path), ==, 0600);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_cmpuint (mw_test_file_mode (wal), ==, 0600);
  g_clear_object (&store);

  umask (old_umask);
}

/* Meldwijzer's own folder in the user's data folder is tightened to 0700 when it is older and
 * open to others (in a subprocess, so that the data folder can be a temporary one). */
static void
test_open_private_default_folder (Fixture       *fixture,
                                  gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwStore) store = NULL;
      g_autofree char *folder = g_build_filename (fixture->dir, "meldwijzer", NULL);
      g_autofree char *db = g_build_filename (folder, "meldwijzer.db", NULL);

      g_setenv ("XDG_DATA_HOME", fixture->dir, TRUE);
      g_unsetenv ("MELDWIJZER_DB");
      g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
      g_assert_cmpint (g_chmod (folder, 0755), ==, 0);

      store = mw_store_new (&error);
      g_assert_no_error (error);
      g_assert_cmpstr (mw_store_get_path (store), ==, db);
      g_assert_cmpuint (mw_test_file_mode (folder), ==, 0700);
      g_assert_cmpuint (mw_test_file_mode (db), ==, 0600);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_open_default_path (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autofree char *old = g_strdup (g_getenv ("MELDWIJZER_DB"));
  g_autofree char *path = NULL;
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "meldwijzer", "meldwijzer.db", NULL);

  g_unsetenv ("MELDWIJZER_DB");
  path = mw_store_get_default_path ();
  g_assert_cmpstr (path, ==, expected);

  g_setenv ("MELDWIJZER_DB", fixture->path, TRUE);
  g_clear_pointer (&path, g_free);
  path = mw_store_get_default_path ();
  g_assert_cmpstr (path, ==, fixture->path);
  store = mw_store_new (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_store_get_path (store), ==, fixture->path);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  if (old != NULL)
    g_setenv ("MELDWIJZER_DB", old, TRUE);
  else
    g_unsetenv ("MELDWIJZER_DB");
}

static void
test_open_newer_version (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autofree char *json = make_report_json ("r-1", "i-1", "final", NULL, "x");
  sqlite3 *db;

  store = open_store (fixture->path);
  mw_store_save_draft (store, json, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  db = raw_open (fixture->path);
  raw_exec (db, "PRAGMA user_version = 7");
  sqlite3_close (db);
  before = read_bytes (fixture->path);

  store = mw_store_new_for_path (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_nonnull (strstr (error->message, fixture->path));
  assert_files_absent_or_same (fixture->path, before);

  /* Still version 7 with the draft in it: nothing was migrated away. */
  db = raw_open (fixture->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 7);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM reports"), ==, 1);
  sqlite3_close (db);
}

static void
assert_refused_unchanged (const char *path,
                          const char *expected_words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = read_bytes (path);
  g_autoptr(MwStore) store = mw_store_new_for_path (path, &error);

  g_assert_null (store);
  g_assert_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, expected_words));
  g_assert_nonnull (strstr (error->message, "left unchanged"));
  assert_files_absent_or_same (path, before);

  /* And again: refusing twice changes nothing either. */
  g_clear_error (&error);
  store = mw_store_new_for_path (path, &error);
  g_assert_null (store);
  g_assert_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE);
  assert_files_absent_or_same (path, before);
}

static void
fill_store (const char *path,
            guint       n_reports)
{
  g_autoptr(MwStore) store = open_store (path);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_reports; i++)
    {
      g_autofree char *id = g_strdup_printf ("report-%u", i);
      g_autofree char *summary = g_strnfill (2000, 'a' + i % 26);
      g_autofree char *json = make_report_json (id, "i-1", "notification", NULL, summary);
      g_autofree char *jws = make_jws (json);
      const char *recipients[] = { "ncsc", "ilt", NULL };

      mw_store_submit (store, jws, recipients, &error);
      g_assert_no_error (error);
    }
}

static void
checkpoint (const char *path)
{
  sqlite3 *db = raw_open (path);

  raw_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close (db);
}

static void
test_open_corrupt (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.db", NULL);
  g_autofree char *foreign = g_build_filename (fixture->dir, "foreign.db", NULL);
  g_autofree char *damaged = g_build_filename (fixture->dir, "damaged.db", NULL);
  g_autofree char *truncated = g_build_filename (fixture->dir, "truncated.db", NULL);
  g_autofree char *bytes = NULL;
  const guint8 *data_bytes;
  gsize length;
  sqlite3 *db;

  /* Not SQLite at all. */
  g_file_set_contents (garbage, "This is a letter, not a database.\n", -1, &error);
  g_assert_no_error (error);
  assert_refused_unchanged (garbage, "not a SQLite database");

  /* A SQLite database of some other program. */
  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  raw_exec (db, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('x');");
  sqlite3_close (db);
  assert_refused_unchanged (foreign, "not a Meldwijzer database");

  /* A real store with damaged pages in the middle. */
  fill_store (fixture->path, 40);
  checkpoint (fixture->path);
  good = read_bytes (fixture->path);
  data_bytes = g_bytes_get_data (good, &length);
  g_assert_cmpuint (length, >, 16 * 4096);
  bytes = g_memdup2 (data_bytes, length);
  for (gsize i = 4096 + 100; i < length - 4096; i += 4096)
    memset (bytes + i, 0xa5, 64);
  g_file_set_contents (damaged, bytes, length, &error);
  g_assert_no_error (error);
  assert_refused_unchanged (damaged, "damaged");

  /* The same store cut off halfway (a disk that filled up during a copy). */
  g_file_set_contents (truncated, (const char *) data_bytes, (length / 2) & ~(gsize) 4095, &error);
  g_assert_no_error (error);
  assert_refused_unchanged (truncated, "damaged");

  /* The intact original still opens. */
  {
    g_autoptr(MwStore) store = open_store (fixture->path);
    g_autoptr(MwStoreReport) report = mw_store_get_report (store, "report-39", &error);

    g_assert_no_error (error);
    g_assert_true (report->signed_);
  }
}

static void
test_open_empty_file (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(MwStore) store = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (fixture->path, "", 0, &error);
  g_assert_no_error (error);
  store = open_store (fixture->path);
  g_assert_null (mw_store_get_profile (store, &error));
  g_assert_no_error (error);
}

/* ---- Drafts ---- */

static void
test_drafts (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MwStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autofree char *a1 = make_report_json ("r-a", "i-1", "early-warning", NULL, "Pumps off");
  g_autofree char *a2 = make_report_json ("r-a", "i-1", "early-warning", NULL, "Pumps offline since 03:00");
  g_autofree char *b = make_report_json ("r-b", "i-2", "single", NULL, "Phishing");
  g_autofree char *loaded = NULL;
  MwStoreReport *first;

  mw_store_save_draft (store, a1, &error);
  g_assert_no_error (error);
  mw_store_save_draft (store, b, &error);
  g_assert_no_error (error);
  g_usleep (2000);
  mw_store_save_draft (store, a2, &error);
  g_assert_no_error (error);

  loaded = mw_store_load_draft (store, "r-a", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded, ==, a2);

  drafts = mw_store_list_drafts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 2);
  first = g_ptr_array_index (drafts, 0);   /* newest first */
  g_assert_cmpstr (first->report_id, ==, "r-a");
  g_assert_cmpstr (first->incident_id, ==, "i-1");
  g_assert_cmpstr (first->stage, ==, "early-warning");
  g_assert_cmpstr (first->kind, ==, "incident");
  g_assert_null (first->supersedes);
  g_assert_true (first->training);
  g_assert_false (first->signed_);
  g_assert_cmpstr (first->summary, ==, "Pumps offline since 03:00");
  g_assert_cmpstr (first->json, ==, a2);
  g_assert_null (first->jws);
  g_assert_cmpint (first->updated_at, >, first->created_at);
  g_assert_cmpstr (((MwStoreReport *) g_ptr_array_index (drafts, 1))->report_id, ==, "r-b");

  g_assert_true (mw_store_delete_draft (store, "r-b", &error));
  g_assert_no_error (error);
  g_assert_null (mw_store_load_draft (store, "r-b", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (mw_store_delete_draft (store, "r-b", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Drafts that cannot be stored, each with its own reason. */
  g_assert_false (mw_store_save_draft (store, "{\"incident_id\":\"i-1\"}", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "report_id"));
  g_clear_error (&error);
  g_assert_false (mw_store_save_draft (store, "{\"report_id\":\"r-c\"}", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "incident_id"));
  g_clear_error (&error);
  g_assert_false (mw_store_save_draft (store, "{\"report_id\": ", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mw_store_save_draft (store, "[1, 2]", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autofree char *open = g_strnfill (1000, '[');
    g_autofree char *deep = g_strdup_printf ("{\"report_id\":\"r\",\"incident_id\":\"i\",\"x\":%s", open);

    g_assert_false (mw_store_save_draft (store, deep, &error));
    g_assert_error (error, MW_ERROR, MW_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }
  {
    g_autofree char *filler = g_strnfill (MW_STORE_MAX_JSON_BYTES, 'x');
    g_autofree char *huge = g_strdup_printf ("{\"report_id\":\"r\",\"incident_id\":\"i\",\"x\":\"%s\"}", filler);

    g_assert_false (mw_store_save_draft (store, huge, &error));
    g_assert_error (error, MW_ERROR, MW_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }

  /* None of the refused drafts left anything behind. */
  g_clear_pointer (&drafts, g_ptr_array_unref);
  drafts = mw_store_list_drafts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
}

/* ---- Submitting ---- */

static guint
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = raw_open (path);
  gint64 n = raw_int (db, sql);

  sqlite3_close (db);
  return (guint) n;
}

static void
test_submit (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MwStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStoreReport) report = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autofree char *json = make_report_json ("r-1", "i-1", "early-warning", NULL, "Pumps offline");
  g_autofree char *jws = make_jws (json);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, jws, -1);
  g_autofree char *other_json = make_report_json ("r-1", "i-1", "early-warning", NULL, "Something else");
  g_autofree char *other_jws = make_jws (other_json);
  const char *recipients[] = { "ncsc", "ilt", NULL };
  gint64 before = g_get_real_time ();

  mw_store_save_draft (store, json, &error);
  g_assert_no_error (error);

  g_assert_true (mw_store_submit (store, jws, recipients, &error));
  g_assert_no_error (error);

  report = mw_store_get_report (store, "r-1", &error);
  g_assert_no_error (error);
  g_assert_true (report->signed_);
  g_assert_cmpstr (report->jws, ==, jws);
  g_assert_cmpstr (report->sha256, ==, sha);
  g_assert_cmpstr (report->json, ==, json);
  g_assert_cmpstr (report->summary, ==, "Pumps offline");
  g_assert_cmpint (report->signed_at, >=, before);

  /* The draft became the signed report: it is no longer a draft. */
  drafts = mw_store_list_drafts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 0);
  g_assert_null (mw_store_load_draft (store, "r-1", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (mw_store_delete_draft (store, "r-1", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* A signed report cannot be edited as a draft any more. */
  g_assert_false (mw_store_save_draft (store, other_json, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
  g_clear_error (&error);

  deliveries = mw_store_list_deliveries (store, "r-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (deliveries->len, ==, 2);
  for (guint i = 0; i < deliveries->len; i++)
    {
      MwStoreDelivery *d = g_ptr_array_index (deliveries, i);

      g_assert_cmpstr (d->report_id, ==, "r-1");
      g_assert_cmpint (d->state, ==, MW_DELIVERY_STATE_PENDING);
      g_assert_cmpuint (d->attempts, ==, 0);
      g_assert_cmpstr (d->jws, ==, jws);
      g_assert_cmpstr (d->sha256, ==, sha);
      g_assert_true (d->training);
      g_assert_cmpint (d->next_attempt_at, >=, before);
      g_assert_null (d->url);
      g_assert_null (d->receipt_id);
    }

  /* Submitting the identical bytes again (a retry after a crash) is a no-op. */
  g_assert_true (mw_store_submit (store, jws, recipients, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM deliveries"), ==, 2);
  g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM reports"), ==, 1);

  /* So is the same JWS with the line end "sign > FILE" writes: it is the same JWS. */
  {
    g_autofree char *with_newline = g_strconcat (jws, "\n", NULL);

    g_assert_true (mw_store_submit (store, with_newline, recipients, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM reports"), ==, 1);
  }

  /* Other bytes under the same report_id never replace a signed report. */
  g_assert_false (mw_store_submit (store, other_jws, recipients, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_pointer (&report, mw_store_report_free);
  report = mw_store_get_report (store, "r-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->jws, ==, jws);

  /* Refused before anything is written. */
  {
    g_autofree char *j2 = make_report_json ("r-2", "i-1", "notification", "r-1", "x");
    g_autofree char *s2 = make_jws (j2);
    const char *twice[] = { "ncsc", "ncsc", NULL };
    const char *none[] = { NULL };

    g_assert_false (mw_store_submit (store, s2, twice, &error));
    g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (mw_store_submit (store, s2, none, &error));
    g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (mw_store_submit (store, "not a jws", recipients, &error));
    g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (mw_store_submit (store, "a.b", recipients, &error));
    g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (mw_store_submit (store, "eyJ9.e30.c2ln", recipients, &error));
    g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
    g_clear_error (&error);
    {
      g_autofree char *empty = make_jws ("{}");
      g_autofree char *padded = g_strdup (s2);
      g_autofree char *open = g_strnfill (100000, '[');
      g_autofree char *commented = g_strdup_printf ("{\"report_id\":\"r-3\",\"incident_id\":\"i-1\","
                                                    "\"x\":/* \" */ %s", open);
      g_autofree char *deep = make_jws (commented);
      g_auto(GStrv) parts = g_strsplit (s2, ".", -1);

      g_assert_false (mw_store_submit (store, empty, recipients, &error));
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "report_id"));
      g_clear_error (&error);

      /* The one strict base64url: padding or a stray character is not a JWS. */
      g_free (padded);
      padded = g_strdup_printf ("%s.%s=.%s", parts[0], parts[1], parts[2]);
      g_assert_false (mw_store_submit (store, padded, recipients, &error));
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "base64url"));
      g_clear_error (&error);

      /* The one strict JSON reader: comments are refused before any nesting is read. */
      g_assert_false (mw_store_submit (store, deep, recipients, &error));
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "comments"));
      g_clear_error (&error);
    }
    g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM reports"), ==, 1);
    g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM deliveries"), ==, 2);
  }
}

/* A failure in the middle of the submit transaction (here: a trigger that refuses the second
 * delivery) leaves nothing: no signed report, no first delivery, and the draft intact. */
static void
test_submit_atomic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MwStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = make_report_json ("r-1", "i-9", "early-warning", NULL, "Flood");
  g_autofree char *jws = make_jws (json);
  g_autofree char *draft = NULL;
  const char *recipients[] = { "ncsc", "boom", "ilt", NULL };
  const char *fine[] = { "ncsc", "ilt", NULL };
  sqlite3 *db;

  mw_store_save_draft (store, json, &error);
  g_assert_no_error (error);

  db = raw_open (fixture->path);
  raw_exec (db, "CREATE TRIGGER refuse_boom BEFORE INSERT ON deliveries WHEN NEW.recipient = 'boom'"
                " BEGIN SELECT RAISE (ABORT, 'refused by test'); END;");
  sqlite3_close (db);

  g_assert_false (mw_store_submit (store, jws, recipients, &error));
  g_assert_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE);
  g_assert_nonnull (strstr (error->message, "refused by test"));
  g_clear_error (&error);

  g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM deliveries"), ==, 0);
  g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM reports WHERE state = 'signed'"), ==, 0);
  draft = mw_store_load_draft (store, "r-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft, ==, json);

  /* The same store works afterwards. */
  g_assert_true (mw_store_submit (store, jws, fine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM deliveries"), ==, 2);
}

static void
test_incident_versions (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MwStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) incidents = NULL;
  const char *recipients[] = { "ncsc", NULL };
  const char *stages[] = { "early-warning", "notification", "final" };
  MwStoreIncident *incident;

  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      g_autofree char *id = g_strdup_printf ("r-%u", i);
      g_autofree char *prev = i > 0 ? g_strdup_printf ("r-%u", i - 1) : NULL;
      g_autofree char *json = make_report_json (id, "i-1", stages[i], prev, stages[i]);
      g_autofree char *jws = make_jws (json);

      g_assert_true (mw_store_submit (store, jws, recipients, &error));
      g_assert_no_error (error);
      g_usleep (1000);
    }
  {
    g_autofree char *json = make_report_json ("r-draft", "i-1", "progress", "r-2", "next");
    g_autofree char *other = make_report_json ("r-x", "i-2", "single", NULL, "other incident");

    mw_store_save_draft (store, json, &error);
    g_assert_no_error (error);
    mw_store_save_draft (store, other, &error);
    g_assert_no_error (error);
  }

  versions = mw_store_list_incident_reports (store, "i-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 4);
  for (guint i = 0; i < 3; i++)
    {
      MwStoreReport *r = g_ptr_array_index (versions, i);
      g_autofree char *id = g_strdup_printf ("r-%u", i);

      g_assert_cmpstr (r->report_id, ==, id);
      g_assert_true (r->signed_);
      g_assert_cmpstr (r->stage, ==, stages[i]);
      if (i > 0)
        {
          g_autofree char *prev = g_strdup_printf ("r-%u", i - 1);
          g_assert_cmpstr (r->supersedes, ==, prev);
        }
    }
  g_assert_false (((MwStoreReport *) g_ptr_array_index (versions, 3))->signed_);

  incidents = mw_store_list_incidents (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (incidents->len, ==, 2);
  incident = g_ptr_array_index (incidents, 0);
  g_assert_cmpstr (incident->incident_id, ==, "i-2");
  g_assert_cmpuint (incident->n_reports, ==, 1);
  incident = g_ptr_array_index (incidents, 1);
  g_assert_cmpstr (incident->incident_id, ==, "i-1");
  g_assert_cmpuint (incident->n_reports, ==, 4);
  g_assert_cmpstr (incident->summary, ==, "next");
  g_assert_true (incident->training);

  g_assert_null (mw_store_get_report (store, "nope", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
}

/* ---- Deliveries ---- */

static void
test_deliveries (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MwStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(MwStoreDelivery) d = NULL;
  g_autoptr(MwStoreEndpoint) live = mw_store_endpoint_new ("ncsc", FALSE, "https://ncsc.example/intake");
  g_autoptr(MwStoreEndpoint) training = mw_store_endpoint_new ("ncsc", TRUE, "http://127.0.0.1:4711/ncsc");
  g_autofree char *json = make_report_json ("r-1", "i-1", "early-warning", NULL, "Pumps offline");
  g_autofree char *jws = make_jws (json);
  g_autofree char *receipt1 = make_jws ("{\"receipt_id\":\"rcpt-1\"}");
  g_autofree char *receipt2 = make_jws ("{\"receipt_id\":\"rcpt-2\"}");
  const char *recipients[] = { "ncsc", "ilt", "cert-x", NULL };
  gint64 now, next = 0;

  training->pinned_jwk = g_strdup ("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"abc\"}");
  mw_store_set_endpoint (store, live, &error);
  g_assert_no_error (error);
  mw_store_set_endpoint (store, training, &error);
  g_assert_no_error (error);

  g_assert_true (mw_store_submit (store, jws, recipients, &error));
  g_assert_no_error (error);
  now = g_get_real_time ();
  g_assert_cmpint (mw_store_get_next_due_time (store, &error), <=, now);
  g_assert_no_error (error);

  due = mw_store_list_due_deliveries (store, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 3);
  for (guint i = 0; i < due->len; i++)
    {
      MwStoreDelivery *item = g_ptr_array_index (due, i);

      g_assert_cmpstr (item->jws, ==, jws);
      if (g_str_equal (item->recipient, "ncsc"))
        {
          /* A training report goes to the training endpoint, never the live one. */
          g_assert_cmpstr (item->url, ==, "http://127.0.0.1:4711/ncsc");
          g_assert_cmpstr (item->pinned_jwk, ==, training->pinned_jwk);
        }
      else
        g_assert_null (item->url);
    }
  g_clear_pointer (&due, g_ptr_array_unref);

  /* A network error: retried after the backoff. */
  g_assert_true (mw_store_mark_attempt_failed (store, "r-1", "ilt", "Connection refused", now, &next, &error));
  g_assert_no_error (error);
  g_assert_cmpint (next, ==, now + 5 * G_USEC_PER_SEC);
  d = mw_store_get_delivery (store, "r-1", "ilt", &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->state, ==, MW_DELIVERY_STATE_PENDING);
  g_assert_cmpuint (d->attempts, ==, 1);
  g_assert_cmpint (d->next_attempt_at, ==, next);
  g_assert_cmpstr (d->last_error, ==, "Connection refused");
  g_clear_pointer (&d, mw_store_delivery_free);

  g_assert_true (mw_store_mark_attempt_failed (store, "r-1", "ilt", "503 Service Unavailable", now, &next, &error));
  g_assert_cmpint (next, ==, now + 10 * G_USEC_PER_SEC);

  due = mw_store_list_due_deliveries (store, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 2);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = mw_store_list_due_deliveries (store, now + 10 * G_USEC_PER_SEC, &error);
  g_assert_cmpuint (due->len, ==, 3);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = mw_store_list_due_deliveries (store, -1, &error);
  g_assert_cmpuint (due->len, ==, 3);
  g_clear_pointer (&due, g_ptr_array_unref);

  /* Delivered with a receipt; the same receipt again is a no-op. */
  for (int i = 0; i < 3; i++)
    {
      g_assert_true (mw_store_mark_delivered (store, "r-1", "ncsc", "rcpt-1", receipt1,
                                              "2026-11-22T03:12:00+01:00", &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM receipts"), ==, 1);
  d = mw_store_get_delivery (store, "r-1", "ncsc", &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->state, ==, MW_DELIVERY_STATE_DELIVERED);
  g_assert_cmpuint (d->attempts, ==, 1);
  g_assert_cmpstr (d->receipt_id, ==, "rcpt-1");
  g_assert_cmpstr (d->receipt_jws, ==, receipt1);
  g_assert_cmpstr (d->received_at, ==, "2026-11-22T03:12:00+01:00");
  g_clear_pointer (&d, mw_store_delivery_free);

  /* Another receipt for a delivered delivery is refused; the first is kept. */
  g_assert_false (mw_store_mark_delivered (store, "r-1", "ncsc", "rcpt-2", receipt2,
                                           NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (mw_store_mark_delivered (store, "r-1", "ncsc", "rcpt-1", "not a jws", NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  /* The same receipt with the line end of a file is the same receipt. */
  {
    g_autofree char *with_newline = g_strconcat (receipt1, "\r\n", NULL);

    g_assert_true (mw_store_mark_delivered (store, "r-1", "ncsc", "rcpt-1", with_newline,
                                            "2026-11-22T03:12:00+01:00", &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM receipts"), ==, 1);

  /* A delivered delivery cannot fail, be retried or be filed by hand. */
  g_assert_false (mw_store_mark_failed (store, "r-1", "ncsc", "409", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mw_store_mark_filed (store, "r-1", "ncsc", "NCSC-1", "2026-11-22T03:40:00+01:00", NULL, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mw_store_mark_attempt_failed (store, "r-1", "ncsc", "x", now, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);

  /* Refused by the recipient (4xx): failed, not retried. */
  g_assert_true (mw_store_mark_failed (store, "r-1", "ilt", "422: a training report at a live mailbox", &error));
  g_assert_no_error (error);
  d = mw_store_get_delivery (store, "r-1", "ilt", &error);
  g_assert_cmpint (d->state, ==, MW_DELIVERY_STATE_FAILED);
  g_assert_cmpuint (d->attempts, ==, 3);
  g_assert_cmpstr (d->last_error, ==, "422: a training report at a live mailbox");
  g_clear_pointer (&d, mw_store_delivery_free);
  due = mw_store_list_due_deliveries (store, -1, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);

  /* Filed by hand at a desk: the reference and the time are required; a second filing is
   * refused and changes nothing. */
  g_assert_false (mw_store_mark_filed (store, "r-1", "cert-x", "", "2026-11-22T03:40:00+01:00", NULL, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (mw_store_mark_filed (store, "r-1", "cert-x", "PGP-2026-17", "2026-11-22T03:40:00+01:00",
                                      "cert-x-email", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (mw_store_mark_filed (store, "r-1", "cert-x", "other", "2026-11-22T03:41:00+01:00", NULL, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
  g_clear_error (&error);
  d = mw_store_get_delivery (store, "r-1", "cert-x", &error);
  g_assert_cmpint (d->state, ==, MW_DELIVERY_STATE_FILED_BY_HAND);
  g_assert_cmpstr (d->reference, ==, "PGP-2026-17");
  g_assert_cmpstr (d->filed_at, ==, "2026-11-22T03:40:00+01:00");
  g_assert_cmpstr (d->channel, ==, "cert-x-email");
  g_assert_null (d->forwarded_by);
  g_clear_pointer (&d, mw_store_delivery_free);
  /* An attempt that was in flight meanwhile does not undo the filing. */
  g_assert_false (mw_store_mark_failed (store, "r-1", "cert-x", "409", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mw_store_mark_attempt_failed (store, "r-1", "cert-x", "x", now, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (mw_store_get_next_due_time (store, &error), ==, -1);

  /* outbox retry: failed ones become pending again, due now. */
  g_assert_cmpint (mw_store_retry_now (store, NULL, FALSE, now + 1, &error), ==, 0);
  g_assert_cmpint (mw_store_retry_now (store, "r-1", TRUE, now + 1, &error), ==, 1);
  g_assert_no_error (error);
  d = mw_store_get_delivery (store, "r-1", "ilt", &error);
  g_assert_cmpint (d->state, ==, MW_DELIVERY_STATE_PENDING);
  g_assert_cmpint (d->next_attempt_at, ==, now + 1);
  g_clear_pointer (&d, mw_store_delivery_free);

  /* Unknown deliveries. */
  g_assert_null (mw_store_get_delivery (store, "r-1", "nobody", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (mw_store_mark_delivered (store, "r-9", "ncsc", "x", receipt1, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Everything survives a reopen. */
  g_clear_object (&store);
  store = open_store (fixture->path);
  due = mw_store_list_deliveries (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 3);
}

/* A database of schema 1 (as shipped before filing at a desk) is migrated: "manual" becomes
 * filed-by-hand with the time it was recorded, a live delivery pending without a live
 * endpoint awaits filing, a training one and one with an endpoint stay pending, and the
 * receipts are kept and still refer to their deliveries. */
static void
test_migrate_v1 (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char v1[] =
    "CREATE TABLE profile (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL,"
    "  name TEXT, registration TEXT, sector TEXT, entity_type TEXT, regime TEXT, updated_at INTEGER NOT NULL);"
    "CREATE TABLE endpoints (recipient TEXT NOT NULL, training INTEGER NOT NULL CHECK (training IN (0, 1)),"
    "  url TEXT NOT NULL, pinned_cert_pem TEXT, pinned_jwk TEXT, updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (recipient, training));"
    "CREATE TABLE incidents (incident_id TEXT PRIMARY KEY, training INTEGER NOT NULL DEFAULT 0,"
    "  summary TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE reports (report_id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents (incident_id),"
    "  state TEXT NOT NULL CHECK (state IN ('draft', 'signed')), stage TEXT, kind TEXT, supersedes TEXT,"
    "  training INTEGER NOT NULL DEFAULT 0, summary TEXT, json TEXT NOT NULL, jws TEXT, sha256 TEXT,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, signed_at INTEGER);"
    "CREATE INDEX reports_by_incident ON reports (incident_id, created_at);"
    "CREATE INDEX reports_by_state ON reports (state, updated_at);"
    "CREATE TABLE deliveries (report_id TEXT NOT NULL REFERENCES reports (report_id), recipient TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'manual')),"
    "  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT, note TEXT,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (report_id, recipient));"
    "CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);"
    "CREATE TABLE receipts (report_id TEXT NOT NULL, recipient TEXT NOT NULL, receipt_id TEXT NOT NULL,"
    "  jws TEXT NOT NULL, received_at TEXT, stored_at INTEGER NOT NULL, PRIMARY KEY (report_id, recipient),"
    "  FOREIGN KEY (report_id, recipient) REFERENCES deliveries (report_id, recipient));"
    "INSERT INTO incidents VALUES ('i-1', 0, NULL, 1, 1);"
    "INSERT INTO reports VALUES ('live', 'i-1', 'signed', NULL, NULL, NULL, 0, NULL, '{}', 'a.b.c', 'ab', 1, 1, 1);"
    "INSERT INTO reports VALUES ('train', 'i-1', 'signed', NULL, NULL, NULL, 1, NULL, '{}', 'a.b.d', 'ac', 1, 1, 1);"
    "INSERT INTO endpoints VALUES ('ilt', 0, 'https://intake.example.nl/ilt', NULL, NULL, 1);"
    "INSERT INTO deliveries VALUES ('live', 'ncsc', 'delivered', 1, 0, NULL, NULL, 1, 1);"
    "INSERT INTO deliveries VALUES ('live', 'rdi', 'manual', 0, 0, NULL, 'Called the RDI', 1, 1764986400000000);"
    "INSERT INTO deliveries VALUES ('live', 'igj', 'pending', 2, 0, 'no endpoint', NULL, 1, 1);"
    "INSERT INTO deliveries VALUES ('live', 'ilt', 'pending', 0, 0, NULL, NULL, 1, 1);"
    "INSERT INTO deliveries VALUES ('train', 'ncsc', 'pending', 0, 0, NULL, NULL, 1, 1);"
    "INSERT INTO receipts VALUES ('live', 'ncsc', 'rcpt-1', 'r.e.c', '2026-12-06T03:00:00+01:00', 1);"
    "PRAGMA application_id = 1297566298;"
    "PRAGMA user_version = 1;";
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(MwStore) store = NULL;
  g_autoptr(MwStoreDelivery) d = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  struct { const char *report, *recipient; MwDeliveryState state; } expected[] = {
    { "live", "ncsc", MW_DELIVERY_STATE_DELIVERED },
    { "live", "rdi", MW_DELIVERY_STATE_FILED_BY_HAND },
    { "live", "igj", MW_DELIVERY_STATE_AWAITING_FILING },
    { "live", "ilt", MW_DELIVERY_STATE_PENDING },
    { "train", "ncsc", MW_DELIVERY_STATE_PENDING },
  };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, v1, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (fixture->path);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_clear_pointer (&d, mw_store_delivery_free);
      d = mw_store_get_delivery (store, expected[i].report, expected[i].recipient, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (mw_delivery_state_to_string (d->state), ==, mw_delivery_state_to_string (expected[i].state));
    }
  g_clear_pointer (&d, mw_store_delivery_free);
  d = mw_store_get_delivery (store, "live", "rdi", &error);
  g_assert_cmpstr (d->note, ==, "Called the RDI");
  g_assert_cmpstr (d->filed_at, ==, "2025-12-06T02:00:00Z");
  g_clear_pointer (&d, mw_store_delivery_free);
  d = mw_store_get_delivery (store, "live", "ncsc", &error);
  g_assert_cmpstr (d->receipt_id, ==, "rcpt-1");
  g_assert_cmpuint (count_rows (fixture->path, "PRAGMA user_version"), ==, MW_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpuint (count_rows (fixture->path, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%_v1%'"), ==, 0);
}

static void
test_backoff (void)
{
  guint previous = 0;

  g_assert_cmpuint (mw_store_backoff_seconds (0), ==, 0);
  g_assert_cmpuint (mw_store_backoff_seconds (1), ==, 5);
  g_assert_cmpuint (mw_store_backoff_seconds (2), ==, 10);
  g_assert_cmpuint (mw_store_backoff_seconds (3), ==, 20);
  g_assert_cmpuint (mw_store_backoff_seconds (4), ==, 40);
  g_assert_cmpuint (mw_store_backoff_seconds (8), ==, 640);
  g_assert_cmpuint (mw_store_backoff_seconds (9), ==, 900);
  g_assert_cmpuint (mw_store_backoff_seconds (10), ==, 900);
  g_assert_cmpuint (mw_store_backoff_seconds (32), ==, 900);
  g_assert_cmpuint (mw_store_backoff_seconds (33), ==, 900);
  g_assert_cmpuint (mw_store_backoff_seconds (64), ==, 900);
  g_assert_cmpuint (mw_store_backoff_seconds (G_MAXUINT), ==, 900);
  for (guint i = 1; i < 10000; i++)
    {
      guint delay = mw_store_backoff_seconds (i);

      g_assert_cmpuint (delay, >=, MW_STORE_BACKOFF_FIRST_SECONDS);
      g_assert_cmpuint (delay, <=, MW_STORE_BACKOFF_MAX_SECONDS);
      g_assert_cmpuint (delay, >=, previous);
      previous = delay;
    }
}

static void
test_delivery_state_strings (void)
{
  MwDeliveryState state;

  for (MwDeliveryState s = MW_DELIVERY_STATE_PENDING; s <= MW_DELIVERY_STATE_FORWARDED; s++)
    {
      g_assert_true (mw_delivery_state_from_string (mw_delivery_state_to_string (s), &state));
      g_assert_cmpint (state, ==, s);
    }
  /* The contract's names (DESIGN.md, delivery states). */
  g_assert_cmpstr (mw_delivery_state_to_string (MW_DELIVERY_STATE_FILED_BY_HAND), ==, "filed-by-hand");
  g_assert_cmpstr (mw_delivery_state_to_string (MW_DELIVERY_STATE_AWAITING_FILING), ==, "awaiting-filing");
  g_assert_cmpstr (mw_delivery_state_to_string (MW_DELIVERY_STATE_FORWARDED), ==, "forwarded");
  g_assert_false (mw_delivery_state_from_string ("manual", &state));
  g_assert_false (mw_delivery_state_from_string ("sent", &state));
  g_assert_false (mw_delivery_state_from_string (NULL, &state));
}

/* ---- Endpoints and profile ---- */

static void
test_endpoints (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MwStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStoreEndpoint) e = mw_store_endpoint_new ("ncsc", FALSE, "https://intake.ncsc.example/v");
  g_autoptr(MwStoreEndpoint) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(MwStoreEndpoint) bad = mw_store_endpoint_new ("ncsc", FALSE, "ftp://x.example/");

  e->pinned_cert_pem = g_strdup ("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  g_assert_true (mw_store_set_endpoint (store, e, &error));
  g_assert_no_error (error);

  got = mw_store_get_endpoint (store, "ncsc", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->recipient, ==, "ncsc");
  g_assert_false (got->training);
  g_assert_cmpstr (got->url, ==, e->url);
  g_assert_cmpstr (got->pinned_cert_pem, ==, e->pinned_cert_pem);
  g_assert_null (got->pinned_jwk);
  g_assert_cmpint (got->updated_at, >, 0);
  g_clear_pointer (&got, mw_store_endpoint_free);

  g_assert_null (mw_store_get_endpoint (store, "ncsc", TRUE, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (mw_store_set_endpoint_pinned_jwk (store, "ncsc", TRUE, "{}", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Pin the recipient's key on first use, then replace the URL (a new port). */
  g_assert_true (mw_store_set_endpoint_pinned_jwk (store, "ncsc", FALSE, "{\"kty\":\"OKP\"}", &error));
  g_assert_no_error (error);
  g_free (e->url);
  e->url = g_strdup ("https://intake2.ncsc.example/v");
  g_clear_pointer (&e->pinned_cert_pem, g_free);
  e->pinned_jwk = g_strdup ("{\"kty\":\"OKP\"}");
  g_assert_true (mw_store_set_endpoint (store, e, &error));
  got = mw_store_get_endpoint (store, "ncsc", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->url, ==, "https://intake2.ncsc.example/v");
  g_assert_null (got->pinned_cert_pem);
  g_assert_cmpstr (got->pinned_jwk, ==, "{\"kty\":\"OKP\"}");

  {
    g_autoptr(MwStoreEndpoint) t = mw_store_endpoint_new ("ncsc", TRUE, "http://127.0.0.1:1234/ncsc");
    g_autoptr(MwStoreEndpoint) a = mw_store_endpoint_new ("ilt", FALSE, "https://ilt.example/");

    g_assert_true (mw_store_set_endpoint (store, t, &error));
    g_assert_true (mw_store_set_endpoint (store, a, &error));
    g_assert_no_error (error);
  }
  list = mw_store_list_endpoints (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((MwStoreEndpoint *) g_ptr_array_index (list, 0))->recipient, ==, "ilt");
  g_assert_false (((MwStoreEndpoint *) g_ptr_array_index (list, 1))->training);
  g_assert_true (((MwStoreEndpoint *) g_ptr_array_index (list, 2))->training);

  g_assert_false (mw_store_set_endpoint (store, bad, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ftp://x.example/"));
  g_clear_error (&error);

  g_assert_true (mw_store_delete_endpoint (store, "ilt", FALSE, &error));
  g_assert_false (mw_store_delete_endpoint (store, "ilt", FALSE, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Persisted. */
  g_clear_object (&store);
  store = open_store (fixture->path);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = mw_store_list_endpoints (store, &error);
  g_assert_cmpuint (list->len, ==, 2);
}

static void
test_profile (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MwStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStoreProfile) profile = NULL;
  const char *json =
    "{\"name\":\"Waterbedrijf Noord\",\"registration\":\"KvK 12345678\",\"sector\":\"drinking-water\","
    "\"entity_type\":\"drinking-water-supplier\",\"regime\":\"nl-cbw\","
    "\"contact\":{\"name\":\"J. Jansen\",\"role\":\"CISO\",\"email\":\"ciso@example.nl\",\"phone\":\"+31 50 123 4567\"}}";

  g_assert_null (mw_store_get_profile (store, &error));
  g_assert_no_error (error);

  g_assert_true (mw_store_set_profile (store, json, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  store = open_store (fixture->path);

  profile = mw_store_get_profile (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->json, ==, json);
  g_assert_cmpstr (profile->name, ==, "Waterbedrijf Noord");
  g_assert_cmpstr (profile->registration, ==, "KvK 12345678");
  g_assert_cmpstr (profile->sector, ==, "drinking-water");
  g_assert_cmpstr (profile->entity_type, ==, "drinking-water-supplier");
  g_assert_cmpstr (profile->regime, ==, "nl-cbw");
  g_assert_cmpint (profile->updated_at, >, 0);
  g_clear_pointer (&profile, mw_store_profile_free);

  g_assert_true (mw_store_set_profile (store, "{\"name\":\"Haven\"}", &error));
  profile = mw_store_get_profile (store, &error);
  g_assert_cmpstr (profile->name, ==, "Haven");
  g_assert_null (profile->sector);

  g_assert_false (mw_store_set_profile (store, "\"Haven\"", &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "profile"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/open/new", test_open_new);
  ADD ("/store/open/reopen", test_open_reopen);
  ADD ("/store/open/default-path", test_open_default_path);
  ADD ("/store/open/private", test_open_private);
  ADD ("/store/open/private-default-folder", test_open_private_default_folder);
  ADD ("/store/open/newer-version", test_open_newer_version);
  ADD ("/store/open/corrupt", test_open_corrupt);
  ADD ("/store/open/empty-file", test_open_empty_file);
  ADD ("/store/drafts", test_drafts);
  ADD ("/store/submit", test_submit);
  ADD ("/store/submit-atomic", test_submit_atomic);
  ADD ("/store/incident-versions", test_incident_versions);
  ADD ("/store/deliveries", test_deliveries);
  ADD ("/store/endpoints", test_endpoints);
  ADD ("/store/profile", test_profile);
  ADD ("/store/migrate-v1", test_migrate_v1);
  g_test_add_func ("/store/backoff", test_backoff);
  g_test_add_func ("/store/delivery-state-strings", test_delivery_state_strings);

#undef ADD

  return g_test_run ();
}
