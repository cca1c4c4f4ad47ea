/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwNaturePage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-choice-button.h"
#include "mw-expr.h"
#include "mw-json.h"
#include "mw-nature-page.h"
#include "mw-taxonomy.h"
#include "mw-vocabulary.h"

#define MAX_SUMMARY_CHARS     200
#define MAX_DESCRIPTION_CHARS 20000

struct _MwNaturePage
{
  MwPage               parent_instance;

  AdwComboRow         *kind_row;
  AdwEntryRow         *summary_row;
  AdwComboRow         *class_row;
  AdwComboRow         *type_row;
  AdwComboRow         *cause_row;
  AdwComboRow         *unlawful_row;
  AdwPreferencesGroup *affected_group;
  GtkTextView         *description_view;
  AdwPreferencesGroup *facts_group;
  GtkLabel            *problem_label;

  GtkCheckButton      *affected_checks[4];
  GPtrArray           *fact_rows;
  AdwExpanderRow      *more_row;      /* facts that do not change the verdict, or NULL */
  GPtrArray           *class_ids;     /* char*: index 0 = not classified */
  GPtrArray           *type_ids;      /* char*: for the selected class; index 0 = not classified */
  char                *facts_for;     /* entity type the fact rows were built for */
  guint                loading : 1;
};

G_DEFINE_FINAL_TYPE (MwNaturePage, mw_nature_page, MW_TYPE_PAGE)

static const char * const aspects[] = { "availability", "integrity", "confidentiality", "authenticity" };

static MwReport *
get_report (MwNaturePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));

  return session ? mw_session_get_report (session) : NULL;
}

/* The nature of the incident, and the facts that have a question here. */
static gboolean
page_asks (MwPage     *page,
           const char *path)
{
  return g_str_has_prefix (path, "nature.") ||
         (g_str_has_prefix (path, "facts.") &&
          mw_nature_page_get_fact_row (MW_NATURE_PAGE (page), path + strlen ("facts.")) != NULL);
}

static void
update_complete (MwNaturePage *self)
{
  const char *summary = gtk_editable_get_text (GTK_EDITABLE (self->summary_row));
  g_autofree char *stripped = g_strstrip (g_strdup (summary));
  g_autofree char *needed = NULL;
  const char *problem = NULL;
  gboolean facts_valid = TRUE;

  for (guint i = 0; i < self->fact_rows->len; i++)
    if (!mw_fact_row_get_valid (g_ptr_array_index (self->fact_rows, i)))
      facts_valid = FALSE;

  if (*stripped == '\0')
    problem = _("Give a one-line summary of what happened.");
  else if (!facts_valid)
    problem = _("A fact holds something that is not a number. Correct it, or tick Unknown.");
  else
    /* What the stage needs here besides (the final report: Cbw art. 29), as the report says. */
    problem = needed = mw_page_dup_report_problem (MW_PAGE (self), page_asks);

  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  mw_page_set_complete (MW_PAGE (self), problem == NULL);
}

static void
fill_type_model (MwNaturePage *self,
                 const char   *class_id)
{
  GPtrArray *entries = mw_taxonomy_get_entries ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  g_ptr_array_set_size (self->type_ids, 0);
  g_ptr_array_add (self->type_ids, g_strdup (""));
  gtk_string_list_append (model, _("Not classified yet"));
  for (guint i = 0; entries && class_id && i < entries->len; i++)
    {
      const MwTaxonomyEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->class_id, class_id) != 0)
        continue;
      g_ptr_array_add (self->type_ids, g_strdup (entry->id));
      gtk_string_list_append (model, mw_taxonomy_entry_get_type_label (entry));
    }
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (model));
  gtk_widget_set_sensitive (GTK_WIDGET (self->type_row), self->type_ids->len > 1);
}

static void
fill_class_model (MwNaturePage *self)
{
  GPtrArray *entries = mw_taxonomy_get_entries ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  g_ptr_array_set_size (self->class_ids, 0);
  g_ptr_array_add (self->class_ids, g_strdup (""));
  gtk_string_list_append (model, _("Not classified yet"));
  for (guint i = 0; entries && i < entries->len; i++)
    {
      const MwTaxonomyEntry *entry = g_ptr_array_index (entries, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < self->class_ids->len && !seen; j++)
        seen = g_strcmp0 (g_ptr_array_index (self->class_ids, j), entry->class_id) == 0;
      if (seen)
        continue;
      g_ptr_array_add (self->class_ids, g_strdup (entry->class_id));
      gtk_string_list_append (model, mw_taxonomy_entry_get_class_label (entry));
    }
  adw_combo_row_set_model (self->class_row, G_LIST_MODEL (model));
}

static guint
index_of (GPtrArray  *ids,
          const char *id)
{
  for (guint i = 0; id != NULL && i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), id) == 0)
      return i;
  return 0;
}

/* Adds @name and, for a derived fact, the facts it is computed from. */
static void
add_fact_and_sources (MwRegime   *regime,
                      const char *name,
                      GHashTable *facts,
                      guint       depth)
{
  const MwFactDef *fact = mw_regime_find_fact (regime, name);
  g_autoptr(GPtrArray) sources = NULL;

  if (!g_hash_table_add (facts, g_strdup (name)) || fact == NULL || fact->expr == NULL ||
      depth > 8)
    return;
  sources = g_ptr_array_new ();
  mw_expr_collect_facts (fact->expr, sources);
  for (guint i = 0; i < sources->len; i++)
    add_fact_and_sources (regime, g_ptr_array_index (sources, i), facts, depth + 1);
}

/**
 * mw_nature_page_dup_deciding_facts:
 *
 * The facts that can change the verdict for @type: those its criteria and exclusions read,
 * directly or through a derived fact. A set of fact ids.
 */
GHashTable *
mw_nature_page_dup_deciding_facts (MwRegime           *regime,
                                   const MwEntityType *type)
{
  GHashTable *facts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *rules[] = { type->criteria, type->exclusions };

  for (gsize r = 0; r < G_N_ELEMENTS (rules); r++)
    for (guint i = 0; rules[r] != NULL && i < rules[r]->len; i++)
      {
        const MwCriterion *criterion = g_ptr_array_index (rules[r], i);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();

        if (criterion->when == NULL)
          continue;
        mw_expr_collect_facts (criterion->when, names);
        for (guint n = 0; n < names->len; n++)
          add_fact_and_sources (regime, g_ptr_array_index (names, n), facts, 0);
      }
  return facts;
}

static void
rebuild_facts (MwNaturePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  const MwEntityType *type = session ? mw_session_get_entity_type (session) : NULL;
  MwReport *report = get_report (self);
  g_autoptr(GtkSizeGroup) units = NULL;
  g_autoptr(GHashTable) deciding = NULL;

  if (type != NULL && g_strcmp0 (self->facts_for, type->id) == 0 && self->fact_rows->len > 0)
    {
      for (guint i = 0; i < self->fact_rows->len; i++)
        mw_fact_row_load (g_ptr_array_index (self->fact_rows, i));
      return;
    }

  for (guint i = 0; i < self->fact_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->fact_rows, i);

      if (gtk_widget_get_ancestor (gtk_widget_get_parent (row), ADW_TYPE_EXPANDER_ROW) == NULL)
        adw_preferences_group_remove (self->facts_group, row);
    }
  g_ptr_array_set_size (self->fact_rows, 0);
  if (self->more_row != NULL)
    adw_preferences_group_remove (self->facts_group, GTK_WIDGET (self->more_row));
  self->more_row = NULL;
  g_clear_pointer (&self->facts_for, g_free);

  if (type == NULL || report == NULL)
    return;
  self->facts_for = g_strdup (type->id);
  units = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  deciding = mw_nature_page_dup_deciding_facts (mw_session_get_regime (session), type);
  /* What can change the verdict first, in the law's order; the rest under "More details". */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < type->facts->len; i++)
      {
        const MwFactDef *fact = g_ptr_array_index (type->facts, i);
        gboolean decides = g_hash_table_contains (deciding, fact->id);
        GtkWidget *row;

        if (g_strcmp0 (fact->type, "derived") == 0 || decides != (pass == 0))
          continue;
        row = mw_fact_row_new (fact, report);
        mw_fact_row_share_unit_width (MW_FACT_ROW (row), units);
        g_signal_connect_object (row, "changed", G_CALLBACK (update_complete), self, G_CONNECT_SWAPPED);
        if (decides)
          adw_preferences_group_add (self->facts_group, row);
        else
          {
            if (self->more_row == NULL)
              {
                self->more_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
                adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->more_row),
                                               _("More details (optional)"));
                adw_expander_row_set_subtitle (self->more_row,
                                               _("They do not change whether you must report."));
                adw_preferences_group_add (self->facts_group, GTK_WIDGET (self->more_row));
              }
            adw_expander_row_add_row (self->more_row, row);
          }
        g_ptr_array_add (self->fact_rows, row);
      }
}

static void
mw_nature_page_shown (MwPage *page)
{
  MwNaturePage *self = MW_NATURE_PAGE (page);
  MwReport *report = get_report (self);
  const char *category;
  g_auto(GStrv) parts = NULL;
  gboolean unlawful;
  JsonNode *affected;

  self->loading = TRUE;
  if (report != NULL)
    {
      const char *summary = mw_report_get_string (report, "nature.summary");
      const char *description = mw_report_get_string (report, "nature.description");

      mw_combo_row_set_nick (self->kind_row, mw_report_get_string (report, "kind"));
      gtk_editable_set_text (GTK_EDITABLE (self->summary_row), summary ? summary : "");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view),
                                description ? description : "", -1);

      category = mw_report_get_string (report, "nature.category");
      parts = g_strsplit (category ? category : "", "/", 2);
      adw_combo_row_set_selected (self->class_row, index_of (self->class_ids, parts[0]));
      fill_type_model (self, parts[0]);
      adw_combo_row_set_selected (self->type_row, index_of (self->type_ids, category));

      mw_combo_row_set_nick (self->cause_row, mw_report_get_string (report, "nature.cause"));
      if (mw_report_get_boolean (report, "nature.suspected_unlawful", &unlawful))
        adw_combo_row_set_selected (self->unlawful_row, unlawful ? 1 : 2);
      else
        adw_combo_row_set_selected (self->unlawful_row, 0);

      affected = mw_report_get_node (report, "nature.affected");
      for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
        {
          gboolean active = FALSE;

          if (affected != NULL && JSON_NODE_HOLDS_ARRAY (affected))
            {
              JsonArray *array = json_node_get_array (affected);

              for (guint j = 0; j < json_array_get_length (array); j++)
                if (g_strcmp0 (json_array_get_string_element (array, j), aspects[i]) == 0)
                  active = TRUE;
            }
          gtk_check_button_set_active (self->affected_checks[i], active);
        }
    }
  rebuild_facts (self);
  self->loading = FALSE;
  update_complete (self);
}

static void
kind_changed_cb (MwNaturePage *self)
{
  MwReport *report = get_report (self);
  const char *kind = mw_combo_row_get_nick (self->kind_row);

  if (self->loading || report == NULL || kind == NULL)
    return;
  mw_report_set_string (report, "kind", kind);
}

static void
summary_changed_cb (MwNaturePage *self)
{
  MwReport *report = get_report (self);
  if (!self->loading && report != NULL)
    mw_report_set_entered_text (report, "nature.summary",
                                gtk_editable_get_text (GTK_EDITABLE (self->summary_row)), MAX_SUMMARY_CHARS);
  update_complete (self);
}

static void
description_changed_cb (MwNaturePage *self)
{
  MwReport *report = get_report (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->loading || report == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  if (gtk_text_iter_get_offset (&end) > MAX_DESCRIPTION_CHARS)
    gtk_text_buffer_get_iter_at_offset (buffer, &end, MAX_DESCRIPTION_CHARS);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (*text != '\0')
    mw_report_set_string (report, "nature.description", text);
  else
    mw_report_set_unknown (report, "nature.description");
  update_complete (self);
}

static void
class_changed_cb (MwNaturePage *self)
{
  MwReport *report = get_report (self);
  guint selected = adw_combo_row_get_selected (self->class_row);
  const char *class_id = selected < self->class_ids->len ? g_ptr_array_index (self->class_ids, selected) : "";

  if (self->loading)
    return;
  self->loading = TRUE;
  fill_type_model (self, *class_id ? class_id : NULL);
  adw_combo_row_set_selected (self->type_row, 0);
  self->loading = FALSE;
  if (report != NULL)
    mw_report_set_unknown (report, "nature.category");
  update_complete (self);
}

static void
type_changed_cb (MwNaturePage *self)
{
  MwReport *report = get_report (self);
  guint selected = adw_combo_row_get_selected (self->type_row);

  if (self->loading || report == NULL)
    return;
  if (selected > 0 && selected < self->type_ids->len)
    mw_report_set_string (report, "nature.category", g_ptr_array_index (self->type_ids, selected));
  else
    mw_report_set_unknown (report, "nature.category");
  update_complete (self);
}

static void
cause_changed_cb (MwNaturePage *self)
{
  MwReport *report = get_report (self);
  const char *cause = mw_combo_row_get_nick (self->cause_row);

  if (self->loading || report == NULL || cause == NULL)
    return;
  mw_report_set_string (report, "nature.cause", cause);
  update_complete (self);
}

static void
unlawful_changed_cb (MwNaturePage *self)
{
  MwReport *report = get_report (self);

  if (self->loading || report == NULL)
    return;
  switch (adw_combo_row_get_selected (self->unlawful_row))
    {
    case 1:
      mw_report_set_boolean (report, "nature.suspected_unlawful", TRUE);
      break;
    case 2:
      mw_report_set_boolean (report, "nature.suspected_unlawful", FALSE);
      break;
    default:
      mw_report_set_unknown (report, "nature.suspected_unlawful");
    }
}

static void
affected_toggled_cb (MwNaturePage *self)
{
  MwReport *report = get_report (self);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  if (self->loading || report == NULL)
    return;
  array = json_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
    if (gtk_check_button_get_active (self->affected_checks[i]))
      json_array_add_string_element (array, aspects[i]);
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  mw_report_set_node (report, "nature.affected", node);
}

static void
mw_nature_page_dispose (GObject *object)
{
  MwNaturePage *self = MW_NATURE_PAGE (object);

  g_clear_pointer (&self->fact_rows, g_ptr_array_unref);
  g_clear_pointer (&self->class_ids, g_ptr_array_unref);
  g_clear_pointer (&self->type_ids, g_ptr_array_unref);
  g_clear_pointer (&self->facts_for, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_NATURE_PAGE);
  G_OBJECT_CLASS (mw_nature_page_parent_class)->dispose (object);
}

static void
mw_nature_page_constructed (GObject *object)
{
  MwNaturePage *self = MW_NATURE_PAGE (object);
  MwSession *session;

  G_OBJECT_CLASS (mw_nature_page_parent_class)->constructed (object);

  session = mw_page_get_session (MW_PAGE (self));
  if (session != NULL)
    g_signal_connect_object (session, "notify::report", G_CALLBACK (mw_nature_page_shown),
                             self, G_CONNECT_SWAPPED);
  mw_nature_page_shown (MW_PAGE (self));
}

static void
mw_nature_page_class_init (MwNaturePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->constructed = mw_nature_page_constructed;
  object_class->dispose = mw_nature_page_dispose;
  page_class->shown = mw_nature_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-nature-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, summary_row);
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, class_row);
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, type_row);
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, cause_row);
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, unlawful_row);
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, affected_group);
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, description_view);
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, facts_group);
  gtk_widget_class_bind_template_child (widget_class, MwNaturePage, problem_label);
}

static void
mw_nature_page_init (MwNaturePage *self)
{
  const char *yes_no[] = { N_("Unknown"), N_("Yes"), N_("No") };
  const char *aspect_labels[] = { N_("_Availability"), N_("_Integrity"), N_("C_onfidentiality"),
                                  N_("Aut_henticity") };
  g_autoptr(GtkStringList) unlawful_model = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->fact_rows = g_ptr_array_new ();
  self->class_ids = g_ptr_array_new_with_free_func (g_free);
  self->type_ids = g_ptr_array_new_with_free_func (g_free);

  mw_combo_row_set_vocabulary (self->kind_row, MW_TYPE_REPORT_KIND);
  mw_combo_row_set_vocabulary (self->cause_row, MW_TYPE_CAUSE);
  for (guint i = 0; i < G_N_ELEMENTS (yes_no); i++)
    gtk_string_list_append (unlawful_model, _(yes_no[i]));
  adw_combo_row_set_model (self->unlawful_row, G_LIST_MODEL (unlawful_model));
  fill_class_model (self);
  fill_type_model (self, NULL);
  mw_combo_row_show_whole_value (self->class_row);
  mw_combo_row_show_whole_value (self->type_row);
  mw_combo_row_show_whole_value (self->unlawful_row);

  for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = mw_choice_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(aspect_labels[i]));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->affected_group, row);
      self->affected_checks[i] = GTK_CHECK_BUTTON (check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (affected_toggled_cb), self);
    }

  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_changed_cb), self);
  g_signal_connect_swapped (self->summary_row, "changed", G_CALLBACK (summary_changed_cb), self);
  g_signal_connect_swapped (self->class_row, "notify::selected", G_CALLBACK (class_changed_cb), self);
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (type_changed_cb), self);
  g_signal_connect_swapped (self->cause_row, "notify::selected", G_CALLBACK (cause_changed_cb), self);
  g_signal_connect_swapped (self->unlawful_row, "notify::selected", G_CALLBACK (unlawful_changed_cb), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->description_view), "changed",
                            G_CALLBACK (description_changed_cb), self);
}

GtkWidget *
mw_nature_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_NATURE_PAGE, "session", session, NULL);
}

MwFactRow *
mw_nature_page_get_fact_row (MwNaturePage *self,
                             const char   *fact_id)
{
  g_return_val_if_fail (MW_IS_NATURE_PAGE (self), NULL);

  for (guint i = 0; i < self->fact_rows->len; i++)
    {
      MwFactRow *row = g_ptr_array_index (self->fact_rows, i);

      if (g_strcmp0 (mw_fact_row_get_fact_id (row), fact_id) == 0)
        return row;
    }
  return NULL;
}

guint
mw_nature_page_get_n_facts (MwNaturePage *self)
{
  g_return_val_if_fail (MW_IS_NATURE_PAGE (self), 0);
  return self->fact_rows->len;
}

/**
 * mw_nature_page_focus_fact:
 *
 * Puts the cursor in the question of @fact_id (opening "More details" when it is there), as
 * the assessment's links back to a deciding answer do. FALSE when the page does not ask it.
 */
gboolean
mw_nature_page_focus_fact (MwNaturePage *self,
                           const char   *fact_id)
{
  MwFactRow *row;

  g_return_val_if_fail (MW_IS_NATURE_PAGE (self), FALSE);

  row = mw_nature_page_get_fact_row (self, fact_id);
  if (row == NULL)
    return FALSE;
  if (self->more_row != NULL && gtk_widget_is_ancestor (GTK_WIDGET (row), GTK_WIDGET (self->more_row)))
    adw_expander_row_set_expanded (self->more_row, TRUE);
  return gtk_widget_grab_focus (mw_fact_row_get_input (row));
}
