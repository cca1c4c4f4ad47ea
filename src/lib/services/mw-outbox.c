/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-outbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-delivery-item-private.h"
#include "mw-error.h"
#include "mw-intake-client.h"
#include "mw-json.h"
#include "mw-outbox.h"
#include "mw-practice-private.h"
#include "mw-protocol.h"
#include "mw-receipt.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-signer.h"
#include "mw-store.h"
#include "mw-term.h"

/*
 * How a delivery goes (one Attempt per delivery in flight):
 *
 *   due in the store ──► (training, no mailbox of its own) practice intake started
 *        │
 *        ├─ training, no mailbox ──────────────────────► pending, retried later
 *        ├─ live, no endpoint ─────────────────────────► awaiting filing at a desk
 *        ├─ training, no receipt key yet ─► enrol our key ─► fetch and pin the mailbox key ─┐
 *        ├─ live, no receipt key ─────────────────────────► failed (cannot check a receipt)│
 *        └─ POST the exact signed bytes ◄─────────────────────────────────────────────────┘
 *              ├─ receipt verified against the pinned key ─► delivered (receipt stored)
 *              ├─ network error, 5xx, 408, 429 ────────────► pending, retried with backoff
 *              └─ 4xx, redirect, bad receipt ──────────────► failed, with the message
 *
 * A live report to a recipient without an endpoint is stored awaiting filing from the
 * start (MwStore); mw_outbox_record_filing() records what the officer filed at that desk,
 * and marks forwarded what the regime says that desk passes on (forwarded_by).
 *
 * Every outcome is written to the store before anyone is told, so a crash at any point
 * loses nothing: what was pending is pending again at the next start. A run (deliver_async)
 * waits for the attempts it started and for those already in flight.
 */

struct _MwOutbox
{
  GObject         parent_instance;

  MwStore        *store;
  MwSigner       *signer;
  MwPractice     *practice;
  MwIntakeClient *client;
  GHashTable     *in_flight;   /* "report_id\nrecipient" → Attempt */
  GCancellable   *cancellable; /* the attempts': cancelled on dispose only */
  guint           timeout_id;
  gboolean        started;
  char           *practice_error; /* why the practice intake did not start, or NULL */

  char           *report_id;   /* the list model's filter, or NULL */
  GPtrArray      *items;       /* MwDeliveryItem */
};

static void mw_outbox_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MwOutbox, mw_outbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, mw_outbox_list_model_init))

/* The list model ------------------------------------------------------------------------ */

static GType
mw_outbox_get_item_type (GListModel *model)
{
  return MW_TYPE_DELIVERY_ITEM;
}

static guint
mw_outbox_get_n_items (GListModel *model)
{
  return MW_OUTBOX (model)->items->len;
}

static gpointer
mw_outbox_get_item (GListModel *model,
                    guint       position)
{
  MwOutbox *self = MW_OUTBOX (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
mw_outbox_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = mw_outbox_get_item_type;
  iface->get_n_items = mw_outbox_get_n_items;
  iface->get_item = mw_outbox_get_item;
}

static char *
delivery_key (const char *report_id,
              const char *recipient)
{
  return g_strconcat (report_id, "\n", recipient, NULL);
}

static MwDeliveryItem *
find_item (MwOutbox   *self,
           const char *report_id,
           const char *recipient,
           guint      *position)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      MwDeliveryItem *item = g_ptr_array_index (self->items, i);

      if (g_str_equal (mw_delivery_item_get_report_id (item), report_id) &&
          g_str_equal (mw_delivery_item_get_recipient (item), recipient))
        {
          if (position != NULL)
            *position = i;
          return item;
        }
    }
  return NULL;
}

/* Reads the deliveries of the filter from the store again: updates items in place, so a row
 * bound to one keeps it; replaces the list when the set of deliveries changed. */
static void
refresh (MwOutbox *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gboolean same = TRUE;
  guint removed;

  rows = mw_store_list_deliveries (self->store, self->report_id, &error);
  if (rows == NULL)
    {
      g_warning ("Cannot list the deliveries: %s", error->message);
      return;
    }

  same = rows->len == self->items->len;
  for (guint i = 0; same && i < rows->len; i++)
    {
      const MwStoreDelivery *row = g_ptr_array_index (rows, i);
      MwDeliveryItem *item = g_ptr_array_index (self->items, i);

      same = g_str_equal (mw_delivery_item_get_report_id (item), row->report_id) &&
             g_str_equal (mw_delivery_item_get_recipient (item), row->recipient);
    }

  if (same)
    {
      for (guint i = 0; i < rows->len; i++)
        mw_delivery_item_update (g_ptr_array_index (self->items, i), g_ptr_array_index (rows, i));
      return;
    }

  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      const MwStoreDelivery *row = g_ptr_array_index (rows, i);
      MwDeliveryItem *item = mw_delivery_item_new (row);
      g_autofree char *key = delivery_key (row->report_id, row->recipient);

      mw_delivery_item_set_busy (item, g_hash_table_contains (self->in_flight, key));
      g_ptr_array_add (self->items, item);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

/* One delivery changed in the store: its item (if the model shows it) follows. */
static void
delivery_changed (MwOutbox   *self,
                  const char *report_id,
                  const char *recipient,
                  gboolean    busy)
{
  g_autoptr(MwStoreDelivery) row = NULL;
  MwDeliveryItem *item;

  if (self->report_id != NULL && g_strcmp0 (self->report_id, report_id) != 0)
    return;
  item = find_item (self, report_id, recipient, NULL);
  row = mw_store_get_delivery (self->store, report_id, recipient, NULL);
  if (item == NULL || row == NULL)
    {
      refresh (self);
      item = find_item (self, report_id, recipient, NULL);
    }
  else
    mw_delivery_item_update (item, row);
  if (item != NULL)
    mw_delivery_item_set_busy (item, busy);
}

void
mw_outbox_set_report (MwOutbox   *self,
                      const char *report_id)
{
  g_return_if_fail (MW_IS_OUTBOX (self));

  if (g_strcmp0 (self->report_id, report_id) == 0 && self->items->len > 0)
    return;
  g_free (self->report_id);
  self->report_id = g_strdup (report_id);
  refresh (self);
}

void
mw_outbox_reload (MwOutbox *self)
{
  g_return_if_fail (MW_IS_OUTBOX (self));
  refresh (self);
}

const char *
mw_outbox_get_report (MwOutbox *self)
{
  g_return_val_if_fail (MW_IS_OUTBOX (self), NULL);
  return self->report_id;
}

/* The object --------------------------------------------------------------------------- */

static void
mw_outbox_dispose (GObject *object)
{
  MwOutbox *self = MW_OUTBOX (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (mw_outbox_parent_class)->dispose (object);
}

static void
mw_outbox_finalize (GObject *object)
{
  MwOutbox *self = MW_OUTBOX (object);

  g_clear_object (&self->store);
  g_clear_object (&self->signer);
  g_clear_object (&self->practice);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->report_id, g_free);
  g_clear_pointer (&self->practice_error, g_free);

  G_OBJECT_CLASS (mw_outbox_parent_class)->finalize (object);
}

static void
mw_outbox_class_init (MwOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_outbox_dispose;
  object_class->finalize = mw_outbox_finalize;
}

static void
mw_outbox_init (MwOutbox *self)
{
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/* The intake client (and with it libsoup) from the first exchange on, not from the opening
 * of the store: a program that only reads its incidents never loads the network. */
static MwIntakeClient *
outbox_client (MwOutbox *self)
{
  if (self->client == NULL)
    self->client = mw_intake_client_new ();
  return self->client;
}

MwOutbox *
mw_outbox_new (MwStore *store)
{
  MwOutbox *self;

  g_return_val_if_fail (MW_IS_STORE (store), NULL);

  self = g_object_new (MW_TYPE_OUTBOX, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
mw_outbox_set_signer (MwOutbox *self,
                      MwSigner *signer)
{
  g_return_if_fail (MW_IS_OUTBOX (self));
  g_set_object (&self->signer, signer);
}

void
mw_outbox_set_practice (MwOutbox   *self,
                        MwPractice *practice)
{
  g_return_if_fail (MW_IS_OUTBOX (self));
  g_set_object (&self->practice, practice);
}

/* Runs and attempts ------------------------------------------------------------------- */

typedef struct {
  guint    outstanding;
  GError  *error;          /* the first store error */
  gboolean returned;       /* cancelled by the caller before the end */
  GCancellable *cancellable;
  gulong   cancelled_id;
  char    *report_id;      /* or NULL for all */
} Run;

static void
run_free (Run *run)
{
  if (run->cancellable != NULL)
    g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  g_clear_object (&run->cancellable);
  g_clear_error (&run->error);
  g_free (run->report_id);
  g_free (run);
}

typedef struct {
  MwOutbox        *self;
  GPtrArray       *runs;       /* GTask: every run waiting for this attempt */
  MwStoreDelivery *row;
  char            *mailbox;
  char            *key;        /* in-flight key */
} Attempt;

static void
run_complete_one (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (--run->outstanding > 0 || run->returned)
    return;
  run->returned = TRUE;
  if (run->error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
run_return_cancelled (gpointer user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  if (!run->returned)
    {
      run->returned = TRUE;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Stopped waiting for the delivery; it goes on in the background."));
    }
  return G_SOURCE_REMOVE;
}

static void
on_run_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  /* From whichever thread cancelled: answer in the task's own context. */
  g_main_context_invoke_full (g_task_get_context (G_TASK (user_data)), G_PRIORITY_DEFAULT,
                              run_return_cancelled, g_object_ref (user_data), g_object_unref);
}

static void
attempt_finish (Attempt *attempt)
{
  MwOutbox *self = attempt->self;

  g_hash_table_remove (self->in_flight, attempt->key);
  delivery_changed (self, attempt->row->report_id, attempt->row->recipient, FALSE);

  for (guint i = 0; i < attempt->runs->len; i++)
    run_complete_one (g_ptr_array_index (attempt->runs, i));

  g_ptr_array_unref (attempt->runs);
  mw_store_delivery_free (attempt->row);
  g_free (attempt->mailbox);
  g_free (attempt->key);
  g_object_unref (attempt->self);
  g_free (attempt);
}

static void
note_store_error (Attempt *attempt,
                  GError  *error)
{
  if (error == NULL)
    return;
  /* Filed at a desk while the attempt was in flight: the filing stands, nothing failed. */
  if (g_error_matches (error, MW_ERROR, MW_ERROR_INVALID))
    {
      g_debug ("Delivery of %s to %s: %s", attempt->row->report_id, attempt->row->recipient, error->message);
      return;
    }
  g_warning ("Cannot record the delivery of %s to %s: %s",
             attempt->row->report_id, attempt->row->recipient, error->message);
  for (guint i = 0; i < attempt->runs->len; i++)
    {
      Run *run = g_task_get_task_data (g_ptr_array_index (attempt->runs, i));

      if (run->error == NULL)
        run->error = g_error_copy (error);
    }
}

/* A transient problem: try again later. */
static void
attempt_retry_later (Attempt    *attempt,
                     const char *message)
{
  g_autoptr(GError) error = NULL;

  g_debug ("Delivery of %s to %s will be retried: %s", attempt->row->report_id, attempt->row->recipient, message);
  mw_store_mark_attempt_failed (attempt->self->store, attempt->row->report_id, attempt->row->recipient,
                                message, g_get_real_time (), NULL, &error);
  note_store_error (attempt, error);
  attempt_finish (attempt);
}

/* The recipient refused, or what it answered cannot be accepted: stop, with the reason. */
static void
attempt_refused (Attempt    *attempt,
                 const char *message)
{
  g_autoptr(GError) error = NULL;

  mw_store_mark_failed (attempt->self->store, attempt->row->report_id, attempt->row->recipient, message, &error);
  note_store_error (attempt, error);
  attempt_finish (attempt);
}

/* A failed exchange, as MwIntakeClient classified it. */
static void
attempt_failed (Attempt      *attempt,
                const GError *error)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", attempt->row->recipient, error->message);

  if (g_error_matches (error, MW_PROTOCOL_ERROR, MW_PROTOCOL_ERROR_NETWORK) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    attempt_retry_later (attempt, message);
  else
    attempt_refused (attempt, message);
}

static void
on_report_posted (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(MwReceipt) receipt = NULL;
  g_autofree char *receipt_jws = NULL;

  receipt_jws = mw_intake_client_post_report_finish (MW_INTAKE_CLIENT (source), result, &error);
  if (receipt_jws == NULL)
    {
      attempt_failed (attempt, error);
      return;
    }

  receipt = mw_receipt_verify (receipt_jws, attempt->row->pinned_jwk, attempt->row->report_id,
                               attempt->row->sha256, attempt->mailbox, &error);
  if (receipt == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", attempt->row->recipient, error->message);

      attempt_refused (attempt, message);
      return;
    }

  mw_store_mark_delivered (attempt->self->store, attempt->row->report_id, attempt->row->recipient,
                           receipt->receipt_id, receipt_jws, receipt->received_at, &store_error);
  note_store_error (attempt, store_error);
  attempt_finish (attempt);
}

static void
post_report (Attempt *attempt)
{
  mw_intake_client_post_report_async (outbox_client (attempt->self), attempt->row->url, attempt->row->jws,
                                      attempt->self->cancellable, on_report_posted, attempt);
}

static void
on_key_fetched (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwk = NULL;

  jwk = mw_intake_client_fetch_key_finish (MW_INTAKE_CLIENT (source), result, &error);
  if (jwk == NULL)
    {
      attempt_failed (attempt, error);
      return;
    }

  /* Trust on first use, in training only: pin the public part. */
  if (!mw_store_set_endpoint_pinned_jwk (attempt->self->store, attempt->row->recipient, TRUE, jwk, &error))
    {
      note_store_error (attempt, error);
      attempt_finish (attempt);
      return;
    }

  g_free (attempt->row->pinned_jwk);
  attempt->row->pinned_jwk = g_steal_pointer (&jwk);
  post_report (attempt);
}

static void
fetch_key (Attempt *attempt)
{
  mw_intake_client_fetch_key_async (outbox_client (attempt->self), attempt->row->url, attempt->self->cancellable,
                                    on_key_fetched, attempt);
}

static void
on_enrolled (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_intake_client_enrol_finish (MW_INTAKE_CLIENT (source), result, &error))
    {
      attempt_failed (attempt, error);
      return;
    }
  fetch_key (attempt);
}

static void
attempt_start (Attempt *attempt)
{
  MwStoreDelivery *row = attempt->row;
  g_autoptr(GError) error = NULL;

  if (row->url == NULL && !row->training)
    {
      /* Its endpoint was removed after the report was stored: file it at the desk. */
      g_autofree char *message =
        g_strdup_printf (_("%s: no endpoint is configured; the report is to be filed at the recipient’s desk"),
                         row->recipient);

      mw_store_mark_awaiting_filing (attempt->self->store, row->report_id, row->recipient, message, &error);
      note_store_error (attempt, error);
      attempt_finish (attempt);
      return;
    }

  if (row->url == NULL)
    {
      /* A practice report must never be filed with the real recipient by hand. */
      g_autofree char *message = row->training && attempt->self->practice_error != NULL ?
        g_strdup_printf (_("%s: no training mailbox is configured, and the practice intake is not running (%s); "
                           "a training report is never filed with the real recipient"),
                         row->recipient, attempt->self->practice_error) :
        g_strdup_printf (_("%s: no training mailbox is configured and no practice intake is running; "
                           "a training report is never filed with the real recipient"),
                         row->recipient);
      attempt_retry_later (attempt, message);
      return;
    }

  if (!mw_intake_check_url (row->url, &error))
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", row->recipient, error->message);

      attempt_refused (attempt, message);
      return;
    }

  /* A live recipient's receipts can only be checked against a configured key: do not send a
   * report whose receipt would be refused anyway (the recipient would hold it, and we would
   * call it failed). */
  if (!row->training && row->pinned_jwk == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("%s: no receipt key is configured, so its receipt could not be checked; the report was not sent"),
                         row->recipient);
      attempt_refused (attempt, message);
      return;
    }

  attempt->mailbox = mw_intake_dup_mailbox (row->url);

  if (row->pinned_cert_pem != NULL &&
      !mw_intake_client_pin_certificate (outbox_client (attempt->self), row->url, row->pinned_cert_pem, &error))
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", row->recipient, error->message);

      attempt_refused (attempt, message);
      return;
    }

  if (row->training && row->pinned_jwk == NULL)
    {
      g_autofree char *jwk = NULL;

      if (attempt->self->signer == NULL)
        {
          fetch_key (attempt);
          return;
        }
      jwk = mw_signer_to_public_jwk (attempt->self->signer);
      mw_intake_client_enrol_async (outbox_client (attempt->self), row->url, jwk, attempt->self->cancellable,
                                    on_enrolled, attempt);
      return;
    }

  post_report (attempt);
}

/* Starts (or joins) an attempt for every due delivery of the run. */
static void
run_start_attempts (GTask *task)
{
  MwOutbox *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) started = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  due = mw_store_list_due_deliveries (self->store, g_get_real_time (), &error);
  if (due == NULL)
    {
      run->returned = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Count first, start after: an attempt may finish before the next one starts. */
  run->outstanding = 1;
  for (guint i = 0; i < due->len; i++)
    {
      MwStoreDelivery *row = g_ptr_array_index (due, i);
      g_autofree char *key = NULL;
      Attempt *attempt;

      if (run->report_id != NULL && g_strcmp0 (row->report_id, run->report_id) != 0)
        continue;

      key = delivery_key (row->report_id, row->recipient);
      run->outstanding++;
      attempt = g_hash_table_lookup (self->in_flight, key);
      if (attempt != NULL)
        {
          g_ptr_array_add (attempt->runs, g_object_ref (task));
          continue;
        }

      attempt = g_new0 (Attempt, 1);
      attempt->self = g_object_ref (self);
      attempt->runs = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (attempt->runs, g_object_ref (task));
      attempt->row = mw_store_delivery_copy (row);
      attempt->key = g_steal_pointer (&key);
      g_hash_table_insert (self->in_flight, g_strdup (attempt->key), attempt);
      g_ptr_array_add (started, attempt);
    }

  for (guint i = 0; i < started->len; i++)
    {
      Attempt *attempt = g_ptr_array_index (started, i);

      delivery_changed (self, attempt->row->report_id, attempt->row->recipient, TRUE);
      attempt_start (attempt);
    }

  run_complete_one (task);
}

static void
on_practice_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  MwOutbox *self = g_task_get_source_object (task);

  /* Without it the training deliveries stay pending with a message that says why. */
  g_clear_pointer (&self->practice_error, g_free);
  if (!mw_practice_ensure_finish (MW_PRACTICE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->practice_error = g_strdup (error->message);

  if (!((Run *) g_task_get_task_data (task))->returned)
    run_start_attempts (task);
}

/* The recipients of due training deliveries that need the practice intake: those without a
 * training mailbox, or whose mailbox is one a practice intake recorded earlier. */
static GStrv
practice_mailboxes_needed (MwOutbox   *self,
                           const char *report_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  due = mw_store_list_due_deliveries (self->store, g_get_real_time (), NULL);
  for (guint i = 0; due != NULL && i < due->len; i++)
    {
      const MwStoreDelivery *row = g_ptr_array_index (due, i);
      g_autoptr(MwStoreEndpoint) endpoint = NULL;

      if (!row->training || (report_id != NULL && g_strcmp0 (row->report_id, report_id) != 0))
        continue;
      if (g_ptr_array_find_with_equal_func (seen, row->recipient, g_str_equal, NULL) ||
          !mw_is_mailbox_name (row->recipient))
        continue;
      endpoint = mw_store_get_endpoint (self->store, row->recipient, TRUE, NULL);
      if (endpoint != NULL && !mw_practice_needs_replacing (self->practice, endpoint))
        continue;
      g_ptr_array_add (seen, row->recipient);
      g_strv_builder_add (builder, row->recipient);
    }
  return g_strv_builder_end (builder);
}

void
mw_outbox_deliver_async (MwOutbox            *self,
                         const char          *report_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) mailboxes = NULL;
  Run *run;

  g_return_if_fail (MW_IS_OUTBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_outbox_deliver_async);
  g_task_set_check_cancellable (task, FALSE);
  run = g_new0 (Run, 1);
  run->report_id = g_strdup (report_id);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (cancellable != NULL)
    {
      run->cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_run_cancelled),
                                                 g_object_ref (task), g_object_unref);
    }

  if (self->practice != NULL)
    mailboxes = practice_mailboxes_needed (self, report_id);
  if (mailboxes != NULL && mailboxes[0] != NULL)
    {
      mw_practice_ensure_async (self->practice, (const char * const *) mailboxes, cancellable,
                                on_practice_ready, g_steal_pointer (&task));
      return;
    }

  run_start_attempts (task);
}

gboolean
mw_outbox_deliver_finish (MwOutbox      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Delivering on its own ------------------------------------------------------------------- */

static void schedule (MwOutbox *self);

static gboolean
on_due (gpointer user_data)
{
  MwOutbox *self = user_data;

  self->timeout_id = 0;
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
on_scheduled_run (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MwOutbox *self = MW_OUTBOX (source);
  g_autoptr(GError) error = NULL;
  gint64 next;

  if (!mw_outbox_deliver_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Delivery: %s", error->message);

  if (!self->started || g_cancellable_is_cancelled (self->cancellable))
    return;

  next = mw_store_get_next_due_time (self->store, NULL);
  if (next >= 0 && self->timeout_id == 0)
    {
      /* At least a second: a delivery still in flight elsewhere stays due meanwhile. */
      gint64 wait_ms = MAX ((next - g_get_real_time ()) / 1000, 1000);
      self->timeout_id = g_timeout_add (MIN (wait_ms, (gint64) G_MAXUINT), on_due, self);
    }
}

static void
schedule (MwOutbox *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  mw_outbox_deliver_async (self, NULL, self->cancellable, on_scheduled_run, NULL);
}

guint
mw_outbox_start (MwOutbox *self)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (MW_IS_OUTBOX (self), 0);

  self->started = TRUE;
  pending = mw_store_list_due_deliveries (self->store, -1, &error);
  if (pending == NULL)
    g_warning ("Cannot list the pending deliveries: %s", error->message);
  schedule (self);
  return pending ? pending->len : 0;
}

void
mw_outbox_stop (MwOutbox *self)
{
  g_return_if_fail (MW_IS_OUTBOX (self));

  self->started = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

gint
mw_outbox_retry (MwOutbox    *self,
                 const char  *report_id,
                 gboolean     include_failed,
                 GError     **error)
{
  gint n;

  g_return_val_if_fail (MW_IS_OUTBOX (self), -1);

  n = mw_store_retry_now (self->store, report_id, include_failed, g_get_real_time (), error);
  if (n < 0)
    return -1;
  refresh (self);
  if (self->started)
    schedule (self);
  return n;
}

/* The regime a signed report names (NULL when it names none that can be loaded). */
static MwRegime *
load_report_regime (const MwStoreReport *report)
{
  g_autoptr(JsonNode) node = NULL;
  const char *id;

  if (report->json == NULL)
    return NULL;
  node = mw_json_parse (report->json, -1, "report", NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (id = mw_json_get_string (json_node_get_object (node), "regime")) == NULL)
    return NULL;
  return mw_regime_load (id, NULL);
}

/* How far in the future a filing time may lie: clocks differ a little. */
#define FILED_AT_SLACK_SECONDS (5 * 60)

gboolean
mw_outbox_record_filing (MwOutbox    *self,
                         const char  *report_id,
                         const char  *recipient,
                         const char  *reference,
                         GDateTime   *filed_at,
                         const char  *channel,
                         GError     **error)
{
  g_autoptr(MwStoreReport) report = NULL;
  g_autoptr(MwStoreDelivery) row = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) dutch = NULL;
  g_autoptr(GStrvBuilder) forwarded = g_strv_builder_new ();
  g_auto(GStrv) forwarded_ids = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *filed_text = NULL;
  const MwRecipient *entry = NULL;

  g_return_val_if_fail (MW_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (report_id != NULL && recipient != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (reference != NULL ? reference : ""));
  if (*trimmed == '\0')
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("reference: enter the reference or confirmation the desk gave; it is empty"));
      return FALSE;
    }
  if (strlen (trimmed) > MW_STORE_MAX_REFERENCE_BYTES || !g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("reference: a reference is text of at most %u bytes"), (guint) MW_STORE_MAX_REFERENCE_BYTES);
      return FALSE;
    }
  for (const char *c = trimmed; *c != '\0'; c = g_utf8_next_char (c))
    if (g_unichar_iscntrl (g_utf8_get_char (c)))
      {
        g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                     _("reference: the reference holds a control character (a line break or tab)"));
        return FALSE;
      }

  if (filed_at == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("filed_at: the time it was filed is missing"));
      return FALSE;
    }
  now = g_date_time_new_now_utc ();
  if (g_date_time_difference (filed_at, now) > (GTimeSpan) FILED_AT_SLACK_SECONDS * G_TIME_SPAN_SECOND)
    {
      g_autoptr(GDateTime) shown = mw_to_dutch_time (filed_at);
      g_autofree char *text = mw_format_time (shown);

      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("filed_at: %s lies in the future; give the time the desk took the report"), text);
      return FALSE;
    }

  report = mw_store_get_report (self->store, report_id, error);
  if (report == NULL)
    return FALSE;
  if (!report->signed_)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("Report %s is a draft: only a signed report is filed."), report_id);
      return FALSE;
    }
  if (report->training)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("Report %s is a training report: a training report is never filed with the real recipient."),
                   report_id);
      return FALSE;
    }

  row = mw_store_get_delivery (self->store, report_id, recipient, NULL);
  if (row == NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;
      g_autofree char *list = NULL;

      deliveries = mw_store_list_deliveries (self->store, report_id, error);
      if (deliveries == NULL)
        return FALSE;
      for (guint i = 0; i < deliveries->len; i++)
        g_strv_builder_add (builder, ((MwStoreDelivery *) g_ptr_array_index (deliveries, i))->recipient);
      names = g_strv_builder_end (builder);
      list = g_strjoinv (", ", names);
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("recipient: report %s does not go to “%s”; its recipients are: %s"),
                   report_id, recipient, list);
      return FALSE;
    }
  /* Delivered or already filed: the store refuses it, in the same transaction. */

  regime = load_report_regime (report);
  entry = regime != NULL ? mw_regime_find_recipient (regime, recipient) : NULL;
  if (channel != NULL && *channel != '\0')
    {
      gboolean known = FALSE;

      for (guint i = 0; entry != NULL && entry->channels != NULL && i < entry->channels->len; i++)
        known |= g_strcmp0 (((MwChannel *) g_ptr_array_index (entry->channels, i))->id, channel) == 0;
      if (!known)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                       _("channel: “%s” is not one of the channels the regime lists for “%s”"),
                       channel, recipient);
          return FALSE;
        }
    }
  else
    channel = NULL;

  /* Who this desk passes the report on to, by the regime. */
  for (guint i = 0; regime != NULL && i < mw_regime_get_recipients (regime)->len; i++)
    {
      const MwRecipient *other = g_ptr_array_index (mw_regime_get_recipients (regime), i);

      if (g_strcmp0 (other->forwarded_by, recipient) == 0)
        g_strv_builder_add (forwarded, other->id);
    }
  forwarded_ids = g_strv_builder_end (forwarded);

  dutch = mw_to_dutch_time (filed_at);
  filed_text = mw_format_time (dutch);
  if (!mw_store_mark_filed (self->store, report_id, recipient, trimmed, filed_text, channel,
                            (const char * const *) forwarded_ids, error))
    return FALSE;

  delivery_changed (self, report_id, recipient, FALSE);
  for (guint i = 0; forwarded_ids[i] != NULL; i++)
    delivery_changed (self, report_id, forwarded_ids[i], FALSE);
  return TRUE;
}

/* Configuring a live endpoint ----------------------------------------------------------- */

static void
on_receipt_key_fetched (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *jwk = mw_intake_client_fetch_key_finish (MW_INTAKE_CLIENT (source), result, &error);

  if (jwk == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, jwk, g_free);
}

static void
on_mode_probed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MwMailboxMode mode = MW_MAILBOX_MODE_LIVE;

  if (!mw_intake_client_probe_mode_finish (MW_INTAKE_CLIENT (source), result, &mode, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (mode == MW_MAILBOX_MODE_TRAINING)
    {
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_INVALID,
                               _("URL: %s is a training mailbox; a live endpoint must be the recipient’s live mailbox"),
                               (const char *) g_task_get_task_data (task));
      return;
    }
  mw_intake_client_fetch_key_async (MW_INTAKE_CLIENT (source), g_task_get_task_data (task),
                                    g_task_get_cancellable (task), on_receipt_key_fetched, g_object_ref (task));
}

void
mw_outbox_fetch_receipt_key_async (MwOutbox            *self,
                                   const char          *url,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MW_IS_OUTBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_outbox_fetch_receipt_key_async);
  if (url == NULL || !mw_intake_check_url (url, &error))
    {
      if (error == NULL)
        g_set_error (&error, MW_ERROR, MW_ERROR_INVALID, _("URL: the mailbox’s address is missing"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, g_strdup (url), g_free);
  mw_intake_client_probe_mode_async (outbox_client (self), url, cancellable, on_mode_probed, g_steal_pointer (&task));
}

char *
mw_outbox_fetch_receipt_key_finish (MwOutbox      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
mw_outbox_set_live_endpoint (MwOutbox    *self,
                             const char  *recipient,
                             const char  *url,
                             const char  *receipt_jwk,
                             GError     **error)
{
  g_autoptr(MwStoreEndpoint) endpoint = NULL;
  g_autoptr(MwSigner) key = NULL;
  g_autoptr(GError) key_error = NULL;

  g_return_val_if_fail (MW_IS_OUTBOX (self), FALSE);

  if (recipient == NULL || !mw_is_mailbox_name (recipient))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("recipient: choose the recipient the endpoint is for"));
      return FALSE;
    }
  if (url == NULL || !mw_intake_check_url (url, error))
    {
      if (url == NULL)
        g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("URL: the mailbox’s address is missing"));
      return FALSE;
    }
  key = receipt_jwk ? mw_signer_new_from_jwk (receipt_jwk, &key_error) : NULL;
  if (key == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("receipt key: without the recipient’s receipt key its receipts cannot be checked (%s)"),
                   key_error ? key_error->message : _("none was fetched"));
      return FALSE;
    }

  endpoint = mw_store_endpoint_new (recipient, FALSE, url);
  endpoint->pinned_jwk = mw_signer_to_public_jwk (key);
  if (!mw_store_set_endpoint (self->store, endpoint, error))
    return FALSE;
  /* What waited for a desk now goes to the endpoint. */
  return mw_outbox_retry (self, NULL, FALSE, error) >= 0;
}
