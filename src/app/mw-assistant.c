/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwAssistant"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-assistant.h"
#include "mw-reflow-layout.h"

/* The pages, in order. A page added by its type is created only when it is first needed
 * (shown, looked for, or next to the page on screen); until then its slot keeps whether it
 * takes part in the sequence. At start-up only the page on screen is built. */
typedef struct
{
  GType      type;
  MwPage    *page;       /* borrowed (the stack owns it); NULL until created */
  MwSession *session;    /* what a page added by type is created with */
  gboolean   visible;    /* while page is NULL */
} Slot;

struct _MwAssistant
{
  GtkWidget       parent_instance;

  GtkWidget      *main_box;
  AdwHeaderBar   *header_bar;
  AdwWindowTitle *window_title;
  GtkButton      *back_button;
  GtkButton      *next_button;
  GtkMenuButton  *menu_button;
  GtkSpinner     *spinner;
  GtkWidget      *training_bar;
  GtkStack       *stack;
  GtkWidget      *action_bar;

  GArray         *slots;        /* Slot */
  MwPage         *current;
  GCancellable   *apply_cancellable;
  guint           focus_source;
  guint           applying : 1;
};

G_DEFINE_FINAL_TYPE (MwAssistant, mw_assistant, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CURRENT_PAGE,
  PROP_APPLYING,
  N_PROPS
};

enum {
  PAGE_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void page_notify_cb (MwAssistant *self,
                            GParamSpec  *pspec,
                            MwPage      *page);

#define SLOT(self, i) (&g_array_index ((self)->slots, Slot, (i)))

static gboolean
slot_visible (Slot *slot)
{
  return slot->page != NULL ? gtk_widget_get_visible (GTK_WIDGET (slot->page)) : slot->visible;
}

static int
index_of_page (MwAssistant *self,
               MwPage      *page)
{
  for (guint i = 0; page != NULL && i < self->slots->len; i++)
    if (SLOT (self, i)->page == page)
      return (int) i;
  return -1;
}

static int
index_of_type (MwAssistant *self,
               GType        type)
{
  for (guint i = 0; i < self->slots->len; i++)
    if (g_type_is_a (SLOT (self, i)->type, type))
      return (int) i;
  return -1;
}

static void
adopt_page (MwAssistant *self,
            MwPage      *page)
{
  gtk_stack_add_child (self->stack, GTK_WIDGET (page));
  g_signal_connect_object (page, "notify::complete", G_CALLBACK (page_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::title", G_CALLBACK (page_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::next-label", G_CALLBACK (page_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::final", G_CALLBACK (page_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::visible", G_CALLBACK (page_notify_cb), self, G_CONNECT_SWAPPED);
}

/* The page of slot @i, created now when it was added by its type. */
static MwPage *
ensure_page (MwAssistant *self,
             guint        i)
{
  Slot *slot = SLOT (self, i);
  MwPage *page;

  if (slot->page != NULL)
    return slot->page;
  page = g_object_new (slot->type, "session", slot->session, "visible", slot->visible, NULL);
  slot->page = page;
  g_clear_object (&slot->session);
  adopt_page (self, page);
  g_signal_emit (self, signals[PAGE_ADDED], 0, page);
  return page;
}

/* The index of the next (or previous) page in the sequence from slot @from, or -1. */
static int
find_visible (MwAssistant *self,
              int          from,
              gboolean     forward)
{
  if (from < 0)
    return -1;
  for (int i = forward ? from + 1 : from - 1; i >= 0 && (guint) i < self->slots->len; i += forward ? 1 : -1)
    if (slot_visible (SLOT (self, i)))
      return i;
  return -1;
}

static void
update_navigation (MwAssistant *self)
{
  MwPage *page = self->current;
  int index = index_of_page (self, page);
  gboolean complete = page != NULL && mw_page_get_complete (page);
  gboolean final = page != NULL && mw_page_get_final (page);
  gboolean has_next = page != NULL && (find_visible (self, index, TRUE) >= 0 ||
                                       mw_page_get_next_label (page) != NULL);
  gboolean has_prev = page != NULL && find_visible (self, index, FALSE) >= 0;
  const char *label = page ? mw_page_get_next_label (page) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next",
                                 complete && has_next && !final && !self->applying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.previous",
                                 has_prev && !final && !self->applying);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), has_next && !final);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), has_prev && !final);
  gtk_widget_set_visible (self->action_bar, (has_next || has_prev) && !final);
  gtk_button_set_label (self->next_button, label ? label : _("_Next"));
  /* A long label ("Sign and send to NCSC and RDI", longer in Dutch) wraps on a narrow
   * window instead of making the window wider than the screen. */
  if (GTK_IS_LABEL (gtk_button_get_child (self->next_button)))
    {
      GtkLabel *next_label = GTK_LABEL (gtk_button_get_child (self->next_button));

      gtk_label_set_wrap (next_label, TRUE);
      gtk_label_set_justify (next_label, GTK_JUSTIFY_CENTER);
    }
  /* GTK 4.8 names a mnemonic button "_Next Next": let the label alone name it. */
  mw_button_fix_accessible_name (GTK_WIDGET (self->next_button));

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->applying);
  gtk_spinner_set_spinning (self->spinner, self->applying);

  adw_window_title_set_title (self->window_title, page ? mw_page_get_title (page) : "");
  if (page != NULL)
    {
      guint n = 0, i = 0;

      for (guint j = 0; j < self->slots->len; j++)
        if (slot_visible (SLOT (self, j)))
          {
            n++;
            if (SLOT (self, j)->page == page)
              i = n;
          }
      if (n > 1 && i > 0)
        {
          /* Translators: the step counter under the page title */
          g_autofree char *subtitle = g_strdup_printf (_("Step %u of %u"), i, n);

          adw_window_title_set_subtitle (self->window_title, subtitle);
        }
      else
        adw_window_title_set_subtitle (self->window_title, NULL);
    }
}

static void
page_notify_cb (MwAssistant *self,
                GParamSpec  *pspec,
                MwPage      *page)
{
  update_navigation (self);
}

static void
set_applying (MwAssistant *self,
              gboolean     applying)
{
  applying = !!applying;
  if (self->applying == applying)
    return;
  self->applying = applying;
  update_navigation (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLYING]);
}

static void
apply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MwAssistant) self = user_data;
  MwPage *page = MW_PAGE (source);
  g_autoptr(GError) error = NULL;
  int next;

  set_applying (self, FALSE);
  g_clear_object (&self->apply_cancellable);

  if (!mw_page_apply_finish (page, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

          g_message ("%s: %s", mw_page_get_title (page), error->message);
          if (overlay != NULL)
            {
              AdwToast *toast = adw_toast_new (error->message);

              adw_toast_set_timeout (toast, 0);
              adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
            }
        }
      return;
    }

  if (page != self->current)
    return;
  next = find_visible (self, index_of_page (self, page), TRUE);
  if (next >= 0)
    mw_assistant_set_current_page (self, ensure_page (self, next));
}

void
mw_assistant_next (MwAssistant *self)
{
  g_return_if_fail (MW_IS_ASSISTANT (self));

  if (self->current == NULL || self->applying || !mw_page_get_complete (self->current))
    return;

  set_applying (self, TRUE);
  self->apply_cancellable = g_cancellable_new ();
  mw_page_apply_async (self->current, self->apply_cancellable, apply_cb, g_object_ref (self));
}

void
mw_assistant_previous (MwAssistant *self)
{
  int prev;

  g_return_if_fail (MW_IS_ASSISTANT (self));

  if (self->current == NULL)
    return;
  if (self->applying)
    g_cancellable_cancel (self->apply_cancellable);
  prev = find_visible (self, index_of_page (self, self->current), FALSE);
  if (prev >= 0)
    mw_assistant_set_current_page (self, ensure_page (self, prev));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  mw_assistant_next (MW_ASSISTANT (widget));
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  mw_assistant_previous (MW_ASSISTANT (widget));
}

/* When the window first shows, start on the page, not in the header bar: once the window
 * has set its own initial focus, move it into the current page. */
static gboolean
focus_page_cb (gpointer data)
{
  MwAssistant *self = MW_ASSISTANT (data);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  self->focus_source = 0;
  /* The window's own initial focus goes to the first focusable widget, often a list row:
   * unless the cursor is already in a text field of the page, put it in the first. */
  if (self->current != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->current)) ||
       !(GTK_IS_TEXT (focus) || GTK_IS_TEXT_VIEW (focus))))
    mw_page_focus_first_field (self->current);
  return G_SOURCE_REMOVE;
}

static void
mw_assistant_map (GtkWidget *widget)
{
  MwAssistant *self = MW_ASSISTANT (widget);

  GTK_WIDGET_CLASS (mw_assistant_parent_class)->map (widget);
  if (self->focus_source == 0)
    self->focus_source = g_idle_add (focus_page_cb, self);
}

static void
mw_assistant_dispose (GObject *object)
{
  MwAssistant *self = MW_ASSISTANT (object);

  g_clear_handle_id (&self->focus_source, g_source_remove);
  if (self->apply_cancellable != NULL)
    g_cancellable_cancel (self->apply_cancellable);
  g_clear_object (&self->apply_cancellable);
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    if (SLOT (self, i)->page != NULL)
      g_signal_handlers_disconnect_by_data (SLOT (self, i)->page, self);
  g_clear_pointer (&self->slots, g_array_unref);
  self->current = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ASSISTANT);

  G_OBJECT_CLASS (mw_assistant_parent_class)->dispose (object);
}

static void
mw_assistant_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MwAssistant *self = MW_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_CURRENT_PAGE:
      g_value_set_object (value, self->current);
      break;
    case PROP_APPLYING:
      g_value_set_boolean (value, self->applying);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_assistant_class_init (MwAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_assistant_dispose;
  object_class->get_property = mw_assistant_get_property;
  widget_class->map = mw_assistant_map;

  properties[PROP_CURRENT_PAGE] =
    g_param_spec_object ("current-page", NULL, NULL, MW_TYPE_PAGE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_APPLYING] =
    g_param_spec_boolean ("applying", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A page was created and joined the stack (a page added by its type, when first needed). */
  signals[PAGE_ADDED] =
    g_signal_new ("page-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MW_TYPE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, main_box);
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, header_bar);
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, menu_button);
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, spinner);
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, training_bar);
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, MwAssistant, action_bar);

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.previous", NULL, previous_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "assistant.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "assistant.previous", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, MW_TYPE_REFLOW_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "assistant");
}

static void
slot_clear (Slot *slot)
{
  g_clear_object (&slot->session);
}

static void
mw_assistant_init (MwAssistant *self)
{
  self->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  g_array_set_clear_func (self->slots, (GDestroyNotify) slot_clear);
  gtk_widget_init_template (GTK_WIDGET (self));
  mw_button_fix_accessible_name (GTK_WIDGET (self->back_button));
  update_navigation (self);
}

GtkWidget *
mw_assistant_new (void)
{
  return g_object_new (MW_TYPE_ASSISTANT, NULL);
}

void
mw_assistant_add_page (MwAssistant *self,
                       MwPage      *page)
{
  Slot slot = { 0 };

  g_return_if_fail (MW_IS_ASSISTANT (self));
  g_return_if_fail (MW_IS_PAGE (page));

  slot.type = G_OBJECT_TYPE (page);
  slot.page = page;
  g_array_append_val (self->slots, slot);
  adopt_page (self, page);

  if (self->current == NULL && gtk_widget_get_visible (GTK_WIDGET (page)))
    mw_assistant_set_current_page (self, page);
  else
    update_navigation (self);
}

void
mw_assistant_add_page_type (MwAssistant *self,
                            GType        type,
                            MwSession   *session,
                            gboolean     visible)
{
  Slot slot = { 0 };

  g_return_if_fail (MW_IS_ASSISTANT (self));
  g_return_if_fail (g_type_is_a (type, MW_TYPE_PAGE));
  g_return_if_fail (MW_IS_SESSION (session));

  slot.type = type;
  slot.session = g_object_ref (session);
  slot.visible = !!visible;
  g_array_append_val (self->slots, slot);
  update_navigation (self);
}

MwPage *
mw_assistant_get_current_page (MwAssistant *self)
{
  g_return_val_if_fail (MW_IS_ASSISTANT (self), NULL);
  return self->current;
}

void
mw_assistant_set_current_page (MwAssistant *self,
                               MwPage      *page)
{
  int from, to;

  g_return_if_fail (MW_IS_ASSISTANT (self));
  g_return_if_fail (MW_IS_PAGE (page));
  g_return_if_fail (index_of_page (self, page) >= 0);

  /* Back on the same page (a new incident, a follow-up): the cursor goes to its first field
   * again, wherever it was. */
  if (self->current == page)
    {
      if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
        mw_page_focus_first_field (page);
      return;
    }
  /* The stack holds the pages in the order they were created: the slide follows the
   * sequence instead. */
  from = index_of_page (self, self->current);
  to = index_of_page (self, page);
  gtk_stack_set_transition_type (self->stack, from < to ? GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT
                                                        : GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT);
  self->current = page;
  mw_page_shown (page);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
  update_navigation (self);
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    mw_page_focus_first_field (page);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
}

MwPage *
mw_assistant_find_page (MwAssistant *self,
                        GType        type)
{
  int i;

  g_return_val_if_fail (MW_IS_ASSISTANT (self), NULL);

  i = index_of_type (self, type);
  return i >= 0 ? ensure_page (self, i) : NULL;
}

MwPage *
mw_assistant_lookup_page (MwAssistant *self,
                          GType        type)
{
  int i;

  g_return_val_if_fail (MW_IS_ASSISTANT (self), NULL);

  i = index_of_type (self, type);
  return i >= 0 ? SLOT (self, i)->page : NULL;
}

gboolean
mw_assistant_get_page_visible (MwAssistant *self,
                               GType        type)
{
  int i;

  g_return_val_if_fail (MW_IS_ASSISTANT (self), FALSE);

  i = index_of_type (self, type);
  return i >= 0 && slot_visible (SLOT (self, i));
}

void
mw_assistant_set_page_visible (MwAssistant *self,
                               GType        type,
                               gboolean     visible)
{
  int i;
  Slot *slot;

  g_return_if_fail (MW_IS_ASSISTANT (self));

  i = index_of_type (self, type);
  if (i < 0)
    return;
  slot = SLOT (self, i);
  if (slot->page != NULL)
    gtk_widget_set_visible (GTK_WIDGET (slot->page), visible);
  else if (slot->visible != !!visible)
    {
      slot->visible = !!visible;
      update_navigation (self);
    }
}

gboolean
mw_assistant_get_applying (MwAssistant *self)
{
  g_return_val_if_fail (MW_IS_ASSISTANT (self), FALSE);
  return self->applying;
}

void
mw_assistant_set_training (MwAssistant *self,
                           gboolean     training)
{
  g_return_if_fail (MW_IS_ASSISTANT (self));
  gtk_widget_set_visible (self->training_bar, training);
}

void
mw_assistant_set_menu_model (MwAssistant *self,
                             GMenuModel  *model)
{
  g_return_if_fail (MW_IS_ASSISTANT (self));
  mw_menu_button_set_menu_model_lazily (self->menu_button, model);
}
