/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-delivery-state"

#include "config.h"

#include "mw-delivery-state.h"

G_DEFINE_ENUM_TYPE (MwDeliveryState, mw_delivery_state,
  G_DEFINE_ENUM_VALUE (MW_DELIVERY_STATE_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (MW_DELIVERY_STATE_DELIVERED, "delivered"),
  G_DEFINE_ENUM_VALUE (MW_DELIVERY_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (MW_DELIVERY_STATE_FILED_BY_HAND, "filed-by-hand"),
  G_DEFINE_ENUM_VALUE (MW_DELIVERY_STATE_AWAITING_FILING, "awaiting-filing"),
  G_DEFINE_ENUM_VALUE (MW_DELIVERY_STATE_FORWARDED, "forwarded"))

const char *
mw_delivery_state_to_string (MwDeliveryState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MW_TYPE_DELIVERY_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  g_return_val_if_fail (value != NULL, NULL);
  return value->value_nick;
}

gboolean
mw_delivery_state_from_string (const char      *text,
                               MwDeliveryState *state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MW_TYPE_DELIVERY_STATE);
  GEnumValue *value = text ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (value == NULL)
    return FALSE;
  if (state != NULL)
    *state = value->value;
  return TRUE;
}
