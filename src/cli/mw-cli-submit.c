/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-assessor.h"
#include "mw-cli.h"
#include "mw-error.h"
#include "mw-keyring.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-signer.h"
#include "mw-store.h"

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

  store = mw_cli_open_store ();
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

  if (!mw_cli_deliver (store, signer, report_id, &error))
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
  open = mw_cli_print_deliveries (deliveries, FALSE, &n_failed);
  mw_cli_print_open_hint (open, n_failed);
  return open > 0 ? MW_EXIT_NEGATIVE : MW_EXIT_OK;
}
