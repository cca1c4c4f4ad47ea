/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-parse"

/*
 * A fuzz target for what Meldwijzer reads from outside: reports and regime files.
 *
 * Standalone (registered as a test) with the driver of mw-fuzz-main.h; with -Dlibfuzzer=true a
 * libFuzzer target (see tests/meson.build).
 */

#include <glib/gstdio.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-regime.h"
#include "mw-report.h"

static MwRegime *cbw;

static void
exercise_report (const guint8 *data,
                 gsize         size)
{
  g_autoptr(MwReport) report = mw_report_new_from_data ((const char *) data, size, "fuzz", NULL);
  g_autoptr(GPtrArray) draft = NULL;
  g_autoptr(GPtrArray) complete = NULL;
  g_autoptr(GPtrArray) sensitive = NULL;
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;
  g_autofree char *json = NULL;

  if (report == NULL)
    return;

  draft = mw_report_validate (report, MW_VALIDATE_DRAFT);
  complete = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  sensitive = mw_report_find_sensitive_text (report);
  json = mw_report_to_canonical_json (report);

  assessor = mw_assessor_new (cbw);
  mw_report_set_string (report, "regime", "nl-cbw");
  assessment = mw_assessor_assess (assessor, report, NULL);
  if (assessment != NULL)
    {
      g_autofree char *text = mw_assessment_explain (assessment);
      g_autoptr(JsonNode) node = mw_assessment_to_json (assessment);
    }
}

static void
exercise_regime (const guint8 *data,
                 gsize         size)
{
  g_autoptr(MwRegime) regime = mw_regime_new_from_data ((const char *) data, size, "fuzz.json", NULL);
  GPtrArray *types;

  if (regime == NULL)
    return;

  types = mw_regime_get_entity_types (regime);
  for (guint i = 0; i < types->len; i++)
    {
      MwEntityType *type = g_ptr_array_index (types, i);
      g_autoptr(MwReport) report = mw_report_new ();
      g_autoptr(MwAssessor) assessor = mw_assessor_new (regime);
      g_autoptr(MwAssessment) assessment = NULL;

      mw_report_set_string (report, "regime", mw_regime_get_id (regime));
      mw_report_set_string (report, "provider.entity_type", type->id);
      mw_report_set_int (report, "facts.users_affected", 1000);
      mw_report_set_string (report, "timeline.aware_at", "2026-11-22T03:10:00+01:00");
      assessment = mw_assessor_assess (assessor, report, NULL);
      if (assessment != NULL)
        {
          g_autofree char *text = mw_assessment_explain (assessment);
        }
    }
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  if (cbw == NULL)
    cbw = mw_regime_load ("nl-cbw", NULL);
  g_assert (cbw != NULL);

  /* Whatever looks like a regime is tried as one; everything is tried as a report. */
  if (size > 0 && g_strstr_len ((const char *) data, MIN (size, 200), "meldwijzer.regime") != NULL)
    exercise_regime (data, size);
  exercise_report (data, size);
  return 0;
}

G_GNUC_UNUSED static const char * const fuzz_tokens[] = {
  "{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "-1", "1e308", "99999999999999999999",
  "0.5", "\"\\u0000\"", "{\"gt\": [", "\"facts\"", "\"unavailable_minutes\"", "{\"min\": [",
  "\"2026-11-22T03:10:00+01:00\"", "\"stage:final\"", "[[[[[[[[", "\"\\ud800\"",
};

G_GNUC_UNUSED static void
fuzz_finish (void)
{
  g_clear_object (&cbw);
}

#include "mw-fuzz-main.h"
