/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-assessor"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-term.h"

struct _MwAssessor
{
  GObject     parent_instance;
  MwRegime   *regime;
  GHashTable *filed_at;   /* stage id → GDateTime */
};

G_DEFINE_FINAL_TYPE (MwAssessor, mw_assessor, G_TYPE_OBJECT)

struct _MwAssessment
{
  GObject             parent_instance;
  MwRegime           *regime;
  const MwEntityType *entity_type;
  MwVerdict           verdict;
  GPtrArray          *criteria;
  GPtrArray          *exclusions;
  GPtrArray          *recipients;
  GPtrArray          *deadlines;
  GPtrArray          *advisories;
  GPtrArray          *deciding_facts;
  GPtrArray          *reminders;
  const MwVoluntaryKind *voluntary_kind;
};

G_DEFINE_FINAL_TYPE (MwAssessment, mw_assessment, G_TYPE_OBJECT)

const char *
mw_verdict_to_string (MwVerdict verdict)
{
  switch (verdict)
    {
    case MW_VERDICT_MANDATORY: return "mandatory";
    case MW_VERDICT_VOLUNTARY: return "voluntary";
    case MW_VERDICT_UNDETERMINED:
    default: return "undetermined";
    }
}

static void
criterion_result_free (MwCriterionResult *result)
{
  g_clear_pointer (&result->missing, g_ptr_array_unref);
  g_free (result);
}

static void
deadline_free (MwDeadline *deadline)
{
  g_clear_pointer (&deadline->due, g_date_time_unref);
  g_free (deadline->extension);
  g_free (deadline);
}

static void
advisory_result_free (MwAdvisoryResult *result)
{
  g_clear_pointer (&result->due, g_date_time_unref);
  g_free (result);
}

static void
mw_assessment_finalize (GObject *object)
{
  MwAssessment *self = (MwAssessment *) object;

  g_clear_pointer (&self->criteria, g_ptr_array_unref);
  g_clear_pointer (&self->exclusions, g_ptr_array_unref);
  g_clear_pointer (&self->recipients, g_ptr_array_unref);
  g_clear_pointer (&self->deadlines, g_ptr_array_unref);
  g_clear_pointer (&self->advisories, g_ptr_array_unref);
  g_clear_pointer (&self->deciding_facts, g_ptr_array_unref);
  g_clear_pointer (&self->reminders, g_ptr_array_unref);
  g_clear_object (&self->regime);

  G_OBJECT_CLASS (mw_assessment_parent_class)->finalize (object);
}

static void
mw_assessment_class_init (MwAssessmentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_assessment_finalize;
}

static void
mw_assessment_init (MwAssessment *self)
{
  self->criteria = g_ptr_array_new_with_free_func ((GDestroyNotify) criterion_result_free);
  self->exclusions = g_ptr_array_new_with_free_func ((GDestroyNotify) criterion_result_free);
  self->recipients = g_ptr_array_new ();
  self->deadlines = g_ptr_array_new_with_free_func ((GDestroyNotify) deadline_free);
  self->advisories = g_ptr_array_new_with_free_func ((GDestroyNotify) advisory_result_free);
  self->deciding_facts = g_ptr_array_new_with_free_func (g_free);
  self->reminders = g_ptr_array_new ();
}

static void
mw_assessor_finalize (GObject *object)
{
  MwAssessor *self = (MwAssessor *) object;

  g_clear_object (&self->regime);
  g_clear_pointer (&self->filed_at, g_hash_table_unref);

  G_OBJECT_CLASS (mw_assessor_parent_class)->finalize (object);
}

static void
mw_assessor_class_init (MwAssessorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_assessor_finalize;
}

static void
mw_assessor_init (MwAssessor *self)
{
  self->filed_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_date_time_unref);
}

MwAssessor *
mw_assessor_new (MwRegime *regime)
{
  MwAssessor *self;

  g_return_val_if_fail (MW_IS_REGIME (regime), NULL);

  self = g_object_new (MW_TYPE_ASSESSOR, NULL);
  self->regime = g_object_ref (regime);
  return self;
}

MwRegime *
mw_assessor_get_regime (MwAssessor *self)
{
  g_return_val_if_fail (MW_IS_ASSESSOR (self), NULL);
  return self->regime;
}

void
mw_assessor_set_filed_at (MwAssessor *self,
                          const char *stage,
                          GDateTime  *filed_at)
{
  g_return_if_fail (MW_IS_ASSESSOR (self));
  g_return_if_fail (stage != NULL);

  if (filed_at != NULL)
    g_hash_table_replace (self->filed_at, g_strdup (stage), g_date_time_ref (filed_at));
  else
    g_hash_table_remove (self->filed_at, stage);
}

/* Facts ------------------------------------------------------------------------------ */

typedef struct {
  MwRegime   *regime;
  JsonObject *facts;
  guint       depth;
} Lookup;

static const char *
fact_type (MwRegime   *regime,
           const char *name)
{
  const MwFactDef *def = mw_regime_find_fact (regime, name);

  return def != NULL ? def->type : mw_vocabulary_fact_type (name);
}

#define SECONDS_FACT "unavailable_seconds"
#define MINUTES_FACT "unavailable_minutes"

static gboolean
lookup_fact (const char *name,
             MwValue    *value,
             GPtrArray  *missing,
             gpointer    user_data)
{
  Lookup *lookup = user_data;
  const char *type = fact_type (lookup->regime, name);
  JsonNode *node;

  memset (value, 0, sizeof *value);
  if (type == NULL)
    return FALSE;

  if (g_str_equal (type, "derived"))
    {
      const MwFactDef *def = mw_regime_find_fact (lookup->regime, name);
      gboolean ok;

      if (def == NULL || def->expr == NULL || lookup->depth > 4)
        return FALSE;
      lookup->depth++;
      ok = mw_expr_eval_value (def->expr, lookup_fact, lookup, missing, value);
      lookup->depth--;
      return ok;
    }

  value->is_bool = g_str_equal (type, "bool");
  value->lo = 0;
  value->hi = INFINITY;

  node = lookup->facts ? json_object_get_member (lookup->facts, name) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    {
      /* unavailable_seconds, when not given, is unavailable_minutes × 60 (DOMAIN.md). */
      if (g_str_equal (name, SECONDS_FACT))
        {
          MwValue minutes;

          if (lookup_fact (MINUTES_FACT, &minutes, NULL, lookup) && minutes.known)
            {
              value->known = TRUE;
              value->lo = minutes.lo * 60;
              value->hi = minutes.hi * 60;
            }
        }
      return TRUE;
    }

  if (value->is_bool)
    {
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        {
          value->known = TRUE;
          value->b = json_node_get_boolean (node);
        }
    }
  else if (json_node_get_value_type (node) == G_TYPE_INT64 ||
           json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      value->known = TRUE;
      value->lo = value->hi = json_node_get_value_type (node) == G_TYPE_INT64 ?
                              (double) json_node_get_int (node) : json_node_get_double (node);
    }

  return TRUE;
}

/* The facts must have the right types before anything is decided from them. */
static gboolean
check_facts (MwRegime    *regime,
             JsonObject  *facts,
             GError     **error)
{
  g_autoptr(GList) members = NULL;

  if (facts == NULL)
    return TRUE;

  members = json_object_get_members (facts);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (facts, name);
      const char *type = fact_type (regime, name);
      GType value_type;

      if (type == NULL || g_str_equal (type, "derived") || JSON_NODE_HOLDS_NULL (node))
        continue;  /* validate reports these; they decide nothing here */

      value_type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
      if (g_str_equal (type, "bool"))
        {
          if (value_type != G_TYPE_BOOLEAN)
            {
              g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                           _("facts.%s: must be true or false, or null when not known"), name);
              return FALSE;
            }
        }
      else
        {
          double number;

          if (value_type != G_TYPE_INT64 && value_type != G_TYPE_DOUBLE)
            {
              g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                           _("facts.%s: must be a number, or null when not known"), name);
              return FALSE;
            }
          number = value_type == G_TYPE_INT64 ? (double) json_node_get_int (node) : json_node_get_double (node);
          if (!isfinite (number) || number < 0 || number > 1e15)
            {
              g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                           _("facts.%s: must be a number from 0 to 10¹⁵; use null when not known"), name);
              return FALSE;
            }
          if (g_str_equal (type, "int") && number != floor (number))
            {
              g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                           _("facts.%s: must be a whole number"), name);
              return FALSE;
            }
        }
    }

  return TRUE;
}

static void
add_unique (GPtrArray  *list,
            const char *name)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), name))
      return;
  g_ptr_array_add (list, g_strdup (name));
}

static MwCriterionResult *
evaluate (const MwCriterion *criterion,
          Lookup            *lookup)
{
  MwCriterionResult *result = g_new0 (MwCriterionResult, 1);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);

  result->criterion = criterion;
  result->missing = g_ptr_array_new_with_free_func (g_free);
  result->status = mw_expr_eval (criterion->when, lookup_fact, lookup, missing);

  /* Only questions a person can answer: derived facts name their sources instead. */
  if (result->status == MW_STATUS_UNKNOWN)
    for (guint i = 0; i < missing->len; i++)
      {
        const char *name = g_ptr_array_index (missing, i);
        const char *type = fact_type (lookup->regime, name);

        /* Asked as minutes, as before; the seconds only refine an outage under a minute. */
        if (g_str_equal (name, SECONDS_FACT))
          name = MINUTES_FACT;
        if (type != NULL && !g_str_equal (type, "derived"))
          add_unique (result->missing, name);
      }

  return result;
}

static gboolean
stage_filed (MwAssessor  *self,
             MwReport    *report,
             const char  *stage,
             GDateTime  **out)
{
  GDateTime *filed = g_hash_table_lookup (self->filed_at, stage);

  if (filed != NULL)
    {
      *out = g_date_time_ref (filed);
      return TRUE;
    }
  /* Counted from the report of that stage: known when this is that report. */
  return g_strcmp0 (mw_report_get_stage (report), stage) == 0 &&
         mw_parse_time (mw_report_get_string (report, "created_at"), out);
}

static gboolean
timeline_time (MwReport    *report,
               const char  *field,
               GDateTime  **out)
{
  g_autofree char *path = g_strconcat ("timeline.", field, NULL);

  return mw_parse_time (mw_report_get_string (report, path), out);
}

/* When a stage's deadline falls, in Dutch time, or NULL while what it counts from is
 * unknown. */
static GDateTime *
due_time (MwAssessor     *self,
          const MwStage  *stage,
          MwReport       *report,
          char          **extension)
{
  g_autoptr(GDateTime) from = NULL;

  if (!stage->has_deadline || stage->from == NULL)
    return NULL;

  /* Cbw art. 29(2): after a progress report, the final report counts from the resolution. */
  if (stage->after_progress_from != NULL)
    {
      if (g_hash_table_contains (self->filed_at, "progress") ||
          g_strcmp0 (mw_report_get_stage (report), "progress") == 0)
        return timeline_time (report, stage->after_progress_from, &from) ?
               mw_term_end (from, stage->hours, stage->days, stage->months, extension) : NULL;
    }

  if (g_str_has_prefix (stage->from, "stage:"))
    {
      if (!stage_filed (self, report, stage->from + 6, &from))
        return NULL;
    }
  else if (!timeline_time (report, stage->from, &from))
    return NULL;

  return mw_term_end (from, stage->hours, stage->days, stage->months, extension);
}

static gboolean
applies_to (const MwAdvisory   *advisory,
            const MwEntityType *type)
{
  return advisory->entity_types == NULL || g_strv_contains ((const char * const *) advisory->entity_types, type->id);
}

static gboolean
lifts (const MwCriterion *exclusion,
       const MwCriterion *criterion)
{
  return exclusion->excludes == NULL || g_strv_contains ((const char * const *) exclusion->excludes, criterion->id);
}

MwAssessment *
mw_assessor_assess (MwAssessor  *self,
                    MwReport    *report,
                    GError     **error)
{
  g_autoptr(MwAssessment) assessment = NULL;
  const char *regime_id, *entity_type_id;
  const MwEntityType *entity_type;
  JsonNode *facts_node;
  Lookup lookup = { 0 };
  gboolean any_met = FALSE, any_unknown = FALSE;

  g_return_val_if_fail (MW_IS_ASSESSOR (self), NULL);
  g_return_val_if_fail (MW_IS_REPORT (report), NULL);

  regime_id = mw_report_get_regime (report);
  if (regime_id != NULL && !g_str_equal (regime_id, mw_regime_get_id (self->regime)))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("regime: the report is for regime “%s”, not “%s”"),
                   regime_id, mw_regime_get_id (self->regime));
      return NULL;
    }

  entity_type_id = mw_report_get_entity_type (report);
  entity_type = mw_regime_find_entity_type (self->regime, entity_type_id);
  if (entity_type == NULL)
    {
      g_autofree char *list = mw_regime_dup_entity_type_ids (self->regime);

      if (entity_type_id == NULL)
        g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                     _("provider.entity_type: missing; the regime %s needs one of: %s"),
                     mw_regime_get_id (self->regime), list);
      else
        g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                     _("provider.entity_type: “%s” is not an entity type of regime %s; use one of: %s"),
                     entity_type_id, mw_regime_get_id (self->regime), list);
      return NULL;
    }

  facts_node = mw_report_get_node (report, "facts");
  if (facts_node != NULL && !JSON_NODE_HOLDS_NULL (facts_node) && !JSON_NODE_HOLDS_OBJECT (facts_node))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("facts: must be an object of fact names and values, like {\"users_affected\": 1200}"));
      return NULL;
    }

  lookup.regime = self->regime;
  lookup.facts = facts_node && JSON_NODE_HOLDS_OBJECT (facts_node) ? json_node_get_object (facts_node) : NULL;
  if (!check_facts (self->regime, lookup.facts, error))
    return NULL;

  assessment = g_object_new (MW_TYPE_ASSESSMENT, NULL);
  assessment->regime = g_object_ref (self->regime);
  assessment->entity_type = entity_type;

  for (guint i = 0; i < entity_type->exclusions->len; i++)
    g_ptr_array_add (assessment->exclusions, evaluate (g_ptr_array_index (entity_type->exclusions, i), &lookup));

  /* An exclusion that applies lifts the criteria it names (2024/2690 Art. 3(2): only the
   * expected consequences of scheduled maintenance, i.e. availability); those are reported
   * as excluded, and the others decide. An exclusion that is merely unknown lifts nothing. */
  for (guint i = 0; i < entity_type->criteria->len; i++)
    {
      MwCriterionResult *result = evaluate (g_ptr_array_index (entity_type->criteria, i), &lookup);

      for (guint j = 0; j < assessment->exclusions->len; j++)
        {
          MwCriterionResult *exclusion = g_ptr_array_index (assessment->exclusions, j);

          if (exclusion->status == MW_STATUS_MET && lifts (exclusion->criterion, result->criterion))
            {
              result->status = MW_STATUS_EXCLUDED;
              g_ptr_array_set_size (result->missing, 0);
            }
        }

      g_ptr_array_add (assessment->criteria, result);
      any_met |= result->status == MW_STATUS_MET;
      any_unknown |= result->status == MW_STATUS_UNKNOWN;
    }

  /* Near-misses and threats are voluntary reports to the CSIRT where the regime says so
   * (Cbw art. 33). */
  assessment->voluntary_kind = mw_regime_find_voluntary_kind (self->regime, mw_report_get_string (report, "kind"));

  if (assessment->voluntary_kind != NULL)
    assessment->verdict = MW_VERDICT_VOLUNTARY;
  else if (any_met)
    assessment->verdict = MW_VERDICT_MANDATORY;
  else if (any_unknown)
    assessment->verdict = MW_VERDICT_UNDETERMINED;
  else
    assessment->verdict = MW_VERDICT_VOLUNTARY;

  if (assessment->verdict == MW_VERDICT_UNDETERMINED)
    for (guint i = 0; i < assessment->criteria->len; i++)
      {
        MwCriterionResult *result = g_ptr_array_index (assessment->criteria, i);

        for (guint j = 0; j < result->missing->len; j++)
          add_unique (assessment->deciding_facts, g_ptr_array_index (result->missing, j));
      }

  for (guint i = 0; i < entity_type->recipients->len; i++)
    {
      MwRecipient *recipient = g_ptr_array_index (entity_type->recipients, i);

      if (assessment->voluntary_kind == NULL || g_strcmp0 (recipient->role, "csirt") == 0)
        g_ptr_array_add (assessment->recipients, recipient);
    }

  /* A voluntary report of a near-miss or threat has no deadline. */
  for (guint i = 0; assessment->voluntary_kind == NULL && i < entity_type->stages->len; i++)
    {
      const MwStage *stage = g_ptr_array_index (entity_type->stages, i);
      MwDeadline *deadline;

      if (!stage->has_deadline && !stage->without_delay)
        continue;
      deadline = g_new0 (MwDeadline, 1);
      deadline->stage = stage;
      deadline->due = due_time (self, stage, report, &deadline->extension);
      g_ptr_array_add (assessment->deadlines, deadline);
    }

  for (guint i = 0; i < mw_regime_get_reminders (self->regime)->len; i++)
    {
      const MwReminder *reminder = g_ptr_array_index (mw_regime_get_reminders (self->regime), i);

      if (g_str_equal (reminder->verdict, mw_verdict_to_string (assessment->verdict)))
        g_ptr_array_add (assessment->reminders, (gpointer) reminder);
    }

  for (guint i = 0; i < mw_regime_get_advisories (self->regime)->len; i++)
    {
      const MwAdvisory *advisory = g_ptr_array_index (mw_regime_get_advisories (self->regime), i);
      MwStatus status = mw_expr_eval (advisory->when, lookup_fact, &lookup, NULL);
      MwAdvisoryResult *result;

      if (status == MW_STATUS_NOT_MET || !applies_to (advisory, entity_type))
        continue;
      result = g_new0 (MwAdvisoryResult, 1);
      result->advisory = advisory;
      result->status = status;
      result->due = due_time (self, &advisory->deadline, report, NULL);
      g_ptr_array_add (assessment->advisories, result);
    }

  return g_steal_pointer (&assessment);
}

MwVerdict mw_assessment_get_verdict (MwAssessment *self) { return self->verdict; }
MwRegime *mw_assessment_get_regime (MwAssessment *self) { return self->regime; }
const MwEntityType *mw_assessment_get_entity_type (MwAssessment *self) { return self->entity_type; }
GPtrArray *mw_assessment_get_criteria (MwAssessment *self) { return self->criteria; }
GPtrArray *mw_assessment_get_exclusions (MwAssessment *self) { return self->exclusions; }
GPtrArray *mw_assessment_get_recipients (MwAssessment *self) { return self->recipients; }
GPtrArray *mw_assessment_get_deadlines (MwAssessment *self) { return self->deadlines; }
GPtrArray *mw_assessment_get_advisories (MwAssessment *self) { return self->advisories; }
GPtrArray *mw_assessment_get_deciding_facts (MwAssessment *self) { return self->deciding_facts; }
GPtrArray *mw_assessment_get_reminders (MwAssessment *self) { return self->reminders; }
const MwVoluntaryKind *mw_assessment_get_voluntary_kind (MwAssessment *self) { return self->voluntary_kind; }

/* Output ---------------------------------------------------------------------------- */

static JsonNode *
result_to_json (MwCriterionResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, result->criterion->id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, mw_status_to_string (result->status));
  json_builder_set_member_name (builder, "citation");
  json_builder_add_string_value (builder, result->criterion->citation);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, mw_label_get (&result->criterion->label));
  json_builder_set_member_name (builder, "missing");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->missing->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (result->missing, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  json_builder_set_member_name (builder, name);
  if (time != NULL)
    {
      g_autofree char *text = mw_format_time (time);
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_period_members (JsonBuilder   *builder,
                    const MwStage *stage)
{
  if (stage->hours)
    {
      json_builder_set_member_name (builder, "hours");
      json_builder_add_int_value (builder, stage->hours);
    }
  else if (stage->days)
    {
      json_builder_set_member_name (builder, "days");
      json_builder_add_int_value (builder, stage->days);
    }
  else if (stage->months)
    {
      json_builder_set_member_name (builder, "months");
      json_builder_add_int_value (builder, stage->months);
    }
  json_builder_set_member_name (builder, "from");
  if (stage->from)
    json_builder_add_string_value (builder, stage->from);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "without_delay");
  json_builder_add_boolean_value (builder, stage->without_delay);
}

/**
 * mw_assessment_to_json:
 *
 * The `assess --json` document (contract): verdict, regime, entity_type, criteria,
 * exclusions (those that apply), recipients (ids), deadlines; plus advisories and the
 * facts that would decide an undetermined verdict.
 */
JsonNode *
mw_assessment_to_json (MwAssessment *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (MW_IS_ASSESSMENT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, mw_verdict_to_string (self->verdict));
  json_builder_set_member_name (builder, "regime");
  json_builder_add_string_value (builder, mw_regime_get_id (self->regime));
  json_builder_set_member_name (builder, "entity_type");
  json_builder_add_string_value (builder, self->entity_type->id);

  json_builder_set_member_name (builder, "criteria");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->criteria->len; i++)
    json_builder_add_value (builder, result_to_json (g_ptr_array_index (self->criteria, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "exclusions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->exclusions->len; i++)
    {
      MwCriterionResult *result = g_ptr_array_index (self->exclusions, i);
      if (result->status == MW_STATUS_MET)
        json_builder_add_value (builder, result_to_json (result));
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->recipients->len; i++)
    json_builder_add_string_value (builder, ((MwRecipient *) g_ptr_array_index (self->recipients, i))->id);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "deadlines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->deadlines->len; i++)
    {
      MwDeadline *deadline = g_ptr_array_index (self->deadlines, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "stage");
      json_builder_add_string_value (builder, deadline->stage->id);
      add_time (builder, "due", deadline->due);
      add_period_members (builder, deadline->stage);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "undecided_exclusions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->exclusions->len; i++)
    {
      MwCriterionResult *result = g_ptr_array_index (self->exclusions, i);
      if (result->status == MW_STATUS_UNKNOWN)
        json_builder_add_value (builder, result_to_json (result));
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "deciding_facts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->deciding_facts->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (self->deciding_facts, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "advisories");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->advisories->len; i++)
    {
      MwAdvisoryResult *result = g_ptr_array_index (self->advisories, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, result->advisory->id);
      json_builder_set_member_name (builder, "recipient");
      json_builder_add_string_value (builder, result->advisory->recipient->id);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, mw_status_to_string (result->status));
      json_builder_set_member_name (builder, "citation");
      json_builder_add_string_value (builder, result->advisory->citation);
      add_time (builder, "due", result->due);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "effective_uncertain");
  json_builder_add_boolean_value (builder, mw_regime_get_effective_uncertain (self->regime));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
fact_label (MwRegime   *regime,
            const char *name)
{
  const MwFactDef *def = mw_regime_find_fact (regime, name);

  return def != NULL && def->label.en != NULL ? mw_label_get (&def->label) : name;
}

static const char *
status_text (MwStatus status)
{
  switch (status)
    {
    case MW_STATUS_MET: return _("met");
    case MW_STATUS_NOT_MET: return _("not met");
    case MW_STATUS_EXCLUDED: return _("excluded");
    case MW_STATUS_UNKNOWN:
    default: return _("unknown");
    }
}

static const char *
role_text (const char *role)
{
  if (g_str_equal (role, "csirt"))
    return _("CSIRT");
  if (g_str_equal (role, "competent-authority"))
    return _("competent authority");
  return _("advisory");
}

static const char *
channel_text (const char *kind)
{
  if (g_str_equal (kind, "phone"))
    return _("Phone");
  if (g_str_equal (kind, "email"))
    return _("E-mail");
  if (g_str_equal (kind, "web"))
    return _("Web");
  return _("Post");
}

static void
append_period (GString       *out,
               const MwStage *stage)
{
  const char *from;

  if (stage->without_delay && !stage->has_deadline)
    {
      g_string_append (out, _("without delay"));
      return;
    }

  if (g_str_equal (stage->from, "aware_at"))
    from = _("becoming aware");
  else if (g_str_equal (stage->from, "detected_at"))
    from = _("detection");
  else if (g_str_equal (stage->from, "started_at"))
    from = _("the start");
  else if (g_str_equal (stage->from, "resolved_at"))
    from = _("the resolution");
  else if (g_str_equal (stage->from, "stage:notification"))
    from = _("the notification was filed");
  else
    from = _("the previous report");

  if (stage->hours)
    g_string_append_printf (out, ngettext ("%d hour after %s", "%d hours after %s", stage->hours), stage->hours, from);
  else if (stage->days)
    g_string_append_printf (out, ngettext ("%d day after %s", "%d days after %s", stage->days), stage->days, from);
  else
    g_string_append_printf (out, ngettext ("%d month after %s", "%d months after %s", stage->months), stage->months, from);
  if (stage->after_progress_from != NULL)
    g_string_append (out, _("; after a progress report, 1 month after the resolution"));
}

/**
 * mw_assessment_explain:
 *
 * The verdict in words, in the user's language, with the article behind every criterion.
 */
char *
mw_assessment_explain (MwAssessment *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (MW_IS_ASSESSMENT (self), NULL);

  switch (self->verdict)
    {
    case MW_VERDICT_MANDATORY:
      g_string_append (out, _("Verdict: MANDATORY — this incident must be reported."));
      break;
    case MW_VERDICT_UNDETERMINED:
      g_string_append (out, _("Verdict: UNDETERMINED — the answers so far do not decide it. When in doubt, report."));
      break;
    case MW_VERDICT_VOLUNTARY:
      g_string_append (out, _("Verdict: VOLUNTARY — no reporting duty applies; you may still report voluntarily."));
      break;
    }
  g_string_append_c (out, '\n');
  if (self->voluntary_kind != NULL)
    g_string_append_printf (out, "  %s (%s)\n", mw_label_get (&self->voluntary_kind->label),
                            mw_label_get (&self->voluntary_kind->citation_label));
  for (guint i = 0; i < self->reminders->len; i++)
    {
      const MwReminder *reminder = g_ptr_array_index (self->reminders, i);

      g_string_append_printf (out, "  %s %s (%s)\n", _("Remember:"), mw_label_get (&reminder->label),
                              mw_label_get (&reminder->citation_label));
    }

  g_string_append_printf (out, _("Regime: %s (%s)"), mw_label_get (mw_regime_get_title (self->regime)),
                          mw_regime_get_id (self->regime));
  g_string_append_c (out, '\n');
  if (mw_regime_get_effective_uncertain (self->regime))
    g_string_append_printf (out, "  %s %s\n", _("Note:"), mw_label_get (mw_regime_get_uncertainty (self->regime)));
  g_string_append_printf (out, _("Entity type: %s (%s)"), mw_label_get (&self->entity_type->label),
                          self->entity_type->id);
  g_string_append (out, "\n\n");

  g_string_append_printf (out, "%s\n", _("Criteria:"));
  for (guint i = 0; i < self->criteria->len; i++)
    {
      MwCriterionResult *result = g_ptr_array_index (self->criteria, i);

      g_string_append_printf (out, "  [%s] %s — %s (%s)\n", status_text (result->status),
                              result->criterion->id, mw_label_get (&result->criterion->label),
                              mw_label_get (&result->criterion->citation_label));
      if (result->missing->len > 0)
        {
          g_string_append_printf (out, "      %s ", _("Needs an answer to:"));
          for (guint j = 0; j < result->missing->len; j++)
            g_string_append_printf (out, "%s%s (%s)", j ? ", " : "",
                                    fact_label (self->regime, g_ptr_array_index (result->missing, j)),
                                    (char *) g_ptr_array_index (result->missing, j));
          g_string_append_c (out, '\n');
        }
    }

  if (self->exclusions->len > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("Exclusions:"));
      for (guint i = 0; i < self->exclusions->len; i++)
        {
          MwCriterionResult *result = g_ptr_array_index (self->exclusions, i);

          g_string_append_printf (out, "  [%s] %s — %s (%s)\n",
                                  result->status == MW_STATUS_MET ? _("applies") : status_text (result->status),
                                  result->criterion->id, mw_label_get (&result->criterion->label),
                                  mw_label_get (&result->criterion->citation_label));
        }
    }

  if (self->verdict == MW_VERDICT_UNDETERMINED && self->deciding_facts->len > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("These answers would decide it:"));
      for (guint i = 0; i < self->deciding_facts->len; i++)
        g_string_append_printf (out, "  • %s (%s)\n",
                                fact_label (self->regime, g_ptr_array_index (self->deciding_facts, i)),
                                (char *) g_ptr_array_index (self->deciding_facts, i));
    }

  g_string_append_printf (out, "\n%s\n", _("Report to:"));
  for (guint i = 0; i < self->recipients->len; i++)
    {
      MwRecipient *recipient = g_ptr_array_index (self->recipients, i);

      g_string_append_printf (out, "  • %s (%s, %s)\n", mw_label_get (&recipient->name),
                              recipient->id, role_text (recipient->role));
      for (guint c = 0; c < recipient->channels->len; c++)
        {
          MwChannel *channel = g_ptr_array_index (recipient->channels, c);

          g_string_append_printf (out, "      %s: %s", channel_text (channel->kind), channel->value);
          if (channel->label.en != NULL)
            g_string_append_printf (out, " — %s", mw_label_get (&channel->label));
          g_string_append_c (out, '\n');
        }
    }

  if (self->deadlines->len > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("Deadlines:"));
      for (guint i = 0; i < self->deadlines->len; i++)
        {
          MwDeadline *deadline = g_ptr_array_index (self->deadlines, i);

          g_string_append_printf (out, "  • %s: ", mw_label_get (&deadline->stage->label));
          if (deadline->due != NULL)
            {
              g_autofree char *due = mw_format_due (deadline->due, deadline->stage->hours == 0);

              g_string_append_printf (out, "%s (", due);
              append_period (out, deadline->stage);
              g_string_append (out, ")\n");
              if (deadline->extension != NULL)
                g_string_append_printf (out, "      %s\n", deadline->extension);
            }
          else
            {
              append_period (out, deadline->stage);
              g_string_append_c (out, '\n');
            }
        }
    }

  for (guint i = 0; i < self->advisories->len; i++)
    {
      MwAdvisoryResult *result = g_ptr_array_index (self->advisories, i);

      g_string_append_printf (out, "\n%s %s — %s (%s)\n",
                              result->status == MW_STATUS_MET ? _("Also:") : _("Possibly also:"),
                              mw_label_get (&result->advisory->label),
                              mw_label_get (&result->advisory->recipient->name),
                              mw_label_get (&result->advisory->citation_label));
    }

  return g_string_free (out, FALSE);
}
