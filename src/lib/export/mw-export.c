/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-export-private.h"
#include "mw-json.h"
#include "mw-signer.h"
#include "mw-taxonomy.h"
#include "mw-vocabulary.h"

/* Exports of a report: STIX 2.1, MISP event JSON and IODEF 2 here, the PDF in
 * mw-export-pdf.c. Every id is derived from the report (UUIDv5), every time from the report,
 * so the same report always exports to the same bytes. */

#define MAX_PROBLEMS_SHOWN 3

static const struct {
  MwExportFormat  format;
  const char     *name;
  const char     *content_type;
  const char     *extension;
} formats[] = {
  { MW_EXPORT_PDF,   "pdf",   "application/pdf",                     "pdf" },
  { MW_EXPORT_STIX,  "stix",  "application/stix+json;version=2.1",   "json" },
  { MW_EXPORT_MISP,  "misp",  "application/json",                    "json" },
  { MW_EXPORT_IODEF, "iodef", "application/iodef+xml",               "xml" },
};

gboolean
mw_export_format_parse (const char     *name,
                        MwExportFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (name, formats[i].name) == 0)
      {
        *format = formats[i].format;
        return TRUE;
      }

  return FALSE;
}

const char *
mw_export_format_to_string (MwExportFormat format)
{
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].name;
  g_return_val_if_reached (NULL);
}

const char *
mw_export_format_content_type (MwExportFormat format)
{
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].content_type;
  g_return_val_if_reached (NULL);
}

const char *
mw_export_format_extension (MwExportFormat format)
{
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].extension;
  g_return_val_if_reached (NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Shared helpers                                                                           */

static void
uuid5_bytes (const guint8  namespace_id[16],
             const char   *name,
             guint8        out[16])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;

  g_checksum_update (checksum, namespace_id, 16);
  g_checksum_update (checksum, (const guchar *) name, strlen (name));
  g_checksum_get_digest (checksum, digest, &length);

  memcpy (out, digest, 16);
  out[6] = (out[6] & 0x0f) | 0x50;  /* version 5 */
  out[8] = (out[8] & 0x3f) | 0x80;  /* RFC 4122 variant */
}

static char *
uuid_to_string (const guint8 id[16])
{
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7],
                          id[8], id[9], id[10], id[11], id[12], id[13], id[14], id[15]);
}

char *
mw_export_uuid5 (const char *name)
{
  /* RFC 4122 Appendix C: the URL namespace. Meldwijzer's namespace is the UUIDv5 of this URL in it. */
  static const guint8 url_namespace[16] = {
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8
  };
  static guint8 namespace_id[16];
  static gsize initialised = 0;
  guint8 id[16];

  g_return_val_if_fail (name != NULL, NULL);

  if (g_once_init_enter (&initialised))
    {
      uuid5_bytes (url_namespace, "https://github.com/meldwijzer/meldwijzer#export", namespace_id);
      g_once_init_leave (&initialised, 1);
    }

  uuid5_bytes (namespace_id, name, id);
  return uuid_to_string (id);
}

const char *
mw_export_string (MwReport   *report,
                  const char *path)
{
  const char *value = mw_report_get_string (report, path);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* The value of a vocabulary field, or -1 when it is absent or not in the vocabulary. */
static int
report_enum (MwReport   *report,
             const char *path,
             GType       vocabulary)
{
  int value = -1;

  mw_enum_from_nick (vocabulary, mw_report_get_string (report, path), &value);
  return value;
}

GDateTime *
mw_export_report_time (MwReport   *report,
                       const char *path)
{
  GDateTime *time = NULL;
  const char *text = mw_export_string (report, path);

  if (text == NULL || !mw_parse_time (text, &time))
    return NULL;
  return time;
}

GDateTime *
mw_export_created_time (MwReport  *report,
                        GError   **error)
{
  static const char * const fallbacks[] = {
    "timeline.aware_at", "timeline.detected_at", "timeline.started_at", NULL
  };
  GDateTime *created = mw_export_report_time (report, "created_at");

  if (created != NULL)
    return created;

  for (guint i = 0; fallbacks[i] != NULL; i++)
    {
      created = mw_export_report_time (report, fallbacks[i]);
      if (created != NULL)
        return created;
    }

  g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
               _("created_at: missing; an export needs the time the report was written "
                 "(RFC 3339 with offset, e.g. 2026-11-22T03:10:00+01:00)"));
  return NULL;
}

char *
mw_export_report_key (MwReport *report)
{
  const char *report_id = mw_export_string (report, "report_id");
  g_autofree char *canonical = NULL;

  if (report_id != NULL && mw_is_uuid (report_id))
    return g_ascii_strdown (report_id, -1);

  canonical = mw_report_to_canonical_json (report);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
}

static char *
object_id (const char *type,
           const char *key,
           const char *what)
{
  g_autofree char *name = g_strconcat (key, "/", what, NULL);
  g_autofree char *uuid = mw_export_uuid5 (name);

  return g_strconcat (type, "--", uuid, NULL);
}

static char *
json_pretty (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

static void
set_string_if (JsonObject *object,
               const char *member,
               const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, member, value);
}

static gboolean
check_report (MwReport  *report,
              GError   **error)
{
  g_autoptr(GPtrArray) problems = mw_report_validate (report, MW_VALIDATE_DRAFT);
  g_autoptr(GString) message = NULL;

  if (problems == NULL || problems->len == 0)
    return TRUE;

  message = g_string_new (NULL);
  for (guint i = 0; i < problems->len && i < MAX_PROBLEMS_SHOWN; i++)
    {
      MwProblem *problem = g_ptr_array_index (problems, i);

      if (i > 0)
        g_string_append (message, "; ");
      g_string_append_printf (message, "%s: %s", problem->path, problem->message);
    }
  if (problems->len > MAX_PROBLEMS_SHOWN)
    g_string_append_printf (message, _(" (and %u more)"), problems->len - MAX_PROBLEMS_SHOWN);

  g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
               _("%s; correct the report (meldwijzer-cli validate --draft lists every problem) and export again"),
               message->str);
  return FALSE;
}

/* The indicators of the report, each with a valid "type" and "value" string. */
typedef struct {
  const char *type;
  const char *value;
} Indicator;

static GArray *
report_indicators (MwReport *report)
{
  GArray *indicators = g_array_new (FALSE, FALSE, sizeof (Indicator));
  JsonNode *node = mw_report_get_node (report, "indicators");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return indicators;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      Indicator indicator;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      indicator.type = mw_json_get_string (json_node_get_object (element), "type");
      indicator.value = mw_json_get_string (json_node_get_object (element), "value");
      if (indicator.type != NULL && indicator.value != NULL && *indicator.value != '\0')
        g_array_append_val (indicators, indicator);
    }

  return indicators;
}

static gboolean
is_hash_type (const char *type,
              const char **algorithm)
{
  static const char * const prefix = "file:hashes.";

  if (!g_str_has_prefix (type, prefix))
    return FALSE;
  if (algorithm != NULL)
    *algorithm = type + strlen (prefix);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* STIX 2.1                                                                                 */

static char *
stix_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

/* A STIX patterning string literal: single quotes, with ' and \ escaped. */
static void
append_stix_literal (GString    *pattern,
                     const char *value)
{
  g_string_append_c (pattern, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '\'');
}

static char *
stix_pattern (const Indicator *indicator)
{
  g_autoptr(GString) pattern = g_string_new ("[");
  const char *algorithm;

  if (is_hash_type (indicator->type, &algorithm))
    {
      /* MD5 is a plain property name; SHA-1 and SHA-256 need quoting for their hyphen. */
      if (strchr (algorithm, '-') != NULL)
        g_string_append_printf (pattern, "file:hashes.'%s'", algorithm);
      else
        g_string_append_printf (pattern, "file:hashes.%s", algorithm);
    }
  else if (g_str_equal (indicator->type, "ipv4-addr") || g_str_equal (indicator->type, "ipv6-addr") ||
           g_str_equal (indicator->type, "domain-name") || g_str_equal (indicator->type, "url") ||
           g_str_equal (indicator->type, "email-addr"))
    g_string_append_printf (pattern, "%s:value", indicator->type);
  else
    return NULL;

  g_string_append (pattern, " = ");
  append_stix_literal (pattern, indicator->value);
  g_string_append_c (pattern, ']');
  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

static void
stix_common (JsonObject *object,
             const char *type,
             const char *id,
             const char *created)
{
  json_object_set_string_member (object, "type", type);
  json_object_set_string_member (object, "spec_version", "2.1");
  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "created", created);
  json_object_set_string_member (object, "modified", created);
}

static char *
contact_line (MwReport   *report,
              const char *prefix)
{
  static const char * const parts[] = { "name", "role", "email", "phone", NULL };
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (prefix, ".", parts[i], NULL);
      const char *value = mw_export_string (report, path);

      if (value != NULL)
        g_ptr_array_add (values, g_strdup (value));
    }
  if (values->len == 0)
    return NULL;
  g_ptr_array_add (values, NULL);
  return g_strjoinv (", ", (char **) values->pdata);
}

static JsonObject *
stix_identity (MwReport   *report,
               const char *id,
               const char *created)
{
  JsonObject *identity = json_object_new ();
  const char *name = mw_export_string (report, "provider.name");
  const char *registration = mw_export_string (report, "provider.registration");
  g_autofree char *contact = contact_line (report, "provider.contact");
  g_autofree char *technical = contact_line (report, "provider.technical_contact");
  g_autoptr(GString) contact_information = g_string_new (NULL);

  stix_common (identity, "identity", id, created);
  json_object_set_string_member (identity, "name",
                                 name != NULL ? name : registration != NULL ? registration : _("Unknown provider"));
  json_object_set_string_member (identity, "identity_class", "organization");
  if (contact != NULL)
    g_string_append_printf (contact_information, "%s: %s", _("Contact"), contact);
  if (technical != NULL)
    g_string_append_printf (contact_information, "%s%s: %s",
                            contact_information->len > 0 ? "; " : "", _("Technical contact"), technical);
  if (contact_information->len > 0)
    json_object_set_string_member (identity, "contact_information", contact_information->str);
  set_string_if (identity, "x_meldwijzer_registration", registration);
  set_string_if (identity, "x_meldwijzer_sector", mw_export_string (report, "provider.sector"));
  set_string_if (identity, "x_meldwijzer_entity_type", mw_export_string (report, "provider.entity_type"));
  return identity;
}

static JsonObject *
stix_timeline (MwReport *report)
{
  static const char * const fields[] = { "started_at", "detected_at", "aware_at", "resolved_at", NULL };
  JsonObject *timeline = json_object_new ();

  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat ("timeline.", fields[i], NULL);
      g_autoptr(GDateTime) time = mw_export_report_time (report, path);

      if (time != NULL)
        {
          g_autofree char *text = stix_time (time);
          json_object_set_string_member (timeline, fields[i], text);
        }
    }
  return timeline;
}

static JsonObject *
stix_incident (MwReport   *report,
               const char *id,
               const char *identity_id,
               const char *created)
{
  JsonObject *incident = json_object_new ();
  JsonArray *labels = json_array_new ();
  JsonArray *references = json_array_new ();
  JsonObject *reference;
  const char *summary = mw_export_string (report, "nature.summary");
  const char *category = mw_export_string (report, "nature.category");
  const char *report_id = mw_export_string (report, "report_id");
  JsonObject *timeline;
  JsonNode *affected;
  gboolean training = mw_report_get_training (report);

  stix_common (incident, "incident", id, created);
  json_object_set_string_member (incident, "created_by_ref", identity_id);
  json_object_set_string_member (incident, "name", summary != NULL ? summary : _("Untitled incident"));
  set_string_if (incident, "description", mw_export_string (report, "nature.description"));

  if (category != NULL)
    json_array_add_string_element (labels, category);
  if (mw_export_string (report, "kind") != NULL)
    json_array_add_string_element (labels, mw_export_string (report, "kind"));
  if (training)
    json_array_add_string_element (labels, "training");
  if (json_array_get_length (labels) > 0)
    json_object_set_array_member (incident, "labels", labels);
  else
    json_array_unref (labels);

  if (report_id != NULL)
    {
      reference = json_object_new ();
      json_object_set_string_member (reference, "source_name", "meldwijzer");
      json_object_set_string_member (reference, "external_id", report_id);
      json_object_set_string_member (reference, "description", "report_id (" MW_REPORT_FORMAT ")");
      json_array_add_object_element (references, reference);
    }
  if (category != NULL)
    {
      const MwTaxonomyEntry *entry = mw_taxonomy_lookup (category);

      reference = json_object_new ();
      json_object_set_string_member (reference, "source_name", "enisa-reference-incident-classification-taxonomy");
      json_object_set_string_member (reference, "external_id", category);
      if (entry != NULL)
        {
          g_autofree char *description = g_strdup_printf ("%s: %s", entry->class_name, entry->type_name);
          json_object_set_string_member (reference, "description", description);
        }
      json_array_add_object_element (references, reference);
    }
  if (json_array_get_length (references) > 0)
    json_object_set_array_member (incident, "external_references", references);
  else
    json_array_unref (references);

  /* Custom properties (STIX 2.1 §11.1): what the report says beyond name and description. */
  set_string_if (incident, "x_meldwijzer_report_id", report_id);
  set_string_if (incident, "x_meldwijzer_incident_id", mw_export_string (report, "incident_id"));
  set_string_if (incident, "x_meldwijzer_supersedes", mw_export_string (report, "supersedes"));
  set_string_if (incident, "x_meldwijzer_stage", mw_export_string (report, "stage"));
  set_string_if (incident, "x_meldwijzer_kind", mw_export_string (report, "kind"));
  set_string_if (incident, "x_meldwijzer_regime", mw_export_string (report, "regime"));
  json_object_set_boolean_member (incident, "x_meldwijzer_training", training);
  set_string_if (incident, "x_meldwijzer_category", category);
  set_string_if (incident, "x_meldwijzer_cause", mw_export_string (report, "nature.cause"));
  affected = mw_report_get_node (report, "nature.affected");
  if (affected != NULL && JSON_NODE_HOLDS_ARRAY (affected) && json_array_get_length (json_node_get_array (affected)) > 0)
    json_object_set_member (incident, "x_meldwijzer_affected", json_node_copy (affected));
  set_string_if (incident, "x_meldwijzer_service", mw_export_string (report, "service.name"));
  set_string_if (incident, "x_meldwijzer_recovery_status", mw_export_string (report, "recovery.status"));
  timeline = stix_timeline (report);
  if (json_object_get_size (timeline) > 0)
    json_object_set_object_member (incident, "x_meldwijzer_timeline", timeline);
  else
    json_object_unref (timeline);

  return incident;
}

char *
mw_export_stix (MwReport  *report,
                GError   **error)
{
  g_autoptr(GDateTime) created_time = NULL;
  g_autofree char *created = NULL;
  g_autofree char *key = NULL;
  g_autofree char *bundle_id = NULL;
  g_autofree char *identity_id = NULL;
  g_autofree char *incident_id = NULL;
  g_autoptr(GArray) indicators = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) relationships = g_ptr_array_new ();
  JsonObject *bundle;
  JsonArray *objects;
  const char *indicator_type;

  g_return_val_if_fail (MW_IS_REPORT (report), NULL);

  created_time = mw_export_created_time (report, error);
  if (created_time == NULL)
    return NULL;
  created = stix_time (created_time);
  key = mw_export_report_key (report);

  /* The provider's identity derives from its registration, so every report of one provider
   * points at the same identity. */
  if (mw_export_string (report, "provider.registration") != NULL)
    {
      g_autofree char *name = g_strconcat ("identity/", mw_export_string (report, "provider.registration"), NULL);
      identity_id = object_id ("identity", "provider", name);
    }
  else
    identity_id = object_id ("identity", key, "identity");
  bundle_id = object_id ("bundle", key, "bundle");
  incident_id = object_id ("incident", key, "incident");

  bundle = json_object_new ();
  json_object_set_string_member (bundle, "type", "bundle");
  json_object_set_string_member (bundle, "id", bundle_id);
  objects = json_array_new ();
  json_array_add_object_element (objects, stix_identity (report, identity_id, created));
  json_array_add_object_element (objects, stix_incident (report, incident_id, identity_id, created));

  indicator_type = report_enum (report, "nature.cause", MW_TYPE_CAUSE) == MW_CAUSE_MALICIOUS
                   ? "malicious-activity" : "anomalous-activity";
  indicators = report_indicators (report);
  for (guint i = 0; i < indicators->len; i++)
    {
      const Indicator *indicator = &g_array_index (indicators, Indicator, i);
      g_autofree char *pattern = stix_pattern (indicator);
      g_autofree char *what = NULL;
      g_autofree char *id = NULL;
      g_autofree char *relationship_id = NULL;
      g_autofree char *name = NULL;
      JsonObject *object;
      JsonArray *types;

      if (pattern == NULL)
        continue;

      what = g_strdup_printf ("indicator/%u/%s/%s", i, indicator->type, indicator->value);
      id = object_id ("indicator", key, what);
      object = json_object_new ();
      stix_common (object, "indicator", id, created);
      json_object_set_string_member (object, "created_by_ref", identity_id);
      name = g_strdup_printf ("%s %s", indicator->type, indicator->value);
      json_object_set_string_member (object, "name", name);
      types = json_array_new ();
      json_array_add_string_element (types, indicator_type);
      json_object_set_array_member (object, "indicator_types", types);
      json_object_set_string_member (object, "pattern", pattern);
      json_object_set_string_member (object, "pattern_type", "stix");
      json_object_set_string_member (object, "pattern_version", "2.1");
      json_object_set_string_member (object, "valid_from", created);
      json_array_add_object_element (objects, object);

      g_free (what);
      what = g_strdup_printf ("relationship/%u/%s/%s", i, indicator->type, indicator->value);
      relationship_id = object_id ("relationship", key, what);
      object = json_object_new ();
      stix_common (object, "relationship", relationship_id, created);
      json_object_set_string_member (object, "created_by_ref", identity_id);
      json_object_set_string_member (object, "relationship_type", "indicates");
      json_object_set_string_member (object, "source_ref", id);
      json_object_set_string_member (object, "target_ref", incident_id);
      g_ptr_array_add (relationships, object);
    }

  for (guint i = 0; i < relationships->len; i++)
    json_array_add_object_element (objects, g_ptr_array_index (relationships, i));
  json_object_set_array_member (bundle, "objects", objects);

  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, bundle);
  return json_pretty (root);
}

/* ---------------------------------------------------------------------------------------- */
/* MISP                                                                                     */

/* MISP attribute type and category (misp-describe-types.json) of an indicator. */
static gboolean
misp_type (const Indicator  *indicator,
           const char       *category_id,
           const char      **type,
           const char      **category)
{
  const char *algorithm;

  if (g_str_equal (indicator->type, "ipv4-addr") || g_str_equal (indicator->type, "ipv6-addr"))
    {
      /* Traffic towards the provider (DDoS, scans, intrusion attempts) comes from the address;
       * otherwise (C2, malware distribution, phishing) the address is where traffic went. */
      gboolean inbound = category_id != NULL &&
                         (g_str_has_prefix (category_id, "availability/") ||
                          g_str_has_prefix (category_id, "information-gathering/") ||
                          g_str_has_prefix (category_id, "intrusion-attempts/") ||
                          g_str_has_prefix (category_id, "intrusions/") ||
                          g_str_has_prefix (category_id, "abusive-content/"));
      *type = inbound ? "ip-src" : "ip-dst";
      *category = "Network activity";
      return TRUE;
    }
  if (g_str_equal (indicator->type, "domain-name"))
    {
      *type = "domain";
      *category = "Network activity";
      return TRUE;
    }
  if (g_str_equal (indicator->type, "url"))
    {
      *type = "url";
      *category = "Network activity";
      return TRUE;
    }
  if (g_str_equal (indicator->type, "email-addr"))
    {
      *type = "email-src";
      *category = "Payload delivery";
      return TRUE;
    }
  if (is_hash_type (indicator->type, &algorithm))
    {
      *category = "Payload delivery";
      if (g_str_equal (algorithm, "MD5"))
        *type = "md5";
      else if (g_str_equal (algorithm, "SHA-1"))
        *type = "sha1";
      else if (g_str_equal (algorithm, "SHA-256"))
        *type = "sha256";
      else
        return FALSE;
      return TRUE;
    }
  return FALSE;
}

static JsonObject *
misp_attribute (const char *key,
                const char *what,
                const char *type,
                const char *category,
                const char *value,
                const char *comment,
                gboolean    to_ids,
                const char *timestamp)
{
  JsonObject *attribute = json_object_new ();
  g_autofree char *name = g_strconcat ("misp-attribute/", what, NULL);
  g_autofree char *uuid = NULL;
  g_autofree char *full_name = g_strconcat (key, "/", name, NULL);

  uuid = mw_export_uuid5 (full_name);
  json_object_set_string_member (attribute, "uuid", uuid);
  json_object_set_string_member (attribute, "type", type);
  json_object_set_string_member (attribute, "category", category);
  json_object_set_string_member (attribute, "value", value);
  set_string_if (attribute, "comment", comment);
  json_object_set_boolean_member (attribute, "to_ids", to_ids);
  json_object_set_string_member (attribute, "distribution", "5");  /* inherit the event's */
  json_object_set_string_member (attribute, "timestamp", timestamp);
  json_object_set_boolean_member (attribute, "disable_correlation", FALSE);
  return attribute;
}

static JsonObject *
misp_tag (const char *name)
{
  JsonObject *tag = json_object_new ();

  json_object_set_string_member (tag, "name", name);
  json_object_set_boolean_member (tag, "exportable", TRUE);
  return tag;
}

static const char *
misp_threat_level (MwReport *report,
                   MwRegime *regime)
{
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;

  if (regime == NULL)
    return "4";  /* undefined */

  assessor = mw_assessor_new (regime);
  assessment = mw_assessor_assess (assessor, report, NULL);
  if (assessment == NULL)
    return "4";

  /* 1 high, 2 medium, 3 low: a significant incident by law is high. */
  switch (mw_assessment_get_verdict (assessment))
    {
    case MW_VERDICT_MANDATORY:
      return "1";
    case MW_VERDICT_UNDETERMINED:
      return "2";
    case MW_VERDICT_VOLUNTARY:
      return "3";
    default:
      return "4";
    }
}

char *
mw_export_misp (MwReport  *report,
                MwRegime  *regime,
                GError   **error)
{
  g_autoptr(GDateTime) created_time = NULL;
  g_autoptr(GDateTime) event_time = NULL;
  g_autoptr(GArray) indicators = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *key = NULL;
  g_autofree char *event_name = NULL;
  g_autofree char *event_uuid = NULL;
  g_autofree char *org_uuid = NULL;
  g_autofree char *org_name = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *date = NULL;
  JsonObject *wrapper, *event, *orgc;
  JsonArray *tags, *attributes;
  const char *summary = mw_export_string (report, "nature.summary");
  const char *category = mw_export_string (report, "nature.category");
  int status = report_enum (report, "recovery.status", MW_TYPE_RECOVERY_STATUS);
  const char *provider = mw_export_string (report, "provider.name");
  const char *registration = mw_export_string (report, "provider.registration");
  const char *analysis;

  g_return_val_if_fail (MW_IS_REPORT (report), NULL);
  g_return_val_if_fail (regime == NULL || MW_IS_REGIME (regime), NULL);

  created_time = mw_export_created_time (report, error);
  if (created_time == NULL)
    return NULL;
  key = mw_export_report_key (report);
  timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (created_time));
  event_time = mw_export_report_time (report, "timeline.started_at");
  date = g_date_time_format (event_time != NULL ? event_time : created_time, "%Y-%m-%d");

  if (status == MW_RECOVERY_STATUS_RESOLVED)
    analysis = "2";  /* completed */
  else if (status == MW_RECOVERY_STATUS_CONTAINING || status == MW_RECOVERY_STATUS_MITIGATING)
    analysis = "1";  /* ongoing */
  else
    analysis = "0";  /* initial */

  event_name = g_strconcat (key, "/misp-event", NULL);
  event_uuid = mw_export_uuid5 (event_name);
  org_name = g_strconcat ("provider/identity/", registration != NULL ? registration : key, NULL);
  org_uuid = mw_export_uuid5 (org_name);

  event = json_object_new ();
  json_object_set_string_member (event, "uuid", event_uuid);
  json_object_set_string_member (event, "info", summary != NULL ? summary : _("Untitled incident"));
  json_object_set_string_member (event, "date", date);
  json_object_set_string_member (event, "threat_level_id", misp_threat_level (report, regime));
  json_object_set_string_member (event, "analysis", analysis);
  /* 0: your organisation only. Sharing further is the reporter's decision, made in MISP. */
  json_object_set_string_member (event, "distribution", "0");
  json_object_set_boolean_member (event, "published", FALSE);
  json_object_set_string_member (event, "timestamp", timestamp);

  orgc = json_object_new ();
  json_object_set_string_member (orgc, "name",
                                 provider != NULL ? provider : registration != NULL ? registration : _("Unknown provider"));
  json_object_set_string_member (orgc, "uuid", org_uuid);
  json_object_set_object_member (event, "Orgc", orgc);

  tags = json_array_new ();
  if (category != NULL)
    {
      const MwTaxonomyEntry *entry = mw_taxonomy_lookup (category);
      g_autofree char *name = NULL;

      if (entry != NULL)
        name = g_strdup_printf ("rsit:%s=\"%s\"", entry->class_id, entry->type_id);
      else if (strchr (category, '/') != NULL && strchr (category, '"') == NULL)
        {
          g_auto(GStrv) parts = g_strsplit (category, "/", 2);
          name = g_strdup_printf ("rsit:%s=\"%s\"", parts[0], parts[1]);
        }
      if (name != NULL)
        json_array_add_object_element (tags, misp_tag (name));
    }
  if (mw_report_get_training (report))
    json_array_add_object_element (tags, misp_tag ("rsit:test=\"test\""));
  if (json_array_get_length (tags) > 0)
    json_object_set_array_member (event, "Tag", tags);
  else
    json_array_unref (tags);

  attributes = json_array_new ();
  if (mw_export_string (report, "report_id") != NULL)
    json_array_add_object_element (attributes,
                                   misp_attribute (key, "report_id", "text", "Internal reference",
                                                   mw_export_string (report, "report_id"),
                                                   "Meldwijzer report_id", FALSE, timestamp));
  if (mw_export_string (report, "incident_id") != NULL)
    json_array_add_object_element (attributes,
                                   misp_attribute (key, "incident_id", "text", "Internal reference",
                                                   mw_export_string (report, "incident_id"),
                                                   "Meldwijzer incident_id", FALSE, timestamp));
  if (mw_export_string (report, "nature.description") != NULL)
    json_array_add_object_element (attributes,
                                   misp_attribute (key, "description", "text", "Other",
                                                   mw_export_string (report, "nature.description"),
                                                   "Description", FALSE, timestamp));

  indicators = report_indicators (report);
  for (guint i = 0; i < indicators->len; i++)
    {
      const Indicator *indicator = &g_array_index (indicators, Indicator, i);
      g_autofree char *what = NULL;
      const char *type, *attribute_category;

      if (!misp_type (indicator, category, &type, &attribute_category))
        continue;
      what = g_strdup_printf ("indicator/%u/%s/%s", i, indicator->type, indicator->value);
      json_array_add_object_element (attributes,
                                     misp_attribute (key, what, type, attribute_category, indicator->value,
                                                     indicator->type, TRUE, timestamp));
    }
  json_object_set_array_member (event, "Attribute", attributes);

  wrapper = json_object_new ();
  json_object_set_object_member (wrapper, "Event", event);
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, wrapper);
  return json_pretty (root);
}

/* ---------------------------------------------------------------------------------------- */
/* IODEF (RFC 7970)                                                                         */

/* Character data or an attribute value: markup characters escaped, and characters that
 * XML 1.0 cannot hold at all (control characters) replaced by U+FFFD. */
static void
append_xml_text (GString    *xml,
                 const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '&':
          g_string_append (xml, "&amp;");
          break;
        case '<':
          g_string_append (xml, "&lt;");
          break;
        case '>':
          g_string_append (xml, "&gt;");
          break;
        case '"':
          g_string_append (xml, "&quot;");
          break;
        case '\'':
          g_string_append (xml, "&apos;");
          break;
        case '\r':
          g_string_append (xml, "&#13;");
          break;
        default:
          if ((c < 0x20 && c != '\t' && c != '\n') || c == 0xFFFE || c == 0xFFFF)
            g_string_append_unichar (xml, 0xFFFD);
          else
            g_string_append_len (xml, p, g_utf8_next_char (p) - p);
        }
    }
}

static void
indent (GString *xml,
        int      depth)
{
  for (int i = 0; i < depth; i++)
    g_string_append (xml, "  ");
}

/* <name attributes>text</name> on one line; attributes is "" or " a=\"…\"" already escaped. */
static void
xml_element (GString    *xml,
             int         depth,
             const char *name,
             const char *attributes,
             const char *text)
{
  indent (xml, depth);
  g_string_append_printf (xml, "<%s%s>", name, attributes);
  append_xml_text (xml, text);
  g_string_append_printf (xml, "</%s>\n", name);
}

static void
xml_open (GString    *xml,
          int         depth,
          const char *name,
          const char *attributes)
{
  indent (xml, depth);
  g_string_append_printf (xml, "<%s%s>\n", name, attributes);
}

static void
xml_close (GString    *xml,
           int         depth,
           const char *name)
{
  indent (xml, depth);
  g_string_append_printf (xml, "</%s>\n", name);
}

static char *
xml_attribute (const char *name,
               const char *value)
{
  g_autoptr(GString) attribute = g_string_new (NULL);

  g_string_append_printf (attribute, " %s=\"", name);
  append_xml_text (attribute, value);
  g_string_append_c (attribute, '"');
  return g_string_free (g_steal_pointer (&attribute), FALSE);
}

static void
iodef_time (GString    *xml,
            int         depth,
            const char *element,
            GDateTime  *time)
{
  g_autofree char *text = NULL;

  if (time == NULL)
    return;
  text = mw_format_time (time);
  xml_element (xml, depth, element, "", text);
}

static void
iodef_report_time (GString    *xml,
                   int         depth,
                   const char *element,
                   MwReport   *report,
                   const char *path)
{
  g_autoptr(GDateTime) time = mw_export_report_time (report, path);

  iodef_time (xml, depth, element, time);
}

static void
iodef_person (GString    *xml,
              int         depth,
              MwReport   *report,
              const char *prefix,
              const char *role)
{
  g_autofree char *name_path = g_strconcat (prefix, ".name", NULL);
  g_autofree char *role_path = g_strconcat (prefix, ".role", NULL);
  g_autofree char *email_path = g_strconcat (prefix, ".email", NULL);
  g_autofree char *phone_path = g_strconcat (prefix, ".phone", NULL);
  const char *name = mw_export_string (report, name_path);
  const char *title = mw_export_string (report, role_path);
  const char *email = mw_export_string (report, email_path);
  const char *phone = mw_export_string (report, phone_path);
  g_autofree char *attributes = NULL;

  if (name == NULL && email == NULL && phone == NULL)
    return;

  attributes = g_strdup_printf (" role=\"%s\" type=\"person\"", role);
  xml_open (xml, depth, "Contact", attributes);
  if (name != NULL)
    xml_element (xml, depth + 1, "ContactName", "", name);
  if (title != NULL)
    xml_element (xml, depth + 1, "ContactTitle", "", title);
  if (email != NULL)
    {
      xml_open (xml, depth + 1, "Email", "");
      xml_element (xml, depth + 2, "EmailTo", "", email);
      xml_close (xml, depth + 1, "Email");
    }
  if (phone != NULL)
    {
      xml_open (xml, depth + 1, "Telephone", "");
      xml_element (xml, depth + 2, "TelephoneNumber", "", phone);
      xml_close (xml, depth + 1, "Telephone");
    }
  xml_close (xml, depth, "Contact");
}

static const char *
iodef_impact_type (const char *affected)
{
  if (g_str_equal (affected, "availability"))
    return "availability-service";
  if (g_str_equal (affected, "integrity"))
    return "integrity-data";
  if (g_str_equal (affected, "confidentiality"))
    return "breach-proprietary";
  if (g_str_equal (affected, "authenticity"))
    return "takeover-account";
  return "unknown";
}

static void
iodef_assessment (GString  *xml,
                  int       depth,
                  MwReport *report)
{
  const char *kind = mw_export_string (report, "kind");
  const char *category = mw_export_string (report, "nature.category");
  const char *cause = mw_export_string (report, "nature.cause");
  const char *measures = mw_export_string (report, "recovery.measures");
  gboolean actual = kind == NULL || g_str_equal (kind, "incident");
  JsonNode *affected = mw_report_get_node (report, "nature.affected");
  guint impacts = 0;
  double minutes, loss;

  xml_open (xml, depth, "Assessment", actual ? " occurrence=\"actual\"" : " occurrence=\"potential\"");
  if (category != NULL)
    xml_element (xml, depth + 1, "IncidentCategory", "", category);

  if (affected != NULL && JSON_NODE_HOLDS_ARRAY (affected))
    {
      JsonArray *array = json_node_get_array (affected);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *aspect;
          g_autofree char *attributes = NULL;

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            continue;
          aspect = json_node_get_string (element);
          attributes = g_strdup_printf (" completion=\"%s\" type=\"%s\"",
                                        actual ? "succeeded" : "failed", iodef_impact_type (aspect));
          xml_open (xml, depth + 1, "SystemImpact", attributes);
          xml_element (xml, depth + 2, "Description", "", aspect);
          xml_close (xml, depth + 1, "SystemImpact");
          impacts++;
        }
    }
  if (mw_report_get_number (report, "facts.unavailable_minutes", &minutes) && minutes > 0)
    {
      g_autofree char *text = g_strdup_printf ("%.0f", minutes);
      xml_element (xml, depth + 1, "TimeImpact", " metric=\"downtime\" duration=\"minute\"", text);
      impacts++;
    }
  if (mw_report_get_number (report, "facts.financial_loss_eur", &loss) && loss > 0)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      xml_element (xml, depth + 1, "MonetaryImpact", " currency=\"EUR\"",
                   g_ascii_formatd (buffer, sizeof buffer, "%.2f", loss));
      impacts++;
    }
  if (impacts == 0)  /* the schema wants at least one impact */
    xml_element (xml, depth + 1, "SystemImpact", " type=\"unknown\"", "");

  if (measures != NULL)
    xml_element (xml, depth + 1, "MitigatingFactor", "", measures);
  if (cause != NULL)
    xml_element (xml, depth + 1, "Cause", "", cause);
  xml_close (xml, depth, "Assessment");
}

static const char *
iodef_address_category (const Indicator *indicator)
{
  gboolean net = strchr (indicator->value, '/') != NULL;

  if (g_str_equal (indicator->type, "ipv4-addr"))
    return net ? "ipv4-net" : "ipv4-addr";
  if (g_str_equal (indicator->type, "ipv6-addr"))
    return net ? "ipv6-net" : "ipv6-addr";
  if (g_str_equal (indicator->type, "url"))
    return "site-uri";
  if (g_str_equal (indicator->type, "email-addr"))
    return "e-mail";
  return NULL;
}

/* xmldsig digest method URIs (RFC 6931) for the hash types of the report format. */
static const char *
iodef_digest_method (const char *algorithm)
{
  if (g_str_equal (algorithm, "MD5"))
    return "http://www.w3.org/2001/04/xmldsig-more#md5";
  if (g_str_equal (algorithm, "SHA-1"))
    return "http://www.w3.org/2000/09/xmldsig#sha1";
  if (g_str_equal (algorithm, "SHA-256"))
    return "http://www.w3.org/2001/04/xmlenc#sha256";
  return NULL;
}

static void
iodef_event_data (GString  *xml,
                  int       depth,
                  MwReport *report)
{
  g_autoptr(GArray) indicators = report_indicators (report);
  guint network = 0, files = 0;

  for (guint i = 0; i < indicators->len; i++)
    {
      const Indicator *indicator = &g_array_index (indicators, Indicator, i);
      const char *algorithm;

      if (is_hash_type (indicator->type, &algorithm))
        files += iodef_digest_method (algorithm) != NULL;
      else if (iodef_address_category (indicator) != NULL || g_str_equal (indicator->type, "domain-name"))
        network++;
    }
  if (network == 0 && files == 0)
    return;

  xml_open (xml, depth, "EventData", "");
  xml_element (xml, depth + 1, "Description", "", _("Indicators reported by the provider"));

  if (network > 0)
    {
      xml_open (xml, depth + 1, "Flow", "");
      for (guint i = 0; i < indicators->len; i++)
        {
          const Indicator *indicator = &g_array_index (indicators, Indicator, i);
          const char *category = iodef_address_category (indicator);
          gboolean domain = g_str_equal (indicator->type, "domain-name");

          if (category == NULL && !domain)
            continue;
          xml_open (xml, depth + 2, "System", " category=\"source\"");
          xml_open (xml, depth + 3, "Node", "");
          if (domain)
            {
              xml_open (xml, depth + 4, "DomainData", "");
              xml_element (xml, depth + 5, "Name", "", indicator->value);
              xml_close (xml, depth + 4, "DomainData");
            }
          else
            {
              g_autofree char *attributes = xml_attribute ("category", category);
              xml_element (xml, depth + 4, "Address", attributes, indicator->value);
            }
          xml_close (xml, depth + 3, "Node");
          xml_element (xml, depth + 3, "Description", "", indicator->type);
          xml_close (xml, depth + 2, "System");
        }
      xml_close (xml, depth + 1, "Flow");
    }

  if (files > 0)
    {
      xml_open (xml, depth + 1, "Record", "");
      xml_open (xml, depth + 2, "RecordData", "");
      xml_open (xml, depth + 3, "FileData", "");
      for (guint i = 0; i < indicators->len; i++)
        {
          const Indicator *indicator = &g_array_index (indicators, Indicator, i);
          const char *algorithm, *method;
          g_autofree guint8 *digest = NULL;
          g_autofree char *digest_base64 = NULL;
          g_autofree char *method_attribute = NULL;
          gsize length;

          if (!is_hash_type (indicator->type, &algorithm) || (method = iodef_digest_method (algorithm)) == NULL)
            continue;
          /* xmldsig carries the digest in base64; the report has it in hex. */
          length = strlen (indicator->value) / 2;
          digest = g_malloc0 (length + 1);
          for (gsize j = 0; j < length; j++)
            {
              int high = g_ascii_xdigit_value (indicator->value[2 * j]);
              int low = g_ascii_xdigit_value (indicator->value[2 * j + 1]);
              digest[j] = (guint8) (((high < 0 ? 0 : high) << 4) | (low < 0 ? 0 : low));
            }
          digest_base64 = g_base64_encode (digest, length);
          method_attribute = xml_attribute ("Algorithm", method);

          xml_open (xml, depth + 4, "File", "");
          xml_open (xml, depth + 5, "HashData", " scope=\"file-contents\"");
          xml_open (xml, depth + 6, "Hash", "");
          indent (xml, depth + 7);
          g_string_append_printf (xml, "<ds:DigestMethod%s/>\n", method_attribute);
          xml_element (xml, depth + 7, "ds:DigestValue", "", digest_base64);
          xml_close (xml, depth + 6, "Hash");
          xml_close (xml, depth + 5, "HashData");
          xml_close (xml, depth + 4, "File");
        }
      xml_close (xml, depth + 3, "FileData");
      xml_close (xml, depth + 2, "RecordData");
      xml_close (xml, depth + 1, "Record");
    }

  xml_close (xml, depth, "EventData");
}

char *
mw_export_iodef (MwReport  *report,
                 GError   **error)
{
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GString) xml = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *incident_attributes = NULL;
  g_autofree char *id_name = NULL;
  g_autofree char *report_id_key = NULL;
  const char *registration = mw_export_string (report, "provider.registration");
  const char *provider = mw_export_string (report, "provider.name");
  const char *report_id = mw_export_string (report, "report_id");
  const char *incident_id = mw_export_string (report, "incident_id");
  const char *supersedes = mw_export_string (report, "supersedes");
  gboolean resolved = report_enum (report, "recovery.status", MW_TYPE_RECOVERY_STATUS) == MW_RECOVERY_STATUS_RESOLVED;
  const char *summary = mw_export_string (report, "nature.summary");
  const char *description = mw_export_string (report, "nature.description");
  gboolean may_share = FALSE;

  g_return_val_if_fail (MW_IS_REPORT (report), NULL);

  created = mw_export_created_time (report, error);
  if (created == NULL)
    return NULL;

  if (report_id == NULL)
    report_id = report_id_key = mw_export_report_key (report);
  mw_report_get_boolean (report, "consent.csirt_may_share_identifiable", &may_share);

  xml = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  lang = xml_attribute ("xml:lang", mw_language ());
  g_string_append_printf (xml,
                          "<IODEF-Document version=\"2.00\"%s xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" "
                          "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\n", lang);

  incident_attributes = g_strdup_printf (" purpose=\"reporting\" status=\"%s\" restriction=\"%s\"",
                                         resolved ? "resolved" : "in-progress",
                                         may_share ? "need-to-know" : "private");
  xml_open (xml, 1, "Incident", incident_attributes);

  id_name = xml_attribute ("name", registration != NULL ? registration : provider != NULL ? provider : "meldwijzer");
  xml_element (xml, 2, "IncidentID", id_name, report_id);
  if (incident_id != NULL)
    {
      xml_open (xml, 2, "AlternativeID", "");
      xml_element (xml, 3, "IncidentID", " name=\"meldwijzer incident_id\"", incident_id);
      xml_close (xml, 2, "AlternativeID");
    }
  if (supersedes != NULL)
    {
      xml_open (xml, 2, "RelatedActivity", "");
      xml_element (xml, 3, "IncidentID", id_name, supersedes);
      xml_element (xml, 3, "Description", "", _("This report supersedes the earlier report of the same incident."));
      xml_close (xml, 2, "RelatedActivity");
    }

  iodef_report_time (xml, 2, "DetectTime", report, "timeline.detected_at");
  iodef_report_time (xml, 2, "StartTime", report, "timeline.started_at");
  iodef_report_time (xml, 2, "EndTime", report, "timeline.resolved_at");
  iodef_time (xml, 2, "ReportTime", created);
  iodef_time (xml, 2, "GenerationTime", created);

  if (mw_report_get_training (report))
    xml_element (xml, 2, "Description", "", _("TRAINING: a practice report, not a real incident."));
  xml_element (xml, 2, "Description", "", summary != NULL ? summary : _("Untitled incident"));
  if (description != NULL)
    xml_element (xml, 2, "Description", "", description);

  iodef_assessment (xml, 2, report);

  xml_open (xml, 2, "Contact", " role=\"creator\" type=\"organization\"");
  xml_element (xml, 3, "ContactName", "", provider != NULL ? provider : _("Unknown provider"));
  if (registration != NULL)
    xml_element (xml, 3, "Description", "", registration);
  iodef_person (xml, 3, report, "provider.contact", "creator");
  iodef_person (xml, 3, report, "provider.technical_contact", "tech");
  xml_close (xml, 2, "Contact");

  iodef_event_data (xml, 2, report);

  xml_element (xml, 2, "AdditionalData", " dtype=\"boolean\" meaning=\"training\"",
               mw_report_get_training (report) ? "true" : "false");
  if (mw_export_string (report, "stage") != NULL)
    xml_element (xml, 2, "AdditionalData", " dtype=\"string\" meaning=\"stage\"", mw_export_string (report, "stage"));
  if (mw_export_string (report, "regime") != NULL)
    xml_element (xml, 2, "AdditionalData", " dtype=\"string\" meaning=\"regime\"", mw_export_string (report, "regime"));

  xml_close (xml, 1, "Incident");
  g_string_append (xml, "</IODEF-Document>\n");
  return g_string_free (g_steal_pointer (&xml), FALSE);
}

/* ---------------------------------------------------------------------------------------- */

GBytes *
mw_export (MwReport        *report,
           MwExportFormat   format,
           MwRegime        *regime,
           const char      *jws,
           GError         **error)
{
  char *text = NULL;

  g_return_val_if_fail (MW_IS_REPORT (report), NULL);
  g_return_val_if_fail (regime == NULL || MW_IS_REGIME (regime), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_report (report, error))
    return NULL;

  switch (format)
    {
    case MW_EXPORT_PDF:
      return mw_export_pdf (report, regime, jws, error);
    case MW_EXPORT_STIX:
      text = mw_export_stix (report, error);
      break;
    case MW_EXPORT_MISP:
      text = mw_export_misp (report, regime, error);
      break;
    case MW_EXPORT_IODEF:
      text = mw_export_iodef (report, error);
      break;
    default:
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("unknown export format; use pdf, stix, misp or iodef"));
      return NULL;
    }

  if (text == NULL)
    return NULL;
  return g_bytes_new_take (text, strlen (text));
}
