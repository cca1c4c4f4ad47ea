/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-desk-form"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-desk-form.h"
#include "mw-regime.h"
#include "mw-taxonomy.h"
#include "mw-term.h"
#include "mw-vocabulary.h"

/* One question of a section: where the report holds the answer. */
typedef struct {
  const char *section;
  const char *label;  /* N_() */
  const char *path;   /* a dotted report path, or a special one below */
} Question;

/* The order within a section follows the NCSC's form where it was read (see the regime's
 * channel "source"); the rest follows Cbw arts. 26–27. */
static const Question questions[] = {
  { "organisation", N_("Company name"), "provider.name" },
  { "organisation", N_("Chamber of Commerce number"), "provider.registration" },
  { "sector", N_("Sector"), "provider.sector" },
  { "sector", N_("Kind of entity"), "provider.entity_type" },
  { "notifier", N_("Name of the notifier"), "provider.contact.name" },
  { "notifier", N_("Job title"), "provider.contact.role" },
  { "notifier", N_("Email address"), "provider.contact.email" },
  { "notifier", N_("Telephone number"), "provider.contact.phone" },
  { "notifier", N_("Technical contact"), "provider.technical_contact.name" },
  { "notifier", N_("Technical contact’s email address"), "provider.technical_contact.email" },
  { "notifier", N_("Technical contact’s telephone number"), "provider.technical_contact.phone" },
  { "significance", N_("Kind of report"), "kind" },
  { "significance", N_("Stage"), "stage" },
  { "status", N_("Status of the incident"), "recovery.status" },
  { "status", N_("Measures taken"), "recovery.measures" },
  { "times", N_("Started at"), "timeline.started_at" },
  { "times", N_("Detected at"), "timeline.detected_at" },
  { "times", N_("Aware since"), "timeline.aware_at" },
  { "times", N_("Resolved at"), "timeline.resolved_at" },
  { "times", N_("Expected recovery"), "recovery.forecast_at" },
  { "description", N_("Summary"), "nature.summary" },
  { "description", N_("Description"), "nature.description" },
  { "description", N_("Category"), "nature.category" },
  { "description", N_("Cause"), "nature.cause" },
  { "description", N_("Suspected unlawful or malicious"), "nature.suspected_unlawful" },
  { "impact", N_("Service affected"), "service.name" },
  { "impact", N_("Network or system"), "service.network" },
  { "impact", N_("Facts"), "@facts" },
  { "cross-border", N_("Possible cross-border effects"), "facts.cross_border" },
  { "indicators", N_("Indicators of compromise"), "@indicators" },
};

static const struct {
  const char *id;
  const char *title;  /* N_() */
} sections[] = {
  { "organisation", N_("Organisation") },
  { "sector", N_("Sector and kind of entity") },
  { "notifier", N_("Who notifies the incident") },
  { "significance", N_("Voluntary or significant") },
  { "status", N_("Status of the incident") },
  { "times", N_("Times") },
  { "description", N_("Description") },
  { "impact", N_("Impact") },
  { "cross-border", N_("Cross-border effects") },
  { "indicators", N_("Indicators") },
};

void
mw_desk_answer_free (MwDeskAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->section);
  g_free (answer->label);
  g_free (answer->value);
  g_free (answer);
}

const char *
mw_desk_form_section_title (const char *section)
{
  for (gsize i = 0; section != NULL && i < G_N_ELEMENTS (sections); i++)
    if (g_str_equal (sections[i].id, section))
      return _(sections[i].title);
  return NULL;
}

/* A time for the form: in Dutch time, as a person reads it. */
static char *
format_time (const char *text)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) dutch = NULL;

  if (!mw_parse_time (text, &time))
    return g_strdup (text);
  dutch = mw_to_dutch_time (time);
  return g_date_time_format (dutch, "%Y-%m-%d %H:%M %:z");
}

static char *
format_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node))
    switch (json_node_get_value_type (node))
      {
      case G_TYPE_STRING:
        return g_strdup (json_node_get_string (node));
      case G_TYPE_BOOLEAN:
        return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
      case G_TYPE_INT64:
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      case G_TYPE_DOUBLE:
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", json_node_get_double (node)));
        }
      default:
        return NULL;
      }
  return json_to_string (node, FALSE);
}

/* Every known fact as "question: value", one a line, in the words of the regime. */
static char *
format_facts (MwReport *report,
              MwRegime *regime)
{
  JsonNode *node = mw_report_get_node (report, "facts");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) names = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  names = json_object_get_members (json_node_get_object (node));
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *value = format_node (json_object_get_member (json_node_get_object (node), l->data));

      const MwFactDef *fact = regime ? mw_regime_find_fact (regime, l->data) : NULL;
      const char *name = fact ? mw_label_get (&fact->label) : NULL;

      if (value != NULL && !g_str_equal (l->data, "cross_border"))
        g_string_append_printf (text, "%s%s: %s", text->len ? "\n" : "",
                                name != NULL && *name != '\0' ? name : (const char *) l->data, value);
    }
  return text->len ? g_strdup (text->str) : NULL;
}

/* Each indicator as "type: value", one a line. */
static char *
format_indicators (MwReport *report)
{
  JsonNode *node = mw_report_get_node (report, "indicators");
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *type = object && json_object_has_member (object, "type") ?
                         json_object_get_string_member_with_default (object, "type", NULL) : NULL;
      const char *value = object ? json_object_get_string_member_with_default (object, "value", NULL) : NULL;

      if (value != NULL)
        g_string_append_printf (text, "%s%s%s%s", text->len ? "\n" : "", type ? type : "", type ? ": " : "", value);
    }
  return text->len ? g_strdup (text->str) : NULL;
}

/* The sectors of the regimes' entity types (the annexes of NIS2 and the Cbw) in words. */
static const struct
{
  const char *id;
  const char *name;  /* N_() */
} sector_names[] = {
  { "banking", N_("Banking") },
  { "chemicals", N_("Chemicals") },
  { "digital-infrastructure", N_("Digital infrastructure") },
  { "digital-providers", N_("Digital providers") },
  { "digital-service-providers", N_("Digital service providers") },
  { "drinking-water", N_("Drinking water") },
  { "energy", N_("Energy") },
  { "financial-market-infrastructure", N_("Financial market infrastructure") },
  { "food", N_("Food") },
  { "government", N_("Public administration") },
  { "health", N_("Health") },
  { "ict-service-management", N_("ICT service management (business-to-business)") },
  { "manufacturing", N_("Manufacturing") },
  { "postal", N_("Postal and courier services") },
  { "research", N_("Research") },
  { "space", N_("Space") },
  { "transport", N_("Transport") },
  { "vital", N_("Vital provider") },
  { "waste-management", N_("Waste management") },
  { "waste-water", N_("Waste water") },
};

/* A value of a vocabulary in words, the regime's where it has them, or NULL. */
static char *
in_words (MwRegime   *regime,
          const char *path,
          const char *value)
{
  static const struct { const char *path; GType (*type) (void); } vocabularies[] = {
    { "kind", mw_report_kind_get_type },
    { "stage", mw_report_stage_get_type },
    { "recovery.status", mw_recovery_status_get_type },
    { "nature.cause", mw_cause_get_type },
  };
  const char *label = NULL;

  if (g_str_equal (path, "provider.entity_type") && regime != NULL)
    {
      const MwEntityType *type = mw_regime_find_entity_type (regime, value);

      label = type ? mw_label_get (&type->label) : NULL;
    }
  else if (g_str_equal (path, "stage") && regime != NULL && mw_regime_find_stage (regime, value) != NULL)
    label = mw_label_get (&mw_regime_find_stage (regime, value)->label);
  else if (g_str_equal (path, "nature.category") && mw_taxonomy_lookup (value) != NULL)
    label = mw_taxonomy_entry_get_type_label (mw_taxonomy_lookup (value));
  else if (g_str_equal (path, "provider.sector"))
    for (gsize i = 0; i < G_N_ELEMENTS (sector_names); i++)
      if (g_str_equal (value, sector_names[i].id))
        label = _(sector_names[i].name);
  if (label != NULL && *label != '\0')
    return g_strdup (label);

  for (gsize i = 0; i < G_N_ELEMENTS (vocabularies); i++)
    {
      int nick;

      if (g_str_equal (path, vocabularies[i].path) && mw_enum_from_nick (vocabularies[i].type (), value, &nick))
        return g_strdup (mw_enum_get_display_name (vocabularies[i].type (), nick));
    }
  return NULL;
}

static char *
answer_for (MwReport       *report,
            MwRegime       *regime,
            const Question *question)
{
  g_autofree char *value = NULL;
  char *words;

  if (g_str_equal (question->path, "@facts"))
    return format_facts (report, regime);
  if (g_str_equal (question->path, "@indicators"))
    return format_indicators (report);

  value = format_node (mw_report_get_node (report, question->path));
  if (value == NULL || *value == '\0')
    return NULL;
  if (g_str_has_prefix (question->path, "timeline.") || g_str_has_suffix (question->path, "_at"))
    return format_time (value);
  /* What the form is filled in with is words, never an identifier of the report format. */
  if ((words = in_words (regime, question->path, value)) != NULL)
    return words;
  return g_steal_pointer (&value);
}

GPtrArray *
mw_desk_form_answers (MwReport           *report,
                      const char * const *order)
{
  GPtrArray *answers = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_desk_answer_free);
  const char *all[G_N_ELEMENTS (sections) + 1] = { NULL };
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (MW_IS_REPORT (report), answers);

  /* The regime's words for entity types, stages and facts (without it, the identifiers). */
  if (mw_report_get_regime (report) != NULL &&
      (regime = mw_regime_load (mw_report_get_regime (report), &error)) == NULL)
    g_debug ("The desk form without the regime's words: %s", error->message);

  if (order == NULL)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
        all[i] = sections[i].id;
      order = all;
    }

  for (guint s = 0; order[s] != NULL; s++)
    for (gsize i = 0; i < G_N_ELEMENTS (questions); i++)
      {
        MwDeskAnswer *answer;
        char *value;

        if (!g_str_equal (questions[i].section, order[s]) || (value = answer_for (report, regime, &questions[i])) == NULL)
          continue;
        answer = g_new0 (MwDeskAnswer, 1);
        answer->section = g_strdup (questions[i].section);
        answer->label = g_strdup (_(questions[i].label));
        answer->value = value;
        g_ptr_array_add (answers, answer);
      }
  return answers;
}

char *
mw_desk_form_to_text (GPtrArray *answers)
{
  GString *text = g_string_new (NULL);
  const char *section = NULL;

  for (guint i = 0; answers != NULL && i < answers->len; i++)
    {
      const MwDeskAnswer *answer = g_ptr_array_index (answers, i);

      if (g_strcmp0 (section, answer->section) != 0)
        {
          const char *title = mw_desk_form_section_title (answer->section);

          section = answer->section;
          g_string_append_printf (text, "%s%s\n", text->len ? "\n" : "", title ? title : section);
        }
      g_string_append_printf (text, "%s: %s\n", answer->label, answer->value);
    }
  return g_string_free (text, FALSE);
}

gboolean
mw_desk_form_parse_time (const char  *text,
                         GDateTime  **out)
{
  g_autofree char *copy = NULL;
  GDateTime *time = NULL;

  if (text == NULL)
    return FALSE;
  if (mw_parse_time (text, out))
    return TRUE;
  copy = g_strstrip (g_strdup (text));
  if (strlen (copy) > 10 && copy[10] == ' ')
    copy[10] = 'T';
  if (!g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$", copy, 0, 0))
    return FALSE;
  if (strlen (copy) == 16)
    {
      g_autofree char *with_seconds = g_strconcat (copy, ":00", NULL);

      g_free (copy);
      copy = g_steal_pointer (&with_seconds);
    }
  time = g_date_time_new_from_iso8601 (copy, mw_dutch_time_zone ());
  if (time == NULL)
    return FALSE;
  if (out != NULL)
    *out = time;
  else
    g_date_time_unref (time);
  return TRUE;
}
