/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwReviewPage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-json.h"
#include "mw-number.h"
#include "mw-review-page.h"
#include "mw-taxonomy.h"
#include "mw-vocabulary.h"

struct _MwReviewPage
{
  MwPage               parent_instance;

  AdwPreferencesGroup *summary_group;
  GtkSwitch           *share_switch;
  GtkSwitch           *consult_switch;
  GtkLabel            *sensitive_label;
  GtkLabel            *problems_label;
  AdwExpanderRow      *json_row;
  GtkLabel            *json_label;

  GPtrArray           *rows;
  guint                loading : 1;
};

G_DEFINE_FINAL_TYPE (MwReviewPage, mw_review_page, MW_TYPE_PAGE)

static MwReport *
get_report (MwReviewPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));

  return session ? mw_session_get_report (session) : NULL;
}

static void
add_summary_row (MwReviewPage *self,
                 const char   *title,
                 const char   *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value && *value ? value : _("Unknown"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (self->summary_group, row);
  g_ptr_array_add (self->rows, row);
}

static char *
format_time (MwReport   *report,
             const char *path)
{
  GDateTime *parsed = NULL;
  g_autoptr(GDateTime) local = NULL;
  const char *text = mw_report_get_string (report, path);

  if (text == NULL || !mw_parse_time (text, &parsed))
    return NULL;
  local = g_date_time_to_local (parsed);
  g_date_time_unref (parsed);
  return g_date_time_format (local, "%a %e %b %Y, %H:%M (UTC%:z)");
}

/* A vocabulary value for people ("malicious-action" → "Malicious action"). */
static const char *
enum_text (MwReport   *report,
           const char *path,
           GType       vocabulary)
{
  const char *nick = mw_report_get_string (report, path);
  int value;

  if (nick == NULL || !mw_enum_from_nick (vocabulary, nick, &value))
    return nick;
  return mw_enum_get_display_name (vocabulary, value);
}

static const char *
yes_no (MwReport   *report,
        const char *path)
{
  gboolean value;

  if (!mw_report_get_boolean (report, path, &value))
    return NULL;
  return value ? _("Yes") : _("No");
}

/* The affected aspects in words, as the Nature page asks them. */
static char *
dup_affected (MwReport *report)
{
  static const struct { const char *id; const char *label; } aspects[] = {
    { "availability", N_("Availability") },
    { "integrity", N_("Integrity") },
    { "confidentiality", N_("Confidentiality") },
    { "authenticity", N_("Authenticity") },
  };
  JsonNode *node = mw_report_get_node (report, "nature.affected");
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (aspects); j++)
      if (g_strcmp0 (json_array_get_string_element (array, i), aspects[j].id) == 0)
        g_ptr_array_add (texts, (gpointer) _(aspects[j].label));
  if (texts->len == 0)
    return g_strdup (_("Nothing"));
  return mw_join_for_sentence (texts);
}

/* Every answered fact the law asks about, as the user's language writes numbers. */
static void
add_fact_rows (MwReviewPage *self,
               MwRegime     *regime,
               MwReport     *report)
{
  GPtrArray *facts = regime ? mw_regime_get_facts (regime) : NULL;

  for (guint i = 0; facts != NULL && i < facts->len; i++)
    {
      const MwFactDef *fact = g_ptr_array_index (facts, i);
      g_autofree char *path = g_strconcat ("facts.", fact->id, NULL);
      const char *label = mw_label_get (&fact->label);
      const char *unit = mw_label_get (&fact->unit);
      g_autofree char *text = NULL;
      double number;

      if (!mw_report_is_known (report, path))
        continue;
      if (g_strcmp0 (fact->type, "bool") == 0)
        text = g_strdup (yes_no (report, path));
      else if (mw_report_get_number (report, path, &number))
        {
          g_autofree char *formatted = mw_number_format (number, mw_language ());

          text = unit && *unit ? g_strdup_printf ("%s %s", formatted, unit) : g_steal_pointer (&formatted);
        }
      if (text != NULL)
        add_summary_row (self, label ? label : _("Fact"), text);
    }
}

/* The verdict in words, as the assessment page says it (not the regime's identifier). */
static const char *
verdict_text (MwVerdict verdict)
{
  switch (verdict)
    {
    case MW_VERDICT_MANDATORY:
      return _("You must report this incident");
    case MW_VERDICT_UNDETERMINED:
      return _("Not yet decided: report when in doubt");
    default:
      return _("Reporting is voluntary");
    }
}

/* What this report is: its stage as the regime names it, and whether it updates one sent
 * before (a follow-up carries everything over and supersedes the earlier report). */
static char *
dup_report_kind (MwSession *session,
                 MwReport  *report)
{
  MwRegime *regime = session ? mw_session_get_regime (session) : NULL;
  const char *stage_id = mw_report_get_stage (report);
  const MwStage *stage = regime && stage_id ? mw_regime_find_stage (regime, stage_id) : NULL;
  const char *label = stage ? mw_label_get (&stage->label) : NULL;

  if (label == NULL || *label == '\0')
    label = stage_id;
  if (mw_report_get_string (report, "supersedes") != NULL)
    /* Translators: %s is the kind of report, e.g. "Incident notification" */
    return g_strdup_printf (_("%s, updating the report sent earlier"), label ? label : "");
  return g_strdup (label);
}

static void
refresh (MwReviewPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = get_report (self);
  MwAssessment *assessment = session ? mw_session_get_assessment (session) : NULL;
  g_autoptr(GPtrArray) sensitive = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *names = NULL;
  g_autofree char *button = NULL;
  g_autofree char *json = NULL;
  const char *category;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->summary_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  if (report == NULL)
    {
      mw_page_set_complete (MW_PAGE (self), FALSE);
      return;
    }

  {
    g_autofree char *started = format_time (report, "timeline.started_at");
    g_autofree char *aware = format_time (report, "timeline.aware_at");
    g_autofree char *forecast = format_time (report, "recovery.forecast_at");
    g_autofree char *detected = format_time (report, "timeline.detected_at");
    g_autofree char *resolved = format_time (report, "timeline.resolved_at");
    g_autofree char *affected = dup_affected (report);
    g_autofree char *kind = dup_report_kind (session, report);
    const MwTaxonomyEntry *entry;

    add_summary_row (self, _("Report"), kind);
    add_summary_row (self, _("Organisation"), mw_report_get_string (report, "provider.name"));
    add_summary_row (self, _("Summary"), mw_report_get_string (report, "nature.summary"));
    add_summary_row (self, _("Started"), started);
    add_summary_row (self, _("Detected"), detected);
    add_summary_row (self, _("Aware since"), aware);
    if (mw_report_is_known (report, "timeline.resolved_at"))
      add_summary_row (self, _("Resolved"), resolved);
    else
      add_summary_row (self, _("Resolved"), _("No, still going on"));
    category = mw_report_get_string (report, "nature.category");
    entry = category ? mw_taxonomy_lookup (category) : NULL;
    if (entry != NULL)
      {
        g_autofree char *text = g_strdup_printf ("%s — %s", mw_taxonomy_entry_get_class_label (entry),
                                              mw_taxonomy_entry_get_type_label (entry));

        add_summary_row (self, _("Classification"), text);
      }
    else
      add_summary_row (self, _("Classification"), category);
    add_summary_row (self, _("Cause"), enum_text (report, "nature.cause", MW_TYPE_CAUSE));
    add_summary_row (self, _("Suspected unlawful or malicious"),
                     yes_no (report, "nature.suspected_unlawful"));
    add_summary_row (self, _("What was affected?"), affected);
    add_summary_row (self, _("Description"), mw_report_get_string (report, "nature.description"));
    add_fact_rows (self, session ? mw_session_get_regime (session) : NULL, report);
    add_summary_row (self, _("Service"), mw_report_get_string (report, "service.name"));
    add_summary_row (self, _("Network or location"), mw_report_get_string (report, "service.network"));
    add_summary_row (self, _("Status"), enum_text (report, "recovery.status", MW_TYPE_RECOVERY_STATUS));
    add_summary_row (self, _("Expected restoration"), forecast);
    add_summary_row (self, _("Measures"), mw_report_get_string (report, "recovery.measures"));
    add_summary_row (self, _("Ask the CSIRT for help"), yes_no (report, "recovery.csirt_help_requested"));
    add_summary_row (self, _("Contact for reports"), mw_report_get_string (report, "provider.contact.name"));
    if (assessment != NULL)
      add_summary_row (self, _("Verdict"), verdict_text (mw_assessment_get_verdict (assessment)));
    if (mw_report_get_training (report))
      add_summary_row (self, _("Mode"), _("Training: goes to the practice intake only"));
  }

  /* Special categories of personal data must not reach the NCSC. */
  sensitive = mw_report_find_sensitive_text (report);
  if (sensitive->len > 0)
    {
      g_autoptr(GString) text = g_string_new (_("Check before sending: the text may hold special categories of personal data."));

      for (guint i = 0; i < sensitive->len; i++)
        {
          const MwProblem *problem = g_ptr_array_index (sensitive, i);

          g_autofree char *where = mw_describe_field (session ? mw_session_get_regime (session) : NULL,
                                                      problem->path);

          g_string_append_printf (text, "\n• %s: %s", where, problem->message);
        }
      gtk_label_set_text (self->sensitive_label, text->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sensitive_label), sensitive->len > 0);

  problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  if (problems->len > 0)
    {
      g_autoptr(GString) text = g_string_new (_("Before you can send, go back and fix:"));

      for (guint i = 0; i < problems->len; i++)
        {
          const MwProblem *problem = g_ptr_array_index (problems, i);

          g_autofree char *where = mw_describe_field (session ? mw_session_get_regime (session) : NULL,
                                                      problem->path);

          g_string_append_printf (text, "\n• %s: %s", where, problem->message);
        }
      gtk_label_set_text (self->problems_label, text->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), problems->len > 0);

  json = mw_report_to_json (report);
  gtk_label_set_text (self->json_label, json);

  names = session ? mw_session_dup_recipient_names (session) : NULL;
  if (names != NULL)
    /* Translators: %s names the recipients, e.g. "NCSC and RDI" */
    button = g_strdup_printf (_("_Sign and send to %s"), names);
  else
    button = g_strdup (_("_Sign and send"));
  mw_page_set_next_label (MW_PAGE (self), button);
  mw_page_set_complete (MW_PAGE (self), problems->len == 0 && names != NULL &&
                        session != NULL && !mw_session_get_submitted (session));
}

static void
consent_changed_cb (MwReviewPage *self)
{
  MwReport *report = get_report (self);

  if (self->loading || report == NULL)
    return;
  mw_report_set_boolean (report, "consent.csirt_may_share_identifiable",
                         gtk_switch_get_active (self->share_switch));
  mw_report_set_boolean (report, "consent.csirt_may_consult_regulator",
                         gtk_switch_get_active (self->consult_switch));
  refresh (self);
}

static void
mw_review_page_shown (MwPage *page)
{
  MwReviewPage *self = MW_REVIEW_PAGE (page);
  MwReport *report = get_report (self);
  gboolean share = FALSE, consult = FALSE;

  self->loading = TRUE;
  if (report != NULL)
    {
      mw_report_get_boolean (report, "consent.csirt_may_share_identifiable", &share);
      mw_report_get_boolean (report, "consent.csirt_may_consult_regulator", &consult);
    }
  gtk_switch_set_active (self->share_switch, share);
  gtk_switch_set_active (self->consult_switch, consult);
  self->loading = FALSE;
  /* The report says exactly what the switches show. */
  if (report != NULL &&
      (!mw_report_is_known (report, "consent.csirt_may_share_identifiable") ||
       !mw_report_is_known (report, "consent.csirt_may_consult_regulator")))
    consent_changed_cb (self);
  refresh (self);
}

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_session_submit_finish (MW_SESSION (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Signing and storing run off the main thread (MwFiling): the window stays responsive. */
static void
mw_review_page_apply_async (MwPage              *page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MwSession *session = mw_page_get_session (page);
  g_autoptr(GTask) task = g_task_new (page, cancellable, callback, user_data);

  g_task_set_source_tag (task, mw_review_page_apply_async);
  if (session == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "no session");
  else
    mw_session_submit_async (session, cancellable, submitted_cb, g_steal_pointer (&task));
}

static void
mw_review_page_dispose (GObject *object)
{
  MwReviewPage *self = MW_REVIEW_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_REVIEW_PAGE);
  G_OBJECT_CLASS (mw_review_page_parent_class)->dispose (object);
}

static void
mw_review_page_constructed (GObject *object)
{
  MwReviewPage *self = MW_REVIEW_PAGE (object);
  MwSession *session;

  G_OBJECT_CLASS (mw_review_page_parent_class)->constructed (object);
  session = mw_page_get_session (MW_PAGE (self));
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::assessment", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::submitted", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
    }
  refresh (self);
}

static void
mw_review_page_class_init (MwReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->constructed = mw_review_page_constructed;
  object_class->dispose = mw_review_page_dispose;
  page_class->shown = mw_review_page_shown;
  page_class->apply_async = mw_review_page_apply_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwReviewPage, summary_group);
  gtk_widget_class_bind_template_child (widget_class, MwReviewPage, share_switch);
  gtk_widget_class_bind_template_child (widget_class, MwReviewPage, consult_switch);
  gtk_widget_class_bind_template_child (widget_class, MwReviewPage, sensitive_label);
  gtk_widget_class_bind_template_child (widget_class, MwReviewPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, MwReviewPage, json_row);
  gtk_widget_class_bind_template_child (widget_class, MwReviewPage, json_label);
}

static void
mw_review_page_init (MwReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  g_signal_connect_swapped (self->share_switch, "notify::active", G_CALLBACK (consent_changed_cb), self);
  g_signal_connect_swapped (self->consult_switch, "notify::active", G_CALLBACK (consent_changed_cb), self);
}

GtkWidget *
mw_review_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_REVIEW_PAGE, "session", session, NULL);
}

gboolean
mw_review_page_get_sensitive_shown (MwReviewPage *self)
{
  g_return_val_if_fail (MW_IS_REVIEW_PAGE (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->sensitive_label));
}
