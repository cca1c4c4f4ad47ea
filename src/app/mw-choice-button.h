/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A check or radio button that also offers its toggling as a named widget action
 * ("choice.toggle"), so that assistive technologies can operate it through AT-SPI's
 * Action interface (GTK 4.8 exposes none for a plain GtkCheckButton). */

#define MW_TYPE_CHOICE_BUTTON (mw_choice_button_get_type ())
G_DECLARE_FINAL_TYPE (MwChoiceButton, mw_choice_button, MW, CHOICE_BUTTON, GtkCheckButton)

GtkWidget *mw_choice_button_new       (void);
/* One of many: announced as a radio button, and never un-chosen by toggling. */
GtkWidget *mw_choice_button_new_radio (void);

G_END_DECLS
