/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-delivery-item"

#include "config.h"

#include "mw-delivery-item-private.h"

struct _MwDeliveryItem
{
  GObject          parent_instance;

  char            *report_id;
  char            *recipient;
  MwDeliveryState  state;
  gboolean         training;
  guint            attempts;
  gint64           next_attempt;
  gboolean         has_endpoint;
  char            *error;
  char            *note;
  char            *receipt_id;
  char            *received_at;
  char            *reference;
  char            *filed_at;
  char            *channel;
  char            *forwarded_by;
  gboolean         busy;
};

G_DEFINE_FINAL_TYPE (MwDeliveryItem, mw_delivery_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REPORT_ID,
  PROP_RECIPIENT,
  PROP_STATE,
  PROP_TRAINING,
  PROP_ATTEMPTS,
  PROP_NEXT_ATTEMPT,
  PROP_HAS_ENDPOINT,
  PROP_ERROR,
  PROP_NOTE,
  PROP_RECEIPT_ID,
  PROP_RECEIVED_AT,
  PROP_REFERENCE,
  PROP_FILED_AT,
  PROP_CHANNEL,
  PROP_FORWARDED_BY,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mw_delivery_item_finalize (GObject *object)
{
  MwDeliveryItem *self = MW_DELIVERY_ITEM (object);

  g_free (self->report_id);
  g_free (self->recipient);
  g_free (self->error);
  g_free (self->note);
  g_free (self->receipt_id);
  g_free (self->received_at);
  g_free (self->reference);
  g_free (self->filed_at);
  g_free (self->channel);
  g_free (self->forwarded_by);
  G_OBJECT_CLASS (mw_delivery_item_parent_class)->finalize (object);
}

static void
mw_delivery_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MwDeliveryItem *self = MW_DELIVERY_ITEM (object);

  switch (prop_id)
    {
    case PROP_REPORT_ID:
      g_value_set_string (value, self->report_id);
      break;
    case PROP_RECIPIENT:
      g_value_set_string (value, self->recipient);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_TRAINING:
      g_value_set_boolean (value, self->training);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_NEXT_ATTEMPT:
      g_value_set_int64 (value, self->next_attempt);
      break;
    case PROP_HAS_ENDPOINT:
      g_value_set_boolean (value, self->has_endpoint);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    case PROP_RECEIPT_ID:
      g_value_set_string (value, self->receipt_id);
      break;
    case PROP_RECEIVED_AT:
      g_value_set_string (value, self->received_at);
      break;
    case PROP_REFERENCE:
      g_value_set_string (value, self->reference);
      break;
    case PROP_FILED_AT:
      g_value_set_string (value, self->filed_at);
      break;
    case PROP_CHANNEL:
      g_value_set_string (value, self->channel);
      break;
    case PROP_FORWARDED_BY:
      g_value_set_string (value, self->forwarded_by);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_delivery_item_class_init (MwDeliveryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mw_delivery_item_finalize;
  object_class->get_property = mw_delivery_item_get_property;

  properties[PROP_REPORT_ID] = g_param_spec_string ("report-id", NULL, NULL, NULL, flags);
  properties[PROP_RECIPIENT] = g_param_spec_string ("recipient", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, MW_TYPE_DELIVERY_STATE,
                                              MW_DELIVERY_STATE_PENDING, flags);
  properties[PROP_TRAINING] = g_param_spec_boolean ("training", NULL, NULL, FALSE, flags);
  properties[PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_NEXT_ATTEMPT] = g_param_spec_int64 ("next-attempt", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_HAS_ENDPOINT] = g_param_spec_boolean ("has-endpoint", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  properties[PROP_REFERENCE] = g_param_spec_string ("reference", NULL, NULL, NULL, flags);
  properties[PROP_FILED_AT] = g_param_spec_string ("filed-at", NULL, NULL, NULL, flags);
  properties[PROP_CHANNEL] = g_param_spec_string ("channel", NULL, NULL, NULL, flags);
  properties[PROP_FORWARDED_BY] = g_param_spec_string ("forwarded-by", NULL, NULL, NULL, flags);
  properties[PROP_RECEIPT_ID] = g_param_spec_string ("receipt-id", NULL, NULL, NULL, flags);
  properties[PROP_RECEIVED_AT] = g_param_spec_string ("received-at", NULL, NULL, NULL, flags);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_delivery_item_init (MwDeliveryItem *self)
{
}

MwDeliveryItem *
mw_delivery_item_new (const MwStoreDelivery *row)
{
  MwDeliveryItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (MW_TYPE_DELIVERY_ITEM, NULL);
  self->report_id = g_strdup (row->report_id);
  self->recipient = g_strdup (row->recipient);
  mw_delivery_item_update (self, row);
  return self;
}

static void
set_string (MwDeliveryItem *self,
            char          **field,
            const char     *value,
            guint           prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

#define SET_VALUE(field, value, prop_id) \
  G_STMT_START { \
    if (self->field != (value)) \
      { \
        self->field = (value); \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]); \
      } \
  } G_STMT_END

void
mw_delivery_item_update (MwDeliveryItem        *self,
                         const MwStoreDelivery *row)
{
  g_return_if_fail (MW_IS_DELIVERY_ITEM (self));
  g_return_if_fail (row != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  SET_VALUE (state, row->state, PROP_STATE);
  SET_VALUE (training, !!row->training, PROP_TRAINING);
  SET_VALUE (attempts, row->attempts, PROP_ATTEMPTS);
  SET_VALUE (next_attempt, row->next_attempt_at, PROP_NEXT_ATTEMPT);
  SET_VALUE (has_endpoint, row->url != NULL, PROP_HAS_ENDPOINT);
  set_string (self, &self->error, row->last_error, PROP_ERROR);
  set_string (self, &self->note, row->note, PROP_NOTE);
  set_string (self, &self->receipt_id, row->receipt_id, PROP_RECEIPT_ID);
  set_string (self, &self->received_at, row->received_at, PROP_RECEIVED_AT);
  set_string (self, &self->reference, row->reference, PROP_REFERENCE);
  set_string (self, &self->filed_at, row->filed_at, PROP_FILED_AT);
  set_string (self, &self->channel, row->channel, PROP_CHANNEL);
  set_string (self, &self->forwarded_by, row->forwarded_by, PROP_FORWARDED_BY);
  g_object_thaw_notify (G_OBJECT (self));
}

void
mw_delivery_item_set_busy (MwDeliveryItem *self,
                           gboolean        busy)
{
  g_return_if_fail (MW_IS_DELIVERY_ITEM (self));
  SET_VALUE (busy, !!busy, PROP_BUSY);
}

const char *
mw_delivery_item_get_report_id (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->report_id;
}

const char *
mw_delivery_item_get_recipient (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->recipient;
}

MwDeliveryState
mw_delivery_item_get_state (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), MW_DELIVERY_STATE_PENDING);
  return self->state;
}

gboolean
mw_delivery_item_get_training (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), FALSE);
  return self->training;
}

guint
mw_delivery_item_get_attempts (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), 0);
  return self->attempts;
}

gint64
mw_delivery_item_get_next_attempt (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), 0);
  return self->next_attempt;
}

gboolean
mw_delivery_item_get_has_endpoint (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), FALSE);
  return self->has_endpoint;
}

const char *
mw_delivery_item_get_error (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->error;
}

const char *
mw_delivery_item_get_note (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->note;
}

const char *
mw_delivery_item_get_receipt_id (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->receipt_id;
}

const char *
mw_delivery_item_get_received_at (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->received_at;
}

const char *
mw_delivery_item_get_reference (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->reference;
}

const char *
mw_delivery_item_get_filed_at (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->filed_at;
}

const char *
mw_delivery_item_get_channel (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->channel;
}

const char *
mw_delivery_item_get_forwarded_by (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), NULL);
  return self->forwarded_by;
}

gboolean
mw_delivery_item_get_busy (MwDeliveryItem *self)
{
  g_return_val_if_fail (MW_IS_DELIVERY_ITEM (self), FALSE);
  return self->busy;
}
