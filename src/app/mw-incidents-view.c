/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwIncidentsView"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-incidents-view.h"
#include "mw-json.h"
#include "mw-page.h"
#include "mw-signer.h"
#include "mw-term.h"
#include "mw-vocabulary.h"

/*
 * The list pane is a GtkListView over a GtkFilterListModel (a GtkStringFilter on each
 * item's search text) over MwIncidents; a row is a box of labels named as one for screen
 * readers. Activating a row (click, Return) shows the detail pane, built from the
 * incident's history (mw_incidents_dup_history) as preference groups: the deadlines, each
 * report with its deliveries and receipts, the decision records.
 */

struct _MwIncidentsView
{
  AdwBin              parent_instance;

  AdwLeaflet         *leaflet;
  GtkWidget          *list_pane;
  GtkWidget          *detail_pane;
  GtkMenuButton      *menu_button;
  GtkSearchEntry     *search;
  GtkListView        *list_view;
  GtkStringFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  AdwWindowTitle     *detail_title;
  GtkBox             *detail_box;
  GtkWidget          *next_button;   /* in the detail, while one is shown */

  MwIncidents        *incidents;
  char               *shown;
};

G_DEFINE_FINAL_TYPE (MwIncidentsView, mw_incidents_view, ADW_TYPE_BIN)

enum {
  SIGNAL_NEW_INCIDENT,
  SIGNAL_FILE_NEXT_REPORT,
  SIGNAL_MESSAGE,
  SIGNAL_SAVE_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Texts ---- */

static const char *
stage_name (const char *stage)
{
  int value;
  const char *name;

  if (stage == NULL)
    return _("No report yet");
  if (mw_enum_from_nick (MW_TYPE_REPORT_STAGE, stage, &value) &&
      (name = mw_enum_get_display_name (MW_TYPE_REPORT_STAGE, value)) != NULL)
    return name;
  return stage;
}

static const char *
state_name (const char *state)
{
  if (g_strcmp0 (state, "pending") == 0)
    return _("waiting to be delivered");
  if (g_strcmp0 (state, "delivered") == 0)
    return _("delivered");
  if (g_strcmp0 (state, "failed") == 0)
    return _("refused");
  if (g_strcmp0 (state, "manual") == 0 || g_strcmp0 (state, "filed-by-hand") == 0)
    return _("filed by hand");
  if (g_strcmp0 (state, "awaiting-filing") == 0)
    return _("awaiting filing");
  if (g_strcmp0 (state, "forwarded") == 0)
    return _("forwarded");
  return state;
}

/* A recipient by the name people call it (the regime's abbreviation, "NCSC"), or by its
 * whole name (@whole), or its id when the regime does not know it. */
static char *
recipient_name (MwRegime   *regime,
                const char *id,
                gboolean    whole)
{
  const MwRecipient *recipient = regime != NULL && id != NULL ? mw_regime_find_recipient (regime, id) : NULL;
  const char *name = mw_regime_get_recipient_name (regime, id);

  if (!whole && recipient != NULL)
    return mw_recipient_dup_short_name (recipient);
  return g_strdup (name != NULL ? name : "—");
}

/* The item's "ncsc: delivered, rdi: pending" as "NCSC: delivered, RDI: waiting to be
 * delivered". */
static char *
recipients_text (MwIncidentsView *self,
                 MwIncidentItem  *item)
{
  const char *recipients = mw_incident_item_get_recipients (item);
  MwRegime *regime = mw_incidents_lookup_regime (self->incidents, mw_incident_item_get_regime (item));
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (recipients == NULL)
    return NULL;
  parts = g_strsplit (recipients, ", ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *colon = strstr (parts[i], ": ");

      if (out->len > 0)
        g_string_append (out, ", ");
      if (colon == NULL)
        g_string_append (out, parts[i]);
      else
        {
          g_autofree char *id = g_strndup (parts[i], colon - parts[i]);
          g_autofree char *name = recipient_name (regime, id, FALSE);

          /* Translators: a recipient and the state of its delivery, "NCSC: delivered" */
          g_string_append_printf (out, _("%s: %s"), name, state_name (colon + 2));
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
time_text (const char *rfc3339)
{
  g_autoptr(GDateTime) time = NULL;

  if (rfc3339 == NULL || !mw_parse_time (rfc3339, &time))
    return g_strdup (rfc3339 != NULL ? rfc3339 : "—");
  return mw_format_due (time, FALSE);
}

/* ---- The list ---- */

static GtkWidget *
row_label (GtkBox     *box,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
  return label;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  row_label (GTK_BOX (box), "heading");
  row_label (GTK_BOX (box), "dim-label");
  row_label (GTK_BOX (box), NULL);
  row_label (GTK_BOX (box), "dim-label");
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             MwIncidentsView          *self)
{
  MwIncidentItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *summary = gtk_widget_get_first_child (box);
  GtkWidget *stage = gtk_widget_get_next_sibling (summary);
  GtkWidget *deadline = gtk_widget_get_next_sibling (stage);
  GtkWidget *recipients = gtk_widget_get_next_sibling (deadline);
  g_autoptr(GDateTime) now = mw_incidents_dup_now (self->incidents);
  g_autofree char *stage_text = NULL;
  g_autofree char *deadline_text = NULL;
  g_autofree char *recipients_line = recipients_text (self, item);
  g_autofree char *accessible = NULL;
  GDateTime *due = mw_incident_item_get_next_due (item);

  gtk_label_set_text (GTK_LABEL (summary), mw_incident_item_get_summary (item) != NULL ?
                      mw_incident_item_get_summary (item) : _("Incident without a summary"));
  stage_text = mw_incident_item_get_training (item) ?
               /* Translators: the stage of an incident filed for practice */
               g_strdup_printf (_("%s (training)"), stage_name (mw_incident_item_get_stage (item))) :
               g_strdup (stage_name (mw_incident_item_get_stage (item)));
  gtk_label_set_text (GTK_LABEL (stage), stage_text);
  if (due != NULL)
    {
      g_autofree char *when = mw_format_deadline (due, now);

      deadline_text = g_strdup_printf (mw_incident_item_get_overdue (item) ?
                                       /* Translators: "Overdue: Incident notification, due 2027-… (…)" */
                                       _("Overdue: %s, due %s") :
                                       /* Translators: "Next: Incident notification, due 2027-… (2 days left)" */
                                       _("Next: %s, due %s"),
                                       stage_name (mw_incident_item_get_next_stage (item)), when);
    }
  else
    deadline_text = g_strdup (_("No deadline open"));
  gtk_label_set_text (GTK_LABEL (deadline), deadline_text);
  if (mw_incident_item_get_overdue (item))
    gtk_widget_add_css_class (deadline, "error");
  else
    gtk_widget_remove_css_class (deadline, "error");
  gtk_label_set_text (GTK_LABEL (recipients), recipients_line != NULL ? recipients_line : "");
  gtk_widget_set_visible (recipients, recipients_line != NULL);

  accessible = g_strjoin (". ", gtk_label_get_text (GTK_LABEL (summary)), stage_text, deadline_text,
                          recipients_line != NULL ? recipients_line : "", NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

/* ---- The detail ---- */

static GtkWidget *
group_new (MwIncidentsView *self,
           const char      *title,
           const char      *description)
{
  GtkWidget *group = mw_preferences_group_new (title, description);

  gtk_box_append (self->detail_box, group);
  return group;
}

static GtkWidget *
row_new (GtkWidget  *group,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static void
receipt_saved_cb (GtkNativeDialog *dialog,
                  int              response,
                  MwIncidentsView *self)
{
  const char *report_id = g_object_get_data (G_OBJECT (dialog), "report-id");
  const char *recipient = g_object_get_data (G_OBJECT (dialog), "recipient");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *jws = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file != NULL ? g_file_get_path (file) : NULL;
      jws = path != NULL ? mw_incidents_dup_receipt (self->incidents, report_id, recipient, &error) : NULL;
      text = jws != NULL ? g_strconcat (jws, "\n", NULL) : NULL;
      if (text != NULL &&
          g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          g_autofree char *message = g_strdup_printf (_("Receipt saved as %s"), path);

          g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
        }
      else if (error != NULL)
        g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, error->message);
    }
  g_object_unref (dialog);
}

static void
save_receipt_cb (GtkButton       *button,
                 MwIncidentsView *self)
{
  const char *report_id = g_object_get_data (G_OBJECT (button), "report-id");
  const char *recipient = g_object_get_data (G_OBJECT (button), "recipient");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autofree char *name = g_strdup_printf ("receipt-%s-%s.jws", recipient, report_id);

  dialog = gtk_file_chooser_native_new (_("Save Receipt"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data_full (G_OBJECT (dialog), "report-id", g_strdup (report_id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "recipient", g_strdup (recipient), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (receipt_saved_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_record_cb (GtkButton       *button,
                MwIncidentsView *self)
{
  g_signal_emit (self, signals[SIGNAL_SAVE_RECORD], 0, g_object_get_data (G_OBJECT (button), "report-id"));
}

static void
file_next_cb (GtkButton       *button,
              MwIncidentsView *self)
{
  if (self->shown != NULL)
    g_signal_emit (self, signals[SIGNAL_FILE_NEXT_REPORT], 0, self->shown);
}

static void
add_deadlines (MwIncidentsView *self,
               JsonArray       *deadlines,
               MwIncidentItem  *item,
               GDateTime       *now)
{
  GtkWidget *group;

  if (json_array_get_length (deadlines) == 0)
    return;
  group = group_new (self, _("Deadlines"), _("In Dutch time; a deadline is the latest moment, report without delay."));
  for (guint i = 0; i < json_array_get_length (deadlines); i++)
    {
      JsonObject *deadline = json_array_get_object_element (deadlines, i);
      const char *status = mw_json_get_string (deadline, "status");
      const char *due_text = mw_json_get_string (deadline, "due");
      g_autoptr(GDateTime) due = NULL;
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (due_text != NULL && mw_parse_time (due_text, &due))
        when = mw_format_deadline (due, now);
      if (g_strcmp0 (status, "done") == 0)
        subtitle = g_strdup (json_object_get_boolean_member_with_default (deadline, "late", FALSE) ?
                             _("Done, after the deadline") : _("Done"));
      else if (when == NULL)
        subtitle = g_strdup (_("Open: the deadline counts from a report not filed yet"));
      else if (g_strcmp0 (status, "overdue") == 0)
        /* Translators: %s is a due time with the time since, "2027-… (overdue by 3 hours)" */
        subtitle = g_strdup_printf (_("Overdue: due %s"), when);
      else
        /* Translators: %s is a due time with the time left */
        subtitle = g_strdup_printf (_("Open: due %s"), when);
      /* The law says when a term is extended, and so does the app. */
      if (item != NULL && mw_incident_item_get_next_extension (item) != NULL &&
          g_strcmp0 (mw_json_get_string (deadline, "stage"), mw_incident_item_get_next_stage (item)) == 0)
        {
          char *with = g_strdup_printf ("%s. %s", subtitle, mw_incident_item_get_next_extension (item));

          g_free (subtitle);
          subtitle = with;
        }
      row = row_new (group, stage_name (mw_json_get_string (deadline, "stage")), subtitle);
      if (g_strcmp0 (status, "overdue") == 0)
        gtk_widget_add_css_class (row, "error");
    }
}

static void
add_reports (MwIncidentsView *self,
             MwRegime        *regime,
             JsonArray       *reports)
{
  for (guint i = 0; i < json_array_get_length (reports); i++)
    {
      JsonObject *report = json_array_get_object_element (reports, i);
      JsonArray *deliveries = json_object_get_array_member (report, "deliveries");
      g_autofree char *created = time_text (mw_json_get_string (report, "created_at"));
      /* Translators: under a report's stage: when it was written, its id, the SHA-256 of its signed form */
      g_autofree char *description = g_strdup_printf (_("Written %s. Report %s. SHA-256 of the signed report: %s"),
                                                      created, mw_json_get_string (report, "report_id"),
                                                      mw_json_get_string (report, "sha256"));
      GtkWidget *group = group_new (self, stage_name (mw_json_get_string (report, "stage")), description);
      GtkWidget *record = gtk_button_new_with_mnemonic (_("Save _PDF Record"));
      GtkWidget *record_row = row_new (group, _("PDF record"),
                                       _("The report with its receipts, as a PDF for the record"));

      gtk_widget_set_valign (record, GTK_ALIGN_CENTER);
      mw_button_fix_accessible_name (record);
      g_object_set_data_full (G_OBJECT (record), "report-id", g_strdup (mw_json_get_string (report, "report_id")), g_free);
      g_signal_connect (record, "clicked", G_CALLBACK (save_record_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (record_row), record);

      for (guint j = 0; deliveries != NULL && j < json_array_get_length (deliveries); j++)
        {
          JsonObject *delivery = json_array_get_object_element (deliveries, j);
          const char *recipient = mw_json_get_string (delivery, "recipient");
          g_autofree char *name = recipient_name (regime, recipient, TRUE);
          const char *receipt_id = mw_json_get_string (delivery, "receipt_id");
          const char *kid = mw_json_get_string (delivery, "receipt_kid");
          g_autofree char *subtitle = NULL;
          GtkWidget *row;

          if (receipt_id != NULL)
            {
              g_autofree char *received = time_text (mw_json_get_string (delivery, "received_at"));
              g_autofree char *thumbprint = kid != NULL ? mw_thumbprint_format (kid) : g_strdup ("—");

              /* Translators: a verified receipt: its id, when it was received, the recipient key's thumbprint */
              subtitle = g_strdup_printf (_("Delivered and verified: receipt %s, received %s, signed by the recipient key %s"),
                                          receipt_id, received, thumbprint);
            }
          else if (mw_json_get_string (delivery, "forwarded_by") != NULL)
            {
              g_autofree char *by = recipient_name (regime, mw_json_get_string (delivery, "forwarded_by"), FALSE);

              /* Translators: the state of a delivery ("forwarded") and the desk that forwarded it */
              subtitle = g_strdup_printf (_("%s by %s"), state_name (mw_json_get_string (delivery, "state")), by);
            }
          else if (mw_json_get_string (delivery, "filed_at") != NULL)
            {
              g_autofree char *filed = time_text (mw_json_get_string (delivery, "filed_at"));

              const char *reference = mw_json_get_string (delivery, "reference");

              if (reference != NULL)
                /* Translators: the state of a delivery, when it was filed, the reference the desk gave */
                subtitle = g_strdup_printf (_("%s, %s, reference %s"), state_name (mw_json_get_string (delivery, "state")),
                                            filed, reference);
              else
                /* Translators: the state of a delivery and when it was filed */
                subtitle = g_strdup_printf (_("%s, %s"), state_name (mw_json_get_string (delivery, "state")), filed);
            }
          else
            subtitle = g_strdup (state_name (mw_json_get_string (delivery, "state")));
          row = row_new (group, name, subtitle);
          if (receipt_id != NULL)
            {
              GtkWidget *button = gtk_button_new_with_mnemonic (_("Save _Receipt"));
              g_autofree char *short_name = recipient_name (regime, recipient, FALSE);
              g_autofree char *what = g_strdup_printf (_("Save the receipt of %s"), short_name);

              gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
              mw_widget_set_accessible_label (button, what);
              gtk_widget_set_tooltip_text (button, what);
              g_object_set_data_full (G_OBJECT (button), "report-id",
                                      g_strdup (mw_json_get_string (report, "report_id")), g_free);
              g_object_set_data_full (G_OBJECT (button), "recipient", g_strdup (recipient), g_free);
              g_signal_connect (button, "clicked", G_CALLBACK (save_receipt_cb), self);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
            }
        }
    }
}

static void
add_decisions (MwIncidentsView *self,
               JsonArray       *decisions)
{
  GtkWidget *group;

  if (json_array_get_length (decisions) == 0)
    return;
  group = group_new (self, _("Decisions not to report"), NULL);
  for (guint i = 0; i < json_array_get_length (decisions); i++)
    {
      JsonObject *decision = json_array_get_object_element (decisions, i);
      g_autofree char *when = time_text (mw_json_get_string (decision, "decided_at"));
      const char *by = mw_json_get_string (decision, "decided_by");
      const char *reason = mw_json_get_string (decision, "reason");
      /* Translators: "Decided 2027-… by J. de Vries (verdict: voluntary)" */
      g_autofree char *title = g_strdup_printf (_("Decided %s by %s (verdict: %s)"), when,
                                                by != NULL ? by : "—", mw_json_get_string (decision, "verdict"));

      row_new (group, title, reason != NULL ? reason : _("No reason given"));
    }
}

static void
clear_detail (MwIncidentsView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
}

static void
build_detail (MwIncidentsView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GDateTime) now = NULL;
  MwIncidentItem *item;
  JsonObject *object;
  GtkWidget *label, *button;
  const char *summary;
  gboolean has_reports;

  clear_detail (self);
  self->next_button = NULL;
  if (self->shown == NULL || self->incidents == NULL)
    {
      /* Side by side, the detail says what goes there until an incident is chosen. */
      GtkWidget *empty = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "view-list-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Incident Chosen"));
      adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                       _("Choose an incident in the list to see its reports, receipts and deadlines."));
      gtk_widget_set_vexpand (empty, TRUE);
      gtk_box_append (self->detail_box, empty);
      return;
    }
  history = mw_incidents_dup_history (self->incidents, self->shown, &error);
  if (history == NULL)
    {
      label = gtk_label_new (error->message);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (self->detail_box, label);
      return;
    }
  now = mw_incidents_dup_now (self->incidents);
  object = json_node_get_object (history);
  item = mw_incidents_lookup (self->incidents, self->shown);
  summary = item != NULL ? mw_incident_item_get_summary (item) : NULL;
  adw_window_title_set_title (self->detail_title, summary != NULL ? summary : _("Incident without a summary"));

  label = gtk_label_new (summary != NULL ? summary : _("Incident without a summary"));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "title-2");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  gtk_box_append (self->detail_box, label);

  has_reports = json_array_get_length (json_object_get_array_member (object, "reports")) > 0;
  button = gtk_button_new_with_mnemonic (_("_File the Next Report"));
  mw_button_fix_accessible_name (button);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, has_reports);
  g_signal_connect (button, "clicked", G_CALLBACK (file_next_cb), self);
  gtk_box_append (self->detail_box, button);
  self->next_button = button;
  {
    g_autofree char *id = g_strdup_printf (_("Incident %s"), self->shown);

    label = gtk_label_new (id);
    gtk_label_set_selectable (GTK_LABEL (label), TRUE);
    gtk_label_set_wrap (GTK_LABEL (label), TRUE);
    gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_widget_add_css_class (label, "dim-label");
    gtk_box_append (self->detail_box, label);
  }

  add_deadlines (self, json_object_get_array_member (object, "deadlines"), item, now);
  add_reports (self, mw_incidents_lookup_regime (self->incidents, mw_json_get_string (object, "regime")),
               json_object_get_array_member (object, "reports"));
  add_decisions (self, json_object_get_array_member (object, "decisions"));
}

/* ---- Callbacks ---- */

static void
activate_cb (GtkListView     *list_view,
             guint            position,
             MwIncidentsView *self)
{
  g_autoptr(MwIncidentItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (item != NULL)
    mw_incidents_view_show_incident (self, mw_incident_item_get_incident_id (item));
}

static void
search_changed_cb (GtkSearchEntry  *entry,
                   MwIncidentsView *self)
{
  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
back_cb (GtkButton       *button,
         MwIncidentsView *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
new_incident_cb (GtkButton       *button,
                 MwIncidentsView *self)
{
  g_signal_emit (self, signals[SIGNAL_NEW_INCIDENT], 0);
}

static void
items_changed_cb (MwIncidentsView *self)
{
  /* A reload: the detail shows the new state. */
  if (self->shown != NULL)
    build_detail (self);
}

/* ---- Building ---- */

static GtkWidget *
build_list_pane (MwIncidentsView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *new_button = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression;

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Incidents"), NULL));
  /* Side by side, the window's buttons are on the detail's header bar only. */
  g_object_bind_property (self->leaflet, "folded", header, "show-end-title-buttons", G_BINDING_SYNC_CREATE);
  gtk_widget_set_tooltip_text (new_button, _("New Incident"));
  mw_widget_set_accessible_label (new_button, _("New Incident"));
  g_signal_connect (new_button, "clicked", G_CALLBACK (new_incident_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), new_button);
  self->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->menu_button, "open-menu-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _("Main Menu"));
  mw_widget_set_accessible_label (GTK_WIDGET (self->menu_button), _("Main Menu"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->menu_button));
  gtk_box_append (GTK_BOX (box), header);

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->search, "placeholder-text", _("Search incidents"), NULL);
  mw_widget_set_accessible_label (GTK_WIDGET (self->search), _("Search incidents"));
  gtk_widget_set_margin_start (GTK_WIDGET (self->search), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->search), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->search), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->search), 6);
  g_signal_connect (self->search, "search-changed", G_CALLBACK (search_changed_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search));

  expression = gtk_property_expression_new (MW_TYPE_INCIDENT_ITEM, NULL, "search-text");
  self->filter = gtk_string_filter_new (expression);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  self->filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (g_object_ref (GTK_SELECTION_MODEL (self->selection)), factory));
  gtk_list_view_set_single_click_activate (self->list_view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "navigation-sidebar");
  mw_widget_set_accessible_label (GTK_WIDGET (self->list_view), _("Incidents"));
  g_signal_connect (self->list_view, "activate", G_CALLBACK (activate_cb), self);
  /* Typing in the list searches it. */
  gtk_search_entry_set_key_capture_widget (self->search, GTK_WIDGET (self->list_view));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list_view));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_widget_set_size_request (box, 300, -1);
  return box;
}

static GtkWidget *
build_detail_pane (MwIncidentsView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  self->detail_title = ADW_WINDOW_TITLE (adw_window_title_new (_("Incident"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->detail_title));
  gtk_widget_set_tooltip_text (back, _("Back to the incidents"));
  mw_widget_set_accessible_label (back, _("Back to the incidents"));
  g_signal_connect (back, "clicked", G_CALLBACK (back_cb), self);
  g_object_bind_property (self->leaflet, "folded", back, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->leaflet, "folded", header, "show-start-title-buttons", G_BINDING_SYNC_CREATE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  gtk_box_append (GTK_BOX (box), header);

  self->detail_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 18));
  gtk_widget_set_margin_top (GTK_WIDGET (self->detail_box), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->detail_box), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self->detail_box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->detail_box), 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->detail_box));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  return box;
}

/* ---- GObject ---- */

static void
mw_incidents_view_dispose (GObject *object)
{
  MwIncidentsView *self = MW_INCIDENTS_VIEW (object);

  if (self->incidents != NULL)
    g_signal_handlers_disconnect_by_data (self->incidents, self);
  g_clear_object (&self->incidents);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  G_OBJECT_CLASS (mw_incidents_view_parent_class)->dispose (object);
}

static void
mw_incidents_view_finalize (GObject *object)
{
  MwIncidentsView *self = MW_INCIDENTS_VIEW (object);

  g_free (self->shown);
  G_OBJECT_CLASS (mw_incidents_view_parent_class)->finalize (object);
}

static void
mw_incidents_view_class_init (MwIncidentsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_incidents_view_dispose;
  object_class->finalize = mw_incidents_view_finalize;

  signals[SIGNAL_NEW_INCIDENT] =
    g_signal_new ("new-incident", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FILE_NEXT_REPORT] =
    g_signal_new ("file-next-report", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_SAVE_RECORD] =
    g_signal_new ("save-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mw_incidents_view_init (MwIncidentsView *self)
{
  self->leaflet = ADW_LEAFLET (adw_leaflet_new ());
  adw_leaflet_set_can_navigate_back (self->leaflet, TRUE);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->leaflet));
  self->list_pane = build_list_pane (self);
  self->detail_pane = build_detail_pane (self);
  adw_leaflet_append (self->leaflet, self->list_pane);
  adw_leaflet_page_set_navigatable (adw_leaflet_append (self->leaflet, gtk_separator_new (GTK_ORIENTATION_VERTICAL)),
                                    FALSE);
  adw_leaflet_append (self->leaflet, self->detail_pane);
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  build_detail (self);
}

/* ---- Public ---- */

GtkWidget *
mw_incidents_view_new (void)
{
  return g_object_new (MW_TYPE_INCIDENTS_VIEW, NULL);
}

void
mw_incidents_view_set_incidents (MwIncidentsView *self,
                                 MwIncidents     *incidents)
{
  g_return_if_fail (MW_IS_INCIDENTS_VIEW (self));
  g_return_if_fail (incidents == NULL || MW_IS_INCIDENTS (incidents));

  if (self->incidents == incidents)
    return;
  if (self->incidents != NULL)
    g_signal_handlers_disconnect_by_data (self->incidents, self);
  g_set_object (&self->incidents, incidents);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (incidents));
  if (incidents != NULL)
    g_signal_connect_swapped (incidents, "items-changed", G_CALLBACK (items_changed_cb), self);
  build_detail (self);
}

MwIncidents *
mw_incidents_view_get_incidents (MwIncidentsView *self)
{
  g_return_val_if_fail (MW_IS_INCIDENTS_VIEW (self), NULL);
  return self->incidents;
}

void
mw_incidents_view_set_menu_model (MwIncidentsView *self,
                                  GMenuModel      *menu)
{
  g_return_if_fail (MW_IS_INCIDENTS_VIEW (self));
  mw_menu_button_set_menu_model_lazily (self->menu_button, menu);
}

void
mw_incidents_view_show_incident (MwIncidentsView *self,
                                 const char      *incident_id)
{
  g_return_if_fail (MW_IS_INCIDENTS_VIEW (self));

  if (g_strcmp0 (self->shown, incident_id) != 0)
    {
      g_free (self->shown);
      self->shown = g_strdup (incident_id);
    }
  build_detail (self);
  adw_leaflet_set_visible_child (self->leaflet, incident_id != NULL ? self->detail_pane : self->list_pane);
  /* The keyboard goes where the user is: the detail's main button. */
  if (self->next_button != NULL && gtk_widget_get_sensitive (self->next_button))
    gtk_widget_grab_focus (self->next_button);
}

const char *
mw_incidents_view_get_shown (MwIncidentsView *self)
{
  g_return_val_if_fail (MW_IS_INCIDENTS_VIEW (self), NULL);
  return self->shown;
}

GListModel *
mw_incidents_view_get_filtered (MwIncidentsView *self)
{
  g_return_val_if_fail (MW_IS_INCIDENTS_VIEW (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

GtkEditable *
mw_incidents_view_get_search (MwIncidentsView *self)
{
  g_return_val_if_fail (MW_IS_INCIDENTS_VIEW (self), NULL);
  return GTK_EDITABLE (self->search);
}
