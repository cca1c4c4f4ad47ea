/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-error"

#include "mw-error.h"

G_DEFINE_QUARK (mw-error-quark, mw_error)
