/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwPage"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-label.h"
#include "mw-page.h"
#include "mw-reflow-layout.h"
#include "mw-vocabulary.h"

typedef struct
{
  MwSession *session;
  char      *title;
  char      *next_label;
  guint      complete : 1;
  guint      final : 1;
} MwPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MwPage, mw_page, GTK_TYPE_WIDGET)

static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TITLE,
  PROP_COMPLETE,
  PROP_NEXT_LABEL,
  PROP_FINAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mw_page_real_apply_async (MwPage              *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, mw_page_real_apply_async);
  g_task_return_boolean (task, TRUE);
}

void
mw_page_apply_save_profile_async (MwPage              *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MwSession *session = mw_page_get_session (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, mw_page_apply_save_profile_async);
  if (session != NULL && !mw_session_save_profile (session, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
mw_page_real_apply_finish (MwPage        *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mw_page_dispose (GObject *object)
{
  MwPage *self = MW_PAGE (object);
  MwPagePrivate *priv = mw_page_get_instance_private (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&priv->session);

  G_OBJECT_CLASS (mw_page_parent_class)->dispose (object);
}

static void
mw_page_finalize (GObject *object)
{
  MwPage *self = MW_PAGE (object);
  MwPagePrivate *priv = mw_page_get_instance_private (self);

  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->next_label, g_free);

  G_OBJECT_CLASS (mw_page_parent_class)->finalize (object);
}

static void
mw_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  MwPage *self = MW_PAGE (object);
  MwPagePrivate *priv = mw_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;
    case PROP_NEXT_LABEL:
      g_value_set_string (value, priv->next_label);
      break;
    case PROP_FINAL:
      g_value_set_boolean (value, priv->final);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  MwPage *self = MW_PAGE (object);
  MwPagePrivate *priv = mw_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      priv->session = g_value_dup_object (value);
      break;
    case PROP_TITLE:
      mw_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_COMPLETE:
      mw_page_set_complete (self, g_value_get_boolean (value));
      break;
    case PROP_NEXT_LABEL:
      mw_page_set_next_label (self, g_value_get_string (value));
      break;
    case PROP_FINAL:
      mw_page_set_final (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_page_class_init (MwPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_page_dispose;
  object_class->finalize = mw_page_finalize;
  object_class->get_property = mw_page_get_property;
  object_class->set_property = mw_page_set_property;

  klass->apply_async = mw_page_real_apply_async;
  klass->apply_finish = mw_page_real_apply_finish;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, MW_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_LABEL] =
    g_param_spec_string ("next-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINAL] =
    g_param_spec_boolean ("final", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, MW_TYPE_REFLOW_LAYOUT);
}

static void
mw_page_init (MwPage *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

MwSession *
mw_page_get_session (MwPage *self)
{
  MwPagePrivate *priv;

  g_return_val_if_fail (MW_IS_PAGE (self), NULL);
  priv = mw_page_get_instance_private (self);
  return priv->session;
}

const char *
mw_page_get_title (MwPage *self)
{
  MwPagePrivate *priv;

  g_return_val_if_fail (MW_IS_PAGE (self), NULL);
  priv = mw_page_get_instance_private (self);
  return priv->title ? priv->title : "";
}

void
mw_page_set_title (MwPage     *self,
                   const char *title)
{
  MwPagePrivate *priv;

  g_return_if_fail (MW_IS_PAGE (self));
  priv = mw_page_get_instance_private (self);
  if (set_str (&priv->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
mw_page_get_complete (MwPage *self)
{
  MwPagePrivate *priv;

  g_return_val_if_fail (MW_IS_PAGE (self), FALSE);
  priv = mw_page_get_instance_private (self);
  return priv->complete;
}

void
mw_page_set_complete (MwPage   *self,
                      gboolean  complete)
{
  MwPagePrivate *priv;

  g_return_if_fail (MW_IS_PAGE (self));
  priv = mw_page_get_instance_private (self);
  complete = !!complete;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

const char *
mw_page_get_next_label (MwPage *self)
{
  MwPagePrivate *priv;

  g_return_val_if_fail (MW_IS_PAGE (self), NULL);
  priv = mw_page_get_instance_private (self);
  return priv->next_label;
}

void
mw_page_set_next_label (MwPage     *self,
                        const char *next_label)
{
  MwPagePrivate *priv;

  g_return_if_fail (MW_IS_PAGE (self));
  priv = mw_page_get_instance_private (self);
  if (set_str (&priv->next_label, next_label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_LABEL]);
}

gboolean
mw_page_get_final (MwPage *self)
{
  MwPagePrivate *priv;

  g_return_val_if_fail (MW_IS_PAGE (self), FALSE);
  priv = mw_page_get_instance_private (self);
  return priv->final;
}

void
mw_page_set_final (MwPage   *self,
                   gboolean  final)
{
  MwPagePrivate *priv;

  g_return_if_fail (MW_IS_PAGE (self));
  priv = mw_page_get_instance_private (self);
  final = !!final;
  if (priv->final == final)
    return;
  priv->final = final;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINAL]);
}

void
mw_page_shown (MwPage *self)
{
  g_return_if_fail (MW_IS_PAGE (self));
  if (MW_PAGE_GET_CLASS (self)->shown)
    MW_PAGE_GET_CLASS (self)->shown (self);
}

/* The first text field of @widget's visible part, depth first in the order of the widgets. */
static GtkWidget *
find_first_field (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child) || !gtk_widget_get_child_visible (child) ||
          !gtk_widget_is_sensitive (child) || GTK_IS_POPOVER (child))
        continue;
      if ((GTK_IS_TEXT (child) && gtk_editable_get_editable (GTK_EDITABLE (child))) ||
          (GTK_IS_TEXT_VIEW (child) && gtk_text_view_get_editable (GTK_TEXT_VIEW (child))))
        return child;
      found = find_first_field (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * mw_page_focus_first_field:
 *
 * Puts the cursor in the page's first text field, so that typing goes there at once and
 * never lands on a list row (where Space activates it). A page without a text field gets
 * the focus on its first control.
 */
void
mw_page_focus_first_field (MwPage *self)
{
  GtkWidget *field;

  g_return_if_fail (MW_IS_PAGE (self));

  field = find_first_field (GTK_WIDGET (self));
  if (field == NULL || !gtk_widget_grab_focus (field))
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

static gboolean
row_key_pressed_cb (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    GtkWidget             *field)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  gunichar c = gdk_keyval_to_unicode (keyval);
  char utf8[7] = { 0, };
  int position;

  if (!gtk_widget_has_focus (row) || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 ||
      c == 0 || !g_unichar_isprint (c) || !gtk_widget_grab_focus (field))
    return GDK_EVENT_PROPAGATE;
  /* As typing into a field that just got the focus: the text typed replaces it. */
  gtk_editable_delete_selection (GTK_EDITABLE (field));
  position = gtk_editable_get_position (GTK_EDITABLE (field));
  g_unichar_to_utf8 (c, utf8);
  gtk_editable_insert_text (GTK_EDITABLE (field), utf8, -1, &position);
  gtk_editable_set_position (GTK_EDITABLE (field), position);
  return GDK_EVENT_STOP;
}

/**
 * mw_row_type_into_field:
 * @row: a list row with a text field
 * @field: its field
 *
 * What is typed while @row itself has the focus goes into @field, a space included: the row
 * never takes a typed space as "activate" (which sent the rest of a typed date elsewhere).
 */
void
mw_row_type_into_field (GtkWidget *row,
                        GtkWidget *field)
{
  GtkEventController *keys;

  g_return_if_fail (GTK_IS_LIST_BOX_ROW (row));
  g_return_if_fail (GTK_IS_EDITABLE (field));

  keys = gtk_event_controller_key_new ();
  /* Before the row's own key binding for Space. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (row_key_pressed_cb), field, 0);
  gtk_widget_add_controller (row, keys);
}

/* Where each part of the report is asked, in the words of the form. */
static const struct {
  const char *path;     /* a report path, or a prefix of one ending in '.' */
  const char *page;
  const char *field;
} form_fields[] = {
  { "provider.name", N_("Your organisation"), N_("Organisation name") },
  { "provider.registration", N_("Your organisation"), N_("Registration (KvK number)") },
  { "provider.entity_type", N_("Your organisation"), N_("What kind of entity you are") },
  { "provider.sector", N_("Your organisation"), N_("What kind of entity you are") },
  { "provider.contact.", N_("Your organisation"), N_("Contact for reports") },
  { "provider.technical_contact.", N_("Your organisation"), N_("Technical contact") },
  { "timeline.started_at", N_("When"), N_("Started at") },
  { "timeline.detected_at", N_("When"), N_("Detected at") },
  { "timeline.aware_at", N_("When"), N_("Aware since") },
  { "timeline.resolved_at", N_("When"), N_("Resolved at") },
  { "nature.summary", N_("Nature and scope"), N_("Summary in one line") },
  { "nature.description", N_("Nature and scope"), N_("Description") },
  { "nature.category", N_("Nature and scope"), N_("Classification") },
  { "nature.cause", N_("Nature and scope"), N_("Cause") },
  { "nature.suspected_unlawful", N_("Nature and scope"), N_("Suspected unlawful or malicious") },
  { "nature.affected", N_("Nature and scope"), N_("What was affected?") },
  { "service.", N_("Affected service"), N_("Which service was hit?") },
  { "recovery.status", N_("Recovery"), N_("Status") },
  { "recovery.measures", N_("Recovery"), N_("Measures") },
  { "recovery.forecast_at", N_("Recovery"), N_("Recovery forecast") },
  { "recovery.csirt_help_requested", N_("Recovery"), N_("Ask the CSIRT for help") },
  { "consent.", N_("Review and send"), N_("Consent") },
};

/**
 * mw_describe_field:
 * @regime: (nullable): the regime whose facts the report answers
 * @path: a report path, as an #MwProblem names it ("timeline.started_at")
 *
 * The field in the words of the form, with its page: "When › Started at". Never the path,
 * which means nothing to the people filling in the form; an unknown path becomes "this report".
 */
char *
mw_describe_field (MwRegime   *regime,
                   const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (g_str_has_prefix (path, "facts."))
    {
      const MwFactDef *fact = regime ? mw_regime_find_fact (regime, path + strlen ("facts.")) : NULL;
      const char *label = fact ? mw_label_get (&fact->label) : NULL;

      /* Translators: a page of the form › a question on it */
      return g_strdup_printf (_("%s › %s"), _("Nature and scope"), label ? label : _("Scope"));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (form_fields); i++)
    {
      const char *known = form_fields[i].path;
      gsize len = strlen (known);
      gboolean match;

      if (known[len - 1] == '.')
        /* "service." covers "service" itself and everything under it. */
        match = strncmp (path, known, len - 1) == 0 && (path[len - 1] == '\0' || path[len - 1] == '.');
      else
        match = g_str_equal (path, known);
      if (match)
        return g_strdup_printf (_("%s › %s"), _(form_fields[i].page), _(form_fields[i].field));
    }
  return g_strdup (_("This report"));
}

/**
 * mw_page_dup_report_problem:
 * @self: a page
 * @asks: says which report fields @self asks
 *
 * The report's own rules (mw_report_validate()) applied to the fields this page asks: the
 * first problem among them as "Page › Field: message", or %NULL when there is none. A stage
 * that needs more than a notification (the final report, Cbw art. 29) says so on the page
 * that asks it, not only on Review.
 */
char *
mw_page_dup_report_problem (MwPage         *self,
                            MwPageAsksFunc  asks)
{
  MwSession *session;
  MwReport *report;
  g_autoptr(GPtrArray) problems = NULL;

  g_return_val_if_fail (MW_IS_PAGE (self), NULL);
  g_return_val_if_fail (asks != NULL, NULL);

  session = mw_page_get_session (self);
  report = session ? mw_session_get_report (session) : NULL;
  if (report == NULL)
    return NULL;

  problems = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  for (guint i = 0; i < problems->len; i++)
    {
      const MwProblem *problem = g_ptr_array_index (problems, i);

      if (problem->path != NULL && asks (self, problem->path))
        {
          g_autofree char *where = mw_describe_field (mw_session_get_regime (session), problem->path);

          /* Translators: a field in the words of the form, e.g. "Recovery › Measures": what is wrong */
          return g_strdup_printf (_("%s: %s"), where, problem->message);
        }
    }
  return NULL;
}

void
mw_page_apply_async (MwPage              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (MW_IS_PAGE (self));
  MW_PAGE_GET_CLASS (self)->apply_async (self, cancellable, callback, user_data);
}

gboolean
mw_page_apply_finish (MwPage        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (MW_IS_PAGE (self), FALSE);
  return MW_PAGE_GET_CLASS (self)->apply_finish (self, result, error);
}

char *
mw_dup_entered_text (const char *text,
                     glong       max_chars)
{
  g_autofree char *value = NULL;

  if (text == NULL)
    return NULL;
  value = g_utf8_strlen (text, -1) > max_chars ? g_utf8_substring (text, 0, max_chars) : g_strdup (text);
  g_strstrip (value);
  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

void
mw_report_set_entered_text (MwReport   *report,
                            const char *path,
                            const char *text,
                            glong       max_chars)
{
  g_autofree char *value = mw_dup_entered_text (text, max_chars);

  if (value != NULL)
    mw_report_set_string (report, path, value);
  else
    mw_report_set_unknown (report, path);
}

void
mw_widget_set_invalid (GtkWidget *widget,
                       gboolean   invalid)
{
  if (invalid)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

void
mw_button_fix_accessible_name (GtkWidget *button)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
create_menu_cb (GtkMenuButton *button,
                gpointer       model)
{
  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, model);
}

void
mw_menu_button_set_menu_model_lazily (GtkMenuButton *button,
                                      GMenuModel    *model)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (model == NULL || G_IS_MENU_MODEL (model));

  gtk_menu_button_set_menu_model (button, NULL);
  if (model != NULL)
    gtk_menu_button_set_create_popup_func (button, create_menu_cb, g_object_ref (model), g_object_unref);
  else
    gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
}

/* Combo rows --------------------------------------------------------------------------- */

/* libadwaita 1.2's own items cut the chosen value short ("Onbek…") as soon as a row with a
 * long subtitle is narrow: its title and subtitle take all the room there is. These ask room
 * for the whole value up to a limit (a longer value is still cut rather than widen the
 * window; it cannot wrap, the row's list gives it one line), and show the same check mark
 * in the list. */
#define COMBO_VALUE_MAX_WIDTH 180

static void
combo_update_check_cb (AdwComboRow *row,
                       GParamSpec  *pspec,
                       GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));
  gboolean selected = adw_combo_row_get_selected_item (row) == gtk_list_item_get_item (item);

  gtk_widget_set_opacity (check, selected ? 1.0 : 0.0);
}

static void
combo_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                AdwComboRow              *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
combo_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               AdwComboRow              *row)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *popover = gtk_widget_get_ancestor (box, GTK_TYPE_POPOVER);
  gpointer object = gtk_list_item_get_item (item);
  GtkExpression *expression = adw_combo_row_get_expression (row);
  g_auto(GValue) value = G_VALUE_INIT;

  if (GTK_IS_STRING_OBJECT (object))
    gtk_label_set_label (GTK_LABEL (label), gtk_string_object_get_string (object));
  else if (expression != NULL && gtk_expression_evaluate (expression, object, &value))
    gtk_label_set_label (GTK_LABEL (label), g_value_get_string (&value));
  else
    gtk_label_set_label (GTK_LABEL (label), "");
  /* The check mark shows in the list, not next to the value in the row. */
  gtk_widget_set_visible (gtk_widget_get_last_child (box), popover != NULL);
  if (popover != NULL)
    {
      /* In the list every choice is read whole: long ones (laws, taxonomy types) wrap. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
      combo_update_check_cb (row, NULL, item);
      g_signal_connect (row, "notify::selected-item", G_CALLBACK (combo_update_check_cb), item);
    }
  else
    {
      int natural = 0;

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_size_request (label, -1, -1);
      gtk_label_set_max_width_chars (GTK_LABEL (label), -1);
      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      gtk_widget_set_size_request (label, MIN (natural, COMBO_VALUE_MAX_WIDTH), -1);
    }
}

static void
combo_unbind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, combo_update_check_cb, item);
}

void
mw_combo_row_show_whole_value (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  /* (The factory belongs to the row: no reference to it.) */
  g_signal_connect (factory, "setup", G_CALLBACK (combo_setup_cb), row);
  g_signal_connect (factory, "bind", G_CALLBACK (combo_bind_cb), row);
  g_signal_connect (factory, "unbind", G_CALLBACK (combo_unbind_cb), row);
  adw_combo_row_set_factory (row, factory);
}

static char *
vocabulary_item_name (AdwEnumListItem *item,
                      gpointer         vocabulary)
{
  return g_strdup (mw_enum_get_display_name (GPOINTER_TO_SIZE (vocabulary),
                                             adw_enum_list_item_get_value (item)));
}

/**
 * mw_combo_row_set_vocabulary:
 * @vocabulary: one of the report's vocabularies, e.g. %MW_TYPE_CAUSE
 *
 * Offers every value of @vocabulary, in declaration order, by its display name.
 */
void
mw_combo_row_set_vocabulary (AdwComboRow *row,
                             GType        vocabulary)
{
  g_autoptr(AdwEnumListModel) model = NULL;
  g_autoptr(GtkExpression) expression = NULL;

  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  g_return_if_fail (G_TYPE_IS_ENUM (vocabulary));

  model = adw_enum_list_model_new (vocabulary);
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (vocabulary_item_name),
                                            GSIZE_TO_POINTER (vocabulary), NULL);
  adw_combo_row_set_expression (row, expression);
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  mw_combo_row_show_whole_value (row);
}

/**
 * mw_combo_row_get_nick:
 *
 * Returns: (nullable): the contract string of the value chosen in a row set up with
 *   mw_combo_row_set_vocabulary()
 */
const char *
mw_combo_row_get_nick (AdwComboRow *row)
{
  GListModel *model = adw_combo_row_get_model (row);
  AdwEnumListItem *item = ADW_ENUM_LIST_ITEM (adw_combo_row_get_selected_item (row));

  g_return_val_if_fail (ADW_IS_ENUM_LIST_MODEL (model), NULL);

  if (item == NULL)
    return NULL;
  return mw_enum_to_nick (adw_enum_list_model_get_enum_type (ADW_ENUM_LIST_MODEL (model)),
                          adw_enum_list_item_get_value (item));
}

/**
 * mw_combo_row_set_nick:
 * @nick: (nullable): a contract string; %NULL or one outside the vocabulary chooses the first
 *
 * Chooses @nick in a row set up with mw_combo_row_set_vocabulary().
 */
void
mw_combo_row_set_nick (AdwComboRow *row,
                       const char  *nick)
{
  GListModel *model = adw_combo_row_get_model (row);
  AdwEnumListModel *vocabulary;
  guint position = 0;
  int value;

  g_return_if_fail (ADW_IS_ENUM_LIST_MODEL (model));

  vocabulary = ADW_ENUM_LIST_MODEL (model);
  if (mw_enum_from_nick (adw_enum_list_model_get_enum_type (vocabulary), nick, &value))
    position = adw_enum_list_model_find_position (vocabulary, value);
  adw_combo_row_set_selected (row, position);
}

void
mw_widget_set_accessible_label (GtkWidget  *widget,
                                const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  /* GTK 4.8 joins the label property and the names of the LABELLED_BY relation into one
   * name: a button with a mnemonic is labelled by its own label ("Now: Start time Now"), an
   * action row's widget by the row's title. The label given here names the widget alone.
   * (Setting the button's label again would bring the relation back: call this after.) */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

GtkWidget *
mw_preferences_group_new (const char *title,
                          const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  return group;
}

GtkWidget *
mw_preferences_page_add_group (AdwPreferencesPage *page,
                               const char         *title,
                               const char         *description)
{
  GtkWidget *group;

  g_return_val_if_fail (ADW_IS_PREFERENCES_PAGE (page), NULL);

  group = mw_preferences_group_new (title, description);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
  return group;
}
