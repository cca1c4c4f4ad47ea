/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwFirstFrame"

/* The first frame of a window, or of a page first shown, carries what is on screen at once;
 * the rest waits for it. A wrapping label costs GTK 4.8 about ten text layouts for every
 * box it is measured in, so a page's first frame costs what the page holds, seen or not. */

#include "config.h"

#include "mw-first-frame.h"

typedef struct
{
  GtkWidget      *widget;     /* weak */
  GdkFrameClock  *clock;
  gulong          map_id;
  gulong          paint_id;
  guint           idle_id;
  GSourceFunc     func;
  gpointer        data;
  GDestroyNotify  destroy;
} FirstFrame;

static void widget_gone_cb (gpointer data, GObject *where_the_widget_was);

static void
first_frame_free (FirstFrame *first)
{
  if (first->widget != NULL)
    {
      g_clear_signal_handler (&first->map_id, first->widget);
      g_object_weak_unref (G_OBJECT (first->widget), widget_gone_cb, first);
    }
  /* (A window destroyed before its first frame has its clock's handlers gone.) */
  if (first->paint_id != 0 && g_signal_handler_is_connected (first->clock, first->paint_id))
    g_signal_handler_disconnect (first->clock, first->paint_id);
  g_clear_object (&first->clock);
  g_clear_handle_id (&first->idle_id, g_source_remove);
  if (first->destroy != NULL)
    first->destroy (first->data);
  g_free (first);
}

static void
widget_gone_cb (gpointer  data,
                GObject  *where_the_widget_was)
{
  FirstFrame *first = data;

  first->widget = NULL;
  first->map_id = 0;
  first_frame_free (first);
}

static gboolean
idle_cb (gpointer data)
{
  FirstFrame *first = data;

  first->idle_id = 0;
  /* Let go of the widget first: @func may destroy it. */
  g_object_weak_unref (G_OBJECT (first->widget), widget_gone_cb, first);
  first->widget = NULL;
  first->func (first->data);
  first_frame_free (first);
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                FirstFrame    *first)
{
  g_signal_handler_disconnect (clock, first->paint_id);
  first->paint_id = 0;
  if (first->idle_id == 0)
    first->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, idle_cb, first, NULL);
}

static void
map_cb (GtkWidget  *widget,
        FirstFrame *first)
{
  g_clear_signal_handler (&first->map_id, widget);
  first->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  first->paint_id = g_signal_connect (first->clock, "after-paint", G_CALLBACK (after_paint_cb), first);
}

void
mw_widget_after_first_frame (GtkWidget      *widget,
                             GSourceFunc     func,
                             gpointer        data,
                             GDestroyNotify  destroy)
{
  FirstFrame *first;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (func != NULL);

  first = g_new0 (FirstFrame, 1);
  first->widget = widget;
  first->func = func;
  first->data = data;
  first->destroy = destroy;
  g_object_weak_ref (G_OBJECT (widget), widget_gone_cb, first);
  if (gtk_widget_get_mapped (widget))
    {
      /* On screen already: the next frame, and there is one. */
      map_cb (widget, first);
      gtk_widget_queue_draw (widget);
    }
  else
    first->map_id = g_signal_connect (widget, "map", G_CALLBACK (map_cb), first);
}

static gboolean
show_cb (gpointer data)
{
  GtkWidget *deferred = g_weak_ref_get (data);

  if (deferred != NULL)
    {
      gtk_widget_set_visible (deferred, TRUE);
      g_object_unref (deferred);
    }
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

void
mw_widget_show_after_first_frame (GtkWidget *widget,
                                  GtkWidget *deferred)
{
  GWeakRef *ref;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (GTK_IS_WIDGET (deferred));

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, deferred);
  gtk_widget_set_visible (deferred, FALSE);
  mw_widget_after_first_frame (widget, show_cb, ref, weak_ref_free);
}

static void
collect_word_char_labels (GtkWidget *widget,
                          GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)) &&
      gtk_label_get_wrap_mode (GTK_LABEL (widget)) == PANGO_WRAP_WORD_CHAR)
    {
      gtk_label_set_wrap_mode (GTK_LABEL (widget), PANGO_WRAP_WORD);
      g_ptr_array_add (labels, g_object_ref (widget));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_word_char_labels (child, labels);
}

static gboolean
wrap_as_before_cb (gpointer data)
{
  GPtrArray *labels = data;

  for (guint i = 0; i < labels->len; i++)
    gtk_label_set_wrap_mode (g_ptr_array_index (labels, i), PANGO_WRAP_WORD_CHAR);
  return G_SOURCE_REMOVE;
}

void
mw_widget_wrap_at_words_until_first_frame (GtkWidget *widget)
{
  GPtrArray *labels;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  labels = g_ptr_array_new_with_free_func (g_object_unref);
  collect_word_char_labels (widget, labels);
  mw_widget_after_first_frame (widget, wrap_as_before_cb, labels, (GDestroyNotify) g_ptr_array_unref);
}
