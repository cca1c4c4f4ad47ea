/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mw-error.h"
#include "mw-file.h"

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

gboolean
mw_file_write_private (GFile         *file,
                       const guint8  *data,
                       gsize          length,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  /* A new file written 0600 and renamed over the old one: without REPLACE_DESTINATION GIO
   * would give it the old file's mode. */
  if (!g_file_replace_contents (file, (const char *) data, length, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("%s: cannot write the file: %s"), name, local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_file_make_private (const char  *path,
                      GError     **error)
{
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("%s: cannot open the file: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 ||
      ((st.st_mode & 0077) != 0 && fchmod (fd, st.st_mode & 0700) != 0))
    {
      int saved_errno = errno;

      close (fd);
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("%s: cannot make the file private to its owner: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}
