/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-page.h"

G_BEGIN_DECLS

#define MW_TYPE_ASSESSMENT_PAGE (mw_assessment_page_get_type ())
G_DECLARE_FINAL_TYPE (MwAssessmentPage, mw_assessment_page, MW, ASSESSMENT_PAGE, MwPage)

GtkWidget  *mw_assessment_page_new              (MwSession        *session);
/* The verdict headline as shown, for tests. */
const char *mw_assessment_page_get_verdict_text (MwAssessmentPage *self);
guint       mw_assessment_page_get_n_criteria   (MwAssessmentPage *self);
guint       mw_assessment_page_get_n_deciding   (MwAssessmentPage *self);
gboolean    mw_assessment_page_get_gdpr_shown   (MwAssessmentPage *self);
/* Whether the page reminds the officer of what comes with the verdict (Cbw art. 30). */
gboolean    mw_assessment_page_get_reminder_shown (MwAssessmentPage *self);

G_END_DECLS
