/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwDeliveryPage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-delivery-page.h"
#include "mw-error.h"
#include "mw-export.h"
#include "mw-file.h"
#include "mw-store.h"

struct _MwDeliveryPage
{
  MwPage               parent_instance;

  GtkLabel            *headline_label;
  AdwPreferencesGroup *recipients_group;
  AdwPreferencesGroup *manual_group;
  AdwPreferencesGroup *copies_group;
  GtkWidget           *save_jws_button;
  GtkWidget           *save_pdf_button;
  GtkWidget           *follow_up_button;
  GtkWidget           *new_button;

  GPtrArray           *rows;
  GPtrArray           *manual_rows;
  GCancellable        *cancellable;
  guint                n_delivered;
  guint                n_retry;
  guint                delivering : 1;
};

G_DEFINE_FINAL_TYPE (MwDeliveryPage, mw_delivery_page, MW_TYPE_PAGE)

static void start_delivery (MwDeliveryPage *self);

static const MwRecipient *
find_recipient (MwDeliveryPage *self,
                const char     *id)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwRegime *regime = session ? mw_session_get_regime (session) : NULL;

  return regime ? mw_regime_find_recipient (regime, id) : NULL;
}

static char *
format_received (const char *received_at)
{
  GDateTime *parsed = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (received_at == NULL || !mw_parse_time (received_at, &parsed))
    return g_strdup (received_at ? received_at : "");
  local = g_date_time_to_local (parsed);
  g_date_time_unref (parsed);
  return g_date_time_format (local, "%a %e %b %Y, %H:%M:%S");
}

static void
retry_clicked_cb (GtkButton      *button,
                  MwDeliveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;
  g_autoptr(GError) error = NULL;
  MwStore *store;

  if (report == NULL || !(store = mw_session_get_store (session, &error)))
    return;
  if (mw_store_retry_now (store, mw_report_get_report_id (report), TRUE, g_get_real_time (), &error) < 0)
    g_warning ("Could not retry: %s", error->message);
  start_delivery (self);
}

static void
manual_clicked_cb (GtkButton      *button,
                   MwDeliveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;
  const char *recipient = g_object_get_data (G_OBJECT (button), "recipient");
  g_autoptr(GError) error = NULL;
  MwStore *store;

  if (report == NULL || !(store = mw_session_get_store (session, &error)))
    return;
  if (!mw_store_mark_manual (store, mw_report_get_report_id (report), recipient,
                             _("Filed by hand through the recipient’s own channel"), &error))
    g_warning ("Could not mark the delivery as filed by hand: %s", error->message);
  mw_delivery_page_refresh (self);
}

static void
add_manual_channels (MwDeliveryPage    *self,
                     const MwRecipient *recipient)
{
  const char *name = mw_label_get (&recipient->name);

  for (guint i = 0; recipient->channels && i < recipient->channels->len; i++)
    {
      const MwChannel *channel = g_ptr_array_index (recipient->channels, i);
      const char *label = mw_label_get (&channel->label);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf ("%s — %s", name ? name : recipient->id,
                                                label ? label : channel->kind);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), channel->value);
      adw_preferences_group_add (self->manual_group, row);
      g_ptr_array_add (self->manual_rows, row);
    }
}

void
mw_delivery_page_refresh (MwDeliveryPage *self)
{
  MwSession *session;
  MwReport *report;
  MwStore *store;
  g_autoptr(GPtrArray) deliveries = NULL;
  g_autoptr(GError) error = NULL;
  guint n_pending = 0, n_failed = 0, n_manual = 0;

  g_return_if_fail (MW_IS_DELIVERY_PAGE (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->recipients_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < self->manual_rows->len; i++)
    adw_preferences_group_remove (self->manual_group, g_ptr_array_index (self->manual_rows, i));
  g_ptr_array_set_size (self->manual_rows, 0);
  self->n_delivered = 0;
  self->n_retry = 0;

  session = mw_page_get_session (MW_PAGE (self));
  report = session ? mw_session_get_report (session) : NULL;
  if (report == NULL || !mw_session_get_submitted (session) ||
      !(store = mw_session_get_store (session, &error)))
    {
      gtk_label_set_text (self->headline_label, _("Nothing sent yet"));
      gtk_widget_set_visible (GTK_WIDGET (self->manual_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->copies_group), FALSE);
      return;
    }
  deliveries = mw_store_list_deliveries (store, mw_report_get_report_id (report), &error);
  if (deliveries == NULL)
    {
      gtk_label_set_text (self->headline_label, error->message);
      return;
    }

  for (guint i = 0; i < deliveries->len; i++)
    {
      const MwStoreDelivery *delivery = g_ptr_array_index (deliveries, i);
      const MwRecipient *recipient = find_recipient (self, delivery->recipient);
      const char *name = recipient ? mw_label_get (&recipient->name) : NULL;
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;
      GtkWidget *suffix = NULL;
      GtkWidget *actions = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : delivery->recipient);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      switch (delivery->state)
        {
        case MW_DELIVERY_STATE_DELIVERED:
          {
            g_autofree char *when = format_received (delivery->received_at);

            self->n_delivered++;
            /* Translators: receipt time, then the receipt id */
            subtitle = g_strdup_printf (_("Received %s — receipt %s"), when,
                                        delivery->receipt_id ? delivery->receipt_id : "");
            suffix = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
            gtk_widget_add_css_class (suffix, "success");
            mw_widget_set_accessible_label (suffix, _("Delivered"));
          }
          break;
        case MW_DELIVERY_STATE_MANUAL:
          n_manual++;
          subtitle = g_strdup (delivery->note ? delivery->note : _("Filed by hand"));
          suffix = gtk_image_new_from_icon_name ("document-send-symbolic");
          mw_widget_set_accessible_label (suffix, _("Filed by hand"));
          break;
        case MW_DELIVERY_STATE_FAILED:
          n_failed++;
          /* Translators: %s is the recipient's refusal */
          subtitle = g_strdup_printf (_("Refused: %s"), delivery->last_error ? delivery->last_error : "");
          gtk_widget_add_css_class (row, "error");
          break;
        default:
          n_pending++;
          if (delivery->url == NULL)
            subtitle = g_strdup (_("No endpoint for this recipient: file by hand with the channels below."));
          else if (delivery->last_error != NULL)
            /* Translators: %u attempts so far, then the last error */
            subtitle = g_strdup_printf (_("Attempt %u failed: %s — retrying automatically"),
                                        delivery->attempts, delivery->last_error);
          else
            subtitle = g_strdup (_("Sending…"));
          if (delivery->url != NULL && delivery->last_error == NULL)
            {
              suffix = gtk_spinner_new ();
              gtk_spinner_start (GTK_SPINNER (suffix));
              mw_widget_set_accessible_label (suffix, _("Sending"));
            }
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (suffix != NULL)
        {
          gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
        }
      /* The row's buttons above each other: side by side they make a 360 px window wider. */
      if (delivery->state == MW_DELIVERY_STATE_FAILED || delivery->state == MW_DELIVERY_STATE_PENDING)
        {
          actions = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
          gtk_widget_set_valign (actions, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), actions);
        }
      if (delivery->state == MW_DELIVERY_STATE_FAILED ||
          (delivery->state == MW_DELIVERY_STATE_PENDING && delivery->last_error != NULL))
        {
          /* No mnemonic on the buttons of a recipient's row: there is one per recipient, and
           * one letter for all would only cycle between them. Tab reaches them. */
          GtkWidget *retry = gtk_button_new_with_label (_("Retry"));
          g_autofree char *retry_name = g_strdup_printf (_("Retry delivery to %s"), name ? name : delivery->recipient);

          self->n_retry++;

          mw_widget_set_accessible_label (retry, retry_name);
          g_signal_connect (retry, "clicked", G_CALLBACK (retry_clicked_cb), self);
          gtk_box_append (GTK_BOX (actions), retry);
        }
      if (delivery->state == MW_DELIVERY_STATE_FAILED || delivery->state == MW_DELIVERY_STATE_PENDING)
        {
          GtkWidget *manual = gtk_button_new_with_label (_("Filed by Hand"));
          g_autofree char *manual_name = g_strdup_printf (_("Mark the report to %s as filed by hand"),
                                                          name ? name : delivery->recipient);

          mw_widget_set_accessible_label (manual, manual_name);
          g_object_set_data_full (G_OBJECT (manual), "recipient", g_strdup (delivery->recipient), g_free);
          g_signal_connect (manual, "clicked", G_CALLBACK (manual_clicked_cb), self);
          gtk_box_append (GTK_BOX (actions), manual);
          if (recipient != NULL)
            add_manual_channels (self, recipient);
        }
      adw_preferences_group_add (self->recipients_group, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->manual_group), self->manual_rows->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->copies_group), TRUE);

  if (n_pending == 0 && n_failed == 0)
    gtk_label_set_text (self->headline_label,
                        n_manual > 0 ? _("Done: delivered, and filed by hand where needed")
                                     : _("Delivered: every recipient sent a receipt"));
  else if (n_failed > 0)
    gtk_label_set_text (self->headline_label, _("A recipient refused the report: see below"));
  else
    gtk_label_set_text (self->headline_label, _("Sending the signed report…"));
}

/* Copies for filing by hand ------------------------------------------------------------ */

static GBytes *
dup_copy (MwDeliveryPage  *self,
          gboolean         pdf,
          GError         **error)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;
  g_autoptr(MwStoreReport) stored = NULL;
  MwStore *store;

  if (report == NULL || !(store = mw_session_get_store (session, error)))
    return NULL;
  stored = mw_store_get_report (store, mw_report_get_report_id (report), error);
  if (stored == NULL)
    return NULL;
  if (!stored->signed_ || stored->jws == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND, _("The report has not been signed yet."));
      return NULL;
    }
  if (!pdf)
    return g_bytes_new (stored->jws, strlen (stored->jws));
  return mw_export_pdf (report, mw_session_get_regime (session), stored->jws, error);
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  MwDeliveryPage  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "pdf"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      bytes = dup_copy (self, pdf, &error);
      if (bytes == NULL ||
          !mw_file_write_private (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
        {
          GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
          g_autofree char *message = g_strdup_printf (_("Could not save the copy: %s"), error->message);

          if (overlay != NULL)
            adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
          g_warning ("%s", message);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwDeliveryPage *self = MW_DELIVERY_PAGE (widget);
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;
  gboolean pdf = g_str_equal (action_name, "delivery.save-pdf");
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (report == NULL)
    return;
  dialog = gtk_file_chooser_native_new (pdf ? _("Save PDF for Filing by Hand") : _("Save Signed Report"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("meldwijzer-%s.%s", mw_report_get_report_id (report), pdf ? "pdf" : "jws");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "pdf", GINT_TO_POINTER (pdf));
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
deliver_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MwDeliveryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_session_deliver_finish (MW_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Delivery: %s", error->message);
    }
  self->delivering = FALSE;
  mw_delivery_page_refresh (self);
}

static void
progress_cb (MwDeliveryPage *self)
{
  mw_delivery_page_refresh (self);
}

static void
start_delivery (MwDeliveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));

  if (session == NULL || self->delivering || !mw_session_get_submitted (session))
    return;
  self->delivering = TRUE;
  mw_delivery_page_refresh (self);
  mw_session_deliver_async (session, self->cancellable, deliver_cb, g_object_ref (self));
}

static void
mw_delivery_page_shown (MwPage *page)
{
  MwDeliveryPage *self = MW_DELIVERY_PAGE (page);

  mw_delivery_page_refresh (self);
  start_delivery (self);
}

static void
mw_delivery_page_dispose (GObject *object)
{
  MwDeliveryPage *self = MW_DELIVERY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->manual_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_DELIVERY_PAGE);
  G_OBJECT_CLASS (mw_delivery_page_parent_class)->dispose (object);
}

static void
mw_delivery_page_constructed (GObject *object)
{
  MwDeliveryPage *self = MW_DELIVERY_PAGE (object);
  MwSession *session;

  G_OBJECT_CLASS (mw_delivery_page_parent_class)->constructed (object);
  session = mw_page_get_session (MW_PAGE (self));
  if (session != NULL)
    g_signal_connect_object (session, "delivery-progress", G_CALLBACK (progress_cb), self, G_CONNECT_SWAPPED);
  mw_delivery_page_refresh (self);
}

static void
mw_delivery_page_class_init (MwDeliveryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->constructed = mw_delivery_page_constructed;
  object_class->dispose = mw_delivery_page_dispose;
  page_class->shown = mw_delivery_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-delivery-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, headline_label);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, recipients_group);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, manual_group);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, copies_group);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, save_jws_button);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, save_pdf_button);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, follow_up_button);
  gtk_widget_class_install_action (widget_class, "delivery.save-jws", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "delivery.save-pdf", NULL, save_action);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, new_button);
}

static void
mw_delivery_page_init (MwDeliveryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mw_button_fix_accessible_name (self->follow_up_button);
  mw_button_fix_accessible_name (self->new_button);
  mw_button_fix_accessible_name (self->save_jws_button);
  mw_button_fix_accessible_name (self->save_pdf_button);
  self->rows = g_ptr_array_new ();
  self->manual_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  mw_page_set_complete (MW_PAGE (self), TRUE);
}

GtkWidget *
mw_delivery_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_DELIVERY_PAGE, "session", session, NULL);
}

guint
mw_delivery_page_get_n_delivered (MwDeliveryPage *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_PAGE (self), 0);
  return self->n_delivered;
}

const char *
mw_delivery_page_get_headline (MwDeliveryPage *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_PAGE (self), NULL);
  return gtk_label_get_text (self->headline_label);
}

guint
mw_delivery_page_get_n_retry (MwDeliveryPage *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_PAGE (self), 0);
  return self->n_retry;
}
