/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-taxonomy"

#include "config.h"

#include <gio/gio.h>

#include "mw-model-resources.h"
#include "mw-json.h"
#include "mw-label.h"
#include "mw-taxonomy.h"

#define TAXONOMY_RESOURCE "/io/github/meldwijzer/Meldwijzer/core/rsit.json"
#define TAXONOMY_NL_RESOURCE "/io/github/meldwijzer/Meldwijzer/core/rsit-nl.json"

static GPtrArray *entries;

static void
entry_free (MwTaxonomyEntry *entry)
{
  g_free ((char *) entry->id);
  g_free ((char *) entry->class_id);
  g_free ((char *) entry->type_id);
  g_free ((char *) entry->class_name);
  g_free ((char *) entry->type_name);
  g_free ((char *) entry->class_name_nl);
  g_free ((char *) entry->type_name_nl);
  g_free ((char *) entry->description);
  g_free (entry);
}

static GPtrArray *
load (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) class_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) dutch_bytes = NULL;
  g_autoptr(JsonNode) dutch = NULL;
  JsonObject *dutch_classes, *dutch_types;
  JsonArray *predicates, *values;
  gsize size;
  const char *data;

  /* The taxonomy is compiled into the library: it cannot go missing at run time. */
  bytes = g_resource_lookup_data (mw_model_get_resource (), TAXONOMY_RESOURCE, 0, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  root = mw_json_parse (data, size, TAXONOMY_RESOURCE, &error);
  g_assert_no_error (error);

  /* The Dutch names, data of their own with the source of the translation. */
  dutch_bytes = g_resource_lookup_data (mw_model_get_resource (), TAXONOMY_NL_RESOURCE, 0, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (dutch_bytes, &size);
  dutch = mw_json_parse (data, size, TAXONOMY_NL_RESOURCE, &error);
  g_assert_no_error (error);
  dutch_classes = json_object_get_object_member (json_node_get_object (dutch), "classes");
  dutch_types = json_object_get_object_member (json_node_get_object (dutch), "types");

  predicates = json_object_get_array_member (json_node_get_object (root), "predicates");
  for (guint i = 0; i < json_array_get_length (predicates); i++)
    {
      JsonObject *predicate = json_array_get_object_element (predicates, i);
      g_hash_table_insert (class_names,
                           (gpointer) mw_json_get_string (predicate, "value"),
                           (gpointer) mw_json_get_string (predicate, "expanded"));
    }

  values = json_object_get_array_member (json_node_get_object (root), "values");
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *value = json_array_get_object_element (values, i);
      const char *class_id = mw_json_get_string (value, "predicate");
      JsonArray *types = json_object_get_array_member (value, "entry");

      for (guint j = 0; types != NULL && j < json_array_get_length (types); j++)
        {
          JsonObject *type = json_array_get_object_element (types, j);
          MwTaxonomyEntry *entry = g_new0 (MwTaxonomyEntry, 1);

          entry->class_id = g_strdup (class_id);
          entry->type_id = g_strdup (mw_json_get_string (type, "value"));
          entry->id = g_strconcat (entry->class_id, "/", entry->type_id, NULL);
          entry->class_name = g_strdup (g_hash_table_lookup (class_names, class_id));
          entry->type_name = g_strdup (mw_json_get_string (type, "expanded"));
          entry->description = g_strdup (mw_json_get_string (type, "description"));
          entry->class_name_nl = g_strdup (mw_json_get_string (dutch_classes, class_id));
          entry->type_name_nl = g_strdup (mw_json_get_string (dutch_types, entry->id));
          g_ptr_array_add (list, entry);
        }
    }

  return list;
}

GPtrArray *
mw_taxonomy_get_entries (void)
{
  if (g_once_init_enter (&entries))
    g_once_init_leave (&entries, load ());

  return entries;
}

const MwTaxonomyEntry *
mw_taxonomy_lookup (const char *id)
{
  GPtrArray *list = mw_taxonomy_get_entries ();

  if (id == NULL)
    return NULL;

  for (guint i = 0; i < list->len; i++)
    {
      const MwTaxonomyEntry *entry = g_ptr_array_index (list, i);
      if (g_str_equal (entry->id, id))
        return entry;
    }

  return NULL;
}

gboolean
mw_taxonomy_is_valid (const char *id)
{
  return mw_taxonomy_lookup (id) != NULL;
}

const char *
mw_taxonomy_entry_get_class_label (const MwTaxonomyEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  if (g_str_equal (mw_language (), "nl") && entry->class_name_nl != NULL)
    return entry->class_name_nl;
  return entry->class_name ? entry->class_name : entry->class_id;
}

const char *
mw_taxonomy_entry_get_type_label (const MwTaxonomyEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  if (g_str_equal (mw_language (), "nl") && entry->type_name_nl != NULL)
    return entry->type_name_nl;
  return entry->type_name ? entry->type_name : entry->type_id;
}
