/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MW_ERROR (mw_error_quark ())

typedef enum {
  MW_ERROR_FAILED,
  MW_ERROR_INVALID,        /* input does not follow the format */
  MW_ERROR_TOO_LARGE,      /* input over its size or depth bound */
  MW_ERROR_NOT_FOUND,      /* a file, key, record or id that does not exist */
  MW_ERROR_EXISTS,         /* refusing to overwrite */
  MW_ERROR_BAD_SIGNATURE,  /* a signature that does not verify */
  MW_ERROR_KEYRING,        /* no Secret Service, or it is locked */
  MW_ERROR_STORE,          /* the local database is unusable */
  MW_ERROR_NETWORK,        /* a transient delivery problem: retry */
  MW_ERROR_REFUSED,        /* the recipient refused: do not retry */
  MW_ERROR_DAMAGED,        /* stored data that can no longer be used: replace it */
} MwError;

GQuark mw_error_quark (void);

G_END_DECLS
