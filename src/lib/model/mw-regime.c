/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-regime"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mw-data-parser.h"
#include "mw-desk-form.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-regime.h"
#include "mw-term.h"
#include "mw-vocabulary.h"

/*
 * Regime files come from outside (an authority may publish a new one), so everything is
 * checked before use and every error names the file and the JSON path. See
 * data/regimes/README.md for the format.
 */

#define MAX_LIST 1000
#define MAX_DEADLINE 10000

struct _MwRegime
{
  GObject     parent_instance;

  char       *id;
  char       *source_name;
  MwLabel     title;
  MwLabel     summary;
  char       *effective_from;
  char       *effective_until;
  gboolean    effective_uncertain;
  MwLabel     uncertainty;
  GPtrArray  *sources;        /* char* */
  GPtrArray  *recipients;     /* MwRecipient* */
  GPtrArray  *facts;          /* MwFactDef*, declared and derived */
  GPtrArray  *criteria;       /* MwCriterion* */
  GPtrArray  *exclusions;     /* MwCriterion* */
  GPtrArray  *stages;         /* MwStage* */
  GPtrArray  *entity_types;   /* MwEntityType* */
  GPtrArray  *advisories;     /* MwAdvisory* */
  GPtrArray  *required_items; /* MwRequiredItem* */
  GPtrArray  *reminders;      /* MwReminder* */
  GPtrArray  *voluntary_kinds; /* MwVoluntaryKind* */
};

G_DEFINE_FINAL_TYPE (MwRegime, mw_regime, G_TYPE_OBJECT)

/* The fact vocabulary of DOMAIN.md (contract). */
static const struct {
  const char *name;
  const char *type;
} vocabulary[] = {
  { "users_affected", "int" },
  { "users_total", "int" },
  { "unavailable_minutes", "int" },
  { "unavailable_users", "int" },
  { "degraded_minutes", "int" },
  { "degraded_users", "int" },
  { "unavailable_minutes_week", "int" },
  { "data_compromised", "bool" },
  { "data_compromised_malicious", "bool" },
  { "data_compromised_users", "int" },
  { "malicious_access_severe", "bool" },
  { "financial_loss_eur", "number" },
  { "annual_turnover_eur", "number" },
  { "max_user_damage_eur", "number" },
  { "trade_secrets_exfiltrated", "bool" },
  { "deaths", "int" },
  { "health_damage", "bool" },
  { "public_safety_risk", "bool" },
  { "physical_access_compromised", "bool" },
  { "dns_avg_response_s", "number" },
  { "dns_slow_minutes", "int" },
  { "domains_compromised", "int" },
  { "domains_total", "int" },
  { "misconfiguration", "bool" },
  { "recurring_count_6m", "int" },
  { "recurring_same_cause", "bool" },
  { "recurring_loss_eur", "number" },
  { "scheduled_maintenance", "bool" },
  { "cross_border", "bool" },
  { "personal_data_breach", "bool" },
  { "continuity_significant", "bool" },
  { "continuity_significant_potential", "bool" },
  { "user_hours_lost", "derived" },
  { "unavailable_seconds", "int" },
  { "operational_disruption_severe", "bool" },
  { "financial_loss_severe", "bool" },
  { "others_damage_considerable", "bool" },
  { "budget_unabsorbable", "bool" },
  { "serious_injuries", "int" },
  { "classified_info_accessed", "bool" },
  { "service_recipients_informed", "bool" },
};

const char *
mw_vocabulary_fact_type (const char *name)
{
  if (name == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (vocabulary); i++)
    if (g_str_equal (vocabulary[i].name, name))
      return vocabulary[i].type;
  return NULL;
}

const char * const *
mw_vocabulary_fact_names (void)
{
  static const char *names[G_N_ELEMENTS (vocabulary) + 1];

  if (names[0] == NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (vocabulary); i++)
      names[i] = vocabulary[i].name;

  return names;
}

static void
channel_free (MwChannel *channel)
{
  g_free (channel->kind);
  g_free (channel->value);
  mw_label_clear (&channel->label);
  g_free (channel->id);
  g_free (channel->source);
  g_strfreev (channel->form);
  g_free (channel->pgp_fingerprint);
  g_free (channel);
}

static void
recipient_free (MwRecipient *recipient)
{
  g_free (recipient->id);
  g_free (recipient->role);
  mw_label_clear (&recipient->name);
  g_clear_pointer (&recipient->channels, g_ptr_array_unref);
  g_free (recipient->endpoint);
  g_free (recipient->source);
  g_free (recipient->forwarded_by);
  g_free (recipient->forwarded_by_source);
  g_free (recipient);
}

static void
fact_free (MwFactDef *fact)
{
  g_free (fact->id);
  g_free (fact->type);
  mw_label_clear (&fact->label);
  mw_label_clear (&fact->unit);
  mw_label_clear (&fact->help);
  g_clear_pointer (&fact->expr, mw_expr_free);
  g_free (fact);
}

static void
criterion_free (MwCriterion *criterion)
{
  g_free (criterion->id);
  g_free (criterion->citation);
  mw_label_clear (&criterion->citation_label);
  mw_label_clear (&criterion->label);
  g_clear_pointer (&criterion->when, mw_expr_free);
  g_strfreev (criterion->excludes);
  g_free (criterion);
}

static void
stage_clear (MwStage *stage)
{
  g_free (stage->id);
  mw_label_clear (&stage->label);
  g_free (stage->from);
  g_free (stage->after_progress_from);
  g_strfreev (stage->requires);
  g_clear_pointer (&stage->adds, g_ptr_array_unref);
}

static void
stage_free (MwStage *stage)
{
  stage_clear (stage);
  g_free (stage);
}

static MwStage *
stage_copy (const MwStage *stage)
{
  MwStage *copy = g_memdup2 (stage, sizeof *stage);

  copy->id = g_strdup (stage->id);
  copy->label.en = g_strdup (stage->label.en);
  copy->label.nl = g_strdup (stage->label.nl);
  copy->from = g_strdup (stage->from);
  copy->after_progress_from = g_strdup (stage->after_progress_from);
  copy->requires = g_strdupv (stage->requires);
  copy->adds = stage->adds ? g_ptr_array_ref (stage->adds) : NULL;
  return copy;
}

static void
entity_type_free (MwEntityType *type)
{
  g_free (type->id);
  g_free (type->sector);
  mw_label_clear (&type->label);
  g_clear_pointer (&type->recipients, g_ptr_array_unref);
  g_clear_pointer (&type->criteria, g_ptr_array_unref);
  g_clear_pointer (&type->exclusions, g_ptr_array_unref);
  g_clear_pointer (&type->stages, g_ptr_array_unref);
  g_clear_pointer (&type->facts, g_ptr_array_unref);
  g_free (type);
}

static void
advisory_free (MwAdvisory *advisory)
{
  g_free (advisory->id);
  g_free (advisory->citation);
  mw_label_clear (&advisory->citation_label);
  mw_label_clear (&advisory->label);
  g_clear_pointer (&advisory->when, mw_expr_free);
  stage_clear (&advisory->deadline);
  g_strfreev (advisory->entity_types);
  g_free (advisory);
}

static void
required_item_free (MwRequiredItem *item)
{
  g_free (item->path);
  g_free (item->citation);
  mw_label_clear (&item->citation_label);
  mw_label_clear (&item->label);
  g_free (item);
}

static void
reminder_free (MwReminder *reminder)
{
  g_free (reminder->id);
  g_free (reminder->verdict);
  g_free (reminder->citation);
  mw_label_clear (&reminder->label);
  mw_label_clear (&reminder->citation_label);
  g_free (reminder);
}

static void
voluntary_kind_free (MwVoluntaryKind *rule)
{
  g_free (rule->kind);
  g_free (rule->citation);
  mw_label_clear (&rule->label);
  mw_label_clear (&rule->citation_label);
  g_free (rule);
}

static void
mw_regime_finalize (GObject *object)
{
  MwRegime *self = (MwRegime *) object;

  g_free (self->id);
  g_free (self->source_name);
  mw_label_clear (&self->title);
  mw_label_clear (&self->summary);
  g_free (self->effective_from);
  g_free (self->effective_until);
  mw_label_clear (&self->uncertainty);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  /* Entity types borrow from the other lists: free them first. */
  g_clear_pointer (&self->entity_types, g_ptr_array_unref);
  g_clear_pointer (&self->advisories, g_ptr_array_unref);
  g_clear_pointer (&self->recipients, g_ptr_array_unref);
  g_clear_pointer (&self->facts, g_ptr_array_unref);
  g_clear_pointer (&self->criteria, g_ptr_array_unref);
  g_clear_pointer (&self->exclusions, g_ptr_array_unref);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_clear_pointer (&self->required_items, g_ptr_array_unref);
  g_clear_pointer (&self->reminders, g_ptr_array_unref);
  g_clear_pointer (&self->voluntary_kinds, g_ptr_array_unref);

  G_OBJECT_CLASS (mw_regime_parent_class)->finalize (object);
}

static void
mw_regime_class_init (MwRegimeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_regime_finalize;
}

static void
mw_regime_init (MwRegime *self)
{
  self->sources = g_ptr_array_new_with_free_func (g_free);
  self->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) recipient_free);
  self->facts = g_ptr_array_new_with_free_func ((GDestroyNotify) fact_free);
  self->criteria = g_ptr_array_new_with_free_func ((GDestroyNotify) criterion_free);
  self->exclusions = g_ptr_array_new_with_free_func ((GDestroyNotify) criterion_free);
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) stage_free);
  self->entity_types = g_ptr_array_new_with_free_func ((GDestroyNotify) entity_type_free);
  self->advisories = g_ptr_array_new_with_free_func ((GDestroyNotify) advisory_free);
  self->required_items = g_ptr_array_new_with_free_func ((GDestroyNotify) required_item_free);
  self->reminders = g_ptr_array_new_with_free_func ((GDestroyNotify) reminder_free);
  self->voluntary_kinds = g_ptr_array_new_with_free_func ((GDestroyNotify) voluntary_kind_free);
}

/* Parsing -------------------------------------------------------------------------- */

typedef struct {
  MwDataParser data;
  MwRegime    *regime;
  gboolean     in_derived;
} Parser;

/* The data-file helpers (mw-data-parser.h) on this file's parser. */
#define fail(p, path, ...) mw_data_fail (&(p)->data, (path), __VA_ARGS__)
#define valid_id(id, dots, underscore) mw_data_id_valid ((id), (dots), (underscore))
#define member(object, name) mw_data_member ((object), (name))
#define get_string(p, ...) mw_data_get_string (&(p)->data, __VA_ARGS__)
#define get_id(p, ...) mw_data_get_id (&(p)->data, __VA_ARGS__)
#define get_label(p, ...) mw_data_get_label (&(p)->data, __VA_ARGS__)







/* A citation is text, or a label with the English and the Dutch way of citing. *out gets
 * the English one (for machines); label both. */
static gboolean
get_citation (Parser      *p,
              JsonObject  *object,
              const char  *path,
              gboolean     required,
              char       **out,
              MwLabel     *label)
{
  JsonNode *node = member (object, "citation");

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      if (!get_label (p, object, path, "citation", TRUE, label))
        return FALSE;
      *out = g_strdup (label->en);
      return TRUE;
    }

  if (!get_string (p, object, path, "citation", required, out))
    return FALSE;
  if (*out != NULL)
    {
      label->en = g_strdup (*out);
      label->nl = g_strdup (*out);
    }
  return TRUE;
}

static gboolean
get_boolean (Parser     *p,
             JsonObject *object,
             const char *path,
             const char *name,
             gboolean   *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (p, path, _("“%s” must be true or false"), name);
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Returns the array member, or an empty result when absent. */
static gboolean
get_array (Parser      *p,
           JsonObject  *object,
           const char  *path,
           const char  *name,
           gboolean     required,
           JsonArray  **out)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        return fail (p, path, _("“%s” is missing (a list)"), name);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (p, path, _("“%s” must be a list"), name);
  if (json_array_get_length (json_node_get_array (node)) > MAX_LIST)
    return fail (p, path, _("“%s” has more than %d entries"), name, MAX_LIST);
  *out = json_node_get_array (node);
  return TRUE;
}

static JsonObject *
element_object (Parser     *p,
                JsonArray  *array,
                guint       index,
                const char *path)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (p, path, _("must be an object"));
      return NULL;
    }
  return json_node_get_object (node);
}

static const char *
element_string (Parser     *p,
                JsonArray  *array,
                guint       index,
                const char *path)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (p, path, _("must be text"));
      return NULL;
    }
  return json_node_get_string (node);
}

/* An optional list of strings, each checked by @check (NULL: any id). */
static gboolean
get_string_list (Parser       *p,
                 JsonObject   *object,
                 const char   *path,
                 const char   *name,
                 GStrv        *out)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = NULL;

  if (!get_array (p, object, path, name, FALSE, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s.%s[%u]", path, name, i);
      const char *value = element_string (p, array, i, item_path);

      if (value == NULL)
        return FALSE;
      g_strv_builder_add (builder, value);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* A calendar date "YYYY-MM-DD". */
static gboolean
parse_date (const char *text,
            GDate      *date)
{
  guint year, month, day;

  g_date_clear (date, 1);
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static gboolean
parse_effective (Parser     *p,
                 JsonObject *root)
{
  GDate from, until;

  if (!get_string (p, root, "$", "effective_from", FALSE, &p->regime->effective_from) ||
      !get_string (p, root, "$", "effective_until", FALSE, &p->regime->effective_until))
    return FALSE;

  if (p->regime->effective_from != NULL && !parse_date (p->regime->effective_from, &from))
    return fail (p, "effective_from", _("must be a date like 2026-08-15, not “%s”"), p->regime->effective_from);
  if (p->regime->effective_until != NULL && !parse_date (p->regime->effective_until, &until))
    return fail (p, "effective_until", _("must be a date like 2026-08-14, not “%s”"), p->regime->effective_until);
  if (p->regime->effective_from != NULL && p->regime->effective_until != NULL &&
      g_date_compare (&from, &until) > 0)
    return fail (p, "effective_until", _("%s is before effective_from %s"),
                 p->regime->effective_until, p->regime->effective_from);
  return TRUE;
}

static const char *
regime_fact_type (const char *name,
                  gpointer    user_data)
{
  Parser *p = user_data;
  const MwFactDef *fact = mw_regime_find_fact (p->regime, name);

  if (fact != NULL)
    {
      /* Derived facts are built from plain facts only: no cycles. */
      if (p->in_derived && g_str_equal (fact->type, "derived"))
        return NULL;
      return fact->type;
    }

  {
    const char *type = mw_vocabulary_fact_type (name);
    /* A derived fact of the vocabulary needs its definition in the regime. */
    if (type != NULL && g_str_equal (type, "derived"))
      return NULL;
    return type;
  }
}

static MwExpr *
parse_condition (Parser     *p,
                 JsonObject *object,
                 const char *path,
                 const char *name)
{
  JsonNode *node = member (object, name);
  g_autofree char *expr_path = g_strconcat (path, ".", name, NULL);
  g_autoptr(MwExpr) expr = NULL;

  if (node == NULL)
    {
      fail (p, path, _("“%s” is missing (the condition)"), name);
      return NULL;
    }

  expr = mw_expr_parse (node, expr_path, regime_fact_type, p, NULL);
  if (expr == NULL)
    {
      /* Parse again to get the message with the file name in front. */
      g_autoptr(GError) error = NULL;
      mw_expr_parse (node, expr_path, regime_fact_type, p, &error);
      g_set_error (p->data.error, MW_ERROR, MW_ERROR_INVALID, "%s: %s", p->data.file, error->message);
      return NULL;
    }

  /* A condition must be true/false, not a number. */
  if (mw_expr_is_numeric (expr))
    {
      fail (p, expr_path, _("a condition must be true or false, not a number"));
      return NULL;
    }

  return g_steal_pointer (&expr);
}

static gboolean
timeline_field (const char *name)
{
  static const char * const fields[] = { "aware_at", "detected_at", "started_at", "resolved_at", NULL };

  return name != NULL && g_strv_contains (fields, name);
}

static gboolean
parse_deadline (Parser     *p,
                JsonObject *object,
                const char *path,
                MwStage    *stage)
{
  static const char * const units[] = { "hours", "days", "months" };
  int *fields[] = { &stage->hours, &stage->days, &stage->months };
  guint n_units = 0;

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      JsonNode *node = member (object, units[i]);
      gint64 value;

      if (node == NULL)
        continue;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        return fail (p, path, _("“%s” must be a whole number"), units[i]);
      value = json_node_get_int (node);
      if (value < 0 || value > MAX_DEADLINE)
        return fail (p, path, _("“%s” must be from 0 to %d"), units[i], MAX_DEADLINE);
      *fields[i] = (int) value;
      n_units++;
    }

  if (n_units != 1)
    return fail (p, path, _("a deadline has exactly one of “hours”, “days” or “months”"));

  if (!get_string (p, object, path, "from", TRUE, &stage->from))
    return FALSE;

  if (!timeline_field (stage->from) && !g_str_has_prefix (stage->from, "stage:"))
    return fail (p, path, _("“from” must be aware_at, detected_at, started_at, resolved_at or stage:<id>, not “%s”"),
                 stage->from);

  /* Cbw art. 29(2): after a progress report, the final report counts from the resolution. */
  if (!get_string (p, object, path, "after_progress", FALSE, &stage->after_progress_from))
    return FALSE;
  if (stage->after_progress_from != NULL && !timeline_field (stage->after_progress_from))
    return fail (p, path, _("“after_progress” must be aware_at, detected_at, started_at or resolved_at, not “%s”"),
                 stage->after_progress_from);

  stage->has_deadline = TRUE;
  return TRUE;
}

static gboolean
parse_recipients (Parser     *p,
                  JsonObject *root)
{
  static const char * const roles[] = { "csirt", "competent-authority", "advisory", NULL };
  static const char * const kinds[] = { "phone", "email", "web", "post", NULL };
  JsonArray *array;

  if (!get_array (p, root, "$", "recipients", TRUE, &array))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("recipients[%u]", i);
      JsonObject *object = element_object (p, array, i, path);
      MwRecipient *recipient;
      JsonArray *channels;

      if (object == NULL)
        return FALSE;

      recipient = g_new0 (MwRecipient, 1);
      recipient->channels = g_ptr_array_new_with_free_func ((GDestroyNotify) channel_free);
      g_ptr_array_add (p->regime->recipients, recipient);

      if (!get_id (p, object, path, "id", FALSE, FALSE, &recipient->id) ||
          !get_string (p, object, path, "role", TRUE, &recipient->role) ||
          !get_label (p, object, path, "name", TRUE, &recipient->name) ||
          !get_string (p, object, path, "endpoint", FALSE, &recipient->endpoint) ||
          !get_string (p, object, path, "source", FALSE, &recipient->source) ||
          !get_string (p, object, path, "forwarded_by", FALSE, &recipient->forwarded_by) ||
          !get_string (p, object, path, "forwarded_by_source", recipient->forwarded_by != NULL,
                       &recipient->forwarded_by_source) ||
          !get_array (p, object, path, "channels", FALSE, &channels))
        return FALSE;

      if (!g_strv_contains (roles, recipient->role))
        return fail (p, path, _("“role” must be csirt, competent-authority or advisory, not “%s”"),
                     recipient->role);

      for (guint j = 0; j < i; j++)
        if (g_str_equal (((MwRecipient *) g_ptr_array_index (p->regime->recipients, j))->id, recipient->id))
          return fail (p, path, _("the id “%s” is used twice"), recipient->id);

      if (recipient->endpoint == NULL)
        recipient->endpoint = g_strdup ("");

      for (guint j = 0; channels != NULL && j < json_array_get_length (channels); j++)
        {
          g_autofree char *channel_path = g_strdup_printf ("%s.channels[%u]", path, j);
          JsonObject *channel_object = element_object (p, channels, j, channel_path);
          MwChannel *channel;

          if (channel_object == NULL)
            return FALSE;
          channel = g_new0 (MwChannel, 1);
          g_ptr_array_add (recipient->channels, channel);
          if (!get_string (p, channel_object, channel_path, "kind", TRUE, &channel->kind) ||
              !get_string (p, channel_object, channel_path, "value", TRUE, &channel->value) ||
              !get_label (p, channel_object, channel_path, "label", FALSE, &channel->label) ||
              (member (channel_object, "id") != NULL &&
               !get_id (p, channel_object, channel_path, "id", FALSE, FALSE, &channel->id)) ||
              !get_string (p, channel_object, channel_path, "source", FALSE, &channel->source) ||
              !get_string (p, channel_object, channel_path, "pgp_fingerprint", FALSE, &channel->pgp_fingerprint) ||
              !get_string_list (p, channel_object, channel_path, "form", &channel->form))
            return FALSE;
          if (!g_strv_contains (kinds, channel->kind))
            return fail (p, channel_path, _("“kind” must be phone, email, web or post, not “%s”"), channel->kind);
          for (guint k = 0; channel->form != NULL && channel->form[k] != NULL; k++)
            if (mw_desk_form_section_title (channel->form[k]) == NULL)
              return fail (p, channel_path, _("“form” names the section “%s”, which is not one Meldwijzer knows"),
                           channel->form[k]);
        }
    }

  return TRUE;
}

/* A recipient forwarded by another names one of the regime's recipients, not itself, and
 * the forwarding one is not itself forwarded. */
static gboolean
check_forwarding (Parser *p)
{
  for (guint i = 0; i < p->regime->recipients->len; i++)
    {
      const MwRecipient *recipient = g_ptr_array_index (p->regime->recipients, i);
      const MwRecipient *by;
      g_autofree char *path = g_strdup_printf ("recipients[%u]", i);

      if (recipient->forwarded_by == NULL)
        continue;
      by = mw_regime_find_recipient (p->regime, recipient->forwarded_by);
      if (by == NULL || by == recipient || by->forwarded_by != NULL)
        return fail (p, path, _("“forwarded_by” must name another recipient of the regime that is not forwarded itself, not “%s”"),
                     recipient->forwarded_by);
    }
  return TRUE;
}

static gboolean
parse_facts (Parser     *p,
             JsonObject *root)
{
  static const char * const types[] = { "int", "number", "bool", NULL };
  JsonArray *array;

  if (!get_array (p, root, "$", "facts", FALSE, &array))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("facts[%u]", i);
      JsonObject *object = element_object (p, array, i, path);
      const char *vocabulary_type;
      MwFactDef *fact;

      if (object == NULL)
        return FALSE;

      fact = g_new0 (MwFactDef, 1);
      g_ptr_array_add (p->regime->facts, fact);
      if (!get_id (p, object, path, "id", FALSE, TRUE, &fact->id) ||
          !get_string (p, object, path, "type", TRUE, &fact->type) ||
          !get_label (p, object, path, "label", TRUE, &fact->label) ||
          !get_label (p, object, path, "unit", FALSE, &fact->unit) ||
          !get_label (p, object, path, "help", FALSE, &fact->help))
        return FALSE;

      if (!g_strv_contains (types, fact->type))
        return fail (p, path, _("“type” must be int, number or bool, not “%s”"), fact->type);

      vocabulary_type = mw_vocabulary_fact_type (fact->id);
      if (vocabulary_type != NULL && !g_str_equal (vocabulary_type, fact->type))
        return fail (p, path, _("“%s” is a fact of the vocabulary with type %s, not %s"),
                     fact->id, vocabulary_type, fact->type);

      for (guint j = 0; j + 1 < p->regime->facts->len; j++)
        if (g_str_equal (((MwFactDef *) g_ptr_array_index (p->regime->facts, j))->id, fact->id))
          return fail (p, path, _("the fact “%s” is declared twice"), fact->id);
    }

  if (!get_array (p, root, "$", "derived", FALSE, &array))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("derived[%u]", i);
      JsonObject *object = element_object (p, array, i, path);
      g_autofree char *expr_path = NULL;
      g_autoptr(GError) error = NULL;
      const char *vocabulary_type;
      MwFactDef *fact;
      JsonNode *node;

      if (object == NULL)
        return FALSE;

      fact = g_new0 (MwFactDef, 1);
      fact->type = g_strdup ("derived");
      if (!get_id (p, object, path, "id", FALSE, TRUE, &fact->id) ||
          !get_label (p, object, path, "label", TRUE, &fact->label) ||
          !get_label (p, object, path, "unit", FALSE, &fact->unit) ||
          !get_label (p, object, path, "help", FALSE, &fact->help))
        {
          fact_free (fact);
          return FALSE;
        }

      vocabulary_type = mw_vocabulary_fact_type (fact->id);
      if ((vocabulary_type != NULL && !g_str_equal (vocabulary_type, "derived")) ||
          mw_regime_find_fact (p->regime, fact->id) != NULL)
        {
          fail (p, path, _("“%s” is already a plain fact; give the derived fact another name"), fact->id);
          fact_free (fact);
          return FALSE;
        }

      node = member (object, "expr");
      expr_path = g_strconcat (path, ".expr", NULL);
      if (node == NULL)
        {
          fact_free (fact);
          return fail (p, path, _("“expr” is missing"));
        }

      p->in_derived = TRUE;
      fact->expr = mw_expr_parse (node, expr_path, regime_fact_type, p, &error);
      p->in_derived = FALSE;
      if (fact->expr == NULL)
        {
          fact_free (fact);
          g_set_error (p->data.error, MW_ERROR, MW_ERROR_INVALID, "%s: %s", p->data.file, error->message);
          return FALSE;
        }

      g_ptr_array_add (p->regime->facts, fact);
    }

  return TRUE;
}

static const MwCriterion *find_in (GPtrArray *list, const char *id);

static gboolean
parse_criteria (Parser     *p,
                JsonObject *root,
                const char *name,
                GPtrArray  *into)
{
  JsonArray *array;

  if (!get_array (p, root, "$", name, g_str_equal (name, "criteria"), &array))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", name, i);
      JsonObject *object = element_object (p, array, i, path);
      MwCriterion *criterion;

      if (object == NULL)
        return FALSE;

      criterion = g_new0 (MwCriterion, 1);
      g_ptr_array_add (into, criterion);
      if (!get_id (p, object, path, "id", TRUE, FALSE, &criterion->id) ||
          !get_citation (p, object, path, TRUE, &criterion->citation, &criterion->citation_label) ||
          !get_label (p, object, path, "label", TRUE, &criterion->label))
        return FALSE;

      if (strchr (criterion->id, '.') == NULL)
        return fail (p, path, _("a criterion id is <instrument>.<article>[.<paragraph>][.<point>], like ir2024-2690.art7.a, not “%s”"),
                     criterion->id);

      for (guint j = 0; j + 1 < p->regime->criteria->len + p->regime->exclusions->len; j++)
        {
          GPtrArray *list = j < p->regime->criteria->len ? p->regime->criteria : p->regime->exclusions;
          guint k = j < p->regime->criteria->len ? j : j - p->regime->criteria->len;
          MwCriterion *other = g_ptr_array_index (list, k);

          if (other != criterion && g_str_equal (other->id, criterion->id))
            return fail (p, path, _("the id “%s” is used twice"), criterion->id);
        }

      criterion->when = parse_condition (p, object, path, "when");
      if (criterion->when == NULL)
        return FALSE;

      /* An exclusion may lift only some criteria (2024/2690 Art. 3(2): the availability ones). */
      if (into == p->regime->exclusions)
        {
          if (!get_string_list (p, object, path, "excludes", &criterion->excludes))
            return FALSE;
          for (guint j = 0; criterion->excludes != NULL && criterion->excludes[j] != NULL; j++)
            if (find_in (p->regime->criteria, criterion->excludes[j]) == NULL)
              return fail (p, path, _("excludes: “%s” is not one of the regime’s criteria"), criterion->excludes[j]);
        }
      else if (member (object, "excludes") != NULL)
        return fail (p, path, _("“excludes” belongs to an exclusion, not to a criterion"));
    }

  return TRUE;
}

/* A list of {"path", "label", "citation"}: report fields the law asks, each with what it
 * asks in words. Into items; path is where object is (NULL: the top of the file). */
static gboolean
get_required_items (Parser     *p,
                    JsonObject *object,
                    const char *path,
                    const char *name,
                    GPtrArray  *items)
{
  JsonArray *array;

  if (!get_array (p, object, path ? path : "$", name, FALSE, &array))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = path ? g_strdup_printf ("%s.%s[%u]", path, name, i)
                                        : g_strdup_printf ("%s[%u]", name, i);
      JsonObject *item_object = element_object (p, array, i, item_path);
      MwRequiredItem *item;

      if (item_object == NULL)
        return FALSE;
      item = g_new0 (MwRequiredItem, 1);
      g_ptr_array_add (items, item);
      if (!get_string (p, item_object, item_path, "path", TRUE, &item->path) ||
          !get_citation (p, item_object, item_path, FALSE, &item->citation, &item->citation_label) ||
          !get_label (p, item_object, item_path, "label", TRUE, &item->label))
        return FALSE;
    }
  return TRUE;
}

/* A field a stage may ask for: `a|b` means either will do. */
static gboolean
stage_answer_valid (const char *path)
{
  static const char * const fields[] = {
    "timeline.started_at", "timeline.detected_at", "timeline.aware_at", "timeline.resolved_at",
    "service.id", "service.name", "service.network", "nature.summary", "nature.description",
    "nature.category", "nature.cause", "nature.suspected_unlawful", "nature.affected",
    "provider.contact", "provider.technical_contact", "recovery.status", "recovery.measures", NULL
  };
  g_auto(GStrv) alternatives = g_strsplit (path, "|", 0);

  if (alternatives[0] == NULL)
    return FALSE;
  for (guint i = 0; alternatives[i] != NULL; i++)
    if (!g_strv_contains (fields, alternatives[i]) &&
        !(g_str_has_prefix (alternatives[i], "facts.") &&
          mw_vocabulary_fact_type (alternatives[i] + strlen ("facts.")) != NULL))
      return FALSE;
  return TRUE;
}

static gboolean
parse_stages (Parser     *p,
              JsonObject *root)
{
  JsonArray *array;

  if (!get_array (p, root, "$", "stages", TRUE, &array))
    return FALSE;

  if (json_array_get_length (array) == 0)
    return fail (p, "stages", _("a regime needs at least one report stage"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("stages[%u]", i);
      JsonObject *object = element_object (p, array, i, path);
      JsonNode *deadline;
      MwStage *stage;

      if (object == NULL)
        return FALSE;

      stage = g_new0 (MwStage, 1);
      g_ptr_array_add (p->regime->stages, stage);
      if (!get_string (p, object, path, "id", TRUE, &stage->id) ||
          !get_label (p, object, path, "label", TRUE, &stage->label) ||
          !get_boolean (p, object, path, "without_delay", &stage->without_delay) ||
          !get_string_list (p, object, path, "requires", &stage->requires))
        return FALSE;

      for (guint j = 0; stage->requires != NULL && stage->requires[j] != NULL; j++)
        if (!stage_answer_valid (stage->requires[j]))
          return fail (p, path, _("“%s” in “requires” is not a report field a stage can ask for"),
                       stage->requires[j]);

      /* "adds": what this stage needs on top of the full report (the final report of Cbw
       * art. 29). With "requires" (only these answers) it would contradict itself. */
      if (member (object, "adds") != NULL)
        {
          if (stage->requires != NULL)
            return fail (p, path, _("a stage lists either “requires” (only these answers) or “adds” "
                                    "(these on top of the full report), not both"));
          stage->adds = g_ptr_array_new_with_free_func ((GDestroyNotify) required_item_free);
          if (!get_required_items (p, object, path, "adds", stage->adds))
            return FALSE;
          for (guint j = 0; j < stage->adds->len; j++)
            {
              const MwRequiredItem *item = g_ptr_array_index (stage->adds, j);

              if (!stage_answer_valid (item->path))
                return fail (p, path, _("“%s” in “adds” is not a report field a stage can ask for"),
                             item->path);
            }
        }

      if (!mw_enum_from_nick (MW_TYPE_REPORT_STAGE, stage->id, NULL))
        {
          g_autofree char *stages = mw_enum_dup_nicks (MW_TYPE_REPORT_STAGE, ", ");

          return fail (p, path, _("“%s” is not a report stage; use one of: %s"), stage->id, stages);
        }

      for (guint j = 0; j < i; j++)
        if (g_str_equal (((MwStage *) g_ptr_array_index (p->regime->stages, j))->id, stage->id))
          return fail (p, path, _("the stage “%s” is listed twice"), stage->id);

      deadline = member (object, "deadline");
      if (deadline != NULL)
        {
          g_autofree char *deadline_path = g_strconcat (path, ".deadline", NULL);

          if (!JSON_NODE_HOLDS_OBJECT (deadline))
            return fail (p, deadline_path, _("must be an object like {\"hours\": 24, \"from\": \"aware_at\"}"));
          if (!parse_deadline (p, json_node_get_object (deadline), deadline_path, stage))
            return FALSE;
        }
    }

  /* "stage:<id>" must name a stage of this regime. */
  for (guint i = 0; i < p->regime->stages->len; i++)
    {
      MwStage *stage = g_ptr_array_index (p->regime->stages, i);
      g_autofree char *path = g_strdup_printf ("stages[%u].deadline.from", i);

      if (stage->from != NULL && g_str_has_prefix (stage->from, "stage:") &&
          (mw_regime_find_stage (p->regime, stage->from + 6) == NULL ||
           g_str_equal (stage->from + 6, stage->id)))
        return fail (p, path, _("“%s” does not name another stage of this regime"), stage->from);
    }

  return TRUE;
}

static const MwCriterion *
find_in (GPtrArray  *list,
         const char *id)
{
  for (guint i = 0; i < list->len; i++)
    {
      const MwCriterion *criterion = g_ptr_array_index (list, i);
      if (g_str_equal (criterion->id, id))
        return criterion;
    }
  return NULL;
}

static gboolean
parse_entity_types (Parser     *p,
                    JsonObject *root)
{
  JsonArray *array;

  if (!get_array (p, root, "$", "entity_types", TRUE, &array))
    return FALSE;

  if (json_array_get_length (array) == 0)
    return fail (p, "entity_types", _("a regime needs at least one entity type"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("entity_types[%u]", i);
      JsonObject *object = element_object (p, array, i, path);
      JsonArray *list;
      JsonNode *overrides;
      MwEntityType *type;

      if (object == NULL)
        return FALSE;

      type = g_new0 (MwEntityType, 1);
      type->recipients = g_ptr_array_new ();
      type->criteria = g_ptr_array_new ();
      type->exclusions = g_ptr_array_new ();
      type->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) stage_free);
      type->facts = g_ptr_array_new ();
      g_ptr_array_add (p->regime->entity_types, type);

      if (!get_id (p, object, path, "id", FALSE, FALSE, &type->id) ||
          !get_string (p, object, path, "sector", FALSE, &type->sector) ||
          !get_label (p, object, path, "label", TRUE, &type->label))
        return FALSE;

      for (guint j = 0; j < i; j++)
        if (g_str_equal (((MwEntityType *) g_ptr_array_index (p->regime->entity_types, j))->id, type->id))
          return fail (p, path, _("the entity type “%s” is listed twice"), type->id);

      if (!get_array (p, object, path, "recipients", TRUE, &list))
        return FALSE;
      for (guint j = 0; j < json_array_get_length (list); j++)
        {
          g_autofree char *item_path = g_strdup_printf ("%s.recipients[%u]", path, j);
          const char *id = element_string (p, list, j, item_path);
          const MwRecipient *recipient;

          if (id == NULL)
            return FALSE;
          recipient = mw_regime_find_recipient (p->regime, id);
          if (recipient == NULL)
            return fail (p, item_path, _("“%s” is not one of the regime’s recipients"), id);
          g_ptr_array_add (type->recipients, (gpointer) recipient);
        }

      if (!get_array (p, object, path, "criteria", TRUE, &list))
        return FALSE;
      for (guint j = 0; j < json_array_get_length (list); j++)
        {
          g_autofree char *item_path = g_strdup_printf ("%s.criteria[%u]", path, j);
          const char *id = element_string (p, list, j, item_path);
          const MwCriterion *criterion;

          if (id == NULL)
            return FALSE;
          criterion = find_in (p->regime->criteria, id);
          if (criterion == NULL)
            return fail (p, item_path, _("“%s” is not one of the regime’s criteria"), id);
          g_ptr_array_add (type->criteria, (gpointer) criterion);
        }

      if (!get_array (p, object, path, "exclusions", FALSE, &list))
        return FALSE;
      for (guint j = 0; list != NULL && j < json_array_get_length (list); j++)
        {
          g_autofree char *item_path = g_strdup_printf ("%s.exclusions[%u]", path, j);
          const char *id = element_string (p, list, j, item_path);
          const MwCriterion *criterion;

          if (id == NULL)
            return FALSE;
          criterion = find_in (p->regime->exclusions, id);
          if (criterion == NULL)
            return fail (p, item_path, _("“%s” is not one of the regime’s exclusions"), id);
          g_ptr_array_add (type->exclusions, (gpointer) criterion);
        }

      if (!get_array (p, object, path, "stages", FALSE, &list))
        return FALSE;
      if (list == NULL)
        {
          for (guint j = 0; j < p->regime->stages->len; j++)
            g_ptr_array_add (type->stages, stage_copy (g_ptr_array_index (p->regime->stages, j)));
        }
      else
        for (guint j = 0; j < json_array_get_length (list); j++)
          {
            g_autofree char *item_path = g_strdup_printf ("%s.stages[%u]", path, j);
            const char *id = element_string (p, list, j, item_path);
            const MwStage *stage;

            if (id == NULL)
              return FALSE;
            stage = mw_regime_find_stage (p->regime, id);
            if (stage == NULL)
              return fail (p, item_path, _("“%s” is not one of the regime’s stages"), id);
            g_ptr_array_add (type->stages, stage_copy (stage));
          }

      overrides = member (object, "deadline_overrides");
      if (overrides != NULL)
        {
          g_autofree char *overrides_path = g_strconcat (path, ".deadline_overrides", NULL);
          g_autoptr(GList) names = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (overrides))
            return fail (p, overrides_path, _("must be an object of stage → deadline"));

          names = json_object_get_members (json_node_get_object (overrides));
          for (GList *l = names; l; l = l->next)
            {
              g_autofree char *item_path = g_strconcat (overrides_path, ".", l->data, NULL);
              JsonNode *deadline = json_object_get_member (json_node_get_object (overrides), l->data);
              MwStage *stage = NULL;

              for (guint j = 0; j < type->stages->len; j++)
                if (g_str_equal (((MwStage *) g_ptr_array_index (type->stages, j))->id, l->data))
                  stage = g_ptr_array_index (type->stages, j);
              if (stage == NULL)
                return fail (p, item_path, _("“%s” is not a stage of this entity type"), (char *) l->data);
              if (!JSON_NODE_HOLDS_OBJECT (deadline))
                return fail (p, item_path, _("must be an object like {\"hours\": 24, \"from\": \"aware_at\"}"));

              g_clear_pointer (&stage->from, g_free);
              g_clear_pointer (&stage->after_progress_from, g_free);
              stage->hours = stage->days = stage->months = 0;
              if (!parse_deadline (p, json_node_get_object (deadline), item_path, stage))
                return FALSE;
            }
        }

      if (!get_array (p, object, path, "facts", FALSE, &list))
        return FALSE;
      for (guint j = 0; list != NULL && j < json_array_get_length (list); j++)
        {
          g_autofree char *item_path = g_strdup_printf ("%s.facts[%u]", path, j);
          const char *id = element_string (p, list, j, item_path);
          const MwFactDef *fact;

          if (id == NULL)
            return FALSE;
          fact = mw_regime_find_fact (p->regime, id);
          if (fact == NULL)
            return fail (p, item_path, _("“%s” is not declared under “facts”; declare it with its type and labels"), id);
          if (g_str_equal (fact->type, "derived"))
            return fail (p, item_path, _("“%s” is computed; list the facts it is computed from instead"), id);
          g_ptr_array_add (type->facts, (gpointer) fact);
        }
    }

  return TRUE;
}

static gboolean
parse_advisories (Parser     *p,
                  JsonObject *root)
{
  JsonArray *array;

  if (!get_array (p, root, "$", "advisories", FALSE, &array))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("advisories[%u]", i);
      JsonObject *object = element_object (p, array, i, path);
      g_autofree char *recipient = NULL;
      MwAdvisory *advisory;
      JsonNode *deadline;

      if (object == NULL)
        return FALSE;

      advisory = g_new0 (MwAdvisory, 1);
      g_ptr_array_add (p->regime->advisories, advisory);
      if (!get_id (p, object, path, "id", TRUE, FALSE, &advisory->id) ||
          !get_string (p, object, path, "recipient", TRUE, &recipient) ||
          !get_citation (p, object, path, TRUE, &advisory->citation, &advisory->citation_label) ||
          !get_label (p, object, path, "label", TRUE, &advisory->label))
        return FALSE;

      advisory->recipient = (MwRecipient *) mw_regime_find_recipient (p->regime, recipient);
      if (advisory->recipient == NULL)
        return fail (p, path, _("“%s” is not one of the regime’s recipients"), recipient);

      advisory->when = parse_condition (p, object, path, "when");
      if (advisory->when == NULL)
        return FALSE;

      /* An advisory for some entity types only (DORA for banking). */
      if (!get_string_list (p, object, path, "entity_types", &advisory->entity_types))
        return FALSE;
      for (guint j = 0; advisory->entity_types != NULL && advisory->entity_types[j] != NULL; j++)
        if (mw_regime_find_entity_type (p->regime, advisory->entity_types[j]) == NULL)
          return fail (p, path, _("entity_types: “%s” is not one of the regime’s entity types"),
                       advisory->entity_types[j]);

      deadline = member (object, "deadline");
      if (deadline != NULL)
        {
          g_autofree char *deadline_path = g_strconcat (path, ".deadline", NULL);

          if (!JSON_NODE_HOLDS_OBJECT (deadline))
            return fail (p, deadline_path, _("must be an object like {\"hours\": 72, \"from\": \"aware_at\"}"));
          if (!parse_deadline (p, json_node_get_object (deadline), deadline_path, &advisory->deadline))
            return FALSE;
          if (g_str_has_prefix (advisory->deadline.from, "stage:"))
            return fail (p, deadline_path, _("an advisory deadline counts from a timeline field"));
        }
      advisory->deadline.id = g_strdup (advisory->id);
    }

  return TRUE;
}

static gboolean
parse_misc (Parser     *p,
            JsonObject *root)
{
  JsonArray *array;

  if (!get_array (p, root, "$", "sources", FALSE, &array))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("sources[%u]", i);
      JsonObject *object = element_object (p, array, i, path);
      g_autofree char *title = NULL;
      g_autofree char *url = NULL;

      if (object == NULL ||
          !get_string (p, object, path, "title", TRUE, &title) ||
          !get_string (p, object, path, "url", FALSE, &url))
        return FALSE;
      g_ptr_array_add (p->regime->sources, url ? g_strdup_printf ("%s — %s", title, url) : g_steal_pointer (&title));
    }

  if (!get_required_items (p, root, NULL, "required_items", p->regime->required_items))
    return FALSE;

  if (!get_array (p, root, "$", "reminders", FALSE, &array))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      static const char * const verdicts[] = { "mandatory", "undetermined", "voluntary", NULL };
      g_autofree char *path = g_strdup_printf ("reminders[%u]", i);
      JsonObject *object = element_object (p, array, i, path);
      MwReminder *reminder;

      if (object == NULL)
        return FALSE;
      reminder = g_new0 (MwReminder, 1);
      g_ptr_array_add (p->regime->reminders, reminder);
      if (!get_id (p, object, path, "id", TRUE, FALSE, &reminder->id) ||
          !get_string (p, object, path, "verdict", TRUE, &reminder->verdict) ||
          !get_citation (p, object, path, TRUE, &reminder->citation, &reminder->citation_label) ||
          !get_label (p, object, path, "label", TRUE, &reminder->label))
        return FALSE;
      if (!g_strv_contains (verdicts, reminder->verdict))
        return fail (p, path, _("“verdict” must be mandatory, undetermined or voluntary, not “%s”"), reminder->verdict);
    }

  if (!get_array (p, root, "$", "voluntary_kinds", FALSE, &array))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      static const char * const kinds[] = { "near-miss", "threat", NULL };
      g_autofree char *path = g_strdup_printf ("voluntary_kinds[%u]", i);
      JsonObject *object = element_object (p, array, i, path);
      MwVoluntaryKind *rule;

      if (object == NULL)
        return FALSE;
      rule = g_new0 (MwVoluntaryKind, 1);
      g_ptr_array_add (p->regime->voluntary_kinds, rule);
      if (!get_string (p, object, path, "kind", TRUE, &rule->kind) ||
          !get_citation (p, object, path, TRUE, &rule->citation, &rule->citation_label) ||
          !get_label (p, object, path, "label", TRUE, &rule->label))
        return FALSE;
      if (!g_strv_contains (kinds, rule->kind))
        return fail (p, path, _("“kind” must be near-miss or threat, not “%s”"), rule->kind);
    }

  return TRUE;
}

static gboolean
parse_regime (Parser   *p,
              JsonNode *root_node)
{
  JsonObject *root;
  g_autofree char *format = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    return fail (p, "$", _("a regime file must be a JSON object"));
  root = json_node_get_object (root_node);

  if (!get_string (p, root, "$", "format", TRUE, &format))
    return FALSE;
  if (!g_str_equal (format, MW_REGIME_FORMAT))
    return fail (p, "format", _("“%s” is not a regime format this version reads; expected “%s”"),
                 format, MW_REGIME_FORMAT);

  return get_id (p, root, "$", "id", FALSE, FALSE, &p->regime->id) &&
         get_label (p, root, "$", "title", TRUE, &p->regime->title) &&
         get_label (p, root, "$", "summary", FALSE, &p->regime->summary) &&
         parse_effective (p, root) &&
         get_boolean (p, root, "$", "effective_uncertain", &p->regime->effective_uncertain) &&
         get_label (p, root, "$", "uncertainty", p->regime->effective_uncertain, &p->regime->uncertainty) &&
         parse_recipients (p, root) &&
         check_forwarding (p) &&
         parse_facts (p, root) &&
         parse_criteria (p, root, "criteria", p->regime->criteria) &&
         parse_criteria (p, root, "exclusions", p->regime->exclusions) &&
         parse_stages (p, root) &&
         parse_entity_types (p, root) &&
         parse_advisories (p, root) &&
         parse_misc (p, root);
}

MwRegime *
mw_regime_new_from_data (const char  *data,
                         gssize       length,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwRegime) self = NULL;
  Parser parser;

  if (source_name == NULL)
    source_name = "regime";

  root = mw_json_parse (data, length, source_name, error);
  if (root == NULL)
    return NULL;

  self = g_object_new (MW_TYPE_REGIME, NULL);
  self->source_name = g_strdup (source_name);
  parser.regime = self;
  parser.data.file = source_name;
  parser.data.error = error;
  parser.data.format = MW_REGIME_FORMAT;
  parser.in_derived = FALSE;

  if (!parse_regime (&parser, root))
    return NULL;

  return g_steal_pointer (&self);
}

MwRegime *
mw_regime_new_from_file (const char  *path,
                         GError     **error)
{
  g_autoptr(JsonNode) root = mw_json_load_file (path, error);
  g_autoptr(MwRegime) self = NULL;
  g_autofree char *basename = NULL;
  Parser parser;

  if (root == NULL)
    return NULL;

  self = g_object_new (MW_TYPE_REGIME, NULL);
  self->source_name = g_strdup (path);
  parser.regime = self;
  parser.data.file = path;
  parser.data.error = error;
  parser.data.format = MW_REGIME_FORMAT;
  parser.in_derived = FALSE;

  if (!parse_regime (&parser, root))
    return NULL;

  basename = g_path_get_basename (path);
  if (g_str_has_suffix (basename, ".json"))
    {
      basename[strlen (basename) - 5] = '\0';
      if (!g_str_equal (basename, self->id))
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                       _("%s: id: the file declares regime “%s”; name the file %s.json"),
                       path, self->id, self->id);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

char **
mw_regime_search_path (void)
{
  GPtrArray *dirs = g_ptr_array_new ();
  const char *env = g_getenv ("MELDWIJZER_REGIMES_DIR");

  if (env != NULL && *env)
    g_ptr_array_add (dirs, g_strdup (env));
  g_ptr_array_add (dirs, g_build_filename (g_get_user_data_dir (), "meldwijzer", "regimes", NULL));
  g_ptr_array_add (dirs, g_build_filename (PKGDATADIR, "regimes", NULL));
  g_ptr_array_add (dirs, NULL);

  return (char **) g_ptr_array_free (dirs, FALSE);
}

/* The regimes loaded by id, by file, while the file is unchanged: the window, the profile
 * form and the session each ask for the same laws, and a regime never changes once loaded.
 * A file changed on disk (its size, time or inode) is read again. A file being read by one
 * thread (mw_regime_preload() at start-up) is waited for by another that asks for it, not
 * read twice. */
typedef struct
{
  MwRegime *regime;   /* NULL while it is being read */
  goffset   size;
  gint64    mtime_ns;
  guint64   inode;
} CachedRegime;

static GMutex      cache_lock;
static GCond       cache_read;  /* a file that was being read is read (or failed) */
static GHashTable *cache;       /* path -> CachedRegime */

static void
cached_regime_free (CachedRegime *cached)
{
  g_clear_object (&cached->regime);
  g_free (cached);
}

static MwRegime *
load_file_cached (const char  *path,
                  GError     **error)
{
  GStatBuf st;
  CachedRegime seen, *cached;
  MwRegime *regime = NULL;

  if (g_stat (path, &st) != 0)
    return mw_regime_new_from_file (path, error);
  /* The file as it is now. */
  seen = (CachedRegime) {
    .size = st.st_size,
    .mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec,
    .inode = st.st_ino,
  };

  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cached_regime_free);
  while ((cached = g_hash_table_lookup (cache, path)) != NULL && cached->regime == NULL)
    g_cond_wait (&cache_read, &cache_lock);
  if (cached != NULL && cached->size == seen.size && cached->mtime_ns == seen.mtime_ns &&
      cached->inode == seen.inode)
    {
      regime = g_object_ref (cached->regime);
      g_mutex_unlock (&cache_lock);
      return regime;
    }
  /* Being read from here on: whoever asks for it meanwhile waits for this reading. */
  cached = g_memdup2 (&seen, sizeof seen);
  g_hash_table_replace (cache, g_strdup (path), cached);
  g_mutex_unlock (&cache_lock);

  regime = mw_regime_new_from_file (path, error);

  g_mutex_lock (&cache_lock);
  if (regime != NULL)
    cached->regime = g_object_ref (regime);
  else
    g_hash_table_remove (cache, path);  /* not kept: the next one to ask reads it and hears why */
  g_cond_broadcast (&cache_read);
  g_mutex_unlock (&cache_lock);
  return regime;
}

static gpointer
preload_thread (gpointer data)
{
  g_auto(GStrv) ids = data;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      MwRegime *regime = mw_regime_load (ids[i], NULL);

      g_clear_object (&regime);
    }
  return NULL;
}

void
mw_regime_preload (const char *first_id)
{
  g_auto(GStrv) available = mw_regime_list_available ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  if (first_id != NULL)
    g_strv_builder_add (ids, first_id);
  for (guint i = 0; available[i] != NULL; i++)
    if (g_strcmp0 (available[i], first_id) != 0)
      g_strv_builder_add (ids, available[i]);
  g_thread_unref (g_thread_new ("mw-regime-preload", preload_thread, g_strv_builder_end (ids)));
}

MwRegime *
mw_regime_load (const char  *id,
                GError     **error)
{
  g_auto(GStrv) dirs = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  /* The id becomes part of a path: nothing but the id alphabet. */
  if (!valid_id (id, FALSE, FALSE))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("“%s” is not a regime id; use one such as nl-cbw, nl-wbni or nl-telecom"), id);
      return NULL;
    }

  dirs = mw_regime_search_path ();
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat (id, ".json", NULL);
      g_autofree char *path = g_build_filename (dirs[i], name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return load_file_cached (path, error);
    }

  {
    g_auto(GStrv) available = mw_regime_list_available ();
    g_autofree char *list = g_strjoinv (", ", available);

    g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND,
                 _("there is no regime “%s”; available: %s"), id, *list ? list : _("none installed"));
  }
  return NULL;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
mw_regime_list_available (void)
{
  g_auto(GStrv) dirs = mw_regime_search_path ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

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
          if (!valid_id (id, FALSE, FALSE))
            continue;
          for (guint j = 0; j < ids->len; j++)
            seen |= g_str_equal (g_ptr_array_index (ids, j), id);
          if (!seen)
            g_ptr_array_add (ids, g_steal_pointer (&id));
        }
    }

  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

/* Accessors ------------------------------------------------------------------------- */

const char *mw_regime_get_id (MwRegime *self) { return self->id; }
const char *mw_regime_get_source_name (MwRegime *self) { return self->source_name; }
const MwLabel *mw_regime_get_title (MwRegime *self) { return &self->title; }
const MwLabel *mw_regime_get_summary (MwRegime *self) { return &self->summary; }
const char *mw_regime_get_effective_from (MwRegime *self) { return self->effective_from; }
const char *mw_regime_get_effective_until (MwRegime *self) { return self->effective_until; }
GPtrArray *mw_regime_get_reminders (MwRegime *self) { return self->reminders; }
GPtrArray *mw_regime_get_voluntary_kinds (MwRegime *self) { return self->voluntary_kinds; }

const MwVoluntaryKind *
mw_regime_find_voluntary_kind (MwRegime   *self,
                               const char *kind)
{
  for (guint i = 0; kind != NULL && i < self->voluntary_kinds->len; i++)
    {
      const MwVoluntaryKind *rule = g_ptr_array_index (self->voluntary_kinds, i);
      if (g_str_equal (rule->kind, kind))
        return rule;
    }
  return NULL;
}

/* Which law applies ------------------------------------------------------------------ */

/* The date of @time on the Dutch calendar. */
static void
dutch_date (GDateTime *time,
            GDate     *date)
{
  g_autoptr(GDateTime) dutch = mw_to_dutch_time (time);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (dutch), g_date_time_get_month (dutch),
                  g_date_time_get_year (dutch));
}

gboolean
mw_regime_in_force (MwRegime  *self,
                    GDateTime *aware_at)
{
  GDate day, bound;

  g_return_val_if_fail (MW_IS_REGIME (self), FALSE);
  g_return_val_if_fail (aware_at != NULL, FALSE);

  dutch_date (aware_at, &day);
  if (self->effective_from != NULL && parse_date (self->effective_from, &bound) &&
      g_date_compare (&day, &bound) < 0)
    return FALSE;
  if (self->effective_until != NULL && parse_date (self->effective_until, &bound) &&
      g_date_compare (&day, &bound) > 0)
    return FALSE;
  return TRUE;
}

static char *
in_force_reason (MwRegime  *regime,
                 GDateTime *aware_at)
{
  g_autoptr(GDateTime) dutch = mw_to_dutch_time (aware_at);
  g_autofree char *when = g_date_time_format (dutch, "%Y-%m-%d");
  const char *title = mw_label_get (&regime->title);

  if (regime->effective_from != NULL && regime->effective_until != NULL)
    /* Translators: law title, its id, the awareness date, the dates it applies from and until */
    return g_strdup_printf (_("%s (%s) applies: the incident became known on %s, and it applies to incidents "
                              "that became known from %s up to and including %s."),
                            title, regime->id, when, regime->effective_from, regime->effective_until);
  if (regime->effective_from != NULL)
    return g_strdup_printf (_("%s (%s) applies: the incident became known on %s, on or after %s, when it came into force."),
                            title, regime->id, when, regime->effective_from);
  if (regime->effective_until != NULL)
    return g_strdup_printf (_("%s (%s) applies: the incident became known on %s, on or before %s, the last day it applies to."),
                            title, regime->id, when, regime->effective_until);
  return g_strdup_printf (_("%s (%s) applies: it has no end date."), title, regime->id);
}

MwRegime *
mw_regime_choose_in_force (GPtrArray   *regimes,
                           GDateTime   *aware_at,
                           const char  *preferred_id,
                           const char  *entity_type,
                           char       **reason)
{
  MwRegime *chosen = NULL;

  g_return_val_if_fail (regimes != NULL, NULL);
  g_return_val_if_fail (aware_at != NULL, NULL);

  if (reason != NULL)
    *reason = NULL;

  /* The preferred one, then one with the entity type, then any one in force. */
  for (guint pass = 0; pass < 3 && chosen == NULL; pass++)
    for (guint i = 0; i < regimes->len && chosen == NULL; i++)
      {
        MwRegime *regime = g_ptr_array_index (regimes, i);
        gboolean has_type = entity_type == NULL || mw_regime_find_entity_type (regime, entity_type) != NULL;

        if (!mw_regime_in_force (regime, aware_at))
          continue;
        if ((pass == 0 && preferred_id != NULL && g_str_equal (regime->id, preferred_id) && has_type) ||
            (pass == 1 && has_type) ||
            pass == 2)
          chosen = regime;
      }

  if (chosen != NULL && reason != NULL)
    *reason = in_force_reason (chosen, aware_at);
  return chosen;
}
gboolean mw_regime_get_effective_uncertain (MwRegime *self) { return self->effective_uncertain; }
const MwLabel *mw_regime_get_uncertainty (MwRegime *self) { return &self->uncertainty; }
GPtrArray *mw_regime_get_sources (MwRegime *self) { return self->sources; }
GPtrArray *mw_regime_get_recipients (MwRegime *self) { return self->recipients; }
GPtrArray *mw_regime_get_entity_types (MwRegime *self) { return self->entity_types; }
GPtrArray *mw_regime_get_facts (MwRegime *self) { return self->facts; }
GPtrArray *mw_regime_get_stages (MwRegime *self) { return self->stages; }
GPtrArray *mw_regime_get_advisories (MwRegime *self) { return self->advisories; }
GPtrArray *mw_regime_get_required_items (MwRegime *self) { return self->required_items; }

const MwRecipient *
mw_regime_find_recipient (MwRegime   *self,
                          const char *id)
{
  for (guint i = 0; id != NULL && i < self->recipients->len; i++)
    {
      const MwRecipient *recipient = g_ptr_array_index (self->recipients, i);
      if (recipient->id != NULL && g_str_equal (recipient->id, id))
        return recipient;
    }
  return NULL;
}

const char *
mw_regime_get_recipient_name (MwRegime   *self,
                              const char *id)
{
  const MwRecipient *recipient = self != NULL && id != NULL ? mw_regime_find_recipient (self, id) : NULL;
  const char *name = recipient != NULL ? mw_label_get (&recipient->name) : NULL;

  return name != NULL && *name != '\0' ? name : id;
}

char *
mw_recipient_dup_abbreviation (const MwRecipient *recipient)
{
  const char *name = mw_label_get (&recipient->name);
  const char *open = name != NULL ? strrchr (name, '(') : NULL;
  const char *close = open != NULL ? strchr (open, ')') : NULL;

  if (open == NULL || close == NULL || close - open < 2 || close - open > 16)
    return NULL;
  return g_strndup (open + 1, close - open - 1);
}

char *
mw_recipient_dup_short_name (const MwRecipient *recipient)
{
  char *abbreviation = mw_recipient_dup_abbreviation (recipient);

  if (abbreviation != NULL)
    return abbreviation;
  if (mw_label_get (&recipient->name) != NULL)
    return g_strdup (mw_label_get (&recipient->name));
  return g_strdup (recipient->id);
}

const MwEntityType *
mw_regime_find_entity_type (MwRegime   *self,
                            const char *id)
{
  for (guint i = 0; id != NULL && i < self->entity_types->len; i++)
    {
      const MwEntityType *type = g_ptr_array_index (self->entity_types, i);
      if (type->id != NULL && g_str_equal (type->id, id))
        return type;
    }
  return NULL;
}

char *
mw_regime_dup_entity_type_ids (MwRegime *self)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < self->entity_types->len; i++)
    {
      const MwEntityType *type = g_ptr_array_index (self->entity_types, i);

      g_string_append_printf (ids, "%s%s", i ? ", " : "", type->id);
    }
  return g_string_free (ids, FALSE);
}

const MwFactDef *
mw_regime_find_fact (MwRegime   *self,
                     const char *id)
{
  for (guint i = 0; id != NULL && i < self->facts->len; i++)
    {
      const MwFactDef *fact = g_ptr_array_index (self->facts, i);
      if (fact->id != NULL && g_str_equal (fact->id, id))
        return fact;
    }
  return NULL;
}

const MwStage *
mw_regime_find_stage (MwRegime   *self,
                      const char *id)
{
  for (guint i = 0; id != NULL && i < self->stages->len; i++)
    {
      const MwStage *stage = g_ptr_array_index (self->stages, i);
      if (stage->id != NULL && g_str_equal (stage->id, id))
        return stage;
    }
  return NULL;
}
