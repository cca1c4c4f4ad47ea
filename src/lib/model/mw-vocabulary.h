/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "mw-vocabulary-enums.h"

G_BEGIN_DECLS

/*
 * The closed vocabularies of a report (contract: DESIGN.md, `meldwijzer.report/1`).
 * Each is declared here once; the GEnum nick of a value IS the string in the report, so
 * do not rename a nick. glib-mkenums generates the GTypes (mw-vocabulary-enums.h).
 * Which stages a regime has is data (its regime file); this is only the vocabulary.
 */

/**
 * MwReportKind:
 *
 * The report's `kind`.
 */
typedef enum {
  MW_REPORT_KIND_INCIDENT,   /*< nick=incident >*/
  MW_REPORT_KIND_NEAR_MISS,  /*< nick=near-miss >*/
  MW_REPORT_KIND_THREAT,     /*< nick=threat >*/
} MwReportKind;

/**
 * MwCause:
 *
 * The report's `nature.cause`. Unknown comes first: it is what the wizard shows until the
 * reporter knows better.
 */
typedef enum {
  MW_CAUSE_UNKNOWN,          /*< nick=unknown >*/
  MW_CAUSE_MALICIOUS,        /*< nick=malicious >*/
  MW_CAUSE_HUMAN_ERROR,      /*< nick=human-error >*/
  MW_CAUSE_SYSTEM_FAILURE,   /*< nick=system-failure >*/
  MW_CAUSE_THIRD_PARTY,      /*< nick=third-party >*/
  MW_CAUSE_NATURAL,          /*< nick=natural >*/
} MwCause;

/**
 * MwRecoveryStatus:
 *
 * The report's `recovery.status`.
 */
typedef enum {
  MW_RECOVERY_STATUS_INVESTIGATING,  /*< nick=investigating >*/
  MW_RECOVERY_STATUS_CONTAINING,     /*< nick=containing >*/
  MW_RECOVERY_STATUS_MITIGATING,     /*< nick=mitigating >*/
  MW_RECOVERY_STATUS_RESOLVED,       /*< nick=resolved >*/
} MwRecoveryStatus;

/**
 * MwReportStage:
 *
 * The report's `stage`, and the ids of the stages a regime file declares.
 */
typedef enum {
  MW_REPORT_STAGE_EARLY_WARNING,  /*< nick=early-warning >*/
  MW_REPORT_STAGE_NOTIFICATION,   /*< nick=notification >*/
  MW_REPORT_STAGE_INTERMEDIATE,   /*< nick=intermediate >*/
  MW_REPORT_STAGE_FINAL,          /*< nick=final >*/
  MW_REPORT_STAGE_PROGRESS,       /*< nick=progress >*/
  MW_REPORT_STAGE_SINGLE,         /*< nick=single >*/
} MwReportStage;

gboolean    mw_enum_from_nick          (GType       enum_type,
                                        const char *nick,
                                        int        *out_value);
const char *mw_enum_to_nick            (GType       enum_type,
                                        int         value);
const char *mw_enum_get_display_name   (GType       enum_type,
                                        int         value);
char       *mw_enum_dup_nicks          (GType       enum_type,
                                        const char *separator);

G_END_DECLS
