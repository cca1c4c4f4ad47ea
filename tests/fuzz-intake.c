/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-intake"

/*
 * A fuzz target for the intake's request handling: each input is sent as raw bytes over a
 * loopback connection to an in-process MwIntake (a live mailbox "csirt" with an enrolled
 * key), and its answer read until the intake closes the connection. Afterwards a normal
 * request must still be answered and no file descriptor may be left open.
 *
 * With libFuzzer:  clang -g -fsanitize=fuzzer,address -DMW_LIBFUZZER tests/fuzz-intake.c …
 * Standalone (registered as a test): every seed file given, a signed report made at start,
 * then a fixed number of deterministic mutations of them.
 */

#include <glib/gstdio.h>

#include "mw-error.h"
#include "mw-intake.h"
#include "mw-report.h"
#include "mw-signer.h"

#define EXCHANGE_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define MAX_ANSWER          (4 * 1024 * 1024)

static MwIntake       *intake;
static guint           by_class[6];  /* answers by status class: none, 1xx … 5xx */
static MwSigner       *sender;
static GSocketAddress *address;
static char           *tmp_dir;

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *jwk = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  tmp_dir = g_dir_make_tmp ("mw-fuzz-intake-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (tmp_dir, "intake.db", NULL);

  intake = mw_intake_new (db, MW_INTAKE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  mw_intake_add_mailbox (intake, "csirt", &error);
  g_assert_no_error (error);

  sender = mw_signer_generate (&error);
  g_assert_no_error (error);
  jwk = mw_signer_to_public_jwk (sender);
  mw_intake_enrol (intake, "csirt", jwk, strlen (jwk), NULL, NULL, &error);
  g_assert_no_error (error);

  mw_intake_listen (intake, "127.0.0.1:0", NULL, &error);
  g_assert_no_error (error);
  url = mw_intake_dup_url (intake);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, (guint16) g_uri_get_port (uri));
}

static void
tear_down (void)
{
  const char *suffixes[] = { "", ".key", "-wal", "-shm", "-journal" };
  g_autofree char *db = g_strdup (mw_intake_get_db_path (intake));

  mw_intake_disconnect (intake);
  g_clear_object (&intake);
  g_clear_object (&sender);
  g_clear_object (&address);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

/* Sends data, closes the sending side and reads the answer until the intake closes the
 * connection, running the intake's main context meanwhile (all in one thread). */
static GString *
exchange (const guint8 *data,
          gsize         size)
{
  g_autoptr(GSocket) client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GError) error = NULL;
  GString *answer = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + EXCHANGE_TIMEOUT_US;
  gboolean connected = FALSE;
  gboolean shut = FALSE;
  gsize sent = 0;

  g_assert_nonnull (client);
  g_socket_set_blocking (client, FALSE);
  if (!g_socket_connect (client, address, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    g_error ("Cannot connect to the intake: %s", error->message);
  g_clear_error (&error);

  while (g_get_monotonic_time () < deadline)
    {
      char buffer[16384];
      gssize n;

      g_main_context_iteration (NULL, FALSE);

      if (!connected)
        {
          if (!(g_socket_condition_check (client, G_IO_OUT) & G_IO_OUT))
            continue;
          if (!g_socket_check_connect_result (client, &error))
            g_error ("Cannot connect to the intake: %s", error->message);
          connected = TRUE;
        }

      if (sent < size)
        {
          n = g_socket_send (client, (const char *) data + sent, size - sent, NULL, &error);
          if (n > 0)
            sent += n;
          else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            sent = size;  /* the intake closed: stop sending */
          g_clear_error (&error);
        }
      else if (!shut)
        {
          g_socket_shutdown (client, FALSE, TRUE, NULL);
          shut = TRUE;
        }

      n = g_socket_receive (client, buffer, sizeof buffer, NULL, &error);
      if (n == 0)
        break;
      if (n > 0)
        {
          if (answer->len + n > MAX_ANSWER)
            g_error ("The answer to a request of %" G_GSIZE_FORMAT " bytes is larger than %d bytes",
                     size, MAX_ANSWER);
          g_string_append_len (answer, buffer, n);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;  /* reset by the intake */
      g_clear_error (&error);
    }

  if (g_get_monotonic_time () >= deadline)
    g_error ("The intake neither answered nor closed within 10 s a request of %" G_GSIZE_FORMAT " bytes",
             size);

  return answer;
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GString) answer = NULL;

  if (intake == NULL)
    set_up ();

  answer = exchange (data, size);
  if (g_str_has_prefix (answer->str, "HTTP/1.") && answer->len > 9 && answer->str[9] >= '1' && answer->str[9] <= '5')
    by_class[answer->str[9] - '0']++;
  else
    by_class[0]++;
  return 0;
}

#ifndef MW_LIBFUZZER

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* A POST of a complete report signed by the enrolled key, as a seed. */
static GByteArray *
signed_report_request (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *path = g_build_filename (srcdir ? srcdir : "tests", "reports", "cbw-dns-outage.json", NULL);
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;
  g_autofree char *head = NULL;
  GByteArray *out = g_byte_array_new ();

  report = mw_report_new_from_file (path, &error);
  g_assert_no_error (error);
  mw_report_set_training (report, FALSE);
  jws = mw_signer_sign_report (sender, report, &error);
  g_assert_no_error (error);

  head = g_strdup_printf ("POST /csirt/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/jose\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                          strlen (jws));
  g_byte_array_append (out, (const guint8 *) head, strlen (head));
  g_byte_array_append (out, (const guint8 *) jws, strlen (jws));
  return out;
}

/* One of a few HTTP-aware or byte-level changes, chosen by a seeded generator. */
static GByteArray *
mutate (GRand            *rand,
        const GByteArray *seed)
{
  static const char * const tokens[] = {
    "\r\n", "\r\n\r\n", ":", " ", "Content-Length: 99999999999\r\n", "Content-Length: -1\r\n",
    "Transfer-Encoding: chunked\r\n", "Expect: 100-continue\r\n", "Connection: keep-alive\r\n",
    "ffffffff\r\n", "0\r\n\r\n", "%00", "%2e%2e/", "?page=", "&token=", "/csirt/v1/", "HTTP/1.0",
    "GET / HTTP/1.1\r\n\r\n", ".", "eyJ", "\xff\xfe", "\0",
  };
  GByteArray *out = g_byte_array_new ();
  guint n_changes = g_rand_int_range (rand, 1, 8);

  g_byte_array_append (out, seed->data, seed->len);
  for (guint c = 0; c < n_changes && out->len > 0; c++)
    {
      guint at = g_rand_int_range (rand, 0, out->len);

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:  /* flip a byte */
          out->data[at] ^= (guint8) g_rand_int_range (rand, 1, 256);
          break;
        case 1:  /* delete a run */
          {
            guint length = (guint) g_rand_int_range (rand, 1, 32);

            g_byte_array_remove_range (out, at, MIN (length, out->len - at));
          }
          break;
        case 2:  /* insert a token */
          {
            const char *token = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];
            gsize length = token[0] == '\0' ? 1 : strlen (token);
            g_autoptr(GByteArray) tail = g_byte_array_new ();

            g_byte_array_append (tail, out->data + at, out->len - at);
            g_byte_array_set_size (out, at);
            g_byte_array_append (out, (const guint8 *) token, length);
            g_byte_array_append (out, tail->data, tail->len);
          }
          break;
        case 3:  /* truncate */
          g_byte_array_set_size (out, at);
          break;
        default: /* duplicate a run */
          {
            guint length = (guint) g_rand_int_range (rand, 1, 64);
            g_autoptr(GByteArray) run = g_byte_array_new ();

            length = MIN (length, out->len - at);
            g_byte_array_append (run, out->data + at, length);
            g_byte_array_append (out, run->data, run->len);
          }
        }
    }

  return out;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  g_autoptr(GString) answer = NULL;
  static const char normal[] = "GET /csirt/v1/keys HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  guint iterations = 2000;
  guint fds_before;
  guint fds_after;
  guint ran = 0;
  int status = 0;

  /* Invalid input is expected here; a message must not abort the run. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);

  for (int i = 1; i < argc; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (g_str_has_prefix (argv[i], "--iterations="))
        {
          iterations = (guint) g_ascii_strtoull (argv[i] + strlen ("--iterations="), NULL, 10);
          continue;
        }
      if (!g_file_get_contents (argv[i], &contents, &length, NULL))
        {
          g_printerr ("fuzz-intake: cannot read seed %s\n", argv[i]);
          return 2;
        }
      g_ptr_array_add (seeds, g_byte_array_append (g_byte_array_new (), (guint8 *) contents, length));
    }

  set_up ();
  g_ptr_array_add (seeds, signed_report_request ());
  fds_before = count_fds ();

  g_print ("1..2\n");
  for (guint i = 0; i < seeds->len; i++, ran++)
    {
      GByteArray *seed = g_ptr_array_index (seeds, i);
      LLVMFuzzerTestOneInput (seed->data, seed->len);
    }

  for (guint i = 0; i < iterations; i++, ran++)
    {
      g_autoptr(GByteArray) input = mutate (rand, g_ptr_array_index (seeds, g_rand_int_range (rand, 0, seeds->len)));
      LLVMFuzzerTestOneInput (input->data, input->len);
    }

  g_print ("ok 1 - %u requests (%u seeds, %u mutations) without a crash or a hang\n",
           ran, seeds->len, iterations);
  g_print ("# answers: %u 2xx, %u 3xx, %u 4xx, %u 5xx, %u 1xx, %u closed without an answer\n",
           by_class[2], by_class[3], by_class[4], by_class[5], by_class[1], by_class[0]);

  /* Let the intake finish closing what it closes, then count. */
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
  answer = exchange ((const guint8 *) normal, strlen (normal));
  fds_after = count_fds ();
  if (g_str_has_prefix (answer->str, "HTTP/1.1 200") && fds_after <= fds_before + 2)
    g_print ("ok 2 - a normal request is answered afterwards and no socket is left open (%u fds before, %u after)\n",
             fds_before, fds_after);
  else
    {
      g_print ("not ok 2 - a normal request afterwards: %.40s; fds %u before, %u after\n",
               answer->str, fds_before, fds_after);
      status = 1;
    }

  tear_down ();
  return status;
}

#endif
