/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-keyring.h"
#include "mw-desk-form.h"
#include "mw-signer.h"
#include "mw-context.h"
#include "mw-store.h"

/* outbox [list|retry] [--include-failed] [--json] ------------------------------------- */

#define OUTBOX_USAGE "outbox [list|retry] [--include-failed] [--json] | " MANUAL_USAGE
#define MANUAL_USAGE "outbox manual REPORT_ID RECIPIENT --reference REF [--at TIME] [--channel ID]"

/* outbox manual REPORT_ID RECIPIENT --reference REF [--at TIME] [--channel ID]: a filing at
 * the recipient's desk, recorded through MwOutbox. */
static int
outbox_manual (int    argc,
               char **argv)
{
  g_autofree char *reference = NULL;
  g_autofree char *at = NULL;
  g_autofree char *channel = NULL;
  const GOptionEntry entries[] = {
    { "reference", 0, 0, G_OPTION_ARG_STRING, &reference,
      N_("The reference or confirmation the desk gave"), N_("REF") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at,
      N_("When it was filed: RFC 3339, or without an offset in Dutch time (default: now)"), N_("TIME") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel,
      N_("The regime’s channel it was filed through (see “outbox list”)"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("REPORT_ID RECIPIENT"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) filed_at = NULL;
  g_autoptr(MwContext) services = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;

  g_option_context_set_summary (context, _("Record that a live report was filed at the recipient’s desk "
                                           "(web form, portal, e-mail or phone), with the reference it gave."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage (MANUAL_USAGE);
    }
  if (argc != 3 || reference == NULL)
    return mw_cli_usage (MANUAL_USAGE);

  if (at == NULL)
    filed_at = g_date_time_new_now_utc ();
  else if (!mw_desk_form_parse_time (at, &filed_at))
    {
      mw_cli_error (_("--at: “%s” is not a time; give it as 2026-12-06T03:10 (Dutch time) or with an offset, "
                      "2026-12-06T03:10:00+01:00"), at);
      return MW_EXIT_NEGATIVE;
    }

  services = mw_cli_open_context (NULL);
  if (services == NULL)
    return MW_EXIT_NEGATIVE;
  if (!mw_outbox_record_filing (mw_context_get_outbox (services), argv[1], argv[2], reference, filed_at,
                                channel, &error))
    {
      if (g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND))
        {
          g_autofree char *fact = g_strdup (error->message);

          if (g_str_has_suffix (fact, "."))
            fact[strlen (fact) - 1] = '\0';
          mw_cli_error (_("%s; see “meldwijzer-cli outbox list”"), fact);
        }
      else
        mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }

  store = mw_cli_open_store ();
  if (store == NULL)
    return MW_EXIT_NEGATIVE;
  deliveries = mw_store_list_deliveries (store, argv[1], &error);
  if (deliveries == NULL)
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }
  for (guint i = 0; i < deliveries->len; i++)
    {
      const MwStoreDelivery *row = g_ptr_array_index (deliveries, i);

      if (g_str_equal (row->recipient, argv[2]))
        g_print (_("%s %s: recorded as filed by hand at %s, reference %s\n"),
                 argv[1], argv[2], row->filed_at, row->reference);
      else if (row->state == MW_DELIVERY_STATE_FORWARDED && g_strcmp0 (row->forwarded_by, argv[2]) == 0)
        g_print (_("%s %s: forwarded by %s\n"), argv[1], row->recipient, argv[2]);
    }
  return MW_EXIT_OK;
}

int
mw_cli_outbox (int    argc,
               char **argv)
{
  gboolean include_failed = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "include-failed", 0, 0, G_OPTION_ARG_NONE, &include_failed,
      N_("retry: also try deliveries that the recipient refused again"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the deliveries as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[list|retry]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  const char *action = "list";
  guint open, n_failed, n_awaiting;

  if (argc >= 2 && g_str_equal (argv[1], "manual"))
    return outbox_manual (argc - 1, argv + 1);

  g_option_context_set_summary (context, _("List every delivery, or retry every pending one now. "
                                           "Exit code 1 while any delivery is pending, failed or awaiting filing."));
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

  store = mw_cli_open_store ();
  if (store == NULL)
    return MW_EXIT_NEGATIVE;

  if (g_str_equal (action, "retry"))
    {
      g_autoptr(MwKeyring) keyring = mw_keyring_new (NULL);
      g_autoptr(MwSigner) signer = NULL;
      g_autoptr(MwContext) services = NULL;
      g_autoptr(GError) key_error = NULL;
      gint n;

      /* Only needed to enrol at a training mailbox for the first time. */
      signer = mw_keyring_load_sync (keyring, NULL, &key_error);
      if (signer == NULL)
        g_debug ("No signing key for enrolment: %s", key_error->message);

      services = mw_cli_open_context (signer);
      if (services == NULL)
        return MW_EXIT_NEGATIVE;
      n = mw_outbox_retry (mw_context_get_outbox (services), NULL, include_failed, &error);
      if (n < 0)
        {
          mw_cli_error ("%s", error->message);
          return MW_EXIT_NEGATIVE;
        }
      if (!mw_cli_deliver (services, NULL, &error))
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
  if (json)
    {
      guint n_open = 0;

      mw_cli_print_deliveries_json (deliveries);
      for (guint i = 0; i < deliveries->len; i++)
        {
          MwDeliveryState state = ((MwStoreDelivery *) g_ptr_array_index (deliveries, i))->state;

          n_open += state == MW_DELIVERY_STATE_PENDING || state == MW_DELIVERY_STATE_FAILED ||
                    state == MW_DELIVERY_STATE_AWAITING_FILING;
        }
      return n_open > 0 ? MW_EXIT_NEGATIVE : MW_EXIT_OK;
    }
  if (deliveries->len == 0)
    {
      g_print ("%s\n", _("The outbox is empty: nothing was submitted yet."));
      return MW_EXIT_OK;
    }

  open = mw_cli_print_deliveries (deliveries, TRUE, &n_failed, &n_awaiting);
  mw_cli_print_open_hint (open, n_failed, n_awaiting);
  return open > 0 ? MW_EXIT_NEGATIVE : MW_EXIT_OK;
}
