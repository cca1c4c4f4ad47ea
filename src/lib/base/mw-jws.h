/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bound for any compact JWS or JWK that comes from outside. */
#define MW_JWS_MAX_BYTES (1024 * 1024)
/* An Ed25519 signature ("alg" "EdDSA", RFC 8037). */
#define MW_JWS_SIGNATURE_BYTES 64

/* A compact JWS (RFC 7515 §7.1) taken apart, not verified. */
typedef struct {
  char   *kid;                    /* NULL when the header has none */
  char   *cty;                    /* NULL when the header has none */
  GBytes *payload;
  GBytes *signature;              /* MW_JWS_SIGNATURE_BYTES */
  gsize   signing_input_length;   /* "header.payload": the first bytes of the text */
  gsize   length;                 /* the JWS itself: the text without its line end */
} MwJws;

/* The one reader of a compact JWS. Strict: three parts of base64url without padding (the one
 * canonical encoding of their bytes), a protected header that is a JSON object read by
 * mw_json_parse() with "alg" "EdDSA", no "crit", string "kid" and "cty", and a 64-byte
 * signature; at most MW_JWS_MAX_BYTES. One line end ("\n" or "\r\n", as "sign > FILE" writes
 * it) after the JWS is the same JWS; nothing else is trimmed. MW_ERROR_BAD_SIGNATURE on
 * anything malformed, with a message that says what. */
MwJws      *mw_jws_read            (const char    *jws,
                                    GError       **error);
void        mw_jws_free            (MwJws         *jws);

/* mw_jws_read() for who needs only some parts; every out argument may be NULL. */
gboolean    mw_jws_parse           (const char    *jws,
                                    char         **kid,
                                    char         **cty,
                                    GBytes       **payload,
                                    GError       **error);

/* length less the one line end a file or a terminal adds after a JWS. */
gsize       mw_jws_trimmed_length  (const char    *jws,
                                    gsize          length);

/* Lower-case hex SHA-256. */
char       *mw_sha256_hex          (const guint8  *data,
                                    gsize          length);

/* Base64url without padding (RFC 7515 §2). Decoding is strict: NULL on any character outside
 * the alphabet, on padding, and on a non-canonical encoding (set unused bits). Every
 * intermediate copy is wiped, as the text may be a private key. */
char       *mw_base64url_encode    (const guint8  *data,
                                    gsize          length);
guint8     *mw_base64url_decode    (const char    *text,
                                    gssize         text_length,
                                    gsize         *out_length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwJws, mw_jws_free)

G_END_DECLS
