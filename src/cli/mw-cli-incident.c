/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-incidents.h"
#include "mw-json.h"
#include "mw-term.h"

/* incident list [--json] | show ID [--json] | follow-up ID [--stage STAGE] -o REPORT.json */

#define INCIDENT_USAGE "incident list [--json] | incident show INCIDENT_ID [--json] | " \
                       "incident follow-up INCIDENT_ID [--stage STAGE] -o REPORT.json"

/* The incidents on the default store, with the list read when @load; NULL after printing
 * why not. $MELDWIJZER_NOW (RFC 3339) fixes the clock deadlines are measured against, for
 * tests. */
MwIncidents *
mw_cli_open_incidents (MwContext **services,
                       gboolean    load)
{
  g_autoptr(GError) error = NULL;
  const char *fixed = g_getenv ("MELDWIJZER_NOW");
  MwIncidents *incidents;

  *services = mw_cli_open_context (NULL);
  if (*services == NULL)
    return NULL;
  incidents = mw_context_get_incidents (*services);
  if (fixed != NULL && *fixed != '\0')
    {
      g_autoptr(GDateTime) now = NULL;

      if (!mw_parse_time (fixed, &now))
        {
          mw_cli_error (_("$MELDWIJZER_NOW: “%s” is not an RFC 3339 time with an offset"), fixed);
          return NULL;
        }
      mw_incidents_set_now (incidents, now);
    }
  if (load && !mw_incidents_reload (incidents, &error))
    {
      mw_cli_error ("%s", error->message);
      return NULL;
    }
  return incidents;
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = mw_json_to_pretty (node);

  g_print ("%s\n", text);
}

/* A due time from --json output, for people: Dutch time and the time left. */
static char *
format_due (const char *due_text,
            GDateTime  *now)
{
  g_autoptr(GDateTime) due = NULL;

  if (due_text == NULL || !mw_parse_time (due_text, &due))
    return g_strdup (_("not known yet"));
  return mw_format_deadline (due, now);
}

static int
incident_list (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the incidents as JSON"), NULL },
    { NULL }
  };
  g_autoptr(MwContext) services = NULL;
  g_autoptr(GDateTime) now = NULL;
  MwIncidents *incidents;
  guint n;

  if (!mw_cli_parse_options ("", _("List every incident: its stage, next deadline and the state of each recipient."),
                             entries, &argc, &argv) || argc != 1)
    return mw_cli_usage ("incident list [--json]");
  incidents = mw_cli_open_incidents (&services, TRUE);
  if (incidents == NULL)
    return MW_EXIT_NEGATIVE;

  if (json)
    {
      g_autoptr(JsonNode) node = mw_incidents_list_to_json (incidents);

      print_json (node);
      return MW_EXIT_OK;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (incidents));
  if (n == 0)
    {
      g_print ("%s\n", _("No incidents yet."));
      return MW_EXIT_OK;
    }
  now = mw_incidents_dup_now (incidents);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwIncidentItem) item = g_list_model_get_item (G_LIST_MODEL (incidents), i);
      const char *summary = mw_incident_item_get_summary (item);
      const char *stage = mw_incident_item_get_stage (item);

      g_print ("%s  %s%s\n", mw_incident_item_get_incident_id (item),
               summary != NULL ? summary : _("(no summary)"),
               mw_incident_item_get_training (item) ? _(" [training]") : "");
      g_print ("  %s %s\n", _("Stage:"), stage != NULL ? stage : "—");
      if (mw_incident_item_get_next_due (item) != NULL)
        {
          g_autofree char *due = mw_format_deadline (mw_incident_item_get_next_due (item), now);

          g_print ("  %s %s %s\n", _("Next deadline:"), mw_incident_item_get_next_stage (item), due);
        }
      if (mw_incident_item_get_recipients (item) != NULL)
        g_print ("  %s %s\n", _("Recipients:"), mw_incident_item_get_recipients (item));
    }
  return MW_EXIT_OK;
}

static const char *
member_or (JsonObject *object,
           const char *member,
           const char *fallback)
{
  const char *value = mw_json_get_string (object, member);

  return value != NULL ? value : fallback;
}

static int
incident_show (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the incident as JSON"), NULL },
    { NULL }
  };
  g_autoptr(MwContext) services = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GDateTime) now = NULL;
  MwIncidents *incidents;
  MwIncidentItem *item;
  JsonObject *object;
  JsonArray *array;

  if (!mw_cli_parse_options (_("INCIDENT_ID"),
                             _("Show every report of an incident with its deliveries and receipts, "
                               "the decision records, and every deadline."),
                             entries, &argc, &argv) || argc != 2)
    return mw_cli_usage ("incident show INCIDENT_ID [--json]");
  incidents = mw_cli_open_incidents (&services, TRUE);
  if (incidents == NULL)
    return MW_EXIT_NEGATIVE;
  history = mw_incidents_dup_history (incidents, argv[1], &error);
  if (history == NULL)
    {
      mw_cli_error ("%s", error->message);
      if (g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND))
        mw_cli_hint (_("“meldwijzer-cli incident list” lists the incidents."));
      return MW_EXIT_NEGATIVE;
    }
  if (json)
    {
      print_json (history);
      return MW_EXIT_OK;
    }

  now = mw_incidents_dup_now (incidents);
  object = json_node_get_object (history);
  item = mw_incidents_lookup (incidents, argv[1]);
  g_print ("%s %s\n", _("Incident"), member_or (object, "incident_id", ""));
  g_print ("  %s\n", item != NULL && mw_incident_item_get_summary (item) != NULL ?
                     mw_incident_item_get_summary (item) : _("(no summary)"));
  array = json_object_get_array_member (object, "reports");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *report = json_array_get_object_element (array, i);
      JsonArray *deliveries = json_object_get_array_member (report, "deliveries");

      g_print ("\n%s %s  %s\n", member_or (report, "stage", "—"), member_or (report, "report_id", ""),
               member_or (report, "created_at", ""));
      if (mw_json_get_string (report, "supersedes") != NULL)
        g_print ("  %s %s\n", _("Supersedes:"), mw_json_get_string (report, "supersedes"));
      g_print ("  SHA-256: %s\n", member_or (report, "sha256", ""));
      for (guint j = 0; j < json_array_get_length (deliveries); j++)
        {
          JsonObject *delivery = json_array_get_object_element (deliveries, j);

          g_print ("  %s: %s", member_or (delivery, "recipient", ""), member_or (delivery, "state", ""));
          if (mw_json_get_string (delivery, "receipt_id") != NULL)
            g_print (_(", receipt %s received %s, verified, key %s"),
                     mw_json_get_string (delivery, "receipt_id"),
                     member_or (delivery, "received_at", "—"),
                     member_or (delivery, "receipt_kid", "—"));
          g_print ("\n");
        }
    }
  array = json_object_get_array_member (object, "decisions");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *decision = json_array_get_object_element (array, i);

      g_print ("\n%s %s  %s\n", _("Decision not to report"), member_or (decision, "decision_id", ""),
               member_or (decision, "decided_at", ""));
      g_print ("  %s %s, %s %s\n", _("Verdict:"), member_or (decision, "verdict", ""),
               _("decided by"), member_or (decision, "decided_by", "—"));
      if (mw_json_get_string (decision, "reason") != NULL)
        g_print ("  %s %s\n", _("Reason:"), mw_json_get_string (decision, "reason"));
    }
  array = json_object_get_array_member (object, "deadlines");
  if (json_array_get_length (array) > 0)
    g_print ("\n%s\n", _("Deadlines:"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *deadline = json_array_get_object_element (array, i);
      const char *status = member_or (deadline, "status", "");
      g_autofree char *due = format_due (mw_json_get_string (deadline, "due"), now);

      if (g_str_equal (status, "done"))
        g_print ("  %s: %s%s\n", member_or (deadline, "stage", ""), _("done"),
                 json_object_get_boolean_member_with_default (deadline, "late", FALSE) ? _(" (late)") : "");
      else
        g_print ("  %s: %s, %s %s\n", member_or (deadline, "stage", ""),
                 g_str_equal (status, "overdue") ? _("overdue") : _("open"), _("due"), due);
    }
  return MW_EXIT_OK;
}

static int
incident_follow_up (int    argc,
                    char **argv)
{
  g_autofree char *stage = NULL;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage,
      N_("The stage of the new report (default: the one that comes next; intermediate only when asked)"), N_("STAGE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the report to this file"), N_("REPORT.json") },
    { NULL }
  };
  g_autoptr(MwContext) services = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autofree char *text = NULL;
  MwIncidents *incidents;

  if (!mw_cli_parse_options (_("INCIDENT_ID"),
                             _("Write the next report of an incident, pre-filled from the last one."),
                             entries, &argc, &argv) || argc != 2 || output == NULL)
    return mw_cli_usage ("incident follow-up INCIDENT_ID [--stage STAGE] -o REPORT.json");
  incidents = mw_cli_open_incidents (&services, FALSE);
  if (incidents == NULL)
    return MW_EXIT_NEGATIVE;
  report = mw_incidents_dup_follow_up (incidents, argv[1], stage, &error);
  if (report == NULL)
    {
      mw_cli_error (stage != NULL && g_error_matches (error, MW_ERROR, MW_ERROR_INVALID) ? "--stage: %s" : "%s",
                    error->message);
      if (g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND))
        mw_cli_hint (_("“meldwijzer-cli incident list” lists the incidents; “meldwijzer-cli submit” files a first report."));
      return MW_EXIT_NEGATIVE;
    }
  text = mw_report_to_json (report);
  if (!g_file_set_contents (output, text, -1, &error))
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }
  g_print (_("%s: %s of incident %s, superseding report %s\n"), output,
           mw_report_get_stage (report), mw_report_get_incident_id (report),
           mw_report_get_string (report, "supersedes"));
  return MW_EXIT_OK;
}

int
mw_cli_incident (int    argc,
                 char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return incident_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return incident_show (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "follow-up"))
    return incident_follow_up (argc - 1, argv + 1);
  if (argc >= 2)
    mw_cli_error (_("unknown incident command “%s”: use list, show or follow-up"), argv[1]);
  return mw_cli_usage (INCIDENT_USAGE);
}
