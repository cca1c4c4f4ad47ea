/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-scenarios"

#include <string.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-exercise.h"
#include "mw-incidents.h"
#include "mw-json.h"
#include "mw-jws.h"
#include "mw-scenario.h"
#include "mw-signer.h"
#include "mw-store.h"
#include "mw-test-util.h"

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
    { "\"at_minutes\": 95", "\"at_minutes\": 4400", "expects it late" },
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

static MwExercise *
cloud_exercise (GDateTime *start,
                guint      speed)
{
  g_autoptr(MwScenario) scenario = mw_scenario_load ("cloud-region-outage", NULL);
  g_autoptr(MwRegime) regime = mw_regime_load ("nl-cbw", NULL);

  return mw_exercise_new (scenario, regime, start, speed);
}

/* Injects fall due on the accelerated clock, each once. */
static void
test_exercise_due (void)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 6, 2, 0, 0);
  g_autoptr(MwExercise) exercise = cloud_exercise (start, 60);  /* a scenario minute a second */
  g_autoptr(GDateTime) at_34 = g_date_time_add_seconds (start, 34);
  g_autoptr(GDateTime) at_96 = g_date_time_add_seconds (start, 96);
  g_autoptr(GPtrArray) first = mw_exercise_take_due (exercise, start);
  g_autoptr(GPtrArray) again = mw_exercise_take_due (exercise, at_34);
  g_autoptr(GPtrArray) rest = NULL;
  GPtrArray *injects = mw_scenario_get_injects (mw_exercise_get_scenario (exercise));
  g_autoptr(GDateTime) due = mw_exercise_dup_due_time (exercise, g_ptr_array_index (injects, 1));

  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_false (mw_exercise_get_finished (exercise, at_34));
  g_assert_cmpuint (mw_exercise_get_minutes (exercise, at_34), ==, 34);
  rest = mw_exercise_take_due (exercise, at_96);
  g_assert_cmpuint (rest->len, ==, 2);
  g_assert_true (mw_exercise_get_finished (exercise, at_96));
  g_assert_cmpint (g_date_time_difference (due, start), ==, 35 * G_TIME_SPAN_SECOND);
}

static gboolean
has_finding (GPtrArray  *findings,
             gboolean    ok,
             const char *start)
{
  for (guint i = 0; i < findings->len; i++)
    {
      MwExerciseFinding *finding = g_ptr_array_index (findings, i);
      if (finding->ok == ok && g_str_has_prefix (finding->text, start))
        return TRUE;
    }
  return FALSE;
}

/* Filing the expected answers in time scores every point. */
static void
test_exercise_perfect (void)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 6, 2, 0, 0);
  g_autoptr(MwExercise) exercise = cloud_exercise (start, 1);
  MwScenario *scenario = mw_exercise_get_scenario (exercise);
  GPtrArray *injects = mw_scenario_get_injects (scenario);
  static const char * const recipients[] = { "rdi", "ncsc", NULL };
  g_autoptr(GDateTime) at_40 = g_date_time_add_minutes (start, 40);
  g_autoptr(GDateTime) at_100 = g_date_time_add_minutes (start, 100);
  g_autoptr(MwReport) early = mw_scenario_dup_expected_report (scenario, g_ptr_array_index (injects, 1), start);
  g_autoptr(MwReport) notification = mw_scenario_dup_expected_report (scenario, g_ptr_array_index (injects, 2), start);
  g_autoptr(GPtrArray) findings = NULL;
  guint points = 0, max_points = 0;

  g_assert_true (mw_exercise_add_filed (exercise, early, at_40, recipients, NULL));
  g_assert_true (mw_exercise_add_filed (exercise, notification, at_100, recipients, NULL));
  findings = mw_exercise_score (exercise, &points, &max_points);
  for (guint i = 0; i < findings->len; i++)
    g_test_message ("%s", ((MwExerciseFinding *) g_ptr_array_index (findings, i))->text);
  g_assert_cmpuint (max_points, >=, 10);
  g_assert_cmpuint (points, ==, max_points);
  g_assert_true (has_finding (findings, TRUE, "Verdict right: mandatory. Completely unavailable for more than 30 minutes"));
  g_assert_true (has_finding (findings, TRUE, "In time: Early warning (art. 26 Cbw)"));
}

/* Wrong facts, a missing recipient, no notification: each costs a point and says why. */
static void
test_exercise_mistakes (void)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 6, 2, 0, 0);
  g_autoptr(MwExercise) exercise = cloud_exercise (start, 1);
  MwScenario *scenario = mw_exercise_get_scenario (exercise);
  static const char * const recipients[] = { "ncsc", NULL };
  g_autoptr(GDateTime) at_50 = g_date_time_add_minutes (start, 50);
  g_autoptr(MwReport) early = mw_scenario_dup_expected_report (scenario, g_ptr_array_index (mw_scenario_get_injects (scenario), 0), start);
  g_autoptr(MwReport) live = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  guint points = 0, max_points = 0;

  /* At minute 50 the outage has lasted 35 minutes: the trainee files it as 20. */
  g_assert_true (mw_exercise_add_filed (exercise, early, at_50, recipients, NULL));
  findings = mw_exercise_score (exercise, &points, &max_points);
  for (guint i = 0; i < findings->len; i++)
    g_test_message ("%s", ((MwExerciseFinding *) g_ptr_array_index (findings, i))->text);
  g_assert_cmpuint (points, <, max_points);
  g_assert_true (has_finding (findings, FALSE, "Verdict wrong: the facts filed make it undetermined; expected mandatory."));
  g_assert_true (has_finding (findings, FALSE, "Criteria wrong: the facts filed meet none; expected ir2024-2690.art7.a."));
  g_assert_true (has_finding (findings, FALSE, "Fact wrong:"));
  g_assert_true (has_finding (findings, FALSE, "Recipients wrong: sent to ncsc; the law names ncsc, rdi."));
  g_assert_true (has_finding (findings, FALSE, "Not filed: Incident notification (art. 27 Cbw) was required."));

  live = mw_report_copy (early);
  mw_report_set_training (live, FALSE);
  g_assert_false (mw_exercise_add_filed (exercise, live, at_50, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
}

/* A late early warning is scored as late, in scenario time. */
static void
test_exercise_late (void)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 6, 2, 0, 0);
  g_autoptr(MwExercise) exercise = cloud_exercise (start, 60);
  MwScenario *scenario = mw_exercise_get_scenario (exercise);
  g_autoptr(GDateTime) late = g_date_time_add_minutes (start, 25);  /* 25 h of scenario time */
  g_autoptr(MwReport) early = mw_scenario_dup_expected_report (scenario, g_ptr_array_index (mw_scenario_get_injects (scenario), 2), start);
  g_autoptr(GPtrArray) findings = NULL;

  mw_report_set_string (early, "stage", "early-warning");
  g_assert_true (mw_exercise_add_filed (exercise, early, late, NULL, NULL));
  findings = mw_exercise_score (exercise, NULL, NULL);
  g_assert_true (has_finding (findings, FALSE, "Too late: Early warning (art. 26 Cbw) was filed 1500 minutes after becoming aware; the law allows 24 hours."));
}

/* Signs @report into @store, delivered to ncsc and rdi at @received_at. */
static void
store_filed (MwStore    *store,
             MwSigner   *signer,
             MwSigner   *recipient,
             MwReport   *report,
             const char *received_at)
{
  static const char * const to[] = { "ncsc", "rdi", NULL };
  static guint serial;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = mw_signer_sign_report (signer, report, &error);
  g_autofree char *sha256 = NULL;

  g_assert_no_error (error);
  g_assert_true (mw_store_submit (store, jws, to, &error));
  g_assert_no_error (error);
  sha256 = mw_sha256_hex ((const guint8 *) jws, strlen (jws));
  for (guint i = 0; to[i] != NULL; i++)
    {
      g_autofree char *receipt_id = g_strdup_printf ("00000000-0000-4000-8000-%012u", ++serial);
      g_autofree char *payload = g_strdup_printf ("{\"receipt_id\":\"%s\",\"recipient\":\"%s\","
                                                  "\"received_at\":\"%s\",\"report_id\":\"%s\","
                                                  "\"report_sha256\":\"%s\"}",
                                                  receipt_id, to[i], received_at,
                                                  mw_report_get_report_id (report), sha256);
      g_autofree char *receipt = mw_signer_sign (recipient, "meldwijzer.receipt/1",
                                                 (const guint8 *) payload, strlen (payload), &error);

      g_assert_no_error (error);
      g_assert_true (mw_store_mark_delivered (store, mw_report_get_report_id (report), to[i], receipt_id,
                                              receipt, received_at, &error));
      g_assert_no_error (error);
    }
}

static MwReport *
complete_report (MwScenario *scenario,
                 guint       inject,
                 gboolean    training)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reports", "cbw-dns-outage.json", NULL);
  MwReport *report = mw_report_new_from_file (path, &error);
  const MwInject *expected = g_ptr_array_index (mw_scenario_get_injects (scenario), inject);
  g_autofree char *incident_id = g_uuid_string_random ();
  g_autofree char *report_id = g_uuid_string_random ();

  g_assert_no_error (error);
  mw_report_set_string (report, "incident_id", incident_id);
  mw_report_set_string (report, "report_id", report_id);
  mw_report_set_unknown (report, "supersedes");
  mw_report_set_string (report, "stage", expected->stage);
  mw_report_set_node (report, "facts", expected->facts);
  mw_report_set_training (report, training);
  return report;
}

/* What the trainee filed comes from the store: training reports delivered since the start,
 * with the recipients they went to; earlier ones and live ones are left out. */
static void
test_exercise_collect (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-exercise-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(MwContext) context = mw_context_new (path);
  g_autoptr(MwStore) store = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (NULL);
  g_autoptr(MwSigner) recipient = mw_signer_generate (NULL);
  g_autoptr(MwScenario) scenario = mw_scenario_load ("dns-slow-resolution", NULL);
  g_autoptr(MwRegime) regime = mw_regime_load ("nl-cbw", NULL);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 6, 19, 0, 0);
  g_autoptr(MwExercise) exercise = mw_exercise_new (scenario, regime, start, 1);
  g_autoptr(MwReport) before = complete_report (scenario, 0, TRUE);
  g_autoptr(MwReport) live = complete_report (scenario, 1, FALSE);
  g_autoptr(MwReport) right = complete_report (scenario, 1, TRUE);
  g_autoptr(GPtrArray) findings = NULL;
  guint points = 0, max_points = 0;

  g_assert_true (mw_context_open (context, &error));
  g_assert_no_error (error);
  store = mw_store_new_for_path (path, &error);
  g_assert_no_error (error);
  store_filed (store, signer, recipient, before, "2026-12-06T18:59:00Z");
  store_filed (store, signer, recipient, live, "2026-12-06T20:20:00Z");
  store_filed (store, signer, recipient, right, "2026-12-06T20:20:00Z");
  g_assert_true (mw_incidents_reload (mw_context_get_incidents (context), &error));
  g_assert_no_error (error);

  g_assert_cmpuint (mw_exercise_collect (exercise, context), ==, 1);
  findings = mw_exercise_score (exercise, &points, &max_points);
  for (guint i = 0; i < findings->len; i++)
    g_test_message ("%s", ((MwExerciseFinding *) g_ptr_array_index (findings, i))->text);
  g_assert_cmpuint (max_points, ==, 8);   /* stage, verdict, criteria, recipients, 3 facts, in time */
  g_assert_cmpuint (points, ==, max_points);

  mw_context_shutdown (context);
  mw_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  mw_language_set ("en");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scenarios/shipped", test_shipped);
  g_test_add_func ("/scenarios/wrong-answer-refused", test_wrong_answer_refused);
  g_test_add_func ("/scenarios/invalid-refused", test_invalid_refused);
  g_test_add_func ("/scenarios/entity-type-checked", test_entity_type_checked);
  g_test_add_func ("/scenarios/lookup-inject", test_lookup_inject);
  g_test_add_func ("/exercise/due", test_exercise_due);
  g_test_add_func ("/exercise/perfect", test_exercise_perfect);
  g_test_add_func ("/exercise/mistakes", test_exercise_mistakes);
  g_test_add_func ("/exercise/late", test_exercise_late);
  g_test_add_func ("/exercise/collect", test_exercise_collect);
  return g_test_run ();
}
