/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-exercise-window"

#include "config.h"

#include <glib/gi18n.h>

#include "mw-exercise-window.h"
#include "mw-incidents.h"
#include "mw-label.h"
#include "mw-window.h"

/* Three pages in a stack: "choose" (the safety statement, scenarios, speed), "run" (the
 * safety statement again, the scenario clock, the injects so far, File a report, Finish)
 * and "score" (points and every finding, with the law). Finishing reloads the incidents in
 * a worker thread, collects the training reports delivered since the start, and scores. */

static const guint speeds[] = { 1, 10, 60 };

struct _MwExerciseWindow
{
  AdwWindow     parent_instance;

  MwSession    *session;
  GPtrArray    *scenarios;     /* MwScenario* */
  GtkStack     *stack;
  GtkListBox   *scenario_list;
  GtkCheckButton *first_check;
  GPtrArray    *checks;        /* GtkCheckButton*, borrowed, parallel to scenarios */
  AdwComboRow  *speed_row;
  GtkLabel     *run_title;
  GtkLabel     *clock_label;
  GtkListBox   *inject_list;
  GtkLabel     *score_label;
  GtkListBox   *finding_list;
  MwExercise   *exercise;
  guint         n_shown;
  guint         tick_id;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MwExerciseWindow, mw_exercise_window, ADW_TYPE_WINDOW)

static GtkWidget *
safety_label (void)
{
  GtkWidget *label = gtk_label_new (_("An exercise can never reach a live mailbox: its reports are marked as training and go only to training endpoints — the practice intake on this computer or your trainer's — which sign receipts with keys of their own; a live mailbox refuses training reports."));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "card");
  gtk_widget_set_margin_bottom (label, 12);
  return label;
}

static GtkWidget *
text_row (const char *title,
          const char *subtitle,
          const char *icon)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (icon != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  return row;
}

static GtkWidget *
page_box (GtkWidget **box_out)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  *box_out = box;
  return scrolled;
}

static GtkListBox *
boxed_list (GtkWidget *box)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (box), list);
  return GTK_LIST_BOX (list);
}

static gboolean
on_tick (gpointer user_data)
{
  MwExerciseWindow *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  mw_exercise_window_tick (self, now);
  return G_SOURCE_CONTINUE;
}

static void
on_start_clicked (MwExerciseWindow *self)
{
  g_autoptr(GError) error = NULL;
  guint speed = speeds[MIN (adw_combo_row_get_selected (self->speed_row), G_N_ELEMENTS (speeds) - 1)];

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      {
        MwScenario *scenario = g_ptr_array_index (self->scenarios, i);

        if (!mw_exercise_window_start (self, mw_scenario_get_id (scenario), speed, &error))
          {
            GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The exercise cannot start"), error->message);
            adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
            gtk_window_present (GTK_WINDOW (dialog));
          }
        return;
      }
}

static void
on_file_clicked (MwExerciseWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.new-report", NULL);
      gtk_window_present (parent);
    }
}

static void
on_reloaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MwExerciseWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_incidents_reload_finish (MW_INCIDENTS (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Reloading the incidents for the exercise: %s", error->message);
    }
  mw_exercise_collect (self->exercise, mw_session_get_context (self->session));
  mw_exercise_window_show_score (self);
}

static void
on_finish_clicked (MwExerciseWindow *self)
{
  MwContext *context = mw_session_get_context (self->session);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (context == NULL)
    {
      mw_exercise_window_show_score (self);
      return;
    }
  mw_incidents_reload_async (mw_context_get_incidents (context), self->cancellable,
                             on_reloaded, g_object_ref (self));
}

static void
build_choose_page (MwExerciseWindow *self)
{
  GtkWidget *box;
  GtkWidget *page = page_box (&box);
  GtkWidget *title = gtk_label_new (_("Choose a scenario"));
  GtkWidget *start = gtk_button_new_with_mnemonic (_("_Start the exercise"));
  g_auto(GStrv) ids = mw_scenario_list_available ();
  GtkListBox *speed_list;
  GtkStringList *speed_names = gtk_string_list_new (NULL);

  gtk_widget_add_css_class (title, "title-2");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), safety_label ());
  gtk_box_append (GTK_BOX (box), title);
  self->scenario_list = boxed_list (box);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwScenario) scenario = mw_scenario_load (ids[i], &error);
      GtkWidget *row;
      GtkWidget *check;

      if (scenario == NULL)
        {
          g_message ("Scenario %s left out: %s", ids[i], error->message);
          continue;
        }
      row = text_row (mw_label_get (mw_scenario_get_title (scenario)),
                      mw_label_get (mw_scenario_get_summary (scenario)), NULL);
      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      if (self->first_check == NULL)
        {
          self->first_check = GTK_CHECK_BUTTON (check);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
        }
      else
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->first_check);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (self->scenario_list, row);
      g_ptr_array_add (self->checks, check);
      g_ptr_array_add (self->scenarios, g_steal_pointer (&scenario));
    }

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autofree char *name = g_strdup_printf (_("%u× real time"), speeds[i]);
      gtk_string_list_append (speed_names, name);
    }
  speed_list = boxed_list (box);
  self->speed_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->speed_row), _("Scenario time runs at"));
  adw_combo_row_set_model (self->speed_row, G_LIST_MODEL (speed_names));
  gtk_list_box_append (speed_list, GTK_WIDGET (self->speed_row));

  gtk_widget_add_css_class (start, "suggested-action");
  gtk_widget_add_css_class (start, "pill");
  gtk_widget_set_halign (start, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (start, self->scenarios->len > 0);
  g_signal_connect_swapped (start, "clicked", G_CALLBACK (on_start_clicked), self);
  gtk_box_append (GTK_BOX (box), start);

  gtk_stack_add_named (self->stack, page, "choose");
}

static void
build_run_page (MwExerciseWindow *self)
{
  GtkWidget *box;
  GtkWidget *page = page_box (&box);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *file = gtk_button_new_with_mnemonic (_("_File a report"));
  GtkWidget *finish = gtk_button_new_with_mnemonic (_("Finish and _score"));

  gtk_box_append (GTK_BOX (box), safety_label ());
  self->run_title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->run_title, TRUE);
  gtk_label_set_xalign (self->run_title, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->run_title), "title-2");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->run_title));
  self->clock_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->clock_label, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->clock_label));
  self->inject_list = boxed_list (box);

  gtk_widget_add_css_class (file, "suggested-action");
  g_signal_connect_swapped (file, "clicked", G_CALLBACK (on_file_clicked), self);
  g_signal_connect_swapped (finish, "clicked", G_CALLBACK (on_finish_clicked), self);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), file);
  gtk_box_append (GTK_BOX (buttons), finish);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_stack_add_named (self->stack, page, "run");
}

static void
build_score_page (MwExerciseWindow *self)
{
  GtkWidget *box;
  GtkWidget *page = page_box (&box);

  self->score_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->score_label, TRUE);
  gtk_label_set_xalign (self->score_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "title-2");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->score_label));
  self->finding_list = boxed_list (box);
  gtk_stack_add_named (self->stack, page, "score");
}

static void
mw_exercise_window_dispose (GObject *object)
{
  MwExerciseWindow *self = MW_EXERCISE_WINDOW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (mw_exercise_window_parent_class)->dispose (object);
}

static void
mw_exercise_window_finalize (GObject *object)
{
  MwExerciseWindow *self = MW_EXERCISE_WINDOW (object);

  g_clear_object (&self->session);
  g_clear_object (&self->exercise);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->scenarios, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  G_OBJECT_CLASS (mw_exercise_window_parent_class)->finalize (object);
}

static void
mw_exercise_window_class_init (MwExerciseWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_exercise_window_dispose;
  object_class->finalize = mw_exercise_window_finalize;
}

static void
mw_exercise_window_init (MwExerciseWindow *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->scenarios = g_ptr_array_new_with_free_func (g_object_unref);
  self->checks = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->stack = GTK_STACK (gtk_stack_new ());

  gtk_window_set_title (GTK_WINDOW (self), _("Exercise"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);
  gtk_box_append (GTK_BOX (content), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), content);

  build_choose_page (self);
  build_run_page (self);
  build_score_page (self);
  gtk_stack_set_visible_child_name (self->stack, "choose");
}

MwExerciseWindow *
mw_exercise_window_new (GtkWindow *parent,
                        MwSession *session)
{
  MwExerciseWindow *self = g_object_new (MW_TYPE_EXERCISE_WINDOW,
                                         "transient-for", parent,
                                         "modal", FALSE,
                                         NULL);

  self->session = g_object_ref (session);
  return self;
}

gboolean
mw_exercise_window_start (MwExerciseWindow *self,
                          const char       *scenario_id,
                          guint             speed,
                          GError          **error)
{
  g_autoptr(MwScenario) scenario = mw_scenario_load (scenario_id, error);
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *title = NULL;

  if (scenario == NULL)
    return FALSE;
  regime = mw_regime_load (mw_scenario_get_regime (scenario), error);
  if (regime == NULL || !mw_scenario_check (scenario, regime, error))
    return FALSE;

  /* The trainee files as for real, in training mode. */
  mw_session_set_training (self->session, TRUE);

  g_clear_object (&self->exercise);
  self->exercise = mw_exercise_new (scenario, regime, now, speed);
  self->n_shown = 0;
  title = g_strdup_printf (_("%s — you are %s"), mw_label_get (mw_scenario_get_title (scenario)),
                           mw_scenario_get_provider_name (scenario));
  gtk_label_set_text (self->run_title, title);
  gtk_stack_set_visible_child_name (self->stack, "run");

  mw_exercise_window_tick (self, now);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  return TRUE;
}

void
mw_exercise_window_tick (MwExerciseWindow *self,
                         GDateTime        *now)
{
  g_autoptr(GPtrArray) due = NULL;
  g_autofree char *clock = NULL;
  GApplication *application = g_application_get_default ();

  g_return_if_fail (MW_IS_EXERCISE_WINDOW (self));
  if (self->exercise == NULL)
    return;

  clock = g_strdup_printf (_("Scenario time: %u min since the start"), mw_exercise_get_minutes (self->exercise, now));
  gtk_label_set_text (self->clock_label, clock);

  due = mw_exercise_take_due (self->exercise, now);
  for (guint i = 0; i < due->len; i++)
    {
      const MwInject *inject = g_ptr_array_index (due, i);
      g_autofree char *when = g_strdup_printf (_("Minute %u"), inject->at_minutes);

      gtk_list_box_append (self->inject_list, text_row (mw_label_get (&inject->text), when, "dialog-information-symbolic"));
      self->n_shown++;

      if (application != NULL && g_application_get_is_registered (application))
        {
          g_autoptr(GNotification) notification = g_notification_new (_("Exercise: new information"));
          g_notification_set_body (notification, mw_label_get (&inject->text));
          g_application_send_notification (application, "exercise-inject", notification);
        }
    }
  if (mw_exercise_get_finished (self->exercise, now))
    {
      g_autofree char *done = g_strdup_printf (_("Scenario time: %u min — every inject is out; file what is due, then finish."),
                                               mw_exercise_get_minutes (self->exercise, now));
      gtk_label_set_text (self->clock_label, done);
    }
}

MwExercise *
mw_exercise_window_get_exercise (MwExerciseWindow *self)
{
  return self->exercise;
}

guint
mw_exercise_window_get_n_injects_shown (MwExerciseWindow *self)
{
  return self->n_shown;
}

void
mw_exercise_window_show_score (MwExerciseWindow *self)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *text = NULL;
  guint points = 0, max_points = 0;
  GtkWidget *child;

  g_return_if_fail (MW_IS_EXERCISE_WINDOW (self));
  if (self->exercise == NULL)
    return;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->finding_list))) != NULL)
    gtk_list_box_remove (self->finding_list, child);

  findings = mw_exercise_score (self->exercise, &points, &max_points);
  text = g_strdup_printf (_("Score: %u of %u points, from %u report(s) filed"), points, max_points,
                          mw_exercise_get_n_filed (self->exercise));
  gtk_label_set_text (self->score_label, text);
  for (guint i = 0; i < findings->len; i++)
    {
      MwExerciseFinding *finding = g_ptr_array_index (findings, i);
      gtk_list_box_append (self->finding_list,
                           text_row (finding->text, NULL, finding->ok ? "emblem-ok-symbolic" : "dialog-warning-symbolic"));
    }
  gtk_stack_set_visible_child_name (self->stack, "score");
}

void
mw_exercise_window_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  MwExerciseWindow *window = mw_exercise_window_new (GTK_WINDOW (widget), mw_window_get_session (MW_WINDOW (widget)));

  gtk_window_present (GTK_WINDOW (window));
}
