/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwWhenPage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-when-page.h"

/* Clocks differ a little; a time a few minutes ahead is not "in the future". */
#define FUTURE_SLACK (5 * G_TIME_SPAN_MINUTE)

struct _MwWhenPage
{
  MwPage               parent_instance;

  AdwPreferencesGroup *times_group;
  AdwPreferencesGroup *status_group;
  AdwActionRow        *resolved_row;
  GtkSwitch           *resolved_switch;
  AdwPreferencesGroup *deadlines_group;
  GtkLabel            *problem_label;

  MwTimeRow           *rows[4];
  GPtrArray           *deadline_rows;
  guint                loading : 1;
};

G_DEFINE_FINAL_TYPE (MwWhenPage, mw_when_page, MW_TYPE_PAGE)

enum { STARTED, DETECTED, AWARE, RESOLVED };

static const char * const field_names[] = { "started_at", "detected_at", "aware_at", "resolved_at" };

static GDateTime *
parse_or_null (const char *text)
{
  GDateTime *parsed = NULL;

  if (text == NULL || !mw_parse_time (text, &parsed))
    return NULL;
  return parsed;
}

char *
mw_check_timeline (const char  *started_at,
                   const char  *detected_at,
                   const char  *aware_at,
                   gboolean     resolved,
                   const char  *resolved_at,
                   GDateTime   *now,
                   const char **field)
{
  g_autoptr(GDateTime) started = parse_or_null (started_at);
  g_autoptr(GDateTime) detected = parse_or_null (detected_at);
  g_autoptr(GDateTime) aware = parse_or_null (aware_at);
  g_autoptr(GDateTime) resolved_time = parse_or_null (resolved_at);
  GDateTime *all[] = { started, detected, aware, resolved_time };
  const char *dummy;

  if (field == NULL)
    field = &dummy;
  *field = NULL;

  if (aware == NULL)
    {
      *field = "aware_at";
      return g_strdup (_("Enter when you became aware of the incident (press Now if that is now): the deadlines count from then."));
    }
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (all[i] != NULL && now != NULL && g_date_time_difference (all[i], now) > FUTURE_SLACK)
      {
        *field = field_names[i];
        return g_strdup (_("A time lies in the future. Check the date and the hour."));
      }
  if (started != NULL && detected != NULL && g_date_time_compare (started, detected) > 0)
    {
      *field = "detected_at";
      return g_strdup (_("Detection cannot come before the start. Correct the start or the detection time."));
    }
  if (detected != NULL && g_date_time_compare (detected, aware) > 0)
    {
      *field = "aware_at";
      return g_strdup (_("You cannot have been aware before it was detected. Correct the detection or the awareness time."));
    }
  if (started != NULL && g_date_time_compare (started, aware) > 0)
    {
      *field = "aware_at";
      return g_strdup (_("You cannot have been aware before it started. Correct the start or the awareness time."));
    }
  if (resolved && resolved_time == NULL)
    {
      *field = "resolved_at";
      return g_strdup (_("Enter when the incident was resolved, or switch Resolved off."));
    }
  if (resolved && started != NULL && g_date_time_compare (started, resolved_time) > 0)
    {
      *field = "resolved_at";
      return g_strdup (_("The incident cannot be resolved before it started. Correct the resolution time."));
    }
  return NULL;
}

static char *
format_relative (GDateTime *due,
                 GDateTime *now)
{
  GTimeSpan diff = g_date_time_difference (due, now);
  int hours = (int) MIN (ABS (diff) / G_TIME_SPAN_HOUR, G_MAXINT);
  int minutes = (int) ((ABS (diff) % G_TIME_SPAN_HOUR) / G_TIME_SPAN_MINUTE);

  if (diff >= 0)
    /* Translators: time left until a deadline */
    return g_strdup_printf (_("in %d h %02d min"), hours, minutes);
  /* Translators: a deadline that has passed */
  return g_strdup_printf (_("overdue by %d h %02d min"), hours, minutes);
}

static void
rebuild_deadlines (MwWhenPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwAssessment *assessment = session ? mw_session_get_assessment (session) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GPtrArray *deadlines;

  for (guint i = 0; i < self->deadline_rows->len; i++)
    adw_preferences_group_remove (self->deadlines_group, g_ptr_array_index (self->deadline_rows, i));
  g_ptr_array_set_size (self->deadline_rows, 0);

  if (assessment == NULL)
    {
      adw_preferences_group_set_description (self->deadlines_group,
                                             _("Shown as soon as the awareness time and your entity type are known."));
      return;
    }
  adw_preferences_group_set_description (self->deadlines_group, NULL);
  deadlines = mw_assessment_get_deadlines (assessment);
  for (guint i = 0; i < deadlines->len; i++)
    {
      const MwDeadline *deadline = g_ptr_array_index (deadlines, i);
      GtkWidget *row = adw_action_row_new ();
      const char *label = mw_label_get (&deadline->stage->label);
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label ? label : deadline->stage->id);
      if (deadline->due != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (deadline->due);
          g_autofree char *when = g_date_time_format (local, "%a %e %b %Y, %H:%M");
          g_autofree char *relative = format_relative (deadline->due, now);

          subtitle = g_strdup_printf ("%s — %s", when, relative);
          if (g_date_time_compare (deadline->due, now) < 0)
            gtk_widget_add_css_class (row, "error");
        }
      else if (deadline->stage->without_delay)
        subtitle = g_strdup (_("Without delay"));
      else if (!deadline->stage->has_deadline)
        subtitle = g_strdup (_("When the CSIRT or the authority asks"));
      else if (deadline->stage->from != NULL && g_str_has_prefix (deadline->stage->from, "stage:"))
        subtitle = g_strdup (_("Counts from an earlier report"));
      else
        subtitle = g_strdup (_("Enter the awareness time to see this deadline"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->deadlines_group, row);
      g_ptr_array_add (self->deadline_rows, row);
    }
}

static void
update_complete (MwWhenPage *self)
{
  g_autofree char *values[4] = { NULL, };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *problem = NULL;
  gboolean resolved = gtk_switch_get_active (self->resolved_switch);
  gboolean all_valid = TRUE;
  const char *field = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (self->rows); i++)
    {
      mw_time_row_set_error (self->rows[i], NULL);
      values[i] = mw_time_row_dup_value (self->rows[i]);
      if (!mw_time_row_get_valid (self->rows[i]))
        all_valid = FALSE;
    }

  problem = mw_check_timeline (values[STARTED], values[DETECTED], values[AWARE],
                               resolved, values[RESOLVED], now, &field);
  if (!all_valid)
    {
      g_clear_pointer (&problem, g_free);
      problem = g_strdup (_("A time cannot be read: correct it as its row says, or press Now."));
    }
  else if (problem != NULL && field != NULL &&
           /* An empty awareness time is not an error yet: just say what is needed. */
           !(g_str_equal (field, "aware_at") && mw_time_row_get_empty (self->rows[AWARE])))
    {
      for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
        if (g_str_equal (field, field_names[i]))
          mw_time_row_set_error (self->rows[i], problem);
    }

  if (problem == NULL && values[STARTED] == NULL)
    /* Not a blocker now, but signing needs it. */
    gtk_label_set_text (self->problem_label,
                        _("The start time is needed before the report can be signed: give your best estimate when you know it."));
  else
    gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label),
                          problem != NULL || values[STARTED] == NULL);
  mw_page_set_complete (MW_PAGE (self), problem == NULL);
}

static void
row_changed_cb (MwTimeRow  *row,
                MwWhenPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;

  if (!self->loading && report != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (self->rows); i++)
      if (self->rows[i] == row)
        {
          g_autofree char *path = g_strconcat ("timeline.", field_names[i], NULL);
          g_autofree char *value = mw_time_row_dup_value (row);

          if (value != NULL)
            mw_report_set_string (report, path, value);
          else if (mw_report_is_known (report, path))
            mw_report_set_unknown (report, path);
        }
  update_complete (self);
}

static void
resolved_changed_cb (MwWhenPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;
  gboolean resolved = gtk_switch_get_active (self->resolved_switch);

  gtk_widget_set_visible (GTK_WIDGET (self->rows[RESOLVED]), resolved);
  adw_action_row_set_subtitle (self->resolved_row,
                               resolved ? _("On: the incident is over.") : _("Off: the incident is ongoing."));
  if (!self->loading)
    {
      if (resolved && mw_time_row_get_empty (self->rows[RESOLVED]))
        mw_time_row_set_now (self->rows[RESOLVED]);
      else if (!resolved && report != NULL && mw_report_is_known (report, "timeline.resolved_at"))
        {
          mw_report_set_unknown (report, "timeline.resolved_at");
          self->loading = TRUE;
          mw_time_row_set_value (self->rows[RESOLVED], NULL);
          self->loading = FALSE;
        }
    }
  update_complete (self);
}

static void
mw_when_page_shown (MwPage *page)
{
  MwWhenPage *self = MW_WHEN_PAGE (page);
  MwSession *session = mw_page_get_session (page);
  MwReport *report = session ? mw_session_get_report (session) : NULL;

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (self->rows); i++)
    {
      g_autofree char *path = g_strconcat ("timeline.", field_names[i], NULL);

      mw_time_row_set_value (self->rows[i], report ? mw_report_get_string (report, path) : NULL);
    }
  gtk_switch_set_active (self->resolved_switch,
                         report != NULL && mw_report_is_known (report, "timeline.resolved_at"));
  self->loading = FALSE;
  resolved_changed_cb (self);
  rebuild_deadlines (self);
}

static void
mw_when_page_dispose (GObject *object)
{
  MwWhenPage *self = MW_WHEN_PAGE (object);

  g_clear_pointer (&self->deadline_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_WHEN_PAGE);
  G_OBJECT_CLASS (mw_when_page_parent_class)->dispose (object);
}

static void
mw_when_page_constructed (GObject *object)
{
  MwWhenPage *self = MW_WHEN_PAGE (object);
  MwSession *session;

  G_OBJECT_CLASS (mw_when_page_parent_class)->constructed (object);

  session = mw_page_get_session (MW_PAGE (self));
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::assessment", G_CALLBACK (rebuild_deadlines),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::report", G_CALLBACK (mw_when_page_shown),
                               self, G_CONNECT_SWAPPED);
    }
  mw_when_page_shown (MW_PAGE (self));
}

static void
mw_when_page_class_init (MwWhenPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->constructed = mw_when_page_constructed;
  object_class->dispose = mw_when_page_dispose;
  page_class->shown = mw_when_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-when-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwWhenPage, times_group);
  gtk_widget_class_bind_template_child (widget_class, MwWhenPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, MwWhenPage, resolved_row);
  gtk_widget_class_bind_template_child (widget_class, MwWhenPage, resolved_switch);
  gtk_widget_class_bind_template_child (widget_class, MwWhenPage, deadlines_group);
  gtk_widget_class_bind_template_child (widget_class, MwWhenPage, problem_label);
}

static void
mw_when_page_init (MwWhenPage *self)
{
  const char *titles[] = { N_("_Started at"), N_("_Detected at"), N_("_Aware since"), N_("Res_olved at") };
  const char *names[] = { N_("Start time"), N_("Detection time"), N_("Awareness time"), N_("Resolution time") };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->deadline_rows = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (self->rows); i++)
    {
      self->rows[i] = MW_TIME_ROW (mw_time_row_new (_(titles[i]), _(names[i])));
      g_signal_connect (self->rows[i], "changed", G_CALLBACK (row_changed_cb), self);
      if (i == RESOLVED)
        adw_preferences_group_add (self->status_group, GTK_WIDGET (self->rows[i]));
      else
        adw_preferences_group_add (self->times_group, GTK_WIDGET (self->rows[i]));
    }
  g_signal_connect_swapped (self->resolved_switch, "notify::active", G_CALLBACK (resolved_changed_cb), self);
}

GtkWidget *
mw_when_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_WHEN_PAGE, "session", session, NULL);
}

MwTimeRow *
mw_when_page_get_row (MwWhenPage *self,
                      const char *field)
{
  g_return_val_if_fail (MW_IS_WHEN_PAGE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_strcmp0 (field, field_names[i]) == 0)
      return self->rows[i];
  return NULL;
}

void
mw_when_page_set_resolved (MwWhenPage *self,
                           gboolean    resolved)
{
  g_return_if_fail (MW_IS_WHEN_PAGE (self));
  gtk_switch_set_active (self->resolved_switch, resolved);
}
