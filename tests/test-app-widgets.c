/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-widgets"

/* A new/destroy test for every widget of the wizard: each one is built from its template
 * (a too-new widget in a .ui file fails only at run time) and must be finalized. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "mw-assessment-page.h"
#include "mw-assistant.h"
#include "mw-choice-button.h"
#include "mw-delivery-page.h"
#include "mw-early-warning-page.h"
#include "mw-fact-row.h"
#include "mw-first-frame.h"
#include "mw-key-page.h"
#include "mw-label.h"
#include "mw-mode-page.h"
#include "mw-nature-page.h"
#include "mw-profile-form.h"
#include "mw-profile-page.h"
#include "mw-profile-window.h"
#include "mw-recovery-page.h"
#include "mw-reflow-layout.h"
#include "mw-regime.h"
#include "mw-review-page.h"
#include "mw-service-page.h"
#include "mw-taxonomy.h"
#include "mw-time-row.h"
#include "mw-when-page.h"
#include "mw-window.h"
#include "mw-test-widgets.h"

static char *tmpdir;

/* A session with a profile for a cloud provider under nl-cbw, and a report. */
static MwSession *
new_session (void)
{
  g_autoptr(GError) error = NULL;
  MwSession *session = mw_session_new (tmpdir);
  g_autoptr(MwReport) report = NULL;

  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", &error));
  g_assert_no_error (error);
  mw_profile_set_name (mw_session_get_profile (session), "Wolkendienst B.V.");
  mw_profile_set_entity_type (mw_session_get_profile (session), "cloud");
  mw_profile_add_service (mw_session_get_profile (session), "Object storage", "EU-West");
  report = mw_session_create_report (session);
  mw_session_set_report (session, report);
  return session;
}

static void
check_widget (GtkWidget *widget)
{
  g_assert_true (GTK_IS_WIDGET (widget));
  g_object_ref_sink (widget);
  g_assert_finalize_object (widget);
}

/* Adaptive down to 360 px: nothing may ask for more width than a phone has. */
#define NARROW_WIDTH 360

static void
check_narrow (GtkWidget *widget)
{
  int minimum = 0, natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("%s: minimum width %d", G_OBJECT_TYPE_NAME (widget), minimum);
  g_assert_cmpint (minimum, <=, NARROW_WIDTH);
}

typedef GtkWidget *(*PageNew) (MwSession *session);

static void
test_page (gconstpointer data)
{
  PageNew page_new = (PageNew) data;
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *page;

  /* With a session… */
  page = page_new (session);
  g_assert_true (MW_IS_PAGE (page));
  g_assert_cmpstr (mw_page_get_title (MW_PAGE (page)), !=, "");
  /* (The key page talks to the keyring when shown: that is the end-to-end test's job.) */
  if (!MW_IS_KEY_PAGE (page))
    mw_page_shown (MW_PAGE (page));
  check_narrow (page);
  check_widget (page);

  /* …and without one. */
  page = page_new (NULL);
  check_widget (page);
}

/* On entry the cursor is in the page's first text field, never on a list row where a typed
 * space would activate the row or flip a switch. */
static void
test_page_focus (gconstpointer data)
{
  PageNew page_new = (PageNew) data;
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = page_new (session);
  GtkWidget *focus;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  mw_page_shown (MW_PAGE (page));
  mw_page_focus_first_field (MW_PAGE (page));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_test_message ("%s: focus on %s", G_OBJECT_TYPE_NAME (page), G_OBJECT_TYPE_NAME (focus));
  g_assert_true (GTK_IS_TEXT (focus) || GTK_IS_TEXT_VIEW (focus));
  if (MW_IS_WHEN_PAGE (page))
    g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (mw_when_page_get_row (MW_WHEN_PAGE (page),
                                                                                    "started_at"))));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Changing the law in the profile mid-report: no GLib critical (the test makes them fatal),
 * and the report's stage is one the new law has (the Wbni has no early warning). */
static void
test_profile_law_change (void)
{
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = mw_profile_page_new (session);
  MwReport *report = mw_session_get_report (session);
  AdwComboRow *law = NULL;
  g_auto(GStrv) ids = mw_regime_list_available ();
  guint wbni = G_MAXUINT;

  g_assert_cmpstr (mw_report_get_stage (report), ==, "early-warning");
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  mw_page_shown (MW_PAGE (page));
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_str_equal (ids[i], "nl-wbni"))
      wbni = i;
  g_assert_cmpuint (wbni, !=, G_MAXUINT);
  for (GtkWidget *w = page; w != NULL && law == NULL; )
    {
      GtkWidget *next = gtk_widget_get_first_child (w);

      if (ADW_IS_COMBO_ROW (w))
        law = ADW_COMBO_ROW (w);
      while (next == NULL && w != page)
        {
          next = gtk_widget_get_next_sibling (w);
          if (next == NULL)
            w = gtk_widget_get_parent (w);
        }
      w = next;
    }
  g_assert_nonnull (law);
  adw_combo_row_set_selected (law, wbni);
  g_assert_cmpstr (mw_regime_get_id (mw_session_get_regime (session)), ==, "nl-wbni");
  g_assert_cmpstr (mw_report_get_regime (report), ==, "nl-wbni");
  g_assert_cmpstr (mw_report_get_stage (report), ==, "single");
  g_assert_cmpuint (adw_combo_row_get_selected (law), ==, wbni);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Problems name the field in the words of the form, never a JSON path. */
static void
test_describe_field (void)
{
  g_autoptr(MwSession) session = new_session ();
  MwRegime *regime = mw_session_get_regime (session);
  GPtrArray *facts = mw_regime_get_facts (regime);
  const MwFactDef *fact = g_ptr_array_index (facts, 0);
  g_autofree char *fact_path = g_strconcat ("facts.", fact->id, NULL);
  g_autofree char *started = mw_describe_field (regime, "timeline.started_at");
  g_autofree char *contact = mw_describe_field (regime, "provider.contact.email");
  g_autofree char *service = mw_describe_field (regime, "service");
  g_autofree char *fact_text = mw_describe_field (regime, fact_path);
  g_autofree char *unknown = mw_describe_field (NULL, "something.else");

  g_assert_cmpstr (started, ==, "When › Started at");
  g_assert_cmpstr (contact, ==, "Your organisation › Contact for reports");
  g_assert_cmpstr (service, ==, "Affected service › Which service was hit?");
  g_assert_true (g_str_has_suffix (fact_text, mw_label_get (&fact->label)));
  g_assert_cmpstr (unknown, ==, "This report");
}

static gboolean
has_row_subtitle (GtkWidget  *root,
                  const char *text)
{
  if (ADW_IS_ACTION_ROW (root) &&
      g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (root)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_row_subtitle (child, text))
      return TRUE;
  return FALSE;
}

/* The review shows what will be sent: the facts answered (as the user's language writes
 * numbers), the description, the measures. */
static void
test_review_shows_everything (void)
{
  g_autoptr(MwSession) session = new_session ();
  MwReport *report = mw_session_get_report (session);
  GPtrArray *facts = mw_regime_get_facts (mw_session_get_regime (session));
  const MwFactDef *number = NULL;
  GtkWidget *page;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;

  for (guint i = 0; i < facts->len && number == NULL; i++)
    {
      const MwFactDef *fact = g_ptr_array_index (facts, i);

      if (g_strcmp0 (fact->type, "int") == 0 || g_strcmp0 (fact->type, "number") == 0)
        number = fact;
    }
  g_assert_nonnull (number);
  path = g_strconcat ("facts.", number->id, NULL);
  mw_report_set_number (report, path, 250000);
  mw_report_set_string (report, "nature.description", "Volumetric attack on the front ends.");
  mw_report_set_string (report, "recovery.measures", "Scrubbing upstream.");
  mw_language_set ("nl");
  page = g_object_ref_sink (mw_review_page_new (session));
  mw_page_shown (MW_PAGE (page));
  expected = mw_label_get (&number->unit) && *mw_label_get (&number->unit) ?
             g_strdup_printf ("250.000 %s", mw_label_get (&number->unit)) : g_strdup ("250.000");
  g_assert_true (has_row_subtitle (page, expected));
  g_assert_true (has_row_subtitle (page, "Volumetric attack on the front ends."));
  g_assert_true (has_row_subtitle (page, "Scrubbing upstream."));
  g_assert_finalize_object (page);
  mw_language_set (NULL);
}

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *widget))
{
  if (match (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_question_link (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) && g_object_get_data (G_OBJECT (widget), "fact-id") != NULL &&
         gtk_widget_get_mapped (widget);
}

/* The facts that can change a cloud provider's verdict come first; the others wait under
 * "More details (optional)". The assessment links a deciding answer back to its question. */
static void
test_deciding_facts_first (void)
{
  g_autoptr(MwSession) session = new_session ();
  MwReport *report = mw_session_get_report (session);
  const MwEntityType *type = mw_session_get_entity_type (session);
  g_autoptr(GHashTable) deciding = mw_nature_page_dup_deciding_facts (mw_session_get_regime (session), type);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *assistant = mw_assistant_new ();
  GtkWidget *nature = mw_nature_page_new (session);
  GtkWidget *assessment = mw_assessment_page_new (session);
  GtkWidget *link;
  MwFactRow *row;
  GtkWidget *focus;
  const char *fact_id;

  g_assert_true (g_hash_table_contains (deciding, "degraded_users"));
  g_assert_true (g_hash_table_contains (deciding, "unavailable_minutes"));
  g_assert_false (g_hash_table_contains (deciding, "cross_border"));
  g_assert_false (g_hash_table_contains (deciding, "service_recipients_informed"));

  mw_assistant_add_page (MW_ASSISTANT (assistant), MW_PAGE (nature));
  mw_assistant_add_page (MW_ASSISTANT (assistant), MW_PAGE (assessment));
  gtk_window_set_child (GTK_WINDOW (window), assistant);
  gtk_window_present (GTK_WINDOW (window));
  mw_assistant_set_current_page (MW_ASSISTANT (assistant), MW_PAGE (nature));

  /* Deciding facts stand in the group; the others inside the expander. */
  row = mw_nature_page_get_fact_row (MW_NATURE_PAGE (nature), "degraded_users");
  g_assert_nonnull (row);
  g_assert_null (gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_EXPANDER_ROW));
  row = mw_nature_page_get_fact_row (MW_NATURE_PAGE (nature), "cross_border");
  g_assert_nonnull (row);
  g_assert_nonnull (gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_EXPANDER_ROW));
  g_assert_true (mw_nature_page_focus_fact (MW_NATURE_PAGE (nature), "cross_border"));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (
    gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_EXPANDER_ROW))));

  /* 250 000 users with a degraded service: mandatory, and the answer links back. */
  mw_report_set_number (report, "facts.degraded_users", 250000);
  mw_report_set_number (report, "facts.users_total", 300000);
  mw_report_set_number (report, "facts.degraded_minutes", 120);
  mw_report_set_number (report, "facts.unavailable_minutes", 120);
  mw_session_report_changed (session);
  g_assert_cmpint (mw_assessment_get_verdict (mw_session_get_assessment (session)), ==, MW_VERDICT_MANDATORY);
  mw_assistant_set_current_page (MW_ASSISTANT (assistant), MW_PAGE (assessment));
  while (g_main_context_iteration (NULL, FALSE));
  link = find_widget (assessment, is_question_link);
  g_assert_nonnull (link);
  fact_id = g_object_get_data (G_OBJECT (link), "fact-id");
  g_test_message ("the assessment links back to %s", fact_id);
  g_signal_emit_by_name (link, "clicked");
  g_assert_true (mw_assistant_get_current_page (MW_ASSISTANT (assistant)) == MW_PAGE (nature));
  row = mw_nature_page_get_fact_row (MW_NATURE_PAGE (nature), fact_id);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (row)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The ENISA taxonomy in Dutch where the user reads Dutch: every class and type. */
static void
test_taxonomy_dutch (void)
{
  GPtrArray *entries = mw_taxonomy_get_entries ();
  const MwTaxonomyEntry *ddos = mw_taxonomy_lookup ("availability/ddos");

  g_assert_cmpuint (entries->len, >, 30);
  for (guint i = 0; i < entries->len; i++)
    {
      const MwTaxonomyEntry *entry = g_ptr_array_index (entries, i);

      g_assert_nonnull (entry->class_name_nl);
      g_assert_nonnull (entry->type_name_nl);
    }
  mw_language_set ("nl");
  g_assert_cmpstr (mw_taxonomy_entry_get_class_label (ddos), ==, "Beschikbaarheid");
  g_assert_cmpstr (mw_taxonomy_entry_get_type_label (ddos), ==, "Distributed denial of service (DDoS)");
  mw_language_set ("en");
  g_assert_cmpstr (mw_taxonomy_entry_get_class_label (ddos), ==, "Availability");
  g_assert_cmpstr (mw_taxonomy_entry_get_type_label (ddos), ==, "Distributed Denial of Service");
  mw_language_set (NULL);
}

/* The profile in its own window: Cancel (as Escape and closing) puts the profile and its
 * law back, with the report's stage; Save stores it. */
static void
test_profile_window (void)
{
  g_autoptr(MwSession) session = new_session ();
  MwProfile *profile = mw_session_get_profile (session);
  MwReport *report = mw_session_get_report (session);
  GtkWidget *window;
  g_autoptr(GError) error = NULL;

  window = mw_profile_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  mw_profile_set_name (profile, "Another name B.V.");
  g_assert_true (mw_session_set_regime_id (session, "nl-wbni", &error));
  g_assert_cmpstr (mw_report_get_stage (report), ==, "single");
  mw_profile_window_cancel (MW_PROFILE_WINDOW (window));
  g_assert_cmpstr (mw_profile_get_name (profile), ==, "Wolkendienst B.V.");
  g_assert_cmpstr (mw_regime_get_id (mw_session_get_regime (session)), ==, "nl-cbw");
  g_assert_cmpstr (mw_profile_get_regime (profile), ==, "nl-cbw");
  g_assert_cmpstr (mw_report_get_stage (report), ==, "early-warning");

  window = mw_profile_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  mw_profile_set_name (profile, "Another name B.V.");
  g_assert_true (mw_profile_window_save (MW_PROFILE_WINDOW (window), &error));
  g_assert_no_error (error);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpstr (mw_profile_get_name (profile), ==, "Another name B.V.");
}

/* A page chosen before the window shows (a draft reopened at start-up) still starts with
 * the cursor in its first field once the window is on screen. */
static void
test_focus_before_map (void)
{
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *assistant = mw_assistant_new ();
  GtkWidget *when = mw_when_page_new (session);
  GtkWidget *nature = mw_nature_page_new (session);
  GtkWidget *focus;
  gint64 deadline;

  mw_assistant_add_page (MW_ASSISTANT (assistant), MW_PAGE (when));
  mw_assistant_add_page (MW_ASSISTANT (assistant), MW_PAGE (nature));
  gtk_window_set_child (GTK_WINDOW (window), assistant);
  mw_assistant_set_current_page (MW_ASSISTANT (assistant), MW_PAGE (nature));
  gtk_window_present (GTK_WINDOW (window));
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  do
    {
      g_main_context_iteration (NULL, FALSE);
      focus = gtk_root_get_focus (GTK_ROOT (window));
    }
  while ((focus == NULL || !GTK_IS_TEXT (focus)) && g_get_monotonic_time () < deadline);
  g_assert_nonnull (focus);
  g_test_message ("focus on %s", G_OBJECT_TYPE_NAME (focus));
  g_assert_true (GTK_IS_TEXT (focus));
  g_assert_true (gtk_widget_is_ancestor (focus, nature));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_assistant (void)
{
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *assistant = mw_assistant_new ();
  GtkWidget *review = mw_review_page_new (session);

  /* The longest Next label: "Sign and send to NCSC and RDI". */
  mw_assistant_add_page (MW_ASSISTANT (assistant), MW_PAGE (mw_recovery_page_new (session)));
  mw_assistant_add_page (MW_ASSISTANT (assistant), MW_PAGE (review));
  mw_page_shown (MW_PAGE (review));
  mw_assistant_set_current_page (MW_ASSISTANT (assistant), MW_PAGE (review));
  mw_assistant_set_training (MW_ASSISTANT (assistant), TRUE);
  check_narrow (assistant);
  check_widget (assistant);
}

static void
test_time_row (void)
{
  check_widget (mw_time_row_new ("_Started at", "Start time"));
}

/* Times as people type them, read in Dutch time and shown back as understood. */
static void
test_time_row_typing (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *other = gtk_entry_new ();
  GtkWidget *row = mw_time_row_new ("_Started at", "Start time");
  GtkEntry *entry = mw_time_row_get_entry (MW_TIME_ROW (row));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autofree char *value = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%dT01:30:00");

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), other);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));

  gtk_editable_set_text (GTK_EDITABLE (entry), "06-12-2026 01:30");
  value = mw_time_row_dup_value (MW_TIME_ROW (row));
  g_assert_cmpstr (value, ==, "2026-12-06T01:30:00+01:00");
  g_clear_pointer (&value, g_free);
  /* Summer time is that of the date typed. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "1-7-2026 10:00");
  value = mw_time_row_dup_value (MW_TIME_ROW (row));
  g_assert_cmpstr (value, ==, "2026-07-01T10:00:00+02:00");
  g_clear_pointer (&value, g_free);

  gtk_editable_set_text (GTK_EDITABLE (entry), "01:30");
  value = mw_time_row_dup_value (MW_TIME_ROW (row));
  g_assert_true (g_str_has_prefix (value, today));
  g_clear_pointer (&value, g_free);

  gtk_editable_set_text (GTK_EDITABLE (entry), "nu");
  g_assert_true (mw_time_row_get_valid (MW_TIME_ROW (row)));
  gtk_editable_set_text (GTK_EDITABLE (entry), "now");
  g_assert_true (mw_time_row_get_valid (MW_TIME_ROW (row)));

  /* Refused on the row, with how to write it. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "31-2-2026 10:00");
  g_assert_false (mw_time_row_get_valid (MW_TIME_ROW (row)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "6-12-2026 01:30"));

  /* Shown back as understood when the cursor leaves. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "6-12-2026 1:30");
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (entry)));
  g_assert_true (gtk_widget_grab_focus (other));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "2026-12-06 01:30");

  /* The row itself never takes the focus (where Space would activate it). */
  g_assert_false (gtk_widget_get_focusable (row));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The calendar is built when it is first opened, not with the row; picking a day keeps the
 * typed time of day. */
static void
test_time_row_calendar (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = mw_time_row_new ("_Started at", "Start time");
  GtkEntry *entry = mw_time_row_get_entry (MW_TIME_ROW (row));
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) calendars = g_ptr_array_new ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_autoptr(GDateTime) day = g_date_time_new (zone, 2026, 12, 4, 0, 0, 0);
  GtkMenuButton *button;

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  gtk_editable_set_text (GTK_EDITABLE (entry), "6-12-2026 1:30");

  mw_test_collect_widgets (row, GTK_TYPE_CALENDAR, calendars);
  g_assert_cmpuint (calendars->len, ==, 0);
  mw_test_collect_widgets (row, GTK_TYPE_MENU_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, ==, 1);
  button = g_ptr_array_index (buttons, 0);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));

  gtk_menu_button_popup (button);
  mw_test_collect_widgets (row, GTK_TYPE_CALENDAR, calendars);
  g_assert_cmpuint (calendars->len, ==, 1);
  gtk_calendar_select_day (g_ptr_array_index (calendars, 0), day);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "2026-12-04 01:30");

  /* Opened again, the same calendar. */
  gtk_menu_button_popup (button);
  g_ptr_array_set_size (calendars, 0);
  mw_test_collect_widgets (row, GTK_TYPE_CALENDAR, calendars);
  g_assert_cmpuint (calendars->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_choice_button (void)
{
  GtkWidget *radio = g_object_ref_sink (mw_choice_button_new_radio ());
  GtkWidget *check = g_object_ref_sink (mw_choice_button_new ());

  /* One of many is announced as a radio button, a lone check as a check box. */
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (radio)), ==,
                   GTK_ACCESSIBLE_ROLE_RADIO);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (check)), ==,
                   GTK_ACCESSIBLE_ROLE_CHECKBOX);
  g_assert_finalize_object (radio);
  g_assert_finalize_object (check);
}

/* The chosen kind of entity on the profile form, as the radio that is on. */
static const char *
active_entity_type (GtkWidget *form)
{
  g_autoptr(GPtrArray) radios = g_ptr_array_new ();

  mw_test_collect_widgets (form, MW_TYPE_CHOICE_BUTTON, radios);
  for (guint i = 0; i < radios->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (radios, i)))
      return g_object_get_data (g_ptr_array_index (radios, i), "entity-type");
  return NULL;
}

/* The profile form follows a profile put back (Cancel in its window) when shown again: the
 * radios move, the rows stay (building them is most of the form's cost); another law builds
 * its own. */
static void
test_profile_form_refresh (void)
{
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *form = g_object_ref_sink (mw_profile_form_new (session));
  g_autoptr(GPtrArray) before = g_ptr_array_new ();
  g_autoptr(GPtrArray) after = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (active_entity_type (form), ==, "cloud");
  mw_test_collect_widgets (form, MW_TYPE_CHOICE_BUTTON, before);
  g_assert_cmpuint (before->len, >, 2);

  mw_profile_set_entity_type (mw_session_get_profile (session), "dns");
  mw_profile_form_refresh (MW_PROFILE_FORM (form));
  g_assert_cmpstr (active_entity_type (form), ==, "dns");
  g_assert_cmpstr (mw_profile_get_entity_type (mw_session_get_profile (session)), ==, "dns");
  mw_test_collect_widgets (form, MW_TYPE_CHOICE_BUTTON, after);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_true (g_ptr_array_index (before, i) == g_ptr_array_index (after, i));

  g_assert_true (mw_session_set_regime_id (session, "nl-wbni", &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (after, 0);
  mw_test_collect_widgets (form, MW_TYPE_CHOICE_BUTTON, after);
  g_assert_true (after->len != before->len || g_ptr_array_index (after, 0) != g_ptr_array_index (before, 0));
  g_assert_finalize_object (form);
}

static guint
count_visible_radios (GtkWidget *form)
{
  g_autoptr(GPtrArray) radios = g_ptr_array_new ();
  guint n = 0;

  mw_test_collect_widgets (form, MW_TYPE_CHOICE_BUTTON, radios);
  for (guint i = 0; i < radios->len; i++)
    if (gtk_widget_is_visible (g_ptr_array_index (radios, i)) || !gtk_widget_get_mapped (form))
      n++;
  return n;
}

/* In a window the form shows its top first: the first kinds of entity (the chosen one among
 * them); the other kinds and the groups under them (services, contacts) are built once the
 * first frame is drawn. */
static void
test_profile_form_first_frame (void)
{
  g_autoptr(MwSession) session = new_session ();
  guint n_types = mw_regime_get_entity_types (mw_session_get_regime (session))->len;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *form = mw_profile_form_new (session);
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  gtk_window_set_child (GTK_WINDOW (window), form);
  g_assert_cmpuint (count_visible_radios (form), <, n_types);
  g_assert_cmpstr (active_entity_type (form), ==, "cloud");
  mw_test_collect_widgets (form, ADW_TYPE_PREFERENCES_GROUP, groups);
  g_assert_cmpuint (groups->len, ==, 2);
  mw_test_collect_widgets (form, ADW_TYPE_ENTRY_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 2);

  gtk_window_present (GTK_WINDOW (window));
  while (g_get_monotonic_time () < end && (count_visible_radios (form) < n_types || groups->len < 6))
    {
      g_main_context_iteration (NULL, FALSE);
      g_ptr_array_set_size (groups, 0);
      mw_test_collect_widgets (form, ADW_TYPE_PREFERENCES_GROUP, groups);
    }
  g_assert_cmpuint (count_visible_radios (form), ==, n_types);
  g_assert_cmpuint (groups->len, ==, 6);
  for (guint i = 0; i < groups->len; i++)
    g_assert_true (gtk_widget_get_visible (g_ptr_array_index (groups, i)));
  g_assert_cmpstr (active_entity_type (form), ==, "cloud");
  /* Built bound to the profile: its service is listed, the sentence under the form says
   * what is missing (no contact yet). */
  g_assert_true (mw_test_find_label (form, "Object storage"));
  g_assert_true (mw_test_find_label (form, "a contact name"));
  g_ptr_array_set_size (rows, 0);
  mw_test_collect_widgets (form, ADW_TYPE_ENTRY_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 10);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A widget to hold one child under a given layout manager. */
G_DECLARE_FINAL_TYPE (TestHolder, test_holder, TEST, HOLDER, GtkWidget)
struct _TestHolder { GtkWidget parent_instance; };
G_DEFINE_FINAL_TYPE (TestHolder, test_holder, GTK_TYPE_WIDGET)
static void test_holder_class_init (TestHolderClass *klass) { }
static void test_holder_init (TestHolder *self) { }

/* Content whose text reflows is as narrow at any height as at no height at all: a GtkStack
 * asks how narrow its page may be at the stack's height, and a wrapping label answers by
 * laying its text out again at width after width (a bin layout passes the question on). */
static void
test_reflow_layout (void)
{
  const char *text = "Training mode: reports go to a local practice intake, never to a real authority.";
  GtkWidget *reflow = g_object_ref_sink (g_object_new (test_holder_get_type (), "layout-manager",
                                                       g_object_new (MW_TYPE_REFLOW_LAYOUT, NULL), NULL));
  GtkWidget *bin = g_object_ref_sink (g_object_new (test_holder_get_type (), "layout-manager",
                                                    gtk_bin_layout_new (), NULL));
  GtkWidget *parents[] = { reflow, bin };
  int any_height[2], one_line[2], height = 0;

  for (guint i = 0; i < G_N_ELEMENTS (parents); i++)
    {
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_parent (label, parents[i]);
      gtk_widget_measure (parents[i], GTK_ORIENTATION_VERTICAL, -1, &height, NULL, NULL, NULL);
      gtk_widget_measure (parents[i], GTK_ORIENTATION_HORIZONTAL, -1, &any_height[i], NULL, NULL, NULL);
      gtk_widget_measure (parents[i], GTK_ORIENTATION_HORIZONTAL, height, &one_line[i], NULL, NULL, NULL);
    }
  /* The question means something: at the height of one line the label needs its whole
   * width, and a bin layout says so. */
  g_assert_cmpint (one_line[1], >, any_height[1]);
  g_assert_cmpint (one_line[0], ==, any_height[0]);
  g_assert_cmpint (any_height[0], ==, any_height[1]);
  /* Height follows width as ever. */
  g_assert_cmpint (gtk_widget_get_request_mode (reflow), ==, GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH);

  for (guint i = 0; i < G_N_ELEMENTS (parents); i++)
    {
      gtk_widget_unparent (gtk_widget_get_first_child (parents[i]));
      g_assert_finalize_object (parents[i]);
    }
}

static gboolean
count_call (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_REMOVE;
}

static void
count_destroy (gpointer data)
{
  (*(guint *) data) += 100;
}

/* What waits for a widget's first frame comes once that frame is drawn, once, and never for
 * a widget destroyed first; a deferred child is hidden until then. */
static void
test_first_frame (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *later = gtk_label_new ("Below the fold");
  GtkWidget *gone = gtk_label_new ("Destroyed first");
  guint calls = 0, gone_calls = 0;
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  gtk_box_append (GTK_BOX (box), later);
  gtk_box_append (GTK_BOX (box), gone);
  gtk_window_set_child (GTK_WINDOW (window), box);
  mw_widget_after_first_frame (box, count_call, &calls, count_destroy);
  mw_widget_after_first_frame (gone, count_call, &gone_calls, count_destroy);
  mw_widget_show_after_first_frame (box, later);
  g_assert_false (gtk_widget_get_visible (later));
  gtk_box_remove (GTK_BOX (box), gone);
  g_assert_cmpuint (gone_calls, ==, 100);  /* freed, never called */

  /* Not before the window is on screen. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (calls, ==, 0);
  g_assert_false (gtk_widget_get_visible (later));

  gtk_window_present (GTK_WINDOW (window));
  while (g_get_monotonic_time () < end && (calls == 0 || !gtk_widget_get_visible (later)))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (calls, ==, 101);
  g_assert_true (gtk_widget_get_visible (later));
  gtk_widget_queue_draw (box);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (calls, ==, 101);

  /* Asked for while on screen: after the next frame. */
  calls = 0;
  end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  mw_widget_after_first_frame (box, count_call, &calls, NULL);
  while (g_get_monotonic_time () < end && calls == 0)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (calls, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
all_wrap (GtkWidget    *widget,
          PangoWrapMode mode,
          guint        *n)
{
  gboolean all = TRUE;

  if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)) &&
      gtk_label_get_wrap_mode (GTK_LABEL (widget)) != PANGO_WRAP_WORD)
    {
      all &= gtk_label_get_wrap_mode (GTK_LABEL (widget)) == mode;
      (*n)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    all &= all_wrap (child, mode, n);
  return all;
}

/* Until the first frame libadwaita's rows and group descriptions break lines between words
 * only (GTK lays a label that may break inside words out a character a line to measure it);
 * after it, inside words again, as libadwaita has them (a long address still wraps). */
static void
test_wrap_at_words_until_first_frame (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *plain = gtk_label_new ("Ours, breaking between words");
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  guint n = 0;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), "What kind of entity you are");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         "This decides the questions, the thresholds and who receives the report.");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Content delivery network provider");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), "https://www.ncsc.nl/contact/meld-een-incident-for-long-addresses");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  gtk_label_set_wrap (GTK_LABEL (plain), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), plain);
  gtk_window_set_child (GTK_WINDOW (window), group);

  /* As libadwaita makes them: inside words. */
  g_assert_true (all_wrap (group, PANGO_WRAP_WORD_CHAR, &n));
  g_assert_cmpuint (n, >=, 3);
  mw_widget_wrap_at_words_until_first_frame (window);
  n = 0;
  g_assert_true (all_wrap (group, PANGO_WRAP_WORD_CHAR, &n));
  g_assert_cmpuint (n, ==, 0);  /* every one between words now */

  gtk_window_present (GTK_WINDOW (window));
  while (g_get_monotonic_time () < end && n == 0)
    {
      g_main_context_iteration (NULL, FALSE);
      n = 0;
      all_wrap (group, PANGO_WRAP_WORD_CHAR, &n);
    }
  n = 0;
  g_assert_true (all_wrap (group, PANGO_WRAP_WORD_CHAR, &n));
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpint (gtk_label_get_wrap_mode (GTK_LABEL (plain)), ==, PANGO_WRAP_WORD);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The early warning's first frame holds what a window shows at first; the contact and the
 * choice to describe everything now join after it. */
static void
test_early_warning_first_frame (void)
{
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = mw_early_warning_page_new (session);
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  guint hidden = 0;

  gtk_window_set_child (GTK_WINDOW (window), page);
  mw_test_collect_widgets (page, ADW_TYPE_PREFERENCES_GROUP, groups);
  for (guint i = 0; i < groups->len; i++)
    hidden += !gtk_widget_get_visible (g_ptr_array_index (groups, i));
  g_assert_cmpuint (hidden, ==, 2);
  g_assert_true (gtk_widget_get_visible (g_ptr_array_index (groups, 0)));

  gtk_window_present (GTK_WINDOW (window));
  while (g_get_monotonic_time () < end && hidden > 0)
    {
      g_main_context_iteration (NULL, FALSE);
      hidden = 0;
      for (guint i = 0; i < groups->len; i++)
        hidden += !gtk_widget_get_visible (g_ptr_array_index (groups, i));
    }
  g_assert_cmpuint (hidden, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The entity types of the profile and Training/Live are radio buttons to a screen reader. */
static void
test_radio_roles (void)
{
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *profile = g_object_ref_sink (mw_profile_page_new (session));
  GtkWidget *mode = g_object_ref_sink (mw_mode_page_new (session));
  GtkWidget *pages[] = { profile, mode };

  mw_page_shown (MW_PAGE (profile));
  for (gsize p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      guint radios = 0;
      GtkWidget *w = pages[p];

      /* Every "radio-choice" button, depth first. */
      while (w != NULL)
        {
          GtkWidget *next;

          if (MW_IS_CHOICE_BUTTON (w) && gtk_widget_has_css_class (w, "radio-choice"))
            {
              g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w)), ==,
                               GTK_ACCESSIBLE_ROLE_RADIO);
              radios++;
            }
          next = gtk_widget_get_first_child (w);
          while (next == NULL && w != NULL && w != pages[p])
            {
              next = gtk_widget_get_next_sibling (w);
              if (next == NULL)
                w = gtk_widget_get_parent (w);
            }
          w = next;
        }
      g_test_message ("%s: %u radio buttons", G_OBJECT_TYPE_NAME (pages[p]), radios);
      g_assert_cmpuint (radios, >=, 2);
    }
  g_object_unref (profile);
  g_object_unref (mode);
}

static void
test_fact_row (void)
{
  g_autoptr(MwReport) report = mw_report_new ();
  MwFactDef number = { (char *) "unavailable_minutes", (char *) "int",
                       { (char *) "Minutes", (char *) "Minuten" }, { (char *) "min", (char *) "min" },
                       { NULL, NULL }, NULL };
  MwFactDef flag = { (char *) "health_damage", (char *) "bool",
                     { (char *) "Damage to health", (char *) "Gezondheidsschade" }, { NULL, NULL },
                     { NULL, NULL }, NULL };

  check_widget (mw_fact_row_new (&number, report));
  check_widget (mw_fact_row_new (&flag, report));
  g_assert_finalize_object (g_steal_pointer (&report));
}

/* A number typed the way the user's language writes it is stored as meant, never truncated;
 * a number written the other language's way is refused on the row, and the field shows the
 * value back in the user's way of writing it. */
static void
test_fact_row_numbers (void)
{
  struct {
    const char *language;
    const char *typed;
    double      stored;      /* -1: refused */
    const char *shown;       /* after leaving the field */
  } cases[] = {
    { "nl", "250.000", 250000, "250.000" },
    { "nl", "250000", 250000, "250.000" },
    { "nl", "2,5", 2.5, "2,5" },
    { "nl", "250,000", -1, NULL },
    { "nl", "1.2.3", -1, NULL },
    { "en", "250,000", 250000, "250,000" },
    { "en", "250 000", 250000, "250,000" },
    { "en", "2.5", 2.5, "2.5" },
    { "en", "250.000", -1, NULL },
    { "en", "1,5", -1, NULL },
    { "en", "many", -1, NULL },
  };
  MwFactDef number = { (char *) "degraded_users", (char *) "number",
                       { (char *) "Users", (char *) "Gebruikers" }, { NULL, NULL },
                       { (char *) "How many", (char *) "Hoeveel" }, NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MwReport) report = mw_report_new ();
      GtkWidget *row;
      GtkWidget *entry;
      GtkWidget *window = gtk_window_new ();
      double value = -1;

      mw_language_set (cases[i].language);
      row = mw_fact_row_new (&number, report);
      gtk_window_set_child (GTK_WINDOW (window), row);
      entry = mw_fact_row_get_input (MW_FACT_ROW (row));
      gtk_editable_set_text (GTK_EDITABLE (entry), cases[i].typed);
      g_test_message ("%s: %s → %s", cases[i].language, cases[i].typed,
                      adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
      if (cases[i].stored < 0)
        {
          g_assert_false (mw_report_is_known (report, "facts.degraded_users"));
          g_assert_false (mw_fact_row_get_valid (MW_FACT_ROW (row)));
          g_assert_true (gtk_widget_has_css_class (entry, "error"));
          /* The row says how to write it, in place of its help. */
          g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=, "How many");
        }
      else
        {
          g_assert_true (mw_report_get_number (report, "facts.degraded_users", &value));
          g_assert_cmpfloat (value, ==, cases[i].stored);
          g_assert_true (mw_fact_row_get_valid (MW_FACT_ROW (row)));
          mw_fact_row_load (MW_FACT_ROW (row));
          g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, cases[i].typed);
          mw_fact_row_show_value (MW_FACT_ROW (row));
          g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, cases[i].shown);
          /* Shown back, it still means the same. */
          g_assert_true (mw_report_get_number (report, "facts.degraded_users", &value));
          g_assert_cmpfloat (value, ==, cases[i].stored);
        }
      gtk_window_destroy (GTK_WINDOW (window));
    }
  mw_language_set (NULL);
}

/* Keys as GTK delivers them to the row's own key controller (capture phase). */
static gboolean
send_key_to_row (GtkWidget *row,
                 guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  return handled;
}

/* Typing on a fact's row (reached with the arrows) fills its field: a space never activates
 * the row. */
static void
test_fact_row_typing_on_row (void)
{
  g_autoptr(MwReport) report = mw_report_new ();
  MwFactDef number = { (char *) "degraded_users", (char *) "number",
                       { (char *) "Users", (char *) "Gebruikers" }, { NULL, NULL },
                       { NULL, NULL }, NULL };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row;
  GtkWidget *entry;
  double value = 0;

  mw_language_set ("en");
  row = mw_fact_row_new (&number, report);
  entry = mw_fact_row_get_input (MW_FACT_ROW (row));
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (send_key_to_row (row, GDK_KEY_2));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));
  /* Once the field has the focus, the row leaves the keys alone. */
  g_assert_false (send_key_to_row (row, GDK_KEY_5));
  gtk_editable_insert_text (GTK_EDITABLE (entry), "50", -1, &(int) { 1 });
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "250");
  g_assert_true (mw_report_get_number (report, "facts.degraded_users", &value));
  g_assert_cmpfloat (value, ==, 250);
  /* A space typed on the row goes into the field too. */
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (send_key_to_row (row, GDK_KEY_space));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, " ");
  gtk_window_destroy (GTK_WINDOW (window));
  mw_language_set (NULL);
}

static void
test_window (void)
{
  g_autoptr(MwSession) session = new_session ();
  MwWindow *window = mw_window_new (NULL, session);

  g_assert_true (MW_IS_WINDOW (window));
  g_assert_true (mw_window_get_session (window) == session);
  check_narrow (GTK_WIDGET (window));
  g_assert_nonnull (mw_assistant_get_current_page (mw_window_get_assistant (window)));
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* Closing as the window manager's close button does: the "close-request" signal, without
 * mapping the window (under Xvfb there is no window manager to maximize a mapped one). */
static void
close_window (MwWindow *window)
{
  gboolean stop = TRUE;

  g_object_ref (window);
  g_signal_emit_by_name (window, "close-request", &stop);
  g_assert_false (stop);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* The size and maximized state are saved in GSettings on closing and restored by the next
 * window (GSETTINGS_BACKEND=memory: the same settings for the whole process). */
static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.meldwijzer.Meldwijzer");
  g_autoptr(MwSession) session = new_session ();
  MwWindow *window;
  int width, height;

  window = mw_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1010, 630);
  gtk_window_maximize (GTK_WINDOW (window));
  close_window (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1010);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 630);
  g_assert_true (g_settings_get_boolean (settings, "window-maximized"));

  window = mw_window_new (NULL, session);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1010);
  g_assert_cmpint (height, ==, 630);
  g_assert_true (gtk_window_is_maximized (GTK_WINDOW (window)));

  /* Unmaximized and smaller. */
  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  close_window (window);
  window = mw_window_new (NULL, session);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));
  close_window (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

/* Without the schema (a build run outside `meson devenv`), the window starts with its
 * defaults instead of aborting, and says why it remembers nothing. */
static void
test_window_without_schema (void)
{
  g_autofree char *schema_dir = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(MwSession) session = new_session ();
      MwWindow *window = mw_window_new (NULL, session);
      int width, height;

      gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
      g_assert_cmpint (width, ==, 900);
      g_assert_cmpint (height, ==, 760);
      close_window (window);
      return;
    }

  /* An installed copy would be found without the build tree's (the child inherits this
   * environment): then there is nothing to test here. */
  for (const char * const *dir = g_get_system_data_dirs (); *dir != NULL; dir++)
    {
      g_autofree char *path = g_build_filename (*dir, "glib-2.0", "schemas", NULL);
      g_autoptr(GSettingsSchemaSource) source =
        g_settings_schema_source_new_from_directory (path, NULL, FALSE, NULL);
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL &&
          (schema = g_settings_schema_source_lookup (source, "io.github.meldwijzer.Meldwijzer", FALSE)))
        {
          g_test_skip_printf ("The schema is installed in %s", path);
          return;
        }
    }
  schema_dir = g_strdup (g_getenv ("GSETTINGS_SCHEMA_DIR"));
  g_unsetenv ("GSETTINGS_SCHEMA_DIR");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  if (schema_dir != NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*settings schema io.github.meldwijzer.Meldwijzer is not installed*");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  int result;

  tmpdir = g_dir_make_tmp ("mw-test-app-widgets-XXXXXX", NULL);
  db = g_build_filename (tmpdir, "meldwijzer.db", NULL);
  g_setenv ("MELDWIJZER_DB", db, TRUE);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/widgets/assistant", test_assistant);
  g_test_add_func ("/app/widgets/time-row", test_time_row);
  g_test_add_func ("/app/widgets/time-row-typing", test_time_row_typing);
  g_test_add_func ("/app/widgets/fact-row", test_fact_row);
  g_test_add_func ("/app/widgets/fact-row-numbers", test_fact_row_numbers);
  g_test_add_func ("/app/widgets/fact-row-typing-on-row", test_fact_row_typing_on_row);
  g_test_add_func ("/app/widgets/choice-button", test_choice_button);
  g_test_add_func ("/app/widgets/radio-roles", test_radio_roles);
  g_test_add_func ("/app/widgets/profile-form-refresh", test_profile_form_refresh);
  g_test_add_func ("/app/widgets/profile-form-first-frame", test_profile_form_first_frame);
  g_test_add_func ("/app/widgets/reflow-layout", test_reflow_layout);
  g_test_add_func ("/app/widgets/first-frame", test_first_frame);
  g_test_add_func ("/app/widgets/wrap-at-words-until-first-frame", test_wrap_at_words_until_first_frame);
  g_test_add_func ("/app/widgets/early-warning-first-frame", test_early_warning_first_frame);
  g_test_add_func ("/app/widgets/time-row-calendar", test_time_row_calendar);
  g_test_add_data_func ("/app/widgets/profile-page", mw_profile_page_new, test_page);
  g_test_add_data_func ("/app/widgets/key-page", mw_key_page_new, test_page);
  g_test_add_data_func ("/app/widgets/mode-page", mw_mode_page_new, test_page);
  g_test_add_data_func ("/app/widgets/early-warning-page", mw_early_warning_page_new, test_page);
  g_test_add_data_func ("/app/widgets/when-page", mw_when_page_new, test_page);
  g_test_add_data_func ("/app/widgets/nature-page", mw_nature_page_new, test_page);
  g_test_add_data_func ("/app/widgets/service-page", mw_service_page_new, test_page);
  g_test_add_data_func ("/app/widgets/recovery-page", mw_recovery_page_new, test_page);
  g_test_add_data_func ("/app/widgets/assessment-page", mw_assessment_page_new, test_page);
  g_test_add_data_func ("/app/widgets/review-page", mw_review_page_new, test_page);
  g_test_add_data_func ("/app/widgets/delivery-page", mw_delivery_page_new, test_page);
  g_test_add_func ("/app/widgets/focus/before-map", test_focus_before_map);
  g_test_add_data_func ("/app/widgets/focus/profile-page", mw_profile_page_new, test_page_focus);
  g_test_add_data_func ("/app/widgets/focus/early-warning-page", mw_early_warning_page_new, test_page_focus);
  g_test_add_data_func ("/app/widgets/focus/when-page", mw_when_page_new, test_page_focus);
  g_test_add_data_func ("/app/widgets/focus/nature-page", mw_nature_page_new, test_page_focus);
  g_test_add_data_func ("/app/widgets/focus/recovery-page", mw_recovery_page_new, test_page_focus);
  g_test_add_func ("/app/widgets/profile-law-change", test_profile_law_change);
  g_test_add_func ("/app/widgets/describe-field", test_describe_field);
  g_test_add_func ("/app/widgets/review-shows-everything", test_review_shows_everything);
  g_test_add_func ("/app/widgets/deciding-facts-first", test_deciding_facts_first);
  g_test_add_func ("/app/widgets/taxonomy-dutch", test_taxonomy_dutch);
  g_test_add_func ("/app/widgets/window", test_window);
  g_test_add_func ("/app/widgets/window-state", test_window_state);
  g_test_add_func ("/app/widgets/window-without-schema", test_window_without_schema);
  /* Last: its Save stores a profile in the test database, after which a window starts as
   * for a returning user. */
  g_test_add_func ("/app/widgets/profile-window", test_profile_window);

  result = g_test_run ();

  g_unlink (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return result;
}
