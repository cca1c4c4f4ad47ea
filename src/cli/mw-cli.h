/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes (contract): 0 success, 1 a negative answer, 2 usage. */
enum {
  MW_EXIT_OK = 0,
  MW_EXIT_NEGATIVE = 1,
  MW_EXIT_USAGE = 2,
};

/* Each command gets argv with argv[0] the command name. */
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

void mw_cli_error    (const char *format, ...) G_GNUC_PRINTF (1, 2);
int  mw_cli_usage    (const char *usage);
/* Every validation problem as "FILE: path: message" on stderr. */
void mw_cli_print_problems (const char *file,
                            GPtrArray  *problems);

G_END_DECLS
