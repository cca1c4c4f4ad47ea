/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-error.h"
#include "mw-export.h"
#include "mw-file.h"
#include "mw-jws.h"
#include "mw-label.h"
#include "mw-signer.h"

#define USAGE "export --format pdf|stix|misp|iodef REPORT.json -o OUT [--jws REPORT.jws] [--language en|nl]"

/* A path as a shell word, quoted only when it has to be. */
static char *
shell_word (const char *path)
{
  for (const char *p = path; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._/-+,:@", *p) == NULL)
      return g_shell_quote (path);
  return *path != '\0' ? g_strdup (path) : g_shell_quote (path);
}

/* meldwijzer-cli export: the report as PDF (for filing by hand), STIX 2.1, MISP or IODEF.
 * OUT is replaced atomically, like cp would replace it; "-o -" writes to standard output. */
int
mw_cli_export (int    argc,
               char **argv)
{
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *jws_path = NULL;
  g_autofree char *language = NULL;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, N_("pdf, stix, misp or iodef"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to OUT (replaced if it exists; - for standard output)"), N_("OUT") },
    { "jws", 0, 0, G_OPTION_ARG_FILENAME, &jws_path, N_("The signed form of the report: its SHA-256 and key id go into the PDF"), N_("REPORT.jws") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("Language of the PDF (en or nl); the default follows the locale"), N_("LANG") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) output_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;
  MwExportFormat format;
  const char *report_path;
  const char *regime_id;
  const guint8 *data;
  gsize length;

  context = g_option_context_new (_("REPORT.json"));
  g_option_context_set_summary (context,
                                _("Exports a report as a PDF to file by hand, or for other tools as a STIX 2.1 "
                                  "bundle, a MISP event or an IODEF (RFC 7970) document. The same report always "
                                  "gives the same file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage (USAGE);
    }

  if (argc != 2 || format_name == NULL || output == NULL)
    {
      if (format_name == NULL)
        mw_cli_error (_("--format: missing; give one of pdf, stix, misp, iodef"));
      if (output == NULL)
        mw_cli_error (_("-o: missing; give the file to write"));
      if (argc != 2)
        mw_cli_error (_("give exactly one REPORT.json"));
      return mw_cli_usage (USAGE);
    }

  if (!mw_export_format_parse (format_name, &format))
    {
      mw_cli_error (_("--format: “%s” is not a format; give one of pdf, stix, misp, iodef"), format_name);
      return mw_cli_usage (USAGE);
    }

  if (language != NULL)
    {
      if (!g_str_equal (language, "en") && !g_str_equal (language, "nl"))
        {
          mw_cli_error (_("--language: “%s” is not supported; give en or nl"), language);
          return mw_cli_usage (USAGE);
        }
      mw_language_set (language);
      /* gettext follows LANGUAGE too, where the locale is not "C". */
      g_setenv ("LANGUAGE", language, TRUE);
    }

  report_path = argv[1];
  report = mw_report_new_from_file (report_path, &error);
  if (report == NULL)
    {
      mw_cli_error ("%s", error->message);
      return g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND) ? MW_EXIT_USAGE : MW_EXIT_NEGATIVE;
    }

  /* The export refuses a report with problems; here every one of them is listed. */
  problems = mw_report_validate (report, MW_VALIDATE_DRAFT);
  if (problems->len > 0)
    {
      mw_cli_print_problems (report_path, problems);
      mw_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "%s: not exported: fix the problem above first",
                                 "%s: not exported: fix the %u problems above first",
                                 problems->len),
                    report_path, problems->len);
      return MW_EXIT_NEGATIVE;
    }

  if (jws_path != NULL)
    {
      gsize jws_length;

      if (!g_file_get_contents (jws_path, &jws, &jws_length, &error))
        {
          mw_cli_error (_("%s: cannot read the signed report: %s"), jws_path, error->message);
          return MW_EXIT_USAGE;
        }
      if (jws_length > MW_JWS_MAX_BYTES || strlen (jws) != jws_length)
        g_set_error_literal (&error, MW_ERROR, MW_ERROR_INVALID, _("not a compact JWS: over 1 MiB or binary"));
      else
        mw_jws_parse (g_strstrip (jws), NULL, NULL, NULL, &error);
      if (error != NULL)
        {
          g_autofree char *quoted_report = shell_word (report_path);
          g_autofree char *quoted_jws = shell_word (jws_path);

          mw_cli_error ("%s: %s", jws_path, error->message);
          mw_cli_hint (_("Write it with: meldwijzer-cli sign %s > %s"), quoted_report, quoted_jws);
          return MW_EXIT_NEGATIVE;
        }
      jws[mw_jws_trimmed_length (jws, jws_length)] = '\0';
    }

  /* The PDF needs the regime (verdict, recipients); MISP uses it for the threat level. */
  regime_id = mw_report_get_regime (report);
  if (regime_id != NULL)
    {
      g_autoptr(GError) regime_error = NULL;

      regime = mw_regime_load (regime_id, &regime_error);
      if (regime == NULL && format == MW_EXPORT_PDF)
        {
          mw_cli_error (_("%s: regime: %s"), report_path, regime_error->message);
          return MW_EXIT_NEGATIVE;
        }
    }
  else if (format == MW_EXPORT_PDF)
    {
      mw_cli_error (_("%s: regime: missing; the PDF needs the regime for the verdict and the recipients"), report_path);
      return MW_EXIT_NEGATIVE;
    }

  bytes = mw_export (report, format, regime, jws, &error);
  if (bytes == NULL)
    {
      if (jws_path != NULL)
        mw_cli_error ("%s, %s: %s", report_path, jws_path, error->message);
      else
        mw_cli_error ("%s: %s", report_path, error->message);
      return MW_EXIT_NEGATIVE;
    }

  data = g_bytes_get_data (bytes, &length);
  if (g_str_equal (output, "-"))
    {
      if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          mw_cli_error (_("standard output: could not write the export"));
          return MW_EXIT_NEGATIVE;
        }
      return MW_EXIT_OK;
    }

  /* Atomic: a reader never sees half a file, and a failed export leaves the old one. */
  output_file = g_file_new_for_commandline_arg (output);
  if (!mw_file_write_private (output_file, data, length, &error))
    {
      mw_cli_error (_("%s; check that the folder exists and is writable"), error->message);
      return MW_EXIT_NEGATIVE;
    }

  g_printerr (_("%s: %s export written (%zu bytes)\n"), output, mw_export_format_to_string (format), length);
  return MW_EXIT_OK;
}
