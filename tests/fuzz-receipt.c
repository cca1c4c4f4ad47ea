/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-receipt"

/*
 * A fuzz target for receipts (mw_receipt_verify) with a fixed pinned key (RFC 8037's), report
 * id, checksum and mailbox: whatever a recipient answers, the result is a receipt or
 * MW_ERROR_BAD_SIGNATURE with a UTF-8 message, never a crash; a receipt is accepted only when
 * the pinned key signed it and it names exactly this report at this mailbox, and what it
 * gives back is bounded UTF-8.
 *
 * The seeds (tests/fuzz/receipt) are receipts signed with the RFC key: a valid one, ones for
 * another report, with a bad time, a too long id, a surrogate, deep nesting behind a comment
 * as the signed payload; one signed by another key; an error body; no JWS at all.
 *
 * Standalone (registered as a test) with the driver of mw-fuzz-main.h; with -Dlibfuzzer=true a
 * libFuzzer target (see tests/meson.build).
 */

#include <string.h>

#include "mw-error.h"
#include "mw-receipt.h"
#include "mw-report.h"
#include "mw-signer.h"

#define RFC8037_PUBLIC_JWK \
  "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}"
#define REPORT_ID "8a3f6c1e-5b2d-4e7f-9a10-2c3d4e5f6a7b"
#define REPORT_SHA256 "4f1c0b6e0f5d0a1bb9e0c1f5a7e3d2c4b6a8e0f1d2c3b4a5968778695a4b3c2d"
#define MAILBOX "ncsc"

static MwSigner *rfc_key;

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwReceipt) receipt = NULL;

  /* Here a warning or a critical is a bug like a crash. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  if (rfc_key == NULL)
    rfc_key = mw_signer_new_from_jwk (RFC8037_PUBLIC_JWK, NULL);
  g_assert_nonnull (rfc_key);

  receipt = mw_receipt_verify (text, RFC8037_PUBLIC_JWK, REPORT_ID, REPORT_SHA256, MAILBOX, &error);
  if (receipt == NULL)
    {
      g_assert_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  /* Accepted: the pinned key signed exactly these bytes, and the receipt is bounded text. */
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) payload = mw_signer_verify (rfc_key, text, NULL);

    g_assert_nonnull (payload);
  }
  g_assert_nonnull (receipt->receipt_id);
  g_assert_cmpuint (strlen (receipt->receipt_id), >, 0);
  g_assert_cmpuint (strlen (receipt->receipt_id), <=, MW_RECEIPT_MAX_ID_BYTES);
  g_assert_true (g_utf8_validate (receipt->receipt_id, -1, NULL));
  g_assert_true (mw_parse_time (receipt->received_at, NULL));
  g_assert_cmpstr (receipt->kid, ==, mw_signer_get_thumbprint (rfc_key));
  return 0;
}

G_GNUC_UNUSED static const char * const fuzz_tokens[] = {
  ".", "..", "=", "+", "/", "-", "_", "\n", "\r\n", " ", "A", "AAAA", "e30", "W10",
  "eyJhbGciOiJFZERTQSJ9", "eyJhbGciOiJub25lIn0", "eyJhbGciOiJFZERTQSIsLyogIiAqLyJ4IjpbW1tbW1s",
  "eyJyZWNlaXB0X2lkIjoiXHVkODAwIn0", "W1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tb", "LyogIiAqL1tbW1tb",
  "[", "{", "\"", "\\u0000", "\xc3\xa9", "\xff",
};

G_GNUC_UNUSED static void
fuzz_finish (void)
{
  g_clear_object (&rfc_key);
}

#include "mw-fuzz-main.h"
