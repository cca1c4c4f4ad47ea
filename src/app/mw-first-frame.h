/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Calls @func (@data) once @widget has been on screen for one frame: after the first frame
 * its window draws once @widget is mapped (at idle priority, so that input and the next
 * frame come first). Not called when @widget is destroyed before; @destroy frees @data
 * either way. */
void mw_widget_after_first_frame      (GtkWidget      *widget,
                                       GSourceFunc     func,
                                       gpointer        data,
                                       GDestroyNotify  destroy);

/* Hides @deferred (a descendant of @widget, visible so far) until @widget's first frame:
 * what a page shows below the fold waits for the top of the page to be on screen. */
void mw_widget_show_after_first_frame (GtkWidget      *widget,
                                       GtkWidget      *deferred);

G_END_DECLS
