/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwReflowLayout"

/* A bin layout (every child gets the whole widget) for content whose text reflows to the
 * width it is given, so that its height follows from its width and never the other way
 * round.
 *
 * GtkStack, allocating its visible child, first asks how narrow the child may be at the
 * stack's height. A wrapping GtkLabel answers that by laying its text out again and again at
 * widths between its narrowest and its widest until the height fits: about ten layouts of
 * every label of a page, for every stack above it, for every allocation. A page of
 * wrapping rows cost the first frame thousands of text layouts that way. Here the
 * narrowest width for a given height is the narrowest width for any height: the content
 * can always grow taller (the pages scroll), so no height makes it narrower. */

#include "config.h"

#include "mw-reflow-layout.h"

struct _MwReflowLayout
{
  GtkLayoutManager parent_instance;
};

G_DEFINE_FINAL_TYPE (MwReflowLayout, mw_reflow_layout, GTK_TYPE_LAYOUT_MANAGER)

static GtkSizeRequestMode
mw_reflow_layout_get_request_mode (GtkLayoutManager *manager,
                                   GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
mw_reflow_layout_measure (GtkLayoutManager *manager,
                          GtkWidget        *widget,
                          GtkOrientation    orientation,
                          int               for_size,
                          int              *minimum,
                          int              *natural,
                          int              *minimum_baseline,
                          int              *natural_baseline)
{
  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    for_size = -1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_minimum = 0, child_natural = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, for_size, &child_minimum, &child_natural, NULL, NULL);
      *minimum = MAX (*minimum, child_minimum);
      *natural = MAX (*natural, child_natural);
    }
}

static void
mw_reflow_layout_allocate (GtkLayoutManager *manager,
                           GtkWidget        *widget,
                           int               width,
                           int               height,
                           int               baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
mw_reflow_layout_class_init (MwReflowLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->get_request_mode = mw_reflow_layout_get_request_mode;
  manager_class->measure = mw_reflow_layout_measure;
  manager_class->allocate = mw_reflow_layout_allocate;
}

static void
mw_reflow_layout_init (MwReflowLayout *self)
{
}
