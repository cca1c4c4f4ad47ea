/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json"

#include "mw-error.h"
#include "mw-json.h"

static char *
canonical (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = mw_json_parse (text, -1, "test", &error);

  g_assert_no_error (error);
  return mw_json_to_canonical (node);
}

static void
test_canonical_sorted (void)
{
  g_autofree char *a = canonical ("{ \"b\": 1, \"a\": {\"z\": [1, 2, {\"y\": null, \"x\": true}], \"c\": \"d\"} }");

  g_assert_cmpstr (a, ==, "{\"a\":{\"c\":\"d\",\"z\":[1,2,{\"x\":true,\"y\":null}]},\"b\":1}");
}

static void
test_canonical_numbers (void)
{
  g_autofree char *a = canonical ("[1.0, 0.1, 1e3, -5, 120000, 2.5e-7]");

  /* Whole doubles print as integers; others in their shortest round-trip form. */
  g_assert_cmpstr (a, ==, "[1,0.1,1000,-5,120000,2.5e-07]");
}

static void
test_canonical_strings (void)
{
  g_autofree char *a = canonical ("[\"tab\\there\", \"quote\\\"\", \"é\", \"\\u0001\", \"slash/\"]");

  g_assert_cmpstr (a, ==, "[\"tab\\there\",\"quote\\\"\",\"é\",\"\\u0001\",\"slash/\"]");
}

static void
test_canonical_stable (void)
{
  /* Key order in the input does not change the output. */
  g_autofree char *a = canonical ("{\"x\": 1, \"y\": 2}");
  g_autofree char *b = canonical ("{\"y\": 2, \"x\": 1}");

  g_assert_cmpstr (a, ==, b);
}

static void
test_parse_bounds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *big = NULL;
  JsonNode *node;

  for (int i = 0; i < MW_JSON_MAX_DEPTH + 1; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < MW_JSON_MAX_DEPTH + 1; i++)
    g_string_append_c (deep, ']');
  node = mw_json_parse (deep->str, deep->len, "deep.json", &error);
  g_assert_null (node);
  g_assert_error (error, MW_ERROR, MW_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "deep.json"));
  g_clear_error (&error);

  /* Brackets inside strings are not nesting. */
  g_string_assign (deep, "[\"");
  for (int i = 0; i < 200; i++)
    g_string_append_c (deep, '[');
  g_string_append (deep, "\"]");
  node = mw_json_parse (deep->str, deep->len, "string.json", &error);
  g_assert_no_error (error);
  json_node_unref (node);

  big = g_malloc0 (MW_JSON_MAX_BYTES + 10);
  memset (big, ' ', MW_JSON_MAX_BYTES + 9);
  node = mw_json_parse (big, MW_JSON_MAX_BYTES + 9, "big.json", &error);
  g_assert_null (node);
  g_assert_error (error, MW_ERROR, MW_ERROR_TOO_LARGE);
  g_clear_error (&error);

  node = mw_json_parse ("{\"a\": ", -1, "broken.json", &error);
  g_assert_null (node);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "broken.json: "));
  g_clear_error (&error);

  node = mw_json_parse ("\"\xff\xfe\"", -1, "latin1.json", &error);
  g_assert_null (node);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
}

static void
test_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = mw_json_parse ("{\"a\": {\"b\": {\"c\": 5}}, \"s\": \"x\"}", -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (mw_json_lookup (node, "a.b.c")), ==, 5);
  g_assert_null (mw_json_lookup (node, "a.x.c"));
  g_assert_null (mw_json_lookup (node, "s.t"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/canonical/sorted", test_canonical_sorted);
  g_test_add_func ("/json/canonical/numbers", test_canonical_numbers);
  g_test_add_func ("/json/canonical/strings", test_canonical_strings);
  g_test_add_func ("/json/canonical/stable", test_canonical_stable);
  g_test_add_func ("/json/parse/bounds", test_parse_bounds);
  g_test_add_func ("/json/lookup", test_lookup);

  return g_test_run ();
}
