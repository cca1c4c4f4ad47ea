/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-jws"

/*
 * A fuzz target for the one compact-JWS reader (mw_jws_read), base64url and signature
 * verification: whatever the input, the answer is a JWS or MW_ERROR_BAD_SIGNATURE, never a
 * crash; what is read is within its bounds and made of the text's own bytes; and nothing
 * verifies with a key that did not sign it.
 *
 * Standalone (registered as a test) with the driver of mw-fuzz-main.h; with -Dlibfuzzer=true a
 * libFuzzer target (see tests/meson.build).
 */

#include <string.h>

#include "mw-error.h"
#include "mw-jws.h"
#include "mw-signer.h"

/* The public key of RFC 8037 appendix A: the seed corpus holds its example JWS. */
#define RFC8037_PUBLIC_JWK \
  "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}"
#define RFC8037_JWS \
  "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc." \
  "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

static MwSigner *rfc_key;

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwJws) jws = NULL;
  g_autoptr(GBytes) verified = NULL;

  /* Here a warning or a critical is a bug like a crash. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  if (rfc_key == NULL)
    rfc_key = mw_signer_new_from_jwk (RFC8037_PUBLIC_JWK, NULL);
  g_assert_nonnull (rfc_key);

  jws = mw_jws_read (text, &error);
  if (jws == NULL)
    {
      g_assert_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpuint (jws->length, <=, MW_JWS_MAX_BYTES);
      g_assert_cmpuint (jws->length, <=, strlen (text));
      g_assert_cmpuint (jws->signing_input_length, <, jws->length);
      g_assert_cmpuint (g_bytes_get_size (jws->signature), ==, MW_JWS_SIGNATURE_BYTES);
      g_assert_cmpuint (g_bytes_get_size (jws->payload), <=, jws->length);
      g_assert_true (jws->kid == NULL || g_utf8_validate (jws->kid, -1, NULL));
      g_assert_true (jws->cty == NULL || g_utf8_validate (jws->cty, -1, NULL));
    }

  /* Only the RFC's own JWS (with at most one line end) verifies with the RFC's key. */
  g_clear_error (&error);
  verified = mw_signer_verify (rfc_key, text, &error);
  if (verified != NULL)
    g_assert_true (strncmp (text, RFC8037_JWS, strlen (RFC8037_JWS)) == 0 &&
                   mw_jws_trimmed_length (text, strlen (text)) == strlen (RFC8037_JWS));
  return 0;
}

G_GNUC_UNUSED static const char * const fuzz_tokens[] = {
  ".", "..", "=", "==", "+", "/", "-", "_", "\n", "\r\n", " ", "\t", "A", "AAAA", "QQ", "Zg",
  "eyJhbGciOiJFZERTQSJ9", "eyJhbGciOiJub25lIn0", "e30", "W10", "eyJhbGciOiJFZERTQSIsImNyaXQiOlsiYjY0Il19",
  "eyJhbGciOiJFZERTQSIsLyogIiAqLyJ4IjpbW1tbW1s", "eyJhbGciOiJFZERTQSIsImtpZCI6Ilx1ZDgwMCJ9",
  "\xc3\xa9", "\xff",
};

G_GNUC_UNUSED static void
fuzz_finish (void)
{
  g_clear_object (&rfc_key);
}

#include "mw-fuzz-main.h"
