/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-service"

#include "config.h"

#include "mw-service.h"

/*
 * One service of the organisation profile ("services": [{id, name, network}]), the one a
 * report names under "service". Immutable: a service is added or removed, never edited, so
 * its properties are construct-only and need no notification. It is a GObject (and not a
 * boxed struct) so that MwProfile can hold the services in a GListStore that the wizard binds
 * to, and a GtkListItem can hold one.
 */

struct _MwService
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *network;
};

G_DEFINE_FINAL_TYPE (MwService, mw_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_NETWORK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mw_service_finalize (GObject *object)
{
  MwService *self = MW_SERVICE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->network, g_free);

  G_OBJECT_CLASS (mw_service_parent_class)->finalize (object);
}

static void
mw_service_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MwService *self = MW_SERVICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_NETWORK:
      g_value_set_string (value, self->network);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Empty is absent, as in the stored profile. */
static char *
dup_or_null (const GValue *value)
{
  const char *text = g_value_get_string (value);

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static void
mw_service_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MwService *self = MW_SERVICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = dup_or_null (value);
      break;
    case PROP_NAME:
      self->name = dup_or_null (value);
      break;
    case PROP_NETWORK:
      self->network = dup_or_null (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_service_constructed (GObject *object)
{
  MwService *self = MW_SERVICE (object);

  G_OBJECT_CLASS (mw_service_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = g_uuid_string_random ();
}

static void
mw_service_class_init (MwServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_service_finalize;
  object_class->get_property = mw_service_get_property;
  object_class->set_property = mw_service_set_property;
  object_class->constructed = mw_service_constructed;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK] =
    g_param_spec_string ("network", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_service_init (MwService *self)
{
}

/**
 * mw_service_new:
 * @id: (nullable): its id; %NULL gives it a new random UUID
 * @name: what the organisation calls the service
 * @network: (nullable): the network or location it runs on
 */
MwService *
mw_service_new (const char *id,
                const char *name,
                const char *network)
{
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  return g_object_new (MW_TYPE_SERVICE, "id", id, "name", name, "network", network, NULL);
}

const char *
mw_service_get_id (MwService *self)
{
  g_return_val_if_fail (MW_IS_SERVICE (self), NULL);
  return self->id;
}

const char *
mw_service_get_name (MwService *self)
{
  g_return_val_if_fail (MW_IS_SERVICE (self), NULL);
  return self->name;
}

/* Returns: (nullable) */
const char *
mw_service_get_network (MwService *self)
{
  g_return_val_if_fail (MW_IS_SERVICE (self), NULL);
  return self->network;
}
