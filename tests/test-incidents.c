/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-incidents"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <locale.h>

#include "mw-error.h"
#include "mw-export.h"
#include "mw-incidents.h"
#include "mw-json.h"
#include "mw-label.h"
#include "mw-profile.h"
#include "mw-report.h"
#include "mw-signer.h"
#include "mw-store.h"
#include "mw-test-util.h"

/* Incidents over time with fixed clocks: reports signed and stored in a real SQLite file,
 * receipts signed by a recipient key of the test's own, deadlines read back as the
 * command line prints them. */

#define INCIDENT "5b0c1d2e-3f40-4a51-8b62-7c8d9e0f1a2b"
static const char * const recipients[] = { "ncsc", "rdi", NULL };
static char *locale_dir;   /* with --mo=FILE: the Dutch run */

typedef struct {
  char        *dir;
  MwStore     *store;
  MwIncidents *incidents;
  MwSigner    *signer;      /* the organisation */
  MwSigner    *recipient;   /* signs the receipts */
  guint        serial;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("test-incidents-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = mw_store_new_for_path (path, &error);
  g_assert_no_error (error);
  fixture->incidents = mw_incidents_new (fixture->store);
  fixture->signer = mw_signer_generate (&error);
  g_assert_no_error (error);
  fixture->recipient = mw_signer_generate (&error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->incidents);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->signer);
  g_clear_object (&fixture->recipient);
  mw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GDateTime *
time_at (const char *text)
{
  GDateTime *time = NULL;

  g_assert_true (mw_parse_time (text, &time));
  return time;
}

static void
set_now (Fixture    *fixture,
         const char *now)
{
  g_autoptr(GDateTime) time = time_at (now);
  g_autoptr(GError) error = NULL;

  mw_incidents_set_now (fixture->incidents, time);
  g_assert_true (mw_incidents_reload (fixture->incidents, &error));
  g_assert_no_error (error);
}

static MwReport *
template_report (const char *aware_at)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reports", "cbw-dns-outage.json", NULL);
  MwReport *report = mw_report_new_from_file (path, &error);

  g_assert_no_error (error);
  mw_report_set_string (report, "incident_id", INCIDENT);
  mw_report_set_string (report, "stage", "early-warning");
  mw_report_set_unknown (report, "supersedes");
  mw_report_set_string (report, "timeline.aware_at", aware_at);
  mw_report_set_string (report, "timeline.detected_at", aware_at);
  mw_report_set_string (report, "timeline.started_at", aware_at);
  mw_report_set_unknown (report, "timeline.resolved_at");
  mw_report_set_unknown (report, "recovery.forecast_at");
  mw_report_set_string (report, "created_at", aware_at);
  return report;
}

/* Signs and stores @report; with @received_at (nullable) each recipient's receipt arrives
 * then. */
static void
file_report (Fixture    *fixture,
             MwReport   *report,
             const char *received_at)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = mw_signer_sign_report (fixture->signer, report, &error);
  g_autofree char *sha256 = NULL;
  const char *report_id = mw_report_get_report_id (report);

  g_assert_no_error (error);
  g_assert_true (mw_store_submit (fixture->store, jws, recipients, &error));
  g_assert_no_error (error);
  sha256 = mw_sha256_hex ((const guint8 *) jws, strlen (jws));
  for (guint i = 0; received_at != NULL && recipients[i] != NULL; i++)
    {
      g_autofree char *receipt_id = g_strdup_printf ("00000000-0000-4000-8000-%012u", ++fixture->serial);
      g_autofree char *payload = g_strdup_printf ("{\"receipt_id\":\"%s\",\"recipient\":\"%s\","
                                                  "\"received_at\":\"%s\",\"report_id\":\"%s\","
                                                  "\"report_sha256\":\"%s\"}",
                                                  receipt_id, recipients[i], received_at, report_id, sha256);
      g_autofree char *receipt = mw_signer_sign (fixture->recipient, "meldwijzer.receipt/1",
                                                 (const guint8 *) payload, strlen (payload), &error);

      g_assert_no_error (error);
      g_assert_true (mw_store_mark_delivered (fixture->store, report_id, recipients[i], receipt_id,
                                              receipt, received_at, &error));
      g_assert_no_error (error);
    }
}

static MwReport *
follow_up (Fixture    *fixture,
           const char *stage)
{
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_incidents_dup_follow_up (fixture->incidents, INCIDENT, stage, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static JsonObject *
history_of (Fixture   *fixture,
            JsonNode **node)
{
  g_autoptr(GError) error = NULL;

  *node = mw_incidents_dup_history (fixture->incidents, INCIDENT, &error);
  g_assert_no_error (error);
  return json_node_get_object (*node);
}

/* The deadline of @stage as "status due [late]". */
static char *
deadline_text (JsonObject *history,
               const char *stage)
{
  JsonArray *deadlines = json_object_get_array_member (history, "deadlines");

  for (guint i = 0; i < json_array_get_length (deadlines); i++)
    {
      JsonObject *deadline = json_array_get_object_element (deadlines, i);

      if (g_str_equal (json_object_get_string_member (deadline, "stage"), stage))
        return g_strdup_printf ("%s %s%s", json_object_get_string_member (deadline, "status"),
                                json_object_get_string_member_with_default (deadline, "due", "null"),
                                json_object_get_boolean_member_with_default (deadline, "late", FALSE) ? " late" : "");
    }
  return NULL;
}

#define assert_deadline(history, stage, expected) \
  G_STMT_START { \
    g_autofree char *text__ = deadline_text (history, stage); \
    g_assert_cmpstr (text__, ==, expected); \
  } G_STMT_END

/* An early warning, a notification and a final report filed on three different days, across
 * the spring clock change: each deadline done, the final one counted from when the
 * notification was filed, at the end of that day in Dutch time. */
static void
test_three_stages (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MwReport) warning = template_report ("2027-03-26T23:00:00+01:00");
  g_autoptr(MwReport) notification = NULL;
  g_autoptr(MwReport) final = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(MwIncidentItem) item = NULL;
  JsonObject *history;
  JsonArray *reports;

  mw_report_set_string (warning, "report_id", "11111111-1111-4111-8111-111111111111");
  file_report (fixture, warning, "2027-03-27T10:00:00+01:00");

  /* Day 1, after the early warning: the notification is next, 72 elapsed hours after
   * awareness (across the clock change: 00:00 +02:00, not 23:00). */
  set_now (fixture, "2027-03-27T12:00:00+01:00");
  history = history_of (fixture, &node);
  assert_deadline (history, "early-warning", "done 2027-03-27T23:00:00+01:00");
  assert_deadline (history, "notification", "open 2027-03-30T00:00:00+02:00");
  assert_deadline (history, "final", "open null");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->incidents)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->incidents), 0);
  g_assert_cmpstr (mw_incident_item_get_stage (item), ==, "early-warning");
  g_assert_cmpstr (mw_incident_item_get_next_stage (item), ==, "notification");
  g_assert_false (mw_incident_item_get_overdue (item));
  g_assert_cmpstr (mw_incident_item_get_recipients (item), ==, "ncsc: delivered, rdi: delivered");
  g_clear_object (&item);
  g_clear_pointer (&node, json_node_unref);

  /* Day 3: the notification, pre-filled from the early warning. */
  set_now (fixture, "2027-03-29T21:00:00+02:00");
  notification = follow_up (fixture, NULL);
  g_assert_cmpstr (mw_report_get_stage (notification), ==, "notification");
  g_assert_cmpstr (mw_report_get_incident_id (notification), ==, INCIDENT);
  g_assert_cmpstr (mw_report_get_string (notification, "supersedes"), ==, "11111111-1111-4111-8111-111111111111");
  g_assert_cmpstr (mw_report_get_string (notification, "created_at"), ==, "2027-03-29T21:00:00+02:00");
  g_assert_cmpstr (mw_report_get_string (notification, "service.name"), ==, "Recursive DNS resolvers");
  g_assert_cmpstr (mw_report_get_report_id (notification), !=, "11111111-1111-4111-8111-111111111111");
  file_report (fixture, notification, "2027-03-29T22:30:00+02:00");

  /* Day 14: the final report is due a month after the notification was filed (29 March),
   * at the end of 29 April in Dutch time. */
  set_now (fixture, "2027-04-10T09:00:00+02:00");
  history = history_of (fixture, &node);
  assert_deadline (history, "notification", "done 2027-03-30T00:00:00+02:00");
  assert_deadline (history, "final", "open 2027-04-30T00:00:00+02:00");
  g_clear_pointer (&node, json_node_unref);

  /* 29 April 2027 is a Thursday: no extension. */
  item = g_list_model_get_item (G_LIST_MODEL (fixture->incidents), 0);
  g_assert_null (mw_incident_item_get_next_extension (item));
  g_clear_object (&item);

  /* Missed: overdue, in the list as well. */
  set_now (fixture, "2027-05-01T09:00:00+02:00");
  history = history_of (fixture, &node);
  assert_deadline (history, "final", "overdue 2027-04-30T00:00:00+02:00");
  item = g_list_model_get_item (G_LIST_MODEL (fixture->incidents), 0);
  g_assert_true (mw_incident_item_get_overdue (item));
  g_clear_object (&item);
  g_clear_pointer (&node, json_node_unref);

  /* Filed on day 25: every deadline done, none late; three versions in a chain. */
  set_now (fixture, "2027-04-20T15:00:00+02:00");
  final = follow_up (fixture, NULL);
  g_assert_cmpstr (mw_report_get_stage (final), ==, "final");
  g_assert_cmpstr (mw_report_get_string (final, "supersedes"), ==, mw_report_get_report_id (notification));
  file_report (fixture, final, "2027-04-20T15:05:00+02:00");
  set_now (fixture, "2027-04-20T16:00:00+02:00");
  history = history_of (fixture, &node);
  assert_deadline (history, "early-warning", "done 2027-03-27T23:00:00+01:00");
  assert_deadline (history, "notification", "done 2027-03-30T00:00:00+02:00");
  assert_deadline (history, "final", "done 2027-04-30T00:00:00+02:00");
  reports = json_object_get_array_member (history, "reports");
  g_assert_cmpuint (json_array_get_length (reports), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reports, 2), "supersedes"), ==,
                   json_object_get_string_member (json_array_get_object_element (reports, 1), "report_id"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reports, 1), "supersedes"), ==,
                   json_object_get_string_member (json_array_get_object_element (reports, 0), "report_id"));
  for (guint i = 0; i < 3; i++)
    {
      JsonArray *deliveries = json_object_get_array_member (json_array_get_object_element (reports, i), "deliveries");

      g_assert_cmpuint (json_array_get_length (deliveries), ==, 2);
      for (guint j = 0; j < 2; j++)
        {
          JsonObject *delivery = json_array_get_object_element (deliveries, j);

          g_assert_cmpstr (json_object_get_string_member (delivery, "state"), ==, "delivered");
          g_assert_cmpstr (json_object_get_string_member (delivery, "receipt_kid"), ==,
                           mw_signer_get_thumbprint (fixture->recipient));
        }
    }
  item = g_list_model_get_item (G_LIST_MODEL (fixture->incidents), 0);
  g_assert_null (mw_incident_item_get_next_due (item));
}

/* Filed after the deadline: done, and late. The autumn clock change: 24 and 72 elapsed
 * hours, and the month counted in Dutch time. */
static void
test_late_and_autumn (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MwReport) warning = template_report ("2027-10-30T12:00:00+02:00");
  g_autoptr(MwReport) notification = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *history;

  mw_report_set_string (warning, "report_id", "22222222-2222-4222-8222-222222222222");
  file_report (fixture, warning, "2027-10-31T11:30:00+01:00");
  set_now (fixture, "2027-10-31T12:00:00+01:00");
  history = history_of (fixture, &node);
  assert_deadline (history, "early-warning", "done 2027-10-31T11:00:00+01:00 late");
  assert_deadline (history, "notification", "open 2027-11-02T11:00:00+01:00");
  g_clear_pointer (&node, json_node_unref);

  /* Written on 31 October, filed on 1 November: the month counts from the filing. */
  notification = follow_up (fixture, NULL);
  file_report (fixture, notification, "2027-11-01T13:00:00+01:00");
  set_now (fixture, "2027-11-01T14:00:00+01:00");
  history = history_of (fixture, &node);
  assert_deadline (history, "notification", "done 2027-11-02T11:00:00+01:00");
  assert_deadline (history, "final", "open 2027-12-02T00:00:00+01:00");

}

/* A month from a notification filed on Easter Monday 5 April 2027 ends on 5 May, then
 * Ascension Day: the term runs through Friday 7 May, and the item says when and why. */
static void
test_extension (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MwReport) warning = template_report ("2027-04-04T10:00:00+02:00");
  g_autoptr(MwReport) notification = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(MwIncidentItem) item = NULL;
  JsonObject *history;

  mw_report_set_string (warning, "report_id", "88888888-8888-4888-8888-888888888888");
  file_report (fixture, warning, "2027-04-04T12:00:00+02:00");
  set_now (fixture, "2027-04-05T08:00:00+02:00");
  notification = follow_up (fixture, NULL);
  file_report (fixture, notification, "2027-04-05T09:00:00+02:00");
  set_now (fixture, "2027-04-06T08:00:00+02:00");
  history = history_of (fixture, &node);
  assert_deadline (history, "final", "open 2027-05-08T00:00:00+02:00");
  item = g_list_model_get_item (G_LIST_MODEL (fixture->incidents), 0);
  g_assert_cmpstr (mw_incident_item_get_next_stage (item), ==, "final");
  g_assert_nonnull (mw_incident_item_get_next_extension (item));
  g_assert_nonnull (strstr (mw_incident_item_get_next_extension (item), "Algemene termijnenwet"));
}

/* Nothing delivered yet is not filed; a notification made straight away is also the early
 * warning. */
static void
test_pending_and_covered (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(MwReport) notification = template_report ("2027-06-01T08:00:00+02:00");
  g_autoptr(JsonNode) node = NULL;
  JsonObject *history;

  mw_report_set_string (notification, "report_id", "33333333-3333-4333-8333-333333333333");
  mw_report_set_string (notification, "stage", "notification");
  file_report (fixture, notification, NULL);
  set_now (fixture, "2027-06-02T09:00:00+02:00");
  history = history_of (fixture, &node);
  assert_deadline (history, "early-warning", "overdue 2027-06-02T08:00:00+02:00");
  assert_deadline (history, "notification", "open 2027-06-04T08:00:00+02:00");
  g_clear_pointer (&node, json_node_unref);

  {
    /* A receipt is a compact JWS (the store reads it). */
    g_autofree char *receipt = mw_signer_sign (fixture->recipient, "meldwijzer.receipt/1",
                                               (const guint8 *) "{}", 2, NULL);

    g_assert_true (mw_store_mark_delivered (fixture->store, "33333333-3333-4333-8333-333333333333", "ncsc",
                                            "00000000-0000-4000-8000-999999999999", receipt,
                                            "2027-06-01T20:00:00+02:00", NULL));
  }
  set_now (fixture, "2027-06-02T09:00:00+02:00");
  history = history_of (fixture, &node);
  assert_deadline (history, "early-warning", "done 2027-06-02T08:00:00+02:00");
  assert_deadline (history, "notification", "done 2027-06-04T08:00:00+02:00");
  assert_deadline (history, "final", "open 2027-07-02T00:00:00+02:00");
}

/* Follow-ups: the next stage, an intermediate report only when asked, a stage the entity
 * type does not have refused, nothing to follow up before a report was signed. */
static void
test_follow_up_stages (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MwReport) warning = template_report ("2027-02-01T08:00:00+01:00");
  g_autoptr(MwReport) intermediate = NULL;
  g_autoptr(MwReport) next = NULL;
  g_autoptr(MwReport) none = NULL;
  g_autoptr(GError) error = NULL;

  set_now (fixture, "2027-02-01T09:00:00+01:00");
  none = mw_incidents_dup_follow_up (fixture->incidents, INCIDENT, NULL, &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_assert_null (none);
  g_clear_error (&error);

  mw_report_set_string (warning, "report_id", "44444444-4444-4444-8444-444444444444");
  file_report (fixture, warning, "2027-02-01T09:00:00+01:00");
  none = mw_incidents_dup_follow_up (fixture->incidents, INCIDENT, "withdrawal", &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "withdrawal"));
  g_assert_null (none);
  g_clear_error (&error);

  intermediate = follow_up (fixture, "intermediate");
  g_assert_cmpstr (mw_report_get_stage (intermediate), ==, "intermediate");
  file_report (fixture, intermediate, "2027-02-02T09:00:00+01:00");
  /* After an intermediate report comes the final one, never another intermediate. */
  next = follow_up (fixture, NULL);
  g_assert_cmpstr (mw_report_get_stage (next), ==, "final");
  g_assert_cmpstr (mw_report_get_string (next, "supersedes"), ==, mw_report_get_report_id (intermediate));
  file_report (fixture, next, "2027-02-20T09:00:00+01:00");
  g_clear_object (&next);
  /* A correction of the final report is a new final report. */
  next = follow_up (fixture, NULL);
  g_assert_cmpstr (mw_report_get_stage (next), ==, "final");
}

/* Receipts: the exact bytes, and none for a delivery that has none. */
static void
test_receipts (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MwReport) warning = template_report ("2027-02-01T08:00:00+01:00");
  g_autoptr(MwStoreDelivery) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *receipt = NULL;
  g_autoptr(MwReport) second = NULL;

  mw_report_set_string (warning, "report_id", "55555555-5555-4555-8555-555555555555");
  file_report (fixture, warning, "2027-02-01T09:00:00+01:00");
  receipt = mw_incidents_dup_receipt (fixture->incidents, "55555555-5555-4555-8555-555555555555", "rdi", &error);
  g_assert_no_error (error);
  row = mw_store_get_delivery (fixture->store, "55555555-5555-4555-8555-555555555555", "rdi", &error);
  g_assert_cmpstr (receipt, ==, row->receipt_jws);
  g_clear_pointer (&receipt, g_free);

  receipt = mw_incidents_dup_receipt (fixture->incidents, "55555555-5555-4555-8555-555555555555", "nobody", &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_assert_null (receipt);
  g_clear_error (&error);

  set_now (fixture, "2027-02-01T10:00:00+01:00");
  second = follow_up (fixture, NULL);
  file_report (fixture, second, NULL);
  receipt = mw_incidents_dup_receipt (fixture->incidents, mw_report_get_report_id (second), "ncsc", &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "pending"));
  g_assert_null (receipt);
}

/* A decision not to report: refused for a mandatory verdict; signed and kept with the
 * incident, with the facts, the criteria, the reason and who decided. */
static void
test_decision (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MwReport) mandatory = template_report ("2027-02-01T08:00:00+01:00");
  g_autoptr(MwReport) undetermined = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *decision_id = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(JsonNode) record = NULL;
  JsonObject *history, *decision;
  JsonArray *decisions;

  set_now (fixture, "2027-02-01T10:00:00+01:00");
  decision_id = mw_incidents_record_decision (fixture->incidents, mandatory, "Not worth it", fixture->signer, &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_null (decision_id);
  g_clear_error (&error);

  undetermined = mw_report_copy (mandatory);
  mw_report_set_node (undetermined, "facts", json_node_init_object (json_node_alloc (), json_object_new ()));
  decision_id = mw_incidents_record_decision (fixture->incidents, undetermined,
                                              "Resolvers back within the hour; no customer saw it.",
                                              fixture->signer, &error);
  g_assert_no_error (error);
  g_assert_true (mw_is_uuid (decision_id));

  history = history_of (fixture, &node);
  decisions = json_object_get_array_member (history, "decisions");
  g_assert_cmpuint (json_array_get_length (decisions), ==, 1);
  decision = json_array_get_object_element (decisions, 0);
  g_assert_cmpstr (json_object_get_string_member (decision, "decision_id"), ==, decision_id);
  g_assert_cmpstr (json_object_get_string_member (decision, "verdict"), ==, "undetermined");
  g_assert_cmpstr (json_object_get_string_member (decision, "decided_by"), ==, "J. de Vries");
  g_assert_cmpstr (json_object_get_string_member (decision, "decided_at"), ==, "2027-02-01T10:00:00+01:00");
  g_assert_cmpstr (json_object_get_string_member (decision, "kid"), ==, mw_signer_get_thumbprint (fixture->signer));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (history, "reports")), ==, 0);

  /* The signature holds and the record carries the criteria. */
  stored = mw_store_list_decisions (fixture->store, INCIDENT, &error);
  g_assert_no_error (error);
  payload = mw_signer_verify (fixture->signer, ((MwStoreDecision *) g_ptr_array_index (stored, 0))->jws, &error);
  g_assert_no_error (error);
  record = mw_json_parse (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "decision", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (record), "criteria")), >, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (record), "reason"), ==,
                   "Resolvers back within the hour; no customer saw it.");
}

/* The assessment's status words stand whole in their column ("onbekend", never "onbeken"
 * with a "d" on the next line). */
static void
check_status_words (const char *text)
{
  const char *words[] = { _("met"), _("not met"), _("excluded"), _("unknown"), _("excludes") };
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint seen = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) tokens = g_strsplit_set (lines[i], " \t", -1);

      for (guint t = 0; tokens[t] != NULL; t++)
        for (guint w = 0; w < G_N_ELEMENTS (words); w++)
          {
            gsize length = strlen (tokens[t]);

            if (g_str_equal (tokens[t], words[w]))
              seen++;
            else if (length >= 3 && length < strlen (words[w]) && strncmp (words[w], tokens[t], length) == 0
                     && strchr (words[w], ' ') == NULL)
              g_error ("line %u breaks the status “%s” inside the word: “%s”", i, words[w], lines[i]);
          }
    }
  g_assert_cmpuint (seen, >, 0);
}

/* The PDF record of a filed report: its receipts (recipient, time, receipt id, the receipt
 * key's thumbprint, verified), the report's SHA-256 and signing key, the decisions, page
 * "n of N"; ids and hashes whole on their line, never with a hyphen that is not in them. */
static void
test_pdf_record (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MwReport) warning = template_report ("2027-03-26T23:00:00+01:00");
  g_autoptr(MwReport) undetermined = NULL;
  g_autoptr(MwStoreReport) row = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *thumbprint = mw_thumbprint_format (mw_signer_get_thumbprint (fixture->recipient));
  g_autofree char *signing = mw_thumbprint_format (mw_signer_get_thumbprint (fixture->signer));
  g_auto(GStrv) lines = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *decision_id = NULL;
  JsonObject *history, *first;
  JsonArray *deliveries;
  char *argv[] = { NULL, (char *) "-layout", (char *) "-enc", (char *) "UTF-8", NULL, NULL, NULL };
  int status = 0;
  guint pages = 0;

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  mw_report_set_string (warning, "report_id", "66666666-6666-4666-8666-666666666666");
  file_report (fixture, warning, "2027-03-27T10:00:00+01:00");
  set_now (fixture, "2027-03-27T12:00:00+01:00");
  undetermined = mw_report_copy (warning);
  mw_report_set_node (undetermined, "facts", json_node_init_object (json_node_alloc (), json_object_new ()));
  decision_id = mw_incidents_record_decision (fixture->incidents, undetermined, "Only a test of the record.",
                                              fixture->signer, &error);
  g_assert_no_error (error);

  history = history_of (fixture, &node);
  first = json_array_get_object_element (json_object_get_array_member (history, "reports"), 0);
  deliveries = json_object_get_array_member (first, "deliveries");
  row = mw_store_get_report (fixture->store, "66666666-6666-4666-8666-666666666666", &error);
  g_assert_no_error (error);
  report = mw_report_new_from_data (row->json, -1, "stored", &error);
  g_assert_no_error (error);
  pdf = mw_export_pdf_record (report, NULL, row->jws, deliveries,
                              json_object_get_array_member (history, "decisions"), &error);
  g_assert_no_error (error);

  path = g_build_filename (g_getenv ("MW_KEEP_PDF") ? "/tmp/inc" : fixture->dir, "record.pdf", NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error));
  argv[0] = pdftotext;
  argv[4] = path;
  argv[5] = (char *) "-";
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* Hashes, ids and thumbprints whole, each on one line (a text tool joins a line that ends
   * in a hyphen without it, so a break after an id's hyphen shows here too). */
  g_assert_nonnull (strstr (text, row->sha256));
  g_assert_nonnull (strstr (text, "(nl-cbw)"));
  g_assert_nonnull (strstr (text, "66666666-6666-4666-8666-666666666666"));
  g_assert_nonnull (strstr (text, INCIDENT));
  /* A thumbprint to read aloud may wrap between its groups of four, never inside one. */
  {
    g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
    g_autofree char *flat = g_regex_replace_literal (spaces, text, -1, 0, " ", 0, NULL);

    g_assert_nonnull (strstr (flat, thumbprint));
    g_assert_nonnull (strstr (flat, signing));
  }
  g_assert_nonnull (strstr (text, decision_id));
  g_assert_nonnull (strstr (text, "Only a test of the record."));
  for (guint i = 0; i < json_array_get_length (deliveries); i++)
    g_assert_nonnull (strstr (text, json_object_get_string_member (json_array_get_object_element (deliveries, i),
                                                                    "receipt_id")));
  g_assert_nonnull (strstr (text, _("verified against the recipient’s pinned key")));
  g_assert_nonnull (strstr (text, "2027-03-27 10:00 +01:00"));

  /* "Page n of N" on every page (in the user's language), and no line ends in a hyphen
   * inside a word. */
  prefix = g_strndup (_("Page %d of %d"), strcspn (_("Page %d of %d"), "%"));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], prefix) != NULL)
      pages++;
  g_assert_cmpuint (pages, >, 1);
  for (guint page = 1; page <= pages; page++)
    {
      g_autofree char *footer = g_strdup_printf (_("Page %d of %d"), page, pages);

      g_assert_nonnull (strstr (text, footer));
    }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gsize length = strlen (lines[i]);

      if (length >= 2 && lines[i][length - 1] == '-' && g_ascii_isalnum (lines[i][length - 2]))
        g_error ("line %u ends in a hyphen inside a word: “%s”", i, lines[i]);
    }
  check_status_words (text);
  /* And with every criterion still open: "unknown" is the longest status word in Dutch. */
  {
    g_autoptr(GBytes) open_pdf = mw_export_pdf_record (undetermined, NULL, NULL, NULL, NULL, &error);
    g_autofree char *open_text = NULL;

    g_assert_no_error (error);
    g_assert_true (g_file_set_contents (path, g_bytes_get_data (open_pdf, NULL), g_bytes_get_size (open_pdf), &error));
    g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &open_text, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (open_text, _("unknown")));
    check_status_words (open_text);
  }
  if (locale_dir != NULL)
    g_assert_nonnull (strstr (text, "Hoe elke ontvanger is bereikt"));
}

static void
reloaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The reload in a worker thread gives the same list, and an older answer never replaces a
 * newer one. */
static void
test_reload_async (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MwReport) warning = template_report ("2027-02-01T08:00:00+01:00");
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwIncidentItem) item = NULL;
  g_autoptr(GDateTime) now = time_at ("2027-02-01T10:00:00+01:00");

  mw_report_set_string (warning, "report_id", "77777777-7777-4777-8777-777777777777");
  file_report (fixture, warning, "2027-02-01T09:00:00+01:00");
  mw_incidents_set_now (fixture->incidents, now);
  mw_incidents_reload_async (fixture->incidents, NULL, reloaded_cb, &first);
  while (first == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (mw_incidents_reload_finish (fixture->incidents, first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->incidents)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->incidents), 0);
  g_assert_cmpstr (mw_incident_item_get_next_stage (item), ==, "notification");
  g_clear_object (&first);

  /* Two in flight: the first to be asked is dropped, whichever answers first. */
  mw_incidents_reload_async (fixture->incidents, NULL, reloaded_cb, &first);
  mw_incidents_reload_async (fixture->incidents, NULL, reloaded_cb, &second);
  while (first == NULL || second == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (mw_incidents_reload_finish (fixture->incidents, first, &error));
  g_assert_true (mw_incidents_reload_finish (fixture->incidents, second, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->incidents)), ==, 1);
}

/* The early warning is quick: with the organisation profile saved, a report of that stage
 * asks exactly what art. 26 Cbw asks and nothing more (the regime's stage "requires"): when
 * the entity became aware, the service, unlawful or malicious, cross-border. The contact
 * official comes from the profile. The wizard's count of inputs is in e2e-wizard.py. */
static void
test_early_warning_inputs (void)
{
  g_autoptr(MwProfile) profile = mw_profile_new ();
  g_autoptr(MwReport) report = mw_report_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  mw_profile_set_name (profile, "Voorbeeld DNS B.V.");
  mw_profile_set_registration (profile, "12345678");
  mw_profile_set_sector (profile, "digital-infrastructure");
  mw_profile_set_entity_type (profile, "dns");
  mw_profile_set_regime (profile, "nl-cbw");
  mw_profile_set_contact_name (profile, "J. de Vries");
  mw_profile_set_contact_email (profile, "ciso@dns.example.nl");
  mw_profile_apply_to_report (profile, report);
  mw_report_set_string (report, "regime", "nl-cbw");
  mw_report_set_string (report, "stage", "early-warning");

  problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  for (guint i = 0; i < problems->len; i++)
    g_ptr_array_add (paths, ((MwProblem *) g_ptr_array_index (problems, i))->path);
  g_ptr_array_add (paths, NULL);
  joined = g_strjoinv (" ", (char **) paths->pdata);
  g_test_message ("an early warning after the profile asks: %s", joined);
  g_assert_cmpstr (joined, ==, "timeline.aware_at service.id nature.suspected_unlawful facts.cross_border");
}

static void
test_time_left (void)
{
  g_autoptr(GDateTime) due = time_at ("2027-04-30T00:00:00+02:00");
  g_autoptr(GDateTime) before = time_at ("2027-04-27T18:30:00+02:00");
  g_autoptr(GDateTime) after = time_at ("2027-04-30T03:10:00+02:00");
  g_autoptr(GDateTime) close = time_at ("2027-04-29T23:20:00+02:00");
  g_autofree char *left = mw_format_time_left (due, before);
  g_autofree char *late = mw_format_time_left (due, after);
  g_autofree char *soon = mw_format_time_left (due, close);

  g_assert_cmpstr (left, ==, "2 days 5 hours left");
  g_assert_cmpstr (late, ==, "overdue by 3 hours");
  g_assert_cmpstr (soon, ==, "less than an hour left");

  /* Reminders: nothing while more than a day is left, then 24, 4, 1 hours, then missed. */
  {
    static const struct { const char *now; int step; } cases[] = {
      { "2027-04-28T23:59:59+02:00", -1 },
      { "2027-04-29T00:00:00+02:00", 24 },
      { "2027-04-29T19:59:59+02:00", 24 },
      { "2027-04-29T20:00:00+02:00", 4 },
      { "2027-04-29T23:00:00+02:00", 1 },
      { "2027-04-30T00:00:00+02:00", 0 },
      { "2027-05-03T00:00:00+02:00", 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GDateTime) now = time_at (cases[i].now);

        g_assert_cmpint (mw_deadline_reminder_step (due, now), ==, cases[i].step);
      }
  }
}

int
main (int    argc,
      char **argv)
{
  /* --mo=FILE: the PDF record in Dutch, with this compiled po/nl.po. */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--mo="))
      {
        g_autofree char *contents = NULL;
        g_autofree char *dir = NULL;
        g_autofree char *target = NULL;
        gsize length = 0;

        locale_dir = g_dir_make_tmp ("test-incidents-locale-XXXXXX", NULL);
        dir = g_build_filename (locale_dir, "nl", "LC_MESSAGES", NULL);
        target = g_build_filename (dir, GETTEXT_PACKAGE ".mo", NULL);
        if (!g_file_get_contents (argv[i] + strlen ("--mo="), &contents, &length, NULL) ||
            g_mkdir_with_parents (dir, 0700) != 0 ||
            !g_file_set_contents (target, contents, length, NULL))
          g_error ("Cannot install %s under %s", argv[i] + strlen ("--mo="), locale_dir);
        for (int j = i; j < argc; j++)
          argv[j] = argv[j + 1];
        argc--;
        break;
      }
  g_setenv ("LANGUAGE", locale_dir != NULL ? "nl" : "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (locale_dir != NULL)
    {
      if (setlocale (LC_ALL, "nl_NL.UTF-8") == NULL)
        g_error ("The locale nl_NL.UTF-8 is missing: generate it (locale-gen) to run the tests in Dutch.");
      bindtextdomain (GETTEXT_PACKAGE, locale_dir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
      mw_language_set ("nl");
    }

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/incidents/three-stages", test_three_stages);
  ADD ("/incidents/late-and-autumn", test_late_and_autumn);
  ADD ("/incidents/extension", test_extension);
  ADD ("/incidents/pending-and-covered", test_pending_and_covered);
  ADD ("/incidents/follow-up-stages", test_follow_up_stages);
  ADD ("/incidents/receipts", test_receipts);
  ADD ("/incidents/decision", test_decision);
  ADD ("/incidents/pdf-record", test_pdf_record);
  ADD ("/incidents/reload-async", test_reload_async);
  g_test_add_func ("/incidents/time-left", test_time_left);
  g_test_add_func ("/incidents/early-warning-inputs", test_early_warning_inputs);

  {
    int result = g_test_run ();

    if (locale_dir != NULL)
      mw_test_remove_tree (locale_dir);
    g_free (locale_dir);
    return result;
  }
}
