/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-intake-client.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-regime.h"
#include "mw-signer.h"
#include "mw-store.h"

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

/* Asking a mailbox before it is configured, through the one intake client -------------- */

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static gboolean
probe_mailbox_mode (MwIntakeClient  *client,
                    const char      *url,
                    MwMailboxMode   *mode,
                    GError         **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { loop, NULL };

  mw_intake_client_probe_mode_async (client, url, NULL, on_answer, &wait);
  result = wait_for (&wait);
  return mw_intake_client_probe_mode_finish (client, result, mode, error);
}

/* The mailbox's receipt key from <url>/v1/keys. */
static MwSigner *
fetch_mailbox_key (MwIntakeClient  *client,
                   const char      *url,
                   GError         **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *jwk = NULL;
  Wait wait = { loop, NULL };

  mw_intake_client_fetch_key_async (client, url, NULL, on_answer, &wait);
  result = wait_for (&wait);
  jwk = mw_intake_client_fetch_key_finish (client, result, error);
  return jwk ? mw_signer_new_from_jwk (jwk, error) : NULL;
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

  if (strlen (url) > MW_STORE_MAX_URL_BYTES || !mw_intake_check_url (url, &error))
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
      g_autofree char *text = mw_cli_read_text_file (pin_path, MW_STORE_MAX_PEM_BYTES, &error);

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
      g_autofree char *text = mw_cli_read_text_file (key_path, MW_CLI_MAX_JWK_BYTES, &error);

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
      g_autoptr(MwIntakeClient) client = mw_intake_client_new ();
      g_autoptr(GError) probe_error = NULL;
      MwMailboxMode mode = MW_MAILBOX_MODE_LIVE;
      gboolean answered;

      if (pem != NULL && !mw_intake_client_pin_certificate (client, url, pem, &probe_error))
        {
          mw_cli_error ("--pin: %s", probe_error->message);
          return MW_EXIT_NEGATIVE;
        }
      answered = probe_mailbox_mode (client, url, &mode, &probe_error);

      if (answered && mode == MW_MAILBOX_MODE_TRAINING)
        {
          training = TRUE;
          g_print (_("%s: %s is a training mailbox: it is stored as the training mailbox of %s, "
                     "for training reports only\n"), recipient, url, recipient);
        }
      else if (!answered)
        {
          g_printerr (_("meldwijzer-cli: warning: %s: could not ask the mailbox (%s); it is stored as the live endpoint\n"),
                      url, probe_error->message);
          if (pem == NULL && strstr (probe_error->message, "TLS") != NULL)
            g_printerr ("%s\n", _("meldwijzer-cli: if the recipient uses its own certificate, check it with them and pin it with --pin CERT.pem"));
        }
      else if (receipt_key == NULL)
        {
          receipt_key = fetch_mailbox_key (client, url, &probe_error);
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

  store = mw_cli_open_store ();
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

  store = mw_cli_open_store ();
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
