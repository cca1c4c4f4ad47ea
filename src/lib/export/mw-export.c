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
               _("%s; correct the report and export again"),
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

/* The sharing limit the reporter set, as a Traffic Light Protocol 2.0 label in each format.
 *
 * The report's one sharing question is consent.csirt_may_share_identifiable: may the CSIRT
 * pass data that identifies the provider to third parties (Wbni/Cbw: only with consent)?
 * - true: TLP:GREEN. The CSIRT may share within its community (other CSIRTs, the sector),
 *   not publicly: what consent to share with third parties allows, and no more, since the
 *   report still identifies the provider and authorities publish only statistics.
 * - false, or not answered: TLP:AMBER+STRICT. Only the recipient organisation, on a
 *   need-to-know basis. Plain TLP:AMBER would let the CSIRT pass the report on to its
 *   clients (for the NCSC: other providers), which are exactly the third parties the
 *   reporter did not agree to; an unanswered question is no consent.
 * Everything in an export identifies the provider (name, registration, contacts, and the
 * indicators in the incident's context), so one label marks the whole export. */
typedef struct {
  const char *name;          /* TLP 2.0 name */
  const char *stix_marking;  /* the standard STIX 2.1 TLP 2.0 marking-definition id */
  const char *stix_value;    /* its tlp_2_0 extension property */
  const char *misp_tag;      /* MISP "tlp" taxonomy tag */
  const char *misp_distribution;
  const char *iodef_restriction;
} Tlp;

static const Tlp tlp_green = {
  "TLP:GREEN", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green",
  "tlp:green",
  "1",            /* MISP: this community only */
  "green",        /* RFC 7970 restriction-type: TLP GREEN */
};

static const Tlp tlp_amber_strict = {
  "TLP:AMBER+STRICT", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict",
  "tlp:amber+strict",
  "0",            /* MISP: your organisation only */
  "need-to-know", /* RFC 7970: shared only within the organisation with a need to know;
                   * its "amber" would allow the recipient's clients too */
};

#define STIX_TLP_EXTENSION "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
#define STIX_TLP_CREATED   "2022-10-01T00:00:00.000Z"

static const Tlp *
report_tlp (MwReport *report)
{
  gboolean may_share = FALSE;

  if (mw_report_get_boolean (report, "consent.csirt_may_share_identifiable", &may_share) && may_share)
    return &tlp_green;
  return &tlp_amber_strict;
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
  const char *op = " = ";

  if (is_hash_type (indicator->type, &algorithm))
    {
      /* MD5 is a plain property name; SHA-1 and SHA-256 need quoting for their hyphen. */
      if (strchr (algorithm, '-') != NULL)
        g_string_append_printf (pattern, "file:hashes.'%s'", algorithm);
      else
        g_string_append_printf (pattern, "file:hashes.%s", algorithm);
    }
  else if (g_str_equal (indicator->type, "ipv4-addr") || g_str_equal (indicator->type, "ipv6-addr"))
    {
      /* A network (CIDR) matches the addresses in it: ISSUBSET (STIX 2.1 §9.5); "=" would
       * compare the string. */
      g_string_append_printf (pattern, "%s:value", indicator->type);
      op = strchr (indicator->value, '/') != NULL ? " ISSUBSET " : " = ";
    }
  else if (g_str_equal (indicator->type, "domain-name") || g_str_equal (indicator->type, "url") ||
           g_str_equal (indicator->type, "email-addr"))
    g_string_append_printf (pattern, "%s:value", indicator->type);
  else
    return NULL;

  g_string_append (pattern, op);
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

/* Meldwijzer's STIX extension: one extension-definition (STIX 2.1 §7.3) holds every property
 * the report adds to identity and incident. Its id, time and content are fixed: a new version
 * of the properties is a new extension id. The project that defines it is an identity of its
 * own. */
#define STIX_EXTENSION_CREATED "2026-12-06T00:00:00.000Z"
#define STIX_EXTENSION_SCHEMA  "https://github.com/meldwijzer/meldwijzer/blob/main/data/stix/meldwijzer-report-1.json"

static char *
stix_extension_id (void)
{
  return object_id ("extension-definition", "meldwijzer", "stix-extension/" MW_REPORT_FORMAT);
}

static JsonObject *
stix_extension_new (void)
{
  JsonObject *extension = json_object_new ();

  json_object_set_string_member (extension, "extension_type", "property-extension");
  return extension;
}

static void
stix_set_extension (JsonObject *object,
                    JsonObject *extension)
{
  JsonObject *extensions = json_object_new ();
  g_autofree char *id = stix_extension_id ();

  json_object_set_object_member (extensions, id, extension);
  json_object_set_object_member (object, "extensions", extensions);
}

static JsonObject *
stix_project_identity (const char *id)
{
  JsonObject *identity = json_object_new ();

  json_object_set_string_member (identity, "type", "identity");
  json_object_set_string_member (identity, "spec_version", "2.1");
  json_object_set_string_member (identity, "id", id);
  json_object_set_string_member (identity, "created", STIX_EXTENSION_CREATED);
  json_object_set_string_member (identity, "modified", STIX_EXTENSION_CREATED);
  json_object_set_string_member (identity, "name", "Meldwijzer");
  json_object_set_string_member (identity, "description",
                                 "The Meldwijzer project, which defines the STIX extension of its reports.");
  json_object_set_string_member (identity, "identity_class", "group");
  json_object_set_string_member (identity, "contact_information", "https://github.com/meldwijzer/meldwijzer");
  return identity;
}

static JsonObject *
stix_extension_definition (const char *project_id)
{
  JsonObject *definition = json_object_new ();
  JsonArray *types = json_array_new ();
  g_autofree char *id = stix_extension_id ();

  json_object_set_string_member (definition, "type", "extension-definition");
  json_object_set_string_member (definition, "spec_version", "2.1");
  json_object_set_string_member (definition, "id", id);
  json_object_set_string_member (definition, "created_by_ref", project_id);
  json_object_set_string_member (definition, "created", STIX_EXTENSION_CREATED);
  json_object_set_string_member (definition, "modified", STIX_EXTENSION_CREATED);
  json_object_set_string_member (definition, "name", "Meldwijzer report");
  json_object_set_string_member (definition, "description",
                                 "What a Meldwijzer incident report (" MW_REPORT_FORMAT ") says beyond the STIX "
                                 "core properties: on the incident its report and incident ids, stage, kind, "
                                 "legal regime, training flag, ENISA category, cause, affected aspects, service, "
                                 "recovery status and timeline; on the provider's identity its registration, "
                                 "sector and entity type.");
  json_object_set_string_member (definition, "schema", STIX_EXTENSION_SCHEMA);
  json_object_set_string_member (definition, "version", "1.0.0");
  json_array_add_string_element (types, "property-extension");
  json_object_set_array_member (definition, "extension_types", types);
  return definition;
}

/* The standard TLP 2.0 marking definition, exactly as published with the STIX TLP 2.0
 * extension (oasis-open/cti-stix-common-objects). */
static JsonObject *
stix_tlp_marking (const Tlp *tlp)
{
  JsonObject *marking = json_object_new ();
  JsonObject *extensions = json_object_new ();
  JsonObject *extension = json_object_new ();

  json_object_set_string_member (marking, "type", "marking-definition");
  json_object_set_string_member (marking, "spec_version", "2.1");
  json_object_set_string_member (marking, "id", tlp->stix_marking);
  json_object_set_string_member (marking, "created", STIX_TLP_CREATED);
  json_object_set_string_member (marking, "name", tlp->name);
  json_object_set_string_member (extension, "extension_type", "property-extension");
  json_object_set_string_member (extension, "tlp_2_0", tlp->stix_value);
  json_object_set_object_member (extensions, STIX_TLP_EXTENSION, extension);
  json_object_set_object_member (marking, "extensions", extensions);
  return marking;
}

static void
stix_mark (JsonObject *object,
           const Tlp  *tlp)
{
  JsonArray *refs = json_array_new ();

  json_array_add_string_element (refs, tlp->stix_marking);
  json_object_set_array_member (object, "object_marking_refs", refs);
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
  JsonObject *extension;

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
  extension = stix_extension_new ();
  set_string_if (extension, "registration", registration);
  set_string_if (extension, "sector", mw_export_string (report, "provider.sector"));
  set_string_if (extension, "entity_type", mw_export_string (report, "provider.entity_type"));
  stix_set_extension (identity, extension);
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
  JsonObject *timeline, *extension;
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

  /* What the report says beyond name and description, in Meldwijzer's property extension
   * (STIX 2.1 §7.3) rather than as loose x_ properties. */
  extension = stix_extension_new ();
  set_string_if (extension, "report_id", report_id);
  set_string_if (extension, "incident_id", mw_export_string (report, "incident_id"));
  set_string_if (extension, "supersedes", mw_export_string (report, "supersedes"));
  set_string_if (extension, "stage", mw_export_string (report, "stage"));
  set_string_if (extension, "kind", mw_export_string (report, "kind"));
  set_string_if (extension, "regime", mw_export_string (report, "regime"));
  json_object_set_boolean_member (extension, "training", training);
  set_string_if (extension, "category", category);
  set_string_if (extension, "cause", mw_export_string (report, "nature.cause"));
  affected = mw_report_get_node (report, "nature.affected");
  if (affected != NULL && JSON_NODE_HOLDS_ARRAY (affected) && json_array_get_length (json_node_get_array (affected)) > 0)
    json_object_set_member (extension, "affected", json_node_copy (affected));
  set_string_if (extension, "service", mw_export_string (report, "service.name"));
  set_string_if (extension, "recovery_status", mw_export_string (report, "recovery.status"));
  timeline = stix_timeline (report);
  if (json_object_get_size (timeline) > 0)
    json_object_set_object_member (extension, "timeline", timeline);
  else
    json_object_unref (timeline);
  stix_set_extension (incident, extension);

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
  JsonObject *object;
  const char *indicator_type;
  const Tlp *tlp;
  g_autofree char *project_id = object_id ("identity", "meldwijzer", "project");

  g_return_val_if_fail (MW_IS_REPORT (report), NULL);

  tlp = report_tlp (report);
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
  json_array_add_object_element (objects, stix_tlp_marking (tlp));
  json_array_add_object_element (objects, stix_project_identity (project_id));
  json_array_add_object_element (objects, stix_extension_definition (project_id));
  object = stix_identity (report, identity_id, created);
  stix_mark (object, tlp);
  json_array_add_object_element (objects, object);
  object = stix_incident (report, incident_id, identity_id, created);
  stix_mark (object, tlp);
  json_array_add_object_element (objects, object);

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
      stix_mark (object, tlp);
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
      stix_mark (object, tlp);
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

/* The verdict under the regime, or -1 when there is no regime to assess against. */
static int
misp_verdict (MwReport *report,
              MwRegime *regime)
{
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;

  if (regime == NULL)
    return -1;

  assessor = mw_assessor_new (regime);
  assessment = mw_assessor_assess (assessor, report, NULL);
  if (assessment == NULL)
    return -1;
  return (int) mw_assessment_get_verdict (assessment);
}

static const char *
misp_threat_level (int verdict)
{
  /* 1 high, 2 medium, 3 low, 4 undefined: a significant incident by law is high. */
  switch (verdict)
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

/* The incident template's "incident_type" values (misp-objects objects/incident) that say
 * the same as an ENISA taxonomy type or a cause; the rsit tag keeps the exact category. */
static const struct {
  const char *from;
  const char *incident_type;
} misp_incident_types[] = {
  { "availability/dos", "denial-of-service" },
  { "availability/ddos", "denial-of-service" },
  { "availability/misconfiguration", "misconfiguration" },
  { "availability/sabotage", "destruction" },
  { "abusive-content/spam", "spam" },
  { "malicious-code/infected-system", "compromised-system" },
  { "malicious-code/c2-server", "c&c-server-hosting" },
  { "malicious-code/malware-distribution", "hosting-malware-webpage" },
  { "information-gathering/scanner", "network-scanning" },
  { "information-gathering/sniffing", "wiretapping" },
  { "intrusion-attempts/brute-force", "brute-force-attempt" },
  { "intrusion-attempts/exploit", "exploit-attempt" },
  { "intrusions/privileged-account-compromise", "compromised-system" },
  { "intrusions/unprivileged-account-compromise", "compromised-system" },
  { "intrusions/application-compromise", "compromised-system" },
  { "intrusions/system-compromise", "compromised-system" },
  { "intrusions/burglary", "equipment-theft" },
  { "information-content-security/unauthorised-information-access", "unauthorized-access-information" },
  { "information-content-security/unauthorised-information-modification", "modification-information" },
  { "information-content-security/data-loss", "deletion-information" },
  { "information-content-security/data-leak", "unauthorized-release" },
  { "fraud/unauthorised-use-of-resources", "illegitimate-use-resources" },
  { "fraud/copyright", "copyrighted-content" },
  { "fraud/masquerade", "illegitimate-use-name" },
  { "fraud/phishing", "hosting-phishing-sites" },
  { "other/undetermined", "undetermined" },
  { "cause:natural", "natural" },
  { "cause:human-error", "unintentional" },
  { "cause:third-party", "supply-chain-vendor" },
  { "cause:unknown", "undetermined" },
};

static const char *
misp_incident_type (const char *from)
{
  if (from == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (misp_incident_types); i++)
    if (g_str_equal (misp_incident_types[i].from, from))
      return misp_incident_types[i].incident_type;
  return NULL;
}

static void
misp_object_attribute (JsonArray  *attributes,
                       const char *key,
                       const char *relation,
                       const char *value,
                       const char *timestamp)
{
  g_autofree char *what = NULL;
  JsonObject *attribute;

  if (value == NULL)
    return;
  /* A relation may repeat (incident_type is "multiple"): the value tells them apart. */
  what = g_strdup_printf ("object/incident/%s/%s", relation, value);
  attribute = misp_attribute (key, what, "text", "Other", value, NULL, FALSE, timestamp);
  json_object_set_string_member (attribute, "object_relation", relation);
  json_object_set_boolean_member (attribute, "disable_correlation", TRUE);
  json_array_add_object_element (attributes, attribute);
}

/* What the report says of the incident that the "incident" template has no relation for:
 * event attributes, each referenced from the incident object. */
static void
misp_incident_fact (JsonArray  *event_attributes,
                    JsonArray  *references,
                    const char *key,
                    const char *object_uuid,
                    const char *field,
                    const char *type,
                    const char *value,
                    const char *timestamp)
{
  g_autofree char *what = g_strconcat ("incident/", field, NULL);
  g_autofree char *reference_name = NULL;
  g_autofree char *reference_uuid = NULL;
  JsonObject *attribute, *reference;

  if (value == NULL)
    return;
  attribute = misp_attribute (key, what, type, "Other", value, field, FALSE, timestamp);
  json_object_set_boolean_member (attribute, "disable_correlation", TRUE);

  reference_name = g_strconcat (key, "/misp-object-reference/", field, NULL);
  reference_uuid = mw_export_uuid5 (reference_name);
  reference = json_object_new ();
  json_object_set_string_member (reference, "uuid", reference_uuid);
  json_object_set_string_member (reference, "object_uuid", object_uuid);
  json_object_set_string_member (reference, "referenced_uuid", mw_json_get_string (attribute, "uuid"));
  json_object_set_string_member (reference, "relationship_type", "characterized-by");
  json_object_set_string_member (reference, "comment", field);
  json_object_set_string_member (reference, "timestamp", timestamp);
  json_array_add_object_element (references, reference);

  json_array_add_object_element (event_attributes, attribute);
}

static char *
misp_time (MwReport   *report,
           const char *path)
{
  g_autoptr(GDateTime) time = mw_export_report_time (report, path);

  return time != NULL ? mw_format_time (time) : NULL;
}

/* MISP's "incident" object (misp-objects objects/incident, template version 1) with the
 * incident's facts: what fits the template as its attributes, the timeline as the object's
 * first_seen/last_seen and, with service, affected aspects, cause and the exact recovery
 * status, as referenced event attributes. */
#define MISP_INCIDENT_TEMPLATE "38597424-f9bb-4865-9b4b-819172df0334"

static JsonObject *
misp_incident_object (MwReport   *report,
                      const char *key,
                      int         verdict,
                      const char *timestamp,
                      JsonArray  *event_attributes)
{
  static const char * const times[] = {
    "timeline.started_at", "timeline.detected_at", "timeline.aware_at", "timeline.resolved_at", NULL
  };
  JsonObject *object = json_object_new ();
  JsonArray *attributes = json_array_new ();
  JsonArray *references = json_array_new ();
  g_autofree char *name = g_strconcat (key, "/misp-object/incident", NULL);
  g_autofree char *uuid = mw_export_uuid5 (name);
  g_autofree char *first_seen = misp_time (report, "timeline.started_at");
  g_autofree char *last_seen = misp_time (report, "timeline.resolved_at");
  g_autofree char *cause_key = NULL;
  g_autofree char *affected_text = NULL;
  const char *summary = mw_export_string (report, "nature.summary");
  const char *status = mw_export_string (report, "recovery.status");
  const char *cause = mw_export_string (report, "nature.cause");
  const char *kind = mw_export_string (report, "kind");
  const char *category_type, *cause_type;
  JsonNode *affected;

  json_object_set_string_member (object, "uuid", uuid);
  json_object_set_string_member (object, "name", "incident");
  json_object_set_string_member (object, "meta-category", "misc");
  json_object_set_string_member (object, "description",
                                 "Incident object template as described in STIX 2.1 Incident object and its core extension.");
  json_object_set_string_member (object, "template_uuid", MISP_INCIDENT_TEMPLATE);
  json_object_set_string_member (object, "template_version", "1");
  json_object_set_string_member (object, "timestamp", timestamp);
  json_object_set_string_member (object, "distribution", "5");  /* inherit the event's */
  if (first_seen != NULL)
    json_object_set_string_member (object, "first_seen", first_seen);
  if (last_seen != NULL)
    json_object_set_string_member (object, "last_seen", last_seen);

  misp_object_attribute (attributes, key, "name", summary != NULL ? summary : _("Untitled incident"), timestamp);
  misp_object_attribute (attributes, key, "description", mw_export_string (report, "nature.description"), timestamp);
  if (status != NULL)
    misp_object_attribute (attributes, key, "investigation_status",
                           g_str_equal (status, "resolved") ? "closed" : "open", timestamp);
  category_type = misp_incident_type (mw_export_string (report, "nature.category"));
  misp_object_attribute (attributes, key, "incident_type", category_type, timestamp);
  if (cause != NULL)
    {
      cause_key = g_strconcat ("cause:", cause, NULL);
      cause_type = misp_incident_type (cause_key);
      if (g_strcmp0 (cause_type, category_type) != 0)
        misp_object_attribute (attributes, key, "incident_type", cause_type, timestamp);
    }
  /* The template's determinations are those of an attack. */
  if (g_strcmp0 (cause, "malicious") == 0)
    misp_object_attribute (attributes, key, "determination",
                           g_strcmp0 (kind, "near-miss") == 0 ? "failed-attempt" :
                           g_strcmp0 (kind, "threat") == 0 ? "suspected" : "successful-attempt",
                           timestamp);
  /* A significant incident by law is of high criticality; a voluntary one low. */
  if (verdict == MW_VERDICT_MANDATORY)
    misp_object_attribute (attributes, key, "criticality", "High", timestamp);
  else if (verdict == MW_VERDICT_VOLUNTARY)
    misp_object_attribute (attributes, key, "criticality", "Low", timestamp);
  else if (verdict == MW_VERDICT_UNDETERMINED)
    misp_object_attribute (attributes, key, "criticality", "Not Specified", timestamp);
  json_object_set_array_member (object, "Attribute", attributes);

  for (guint i = 0; times[i] != NULL; i++)
    {
      g_autofree char *text = misp_time (report, times[i]);
      misp_incident_fact (event_attributes, references, key, uuid, times[i], "datetime", text, timestamp);
    }
  misp_incident_fact (event_attributes, references, key, uuid, "recovery.status", "text", status, timestamp);
  misp_incident_fact (event_attributes, references, key, uuid, "service.name", "text",
                      mw_export_string (report, "service.name"), timestamp);
  affected = mw_report_get_node (report, "nature.affected");
  if (affected != NULL && JSON_NODE_HOLDS_ARRAY (affected))
    {
      JsonArray *array = json_node_get_array (affected);
      g_autoptr(GPtrArray) aspects = g_ptr_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (aspects, (gpointer) json_node_get_string (element));
        }
      if (aspects->len > 0)
        {
          g_ptr_array_add (aspects, NULL);
          affected_text = g_strjoinv (", ", (char **) aspects->pdata);
        }
    }
  misp_incident_fact (event_attributes, references, key, uuid, "nature.affected", "text", affected_text, timestamp);
  misp_incident_fact (event_attributes, references, key, uuid, "nature.cause", "text", cause, timestamp);

  if (json_array_get_length (references) > 0)
    json_object_set_array_member (object, "ObjectReference", references);
  else
    json_array_unref (references);
  return object;
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
  JsonObject *wrapper, *event, *orgc, *incident;
  JsonArray *tags, *attributes, *objects;
  const Tlp *tlp = report_tlp (report);
  int verdict;
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
  verdict = misp_verdict (report, regime);
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
  json_object_set_string_member (event, "threat_level_id", misp_threat_level (verdict));
  json_object_set_string_member (event, "analysis", analysis);
  /* The reporter's sharing limit (report_tlp): a tlp: tag and the distribution that keeps it. */
  json_object_set_string_member (event, "distribution", tlp->misp_distribution);
  json_object_set_boolean_member (event, "published", FALSE);
  json_object_set_string_member (event, "timestamp", timestamp);

  orgc = json_object_new ();
  json_object_set_string_member (orgc, "name",
                                 provider != NULL ? provider : registration != NULL ? registration : _("Unknown provider"));
  json_object_set_string_member (orgc, "uuid", org_uuid);
  json_object_set_object_member (event, "Orgc", orgc);

  tags = json_array_new ();
  json_array_add_object_element (tags, misp_tag (tlp->misp_tag));
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
  json_object_set_array_member (event, "Tag", tags);

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
  incident = misp_incident_object (report, key, verdict, timestamp, attributes);
  json_object_set_array_member (event, "Attribute", attributes);
  objects = json_array_new ();
  json_array_add_object_element (objects, incident);
  json_object_set_array_member (event, "Object", objects);

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

/* IncidentID's name (RFC 7970 §3.4): "a fully qualified domain name associated with the
 * CSIRT" that issued the id. The report_id is issued by the provider that writes the report
 * (Meldwijzer makes it on its machine), not by the CSIRT that receives it and gives the
 * incident its own number, so the name is the provider's domain: that of its contact's (else
 * its technical contact's) e-mail address, which is where a question about the id goes.
 * Without either, the reserved name "invalid" (RFC 6761 §6.4) says the domain is unknown
 * rather than invent one; a KvK number, a name or a CSIRT's domain would each claim an issuer
 * that did not issue the id. */
static gboolean
is_host_name (const char *name)
{
  g_auto(GStrv) labels = NULL;

  if (*name == '\0' || strlen (name) > 253 || strchr (name, '.') == NULL)
    return FALSE;
  labels = g_strsplit (name, ".", -1);
  for (char **label = labels; *label != NULL; label++)
    {
      gsize length = strlen (*label);

      if (length == 0 || length > 63 || (*label)[0] == '-' || (*label)[length - 1] == '-')
        return FALSE;
      for (const char *c = *label; *c != '\0'; c++)
        if (!g_ascii_isalnum (*c) && *c != '-')
          return FALSE;
    }
  return TRUE;
}

static char *
iodef_issuer_domain (MwReport *report)
{
  static const char * const paths[] = { "provider.contact.email", "provider.technical_contact.email", NULL };

  for (guint i = 0; paths[i] != NULL; i++)
    {
      const char *email = mw_export_string (report, paths[i]);
      const char *at = email != NULL ? strrchr (email, '@') : NULL;
      g_autofree char *domain = NULL;
      gboolean valid;

      if (at == NULL)
        continue;
      domain = g_ascii_strdown (at + 1, -1);
      if (g_str_has_suffix (domain, "."))
        domain[strlen (domain) - 1] = '\0';
      valid = is_host_name (domain);
      if (valid)
        return g_steal_pointer (&domain);
    }
  return g_strdup ("invalid");
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
  g_autofree char *domain = NULL;
  g_autofree char *report_id_key = NULL;
  const char *registration = mw_export_string (report, "provider.registration");
  const char *provider = mw_export_string (report, "provider.name");
  const char *report_id = mw_export_string (report, "report_id");
  const char *incident_id = mw_export_string (report, "incident_id");
  const char *supersedes = mw_export_string (report, "supersedes");
  gboolean resolved = report_enum (report, "recovery.status", MW_TYPE_RECOVERY_STATUS) == MW_RECOVERY_STATUS_RESOLVED;
  const char *summary = mw_export_string (report, "nature.summary");
  const char *description = mw_export_string (report, "nature.description");
  const Tlp *tlp = report_tlp (report);

  g_return_val_if_fail (MW_IS_REPORT (report), NULL);

  created = mw_export_created_time (report, error);
  if (created == NULL)
    return NULL;

  if (report_id == NULL)
    report_id = report_id_key = mw_export_report_key (report);

  xml = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  lang = xml_attribute ("xml:lang", mw_language ());
  g_string_append_printf (xml,
                          "<IODEF-Document version=\"2.00\"%s xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" "
                          "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\n", lang);

  incident_attributes = g_strdup_printf (" purpose=\"reporting\" status=\"%s\" restriction=\"%s\"",
                                         resolved ? "resolved" : "in-progress",
                                         tlp->iodef_restriction);
  xml_open (xml, 1, "Incident", incident_attributes);

  domain = iodef_issuer_domain (report);
  id_name = xml_attribute ("name", domain);
  xml_element (xml, 2, "IncidentID", id_name, report_id);
  /* AlternativeID holds the numbers *other* CSIRTs gave this incident (RFC 7970 §3.2); the
   * provider's own ids are related activity: the incident all its reports belong to, and the
   * report this one replaces. */
  if (incident_id != NULL)
    {
      xml_open (xml, 2, "RelatedActivity", "");
      xml_element (xml, 3, "IncidentID", id_name, incident_id);
      xml_element (xml, 3, "Description", "",
                   _("The incident this report belongs to: every report of the incident carries this id."));
      xml_close (xml, 2, "RelatedActivity");
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
