/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-label"

#include <glib/gi18n-lib.h>

#include "mw-label.h"

static char *forced_language;

/* "nl" when the user's locale is Dutch, else "en". */
const char *
mw_language (void)
{
  const char * const *names;

  if (forced_language != NULL)
    return forced_language;

  names = g_get_language_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "nl"))
        return "nl";
      if (g_str_has_prefix (names[i], "en") || g_str_equal (names[i], "C"))
        return "en";
    }

  return "en";
}

void
mw_language_set (const char *language)
{
  g_clear_pointer (&forced_language, g_free);
  if (language != NULL)
    forced_language = g_strdup (language);
}

const char *
mw_label_get (const MwLabel *label)
{
  if (label == NULL)
    return "";

  if (g_str_equal (mw_language (), "nl") && label->nl != NULL && *label->nl)
    return label->nl;

  return label->en != NULL ? label->en : "";
}

void
mw_label_clear (MwLabel *label)
{
  g_clear_pointer (&label->en, g_free);
  g_clear_pointer (&label->nl, g_free);
}

char *
mw_join_for_sentence (GPtrArray *texts)
{
  GString *joined = g_string_new (NULL);

  g_return_val_if_fail (texts != NULL, NULL);

  for (guint i = 0; i < texts->len; i++)
    {
      if (i > 0 && i + 1 == texts->len)
        /* Translators: joins the last two items of a list: "NCSC and RDI" */
        g_string_append (joined, _(" and "));
      else if (i > 0)
        g_string_append (joined, ", ");
      g_string_append (joined, g_ptr_array_index (texts, i));
    }
  return g_string_free (joined, FALSE);
}
