/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-intake-trainer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-intake-trainer.h"
#include "mw-signer.h"

#define SHORT_CHARS 120

typedef struct {
  char      *report_id;
  MwReport  *report;
  GDateTime *received_at;
  GPtrArray *mailboxes;  /* char* */
} Filed;

typedef struct {
  char       *kid;
  char       *name;
  char       *registration;
  GPtrArray  *filed;     /* Filed*, in the order received */
  GHashTable *by_id;     /* report_id → Filed*, borrowed */
  guint       points;
  guint       max_points;
  GPtrArray  *findings;  /* MwExerciseFinding*, after scoring */
} Trainee;

struct _MwIntakeTrainer
{
  GObject     parent_instance;

  MwScenario *scenario;
  MwRegime   *regime;
  GDateTime  *started_at;
  guint       speed;
  GPtrArray  *trainees;  /* Trainee*, in the order first seen */
  GHashTable *by_kid;    /* kid → Trainee*, borrowed */
  guint       skipped;   /* reports that could not be read */
  GTimeZone  *amsterdam; /* times are shown in Dutch time */
};

G_DEFINE_FINAL_TYPE (MwIntakeTrainer, mw_intake_trainer, G_TYPE_OBJECT)

static void
filed_free (Filed *filed)
{
  g_free (filed->report_id);
  g_object_unref (filed->report);
  g_date_time_unref (filed->received_at);
  g_ptr_array_unref (filed->mailboxes);
  g_free (filed);
}

static void
trainee_free (Trainee *trainee)
{
  g_free (trainee->kid);
  g_free (trainee->name);
  g_free (trainee->registration);
  g_hash_table_unref (trainee->by_id);
  g_ptr_array_unref (trainee->filed);
  g_clear_pointer (&trainee->findings, g_ptr_array_unref);
  g_free (trainee);
}

static char *
cut (const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  if (g_utf8_strlen (text, SHORT_CHARS + 1) > SHORT_CHARS)
    {
      g_autofree char *head = g_utf8_substring (text, 0, SHORT_CHARS);
      return g_strconcat (head, "…", NULL);
    }
  return g_strdup (text);
}

static void
append_escaped (GString    *html,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL && *text ? text : "—", -1);

  g_string_append (html, escaped);
}

static const char *
stage_label (MwIntakeTrainer *self,
             const char      *id)
{
  const MwStage *stage = id != NULL ? mw_regime_find_stage (self->regime, id) : NULL;

  return stage != NULL ? mw_label_get (&stage->label) : id;
}

/* A NULL-terminated array of borrowed names (g_ptr_array_copy would copy the free function). */
static GPtrArray *
borrow_names (GPtrArray *mailboxes)
{
  GPtrArray *names = g_ptr_array_sized_new (mailboxes->len + 1);

  for (guint i = 0; i < mailboxes->len; i++)
    g_ptr_array_add (names, g_ptr_array_index (mailboxes, i));
  g_ptr_array_add (names, NULL);
  return names;
}

static char *
join_mailboxes (GPtrArray *mailboxes)
{
  g_autoptr(GPtrArray) names = borrow_names (mailboxes);

  return g_strjoinv (" ", (char **) names->pdata);
}

/* The mailboxes as the people behind them are called, where the regime knows them. */
static char *
recipients_text (MwIntakeTrainer *self,
                 GPtrArray       *mailboxes)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < mailboxes->len; i++)
    {
      const char *mailbox = g_ptr_array_index (mailboxes, i);
      const MwRecipient *recipient = mw_regime_find_recipient (self->regime, mailbox);

      g_ptr_array_add (names, (gpointer) (recipient != NULL ? mw_label_get (&recipient->name) : mailbox));
    }
  return mw_join_for_sentence (names);
}

static void
score (MwIntakeTrainer *self)
{
  for (guint t = 0; t < self->trainees->len; t++)
    {
      Trainee *trainee = g_ptr_array_index (self->trainees, t);
      g_autoptr(MwExercise) exercise = mw_exercise_new (self->scenario, self->regime, self->started_at, self->speed);

      for (guint i = 0; i < trainee->filed->len; i++)
        {
          Filed *filed = g_ptr_array_index (trainee->filed, i);
          g_autoptr(GPtrArray) names = borrow_names (filed->mailboxes);

          mw_exercise_add_filed (exercise, filed->report, filed->received_at,
                                 (const char * const *) names->pdata, NULL);
        }
      g_clear_pointer (&trainee->findings, g_ptr_array_unref);
      trainee->findings = mw_exercise_score (exercise, &trainee->points, &trainee->max_points);
    }
}

static void
mw_intake_trainer_finalize (GObject *object)
{
  MwIntakeTrainer *self = MW_INTAKE_TRAINER (object);

  g_clear_object (&self->scenario);
  g_clear_object (&self->regime);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->amsterdam, g_time_zone_unref);
  g_clear_pointer (&self->by_kid, g_hash_table_unref);
  g_clear_pointer (&self->trainees, g_ptr_array_unref);
  G_OBJECT_CLASS (mw_intake_trainer_parent_class)->finalize (object);
}

static void
mw_intake_trainer_class_init (MwIntakeTrainerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_intake_trainer_finalize;
}

static void
mw_intake_trainer_init (MwIntakeTrainer *self)
{
  self->trainees = g_ptr_array_new_with_free_func ((GDestroyNotify) trainee_free);
  self->by_kid = g_hash_table_new (g_str_hash, g_str_equal);
  self->amsterdam = g_time_zone_new_identifier ("Europe/Amsterdam");
  if (self->amsterdam == NULL)
    self->amsterdam = g_time_zone_new_utc ();
}

MwIntakeTrainer *
mw_intake_trainer_new (MwScenario *scenario,
                       MwRegime   *regime,
                       GDateTime  *started_at,
                       guint       speed)
{
  MwIntakeTrainer *self = g_object_new (MW_TYPE_INTAKE_TRAINER, NULL);

  self->scenario = g_object_ref (scenario);
  self->regime = g_object_ref (regime);
  self->started_at = g_date_time_ref (started_at);
  self->speed = speed;
  return self;
}

MwScenario *mw_intake_trainer_get_scenario (MwIntakeTrainer *self) { return self->scenario; }
guint mw_intake_trainer_get_n_trainees (MwIntakeTrainer *self) { return self->trainees->len; }

void
mw_intake_trainer_reset (MwIntakeTrainer *self)
{
  g_hash_table_remove_all (self->by_kid);
  g_ptr_array_set_size (self->trainees, 0);
  self->skipped = 0;
}

void
mw_intake_trainer_add (MwIntakeTrainer *self,
                       const char      *kid,
                       const char      *mailbox,
                       const char      *received_at,
                       const char      *payload,
                       gsize            length)
{
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GDateTime) received = NULL;
  const char *report_id;
  Trainee *trainee;
  Filed *filed;

  if (kid == NULL || mailbox == NULL || received_at == NULL || !mw_parse_time (received_at, &received) ||
      g_date_time_compare (received, self->started_at) < 0)
    return;
  report = mw_report_new_from_data (payload, (gssize) length, "report", NULL);
  report_id = report != NULL ? mw_report_get_report_id (report) : NULL;
  if (report_id == NULL)
    {
      self->skipped++;
      return;
    }

  trainee = g_hash_table_lookup (self->by_kid, kid);
  if (trainee == NULL)
    {
      if (self->trainees->len >= MW_INTAKE_TRAINER_MAX_TRAINEES)
        {
          self->skipped++;
          return;
        }
      trainee = g_new0 (Trainee, 1);
      trainee->kid = g_strdup (kid);
      trainee->filed = g_ptr_array_new_with_free_func ((GDestroyNotify) filed_free);
      trainee->by_id = g_hash_table_new (g_str_hash, g_str_equal);
      g_ptr_array_add (self->trainees, trainee);
      g_hash_table_insert (self->by_kid, trainee->kid, trainee);
    }
  /* The latest report names the trainee. */
  g_free (trainee->name);
  trainee->name = cut (mw_report_get_string (report, "provider.name"));
  g_free (trainee->registration);
  trainee->registration = cut (mw_report_get_string (report, "provider.registration"));

  filed = g_hash_table_lookup (trainee->by_id, report_id);
  if (filed == NULL)
    {
      if (trainee->filed->len >= MW_EXERCISE_MAX_FILED)
        {
          self->skipped++;
          return;
        }
      filed = g_new0 (Filed, 1);
      filed->report_id = g_strdup (report_id);
      filed->report = g_steal_pointer (&report);
      filed->received_at = g_steal_pointer (&received);
      filed->mailboxes = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (trainee->filed, filed);
      g_hash_table_insert (trainee->by_id, filed->report_id, filed);
    }
  if (!g_ptr_array_find_with_equal_func (filed->mailboxes, mailbox, g_str_equal, NULL))
    g_ptr_array_add (filed->mailboxes, g_strdup (mailbox));
}

void
mw_intake_trainer_append_html (MwIntakeTrainer *self,
                               GString         *html)
{
  g_autoptr(MwExercise) clock = mw_exercise_new (self->scenario, self->regime, self->started_at, self->speed);
  g_autoptr(GDateTime) local_start = g_date_time_to_timezone (self->started_at, self->amsterdam);
  g_autofree char *start = g_date_time_format (local_start, "%F %T %:z");
  const char *headings[] = {
    N_("Trainee"), N_("Registration"), N_("Key"), N_("Reports"), N_("Score"), N_("To discuss"),
  };

  score (self);

  g_string_append (html, "<section><h2>");
  append_escaped (html, _("Training session"));
  g_string_append (html, ": ");
  append_escaped (html, mw_label_get (mw_scenario_get_title (self->scenario)));
  g_string_append (html, "</h2>\n<p>");
  {
    g_autofree char *line = g_strdup_printf (_("Scenario “%s”, started %s, time runs %u× as fast · %u trainee(s)."),
                                             mw_scenario_get_id (self->scenario), start, self->speed,
                                             self->trainees->len);
    append_escaped (html, line);
  }
  g_string_append (html, "</p>\n<p>");
  append_escaped (html, _("Reports do not name their scenario: every report received since the start is scored against this session's scenario. A trainee is the key that signed the report."));
  g_string_append (html, "</p>\n");

  if (self->trainees->len == 0)
    {
      g_string_append (html, "<p>");
      append_escaped (html, _("Nothing received yet."));
      g_string_append (html, "</p></section>\n");
      return;
    }

  g_string_append (html, "<table>\n<tr>");
  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    {
      g_string_append (html, "<th>");
      append_escaped (html, _(headings[i]));
      g_string_append (html, "</th>");
    }
  g_string_append (html, "</tr>\n");

  for (guint t = 0; t < self->trainees->len; t++)
    {
      Trainee *trainee = g_ptr_array_index (self->trainees, t);
      g_autofree char *key = mw_thumbprint_format (trainee->kid);
      g_autofree char *score_text = g_strdup_printf ("%u / %u", trainee->points, trainee->max_points);

      g_string_append (html, "<tr><td>");
      append_escaped (html, trainee->name);
      g_string_append (html, "</td><td>");
      append_escaped (html, trainee->registration);
      g_string_append (html, "</td><td><code>");
      append_escaped (html, key != NULL ? key : trainee->kid);
      g_string_append (html, "</code></td><td><ul>");
      for (guint i = 0; i < trainee->filed->len; i++)
        {
          Filed *filed = g_ptr_array_index (trainee->filed, i);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (filed->received_at, self->amsterdam);
          g_autofree char *when = g_date_time_format (local, "%H:%M:%S");
          g_autofree char *to = recipients_text (self, filed->mailboxes);
          g_autofree char *line = g_strdup_printf (_("%s at %s (scenario minute %u) to %s"),
                                                   stage_label (self, mw_report_get_stage (filed->report)),
                                                   when, mw_exercise_get_minutes (clock, filed->received_at), to);
          g_string_append (html, "<li>");
          append_escaped (html, line);
          g_string_append (html, "</li>");
        }
      g_string_append (html, "</ul></td><td>");
      append_escaped (html, score_text);
      g_string_append (html, "</td><td><ul>");
      for (guint i = 0; i < trainee->findings->len; i++)
        {
          MwExerciseFinding *finding = g_ptr_array_index (trainee->findings, i);
          if (finding->ok)
            continue;
          g_string_append (html, "<li>");
          append_escaped (html, finding->text);
          g_string_append (html, "</li>");
        }
      g_string_append (html, "</ul></td></tr>\n");
    }
  g_string_append (html, "</table>\n");
  if (self->skipped > 0)
    {
      g_autofree char *line = g_strdup_printf (_("%u report(s) could not be read or were beyond the limits and are not shown."),
                                               self->skipped);
      g_string_append (html, "<p>");
      append_escaped (html, line);
      g_string_append (html, "</p>\n");
    }
  g_string_append (html, "</section>\n");
}

/* RFC 4180, and a cell that a spreadsheet would run as a formula is prefixed with "'". */
static void
append_csv (GString    *csv,
            const char *text,
            gboolean    last)
{
  g_string_append_c (csv, '"');
  if (text != NULL && strchr ("=+-@\t\r", text[0]) != NULL && text[0] != '\0')
    g_string_append_c (csv, '\'');
  for (const char *c = text != NULL ? text : ""; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *c);
    }
  g_string_append (csv, last ? "\"\r\n" : "\",");
}

char *
mw_intake_trainer_to_csv (MwIntakeTrainer *self)
{
  GString *csv = g_string_new (NULL);
  g_autoptr(MwExercise) clock = mw_exercise_new (self->scenario, self->regime, self->started_at, self->speed);
  static const char * const header[] = {
    "scenario", "trainee_key", "registration", "provider", "report_id", "stage",
    "received_at", "scenario_minute", "recipients", "score", "max_score",
  };

  score (self);
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    append_csv (csv, header[i], i + 1 == G_N_ELEMENTS (header));

  for (guint t = 0; t < self->trainees->len; t++)
    {
      Trainee *trainee = g_ptr_array_index (self->trainees, t);
      g_autofree char *points = g_strdup_printf ("%u", trainee->points);
      g_autofree char *max_points = g_strdup_printf ("%u", trainee->max_points);
      g_autofree char *key = mw_thumbprint_format (trainee->kid);

      for (guint i = 0; i < trainee->filed->len; i++)
        {
          Filed *filed = g_ptr_array_index (trainee->filed, i);
          g_autofree char *when = g_date_time_format_iso8601 (filed->received_at);
          g_autofree char *minute = g_strdup_printf ("%u", mw_exercise_get_minutes (clock, filed->received_at));
          g_autofree char *to = join_mailboxes (filed->mailboxes);

          append_csv (csv, mw_scenario_get_id (self->scenario), FALSE);
          append_csv (csv, key != NULL ? key : trainee->kid, FALSE);
          append_csv (csv, trainee->registration, FALSE);
          append_csv (csv, trainee->name, FALSE);
          append_csv (csv, filed->report_id, FALSE);
          append_csv (csv, mw_report_get_stage (filed->report), FALSE);
          append_csv (csv, when, FALSE);
          append_csv (csv, minute, FALSE);
          append_csv (csv, to, FALSE);
          append_csv (csv, points, FALSE);
          append_csv (csv, max_points, TRUE);
        }
    }
  return g_string_free (csv, FALSE);
}
