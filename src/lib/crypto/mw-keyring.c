/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-keyring"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-error.h"
#include "mw-keyring.h"
#include "mw-lazy-library.h"

/* libsecret and libgcrypt are opened by the first use of the keyring (in a thread, after a
 * window's first frame), not when a program starts (README, "Start-up"). Its functions are
 * called through this table; the schema and its constants need no library. */
#define SECRET_FUNCTIONS(F) \
  F (secret_error_get_quark) \
  F (secret_item_get_type) \
  F (secret_item_get_locked) \
  F (secret_retrievable_get_attributes) \
  F (secret_password_search_sync) \
  F (secret_password_lookup_sync) \
  F (secret_password_store_sync) \
  F (secret_password_clear_sync) \
  F (secret_password_free)

static struct
{
  SECRET_FUNCTIONS (MW_LAZY_SLOT)
} libsecret;

static const char * const secret_names[] = {
  SECRET_FUNCTIONS (MW_LAZY_NAME)
  NULL
};

static MwLazyLibrary secret_library = MW_LAZY_LIBRARY_INIT ("libsecret-1.so.0", secret_names, &libsecret);

static gboolean
open_libsecret (GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (mw_lazy_library_open (&secret_library, &local_error))
    return TRUE;
  g_set_error (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING,
               _("The keyring could not be used: %s"), local_error->message);
  return FALSE;
}

/* The domain of libsecret's errors, to recognise one: 0 while no such error was ever made
 * (libsecret registers it as "secret-error" with its first error; whether it came through
 * this table or not). */
static GQuark
secret_error_domain (void)
{
  return g_quark_try_string ("secret-error");
}

#define PURPOSE_SIGNING "signing"

struct _MwKeyring
{
  GObject  parent_instance;

  char    *profile;
};

G_DEFINE_FINAL_TYPE (MwKeyring, mw_keyring, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const SecretSchema *
mw_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    MW_KEYRING_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "purpose", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kid", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static void
mw_keyring_finalize (GObject *object)
{
  MwKeyring *self = (MwKeyring *)object;

  g_clear_pointer (&self->profile, g_free);

  G_OBJECT_CLASS (mw_keyring_parent_class)->finalize (object);
}

static void
mw_keyring_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MwKeyring *self = MW_KEYRING (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_string (value, self->profile);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_keyring_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MwKeyring *self = MW_KEYRING (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      {
        const char *profile = g_value_get_string (value);

        g_free (self->profile);
        self->profile = g_strdup (profile != NULL && profile[0] != '\0' ? profile : MW_KEYRING_DEFAULT_PROFILE);
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_keyring_class_init (MwKeyringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_keyring_finalize;
  object_class->get_property = mw_keyring_get_property;
  object_class->set_property = mw_keyring_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_string ("profile", NULL, NULL,
                         MW_KEYRING_DEFAULT_PROFILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_keyring_init (MwKeyring *self)
{
}

MwKeyring *
mw_keyring_new (const char *profile)
{
  if (profile == NULL)
    profile = g_getenv (MW_KEYRING_PROFILE_ENV);

  return g_object_new (MW_TYPE_KEYRING,
                       "profile", profile != NULL && profile[0] != '\0' ? profile : MW_KEYRING_DEFAULT_PROFILE,
                       NULL);
}

const char *
mw_keyring_get_profile (MwKeyring *self)
{
  g_return_val_if_fail (MW_IS_KEYRING (self), NULL);

  return self->profile;
}

/* Errors ----------------------------------------------------------------- */

GError *
mw_keyring_translate_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == MW_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  g_debug ("Secret Service error: %s (%s %d)", error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, secret_error_domain (), SECRET_ERROR_IS_LOCKED))
    return g_error_new (MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING,
                        _("The keyring is locked: unlock your keyring (log in to the desktop session, or open Passwords and Keys and unlock “Login”) and try again"));

  /* Any failure to reach the service over the session bus: no bus at all (GIO errors while
   * connecting), nobody owning org.freedesktop.secrets, nothing that can be activated. */
  if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR ||
      error->domain == G_SPAWN_ERROR)
    return g_error_new (MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING,
                        _("No keyring service is running: start GNOME Keyring or log in to a desktop session"));

  if (error->domain == secret_error_domain ())
    return g_error_new (MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING,
                        _("The keyring could not be used (%s): check that GNOME Keyring works, for example in Passwords and Keys"),
                        error->message);

  return g_error_new (MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING,
                      _("The keyring could not be used: %s"), error->message);
}

static gboolean
propagate_keyring_error (GError **error,
                         GError  *local_error)
{
  g_propagate_error (error, mw_keyring_translate_error (local_error));
  g_error_free (local_error);
  return FALSE;
}

/* Existing items: their kids, without unlocking anything. Returns FALSE on error. */
static gboolean
find_stored_kids (MwKeyring     *self,
                  GPtrArray    **kids,
                  gboolean      *any_locked,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GError *local_error = NULL;
  GList *items;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  gboolean locked = FALSE;

  if (!open_libsecret (error))
    return FALSE;
  items = libsecret.secret_password_search_sync (mw_keyring_get_schema (), SECRET_SEARCH_ALL,
                                       cancellable, &local_error,
                                       "purpose", PURPOSE_SIGNING,
                                       "profile", self->profile,
                                       NULL);
  if (local_error != NULL)
    return propagate_keyring_error (error, local_error);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = libsecret.secret_retrievable_get_attributes (l->data);
      const char *kid = attributes != NULL ? g_hash_table_lookup (attributes, "kid") : NULL;

      g_ptr_array_add (found, g_strdup (kid != NULL ? kid : ""));
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, libsecret.secret_item_get_type ()) &&
          libsecret.secret_item_get_locked (l->data))
        locked = TRUE;
    }
  g_list_free_full (items, g_object_unref);

  if (kids != NULL)
    *kids = g_steal_pointer (&found);
  if (any_locked != NULL)
    *any_locked = locked;
  return TRUE;
}

/* Sync API --------------------------------------------------------------- */

MwSigner *
mw_keyring_load_sync (MwKeyring     *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  GError *local_error = NULL;
  char *secret;
  g_autoptr(MwSigner) signer = NULL;
  gboolean locked = FALSE;

  g_return_val_if_fail (MW_IS_KEYRING (self), NULL);

  if (!open_libsecret (error))
    return NULL;
  secret = libsecret.secret_password_lookup_sync (mw_keyring_get_schema (), cancellable, &local_error,
                                        "purpose", PURPOSE_SIGNING,
                                        "profile", self->profile,
                                        NULL);
  if (local_error != NULL)
    {
      propagate_keyring_error (error, local_error);
      return NULL;
    }

  if (secret == NULL)
    {
      g_autoptr(GPtrArray) kids = NULL;

      /* Nothing unlocked came back: tell "locked" apart from "absent". */
      if (!find_stored_kids (self, &kids, &locked, cancellable, error))
        return NULL;
      if (locked || kids->len > 0)
        g_set_error (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING,
                     _("The signing key is in a locked keyring: unlock your keyring (log in to the desktop session, or open Passwords and Keys and unlock “Login”) and try again"));
      else
        g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                     _("There is no signing key in the keyring for profile “%s” yet."),
                     self->profile);
      return NULL;
    }

  signer = mw_signer_new_from_jwk (secret, &local_error);
  libsecret.secret_password_free (secret);
  if (signer == NULL)
    {
      g_set_error (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_DAMAGED,
                   _("The signing key stored in the keyring is damaged (%s). Replace it with a new key and enrol the new key with every recipient."),
                   local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  if (!mw_signer_has_private (signer))
    {
      g_set_error (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_DAMAGED,
                   _("The signing key stored in the keyring has no private part (“d”), so it cannot sign. Replace it with a new key and enrol the new key with every recipient."));
      return NULL;
    }

  return g_steal_pointer (&signer);
}

gboolean
mw_keyring_store_sync (MwKeyring       *self,
                       MwSigner        *signer,
                       MwKeyringFlags   flags,
                       GCancellable    *cancellable,
                       GError         **error)
{
  GError *local_error = NULL;
  g_autoptr(GPtrArray) old_kids = NULL;
  g_autofree char *label = NULL;
  const char *kid;
  char *jwk;
  gboolean ok;

  g_return_val_if_fail (MW_IS_KEYRING (self), FALSE);
  g_return_val_if_fail (MW_IS_SIGNER (signer), FALSE);

  if (!mw_signer_has_private (signer))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("Only a private key can be stored as the signing key; this key has no “d”"));
      return FALSE;
    }

  kid = mw_signer_get_thumbprint (signer);

  if (!find_stored_kids (self, &old_kids, NULL, cancellable, error))
    return FALSE;

  if (old_kids->len > 0 && !(flags & MW_KEYRING_FLAGS_FORCE))
    {
      const char *old = g_ptr_array_index (old_kids, 0);

      g_set_error (error, MW_ERROR, MW_ERROR_EXISTS,
                   _("A signing key already exists in the keyring (key “%s”). Replacing it means that recipients reject your reports until you enrol the new key."),
                   old);
      return FALSE;
    }

  if (g_str_equal (self->profile, MW_KEYRING_DEFAULT_PROFILE))
    label = g_strdup (_("Meldwijzer signing key"));
  else
    label = g_strdup_printf (_("Meldwijzer signing key (%s)"), self->profile);

  /* Store the new key first and only then remove the old ones, so that a failure in
   * between never leaves the organisation without a key. */
  jwk = mw_signer_to_private_jwk (signer);
  ok = libsecret.secret_password_store_sync (mw_keyring_get_schema (), SECRET_COLLECTION_DEFAULT,
                                   label, jwk, cancellable, &local_error,
                                   "purpose", PURPOSE_SIGNING,
                                   "profile", self->profile,
                                   "kid", kid,
                                   NULL);
  mw_secure_free (jwk);
  if (!ok)
    {
      if (local_error == NULL)
        local_error = g_error_new (libsecret.secret_error_get_quark (), SECRET_ERROR_IS_LOCKED, "not stored");
      return propagate_keyring_error (error, local_error);
    }

  for (guint i = 0; i < old_kids->len; i++)
    {
      const char *old = g_ptr_array_index (old_kids, i);

      if (g_str_equal (old, kid))
        continue;
      libsecret.secret_password_clear_sync (mw_keyring_get_schema (), cancellable, &local_error,
                                  "purpose", PURPOSE_SIGNING,
                                  "profile", self->profile,
                                  "kid", old,
                                  NULL);
      if (local_error != NULL)
        return propagate_keyring_error (error, local_error);
    }

  return TRUE;
}

MwSigner *
mw_keyring_generate_sync (MwKeyring       *self,
                          MwKeyringFlags   flags,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GPtrArray) kids = NULL;

  g_return_val_if_fail (MW_IS_KEYRING (self), NULL);

  /* Check first, so that no key is generated for nothing; store checks again. */
  if (!(flags & MW_KEYRING_FLAGS_FORCE))
    {
      if (!find_stored_kids (self, &kids, NULL, cancellable, error))
        return NULL;
      if (kids->len > 0)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_EXISTS,
                       _("A signing key already exists in the keyring (key “%s”). Replacing it means that recipients reject your reports until you enrol the new key."),
                       (const char *)g_ptr_array_index (kids, 0));
          return NULL;
        }
    }

  signer = mw_signer_generate (error);
  if (signer == NULL)
    return NULL;

  if (!mw_keyring_store_sync (self, signer, flags, cancellable, error))
    return NULL;

  return g_steal_pointer (&signer);
}

MwSigner *
mw_keyring_ensure_sync (MwKeyring     *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  MwSigner *signer;

  g_return_val_if_fail (MW_IS_KEYRING (self), NULL);

  signer = mw_keyring_load_sync (self, cancellable, &local_error);
  if (signer != NULL)
    return signer;
  if (!g_error_matches (local_error, MW_ERROR, MW_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return mw_keyring_generate_sync (self, MW_KEYRING_FLAGS_NONE, cancellable, error);
}

gboolean
mw_keyring_delete_sync (MwKeyring     *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (MW_IS_KEYRING (self), FALSE);

  if (!open_libsecret (error))
    return FALSE;
  libsecret.secret_password_clear_sync (mw_keyring_get_schema (), cancellable, &local_error,
                              "purpose", PURPOSE_SIGNING,
                              "profile", self->profile,
                              NULL);
  if (local_error != NULL)
    return propagate_keyring_error (error, local_error);
  return TRUE;
}

char *
mw_keyring_export_public_sync (MwKeyring     *self,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(MwSigner) signer = mw_keyring_load_sync (self, cancellable, error);

  if (signer == NULL)
    return NULL;
  return mw_signer_to_public_jwk (signer);
}

/* Async API: the sync calls in a worker thread ---------------------------- */

typedef enum {
  OP_LOAD,
  OP_STORE,
  OP_GENERATE,
  OP_ENSURE,
} Operation;

typedef struct {
  Operation       op;
  MwKeyringFlags  flags;
  MwSigner       *signer;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_clear_object (&data->signer);
  g_free (data);
}

static void
keyring_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MwKeyring *self = source_object;
  TaskData *data = task_data;
  GError *error = NULL;
  MwSigner *signer = NULL;

  switch (data->op)
    {
    case OP_LOAD:
      signer = mw_keyring_load_sync (self, cancellable, &error);
      break;
    case OP_GENERATE:
      signer = mw_keyring_generate_sync (self, data->flags, cancellable, &error);
      break;
    case OP_ENSURE:
      signer = mw_keyring_ensure_sync (self, cancellable, &error);
      break;
    case OP_STORE:
      if (mw_keyring_store_sync (self, data->signer, data->flags, cancellable, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    default:
      g_assert_not_reached ();
    }

  if (signer != NULL)
    g_task_return_pointer (task, signer, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
start_task (MwKeyring           *self,
            Operation            op,
            MwKeyringFlags       flags,
            MwSigner            *signer,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data = g_new0 (TaskData, 1);

  data->op = op;
  data->flags = flags;
  data->signer = signer != NULL ? g_object_ref (signer) : NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify)task_data_free);
  g_task_run_in_thread (task, keyring_thread);
}

void
mw_keyring_load_async (MwKeyring           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (MW_IS_KEYRING (self));

  start_task (self, OP_LOAD, 0, NULL, cancellable, callback, user_data, mw_keyring_load_async);
}

MwSigner *
mw_keyring_load_finish (MwKeyring     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_keyring_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mw_keyring_store_async (MwKeyring           *self,
                        MwSigner            *signer,
                        MwKeyringFlags       flags,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (MW_IS_KEYRING (self));
  g_return_if_fail (MW_IS_SIGNER (signer));

  start_task (self, OP_STORE, flags, signer, cancellable, callback, user_data, mw_keyring_store_async);
}

gboolean
mw_keyring_store_finish (MwKeyring     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_keyring_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_keyring_generate_async (MwKeyring           *self,
                           MwKeyringFlags       flags,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (MW_IS_KEYRING (self));

  start_task (self, OP_GENERATE, flags, NULL, cancellable, callback, user_data, mw_keyring_generate_async);
}

MwSigner *
mw_keyring_generate_finish (MwKeyring     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_keyring_generate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mw_keyring_ensure_async (MwKeyring           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (MW_IS_KEYRING (self));

  start_task (self, OP_ENSURE, 0, NULL, cancellable, callback, user_data, mw_keyring_ensure_async);
}

MwSigner *
mw_keyring_ensure_finish (MwKeyring     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_keyring_ensure_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
