/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-incident-item"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-incident-item-private.h"
#include "mw-term.h"

struct _MwIncidentItem
{
  GObject    parent_instance;

  char      *incident_id;
  char      *summary;
  char      *regime;
  char      *stage;
  gboolean   training;
  char      *next_stage;
  GDateTime *next_due;
  gboolean   overdue;
  char      *next_extension;
  char      *recipients;
  char      *search_text;
};

G_DEFINE_FINAL_TYPE (MwIncidentItem, mw_incident_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INCIDENT_ID,
  PROP_SUMMARY,
  PROP_STAGE,
  PROP_NEXT_STAGE,
  PROP_OVERDUE,
  PROP_RECIPIENTS,
  PROP_SEARCH_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mw_incident_item_finalize (GObject *object)
{
  MwIncidentItem *self = MW_INCIDENT_ITEM (object);

  g_free (self->incident_id);
  g_free (self->summary);
  g_free (self->regime);
  g_free (self->stage);
  g_free (self->next_stage);
  g_clear_pointer (&self->next_due, g_date_time_unref);
  g_free (self->next_extension);
  g_free (self->recipients);
  g_free (self->search_text);
  G_OBJECT_CLASS (mw_incident_item_parent_class)->finalize (object);
}

static void
mw_incident_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MwIncidentItem *self = MW_INCIDENT_ITEM (object);

  switch (prop_id)
    {
    case PROP_INCIDENT_ID:
      g_value_set_string (value, self->incident_id);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_STAGE:
      g_value_set_string (value, self->stage);
      break;
    case PROP_NEXT_STAGE:
      g_value_set_string (value, self->next_stage);
      break;
    case PROP_OVERDUE:
      g_value_set_boolean (value, self->overdue);
      break;
    case PROP_RECIPIENTS:
      g_value_set_string (value, self->recipients);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_incident_item_class_init (MwIncidentItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_incident_item_finalize;
  object_class->get_property = mw_incident_item_get_property;

  properties[PROP_INCIDENT_ID] =
    g_param_spec_string ("incident-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAGE] =
    g_param_spec_string ("stage", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_STAGE] =
    g_param_spec_string ("next-stage", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OVERDUE] =
    g_param_spec_boolean ("overdue", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECIPIENTS] =
    g_param_spec_string ("recipients", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_incident_item_init (MwIncidentItem *self)
{
}

MwIncidentItem *
mw_incident_item_new (const char *incident_id,
                      const char *summary,
                      const char *regime,
                      const char *stage,
                      gboolean    training,
                      const char *next_stage,
                      GDateTime  *next_due,
                      gboolean    overdue,
                      const char *next_extension,
                      const char *recipients)
{
  MwIncidentItem *self = g_object_new (MW_TYPE_INCIDENT_ITEM, NULL);

  self->incident_id = g_strdup (incident_id);
  self->summary = g_strdup (summary);
  self->regime = g_strdup (regime);
  self->stage = g_strdup (stage);
  self->training = training;
  self->next_stage = g_strdup (next_stage);
  self->next_due = next_due != NULL ? g_date_time_ref (next_due) : NULL;
  self->overdue = overdue;
  self->next_extension = g_strdup (next_extension);
  self->recipients = g_strdup (recipients);
  self->search_text = g_strjoin (" ", summary != NULL ? summary : "", incident_id,
                                 stage != NULL ? stage : "",
                                 recipients != NULL ? recipients : "", NULL);
  return self;
}

const char *mw_incident_item_get_incident_id (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), NULL); return self->incident_id; }
const char *mw_incident_item_get_summary     (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), NULL); return self->summary; }
const char *mw_incident_item_get_regime      (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), NULL); return self->regime; }
const char *mw_incident_item_get_stage       (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), NULL); return self->stage; }
gboolean    mw_incident_item_get_training    (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), FALSE); return self->training; }
const char *mw_incident_item_get_next_stage  (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), NULL); return self->next_stage; }
GDateTime  *mw_incident_item_get_next_due    (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), NULL); return self->next_due; }
const char *mw_incident_item_get_next_extension (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), NULL); return self->next_extension; }
gboolean    mw_incident_item_get_overdue     (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), FALSE); return self->overdue; }
const char *mw_incident_item_get_recipients  (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), NULL); return self->recipients; }
const char *mw_incident_item_get_search_text (MwIncidentItem *self) { g_return_val_if_fail (MW_IS_INCIDENT_ITEM (self), NULL); return self->search_text; }

char *
mw_format_time_left (GDateTime *due,
                     GDateTime *now)
{
  GTimeSpan span;
  gboolean late;
  gint64 hours, days;
  g_autofree char *days_text = NULL;
  g_autofree char *hours_text = NULL;
  g_autofree char *amount = NULL;

  g_return_val_if_fail (due != NULL && now != NULL, NULL);

  span = g_date_time_difference (due, now);
  late = span < 0;
  if (late)
    span = -span;
  /* Whole hours, rounded down: never promise more time than there is. */
  hours = span / G_TIME_SPAN_HOUR;
  if (hours == 0)
    return g_strdup (late ? _("overdue by less than an hour") : _("less than an hour left"));
  days = hours / 24;
  hours %= 24;
  if (days > 0)
    days_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", days), (int) days);
  if (hours > 0)
    hours_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", hours), (int) hours);
  if (days_text != NULL && hours_text != NULL)
    /* Translators: a duration, e.g. "2 days 5 hours" */
    amount = g_strdup_printf (_("%s %s"), days_text, hours_text);
  else
    amount = g_strdup (days_text != NULL ? days_text : hours_text);
  /* Translators: %s is a duration such as "2 days 5 hours" */
  return g_strdup_printf (late ? _("overdue by %s") : _("%s left"), amount);
}

char *
mw_format_deadline (GDateTime *due,
                    GDateTime *now)
{
  g_autoptr(GDateTime) dutch = NULL;
  g_autofree char *when = NULL;
  g_autofree char *left = NULL;

  g_return_val_if_fail (due != NULL && now != NULL, NULL);

  dutch = mw_to_dutch_time (due);
  /* A term that ends at the end of a day ends at 00:00 of the next: shown as 24:00. */
  when = mw_format_due (due, g_date_time_get_hour (dutch) == 0 && g_date_time_get_minute (dutch) == 0 &&
                             g_date_time_get_second (dutch) == 0);
  left = mw_format_time_left (due, now);
  /* Translators: a deadline and the time left, "2027-04-26 24:00 +02:00 (2 days 5 hours left)" */
  return g_strdup_printf (_("%s (%s)"), when, left);
}

int
mw_deadline_reminder_step (GDateTime *due,
                           GDateTime *now)
{
  static const int steps[] = { 0, 1, 4, 24 };
  GTimeSpan left;

  g_return_val_if_fail (due != NULL && now != NULL, -1);

  left = g_date_time_difference (due, now);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (left <= steps[i] * G_TIME_SPAN_HOUR)
      return steps[i];
  return -1;
}
