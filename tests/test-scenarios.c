/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-scenarios"

#include <string.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-scenario.h"

/* Every shipped scenario is valid and teaches what MwAssessor decides. */
static void
test_shipped (void)
{
  g_auto(GStrv) ids = mw_scenario_list_available ();
  static const char * const required_types[] = {
    "drinking-water", "energy", "transport", "cloud", "dns", "government-decentral", NULL
  };
  guint transport = 0, energy = 0;

  g_assert_cmpuint (g_strv_length (ids), >=, 8);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwScenario) scenario = mw_scenario_load (ids[i], &error);
      g_autoptr(MwRegime) regime = NULL;

      g_assert_no_error (error);
      regime = mw_regime_load (mw_scenario_get_regime (scenario), &error);
      g_assert_no_error (error);
      mw_scenario_check (scenario, regime, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (mw_scenario_get_injects (scenario)->len, >=, 2);
      transport += g_str_equal (mw_scenario_get_entity_type (scenario), "transport");
      energy += g_str_equal (mw_scenario_get_entity_type (scenario), "energy");
    }

  for (guint t = 0; required_types[t] != NULL; t++)
    {
      gboolean found = FALSE;
      for (guint i = 0; ids[i] != NULL && !found; i++)
        {
          g_autoptr(MwScenario) scenario = mw_scenario_load (ids[i], NULL);
          found = g_str_equal (mw_scenario_get_entity_type (scenario), required_types[t]);
        }
      g_assert_true (found);
    }
  /* The port and Schiphol; a regional grid and the gas transport operator. */
  g_assert_cmpuint (transport, >=, 2);
  g_assert_cmpuint (energy, >=, 2);
}

static char *
shipped_text (const char *id)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "scenarios", id, NULL);
  g_autofree char *file = g_strconcat (path, ".json", NULL);
  char *data = NULL;

  g_assert_true (g_file_get_contents (file, &data, NULL, NULL));
  return data;
}

static char *
replace_once (const char *text,
              const char *from,
              const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

/* A scenario that would teach a wrong answer is refused, naming the inject. */
static void
test_wrong_answer_refused (void)
{
  static const struct { const char *from, *to, *message; } cases[] = {
    { "\"verdict\": \"mandatory\"", "\"verdict\": \"voluntary\"", "the verdict" },
    { "\"ir2024-2690.art7.a\"\n", "\"ir2024-2690.art7.d\"\n", "the criteria met" },
    { "\"rdi\"", "\"ilt\"", "the recipients" },
    { "\"stage\": \"notification\"", "\"stage\": \"single\"", "is not a stage" },
  };
  g_autofree char *original = shipped_text ("cloud-region-outage");
  g_autoptr(MwRegime) regime = mw_regime_load ("nl-cbw", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = replace_once (original, cases[i].from, cases[i].to);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwScenario) scenario = mw_scenario_new_from_data (text, -1, "wrong.json", &error);

      g_assert_no_error (error);
      g_assert_false (mw_scenario_check (scenario, regime, &error));
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "wrong.json: injects["));
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

/* Hostile or mistyped files are refused with the file and the place named. */
static void
test_invalid_refused (void)
{
  static const struct { const char *from, *to, *message; } cases[] = {
    { "\"format\": \"meldwijzer.scenario/1\"", "\"format\": \"meldwijzer.scenario/2\"", "format" },
    { "\"provider_name\"", "\"provider_nam\"", "“provider_nam” is not part of" },
    { "\"expected\": {", "\"expected\": {\"verdikt\": 1, ", "“verdikt” is not part of" },
    { "\"at_minutes\": 35", "\"at_minutes\": 0", "must be later" },
    { "\"at_minutes\": 35", "\"at_minutes\": -5", "between 0 and" },
    { "\"unavailable_minutes\": 35", "\"unavailable_minutes\": \"35\"", "must be of type int" },
    { "\"unavailable_minutes\": 35", "\"unavailable_minute\": 35", "is not a fact Meldwijzer knows" },
    { "\"verdict\": \"mandatory\"", "\"verdict\": \"maybe\"", "must be mandatory, undetermined or voluntary" },
    { "\"en\": \"A cloud", "\"fr\": \"x\", \"en\": \"A cloud", "“fr” is not part of" },
  };
  g_autofree char *original = shipped_text ("cloud-region-outage");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = replace_once (original, cases[i].from, cases[i].to);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwScenario) scenario = mw_scenario_new_from_data (text, -1, "bad.json", &error);

      g_assert_null (scenario);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "bad.json"));
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

/* The entity type and sector must be the regime's. */
static void
test_entity_type_checked (void)
{
  g_autofree char *original = shipped_text ("dns-slow-resolution");
  g_autoptr(MwRegime) regime = mw_regime_load ("nl-cbw", NULL);
  g_autofree char *unknown = replace_once (original, "\"entity_type\": \"dns\"", "\"entity_type\": \"dnss\"");
  g_autofree char *sector = replace_once (original, "\"sector\": \"digital-infrastructure\"", "\"sector\": \"energy\"");
  g_autoptr(MwScenario) a = mw_scenario_new_from_data (unknown, -1, "a.json", NULL);
  g_autoptr(MwScenario) b = mw_scenario_new_from_data (sector, -1, "b.json", NULL);
  g_autoptr(GError) error_a = NULL;
  g_autoptr(GError) error_b = NULL;

  g_assert_false (mw_scenario_check (a, regime, &error_a));
  g_assert_nonnull (strstr (error_a->message, "not an entity type"));
  g_assert_false (mw_scenario_check (b, regime, &error_b));
  g_assert_nonnull (strstr (error_b->message, "belongs to sector"));
}

static void
test_lookup_inject (void)
{
  g_autoptr(MwScenario) scenario = mw_scenario_load ("cloud-region-outage", NULL);

  g_assert_nonnull (mw_scenario_lookup_inject (scenario, 0));
  g_assert_true (mw_scenario_lookup_inject (scenario, 34) == g_ptr_array_index (mw_scenario_get_injects (scenario), 0));
  g_assert_true (mw_scenario_lookup_inject (scenario, 35) == g_ptr_array_index (mw_scenario_get_injects (scenario), 1));
  g_assert_null (mw_scenario_load ("../nl-cbw", NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scenarios/shipped", test_shipped);
  g_test_add_func ("/scenarios/wrong-answer-refused", test_wrong_answer_refused);
  g_test_add_func ("/scenarios/invalid-refused", test_invalid_refused);
  g_test_add_func ("/scenarios/entity-type-checked", test_entity_type_checked);
  g_test_add_func ("/scenarios/lookup-inject", test_lookup_inject);
  return g_test_run ();
}
