/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running the due deliveries through the outbox and printing them: shared by “submit” and
 * “outbox”. */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-context.h"
#include "mw-regime.h"
#include "mw-signer.h"
#include "mw-store.h"

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
on_delivered (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  mw_outbox_deliver_finish (MW_OUTBOX (source), result, &wait->error);
  wait->done = TRUE;
  g_main_loop_quit (wait->loop);
}

/* Runs every due delivery (of report_id, or all for NULL) to an outcome, through the outbox;
 * training deliveries without a mailbox of their own go to the practice intake, which
 * lives as long as services. */
gboolean
mw_cli_deliver (MwContext  *services,
                const char  *report_id,
                GError     **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL, FALSE };

  if (!mw_context_open (services, error))
    return FALSE;
  mw_outbox_deliver_async (mw_context_get_outbox (services), report_id, NULL, on_delivered, &wait);
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

/* For a live delivery awaiting filing: where to file it (the regime's channels, the desk's
 * form first) and the command that records the filing. */
/* Whether the report's delivery to recipient awaits filing too (of those listed). */
static gboolean
awaits_filing (GPtrArray  *deliveries,
               const char *report_id,
               const char *recipient)
{
  for (guint i = 0; recipient != NULL && i < deliveries->len; i++)
    {
      const MwStoreDelivery *row = g_ptr_array_index (deliveries, i);

      if (g_str_equal (row->report_id, report_id) && g_str_equal (row->recipient, recipient))
        return row->state == MW_DELIVERY_STATE_AWAITING_FILING;
    }
  return FALSE;
}

static void
print_filing_hint (const MwStoreDelivery *row,
                   GPtrArray             *deliveries,
                   GHashTable            *regimes)
{
  MwRegime *regime = regime_of_delivery (row, regimes);
  const MwRecipient *recipient = regime ? mw_regime_find_recipient (regime, row->recipient) : NULL;
  const MwRecipient *by = recipient && recipient->forwarded_by ? mw_regime_find_recipient (regime, recipient->forwarded_by) : NULL;
  const char *channel_id = NULL;

  /* Filing at the forwarding desk covers this one, if that desk is filed at for this report. */
  if (by != NULL && awaits_filing (deliveries, row->report_id, by->id))
    {
      /* Translators: the desk that passes the report on, then the source that says so */
      g_print (_("    %s passes the report on to this recipient once it is filed there: nothing to file here (%s)\n"),
               mw_label_get (&by->name), recipient->forwarded_by_source);
      return;
    }

  if (recipient != NULL && recipient->channels != NULL && recipient->channels->len > 0)
    {
      g_print ("    %s %s:\n", _("File it at the desk of"), mw_label_get (&recipient->name));
      for (guint pass = 0; pass < 2; pass++)
        for (guint i = 0; i < recipient->channels->len; i++)
          {
            const MwChannel *channel = g_ptr_array_index (recipient->channels, i);
            const char *label = mw_label_get (&channel->label);

            /* The desk's web forms first: that is where a report is filed today. */
            if ((pass == 0) != g_str_equal (channel->kind, "web"))
              continue;
            if (channel_id == NULL && g_str_equal (channel->kind, "web") && channel->id != NULL)
              channel_id = channel->id;
            g_print ("      %-6s %s%s%s%s%s\n", channel->kind, channel->value,
                     label && *label ? " — " : "", label ? label : "",
                     channel->id ? "  --channel " : "", channel->id ? channel->id : "");
          }
    }
  g_print ("    %s\n", _("The signed report is the output of “meldwijzer-cli sign REPORT.json” (the same bytes)."));
  g_print ("    %s meldwijzer-cli outbox manual %s %s --reference REF --at \"YYYY-MM-DD HH:MM\"%s%s\n",
           _("Once filed, record the reference the desk gave and when (Dutch time):"),
           row->report_id, row->recipient, channel_id ? " --channel " : "", channel_id ? channel_id : "");
}

/* What the user can do about a delivery that its endpoint's configuration holds up (the
 * library says what is wrong; the command line says which command puts it right). */
static void
print_endpoint_hint (const MwStoreDelivery *row)
{
  if (row->url != NULL && !row->training && row->pinned_jwk == NULL)
    g_print ("    %s meldwijzer-cli endpoint set %s %s --receipt-key KEY.jwk; meldwijzer-cli outbox retry --include-failed\n",
             _("Set the key the recipient signs its receipts with:"), row->recipient, row->url);
  else if (row->url != NULL && row->last_error != NULL && strstr (row->last_error, "TLS") != NULL)
    g_print ("    %s meldwijzer-cli endpoint set %s %s --pin CERT.pem\n",
             _("If the recipient changed or uses its own certificate, check it with them and pin it:"),
             row->recipient, row->url);
  else if (row->training && row->url == NULL)
    g_print ("    %s meldwijzer-cli endpoint set %s URL --training\n",
             _("A practice intake on this computer is started by “meldwijzer-cli outbox retry”; or set a training mailbox:"),
             row->recipient);
}

/* Prints one line per delivery; returns how many are pending, failed or awaiting filing
 * (and how many of those failed in *n_failed, await filing in *n_awaiting). */
guint
mw_cli_print_deliveries (GPtrArray *deliveries,
                         gboolean   with_report_id,
                         guint     *n_failed,
                         guint     *n_awaiting)
{
  g_autoptr(GHashTable) regimes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_if_set);
  guint open = 0;

  *n_failed = 0;
  *n_awaiting = 0;

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
            print_endpoint_hint (row);
          }
          break;

        case MW_DELIVERY_STATE_FAILED:
          open++;
          (*n_failed)++;
          g_print (_("%s: failed%s, %u attempt(s): %s\n"), prefix,
                   row->training ? _(" (training)") : "",
                   row->attempts, row->last_error ? row->last_error : _("refused"));
          print_endpoint_hint (row);
          break;

        case MW_DELIVERY_STATE_AWAITING_FILING:
          open++;
          (*n_awaiting)++;
          g_print (_("%s: awaiting filing at the desk (no endpoint)\n"), prefix);
          print_filing_hint (row, deliveries, regimes);
          break;

        case MW_DELIVERY_STATE_FILED_BY_HAND:
          if (row->reference != NULL)
            g_print (_("%s: filed by hand at %s, reference %s%s%s\n"), prefix, row->filed_at, row->reference,
                     row->channel ? _(", through ") : "", row->channel ? row->channel : "");
          else
            g_print (_("%s: filed by hand%s%s\n"), prefix,
                     row->note && *row->note ? ": " : "", row->note ? row->note : "");
          break;

        case MW_DELIVERY_STATE_FORWARDED:
          g_print (_("%s: forwarded by %s (filed there at %s)\n"), prefix, row->forwarded_by,
                   row->filed_at ? row->filed_at : "?");
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return open;
}

void
mw_cli_print_open_hint (guint open,
                        guint n_failed,
                        guint n_awaiting)
{
  if (open == 0)
    return;
  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "meldwijzer-cli: %u delivery is not complete",
                           "meldwijzer-cli: %u deliveries are not complete",
                           open), open);
  if (n_awaiting > 0)
    g_printerr ("; %s", _("file the report at each desk named above, then record it with “meldwijzer-cli outbox manual”"));
  if (n_failed + n_awaiting < open)
    g_printerr ("; %s", _("“meldwijzer-cli outbox retry” tries the pending ones again now"));
  if (n_failed > 0)
    g_printerr ("; %s", _("a refused one is tried again with “meldwijzer-cli outbox retry --include-failed” once the cause above is fixed"));
  g_printerr ("\n");
}

static void
add_nullable (JsonBuilder *builder,
              const char  *name,
              const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The incident a signed report belongs to, from its payload (NULL when unreadable). */
static char *
incident_of_delivery (const MwStoreDelivery *row)
{
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (row->jws == NULL || !mw_jws_parse (row->jws, NULL, NULL, &payload, NULL))
    return NULL;
  node = mw_json_parse (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "report", NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return g_strdup (mw_json_get_string (json_node_get_object (node), "incident_id"));
}

void
mw_cli_print_deliveries_json (GPtrArray *deliveries)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < deliveries->len; i++)
    {
      const MwStoreDelivery *row = g_ptr_array_index (deliveries, i);
      g_autofree char *incident_id = incident_of_delivery (row);
      gboolean open = row->state == MW_DELIVERY_STATE_PENDING || row->state == MW_DELIVERY_STATE_FAILED ||
                      row->state == MW_DELIVERY_STATE_AWAITING_FILING;

      json_builder_begin_object (builder);
      add_nullable (builder, "report_id", row->report_id);
      add_nullable (builder, "incident_id", incident_id);
      add_nullable (builder, "recipient", row->recipient);
      add_nullable (builder, "state", mw_delivery_state_to_string (row->state));
      add_nullable (builder, "receipt_id", row->receipt_id);
      add_nullable (builder, "received_at", row->received_at);
      add_nullable (builder, "reference", row->reference);
      add_nullable (builder, "filed_at", row->filed_at);
      add_nullable (builder, "forwarded_by", row->forwarded_by);
      add_nullable (builder, "error", open ? row->last_error : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
