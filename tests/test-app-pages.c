/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-pages"

/* The wizard pages' validity logic, the navigation shell and the session (autosave, restore,
 * submit), with the real regime files and a real SQLite store in a temporary folder. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "mw-assessment-page.h"
#include "mw-assistant.h"
#include "mw-choice-button.h"
#include "mw-delivery-page.h"
#include "mw-desk-form.h"
#include "mw-desk-step.h"
#include "mw-early-warning-page.h"
#include "mw-endpoint-dialog.h"
#include "mw-fact-row.h"
#include "mw-mode-page.h"
#include "mw-nature-page.h"
#include "mw-profile-page.h"
#include "mw-recovery-page.h"
#include "mw-review-page.h"
#include "mw-service-page.h"
#include "mw-error.h"
#include "mw-store.h"
#include "mw-test-app.h"
#include "mw-test-util.h"
#include "mw-test-widgets.h"
#include "mw-when-page.h"
#include "mw-window.h"

static char *tmpdir;
static guint db_counter;

/* Every test gets its own database. */
static void
use_new_db (void)
{
  g_autofree char *name = g_strdup_printf ("test-%u.db", ++db_counter);
  g_autofree char *db = g_build_filename (tmpdir, name, NULL);

  g_setenv ("MELDWIJZER_DB", db, TRUE);
}

static MwSession *
new_session (const char *entity_type)
{
  g_autoptr(GError) error = NULL;
  MwSession *session;
  g_autoptr(MwReport) report = NULL;

  use_new_db ();
  session = mw_session_new (tmpdir);
  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", &error));
  g_assert_no_error (error);
  mw_profile_set_name (mw_session_get_profile (session), "Wolkendienst B.V.");
  mw_profile_set_registration (mw_session_get_profile (session), "12345678");
  if (entity_type != NULL)
    mw_profile_set_entity_type (mw_session_get_profile (session), entity_type);
  mw_profile_set_contact_name (mw_session_get_profile (session), "A. de Vries");
  mw_profile_set_contact_email (mw_session_get_profile (session), "soc@example.nl");
  mw_profile_add_service (mw_session_get_profile (session), "Object storage", "EU-West");
  report = mw_session_create_report (session);
  mw_session_set_report (session, report);
  return session;
}

/* What the early warning asks beyond the profile (Cbw art. 26), for tests that sign one. */
static void
answer_article_26 (MwReport *report)
{
  mw_report_set_string (report, "service.name", "Object storage");
  mw_report_set_boolean (report, "nature.suspected_unlawful", TRUE);
  mw_report_set_boolean (report, "facts.cross_border", FALSE);
}

static GtkWidget *
sink (GtkWidget *widget)
{
  return g_object_ref_sink (widget);
}

static void
iterate_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (done (data));
}

/* Profile ------------------------------------------------------------------------------ */

/* The entry row of the profile page whose title is @title, or NULL. */
static GtkEditable *
lookup_entry_row (GtkWidget  *page,
                  const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  mw_test_collect_widgets (page, ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

typedef struct
{
  GtkWidget  *page;
  const char *title;
} RowQuery;

static gboolean
entry_row_there (gpointer data)
{
  RowQuery *query = data;

  return lookup_entry_row (query->page, query->title) != NULL;
}

/* The entry row whose title is @title, once the page (on screen) has built it: the rows
 * under the kinds of entity come after the page's first frame. */
static GtkEditable *
find_entry_row (GtkWidget  *page,
                const char *title)
{
  RowQuery query = { page, title };

  iterate_until (entry_row_there, &query);
  g_assert_nonnull (lookup_entry_row (page, title));
  return lookup_entry_row (page, title);
}

static void
test_profile_page (void)
{
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GtkWidget) page = NULL;
  g_autofree char *missing = NULL;
  MwProfile *profile;

  use_new_db ();
  session = mw_session_new (tmpdir);
  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", NULL));
  profile = mw_session_get_profile (session);
  page = sink (mw_profile_page_new (session));

  /* Empty: not complete, and the sentence names what to fill in. */
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  missing = mw_profile_page_dup_missing (MW_PROFILE_PAGE (page));
  g_assert_nonnull (strstr (missing, "organisation name"));
  g_assert_nonnull (strstr (missing, "kind of entity"));
  g_assert_nonnull (strstr (missing, "at least one service"));
  g_clear_pointer (&missing, g_free);

  /* The page follows the profile as it changes, without being shown again. */
  mw_profile_set_name (profile, "Wolkendienst B.V.");
  mw_profile_set_registration (profile, "12345678");
  mw_profile_set_entity_type (profile, "cloud");
  mw_profile_add_service (profile, "Object storage", NULL);
  mw_profile_set_contact_name (profile, "A. de Vries");
  mw_profile_set_contact_email (profile, "not an address");
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  missing = mw_profile_page_dup_missing (MW_PROFILE_PAGE (page));
  g_assert_nonnull (strstr (missing, "name@example.nl"));
  g_assert_null (strstr (missing, "organisation name"));
  g_clear_pointer (&missing, g_free);

  /* A phone number alone is enough to call back. */
  mw_profile_set_contact_email (profile, NULL);
  mw_profile_set_contact_phone (profile, "+31 70 000 0000");
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));
  g_assert_null (mw_profile_page_dup_missing (MW_PROFILE_PAGE (page)));

  /* An entity type that the regime does not know is no entity type. */
  mw_profile_set_entity_type (profile, "bakery");
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  mw_profile_set_entity_type (profile, "cloud");
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));

  /* Removing the last service makes the page incomplete again. */
  mw_profile_remove_service (profile, 0);
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  mw_profile_add_service (profile, "Object storage", NULL);
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));
}

/* The rows are bound to the profile both ways; what is typed is trimmed, and empty is absent. */
static void
test_profile_page_binds (void)
{
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GtkWidget) page = NULL;
  GtkWidget *window;
  GtkEditable *name_row, *email_row;
  MwProfile *profile;

  use_new_db ();
  session = mw_session_new (tmpdir);
  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", NULL));
  profile = mw_session_get_profile (session);
  mw_profile_set_name (profile, "Wolkendienst B.V.");
  page = sink (mw_profile_page_new (session));
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), page);
  /* Only the top of the form is there before its first frame. */
  g_assert_nonnull (lookup_entry_row (page, "Or_ganisation name"));
  g_assert_null (lookup_entry_row (page, "Contact _email"));
  gtk_window_present (GTK_WINDOW (window));
  name_row = find_entry_row (page, "Or_ganisation name");
  email_row = find_entry_row (page, "Contact _email");

  g_assert_cmpstr (gtk_editable_get_text (name_row), ==, "Wolkendienst B.V.");
  g_assert_cmpstr (gtk_editable_get_text (email_row), ==, "");

  gtk_editable_set_text (email_row, "  soc@example.nl ");
  g_assert_cmpstr (mw_profile_get_contact_email (profile), ==, "soc@example.nl");
  /* (What is being typed stays as typed.) */
  g_assert_cmpstr (gtk_editable_get_text (email_row), ==, "  soc@example.nl ");

  gtk_editable_set_text (name_row, "");
  g_assert_null (mw_profile_get_name (profile));

  mw_profile_set_name (profile, "Waterbedrijf");
  g_assert_cmpstr (gtk_editable_get_text (name_row), ==, "Waterbedrijf");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_profile_persists (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(MwSession) again = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_false (mw_session_has_profile (session));
  g_assert_true (mw_session_save_profile (session, &error));
  g_assert_no_error (error);

  again = mw_session_new (tmpdir);
  g_assert_true (mw_session_load_profile (again, &error));
  g_assert_no_error (error);
  g_assert_true (mw_session_has_profile (again));
  g_assert_cmpstr (mw_profile_get_name (mw_session_get_profile (again)), ==, "Wolkendienst B.V.");
  g_assert_cmpstr (mw_profile_get_contact_email (mw_session_get_profile (again)), ==, "soc@example.nl");
  g_assert_cmpstr (mw_session_get_entity_type (again)->id, ==, "cloud");
  g_assert_cmpstr (mw_regime_get_id (mw_session_get_regime (again)), ==, "nl-cbw");
  g_assert_cmpuint (g_list_model_get_n_items (mw_profile_get_services (mw_session_get_profile (again))), ==, 1);
  g_assert_true (mw_session_get_training (again));
}

/* When --------------------------------------------------------------------------------- */

static void
test_check_timeline (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 12, 0, 0);
  const char *field = NULL;
  char *problem;

  problem = mw_check_timeline (NULL, NULL, NULL, FALSE, NULL, now, &field);
  g_assert_nonnull (problem);
  g_assert_cmpstr (field, ==, "aware_at");
  g_free (problem);

  problem = mw_check_timeline ("2026-11-22T03:00:00+01:00", "2026-11-22T03:10:00+01:00",
                               "2026-11-22T03:20:00+01:00", FALSE, NULL, now, &field);
  g_assert_null (problem);
  g_assert_null (field);

  /* Unknown start and detection are allowed. */
  problem = mw_check_timeline (NULL, NULL, "2026-11-22T03:20:00+01:00", FALSE, NULL, now, &field);
  g_assert_null (problem);

  problem = mw_check_timeline ("2026-11-22T04:00:00+01:00", "2026-11-22T03:10:00+01:00",
                               "2026-11-22T04:20:00+01:00", FALSE, NULL, now, &field);
  g_assert_nonnull (problem);
  g_assert_cmpstr (field, ==, "detected_at");
  g_free (problem);

  problem = mw_check_timeline (NULL, "2026-11-22T05:00:00+01:00", "2026-11-22T04:20:00+01:00",
                               FALSE, NULL, now, &field);
  g_assert_cmpstr (field, ==, "aware_at");
  g_free (problem);

  /* In the future (beyond a few minutes of clock skew). */
  problem = mw_check_timeline (NULL, NULL, "2026-11-22T14:00:00+01:00", FALSE, NULL, now, &field);
  g_assert_nonnull (problem);
  g_assert_cmpstr (field, ==, "aware_at");
  g_free (problem);
  problem = mw_check_timeline (NULL, NULL, "2026-11-22T13:03:00+01:00", FALSE, NULL, now, &field);
  g_assert_null (problem);

  /* Resolved needs a time after the start. */
  problem = mw_check_timeline ("2026-11-22T03:00:00+01:00", NULL, "2026-11-22T03:20:00+01:00",
                               TRUE, NULL, now, &field);
  g_assert_cmpstr (field, ==, "resolved_at");
  g_free (problem);
  problem = mw_check_timeline ("2026-11-22T03:00:00+01:00", NULL, "2026-11-22T03:20:00+01:00",
                               TRUE, "2026-11-22T02:00:00+01:00", now, &field);
  g_assert_cmpstr (field, ==, "resolved_at");
  g_free (problem);
  problem = mw_check_timeline ("2026-11-22T03:00:00+01:00", NULL, "2026-11-22T03:20:00+01:00",
                               TRUE, "2026-11-22T05:00:00+01:00", now, &field);
  g_assert_null (problem);
}

static void
test_parse_local_time (void)
{
  g_autoptr(GDateTime) a = mw_parse_local_time ("2026-11-22 03:10");
  g_autoptr(GDateTime) b = mw_parse_local_time ("2026-11-22T03:10:00+01:00");

  g_assert_nonnull (a);
  g_assert_cmpint (g_date_time_get_hour (a), ==, 3);
  g_assert_cmpint (g_date_time_get_minute (a), ==, 10);
  g_assert_nonnull (b);
  g_assert_null (mw_parse_local_time ("yesterday"));
  g_assert_null (mw_parse_local_time ("2026-13-01 10:00"));
  g_assert_null (mw_parse_local_time ("2026-11-22 25:00"));
  g_assert_null (mw_parse_local_time ("2026-11-22 03:10 and more"));
}

static void
test_when_page (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GtkWidget) page = sink (mw_when_page_new (session));
  MwReport *report = mw_session_get_report (session);
  MwTimeRow *aware = mw_when_page_get_row (MW_WHEN_PAGE (page), "aware_at");
  MwTimeRow *started = mw_when_page_get_row (MW_WHEN_PAGE (page), "started_at");
  GtkEntry *entry = mw_time_row_get_entry (aware);

  g_assert_false (mw_page_get_complete (MW_PAGE (page)));

  gtk_editable_set_text (GTK_EDITABLE (entry), "the day before yesterday");
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_false (mw_report_is_known (report, "timeline.aware_at"));

  mw_time_row_set_now (aware);
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_true (mw_report_is_known (report, "timeline.aware_at"));

  /* Started after awareness: the page refuses, the awareness row says why. */
  gtk_editable_set_text (GTK_EDITABLE (mw_time_row_get_entry (started)), "2099-01-01 10:00");
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  gtk_editable_set_text (GTK_EDITABLE (mw_time_row_get_entry (started)), "2020-01-01 10:00");
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));
  g_assert_cmpstr (mw_report_get_string (report, "timeline.started_at"), !=, NULL);

  /* Resolved switches on with the current time. */
  mw_when_page_set_resolved (MW_WHEN_PAGE (page), TRUE);
  g_assert_true (mw_report_is_known (report, "timeline.resolved_at"));
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));
  mw_when_page_set_resolved (MW_WHEN_PAGE (page), FALSE);
  g_assert_false (mw_report_is_known (report, "timeline.resolved_at"));

  /* Emptying the awareness time makes it unknown again, not 0. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_false (mw_report_is_known (report, "timeline.aware_at"));
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
}

/* Facts -------------------------------------------------------------------------------- */

static void
test_parse_fact_number (void)
{
  double value = -1;

  g_assert_true (mw_parse_fact_number ("45", TRUE, &value));
  g_assert_cmpfloat (value, ==, 45);
  g_assert_true (mw_parse_fact_number ("1 000 000", TRUE, &value));
  g_assert_cmpfloat (value, ==, 1000000);
  g_assert_true (mw_parse_fact_number ("0", TRUE, &value));
  g_assert_cmpfloat (value, ==, 0);
  g_assert_true (mw_parse_fact_number ("12.5", FALSE, &value));
  g_assert_cmpfloat (value, ==, 12.5);
  g_assert_false (mw_parse_fact_number ("12.5", TRUE, &value));
  g_assert_false (mw_parse_fact_number ("-3", TRUE, &value));
  g_assert_false (mw_parse_fact_number ("", TRUE, &value));
  g_assert_false (mw_parse_fact_number ("many", FALSE, &value));
  g_assert_false (mw_parse_fact_number ("1e400", FALSE, &value));
  g_assert_false (mw_parse_fact_number ("123456789012345678901234567890123", FALSE, &value));
}

static void
test_fact_row (void)
{
  g_autoptr(MwReport) report = mw_report_new ();
  MwFactDef number = { (char *) "unavailable_minutes", (char *) "int",
                       { (char *) "Minutes", (char *) "Minuten" }, { (char *) "min", (char *) "min" },
                       { NULL, NULL }, NULL };
  g_autoptr(GtkWidget) row = sink (mw_fact_row_new (&number, report));
  GtkEditable *entry = GTK_EDITABLE (mw_fact_row_get_input (MW_FACT_ROW (row)));
  double value = -1;

  /* Starts unknown, which is valid and not 0. */
  g_assert_true (mw_fact_row_get_valid (MW_FACT_ROW (row)));
  g_assert_false (mw_report_is_known (report, "facts.unavailable_minutes"));

  gtk_editable_set_text (entry, "45");
  g_assert_true (mw_report_get_number (report, "facts.unavailable_minutes", &value));
  g_assert_cmpfloat (value, ==, 45);

  gtk_editable_set_text (entry, "0");
  g_assert_true (mw_report_get_number (report, "facts.unavailable_minutes", &value));
  g_assert_cmpfloat (value, ==, 0);

  /* Not a number: invalid, shown as an error, and the report does not keep a stale value. */
  gtk_editable_set_text (entry, "about an hour");
  g_assert_false (mw_fact_row_get_valid (MW_FACT_ROW (row)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_false (mw_report_is_known (report, "facts.unavailable_minutes"));

  /* Loading from the report. */
  mw_report_set_int (report, "facts.unavailable_minutes", 90);
  mw_fact_row_load (MW_FACT_ROW (row));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "90");
  g_assert_true (mw_fact_row_get_valid (MW_FACT_ROW (row)));
}

/* Nature, service, assessment, review ------------------------------------------------------ */

static void
test_nature_page (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GtkWidget) page = sink (mw_nature_page_new (session));
  const MwEntityType *type = mw_session_get_entity_type (session);
  MwReport *report = mw_session_get_report (session);
  MwFactRow *row;
  guint asked = 0;

  for (guint i = 0; i < type->facts->len; i++)
    if (g_strcmp0 (((MwFactDef *) g_ptr_array_index (type->facts, i))->type, "derived") != 0)
      asked++;
  g_assert_cmpuint (asked, >, 0);
  g_assert_cmpuint (mw_nature_page_get_n_facts (MW_NATURE_PAGE (page)), ==, asked);
  /* The report is an early warning: what art. 26 asks, the page asks too. */
  answer_article_26 (report);

  /* No summary yet. */
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  mw_report_set_string (report, "nature.summary", "Storage down");
  mw_page_shown (MW_PAGE (page));
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));

  /* A fact that is not a number blocks Next. */
  row = mw_nature_page_get_fact_row (MW_NATURE_PAGE (page), "unavailable_minutes");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (mw_fact_row_get_input (row)), "lots");
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  gtk_editable_set_text (GTK_EDITABLE (mw_fact_row_get_input (row)), "45");
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));

  /* A fact another entity type asks is not asked here. */
  g_assert_null (mw_nature_page_get_fact_row (MW_NATURE_PAGE (page), "dns_avg_response_s"));
}

static void
test_service_page (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GtkWidget) page = NULL;
  MwReport *report = mw_session_get_report (session);

  mw_profile_add_service (mw_session_get_profile (session), "Compute", NULL);
  page = sink (mw_service_page_new (session));
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  g_assert_true (mw_service_page_select (MW_SERVICE_PAGE (page), 1));
  g_assert_cmpstr (mw_report_get_string (report, "service.name"), ==, "Compute");
  g_assert_true (mw_service_page_select (MW_SERVICE_PAGE (page), 0));
  g_assert_cmpstr (mw_report_get_string (report, "service.name"), ==, "Object storage");
  g_assert_cmpstr (mw_report_get_string (report, "service.network"), ==, "EU-West");
  g_assert_false (mw_service_page_select (MW_SERVICE_PAGE (page), 5));
}

/* Mode --------------------------------------------------------------------------------- */

static void
test_mode_page (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GtkWidget) page = sink (mw_mode_page_new (session));
  g_autoptr(GPtrArray) choices = g_ptr_array_new ();
  GtkCheckButton *training, *live;

  mw_test_collect_widgets (page, MW_TYPE_CHOICE_BUTTON, choices);
  g_assert_cmpuint (choices->len, ==, 2);
  training = g_ptr_array_index (choices, 0);
  live = g_ptr_array_index (choices, 1);
  mw_page_shown (MW_PAGE (page));
  g_assert_true (gtk_check_button_get_active (training));
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));

  /* Live, as a click chooses it (Training is un-chosen first): no endpoints, and still
   * complete — the recipients are filed at their desks, and the row names them. */
  gtk_check_button_set_active (live, TRUE);
  g_assert_false (gtk_check_button_get_active (training));
  g_assert_false (mw_session_get_training (session));
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));
  g_assert_true (mw_test_find_label (page, "Filed at their desks, with every answer ready to copy:"));

  gtk_check_button_set_active (training, TRUE);
  g_assert_true (mw_session_get_training (session));
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));
}

static void
test_assessment_page (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GtkWidget) page = sink (mw_assessment_page_new (session));
  MwReport *report = mw_session_get_report (session);

  /* Nothing known: undetermined, with the answers that would decide it. */
  g_assert_cmpint (mw_assessment_get_verdict (mw_session_get_assessment (session)), ==, MW_VERDICT_UNDETERMINED);
  g_assert_nonnull (strstr (mw_assessment_page_get_verdict_text (MW_ASSESSMENT_PAGE (page)), "report when in doubt"));
  g_assert_cmpuint (mw_assessment_page_get_n_deciding (MW_ASSESSMENT_PAGE (page)), >, 0);
  g_assert_cmpuint (mw_assessment_page_get_n_criteria (MW_ASSESSMENT_PAGE (page)), >, 0);
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));

  /* 45 minutes completely unavailable is more than 30: mandatory, live. */
  mw_report_set_int (report, "facts.unavailable_minutes", 45);
  g_assert_cmpint (mw_assessment_get_verdict (mw_session_get_assessment (session)), ==, MW_VERDICT_MANDATORY);
  g_assert_cmpstr (mw_assessment_page_get_verdict_text (MW_ASSESSMENT_PAGE (page)), ==,
                   "You must report this incident");
  /* With a duty comes the reminder to inform the recipients of the service (Cbw art. 30). */
  g_assert_true (mw_assessment_page_get_reminder_shown (MW_ASSESSMENT_PAGE (page)));

  /* Exactly 30 is not more than 30. */
  mw_report_set_int (report, "facts.unavailable_minutes", 30);
  g_assert_cmpint (mw_assessment_get_verdict (mw_session_get_assessment (session)), !=, MW_VERDICT_MANDATORY);
  g_assert_false (mw_assessment_page_get_reminder_shown (MW_ASSESSMENT_PAGE (page)));

  /* Personal data: the GDPR advisory appears. */
  mw_report_set_boolean (report, "facts.personal_data_breach", FALSE);
  g_assert_false (mw_assessment_page_get_gdpr_shown (MW_ASSESSMENT_PAGE (page)));
  mw_report_set_boolean (report, "facts.personal_data_breach", TRUE);
  g_assert_true (mw_assessment_page_get_gdpr_shown (MW_ASSESSMENT_PAGE (page)));
}

static void
test_review_page (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GtkWidget) page = sink (mw_review_page_new (session));
  MwReport *report = mw_session_get_report (session);
  g_autofree char *aware = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  /* The full report: the notification (the early warning asks less, see below). */
  mw_report_set_string (report, "stage", "notification");
  mw_page_shown (MW_PAGE (page));
  /* The one button names the actual recipients of a cloud provider. */
  g_assert_cmpstr (mw_page_get_next_label (MW_PAGE (page)), ==, "_Sign and send to NCSC and RDI");
  /* Consent is written as shown (off), never left unknown. */
  g_assert_true (mw_report_is_known (report, "consent.csirt_may_share_identifiable"));
  g_assert_true (mw_report_is_known (report, "consent.csirt_may_consult_regulator"));

  /* Without a summary, the report is not complete. */
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  aware = mw_format_time (now);
  mw_report_set_string (report, "timeline.aware_at", aware);
  mw_report_set_string (report, "nature.summary", "Storage down");
  mw_report_set_string (report, "recovery.status", "investigating");
  mw_page_shown (MW_PAGE (page));
  /* The start time is required for signing: the page says so and refuses. */
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  mw_report_set_string (report, "timeline.started_at", aware);
  mw_page_shown (MW_PAGE (page));
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));
  g_assert_false (mw_review_page_get_sensitive_shown (MW_REVIEW_PAGE (page)));

  /* Special categories of personal data in free text are pointed out. */
  mw_report_set_string (report, "nature.description", "The admin's medical record and diagnosis leaked");
  mw_page_shown (MW_PAGE (page));
  g_assert_true (mw_review_page_get_sensitive_shown (MW_REVIEW_PAGE (page)));

  /* A drinking-water company files with the NCSC and the ILT. */
  mw_profile_set_entity_type (mw_session_get_profile (session), "drinking-water");
  mw_report_set_string (report, "provider.entity_type", "drinking-water");
  mw_page_shown (MW_PAGE (page));
  g_assert_cmpstr (mw_page_get_next_label (MW_PAGE (page)), ==, "_Sign and send to NCSC and ILT");
}

/* The final report needs what art. 29 Cbw adds: the page that asks each says so before Next,
 * from the report's own validation, and Review refuses without it. A notification does not. */
static void
test_final_report_pages (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GtkWidget) nature = NULL;
  g_autoptr(GtkWidget) recovery = NULL;
  g_autoptr(GtkWidget) review = NULL;
  MwReport *report = mw_session_get_report (session);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *aware = mw_format_time (now);

  mw_report_set_string (report, "stage", "notification");
  mw_report_set_string (report, "timeline.aware_at", aware);
  mw_report_set_string (report, "timeline.started_at", aware);
  mw_report_set_string (report, "nature.summary", "Storage down");
  mw_report_set_string (report, "recovery.status", "resolved");
  nature = sink (mw_nature_page_new (session));
  recovery = sink (mw_recovery_page_new (session));
  review = sink (mw_review_page_new (session));
  mw_page_shown (MW_PAGE (nature));
  mw_page_shown (MW_PAGE (recovery));
  mw_page_shown (MW_PAGE (review));
  g_assert_true (mw_page_get_complete (MW_PAGE (nature)));
  g_assert_true (mw_page_get_complete (MW_PAGE (recovery)));
  g_assert_true (mw_page_get_complete (MW_PAGE (review)));

  mw_report_set_string (report, "stage", "final");
  mw_page_shown (MW_PAGE (nature));
  mw_page_shown (MW_PAGE (recovery));
  mw_page_shown (MW_PAGE (review));
  g_assert_false (mw_page_get_complete (MW_PAGE (review)));
  g_assert_true (mw_test_find_label (review, "Recovery › Measures: Final report (art. 29 Cbw) asks for the mitigation"));

  /* Each in turn, in the words of the form. */
  g_assert_false (mw_page_get_complete (MW_PAGE (nature)));
  g_assert_true (mw_test_find_label (nature, "Nature and scope › Description: Final report (art. 29 Cbw) asks for a detailed description"));
  mw_report_set_string (report, "nature.description", "A storage controller failed; the failover did not start.");
  mw_page_shown (MW_PAGE (nature));
  g_assert_false (mw_page_get_complete (MW_PAGE (nature)));
  g_assert_true (mw_test_find_label (nature, "Nature and scope › Cause: Final report (art. 29 Cbw) asks for the type of threat or the likely root cause"));
  mw_report_set_string (report, "nature.cause", "system-failure");
  mw_page_shown (MW_PAGE (nature));
  g_assert_false (mw_page_get_complete (MW_PAGE (nature)));
  g_assert_true (mw_test_find_label (nature, "Nature and scope › Cross-border impact: Final report (art. 29 Cbw) asks for the cross-border impact"));
  mw_report_set_boolean (report, "facts.cross_border", FALSE);
  mw_page_shown (MW_PAGE (nature));
  g_assert_true (mw_page_get_complete (MW_PAGE (nature)));

  g_assert_false (mw_page_get_complete (MW_PAGE (recovery)));
  g_assert_true (mw_test_find_label (recovery, "Recovery › Measures: Final report (art. 29 Cbw) asks for the mitigation"));
  mw_report_set_string (report, "recovery.measures", "Controller replaced; failover tested weekly.");
  mw_page_shown (MW_PAGE (recovery));
  g_assert_true (mw_page_get_complete (MW_PAGE (recovery)));

  mw_page_shown (MW_PAGE (review));
  g_assert_true (mw_page_get_complete (MW_PAGE (review)));
}

/* Session: autosave, restore, submit ------------------------------------------------------ */

static gboolean
not_dirty (gpointer data)
{
  return !mw_session_get_dirty (data);
}

static void
test_autosave (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(MwSession) again = NULL;
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_session_get_report (session);
  g_autofree char *report_id = g_strdup (mw_report_get_report_id (report));
  double value = -1;

  mw_report_set_string (report, "nature.summary", "Storage down");
  mw_report_set_int (report, "facts.unavailable_minutes", 45);
  g_assert_true (mw_session_get_dirty (session));
  /* Written by the debounced autosave on the main loop, without an explicit flush. */
  iterate_until (not_dirty, session);

  /* A new session (the app after a crash) finds the draft. */
  again = mw_session_new (tmpdir);
  g_assert_true (mw_session_set_regime_id (again, "nl-cbw", NULL));
  g_assert_true (mw_session_restore_draft (again, &error));
  g_assert_no_error (error);
  report = mw_session_get_report (again);
  g_assert_cmpstr (mw_report_get_report_id (report), ==, report_id);
  g_assert_cmpstr (mw_report_get_string (report, "nature.summary"), ==, "Storage down");
  g_assert_true (mw_report_get_number (report, "facts.unavailable_minutes", &value));
  g_assert_cmpfloat (value, ==, 45);
  g_assert_false (mw_report_is_known (report, "facts.users_total"));

  /* Discarding removes it. */
  mw_session_discard_draft (again);
  g_clear_object (&again);
  again = mw_session_new (tmpdir);
  g_assert_false (mw_session_restore_draft (again, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* A window on a new session in the current database, as at the app's start. */
static MwWindow *
start_window (void)
{
  g_autoptr(MwSession) session = mw_session_new (tmpdir);

  return mw_window_new (NULL, session);
}

static void
destroy_window (MwWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  /* (The key's load from the keyring, cancelled, lets go of the window on the main loop.) */
  iterate_until (is_null, &window);
}

static gboolean
is_current_type (MwWindow *window,
                 GType     type)
{
  MwPage *page = mw_assistant_get_current_page (mw_window_get_assistant (window));

  return G_TYPE_CHECK_INSTANCE_TYPE (page, type);
}

static gboolean
page_visible (MwAssistant *assistant,
              GType        type)
{
  return gtk_widget_get_visible (GTK_WIDGET (mw_assistant_find_page (assistant, type)));
}

/* The window remembers in GSettings which draft was open on which page, and opens that draft
 * there at the next start (GSETTINGS_BACKEND=memory: one process, so the windows follow each
 * other as the app's starts would). */
static void
test_draft_resumes_on_its_page (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.meldwijzer.Meldwijzer");
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_session_get_report (session);
  g_autofree char *report_id = g_strdup (mw_report_get_report_id (report));
  g_autofree char *saved_id = NULL;
  g_autofree char *saved_page = NULL;
  MwAssistant *assistant;
  MwWindow *window;

  g_settings_reset (settings, "last-draft-id");
  g_settings_reset (settings, "last-draft-page");
  g_assert_true (mw_session_save_profile (session, &error));
  g_assert_no_error (error);
  mw_report_set_string (report, "nature.summary", "Storage down");
  g_assert_true (mw_session_flush (session, &error));
  g_assert_no_error (error);

  /* Nothing remembered yet: the draft opens on its first page. Moving on is remembered. */
  window = start_window ();
  assistant = mw_window_get_assistant (window);
  report = mw_session_get_report (mw_window_get_session (window));
  g_assert_cmpstr (mw_report_get_report_id (report), ==, report_id);
  g_assert_true (is_current_type (window, MW_TYPE_EARLY_WARNING_PAGE));
  mw_assistant_set_current_page (assistant, mw_assistant_find_page (assistant, MW_TYPE_REVIEW_PAGE));
  saved_id = g_settings_get_string (settings, "last-draft-id");
  saved_page = g_settings_get_string (settings, "last-draft-page");
  g_assert_cmpstr (saved_id, ==, report_id);
  g_assert_cmpstr (saved_page, ==, "review");
  destroy_window (window);

  /* The next start opens the draft on that page. */
  window = start_window ();
  report = mw_session_get_report (mw_window_get_session (window));
  g_assert_cmpstr (mw_report_get_report_id (report), ==, report_id);
  g_assert_cmpstr (mw_report_get_string (report, "nature.summary"), ==, "Storage down");
  g_assert_true (is_current_type (window, MW_TYPE_REVIEW_PAGE));

  /* A draft left on a page of the full report (asked for on the early warning) opens there,
   * that page shown. */
  assistant = mw_window_get_assistant (window);
  mw_early_warning_page_set_full_details (MW_EARLY_WARNING_PAGE (mw_assistant_find_page (assistant, MW_TYPE_EARLY_WARNING_PAGE)),
                                          TRUE);
  mw_assistant_set_current_page (assistant, mw_assistant_find_page (assistant, MW_TYPE_NATURE_PAGE));
  destroy_window (window);
  window = start_window ();
  assistant = mw_window_get_assistant (window);
  g_assert_true (is_current_type (window, MW_TYPE_NATURE_PAGE));
  g_assert_true (page_visible (assistant, MW_TYPE_NATURE_PAGE));
  destroy_window (window);

  /* A page remembered for another report is not used for this one. */
  g_settings_set_string (settings, "last-draft-id", "another-report");
  window = start_window ();
  g_assert_true (is_current_type (window, MW_TYPE_EARLY_WARNING_PAGE));
  destroy_window (window);

  g_settings_reset (settings, "last-draft-id");
  g_settings_reset (settings, "last-draft-page");
}

/* Early warning --------------------------------------------------------------------------- */

/* What art. 26 Cbw asks and nothing more: awareness now, the one service, the contact from
 * the profile are there already; the two questions need an answer, and "Not known yet" is
 * one (null in the report, not absent). Then the report is complete as an early warning. */
static void
test_early_warning_page (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GtkWidget) page = sink (mw_early_warning_page_new (session));
  MwReport *report = mw_session_get_report (session);
  g_autoptr(GPtrArray) problems = NULL;
  JsonNode *node;

  g_assert_cmpstr (mw_report_get_stage (report), ==, "early-warning");
  g_assert_false (mw_report_is_known (report, "timeline.aware_at"));
  mw_page_shown (MW_PAGE (page));
  g_assert_true (mw_report_is_known (report, "timeline.aware_at"));
  g_assert_cmpstr (mw_report_get_string (report, "service.name"), ==, "Object storage");
  g_assert_cmpstr (mw_report_get_string (report, "provider.contact.name"), ==, "A. de Vries");
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));

  mw_early_warning_page_answer (MW_EARLY_WARNING_PAGE (page), "nature.suspected_unlawful", MW_ANSWER_YES);
  g_assert_false (mw_page_get_complete (MW_PAGE (page)));
  mw_early_warning_page_answer (MW_EARLY_WARNING_PAGE (page), "facts.cross_border", MW_ANSWER_NOT_KNOWN);
  g_assert_true (mw_page_get_complete (MW_PAGE (page)));
  node = mw_report_get_node (report, "facts.cross_border");
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));

  /* Complete for signing as an early warning, with no start time, summary or recovery. */
  problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", ((MwProblem *) problems->pdata[i])->path, ((MwProblem *) problems->pdata[i])->message);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_false (mw_report_is_known (report, "nature.summary"));

  /* An answer changes; the contact official can be changed here. */
  mw_early_warning_page_answer (MW_EARLY_WARNING_PAGE (page), "facts.cross_border", MW_ANSWER_NO);
  g_assert_true (mw_report_is_known (report, "facts.cross_border"));

  /* Reopened, the page shows the answers it wrote. */
  {
    g_autoptr(GtkWidget) again = sink (mw_early_warning_page_new (session));

    mw_page_shown (MW_PAGE (again));
    g_assert_true (mw_page_get_complete (MW_PAGE (again)));
  }
}

/* The window files an early warning on its own page; the pages of the full report come
 * back for the notification (and when the officer asks for them now). */
static void
test_early_warning_pages (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GError) error = NULL;
  MwWindow *window;
  MwAssistant *assistant;
  MwPage *early_warning;
  MwReport *report;

  g_assert_true (mw_session_save_profile (session, &error));
  g_assert_no_error (error);
  g_assert_true (mw_session_flush (session, &error));
  window = start_window ();
  assistant = mw_window_get_assistant (window);
  early_warning = mw_assistant_find_page (assistant, MW_TYPE_EARLY_WARNING_PAGE);
  report = mw_session_get_report (mw_window_get_session (window));

  g_assert_cmpstr (mw_report_get_stage (report), ==, "early-warning");
  g_assert_true (is_current_type (window, MW_TYPE_EARLY_WARNING_PAGE));
  g_assert_true (page_visible (assistant, MW_TYPE_EARLY_WARNING_PAGE));
  g_assert_true (page_visible (assistant, MW_TYPE_REVIEW_PAGE));
  g_assert_false (page_visible (assistant, MW_TYPE_WHEN_PAGE));
  g_assert_false (page_visible (assistant, MW_TYPE_NATURE_PAGE));
  g_assert_false (page_visible (assistant, MW_TYPE_SERVICE_PAGE));
  g_assert_false (page_visible (assistant, MW_TYPE_RECOVERY_PAGE));
  g_assert_false (page_visible (assistant, MW_TYPE_ASSESSMENT_PAGE));

  /* Asked for now, the full report's pages come in. */
  mw_early_warning_page_set_full_details (MW_EARLY_WARNING_PAGE (early_warning), TRUE);
  g_assert_true (page_visible (assistant, MW_TYPE_NATURE_PAGE));
  mw_early_warning_page_set_full_details (MW_EARLY_WARNING_PAGE (early_warning), FALSE);
  g_assert_false (page_visible (assistant, MW_TYPE_NATURE_PAGE));

  /* The notification asks the full report: its pages, not the early warning's. */
  mw_report_set_string (report, "stage", "notification");
  mw_session_report_changed (mw_window_get_session (window));
  g_assert_false (page_visible (assistant, MW_TYPE_EARLY_WARNING_PAGE));
  g_assert_true (page_visible (assistant, MW_TYPE_WHEN_PAGE));
  g_assert_true (page_visible (assistant, MW_TYPE_NATURE_PAGE));
  g_assert_true (page_visible (assistant, MW_TYPE_RECOVERY_PAGE));
  destroy_window (window);
}

static void
test_submit (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *aware = mw_format_time (now);
  MwReport *report = mw_session_get_report (session);
  g_autoptr(MwStore) store = NULL;

  /* Not without a key. */
  g_assert_false (mw_test_submit (session, &error));
  g_assert_error (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING);
  g_clear_error (&error);

  signer = mw_signer_generate (&error);
  g_assert_no_error (error);
  mw_session_set_signer (session, signer);

  /* Not while the report is incomplete: the message names the field. */
  g_assert_false (mw_test_submit (session, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nature.suspected_unlawful"));
  g_clear_error (&error);
  g_assert_false (mw_session_get_submitted (session));

  answer_article_26 (report);
  mw_report_set_string (report, "timeline.aware_at", aware);
  mw_report_set_string (report, "timeline.started_at", aware);
  mw_report_set_string (report, "nature.summary", "Storage down");
  mw_report_set_string (report, "recovery.status", "investigating");
  mw_report_set_int (report, "facts.unavailable_minutes", 45);
  g_assert_true (mw_test_submit (session, &error));
  g_assert_no_error (error);
  g_assert_true (mw_session_get_submitted (session));

  /* One signed report, one pending delivery per recipient, in the store. */
  store = mw_store_new (&error);
  deliveries = mw_store_list_deliveries (store, mw_report_get_report_id (report), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (deliveries->len, ==, 2);
  for (guint i = 0; i < deliveries->len; i++)
    {
      const MwStoreDelivery *delivery = g_ptr_array_index (deliveries, i);

      g_assert_cmpint (delivery->state, ==, MW_DELIVERY_STATE_PENDING);
      g_assert_true (delivery->training);
      g_assert_true (g_str_equal (delivery->recipient, "ncsc") || g_str_equal (delivery->recipient, "rdi"));
    }
  /* Submitting again is a no-op. */
  g_assert_true (mw_test_submit (session, &error));
}

static void
test_delivery_page (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(MwSigner) signer = mw_signer_generate (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = mw_format_time (now);
  g_autoptr(GtkWidget) page = sink (mw_delivery_page_new (session));
  g_autoptr(GError) error = NULL;
  g_autofree char *receipt = NULL;
  MwReport *report = mw_session_get_report (session);
  const char *report_id = mw_report_get_report_id (report);
  g_autoptr(MwStore) store = NULL;

  g_assert_true (mw_page_get_final (MW_PAGE (page)));
  g_assert_cmpstr (mw_delivery_page_get_headline (MW_DELIVERY_PAGE (page)), ==, "Nothing sent yet");

  mw_session_set_signer (session, signer);
  mw_report_set_string (report, "timeline.aware_at", time);
  mw_report_set_string (report, "timeline.started_at", time);
  mw_report_set_int (report, "facts.unavailable_minutes", 45);
  mw_report_set_string (report, "nature.summary", "Storage down");
  mw_report_set_string (report, "recovery.status", "investigating");
  answer_article_26 (report);
  g_assert_true (mw_test_submit (session, &error));
  g_assert_no_error (error);
  store = mw_store_new (&error);

  /* Both pending: sending. */
  mw_delivery_page_refresh (MW_DELIVERY_PAGE (page));
  /* A mandatory report: the page reminds the officer of Cbw art. 30. */
  g_assert_cmpint (mw_assessment_get_verdict (mw_session_get_assessment (session)), ==, MW_VERDICT_MANDATORY);
  g_assert_nonnull (mw_delivery_page_get_reminder (MW_DELIVERY_PAGE (page)));
  g_assert_nonnull (strstr (mw_delivery_page_get_reminder (MW_DELIVERY_PAGE (page)), "30"));
  g_assert_cmpstr (mw_delivery_page_get_headline (MW_DELIVERY_PAGE (page)), ==, "Sending the signed report…");
  g_assert_cmpuint (mw_delivery_page_get_n_delivered (MW_DELIVERY_PAGE (page)), ==, 0);

  /* The RDI refuses, the NCSC fails once: both offer Retry, the headline says so. */
  g_assert_true (mw_store_mark_failed (store, report_id, "rdi", "422 training report at a live mailbox", &error));
  g_assert_true (mw_store_mark_attempt_failed (store, report_id, "ncsc", "connection refused",
                                               g_get_real_time (), NULL, &error));
  g_assert_no_error (error);
  mw_delivery_page_refresh (MW_DELIVERY_PAGE (page));
  g_assert_cmpstr (mw_delivery_page_get_headline (MW_DELIVERY_PAGE (page)), ==, "A recipient refused the report: see below");
  g_assert_cmpuint (mw_delivery_page_get_n_retry (MW_DELIVERY_PAGE (page)), ==, 2);

  /* The NCSC's receipt arrives (a compact JWS: the store reads it); the RDI is filed by hand. */
  receipt = mw_signer_sign (signer, "meldwijzer.receipt/1", (const guint8 *) "{}", 2, &error);
  g_assert_no_error (error);
  g_assert_true (mw_store_mark_delivered (store, report_id, "ncsc", "receipt-1", receipt, time, &error));
  g_assert_true (mw_store_mark_filed (store, report_id, "rdi", "RDI-2026-0042", time, "rdi-form", NULL, &error));
  g_assert_no_error (error);
  mw_delivery_page_refresh (MW_DELIVERY_PAGE (page));
  g_assert_cmpuint (mw_delivery_page_get_n_delivered (MW_DELIVERY_PAGE (page)), ==, 1);
  g_assert_cmpuint (mw_delivery_page_get_n_retry (MW_DELIVERY_PAGE (page)), ==, 0);
  g_assert_cmpstr (mw_delivery_page_get_headline (MW_DELIVERY_PAGE (page)), ==,
                   "Done: delivered, and filed by hand where needed");
}

/* Live, no endpoint: the NCSC's desk step shows every answer in the order of its form with
 * a copy button, opens the form, refuses an empty reference, and records the filing; the
 * RDI, which the NCSC passes reports on to, has no step of its own and ends forwarded. */
static void
test_delivery_desk_step (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(MwSigner) signer = mw_signer_generate (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = mw_format_time (now);
  g_autoptr(GtkWidget) page = sink (mw_delivery_page_new (session));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(MwStoreDelivery) ncsc = NULL;
  g_autoptr(MwStoreDelivery) rdi = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GdkContentProvider) content = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  MwReport *report = mw_session_get_report (session);
  const char *report_id = mw_report_get_report_id (report);
  const char *form[] = { "organisation", "sector", "notifier", "significance", "status", "times",
                         "description", "impact", "cross-border", "indicators" };
  GtkWidget *step, *open, *record, *error_label = NULL;
  GPtrArray *answers;
  guint section = 0;

  mw_session_set_signer (session, signer);
  mw_session_set_training (session, FALSE);
  mw_report_set_string (report, "timeline.aware_at", time);
  mw_report_set_string (report, "timeline.started_at", time);
  mw_report_set_string (report, "nature.summary", "Storage down");
  mw_report_set_string (report, "recovery.status", "investigating");
  answer_article_26 (report);
  g_assert_true (mw_test_submit (session, &error));
  g_assert_no_error (error);
  store = mw_store_new (&error);

  mw_delivery_page_refresh (MW_DELIVERY_PAGE (page));
  g_assert_cmpstr (mw_delivery_page_get_headline (MW_DELIVERY_PAGE (page)), ==,
                   "File the report at the desk: every answer is ready below");
  g_assert_cmpuint (mw_delivery_page_get_n_desks (MW_DELIVERY_PAGE (page)), ==, 1);
  step = mw_delivery_page_get_desk_step (MW_DELIVERY_PAGE (page), "ncsc");
  g_assert_nonnull (step);
  g_assert_null (mw_delivery_page_get_desk_step (MW_DELIVERY_PAGE (page), "rdi"));
  g_assert_cmpstr (mw_desk_step_get_channel (MW_DESK_STEP (step)), ==, "ncsc-form");

  /* The answers in the order of the NCSC form's sections, the organisation first. */
  answers = mw_desk_step_get_answers (MW_DESK_STEP (step));
  g_assert_cmpuint (answers->len, >, 5);
  g_assert_cmpstr (((MwDeskAnswer *) g_ptr_array_index (answers, 0))->label, ==, "Company name");
  g_assert_cmpstr (((MwDeskAnswer *) g_ptr_array_index (answers, 0))->value, ==, "Wolkendienst B.V.");
  for (guint i = 0; i < answers->len; i++)
    {
      const char *id = ((MwDeskAnswer *) g_ptr_array_index (answers, i))->section;

      while (section < G_N_ELEMENTS (form) && !g_str_equal (form[section], id))
        section++;
      g_assert_cmpuint (section, <, G_N_ELEMENTS (form));
    }

  /* Each answer's copy button puts it on the clipboard. */
  mw_test_collect_widgets (step, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_object_get_data (G_OBJECT (g_ptr_array_index (buttons, i)), "text") != NULL &&
        g_str_equal (g_object_get_data (G_OBJECT (g_ptr_array_index (buttons, i)), "text"), "Wolkendienst B.V."))
      {
        g_signal_emit_by_name (g_ptr_array_index (buttons, i), "clicked");
        break;
      }
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (step));
  g_assert_nonnull (content);
  g_object_ref (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  g_assert_cmpstr (g_value_get_string (&value), ==, "Wolkendienst B.V.");

  open = mw_test_find_named (step, "desk-open");
  g_assert_nonnull (open);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (open)), ==, "_Open the NCSC Form");

  /* The NCSC's e-mail and phone are steps of their own: the address with the text ready,
   * the number with what to say; back to the form. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (mw_test_find_named (step, "desk-channel")), 1);
  g_assert_cmpstr (mw_desk_step_get_channel (MW_DESK_STEP (step)), ==, "ncsc-email");
  g_assert_nonnull (mw_test_find_named (step, "desk-email"));
  g_assert_null (mw_test_find_named (step, "desk-open"));
  g_assert_true (mw_test_find_label (step, "cert@ncsc.nl"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (mw_test_find_named (step, "desk-channel")), 0);
  g_assert_cmpstr (mw_desk_step_get_channel (MW_DESK_STEP (step)), ==, "ncsc-phone");
  g_assert_true (mw_test_find_label (step, "What to say"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (mw_test_find_named (step, "desk-channel")), 2);
  g_assert_cmpstr (mw_desk_step_get_channel (MW_DESK_STEP (step)), ==, "ncsc-form");

  /* No reference yet: refused, said, nothing recorded. */
  record = mw_test_find_named (step, "desk-record");
  g_signal_emit_by_name (record, "clicked");
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    mw_test_collect_widgets (step, GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "error"))
        error_label = g_ptr_array_index (labels, i);
  }
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "reference"));
  ncsc = mw_store_get_delivery (store, report_id, "ncsc", &error);
  g_assert_cmpint (ncsc->state, ==, MW_DELIVERY_STATE_AWAITING_FILING);
  g_clear_pointer (&ncsc, mw_store_delivery_free);

  /* The reference and the time the desk gave, in Dutch time: recorded, and the RDI forwarded. */
  gtk_editable_set_text (GTK_EDITABLE (mw_test_find_named (step, "desk-reference")), "NCSC-2026-77");
  gtk_editable_set_text (GTK_EDITABLE (mw_test_find_named (step, "desk-time")), "2026-12-06 03:10");
  g_signal_emit_by_name (record, "clicked");
  ncsc = mw_store_get_delivery (store, report_id, "ncsc", &error);
  rdi = mw_store_get_delivery (store, report_id, "rdi", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ncsc->state, ==, MW_DELIVERY_STATE_FILED_BY_HAND);
  g_assert_cmpstr (ncsc->reference, ==, "NCSC-2026-77");
  g_assert_cmpstr (ncsc->filed_at, ==, "2026-12-06T03:10:00+01:00");
  g_assert_cmpstr (ncsc->channel, ==, "ncsc-form");
  g_assert_cmpint (rdi->state, ==, MW_DELIVERY_STATE_FORWARDED);
  g_assert_cmpstr (rdi->forwarded_by, ==, "ncsc");

  /* The step goes once the page has run its idle; the headline says it is done. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (mw_delivery_page_get_n_desks (MW_DELIVERY_PAGE (page)), ==, 0);
  g_assert_cmpstr (mw_delivery_page_get_headline (MW_DELIVERY_PAGE (page)), ==,
                   "Done: delivered, and filed by hand where needed");
}

static gboolean
error_shown (gpointer data)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  mw_test_collect_widgets (data, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "error") &&
        gtk_widget_get_visible (g_ptr_array_index (labels, i)))
      return TRUE;
  return FALSE;
}

/* The endpoint dialog lists the entity type's recipients, saves nothing until a key was
 * fetched and confirmed, and says what is wrong with a URL that is not a mailbox's. */
static void
test_endpoint_dialog (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  GtkWidget *dialog = mw_endpoint_dialog_new (session);
  g_autoptr(GPtrArray) combos = g_ptr_array_new ();
  GtkWidget *save = mw_test_find_named (dialog, "endpoint-save");

  mw_test_collect_widgets (dialog, ADW_TYPE_COMBO_ROW, combos);
  g_assert_cmpuint (combos->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (g_ptr_array_index (combos, 0))), ==, 2);
  g_assert_false (gtk_widget_get_sensitive (save));

  gtk_editable_set_text (GTK_EDITABLE (mw_test_find_named (dialog, "endpoint-url")), "ftp://intake.example.nl/ncsc");
  g_signal_emit_by_name (mw_test_find_named (dialog, "endpoint-fetch"), "clicked");
  iterate_until (error_shown, dialog);
  g_assert_false (gtk_widget_get_sensitive (save));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Assistant ------------------------------------------------------------------------------ */

static gboolean
is_current (gpointer data)
{
  GtkWidget **pair = data;

  return mw_assistant_get_current_page (MW_ASSISTANT (pair[0])) == MW_PAGE (pair[1]);
}

static void
test_assistant_navigation (void)
{
  g_autoptr(MwSession) session = new_session ("cloud");
  g_autoptr(GtkWidget) assistant = sink (mw_assistant_new ());
  GtkWidget *first = mw_recovery_page_new (session);
  GtkWidget *hidden = mw_recovery_page_new (session);
  GtkWidget *nature = mw_nature_page_new (session);
  GtkWidget *pair[2] = { assistant, NULL };

  mw_assistant_add_page (MW_ASSISTANT (assistant), MW_PAGE (first));
  mw_assistant_add_page (MW_ASSISTANT (assistant), MW_PAGE (hidden));
  mw_assistant_add_page (MW_ASSISTANT (assistant), MW_PAGE (nature));
  gtk_widget_set_visible (hidden, FALSE);
  g_assert_true (mw_assistant_get_current_page (MW_ASSISTANT (assistant)) == MW_PAGE (first));

  /* Next skips the hidden page. */
  g_assert_true (mw_page_get_complete (MW_PAGE (first)));
  mw_assistant_next (MW_ASSISTANT (assistant));
  pair[1] = nature;
  iterate_until (is_current, pair);

  /* The nature page is not complete without a summary: Next does nothing. */
  g_assert_false (mw_page_get_complete (MW_PAGE (nature)));
  mw_assistant_next (MW_ASSISTANT (assistant));
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (mw_assistant_get_current_page (MW_ASSISTANT (assistant)) == MW_PAGE (nature));

  /* Back skips it too. */
  mw_assistant_previous (MW_ASSISTANT (assistant));
  g_assert_true (mw_assistant_get_current_page (MW_ASSISTANT (assistant)) == MW_PAGE (first));
  g_assert_true (mw_assistant_find_page (MW_ASSISTANT (assistant), MW_TYPE_NATURE_PAGE) == MW_PAGE (nature));
}

int
main (int   argc,
      char *argv[])
{
  int result;

  tmpdir = g_dir_make_tmp ("mw-test-app-pages-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/profile/page", test_profile_page);
  g_test_add_func ("/app/profile/page-binds", test_profile_page_binds);
  g_test_add_func ("/app/profile/persists", test_profile_persists);
  g_test_add_func ("/app/when/check-timeline", test_check_timeline);
  g_test_add_func ("/app/when/parse-local-time", test_parse_local_time);
  g_test_add_func ("/app/when/page", test_when_page);
  g_test_add_func ("/app/facts/parse-number", test_parse_fact_number);
  g_test_add_func ("/app/facts/row", test_fact_row);
  g_test_add_func ("/app/nature/page", test_nature_page);
  g_test_add_func ("/app/service/page", test_service_page);
  g_test_add_func ("/app/mode/page", test_mode_page);
  g_test_add_func ("/app/assessment/page", test_assessment_page);
  g_test_add_func ("/app/review/page", test_review_page);
  g_test_add_func ("/app/final-report/pages", test_final_report_pages);
  g_test_add_func ("/app/session/autosave", test_autosave);
  g_test_add_func ("/app/session/draft-resumes-on-its-page", test_draft_resumes_on_its_page);
  g_test_add_func ("/app/session/submit", test_submit);
  g_test_add_func ("/app/early-warning/page", test_early_warning_page);
  g_test_add_func ("/app/early-warning/pages", test_early_warning_pages);
  g_test_add_func ("/app/delivery/page", test_delivery_page);
  g_test_add_func ("/app/delivery/desk-step", test_delivery_desk_step);
  g_test_add_func ("/app/mode/endpoint-dialog", test_endpoint_dialog);
  g_test_add_func ("/app/assistant/navigation", test_assistant_navigation);

  result = g_test_run ();

  mw_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return result;
}
