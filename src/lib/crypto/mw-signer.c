/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-signer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "mw-error.h"
#include "mw-json.h"
#include "mw-lazy-library.h"
#include "mw-signer.h"

/* GnuTLS and what it brings (p11-kit, libtasn1, Nettle, GMP, libidn2: eight libraries) are
 * opened by the first key, not when a program starts (README, "Start-up"). Its functions
 * are called through this table; gnutls_free is a variable of the library, its address in
 * the table. Wiping memory needs no library: explicit_bzero(). */
#define GNUTLS_FUNCTIONS(F) \
  F (gnutls_strerror) \
  F (gnutls_hash_fast) \
  F (gnutls_privkey_init) \
  F (gnutls_privkey_deinit) \
  F (gnutls_privkey_generate2) \
  F (gnutls_privkey_export_ecc_raw2) \
  F (gnutls_privkey_import_ecc_raw) \
  F (gnutls_privkey_sign_data2) \
  F (gnutls_pubkey_init) \
  F (gnutls_pubkey_deinit) \
  F (gnutls_pubkey_import_ecc_raw) \
  F (gnutls_pubkey_verify_data2)

static struct
{
  GNUTLS_FUNCTIONS (MW_LAZY_SLOT)
  gnutls_free_function *free_function;
} gnutls;

static const char * const gnutls_names[] = {
  GNUTLS_FUNCTIONS (MW_LAZY_NAME)
  "gnutls_free",
  NULL
};

static MwLazyLibrary gnutls_library = MW_LAZY_LIBRARY_INIT ("libgnutls.so.30", gnutls_names, &gnutls);

static void
gnutls_release (void *data)
{
  (*gnutls.free_function) (data);
}

#define ED25519_KEY_BYTES 32

G_DEFINE_QUARK (mw-crypto-error-quark, mw_crypto_error)

struct _MwSigner
{
  GObject            parent_instance;

  gnutls_privkey_t   privkey;      /* NULL when public only */
  gnutls_pubkey_t    pubkey;
  guint8             x[ED25519_KEY_BYTES];
  char              *thumbprint;   /* RFC 7638, base64url */
};

G_DEFINE_FINAL_TYPE (MwSigner, mw_signer, G_TYPE_OBJECT)

static void
mw_signer_finalize (GObject *object)
{
  MwSigner *self = (MwSigner *)object;

  /* gnutls_privkey_deinit() wipes the key material it holds. */
  g_clear_pointer (&self->privkey, gnutls.gnutls_privkey_deinit);
  g_clear_pointer (&self->pubkey, gnutls.gnutls_pubkey_deinit);
  g_clear_pointer (&self->thumbprint, g_free);

  G_OBJECT_CLASS (mw_signer_parent_class)->finalize (object);
}

static void
mw_signer_class_init (MwSignerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_signer_finalize;
}

static void
mw_signer_init (MwSigner *self)
{
}

/* Helpers ---------------------------------------------------------------- */

static void
wipe_datum (gnutls_datum_t *datum)
{
  if (datum->data != NULL)
    {
      explicit_bzero (datum->data, datum->size);
      gnutls_release (datum->data);
    }
  datum->data = NULL;
  datum->size = 0;
}

void
mw_secure_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static const char *
gnutls_reason (int code)
{
  return gnutls.gnutls_strerror (code);
}

/* Key construction ------------------------------------------------------- */

static char *
compute_public_jwk (const guint8 *x)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *x64 = mw_base64url_encode (x, ED25519_KEY_BYTES);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "crv");
  json_builder_add_string_value (builder, "Ed25519");
  json_builder_set_member_name (builder, "kty");
  json_builder_add_string_value (builder, "OKP");
  json_builder_set_member_name (builder, "x");
  json_builder_add_string_value (builder, x64);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  return mw_json_to_canonical (node);
}

static gboolean
check_key_pair (MwSigner  *self,
                GError   **error)
{
  static const char probe[] = "meldwijzer key pair check";
  gnutls_datum_t data = { (unsigned char *)probe, sizeof probe - 1 };
  gnutls_datum_t sig = { NULL, 0 };
  int ret;

  ret = gnutls.gnutls_privkey_sign_data2 (self->privkey, GNUTLS_SIGN_EDDSA_ED25519, 0, &data, &sig);
  if (ret >= 0)
    ret = gnutls.gnutls_pubkey_verify_data2 (self->pubkey, GNUTLS_SIGN_EDDSA_ED25519, 0, &data, &sig);
  gnutls_release (sig.data);

  if (ret < 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The private key (“d”) does not belong to the public key (“x”) of the JWK"));
      return FALSE;
    }
  return TRUE;
}

/* d may be NULL for a public-only key. Both are exactly 32 bytes. */
static MwSigner *
signer_new_from_raw (const guint8  *x,
                     const guint8  *d,
                     GError       **error)
{
  g_autoptr(MwSigner) self = g_object_new (MW_TYPE_SIGNER, NULL);
  gnutls_datum_t xd = { (unsigned char *)x, ED25519_KEY_BYTES };
  g_autofree char *jwk = NULL;
  guint8 digest[32];
  int ret;

  if (!mw_lazy_library_open (&gnutls_library, error))
    return NULL;
  memcpy (self->x, x, ED25519_KEY_BYTES);

  if ((ret = gnutls.gnutls_pubkey_init (&self->pubkey)) < 0 ||
      (ret = gnutls.gnutls_pubkey_import_ecc_raw (self->pubkey, GNUTLS_ECC_CURVE_ED25519, &xd, NULL)) < 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The public key (“x”) is not a usable Ed25519 key: %s"), gnutls_reason (ret));
      return NULL;
    }

  if (d != NULL)
    {
      gnutls_datum_t dd = { (unsigned char *)d, ED25519_KEY_BYTES };

      if ((ret = gnutls.gnutls_privkey_init (&self->privkey)) < 0 ||
          (ret = gnutls.gnutls_privkey_import_ecc_raw (self->privkey, GNUTLS_ECC_CURVE_ED25519, &xd, NULL, &dd)) < 0)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                       _("The private key (“d”) is not a usable Ed25519 key: %s"), gnutls_reason (ret));
          return NULL;
        }
      if (!check_key_pair (self, error))
        return NULL;
    }

  jwk = compute_public_jwk (self->x);
  ret = gnutls.gnutls_hash_fast (GNUTLS_DIG_SHA256, jwk, strlen (jwk), digest);
  if (ret < 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED, "SHA-256: %s", gnutls_reason (ret));
      return NULL;
    }
  self->thumbprint = mw_base64url_encode (digest, sizeof digest);

  return g_steal_pointer (&self);
}

MwSigner *
mw_signer_generate (GError **error)
{
  gnutls_privkey_t key = NULL;
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  gnutls_datum_t x = { NULL, 0 };
  gnutls_datum_t k = { NULL, 0 };
  MwSigner *self = NULL;
  int ret;

  if (!mw_lazy_library_open (&gnutls_library, error))
    return NULL;
  if ((ret = gnutls.gnutls_privkey_init (&key)) < 0 ||
      (ret = gnutls.gnutls_privkey_generate2 (key, GNUTLS_PK_EDDSA_ED25519,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_ED25519),
                                       0, NULL, 0)) < 0 ||
      (ret = gnutls.gnutls_privkey_export_ecc_raw2 (key, &curve, &x, NULL, &k, GNUTLS_EXPORT_FLAG_NO_LZ)) < 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("Could not generate an Ed25519 key with GnuTLS: %s"), gnutls_reason (ret));
      goto out;
    }

  if (curve != GNUTLS_ECC_CURVE_ED25519 || x.size != ED25519_KEY_BYTES || k.size != ED25519_KEY_BYTES)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("GnuTLS generated a key that is not Ed25519"));
      goto out;
    }

  self = signer_new_from_raw (x.data, k.data, error);

out:
  wipe_datum (&k);
  wipe_datum (&x);
  g_clear_pointer (&key, gnutls.gnutls_privkey_deinit);
  return self;
}

/* Decodes a 32-byte base64url member of a JWK into out. */
static gboolean
decode_key_member (JsonObject  *object,
                   const char  *member,
                   guint8      *out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;
  g_autofree guint8 *data = NULL;
  gsize length = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("JWK member “%s” is missing or not a string"), member);
      return FALSE;
    }

  text = json_node_get_string (node);
  data = mw_base64url_decode (text, -1, &length);
  if (data == NULL || length != ED25519_KEY_BYTES)
    {
      if (data != NULL)
        explicit_bzero (data, length);
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("JWK member “%s” must be 32 bytes in base64url without padding"), member);
      return FALSE;
    }

  memcpy (out, data, ED25519_KEY_BYTES);
  explicit_bzero (data, length);
  return TRUE;
}

MwSigner *
mw_signer_new_from_jwk (const char  *jwk_json,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *d_node;
  const char *kty;
  const char *crv;
  guint8 x[ED25519_KEY_BYTES];
  guint8 d[ED25519_KEY_BYTES];
  gboolean has_d;
  MwSigner *self = NULL;

  g_return_val_if_fail (jwk_json != NULL, NULL);

  if (strnlen (jwk_json, MW_JWS_MAX_BYTES + 1) > MW_JWS_MAX_BYTES)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The JWK is larger than 1 MiB; a key is a few hundred bytes"));
      return NULL;
    }

  root = mw_json_parse (jwk_json, -1, _("JWK"), error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("The JWK must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  kty = mw_json_get_string (object, "kty");
  if (g_strcmp0 (kty, "OKP") != 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("JWK member “kty” must be “OKP” (an Ed25519 key), not “%s”"),
                   kty != NULL ? kty : _("missing"));
      return NULL;
    }
  crv = mw_json_get_string (object, "crv");
  if (g_strcmp0 (crv, "Ed25519") != 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("JWK member “crv” must be “Ed25519”, not “%s”"),
                   crv != NULL ? crv : _("missing"));
      return NULL;
    }

  if (!decode_key_member (object, "x", x, error))
    return NULL;

  d_node = json_object_get_member (object, "d");
  has_d = d_node != NULL;
  if (has_d && !decode_key_member (object, "d", d, error))
    goto out;

  self = signer_new_from_raw (x, has_d ? d : NULL, error);

out:
  explicit_bzero (d, sizeof d);
  /* Wipe the copy of "d" that json-glib holds before the tree is freed. */
  if (d_node != NULL && JSON_NODE_HOLDS_VALUE (d_node) &&
      json_node_get_value_type (d_node) == G_TYPE_STRING)
    {
      char *text = (char *)json_node_get_string (d_node);

      explicit_bzero (text, strlen (text));
    }
  return self;
}

gboolean
mw_signer_has_private (MwSigner *self)
{
  g_return_val_if_fail (MW_IS_SIGNER (self), FALSE);

  return self->privkey != NULL;
}

char *
mw_signer_to_public_jwk (MwSigner *self)
{
  g_return_val_if_fail (MW_IS_SIGNER (self), NULL);

  return compute_public_jwk (self->x);
}

char *
mw_signer_to_private_jwk (MwSigner *self)
{
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  gnutls_datum_t x = { NULL, 0 };
  gnutls_datum_t k = { NULL, 0 };
  char *d64 = NULL;
  g_autofree char *x64 = NULL;
  char *jwk = NULL;

  g_return_val_if_fail (MW_IS_SIGNER (self), NULL);

  if (self->privkey == NULL)
    return NULL;

  if (gnutls.gnutls_privkey_export_ecc_raw2 (self->privkey, &curve, &x, NULL, &k, GNUTLS_EXPORT_FLAG_NO_LZ) < 0 ||
      k.size != ED25519_KEY_BYTES)
    {
      wipe_datum (&k);
      wipe_datum (&x);
      g_critical ("Could not export the private key from GnuTLS");
      return NULL;
    }

  d64 = mw_base64url_encode (k.data, k.size);
  x64 = mw_base64url_encode (self->x, ED25519_KEY_BYTES);
  /* The members are fixed names and base64url text, which need no escaping, so the
   * canonical form (sorted keys, no white space) is written here directly: going through
   * a JsonNode would leave copies of "d" in memory that cannot be wiped. */
  jwk = g_strconcat ("{\"crv\":\"Ed25519\",\"d\":\"", d64, "\",\"kty\":\"OKP\",\"x\":\"", x64, "\"}", NULL);

  mw_secure_free (d64);
  wipe_datum (&k);
  wipe_datum (&x);
  return jwk;
}

const char *
mw_signer_get_thumbprint (MwSigner *self)
{
  g_return_val_if_fail (MW_IS_SIGNER (self), NULL);

  return self->thumbprint;
}

char *
mw_signer_format_thumbprint (MwSigner *self)
{
  g_return_val_if_fail (MW_IS_SIGNER (self), NULL);

  return mw_thumbprint_format (self->thumbprint);
}

/**
 * mw_thumbprint_format:
 * @kid: an RFC 7638 SHA-256 thumbprint in base64url (a "kid")
 *
 * The same digest in upper-case hexadecimal, in 16 groups of 4, to read aloud: no 0/O, I/l,
 * - or _ to tell apart over the phone. Returns %NULL when @kid is not a SHA-256 thumbprint.
 */
char *
mw_thumbprint_format (const char *kid)
{
  g_autofree guint8 *digest = NULL;
  gsize len = 0;
  GString *out;

  if (kid == NULL || strlen (kid) != 43)
    return NULL;
  digest = mw_base64url_decode (kid, -1, &len);
  if (digest == NULL || len != 32)
    return NULL;
  out = g_string_new (NULL);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%02X", digest[i]);
    }
  return g_string_free (out, FALSE);
}


/* Signing ---------------------------------------------------------------- */

char *
mw_signer_sign_with_header (MwSigner      *self,
                            const char    *protected_header,
                            const guint8  *payload,
                            gsize          length,
                            GError       **error)
{
  g_autofree char *header64 = NULL;
  g_autofree char *payload64 = NULL;
  g_autofree char *input = NULL;
  g_autofree char *sig64 = NULL;
  gnutls_datum_t data;
  gnutls_datum_t sig = { NULL, 0 };
  gsize total;
  int ret;

  g_return_val_if_fail (MW_IS_SIGNER (self), NULL);
  g_return_val_if_fail (protected_header != NULL, NULL);
  g_return_val_if_fail (payload != NULL || length == 0, NULL);

  if (self->privkey == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("This key is public only and cannot sign; load the private key from the keyring"));
      return NULL;
    }

  /* The compact JWS must stay within what every verifier accepts. */
  total = (strlen (protected_header) + 2) / 3 * 4 + 1 + (length + 2) / 3 * 4 + 1 + 86;
  if (length > MW_JWS_MAX_BYTES || total > MW_JWS_MAX_BYTES)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE,
                   _("The signed document would be larger than 1 MiB; shorten the free text or leave out attachments"));
      return NULL;
    }

  header64 = mw_base64url_encode ((const guint8 *)protected_header, strlen (protected_header));
  payload64 = mw_base64url_encode (payload, length);
  input = g_strconcat (header64, ".", payload64, NULL);

  data.data = (unsigned char *)input;
  data.size = strlen (input);
  ret = gnutls.gnutls_privkey_sign_data2 (self->privkey, GNUTLS_SIGN_EDDSA_ED25519, 0, &data, &sig);
  if (ret < 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED,
                   _("GnuTLS could not sign: %s"), gnutls_reason (ret));
      return NULL;
    }

  sig64 = mw_base64url_encode (sig.data, sig.size);
  gnutls_release (sig.data);

  return g_strconcat (input, ".", sig64, NULL);
}

char *
mw_signer_sign (MwSigner      *self,
                const char    *cty,
                const guint8  *payload,
                gsize          length,
                GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *header = NULL;

  g_return_val_if_fail (MW_IS_SIGNER (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "alg");
  json_builder_add_string_value (builder, "EdDSA");
  if (cty != NULL)
    {
      json_builder_set_member_name (builder, "cty");
      json_builder_add_string_value (builder, cty);
    }
  json_builder_set_member_name (builder, "kid");
  json_builder_add_string_value (builder, self->thumbprint);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  header = mw_json_to_canonical (node);

  return mw_signer_sign_with_header (self, header, payload, length, error);
}

char *
mw_signer_sign_report (MwSigner  *self,
                       MwReport  *report,
                       GError   **error)
{
  g_autofree char *payload = NULL;

  g_return_val_if_fail (MW_IS_SIGNER (self), NULL);
  g_return_val_if_fail (MW_IS_REPORT (report), NULL);

  payload = mw_report_to_canonical_json (report);
  return mw_signer_sign (self, MW_JWS_CTY_REPORT, (const guint8 *)payload, strlen (payload), error);
}

/* Parsing and verification ----------------------------------------------- */

GBytes *
mw_signer_verify (MwSigner    *self,
                  const char  *text,
                  GError     **error)
{
  g_autoptr(MwJws) jws = NULL;
  gnutls_datum_t data;
  gnutls_datum_t sig;
  gsize sig_length;
  int ret;

  g_return_val_if_fail (MW_IS_SIGNER (self), NULL);

  jws = mw_jws_read (text, error);
  if (jws == NULL)
    return NULL;

  if (jws->kid != NULL && g_strcmp0 (jws->kid, self->thumbprint) != 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE,
                   _("The signature does not verify: the document names signing key “%s” (kid), but the given key is “%s”"),
                   jws->kid, self->thumbprint);
      return NULL;
    }

  data.data = (unsigned char *) text;
  data.size = jws->signing_input_length;
  sig.data = (unsigned char *) g_bytes_get_data (jws->signature, &sig_length);
  sig.size = sig_length;
  ret = gnutls.gnutls_pubkey_verify_data2 (self->pubkey, GNUTLS_SIGN_EDDSA_ED25519, 0, &data, &sig);
  if (ret < 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE,
                   _("The signature does not verify with key “%s”: the document was changed after signing, or signed with another key"),
                   self->thumbprint);
      return NULL;
    }

  return g_steal_pointer (&jws->payload);
}
