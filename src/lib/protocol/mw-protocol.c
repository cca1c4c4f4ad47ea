/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-protocol"

#include "config.h"

#include <string.h>

#include "mw-protocol.h"

G_DEFINE_QUARK (mw-protocol-error-quark, mw_protocol_error)

gboolean
mw_is_mailbox_name (const char *name)
{
  gsize length;

  if (name == NULL || name[0] == '\0' || name[0] == '.' || name[0] == '-')
    return FALSE;

  length = strlen (name);
  if (length > MW_PROTOCOL_MAX_MAILBOX_NAME)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = name[i];

      if (!g_ascii_isalnum (c) && c != '-' && c != '_' && c != '.')
        return FALSE;
    }

  return TRUE;
}
