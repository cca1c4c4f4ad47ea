/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-scenario"

/*
 * A fuzz target for scenario packs, which a trainer may download from anywhere: the reader,
 * the check against the regime (the assessor at every inject) and an exercise scored with
 * every inject's expected report.
 *
 * Standalone (registered as a test) with the driver of mw-fuzz-main.h; with -Dlibfuzzer=true a
 * libFuzzer target (see tests/meson.build).
 */

#include "mw-exercise.h"
#include "mw-scenario.h"

static MwRegime *cbw;

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(MwScenario) scenario = NULL;
  g_autoptr(MwExercise) exercise = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  GPtrArray *injects;

  if (cbw == NULL)
    cbw = mw_regime_load ("nl-cbw", NULL);
  g_assert (cbw != NULL);

  scenario = mw_scenario_new_from_data ((const char *) data, size, "fuzz.json", NULL);
  if (scenario == NULL || !mw_scenario_check (scenario, cbw, NULL))
    return 0;

  start = g_date_time_new_utc (2026, 12, 6, 2, 0, 0);
  exercise = mw_exercise_new (scenario, cbw, start, 60);
  injects = mw_scenario_get_injects (scenario);
  for (guint i = 0; i < injects->len; i++)
    {
      const MwInject *inject = g_ptr_array_index (injects, i);
      g_autoptr(MwReport) report = mw_scenario_dup_expected_report (scenario, inject, start);
      g_autoptr(GDateTime) at = mw_exercise_dup_due_time (exercise, inject);

      mw_exercise_add_filed (exercise, report, at, (const char * const *) inject->recipients, NULL);
    }
  findings = mw_exercise_score (exercise, NULL, NULL);
  /* Filed as expected, when due: a checked scenario scores every point. */
  for (guint i = 0; i < findings->len; i++)
    g_assert (((MwExerciseFinding *) g_ptr_array_index (findings, i))->ok);
  return 0;
}

G_GNUC_UNUSED static const char * const fuzz_tokens[] = {
  "{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "-1", "0", "89280", "89281",
  "\"at_minutes\"", "\"expected\"", "\"facts\"", "\"mandatory\"", "\"undetermined\"", "\"voluntary\"",
  "\"early-warning\"", "\"notification\"", "\"unavailable_minutes\"", "\"ncsc\"", "\"rdi\"",
  "\"ir2024-2690.art7.a\"", "\"cbw.art25.2.a\"", "[[[[[[[[",
};

G_GNUC_UNUSED static void
fuzz_finish (void)
{
  g_clear_object (&cbw);
}

#include "mw-fuzz-main.h"
