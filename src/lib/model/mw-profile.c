/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-profile"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-error.h"
#include "mw-json.h"
#include "mw-profile.h"

/*
 * The organisation profile: who reports (the report's "provider"), under which regime, in
 * which mode, and the services a report can name. Stored as JSON in MwStore, in the shape the
 * wizard has always written:
 *
 *   {"name", "registration", "sector", "entity_type",
 *    "contact": {"name", "role", "email", "phone"},
 *    "technical_contact": {"name", "email", "phone"},
 *    "regime", "training", "services": [{"id", "name", "network"}]}
 *
 * Every text is absent (NULL here) rather than empty; unknown members are ignored so a newer
 * version's profile still loads.
 */

struct _MwProfile
{
  GObject     parent_instance;

  char       *strings[14];  /* by property id, see string_fields */
  GListStore *services;     /* MwService */
  gboolean    training;
};

G_DEFINE_FINAL_TYPE (MwProfile, mw_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_REGISTRATION,
  PROP_SECTOR,
  PROP_ENTITY_TYPE,
  PROP_REGIME,
  PROP_CONTACT_NAME,
  PROP_CONTACT_ROLE,
  PROP_CONTACT_EMAIL,
  PROP_CONTACT_PHONE,
  PROP_TECHNICAL_CONTACT_NAME,
  PROP_TECHNICAL_CONTACT_EMAIL,
  PROP_TECHNICAL_CONTACT_PHONE,
  LAST_STRING_PROP = PROP_TECHNICAL_CONTACT_PHONE,
  PROP_TRAINING,
  PROP_SERVICES,
  N_PROPS
};

G_STATIC_ASSERT (LAST_STRING_PROP < G_N_ELEMENTS (((MwProfile *) NULL)->strings));

static GParamSpec *properties[N_PROPS];

/* The text properties, where they are in the stored JSON (and under "provider." in a report). */
static const struct {
  guint       prop_id;
  const char *property;
  const char *object;   /* NULL: at the top */
  const char *member;
  gboolean    provider; /* copied into the report's provider */
} string_fields[] = {
  { PROP_NAME, "name", NULL, "name", TRUE },
  { PROP_REGISTRATION, "registration", NULL, "registration", TRUE },
  { PROP_SECTOR, "sector", NULL, "sector", TRUE },
  { PROP_ENTITY_TYPE, "entity-type", NULL, "entity_type", TRUE },
  { PROP_REGIME, "regime", NULL, "regime", FALSE },
  { PROP_CONTACT_NAME, "contact-name", "contact", "name", TRUE },
  { PROP_CONTACT_ROLE, "contact-role", "contact", "role", TRUE },
  { PROP_CONTACT_EMAIL, "contact-email", "contact", "email", TRUE },
  { PROP_CONTACT_PHONE, "contact-phone", "contact", "phone", TRUE },
  { PROP_TECHNICAL_CONTACT_NAME, "technical-contact-name", "technical_contact", "name", TRUE },
  { PROP_TECHNICAL_CONTACT_EMAIL, "technical-contact-email", "technical_contact", "email", TRUE },
  { PROP_TECHNICAL_CONTACT_PHONE, "technical-contact-phone", "technical_contact", "phone", TRUE },
};

static char *
field_path (guint i)
{
  if (string_fields[i].object == NULL)
    return g_strdup (string_fields[i].member);
  return g_strconcat (string_fields[i].object, ".", string_fields[i].member, NULL);
}

static const char *
get_string (MwProfile *self,
            guint      prop_id)
{
  g_return_val_if_fail (MW_IS_PROFILE (self), NULL);
  return self->strings[prop_id];
}

/* Empty is absent; the regime is never absent. */
static void
set_string (MwProfile  *self,
            guint       prop_id,
            const char *value)
{
  g_return_if_fail (MW_IS_PROFILE (self));

  if (value != NULL && *value == '\0')
    value = NULL;
  if (value == NULL && prop_id == PROP_REGIME)
    value = MW_PROFILE_DEFAULT_REGIME;
  if (g_strcmp0 (self->strings[prop_id], value) == 0)
    return;
  g_free (self->strings[prop_id]);
  self->strings[prop_id] = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
mw_profile_finalize (GObject *object)
{
  MwProfile *self = MW_PROFILE (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->strings); i++)
    g_clear_pointer (&self->strings[i], g_free);
  g_clear_object (&self->services);

  G_OBJECT_CLASS (mw_profile_parent_class)->finalize (object);
}

static void
mw_profile_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MwProfile *self = MW_PROFILE (object);

  if (prop_id >= PROP_NAME && prop_id <= LAST_STRING_PROP)
    {
      g_value_set_string (value, self->strings[prop_id]);
      return;
    }
  switch (prop_id)
    {
    case PROP_TRAINING:
      g_value_set_boolean (value, self->training);
      break;
    case PROP_SERVICES:
      g_value_set_object (value, self->services);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_profile_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MwProfile *self = MW_PROFILE (object);

  if (prop_id >= PROP_NAME && prop_id <= LAST_STRING_PROP)
    {
      set_string (self, prop_id, g_value_get_string (value));
      return;
    }
  switch (prop_id)
    {
    case PROP_TRAINING:
      mw_profile_set_training (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_profile_class_init (MwProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_profile_finalize;
  object_class->get_property = mw_profile_get_property;
  object_class->set_property = mw_profile_set_property;

  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    properties[string_fields[i].prop_id] =
      g_param_spec_string (string_fields[i].property, NULL, NULL,
                           string_fields[i].prop_id == PROP_REGIME ? MW_PROFILE_DEFAULT_REGIME : NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The same list for the profile's whole life: watch its items-changed. */
  properties[PROP_SERVICES] =
    g_param_spec_object ("services", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_profile_init (MwProfile *self)
{
  self->strings[PROP_REGIME] = g_strdup (MW_PROFILE_DEFAULT_REGIME);
  self->training = TRUE;
  self->services = g_list_store_new (MW_TYPE_SERVICE);
}

/**
 * mw_profile_new:
 *
 * Returns: (transfer full): an empty profile: the default regime, training mode, no services
 */
MwProfile *
mw_profile_new (void)
{
  return g_object_new (MW_TYPE_PROFILE, NULL);
}

/* JSON ----------------------------------------------------------------------------------- */

static gboolean
wrong_type (const char  *path,
            const char  *expected,
            JsonNode    *node,
            GError     **error)
{
  /* Translators: "The organisation profile’s “contact.email” must be text, not a number" */
  g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
               _("The organisation profile’s “%s” must be %s, not %s"),
               path, expected, mw_json_describe_type (node));
  return FALSE;
}

/* Reads an optional text member; NULL or absent leaves *out NULL. */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             const char  *path,
             gboolean     required,
             const char **out,
             GError     **error)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The organisation profile’s “%s” is missing"), path);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (path, _("text"), node, error);
  *out = json_node_get_string (node);
  if (g_utf8_strlen (*out, -1) > MW_PROFILE_MAX_FIELD_CHARS)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The organisation profile’s “%s” is longer than %d characters"),
                   path, MW_PROFILE_MAX_FIELD_CHARS);
      return FALSE;
    }
  if (required && **out == '\0')
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The organisation profile’s “%s” is empty"), path);
      return FALSE;
    }
  return TRUE;
}

/* Reads an optional object member; NULL or absent gives NULL. */
static gboolean
read_object (JsonObject  *object,
             const char  *member,
             JsonObject **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (member, _("an object"), node, error);
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_services (MwProfile   *self,
               JsonObject  *object,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, "services");
  JsonArray *array;
  guint n;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type ("services", _("a list"), node, error);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > MW_PROFILE_MAX_SERVICES)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The organisation profile lists %u services, more than %d"),
                   n, MW_PROFILE_MAX_SERVICES);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("services[%u]", i);
      g_autofree char *id_path = g_strconcat (path, ".id", NULL);
      g_autofree char *name_path = g_strconcat (path, ".name", NULL);
      g_autofree char *network_path = g_strconcat (path, ".network", NULL);
      g_autoptr(MwService) service = NULL;
      const char *id, *name, *network;
      JsonObject *member;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return wrong_type (path, _("an object"), element, error);
      member = json_node_get_object (element);
      if (!read_string (member, "id", id_path, TRUE, &id, error) ||
          !read_string (member, "name", name_path, TRUE, &name, error) ||
          !read_string (member, "network", network_path, FALSE, &network, error))
        return FALSE;
      service = mw_service_new (id, name, network);
      g_list_store_append (self->services, service);
    }
  return TRUE;
}

/**
 * mw_profile_new_from_json:
 * @object: a stored profile (see the top of this file); not trusted
 *
 * Returns: (transfer full) (nullable): the profile, or %NULL with @error naming the first
 *   member that has the wrong type, is too long or (in a service) is missing
 */
MwProfile *
mw_profile_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(MwProfile) self = mw_profile_new ();
  JsonNode *training;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    {
      g_autofree char *path = field_path (i);
      JsonObject *parent = object;
      const char *value;

      if (string_fields[i].object != NULL &&
          !read_object (object, string_fields[i].object, &parent, error))
        return NULL;
      if (!read_string (parent, string_fields[i].member, path, FALSE, &value, error))
        return NULL;
      set_string (self, string_fields[i].prop_id, value);
    }

  training = json_object_get_member (object, "training");
  if (training != NULL && !JSON_NODE_HOLDS_NULL (training))
    {
      if (!JSON_NODE_HOLDS_VALUE (training) || json_node_get_value_type (training) != G_TYPE_BOOLEAN)
        {
          wrong_type ("training", _("true or false"), training, error);
          return NULL;
        }
      self->training = json_node_get_boolean (training);
    }

  if (!read_services (self, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * mw_profile_to_json:
 *
 * Returns: (transfer full): the profile in its stored shape; absent texts are left out
 */
JsonObject *
mw_profile_to_json (MwProfile *self)
{
  JsonObject *object;
  JsonArray *services;

  g_return_val_if_fail (MW_IS_PROFILE (self), NULL);

  object = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    {
      const char *value = self->strings[string_fields[i].prop_id];
      JsonObject *parent = object;

      if (value == NULL)
        continue;
      if (string_fields[i].object != NULL)
        {
          if (!json_object_has_member (object, string_fields[i].object))
            json_object_set_object_member (object, string_fields[i].object, json_object_new ());
          parent = json_object_get_object_member (object, string_fields[i].object);
        }
      json_object_set_string_member (parent, string_fields[i].member, value);
    }
  json_object_set_boolean_member (object, "training", self->training);

  services = json_array_new ();
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->services)); i++)
    {
      g_autoptr(MwService) service = g_list_model_get_item (G_LIST_MODEL (self->services), i);
      JsonObject *member = json_object_new ();

      json_object_set_string_member (member, "id", mw_service_get_id (service));
      json_object_set_string_member (member, "name", mw_service_get_name (service));
      if (mw_service_get_network (service) != NULL)
        json_object_set_string_member (member, "network", mw_service_get_network (service));
      json_array_add_object_element (services, member);
    }
  json_object_set_array_member (object, "services", services);
  return object;
}

static gboolean
same_services (GListModel *a,
               GListModel *b)
{
  guint n = g_list_model_get_n_items (a);

  if (n != g_list_model_get_n_items (b))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwService) x = g_list_model_get_item (a, i);
      g_autoptr(MwService) y = g_list_model_get_item (b, i);

      if (g_strcmp0 (mw_service_get_id (x), mw_service_get_id (y)) != 0 ||
          g_strcmp0 (mw_service_get_name (x), mw_service_get_name (y)) != 0 ||
          g_strcmp0 (mw_service_get_network (x), mw_service_get_network (y)) != 0)
        return FALSE;
    }
  return TRUE;
}

/**
 * mw_profile_assign:
 * @other: the profile to take every value from
 *
 * Makes @self say what @other says, notifying only what changes (so that what is bound to
 * @self, such as the wizard's rows, follows a profile loaded from the store).
 */
void
mw_profile_assign (MwProfile *self,
                   MwProfile *other)
{
  g_return_if_fail (MW_IS_PROFILE (self));
  g_return_if_fail (MW_IS_PROFILE (other));

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    set_string (self, string_fields[i].prop_id, other->strings[string_fields[i].prop_id]);
  mw_profile_set_training (self, other->training);
  if (!same_services (G_LIST_MODEL (self->services), G_LIST_MODEL (other->services)))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (other->services));
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (other->services), i));
      g_list_store_splice (self->services, 0, g_list_model_get_n_items (G_LIST_MODEL (self->services)),
                           items->pdata, items->len);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Validation ----------------------------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && strchr (at + 1, '.') != NULL && strchr (text, ' ') == NULL;
}

static void
add_problem (GPtrArray  *problems,
             const char *path,
             const char *message)
{
  g_ptr_array_add (problems, mw_problem_new (path, message));
}

/**
 * mw_profile_validate:
 * @regime: (nullable): the regime in force, to check the entity type against
 *
 * What the profile still needs before a report can be filed, one problem per field, with its
 * path in the stored shape ("contact.email"; "contact" when neither email nor phone is given).
 *
 * Returns: (transfer full) (element-type MwProblem): the problems; empty when complete
 */
GPtrArray *
mw_profile_validate (MwProfile *self,
                     MwRegime  *regime)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_problem_free);
  const char *entity_type, *email, *phone, *technical_email;

  g_return_val_if_fail (MW_IS_PROFILE (self), problems);
  g_return_val_if_fail (regime == NULL || MW_IS_REGIME (regime), problems);

  if (is_blank (mw_profile_get_name (self)))
    add_problem (problems, "name", _("Give the organisation’s name."));
  if (is_blank (mw_profile_get_registration (self)))
    add_problem (problems, "registration", _("Give the organisation’s registration number, such as its KvK number."));

  entity_type = mw_profile_get_entity_type (self);
  if (is_blank (entity_type))
    add_problem (problems, "entity_type", _("Choose what kind of entity the organisation is."));
  else if (regime != NULL && mw_regime_find_entity_type (regime, entity_type) == NULL)
    add_problem (problems, "entity_type", _("This kind of entity is not one of the regime’s; choose one of its kinds."));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->services)) == 0)
    add_problem (problems, "services", _("Add at least one service."));

  if (is_blank (mw_profile_get_contact_name (self)))
    add_problem (problems, "contact.name", _("Give the name of a contact person."));
  email = mw_profile_get_contact_email (self);
  phone = mw_profile_get_contact_phone (self);
  if (is_blank (email) && is_blank (phone))
    add_problem (problems, "contact", _("Give the contact’s email address or phone number."));
  else if (!is_blank (email) && !looks_like_email (email))
    add_problem (problems, "contact.email", _("Write the contact’s email address in the form name@example.nl."));
  technical_email = mw_profile_get_technical_contact_email (self);
  if (!is_blank (technical_email) && !looks_like_email (technical_email))
    add_problem (problems, "technical_contact.email",
                 _("Write the technical contact’s email address in the form name@example.nl."));

  return problems;
}

/**
 * mw_profile_apply_to_report:
 *
 * Makes the report's "provider" say what the profile says: fields the profile lacks become
 * unknown in the report.
 */
void
mw_profile_apply_to_report (MwProfile *self,
                            MwReport  *report)
{
  g_return_if_fail (MW_IS_PROFILE (self));
  g_return_if_fail (MW_IS_REPORT (report));

  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    {
      g_autofree char *field = field_path (i);
      g_autofree char *path = g_strconcat ("provider.", field, NULL);
      const char *value = self->strings[string_fields[i].prop_id];

      if (!string_fields[i].provider || g_strcmp0 (value, mw_report_get_string (report, path)) == 0)
        continue;
      if (value != NULL)
        mw_report_set_string (report, path, value);
      else if (mw_report_is_known (report, path))
        mw_report_set_unknown (report, path);
    }
}

/* Properties ----------------------------------------------------------------------------- */

const char *
mw_profile_get_name (MwProfile *self)
{
  return get_string (self, PROP_NAME);
}

void
mw_profile_set_name (MwProfile  *self,
                    const char *name)
{
  set_string (self, PROP_NAME, name);
}

const char *
mw_profile_get_registration (MwProfile *self)
{
  return get_string (self, PROP_REGISTRATION);
}

void
mw_profile_set_registration (MwProfile  *self,
                            const char *registration)
{
  set_string (self, PROP_REGISTRATION, registration);
}

const char *
mw_profile_get_sector (MwProfile *self)
{
  return get_string (self, PROP_SECTOR);
}

void
mw_profile_set_sector (MwProfile  *self,
                      const char *sector)
{
  set_string (self, PROP_SECTOR, sector);
}

const char *
mw_profile_get_entity_type (MwProfile *self)
{
  return get_string (self, PROP_ENTITY_TYPE);
}

void
mw_profile_set_entity_type (MwProfile  *self,
                           const char *entity_type)
{
  set_string (self, PROP_ENTITY_TYPE, entity_type);
}

const char *
mw_profile_get_regime (MwProfile *self)
{
  return get_string (self, PROP_REGIME);
}

void
mw_profile_set_regime (MwProfile  *self,
                      const char *regime)
{
  set_string (self, PROP_REGIME, regime);
}

const char *
mw_profile_get_contact_name (MwProfile *self)
{
  return get_string (self, PROP_CONTACT_NAME);
}

void
mw_profile_set_contact_name (MwProfile  *self,
                            const char *name)
{
  set_string (self, PROP_CONTACT_NAME, name);
}

const char *
mw_profile_get_contact_role (MwProfile *self)
{
  return get_string (self, PROP_CONTACT_ROLE);
}

void
mw_profile_set_contact_role (MwProfile  *self,
                            const char *role)
{
  set_string (self, PROP_CONTACT_ROLE, role);
}

const char *
mw_profile_get_contact_email (MwProfile *self)
{
  return get_string (self, PROP_CONTACT_EMAIL);
}

void
mw_profile_set_contact_email (MwProfile  *self,
                             const char *email)
{
  set_string (self, PROP_CONTACT_EMAIL, email);
}

const char *
mw_profile_get_contact_phone (MwProfile *self)
{
  return get_string (self, PROP_CONTACT_PHONE);
}

void
mw_profile_set_contact_phone (MwProfile  *self,
                             const char *phone)
{
  set_string (self, PROP_CONTACT_PHONE, phone);
}

const char *
mw_profile_get_technical_contact_name (MwProfile *self)
{
  return get_string (self, PROP_TECHNICAL_CONTACT_NAME);
}

void
mw_profile_set_technical_contact_name (MwProfile  *self,
                                      const char *name)
{
  set_string (self, PROP_TECHNICAL_CONTACT_NAME, name);
}

const char *
mw_profile_get_technical_contact_email (MwProfile *self)
{
  return get_string (self, PROP_TECHNICAL_CONTACT_EMAIL);
}

void
mw_profile_set_technical_contact_email (MwProfile  *self,
                                       const char *email)
{
  set_string (self, PROP_TECHNICAL_CONTACT_EMAIL, email);
}

const char *
mw_profile_get_technical_contact_phone (MwProfile *self)
{
  return get_string (self, PROP_TECHNICAL_CONTACT_PHONE);
}

void
mw_profile_set_technical_contact_phone (MwProfile  *self,
                                       const char *phone)
{
  set_string (self, PROP_TECHNICAL_CONTACT_PHONE, phone);
}

gboolean
mw_profile_get_training (MwProfile *self)
{
  g_return_val_if_fail (MW_IS_PROFILE (self), TRUE);
  return self->training;
}

void
mw_profile_set_training (MwProfile *self,
                         gboolean   training)
{
  g_return_if_fail (MW_IS_PROFILE (self));

  training = !!training;
  if (self->training == training)
    return;
  self->training = training;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

/**
 * mw_profile_get_services:
 *
 * Returns: (transfer none): the services, a #GListModel of #MwService
 */
GListModel *
mw_profile_get_services (MwProfile *self)
{
  g_return_val_if_fail (MW_IS_PROFILE (self), NULL);
  return G_LIST_MODEL (self->services);
}

/**
 * mw_profile_add_service:
 * @name: what the organisation calls it; not empty
 * @network: (nullable): the network or location it runs on
 *
 * Adds a service with a new id at the end.
 *
 * Returns: (transfer none): the service added
 */
MwService *
mw_profile_add_service (MwProfile  *self,
                        const char *name,
                        const char *network)
{
  g_autoptr(MwService) service = NULL;

  g_return_val_if_fail (MW_IS_PROFILE (self), NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  service = mw_service_new (NULL, name, network);
  g_list_store_append (self->services, service);
  return service;
}

void
mw_profile_remove_service (MwProfile *self,
                           guint      position)
{
  g_return_if_fail (MW_IS_PROFILE (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->services)));

  g_list_store_remove (self->services, position);
}
