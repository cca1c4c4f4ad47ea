/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwModePage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-choice-button.h"
#include "mw-endpoint-dialog.h"
#include "mw-mode-page.h"

struct _MwModePage
{
  MwPage          parent_instance;

  AdwActionRow   *training_row;
  AdwActionRow   *live_row;
  GtkCheckButton *training_check;
  GtkCheckButton *live_check;
  GtkLabel       *problem_label;
  GtkWidget      *endpoint_button;
  guint           loading : 1;
};

G_DEFINE_FINAL_TYPE (MwModePage, mw_mode_page, MW_TYPE_PAGE)

/* The names (in the user's language) of the recipients of the chosen entity type without a
 * live endpoint — those a live report is filed with at their desks — as a list for a
 * sentence, or NULL. */
static char *
dup_missing_endpoints (MwModePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  const MwEntityType *type = session ? mw_session_get_entity_type (session) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) without = NULL;
  g_autoptr(GError) error = NULL;

  if (type == NULL)
    return NULL;
  for (guint i = 0; i < type->recipients->len; i++)
    g_strv_builder_add (builder, ((const MwRecipient *) g_ptr_array_index (type->recipients, i))->id);
  ids = g_strv_builder_end (builder);

  /* The same rule delivery follows: only a configured endpoint counts. */
  without = mw_context_dup_missing_endpoints (mw_session_get_context (session), (const char * const *) ids,
                                               FALSE, &error);
  if (without == NULL)
    {
      g_warning ("Cannot read the endpoints: %s", error->message);
      without = g_strdupv (ids);
    }
  for (guint i = 0; without[i] != NULL; i++)
    {
      g_ptr_array_add (missing, (gpointer) mw_regime_get_recipient_name (mw_session_get_regime (session), without[i]));
    }
  if (missing->len == 0)
    return NULL;
  return mw_join_for_sentence (missing);
}

/* Live never needs configuring: a recipient without an endpoint is filed at its desk, with
 * every answer ready (DESIGN.md, "Filing at a desk"). The row says which ones. */
static void
update_state (MwModePage *self)
{
  g_autofree char *missing = dup_missing_endpoints (self);
  gboolean live = gtk_check_button_get_active (self->live_check);

  if (missing != NULL)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: %s lists the names of recipients, as the regime file gives them */
      subtitle = g_strdup_printf (_("Files with the real authorities. Filed at their desks, with every answer ready to copy: %s."),
                                  missing);
      adw_action_row_set_subtitle (self->live_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->live_row,
                                 _("Files with the real authorities at their configured endpoints."));

  gtk_label_set_text (self->problem_label,
                      _("A live report goes to the real authorities and cannot be taken back; it is never a practice run."));
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), live);
  mw_page_set_complete (MW_PAGE (self), TRUE);
}

static gboolean
dialog_closed_cb (MwModePage *self)
{
  update_state (self);
  return FALSE;
}

static void
endpoint_clicked_cb (MwModePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (session == NULL)
    return;
  dialog = mw_endpoint_dialog_new (session);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  /* Saved or not: the row says again which desks remain. */
  g_signal_connect_object (dialog, "close-request", G_CALLBACK (dialog_closed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toggled_cb (MwModePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));

  if (!self->loading && session != NULL)
    mw_session_set_training (session, gtk_check_button_get_active (self->training_check));
  update_state (self);
}

static void
mw_mode_page_shown (MwPage *page)
{
  MwModePage *self = MW_MODE_PAGE (page);
  MwSession *session = mw_page_get_session (page);
  gboolean training = session ? mw_session_get_training (session) : TRUE;

  self->loading = TRUE;
  gtk_check_button_set_active (training ? self->training_check : self->live_check, TRUE);
  self->loading = FALSE;
  update_state (self);
}

static void
mw_mode_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MW_TYPE_MODE_PAGE);
  G_OBJECT_CLASS (mw_mode_page_parent_class)->dispose (object);
}

static void
mw_mode_page_class_init (MwModePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->dispose = mw_mode_page_dispose;
  page_class->shown = mw_mode_page_shown;
  page_class->apply_async = mw_page_apply_save_profile_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-mode-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwModePage, training_row);
  gtk_widget_class_bind_template_child (widget_class, MwModePage, live_row);
  gtk_widget_class_bind_template_child (widget_class, MwModePage, training_check);
  gtk_widget_class_bind_template_child (widget_class, MwModePage, live_check);
  gtk_widget_class_bind_template_child (widget_class, MwModePage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MwModePage, endpoint_button);
}

static void
mw_mode_page_init (MwModePage *self)
{
  g_type_ensure (MW_TYPE_CHOICE_BUTTON);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Both: choosing Live un-chooses Training before Live itself is active, so Training's
   * signal alone would see neither chosen and let live filing through unchecked. */
  g_signal_connect_swapped (self->training_check, "toggled", G_CALLBACK (toggled_cb), self);
  g_signal_connect_swapped (self->live_check, "toggled", G_CALLBACK (toggled_cb), self);
  g_signal_connect_swapped (self->endpoint_button, "clicked", G_CALLBACK (endpoint_clicked_cb), self);
  mw_button_fix_accessible_name (self->endpoint_button);
  mw_page_set_complete (MW_PAGE (self), TRUE);
}

GtkWidget *
mw_mode_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_MODE_PAGE, "session", session, NULL);
}
