/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Meldwijzer"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "mw-error.h"
#include "mw-json.h"
#include "mw-jws.h"
#include "mw-store.h"

G_DEFINE_QUARK (mw-store-error-quark, mw_store_error)

/* "MWJZ": marks the file as a Meldwijzer database (PRAGMA application_id). */
#define MW_STORE_APPLICATION_ID 0x4D574A5A
#define MW_STORE_BUSY_TIMEOUT_MS 5000
#define MW_STORE_MAX_SUMMARY_BYTES 1024
#define MW_STORE_MAX_SHORT_BYTES 256     /* stage, kind, received_at */
#define MW_STORE_MAX_PROFILE_BYTES (256 * 1024)
#define MW_STORE_MAX_JWK_BYTES (64 * 1024)

/*
 * Ordered migrations: migrations[i] brings the schema from version i to version i + 1.
 * Never edit a migration that has shipped; append a new one and raise
 * MW_STORE_SCHEMA_VERSION.
 */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE profile ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  json TEXT NOT NULL,"
  "  name TEXT, registration TEXT, sector TEXT, entity_type TEXT, regime TEXT,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE endpoints ("
  "  recipient TEXT NOT NULL,"
  "  training INTEGER NOT NULL CHECK (training IN (0, 1)),"
  "  url TEXT NOT NULL,"
  "  pinned_cert_pem TEXT,"
  "  pinned_jwk TEXT,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (recipient, training)"
  ");"
  "CREATE TABLE incidents ("
  "  incident_id TEXT PRIMARY KEY,"
  "  training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1)),"
  "  summary TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE reports ("
  "  report_id TEXT PRIMARY KEY,"
  "  incident_id TEXT NOT NULL REFERENCES incidents (incident_id),"
  "  state TEXT NOT NULL CHECK (state IN ('draft', 'signed')),"
  "  stage TEXT, kind TEXT, supersedes TEXT,"
  "  training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1)),"
  "  summary TEXT,"
  "  json TEXT NOT NULL,"
  "  jws TEXT,"
  "  sha256 TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  signed_at INTEGER,"
  "  CHECK ((state = 'draft' AND jws IS NULL AND sha256 IS NULL AND signed_at IS NULL) OR"
  "         (state = 'signed' AND jws IS NOT NULL AND sha256 IS NOT NULL AND signed_at IS NOT NULL))"
  ");"
  "CREATE INDEX reports_by_incident ON reports (incident_id, created_at);"
  "CREATE INDEX reports_by_state ON reports (state, updated_at);"
  "CREATE TABLE deliveries ("
  "  report_id TEXT NOT NULL REFERENCES reports (report_id),"
  "  recipient TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'manual')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL,"
  "  last_error TEXT,"
  "  note TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (report_id, recipient)"
  ");"
  "CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);"
  "CREATE TABLE receipts ("
  "  report_id TEXT NOT NULL,"
  "  recipient TEXT NOT NULL,"
  "  receipt_id TEXT NOT NULL,"
  "  jws TEXT NOT NULL,"
  "  received_at TEXT,"
  "  stored_at INTEGER NOT NULL,"
  "  PRIMARY KEY (report_id, recipient),"
  "  FOREIGN KEY (report_id, recipient) REFERENCES deliveries (report_id, recipient)"
  ");",
  /* 1 → 2: filing at a desk (DESIGN.md, "Local store and delivery"). The state "manual"
   * becomes "filed-by-hand" (the time it was recorded becomes its filed_at); the states
   * "awaiting-filing" and "forwarded" and the columns reference, filed_at (RFC 3339),
   * channel and forwarded_by are new; a live delivery still pending without a live endpoint
   * is awaiting filing. A CHECK cannot be altered, so deliveries is built anew; receipts is
   * built anew too so that its foreign key names the new table (the rename of the old one
   * rewrote it). */
  "ALTER TABLE deliveries RENAME TO deliveries_v1;"
  "CREATE TABLE deliveries ("
  "  report_id TEXT NOT NULL REFERENCES reports (report_id),"
  "  recipient TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'awaiting-filing',"
  "                                       'filed-by-hand', 'forwarded')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL,"
  "  last_error TEXT,"
  "  note TEXT,"
  "  reference TEXT,"
  "  filed_at TEXT,"
  "  channel TEXT,"
  "  forwarded_by TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (report_id, recipient)"
  ");"
  "INSERT INTO deliveries (report_id, recipient, state, attempts, next_attempt_at, last_error, note,"
  "                        filed_at, created_at, updated_at)"
  "  SELECT report_id, recipient, CASE state WHEN 'manual' THEN 'filed-by-hand' ELSE state END,"
  "         attempts, next_attempt_at, last_error, note,"
  "         CASE state WHEN 'manual'"
  "           THEN strftime ('%Y-%m-%dT%H:%M:%SZ', updated_at / 1000000, 'unixepoch') END,"
  "         created_at, updated_at"
  "  FROM deliveries_v1;"
  "UPDATE deliveries SET state = 'awaiting-filing'"
  "  WHERE state = 'pending'"
  "    AND report_id IN (SELECT report_id FROM reports WHERE training = 0)"
  "    AND NOT EXISTS (SELECT 1 FROM endpoints e WHERE e.recipient = deliveries.recipient AND e.training = 0);"
  "ALTER TABLE receipts RENAME TO receipts_v1;"
  "CREATE TABLE receipts ("
  "  report_id TEXT NOT NULL,"
  "  recipient TEXT NOT NULL,"
  "  receipt_id TEXT NOT NULL,"
  "  jws TEXT NOT NULL,"
  "  received_at TEXT,"
  "  stored_at INTEGER NOT NULL,"
  "  PRIMARY KEY (report_id, recipient),"
  "  FOREIGN KEY (report_id, recipient) REFERENCES deliveries (report_id, recipient)"
  ");"
  "INSERT INTO receipts SELECT report_id, recipient, receipt_id, jws, received_at, stored_at FROM receipts_v1;"
  "DROP TABLE receipts_v1;"
  "DROP TABLE deliveries_v1;"
  "CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);",

  /* 2 → 3: decision records (a signed decision not to report, kept with the incident) */
  "CREATE TABLE decisions ("
  "  decision_id TEXT PRIMARY KEY,"
  "  incident_id TEXT NOT NULL REFERENCES incidents (incident_id),"
  "  report_id TEXT,"
  "  json TEXT NOT NULL,"
  "  jws TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  stored_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX decisions_by_incident ON decisions (incident_id, stored_at);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == MW_STORE_SCHEMA_VERSION);

/* Prepared statements, prepared once on first use and reused. */
typedef enum {
  STMT_BEGIN_IMMEDIATE,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_UPSERT_INCIDENT,
  STMT_UPSERT_DRAFT,
  STMT_LOAD_DRAFT,
  STMT_DELETE_DRAFT,
  STMT_REPORT_STATE,
  STMT_UPSERT_SIGNED,
  STMT_INSERT_DELIVERY,
  STMT_DELIVERY_STATE,
  STMT_DELIVERY_ATTEMPT_FAILED,
  STMT_INSERT_RECEIPT,
  STMT_DELIVERY_SET_STATE,
  STMT_DELIVERY_SET_FILED,
  N_STMTS
} StmtId;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_UPSERT_INCIDENT] =
    "INSERT INTO incidents (incident_id, training, summary, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4)"
    " ON CONFLICT (incident_id) DO UPDATE SET"
    "  training = excluded.training,"
    "  summary = coalesce (excluded.summary, incidents.summary),"
    "  updated_at = excluded.updated_at",
  [STMT_UPSERT_DRAFT] =
    "INSERT INTO reports (report_id, incident_id, state, stage, kind, supersedes, training,"
    "                     summary, json, created_at, updated_at)"
    " VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"
    " ON CONFLICT (report_id) DO UPDATE SET"
    "  incident_id = excluded.incident_id, stage = excluded.stage, kind = excluded.kind,"
    "  supersedes = excluded.supersedes, training = excluded.training,"
    "  summary = excluded.summary, json = excluded.json, updated_at = excluded.updated_at"
    " WHERE reports.state = 'draft'",
  [STMT_LOAD_DRAFT] =
    "SELECT json FROM reports WHERE report_id = ?1 AND state = 'draft'",
  [STMT_DELETE_DRAFT] =
    "DELETE FROM reports WHERE report_id = ?1 AND state = 'draft'",
  [STMT_REPORT_STATE] =
    "SELECT state, jws FROM reports WHERE report_id = ?1",
  [STMT_UPSERT_SIGNED] =
    "INSERT INTO reports (report_id, incident_id, state, stage, kind, supersedes, training,"
    "                     summary, json, jws, sha256, created_at, updated_at, signed_at)"
    " VALUES (?1, ?2, 'signed', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?11)"
    " ON CONFLICT (report_id) DO UPDATE SET"
    "  incident_id = excluded.incident_id, state = 'signed', stage = excluded.stage,"
    "  kind = excluded.kind, supersedes = excluded.supersedes, training = excluded.training,"
    "  summary = excluded.summary, json = excluded.json, jws = excluded.jws,"
    "  sha256 = excluded.sha256, updated_at = excluded.updated_at,"
    "  signed_at = excluded.signed_at"
    " WHERE reports.state = 'draft'",
  [STMT_INSERT_DELIVERY] =
    "INSERT INTO deliveries (report_id, recipient, state, attempts, next_attempt_at,"
    "                        created_at, updated_at)"
    " VALUES (?1, ?2,"
    "  CASE WHEN ?4 = 0 AND NOT EXISTS (SELECT 1 FROM endpoints WHERE recipient = ?2 AND training = 0)"
    "    THEN 'awaiting-filing' ELSE 'pending' END,"
    "  0, ?3, ?3, ?3)",
  [STMT_DELIVERY_STATE] =
    "SELECT d.state, d.attempts, c.receipt_id, c.jws FROM deliveries d"
    " LEFT JOIN receipts c ON c.report_id = d.report_id AND c.recipient = d.recipient"
    " WHERE d.report_id = ?1 AND d.recipient = ?2",
  [STMT_DELIVERY_ATTEMPT_FAILED] =
    "UPDATE deliveries SET attempts = ?3, next_attempt_at = ?4, last_error = ?5,"
    " updated_at = ?6 WHERE report_id = ?1 AND recipient = ?2 AND state = 'pending'",
  [STMT_INSERT_RECEIPT] =
    "INSERT INTO receipts (report_id, recipient, receipt_id, jws, received_at, stored_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_DELIVERY_SET_STATE] =
    "UPDATE deliveries SET state = ?3, attempts = attempts + ?4,"
    " last_error = coalesce (?5, last_error), note = coalesce (?6, note), updated_at = ?7"
    " WHERE report_id = ?1 AND recipient = ?2",
  [STMT_DELIVERY_SET_FILED] =
    "UPDATE deliveries SET state = ?3, reference = ?4, filed_at = ?5, channel = ?6,"
    " forwarded_by = ?7, updated_at = ?8"
    " WHERE report_id = ?1 AND recipient = ?2",
};

struct _MwStore
{
  GObject        parent_instance;

  char          *path;
  sqlite3       *db;
  sqlite3_stmt  *stmts[N_STMTS];
  gboolean       synchronous_full;
};

G_DEFINE_FINAL_TYPE (MwStore, mw_store, G_TYPE_OBJECT)

/* A borrowed prepared statement: reset and unbound when it goes out of scope. */
typedef sqlite3_stmt MwStmt;

static void
mw_stmt_release (MwStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwStmt, mw_stmt_release)

/* ---- Row types ---- */

G_DEFINE_BOXED_TYPE (MwStoreProfile, mw_store_profile, mw_store_profile_copy, mw_store_profile_free)
G_DEFINE_BOXED_TYPE (MwStoreEndpoint, mw_store_endpoint, mw_store_endpoint_copy, mw_store_endpoint_free)
G_DEFINE_BOXED_TYPE (MwStoreIncident, mw_store_incident, mw_store_incident_copy, mw_store_incident_free)
G_DEFINE_BOXED_TYPE (MwStoreReport, mw_store_report, mw_store_report_copy, mw_store_report_free)
G_DEFINE_BOXED_TYPE (MwStoreDelivery, mw_store_delivery, mw_store_delivery_copy, mw_store_delivery_free)

MwStoreProfile *
mw_store_profile_copy (const MwStoreProfile *profile)
{
  MwStoreProfile *copy = g_new0 (MwStoreProfile, 1);

  copy->json = g_strdup (profile->json);
  copy->name = g_strdup (profile->name);
  copy->registration = g_strdup (profile->registration);
  copy->sector = g_strdup (profile->sector);
  copy->entity_type = g_strdup (profile->entity_type);
  copy->regime = g_strdup (profile->regime);
  copy->updated_at = profile->updated_at;
  return copy;
}

void
mw_store_profile_free (MwStoreProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->json);
  g_free (profile->name);
  g_free (profile->registration);
  g_free (profile->sector);
  g_free (profile->entity_type);
  g_free (profile->regime);
  g_free (profile);
}

MwStoreEndpoint *
mw_store_endpoint_new (const char *recipient,
                       gboolean    training,
                       const char *url)
{
  MwStoreEndpoint *endpoint = g_new0 (MwStoreEndpoint, 1);

  endpoint->recipient = g_strdup (recipient);
  endpoint->training = !!training;
  endpoint->url = g_strdup (url);
  return endpoint;
}

MwStoreEndpoint *
mw_store_endpoint_copy (const MwStoreEndpoint *endpoint)
{
  MwStoreEndpoint *copy = mw_store_endpoint_new (endpoint->recipient, endpoint->training, endpoint->url);

  copy->pinned_cert_pem = g_strdup (endpoint->pinned_cert_pem);
  copy->pinned_jwk = g_strdup (endpoint->pinned_jwk);
  copy->updated_at = endpoint->updated_at;
  return copy;
}

void
mw_store_endpoint_free (MwStoreEndpoint *endpoint)
{
  if (endpoint == NULL)
    return;
  g_free (endpoint->recipient);
  g_free (endpoint->url);
  g_free (endpoint->pinned_cert_pem);
  g_free (endpoint->pinned_jwk);
  g_free (endpoint);
}

MwStoreIncident *
mw_store_incident_copy (const MwStoreIncident *incident)
{
  MwStoreIncident *copy = g_memdup2 (incident, sizeof *incident);

  copy->incident_id = g_strdup (incident->incident_id);
  copy->summary = g_strdup (incident->summary);
  return copy;
}

void
mw_store_incident_free (MwStoreIncident *incident)
{
  if (incident == NULL)
    return;
  g_free (incident->incident_id);
  g_free (incident->summary);
  g_free (incident);
}

MwStoreReport *
mw_store_report_copy (const MwStoreReport *report)
{
  MwStoreReport *copy = g_memdup2 (report, sizeof *report);

  copy->report_id = g_strdup (report->report_id);
  copy->incident_id = g_strdup (report->incident_id);
  copy->stage = g_strdup (report->stage);
  copy->kind = g_strdup (report->kind);
  copy->supersedes = g_strdup (report->supersedes);
  copy->summary = g_strdup (report->summary);
  copy->json = g_strdup (report->json);
  copy->jws = g_strdup (report->jws);
  copy->sha256 = g_strdup (report->sha256);
  return copy;
}

void
mw_store_report_free (MwStoreReport *report)
{
  if (report == NULL)
    return;
  g_free (report->report_id);
  g_free (report->incident_id);
  g_free (report->stage);
  g_free (report->kind);
  g_free (report->supersedes);
  g_free (report->summary);
  g_free (report->json);
  g_free (report->jws);
  g_free (report->sha256);
  g_free (report);
}

MwStoreDelivery *
mw_store_delivery_copy (const MwStoreDelivery *delivery)
{
  MwStoreDelivery *copy = g_memdup2 (delivery, sizeof *delivery);

  copy->report_id = g_strdup (delivery->report_id);
  copy->recipient = g_strdup (delivery->recipient);
  copy->last_error = g_strdup (delivery->last_error);
  copy->note = g_strdup (delivery->note);
  copy->jws = g_strdup (delivery->jws);
  copy->sha256 = g_strdup (delivery->sha256);
  copy->url = g_strdup (delivery->url);
  copy->pinned_cert_pem = g_strdup (delivery->pinned_cert_pem);
  copy->pinned_jwk = g_strdup (delivery->pinned_jwk);
  copy->receipt_id = g_strdup (delivery->receipt_id);
  copy->receipt_jws = g_strdup (delivery->receipt_jws);
  copy->received_at = g_strdup (delivery->received_at);
  copy->reference = g_strdup (delivery->reference);
  copy->filed_at = g_strdup (delivery->filed_at);
  copy->channel = g_strdup (delivery->channel);
  copy->forwarded_by = g_strdup (delivery->forwarded_by);
  return copy;
}

void
mw_store_delivery_free (MwStoreDelivery *delivery)
{
  if (delivery == NULL)
    return;
  g_free (delivery->report_id);
  g_free (delivery->recipient);
  g_free (delivery->last_error);
  g_free (delivery->note);
  g_free (delivery->jws);
  g_free (delivery->sha256);
  g_free (delivery->url);
  g_free (delivery->pinned_cert_pem);
  g_free (delivery->pinned_jwk);
  g_free (delivery->receipt_id);
  g_free (delivery->receipt_jws);
  g_free (delivery->received_at);
  g_free (delivery->reference);
  g_free (delivery->filed_at);
  g_free (delivery->channel);
  g_free (delivery->forwarded_by);
  g_free (delivery);
}

/* ---- Small helpers ---- */

guint
mw_store_backoff_seconds (guint attempts)
{
  guint64 delay;

  if (attempts == 0)
    return 0;
  /* 5 · 2^(attempts − 1), without overflowing the shift for large counts. */
  if (attempts > 20)
    return MW_STORE_BACKOFF_MAX_SECONDS;
  delay = (guint64) MW_STORE_BACKOFF_FIRST_SECONDS << (attempts - 1);
  return (guint) MIN (delay, (guint64) MW_STORE_BACKOFF_MAX_SECONDS);
}

static void
set_db_error (MwStore    *self,
              GError    **error,
              const char *what)
{
  int code = sqlite3_extended_errcode (self->db);

  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                 _("Could not %s in the database “%s”: it is locked by another program. "
                   "Close other Meldwijzer windows and try again."),
                 what, self->path);
  else if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                 _("Could not %s in the database “%s”: the disk is full. Free some space and try again."),
                 what, self->path);
  else
    g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                 _("Could not %s in the database “%s”: %s"),
                 what, self->path, sqlite3_errmsg (self->db));
}

static MwStmt *
get_stmt (MwStore  *self,
          StmtId    id,
          GError  **error)
{
  if (self->stmts[id] == NULL &&
      sqlite3_prepare_v3 (self->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                          &self->stmts[id], NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("prepare a query"));
      return NULL;
    }
  return self->stmts[id];
}

/* Prepares a statement that is used rarely (listings); the caller finalizes it. */
static sqlite3_stmt *
prepare_once (MwStore    *self,
              const char *sql,
              GError    **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("prepare a query"));
      return NULL;
    }
  return stmt;
}

typedef sqlite3_stmt MwOwnedStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwOwnedStmt, sqlite3_finalize)

static gboolean
run_stmt (MwStore    *self,
          StmtId      id,
          const char *what,
          GError    **error)
{
  g_autoptr(MwStmt) stmt = get_stmt (self, id, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec_sql (MwStore    *self,
          const char *sql,
          const char *what,
          GError    **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
begin_write (MwStore  *self,
             GError  **error)
{
  return run_stmt (self, STMT_BEGIN_IMMEDIATE, _("start a transaction"), error);
}

static gboolean
commit (MwStore  *self,
        GError  **error)
{
  if (run_stmt (self, STMT_COMMIT, _("save the changes"), error))
    return TRUE;
  /* A failed COMMIT may leave the transaction open: end it. */
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static void
rollback (MwStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    run_stmt (self, STMT_ROLLBACK, "roll back", NULL);
}

/* synchronous=FULL for what must survive a power cut (submissions, receipts);
 * NORMAL (enough to survive a crash of the program) for drafts. */
static gboolean
set_synchronous_full (MwStore  *self,
                      gboolean  full,
                      GError  **error)
{
  if (self->synchronous_full == full)
    return TRUE;
  if (!exec_sql (self, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
                 _("set the durability level"), error))
    return FALSE;
  self->synchronous_full = full;
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Reads the columns of one row with a bound on each text; the first violation is the error. */
typedef struct {
  MwStore      *self;
  sqlite3_stmt *stmt;
  GError      **error;
  gboolean      failed;
} RowReader;

/* One row into a new record, or NULL when a column is out of bounds (the reader's error). */
typedef gpointer (*RowReadFunc) (RowReader *reader);

/* Every row of @stmt (prepared and bound), each read by @read, in a list that frees them with
 * @free_func; NULL with @error when a row is out of bounds or the database fails while doing
 * @what ("list the reports"). */
static GPtrArray *
read_rows (MwStore        *self,
           sqlite3_stmt   *stmt,
           RowReadFunc     read,
           GDestroyNotify  free_func,
           const char     *what,
           GError        **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  RowReader reader = { self, stmt, error, FALSE };
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer row = read (&reader);

      if (row == NULL)
        return NULL;
      g_ptr_array_add (list, row);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, what);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static char *
row_text (RowReader *reader,
          int        column,
          gsize      max_bytes)
{
  const unsigned char *text;
  int length;

  if (reader->failed || sqlite3_column_type (reader->stmt, column) == SQLITE_NULL)
    return NULL;
  length = sqlite3_column_bytes (reader->stmt, column);
  if (length < 0 || (gsize) length > max_bytes)
    {
      g_set_error (reader->error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                   _("The database “%s” holds a value of %d bytes in column “%s”, more than the "
                     "%zu allowed; it may be damaged."),
                   reader->self->path, length,
                   sqlite3_column_name (reader->stmt, column), (size_t) max_bytes);
      reader->failed = TRUE;
      return NULL;
    }
  text = sqlite3_column_text (reader->stmt, column);
  return g_strndup ((const char *) text, length);
}

static gint64
row_int (RowReader *reader,
         int        column)
{
  return sqlite3_column_int64 (reader->stmt, column);
}

static gboolean
check_text (const char *text,
            gsize       max_bytes,
            gboolean    required,
            const char *field,
            GError    **error)
{
  if (text == NULL || *text == '\0')
    {
      if (!required)
        return TRUE;
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("The field “%s” is missing or empty."), field);
      return FALSE;
    }
  if (strlen (text) > max_bytes)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The field “%s” is longer than %zu bytes."), field, (size_t) max_bytes);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("The field “%s” is not valid UTF-8."), field);
      return FALSE;
    }
  return TRUE;
}

/* A JSON object from outside, read by the one strict reader within the store's own bound. */
static JsonNode *
parse_object (const char *data,
              gsize       length,
              gsize       max_bytes,
              const char *what,
              GError    **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (length > max_bytes)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The %s is %zu bytes, more than the %zu allowed."),
                   what, (size_t) length, (size_t) max_bytes);
      return NULL;
    }
  root = mw_json_parse (data, length, what, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("The %s is not a JSON object."), what);
      return NULL;
    }
  return g_steal_pointer (&root);
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* What the store keeps in its own columns of a report document. */
typedef struct {
  const char *report_id;
  const char *incident_id;
  const char *stage;
  const char *kind;
  const char *supersedes;
  gboolean    training;
  char       *summary;   /* owned: bounded copy */
} ReportMeta;

static void
report_meta_clear (ReportMeta *meta)
{
  g_clear_pointer (&meta->summary, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportMeta, report_meta_clear)

static char *
bounded_summary (const char *text)
{
  const char *end;

  if (text == NULL || *text == '\0')
    return NULL;
  if (strlen (text) <= MW_STORE_MAX_SUMMARY_BYTES)
    return g_strdup (text);
  end = g_utf8_find_prev_char (text, text + MW_STORE_MAX_SUMMARY_BYTES + 1);
  return g_strndup (text, end != NULL ? (gsize) (end - text) : 0);
}

static gboolean
report_meta_read (JsonNode   *root,
                  ReportMeta *meta,
                  GError    **error)
{
  JsonObject *object = json_node_get_object (root);
  JsonNode *training = json_object_get_member (object, "training");
  JsonNode *nature = json_object_get_member (object, "nature");

  meta->report_id = object_string (object, "report_id");
  meta->incident_id = object_string (object, "incident_id");
  meta->stage = object_string (object, "stage");
  meta->kind = object_string (object, "kind");
  meta->supersedes = object_string (object, "supersedes");
  meta->training = training != NULL && JSON_NODE_HOLDS_VALUE (training) &&
                   json_node_get_value_type (training) == G_TYPE_BOOLEAN &&
                   json_node_get_boolean (training);
  if (nature != NULL && JSON_NODE_HOLDS_OBJECT (nature))
    meta->summary = bounded_summary (object_string (json_node_get_object (nature), "summary"));

  return check_text (meta->report_id, MW_STORE_MAX_ID_BYTES, TRUE, "report_id", error) &&
         check_text (meta->incident_id, MW_STORE_MAX_ID_BYTES, TRUE, "incident_id", error) &&
         check_text (meta->stage, MW_STORE_MAX_SHORT_BYTES, FALSE, "stage", error) &&
         check_text (meta->kind, MW_STORE_MAX_SHORT_BYTES, FALSE, "kind", error) &&
         check_text (meta->supersedes, MW_STORE_MAX_ID_BYTES, FALSE, "supersedes", error);
}

static gboolean
upsert_incident (MwStore          *self,
                 const ReportMeta *meta,
                 gint64            now,
                 GError          **error)
{
  g_autoptr(MwStmt) stmt = get_stmt (self, STMT_UPSERT_INCIDENT, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, meta->incident_id);
  sqlite3_bind_int (stmt, 2, meta->training);
  bind_text (stmt, 3, meta->summary);
  sqlite3_bind_int64 (stmt, 4, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("save the incident"));
      return FALSE;
    }
  return TRUE;
}

/* ---- Opening ---- */

static void
mw_store_finalize (GObject *object)
{
  MwStore *self = (MwStore *)object;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (mw_store_parent_class)->finalize (object);
}

static void
mw_store_class_init (MwStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_store_finalize;
}

static void
mw_store_init (MwStore *self)
{
}

char *
mw_store_get_default_path (void)
{
  const char *env = g_getenv ("MELDWIJZER_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "meldwijzer", "meldwijzer.db", NULL);
}

static gint64
query_int (sqlite3    *db,
           const char *sql,
           int        *rc)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  *rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (*rc == SQLITE_OK)
    {
      *rc = sqlite3_step (stmt);
      if (*rc == SQLITE_ROW)
        {
          value = sqlite3_column_int64 (stmt, 0);
          *rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  return value;
}

static void
set_unusable_error (GError    **error,
                    const char *path,
                    const char *reason)
{
  g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
               _("The database “%s” cannot be used: %s. It was left unchanged; move it "
                 "aside (or restore a backup) and start Meldwijzer again to begin a new one."),
               path, reason);
}

/* Looks at the first bytes of the file without SQLite: is it empty or missing (a new
 * database: *exists = FALSE), a SQLite file (*exists = TRUE), or something else? */
static gboolean
check_header (const char  *path,
              gboolean    *exists,
              GError     **error)
{
  static const char magic[16] = "SQLite format 3";   /* with its terminating NUL */
  char header[16];
  ssize_t n_read;
  int fd;

  *exists = FALSE;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;
      g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE, _("Could not open the database “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  n_read = read (fd, header, sizeof header);
  close (fd);
  if (n_read == 0)
    return TRUE;   /* an empty file: a new database */
  if (n_read != sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      set_unusable_error (error, path, _("it is not a SQLite database, or it is damaged"));
      return FALSE;
    }
  *exists = TRUE;
  return TRUE;
}

/* Checks an existing database before anything writes to it (only reads; after a crash
 * SQLite may rebuild its WAL index): ours or empty, not newer than this build, not damaged. */
static gboolean
check_existing (sqlite3     *db,
                const char  *path,
                GError     **error)
{
  gint64 version, application_id = 0, n_objects = 0;
  int rc;

  version = query_int (db, "PRAGMA user_version", &rc);
  if (rc == SQLITE_OK)
    application_id = query_int (db, "PRAGMA application_id", &rc);
  if (rc == SQLITE_OK)
    n_objects = query_int (db, "SELECT count(*) FROM sqlite_schema", &rc);
  if (rc != SQLITE_OK)
    {
      g_autofree char *reason = g_strdup_printf (_("it is damaged (%s)"), sqlite3_errmsg (db));

      set_unusable_error (error, path, reason);
      return FALSE;
    }

  if (application_id != 0 && application_id != MW_STORE_APPLICATION_ID)
    {
      set_unusable_error (error, path, _("it belongs to another program"));
      return FALSE;
    }
  if (version > MW_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                   _("The database “%s” was written by a newer version of Meldwijzer (schema %d; "
                     "this version knows up to %d). It was left unchanged: install the newer "
                     "version again to use it."),
                   path, (int) version, MW_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (version == 0 && n_objects > 0)
    {
      set_unusable_error (error, path, _("it is not a Meldwijzer database"));
      return FALSE;
    }

  if (n_objects > 0)
    {
      sqlite3_stmt *stmt = NULL;

      rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW ||
          g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
        {
          /* SQLite's own report: one line, bounded, valid UTF-8. */
          const char *text = rc == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 0)
                                              : sqlite3_errmsg (db);
          g_autofree char *detail = g_utf8_make_valid (text != NULL ? text : "?",
                                                       text != NULL ? (gssize) strnlen (text, 200) : -1);
          g_autofree char *reason = NULL;

          g_strdelimit (detail, "\r\n\t", ' ');
          reason = g_strdup_printf (_("it is damaged (%s)"), detail);
          sqlite3_finalize (stmt);
          set_unusable_error (error, path, reason);
          return FALSE;
        }
      sqlite3_finalize (stmt);
    }

  return TRUE;
}

static gboolean
migrate (MwStore  *self,
         GError  **error)
{
  gint64 version;
  int rc;

  if (!exec_sql (self, "BEGIN IMMEDIATE", _("start the schema update"), error))
    return FALSE;

  /* Read again inside the write transaction: another process may have migrated. */
  version = query_int (self->db, "PRAGMA user_version", &rc);
  if (rc != SQLITE_OK)
    {
      set_db_error (self, error, _("read the schema version"));
      goto fail;
    }
  if (version > MW_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                   _("The database “%s” was written by a newer version of Meldwijzer (schema %d; "
                     "this version knows up to %d). It was left unchanged: install the newer "
                     "version again to use it."),
                   self->path, (int) version, MW_STORE_SCHEMA_VERSION);
      goto fail;
    }

  for (gint64 v = version; v < MW_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", (int) v + 1);

      g_debug ("Migrating %s from schema %d to %d", self->path, (int) v, (int) v + 1);
      if (!exec_sql (self, migrations[v], _("update the schema"), error) ||
          !exec_sql (self, set_version, _("update the schema"), error))
        goto fail;
    }
  if (version < MW_STORE_SCHEMA_VERSION)
    {
      g_autofree char *set_id = g_strdup_printf ("PRAGMA application_id = %d", MW_STORE_APPLICATION_ID);

      if (!exec_sql (self, set_id, _("update the schema"), error))
        goto fail;
    }

  return exec_sql (self, "COMMIT", _("update the schema"), error);

fail:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* The database holds reports before anyone else may see them: only its owner may read it.
 * The file is created 0600 before SQLite opens it, and SQLite gives its -wal and -shm files
 * the database's mode; files from before this rule are tightened. */
static gboolean
make_private (const char  *path,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!mw_file_make_private (path, &local_error))
    {
      g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE, _("Could not open the database “%s”: %s"),
                   path, local_error->message);
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *side = g_strconcat (path, i == 0 ? "-wal" : "-shm", NULL);
      GStatBuf st;

      if (g_lstat (side, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0077) != 0)
        g_chmod (side, st.st_mode & 0700);
    }
  return TRUE;
}

MwStore *
mw_store_new_for_path (const char  *path,
                       GError     **error)
{
  g_autoptr(MwStore) self = NULL;
  g_autofree char *dir = NULL;
  gboolean exists;
  gint64 journal_ok;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                   _("Could not create the folder “%s” for the database: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  if (!check_header (path, &exists, error) || !make_private (path, error))
    return NULL;

  self = g_object_new (MW_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (exists ? 0 : SQLITE_OPEN_CREATE),
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE, _("Could not open the database “%s”: %s"),
                   path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, MW_STORE_BUSY_TIMEOUT_MS);

  /* SQLite silently falls back to read-only for a write-protected file. */
  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                   _("The database “%s” is read-only: give your user write permission on it "
                     "and on its folder."),
                   path);
      return NULL;
    }

  if (exists && !check_existing (self->db, path, error))
    {
      /* Refused: closing must not copy anything from a write-ahead log into the file. */
      sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
      return NULL;
    }

  /* journal_mode returns the mode in effect: anything but "wal" is an error. */
  {
    sqlite3_stmt *stmt = NULL;

    journal_ok = 0;
    if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW &&
        g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0)
      journal_ok = 1;
    sqlite3_finalize (stmt);
    if (!journal_ok)
      {
        set_db_error (self, error, _("switch to write-ahead logging"));
        return NULL;
      }
  }

  if (!exec_sql (self, "PRAGMA foreign_keys = ON", _("enable foreign keys"), error) ||
      !exec_sql (self, "PRAGMA synchronous = NORMAL", _("set the durability level"), error) ||
      !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

MwStore *
mw_store_new (GError **error)
{
  g_autofree char *path = mw_store_get_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  const char *env = g_getenv ("MELDWIJZER_DB");
  GStatBuf st;

  /* Meldwijzer's own folder is private (a folder given by MELDWIJZER_DB is left as it is,
   * unless it is created here). */
  if ((env == NULL || *env == '\0') && g_stat (dir, &st) == 0 && (st.st_mode & 0077) != 0)
    g_chmod (dir, 0700);

  return mw_store_new_for_path (path, error);
}

const char *
mw_store_get_path (MwStore *self)
{
  g_return_val_if_fail (MW_IS_STORE (self), NULL);
  return self->path;
}

/* ---- Profile ---- */

gboolean
mw_store_set_profile (MwStore     *self,
                      const char  *profile_json,
                      GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwOwnedStmt) stmt = NULL;
  JsonObject *object;
  const char *fields[] = { "name", "registration", "sector", "entity_type", "regime" };

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (profile_json != NULL, FALSE);

  root = parse_object (profile_json, strlen (profile_json), MW_STORE_MAX_PROFILE_BYTES,
                       _("organisation profile"), error);
  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);

  stmt = prepare_once (self,
                       "INSERT INTO profile (id, json, name, registration, sector, entity_type, regime, updated_at)"
                       " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                       " ON CONFLICT (id) DO UPDATE SET json = excluded.json, name = excluded.name,"
                       "  registration = excluded.registration, sector = excluded.sector,"
                       "  entity_type = excluded.entity_type, regime = excluded.regime,"
                       "  updated_at = excluded.updated_at",
                       error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, profile_json);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = object_string (object, fields[i]);

      if (!check_text (value, MW_STORE_MAX_SUMMARY_BYTES, FALSE, fields[i], error))
        return FALSE;
      bind_text (stmt, i + 2, value);
    }
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("save the organisation profile"));
      return FALSE;
    }
  return TRUE;
}

MwStoreProfile *
mw_store_get_profile (MwStore  *self,
                      GError  **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;
  g_autoptr(MwStoreProfile) profile = NULL;
  RowReader reader = { self, NULL, error, FALSE };
  int rc;

  g_return_val_if_fail (MW_IS_STORE (self), NULL);

  stmt = prepare_once (self,
                       "SELECT json, name, registration, sector, entity_type, regime, updated_at"
                       " FROM profile WHERE id = 1",
                       error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, _("read the organisation profile"));
      return NULL;
    }
  reader.stmt = stmt;
  profile = g_new0 (MwStoreProfile, 1);
  profile->json = row_text (&reader, 0, MW_STORE_MAX_PROFILE_BYTES);
  profile->name = row_text (&reader, 1, MW_STORE_MAX_SUMMARY_BYTES);
  profile->registration = row_text (&reader, 2, MW_STORE_MAX_SUMMARY_BYTES);
  profile->sector = row_text (&reader, 3, MW_STORE_MAX_SUMMARY_BYTES);
  profile->entity_type = row_text (&reader, 4, MW_STORE_MAX_SUMMARY_BYTES);
  profile->regime = row_text (&reader, 5, MW_STORE_MAX_SUMMARY_BYTES);
  profile->updated_at = row_int (&reader, 6);
  if (reader.failed)
    return NULL;
  return g_steal_pointer (&profile);
}

/* ---- Endpoints ---- */

static gboolean
check_url (const char  *url,
           GError     **error)
{
  if (!check_text (url, MW_STORE_MAX_URL_BYTES, TRUE, "url", error))
    return FALSE;
  if (!(g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")) ||
      !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The endpoint URL “%s” is not an http(s) URL such as https://csirt.example/intake."),
                   url);
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_store_set_endpoint (MwStore                *self,
                       const MwStoreEndpoint  *endpoint,
                       GError                **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (endpoint != NULL, FALSE);

  if (!check_text (endpoint->recipient, MW_STORE_MAX_ID_BYTES, TRUE, "recipient", error) ||
      !check_url (endpoint->url, error) ||
      !check_text (endpoint->pinned_cert_pem, MW_STORE_MAX_PEM_BYTES, FALSE, "pinned certificate", error) ||
      !check_text (endpoint->pinned_jwk, MW_STORE_MAX_JWK_BYTES, FALSE, "pinned key", error))
    return FALSE;

  stmt = prepare_once (self,
                       "INSERT INTO endpoints (recipient, training, url, pinned_cert_pem, pinned_jwk, updated_at)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                       " ON CONFLICT (recipient, training) DO UPDATE SET url = excluded.url,"
                       "  pinned_cert_pem = excluded.pinned_cert_pem, pinned_jwk = excluded.pinned_jwk,"
                       "  updated_at = excluded.updated_at",
                       error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, endpoint->recipient);
  sqlite3_bind_int (stmt, 2, !!endpoint->training);
  bind_text (stmt, 3, endpoint->url);
  bind_text (stmt, 4, endpoint->pinned_cert_pem && *endpoint->pinned_cert_pem ? endpoint->pinned_cert_pem : NULL);
  bind_text (stmt, 5, endpoint->pinned_jwk && *endpoint->pinned_jwk ? endpoint->pinned_jwk : NULL);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("save the endpoint"));
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_store_set_endpoint_pinned_jwk (MwStore     *self,
                                  const char  *recipient,
                                  gboolean     training,
                                  const char  *pinned_jwk,
                                  GError     **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);

  if (!check_text (recipient, MW_STORE_MAX_ID_BYTES, TRUE, "recipient", error) ||
      !check_text (pinned_jwk, MW_STORE_MAX_JWK_BYTES, FALSE, "pinned key", error))
    return FALSE;

  stmt = prepare_once (self,
                       "UPDATE endpoints SET pinned_jwk = ?3, updated_at = ?4"
                       " WHERE recipient = ?1 AND training = ?2",
                       error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, recipient);
  sqlite3_bind_int (stmt, 2, !!training);
  bind_text (stmt, 3, pinned_jwk && *pinned_jwk ? pinned_jwk : NULL);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("save the endpoint"));
      return FALSE;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("No %s endpoint is configured for the recipient “%s”; set one first."),
                   training ? _("training") : _("live"), recipient);
      return FALSE;
    }
  return TRUE;
}

static MwStoreEndpoint *
read_endpoint (RowReader *reader)
{
  g_autoptr(MwStoreEndpoint) endpoint = g_new0 (MwStoreEndpoint, 1);

  endpoint->recipient = row_text (reader, 0, MW_STORE_MAX_ID_BYTES);
  endpoint->training = row_int (reader, 1) != 0;
  endpoint->url = row_text (reader, 2, MW_STORE_MAX_URL_BYTES);
  endpoint->pinned_cert_pem = row_text (reader, 3, MW_STORE_MAX_PEM_BYTES);
  endpoint->pinned_jwk = row_text (reader, 4, MW_STORE_MAX_JWK_BYTES);
  endpoint->updated_at = row_int (reader, 5);
  if (reader->failed)
    return NULL;
  return g_steal_pointer (&endpoint);
}

#define ENDPOINT_COLUMNS "recipient, training, url, pinned_cert_pem, pinned_jwk, updated_at"

MwStoreEndpoint *
mw_store_get_endpoint (MwStore     *self,
                       const char  *recipient,
                       gboolean     training,
                       GError     **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;
  RowReader reader = { self, NULL, error, FALSE };
  int rc;

  g_return_val_if_fail (MW_IS_STORE (self), NULL);
  g_return_val_if_fail (recipient != NULL, NULL);

  stmt = prepare_once (self, "SELECT " ENDPOINT_COLUMNS " FROM endpoints WHERE recipient = ?1 AND training = ?2",
                       error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, recipient);
  sqlite3_bind_int (stmt, 2, !!training);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("No %s endpoint is configured for the recipient “%s”."),
                   training ? _("training") : _("live"), recipient);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, _("read the endpoint"));
      return NULL;
    }
  reader.stmt = stmt;
  return read_endpoint (&reader);
}

GPtrArray *
mw_store_list_endpoints (MwStore  *self,
                         GError  **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), NULL);

  stmt = prepare_once (self, "SELECT " ENDPOINT_COLUMNS " FROM endpoints ORDER BY recipient, training", error);
  if (stmt == NULL)
    return NULL;
  return read_rows (self, stmt, (RowReadFunc) read_endpoint, (GDestroyNotify) mw_store_endpoint_free,
                    _("list the endpoints"), error);
}

gboolean
mw_store_delete_endpoint (MwStore     *self,
                          const char  *recipient,
                          gboolean     training,
                          GError     **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (recipient != NULL, FALSE);

  stmt = prepare_once (self, "DELETE FROM endpoints WHERE recipient = ?1 AND training = ?2", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, recipient);
  sqlite3_bind_int (stmt, 2, !!training);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("delete the endpoint"));
      return FALSE;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("No %s endpoint is configured for the recipient “%s”."),
                   training ? _("training") : _("live"), recipient);
      return FALSE;
    }
  return TRUE;
}

/* ---- Drafts ---- */

gboolean
mw_store_save_draft (MwStore     *self,
                     const char  *report_json,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(ReportMeta) meta = { 0 };
  gint64 now = g_get_real_time ();
  gsize length;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (report_json != NULL, FALSE);

  length = strlen (report_json);
  root = parse_object (report_json, length, MW_STORE_MAX_JSON_BYTES, _("draft report"), error);
  if (root == NULL || !report_meta_read (root, &meta, error))
    return FALSE;

  if (!set_synchronous_full (self, FALSE, error) || !begin_write (self, error))
    return FALSE;

  if (!upsert_incident (self, &meta, now, error))
    goto fail;

  {
    g_autoptr(MwStmt) stmt = get_stmt (self, STMT_UPSERT_DRAFT, error);

    if (stmt == NULL)
      goto fail;
    bind_text (stmt, 1, meta.report_id);
    bind_text (stmt, 2, meta.incident_id);
    bind_text (stmt, 3, meta.stage);
    bind_text (stmt, 4, meta.kind);
    bind_text (stmt, 5, meta.supersedes);
    sqlite3_bind_int (stmt, 6, meta.training);
    bind_text (stmt, 7, meta.summary);
    sqlite3_bind_text (stmt, 8, report_json, length, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 9, now);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        set_db_error (self, error, _("save the draft"));
        goto fail;
      }
    if (sqlite3_changes (self->db) == 0)
      {
        g_set_error (error, MW_ERROR, MW_ERROR_EXISTS,
                     _("The report %s is already signed and cannot be changed; "
                       "write a follow-up report instead."),
                     meta.report_id);
        goto fail;
      }
  }

  return commit (self, error);

fail:
  rollback (self);
  return FALSE;
}

char *
mw_store_load_draft (MwStore     *self,
                     const char  *report_id,
                     GError     **error)
{
  g_autoptr(MwStmt) stmt = NULL;
  RowReader reader = { self, NULL, error, FALSE };
  int rc;

  g_return_val_if_fail (MW_IS_STORE (self), NULL);
  g_return_val_if_fail (report_id != NULL, NULL);

  stmt = get_stmt (self, STMT_LOAD_DRAFT, error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, report_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND, _("There is no draft with report_id %s."), report_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, _("read the draft"));
      return NULL;
    }
  reader.stmt = stmt;
  return row_text (&reader, 0, MW_STORE_MAX_JSON_BYTES);
}

gboolean
mw_store_delete_draft (MwStore     *self,
                       const char  *report_id,
                       GError     **error)
{
  g_autoptr(MwStmt) stmt = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (report_id != NULL, FALSE);

  stmt = get_stmt (self, STMT_DELETE_DRAFT, error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, report_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("delete the draft"));
      return FALSE;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("There is no draft with report_id %s (a signed report is never deleted)."), report_id);
      return FALSE;
    }
  return TRUE;
}

#define REPORT_COLUMNS \
  "report_id, incident_id, state, stage, kind, supersedes, training, summary, json, jws, sha256," \
  " created_at, updated_at, coalesce (signed_at, 0)"

static MwStoreReport *
read_report (RowReader *reader)
{
  g_autoptr(MwStoreReport) report = g_new0 (MwStoreReport, 1);
  g_autofree char *state = NULL;

  report->report_id = row_text (reader, 0, MW_STORE_MAX_ID_BYTES);
  report->incident_id = row_text (reader, 1, MW_STORE_MAX_ID_BYTES);
  state = row_text (reader, 2, MW_STORE_MAX_SHORT_BYTES);
  report->signed_ = g_strcmp0 (state, "signed") == 0;
  report->stage = row_text (reader, 3, MW_STORE_MAX_SHORT_BYTES);
  report->kind = row_text (reader, 4, MW_STORE_MAX_SHORT_BYTES);
  report->supersedes = row_text (reader, 5, MW_STORE_MAX_ID_BYTES);
  report->training = row_int (reader, 6) != 0;
  report->summary = row_text (reader, 7, MW_STORE_MAX_SUMMARY_BYTES);
  report->json = row_text (reader, 8, MW_STORE_MAX_JSON_BYTES);
  report->jws = row_text (reader, 9, MW_STORE_MAX_JWS_BYTES);
  report->sha256 = row_text (reader, 10, MW_STORE_MAX_SHORT_BYTES);
  report->created_at = row_int (reader, 11);
  report->updated_at = row_int (reader, 12);
  report->signed_at = row_int (reader, 13);
  if (reader->failed)
    return NULL;
  return g_steal_pointer (&report);
}

static GPtrArray *
list_reports (MwStore    *self,
              const char *sql,
              const char *param,
              GError    **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;

  stmt = prepare_once (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (param != NULL)
    bind_text (stmt, 1, param);
  return read_rows (self, stmt, (RowReadFunc) read_report, (GDestroyNotify) mw_store_report_free,
                    _("list the reports"), error);
}

GPtrArray *
mw_store_list_drafts (MwStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (MW_IS_STORE (self), NULL);

  return list_reports (self,
                       "SELECT " REPORT_COLUMNS " FROM reports WHERE state = 'draft'"
                       " ORDER BY updated_at DESC, report_id",
                       NULL, error);
}

GPtrArray *
mw_store_list_incident_reports (MwStore     *self,
                                const char  *incident_id,
                                GError     **error)
{
  g_return_val_if_fail (MW_IS_STORE (self), NULL);
  g_return_val_if_fail (incident_id != NULL, NULL);

  return list_reports (self,
                       "SELECT " REPORT_COLUMNS " FROM reports WHERE incident_id = ?1"
                       " ORDER BY state = 'draft', coalesce (signed_at, created_at), report_id",
                       incident_id, error);
}

GPtrArray *
mw_store_list_all_reports (MwStore  *self,
                           GError  **error)
{
  g_return_val_if_fail (MW_IS_STORE (self), NULL);

  return list_reports (self,
                       "SELECT " REPORT_COLUMNS " FROM reports"
                       " ORDER BY incident_id, state = 'draft', coalesce (signed_at, created_at), report_id",
                       NULL, error);
}

MwStoreReport *
mw_store_get_report (MwStore     *self,
                     const char  *report_id,
                     GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), NULL);
  g_return_val_if_fail (report_id != NULL, NULL);

  list = list_reports (self, "SELECT " REPORT_COLUMNS " FROM reports WHERE report_id = ?1",
                       report_id, error);
  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND, _("There is no report with report_id %s."), report_id);
      return NULL;
    }
  return g_ptr_array_steal_index (list, 0);
}

static MwStoreIncident *
read_incident (RowReader *reader)
{
  g_autoptr(MwStoreIncident) incident = g_new0 (MwStoreIncident, 1);

  incident->incident_id = row_text (reader, 0, MW_STORE_MAX_ID_BYTES);
  incident->summary = row_text (reader, 1, MW_STORE_MAX_SUMMARY_BYTES);
  incident->training = row_int (reader, 2) != 0;
  incident->created_at = row_int (reader, 3);
  incident->updated_at = row_int (reader, 4);
  incident->n_reports = (guint) row_int (reader, 5);
  if (reader->failed)
    return NULL;
  return g_steal_pointer (&incident);
}

GPtrArray *
mw_store_list_incidents (MwStore  *self,
                         GError  **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), NULL);

  stmt = prepare_once (self,
                       "SELECT i.incident_id, i.summary, i.training, i.created_at, i.updated_at,"
                       "  (SELECT count(*) FROM reports r WHERE r.incident_id = i.incident_id)"
                       " FROM incidents i ORDER BY i.updated_at DESC, i.incident_id",
                       error);
  if (stmt == NULL)
    return NULL;
  return read_rows (self, stmt, (RowReadFunc) read_incident, (GDestroyNotify) mw_store_incident_free,
                    _("list the incidents"), error);
}

/* ---- Submitting ---- */

/* A compact JWS read by the one strict reader (mw_jws_read()): the store keeps the JWS
 * itself, without the line end a file may have added. */
static MwJws *
read_jws (const char  *text,
          const char  *what,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  MwJws *jws = mw_jws_read (text, &local_error);

  if (jws == NULL)
    g_set_error (error, MW_ERROR,
                 g_error_matches (local_error, MW_ERROR, MW_ERROR_TOO_LARGE) ? MW_ERROR_TOO_LARGE : MW_ERROR_INVALID,
                 _("The %s cannot be stored. %s"), what, local_error->message);
  return jws;
}

gboolean
mw_store_submit (MwStore             *self,
                 const char          *jws,
                 const char * const  *recipients,
                 GError             **error)
{
  g_autoptr(MwJws) parsed = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *sha256 = NULL;
  g_auto(ReportMeta) meta = { 0 };
  gsize jws_length, json_length;
  const char *json;
  gint64 now = g_get_real_time ();
  gboolean ok = FALSE;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (jws != NULL, FALSE);

  parsed = read_jws (jws, _("signed report"), error);
  if (parsed == NULL)
    return FALSE;
  jws_length = parsed->length;

  json = g_bytes_get_data (parsed->payload, &json_length);
  if (json_length == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("The payload of the signed report is not UTF-8 JSON text."));
      return FALSE;
    }
  root = parse_object (json, json_length, MW_STORE_MAX_JSON_BYTES, _("signed report payload"), error);
  if (root == NULL || !report_meta_read (root, &meta, error))
    return FALSE;

  if (recipients == NULL || recipients[0] == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The report %s has no recipients; the regime names at least one."), meta.report_id);
      return FALSE;
    }
  for (guint i = 0; recipients[i] != NULL; i++)
    {
      if (!check_text (recipients[i], MW_STORE_MAX_ID_BYTES, TRUE, "recipient", error))
        return FALSE;
      if (!g_hash_table_add (seen, (gpointer) recipients[i]))
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                       _("The recipient “%s” is listed twice."), recipients[i]);
          return FALSE;
        }
    }

  sha256 = mw_sha256_hex ((const guint8 *) jws, jws_length);

  if (!set_synchronous_full (self, TRUE, error))
    return FALSE;
  if (!begin_write (self, error))
    goto out;

  /* Already signed? The same bytes again is a retry after a crash: nothing to do. */
  {
    g_autoptr(MwStmt) stmt = get_stmt (self, STMT_REPORT_STATE, error);
    int rc;

    if (stmt == NULL)
      goto fail;
    bind_text (stmt, 1, meta.report_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "signed") == 0)
      {
        gboolean same = (gsize) sqlite3_column_bytes (stmt, 1) == jws_length &&
                        memcmp (sqlite3_column_text (stmt, 1), jws, jws_length) == 0;

        if (!same)
          {
            g_set_error (error, MW_ERROR, MW_ERROR_EXISTS,
                         _("The report %s was already signed and stored with other contents; "
                           "a signed report is never replaced. Write a follow-up report instead."),
                         meta.report_id);
            goto fail;
          }
        ok = commit (self, error);
        goto out;
      }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      {
        set_db_error (self, error, _("look up the report"));
        goto fail;
      }
  }

  if (!upsert_incident (self, &meta, now, error))
    goto fail;

  {
    g_autoptr(MwStmt) stmt = get_stmt (self, STMT_UPSERT_SIGNED, error);

    if (stmt == NULL)
      goto fail;
    bind_text (stmt, 1, meta.report_id);
    bind_text (stmt, 2, meta.incident_id);
    bind_text (stmt, 3, meta.stage);
    bind_text (stmt, 4, meta.kind);
    bind_text (stmt, 5, meta.supersedes);
    sqlite3_bind_int (stmt, 6, meta.training);
    bind_text (stmt, 7, meta.summary);
    sqlite3_bind_text (stmt, 8, json, json_length, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 9, jws, jws_length, SQLITE_STATIC);
    bind_text (stmt, 10, sha256);
    sqlite3_bind_int64 (stmt, 11, now);
    if (sqlite3_step (stmt) != SQLITE_DONE || sqlite3_changes (self->db) != 1)
      {
        set_db_error (self, error, _("store the signed report"));
        goto fail;
      }
  }

  for (guint i = 0; recipients[i] != NULL; i++)
    {
      g_autoptr(MwStmt) stmt = get_stmt (self, STMT_INSERT_DELIVERY, error);

      if (stmt == NULL)
        goto fail;
      bind_text (stmt, 1, meta.report_id);
      bind_text (stmt, 2, recipients[i]);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_int (stmt, 4, meta.training);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          set_db_error (self, error, _("store a delivery"));
          goto fail;
        }
    }

  ok = commit (self, error);
  goto out;

fail:
  rollback (self);
out:
  /* Back to the cheap level for drafts; a failure here only costs speed. */
  set_synchronous_full (self, FALSE, NULL);
  return ok;
}

/* ---- Deliveries ---- */

#define DELIVERY_SELECT \
  "SELECT d.report_id, d.recipient, d.state, d.attempts, d.next_attempt_at, d.last_error, d.note," \
  "  d.updated_at, r.jws, r.sha256, r.training, e.url, e.pinned_cert_pem, e.pinned_jwk," \
  "  c.receipt_id, c.jws, c.received_at, d.reference, d.filed_at, d.channel, d.forwarded_by" \
  " FROM deliveries d JOIN reports r ON r.report_id = d.report_id" \
  " LEFT JOIN endpoints e ON e.recipient = d.recipient AND e.training = r.training" \
  " LEFT JOIN receipts c ON c.report_id = d.report_id AND c.recipient = d.recipient"

static MwStoreDelivery *
read_delivery (RowReader *reader)
{
  g_autoptr(MwStoreDelivery) delivery = g_new0 (MwStoreDelivery, 1);
  g_autofree char *state = NULL;

  delivery->report_id = row_text (reader, 0, MW_STORE_MAX_ID_BYTES);
  delivery->recipient = row_text (reader, 1, MW_STORE_MAX_ID_BYTES);
  state = row_text (reader, 2, MW_STORE_MAX_SHORT_BYTES);
  delivery->attempts = (guint) CLAMP (row_int (reader, 3), 0, G_MAXUINT);
  delivery->next_attempt_at = row_int (reader, 4);
  delivery->last_error = row_text (reader, 5, MW_STORE_MAX_ERROR_BYTES);
  delivery->note = row_text (reader, 6, MW_STORE_MAX_ERROR_BYTES);
  delivery->updated_at = row_int (reader, 7);
  delivery->jws = row_text (reader, 8, MW_STORE_MAX_JWS_BYTES);
  delivery->sha256 = row_text (reader, 9, MW_STORE_MAX_SHORT_BYTES);
  delivery->training = row_int (reader, 10) != 0;
  delivery->url = row_text (reader, 11, MW_STORE_MAX_URL_BYTES);
  delivery->pinned_cert_pem = row_text (reader, 12, MW_STORE_MAX_PEM_BYTES);
  delivery->pinned_jwk = row_text (reader, 13, MW_STORE_MAX_JWK_BYTES);
  delivery->receipt_id = row_text (reader, 14, MW_STORE_MAX_ID_BYTES);
  delivery->receipt_jws = row_text (reader, 15, MW_STORE_MAX_JWS_BYTES);
  delivery->received_at = row_text (reader, 16, MW_STORE_MAX_SHORT_BYTES);
  delivery->reference = row_text (reader, 17, MW_STORE_MAX_REFERENCE_BYTES);
  delivery->filed_at = row_text (reader, 18, MW_STORE_MAX_SHORT_BYTES);
  delivery->channel = row_text (reader, 19, MW_STORE_MAX_ID_BYTES);
  delivery->forwarded_by = row_text (reader, 20, MW_STORE_MAX_ID_BYTES);
  if (reader->failed)
    return NULL;
  if (!mw_delivery_state_from_string (state, &delivery->state))
    {
      g_set_error (reader->error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                   _("The database “%s” holds an unknown delivery state; it may be damaged."),
                   reader->self->path);
      reader->failed = TRUE;
      return NULL;
    }
  return g_steal_pointer (&delivery);
}

static GPtrArray *
list_deliveries (MwStore    *self,
                 const char *sql,
                 const char *report_id,
                 const char *recipient,
                 gint64      now,
                 GError    **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;

  stmt = prepare_once (self, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, report_id);
  bind_text (stmt, 2, recipient);
  sqlite3_bind_int64 (stmt, 3, now);
  return read_rows (self, stmt, (RowReadFunc) read_delivery, (GDestroyNotify) mw_store_delivery_free,
                    _("list the deliveries"), error);
}

GPtrArray *
mw_store_list_deliveries (MwStore     *self,
                          const char  *report_id,
                          GError     **error)
{
  g_return_val_if_fail (MW_IS_STORE (self), NULL);

  return list_deliveries (self,
                          DELIVERY_SELECT " WHERE (?1 IS NULL OR d.report_id = ?1)"
                          " ORDER BY d.created_at, d.report_id, d.recipient",
                          report_id, NULL, 0, error);
}

GPtrArray *
mw_store_list_due_deliveries (MwStore  *self,
                              gint64    now,
                              GError  **error)
{
  g_return_val_if_fail (MW_IS_STORE (self), NULL);

  return list_deliveries (self,
                          DELIVERY_SELECT " WHERE d.state = 'pending' AND (?3 < 0 OR d.next_attempt_at <= ?3)"
                          " ORDER BY d.next_attempt_at, d.report_id, d.recipient",
                          NULL, NULL, now, error);
}

MwStoreDelivery *
mw_store_get_delivery (MwStore     *self,
                       const char  *report_id,
                       const char  *recipient,
                       GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), NULL);
  g_return_val_if_fail (report_id != NULL && recipient != NULL, NULL);

  list = list_deliveries (self, DELIVERY_SELECT " WHERE d.report_id = ?1 AND d.recipient = ?2",
                          report_id, recipient, 0, error);
  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("There is no delivery of report %s to “%s”."), report_id, recipient);
      return NULL;
    }
  return g_ptr_array_steal_index (list, 0);
}

gint64
mw_store_get_next_due_time (MwStore  *self,
                            GError  **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;
  gint64 value = -1;

  g_return_val_if_fail (MW_IS_STORE (self), -1);

  stmt = prepare_once (self, "SELECT min(next_attempt_at) FROM deliveries WHERE state = 'pending'", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (self, error, _("look up the next delivery"));
      return -1;
    }
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  return value;
}

/* Inside a write transaction: the state of one delivery and its receipt, if any. */
static gboolean
lookup_delivery (MwStore          *self,
                 const char       *report_id,
                 const char       *recipient,
                 MwDeliveryState  *state,
                 guint            *attempts,
                 char            **receipt_id,
                 char            **receipt_jws,
                 GError          **error)
{
  g_autoptr(MwStmt) stmt = get_stmt (self, STMT_DELIVERY_STATE, error);
  RowReader reader = { self, stmt, error, FALSE };
  g_autofree char *state_text = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, report_id);
  bind_text (stmt, 2, recipient);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("There is no delivery of report %s to “%s”."), report_id, recipient);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, _("look up the delivery"));
      return FALSE;
    }
  state_text = row_text (&reader, 0, MW_STORE_MAX_SHORT_BYTES);
  *attempts = (guint) CLAMP (row_int (&reader, 1), 0, G_MAXUINT);
  *receipt_id = row_text (&reader, 2, MW_STORE_MAX_ID_BYTES);
  *receipt_jws = row_text (&reader, 3, MW_STORE_MAX_JWS_BYTES);
  if (reader.failed)
    return FALSE;
  if (!mw_delivery_state_from_string (state_text, state))
    {
      g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE,
                   _("The database “%s” holds an unknown delivery state; it may be damaged."), self->path);
      return FALSE;
    }
  return TRUE;
}

static char *
bounded_message (const char *message)
{
  const char *end;
  g_autofree char *valid = NULL;

  if (message == NULL)
    return NULL;
  valid = g_utf8_make_valid (message, -1);
  if (strlen (valid) <= MW_STORE_MAX_ERROR_BYTES)
    return g_steal_pointer (&valid);
  end = g_utf8_find_prev_char (valid, valid + MW_STORE_MAX_ERROR_BYTES + 1);
  return g_strndup (valid, end != NULL ? (gsize) (end - valid) : 0);
}

gboolean
mw_store_mark_attempt_failed (MwStore     *self,
                              const char  *report_id,
                              const char  *recipient,
                              const char  *message,
                              gint64       now,
                              gint64      *next_attempt_at,
                              GError     **error)
{
  g_autofree char *receipt_id = NULL;
  g_autofree char *receipt_jws = NULL;
  g_autofree char *bounded = bounded_message (message);
  MwDeliveryState state;
  guint attempts;
  gint64 next;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (report_id != NULL && recipient != NULL, FALSE);

  if (!set_synchronous_full (self, FALSE, error) || !begin_write (self, error))
    return FALSE;
  if (!lookup_delivery (self, report_id, recipient, &state, &attempts, &receipt_id, &receipt_jws, error))
    goto fail;
  if (state != MW_DELIVERY_STATE_PENDING)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The delivery of report %s to “%s” is %s, not pending."),
                   report_id, recipient, mw_delivery_state_to_string (state));
      goto fail;
    }

  if (attempts < G_MAXUINT)
    attempts++;
  next = now + (gint64) mw_store_backoff_seconds (attempts) * G_USEC_PER_SEC;

  {
    g_autoptr(MwStmt) stmt = get_stmt (self, STMT_DELIVERY_ATTEMPT_FAILED, error);

    if (stmt == NULL)
      goto fail;
    bind_text (stmt, 1, report_id);
    bind_text (stmt, 2, recipient);
    sqlite3_bind_int64 (stmt, 3, attempts);
    sqlite3_bind_int64 (stmt, 4, next);
    bind_text (stmt, 5, bounded);
    sqlite3_bind_int64 (stmt, 6, now);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        set_db_error (self, error, _("record the failed attempt"));
        goto fail;
      }
  }

  if (!commit (self, error))
    return FALSE;
  if (next_attempt_at != NULL)
    *next_attempt_at = next;
  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

static gboolean
set_delivery_state (MwStore         *self,
                    const char      *report_id,
                    const char      *recipient,
                    MwDeliveryState  state,
                    gboolean         count_attempt,
                    const char      *last_error,
                    const char      *note,
                    GError         **error)
{
  g_autoptr(MwStmt) stmt = get_stmt (self, STMT_DELIVERY_SET_STATE, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, report_id);
  bind_text (stmt, 2, recipient);
  bind_text (stmt, 3, mw_delivery_state_to_string (state));
  sqlite3_bind_int (stmt, 4, count_attempt ? 1 : 0);
  bind_text (stmt, 5, last_error);
  bind_text (stmt, 6, note);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("update the delivery"));
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_store_mark_delivered (MwStore     *self,
                         const char  *report_id,
                         const char  *recipient,
                         const char  *receipt_id,
                         const char  *receipt_jws,
                         const char  *received_at,
                         GError     **error)
{
  g_autofree char *old_receipt_id = NULL;
  g_autofree char *old_receipt_jws = NULL;
  g_autoptr(MwJws) parsed = NULL;
  MwDeliveryState state;
  guint attempts;
  gboolean ok = FALSE;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (report_id != NULL && recipient != NULL, FALSE);

  if (!check_text (receipt_id, MW_STORE_MAX_ID_BYTES, TRUE, "receipt_id", error) ||
      !check_text (received_at, MW_STORE_MAX_SHORT_BYTES, FALSE, "received_at", error))
    return FALSE;
  parsed = read_jws (receipt_jws, _("receipt"), error);
  if (parsed == NULL)
    return FALSE;

  if (!set_synchronous_full (self, TRUE, error))
    return FALSE;
  if (!begin_write (self, error))
    goto out;
  if (!lookup_delivery (self, report_id, recipient, &state, &attempts, &old_receipt_id, &old_receipt_jws, error))
    goto fail;

  if (old_receipt_jws != NULL)
    {
      if (g_strcmp0 (old_receipt_id, receipt_id) == 0 &&
          strlen (old_receipt_jws) == parsed->length &&
          memcmp (old_receipt_jws, receipt_jws, parsed->length) == 0)
        {
          /* The same receipt again (a retry that crossed a successful delivery): no-op. */
          ok = commit (self, error);
          goto out;
        }
      g_set_error (error, MW_ERROR, MW_ERROR_EXISTS,
                   _("The delivery of report %s to “%s” already has receipt %s; the other receipt "
                     "%s was not stored."),
                   report_id, recipient, old_receipt_id, receipt_id);
      goto fail;
    }

  {
    g_autoptr(MwStmt) stmt = get_stmt (self, STMT_INSERT_RECEIPT, error);

    if (stmt == NULL)
      goto fail;
    bind_text (stmt, 1, report_id);
    bind_text (stmt, 2, recipient);
    bind_text (stmt, 3, receipt_id);
    sqlite3_bind_text (stmt, 4, receipt_jws, parsed->length, SQLITE_STATIC);
    bind_text (stmt, 5, received_at);
    sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        set_db_error (self, error, _("store the receipt"));
        goto fail;
      }
  }
  if (!set_delivery_state (self, report_id, recipient, MW_DELIVERY_STATE_DELIVERED,
                           state == MW_DELIVERY_STATE_PENDING, NULL, NULL, error))
    goto fail;

  ok = commit (self, error);
  goto out;

fail:
  rollback (self);
out:
  set_synchronous_full (self, FALSE, NULL);
  return ok;
}

static gboolean
mark_final (MwStore         *self,
            const char      *report_id,
            const char      *recipient,
            MwDeliveryState  new_state,
            const char      *message,
            const char      *note,
            GError         **error)
{
  g_autofree char *receipt_id = NULL;
  g_autofree char *receipt_jws = NULL;
  g_autofree char *bounded_error = bounded_message (message);
  g_autofree char *bounded_note = bounded_message (note);
  MwDeliveryState state;
  guint attempts;
  gboolean ok = FALSE;

  if (!set_synchronous_full (self, TRUE, error))
    return FALSE;
  if (!begin_write (self, error))
    goto out;
  if (!lookup_delivery (self, report_id, recipient, &state, &attempts, &receipt_id, &receipt_jws, error))
    goto fail;
  if (state == MW_DELIVERY_STATE_DELIVERED)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The report %s was already delivered to “%s” (receipt %s)."),
                   report_id, recipient, receipt_id != NULL ? receipt_id : "?");
      goto fail;
    }
  /* A filing recorded at a desk (or the forwarding it brought) is not undone by an attempt
   * that was in flight meanwhile. */
  if (state == MW_DELIVERY_STATE_FILED_BY_HAND || state == MW_DELIVERY_STATE_FORWARDED)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The report %s was already filed with “%s” at its desk."), report_id, recipient);
      goto fail;
    }
  if (!set_delivery_state (self, report_id, recipient, new_state,
                           new_state == MW_DELIVERY_STATE_FAILED && state == MW_DELIVERY_STATE_PENDING,
                           bounded_error, bounded_note, error))
    goto fail;
  ok = commit (self, error);
  goto out;

fail:
  rollback (self);
out:
  set_synchronous_full (self, FALSE, NULL);
  return ok;
}

gboolean
mw_store_mark_failed (MwStore     *self,
                      const char  *report_id,
                      const char  *recipient,
                      const char  *message,
                      GError     **error)
{
  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (report_id != NULL && recipient != NULL, FALSE);

  return mark_final (self, report_id, recipient, MW_DELIVERY_STATE_FAILED,
                     message != NULL ? message : "", NULL, error);
}

static gboolean
set_delivery_filed (MwStore         *self,
                    const char      *report_id,
                    const char      *recipient,
                    MwDeliveryState  state,
                    const char      *reference,
                    const char      *filed_at,
                    const char      *channel,
                    const char      *forwarded_by,
                    GError         **error)
{
  g_autoptr(MwStmt) stmt = get_stmt (self, STMT_DELIVERY_SET_FILED, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, report_id);
  bind_text (stmt, 2, recipient);
  bind_text (stmt, 3, mw_delivery_state_to_string (state));
  bind_text (stmt, 4, reference);
  bind_text (stmt, 5, filed_at);
  bind_text (stmt, 6, channel);
  bind_text (stmt, 7, forwarded_by);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("update the delivery"));
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_store_mark_filed (MwStore            *self,
                     const char         *report_id,
                     const char         *recipient,
                     const char         *reference,
                     const char         *filed_at,
                     const char         *channel,
                     const char * const *forwarded,
                     GError            **error)
{
  g_autofree char *receipt_id = NULL;
  g_autofree char *receipt_jws = NULL;
  MwDeliveryState state;
  guint attempts;
  gboolean ok = FALSE;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (report_id != NULL && recipient != NULL, FALSE);

  if (!check_text (reference, MW_STORE_MAX_REFERENCE_BYTES, TRUE, "reference", error) ||
      !check_text (filed_at, MW_STORE_MAX_SHORT_BYTES, TRUE, "filed_at", error) ||
      !check_text (channel, MW_STORE_MAX_ID_BYTES, FALSE, "channel", error))
    return FALSE;

  if (!set_synchronous_full (self, TRUE, error))
    return FALSE;
  if (!begin_write (self, error))
    goto out;
  if (!lookup_delivery (self, report_id, recipient, &state, &attempts, &receipt_id, &receipt_jws, error))
    goto fail;
  if (state == MW_DELIVERY_STATE_DELIVERED)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The report %s was already delivered to “%s” (receipt %s)."),
                   report_id, recipient, receipt_id != NULL ? receipt_id : "?");
      goto fail;
    }
  if (state == MW_DELIVERY_STATE_FILED_BY_HAND)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_EXISTS,
                   _("The filing of report %s with “%s” was already recorded; a recorded filing is not replaced."),
                   report_id, recipient);
      goto fail;
    }
  if (!set_delivery_filed (self, report_id, recipient, MW_DELIVERY_STATE_FILED_BY_HAND,
                           reference, filed_at, channel, NULL, error))
    goto fail;

  /* Passed on by the desk just filed: only what still waits for a filing of its own. */
  for (guint i = 0; forwarded != NULL && forwarded[i] != NULL; i++)
    {
      g_autofree char *other_receipt_id = NULL;
      g_autofree char *other_receipt_jws = NULL;
      MwDeliveryState other;

      if (g_str_equal (forwarded[i], recipient))
        continue;
      if (!lookup_delivery (self, report_id, forwarded[i], &other, &attempts,
                            &other_receipt_id, &other_receipt_jws, NULL))
        continue;
      if (other != MW_DELIVERY_STATE_AWAITING_FILING)
        continue;
      if (!set_delivery_filed (self, report_id, forwarded[i], MW_DELIVERY_STATE_FORWARDED,
                               NULL, filed_at, NULL, recipient, error))
        goto fail;
    }

  ok = commit (self, error);
  goto out;

fail:
  rollback (self);
out:
  set_synchronous_full (self, FALSE, NULL);
  return ok;
}

gboolean
mw_store_mark_awaiting_filing (MwStore     *self,
                               const char  *report_id,
                               const char  *recipient,
                               const char  *message,
                               GError     **error)
{
  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (report_id != NULL && recipient != NULL, FALSE);

  return mark_final (self, report_id, recipient, MW_DELIVERY_STATE_AWAITING_FILING, message, NULL, error);
}

gint
mw_store_retry_now (MwStore     *self,
                    const char  *report_id,
                    gboolean     include_failed,
                    gint64       now,
                    GError     **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), -1);

  stmt = prepare_once (self,
                       /* Awaiting filing, once its recipient has a live endpoint, is sent. */
                       "UPDATE deliveries SET state = 'pending', next_attempt_at = ?2, updated_at = ?2"
                       " WHERE (state = 'pending' OR (?3 AND state = 'failed')"
                       "        OR (state = 'awaiting-filing' AND EXISTS (SELECT 1 FROM endpoints e"
                       "            WHERE e.recipient = deliveries.recipient AND e.training = 0)))"
                       "   AND (?1 IS NULL OR report_id = ?1)",
                       error);
  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, report_id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int (stmt, 3, include_failed ? 1 : 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("reschedule the deliveries"));
      return -1;
    }
  return sqlite3_changes (self->db);
}

/* ---- Decision records ---- */

void
mw_store_decision_free (MwStoreDecision *decision)
{
  if (decision == NULL)
    return;
  g_free (decision->decision_id);
  g_free (decision->incident_id);
  g_free (decision->report_id);
  g_free (decision->json);
  g_free (decision->jws);
  g_free (decision->sha256);
  g_free (decision);
}

gboolean
mw_store_add_decision (MwStore     *self,
                       const char  *jws,
                       GError     **error)
{
  g_autoptr(MwJws) parsed = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *summary = NULL;
  gsize json_length;
  const char *json, *decision_id, *incident_id, *report_id;
  JsonObject *object;
  JsonNode *training;
  ReportMeta meta = { 0 };
  gint64 now = g_get_real_time ();
  gboolean ok = FALSE;

  g_return_val_if_fail (MW_IS_STORE (self), FALSE);
  g_return_val_if_fail (jws != NULL, FALSE);

  parsed = read_jws (jws, _("decision record"), error);
  if (parsed == NULL)
    return FALSE;
  json = g_bytes_get_data (parsed->payload, &json_length);
  if (json_length == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("The payload of the decision record is not UTF-8 JSON text."));
      return FALSE;
    }
  root = parse_object (json, json_length, MW_STORE_MAX_JSON_BYTES, _("decision record payload"), error);
  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);
  decision_id = object_string (object, "decision_id");
  incident_id = object_string (object, "incident_id");
  report_id = object_string (object, "report_id");
  if (!check_text (decision_id, MW_STORE_MAX_ID_BYTES, TRUE, "decision_id", error) ||
      !check_text (incident_id, MW_STORE_MAX_ID_BYTES, TRUE, "incident_id", error) ||
      !check_text (report_id, MW_STORE_MAX_ID_BYTES, FALSE, "report_id", error))
    return FALSE;
  summary = bounded_summary (object_string (object, "summary"));
  training = json_object_get_member (object, "training");
  meta.incident_id = incident_id;
  meta.summary = summary;
  meta.training = training != NULL && JSON_NODE_HOLDS_VALUE (training) &&
                  json_node_get_value_type (training) == G_TYPE_BOOLEAN &&
                  json_node_get_boolean (training);
  sha256 = mw_sha256_hex ((const guint8 *) jws, parsed->length);

  if (!set_synchronous_full (self, TRUE, error))
    return FALSE;
  if (!begin_write (self, error))
    goto out;
  {
    g_autoptr(MwOwnedStmt) stmt = prepare_once (self, "SELECT jws FROM decisions WHERE decision_id = ?1", error);
    int rc;

    if (stmt == NULL)
      goto fail;
    bind_text (stmt, 1, decision_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      {
        if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), jws) != 0)
          {
            g_set_error (error, MW_ERROR, MW_ERROR_EXISTS,
                         _("The decision record %s was already stored with other contents; "
                           "a decision record is never replaced."), decision_id);
            goto fail;
          }
        ok = commit (self, error);
        goto out;
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (self, error, _("look up the decision record"));
        goto fail;
      }
  }
  if (!upsert_incident (self, &meta, now, error))
    goto fail;
  {
    g_autoptr(MwOwnedStmt) stmt = prepare_once (self,
        "INSERT INTO decisions (decision_id, incident_id, report_id, json, jws, sha256, stored_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);

    if (stmt == NULL)
      goto fail;
    bind_text (stmt, 1, decision_id);
    bind_text (stmt, 2, incident_id);
    bind_text (stmt, 3, report_id);
    sqlite3_bind_text (stmt, 4, json, json_length, SQLITE_STATIC);
    bind_text (stmt, 5, jws);
    bind_text (stmt, 6, sha256);
    sqlite3_bind_int64 (stmt, 7, now);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        set_db_error (self, error, _("store the decision record"));
        goto fail;
      }
  }
  ok = commit (self, error);
  goto out;

fail:
  rollback (self);
out:
  set_synchronous_full (self, FALSE, NULL);
  return ok;
}

static MwStoreDecision *
read_decision (RowReader *reader)
{
  g_autoptr(MwStoreDecision) decision = g_new0 (MwStoreDecision, 1);

  decision->decision_id = row_text (reader, 0, MW_STORE_MAX_ID_BYTES);
  decision->incident_id = row_text (reader, 1, MW_STORE_MAX_ID_BYTES);
  decision->report_id = row_text (reader, 2, MW_STORE_MAX_ID_BYTES);
  decision->json = row_text (reader, 3, MW_STORE_MAX_JSON_BYTES);
  decision->jws = row_text (reader, 4, MW_STORE_MAX_JWS_BYTES);
  decision->sha256 = row_text (reader, 5, MW_STORE_MAX_SHORT_BYTES);
  decision->stored_at = row_int (reader, 6);
  if (reader->failed)
    return NULL;
  return g_steal_pointer (&decision);
}

GPtrArray *
mw_store_list_decisions (MwStore     *self,
                         const char  *incident_id,
                         GError     **error)
{
  g_autoptr(MwOwnedStmt) stmt = NULL;

  g_return_val_if_fail (MW_IS_STORE (self), NULL);
  g_return_val_if_fail (incident_id != NULL, NULL);

  stmt = prepare_once (self,
                       "SELECT decision_id, incident_id, report_id, json, jws, sha256, stored_at"
                       " FROM decisions WHERE incident_id = ?1 ORDER BY stored_at, decision_id",
                       error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, incident_id);
  return read_rows (self, stmt, (RowReadFunc) read_decision, (GDestroyNotify) mw_store_decision_free,
                    _("list the decision records"), error);
}
