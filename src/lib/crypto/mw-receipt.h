/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A recipient's receipt (DESIGN.md, "Signing, keys and receipts"): a compact JWS signed by
 * the recipient over {receipt_id, report_id, report_sha256, recipient, received_at}. */

#define MW_RECEIPT_MAX_ID_BYTES 128

typedef struct {
  char *receipt_id;
  char *received_at;   /* RFC 3339, as the recipient wrote it */
  char *kid;           /* RFC 7638 thumbprint of the key that signed it */
} MwReceipt;

/* Verifies receipt_jws against the recipient's pinned public JWK and checks that it is the
 * receipt for exactly this report (id and SHA-256 of the JWS bytes) at this mailbox.
 * MW_ERROR_BAD_SIGNATURE when it is not; MW_ERROR_INVALID when the pinned key is unusable. */
MwReceipt *mw_receipt_verify (const char  *receipt_jws,
                              const char  *pinned_jwk,
                              const char  *report_id,
                              const char  *report_sha256,
                              const char  *mailbox,
                              GError     **error);
void       mw_receipt_free   (MwReceipt   *receipt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwReceipt, mw_receipt_free)

G_END_DECLS
