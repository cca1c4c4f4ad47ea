/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mw-session.h"

/* Files the session's report (mw_session_submit_async) and waits for the answer, turning
 * the main loop meanwhile, as the wizard does. */
static void
mw_test_submitted_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static inline gboolean
mw_test_submit (MwSession  *session,
                GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_session_submit_async (session, NULL, mw_test_submitted_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return mw_session_submit_finish (session, result, error);
}
