/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-data-parser"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-data-parser.h"
#include "mw-error.h"
#include "mw-json.h"

gboolean
mw_data_fail (MwDataParser *p,
              const char   *path,
              const char   *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (p->error, MW_ERROR, MW_ERROR_INVALID, "%s: %s: %s", p->file, path, message);
  return FALSE;
}

gboolean
mw_data_id_valid (const char *id,
                  gboolean    dots,
                  gboolean    underscore)
{
  gsize length = strlen (id);

  if (length == 0 || length > 64)
    return FALSE;
  for (const char *c = id; *c; c++)
    if (!(g_ascii_islower (*c) || g_ascii_isdigit (*c) || *c == '-' ||
          (dots && *c == '.') || (underscore && *c == '_')))
      return FALSE;
  return id[0] != '.' && id[length - 1] != '.' && strstr (id, "..") == NULL;
}

JsonNode *
mw_data_member (JsonObject *object,
                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

gboolean
mw_data_only_members (MwDataParser       *p,
                      JsonObject         *object,
                      const char         *path,
                      const char * const *known)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      return mw_data_fail (p, path, _("“%s” is not part of the %s format; check the spelling or remove it"),
                           (const char *) l->data, p->format != NULL ? p->format : p->file);
  return TRUE;
}

gboolean
mw_data_get_string (MwDataParser  *p,
                    JsonObject    *object,
                    const char    *path,
                    const char    *name,
                    gboolean       required,
                    char         **out)
{
  JsonNode *node = mw_data_member (object, name);

  if (node == NULL)
    return required ? mw_data_fail (p, path, _("“%s” is missing"), name) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return mw_data_fail (p, path, _("“%s” must be text, not %s"), name, mw_json_describe_type (node));
  if (strlen (json_node_get_string (node)) > MW_DATA_MAX_TEXT)
    return mw_data_fail (p, path, _("“%s” is longer than %d bytes"), name, MW_DATA_MAX_TEXT);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
mw_data_get_id (MwDataParser  *p,
                JsonObject    *object,
                const char    *path,
                const char    *name,
                gboolean       dots,
                gboolean       underscore,
                char         **out)
{
  if (!mw_data_get_string (p, object, path, name, TRUE, out))
    return FALSE;
  if (!mw_data_id_valid (*out, dots, underscore))
    return mw_data_fail (p, path, _("“%s” must be lower-case letters, digits and “-”%s, at most 64, not “%s”"),
                         name, dots ? _(" with “.” between parts") : underscore ? _(" or “_”") : "", *out);
  return TRUE;
}

gboolean
mw_data_get_label (MwDataParser *p,
                   JsonObject   *object,
                   const char   *path,
                   const char   *name,
                   gboolean      required,
                   MwLabel      *label)
{
  static const char * const known[] = { "en", "nl", NULL };
  JsonNode *node = mw_data_member (object, name);
  g_autofree char *label_path = g_strconcat (path, ".", name, NULL);
  JsonObject *label_object;

  if (node == NULL)
    return required ? mw_data_fail (p, path, _("“%s” is missing (a text with “en” and “nl”)"), name) : TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return mw_data_fail (p, label_path, _("must be an object with an English (“en”) and a Dutch (“nl”) text"));
  label_object = json_node_get_object (node);
  return mw_data_only_members (p, label_object, label_path, known) &&
         mw_data_get_string (p, label_object, label_path, "en", TRUE, &label->en) &&
         mw_data_get_string (p, label_object, label_path, "nl", TRUE, &label->nl);
}
