/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MW_TYPE_APPLICATION (mw_application_get_type ())
G_DECLARE_FINAL_TYPE (MwApplication, mw_application, MW, APPLICATION, AdwApplication)

MwApplication *mw_application_new (void);

G_END_DECLS
