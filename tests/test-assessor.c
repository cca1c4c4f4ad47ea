/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-assessor"

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-term.h"

/* Engine semantics on a small regime of its own, independent of the shipped files. */
static const char engine_regime[] =
  "{\"format\": \"meldwijzer.regime/1\", \"id\": \"engine\","
  " \"title\": {\"en\": \"Engine\", \"nl\": \"Motor\"},"
  " \"recipients\": ["
  "   {\"id\": \"ncsc\", \"role\": \"csirt\", \"name\": {\"en\": \"NCSC\", \"nl\": \"NCSC\"}},"
  "   {\"id\": \"rdi\", \"role\": \"competent-authority\", \"name\": {\"en\": \"RDI\", \"nl\": \"RDI\"}},"
  "   {\"id\": \"ap\", \"role\": \"advisory\", \"name\": {\"en\": \"AP\", \"nl\": \"AP\"}}],"
  " \"facts\": ["
  "   {\"id\": \"users_affected\", \"type\": \"int\", \"label\": {\"en\": \"u\", \"nl\": \"u\"}},"
  "   {\"id\": \"users_total\", \"type\": \"int\", \"label\": {\"en\": \"t\", \"nl\": \"t\"}},"
  "   {\"id\": \"degraded_users\", \"type\": \"int\", \"label\": {\"en\": \"d\", \"nl\": \"d\"}},"
  "   {\"id\": \"unavailable_minutes\", \"type\": \"int\", \"label\": {\"en\": \"m\", \"nl\": \"m\"}},"
  "   {\"id\": \"data_compromised\", \"type\": \"bool\", \"label\": {\"en\": \"c\", \"nl\": \"c\"}},"
  "   {\"id\": \"scheduled_maintenance\", \"type\": \"bool\", \"label\": {\"en\": \"s\", \"nl\": \"s\"}},"
  "   {\"id\": \"personal_data_breach\", \"type\": \"bool\", \"label\": {\"en\": \"p\", \"nl\": \"p\"}}],"
  " \"derived\": [{\"id\": \"user_hours_lost\", \"label\": {\"en\": \"h\", \"nl\": \"h\"},"
  "               \"expr\": {\"div\": [{\"mul\": [\"users_affected\", \"unavailable_minutes\"]}, 60]}},"
  "              {\"id\": \"share_pct\", \"label\": {\"en\": \"s\", \"nl\": \"s\"},"
  "               \"expr\": {\"div\": [{\"mul\": [\"users_affected\", 100]}, \"users_total\"]}}],"
  " \"criteria\": ["
  "   {\"id\": \"e.strict\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}, \"when\": {\"gt\": [\"unavailable_minutes\", 30]}},"
  "   {\"id\": \"e.smaller\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"},"
  "    \"when\": {\"gt\": [\"degraded_users\", {\"min\": [{\"pct\": [5, \"users_total\"]}, 1000000]}]}},"
  "   {\"id\": \"e.hours\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}, \"when\": {\"gt\": [\"user_hours_lost\", 5000000]}},"
  "   {\"id\": \"e.share\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}, \"when\": {\"ge\": [\"share_pct\", 50]}},"
  "   {\"id\": \"e.data\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"},"
  "    \"when\": {\"all\": [{\"is\": [\"data_compromised\", true]}, {\"not\": {\"lt\": [\"users_affected\", 10]}}]}}],"
  " \"exclusions\": [{\"id\": \"e.maint\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}, \"when\": {\"is\": [\"scheduled_maintenance\", true]}}],"
  " \"stages\": ["
  "   {\"id\": \"early-warning\", \"label\": {\"en\": \"EW\", \"nl\": \"VW\"}, \"deadline\": {\"hours\": 24, \"from\": \"aware_at\"}},"
  "   {\"id\": \"notification\", \"label\": {\"en\": \"N\", \"nl\": \"M\"}, \"deadline\": {\"hours\": 72, \"from\": \"aware_at\"}},"
  "   {\"id\": \"intermediate\", \"label\": {\"en\": \"I\", \"nl\": \"T\"}},"
  "   {\"id\": \"final\", \"label\": {\"en\": \"F\", \"nl\": \"E\"}, \"deadline\": {\"months\": 1, \"from\": \"stage:notification\"}}],"
  " \"entity_types\": ["
  "   {\"id\": \"cloud\", \"label\": {\"en\": \"Cloud\", \"nl\": \"Cloud\"}, \"recipients\": [\"ncsc\", \"rdi\"],"
  "    \"criteria\": [\"e.strict\", \"e.smaller\", \"e.hours\", \"e.share\", \"e.data\"], \"exclusions\": [\"e.maint\"]},"
  "   {\"id\": \"trust\", \"label\": {\"en\": \"Trust\", \"nl\": \"Vertrouwen\"}, \"recipients\": [\"ncsc\"],"
  "    \"criteria\": [\"e.strict\"], \"deadline_overrides\": {\"notification\": {\"hours\": 24, \"from\": \"aware_at\"}}}],"
  " \"advisories\": [{\"id\": \"gdpr.art33\", \"recipient\": \"ap\", \"citation\": \"GDPR Art. 33\","
  "                  \"label\": {\"en\": \"AP\", \"nl\": \"AP\"}, \"when\": {\"is\": [\"personal_data_breach\", true]},"
  "                  \"deadline\": {\"hours\": 72, \"from\": \"aware_at\"}}]}";

static MwRegime *
engine (void)
{
  g_autoptr(GError) error = NULL;
  MwRegime *regime = mw_regime_new_from_data (engine_regime, -1, "engine.json", &error);

  g_assert_no_error (error);
  return regime;
}

static MwAssessment *
assess_with (MwRegime   *regime,
             const char *entity_type,
             const char *facts,
             const char *extra)
{
  g_autofree char *text = g_strdup_printf ("{\"regime\": \"%s\", \"provider\": {\"entity_type\": \"%s\"},"
                                           " \"facts\": %s %s}",
                                           mw_regime_get_id (regime), entity_type, facts, extra ? extra : "");
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReport) report = mw_report_new_from_data (text, -1, "case", &error);
  g_autoptr(MwAssessor) assessor = mw_assessor_new (regime);
  MwAssessment *assessment;

  g_assert_no_error (error);
  assessment = mw_assessor_assess (assessor, report, &error);
  g_assert_no_error (error);
  return assessment;
}

static MwCriterionResult *
result_for (MwAssessment *assessment,
            const char   *id)
{
  GPtrArray *criteria = mw_assessment_get_criteria (assessment);

  for (guint i = 0; i < criteria->len; i++)
    {
      MwCriterionResult *result = g_ptr_array_index (criteria, i);
      if (g_str_equal (result->criterion->id, id))
        return result;
    }
  g_assert_not_reached ();
}

static void
assert_status (MwAssessment *assessment,
               const char   *id,
               MwStatus      status)
{
  g_assert_cmpstr (mw_status_to_string (result_for (assessment, id)->status), ==, mw_status_to_string (status));
}

static void
test_strict_boundary (void)
{
  g_autoptr(MwRegime) regime = engine ();
  g_autoptr(MwAssessment) at = assess_with (regime, "cloud", "{\"unavailable_minutes\": 30}", NULL);
  g_autoptr(MwAssessment) above = assess_with (regime, "cloud", "{\"unavailable_minutes\": 31}", NULL);
  g_autoptr(MwAssessment) unknown = assess_with (regime, "cloud", "{}", NULL);

  assert_status (at, "e.strict", MW_STATUS_NOT_MET);
  assert_status (above, "e.strict", MW_STATUS_MET);
  assert_status (unknown, "e.strict", MW_STATUS_UNKNOWN);
  g_assert_cmpuint (result_for (unknown, "e.strict")->missing->len, ==, 1);
  g_assert_cmpstr (result_for (unknown, "e.strict")->missing->pdata[0], ==, "unavailable_minutes");
  g_assert_cmpint (mw_assessment_get_verdict (above), ==, MW_VERDICT_MANDATORY);
  g_assert_cmpint (mw_assessment_get_verdict (unknown), ==, MW_VERDICT_UNDETERMINED);
}

static void
test_whichever_is_smaller (void)
{
  g_autoptr(MwRegime) regime = engine ();
  struct { const char *facts; MwStatus status; guint n_missing; } cases[] = {
    /* 5 % of 10 000 000 = 500 000 is the smaller. */
    { "{\"degraded_users\": 500000, \"users_total\": 10000000}", MW_STATUS_NOT_MET, 0 },
    { "{\"degraded_users\": 500001, \"users_total\": 10000000}", MW_STATUS_MET, 0 },
    /* 5 % of 20 000 000 = 1 000 000 exactly: no rounding may tip it. */
    { "{\"degraded_users\": 1000000, \"users_total\": 20000000}", MW_STATUS_NOT_MET, 0 },
    { "{\"degraded_users\": 1000001, \"users_total\": 20000000}", MW_STATUS_MET, 0 },
    /* 1 000 000 is the smaller. */
    { "{\"degraded_users\": 1000000, \"users_total\": 90000000}", MW_STATUS_NOT_MET, 0 },
    { "{\"degraded_users\": 1000001, \"users_total\": 90000000}", MW_STATUS_MET, 0 },
    /* Total unknown: above 1 000 000 is met whatever it is; below is undecided. */
    { "{\"degraded_users\": 1000001}", MW_STATUS_MET, 0 },
    { "{\"degraded_users\": 999999}", MW_STATUS_UNKNOWN, 1 },
    { "{\"degraded_users\": 0}", MW_STATUS_NOT_MET, 0 },
    { "{\"users_total\": 100}", MW_STATUS_UNKNOWN, 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MwAssessment) assessment = assess_with (regime, "cloud", cases[i].facts, NULL);

      g_test_message ("%s", cases[i].facts);
      assert_status (assessment, "e.smaller", cases[i].status);
      g_assert_cmpuint (result_for (assessment, "e.smaller")->missing->len, ==, cases[i].n_missing);
    }
}

static void
test_derived (void)
{
  g_autoptr(MwRegime) regime = engine ();
  g_autoptr(MwAssessment) exactly = assess_with (regime, "cloud", "{\"users_affected\": 100000, \"unavailable_minutes\": 3000}", NULL);
  g_autoptr(MwAssessment) above = assess_with (regime, "cloud", "{\"users_affected\": 100000, \"unavailable_minutes\": 3001}", NULL);
  g_autoptr(MwAssessment) zero = assess_with (regime, "cloud", "{\"users_affected\": 0}", NULL);
  g_autoptr(MwAssessment) half = assess_with (regime, "cloud", "{\"users_affected\": 100000}", NULL);
  g_autoptr(MwAssessment) share_zero_total = assess_with (regime, "cloud", "{\"users_affected\": 5, \"users_total\": 0}", NULL);
  MwCriterionResult *result;

  assert_status (exactly, "e.hours", MW_STATUS_NOT_MET);   /* 5 000 000 is not more than 5 000 000 */
  assert_status (above, "e.hours", MW_STATUS_MET);
  assert_status (zero, "e.hours", MW_STATUS_NOT_MET);      /* nobody affected: no hours lost */

  /* The missing answer is the plain fact, never the derived one. */
  result = result_for (half, "e.hours");
  g_assert_cmpint (result->status, ==, MW_STATUS_UNKNOWN);
  g_assert_cmpuint (result->missing->len, ==, 1);
  g_assert_cmpstr (result->missing->pdata[0], ==, "unavailable_minutes");

  /* Division by zero decides nothing. */
  assert_status (share_zero_total, "e.share", MW_STATUS_UNKNOWN);
}

static void
test_kleene_logic (void)
{
  g_autoptr(MwRegime) regime = engine ();
  g_autoptr(MwAssessment) a = assess_with (regime, "cloud", "{\"data_compromised\": false}", NULL);
  g_autoptr(MwAssessment) b = assess_with (regime, "cloud", "{\"data_compromised\": true}", NULL);
  g_autoptr(MwAssessment) c = assess_with (regime, "cloud", "{\"data_compromised\": true, \"users_affected\": 10}", NULL);
  g_autoptr(MwAssessment) d = assess_with (regime, "cloud", "{\"data_compromised\": true, \"users_affected\": 9}", NULL);
  g_autoptr(MwAssessment) e = assess_with (regime, "cloud", "{\"users_affected\": 9}", NULL);

  assert_status (a, "e.data", MW_STATUS_NOT_MET);          /* false decides an "all" */
  g_assert_cmpuint (result_for (a, "e.data")->missing->len, ==, 0);
  assert_status (b, "e.data", MW_STATUS_UNKNOWN);
  g_assert_cmpstr (result_for (b, "e.data")->missing->pdata[0], ==, "users_affected");
  assert_status (c, "e.data", MW_STATUS_MET);
  assert_status (d, "e.data", MW_STATUS_NOT_MET);
  assert_status (e, "e.data", MW_STATUS_NOT_MET);          /* not (9 < 10) is false: decided */
}

static void
test_verdicts (void)
{
  g_autoptr(MwRegime) regime = engine ();
  const char *all_decided = "{\"unavailable_minutes\": 0, \"degraded_users\": 0, \"users_affected\": 0,"
                            " \"users_total\": 100, \"data_compromised\": false, \"scheduled_maintenance\": false}";
  g_autoptr(MwAssessment) voluntary = assess_with (regime, "cloud", all_decided, NULL);
  g_autoptr(MwAssessment) excluded = assess_with (regime, "cloud", "{\"unavailable_minutes\": 120, \"scheduled_maintenance\": true}", NULL);
  g_autoptr(MwAssessment) exclusion_unknown = assess_with (regime, "cloud", "{\"unavailable_minutes\": 120}", NULL);
  g_autoptr(MwAssessment) undetermined = assess_with (regime, "cloud", "{\"unavailable_minutes\": 10}", NULL);
  GPtrArray *deciding;

  g_assert_cmpint (mw_assessment_get_verdict (voluntary), ==, MW_VERDICT_VOLUNTARY);
  g_assert_cmpint (mw_assessment_get_verdict (excluded), ==, MW_VERDICT_VOLUNTARY);
  g_assert_cmpint (mw_assessment_get_verdict (exclusion_unknown), ==, MW_VERDICT_MANDATORY);
  g_assert_cmpint (mw_assessment_get_verdict (undetermined), ==, MW_VERDICT_UNDETERMINED);

  deciding = mw_assessment_get_deciding_facts (undetermined);
  g_assert_cmpuint (deciding->len, >, 0);
  for (guint i = 0; i < deciding->len; i++)
    g_assert_cmpstr (deciding->pdata[i], !=, "unavailable_minutes");  /* already answered */

  /* The JSON lists the exclusion that applies. */
  {
    g_autoptr(JsonNode) json = mw_assessment_to_json (excluded);
    JsonArray *exclusions = json_object_get_array_member (json_node_get_object (json), "exclusions");

    g_assert_cmpuint (json_array_get_length (exclusions), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (exclusions, 0), "id"), ==, "e.maint");
  }
}

static void
test_deadlines (void)
{
  g_autoptr(MwRegime) regime = engine ();
  g_autoptr(MwAssessment) cloud = assess_with (regime, "cloud", "{}",
    ", \"timeline\": {\"aware_at\": \"2026-11-22T03:10:00+01:00\"}");
  g_autoptr(MwAssessment) trust = assess_with (regime, "trust", "{}",
    ", \"timeline\": {\"aware_at\": \"2026-11-22T03:10:00+01:00\"}");
  g_autoptr(MwAssessment) notification = assess_with (regime, "cloud", "{}",
    ", \"stage\": \"notification\", \"created_at\": \"2026-01-31T10:00:00+01:00\"");
  GPtrArray *deadlines = mw_assessment_get_deadlines (cloud);
  g_autofree char *early = NULL;
  g_autofree char *notify = NULL;
  g_autofree char *trust_notify = NULL;
  g_autofree char *final = NULL;

  /* The intermediate report has no deadline of its own ("when asked"). */
  g_assert_cmpuint (deadlines->len, ==, 3);
  early = mw_format_time (((MwDeadline *) deadlines->pdata[0])->due);
  notify = mw_format_time (((MwDeadline *) deadlines->pdata[1])->due);
  g_assert_cmpstr (early, ==, "2026-11-23T03:10:00+01:00");
  g_assert_cmpstr (notify, ==, "2026-11-25T03:10:00+01:00");
  g_assert_null (((MwDeadline *) deadlines->pdata[2])->due);   /* counts from the notification */

  trust_notify = mw_format_time (((MwDeadline *) mw_assessment_get_deadlines (trust)->pdata[1])->due);
  g_assert_cmpstr (trust_notify, ==, "2026-11-23T03:10:00+01:00");

  /* One month after a notification filed on 31 January: the last day of February, which
   * in 2026 is a Saturday, so the term runs through Monday 2 March, to its end (24:00),
   * and says why. */
  final = mw_format_time (((MwDeadline *) mw_assessment_get_deadlines (notification)->pdata[2])->due);
  g_assert_cmpstr (final, ==, "2026-03-03T00:00:00+01:00");
  g_assert_nonnull (((MwDeadline *) mw_assessment_get_deadlines (notification)->pdata[2])->extension);
  g_assert_nonnull (strstr (((MwDeadline *) mw_assessment_get_deadlines (notification)->pdata[2])->extension, "2026-02-28"));
  g_assert_null (((MwDeadline *) deadlines->pdata[0])->extension);   /* hours are never extended */
}

static void
test_advisory (void)
{
  g_autoptr(MwRegime) regime = engine ();
  g_autoptr(MwAssessment) none = assess_with (regime, "cloud", "{\"personal_data_breach\": false}", NULL);
  g_autoptr(MwAssessment) yes = assess_with (regime, "cloud", "{\"personal_data_breach\": true}",
    ", \"timeline\": {\"aware_at\": \"2026-11-22T03:10:00+01:00\"}");
  MwAdvisoryResult *result;
  g_autofree char *due = NULL;

  g_assert_cmpuint (mw_assessment_get_advisories (none)->len, ==, 0);
  g_assert_cmpuint (mw_assessment_get_advisories (yes)->len, ==, 1);
  result = g_ptr_array_index (mw_assessment_get_advisories (yes), 0);
  g_assert_cmpint (result->status, ==, MW_STATUS_MET);
  due = mw_format_time (result->due);
  g_assert_cmpstr (due, ==, "2026-11-25T03:10:00+01:00");
}

static void
test_bad_input (void)
{
  g_autoptr(MwRegime) regime = engine ();
  g_autoptr(MwAssessor) assessor = mw_assessor_new (regime);
  static const struct { const char *text; const char *fragment; } cases[] = {
    { "{\"regime\": \"engine\", \"provider\": {\"entity_type\": \"bakery\"}}", "provider.entity_type" },
    { "{\"regime\": \"engine\"}", "provider.entity_type: missing" },
    { "{\"regime\": \"other\", \"provider\": {\"entity_type\": \"cloud\"}}", "regime" },
    { "{\"regime\": \"engine\", \"provider\": {\"entity_type\": \"cloud\"}, \"facts\": {\"unavailable_minutes\": \"45\"}}", "facts.unavailable_minutes" },
    { "{\"regime\": \"engine\", \"provider\": {\"entity_type\": \"cloud\"}, \"facts\": {\"unavailable_minutes\": -1}}", "facts.unavailable_minutes" },
    { "{\"regime\": \"engine\", \"provider\": {\"entity_type\": \"cloud\"}, \"facts\": {\"data_compromised\": 1}}", "facts.data_compromised" },
    { "{\"regime\": \"engine\", \"provider\": {\"entity_type\": \"cloud\"}, \"facts\": [1]}", "facts" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwReport) report = mw_report_new_from_data (cases[i].text, -1, "bad", &error);
      g_autoptr(MwAssessment) assessment = NULL;

      g_assert_no_error (error);
      assessment = mw_assessor_assess (assessor, report, &error);
      g_assert_null (assessment);
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].fragment));
    }
}

/* The decision cases written from the regulations' text, against the shipped regimes. */
static void
test_cases (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "assess-cases.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = mw_json_load_file (path, &error);
  g_autoptr(GHashTable) regimes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  JsonArray *cases;
  guint failures = 0;

  g_assert_no_error (error);
  cases = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (cases), >, 100);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      const char *name = json_object_get_string_member (c, "name");
      const char *regime_id = json_object_get_string_member (c, "regime");
      MwRegime *regime = g_hash_table_lookup (regimes, regime_id);
      g_autoptr(MwReport) report = mw_report_new ();
      g_autoptr(MwAssessor) assessor = NULL;
      g_autoptr(MwAssessment) assessment = NULL;
      g_autoptr(GString) problems = g_string_new (NULL);

      if (regime == NULL)
        {
          regime = mw_regime_load (regime_id, &error);
          g_assert_no_error (error);
          g_hash_table_insert (regimes, g_strdup (regime_id), regime);
        }

      mw_report_set_string (report, "regime", regime_id);
      mw_report_set_string (report, "provider.entity_type", json_object_get_string_member (c, "entity_type"));
      mw_report_set_node (report, "facts", json_object_get_member (c, "facts"));
      /* The optional parts of a case's draft (assess-cases.json: kind, stage, created_at,
       * timeline). The regime a case names is the one the CLI chooses; here it is given. */
      {
        static const char * const optional[] = { "kind", "stage", "created_at", "timeline" };

        for (gsize o = 0; o < G_N_ELEMENTS (optional); o++)
          if (json_object_has_member (c, optional[o]))
            mw_report_set_node (report, optional[o], json_object_get_member (c, optional[o]));
      }

      assessor = mw_assessor_new (regime);
      assessment = mw_assessor_assess (assessor, report, &error);
      if (assessment == NULL)
        {
          g_test_message ("FAIL %s: %s", name, error->message);
          g_clear_error (&error);
          failures++;
          continue;
        }

      if (!g_str_equal (mw_verdict_to_string (mw_assessment_get_verdict (assessment)),
                        json_object_get_string_member (c, "verdict")))
        g_string_append_printf (problems, " verdict %s (expected %s);",
                                mw_verdict_to_string (mw_assessment_get_verdict (assessment)),
                                json_object_get_string_member (c, "verdict"));

      if (json_object_has_member (c, "criteria"))
        {
          JsonObject *expected = json_object_get_object_member (c, "criteria");
          g_autoptr(GList) ids = json_object_get_members (expected);
          GPtrArray *results = mw_assessment_get_criteria (assessment);

          for (GList *l = ids; l; l = l->next)
            {
              const char *want = json_object_get_string_member (expected, l->data);
              const char *got = NULL;

              for (guint r = 0; r < results->len; r++)
                {
                  MwCriterionResult *result = g_ptr_array_index (results, r);
                  if (g_str_equal (result->criterion->id, l->data))
                    got = mw_status_to_string (result->status);
                }
              if (g_strcmp0 (got, want) != 0)
                g_string_append_printf (problems, " %s %s (expected %s);", (char *) l->data, got ? got : "absent", want);
            }
        }

      if (json_object_has_member (c, "missing"))
        {
          JsonObject *expected = json_object_get_object_member (c, "missing");
          g_autoptr(GList) ids = json_object_get_members (expected);
          GPtrArray *results = mw_assessment_get_criteria (assessment);

          for (GList *l = ids; l; l = l->next)
            {
              JsonArray *want = json_object_get_array_member (expected, l->data);

              for (guint r = 0; r < results->len; r++)
                {
                  MwCriterionResult *result = g_ptr_array_index (results, r);
                  gboolean same;

                  if (!g_str_equal (result->criterion->id, l->data))
                    continue;
                  same = result->missing->len == json_array_get_length (want);
                  for (guint w = 0; same && w < json_array_get_length (want); w++)
                    {
                      gboolean found = FALSE;
                      for (guint m = 0; m < result->missing->len; m++)
                        found |= g_str_equal (result->missing->pdata[m], json_array_get_string_element (want, w));
                      same &= found;
                    }
                  if (!same)
                    {
                      g_string_append_printf (problems, " %s missing [", (char *) l->data);
                      for (guint m = 0; m < result->missing->len; m++)
                        g_string_append_printf (problems, "%s ", (char *) result->missing->pdata[m]);
                      g_string_append (problems, "];");
                    }
                }
            }
        }

      if (json_object_has_member (c, "exclusions_met"))
        {
          JsonArray *want = json_object_get_array_member (c, "exclusions_met");
          GPtrArray *results = mw_assessment_get_exclusions (assessment);
          guint met = 0;

          for (guint r = 0; r < results->len; r++)
            {
              MwCriterionResult *result = g_ptr_array_index (results, r);
              gboolean expected = FALSE;

              for (guint w = 0; w < json_array_get_length (want); w++)
                expected |= g_str_equal (result->criterion->id, json_array_get_string_element (want, w));
              if (result->status == MW_STATUS_MET)
                met++;
              if ((result->status == MW_STATUS_MET) != expected)
                g_string_append_printf (problems, " exclusion %s %s;", result->criterion->id,
                                        mw_status_to_string (result->status));
            }
          if (met != json_array_get_length (want))
            g_string_append (problems, " exclusions differ;");
        }

      if (json_object_has_member (c, "recipients"))
        {
          JsonArray *want = json_object_get_array_member (c, "recipients");
          GPtrArray *got = mw_assessment_get_recipients (assessment);
          gboolean same = got->len == json_array_get_length (want);

          for (guint w = 0; same && w < json_array_get_length (want); w++)
            {
              gboolean found = FALSE;
              for (guint r = 0; r < got->len; r++)
                found |= g_str_equal (((MwRecipient *) got->pdata[r])->id, json_array_get_string_element (want, w));
              same &= found;
            }
          if (!same)
            g_string_append (problems, " recipients differ;");
        }

      /* Deadlines exactly as printed: RFC 3339 with the Dutch offset of that instant. */
      if (json_object_has_member (c, "deadlines"))
        {
          JsonObject *expected = json_object_get_object_member (c, "deadlines");
          g_autoptr(GList) stages = json_object_get_members (expected);
          GPtrArray *deadlines = mw_assessment_get_deadlines (assessment);

          if (stages == NULL && deadlines->len > 0)
            g_string_append (problems, " deadlines where none are due;");
          for (GList *l = stages; l; l = l->next)
            {
              const char *want = json_object_get_string_member_with_default (expected, l->data, NULL);
              g_autofree char *got = NULL;
              gboolean found = FALSE;

              for (guint d = 0; d < deadlines->len; d++)
                {
                  MwDeadline *deadline = g_ptr_array_index (deadlines, d);

                  if (!g_str_equal (deadline->stage->id, l->data))
                    continue;
                  found = TRUE;
                  got = deadline->due ? mw_format_time (deadline->due) : NULL;
                }
              if (!found || g_strcmp0 (got, want) != 0)
                g_string_append_printf (problems, " %s due %s (expected %s);", (char *) l->data,
                                        found ? (got ? got : "null") : "absent", want ? want : "null");
            }
        }

      if (problems->len > 0)
        {
          g_test_message ("FAIL %s:%s", name, problems->str);
          failures++;
        }
    }

  g_test_message ("%u cases, %u failed", json_array_get_length (cases), failures);
  g_assert_cmpuint (failures, ==, 0);
}

static char *
term (const char *from,
      int         hours,
      int         days,
      int         months,
      char      **extension)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (from, NULL);
  g_autoptr(GDateTime) end = NULL;

  g_assert_nonnull (start);
  end = mw_term_end (start, hours, days, months, extension);
  g_assert_nonnull (end);
  return mw_format_time (end);
}

/* DOMAIN.md, Time: hours are elapsed hours across a clock change; months are Dutch
 * calendar months ending at 24:00, clamped to the month's last day, and run past a
 * weekend or holiday (Algemene termijnenwet); everything is printed in Dutch time. */
static void
test_terms (void)
{
  static const struct {
    const char *from;
    int hours, days, months;
    const char *due;
    const char *extended_from;  /* NULL: not extended */
  } cases[] = {
    /* Spring change (last Sunday of March 2027: the 28th) and autumn (25 October 2026). */
    { "2027-03-27T12:00:00+01:00", 24, 0, 0, "2027-03-28T13:00:00+02:00", NULL },
    { "2027-03-27T12:00:00+01:00", 72, 0, 0, "2027-03-30T13:00:00+02:00", NULL },
    { "2026-10-24T12:00:00+02:00", 24, 0, 0, "2026-10-25T11:00:00+01:00", NULL },
    { "2026-10-24T12:00:00+02:00", 72, 0, 0, "2026-10-27T11:00:00+01:00", NULL },
    { "2026-11-21T02:10:00Z", 24, 0, 0, "2026-11-22T03:10:00+01:00", NULL },
    /* An hour term is never extended, not even onto King's Day. */
    { "2027-04-26T12:00:00+02:00", 24, 0, 0, "2027-04-27T12:00:00+02:00", NULL },
    /* Months across the spring change: the end of 2027-04-26, in CEST. */
    { "2027-03-26T23:30:00+01:00", 0, 0, 1, "2027-04-27T00:00:00+02:00", NULL },
    /* The known bug: one month after 2027-03-27 23:30 (+01:00) is not 23:30 +01:00; the
     * 27th of April is King's Day, so the term runs through the 28th. */
    { "2027-03-27T23:30:00+01:00", 0, 0, 1, "2027-04-29T00:00:00+02:00", "2027-04-27" },
    /* Across the autumn change. */
    { "2026-09-26T10:00:00+02:00", 0, 0, 1, "2026-10-27T00:00:00+01:00", NULL },
    /* Month ends: 31 January → 28 February 2027 (a Sunday: Monday 1 March); leap year 2028. */
    { "2027-01-31T10:00:00+01:00", 0, 0, 1, "2027-03-02T00:00:00+01:00", "2027-02-28" },
    { "2028-01-31T10:00:00+01:00", 0, 0, 1, "2028-03-01T00:00:00+01:00", NULL },
    { "2028-01-29T10:00:00+01:00", 0, 0, 1, "2028-03-01T00:00:00+01:00", NULL },
    { "2028-03-31T10:00:00+02:00", 0, 0, 1, "2028-05-02T00:00:00+02:00", "2028-04-30" },  /* 30 April 2028: a Sunday */
    /* The Dutch date counts: 23:30 UTC on 28 February is 1 March in the Netherlands. */
    { "2027-02-28T23:30:00Z", 0, 0, 1, "2027-04-02T00:00:00+02:00", NULL },
    /* Easter Sunday and Monday 2027 (28 and 29 March). */
    { "2027-02-28T12:00:00+01:00", 0, 0, 1, "2027-03-31T00:00:00+02:00", "2027-03-28" },
    /* New Year's Day 2027 (a Friday), then the weekend. */
    { "2026-12-01T15:00:00+01:00", 0, 0, 1, "2027-01-05T00:00:00+01:00", "2027-01-01" },
    /* Days: Friday 23 April 2027 plus one day is a Saturday: through Monday the 26th. */
    { "2027-04-23T09:00:00+02:00", 0, 1, 0, "2027-04-27T00:00:00+02:00", "2027-04-24" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *extension = NULL;
      g_autofree char *due = term (cases[i].from, cases[i].hours, cases[i].days, cases[i].months, &extension);

      g_test_message ("%s + %dh %dd %dm → %s (%s)", cases[i].from, cases[i].hours, cases[i].days,
                      cases[i].months, due, extension ? extension : "not extended");
      g_assert_cmpstr (due, ==, cases[i].due);
      if (cases[i].extended_from == NULL)
        g_assert_null (extension);
      else
        {
          g_assert_nonnull (extension);
          g_assert_nonnull (strstr (extension, cases[i].extended_from));
        }
    }
}

static void
test_holidays (void)
{
  static const struct {
    int year, month, day;
    gboolean holiday;
  } days[] = {
    { 2027, 1, 1, TRUE }, { 2027, 3, 26, FALSE } /* Good Friday is none */, { 2027, 3, 29, TRUE },
    { 2027, 4, 27, TRUE }, { 2027, 5, 5, TRUE }, { 2027, 5, 6, TRUE } /* Ascension */,
    { 2027, 5, 17, TRUE } /* Whit Monday */, { 2027, 12, 25, TRUE }, { 2027, 12, 26, TRUE },
    { 2027, 12, 27, FALSE }, { 2025, 4, 26, TRUE } /* the 27th is a Sunday */, { 2025, 4, 27, FALSE },
    { 2028, 4, 17, TRUE } /* Easter Monday 2028 */, { 2028, 4, 18, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (days); i++)
    {
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, days[i].day, days[i].month, days[i].year);
      g_test_message ("%d-%02d-%02d", days[i].year, days[i].month, days[i].day);
      g_assert_cmpint (mw_dutch_holiday (&date) != NULL, ==, days[i].holiday);
    }
}

static void
test_format_due (void)
{
  g_autoptr(GDateTime) midnight = g_date_time_new_from_iso8601 ("2027-04-26T22:00:00Z", NULL);
  g_autofree char *end_of_day = mw_format_due (midnight, TRUE);
  g_autofree char *instant = mw_format_due (midnight, FALSE);

  /* The end of a day is 24:00 of that day, in Dutch time. */
  g_assert_true (g_str_has_prefix (end_of_day, "2027-04-26 24:00 +02:00"));
  g_assert_true (g_str_has_prefix (instant, "2027-04-27 00:00 +02:00"));
}

/* An exclusion lifts the criteria it names and no others (2024/2690 Art. 3(2)); without
 * "excludes" it lifts every one. Lifted criteria are reported as excluded, never met. */
static void
test_exclusion_lifts (void)
{
  g_autoptr(MwRegime) all = engine ();
  g_autoptr(GString) text = g_string_new (engine_regime);
  g_autoptr(MwRegime) availability = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAssessment) a = NULL, b = NULL, c = NULL, d = NULL;
  const char *facts = "{\"scheduled_maintenance\": true, \"unavailable_minutes\": 45, \"data_compromised\": true,"
                      " \"users_affected\": 10, \"users_total\": 100, \"degraded_users\": 0}";

  g_assert_cmpint (g_string_replace (text, "\"when\": {\"is\": [\"scheduled_maintenance\", true]}}",
                                     "\"when\": {\"is\": [\"scheduled_maintenance\", true]}, \"excludes\": [\"e.strict\"]}", 1), ==, 1);
  availability = mw_regime_new_from_data (text->str, text->len, "engine.json", &error);
  g_assert_no_error (error);

  a = assess_with (all, "cloud", facts, NULL);
  g_assert_cmpint (mw_assessment_get_verdict (a), ==, MW_VERDICT_VOLUNTARY);
  assert_status (a, "e.strict", MW_STATUS_EXCLUDED);
  assert_status (a, "e.data", MW_STATUS_EXCLUDED);

  b = assess_with (availability, "cloud", facts, NULL);
  g_assert_cmpint (mw_assessment_get_verdict (b), ==, MW_VERDICT_MANDATORY);
  assert_status (b, "e.strict", MW_STATUS_EXCLUDED);
  assert_status (b, "e.data", MW_STATUS_MET);
  g_assert_cmpuint (result_for (b, "e.strict")->missing->len, ==, 0);

  /* Only the lifted criterion met: voluntary; an unknown one left: undetermined. */
  c = assess_with (availability, "cloud", "{\"scheduled_maintenance\": true, \"unavailable_minutes\": 45,"
                   " \"data_compromised\": false, \"users_affected\": 10, \"users_total\": 100, \"degraded_users\": 0}", NULL);
  g_assert_cmpint (mw_assessment_get_verdict (c), ==, MW_VERDICT_VOLUNTARY);
  d = assess_with (availability, "cloud", "{\"scheduled_maintenance\": true, \"unavailable_minutes\": 45}", NULL);
  g_assert_cmpint (mw_assessment_get_verdict (d), ==, MW_VERDICT_UNDETERMINED);
  g_assert_cmpuint (mw_assessment_get_deciding_facts (d)->len, >, 0);
  for (guint i = 0; i < mw_assessment_get_deciding_facts (d)->len; i++)
    g_assert_cmpstr (g_ptr_array_index (mw_assessment_get_deciding_facts (d), i), !=, "unavailable_minutes");
}

/* Cbw art. 30 (inform the recipients of the service) with a mandatory verdict, art. 33
 * (near-misses and threats: voluntary, to the CSIRT), DORA for banking (art. 31). */
static void
test_cbw_duties (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRegime) cbw = mw_regime_load ("nl-cbw", &error);
  g_autoptr(MwAssessment) mandatory = NULL, undetermined = NULL, near_miss = NULL, bank = NULL;
  g_autofree char *text = NULL;
  g_autofree char *near_text = NULL;
  g_autofree char *bank_text = NULL;

  g_assert_no_error (error);
  mandatory = assess_with (cbw, "cloud", "{\"unavailable_minutes\": 45}", NULL);
  g_assert_cmpint (mw_assessment_get_verdict (mandatory), ==, MW_VERDICT_MANDATORY);
  g_assert_cmpuint (mw_assessment_get_reminders (mandatory)->len, ==, 1);
  g_assert_cmpstr (((MwReminder *) mw_assessment_get_reminders (mandatory)->pdata[0])->id, ==, "cbw.art30");
  text = mw_assessment_explain (mandatory);
  g_assert_nonnull (strstr (text, "art. 30"));
  g_assert_null (strstr (text, "uncertain"));

  undetermined = assess_with (cbw, "cloud", "{}", NULL);
  g_assert_cmpint (mw_assessment_get_verdict (undetermined), ==, MW_VERDICT_UNDETERMINED);
  g_assert_cmpuint (mw_assessment_get_reminders (undetermined)->len, ==, 0);

  near_miss = assess_with (cbw, "cloud", "{\"unavailable_minutes\": 45}", ", \"kind\": \"near-miss\","
                           " \"timeline\": {\"aware_at\": \"2026-11-21T03:10:00+01:00\"}");
  g_assert_cmpint (mw_assessment_get_verdict (near_miss), ==, MW_VERDICT_VOLUNTARY);
  g_assert_nonnull (mw_assessment_get_voluntary_kind (near_miss));
  g_assert_cmpuint (mw_assessment_get_recipients (near_miss)->len, ==, 1);
  g_assert_cmpstr (((MwRecipient *) mw_assessment_get_recipients (near_miss)->pdata[0])->id, ==, "ncsc");
  g_assert_cmpuint (mw_assessment_get_deadlines (near_miss)->len, ==, 0);
  g_assert_cmpuint (mw_assessment_get_reminders (near_miss)->len, ==, 0);
  near_text = mw_assessment_explain (near_miss);
  g_assert_nonnull (strstr (near_text, "art. 33"));

  bank = assess_with (cbw, "banking", "{}", ", \"timeline\": {\"aware_at\": \"2026-11-21T03:10:00+01:00\"}");
  g_assert_cmpint (mw_assessment_get_verdict (bank), ==, MW_VERDICT_VOLUNTARY);
  bank_text = mw_assessment_explain (bank);
  g_assert_nonnull (strstr (bank_text, "DORA"));
  g_assert_nonnull (strstr (bank_text, "DNB"));
}

static char *
due_of (MwAssessment *assessment,
        const char   *stage)
{
  GPtrArray *deadlines = mw_assessment_get_deadlines (assessment);

  for (guint i = 0; i < deadlines->len; i++)
    {
      MwDeadline *deadline = g_ptr_array_index (deadlines, i);

      if (g_str_equal (deadline->stage->id, stage))
        return deadline->due ? mw_format_time (deadline->due) : NULL;
    }
  return NULL;
}

/* The final report counts from when the notification was filed, and after a progress
 * report from the resolution (Cbw art. 29). */
static void
test_filed_at (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRegime) cbw = mw_regime_load ("nl-cbw", &error);
  g_autoptr(MwReport) report = NULL;
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) first = NULL, second = NULL;
  g_autoptr(GDateTime) filed = g_date_time_new_from_iso8601 ("2027-03-27T23:30:00+01:00", NULL);
  g_autoptr(GDateTime) progress = g_date_time_new_from_iso8601 ("2027-04-20T10:00:00+02:00", NULL);
  g_autofree char *due = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  report = mw_report_new_from_data ("{\"regime\": \"nl-cbw\", \"stage\": \"final\", \"provider\": {\"entity_type\": \"cloud\"},"
                                    " \"timeline\": {\"aware_at\": \"2027-03-25T10:00:00+01:00\","
                                    " \"resolved_at\": \"2027-05-03T12:00:00+02:00\"}, \"facts\": {}}", -1, "case", &error);
  g_assert_no_error (error);
  assessor = mw_assessor_new (cbw);
  mw_assessor_set_filed_at (assessor, "notification", filed);
  first = mw_assessor_assess (assessor, report, &error);
  g_assert_no_error (error);
  due = due_of (first, "final");
  g_assert_cmpstr (due, ==, "2027-04-29T00:00:00+02:00");

  mw_assessor_set_filed_at (assessor, "progress", progress);
  second = mw_assessor_assess (assessor, report, &error);
  g_assert_no_error (error);
  after = due_of (second, "final");
  /* 3 May 2027 + 1 month = 3 June 2027, a Thursday. */
  g_assert_cmpstr (after, ==, "2027-06-04T00:00:00+02:00");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assessor/strict-boundary", test_strict_boundary);
  g_test_add_func ("/assessor/whichever-is-smaller", test_whichever_is_smaller);
  g_test_add_func ("/assessor/derived", test_derived);
  g_test_add_func ("/assessor/kleene-logic", test_kleene_logic);
  g_test_add_func ("/assessor/verdicts", test_verdicts);
  g_test_add_func ("/assessor/deadlines", test_deadlines);
  g_test_add_func ("/assessor/advisory", test_advisory);
  g_test_add_func ("/assessor/bad-input", test_bad_input);
  g_test_add_func ("/assessor/cases", test_cases);
  g_test_add_func ("/assessor/terms", test_terms);
  g_test_add_func ("/assessor/holidays", test_holidays);
  g_test_add_func ("/assessor/format-due", test_format_due);
  g_test_add_func ("/assessor/exclusion-lifts", test_exclusion_lifts);
  g_test_add_func ("/assessor/cbw-duties", test_cbw_duties);
  g_test_add_func ("/assessor/filed-at", test_filed_at);

  return g_test_run ();
}
