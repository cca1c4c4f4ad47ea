/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-json"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "mw-error.h"
#include "mw-json.h"

/* The strict reader --------------------------------------------------------
 *
 * json-glib accepts more than JSON (comments, single-quoted strings, leading zeros, numbers
 * that overflow, duplicated members, lone surrogate escapes that decode to text that is not
 * UTF-8) and parses recursively. So every text from outside is first read here, without
 * recursion, against RFC 8259 itself: only what passes reaches json-glib, and then it is at
 * most MW_JSON_MAX_DEPTH deep. */

#define MW_JSON_MAX_SAFE_INTEGER G_GUINT64_CONSTANT (9007199254740992)   /* 2^53 */

typedef enum {
  LEVEL_ARRAY,
  LEVEL_OBJECT,
} LevelKind;

typedef struct {
  LevelKind   kind;
  guint       index;     /* arrays: the element being read; objects: members read so far */
  const char *member;    /* objects: the member being read (owned by members) */
  GHashTable *members;   /* objects: every name read so far */
} Level;

typedef struct {
  const char *data;
  gsize       length;
  gsize       pos;
  const char *source_name;
  guint       depth;
  Level       levels[MW_JSON_MAX_DEPTH];
} Scanner;

static void
scanner_clear (Scanner *s)
{
  for (guint i = 0; i < s->depth; i++)
    g_clear_pointer (&s->levels[i].members, g_hash_table_unref);
  s->depth = 0;
}

static char *
scanner_path (Scanner *s)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < s->depth; i++)
    {
      Level *level = &s->levels[i];

      if (level->kind == LEVEL_ARRAY)
        g_string_append_printf (path, "[%u]", level->index);
      else if (level->member != NULL)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append (path, level->member);
        }
    }

  /* A hostile name can be long: keep the end, where the error is. */
  if (g_utf8_strlen (path->str, -1) > 80)
    {
      const char *tail = g_utf8_offset_to_pointer (path->str, g_utf8_strlen (path->str, -1) - 79);
      const char *part = strpbrk (tail, ".[");
      char *shortened;

      /* Start at a whole member or index where there is one. */
      if (part != NULL)
        tail = *part == '.' ? part + 1 : part;
      shortened = g_strconcat ("…", tail, NULL);

      g_string_free (path, TRUE);
      return shortened;
    }
  return g_string_free (path, FALSE);
}

G_GNUC_PRINTF (5, 6)
static gboolean
scanner_fail (Scanner     *s,
              gsize        at,
              MwError      code,
              GError     **error,
              const char  *format,
              ...)
{
  g_autofree char *reason = NULL;
  g_autofree char *path = scanner_path (s);
  guint line = 1;
  gsize line_start = 0;
  glong column;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  at = MIN (at, s->length);
  for (gsize i = 0; i < at; i++)
    if (s->data[i] == '\n')
      {
        line++;
        line_start = i + 1;
      }
  /* The text is valid UTF-8 (checked first), so characters can be counted. */
  column = g_utf8_strlen (s->data + line_start, at - line_start) + 1;

  if (*path != '\0')
    g_set_error (error, MW_ERROR, code,
                 _("%s: not valid JSON at line %u, column %ld (in “%s”): %s"),
                 s->source_name, line, column, path, reason);
  else
    g_set_error (error, MW_ERROR, code,
                 _("%s: not valid JSON at line %u, column %ld: %s"),
                 s->source_name, line, column, reason);
  return FALSE;
}

static void
skip_whitespace (Scanner *s)
{
  while (s->pos < s->length)
    {
      char c = s->data[s->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      s->pos++;
    }
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '$';
}

/* Says why the character at the current position cannot be there. */
static gboolean
fail_unexpected (Scanner     *s,
                 const char  *expected,
                 GError     **error)
{
  gsize at = s->pos;
  char c;

  if (at >= s->length)
    return scanner_fail (s, at, MW_ERROR_INVALID, error,
                         _("the text ends here, but %s was expected"), expected);

  c = s->data[at];
  if (c == '/')
    return scanner_fail (s, at, MW_ERROR_INVALID, error,
                         _("JSON has no comments; remove the text that starts with “/”"));
  if (c == '\'')
    return scanner_fail (s, at, MW_ERROR_INVALID, error,
                         _("JSON strings are in double quotes (\"), not single quotes (')"));
  if (is_word_char (c))
    {
      gsize end = at;

      while (end < s->length && end - at < 32 && is_word_char (s->data[end]))
        end++;
      return scanner_fail (s, at, MW_ERROR_INVALID, error,
                           _("“%.*s” is not a JSON value (text must be in double quotes; "
                             "the only words are true, false and null); %s was expected"),
                           (int) (end - at), s->data + at, expected);
    }
  if ((guchar) c < 0x20 || c == 0x7f)
    return scanner_fail (s, at, MW_ERROR_INVALID, error,
                         _("unexpected control character U+%04X; %s was expected"),
                         (guint) (guchar) c, expected);

  return scanner_fail (s, at, MW_ERROR_INVALID, error,
                       _("unexpected “%.*s”; %s was expected"),
                       (int) (g_utf8_next_char (s->data + at) - (s->data + at)), s->data + at,
                       expected);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u" at s->pos (which points at the 'u'); -1 if they are not there. */
static gint32
read_hex4 (Scanner *s,
           gsize    at)
{
  gint32 value = 0;

  if (at + 5 > s->length)
    return -1;
  for (gsize i = at + 1; i < at + 5; i++)
    {
      int digit = hex_value (s->data[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* A string at s->pos (on its opening quote). Its decoded text goes to out if out is not NULL. */
static gboolean
scan_string (Scanner  *s,
             GString  *out,
             GError  **error)
{
  gsize start = s->pos;

  s->pos++;
  for (;;)
    {
      guchar c;

      if (s->pos >= s->length)
        return scanner_fail (s, start, MW_ERROR_INVALID, error,
                             _("the string that starts here has no closing double quote"));

      c = (guchar) s->data[s->pos];
      if (c == '"')
        {
          s->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return scanner_fail (s, s->pos, MW_ERROR_INVALID, error,
                             _("a control character (U+%04X) must be written as an escape "
                               "such as \\n or \\u%04x inside a string"), c, c);
      if (c != '\\')
        {
          if (out != NULL)
            g_string_append_c (out, (char) c);
          s->pos++;
          continue;
        }

      /* An escape. */
      if (s->pos + 1 >= s->length)
        return scanner_fail (s, s->pos, MW_ERROR_INVALID, error,
                             _("the string that starts here has no closing double quote"));
      switch (s->data[s->pos + 1])
        {
        case '"':  if (out) g_string_append_c (out, '"');  break;
        case '\\': if (out) g_string_append_c (out, '\\'); break;
        case '/':  if (out) g_string_append_c (out, '/');  break;
        case 'b':  if (out) g_string_append_c (out, '\b'); break;
        case 'f':  if (out) g_string_append_c (out, '\f'); break;
        case 'n':  if (out) g_string_append_c (out, '\n'); break;
        case 'r':  if (out) g_string_append_c (out, '\r'); break;
        case 't':  if (out) g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gsize at = s->pos;
            gint32 unit = read_hex4 (s, at + 1);
            gunichar ch;

            if (unit < 0)
              return scanner_fail (s, at, MW_ERROR_INVALID, error,
                                   _("“\\u” must be followed by four hexadecimal digits"));
            if (unit >= 0xDC00 && unit <= 0xDFFF)
              return scanner_fail (s, at, MW_ERROR_INVALID, error,
                                   _("“\\u%04x” is the second half of a UTF-16 surrogate pair "
                                     "without its first half; the text is not valid Unicode"),
                                   (guint) unit);
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                gint32 low = -1;

                if (at + 7 < s->length && s->data[at + 6] == '\\' && s->data[at + 7] == 'u')
                  low = read_hex4 (s, at + 7);
                if (low < 0xDC00 || low > 0xDFFF)
                  return scanner_fail (s, at, MW_ERROR_INVALID, error,
                                       _("“\\u%04x” is the first half of a UTF-16 surrogate pair "
                                         "without its second half; the text is not valid Unicode"),
                                       (guint) unit);
                ch = 0x10000 + (((gunichar) unit - 0xD800) << 10) + ((gunichar) low - 0xDC00);
                s->pos += 6;   /* the second escape; the first is skipped below */
              }
            else if (unit == 0)
              return scanner_fail (s, at, MW_ERROR_INVALID, error,
                                   _("“\\u0000” (a NUL character) cannot be part of a text"));
            else
              ch = (gunichar) unit;
            if (out != NULL)
              g_string_append_unichar (out, ch);
            s->pos += 4;
          }
          break;
        default:
          return scanner_fail (s, s->pos, MW_ERROR_INVALID, error,
                               _("“\\%.*s” is not an escape JSON knows (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"),
                               (int) (g_utf8_next_char (s->data + s->pos + 1) - (s->data + s->pos + 1)),
                               s->data + s->pos + 1);
        }
      s->pos += 2;
    }
}

static gboolean
scan_digits (Scanner *s)
{
  gsize start = s->pos;

  while (s->pos < s->length && g_ascii_isdigit (s->data[s->pos]))
    s->pos++;
  return s->pos > start;
}

/* A number at s->pos, by the grammar of RFC 8259 §6, and one json-glib and a double can hold
 * exactly: no overflow to infinity, whole numbers within ±2^53 (RFC 7493 §2.2), or from 1e21
 * on written with an exponent. */
static gboolean
scan_number (Scanner  *s,
             GError  **error)
{
  gsize start = s->pos;
  gboolean whole = TRUE;
  g_autofree char *text = NULL;

  if (s->data[s->pos] == '-')
    s->pos++;
  if (s->pos < s->length && s->data[s->pos] == '0')
    {
      s->pos++;
      if (s->pos < s->length && g_ascii_isdigit (s->data[s->pos]))
        return scanner_fail (s, start, MW_ERROR_INVALID, error,
                             _("a number must not start with a 0 followed by more digits"));
    }
  else if (!scan_digits (s))
    return scanner_fail (s, start, MW_ERROR_INVALID, error,
                         _("a “-” must be followed by the digits of a number"));

  if (s->pos < s->length && s->data[s->pos] == '.')
    {
      s->pos++;
      whole = FALSE;
      if (!scan_digits (s))
        return scanner_fail (s, s->pos, MW_ERROR_INVALID, error,
                             _("a decimal point must be followed by digits"));
    }
  if (s->pos < s->length && (s->data[s->pos] == 'e' || s->data[s->pos] == 'E'))
    {
      s->pos++;
      whole = FALSE;
      if (s->pos < s->length && (s->data[s->pos] == '+' || s->data[s->pos] == '-'))
        s->pos++;
      if (!scan_digits (s))
        return scanner_fail (s, s->pos, MW_ERROR_INVALID, error,
                             _("the exponent of a number must have digits"));
    }

  text = g_strndup (s->data + start, s->pos - start);
  if (whole)
    {
      const char *digits = text[0] == '-' ? text + 1 : text;
      guint64 value;

      errno = 0;
      value = g_ascii_strtoull (digits, NULL, 10);
      if (errno == ERANGE || value > MW_JSON_MAX_SAFE_INTEGER)
        return scanner_fail (s, start, MW_ERROR_INVALID, error,
                             _("the whole number %s is beyond ±2^53 (9007199254740992) and cannot be kept exactly"),
                             text);
    }
  else
    {
      double value = fabs (g_ascii_strtod (text, NULL));

      if (!isfinite (value))
        return scanner_fail (s, start, MW_ERROR_INVALID, error,
                             _("the number %s is too large (over 1.8e308)"), text);
      /* Canonical JSON writes these in full, as whole numbers beyond 2^53: refused here too,
       * so that whatever is written can be read back. From 1e21 on it has an exponent. */
      if (value > (double) MW_JSON_MAX_SAFE_INTEGER && value < 1e21)
        return scanner_fail (s, start, MW_ERROR_INVALID, error,
                             _("the whole number %s is beyond ±2^53 (9007199254740992) and cannot be kept exactly"),
                             text);
    }

  return TRUE;
}

/* true, false or null at s->pos. */
static gboolean
scan_word (Scanner  *s,
           GError  **error)
{
  static const char * const words[] = { "true", "false", "null" };
  gsize end = s->pos;

  while (end < s->length && is_word_char (s->data[end]))
    end++;
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (end - s->pos == strlen (words[i]) && memcmp (s->data + s->pos, words[i], end - s->pos) == 0)
      {
        s->pos = end;
        return TRUE;
      }
  return fail_unexpected (s, _("a value"), error);
}

static gboolean
push_level (Scanner    *s,
            LevelKind   kind,
            GError    **error)
{
  Level *level;

  if (s->depth == MW_JSON_MAX_DEPTH)
    return scanner_fail (s, s->pos, MW_ERROR_TOO_LARGE, error,
                         _("the JSON is nested more than %d levels deep"), MW_JSON_MAX_DEPTH);
  level = &s->levels[s->depth++];
  level->kind = kind;
  level->index = 0;
  level->member = NULL;
  level->members = kind == LEVEL_OBJECT ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) : NULL;
  s->pos++;
  return TRUE;
}

static void
pop_level (Scanner *s)
{
  g_clear_pointer (&s->levels[--s->depth].members, g_hash_table_unref);
  s->pos++;
}

/* A member name and its colon, at s->pos (after "{" or ","). */
static gboolean
scan_member_name (Scanner  *s,
                  GError  **error)
{
  Level *level = &s->levels[s->depth - 1];
  g_autoptr(GString) name = g_string_new (NULL);
  gsize start;

  skip_whitespace (s);
  level->member = NULL;
  if (s->pos >= s->length || s->data[s->pos] != '"')
    {
      if (s->pos < s->length && s->data[s->pos] == '}' && level->index > 0)
        return scanner_fail (s, s->pos, MW_ERROR_INVALID, error,
                             _("a comma must be followed by another member (JSON has no trailing commas)"));
      return fail_unexpected (s, _("a member name in double quotes"), error);
    }

  start = s->pos;
  if (!scan_string (s, name, error))
    return FALSE;
  if (g_hash_table_contains (s->levels[s->depth - 1].members, name->str))
    return scanner_fail (s, start, MW_ERROR_INVALID, error,
                         _("the member “%s” appears twice in the same object"), name->str);
  level->member = name->str;
  g_hash_table_add (level->members, g_string_free (g_steal_pointer (&name), FALSE));
  level->index++;

  skip_whitespace (s);
  if (s->pos >= s->length || s->data[s->pos] != ':')
    return fail_unexpected (s, _("“:” after the member name"), error);
  s->pos++;
  return TRUE;
}

typedef enum {
  EXPECT_VALUE,
  EXPECT_MEMBER,
  AFTER_VALUE,
} ScanState;

static gboolean
scan_document (Scanner  *s,
               GError  **error)
{
  ScanState state = EXPECT_VALUE;

  for (;;)
    {
      Level *top = s->depth > 0 ? &s->levels[s->depth - 1] : NULL;
      char c;

      skip_whitespace (s);
      switch (state)
        {
        case EXPECT_MEMBER:
          if (!scan_member_name (s, error))
            return FALSE;
          state = EXPECT_VALUE;
          break;

        case EXPECT_VALUE:
          if (s->pos >= s->length)
            return fail_unexpected (s, _("a value"), error);
          c = s->data[s->pos];
          state = AFTER_VALUE;
          if (c == '{')
            {
              if (!push_level (s, LEVEL_OBJECT, error))
                return FALSE;
              skip_whitespace (s);
              if (s->pos < s->length && s->data[s->pos] == '}')
                pop_level (s);
              else
                state = EXPECT_MEMBER;
            }
          else if (c == '[')
            {
              if (!push_level (s, LEVEL_ARRAY, error))
                return FALSE;
              skip_whitespace (s);
              if (s->pos < s->length && s->data[s->pos] == ']')
                pop_level (s);
              else
                state = EXPECT_VALUE;
            }
          else if (c == '"')
            {
              if (!scan_string (s, NULL, error))
                return FALSE;
            }
          else if (c == '-' || g_ascii_isdigit (c))
            {
              if (!scan_number (s, error))
                return FALSE;
            }
          else if (g_ascii_isalpha (c))
            {
              if (!scan_word (s, error))
                return FALSE;
            }
          else if (c == ']' && top != NULL && top->kind == LEVEL_ARRAY && top->index > 0)
            return scanner_fail (s, s->pos, MW_ERROR_INVALID, error,
                                 _("a comma must be followed by another value (JSON has no trailing commas)"));
          else
            return fail_unexpected (s, _("a value"), error);
          break;

        case AFTER_VALUE:
        default:
          if (top == NULL)
            {
              if (s->pos < s->length && (s->data[s->pos] == '/' || s->data[s->pos] == '\''))
                return fail_unexpected (s, _("the end of the text"), error);
              if (s->pos < s->length)
                return scanner_fail (s, s->pos, MW_ERROR_INVALID, error,
                                     _("there is more text after the end of the JSON value"));
              return TRUE;
            }
          c = s->pos < s->length ? s->data[s->pos] : '\0';
          if (c == ',')
            {
              s->pos++;
              if (top->kind == LEVEL_ARRAY)
                {
                  top->index++;
                  state = EXPECT_VALUE;
                }
              else
                state = EXPECT_MEMBER;
            }
          else if (c == (top->kind == LEVEL_ARRAY ? ']' : '}'))
            pop_level (s);
          else
            return fail_unexpected (s, top->kind == LEVEL_ARRAY ? _("“,” or “]”") : _("“,” or “}”"),
                                    error);
          break;
        }
    }
}

JsonNode *
mw_json_parse (const char  *data,
               gssize       length,
               const char  *source_name,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  Scanner scanner = { 0 };
  const char *end = NULL;
  gboolean ok;
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);

  if (source_name == NULL)
    source_name = _("input");

  if (length < 0)
    length = strlen (data);

  if ((gsize) length > MW_JSON_MAX_BYTES)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("%s: the file is larger than %d KiB; this is not a file Meldwijzer can read"),
                   source_name, MW_JSON_MAX_BYTES / 1024);
      return NULL;
    }

  if (!g_utf8_validate (data, length, &end))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: the file is not UTF-8 text (at byte %zu); save it as UTF-8 JSON"),
                   source_name, (size_t) (end - data) + 1);
      return NULL;
    }

  /* RFC 8259 §8.1: a parser may ignore a byte order mark, which an editor can add unseen. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  scanner.data = data;
  scanner.length = length;
  scanner.source_name = source_name;
  skip_whitespace (&scanner);
  if (scanner.pos == (gsize) length)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: the file is empty; it should hold a JSON object"), source_name);
      return NULL;
    }
  ok = scan_document (&scanner, error);
  scanner_clear (&scanner);
  if (!ok)
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: not valid JSON: %s"), source_name, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: the file is empty; it should hold a JSON object"), source_name);
      return NULL;
    }

  return mw_json_deep_copy (root);
}

JsonNode *
mw_json_load_file (const char  *path,
                   GError     **error)
{
  gsize length = 0;
  g_autofree char *buffer = mw_file_read_bounded (path, MW_JSON_MAX_BYTES, &length, error);

  if (buffer == NULL)
    return NULL;

  return mw_json_parse (buffer, length, path, error);
}

static void
append_string (GString    *out,
               const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/* A number as ECMAScript's Number.prototype.toString() writes it (RFC 8785 §3.2.2.3): the
 * shortest digits that read back to the same double, in plain notation from 1e-6 up to 1e21
 * and with an exponent ("1e-7", "1.5e+300") outside that range; -0 is 0. */
static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char digits[24];
  const char *e;
  int k = 0;
  int n;

  if (!isfinite (value))
    {
      /* JSON has no infinities and the reader refuses them; RFC 8785 §3.2.2.3 makes them
       * an error. null keeps the output JSON. */
      g_string_append (out, "null");
      return;
    }
  if (value == 0.0)
    {
      g_string_append_c (out, '0');
      return;
    }
  if (value < 0)
    {
      g_string_append_c (out, '-');
      value = -value;
    }

  /* The fewest significant digits that read back to the same double: printf rounds
   * correctly, so the first precision that round-trips gives the closest such digits. */
  for (int precision = 0; precision < 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%de", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  /* buffer is "d.ddde±x": collect the digits and the exponent. */
  e = strchr (buffer, 'e');
  g_assert (e != NULL);
  for (const char *p = buffer; p < e; p++)
    if (g_ascii_isdigit (*p))
      digits[k++] = *p;
  while (k > 1 && digits[k - 1] == '0')
    k--;
  digits[k] = '\0';
  n = atoi (e + 1) + 1;   /* value = 0.digits × 10^n */

  if (k <= n && n <= 21)
    {
      g_string_append (out, digits);
      for (int i = k; i < n; i++)
        g_string_append_c (out, '0');
    }
  else if (0 < n && n <= 21)
    {
      g_string_append_len (out, digits, n);
      g_string_append_c (out, '.');
      g_string_append (out, digits + n);
    }
  else if (-6 < n && n <= 0)
    {
      g_string_append (out, "0.");
      for (int i = n; i < 0; i++)
        g_string_append_c (out, '0');
      g_string_append (out, digits);
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (k > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits + 1);
        }
      g_string_append_printf (out, "e%c%d", n - 1 >= 0 ? '+' : '-', ABS (n - 1));
    }
}

static void
append_int (GString *out,
            gint64   value)
{
  /* Beyond 2^53 a JSON number is a double to every other reader: write what they read. */
  if (value > (gint64) 9007199254740992 || value < -(gint64) 9007199254740992)
    append_double (out, (double) value);
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

/* RFC 8785 §3.2.3: names sort by their UTF-16 code units. UTF-8 sorts by code point, which
 * differs only where a character beyond U+FFFF (a surrogate pair, D800–DBFF first) meets one
 * from U+E000 to U+FFFF. */
static guint32
utf16_first_unit (gunichar c)
{
  return c >= 0x10000 ? 0xD800 + ((c - 0x10000) >> 10) : c;
}

static int
compare_utf16 (const char *a,
               const char *b)
{
  while (*a != '\0' && *b != '\0')
    {
      gunichar ca = g_utf8_get_char (a);
      gunichar cb = g_utf8_get_char (b);

      if (ca != cb)
        {
          guint32 ua = utf16_first_unit (ca);
          guint32 ub = utf16_first_unit (cb);

          if (ua != ub)
            return ua < ub ? -1 : 1;
          return ca < cb ? -1 : 1;   /* two pairs with the same first unit */
        }
      a = g_utf8_next_char (a);
      b = g_utf8_next_char (b);
    }
  return (*a != '\0') - (*b != '\0');
}

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  return compare_utf16 (*(const char * const *) a, *(const char * const *) b);
}

static void
append_canonical (GString  *out,
                  JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          append_int (out, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_canonical (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l; l = l->next)
          g_ptr_array_add (names, l->data);
        g_ptr_array_sort (names, compare_members);

        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);

            if (i > 0)
              g_string_append_c (out, ',');
            append_string (out, name);
            g_string_append_c (out, ':');
            append_canonical (out, json_object_get_member (object, name));
          }
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

char *
mw_json_to_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_canonical (out, node);
  return g_string_free (out, FALSE);
}

/* json_node_copy() shares objects and arrays; this copies all the way down, so that the
 * copy can be changed without touching the original. */
JsonNode *
mw_json_deep_copy (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *copy = json_object_new ();
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        JsonNode *result = json_node_new (JSON_NODE_OBJECT);

        for (GList *l = members; l; l = l->next)
          json_object_set_member (copy, l->data, mw_json_deep_copy (json_object_get_member (object, l->data)));
        json_node_take_object (result, copy);
        return result;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JsonArray *copy = json_array_sized_new (json_array_get_length (array));
        JsonNode *result = json_node_new (JSON_NODE_ARRAY);

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (copy, mw_json_deep_copy (json_array_get_element (array, i)));
        json_node_take_array (result, copy);
        return result;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

char *
mw_json_to_pretty (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

JsonNode *
mw_json_lookup (JsonNode   *root,
                const char *path)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = root;

  if (root == NULL || path == NULL)
    return NULL;

  parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonObject *object;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      object = json_node_get_object (node);
      node = json_object_get_member (object, parts[i]);
    }

  return node;
}

const char *
mw_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * mw_json_describe_type:
 *
 * Returns: what @node holds, for a message: "an object", "text", "a number", …
 */
const char *
mw_json_describe_type (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT: return _("an object");
    case JSON_NODE_ARRAY: return _("a list");
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING: return _("text");
        case G_TYPE_BOOLEAN: return _("true or false");
        default: return _("a number");
        }
    }
}
