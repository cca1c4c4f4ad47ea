/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-intake"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-intake.h"
#include "mw-intake-listener.h"
#include "mw-intake-trainer.h"
#include "mw-json.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-signer.h"

G_DEFINE_QUARK (mw-intake-error-quark, mw_intake_error)

#define SCHEMA_VERSION          1
#define MAX_KEY_FILE_BYTES      (64 * 1024)
#define MAX_JWK_BYTES           (64 * 1024)
#define MAX_MAILBOX_NAME        MW_PROTOCOL_MAX_MAILBOX_NAME
#define OVERVIEW_PAGE_REPORTS   50      /* a mailbox's page */
#define OVERVIEW_FRONT_REPORTS  5       /* each mailbox on the front page */
#define OVERVIEW_MAX_PAGE       1000000
#define TRAINER_MAX_REPORTS     20000   /* the trainer view reads at most this many */
#define OVERVIEW_SHORT_CHARS    120     /* a provider's name, a stage, a time */
#define OVERVIEW_TEXT_CHARS     300     /* a summary */
#define MAX_PROBLEMS_SHOWN      3
#define MAX_BUFFERED_BODIES     (64 * 1024 * 1024)
#define BODY_DATA_KEY           "mw-intake-body"

typedef struct _BodyBudget BodyBudget;

struct _MwIntake
{
  GObject        parent_instance;

  char          *db_path;
  MwIntakeFlags  flags;
  sqlite3       *db;
  MwSigner      *signer;
  GPtrArray     *mailboxes;  /* char*, in the order they were added */
  SoupServer    *server;
  MwIntakeListener *listener;
  GHashTable    *regimes;    /* id → MwRegime, or NULL when it failed to load */
  BodyBudget    *budget;
  char          *overview_token;  /* NULL: the overview is for loopback only */
  MwIntakeTrainer *trainer;       /* a training session's scenario, or NULL */
};

G_DEFINE_FINAL_TYPE (MwIntake, mw_intake, G_TYPE_OBJECT)

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* What all request bodies held in memory may add up to: with hundreds of connections open,
 * each within MW_INTAKE_MAX_BODY, memory stays bounded all the same. Shared by the intake
 * and every body (a reference-counted box), so that a body may outlive the intake. */
struct _BodyBudget
{
  gsize bytes;
};

/* The request body, collected by the early handler within MW_INTAKE_MAX_BODY. */
typedef struct
{
  GByteArray *data;
  BodyBudget *budget;
  gboolean    overflow;  /* larger than MW_INTAKE_MAX_BODY */
  gboolean    busy;      /* the budget of all bodies was spent */
} RequestBody;

static void
request_body_free (gpointer data)
{
  RequestBody *body = data;

  body->budget->bytes -= body->data->len;
  g_rc_box_release (body->budget);
  g_byte_array_unref (body->data);
  g_free (body);
}

/* ---------------------------------------------------------------------------------------- */
/* Small helpers                                                                            */

static char *
now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
has_mailbox (MwIntake   *self,
             const char *name)
{
  for (guint i = 0; i < self->mailboxes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->mailboxes, i), name))
      return TRUE;

  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* SQLite                                                                                   */

static gboolean
db_exec (MwIntake    *self,
         const char  *sql,
         GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, MW_INTAKE_ERROR, MW_INTAKE_ERROR_DATABASE,
                   _("Database %s: %s"), self->db_path,
                   message ? message : sqlite3_errmsg (self->db));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static sqlite3_stmt *
db_prepare (MwIntake    *self,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, MW_INTAKE_ERROR, MW_INTAKE_ERROR_DATABASE,
                   _("Database %s: %s"), self->db_path, sqlite3_errmsg (self->db));
      return NULL;
    }

  return stmt;
}

static void
db_set_error (MwIntake  *self,
              GError   **error)
{
  g_set_error (error, MW_INTAKE_ERROR, MW_INTAKE_ERROR_DATABASE,
               _("Database %s: %s"), self->db_path, sqlite3_errmsg (self->db));
}

static void
db_rollback (MwIntake *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static gboolean
open_database (MwIntake    *self,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *mode;
  int version;

  /* Create the file ourselves so that it (and SQLite's -wal/-shm, which copy its mode) is
   * private from the start. */
  if (!mw_file_make_private (self->db_path, error))
    return FALSE;

  if (sqlite3_open_v2 (self->db_path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, MW_INTAKE_ERROR, MW_INTAKE_ERROR_DATABASE,
                   _("Cannot open the database %s: %s"), self->db_path,
                   self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return FALSE;
    }

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  stmt = db_prepare (self, "PRAGMA journal_mode=WAL", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      db_set_error (self, error);
      return FALSE;
    }
  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (mode == NULL || g_ascii_strcasecmp (mode, "wal") != 0)
    {
      g_set_error (error, MW_INTAKE_ERROR, MW_INTAKE_ERROR_DATABASE,
                   _("Database %s cannot use write-ahead logging (journal mode is “%s”): put it on a local file system"),
                   self->db_path, mode ? mode : "?");
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!db_exec (self,
                "PRAGMA synchronous=FULL;"
                "PRAGMA foreign_keys=ON;",
                error))
    return FALSE;

  stmt = db_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      db_set_error (self, error);
      return FALSE;
    }
  version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, MW_INTAKE_ERROR, MW_INTAKE_ERROR_DATABASE,
                   _("Database %s was written by a newer meldwijzer-intake (schema %d, this one knows %d): use the newer version"),
                   self->db_path, version, SCHEMA_VERSION);
      return FALSE;
    }

  return db_exec (self,
                  "BEGIN IMMEDIATE;"
                  "CREATE TABLE IF NOT EXISTS mailboxes ("
                  "  name       TEXT PRIMARY KEY,"
                  "  training   INTEGER NOT NULL,"
                  "  created_at TEXT NOT NULL);"
                  "CREATE TABLE IF NOT EXISTS keys ("
                  "  mailbox     TEXT NOT NULL REFERENCES mailboxes (name),"
                  "  kid         TEXT NOT NULL,"
                  "  jwk         TEXT NOT NULL,"
                  "  enrolled_at TEXT NOT NULL,"
                  "  PRIMARY KEY (mailbox, kid));"
                  "CREATE TABLE IF NOT EXISTS reports ("
                  "  id          INTEGER PRIMARY KEY,"
                  "  mailbox     TEXT NOT NULL REFERENCES mailboxes (name),"
                  "  report_id   TEXT NOT NULL,"
                  "  kid         TEXT NOT NULL,"
                  "  sha256      TEXT NOT NULL,"
                  "  jws         BLOB NOT NULL,"
                  "  received_at TEXT NOT NULL,"
                  "  receipt     TEXT NOT NULL,"
                  "  UNIQUE (mailbox, report_id));"
                  "PRAGMA user_version=1;"
                  "COMMIT;",
                  error);
}

/* ---------------------------------------------------------------------------------------- */
/* The intake's own key                                                                     */

static gboolean
write_all (int           fd,
           const char   *data,
           gsize         length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += written;
      length -= written;
    }

  return TRUE;
}

static MwSigner *
create_key_file (const char  *path,
                 GError     **error)
{
  g_autoptr(MwSigner) signer = NULL;
  char *jwk;
  gboolean ok;
  int fd;

  signer = mw_signer_generate (error);
  if (signer == NULL)
    return NULL;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_ERROR, saved_errno == EEXIST ? MW_ERROR_EXISTS : MW_ERROR_FAILED,
                   _("Cannot create the key file %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  jwk = mw_signer_to_private_jwk (signer);
  ok = jwk != NULL && write_all (fd, jwk, strlen (jwk)) && write_all (fd, "\n", 1) && fsync (fd) == 0;
  if (!ok)
    {
      int saved_errno = errno;

      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("Cannot write the key file %s: %s"), path, g_strerror (saved_errno));
      mw_secure_free (jwk);
      close (fd);
      g_unlink (path);
      return NULL;
    }

  mw_secure_free (jwk);
  if (close (fd) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("Cannot write the key file %s: %s"), path, g_strerror (saved_errno));
      g_unlink (path);
      return NULL;
    }

  return g_steal_pointer (&signer);
}

static MwSigner *
load_key_file (const char  *path,
               GError     **error)
{
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) local_error = NULL;
  struct stat st;
  char *text;
  gssize n;
  gsize total = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_ERROR, saved_errno == ENOENT ? MW_ERROR_NOT_FOUND : MW_ERROR_FAILED,
                   _("Cannot open the key file %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("Key file %s is not a regular file: remove it or point --db elsewhere"), path);
      close (fd);
      return NULL;
    }

  if ((st.st_mode & 0077) != 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("Key file %s is accessible by others (mode %04o): its private key may be exposed; run “chmod 600 %s” if it was not, or remove it to make a new key"),
                   path, (guint) (st.st_mode & 07777), path);
      close (fd);
      return NULL;
    }

  if (st.st_uid != geteuid ())
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("Key file %s belongs to another user: run meldwijzer-intake as its owner"), path);
      close (fd);
      return NULL;
    }

  if (st.st_size > MAX_KEY_FILE_BYTES)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("Key file %s is larger than %d bytes: it is not a key written by meldwijzer-intake"),
                   path, MAX_KEY_FILE_BYTES);
      close (fd);
      return NULL;
    }

  text = g_malloc0 (MAX_KEY_FILE_BYTES + 1);
  while (total < MAX_KEY_FILE_BYTES && (n = read (fd, text + total, MAX_KEY_FILE_BYTES - total)) != 0)
    {
      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                       _("Cannot read the key file %s: %s"), path, g_strerror (saved_errno));
          close (fd);
          mw_secure_free (text);
          return NULL;
        }
      total += n;
    }
  close (fd);

  signer = mw_signer_new_from_jwk (text, &local_error);
  mw_secure_free (text);

  if (signer == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("Key file %s does not hold a usable key (%s): restore it from a backup or remove it to make a new key"),
                   path, local_error->message);
      return NULL;
    }

  if (!mw_signer_has_private (signer))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("Key file %s holds only a public key: the intake needs its private key to sign receipts"),
                   path);
      return NULL;
    }

  return g_steal_pointer (&signer);
}

static MwSigner *
load_or_create_key (const char  *path,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  MwSigner *signer;

  signer = load_key_file (path, &local_error);
  if (signer != NULL)
    return signer;

  if (!g_error_matches (local_error, MW_ERROR, MW_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_clear_error (&local_error);

  signer = create_key_file (path, &local_error);
  if (signer != NULL)
    return signer;

  /* Another process made it first. */
  if (g_error_matches (local_error, MW_ERROR, MW_ERROR_EXISTS))
    return load_key_file (path, error);

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Responses                                                                                */

static void
set_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize length = strlen (text);

  set_common_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", code);
  json_object_set_string_member (object, "message", message);
  json_node_set_object (node, object);

  respond_json (msg, status, node);
}

G_GNUC_PRINTF (4, 5)
static void
respond_errorf (SoupServerMessage *msg,
                guint              status,
                const char        *code,
                const char        *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  respond_error (msg, status, code, message);
}

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              const char        *text)
{
  set_common_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

static gboolean
content_type_is (SoupServerMessage *msg,
                 const char        *wanted)
{
  const char *type;

  type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

  return type != NULL && g_ascii_strcasecmp (type, wanted) == 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Reports                                                                                  */

static char *
sign_receipt (MwIntake    *self,
              const char  *mailbox,
              const char  *report_id,
              const char  *sha256,
              const char  *received_at,
              GError     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *receipt_id = g_uuid_string_random ();
  g_autofree char *canonical = NULL;

  json_object_set_string_member (object, "receipt_id", receipt_id);
  json_object_set_string_member (object, "report_id", report_id);
  json_object_set_string_member (object, "report_sha256", sha256);
  json_object_set_string_member (object, "recipient", mailbox);
  json_object_set_string_member (object, "received_at", received_at);
  json_node_set_object (node, object);

  canonical = mw_json_to_canonical (node);

  return mw_signer_sign (self->signer, MW_INTAKE_RECEIPT_CTY,
                         (const guint8 *) canonical, strlen (canonical), error);
}

/* The enrolled key of a mailbox with this kid, or NULL. */
static char *
lookup_key (MwIntake    *self,
            const char  *mailbox,
            const char  *kid,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = db_prepare (self, "SELECT jwk FROM keys WHERE mailbox = ?1 AND kid = ?2", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, mailbox, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kid, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    db_set_error (self, error);

  return NULL;
}

typedef enum {
  STORE_NEW,
  STORE_SAME,
  STORE_CONFLICT,
  STORE_FAILED,
} StoreResult;

/* Stores the report (committed with synchronous=FULL) unless this mailbox already has its
 * report_id; *receipt is the receipt to answer with. */
static StoreResult
store_report (MwIntake     *self,
              const char   *mailbox,
              const char   *report_id,
              const char   *kid,
              const char   *jws,
              gsize         jws_length,
              const char   *sha256,
              char        **receipt,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *received_at = NULL;
  g_autofree char *new_receipt = NULL;
  int rc;

  if (!db_exec (self, "BEGIN IMMEDIATE", error))
    return STORE_FAILED;

  select = db_prepare (self,
                       "SELECT sha256, jws, receipt FROM reports WHERE mailbox = ?1 AND report_id = ?2",
                       error);
  if (select == NULL)
    goto failed;

  sqlite3_bind_text (select, 1, mailbox, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (select, 2, report_id, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW)
    {
      const char *stored_sha256 = (const char *) sqlite3_column_text (select, 0);
      const void *stored_jws = sqlite3_column_blob (select, 1);
      gsize stored_length = sqlite3_column_bytes (select, 1);
      StoreResult result;

      if (g_strcmp0 (stored_sha256, sha256) == 0 &&
          stored_length == jws_length &&
          memcmp (stored_jws, jws, jws_length) == 0)
        {
          *receipt = g_strdup ((const char *) sqlite3_column_text (select, 2));
          result = STORE_SAME;
        }
      else
        result = STORE_CONFLICT;

      g_clear_pointer (&select, sqlite3_finalize);
      db_exec (self, "COMMIT", NULL);
      return result;
    }
  if (rc != SQLITE_DONE)
    {
      db_set_error (self, error);
      goto failed;
    }
  g_clear_pointer (&select, sqlite3_finalize);

  received_at = now_rfc3339 ();
  new_receipt = sign_receipt (self, mailbox, report_id, sha256, received_at, error);
  if (new_receipt == NULL)
    goto failed;

  insert = db_prepare (self,
                       "INSERT INTO reports (mailbox, report_id, kid, sha256, jws, received_at, receipt)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                       error);
  if (insert == NULL)
    goto failed;

  sqlite3_bind_text (insert, 1, mailbox, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 2, report_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, kid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 4, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (insert, 5, jws, jws_length, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 6, received_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 7, new_receipt, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      db_set_error (self, error);
      goto failed;
    }
  g_clear_pointer (&insert, sqlite3_finalize);

  if (!db_exec (self, "COMMIT", error))
    goto failed;

  *receipt = g_steal_pointer (&new_receipt);
  return STORE_NEW;

failed:
  g_clear_pointer (&select, sqlite3_finalize);
  g_clear_pointer (&insert, sqlite3_finalize);
  db_rollback (self);
  return STORE_FAILED;
}

/* "field “a”: problem; field “b”: problem (and 3 more)": the first few, each naming its field. */
static char *
describe_problems (GPtrArray *problems)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint shown = MIN (problems->len, MAX_PROBLEMS_SHOWN);

  for (guint i = 0; i < shown; i++)
    {
      const MwProblem *problem = g_ptr_array_index (problems, i);

      if (i > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, _("field “%s”: %s"),
                              problem->path && problem->path[0] ? problem->path : "(root)",
                              problem->message);
    }

  if (problems->len > shown)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "(and %u more problem)",
                                           "(and %u more problems)", problems->len - shown),
                              problems->len - shown);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
handle_report (MwIntake          *self,
               SoupServerMessage *msg,
               const char        *mailbox,
               RequestBody       *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) verified = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(MwSigner) sender = NULL;
  g_autofree char *jws = NULL;
  g_autofree char *kid = NULL;
  g_autofree char *cty = NULL;
  g_autofree char *jwk = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *receipt = NULL;
  const char *report_id;
  const char *format;
  gboolean training = FALSE;
  gsize length;

  if (body != NULL && body->overflow)
    {
      respond_errorf (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                      _("The report is larger than %d bytes: a report must fit in 1 MiB"),
                      MW_INTAKE_MAX_BODY);
      return;
    }

  if (!content_type_is (msg, "application/jose"))
    {
      respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                     _("Send the report as a compact JWS with Content-Type: application/jose"));
      return;
    }

  length = body != NULL ? body->data->len : 0;
  if (length == 0 || memchr (body->data->data, '\0', length) != NULL)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _("The body is not a compact JWS: it is empty or holds a NUL byte"));
      return;
    }
  jws = g_strndup ((const char *) body->data->data, length);

  if (!mw_jws_parse (jws, &kid, &cty, &payload, &error))
    {
      if (g_error_matches (error, MW_ERROR, MW_ERROR_TOO_LARGE))
        respond_errorf (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                        _("The report is too large: %s"), error->message);
      else
        respond_errorf (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                        _("The body is not a compact JWS: %s"), error->message);
      return;
    }

  /* A line end after the JWS (curl --data-binary @REPORT.jws) is not part of it. */
  length = mw_jws_trimmed_length (jws, length);
  jws[length] = '\0';

  if (kid == NULL || kid[0] == '\0')
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _("The JWS protected header has no “kid”: sign the report with an enrolled key"));
      return;
    }

  if (cty != NULL && g_strcmp0 (cty, MW_JWS_CTY_REPORT) != 0)
    {
      respond_errorf (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                      _("The JWS protected header has “cty” “%s”: a report must have “%s”"),
                      cty, MW_JWS_CTY_REPORT);
      return;
    }

  jwk = lookup_key (self, mailbox, kid, &error);
  if (jwk == NULL)
    {
      if (error != NULL)
        {
          g_warning ("%s", error->message);
          respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                         _("The intake cannot read its database: try again later"));
        }
      else
        respond_errorf (msg, SOUP_STATUS_UNAUTHORIZED, "unknown_kid",
                        _("Key “%s” is not enrolled at mailbox “%s”: ask its operator to enrol your public key"),
                        kid, mailbox);
      return;
    }

  sender = mw_signer_new_from_jwk (jwk, &error);
  if (sender == NULL)
    {
      g_warning ("Enrolled key %s of mailbox %s: %s", kid, mailbox, error->message);
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                     _("The enrolled key cannot be read: ask the operator to enrol it again"));
      return;
    }

  verified = mw_signer_verify (sender, jws, &error);
  if (verified == NULL)
    {
      respond_errorf (msg, SOUP_STATUS_UNAUTHORIZED, "bad_signature",
                      _("The signature does not verify with enrolled key “%s”: the report was altered or signed with another key"),
                      kid);
      return;
    }

  {
    gsize payload_length;
    const char *payload_data = g_bytes_get_data (verified, &payload_length);

    report = mw_report_new_from_data (payload_data, payload_length, _("JWS payload"), &error);
  }
  if (report == NULL)
    {
      respond_errorf (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                      _("The JWS payload is not a meldwijzer.report/1 report: %s"), error->message);
      return;
    }

  format = mw_report_get_string (report, "format");
  if (g_strcmp0 (format, MW_REPORT_FORMAT) != 0)
    {
      respond_errorf (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                      _("Field “format” of the report is “%s”: it must be “%s”"),
                      format ? format : "", MW_REPORT_FORMAT);
      return;
    }

  report_id = mw_report_get_report_id (report);
  if (report_id == NULL || !mw_is_uuid (report_id))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _("Field “report_id” of the report is missing or not a UUID"));
      return;
    }

  /* A receipt says the report arrived as a report: signed by an enrolled key is not enough. */
  problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  if (problems->len > 0)
    {
      g_autofree char *described = describe_problems (problems);

      respond_errorf (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                      _("The report is not a valid %s report: %s"), MW_REPORT_FORMAT, described);
      return;
    }
  training = mw_report_get_training (report);

  if (training && !mw_intake_get_training (self))
    {
      respond_errorf (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "training_report",
                      _("Mailbox “%s” is live and refuses training reports: file exercises at a training mailbox"),
                      mailbox);
      return;
    }
  if (!training && mw_intake_get_training (self))
    {
      respond_errorf (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "live_report",
                      _("Mailbox “%s” is a training mailbox and refuses live reports: send real incidents to the real authority"),
                      mailbox);
      return;
    }

  sha256 = mw_sha256_hex ((const guint8 *) jws, length);

  switch (store_report (self, mailbox, report_id, kid, jws, length, sha256, &receipt, &error))
    {
    case STORE_NEW:
      g_debug ("Mailbox %s received report %s", mailbox, report_id);
      respond_text (msg, SOUP_STATUS_CREATED, "application/jose", receipt);
      break;

    case STORE_SAME:
      respond_text (msg, SOUP_STATUS_OK, "application/jose", receipt);
      break;

    case STORE_CONFLICT:
      respond_errorf (msg, SOUP_STATUS_CONFLICT, "conflict",
                      _("Mailbox “%s” already holds report %s with different content: a changed report needs a new report_id"),
                      mailbox, report_id);
      break;

    case STORE_FAILED:
    default:
      g_warning ("Cannot store report %s for mailbox %s: %s", report_id, mailbox,
                 error ? error->message : "?");
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                     _("The intake could not store the report: try again later"));
      break;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Keys and enrolment                                                                       */

static void
handle_keys (MwIntake          *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) keys = json_array_new ();
  g_autoptr(JsonNode) jwk = NULL;
  g_autofree char *public_jwk = mw_signer_to_public_jwk (self->signer);
  g_autoptr(GError) error = NULL;
  JsonObject *jwk_object;

  jwk = mw_json_parse (public_jwk, -1, "public JWK", &error);
  if (jwk == NULL || !JSON_NODE_HOLDS_OBJECT (jwk))
    {
      g_warning ("Cannot serialise the intake key: %s", error ? error->message : "not an object");
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                     _("The intake cannot show its key"));
      return;
    }

  jwk_object = json_node_get_object (jwk);
  json_object_set_string_member (jwk_object, "kid", mw_signer_get_thumbprint (self->signer));
  json_object_set_string_member (jwk_object, "alg", "EdDSA");
  json_object_set_string_member (jwk_object, "use", "sig");
  json_array_add_element (keys, g_steal_pointer (&jwk));

  json_object_set_array_member (object, "keys", g_steal_pointer (&keys));
  json_node_set_object (node, object);

  respond_json (msg, SOUP_STATUS_OK, node);
}

gboolean
mw_intake_enrol (MwIntake    *self,
                 const char  *mailbox,
                 const char  *jwk_json,
                 gsize        length,
                 gboolean    *already_enrolled,
                 char       **kid,
                 GError     **error)
{
  g_autoptr(MwSigner) key = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *public_jwk = NULL;
  g_autofree char *enrolled_at = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (MW_IS_INTAKE (self), FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);
  g_return_val_if_fail (jwk_json != NULL, FALSE);

  if (!has_mailbox (self, mailbox))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("Mailbox “%s” is not served by this intake"), mailbox);
      return FALSE;
    }

  if (length > MAX_JWK_BYTES)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The public key is larger than %d bytes: it is not an Ed25519 JWK"),
                   MAX_JWK_BYTES);
      return FALSE;
    }

  if (memchr (jwk_json, '\0', length) != NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The public key holds a NUL byte: it is not a JWK"));
      return FALSE;
    }
  text = g_strndup (jwk_json, length);

  key = mw_signer_new_from_jwk (text, &local_error);
  if (key == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The public key is not an Ed25519 JWK: %s"), local_error->message);
      return FALSE;
    }

  if (mw_signer_has_private (key))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The JWK holds a private key (“d”): enrol only the public key and keep the private key secret"));
      return FALSE;
    }

  public_jwk = mw_signer_to_public_jwk (key);
  enrolled_at = now_rfc3339 ();

  stmt = db_prepare (self,
                     "INSERT OR IGNORE INTO keys (mailbox, kid, jwk, enrolled_at) VALUES (?1, ?2, ?3, ?4)",
                     error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, mailbox, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, mw_signer_get_thumbprint (key), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, public_jwk, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, enrolled_at, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      db_set_error (self, error);
      return FALSE;
    }

  if (already_enrolled != NULL)
    *already_enrolled = sqlite3_changes (self->db) == 0;
  if (kid != NULL)
    *kid = g_strdup (mw_signer_get_thumbprint (key));

  return TRUE;
}

static void
handle_enrol (MwIntake          *self,
              SoupServerMessage *msg,
              const char        *mailbox,
              RequestBody       *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *kid = NULL;
  gboolean already = FALSE;

  if (!mw_intake_get_training (self))
    {
      respond_errorf (msg, SOUP_STATUS_FORBIDDEN, "enrolment_closed",
                      _("Mailbox “%s” is live and does not accept keys over the network: give the public key to the operator, who runs “meldwijzer-intake enrol --db FILE --mailbox %s PUBLIC.jwk”"),
                      mailbox, mailbox);
      return;
    }

  if (body != NULL && (body->overflow || body->data->len > MAX_JWK_BYTES))
    {
      respond_errorf (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                      _("The public key is larger than %d bytes: it is not an Ed25519 JWK"),
                      MAX_JWK_BYTES);
      return;
    }

  if (!content_type_is (msg, "application/jwk+json") && !content_type_is (msg, "application/json"))
    {
      respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                     _("Send the public key as a JWK with Content-Type: application/jwk+json"));
      return;
    }

  if (!mw_intake_enrol (self, mailbox,
                        body != NULL ? (const char *) body->data->data : "",
                        body != NULL ? body->data->len : 0,
                        &already, &kid, &error))
    {
      if (g_error_matches (error, MW_INTAKE_ERROR, MW_INTAKE_ERROR_DATABASE))
        {
          g_warning ("%s", error->message);
          respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                         _("The intake could not store the key: try again later"));
        }
      else
        respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message);
      return;
    }

  node = json_node_new (JSON_NODE_OBJECT);
  object = json_object_new ();
  json_object_set_string_member (object, "mailbox", mailbox);
  json_object_set_string_member (object, "kid", kid);
  json_object_set_boolean_member (object, "already_enrolled", already);
  json_node_take_object (node, g_steal_pointer (&object));

  respond_json (msg, already ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, node);
}

/* ---------------------------------------------------------------------------------------- */
/* The overview page                                                                        */

static void
append_escaped (GString    *html,
                const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL || text[0] == '\0')
    {
      g_string_append (html, "—");
      return;
    }

  escaped = g_markup_escape_text (text, -1);
  g_string_append (html, escaped);
}

static const char *
lookup_string (JsonNode   *root,
               const char *path)
{
  JsonNode *node = mw_json_lookup (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* A regime by id, loaded once (NULL when it cannot be loaded). */
static MwRegime *
lookup_regime (MwIntake   *self,
               const char *regime_id)
{
  MwRegime *regime;

  if (regime_id == NULL)
    return NULL;
  if (!g_hash_table_lookup_extended (self->regimes, regime_id, NULL, (gpointer *) &regime))
    {
      g_autoptr(GError) error = NULL;

      regime = mw_regime_load (regime_id, &error);
      if (regime == NULL)
        g_debug ("Regime %s: %s", regime_id, error->message);
      g_hash_table_insert (self->regimes, g_strdup (regime_id), regime);
    }
  return regime;
}

/* Best effort: the verdict the lead's assessor gives, or NULL. */
static const char *
assess_payload (MwIntake   *self,
                JsonNode   *root,
                const char *payload,
                gsize       length)
{
  g_autoptr(MwReport) report = NULL;
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;
  MwRegime *regime;

  if (lookup_string (root, "provider.entity_type") == NULL)
    return NULL;
  regime = lookup_regime (self, lookup_string (root, "regime"));
  if (regime == NULL)
    return NULL;

  report = mw_report_new_from_data (payload, length, "report", NULL);
  if (report == NULL)
    return NULL;

  assessor = mw_assessor_new (regime);
  assessment = mw_assessor_assess (assessor, report, NULL);
  if (assessment == NULL)
    return NULL;

  return mw_verdict_to_string (mw_assessment_get_verdict (assessment));
}

/* Text from a report, cut to max_chars characters (with "…") and escaped. */
static void
append_truncated (GString    *html,
                  const char *text,
                  glong       max_chars)
{
  g_autofree char *cut = NULL;

  if (text != NULL && g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, max_chars + 1) > max_chars)
    {
      g_autofree char *head = g_utf8_substring (text, 0, max_chars);

      cut = g_strconcat (head, "…", NULL);
      text = cut;
    }

  append_escaped (html, text);
}

/* "/csirt/?page=2" with the token and the language of this request, if they came in the
 * query, escaped for an attribute. */
static void
append_page_link (GString    *html,
                  const char *mailbox,
                  guint       page,
                  const char *query_token,
                  const char *query_lang,
                  const char *label)
{
  g_autoptr(GString) href = g_string_new ("/");
  g_autofree char *escaped = NULL;

  g_string_append_uri_escaped (href, mailbox, NULL, FALSE);
  g_string_append_printf (href, "/?page=%u", page);
  if (query_token != NULL)
    {
      g_string_append (href, "&token=");
      g_string_append_uri_escaped (href, query_token, NULL, FALSE);
    }
  if (g_strcmp0 (query_lang, "nl") == 0 || g_strcmp0 (query_lang, "en") == 0)
    g_string_append_printf (href, "&lang=%s", query_lang);

  escaped = g_markup_escape_text (href->str, -1);
  g_string_append_printf (html, "<a href=\"%s\">", escaped);
  append_escaped (html, label);
  g_string_append (html, "</a>");
}

/* One received report as the overview shows it. */
typedef struct {
  char     *received_at;
  char     *report_id;
  JsonNode *root;         /* the report, or NULL when it cannot be read */
  char     *verdict;      /* "mandatory", …, or NULL */
  guint     position;     /* newest first */
} OverviewRow;

static void
overview_row_free (OverviewRow *row)
{
  g_free (row->received_at);
  g_free (row->report_id);
  g_clear_pointer (&row->root, json_node_unref);
  g_free (row->verdict);
  g_free (row);
}

static OverviewRow *
read_overview_row (MwIntake     *self,
                   sqlite3_stmt *stmt,
                   guint         position)
{
  g_autofree char *jws = g_strndup (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
  g_autoptr(GBytes) payload = NULL;
  OverviewRow *row = g_new0 (OverviewRow, 1);

  row->received_at = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  row->report_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  row->position = position;
  if (mw_jws_parse (jws, NULL, NULL, &payload, NULL))
    {
      gsize length;
      const char *data = g_bytes_get_data (payload, &length);

      row->root = mw_json_parse (data, length, "report", NULL);
      if (row->root != NULL && !JSON_NODE_HOLDS_OBJECT (row->root))
        g_clear_pointer (&row->root, json_node_unref);
      if (row->root != NULL)
        row->verdict = g_strdup (assess_payload (self, row->root, data, length));
    }
  return row;
}

/* The stage as the report's regime names it in the reader's language, else as it came. */
static const char *
stage_text (MwIntake *self,
            JsonNode *root)
{
  const char *stage = root ? lookup_string (root, "stage") : NULL;
  MwRegime *regime = root ? lookup_regime (self, lookup_string (root, "regime")) : NULL;
  const MwStage *known = regime != NULL && stage != NULL ? mw_regime_find_stage (regime, stage) : NULL;

  return known != NULL ? mw_label_get (&known->label) : stage;
}

static const char *
verdict_text (const char *verdict)
{
  if (g_strcmp0 (verdict, "mandatory") == 0)
    return _("mandatory");
  if (g_strcmp0 (verdict, "undetermined") == 0)
    return _("undetermined");
  if (g_strcmp0 (verdict, "voluntary") == 0)
    return _("voluntary");
  return NULL;
}

static void
append_report_row (MwIntake    *self,
                   GString     *html,
                   OverviewRow *row)
{
  g_string_append (html, "<tr><td>");
  append_truncated (html, row->received_at, OVERVIEW_SHORT_CHARS);
  g_string_append (html, "</td><td>");
  append_truncated (html, row->root ? lookup_string (row->root, "provider.name") : NULL, OVERVIEW_SHORT_CHARS);
  g_string_append (html, "</td><td>");
  append_truncated (html, stage_text (self, row->root), OVERVIEW_SHORT_CHARS);
  g_string_append (html, "</td><td>");
  append_escaped (html, verdict_text (row->verdict));
  g_string_append (html, "</td><td>");
  append_truncated (html, row->root ? lookup_string (row->root, "nature.summary") : NULL, OVERVIEW_TEXT_CHARS);
  g_string_append (html, "</td><td><code>");
  append_truncated (html, row->report_id, OVERVIEW_SHORT_CHARS);
  g_string_append (html, "</code></td></tr>\n");
}

static const char *
row_incident (OverviewRow *row)
{
  const char *id = row->root ? lookup_string (row->root, "incident_id") : NULL;

  /* A report without an incident is an incident of its own. */
  return id != NULL ? id : row->report_id;
}

/* The reports of one incident in the order of the chain: each after the one it supersedes,
 * starting from one that supersedes nothing on this page; otherwise by time, oldest first. */
static GPtrArray *
chain_order (GPtrArray *group)
{
  GPtrArray *ordered = g_ptr_array_new ();
  g_autoptr(GPtrArray) left = g_ptr_array_copy (group, NULL, NULL);

  while (left->len > 0)
    {
      OverviewRow *next = NULL;
      guint next_index = 0;

      if (ordered->len > 0)
        {
          OverviewRow *last = g_ptr_array_index (ordered, ordered->len - 1);
          for (guint i = 0; i < left->len && next == NULL; i++)
            {
              OverviewRow *row = g_ptr_array_index (left, i);
              if (g_strcmp0 (row->root ? lookup_string (row->root, "supersedes") : NULL, last->report_id) == 0)
                next = row, next_index = i;
            }
        }
      /* Else the oldest of those that supersede nothing left (the start of a chain), or at
       * worst (a loop) the oldest left. */
      for (guint pass = 0; pass < 2 && next == NULL; pass++)
        for (guint i = 0; i < left->len; i++)
          {
            OverviewRow *row = g_ptr_array_index (left, i);
            const char *supersedes = row->root ? lookup_string (row->root, "supersedes") : NULL;
            gboolean root = TRUE;

            for (guint j = 0; j < left->len && pass == 0; j++)
              root &= g_strcmp0 (((OverviewRow *) g_ptr_array_index (left, j))->report_id, supersedes) != 0;
            if (root && (next == NULL || row->position > next->position))
              next = row, next_index = i;
          }
      g_ptr_array_add (ordered, next);
      g_ptr_array_remove_index (left, next_index);
    }
  return ordered;
}

/* The rows grouped by incident (the incident with the newest report first), each headed by
 * its chain: early warning → notification → final. */
static void
append_incident_groups (MwIntake  *self,
                        GString   *html,
                        GPtrArray *rows)
{
  g_autoptr(GPtrArray) incidents = g_ptr_array_new ();  /* const char*, newest first */
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < rows->len; i++)
    {
      OverviewRow *row = g_ptr_array_index (rows, i);
      GPtrArray *group = g_hash_table_lookup (groups, row_incident (row));

      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, (gpointer) row_incident (row), group);
          g_ptr_array_add (incidents, (gpointer) row_incident (row));
        }
      g_ptr_array_add (group, row);
    }

  for (guint i = 0; i < incidents->len; i++)
    {
      g_autoptr(GPtrArray) ordered = chain_order (g_hash_table_lookup (groups, g_ptr_array_index (incidents, i)));
      g_autoptr(GString) chain = g_string_new (NULL);

      for (guint r = 0; r < ordered->len; r++)
        {
          const char *stage = stage_text (self, ((OverviewRow *) g_ptr_array_index (ordered, r))->root);
          if (r > 0)
            g_string_append (chain, " → ");
          g_string_append (chain, stage != NULL ? stage : "—");
        }

      g_string_append (html, "<tr class=\"incident\"><th colspan=\"6\">");
      {
        g_autofree char *heading = g_strdup_printf (_("Incident %s: %s"),
                                                    (const char *) g_ptr_array_index (incidents, i), chain->str);
        append_truncated (html, heading, OVERVIEW_TEXT_CHARS);
      }
      g_string_append (html, "</th></tr>\n");
      for (guint r = 0; r < ordered->len; r++)
        append_report_row (self, html, g_ptr_array_index (ordered, r));
    }
}

/* A mailbox named after a recipient of a regime in use shows that recipient's name. */
static const char *
mailbox_title (MwIntake   *self,
               const char *mailbox)
{
  GHashTableIter iter;
  MwRegime *regime;

  if (g_hash_table_size (self->regimes) == 0)
    lookup_regime (self, "nl-cbw");
  g_hash_table_iter_init (&iter, self->regimes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &regime))
    {
      const MwRecipient *recipient = regime != NULL ? mw_regime_find_recipient (regime, mailbox) : NULL;
      if (recipient != NULL)
        return mw_label_get (&recipient->name);
    }
  return mailbox;
}

/* One mailbox: its counts and the reports of one page, newest first. page is 0 for the
 * short list of the front page. */
static void
append_mailbox_overview (MwIntake   *self,
                         GString    *html,
                         const char *mailbox,
                         guint       page,
                         const char *query_token,
                         const char *query_lang)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count = 0;
  gint64 keys = 0;
  guint limit = page == 0 ? OVERVIEW_FRONT_REPORTS : OVERVIEW_PAGE_REPORTS;
  gint64 offset = page <= 1 ? 0 : (gint64) (page - 1) * OVERVIEW_PAGE_REPORTS;
  guint n_pages;
  guint shown = 0;

  stmt = db_prepare (self,
                     "SELECT (SELECT COUNT(*) FROM reports WHERE mailbox = ?1),"
                     "       (SELECT COUNT(*) FROM keys WHERE mailbox = ?1)",
                     &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, mailbox, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          count = sqlite3_column_int64 (stmt, 0);
          keys = sqlite3_column_int64 (stmt, 1);
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
    }
  n_pages = (guint) MAX ((count + OVERVIEW_PAGE_REPORTS - 1) / OVERVIEW_PAGE_REPORTS, 1);

  g_string_append (html, "<section><h2>");
  append_escaped (html, mailbox_title (self, mailbox));
  g_string_append (html, "</h2>\n<p>");
  {
    g_autofree char *summary =
      g_strdup_printf (_("%s mailbox · %lld report(s) · %lld enrolled key(s)"),
                       mw_intake_get_training (self) ? _("Training") : _("Live"), (long long) count, (long long) keys);
    append_escaped (html, summary);
  }
  g_string_append (html, "</p>\n");

  if (count == 0)
    {
      g_string_append (html, "<p>");
      append_escaped (html, _("Nothing received yet."));
      g_string_append (html, "</p></section>\n");
      return;
    }

  g_string_append (html, "<table>\n<tr>");
  {
    const char *headings[] = {
      N_("Received"), N_("Provider"), N_("Stage"), N_("Verdict"), N_("Summary"), N_("Report"),
    };

    for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
      {
        g_string_append (html, "<th>");
        append_escaped (html, _(headings[i]));
        g_string_append (html, "</th>");
      }
  }
  g_string_append (html, "</tr>\n");

  stmt = db_prepare (self,
                     "SELECT received_at, report_id, jws FROM reports WHERE mailbox = ?1"
                     " ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                     &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      g_string_append (html, "</table></section>\n");
      return;
    }
  sqlite3_bind_text (stmt, 1, mailbox, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) limit);
  sqlite3_bind_int64 (stmt, 3, offset);

  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) overview_row_free);

    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_ptr_array_add (rows, read_overview_row (self, stmt, shown));
        shown++;
      }
    append_incident_groups (self, html, rows);
  }

  g_string_append (html, "</table>\n<p>");
  if (page == 0)
    {
      if (count > shown)
        {
          g_autofree char *more = g_strdup_printf (_("The latest %u of %lld reports."),
                                                   shown, (long long) count);
          append_escaped (html, more);
          g_string_append_c (html, ' ');
          append_page_link (html, mailbox, 1, query_token, query_lang, _("All reports of this mailbox"));
        }
    }
  else
    {
      g_autofree char *position = g_strdup_printf (_("Page %u of %u"), page, n_pages);

      append_escaped (html, position);
      if (page > 1)
        {
          g_string_append (html, " · ");
          append_page_link (html, mailbox, MIN (page - 1, n_pages), query_token, query_lang, _("Newer reports"));
        }
      if (page < n_pages)
        {
          g_string_append (html, " · ");
          append_page_link (html, mailbox, page + 1, query_token, query_lang, _("Older reports"));
        }
    }
  g_string_append (html, "</p></section>\n");
}

/* Constant time in the length of the expected token. */
static gboolean
token_matches (const char *given,
               const char *expected)
{
  gsize given_length;
  gsize expected_length;
  guint8 difference = 0;

  if (given == NULL || expected == NULL)
    return FALSE;

  given_length = strlen (given);
  expected_length = strlen (expected);
  for (gsize i = 0; i < expected_length; i++)
    difference |= (guint8) expected[i] ^ (guint8) (i < given_length ? given[i] : 0);

  return difference == 0 && given_length == expected_length;
}

gboolean
mw_intake_overview_allowed (MwIntake       *self,
                            GSocketAddress *remote,
                            const char     *query_token,
                            const char     *authorization)
{
  g_return_val_if_fail (MW_IS_INTAKE (self), FALSE);

  if (G_IS_INET_SOCKET_ADDRESS (remote) &&
      g_inet_address_get_is_loopback (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote))))
    return TRUE;

  if (self->overview_token == NULL)
    return FALSE;

  if (token_matches (query_token, self->overview_token))
    return TRUE;

  return authorization != NULL &&
         g_ascii_strncasecmp (authorization, "Bearer ", strlen ("Bearer ")) == 0 &&
         token_matches (authorization + strlen ("Bearer "), self->overview_token);
}

void
mw_intake_set_overview_token (MwIntake   *self,
                              const char *token)
{
  g_return_if_fail (MW_IS_INTAKE (self));

  g_free (self->overview_token);
  self->overview_token = token != NULL && token[0] != '\0' ? g_strdup (token) : NULL;
}

/* The overview in the reader's language: ?lang=nl or ?lang=en, else the first of
 * Accept-Language that is Dutch or English (by quality), else English. While a page is
 * rendered, this thread's messages and the regime labels are in that language. */
typedef struct {
  locale_t  locale;
  locale_t  previous;
  char     *label_language;
} ReaderLanguage;

static const char *
reader_language (SoupServerMessage *msg,
                 GHashTable        *query)
{
  const char *asked = query != NULL ? g_hash_table_lookup (query, "lang") : NULL;
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Language");
  const char *language = "en";
  GSList *tags;

  if (g_strcmp0 (asked, "nl") == 0 || g_strcmp0 (asked, "en") == 0)
    return asked;
  if (header == NULL || strlen (header) > 1024)
    return language;

  tags = soup_header_parse_quality_list (header, NULL);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      const char *tag = l->data;
      if (g_ascii_strncasecmp (tag, "nl", 2) == 0 && (tag[2] == '\0' || tag[2] == '-'))
        {
          language = "nl";
          break;
        }
      if (g_ascii_strncasecmp (tag, "en", 2) == 0 && (tag[2] == '\0' || tag[2] == '-'))
        break;
    }
  soup_header_free_list (tags);
  return language;
}

static void
reader_language_begin (ReaderLanguage    *scope,
                       SoupServerMessage *msg,
                       GHashTable        *query)
{
  const char *language = reader_language (msg, query);

  scope->label_language = g_strdup (mw_language ());
  mw_language_set (language);
  /* English is the messages as written; Dutch needs the nl_NL.UTF-8 locale installed. */
  scope->locale = newlocale (LC_MESSAGES_MASK, g_str_equal (language, "nl") ? "nl_NL.UTF-8" : "C.UTF-8",
                             (locale_t) 0);
  if (scope->locale == (locale_t) 0)
    scope->locale = newlocale (LC_MESSAGES_MASK, "C", (locale_t) 0);
  scope->previous = scope->locale != (locale_t) 0 ? uselocale (scope->locale) : (locale_t) 0;
}

static void
reader_language_end (ReaderLanguage *scope)
{
  if (scope->locale != (locale_t) 0)
    {
      uselocale (scope->previous);
      freelocale (scope->locale);
    }
  mw_language_set (scope->label_language);
  g_free (scope->label_language);
}

/* Answers 403 and returns FALSE unless the overview may be shown to this request. */
static gboolean
overview_allowed_or_respond (MwIntake          *self,
                             SoupServerMessage *msg,
                             const char        *query_token)
{
  if (mw_intake_overview_allowed (self, soup_server_message_get_remote_address (msg), query_token,
                                  soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                "Authorization")))
    return TRUE;

  if (self->overview_token != NULL)
    respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                   _("The overview is shown on this computer, or with the operator's token: add ?token=TOKEN to the address or send “Authorization: Bearer TOKEN”"));
  else
    respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                   _("The overview is shown only on the computer that runs the intake: open it there, or ask the operator to start the intake with --overview-token TOKEN"));
  return FALSE;
}

static void
begin_page (GString *html)
{
  g_string_append_printf (html,
                          "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n<title>",
                          mw_language ());
  append_escaped (html, _("Meldwijzer intake"));
  g_string_append (html,
                   "</title>\n<style>"
                   "body{font-family:sans-serif;margin:2em}"
                   "table{border-collapse:collapse}"
                   "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
                   "</style></head><body>\n<h1>");
  append_escaped (html, _("Meldwijzer intake"));
  g_string_append (html, "</h1>\n");
}

static void
respond_page (SoupServerMessage *msg,
              const char        *content_type,
              GString           *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize length = body->len;

  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  set_common_headers (msg);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), length);
}

/* The trainer's view (GET /trainer) and its CSV (GET /trainer.csv): every report received,
 * per trainee, scored against the session's scenario. Same access as the overview. */
static void
handle_trainer (MwIntake          *self,
                SoupServerMessage *msg,
                GHashTable        *query,
                gboolean           csv)
{
  const char *query_token = query != NULL ? g_hash_table_lookup (query, "token") : NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  ReaderLanguage language;
  GString *body;

  if (!overview_allowed_or_respond (self, msg, query_token))
    return;
  if (self->trainer == NULL)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                     _("This intake runs no training session: the trainer's view needs meldwijzer-intake --training --scenario ID"));
      return;
    }

  stmt = db_prepare (self,
                     "SELECT kid, mailbox, received_at, jws FROM reports ORDER BY id LIMIT ?1",
                     &error);
  if (stmt == NULL)
    {
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", error->message);
      return;
    }
  sqlite3_bind_int (stmt, 1, TRAINER_MAX_REPORTS);

  reader_language_begin (&language, msg, query);
  mw_intake_trainer_reset (self->trainer);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *jws = g_strndup (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
      g_autoptr(GBytes) payload = NULL;
      gsize length;
      const char *data;

      if (!mw_jws_parse (jws, NULL, NULL, &payload, NULL))
        continue;
      data = g_bytes_get_data (payload, &length);
      mw_intake_trainer_add (self->trainer, (const char *) sqlite3_column_text (stmt, 0),
                             (const char *) sqlite3_column_text (stmt, 1),
                             (const char *) sqlite3_column_text (stmt, 2), data, length);
    }

  if (csv)
    {
      g_autofree char *text = mw_intake_trainer_to_csv (self->trainer);
      g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"%s.csv\"",
                                                      mw_scenario_get_id (mw_intake_trainer_get_scenario (self->trainer)));

      body = g_string_new (text);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Disposition", disposition);
      reader_language_end (&language);
      respond_page (msg, "text/csv; charset=utf-8", body);
      mw_intake_trainer_reset (self->trainer);
      return;
    }

  body = g_string_new (NULL);
  begin_page (body);
  mw_intake_trainer_append_html (self->trainer, body);
  g_string_append (body, "</body></html>\n");
  reader_language_end (&language);
  respond_page (msg, "text/html; charset=utf-8", body);
  mw_intake_trainer_reset (self->trainer);
}

void
mw_intake_set_trainer (MwIntake        *self,
                       MwIntakeTrainer *trainer)
{
  g_return_if_fail (MW_IS_INTAKE (self));
  g_return_if_fail (trainer == NULL || mw_intake_get_training (self));

  g_set_object (&self->trainer, trainer);
}

static void
handle_overview (MwIntake          *self,
                 SoupServerMessage *msg,
                 GHashTable        *query,
                 const char        *only_mailbox)
{
  g_autoptr(GString) html = NULL;
  ReaderLanguage language;
  const char *query_token = query != NULL ? g_hash_table_lookup (query, "token") : NULL;
  const char *page_text = query != NULL ? g_hash_table_lookup (query, "page") : NULL;
  guint64 page = only_mailbox != NULL ? 1 : 0;

  if (!overview_allowed_or_respond (self, msg, query_token))
    return;

  if (page_text != NULL &&
      (only_mailbox == NULL ||
       !g_ascii_string_to_unsigned (page_text, 10, 1, OVERVIEW_MAX_PAGE, &page, NULL)))
    {
      respond_errorf (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                      _("Query “page” must be a page number from 1 to %d at a mailbox's address, e.g. /NAME/?page=2"),
                      OVERVIEW_MAX_PAGE);
      return;
    }

  reader_language_begin (&language, msg, query);
  html = g_string_new (NULL);
  begin_page (html);

  if (mw_intake_get_training (self))
    {
      g_string_append (html, "<p><strong>");
      append_escaped (html, _("Training mode: these mailboxes accept practice reports only."));
      g_string_append (html, "</strong></p>\n");
    }

  {
    g_autofree char *grouped = mw_signer_format_thumbprint (self->signer);
    g_autofree char *line = g_strdup_printf (_("Receipts are signed with key %s"), grouped);

    g_string_append (html, "<p>");
    append_escaped (html, line);
    g_string_append (html, "</p>\n");
  }

  for (guint i = 0; i < self->mailboxes->len; i++)
    {
      const char *mailbox = g_ptr_array_index (self->mailboxes, i);

      if (only_mailbox == NULL || g_str_equal (only_mailbox, mailbox))
        append_mailbox_overview (self, html, mailbox, (guint) page, query_token,
                                 query != NULL ? g_hash_table_lookup (query, "lang") : NULL);
    }

  g_string_append (html, "</body></html>\n");
  reader_language_end (&language);
  respond_page (msg, "text/html; charset=utf-8", g_steal_pointer (&html));
}

/* ---------------------------------------------------------------------------------------- */
/* Routing                                                                                  */

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  RequestBody *body = user_data;
  gsize length;
  const guint8 *data = g_bytes_get_data (chunk, &length);

  if (body->overflow || body->busy)
    return;

  if (length > MW_INTAKE_MAX_BODY - body->data->len)
    {
      body->overflow = TRUE;
      body->budget->bytes -= body->data->len;
      g_byte_array_set_size (body->data, 0);
      return;
    }

  if (length > MAX_BUFFERED_BODIES - body->budget->bytes)
    {
      body->busy = TRUE;
      body->budget->bytes -= body->data->len;
      g_byte_array_set_size (body->data, 0);
      return;
    }

  body->budget->bytes += length;
  g_byte_array_append (body->data, data, length);
}

/* Called once the request headers are read, before the body: refuses what is announced to
 * be too large without reading it, and collects the rest within the bound. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  MwIntake *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  RequestBody *body;

  /* Never let libsoup collect an unbounded body: on_got_chunk keeps what fits. */
  soup_message_body_set_accumulate (request_body, FALSE);

  /* A client that sent "Expect: 100-continue" gets the 413 instead of "100 Continue" and
   * never sends the body; any other client's body is read and dropped. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MW_INTAKE_MAX_BODY)
    {
      respond_errorf (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                      _("The request body is larger than %d bytes: a report must fit in 1 MiB"),
                      MW_INTAKE_MAX_BODY);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      return;
    }

  body = g_new0 (RequestBody, 1);
  body->data = g_byte_array_new ();
  body->budget = g_rc_box_acquire (self->budget);
  g_object_set_data_full (G_OBJECT (msg), BODY_DATA_KEY, body, request_body_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), body);
}

static void
respond_method_not_allowed (SoupServerMessage *msg,
                            const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  respond_errorf (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                  _("Use %s for this address"), allow);
}

static void
server_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  MwIntake *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  RequestBody *body = g_object_get_data (G_OBJECT (msg), BODY_DATA_KEY);
  g_auto(GStrv) parts = NULL;
  guint n_parts;
  const char *mailbox;
  gboolean is_get = g_str_equal (method, SOUP_METHOD_GET) || g_str_equal (method, SOUP_METHOD_HEAD);
  gboolean is_post = g_str_equal (method, SOUP_METHOD_POST);

  if (body != NULL && body->busy)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "5");
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                     _("The intake is receiving too many reports at once: try again in a moment"));
      return;
    }

  if (g_str_equal (path, "/"))
    {
      if (!is_get)
        respond_method_not_allowed (msg, "GET");
      else
        handle_overview (self, msg, query, NULL);
      return;
    }

  if (g_str_equal (path, "/trainer") || g_str_equal (path, "/trainer.csv"))
    {
      if (!is_get)
        respond_method_not_allowed (msg, "GET");
      else
        handle_trainer (self, msg, query, g_str_equal (path, "/trainer.csv"));
      return;
    }

  /* "/<mailbox>", "/<mailbox>/" or "/<mailbox>/v1/<endpoint>" */
  parts = g_strsplit (path + 1, "/", 4);
  n_parts = g_strv_length (parts);
  mailbox = parts[0];

  if (!mw_is_mailbox_name (mailbox) || !has_mailbox (self, mailbox))
    {
      respond_errorf (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                      _("There is no mailbox at %s: check the recipient's endpoint URL"), path);
      return;
    }

  if (n_parts == 1 || (n_parts == 2 && parts[1][0] == '\0'))
    {
      if (!is_get)
        respond_method_not_allowed (msg, "GET");
      else
        handle_overview (self, msg, query, mailbox);
      return;
    }

  if (n_parts != 3 || !g_str_equal (parts[1], "v1"))
    {
      respond_errorf (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                      _("Nothing is at %s: the intake serves <mailbox>/v1/reports, /v1/keys and /v1/enrol"), path);
      return;
    }

  if (g_str_equal (parts[2], "reports"))
    {
      if (!is_post)
        respond_method_not_allowed (msg, "POST");
      else
        handle_report (self, msg, mailbox, body);
    }
  else if (g_str_equal (parts[2], "keys"))
    {
      if (!is_get)
        respond_method_not_allowed (msg, "GET");
      else
        handle_keys (self, msg);
    }
  else if (g_str_equal (parts[2], "enrol"))
    {
      if (!is_post)
        respond_method_not_allowed (msg, "POST");
      else
        handle_enrol (self, msg, mailbox, body);
    }
  else
    {
      respond_errorf (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                      _("Nothing is at %s: the intake serves <mailbox>/v1/reports, /v1/keys and /v1/enrol"), path);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Public API                                                                               */

static void
mw_intake_finalize (GObject *object)
{
  MwIntake *self = (MwIntake *) object;

  mw_intake_disconnect (self);
  g_clear_object (&self->server);
  g_clear_object (&self->signer);
  g_clear_pointer (&self->mailboxes, g_ptr_array_unref);
  g_clear_pointer (&self->regimes, g_hash_table_unref);
  g_clear_pointer (&self->budget, g_rc_box_release);
  g_clear_pointer (&self->overview_token, g_free);
  g_clear_object (&self->trainer);
  if (self->db != NULL)
    {
      sqlite3_close (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (mw_intake_parent_class)->finalize (object);
}

static void
mw_intake_class_init (MwIntakeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_intake_finalize;
}

static void
mw_intake_init (MwIntake *self)
{
  self->mailboxes = g_ptr_array_new_with_free_func (g_free);
  self->regimes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_if_set);
  self->budget = g_rc_box_new0 (BodyBudget);
}

MwIntake *
mw_intake_new (const char     *db_path,
               MwIntakeFlags   flags,
               GError        **error)
{
  g_autoptr(MwIntake) self = NULL;
  g_autofree char *key_path = NULL;

  g_return_val_if_fail (db_path != NULL && db_path[0] != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MW_TYPE_INTAKE, NULL);
  self->db_path = g_strdup (db_path);
  self->flags = flags;

  if (!open_database (self, error))
    return NULL;

  key_path = mw_intake_dup_key_path (self);
  self->signer = load_or_create_key (key_path, error);
  if (self->signer == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
mw_intake_get_training (MwIntake *self)
{
  g_return_val_if_fail (MW_IS_INTAKE (self), FALSE);

  return (self->flags & MW_INTAKE_FLAGS_TRAINING) != 0;
}

const char *
mw_intake_get_db_path (MwIntake *self)
{
  g_return_val_if_fail (MW_IS_INTAKE (self), NULL);

  return self->db_path;
}

char *
mw_intake_dup_key_path (MwIntake *self)
{
  g_return_val_if_fail (MW_IS_INTAKE (self), NULL);

  return g_strconcat (self->db_path, ".key", NULL);
}

MwSigner *
mw_intake_get_signer (MwIntake *self)
{
  g_return_val_if_fail (MW_IS_INTAKE (self), NULL);

  return self->signer;
}

gboolean
mw_intake_add_mailbox (MwIntake    *self,
                       const char  *name,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *created_at = NULL;
  gboolean training;
  int rc;

  g_return_val_if_fail (MW_IS_INTAKE (self), FALSE);

  if (!mw_is_mailbox_name (name))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("Mailbox name “%s” is not allowed: use 1 to %d letters, digits, “-”, “_” or “.”, not starting with “-” or “.”"),
                   name ? name : "", MAX_MAILBOX_NAME);
      return FALSE;
    }

  if (has_mailbox (self, name))
    return TRUE;

  if (self->mailboxes->len >= MW_INTAKE_MAX_MAILBOXES)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("An intake serves at most %d mailboxes: start another one for “%s”"),
                   MW_INTAKE_MAX_MAILBOXES, name);
      return FALSE;
    }

  training = mw_intake_get_training (self);

  stmt = db_prepare (self, "SELECT training FROM mailboxes WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      gboolean stored_training = sqlite3_column_int (stmt, 0) != 0;

      if (stored_training != training)
        {
          if (stored_training)
            g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                         _("Mailbox “%s” in %s is a training mailbox: add --training, or use another database for live reports"),
                         name, self->db_path);
          else
            g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                         _("Mailbox “%s” in %s is a live mailbox: leave out --training, or use another database for exercises"),
                         name, self->db_path);
          return FALSE;
        }
    }
  else if (rc == SQLITE_DONE)
    {
      g_clear_pointer (&stmt, sqlite3_finalize);
      created_at = now_rfc3339 ();

      stmt = db_prepare (self,
                         "INSERT OR IGNORE INTO mailboxes (name, training, created_at) VALUES (?1, ?2, ?3)",
                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, training ? 1 : 0);
      sqlite3_bind_text (stmt, 3, created_at, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          db_set_error (self, error);
          return FALSE;
        }
    }
  else
    {
      db_set_error (self, error);
      return FALSE;
    }

  g_ptr_array_add (self->mailboxes, g_strdup (name));
  return TRUE;
}

static gboolean
parse_listen_address (const char       *address,
                      GSocketAddress  **out,
                      GError          **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *host = NULL;
  const char *colon;
  const char *port_text;
  guint64 port;

  if (address == NULL)
    address = "127.0.0.1:0";

  colon = strrchr (address, ':');
  if (colon == NULL)
    goto invalid;

  if (address[0] == '[')
    {
      if (colon == address || colon[-1] != ']')
        goto invalid;
      host = g_strndup (address + 1, colon - address - 2);
    }
  else
    host = g_strndup (address, colon - address);

  port_text = colon + 1;
  if (!g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &port, NULL))
    goto invalid;

  if (g_str_equal (host, "localhost"))
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    goto invalid;

  *out = g_inet_socket_address_new (inet, (guint16) port);
  return TRUE;

invalid:
  g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
               _("Listen address “%s” is not ADDR:PORT: use e.g. 127.0.0.1:8443, [::1]:8443 or 0.0.0.0:0"),
               address);
  return FALSE;
}

gboolean
mw_intake_listen (MwIntake         *self,
                  const char       *address,
                  GTlsCertificate  *certificate,
                  GError          **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (MW_IS_INTAKE (self), FALSE);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), FALSE);

  if (self->mailboxes->len == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The intake has no mailbox: name at least one with --mailbox"));
      return FALSE;
    }

  if (!parse_listen_address (address, &socket_address, error))
    return FALSE;

  if (self->listener != NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The intake is already listening: it listens on one address"));
      return FALSE;
    }

  if (self->server == NULL)
    {
      self->server = soup_server_new ("server-header", "meldwijzer-intake ", NULL);
      soup_server_add_early_handler (self->server, NULL, early_handler, self, NULL);
      soup_server_add_handler (self->server, NULL, server_handler, self, NULL);
    }

  /* The intake accepts connections itself (mw-intake-listener.c): libsoup 3.2's listener
   * has no backlog to speak of, no connection cap and stops for good after a failed accept. */
  self->listener = mw_intake_listener_new (self->server, socket_address, certificate, error);
  if (self->listener == NULL)
    {
      g_autofree char *text = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (socket_address));

      g_prefix_error (error, _("Cannot listen on %s: "), text);
      return FALSE;
    }

  return TRUE;
}

char *
mw_intake_dup_url (MwIntake *self)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *host = NULL;
  GInetSocketAddress *inet;

  g_return_val_if_fail (MW_IS_INTAKE (self), NULL);

  if (self->listener == NULL)
    return NULL;

  address = mw_intake_listener_dup_local_address (self->listener);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;

  inet = G_INET_SOCKET_ADDRESS (address);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));

  return g_uri_join (G_URI_FLAGS_NONE,
                     mw_intake_listener_get_https (self->listener) ? "https" : "http", NULL, host,
                     g_inet_socket_address_get_port (inet), "/", NULL, NULL);
}

void
mw_intake_disconnect (MwIntake *self)
{
  g_return_if_fail (MW_IS_INTAKE (self));

  if (self->listener != NULL)
    mw_intake_listener_close (self->listener);
  g_clear_object (&self->listener);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
}
