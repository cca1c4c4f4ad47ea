/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "mw-assessor.h"
#include "mw-cli.h"
#include "mw-error.h"
#include "mw-json.h"

/* Parses a command's options; returns FALSE (and has printed why) on a usage error. */
static gboolean
parse_options (const char    *parameter,
               const char    *summary,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Loads a report file; a file that cannot be opened is a usage error (2), one that is
 * not a report is a negative answer (1). */
static MwReport *
load_report (const char *path,
             int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_report_new_from_file (path, &error);

  if (report == NULL)
    {
      mw_cli_error ("%s", error->message);
      *exit_code = g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND) ? MW_EXIT_USAGE : MW_EXIT_NEGATIVE;
    }
  return report;
}

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

  if (!parse_options (_("REPORT.json"),
                      _("Decides whether a report or a draft must be reported, and why. A draft needs only "
                        "“regime”, “provider.entity_type” and “facts”; unknown facts may be left out."),
                      entries, &argc, &argv))
    return MW_EXIT_USAGE;

  if (argc != 2)
    return mw_cli_usage ("assess [--json] REPORT.json");

  report = load_report (argv[1], &exit_code);
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

  if (!parse_options (_("REPORT.json"),
                      _("Checks a report against the meldwijzer.report/1 format and prints every problem "
                        "with its field and what to do. Exit code 1 when the report is invalid."),
                      entries, &argc, &argv))
    return MW_EXIT_USAGE;

  if (argc != 2)
    return mw_cli_usage ("validate [--draft] REPORT.json");

  report = load_report (argv[1], &exit_code);
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
