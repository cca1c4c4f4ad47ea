/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-keyring.h"
#include "mw-report.h"
#include "mw-signer.h"
#include "mw-context.h"
#include "mw-store.h"

/* submit REPORT.json: MwFiling signs and stores it, the outbox delivers it. */

typedef struct {
  GMainLoop *loop;
  char      *jws;
  GError    *error;
} Wait;

static void
on_filed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;

  wait->jws = mw_filing_submit_finish (MW_FILING (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

int
mw_cli_submit (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("REPORT.json"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(MwKeyring) keyring = NULL;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(MwContext) services = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Wait wait = { 0 };
  const char *path, *report_id;
  guint open, n_failed, n_awaiting;

  g_option_context_set_summary (context, _("Sign a complete report, store it and deliver it to every recipient; "
                                           "print the receipts. Exit code 1 while any delivery is pending, failed or awaiting filing at a desk."));
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

  problems = mw_filing_check (report, NULL);
  if (problems->len > 0)
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

  services = mw_cli_open_context (signer);
  if (services == NULL)
    return MW_EXIT_NEGATIVE;

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  mw_filing_submit_async (mw_context_get_filing (services), report, NULL, signer, NULL, on_filed, &wait);
  g_main_loop_run (loop);
  if (wait.jws == NULL)
    {
      if (g_error_matches (wait.error, MW_ERROR, MW_ERROR_EXISTS))
        mw_cli_error (_("%s: report_id: report %s was already submitted with other content; a signed report cannot change: "
                        "file a follow-up report with a new report_id that supersedes it"),
                      path, report_id);
      else
        mw_cli_error ("%s: %s", path, wait.error->message);
      g_clear_error (&wait.error);
      return MW_EXIT_NEGATIVE;
    }
  g_free (wait.jws);

  g_print (mw_report_get_training (report) ? _("Training report %s signed with key %s\n")
                                           : _("Report %s signed with key %s\n"),
           report_id, mw_signer_get_thumbprint (signer));

  if (!mw_cli_deliver (services, report_id, &error))
    {
      mw_cli_error (_("the report is stored, but its delivery could not be recorded: %s"), error->message);
      return MW_EXIT_NEGATIVE;
    }

  store = mw_cli_open_store ();
  if (store == NULL)
    return MW_EXIT_NEGATIVE;
  deliveries = mw_store_list_deliveries (store, report_id, &error);
  if (deliveries == NULL)
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }
  open = mw_cli_print_deliveries (deliveries, FALSE, &n_failed, &n_awaiting);
  mw_cli_print_open_hint (open, n_failed, n_awaiting);
  return open > 0 ? MW_EXIT_NEGATIVE : MW_EXIT_OK;
}
