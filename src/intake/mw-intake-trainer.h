/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-exercise.h"

G_BEGIN_DECLS

/* The trainer's view of a training session (meldwijzer-intake --training --scenario ID):
 * the reports received, grouped per trainee (the signing key's thumbprint, with the
 * registration and name the report gives), each trainee scored with MwExercise against the
 * session's scenario. A report has no member naming its scenario (the report format refuses
 * unknown members), so every report received from the session's start is matched to the
 * session's one scenario. Rows are added for one rendering, then the view is reset. */

#define MW_INTAKE_TRAINER_MAX_TRAINEES 500

#define MW_TYPE_INTAKE_TRAINER (mw_intake_trainer_get_type ())
G_DECLARE_FINAL_TYPE (MwIntakeTrainer, mw_intake_trainer, MW, INTAKE_TRAINER, GObject)

MwIntakeTrainer *mw_intake_trainer_new      (MwScenario      *scenario,
                                             MwRegime        *regime,
                                             GDateTime       *started_at,
                                             guint            speed);
MwScenario      *mw_intake_trainer_get_scenario (MwIntakeTrainer *self);
void             mw_intake_trainer_reset    (MwIntakeTrainer *self);
/* One stored delivery: a report (its JWS payload) that @kid sent to @mailbox. */
void             mw_intake_trainer_add      (MwIntakeTrainer *self,
                                             const char      *kid,
                                             const char      *mailbox,
                                             const char      *received_at,
                                             const char      *payload,
                                             gsize            length);
guint            mw_intake_trainer_get_n_trainees (MwIntakeTrainer *self);
/* The page's body (escaped HTML) and the session's results as CSV (RFC 4180). */
void             mw_intake_trainer_append_html (MwIntakeTrainer *self,
                                                GString         *html);
char            *mw_intake_trainer_to_csv   (MwIntakeTrainer *self);

G_END_DECLS
