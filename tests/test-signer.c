/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-signer"

#include <string.h>

#include "mw-error.h"
#include "mw-report.h"
#include "mw-signer.h"

/* RFC 8037 Appendix A.1 (key), A.3 (thumbprint) and A.4 (signature). */
#define RFC_D "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
#define RFC_X "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
#define RFC_PRIVATE_JWK "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\n \"d\":\"" RFC_D "\",\n \"x\":\"" RFC_X "\"}"
#define RFC_PUBLIC_JWK "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC_X "\"}"
#define RFC_THUMBPRINT "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
#define RFC_PAYLOAD "Example of Ed25519 signing"
#define RFC_JWS "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc." \
  "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

static MwSigner *
rfc_signer (void)
{
  g_autoptr(GError) error = NULL;
  MwSigner *signer = mw_signer_new_from_jwk (RFC_PRIVATE_JWK, &error);

  g_assert_no_error (error);
  g_assert_nonnull (signer);
  return signer;
}

static void
assert_bad_signature (MwSigner   *signer,
                      const char *jws)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = mw_signer_verify (signer, jws, &error);

  g_assert_null (payload);
  g_assert_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE);
  g_assert_cmpstr (error->message, !=, "");
}

static void
assert_malformed (MwSigner   *signer,
                  const char *jws,
                  const char *expected_fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GBytes) payload = mw_signer_verify (signer, jws, &error);
  g_autofree char *kid = NULL;

  g_assert_null (payload);
  g_assert_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE);
  if (expected_fragment != NULL && strstr (error->message, expected_fragment) == NULL)
    g_error ("message “%s” does not mention “%s”", error->message, expected_fragment);

  g_assert_false (mw_jws_parse (jws, &kid, NULL, NULL, &parse_error));
  g_assert_error (parse_error, MW_ERROR, MW_ERROR_BAD_SIGNATURE);
  g_assert_null (kid);
}

static char *
b64 (const char *text)
{
  return mw_base64url_encode ((const guint8 *)text, strlen (text));
}

/* RFC 8037 ----------------------------------------------------------------- */

static void
test_rfc8037_thumbprint (void)
{
  g_autoptr(MwSigner) signer = rfc_signer ();
  g_autoptr(MwSigner) pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *public_jwk = mw_signer_to_public_jwk (signer);
  g_autofree char *grouped = mw_signer_format_thumbprint (signer);

  g_assert_true (mw_signer_has_private (signer));
  g_assert_cmpstr (mw_signer_get_thumbprint (signer), ==, RFC_THUMBPRINT);
  g_assert_cmpstr (public_jwk, ==, "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" RFC_X "\"}");
  /* The SHA-256 digest of the kid, in upper-case hex to read aloud. */
  g_assert_cmpstr (grouped, ==, "90FA CAFE A9B1 5566 9854 0F70 C011 7A22 EA37 BD5C F3ED 3C47 093C 1707 282B 4B89");

  pub = mw_signer_new_from_jwk (RFC_PUBLIC_JWK, &error);
  g_assert_no_error (error);
  g_assert_false (mw_signer_has_private (pub));
  g_assert_null (mw_signer_to_private_jwk (pub));
  g_assert_cmpstr (mw_signer_get_thumbprint (pub), ==, RFC_THUMBPRINT);
}

static void
test_rfc8037_sign (void)
{
  g_autoptr(MwSigner) signer = rfc_signer ();
  g_autoptr(GError) error = NULL;
  g_autofree char *jws = NULL;
  char *private_jwk = mw_signer_to_private_jwk (signer);

  g_assert_cmpstr (private_jwk, ==,
                   "{\"crv\":\"Ed25519\",\"d\":\"" RFC_D "\",\"kty\":\"OKP\",\"x\":\"" RFC_X "\"}");
  mw_secure_free (private_jwk);

  jws = mw_signer_sign_with_header (signer, "{\"alg\":\"EdDSA\"}",
                                    (const guint8 *)RFC_PAYLOAD, strlen (RFC_PAYLOAD), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jws, ==, RFC_JWS);
}

static void
test_rfc8037_verify (void)
{
  g_autoptr(MwSigner) pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) parsed = NULL;
  g_autofree char *kid = NULL;
  g_autofree char *cty = NULL;

  pub = mw_signer_new_from_jwk (RFC_PUBLIC_JWK, &error);
  g_assert_no_error (error);

  payload = mw_signer_verify (pub, RFC_JWS, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                   RFC_PAYLOAD, strlen (RFC_PAYLOAD));

  g_assert_true (mw_jws_parse (RFC_JWS, &kid, &cty, &parsed, &error));
  g_assert_no_error (error);
  g_assert_null (kid);
  g_assert_null (cty);
  g_assert_true (g_bytes_equal (parsed, payload));
}

/* "sign > FILE" ends the file with a line end: it is the same JWS to verify. */
static void
test_trailing_newline (void)
{
  static const char * const endings[] = { "\n", "\r\n" };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) pub = mw_signer_new_from_jwk (RFC_PUBLIC_JWK, &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (endings); i++)
    {
      g_autofree char *text = g_strconcat (RFC_JWS, endings[i], NULL);
      g_autoptr(GBytes) payload = mw_signer_verify (pub, text, &error);

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                       RFC_PAYLOAD, strlen (RFC_PAYLOAD));
    }
}

/* Round trips -------------------------------------------------------------- */

static void
test_sign_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autoptr(MwSigner) pub = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) parsed = NULL;
  g_autofree char *public_jwk = NULL;
  g_autofree char *jws = NULL;
  g_autofree char *kid = NULL;
  g_autofree char *cty = NULL;
  g_autofree char *header = NULL;
  g_autofree char *expected_header = NULL;
  g_autofree char *from_public = NULL;
  g_autofree guint8 *header_bytes = NULL;
  gsize header_length = 0;
  static const char text[] = "{\"hello\":\"wereld\"}";

  g_assert_no_error (error);
  g_assert_true (mw_signer_has_private (signer));
  g_assert_cmpuint (strlen (mw_signer_get_thumbprint (signer)), ==, 43);

  jws = mw_signer_sign (signer, "meldwijzer.receipt/1", (const guint8 *)text, strlen (text), &error);
  g_assert_no_error (error);

  /* The protected header is exactly the canonical JSON of alg, cty and kid. */
  header_bytes = mw_base64url_decode (jws, strchr (jws, '.') - jws, &header_length);
  g_assert_nonnull (header_bytes);
  header = g_strndup ((const char *)header_bytes, header_length);
  expected_header = g_strdup_printf ("{\"alg\":\"EdDSA\",\"cty\":\"meldwijzer.receipt/1\",\"kid\":\"%s\"}",
                                     mw_signer_get_thumbprint (signer));
  g_assert_cmpstr (header, ==, expected_header);

  /* Verifies with the public key alone. */
  public_jwk = mw_signer_to_public_jwk (signer);
  pub = mw_signer_new_from_jwk (public_jwk, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (pub), ==, mw_signer_get_thumbprint (signer));
  payload = mw_signer_verify (pub, jws, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), text, strlen (text));

  g_assert_true (mw_jws_parse (jws, &kid, &cty, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kid, ==, mw_signer_get_thumbprint (signer));
  g_assert_cmpstr (cty, ==, "meldwijzer.receipt/1");
  g_assert_true (g_bytes_equal (parsed, payload));

  /* A public key cannot sign. */
  from_public = mw_signer_sign (pub, "x", (const guint8 *)"x", 1, &error);
  g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
  g_assert_null (from_public);
}

static void
test_empty_payload (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *jws = NULL;

  g_assert_no_error (error);
  jws = mw_signer_sign (signer, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (jws, ".."));
  payload = mw_signer_verify (signer, jws, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (payload), ==, 0);
}

static void
test_deterministic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autoptr(MwSigner) reloaded = NULL;
  g_autoptr(MwSigner) other = NULL;
  g_autofree char *jws1 = NULL;
  g_autofree char *jws2 = NULL;
  g_autofree char *jws3 = NULL;
  g_autofree char *jws4 = NULL;
  char *private_jwk;
  static const char text[] = "{\"a\":1,\"b\":[true,null]}";

  g_assert_no_error (error);
  jws1 = mw_signer_sign (signer, MW_JWS_CTY_REPORT, (const guint8 *)text, strlen (text), &error);
  g_assert_no_error (error);
  jws2 = mw_signer_sign (signer, MW_JWS_CTY_REPORT, (const guint8 *)text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jws1, ==, jws2);

  /* The same key loaded again from its JWK gives the same bytes. */
  private_jwk = mw_signer_to_private_jwk (signer);
  reloaded = mw_signer_new_from_jwk (private_jwk, &error);
  mw_secure_free (private_jwk);
  g_assert_no_error (error);
  jws3 = mw_signer_sign (reloaded, MW_JWS_CTY_REPORT, (const guint8 *)text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jws1, ==, jws3);

  /* Another key gives other bytes (and another kid). */
  other = mw_signer_generate (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_signer_get_thumbprint (other), !=, mw_signer_get_thumbprint (signer));
  jws4 = mw_signer_sign (other, MW_JWS_CTY_REPORT, (const guint8 *)text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jws1, !=, jws4);
}

static void
test_sign_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = rfc_signer ();
  g_autoptr(MwReport) report = mw_report_new ();
  g_autoptr(MwReport) copy = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *jws = NULL;
  g_autofree char *again = NULL;
  g_autofree char *cty = NULL;

  mw_report_set_string (report, "summary", "Ransomware op het ziekenhuisnetwerk — “test”");
  mw_report_set_int (report, "facts.users_affected", 1200);
  canonical = mw_report_to_canonical_json (report);

  jws = mw_signer_sign_report (signer, report, &error);
  g_assert_no_error (error);
  payload = mw_signer_verify (signer, jws, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                   canonical, strlen (canonical));
  g_assert_true (mw_jws_parse (jws, NULL, &cty, NULL, &error));
  g_assert_cmpstr (cty, ==, "meldwijzer.report/1");

  /* The same report (as a copy) signs to the same bytes. */
  copy = mw_report_copy (report);
  again = mw_signer_sign_report (signer, copy, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jws, ==, again);
}

/* Rejection ---------------------------------------------------------------- */

static char *
replace_part (const char *jws,
              guint       index,
              const char *replacement)
{
  g_auto(GStrv) parts = g_strsplit (jws, ".", -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_free (parts[index]);
  parts[index] = g_strdup (replacement);
  return g_strjoinv (".", parts);
}

static void
test_tamper (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autofree char *jws = NULL;
  g_autofree char *header = NULL;
  g_autofree char *tampered_header = NULL;
  g_autofree char *tampered_payload = NULL;
  g_autofree char *payload64 = NULL;
  g_autofree char *other_sig_jws = NULL;
  g_autofree char *tampered_sig = NULL;
  g_auto(GStrv) parts = NULL;
  static const char text[] = "{\"report_id\":\"1\",\"users\":10}";
  gsize len;
  guint flips = 0;

  g_assert_no_error (error);
  jws = mw_signer_sign (signer, MW_JWS_CTY_REPORT, (const guint8 *)text, strlen (text), &error);
  g_assert_no_error (error);

  /* Header: a different but valid header with the same key. */
  header = g_strdup_printf ("{\"alg\":\"EdDSA\",\"cty\":\"meldwijzer.receipt/1\",\"kid\":\"%s\"}",
                            mw_signer_get_thumbprint (signer));
  {
    g_autofree char *h64 = b64 (header);

    tampered_header = replace_part (jws, 0, h64);
  }
  assert_bad_signature (signer, tampered_header);

  /* Payload: one number changed. */
  payload64 = b64 ("{\"report_id\":\"1\",\"users\":11}");
  tampered_payload = replace_part (jws, 1, payload64);
  assert_bad_signature (signer, tampered_payload);

  /* Signature: the signature of another message. */
  {
    g_autofree char *other = mw_signer_sign (signer, MW_JWS_CTY_REPORT, (const guint8 *)"x", 1, &error);

    g_assert_no_error (error);
    parts = g_strsplit (other, ".", -1);
    other_sig_jws = replace_part (jws, 2, parts[2]);
  }
  assert_bad_signature (signer, other_sig_jws);

  /* Every single character of the JWS changed, one at a time, must be refused. */
  len = strlen (jws);
  for (gsize i = 0; i < len; i++)
    {
      g_autofree char *copy = g_strdup (jws);

      if (copy[i] == '.')
        continue;
      copy[i] = copy[i] == 'A' ? 'B' : 'A';
      assert_bad_signature (signer, copy);
      flips++;
    }
  g_assert_cmpuint (flips, ==, len - 2);

  /* A trailing byte, or a truncated signature. */
  tampered_sig = g_strconcat (jws, "A", NULL);
  assert_bad_signature (signer, tampered_sig);
  tampered_sig[len - 2] = '\0';
  assert_bad_signature (signer, tampered_sig);

  /* The original still verifies. */
  {
    g_autoptr(GBytes) payload = mw_signer_verify (signer, jws, &error);

    g_assert_no_error (error);
    g_assert_nonnull (payload);
  }
}

static void
test_wrong_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autoptr(MwSigner) other = mw_signer_generate (&error);
  g_autofree char *jws = NULL;
  g_autofree char *no_kid = NULL;
  g_autoptr(GBytes) payload = NULL;

  g_assert_no_error (error);
  jws = mw_signer_sign (signer, MW_JWS_CTY_REPORT, (const guint8 *)"{}", 2, &error);
  g_assert_no_error (error);

  payload = mw_signer_verify (other, jws, &error);
  g_assert_null (payload);
  g_assert_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE);
  g_assert_nonnull (strstr (error->message, mw_signer_get_thumbprint (signer)));
  g_clear_error (&error);

  /* Without a kid the signature check itself must catch it. */
  no_kid = mw_signer_sign_with_header (signer, "{\"alg\":\"EdDSA\"}", (const guint8 *)"{}", 2, &error);
  g_assert_no_error (error);
  assert_bad_signature (other, no_kid);
  {
    g_autoptr(MwSigner) rfc = rfc_signer ();

    assert_bad_signature (rfc, no_kid);
    assert_bad_signature (rfc, jws);
  }
}

static void
test_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = rfc_signer ();
  g_auto(GStrv) parts = g_strsplit (RFC_JWS, ".", -1);
  g_autofree char *two_parts = g_strconcat (parts[0], ".", parts[1], NULL);
  g_autofree char *four_parts = g_strconcat (RFC_JWS, ".", parts[2], NULL);
  g_autofree char *padded = g_strconcat (parts[0], "=.", parts[1], ".", parts[2], NULL);
  g_autofree char *plus = replace_part (RFC_JWS, 0, "eyJhbGciOiJFZERTQSJ9+");
  g_autofree char *bad_char = replace_part (RFC_JWS, 1, "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc!");
  g_autofree char *two_newlines = g_strconcat (RFC_JWS, "\n\n", NULL);
  g_autofree char *trailing_space = g_strconcat (RFC_JWS, " ", NULL);
  g_autofree char *leading_newline = g_strconcat ("\n", RFC_JWS, NULL);
  g_autofree char *inner_newline = replace_part (RFC_JWS, 1, "RXhhbXBsZSBvZiBFZDI1NTE5IHNp\nZ25pbmc");
  g_autofree char *short_sig = replace_part (RFC_JWS, 2, "AAAA");
  g_autofree char *empty_header = replace_part (RFC_JWS, 0, "");
  g_autofree char *empty_sig = replace_part (RFC_JWS, 2, "");
  g_autofree char *none_signed = NULL;
  g_autofree char *hs256_signed = NULL;
  g_autofree char *no_alg_signed = NULL;
  g_autofree char *alg_number = NULL;
  g_autofree char *header_array = NULL;
  g_autofree char *header_garbage = NULL;
  g_autofree char *crit = NULL;
  g_autofree char *kid_number = NULL;
  g_autofree char *noncanonical = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *none_unsigned = NULL;

  assert_malformed (signer, "", "empty");
  assert_malformed (signer, "abc", "three parts");
  assert_malformed (signer, two_parts, "three parts");
  assert_malformed (signer, four_parts, "three parts");
  assert_malformed (signer, "..", NULL);
  assert_malformed (signer, padded, "base64url");
  assert_malformed (signer, plus, "base64url");
  assert_malformed (signer, bad_char, "base64url");
  /* One line end after the JWS is the same JWS (see test_trailing_newline); nothing else
   * is trimmed. */
  assert_malformed (signer, two_newlines, "base64url");
  assert_malformed (signer, trailing_space, "base64url");
  assert_malformed (signer, leading_newline, "base64url");
  assert_malformed (signer, inner_newline, "base64url");
  assert_malformed (signer, short_sig, "64 bytes");
  assert_malformed (signer, empty_header, "empty");
  assert_malformed (signer, empty_sig, "64 bytes");

  /* A header that is not EdDSA is refused even with a valid Ed25519 signature over it. */
  none_signed = mw_signer_sign_with_header (signer, "{\"alg\":\"none\"}", (const guint8 *)"{}", 2, &error);
  g_assert_no_error (error);
  assert_malformed (signer, none_signed, "none");
  {
    g_auto(GStrv) none_parts = g_strsplit (none_signed, ".", -1);

    none_unsigned = g_strconcat (none_parts[0], ".", none_parts[1], ".", NULL);
  }
  assert_malformed (signer, none_unsigned, NULL);
  hs256_signed = mw_signer_sign_with_header (signer, "{\"alg\":\"HS256\"}", (const guint8 *)"{}", 2, &error);
  g_assert_no_error (error);
  assert_malformed (signer, hs256_signed, "HS256");
  no_alg_signed = mw_signer_sign_with_header (signer, "{\"kid\":\"" RFC_THUMBPRINT "\"}", (const guint8 *)"{}", 2, &error);
  g_assert_no_error (error);
  assert_malformed (signer, no_alg_signed, "alg");
  alg_number = mw_signer_sign_with_header (signer, "{\"alg\":5}", (const guint8 *)"{}", 2, &error);
  assert_malformed (signer, alg_number, "alg");
  header_array = mw_signer_sign_with_header (signer, "[\"EdDSA\"]", (const guint8 *)"{}", 2, &error);
  assert_malformed (signer, header_array, "object");
  header_garbage = mw_signer_sign_with_header (signer, "{\"alg\":\"EdDSA\"", (const guint8 *)"{}", 2, &error);
  assert_malformed (signer, header_garbage, "JSON");
  crit = mw_signer_sign_with_header (signer, "{\"alg\":\"EdDSA\",\"b64\":false,\"crit\":[\"b64\"]}",
                                     (const guint8 *)"{}", 2, &error);
  assert_malformed (signer, crit, "crit");
  kid_number = mw_signer_sign_with_header (signer, "{\"alg\":\"EdDSA\",\"kid\":7}", (const guint8 *)"{}", 2, &error);
  assert_malformed (signer, kid_number, "kid");
  g_assert_no_error (error);

  /* The last signature character carries 4 unused bits: another encoding of the same
   * bytes must not verify (the bytes of a JWS are its identity). */
  noncanonical = g_strdup (RFC_JWS);
  g_assert_cmpint (noncanonical[strlen (noncanonical) - 1], ==, 'g');
  noncanonical[strlen (noncanonical) - 1] = 'h';
  assert_malformed (signer, noncanonical, "base64url");

  /* Over 1 MiB: refused before any decoding. */
  huge = g_malloc (MW_JWS_MAX_BYTES + 2);
  memset (huge, 'A', MW_JWS_MAX_BYTES + 1);
  huge[10] = '.';
  huge[20] = '.';
  huge[MW_JWS_MAX_BYTES + 1] = '\0';
  assert_malformed (signer, huge, "1 MiB");
  assert_malformed (signer, NULL, "empty");
}

static void
test_jwk_invalid (void)
{
  static const struct {
    const char *jwk;
    const char *fragment;
  } cases[] = {
    { "", "empty" },
    { "not json", "JSON" },
    { "[1]", "object" },
    { "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", "kty" },
    { "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"" RFC_X "\"}", "crv" },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\"}", "“x”" },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":42}", "“x”" },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR\"}", "32 bytes" },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC_X "=\"}", "32 bytes" },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC_X "\",\"d\":\"short\"}", "“d”" },
    /* d of RFC 8037 with another x: the key pair does not match. */
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AYo722F7Q7eN4Khy5wRh2IvMNM6k4VXrbWQQ-dXAUEo\",\"d\":\"" RFC_D "\"}", "does not belong" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwSigner) signer = mw_signer_new_from_jwk (cases[i].jwk, &error);

      g_test_message ("JWK %s", cases[i].jwk);
      g_assert_null (signer);
      g_assert_nonnull (error);
      g_assert_true (error->domain == MW_ERROR);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("message “%s” does not mention “%s”", error->message, cases[i].fragment);
    }
}

static void
test_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = rfc_signer ();
  gsize length = MW_JWS_MAX_BYTES / 4 * 3;
  g_autofree guint8 *payload = g_malloc0 (length);
  g_autofree char *jws = mw_signer_sign (signer, MW_JWS_CTY_REPORT, payload, length, &error);
  g_autofree char *small = NULL;
  g_autoptr(GBytes) verified = NULL;

  g_assert_error (error, MW_ERROR, MW_ERROR_TOO_LARGE);
  g_assert_null (jws);
  g_clear_error (&error);

  /* Just under the bound signs and verifies. */
  length = MW_JWS_MAX_BYTES / 4 * 3 - 1024;
  small = mw_signer_sign (signer, MW_JWS_CTY_REPORT, payload, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (small), <=, MW_JWS_MAX_BYTES);
  verified = mw_signer_verify (signer, small, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (verified), ==, length);
}

/* Helpers ------------------------------------------------------------------ */

static void
test_base64url (void)
{
  static const char *bad[] = { "=", "QQ==", "Q", "QQ=", "a+b_", "a/bc", "QR", "AB\n", "ab cd", "é" };
  guint8 data[70];

  for (gsize n = 0; n < sizeof data; n++)
    {
      g_autofree char *text = NULL;
      g_autofree guint8 *back = NULL;
      gsize back_length = 99;

      for (gsize i = 0; i < n; i++)
        data[i] = (guint8)g_test_rand_int_range (0, 256);
      text = mw_base64url_encode (data, n);
      g_assert_null (strpbrk (text, "=+/"));
      g_assert_cmpuint (strlen (text), ==, (n * 4 + 2) / 3);
      back = mw_base64url_decode (text, -1, &back_length);
      g_assert_nonnull (back);
      g_assert_cmpmem (back, back_length, data, n);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gsize length = 99;

      g_test_message ("bad base64url “%s”", bad[i]);
      g_assert_null (mw_base64url_decode (bad[i], -1, &length));
      g_assert_cmpuint (length, ==, 0);
    }

  {
    gsize length = 0;
    g_autofree guint8 *a = mw_base64url_decode ("QQ", -1, &length);

    g_assert_cmpmem (a, length, "A", 1);
  }
}

static void
test_sha256 (void)
{
  g_autofree char *abc = mw_sha256_hex ((const guint8 *)"abc", 3);
  g_autofree char *empty = mw_sha256_hex ((const guint8 *)"", 0);

  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signer/rfc8037/thumbprint", test_rfc8037_thumbprint);
  g_test_add_func ("/signer/rfc8037/sign", test_rfc8037_sign);
  g_test_add_func ("/signer/rfc8037/verify", test_rfc8037_verify);
  g_test_add_func ("/signer/trailing-newline", test_trailing_newline);
  g_test_add_func ("/signer/sign-verify", test_sign_verify);
  g_test_add_func ("/signer/empty-payload", test_empty_payload);
  g_test_add_func ("/signer/deterministic", test_deterministic);
  g_test_add_func ("/signer/sign-report", test_sign_report);
  g_test_add_func ("/signer/tamper", test_tamper);
  g_test_add_func ("/signer/wrong-key", test_wrong_key);
  g_test_add_func ("/signer/malformed", test_malformed);
  g_test_add_func ("/signer/jwk-invalid", test_jwk_invalid);
  g_test_add_func ("/signer/too-large", test_too_large);
  g_test_add_func ("/signer/base64url", test_base64url);
  g_test_add_func ("/signer/sha256", test_sha256);

  return g_test_run ();
}
