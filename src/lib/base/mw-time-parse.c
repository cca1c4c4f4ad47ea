/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-time-parse"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-error.h"
#include "mw-time-parse.h"

static void
set_invalid (GError    **error,
             const char *text)
{
  g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
               /* Translators: %s is what was typed; keep "now" and add your own word for it */
               _("“%s” is not a time: write 6-12-2026 01:30, or 01:30 for today, or “now”."),
               text);
}

/* Reads 1 to @max_digits digits; FALSE when there are none or more. */
static gboolean
read_number (const char **p,
             int          max_digits,
             int         *value,
             int         *n_digits)
{
  int v = 0;
  int n = 0;

  while (g_ascii_isdigit (**p))
    {
      if (++n > max_digits)
        return FALSE;
      v = v * 10 + (**p - '0');
      (*p)++;
    }
  if (n == 0)
    return FALSE;
  *value = v;
  if (n_digits != NULL)
    *n_digits = n;
  return TRUE;
}

/* "H:MM" or "HH:MM:SS", the whole of @text. */
static gboolean
parse_clock (const char *text,
             int        *hour,
             int        *minute,
             int        *second)
{
  const char *p = text;
  int n;

  *second = 0;
  if (!read_number (&p, 2, hour, NULL) || *p++ != ':' ||
      !read_number (&p, 2, minute, &n) || n != 2)
    return FALSE;
  if (*p == ':')
    {
      p++;
      if (!read_number (&p, 2, second, &n) || n != 2)
        return FALSE;
    }
  return *p == '\0' && *hour <= 23 && *minute <= 59 && *second <= 59;
}

/* "D-M-YYYY", "D-M-YY", "D-M", "YYYY-M-D" ('-' or '.'), the whole of @text. A missing year
 * is left 0. */
static gboolean
parse_date (const char *text,
            int        *year,
            int        *month,
            int        *day)
{
  const char *p = text;
  int a, b, c, na, nc;
  char sep;

  *year = 0;
  if (!read_number (&p, 4, &a, &na))
    return FALSE;
  sep = *p;
  if (sep != '-' && sep != '.')
    return FALSE;
  p++;
  if (!read_number (&p, 2, &b, NULL))
    return FALSE;
  if (*p == '\0')
    {
      if (na > 2)
        return FALSE;
      *day = a;
      *month = b;
      return TRUE;
    }
  if (*p++ != sep || !read_number (&p, 4, &c, &nc) || *p != '\0')
    return FALSE;
  if (na == 4 && nc <= 2)
    {
      *year = a;
      *month = b;
      *day = c;
    }
  else if (na <= 2 && (nc == 4 || nc == 2))
    {
      *day = a;
      *month = b;
      *year = nc == 2 ? 2000 + c : c;
    }
  else
    return FALSE;
  return TRUE;
}

GDateTime *
mw_time_parse (const char  *text,
               GTimeZone   *zone,
               GDateTime   *now,
               GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GDateTime) here = NULL;
  const char *date_text = NULL;
  const char *clock_text = NULL;
  int year, month, day, hour, minute, second;
  guint n_words = 0;

  g_return_val_if_fail (zone != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL || strlen (text) > MW_TIME_PARSE_MAX_TEXT || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The time is too long: write at most %d characters, such as 6-12-2026 01:30."),
                   MW_TIME_PARSE_MAX_TEXT);
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (text));
  here = g_date_time_to_timezone (now, zone);

  if (g_ascii_strcasecmp (trimmed, "nu") == 0 || g_ascii_strcasecmp (trimmed, "now") == 0)
    return g_date_time_add_seconds (here, -g_date_time_get_seconds (here));

  /* RFC 3339 and year-first ISO with a 'T'; without an offset it is in @zone. */
  if (strchr (trimmed, 'T') != NULL || strchr (trimmed, 't') != NULL)
    {
      g_autoptr(GDateTime) iso = g_date_time_new_from_iso8601 (trimmed, zone);

      if (iso != NULL && g_date_time_get_year (iso) >= 1970)
        return g_date_time_to_timezone (iso, zone);
      /* "2026-12-06T02:58": GLib wants seconds there; read it as date and time. */
      *strpbrk (trimmed, "Tt") = ' ';
    }

  words = g_strsplit_set (trimmed, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        if (n_words == 0)
          clock_text = words[i];
        else if (n_words == 1)
          {
            date_text = clock_text;
            clock_text = words[i];
          }
        n_words++;
      }
  if (n_words == 0)
    {
      g_set_error_literal (error, MW_ERROR, MW_ERROR_INVALID, _("No time was written."));
      return NULL;
    }
  if (n_words > 2 || !parse_clock (clock_text, &hour, &minute, &second))
    {
      int y, m, d;

      /* A date alone: say what is missing. */
      if (n_words == 1 && parse_date (clock_text, &y, &m, &d))
        g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                     /* Translators: %s is the date that was typed */
                     _("“%s” has no time of day: add it, as in %s 01:30."),
                     text, clock_text);
      else
        set_invalid (error, text);
      return NULL;
    }

  if (date_text == NULL)
    g_date_time_get_ymd (here, &year, &month, &day);
  else if (!parse_date (date_text, &year, &month, &day))
    {
      set_invalid (error, text);
      return NULL;
    }
  else if (year == 0)
    year = g_date_time_get_year (here);

  if (year < 1970 || year > 9999 || month < 1 || month > 12 ||
      !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   /* Translators: %s is what was typed */
                   _("“%s” is not a date in the calendar: write the day first, as in 6-12-2026 01:30."),
                   text);
      return NULL;
    }
  return g_date_time_new (zone, year, month, day, hour, minute, second);
}
