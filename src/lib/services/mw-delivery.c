/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-delivery"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "mw-delivery.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-report.h"

/* A TLS database for the whole session: a host with a pinned certificate must present
 * exactly that certificate; every other host is verified by the system's trust store. */

#define MW_TYPE_PINNED_DATABASE (mw_pinned_database_get_type ())
G_DECLARE_FINAL_TYPE (MwPinnedDatabase, mw_pinned_database, MW, PINNED_DATABASE, GTlsDatabase)

struct _MwPinnedDatabase
{
  GTlsDatabase  parent_instance;
  GMutex        mutex;
  GHashTable   *pins;       /* "host:port" → GTlsCertificate */
};

G_DEFINE_FINAL_TYPE (MwPinnedDatabase, mw_pinned_database, G_TYPE_TLS_DATABASE)

static char *
identity_key (GSocketConnectable *identity)
{
  if (G_IS_NETWORK_ADDRESS (identity))
    return g_strdup_printf ("%s:%u", g_network_address_get_hostname (G_NETWORK_ADDRESS (identity)),
                            g_network_address_get_port (G_NETWORK_ADDRESS (identity)));
  if (G_IS_INET_SOCKET_ADDRESS (identity))
    {
      g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (identity)));
      return g_strdup_printf ("%s:%u", host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (identity)));
    }
  return NULL;
}

static GTlsCertificateFlags
mw_pinned_database_verify_chain (GTlsDatabase             *database,
                                 GTlsCertificate          *chain,
                                 const char               *purpose,
                                 GSocketConnectable       *identity,
                                 GTlsInteraction          *interaction,
                                 GTlsDatabaseVerifyFlags   flags,
                                 GCancellable             *cancellable,
                                 GError                  **error)
{
  MwPinnedDatabase *self = MW_PINNED_DATABASE (database);
  g_autofree char *key = identity ? identity_key (identity) : NULL;
  g_autoptr(GTlsCertificate) pinned = NULL;
  GTlsDatabase *system;

  g_mutex_lock (&self->mutex);
  if (key != NULL && g_hash_table_lookup (self->pins, key))
    pinned = g_object_ref (g_hash_table_lookup (self->pins, key));
  g_mutex_unlock (&self->mutex);

  if (pinned != NULL)
    return g_tls_certificate_is_same (chain, pinned) ? 0 : G_TLS_CERTIFICATE_UNKNOWN_CA;

  system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  if (system == NULL)
    return G_TLS_CERTIFICATE_UNKNOWN_CA;

  {
    GTlsCertificateFlags result = g_tls_database_verify_chain (system, chain, purpose, identity, interaction,
                                                               flags, cancellable, error);
    g_object_unref (system);
    return result;
  }
}

static void
mw_pinned_database_finalize (GObject *object)
{
  MwPinnedDatabase *self = MW_PINNED_DATABASE (object);

  g_hash_table_unref (self->pins);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (mw_pinned_database_parent_class)->finalize (object);
}

static void
mw_pinned_database_class_init (MwPinnedDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_pinned_database_finalize;
  G_TLS_DATABASE_CLASS (klass)->verify_chain = mw_pinned_database_verify_chain;
}

static void
mw_pinned_database_init (MwPinnedDatabase *self)
{
  g_mutex_init (&self->mutex);
  self->pins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

static void
mw_pinned_database_pin (MwPinnedDatabase *self,
                        const char       *key,
                        GTlsCertificate  *certificate)
{
  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->pins, g_strdup (key), g_object_ref (certificate));
  g_mutex_unlock (&self->mutex);
}

/* MwDelivery -------------------------------------------------------------------------- */

struct _MwDelivery
{
  GObject           parent_instance;

  MwStore          *store;
  MwSigner         *signer;
  SoupSession      *session;
  MwPinnedDatabase *database;
  GHashTable       *in_flight;   /* "report_id\nrecipient" */
  GCancellable     *cancellable;
  guint             timeout_id;
  gboolean          started;
};

G_DEFINE_FINAL_TYPE (MwDelivery, mw_delivery, G_TYPE_OBJECT)

enum {
  DELIVERY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mw_delivery_dispose (GObject *object)
{
  MwDelivery *self = MW_DELIVERY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->session != NULL)
    soup_session_abort (self->session);

  G_OBJECT_CLASS (mw_delivery_parent_class)->dispose (object);
}

static void
mw_delivery_finalize (GObject *object)
{
  MwDelivery *self = MW_DELIVERY (object);

  g_clear_object (&self->store);
  g_clear_object (&self->signer);
  g_clear_object (&self->session);
  g_clear_object (&self->database);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);

  G_OBJECT_CLASS (mw_delivery_parent_class)->finalize (object);
}

static void
mw_delivery_class_init (MwDeliveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_delivery_dispose;
  object_class->finalize = mw_delivery_finalize;

  /**
   * MwDelivery::delivery-changed:
   * @report_id: the report
   * @recipient: the recipient whose delivery changed (its state is in the store)
   */
  signals[DELIVERY_CHANGED] =
    g_signal_new ("delivery-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
mw_delivery_init (MwDelivery *self)
{
  self->database = g_object_new (MW_TYPE_PINNED_DATABASE, NULL);
  self->session = soup_session_new_with_options ("timeout", MW_DELIVERY_TIMEOUT_SECONDS,
                                                 "idle-timeout", 60,
                                                 "tls-database", self->database,
                                                 "user-agent", "Meldwijzer/" PACKAGE_VERSION,
                                                 NULL);
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

MwDelivery *
mw_delivery_new (MwStore *store)
{
  MwDelivery *self;

  g_return_val_if_fail (MW_IS_STORE (store), NULL);

  self = g_object_new (MW_TYPE_DELIVERY, NULL);
  self->store = g_object_ref (store);
  return self;
}

MwStore *
mw_delivery_get_store (MwDelivery *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY (self), NULL);
  return self->store;
}

void
mw_delivery_set_signer (MwDelivery *self,
                        MwSigner   *signer)
{
  g_return_if_fail (MW_IS_DELIVERY (self));
  g_set_object (&self->signer, signer);
}

gboolean
mw_delivery_check_url (const char  *url,
                       GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme, *host;

  uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("“%s” is not a URL; give the mailbox base URL, like https://intake.example.nl/ncsc"),
                   url ? url : "");
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

      if (g_ascii_strcasecmp (host, "localhost") == 0 ||
          (address != NULL && g_inet_address_get_is_loopback (address)))
        return TRUE;

      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("“%s” uses plain HTTP; reports leave this computer only over HTTPS (plain HTTP is allowed to this computer only)"),
                   url);
      return FALSE;
    }

  g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
               _("“%s” is not an http(s) URL"), url);
  return FALSE;
}

/* The last path segment of the base URL: the mailbox, named in the receipt. */
static char *
mailbox_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_auto(GStrv) parts = NULL;
  const char *last = NULL;

  if (uri == NULL)
    return NULL;

  parts = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i])
      last = parts[i];

  return g_uri_unescape_string (last, NULL);
}

static char *
join_url (const char *base,
          const char *suffix)
{
  gsize length = strlen (base);

  while (length > 0 && base[length - 1] == '/')
    length--;
  return g_strdup_printf ("%.*s%s", (int) length, base, suffix);
}

/* HTTP with a bounded answer ------------------------------------------------------------ */

typedef struct {
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_free (request);
}

static void read_more (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (chunk == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (request->body->len > MW_DELIVERY_MAX_RESPONSE)
    {
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_TOO_LARGE,
                               _("the recipient’s answer is larger than %d KiB"), MW_DELIVERY_MAX_RESPONSE / 1024);
      return;
    }

  read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  read_more (g_steal_pointer (&task));
}

static void
request_async (MwDelivery          *self,
               const char          *method,
               const char          *url,
               const char          *content_type,
               const char          *body,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request->body = g_byte_array_new ();
  request->message = soup_message_new (method, url);
  if (request->message == NULL)
    {
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_INVALID, _("“%s” is not a URL"), url);
      return;
    }

  /* Never follow a redirect: it could lead a report to another host, or over plain HTTP. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (request->message, content_type, bytes);
    }

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT, cancellable,
                           on_sent, g_steal_pointer (&task));
}

/* Returns the status (0 on a network error, with error set) and the body. */
static guint
request_finish (MwDelivery    *self,
                GAsyncResult  *result,
                GBytes       **body,
                GError       **error)
{
  Request *request = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return 0;

  *body = g_bytes_new (request->body->data, request->body->len);
  return soup_message_get_status (request->message);
}

/* The message of a JSON error answer {"error", "message"}, or a generic one. */
static char *
error_message (guint   status,
               GBytes *body)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autoptr(JsonNode) node = data && size ? mw_json_parse (data, size, NULL, NULL) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *code = mw_json_get_string (json_node_get_object (node), "error");
      const char *message = mw_json_get_string (json_node_get_object (node), "message");

      if (message != NULL)
        return g_strdup_printf ("%u %s: %s", status, code ? code : "", message);
    }

  return g_strdup_printf ("%u %s", status, soup_status_get_phrase (status));
}

/* Receipts ------------------------------------------------------------------------------ */

typedef struct {
  char *receipt_id;
  char *received_at;
} Receipt;

static gboolean
verify_receipt (const MwStoreDelivery  *row,
                const char             *mailbox,
                const char             *receipt_jws,
                Receipt                *receipt,
                GError                **error)
{
  g_autoptr(MwSigner) key = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  const char *report_id, *sha256, *recipient, *receipt_id, *received_at;
  gsize size;
  const char *data;

  if (row->pinned_jwk == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_REFUSED,
                   _("no receipt key is configured for %s, so its receipt cannot be checked; "
                     "set it with “meldwijzer-cli endpoint set %s URL --receipt-key KEY.jwk”"),
                   row->recipient, row->recipient);
      return FALSE;
    }

  key = mw_signer_new_from_jwk (row->pinned_jwk, &local_error);
  if (key == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_REFUSED,
                   _("the pinned receipt key of %s is not usable: %s"), row->recipient, local_error->message);
      return FALSE;
    }

  payload = mw_signer_verify (key, receipt_jws, &local_error);
  if (payload == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE,
                   _("the receipt from %s is not signed by its pinned key (%s); the report may not have arrived at the real recipient — contact them"),
                   row->recipient, local_error->message);
      return FALSE;
    }

  data = g_bytes_get_data (payload, &size);
  node = mw_json_parse (data, size, "receipt", NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE, _("the receipt from %s is not a JSON object"), row->recipient);
      return FALSE;
    }

  object = json_node_get_object (node);
  receipt_id = mw_json_get_string (object, "receipt_id");
  report_id = mw_json_get_string (object, "report_id");
  sha256 = mw_json_get_string (object, "report_sha256");
  recipient = mw_json_get_string (object, "recipient");
  received_at = mw_json_get_string (object, "received_at");

  if (receipt_id == NULL || strlen (receipt_id) > 128 || g_strcmp0 (report_id, row->report_id) != 0 ||
      g_strcmp0 (sha256, row->sha256) != 0 || g_strcmp0 (recipient, mailbox) != 0 ||
      !mw_parse_time (received_at, NULL))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE,
                   _("the receipt from %s does not match the report sent (report id, checksum or mailbox differ)"),
                   row->recipient);
      return FALSE;
    }

  receipt->receipt_id = g_strdup (receipt_id);
  receipt->received_at = g_strdup (received_at);
  return TRUE;
}

/* One attempt at one delivery ---------------------------------------------------------- */

typedef struct {
  MwDelivery      *self;
  GTask           *run;        /* the run it belongs to */
  MwStoreDelivery *row;
  char            *mailbox;
  char            *key;        /* in-flight key */
} Attempt;

typedef struct {
  guint   outstanding;
  GError *error;   /* the first store error */
} Run;

static void
run_free (Run *run)
{
  g_clear_error (&run->error);
  g_free (run);
}

static void
attempt_finish (Attempt *attempt)
{
  Run *run = g_task_get_task_data (attempt->run);
  MwDelivery *self = attempt->self;

  g_hash_table_remove (self->in_flight, attempt->key);
  g_signal_emit (self, signals[DELIVERY_CHANGED], 0, attempt->row->report_id, attempt->row->recipient);

  if (--run->outstanding == 0)
    {
      if (run->error != NULL)
        g_task_return_error (attempt->run, g_steal_pointer (&run->error));
      else
        g_task_return_boolean (attempt->run, TRUE);
    }

  g_object_unref (attempt->run);
  mw_store_delivery_free (attempt->row);
  g_free (attempt->mailbox);
  g_free (attempt->key);
  g_object_unref (attempt->self);
  g_free (attempt);
}

static void
note_store_error (Attempt *attempt,
                  GError  *error)
{
  Run *run = g_task_get_task_data (attempt->run);

  if (error == NULL)
    return;
  g_warning ("Cannot record the delivery of %s to %s: %s",
             attempt->row->report_id, attempt->row->recipient, error->message);
  if (run->error == NULL)
    run->error = g_error_copy (error);
}

/* A transient problem: try again later. */
static void
attempt_retry_later (Attempt    *attempt,
                     const char *message)
{
  g_autoptr(GError) error = NULL;

  g_debug ("Delivery of %s to %s will be retried: %s", attempt->row->report_id, attempt->row->recipient, message);
  mw_store_mark_attempt_failed (attempt->self->store, attempt->row->report_id, attempt->row->recipient,
                                message, g_get_real_time (), NULL, &error);
  note_store_error (attempt, error);
  attempt_finish (attempt);
}

/* The recipient refused: stop, with its message. */
static void
attempt_refused (Attempt    *attempt,
                 const char *message)
{
  g_autoptr(GError) error = NULL;

  mw_store_mark_failed (attempt->self->store, attempt->row->report_id, attempt->row->recipient, message, &error);
  note_store_error (attempt, error);
  attempt_finish (attempt);
}

static gboolean
is_transient (const GError *error)
{
  return !g_error_matches (error, MW_ERROR, MW_ERROR_TOO_LARGE) &&
         !g_error_matches (error, MW_ERROR, MW_ERROR_INVALID);
}

/* A failed exchange: network errors and 5xx are retried, 4xx are refusals. */
static void
attempt_failed_exchange (Attempt      *attempt,
                         GAsyncResult *result,
                         guint         status,
                         GBytes       *body,
                         const GError *error,
                         const char   *what)
{
  g_autofree char *message = NULL;

  if (status == 0 && g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      message = g_strdup_printf (attempt->row->pinned_cert_pem != NULL ?
                                 _("%s: the TLS certificate of %s is not the pinned certificate (%s); if the recipient changed it, "
                                   "confirm the new one with them and pin it with “meldwijzer-cli endpoint set %s URL --pin CERT.pem”") :
                                 _("%s: the TLS certificate of %s is not trusted (%s); pin the recipient’s certificate with "
                                   "“meldwijzer-cli endpoint set %s URL --pin CERT.pem” after checking it with them"),
                                 what, attempt->row->recipient, error->message, attempt->row->recipient);
      attempt_retry_later (attempt, message);
      return;
    }

  if (status == 0)
    {
      message = g_strdup_printf (_("%s: %s"), what, error->message);
      if (is_transient (error))
        attempt_retry_later (attempt, message);
      else
        attempt_refused (attempt, message);
      return;
    }

  {
    g_autofree char *detail = error_message (status, body);
    message = g_strdup_printf (_("%s: %s"), what, detail);
  }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      Request *request = g_task_get_task_data (G_TASK (result));
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (request->message),
                                                           "Location");
      g_autofree char *redirect =
        g_strdup_printf (_("%s: %s redirects to “%s”; reports are not sent on to another address: check the address "
                           "with the recipient and set it with “meldwijzer-cli endpoint set %s URL”"),
                         what, attempt->row->recipient, location ? location : "?", attempt->row->recipient);
      attempt_refused (attempt, redirect);
    }
  else if (status >= 400 && status < 500 && status != 408 && status != 429)
    attempt_refused (attempt, message);
  else
    attempt_retry_later (attempt, message);
}

static void
on_report_posted (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = request_finish (attempt->self, result, &body, &error);
  g_autofree char *receipt_jws = NULL;
  g_autoptr(GError) receipt_error = NULL;
  g_autoptr(GError) store_error = NULL;
  Receipt receipt = { 0 };

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_CREATED)
    {
      attempt_failed_exchange (attempt, result, status, body, error, _("sending the report"));
      return;
    }

  receipt_jws = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_strstrip (receipt_jws);

  if (!verify_receipt (attempt->row, attempt->mailbox, receipt_jws, &receipt, &receipt_error))
    {
      attempt_refused (attempt, receipt_error->message);
      return;
    }

  mw_store_mark_delivered (attempt->self->store, attempt->row->report_id, attempt->row->recipient,
                           receipt.receipt_id, receipt_jws, receipt.received_at, &store_error);
  note_store_error (attempt, store_error);
  g_free (receipt.receipt_id);
  g_free (receipt.received_at);
  attempt_finish (attempt);
}

static void
post_report (Attempt *attempt)
{
  g_autofree char *url = join_url (attempt->row->url, "/v1/reports");

  request_async (attempt->self, "POST", url, "application/jose", attempt->row->jws,
                 attempt->self->cancellable, on_report_posted, attempt);
}

static void
on_keys_fetched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = request_finish (attempt->self, result, &body, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(MwSigner) key = NULL;
  g_autofree char *jwk = NULL;
  g_autoptr(GError) store_error = NULL;
  JsonArray *keys;

  if (status != SOUP_STATUS_OK)
    {
      attempt_failed_exchange (attempt, result, status, body, error, _("fetching the training mailbox key"));
      return;
    }

  node = mw_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "keys", NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "keys") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (node), "keys")) ||
      json_array_get_length ((keys = json_object_get_array_member (json_node_get_object (node), "keys"))) == 0)
    {
      attempt_refused (attempt, _("the training mailbox did not answer with a key set"));
      return;
    }

  {
    g_autofree char *text = mw_json_to_canonical (json_array_get_element (keys, 0));
    key = mw_signer_new_from_jwk (text, &error);
  }
  if (key == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("the training mailbox key is not usable: %s"), error->message);
      attempt_refused (attempt, message);
      return;
    }

  /* Trust on first use, in training only: pin the public part. */
  jwk = mw_signer_to_public_jwk (key);
  if (!mw_store_set_endpoint_pinned_jwk (attempt->self->store, attempt->row->recipient, TRUE, jwk, &store_error))
    {
      note_store_error (attempt, store_error);
      attempt_finish (attempt);
      return;
    }

  g_free (attempt->row->pinned_jwk);
  attempt->row->pinned_jwk = g_steal_pointer (&jwk);
  post_report (attempt);
}

static void
fetch_keys (Attempt *attempt)
{
  g_autofree char *url = join_url (attempt->row->url, "/v1/keys");

  request_async (attempt->self, "GET", url, NULL, NULL, attempt->self->cancellable, on_keys_fetched, attempt);
}

static void
on_enrolled (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = request_finish (attempt->self, result, &body, &error);

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_CREATED)
    {
      attempt_failed_exchange (attempt, result, status, body, error, _("enrolling the key at the training mailbox"));
      return;
    }

  fetch_keys (attempt);
}

static void
attempt_start (Attempt *attempt)
{
  MwStoreDelivery *row = attempt->row;
  g_autoptr(GError) error = NULL;

  if (row->url == NULL)
    {
      /* A practice report must never be filed with the real recipient by hand. */
      g_autofree char *message = row->training ?
        g_strdup_printf (_("no training mailbox is configured for %s and no practice intake was running: "
                           "“meldwijzer-cli outbox retry” delivers to a practice intake on this computer, or set one with "
                           "“meldwijzer-cli endpoint set %s URL --training”; never file a training report with the real recipient"),
                         row->recipient, row->recipient) :
        g_strdup_printf (_("no endpoint is configured for %s: file this report by hand through its channels, "
                           "or configure one with “meldwijzer-cli endpoint set %s URL”"),
                         row->recipient, row->recipient);
      attempt_retry_later (attempt, message);
      return;
    }

  if (!mw_delivery_check_url (row->url, &error))
    {
      attempt_refused (attempt, error->message);
      return;
    }

  /* A live recipient's receipts can only be checked against a configured key: do not send a
   * report whose receipt would be refused anyway (the recipient would hold it, and we would
   * call it failed). */
  if (!row->training && row->pinned_jwk == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("no receipt key is configured for %s, so its receipt cannot be checked and the report was not sent; "
                           "set it with “meldwijzer-cli endpoint set %s URL --receipt-key KEY.jwk”, then run “meldwijzer-cli outbox retry --include-failed”"),
                         row->recipient, row->recipient);
      attempt_refused (attempt, message);
      return;
    }

  attempt->mailbox = mailbox_of (row->url);

  if (row->pinned_cert_pem != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_pem (row->pinned_cert_pem, -1, &error);
      g_autoptr(GUri) uri = g_uri_parse (row->url, G_URI_FLAGS_NONE, NULL);
      g_autofree char *key = NULL;

      if (certificate == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("the pinned certificate of %s is not usable: %s"),
                                                      row->recipient, error->message);
          attempt_refused (attempt, message);
          return;
        }
      key = g_strdup_printf ("%s:%d", g_uri_get_host (uri),
                             g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
      mw_pinned_database_pin (attempt->self->database, key, certificate);
    }

  if (row->training && row->pinned_jwk == NULL)
    {
      g_autofree char *url = join_url (row->url, "/v1/enrol");
      g_autofree char *jwk = NULL;

      if (attempt->self->signer == NULL)
        {
          fetch_keys (attempt);
          return;
        }

      jwk = mw_signer_to_public_jwk (attempt->self->signer);
      request_async (attempt->self, "POST", url, "application/jwk+json", jwk,
                     attempt->self->cancellable, on_enrolled, attempt);
      return;
    }

  post_report (attempt);
}

void
mw_delivery_run_async (MwDelivery          *self,
                       const char          *report_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  g_return_if_fail (MW_IS_DELIVERY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_delivery_run_async);
  run = g_new0 (Run, 1);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  due = mw_store_list_due_deliveries (self->store, g_get_real_time (), &error);
  if (due == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Count first, start after: an attempt may finish before the next one starts. */
  run->outstanding = 1;
  for (guint i = 0; i < due->len; i++)
    {
      MwStoreDelivery *row = g_ptr_array_index (due, i);
      g_autofree char *key = NULL;
      Attempt *attempt;

      if (report_id != NULL && g_strcmp0 (row->report_id, report_id) != 0)
        continue;

      key = g_strconcat (row->report_id, "\n", row->recipient, NULL);
      if (g_hash_table_contains (self->in_flight, key))
        continue;
      g_hash_table_add (self->in_flight, g_strdup (key));

      attempt = g_new0 (Attempt, 1);
      attempt->self = g_object_ref (self);
      attempt->run = g_object_ref (task);
      attempt->row = mw_store_delivery_copy (row);
      attempt->key = g_steal_pointer (&key);
      run->outstanding++;
      attempt_start (attempt);
    }

  if (--run->outstanding == 0)
    {
      if (run->error != NULL)
        g_task_return_error (task, g_steal_pointer (&run->error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

gboolean
mw_delivery_run_finish (MwDelivery    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Delivering on its own ------------------------------------------------------------------- */

static void schedule (MwDelivery *self);

static gboolean
on_due (gpointer user_data)
{
  MwDelivery *self = user_data;

  self->timeout_id = 0;
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
on_scheduled_run (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MwDelivery *self = MW_DELIVERY (source);
  g_autoptr(GError) error = NULL;
  gint64 next;

  if (!mw_delivery_run_finish (self, result, &error))
    g_warning ("Delivery: %s", error->message);

  if (!self->started || g_cancellable_is_cancelled (self->cancellable))
    return;

  next = mw_store_get_next_due_time (self->store, NULL);
  if (next >= 0 && self->timeout_id == 0)
    {
      /* At least a second: a delivery still in flight elsewhere stays due meanwhile. */
      gint64 wait_ms = MAX ((next - g_get_real_time ()) / 1000, 1000);
      self->timeout_id = g_timeout_add (MIN (wait_ms, (gint64) G_MAXUINT), on_due, self);
    }
}

static void
schedule (MwDelivery *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  mw_delivery_run_async (self, NULL, self->cancellable, on_scheduled_run, NULL);
}

void
mw_delivery_start (MwDelivery *self)
{
  g_return_if_fail (MW_IS_DELIVERY (self));

  self->started = TRUE;
  schedule (self);
}

void
mw_delivery_stop (MwDelivery *self)
{
  g_return_if_fail (MW_IS_DELIVERY (self));

  self->started = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}
