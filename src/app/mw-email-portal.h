/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The user's mail program opened with an e-mail ready, through the Email portal
 * (org.freedesktop.portal.Email, ComposeEmail): the address, subject, body and files
 * attached (attachment_fds). GTK 4.8 has no API for it; this calls the portal over D-Bus.
 * Fails with G_IO_ERROR_NOT_SUPPORTED when no portal answers (a desktop without
 * xdg-desktop-portal), with G_IO_ERROR_CANCELLED when the user cancelled, and with
 * G_IO_ERROR_FAILED when the portal could not open a mail program: the caller then falls back
 * to a mailto: link and asks for the files to be attached by hand.
 */

/* A file to attach: the name the mail program shows and its bytes. */
typedef struct
{
  const char *name;
  GBytes     *contents;
} MwEmailAttachment;

void     mw_email_portal_compose_async  (const char              *address,
                                         const char              *subject,
                                         const char              *body,
                                         const MwEmailAttachment *attachments,
                                         gsize                    n_attachments,
                                         GCancellable            *cancellable,
                                         GAsyncReadyCallback      callback,
                                         gpointer                 user_data);
gboolean mw_email_portal_compose_finish (GAsyncResult            *result,
                                         GError                 **error);

G_END_DECLS
