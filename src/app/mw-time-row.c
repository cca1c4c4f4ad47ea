/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwTimeRow"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "mw-page.h"
#include "mw-report.h"
#include "mw-time-row.h"

#define MAX_TIME_TEXT 64

struct _MwTimeRow
{
  AdwActionRow  parent_instance;

  GtkEntry     *entry;
  GtkButton    *now_button;
  char         *error;
  guint         loading : 1;
};

G_DEFINE_FINAL_TYPE (MwTimeRow, mw_time_row, ADW_TYPE_ACTION_ROW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GDateTime *
mw_parse_local_time (const char *text)
{
  int year, month, day, hour, minute, second = 0;
  char tail;
  g_autoptr(GTimeZone) tz = NULL;
  GDateTime *parsed = NULL;

  if (text == NULL || strlen (text) > MAX_TIME_TEXT)
    return NULL;
  while (g_ascii_isspace (*text))
    text++;

  if (mw_parse_time (text, &parsed))
    return parsed;

  if (sscanf (text, "%4d-%2d-%2d %2d:%2d:%2d %c", &year, &month, &day, &hour, &minute, &second, &tail) == 6 ||
      sscanf (text, "%4d-%2d-%2d %2d:%2d %c", &year, &month, &day, &hour, &minute, &tail) == 5)
    {
      if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
          hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        return NULL;
      tz = g_time_zone_new_local ();
      return g_date_time_new (tz, year, month, day, hour, minute, second);
    }
  return NULL;
}

static void
update_state (MwTimeRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  gboolean empty = text == NULL || *text == '\0';
  g_autoptr(GDateTime) parsed = empty ? NULL : mw_parse_local_time (text);
  gboolean invalid = (!empty && parsed == NULL) || self->error != NULL;

  mw_widget_set_invalid (GTK_WIDGET (self->entry), invalid);
  if (self->error != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->error);
  else if (!empty && parsed == NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                                 _("Write the date and time as 2026-11-22 03:10, or press Now."));
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) shown = parsed ? g_date_time_ref (parsed) : g_date_time_ref (now);
      g_autofree char *zone = g_date_time_format (shown, "%:z");

      if (empty)
        {
          /* Translators: %s is a UTC offset such as +01:00 */
          g_autofree char *subtitle = g_strdup_printf (_("Unknown — local time, UTC%s"), zone);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
        }
      else
        {
          g_autofree char *subtitle = NULL;
          g_autofree char *pretty = g_date_time_format (parsed, "%a %e %b %Y, %H:%M");

          /* Translators: a weekday and date, then a UTC offset such as +01:00 */
          subtitle = g_strdup_printf (_("%s (UTC%s)"), pretty, zone);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
        }
    }
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
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->entry, _("YYYY-MM-DD HH:MM"));
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 16);
  gtk_entry_set_max_length (self->entry, MAX_TIME_TEXT);
  gtk_entry_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_DIGITS);
  /* No mnemonic: the row's title moves the focus to the entry and Tab goes on to Now; one
   * letter for the Now of every time row would only cycle between them. */
  self->now_button = GTK_BUTTON (gtk_button_new_with_label (_("Now")));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->now_button));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), box);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->entry));

  g_signal_connect_object (self->entry, "changed", G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->now_button, "clicked", G_CALLBACK (now_clicked_cb), self, G_CONNECT_SWAPPED);
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

  /* Translators: accessible name of a "Now" button; %s names the time, e.g. "Start time" */
  now_name = g_strdup_printf (_("Now: %s"), accessible_name);
  mw_widget_set_accessible_label (GTK_WIDGET (self->now_button), now_name);
  return GTK_WIDGET (self);
}

void
mw_time_row_set_value (MwTimeRow  *self,
                       const char *rfc3339)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (MW_IS_TIME_ROW (self));

  if (rfc3339 != NULL && mw_parse_time (rfc3339, &parsed))
    {
      local = g_date_time_to_local (parsed);
      text = g_date_time_format (local, "%Y-%m-%d %H:%M");
    }
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
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *text = g_date_time_format (now, "%Y-%m-%d %H:%M");

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
