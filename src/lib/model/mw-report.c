/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "mw-error.h"
#include "mw-json.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-taxonomy.h"
#include "mw-vocabulary.h"

#define MAX_SHORT_TEXT 200
#define MAX_LONG_TEXT 20000
#define MAX_INDICATORS 1000

struct _MwReport
{
  GObject   parent_instance;
  JsonNode *root;
};

G_DEFINE_FINAL_TYPE (MwReport, mw_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REPORT_ID,
  PROP_INCIDENT_ID,
  PROP_STAGE,
  PROP_REGIME,
  PROP_ENTITY_TYPE,
  PROP_TRAINING,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_BOXED_TYPE (MwProblem, mw_problem, mw_problem_copy, mw_problem_free)

MwProblem *
mw_problem_new (const char *path,
                const char *message)
{
  MwProblem *problem = g_new0 (MwProblem, 1);

  problem->path = g_strdup (path);
  problem->message = g_strdup (message);
  return problem;
}

MwProblem *
mw_problem_copy (const MwProblem *problem)
{
  return mw_problem_new (problem->path, problem->message);
}

void
mw_problem_free (MwProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->path);
  g_free (problem->message);
  g_free (problem);
}

static void
mw_report_finalize (GObject *object)
{
  MwReport *self = (MwReport *) object;

  g_clear_pointer (&self->root, json_node_unref);

  G_OBJECT_CLASS (mw_report_parent_class)->finalize (object);
}

static void
mw_report_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MwReport *self = MW_REPORT (object);

  switch (prop_id)
    {
    case PROP_REPORT_ID:
      g_value_set_string (value, mw_report_get_report_id (self));
      break;
    case PROP_INCIDENT_ID:
      g_value_set_string (value, mw_report_get_incident_id (self));
      break;
    case PROP_STAGE:
      g_value_set_string (value, mw_report_get_stage (self));
      break;
    case PROP_REGIME:
      g_value_set_string (value, mw_report_get_regime (self));
      break;
    case PROP_ENTITY_TYPE:
      g_value_set_string (value, mw_report_get_entity_type (self));
      break;
    case PROP_TRAINING:
      g_value_set_boolean (value, mw_report_get_training (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_report_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MwReport *self = MW_REPORT (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      mw_report_set_training (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_report_class_init (MwReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_report_finalize;
  object_class->get_property = mw_report_get_property;
  object_class->set_property = mw_report_set_property;

  properties[PROP_REPORT_ID] =
    g_param_spec_string ("report-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INCIDENT_ID] =
    g_param_spec_string ("incident-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAGE] =
    g_param_spec_string ("stage", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGIME] =
    g_param_spec_string ("regime", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENTITY_TYPE] =
    g_param_spec_string ("entity-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MwReport::changed:
   * @path: the dotted path that changed
   *
   * Emitted after any value changed, detailed by its path, so that a page can listen to
   * "changed::timeline.aware_at".
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mw_report_init (MwReport *self)
{
  self->root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (self->root, json_object_new ());
}

static JsonObject *
root_object (MwReport *self)
{
  return json_node_get_object (self->root);
}

char *
mw_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) seconds = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  /* Whole seconds, with the offset: what RFC 3339 readers expect everywhere. */
  seconds = g_date_time_add (time, -(g_date_time_get_microsecond (time)));
  return g_date_time_format (seconds, "%Y-%m-%dT%H:%M:%S%:z");
}

/**
 * mw_report_new:
 *
 * A fresh draft: new report and incident ids, created now, everything else unknown.
 */
MwReport *
mw_report_new (void)
{
  MwReport *self = g_object_new (MW_TYPE_REPORT, NULL);
  JsonObject *object = root_object (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *report_id = g_uuid_string_random ();
  g_autofree char *incident_id = g_uuid_string_random ();
  g_autofree char *created_at = mw_format_time (now);

  json_object_set_string_member (object, "format", MW_REPORT_FORMAT);
  json_object_set_string_member (object, "report_id", report_id);
  json_object_set_string_member (object, "incident_id", incident_id);
  json_object_set_string_member (object, "stage",
                                 mw_enum_to_nick (MW_TYPE_REPORT_STAGE, MW_REPORT_STAGE_EARLY_WARNING));
  json_object_set_string_member (object, "kind",
                                 mw_enum_to_nick (MW_TYPE_REPORT_KIND, MW_REPORT_KIND_INCIDENT));
  json_object_set_null_member (object, "supersedes");
  json_object_set_boolean_member (object, "training", FALSE);
  json_object_set_string_member (object, "created_at", created_at);
  json_object_set_string_member (object, "regime", "nl-cbw");
  json_object_set_object_member (object, "provider", json_object_new ());
  json_object_set_object_member (object, "service", json_object_new ());
  json_object_set_object_member (object, "timeline", json_object_new ());
  json_object_set_object_member (object, "nature", json_object_new ());
  json_object_set_object_member (object, "facts", json_object_new ());
  json_object_set_object_member (object, "recovery", json_object_new ());
  json_object_set_object_member (object, "consent", json_object_new ());
  json_object_set_array_member (object, "indicators", json_array_new ());
  json_object_set_null_member (object, "personal_data_notice");

  return self;
}

MwReport *
mw_report_new_from_data (const char  *data,
                         gssize       length,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  MwReport *self;

  root = mw_json_parse (data, length, source_name, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: a report must be a JSON object (“{ … }”), not a list or a value"),
                   source_name ? source_name : _("input"));
      return NULL;
    }

  self = g_object_new (MW_TYPE_REPORT, NULL);
  g_clear_pointer (&self->root, json_node_unref);
  self->root = g_steal_pointer (&root);
  return self;
}

MwReport *
mw_report_new_from_file (const char  *path,
                         GError     **error)
{
  g_autoptr(JsonNode) root = mw_json_load_file (path, error);
  MwReport *self;

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: a report must be a JSON object (“{ … }”), not a list or a value"), path);
      return NULL;
    }

  self = g_object_new (MW_TYPE_REPORT, NULL);
  g_clear_pointer (&self->root, json_node_unref);
  self->root = g_steal_pointer (&root);
  return self;
}

MwReport *
mw_report_copy (MwReport *self)
{
  MwReport *copy;

  g_return_val_if_fail (MW_IS_REPORT (self), NULL);

  copy = g_object_new (MW_TYPE_REPORT, NULL);
  g_clear_pointer (&copy->root, json_node_unref);
  copy->root = mw_json_deep_copy (self->root);
  return copy;
}

char *
mw_report_to_json (MwReport *self)
{
  g_return_val_if_fail (MW_IS_REPORT (self), NULL);
  return mw_json_to_pretty (self->root);
}

char *
mw_report_to_canonical_json (MwReport *self)
{
  g_return_val_if_fail (MW_IS_REPORT (self), NULL);
  return mw_json_to_canonical (self->root);
}

JsonNode *
mw_report_get_root (MwReport *self)
{
  g_return_val_if_fail (MW_IS_REPORT (self), NULL);
  return self->root;
}

JsonNode *
mw_report_get_node (MwReport   *self,
                    const char *path)
{
  g_return_val_if_fail (MW_IS_REPORT (self), NULL);
  return mw_json_lookup (self->root, path);
}

const char *
mw_report_get_string (MwReport   *self,
                      const char *path)
{
  JsonNode *node = mw_report_get_node (self, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gboolean
mw_report_get_boolean (MwReport   *self,
                       const char *path,
                       gboolean   *value)
{
  JsonNode *node = mw_report_get_node (self, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  if (value != NULL)
    *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
mw_report_get_number (MwReport   *self,
                      const char *path,
                      double     *value)
{
  JsonNode *node = mw_report_get_node (self, path);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;

  if (value != NULL)
    *value = type == G_TYPE_INT64 ? (double) json_node_get_int (node) : json_node_get_double (node);
  return TRUE;
}

gboolean
mw_report_is_known (MwReport   *self,
                    const char *path)
{
  JsonNode *node = mw_report_get_node (self, path);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

/* Finds the object that holds the last part of path, creating objects on the way;
 * NULL when something on the way is not an object. */
static JsonObject *
parent_for_path (MwReport    *self,
                 const char  *path,
                 const char **last)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = root_object (self);
  guint n = g_strv_length (parts);

  g_return_val_if_fail (n > 0, NULL);

  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *child = json_object_get_member (object, parts[i]);

      if (child == NULL || JSON_NODE_HOLDS_NULL (child))
        {
          json_object_set_object_member (object, parts[i], json_object_new ());
          child = json_object_get_member (object, parts[i]);
        }
      if (!JSON_NODE_HOLDS_OBJECT (child))
        return NULL;
      object = json_node_get_object (child);
    }

  *last = path + strlen (path) - strlen (parts[n - 1]);
  return object;
}

static void
notify_path (MwReport   *self,
             const char *path)
{
  if (g_str_equal (path, "report_id"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT_ID]);
  else if (g_str_equal (path, "incident_id"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENT_ID]);
  else if (g_str_equal (path, "stage"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE]);
  else if (g_str_equal (path, "regime"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGIME]);
  else if (g_str_equal (path, "provider.entity_type"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTITY_TYPE]);
  else if (g_str_equal (path, "training"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (path), path);
}

/* Puts node (taken) at path unless it equals what is there. */
static void
set_path_node (MwReport   *self,
               const char *path,
               JsonNode   *node)
{
  g_autoptr(JsonNode) owned = node;
  const char *last = NULL;
  JsonObject *parent;
  JsonNode *current;

  g_return_if_fail (MW_IS_REPORT (self));
  g_return_if_fail (path != NULL && *path);

  parent = parent_for_path (self, path, &last);
  if (parent == NULL)
    {
      g_critical ("Cannot set “%s”: a part of the path is not an object", path);
      return;
    }

  current = json_object_get_member (parent, last);
  if (current != NULL && json_node_equal (current, owned))
    return;

  json_object_set_member (parent, last, g_steal_pointer (&owned));
  notify_path (self, path);
}

void
mw_report_set_string (MwReport   *self,
                      const char *path,
                      const char *value)
{
  JsonNode *node = json_node_alloc ();

  if (value != NULL)
    json_node_init_string (node, value);
  else
    json_node_init_null (node);
  set_path_node (self, path, node);
}

void
mw_report_set_boolean (MwReport   *self,
                       const char *path,
                       gboolean    value)
{
  set_path_node (self, path, json_node_init_boolean (json_node_alloc (), !!value));
}

void
mw_report_set_int (MwReport   *self,
                   const char *path,
                   gint64      value)
{
  set_path_node (self, path, json_node_init_int (json_node_alloc (), value));
}

void
mw_report_set_number (MwReport   *self,
                      const char *path,
                      double      value)
{
  if (value == floor (value) && fabs (value) < 9007199254740992.0)
    mw_report_set_int (self, path, (gint64) value);
  else
    set_path_node (self, path, json_node_init_double (json_node_alloc (), value));
}

void
mw_report_set_node (MwReport   *self,
                    const char *path,
                    JsonNode   *node)
{
  set_path_node (self, path, node ? mw_json_deep_copy (node) : json_node_init_null (json_node_alloc ()));
}

/**
 * mw_report_set_unknown:
 *
 * Marks a value as unknown. A fact becomes absent; any other field becomes null.
 */
void
mw_report_set_unknown (MwReport   *self,
                       const char *path)
{
  g_return_if_fail (MW_IS_REPORT (self));

  if (g_str_has_prefix (path, "facts."))
    {
      JsonNode *facts = mw_report_get_node (self, "facts");
      JsonObject *object;

      if (facts == NULL || !JSON_NODE_HOLDS_OBJECT (facts))
        return;
      object = json_node_get_object (facts);
      if (!json_object_has_member (object, path + strlen ("facts.")))
        return;
      json_object_remove_member (object, path + strlen ("facts."));
      notify_path (self, path);
      return;
    }

  if (!mw_report_is_known (self, path))
    return;
  set_path_node (self, path, json_node_init_null (json_node_alloc ()));
}

const char *
mw_report_get_report_id (MwReport *self)
{
  return mw_report_get_string (self, "report_id");
}

const char *
mw_report_get_incident_id (MwReport *self)
{
  return mw_report_get_string (self, "incident_id");
}

const char *
mw_report_get_stage (MwReport *self)
{
  return mw_report_get_string (self, "stage");
}

const char *
mw_report_get_regime (MwReport *self)
{
  return mw_report_get_string (self, "regime");
}

const char *
mw_report_get_entity_type (MwReport *self)
{
  return mw_report_get_string (self, "provider.entity_type");
}

gboolean
mw_report_get_training (MwReport *self)
{
  gboolean training = FALSE;

  mw_report_get_boolean (self, "training", &training);
  return training;
}

void
mw_report_set_training (MwReport *self,
                        gboolean  training)
{
  mw_report_set_boolean (self, "training", training);
}

/**
 * mw_report_new_follow_up:
 * @stage: the stage of the new report, e.g. "notification"
 *
 * Reports are corrected by a new version, never withdrawn: the follow-up carries over
 * everything, gets a new report id, and supersedes this report.
 */
MwReport *
mw_report_new_follow_up (MwReport   *self,
                         const char *stage)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *report_id = g_uuid_string_random ();
  g_autofree char *created_at = mw_format_time (now);
  MwReport *follow_up;

  g_return_val_if_fail (MW_IS_REPORT (self), NULL);

  follow_up = mw_report_copy (self);
  mw_report_set_string (follow_up, "supersedes", mw_report_get_report_id (self));
  mw_report_set_string (follow_up, "report_id", report_id);
  mw_report_set_string (follow_up, "created_at", created_at);
  if (stage != NULL)
    mw_report_set_string (follow_up, "stage", stage);

  return follow_up;
}

gboolean
mw_is_uuid (const char *text)
{
  static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

  if (text == NULL || strlen (text) != sizeof pattern - 1)
    return FALSE;

  for (gsize i = 0; i < sizeof pattern - 1; i++)
    {
      if (pattern[i] == '-')
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

/* RFC 3339 date-time with a mandatory offset. */
gboolean
mw_parse_time (const char  *text,
               GDateTime  **out)
{
  static GRegex *regex;
  g_autoptr(GDateTime) parsed = NULL;

  if (text == NULL)
    return FALSE;

  if (g_once_init_enter (&regex))
    {
      GRegex *r = g_regex_new ("^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}"
                               "(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$",
                               G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&regex, r);
    }

  if (!g_regex_match (regex, text, 0, NULL))
    return FALSE;

  parsed = g_date_time_new_from_iso8601 (text, NULL);
  if (parsed == NULL)
    return FALSE;

  if (out != NULL)
    *out = g_steal_pointer (&parsed);
  return TRUE;
}

/* Validation ------------------------------------------------------------------------ */

typedef struct {
  GPtrArray *problems;
  gboolean   draft;
  MwReport  *report;
  gboolean   brief;  /* the stage asks only its own answers (Cbw art. 26), not the full report */
} Check;

static void
problem (Check      *check,
         const char *path,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static void
problem (Check      *check,
         const char *path,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (check->problems, mw_problem_new (path, message));
}

/* Returns the node at path when it is present and not null; reports a missing required
 * value in a complete report. */
static JsonNode *
present (Check      *check,
         const char *path,
         gboolean    required)
{
  JsonNode *node = mw_report_get_node (check->report, path);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required && !check->draft)
        problem (check, path, _("this is required before the report can be signed; fill it in"));
      return NULL;
    }

  return node;
}

static const char *
check_string (Check      *check,
              const char *path,
              gboolean    required,
              gsize       max_length)
{
  JsonNode *node = present (check, path, required);
  const char *value;

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      problem (check, path, _("must be text, not %s"), mw_json_describe_type (node));
      return NULL;
    }

  value = json_node_get_string (node);
  if (g_utf8_strlen (value, -1) > (glong) max_length)
    {
      problem (check, path, _("is longer than %zu characters; shorten it"), max_length);
      return NULL;
    }

  if (required && !check->draft)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (value));
      if (*stripped == '\0')
        problem (check, path, _("is empty; fill it in"));
    }

  return value;
}

static void
check_enum (Check      *check,
            const char *path,
            gboolean    required,
            GType       vocabulary)
{
  const char *value = check_string (check, path, required, MAX_SHORT_TEXT);
  g_autofree char *list = NULL;

  if (value == NULL || mw_enum_from_nick (vocabulary, value, NULL))
    return;

  list = mw_enum_dup_nicks (vocabulary, ", ");
  problem (check, path, _("“%s” is not one of: %s"), value, list);
}

static void
check_uuid (Check      *check,
            const char *path,
            gboolean    required)
{
  const char *value = check_string (check, path, required, 36);

  if (value != NULL && !mw_is_uuid (value))
    problem (check, path, _("“%s” is not a UUID (like 0f8fad5b-d9cb-469f-a165-70867728950e)"), value);
}

static GDateTime *
check_time (Check      *check,
            const char *path,
            gboolean    required)
{
  const char *value = check_string (check, path, required, 64);
  GDateTime *time = NULL;

  if (value == NULL)
    return NULL;

  if (!mw_parse_time (value, &time))
    {
      problem (check, path,
               _("“%s” is not a date and time with a time zone offset, like 2026-11-22T03:10:00+01:00"),
               value);
      return NULL;
    }

  return time;
}

static void
check_boolean (Check      *check,
               const char *path,
               gboolean    required)
{
  JsonNode *node = present (check, path, required);

  if (node == NULL)
    return;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    problem (check, path, _("must be true or false (or null when not known), not %s"), mw_json_describe_type (node));
}

static JsonObject *
check_object (Check      *check,
              const char *path,
              gboolean    required)
{
  JsonNode *node = present (check, path, required);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      problem (check, path, _("must be an object (“{ … }”), not %s"), mw_json_describe_type (node));
      return NULL;
    }

  return json_node_get_object (node);
}

static void
check_members (Check              *check,
               const char         *path,
               JsonObject         *object,
               const char * const *known)
{
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return;

  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *member_path = NULL;

      if (g_strv_contains (known, name))
        continue;

      member_path = path ? g_strconcat (path, ".", name, NULL) : g_strdup (name);
      problem (check, member_path,
               _("is not part of the meldwijzer.report/1 format; check the spelling or remove it"));
    }
}

static void
check_contact (Check      *check,
               const char *path,
               gboolean    required)
{
  static const char * const known[] = { "name", "role", "email", "phone", NULL };
  g_autofree char *name_path = g_strconcat (path, ".name", NULL);
  g_autofree char *role_path = g_strconcat (path, ".role", NULL);
  g_autofree char *email_path = g_strconcat (path, ".email", NULL);
  g_autofree char *phone_path = g_strconcat (path, ".phone", NULL);
  JsonObject *object = check_object (check, path, required);
  const char *email, *phone;

  check_members (check, path, object, known);
  check_string (check, name_path, required, MAX_SHORT_TEXT);
  check_string (check, role_path, FALSE, MAX_SHORT_TEXT);
  email = check_string (check, email_path, FALSE, 254);
  phone = check_string (check, phone_path, FALSE, 32);

  if (email != NULL && *email && (strchr (email, '@') == NULL || strchr (email, ' ') != NULL ||
                                  email[0] == '@' || strchr (email, '@')[1] == '\0'))
    problem (check, email_path, _("“%s” is not an e-mail address; write it like name@example.nl"), email);

  if (phone != NULL && *phone)
    {
      for (const char *p = phone; *p; p++)
        if (!g_ascii_isdigit (*p) && !strchr ("+ -()", *p))
          {
            problem (check, phone_path,
                     _("“%s” is not a phone number; use digits, spaces and a leading + only"), phone);
            break;
          }
    }

  if (required && !check->draft && (email == NULL || !*email) && (phone == NULL || !*phone))
    problem (check, path, _("give an e-mail address or a phone number so the authority can reach you"));
}

static void
check_timeline (Check *check)
{
  static const char * const known[] = { "started_at", "detected_at", "aware_at", "resolved_at", NULL };
  JsonObject *object = check_object (check, "timeline", !check->draft);
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GDateTime) detected = NULL;
  g_autoptr(GDateTime) aware = NULL;
  g_autoptr(GDateTime) resolved = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) latest = g_date_time_add_minutes (now, 10);
  struct { const char *path; GDateTime *time; } times[4];

  check_members (check, "timeline", object, known);
  started = check_time (check, "timeline.started_at", !check->brief);
  detected = check_time (check, "timeline.detected_at", FALSE);
  aware = check_time (check, "timeline.aware_at", TRUE);
  resolved = check_time (check, "timeline.resolved_at", FALSE);

  if (started && detected && g_date_time_compare (detected, started) < 0)
    problem (check, "timeline.detected_at", _("the incident cannot be detected before it started"));
  if (started && aware && g_date_time_compare (aware, started) < 0)
    problem (check, "timeline.aware_at", _("you cannot have become aware of the incident before it started"));
  if (detected && aware && g_date_time_compare (aware, detected) < 0)
    problem (check, "timeline.aware_at",
             _("awareness comes with or after detection; check both times and their time zones"));
  if (started && resolved && g_date_time_compare (resolved, started) < 0)
    problem (check, "timeline.resolved_at", _("the incident cannot be resolved before it started"));
  if (detected && resolved && g_date_time_compare (resolved, detected) < 0)
    problem (check, "timeline.resolved_at", _("the incident cannot be resolved before it was detected"));

  times[0].path = "timeline.started_at"; times[0].time = started;
  times[1].path = "timeline.detected_at"; times[1].time = detected;
  times[2].path = "timeline.aware_at"; times[2].time = aware;
  times[3].path = "timeline.resolved_at"; times[3].time = resolved;
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    if (times[i].time && g_date_time_compare (times[i].time, latest) > 0)
      problem (check, times[i].path, _("lies in the future; check the date and the time zone"));
}

static void
check_facts (Check *check)
{
  JsonObject *object = check_object (check, "facts", FALSE);
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(GList) members = NULL;
  const char *regime_id = mw_report_get_regime (check->report);

  if (object == NULL)
    return;

  /* A regime may declare facts beyond the vocabulary. */
  if (regime_id != NULL)
    regime = mw_regime_load (regime_id, NULL);

  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *path = g_strconcat ("facts.", name, NULL);
      JsonNode *node = json_object_get_member (object, name);
      const char *type = mw_vocabulary_fact_type (name);

      if (type == NULL && regime != NULL)
        {
          const MwFactDef *def = mw_regime_find_fact (regime, name);
          if (def != NULL)
            type = def->type;
        }

      if (type == NULL)
        {
          problem (check, path, _("is not a fact Meldwijzer knows; check the spelling against the fact list"));
          continue;
        }

      if (g_str_equal (type, "derived"))
        {
          problem (check, path, _("is computed from other facts; leave it out and give those instead"));
          continue;
        }

      if (JSON_NODE_HOLDS_NULL (node))
        continue;

      if (g_str_equal (type, "bool"))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            problem (check, path, _("must be true or false, or null when not known; not %s"), mw_json_describe_type (node));
          continue;
        }

      if (!JSON_NODE_HOLDS_VALUE (node) ||
          (json_node_get_value_type (node) != G_TYPE_INT64 &&
           json_node_get_value_type (node) != G_TYPE_DOUBLE))
        {
          problem (check, path, _("must be a number, or null when not known; not %s"), mw_json_describe_type (node));
          continue;
        }

      {
        double value = json_node_get_value_type (node) == G_TYPE_INT64 ?
                       (double) json_node_get_int (node) : json_node_get_double (node);

        if (!isfinite (value) || value < 0)
          problem (check, path, _("must be zero or more; use null when it is not known"));
        else if (value > 1e15)
          problem (check, path, _("is implausibly large; check the number"));
        else if (g_str_equal (type, "int") && value != floor (value))
          problem (check, path, _("must be a whole number"));
      }
    }
}

static void
check_nature (Check *check)
{
  static const char * const known[] = { "summary", "description", "category", "cause",
                                        "suspected_unlawful", "affected", NULL };
  static const char * const aspects[] = { "availability", "integrity", "confidentiality",
                                          "authenticity", NULL };
  JsonObject *object = check_object (check, "nature", !check->draft && !check->brief);
  const char *category;
  JsonNode *affected;

  check_members (check, "nature", object, known);
  check_string (check, "nature.summary", !check->brief, MAX_SHORT_TEXT);
  check_string (check, "nature.description", FALSE, MAX_LONG_TEXT);
  category = check_string (check, "nature.category", FALSE, MAX_SHORT_TEXT);
  if (category != NULL && !mw_taxonomy_is_valid (category))
    problem (check, "nature.category",
             _("“%s” is not a class/type of the ENISA reference incident taxonomy, like availability/ddos"),
             category);
  check_enum (check, "nature.cause", FALSE, MW_TYPE_CAUSE);
  check_boolean (check, "nature.suspected_unlawful", FALSE);

  affected = present (check, "nature.affected", FALSE);
  if (affected != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (affected))
        problem (check, "nature.affected", _("must be a list such as [\"availability\"], not %s"),
                 mw_json_describe_type (affected));
      else
        {
          JsonArray *array = json_node_get_array (affected);
          g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              g_autofree char *path = g_strdup_printf ("nature.affected[%u]", i);
              const char *value;

              if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
                {
                  problem (check, path, _("must be text, not %s"), mw_json_describe_type (element));
                  continue;
                }
              value = json_node_get_string (element);
              if (!g_strv_contains (aspects, value))
                problem (check, path, _("“%s” is not one of: availability, integrity, confidentiality, authenticity"),
                         value);
              else if (!g_hash_table_add (seen, (gpointer) value))
                problem (check, path, _("“%s” is listed twice"), value);
            }
        }
    }
}

static gboolean
valid_indicator (const char *type,
                 const char *value)
{
  if (g_str_equal (type, "ipv4-addr") || g_str_equal (type, "ipv6-addr"))
    {
      g_autoptr(GInetAddress) address = NULL;
      g_autofree char *host = g_strdup (value);
      char *slash = strchr (host, '/');

      if (slash != NULL)
        {
          char *end = NULL;
          guint64 bits = g_ascii_strtoull (slash + 1, &end, 10);
          if (end == slash + 1 || *end != '\0' || bits > (g_str_equal (type, "ipv4-addr") ? 32 : 128))
            return FALSE;
          *slash = '\0';
        }
      address = g_inet_address_new_from_string (host);
      return address != NULL &&
             g_inet_address_get_family (address) ==
             (g_str_equal (type, "ipv4-addr") ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);
    }
  if (g_str_equal (type, "domain-name"))
    return *value && strlen (value) <= 253 && strchr (value, ' ') == NULL && strchr (value, '.') != NULL;
  if (g_str_equal (type, "url"))
    return g_uri_is_valid (value, G_URI_FLAGS_NONE, NULL);
  if (g_str_equal (type, "email-addr"))
    return strchr (value, '@') != NULL && strchr (value, ' ') == NULL;
  if (g_str_equal (type, "file:hashes.MD5") || g_str_equal (type, "file:hashes.SHA-1") ||
      g_str_equal (type, "file:hashes.SHA-256"))
    {
      gsize expected = g_str_has_suffix (type, "MD5") ? 32 : g_str_has_suffix (type, "SHA-1") ? 40 : 64;
      if (strlen (value) != expected)
        return FALSE;
      for (const char *p = value; *p; p++)
        if (!g_ascii_isxdigit (*p))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

static void
check_indicators (Check *check)
{
  static const char * const types[] = { "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr",
                                        "file:hashes.MD5", "file:hashes.SHA-1", "file:hashes.SHA-256", NULL };
  JsonNode *node = present (check, "indicators", FALSE);
  JsonArray *array;

  if (node == NULL)
    return;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      problem (check, "indicators", _("must be a list of {\"type\", \"value\"} objects, not %s"), mw_json_describe_type (node));
      return;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_INDICATORS)
    {
      problem (check, "indicators", _("holds more than %d indicators; attach the rest separately"), MAX_INDICATORS);
      return;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("indicators[%u]", i);
      JsonObject *object;
      const char *type, *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          problem (check, path, _("must be an object with “type” and “value”"));
          continue;
        }
      object = json_node_get_object (element);
      type = mw_json_get_string (object, "type");
      value = mw_json_get_string (object, "value");
      if (type == NULL || !g_strv_contains (types, type))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) types);
          g_autofree char *type_path = g_strconcat (path, ".type", NULL);
          problem (check, type_path, _("must be one of: %s"), list);
          continue;
        }
      if (value == NULL || strlen (value) > 2048 || !valid_indicator (type, value))
        {
          g_autofree char *value_path = g_strconcat (path, ".value", NULL);
          problem (check, value_path, _("is not a valid %s; check it for typing errors"), type);
        }
    }
}

/* A stage that lists what it `requires` (the early warning of Cbw art. 26) asks exactly
 * those answers and not the full report: the rest waits for the next stage. An answer
 * given as null ("not known yet") counts: the law asks whether, and "unknown" is honest.
 * Runs last, so a field already reported (e.g. a missing aware_at) is not reported twice. */
static void
check_stage_answers (Check              *check,
                     const char * const *asks,
                     const char         *stage_label)
{
  for (guint i = 0; asks != NULL && asks[i] != NULL; i++)
    {
      g_auto(GStrv) alternatives = g_strsplit (asks[i], "|", 0);
      gboolean given = FALSE;

      for (guint a = 0; alternatives[a] != NULL; a++)
        {
          given |= mw_report_get_node (check->report, alternatives[a]) != NULL;
          for (guint p = 0; p < check->problems->len; p++)
            given |= g_str_equal (((MwProblem *) g_ptr_array_index (check->problems, p))->path, alternatives[a]);
        }
      if (!given)
        /* Translators: %s is the stage as the regime names it, e.g. "Early warning (art. 26 Cbw)" */
        problem (check, alternatives[0], _("%s asks this; answer it (“not known yet” is an answer)"),
                 stage_label);
    }
}

/* A stage that `adds` answers to the full report (the final report of Cbw art. 29) needs
 * each of them answered: there "not known yet" (null, or the choice “unknown”) is no answer,
 * for the law asks for what was found by then: the likely root cause, the measures taken. */
static void
check_stage_adds (Check      *check,
                  GPtrArray  *adds,
                  const char *stage_label)
{
  for (guint i = 0; adds != NULL && i < adds->len; i++)
    {
      const MwRequiredItem *item = g_ptr_array_index (adds, i);
      g_auto(GStrv) alternatives = g_strsplit (item->path, "|", 0);
      gboolean given = FALSE;

      for (guint a = 0; alternatives[a] != NULL; a++)
        {
          const char *value = mw_report_get_string (check->report, alternatives[a]);

          given |= mw_report_is_known (check->report, alternatives[a]) && g_strcmp0 (value, "unknown") != 0;
          for (guint p = 0; p < check->problems->len; p++)
            given |= g_str_equal (((MwProblem *) g_ptr_array_index (check->problems, p))->path, alternatives[a]);
        }
      if (given)
        continue;
      if (item->citation != NULL)
        /* Translators: the first %s is the stage as the regime names it, e.g. "Final report
         * (art. 29 Cbw)"; the second what it asks, e.g. "the mitigation measures applied and
         * ongoing"; the third the article, e.g. "NIS2 Art. 23(4)(d)(iii)" */
        problem (check, alternatives[0], _("%s asks for %s (%s); fill it in: “not known yet” is no answer in this report"),
                 stage_label, mw_label_get (&item->label), mw_label_get (&item->citation_label));
      else
        /* Translators: the first %s is the stage as the regime names it, e.g. "Final report
         * (art. 29 Cbw)"; the second what it asks, e.g. "the mitigation measures applied and ongoing" */
        problem (check, alternatives[0], _("%s asks for %s; fill it in: “not known yet” is no answer in this report"),
                 stage_label, mw_label_get (&item->label));
    }
}

GPtrArray *
mw_report_validate (MwReport        *self,
                    MwValidateFlags  flags)
{
  static const char * const known[] = {
    "format", "report_id", "incident_id", "stage", "kind", "supersedes", "training", "created_at",
    "regime", "provider", "service", "timeline", "nature", "facts", "recovery", "consent",
    "indicators", "personal_data_notice", NULL
  };
  static const char * const provider_known[] = { "name", "registration", "sector", "entity_type",
                                                 "contact", "technical_contact", NULL };
  static const char * const service_known[] = { "id", "name", "network", NULL };
  static const char * const recovery_known[] = { "status", "forecast_at", "measures",
                                                 "csirt_help_requested", NULL };
  static const char * const consent_known[] = { "csirt_may_share_identifiable",
                                                "csirt_may_consult_regulator", NULL };
  Check check = { g_ptr_array_new_with_free_func ((GDestroyNotify) mw_problem_free),
                  (flags & MW_VALIDATE_DRAFT) != 0, self };
  g_autoptr(GDateTime) created_at = NULL;
  g_auto(GStrv) stage_asks = NULL;
  g_autoptr(GPtrArray) stage_adds = NULL;
  g_autofree char *stage_label = NULL;
  const char *format, *regime, *supersedes, *stage_id;
  JsonObject *object;

  g_return_val_if_fail (MW_IS_REPORT (self), NULL);

  check_members (&check, NULL, root_object (self), known);

  format = check_string (&check, "format", TRUE, 64);
  if (format != NULL && !g_str_equal (format, MW_REPORT_FORMAT))
    problem (&check, "format", _("“%s” is not a format this version reads; expected “%s”"),
             format, MW_REPORT_FORMAT);

  check_uuid (&check, "report_id", TRUE);
  check_uuid (&check, "incident_id", TRUE);
  check_enum (&check, "stage", TRUE, MW_TYPE_REPORT_STAGE);
  stage_id = mw_report_get_stage (self);
  check_enum (&check, "kind", TRUE, MW_TYPE_REPORT_KIND);
  check_uuid (&check, "supersedes", FALSE);
  supersedes = mw_report_get_string (self, "supersedes");
  if (supersedes != NULL && g_strcmp0 (supersedes, mw_report_get_report_id (self)) == 0)
    problem (&check, "supersedes", _("a report cannot supersede itself; give the id of the previous report"));
  check_boolean (&check, "training", TRUE);
  created_at = check_time (&check, "created_at", TRUE);

  regime = check_string (&check, "regime", TRUE, 64);
  if (regime != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwRegime) loaded = mw_regime_load (regime, &error);

      if (loaded == NULL)
        problem (&check, "regime", "%s", error->message);
      else
        {
          const char *entity_type = mw_report_get_entity_type (self);
          const MwStage *stage;

          if (entity_type != NULL && mw_regime_find_entity_type (loaded, entity_type) == NULL)
            {
              g_autofree char *list = mw_regime_dup_entity_type_ids (loaded);

              problem (&check, "provider.entity_type",
                       _("“%s” is not an entity type of regime %s; use one of: %s"),
                       entity_type, regime, list);
            }

          /* What the law requires in every report of this regime (e.g. Tw art. 11a.2). */
          if (!check.draft)
            for (guint i = 0; i < mw_regime_get_required_items (loaded)->len; i++)
              {
                const MwRequiredItem *item = g_ptr_array_index (mw_regime_get_required_items (loaded), i);

                g_auto(GStrv) alternatives = g_strsplit (item->path, "|", 0);
                gboolean given = FALSE;

                for (guint a = 0; alternatives[a] != NULL; a++)
                  given |= mw_report_is_known (self, alternatives[a]);
                if (!given)
                  problem (&check, alternatives[0], _("%s requires this (%s); fill it in"),
                           item->citation ? mw_label_get (&item->citation_label) : regime, mw_label_get (&item->label));
              }

          stage = stage_id != NULL ? mw_regime_find_stage (loaded, stage_id) : NULL;
          if (stage != NULL && stage->requires != NULL)
            {
              check.brief = TRUE;
              stage_asks = g_strdupv (stage->requires);
              stage_label = g_strdup (mw_label_get (&stage->label));
            }
          else if (stage != NULL && stage->adds != NULL)
            {
              stage_adds = g_ptr_array_ref (stage->adds);
              stage_label = g_strdup (mw_label_get (&stage->label));
            }
        }
    }

  object = check_object (&check, "provider", TRUE);
  check_members (&check, "provider", object, provider_known);
  check_string (&check, "provider.name", TRUE, MAX_SHORT_TEXT);
  check_string (&check, "provider.registration", FALSE, 64);
  check_string (&check, "provider.sector", FALSE, 64);
  check_string (&check, "provider.entity_type", TRUE, 64);
  check_contact (&check, "provider.contact", TRUE);
  if (present (&check, "provider.technical_contact", FALSE) != NULL)
    check_contact (&check, "provider.technical_contact", FALSE);

  object = check_object (&check, "service", FALSE);
  check_members (&check, "service", object, service_known);
  check_string (&check, "service.id", FALSE, 64);
  check_string (&check, "service.name", FALSE, MAX_SHORT_TEXT);
  check_string (&check, "service.network", FALSE, MAX_SHORT_TEXT);

  check_timeline (&check);
  check_nature (&check);
  check_facts (&check);

  object = check_object (&check, "recovery", FALSE);
  check_members (&check, "recovery", object, recovery_known);
  check_enum (&check, "recovery.status", !check.brief, MW_TYPE_RECOVERY_STATUS);
  {
    g_autoptr(GDateTime) forecast = check_time (&check, "recovery.forecast_at", FALSE);
    g_autoptr(GDateTime) started = NULL;

    if (forecast != NULL && mw_parse_time (mw_report_get_string (self, "timeline.started_at"), &started) &&
        g_date_time_compare (forecast, started) < 0)
      problem (&check, "recovery.forecast_at", _("the service cannot be restored before the incident started"));
  }
  check_string (&check, "recovery.measures", FALSE, MAX_LONG_TEXT);
  check_boolean (&check, "recovery.csirt_help_requested", FALSE);

  object = check_object (&check, "consent", FALSE);
  check_members (&check, "consent", object, consent_known);
  check_boolean (&check, "consent.csirt_may_share_identifiable", FALSE);
  check_boolean (&check, "consent.csirt_may_consult_regulator", FALSE);

  check_indicators (&check);
  check_string (&check, "personal_data_notice", FALSE, MAX_LONG_TEXT);

  if (!check.draft)
    {
      check_stage_answers (&check, (const char * const *) stage_asks, stage_label);
      check_stage_adds (&check, stage_adds, stage_label);
    }

  return check.problems;
}

/* Special categories of personal data (GDPR Art. 9 and 10) must be filtered out before a
 * report goes to the NCSC. This is a warning aid, not a classifier: it looks for words. */
static const struct {
  const char *category;
  const char *words[16];
} sensitive_words[] = {
  { N_("health"), { "diagnos", "medical", "medisch", "patient", "patiënt", "ziekte", "illness",
                    "zwanger", "pregnan", "hiv", "kanker", "cancer", "psychiat", "medicatie", "medication", NULL } },
  { N_("religion or belief"), { "religion", "religie", "geloof", "moslim", "muslim", "christen",
                                "christian", "jewish", "joods", "kerkgenootschap", NULL } },
  { N_("ethnic origin"), { "ethnic", "etnisch", "afkomst", "race ", "ras ", NULL } },
  { N_("sexual orientation"), { "sexual orientation", "seksuele geaardheid", "homosek", "homosex",
                                "lesbi", "transgender", NULL } },
  { N_("political opinions"), { "political opinion", "politieke voorkeur", "partijlid", "party member", NULL } },
  { N_("trade union membership"), { "trade union", "vakbond", NULL } },
  { N_("genetic or biometric data"), { "genetic", "genetisch", "biometri", "fingerprint", "vingerafdruk",
                                       "dna", NULL } },
  { N_("criminal records"), { "criminal record", "strafblad", "conviction", "veroordeling", "strafrechtelijk", NULL } },
};

/* A Dutch citizen service number (BSN) passes the "elfproef". */
static gboolean
contains_bsn (const char *text)
{
  for (const char *p = text; *p; p++)
    {
      int sum = 0;
      gsize i;

      if (!g_ascii_isdigit (*p) || (p > text && g_ascii_isdigit (p[-1])))
        continue;
      for (i = 0; i < 9 && g_ascii_isdigit (p[i]); i++)
        sum += (i < 8 ? (9 - (int) i) : -1) * (p[i] - '0');
      if (i == 9 && !g_ascii_isdigit (p[9]) && sum % 11 == 0 && sum != 0)
        return TRUE;
    }
  return FALSE;
}

GPtrArray *
mw_report_find_sensitive_text (MwReport *self)
{
  static const char * const paths[] = { "nature.summary", "nature.description", "recovery.measures",
                                        "personal_data_notice", NULL };
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_problem_free);

  g_return_val_if_fail (MW_IS_REPORT (self), found);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      const char *text = mw_report_get_string (self, paths[i]);
      g_autofree char *folded = NULL;

      if (text == NULL)
        continue;
      folded = g_utf8_strdown (text, -1);

      for (guint c = 0; c < G_N_ELEMENTS (sensitive_words); c++)
        for (guint w = 0; sensitive_words[c].words[w] != NULL; w++)
          if (strstr (folded, sensitive_words[c].words[w]) != NULL)
            {
              g_autofree char *message =
                g_strdup_printf (_("may mention %s (“%s”); special categories of personal data must not be sent to the NCSC — remove or generalise it"),
                                 _(sensitive_words[c].category), sensitive_words[c].words[w]);
              g_ptr_array_add (found, mw_problem_new (paths[i], message));
              break;  /* one warning per category is enough */
            }
      if (contains_bsn (text))
        g_ptr_array_add (found, mw_problem_new (paths[i],
                         _("seems to hold a citizen service number (BSN); remove it before sending")));
    }

  return found;
}
