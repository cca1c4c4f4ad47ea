/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-store"

/*
 * Benchmark (meson benchmark): draft autosave as the user types, and submit.
 * Usage: bench-store [N_SAVES] [N_SUBMITS]; prints rates, asserts nothing about time.
 */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "mw-error.h"
#include "mw-store.h"

/* A realistic draft (DESIGN.md's report), with the description as typed so far. */
static char *
make_draft (const char *report_id,
            const char *description)
{
  return g_strdup_printf (
    "{\"format\":\"meldwijzer.report/1\",\"report_id\":\"%s\","
    "\"incident_id\":\"8d2f0c1e-7a55-4a43-9f0e-3f3b9c2d1a10\",\"stage\":\"notification\","
    "\"kind\":\"incident\",\"supersedes\":\"0b8f4b0e-1c3d-4f5a-9a7b-2c1d0e9f8a7b\",\"training\":false,"
    "\"created_at\":\"2026-11-22T03:10:00+01:00\",\"regime\":\"nl-cbw\","
    "\"provider\":{\"name\":\"Waterbedrijf Noord N.V.\",\"registration\":\"KvK 12345678\","
    "\"sector\":\"drinking-water\",\"entity_type\":\"drinking-water-supplier\","
    "\"contact\":{\"name\":\"J. de Vries\",\"role\":\"CISO\",\"email\":\"ciso@waterbedrijf-noord.example\","
    "\"phone\":\"+31 50 123 4567\"},\"technical_contact\":{\"name\":\"SOC\",\"email\":\"soc@example.nl\","
    "\"phone\":\"+31 50 765 4321\"}},"
    "\"service\":{\"id\":\"dw-distribution\",\"name\":\"Drinking water distribution\",\"network\":\"SCADA north\"},"
    "\"timeline\":{\"started_at\":\"2026-11-22T02:40:00+01:00\",\"detected_at\":\"2026-11-22T02:55:00+01:00\","
    "\"aware_at\":\"2026-11-22T03:00:00+01:00\",\"resolved_at\":null},"
    "\"nature\":{\"summary\":\"Ransomware on the SCADA historian; pumping stations on manual control\","
    "\"description\":\"%s\",\"category\":\"malicious-code/ransomware\",\"cause\":\"malicious\","
    "\"suspected_unlawful\":true,\"affected\":[\"availability\",\"integrity\"]},"
    "\"facts\":{\"users_affected\":120000,\"unavailable_minutes\":45,\"users_total\":850000},"
    "\"recovery\":{\"status\":\"containing\",\"forecast_at\":\"2026-11-22T12:00:00+01:00\","
    "\"measures\":\"Network segment isolated; restoring from offline backups.\",\"csirt_help_requested\":true},"
    "\"consent\":{\"csirt_may_share_identifiable\":false,\"csirt_may_consult_regulator\":true},"
    "\"indicators\":[{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.7\"},"
    "{\"type\":\"domain-name\",\"value\":\"update-check.example\"}],"
    "\"personal_data_notice\":null}",
    report_id, description);
}

static char *
base64url (const char *data)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) data, strlen (data));
  GString *out = g_string_new (NULL);

  for (const char *p = b64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

int
main (int    argc,
      char **argv)
{
  static const char text[] =
    "At 02:40 the historian server in the SCADA network showed encrypted files and a ransom note. "
    "Operators switched the pumping stations north to manual control at 03:05. No contamination "
    "of water has been observed; pressure is kept by hand. ";
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-bench-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  guint n_saves = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  guint n_submits = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 200;
  const char *recipients[] = { "ncsc", "ilt", NULL };
  GString *typed = g_string_new (NULL);
  gsize draft_bytes = 0;
  gint64 start;
  double seconds;

  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.db", NULL);
  store = mw_store_new_for_path (path, &error);
  g_assert_no_error (error);

  /* One draft, saved after every keystroke (the description grows, wraps at 2000 chars). */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_saves; i++)
    {
      g_autofree char *draft = NULL;

      if (typed->len >= 2000)
        g_string_truncate (typed, 0);
      g_string_append_c (typed, text[i % (sizeof text - 1)]);
      draft = make_draft ("5f1c2a9e-0d7b-4c3e-8a61-2b9d4e7f6c05", typed->str);
      draft_bytes += strlen (draft);
      if (!mw_store_save_draft (store, draft, &error))
        g_error ("save %u: %s", i, error->message);
    }
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_print ("draft autosave: %u saves of a %.1f KiB draft in %.3f s = %.0f saves/s (%.1f us each)\n",
           n_saves, draft_bytes / (double) MAX (n_saves, 1) / 1024.0, seconds,
           n_saves / seconds, seconds * 1e6 / MAX (n_saves, 1));

  /* Submits: signed report + 2 deliveries, synchronous=FULL. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_submits; i++)
    {
      g_autofree char *id = g_strdup_printf ("bench-%u", i);
      g_autofree char *draft = make_draft (id, text);
      g_autofree char *payload = base64url (draft);
      g_autofree char *signature = g_strnfill (86, 'A');   /* 64 bytes, as Ed25519 */
      g_autofree char *jws = g_strdup_printf ("eyJhbGciOiJFZERTQSJ9.%s.%s", payload, signature);

      if (!mw_store_submit (store, jws, recipients, &error))
        g_error ("submit %u: %s", i, error->message);
    }
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_print ("submit (synchronous=FULL, 2 deliveries): %u in %.3f s = %.0f submits/s (%.2f ms each)\n",
           n_submits, seconds, n_submits / seconds, seconds * 1e3 / MAX (n_submits, 1));

  g_clear_object (&store);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (dir);
  g_string_free (typed, TRUE);
  return 0;
}
