/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "mw-delivery-state.h"

G_BEGIN_DECLS

/* The store layer's errors. */
#define MW_STORE_ERROR (mw_store_error_quark ())

typedef enum {
  MW_STORE_ERROR_UNUSABLE,   /* the local database cannot be opened, read or written */
} MwStoreError;

GQuark mw_store_error_quark (void);

/*
 * MwStore: the local SQLite database (user data dir, or $MELDWIJZER_DB) with the
 * organisation profile, endpoints, incidents, drafts, signed reports (the exact JWS
 * bytes), one delivery per report and recipient, and the receipts.
 *
 * All times are microseconds since the Unix epoch (as g_get_real_time()).
 * An MwStore is not thread-safe: use it from one thread (the main loop).
 */

#define MW_STORE_SCHEMA_VERSION 3

/* Bounds on what is written to and read back from the database. */
#define MW_STORE_MAX_JSON_BYTES  (1024 * 1024)        /* a draft or a report payload */
#define MW_STORE_MAX_JWS_BYTES   (2 * 1024 * 1024)    /* a signed report or a receipt */
#define MW_STORE_MAX_PEM_BYTES   (64 * 1024)          /* a pinned certificate */
#define MW_STORE_MAX_ID_BYTES    128                  /* report, incident, recipient ids */
#define MW_STORE_MAX_URL_BYTES   2048
#define MW_STORE_MAX_ERROR_BYTES 4096                 /* a stored last_error message */
#define MW_STORE_MAX_REFERENCE_BYTES 256              /* the reference a desk gave */

/* Retry schedule: 5 s after the first failure, doubling, at most 15 minutes. */
#define MW_STORE_BACKOFF_FIRST_SECONDS 5
#define MW_STORE_BACKOFF_MAX_SECONDS   (15 * 60)

/* Seconds to wait after the attempts-th failed attempt (attempts >= 1; 0 gives 0). */
guint       mw_store_backoff_seconds      (guint            attempts);

/* ---- Row types (plain boxed structs: the store hands out copies) ---- */

typedef struct {
  char    *json;          /* the profile document (object), as stored */
  char    *name;          /* copied from the document's top-level members, or NULL */
  char    *registration;
  char    *sector;
  char    *entity_type;
  char    *regime;
  gint64   updated_at;
} MwStoreProfile;

typedef struct {
  char     *recipient;        /* recipient id from the regime file */
  gboolean  training;         /* a training mailbox (TRUE) or the live endpoint (FALSE) */
  char     *url;              /* base URL of the mailbox */
  char     *pinned_cert_pem;  /* optional: the only TLS certificate accepted, or NULL */
  char     *pinned_jwk;       /* optional: the recipient's public JWK for receipts, or NULL */
  gint64    updated_at;
} MwStoreEndpoint;

typedef struct {
  char     *incident_id;
  char     *summary;          /* from the newest report or draft, or NULL */
  gboolean  training;
  guint     n_reports;        /* drafts and signed */
  gint64    created_at;
  gint64    updated_at;
} MwStoreIncident;

typedef struct {
  char     *report_id;
  char     *incident_id;
  gboolean  signed_;          /* FALSE: a draft */
  char     *stage;            /* or NULL */
  char     *kind;             /* or NULL */
  char     *supersedes;       /* or NULL */
  gboolean  training;
  char     *summary;          /* nature.summary, or NULL */
  char     *json;             /* draft: the draft document; signed: the exact signed payload */
  char     *jws;              /* signed only: the exact compact JWS */
  char     *sha256;           /* signed only: lower-case hex SHA-256 of the JWS bytes */
  gint64    created_at;
  gint64    updated_at;
  gint64    signed_at;        /* 0 for a draft */
} MwStoreReport;

typedef struct {
  char            *report_id;
  char            *recipient;
  MwDeliveryState  state;
  guint            attempts;
  gint64           next_attempt_at;  /* meaningful while pending */
  char            *last_error;       /* or NULL */
  char            *note;             /* how it was filed by hand, or NULL */
  gint64           updated_at;
  /* from the report */
  char            *jws;
  char            *sha256;
  gboolean         training;
  /* from the endpoint for (recipient, training); all NULL when none is configured */
  char            *url;
  char            *pinned_cert_pem;
  char            *pinned_jwk;
  /* from the receipt, when delivered */
  char            *receipt_id;
  char            *receipt_jws;
  char            *received_at;
  /* filed at a desk (filed-by-hand), or passed on by another recipient (forwarded) */
  char            *reference;        /* the reference the desk gave, or NULL */
  char            *filed_at;         /* RFC 3339, when it was filed (or forwarded), or NULL */
  char            *channel;          /* the regime's channel id it was filed through, or NULL */
  char            *forwarded_by;     /* the recipient that passed it on, or NULL */
} MwStoreDelivery;

typedef struct {
  char     *decision_id;
  char     *incident_id;
  char     *report_id;        /* the draft the decision was about, or NULL */
  char     *json;             /* the exact signed payload */
  char     *jws;              /* the exact compact JWS */
  char     *sha256;           /* lower-case hex SHA-256 of the JWS bytes */
  gint64    stored_at;
} MwStoreDecision;

#define MW_TYPE_STORE_PROFILE  (mw_store_profile_get_type ())
#define MW_TYPE_STORE_ENDPOINT (mw_store_endpoint_get_type ())
#define MW_TYPE_STORE_INCIDENT (mw_store_incident_get_type ())
#define MW_TYPE_STORE_REPORT   (mw_store_report_get_type ())
#define MW_TYPE_STORE_DELIVERY (mw_store_delivery_get_type ())

GType            mw_store_profile_get_type  (void) G_GNUC_CONST;
MwStoreProfile  *mw_store_profile_copy      (const MwStoreProfile  *profile);
void             mw_store_profile_free      (MwStoreProfile        *profile);
GType            mw_store_endpoint_get_type (void) G_GNUC_CONST;
MwStoreEndpoint *mw_store_endpoint_new      (const char            *recipient,
                                             gboolean               training,
                                             const char            *url);
MwStoreEndpoint *mw_store_endpoint_copy     (const MwStoreEndpoint *endpoint);
void             mw_store_endpoint_free     (MwStoreEndpoint       *endpoint);
GType            mw_store_incident_get_type (void) G_GNUC_CONST;
MwStoreIncident *mw_store_incident_copy     (const MwStoreIncident *incident);
void             mw_store_incident_free     (MwStoreIncident       *incident);
GType            mw_store_report_get_type   (void) G_GNUC_CONST;
MwStoreReport   *mw_store_report_copy       (const MwStoreReport   *report);
void             mw_store_report_free       (MwStoreReport         *report);
GType            mw_store_delivery_get_type (void) G_GNUC_CONST;
MwStoreDelivery *mw_store_delivery_copy     (const MwStoreDelivery *delivery);
void             mw_store_delivery_free     (MwStoreDelivery       *delivery);

void             mw_store_decision_free     (MwStoreDecision       *decision);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwStoreProfile, mw_store_profile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwStoreDecision, mw_store_decision_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwStoreEndpoint, mw_store_endpoint_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwStoreIncident, mw_store_incident_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwStoreReport, mw_store_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwStoreDelivery, mw_store_delivery_free)

/* ---- The store ---- */

#define MW_TYPE_STORE (mw_store_get_type ())
G_DECLARE_FINAL_TYPE (MwStore, mw_store, MW, STORE, GObject)

/* $MELDWIJZER_DB if set, else <user data dir>/meldwijzer/meldwijzer.db. */
char            *mw_store_get_default_path   (void);

/* Opens (creating and migrating when needed) the default database. A corrupt file, a file
 * that is not a Meldwijzer database, or one with a newer schema than this build knows
 * gives MW_STORE_ERROR_UNUSABLE and is left untouched. */
MwStore         *mw_store_new                (GError          **error);
MwStore         *mw_store_new_for_path       (const char       *path,
                                              GError          **error);
const char      *mw_store_get_path           (MwStore          *self);

/* Organisation profile: a JSON object (the report's "provider" shape, optionally "regime").
 * get gives NULL without an error when no profile was saved yet. */
gboolean         mw_store_set_profile        (MwStore          *self,
                                              const char       *profile_json,
                                              GError          **error);
MwStoreProfile  *mw_store_get_profile        (MwStore          *self,
                                              GError          **error);

/* Endpoints, keyed by (recipient, training). set replaces all fields of that pair. */
gboolean         mw_store_set_endpoint       (MwStore          *self,
                                              const MwStoreEndpoint *endpoint,
                                              GError          **error);
gboolean         mw_store_set_endpoint_pinned_jwk (MwStore     *self,
                                              const char       *recipient,
                                              gboolean          training,
                                              const char       *pinned_jwk,
                                              GError          **error);
MwStoreEndpoint *mw_store_get_endpoint       (MwStore          *self,
                                              const char       *recipient,
                                              gboolean          training,
                                              GError          **error);   /* MW_ERROR_NOT_FOUND */
GPtrArray       *mw_store_list_endpoints     (MwStore          *self,
                                              GError          **error);   /* of MwStoreEndpoint */
gboolean         mw_store_delete_endpoint    (MwStore          *self,
                                              const char       *recipient,
                                              gboolean          training,
                                              GError          **error);

/* Drafts: a meldwijzer.report/1 document (complete or not) with at least "report_id" and
 * "incident_id". Cheap enough to call on every keystroke. Saving a draft whose report_id
 * is already signed gives MW_ERROR_EXISTS. */
gboolean         mw_store_save_draft         (MwStore          *self,
                                              const char       *report_json,
                                              GError          **error);
char            *mw_store_load_draft         (MwStore          *self,
                                              const char       *report_id,
                                              GError          **error);   /* MW_ERROR_NOT_FOUND */
GPtrArray       *mw_store_list_drafts        (MwStore          *self,
                                              GError          **error);   /* of MwStoreReport, newest first */
gboolean         mw_store_delete_draft       (MwStore          *self,
                                              const char       *report_id,
                                              GError          **error);

/* Stores the signed report (compact JWS; its payload must be the report JSON with
 * report_id and incident_id) and one pending delivery per recipient, replacing the draft
 * of the same report_id, in one transaction with synchronous=FULL. Submitting the same
 * bytes again is a no-op; other bytes under a signed report_id give MW_ERROR_EXISTS. */
gboolean         mw_store_submit             (MwStore          *self,
                                              const char       *jws,
                                              const char * const *recipients,
                                              GError          **error);

MwStoreReport   *mw_store_get_report         (MwStore          *self,
                                              const char       *report_id,
                                              GError          **error);   /* MW_ERROR_NOT_FOUND */
GPtrArray       *mw_store_list_incident_reports (MwStore       *self,
                                              const char       *incident_id,
                                              GError          **error);   /* of MwStoreReport, oldest first */
/* Every report (drafts and signed) of every incident, each incident's oldest first. */
GPtrArray       *mw_store_list_all_reports   (MwStore          *self,
                                              GError          **error);   /* of MwStoreReport */
GPtrArray       *mw_store_list_incidents     (MwStore          *self,
                                              GError          **error);   /* of MwStoreIncident, newest first */

/* Decision records: a compact JWS whose payload is an object with "decision_id" and
 * "incident_id" (and optionally "report_id", "summary", "training"). Stored with its
 * incident in one transaction (synchronous=FULL); the same bytes again are a no-op,
 * other bytes under a known decision_id give MW_ERROR_EXISTS. */
gboolean         mw_store_add_decision       (MwStore          *self,
                                              const char       *jws,
                                              GError          **error);
GPtrArray       *mw_store_list_decisions     (MwStore          *self,
                                              const char       *incident_id,
                                              GError          **error);   /* of MwStoreDecision, oldest first */

/* Deliveries. */
GPtrArray       *mw_store_list_deliveries    (MwStore          *self,
                                              const char       *report_id,
                                              GError          **error);   /* NULL report_id: all; of MwStoreDelivery */
/* Pending deliveries with next_attempt_at <= now (now < 0: every pending one), oldest first. */
GPtrArray       *mw_store_list_due_deliveries (MwStore         *self,
                                              gint64            now,
                                              GError          **error);
/* The earliest next_attempt_at of a pending delivery, or -1 when nothing is pending. */
gint64           mw_store_get_next_due_time  (MwStore          *self,
                                              GError          **error);
MwStoreDelivery *mw_store_get_delivery       (MwStore          *self,
                                              const char       *report_id,
                                              const char       *recipient,
                                              GError          **error);   /* MW_ERROR_NOT_FOUND */

/* A transient failure: attempts + 1, last_error, next_attempt_at = now + backoff.
 * Only for a pending delivery (else MW_ERROR_INVALID). */
gboolean         mw_store_mark_attempt_failed (MwStore         *self,
                                              const char       *report_id,
                                              const char       *recipient,
                                              const char       *message,
                                              gint64            now,
                                              gint64           *next_attempt_at,
                                              GError          **error);
/* Stores the receipt and marks the delivery delivered, in one transaction. Marking again
 * with the same receipt is a no-op; a different receipt for a delivered delivery gives
 * MW_ERROR_EXISTS and keeps the first. */
gboolean         mw_store_mark_delivered     (MwStore          *self,
                                              const char       *report_id,
                                              const char       *recipient,
                                              const char       *receipt_id,
                                              const char       *receipt_jws,
                                              const char       *received_at,
                                              GError          **error);
/* The recipient refused the report (4xx): not retried. Not for a delivered one. */
gboolean         mw_store_mark_failed        (MwStore          *self,
                                              const char       *report_id,
                                              const char       *recipient,
                                              const char       *message,
                                              GError          **error);
/* Filed at the recipient's desk: filed-by-hand with reference and filed_at (RFC 3339) and
 * the channel (may be NULL); in the same transaction each of forwarded that is still
 * awaiting filing becomes forwarded by recipient. Not for a delivered one (MW_ERROR_INVALID)
 * nor one already filed (MW_ERROR_EXISTS): then nothing changes. */
gboolean         mw_store_mark_filed         (MwStore          *self,
                                              const char       *report_id,
                                              const char       *recipient,
                                              const char       *reference,
                                              const char       *filed_at,
                                              const char       *channel,
                                              const char * const *forwarded,
                                              GError          **error);
/* A live delivery that has no endpoint waits to be filed at a desk. Not for a delivered one. */
gboolean         mw_store_mark_awaiting_filing (MwStore        *self,
                                              const char       *report_id,
                                              const char       *recipient,
                                              const char       *message,
                                              GError          **error);
/* Makes pending deliveries due at now (and, with include_failed, failed ones pending
 * again; and awaiting-filing ones whose recipient now has a live endpoint pending);
 * report_id NULL for all. Returns how many were rescheduled, or -1 on error. */
gint             mw_store_retry_now          (MwStore          *self,
                                              const char       *report_id,
                                              gboolean          include_failed,
                                              gint64            now,
                                              GError          **error);

G_END_DECLS
