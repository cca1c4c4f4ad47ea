/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwServicePage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-choice-button.h"

#include "mw-service-page.h"

#define MAX_NETWORK_CHARS 200

struct _MwServicePage
{
  MwPage               parent_instance;

  AdwPreferencesGroup *services_group;
  AdwEntryRow         *network_row;
  GtkLabel            *problem_label;

  GPtrArray           *rows;
  GPtrArray           *checks;
  guint                loading : 1;
};

G_DEFINE_FINAL_TYPE (MwServicePage, mw_service_page, MW_TYPE_PAGE)

static MwReport *
get_report (MwServicePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));

  return session ? mw_session_get_report (session) : NULL;
}

static void
update_complete (MwServicePage *self)
{
  MwReport *report = get_report (self);
  gboolean chosen = report != NULL && mw_report_get_string (report, "service.name") != NULL;

  gtk_label_set_text (self->problem_label, chosen ? "" : _("Choose the service that was hit."));
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), !chosen);
  mw_page_set_complete (MW_PAGE (self), chosen);
}

static void
check_toggled_cb (GtkCheckButton *check,
                  MwServicePage  *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = get_report (self);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "index"));
  GListModel *services;
  g_autoptr(MwService) service = NULL;
  const char *network;

  if (self->loading || report == NULL || !gtk_check_button_get_active (check))
    return;
  services = mw_profile_get_services (mw_session_get_profile (session));
  service = g_list_model_get_item (services, index);
  if (service == NULL)
    return;
  mw_report_set_string (report, "service.id", mw_service_get_id (service));
  mw_report_set_string (report, "service.name", mw_service_get_name (service));
  network = mw_service_get_network (service);
  if (network != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->network_row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->network_row), network);
  update_complete (self);
}

static void
network_changed_cb (MwServicePage *self)
{
  MwReport *report = get_report (self);
  if (self->loading || report == NULL)
    return;
  mw_report_set_entered_text (report, "service.network",
                              gtk_editable_get_text (GTK_EDITABLE (self->network_row)), MAX_NETWORK_CHARS);
}

static void
mw_service_page_shown (MwPage *page)
{
  MwServicePage *self = MW_SERVICE_PAGE (page);
  MwSession *session = mw_page_get_session (page);
  MwReport *report = get_report (self);
  GListModel *services = session ? mw_profile_get_services (mw_session_get_profile (session)) : NULL;
  const char *chosen = report ? mw_report_get_string (report, "service.id") : NULL;
  const char *network = report ? mw_report_get_string (report, "service.network") : NULL;
  GtkCheckButton *group = NULL;

  self->loading = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->services_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->checks, 0);

  for (guint i = 0; services && i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(MwService) service = g_list_model_get_item (services, i);
      GtkWidget *row, *check;

      row = adw_action_row_new ();
      check = mw_choice_button_new_radio ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mw_service_get_name (service));
      if (mw_service_get_network (service) != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), mw_service_get_network (service));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      else
        group = GTK_CHECK_BUTTON (check);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_strcmp0 (chosen, mw_service_get_id (service)) == 0);
      g_object_set_data (G_OBJECT (check), "index", GUINT_TO_POINTER (i));
      g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->services_group, row);
      g_ptr_array_add (self->rows, row);
      g_ptr_array_add (self->checks, check);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->network_row), network ? network : "");
  self->loading = FALSE;

  /* One service only: it is the one. */
  if (self->checks->len == 1 && chosen == NULL)
    gtk_check_button_set_active (g_ptr_array_index (self->checks, 0), TRUE);
  update_complete (self);
}

static void
mw_service_page_dispose (GObject *object)
{
  MwServicePage *self = MW_SERVICE_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_SERVICE_PAGE);
  G_OBJECT_CLASS (mw_service_page_parent_class)->dispose (object);
}

static void
mw_service_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (mw_service_page_parent_class)->constructed (object);
  mw_service_page_shown (MW_PAGE (object));
}

static void
mw_service_page_class_init (MwServicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->constructed = mw_service_page_constructed;
  object_class->dispose = mw_service_page_dispose;
  page_class->shown = mw_service_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-service-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwServicePage, services_group);
  gtk_widget_class_bind_template_child (widget_class, MwServicePage, network_row);
  gtk_widget_class_bind_template_child (widget_class, MwServicePage, problem_label);
}

static void
mw_service_page_init (MwServicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->checks = g_ptr_array_new ();
  g_signal_connect_swapped (self->network_row, "changed", G_CALLBACK (network_changed_cb), self);
}

GtkWidget *
mw_service_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_SERVICE_PAGE, "session", session, NULL);
}

gboolean
mw_service_page_select (MwServicePage *self,
                        guint          index)
{
  g_return_val_if_fail (MW_IS_SERVICE_PAGE (self), FALSE);

  if (index >= self->checks->len)
    return FALSE;
  gtk_check_button_set_active (g_ptr_array_index (self->checks, index), TRUE);
  return mw_page_get_complete (MW_PAGE (self));
}
