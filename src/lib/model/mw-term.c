/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-term"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-term.h"

GTimeZone *
mw_dutch_time_zone (void)
{
  static gsize zone = 0;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *found = g_time_zone_new_identifier ("Europe/Amsterdam");

      /* Without tzdata, the rule itself: CET, CEST from the last Sunday of March 01:00 UTC
       * to the last Sunday of October 01:00 UTC (POSIX TZ syntax). */
      if (found == NULL)
        found = g_time_zone_new_identifier ("CET-1CEST,M3.5.0/2,M10.5.0/3");
      if (found == NULL)
        found = g_time_zone_new_utc ();
      g_once_init_leave (&zone, (gsize) found);
    }
  return (GTimeZone *) zone;
}

GDateTime *
mw_to_dutch_time (GDateTime *time)
{
  g_return_val_if_fail (time != NULL, NULL);
  return g_date_time_to_timezone (time, mw_dutch_time_zone ());
}

/* Easter Sunday of @year (Gregorian; the anonymous algorithm of Meeus). */
static void
easter_sunday (int    year,
               GDate *out)
{
  int a = year % 19, b = year / 100, c = year % 100;
  int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = (h + l - 7 * m + 114) % 31 + 1;

  g_date_clear (out, 1);
  g_date_set_dmy (out, day, month, year);
}

const char *
mw_dutch_holiday (const GDate *date)
{
  GDateDay day;
  GDateMonth month;
  GDateYear year;
  GDate easter;
  int offset;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  day = g_date_get_day (date);
  month = g_date_get_month (date);
  year = g_date_get_year (date);

  if (month == G_DATE_JANUARY && day == 1)
    return _("New Year’s Day");
  if (month == G_DATE_DECEMBER && day == 25)
    return _("Christmas Day");
  if (month == G_DATE_DECEMBER && day == 26)
    return _("Boxing Day");
  if (month == G_DATE_MAY && day == 5)
    return _("Liberation Day (5 May)");
  /* King's Day: 27 April, or 26 April when the 27th is a Sunday. */
  if (month == G_DATE_APRIL && (day == 27 || day == 26))
    {
      GDate kings;

      g_date_clear (&kings, 1);
      g_date_set_dmy (&kings, 27, G_DATE_APRIL, year);
      if (g_date_get_weekday (&kings) == G_DATE_SUNDAY)
        g_date_subtract_days (&kings, 1);
      if (g_date_get_day (&kings) == day)
        return _("King’s Day");
    }

  easter_sunday (year, &easter);
  offset = (int) g_date_get_julian (date) - (int) g_date_get_julian (&easter);
  if (offset == 1)
    return _("Easter Monday");
  if (offset == 39)
    return _("Ascension Day");
  if (offset == 50)
    return _("Whit Monday");

  return NULL;
}

static const char *
day_off (const GDate *date)
{
  const char *holiday = mw_dutch_holiday (date);

  if (holiday != NULL)
    return holiday;
  switch (g_date_get_weekday (date))
    {
    case G_DATE_SATURDAY: return _("a Saturday");
    case G_DATE_SUNDAY: return _("a Sunday");
    default: return NULL;
    }
}

static char *
format_date (const GDate *date)
{
  char text[64];

  if (g_date_strftime (text, sizeof text, "%Y-%m-%d", date) == 0)
    return g_strdup ("?");
  return g_strdup (text);
}

GDateTime *
mw_term_end (GDateTime  *from,
             int         hours,
             int         days,
             int         months,
             char      **extension)
{
  g_autoptr(GDateTime) dutch = NULL;
  g_autoptr(GDateTime) end = NULL;
  GDate date, first;
  const char *why, *first_why;

  g_return_val_if_fail (from != NULL, NULL);
  g_return_val_if_fail (hours >= 0 && days >= 0 && months >= 0, NULL);

  if (extension != NULL)
    *extension = NULL;

  dutch = mw_to_dutch_time (from);

  /* Hour terms are elapsed time and never extended (Algemene termijnenwet art. 4). */
  if (days == 0 && months == 0)
    {
      g_autoptr(GDateTime) later = g_date_time_add_hours (dutch, hours);
      return later != NULL ? mw_to_dutch_time (later) : NULL;
    }

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (dutch),
                  g_date_time_get_month (dutch), g_date_time_get_year (dutch));
  /* GDate clamps: 31 January plus one month is the last day of February. */
  if (months > 0)
    g_date_add_months (&date, months);
  else
    g_date_add_days (&date, days);
  if (!g_date_valid (&date) || g_date_get_year (&date) > 9000)
    return NULL;

  first = date;
  first_why = why = day_off (&date);
  while (why != NULL)
    {
      g_date_add_days (&date, 1);
      why = day_off (&date);
    }

  if (first_why != NULL && extension != NULL)
    {
      g_autofree char *was = format_date (&first);
      g_autofree char *now = format_date (&date);

      /* Translators: "2027-04-27 is King's Day: the term runs through 2027-04-28 (…)" */
      *extension = g_strdup_printf (_("%s is %s: the term runs through %s (Algemene termijnenwet, arts. 1 and 3)"),
                                    was, first_why, now);
    }

  /* The end of that day: midnight at the start of the next one, in Dutch time. */
  g_date_add_days (&date, 1);
  end = g_date_time_new (mw_dutch_time_zone (), g_date_get_year (&date), g_date_get_month (&date),
                         g_date_get_day (&date), 0, 0, 0);
  return g_steal_pointer (&end);
}

char *
mw_format_dutch_time (GDateTime *time)
{
  g_autoptr(GDateTime) dutch = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  dutch = mw_to_dutch_time (time);
  return g_date_time_format (dutch, "%Y-%m-%d %H:%M %:z");
}

char *
mw_format_due (GDateTime *due,
               gboolean   end_of_day)
{
  g_autoptr(GDateTime) dutch = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (due != NULL, NULL);

  dutch = mw_to_dutch_time (due);
  if (end_of_day && g_date_time_get_hour (dutch) == 0 && g_date_time_get_minute (dutch) == 0)
    {
      /* Midnight is the end of the day before: "24:00" as the law counts it. */
      g_autoptr(GDateTime) before = g_date_time_add_seconds (dutch, -1);
      g_autofree char *day = g_date_time_format (before, "%Y-%m-%d");
      g_autofree char *offset = g_date_time_format (dutch, "%:z");

      text = g_strdup_printf ("%s 24:00 %s", day, offset);
    }
  else
    text = mw_format_dutch_time (due);

  local = g_date_time_to_local (due);
  if (local != NULL && g_date_time_get_utc_offset (local) != g_date_time_get_utc_offset (dutch))
    {
      g_autofree char *mine = g_date_time_format (local, "%Y-%m-%d %H:%M %:z");
      /* Translators: a due time in Dutch time, then the same in the user's own time zone */
      return g_strdup_printf (_("%s (your time: %s)"), text, mine);
    }
  return g_steal_pointer (&text);
}
