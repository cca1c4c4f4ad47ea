/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-signer.h"

/* Reads at most max bytes of path ("-" for standard input), NUL-terminated. */
static char *
read_bounded (const char  *path,
              gsize        max,
              gsize       *out_length,
              GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  gsize n_read = 0;

  if (g_str_equal (path, "-"))
    {
      stream = g_unix_input_stream_new (0, FALSE);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      stream = G_INPUT_STREAM (g_file_read (file, NULL, &local_error));
      if (stream == NULL)
        {
          g_set_error (error, MW_ERROR,
                       g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ?
                       MW_ERROR_NOT_FOUND : MW_ERROR_FAILED,
                       _("%s: cannot open the file: %s"), path, local_error->message);
          return NULL;
        }
    }

  buffer = g_malloc (max + 2);
  if (!g_input_stream_read_all (stream, buffer, max + 1, &n_read, NULL, &local_error))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("%s: cannot read the file: %s"), path, local_error->message);
      return NULL;
    }
  if (n_read > max)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("%s: the file is larger than %u KiB, which is too large for this kind of file"),
                   path, (guint) (max / 1024));
      return NULL;
    }
  buffer[n_read] = '\0';
  if (memchr (buffer, '\0', n_read) != NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: the file holds binary data, not text"), path);
      return NULL;
    }

  if (out_length != NULL)
    *out_length = n_read;
  return g_steal_pointer (&buffer);
}

/* verify --key PUBLIC.jwk REPORT.jws -------------------------------------------------- */

int
mw_cli_verify (int    argc,
               char **argv)
{
  g_autofree char *key_path = NULL;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_path, N_("The signer’s public key (JWK)"), N_("PUBLIC.jwk") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("REPORT.jws"));
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwk = NULL;
  g_autofree char *jws = NULL;
  const char *path;
  const guint8 *data;
  gsize length = 0;

  g_option_context_set_summary (context, _("Check the signature of a signed report and print its payload; exit code 1 if the signature fails."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage ("verify --key PUBLIC.jwk REPORT.jws");
    }
  if (argc != 2 || key_path == NULL)
    return mw_cli_usage ("verify --key PUBLIC.jwk REPORT.jws");
  path = argv[1];

  jwk = read_bounded (key_path, MW_CLI_MAX_JWK_BYTES, NULL, &error);
  if (jwk == NULL)
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }
  signer = mw_signer_new_from_jwk (jwk, &error);
  if (signer == NULL)
    {
      mw_cli_error (_("%s: not a usable Ed25519 public key: %s"), key_path, error->message);
      return MW_EXIT_NEGATIVE;
    }

  /* Allow a few bytes for the line end that "sign > FILE" and editors add (the one reader of
   * a JWS takes one line end as part of the file, not of the JWS). */
  jws = read_bounded (path, MW_JWS_MAX_BYTES + 16, &length, &error);
  if (jws == NULL)
    {
      mw_cli_error ("%s", error->message);
      return MW_EXIT_NEGATIVE;
    }

  payload = mw_signer_verify (signer, jws, &error);
  if (payload == NULL)
    {
      mw_cli_error ("%s: %s", path, error->message);
      return MW_EXIT_NEGATIVE;
    }

  data = g_bytes_get_data (payload, &length);
  fwrite (data, 1, length, stdout);
  if (length == 0 || data[length - 1] != '\n')
    fputc ('\n', stdout);
  if (fflush (stdout) != 0)
    {
      mw_cli_error (_("cannot write the payload to standard output"));
      return MW_EXIT_NEGATIVE;
    }
  return MW_EXIT_OK;
}
