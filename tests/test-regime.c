/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-regime"

#include <glib/gstdio.h>

#include "mw-error.h"
#include "mw-regime.h"

/* A minimal regime; the hostile cases below each break one thing in it. */
#define MINIMAL_HEAD \
  "{\"format\": \"meldwijzer.regime/1\", \"id\": \"mini\"," \
  " \"title\": {\"en\": \"Mini\", \"nl\": \"Mini\"}," \
  " \"recipients\": [{\"id\": \"ncsc\", \"role\": \"csirt\", \"name\": {\"en\": \"NCSC\", \"nl\": \"NCSC\"}," \
  "                  \"channels\": [{\"kind\": \"phone\", \"value\": \"+31 70 751 5555\"}], \"endpoint\": \"\"}]," \
  " \"facts\": [{\"id\": \"unavailable_minutes\", \"type\": \"int\", \"label\": {\"en\": \"Minutes\", \"nl\": \"Minuten\"}}],"

#define MINIMAL_TAIL \
  " \"stages\": [{\"id\": \"single\", \"label\": {\"en\": \"Report\", \"nl\": \"Melding\"}, \"without_delay\": true}]," \
  " \"entity_types\": [{\"id\": \"dns\", \"label\": {\"en\": \"DNS\", \"nl\": \"DNS\"}, \"recipients\": [\"ncsc\"]," \
  "                     \"criteria\": [\"x.art1.a\"], \"facts\": [\"unavailable_minutes\"]}]}"

static const char minimal[] =
  MINIMAL_HEAD
  " \"criteria\": [{\"id\": \"x.art1.a\", \"citation\": \"Art. 1(a)\", \"label\": {\"en\": \"Down\", \"nl\": \"Plat\"},"
  "                \"when\": {\"gt\": [\"unavailable_minutes\", 30]}}],"
  MINIMAL_TAIL;

static void
test_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRegime) regime = mw_regime_new_from_data (minimal, -1, "mini.json", &error);
  const MwEntityType *type;

  g_assert_no_error (error);
  g_assert_cmpstr (mw_regime_get_id (regime), ==, "mini");
  type = mw_regime_find_entity_type (regime, "dns");
  g_assert_nonnull (type);
  g_assert_cmpuint (type->criteria->len, ==, 1);
  g_assert_cmpuint (type->recipients->len, ==, 1);
  g_assert_cmpstr (((MwRecipient *) type->recipients->pdata[0])->id, ==, "ncsc");
  g_assert_null (mw_regime_find_entity_type (regime, "cloud"));
}

typedef struct {
  const char *name;
  const char *criteria;     /* replaces the criteria member */
  const char *fragment;     /* expected in the error message */
} Hostile;

static void
test_hostile_criteria (void)
{
  static const Hostile cases[] = {
    { "unknown operator", "{\"when\": {\"gtx\": [\"unavailable_minutes\", 30]}}", "unknown operator" },
    { "unknown fact", "{\"when\": {\"gt\": [\"unavailable_minuten\", 30]}}", "unavailable_minuten" },
    { "wrong arity", "{\"when\": {\"gt\": [\"unavailable_minutes\"]}}", "exactly 2" },
    { "number as condition", "{\"when\": {\"mul\": [\"unavailable_minutes\", 30]}}", "true or false" },
    { "bool compared", "{\"when\": {\"gt\": [true, 30]}}", "number is needed" },
    { "huge number", "{\"when\": {\"gt\": [\"unavailable_minutes\", 1e300]}}", "out of range" },
    { "string operands", "{\"when\": {\"gt\": \"unavailable_minutes\"}}", "must be a list" },
    { "two operators", "{\"when\": {\"gt\": [1, 2], \"lt\": [1, 2]}}", "exactly one operator" },
    { "division by zero", "{\"when\": {\"gt\": [{\"div\": [\"unavailable_minutes\", 0]}, 1]}}", "division by zero" },
    { "is without bool", "{\"when\": {\"is\": [\"unavailable_minutes\", 3]}}", "true/false is needed" },
    { "is with a number", "{\"when\": {\"is\": [{\"gt\": [\"unavailable_minutes\", 1]}, 3]}}", "must be true or false" },
    { "label wrong type", "{\"when\": true, \"label\": \"Down\"}", "label" },
    { "bad id", "{\"when\": true, \"id\": \"X.Art1\"}", "lower-case" },
    { "id without article", "{\"when\": true, \"id\": \"x\"}", "instrument" },
    { "criterion that excludes", "{\"when\": true, \"excludes\": [\"x.art1.a\"]}", "belongs to an exclusion" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GString) text = g_string_new (MINIMAL_HEAD);
      g_autoptr(MwRegime) regime = NULL;
      JsonObject *criterion, *patch;
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *criterion_text = NULL;
      g_autoptr(GList) members = NULL;

      /* Start from the valid criterion and overlay the hostile members. */
      g_assert_true (json_parser_load_from_data (parser,
        "{\"id\": \"x.art1.a\", \"citation\": \"Art. 1(a)\", \"label\": {\"en\": \"Down\", \"nl\": \"Plat\"}, \"when\": true}",
        -1, NULL));
      criterion = json_node_get_object (json_parser_get_root (parser));
      {
        g_autoptr(JsonParser) patch_parser = json_parser_new ();
        g_assert_true (json_parser_load_from_data (patch_parser, cases[i].criteria, -1, NULL));
        patch = json_node_get_object (json_parser_get_root (patch_parser));
        members = json_object_get_members (patch);
        for (GList *l = members; l; l = l->next)
          json_object_set_member (criterion, l->data, json_node_copy (json_object_get_member (patch, l->data)));
      }
      json_generator_set_root (generator, json_parser_get_root (parser));
      criterion_text = json_generator_to_data (generator, NULL);

      g_string_append_printf (text, " \"criteria\": [%s],", criterion_text);
      g_string_append (text, MINIMAL_TAIL);
      /* The entity type refers to x.art1.a; a case that renames it must still fail on
       * its own fault first. */
      regime = mw_regime_new_from_data (text->str, text->len, "hostile.json", &error);
      g_test_message ("%s → %s", cases[i].name, error ? error->message : "(accepted)");
      g_assert_null (regime);
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "hostile.json: criteria[0]"));
      g_assert_nonnull (strstr (error->message, cases[i].fragment));
    }
}

static void
test_hostile_structure (void)
{
  static const struct {
    const char *name;
    const char *from;
    const char *to;
    const char *fragment;
  } cases[] = {
    { "wrong format", "meldwijzer.regime/1", "meldwijzer.regime/2", "format" },
    { "unknown recipient", "\"recipients\": [\"ncsc\"]", "\"recipients\": [\"fbi\"]", "entity_types[0].recipients[0]" },
    { "unknown criterion", "\"criteria\": [\"x.art1.a\"]", "\"criteria\": [\"x.art9.z\"]", "entity_types[0].criteria[0]" },
    { "bad role", "\"role\": \"csirt\"", "\"role\": \"police\"", "recipients[0]" },
    { "fact type clash", "\"type\": \"int\"", "\"type\": \"bool\"", "facts[0]" },
    { "recipients not a list", "\"recipients\": [{", "\"recipients\": \"ncsc\", \"other\": [{", "must be a list" },
    { "missing nl label", "{\"en\": \"Mini\", \"nl\": \"Mini\"}", "{\"en\": \"Mini\"}", "title" },
    { "number as id", "\"id\": \"mini\"", "\"id\": 12", "id" },
    { "undeclared question", "\"facts\": [\"unavailable_minutes\"]", "\"facts\": [\"users_total\"]", "entity_types[0].facts[0]" },
    { "bad stage", "\"id\": \"single\"", "\"id\": \"whenever\"", "stages[0]" },
    { "impossible date", "\"id\": \"mini\",", "\"id\": \"mini\", \"effective_from\": \"2026-02-30\",", "effective_from" },
    { "short date", "\"id\": \"mini\",", "\"id\": \"mini\", \"effective_until\": \"26-8-14\",", "effective_until" },
    { "until before from", "\"id\": \"mini\",", "\"id\": \"mini\", \"effective_from\": \"2026-08-15\", \"effective_until\": \"2026-08-14\",",
      "before effective_from" },
    { "exclusion lifts an unknown criterion", "\"stages\":",
      "\"exclusions\": [{\"id\": \"x.art2\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}, \"when\": true,"
      " \"excludes\": [\"x.art9.z\"]}], \"stages\":", "x.art9.z" },
    { "stage asks an unknown field", "\"without_delay\": true", "\"without_delay\": true, \"requires\": [\"facts.lunch\"]",
      "facts.lunch" },
    { "stage requires not a list", "\"without_delay\": true", "\"without_delay\": true, \"requires\": \"timeline.aware_at\"",
      "requires" },
    { "stage adds an unknown field", "\"without_delay\": true",
      "\"without_delay\": true, \"adds\": [{\"path\": \"nature.horoscope\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}}]",
      "“nature.horoscope” in “adds”" },
    { "stage adds without a label", "\"without_delay\": true",
      "\"without_delay\": true, \"adds\": [{\"path\": \"recovery.measures\"}]", "stages[0].adds[0]" },
    { "stage both requires and adds", "\"without_delay\": true",
      "\"without_delay\": true, \"requires\": [\"timeline.aware_at\"],"
      " \"adds\": [{\"path\": \"recovery.measures\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}}]", "not both" },
    { "bad after_progress", "\"without_delay\": true", "\"deadline\": {\"months\": 1, \"from\": \"aware_at\", \"after_progress\": \"lunch\"}",
      "after_progress" },
    { "advisory for an unknown entity type", "\"stages\":",
      "\"advisories\": [{\"id\": \"y.art1\", \"recipient\": \"ncsc\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"},"
      " \"when\": true, \"entity_types\": [\"bank\"]}], \"stages\":", "bank" },
    { "reminder for no verdict", "\"stages\":",
      "\"reminders\": [{\"id\": \"y\", \"verdict\": \"maybe\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}}], \"stages\":",
      "reminders[0]" },
    { "form section unknown", "\"value\": \"+31 70 751 5555\"}", "\"value\": \"+31 70 751 5555\", \"form\": [\"organisation\", \"horoscope\"]}",
      "horoscope" },
    { "forwarded by nobody", "\"endpoint\": \"\"}", "\"endpoint\": \"\", \"forwarded_by\": \"fbi\", \"forwarded_by_source\": \"s\"}",
      "forwarded_by" },
    { "forwarded by itself", "\"endpoint\": \"\"}", "\"endpoint\": \"\", \"forwarded_by\": \"ncsc\", \"forwarded_by_source\": \"s\"}",
      "forwarded_by" },
    { "forwarded without a source", "\"endpoint\": \"\"}", "\"endpoint\": \"\", \"forwarded_by\": \"ncsc\"}",
      "forwarded_by_source" },
    { "channel id with capitals", "{\"kind\": \"phone\"", "{\"id\": \"NCSC\", \"kind\": \"phone\"", "lower-case" },
    { "voluntary kind that is no kind", "\"stages\":",
      "\"voluntary_kinds\": [{\"kind\": \"incident\", \"citation\": \"c\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}}], \"stages\":",
      "voluntary_kinds[0]" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) text = g_string_new (minimal);
      g_autoptr(MwRegime) regime = NULL;

      g_assert_cmpint (g_string_replace (text, cases[i].from, cases[i].to, 1), ==, 1);
      regime = mw_regime_new_from_data (text->str, text->len, "hostile.json", &error);
      g_test_message ("%s → %s", cases[i].name, error ? error->message : "(accepted)");
      g_assert_null (regime);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "hostile.json: "));
      g_assert_nonnull (strstr (error->message, cases[i].fragment));
    }
}

static void
test_hostile_bounds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new (MINIMAL_HEAD " \"criteria\": [{\"id\": \"x.art1.a\", \"citation\": \"c\","
                                          " \"label\": {\"en\": \"a\", \"nl\": \"b\"}, \"when\": ");
  MwRegime *regime;

  /* Nesting deeper than the parser allows. */
  for (int i = 0; i < 5000; i++)
    g_string_append (deep, "{\"not\": ");
  g_string_append (deep, "true");
  for (int i = 0; i < 5000; i++)
    g_string_append (deep, "}");
  g_string_append (deep, "}]," MINIMAL_TAIL);
  regime = mw_regime_new_from_data (deep->str, deep->len, "deep.json", &error);
  g_assert_null (regime);
  g_assert_error (error, MW_ERROR, MW_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Not an object at all. */
  regime = mw_regime_new_from_data ("[]", -1, "list.json", &error);
  g_assert_null (regime);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);

  regime = mw_regime_new_from_data ("", 0, "empty.json", &error);
  g_assert_null (regime);
  g_assert_nonnull (error);
}

/* A citation may be bilingual: machines get the English one, people their own. */
static void
test_bilingual_citation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (minimal);
  g_autoptr(MwRegime) regime = NULL;
  const MwEntityType *type;
  const MwCriterion *criterion;

  g_string_replace (text, "\"citation\": \"Art. 1(a)\"",
                    "\"citation\": {\"en\": \"Art. 1(a)\", \"nl\": \"art. 1, onder a\"}", 1);
  regime = mw_regime_new_from_data (text->str, text->len, "mini.json", &error);
  g_assert_no_error (error);
  type = mw_regime_find_entity_type (regime, "dns");
  criterion = g_ptr_array_index (type->criteria, 0);
  g_assert_cmpstr (criterion->citation, ==, "Art. 1(a)");
  mw_language_set ("nl");
  g_assert_cmpstr (mw_label_get (&criterion->citation_label), ==, "art. 1, onder a");
  mw_language_set ("en");
  g_assert_cmpstr (mw_label_get (&criterion->citation_label), ==, "Art. 1(a)");
  mw_language_set (NULL);

  /* A plain string serves both languages. */
  g_clear_object (&regime);
  regime = mw_regime_new_from_data (minimal, -1, "mini.json", &error);
  g_assert_no_error (error);
  criterion = g_ptr_array_index (mw_regime_find_entity_type (regime, "dns")->criteria, 0);
  mw_language_set ("nl");
  g_assert_cmpstr (mw_label_get (&criterion->citation_label), ==, "Art. 1(a)");
  mw_language_set (NULL);
}

static void
test_derived_cycle (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (minimal);
  g_autoptr(MwRegime) regime = NULL;

  g_string_replace (text, "\"criteria\": [{",
                    "\"derived\": [{\"id\": \"a_hours\", \"label\": {\"en\": \"a\", \"nl\": \"a\"}, \"expr\": {\"mul\": [\"a_hours\", 2]}}],"
                    " \"criteria\": [{", 1);
  regime = mw_regime_new_from_data (text->str, text->len, "cycle.json", &error);
  g_assert_null (regime);
  g_assert_nonnull (strstr (error->message, "derived[0].expr"));
}

static void
test_shipped_regimes (void)
{
  static const char * const ids[] = { "nl-wbni", "nl-cbw", "nl-telecom" };

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwRegime) regime = mw_regime_load (ids[i], &error);
      GPtrArray *types;

      g_assert_no_error (error);
      g_assert_cmpstr (mw_regime_get_id (regime), ==, ids[i]);
      types = mw_regime_get_entity_types (regime);
      g_assert_cmpuint (types->len, >, 0);
      for (guint t = 0; t < types->len; t++)
        {
          MwEntityType *type = g_ptr_array_index (types, t);
          gboolean own_advisory = FALSE;

          g_assert_cmpuint (type->recipients->len, >, 0);
          /* No criterion only where another law applies and an advisory of this entity
           * type says which (DORA for banking, Cbw art. 31). */
          for (guint a = 0; a < mw_regime_get_advisories (regime)->len; a++)
            {
              MwAdvisory *advisory = g_ptr_array_index (mw_regime_get_advisories (regime), a);
              own_advisory |= advisory->entity_types != NULL &&
                              g_strv_contains ((const char * const *) advisory->entity_types, type->id);
            }
          g_assert_true (type->criteria->len > 0 || own_advisory);
          g_assert_nonnull (type->label.nl);
        }
      /* Every regime points out the GDPR advisory. */
      g_assert_cmpuint (mw_regime_get_advisories (regime)->len, >=, 1);
    }
}

/* Recipients by the names people use: the whole name, the abbreviation, else the id. */
static void
test_recipient_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRegime) cbw = mw_regime_load ("nl-cbw", &error);
  g_autofree char *ncsc = NULL;
  g_autofree char *rdi = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (mw_regime_get_recipient_name (cbw, "ncsc"), ==, "National Cyber Security Centre (NCSC)");
  g_assert_cmpstr (mw_regime_get_recipient_name (cbw, "nobody"), ==, "nobody");
  g_assert_cmpstr (mw_regime_get_recipient_name (NULL, "ncsc"), ==, "ncsc");
  g_assert_null (mw_regime_get_recipient_name (cbw, NULL));
  ncsc = mw_recipient_dup_abbreviation (mw_regime_find_recipient (cbw, "ncsc"));
  rdi = mw_recipient_dup_short_name (mw_regime_find_recipient (cbw, "rdi"));
  g_assert_cmpstr (ncsc, ==, "NCSC");
  g_assert_cmpstr (rdi, ==, "RDI");
}

static void
test_contract_ids (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRegime) cbw = mw_regime_load ("nl-cbw", &error);
  g_autoptr(MwRegime) wbni = NULL;
  g_autoptr(MwRegime) telecom = NULL;
  static const char * const cbw_types[] = { "dns", "tld", "cloud", "data-centre", "cdn", "managed-service",
                                            "managed-security-service", "online-marketplace", "search-engine",
                                            "social-network", "trust-service" };
  static const char * const wbni_types[] = { "online-marketplace", "search-engine", "cloud" };

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (cbw_types); i++)
    g_assert_nonnull (mw_regime_find_entity_type (cbw, cbw_types[i]));
  /* In force since 15 August 2026 (Stb. 2026, 187): no uncertainty any more. */
  g_assert_cmpstr (mw_regime_get_effective_from (cbw), ==, "2026-08-15");
  g_assert_null (mw_regime_get_effective_until (cbw));
  g_assert_false (mw_regime_get_effective_uncertain (cbw));
  /* The final report adds what art. 29 asks, for every entity type's copy of the stage;
   * the early warning asks only art. 26. */
  g_assert_cmpuint (mw_regime_find_stage (cbw, "final")->adds->len, ==, 4);
  g_assert_null (mw_regime_find_stage (cbw, "early-warning")->adds);
  for (guint i = 0; i < mw_regime_find_entity_type (cbw, "trust-service")->stages->len; i++)
    {
      const MwStage *stage = g_ptr_array_index (mw_regime_find_entity_type (cbw, "trust-service")->stages, i);

      if (g_str_equal (stage->id, "final"))
        g_assert_cmpuint (stage->adds->len, ==, 4);
    }

  wbni = mw_regime_load ("nl-wbni", &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (wbni_types); i++)
    g_assert_nonnull (mw_regime_find_entity_type (wbni, wbni_types[i]));
  g_assert_cmpstr (mw_regime_get_effective_until (wbni), ==, "2026-08-14");

  /* Tw 11a.2 was repealed by the Cbw (art. 99 C): earlier incidents only. */
  telecom = mw_regime_load ("nl-telecom", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_regime_get_effective_until (telecom), ==, "2026-08-14");
}

/* Every Cbw sector of DOMAIN.md, with the CSIRT and its competent authority. */
static void
test_cbw_sectors (void)
{
  static const struct {
    const char *type;
    const char *authority;
  } sectors[] = {
    { "dns", "rdi" }, { "tld", "rdi" }, { "cloud", "rdi" }, { "data-centre", "rdi" }, { "cdn", "rdi" },
    { "managed-service", "rdi" }, { "managed-security-service", "rdi" }, { "online-marketplace", "rdi" },
    { "search-engine", "rdi" }, { "social-network", "rdi" }, { "trust-service", "rdi" }, { "energy", "rdi" },
    { "public-electronic-communications", "rdi" }, { "internet-exchange-point", "rdi" },
    { "drinking-water", "ilt" }, { "waste-water", "ilt" }, { "transport", "ilt" }, { "health", "igj" },
    { "government-central", "minbzk" }, { "government-decentral", "minbzk" }, { "space", "rdi" },
    { "postal-courier", "acm" }, { "waste-management", "ilt" }, { "chemicals", "ilt" }, { "food", "nvwa" },
    { "manufacturing", "rdi" }, { "research", "minocw" }, { "banking", "dnb" },
    { "financial-market-infrastructure", "dnb" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRegime) cbw = mw_regime_load ("nl-cbw", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mw_regime_get_entity_types (cbw)->len, ==, G_N_ELEMENTS (sectors));
  for (gsize i = 0; i < G_N_ELEMENTS (sectors); i++)
    {
      const MwEntityType *type = mw_regime_find_entity_type (cbw, sectors[i].type);
      const MwRecipient *csirt, *authority;

      g_test_message ("%s", sectors[i].type);
      g_assert_nonnull (type);
      g_assert_cmpuint (type->recipients->len, ==, 2);
      csirt = g_ptr_array_index (type->recipients, 0);
      authority = g_ptr_array_index (type->recipients, 1);
      g_assert_cmpstr (csirt->id, ==, "ncsc");
      g_assert_cmpstr (csirt->role, ==, "csirt");
      g_assert_cmpstr (authority->id, ==, sectors[i].authority);
      g_assert_cmpstr (authority->role, ==, "competent-authority");
      g_assert_nonnull (authority->source);
      g_assert_cmpuint (authority->channels->len, >, 0);
      /* The open norm replaced the Wbni's continuity test. */
      for (guint c = 0; c < type->criteria->len; c++)
        g_assert_cmpstr (((MwCriterion *) g_ptr_array_index (type->criteria, c))->id, !=, "nis2.art23.3");
    }
  g_assert_nonnull (mw_regime_find_voluntary_kind (cbw, "near-miss"));
  g_assert_nonnull (mw_regime_find_voluntary_kind (cbw, "threat"));
  g_assert_null (mw_regime_find_voluntary_kind (cbw, "incident"));
  g_assert_cmpuint (mw_regime_get_reminders (cbw)->len, ==, 1);
}

static GDateTime *
at (const char *text)
{
  GDateTime *time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return time;
}

/* The law in force is chosen from when the entity became aware, on the Dutch calendar. */
static void
test_in_force (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) regimes = g_ptr_array_new_with_free_func (g_object_unref);
  static const struct {
    const char *aware_at;
    const char *preferred;
    const char *entity_type;
    const char *expected;
  } cases[] = {
    { "2026-08-14T23:59:59+02:00", NULL, "cloud", "nl-wbni" },
    { "2026-08-15T00:00:00+02:00", NULL, "cloud", "nl-cbw" },
    { "2026-08-14T21:59:59Z", NULL, "cloud", "nl-wbni" },
    { "2026-08-14T22:00:00Z", NULL, "cloud", "nl-cbw" },      /* 00:00 on the 15th in Dutch time */
    { "2026-08-15T00:30:00+03:00", NULL, "cloud", "nl-wbni" }, /* 23:30 on the 14th in Dutch time */
    { "2026-06-01T12:00:00+02:00", NULL, "public-electronic-communications", "nl-telecom" },
    { "2026-11-01T12:00:00+01:00", "nl-telecom", "public-electronic-communications", "nl-cbw" },
    { "2026-06-01T12:00:00+02:00", "nl-wbni", NULL, "nl-wbni" },
    { "2026-06-01T12:00:00+02:00", "nl-telecom", NULL, "nl-telecom" },
  };

  g_ptr_array_add (regimes, mw_regime_load ("nl-cbw", &error));
  g_assert_no_error (error);
  g_ptr_array_add (regimes, mw_regime_load ("nl-telecom", &error));
  g_assert_no_error (error);
  g_ptr_array_add (regimes, mw_regime_load ("nl-wbni", &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) aware = at (cases[i].aware_at);
      g_autofree char *reason = NULL;
      MwRegime *chosen = mw_regime_choose_in_force (regimes, aware, cases[i].preferred, cases[i].entity_type, &reason);

      g_test_message ("%s → %s: %s", cases[i].aware_at, chosen ? mw_regime_get_id (chosen) : "none", reason);
      g_assert_nonnull (chosen);
      g_assert_cmpstr (mw_regime_get_id (chosen), ==, cases[i].expected);
      /* It says why: the law, and the dates that decide it. */
      g_assert_nonnull (reason);
      g_assert_nonnull (strstr (reason, cases[i].expected));
      g_assert_nonnull (strstr (reason, g_str_equal (cases[i].expected, "nl-cbw") ? "2026-08-15" : "2026-08-14"));
    }

  /* Before the Wbni (9 November 2018) neither it nor the Cbw applies. */
  g_ptr_array_remove_index (regimes, 1);
  {
    g_autoptr(GDateTime) aware = at ("2018-11-08T12:00:00+01:00");
    g_autofree char *reason = NULL;

    g_assert_null (mw_regime_choose_in_force (regimes, aware, NULL, NULL, &reason));
    g_assert_null (reason);
  }
}

static void
test_search_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-regime-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mini.json", NULL);
  g_autofree char *wrong = g_build_filename (dir, "other.json", NULL);
  g_autofree char *old = g_strdup (g_getenv ("MELDWIJZER_REGIMES_DIR"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRegime) regime = NULL;
  g_auto(GStrv) available = NULL;

  g_assert_true (g_file_set_contents (path, minimal, -1, NULL));
  g_assert_true (g_file_set_contents (wrong, minimal, -1, NULL));
  g_setenv ("MELDWIJZER_REGIMES_DIR", dir, TRUE);

  regime = mw_regime_load ("mini", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_regime_get_source_name (regime), ==, path);

  /* The file name must match the id it declares. */
  g_clear_object (&regime);
  regime = mw_regime_load ("other", &error);
  g_assert_null (regime);
  g_assert_nonnull (strstr (error->message, "mini.json"));
  g_clear_error (&error);

  /* An id is never a path. */
  regime = mw_regime_load ("../mini", &error);
  g_assert_null (regime);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);

  regime = mw_regime_load ("absent", &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "mini"));

  available = mw_regime_list_available ();
  g_assert_true (g_strv_contains ((const char * const *) available, "mini"));

  /* Loaded again, the same regime; the file replaced (same size), the new one. */
  g_clear_error (&error);
  {
    g_autoptr(MwRegime) first = mw_regime_load ("mini", &error);
    g_autoptr(MwRegime) again = mw_regime_load ("mini", &error);
    g_autoptr(MwRegime) changed = NULL;
    g_autofree char *text = g_strdup (minimal);
    char *label = strstr (text, "\"Down\"");

    g_assert_no_error (error);
    g_assert_true (first == again);
    g_assert_nonnull (label);
    memcpy (label, "\"Dead\"", strlen ("\"Dead\""));
    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    changed = mw_regime_load ("mini", &error);
    g_assert_no_error (error);
    g_assert_true (changed != first);
    g_assert_nonnull (mw_regime_find_entity_type (changed, "dns"));
  }

  if (old)
    g_setenv ("MELDWIJZER_REGIMES_DIR", old, TRUE);
  else
    g_unsetenv ("MELDWIJZER_REGIMES_DIR");
  g_unlink (path);
  g_unlink (wrong);
  g_rmdir (dir);
}

typedef struct
{
  gint      *go;
  MwRegime  *regime;
  GError    *error;
} Loader;

static gpointer
load_when_told (gpointer data)
{
  Loader *loader = data;

  while (!g_atomic_int_get (loader->go))
    g_thread_yield ();
  loader->regime = mw_regime_load ("nl-cbw", &loader->error);
  return NULL;
}

/* Asked for by several threads at once (the start-up's preload and the window), a regime is
 * read once: the others wait for that reading and get the same regime; a file that does
 * not read gives each of them the reason, and none waits for ever. */
static void
test_concurrent_load (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-regime-XXXXXX", NULL);
  g_autofree char *shipped = g_test_build_filename (G_TEST_DIST, "..", "data", "regimes", "nl-cbw.json", NULL);
  g_autofree char *path = g_build_filename (dir, "nl-cbw.json", NULL);
  g_autofree char *old = g_strdup (g_getenv ("MELDWIJZER_REGIMES_DIR"));
  g_autofree char *text = NULL;
  gsize length;
  Loader loaders[8];
  GThread *threads[G_N_ELEMENTS (loaders)];
  gint go = 0;

  g_assert_true (g_file_get_contents (shipped, &text, &length, NULL));
  g_assert_true (g_file_set_contents (path, text, length, NULL));
  g_setenv ("MELDWIJZER_REGIMES_DIR", dir, TRUE);

  for (guint round = 0; round < 2; round++)
    {
      /* The second round reads a file cut short. */
      if (round == 1)
        g_assert_true (g_file_set_contents (path, text, length / 2, NULL));
      g_atomic_int_set (&go, 0);
      for (guint i = 0; i < G_N_ELEMENTS (loaders); i++)
        {
          loaders[i] = (Loader) { &go, NULL, NULL };
          threads[i] = g_thread_new ("loader", load_when_told, &loaders[i]);
        }
      g_atomic_int_set (&go, 1);
      for (guint i = 0; i < G_N_ELEMENTS (loaders); i++)
        g_thread_join (threads[i]);
      for (guint i = 0; i < G_N_ELEMENTS (loaders); i++)
        {
          if (round == 0)
            {
              g_assert_no_error (loaders[i].error);
              g_assert_true (loaders[i].regime == loaders[0].regime);
            }
          else
            {
              g_assert_null (loaders[i].regime);
              g_assert_nonnull (loaders[i].error);
              g_assert_nonnull (strstr (loaders[i].error->message, "nl-cbw.json"));
            }
        }
      for (guint i = 0; i < G_N_ELEMENTS (loaders); i++)
        {
          g_clear_object (&loaders[i].regime);
          g_clear_error (&loaders[i].error);
        }
    }

  /* Preloaded, then asked for: the whole file again, and the cut one still refused. */
  g_assert_true (g_file_set_contents (path, text, length, NULL));
  mw_regime_preload ("nl-cbw");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwRegime) regime = mw_regime_load ("nl-cbw", &error);

    g_assert_no_error (error);
    g_assert_nonnull (mw_regime_find_entity_type (regime, "cloud"));
  }

  if (old)
    g_setenv ("MELDWIJZER_REGIMES_DIR", old, TRUE);
  else
    g_unsetenv ("MELDWIJZER_REGIMES_DIR");
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regime/minimal", test_minimal);
  g_test_add_func ("/regime/hostile/criteria", test_hostile_criteria);
  g_test_add_func ("/regime/hostile/structure", test_hostile_structure);
  g_test_add_func ("/regime/hostile/bounds", test_hostile_bounds);
  g_test_add_func ("/regime/derived-cycle", test_derived_cycle);
  g_test_add_func ("/regime/bilingual-citation", test_bilingual_citation);
  g_test_add_func ("/regime/shipped", test_shipped_regimes);
  g_test_add_func ("/regime/contract-ids", test_contract_ids);
  g_test_add_func ("/regime/recipient-names", test_recipient_names);
  g_test_add_func ("/regime/cbw-sectors", test_cbw_sectors);
  g_test_add_func ("/regime/in-force", test_in_force);
  g_test_add_func ("/regime/search-path", test_search_path);
  g_test_add_func ("/regime/concurrent-load", test_concurrent_load);

  return g_test_run ();
}
