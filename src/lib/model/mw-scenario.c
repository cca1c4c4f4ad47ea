/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-scenario"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-assessor.h"
#include "mw-data-parser.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-scenario.h"

#define MAX_IDS  64

struct _MwScenario
{
  GObject    parent_instance;

  char      *source_name;
  char      *id;
  MwLabel    title;
  MwLabel    summary;
  char      *regime;
  char      *sector;
  char      *entity_type;
  char      *provider_name;
  guint      aware_minutes;
  GPtrArray *injects;
};

G_DEFINE_FINAL_TYPE (MwScenario, mw_scenario, G_TYPE_OBJECT)

static void
inject_free (MwInject *inject)
{
  mw_label_clear (&inject->text);
  mw_label_clear (&inject->explanation);
  g_free (inject->stage);
  g_clear_pointer (&inject->facts, json_node_unref);
  g_free (inject->verdict);
  g_strfreev (inject->criteria);
  g_strfreev (inject->recipients);
  g_free (inject);
}

/* Parsing -------------------------------------------------------------------------- */

typedef struct {
  MwDataParser data;
} Parser;

/* The data-file helpers (mw-data-parser.h) on this file's parser. */
#define fail(p, path, ...) mw_data_fail (&(p)->data, (path), __VA_ARGS__)
#define valid_id(id, dots) mw_data_id_valid ((id), (dots), FALSE)
#define only_members(p, ...) mw_data_only_members (&(p)->data, __VA_ARGS__)
#define get_string(p, ...) mw_data_get_string (&(p)->data, __VA_ARGS__)
#define get_id(p, object, path, name, out) mw_data_get_id (&(p)->data, (object), (path), (name), FALSE, FALSE, (out))
#define get_label(p, ...) mw_data_get_label (&(p)->data, __VA_ARGS__)







static gboolean
get_minutes (Parser     *p,
             JsonObject *object,
             const char *path,
             const char *name,
             gboolean    required,
             guint      *out)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL)
    return required ? fail (p, path, _("“%s” is missing (minutes after the start)"), name) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (p, path, _("“%s” must be a whole number of minutes"), name);
  value = json_node_get_int (node);
  if (value < 0 || value > MW_SCENARIO_MAX_MINUTES)
    return fail (p, path, _("“%s” must be between 0 and %d minutes, not %lld"),
                 name, MW_SCENARIO_MAX_MINUTES, (long long) value);
  *out = (guint) value;
  return TRUE;
}

static gboolean
get_ids (Parser     *p,
         JsonObject *object,
         const char *path,
         const char *name,
         gboolean    dots,
         GStrv      *out)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (p, path, _("“%s” must be a list of ids (it may be empty)"), name);
  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_IDS)
    return fail (p, path, _("“%s” has more than %d entries"), name, MAX_IDS);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
          !valid_id ((id = json_node_get_string (element)), dots))
        return fail (p, path, _("“%s”: entry %u must be an id such as ncsc or ir2024-2690.art7.a"), name, i + 1);
      g_strv_builder_add (builder, id);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_facts (Parser     *p,
             JsonObject *object,
             const char *path,
             MwInject   *inject)
{
  JsonNode *node = json_object_get_member (object, "facts");
  g_autofree char *facts_path = g_strconcat (path, ".facts", NULL);
  g_autoptr(GList) names = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (p, path, _("“facts” must be an object of facts known by now (it may be empty)"));

  names = json_object_get_members (json_node_get_object (node));
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const char *type = mw_vocabulary_fact_type (name);
      JsonNode *value = json_object_get_member (json_node_get_object (node), name);
      GType value_type;

      if (type == NULL || g_str_equal (type, "derived"))
        return fail (p, facts_path, _("“%s” is not a fact Meldwijzer knows; check the spelling against the fact list"), name);
      if (!JSON_NODE_HOLDS_VALUE (value))
        return fail (p, facts_path, _("“%s” must be a value; leave an unknown fact out"), name);
      value_type = json_node_get_value_type (value);
      if ((g_str_equal (type, "bool") && value_type != G_TYPE_BOOLEAN) ||
          (g_str_equal (type, "int") && value_type != G_TYPE_INT64) ||
          (g_str_equal (type, "number") && value_type != G_TYPE_INT64 && value_type != G_TYPE_DOUBLE))
        return fail (p, facts_path, _("“%s” must be of type %s"), name, type);
      if (value_type == G_TYPE_INT64 && json_node_get_int (value) < 0)
        return fail (p, facts_path, _("“%s” must not be negative"), name);
    }

  inject->facts = json_node_copy (node);
  return TRUE;
}

static gboolean
parse_inject (Parser     *p,
              JsonObject *object,
              const char *path,
              MwInject   *inject)
{
  static const char * const known[] = { "at_minutes", "text", "expected", NULL };
  static const char * const expected_known[] = {
    "stage", "facts", "verdict", "criteria", "recipients", "explanation", NULL
  };
  JsonNode *expected = json_object_get_member (object, "expected");
  g_autofree char *expected_path = g_strconcat (path, ".expected", NULL);
  JsonObject *e;

  if (!only_members (p, object, path, known) ||
      !get_minutes (p, object, path, "at_minutes", TRUE, &inject->at_minutes) ||
      !get_label (p, object, path, "text", TRUE, &inject->text))
    return FALSE;
  if (expected == NULL || !JSON_NODE_HOLDS_OBJECT (expected))
    return fail (p, path, _("“expected” is missing (the answer expected at this inject)"));
  e = json_node_get_object (expected);

  if (!only_members (p, e, expected_path, expected_known) ||
      !get_id (p, e, expected_path, "stage", &inject->stage) ||
      !parse_facts (p, e, expected_path, inject) ||
      !get_string (p, e, expected_path, "verdict", TRUE, &inject->verdict) ||
      !get_ids (p, e, expected_path, "criteria", TRUE, &inject->criteria) ||
      !get_ids (p, e, expected_path, "recipients", FALSE, &inject->recipients) ||
      !get_label (p, e, expected_path, "explanation", TRUE, &inject->explanation))
    return FALSE;

  if (!g_str_equal (inject->verdict, "mandatory") && !g_str_equal (inject->verdict, "undetermined") &&
      !g_str_equal (inject->verdict, "voluntary"))
    return fail (p, expected_path, _("“verdict” must be mandatory, undetermined or voluntary, not “%s”"),
                 inject->verdict);
  return TRUE;
}

static gboolean
parse_scenario (Parser     *p,
                MwScenario *self,
                JsonNode   *root_node)
{
  static const char * const known[] = {
    "format", "id", "title", "summary", "regime", "sector", "entity_type", "provider_name",
    "aware_at_minutes", "injects", NULL
  };
  g_autofree char *format = NULL;
  JsonObject *root;
  JsonNode *injects_node;
  JsonArray *injects;

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    return fail (p, "$", _("a scenario file must be a JSON object"));
  root = json_node_get_object (root_node);

  if (!get_string (p, root, "$", "format", TRUE, &format))
    return FALSE;
  if (!g_str_equal (format, MW_SCENARIO_FORMAT))
    return fail (p, "format", _("“%s” is not a scenario format this version reads; expected “%s”"),
                 format, MW_SCENARIO_FORMAT);

  if (!only_members (p, root, "$", known) ||
      !get_id (p, root, "$", "id", &self->id) ||
      !get_label (p, root, "$", "title", TRUE, &self->title) ||
      !get_label (p, root, "$", "summary", TRUE, &self->summary) ||
      !get_id (p, root, "$", "regime", &self->regime) ||
      !get_id (p, root, "$", "sector", &self->sector) ||
      !get_id (p, root, "$", "entity_type", &self->entity_type) ||
      !get_string (p, root, "$", "provider_name", TRUE, &self->provider_name) ||
      !get_minutes (p, root, "$", "aware_at_minutes", TRUE, &self->aware_minutes))
    return FALSE;

  injects_node = json_object_get_member (root, "injects");
  if (injects_node == NULL || !JSON_NODE_HOLDS_ARRAY (injects_node))
    return fail (p, "$", _("“injects” is missing (a list of timed injects)"));
  injects = json_node_get_array (injects_node);
  if (json_array_get_length (injects) == 0 || json_array_get_length (injects) > MW_SCENARIO_MAX_INJECTS)
    return fail (p, "injects", _("a scenario has 1 to %d injects, not %u"),
                 MW_SCENARIO_MAX_INJECTS, json_array_get_length (injects));

  for (guint i = 0; i < json_array_get_length (injects); i++)
    {
      JsonNode *node = json_array_get_element (injects, i);
      g_autofree char *path = g_strdup_printf ("injects[%u]", i);
      MwInject *inject = g_new0 (MwInject, 1);

      g_ptr_array_add (self->injects, inject);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (p, path, _("must be an object"));
      if (!parse_inject (p, json_node_get_object (node), path, inject))
        return FALSE;
      if (i > 0 && inject->at_minutes <= ((MwInject *) g_ptr_array_index (self->injects, i - 1))->at_minutes)
        return fail (p, path, _("“at_minutes” must be later than the inject before it"));
    }

  return TRUE;
}

/* Checking against the regime ------------------------------------------------------- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* "a, b" of a sorted copy, for comparing sets and saying what differs. */
static char *
join_sorted (GPtrArray *ids)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_copy (ids, NULL, NULL);

  g_ptr_array_sort (copy, compare_strings);
  g_ptr_array_add (copy, NULL);
  return g_strjoinv (", ", (char **) copy->pdata);
}

static char *
join_strv (GStrv ids)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (array, ids[i]);
  return join_sorted (array);
}

static gboolean
check_inject (MwScenario     *self,
              MwRegime       *regime,
              const MwEntityType *type,
              const MwInject *inject,
              guint           index,
              GError        **error)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 1, 0, 0, 0);
  g_autoptr(MwReport) report = mw_scenario_dup_expected_report (self, inject, start);
  g_autoptr(MwAssessor) assessor = mw_assessor_new (regime);
  g_autoptr(MwAssessment) assessment = NULL;
  g_autoptr(GPtrArray) met = g_ptr_array_new ();
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autofree char *met_text = NULL, *met_expected = NULL;
  g_autofree char *recipients_text = NULL, *recipients_expected = NULL;
  const char *verdict;
  Parser parser = { { self->source_name, error, MW_SCENARIO_FORMAT } };
  g_autofree char *path = g_strdup_printf ("injects[%u].expected", index);
  const MwStage *stage = NULL;

  for (guint i = 0; i < type->stages->len; i++)
    if (g_str_equal (((MwStage *) g_ptr_array_index (type->stages, i))->id, inject->stage))
      stage = g_ptr_array_index (type->stages, i);
  if (stage == NULL)
    return fail (&parser, path, _("“%s” is not a stage of entity type “%s” in regime “%s”"),
                 inject->stage, self->entity_type, self->regime);
  /* A scenario never teaches a late report: the stage must still be in time here. */
  if (stage->has_deadline && stage->hours > 0 && g_strcmp0 (stage->from, "aware_at") == 0 &&
      inject->at_minutes > self->aware_minutes + (guint) stage->hours * 60)
    return fail (&parser, path, _("“%s” is due %d hours after becoming aware (minute %u); this inject at minute %u expects it late"),
                 inject->stage, stage->hours, self->aware_minutes + (guint) stage->hours * 60, inject->at_minutes);

  assessment = mw_assessor_assess (assessor, report, error);
  if (assessment == NULL)
    return FALSE;

  verdict = mw_verdict_to_string (mw_assessment_get_verdict (assessment));
  if (!g_str_equal (verdict, inject->verdict))
    return fail (&parser, path, _("the verdict for these facts is “%s”, not “%s”"), verdict, inject->verdict);

  for (guint i = 0; i < mw_assessment_get_criteria (assessment)->len; i++)
    {
      MwCriterionResult *result = g_ptr_array_index (mw_assessment_get_criteria (assessment), i);
      if (result->status == MW_STATUS_MET)
        g_ptr_array_add (met, result->criterion->id);
    }
  met_text = join_sorted (met);
  met_expected = join_strv (inject->criteria);
  if (!g_str_equal (met_text, met_expected))
    return fail (&parser, path, _("the criteria met by these facts are “%s”, not “%s”"), met_text, met_expected);

  for (guint i = 0; i < mw_assessment_get_recipients (assessment)->len; i++)
    g_ptr_array_add (recipients, ((MwRecipient *) g_ptr_array_index (mw_assessment_get_recipients (assessment), i))->id);
  recipients_text = join_sorted (recipients);
  recipients_expected = join_strv (inject->recipients);
  if (!g_str_equal (recipients_text, recipients_expected))
    return fail (&parser, path, _("the recipients for these facts are “%s”, not “%s”"),
                 recipients_text, recipients_expected);

  return TRUE;
}

/* GObject ------------------------------------------------------------------------- */

static void
mw_scenario_finalize (GObject *object)
{
  MwScenario *self = MW_SCENARIO (object);

  g_free (self->source_name);
  g_free (self->id);
  mw_label_clear (&self->title);
  mw_label_clear (&self->summary);
  g_free (self->regime);
  g_free (self->sector);
  g_free (self->entity_type);
  g_free (self->provider_name);
  g_ptr_array_unref (self->injects);
  G_OBJECT_CLASS (mw_scenario_parent_class)->finalize (object);
}

static void
mw_scenario_class_init (MwScenarioClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_scenario_finalize;
}

static void
mw_scenario_init (MwScenario *self)
{
  self->injects = g_ptr_array_new_with_free_func ((GDestroyNotify) inject_free);
}

/* Public ------------------------------------------------------------------------- */

MwScenario *
mw_scenario_new_from_data (const char  *data,
                           gssize       length,
                           const char  *source_name,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwScenario) self = NULL;
  Parser parser;

  if (source_name == NULL)
    source_name = "scenario";
  root = mw_json_parse (data, length, source_name, error);
  if (root == NULL)
    return NULL;

  self = g_object_new (MW_TYPE_SCENARIO, NULL);
  self->source_name = g_strdup (source_name);
  parser.data.file = source_name;
  parser.data.error = error;
  parser.data.format = MW_SCENARIO_FORMAT;
  if (!parse_scenario (&parser, self, root))
    return NULL;
  return g_steal_pointer (&self);
}

MwScenario *
mw_scenario_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  gsize length;
  g_autoptr(MwScenario) self = NULL;

  data = mw_file_read_bounded (path, MW_JSON_MAX_BYTES, &length, error);
  if (data == NULL)
    return NULL;
  self = mw_scenario_new_from_data (data, length, path, error);
  if (self == NULL)
    return NULL;
  if (g_str_has_suffix (basename, ".json"))
    {
      basename[strlen (basename) - 5] = '\0';
      if (!g_str_equal (basename, self->id))
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                       _("%s: id: the file declares scenario “%s”; name the file %s.json"),
                       path, self->id, self->id);
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

static char **
search_path (void)
{
  GPtrArray *dirs = g_ptr_array_new ();
  const char *env = g_getenv ("MELDWIJZER_SCENARIOS_DIR");

  if (env != NULL && *env)
    g_ptr_array_add (dirs, g_strdup (env));
  g_ptr_array_add (dirs, g_build_filename (g_get_user_data_dir (), "meldwijzer", "scenarios", NULL));
  g_ptr_array_add (dirs, g_build_filename (PKGDATADIR, "scenarios", NULL));
  g_ptr_array_add (dirs, NULL);
  return (char **) g_ptr_array_free (dirs, FALSE);
}

GStrv
mw_scenario_list_available (void)
{
  g_auto(GStrv) dirs = search_path ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[i], 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *id = NULL;
          gboolean seen = FALSE;

          if (!g_str_has_suffix (name, ".json"))
            continue;
          id = g_strndup (name, strlen (name) - 5);
          if (!valid_id (id, FALSE))
            continue;
          for (guint j = 0; j < ids->len; j++)
            seen |= g_str_equal (g_ptr_array_index (ids, j), id);
          if (!seen)
            g_ptr_array_add (ids, g_steal_pointer (&id));
        }
    }
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  g_ptr_array_set_free_func (ids, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

MwScenario *
mw_scenario_load (const char  *id,
                  GError     **error)
{
  g_auto(GStrv) dirs = NULL;
  g_auto(GStrv) available = NULL;
  g_autofree char *list = NULL;

  if (!valid_id (id, FALSE))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("“%s” is not a scenario id; use lower-case letters, digits and “-”"), id);
      return NULL;
    }
  dirs = search_path ();
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat (id, ".json", NULL);
      g_autofree char *path = g_build_filename (dirs[i], name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return mw_scenario_new_from_file (path, error);
    }
  available = mw_scenario_list_available ();
  list = g_strjoinv (", ", available);
  g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND, _("there is no scenario “%s”; available: %s"),
               id, *list ? list : _("none installed"));
  return NULL;
}

const char *mw_scenario_get_id (MwScenario *self) { return self->id; }
const MwLabel *mw_scenario_get_title (MwScenario *self) { return &self->title; }
const MwLabel *mw_scenario_get_summary (MwScenario *self) { return &self->summary; }
const char *mw_scenario_get_regime (MwScenario *self) { return self->regime; }
const char *mw_scenario_get_sector (MwScenario *self) { return self->sector; }
const char *mw_scenario_get_entity_type (MwScenario *self) { return self->entity_type; }
const char *mw_scenario_get_provider_name (MwScenario *self) { return self->provider_name; }
guint mw_scenario_get_aware_minutes (MwScenario *self) { return self->aware_minutes; }
GPtrArray *mw_scenario_get_injects (MwScenario *self) { return self->injects; }

const MwInject *
mw_scenario_lookup_inject (MwScenario *self,
                           guint       minutes)
{
  const MwInject *found = NULL;

  for (guint i = 0; i < self->injects->len; i++)
    {
      const MwInject *inject = g_ptr_array_index (self->injects, i);
      if (inject->at_minutes > minutes)
        break;
      found = inject;
    }
  return found;
}

gboolean
mw_scenario_check (MwScenario *self,
                   MwRegime   *regime,
                   GError    **error)
{
  Parser parser = { { self->source_name, error, MW_SCENARIO_FORMAT } };
  const MwEntityType *type;

  g_return_val_if_fail (MW_IS_SCENARIO (self), FALSE);
  g_return_val_if_fail (MW_IS_REGIME (regime), FALSE);

  if (!g_str_equal (mw_regime_get_id (regime), self->regime))
    return fail (&parser, "regime", _("the scenario is written for regime “%s”, not “%s”"),
                 self->regime, mw_regime_get_id (regime));
  type = mw_regime_find_entity_type (regime, self->entity_type);
  if (type == NULL)
    return fail (&parser, "entity_type", _("“%s” is not an entity type of regime “%s”"),
                 self->entity_type, self->regime);
  if (g_strcmp0 (type->sector, self->sector) != 0)
    return fail (&parser, "sector", _("entity type “%s” belongs to sector “%s”, not “%s”"),
                 self->entity_type, type->sector, self->sector);

  for (guint i = 0; i < self->injects->len; i++)
    if (!check_inject (self, regime, type, g_ptr_array_index (self->injects, i), i, error))
      return FALSE;
  return TRUE;
}

MwReport *
mw_scenario_dup_expected_report (MwScenario     *self,
                                 const MwInject *inject,
                                 GDateTime      *start)
{
  MwReport *report = mw_report_new ();
  g_autoptr(GDateTime) aware = g_date_time_add_minutes (start, self->aware_minutes);
  g_autoptr(GDateTime) at = g_date_time_add_minutes (start, inject->at_minutes);
  g_autofree char *aware_text = mw_format_time (aware);
  g_autofree char *at_text = mw_format_time (at);

  mw_report_set_training (report, TRUE);
  mw_report_set_string (report, "regime", self->regime);
  mw_report_set_string (report, "stage", inject->stage);
  mw_report_set_string (report, "provider.name", self->provider_name);
  mw_report_set_string (report, "provider.sector", self->sector);
  mw_report_set_string (report, "provider.entity_type", self->entity_type);
  mw_report_set_string (report, "timeline.aware_at", aware_text);
  mw_report_set_string (report, "created_at", at_text);
  mw_report_set_node (report, "facts", inject->facts);
  return report;
}
