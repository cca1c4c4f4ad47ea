/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-incidents"

/*
 * Benchmark (meson benchmark): MwIncidents with many incidents, each a signed early warning
 * with two delivered receipts. Usage: bench-incidents [N_INCIDENTS]; prints how long the
 * store takes to fill, a reload of the list model (every incident's deadlines), the JSON of
 * the list, and one incident's history. Asserts nothing about time.
 */

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "mw-incidents.h"
#include "mw-report.h"
#include "mw-signer.h"
#include "mw-store.h"
#include "mw-test-util.h"

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

int
main (int    argc,
      char **argv)
{
  static const char * const recipients[] = { "ncsc", "rdi", NULL };
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-incidents-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *example = g_build_filename (g_getenv ("G_TEST_SRCDIR") != NULL ? g_getenv ("G_TEST_SRCDIR") : ".",
                                               "reports", "cbw-dns-outage.json", NULL);
  g_autoptr(MwStore) store = mw_store_new_for_path (path, &error);
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autoptr(MwSigner) recipient = mw_signer_generate (&error);
  g_autoptr(MwReport) report = mw_report_new_from_file (example, &error);
  g_autoptr(MwIncidents) incidents = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *last = NULL;
  gint64 start;

  if (report == NULL || store == NULL)
    g_error ("%s", error->message);
  mw_report_set_string (report, "stage", "early-warning");
  mw_report_set_unknown (report, "supersedes");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *incident_id = g_uuid_string_random ();
      g_autofree char *report_id = g_uuid_string_random ();
      g_autofree char *summary = g_strdup_printf ("Incident %u: resolvers unreachable", i);
      g_autofree char *jws = NULL;

      mw_report_set_string (report, "incident_id", incident_id);
      mw_report_set_string (report, "report_id", report_id);
      mw_report_set_string (report, "nature.summary", summary);
      jws = mw_signer_sign_report (signer, report, &error);
      if (jws == NULL || !mw_store_submit (store, jws, recipients, &error))
        g_error ("%s", error->message);
      for (guint j = 0; recipients[j] != NULL; j++)
        {
          g_autofree char *receipt_id = g_uuid_string_random ();
          g_autofree char *payload = g_strdup_printf ("{\"receipt_id\":\"%s\",\"recipient\":\"%s\"}",
                                                      receipt_id, recipients[j]);
          g_autofree char *receipt = mw_signer_sign (recipient, "meldwijzer.receipt/1",
                                                     (const guint8 *) payload, strlen (payload), &error);

          if (!mw_store_mark_delivered (store, report_id, recipients[j], receipt_id, receipt,
                                        "2026-11-21T04:00:00+01:00", &error))
            g_error ("%s", error->message);
        }
      g_free (last);
      last = g_strdup (incident_id);
    }
  g_print ("filled %u incidents (a signed report and two receipts each) in %.2f s\n", n, seconds_since (start));

  incidents = mw_incidents_new (store);
  now = g_date_time_new_utc (2026, 11, 21, 12, 0, 0);
  mw_incidents_set_now (incidents, now);
  for (guint round = 0; round < 3; round++)
    {
      start = g_get_monotonic_time ();
      if (!mw_incidents_reload (incidents, &error))
        g_error ("%s", error->message);
      g_print ("reload of %u incidents (deadlines of each): %.3f s\n",
               g_list_model_get_n_items (G_LIST_MODEL (incidents)), seconds_since (start));
    }
  start = g_get_monotonic_time ();
  list = mw_incidents_list_to_json (incidents);
  g_print ("incident list --json of %u: %.3f s\n", json_array_get_length (json_node_get_array (list)),
           seconds_since (start));
  start = g_get_monotonic_time ();
  history = mw_incidents_dup_history (incidents, last, &error);
  if (history == NULL)
    g_error ("%s", error->message);
  g_print ("one incident's history: %.4f s\n", seconds_since (start));

  g_clear_object (&incidents);
  g_clear_object (&store);
  mw_test_remove_tree (dir);
  return 0;
}
