/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export"

#include <string.h>

#include "mw-error.h"
#include "mw-export.h"
#include "mw-json.h"
#include "mw-label.h"
#include "mw-report.h"
#include "mw-signer.h"

/* MwExport: ids, determinism, escaping of hostile text in every format, every indicator
 * type, the signed form in the PDF, and refusals. Schema validation of the same exports
 * against the OASIS/MISP schemas is in test-export-schemas.py. */

#define HOSTILE_SUMMARY "</Description><script>alert(\"x\")</script> & 'quoted' \\ ]]>"
#define HOSTILE_NAME    "Evil \"Corp\" <b>B.V.</b> & Co"

static MwReport *
load_example (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reports", name, NULL);
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_report_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* Binary-safe search: a PDF holds NUL bytes, so g_strstr_len() would stop early. */
static gboolean
bytes_contain (const char *data,
               gsize       length,
               const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (data + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

static void
set_indicators (MwReport   *report,
                const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = mw_json_parse (json, -1, "indicators", &error);

  g_assert_no_error (error);
  mw_report_set_node (report, "indicators", node);
}

static char *
export_text (MwReport       *report,
             MwExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = mw_export (report, format, NULL, NULL, &error);
  gsize length;
  const char *data;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &length);
  g_assert_cmpuint (length, >, 0);
  if (format != MW_EXPORT_PDF)
    g_assert_true (g_utf8_validate (data, length, NULL));
  return g_strndup (data, length);
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **keep)
{
  g_autoptr(GError) error = NULL;

  *keep = mw_json_parse (text, -1, "export", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*keep));
  return json_node_get_object (*keep);
}

static JsonObject *
stix_object_of_type (JsonObject *bundle,
                     const char *type,
                     guint       nth)
{
  JsonArray *objects = json_object_get_array_member (bundle, "objects");

  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      JsonObject *object = json_array_get_object_element (objects, i);

      if (g_str_equal (json_object_get_string_member (object, "type"), type) && nth-- == 0)
        return object;
    }
  return NULL;
}

/* ---------------------------------------------------------------------------------------- */

static void
test_format_names (void)
{
  MwExportFormat format;
  const char * const names[] = { "pdf", "stix", "misp", "iodef" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (mw_export_format_parse (names[i], &format));
      g_assert_cmpstr (mw_export_format_to_string (format), ==, names[i]);
      g_assert_nonnull (mw_export_format_content_type (format));
      g_assert_nonnull (mw_export_format_extension (format));
    }
  g_assert_true (mw_export_format_parse ("STIX", &format));
  g_assert_cmpint (format, ==, MW_EXPORT_STIX);
  g_assert_false (mw_export_format_parse ("csv", &format));
  g_assert_false (mw_export_format_parse ("", &format));
  g_assert_false (mw_export_format_parse (NULL, &format));
}

static void
test_uuid5 (void)
{
  g_autofree char *hello = mw_export_uuid5 ("hello");
  g_autofree char *again = mw_export_uuid5 ("hello");
  g_autofree char *other = mw_export_uuid5 ("hello!");

  /* Known answer computed independently with Python's uuid.uuid5 in the namespace
   * uuid5(NAMESPACE_URL, "https://github.com/meldwijzer/meldwijzer#export"). */
  g_assert_cmpstr (hello, ==, "01eedf3f-56d4-51c5-8beb-3bbf98ff4adf");
  g_assert_cmpstr (hello, ==, again);
  g_assert_cmpstr (hello, !=, other);
  g_assert_true (mw_is_uuid (other));
  g_assert_cmpint (other[14], ==, '5');
  g_assert_nonnull (strchr ("89ab", other[19]));
}

static void
test_deterministic (void)
{
  g_autoptr(MwReport) report = load_example ("cbw-dns-outage.json");
  g_autofree char *json = mw_report_to_json (report);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReport) reparsed = mw_report_new_from_data (json, -1, "copy.json", &error);
  g_autoptr(MwReport) other = mw_report_copy (report);

  g_assert_no_error (error);
  mw_report_set_string (other, "report_id", "0f8fad5b-d9cb-469f-a165-70867728950e");

  for (MwExportFormat format = MW_EXPORT_PDF; format <= MW_EXPORT_IODEF; format++)
    {
      g_autoptr(GBytes) first = mw_export (report, format, NULL, NULL, &error);
      g_autoptr(GBytes) second = NULL;
      g_autoptr(GBytes) third = NULL;
      g_autoptr(GBytes) different = NULL;

      g_assert_no_error (error);
      second = mw_export (report, format, NULL, NULL, &error);
      g_assert_no_error (error);
      third = mw_export (reparsed, format, NULL, NULL, &error);
      g_assert_no_error (error);
      different = mw_export (other, format, NULL, NULL, &error);
      g_assert_no_error (error);

      g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", mw_export_format_to_string (format), g_bytes_get_size (first));
      g_assert_true (g_bytes_equal (first, second));
      g_assert_true (g_bytes_equal (first, third));
      g_assert_false (g_bytes_equal (first, different));
    }
}

static void
test_pdf_basics (void)
{
  g_autoptr(MwReport) report = load_example ("wbni-drinking-water.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = mw_export (report, MW_EXPORT_PDF, NULL, NULL, &error);
  g_autoptr(GBytes) live = NULL;
  gsize length;
  const char *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (pdf, &length);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (memcmp (data, "%PDF-", 5) == 0);
  g_assert_true (bytes_contain (data, length, "/MediaBox [ 0 0 595.276 841.89 ]"));  /* A4 */
  /* The creation date is the report's, not the clock's: 2026-06-21T09:30:00+02:00
   * (cairo 1.16 writes it without the optional "D:" prefix). */
  g_assert_true (bytes_contain (data, length, "/CreationDate (20260621093000+02'00)"));
  g_assert_true (bytes_contain (data, length, "%%EOF"));

  /* The training banner is only on training reports. */
  mw_report_set_training (report, FALSE);
  live = mw_export (report, MW_EXPORT_PDF, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (pdf, live));
}

static MwReport *
hostile_report (void)
{
  MwReport *report = load_example ("cbw-dns-outage.json");

  mw_report_set_string (report, "nature.summary", HOSTILE_SUMMARY);
  mw_report_set_string (report, "nature.description", "line one\nline two\twith tab, a bell \a and <![CDATA[x]]>");
  mw_report_set_string (report, "provider.name", HOSTILE_NAME);
  mw_report_set_string (report, "provider.registration", "KvK \"1\" <2>");
  mw_report_set_string (report, "provider.contact.name", "O'Brien & <Sons>");
  set_indicators (report, "[{\"type\": \"url\", \"value\": \"http://evil.example/a'b?c=1&d=<2>\"},"
                          " {\"type\": \"domain-name\", \"value\": \"x.example\"}]");
  return report;
}

/* IODEF through GMarkup: the document must be well-formed and the texts must come back
 * exactly as they went in. */
typedef struct {
  GPtrArray *stack;
  GPtrArray *descriptions;    /* Incident/Description texts */
  GPtrArray *contact_names;
  GPtrArray *addresses;
  GString   *text;
  char      *incident_id_name;
  guint      elements;
} IodefParse;

static void
iodef_start (GMarkupParseContext  *context,
             const char           *element,
             const char          **names,
             const char          **values,
             gpointer              user_data,
             GError              **error)
{
  IodefParse *parse = user_data;

  parse->elements++;
  if (parse->stack->len == 0)
    {
      g_assert_cmpstr (element, ==, "IODEF-Document");
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "version"))
          g_assert_cmpstr (values[i], ==, "2.00");
    }
  if (g_str_equal (element, "Incident"))
    {
      gboolean purpose = FALSE;

      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "purpose"))
          purpose = g_str_equal (values[i], "reporting");
      g_assert_true (purpose);
    }
  if (g_str_equal (element, "IncidentID") && parse->stack->len == 2)
    for (guint i = 0; names[i] != NULL; i++)
      if (g_str_equal (names[i], "name"))
        parse->incident_id_name = g_strdup (values[i]);

  g_ptr_array_add (parse->stack, g_strdup (element));
  g_string_truncate (parse->text, 0);
}

static void
iodef_end (GMarkupParseContext  *context,
           const char           *element,
           gpointer              user_data,
           GError              **error)
{
  IodefParse *parse = user_data;
  const char *parent = parse->stack->len >= 2 ? g_ptr_array_index (parse->stack, parse->stack->len - 2) : "";

  if (g_str_equal (element, "Description") && g_str_equal (parent, "Incident"))
    g_ptr_array_add (parse->descriptions, g_strdup (parse->text->str));
  if (g_str_equal (element, "ContactName"))
    g_ptr_array_add (parse->contact_names, g_strdup (parse->text->str));
  if (g_str_equal (element, "Address") || g_str_equal (element, "Name") || g_str_equal (element, "ds:DigestValue"))
    g_ptr_array_add (parse->addresses, g_strdup (parse->text->str));
  g_ptr_array_remove_index (parse->stack, parse->stack->len - 1);
}

static void
iodef_text (GMarkupParseContext  *context,
            const char           *text,
            gsize                 length,
            gpointer              user_data,
            GError              **error)
{
  IodefParse *parse = user_data;

  g_string_append_len (parse->text, text, length);
}

static void
iodef_parse (const char *xml,
             IodefParse *parse)
{
  static const GMarkupParser parser = { iodef_start, iodef_end, iodef_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;

  parse->stack = g_ptr_array_new_with_free_func (g_free);
  parse->descriptions = g_ptr_array_new_with_free_func (g_free);
  parse->contact_names = g_ptr_array_new_with_free_func (g_free);
  parse->addresses = g_ptr_array_new_with_free_func (g_free);
  parse->text = g_string_new (NULL);
  context = g_markup_parse_context_new (&parser, 0, parse, NULL);
  g_assert_true (g_str_has_prefix (xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  g_markup_parse_context_parse (context, xml, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parse->stack->len, ==, 0);
}

static void
iodef_parse_clear (IodefParse *parse)
{
  g_ptr_array_unref (parse->stack);
  g_ptr_array_unref (parse->descriptions);
  g_ptr_array_unref (parse->contact_names);
  g_ptr_array_unref (parse->addresses);
  g_string_free (parse->text, TRUE);
  g_free (parse->incident_id_name);
}

static gboolean
array_has (GPtrArray  *array,
           const char *text)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), text))
      return TRUE;
  return FALSE;
}

static void
test_escaping_iodef (void)
{
  g_autoptr(MwReport) report = hostile_report ();
  g_autofree char *xml = export_text (report, MW_EXPORT_IODEF);
  IodefParse parse = { 0 };

  /* Nothing from the report becomes markup. */
  g_assert_null (strstr (xml, "<script>"));
  g_assert_null (strstr (xml, "<b>"));
  g_assert_null (strstr (xml, "<![CDATA["));
  g_assert_null (strstr (xml, "\a"));
  g_assert_nonnull (strstr (xml, "&lt;/Description&gt;&lt;script&gt;"));

  iodef_parse (xml, &parse);
  g_assert_true (array_has (parse.descriptions, HOSTILE_SUMMARY));
  /* The bell (not allowed in XML 1.0) is replaced; newline and tab survive. */
  g_assert_true (array_has (parse.descriptions, "line one\nline two\twith tab, a bell \xef\xbf\xbd and <![CDATA[x]]>"));
  g_assert_true (array_has (parse.contact_names, HOSTILE_NAME));
  g_assert_true (array_has (parse.contact_names, "O'Brien & <Sons>"));
  g_assert_true (array_has (parse.addresses, "http://evil.example/a'b?c=1&d=<2>"));
  /* RFC 7970: the issuer's domain, not the registration (the contact's address is the
   * example's ciso@dns.example.nl). */
  g_assert_cmpstr (parse.incident_id_name, ==, "dns.example.nl");
  iodef_parse_clear (&parse);
}

static void
test_escaping_json (void)
{
  g_autoptr(MwReport) report = hostile_report ();
  g_autofree char *stix = export_text (report, MW_EXPORT_STIX);
  g_autofree char *misp = export_text (report, MW_EXPORT_MISP);
  g_autoptr(JsonNode) stix_root = NULL;
  g_autoptr(JsonNode) misp_root = NULL;
  JsonObject *bundle = parse_object (stix, &stix_root);
  JsonObject *event = json_object_get_object_member (parse_object (misp, &misp_root), "Event");
  JsonObject *incident = stix_object_of_type (bundle, "incident", 0);
  JsonObject *identity = stix_object_of_type (bundle, "identity", 1);  /* 0: the project's, for the extension */
  JsonObject *indicator = stix_object_of_type (bundle, "indicator", 0);
  JsonArray *attributes;
  gboolean found_url = FALSE;

  g_assert_nonnull (incident);
  g_assert_cmpstr (json_object_get_string_member (incident, "name"), ==, HOSTILE_SUMMARY);
  g_assert_cmpstr (json_object_get_string_member (identity, "name"), ==, HOSTILE_NAME);
  /* STIX patterning: the quote inside the literal is escaped with a backslash. */
  g_assert_cmpstr (json_object_get_string_member (indicator, "pattern"), ==,
                   "[url:value = 'http://evil.example/a\\'b?c=1&d=<2>']");

  g_assert_cmpstr (json_object_get_string_member (event, "info"), ==, HOSTILE_SUMMARY);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "Orgc"), "name"), ==,
                   HOSTILE_NAME);
  attributes = json_object_get_array_member (event, "Attribute");
  for (guint i = 0; i < json_array_get_length (attributes); i++)
    {
      JsonObject *attribute = json_array_get_object_element (attributes, i);

      if (g_str_equal (json_object_get_string_member (attribute, "type"), "url"))
        {
          g_assert_cmpstr (json_object_get_string_member (attribute, "value"), ==, "http://evil.example/a'b?c=1&d=<2>");
          found_url = TRUE;
        }
    }
  g_assert_true (found_url);
}

static void
test_escaping_pdf (void)
{
  g_autoptr(MwReport) report = hostile_report ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  const char *data;
  gsize length;

  /* Pango markup in the report must not be interpreted (it would fail or change the text);
   * the text itself is checked with pdftotext in test-export-schemas.py. */
  mw_report_set_string (report, "service.name", "<span foreground=\"red\" size=\"99999999\">big</span> &amp;");
  pdf = mw_export (report, MW_EXPORT_PDF, NULL, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (pdf, &length);
  g_assert_true (memcmp (data, "%PDF-", 5) == 0);
  g_assert_true (bytes_contain (data, length, "%%EOF"));
}

/* A report of hundreds of pages: the PDF stops at its page bound and says so. */
static void
test_pdf_page_bound (void)
{
  g_autoptr(MwReport) report = load_example ("cbw-dns-outage.json");
  g_autoptr(GString) json = g_string_new ("[");
  g_autofree char *path = g_strnfill (1900, 'a');
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  const char *data;
  gsize length;
  guint pages = 0;

  for (guint i = 0; i < 150; i++)
    g_string_append_printf (json, "%s{\"type\": \"url\", \"value\": \"https://x%u.example/%s\"}", i ? "," : "", i, path);
  g_string_append (json, "]");
  set_indicators (report, json->str);

  pdf = mw_export (report, MW_EXPORT_PDF, NULL, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (pdf, &length);
  for (gsize i = 0; i + 13 <= length; i++)
    if (memcmp (data + i, "/Type /Page %", 13) == 0)
      pages++;
  g_assert_cmpuint (pages, ==, 50);
  g_assert_true (bytes_contain (data, length, "%%EOF"));
}

static void
test_every_indicator_type (void)
{
  static const struct {
    const char *type;
    const char *value;
    const char *pattern;
    const char *misp_type;
    const char *misp_category;
    const char *iodef;
  } cases[] = {
    { "ipv4-addr", "203.0.113.45", "[ipv4-addr:value = '203.0.113.45']", "ip-src", "Network activity", "203.0.113.45" },
    /* A network matches the addresses in it: ISSUBSET, not string equality. */
    { "ipv4-addr", "203.0.113.0/24", "[ipv4-addr:value ISSUBSET '203.0.113.0/24']", "ip-src", "Network activity",
      "203.0.113.0/24" },
    { "ipv6-addr", "2001:db8::1", "[ipv6-addr:value = '2001:db8::1']", "ip-src", "Network activity", "2001:db8::1" },
    { "ipv6-addr", "2001:db8:7::/48", "[ipv6-addr:value ISSUBSET '2001:db8:7::/48']", "ip-src", "Network activity",
      "2001:db8:7::/48" },
    { "domain-name", "c2.example.com", "[domain-name:value = 'c2.example.com']", "domain", "Network activity", "c2.example.com" },
    { "url", "https://c2.example.com/gate.php", "[url:value = 'https://c2.example.com/gate.php']", "url", "Network activity",
      "https://c2.example.com/gate.php" },
    { "email-addr", "phish@example.org", "[email-addr:value = 'phish@example.org']", "email-src", "Payload delivery",
      "phish@example.org" },
    { "file:hashes.MD5", "900150983cd24fb0d6963f7d28e17f72", "[file:hashes.MD5 = '900150983cd24fb0d6963f7d28e17f72']",
      "md5", "Payload delivery", "kAFQmDzST7DWlj99KOF/cg==" },
    { "file:hashes.SHA-1", "a9993e364706816aba3e25717850c26c9cd0d89d",
      "[file:hashes.'SHA-1' = 'a9993e364706816aba3e25717850c26c9cd0d89d']", "sha1", "Payload delivery",
      "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=" },
    { "file:hashes.SHA-256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "[file:hashes.'SHA-256' = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad']", "sha256",
      "Payload delivery", "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" },
  };
  g_autoptr(MwReport) report = load_example ("cbw-dns-outage.json");
  g_autoptr(GString) json = g_string_new ("[");
  g_autofree char *stix = NULL;
  g_autofree char *misp = NULL;
  g_autofree char *iodef = NULL;
  g_autoptr(JsonNode) stix_root = NULL;
  g_autoptr(JsonNode) misp_root = NULL;
  JsonObject *bundle, *event;
  JsonArray *attributes;
  g_autoptr(GPtrArray) problems = NULL;
  IodefParse parse = { 0 };
  guint indicator_attributes = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_string_append_printf (json, "%s{\"type\": \"%s\", \"value\": \"%s\"}", i ? "," : "", cases[i].type, cases[i].value);
  g_string_append (json, "]");
  set_indicators (report, json->str);
  problems = mw_report_validate (report, MW_VALIDATE_DRAFT);
  g_assert_cmpuint (problems->len, ==, 0);

  stix = export_text (report, MW_EXPORT_STIX);
  bundle = parse_object (stix, &stix_root);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonObject *indicator = stix_object_of_type (bundle, "indicator", i);
      JsonObject *relationship = stix_object_of_type (bundle, "relationship", i);
      JsonObject *incident = stix_object_of_type (bundle, "incident", 0);

      g_assert_nonnull (indicator);
      g_assert_cmpstr (json_object_get_string_member (indicator, "pattern"), ==, cases[i].pattern);
      g_assert_cmpstr (json_object_get_string_member (relationship, "relationship_type"), ==, "indicates");
      g_assert_cmpstr (json_object_get_string_member (relationship, "source_ref"), ==,
                       json_object_get_string_member (indicator, "id"));
      g_assert_cmpstr (json_object_get_string_member (relationship, "target_ref"), ==,
                       json_object_get_string_member (incident, "id"));
    }
  g_assert_null (stix_object_of_type (bundle, "indicator", G_N_ELEMENTS (cases)));

  misp = export_text (report, MW_EXPORT_MISP);
  event = json_object_get_object_member (parse_object (misp, &misp_root), "Event");
  attributes = json_object_get_array_member (event, "Attribute");
  for (guint i = 0; i < json_array_get_length (attributes); i++)
    {
      JsonObject *attribute = json_array_get_object_element (attributes, i);

      if (!json_object_get_boolean_member (attribute, "to_ids"))
        continue;
      g_assert_cmpuint (indicator_attributes, <, G_N_ELEMENTS (cases));
      g_assert_cmpstr (json_object_get_string_member (attribute, "type"), ==, cases[indicator_attributes].misp_type);
      g_assert_cmpstr (json_object_get_string_member (attribute, "category"), ==,
                       cases[indicator_attributes].misp_category);
      g_assert_cmpstr (json_object_get_string_member (attribute, "value"), ==, cases[indicator_attributes].value);
      indicator_attributes++;
    }
  g_assert_cmpuint (indicator_attributes, ==, G_N_ELEMENTS (cases));

  iodef = export_text (report, MW_EXPORT_IODEF);
  iodef_parse (iodef, &parse);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_true (array_has (parse.addresses, cases[i].iodef));
  g_assert_nonnull (strstr (iodef, "<Address category=\"ipv4-net\">203.0.113.0/24</Address>"));
  g_assert_nonnull (strstr (iodef, "<Address category=\"ipv6-addr\">2001:db8::1</Address>"));
  g_assert_nonnull (strstr (iodef, "<Address category=\"e-mail\">phish@example.org</Address>"));
  g_assert_nonnull (strstr (iodef, "<Address category=\"site-uri\">https://c2.example.com/gate.php</Address>"));
  g_assert_nonnull (strstr (iodef, "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"));
  iodef_parse_clear (&parse);
}

/* The reporter's answer to consent.csirt_may_share_identifiable, as TLP 2.0 in every format:
 * TLP:GREEN only on a yes; no, and no answer, keep TLP:AMBER+STRICT. */
static void
test_tlp (void)
{
  static const struct {
    const char *consent;  /* NULL: not answered */
    const char *stix;
    const char *misp_tag;
    const char *distribution;
    const char *restriction;
  } cases[] = {
    { "true", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "tlp:green", "1", "restriction=\"green\"" },
    { "false", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "tlp:amber+strict", "0",
      "restriction=\"need-to-know\"" },
    { NULL, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "tlp:amber+strict", "0",
      "restriction=\"need-to-know\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MwReport) report = load_example ("cbw-dns-outage.json");
      g_autofree char *stix = NULL;
      g_autofree char *misp = NULL;
      g_autofree char *iodef = NULL;
      g_autoptr(JsonNode) stix_root = NULL;
      g_autoptr(JsonNode) misp_root = NULL;
      JsonObject *bundle, *event, *marking, *incident;
      JsonArray *refs, *tags;
      guint tlp_tags = 0;

      if (cases[i].consent == NULL)
        mw_report_set_unknown (report, "consent.csirt_may_share_identifiable");
      else
        mw_report_set_boolean (report, "consent.csirt_may_share_identifiable", g_str_equal (cases[i].consent, "true"));

      stix = export_text (report, MW_EXPORT_STIX);
      bundle = parse_object (stix, &stix_root);
      marking = stix_object_of_type (bundle, "marking-definition", 0);
      g_assert_nonnull (marking);
      g_assert_cmpstr (json_object_get_string_member (marking, "id"), ==, cases[i].stix);
      g_assert_null (stix_object_of_type (bundle, "marking-definition", 1));
      incident = stix_object_of_type (bundle, "incident", 0);
      refs = json_object_get_array_member (incident, "object_marking_refs");
      g_assert_cmpuint (json_array_get_length (refs), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (refs, 0), ==, cases[i].stix);

      misp = export_text (report, MW_EXPORT_MISP);
      event = json_object_get_object_member (parse_object (misp, &misp_root), "Event");
      g_assert_cmpstr (json_object_get_string_member (event, "distribution"), ==, cases[i].distribution);
      tags = json_object_get_array_member (event, "Tag");
      for (guint j = 0; j < json_array_get_length (tags); j++)
        {
          const char *name = json_object_get_string_member (json_array_get_object_element (tags, j), "name");

          if (g_str_has_prefix (name, "tlp:"))
            {
              g_assert_cmpstr (name, ==, cases[i].misp_tag);
              tlp_tags++;
            }
        }
      g_assert_cmpuint (tlp_tags, ==, 1);

      iodef = export_text (report, MW_EXPORT_IODEF);
      g_assert_nonnull (strstr (iodef, cases[i].restriction));
    }
}

/* IncidentID's name is the issuer's domain: the contact's, else the technical contact's, else
 * the reserved "invalid"; never anything that is not a host name. */
static void
test_iodef_issuer (void)
{
  g_autoptr(MwReport) report = load_example ("cbw-dns-outage.json");
  g_autofree char *xml = NULL;
  IodefParse parse = { 0 };

  mw_report_set_string (report, "provider.contact.email", "ciso@Bad_Host");
  xml = export_text (report, MW_EXPORT_IODEF);
  iodef_parse (xml, &parse);
  g_assert_cmpstr (parse.incident_id_name, ==, "dns.example.nl");  /* noc@dns.example.nl */
  iodef_parse_clear (&parse);
  g_assert_null (strstr (xml, "<AlternativeID>"));
  g_clear_pointer (&xml, g_free);

  mw_report_set_string (report, "provider.contact.email", "ciso@CSIRT.Example.NL.");
  xml = export_text (report, MW_EXPORT_IODEF);
  iodef_parse (xml, &parse);
  g_assert_cmpstr (parse.incident_id_name, ==, "csirt.example.nl");
  iodef_parse_clear (&parse);
  g_clear_pointer (&xml, g_free);

  mw_report_set_unknown (report, "provider.contact.email");
  mw_report_set_unknown (report, "provider.technical_contact.email");
  xml = export_text (report, MW_EXPORT_IODEF);
  iodef_parse (xml, &parse);
  g_assert_cmpstr (parse.incident_id_name, ==, "invalid");
  iodef_parse_clear (&parse);
}

static void
test_signed_pdf (void)
{
  g_autoptr(MwReport) report = load_example ("telecom-outage.json");
  g_autoptr(MwReport) other = load_example ("cbw-dns-outage.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autofree char *jws = NULL;
  g_autofree char *other_jws = NULL;
  g_autoptr(GBytes) unsigned_pdf = NULL;
  g_autoptr(GBytes) signed_pdf = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) refused = NULL;

  g_assert_no_error (error);
  jws = mw_signer_sign_report (signer, report, &error);
  g_assert_no_error (error);
  other_jws = mw_signer_sign_report (signer, other, &error);
  g_assert_no_error (error);

  unsigned_pdf = mw_export (report, MW_EXPORT_PDF, NULL, NULL, &error);
  g_assert_no_error (error);
  signed_pdf = mw_export (report, MW_EXPORT_PDF, NULL, jws, &error);
  g_assert_no_error (error);
  again = mw_export (report, MW_EXPORT_PDF, NULL, jws, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (unsigned_pdf, signed_pdf));
  g_assert_true (g_bytes_equal (signed_pdf, again));

  /* A JWS of another report, or no JWS at all, is refused. */
  refused = mw_export (report, MW_EXPORT_PDF, NULL, other_jws, &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_null (refused);
  g_assert_nonnull (strstr (error->message, "does not hold this report"));
  g_clear_error (&error);

  refused = mw_export (report, MW_EXPORT_PDF, NULL, "not.a-jws", &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_null (refused);
  g_assert_nonnull (strstr (error->message, "not a compact JWS"));
  g_assert_null (strstr (error->message, "meldwijzer-cli"));
}

static void
test_refusals (void)
{
  g_autoptr(MwReport) report = load_example ("cbw-dns-outage.json");
  g_autoptr(MwReport) timeless = mw_report_copy (report);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  /* An invalid indicator: refused with the field named, in every format. */
  set_indicators (report, "[{\"type\": \"ipv4-addr\", \"value\": \"999.1.1.1\"}]");
  for (MwExportFormat format = MW_EXPORT_PDF; format <= MW_EXPORT_IODEF; format++)
    {
      bytes = mw_export (report, format, NULL, NULL, &error);
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_null (bytes);
      g_assert_nonnull (strstr (error->message, "indicators[0].value"));
      g_assert_null (strstr (error->message, "meldwijzer-cli"));
      g_clear_error (&error);
    }

  /* No time at all to date the export by: refused, never the clock. */
  mw_report_set_unknown (timeless, "created_at");
  mw_report_set_unknown (timeless, "timeline.started_at");
  mw_report_set_unknown (timeless, "timeline.detected_at");
  mw_report_set_unknown (timeless, "timeline.aware_at");
  mw_report_set_unknown (timeless, "timeline.resolved_at");
  for (MwExportFormat format = MW_EXPORT_PDF; format <= MW_EXPORT_IODEF; format++)
    {
      bytes = mw_export (timeless, format, NULL, NULL, &error);
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_null (bytes);
      g_assert_nonnull (strstr (error->message, "created_at"));
      g_clear_error (&error);
    }
}

static void
test_dutch_pdf_differs (void)
{
  g_autoptr(MwReport) report = load_example ("wbni-cloud-dsp.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) english = NULL;
  g_autoptr(GBytes) dutch = NULL;

  mw_language_set ("en");
  english = mw_export (report, MW_EXPORT_PDF, NULL, NULL, &error);
  g_assert_no_error (error);
  mw_language_set ("nl");
  dutch = mw_export (report, MW_EXPORT_PDF, NULL, NULL, &error);
  g_assert_no_error (error);
  mw_language_set (NULL);
  g_assert_false (g_bytes_equal (english, dutch));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/format-names", test_format_names);
  g_test_add_func ("/export/uuid5", test_uuid5);
  g_test_add_func ("/export/deterministic", test_deterministic);
  g_test_add_func ("/export/pdf-basics", test_pdf_basics);
  g_test_add_func ("/export/pdf-page-bound", test_pdf_page_bound);
  g_test_add_func ("/export/escaping/iodef", test_escaping_iodef);
  g_test_add_func ("/export/escaping/json", test_escaping_json);
  g_test_add_func ("/export/escaping/pdf", test_escaping_pdf);
  g_test_add_func ("/export/every-indicator-type", test_every_indicator_type);
  g_test_add_func ("/export/tlp", test_tlp);
  g_test_add_func ("/export/iodef-issuer", test_iodef_issuer);
  g_test_add_func ("/export/signed-pdf", test_signed_pdf);
  g_test_add_func ("/export/refusals", test_refusals);
  g_test_add_func ("/export/dutch-pdf", test_dutch_pdf_differs);

  return g_test_run ();
}
