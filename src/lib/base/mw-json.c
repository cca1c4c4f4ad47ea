/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

#include "mw-error.h"
#include "mw-json.h"

/* json-glib parses recursively: measure the nesting before handing it the text, so that
 * a hostile file cannot exhaust the stack. */
static gboolean
check_depth (const char *data,
             gsize       length,
             guint       max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

JsonNode *
mw_json_parse (const char  *data,
               gssize       length,
               const char  *source_name,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
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

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: the file is not UTF-8 text; save it as UTF-8 JSON"), source_name);
      return NULL;
    }

  if (!check_depth (data, length, MW_JSON_MAX_DEPTH))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("%s: the JSON is nested more than %d levels deep"),
                   source_name, MW_JSON_MAX_DEPTH);
      return NULL;
    }

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

char *
mw_file_read_bounded (const char  *path,
                      gsize        max_bytes,
                      gsize       *length,
                      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  gsize n_read = 0;

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, MW_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ?
                   MW_ERROR_NOT_FOUND : MW_ERROR_FAILED,
                   _("%s: cannot open the file: %s"), path, local_error->message);
      return NULL;
    }

  /* Read one byte more than allowed so that an oversized file is noticed without reading
   * all of it. */
  buffer = g_malloc (max_bytes + 2);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, max_bytes + 1,
                                &n_read, NULL, &local_error))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("%s: cannot read the file: %s"), path, local_error->message);
      return NULL;
    }
  if (n_read > max_bytes)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("%s: the file is larger than %u KiB, which is too large for this kind of file"),
                   path, (guint) (max_bytes / 1024));
      return NULL;
    }
  buffer[n_read] = '\0';

  if (length != NULL)
    *length = n_read;
  return g_steal_pointer (&buffer);
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

static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      /* JSON has no infinities; json-glib never produces them from valid input. */
      g_string_append (out, "null");
      return;
    }

  if (value == floor (value) && fabs (value) < 9007199254740992.0)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }

  /* The shortest representation that reads back to the same double. */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
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
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
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
