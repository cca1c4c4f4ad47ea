/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwKeyPage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-key-page.h"
#include "mw-keyring.h"

struct _MwKeyPage
{
  MwPage        parent_instance;

  AdwActionRow *thumbprint_row;
  GtkSpinner   *spinner;
  GtkLabel     *thumbprint_label;
  AdwActionRow *kid_row;
  GtkButton    *copy_button;
  GtkLabel     *error_label;
  GtkButton    *retry_button;

  MwKeyring    *keyring;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MwKeyPage, mw_key_page, MW_TYPE_PAGE)

static void
show_signer (MwKeyPage *self,
             MwSigner  *signer)
{
  g_autofree char *grouped = mw_signer_format_thumbprint (signer);

  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  adw_action_row_set_subtitle (self->thumbprint_row,
                               _("Ed25519 key stored in your keyring. Give this fingerprint to the authorities when you register."));
  gtk_label_set_text (self->thumbprint_label, grouped);
  g_object_set_data_full (G_OBJECT (self->copy_button), "kid",
                          g_strdup (mw_signer_get_thumbprint (signer)), g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->kid_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  mw_page_set_complete (MW_PAGE (self), TRUE);
}

/* The exact key ID for mails and forms, where the grouped hex is for reading aloud. */
static void
copy_clicked_cb (MwKeyPage *self)
{
  const char *kid = g_object_get_data (G_OBJECT (self->copy_button), "kid");

  /* Too long to show whole at 360 px without breaking it: copied, never retyped. */
  if (kid != NULL && *kid != '\0')
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), kid);
}

static void
ensure_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MwKeyPage) self = user_data;
  g_autoptr(MwSigner) signer = NULL;
  g_autoptr(GError) error = NULL;
  MwSession *session;

  signer = mw_keyring_ensure_finish (MW_KEYRING (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  if (signer == NULL)
    {
      g_autofree char *message = NULL;

      gtk_spinner_set_spinning (self->spinner, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      /* Translators: %s is the keyring's own error message */
      message = g_strdup_printf (_("The key could not be created or read: %s Unlock your keyring (Passwords and Keys) and press Try again."),
                                 error->message);
      adw_action_row_set_subtitle (self->thumbprint_row, _("No key yet."));
      gtk_label_set_text (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->retry_button), TRUE);
      mw_page_set_complete (MW_PAGE (self), FALSE);
      return;
    }

  session = mw_page_get_session (MW_PAGE (self));
  if (session != NULL)
    mw_session_set_signer (session, signer);
  show_signer (self, signer);
}

static void
start_ensure (MwKeyPage *self)
{
  if (self->cancellable != NULL)
    return;
  if (self->keyring == NULL)
    self->keyring = mw_keyring_new (NULL);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  adw_action_row_set_subtitle (self->thumbprint_row, _("Preparing the key…"));
  mw_keyring_ensure_async (self->keyring, self->cancellable, ensure_cb, g_object_ref (self));
}

static void
mw_key_page_shown (MwPage *page)
{
  MwKeyPage *self = MW_KEY_PAGE (page);
  MwSession *session = mw_page_get_session (page);
  MwSigner *signer = session ? mw_session_get_signer (session) : NULL;

  if (signer != NULL)
    show_signer (self, signer);
  else
    start_ensure (self);
}

static void
retry_clicked_cb (MwKeyPage *self)
{
  start_ensure (self);
}

static void
mw_key_page_dispose (GObject *object)
{
  MwKeyPage *self = MW_KEY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->keyring);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_KEY_PAGE);
  G_OBJECT_CLASS (mw_key_page_parent_class)->dispose (object);
}

static void
mw_key_page_class_init (MwKeyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwPageClass *page_class = MW_PAGE_CLASS (klass);

  object_class->dispose = mw_key_page_dispose;
  page_class->shown = mw_key_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/meldwijzer/Meldwijzer/ui/mw-key-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwKeyPage, thumbprint_row);
  gtk_widget_class_bind_template_child (widget_class, MwKeyPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MwKeyPage, thumbprint_label);
  gtk_widget_class_bind_template_child (widget_class, MwKeyPage, kid_row);
  gtk_widget_class_bind_template_child (widget_class, MwKeyPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, MwKeyPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwKeyPage, retry_button);
}

static void
mw_key_page_init (MwKeyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->retry_button, "clicked", G_CALLBACK (retry_clicked_cb), self);
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self);
  mw_button_fix_accessible_name (GTK_WIDGET (self->retry_button));
}

GtkWidget *
mw_key_page_new (MwSession *session)
{
  return g_object_new (MW_TYPE_KEY_PAGE, "session", session, NULL);
}
