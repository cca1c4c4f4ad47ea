/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwAssessmentPage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-assessment-page.h"
#include "mw-assistant.h"
#include "mw-expr.h"
#include "mw-nature-page.h"
#include "mw-term.h"

struct _MwAssessmentPage
{
  MwPage               parent_instance;

  GtkLabel            *verdict_label;
  GtkLabel            *explanation_label;
  GtkLabel            *uncertainty_label;
  GtkLabel            *law_label;
  GtkButton           *other_law_button;
  AdwPreferencesGroup *deciding_group;
  AdwPreferencesGroup *criteria_group;
  AdwPreferencesGroup *exclusions_group;
  AdwPreferencesGroup *recipients_group;
  AdwPreferencesGroup *deadlines_group;
  AdwPreferencesGroup *advisory_group;

  GPtrArray           *rows[6];   /* rows added to each group, by GroupIndex */
  gboolean             reminder_shown;
};

G_DEFINE_FINAL_TYPE (MwAssessmentPage, mw_assessment_page, MW_TYPE_PAGE)

typedef enum {
  G_DECIDING,
  G_CRITERIA,
  G_EXCLUSIONS,
  G_RECIPIENTS,
  G_DEADLINES,
  G_ADVISORY,
} GroupIndex;

static AdwPreferencesGroup *
group_at (MwAssessmentPage *self,
          GroupIndex        index)
{
  AdwPreferencesGroup *groups[] = { self->deciding_group, self->criteria_group, self->exclusions_group,
                                    self->recipients_group, self->deadlines_group, self->advisory_group };
  return groups[index];
}

static void
clear_groups (MwAssessmentPage *self)
{
  for (guint g = 0; g < G_N_ELEMENTS (self->rows); g++)
    {
      for (guint i = 0; i < self->rows[g]->len; i++)
        adw_preferences_group_remove (group_at (self, g), g_ptr_array_index (self->rows[g], i));
      g_ptr_array_set_size (self->rows[g], 0);
    }
}

static GtkWidget *
add_row (MwAssessmentPage *self,
         GroupIndex        index,
         const char       *title,
         const char       *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (group_at (self, index), row);
  g_ptr_array_add (self->rows[index], row);
  return row;
}

/* The question to go back to for @fact_id: itself when the entity type asks it, else the
 * first asked fact it is derived from (answered ones first when @prefer_known). */
static const char *
asked_fact (MwRegime           *regime,
            const MwEntityType *type,
            MwReport           *report,
            GPtrArray          *names,
            gboolean            prefer_known)
{
  for (guint pass = prefer_known ? 0 : 1; pass < 2; pass++)
    for (guint i = 0; i < names->len; i++)
      {
        const char *name = g_ptr_array_index (names, i);
        g_autofree char *path = g_strconcat ("facts.", name, NULL);
        const MwFactDef *fact = mw_regime_find_fact (regime, name);

        if (fact == NULL || (pass == 0 && !mw_report_is_known (report, path)))
          continue;
        if (g_strcmp0 (fact->type, "derived") == 0 && fact->expr != NULL)
          {
            g_autoptr(GPtrArray) sources = g_ptr_array_new ();
            const char *found;

            mw_expr_collect_facts (fact->expr, sources);
            found = asked_fact (regime, type, report, sources, pass == 0);
            if (found != NULL)
              return found;
            continue;
          }
        for (guint t = 0; t < type->facts->len; t++)
          if (g_ptr_array_index (type->facts, t) == fact)
            return fact->id;
      }
  return NULL;
}

/* Back to the Nature page, the cursor in the question. */
static void
go_to_question_cb (GtkButton        *button,
                   MwAssessmentPage *self)
{
  const char *fact_id = g_object_get_data (G_OBJECT (button), "fact-id");
  GtkWidget *assistant = gtk_widget_get_ancestor (GTK_WIDGET (self), MW_TYPE_ASSISTANT);
  MwPage *nature;

  if (assistant == NULL)
    return;
  nature = mw_assistant_find_page (MW_ASSISTANT (assistant), MW_TYPE_NATURE_PAGE);
  if (nature == NULL)
    return;
  mw_assistant_set_current_page (MW_ASSISTANT (assistant), nature);
  mw_nature_page_focus_fact (MW_NATURE_PAGE (nature), fact_id);
}

static void
add_question_link (MwAssessmentPage *self,
                   GtkWidget        *row,
                   const char       *fact_id,
                   const char       *question)
{
  GtkWidget *button;
  g_autofree char *name = NULL;

  if (fact_id == NULL)
    return;
  button = gtk_button_new_from_icon_name ("document-edit-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Go to the question"));
  /* Translators: accessible name of a button; %s is a question of the form */
  name = g_strdup_printf (_("Go to the question: %s"), question);
  mw_widget_set_accessible_label (button, name);
  g_object_set_data_full (G_OBJECT (button), "fact-id", g_strdup (fact_id), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (go_to_question_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

static const char *
fact_label (MwRegime   *regime,
            const char *fact_id)
{
  const MwFactDef *fact = regime ? mw_regime_find_fact (regime, fact_id) : NULL;
  const char *label = fact ? mw_label_get (&fact->label) : NULL;

  return label ? label : fact_id;
}

static void
add_status (GtkWidget *row,
            MwStatus   status)
{
  GtkWidget *label;

  switch (status)
    {
    case MW_STATUS_MET:
      label = gtk_label_new (_("Met"));
      gtk_widget_add_css_class (label, "status-met");
      break;
    case MW_STATUS_NOT_MET:
      label = gtk_label_new (_("Not met"));
      gtk_widget_add_css_class (label, "status-not-met");
      break;
    case MW_STATUS_EXCLUDED:
      label = gtk_label_new (_("Excluded"));
      gtk_widget_add_css_class (label, "status-not-met");
      break;
    default:
      label = gtk_label_new (_("Unknown"));
      gtk_widget_add_css_class (label, "status-unknown");
    }
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

static char *
join_missing (MwRegime  *regime,
              GPtrArray *missing)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; missing && i < missing->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, fact_label (regime, g_ptr_array_index (missing, i)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_criterion_rows (MwAssessmentPage   *self,
                    GroupIndex          index,
                    MwRegime           *regime,
                    const MwEntityType *type,
                    MwReport           *report,
                    GPtrArray          *results)
{
  /* What decides the verdict first: met, then unknown, then not met. */
  static const MwStatus order[] = { MW_STATUS_MET, MW_STATUS_UNKNOWN, MW_STATUS_NOT_MET, MW_STATUS_EXCLUDED };

  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    {
      for (guint i = 0; i < results->len; i++)
        {
          const MwCriterionResult *result = g_ptr_array_index (results, i);
          const char *label = mw_label_get (&result->criterion->label);
          g_autofree char *subtitle = NULL;
          GtkWidget *row;

          if (result->status != order[o])
            continue;
          if (result->status == MW_STATUS_UNKNOWN && result->missing && result->missing->len > 0)
            {
              g_autofree char *missing = join_missing (regime, result->missing);

              /* Translators: a legal citation, then the facts still unknown */
              subtitle = g_strdup_printf (_("%s — still unknown: %s"), mw_label_get (&result->criterion->citation_label), missing);
            }
          else
            subtitle = g_strdup (mw_label_get (&result->criterion->citation_label));
          row = add_row (self, index, label ? label : result->criterion->id, subtitle);
          add_status (row, result->status);
          /* A criterion met or an exclusion applying: the answer that decided it. */
          if (result->status == MW_STATUS_MET && result->criterion->when != NULL &&
              type != NULL && report != NULL)
            {
              g_autoptr(GPtrArray) names = g_ptr_array_new ();
              const char *fact_id;

              mw_expr_collect_facts (result->criterion->when, names);
              fact_id = asked_fact (regime, type, report, names, TRUE);
              if (fact_id != NULL)
                add_question_link (self, row, fact_id, fact_label (regime, fact_id));
            }
        }
    }
}

/* In Dutch time, and the user's own where it differs; a day term ends at 24:00. */
static void
format_due (GDateTime     *due,
            const MwStage *stage,
            GString       *out)
{
  g_autofree char *when = mw_format_due (due, stage != NULL && stage->hours == 0);

  g_string_append (out, when);
}

static void
other_law_clicked_cb (MwAssessmentPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  const char *id = g_object_get_data (G_OBJECT (self->other_law_button), "regime-id");

  if (session != NULL && id != NULL)
    mw_session_choose_law (session, id);
}

static void
rebuild (MwAssessmentPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwAssessment *assessment = session ? mw_session_get_assessment (session) : NULL;
  MwRegime *regime;
  const MwEntityType *type;
  MwReport *report;
  GPtrArray *deciding, *exclusions, *recipients, *deadlines, *advisories;
  g_autofree char *explanation = NULL;
  const char *verdict_text, *verdict_class;

  clear_groups (self);
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "verdict-mandatory");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "verdict-undetermined");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "verdict-voluntary");

  if (assessment == NULL)
    {
      gtk_label_set_text (self->verdict_label, _("Not assessed yet"));
      gtk_label_set_text (self->explanation_label,
                          _("Choose your entity type in the organisation profile to assess the incident."));
      mw_page_set_complete (MW_PAGE (self), FALSE);
      for (guint g = 0; g < G_N_ELEMENTS (self->rows); g++)
        gtk_widget_set_visible (GTK_WIDGET (group_at (self, g)), FALSE);
      return;
    }

  regime = mw_assessment_get_regime (assessment);
  type = mw_assessment_get_entity_type (assessment);
  report = mw_session_get_report (session);
  switch (mw_assessment_get_verdict (assessment))
    {
    case MW_VERDICT_MANDATORY:
      verdict_text = _("You must report this incident");
      verdict_class = "verdict-mandatory";
      explanation = g_strdup (_("At least one legal criterion is met and no exclusion applies. Report without delay."));
      break;
    case MW_VERDICT_UNDETERMINED:
      verdict_text = _("Not yet decided: report when in doubt");
      verdict_class = "verdict-undetermined";
      explanation = g_strdup (_("No criterion is met yet, but some depend on answers you have not given. The answers below would decide it. Reporting now is advised."));
      break;
    default:
      verdict_text = _("Reporting is voluntary");
      verdict_class = "verdict-voluntary";
      explanation = g_strdup (_("No criterion is met, or an exclusion applies. You may still report voluntarily: it helps the CSIRT see the wider picture."));
    }
  /* A near-miss or a threat is a voluntary report to the CSIRT (Cbw art. 33). */
  if (mw_assessment_get_voluntary_kind (assessment) != NULL)
    {
      const MwVoluntaryKind *rule = mw_assessment_get_voluntary_kind (assessment);

      g_free (explanation);
      explanation = g_strdup_printf ("%s (%s)", mw_label_get (&rule->label), mw_label_get (&rule->citation_label));
    }

  /* What else the law asks with this verdict (Cbw art. 30: inform the recipients). */
  self->reminder_shown = FALSE;
  for (guint i = 0; i < mw_assessment_get_reminders (assessment)->len; i++)
    {
      const MwReminder *reminder = g_ptr_array_index (mw_assessment_get_reminders (assessment), i);
      char *longer = g_strdup_printf ("%s\n\n%s (%s)", explanation, mw_label_get (&reminder->label),
                                      mw_label_get (&reminder->citation_label));

      g_free (explanation);
      explanation = longer;
      self->reminder_shown = TRUE;
    }

  gtk_label_set_text (self->verdict_label, verdict_text);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), verdict_class);
  gtk_label_set_text (self->explanation_label, explanation);

  /* Which law applies and why; the other when the incident straddles a change of law. */
  {
    const char *reason = mw_session_get_law_reason (session);
    MwRegime *other = mw_session_get_other_law (session);
    if (reason != NULL)
      gtk_label_set_text (self->law_label, reason);
    gtk_widget_set_visible (GTK_WIDGET (self->law_label), reason != NULL);
    if (other != NULL)
      {
        /* Translators: %s is the name of a law, e.g. "Wet beveiliging netwerk- en informatiesystemen (Wbni)" */
        g_autofree char *label = g_strdup_printf (_("Assess under %s instead"), mw_label_get (mw_regime_get_title (other)));

        gtk_button_set_label (self->other_law_button, label);
        g_object_set_data_full (G_OBJECT (self->other_law_button), "regime-id",
                                g_strdup (mw_regime_get_id (other)), g_free);
      }
    gtk_widget_set_visible (GTK_WIDGET (self->other_law_button), other != NULL);
  }

  /* Say so when the law itself is not certain (e.g. the Cbw's entry into force). */
  if (mw_regime_get_effective_uncertain (regime) && mw_label_get (mw_regime_get_uncertainty (regime)) != NULL)
    {
      g_autofree char *note = g_strdup_printf (_("Note: %s"), mw_label_get (mw_regime_get_uncertainty (regime)));

      gtk_label_set_text (self->uncertainty_label, note);
      gtk_widget_set_visible (GTK_WIDGET (self->uncertainty_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->uncertainty_label), FALSE);

  /* Deciding answers. */
  deciding = mw_assessment_get_deciding_facts (assessment);
  for (guint i = 0; deciding && i < deciding->len; i++)
    {
      const char *fact_id = g_ptr_array_index (deciding, i);
      const MwFactDef *fact = mw_regime_find_fact (regime, fact_id);

      GtkWidget *row = add_row (self, G_DECIDING, fact_label (regime, fact_id),
                                fact ? mw_label_get (&fact->help) : NULL);
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, (gpointer) fact_id);
      add_question_link (self, row, type && report ? asked_fact (regime, type, report, one, FALSE) : NULL,
                         fact_label (regime, fact_id));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->deciding_group),
                          mw_assessment_get_verdict (assessment) == MW_VERDICT_UNDETERMINED &&
                          self->rows[G_DECIDING]->len > 0);

  add_criterion_rows (self, G_CRITERIA, regime, type, report, mw_assessment_get_criteria (assessment));
  gtk_widget_set_visible (GTK_WIDGET (self->criteria_group), TRUE);

  exclusions = mw_assessment_get_exclusions (assessment);
  add_criterion_rows (self, G_EXCLUSIONS, regime, type, report, exclusions);
  gtk_widget_set_visible (GTK_WIDGET (self->exclusions_group), exclusions->len > 0);

  recipients = mw_assessment_get_recipients (assessment);
  for (guint i = 0; i < recipients->len; i++)
    {
      const MwRecipient *recipient = g_ptr_array_index (recipients, i);
      const char *name = mw_label_get (&recipient->name);
      const char *role;

      if (g_strcmp0 (recipient->role, "csirt") == 0)
        role = _("CSIRT");
      else if (g_strcmp0 (recipient->role, "competent-authority") == 0)
        role = _("Competent authority");
      else
        role = _("Advisory");
      add_row (self, G_RECIPIENTS, name ? name : recipient->id, role);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recipients_group), TRUE);

  deadlines = mw_assessment_get_deadlines (assessment);
  for (guint i = 0; i < deadlines->len; i++)
    {
      const MwDeadline *deadline = g_ptr_array_index (deadlines, i);
      const char *label = mw_label_get (&deadline->stage->label);
      g_autoptr(GString) subtitle = g_string_new (NULL);

      if (deadline->due != NULL)
        {
          format_due (deadline->due, deadline->stage, subtitle);
          if (deadline->extension != NULL)
            g_string_append_printf (subtitle, " — %s", deadline->extension);
        }
      else if (deadline->stage->without_delay)
        g_string_append (subtitle, _("Without delay"));
      else if (!deadline->stage->has_deadline)
        g_string_append (subtitle, _("When the CSIRT or the authority asks"));
      else
        g_string_append (subtitle, _("Not known yet: enter the times on the When page"));
      add_row (self, G_DEADLINES, label ? label : deadline->stage->id, subtitle->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->deadlines_group), deadlines->len > 0);

  advisories = mw_assessment_get_advisories (assessment);
  for (guint i = 0; i < advisories->len; i++)
    {
      const MwAdvisoryResult *advisory = g_ptr_array_index (advisories, i);
      const char *label = mw_label_get (&advisory->advisory->label);
      const char *who = advisory->advisory->recipient ? mw_label_get (&advisory->advisory->recipient->name) : NULL;
      g_autoptr(GString) subtitle = g_string_new (mw_label_get (&advisory->advisory->citation_label));
      GtkWidget *row;

      if (who != NULL)
        g_string_append_printf (subtitle, " — %s", who);
      if (advisory->due != NULL)
        {
          g_string_append (subtitle, " — ");
          /* Translators: followed by a date and time */
          g_string_append (subtitle, _("due "));
          format_due (advisory->due, &advisory->advisory->deadline, subtitle);
        }
      if (advisory->status == MW_STATUS_UNKNOWN)
        {
          g_string_append (subtitle, " — ");
          g_string_append (subtitle, _("applies if personal data is involved: answer that question to know"));
        }
      g_string_append (subtitle, " — ");
      g_string_append (subtitle, _("This app does not file it for you: use the authority’s own form."));
      row = add_row (self, G_ADVISORY, label ? label : advisory->advisory->id, subtitle->str);
      add_status (row, advisory->status);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->advisory_group), advisories->len > 0);

  mw_page_set_complete (MW_PAGE (self), recipients->len > 0);
}

static void
mw_assessment_page_shown (MwPage *page)
{
  rebuild (MW_ASSESSMENT_PAGE (page));
}

static void
mw_assessment_page_dispose (GObject *object)
{
  MwAssessmentPage *self = MW_ASSESSMENT_PAGE (object);

  for (guint g = 0; g < G_N_ELEMENTS (self->rows); g++)
    g_clear_pointer (&self->rows[g], g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ASSESSMENT_PAGE);
  G_OBJECT_CLASS (mw_assessment_page_parent_class)->dispose (object);
}

static void
mw_assessment_page_constructed (GObject *object)
{
  MwAssessmentPage *self = MW_ASSESSMENT_PAGE (object);
  MwSession *session;

  G_OBJECT_CLASS (mw_assessment_page_parent_class)->constructed (object);

  session = mw_page_get_session (MW_PAGE (self));
  if (session != NULL)
    g_signal_connect_object (session, "notify::assessment", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
  rebuild (self);
}

static void
mw_assessment_page_class_init (MwAssessmentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->constructed = mw_assessment_page_constructed;
  object_class->dispose = mw_assessment_page_dispose;
  page_class->shown = mw_assessment_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-assessment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, uncertainty_label);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, law_label);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, other_law_button);
  gtk_widget_class_bind_template_callback (widget_class, other_law_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, deciding_group);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, criteria_group);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, exclusions_group);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, recipients_group);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, deadlines_group);
  gtk_widget_class_bind_template_child (widget_class, MwAssessmentPage, advisory_group);
}

static void
mw_assessment_page_init (MwAssessmentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint g = 0; g < G_N_ELEMENTS (self->rows); g++)
    self->rows[g] = g_ptr_array_new ();
}

GtkWidget *
mw_assessment_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_ASSESSMENT_PAGE, "session", session, NULL);
}

const char *
mw_assessment_page_get_verdict_text (MwAssessmentPage *self)
{
  g_return_val_if_fail (MW_IS_ASSESSMENT_PAGE (self), NULL);
  return gtk_label_get_text (self->verdict_label);
}

guint
mw_assessment_page_get_n_criteria (MwAssessmentPage *self)
{
  g_return_val_if_fail (MW_IS_ASSESSMENT_PAGE (self), 0);
  return self->rows[G_CRITERIA]->len;
}

guint
mw_assessment_page_get_n_deciding (MwAssessmentPage *self)
{
  g_return_val_if_fail (MW_IS_ASSESSMENT_PAGE (self), 0);
  return self->rows[G_DECIDING]->len;
}

gboolean
mw_assessment_page_get_reminder_shown (MwAssessmentPage *self)
{
  g_return_val_if_fail (MW_IS_ASSESSMENT_PAGE (self), FALSE);
  return self->reminder_shown;
}

gboolean
mw_assessment_page_get_gdpr_shown (MwAssessmentPage *self)
{
  g_return_val_if_fail (MW_IS_ASSESSMENT_PAGE (self), FALSE);
  return self->rows[G_ADVISORY]->len > 0;
}
