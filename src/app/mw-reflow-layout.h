/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MW_TYPE_REFLOW_LAYOUT (mw_reflow_layout_get_type ())
G_DECLARE_FINAL_TYPE (MwReflowLayout, mw_reflow_layout, MW, REFLOW_LAYOUT, GtkLayoutManager)

G_END_DECLS
