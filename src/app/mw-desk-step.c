/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwDeskStep"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-desk-form.h"
#include "mw-desk-step.h"
#include "mw-email-portal.h"
#include "mw-page.h"
#include "mw-term.h"

struct _MwDeskStep
{
  GtkBox             parent_instance;

  MwOutbox          *outbox;
  MwReport          *report;
  MwRegime          *regime;
  MwSession         *session;    /* for the copies to attach, or NULL */
  GCancellable      *cancellable;
  const MwRecipient *recipient;  /* of the regime */
  const MwChannel   *channel;    /* the one filed through, or NULL */
  GPtrArray         *answers;    /* MwDeskAnswer */
  GPtrArray         *channels;   /* const MwChannel*: those a report can be filed through */
  GtkWidget         *choice_group;
  GtkWidget         *channel_group;
  GtkWidget         *attach_row;  /* "attach them by hand", after a mailto: */

  AdwEntryRow       *reference_row;
  AdwEntryRow       *time_row;
  GtkLabel          *error_label;
};

G_DEFINE_FINAL_TYPE (MwDeskStep, mw_desk_step, GTK_TYPE_BOX)

/* The desk's web form first (where a report is filed today), then any web page, e-mail,
 * phone. */
static const MwChannel *
choose_channel (const MwRecipient *recipient)
{
  static const char * const order[] = { "form", "web", "email", "phone" };

  for (gsize k = 0; k < G_N_ELEMENTS (order); k++)
    for (guint i = 0; recipient->channels != NULL && i < recipient->channels->len; i++)
      {
        const MwChannel *channel = g_ptr_array_index (recipient->channels, i);

        if (g_str_equal (order[k], "form") ? (g_str_equal (channel->kind, "web") && channel->form != NULL)
                                           : g_str_equal (channel->kind, order[k]))
          return channel;
      }
  return NULL;
}

static void
copy_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "text");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
}

/* A row with a text to paste and its copy button. */
static GtkWidget *
add_copy_row (AdwPreferencesGroup *group,
              const char          *title,
              const char          *text)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  g_autofree char *name = g_strdup_printf (_("Copy %s"), title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_tooltip_text (copy, _("Copy"));
  mw_widget_set_accessible_label (copy, name);
  g_object_set_data_full (G_OBJECT (copy), "text", g_strdup (text), g_free);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
  adw_preferences_group_add (group, row);
  return copy;
}

static void
add_toast (MwDeskStep *self,
           const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    return;
  toast = adw_toast_new (message);
  /* The address is to be read and pasted: it stays until dismissed. */
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

typedef struct
{
  MwDeskStep *self;
  char       *uri;
  char       *copy;  /* put on the clipboard when nothing opens */
} ShowUri;

static void
show_uri_free (ShowUri *data)
{
  g_object_unref (data->self);
  g_free (data->uri);
  g_free (data->copy);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShowUri, show_uri_free)

static void
show_uri_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ShowUri) data = user_data;
  MwDeskStep *self = data->self;
  const char *uri = data->uri;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    return;
  /* No browser or mail program here (none installed, no portal, a desktop without one):
   * the officer can still go there, with the address on the clipboard. */
  g_debug ("Could not open %s: %s", uri, error->message);
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), data->copy ? data->copy : uri);
  if (g_str_has_prefix (uri, "mailto:"))
    message = g_strdup (_("No mail program could be opened. The e-mail is copied: paste it into a new message."));
  else
    /* Translators: %s is a web address */
    message = g_strdup_printf (_("No browser could be opened. The address is copied: paste it into a browser. %s"), uri);
  add_toast (self, message);
}

/* Opens the address in the browser or mail program (through the OpenURI portal under
 * Flatpak); when none can be opened, says so and puts the address on the clipboard. */
static void
show_uri (MwDeskStep *self,
          const char *uri,
          const char *copy)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  ShowUri *data = g_new0 (ShowUri, 1);

  data->self = g_object_ref (self);
  data->uri = g_strdup (uri);
  data->copy = g_strdup (copy);
  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME, NULL,
                     show_uri_cb, data);
}

static void
open_clicked_cb (MwDeskStep *self)
{
  show_uri (self, self->channel->value, NULL);
}

/* The mail program without the portal: a mailto: link with the text, and the files to
 * attach by hand, saved through the delivery page's copies. */
static void
compose_mailto (MwDeskStep *self,
                const char *subject,
                const char *body)
{
  g_autofree char *subject_escaped = g_uri_escape_string (subject, NULL, FALSE);
  g_autofree char *body_escaped = g_uri_escape_string (body, NULL, FALSE);
  g_autofree char *uri = g_strdup_printf ("mailto:%s?subject=%s&body=%s", self->channel->value,
                                          subject_escaped, body_escaped);

  if (self->attach_row != NULL)
    gtk_widget_set_visible (self->attach_row, TRUE);
  show_uri (self, uri, body);
}

static char *
dup_subject (MwDeskStep *self)
{
  return g_strdup_printf ("%s %s", mw_report_get_regime (self->report), mw_report_get_report_id (self->report));
}

static void
compose_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MwDeskStep) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;

  if (mw_email_portal_compose_finish (result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->channel == NULL ||
      !g_str_equal (self->channel->kind, "email"))
    return;
  g_debug ("No e-mail through the portal: %s", error->message);
  subject = dup_subject (self);
  body = mw_desk_form_to_text (self->answers);
  compose_mailto (self, subject, body);
}

/* The signed report and its PDF record: what is attached to the e-mail. */
static gboolean
dup_attachments (MwDeskStep  *self,
                 GBytes     **jws,
                 GBytes     **pdf)
{
  const char *report_id = mw_report_get_report_id (self->report);
  g_autoptr(GError) error = NULL;
  char *text;

  if (self->session == NULL)
    return FALSE;
  text = mw_context_dup_signed_report (mw_session_get_context (self->session), report_id, &error);
  if (text == NULL)
    {
      g_debug ("No signed report to attach: %s", error->message);
      return FALSE;
    }
  *jws = g_bytes_new_take (text, strlen (text));
  *pdf = mw_session_dup_pdf_record (self->session, mw_report_get_incident_id (self->report), report_id, &error);
  if (*pdf == NULL)
    {
      g_debug ("No PDF record to attach: %s", error->message);
      g_clear_pointer (jws, g_bytes_unref);
      return FALSE;
    }
  return TRUE;
}

static void
email_clicked_cb (MwDeskStep *self)
{
  g_autofree char *body = mw_desk_form_to_text (self->answers);
  g_autofree char *subject = dup_subject (self);
  g_autoptr(GBytes) jws = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *jws_name = NULL;
  g_autofree char *pdf_name = NULL;

  if (!dup_attachments (self, &jws, &pdf))
    {
      compose_mailto (self, subject, body);
      return;
    }
  /* The names the delivery page saves them under. */
  jws_name = g_strdup_printf ("meldwijzer-%s.jws", mw_report_get_report_id (self->report));
  pdf_name = g_strdup_printf ("meldwijzer-%s.pdf", mw_report_get_report_id (self->report));
  {
    const MwEmailAttachment attachments[] = { { jws_name, jws }, { pdf_name, pdf } };

    mw_email_portal_compose_async (self->channel->value, subject, body, attachments, G_N_ELEMENTS (attachments),
                                   self->cancellable, compose_cb, g_object_ref (self));
  }
}

static void
record_clicked_cb (MwDeskStep *self)
{
  const char *reference = gtk_editable_get_text (GTK_EDITABLE (self->reference_row));
  const char *time_text = gtk_editable_get_text (GTK_EDITABLE (self->time_row));
  g_autoptr(GDateTime) filed_at = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!mw_desk_form_parse_time (time_text, &filed_at))
    /* Translators: %s is what was typed as the time */
    message = g_strdup_printf (_("Filed at: “%s” is not a time; type it as 2026-12-06 03:10 (Dutch time)"), time_text);
  else if (!mw_outbox_record_filing (self->outbox, mw_report_get_report_id (self->report), self->recipient->id,
                                     reference, filed_at, self->channel ? self->channel->id : NULL, &error))
    message = g_strdup (error->message);

  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  mw_widget_set_invalid (GTK_WIDGET (self->reference_row), message != NULL && filed_at != NULL);
  mw_widget_set_invalid (GTK_WIDGET (self->time_row), filed_at == NULL);
}

static AdwPreferencesGroup *
add_group (MwDeskStep *self,
           const char *title,
           const char *description)
{
  GtkWidget *group = mw_preferences_group_new (title, description);

  gtk_box_append (GTK_BOX (self), group);
  return ADW_PREFERENCES_GROUP (group);
}

static GtkWidget *
add_button_row (AdwPreferencesGroup *group,
                const char          *title,
                const char          *subtitle,
                const char          *label)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  /* The row makes its title the button's name ("https://…" for a web form): a screen
   * reader says what the button does, and the row's title and subtitle describe it. */
  mw_widget_set_accessible_label (button, gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)))));
  adw_preferences_group_add (group, row);
  return button;
}

/* Shown when the mail program opened through a mailto: link, which carries no files: they
 * are to be attached by hand, saved with the delivery page's actions. */
static GtkWidget *
build_attach_row (AdwPreferencesGroup *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *jws = gtk_button_new_with_label (_("Save Signed Report"));
  GtkWidget *pdf = gtk_button_new_with_label (_("Save PDF Record"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Attach the files by hand"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Your mail program opened without attachments: save the signed report and its PDF record, then attach both to the e-mail."));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (jws), "delivery.save-jws");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (pdf), "delivery.save-pdf");
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), jws);
  gtk_box_append (GTK_BOX (buttons), pdf);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), buttons);
  gtk_widget_set_name (row, "desk-attach");
  gtk_widget_set_visible (row, FALSE);
  adw_preferences_group_add (group, row);
  return row;
}

/* The desk: how to reach it, through the chosen channel. */
static void
build_channel (MwDeskStep *self)
{
  const char *name = mw_label_get (&self->recipient->name);
  g_autofree char *title = g_strdup_printf (_("File at the desk of %s"), name ? name : self->recipient->id);
  const char *label = self->channel ? mw_label_get (&self->channel->label) : NULL;
  AdwPreferencesGroup *group;
  GtkWidget *button;

  if (self->channel_group != NULL)
    gtk_box_remove (GTK_BOX (self), self->channel_group);
  self->attach_row = NULL;
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, title);
  if (label != NULL)
    adw_preferences_group_set_description (group, label);
  self->channel_group = GTK_WIDGET (group);
  gtk_box_insert_child_after (GTK_BOX (self), self->channel_group, self->choice_group);

  if (self->channel == NULL)
    return;
  if (g_str_equal (self->channel->kind, "web"))
    {
      g_autofree char *short_name = mw_recipient_dup_abbreviation (self->recipient);
      /* Translators: %s is the desk's short name, such as NCSC */
      g_autofree char *open = short_name ? g_strdup_printf (_("_Open the %s Form"), short_name)
                                         : g_strdup (_("_Open the Form"));

      button = add_button_row (group, self->channel->value, self->channel->source, open);
      gtk_widget_add_css_class (button, "suggested-action");
      gtk_widget_set_name (button, "desk-open");
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (open_clicked_cb), self);
    }
  else if (g_str_equal (self->channel->kind, "email"))
    {
      add_copy_row (group, _("E-mail address"), self->channel->value);
      if (self->channel->pgp_fingerprint != NULL)
        add_copy_row (group, _("PGP key fingerprint"), self->channel->pgp_fingerprint);
      button = add_button_row (group, _("The e-mail, with every answer below"),
                               _("With the signed report and its PDF record attached"), _("_Write E-mail"));
      gtk_widget_set_name (button, "desk-email");
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (email_clicked_cb), self);
      self->attach_row = build_attach_row (group);
    }
  else if (g_str_equal (self->channel->kind, "phone"))
    {
      add_copy_row (group, _("Telephone number"), self->channel->value);
      add_copy_row (group, _("What to say"),
                    _("That you report a cybersecurity incident of your organisation, then the answers below in this order; ask for a reference."));
    }
  else
    add_copy_row (group, self->channel->kind, self->channel->value);
}

static void
channel_selected_cb (MwDeskStep *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (g_object_get_data (G_OBJECT (self->choice_group), "row")));

  if (selected >= self->channels->len || g_ptr_array_index (self->channels, selected) == self->channel)
    return;
  self->channel = g_ptr_array_index (self->channels, selected);
  build_channel (self);
}

/* The desk's other channels, each a way of filing of its own: a choice at the top when there
 * is more than one. */
static void
build_choice (MwDeskStep *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *row;
  guint selected = 0;

  self->channels = g_ptr_array_new ();
  for (guint i = 0; self->recipient->channels != NULL && i < self->recipient->channels->len; i++)
    {
      const MwChannel *channel = g_ptr_array_index (self->recipient->channels, i);
      const char *label = mw_label_get (&channel->label);
      g_autofree char *text = NULL;

      if (!g_str_equal (channel->kind, "web") && !g_str_equal (channel->kind, "email") &&
          !g_str_equal (channel->kind, "phone"))
        continue;
      if (channel == self->channel)
        selected = self->channels->len;
      text = g_strdup_printf ("%s — %s", channel->value, label && *label ? label : channel->kind);
      gtk_string_list_append (names, text);
      g_ptr_array_add (self->channels, (gpointer) channel);
    }

  self->choice_group = adw_preferences_group_new ();
  gtk_box_append (GTK_BOX (self), self->choice_group);
  gtk_widget_set_visible (self->choice_group, self->channels->len > 1);
  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("File _through"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  gtk_widget_set_name (row, "desk-channel");
  g_object_set_data (G_OBJECT (self->choice_group), "row", row);
  g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (channel_selected_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->choice_group), row);
}

static void
build_answers (MwDeskStep *self)
{
  const char *section = NULL;
  AdwPreferencesGroup *group = NULL;

  for (guint i = 0; i < self->answers->len; i++)
    {
      const MwDeskAnswer *answer = g_ptr_array_index (self->answers, i);

      if (g_strcmp0 (section, answer->section) != 0)
        {
          section = answer->section;
          group = add_group (self, mw_desk_form_section_title (section), NULL);
        }
      add_copy_row (group, answer->label, answer->value);
    }
}

static void
build_record (MwDeskStep *self)
{
  AdwPreferencesGroup *group = add_group (self, _("What the desk gave"),
                                          _("Once the desk took the report, record its reference or confirmation and when: that is the proof of filing, kept with the signed report."));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) dutch = mw_to_dutch_time (now);
  g_autofree char *now_text = g_date_time_format (dutch, "%Y-%m-%d %H:%M");
  GtkWidget *button;
  GtkWidget *row;

  self->reference_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reference_row), _("_Reference the desk gave"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->reference_row), TRUE);
  gtk_widget_set_name (GTK_WIDGET (self->reference_row), "desk-reference");
  adw_preferences_group_add (group, GTK_WIDGET (self->reference_row));

  self->time_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->time_row), _("Filed _at (Dutch time)"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->time_row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), now_text);
  gtk_widget_set_name (GTK_WIDGET (self->time_row), "desk-time");
  adw_preferences_group_add (group, GTK_WIDGET (self->time_row));

  self->error_label = g_object_new (GTK_TYPE_LABEL, "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT, NULL);
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (row, 12);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->error_label));
  button = gtk_button_new_with_mnemonic (_("Recor_d Filing"));
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (button, "desk-record");
  mw_button_fix_accessible_name (button);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (record_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), button);
  adw_preferences_group_add (group, row);
}

static void
mw_desk_step_dispose (GObject *object)
{
  MwDeskStep *self = MW_DESK_STEP (object);

  g_clear_object (&self->outbox);
  g_clear_object (&self->report);
  g_clear_object (&self->regime);
  g_clear_pointer (&self->answers, g_ptr_array_unref);
  g_clear_pointer (&self->channels, g_ptr_array_unref);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (mw_desk_step_parent_class)->dispose (object);
}

static void
mw_desk_step_class_init (MwDeskStepClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mw_desk_step_dispose;
}

static void
mw_desk_step_init (MwDeskStep *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 24);
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
mw_desk_step_new (MwOutbox   *outbox,
                  MwReport   *report,
                  MwRegime   *regime,
                  const char *recipient)
{
  MwDeskStep *self;
  const MwRecipient *found;

  g_return_val_if_fail (MW_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (MW_IS_REPORT (report), NULL);
  g_return_val_if_fail (MW_IS_REGIME (regime), NULL);

  found = recipient ? mw_regime_find_recipient (regime, recipient) : NULL;
  if (found == NULL)
    return NULL;
  self = g_object_new (MW_TYPE_DESK_STEP, NULL);
  self->outbox = g_object_ref (outbox);
  self->report = g_object_ref (report);
  self->regime = g_object_ref (regime);
  self->recipient = found;
  self->channel = choose_channel (found);
  self->answers = mw_desk_form_answers (report, self->channel && self->channel->form
                                                ? (const char * const *) self->channel->form : NULL);
  build_choice (self);
  build_channel (self);
  build_answers (self);
  build_record (self);
  return GTK_WIDGET (self);
}

const char *
mw_desk_step_get_recipient (MwDeskStep *self)
{
  g_return_val_if_fail (MW_IS_DESK_STEP (self), NULL);
  return self->recipient->id;
}

const char *
mw_desk_step_get_channel (MwDeskStep *self)
{
  g_return_val_if_fail (MW_IS_DESK_STEP (self), NULL);
  return self->channel ? self->channel->id : NULL;
}

GPtrArray *
mw_desk_step_get_answers (MwDeskStep *self)
{
  g_return_val_if_fail (MW_IS_DESK_STEP (self), NULL);
  return self->answers;
}

void
mw_desk_step_set_session (MwDeskStep *self,
                          MwSession  *session)
{
  g_return_if_fail (MW_IS_DESK_STEP (self));
  g_return_if_fail (session == NULL || MW_IS_SESSION (session));
  g_set_object (&self->session, session);
}
