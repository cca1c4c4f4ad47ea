/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-practice"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-error.h"
#include "mw-json.h"
#include "mw-practice-private.h"
#include "mw-protocol.h"
#include "mw-store.h"
#include "mw-training.h"

#define MAX_KEY_FILE_BYTES (64 * 1024)

struct _MwPractice
{
  GObject           parent_instance;

  MwStore          *store;
  MwSigner         *signer;
  MwTrainingIntake *intake;      /* running or starting, or NULL */
  gboolean          starting;
  GPtrArray        *waiting;     /* GTask: ensure calls that arrived while starting */
  GPtrArray        *recorded;    /* MwStoreEndpoint: what it recorded, removed again on stop */
  char             *receipt_thumbprint;
};

G_DEFINE_FINAL_TYPE (MwPractice, mw_practice, G_TYPE_OBJECT)

static void
mw_practice_dispose (GObject *object)
{
  MwPractice *self = MW_PRACTICE (object);

  mw_practice_stop (self);
  G_OBJECT_CLASS (mw_practice_parent_class)->dispose (object);
}

static void
mw_practice_finalize (GObject *object)
{
  MwPractice *self = MW_PRACTICE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->signer);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->recorded, g_ptr_array_unref);
  g_clear_pointer (&self->receipt_thumbprint, g_free);
  G_OBJECT_CLASS (mw_practice_parent_class)->finalize (object);
}

static void
mw_practice_class_init (MwPracticeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_practice_dispose;
  object_class->finalize = mw_practice_finalize;
}

static void
mw_practice_init (MwPractice *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->recorded = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_store_endpoint_free);
}

MwPractice *
mw_practice_new (MwStore *store)
{
  MwPractice *self;

  g_return_val_if_fail (MW_IS_STORE (store), NULL);

  self = g_object_new (MW_TYPE_PRACTICE, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
mw_practice_set_signer (MwPractice *self,
                        MwSigner   *signer)
{
  g_return_if_fail (MW_IS_PRACTICE (self));
  g_set_object (&self->signer, signer);
}

static char *
practice_db_path (MwPractice *self)
{
  g_autofree char *dir = g_path_get_dirname (mw_store_get_path (self->store));

  return g_build_filename (dir, "training-intake.db", NULL);
}

/* The thumbprint of the practice intake's receipt key, or NULL when it has none yet. */
static const char *
get_receipt_thumbprint (MwPractice *self)
{
  g_autofree char *db = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(MwSigner) key = NULL;
  char *jwk;

  if (self->receipt_thumbprint != NULL)
    return self->receipt_thumbprint;

  db = practice_db_path (self);
  key_path = g_strconcat (db, ".key", NULL);
  jwk = g_file_test (key_path, G_FILE_TEST_IS_REGULAR) ? mw_file_read_bounded (key_path, MAX_KEY_FILE_BYTES, NULL, NULL)
                                                       : NULL;
  key = jwk ? mw_signer_new_from_jwk (jwk, NULL) : NULL;
  mw_secure_free (jwk);   /* the intake's private key */
  if (key != NULL)
    self->receipt_thumbprint = g_strdup (mw_signer_get_thumbprint (key));
  return self->receipt_thumbprint;
}

/* Does anything accept a connection at the endpoint's host and port? (Practice endpoints
 * are on loopback, where a refusal is immediate.) */
static gboolean
endpoint_answers (const char *url)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 2);
  connection = g_socket_client_connect_to_uri (client, url, 80, NULL, NULL);
  if (connection != NULL)
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return connection != NULL;
}

gboolean
mw_practice_needs_replacing (MwPractice            *self,
                             const MwStoreEndpoint *endpoint)
{
  g_return_val_if_fail (MW_IS_PRACTICE (self), FALSE);
  g_return_val_if_fail (endpoint != NULL, FALSE);

  if (!mw_practice_owns_endpoint (self, endpoint))
    return FALSE;
  /* Ours while it runs; another practice intake's (the wizard's, say) while it answers. */
  if (mw_practice_get_running (self))
    {
      g_autofree char *url = mw_training_intake_dup_mailbox_url (self->intake, endpoint->recipient);

      if (g_strcmp0 (url, endpoint->url) == 0)
        return FALSE;
    }
  return !endpoint_answers (endpoint->url);
}

gboolean
mw_practice_owns_endpoint (MwPractice            *self,
                           const MwStoreEndpoint *endpoint)
{
  g_autoptr(MwSigner) key = NULL;
  const char *thumbprint;

  g_return_val_if_fail (MW_IS_PRACTICE (self), FALSE);
  g_return_val_if_fail (endpoint != NULL, FALSE);

  if (!endpoint->training || endpoint->pinned_jwk == NULL)
    return FALSE;
  thumbprint = get_receipt_thumbprint (self);
  key = thumbprint ? mw_signer_new_from_jwk (endpoint->pinned_jwk, NULL) : NULL;
  return key != NULL && g_str_equal (mw_signer_get_thumbprint (key), thumbprint);
}

gboolean
mw_practice_get_running (MwPractice *self)
{
  g_return_val_if_fail (MW_IS_PRACTICE (self), FALSE);
  return self->intake != NULL && !self->starting && mw_training_intake_get_running (self->intake);
}

const char *
mw_practice_get_url (MwPractice *self)
{
  g_return_val_if_fail (MW_IS_PRACTICE (self), NULL);
  return mw_practice_get_running (self) ? mw_training_intake_get_url (self->intake) : NULL;
}

void
mw_practice_stop (MwPractice *self)
{
  g_return_if_fail (MW_IS_PRACTICE (self));

  if (self->intake != NULL)
    mw_training_intake_stop (self->intake);
  g_clear_object (&self->intake);
  self->starting = FALSE;

  /* Its mailboxes are gone: so are the endpoints it recorded (unless changed since). */
  for (guint i = 0; self->recorded != NULL && i < self->recorded->len; i++)
    {
      const MwStoreEndpoint *recorded = g_ptr_array_index (self->recorded, i);
      g_autoptr(MwStoreEndpoint) current = mw_store_get_endpoint (self->store, recorded->recipient, TRUE, NULL);
      g_autoptr(GError) error = NULL;

      if (current != NULL && g_strcmp0 (current->url, recorded->url) == 0 &&
          !mw_store_delete_endpoint (self->store, recorded->recipient, TRUE, &error))
        g_warning ("Cannot remove the practice mailbox of %s: %s", recorded->recipient, error->message);
    }
  if (self->recorded != NULL)
    g_ptr_array_set_size (self->recorded, 0);

  /* Whoever waited for it to start is told that it will not. */
  while (self->waiting != NULL && self->waiting->len > 0)
    {
      g_autoptr(GTask) task = g_ptr_array_steal_index (self->waiting, 0);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The practice intake was stopped."));
    }
}

static gboolean
serves_all (MwPractice         *self,
            const char * const *mailboxes)
{
  const char * const *served = mw_training_intake_get_mailboxes (self->intake);

  for (guint i = 0; mailboxes[i] != NULL; i++)
    if (!g_strv_contains (served, mailboxes[i]))
      return FALSE;
  return TRUE;
}

static gboolean
endpoint_same_url (gconstpointer a,
                   gconstpointer b)
{
  return g_strcmp0 (((const MwStoreEndpoint *) a)->url, ((const MwStoreEndpoint *) b)->url) == 0;
}

/* Records every mailbox of the running intake as its recipient's training endpoint. */
static gboolean
record_endpoints (MwPractice  *self,
                  GError     **error)
{
  g_autofree char *receipt_jwk = mw_training_intake_dup_receipt_jwk (self->intake, error);
  const char * const *mailboxes = mw_training_intake_get_mailboxes (self->intake);

  if (receipt_jwk == NULL)
    return FALSE;

  for (guint i = 0; mailboxes[i] != NULL; i++)
    {
      g_autofree char *url = mw_training_intake_dup_mailbox_url (self->intake, mailboxes[i]);
      g_autoptr(MwStoreEndpoint) current = mw_store_get_endpoint (self->store, mailboxes[i], TRUE, NULL);
      g_autoptr(MwStoreEndpoint) endpoint = NULL;

      if (current != NULL && g_strcmp0 (current->url, url) == 0 &&
          g_strcmp0 (current->pinned_jwk, receipt_jwk) == 0)
        {
          if (!g_ptr_array_find_with_equal_func (self->recorded, current, endpoint_same_url, NULL))
            g_ptr_array_add (self->recorded, g_steal_pointer (&current));
          continue;
        }
      endpoint = mw_store_endpoint_new (mailboxes[i], TRUE, url);
      endpoint->pinned_jwk = g_strdup (receipt_jwk);
      if (!mw_store_set_endpoint (self->store, endpoint, error))
        return FALSE;
      g_ptr_array_add (self->recorded, g_steal_pointer (&endpoint));
    }
  g_clear_pointer (&self->receipt_thumbprint, g_free);
  return TRUE;
}

static void ensure (MwPractice *self,
                    GTask      *task);

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MwPractice) self = user_data;
  MwTrainingIntake *intake = MW_TRAINING_INTAKE (source);
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;

  if (intake != self->intake)
    return;   /* stopped meanwhile; its callers were answered by the stop */

  self->starting = FALSE;
  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);

  if (!mw_training_intake_start_finish (intake, result, &error) || !record_endpoints (self, &error))
    {
      mw_practice_stop (self);
      for (guint i = 0; i < waiting->len; i++)
        g_task_return_new_error (g_ptr_array_index (waiting, i), MW_ERROR, MW_ERROR_FAILED,
                                 _("The practice intake could not start: %s"), error->message);
      return;
    }

  for (guint i = 0; i < waiting->len; i++)
    ensure (self, g_object_ref (g_ptr_array_index (waiting, i)));
}

/* Takes the task. */
static void
ensure (MwPractice *self,
        GTask      *task)
{
  const char * const *mailboxes = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) all = NULL;
  g_autofree char *db = NULL;
  g_autofree char *public_jwk = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (self->starting)
    {
      g_ptr_array_add (self->waiting, task);
      return;
    }

  if (self->intake != NULL && mw_training_intake_get_running (self->intake) && serves_all (self, mailboxes))
    {
      if (record_endpoints (self, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* (Re)start with every mailbox asked for so far. */
  builder = g_strv_builder_new ();
  if (self->intake != NULL)
    g_strv_builder_addv (builder, (const char **) mw_training_intake_get_mailboxes (self->intake));
  for (guint i = 0; mailboxes[i] != NULL; i++)
    if (self->intake == NULL || !g_strv_contains (mw_training_intake_get_mailboxes (self->intake), mailboxes[i]))
      g_strv_builder_add (builder, mailboxes[i]);
  all = g_strv_builder_end (builder);
  mw_practice_stop (self);

  db = practice_db_path (self);
  self->intake = mw_training_intake_new (db, (const char * const *) all);
  self->starting = TRUE;
  g_ptr_array_add (self->waiting, task);
  public_jwk = self->signer ? mw_signer_to_public_jwk (self->signer) : NULL;
  /* Not the caller's cancellable: the intake serves every caller, and is stopped by
   * mw_practice_stop() or dispose. */
  mw_training_intake_start_async (self->intake, public_jwk, NULL, started_cb, g_object_ref (self));
}

void
mw_practice_ensure_async (MwPractice          *self,
                          const char * const  *mailboxes,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MW_IS_PRACTICE (self));
  g_return_if_fail (mailboxes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_practice_ensure_async);
  g_task_set_task_data (task, g_strdupv ((char **) mailboxes), (GDestroyNotify) g_strfreev);

  for (guint i = 0; mailboxes[i] != NULL; i++)
    if (!mw_is_mailbox_name (mailboxes[i]))
      {
        g_task_return_new_error (task, MW_ERROR, MW_ERROR_INVALID,
                                 _("“%s” cannot be the name of a practice mailbox"), mailboxes[i]);
        return;
      }
  if (mailboxes[0] == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  ensure (self, g_steal_pointer (&task));
}

gboolean
mw_practice_ensure_finish (MwPractice    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
