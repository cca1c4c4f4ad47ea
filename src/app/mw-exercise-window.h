/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-exercise.h"
#include "mw-session.h"

G_BEGIN_DECLS

/* "Start an exercise": pick a scenario and a speed; the window says first that an exercise
 * never reaches a live mailbox, puts the session in training mode, shows each inject when it
 * is due (in the window and as a notification), and at the end scores what was filed. */

#define MW_TYPE_EXERCISE_WINDOW (mw_exercise_window_get_type ())
G_DECLARE_FINAL_TYPE (MwExerciseWindow, mw_exercise_window, MW, EXERCISE_WINDOW, AdwWindow)

MwExerciseWindow *mw_exercise_window_new           (GtkWindow        *parent,
                                                    MwSession        *session);
/* Starts @scenario_id at @speed now (what the Start button does). */
gboolean          mw_exercise_window_start         (MwExerciseWindow *self,
                                                    const char       *scenario_id,
                                                    guint             speed,
                                                    GError          **error);
/* Shows the injects due at @now; the window's own timer calls it every second. */
void              mw_exercise_window_tick          (MwExerciseWindow *self,
                                                    GDateTime        *now);
MwExercise       *mw_exercise_window_get_exercise  (MwExerciseWindow *self);
guint             mw_exercise_window_get_n_injects_shown (MwExerciseWindow *self);
/* Scores what the exercise holds and shows the score page. */
void              mw_exercise_window_show_score    (MwExerciseWindow *self);

/* The "win.exercise" action of the main window. */
void              mw_exercise_window_action        (GtkWidget        *widget,
                                                    const char       *action_name,
                                                    GVariant         *parameter);

G_END_DECLS
