/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mw-expr.h"
#include "mw-label.h"

G_BEGIN_DECLS

#define MW_REGIME_FORMAT "meldwijzer.regime/1"

typedef struct {
  char    *kind;    /* phone, email, web, post */
  char    *value;
  MwLabel  label;
  char    *id;      /* optional: how a filing names the channel (outbox manual --channel) */
  char    *source;  /* optional: where the channel's use (or its form's fields) was read */
  GStrv    form;    /* optional: the desk form's sections in its order (see mw-desk-form.h) */
  char    *pgp_fingerprint; /* optional, e-mail: the key to encrypt to */
} MwChannel;

typedef struct {
  char      *id;
  char      *role;  /* csirt, competent-authority, advisory */
  MwLabel    name;
  GPtrArray *channels;  /* MwChannel */
  char      *endpoint;  /* empty until configured */
  char      *source;
  char      *forwarded_by;        /* optional: the recipient whose desk passes reports on to this one */
  char      *forwarded_by_source; /* where that is said (required with forwarded_by) */
} MwRecipient;

typedef struct {
  char    *id;
  char    *type;    /* int, number, bool, derived */
  MwLabel  label;
  MwLabel  unit;
  MwLabel  help;
  MwExpr  *expr;    /* derived facts only */
} MwFactDef;

typedef struct {
  char    *id;
  char    *citation;        /* English: for machines (assess --json) */
  MwLabel  label;
  MwExpr  *when;
  MwLabel  citation_label;  /* for people: mw_label_get() */
  GStrv    excludes;        /* exclusions only: the criteria it lifts; NULL lifts every one */
} MwCriterion;

typedef struct {
  char    *path;
  char    *citation;
  MwLabel  label;
  MwLabel  citation_label;
} MwRequiredItem;

typedef struct {
  char    *id;
  MwLabel  label;
  gboolean has_deadline;
  gboolean without_delay;
  int      hours;
  int      days;
  int      months;
  char    *from;    /* aware_at, detected_at, started_at, resolved_at or stage:<id> */
  char    *after_progress_from;  /* once a progress report is filed, counted from this timeline field */
  GStrv    requires;  /* NULL: the full report; else exactly the answers this stage asks (Cbw art. 26) */
  GPtrArray *adds;    /* MwRequiredItem*, or NULL: answers needed on top of the full report (Cbw art. 29) */
} MwStage;

typedef struct {
  char      *id;
  char      *sector;
  MwLabel    label;
  GPtrArray *recipients;   /* MwRecipient*, borrowed from the regime */
  GPtrArray *criteria;     /* MwCriterion*, borrowed */
  GPtrArray *exclusions;   /* MwCriterion*, borrowed */
  GPtrArray *stages;       /* MwStage*, owned: with this entity type's deadline overrides */
  GPtrArray *facts;        /* MwFactDef*, borrowed: the questions to ask, in order */
} MwEntityType;

typedef struct {
  char        *id;
  MwRecipient *recipient;  /* borrowed */
  char        *citation;
  MwLabel      label;
  MwExpr      *when;
  MwStage      deadline;
  MwLabel      citation_label;
  GStrv        entity_types;  /* NULL: every entity type */
} MwAdvisory;

/* A reminder shown with a verdict (Cbw art. 30: inform the recipients of the service). */
typedef struct {
  char    *id;
  char    *verdict;   /* mandatory, undetermined or voluntary */
  char    *citation;
  MwLabel  label;
  MwLabel  citation_label;
} MwReminder;

/* A report kind that is always a voluntary report to the CSIRT (Cbw art. 33). */
typedef struct {
  char    *kind;      /* near-miss, threat */
  char    *citation;
  MwLabel  label;
  MwLabel  citation_label;
} MwVoluntaryKind;

#define MW_TYPE_REGIME (mw_regime_get_type ())
G_DECLARE_FINAL_TYPE (MwRegime, mw_regime, MW, REGIME, GObject)

MwRegime     *mw_regime_new_from_data       (const char   *data,
                                             gssize        length,
                                             const char   *source_name,
                                             GError      **error);
MwRegime     *mw_regime_new_from_file       (const char   *path,
                                             GError      **error);
MwRegime     *mw_regime_load                (const char   *id,
                                             GError      **error);
/* Ids of every regime found on the search path, sorted. */
GStrv         mw_regime_list_available      (void);
/* Starts reading every regime on the search path (@first_id, when given, first) in a thread
 * of its own, for mw_regime_load() to find them read: a program's start-up can read the law
 * while the toolkit starts. Errors are not reported here: mw_regime_load() reports them. */
void          mw_regime_preload             (const char   *first_id);
char        **mw_regime_search_path         (void);

const char   *mw_regime_get_id              (MwRegime     *self);
const char   *mw_regime_get_source_name     (MwRegime     *self);
const MwLabel *mw_regime_get_title          (MwRegime     *self);
const MwLabel *mw_regime_get_summary        (MwRegime     *self);
const char   *mw_regime_get_effective_from  (MwRegime     *self);
const char   *mw_regime_get_effective_until (MwRegime     *self);
gboolean      mw_regime_get_effective_uncertain (MwRegime *self);
const MwLabel *mw_regime_get_uncertainty    (MwRegime     *self);
GPtrArray    *mw_regime_get_sources         (MwRegime     *self); /* char* "title — url" */

GPtrArray    *mw_regime_get_recipients      (MwRegime     *self);
GPtrArray    *mw_regime_get_entity_types    (MwRegime     *self);
GPtrArray    *mw_regime_get_facts           (MwRegime     *self);
GPtrArray    *mw_regime_get_stages          (MwRegime     *self);
GPtrArray    *mw_regime_get_advisories      (MwRegime     *self);
GPtrArray    *mw_regime_get_required_items  (MwRegime     *self);
GPtrArray    *mw_regime_get_reminders       (MwRegime     *self); /* MwReminder* */
GPtrArray    *mw_regime_get_voluntary_kinds (MwRegime     *self); /* MwVoluntaryKind* */
const MwVoluntaryKind *mw_regime_find_voluntary_kind (MwRegime *self, const char *kind);

/* Whether the regime applies to an incident the entity became aware of at @aware_at: its
 * date in Europe/Amsterdam lies from effective_from up to and including effective_until. */
gboolean      mw_regime_in_force            (MwRegime     *self,
                                             GDateTime    *aware_at);
/* Of @regimes (MwRegime*), the one in force at @aware_at: @preferred_id when that one is in
 * force and has @entity_type (either may be NULL), else the first in force that has the
 * entity type, else the first in force. NULL when none is. @reason (nullable) says why, in
 * the user's language. */
MwRegime     *mw_regime_choose_in_force     (GPtrArray    *regimes,
                                             GDateTime    *aware_at,
                                             const char   *preferred_id,
                                             const char   *entity_type,
                                             char        **reason);

const MwRecipient  *mw_regime_find_recipient   (MwRegime *self, const char *id);
/* The name of recipient @id in @regime (which may be NULL), in the user's language, or @id
 * itself when the regime does not know it or gives no name. */
const char         *mw_regime_get_recipient_name (MwRegime *self, const char *id);
/* The name people call a recipient by: the abbreviation in brackets in its name ("… (NCSC)",
 * "… (RDI), for the Minister …"), or NULL when its name has none. */
char               *mw_recipient_dup_abbreviation (const MwRecipient *recipient);
/* The abbreviation, else the whole name, else the id: never NULL. */
char               *mw_recipient_dup_short_name   (const MwRecipient *recipient);
const MwEntityType *mw_regime_find_entity_type (MwRegime *self, const char *id);
const MwFactDef    *mw_regime_find_fact        (MwRegime *self, const char *id);
const MwStage      *mw_regime_find_stage       (MwRegime *self, const char *id);
/* The ids of the entity types, joined by ", " (for a message that lists the choices). */
char               *mw_regime_dup_entity_type_ids (MwRegime *self);

/* The fact vocabulary of DOMAIN.md (contract); type "int", "number", "bool" or "derived". */
const char   *mw_vocabulary_fact_type       (const char   *name);
const char * const *mw_vocabulary_fact_names (void);

G_END_DECLS
