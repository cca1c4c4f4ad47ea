/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MW_REPORT_FORMAT "meldwijzer.report/1"

/* One problem found by validation: a JSON path and a sentence a person can act on. */
typedef struct {
  char *path;
  char *message;
} MwProblem;

#define MW_TYPE_PROBLEM (mw_problem_get_type ())
GType      mw_problem_get_type (void) G_GNUC_CONST;
MwProblem *mw_problem_new      (const char *path,
                                const char *message);
MwProblem *mw_problem_copy     (const MwProblem *problem);
void       mw_problem_free     (MwProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwProblem, mw_problem_free)

typedef enum {
  MW_VALIDATE_COMPLETE = 0,      /* a report ready to sign: every required field present */
  MW_VALIDATE_DRAFT    = 1 << 0, /* a draft: only what is present must be right */
} MwValidateFlags;

#define MW_TYPE_REPORT (mw_report_get_type ())
G_DECLARE_FINAL_TYPE (MwReport, mw_report, MW, REPORT, GObject)

MwReport   *mw_report_new               (void);
MwReport   *mw_report_new_from_data     (const char   *data,
                                         gssize        length,
                                         const char   *source_name,
                                         GError      **error);
MwReport   *mw_report_new_from_file     (const char   *path,
                                         GError      **error);
MwReport   *mw_report_copy              (MwReport     *self);

char       *mw_report_to_json           (MwReport     *self);
char       *mw_report_to_canonical_json (MwReport     *self);
JsonNode   *mw_report_get_root          (MwReport     *self);

/* Dotted paths into the document, e.g. "timeline.started_at", "facts.users_affected".
 * Unknown (absent or null) is distinct from 0 and FALSE: the getters return FALSE then. */
const char *mw_report_get_string        (MwReport     *self,
                                         const char   *path);
void        mw_report_set_string        (MwReport     *self,
                                         const char   *path,
                                         const char   *value);
gboolean    mw_report_get_boolean       (MwReport     *self,
                                         const char   *path,
                                         gboolean     *value);
void        mw_report_set_boolean       (MwReport     *self,
                                         const char   *path,
                                         gboolean      value);
gboolean    mw_report_get_number        (MwReport     *self,
                                         const char   *path,
                                         double       *value);
void        mw_report_set_int           (MwReport     *self,
                                         const char   *path,
                                         gint64        value);
void        mw_report_set_number        (MwReport     *self,
                                         const char   *path,
                                         double        value);
void        mw_report_set_unknown       (MwReport     *self,
                                         const char   *path);
gboolean    mw_report_is_known          (MwReport     *self,
                                         const char   *path);
/* Replaces the value at path with a copy of node (arrays such as nature.affected, indicators). */
void        mw_report_set_node          (MwReport     *self,
                                         const char   *path,
                                         JsonNode     *node);
JsonNode   *mw_report_get_node          (MwReport     *self,
                                         const char   *path);

const char *mw_report_get_report_id     (MwReport     *self);
const char *mw_report_get_incident_id   (MwReport     *self);
const char *mw_report_get_stage         (MwReport     *self);
const char *mw_report_get_regime        (MwReport     *self);
const char *mw_report_get_entity_type   (MwReport     *self);
gboolean    mw_report_get_training      (MwReport     *self);
void        mw_report_set_training      (MwReport     *self,
                                         gboolean      training);

/* A follow-up report of the same incident: new report_id, supersedes this one. */
MwReport   *mw_report_new_follow_up     (MwReport     *self,
                                         const char   *stage);

GPtrArray  *mw_report_validate          (MwReport     *self,
                                         MwValidateFlags flags);

/* Heuristic: does free text look like it holds special categories of personal data? */
GPtrArray  *mw_report_find_sensitive_text (MwReport   *self);

gboolean    mw_parse_time               (const char   *text,
                                         GDateTime   **out);
char       *mw_format_time              (GDateTime    *time);
gboolean    mw_is_uuid                  (const char   *text);

G_END_DECLS
