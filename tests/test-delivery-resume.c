/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-delivery-resume"

/*
 * MwOutbox keeps delivering on its own: a recipient that is down gets its report when it
 * comes back, without anyone pressing retry, and pending deliveries resume when a new
 * MwOutbox starts (the app at start-up). Real meldwijzer-intake processes on loopback.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "mw-outbox.h"
#include "mw-error.h"
#include "mw-report.h"
#include "mw-signer.h"
#include "mw-store.h"

typedef struct {
  char        *dir;
  MwStore     *store;
  MwSigner    *signer;
  GSubprocess *intakes[2];
} Fixture;

static const char *
intake_program (void)
{
  const char *program = g_getenv ("MELDWIJZER_INTAKE");

  g_assert_nonnull (program);
  return program;
}

/* An intake must not outlive a test that failed half-way. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts meldwijzer-intake and returns its root URL once it listens. */
static char *
start_intake (Fixture    *fixture,
              guint       slot,
              const char *name,
              const char *listen,
              const char * const *mailboxes)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *db = g_strdup_printf ("%s/%s.db", fixture->dir, name);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_ptr_array_add (argv, g_strdup (intake_program ()));
  g_ptr_array_add (argv, g_strdup ("--training"));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (db));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup (listen));
  for (guint i = 0; mailboxes[i] != NULL; i++)
    {
      g_ptr_array_add (argv, g_strdup ("--mailbox"));
      g_ptr_array_add (argv, g_strdup (mailboxes[i]));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fixture->intakes[slot] = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->intakes[slot]));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  return g_strdup (line + strlen ("listening on "));
}

/* A port on which nothing listens (for now). */
static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
set_training_endpoint (Fixture    *fixture,
                       const char *recipient,
                       const char *url)
{
  g_autoptr(MwStoreEndpoint) endpoint = mw_store_endpoint_new (recipient, TRUE, url);
  g_autoptr(GError) error = NULL;

  mw_store_set_endpoint (fixture->store, endpoint, &error);
  g_assert_no_error (error);
}

static char *
submit_training_report (Fixture *fixture)
{
  /* A complete report: the intake refuses anything else with 400. */
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reports", "cbw-dns-outage.json", NULL);
  g_autofree char *report_id = g_uuid_string_random ();
  g_autofree char *incident_id = g_uuid_string_random ();
  const char * const recipients[] = { "ncsc", "rdi", NULL };
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;

  report = mw_report_new_from_file (path, &error);
  g_assert_no_error (error);
  mw_report_set_string (report, "report_id", report_id);
  mw_report_set_string (report, "incident_id", incident_id);
  mw_report_set_unknown (report, "supersedes");
  mw_report_set_training (report, TRUE);
  mw_report_set_string (report, "nature.summary", "Resume test");
  jws = mw_signer_sign_report (fixture->signer, report, &error);
  g_assert_no_error (error);
  mw_store_submit (fixture->store, jws, recipients, &error);
  g_assert_no_error (error);
  return g_strdup (mw_report_get_report_id (report));
}

static MwDeliveryState
state_of (Fixture    *fixture,
          const char *report_id,
          const char *recipient,
          guint      *attempts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStoreDelivery) delivery = mw_store_get_delivery (fixture->store, report_id, recipient, &error);

  g_assert_no_error (error);
  if (attempts != NULL)
    *attempts = delivery->attempts;
  return delivery->state;
}

/* Runs the main loop until the delivery reaches state, or the timeout passes. */
static gboolean
wait_for (Fixture         *fixture,
          const char      *report_id,
          const char      *recipient,
          MwDeliveryState  state,
          guint            seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      if (state_of (fixture, report_id, recipient, NULL) == state)
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return state_of (fixture, report_id, recipient, NULL) == state;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  fixture->dir = g_dir_make_tmp ("mw-resume-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->dir, "meldwijzer.db", NULL);
  fixture->store = mw_store_new_for_path (db, &error);
  g_assert_no_error (error);
  fixture->signer = mw_signer_generate (&error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  for (guint i = 0; i < G_N_ELEMENTS (fixture->intakes); i++)
    if (fixture->intakes[i] != NULL)
      {
        g_subprocess_send_signal (fixture->intakes[i], SIGTERM);
        g_subprocess_wait (fixture->intakes[i], NULL, NULL);
        g_clear_object (&fixture->intakes[i]);
      }
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->signer);
  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->dir);
}

static void
test_resumes_when_recipient_returns (Fixture       *fixture,
                                     gconstpointer  data)
{
  const char * const rdi_only[] = { "rdi", NULL };
  const char * const ncsc_only[] = { "ncsc", NULL };
  guint16 port = free_port ();
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *ncsc_url = g_strdup_printf ("http://127.0.0.1:%u/ncsc", port);
  g_autofree char *rdi_root = start_intake (fixture, 0, "rdi", "127.0.0.1:0", rdi_only);
  g_autofree char *rdi_url = g_strconcat (rdi_root, "rdi", NULL);
  g_autofree char *report_id = NULL;
  g_autoptr(MwOutbox) delivery = NULL;
  g_autofree char *ncsc_root = NULL;
  guint attempts = 0;

  set_training_endpoint (fixture, "ncsc", ncsc_url);   /* nothing listens there yet */
  set_training_endpoint (fixture, "rdi", rdi_url);
  report_id = submit_training_report (fixture);

  delivery = mw_outbox_new (fixture->store);
  mw_outbox_set_signer (delivery, fixture->signer);
  mw_outbox_start (delivery);

  g_assert_true (wait_for (fixture, report_id, "rdi", MW_DELIVERY_STATE_DELIVERED, 20));
  g_assert_cmpint (state_of (fixture, report_id, "ncsc", &attempts), ==, MW_DELIVERY_STATE_PENDING);
  g_assert_cmpuint (attempts, >=, 1);

  /* The NCSC mailbox comes up; nobody asks for a retry. */
  ncsc_root = start_intake (fixture, 1, "ncsc", listen, ncsc_only);
  g_assert_true (wait_for (fixture, report_id, "ncsc", MW_DELIVERY_STATE_DELIVERED,
                           MW_STORE_BACKOFF_FIRST_SECONDS * 4 + 10));
}

static void
test_resumes_at_start (Fixture       *fixture,
                       gconstpointer  data)
{
  const char * const both[] = { "ncsc", "rdi", NULL };
  g_autofree char *root = start_intake (fixture, 0, "both", "127.0.0.1:0", both);
  g_autofree char *ncsc_url = g_strconcat (root, "ncsc", NULL);
  g_autofree char *rdi_url = g_strconcat (root, "rdi", NULL);
  g_autofree char *report_id = NULL;
  g_autoptr(MwOutbox) delivery = NULL;

  set_training_endpoint (fixture, "ncsc", ncsc_url);
  set_training_endpoint (fixture, "rdi", rdi_url);

  /* Submitted while nothing delivers (the app was closed, or crashed). */
  report_id = submit_training_report (fixture);
  g_assert_cmpint (state_of (fixture, report_id, "ncsc", NULL), ==, MW_DELIVERY_STATE_PENDING);

  delivery = mw_outbox_new (fixture->store);
  mw_outbox_set_signer (delivery, fixture->signer);
  mw_outbox_start (delivery);
  g_assert_true (wait_for (fixture, report_id, "ncsc", MW_DELIVERY_STATE_DELIVERED, 20));
  g_assert_true (wait_for (fixture, report_id, "rdi", MW_DELIVERY_STATE_DELIVERED, 20));

  mw_outbox_stop (delivery);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/delivery/resumes-when-recipient-returns", Fixture, NULL,
              fixture_set_up, test_resumes_when_recipient_returns, fixture_tear_down);
  g_test_add ("/delivery/resumes-at-start", Fixture, NULL,
              fixture_set_up, test_resumes_at_start, fixture_tear_down);

  return g_test_run ();
}
