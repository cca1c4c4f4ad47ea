/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-context"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-error.h"
#include "mw-context.h"
#include "mw-store.h"

struct _MwContext
{
  GObject     parent_instance;

  char       *store_path;   /* as given, or NULL for the default */
  MwStore    *store;
  MwOutbox   *outbox;
  MwPractice *practice;
  MwIncidents *incidents;
  MwFiling   *filing;
  MwSigner   *signer;
};

G_DEFINE_FINAL_TYPE (MwContext, mw_context, G_TYPE_OBJECT)

static void
mw_context_dispose (GObject *object)
{
  MwContext *self = MW_CONTEXT (object);

  mw_context_shutdown (self);
  G_OBJECT_CLASS (mw_context_parent_class)->dispose (object);
}

static void
mw_context_finalize (GObject *object)
{
  MwContext *self = MW_CONTEXT (object);

  g_clear_object (&self->filing);
  g_clear_object (&self->outbox);
  g_clear_object (&self->practice);
  g_clear_object (&self->incidents);
  g_clear_object (&self->store);
  g_clear_object (&self->signer);
  g_free (self->store_path);
  G_OBJECT_CLASS (mw_context_parent_class)->finalize (object);
}

static void
mw_context_class_init (MwContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_context_dispose;
  object_class->finalize = mw_context_finalize;
}

static void
mw_context_init (MwContext *self)
{
}

MwContext *
mw_context_new (const char *store_path)
{
  MwContext *self = g_object_new (MW_TYPE_CONTEXT, NULL);

  self->store_path = g_strdup (store_path);
  return self;
}

gboolean
mw_context_open (MwContext  *self,
                  GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (MW_IS_CONTEXT (self), FALSE);

  if (self->store != NULL)
    return TRUE;

  path = self->store_path ? g_strdup (self->store_path) : mw_store_get_default_path ();
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_STORE_ERROR, MW_STORE_ERROR_UNUSABLE, _("Could not create the folder “%s”: %s"),
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
  self->incidents = mw_incidents_new (self->store);
  if (self->signer != NULL)
    mw_context_set_signer (self, self->signer);
  return TRUE;
}

char *
mw_context_dup_data_dir (MwContext *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);

  path = self->store ? g_strdup (mw_store_get_path (self->store))
                     : self->store_path ? g_strdup (self->store_path) : mw_store_get_default_path ();
  return g_path_get_dirname (path);
}

MwOutbox *
mw_context_get_outbox (MwContext *self)
{
  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);
  return self->outbox;
}

MwFiling *
mw_context_get_filing (MwContext *self)
{
  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);
  return self->filing;
}

MwPractice *
mw_context_get_practice (MwContext *self)
{
  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);
  return self->practice;
}

MwIncidents *
mw_context_get_incidents (MwContext *self)
{
  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);

  return self->incidents;
}

void
mw_context_set_signer (MwContext *self,
                        MwSigner   *signer)
{
  g_return_if_fail (MW_IS_CONTEXT (self));

  g_set_object (&self->signer, signer);
  if (self->outbox != NULL)
    mw_outbox_set_signer (self->outbox, signer);
  if (self->practice != NULL)
    mw_practice_set_signer (self->practice, signer);
}

char *
mw_context_load_profile (MwContext  *self,
                          GError     **error)
{
  g_autoptr(MwStoreProfile) stored = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);

  /* No store yet (a first run): no profile either. Asking creates nothing; the store is
   * made when something is kept. */
  if (self->store == NULL)
    {
      g_autofree char *path = self->store_path ? g_strdup (self->store_path) : mw_store_get_default_path ();

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return NULL;
    }
  if (!mw_context_open (self, error))
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
mw_context_save_profile (MwContext  *self,
                          const char  *profile_json,
                          GError     **error)
{
  g_return_val_if_fail (MW_IS_CONTEXT (self), FALSE);

  return mw_context_open (self, error) && mw_store_set_profile (self->store, profile_json, error);
}

gboolean
mw_context_save_draft (MwContext  *self,
                        const char  *report_json,
                        GError     **error)
{
  g_return_val_if_fail (MW_IS_CONTEXT (self), FALSE);

  return mw_context_open (self, error) && mw_store_save_draft (self->store, report_json, error);
}

char *
mw_context_load_draft (MwContext  *self,
                        const char  *report_id,
                        GError     **error)
{
  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);

  if (!mw_context_open (self, error))
    return NULL;
  return mw_store_load_draft (self->store, report_id, error);
}

char *
mw_context_load_newest_draft (MwContext  *self,
                               GError     **error)
{
  g_autoptr(GPtrArray) drafts = NULL;
  MwStoreReport *newest;

  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);

  if (!mw_context_open (self, error))
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
mw_context_discard_draft (MwContext  *self,
                           const char  *report_id,
                           GError     **error)
{
  g_return_val_if_fail (MW_IS_CONTEXT (self), FALSE);

  return mw_context_open (self, error) && mw_store_delete_draft (self->store, report_id, error);
}

char *
mw_context_dup_signed_report (MwContext  *self,
                               const char  *report_id,
                               GError     **error)
{
  g_autoptr(MwStoreReport) stored = NULL;

  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);

  if (!mw_context_open (self, error))
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
mw_context_dup_missing_endpoints (MwContext         *self,
                                   const char * const *recipients,
                                   gboolean            training,
                                   GError            **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MW_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (recipients != NULL, NULL);

  if (!mw_context_open (self, error))
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
mw_context_shutdown (MwContext *self)
{
  g_return_if_fail (MW_IS_CONTEXT (self));

  if (self->outbox != NULL)
    mw_outbox_stop (self->outbox);
  if (self->practice != NULL)
    mw_practice_stop (self->practice);
}
