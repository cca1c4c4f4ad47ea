/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-number"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "mw-error.h"
#include "mw-number.h"

/* More significant digits than a double holds exactly would be rounded silently. */
#define MAX_DIGITS 15

static gboolean
is_dutch (const char *language)
{
  return language != NULL && g_ascii_strncasecmp (language, "nl", 2) == 0;
}

/* Groups the digits of @digits (ASCII, no sign) in threes with @sep. */
static void
append_grouped (GString    *out,
                const char *digits,
                char        sep)
{
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, sep);
      g_string_append_c (out, digits[i]);
    }
}

char *
mw_number_format (double      value,
                  const char *language)
{
  gboolean dutch = is_dutch (language);
  char decimal = dutch ? ',' : '.';
  char group = dutch ? '.' : ',';
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) parts = NULL;
  const char *digits;

  if (!isfinite (value))
    return g_strdup ("?");
  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (strchr (buf, 'e') != NULL)
    g_ascii_formatd (buf, sizeof buf, "%.6f", value);
  parts = g_strsplit (buf, ".", 2);
  digits = parts[0];
  if (*digits == '-')
    {
      g_string_append_c (out, '-');
      digits++;
    }
  append_grouped (out, digits, group);
  if (parts[1] != NULL)
    {
      g_autofree char *fraction = g_strdup (parts[1]);
      gsize len;

      /* Trailing zeros of the %.6f fallback say nothing. */
      len = strlen (fraction);
      while (len > 0 && fraction[len - 1] == '0')
        fraction[--len] = '\0';
      if (len > 0)
        {
          g_string_append_c (out, decimal);
          g_string_append (out, fraction);
          /* "1,125" would be refused as ambiguous when read back: "1,1250" is not. */
          if (len == 3 && strlen (digits) <= 3 && g_strcmp0 (digits, "0") != 0)
            g_string_append_c (out, '0');
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The language's own examples, for the messages. */
static void
set_malformed (GError    **error,
               const char *text,
               const char *language)
{
  g_autofree char *thousands = mw_number_format (120000, language);
  g_autofree char *half = mw_number_format (2.5, language);

  g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
               /* Translators: %s is what was typed, then examples: 120.000, 2,5 */
               _("“%s” is not a number as written here: write thousands as %s or 120000, "
                 "and decimals as %s."), text, thousands, half);
}

static void
set_not_a_number (GError    **error,
                  const char *text,
                  const char *language)
{
  g_autofree char *thousands = mw_number_format (120000, language);
  g_autofree char *half = mw_number_format (2.5, language);

  g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
               /* Translators: %s is what was typed, then examples: 120.000, 2,5 */
               _("“%s” is not a number: write digits only, such as %s or %s."),
               text, thousands, half);
}

/* Skips a group separator at @p: the language's own, or a (no-break) space. Returns its
 * length in bytes (0 when there is none) and its kind in @kind. */
static gsize
separator_at (const char *p,
              char        group,
              char       *kind)
{
  if (*p == group)
    {
      *kind = group;
      return 1;
    }
  if (*p == ' ')
    {
      *kind = ' ';
      return 1;
    }
  if (g_str_has_prefix (p, "\xc2\xa0"))          /* U+00A0 NO-BREAK SPACE */
    {
      *kind = ' ';
      return 2;
    }
  if (g_str_has_prefix (p, "\xe2\x80\xaf"))      /* U+202F NARROW NO-BREAK SPACE */
    {
      *kind = ' ';
      return 3;
    }
  return 0;
}

gboolean
mw_number_parse (const char  *text,
                 const char  *language,
                 double      *value,
                 GError     **error)
{
  gboolean dutch = is_dutch (language);
  char decimal = dutch ? ',' : '.';
  char group = dutch ? '.' : ',';
  g_autofree char *trimmed = NULL;
  g_autoptr(GString) integer = g_string_new (NULL);
  g_autoptr(GString) fraction = g_string_new (NULL);
  g_autoptr(GString) clean = g_string_new (NULL);
  const char *p;
  gboolean negative = FALSE;
  gboolean has_decimal = FALSE;
  gboolean grouped = FALSE;
  char group_kind = 0;
  gsize group_len = 0;
  double parsed;
  char *end = NULL;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || strlen (text) > MW_NUMBER_MAX_TEXT)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The number is too long: write at most %d characters."),
                   MW_NUMBER_MAX_TEXT);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, MW_ERROR, MW_ERROR_INVALID,
                           _("The number is not valid text: write digits only."));
      return FALSE;
    }
  trimmed = g_strstrip (g_strdup (text));
  p = trimmed;
  if (*p == '\0')
    {
      g_set_error_literal (error, MW_ERROR, MW_ERROR_INVALID, _("No number was written."));
      return FALSE;
    }
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  /* The whole part: digits, in groups of three once a separator appears. */
  for (; *p != '\0' && *p != decimal; )
    {
      char kind = 0;
      gsize skip;

      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (integer, *p++);
          group_len++;
          continue;
        }
      skip = separator_at (p, group, &kind);
      if (skip == 0)
        {
          if (*p == ',' || *p == '.')
            {
              set_malformed (error, text, language);
              return FALSE;
            }
          set_not_a_number (error, text, language);
          return FALSE;
        }
      /* A separator must stand between digits, be of one kind, and close a full group. */
      if (group_len == 0 || (grouped && (kind != group_kind || group_len != 3)) ||
          (!grouped && group_len > 3))
        {
          set_malformed (error, text, language);
          return FALSE;
        }
      grouped = TRUE;
      group_kind = kind;
      group_len = 0;
      p += skip;
    }
  if (integer->len == 0 || (grouped && group_len != 3))
    {
      set_malformed (error, text, language);
      return FALSE;
    }

  if (*p == decimal)
    {
      has_decimal = TRUE;
      for (p++; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p))
            {
              set_malformed (error, text, language);
              return FALSE;
            }
          g_string_append_c (fraction, *p);
        }
      if (fraction->len == 0)
        {
          set_malformed (error, text, language);
          return FALSE;
        }
    }

  /* "120.000" in English, "120,000" in Dutch: the other language's thousands. */
  if (has_decimal && !grouped && fraction->len == 3 && integer->len <= 3 &&
      g_strcmp0 (integer->str, "0") != 0)
    {
      g_autofree char *whole = NULL;
      g_autofree char *as_thousands = NULL;
      g_autofree char *as_decimal = NULL;
      g_autofree char *plain = g_strconcat (integer->str, ".", fraction->str, NULL);
      double small = g_ascii_strtod (plain, NULL);

      whole = g_strconcat (integer->str, fraction->str, NULL);
      as_thousands = mw_number_format (g_ascii_strtod (whole, NULL), language);
      as_decimal = mw_number_format (small, language);
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   /* Translators: "120.000" could mean 120,000 or 120: write 120000 ... */
                   _("“%s” could mean %s or %s: write %s for the first, or %s for the second."),
                   text, as_thousands, as_decimal, whole, as_decimal);
      return FALSE;
    }
  if (integer->len + fraction->len > MAX_DIGITS)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("“%s” has more digits than can be kept exactly: write at most %d digits."),
                   text, MAX_DIGITS);
      return FALSE;
    }

  if (negative)
    g_string_append_c (clean, '-');
  g_string_append (clean, integer->str);
  if (has_decimal)
    {
      g_string_append_c (clean, '.');
      g_string_append (clean, fraction->str);
    }
  parsed = g_ascii_strtod (clean->str, &end);
  if (end == NULL || *end != '\0' || !isfinite (parsed))
    {
      set_malformed (error, text, language);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}
