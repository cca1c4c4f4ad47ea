/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mw-assessor.h"
#include "mw-cli.h"
#include "mw-delivery.h"
#include "mw-error.h"
#include "mw-protocol.h"
#include "mw-json.h"
#include "mw-keyring.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-signer.h"
#include "mw-store.h"
#include "mw-training.h"

#define MAX_JWK_BYTES (64 * 1024)

/* Reads at most max bytes of a text file, NUL-terminated. */
static char *
read_text_file (const char  *path,
                gsize        max,
                GError     **error)
{
  gsize length = 0;
  g_autofree char *buffer = mw_file_read_bounded (path, max, &length, error);

  if (buffer == NULL)
    return NULL;
  if (memchr (buffer, '\0', length) != NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("%s: the file holds binary data, not text"), path);
      return NULL;
    }
  return g_steal_pointer (&buffer);
}

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return time ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static MwStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  MwStore *store = mw_store_new (&error);

  if (store == NULL)
    mw_cli_error ("%s", error->message);
  return store;
}

/* Every recipient of every available regime: id → "regime: name". */
static GHashTable *
collect_recipients (void)
{
  g_autoptr(GHashTable) recipients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) ids = mw_regime_list_available ();

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwRegime) regime = mw_regime_load (ids[i], &error);
      GPtrArray *list;

      if (regime == NULL)
        {
          g_warning ("%s", error->message);
          continue;
        }
      list = mw_regime_get_recipients (regime);
      for (guint j = 0; list != NULL && j < list->len; j++)
        {
          const MwRecipient *recipient = g_ptr_array_index (list, j);

          if (!g_hash_table_contains (recipients, recipient->id))
            g_hash_table_insert (recipients, g_strdup (recipient->id),
                                 g_strdup_printf ("%s (%s)", mw_label_get (&recipient->name), ids[i]));
        }
    }
  return g_steal_pointer (&recipients);
}

/* Asking a mailbox before it is configured -------------------------------------------- */

#define PROBE_MAX_ANSWER (64 * 1024)

static gboolean
on_probe_accept_certificate (SoupMessage          *message,
                             GTlsCertificate      *peer,
                             GTlsCertificateFlags  errors,
                             gpointer              user_data)
{
  return user_data != NULL && g_tls_certificate_is_same (peer, G_TLS_CERTIFICATE (user_data));
}

/* One request with a bounded answer; returns the status (0 with error set when there is no
 * HTTP answer). With pinned, the server must present exactly that certificate. */
static guint
probe_request (SoupSession      *session,
               const char       *method,
               const char       *url,
               const char       *content_type,
               const char       *body,
               GTlsCertificate  *pinned,
               GBytes          **answer,
               GError          **error)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *peer;

  if (message == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("“%s” is not a URL"), url);
      return 0;
    }
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (message, content_type, bytes);
    }
  g_signal_connect (message, "accept-certificate", G_CALLBACK (on_probe_accept_certificate), pinned);

  stream = soup_session_send (session, message, NULL, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        g_set_error (error, MW_ERROR, MW_ERROR_REFUSED,
                     pinned != NULL ? _("the server does not present the pinned certificate: %s")
                                    : _("the server’s certificate is not trusted (%s): pin it with --pin CERT.pem"),
                     local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  peer = soup_message_get_tls_peer_certificate (message);
  if (pinned != NULL && (peer == NULL || !g_tls_certificate_is_same (peer, pinned)))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_REFUSED,
                   _("the server does not present the pinned certificate"));
      return 0;
    }

  for (;;)
    {
      g_autoptr(GBytes) chunk = g_input_stream_read_bytes (stream, 16 * 1024, NULL, error);

      if (chunk == NULL)
        return 0;
      if (g_bytes_get_size (chunk) == 0)
        break;
      g_byte_array_append (data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      if (data->len > PROBE_MAX_ANSWER)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE, _("the answer is larger than %u KiB"),
                       (guint) (PROBE_MAX_ANSWER / 1024));
          return 0;
        }
    }

  if (answer != NULL)
    *answer = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  return soup_message_get_status (message);
}

static char *
mailbox_url_join (const char *base,
                  const char *suffix)
{
  gsize length = strlen (base);

  while (length > 0 && base[length - 1] == '/')
    length--;
  return g_strdup_printf ("%.*s%s", (int) length, base, suffix);
}

typedef enum {
  MAILBOX_UNKNOWN,   /* no usable answer */
  MAILBOX_LIVE,
  MAILBOX_TRAINING,
} MailboxMode;

/* A training mailbox takes keys over the network (so an empty key is "malformed"); a live
 * one refuses enrolment altogether (403). Nothing is enrolled by asking. */
static MailboxMode
probe_mailbox_mode (SoupSession      *session,
                    const char       *url,
                    GTlsCertificate  *pinned,
                    GError          **error)
{
  g_autofree char *enrol_url = mailbox_url_join (url, "/v1/enrol");
  g_autoptr(GBytes) answer = NULL;
  guint status = probe_request (session, "POST", enrol_url, "application/jwk+json", "{}", pinned, &answer, error);

  if (status == SOUP_STATUS_FORBIDDEN)
    return MAILBOX_LIVE;
  if (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE)
    return MAILBOX_TRAINING;
  if (status != 0)
    g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                 _("%s answers %u %s, not as a Meldwijzer mailbox (check the mailbox name)"),
                 url, status, soup_status_get_phrase (status));
  return MAILBOX_UNKNOWN;
}

/* The mailbox's receipt key from <url>/v1/keys, as a public JWK. */
static MwSigner *
fetch_mailbox_key (SoupSession      *session,
                   const char       *url,
                   GTlsCertificate  *pinned,
                   GError          **error)
{
  g_autofree char *keys_url = mailbox_url_join (url, "/v1/keys");
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *jwk = NULL;
  JsonObject *object;
  JsonArray *keys;
  guint status;

  status = probe_request (session, "GET", keys_url, NULL, NULL, pinned, &answer, error);
  if (status == 0)
    return NULL;
  if (status != SOUP_STATUS_OK)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("%s answers %u %s"),
                   keys_url, status, soup_status_get_phrase (status));
      return NULL;
    }

  node = mw_json_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), keys_url, error);
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member ((object = json_node_get_object (node)), "keys") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "keys")) ||
      json_array_get_length ((keys = json_object_get_array_member (object, "keys"))) != 1)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: keys: expected a JWK Set with exactly one key"), keys_url);
      return NULL;
    }

  jwk = mw_json_to_canonical (json_array_get_element (keys, 0));
  return mw_signer_new_from_jwk (jwk, error);
}

/* endpoint set RECIPIENT URL [--pin CERT.pem] [--receipt-key KEY.jwk] [--training] | list -------- */

/* A mailbox base URL: a path that names the mailbox, nothing after it. */
static gboolean
check_mailbox_url (const char  *url,
                   GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *path = NULL;

  if (uri == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("“%s” is not a URL"), url);
      return FALSE;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("“%s” has a user name, a query (?…) or a fragment (#…); give the plain mailbox base URL, like https://intake.example.nl/ncsc"),
                   url);
      return FALSE;
    }
  path = g_strdup (g_uri_get_path (uri));
  g_strdelimit (path, "/", ' ');
  g_strstrip (path);
  if (*path == '\0')
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("“%s” names no mailbox; give the mailbox base URL, like https://intake.example.nl/ncsc"), url);
      return FALSE;
    }
  return TRUE;
}

#define ENDPOINT_SET_USAGE "endpoint set RECIPIENT URL [--pin CERT.pem] [--receipt-key KEY.jwk] [--training]"

static int
endpoint_set (int    argc,
              char **argv)
{
  g_autofree char *pin_path = NULL;
  g_autofree char *key_path = NULL;
  gboolean training = FALSE;
  const GOptionEntry entries[] = {
    { "pin", 0, 0, G_OPTION_ARG_FILENAME, &pin_path,
      N_("Accept only this TLS certificate (PEM) from the recipient"), N_("CERT.pem") },
    { "receipt-key", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      N_("The recipient’s public key (JWK) that its receipts must be signed with"), N_("KEY.jwk") },
    { "training", 0, 0, G_OPTION_ARG_NONE, &training,
      N_("Set the training mailbox of the recipient instead of its live endpoint"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("RECIPIENT URL"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) recipients = NULL;
  g_autoptr(MwStoreEndpoint) endpoint = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(MwSigner) receipt_key = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *pem = NULL;
  const char *recipient, *url;

  g_option_context_set_summary (context, _("Set where a recipient (its id in the regime file) receives reports.\n\n"
                                           "Without --training the mailbox is asked whether it is a training mailbox. "
                                           "A live mailbox’s receipt key is fetched and shown, to be confirmed with the "
                                           "recipient by phone, unless --receipt-key gives it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage (ENDPOINT_SET_USAGE);
    }
  if (argc != 3)
    return mw_cli_usage (ENDPOINT_SET_USAGE);
  recipient = argv[1];
  url = argv[2];

  recipients = collect_recipients ();
  if (!g_hash_table_contains (recipients, recipient))
    {
      GList *keys = g_list_sort (g_hash_table_get_keys (recipients), (GCompareFunc) g_strcmp0);
      g_autoptr(GString) known = g_string_new (NULL);

      for (GList *l = keys; l != NULL; l = l->next)
        g_string_append_printf (known, "%s%s", known->len ? ", " : "", (const char *) l->data);
      g_list_free (keys);
      mw_cli_error (_("RECIPIENT: “%s” is not a recipient of any regime; use one of: %s"),
                    recipient, known->len ? known->str : _("(no regime files found)"));
      return MW_EXIT_NEGATIVE;
    }

  if (strlen (url) > MW_STORE_MAX_URL_BYTES || !mw_delivery_check_url (url, &error))
    {
      mw_cli_error ("URL: %s", error ? error->message : _("the URL is too long"));
      return MW_EXIT_NEGATIVE;
    }
  if (!check_mailbox_url (url, &error))
    {
      mw_cli_error ("URL: %s", error->message);
      return MW_EXIT_NEGATIVE;
    }

  if (pin_path != NULL)
    {
      g_autofree char *text = read_text_file (pin_path, MW_STORE_MAX_PEM_BYTES, &error);

      if (text == NULL)
        {
          mw_cli_error ("--pin: %s", error->message);
          return MW_EXIT_NEGATIVE;
        }
      if (g_ascii_strncasecmp (url, "https:", 6) != 0)
        {
          mw_cli_error (_("--pin: %s: a certificate pin applies to https:// URLs only, and “%s” is not one"),
                        pin_path, url);
          return MW_EXIT_NEGATIVE;
        }
      certificate = g_tls_certificate_new_from_pem (text, -1, &error);
      if (certificate == NULL)
        {
          mw_cli_error (_("--pin: %s: not a PEM certificate: %s"), pin_path, error->message);
          return MW_EXIT_NEGATIVE;
        }
      g_object_get (certificate, "certificate-pem", &pem, NULL);
    }

  if (key_path != NULL)
    {
      g_autofree char *text = read_text_file (key_path, MAX_JWK_BYTES, &error);

      if (text == NULL)
        {
          mw_cli_error ("--receipt-key: %s", error->message);
          return MW_EXIT_NEGATIVE;
        }
      receipt_key = mw_signer_new_from_jwk (text, &error);
      if (receipt_key == NULL)
        {
          mw_cli_error (_("--receipt-key: %s: not a usable Ed25519 public key: %s"), key_path, error->message);
          return MW_EXIT_NEGATIVE;
        }
    }

  /* Unless told, ask the mailbox whether it is a training mailbox; a live one's receipt key
   * is fetched now and shown, to be confirmed with the recipient. */
  if (!training)
    {
      g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, "user-agent",
                                                                      "Meldwijzer/" PACKAGE_VERSION, NULL);
      g_autoptr(GError) probe_error = NULL;
      MailboxMode mode = probe_mailbox_mode (session, url, certificate, &probe_error);

      if (mode == MAILBOX_TRAINING)
        {
          training = TRUE;
          g_print (_("%s: %s is a training mailbox: it is stored as the training mailbox of %s, "
                     "for training reports only\n"), recipient, url, recipient);
        }
      else if (mode == MAILBOX_UNKNOWN)
        {
          g_printerr (_("meldwijzer-cli: warning: %s: could not ask the mailbox (%s); it is stored as the live endpoint\n"),
                      url, probe_error->message);
        }
      else if (receipt_key == NULL)
        {
          receipt_key = fetch_mailbox_key (session, url, certificate, &probe_error);
          if (receipt_key != NULL)
            {
              g_autofree char *grouped = mw_signer_format_thumbprint (receipt_key);

              g_print (_("%s: the mailbox signs its receipts with key %s\n"), recipient, grouped);
              g_print (_("%s: confirm this thumbprint with the recipient by phone; receipts signed with another key are refused\n"),
                       recipient);
            }
          else
            g_printerr (_("meldwijzer-cli: warning: %s: could not fetch the receipt key (%s)\n"),
                        url, probe_error->message);
        }
    }

  store = open_store ();
  if (store == NULL)
    return MW_EXIT_NEGATIVE;

  endpoint = mw_store_endpoint_new (recipient, training, url);
  endpoint->pinned_cert_pem = g_steal_pointer (&pem);
  endpoint->pinned_jwk = receipt_key ? mw_signer_to_public_jwk (receipt_key) : NULL;
  if (!mw_store_set_endpoint (store, endpoint, &error))
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }

  g_print (training ? _("%s: training mailbox set to %s\n") : _("%s: live endpoint set to %s\n"),
           recipient, url);
  if (receipt_key != NULL)
    g_print (_("%s: receipts must be signed with key %s\n"), recipient, mw_signer_get_thumbprint (receipt_key));
  else if (training)
    g_print (_("%s: the mailbox key is fetched and pinned at the first delivery\n"), recipient);
  else
    g_printerr (_("meldwijzer-cli: warning: %s has no receipt key, so its receipts cannot be checked and no report "
                  "is sent to it; set one with “meldwijzer-cli endpoint set %s %s --receipt-key KEY.jwk”\n"),
                recipient, recipient, url);
  return MW_EXIT_OK;
}

static int
endpoint_list (int    argc,
               char **argv)
{
  g_autoptr(MwStore) store = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 1)
    return mw_cli_usage ("endpoint list");

  store = open_store ();
  if (store == NULL)
    return MW_EXIT_NEGATIVE;
  endpoints = mw_store_list_endpoints (store, &error);
  if (endpoints == NULL)
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }
  if (endpoints->len == 0)
    {
      g_print ("%s\n", _("No endpoints are configured: training reports go to a practice intake on this computer; live reports wait in the outbox until an endpoint is set (or are filed by hand)."));
      return MW_EXIT_OK;
    }

  g_print ("%-10s %-9s %-4s %-44s %s\n", _("RECIPIENT"), _("MODE"), _("PIN"), _("RECEIPT KEY"), _("URL"));
  for (guint i = 0; i < endpoints->len; i++)
    {
      const MwStoreEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      g_autoptr(MwSigner) key = NULL;

      if (endpoint->pinned_jwk != NULL)
        key = mw_signer_new_from_jwk (endpoint->pinned_jwk, NULL);
      g_print ("%-10s %-9s %-4s %-44s %s\n",
               endpoint->recipient,
               endpoint->training ? _("training") : _("live"),
               endpoint->pinned_cert_pem ? _("yes") : _("no"),
               key ? mw_signer_get_thumbprint (key) : (endpoint->pinned_jwk ? _("(unusable)") : "-"),
               endpoint->url);
    }
  return MW_EXIT_OK;
}

int
mw_cli_endpoint (int    argc,
                 char **argv)
{
  static const char usage[] = ENDPOINT_SET_USAGE " | endpoint list";

  if (argc < 2)
    return mw_cli_usage (usage);
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_print ("%s: meldwijzer-cli %s\n", _("Usage"), usage);
      return MW_EXIT_OK;
    }
  if (g_str_equal (argv[1], "set"))
    return endpoint_set (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "list"))
    return endpoint_list (argc - 1, argv + 1);

  mw_cli_error (_("unknown endpoint command “%s”: use set or list"), argv[1]);
  return mw_cli_usage (usage);
}

/* Delivery ------------------------------------------------------------------------------ */

typedef struct {
  GMainLoop *loop;
  GError    *error;
  gboolean   done;
} Wait;

static void
on_delivery_run (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Wait *wait = user_data;

  mw_delivery_run_finish (MW_DELIVERY (source), result, &wait->error);
  wait->done = TRUE;
  g_main_loop_quit (wait->loop);
}

static void
on_practice_started (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Wait *wait = user_data;

  mw_training_intake_start_finish (MW_TRAINING_INTAKE (source), result, &wait->error);
  wait->done = TRUE;
  g_main_loop_quit (wait->loop);
}

/* The practice intake, for training deliveries to recipients without a reachable training
 * mailbox: a local meldwijzer-intake --training on the same database as the wizard's
 * ("training-intake.db" beside the store), alive while this command runs. Its mailboxes are
 * entered as training endpoints for the run and removed afterwards. A training endpoint
 * pinned to the practice intake's key (as the wizard leaves them) is reused while it
 * answers, and replaced for the run when nobody listens there any more. */
typedef struct {
  MwStore          *store;
  MwTrainingIntake *intake;
  GPtrArray        *recipients;   /* char*: endpoints entered for this run */
} Practice;

static char *
practice_db_path (MwStore *store)
{
  g_autofree char *dir = g_path_get_dirname (mw_store_get_path (store));

  return g_build_filename (dir, "training-intake.db", NULL);
}

/* The thumbprint of the practice intake's receipt key, or NULL when it has none yet. */
static char *
practice_thumbprint (MwStore *store)
{
  g_autofree char *db = practice_db_path (store);
  g_autofree char *key_path = g_strconcat (db, ".key", NULL);
  char *jwk = g_file_test (key_path, G_FILE_TEST_IS_REGULAR) ?
              read_text_file (key_path, MAX_JWK_BYTES, NULL) : NULL;
  g_autoptr(MwSigner) key = jwk ? mw_signer_new_from_jwk (jwk, NULL) : NULL;

  mw_secure_free (jwk);   /* the intake's private key */

  return key ? g_strdup (mw_signer_get_thumbprint (key)) : NULL;
}

static gboolean
is_practice_endpoint (const MwStoreEndpoint *endpoint,
                      const char            *thumbprint)
{
  g_autoptr(MwSigner) key = NULL;

  if (thumbprint == NULL || endpoint->pinned_jwk == NULL)
    return FALSE;
  key = mw_signer_new_from_jwk (endpoint->pinned_jwk, NULL);
  return key != NULL && g_str_equal (mw_signer_get_thumbprint (key), thumbprint);
}

/* Does anything accept a connection at the endpoint's host and port? */
static gboolean
endpoint_answers (const char *url)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 2);
  connection = g_socket_client_connect_to_uri (client, url, 80, NULL, NULL);
  if (connection != NULL)
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return connection != NULL;
}

static void
practice_stop (Practice *practice)
{
  if (practice == NULL)
    return;

  for (guint i = 0; practice->recipients && i < practice->recipients->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!mw_store_delete_endpoint (practice->store, g_ptr_array_index (practice->recipients, i), TRUE, &error))
        g_warning ("%s", error->message);
    }
  if (practice->intake != NULL)
    mw_training_intake_stop (practice->intake);
  g_clear_object (&practice->intake);
  g_clear_object (&practice->store);
  g_clear_pointer (&practice->recipients, g_ptr_array_unref);
  g_free (practice);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Practice, practice_stop)

/* Starts the practice intake when a due training delivery (of report_id, or of any report
 * for NULL) has no training mailbox. NULL without an error when none is needed; NULL with an
 * error when it could not start (the deliveries then stay pending with the store's message). */
static Practice *
practice_start_if_needed (MwStore     *store,
                          const char  *report_id,
                          MwSigner    *signer,
                          GError     **error)
{
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) mailboxes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(Practice) practice = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *db = NULL;
  g_autofree char *public_jwk = NULL;
  g_autofree char *receipt_jwk = NULL;
  g_autofree char *thumbprint = NULL;
  Wait wait = { 0 };

  due = mw_store_list_due_deliveries (store, g_get_real_time (), error);
  if (due == NULL)
    return NULL;

  for (guint i = 0; i < due->len; i++)
    {
      const MwStoreDelivery *row = g_ptr_array_index (due, i);
      g_autoptr(MwStoreEndpoint) endpoint = NULL;

      if (!row->training || (report_id != NULL && g_strcmp0 (row->report_id, report_id) != 0))
        continue;
      if (g_ptr_array_find_with_equal_func (mailboxes, row->recipient, g_str_equal, NULL))
        continue;
      endpoint = mw_store_get_endpoint (store, row->recipient, TRUE, NULL);
      if (endpoint != NULL)
        {
          if (thumbprint == NULL)
            thumbprint = practice_thumbprint (store);
          if (!is_practice_endpoint (endpoint, thumbprint) || endpoint_answers (endpoint->url))
            continue;
        }
      if (!mw_is_mailbox_name (row->recipient))
        continue;
      g_ptr_array_add (mailboxes, g_strdup (row->recipient));
    }

  if (mailboxes->len == 0)
    return NULL;
  g_ptr_array_add (mailboxes, NULL);

  db = practice_db_path (store);
  practice = g_new0 (Practice, 1);
  practice->store = g_object_ref (store);
  practice->recipients = g_ptr_array_new_with_free_func (g_free);
  practice->intake = mw_training_intake_new (db, (const char * const *) mailboxes->pdata);

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  public_jwk = signer ? mw_signer_to_public_jwk (signer) : NULL;
  mw_training_intake_start_async (practice->intake, public_jwk, NULL, on_practice_started, &wait);
  if (!wait.done)
    g_main_loop_run (loop);
  if (wait.error != NULL)
    {
      g_propagate_prefixed_error (error, wait.error, _("The practice intake could not start: "));
      return NULL;
    }

  receipt_jwk = mw_training_intake_dup_receipt_jwk (practice->intake, error);
  if (receipt_jwk == NULL)
    return NULL;

  for (guint i = 0; g_ptr_array_index (mailboxes, i) != NULL; i++)
    {
      const char *recipient = g_ptr_array_index (mailboxes, i);
      g_autoptr(MwStoreEndpoint) endpoint = NULL;
      g_autofree char *url = mw_training_intake_dup_mailbox_url (practice->intake, recipient);

      endpoint = mw_store_endpoint_new (recipient, TRUE, url);
      endpoint->pinned_jwk = g_strdup (receipt_jwk);
      if (!mw_store_set_endpoint (store, endpoint, error))
        return NULL;
      g_ptr_array_add (practice->recipients, g_strdup (recipient));
    }

  return g_steal_pointer (&practice);
}

/* Runs every due delivery (of report_id, or all for NULL) to an outcome. */
static gboolean
deliver (MwStore     *store,
         MwSigner    *signer,
         const char  *report_id,
         GError     **error)
{
  g_autoptr(MwDelivery) delivery = mw_delivery_new (store);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(Practice) practice = NULL;
  g_autoptr(GError) practice_error = NULL;
  Wait wait = { loop, NULL, FALSE };

  practice = practice_start_if_needed (store, report_id, signer, &practice_error);
  if (practice_error != NULL)
    mw_cli_error ("%s", practice_error->message);

  if (signer != NULL)
    mw_delivery_set_signer (delivery, signer);
  mw_delivery_run_async (delivery, report_id, NULL, on_delivery_run, &wait);
  if (!wait.done)
    g_main_loop_run (loop);

  if (wait.error != NULL)
    {
      g_propagate_error (error, wait.error);
      return FALSE;
    }
  return TRUE;
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* The regime named in a signed report's payload, loaded once per id (NULL when it cannot be). */
static MwRegime *
regime_of_delivery (const MwStoreDelivery *row,
                    GHashTable            *regimes)
{
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *id;
  MwRegime *regime;

  if (row->jws == NULL || !mw_jws_parse (row->jws, NULL, NULL, &payload, NULL))
    return NULL;
  node = mw_json_parse (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "report", NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (id = mw_json_get_string (json_node_get_object (node), "regime")) == NULL)
    return NULL;
  if (g_hash_table_contains (regimes, id))
    return g_hash_table_lookup (regimes, id);
  regime = mw_regime_load (id, NULL);
  g_hash_table_insert (regimes, g_strdup (id), regime);
  return regime;
}

/* For a delivery that has no endpoint: how to file it by hand instead. */
static void
print_manual_hint (const MwStoreDelivery *row,
                   GHashTable            *regimes)
{
  MwRegime *regime = regime_of_delivery (row, regimes);
  const MwRecipient *recipient = regime ? mw_regime_find_recipient (regime, row->recipient) : NULL;

  if (recipient != NULL && recipient->channels != NULL && recipient->channels->len > 0)
    {
      g_print ("    %s %s:\n", _("To file by hand, contact"), mw_label_get (&recipient->name));
      for (guint i = 0; i < recipient->channels->len; i++)
        {
          const MwChannel *channel = g_ptr_array_index (recipient->channels, i);
          const char *label = mw_label_get (&channel->label);

          g_print ("      %-6s %s%s%s\n", channel->kind, channel->value,
                   label && *label ? " — " : "", label ? label : "");
        }
    }
  g_print ("    %s\n", _("The signed report is the output of “meldwijzer-cli sign REPORT.json” (the same bytes)."));
  g_print ("    %s meldwijzer-cli outbox manual %s %s --note \"…\"\n",
           _("Once filed:"), row->report_id, row->recipient);
}

/* Prints one line per delivery; returns how many are pending or failed (and how many of
 * those failed in *n_failed). */
static guint
print_deliveries (GPtrArray *deliveries,
                  gboolean   with_report_id,
                  guint     *n_failed)
{
  g_autoptr(GHashTable) regimes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_if_set);
  guint open = 0;

  *n_failed = 0;

  for (guint i = 0; i < deliveries->len; i++)
    {
      const MwStoreDelivery *row = g_ptr_array_index (deliveries, i);
      g_autofree char *prefix = with_report_id ? g_strdup_printf ("%s %s", row->report_id, row->recipient)
                                               : g_strdup (row->recipient);

      switch (row->state)
        {
        case MW_DELIVERY_STATE_DELIVERED:
          g_print (_("%s: delivered%s, receipt %s, received at %s\n"), prefix,
                   row->training ? _(" (training)") : "",
                   row->receipt_id, row->received_at);
          break;

        case MW_DELIVERY_STATE_PENDING:
          {
            g_autofree char *next = format_time (row->next_attempt_at);

            open++;
            g_print (_("%s: pending%s, %u attempt(s), next attempt at %s: %s\n"), prefix,
                     row->training ? _(" (training)") : "",
                     row->attempts, next, row->last_error ? row->last_error : _("not tried yet"));
            if (row->url == NULL && !row->training)
              print_manual_hint (row, regimes);
          }
          break;

        case MW_DELIVERY_STATE_FAILED:
          open++;
          (*n_failed)++;
          g_print (_("%s: failed%s, %u attempt(s): %s\n"), prefix,
                   row->training ? _(" (training)") : "",
                   row->attempts, row->last_error ? row->last_error : _("refused"));
          break;

        case MW_DELIVERY_STATE_MANUAL:
          g_print (_("%s: filed by hand%s%s\n"), prefix,
                   row->note && *row->note ? ": " : "", row->note ? row->note : "");
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return open;
}

static void
print_open_hint (guint open,
                 guint n_failed)
{
  if (open == 0)
    return;
  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "meldwijzer-cli: %u delivery is not complete",
                           "meldwijzer-cli: %u deliveries are not complete",
                           open), open);
  if (n_failed < open)
    g_printerr ("; %s", _("“meldwijzer-cli outbox retry” tries the pending ones again now"));
  if (n_failed > 0)
    g_printerr ("; %s", _("a refused one is tried again with “meldwijzer-cli outbox retry --include-failed” once the cause above is fixed"));
  g_printerr ("\n");
}

/* submit REPORT.json ------------------------------------------------------------------ */

int
mw_cli_submit (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("REPORT.json"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr(MwKeyring) keyring = NULL;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  g_autofree char *jws = NULL;
  GPtrArray *assessed;
  const char *path, *report_id;
  guint open, n_failed;

  g_option_context_set_summary (context, _("Sign a complete report, store it and deliver it to every recipient; "
                                           "print the receipts. Exit code 1 while any delivery is pending or failed."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage ("submit REPORT.json");
    }
  if (argc != 2)
    return mw_cli_usage ("submit REPORT.json");
  path = argv[1];

  report = mw_report_new_from_file (path, &error);
  if (report == NULL)
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }

  problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  if (problems != NULL && problems->len > 0)
    {
      mw_cli_print_problems (path, problems);
      mw_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "%s: not submitted: fix the problem above first",
                                 "%s: not submitted: fix the %u problems above first",
                                 problems->len),
                    path, problems->len);
      return MW_EXIT_NEGATIVE;
    }
  report_id = mw_report_get_report_id (report);

  regime = mw_regime_load (mw_report_get_regime (report), &error);
  if (regime == NULL)
    {
      mw_cli_error ("%s: regime: %s", path, error->message);
      return MW_EXIT_NEGATIVE;
    }
  assessor = mw_assessor_new (regime);
  assessment = mw_assessor_assess (assessor, report, &error);
  if (assessment == NULL)
    {
      mw_cli_error ("%s: %s", path, error->message);
      return MW_EXIT_NEGATIVE;
    }
  assessed = mw_assessment_get_recipients (assessment);
  for (guint i = 0; assessed != NULL && i < assessed->len; i++)
    {
      const MwRecipient *recipient = g_ptr_array_index (assessed, i);

      /* An advisory (such as the data protection authority) is advice, not a delivery. */
      if (g_strcmp0 (recipient->role, "advisory") == 0)
        continue;
      if (!g_ptr_array_find_with_equal_func (recipients, recipient->id, g_str_equal, NULL))
        g_ptr_array_add (recipients, recipient->id);
    }
  if (recipients->len == 0)
    {
      mw_cli_error (_("%s: provider.entity_type: regime “%s” names no recipient for entity type “%s”, so there is nobody to deliver to"),
                    path, mw_report_get_regime (report), mw_report_get_entity_type (report));
      return MW_EXIT_NEGATIVE;
    }
  g_ptr_array_add (recipients, NULL);

  keyring = mw_keyring_new (NULL);
  signer = mw_keyring_load_sync (keyring, NULL, &error);
  if (signer == NULL)
    {
      if (g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND))
        mw_cli_error (_("there is no signing key in the keyring (profile “%s”) yet: run “meldwijzer-cli key generate” first, "
                        "then give the recipients your public key"),
                      mw_keyring_get_profile (keyring));
      else
        mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }

  jws = mw_signer_sign_report (signer, report, &error);
  if (jws == NULL)
    {
      mw_cli_error ("%s: %s", path, error->message);
      return MW_EXIT_NEGATIVE;
    }

  store = open_store ();
  if (store == NULL)
    return MW_EXIT_NEGATIVE;

  if (!mw_store_submit (store, jws, (const char * const *) recipients->pdata, &error))
    {
      if (g_error_matches (error, MW_ERROR, MW_ERROR_EXISTS))
        mw_cli_error (_("%s: report_id: report %s was already submitted with other content; a signed report cannot change: "
                        "file a follow-up report with a new report_id that supersedes it"),
                      path, report_id);
      else
        mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }

  /* Submitting again means "now": pending deliveries of this report do not wait for their backoff. */
  if (mw_store_retry_now (store, report_id, FALSE, g_get_real_time (), &error) < 0)
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }

  g_print (mw_report_get_training (report) ? _("Training report %s signed with key %s\n")
                                           : _("Report %s signed with key %s\n"),
           report_id, mw_signer_get_thumbprint (signer));

  if (!deliver (store, signer, report_id, &error))
    {
      mw_cli_error (_("the report is stored, but its delivery could not be recorded: %s"), error->message);
      return MW_EXIT_NEGATIVE;
    }

  deliveries = mw_store_list_deliveries (store, report_id, &error);
  if (deliveries == NULL)
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }
  open = print_deliveries (deliveries, FALSE, &n_failed);
  print_open_hint (open, n_failed);
  return open > 0 ? MW_EXIT_NEGATIVE : MW_EXIT_OK;
}

/* outbox [list|retry] [--include-failed] ---------------------------------------------- */

#define OUTBOX_USAGE "outbox [list|retry] [--include-failed] | outbox manual REPORT_ID RECIPIENT [--note TEXT]"

/* outbox manual REPORT_ID RECIPIENT [--note TEXT]: filed by hand. */
static int
outbox_manual (int    argc,
               char **argv)
{
  g_autofree char *note = NULL;
  const GOptionEntry entries[] = {
    { "note", 0, 0, G_OPTION_ARG_STRING, &note,
      N_("How and when it was filed (phone call, e-mail, web form, reference)"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("REPORT_ID RECIPIENT"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(MwStoreDelivery) row = NULL;

  g_option_context_set_summary (context, _("Record that a delivery was filed by hand, through the recipient’s own channels."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage ("outbox manual REPORT_ID RECIPIENT [--note TEXT]");
    }
  if (argc != 3)
    return mw_cli_usage ("outbox manual REPORT_ID RECIPIENT [--note TEXT]");
  if (note != NULL && strlen (note) > MW_STORE_MAX_ERROR_BYTES)
    {
      mw_cli_error (_("--note: the note is longer than %u bytes"), (guint) MW_STORE_MAX_ERROR_BYTES);
      return MW_EXIT_NEGATIVE;
    }

  store = open_store ();
  if (store == NULL)
    return MW_EXIT_NEGATIVE;
  row = mw_store_get_delivery (store, argv[1], argv[2], &error);
  if (row == NULL)
    {
      mw_cli_error (_("there is no delivery of report %s to %s: see “meldwijzer-cli outbox list”"), argv[1], argv[2]);
      return MW_EXIT_NEGATIVE;
    }
  if (row->state == MW_DELIVERY_STATE_DELIVERED)
    {
      mw_cli_error (_("report %s was already delivered to %s, with receipt %s: nothing to file by hand"),
                    argv[1], argv[2], row->receipt_id);
      return MW_EXIT_NEGATIVE;
    }
  if (!mw_store_mark_manual (store, argv[1], argv[2], note, &error))
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }
  g_print (_("%s %s: recorded as filed by hand\n"), argv[1], argv[2]);
  return MW_EXIT_OK;
}

int
mw_cli_outbox (int    argc,
               char **argv)
{
  gboolean include_failed = FALSE;
  const GOptionEntry entries[] = {
    { "include-failed", 0, 0, G_OPTION_ARG_NONE, &include_failed,
      N_("retry: also try deliveries that the recipient refused again"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[list|retry]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  const char *action = "list";
  guint open, n_failed;

  if (argc >= 2 && g_str_equal (argv[1], "manual"))
    return outbox_manual (argc - 1, argv + 1);

  g_option_context_set_summary (context, _("List every delivery, or retry every pending one now. "
                                           "Exit code 1 while any delivery is pending or failed."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage (OUTBOX_USAGE);
    }
  if (argc > 2)
    return mw_cli_usage (OUTBOX_USAGE);
  if (argc == 2)
    action = argv[1];
  if (!g_str_equal (action, "list") && !g_str_equal (action, "retry"))
    {
      mw_cli_error (_("unknown outbox command “%s”: use list or retry"), action);
      return mw_cli_usage (OUTBOX_USAGE);
    }

  store = open_store ();
  if (store == NULL)
    return MW_EXIT_NEGATIVE;

  if (g_str_equal (action, "retry"))
    {
      g_autoptr(MwKeyring) keyring = mw_keyring_new (NULL);
      g_autoptr(MwSigner) signer = NULL;
      g_autoptr(GError) key_error = NULL;
      gint n;

      n = mw_store_retry_now (store, NULL, include_failed, g_get_real_time (), &error);
      if (n < 0)
        {
          mw_cli_error ("%s", error->message);
          return MW_EXIT_NEGATIVE;
        }

      /* Only needed to enrol at a training mailbox for the first time. */
      signer = mw_keyring_load_sync (keyring, NULL, &key_error);
      if (signer == NULL)
        g_debug ("No signing key for enrolment: %s", key_error->message);

      if (!deliver (store, signer, NULL, &error))
        {
          mw_cli_error (_("the deliveries could not be recorded: %s"), error->message);
          return MW_EXIT_NEGATIVE;
        }
    }

  deliveries = mw_store_list_deliveries (store, NULL, &error);
  if (deliveries == NULL)
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }
  if (deliveries->len == 0)
    {
      g_print ("%s\n", _("The outbox is empty: nothing was submitted yet."));
      return MW_EXIT_OK;
    }

  open = print_deliveries (deliveries, TRUE, &n_failed);
  print_open_hint (open, n_failed);
  return open > 0 ? MW_EXIT_NEGATIVE : MW_EXIT_OK;
}
