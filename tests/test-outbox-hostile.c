/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-outbox-hostile"

/*
 * The app's resume path against a hostile recipient: a live report is stored for "ncsc",
 * whose endpoint is a recipient written here (a threaded socket service on 127.0.0.1) that
 * answers the report with something that must not be accepted. A fresh MwOutbox is started
 * as the app does at every start (mw_session_resume_deliveries → mw_outbox_start); the
 * delivery must end failed (or pending, for a transient problem) with a short, printable
 * message, without a crash or a GLib warning (fatal in a GTest). A second start with a retry
 * of the failed delivery (the next launch) must not crash either: a stored hostile delivery
 * can never become a crash loop. tests/test-hostile-recipient.py does the same through
 * meldwijzer-cli.
 */

#include <gio/gio.h>
#include <string.h>

#include "mw-error.h"
#include "mw-outbox.h"
#include "mw-report.h"
#include "mw-signer.h"
#include "mw-store.h"
#include "mw-test-util.h"

#define DEADLINE_SECONDS "2"     /* MELDWIJZER_INTAKE_DEADLINE, for the trickle */
#define DEEP_BYTES       (133 * 1024)
#define MAX_MESSAGE_CHARS 700

typedef enum {
  DEEP_ERROR_BODY,
  DEEP_ERROR_BODY_500,
  DEEP_RECEIPT,
  RECEIPT_SIGNING_DEEP,
  RECEIPT_NOT_JWS,
  RECEIPT_OTHER_KEY,
  HUGE_ANSWER,
  TRICKLE,
  REDIRECT,
  EMPTY_200,
  CONTROL_CHARACTERS,
} Behaviour;

typedef struct {
  Behaviour        behaviour;
  const char      *name;
  MwDeliveryState  state;
  const char      *why;      /* in the stored message */
} Case;

static const Case cases[] = {
  { DEEP_ERROR_BODY, "deep-error-body", MW_DELIVERY_STATE_FAILED, "400" },
  { DEEP_ERROR_BODY_500, "deep-error-body-500", MW_DELIVERY_STATE_PENDING, "500" },
  { DEEP_RECEIPT, "deep-receipt", MW_DELIVERY_STATE_FAILED, "pinned key" },
  { RECEIPT_SIGNING_DEEP, "receipt-signing-deep-nesting", MW_DELIVERY_STATE_FAILED, "not a JSON object" },
  { RECEIPT_NOT_JWS, "receipt-not-jws", MW_DELIVERY_STATE_FAILED, "pinned key" },
  { RECEIPT_OTHER_KEY, "receipt-other-key", MW_DELIVERY_STATE_FAILED, "pinned key" },
  { HUGE_ANSWER, "10-mb-answer", MW_DELIVERY_STATE_FAILED, "larger than" },
  { TRICKLE, "a-byte-a-second", MW_DELIVERY_STATE_PENDING, "within " DEADLINE_SECONDS " seconds" },
  { REDIRECT, "redirect", MW_DELIVERY_STATE_FAILED, "redirects to" },
  { EMPTY_200, "empty-200", MW_DELIVERY_STATE_FAILED, "without a receipt" },
  { CONTROL_CHARACTERS, "control-characters", MW_DELIVERY_STATE_FAILED, "422" },
};

/* What the recipient answers; set by the test before the outbox starts. */
static Behaviour  behaviour;
static MwSigner  *receipt_key;
static MwSigner  *other_key;

typedef struct {
  char             *dir;
  MwStore          *store;
  MwSigner         *signer;
  GSocketService   *recipient;
  char             *url;
} Fixture;

/* The hostile recipient ------------------------------------------------------------------ */

static char *
deep_nesting (void)
{
  GString *deep = g_string_new ("/* \" */");

  for (guint i = 0; i < DEEP_BYTES; i++)
    g_string_append_c (deep, '[');
  return g_string_free (deep, FALSE);
}

static gboolean
write_answer (GOutputStream *out,
              const char    *status,
              const char    *headers,
              const char    *body,
              gsize          length)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                                           "Connection: close\r\n%s\r\n", status, length, headers);

  return g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL) &&
         g_output_stream_write_all (out, body, length, NULL, NULL, NULL);
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  g_autofree char *deep = NULL;
  gsize content_length = 0;
  const char *end = NULL;
  char buffer[16384];

  g_socket_set_timeout (g_socket_connection_get_socket (connection), 20);

  /* The head, then the body by its Content-Length (the client always sends one). */
  while ((end = strstr (request->str, "\r\n\r\n")) == NULL && request->len < 1024 * 1024)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
      if (n <= 0)
        return TRUE;
      g_string_append_len (request, buffer, n);
    }
  if (end == NULL)
    return TRUE;
  {
    const char *field = strstr (request->str, "Content-Length: ");
    gsize head_length = end + 4 - request->str;

    if (field != NULL && field < end)
      content_length = g_ascii_strtoull (field + strlen ("Content-Length: "), NULL, 10);
    while (request->len < head_length + content_length && request->len < 4 * 1024 * 1024)
      {
        gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
        if (n <= 0)
          return TRUE;
        g_string_append_len (request, buffer, n);
      }
  }

  if (!g_str_has_prefix (request->str, "POST ") || strstr (request->str, "/v1/reports ") == NULL)
    {
      write_answer (out, "400 Bad Request", "", "", 0);
      return TRUE;
    }

  deep = deep_nesting ();
  switch (behaviour)
    {
    case DEEP_ERROR_BODY:
      write_answer (out, "400 Bad Request", "Content-Type: application/json\r\n", deep, strlen (deep));
      break;
    case DEEP_ERROR_BODY_500:
      write_answer (out, "500 Internal Server Error", "Content-Type: application/json\r\n", deep, strlen (deep));
      break;
    case DEEP_RECEIPT:
      write_answer (out, "201 Created", "", deep, strlen (deep));
      break;
    case RECEIPT_SIGNING_DEEP:
      {
        g_autofree char *jws = mw_signer_sign (receipt_key, NULL, (const guint8 *) deep, strlen (deep), NULL);

        g_assert_nonnull (jws);
        write_answer (out, "201 Created", "", jws, strlen (jws));
      }
      break;
    case RECEIPT_NOT_JWS:
      write_answer (out, "201 Created", "", "thank you", strlen ("thank you"));
      break;
    case RECEIPT_OTHER_KEY:
      {
        const char *payload = "{\"receipt_id\":\"r1\",\"recipient\":\"ncsc\",\"received_at\":\"2026-12-06T06:30:00Z\"}";
        g_autofree char *jws = mw_signer_sign (other_key, NULL, (const guint8 *) payload, strlen (payload), NULL);

        write_answer (out, "201 Created", "", jws, strlen (jws));
      }
      break;
    case HUGE_ANSWER:
      {
        const char *head = "HTTP/1.1 201 Created\r\nContent-Length: 10485760\r\nConnection: close\r\n\r\n";

        memset (buffer, 'A', sizeof buffer);
        if (!g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL))
          break;
        for (guint i = 0; i < 10485760 / sizeof buffer; i++)   /* bounded: 640 blocks */
          if (!g_output_stream_write_all (out, buffer, sizeof buffer, NULL, NULL, NULL))
            break;
      }
      break;
    case TRICKLE:
      {
        const char *head = "HTTP/1.1 201 Created\r\nContent-Length: 60\r\nConnection: close\r\n\r\n";

        if (!g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL))
          break;
        for (guint i = 0; i < 60; i++)   /* bounded: a minute, ends when the client hangs up */
          {
            if (!g_output_stream_write_all (out, "e", 1, NULL, NULL, NULL) ||
                !g_output_stream_flush (out, NULL, NULL))
              break;
            g_usleep (G_USEC_PER_SEC);
          }
      }
      break;
    case REDIRECT:
      write_answer (out, "307 Temporary Redirect", "Location: http://127.0.0.1:9/x\x1b[31m\r\n", "", 0);
      break;
    case EMPTY_200:
      write_answer (out, "200 OK", "", "", 0);
      break;
    case CONTROL_CHARACTERS:
      {
        const char *body = "{\"error\":\"x\\u0007\\u001b[2J\",\"message\":\"line\\r\\nbreak\\u001b[31mred\\u0085\"}";

        write_answer (out, "422 Unprocessable Entity", "Content-Type: application/json\r\n", body, strlen (body));
      }
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* The fixture --------------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(MwStoreEndpoint) endpoint = NULL;
  g_autofree char *db = NULL;
  g_autofree char *pinned = NULL;

  fixture->dir = g_dir_make_tmp ("mw-outbox-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->dir, "meldwijzer.db", NULL);
  fixture->store = mw_store_new_for_path (db, &error);
  g_assert_no_error (error);
  fixture->signer = mw_signer_generate (&error);
  g_assert_no_error (error);

  fixture->recipient = g_threaded_socket_service_new (4);
  g_socket_listener_add_address (G_SOCKET_LISTENER (fixture->recipient), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->recipient, "run", G_CALLBACK (on_run), NULL);
  g_socket_service_start (fixture->recipient);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u/ncsc",
                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  /* A live endpoint whose receipts are checked against receipt_key. */
  endpoint = mw_store_endpoint_new ("ncsc", FALSE, fixture->url);
  mw_store_set_endpoint (fixture->store, endpoint, &error);
  g_assert_no_error (error);
  pinned = mw_signer_to_public_jwk (receipt_key);
  mw_store_set_endpoint_pinned_jwk (fixture->store, "ncsc", FALSE, pinned, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_socket_service_stop (fixture->recipient);
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->recipient));
  g_clear_object (&fixture->recipient);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->signer);
  mw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->url);
}

static char *
store_live_report (Fixture *fixture)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reports", "cbw-dns-outage.json", NULL);
  g_autofree char *report_id = g_uuid_string_random ();
  g_autofree char *incident_id = g_uuid_string_random ();
  const char * const recipients[] = { "ncsc", NULL };
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;

  report = mw_report_new_from_file (path, &error);
  g_assert_no_error (error);
  mw_report_set_string (report, "report_id", report_id);
  mw_report_set_string (report, "incident_id", incident_id);
  mw_report_set_unknown (report, "supersedes");
  mw_report_set_training (report, FALSE);
  jws = mw_signer_sign_report (fixture->signer, report, &error);
  g_assert_no_error (error);
  mw_store_submit (fixture->store, jws, recipients, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&report_id);
}

static MwStoreDelivery *
get_delivery (Fixture    *fixture,
              const char *report_id)
{
  g_autoptr(GError) error = NULL;
  MwStoreDelivery *delivery = mw_store_get_delivery (fixture->store, report_id, "ncsc", &error);

  g_assert_no_error (error);
  return delivery;
}

/* Starts a fresh outbox as the app does at start, and runs the main loop until the delivery
 * was attempted at least `attempts` times, or failed (bounded: 30 s). */
static MwStoreDelivery *
resume (Fixture    *fixture,
        const char *report_id,
        guint       attempts)
{
  g_autoptr(MwOutbox) outbox = mw_outbox_new (fixture->store);
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  MwStoreDelivery *delivery = NULL;

  mw_outbox_set_signer (outbox, fixture->signer);
  mw_outbox_start (outbox);
  while (g_get_monotonic_time () < end)
    {
      g_clear_pointer (&delivery, mw_store_delivery_free);
      delivery = get_delivery (fixture, report_id);
      if (delivery->state == MW_DELIVERY_STATE_FAILED || delivery->attempts >= attempts)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  mw_outbox_stop (outbox);
  return delivery;
}

static gboolean
printable (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  const Case *c = data;
  g_autofree char *report_id = NULL;
  g_autoptr(MwStoreDelivery) first = NULL;
  g_autoptr(MwStoreDelivery) second = NULL;
  g_autoptr(GError) error = NULL;

  behaviour = c->behaviour;
  report_id = store_live_report (fixture);

  /* The first start of the app after the report was stored. */
  first = resume (fixture, report_id, 1);
  g_test_message ("%s: %s after %u attempt(s): %s", c->name, mw_delivery_state_to_string (first->state),
                  first->attempts, first->last_error);
  g_assert_cmpint (first->state, ==, c->state);
  g_assert_nonnull (first->last_error);
  g_assert_true (g_str_has_prefix (first->last_error, "ncsc: "));
  g_assert_nonnull (strstr (first->last_error, c->why));
  g_assert_true (printable (first->last_error));
  g_assert_cmpint (g_utf8_strlen (first->last_error, -1), <=, MAX_MESSAGE_CHARS);

  /* The next start, with the delivery retried by hand: the same answer, no crash. */
  {
    g_autoptr(MwOutbox) outbox = mw_outbox_new (fixture->store);

    g_assert_cmpint (mw_outbox_retry (outbox, report_id, TRUE, &error), >=, 0);
    g_assert_no_error (error);
  }
  second = resume (fixture, report_id, first->attempts + 1);
  g_assert_cmpint (second->state, ==, c->state);
  g_assert_true (printable (second->last_error));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("MELDWIJZER_INTAKE_DEADLINE", DEADLINE_SECONDS, TRUE);
  g_test_init (&argc, &argv, NULL);

  receipt_key = mw_signer_generate (&error);
  g_assert_no_error (error);
  other_key = mw_signer_generate (&error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/outbox-hostile/%s", cases[i].name);

      g_test_add (path, Fixture, &cases[i], fixture_set_up, test_hostile, fixture_tear_down);
    }

  {
    int status = g_test_run ();

    g_clear_object (&receipt_key);
    g_clear_object (&other_key);
    return status;
  }
}
