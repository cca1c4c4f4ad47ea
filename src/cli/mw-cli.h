/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "mw-report.h"
#include "mw-signer.h"
#include "mw-context.h"
#include "mw-store.h"

G_BEGIN_DECLS

/* Exit codes (contract): 0 success, 1 a negative answer, 2 usage. */
enum {
  MW_EXIT_OK = 0,
  MW_EXIT_NEGATIVE = 1,
  MW_EXIT_USAGE = 2,
};

/* Each command gets argv with argv[0] the command name; one file mw-cli-COMMAND.c each. */
typedef int (*MwCliCommand) (int argc, char **argv);

int  mw_cli_assess   (int argc, char **argv);
int  mw_cli_validate (int argc, char **argv);
int  mw_cli_key      (int argc, char **argv);
int  mw_cli_sign     (int argc, char **argv);
int  mw_cli_verify   (int argc, char **argv);
int  mw_cli_endpoint (int argc, char **argv);
int  mw_cli_submit   (int argc, char **argv);
int  mw_cli_outbox   (int argc, char **argv);
int  mw_cli_export   (int argc, char **argv);
int  mw_cli_incident (int argc, char **argv);
int  mw_cli_receipt  (int argc, char **argv);
int  mw_cli_decide   (int argc, char **argv);

/* Shared helpers (mw-cli-common.c) ---------------------------------------------------- */

/* "meldwijzer-cli: MESSAGE" on stderr. */
void mw_cli_error    (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* A remedy for the error just printed, as its own line on stderr: the library states
 * the fact, the command line says which command fixes it. */
void mw_cli_hint     (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* A keyring error from mw_keyring_*, with the key command that fixes it. */
void mw_cli_keyring_error (const GError *error);
/* Prints the usage line on stderr and returns MW_EXIT_USAGE. */
int  mw_cli_usage    (const char *usage);
/* Every validation problem as "FILE: path: message" on stderr. */
void mw_cli_print_problems (const char *file,
                            GPtrArray  *problems);

/* Parses a command's options; returns FALSE (and has printed why) on a usage error. */
gboolean  mw_cli_parse_options (const char    *parameter,
                                const char    *summary,
                                GOptionEntry  *entries,
                                int           *argc,
                                char        ***argv);
/* Loads a report file; a file that cannot be opened is a usage error (2), one that is
 * not a report is a negative answer (1), in *exit_code. */
MwReport *mw_cli_load_report   (const char    *path,
                                int           *exit_code);

#define MW_CLI_MAX_JWK_BYTES (64 * 1024)

/* Reads at most max bytes of a text file, NUL-terminated. */
char    *mw_cli_read_text_file (const char  *path,
                                gsize        max,
                                GError     **error);
/* The store, or NULL after printing why it cannot be opened. */
MwStore *mw_cli_open_store     (void);
/* The services on the default store, with the organisation's key when the keyring has one
 * (it is needed only to enrol at a training mailbox); NULL after printing why not. */
MwContext *mw_cli_open_context (MwSigner *signer);

/* The incidents on the default store (mw-cli-incident.c), with the list read when @load;
 * $MELDWIJZER_NOW fixes the clock for tests. NULL after printing why not; *services keeps
 * them open. */
MwIncidents *mw_cli_open_incidents (MwContext **services,
                                    gboolean    load);

/* Running and listing deliveries, for submit and outbox (mw-cli-delivery.c) ----------- */

gboolean mw_cli_deliver          (MwContext  *services,
                                  const char  *report_id,
                                  GError     **error);
/* Returns how many are not complete: pending, failed (*n_failed) or awaiting filing
 * (*n_awaiting). */
guint    mw_cli_print_deliveries (GPtrArray   *deliveries,
                                  gboolean     with_report_id,
                                  guint       *n_failed,
                                  guint       *n_awaiting);
void     mw_cli_print_open_hint  (guint        open,
                                  guint        n_failed,
                                  guint        n_awaiting);
/* outbox list --json: the contract's fields of each delivery. */
void     mw_cli_print_deliveries_json (GPtrArray *deliveries);

G_END_DECLS
