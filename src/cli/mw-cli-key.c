/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "meldwijzer-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "mw-cli.h"
#include "mw-keyring.h"
#include "mw-signer.h"

static void
print_key (MwSigner *signer)
{
  g_autofree char *grouped = mw_signer_format_thumbprint (signer);

  g_print ("%s %s\n", _("Key ID (kid):"), mw_signer_get_thumbprint (signer));
  g_print ("%s %s\n", _("Thumbprint:  "), grouped);
}

/* key generate [--force] | show | export-public OUT.jwk ------------------------------- */

static int
key_generate (int    argc,
              char **argv)
{
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace the existing signing key"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MwKeyring) keyring = NULL;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("Generate the organisation’s Ed25519 signing key and keep it in the keyring."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage ("key generate [--force]");
    }
  if (argc != 1)
    return mw_cli_usage ("key generate [--force]");

  keyring = mw_keyring_new (NULL);
  signer = mw_keyring_generate_sync (keyring, force ? MW_KEYRING_FLAGS_FORCE : MW_KEYRING_FLAGS_NONE,
                                     NULL, &error);
  if (signer == NULL)
    {
      mw_cli_keyring_error (error);
      return MW_EXIT_NEGATIVE;
    }

  g_print ("%s\n", _("A new signing key is stored in the keyring."));
  print_key (signer);
  g_print ("%s\n", _("Give recipients the public key (“meldwijzer-cli key export-public OUT.jwk”) and read them the thumbprint to confirm it."));
  return MW_EXIT_OK;
}

static int
key_show (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MwKeyring) keyring = NULL;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("Show the key ID and the thumbprint of the signing key, to read aloud."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage ("key show");
    }
  if (argc != 1)
    return mw_cli_usage ("key show");

  keyring = mw_keyring_new (NULL);
  signer = mw_keyring_load_sync (keyring, NULL, &error);
  if (signer == NULL)
    {
      mw_cli_keyring_error (error);
      return MW_EXIT_NEGATIVE;
    }

  print_key (signer);
  return MW_EXIT_OK;
}

static int
key_export_public (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("OUT.jwk"));
  g_autoptr(MwKeyring) keyring = NULL;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwk = NULL;
  g_autofree char *text = NULL;
  const char *out;

  g_option_context_set_summary (context, _("Write the public key as a JWK to OUT.jwk (“-” for standard output)."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mw_cli_error ("%s", error->message);
      return mw_cli_usage ("key export-public OUT.jwk");
    }
  if (argc != 2)
    return mw_cli_usage ("key export-public OUT.jwk");
  out = argv[1];

  keyring = mw_keyring_new (NULL);
  signer = mw_keyring_load_sync (keyring, NULL, &error);
  if (signer == NULL)
    {
      mw_cli_keyring_error (error);
      return MW_EXIT_NEGATIVE;
    }

  jwk = mw_signer_to_public_jwk (signer);
  text = g_strconcat (jwk, "\n", NULL);

  if (g_str_equal (out, "-"))
    {
      fputs (text, stdout);
      return MW_EXIT_OK;
    }

  if (!g_file_set_contents (out, text, -1, &error))
    {
      mw_cli_error (_("%s: cannot write the public key: %s"), out, error->message);
      return MW_EXIT_NEGATIVE;
    }

  g_print (_("Wrote the public key %s to %s\n"), mw_signer_get_thumbprint (signer), out);
  return MW_EXIT_OK;
}

int
mw_cli_key (int    argc,
            char **argv)
{
  static const char usage[] = "key generate [--force] | key show | key export-public OUT.jwk";

  if (argc < 2)
    return mw_cli_usage (usage);

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_print ("%s: meldwijzer-cli %s\n", _("Usage"), usage);
      return MW_EXIT_OK;
    }
  if (g_str_equal (argv[1], "generate"))
    return key_generate (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "show"))
    return key_show (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "export-public"))
    return key_export_public (argc - 1, argv + 1);

  mw_cli_error (_("unknown key command “%s”: use generate, show or export-public"), argv[1]);
  return mw_cli_usage (usage);
}
