/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mw-regime.h"
#include "mw-report.h"
#include "mw-service.h"

G_BEGIN_DECLS

#define MW_PROFILE_DEFAULT_REGIME "nl-cbw"
/* Bounds on a profile read from outside (the stored JSON). */
#define MW_PROFILE_MAX_FIELD_CHARS 1000
#define MW_PROFILE_MAX_SERVICES    1000

#define MW_TYPE_PROFILE (mw_profile_get_type ())
G_DECLARE_FINAL_TYPE (MwProfile, mw_profile, MW, PROFILE, GObject)

MwProfile  *mw_profile_new                          (void);
MwProfile  *mw_profile_new_from_json                (JsonObject  *object,
                                                     GError     **error);
JsonObject *mw_profile_to_json                      (MwProfile   *self);
void        mw_profile_assign                       (MwProfile   *self,
                                                     MwProfile   *other);
GPtrArray  *mw_profile_validate                     (MwProfile   *self,
                                                     MwRegime    *regime);
void        mw_profile_apply_to_report              (MwProfile   *self,
                                                     MwReport    *report);

const char *mw_profile_get_name                     (MwProfile   *self);
void        mw_profile_set_name                     (MwProfile   *self,
                                                     const char  *name);
const char *mw_profile_get_registration             (MwProfile   *self);
void        mw_profile_set_registration             (MwProfile   *self,
                                                     const char  *registration);
const char *mw_profile_get_sector                   (MwProfile   *self);
void        mw_profile_set_sector                   (MwProfile   *self,
                                                     const char  *sector);
const char *mw_profile_get_entity_type              (MwProfile   *self);
void        mw_profile_set_entity_type              (MwProfile   *self,
                                                     const char  *entity_type);
const char *mw_profile_get_regime                   (MwProfile   *self);
void        mw_profile_set_regime                   (MwProfile   *self,
                                                     const char  *regime);
gboolean    mw_profile_get_training                 (MwProfile   *self);
void        mw_profile_set_training                 (MwProfile   *self,
                                                     gboolean     training);

const char *mw_profile_get_contact_name             (MwProfile   *self);
void        mw_profile_set_contact_name             (MwProfile   *self,
                                                     const char  *name);
const char *mw_profile_get_contact_role             (MwProfile   *self);
void        mw_profile_set_contact_role             (MwProfile   *self,
                                                     const char  *role);
const char *mw_profile_get_contact_email            (MwProfile   *self);
void        mw_profile_set_contact_email            (MwProfile   *self,
                                                     const char  *email);
const char *mw_profile_get_contact_phone            (MwProfile   *self);
void        mw_profile_set_contact_phone            (MwProfile   *self,
                                                     const char  *phone);

const char *mw_profile_get_technical_contact_name   (MwProfile   *self);
void        mw_profile_set_technical_contact_name   (MwProfile   *self,
                                                     const char  *name);
const char *mw_profile_get_technical_contact_email  (MwProfile   *self);
void        mw_profile_set_technical_contact_email  (MwProfile   *self,
                                                     const char  *email);
const char *mw_profile_get_technical_contact_phone  (MwProfile   *self);
void        mw_profile_set_technical_contact_phone  (MwProfile   *self,
                                                     const char  *phone);

GListModel *mw_profile_get_services                 (MwProfile   *self);
MwService  *mw_profile_add_service                  (MwProfile   *self,
                                                     const char  *name,
                                                     const char  *network);
void        mw_profile_remove_service               (MwProfile   *self,
                                                     guint        position);

G_END_DECLS
