/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mw-outbox.h"
#include "mw-regime.h"
#include "mw-report.h"
#include "mw-session.h"

G_BEGIN_DECLS

/*
 * MwDeskStep: filing a live report at one recipient's desk (DESIGN.md, "Filing at a
 * desk"). Shows the desk's channel (its web form to open, its e-mail address with the text
 * ready, or its phone number with what to say), every answer in the order of that desk's
 * form with a copy button, and then takes the reference the desk gave and the time, which
 * "Record Filing" hands to MwOutbox. It presents; MwOutbox decides and stores.
 */

#define MW_TYPE_DESK_STEP (mw_desk_step_get_type ())
G_DECLARE_FINAL_TYPE (MwDeskStep, mw_desk_step, MW, DESK_STEP, GtkBox)

/* The step for the recipient (an id of the regime), or NULL when the regime has none such. */
GtkWidget  *mw_desk_step_new           (MwOutbox          *outbox,
                                        MwReport          *report,
                                        MwRegime          *regime,
                                        const char        *recipient);
const char *mw_desk_step_get_recipient (MwDeskStep        *self);
/* The channel the step files through (its id in the regime), or NULL. */
const char *mw_desk_step_get_channel   (MwDeskStep        *self);
/* The session whose signed report and PDF record an e-mail attaches (through the Email
 * portal); without one, or without the portal, the e-mail carries the text only. */
void        mw_desk_step_set_session   (MwDeskStep        *self,
                                        MwSession         *session);
/* The answers shown, in order, as label and text (for tests and the e-mail body). */
GPtrArray  *mw_desk_step_get_answers   (MwDeskStep        *self);

G_END_DECLS
