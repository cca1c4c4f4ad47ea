/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwRecoveryPage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-recovery-page.h"
#include "mw-vocabulary.h"

#define MAX_MEASURES_CHARS 20000

struct _MwRecoveryPage
{
  MwPage               parent_instance;

  AdwPreferencesGroup *forecast_group;
  AdwComboRow         *status_row;
  GtkTextView         *measures_view;
  GtkSwitch           *help_switch;
  GtkLabel            *problem_label;
  MwTimeRow           *forecast_row;
  guint                loading : 1;
};

G_DEFINE_FINAL_TYPE (MwRecoveryPage, mw_recovery_page, MW_TYPE_PAGE)

static MwReport *
get_report (MwRecoveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));

  return session ? mw_session_get_report (session) : NULL;
}

static gboolean
page_asks (MwPage     *page,
           const char *path)
{
  return g_str_has_prefix (path, "recovery.");
}

static void
update_complete (MwRecoveryPage *self)
{
  g_autofree char *needed = NULL;
  const char *problem = NULL;

  if (!mw_time_row_get_valid (self->forecast_row))
    problem = _("Write the expected restoration as 2026-11-22 18:00, or leave it empty when you cannot say yet.");
  else
    /* What the stage needs here besides (the final report: Cbw art. 29), as the report says. */
    problem = needed = mw_page_dup_report_problem (MW_PAGE (self), page_asks);
  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  mw_page_set_complete (MW_PAGE (self), problem == NULL);
}

static void
status_changed_cb (MwRecoveryPage *self)
{
  MwReport *report = get_report (self);
  const char *status = mw_combo_row_get_nick (self->status_row);

  if (self->loading || report == NULL || status == NULL)
    return;
  mw_report_set_string (report, "recovery.status", status);
}

static void
forecast_changed_cb (MwRecoveryPage *self)
{
  MwReport *report = get_report (self);
  g_autofree char *value = mw_time_row_dup_value (self->forecast_row);

  if (!self->loading && report != NULL)
    {
      if (value != NULL)
        mw_report_set_string (report, "recovery.forecast_at", value);
      else if (mw_report_is_known (report, "recovery.forecast_at"))
        mw_report_set_unknown (report, "recovery.forecast_at");
    }
  update_complete (self);
}

static void
measures_changed_cb (MwRecoveryPage *self)
{
  MwReport *report = get_report (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->measures_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->loading || report == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  if (gtk_text_iter_get_offset (&end) > MAX_MEASURES_CHARS)
    gtk_text_buffer_get_iter_at_offset (buffer, &end, MAX_MEASURES_CHARS);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (*text != '\0')
    mw_report_set_string (report, "recovery.measures", text);
  else
    mw_report_set_unknown (report, "recovery.measures");
  update_complete (self);
}

static void
help_changed_cb (MwRecoveryPage *self)
{
  MwReport *report = get_report (self);

  if (self->loading || report == NULL)
    return;
  mw_report_set_boolean (report, "recovery.csirt_help_requested",
                         gtk_switch_get_active (self->help_switch));
}

static void
mw_recovery_page_shown (MwPage *page)
{
  MwRecoveryPage *self = MW_RECOVERY_PAGE (page);
  MwReport *report = get_report (self);
  const char *status, *measures;
  gboolean help = FALSE;

  self->loading = TRUE;
  status = report ? mw_report_get_string (report, "recovery.status") : NULL;
  mw_combo_row_set_nick (self->status_row, status);
  mw_time_row_set_value (self->forecast_row,
                         report ? mw_report_get_string (report, "recovery.forecast_at") : NULL);
  measures = report ? mw_report_get_string (report, "recovery.measures") : NULL;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->measures_view), measures ? measures : "", -1);
  if (report != NULL)
    mw_report_get_boolean (report, "recovery.csirt_help_requested", &help);
  gtk_switch_set_active (self->help_switch, help);
  self->loading = FALSE;

  /* Write the defaults shown, so that the report says what the screen says. */
  if (report != NULL && status == NULL)
    status_changed_cb (self);
  if (report != NULL && !mw_report_is_known (report, "recovery.csirt_help_requested"))
    help_changed_cb (self);
  update_complete (self);
}

static void
mw_recovery_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MW_TYPE_RECOVERY_PAGE);
  G_OBJECT_CLASS (mw_recovery_page_parent_class)->dispose (object);
}

static void
mw_recovery_page_class_init (MwRecoveryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->dispose = mw_recovery_page_dispose;
  page_class->shown = mw_recovery_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-recovery-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwRecoveryPage, forecast_group);
  gtk_widget_class_bind_template_child (widget_class, MwRecoveryPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, MwRecoveryPage, measures_view);
  gtk_widget_class_bind_template_child (widget_class, MwRecoveryPage, help_switch);
  gtk_widget_class_bind_template_child (widget_class, MwRecoveryPage, problem_label);
}

static void
mw_recovery_page_init (MwRecoveryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mw_combo_row_set_vocabulary (self->status_row, MW_TYPE_RECOVERY_STATUS);

  self->forecast_row = MW_TIME_ROW (mw_time_row_new (_("_Expected restoration"), _("Expected restoration time")));
  adw_preferences_group_add (self->forecast_group, GTK_WIDGET (self->forecast_row));

  g_signal_connect_swapped (self->status_row, "notify::selected", G_CALLBACK (status_changed_cb), self);
  g_signal_connect_swapped (self->forecast_row, "changed", G_CALLBACK (forecast_changed_cb), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->measures_view), "changed",
                            G_CALLBACK (measures_changed_cb), self);
  g_signal_connect_swapped (self->help_switch, "notify::active", G_CALLBACK (help_changed_cb), self);
  update_complete (self);
}

GtkWidget *
mw_recovery_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_RECOVERY_PAGE, "session", session, NULL);
}

MwTimeRow *
mw_recovery_page_get_forecast_row (MwRecoveryPage *self)
{
  g_return_val_if_fail (MW_IS_RECOVERY_PAGE (self), NULL);
  return self->forecast_row;
}
