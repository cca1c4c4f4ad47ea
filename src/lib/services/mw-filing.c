/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-filing"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-store.h"
#include "mw-filing.h"

struct _MwFiling
{
  GObject   parent_instance;

  MwStore  *store;
  MwOutbox *outbox;
};

G_DEFINE_FINAL_TYPE (MwFiling, mw_filing, G_TYPE_OBJECT)

static void
mw_filing_finalize (GObject *object)
{
  MwFiling *self = MW_FILING (object);

  g_clear_object (&self->store);
  g_clear_object (&self->outbox);
  G_OBJECT_CLASS (mw_filing_parent_class)->finalize (object);
}

static void
mw_filing_class_init (MwFilingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_filing_finalize;
}

static void
mw_filing_init (MwFiling *self)
{
}

MwFiling *
mw_filing_new (MwStore  *store,
               MwOutbox *outbox)
{
  MwFiling *self;

  g_return_val_if_fail (MW_IS_STORE (store), NULL);
  g_return_val_if_fail (outbox == NULL || MW_IS_OUTBOX (outbox), NULL);

  self = g_object_new (MW_TYPE_FILING, NULL);
  self->store = g_object_ref (store);
  self->outbox = outbox ? g_object_ref (outbox) : NULL;
  return self;
}

GStrv
mw_filing_dup_recipients (MwReport  *report,
                          MwRegime  *regime,
                          GError   **error)
{
  g_autoptr(MwRegime) loaded = NULL;
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  GPtrArray *recipients;

  g_return_val_if_fail (MW_IS_REPORT (report), NULL);

  if (regime == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      loaded = mw_regime_load (mw_report_get_regime (report), &local_error);
      if (loaded == NULL)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID, "regime: %s", local_error->message);
          return NULL;
        }
      regime = loaded;
    }

  assessor = mw_assessor_new (regime);
  assessment = mw_assessor_assess (assessor, report, error);
  if (assessment == NULL)
    return NULL;

  recipients = mw_assessment_get_recipients (assessment);
  for (guint i = 0; recipients != NULL && i < recipients->len; i++)
    {
      const MwRecipient *recipient = g_ptr_array_index (recipients, i);

      /* An advisory (such as the data protection authority) is advice, not a delivery. */
      if (g_strcmp0 (recipient->role, "advisory") == 0 ||
          g_ptr_array_find_with_equal_func (seen, recipient->id, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, recipient->id);
      g_strv_builder_add (builder, recipient->id);
    }

  if (seen->len == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("provider.entity_type: regime “%s” names no recipient for entity type “%s”, so there is nobody to deliver to"),
                   mw_report_get_regime (report), mw_report_get_entity_type (report));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

GPtrArray *
mw_filing_check (MwReport *report,
                 MwRegime *regime)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (MW_IS_REPORT (report), NULL);

  problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  if (problems->len > 0)
    return g_steal_pointer (&problems);

  recipients = mw_filing_dup_recipients (report, regime, &error);
  if (recipients == NULL)
    {
      const char *colon = strstr (error->message, ": ");

      if (colon != NULL && g_str_has_prefix (error->message, "provider.entity_type: "))
        g_ptr_array_add (problems, mw_problem_new ("provider.entity_type", colon + 2));
      else if (colon != NULL && g_str_has_prefix (error->message, "regime: "))
        g_ptr_array_add (problems, mw_problem_new ("regime", colon + 2));
      else
        g_ptr_array_add (problems, mw_problem_new ("", error->message));
    }
  return g_steal_pointer (&problems);
}

/* The worker thread -------------------------------------------------------------------- */

typedef struct {
  char     *store_path;
  char     *report_id;
  char     *payload;      /* the canonical JSON, made on the caller's thread */
  GStrv     recipients;
  MwSigner *signer;
} Submit;

static void
submit_free (Submit *submit)
{
  g_free (submit->store_path);
  g_free (submit->report_id);
  g_free (submit->payload);
  g_strfreev (submit->recipients);
  g_clear_object (&submit->signer);
  g_free (submit);
}

/* Signs once and stores the signed report with its deliveries, on a store connection of the
 * thread's own (an MwStore is used from one thread only). */
static void
submit_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Submit *submit = task_data;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;

  jws = mw_signer_sign (submit->signer, MW_JWS_CTY_REPORT, (const guint8 *) submit->payload,
                        strlen (submit->payload), &error);
  if (jws == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  store = mw_store_new_for_path (submit->store_path, &error);
  if (store == NULL ||
      !mw_store_submit (store, jws, (const char * const *) submit->recipients, &error) ||
      /* Filing again means "now": pending deliveries do not wait for their backoff. */
      mw_store_retry_now (store, submit->report_id, FALSE, g_get_real_time (), &error) < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&jws), g_free);
}

static void
on_submitted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MwFiling *self = MW_FILING (source);
  Submit *submit = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *jws;

  jws = g_task_propagate_pointer (G_TASK (result), &error);
  if (jws == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Stored: from here on the report is filed, whatever happens to the caller. The outbox
   * delivers it in the background; its list model shows how that goes. */
  if (self->outbox != NULL)
    mw_outbox_deliver_async (self->outbox, submit->report_id, NULL, NULL, NULL);
  g_task_return_pointer (task, jws, g_free);
}

void
mw_filing_submit_async (MwFiling            *self,
                        MwReport            *report,
                        MwRegime            *regime,
                        MwSigner            *signer,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  Submit *submit;

  g_return_if_fail (MW_IS_FILING (self));
  g_return_if_fail (MW_IS_REPORT (report));
  g_return_if_fail (MW_IS_SIGNER (signer));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_filing_submit_async);

  if (!mw_signer_has_private (signer))
    {
      g_task_return_new_error (task, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING, _("The signing key has no private part."));
      return;
    }

  problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  if (problems->len > 0)
    {
      g_autoptr(GString) text = g_string_new (_("The report is not complete: "));

      for (guint i = 0; i < problems->len; i++)
        {
          const MwProblem *problem = g_ptr_array_index (problems, i);

          g_string_append_printf (text, "%s%s: %s", i > 0 ? "; " : "", problem->path, problem->message);
        }
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_INVALID, "%s", text->str);
      return;
    }

  submit = g_new0 (Submit, 1);
  submit->recipients = mw_filing_dup_recipients (report, regime, &error);
  if (submit->recipients == NULL)
    {
      submit_free (submit);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  submit->store_path = g_strdup (mw_store_get_path (self->store));
  submit->report_id = g_strdup (mw_report_get_report_id (report));
  submit->payload = mw_report_to_canonical_json (report);
  submit->signer = g_object_ref (signer);
  g_task_set_task_data (task, submit, (GDestroyNotify) submit_free);

  worker = g_task_new (self, cancellable, on_submitted, g_steal_pointer (&task));
  g_task_set_source_tag (worker, submit_thread);
  /* Once committed the report is filed: a late cancel must not make it look otherwise. */
  g_task_set_check_cancellable (worker, FALSE);
  g_task_set_task_data (worker, submit, NULL);
  g_task_run_in_thread (worker, submit_thread);
}

char *
mw_filing_submit_finish (MwFiling      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
