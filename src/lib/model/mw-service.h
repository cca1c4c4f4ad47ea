/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MW_TYPE_SERVICE (mw_service_get_type ())
G_DECLARE_FINAL_TYPE (MwService, mw_service, MW, SERVICE, GObject)

MwService  *mw_service_new         (const char *id,
                                    const char *name,
                                    const char *network);
const char *mw_service_get_id      (MwService  *self);
const char *mw_service_get_name    (MwService  *self);
const char *mw_service_get_network (MwService  *self);

G_END_DECLS
