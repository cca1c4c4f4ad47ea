/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-exercise"

/* The exercise window under Xvfb: it says at the start that an exercise never reaches a live
 * mailbox, starting puts the session in training mode, injects appear when due on the
 * accelerated clock, and finishing shows the score with the law. */

#include "config.h"

#include <adwaita.h>

#include "mw-error.h"
#include "mw-exercise-window.h"
#include "mw-label.h"

static char *tmpdir;

static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL &&
      gtk_widget_get_mapped (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

static void
wait_for_frames (void)
{
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_exercise_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = mw_session_new (tmpdir);
  MwExerciseWindow *window;
  MwExercise *exercise;
  GDateTime *start;
  g_autoptr(GDateTime) at_40 = NULL;
  g_autoptr(GDateTime) at_100 = NULL;
  g_autoptr(MwReport) early = NULL;
  static const char * const recipients[] = { "ncsc", "rdi", NULL };

  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", &error));
  g_assert_no_error (error);
  mw_session_set_training (session, FALSE);

  window = mw_exercise_window_new (NULL, session);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frames ();

  /* The safety statement comes first, before anything starts. */
  g_assert_true (find_label (GTK_WIDGET (window), "can never reach a live mailbox"));
  g_assert_true (find_label (GTK_WIDGET (window), "A DNS provider under a DDoS"));

  g_assert_false (mw_exercise_window_start (window, "no-such-scenario", 60, &error));
  g_assert_error (error, MW_ERROR, MW_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (mw_exercise_window_start (window, "cloud-region-outage", 60, &error));
  g_assert_no_error (error);
  g_assert_true (mw_session_get_training (session));
  wait_for_frames ();
  g_assert_true (find_label (GTK_WIDGET (window), "can never reach a live mailbox"));
  g_assert_cmpuint (mw_exercise_window_get_n_injects_shown (window), ==, 1);
  g_assert_true (find_label (GTK_WIDGET (window), "14:00 Monitoring"));

  /* A scenario minute a second: minute 40 shows the second inject, minute 100 the rest. */
  exercise = mw_exercise_window_get_exercise (window);
  start = mw_exercise_get_started_at (exercise);
  at_40 = g_date_time_add_seconds (start, 40);
  at_100 = g_date_time_add_seconds (start, 100);
  mw_exercise_window_tick (window, at_40);
  g_assert_cmpuint (mw_exercise_window_get_n_injects_shown (window), ==, 2);
  mw_exercise_window_tick (window, at_40);
  g_assert_cmpuint (mw_exercise_window_get_n_injects_shown (window), ==, 2);
  mw_exercise_window_tick (window, at_100);
  g_assert_cmpuint (mw_exercise_window_get_n_injects_shown (window), ==, 3);
  wait_for_frames ();
  g_assert_true (find_label (GTK_WIDGET (window), "every inject is out"));

  /* The trainee filed the early warning right at minute 40 and no notification. */
  early = mw_scenario_dup_expected_report (mw_exercise_get_scenario (exercise),
                                           g_ptr_array_index (mw_scenario_get_injects (mw_exercise_get_scenario (exercise)), 1),
                                           start);
  g_assert_true (mw_exercise_add_filed (exercise, early, at_40, recipients, NULL));
  mw_exercise_window_show_score (window);
  wait_for_frames ();
  g_assert_true (find_label (GTK_WIDGET (window), "Score: 6 of 7 points, from 1 report(s) filed"));
  g_assert_true (find_label (GTK_WIDGET (window), "Art. 7(a) of Implementing Regulation (EU) 2024/2690"));
  g_assert_true (find_label (GTK_WIDGET (window), "Not filed: Incident notification (art. 27 Cbw) was required."));

  gtk_window_destroy (GTK_WINDOW (window));
  wait_for_frames ();
  g_assert_null (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;

  tmpdir = g_dir_make_tmp ("mw-test-app-exercise-XXXXXX", NULL);
  db = g_build_filename (tmpdir, "meldwijzer.db", NULL);
  g_setenv ("MELDWIJZER_DB", db, TRUE);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_language_set ("en");

  g_test_add_func ("/app/exercise/window", test_exercise_window);
  return g_test_run ();
}
