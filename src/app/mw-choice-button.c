/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwChoiceButton"

#include "config.h"

#include "mw-choice-button.h"

struct _MwChoiceButton
{
  GtkCheckButton parent_instance;
};

G_DEFINE_FINAL_TYPE (MwChoiceButton, mw_choice_button, GTK_TYPE_CHECK_BUTTON)

static void
toggle_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GtkCheckButton *check = GTK_CHECK_BUTTON (widget);

  if (!gtk_widget_is_sensitive (widget))
    return;
  /* A radio button in a group is chosen, never un-chosen, as a click does. */
  if (gtk_check_button_get_active (check) && gtk_widget_has_css_class (widget, "radio-choice"))
    return;
  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

static void
mw_choice_button_class_init (MwChoiceButtonClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "choice.toggle", NULL, toggle_action);
}

static void
mw_choice_button_init (MwChoiceButton *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
mw_choice_button_new (void)
{
  return g_object_new (MW_TYPE_CHOICE_BUTTON, NULL);
}

/**
 * mw_choice_button_new_radio:
 *
 * One of a group of choices (gtk_check_button_set_group()): chosen, never un-chosen, and
 * announced as a radio button. GTK 4.8 keeps the check box role of a GtkCheckButton in a
 * group, so the role is given here, at construction.
 */
GtkWidget *
mw_choice_button_new_radio (void)
{
  GtkWidget *button = g_object_new (MW_TYPE_CHOICE_BUTTON,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_RADIO,
                                    NULL);

  gtk_widget_add_css_class (button, "radio-choice");
  return button;
}
