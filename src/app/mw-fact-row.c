/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwFactRow"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "mw-choice-button.h"
#include "mw-error.h"
#include "mw-fact-row.h"
#include "mw-label.h"
#include "mw-number.h"
#include "mw-page.h"

#define MAX_NUMBER_TEXT MW_NUMBER_MAX_TEXT

struct _MwFactRow
{
  AdwActionRow    parent_instance;

  MwReport       *report;
  char           *fact_id;
  char           *path;
  char           *help;
  gboolean        is_bool;
  gboolean        integer;

  GtkEntry       *entry;        /* numbers */
  GtkCheckButton *unknown;      /* numbers */
  GtkWidget      *unit_label;   /* numbers; empty when the fact has no unit */
  GtkDropDown    *choice;       /* booleans: Unknown, Yes, No */
  guint           loading : 1;
};

G_DEFINE_FINAL_TYPE (MwFactRow, mw_fact_row, ADW_TYPE_ACTION_ROW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  CHOICE_UNKNOWN,
  CHOICE_YES,
  CHOICE_NO,
};

/* The fact's number in the user's language (mw_number_parse()), 0 or more, whole for an
 * integer fact. */
static gboolean
parse_fact (const char  *text,
            gboolean     integer,
            double      *value,
            GError     **error)
{
  double parsed;

  if (!mw_number_parse (text, mw_language (), &parsed, error))
    return FALSE;
  if (parsed < 0)
    {
      g_set_error_literal (error, MW_ERROR, MW_ERROR_INVALID,
                           _("Enter a number of 0 or more, or tick Unknown."));
      return FALSE;
    }
  if (integer && (parsed != floor (parsed) || parsed > 9007199254740991.0))
    {
      g_autofree char *example = mw_number_format (floor (parsed), mw_language ());

      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   /* Translators: %s is a whole number such as 120.000 */
                   _("Enter a whole number, such as %s, or tick Unknown."), example);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

gboolean
mw_parse_fact_number (const char *text,
                      gboolean    integer,
                      double     *value)
{
  return parse_fact (text, integer, value, NULL);
}

static void
update_validity (MwFactRow *self)
{
  const char *text;
  double value;
  g_autoptr(GError) error = NULL;

  if (self->is_bool)
    return;
  text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  if (!gtk_check_button_get_active (self->unknown) &&
      !parse_fact (text, self->integer, &value, &error))
    {
      mw_widget_set_invalid (GTK_WIDGET (self->entry), TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), error->message);
    }
  else
    {
      mw_widget_set_invalid (GTK_WIDGET (self->entry), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->help);
    }
}

/* Shows the number back as it was understood, in the user's way of writing it. */
static void
show_value (MwFactRow *self,
            double     value)
{
  g_autofree char *text = mw_number_format (value, mw_language ());

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (self->entry))) == 0)
    return;
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  self->loading = FALSE;
}

static void
focus_leave_cb (MwFactRow *self)
{
  mw_fact_row_show_value (self);
}

static void
entry_changed_cb (MwFactRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  double value;

  if (self->loading)
    return;
  self->loading = TRUE;
  if (*text != '\0')
    gtk_check_button_set_active (self->unknown, FALSE);
  self->loading = FALSE;

  if (parse_fact (text, self->integer, &value, NULL))
    {
      if (self->integer)
        mw_report_set_int (self->report, self->path, (gint64) value);
      else
        mw_report_set_number (self->report, self->path, value);
    }
  else if (mw_report_is_known (self->report, self->path))
    mw_report_set_unknown (self->report, self->path);
  update_validity (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
unknown_toggled_cb (MwFactRow *self)
{
  if (self->loading)
    return;
  if (gtk_check_button_get_active (self->unknown))
    {
      self->loading = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
      self->loading = FALSE;
      mw_report_set_unknown (self->report, self->path);
    }
  else if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  update_validity (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
choice_changed_cb (MwFactRow *self)
{
  if (self->loading)
    return;
  switch (gtk_drop_down_get_selected (self->choice))
    {
    case CHOICE_YES:
      mw_report_set_boolean (self->report, self->path, TRUE);
      break;
    case CHOICE_NO:
      mw_report_set_boolean (self->report, self->path, FALSE);
      break;
    default:
      mw_report_set_unknown (self->report, self->path);
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
mw_fact_row_dispose (GObject *object)
{
  MwFactRow *self = MW_FACT_ROW (object);

  g_clear_object (&self->report);
  G_OBJECT_CLASS (mw_fact_row_parent_class)->dispose (object);
}

static void
mw_fact_row_finalize (GObject *object)
{
  MwFactRow *self = MW_FACT_ROW (object);

  g_clear_pointer (&self->fact_id, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->help, g_free);
  G_OBJECT_CLASS (mw_fact_row_parent_class)->finalize (object);
}

static void
mw_fact_row_class_init (MwFactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_fact_row_dispose;
  object_class->finalize = mw_fact_row_finalize;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mw_fact_row_init (MwFactRow *self)
{
}

GtkWidget *
mw_fact_row_new (const MwFactDef *fact,
                 MwReport        *report)
{
  MwFactRow *self;
  const char *label;
  const char *unit;

  g_return_val_if_fail (fact != NULL, NULL);
  g_return_val_if_fail (MW_IS_REPORT (report), NULL);

  label = mw_label_get (&fact->label);
  if (label == NULL)
    label = fact->id;
  unit = mw_label_get (&fact->unit);

  self = g_object_new (MW_TYPE_FACT_ROW, "title", label, NULL);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (self), FALSE);
  self->report = g_object_ref (report);
  self->fact_id = g_strdup (fact->id);
  self->path = g_strconcat ("facts.", fact->id, NULL);
  self->help = g_strdup (mw_label_get (&fact->help));
  self->is_bool = g_strcmp0 (fact->type, "bool") == 0;
  self->integer = g_strcmp0 (fact->type, "int") == 0;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->help);

  if (self->is_bool)
    {
      const char * const choices[] = { _("Unknown"), _("Yes"), _("No"), NULL };

      GtkWidget *button;

      self->choice = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (choices));
      gtk_widget_set_valign (GTK_WIDGET (self->choice), GTK_ALIGN_CENTER);
      /* GTK 4.8 names the drop-down's own button after its type ("GtkToggleButton"): a
       * screen reader should say the question instead. */
      button = gtk_widget_get_first_child (GTK_WIDGET (self->choice));
      if (GTK_IS_TOGGLE_BUTTON (button))
        mw_widget_set_accessible_label (button, label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->choice));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->choice));
      g_signal_connect_object (self->choice, "notify::selected",
                               G_CALLBACK (choice_changed_cb), self, G_CONNECT_SWAPPED);
    }
  else
    {
      /* The Unknown check under the number: side by side they leave the question too little
       * room in a 360 px window, and it breaks inside its words. */
      GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      g_autofree char *unknown_name = NULL;
      GtkEventController *focus;

      gtk_widget_set_valign (column, GTK_ALIGN_CENTER);
      /* Only as wide as the field and its unit, so that the columns of all rows line up. */
      gtk_widget_set_halign (column, GTK_ALIGN_END);
      gtk_widget_set_hexpand (column, FALSE);
      gtk_box_append (GTK_BOX (column), box);
      self->entry = GTK_ENTRY (gtk_entry_new ());
      gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 9);
      gtk_editable_set_max_width_chars (GTK_EDITABLE (self->entry), 9);
      gtk_entry_set_max_length (self->entry, MAX_NUMBER_TEXT);
      gtk_entry_set_input_purpose (self->entry, self->integer ? GTK_INPUT_PURPOSE_DIGITS
                                                              : GTK_INPUT_PURPOSE_NUMBER);
      gtk_editable_set_alignment (GTK_EDITABLE (self->entry), 1.0);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));
      /* Always there, empty without a unit, so that rows can line their fields up. */
      self->unit_label = gtk_label_new (unit);
      gtk_label_set_xalign (GTK_LABEL (self->unit_label), 0);
      gtk_widget_add_css_class (self->unit_label, "dim-label");
      gtk_box_append (GTK_BOX (box), self->unit_label);
      self->unknown = GTK_CHECK_BUTTON (mw_choice_button_new ());
      gtk_check_button_set_label (self->unknown, _("Unknown"));
      /* Translators: accessible name of the Unknown check; %s is the question */
      unknown_name = g_strdup_printf (_("Unknown: %s"), label);
      mw_widget_set_accessible_label (GTK_WIDGET (self->unknown), unknown_name);
      gtk_box_append (GTK_BOX (column), GTK_WIDGET (self->unknown));
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), column);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->entry));
      /* Arrows still reach the row, but what is typed there goes into the number. */
      mw_row_type_into_field (GTK_WIDGET (self), GTK_WIDGET (self->entry));
      g_signal_connect_object (self->entry, "changed",
                               G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
      focus = gtk_event_controller_focus_new ();
      g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
      g_signal_connect_object (self->unknown, "toggled",
                               G_CALLBACK (unknown_toggled_cb), self, G_CONNECT_SWAPPED);
    }

  mw_fact_row_load (self);
  return GTK_WIDGET (self);
}

const char *
mw_fact_row_get_fact_id (MwFactRow *self)
{
  g_return_val_if_fail (MW_IS_FACT_ROW (self), NULL);
  return self->fact_id;
}

void
mw_fact_row_load (MwFactRow *self)
{
  g_return_if_fail (MW_IS_FACT_ROW (self));

  self->loading = TRUE;
  if (self->is_bool)
    {
      gboolean value;

      if (mw_report_get_boolean (self->report, self->path, &value))
        gtk_drop_down_set_selected (self->choice, value ? CHOICE_YES : CHOICE_NO);
      else
        gtk_drop_down_set_selected (self->choice, CHOICE_UNKNOWN);
    }
  else
    {
      double value;

      if (mw_report_get_number (self->report, self->path, &value))
        {
          const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
          double typed;

          /* Keep what the user is typing while it means the same; else show the value. */
          if (!parse_fact (text, self->integer, &typed, NULL) || typed != value)
            show_value (self, value);
          self->loading = TRUE;
          gtk_check_button_set_active (self->unknown, FALSE);
        }
      else
        {
          const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
          double typed;

          /* Keep an unfinished entry the user is still typing; otherwise it is unknown. */
          if (*text == '\0' || parse_fact (text, self->integer, &typed, NULL))
            {
              gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
              gtk_check_button_set_active (self->unknown, TRUE);
            }
        }
    }
  self->loading = FALSE;
  update_validity (self);
}

gboolean
mw_fact_row_get_valid (MwFactRow *self)
{
  double value;

  g_return_val_if_fail (MW_IS_FACT_ROW (self), FALSE);
  if (self->is_bool)
    return TRUE;
  return gtk_check_button_get_active (self->unknown) ||
         parse_fact (gtk_editable_get_text (GTK_EDITABLE (self->entry)),
                     self->integer, &value, NULL);
}

/**
 * mw_fact_row_show_value:
 *
 * Writes a valid number back the way the user's language writes it ("250000" becomes
 * "250.000" in Dutch), as the row does when the focus leaves it.
 */
void
mw_fact_row_show_value (MwFactRow *self)
{
  double value;

  g_return_if_fail (MW_IS_FACT_ROW (self));
  if (!self->is_bool && mw_report_get_number (self->report, self->path, &value))
    show_value (self, value);
}

GtkWidget *
mw_fact_row_get_input (MwFactRow *self)
{
  g_return_val_if_fail (MW_IS_FACT_ROW (self), NULL);
  return self->is_bool ? GTK_WIDGET (self->choice) : GTK_WIDGET (self->entry);
}

/**
 * mw_fact_row_share_unit_width:
 * @group: a horizontal size group shared by the rows of one list
 *
 * Gives the unit the width of the widest unit in @group, so that the number fields and their
 * Unknown checks of one list stand in one column. Boolean facts have no unit: no-op.
 */
void
mw_fact_row_share_unit_width (MwFactRow    *self,
                              GtkSizeGroup *group)
{
  g_return_if_fail (MW_IS_FACT_ROW (self));
  g_return_if_fail (GTK_IS_SIZE_GROUP (group));

  if (self->unit_label != NULL)
    gtk_size_group_add_widget (group, self->unit_label);
}
