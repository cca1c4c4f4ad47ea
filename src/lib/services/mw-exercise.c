/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-exercise"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-exercise.h"
#include "mw-incidents.h"
#include "mw-json.h"
#include "mw-jws.h"

/* The score: every filed report is compared with the inject that was current when it was
 * filed (in scenario minutes): one point each for the stage, the verdict its facts give, the
 * criteria met, the recipients (when known) and every fact the inject expects. Then one
 * point for each stage the law required (an inject expecting it with verdict mandatory) that
 * was filed within its deadline, counted in scenario time from aware_at_minutes. */

typedef struct {
  MwReport  *report;
  guint      minutes;
  GStrv      recipients;
} Filed;

struct _MwExercise
{
  GObject     parent_instance;

  MwScenario *scenario;
  MwRegime   *regime;
  GDateTime  *started_at;
  guint       speed;
  guint       next_due;
  GPtrArray  *filed;   /* Filed* */
};

G_DEFINE_FINAL_TYPE (MwExercise, mw_exercise, G_TYPE_OBJECT)

static void
filed_free (Filed *filed)
{
  g_object_unref (filed->report);
  g_strfreev (filed->recipients);
  g_free (filed);
}

void
mw_exercise_finding_free (MwExerciseFinding *finding)
{
  g_free (finding->text);
  g_free (finding);
}

static void
add_finding (GPtrArray  *findings,
             gboolean    ok,
             guint      *points,
             guint      *max_points,
             char       *text)
{
  MwExerciseFinding *finding = g_new0 (MwExerciseFinding, 1);

  finding->ok = ok;
  finding->text = text;
  g_ptr_array_add (findings, finding);
  *points += ok ? 1 : 0;
  *max_points += 1;
}

static const MwStage *
find_stage (const MwEntityType *type,
            const char         *id)
{
  for (guint i = 0; type != NULL && id != NULL && i < type->stages->len; i++)
    {
      const MwStage *stage = g_ptr_array_index (type->stages, i);
      if (g_str_equal (stage->id, id))
        return stage;
    }
  return NULL;
}

static const char *
stage_label (const MwEntityType *type,
             const char         *id)
{
  const MwStage *stage = find_stage (type, id);

  return stage != NULL ? mw_label_get (&stage->label) : (id != NULL ? id : "—");
}

static const char *
verdict_text (const char *verdict)
{
  if (g_strcmp0 (verdict, "mandatory") == 0)
    return _("mandatory");
  if (g_strcmp0 (verdict, "undetermined") == 0)
    return _("undetermined");
  return _("voluntary");
}

static gboolean
same_set (GPtrArray          *have,
          const char * const *want)
{
  guint n = want != NULL ? g_strv_length ((GStrv) want) : 0;

  if (have->len != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < have->len && !found; j++)
        found = g_str_equal (g_ptr_array_index (have, j), want[i]);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static char *
join_ids (GPtrArray *ids)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_copy (ids, NULL, NULL);

  if (copy->len == 0)
    return g_strdup (_("none"));
  g_ptr_array_add (copy, NULL);
  return g_strjoinv (", ", (char **) copy->pdata);
}

static gboolean
fact_equal (JsonNode *a,
            JsonNode *b)
{
  GType ta, tb;

  if (a == NULL || b == NULL || !JSON_NODE_HOLDS_VALUE (a) || !JSON_NODE_HOLDS_VALUE (b))
    return FALSE;
  ta = json_node_get_value_type (a);
  tb = json_node_get_value_type (b);
  if (ta == G_TYPE_BOOLEAN || tb == G_TYPE_BOOLEAN)
    return ta == tb && json_node_get_boolean (a) == json_node_get_boolean (b);
  if ((ta != G_TYPE_INT64 && ta != G_TYPE_DOUBLE) || (tb != G_TYPE_INT64 && tb != G_TYPE_DOUBLE))
    return FALSE;
  return fabs (json_node_get_double (a) - json_node_get_double (b)) < 1e-9;
}

/* A fact's value as a person writes it: yes/no, a whole number, or a number without
 * binary noise (14.2, not 14.199999999999999). */
static char *
format_value (JsonNode *node)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    return g_strdup_printf ("%.10g", json_node_get_double (node));
  return json_to_string (node, FALSE);
}

static void
score_facts (MwExercise     *self,
             MwReport       *report,
             const MwInject *inject,
             GPtrArray      *findings,
             guint          *points,
             guint          *max_points)
{
  JsonObject *expected = json_node_get_object (inject->facts);
  g_autoptr(GList) names = json_object_get_members (expected);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *path = g_strconcat ("facts.", name, NULL);
      const MwFactDef *def = mw_regime_find_fact (self->regime, name);
      const char *label = def != NULL ? mw_label_get (&def->label) : name;
      JsonNode *want = json_object_get_member (expected, name);
      JsonNode *have = mw_report_get_node (report, path);
      g_autofree char *want_text = format_value (want);

      if (have == NULL || JSON_NODE_HOLDS_NULL (have))
        add_finding (findings, FALSE, points, max_points,
                     g_strdup_printf (_("Fact missing: “%s” was known by then (%s)."), label, want_text));
      else if (!fact_equal (have, want))
        {
          g_autofree char *have_text = format_value (have);
          add_finding (findings, FALSE, points, max_points,
                       g_strdup_printf (_("Fact wrong: “%s” was filed as %s; it was %s."), label, have_text, want_text));
        }
      else
        add_finding (findings, TRUE, points, max_points,
                     g_strdup_printf (_("Fact right: “%s”."), label));
    }
}

static void
score_report (MwExercise *self,
              Filed      *filed,
              GPtrArray  *findings,
              guint      *points,
              guint      *max_points)
{
  GPtrArray *injects = mw_scenario_get_injects (self->scenario);
  const MwInject *inject = mw_scenario_lookup_inject (self->scenario, filed->minutes);
  const MwEntityType *type = mw_regime_find_entity_type (self->regime, mw_scenario_get_entity_type (self->scenario));
  const char *stage = mw_report_get_stage (filed->report);
  g_autoptr(MwAssessor) assessor = mw_assessor_new (self->regime);
  g_autoptr(MwAssessment) assessment = NULL;
  g_autoptr(GPtrArray) met = g_ptr_array_new ();
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *verdict = NULL;
  g_autofree char *met_text = NULL;
  g_autofree char *expected_text = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  if (inject == NULL)
    inject = g_ptr_array_index (injects, 0);

  if (g_strcmp0 (stage, inject->stage) == 0)
    add_finding (findings, TRUE, points, max_points,
                 g_strdup_printf (_("Stage right: %s."), stage_label (type, stage)));
  else
    add_finding (findings, FALSE, points, max_points,
                 g_strdup_printf (_("Stage wrong: filed as %s; expected %s."),
                                  stage_label (type, stage), stage_label (type, inject->stage)));

  /* The report's own regime and entity type are what a trainee could get wrong: assess it
   * under the scenario's, as the authority would. */
  mw_report_set_string (filed->report, "regime", mw_scenario_get_regime (self->scenario));
  mw_report_set_string (filed->report, "provider.entity_type", mw_scenario_get_entity_type (self->scenario));
  assessment = mw_assessor_assess (assessor, filed->report, &error);
  if (assessment != NULL)
    {
      verdict = mw_verdict_to_string (mw_assessment_get_verdict (assessment));
      for (guint i = 0; i < mw_assessment_get_criteria (assessment)->len; i++)
        {
          MwCriterionResult *result = g_ptr_array_index (mw_assessment_get_criteria (assessment), i);
          if (result->status == MW_STATUS_MET)
            g_ptr_array_add (met, result->criterion->id);
        }
    }

  if (g_strcmp0 (verdict, inject->verdict) == 0)
    add_finding (findings, TRUE, points, max_points,
                 g_strdup_printf (_("Verdict right: %s. %s"), verdict_text (verdict), mw_label_get (&inject->explanation)));
  else
    add_finding (findings, FALSE, points, max_points,
                 g_strdup_printf (_("Verdict wrong: the facts filed make it %s; expected %s. %s"),
                                  verdict_text (verdict), verdict_text (inject->verdict),
                                  mw_label_get (&inject->explanation)));

  for (guint i = 0; inject->criteria[i] != NULL; i++)
    g_ptr_array_add (expected, inject->criteria[i]);
  met_text = join_ids (met);
  expected_text = join_ids (expected);
  if (same_set (met, (const char * const *) inject->criteria))
    add_finding (findings, TRUE, points, max_points,
                 g_strdup_printf (_("Criteria right: %s."), met_text));
  else
    add_finding (findings, FALSE, points, max_points,
                 g_strdup_printf (_("Criteria wrong: the facts filed meet %s; expected %s."), met_text, expected_text));

  if (filed->recipients != NULL)
    {
      g_autoptr(GPtrArray) want = g_ptr_array_new ();
      g_autofree char *have_text = NULL;
      g_autofree char *want_text = NULL;

      for (guint i = 0; filed->recipients[i] != NULL; i++)
        g_ptr_array_add (recipients, filed->recipients[i]);
      for (guint i = 0; inject->recipients[i] != NULL; i++)
        g_ptr_array_add (want, inject->recipients[i]);
      have_text = join_ids (recipients);
      want_text = join_ids (want);
      if (same_set (recipients, (const char * const *) inject->recipients))
        add_finding (findings, TRUE, points, max_points,
                     g_strdup_printf (_("Recipients right: %s."), have_text));
      else
        add_finding (findings, FALSE, points, max_points,
                     g_strdup_printf (_("Recipients wrong: sent to %s; the law names %s."), have_text, want_text));
    }

  score_facts (self, filed->report, inject, findings, points, max_points);
}

/* Each stage the law required by some inject, filed within its hours from aware_at. */
static void
score_deadlines (MwExercise *self,
                 GPtrArray  *findings,
                 guint      *points,
                 guint      *max_points)
{
  GPtrArray *injects = mw_scenario_get_injects (self->scenario);
  const MwEntityType *type = mw_regime_find_entity_type (self->regime, mw_scenario_get_entity_type (self->scenario));
  g_autoptr(GPtrArray) required = g_ptr_array_new ();

  for (guint i = 0; i < injects->len; i++)
    {
      const MwInject *inject = g_ptr_array_index (injects, i);
      if (g_str_equal (inject->verdict, "mandatory") &&
          !g_ptr_array_find_with_equal_func (required, inject->stage, g_str_equal, NULL))
        g_ptr_array_add (required, inject->stage);
    }

  for (guint i = 0; i < required->len; i++)
    {
      const char *id = g_ptr_array_index (required, i);
      const MwStage *stage = find_stage (type, id);
      gboolean counted = stage != NULL && stage->has_deadline && stage->hours > 0 &&
                         g_strcmp0 (stage->from, "aware_at") == 0;
      guint due = mw_scenario_get_aware_minutes (self->scenario) + (counted ? (guint) stage->hours * 60 : 0);
      const Filed *first = NULL;

      for (guint f = 0; f < self->filed->len && first == NULL; f++)
        {
          const Filed *filed = g_ptr_array_index (self->filed, f);
          if (g_strcmp0 (mw_report_get_stage (filed->report), id) == 0)
            first = filed;
        }

      if (first == NULL)
        add_finding (findings, FALSE, points, max_points,
                     g_strdup_printf (_("Not filed: %s was required."), stage_label (type, id)));
      else if (counted && first->minutes > due)
        add_finding (findings, FALSE, points, max_points,
                     g_strdup_printf (_("Too late: %s was filed %u minutes after becoming aware; the law allows %d hours."),
                                      stage_label (type, id), first->minutes - mw_scenario_get_aware_minutes (self->scenario),
                                      stage->hours));
      else
        add_finding (findings, TRUE, points, max_points,
                     g_strdup_printf (_("In time: %s."), stage_label (type, id)));
    }
}

static void
mw_exercise_finalize (GObject *object)
{
  MwExercise *self = MW_EXERCISE (object);

  g_clear_object (&self->scenario);
  g_clear_object (&self->regime);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->filed, g_ptr_array_unref);
  G_OBJECT_CLASS (mw_exercise_parent_class)->finalize (object);
}

static void
mw_exercise_class_init (MwExerciseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_exercise_finalize;
}

static void
mw_exercise_init (MwExercise *self)
{
  self->filed = g_ptr_array_new_with_free_func ((GDestroyNotify) filed_free);
}

MwExercise *
mw_exercise_new (MwScenario *scenario,
                 MwRegime   *regime,
                 GDateTime  *started_at,
                 guint       speed)
{
  MwExercise *self;

  g_return_val_if_fail (MW_IS_SCENARIO (scenario), NULL);
  g_return_val_if_fail (MW_IS_REGIME (regime), NULL);
  g_return_val_if_fail (started_at != NULL, NULL);

  self = g_object_new (MW_TYPE_EXERCISE, NULL);
  self->scenario = g_object_ref (scenario);
  self->regime = g_object_ref (regime);
  self->started_at = g_date_time_ref (started_at);
  self->speed = CLAMP (speed, 1, MW_EXERCISE_MAX_SPEED);
  return self;
}

MwScenario *mw_exercise_get_scenario (MwExercise *self) { return self->scenario; }
GDateTime *mw_exercise_get_started_at (MwExercise *self) { return self->started_at; }
guint mw_exercise_get_speed (MwExercise *self) { return self->speed; }

guint
mw_exercise_get_minutes (MwExercise *self,
                         GDateTime  *now)
{
  GTimeSpan elapsed = g_date_time_difference (now, self->started_at);
  gint64 minutes;

  if (elapsed <= 0)
    return 0;
  minutes = (elapsed / G_TIME_SPAN_SECOND) * (gint64) self->speed / 60;
  return (guint) MIN (minutes, (gint64) MW_SCENARIO_MAX_MINUTES);
}

GPtrArray *
mw_exercise_take_due (MwExercise *self,
                      GDateTime  *now)
{
  GPtrArray *injects = mw_scenario_get_injects (self->scenario);
  GPtrArray *due = g_ptr_array_new ();
  guint minutes = mw_exercise_get_minutes (self, now);

  while (self->next_due < injects->len &&
         ((MwInject *) g_ptr_array_index (injects, self->next_due))->at_minutes <= minutes)
    g_ptr_array_add (due, g_ptr_array_index (injects, self->next_due++));
  return due;
}

gboolean
mw_exercise_get_finished (MwExercise *self,
                          GDateTime  *now)
{
  GPtrArray *injects = mw_scenario_get_injects (self->scenario);
  const MwInject *last = g_ptr_array_index (injects, injects->len - 1);

  return mw_exercise_get_minutes (self, now) >= last->at_minutes;
}

GDateTime *
mw_exercise_dup_due_time (MwExercise     *self,
                          const MwInject *inject)
{
  GTimeSpan span = (GTimeSpan) inject->at_minutes * 60 * G_TIME_SPAN_SECOND / self->speed;

  return g_date_time_add (self->started_at, span);
}

gboolean
mw_exercise_add_filed (MwExercise          *self,
                       MwReport            *report,
                       GDateTime           *filed_at,
                       const char * const  *recipients,
                       GError             **error)
{
  Filed *filed;

  g_return_val_if_fail (MW_IS_REPORT (report), FALSE);

  if (!mw_report_get_training (report))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("the report is not marked as training: an exercise scores training reports only"));
      return FALSE;
    }
  if (self->filed->len >= MW_EXERCISE_MAX_FILED)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("an exercise scores at most %d reports"), MW_EXERCISE_MAX_FILED);
      return FALSE;
    }

  filed = g_new0 (Filed, 1);
  filed->report = mw_report_copy (report);
  filed->minutes = mw_exercise_get_minutes (self, filed_at);
  filed->recipients = recipients != NULL ? g_strdupv ((GStrv) recipients) : NULL;
  g_ptr_array_add (self->filed, filed);
  return TRUE;
}

guint mw_exercise_get_n_filed (MwExercise *self) { return self->filed->len; }

/* The earliest delivery of one report in an incident's history, and its recipients. */
static GDateTime *
first_delivery (JsonObject *report,
                GPtrArray  *recipients)
{
  JsonNode *node = json_object_get_member (report, "deliveries");
  JsonArray *deliveries = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  GDateTime *first = NULL;

  for (guint i = 0; deliveries != NULL && i < json_array_get_length (deliveries); i++)
    {
      JsonNode *element = json_array_get_element (deliveries, i);
      JsonObject *delivery = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *at = NULL;
      GDateTime *time = NULL;

      if (delivery == NULL)
        continue;
      if (json_object_has_member (delivery, "received_at") && !json_object_get_null_member (delivery, "received_at"))
        at = json_object_get_string_member (delivery, "received_at");
      else if (json_object_has_member (delivery, "filed_at") && !json_object_get_null_member (delivery, "filed_at"))
        at = json_object_get_string_member (delivery, "filed_at");
      if (at == NULL || !mw_parse_time (at, &time))
        continue;
      g_ptr_array_add (recipients, g_strdup (json_object_get_string_member_with_default (delivery, "recipient", "")));
      if (first == NULL || g_date_time_compare (time, first) < 0)
        {
          g_clear_pointer (&first, g_date_time_unref);
          first = g_steal_pointer (&time);
        }
      g_clear_pointer (&time, g_date_time_unref);
    }
  return first;
}

guint
mw_exercise_collect (MwExercise *self,
                     MwContext  *context)
{
  MwIncidents *incidents = mw_context_get_incidents (context);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (incidents));
  guint added = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwIncidentItem) item = g_list_model_get_item (G_LIST_MODEL (incidents), i);
      g_autoptr(JsonNode) history = NULL;
      JsonNode *reports_node;
      JsonArray *reports;

      if (!mw_incident_item_get_training (item))
        continue;
      history = mw_incidents_dup_history (incidents, mw_incident_item_get_incident_id (item), NULL);
      reports_node = history != NULL ? mw_json_lookup (history, "reports") : NULL;
      if (reports_node == NULL || !JSON_NODE_HOLDS_ARRAY (reports_node))
        continue;
      reports = json_node_get_array (reports_node);

      for (guint r = 0; r < json_array_get_length (reports); r++)
        {
          JsonNode *element = json_array_get_element (reports, r);
          g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GDateTime) filed_at = NULL;
          g_autofree char *jws = NULL;
          g_autoptr(GBytes) payload = NULL;
          g_autoptr(MwReport) report = NULL;
          const char *report_id;
          gsize length;
          const char *data;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          report_id = json_object_get_string_member_with_default (json_node_get_object (element), "report_id", NULL);
          filed_at = first_delivery (json_node_get_object (element), recipients);
          if (report_id == NULL || filed_at == NULL || g_date_time_compare (filed_at, self->started_at) < 0)
            continue;
          jws = mw_context_dup_signed_report (context, report_id, NULL);
          if (jws == NULL || !mw_jws_parse (jws, NULL, NULL, &payload, NULL))
            continue;
          data = g_bytes_get_data (payload, &length);
          report = mw_report_new_from_data (data, (gssize) length, "report", NULL);
          g_ptr_array_add (recipients, NULL);
          if (report != NULL &&
              mw_exercise_add_filed (self, report, filed_at, (const char * const *) recipients->pdata, NULL))
            added++;
        }
    }
  return added;
}

GPtrArray *
mw_exercise_score (MwExercise *self,
                   guint      *points,
                   guint      *max_points)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_exercise_finding_free);
  guint got = 0, max = 0;

  for (guint i = 0; i < self->filed->len; i++)
    score_report (self, g_ptr_array_index (self->filed, i), findings, &got, &max);
  score_deadlines (self, findings, &got, &max);

  if (points != NULL)
    *points = got;
  if (max_points != NULL)
    *max_points = max;
  return findings;
}
