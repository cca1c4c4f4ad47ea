/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The practice intake of training mode: a `meldwijzer-intake --training` child process on
 * loopback (port 0) with one mailbox per recipient, the sender's key enrolled at each
 * mailbox before it starts. Used by the wizard and the command line; no GTK. */

#define MW_TRAINING_START_TIMEOUT_SECONDS 20

#define MW_TYPE_TRAINING_INTAKE (mw_training_intake_get_type ())
G_DECLARE_FINAL_TYPE (MwTrainingIntake, mw_training_intake, MW, TRAINING_INTAKE, GObject)

/* db_path: the intake's SQLite file (its receipt key is kept beside it as "<db>.key"). */
MwTrainingIntake *mw_training_intake_new            (const char          *db_path,
                                                     const char * const  *mailboxes);
/* The meldwijzer-intake program: $MELDWIJZER_INTAKE, else on PATH, else in BINDIR. */
char             *mw_training_intake_find_program   (void);
void              mw_training_intake_set_program    (MwTrainingIntake    *self,
                                                     const char          *program);
const char       *mw_training_intake_get_db_path    (MwTrainingIntake    *self);
const char * const *mw_training_intake_get_mailboxes (MwTrainingIntake   *self);

/* Enrols public_jwk (may be NULL) at every mailbox, then starts the server and waits for
 * its "listening on URL" line. */
void              mw_training_intake_start_async    (MwTrainingIntake    *self,
                                                     const char          *public_jwk,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean          mw_training_intake_start_finish   (MwTrainingIntake    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
gboolean          mw_training_intake_get_running    (MwTrainingIntake    *self);
/* "http://127.0.0.1:PORT/" once running, else NULL. */
const char       *mw_training_intake_get_url        (MwTrainingIntake    *self);
/* "http://127.0.0.1:PORT/<mailbox>" once running, else NULL. */
char             *mw_training_intake_dup_mailbox_url (MwTrainingIntake   *self,
                                                      const char         *mailbox);
/* The public JWK the intake signs its receipts with (from "<db>.key"), for pinning. */
char             *mw_training_intake_dup_receipt_jwk (MwTrainingIntake   *self,
                                                      GError            **error);
/* Stops the server (SIGTERM) and reaps it. Safe to call more than once. */
void              mw_training_intake_stop           (MwTrainingIntake    *self);

G_END_DECLS
