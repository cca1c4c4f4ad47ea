/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-intake-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mw-error.h"
#include "mw-intake-client.h"
#include "mw-lazy-library.h"
#include "mw-json.h"
#include "mw-protocol.h"
#include "mw-signer.h"

/* libsoup and what it brings (Kerberos, HTTP/2, the public suffix list: thirteen libraries)
 * are opened by the first client, when a report is sent, not when a program starts: the
 * wizard starts without them (README, "Start-up"). Its functions are called through this
 * table (the SOUP_STATUS_* macros and the types need no library). */
#define SOUP_FUNCTIONS(F) \
  F (soup_session_new_with_options) \
  F (soup_session_abort) \
  F (soup_session_send_async) \
  F (soup_session_send_finish) \
  F (soup_message_new) \
  F (soup_message_add_flags) \
  F (soup_message_set_request_body_from_bytes) \
  F (soup_message_get_status) \
  F (soup_message_get_response_headers) \
  F (soup_message_headers_get_one) \
  F (soup_status_get_phrase)

static struct
{
  SOUP_FUNCTIONS (MW_LAZY_SLOT)
} soup;

static const char * const soup_names[] = {
  SOUP_FUNCTIONS (MW_LAZY_NAME)
  NULL
};

static MwLazyLibrary soup_library = MW_LAZY_LIBRARY_INIT ("libsoup-3.0.so.0", soup_names, &soup);

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

/* MwIntakeClient ---------------------------------------------------------------------- */

struct _MwIntakeClient
{
  GObject           parent_instance;

  SoupSession      *session;         /* NULL when libsoup could not be opened: */
  GError           *unavailable;     /* why, for every request */
  MwPinnedDatabase *database;
};

G_DEFINE_FINAL_TYPE (MwIntakeClient, mw_intake_client, G_TYPE_OBJECT)

static void
mw_intake_client_dispose (GObject *object)
{
  MwIntakeClient *self = MW_INTAKE_CLIENT (object);

  if (self->session != NULL)
    soup.soup_session_abort (self->session);

  G_OBJECT_CLASS (mw_intake_client_parent_class)->dispose (object);
}

static void
mw_intake_client_finalize (GObject *object)
{
  MwIntakeClient *self = MW_INTAKE_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_error (&self->unavailable);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (mw_intake_client_parent_class)->finalize (object);
}

static void
mw_intake_client_class_init (MwIntakeClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_intake_client_dispose;
  object_class->finalize = mw_intake_client_finalize;
}

static void
mw_intake_client_init (MwIntakeClient *self)
{
  self->database = g_object_new (MW_TYPE_PINNED_DATABASE, NULL);
  if (!mw_lazy_library_open (&soup_library, &self->unavailable))
    return;
  self->session = soup.soup_session_new_with_options ("timeout", MW_INTAKE_CLIENT_TIMEOUT_SECONDS,
                                                 "idle-timeout", 60,
                                                 "tls-database", self->database,
                                                 "user-agent", "Meldwijzer/" PACKAGE_VERSION,
                                                 NULL);
}

MwIntakeClient *
mw_intake_client_new (void)
{
  return g_object_new (MW_TYPE_INTAKE_CLIENT, NULL);
}

gboolean
mw_intake_check_url (const char  *url,
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
char *
mw_intake_dup_mailbox (const char *url)
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

/* Each exchange has its own cancellable: cancelled by the caller's, and by a deadline for the
 * whole exchange (a recipient that trickles its answer a byte at a time cannot hold a
 * delivery for longer than MW_INTAKE_CLIENT_DEADLINE_SECONDS). */
#define MW_INTAKE_CLIENT_DEADLINE_SECONDS (2 * MW_INTAKE_CLIENT_TIMEOUT_SECONDS)

/* Tests of slow recipients shorten the deadline with MELDWIJZER_INTAKE_DEADLINE (whole
 * seconds); it can never be made longer than the default. */
static guint
deadline_seconds (void)
{
  const char *text = g_getenv ("MELDWIJZER_INTAKE_DEADLINE");
  guint64 value = 0;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, MW_INTAKE_CLIENT_DEADLINE_SECONDS, &value, NULL))
    return (guint) value;
  return MW_INTAKE_CLIENT_DEADLINE_SECONDS;
}

typedef struct {
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  GCancellable *cancellable;   /* this exchange's own */
  GCancellable *caller;        /* the caller's, or NULL */
  gulong        caller_id;
  guint         deadline_id;
  guint         deadline_seconds;
  gboolean      timed_out;
  gboolean      pinned;        /* the host has a pinned certificate */
} Request;

static void
request_free (Request *request)
{
  if (request->caller != NULL)
    g_cancellable_disconnect (request->caller, request->caller_id);
  g_clear_object (&request->caller);
  g_clear_handle_id (&request->deadline_id, g_source_remove);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_free (request);
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
on_deadline (gpointer user_data)
{
  Request *request = user_data;

  request->deadline_id = 0;
  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

/* A cancellation by the deadline is a timeout (worth retrying), not the caller's cancel. */
static void
request_return_error (GTask  *task,
                      GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (request->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("the recipient did not answer completely within %u seconds"),
                               request->deadline_seconds);
      return;
    }
  g_task_return_error (task, error);
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
      request_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (request->body->len > MW_INTAKE_CLIENT_MAX_ANSWER)
    {
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_TOO_LARGE,
                               _("the recipient’s answer is larger than %d KiB"), MW_INTAKE_CLIENT_MAX_ANSWER / 1024);
      return;
    }

  read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   request->cancellable, on_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  request->stream = soup.soup_session_send_finish ((SoupSession *) source, result, &error);
  if (request->stream == NULL)
    {
      request_return_error (task, g_steal_pointer (&error));
      return;
    }

  read_more (g_steal_pointer (&task));
}

static void
request_async (MwIntakeClient      *self,
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
  g_task_set_check_cancellable (task, FALSE);
  request->body = g_byte_array_new ();
  request->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      request->caller = g_object_ref (cancellable);
      request->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                  g_object_ref (request->cancellable), g_object_unref);
    }
  if (self->session == NULL)
    {
      /* Like a network that is down: the report waits in the outbox and is tried again. */
      g_task_return_error (task, g_error_copy (self->unavailable));
      return;
    }
  request->deadline_seconds = deadline_seconds ();
  request->deadline_id = g_timeout_add_seconds (request->deadline_seconds, on_deadline, request);
  request->message = soup.soup_message_new (method, url);
  if (request->message == NULL)
    {
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_INVALID, _("“%s” is not a URL"), url);
      return;
    }

  {
    g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
    g_autofree char *key = uri && g_uri_get_host (uri) ?
      g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443) : NULL;

    g_mutex_lock (&self->database->mutex);
    request->pinned = key != NULL && g_hash_table_contains (self->database->pins, key);
    g_mutex_unlock (&self->database->mutex);
  }

  /* Never follow a redirect: it could lead a report to another host, or over plain HTTP. */
  soup.soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup.soup_message_set_request_body_from_bytes (request->message, content_type, bytes);
    }

  soup.soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT, request->cancellable,
                           on_sent, g_steal_pointer (&task));
}

/* Returns the status (0 on a network error, with error set) and the body. */
static guint
request_finish (MwIntakeClient *self,
                GAsyncResult  *result,
                GBytes       **body,
                GError       **error)
{
  Request *request = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return 0;

  *body = g_bytes_new (request->body->data, request->body->len);
  return soup.soup_message_get_status (request->message);
}

/* Text from a recipient, fit to show: valid UTF-8, no control characters, at most max_chars. */
static char *
bounded_text (const char *text,
              glong       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text, MIN (strlen (text), (gsize) max_chars * 4));
  GString *out = g_string_new (NULL);
  glong n = 0;

  for (const char *p = valid; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, g_unichar_iscntrl (c) ? ' ' : c);
    }
  if (*valid != '\0' && n == max_chars && strlen (valid) > out->len)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
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
        {
          g_autofree char *shown_code = bounded_text (code ? code : "", 64);
          g_autofree char *shown_message = bounded_text (message, 512);

          return g_strdup_printf ("%u %s: %s", status, shown_code, shown_message);
        }
    }

  return g_strdup_printf ("%u %s", status, soup.soup_status_get_phrase (status));
}

/* What an exchange that did not give the expected answer means (DESIGN.md, "Local store
 * and delivery"): network errors and 5xx are worth retrying, 4xx are refusals. */
static GError *
exchange_error (GAsyncResult *result,
                guint         status,
                GBytes       *body,
                GError       *network_error,
                const char   *what)
{
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autofree char *detail = NULL;

  if (status == 0 && g_error_matches (network_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return g_error_new (MW_PROTOCOL_ERROR, MW_PROTOCOL_ERROR_NETWORK,
                        request->pinned ? _("%s: the server does not present the pinned certificate (%s)")
                                        : _("%s: the server’s TLS certificate is not trusted (%s)"),
                        what, network_error->message);

  if (status == 0)
    {
      gboolean transient = !g_error_matches (network_error, MW_ERROR, MW_ERROR_TOO_LARGE) &&
                           !g_error_matches (network_error, MW_ERROR, MW_ERROR_INVALID);

      return g_error_new (MW_PROTOCOL_ERROR, transient ? MW_PROTOCOL_ERROR_NETWORK : MW_PROTOCOL_ERROR_REFUSED,
                          _("%s: %s"), what, network_error->message);
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup.soup_message_headers_get_one (soup.soup_message_get_response_headers (request->message),
                                                           "Location");
      g_autofree char *shown = bounded_text (location ? location : "?", 256);

      return g_error_new (MW_PROTOCOL_ERROR, MW_PROTOCOL_ERROR_REFUSED,
                          _("%s: the recipient redirects to “%s”; a report is never sent on to another address"),
                          what, shown);
    }

  detail = error_message (status, body);
  if (status >= 400 && status < 500 && status != 408 && status != 429)
    return g_error_new (MW_PROTOCOL_ERROR, MW_PROTOCOL_ERROR_REFUSED, _("%s: %s"), what, detail);
  return g_error_new (MW_PROTOCOL_ERROR, MW_PROTOCOL_ERROR_NETWORK, _("%s: %s"), what, detail);
}

/* Finishes one exchange: the answer's body when the status is one of ok1/ok2, else NULL with
 * the classified error. */
static GBytes *
exchange_finish (MwIntakeClient  *self,
                 GAsyncResult    *result,
                 guint            ok1,
                 guint            ok2,
                 const char      *what,
                 GError         **error)
{
  g_autoptr(GError) network_error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  status = request_finish (self, result, &body, &network_error);
  if (g_error_matches (network_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&network_error));
      return NULL;
    }
  if (status != 0 && (status == ok1 || status == ok2))
    return g_steal_pointer (&body);

  g_propagate_error (error, exchange_error (result, status, body, network_error, what));
  return NULL;
}

gboolean
mw_intake_client_pin_certificate (MwIntakeClient  *self,
                                  const char      *url,
                                  const char      *certificate_pem,
                                  GError         **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (MW_IS_INTAKE_CLIENT (self), FALSE);

  uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("“%s” is not a URL"), url ? url : "");
      return FALSE;
    }
  certificate = g_tls_certificate_new_from_pem (certificate_pem, -1, &local_error);
  if (certificate == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("the pinned certificate is not usable: %s"), local_error->message);
      return FALSE;
    }
  key = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
  mw_pinned_database_pin (self->database, key, certificate);
  return TRUE;
}

/* Starts one exchange with <url><path>: the task (tagged with source_tag) is answered by
 * done once the answer is in, or at once when the URL may not be used. */
static void
start_exchange (MwIntakeClient      *self,
                gpointer             source_tag,
                const char          *url,
                const char          *path,
                const char          *method,
                const char          *content_type,
                const char          *body,
                GAsyncReadyCallback  done,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;

  g_task_set_source_tag (task, source_tag);
  if (!mw_intake_check_url (url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  endpoint = join_url (url, path);
  request_async (self, method, endpoint, content_type, body, cancellable, done, g_steal_pointer (&task));
}

static void
on_report_posted (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  char *receipt;

  body = exchange_finish (MW_INTAKE_CLIENT (source), result, SOUP_STATUS_CREATED, SOUP_STATUS_OK,
                          _("sending the report"), &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* An empty answer has no data at all (g_bytes_get_data gives NULL): no receipt. */
  receipt = g_strstrip (g_strndup (g_bytes_get_size (body) > 0 ? g_bytes_get_data (body, NULL) : "",
                                   g_bytes_get_size (body)));
  if (*receipt == '\0')
    {
      g_free (receipt);
      g_task_return_new_error (task, MW_PROTOCOL_ERROR, MW_PROTOCOL_ERROR_REFUSED,
                               _("sending the report: the recipient answered %u without a receipt"),
                               soup.soup_message_get_status (request->message));
      return;
    }
  g_task_return_pointer (task, receipt, g_free);
}

void
mw_intake_client_post_report_async (MwIntakeClient      *self,
                                    const char          *url,
                                    const char          *jws,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (MW_IS_INTAKE_CLIENT (self));
  g_return_if_fail (jws != NULL);

  start_exchange (self, mw_intake_client_post_report_async,
                  url, "/v1/reports", "POST", "application/jose", jws, on_report_posted,
                  cancellable, callback, user_data);
}

char *
mw_intake_client_post_report_finish (MwIntakeClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_enrolled (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = exchange_finish (MW_INTAKE_CLIENT (source), result, SOUP_STATUS_CREATED, SOUP_STATUS_OK,
                          _("enrolling the key at the training mailbox"), &error);
  if (body == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
mw_intake_client_enrol_async (MwIntakeClient      *self,
                              const char          *url,
                              const char          *public_jwk,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (MW_IS_INTAKE_CLIENT (self));
  g_return_if_fail (public_jwk != NULL);

  start_exchange (self, mw_intake_client_enrol_async,
                  url, "/v1/enrol", "POST", "application/jwk+json", public_jwk, on_enrolled,
                  cancellable, callback, user_data);
}

gboolean
mw_intake_client_enrol_finish (MwIntakeClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_keys_fetched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(MwSigner) key = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonArray *keys;

  body = exchange_finish (MW_INTAKE_CLIENT (source), result, SOUP_STATUS_OK, SOUP_STATUS_OK,
                          _("fetching the mailbox key"), &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  node = mw_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "keys", NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member ((object = json_node_get_object (node)), "keys") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "keys")) ||
      json_array_get_length ((keys = json_object_get_array_member (object, "keys"))) != 1)
    {
      g_task_return_new_error (task, MW_PROTOCOL_ERROR, MW_PROTOCOL_ERROR_REFUSED,
                               _("the mailbox did not answer with a key set of exactly one key"));
      return;
    }

  text = mw_json_to_canonical (json_array_get_element (keys, 0));
  key = mw_signer_new_from_jwk (text, &error);
  if (key == NULL)
    {
      g_task_return_new_error (task, MW_PROTOCOL_ERROR, MW_PROTOCOL_ERROR_REFUSED,
                               _("the mailbox key is not usable: %s"), error->message);
      return;
    }
  g_task_return_pointer (task, mw_signer_to_public_jwk (key), g_free);
}

void
mw_intake_client_fetch_key_async (MwIntakeClient      *self,
                                  const char          *url,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (MW_IS_INTAKE_CLIENT (self));

  start_exchange (self, mw_intake_client_fetch_key_async,
                  url, "/v1/keys", "GET", NULL, NULL, on_keys_fetched,
                  cancellable, callback, user_data);
}

char *
mw_intake_client_fetch_key_finish (MwIntakeClient  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_mode_probed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  status = request_finish (MW_INTAKE_CLIENT (source), result, &body, &error);
  if (status == SOUP_STATUS_FORBIDDEN)
    g_task_return_int (task, MW_MAILBOX_MODE_LIVE);
  else if (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE)
    g_task_return_int (task, MW_MAILBOX_MODE_TRAINING);
  else if (status == 0)
    g_task_return_error (task, exchange_error (result, status, body, error, _("asking the mailbox")));
  else
    g_task_return_new_error (task, MW_PROTOCOL_ERROR, MW_PROTOCOL_ERROR_REFUSED,
                             _("the server answers %u %s, not as a Meldwijzer mailbox (check the mailbox name)"),
                             status, soup.soup_status_get_phrase (status));
}

void
mw_intake_client_probe_mode_async (MwIntakeClient      *self,
                                   const char          *url,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (MW_IS_INTAKE_CLIENT (self));

  start_exchange (self, mw_intake_client_probe_mode_async,
                  url, "/v1/enrol", "POST", "application/jwk+json", "{}", on_mode_probed,
                  cancellable, callback, user_data);
}

gboolean
mw_intake_client_probe_mode_finish (MwIntakeClient  *self,
                                    GAsyncResult    *result,
                                    MwMailboxMode   *mode,
                                    GError         **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  value = g_task_propagate_int (G_TASK (result), error);
  if (value < 0)
    return FALSE;
  if (mode != NULL)
    *mode = (MwMailboxMode) value;
  return TRUE;
}
