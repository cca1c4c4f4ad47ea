/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-session"

/*
 * MwSession without GTK: the report being edited, its assessment, autosave, and "Sign and
 * send" through MwFiling. The slow-intake test is a real peer written here: it accepts a
 * connection, reads the request and holds it for seconds before it closes; meanwhile the
 * session's main loop must keep turning (signing and the commit run in MwFiling's worker
 * thread, HTTP is asynchronous).
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-error.h"
#include "mw-session.h"
#include "mw-store.h"
#include "mw-test-util.h"

#define SLOW_PEER_HOLD_MS 2500

static char *tmpdir;
static guint db_counter;

static char *
use_new_db (void)
{
  g_autofree char *name = g_strdup_printf ("session-%u.db", ++db_counter);
  char *db = g_build_filename (tmpdir, name, NULL);

  g_setenv ("MELDWIJZER_DB", db, TRUE);
  return db;
}

static MwSession *
new_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReport) report = NULL;
  MwSession *session = mw_session_new (tmpdir);
  MwProfile *profile = mw_session_get_profile (session);

  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", &error));
  g_assert_no_error (error);
  mw_profile_set_name (profile, "Wolkendienst B.V.");
  mw_profile_set_registration (profile, "12345678");
  mw_profile_set_entity_type (profile, "cloud");
  mw_profile_set_contact_name (profile, "A. de Vries");
  mw_profile_set_contact_email (profile, "soc@example.nl");
  mw_profile_add_service (profile, "Object storage", "EU-West");
  report = mw_session_create_report (session);
  mw_session_set_report (session, report);
  return session;
}

static void
complete_report (MwReport *report)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = mw_format_time (now);

  mw_report_set_string (report, "timeline.aware_at", time);
  mw_report_set_string (report, "timeline.started_at", time);
  mw_report_set_string (report, "nature.summary", "Storage down");
  mw_report_set_string (report, "recovery.status", "investigating");
  mw_report_set_int (report, "facts.unavailable_minutes", 45);
  /* What the early warning asks (Cbw art. 26). */
  mw_report_set_string (report, "service.name", "Object storage");
  mw_report_set_boolean (report, "nature.suspected_unlawful", TRUE);
  mw_report_set_boolean (report, "facts.cross_border", FALSE);
}

/* A first run: asking for the profile finds none and creates no store (the window shows
 * before anything is written); saving it makes the store. */
static void
test_first_run_creates_nothing (void)
{
  g_autofree char *db = use_new_db ();
  g_autoptr(MwSession) session = mw_session_new (tmpdir);
  g_autoptr(MwSession) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (mw_session_load_profile (session, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", &error));
  mw_profile_set_name (mw_session_get_profile (session), "Wolkendienst B.V.");
  g_assert_true (mw_session_save_profile (session, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));

  again = mw_session_new (tmpdir);
  g_assert_true (mw_session_load_profile (again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mw_profile_get_name (mw_session_get_profile (again)), ==, "Wolkendienst B.V.");
}

/* The report follows the profile; an answer changes the assessment; a draft survives. */
static void
test_report_and_autosave (void)
{
  g_autofree char *db = use_new_db ();
  g_autoptr(MwSession) session = new_session ();
  g_autoptr(MwSession) again = NULL;
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_session_get_report (session);
  g_autofree char *report_id = g_strdup (mw_report_get_report_id (report));

  g_assert_cmpstr (mw_report_get_string (report, "provider.name"), ==, "Wolkendienst B.V.");
  g_assert_cmpstr (mw_report_get_entity_type (report), ==, "cloud");
  g_assert_true (mw_report_get_training (report));

  mw_report_set_int (report, "facts.unavailable_minutes", 45);
  mw_session_report_changed (session);
  g_assert_nonnull (mw_session_get_assessment (session));
  g_assert_cmpint (mw_assessment_get_verdict (mw_session_get_assessment (session)), ==, MW_VERDICT_MANDATORY);
  g_assert_true (mw_session_get_dirty (session));

  /* Autosave: written by flush (and after a few hundred ms by itself). */
  mw_report_set_string (report, "nature.summary", "Storage down");
  g_assert_true (mw_session_flush (session, &error));
  g_assert_no_error (error);
  g_assert_false (mw_session_get_dirty (session));

  again = mw_session_new (tmpdir);
  g_assert_true (mw_session_restore_draft (again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mw_report_get_report_id (mw_session_get_report (again)), ==, report_id);
  g_assert_cmpstr (mw_report_get_string (mw_session_get_report (again), "nature.summary"), ==, "Storage down");

  /* Discarded, it is gone. */
  mw_session_discard_draft (again);
  g_clear_object (&again);
  again = mw_session_new (tmpdir);
  g_assert_false (mw_session_restore_draft (again, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);

  g_clear_object (&session);
  g_clear_object (&again);
}

/* A peer that takes a connection, reads what comes, and answers nothing for a long time. */
typedef struct {
  GSocketService *service;
  GMainContext   *context;
  GMainLoop      *loop;
  GThread        *thread;
  guint16         port;
  gint            accepted;
} SlowPeer;

static gboolean
close_later (gpointer user_data)
{
  g_io_stream_close (G_IO_STREAM (user_data), NULL, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  SlowPeer *peer = user_data;
  GSource *timeout = g_timeout_source_new (SLOW_PEER_HOLD_MS);

  g_atomic_int_inc (&peer->accepted);
  g_source_set_callback (timeout, close_later, g_object_ref (connection), g_object_unref);
  g_source_attach (timeout, peer->context);
  g_source_unref (timeout);
  return TRUE;
}

static gpointer
slow_peer_thread (gpointer user_data)
{
  SlowPeer *peer = user_data;

  g_main_context_push_thread_default (peer->context);
  g_socket_service_start (peer->service);
  g_main_loop_run (peer->loop);
  g_socket_service_stop (peer->service);
  g_main_context_pop_thread_default (peer->context);
  return NULL;
}

static SlowPeer *
slow_peer_start (void)
{
  SlowPeer *peer = g_new0 (SlowPeer, 1);
  g_autoptr(GError) error = NULL;

  peer->context = g_main_context_new ();
  peer->loop = g_main_loop_new (peer->context, FALSE);
  g_main_context_push_thread_default (peer->context);
  peer->service = g_socket_service_new ();
  g_socket_service_stop (peer->service);
  g_main_context_pop_thread_default (peer->context);
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (peer->service), address,
                                                  G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                  NULL, &effective, &error));
    g_assert_no_error (error);
    peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  g_signal_connect (peer->service, "incoming", G_CALLBACK (on_incoming), peer);
  peer->thread = g_thread_new ("slow-peer", slow_peer_thread, peer);
  return peer;
}

static void
slow_peer_stop (SlowPeer *peer)
{
  g_main_loop_quit (peer->loop);
  g_thread_join (peer->thread);
  g_socket_listener_close (G_SOCKET_LISTENER (peer->service));
  g_object_unref (peer->service);
  g_main_loop_unref (peer->loop);
  g_main_context_unref (peer->context);
  g_free (peer);
}

typedef struct {
  gint64 last;
  gint64 max_gap;
} Ticks;

static gboolean
on_tick (gpointer user_data)
{
  Ticks *ticks = user_data;
  gint64 now = g_get_monotonic_time ();

  ticks->max_gap = MAX (ticks->max_gap, now - ticks->last);
  ticks->last = now;
  return G_SOURCE_CONTINUE;
}

static void
on_submitted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Sign and send to an intake that holds every connection for seconds: the main loop never
 * stalls, the report is filed (stored) before delivery is done, and delivery goes on. */
static void
test_submit_to_slow_intake (void)
{
  g_autofree char *db = use_new_db ();
  g_autoptr(MwSession) session = new_session ();
  g_autoptr(MwSigner) signer = mw_signer_generate (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(MwStoreReport) stored = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  SlowPeer *peer = slow_peer_start ();
  Ticks ticks = { g_get_monotonic_time (), 0 };
  gboolean held = FALSE;
  guint tick_id;
  MwReport *report = mw_session_get_report (session);

  /* Both recipients' training mailboxes are the slow peer. */
  store = mw_store_new (&error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/%s", peer->port, i == 0 ? "ncsc" : "rdi");
      g_autoptr(MwStoreEndpoint) endpoint = mw_store_endpoint_new (i == 0 ? "ncsc" : "rdi", TRUE, url);

      g_assert_true (mw_store_set_endpoint (store, endpoint, &error));
      g_assert_no_error (error);
    }

  mw_session_set_signer (session, signer);
  complete_report (report);

  tick_id = g_timeout_add (5, on_tick, &ticks);
  ticks.last = g_get_monotonic_time ();
  mw_session_submit_async (session, NULL, on_submitted, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (mw_session_submit_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_true (mw_session_get_submitted (session));

  /* Filed: the signed report is in the store while the peer still holds the deliveries. */
  stored = mw_store_get_report (store, mw_report_get_report_id (report), &error);
  g_assert_no_error (error);
  g_assert_true (stored->signed_);

  /* Keep turning while the peer holds both connections. */
  g_timeout_add (SLOW_PEER_HOLD_MS + 500, set_flag, &held);
  while (!held)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);

  g_test_message ("longest main-loop gap during the submit and the slow deliveries: %" G_GINT64_FORMAT " ms (peer accepted %d connections)",
                  ticks.max_gap / 1000, g_atomic_int_get (&peer->accepted));
  g_assert_cmpint (g_atomic_int_get (&peer->accepted), >=, 1);
  g_assert_cmpint (ticks.max_gap, <, 100 * 1000);

  /* Neither delivered nor lost: pending, to be retried. */
  deliveries = mw_store_list_deliveries (store, mw_report_get_report_id (report), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (deliveries->len, ==, 2);
  for (guint i = 0; i < deliveries->len; i++)
    g_assert_cmpint (((MwStoreDelivery *) g_ptr_array_index (deliveries, i))->state, ==, MW_DELIVERY_STATE_PENDING);

  mw_session_shutdown (session);
  g_clear_object (&session);
  slow_peer_stop (peer);
}

/* The window closes (the session goes) while the report is being filed: the report is
 * still stored, and the caller is answered. */
static void
test_close_during_submit (void)
{
  g_autofree char *db = use_new_db ();
  MwSession *session = new_session ();
  g_autoptr(MwSigner) signer = mw_signer_generate (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwStore) store = NULL;
  g_autoptr(MwStoreReport) stored = NULL;
  g_autofree char *report_id = NULL;

  mw_session_set_signer (session, signer);
  complete_report (mw_session_get_report (session));
  report_id = g_strdup (mw_report_get_report_id (mw_session_get_report (session)));

  mw_session_submit_async (session, NULL, on_submitted, &result);
  g_object_unref (session);     /* the window's reference */
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (error);

  store = mw_store_new (&error);
  g_assert_no_error (error);
  stored = mw_store_get_report (store, report_id, &error);
  g_assert_no_error (error);
  g_assert_true (stored->signed_);
}

/* The report takes the law in force when the entity became aware; when the incident started
 * under the other law, the officer may choose it; the profile keeps its law. */
static void
test_law_in_force (void)
{
  g_autofree char *db = use_new_db ();
  g_autoptr(MwSession) session = new_session ();
  MwReport *report = mw_session_get_report (session);

  g_assert_cmpstr (mw_regime_get_id (mw_session_get_regime (session)), ==, "nl-cbw");
  g_assert_null (mw_session_get_law_reason (session));

  /* Became known in July 2026: the Wbni was the law then. */
  mw_report_set_string (report, "timeline.started_at", "2026-07-01T09:00:00+02:00");
  mw_report_set_string (report, "timeline.aware_at", "2026-07-01T10:00:00+02:00");
  mw_session_report_changed (session);
  g_assert_cmpstr (mw_regime_get_id (mw_session_get_regime (session)), ==, "nl-wbni");
  g_assert_cmpstr (mw_report_get_regime (report), ==, "nl-wbni");
  g_assert_nonnull (strstr (mw_session_get_law_reason (session), "nl-wbni"));
  g_assert_null (mw_session_get_other_law (session));
  g_assert_cmpstr (mw_profile_get_regime (mw_session_get_profile (session)), ==, "nl-cbw");
  /* The Wbni has no early warning: the stage follows the law. */
  g_assert_nonnull (mw_regime_find_stage (mw_session_get_regime (session), mw_report_get_stage (report)));

  /* Started under the Wbni, became known under the Cbw: the Cbw, with the Wbni offered. */
  mw_report_set_string (report, "timeline.started_at", "2026-08-10T09:00:00+02:00");
  mw_report_set_string (report, "timeline.aware_at", "2026-08-20T10:00:00+02:00");
  mw_session_report_changed (session);
  g_assert_cmpstr (mw_regime_get_id (mw_session_get_regime (session)), ==, "nl-cbw");
  g_assert_nonnull (mw_session_get_other_law (session));
  g_assert_cmpstr (mw_regime_get_id (mw_session_get_other_law (session)), ==, "nl-wbni");

  mw_session_choose_law (session, "nl-wbni");
  g_assert_cmpstr (mw_regime_get_id (mw_session_get_regime (session)), ==, "nl-wbni");
  g_assert_cmpstr (mw_regime_get_id (mw_session_get_other_law (session)), ==, "nl-cbw");

  /* Both in the Cbw's time: no choice to offer. */
  mw_report_set_string (report, "timeline.started_at", "2026-12-01T09:00:00+01:00");
  mw_report_set_string (report, "timeline.aware_at", "2026-12-01T10:00:00+01:00");
  mw_session_report_changed (session);
  g_assert_cmpstr (mw_regime_get_id (mw_session_get_regime (session)), ==, "nl-cbw");
  g_assert_null (mw_session_get_other_law (session));
  g_assert_nonnull (strstr (mw_session_get_law_reason (session), "nl-cbw"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("mw-test-session-XXXXXX", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);

  g_test_add_func ("/session/first-run-creates-nothing", test_first_run_creates_nothing);
  g_test_add_func ("/session/report-and-autosave", test_report_and_autosave);
  g_test_add_func ("/session/law-in-force", test_law_in_force);
  g_test_add_func ("/session/submit-to-slow-intake", test_submit_to_slow_intake);
  g_test_add_func ("/session/close-during-submit", test_close_during_submit);

  status = g_test_run ();
  mw_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
