/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "mw-cli.h"
#include "mw-report.h"

int
mw_cli_validate (int    argc,
                 char **argv)
{
  gboolean draft = FALSE;
  GOptionEntry entries[] = {
    { "draft", 0, 0, G_OPTION_ARG_NONE, &draft, N_("Check a draft: only what is filled in must be right"), NULL },
    { NULL }
  };
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  int exit_code = MW_EXIT_OK;

  if (!mw_cli_parse_options (_("REPORT.json"),
                      _("Checks a report against the meldwijzer.report/1 format and prints every problem "
                        "with its field and what to do. Exit code 1 when the report is invalid."),
                      entries, &argc, &argv))
    return MW_EXIT_USAGE;

  if (argc != 2)
    return mw_cli_usage ("validate [--draft] REPORT.json");

  report = mw_cli_load_report (argv[1], &exit_code);
  if (report == NULL)
    return exit_code;

  problems = mw_report_validate (report, draft ? MW_VALIDATE_DRAFT : MW_VALIDATE_COMPLETE);
  mw_cli_print_problems (argv[1], problems);

  if (problems->len > 0)
    {
      g_printerr (ngettext ("%s: %u problem; the report is not valid\n",
                            "%s: %u problems; the report is not valid\n", problems->len),
                  argv[1], problems->len);
      return MW_EXIT_NEGATIVE;
    }

  g_print (_("%s: valid\n"), argv[1]);
  return MW_EXIT_OK;
}
