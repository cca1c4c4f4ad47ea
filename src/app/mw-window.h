/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-assistant.h"
#include "mw-session.h"

G_BEGIN_DECLS

#define MW_TYPE_WINDOW (mw_window_get_type ())
G_DECLARE_FINAL_TYPE (MwWindow, mw_window, MW, WINDOW, AdwApplicationWindow)

MwWindow    *mw_window_new           (GtkApplication *application,
                                      MwSession      *session);
MwAssistant *mw_window_get_assistant (MwWindow       *self);
MwSession   *mw_window_get_session   (MwWindow       *self);
void         mw_window_add_toast     (MwWindow       *self,
                                      const char     *message);

G_END_DECLS
