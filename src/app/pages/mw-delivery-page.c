/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwDeliveryPage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-delivery-page.h"
#include "mw-desk-step.h"
#include "mw-error.h"
#include "mw-export.h"
#include "mw-context.h"
#include "mw-file.h"
#include "mw-outbox.h"

struct _MwDeliveryPage
{
  MwPage               parent_instance;

  GtkLabel            *headline_label;
  GtkLabel            *reminder_label;
  AdwPreferencesGroup *recipients_group;
  AdwPreferencesGroup *manual_group;
  AdwPreferencesGroup *desk_group;
  AdwPreferencesGroup *copies_group;
  GtkWidget           *save_jws_button;
  GtkWidget           *save_pdf_button;
  GtkWidget           *follow_up_button;
  GtkWidget           *new_button;

  GtkListBox          *list;          /* one row per item of the outbox */
  MwOutbox            *outbox;
  GPtrArray           *manual_rows;
  GPtrArray           *desk_steps;    /* MwDeskStep, one per desk still to file at */
  char                *desk_key;      /* their recipients, as shown: "ncsc,igj" */
  char                *wanted_key;    /* as they should be */
  guint                desk_idle_id;
  GCancellable        *cancellable;
  guint                n_delivered;
  guint                n_retry;
  guint                delivering : 1;
};

G_DEFINE_FINAL_TYPE (MwDeliveryPage, mw_delivery_page, MW_TYPE_PAGE)

static void start_delivery (MwDeliveryPage *self);
static void update_summary (MwDeliveryPage *self);

static const MwRecipient *
find_recipient (MwDeliveryPage *self,
                const char     *id)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwRegime *regime = session ? mw_session_get_regime (session) : NULL;

  return regime ? mw_regime_find_recipient (regime, id) : NULL;
}

/* The recipient @id by its name in the law of the report, or its id. */
static const char *
recipient_name (MwDeliveryPage *self,
                const char     *id)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));

  return mw_regime_get_recipient_name (session ? mw_session_get_regime (session) : NULL, id);
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
  return g_date_time_format (local, "%a %-d %b %Y, %H:%M:%S");
}

static MwOutbox *
get_outbox (MwDeliveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  g_autoptr(GError) error = NULL;
  MwOutbox *outbox;

  if (session == NULL)
    return NULL;
  outbox = mw_session_get_outbox (session, &error);
  if (outbox == NULL)
    g_warning ("No outbox: %s", error->message);
  return outbox;
}

static void
retry_clicked_cb (GtkButton      *button,
                  MwDeliveryPage *self)
{
  MwDeliveryItem *item = g_object_get_data (G_OBJECT (button), "item");
  MwOutbox *outbox = get_outbox (self);
  g_autoptr(GError) error = NULL;

  if (outbox == NULL || item == NULL)
    return;
  if (mw_outbox_retry (outbox, mw_delivery_item_get_report_id (item), TRUE, &error) < 0)
    g_warning ("Could not retry: %s", error->message);
  start_delivery (self);
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

/* One row per delivery --------------------------------------------------------------------- */

/* Shows what the item says now: the subtitle, a status icon or spinner, and the buttons. */
static void
update_row (AdwActionRow   *row,
            MwDeliveryItem *item)
{
  MwDeliveryPage *self = g_object_get_data (G_OBJECT (row), "page");
  GtkBox *suffixes = g_object_get_data (G_OBJECT (row), "suffixes");
  const char *name = recipient_name (self, mw_delivery_item_get_recipient (item));
  const char *error = mw_delivery_item_get_error (item);
  MwDeliveryState state = mw_delivery_item_get_state (item);
  g_autofree char *subtitle = NULL;
  GtkWidget *child, *suffix = NULL, *actions = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (suffixes))) != NULL)
    gtk_box_remove (suffixes, child);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");

  switch (state)
    {
    case MW_DELIVERY_STATE_DELIVERED:
      {
        g_autofree char *when = format_received (mw_delivery_item_get_received_at (item));
        const char *receipt_id = mw_delivery_item_get_receipt_id (item);

        /* Translators: receipt time, then the receipt id */
        subtitle = g_strdup_printf (_("Received %s — receipt %s"), when, receipt_id ? receipt_id : "");
        suffix = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
        gtk_widget_add_css_class (suffix, "success");
        mw_widget_set_accessible_label (suffix, _("Delivered"));
      }
      break;
    case MW_DELIVERY_STATE_FILED_BY_HAND:
      {
        g_autofree char *when = format_received (mw_delivery_item_get_filed_at (item));
        const char *reference = mw_delivery_item_get_reference (item);

        /* Translators: the time it was filed, then the reference the desk gave */
        subtitle = reference ? g_strdup_printf (_("Filed at the desk %s — reference %s"), when, reference)
                             : g_strdup (_("Filed by hand"));
        suffix = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
        gtk_widget_add_css_class (suffix, "success");
        mw_widget_set_accessible_label (suffix, _("Filed by hand"));
      }
      break;
    case MW_DELIVERY_STATE_FORWARDED:
      {
        const MwRecipient *recipient = find_recipient (self, mw_delivery_item_get_recipient (item));
        const char *by_name = recipient_name (self, mw_delivery_item_get_forwarded_by (item));

        /* Translators: who passed the report on, then the source that says it does */
        subtitle = g_strdup_printf (_("Forwarded by %s (%s)"), by_name,
                                    recipient && recipient->forwarded_by_source ? recipient->forwarded_by_source : "");
        suffix = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
        gtk_widget_add_css_class (suffix, "success");
        mw_widget_set_accessible_label (suffix, _("Forwarded"));
      }
      break;
    case MW_DELIVERY_STATE_AWAITING_FILING:
      {
        const MwRecipient *recipient = find_recipient (self, mw_delivery_item_get_recipient (item));
        const MwRecipient *by = recipient && recipient->forwarded_by ? find_recipient (self, recipient->forwarded_by) : NULL;

        if (by != NULL)
          /* Translators: %s is the desk that passes the report on */
          subtitle = g_strdup_printf (_("To be filed at a desk; filing at %s covers this one too"),
                                      mw_label_get (&by->name));
        else
          subtitle = g_strdup (_("To be filed at its desk: every answer is ready below"));
      }
      break;
    case MW_DELIVERY_STATE_FAILED:
      /* Translators: %s is the recipient's refusal */
      subtitle = g_strdup_printf (_("Refused: %s"), error ? error : "");
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      break;
    case MW_DELIVERY_STATE_PENDING:
    default:
      if (error != NULL)
        /* Translators: %u attempts so far, then the last error */
        subtitle = g_strdup_printf (_("Attempt %u failed: %s — retrying automatically"),
                                    mw_delivery_item_get_attempts (item), error);
      else
        subtitle = g_strdup (_("Sending…"));
      if (error == NULL)
        {
          suffix = gtk_spinner_new ();
          gtk_spinner_start (GTK_SPINNER (suffix));
          mw_widget_set_accessible_label (suffix, _("Sending"));
        }
    }
  adw_action_row_set_subtitle (row, subtitle);
  if (suffix != NULL)
    {
      gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
      gtk_box_append (suffixes, suffix);
    }

  /* The row's buttons above each other: side by side they make a 360 px window wider. */
  if (state == MW_DELIVERY_STATE_FAILED || state == MW_DELIVERY_STATE_PENDING)
    {
      actions = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_set_valign (actions, GTK_ALIGN_CENTER);
      gtk_box_append (suffixes, actions);
    }
  if (state == MW_DELIVERY_STATE_FAILED || (state == MW_DELIVERY_STATE_PENDING && error != NULL))
    {
      /* No mnemonic on the buttons of a recipient's row: there is one per recipient, and
       * one letter for all would only cycle between them. Tab reaches them. */
      GtkWidget *retry = gtk_button_new_with_label (_("Retry"));
      g_autofree char *retry_name = g_strdup_printf (_("Retry delivery to %s"), name);

      mw_widget_set_accessible_label (retry, retry_name);
      g_object_set_data_full (G_OBJECT (retry), "item", g_object_ref (item), g_object_unref);
      g_signal_connect (retry, "clicked", G_CALLBACK (retry_clicked_cb), self);
      gtk_box_append (GTK_BOX (actions), retry);
    }
}

static void
item_notify_cb (MwDeliveryItem *item,
                GParamSpec     *pspec,
                AdwActionRow   *row)
{
  update_row (row, item);
  update_summary (g_object_get_data (G_OBJECT (row), "page"));
}

static GtkWidget *
create_row (gpointer object,
            gpointer user_data)
{
  MwDeliveryPage *self = user_data;
  MwDeliveryItem *item = object;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *suffixes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), recipient_name (self, mw_delivery_item_get_recipient (item)));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffixes);
  g_object_set_data (G_OBJECT (row), "page", self);
  g_object_set_data (G_OBJECT (row), "suffixes", suffixes);
  update_row (ADW_ACTION_ROW (row), item);
  g_signal_connect_object (item, "notify", G_CALLBACK (item_notify_cb), row, 0);
  return row;
}

/* Desk steps ------------------------------------------------------------------------------ */

/* The recipients to file at a desk: awaiting filing, except one that another recipient of
 * the same report passes on (forwarded_by) while that one awaits filing too — filing there
 * covers both. */
static char *
dup_wanted_desks (MwDeliveryPage *self)
{
  GListModel *model = self->outbox ? G_LIST_MODEL (self->outbox) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) awaiting = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      MwDeliveryItem *item = g_list_model_get_item (model, i);

      g_ptr_array_add (items, item);
      if (mw_delivery_item_get_state (item) == MW_DELIVERY_STATE_AWAITING_FILING)
        g_hash_table_add (awaiting, (gpointer) mw_delivery_item_get_recipient (item));
    }
  for (guint i = 0; i < items->len; i++)
    {
      MwDeliveryItem *item = g_ptr_array_index (items, i);
      const MwRecipient *recipient = find_recipient (self, mw_delivery_item_get_recipient (item));

      if (mw_delivery_item_get_state (item) != MW_DELIVERY_STATE_AWAITING_FILING || recipient == NULL)
        continue;
      if (recipient->forwarded_by != NULL && g_hash_table_contains (awaiting, recipient->forwarded_by))
        continue;
      g_strv_builder_add (builder, recipient->id);
    }
  ids = g_strv_builder_end (builder);
  return g_strjoinv (",", ids);
}

/* Shows a desk step for each desk to file at; a step stays as long as its desk does, so
 * what the officer typed in it is kept. */
static void
sync_desks (MwDeliveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;
  g_auto(GStrv) ids = NULL;

  g_clear_handle_id (&self->desk_idle_id, g_source_remove);
  if (g_strcmp0 (self->desk_key, self->wanted_key) == 0)
    return;

  for (guint i = 0; i < self->desk_steps->len; i++)
    adw_preferences_group_remove (self->desk_group, g_ptr_array_index (self->desk_steps, i));
  g_ptr_array_set_size (self->desk_steps, 0);
  g_free (self->desk_key);
  self->desk_key = g_strdup (self->wanted_key);

  ids = self->desk_key && *self->desk_key ? g_strsplit (self->desk_key, ",", -1) : NULL;
  for (guint i = 0; ids != NULL && ids[i] != NULL && report != NULL && self->outbox != NULL; i++)
    {
      GtkWidget *step = mw_desk_step_new (self->outbox, report, mw_session_get_regime (session), ids[i]);

      if (step == NULL)
        continue;
      mw_desk_step_set_session (MW_DESK_STEP (step), session);
      adw_preferences_group_add (self->desk_group, step);
      g_ptr_array_add (self->desk_steps, step);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->desk_group), self->desk_steps->len > 0);
}

static gboolean
sync_desks_idle (gpointer user_data)
{
  MwDeliveryPage *self = user_data;

  self->desk_idle_id = 0;
  sync_desks (self);
  return G_SOURCE_REMOVE;
}

/* Called whenever an item changes: a recorded filing removes its step, but not from within
 * the step's own button handler. */
static void
queue_sync_desks (MwDeliveryPage *self)
{
  g_autofree char *wanted = dup_wanted_desks (self);

  if (g_strcmp0 (wanted, self->wanted_key) == 0)
    return;
  g_free (self->wanted_key);
  self->wanted_key = g_steal_pointer (&wanted);
  if (self->desk_idle_id == 0)
    self->desk_idle_id = g_idle_add (sync_desks_idle, self);
}

/* What the law asks besides reporting (Cbw art. 30: inform the recipients of the service),
 * as the assessment of the report says. */
static void
update_reminder (MwDeliveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwAssessment *assessment = session ? mw_session_get_assessment (session) : NULL;
  GPtrArray *reminders = assessment ? mw_assessment_get_reminders (assessment) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; reminders != NULL && i < reminders->len; i++)
    {
      const MwReminder *reminder = g_ptr_array_index (reminders, i);

      g_string_append_printf (text, "%s%s (%s)", text->len ? "\n" : "", mw_label_get (&reminder->label),
                              mw_label_get (&reminder->citation_label));
    }
  gtk_label_set_text (self->reminder_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->reminder_label), text->len > 0);
}

/* What the page says above and below the rows: counted from the same items. */
static void
update_summary (MwDeliveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  GListModel *model = self->outbox ? G_LIST_MODEL (self->outbox) : NULL;
  guint n_pending = 0, n_failed = 0, n_manual = 0, n_awaiting = 0;
  guint n = model ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < self->manual_rows->len; i++)
    adw_preferences_group_remove (self->manual_group, g_ptr_array_index (self->manual_rows, i));
  g_ptr_array_set_size (self->manual_rows, 0);
  self->n_delivered = 0;
  self->n_retry = 0;
  update_reminder (self);

  if (session == NULL || !mw_session_get_submitted (session) || n == 0)
    {
      gtk_label_set_text (self->headline_label, _("Nothing sent yet"));
      gtk_widget_set_visible (GTK_WIDGET (self->recipients_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->manual_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->copies_group), FALSE);
      queue_sync_desks (self);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwDeliveryItem) item = g_list_model_get_item (model, i);
      const MwRecipient *recipient = find_recipient (self, mw_delivery_item_get_recipient (item));

      switch (mw_delivery_item_get_state (item))
        {
        case MW_DELIVERY_STATE_DELIVERED:
          self->n_delivered++;
          break;
        case MW_DELIVERY_STATE_FILED_BY_HAND:
        case MW_DELIVERY_STATE_FORWARDED:
          n_manual++;
          break;
        case MW_DELIVERY_STATE_AWAITING_FILING:
          n_awaiting++;
          break;
        case MW_DELIVERY_STATE_FAILED:
          n_failed++;
          self->n_retry++;
          break;
        case MW_DELIVERY_STATE_PENDING:
        default:
          n_pending++;
          if (mw_delivery_item_get_error (item) != NULL)
            self->n_retry++;
        }
      if (recipient != NULL && mw_delivery_item_get_state (item) == MW_DELIVERY_STATE_FAILED)
        add_manual_channels (self, recipient);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recipients_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->manual_group), self->manual_rows->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->copies_group), TRUE);
  queue_sync_desks (self);

  if (n_awaiting > 0 && n_failed == 0)
    gtk_label_set_text (self->headline_label, _("File the report at the desk: every answer is ready below"));
  else if (n_pending == 0 && n_failed == 0)
    gtk_label_set_text (self->headline_label,
                        n_manual > 0 ? _("Done: delivered, and filed by hand where needed")
                                     : _("Delivered: every recipient sent a receipt"));
  else if (n_failed > 0)
    gtk_label_set_text (self->headline_label, _("A recipient refused the report: see below"));
  else
    gtk_label_set_text (self->headline_label, _("Sending the signed report…"));
}

static void
items_changed_cb (MwDeliveryPage *self)
{
  update_summary (self);
}

/* Binds the rows to the outbox's deliveries of the report being filed. */
static void
bind_outbox (MwDeliveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;
  MwOutbox *outbox;

  if (report == NULL || !mw_session_get_submitted (session))
    {
      update_summary (self);
      return;
    }
  outbox = get_outbox (self);
  if (outbox == NULL)
    return;
  if (self->outbox != outbox)
    {
      if (self->outbox != NULL)
        g_signal_handlers_disconnect_by_data (self->outbox, self);
      g_set_object (&self->outbox, outbox);
      g_signal_connect_object (outbox, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
      gtk_list_box_bind_model (self->list, G_LIST_MODEL (outbox), create_row, self, NULL);
    }
  mw_outbox_set_report (outbox, mw_report_get_report_id (report));
}

void
mw_delivery_page_refresh (MwDeliveryPage *self)
{
  g_return_if_fail (MW_IS_DELIVERY_PAGE (self));

  bind_outbox (self);
  if (self->outbox != NULL)
    mw_outbox_reload (self->outbox);
  update_summary (self);
  sync_desks (self);
}

/* Copies for filing by hand ------------------------------------------------------------ */

static GBytes *
dup_copy (MwDeliveryPage  *self,
          gboolean         pdf,
          GError         **error)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;
  g_autofree char *jws = NULL;

  if (report == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND, _("The report has not been signed yet."));
      return NULL;
    }
  jws = mw_context_dup_signed_report (mw_session_get_context (session), mw_report_get_report_id (report), error);
  if (jws == NULL)
    return NULL;
  if (!pdf)
    {
      gsize length = strlen (jws);

      return g_bytes_new_take (g_steal_pointer (&jws), length);
    }
  /* The record of what was filed: with how and when each recipient was reached. */
  return mw_session_dup_pdf_record (session, mw_report_get_incident_id (report), mw_report_get_report_id (report),
                                    error);
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

  if (!mw_outbox_deliver_finish (MW_OUTBOX (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Delivery: %s", error->message);
    }
  self->delivering = FALSE;
  update_summary (self);
}

/* Waits for the deliveries of this report (filing started them; a run joins what is in
 * flight and tries what is due). The rows follow the outbox's items meanwhile. */
static void
start_delivery (MwDeliveryPage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwReport *report = session ? mw_session_get_report (session) : NULL;

  bind_outbox (self);
  if (report == NULL || self->outbox == NULL || self->delivering || !mw_session_get_submitted (session))
    return;
  self->delivering = TRUE;
  mw_outbox_deliver_async (self->outbox, mw_report_get_report_id (report), self->cancellable,
                           deliver_cb, g_object_ref (self));
}

static void
mw_delivery_page_shown (MwPage *page)
{
  MwDeliveryPage *self = MW_DELIVERY_PAGE (page);

  bind_outbox (self);
  update_summary (self);
  start_delivery (self);
}

static void
mw_delivery_page_dispose (GObject *object)
{
  MwDeliveryPage *self = MW_DELIVERY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  g_clear_object (&self->outbox);
  g_clear_pointer (&self->manual_rows, g_ptr_array_unref);
  g_clear_pointer (&self->desk_steps, g_ptr_array_unref);
  g_clear_pointer (&self->desk_key, g_free);
  g_clear_pointer (&self->wanted_key, g_free);
  g_clear_handle_id (&self->desk_idle_id, g_source_remove);
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
    g_signal_connect_object (session, "notify::submitted", G_CALLBACK (bind_outbox), self, G_CONNECT_SWAPPED);
  bind_outbox (self);
  update_summary (self);
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
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, reminder_label);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, recipients_group);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, manual_group);
  gtk_widget_class_bind_template_child (widget_class, MwDeliveryPage, desk_group);
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
  self->manual_rows = g_ptr_array_new ();
  self->desk_steps = g_ptr_array_new ();
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  adw_preferences_group_add (self->recipients_group, GTK_WIDGET (self->list));
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

guint
mw_delivery_page_get_n_desks (MwDeliveryPage *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_PAGE (self), 0);
  return self->desk_steps->len;
}

GtkWidget *
mw_delivery_page_get_desk_step (MwDeliveryPage *self,
                                const char     *recipient)
{
  g_return_val_if_fail (MW_IS_DELIVERY_PAGE (self), NULL);

  for (guint i = 0; i < self->desk_steps->len; i++)
    if (g_strcmp0 (mw_desk_step_get_recipient (g_ptr_array_index (self->desk_steps, i)), recipient) == 0)
      return g_ptr_array_index (self->desk_steps, i);
  return NULL;
}

const char *
mw_delivery_page_get_reminder (MwDeliveryPage *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->reminder_label)))
    return NULL;
  return gtk_label_get_text (self->reminder_label);
}
