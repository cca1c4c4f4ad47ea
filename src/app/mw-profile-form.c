/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwProfileForm"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-choice-button.h"
#include "mw-first-frame.h"
#include "mw-page.h"
#include "mw-profile-form.h"

#define MAX_FIELD_CHARS 200
/* The kinds of entity a window shows before one scrolls: the rest, and the groups under
 * them, join after the first frame. */
#define FIRST_FRAME_ENTITY_ROWS 6

struct _MwProfileForm
{
  AdwPreferencesPage   parent_instance;

  MwSession           *session;
  AdwEntryRow         *name_row;
  AdwEntryRow         *registration_row;
  AdwPreferencesGroup *entity_group;
  AdwComboRow         *regime_row;
  GStrv                regime_ids;
  AdwPreferencesGroup *services_group;
  AdwEntryRow         *service_entry_row;
  GtkButton           *add_service_button;
  AdwEntryRow         *contact_name_row;
  AdwEntryRow         *contact_role_row;
  AdwEntryRow         *contact_email_row;
  AdwEntryRow         *contact_phone_row;
  AdwEntryRow         *tech_name_row;
  AdwEntryRow         *tech_email_row;
  AdwEntryRow         *tech_phone_row;
  GtkLabel            *missing_label;

  GPtrArray           *entity_rows;   /* GtkWidget* rows we added */
  MwRegime            *rows_regime;   /* the law and language they were built for */
  char                *rows_language;
  GPtrArray           *service_rows;
  guint                loading : 1;
  guint                complete : 1;
  guint                first_frame_pending : 1;
};

G_DEFINE_FINAL_TYPE (MwProfileForm, mw_profile_form, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the sentence under the page says for each problem of mw_profile_validate(), by field. */
static const struct {
  const char *path;
  const char *missing;
} missing_phrases[] = {
  { "name", N_("the organisation name") },
  { "registration", N_("the registration number") },
  { "entity_type", N_("what kind of entity you are") },
  { "services", N_("at least one service") },
  { "contact.name", N_("a contact name") },
  { "contact", N_("a contact email address or phone number") },
  { "contact.email", N_("a contact email address of the form name@example.nl") },
  { "technical_contact.email", N_("a technical contact email address of the form name@example.nl") },
};

static MwProfile *
get_profile (MwProfileForm *self)
{
  MwSession *session = self->session;

  return session ? mw_session_get_profile (session) : NULL;
}

static GPtrArray *
validate (MwProfileForm *self)
{
  MwSession *session = self->session;

  return mw_profile_validate (mw_session_get_profile (session), mw_session_get_regime (session));
}

static gboolean
has_problem (GPtrArray  *problems,
             const char *path)
{
  for (guint i = 0; i < problems->len; i++)
    if (g_str_equal (((MwProblem *) g_ptr_array_index (problems, i))->path, path))
      return TRUE;
  return FALSE;
}

/* The sentence under the page: what is still missing, or NULL. */
static char *
missing_sentence (GPtrArray *problems)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autofree char *list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (missing_phrases); i++)
    if (has_problem (problems, missing_phrases[i].path))
      g_ptr_array_add (missing, (gpointer) _(missing_phrases[i].missing));

  if (missing->len == 0)
    return NULL;

  list = mw_join_for_sentence (missing);
  /* Translators: %s lists what is missing: "the organisation name and a contact name" */
  return g_strdup_printf (_("To continue, fill in: %s."), list);
}

static void
set_complete (MwProfileForm *self,
              gboolean       complete)
{
  complete = !!complete;
  if (self->complete == complete)
    return;
  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
update_complete (MwProfileForm *self)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *missing = NULL;

  if (get_profile (self) == NULL)
    {
      if (self->missing_label != NULL)
        gtk_label_set_text (self->missing_label, _("No session."));
      set_complete (self, FALSE);
      return;
    }
  problems = validate (self);
  missing = missing_sentence (problems);
  /* (The rows under the kinds of entity are there from the first frame on.) */
  if (self->missing_label != NULL)
    {
      gtk_label_set_text (self->missing_label, missing ? missing : _("Everything needed is filled in."));
      mw_widget_set_invalid (GTK_WIDGET (self->contact_email_row), has_problem (problems, "contact.email"));
      mw_widget_set_invalid (GTK_WIDGET (self->tech_email_row), has_problem (problems, "technical_contact.email"));
    }
  set_complete (self, missing == NULL);
}

/* Profile to row: absent is an empty row. */
static gboolean
text_to_row (GBinding     *binding,
             const GValue *from,
             GValue       *to,
             gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_set_string (to, text != NULL ? text : "");
  return TRUE;
}

/* Row to profile: bounded (a profile field is a name, number or address, never a text) and
 * without the spaces around it; empty is absent. */
static gboolean
text_from_row (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  g_value_take_string (to, mw_dup_entered_text (g_value_get_string (from), MAX_FIELD_CHARS));
  return TRUE;
}

/* Each entry row edits one text property of the session's profile (one object for the
 * session's life): bound both ways. */
static void
bind_row (MwProfileForm *self,
          AdwEntryRow   *row,
          const char    *property)
{
  MwProfile *profile = get_profile (self);

  if (profile != NULL)
    g_object_bind_property_full (profile, property, row, "text",
                                 G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                 text_to_row, text_from_row, NULL, NULL);
}

static void
entity_toggled_cb (GtkCheckButton *check,
                   MwProfileForm  *self)
{
  MwSession *session = self->session;
  const char *id = g_object_get_data (G_OBJECT (check), "entity-type");
  const MwEntityType *type;

  if (self->loading || session == NULL || !gtk_check_button_get_active (check))
    return;
  mw_profile_set_entity_type (mw_session_get_profile (session), id);
  type = mw_session_get_entity_type (session);
  mw_profile_set_sector (mw_session_get_profile (session), type ? type->sector : NULL);
}

static void
remove_service_cb (GtkButton     *button,
                   MwProfileForm *self)
{
  MwProfile *profile = get_profile (self);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  if (profile == NULL || index >= g_list_model_get_n_items (mw_profile_get_services (profile)))
    return;
  mw_profile_remove_service (profile, index);
}

/* Called on every change of the profile's services. */
static void
rebuild_services (MwProfileForm *self)
{
  MwProfile *profile = get_profile (self);
  GListModel *services;

  if (self->services_group == NULL)
    return;
  for (guint i = 0; i < self->service_rows->len; i++)
    adw_preferences_group_remove (self->services_group, g_ptr_array_index (self->service_rows, i));
  g_ptr_array_set_size (self->service_rows, 0);

  if (profile == NULL)
    return;
  services = mw_profile_get_services (profile);
  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(MwService) service = g_list_model_get_item (services, i);
      const char *name = mw_service_get_name (service);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *remove_name = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      /* Translators: accessible name of a button; %s is a service name */
      remove_name = g_strdup_printf (_("Remove service %s"), name);
      gtk_widget_set_tooltip_text (remove, remove_name);
      mw_widget_set_accessible_label (remove, remove_name);
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_service_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->services_group, row);
      g_ptr_array_add (self->service_rows, row);
    }
}

static void
add_service (MwProfileForm *self)
{
  MwProfile *profile = get_profile (self);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->service_entry_row))));

  if (profile == NULL)
    return;
  if (*name == '\0')
    {
      mw_widget_set_invalid (GTK_WIDGET (self->service_entry_row), TRUE);
      if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->service_entry_row));
      return;
    }
  mw_widget_set_invalid (GTK_WIDGET (self->service_entry_row), FALSE);
  mw_profile_add_service (profile, name, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->service_entry_row), "");
}

static void
add_service_clicked_cb (MwProfileForm *self)
{
  add_service (self);
}

/* Rows for the kinds of entity @from up to @to of the current law. */
static void
add_entity_rows (MwProfileForm *self,
                 GPtrArray     *types,
                 guint          from,
                 guint          to,
                 const char    *current)
{
  GtkCheckButton *group = self->entity_rows->len > 0 ?
                          g_object_get_data (g_ptr_array_index (self->entity_rows, 0), "check") : NULL;

  for (guint i = from; i < to && i < types->len; i++)
    {
      const MwEntityType *type = g_ptr_array_index (types, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = mw_choice_button_new_radio ();
      const char *label = mw_label_get (&type->label);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label ? label : type->id);
      /* No subtitle: the sector is a regime file identifier ("digital-infrastructure"), not a
       * text for people, and the regime format has no translated sector name. */
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      else
        group = GTK_CHECK_BUTTON (check);
      g_object_set_data_full (G_OBJECT (check), "entity-type", g_strdup (type->id), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_strcmp0 (current, type->id) == 0);
      g_signal_connect (check, "toggled", G_CALLBACK (entity_toggled_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data (G_OBJECT (row), "check", check);
      adw_preferences_group_add (self->entity_group, row);
      g_ptr_array_add (self->entity_rows, row);
    }
}

static void
rebuild_entity_types (MwProfileForm *self)
{
  MwSession *session = self->session;
  MwRegime *regime = session ? mw_session_get_regime (session) : NULL;
  const char *current = session ? mw_profile_get_entity_type (mw_session_get_profile (session)) : NULL;
  GPtrArray *types;
  guint first_rows;

  /* The same law in the same language: the rows stand, only the choice may have moved (a
   * profile put back). Building the rows again is most of the form's cost. */
  if (regime != NULL && regime == self->rows_regime && self->entity_rows->len > 0 &&
      g_strcmp0 (mw_language (), self->rows_language) == 0)
    {
      for (guint i = 0; i < self->entity_rows->len; i++)
        {
          GtkWidget *check = g_object_get_data (g_ptr_array_index (self->entity_rows, i), "check");

          gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                       g_strcmp0 (current, g_object_get_data (G_OBJECT (check), "entity-type")) == 0);
        }
      if (!self->first_frame_pending)
        add_entity_rows (self, mw_regime_get_entity_types (regime), self->entity_rows->len, G_MAXUINT, current);
      return;
    }

  for (guint i = 0; i < self->entity_rows->len; i++)
    adw_preferences_group_remove (self->entity_group, g_ptr_array_index (self->entity_rows, i));
  g_ptr_array_set_size (self->entity_rows, 0);
  g_clear_object (&self->rows_regime);
  g_clear_pointer (&self->rows_language, g_free);

  if (regime == NULL)
    return;

  self->rows_regime = g_object_ref (regime);
  self->rows_language = g_strdup (mw_language ());
  types = mw_regime_get_entity_types (regime);
  /* Before the first frame, only what the window shows at first (see rest_after_first_frame_cb). */
  first_rows = self->first_frame_pending ? FIRST_FRAME_ENTITY_ROWS : G_MAXUINT;
  add_entity_rows (self, types, 0, first_rows, current);
  /* The one chosen is always there. */
  for (guint i = first_rows; current != NULL && i < types->len; i++)
    if (g_strcmp0 (((const MwEntityType *) g_ptr_array_index (types, i))->id, current) == 0)
      add_entity_rows (self, types, first_rows, i + 1, current);
}

static void
fill_regimes (MwProfileForm *self)
{
  MwSession *session = self->session;
  MwRegime *current = session ? mw_session_get_regime (session) : NULL;
  g_autoptr(GtkStringList) model = NULL;
  guint selected = 0;

  /* The laws on this machine do not change while it runs: once a list is shown, only move
   * its selection. Replacing the combo row's model from inside its own notify::selected
   * (a law chosen → the session's regime → here) left it a freed selection: the GLib
   * CRITICAL "invalid uninstantiatable type '(null)'". */
  if (self->regime_ids != NULL)
    {
      for (guint i = 0; current != NULL && self->regime_ids[i]; i++)
        if (g_str_equal (self->regime_ids[i], mw_regime_get_id (current)))
          selected = i;
      if (adw_combo_row_get_selected (self->regime_row) != selected)
        adw_combo_row_set_selected (self->regime_row, selected);
      return;
    }
  model = gtk_string_list_new (NULL);
  self->regime_ids = mw_regime_list_available ();
  for (guint i = 0; self->regime_ids && self->regime_ids[i]; i++)
    {
      g_autoptr(MwRegime) regime = NULL;
      const char *title = NULL;

      if (current != NULL && g_str_equal (self->regime_ids[i], mw_regime_get_id (current)))
        {
          selected = i;
          regime = g_object_ref (current);
        }
      else
        regime = mw_regime_load (self->regime_ids[i], NULL);
      if (regime != NULL)
        title = mw_label_get (mw_regime_get_title (regime));
      gtk_string_list_append (model, title ? title : self->regime_ids[i]);
    }
  adw_combo_row_set_model (self->regime_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->regime_row, selected);
}

static void
regime_changed_cb (MwProfileForm *self)
{
  MwSession *session = self->session;
  guint selected = adw_combo_row_get_selected (self->regime_row);
  g_autoptr(GError) error = NULL;

  if (self->loading || session == NULL || self->regime_ids == NULL ||
      selected >= g_strv_length (self->regime_ids))
    return;
  if (!mw_session_set_regime_id (session, self->regime_ids[selected], &error))
    {
      g_warning ("%s", error->message);
      return;
    }
  /* An entity type of another law means nothing here: choose again. */
  if (mw_session_get_entity_type (session) == NULL)
    {
      mw_profile_set_entity_type (mw_session_get_profile (session), NULL);
      mw_profile_set_sector (mw_session_get_profile (session), NULL);
    }
}

/* A row of @group bound to @property of the profile (NULL: none). */
static AdwEntryRow *
add_entry_row (MwProfileForm   *self,
               GtkWidget       *group,
               const char      *title,
               GtkInputPurpose  purpose,
               const char      *property)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  g_object_set (row, "input-purpose", purpose, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  if (property != NULL)
    bind_row (self, ADW_ENTRY_ROW (row), property);
  return ADW_ENTRY_ROW (row);
}

/* The services, the contacts and the sentence under them: built after the first frame, bound
 * to the profile like the rows above. */
static void
build_details (MwProfileForm *self)
{
  GtkWidget *group;

  group = mw_preferences_page_add_group (ADW_PREFERENCES_PAGE (self), _("Services you provide"),
                     _("A report names the network or service that was hit. Add at least one, e.g. “Cloud storage EU-West”."));
  self->services_group = ADW_PREFERENCES_GROUP (group);
  self->service_entry_row = add_entry_row (self, group, _("New _service"), GTK_INPUT_PURPOSE_FREE_FORM, NULL);
  adw_entry_row_set_show_apply_button (self->service_entry_row, FALSE);
  self->add_service_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("A_dd")));
  gtk_widget_set_valign (GTK_WIDGET (self->add_service_button), GTK_ALIGN_CENTER);
  mw_widget_set_accessible_label (GTK_WIDGET (self->add_service_button), _("Add service"));
  adw_entry_row_add_suffix (self->service_entry_row, GTK_WIDGET (self->add_service_button));
  g_signal_connect_swapped (self->add_service_button, "clicked", G_CALLBACK (add_service_clicked_cb), self);
  g_signal_connect_swapped (self->service_entry_row, "entry-activated", G_CALLBACK (add_service_clicked_cb), self);

  group = mw_preferences_page_add_group (ADW_PREFERENCES_PAGE (self), _("Contact for reports"),
                     _("The official responsible for the report, whom the NCSC and the regulator can call back."));
  self->contact_name_row = add_entry_row (self, group, _("Contact n_ame"), GTK_INPUT_PURPOSE_FREE_FORM,
                                          "contact-name");
  self->contact_role_row = add_entry_row (self, group, _("Contact r_ole, e.g. CISO"), GTK_INPUT_PURPOSE_FREE_FORM,
                                          "contact-role");
  self->contact_email_row = add_entry_row (self, group, _("Contact _email"), GTK_INPUT_PURPOSE_EMAIL,
                                           "contact-email");
  self->contact_phone_row = add_entry_row (self, group, _("Contact _phone (24/7)"), GTK_INPUT_PURPOSE_PHONE,
                                           "contact-phone");

  group = mw_preferences_page_add_group (ADW_PREFERENCES_PAGE (self), _("Technical contact"),
                     _("Optional: who can answer technical questions about the incident."));
  self->tech_name_row = add_entry_row (self, group, _("_Technical contact name"), GTK_INPUT_PURPOSE_FREE_FORM,
                                       "technical-contact-name");
  self->tech_email_row = add_entry_row (self, group, _("Technical contact e_mail"), GTK_INPUT_PURPOSE_EMAIL,
                                        "technical-contact-email");
  self->tech_phone_row = add_entry_row (self, group, _("Technical contact p_hone"), GTK_INPUT_PURPOSE_PHONE,
                                        "technical-contact-phone");

  group = mw_preferences_page_add_group (ADW_PREFERENCES_PAGE (self), NULL, NULL);
  self->missing_label = g_object_new (GTK_TYPE_LABEL, "wrap", TRUE, "xalign", 0.0f,
                                      "accessible-role", GTK_ACCESSIBLE_ROLE_STATUS, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->missing_label), "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->missing_label));

  rebuild_services (self);
  update_complete (self);
}

/* The first frame shows the top of the form as it will stay; what is under it (most of the
 * 29 kinds of entity of the Cbw, the services, the contacts) is built and laid out after
 * it, so that the window shows without waiting for text nobody sees yet. */
static gboolean
rest_after_first_frame_cb (gpointer data)
{
  MwProfileForm *self = MW_PROFILE_FORM (data);

  self->first_frame_pending = FALSE;
  self->loading = TRUE;
  rebuild_entity_types (self);
  self->loading = FALSE;
  build_details (self);
  return G_SOURCE_REMOVE;
}

static void
mw_profile_form_dispose (GObject *object)
{
  MwProfileForm *self = MW_PROFILE_FORM (object);

  g_clear_pointer (&self->entity_rows, g_ptr_array_unref);
  g_clear_object (&self->rows_regime);
  g_clear_pointer (&self->rows_language, g_free);
  g_clear_pointer (&self->regime_ids, g_strfreev);
  g_clear_pointer (&self->service_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_PROFILE_FORM);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (mw_profile_form_parent_class)->dispose (object);
}

static void
mw_profile_form_constructed (GObject *object)
{
  MwProfileForm *self = MW_PROFILE_FORM (object);
  MwProfile *profile;

  G_OBJECT_CLASS (mw_profile_form_parent_class)->constructed (object);

  if (self->session != NULL)
    {
      profile = mw_session_get_profile (self->session);
      bind_row (self, self->name_row, "name");
      bind_row (self, self->registration_row, "registration");
      g_signal_connect_object (profile, "notify", G_CALLBACK (update_complete),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (mw_profile_get_services (profile), "items-changed",
                               G_CALLBACK (rebuild_services), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (mw_profile_get_services (profile), "items-changed",
                               G_CALLBACK (update_complete), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::regime", G_CALLBACK (mw_profile_form_refresh),
                               self, G_CONNECT_SWAPPED);
    }
  mw_profile_form_refresh (self);
}

static void
mw_profile_form_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MwProfileForm *self = MW_PROFILE_FORM (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_profile_form_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MwProfileForm *self = MW_PROFILE_FORM (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_profile_form_class_init (MwProfileFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mw_profile_form_constructed;
  object_class->dispose = mw_profile_form_dispose;
  object_class->get_property = mw_profile_form_get_property;
  object_class->set_property = mw_profile_form_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, MW_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Everything the profile needs is filled in. */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-profile-form.ui");
  gtk_widget_class_bind_template_child (widget_class, MwProfileForm, name_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfileForm, registration_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfileForm, entity_group);
  gtk_widget_class_bind_template_child (widget_class, MwProfileForm, regime_row);
}

static void
mw_profile_form_init (MwProfileForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->entity_rows = g_ptr_array_new ();
  self->service_rows = g_ptr_array_new ();
  /* The template holds the top of the form; the rest comes after its first frame. */
  self->first_frame_pending = TRUE;
  mw_widget_after_first_frame (GTK_WIDGET (self), rest_after_first_frame_cb, self, NULL);
  mw_combo_row_show_whole_value (self->regime_row);
  g_signal_connect_swapped (self->regime_row, "notify::selected", G_CALLBACK (regime_changed_cb), self);
}

GtkWidget *
mw_profile_form_new (MwSession *session)
{
  g_return_val_if_fail (session == NULL || MW_IS_SESSION (session), NULL);
  return g_object_new (MW_TYPE_PROFILE_FORM, "session", session, NULL);
}

gboolean
mw_profile_form_get_complete (MwProfileForm *self)
{
  g_return_val_if_fail (MW_IS_PROFILE_FORM (self), FALSE);
  return self->complete;
}

void
mw_profile_form_refresh (MwProfileForm *self)
{
  g_return_if_fail (MW_IS_PROFILE_FORM (self));

  self->loading = TRUE;
  fill_regimes (self);
  rebuild_entity_types (self);
  rebuild_services (self);
  self->loading = FALSE;
  update_complete (self);
}

char *
mw_profile_form_dup_missing (MwProfileForm *self)
{
  g_autoptr(GPtrArray) problems = NULL;

  g_return_val_if_fail (MW_IS_PROFILE_FORM (self), NULL);

  if (get_profile (self) == NULL)
    return g_strdup (_("No session."));

  problems = validate (self);
  return missing_sentence (problems);
}
