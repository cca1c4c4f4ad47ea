/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mw-context.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-scenario.h"

G_BEGIN_DECLS

/* One run of a training scenario: which injects are due on an (accelerated) clock, what the
 * trainee filed and when, and the score against the scenario's expected answers. Used by the
 * wizard's exercise window and by the intake's trainer view; no GTK, no I/O. */

#define MW_EXERCISE_MAX_SPEED 600  /* ten hours of scenario time a minute */
#define MW_EXERCISE_MAX_FILED 256

typedef struct {
  gboolean  ok;
  char     *text;   /* in the user's language, citing the law */
} MwExerciseFinding;

void mw_exercise_finding_free (MwExerciseFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwExerciseFinding, mw_exercise_finding_free)

#define MW_TYPE_EXERCISE (mw_exercise_get_type ())
G_DECLARE_FINAL_TYPE (MwExercise, mw_exercise, MW, EXERCISE, GObject)

/* speed: scenario minutes per real minute, 1 to MW_EXERCISE_MAX_SPEED. The scenario must
 * have passed mw_scenario_check() against @regime. */
MwExercise *mw_exercise_new            (MwScenario   *scenario,
                                        MwRegime     *regime,
                                        GDateTime    *started_at,
                                        guint         speed);
MwScenario *mw_exercise_get_scenario   (MwExercise   *self);
GDateTime  *mw_exercise_get_started_at (MwExercise   *self);
guint       mw_exercise_get_speed      (MwExercise   *self);
/* Scenario minutes at @now (0 before the start). */
guint       mw_exercise_get_minutes    (MwExercise   *self,
                                        GDateTime    *now);
/* The injects that became due since the last call, in order (const MwInject*). */
GPtrArray  *mw_exercise_take_due       (MwExercise   *self,
                                        GDateTime    *now);
/* TRUE once every inject is due. */
gboolean    mw_exercise_get_finished   (MwExercise   *self,
                                        GDateTime    *now);
/* The real time at which an inject falls due. */
GDateTime  *mw_exercise_dup_due_time   (MwExercise     *self,
                                        const MwInject *inject);

/* A report the trainee filed at @filed_at, delivered to @recipients (NULL: not known). */
gboolean    mw_exercise_add_filed      (MwExercise          *self,
                                        MwReport            *report,
                                        GDateTime           *filed_at,
                                        const char * const  *recipients,
                                        GError             **error);
guint       mw_exercise_get_n_filed    (MwExercise   *self);
/* Adds every training report the store holds that was first delivered (or filed at a desk)
 * at or after the start, with the recipients it went to. Reload the context's incidents
 * first (mw_incidents_reload_async). Returns how many were added. */
guint       mw_exercise_collect        (MwExercise   *self,
                                        MwContext    *context);

/* Compares what was filed with the expected answers: for each report its stage, verdict,
 * criteria met, facts and recipients against the inject current when it was filed; and
 * whether each stage the law required was filed within its deadline in scenario time.
 * Returns the findings (MwExerciseFinding*), right ones and wrong ones. */
GPtrArray  *mw_exercise_score          (MwExercise   *self,
                                        guint        *points,
                                        guint        *max_points);

G_END_DECLS
