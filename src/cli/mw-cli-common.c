/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every command shares: messages, usage, options, reading files, the store. */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-json.h"
#include "mw-report.h"

static void G_GNUC_PRINTF (2, 0)
print_line (const char *prefix,
            const char *format,
            va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  g_printerr ("%s%s\n", prefix, message);
}

void
mw_cli_error (const char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  print_line ("meldwijzer-cli: ", format, args);
  va_end (args);
}

void
mw_cli_hint (const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  print_line ("", format, args);
  va_end (args);
}

void
mw_cli_keyring_error (const GError *error)
{
  mw_cli_error ("%s", error->message);
  if (g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND))
    mw_cli_hint (_("Create one with: meldwijzer-cli key generate"));
  else if (g_error_matches (error, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_DAMAGED))
    mw_cli_hint (_("Replace it with: meldwijzer-cli key generate --force"));
  else if (g_error_matches (error, MW_ERROR, MW_ERROR_EXISTS))
    mw_cli_hint (_("To replace it anyway: meldwijzer-cli key generate --force"));
}

int
mw_cli_usage (const char *usage)
{
  g_printerr ("%s: meldwijzer-cli %s\n", _("Usage"), usage);
  return MW_EXIT_USAGE;
}

void
mw_cli_print_problems (const char *file,
                       GPtrArray  *problems)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const MwProblem *problem = g_ptr_array_index (problems, i);

      if (problem->path != NULL && problem->path[0] != '\0')
        g_printerr ("%s: %s: %s\n", file, problem->path, problem->message);
      else
        g_printerr ("%s: %s\n", file, problem->message);
    }
}

/* Parses a command's options; returns FALSE (and has printed why) on a usage error. */
gboolean
mw_cli_parse_options (const char    *parameter,
                      const char    *summary,
                      GOptionEntry  *entries,
                      int           *argc,
                      char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Loads a report file; a file that cannot be opened is a usage error (2), one that is
 * not a report is a negative answer (1). */
MwReport *
mw_cli_load_report (const char *path,
                    int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_report_new_from_file (path, &error);

  if (report == NULL)
    {
      mw_cli_error ("%s", error->message);
      *exit_code = g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND) ? MW_EXIT_USAGE : MW_EXIT_NEGATIVE;
    }
  return report;
}

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

MwContext *
mw_cli_open_context (MwSigner *signer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwContext) services = mw_context_new (NULL);

  if (!mw_context_open (services, &error))
    {
      mw_cli_error ("%s", error->message);
      return NULL;
    }
  mw_context_set_signer (services, signer);
  return g_steal_pointer (&services);
}
