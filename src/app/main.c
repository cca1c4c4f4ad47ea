/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Meldwijzer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "mw-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MwApplication) application = NULL;

  const char *localedir = g_getenv ("MELDWIJZER_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* $MELDWIJZER_LOCALEDIR: the translations of an uninstalled build (build/po). */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Meldwijzer"));
  application = mw_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
