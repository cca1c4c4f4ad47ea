/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-keyring.h"
#include "mw-signer.h"
#include "mw-context.h"
#include "mw-store.h"

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
  g_autoptr(MwContext) services = NULL;

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

  store = mw_cli_open_store ();
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
  services = mw_cli_open_context (NULL);
  if (services == NULL)
    return MW_EXIT_NEGATIVE;
  if (!mw_outbox_record_manual (mw_context_get_outbox (services), argv[1], argv[2], note, &error))
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
  if (deliveries->len == 0)
    {
      g_print ("%s\n", _("The outbox is empty: nothing was submitted yet."));
      return MW_EXIT_OK;
    }

  open = mw_cli_print_deliveries (deliveries, TRUE, &n_failed);
  mw_cli_print_open_hint (open, n_failed);
  return open > 0 ? MW_EXIT_NEGATIVE : MW_EXIT_OK;
}
