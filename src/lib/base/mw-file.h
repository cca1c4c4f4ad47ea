/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reads at most max_bytes of a file, NUL-terminated; a larger file is MW_ERROR_TOO_LARGE,
 * a missing one MW_ERROR_NOT_FOUND. Every message names the file. */
char     *mw_file_read_bounded   (const char    *path,
                                  gsize          max_bytes,
                                  gsize         *length,
                                  GError       **error);

/* Writes a file that only its owner can read (0600, also when it replaces one that others
 * could read), atomically: a reader never sees half of it, and a failed write leaves the old
 * file. For every export the app and the CLI write. MW_ERROR_FAILED naming the file. */
gboolean  mw_file_write_private  (GFile         *file,
                                  const guint8  *data,
                                  gsize          length,
                                  GError       **error);

/* Creates the file empty if it does not exist, then makes sure only its owner can read or
 * write it (0600); a symbolic link is refused. For a database or key file about to be opened
 * by a library that would create it with the umask's mode. MW_ERROR_FAILED naming the file. */
gboolean  mw_file_make_private   (const char    *path,
                                  GError       **error);

G_END_DECLS
