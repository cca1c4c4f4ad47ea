/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running the due deliveries (with the practice intake for training ones that have no
 * mailbox) and printing them: shared by “submit” and “outbox”. */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "mw-cli.h"
#include "mw-delivery.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-protocol.h"
#include "mw-regime.h"
#include "mw-signer.h"
#include "mw-store.h"
#include "mw-training.h"

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return time ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

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
              mw_cli_read_text_file (key_path, MW_CLI_MAX_JWK_BYTES, NULL) : NULL;
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
gboolean
mw_cli_deliver (MwStore     *store,
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
guint
mw_cli_print_deliveries (GPtrArray *deliveries,
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

void
mw_cli_print_open_hint (guint open,
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
