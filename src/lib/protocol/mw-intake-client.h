/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * MwIntakeClient: the one client of the intake protocol (DESIGN.md, "The intake protocol").
 * Asynchronous over one SoupSession; every call honours its GCancellable; answers are
 * bounded in size and time; redirects are never followed; HTTPS is required except to
 * loopback; a host may be pinned to one certificate.
 *
 * Errors say what happened, not what to do next (the front-end adds that):
 * MW_PROTOCOL_ERROR_NETWORK for what is worth retrying (no connection, a timeout, 5xx, 408, 429, an
 * untrusted certificate), MW_PROTOCOL_ERROR_REFUSED for a refusal (4xx, a redirect, an answer that
 * is not what the protocol promises), MW_ERROR_INVALID for a URL that may not be used.
 */

#define MW_INTAKE_CLIENT_MAX_ANSWER      (1024 * 1024)
#define MW_INTAKE_CLIENT_TIMEOUT_SECONDS 30

#define MW_TYPE_INTAKE_CLIENT (mw_intake_client_get_type ())
G_DECLARE_FINAL_TYPE (MwIntakeClient, mw_intake_client, MW, INTAKE_CLIENT, GObject)

MwIntakeClient *mw_intake_client_new               (void);

/* Is this URL allowed as a mailbox base URL? (https, or http to loopback only) */
gboolean        mw_intake_check_url                (const char      *url,
                                                    GError         **error);
/* The mailbox a base URL names (its last path segment), as the receipt names it. */
char           *mw_intake_dup_mailbox              (const char      *url);

/* From now on the host and port of url must present exactly this certificate (PEM). */
gboolean        mw_intake_client_pin_certificate   (MwIntakeClient  *self,
                                                    const char      *url,
                                                    const char      *certificate_pem,
                                                    GError         **error);

/* POST <url>/v1/reports: finishes with the receipt JWS the mailbox answered (201 or 200). */
void            mw_intake_client_post_report_async (MwIntakeClient      *self,
                                                    const char          *url,
                                                    const char          *jws,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char           *mw_intake_client_post_report_finish (MwIntakeClient     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* POST <url>/v1/enrol with a public JWK (training mailboxes only). */
void            mw_intake_client_enrol_async       (MwIntakeClient      *self,
                                                    const char          *url,
                                                    const char          *public_jwk,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        mw_intake_client_enrol_finish      (MwIntakeClient      *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* GET <url>/v1/keys: finishes with the mailbox's public JWK (a set of exactly one key,
 * checked to be a usable Ed25519 public key). */
void            mw_intake_client_fetch_key_async   (MwIntakeClient      *self,
                                                    const char          *url,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char           *mw_intake_client_fetch_key_finish  (MwIntakeClient      *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Which kind of mailbox answers at url, asked without enrolling anything: a training
 * mailbox takes keys over the network (so an empty key is malformed), a live one refuses
 * enrolment altogether (403). */
typedef enum {
  MW_MAILBOX_MODE_LIVE,
  MW_MAILBOX_MODE_TRAINING,
} MwMailboxMode;

void            mw_intake_client_probe_mode_async  (MwIntakeClient      *self,
                                                    const char          *url,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        mw_intake_client_probe_mode_finish (MwIntakeClient      *self,
                                                    GAsyncResult        *result,
                                                    MwMailboxMode       *mode,
                                                    GError             **error);

G_END_DECLS
