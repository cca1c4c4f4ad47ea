/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "mw-signer.h"

G_BEGIN_DECLS

/* The organisation's signing key lives in the Secret Service (GNOME Keyring) as a private
 * JWK, under this schema with attributes "purpose" ("signing") and "profile". It is never
 * written to disk in plain text. */
#define MW_KEYRING_SCHEMA_NAME "io.github.meldwijzer.Meldwijzer.SigningKey"
#define MW_KEYRING_DEFAULT_PROFILE "default"
/* When set, the profile that mw_keyring_new (NULL) uses: lets tests and several
 * organisations on one account keep their keys apart. */
#define MW_KEYRING_PROFILE_ENV "MELDWIJZER_KEYRING_PROFILE"

typedef enum {
  MW_KEYRING_FLAGS_NONE  = 0,
  MW_KEYRING_FLAGS_FORCE = 1 << 0, /* replace an existing key */
} MwKeyringFlags;

const SecretSchema *mw_keyring_get_schema (void) G_GNUC_CONST;

#define MW_TYPE_KEYRING (mw_keyring_get_type ())
G_DECLARE_FINAL_TYPE (MwKeyring, mw_keyring, MW, KEYRING, GObject)

/* profile: NULL for $MELDWIJZER_KEYRING_PROFILE, or else MW_KEYRING_DEFAULT_PROFILE. */
MwKeyring  *mw_keyring_new              (const char      *profile);
const char *mw_keyring_get_profile      (MwKeyring       *self);

/* The stored key (with its private part). MW_ERROR_NOT_FOUND when there is none,
 * MW_CRYPTO_ERROR_KEYRING when the Secret Service is absent or locked, MW_CRYPTO_ERROR_DAMAGED when the
 * stored key cannot sign (it has to be replaced). */
MwSigner   *mw_keyring_load_sync        (MwKeyring       *self,
                                         GCancellable    *cancellable,
                                         GError         **error);
void        mw_keyring_load_async       (MwKeyring       *self,
                                         GCancellable    *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer         user_data);
MwSigner   *mw_keyring_load_finish      (MwKeyring       *self,
                                         GAsyncResult    *result,
                                         GError         **error);

/* Stores signer (which must have its private part). MW_ERROR_EXISTS when a key is already
 * stored, unless flags has MW_KEYRING_FLAGS_FORCE. */
gboolean    mw_keyring_store_sync       (MwKeyring       *self,
                                         MwSigner        *signer,
                                         MwKeyringFlags   flags,
                                         GCancellable    *cancellable,
                                         GError         **error);
void        mw_keyring_store_async      (MwKeyring       *self,
                                         MwSigner        *signer,
                                         MwKeyringFlags   flags,
                                         GCancellable    *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer         user_data);
gboolean    mw_keyring_store_finish     (MwKeyring       *self,
                                         GAsyncResult    *result,
                                         GError         **error);

/* A new key, stored. MW_ERROR_EXISTS unless MW_KEYRING_FLAGS_FORCE (see store). */
MwSigner   *mw_keyring_generate_sync    (MwKeyring       *self,
                                         MwKeyringFlags   flags,
                                         GCancellable    *cancellable,
                                         GError         **error);
void        mw_keyring_generate_async   (MwKeyring       *self,
                                         MwKeyringFlags   flags,
                                         GCancellable    *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer         user_data);
MwSigner   *mw_keyring_generate_finish  (MwKeyring       *self,
                                         GAsyncResult    *result,
                                         GError         **error);

/* First run: the stored key, or a new one that is generated and stored. */
MwSigner   *mw_keyring_ensure_sync      (MwKeyring       *self,
                                         GCancellable    *cancellable,
                                         GError         **error);
void        mw_keyring_ensure_async     (MwKeyring       *self,
                                         GCancellable    *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer         user_data);
MwSigner   *mw_keyring_ensure_finish    (MwKeyring       *self,
                                         GAsyncResult    *result,
                                         GError         **error);

/* Removes the stored key; TRUE also when there was none. */
gboolean    mw_keyring_delete_sync      (MwKeyring       *self,
                                         GCancellable    *cancellable,
                                         GError         **error);

/* Convenience for callers that only show or export the key. */
char       *mw_keyring_export_public_sync (MwKeyring     *self,
                                           GCancellable  *cancellable,
                                           GError       **error);

/* Turns a libsecret/D-Bus error into MW_CRYPTO_ERROR_KEYRING with a sentence that says what to
 * do (no service running, locked, prompt dismissed); other errors are copied. */
GError     *mw_keyring_translate_error  (const GError    *error);

G_END_DECLS
