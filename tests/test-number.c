/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-number"

#include <locale.h>

#include "mw-error.h"
#include "mw-number.h"

static double
parse_ok (const char *text,
          const char *language)
{
  g_autoptr(GError) error = NULL;
  double value = -12345;

  if (!mw_number_parse (text, language, &value, &error))
    g_error ("“%s” (%s) refused: %s", text, language, error->message);
  return value;
}

static char *
refused (const char *text,
         const char *language)
{
  g_autoptr(GError) error = NULL;
  double value = -12345;

  g_assert_false (mw_number_parse (text, language, &value, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == MW_ERROR);
  /* Refused means untouched, never a truncated value. */
  g_assert_cmpfloat (value, ==, -12345);
  return g_strdup (error->message);
}

static void
test_dutch (void)
{
  g_assert_cmpfloat (parse_ok ("120.000", "nl"), ==, 120000);
  g_assert_cmpfloat (parse_ok ("250.000", "nl"), ==, 250000);
  g_assert_cmpfloat (parse_ok ("2,5", "nl"), ==, 2.5);
  g_assert_cmpfloat (parse_ok ("1.234.567,25", "nl"), ==, 1234567.25);
  g_assert_cmpfloat (parse_ok ("120000", "nl"), ==, 120000);
  g_assert_cmpfloat (parse_ok ("120 000", "nl"), ==, 120000);
  g_assert_cmpfloat (parse_ok ("120\xc2\xa0" "000", "nl"), ==, 120000);
  g_assert_cmpfloat (parse_ok (" 45 ", "nl"), ==, 45);
  g_assert_cmpfloat (parse_ok ("0,125", "nl"), ==, 0.125);
  g_assert_cmpfloat (parse_ok ("-3", "nl"), ==, -3);
  g_assert_cmpfloat (parse_ok ("2,5", "nl_NL.UTF-8"), ==, 2.5);
}

static void
test_english (void)
{
  g_assert_cmpfloat (parse_ok ("120,000", "en"), ==, 120000);
  g_assert_cmpfloat (parse_ok ("2.5", "en"), ==, 2.5);
  g_assert_cmpfloat (parse_ok ("1,234,567.25", "en"), ==, 1234567.25);
  g_assert_cmpfloat (parse_ok ("1 000 000", "en"), ==, 1000000);
  g_assert_cmpfloat (parse_ok ("0.500", "en"), ==, 0.5);
  g_assert_cmpfloat (parse_ok ("2.5", NULL), ==, 2.5);
}

static void
test_malformed (void)
{
  const char *cases[][2] = {
    { "1.2.3", "nl" }, { "12.34.567", "nl" }, { "1,2,3", "en" }, { "12,34,567", "en" },
    { "1,5", "en" }, { "2.5", "nl" }, { "1.000,5", "en" }, { "1,000.5", "nl" },
    { "120.000,", "nl" }, { ".5", "en" }, { "1..000", "nl" }, { "1.000 000", "nl" },
    { "1 0", "en" }, { "1000.000", "nl" }, { "", "en" }, { "   ", "nl" },
    { "many", "en" }, { "12a", "nl" }, { "1e400", "en" }, { "0x10", "en" }, { "--1", "en" },
    { "12345678901234567", "en" }, { "∞", "en" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_free (refused (cases[i][0], cases[i][1]));
  g_free (refused ("123456789012345678901234567890123456789012345678901234567890123456789", "en"));
  g_free (refused ("\xff\xfe", "en"));
}

static void
test_ambiguous (void)
{
  g_autofree char *en = refused ("120.000", "en");
  g_autofree char *nl = refused ("120,000", "nl");
  g_autofree char *nl2 = refused ("1,250", "nl");

  /* The message says how to write each reading. */
  g_assert_nonnull (strstr (en, "120,000"));
  g_assert_nonnull (strstr (en, "120000"));
  g_assert_nonnull (strstr (nl, "120.000"));
  g_assert_nonnull (strstr (nl2, "1,25"));
}

static void
test_messages (void)
{
  g_autofree char *nl = refused ("1.2.3", "nl");
  g_autofree char *en = refused ("1,5", "en");

  /* Examples in the language of the number. */
  g_assert_nonnull (strstr (nl, "120.000"));
  g_assert_nonnull (strstr (nl, "2,5"));
  g_assert_nonnull (strstr (en, "120,000"));
  g_assert_nonnull (strstr (en, "2.5"));
}

static void
check_round_trip (double value)
{
  const char *languages[] = { "nl", "en" };

  for (gsize i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *text = mw_number_format (value, languages[i]);

      g_assert_cmpfloat (parse_ok (text, languages[i]), ==, value);
    }
}

static void
test_format (void)
{
  g_autofree char *a = mw_number_format (120000, "nl");
  g_autofree char *b = mw_number_format (120000, "en");
  g_autofree char *c = mw_number_format (2.5, "nl");
  g_autofree char *d = mw_number_format (1234567.25, "en");
  g_autofree char *e = mw_number_format (45, "nl");

  g_assert_cmpstr (a, ==, "120.000");
  g_assert_cmpstr (b, ==, "120,000");
  g_assert_cmpstr (c, ==, "2,5");
  g_assert_cmpstr (d, ==, "1,234,567.25");
  g_assert_cmpstr (e, ==, "45");

  check_round_trip (0);
  check_round_trip (1.125);
  check_round_trip (999.001);
  check_round_trip (0.001);
  check_round_trip (250000);
  check_round_trip (123456789012345);
  check_round_trip (-7.5);
}

/* The C library's locale does not change how a language's numbers are read. */
static void
test_c_locale_independent (void)
{
  if (setlocale (LC_ALL, "nl_NL.UTF-8") == NULL)
    {
      g_test_skip ("nl_NL.UTF-8 is not installed");
      return;
    }
  g_assert_cmpfloat (parse_ok ("2.5", "en"), ==, 2.5);
  g_assert_cmpfloat (parse_ok ("2,5", "nl"), ==, 2.5);
  {
    g_autofree char *text = mw_number_format (2.5, "en");

    g_assert_cmpstr (text, ==, "2.5");
  }
  setlocale (LC_ALL, "C");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/number/dutch", test_dutch);
  g_test_add_func ("/number/english", test_english);
  g_test_add_func ("/number/malformed", test_malformed);
  g_test_add_func ("/number/ambiguous", test_ambiguous);
  g_test_add_func ("/number/messages", test_messages);
  g_test_add_func ("/number/format", test_format);
  g_test_add_func ("/number/c-locale", test_c_locale_independent);
  return g_test_run ();
}
