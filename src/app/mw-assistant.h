/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-page.h"

G_BEGIN_DECLS

/* The navigation shell: header bar with Back and Next, the title of the current page, a
 * spinner while a page applies, the training bar, and the pages. Next is enabled from the
 * current page's "complete" property; hidden pages drop out of the sequence. */

#define MW_TYPE_ASSISTANT (mw_assistant_get_type ())
G_DECLARE_FINAL_TYPE (MwAssistant, mw_assistant, MW, ASSISTANT, GtkWidget)

GtkWidget *mw_assistant_new              (void);
void       mw_assistant_add_page         (MwAssistant *self,
                                          MwPage      *page);
GList     *mw_assistant_get_pages        (MwAssistant *self);
MwPage    *mw_assistant_get_current_page (MwAssistant *self);
void       mw_assistant_set_current_page (MwAssistant *self,
                                          MwPage      *page);
MwPage    *mw_assistant_find_page        (MwAssistant *self,
                                          GType        type);
void       mw_assistant_next             (MwAssistant *self);
void       mw_assistant_previous         (MwAssistant *self);
gboolean   mw_assistant_get_applying     (MwAssistant *self);
void       mw_assistant_set_training     (MwAssistant *self,
                                          gboolean     training);
/* The menu shown in the header bar. */
void       mw_assistant_set_menu_model   (MwAssistant *self,
                                          GMenuModel  *model);

G_END_DECLS
