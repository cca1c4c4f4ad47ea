/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-receipt"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-error.h"
#include "mw-json.h"
#include "mw-receipt.h"
#include "mw-report.h"
#include "mw-signer.h"

void
mw_receipt_free (MwReceipt *receipt)
{
  if (receipt == NULL)
    return;
  g_free (receipt->receipt_id);
  g_free (receipt->received_at);
  g_free (receipt->kid);
  g_free (receipt);
}

MwReceipt *
mw_receipt_verify (const char  *receipt_jws,
                   const char  *pinned_jwk,
                   const char  *report_id,
                   const char  *report_sha256,
                   const char  *mailbox,
                   GError     **error)
{
  g_autoptr(MwSigner) key = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  MwReceipt *receipt;
  JsonObject *object;
  const char *receipt_id, *received_at;

  g_return_val_if_fail (receipt_jws != NULL, NULL);
  g_return_val_if_fail (pinned_jwk != NULL, NULL);

  key = mw_signer_new_from_jwk (pinned_jwk, &local_error);
  if (key == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("the pinned receipt key is not usable: %s"), local_error->message);
      return NULL;
    }

  payload = mw_signer_verify (key, receipt_jws, &local_error);
  if (payload == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE,
                   _("the receipt is not signed by the recipient’s pinned key (%s); the report may not have "
                     "arrived at the real recipient"),
                   local_error->message);
      return NULL;
    }

  node = mw_json_parse (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "receipt", NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE, _("the receipt is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  receipt_id = mw_json_get_string (object, "receipt_id");
  received_at = mw_json_get_string (object, "received_at");
  if (receipt_id == NULL || *receipt_id == '\0' || strlen (receipt_id) > MW_RECEIPT_MAX_ID_BYTES ||
      g_strcmp0 (mw_json_get_string (object, "report_id"), report_id) != 0 ||
      g_strcmp0 (mw_json_get_string (object, "report_sha256"), report_sha256) != 0 ||
      g_strcmp0 (mw_json_get_string (object, "recipient"), mailbox) != 0 ||
      !mw_parse_time (received_at, NULL))
    {
      g_set_error_literal (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE,
                           _("the receipt does not match the report sent (report id, checksum or mailbox differ)"));
      return NULL;
    }

  receipt = g_new0 (MwReceipt, 1);
  receipt->receipt_id = g_strdup (receipt_id);
  receipt->received_at = g_strdup (received_at);
  receipt->kid = g_strdup (mw_signer_get_thumbprint (key));
  return receipt;
}
