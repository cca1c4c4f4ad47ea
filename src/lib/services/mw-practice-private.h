/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-practice.h"
#include "mw-store.h"

G_BEGIN_DECLS

/* For MwOutbox: which training endpoints are the practice intake's to replace. */

/* Is this training endpoint one a practice intake of this store recorded (pinned to its
 * receipt key)? Such an endpoint is replaced when the practice intake starts again. */
gboolean    mw_practice_owns_endpoint    (MwPractice          *self,
                                          const MwStoreEndpoint *endpoint);

/* Is this a practice endpoint that no practice intake serves any more (ours stopped, or
 * another one's that does not answer)? Then the practice intake takes it over. */
gboolean    mw_practice_needs_replacing  (MwPractice          *self,
                                          const MwStoreEndpoint *endpoint);

G_END_DECLS
