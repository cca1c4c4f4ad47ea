/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-incidents.h"

/* receipt export REPORT_ID RECIPIENT -o RECEIPT.jws ----------------------------------- */

#define RECEIPT_USAGE "receipt export REPORT_ID RECIPIENT -o RECEIPT.jws"

int
mw_cli_receipt (int    argc,
                char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the receipt to this file"), N_("RECEIPT.jws") },
    { NULL }
  };
  g_autoptr(MwContext) services = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;
  g_autofree char *text = NULL;
  MwIncidents *incidents;

  if (argc < 2 || !g_str_equal (argv[1], "export"))
    {
      if (argc >= 2)
        mw_cli_error (_("unknown receipt command “%s”: use export"), argv[1]);
      return mw_cli_usage (RECEIPT_USAGE);
    }
  argc--;
  argv++;
  if (!mw_cli_parse_options (_("REPORT_ID RECIPIENT"),
                             _("Save the receipt a recipient gave for a report: the compact JWS it signed, "
                               "as proof of when the report was filed."),
                             entries, &argc, &argv) || argc != 3 || output == NULL)
    return mw_cli_usage (RECEIPT_USAGE);

  incidents = mw_cli_open_incidents (&services, FALSE);
  if (incidents == NULL)
    return MW_EXIT_NEGATIVE;
  jws = mw_incidents_dup_receipt (incidents, argv[1], argv[2], &error);
  if (jws == NULL)
    {
      mw_cli_error ("%s", error->message);
      if (g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND))
        mw_cli_hint (_("“meldwijzer-cli incident show INCIDENT_ID” lists each report’s deliveries and receipts."));
      return MW_EXIT_NEGATIVE;
    }
  text = g_strconcat (jws, "\n", NULL);
  /* Private to the user, as the rest of what Meldwijzer keeps. */
  if (!g_file_set_contents_full (output, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }
  g_print (_("%s: the receipt of %s for report %s\n"), output, argv[2], argv[1]);
  return MW_EXIT_OK;
}
