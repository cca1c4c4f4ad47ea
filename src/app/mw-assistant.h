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
/* A page of @type (an MwPage with a "session" property) created with @session only when it
 * is first needed: shown, found with mw_assistant_find_page(), or next to the page on
 * screen when the user moves on. "page-added" tells when. */
void       mw_assistant_add_page_type    (MwAssistant *self,
                                          GType        type,
                                          MwSession   *session,
                                          gboolean     visible);
MwPage    *mw_assistant_get_current_page (MwAssistant *self);
void       mw_assistant_set_current_page (MwAssistant *self,
                                          MwPage      *page);
/* The page of @type, created now if it was added by its type; NULL when there is none. */
MwPage    *mw_assistant_find_page        (MwAssistant *self,
                                          GType        type);
/* The page of @type only when it exists already. */
MwPage    *mw_assistant_lookup_page      (MwAssistant *self,
                                          GType        type);
/* Whether the page of @type takes part in the sequence, created or not. */
gboolean   mw_assistant_get_page_visible (MwAssistant *self,
                                          GType        type);
void       mw_assistant_set_page_visible (MwAssistant *self,
                                          GType        type,
                                          gboolean     visible);
void       mw_assistant_next             (MwAssistant *self);
void       mw_assistant_previous         (MwAssistant *self);
gboolean   mw_assistant_get_applying     (MwAssistant *self);
void       mw_assistant_set_training     (MwAssistant *self,
                                          gboolean     training);
/* The menu shown in the header bar. */
void       mw_assistant_set_menu_model   (MwAssistant *self,
                                          GMenuModel  *model);

G_END_DECLS
