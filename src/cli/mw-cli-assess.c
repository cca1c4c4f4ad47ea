/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "mw-assessor.h"
#include "mw-cli.h"
#include "mw-json.h"

/* Every installed regime that loads; one that does not is named and left out. */
static GPtrArray *
load_all_regimes (void)
{
  g_auto(GStrv) ids = mw_regime_list_available ();
  GPtrArray *regimes = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      MwRegime *regime = mw_regime_load (ids[i], &error);

      if (regime != NULL)
        g_ptr_array_add (regimes, regime);
      else
        mw_cli_error (_("regime %s left out: %s"), ids[i], error->message);
    }
  return regimes;
}

/* The regime to assess under: the report's own, unless it does not apply to an incident
 * that became known at timeline.aware_at (or now, for a draft without one); then the one
 * in force at that moment (DESIGN.md: the regime in force when the entity became aware). */
static MwRegime *
choose_regime (MwReport    *report,
               const char  *file,
               char       **reason)
{
  const char *regime_id = mw_report_get_regime (report);
  const char *entity_type = mw_report_get_entity_type (report);
  g_autoptr(GDateTime) aware_at = NULL;
  g_autoptr(GPtrArray) regimes = NULL;
  g_autoptr(MwRegime) own = NULL;
  g_autoptr(GError) error = NULL;
  MwRegime *chosen;

  if (!mw_parse_time (mw_report_get_string (report, "timeline.aware_at"), &aware_at))
    {
      /* Without a moment of awareness the report's regime stands; a draft without either
       * is assessed under the law in force now. */
      if (regime_id != NULL)
        {
          own = mw_regime_load (regime_id, &error);
          if (own == NULL)
            mw_cli_error ("%s: regime: %s", file, error->message);
          return g_steal_pointer (&own);
        }
      aware_at = g_date_time_new_now_local ();
    }

  if (regime_id != NULL)
    {
      own = mw_regime_load (regime_id, &error);
      if (own == NULL)
        {
          mw_cli_error ("%s: regime: %s", file, error->message);
          return NULL;
        }
      if (mw_regime_in_force (own, aware_at))
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, own);
          mw_regime_choose_in_force (one, aware_at, regime_id, entity_type, reason);
          return g_steal_pointer (&own);
        }
    }

  regimes = load_all_regimes ();
  chosen = mw_regime_choose_in_force (regimes, aware_at, regime_id, entity_type, reason);
  if (chosen == NULL)
    {
      if (own != NULL)
        {
          mw_cli_error (_("%s: regime: no installed regime applies to an incident that became known then; "
                          "assessing under %s as the report says"), file, regime_id);
          return g_steal_pointer (&own);
        }
      mw_cli_error (_("%s: regime: missing, and no installed regime applies to timeline.aware_at; add \"regime\""), file);
      return NULL;
    }

  if (regime_id != NULL)
    mw_cli_error (_("%s: regime: %s does not apply to this incident; assessed under %s instead. %s"),
                  file, regime_id, mw_regime_get_id (chosen), *reason);
  mw_report_set_string (report, "regime", mw_regime_get_id (chosen));
  return g_object_ref (chosen);
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
  g_autofree char *reason = NULL;
  int exit_code = MW_EXIT_OK;

  if (!mw_cli_parse_options (_("REPORT.json"),
                      _("Decides whether a report or a draft must be reported, and why. A draft needs only "
                        "“provider.entity_type” and “facts”; unknown facts may be left out. The law is the one "
                        "in force when the entity became aware (“timeline.aware_at”), else the report’s “regime”."),
                      entries, &argc, &argv))
    return MW_EXIT_USAGE;

  if (argc != 2)
    return mw_cli_usage ("assess [--json] REPORT.json");

  report = mw_cli_load_report (argv[1], &exit_code);
  if (report == NULL)
    return exit_code;

  regime = choose_regime (report, argv[1], &reason);
  if (regime == NULL)
    return MW_EXIT_NEGATIVE;

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

      if (reason != NULL)
        g_print ("%s\n", reason);
      g_print ("%s", text);
    }

  return MW_EXIT_OK;
}
