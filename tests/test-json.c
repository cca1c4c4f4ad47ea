/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "mw-error.h"
#include "mw-json.h"
#include "mw-jws.h"
#include "mw-test-util.h"

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
  g_autofree char *a = canonical ("[1.0, 0.1, 1e3, -5, 120000, 2.5e-7, 1e-7, 1e21, -0, -0.0, "
                                  "0.000001, 1.5e300, 9007199254740992, -9007199254740992]");

  /* As ECMAScript writes them (RFC 8785 §3.2.2.3): whole numbers below 1e21 in full, the
   * shortest round-trip digits, an exponent without leading zeros below 1e-6. */
  g_assert_cmpstr (a, ==, "[1,0.1,1000,-5,120000,2.5e-7,1e-7,1e+21,0,0,"
                          "0.000001,1.5e+300,9007199254740992,-9007199254740992]");
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

/* RFC 8785 ------------------------------------------------------------------ */

static JsonNode *
double_node (guint64 bits)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  double value;

  G_STATIC_ASSERT (sizeof value == sizeof bits);
  memcpy (&value, &bits, sizeof value);
  json_node_set_double (node, value);
  return node;
}

/* Appendix B: IEEE 754 doubles and the text RFC 8785 (ECMAScript) gives each. */
static void
test_rfc8785_numbers (void)
{
  static const struct {
    guint64     bits;
    const char *text;
  } cases[] = {
    { G_GUINT64_CONSTANT (0x0000000000000000), "0" },
    { G_GUINT64_CONSTANT (0x8000000000000000), "0" },
    { G_GUINT64_CONSTANT (0x0000000000000001), "5e-324" },
    { G_GUINT64_CONSTANT (0x8000000000000001), "-5e-324" },
    { G_GUINT64_CONSTANT (0x7fefffffffffffff), "1.7976931348623157e+308" },
    { G_GUINT64_CONSTANT (0xffefffffffffffff), "-1.7976931348623157e+308" },
    { G_GUINT64_CONSTANT (0x4340000000000000), "9007199254740992" },
    { G_GUINT64_CONSTANT (0xc340000000000000), "-9007199254740992" },
    { G_GUINT64_CONSTANT (0x4430000000000000), "295147905179352830000" },
    { G_GUINT64_CONSTANT (0x44b52d02c7e14af5), "9.999999999999997e+22" },
    { G_GUINT64_CONSTANT (0x44b52d02c7e14af6), "1e+23" },
    { G_GUINT64_CONSTANT (0x44b52d02c7e14af7), "1.0000000000000001e+23" },
    { G_GUINT64_CONSTANT (0x444b1ae4d6e2ef4e), "999999999999999700000" },
    { G_GUINT64_CONSTANT (0x444b1ae4d6e2ef4f), "999999999999999900000" },
    { G_GUINT64_CONSTANT (0x444b1ae4d6e2ef50), "1e+21" },
    { G_GUINT64_CONSTANT (0x3eb0c6f7a0b5ed8c), "9.999999999999997e-7" },
    { G_GUINT64_CONSTANT (0x3eb0c6f7a0b5ed8d), "0.000001" },
    { G_GUINT64_CONSTANT (0x41b3de4355555553), "333333333.3333332" },
    { G_GUINT64_CONSTANT (0x41b3de4355555554), "333333333.33333325" },
    { G_GUINT64_CONSTANT (0x41b3de4355555555), "333333333.3333333" },
    { G_GUINT64_CONSTANT (0x41b3de4355555556), "333333333.3333334" },
    { G_GUINT64_CONSTANT (0x41b3de4355555557), "333333333.33333343" },
    { G_GUINT64_CONSTANT (0xbecbf647612f3696), "-0.0000033333333333333333" },
    { G_GUINT64_CONSTANT (0x43143ff3c1cb0959), "1424953923781206.2" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = double_node (cases[i].bits);
      g_autofree char *text = mw_json_to_canonical (node);

      g_test_message ("%016" G_GINT64_MODIFIER "x", cases[i].bits);
      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* Whole numbers json-glib keeps as integers are written as the doubles they are to every
   * other reader. */
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
    g_autofree char *text = NULL;

    json_node_set_int (node, G_GINT64_CONSTANT (9007199254740993));
    text = mw_json_to_canonical (node);
    g_assert_cmpstr (text, ==, "9007199254740992");
  }
}

/* §3.2.2: the example of the RFC, read from its text by the strict reader. */
static void
test_rfc8785_example (void)
{
  g_autofree char *text = canonical (
    "{\n"
    "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
    "              2e-3, 0.000000000000000000000000001],\n"
    "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
    "  \"literals\": [null, true, false]\n"
    "}\n");

  g_assert_cmpstr (text, ==,
                   "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                   "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

/* §3.2.3: members sort by UTF-16 code units, so U+1F600 (D83D DE00) comes before U+FB33. */
static void
test_rfc8785_sorting (void)
{
  g_autofree char *text = canonical (
    "{\n"
    "  \"\\u20ac\": \"Euro Sign\",\n"
    "  \"\\r\": \"Carriage Return\",\n"
    "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
    "  \"1\": \"One\",\n"
    "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
    "  \"\\u0080\": \"Control\",\n"
    "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
    "}");

  g_assert_cmpstr (text, ==,
                   "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
                   "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
                   "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
                   "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* The strict reader ---------------------------------------------------------- */

/* Refused with this code, and a message that holds every fragment given. */
static void
assert_refused (const char *text,
                gssize      length,
                int         code,
                ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = mw_json_parse (text, length, "hostile.json", &error);
  const char *fragment;
  va_list args;

  g_assert_null (node);
  g_assert_error (error, MW_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, "hostile.json: "));
  va_start (args, code);
  while ((fragment = va_arg (args, const char *)) != NULL)
    if (strstr (error->message, fragment) == NULL)
      g_error ("message “%s” does not mention “%s”", error->message, fragment);
  va_end (args);
}

/* The attack of issue 12: nesting behind a comment that holds a double quote, which the old
 * depth check took for the start of a string. */
static void
test_reader_comment_attack (void)
{
  g_autoptr(GString) text = g_string_new ("{\"alg\": \"EdDSA\", /* \" */ \"x\": ");

  for (int i = 0; i < 133 * 1024; i++)
    g_string_append_c (text, '[');
  assert_refused (text->str, text->len, MW_ERROR_INVALID, "comments", "line 1, column 18", NULL);

  /* And behind a single-quoted string. */
  g_string_assign (text, "{\"alg\": 'EdDSA\"', \"x\": ");
  for (int i = 0; i < 133 * 1024; i++)
    g_string_append_c (text, '[');
  assert_refused (text->str, text->len, MW_ERROR_INVALID, "single quotes", "line 1, column 9",
                  "“alg”", NULL);

  /* Nesting alone is refused at the 65th level, whatever comes after. */
  g_string_truncate (text, 0);
  for (int i = 0; i < 1000 * 1000; i++)
    g_string_append_c (text, i % 2 ? '[' : ' ');
  assert_refused (text->str, text->len, MW_ERROR_TOO_LARGE, "nested more than 64 levels", NULL);

  /* Line comments, and a comment at the end. */
  assert_refused ("{\"a\": 1 // note\n}", -1, MW_ERROR_INVALID, "comments", "column 9", NULL);
  assert_refused ("{\"a\": 1}\n/* end */", -1, MW_ERROR_INVALID, "comments", "line 2, column 1", NULL);
}

static void
test_reader_not_json (void)
{
  assert_refused ("{'a': 1}", -1, MW_ERROR_INVALID, "single quotes", "column 2", NULL);
  assert_refused ("['it''s']", -1, MW_ERROR_INVALID, "single quotes", NULL);
  assert_refused ("[1, 2,]", -1, MW_ERROR_INVALID, "trailing commas", "column 7", NULL);
  assert_refused ("{\"a\": 1,}", -1, MW_ERROR_INVALID, "trailing commas", NULL);
  assert_refused ("{a: 1}", -1, MW_ERROR_INVALID, "“a” is not a JSON value", NULL);
  assert_refused ("[01]", -1, MW_ERROR_INVALID, "start with a 0", NULL);
  assert_refused ("[-]", -1, MW_ERROR_INVALID, "digits", NULL);
  assert_refused ("[+1]", -1, MW_ERROR_INVALID, "“+”", NULL);
  assert_refused ("[.5]", -1, MW_ERROR_INVALID, "“.”", NULL);
  assert_refused ("[1.]", -1, MW_ERROR_INVALID, "decimal point", NULL);
  assert_refused ("[1e]", -1, MW_ERROR_INVALID, "exponent", NULL);
  assert_refused ("[0x10]", -1, MW_ERROR_INVALID, "“x10”", NULL);
  assert_refused ("[NaN]", -1, MW_ERROR_INVALID, "“NaN” is not a JSON value", NULL);
  assert_refused ("[Infinity]", -1, MW_ERROR_INVALID, "“Infinity”", NULL);
  assert_refused ("[1e400]", -1, MW_ERROR_INVALID, "too large", NULL);
  assert_refused ("[9007199254740993]", -1, MW_ERROR_INVALID, "2^53", NULL);
  assert_refused ("[-99999999999999999999999]", -1, MW_ERROR_INVALID, "2^53", NULL);
  assert_refused ("[1e20]", -1, MW_ERROR_INVALID, "2^53", NULL);
  assert_refused ("[-9007199254740994.0]", -1, MW_ERROR_INVALID, "2^53", NULL);
  assert_refused ("[True]", -1, MW_ERROR_INVALID, "“True”", NULL);
  assert_refused ("[nulls]", -1, MW_ERROR_INVALID, "“nulls”", NULL);
  assert_refused ("[\"a\tb\"]", -1, MW_ERROR_INVALID, "control character (U+0009)", NULL);
  assert_refused ("[\"a\\x41\"]", -1, MW_ERROR_INVALID, "“\\x”", NULL);
  assert_refused ("[\"\\u12\"]", -1, MW_ERROR_INVALID, "four hexadecimal digits", NULL);
  assert_refused ("[\"\\u0000\"]", -1, MW_ERROR_INVALID, "NUL", NULL);
  assert_refused ("[\"open", -1, MW_ERROR_INVALID, "no closing double quote", "column 2", NULL);
  assert_refused ("{\"a\" 1}", -1, MW_ERROR_INVALID, "“:”", NULL);
  assert_refused ("[1 2]", -1, MW_ERROR_INVALID, "“,” or “]”", NULL);
  assert_refused ("{\"a\": 1 \"b\": 2}", -1, MW_ERROR_INVALID, "“,” or “}”", NULL);
  assert_refused ("{\"a\": 1} {}", -1, MW_ERROR_INVALID, "more text after the end", NULL);
  assert_refused ("[1]\0[2]", 7, MW_ERROR_INVALID, "UTF-8", "byte 4", NULL);
  assert_refused ("[1,\f2]", -1, MW_ERROR_INVALID, "U+000C", NULL);
  assert_refused ("\xc2\xa0[1]", -1, MW_ERROR_INVALID, "unexpected “\xc2\xa0”", NULL);
  assert_refused ("   ", -1, MW_ERROR_INVALID, "empty", NULL);
  assert_refused ("[", -1, MW_ERROR_INVALID, "ends here", NULL);

  /* A member twice: json-glib would keep the last one, another reader the first. */
  assert_refused ("{\"report_id\": \"a\", \"x\": 1, \"report_id\": \"b\"}", -1, MW_ERROR_INVALID,
                  "“report_id” appears twice", "column 28", NULL);
  assert_refused ("{\"a\": {\"b\": 1, \"\\u0062\": 2}}", -1, MW_ERROR_INVALID, "“b” appears twice",
                  "(in “a”)", NULL);
}

/* Where the error is: line and column (in characters), and the member. */
static void
test_reader_positions (void)
{
  assert_refused ("{\n  \"nature\": {\n    \"summary\": tru\n  }\n}", -1, MW_ERROR_INVALID,
                  "line 3, column 16", "(in “nature.summary”)", "“tru”", NULL);
  assert_refused ("{\"é\": [1, 2, {\"x\": [true, fals]}]}", -1, MW_ERROR_INVALID,
                  "line 1, column 27", "(in “é[2].x[1]”)", NULL);
}

/* A lone UTF-16 surrogate decodes to text that is not UTF-8: refused, naming the field. */
static void
test_reader_surrogates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  assert_refused ("{\"nature\": {\"summary\": \"a\\ud800b\"}}", -1, MW_ERROR_INVALID,
                  "“\\ud800” is the first half", "(in “nature.summary”)", "column 26", NULL);
  assert_refused ("{\"nature\": {\"summary\": \"\\ud800\"}}", -1, MW_ERROR_INVALID, "\\ud800", NULL);
  assert_refused ("[\"\\ud800\\u0041\"]", -1, MW_ERROR_INVALID, "first half", "(in “[0]”)", NULL);
  assert_refused ("[\"\\ud800\\ud800\"]", -1, MW_ERROR_INVALID, "first half", NULL);
  assert_refused ("[\"\\udc00\"]", -1, MW_ERROR_INVALID, "“\\udc00” is the second half", NULL);
  assert_refused ("[\"\\uDFFF\\ud800\"]", -1, MW_ERROR_INVALID, "second half", NULL);
  assert_refused ("{\"\\ud800\": 1}", -1, MW_ERROR_INVALID, "first half", NULL);

  /* A whole pair is one character. */
  node = mw_json_parse ("[\"\\ud83d\\ude00\", \"\\uD83D\\uDE00x\"]", -1, "pair.json", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==, "\xf0\x9f\x98\x80");
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 1), ==, "\xf0\x9f\x98\x80x");
}

/* What is JSON is read as before. */
static void
test_reader_accepts (void)
{
  static const char * const texts[] = {
    "{}", "[]", "0", "-0", "\"\"", "null", " \t\r\n[ 1 , -2.5e+3 , 0.0 , 1E-2 ] \n",
    "{\"a\":{\"b\":[{},[],\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"]}}",
    "[9007199254740992, -9007199254740992, 9007199254740992.0, 1e21, 1.7976931348623157e308, 1e-400]",
    "\xef\xbb\xbf{\"bom\": true}",
    "[\"\xf0\x9f\x98\x80 \xe2\x80\xa8 \x7f\"]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = mw_json_parse (texts[i], -1, "good.json", &error);

      g_test_message ("%s", texts[i]);
      g_assert_no_error (error);
      g_assert_nonnull (node);
    }

  /* Exactly 64 levels are fine; 65 are not. */
  {
    g_autofree char *open = g_strnfill (MW_JSON_MAX_DEPTH, '[');
    g_autofree char *close = g_strnfill (MW_JSON_MAX_DEPTH, ']');
    g_autofree char *text = g_strconcat (open, close, NULL);
    g_autofree char *deeper = g_strconcat ("[", text, "]", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = mw_json_parse (text, -1, "64.json", &error);

    g_assert_no_error (error);
    g_assert_nonnull (node);
    assert_refused (deeper, -1, MW_ERROR_TOO_LARGE, "nested", "column 65", NULL);
  }

  /* Exactly MW_JSON_MAX_BYTES is fine; one more is not. */
  {
    g_autofree char *text = g_malloc (MW_JSON_MAX_BYTES + 2);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    memset (text, 'x', MW_JSON_MAX_BYTES);
    text[0] = '"';
    text[MW_JSON_MAX_BYTES - 1] = '"';
    text[MW_JSON_MAX_BYTES] = ' ';
    text[MW_JSON_MAX_BYTES + 1] = '\0';
    node = mw_json_parse (text, MW_JSON_MAX_BYTES, "max.json", &error);
    g_assert_no_error (error);
    assert_refused (text, MW_JSON_MAX_BYTES + 1, MW_ERROR_TOO_LARGE, "larger than", NULL);
  }
}

/* The one JWS reader --------------------------------------------------------- */

static char *
b64 (const char *text)
{
  return mw_base64url_encode ((const guint8 *) text, strlen (text));
}

/* A JWS with this header and payload and 64 bytes of (unverified) signature. */
static char *
make_jws (const char *header,
          const char *payload)
{
  guint8 signature[MW_JWS_SIGNATURE_BYTES] = { 0 };
  g_autofree char *h = b64 (header);
  g_autofree char *p = b64 (payload);
  g_autofree char *s = mw_base64url_encode (signature, sizeof signature);

  return g_strdup_printf ("%s.%s.%s", h, p, s);
}

/* "sign > FILE" ends the file with a line end: the JWS read back is the same JWS. */
static void
test_jws_trailing_newline (void)
{
  g_autofree char *jws = make_jws ("{\"alg\":\"EdDSA\",\"kid\":\"k\"}", "{\"a\":1}");
  static const char * const same[] = { "", "\n", "\r\n" };
  static const char * const different[] = { "\n\n", " ", "\r", "\t\n", " \n", "\r\n\n" };

  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *text = g_strconcat (jws, same[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwJws) parsed = mw_jws_read (text, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (parsed->length, ==, strlen (jws));
      g_assert_cmpuint (parsed->signing_input_length, ==, strrchr (jws, '.') - jws);
      g_assert_cmpstr (parsed->kid, ==, "k");
      g_assert_null (parsed->cty);
      g_assert_cmpmem (g_bytes_get_data (parsed->payload, NULL), g_bytes_get_size (parsed->payload),
                       "{\"a\":1}", 7);
      g_assert_cmpuint (g_bytes_get_size (parsed->signature), ==, MW_JWS_SIGNATURE_BYTES);
    }

  /* Nothing else is trimmed. */
  for (gsize i = 0; i < G_N_ELEMENTS (different); i++)
    {
      g_autofree char *text = g_strconcat (jws, different[i], NULL);
      g_autofree char *leading = g_strconcat (different[i], jws, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_null (mw_jws_read (text, &error));
      g_assert_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE);
      g_clear_error (&error);
      g_assert_null (mw_jws_read (leading, &error));
      g_assert_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE);
    }
}

static void
assert_jws_refused (const char *text,
                    const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwJws) parsed = mw_jws_read (text, &error);

  g_assert_null (parsed);
  g_assert_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message “%s” does not mention “%s”", error->message, fragment);
}

/* The protected header goes through the one strict JSON reader. */
static void
test_jws_header (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"alg\":\"EdDSA\",/* \" */\"x\":");
  g_autofree char *attack = NULL;
  g_autofree char *single = make_jws ("{'alg':'EdDSA'}", "{}");
  g_autofree char *twice = make_jws ("{\"alg\":\"EdDSA\",\"kid\":\"a\",\"kid\":\"b\"}", "{}");
  g_autofree char *surrogate = make_jws ("{\"alg\":\"EdDSA\",\"kid\":\"\\udead\"}", "{}");
  g_autofree char *crit = make_jws ("{\"alg\":\"EdDSA\",\"crit\":[\"b64\"]}", "{}");
  g_autofree char *none = make_jws ("{\"alg\":\"none\"}", "{}");

  for (int i = 0; i < 70 * 1024; i++)
    g_string_append_c (deep, '[');
  attack = make_jws (deep->str, "{}");
  assert_jws_refused (attack, "comments");
  assert_jws_refused (single, "single quotes");
  assert_jws_refused (twice, "“kid” appears twice");
  assert_jws_refused (surrogate, "\\udead");
  assert_jws_refused (crit, "crit");
  assert_jws_refused (none, "EdDSA");
}

/* base64url as the signer always had it: no padding, no stray characters, canonical. */
static void
test_jws_base64url (void)
{
  g_autofree char *jws = make_jws ("{\"alg\":\"EdDSA\"}", "{\"a\":1}");
  g_auto(GStrv) parts = g_strsplit (jws, ".", -1);
  g_autofree char *padded = g_strdup_printf ("%s.%s=.%s", parts[0], parts[1], parts[2]);
  g_autofree char *plus = g_strdup_printf ("%s.%s+.%s", parts[0], parts[1], parts[2]);
  g_autofree char *space = g_strdup_printf ("%s.%s .%s", parts[0], parts[1], parts[2]);
  g_autofree char *inner_newline = g_strdup_printf ("%s.%s\n.%s", parts[0], parts[1], parts[2]);
  g_autofree char *short_sig = g_strdup_printf ("%s.%s.AAAA", parts[0], parts[1]);
  g_autofree char *four = g_strdup_printf ("%s.%s.%s.", parts[0], parts[1], parts[2]);

  assert_jws_refused (padded, "payload is not valid base64url");
  assert_jws_refused (plus, "payload is not valid base64url");
  assert_jws_refused (space, "payload is not valid base64url");
  assert_jws_refused (inner_newline, "payload is not valid base64url");
  assert_jws_refused (short_sig, "64 bytes");
  assert_jws_refused (four, "three parts");
  assert_jws_refused ("", "empty");
  assert_jws_refused ("\n", "empty");
  assert_jws_refused (NULL, "empty");

  /* Over the bound, even with a line end allowed. */
  {
    g_autofree char *huge = g_malloc (MW_JWS_MAX_BYTES + 3);

    memset (huge, 'A', MW_JWS_MAX_BYTES + 1);
    huge[10] = '.';
    huge[20] = '.';
    huge[MW_JWS_MAX_BYTES + 1] = '\n';
    huge[MW_JWS_MAX_BYTES + 2] = '\0';
    assert_jws_refused (huge, "1 MiB");
  }
}

/* Private files ------------------------------------------------------------- */

/* Exports and databases are for their owner only, whatever the umask and the old file. */
static void
test_file_private (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-json-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "export.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) nowhere = g_file_new_for_path ("/nonexistent-folder/x.json");
  g_autofree char *db = g_build_filename (dir, "store.db", NULL);
  g_autofree char *link = g_build_filename (dir, "link.db", NULL);
  g_autofree char *contents = NULL;
  mode_t old_umask = umask (022);

  g_assert_no_error (error);
  g_assert_true (mw_file_write_private (file, (const guint8 *) "{}", 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mw_test_file_mode (path), ==, 0600);

  /* Replacing a file open to others leaves a private one. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_true (mw_file_write_private (file, (const guint8 *) "[1]", 3, &error));
  g_assert_cmpuint (mw_test_file_mode (path), ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "[1]");

  g_assert_true (mw_file_make_private (db, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mw_test_file_mode (db), ==, 0600);
  g_assert_cmpint (g_chmod (db, 0664), ==, 0);
  g_assert_true (mw_file_make_private (db, &error));
  g_assert_cmpuint (mw_test_file_mode (db), ==, 0600);

  /* A symbolic link is not followed. */
  g_assert_cmpint (symlink (path, link), ==, 0);
  g_assert_false (mw_file_make_private (link, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, link));
  g_clear_error (&error);

  g_assert_false (mw_file_write_private (nowhere, (const guint8 *) "{}", 2, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent-folder/x.json"));

  umask (old_umask);
  mw_test_remove_tree (dir);
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
  g_test_add_func ("/json/canonical/rfc8785-numbers", test_rfc8785_numbers);
  g_test_add_func ("/json/canonical/rfc8785-example", test_rfc8785_example);
  g_test_add_func ("/json/canonical/rfc8785-sorting", test_rfc8785_sorting);
  g_test_add_func ("/json/parse/bounds", test_parse_bounds);
  g_test_add_func ("/json/reader/comment-attack", test_reader_comment_attack);
  g_test_add_func ("/json/reader/not-json", test_reader_not_json);
  g_test_add_func ("/json/reader/positions", test_reader_positions);
  g_test_add_func ("/json/reader/surrogates", test_reader_surrogates);
  g_test_add_func ("/json/reader/accepts", test_reader_accepts);
  g_test_add_func ("/jws/trailing-newline", test_jws_trailing_newline);
  g_test_add_func ("/jws/header", test_jws_header);
  g_test_add_func ("/jws/base64url", test_jws_base64url);
  g_test_add_func ("/file/private", test_file_private);
  g_test_add_func ("/json/lookup", test_lookup);

  return g_test_run ();
}
