/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-incidents.h"
#include "mw-keyring.h"

/* decide REPORT.json [--reason TEXT]: sign and keep a decision not to report ---------- */

int
mw_cli_decide (int    argc,
               char **argv)
{
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the incident is not reported"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(MwContext) services = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(MwKeyring) keyring = NULL;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *decision_id = NULL;
  MwIncidents *incidents;
  int exit_code = MW_EXIT_OK;

  if (!mw_cli_parse_options (_("REPORT.json"),
                             _("Record a decision not to report an incident whose verdict is voluntary or "
                               "undetermined: its facts, the criteria, the reason and who decided, signed "
                               "and kept with the incident."),
                             entries, &argc, &argv) || argc != 2)
    return mw_cli_usage ("decide REPORT.json [--reason TEXT]");

  report = mw_cli_load_report (argv[1], &exit_code);
  if (report == NULL)
    return exit_code;

  keyring = mw_keyring_new (NULL);
  signer = mw_keyring_load_sync (keyring, NULL, &error);
  if (signer == NULL)
    {
      mw_cli_keyring_error (error);
      return MW_EXIT_NEGATIVE;
    }
  incidents = mw_cli_open_incidents (&services, FALSE);
  if (incidents == NULL)
    return MW_EXIT_NEGATIVE;
  decision_id = mw_incidents_record_decision (incidents, report, reason, signer, &error);
  if (decision_id == NULL)
    {
      mw_cli_error ("%s: %s", argv[1], error->message);
      if (g_error_matches (error, MW_ERROR, MW_ERROR_INVALID) && mw_report_get_regime (report) != NULL)
        mw_cli_hint (_("“meldwijzer-cli assess %s” shows the verdict and why."), argv[1]);
      return MW_EXIT_NEGATIVE;
    }
  g_print (_("Decision %s recorded with incident %s\n"), decision_id, mw_report_get_incident_id (report));
  return MW_EXIT_OK;
}
