/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-intake"

#define _GNU_SOURCE  /* POLLRDHUP */

#include "config.h"

#include <errno.h>
#include <gio/gnetworking.h>
#include <glib/gi18n-lib.h>
#include <poll.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "mw-intake-listener.h"

/* File descriptors kept free for SQLite, the key file, GLib and the listening socket. */
#define FD_RESERVE            64
#define MIN_CONNECTIONS       8
/* Connections taken off the backlog per wake-up, so that a flood cannot starve the rest. */
#define ACCEPT_BATCH          64
#define ACCEPT_RETRY_MS       100
/* A connection still waiting for its headers after this long gives way to a newcomer when
 * the intake is full: a real client sends its request at once. */
#define EVICT_MIN_AGE_US      (1 * G_USEC_PER_SEC)
#define SWEEP_INTERVAL_MS     500
/* How much of a request is looked at before libsoup reads it, and how often. */
#define PEEK_MAX              (64 * 1024)
#define PEEK_INTERVAL_MAX_MS  100

typedef enum {
  PHASE_HANDSHAKE,  /* TLS handshake, ours */
  PHASE_PEEK,       /* plain HTTP: looking at the request headers before libsoup reads them */
  PHASE_HEADERS,    /* handed to libsoup, waiting for the request headers */
  PHASE_BODY,
  PHASE_ANSWER,
} Phase;

typedef struct
{
  MwIntakeListener *listener;     /* not owned */
  GList             link;         /* in listener->connections, oldest first */
  GSocket          *socket;       /* our own reference, to close it when libsoup does not */
  GIOStream        *stream;       /* weak once handed to libsoup */
  GSocketAddress   *remote;       /* key of listener->by_remote */
  GCancellable     *cancellable;  /* the TLS handshake */
  GSource          *peek_source;  /* PHASE_PEEK: a readable socket, or the next look */
  gsize             peeked;       /* bytes waiting at the last look */
  guint             peek_interval;
  gint64            accepted_at;
  gint64            deadline;
  Phase             phase;
  gboolean          handed_over;
} Connection;

struct _MwIntakeListener
{
  GObject          parent_instance;

  SoupServer      *server;
  GSocket         *socket;
  GTlsCertificate *certificate;
  GSource         *accept_source;
  guint            retry_id;
  guint            sweep_id;
  GQueue           connections;   /* Connection*, by accept time */
  GHashTable      *by_remote;     /* GSocketAddress* (by pointer) → Connection* */
  guint            max_connections;
  gboolean         accept_failed;
};

G_DEFINE_FINAL_TYPE (MwIntakeListener, mw_intake_listener, G_TYPE_OBJECT)

static void start_accepting (MwIntakeListener *self);

/* ---------------------------------------------------------------------------------------- */
/* Connections                                                                              */

static void
on_stream_finalized (gpointer  data,
                     GObject  *where_the_object_was);

/* Forgets the connection; closes its socket unless libsoup already did. */
static void
connection_free (Connection *conn)
{
  MwIntakeListener *self = conn->listener;

  if (conn->cancellable != NULL)
    g_cancellable_cancel (conn->cancellable);
  g_clear_object (&conn->cancellable);
  if (conn->peek_source != NULL)
    g_source_destroy (conn->peek_source);
  g_clear_pointer (&conn->peek_source, g_source_unref);

  if (conn->handed_over)
    {
      if (conn->stream != NULL)
        g_object_weak_unref (G_OBJECT (conn->stream), on_stream_finalized, conn);
      conn->stream = NULL;
    }
  else
    g_clear_object (&conn->stream);

  if (conn->socket != NULL && !g_socket_is_closed (conn->socket))
    g_socket_close (conn->socket, NULL);
  g_clear_object (&conn->socket);

  g_queue_unlink (&self->connections, &conn->link);
  g_hash_table_remove (self->by_remote, conn->remote);
  g_clear_object (&conn->remote);
  g_free (conn);
}

static void
on_stream_finalized (gpointer  data,
                     GObject  *where_the_object_was)
{
  Connection *conn = data;

  /* libsoup is done with it and has closed it. */
  conn->stream = NULL;
  connection_free (conn);
}

static void
connection_set_phase (Connection *conn,
                      Phase       phase)
{
  gint64 timeout_s = MW_INTAKE_ANSWER_TIMEOUT_S;

  if (phase == PHASE_HANDSHAKE || phase == PHASE_PEEK || phase == PHASE_HEADERS)
    timeout_s = MW_INTAKE_HEADER_TIMEOUT_S;
  else if (phase == PHASE_BODY)
    timeout_s = MW_INTAKE_BODY_TIMEOUT_S;

  conn->phase = phase;
  /* The headers' time counts from the accept, the handshake included. */
  if (phase == PHASE_HEADERS)
    conn->deadline = conn->accepted_at + timeout_s * G_USEC_PER_SEC;
  else
    conn->deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
}

static Connection *
lookup_message (MwIntakeListener  *self,
                SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_hash_table_lookup (self->by_remote, remote) : NULL;
}

static void
hand_over (Connection *conn)
{
  MwIntakeListener *self = conn->listener;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (conn->socket, NULL);
  g_autoptr(GError) error = NULL;

  connection_set_phase (conn, PHASE_HEADERS);
  if (local == NULL)
    {
      connection_free (conn);
      return;
    }

  /* From here on libsoup owns the stream; we keep the socket to close it ourselves. */
  conn->handed_over = TRUE;
  g_object_weak_ref (G_OBJECT (conn->stream), on_stream_finalized, conn);
  if (!soup_server_accept_iostream (self->server, conn->stream, local, conn->remote, &error))
    {
      g_debug ("Cannot serve a connection: %s", error->message);
      g_object_unref (conn->stream);
      /* The weak reference has freed conn if that was the last reference. */
      return;
    }
  g_object_unref (conn->stream);
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);
  Connection *conn;

  /* connection_free() cancels before it frees: then conn is gone. */
  if (g_cancellable_is_cancelled (cancellable))
    return;
  conn = g_object_get_data (G_OBJECT (cancellable), "mw-connection");

  if (!done)
    {
      g_debug ("TLS handshake failed: %s", error->message);
      connection_free (conn);
      return;
    }

  g_clear_object (&conn->cancellable);
  hand_over (conn);
}

/* An answer of our own on a plain HTTP connection, without waiting for the client. */
static void
send_answer (GSocket    *socket,
             const char *status,
             const char *extra_headers,
             const char *code,
             const char *message)
{
  g_autofree char *body = g_strdup_printf ("{\"error\":\"%s\",\"message\":\"%s\"}", code, message);
  g_autofree char *answer =
    g_strdup_printf ("HTTP/1.1 %s\r\nConnection: close\r\n%sCache-Control: no-store\r\n"
                     "Content-Type: application/json\r\nContent-Length: %u\r\n\r\n%s",
                     status, extra_headers, (guint) strlen (body), body);

  g_socket_send_with_blocking (socket, answer, strlen (answer), FALSE, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
}

/* Answers 503 on a connection that the intake has no room for, without waiting. */
static void
refuse (MwIntakeListener *self,
        GSocket          *socket)
{
  if (self->certificate == NULL)
    send_answer (socket, "503 Service Unavailable", "Retry-After: 1\r\n", "busy",
                 "The intake has too many connections open: try again in a moment");
  g_socket_close (socket, NULL);
}

/* When full, the oldest connection still waiting for its request headers gives way, if it
 * has waited long enough; TRUE when there is room now. */
static gboolean
make_room (MwIntakeListener *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->connections.length < self->max_connections)
    return TRUE;

  for (GList *l = self->connections.head; l != NULL; l = l->next)
    {
      Connection *conn = l->data;

      if (now - conn->accepted_at < EVICT_MIN_AGE_US)
        break;
      if (conn->phase == PHASE_HANDSHAKE || conn->phase == PHASE_PEEK || conn->phase == PHASE_HEADERS)
        {
          g_debug ("Full: closing a connection that sent no request in %" G_GINT64_FORMAT " ms",
                   (now - conn->accepted_at) / 1000);
          connection_free (conn);
          return TRUE;
        }
    }

  return FALSE;
}

typedef enum {
  FRAMING_OK,
  FRAMING_UNSUPPORTED,  /* a Transfer-Encoding that is not chunked */
  FRAMING_BAD,          /* a Content-Length that is not one number */
} Framing;

/* A header value as libsoup 3.2 trims it: blanks, tabs and the CR of the line end only (not
 * a form feed or vertical tab, as g_strstrip would: "Content-Length: 2\f" is not a number to
 * libsoup). */
static char *
strip_blanks (char *value)
{
  gsize length;

  value += strspn (value, " \t");
  length = strlen (value);
  while (length > 0 && (value[length - 1] == ' ' || value[length - 1] == '\t' || value[length - 1] == '\r'))
    value[--length] = '\0';
  return value;
}

/* How the body of a request is framed, judged as libsoup 3.2 will. libsoup answers a
 * Transfer-Encoding it does not know (501) or a Content-Length it cannot read (400) and
 * leaks the request path each time (up to its header limit), so the intake answers those
 * itself before libsoup sees them. */
static Framing
check_framing (const char *headers,
               gsize       length)
{
  g_autofree char *block = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_encodings = 0;
  gboolean chunked = FALSE;
  guint n_lengths = 0;
  gboolean length_ok = TRUE;
  gsize skip = 0;

  if (memchr (headers, '\0', length) != NULL)
    return FRAMING_BAD;

  /* Leading CRs and LFs are skipped by libsoup's request parser, as here. */
  while (skip < length && (headers[skip] == '\r' || headers[skip] == '\n'))
    skip++;
  block = g_strndup (headers + skip, length - skip);
  lines = g_strsplit (block, "\n", -1);

  /* "METHOD /path HTTP/1.1": libsoup leaks a target that is not a path when it refuses it,
   * and the intake serves paths only. */
  if (lines[0] != NULL && lines[0][0] != '\0' && lines[0][0] != '\r')
    {
      const char *target = lines[0] + strcspn (lines[0], " \t");

      target += strspn (target, " \t");
      if (*target != '\0' && *target != '/')
        return FRAMING_BAD;
    }

  /* The request line first, then the headers. */
  for (guint i = 1; lines[0] != NULL && lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      char *name;
      char *value;

      /* A header folded onto the next line: libsoup joins it; no client needs it. */
      if (lines[i][0] == ' ' || lines[i][0] == '\t')
        return FRAMING_BAD;
      if (colon == NULL)
        continue;
      *colon = '\0';
      name = g_strstrip (lines[i]);
      value = strip_blanks (colon + 1);

      if (g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
        {
          n_encodings++;
          chunked = g_ascii_strcasecmp (value, "chunked") == 0;
        }
      else if (g_ascii_strcasecmp (name, "Content-Length") == 0)
        {
          n_lengths++;
          length_ok &= value[0] != '\0' && strspn (value, "0123456789") == strlen (value);
        }
    }

  if (n_encodings > 0)
    return n_encodings == 1 && chunked ? FRAMING_OK : FRAMING_UNSUPPORTED;
  if (n_lengths > 1 || !length_ok)
    return FRAMING_BAD;
  return FRAMING_OK;
}

/* Where the headers end as libsoup reads them: at the first empty line ("" or "\r") that ends
 * them for libsoup (see below), the request line included; -1 while there is none. */
static gssize
find_headers_end (const char *data,
                  gsize       length)
{
  gsize line_start = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] != '\n')
        continue;
      /* libsoup 3.2 ends them at "\n\n" with 2 bytes read before the empty line, or at
       * "\n\r\n" with 3: blank lines at the very start do not end them (its request parser
       * skips them and reads the request after). */
      if ((i == line_start && line_start >= 2) ||
          (i == line_start + 1 && data[line_start] == '\r' && line_start >= 3))
        return (gssize) line_start;
      line_start = i + 1;
    }

  return -1;
}

static void peek_later (Connection *conn);

/* The client shut down its sending side: what it sent is all there will be. */
static gboolean
peer_done_sending (int fd)
{
  struct pollfd poll_fd = { .fd = fd, .events = POLLRDHUP };

  return poll (&poll_fd, 1, 0) > 0 && (poll_fd.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}
static gboolean on_peek (gpointer user_data);

static gboolean
on_peek_readable (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  return on_peek (user_data);
}

/* Looks at what the client sent so far without taking it off the socket; hands the
 * connection to libsoup once the headers are complete (or too long to look at). */
static gboolean
on_peek (gpointer user_data)
{
  Connection *conn = user_data;
  g_autofree char *buffer = NULL;
  int fd = g_socket_get_fd (conn->socket);
  gssize end;
  gboolean done;
  int waiting = 0;
  gssize n;

  g_clear_pointer (&conn->peek_source, g_source_unref);

  /* Nothing new since the last look: wait, without copying it again. */
  if (conn->peeked > 0 && ioctl (fd, FIONREAD, &waiting) == 0 && (gsize) waiting == conn->peeked &&
      !peer_done_sending (fd))
    {
      peek_later (conn);
      return G_SOURCE_REMOVE;
    }

  buffer = g_malloc (PEEK_MAX);
  do
    n = recv (fd, buffer, PEEK_MAX, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);

  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
    {
      connection_free (conn);  /* the client went away */
      return G_SOURCE_REMOVE;
    }

  conn->peeked = MAX (n, 0);
  end = n > 0 ? find_headers_end (buffer, n) : -1;
  done = end < 0 && (n >= PEEK_MAX || peer_done_sending (fd));

  /* Complete headers, or all there will be (libsoup parses what it gets). */
  if (end >= 0 || done)
    {
      Framing framing = check_framing (buffer, end >= 0 ? (gsize) end : (gsize) n);

      if (framing != FRAMING_OK)
        {
          if (framing == FRAMING_UNSUPPORTED)
            send_answer (conn->socket, "501 Not Implemented", "", "not_implemented",
                         "Send the body with Content-Length or Transfer-Encoding: chunked");
          else
            send_answer (conn->socket, "400 Bad Request", "", "malformed",
                         "Send a request for a path, one Content-Length (a number of bytes) and no folded header lines");
          connection_free (conn);
          return G_SOURCE_REMOVE;
        }
    }

  if (end >= 0 || done)
    hand_over (conn);  /* libsoup reads it, or finds it cut short, and answers */
  else
    peek_later (conn);

  return G_SOURCE_REMOVE;
}

/* Waits for the first bytes, then looks again ever less often until the headers are
 * complete; the headers' time limit bounds it. */
static void
peek_later (Connection *conn)
{
  if (conn->phase != PHASE_PEEK)
    {
      connection_set_phase (conn, PHASE_PEEK);
      conn->peek_source = g_socket_create_source (conn->socket, G_IO_IN, NULL);
      g_source_set_callback (conn->peek_source, G_SOURCE_FUNC (on_peek_readable), conn, NULL);
    }
  else
    {
      /* 1, 2, 4 … ms: a client whose headers come in pieces waits little, a slow one is
       * looked at ten times a second. */
      conn->peek_interval = CLAMP (conn->peek_interval * 2, 1, PEEK_INTERVAL_MAX_MS);
      conn->peek_source = g_timeout_source_new (conn->peek_interval);
      g_source_set_callback (conn->peek_source, on_peek, conn, NULL);
    }

  g_source_attach (conn->peek_source, NULL);
}

static void
add_connection (MwIntakeListener *self,
                GSocket          *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GError) error = NULL;
  Connection *conn;
  Connection *stale;

  if (remote == NULL || !make_room (self))
    {
      refuse (self, socket);
      return;
    }

  conn = g_new0 (Connection, 1);
  conn->listener = self;
  conn->link.data = conn;
  conn->socket = g_object_ref (socket);
  conn->remote = g_steal_pointer (&remote);
  conn->accepted_at = g_get_monotonic_time ();
  conn->stream = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  g_queue_push_tail_link (&self->connections, &conn->link);

  /* by_remote is keyed by the address object itself, which libsoup hands back. */
  stale = g_hash_table_lookup (self->by_remote, conn->remote);
  if (stale != NULL)
    connection_free (stale);
  g_hash_table_insert (self->by_remote, conn->remote, conn);

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  if (self->certificate == NULL)
    {
      peek_later (conn);
      return;
    }

  connection_set_phase (conn, PHASE_HANDSHAKE);
  {
    GIOStream *tls = g_tls_server_connection_new (conn->stream, self->certificate, &error);

    if (tls == NULL)
      {
        g_debug ("Cannot start TLS: %s", error->message);
        connection_free (conn);
        return;
      }
    g_object_set (tls, "require-close-notify", FALSE, NULL);
    g_object_unref (conn->stream);
    conn->stream = tls;
  }
  conn->cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (conn->cancellable), "mw-connection", conn);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (conn->stream), G_PRIORITY_DEFAULT,
                                    conn->cancellable, on_handshake_done,
                                    g_object_ref (conn->cancellable));
}

/* ---------------------------------------------------------------------------------------- */
/* Accepting                                                                                */

static gboolean
on_retry_accept (gpointer user_data)
{
  MwIntakeListener *self = user_data;

  self->retry_id = 0;
  start_accepting (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  MwIntakeListener *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (socket, NULL, &error);

      if (client != NULL)
        {
          if (self->accept_failed)
            g_message ("Accepting connections again");
          self->accept_failed = FALSE;
          add_connection (self, client);
          continue;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;

      /* Out of file descriptors, or another failure: libsoup 3.2 would stop listening for
       * good here. Pause, so as not to spin on a listening socket that stays readable, and
       * try again; the backlog keeps the waiting clients meanwhile. */
      if (!self->accept_failed)
        g_message ("Cannot accept a connection (%s): trying again every %d ms",
                   error->message, ACCEPT_RETRY_MS);
      self->accept_failed = TRUE;
      self->accept_source = NULL;
      self->retry_id = g_timeout_add (ACCEPT_RETRY_MS, on_retry_accept, self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
start_accepting (MwIntakeListener *self)
{
  g_autoptr(GSource) source = NULL;

  if (self->accept_source != NULL || self->socket == NULL)
    return;

  source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (on_incoming), self, NULL);
  g_source_attach (source, NULL);
  self->accept_source = source;
}

static gboolean
on_sweep (gpointer user_data)
{
  MwIntakeListener *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *l = self->connections.head;

  while (l != NULL)
    {
      Connection *conn = l->data;

      l = l->next;
      if (conn->socket == NULL || g_socket_is_closed (conn->socket))
        connection_free (conn);
      else if (now >= conn->deadline)
        {
          g_debug ("Closing a connection that exceeded its time (phase %d)", conn->phase);
          connection_free (conn);
        }
    }

  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------------------------- */
/* What libsoup tells about each request                                                    */

static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  Connection *conn = lookup_message (user_data, msg);

  if (conn != NULL)
    connection_set_phase (conn, PHASE_BODY);
}

static void
on_got_body (SoupServerMessage *msg,
             gpointer           user_data)
{
  Connection *conn = lookup_message (user_data, msg);

  if (conn != NULL)
    connection_set_phase (conn, PHASE_ANSWER);
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  MwIntakeListener *self = user_data;

  /* One request per connection: libsoup closes the socket after an answer that says so. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
  g_signal_connect_object (msg, "got-body", G_CALLBACK (on_got_body), self, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* The object                                                                               */

void
mw_intake_listener_close (MwIntakeListener *self)
{
  g_return_if_fail (MW_IS_INTAKE_LISTENER (self));

  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      self->accept_source = NULL;
    }
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);

  while (self->connections.head != NULL)
    connection_free (self->connections.head->data);

  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
}

static void
mw_intake_listener_finalize (GObject *object)
{
  MwIntakeListener *self = (MwIntakeListener *) object;

  mw_intake_listener_close (self);
  g_clear_pointer (&self->by_remote, g_hash_table_unref);
  g_clear_object (&self->certificate);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (mw_intake_listener_parent_class)->finalize (object);
}

static void
mw_intake_listener_class_init (MwIntakeListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_intake_listener_finalize;
}

static void
mw_intake_listener_init (MwIntakeListener *self)
{
  g_queue_init (&self->connections);
  self->by_remote = g_hash_table_new (g_direct_hash, g_direct_equal);
}

guint64
mw_intake_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024;

  if (limit.rlim_cur != limit.rlim_max)
    {
      rlim_t wanted = limit.rlim_max;

      limit.rlim_cur = wanted;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }

  return limit.rlim_cur == RLIM_INFINITY ? G_MAXUINT64 : (guint64) limit.rlim_cur;
}

static guint
compute_max_connections (void)
{
  struct rlimit limit;
  guint64 fds = 1024;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    fds = limit.rlim_cur == RLIM_INFINITY ? G_MAXUINT64 : (guint64) limit.rlim_cur;

  /* Well below the limit: half of what is left after the reserve. */
  if (fds <= FD_RESERVE + 2 * MIN_CONNECTIONS)
    return MIN_CONNECTIONS;

  return (guint) MIN ((fds - FD_RESERVE) / 2, (guint64) MW_INTAKE_MAX_CONNECTIONS);
}

MwIntakeListener *
mw_intake_listener_new (SoupServer       *server,
                        GSocketAddress   *address,
                        GTlsCertificate  *certificate,
                        GError          **error)
{
  g_autoptr(MwIntakeListener) self = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), NULL);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), NULL);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;

  g_socket_set_blocking (socket, FALSE);
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_listen_backlog (socket, MW_INTAKE_LISTEN_BACKLOG);

  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;

  self = g_object_new (MW_TYPE_INTAKE_LISTENER, NULL);
  self->server = g_object_ref (server);
  self->socket = g_steal_pointer (&socket);
  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  self->max_connections = compute_max_connections ();

  g_signal_connect_object (server, "request-started", G_CALLBACK (on_request_started), self, 0);

  start_accepting (self);
  self->sweep_id = g_timeout_add (SWEEP_INTERVAL_MS, on_sweep, self);

  g_debug ("Listening with a backlog of %d, at most %u connections",
           MW_INTAKE_LISTEN_BACKLOG, self->max_connections);

  return g_steal_pointer (&self);
}

GSocketAddress *
mw_intake_listener_dup_local_address (MwIntakeListener *self)
{
  g_return_val_if_fail (MW_IS_INTAKE_LISTENER (self), NULL);

  if (self->socket == NULL)
    return NULL;

  return g_socket_get_local_address (self->socket, NULL);
}

gboolean
mw_intake_listener_get_https (MwIntakeListener *self)
{
  g_return_val_if_fail (MW_IS_INTAKE_LISTENER (self), FALSE);

  return self->certificate != NULL;
}

guint
mw_intake_listener_get_max_connections (MwIntakeListener *self)
{
  g_return_val_if_fail (MW_IS_INTAKE_LISTENER (self), 0);

  return self->max_connections;
}

guint
mw_intake_listener_get_n_connections (MwIntakeListener *self)
{
  g_return_val_if_fail (MW_IS_INTAKE_LISTENER (self), 0);

  return self->connections.length;
}
