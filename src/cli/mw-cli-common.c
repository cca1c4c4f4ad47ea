/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-json.h"

/* Reads at most max bytes of a text file, NUL-terminated. */
char *
mw_cli_read_text_file (const char  *path,
                       gsize        max,
                       GError     **error)
{
  gsize length = 0;
  g_autofree char *buffer = mw_file_read_bounded (path, max, &length, error);

  if (buffer == NULL)
    return NULL;
  if (memchr (buffer, '\0', length) != NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("%s: the file holds binary data, not text"), path);
      return NULL;
    }
  return g_steal_pointer (&buffer);
}

MwStore *
mw_cli_open_store (void)
{
  g_autoptr(GError) error = NULL;
  MwStore *store = mw_store_new (&error);

  if (store == NULL)
    mw_cli_error ("%s", error->message);
  return store;
}
