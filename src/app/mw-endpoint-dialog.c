/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwEndpointDialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-endpoint-dialog.h"
#include "mw-page.h"
#include "mw-signer.h"

struct _MwEndpointDialog
{
  AdwWindow       parent_instance;

  MwSession      *session;
  GPtrArray      *recipients;   /* const MwRecipient*, borrowed from the regime */
  char           *jwk;          /* the fetched receipt key, or NULL */
  GCancellable   *cancellable;

  AdwComboRow    *recipient_row;
  AdwEntryRow    *url_row;
  AdwActionRow   *key_row;
  GtkCheckButton *confirm_check;
  GtkWidget      *fetch_button;
  GtkWidget      *save_button;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (MwEndpointDialog, mw_endpoint_dialog, ADW_TYPE_WINDOW)

static void
show_error (MwEndpointDialog *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_save (MwEndpointDialog *self)
{
  gtk_widget_set_sensitive (self->save_button,
                            self->jwk != NULL && gtk_check_button_get_active (self->confirm_check));
}

/* Another URL: the key fetched for the old one does not hold for it. */
static void
url_changed_cb (MwEndpointDialog *self)
{
  g_clear_pointer (&self->jwk, g_free);
  adw_action_row_set_subtitle (self->key_row, _("Not fetched yet"));
  gtk_check_button_set_active (self->confirm_check, FALSE);
  update_save (self);
}

static void
key_fetched_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MwEndpointDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) key = NULL;
  g_autofree char *jwk = mw_outbox_fetch_receipt_key_finish (MW_OUTBOX (source), result, &error);
  g_autofree char *grouped = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (self->fetch_button, TRUE);
  if (jwk != NULL)
    key = mw_signer_new_from_jwk (jwk, &error);
  if (key == NULL)
    {
      show_error (self, error->message);
      return;
    }
  grouped = mw_signer_format_thumbprint (key);
  g_free (self->jwk);
  self->jwk = g_steal_pointer (&jwk);
  adw_action_row_set_subtitle (self->key_row, grouped);
  show_error (self, NULL);
  update_save (self);
}

static void
fetch_clicked_cb (MwEndpointDialog *self)
{
  g_autoptr(GError) error = NULL;
  MwOutbox *outbox = mw_session_get_outbox (self->session, &error);

  if (outbox == NULL)
    {
      show_error (self, error->message);
      return;
    }
  url_changed_cb (self);
  gtk_widget_set_sensitive (self->fetch_button, FALSE);
  mw_outbox_fetch_receipt_key_async (outbox, gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                                     self->cancellable, key_fetched_cb, g_object_ref (self));
}

static void
save_clicked_cb (MwEndpointDialog *self)
{
  g_autoptr(GError) error = NULL;
  MwOutbox *outbox = mw_session_get_outbox (self->session, &error);
  guint selected = adw_combo_row_get_selected (self->recipient_row);
  const MwRecipient *recipient = selected < self->recipients->len ? g_ptr_array_index (self->recipients, selected) : NULL;

  if (outbox == NULL ||
      !mw_outbox_set_live_endpoint (outbox, recipient ? recipient->id : NULL,
                                    gtk_editable_get_text (GTK_EDITABLE (self->url_row)), self->jwk, &error))
    {
      show_error (self, error->message);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
mw_endpoint_dialog_dispose (GObject *object)
{
  MwEndpointDialog *self = MW_ENDPOINT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->recipients, g_ptr_array_unref);
  g_clear_pointer (&self->jwk, g_free);
  G_OBJECT_CLASS (mw_endpoint_dialog_parent_class)->dispose (object);
}

static void
mw_endpoint_dialog_class_init (MwEndpointDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mw_endpoint_dialog_dispose;
}

static void
mw_endpoint_dialog_init (MwEndpointDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *key_group = adw_preferences_group_new ();
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Live Endpoint"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 560);

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Only for a recipient that gave you the address of its Meldwijzer intake; without one, live reports are filed at its desk."));
  self->recipient_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->recipient_row), _("_Recipient"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->recipient_row), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->recipient_row));
  self->url_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), _("Mailbox _URL"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->url_row), TRUE);
  gtk_widget_set_name (GTK_WIDGET (self->url_row), "endpoint-url");
  g_signal_connect_swapped (self->url_row, "changed", G_CALLBACK (url_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->url_row));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (key_group), _("Receipt key"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (key_group),
                                         _("The mailbox signs its receipts with this key. Read the thumbprint to the recipient by phone: receipts signed with another key are refused."));
  self->key_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row), _("Thumbprint"));
  adw_action_row_set_subtitle (self->key_row, _("Not fetched yet"));
  adw_action_row_set_subtitle_lines (self->key_row, 0);
  self->fetch_button = gtk_button_new_with_mnemonic (_("_Fetch Key"));
  gtk_widget_set_valign (self->fetch_button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (self->fetch_button, "endpoint-fetch");
  mw_button_fix_accessible_name (self->fetch_button);
  g_signal_connect_swapped (self->fetch_button, "clicked", G_CALLBACK (fetch_clicked_cb), self);
  adw_action_row_add_suffix (self->key_row, self->fetch_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (key_group), GTK_WIDGET (self->key_row));
  self->confirm_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("The recipient _confirmed this thumbprint")));
  g_signal_connect_swapped (self->confirm_check, "toggled", G_CALLBACK (update_save), self);

  self->error_label = g_object_new (GTK_TYPE_LABEL, "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT,
                                    "wrap", TRUE, "xalign", 0.0f, "visible", FALSE, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_add_css_class (self->save_button, "pill");
  gtk_widget_set_halign (self->save_button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (self->save_button, "endpoint-save");
  mw_button_fix_accessible_name (self->save_button);
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  gtk_widget_set_margin_top (actions, 12);
  gtk_box_append (GTK_BOX (actions), GTK_WIDGET (self->confirm_check));
  gtk_box_append (GTK_BOX (actions), GTK_WIDGET (self->error_label));
  gtk_box_append (GTK_BOX (actions), self->save_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (key_group), actions);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (key_group));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);
  update_save (self);
}

GtkWidget *
mw_endpoint_dialog_new (MwSession *session)
{
  MwEndpointDialog *self = g_object_new (MW_TYPE_ENDPOINT_DIALOG, NULL);
  const MwEntityType *type = mw_session_get_entity_type (session);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  self->session = g_object_ref (session);
  self->recipients = g_ptr_array_new ();
  for (guint i = 0; type != NULL && i < type->recipients->len; i++)
    {
      const MwRecipient *recipient = g_ptr_array_index (type->recipients, i);

      g_ptr_array_add (self->recipients, (gpointer) recipient);
      gtk_string_list_append (names, mw_label_get (&recipient->name));
    }
  adw_combo_row_set_model (self->recipient_row, G_LIST_MODEL (names));
  return GTK_WIDGET (self);
}
