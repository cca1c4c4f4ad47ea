/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-report"

#include "mw-error.h"
#include "mw-json.h"
#include "mw-report.h"

static const char valid_report[] =
  "{\n"
  "  \"format\": \"meldwijzer.report/1\",\n"
  "  \"report_id\": \"0f8fad5b-d9cb-469f-a165-70867728950e\",\n"
  "  \"incident_id\": \"7c9e6679-7425-40de-944b-e07fc1f90ae7\",\n"
  "  \"stage\": \"early-warning\",\n"
  "  \"kind\": \"incident\",\n"
  "  \"supersedes\": null,\n"
  "  \"training\": true,\n"
  "  \"created_at\": \"2026-11-22T03:40:00+01:00\",\n"
  "  \"regime\": \"nl-cbw\",\n"
  "  \"provider\": {\"name\": \"Voorbeeld Cloud B.V.\", \"registration\": \"KvK 12345678\",\n"
  "               \"sector\": \"digital-infrastructure\", \"entity_type\": \"cloud\",\n"
  "               \"contact\": {\"name\": \"J. de Vries\", \"role\": \"CISO\", \"email\": \"ciso@example.nl\", \"phone\": \"+31 20 123 4567\"}},\n"
  "  \"service\": {\"id\": \"iaas\", \"name\": \"IaaS Amsterdam\", \"network\": \"AS64500\"},\n"
  "  \"timeline\": {\"started_at\": \"2026-11-22T02:05:00+01:00\", \"detected_at\": \"2026-11-22T02:20:00+01:00\",\n"
  "               \"aware_at\": \"2026-11-22T02:35:00+01:00\", \"resolved_at\": null},\n"
  "  \"nature\": {\"summary\": \"Storage cluster unavailable\", \"description\": \"Ransomware suspected\",\n"
  "             \"category\": \"availability/outage\", \"cause\": \"malicious\", \"suspected_unlawful\": true,\n"
  "             \"affected\": [\"availability\", \"integrity\"]},\n"
  "  \"facts\": {\"users_affected\": 120000, \"unavailable_minutes\": 45, \"data_compromised\": false, \"annual_turnover_eur\": 12500000.5, \"cross_border\": null},\n"
  "  \"recovery\": {\"status\": \"containing\", \"forecast_at\": \"2026-11-22T09:00:00+01:00\", \"measures\": \"Failover\", \"csirt_help_requested\": false},\n"
  "  \"consent\": {\"csirt_may_share_identifiable\": false, \"csirt_may_consult_regulator\": true},\n"
  "  \"indicators\": [{\"type\": \"ipv4-addr\", \"value\": \"198.51.100.7\"}, {\"type\": \"domain-name\", \"value\": \"evil.example\"}],\n"
  "  \"personal_data_notice\": null\n"
  "}\n";

static MwReport *
load (const char *text)
{
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_report_new_from_data (text, -1, "test.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* Returns the message for path, or NULL. */
static const char *
find_problem (GPtrArray  *problems,
              const char *path)
{
  for (guint i = 0; i < problems->len; i++)
    {
      MwProblem *problem = g_ptr_array_index (problems, i);
      if (g_str_equal (problem->path, path))
        return problem->message;
    }
  return NULL;
}

static MwReport *
with_change (const char *path,
             const char *json_value)
{
  MwReport *report = load (valid_report);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = mw_json_parse (json_value, -1, NULL, &error);

  g_assert_no_error (error);
  mw_report_set_node (report, path, value);
  return report;
}

static void
test_round_trip (void)
{
  g_autoptr(MwReport) report = load (valid_report);
  g_autofree char *json = mw_report_to_json (report);
  g_autoptr(MwReport) again = load (json);
  g_autofree char *a = mw_report_to_canonical_json (report);
  g_autofree char *b = mw_report_to_canonical_json (again);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) original = mw_json_parse (valid_report, -1, NULL, &error);
  g_autofree char *c = mw_json_to_canonical (original);
  double number = 0;

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, c);

  /* Unknown, zero and false stay distinct. */
  g_assert_true (mw_report_get_number (again, "facts.unavailable_minutes", &number));
  g_assert_cmpfloat (number, ==, 45);
  g_assert_true (mw_report_is_known (again, "facts.data_compromised"));
  g_assert_false (mw_report_is_known (again, "timeline.resolved_at"));
  g_assert_false (mw_report_get_number (again, "facts.users_total", &number));
  g_assert_true (mw_report_get_number (again, "facts.annual_turnover_eur", &number));
  g_assert_cmpfloat (number, ==, 12500000.5);
}

static void
test_unknown_distinct (void)
{
  g_autoptr(MwReport) report = mw_report_new ();
  gboolean value = TRUE;
  double number = -1;
  g_autofree char *json = NULL;

  mw_report_set_int (report, "facts.deaths", 0);
  mw_report_set_boolean (report, "facts.health_damage", FALSE);
  g_assert_true (mw_report_get_number (report, "facts.deaths", &number));
  g_assert_cmpfloat (number, ==, 0);
  g_assert_true (mw_report_get_boolean (report, "facts.health_damage", &value));
  g_assert_false (value);

  mw_report_set_unknown (report, "facts.deaths");
  g_assert_false (mw_report_get_number (report, "facts.deaths", &number));
  json = mw_report_to_canonical_json (report);
  g_assert_null (strstr (json, "\"deaths\""));
  g_assert_nonnull (strstr (json, "\"health_damage\":false"));
}

static void
on_changed (MwReport   *report,
            const char *path,
            GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup (path));
}

static void
test_changed_signal (void)
{
  g_autoptr(MwReport) report = mw_report_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) aware = g_ptr_array_new_with_free_func (g_free);
  guint notified = 0;

  g_signal_connect (report, "changed", G_CALLBACK (on_changed), all);
  g_signal_connect (report, "changed::timeline.aware_at", G_CALLBACK (on_changed), aware);
  g_signal_connect_swapped (report, "notify::entity-type", G_CALLBACK (g_atomic_int_inc), &notified);

  mw_report_set_string (report, "timeline.aware_at", "2026-11-22T03:10:00+01:00");
  mw_report_set_string (report, "timeline.aware_at", "2026-11-22T03:10:00+01:00");  /* unchanged */
  mw_report_set_string (report, "provider.entity_type", "dns");
  mw_report_set_int (report, "facts.users_affected", 5);

  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpuint (aware->len, ==, 1);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (mw_report_get_entity_type (report), ==, "dns");
}

static void
test_new_is_valid_draft (void)
{
  g_autoptr(MwReport) report = mw_report_new ();
  g_autoptr(GPtrArray) draft = mw_report_validate (report, MW_VALIDATE_DRAFT);
  g_autoptr(GPtrArray) complete = mw_report_validate (report, MW_VALIDATE_COMPLETE);

  for (guint i = 0; i < draft->len; i++)
    g_test_message ("%s: %s", ((MwProblem *) draft->pdata[i])->path, ((MwProblem *) draft->pdata[i])->message);
  g_assert_cmpuint (draft->len, ==, 0);
  g_assert_true (mw_is_uuid (mw_report_get_report_id (report)));
  /* A fresh draft (an early warning) is not yet complete: it misses the provider, when the
   * entity became aware, and the answers of art. 26 Cbw. */
  g_assert_nonnull (find_problem (complete, "provider.name"));
  g_assert_nonnull (find_problem (complete, "timeline.aware_at"));
  g_assert_nonnull (find_problem (complete, "facts.cross_border"));
}

static void
test_valid_report (void)
{
  g_autoptr(MwReport) report = load (valid_report);
  g_autoptr(GPtrArray) problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", ((MwProblem *) problems->pdata[i])->path, ((MwProblem *) problems->pdata[i])->message);
  g_assert_cmpuint (problems->len, ==, 0);
}

typedef struct {
  const char *path;
  const char *value;
  const char *problem_path;
  const char *fragment;
} Invalid;

static void
test_invalid_fields (void)
{
  static const Invalid cases[] = {
    { "timeline.detected_at", "\"2026-11-22T01:00:00+01:00\"", "timeline.detected_at",
      "the incident cannot be detected before it started" },
    { "timeline.resolved_at", "\"2026-11-22T01:00:00+01:00\"", "timeline.resolved_at", "resolved before it started" },
    { "timeline.started_at", "\"2026-11-22 02:05\"", "timeline.started_at", "time zone offset" },
    { "timeline.started_at", "\"2026-11-22T02:05:00\"", "timeline.started_at", "time zone offset" },
    { "timeline.aware_at", "\"2099-01-01T00:00:00Z\"", "timeline.aware_at", "future" },
    { "report_id", "\"not-a-uuid\"", "report_id", "not a UUID" },
    { "stage", "\"preliminary\"", "stage", "is not one of" },
    { "kind", "\"accident\"", "kind", "is not one of" },
    { "nature.cause", "\"aliens\"", "nature.cause", "is not one of" },
    { "nature.category", "\"availability/nonsense\"", "nature.category", "ENISA" },
    { "nature.affected", "[\"availability\", \"availability\"]", "nature.affected[1]", "twice" },
    { "nature.affected", "[\"beauty\"]", "nature.affected[0]", "is not one of" },
    { "facts.users_affected", "-3", "facts.users_affected", "zero or more" },
    { "facts.users_affected", "2.5", "facts.users_affected", "whole number" },
    { "facts.users_affected", "\"many\"", "facts.users_affected", "must be a number" },
    { "facts.data_compromised", "\"yes\"", "facts.data_compromised", "true or false" },
    { "facts.user_hours_lost", "5", "facts.user_hours_lost", "computed" },
    { "facts.users_afected", "5", "facts.users_afected", "not a fact" },
    { "provider.contact.email", "\"ciso-at-example.nl\"", "provider.contact.email", "e-mail" },
    { "provider.contact.phone", "\"call me\"", "provider.contact.phone", "phone" },
    { "provider.name", "\"\"", "provider.name", "empty" },
    { "provider.entity_type", "\"bakery\"", "provider.entity_type", "use one of: dns, " },
    { "supersedes", "\"0f8fad5b-d9cb-469f-a165-70867728950e\"", "supersedes", "cannot supersede itself" },
    { "indicators", "[{\"type\": \"ipv4-addr\", \"value\": \"999.1.1.1\"}]", "indicators[0].value", "not a valid" },
    { "indicators", "[{\"type\": \"phone\", \"value\": \"1\"}]", "indicators[0].type", "must be one of" },
    { "format", "\"meldwijzer.report/9\"", "format", "expected" },
    { "regime", "\"../../etc/passwd\"", "regime", "not a regime id" },
    { "recovery.status", "\"panicking\"", "recovery.status", "is not one of" },
    { "recovery.forecast_at", "\"2026-11-22T01:00:00+01:00\"", "recovery.forecast_at", "before the incident started" },
    { "training", "\"yes\"", "training", "true or false" },
    { "surprise", "1", "surprise", "not part of" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MwReport) report = with_change (cases[i].path, cases[i].value);
      g_autoptr(GPtrArray) problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
      const char *message = find_problem (problems, cases[i].problem_path);

      g_test_message ("%s = %s → %s", cases[i].path, cases[i].value, message ? message : "(none)");
      g_assert_nonnull (message);
      g_assert_nonnull (strstr (message, cases[i].fragment));
      /* The wizard shows these too: facts and remedies, never a command line. */
      g_assert_null (strstr (message, "meldwijzer-cli"));
    }
}

/* A regime's required items (Telecommunicatiewet art. 11a.2) are checked in a complete
 * report; "the network or service" is satisfied by either. */
static void
test_required_items (void)
{
  g_autoptr(MwReport) report = load (valid_report);
  g_autoptr(GPtrArray) ok = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GPtrArray) draft = NULL;
  const char *message;

  mw_report_set_string (report, "regime", "nl-telecom");
  mw_report_set_string (report, "provider.entity_type", "public-electronic-communications");
  mw_report_set_unknown (report, "service.network");
  ok = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  g_assert_null (find_problem (ok, "service.network"));

  mw_report_set_unknown (report, "service.name");
  mw_report_set_unknown (report, "recovery.forecast_at");
  missing = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  message = find_problem (missing, "service.network");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "11a.2"));
  g_assert_nonnull (find_problem (missing, "recovery.forecast_at"));

  draft = mw_report_validate (report, MW_VALIDATE_DRAFT);
  g_assert_null (find_problem (draft, "service.network"));
}

/* The early warning asks exactly art. 26 Cbw (the regime's stage "requires"); the full
 * report (started, summary, recovery) waits for the notification. */
static void
test_early_warning_stage (void)
{
  g_autoptr(MwReport) report = load (valid_report);
  g_autoptr(MwReport) notification = NULL;
  g_autoptr(GPtrArray) brief = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GPtrArray) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) only_art26 = mw_json_parse ("{\"aware_at\": \"2026-11-22T02:35:00+01:00\"}", -1, NULL, &error);

  g_assert_no_error (error);
  mw_report_set_node (report, "timeline", only_art26);
  mw_report_set_unknown (report, "nature");
  mw_report_set_unknown (report, "recovery");
  mw_report_set_boolean (report, "nature.suspected_unlawful", TRUE);
  brief = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  g_assert_cmpuint (brief->len, ==, 0);

  /* "Not known yet" is an answer; no answer is not. */
  mw_report_set_unknown (report, "nature.suspected_unlawful");
  mw_report_set_unknown (report, "facts.cross_border");
  missing = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  g_assert_null (find_problem (missing, "nature.suspected_unlawful"));
  g_assert_nonnull (find_problem (missing, "facts.cross_border"));
  g_assert_nonnull (strstr (find_problem (missing, "facts.cross_border"), "art. 26"));
  g_assert_cmpuint (missing->len, ==, 1);

  notification = mw_report_new_follow_up (report, "notification");
  full = mw_report_validate (notification, MW_VALIDATE_COMPLETE);
  g_assert_nonnull (find_problem (full, "timeline.started_at"));
  g_assert_nonnull (find_problem (full, "nature.summary"));
  g_assert_nonnull (find_problem (full, "recovery.status"));
}

/* The final report asks the full report and what art. 29 Cbw adds (the regime's stage
 * "adds"): a detailed description, the type of threat or likely root cause, the mitigation,
 * the cross-border impact. "Not known yet" answers the early warning, not these. */
static void
test_final_stage (void)
{
  static const char * const art29[] = { "nature.description", "nature.cause", "recovery.measures",
                                        "facts.cross_border" };
  g_autoptr(MwReport) report = load (valid_report);
  g_autoptr(MwReport) notification = NULL;
  g_autoptr(MwReport) final = NULL;
  g_autoptr(MwReport) progress = NULL;
  g_autoptr(GPtrArray) answered = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  g_autoptr(GPtrArray) classified = NULL;
  g_autoptr(GPtrArray) notified = NULL;
  g_autoptr(GPtrArray) in_progress = NULL;

  mw_report_set_boolean (report, "facts.cross_border", FALSE);
  final = mw_report_new_follow_up (report, "final");
  answered = mw_report_validate (final, MW_VALIDATE_COMPLETE);
  g_assert_cmpuint (answered->len, ==, 0);

  /* Not given at all: each is named, with the article that asks. */
  mw_report_set_unknown (final, "nature.description");
  mw_report_set_unknown (final, "nature.cause");
  mw_report_set_unknown (final, "nature.category");
  mw_report_set_unknown (final, "recovery.measures");
  mw_report_set_unknown (final, "facts.cross_border");
  missing = mw_report_validate (final, MW_VALIDATE_COMPLETE);
  for (gsize i = 0; i < G_N_ELEMENTS (art29); i++)
    {
      const char *message = find_problem (missing, art29[i]);

      g_test_message ("%s: %s", art29[i], message);
      g_assert_nonnull (message);
      g_assert_nonnull (strstr (message, "art. 29"));
    }
  g_assert_nonnull (strstr (find_problem (missing, "nature.cause"), "root cause"));
  g_assert_nonnull (strstr (find_problem (missing, "recovery.measures"), "mitigation"));
  g_assert_nonnull (strstr (find_problem (missing, "facts.cross_border"), "cross-border"));
  g_assert_nonnull (strstr (find_problem (missing, "nature.description"), "detailed description"));
  g_assert_cmpuint (missing->len, ==, G_N_ELEMENTS (art29));

  /* The cause "unknown" is no root cause; the classification (type of threat) will do. */
  mw_report_set_string (final, "nature.cause", "unknown");
  unknown = mw_report_validate (final, MW_VALIDATE_COMPLETE);
  g_assert_nonnull (find_problem (unknown, "nature.cause"));
  mw_report_set_string (final, "nature.category", "availability/ddos");
  classified = mw_report_validate (final, MW_VALIDATE_COMPLETE);
  g_assert_null (find_problem (classified, "nature.cause"));

  /* A draft may lack them; a notification and a progress report do not ask them. */
  g_clear_pointer (&missing, g_ptr_array_unref);
  missing = mw_report_validate (final, MW_VALIDATE_DRAFT);
  g_assert_cmpuint (missing->len, ==, 0);
  notification = mw_report_new_follow_up (final, "notification");
  mw_report_set_unknown (notification, "nature.category");
  notified = mw_report_validate (notification, MW_VALIDATE_COMPLETE);
  g_assert_cmpuint (notified->len, ==, 0);
  progress = mw_report_new_follow_up (notification, "progress");
  in_progress = mw_report_validate (progress, MW_VALIDATE_COMPLETE);
  g_assert_cmpuint (in_progress->len, ==, 0);
}

static void
test_long_text (void)
{
  g_autofree char *text = g_strnfill (201, 'x');
  g_autoptr(MwReport) report = load (valid_report);
  g_autoptr(GPtrArray) problems = NULL;

  mw_report_set_string (report, "nature.summary", text);
  problems = mw_report_validate (report, MW_VALIDATE_DRAFT);
  g_assert_nonnull (find_problem (problems, "nature.summary"));
}

static void
test_not_an_object (void)
{
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_report_new_from_data ("[1, 2]", -1, "list.json", &error);

  g_assert_null (report);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "list.json: "));
}

static void
test_follow_up (void)
{
  g_autoptr(MwReport) report = load (valid_report);
  g_autoptr(MwReport) next = mw_report_new_follow_up (report, "notification");

  g_assert_cmpstr (mw_report_get_string (next, "supersedes"), ==, mw_report_get_report_id (report));
  g_assert_cmpstr (mw_report_get_incident_id (next), ==, mw_report_get_incident_id (report));
  g_assert_cmpstr (mw_report_get_report_id (next), !=, mw_report_get_report_id (report));
  g_assert_cmpstr (mw_report_get_stage (next), ==, "notification");
}

static void
test_sensitive_text (void)
{
  g_autoptr(MwReport) report = load (valid_report);
  g_autoptr(GPtrArray) none = mw_report_find_sensitive_text (report);
  g_autoptr(GPtrArray) found = NULL;

  g_assert_cmpuint (none->len, ==, 0);
  mw_report_set_string (report, "nature.description",
                        "Het patiëntendossier van dhr. X (BSN 111222333) met zijn diagnose lag open");
  found = mw_report_find_sensitive_text (report);
  g_assert_cmpuint (found->len, ==, 2);  /* health and a valid BSN */
}

static void
test_time_parsing (void)
{
  g_autoptr(GDateTime) time = NULL;

  g_assert_true (mw_parse_time ("2026-11-22T03:10:00+01:00", &time));
  g_assert_cmpint (g_date_time_get_hour (time), ==, 3);
  g_assert_true (mw_parse_time ("2026-11-22T02:10:00.123Z", NULL));
  g_assert_false (mw_parse_time ("2026-11-22T03:10:00", NULL));
  g_assert_false (mw_parse_time ("2026-13-22T03:10:00Z", NULL));
  g_assert_false (mw_parse_time ("22-11-2026 03:10", NULL));
  g_assert_false (mw_parse_time (NULL, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report/round-trip", test_round_trip);
  g_test_add_func ("/report/unknown-distinct", test_unknown_distinct);
  g_test_add_func ("/report/changed-signal", test_changed_signal);
  g_test_add_func ("/report/new-is-valid-draft", test_new_is_valid_draft);
  g_test_add_func ("/report/valid", test_valid_report);
  g_test_add_func ("/report/invalid-fields", test_invalid_fields);
  g_test_add_func ("/report/required-items", test_required_items);
  g_test_add_func ("/report/early-warning-stage", test_early_warning_stage);
  g_test_add_func ("/report/final-stage", test_final_stage);
  g_test_add_func ("/report/long-text", test_long_text);
  g_test_add_func ("/report/not-an-object", test_not_an_object);
  g_test_add_func ("/report/follow-up", test_follow_up);
  g_test_add_func ("/report/sensitive-text", test_sensitive_text);
  g_test_add_func ("/report/time-parsing", test_time_parsing);

  return g_test_run ();
}
