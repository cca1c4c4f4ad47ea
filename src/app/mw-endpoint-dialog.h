/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-session.h"

G_BEGIN_DECLS

/*
 * MwEndpointDialog: configures a recipient's live endpoint, for the day an authority offers
 * the intake protocol. The officer picks the recipient and types the mailbox URL; the
 * mailbox's receipt key is fetched (MwOutbox, which asks the mailbox) and its thumbprint
 * shown, to be confirmed with the recipient before Save stores it (MwOutbox).
 */

#define MW_TYPE_ENDPOINT_DIALOG (mw_endpoint_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwEndpointDialog, mw_endpoint_dialog, MW, ENDPOINT_DIALOG, AdwWindow)

GtkWidget *mw_endpoint_dialog_new (MwSession *session);

G_END_DECLS
