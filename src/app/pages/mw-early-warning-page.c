/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwEarlyWarningPage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-choice-button.h"
#include "mw-early-warning-page.h"
#include "mw-first-frame.h"
#include "mw-time-row.h"

#define MAX_NAME_CHARS 200

/* The two questions of art. 26 (a) and (b), each answered Yes, No or Not known yet. */
static const struct {
  const char *path;
  const char *title;
} questions[] = {
  { "nature.suspected_unlawful", N_("Looks unlawful or malicious") },
  { "facts.cross_border", N_("May have cross-border impact") },
};

static const char * const answer_labels[] = { N_("Yes"), N_("No"), N_("Not known yet") };

struct _MwEarlyWarningPage
{
  MwPage               parent_instance;

  AdwPreferencesGroup *services_group;
  MwTimeRow           *aware_row;
  GtkToggleButton     *answers[G_N_ELEMENTS (questions)][3];
  AdwEntryRow         *contact_row;
  AdwPreferencesGroup *contact_group;
  GtkCheckButton      *full_check;
  GtkLabel            *problem_label;

  GPtrArray           *service_rows;
  GPtrArray           *service_checks;
  guint                loading : 1;
};

G_DEFINE_FINAL_TYPE (MwEarlyWarningPage, mw_early_warning_page, MW_TYPE_PAGE)

enum {
  PROP_0,
  PROP_FULL_DETAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static MwReport *
get_report (MwEarlyWarningPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));

  return session ? mw_session_get_report (session) : NULL;
}

/* The fields this page answers: the model decides whether they are complete. */
static const char *
row_title_for (const char *path)
{
  if (g_str_equal (path, "timeline.aware_at"))
    return _("Became aware");
  if (g_str_has_prefix (path, "service."))
    return _("Which service was hit?");
  if (g_str_has_prefix (path, "provider.contact"))
    return _("Contact official");
  for (guint i = 0; i < G_N_ELEMENTS (questions); i++)
    if (g_str_equal (path, questions[i].path))
      return _(questions[i].title);
  return NULL;
}

static void
update_complete (MwEarlyWarningPage *self)
{
  MwReport *report = get_report (self);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *text = NULL;

  if (report == NULL)
    {
      mw_page_set_complete (MW_PAGE (self), FALSE);
      return;
    }
  if (!mw_time_row_get_valid (self->aware_row))
    text = g_strdup (_("A time cannot be read: correct it as its row says, or press Now."));
  else
    {
      problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
      for (guint i = 0; text == NULL && i < problems->len; i++)
        {
          const MwProblem *problem = g_ptr_array_index (problems, i);
          const char *title = row_title_for (problem->path);

          /* With the full report the Affected service page asks the service. */
          if (title != NULL && !(g_str_has_prefix (problem->path, "service.") &&
                                 gtk_check_button_get_active (self->full_check)))
            /* Translators: a question of the early warning page: what the report says is wrong */
            text = g_strdup_printf (_("%s: %s"), title, problem->message);
        }
    }
  gtk_label_set_text (self->problem_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), text != NULL);
  mw_page_set_complete (MW_PAGE (self), text == NULL);
}

static void
aware_changed_cb (MwEarlyWarningPage *self)
{
  MwReport *report = get_report (self);
  g_autofree char *value = mw_time_row_dup_value (self->aware_row);

  if (!self->loading && report != NULL)
    {
      if (value != NULL)
        mw_report_set_string (report, "timeline.aware_at", value);
      else if (mw_report_is_known (report, "timeline.aware_at"))
        mw_report_set_unknown (report, "timeline.aware_at");
    }
  update_complete (self);
}

static void
service_toggled_cb (GtkCheckButton     *check,
                    MwEarlyWarningPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = get_report (self);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "index"));
  g_autoptr(MwService) service = NULL;

  if (self->loading || report == NULL || !gtk_check_button_get_active (check))
    return;
  service = g_list_model_get_item (mw_profile_get_services (mw_session_get_profile (session)), index);
  if (service == NULL)
    return;
  mw_report_set_string (report, "service.id", mw_service_get_id (service));
  mw_report_set_string (report, "service.name", mw_service_get_name (service));
  if (mw_service_get_network (service) != NULL)
    mw_report_set_string (report, "service.network", mw_service_get_network (service));
  update_complete (self);
}

/* Writes an answer: true, false, or null for "Not known yet" (an answer, unlike absent). */
static void
write_answer (MwReport   *report,
              const char *path,
              MwAnswer    answer)
{
  if (answer == MW_ANSWER_NOT_KNOWN)
    {
      g_autoptr(JsonNode) unknown = json_node_init_null (json_node_alloc ());

      mw_report_set_node (report, path, unknown);
    }
  else
    mw_report_set_boolean (report, path, answer == MW_ANSWER_YES);
}

static void
answer_toggled_cb (GtkToggleButton    *button,
                   MwEarlyWarningPage *self)
{
  MwReport *report = get_report (self);
  guint question = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "question"));
  guint answer = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "answer"));

  if (self->loading || report == NULL || !gtk_toggle_button_get_active (button))
    return;
  write_answer (report, questions[question].path, answer);
  update_complete (self);
}

static void
contact_changed_cb (MwEarlyWarningPage *self)
{
  MwReport *report = get_report (self);
  if (self->loading || report == NULL)
    return;
  mw_report_set_entered_text (report, "provider.contact.name",
                              gtk_editable_get_text (GTK_EDITABLE (self->contact_row)), MAX_NAME_CHARS);
  update_complete (self);
}

static void
full_changed_cb (MwEarlyWarningPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->services_group), !gtk_check_button_get_active (self->full_check));
  update_complete (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FULL_DETAILS]);
}

static void
rebuild_services (MwEarlyWarningPage *self,
                  MwReport           *report)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  GListModel *services = session ? mw_profile_get_services (mw_session_get_profile (session)) : NULL;
  const char *chosen = report ? mw_report_get_string (report, "service.id") : NULL;
  GtkCheckButton *group = NULL;

  for (guint i = 0; i < self->service_rows->len; i++)
    adw_preferences_group_remove (self->services_group, g_ptr_array_index (self->service_rows, i));
  g_ptr_array_set_size (self->service_rows, 0);
  g_ptr_array_set_size (self->service_checks, 0);

  for (guint i = 0; services != NULL && i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(MwService) service = g_list_model_get_item (services, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = mw_choice_button_new_radio ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mw_service_get_name (service));
      if (mw_service_get_network (service) != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), mw_service_get_network (service));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      else
        group = GTK_CHECK_BUTTON (check);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_strcmp0 (chosen, mw_service_get_id (service)) == 0);
      g_object_set_data (G_OBJECT (check), "index", GUINT_TO_POINTER (i));
      g_signal_connect (check, "toggled", G_CALLBACK (service_toggled_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->services_group, row);
      g_ptr_array_add (self->service_rows, row);
      g_ptr_array_add (self->service_checks, check);
    }
}

/* Shows the report's answers; changes nothing in it. */
static void
load (MwEarlyWarningPage *self)
{
  MwReport *report = get_report (self);
  const char *contact = report ? mw_report_get_string (report, "provider.contact.name") : NULL;

  self->loading = TRUE;
  mw_time_row_set_value (self->aware_row, report ? mw_report_get_string (report, "timeline.aware_at") : NULL);
  rebuild_services (self, report);
  for (guint q = 0; q < G_N_ELEMENTS (questions); q++)
    {
      JsonNode *node = report ? mw_report_get_node (report, questions[q].path) : NULL;
      gboolean value = FALSE;
      int answer = -1;

      if (node != NULL && JSON_NODE_HOLDS_NULL (node))
        answer = MW_ANSWER_NOT_KNOWN;
      else if (report != NULL && mw_report_get_boolean (report, questions[q].path, &value))
        answer = value ? MW_ANSWER_YES : MW_ANSWER_NO;
      for (guint a = 0; a < G_N_ELEMENTS (answer_labels); a++)
        gtk_toggle_button_set_active (self->answers[q][a], (int) a == answer);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->contact_row), contact ? contact : "");
  self->loading = FALSE;
  update_complete (self);
}

/* On the page: what the officer would enter anyway is there already. */
static void
mw_early_warning_page_shown (MwPage *page)
{
  MwEarlyWarningPage *self = MW_EARLY_WARNING_PAGE (page);
  MwReport *report = get_report (self);

  load (self);
  if (report == NULL)
    return;
  /* At 3 a.m. the officer becomes aware now: the time is there unless they change it. */
  if (mw_time_row_get_empty (self->aware_row))
    mw_time_row_set_now (self->aware_row);
  /* One service only: it is the one. */
  if (self->service_checks->len == 1 && mw_report_get_string (report, "service.id") == NULL)
    gtk_check_button_set_active (g_ptr_array_index (self->service_checks, 0), TRUE);
  update_complete (self);
}

static void
report_replaced_cb (MwEarlyWarningPage *self)
{
  /* A new report starts brief again. */
  gtk_check_button_set_active (self->full_check, FALSE);
  load (self);
}

static void
mw_early_warning_page_dispose (GObject *object)
{
  MwEarlyWarningPage *self = MW_EARLY_WARNING_PAGE (object);

  g_clear_pointer (&self->service_rows, g_ptr_array_unref);
  g_clear_pointer (&self->service_checks, g_ptr_array_unref);
  G_OBJECT_CLASS (mw_early_warning_page_parent_class)->dispose (object);
}

static void
mw_early_warning_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  MwEarlyWarningPage *self = MW_EARLY_WARNING_PAGE (object);

  switch (prop_id)
    {
    case PROP_FULL_DETAILS:
      g_value_set_boolean (value, mw_early_warning_page_get_full_details (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_early_warning_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  MwEarlyWarningPage *self = MW_EARLY_WARNING_PAGE (object);

  switch (prop_id)
    {
    case PROP_FULL_DETAILS:
      mw_early_warning_page_set_full_details (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_early_warning_page_constructed (GObject *object)
{
  MwEarlyWarningPage *self = MW_EARLY_WARNING_PAGE (object);
  MwSession *session;

  G_OBJECT_CLASS (mw_early_warning_page_parent_class)->constructed (object);

  session = mw_page_get_session (MW_PAGE (self));
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::report", G_CALLBACK (report_replaced_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "profile-changed", G_CALLBACK (load),
                               self, G_CONNECT_SWAPPED);
    }
  load (self);
}

static void
mw_early_warning_page_class_init (MwEarlyWarningPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->constructed = mw_early_warning_page_constructed;
  object_class->dispose = mw_early_warning_page_dispose;
  object_class->get_property = mw_early_warning_page_get_property;
  object_class->set_property = mw_early_warning_page_set_property;
  page_class->shown = mw_early_warning_page_shown;

  properties[PROP_FULL_DETAILS] =
    g_param_spec_boolean ("full-details", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

/* A question of its own group, its answers under it: side by side on a row they leave the
 * question too little room on a narrow window. */
static void
add_question (MwEarlyWarningPage *self,
              AdwPreferencesPage *page,
              guint               question)
{
  GtkWidget *group = mw_preferences_page_add_group (page, NULL, NULL);
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (_(questions[question].title));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  /* (A group's title is cut short on a narrow window; a label wraps.) */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (column), label);
  gtk_box_append (GTK_BOX (column), box);
  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_halign (box, GTK_ALIGN_START);
  for (guint a = 0; a < G_N_ELEMENTS (answer_labels); a++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (_(answer_labels[a]));
      /* Translators: accessible name of an answer button: "Yes: Looks unlawful or malicious" */
      g_autofree char *name = g_strdup_printf (_("%s: %s"), _(answer_labels[a]), _(questions[question].title));

      if (a > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->answers[question][0]);
      mw_widget_set_accessible_label (button, name);
      g_object_set_data (G_OBJECT (button), "question", GUINT_TO_POINTER (question));
      g_object_set_data (G_OBJECT (button), "answer", GUINT_TO_POINTER (a));
      g_signal_connect (button, "toggled", G_CALLBACK (answer_toggled_cb), self);
      gtk_box_append (GTK_BOX (box), button);
      self->answers[question][a] = GTK_TOGGLE_BUTTON (button);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), column);
}

static void
mw_early_warning_page_init (MwEarlyWarningPage *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  GtkWidget *group, *row;

  /* Translators: the title of the early warning's page, short for the header bar */
  mw_page_set_title (MW_PAGE (self), _("Warn now"));
  self->service_rows = g_ptr_array_new ();
  self->service_checks = g_ptr_array_new ();
  gtk_widget_set_parent (GTK_WIDGET (page), GTK_WIDGET (self));

  group = mw_preferences_page_add_group (page, _("Only what the law asks now"),
                     _("Art. 26 Cbw asks within 24 hours only this. What happened in detail, the impact and the recovery follow in the incident notification."));
  /* Named apart from the When page's row: both pages can be in the accessibility tree. */
  self->aware_row = MW_TIME_ROW (mw_time_row_new (_("Became _aware"), _("Time you became aware")));
  g_signal_connect_swapped (self->aware_row, "changed", G_CALLBACK (aware_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->aware_row));
  for (guint q = 0; q < G_N_ELEMENTS (questions); q++)
    add_question (self, page, q);

  self->services_group = ADW_PREFERENCES_GROUP (mw_preferences_page_add_group (page, _("Which service was hit?"),
                                                           _("Add services in your organisation profile.")));

  group = mw_preferences_page_add_group (page, _("Contact official"),
                     _("Who answers the CSIRT and the authority about this report, from your organisation profile."));
  self->contact_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->contact_row), _("Contact _official"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->contact_row), TRUE);
  g_signal_connect_swapped (self->contact_row, "changed", G_CALLBACK (contact_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->contact_row));
  /* Under the fold of a window at its default size: after the page's first frame. */
  mw_widget_show_after_first_frame (GTK_WIDGET (self), group);

  group = mw_preferences_page_add_group (page, NULL, NULL);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Describe the incident in _full now"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Off: sign the early warning now; the incident asks for the rest by the notification's deadline."));
  /* A check rather than a switch: it offers its toggling to assistive technologies. */
  self->full_check = GTK_CHECK_BUTTON (mw_choice_button_new ());
  mw_widget_set_accessible_label (GTK_WIDGET (self->full_check), _("Describe the incident in full now"));
  gtk_widget_set_valign (GTK_WIDGET (self->full_check), GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), GTK_WIDGET (self->full_check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->full_check));
  g_signal_connect_swapped (self->full_check, "notify::active", G_CALLBACK (full_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  self->problem_label = g_object_new (GTK_TYPE_LABEL, "wrap", TRUE, "xalign", 0.0f,
                                      "accessible-role", GTK_ACCESSIBLE_ROLE_STATUS, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->problem_label));
  mw_widget_show_after_first_frame (GTK_WIDGET (self), group);
}

GtkWidget *
mw_early_warning_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_EARLY_WARNING_PAGE, "session", session, NULL);
}

void
mw_early_warning_page_answer (MwEarlyWarningPage *self,
                              const char         *path,
                              MwAnswer            answer)
{
  g_return_if_fail (MW_IS_EARLY_WARNING_PAGE (self));
  g_return_if_fail (answer <= MW_ANSWER_NOT_KNOWN);

  for (guint q = 0; q < G_N_ELEMENTS (questions); q++)
    if (g_strcmp0 (path, questions[q].path) == 0)
      gtk_toggle_button_set_active (self->answers[q][answer], TRUE);
}

gboolean
mw_early_warning_page_get_full_details (MwEarlyWarningPage *self)
{
  g_return_val_if_fail (MW_IS_EARLY_WARNING_PAGE (self), FALSE);
  return gtk_check_button_get_active (self->full_check);
}

void
mw_early_warning_page_set_full_details (MwEarlyWarningPage *self,
                                        gboolean            full_details)
{
  g_return_if_fail (MW_IS_EARLY_WARNING_PAGE (self));
  /* The check notifies "full-details" when it changes. */
  gtk_check_button_set_active (self->full_check, full_details);
}
