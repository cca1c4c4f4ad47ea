/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-regime.h"
#include "mw-report.h"

G_BEGIN_DECLS

typedef enum {
  MW_VERDICT_MANDATORY,
  MW_VERDICT_UNDETERMINED,
  MW_VERDICT_VOLUNTARY,
} MwVerdict;

const char *mw_verdict_to_string (MwVerdict verdict);

typedef struct {
  const MwCriterion *criterion;
  MwStatus           status;
  GPtrArray         *missing;   /* char*: unknown facts that would decide it */
} MwCriterionResult;

typedef struct {
  const MwStage *stage;
  GDateTime     *due;       /* in Dutch time; NULL when what it counts from is not known yet */
  char          *extension; /* when and why the term was extended (Algemene termijnenwet), or NULL */
} MwDeadline;

typedef struct {
  const MwAdvisory *advisory;
  MwStatus          status;
  GDateTime        *due;
} MwAdvisoryResult;

#define MW_TYPE_ASSESSMENT (mw_assessment_get_type ())
G_DECLARE_FINAL_TYPE (MwAssessment, mw_assessment, MW, ASSESSMENT, GObject)

#define MW_TYPE_ASSESSOR (mw_assessor_get_type ())
G_DECLARE_FINAL_TYPE (MwAssessor, mw_assessor, MW, ASSESSOR, GObject)

MwAssessor   *mw_assessor_new                  (MwRegime     *regime);
MwRegime     *mw_assessor_get_regime           (MwAssessor   *self);
/* When the report of @stage was filed (its earliest delivery): later stages count from it.
 * Without it, a stage counts from the report's created_at when the report is that stage. */
void          mw_assessor_set_filed_at         (MwAssessor   *self,
                                                const char   *stage,
                                                GDateTime    *filed_at);
/* Needs only the report's regime, provider.entity_type and facts. */
MwAssessment *mw_assessor_assess               (MwAssessor   *self,
                                                MwReport     *report,
                                                GError      **error);

MwVerdict     mw_assessment_get_verdict        (MwAssessment *self);
MwRegime     *mw_assessment_get_regime         (MwAssessment *self);
const MwEntityType *mw_assessment_get_entity_type (MwAssessment *self);
GPtrArray    *mw_assessment_get_criteria       (MwAssessment *self); /* MwCriterionResult* */
GPtrArray    *mw_assessment_get_exclusions     (MwAssessment *self); /* MwCriterionResult*, all evaluated */
GPtrArray    *mw_assessment_get_recipients     (MwAssessment *self); /* const MwRecipient* */
GPtrArray    *mw_assessment_get_deadlines      (MwAssessment *self); /* MwDeadline* */
GPtrArray    *mw_assessment_get_advisories     (MwAssessment *self); /* MwAdvisoryResult*, met or unknown */
/* The regime's reminders for this verdict (Cbw art. 30): const MwReminder*. */
GPtrArray    *mw_assessment_get_reminders      (MwAssessment *self);
/* The rule that makes this report's kind a voluntary report to the CSIRT, or NULL. */
const MwVoluntaryKind *mw_assessment_get_voluntary_kind (MwAssessment *self);
/* For an undetermined verdict: the facts whose answers would decide it. */
GPtrArray    *mw_assessment_get_deciding_facts (MwAssessment *self);

JsonNode     *mw_assessment_to_json            (MwAssessment *self);
/* Human explanation in the user's language, with citations. */
char         *mw_assessment_explain            (MwAssessment *self);

G_END_DECLS
