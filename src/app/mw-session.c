/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwSession"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mw-error.h"
#include "mw-json.h"
#include "mw-label.h"
#include "mw-context.h"
#include "mw-export.h"
#include "mw-jws.h"
#include "mw-session.h"

#define AUTOSAVE_DELAY_MS 300
#define PROFILE_MAX_BYTES (256 * 1024)

struct _MwSession
{
  GObject       parent_instance;

  char         *data_dir;
  MwContext    *context;
  GPtrArray    *regimes;       /* every installed regime, loaded once, for the law in force */
  char         *law_reason;    /* why the report's law applies, in the user's language */
  char         *law_choice;    /* the law the officer chose for this report, or NULL */
  MwRegime     *other_law;     /* the other law when the incident straddles a change */
  MwSigner     *signer;
  MwProfile    *profile;
  MwRegime     *regime;
  MwAssessor   *assessor;
  MwReport     *report;
  MwAssessment *assessment;
  guint         autosave_id;
  guint         dirty : 1;
  guint         has_profile : 1;
  guint         submitted : 1;
};

G_DEFINE_FINAL_TYPE (MwSession, mw_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REPORT,
  PROP_ASSESSMENT,
  PROP_TRAINING,
  PROP_REGIME,
  PROP_SUBMITTED,
  PROP_SIGNER,
  N_PROPS
};

enum {
  REPORT_CHANGED,
  PROFILE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void report_changed_cb (MwSession  *self,
                               const char *path,
                               MwReport   *report);
static void reassess          (MwSession  *self);

static void
profile_changed_cb (MwSession *self)
{
  g_signal_emit (self, signals[PROFILE_CHANGED], 0);
}

static void
mw_session_dispose (GObject *object)
{
  MwSession *self = MW_SESSION (object);

  if (self->autosave_id != 0 && self->dirty)
    {
      g_autoptr(GError) error = NULL;

      if (!mw_session_flush (self, &error))
        g_warning ("Could not save the draft: %s", error->message);
    }
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  g_clear_object (&self->assessment);
  if (self->report != NULL)
    g_signal_handlers_disconnect_by_func (self->report, report_changed_cb, self);
  g_clear_object (&self->report);
  g_clear_object (&self->context);
  g_clear_pointer (&self->regimes, g_ptr_array_unref);
  g_clear_object (&self->other_law);
  g_clear_object (&self->signer);
  g_clear_object (&self->assessor);
  g_clear_object (&self->regime);

  G_OBJECT_CLASS (mw_session_parent_class)->dispose (object);
}

static void
mw_session_finalize (GObject *object)
{
  MwSession *self = MW_SESSION (object);

  g_clear_object (&self->profile);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->law_reason, g_free);
  g_clear_pointer (&self->law_choice, g_free);

  G_OBJECT_CLASS (mw_session_parent_class)->finalize (object);
}

static void
mw_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MwSession *self = MW_SESSION (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    case PROP_ASSESSMENT:
      g_value_set_object (value, self->assessment);
      break;
    case PROP_TRAINING:
      g_value_set_boolean (value, mw_session_get_training (self));
      break;
    case PROP_REGIME:
      g_value_set_object (value, self->regime);
      break;
    case PROP_SUBMITTED:
      g_value_set_boolean (value, self->submitted);
      break;
    case PROP_SIGNER:
      g_value_set_object (value, self->signer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MwSession *self = MW_SESSION (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      mw_session_set_report (self, g_value_get_object (value));
      break;
    case PROP_TRAINING:
      mw_session_set_training (self, g_value_get_boolean (value));
      break;
    case PROP_SUBMITTED:
      mw_session_set_submitted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_session_class_init (MwSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_session_dispose;
  object_class->finalize = mw_session_finalize;
  object_class->get_property = mw_session_get_property;
  object_class->set_property = mw_session_set_property;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, MW_TYPE_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ASSESSMENT] =
    g_param_spec_object ("assessment", NULL, NULL, MW_TYPE_ASSESSMENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGIME] =
    g_param_spec_object ("regime", NULL, NULL, MW_TYPE_REGIME,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBMITTED] =
    g_param_spec_boolean ("submitted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNER] =
    g_param_spec_object ("signer", NULL, NULL, MW_TYPE_SIGNER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REPORT_CHANGED] =
    g_signal_new ("report-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROFILE_CHANGED] =
    g_signal_new ("profile-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mw_session_init (MwSession *self)
{
  self->profile = mw_profile_new ();
  g_signal_connect_swapped (self->profile, "notify", G_CALLBACK (profile_changed_cb), self);
  g_signal_connect_swapped (mw_profile_get_services (self->profile), "items-changed",
                            G_CALLBACK (profile_changed_cb), self);
  /* The store opens on first use: $MELDWIJZER_DB or the user data dir. */
  self->context = mw_context_new (NULL);
}

MwSession *
mw_session_new (const char *data_dir)
{
  MwSession *self = g_object_new (MW_TYPE_SESSION, NULL);

  if (data_dir != NULL)
    self->data_dir = g_strdup (data_dir);
  else
    self->data_dir = g_build_filename (g_get_user_data_dir (), "meldwijzer", NULL);
  return self;
}

const char *
mw_session_get_data_dir (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->data_dir;
}

/* Profile ------------------------------------------------------------------------------ */

MwContext *
mw_session_get_context (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->context;
}

gboolean
mw_session_load_profile (MwSession  *self,
                         GError    **error)
{
  g_autofree char *stored = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(MwProfile) loaded = NULL;

  g_return_val_if_fail (MW_IS_SESSION (self), FALSE);

  stored = mw_context_load_profile (self->context, &local_error);
  if (stored == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND, _("No organisation profile yet."));
      return FALSE;
    }
  node = mw_json_parse (stored, -1, _("organisation profile"), error);
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The stored organisation profile is not a JSON object. Set up the profile again."));
      return FALSE;
    }
  loaded = mw_profile_new_from_json (json_node_get_object (node), error);
  if (loaded == NULL)
    return FALSE;

  mw_profile_assign (self->profile, loaded);
  self->has_profile = TRUE;

  if (!mw_session_set_regime_id (self, mw_profile_get_regime (self->profile), error))
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
  g_signal_emit (self, signals[PROFILE_CHANGED], 0);
  return TRUE;
}

gboolean
mw_session_save_profile (MwSession  *self,
                         GError    **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (MW_IS_SESSION (self), FALSE);

  object = mw_profile_to_json (self->profile);
  node = json_node_init_object (json_node_alloc (), object);
  text = mw_json_to_canonical (node);
  if (!mw_context_save_profile (self->context, text, error))
    return FALSE;
  self->has_profile = TRUE;
  return TRUE;
}

gboolean
mw_session_has_profile (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), FALSE);
  return self->has_profile;
}

/**
 * mw_session_get_profile:
 *
 * Returns: (transfer none): the organisation profile, the same object for the session's life
 */
MwProfile *
mw_session_get_profile (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->profile;
}

/* Regime ------------------------------------------------------------------------------- */

/* A report under @regime takes one of its stages: a stage the law does not have (a new
 * report starts as an early warning, which the Wbni does not know) becomes the law's first. */
static void
derive_stage (MwRegime *regime,
              MwReport *report)
{
  GPtrArray *stages = mw_regime_get_stages (regime);
  const char *stage = mw_report_get_stage (report);
  const MwStage *first;

  if (stages->len == 0 || (stage != NULL && mw_regime_find_stage (regime, stage) != NULL))
    return;
  first = g_ptr_array_index (stages, 0);
  mw_report_set_string (report, "stage", first->id);
}

gboolean
mw_session_set_regime_id (MwSession   *self,
                          const char  *regime_id,
                          GError     **error)
{
  g_autoptr(MwRegime) regime = NULL;

  g_return_val_if_fail (MW_IS_SESSION (self), FALSE);
  g_return_val_if_fail (regime_id != NULL, FALSE);

  if (self->regime != NULL && g_strcmp0 (mw_regime_get_id (self->regime), regime_id) == 0)
    return TRUE;

  regime = mw_regime_load (regime_id, error);
  if (regime == NULL)
    return FALSE;

  g_set_object (&self->regime, regime);
  g_clear_object (&self->assessor);
  self->assessor = mw_assessor_new (regime);
  mw_profile_set_regime (self->profile, regime_id);
  /* The report being written follows the law, its stage too; a sent one stays as sent. */
  if (self->report != NULL && !self->submitted)
    {
      mw_report_set_string (self->report, "regime", regime_id);
      derive_stage (regime, self->report);
    }
  reassess (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGIME]);
  return TRUE;
}

MwRegime *
mw_session_get_regime (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->regime;
}

MwAssessor *
mw_session_get_assessor (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->assessor;
}

const MwEntityType *
mw_session_get_entity_type (MwSession *self)
{
  const char *id;

  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  if (self->regime == NULL)
    return NULL;
  id = mw_profile_get_entity_type (self->profile);
  if (id == NULL)
    return NULL;
  return mw_regime_find_entity_type (self->regime, id);
}

/* Mode --------------------------------------------------------------------------------- */

gboolean
mw_session_get_training (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), TRUE);
  return mw_profile_get_training (self->profile);
}

void
mw_session_set_training (MwSession *self,
                         gboolean   training)
{
  g_return_if_fail (MW_IS_SESSION (self));

  training = !!training;
  if (mw_session_get_training (self) == training)
    return;
  mw_profile_set_training (self->profile, training);
  if (self->report != NULL && !self->submitted)
    {
      mw_report_set_training (self->report, training);
      mw_session_report_changed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

/* Report ------------------------------------------------------------------------------- */

static GPtrArray *
get_regimes (MwSession *self)
{
  g_auto(GStrv) ids = NULL;

  if (self->regimes != NULL)
    return self->regimes;
  self->regimes = g_ptr_array_new_with_free_func (g_object_unref);
  ids = mw_regime_list_available ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      MwRegime *regime = mw_regime_load (ids[i], &error);

      if (regime != NULL)
        g_ptr_array_add (self->regimes, regime);
      else
        g_debug ("Regime %s left out: %s", ids[i], error->message);
    }
  return self->regimes;
}

/* The report takes the law in force when the entity became aware (DOMAIN.md): the
 * organisation's law when it was in force then, else the one that was; or the law the
 * officer chose, when the incident straddles a change of law (it started under one and
 * became known under the other). The profile keeps the organisation's law. */
static void
follow_law_in_force (MwSession *self)
{
  g_autoptr(GDateTime) aware_at = NULL;
  g_autoptr(GDateTime) started_at = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *started_reason = NULL;
  const char *preferred = mw_profile_get_regime (self->profile);
  const char *entity_type;
  MwRegime *chosen = NULL;
  MwRegime *at_start = NULL;

  if (self->report == NULL || self->submitted ||
      !mw_parse_time (mw_report_get_string (self->report, "timeline.aware_at"), &aware_at))
    {
      g_clear_pointer (&self->law_reason, g_free);
      g_clear_object (&self->other_law);
      return;
    }
  entity_type = mw_profile_get_entity_type (self->profile);
  chosen = mw_regime_choose_in_force (get_regimes (self), aware_at, preferred, entity_type, &reason);

  /* Straddling: the law in force when it started differs from the one when it became known. */
  if (mw_parse_time (mw_report_get_string (self->report, "timeline.started_at"), &started_at))
    at_start = mw_regime_choose_in_force (get_regimes (self), started_at, preferred, entity_type, &started_reason);
  if (chosen != NULL && at_start != NULL && at_start != chosen)
    {
      if (self->law_choice != NULL && g_str_equal (self->law_choice, mw_regime_get_id (at_start)))
        {
          MwRegime *swap = chosen;

          chosen = at_start;
          at_start = swap;
          g_free (reason);
          reason = g_strdup (_("You chose this law: the incident started before the change of law."));
        }
      g_set_object (&self->other_law, at_start);
    }
  else
    g_clear_object (&self->other_law);

  g_free (self->law_reason);
  self->law_reason = g_steal_pointer (&reason);
  if (chosen == NULL || (self->regime != NULL && g_str_equal (mw_regime_get_id (chosen), mw_regime_get_id (self->regime))))
    return;

  g_set_object (&self->regime, chosen);
  g_clear_object (&self->assessor);
  self->assessor = mw_assessor_new (chosen);
  mw_report_set_string (self->report, "regime", mw_regime_get_id (chosen));
  derive_stage (chosen, self->report);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGIME]);
}

static void
reassess (MwSession *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAssessment) assessment = NULL;

  follow_law_in_force (self);
  if (self->assessor != NULL && self->report != NULL &&
      mw_report_get_entity_type (self->report) != NULL)
    {
      assessment = mw_assessor_assess (self->assessor, self->report, &error);
      if (assessment == NULL)
        g_debug ("Could not assess the report: %s", error->message);
    }
  if (g_set_object (&self->assessment, assessment))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSESSMENT]);
}

MwReport *
mw_session_get_report (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->report;
}

void
mw_session_set_report (MwSession *self,
                       MwReport  *report)
{
  g_return_if_fail (MW_IS_SESSION (self));
  g_return_if_fail (!report || MW_IS_REPORT (report));

  if (self->report == report)
    return;
  if (self->report != NULL)
    g_signal_handlers_disconnect_by_func (self->report, report_changed_cb, self);
  g_set_object (&self->report, report);
  if (self->report != NULL)
    g_signal_connect_object (self->report, "changed", G_CALLBACK (report_changed_cb),
                             self, G_CONNECT_SWAPPED);
  self->submitted = FALSE;
  g_clear_pointer (&self->law_choice, g_free);
  reassess (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBMITTED]);
}

MwReport *
mw_session_create_report (MwSession *self)
{
  MwReport *report;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *created = mw_format_time (now);

  g_return_val_if_fail (MW_IS_SESSION (self), NULL);

  report = mw_report_new ();
  if (self->regime != NULL)
    {
      mw_report_set_string (report, "regime", mw_regime_get_id (self->regime));
      derive_stage (self->regime, report);
    }
  mw_report_set_string (report, "created_at", created);
  mw_profile_apply_to_report (self->profile, report);
  mw_report_set_training (report, mw_session_get_training (self));

  return report;
}

static gboolean
autosave_cb (gpointer user_data)
{
  MwSession *self = MW_SESSION (user_data);
  g_autoptr(GError) error = NULL;

  self->autosave_id = 0;
  if (!mw_session_flush (self, &error))
    g_warning ("Could not save the draft: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
report_changed_cb (MwSession  *self,
                   const char *path,
                   MwReport   *report)
{
  mw_session_report_changed (self);
}

void
mw_session_report_changed (MwSession *self)
{
  g_return_if_fail (MW_IS_SESSION (self));

  if (self->report == NULL)
    return;
  reassess (self);
  self->dirty = TRUE;
  if (self->autosave_id == 0)
    self->autosave_id = g_timeout_add (AUTOSAVE_DELAY_MS, autosave_cb, self);
  g_signal_emit (self, signals[REPORT_CHANGED], 0);
}

MwAssessment *
mw_session_get_assessment (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->assessment;
}

char *
mw_session_dup_recipient_names (MwSession *self)
{
  GPtrArray *recipients;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (MW_IS_SESSION (self), NULL);

  if (self->assessment == NULL)
    return NULL;
  recipients = mw_assessment_get_recipients (self->assessment);
  for (guint i = 0; i < recipients->len; i++)
    {
      const MwRecipient *recipient = g_ptr_array_index (recipients, i);

      g_ptr_array_add (names, g_ascii_strup (recipient->id, -1));
    }
  if (names->len == 0)
    return NULL;
  return mw_join_for_sentence (names);
}

/* Autosave ----------------------------------------------------------------------------- */

gboolean
mw_session_flush (MwSession  *self,
                  GError    **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (MW_IS_SESSION (self), FALSE);

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (self->report == NULL || !self->dirty || self->submitted)
    return TRUE;

  text = mw_report_to_json (self->report);
  if (!mw_context_save_draft (self->context, text, error))
    return FALSE;
  self->dirty = FALSE;
  return TRUE;
}

gboolean
mw_session_restore_draft (MwSession  *self,
                          GError    **error)
{
  g_autofree char *newest = NULL;
  g_autoptr(MwReport) report = NULL;

  g_return_val_if_fail (MW_IS_SESSION (self), FALSE);

  newest = mw_context_load_newest_draft (self->context, error);
  if (newest == NULL)
    return FALSE;
  report = mw_report_new_from_data (newest, -1, _("saved draft"), error);
  if (report == NULL)
    return FALSE;
  mw_session_set_report (self, report);
  return TRUE;
}

void
mw_session_discard_draft (MwSession *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MW_IS_SESSION (self));

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  self->dirty = FALSE;
  if (self->report == NULL)
    return;
  if (!mw_context_discard_draft (self->context, mw_report_get_report_id (self->report), &error) &&
      !g_error_matches (error, MW_ERROR, MW_ERROR_NOT_FOUND))
    g_warning ("Could not remove the draft: %s", error->message);
}

gboolean
mw_session_get_dirty (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), FALSE);
  return self->dirty;
}

gboolean
mw_session_get_submitted (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), FALSE);
  return self->submitted;
}

void
mw_session_set_submitted (MwSession *self,
                          gboolean   submitted)
{
  g_return_if_fail (MW_IS_SESSION (self));

  submitted = !!submitted;
  if (self->submitted == submitted)
    return;
  self->submitted = submitted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBMITTED]);
}

MwSigner *
mw_session_get_signer (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->signer;
}

void
mw_session_set_signer (MwSession *self,
                       MwSigner  *signer)
{
  g_return_if_fail (MW_IS_SESSION (self));
  if (g_set_object (&self->signer, signer))
    {
      mw_context_set_signer (self->context, signer);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNER]);
    }
}

GStrv
mw_session_dup_recipient_ids (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);

  if (self->report == NULL)
    return g_new0 (char *, 1);
  return mw_filing_dup_recipients (self->report, self->regime, NULL);
}

/* Submit ------------------------------------------------------------------------------- */

static void
release_application (gpointer data)
{
  g_application_release (data);
  g_object_unref (data);
}

static void
filed_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MwSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;

  jws = mw_filing_submit_finish (MW_FILING (source), result, &error);
  if (jws == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  mw_session_set_submitted (self, TRUE);
  g_task_return_boolean (task, TRUE);
}

void
mw_session_submit_async (MwSession           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MW_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_session_submit_async);

  if (self->report == NULL)
    {
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_INVALID, _("There is no report to send."));
      return;
    }
  if (self->submitted)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->signer == NULL)
    {
      g_task_return_new_error (task, MW_CRYPTO_ERROR, MW_CRYPTO_ERROR_KEYRING,
                               _("The signing key is not loaded. Unlock your keyring and try again."));
      return;
    }

  /* Save the draft first: if signing or storing fails, nothing typed is lost. */
  self->dirty = TRUE;
  if (!mw_session_flush (self, &error) || !mw_context_open (self->context, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The application stays up until the report is stored, even if its window closes. */
  if (g_application_get_default () != NULL)
    {
      GApplication *application = g_application_get_default ();

      g_application_hold (application);
      g_task_set_task_data (task, g_object_ref (application), release_application);
    }
  mw_filing_submit_async (mw_context_get_filing (self->context), self->report, self->regime, self->signer,
                          cancellable, filed_cb, g_steal_pointer (&task));
}

gboolean
mw_session_submit_finish (MwSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_session_start_new_report (MwSession *self)
{
  g_autoptr(MwReport) report = NULL;

  g_return_if_fail (MW_IS_SESSION (self));

  report = mw_session_create_report (self);
  mw_session_set_report (self, report);
}

/* Delivery ----------------------------------------------------------------------------- */

MwOutbox *
mw_session_get_outbox (MwSession  *self,
                       GError    **error)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);

  if (!mw_context_open (self->context, error))
    return NULL;
  return mw_context_get_outbox (self->context);
}

guint
mw_session_resume_deliveries (MwSession *self)
{
  g_autoptr(GError) error = NULL;
  MwOutbox *outbox;

  g_return_val_if_fail (MW_IS_SESSION (self), 0);

  outbox = mw_session_get_outbox (self, &error);
  if (outbox == NULL)
    {
      g_warning ("Could not resume deliveries: %s", error->message);
      return 0;
    }
  return mw_outbox_start (outbox);
}

void
mw_session_shutdown (MwSession *self)
{
  g_return_if_fail (MW_IS_SESSION (self));
  mw_context_shutdown (self->context);
}

/* The PDF record ---------------------------------------------------------------------------- */

GBytes *
mw_session_dup_pdf_record (MwSession   *self,
                           const char  *incident_id,
                           const char  *report_id,
                           GError     **error)
{
  MwIncidents *incidents;
  g_autofree char *jws = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(JsonNode) history = NULL;
  JsonArray *reports, *deliveries = NULL;

  g_return_val_if_fail (MW_IS_SESSION (self), NULL);

  if (!mw_context_open (self->context, error))
    return NULL;
  incidents = mw_context_get_incidents (self->context);
  jws = mw_context_dup_signed_report (self->context, report_id, error);
  if (jws == NULL || !mw_jws_parse (jws, NULL, NULL, &payload, error))
    return NULL;
  report = mw_report_new_from_data (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), report_id, error);
  if (report == NULL || !mw_incidents_reload (incidents, error))
    return NULL;
  history = mw_incidents_dup_history (incidents, incident_id, error);
  if (history == NULL)
    return NULL;
  reports = json_object_get_array_member (json_node_get_object (history), "reports");
  for (guint i = 0; i < json_array_get_length (reports); i++)
    {
      JsonObject *entry = json_array_get_object_element (reports, i);

      if (g_strcmp0 (mw_json_get_string (entry, "report_id"), report_id) == 0)
        deliveries = json_object_get_array_member (entry, "deliveries");
    }
  return mw_export_pdf_record (report, self->regime, jws, deliveries,
                               json_object_get_array_member (json_node_get_object (history), "decisions"),
                               error);
}

/* The law in force ---------------------------------------------------------------------------- */

const char *
mw_session_get_law_reason (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->law_reason;
}

MwRegime *
mw_session_get_other_law (MwSession *self)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  return self->other_law;
}

void
mw_session_choose_law (MwSession  *self,
                       const char *regime_id)
{
  g_return_if_fail (MW_IS_SESSION (self));

  if (g_strcmp0 (self->law_choice, regime_id) == 0)
    return;
  g_free (self->law_choice);
  self->law_choice = g_strdup (regime_id);
  reassess (self);
}
