/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The protocol layer's errors: what an exchange with a recipient came to. */
#define MW_PROTOCOL_ERROR (mw_protocol_error_quark ())

typedef enum {
  MW_PROTOCOL_ERROR_NETWORK,   /* a transient problem (no connection, timeout, 5xx): retry */
  MW_PROTOCOL_ERROR_REFUSED,   /* the recipient refused, or answered outside the protocol: do not retry */
} MwProtocolError;

GQuark mw_protocol_error_quark (void);

/* The intake protocol's shared rules (DESIGN.md, "The intake protocol"): both the client and
 * the server in src/intake use these, so the two ends cannot drift apart. */

#define MW_PROTOCOL_MAX_REPORT      (1024 * 1024)  /* 413 above this */
#define MW_PROTOCOL_RECEIPT_CTY     "meldwijzer.receipt/1"
#define MW_PROTOCOL_MAX_MAILBOX_NAME 64

/* A mailbox name: 1–64 of [A-Za-z0-9._-], not starting with '.' or '-'. */
gboolean mw_is_mailbox_name (const char *name);

G_END_DECLS
