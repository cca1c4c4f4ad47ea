/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The base layer's errors: what any layer may say about its input. Each layer above adds a
 * domain of its own for what only it can go wrong with (MW_CRYPTO_ERROR in mw-signer.h,
 * MW_STORE_ERROR in mw-store.h, MW_PROTOCOL_ERROR in mw-protocol.h). Messages state the
 * fact in words the wizard can show; front-ends add the remedy. */
#define MW_ERROR (mw_error_quark ())

typedef enum {
  MW_ERROR_FAILED,
  MW_ERROR_INVALID,        /* input does not follow the format */
  MW_ERROR_TOO_LARGE,      /* input over its size or depth bound */
  MW_ERROR_NOT_FOUND,      /* a file, key, record or id that does not exist */
  MW_ERROR_EXISTS,         /* refusing to overwrite */
  MW_ERROR_BAD_SIGNATURE,  /* a signed document that does not parse or verify */
} MwError;

GQuark mw_error_quark (void);

G_END_DECLS
