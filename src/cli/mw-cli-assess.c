/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "mw-assessor.h"
#include "mw-cli.h"
#include "mw-json.h"

int
mw_cli_assess (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the assessment as JSON"), NULL },
    { NULL }
  };
  g_autoptr(MwReport) report = NULL;
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;
  g_autoptr(GError) error = NULL;
  const char *regime_id;
  int exit_code = MW_EXIT_OK;

  if (!mw_cli_parse_options (_("REPORT.json"),
                      _("Decides whether a report or a draft must be reported, and why. A draft needs only "
                        "“regime”, “provider.entity_type” and “facts”; unknown facts may be left out."),
                      entries, &argc, &argv))
    return MW_EXIT_USAGE;

  if (argc != 2)
    return mw_cli_usage ("assess [--json] REPORT.json");

  report = mw_cli_load_report (argv[1], &exit_code);
  if (report == NULL)
    return exit_code;

  regime_id = mw_report_get_regime (report);
  if (regime_id == NULL)
    {
      g_auto(GStrv) available = mw_regime_list_available ();
      g_autofree char *list = g_strjoinv (", ", available);

      mw_cli_error (_("%s: regime: missing; add \"regime\" with one of: %s"), argv[1], list);
      return MW_EXIT_NEGATIVE;
    }

  regime = mw_regime_load (regime_id, &error);
  if (regime == NULL)
    {
      mw_cli_error ("%s: regime: %s", argv[1], error->message);
      return MW_EXIT_NEGATIVE;
    }

  assessor = mw_assessor_new (regime);
  assessment = mw_assessor_assess (assessor, report, &error);
  if (assessment == NULL)
    {
      mw_cli_error ("%s: %s", argv[1], error->message);
      return MW_EXIT_NEGATIVE;
    }

  if (json)
    {
      g_autoptr(JsonNode) node = mw_assessment_to_json (assessment);
      g_autofree char *text = mw_json_to_pretty (node);

      g_print ("%s", text);
    }
  else
    {
      g_autofree char *text = mw_assessment_explain (assessment);

      g_print ("%s", text);
    }

  return MW_EXIT_OK;
}
