/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-time-parse"

#include "mw-error.h"
#include "mw-time-parse.h"

static GTimeZone *amsterdam;
static GDateTime *now;  /* Sun 6 Dec 2026, 03:07:42 in Amsterdam (UTC+1) */

static void
assert_parses (const char *text,
               int         year,
               int         month,
               int         day,
               int         hour,
               int         minute,
               int         second)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) parsed = mw_time_parse (text, amsterdam, now, &error);

  if (parsed == NULL)
    g_error ("“%s” refused: %s", text, error->message);
  g_assert_cmpint (g_date_time_get_year (parsed), ==, year);
  g_assert_cmpint (g_date_time_get_month (parsed), ==, month);
  g_assert_cmpint (g_date_time_get_day_of_month (parsed), ==, day);
  g_assert_cmpint (g_date_time_get_hour (parsed), ==, hour);
  g_assert_cmpint (g_date_time_get_minute (parsed), ==, minute);
  g_assert_cmpint (g_date_time_get_second (parsed), ==, second);
}

static void
test_typed (void)
{
  assert_parses ("06-12-2026 01:30", 2026, 12, 6, 1, 30, 0);
  assert_parses ("6-12-2026 1:30", 2026, 12, 6, 1, 30, 0);
  assert_parses ("6-12 1:30", 2026, 12, 6, 1, 30, 0);
  assert_parses ("6.12.26 01:30:15", 2026, 12, 6, 1, 30, 15);
  assert_parses ("01:30", 2026, 12, 6, 1, 30, 0);
  assert_parses ("  23:59 ", 2026, 12, 6, 23, 59, 0);
  assert_parses ("2026-12-06 02:58", 2026, 12, 6, 2, 58, 0);
  assert_parses ("2026-12-06T02:58", 2026, 12, 6, 2, 58, 0);
  assert_parses ("nu", 2026, 12, 6, 3, 7, 0);
  assert_parses ("NOW", 2026, 12, 6, 3, 7, 0);
  assert_parses ("29-2-2028 12:00", 2028, 2, 29, 12, 0, 0);
}

/* An offset is kept as the instant and shown in Dutch time. */
static void
test_rfc3339 (void)
{
  g_autoptr(GDateTime) parsed = mw_time_parse ("2026-12-06T00:30:00Z", amsterdam, now, NULL);

  g_assert_nonnull (parsed);
  g_assert_cmpint (g_date_time_get_hour (parsed), ==, 1);
  g_assert_cmpint (g_date_time_get_utc_offset (parsed) / G_TIME_SPAN_HOUR, ==, 1);
  assert_parses ("2026-07-01T10:00:00+02:00", 2026, 7, 1, 10, 0, 0);
}

/* Summer time is Amsterdam's of that date, not of today. */
static void
test_summer (void)
{
  g_autoptr(GDateTime) parsed = mw_time_parse ("1-7-2026 10:00", amsterdam, now, NULL);

  g_assert_nonnull (parsed);
  g_assert_cmpint (g_date_time_get_utc_offset (parsed) / G_TIME_SPAN_HOUR, ==, 2);
}

static void
test_refused (void)
{
  const char *cases[] = {
    "", "   ", "yesterday", "6-12-2026", "31-2-2026 10:00", "6-13-2026 10:00", "24:00",
    "1:5", "01:30 extra", "6/12/2026 01:30", "2026-12-06 25:00", "12:60", "6-12-2026 01:30 x",
    "0-12-2026 10:00", "06-12-1969 10:00", "2026-12-06T99:00", "T", "123-12-2026 10:00",
    "6-12-20266 10:00", "\xff", "6-12-2026 01:30:61",
    "6-12-2026 01:30 ................................................................",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) parsed = mw_time_parse (cases[i], amsterdam, now, &error);

      if (parsed != NULL)
        g_error ("“%s” accepted", cases[i]);
      g_assert_nonnull (error);
      g_assert_true (error->domain == MW_ERROR);
    }
}

static void
test_date_only_says_what_is_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) parsed = mw_time_parse ("6-12-2026", amsterdam, now, &error);

  g_assert_null (parsed);
  g_assert_nonnull (strstr (error->message, "6-12-2026 01:30"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) utc = NULL;

  g_test_init (&argc, &argv, NULL);
  amsterdam = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_assert_nonnull (amsterdam);
  utc = g_date_time_new_utc (2026, 12, 6, 2, 7, 42);
  now = g_date_time_to_timezone (utc, amsterdam);
  g_test_add_func ("/time-parse/typed", test_typed);
  g_test_add_func ("/time-parse/rfc3339", test_rfc3339);
  g_test_add_func ("/time-parse/summer", test_summer);
  g_test_add_func ("/time-parse/refused", test_refused);
  g_test_add_func ("/time-parse/date-only", test_date_only_says_what_is_missing);
  return g_test_run ();
}
