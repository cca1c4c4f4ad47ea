/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mw-label.h"
#include "mw-regime.h"
#include "mw-report.h"

G_BEGIN_DECLS

/* A training scenario (data/scenarios/<id>.json, format meldwijzer.scenario/1): an incident
 * revealed in timed injects, each with the answer expected by then. The format is in
 * data/scenarios/README.md. Files are untrusted: read through mw_json_parse, every member
 * checked, unknown members refused. */

#define MW_SCENARIO_FORMAT          "meldwijzer.scenario/1"
#define MW_SCENARIO_MAX_INJECTS     64
#define MW_SCENARIO_MAX_MINUTES     (62 * 24 * 60)  /* two months after the start */

typedef struct {
  guint      at_minutes;   /* after the start of the exercise */
  MwLabel    text;         /* what the trainee learns */
  char      *stage;        /* the report to file now */
  JsonNode  *facts;        /* object: every fact known by now (absent = unknown) */
  char      *verdict;      /* mandatory, undetermined, voluntary */
  GStrv      criteria;     /* the criteria met, as the regime names them */
  GStrv      recipients;   /* who receives the report */
  MwLabel    explanation;  /* why, citing the law */
} MwInject;

#define MW_TYPE_SCENARIO (mw_scenario_get_type ())
G_DECLARE_FINAL_TYPE (MwScenario, mw_scenario, MW, SCENARIO, GObject)

MwScenario *mw_scenario_new_from_data       (const char  *data,
                                             gssize       length,
                                             const char  *source_name,
                                             GError     **error);
MwScenario *mw_scenario_new_from_file       (const char  *path,
                                             GError     **error);
/* $MELDWIJZER_SCENARIOS_DIR, then $XDG_DATA_HOME/meldwijzer/scenarios, then the installed
 * ones; the first <id>.json wins. */
MwScenario *mw_scenario_load                (const char  *id,
                                             GError     **error);
GStrv       mw_scenario_list_available      (void);

const char *mw_scenario_get_id              (MwScenario *self);
const MwLabel *mw_scenario_get_title        (MwScenario *self);
const MwLabel *mw_scenario_get_summary      (MwScenario *self);
const char *mw_scenario_get_regime          (MwScenario *self);
const char *mw_scenario_get_sector          (MwScenario *self);
const char *mw_scenario_get_entity_type     (MwScenario *self);
const char *mw_scenario_get_provider_name   (MwScenario *self);
/* When the entity became aware, in minutes after the start: deadlines count from it. */
guint       mw_scenario_get_aware_minutes   (MwScenario *self);
GPtrArray  *mw_scenario_get_injects         (MwScenario *self); /* MwInject* */
/* The last inject at or before @minutes, or NULL before the first. */
const MwInject *mw_scenario_lookup_inject   (MwScenario *self,
                                             guint       minutes);

/* Checks the scenario against its regime: entity type, sector, stages, facts, recipients
 * and criteria exist there, and at every inject the expected verdict, criteria met and
 * recipients are what MwAssessor decides for the expected facts, so that a scenario can
 * never teach a wrong answer. */
gboolean    mw_scenario_check               (MwScenario *self,
                                             MwRegime   *regime,
                                             GError    **error);

/* The report the inject expects: regime, entity type, stage, facts, training, times from
 * @start (aware_at = start + aware minutes). */
MwReport   *mw_scenario_dup_expected_report (MwScenario     *self,
                                             const MwInject *inject,
                                             GDateTime      *start);

G_END_DECLS
