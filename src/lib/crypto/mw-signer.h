/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "mw-jws.h"
#include "mw-report.h"

G_BEGIN_DECLS

/* The crypto layer's errors. */
#define MW_CRYPTO_ERROR (mw_crypto_error_quark ())

typedef enum {
  MW_CRYPTO_ERROR_KEYRING,   /* no Secret Service, or it is locked */
  MW_CRYPTO_ERROR_DAMAGED,   /* a stored key that can no longer be used: replace it */
} MwCryptoError;

GQuark mw_crypto_error_quark (void);

/* Content type of a signed report (the "cty" of its protected header). */
#define MW_JWS_CTY_REPORT "meldwijzer.report/1"

#define MW_TYPE_SIGNER (mw_signer_get_type ())
G_DECLARE_FINAL_TYPE (MwSigner, mw_signer, MW, SIGNER, GObject)

/* A new Ed25519 key (GnuTLS). */
MwSigner   *mw_signer_generate          (GError      **error);
/* An OKP/Ed25519 JWK, private (with "d") or public only. */
MwSigner   *mw_signer_new_from_jwk      (const char   *jwk_json,
                                         GError      **error);
gboolean    mw_signer_has_private       (MwSigner     *self);
/* Canonical JSON {"crv":"Ed25519","kty":"OKP","x":…}. */
char       *mw_signer_to_public_jwk     (MwSigner     *self);
/* With "d": only for the keyring. NULL if public only. Wipe it with mw_secure_free(). */
char       *mw_signer_to_private_jwk    (MwSigner     *self);
/* RFC 7638 SHA-256 thumbprint, base64url: the "kid". */
const char *mw_signer_get_thumbprint    (MwSigner     *self);
/* The thumbprint to read aloud: its SHA-256 digest in upper-case hexadecimal, in 16 groups
 * of 4 ("3F2A 91C0 …"), the same in the app, the CLI, the PDF and the intake. */
char       *mw_signer_format_thumbprint (MwSigner     *self);
/* The same for a kid alone (NULL when it is not a SHA-256 thumbprint). */
char       *mw_thumbprint_format        (const char   *kid);

/* Compact JWS, protected header canonical {"alg":"EdDSA","cty":cty,"kid":thumbprint}
 * (cty may be NULL: then left out). Deterministic: same key, cty and payload give the same
 * bytes. MW_ERROR_INVALID for a public-only key, MW_ERROR_TOO_LARGE over MW_JWS_MAX_BYTES. */
char       *mw_signer_sign              (MwSigner     *self,
                                         const char   *cty,
                                         const guint8 *payload,
                                         gsize         length,
                                         GError      **error);
/* Signs with the given protected header verbatim (JSON text with "alg":"EdDSA"); for known-answer
 * tests and interop. Prefer mw_signer_sign(). */
char       *mw_signer_sign_with_header  (MwSigner     *self,
                                         const char   *protected_header,
                                         const guint8 *payload,
                                         gsize         length,
                                         GError      **error);
/* Payload = mw_report_to_canonical_json(), cty MW_JWS_CTY_REPORT. */
char       *mw_signer_sign_report       (MwSigner     *self,
                                         MwReport     *report,
                                         GError      **error);
/* The payload if the signature verifies with this key, else MW_ERROR_BAD_SIGNATURE (also for
 * anything mw_jws_read() refuses, and a kid that is not this key's thumbprint). */
GBytes     *mw_signer_verify            (MwSigner     *self,
                                         const char   *jws,
                                         GError      **error);

/* Wipes a NUL-terminated secret (e.g. a private JWK) and frees it. NULL is fine. */
void        mw_secure_free              (char         *secret);

G_END_DECLS
