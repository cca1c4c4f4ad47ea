/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-json"

/*
 * A fuzz target for the one strict JSON reader (mw_json_parse) and canonical JSON: whatever
 * the input, the reader answers without crashing, within its bounds; whatever it accepts,
 * its canonical form is read again and gives the same canonical form (what is signed can be
 * read back), and is valid UTF-8.
 *
 * Standalone (registered as a test) with the driver of mw-fuzz-main.h; with -Dlibfuzzer=true a
 * libFuzzer target (see tests/meson.build).
 */

#include "mw-error.h"
#include "mw-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_again = NULL;

  /* Here a warning or a critical is a bug like a crash. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  /* mw_json_parse wants a pointer even for nothing. */
  node = mw_json_parse (size > 0 ? (const char *) data : "", size, "fuzz.json", &error);
  if (node == NULL)
    {
      g_assert_true (error != NULL && error->domain == MW_ERROR);
      g_assert_true (error->code == MW_ERROR_INVALID || error->code == MW_ERROR_TOO_LARGE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  canonical = mw_json_to_canonical (node);
  g_assert_true (g_utf8_validate (canonical, -1, NULL));
  again = mw_json_parse (canonical, -1, "canonical.json", &error);
  if (again == NULL)
    g_error ("the canonical form of an accepted text is refused: %s", error->message);
  canonical_again = mw_json_to_canonical (again);
  g_assert_cmpstr (canonical, ==, canonical_again);
  return 0;
}

G_GNUC_UNUSED static const char * const fuzz_tokens[] = {
  "{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "-0", "1e308", "1e309",
  "9007199254740993", "1e21", "1e-7", "0.1", "01", "\\u0000", "\\ud800", "\\udc00",
  "\\ud83d\\ude00", "\\\"", "/*", "*/", "//", "'", "\xef\xbb\xbf", "\xc3\xa9", "\xff", "\t",
  "\n", "\r\n", "[[[[[[[[[[[[[[[[", "{\"a\":", "\"a\"", "NaN", "Infinity",
};

G_GNUC_UNUSED static void
fuzz_finish (void)
{
}

#include "mw-fuzz-main.h"
