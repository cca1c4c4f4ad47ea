/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "mw-cli.h"

static const struct {
  const char   *name;
  MwCliCommand  run;
  const char   *summary;
} commands[] = {
  { "assess",   mw_cli_assess,   N_("Decide whether a (draft) report must be reported, and why") },
  { "validate", mw_cli_validate, N_("Check a report against the format, with clear messages") },
  { "key",      mw_cli_key,      N_("Generate, show or export the organisation’s signing key") },
  { "sign",     mw_cli_sign,     N_("Sign a complete report and print the compact JWS") },
  { "verify",   mw_cli_verify,   N_("Check a signed report with a public key and print the report") },
  { "endpoint", mw_cli_endpoint, N_("Set or list where each recipient receives reports") },
  { "submit",   mw_cli_submit,   N_("Sign, store and deliver a report to every recipient; print the receipts") },
  { "outbox",   mw_cli_outbox,   N_("List the deliveries, retry the pending ones, or record one as filed by hand") },
  { "incident", mw_cli_incident, N_("List the incidents, show one with its reports, receipts and deadlines, or write its next report") },
  { "receipt",  mw_cli_receipt,  N_("Save a recipient’s receipt for a report as its signed JWS") },
  { "decide",   mw_cli_decide,   N_("Sign and keep a decision not to report (verdict voluntary or undetermined)") },
  { "export",   mw_cli_export,   N_("Export a report as PDF (to file by hand), STIX 2.1, MISP or IODEF") },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: meldwijzer-cli COMMAND [OPTIONS…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “meldwijzer-cli COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("MELDWIJZER_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* $MELDWIJZER_LOCALEDIR: the translations of an uninstalled build (meson devenv). */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_help (stderr);
      return MW_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_help (stdout);
      return MW_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("meldwijzer-cli %s\n", PACKAGE_VERSION);
      return MW_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  mw_cli_error (_("unknown command “%s”; run “meldwijzer-cli --help” for the list"), argv[1]);
  return MW_EXIT_USAGE;
}
