/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwLazyLibrary"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <string.h>

#include "mw-error.h"
#include "mw-lazy-library.h"

gboolean
mw_lazy_library_open (MwLazyLibrary  *library,
                      GError        **error)
{
  g_return_val_if_fail (library != NULL && library->soname != NULL && library->names != NULL, FALSE);

  if (g_once_init_enter (&library->opened))
    {
      /* Local: its symbols are for this table, not for whatever is loaded next. Never
       * closed: the functions stay in use as long as the program runs. */
      GModule *module = g_module_open (library->soname, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      gpointer *slots = library->table;

      if (module == NULL)
        library->error = g_error_new (MW_ERROR, MW_ERROR_FAILED, _("Could not load %s: %s"),
                                      library->soname, g_module_error ());
      for (guint i = 0; module != NULL && library->names[i] != NULL; i++)
        if (!g_module_symbol (module, library->names[i], &slots[i]) || slots[i] == NULL)
          {
            library->error = g_error_new (MW_ERROR, MW_ERROR_FAILED, _("%s has no function %s"),
                                          library->soname, library->names[i]);
            /* None is used when one is missing. */
            memset (slots, 0, sizeof (gpointer) * i);
            break;
          }
      g_once_init_leave (&library->opened, 1);
    }

  if (library->error != NULL)
    {
      g_propagate_error (error, g_error_copy (library->error));
      return FALSE;
    }
  return TRUE;
}
