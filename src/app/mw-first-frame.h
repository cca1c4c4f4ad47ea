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

/* Until @widget's first frame, the labels under it that may break a line inside a word
 * (libadwaita's rows and group descriptions do, for long addresses) break between words only;
 * then as before. To find such a label's narrowest width GTK 4.8 lays its text out one
 * character a line, shaping every character: most of a page's text work. At the size a
 * window opens no word of ours is wider than its line, so the first frame looks the same. */
void mw_widget_wrap_at_words_until_first_frame (GtkWidget *widget);

G_END_DECLS
