/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-cli.h"
#include "mw-keyring.h"
#include "mw-report.h"
#include "mw-signer.h"

/* sign REPORT.json -------------------------------------------------------------------- */

int
mw_cli_sign (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("REPORT.json"));
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(MwKeyring) keyring = NULL;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;
  const char *path;

  g_option_context_set_summary (context, _("Sign a complete report with the organisation’s key and print the compact JWS."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage ("sign REPORT.json > REPORT.jws");
    }
  if (argc != 2)
    return mw_cli_usage ("sign REPORT.json > REPORT.jws");
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
                                 "%s: not signed: fix the problem above first",
                                 "%s: not signed: fix the %u problems above first",
                                 problems->len),
                    path, problems->len);
      return MW_EXIT_NEGATIVE;
    }

  keyring = mw_keyring_new (NULL);
  signer = mw_keyring_load_sync (keyring, NULL, &error);
  if (signer == NULL)
    {
      mw_cli_keyring_error (error);
      return MW_EXIT_NEGATIVE;
    }

  jws = mw_signer_sign_report (signer, report, &error);
  if (jws == NULL)
    {
      mw_cli_error ("%s: %s", path, error->message);
      return MW_EXIT_NEGATIVE;
    }

  g_print ("%s\n", jws);
  return MW_EXIT_OK;
}
