/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mw-signer.h"

G_BEGIN_DECLS

typedef struct _MwStore MwStore;

/*
 * MwPractice: the local practice intake of training mode (DESIGN.md, "Training mode"), used by
 * the wizard and the command line alike. It runs `meldwijzer-intake --training` as a child
 * process on loopback (MwTrainingIntake) with one mailbox per recipient asked for, its
 * database "training-intake.db" beside the store, the organisation's key enrolled, and
 * records each mailbox as that recipient's training endpoint in the store, pinned to the
 * practice intake's receipt key. It lives as long as this object (or until stopped).
 */

#define MW_TYPE_PRACTICE (mw_practice_get_type ())
G_DECLARE_FINAL_TYPE (MwPractice, mw_practice, MW, PRACTICE, GObject)

MwPractice *mw_practice_new              (MwStore             *store);
/* The key enrolled at each mailbox when the intake starts (may be NULL: then training
 * deliveries enrol it themselves). */
void        mw_practice_set_signer       (MwPractice          *self,
                                          MwSigner            *signer);

/* Makes sure the practice intake runs with (at least) these mailboxes and that each is the
 * training endpoint of its recipient; starts or restarts it when needed. */
void        mw_practice_ensure_async     (MwPractice          *self,
                                          const char * const  *mailboxes,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    mw_practice_ensure_finish    (MwPractice          *self,
                                          GAsyncResult        *result,
                                          GError             **error);

gboolean    mw_practice_get_running      (MwPractice          *self);
/* "http://127.0.0.1:PORT/" while running, else NULL. */
const char *mw_practice_get_url          (MwPractice          *self);
/* Stops the child process. Safe to call more than once. */
void        mw_practice_stop             (MwPractice          *self);

G_END_DECLS
