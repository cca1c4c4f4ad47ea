/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-outbox"

/*
 * MwOutbox and filing at a desk (DESIGN.md, "Local store and delivery"): a live report to
 * recipients without an endpoint awaits filing; recording the NCSC's filing makes the
 * authority the regime says it forwards to "forwarded"; bad input is refused and changes
 * nothing; a training report is never filed at a real desk. A real SQLite store; the regime
 * files of data/regimes.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "mw-error.h"
#include "mw-export.h"
#include "mw-incidents.h"
#include "mw-outbox.h"
#include "mw-report.h"
#include "mw-signer.h"
#include "mw-store.h"
#include "mw-test-util.h"

typedef struct {
  char     *dir;
  MwStore  *store;
  MwOutbox *outbox;
  MwSigner *signer;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("mw-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "meldwijzer.db", NULL);
  fixture->store = mw_store_new_for_path (path, &error);
  g_assert_no_error (error);
  fixture->outbox = mw_outbox_new (fixture->store);
  fixture->signer = mw_signer_generate (&error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->outbox);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->signer);
  mw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Signs and stores the example Cbw report (a DNS provider: NCSC and RDI) as live or
 * training, as MwFiling does; returns its report_id. */
static char *
submit_example (Fixture  *fixture,
                gboolean  training)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reports", "cbw-dns-outage.json", NULL);
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report_id = g_uuid_string_random ();
  g_autofree char *jws = NULL;
  const char *recipients[] = { "ncsc", "rdi", NULL };

  report = mw_report_new_from_file (path, &error);
  g_assert_no_error (error);
  mw_report_set_string (report, "report_id", report_id);
  mw_report_set_training (report, training);
  jws = mw_signer_sign_report (fixture->signer, report, &error);
  g_assert_no_error (error);
  g_assert_true (mw_store_submit (fixture->store, jws, recipients, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&report_id);
}

static MwDeliveryItem *
item_of (Fixture    *fixture,
         const char *recipient)
{
  GListModel *model = G_LIST_MODEL (fixture->outbox);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MwDeliveryItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (mw_delivery_item_get_recipient (item), recipient))
        return item;  /* the model keeps it */
    }
  g_assert_not_reached ();
}

/* Every column of every delivery, to show that a refusal changed nothing. */
static char *
snapshot (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = mw_store_list_deliveries (fixture->store, NULL, NULL);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const MwStoreDelivery *row = g_ptr_array_index (rows, i);

      g_string_append_printf (text, "%s %s %d %s %s %s %s %" G_GINT64_FORMAT "\n", row->report_id, row->recipient,
                              row->state, row->reference, row->filed_at, row->channel, row->forwarded_by,
                              row->updated_at);
    }
  return g_string_free (text, FALSE);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  GPtrArray *names = user_data;

  g_ptr_array_add (names, g_strdup (pspec->name));
}

static void
test_live_awaits_filing_and_forwards (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *report_id = submit_example (fixture, FALSE);
  g_autoptr(GDateTime) filed_at = g_date_time_new_from_iso8601 ("2026-12-06T03:10:00+01:00", NULL);
  g_autoptr(GPtrArray) notified = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  MwDeliveryItem *ncsc, *rdi;

  mw_outbox_set_report (fixture->outbox, report_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->outbox)), ==, 2);
  ncsc = item_of (fixture, "ncsc");
  rdi = item_of (fixture, "rdi");
  /* No endpoint anywhere: both wait for a desk, none is pending (nothing to retry). */
  g_assert_cmpint (mw_delivery_item_get_state (ncsc), ==, MW_DELIVERY_STATE_AWAITING_FILING);
  g_assert_cmpint (mw_delivery_item_get_state (rdi), ==, MW_DELIVERY_STATE_AWAITING_FILING);
  g_assert_cmpint (mw_store_get_next_due_time (fixture->store, NULL), ==, -1);

  g_signal_connect (rdi, "notify", G_CALLBACK (on_notify), notified);
  g_assert_true (mw_outbox_record_filing (fixture->outbox, report_id, "ncsc", "  NCSC-2026-1234 ", filed_at,
                                          "ncsc-form", &error));
  g_assert_no_error (error);

  g_assert_cmpint (mw_delivery_item_get_state (ncsc), ==, MW_DELIVERY_STATE_FILED_BY_HAND);
  g_assert_cmpstr (mw_delivery_item_get_reference (ncsc), ==, "NCSC-2026-1234");
  g_assert_cmpstr (mw_delivery_item_get_filed_at (ncsc), ==, "2026-12-06T03:10:00+01:00");
  g_assert_cmpstr (mw_delivery_item_get_channel (ncsc), ==, "ncsc-form");
  g_assert_null (mw_delivery_item_get_forwarded_by (ncsc));
  /* nl-cbw: the RDI is forwarded_by the NCSC; the item told its binding. */
  g_assert_cmpint (mw_delivery_item_get_state (rdi), ==, MW_DELIVERY_STATE_FORWARDED);
  g_assert_cmpstr (mw_delivery_item_get_forwarded_by (rdi), ==, "ncsc");
  g_assert_null (mw_delivery_item_get_reference (rdi));
  g_assert_true (g_ptr_array_find_with_equal_func (notified, "state", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (notified, "forwarded-by", g_str_equal, NULL));

  /* Recorded once: a second filing is refused. */
  g_assert_false (mw_outbox_record_filing (fixture->outbox, report_id, "ncsc", "other", filed_at, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_EXISTS);
}

static void
test_refusals_change_nothing (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *report_id = submit_example (fixture, FALSE);
  g_autofree char *training_id = submit_example (fixture, TRUE);
  g_autofree char *unknown = g_uuid_string_random ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_minutes (now, 2);
  g_autoptr(GDateTime) future = g_date_time_add_hours (now, 2);
  g_autofree char *before = snapshot (fixture);
  struct {
    const char *report_id, *recipient, *reference, *channel;
    GDateTime  *at;
    const char *message;
  } cases[] = {
    { unknown, "ncsc", "X-1", NULL, now, "There is no report" },
    { report_id, "nobody", "X-1", NULL, now, "its recipients are: ncsc, rdi" },
    { report_id, "ncsc", "", NULL, now, "reference:" },
    { report_id, "ncsc", " \t ", NULL, now, "reference:" },
    { report_id, "ncsc", NULL, NULL, now, "reference:" },
    { report_id, "ncsc", "X\n1", NULL, now, "control character" },
    { report_id, "ncsc", "X-1", NULL, NULL, "filed_at:" },
    { report_id, "ncsc", "X-1", NULL, future, "lies in the future" },
    { report_id, "ncsc", "X-1", "carrier-pigeon", now, "channel:" },
    { report_id, "ncsc", "X-1", "rdi-form", now, "channel:" },
    { training_id, "ncsc", "X-1", NULL, now, "training report" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_test_message ("case %u: %s", i, cases[i].message);
      g_assert_false (mw_outbox_record_filing (fixture->outbox, cases[i].report_id, cases[i].recipient,
                                               cases[i].reference, cases[i].at, cases[i].channel, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      after = snapshot (fixture);
      g_assert_cmpstr (after, ==, before);
    }

  /* A clock a little ahead of the desk's is not "the future". */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (mw_outbox_record_filing (fixture->outbox, report_id, "rdi", "RDI-7", soon, NULL, &error));
    g_assert_no_error (error);
  }
}

/* The training report keeps going to the practice intake: it never awaits a real desk. */
static void
test_training_never_awaits_a_desk (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *report_id = submit_example (fixture, TRUE);
  g_autoptr(MwStoreDelivery) row = mw_store_get_delivery (fixture->store, report_id, "ncsc", NULL);

  g_assert_cmpint (row->state, ==, MW_DELIVERY_STATE_PENDING);
}

/* A live report whose recipient has a live endpoint is sent, not awaiting filing; once an
 * endpoint is configured later, retry sends an awaiting one too. */
static void
test_endpoint_means_pending (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(MwStoreEndpoint) endpoint = mw_store_endpoint_new ("rdi", FALSE, "https://intake.example.nl/rdi");
  g_autoptr(GError) error = NULL;
  g_autofree char *first = submit_example (fixture, FALSE);
  g_autofree char *second = NULL;
  g_autoptr(MwStoreDelivery) rdi = NULL;
  g_autoptr(MwStoreDelivery) ncsc = NULL;

  g_assert_true (mw_store_set_endpoint (fixture->store, endpoint, &error));
  g_assert_no_error (error);
  second = submit_example (fixture, FALSE);
  rdi = mw_store_get_delivery (fixture->store, second, "rdi", NULL);
  ncsc = mw_store_get_delivery (fixture->store, second, "ncsc", NULL);
  g_assert_cmpint (rdi->state, ==, MW_DELIVERY_STATE_PENDING);
  g_assert_cmpint (ncsc->state, ==, MW_DELIVERY_STATE_AWAITING_FILING);

  g_clear_pointer (&rdi, mw_store_delivery_free);
  g_assert_cmpint (mw_store_retry_now (fixture->store, first, FALSE, g_get_real_time (), &error), ==, 1);
  rdi = mw_store_get_delivery (fixture->store, first, "rdi", NULL);
  g_assert_cmpint (rdi->state, ==, MW_DELIVERY_STATE_PENDING);
}

/* The PDF record shows how and when each recipient was reached: the desk's reference and
 * time for the NCSC, the forwarding for the RDI (text read back with pdftotext). */
static void
test_pdf_shows_filing (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *report_id = submit_example (fixture, FALSE);
  g_autoptr(GDateTime) filed_at = g_date_time_new_from_iso8601 ("2026-12-06T03:10:00+01:00", NULL);
  g_autoptr(MwStoreReport) stored = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(MwIncidents) incidents = NULL;
  g_autoptr(JsonNode) history = NULL;
  JsonArray *reports;
  g_autofree char *path = g_build_filename (fixture->dir, "record.pdf", NULL);
  g_autofree char *text = NULL;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  g_assert_true (mw_outbox_record_filing (fixture->outbox, report_id, "ncsc", "NCSC-2026-1234", filed_at,
                                          "ncsc-form", &error));
  g_assert_no_error (error);
  stored = mw_store_get_report (fixture->store, report_id, &error);
  report = mw_report_new_from_data (stored->json, -1, "report", &error);
  g_assert_no_error (error);
  regime = mw_regime_load (mw_report_get_regime (report), &error);
  g_assert_no_error (error);
  /* The deliveries as the incident's history lists them, the one source of the PDF record. */
  incidents = mw_incidents_new (fixture->store);
  g_assert_true (mw_incidents_reload (incidents, &error));
  history = mw_incidents_dup_history (incidents, mw_report_get_incident_id (report), &error);
  g_assert_no_error (error);
  reports = json_object_get_array_member (json_node_get_object (history), "reports");
  g_assert_cmpuint (json_array_get_length (reports), ==, 1);
  pdf = mw_export_pdf_record (report, regime, stored->jws,
                              json_object_get_array_member (json_array_get_object_element (reports, 0), "deliveries"),
                              NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error));

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "How each recipient was reached"));
  g_assert_nonnull (strstr (text, "NCSC-2026-1234"));
  g_assert_nonnull (strstr (text, "03:10"));
  g_assert_nonnull (strstr (text, "forwarded by National Cyber Security Centre (NCSC)"));
}

/* An intake must not outlive a test that failed half-way. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A meldwijzer-intake on loopback with one mailbox; returns the mailbox's URL. */
static char *
start_intake (Fixture      *fixture,
              gboolean      training,
              const char   *mailbox,
              GSubprocess **process)
{
  g_autofree char *db = g_strdup_printf ("%s/intake-%d.db", fixture->dir, training);
  const char *argv[] = { g_getenv ("MELDWIJZER_INTAKE"), training ? "--training" : "--db",
                         training ? "--db" : db, training ? db : "--listen",
                         training ? "--listen" : "127.0.0.1:0", training ? "127.0.0.1:0" : "--mailbox",
                         training ? "--mailbox" : mailbox, training ? mailbox : NULL, NULL };
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  char *base;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  *process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (*process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  base = g_strchomp (line + strlen ("listening on "));
  if (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return g_strdup_printf ("%s/%s", base, mailbox);
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static char *
fetch_key (Fixture     *fixture,
           const char  *url,
           GError     **error)
{
  Wait wait = { NULL };
  char *jwk;

  mw_outbox_fetch_receipt_key_async (fixture->outbox, url, NULL, on_done, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  jwk = mw_outbox_fetch_receipt_key_finish (fixture->outbox, wait.result, error);
  g_object_unref (wait.result);
  return jwk;
}

/* Configuring a live endpoint, as the app's dialog does: the key is fetched from the live
 * mailbox (a training one is refused), stored with the URL, and what awaited filing for
 * that recipient is sent there. */
static void
test_configure_live_endpoint (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *report_id = submit_example (fixture, FALSE);
  g_autoptr(GSubprocess) live = NULL;
  g_autoptr(GSubprocess) training = NULL;
  g_autofree char *live_url = NULL;
  g_autofree char *training_url = NULL;
  g_autofree char *jwk = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStoreDelivery) row = NULL;

  if (g_getenv ("MELDWIJZER_INTAKE") == NULL)
    {
      g_test_skip ("MELDWIJZER_INTAKE is not set");
      return;
    }
  live_url = start_intake (fixture, FALSE, "rdi", &live);
  training_url = start_intake (fixture, TRUE, "rdi", &training);

  g_assert_null (fetch_key (fixture, training_url, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "training mailbox"));
  g_clear_error (&error);
  g_assert_null (fetch_key (fixture, "ftp://intake.example.nl/rdi", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  jwk = fetch_key (fixture, live_url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (jwk);
  g_assert_false (mw_outbox_set_live_endpoint (fixture->outbox, "rdi", live_url, NULL, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (mw_outbox_set_live_endpoint (fixture->outbox, "rdi", live_url, jwk, &error));
  g_assert_no_error (error);

  row = mw_store_get_delivery (fixture->store, report_id, "rdi", &error);
  g_assert_cmpint (row->state, ==, MW_DELIVERY_STATE_PENDING);
  g_assert_cmpstr (row->url, ==, live_url);
  g_assert_nonnull (row->pinned_jwk);
  g_clear_pointer (&row, mw_store_delivery_free);
  row = mw_store_get_delivery (fixture->store, report_id, "ncsc", &error);
  g_assert_cmpint (row->state, ==, MW_DELIVERY_STATE_AWAITING_FILING);

  g_subprocess_force_exit (live);
  g_subprocess_force_exit (training);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/outbox/live-awaits-filing-and-forwards", test_live_awaits_filing_and_forwards);
  ADD ("/outbox/refusals-change-nothing", test_refusals_change_nothing);
  ADD ("/outbox/training-never-awaits-a-desk", test_training_never_awaits_a_desk);
  ADD ("/outbox/endpoint-means-pending", test_endpoint_means_pending);
  ADD ("/outbox/pdf-shows-filing", test_pdf_shows_filing);
  ADD ("/outbox/configure-live-endpoint", test_configure_live_endpoint);

#undef ADD

  return g_test_run ();
}
