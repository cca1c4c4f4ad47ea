/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-services"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-error.h"
#include "mw-services.h"
#include "mw-store.h"

struct _MwServices
{
  GObject     parent_instance;

  char       *store_path;   /* as given, or NULL for the default */
  MwStore    *store;
  MwOutbox   *outbox;
  MwPractice *practice;
  MwFiling   *filing;
  MwSigner   *signer;
};

G_DEFINE_FINAL_TYPE (MwServices, mw_services, G_TYPE_OBJECT)

static void
mw_services_dispose (GObject *object)
{
  MwServices *self = MW_SERVICES (object);

  mw_services_shutdown (self);
  G_OBJECT_CLASS (mw_services_parent_class)->dispose (object);
}

static void
mw_services_finalize (GObject *object)
{
  MwServices *self = MW_SERVICES (object);

  g_clear_object (&self->filing);
  g_clear_object (&self->outbox);
  g_clear_object (&self->practice);
  g_clear_object (&self->store);
  g_clear_object (&self->signer);
  g_free (self->store_path);
  G_OBJECT_CLASS (mw_services_parent_class)->finalize (object);
}

static void
mw_services_class_init (MwServicesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_services_dispose;
  object_class->finalize = mw_services_finalize;
}

static void
mw_services_init (MwServices *self)
{
}

MwServices *
mw_services_new (const char *store_path)
{
  MwServices *self = g_object_new (MW_TYPE_SERVICES, NULL);

  self->store_path = g_strdup (store_path);
  return self;
}

gboolean
mw_services_open (MwServices  *self,
                  GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (MW_IS_SERVICES (self), FALSE);

  if (self->store != NULL)
    return TRUE;

  path = self->store_path ? g_strdup (self->store_path) : mw_store_get_default_path ();
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_ERROR, MW_ERROR_STORE, _("Could not create the folder “%s”: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  self->store = mw_store_new_for_path (path, error);
  if (self->store == NULL)
    return FALSE;

  self->practice = mw_practice_new (self->store);
  self->outbox = mw_outbox_new (self->store);
  mw_outbox_set_practice (self->outbox, self->practice);
  self->filing = mw_filing_new (self->store, self->outbox);
  if (self->signer != NULL)
    mw_services_set_signer (self, self->signer);
  return TRUE;
}

char *
mw_services_dup_data_dir (MwServices *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (MW_IS_SERVICES (self), NULL);

  path = self->store ? g_strdup (mw_store_get_path (self->store))
                     : self->store_path ? g_strdup (self->store_path) : mw_store_get_default_path ();
  return g_path_get_dirname (path);
}

MwOutbox *
mw_services_get_outbox (MwServices *self)
{
  g_return_val_if_fail (MW_IS_SERVICES (self), NULL);
  return self->outbox;
}

MwFiling *
mw_services_get_filing (MwServices *self)
{
  g_return_val_if_fail (MW_IS_SERVICES (self), NULL);
  return self->filing;
}

MwPractice *
mw_services_get_practice (MwServices *self)
{
  g_return_val_if_fail (MW_IS_SERVICES (self), NULL);
  return self->practice;
}

void
mw_services_set_signer (MwServices *self,
                        MwSigner   *signer)
{
  g_return_if_fail (MW_IS_SERVICES (self));

  g_set_object (&self->signer, signer);
  if (self->outbox != NULL)
    mw_outbox_set_signer (self->outbox, signer);
  if (self->practice != NULL)
    mw_practice_set_signer (self->practice, signer);
}

char *
mw_services_load_profile (MwServices  *self,
                          GError     **error)
{
  g_autoptr(MwStoreProfile) stored = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (MW_IS_SERVICES (self), NULL);

  if (!mw_services_open (self, error))
    return NULL;
  stored = mw_store_get_profile (self->store, &local_error);
  if (stored == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&stored->json);
}

gboolean
mw_services_save_profile (MwServices  *self,
                          const char  *profile_json,
                          GError     **error)
{
  g_return_val_if_fail (MW_IS_SERVICES (self), FALSE);

  return mw_services_open (self, error) && mw_store_set_profile (self->store, profile_json, error);
}

gboolean
mw_services_save_draft (MwServices  *self,
                        const char  *report_json,
                        GError     **error)
{
  g_return_val_if_fail (MW_IS_SERVICES (self), FALSE);

  return mw_services_open (self, error) && mw_store_save_draft (self->store, report_json, error);
}

char *
mw_services_load_draft (MwServices  *self,
                        const char  *report_id,
                        GError     **error)
{
  g_return_val_if_fail (MW_IS_SERVICES (self), NULL);

  if (!mw_services_open (self, error))
    return NULL;
  return mw_store_load_draft (self->store, report_id, error);
}

char *
mw_services_load_newest_draft (MwServices  *self,
                               GError     **error)
{
  g_autoptr(GPtrArray) drafts = NULL;
  MwStoreReport *newest;

  g_return_val_if_fail (MW_IS_SERVICES (self), NULL);

  if (!mw_services_open (self, error))
    return NULL;
  drafts = mw_store_list_drafts (self->store, error);
  if (drafts == NULL)
    return NULL;
  if (drafts->len == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND, _("No saved draft."));
      return NULL;
    }
  newest = g_ptr_array_index (drafts, 0);
  return g_steal_pointer (&newest->json);
}

gboolean
mw_services_discard_draft (MwServices  *self,
                           const char  *report_id,
                           GError     **error)
{
  g_return_val_if_fail (MW_IS_SERVICES (self), FALSE);

  return mw_services_open (self, error) && mw_store_delete_draft (self->store, report_id, error);
}

char *
mw_services_dup_signed_report (MwServices  *self,
                               const char  *report_id,
                               GError     **error)
{
  g_autoptr(MwStoreReport) stored = NULL;

  g_return_val_if_fail (MW_IS_SERVICES (self), NULL);

  if (!mw_services_open (self, error))
    return NULL;
  stored = mw_store_get_report (self->store, report_id, error);
  if (stored == NULL)
    return NULL;
  if (!stored->signed_ || stored->jws == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND, _("The report has not been signed yet."));
      return NULL;
    }
  return g_steal_pointer (&stored->jws);
}

GStrv
mw_services_dup_missing_endpoints (MwServices         *self,
                                   const char * const *recipients,
                                   gboolean            training,
                                   GError            **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MW_IS_SERVICES (self), NULL);
  g_return_val_if_fail (recipients != NULL, NULL);

  if (!mw_services_open (self, error))
    return NULL;
  for (guint i = 0; recipients[i] != NULL; i++)
    {
      g_autoptr(MwStoreEndpoint) endpoint = mw_store_get_endpoint (self->store, recipients[i], training, NULL);

      if (endpoint == NULL)
        g_strv_builder_add (builder, recipients[i]);
    }
  return g_strv_builder_end (builder);
}

void
mw_services_shutdown (MwServices *self)
{
  g_return_if_fail (MW_IS_SERVICES (self));

  if (self->outbox != NULL)
    mw_outbox_stop (self->outbox);
  if (self->practice != NULL)
    mw_practice_stop (self->practice);
}
