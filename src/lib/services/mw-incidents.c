/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-incidents"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-incident-item-private.h"
#include "mw-incidents.h"
#include "mw-json.h"
#include "mw-store.h"
#include "mw-term.h"

/*
 * The flow: every read starts from the store. An incident's history is its signed reports
 * (oldest first), each with its deliveries, and its decision records. From the deliveries
 * comes when each stage was filed (the earliest delivery of a report of that stage); those
 * times go into an MwAssessor (mw_assessor_set_filed_at), which assesses the newest report
 * and gives each stage's deadline by the law's rules (mw_term_end); the status of each
 * deadline then follows from when it was filed and the clock. The list model keeps one
 * MwIncidentItem per incident, made anew on reload.
 */

struct _MwIncidents
{
  GObject     parent_instance;

  MwStore    *store;
  GDateTime  *fixed_now;
  GPtrArray  *items;     /* MwIncidentItem* */
  GHashTable *regimes;   /* id → MwRegime*, or a NULL value for one that does not load */
  GMutex      regimes_lock;  /* reloads also run in a worker thread */
  guint       generation;    /* of the last reload asked for: an older answer is dropped */
};

static void mw_incidents_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MwIncidents, mw_incidents, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, mw_incidents_list_model_init))

/* ---- The history of one incident ---- */

typedef struct {
  char      *stage;
  GDateTime *due;      /* Dutch time, or NULL while what it counts from is not known */
  GDateTime *filed;    /* when it was filed, or NULL */
  gboolean   end_of_day;
  char      *extension;  /* when and why the term was extended, or NULL */
  const char *status;  /* done, open, overdue */
} Deadline;

static void
deadline_free (Deadline *deadline)
{
  g_free (deadline->stage);
  g_clear_pointer (&deadline->due, g_date_time_unref);
  g_clear_pointer (&deadline->filed, g_date_time_unref);
  g_free (deadline->extension);
  g_free (deadline);
}

typedef struct {
  char          *incident_id;
  gboolean       training;
  char          *summary;
  GPtrArray     *owned;       /* MwStoreReport*, owned when read for this incident alone */
  GPtrArray     *reports;     /* MwStoreReport*, borrowed: every one, oldest first (drafts last) */
  GPtrArray     *signed_;     /* MwStoreReport*, borrowed: the signed ones, oldest first */
  GPtrArray     *deliveries;  /* GPtrArray* of MwStoreDelivery, parallel to signed_ */
  MwStoreReport *newest;      /* borrowed: newest signed, else newest draft, or NULL */
  MwRegime      *regime;      /* may be NULL */
  GPtrArray     *deadlines;   /* Deadline* */
} History;

static void
history_free (History *history)
{
  g_free (history->incident_id);
  g_free (history->summary);
  g_clear_pointer (&history->deliveries, g_ptr_array_unref);
  g_clear_pointer (&history->signed_, g_ptr_array_unref);
  g_clear_pointer (&history->reports, g_ptr_array_unref);
  g_clear_pointer (&history->owned, g_ptr_array_unref);
  g_clear_object (&history->regime);
  g_clear_pointer (&history->deadlines, g_ptr_array_unref);
  g_free (history);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (History, history_free)

static void
regime_unref (gpointer regime)
{
  if (regime != NULL)
    g_object_unref (regime);
}

static MwRegime *
lookup_regime (MwIncidents *self,
               const char  *id)
{
  gpointer value;
  g_autoptr(GError) error = NULL;
  MwRegime *regime;

  g_autoptr(GMutexLocker) locker = NULL;

  if (id == NULL)
    return NULL;
  locker = g_mutex_locker_new (&self->regimes_lock);
  if (g_hash_table_lookup_extended (self->regimes, id, NULL, &value))
    return value;
  regime = mw_regime_load (id, &error);
  if (regime == NULL)
    g_debug ("Regime %s of a stored report does not load: %s", id, error->message);
  /* Kept until the end: the histories hold their own reference. */
  g_hash_table_insert (self->regimes, g_strdup (id), regime);
  return regime;
}

MwRegime *
mw_incidents_lookup_regime (MwIncidents *self,
                            const char  *id)
{
  g_return_val_if_fail (MW_IS_INCIDENTS (self), NULL);
  return lookup_regime (self, id);
}

/* When a delivery counts as filed: the receipt's received_at, or the filed_at of a filing at
 * a desk (the forwarding desk's, for a recipient it forwarded to). NULL while not filed. */
static GDateTime *
delivery_filed_at (const MwStoreDelivery *delivery)
{
  GDateTime *time = NULL;

  switch (delivery->state)
    {
    case MW_DELIVERY_STATE_DELIVERED:
      if (delivery->received_at != NULL && mw_parse_time (delivery->received_at, &time))
        return time;
      return NULL;
    case MW_DELIVERY_STATE_FILED_BY_HAND:
    case MW_DELIVERY_STATE_FORWARDED:
      if (delivery->filed_at != NULL && mw_parse_time (delivery->filed_at, &time))
        return time;
      return NULL;
    case MW_DELIVERY_STATE_AWAITING_FILING:
    case MW_DELIVERY_STATE_PENDING:
    case MW_DELIVERY_STATE_FAILED:
    default:
      return NULL;
    }
}

/* The earliest delivery of a report. */
static GDateTime *
report_filed_at (GPtrArray *deliveries)
{
  GDateTime *earliest = NULL;

  for (guint i = 0; i < deliveries->len; i++)
    {
      GDateTime *time = delivery_filed_at (g_ptr_array_index (deliveries, i));

      if (time == NULL)
        continue;
      if (earliest == NULL || g_date_time_compare (time, earliest) < 0)
        {
          g_clear_pointer (&earliest, g_date_time_unref);
          earliest = time;
        }
      else
        g_date_time_unref (time);
    }
  return earliest;
}

/* Stages that are filed only when asked (intermediate) or instead of another (progress):
 * they never stand in for another stage, nor come next on their own. */
static gboolean
stage_is_optional (const char *stage)
{
  return g_strcmp0 (stage, "intermediate") == 0 || g_strcmp0 (stage, "progress") == 0;
}

static GPtrArray *
stage_order (MwRegime   *regime,
             const char *entity_type)
{
  const MwEntityType *type = entity_type != NULL ? mw_regime_find_entity_type (regime, entity_type) : NULL;

  return type != NULL ? type->stages : mw_regime_get_stages (regime);
}

static int
stage_index (GPtrArray  *order,
             const char *stage)
{
  for (guint i = 0; stage != NULL && i < order->len; i++)
    if (g_str_equal (((const MwStage *) g_ptr_array_index (order, i))->id, stage))
      return (int) i;
  return -1;
}

static MwReport *
report_from_row (const MwStoreReport *row,
                 GError             **error)
{
  return mw_report_new_from_data (row->json, -1, row->report_id, error);
}

/* Fills the deadlines: when each stage was filed, the assessor's due times, the status. */
static void
history_compute_deadlines (History   *history,
                           MwReport  *report,
                           GDateTime *now)
{
  g_autoptr(GHashTable) filed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_date_time_unref);
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *order;
  GHashTableIter iter;
  gpointer key, value;

  if (history->regime == NULL || report == NULL)
    return;

  /* Each stage's own earliest filing. */
  for (guint i = 0; i < history->signed_->len; i++)
    {
      const MwStoreReport *row = g_ptr_array_index (history->signed_, i);
      GDateTime *time = report_filed_at (g_ptr_array_index (history->deliveries, i));
      GDateTime *known;

      if (time == NULL || row->stage == NULL)
        {
          g_clear_pointer (&time, g_date_time_unref);
          continue;
        }
      known = g_hash_table_lookup (filed, row->stage);
      if (known == NULL || g_date_time_compare (time, known) < 0)
        g_hash_table_replace (filed, g_strdup (row->stage), time);
      else
        g_date_time_unref (time);
    }

  assessor = mw_assessor_new (history->regime);
  g_hash_table_iter_init (&iter, filed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    mw_assessor_set_filed_at (assessor, key, value);
  assessment = mw_assessor_assess (assessor, report, &error);
  if (assessment == NULL)
    {
      g_debug ("Report %s cannot be assessed: %s", history->newest->report_id, error->message);
      return;
    }

  order = stage_order (history->regime, mw_report_get_entity_type (report));
  for (guint i = 0; i < mw_assessment_get_deadlines (assessment)->len; i++)
    {
      MwDeadline *result = g_ptr_array_index (mw_assessment_get_deadlines (assessment), i);
      const char *id = result->stage->id;
      int index = stage_index (order, id);
      Deadline *deadline;
      GDateTime *filed_at = g_hash_table_lookup (filed, id);

      /* A progress report is filed instead of the final one: its term shows once it is. */
      if (g_str_equal (id, "progress") && filed_at == NULL)
        continue;

      /* A later stage filed also fulfils an earlier one (a notification made within 24
       * hours is also the early warning). */
      if (!stage_is_optional (id))
        {
          g_hash_table_iter_init (&iter, filed);
          while (g_hash_table_iter_next (&iter, &key, &value))
            {
              int other = stage_index (order, key);

              if (stage_is_optional (key) || index < 0 || other <= index)
                continue;
              if (filed_at == NULL || g_date_time_compare (value, filed_at) < 0)
                filed_at = value;
            }
        }

      deadline = g_new0 (Deadline, 1);
      deadline->stage = g_strdup (id);
      deadline->due = result->due != NULL ? g_date_time_ref (result->due) : NULL;
      deadline->end_of_day = result->stage->months > 0 || result->stage->days > 0;
      deadline->extension = g_strdup (result->extension);
      deadline->filed = filed_at != NULL ? g_date_time_ref (filed_at) : NULL;
      if (filed_at != NULL)
        deadline->status = "done";
      else if (deadline->due != NULL && g_date_time_compare (now, deadline->due) > 0)
        deadline->status = "overdue";
      else
        deadline->status = "open";
      g_ptr_array_add (history->deadlines, deadline);
    }
}

static History *
history_new (const MwStoreIncident *incident,
             const char            *incident_id)
{
  History *history = g_new0 (History, 1);

  history->incident_id = g_strdup (incident_id);
  history->reports = g_ptr_array_new ();
  history->signed_ = g_ptr_array_new ();
  history->deliveries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  history->deadlines = g_ptr_array_new_with_free_func ((GDestroyNotify) deadline_free);
  if (incident != NULL)
    {
      history->training = incident->training;
      history->summary = g_strdup (incident->summary);
    }
  return history;
}

/* Adds a report (borrowed; oldest first, drafts last) and, when signed, its deliveries. */
static void
history_add_report (History       *history,
                    MwStoreReport *row,
                    GPtrArray     *deliveries)
{
  g_ptr_array_add (history->reports, row);
  if (!row->signed_)
    {
      if (history->newest == NULL || !history->newest->signed_)
        history->newest = row;
      return;
    }
  g_ptr_array_add (history->signed_, row);
  g_ptr_array_add (history->deliveries, deliveries != NULL ? g_ptr_array_ref (deliveries) : g_ptr_array_new ());
  history->newest = row;
}

/* With every report added: the regime, the summary and the deadlines. */
static void
history_finish (MwIncidents *self,
                History     *history,
                GDateTime   *now)
{
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GError) error = NULL;

  if (history->newest == NULL)
    return;
  report = report_from_row (history->newest, &error);
  if (report == NULL)
    {
      g_debug ("Report %s cannot be read: %s", history->newest->report_id, error->message);
      return;
    }
  history->regime = lookup_regime (self, mw_report_get_regime (report));
  if (history->regime != NULL)
    g_object_ref (history->regime);
  history->training = history->newest->training;
  if (history->newest->summary != NULL)
    {
      g_free (history->summary);
      history->summary = g_strdup (history->newest->summary);
    }
  history_compute_deadlines (history, report, now);
}

/* One incident, read from the store. */
static History *
history_load (MwIncidents            *self,
              const MwStoreIncident  *incident,
              const char             *incident_id,
              GDateTime              *now,
              GError                **error)
{
  g_autoptr(History) history = history_new (incident, incident_id);

  history->owned = mw_store_list_incident_reports (self->store, incident_id, error);
  if (history->owned == NULL)
    return NULL;
  for (guint i = 0; i < history->owned->len; i++)
    {
      MwStoreReport *row = g_ptr_array_index (history->owned, i);
      g_autoptr(GPtrArray) deliveries = NULL;

      if (row->signed_)
        {
          deliveries = mw_store_list_deliveries (self->store, row->report_id, error);
          if (deliveries == NULL)
            return NULL;
        }
      history_add_report (history, row, deliveries);
    }
  history_finish (self, history, now);
  return g_steal_pointer (&history);
}

/* The deadline that comes next: the earliest that is not done and has a due time. */
static const Deadline *
history_next_deadline (History *history)
{
  const Deadline *next = NULL;

  for (guint i = 0; i < history->deadlines->len; i++)
    {
      const Deadline *deadline = g_ptr_array_index (history->deadlines, i);

      if (g_str_equal (deadline->status, "done") || deadline->due == NULL)
        continue;
      if (next == NULL || g_date_time_compare (deadline->due, next->due) < 0)
        next = deadline;
    }
  return next;
}

static char *
history_recipients (History *history)
{
  GPtrArray *deliveries;
  g_autoptr(GString) text = NULL;

  if (history->deliveries->len == 0)
    return NULL;
  deliveries = g_ptr_array_index (history->deliveries, history->deliveries->len - 1);
  text = g_string_new (NULL);
  for (guint i = 0; i < deliveries->len; i++)
    {
      const MwStoreDelivery *delivery = g_ptr_array_index (deliveries, i);

      g_string_append_printf (text, "%s%s: %s", i > 0 ? ", " : "", delivery->recipient,
                              mw_delivery_state_to_string (delivery->state));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static MwIncidentItem *
history_to_item (History *history)
{
  const Deadline *next = history_next_deadline (history);
  g_autofree char *recipients = history_recipients (history);

  return mw_incident_item_new (history->incident_id, history->summary,
                               history->regime != NULL ? mw_regime_get_id (history->regime) : NULL,
                               history->newest != NULL ? history->newest->stage : NULL,
                               history->training,
                               next != NULL ? next->stage : NULL,
                               next != NULL ? next->due : NULL,
                               next != NULL && g_str_equal (next->status, "overdue"),
                               next != NULL ? next->extension : NULL,
                               recipients);
}

/* ---- JSON ---- */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  g_autoptr(GDateTime) dutch = time != NULL ? mw_to_dutch_time (time) : NULL;
  g_autofree char *text = dutch != NULL ? mw_format_time (dutch) : NULL;

  add_string (builder, name, text);
}

static void
add_deadline (JsonBuilder    *builder,
              const Deadline *deadline)
{
  json_builder_begin_object (builder);
  add_string (builder, "stage", deadline->stage);
  add_time (builder, "due", deadline->due);
  add_string (builder, "status", deadline->status);
  if (g_str_equal (deadline->status, "done") && deadline->due != NULL)
    {
      json_builder_set_member_name (builder, "late");
      json_builder_add_boolean_value (builder, g_date_time_compare (deadline->filed, deadline->due) > 0);
    }
  json_builder_end_object (builder);
}

static void
add_delivery (JsonBuilder           *builder,
              const MwStoreDelivery *delivery)
{
  g_autofree char *kid = NULL;
  g_autoptr(GDateTime) filed = NULL;

  if (delivery->receipt_jws != NULL && !mw_jws_parse (delivery->receipt_jws, &kid, NULL, NULL, NULL))
    g_clear_pointer (&kid, g_free);
  if (delivery->state == MW_DELIVERY_STATE_FILED_BY_HAND || delivery->state == MW_DELIVERY_STATE_FORWARDED)
    filed = delivery_filed_at (delivery);

  json_builder_begin_object (builder);
  add_string (builder, "recipient", delivery->recipient);
  add_string (builder, "state", mw_delivery_state_to_string (delivery->state));
  add_string (builder, "receipt_id", delivery->receipt_id);
  add_string (builder, "received_at", delivery->received_at);
  add_string (builder, "receipt_kid", kid);
  add_string (builder, "reference", delivery->reference);
  add_time (builder, "filed_at", filed);
  add_string (builder, "forwarded_by", delivery->forwarded_by);
  json_builder_end_object (builder);
}

static void
add_decision (JsonBuilder           *builder,
              const MwStoreDecision *decision)
{
  g_autoptr(JsonNode) root = mw_json_parse (decision->json, -1, decision->decision_id, NULL);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *by = object != NULL ? mw_json_lookup (root, "decided_by.name") : NULL;
  g_autofree char *kid = NULL;

  if (!mw_jws_parse (decision->jws, &kid, NULL, NULL, NULL))
    g_clear_pointer (&kid, g_free);

  json_builder_begin_object (builder);
  add_string (builder, "decision_id", decision->decision_id);
  add_string (builder, "report_id", decision->report_id);
  add_string (builder, "decided_at", object != NULL ? mw_json_get_string (object, "decided_at") : NULL);
  add_string (builder, "decided_by", by != NULL && JSON_NODE_HOLDS_VALUE (by) &&
                                     json_node_get_value_type (by) == G_TYPE_STRING ?
                                     json_node_get_string (by) : NULL);
  add_string (builder, "verdict", object != NULL ? mw_json_get_string (object, "verdict") : NULL);
  add_string (builder, "reason", object != NULL ? mw_json_get_string (object, "reason") : NULL);
  add_string (builder, "sha256", decision->sha256);
  add_string (builder, "kid", kid);
  json_builder_end_object (builder);
}

static const char *
created_at_text (const MwStoreReport *row,
                 char               **owned)
{
  g_autoptr(JsonNode) root = mw_json_parse (row->json, -1, row->report_id, NULL);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    *owned = g_strdup (mw_json_get_string (json_node_get_object (root), "created_at"));
  return *owned;
}

/* ---- GListModel ---- */

static GType
mw_incidents_get_item_type (GListModel *model)
{
  return MW_TYPE_INCIDENT_ITEM;
}

static guint
mw_incidents_get_n_items (GListModel *model)
{
  return MW_INCIDENTS (model)->items->len;
}

static gpointer
mw_incidents_get_item (GListModel *model,
                       guint       position)
{
  MwIncidents *self = MW_INCIDENTS (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
mw_incidents_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = mw_incidents_get_item_type;
  iface->get_n_items = mw_incidents_get_n_items;
  iface->get_item = mw_incidents_get_item;
}

/* ---- GObject ---- */

static void
mw_incidents_dispose (GObject *object)
{
  MwIncidents *self = MW_INCIDENTS (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (mw_incidents_parent_class)->dispose (object);
}

static void
mw_incidents_finalize (GObject *object)
{
  MwIncidents *self = MW_INCIDENTS (object);

  g_clear_pointer (&self->fixed_now, g_date_time_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->regimes, g_hash_table_unref);
  g_mutex_clear (&self->regimes_lock);
  G_OBJECT_CLASS (mw_incidents_parent_class)->finalize (object);
}

static void
mw_incidents_class_init (MwIncidentsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_incidents_dispose;
  object_class->finalize = mw_incidents_finalize;
}

static void
mw_incidents_init (MwIncidents *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->regimes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         regime_unref);
  g_mutex_init (&self->regimes_lock);
}

/* ---- Public ---- */

MwIncidents *
mw_incidents_new (MwStore *store)
{
  MwIncidents *self;

  g_return_val_if_fail (MW_IS_STORE (store), NULL);

  self = g_object_new (MW_TYPE_INCIDENTS, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
mw_incidents_set_now (MwIncidents *self,
                      GDateTime   *now)
{
  g_return_if_fail (MW_IS_INCIDENTS (self));

  g_clear_pointer (&self->fixed_now, g_date_time_unref);
  if (now != NULL)
    self->fixed_now = g_date_time_ref (now);
}

GDateTime *
mw_incidents_dup_now (MwIncidents *self)
{
  g_return_val_if_fail (MW_IS_INCIDENTS (self), NULL);

  return self->fixed_now != NULL ? g_date_time_ref (self->fixed_now) : g_date_time_new_now_utc ();
}

/* Every incident as an item, read through @store (the service's own, or a worker thread's
 * connection to the same file). */
static GPtrArray *
collect_items (MwIncidents  *self,
               MwStore      *store,
               GDateTime    *now,
               GError      **error)
{
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  g_autoptr(GHashTable) by_report = NULL;
  g_autoptr(GHashTable) by_incident = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  /* Three reads, whatever the number of incidents: the incidents, every report, every
   * delivery; then grouped here. */
  incidents = mw_store_list_incidents (store, error);
  if (incidents == NULL)
    return NULL;
  reports = mw_store_list_all_reports (store, error);
  if (reports == NULL)
    return NULL;
  deliveries = mw_store_list_deliveries (store, NULL, error);
  if (deliveries == NULL)
    return NULL;

  by_report = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < deliveries->len; i++)
    {
      MwStoreDelivery *delivery = g_ptr_array_index (deliveries, i);
      GPtrArray *list = g_hash_table_lookup (by_report, delivery->report_id);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (by_report, delivery->report_id, list);
        }
      g_ptr_array_add (list, delivery);
    }
  by_incident = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) history_free);
  for (guint i = 0; i < incidents->len; i++)
    {
      MwStoreIncident *incident = g_ptr_array_index (incidents, i);

      g_hash_table_insert (by_incident, incident->incident_id, history_new (incident, incident->incident_id));
    }
  for (guint i = 0; i < reports->len; i++)
    {
      MwStoreReport *row = g_ptr_array_index (reports, i);
      History *history = g_hash_table_lookup (by_incident, row->incident_id);

      if (history != NULL)
        history_add_report (history, row, g_hash_table_lookup (by_report, row->report_id));
    }
  for (guint i = 0; i < incidents->len; i++)
    {
      MwStoreIncident *incident = g_ptr_array_index (incidents, i);
      History *history = g_hash_table_lookup (by_incident, incident->incident_id);

      history_finish (self, history, now);
      g_ptr_array_add (items, history_to_item (history));
    }

  return g_steal_pointer (&items);
}

static void
replace_items (MwIncidents *self,
               GPtrArray   *items)
{
  guint removed = self->items->len;

  g_ptr_array_unref (self->items);
  self->items = g_ptr_array_ref (items);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

gboolean
mw_incidents_reload (MwIncidents  *self,
                     GError      **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (MW_IS_INCIDENTS (self), FALSE);

  self->generation++;
  now = mw_incidents_dup_now (self);
  items = collect_items (self, self->store, now, error);
  if (items == NULL)
    return FALSE;
  replace_items (self, items);
  return TRUE;
}

typedef struct {
  char      *path;
  GDateTime *now;
  guint      generation;
} ReloadData;

static void
reload_data_free (ReloadData *data)
{
  g_free (data->path);
  g_date_time_unref (data->now);
  g_free (data);
}

static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReloadData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = mw_store_new_for_path (data->path, &error);
  GPtrArray *items;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  items = collect_items (source_object, store, data->now, &error);
  if (items == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

void
mw_incidents_reload_async (MwIncidents         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReloadData *data;

  g_return_if_fail (MW_IS_INCIDENTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_incidents_reload_async);
  data = g_new0 (ReloadData, 1);
  data->path = g_strdup (mw_store_get_path (self->store));
  data->now = mw_incidents_dup_now (self);
  data->generation = ++self->generation;
  g_task_set_task_data (task, data, (GDestroyNotify) reload_data_free);
  g_task_run_in_thread (task, reload_thread);
}

gboolean
mw_incidents_reload_finish (MwIncidents   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(GPtrArray) items = NULL;
  ReloadData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  items = g_task_propagate_pointer (G_TASK (result), error);
  if (items == NULL)
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  /* A later reload was asked for meanwhile: its answer is the newer one. */
  if (data->generation == self->generation)
    replace_items (self, items);
  return TRUE;
}

MwIncidentItem *
mw_incidents_lookup (MwIncidents *self,
                     const char  *incident_id)
{
  g_return_val_if_fail (MW_IS_INCIDENTS (self), NULL);

  for (guint i = 0; incident_id != NULL && i < self->items->len; i++)
    {
      MwIncidentItem *item = g_ptr_array_index (self->items, i);

      if (g_str_equal (mw_incident_item_get_incident_id (item), incident_id))
        return item;
    }
  return NULL;
}

static History *
load_existing (MwIncidents  *self,
               const char   *incident_id,
               GError      **error)
{
  g_autoptr(GDateTime) now = mw_incidents_dup_now (self);
  g_autoptr(GPtrArray) incidents = NULL;
  const MwStoreIncident *incident = NULL;

  incidents = mw_store_list_incidents (self->store, error);
  if (incidents == NULL)
    return NULL;
  for (guint i = 0; i < incidents->len && incident == NULL; i++)
    if (g_str_equal (((MwStoreIncident *) g_ptr_array_index (incidents, i))->incident_id, incident_id))
      incident = g_ptr_array_index (incidents, i);
  if (incident == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("There is no incident with incident_id %s."), incident_id);
      return NULL;
    }
  return history_load (self, incident, incident_id, now, error);
}

JsonNode *
mw_incidents_list_to_json (MwIncidents *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (MW_IS_INCIDENTS (self), NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->items->len; i++)
    {
      MwIncidentItem *item = g_ptr_array_index (self->items, i);

      json_builder_begin_object (builder);
      add_string (builder, "incident_id", mw_incident_item_get_incident_id (item));
      add_string (builder, "summary", mw_incident_item_get_summary (item));
      add_string (builder, "regime", mw_incident_item_get_regime (item));
      add_string (builder, "stage", mw_incident_item_get_stage (item));
      json_builder_set_member_name (builder, "next_deadline");
      if (mw_incident_item_get_next_due (item) != NULL)
        {
          json_builder_begin_object (builder);
          add_string (builder, "stage", mw_incident_item_get_next_stage (item));
          add_time (builder, "due", mw_incident_item_get_next_due (item));
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "training");
      json_builder_add_boolean_value (builder, mw_incident_item_get_training (item));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mw_incidents_dup_history (MwIncidents  *self,
                          const char   *incident_id,
                          GError      **error)
{
  g_autoptr(History) history = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (MW_IS_INCIDENTS (self), NULL);
  g_return_val_if_fail (incident_id != NULL, NULL);

  history = load_existing (self, incident_id, error);
  if (history == NULL)
    return NULL;
  decisions = mw_store_list_decisions (self->store, incident_id, error);
  if (decisions == NULL)
    return NULL;

  json_builder_begin_object (builder);
  add_string (builder, "incident_id", history->incident_id);
  add_string (builder, "regime", history->regime != NULL ? mw_regime_get_id (history->regime) : NULL);

  json_builder_set_member_name (builder, "reports");
  json_builder_begin_array (builder);
  for (guint i = 0; i < history->signed_->len; i++)
    {
      const MwStoreReport *row = g_ptr_array_index (history->signed_, i);
      GPtrArray *deliveries = g_ptr_array_index (history->deliveries, i);
      g_autofree char *created_at = NULL;

      json_builder_begin_object (builder);
      add_string (builder, "report_id", row->report_id);
      add_string (builder, "stage", row->stage);
      add_string (builder, "created_at", created_at_text (row, &created_at));
      add_string (builder, "supersedes", row->supersedes);
      add_string (builder, "sha256", row->sha256);
      json_builder_set_member_name (builder, "deliveries");
      json_builder_begin_array (builder);
      for (guint j = 0; j < deliveries->len; j++)
        add_delivery (builder, g_ptr_array_index (deliveries, j));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "decisions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < decisions->len; i++)
    add_decision (builder, g_ptr_array_index (decisions, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "deadlines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < history->deadlines->len; i++)
    add_deadline (builder, g_ptr_array_index (history->deadlines, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The stage that comes after @current in @order: the next one that is not optional; after
 * the last (or an optional one at the end) the final report again, as a correction. */
static const char *
next_stage (GPtrArray  *order,
            const char *current)
{
  int index = stage_index (order, current);

  for (guint i = index < 0 ? 0 : (guint) index + 1; i < order->len; i++)
    {
      const MwStage *stage = g_ptr_array_index (order, i);

      if (!stage_is_optional (stage->id))
        return stage->id;
    }
  if (stage_index (order, "final") >= 0)
    return "final";
  return current;
}

MwReport *
mw_incidents_dup_follow_up (MwIncidents  *self,
                            const char   *incident_id,
                            const char   *stage,
                            GError      **error)
{
  g_autoptr(History) history = NULL;
  g_autoptr(MwReport) last = NULL;
  g_autoptr(MwReport) follow_up = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) dutch = NULL;
  g_autofree char *created_at = NULL;
  const MwStoreReport *newest;
  GPtrArray *order;

  g_return_val_if_fail (MW_IS_INCIDENTS (self), NULL);
  g_return_val_if_fail (incident_id != NULL, NULL);

  history = load_existing (self, incident_id, error);
  if (history == NULL)
    return NULL;
  if (history->signed_->len == 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("The incident %s has no signed report yet to follow up."), incident_id);
      return NULL;
    }
  newest = g_ptr_array_index (history->signed_, history->signed_->len - 1);
  last = report_from_row (newest, error);
  if (last == NULL)
    return NULL;
  if (history->regime == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("The regime “%s” of report %s is not installed."),
                   mw_report_get_regime (last), newest->report_id);
      return NULL;
    }

  order = stage_order (history->regime, mw_report_get_entity_type (last));
  if (stage != NULL && stage_index (order, stage) < 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < order->len; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                                ((const MwStage *) g_ptr_array_index (order, i))->id);
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The stage “%s” is not a stage of this incident under %s; it has: %s."),
                   stage, mw_regime_get_id (history->regime), names->str);
      return NULL;
    }
  if (stage == NULL)
    stage = next_stage (order, mw_report_get_stage (last));

  follow_up = mw_report_new_follow_up (last, stage);
  now = mw_incidents_dup_now (self);
  dutch = mw_to_dutch_time (now);
  created_at = mw_format_time (dutch);
  mw_report_set_string (follow_up, "created_at", created_at);
  return g_steal_pointer (&follow_up);
}

char *
mw_incidents_dup_receipt (MwIncidents  *self,
                          const char   *report_id,
                          const char   *recipient,
                          GError      **error)
{
  g_autoptr(MwStoreDelivery) delivery = NULL;

  g_return_val_if_fail (MW_IS_INCIDENTS (self), NULL);
  g_return_val_if_fail (report_id != NULL && recipient != NULL, NULL);

  delivery = mw_store_get_delivery (self->store, report_id, recipient, error);
  if (delivery == NULL)
    return NULL;
  if (delivery->receipt_jws == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                   _("The delivery of report %s to %s has no receipt (its state is %s)."),
                   report_id, recipient, mw_delivery_state_to_string (delivery->state));
      return NULL;
    }
  return g_steal_pointer (&delivery->receipt_jws);
}

char *
mw_incidents_record_decision (MwIncidents  *self,
                              MwReport     *report,
                              const char   *reason,
                              MwSigner     *signer,
                              GError      **error)
{
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;
  g_autoptr(JsonNode) assessed = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) dutch = NULL;
  g_autofree char *decided_at = NULL;
  g_autofree char *decision_id = g_uuid_string_random ();
  g_autofree char *canonical = NULL;
  g_autofree char *jws = NULL;
  JsonNode *node;
  JsonObject *assessed_object;
  MwVerdict verdict;
  const char *incident_id;

  g_return_val_if_fail (MW_IS_INCIDENTS (self), NULL);
  g_return_val_if_fail (MW_IS_REPORT (report), NULL);
  g_return_val_if_fail (MW_IS_SIGNER (signer), NULL);

  incident_id = mw_report_get_incident_id (report);
  if (incident_id == NULL || !mw_is_uuid (incident_id))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The field “incident_id” must be a UUID to keep a decision with its incident."));
      return NULL;
    }
  if (reason != NULL && strlen (reason) > 4096)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The reason is longer than %d bytes."), 4096);
      return NULL;
    }
  if (mw_report_get_regime (report) == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("The field “regime” is missing."));
      return NULL;
    }
  regime = mw_regime_load (mw_report_get_regime (report), error);
  if (regime == NULL)
    return NULL;
  assessor = mw_assessor_new (regime);
  assessment = mw_assessor_assess (assessor, report, error);
  if (assessment == NULL)
    return NULL;
  verdict = mw_assessment_get_verdict (assessment);
  if (verdict == MW_VERDICT_MANDATORY)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The verdict is mandatory: this incident must be reported, so a decision "
                     "not to report cannot be recorded."));
      return NULL;
    }
  assessed = mw_assessment_to_json (assessment);
  assessed_object = json_node_get_object (assessed);

  now = mw_incidents_dup_now (self);
  dutch = mw_to_dutch_time (now);
  decided_at = mw_format_time (dutch);

  json_builder_begin_object (builder);
  add_string (builder, "format", MW_JWS_CTY_DECISION);
  add_string (builder, "decision_id", decision_id);
  add_string (builder, "incident_id", incident_id);
  add_string (builder, "report_id", mw_report_get_report_id (report));
  add_string (builder, "summary", mw_report_get_string (report, "nature.summary"));
  json_builder_set_member_name (builder, "training");
  json_builder_add_boolean_value (builder, mw_report_get_training (report));
  add_string (builder, "decided_at", decided_at);
  json_builder_set_member_name (builder, "decided_by");
  node = mw_report_get_node (report, "provider.contact");
  json_builder_add_value (builder, node != NULL ? mw_json_deep_copy (node) : json_node_new (JSON_NODE_NULL));
  add_string (builder, "organisation", mw_report_get_string (report, "provider.name"));
  add_string (builder, "reason", reason != NULL && *reason != '\0' ? reason : NULL);
  add_string (builder, "verdict", mw_verdict_to_string (verdict));
  add_string (builder, "regime", mw_regime_get_id (regime));
  add_string (builder, "entity_type", mw_report_get_entity_type (report));
  json_builder_set_member_name (builder, "facts");
  node = mw_report_get_node (report, "facts");
  json_builder_add_value (builder, node != NULL ? mw_json_deep_copy (node) : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (builder, "criteria");
  json_builder_add_value (builder, mw_json_deep_copy (json_object_get_member (assessed_object, "criteria")));
  json_builder_set_member_name (builder, "exclusions");
  json_builder_add_value (builder, mw_json_deep_copy (json_object_get_member (assessed_object, "exclusions")));
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  canonical = mw_json_to_canonical (payload);
  jws = mw_signer_sign (signer, MW_JWS_CTY_DECISION, (const guint8 *) canonical, strlen (canonical), error);
  if (jws == NULL)
    return NULL;
  if (!mw_store_add_decision (self->store, jws, error))
    return NULL;
  return g_steal_pointer (&decision_id);
}
