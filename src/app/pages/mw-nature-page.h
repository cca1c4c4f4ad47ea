/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-fact-row.h"
#include "mw-page.h"

G_BEGIN_DECLS

#define MW_TYPE_NATURE_PAGE (mw_nature_page_get_type ())
G_DECLARE_FINAL_TYPE (MwNaturePage, mw_nature_page, MW, NATURE_PAGE, MwPage)

GtkWidget *mw_nature_page_new          (MwSession    *session);
/* The row asking for a regime fact, or NULL when the entity type does not ask it. */
MwFactRow *mw_nature_page_get_fact_row (MwNaturePage *self,
                                        const char   *fact_id);
guint      mw_nature_page_get_n_facts  (MwNaturePage *self);
gboolean   mw_nature_page_focus_fact   (MwNaturePage *self,
                                        const char   *fact_id);
/* The ids of the facts that can change the verdict for @type (criteria and exclusions,
 * through derived facts too). */
GHashTable *mw_nature_page_dup_deciding_facts (MwRegime           *regime,
                                               const MwEntityType *type);

G_END_DECLS
