/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-intake"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "mw-error.h"
#include "mw-intake.h"
#include "mw-intake-listener.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  2

#define MIN_OVERVIEW_TOKEN 16

#define USAGE_SERVE "[--training [--scenario ID [--speed N]]] [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [--overview-token TOKEN] --db FILE --mailbox NAME…"
#define USAGE_ENROL "enrol [--training] --db FILE --mailbox NAME PUBLIC.jwk"

static void
print_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
print_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("meldwijzer-intake: %s\n", message);
}

static int
usage_error (const char *usage,
             const char *problem)
{
  if (problem != NULL)
    print_error ("%s", problem);
  g_printerr ("%s: meldwijzer-intake %s\n", _("Usage"), usage);
  return EXIT_USAGE;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static int
run_enrol (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwIntake) intake = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *mailbox = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *kid = NULL;
  g_auto(GStrv) files = NULL;
  gboolean training = FALSE;
  gboolean already = FALSE;
  gsize length;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The intake's database"), N_("FILE") },
    { "mailbox", 0, 0, G_OPTION_ARG_STRING, &mailbox, N_("The mailbox that accepts the key"), N_("NAME") },
    { "training", 0, 0, G_OPTION_ARG_NONE, &training, N_("The mailbox is a training mailbox"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (N_("PUBLIC.jwk — enrol a sender's public key at a mailbox"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (USAGE_ENROL, error->message);

  if (db_path == NULL)
    return usage_error (USAGE_ENROL, _("--db FILE is required: the database of the intake"));
  if (mailbox == NULL)
    return usage_error (USAGE_ENROL, _("--mailbox NAME is required: the mailbox that accepts the key"));
  if (files == NULL || g_strv_length (files) != 1)
    return usage_error (USAGE_ENROL, _("Give exactly one PUBLIC.jwk file"));
  if (!mw_is_mailbox_name (mailbox))
    return usage_error (USAGE_ENROL,
                        _("--mailbox: use 1 to 64 letters, digits, “-”, “_” or “.”, not starting with “-” or “.”"));

  if (!g_file_get_contents (files[0], &contents, &length, &error))
    {
      print_error (_("Cannot read the public key %s: %s"), files[0], error->message);
      return EXIT_FAILED;
    }

  intake = mw_intake_new (db_path, training ? MW_INTAKE_FLAGS_TRAINING : MW_INTAKE_FLAGS_NONE, &error);
  if (intake == NULL || !mw_intake_add_mailbox (intake, mailbox, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILED;
    }

  if (!mw_intake_enrol (intake, mailbox, contents, length, &already, &kid, &error))
    {
      print_error ("%s: %s", files[0], error->message);
      return EXIT_FAILED;
    }

  if (already)
    g_print (_("Key %s was already enrolled at mailbox %s\n"), kid, mailbox);
  else
    g_print (_("Enrolled key %s at mailbox %s\n"), kid, mailbox);

  return EXIT_SUCCESS;
}

static int
run_server (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwIntake) intake = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *db_path = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *overview_token = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) mailboxes = NULL;
  g_auto(GStrv) rest = NULL;
  g_autofree char *scenario_id = NULL;
  g_autoptr(MwIntakeTrainer) trainer = NULL;
  gboolean training = FALSE;
  int speed = 1;
  guint sigint_id;
  guint sigterm_id;
  const GOptionEntry entries[] = {
    { "training", 0, 0, G_OPTION_ARG_NONE, &training,
      N_("Serve training mailboxes: accept practice reports only, and keys over the network"), NULL },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario_id,
      N_("Run a training session of this scenario: the trainer's view at /trainer scores every report received from now on"), N_("ID") },
    { "speed", 0, 0, G_OPTION_ARG_INT, &speed,
      N_("How many times as fast the session's scenario time runs (default 1)"), N_("N") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port to listen on (default 127.0.0.1:0, port 0 = any)"), N_("ADDR:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("PEM certificate for HTTPS"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("PEM private key for HTTPS"), N_("FILE") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("SQLite database; the intake's signing key is kept beside it in FILE.key"), N_("FILE") },
    { "overview-token", 0, 0, G_OPTION_ARG_STRING, &overview_token,
      N_("Also show the HTML overview (GET /) to other computers that give this token, as ?token=TOKEN or “Authorization: Bearer TOKEN” (without it, only this computer sees it)"),
      N_("TOKEN") },
    { "mailbox", 0, 0, G_OPTION_ARG_STRING_ARRAY, &mailboxes,
      N_("A mailbox to serve at /NAME (repeatable)"), N_("NAME") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (N_("— receive signed incident reports and answer with signed receipts"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("Also: meldwijzer-intake " USAGE_ENROL));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (USAGE_SERVE, error->message);

  if (db_path == NULL)
    return usage_error (USAGE_SERVE, _("--db FILE is required: where the intake stores what it receives"));

  /* "--mailbox a b c": names after the options are mailboxes too. */
  for (guint i = 0; mailboxes && mailboxes[i]; i++)
    g_ptr_array_add (names, mailboxes[i]);
  if (rest != NULL && names->len == 0)
    return usage_error (USAGE_SERVE, _("Name the mailboxes with --mailbox NAME"));
  for (guint i = 0; rest && rest[i]; i++)
    g_ptr_array_add (names, rest[i]);

  if (names->len == 0)
    return usage_error (USAGE_SERVE, _("--mailbox NAME is required: the intake needs at least one mailbox"));

  for (guint i = 0; i < names->len; i++)
    if (!mw_is_mailbox_name (g_ptr_array_index (names, i)))
      {
        g_autofree char *problem =
          g_strdup_printf (_("Mailbox name “%s” is not allowed: use 1 to 64 letters, digits, “-”, “_” or “.”, not starting with “-” or “.”"),
                           (const char *) g_ptr_array_index (names, i));
        return usage_error (USAGE_SERVE, problem);
      }

  if (overview_token != NULL && strlen (overview_token) < MIN_OVERVIEW_TOKEN)
    return usage_error (USAGE_SERVE, _("--overview-token: use at least 16 characters that are hard to guess, e.g. from “openssl rand -hex 16”"));

  if (scenario_id != NULL && !training)
    return usage_error (USAGE_SERVE, _("--scenario needs --training: a training session never reaches a live mailbox"));
  if (speed < 1 || speed > MW_EXERCISE_MAX_SPEED)
    {
      g_autofree char *problem = g_strdup_printf (_("--speed must be a whole number from 1 to %d"), MW_EXERCISE_MAX_SPEED);
      return usage_error (USAGE_SERVE, problem);
    }
  if (scenario_id != NULL)
    {
      g_autoptr(MwScenario) scenario = mw_scenario_load (scenario_id, &error);
      g_autoptr(MwRegime) regime = NULL;
      /* Whole seconds, as the database keeps received_at. */
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);

      if (scenario != NULL)
        regime = mw_regime_load (mw_scenario_get_regime (scenario), &error);
      if (regime == NULL || !mw_scenario_check (scenario, regime, &error))
        {
          print_error ("%s", error->message);
          return EXIT_FAILED;
        }
      trainer = mw_intake_trainer_new (scenario, regime, now, (guint) speed);
    }

  if ((tls_cert == NULL) != (tls_key == NULL))
    return usage_error (USAGE_SERVE, _("--tls-cert and --tls-key go together: give both for HTTPS, or neither"));

  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          print_error (_("Cannot load the TLS certificate %s with key %s: %s"),
                       tls_cert, tls_key, error->message);
          return EXIT_FAILED;
        }
    }

  /* Room for every connection the listener allows (it stays well below the limit). */
  mw_intake_raise_fd_limit ();

  intake = mw_intake_new (db_path, training ? MW_INTAKE_FLAGS_TRAINING : MW_INTAKE_FLAGS_NONE, &error);
  if (intake == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILED;
    }

  mw_intake_set_overview_token (intake, overview_token);
  mw_intake_set_trainer (intake, trainer);

  for (guint i = 0; i < names->len; i++)
    if (!mw_intake_add_mailbox (intake, g_ptr_array_index (names, i), &error))
      {
        print_error ("%s", error->message);
        return EXIT_FAILED;
      }

  if (!mw_intake_listen (intake, listen, certificate, &error))
    {
      print_error ("%s", error->message);
      return g_error_matches (error, MW_ERROR, MW_ERROR_INVALID) ? EXIT_USAGE : EXIT_FAILED;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, loop);

  {
    g_autofree char *grouped = mw_signer_format_thumbprint (mw_intake_get_signer (intake));

    g_printerr ("meldwijzer-intake: ");
    g_printerr (_("Receipts are signed with key %s"), grouped);
    g_printerr ("\n");
  }

  url = mw_intake_dup_url (intake);
  if (trainer != NULL)
    {
      g_printerr ("meldwijzer-intake: ");
      g_printerr (_("Training session “%s”: the trainer's view is at %strainer (CSV: %strainer.csv)"),
                  mw_scenario_get_id (mw_intake_trainer_get_scenario (trainer)), url, url);
      g_printerr ("\n");
    }
  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  mw_intake_disconnect (intake);

  return EXIT_SUCCESS;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  /* $MELDWIJZER_LOCALEDIR: the translations of an uninstalled build (meson devenv). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MELDWIJZER_LOCALEDIR") != NULL && *g_getenv ("MELDWIJZER_LOCALEDIR") ?
                  g_getenv ("MELDWIJZER_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* The overview follows each reader's language (a per-thread locale while a page is
   * rendered). GLib decides once, at the first g_dgettext(), whether to translate at all, and
   * says no under C.UTF-8 when the catalogue has no entry for it: decide it with Dutch. */
  {
    locale_t dutch = newlocale (LC_MESSAGES_MASK, "nl_NL.UTF-8", (locale_t) 0);

    if (dutch != (locale_t) 0)
      {
        locale_t previous = uselocale (dutch);

        (void) g_dgettext (GETTEXT_PACKAGE, "");
        uselocale (previous);
        freelocale (dutch);
      }
  }

  /* A client that hangs up must not kill the intake. */
  signal (SIGPIPE, SIG_IGN);

  if (argc >= 2 && g_str_equal (argv[1], "enrol"))
    {
      g_set_prgname ("meldwijzer-intake enrol");
      return run_enrol (argc - 1, argv + 1);
    }

  return run_server (argc, argv);
}
