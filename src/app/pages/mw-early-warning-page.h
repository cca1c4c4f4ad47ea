/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"

G_BEGIN_DECLS

/* The early warning on one page: what Cbw art. 26 asks and nothing more. When the entity
 * became aware (now, unless changed), the service hit (chosen already when the profile has
 * one), whether it looks unlawful or malicious and whether it may cross borders (each Yes, No
 * or Not known yet: an answer the report keeps as null), and the contact official from the
 * profile. "full-details" asks for the other pages now; the window shows them. */
#define MW_TYPE_EARLY_WARNING_PAGE (mw_early_warning_page_get_type ())
G_DECLARE_FINAL_TYPE (MwEarlyWarningPage, mw_early_warning_page, MW, EARLY_WARNING_PAGE, MwPage)

/* The answers to a yes/no/not-known-yet question. */
typedef enum {
  MW_ANSWER_YES,
  MW_ANSWER_NO,
  MW_ANSWER_NOT_KNOWN,
} MwAnswer;

GtkWidget *mw_early_warning_page_new              (MwSession          *session);
/* Answers "nature.suspected_unlawful" or "facts.cross_border" as a click on its button does. */
void       mw_early_warning_page_answer           (MwEarlyWarningPage *self,
                                                   const char         *path,
                                                   MwAnswer            answer);
gboolean   mw_early_warning_page_get_full_details (MwEarlyWarningPage *self);
void       mw_early_warning_page_set_full_details (MwEarlyWarningPage *self,
                                                   gboolean            full_details);

G_END_DECLS
