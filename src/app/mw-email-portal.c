/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "MwEmailPortal"

/*
 * Composing an e-mail through the Email portal
 * (https://flatpak.github.io/xdg-desktop-portal/docs/doc-org.freedesktop.portal.Email.html):
 *
 * 1. The attachments are written to files of their own name in a new private folder (the
 *    portal and the mail program name an attachment after its file) and opened read-only;
 *    their descriptors travel with the call in a GUnixFDList, as "attachment_fds" (ah).
 * 2. Before the call, the Response signal of the request object the portal will create
 *    (…/request/SENDER/TOKEN, from our handle_token) is subscribed to, so that it cannot be
 *    missed; a portal that returns another handle is followed there.
 * 3. ComposeEmail returns the handle at once; Response says how it went: 0 the mail program
 *    opened, 1 the user cancelled, 2 it failed.
 *
 * The files stay in the folder under the temporary directory: the mail program reads them
 * after the portal answered, at a moment nobody tells us.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mw-email-portal.h"

#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH     "/org/freedesktop/portal/desktop"
#define EMAIL_INTERFACE "org.freedesktop.portal.Email"
#define REQUEST_INTERFACE "org.freedesktop.portal.Request"

typedef struct
{
  char            *address;
  char            *subject;
  char            *body;
  GUnixFDList     *fds;
  GDBusConnection *connection;
  char            *request_path;
  guint            response_id;
  gulong           cancelled_id;
  gboolean         done;
} Compose;

static void
compose_free (Compose *compose)
{
  g_free (compose->address);
  g_free (compose->subject);
  g_free (compose->body);
  g_clear_object (&compose->fds);
  g_clear_object (&compose->connection);
  g_free (compose->request_path);
  g_free (compose);
}

/* The files to attach, each written under its own name and opened read-only. */
static GUnixFDList *
open_attachments (const MwEmailAttachment  *attachments,
                  gsize                     n_attachments,
                  GError                  **error)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autofree char *folder = NULL;

  if (n_attachments == 0)
    return g_steal_pointer (&fds);
  folder = g_dir_make_tmp ("meldwijzer-mail-XXXXXX", error);
  if (folder == NULL)
    return NULL;
  for (gsize i = 0; i < n_attachments; i++)
    {
      g_autofree char *name = g_path_get_basename (attachments[i].name);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      gsize size = 0;
      const char *data = g_bytes_get_data (attachments[i].contents, &size);
      int fd;

      if (!g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_NONE, 0600, error))
        return NULL;
      fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not open the attachment %s: %s"), path, g_strerror (saved));
          return NULL;
        }
      /* The list keeps a duplicate. */
      if (g_unix_fd_list_append (fds, fd, error) < 0)
        {
          close (fd);
          return NULL;
        }
      close (fd);
    }
  return g_steal_pointer (&fds);
}

/* Ends the request once: no more Response, no more cancellation. Takes error (NULL: done). */
static void
finish (GTask  *task,
        GError *error)
{
  Compose *compose = g_task_get_task_data (task);

  if (compose->done)
    {
      g_clear_error (&error);
      return;
    }
  compose->done = TRUE;
  if (compose->response_id != 0)
    g_dbus_connection_signal_unsubscribe (compose->connection, compose->response_id);
  compose->response_id = 0;
  if (compose->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), compose->cancelled_id);
  compose->cancelled_id = 0;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
response_cb (GDBusConnection *connection,
             const char      *sender_name,
             const char      *object_path,
             const char      *interface_name,
             const char      *signal_name,
             GVariant        *parameters,
             gpointer         user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);  /* the subscription's goes in finish () */
  guint32 response = 2;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_variant_get (parameters, "(u@a{sv})", &response, NULL);
  if (response == 0)
    finish (task, NULL);
  else if (response == 1)
    finish (task, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The e-mail was cancelled.")));
  else
    finish (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, _("The e-mail portal could not open a mail program.")));
}

static void
subscribe_response (GTask      *task,
                    const char *path)
{
  Compose *compose = g_task_get_task_data (task);

  if (compose->response_id != 0)
    g_dbus_connection_signal_unsubscribe (compose->connection, compose->response_id);
  g_free (compose->request_path);
  compose->request_path = g_strdup (path);
  compose->response_id = g_dbus_connection_signal_subscribe (compose->connection, PORTAL_BUS_NAME,
                                                             REQUEST_INTERFACE, "Response", path, NULL,
                                                             G_DBUS_SIGNAL_FLAGS_NONE, response_cb,
                                                             g_object_ref (task), g_object_unref);
}

static gboolean
cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;

  finish (task, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The e-mail was cancelled.")));
  return G_SOURCE_REMOVE;
}

/* Not from within the handler: finish () disconnects it. */
static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, cancelled_idle, g_object_ref (task), g_object_unref);
}

static void
compose_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Compose *compose = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *handle = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL, result, &error);
  if (reply == NULL)
    {
      g_autofree char *remote = g_dbus_error_get_remote_error (error);

      /* No portal here, or one without the Email interface. */
      if (remote != NULL &&
          (g_str_equal (remote, "org.freedesktop.DBus.Error.ServiceUnknown") ||
           g_str_equal (remote, "org.freedesktop.DBus.Error.NameHasNoOwner") ||
           g_str_equal (remote, "org.freedesktop.DBus.Error.UnknownMethod") ||
           g_str_equal (remote, "org.freedesktop.DBus.Error.UnknownInterface") ||
           g_str_equal (remote, "org.freedesktop.DBus.Error.UnknownObject")))
        finish (task, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("No e-mail portal is available.")));
      else
        finish (task, g_steal_pointer (&error));
      return;
    }
  g_variant_get (reply, "(&o)", &handle);
  if (!compose->done && g_strcmp0 (handle, compose->request_path) != 0)
    subscribe_response (task, handle);
  /* Response comes to response_cb; a cancellation meanwhile ends the wait. */
  if (!compose->done && g_task_get_cancellable (task) != NULL)
    compose->cancelled_id = g_cancellable_connect (g_task_get_cancellable (task), G_CALLBACK (cancelled_cb),
                                                   task, NULL);
}

static void
bus_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Compose *compose = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder options;
  GCancellable *cancellable;
  static guint counter;

  compose->connection = g_bus_get_finish (result, &error);
  if (compose->connection == NULL)
    {
      finish (task, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _("No e-mail portal is available: %s"), error->message));
      return;
    }

  /* The request object's path, known before the call (the portal's documented recipe). */
  token = g_strdup_printf ("meldwijzer%u_%u", (guint) getpid (), ++counter);
  sender = g_strdup (g_dbus_connection_get_unique_name (compose->connection) + 1);
  g_strdelimit (sender, ".", '_');
  path = g_strdup_printf ("%s/request/%s/%s", PORTAL_PATH, sender, token);
  subscribe_response (task, path);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  if (compose->address != NULL)
    g_variant_builder_add (&options, "{sv}", "address", g_variant_new_string (compose->address));
  if (compose->subject != NULL)
    g_variant_builder_add (&options, "{sv}", "subject", g_variant_new_string (compose->subject));
  if (compose->body != NULL)
    g_variant_builder_add (&options, "{sv}", "body", g_variant_new_string (compose->body));
  if (g_unix_fd_list_get_length (compose->fds) > 0)
    {
      GVariantBuilder handles;

      g_variant_builder_init (&handles, G_VARIANT_TYPE ("ah"));
      for (int i = 0; i < g_unix_fd_list_get_length (compose->fds); i++)
        g_variant_builder_add (&handles, "h", i);
      g_variant_builder_add (&options, "{sv}", "attachment_fds", g_variant_builder_end (&handles));
    }

  /* "" as the parent window: GTK 4.8 has no portable way to export one. */
  cancellable = g_task_get_cancellable (task);
  g_dbus_connection_call_with_unix_fd_list (compose->connection, PORTAL_BUS_NAME, PORTAL_PATH, EMAIL_INTERFACE,
                                            "ComposeEmail", g_variant_new ("(sa{sv})", "", &options),
                                            G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, compose->fds,
                                            cancellable, compose_done_cb, g_steal_pointer (&task));
}

void
mw_email_portal_compose_async (const char              *address,
                               const char              *subject,
                               const char              *body,
                               const MwEmailAttachment *attachments,
                               gsize                    n_attachments,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Compose *compose = g_new0 (Compose, 1);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (n_attachments == 0 || attachments != NULL);

  g_task_set_source_tag (task, mw_email_portal_compose_async);
  g_task_set_task_data (task, compose, (GDestroyNotify) compose_free);
  compose->address = g_strdup (address);
  compose->subject = g_strdup (subject);
  compose->body = g_strdup (body);
  compose->fds = open_attachments (attachments, n_attachments, &error);
  if (compose->fds == NULL)
    {
      finish (task, g_steal_pointer (&error));
      return;
    }
  g_bus_get (G_BUS_TYPE_SESSION, cancellable, bus_cb, g_steal_pointer (&task));
}

gboolean
mw_email_portal_compose_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
