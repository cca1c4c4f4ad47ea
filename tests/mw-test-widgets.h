/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <string.h>

/* Every widget of @type under @widget (itself included), in tree order, into @found. */
static inline void
mw_test_collect_widgets (GtkWidget *widget,
                         GType      type,
                         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    mw_test_collect_widgets (child, type, found);
}

/* The widget under @widget named @name (gtk_widget_set_name), or NULL. */
static inline GtkWidget *
mw_test_find_named (GtkWidget  *widget,
                    const char *name)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  mw_test_collect_widgets (widget, GTK_TYPE_WIDGET, all);
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (all, i)), name) == 0)
      return g_ptr_array_index (all, i);
  return NULL;
}

/* Whether a label under @widget holds @text (a part of it is enough). */
static inline gboolean
mw_test_find_label (GtkWidget  *widget,
                    const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  mw_test_collect_widgets (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
      return TRUE;
  return FALSE;
}
