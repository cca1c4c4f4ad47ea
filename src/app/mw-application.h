/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MW_TYPE_APPLICATION (mw_application_get_type ())
G_DECLARE_FINAL_TYPE (MwApplication, mw_application, MW, APPLICATION, AdwApplication)

MwApplication *mw_application_new (void);

/* The Mallard page id (help:meldwijzer/<id>) that explains a wizard page; "index" for
 * anything else. */
const char    *mw_application_help_page_for (GtkWidget *page);
/* Every legal source the installed regimes cite, as (title, URL) pairs, without
 * duplicates: shown in the About window. */
GPtrArray     *mw_application_dup_legal_sources (void);

G_END_DECLS
