/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwProfilePage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-choice-button.h"

#include "mw-json.h"
#include "mw-profile-page.h"

#define MAX_FIELD_CHARS 200

struct _MwProfilePage
{
  MwPage               parent_instance;

  AdwPreferencesPage  *preferences_page;
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
  GPtrArray           *service_rows;
  guint                loading : 1;
};

G_DEFINE_FINAL_TYPE (MwProfilePage, mw_profile_page, MW_TYPE_PAGE)

typedef struct {
  const char *path;
  gsize       offset;
} FieldMap;

static const FieldMap fields[] = {
  { "name", G_STRUCT_OFFSET (MwProfilePage, name_row) },
  { "registration", G_STRUCT_OFFSET (MwProfilePage, registration_row) },
  { "contact.name", G_STRUCT_OFFSET (MwProfilePage, contact_name_row) },
  { "contact.role", G_STRUCT_OFFSET (MwProfilePage, contact_role_row) },
  { "contact.email", G_STRUCT_OFFSET (MwProfilePage, contact_email_row) },
  { "contact.phone", G_STRUCT_OFFSET (MwProfilePage, contact_phone_row) },
  { "technical_contact.name", G_STRUCT_OFFSET (MwProfilePage, tech_name_row) },
  { "technical_contact.email", G_STRUCT_OFFSET (MwProfilePage, tech_email_row) },
  { "technical_contact.phone", G_STRUCT_OFFSET (MwProfilePage, tech_phone_row) },
};

#define FIELD_ROW(self, i) (*(AdwEntryRow **) G_STRUCT_MEMBER_P ((self), fields[i].offset))

static gboolean
looks_like_email (const char *text)
{
  const char *at = text ? strchr (text, '@') : NULL;

  return at != NULL && at != text && strchr (at + 1, '.') != NULL && strchr (text, ' ') == NULL;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

char *
mw_profile_page_dup_missing (MwProfilePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autofree char *list = NULL;
  const char *email, *phone, *tech_email;
  JsonArray *services;

  if (session == NULL)
    return g_strdup (_("No session."));

  if (is_blank (mw_session_get_profile_string (session, "name")))
    g_ptr_array_add (missing, _("the organisation name"));
  if (is_blank (mw_session_get_profile_string (session, "registration")))
    g_ptr_array_add (missing, _("the registration number"));
  if (mw_session_get_entity_type (session) == NULL)
    g_ptr_array_add (missing, _("what kind of entity you are"));
  services = mw_session_get_services (session);
  if (services == NULL || json_array_get_length (services) == 0)
    g_ptr_array_add (missing, _("at least one service"));
  if (is_blank (mw_session_get_profile_string (session, "contact.name")))
    g_ptr_array_add (missing, _("a contact name"));
  email = mw_session_get_profile_string (session, "contact.email");
  phone = mw_session_get_profile_string (session, "contact.phone");
  if (is_blank (email) && is_blank (phone))
    g_ptr_array_add (missing, _("a contact email address or phone number"));
  else if (!is_blank (email) && !looks_like_email (email))
    g_ptr_array_add (missing, _("a contact email address of the form name@example.nl"));
  tech_email = mw_session_get_profile_string (session, "technical_contact.email");
  if (!is_blank (tech_email) && !looks_like_email (tech_email))
    g_ptr_array_add (missing, _("a technical contact email address of the form name@example.nl"));

  if (missing->len == 0)
    return NULL;

  list = mw_join_for_sentence (missing);
  /* Translators: %s lists what is missing: "the organisation name and a contact name" */
  return g_strdup_printf (_("To continue, fill in: %s."), list);
}

static void
update_complete (MwProfilePage *self)
{
  g_autofree char *missing = mw_profile_page_dup_missing (self);
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  const char *email = session ? mw_session_get_profile_string (session, "contact.email") : NULL;
  const char *tech_email = session ? mw_session_get_profile_string (session, "technical_contact.email") : NULL;

  gtk_label_set_text (self->missing_label, missing ? missing : _("Everything needed is filled in."));
  mw_widget_set_invalid (GTK_WIDGET (self->contact_email_row), !is_blank (email) && !looks_like_email (email));
  mw_widget_set_invalid (GTK_WIDGET (self->tech_email_row), !is_blank (tech_email) && !looks_like_email (tech_email));
  mw_page_set_complete (MW_PAGE (self), missing == NULL);
}

static void
field_changed_cb (AdwEntryRow   *row,
                  MwProfilePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));

  if (self->loading || session == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (FIELD_ROW (self, i) == row)
      {
        /* Bounded: a profile field is a name, number or address, never a text. */
        const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
        g_autofree char *value = g_utf8_strlen (text, -1) > MAX_FIELD_CHARS ?
                                 g_utf8_substring (text, 0, MAX_FIELD_CHARS) : g_strdup (text);

        g_strstrip (value);

        mw_session_set_profile_string (session, fields[i].path, value);
      }
  update_complete (self);
}

static void
entity_toggled_cb (GtkCheckButton *check,
                   MwProfilePage  *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  const char *id = g_object_get_data (G_OBJECT (check), "entity-type");
  const MwEntityType *type;

  if (self->loading || session == NULL || !gtk_check_button_get_active (check))
    return;
  mw_session_set_profile_string (session, "entity_type", id);
  type = mw_session_get_entity_type (session);
  mw_session_set_profile_string (session, "sector", type ? type->sector : NULL);
  update_complete (self);
}

static void rebuild_services (MwProfilePage *self);

static void
remove_service_cb (GtkButton     *button,
                   MwProfilePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  if (session == NULL)
    return;
  mw_session_remove_service (session, index);
  rebuild_services (self);
  update_complete (self);
}

static void
rebuild_services (MwProfilePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  JsonArray *services;

  for (guint i = 0; i < self->service_rows->len; i++)
    adw_preferences_group_remove (self->services_group, g_ptr_array_index (self->service_rows, i));
  g_ptr_array_set_size (self->service_rows, 0);

  if (session == NULL)
    return;
  services = mw_session_get_services (session);
  for (guint i = 0; services && i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);
      const char *name = service ? mw_json_get_string (service, "name") : NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *remove_name = NULL;

      if (name == NULL)
        continue;
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
add_service (MwProfilePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->service_entry_row))));

  if (session == NULL)
    return;
  if (*name == '\0')
    {
      mw_widget_set_invalid (GTK_WIDGET (self->service_entry_row), TRUE);
      if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->service_entry_row));
      return;
    }
  mw_widget_set_invalid (GTK_WIDGET (self->service_entry_row), FALSE);
  mw_session_add_service (session, name, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->service_entry_row), "");
  rebuild_services (self);
  update_complete (self);
}

static void
add_service_clicked_cb (MwProfilePage *self)
{
  add_service (self);
}

static void
rebuild_entity_types (MwProfilePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwRegime *regime = session ? mw_session_get_regime (session) : NULL;
  GPtrArray *types;
  GtkCheckButton *group = NULL;
  const char *current;

  for (guint i = 0; i < self->entity_rows->len; i++)
    adw_preferences_group_remove (self->entity_group, g_ptr_array_index (self->entity_rows, i));
  g_ptr_array_set_size (self->entity_rows, 0);

  if (regime == NULL)
    return;

  current = mw_session_get_profile_string (session, "entity_type");
  types = mw_regime_get_entity_types (regime);
  for (guint i = 0; i < types->len; i++)
    {
      const MwEntityType *type = g_ptr_array_index (types, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = mw_choice_button_new ();
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
      gtk_widget_add_css_class (check, "radio-choice");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->entity_group, row);
      g_ptr_array_add (self->entity_rows, row);
    }
}

static void
fill_regimes (MwProfilePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
  MwRegime *current = session ? mw_session_get_regime (session) : NULL;
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint selected = 0;

  g_clear_pointer (&self->regime_ids, g_strfreev);
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
regime_changed_cb (MwProfilePage *self)
{
  MwSession *session = mw_page_get_session (MW_PAGE (self));
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
      mw_session_set_profile_string (session, "entity_type", NULL);
      mw_session_set_profile_string (session, "sector", NULL);
    }
}

static void
mw_profile_page_shown (MwPage *page)
{
  MwProfilePage *self = MW_PROFILE_PAGE (page);
  MwSession *session = mw_page_get_session (page);

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = session ? mw_session_get_profile_string (session, fields[i].path) : NULL;

      gtk_editable_set_text (GTK_EDITABLE (FIELD_ROW (self, i)), value ? value : "");
    }
  fill_regimes (self);
  rebuild_entity_types (self);
  rebuild_services (self);
  self->loading = FALSE;
  update_complete (self);
}

static void
mw_profile_page_dispose (GObject *object)
{
  MwProfilePage *self = MW_PROFILE_PAGE (object);

  g_clear_pointer (&self->entity_rows, g_ptr_array_unref);
  g_clear_pointer (&self->regime_ids, g_strfreev);
  g_clear_pointer (&self->service_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_PROFILE_PAGE);
  G_OBJECT_CLASS (mw_profile_page_parent_class)->dispose (object);
}

static void
mw_profile_page_constructed (GObject *object)
{
  MwProfilePage *self = MW_PROFILE_PAGE (object);
  MwSession *session;

  G_OBJECT_CLASS (mw_profile_page_parent_class)->constructed (object);

  session = mw_page_get_session (MW_PAGE (self));
  if (session != NULL)
    g_signal_connect_object (session, "notify::regime", G_CALLBACK (mw_profile_page_shown),
                             self, G_CONNECT_SWAPPED);
  mw_profile_page_shown (MW_PAGE (self));
}

static void
mw_profile_page_class_init (MwProfilePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->constructed = mw_profile_page_constructed;
  object_class->dispose = mw_profile_page_dispose;
  page_class->shown = mw_profile_page_shown;
  page_class->apply_async = mw_page_apply_save_profile_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-profile-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, name_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, registration_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, entity_group);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, regime_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, services_group);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, service_entry_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, add_service_button);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, contact_name_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, contact_role_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, contact_email_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, contact_phone_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, tech_name_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, tech_email_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, tech_phone_row);
  gtk_widget_class_bind_template_child (widget_class, MwProfilePage, missing_label);
}

static void
mw_profile_page_init (MwProfilePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mw_widget_set_accessible_label (GTK_WIDGET (self->add_service_button), _("Add service"));

  self->entity_rows = g_ptr_array_new ();
  self->service_rows = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_signal_connect (FIELD_ROW (self, i), "changed", G_CALLBACK (field_changed_cb), self);
    }
  mw_combo_row_show_whole_value (self->regime_row);
  g_signal_connect_swapped (self->regime_row, "notify::selected", G_CALLBACK (regime_changed_cb), self);
  g_signal_connect_swapped (self->add_service_button, "clicked", G_CALLBACK (add_service_clicked_cb), self);
  g_signal_connect_swapped (self->service_entry_row, "entry-activated", G_CALLBACK (add_service_clicked_cb), self);
}

GtkWidget *
mw_profile_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_PROFILE_PAGE, "session", session, NULL);
}
