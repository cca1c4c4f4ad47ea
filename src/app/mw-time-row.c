/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwTimeRow"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-page.h"
#include "mw-report.h"
#include "mw-term.h"
#include "mw-time-parse.h"
#include "mw-time-row.h"

#define MAX_TIME_TEXT MW_TIME_PARSE_MAX_TEXT

struct _MwTimeRow
{
  AdwActionRow  parent_instance;

  GtkEntry     *entry;
  GtkButton    *now_button;
  GtkMenuButton *calendar_button;
  GtkCalendar  *calendar;      /* NULL until the calendar is first opened */
  char         *error;
  guint         loading : 1;
  guint         loading_calendar : 1;
};

G_DEFINE_FINAL_TYPE (MwTimeRow, mw_time_row, ADW_TYPE_ACTION_ROW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Now, in Dutch time, the zone every time of a report is read and shown in. */
static GDateTime *
dutch_now (void)
{
  GTimeZone *zone = mw_dutch_time_zone ();

  return g_date_time_new_now (zone);
}

static GDateTime *
parse_typed (const char  *text,
             GError     **error)
{
  GTimeZone *zone = mw_dutch_time_zone ();
  g_autoptr(GDateTime) now = dutch_now ();

  return mw_time_parse (text, zone, now, error);
}

GDateTime *
mw_parse_local_time (const char *text)
{
  return parse_typed (text, NULL);
}

static char *
format_for_entry (GDateTime *time)
{
  GTimeZone *zone = mw_dutch_time_zone ();
  g_autoptr(GDateTime) dutch = g_date_time_to_timezone (time, zone);

  return g_date_time_format (dutch, "%Y-%m-%d %H:%M");
}

static void
update_state (MwTimeRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  gboolean empty = text == NULL || *text == '\0';
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GDateTime) parsed = empty ? NULL : parse_typed (text, &parse_error);
  gboolean invalid = (!empty && parsed == NULL) || self->error != NULL;

  mw_widget_set_invalid (GTK_WIDGET (self->entry), invalid);
  if (self->error != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->error);
  else if (!empty && parsed == NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), parse_error->message);
  else if (empty)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                                 _("Unknown. Type 6-12-2026 01:30, 01:30 for today, or “now”."));
  else
    {
      g_autofree char *subtitle = NULL;
      g_autofree char *pretty = g_date_time_format (parsed, "%a %-d %b %Y, %H:%M");
      g_autofree char *zone = g_date_time_format (parsed, "%:z");

      /* What was understood, in Dutch time. */
      /* Translators: a weekday, date and time, then a UTC offset such as +01:00 */
      subtitle = g_strdup_printf (_("%s Dutch time (UTC%s)"), pretty, zone);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
    }
}

/* Shows back what was understood ("6-12 1:30" becomes "2026-12-06 01:30") when the cursor
 * leaves the field. */
static void
focus_leave_cb (MwTimeRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(GDateTime) parsed = *text ? parse_typed (text, NULL) : NULL;
  g_autofree char *shown = NULL;

  if (parsed == NULL)
    return;
  shown = format_for_entry (parsed);
  if (g_strcmp0 (shown, text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), shown);
}

/* The calendar opens on the typed day, or today. */
static void
calendar_show_cb (MwTimeRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(GDateTime) parsed = *text ? parse_typed (text, NULL) : NULL;
  g_autoptr(GDateTime) day = parsed ? g_date_time_ref (parsed) : dutch_now ();

  self->loading_calendar = TRUE;
  gtk_calendar_select_day (self->calendar, day);
  self->loading_calendar = FALSE;
}

/* A day picked keeps the typed time of day (or 00:00 when there was none). */
static void
calendar_day_selected_cb (MwTimeRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(GDateTime) parsed = *text ? parse_typed (text, NULL) : NULL;
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (self->calendar);
  GTimeZone *zone = mw_dutch_time_zone ();
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *shown = NULL;

  if (self->loading_calendar)
    return;
  when = g_date_time_new (zone, g_date_time_get_year (picked), g_date_time_get_month (picked),
                          g_date_time_get_day_of_month (picked),
                          parsed ? g_date_time_get_hour (parsed) : 0,
                          parsed ? g_date_time_get_minute (parsed) : 0, 0);
  shown = format_for_entry (when);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), shown);
  gtk_popover_popdown (gtk_menu_button_get_popover (self->calendar_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  /* The cursor before the time, to correct it. */
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

/* The calendar is built the first time it is asked for, not with every time row. */
static void
create_calendar_cb (GtkMenuButton *button,
                    gpointer       user_data)
{
  MwTimeRow *self = MW_TIME_ROW (user_data);
  GtkWidget *popover;

  if (gtk_menu_button_get_popover (button) != NULL)
    return;
  popover = gtk_popover_new ();
  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (self->calendar));
  g_signal_connect_object (popover, "show", G_CALLBACK (calendar_show_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->calendar, "day-selected", G_CALLBACK (calendar_day_selected_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_menu_button_set_popover (button, popover);
}

static void
entry_changed_cb (MwTimeRow *self)
{
  g_clear_pointer (&self->error, g_free);
  update_state (self);
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
now_clicked_cb (MwTimeRow *self)
{
  mw_time_row_set_now (self);
}

static void
mw_time_row_finalize (GObject *object)
{
  MwTimeRow *self = MW_TIME_ROW (object);

  g_clear_pointer (&self->error, g_free);
  G_OBJECT_CLASS (mw_time_row_parent_class)->finalize (object);
}

static void
mw_time_row_class_init (MwTimeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_time_row_finalize;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mw_time_row_init (MwTimeRow *self)
{
  /* The field over its buttons: side by side they leave the title too little room at
   * 360 px. */
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  self->entry = GTK_ENTRY (gtk_entry_new ());
  /* Translators: an example of a time to type; keep the numbers */
  gtk_entry_set_placeholder_text (self->entry, _("6-12-2026 01:30"));
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 14);
  gtk_entry_set_max_length (self->entry, MAX_TIME_TEXT);
  gtk_entry_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_FREE_FORM);
  /* No mnemonic: the row's title moves the focus to the entry and Tab goes on to Now; one
   * letter for the Now of every time row would only cycle between them. */
  self->now_button = GTK_BUTTON (gtk_button_new_with_label (_("Now")));
  self->calendar_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->calendar_button, "x-office-calendar-symbolic");
  gtk_menu_button_set_create_popup_func (self->calendar_button, create_calendar_cb, self, NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->calendar_button), _("Pick the day"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  /* Now first: Tab from the field reaches it at once. */
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->now_button));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->calendar_button));
  gtk_box_append (GTK_BOX (box), buttons);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), box);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->entry));
  /* Tab goes straight into the field: a focused row would take a typed space as "activate"
   * and send the rest of "06-12-2026 01:30" elsewhere. */
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  mw_row_type_into_field (GTK_WIDGET (self), GTK_WIDGET (self->entry));

  g_signal_connect_object (self->entry, "changed", G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->now_button, "clicked", G_CALLBACK (now_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
  update_state (self);
}

GtkWidget *
mw_time_row_new (const char *title,
                 const char *accessible_name)
{
  MwTimeRow *self = g_object_new (MW_TYPE_TIME_ROW,
                                  "title", title,
                                  "use-underline", TRUE,
                                  NULL);
  g_autofree char *now_name = NULL;
  g_autofree char *calendar_name = NULL;

  /* Translators: accessible name of a "Now" button; %s names the time, e.g. "Start time" */
  now_name = g_strdup_printf (_("Now: %s"), accessible_name);
  mw_widget_set_accessible_label (GTK_WIDGET (self->now_button), now_name);
  /* Translators: accessible name of a calendar button; %s names the time, e.g. "Start time" */
  calendar_name = g_strdup_printf (_("Pick the day: %s"), accessible_name);
  mw_widget_set_accessible_label (GTK_WIDGET (self->calendar_button), calendar_name);
  return GTK_WIDGET (self);
}

void
mw_time_row_set_value (MwTimeRow  *self,
                       const char *rfc3339)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (MW_IS_TIME_ROW (self));

  if (rfc3339 != NULL && mw_parse_time (rfc3339, &parsed))
    text = format_for_entry (parsed);
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : (rfc3339 ? rfc3339 : ""));
  self->loading = FALSE;
}

char *
mw_time_row_dup_value (MwTimeRow *self)
{
  g_autoptr(GDateTime) parsed = NULL;

  g_return_val_if_fail (MW_IS_TIME_ROW (self), NULL);

  parsed = mw_parse_local_time (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  if (parsed == NULL)
    return NULL;
  return mw_format_time (parsed);
}

gboolean
mw_time_row_get_empty (MwTimeRow *self)
{
  const char *text;

  g_return_val_if_fail (MW_IS_TIME_ROW (self), TRUE);
  text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  return text == NULL || *text == '\0';
}

gboolean
mw_time_row_get_valid (MwTimeRow *self)
{
  g_autoptr(GDateTime) parsed = NULL;

  g_return_val_if_fail (MW_IS_TIME_ROW (self), FALSE);
  if (mw_time_row_get_empty (self))
    return TRUE;
  parsed = mw_parse_local_time (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  return parsed != NULL;
}

void
mw_time_row_set_now (MwTimeRow *self)
{
  g_autoptr(GDateTime) now = dutch_now ();
  g_autofree char *text = format_for_entry (now);

  g_return_if_fail (MW_IS_TIME_ROW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

void
mw_time_row_set_error (MwTimeRow  *self,
                       const char *message)
{
  g_return_if_fail (MW_IS_TIME_ROW (self));

  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  update_state (self);
}

GtkEntry *
mw_time_row_get_entry (MwTimeRow *self)
{
  g_return_val_if_fail (MW_IS_TIME_ROW (self), NULL);
  return self->entry;
}
