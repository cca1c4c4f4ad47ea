/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-store-crash-helper"

/*
 * Helper for test-store-crash.py, which kills it with SIGKILL at random moments.
 *
 *   mw-store-crash-helper submit DB PREFIX N_RECIPIENTS PAYLOAD_BYTES
 *     saves drafts and submits them, forever; prints (unbuffered) "begin ID" right before
 *     and "done ID" right after each mw_store_submit(), and "delivered ID" after a receipt.
 *   mw-store-crash-helper check DB
 *     opens the database with MwStore (as the app does after a crash) and checks through
 *     the API that every signed report is whole; prints "ok signed=… drafts=… …".
 */

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mw-error.h"
#include "mw-store.h"

static void
say (const char *verb,
     const char *id)
{
  g_autofree char *line = g_strdup_printf ("%s %s\n", verb, id);
  gsize length = strlen (line);
  gsize done = 0;

  /* write(2) so that nothing sits in a stdio buffer when the process is killed. */
  while (done < length)
    {
      ssize_t n = write (STDOUT_FILENO, line + done, length - done);

      if (n <= 0)
        _exit (4);
      done += n;
    }
}

static char *
base64url (const char *data,
           gsize       length)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) data, length);
  GString *out = g_string_new (NULL);

  for (const char *p = b64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

/* JWS-shaped text whose third part is base64url(hex sha256(first.second)), so that a
 * checker can tell a complete JWS from a cut one without a key. */
static char *
make_jws (const char *payload)
{
  static const char header[] = "{\"alg\":\"EdDSA\",\"cty\":\"meldwijzer.report/1\",\"kid\":\"crash-test\"}";
  g_autofree char *h = base64url (header, strlen (header));
  g_autofree char *p = base64url (payload, strlen (payload));
  g_autofree char *input = g_strdup_printf ("%s.%s", h, p);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);
  g_autofree char *s = base64url (digest, strlen (digest));

  return g_strdup_printf ("%s.%s", input, s);
}

static int
run_submit (const char *path,
            const char *prefix,
            guint       n_recipients,
            guint       payload_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = mw_store_new_for_path (path, &error);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) recipients_json = g_string_new ("[");
  g_autofree char *filler = g_strnfill (payload_bytes, 'x');

  if (store == NULL)
    {
      g_printerr ("open: %s\n", error->message);
      return 3;
    }

  for (guint r = 0; r < n_recipients; r++)
    {
      char *name = g_strdup_printf ("recipient-%02u", r);

      g_string_append_printf (recipients_json, "%s\"%s\"", r > 0 ? "," : "", name);
      g_ptr_array_add (recipients, name);
    }
  g_string_append_c (recipients_json, ']');
  g_ptr_array_add (recipients, NULL);

  for (guint i = 0; ; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", prefix, i);
      g_autofree char *incident = g_strdup_printf ("%s-incident-%u", prefix, i / 3);
      g_autofree char *supersedes = i % 3 > 0 ? g_strdup_printf ("\"%s-%u\"", prefix, i - 1) : g_strdup ("null");
      g_autofree char *json = NULL;
      g_autofree char *jws = NULL;
      g_autofree char *receipt_id = g_strdup_printf ("receipt-%s", id);
      g_autofree char *receipt = NULL;

      /* A few autosaves while "typing", then sign and submit. */
      for (guint k = 0; k < 3; k++)
        {
          g_autofree char *draft =
            g_strdup_printf ("{\"format\":\"meldwijzer.report/1\",\"report_id\":\"%s\",\"incident_id\":\"%s\","
                             "\"stage\":\"notification\",\"supersedes\":%s,\"training\":true,"
                             "\"nature\":{\"summary\":\"crash test %u\",\"description\":\"%.*s\"},"
                             "\"test_recipients\":%s}",
                             id, incident, supersedes, i, (int) (payload_bytes * (k + 1) / 3), filler,
                             recipients_json->str);

          if (!mw_store_save_draft (store, draft, &error))
            {
              g_printerr ("save_draft %s: %s\n", id, error->message);
              return 1;
            }
          if (k == 2)
            json = g_steal_pointer (&draft);
        }
      jws = make_jws (json);

      say ("begin", id);
      if (!mw_store_submit (store, jws, (const char * const *) recipients->pdata, &error))
        {
          g_printerr ("submit %s: %s\n", id, error->message);
          return 1;
        }
      say ("done", id);

      /* The first recipient answers with a receipt; the second is down. */
      receipt = make_jws (receipt_id);
      if (!mw_store_mark_delivered (store, id, recipients->pdata[0], receipt_id, receipt,
                                    "2026-11-22T03:12:00+01:00", &error))
        {
          g_printerr ("mark_delivered %s: %s\n", id, error->message);
          return 1;
        }
      say ("delivered", id);
      if (n_recipients > 1 &&
          !mw_store_mark_attempt_failed (store, id, recipients->pdata[1], "Connection refused",
                                         g_get_real_time (), NULL, &error))
        {
          g_printerr ("mark_attempt_failed %s: %s\n", id, error->message);
          return 1;
        }
    }
}

static char *
decode_payload (const char *jws)
{
  g_auto(GStrv) parts = g_strsplit (jws, ".", -1);
  GString *b64;
  guchar *data;
  gsize length;

  if (g_strv_length (parts) != 3)
    return NULL;
  b64 = g_string_new (NULL);
  for (const char *p = parts[1]; *p != '\0'; p++)
    g_string_append_c (b64, *p == '-' ? '+' : *p == '_' ? '/' : *p);
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  data = g_base64_decode (b64->str, &length);
  g_string_free (b64, TRUE);
  data = g_realloc (data, length + 1);
  data[length] = '\0';
  return (char *) data;
}

#define FAIL(...) G_STMT_START { g_printerr (__VA_ARGS__); g_printerr ("\n"); return 1; } G_STMT_END

static int
run_check (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = mw_store_new_for_path (path, &error);
  g_autoptr(GPtrArray) incidents = NULL;
  guint n_signed = 0, n_drafts = 0, n_deliveries = 0, n_receipts = 0;

  if (store == NULL)
    FAIL ("open after kill: %s", error->message);
  incidents = mw_store_list_incidents (store, &error);
  if (incidents == NULL)
    FAIL ("list_incidents: %s", error->message);

  for (guint i = 0; i < incidents->len; i++)
    {
      MwStoreIncident *incident = g_ptr_array_index (incidents, i);
      g_autoptr(GPtrArray) reports = mw_store_list_incident_reports (store, incident->incident_id, &error);

      if (reports == NULL)
        FAIL ("list_incident_reports: %s", error->message);
      for (guint j = 0; j < reports->len; j++)
        {
          MwStoreReport *report = g_ptr_array_index (reports, j);
          g_autoptr(GPtrArray) deliveries = mw_store_list_deliveries (store, report->report_id, &error);
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autofree char *payload = NULL;
          g_autofree char *sha = NULL;
          g_autofree char *expected_jws = NULL;
          JsonArray *wanted;
          JsonNode *node;

          if (deliveries == NULL)
            FAIL ("list_deliveries: %s", error->message);
          if (!report->signed_)
            {
              n_drafts++;
              if (deliveries->len != 0)
                FAIL ("draft %s has %u deliveries", report->report_id, deliveries->len);
              continue;
            }

          n_signed++;
          if (report->jws == NULL || report->sha256 == NULL)
            FAIL ("signed report %s without JWS or hash", report->report_id);
          sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, report->jws, -1);
          if (!g_str_equal (sha, report->sha256))
            FAIL ("report %s: sha256 does not match the stored JWS", report->report_id);
          payload = decode_payload (report->jws);
          if (payload == NULL || g_strcmp0 (payload, report->json) != 0)
            FAIL ("report %s: JWS payload differs from the stored report", report->report_id);
          expected_jws = make_jws (payload);
          if (!g_str_equal (expected_jws, report->jws))
            FAIL ("report %s: JWS is not complete", report->report_id);
          if (!json_parser_load_from_data (parser, payload, -1, NULL) ||
              (node = json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                              "test_recipients")) == NULL)
            FAIL ("report %s: payload without test_recipients", report->report_id);
          wanted = json_node_get_array (node);
          if (deliveries->len != json_array_get_length (wanted))
            FAIL ("report %s: %u deliveries, expected %u", report->report_id, deliveries->len,
                  json_array_get_length (wanted));
          for (guint k = 0; k < deliveries->len; k++)
            {
              MwStoreDelivery *d = g_ptr_array_index (deliveries, k);
              gboolean found = FALSE;

              for (guint w = 0; w < json_array_get_length (wanted); w++)
                found |= g_str_equal (json_array_get_string_element (wanted, w), d->recipient);
              if (!found)
                FAIL ("report %s: unexpected recipient %s", report->report_id, d->recipient);
              if (g_strcmp0 (d->jws, report->jws) != 0)
                FAIL ("report %s: delivery to %s joins another JWS", report->report_id, d->recipient);
              if ((d->state == MW_DELIVERY_STATE_DELIVERED) != (d->receipt_jws != NULL))
                FAIL ("report %s: delivery to %s is %s with%s receipt", report->report_id, d->recipient,
                      mw_delivery_state_to_string (d->state), d->receipt_jws ? "" : "out");
              n_deliveries++;
              n_receipts += d->receipt_jws != NULL;
            }
        }
    }

  g_print ("ok signed=%u drafts=%u deliveries=%u receipts=%u\n", n_signed, n_drafts, n_deliveries, n_receipts);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 6 && g_str_equal (argv[1], "submit"))
    return run_submit (argv[2], argv[3], (guint) g_ascii_strtoull (argv[4], NULL, 10),
                       (guint) g_ascii_strtoull (argv[5], NULL, 10));
  if (argc == 3 && g_str_equal (argv[1], "check"))
    return run_check (argv[2]);

  g_printerr ("Usage: %s submit DB PREFIX N_RECIPIENTS PAYLOAD_BYTES | check DB\n", argv[0]);
  return 2;
}
