/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mw-regime.h"
#include "mw-report.h"

G_BEGIN_DECLS

/* Exports of one report for other tools and for a person filing by hand. Every export is
 * deterministic: the same report (and regime, and signed form) gives the same bytes, and
 * every text that comes from the report is escaped for the target format. */
typedef enum {
  MW_EXPORT_PDF,
  MW_EXPORT_STIX,
  MW_EXPORT_MISP,
  MW_EXPORT_IODEF,
} MwExportFormat;

/* "pdf", "stix", "misp", "iodef". */
gboolean    mw_export_format_parse        (const char     *name,
                                           MwExportFormat *format);
const char *mw_export_format_to_string    (MwExportFormat  format);
const char *mw_export_format_content_type (MwExportFormat  format);
const char *mw_export_format_extension    (MwExportFormat  format);

/* A deterministic name-based UUID (RFC 4122 version 5, SHA-1) in Meldwijzer's export namespace. */
char       *mw_export_uuid5               (const char     *name);

/* Any format. The report is checked as a draft first (MW_ERROR_INVALID names the first
 * problems). regime may be NULL: the PDF then loads the report's regime, MISP leaves the
 * threat level undefined. jws, the signed form of the report, may be NULL; when given it
 * must hold exactly this report and its SHA-256 and kid appear in the PDF. */
GBytes     *mw_export                     (MwReport       *report,
                                           MwExportFormat  format,
                                           MwRegime       *regime,
                                           const char     *jws,
                                           GError        **error);

/* The reporter's sharing limit (consent.csirt_may_share_identifiable) is a TLP 2.0 label in
 * STIX, MISP and IODEF alike: TLP:GREEN on a yes, TLP:AMBER+STRICT otherwise. */

/* STIX 2.1 bundle: the TLP marking definition, Meldwijzer's extension definition (with the
 * project's identity), identity (provider), incident, one indicator per indicator with an
 * "indicates" relationship to the incident. Ids are UUIDv5 from the report_id. */
char       *mw_export_stix                (MwReport       *report,
                                           GError        **error);
/* MISP event JSON {"Event": {…}}: tlp: and rsit: taxonomy tags, the distribution the TLP
 * label allows, indicator attributes and an "incident" object per MISP's template. */
char       *mw_export_misp                (MwReport       *report,
                                           MwRegime       *regime,
                                           GError        **error);
/* IODEF (RFC 7970) document, version 2.00, one Incident with purpose "reporting", its
 * IncidentID named by the provider's domain. */
char       *mw_export_iodef               (MwReport       *report,
                                           GError        **error);
/* A4 PDF for manual filing: verdict, recipients with their contact channels, the report. */
GBytes     *mw_export_pdf                 (MwReport       *report,
                                           MwRegime       *regime,
                                           const char     *jws,
                                           GError        **error);
/* The PDF record of a signed report: as mw_export_pdf(), with its receipts (@deliveries:
 * a report's "deliveries" as `incident show --json` prints them) and the incident's decision
 * records (@decisions, its "decisions"); either may be NULL. Every page says "n of N". */
GBytes     *mw_export_pdf_record          (MwReport       *report,
                                           MwRegime       *regime,
                                           const char     *jws,
                                           JsonArray      *deliveries,
                                           JsonArray      *decisions,
                                           GError        **error);

G_END_DECLS
