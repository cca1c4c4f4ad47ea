/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mw-intake-trainer.h"
#include "mw-protocol.h"
#include "mw-signer.h"

G_BEGIN_DECLS

/* The intake server's errors. */
#define MW_INTAKE_ERROR (mw_intake_error_quark ())

typedef enum {
  MW_INTAKE_ERROR_DATABASE,   /* the intake's database cannot be opened, read or written */
} MwIntakeError;

GQuark mw_intake_error_quark (void);

/* The receiving end of the intake protocol (DESIGN.md, contract): named mailboxes, one base
 * URL each (http(s)://host:port/<mailbox>), reports stored in SQLite before the answer, receipts
 * signed with the intake's own Ed25519 key kept in "<db>.key" (mode 0600). */

#define MW_INTAKE_MAX_BODY      MW_PROTOCOL_MAX_REPORT
#define MW_INTAKE_RECEIPT_CTY   MW_PROTOCOL_RECEIPT_CTY
#define MW_INTAKE_MAX_MAILBOXES 64

typedef enum {
  MW_INTAKE_FLAGS_NONE     = 0,
  MW_INTAKE_FLAGS_TRAINING = 1 << 0,  /* every mailbox of this intake is a training mailbox */
} MwIntakeFlags;

#define MW_TYPE_INTAKE (mw_intake_get_type ())
G_DECLARE_FINAL_TYPE (MwIntake, mw_intake, MW, INTAKE, GObject)

/* Opens (or creates) the database and the key file beside it ("<db_path>.key"). */
MwIntake   *mw_intake_new               (const char      *db_path,
                                         MwIntakeFlags    flags,
                                         GError         **error);
gboolean    mw_intake_get_training      (MwIntake        *self);
const char *mw_intake_get_db_path       (MwIntake        *self);
char       *mw_intake_dup_key_path      (MwIntake        *self);
MwSigner   *mw_intake_get_signer        (MwIntake        *self);

/* Serves the mailbox; creates it in the database on first use. Fails when the database
 * already holds it in the other mode (training/live). */
gboolean    mw_intake_add_mailbox       (MwIntake        *self,
                                         const char      *name,
                                         GError         **error);

/* Enrols a public Ed25519 JWK for a mailbox (added with mw_intake_add_mailbox). Sets
 * *already_enrolled when the key was known; *kid receives its thumbprint. */
gboolean    mw_intake_enrol             (MwIntake        *self,
                                         const char      *mailbox,
                                         const char      *jwk_json,
                                         gsize            length,
                                         gboolean        *already_enrolled,
                                         char           **kid,
                                         GError         **error);

/* The HTML overview (GET /) is served to loopback clients, and to any other client only with
 * this token (?token=TOKEN or "Authorization: Bearer TOKEN"); NULL or "" for loopback only. */
void        mw_intake_set_overview_token (MwIntake       *self,
                                          const char     *token);
/* Whether a client at remote, giving these (either may be NULL), may see the overview. */
/* A training session: GET /trainer and /trainer.csv show it (training intakes only). */
void        mw_intake_set_trainer       (MwIntake        *self,
                                         MwIntakeTrainer *trainer);
gboolean    mw_intake_overview_allowed  (MwIntake        *self,
                                         GSocketAddress  *remote,
                                         const char      *query_token,
                                         const char      *authorization);

/* address: "ADDR:PORT", "[V6ADDR]:PORT" or NULL for 127.0.0.1:0. With a certificate the
 * listener speaks HTTPS only. */
gboolean    mw_intake_listen            (MwIntake        *self,
                                         const char      *address,
                                         GTlsCertificate *certificate,
                                         GError         **error);
/* The URL of the server root, e.g. "http://127.0.0.1:43123/"; NULL before listening. */
char       *mw_intake_dup_url           (MwIntake        *self);
void        mw_intake_disconnect        (MwIntake        *self);

G_END_DECLS
