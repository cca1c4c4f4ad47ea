/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-jws"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-error.h"
#include "mw-json.h"
#include "mw-jws.h"

/* Clears a copy that may hold key material; the compiler may not leave this out. */
static void
wipe_free (void  *data,
           gsize  length)
{
  if (data == NULL)
    return;
  explicit_bzero (data, length);
  g_free (data);
}

char *
mw_base64url_encode (const guint8 *data,
                     gsize         length)
{
  char *text = g_base64_encode (data, length);
  gsize len = strlen (text);

  while (len > 0 && text[len - 1] == '=')
    text[--len] = '\0';

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '+')
        text[i] = '-';
      else if (text[i] == '/')
        text[i] = '_';
    }

  return text;
}

static gboolean
is_base64url_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

guint8 *
mw_base64url_decode (const char *text,
                     gssize      text_length,
                     gsize      *out_length)
{
  char *padded = NULL;
  g_autofree guint8 *data = NULL;
  char *again = NULL;
  gboolean canonical;
  gsize len;
  gsize plen;
  gsize decoded_length = 0;

  g_return_val_if_fail (text != NULL, NULL);

  len = text_length < 0 ? strlen (text) : (gsize) text_length;
  if (out_length != NULL)
    *out_length = 0;

  /* A length of 1 modulo 4 cannot come from any byte string. */
  if (len % 4 == 1)
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (!is_base64url_char (text[i]))
      return NULL;

  padded = g_malloc (len + 4);
  for (gsize i = 0; i < len; i++)
    padded[i] = text[i] == '-' ? '+' : text[i] == '_' ? '/' : text[i];
  plen = len;
  while (plen % 4 != 0)
    padded[plen++] = '=';
  padded[plen] = '\0';

  if (len == 0)
    data = g_malloc0 (1);
  else
    data = g_base64_decode (padded, &decoded_length);
  wipe_free (padded, len + 4);

  /* Strict: only the one canonical encoding of the bytes is accepted, so that a JWS cannot
   * be changed in its unused bits and still verify. */
  again = mw_base64url_encode (data, decoded_length);
  canonical = strlen (again) == len && memcmp (again, text, len) == 0;
  wipe_free (again, strlen (again));
  if (!canonical)
    {
      explicit_bzero (data, decoded_length);
      return NULL;
    }

  if (out_length != NULL)
    *out_length = decoded_length;
  return g_steal_pointer (&data);
}

char *
mw_sha256_hex (const guint8 *data,
               gsize         length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

gsize
mw_jws_trimmed_length (const char *jws,
                       gsize       length)
{
  if (length >= 2 && jws[length - 2] == '\r' && jws[length - 1] == '\n')
    return length - 2;
  if (length >= 1 && jws[length - 1] == '\n')
    return length - 1;
  return length;
}

void
mw_jws_free (MwJws *jws)
{
  if (jws == NULL)
    return;
  g_free (jws->kid);
  g_free (jws->cty);
  g_clear_pointer (&jws->payload, g_bytes_unref);
  g_clear_pointer (&jws->signature, g_bytes_unref);
  g_free (jws);
}

G_GNUC_PRINTF (2, 3)
static gboolean
bad_jws (GError     **error,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *reason = NULL;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, MW_ERROR, MW_ERROR_BAD_SIGNATURE,
               _("Not a valid signed document (compact JWS): %s"), reason);
  return FALSE;
}

/* A header member that must be a string when present. */
static gboolean
get_optional_string (JsonObject  *header,
                     const char  *member,
                     char       **out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (header, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return bad_jws (error, _("header member “%s” must be a string"), member);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_header (const char  *text,
             gsize        length,
             MwJws       *jws,
             GError     **error)
{
  g_autofree guint8 *bytes = NULL;
  gsize bytes_length = 0;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *header;
  const char *alg;

  if (length == 0)
    return bad_jws (error, _("the protected header is empty"));
  bytes = mw_base64url_decode (text, length, &bytes_length);
  if (bytes == NULL)
    return bad_jws (error, _("the protected header is not valid base64url without padding"));

  root = mw_json_parse ((const char *) bytes, bytes_length, _("protected header"), &local_error);
  if (root == NULL)
    return bad_jws (error, "%s", local_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return bad_jws (error, _("the protected header must be a JSON object"));
  header = json_node_get_object (root);

  if (!json_object_has_member (header, "alg"))
    return bad_jws (error, _("the protected header has no “alg”; it must be “EdDSA”"));
  alg = mw_json_get_string (header, "alg");
  if (g_strcmp0 (alg, "EdDSA") != 0)
    return bad_jws (error, _("header “alg” must be “EdDSA”, not “%s”"),
                    alg != NULL ? alg : _("a non-string value"));

  /* RFC 7515 §4.1.11: no extension is understood here, so any "crit" is refused. */
  if (json_object_has_member (header, "crit"))
    return bad_jws (error, _("header “crit” names extensions this program does not support"));

  return get_optional_string (header, "kid", &jws->kid, error) &&
         get_optional_string (header, "cty", &jws->cty, error);
}

static gboolean
read_parts (const char  *text,
            MwJws       *jws,
            GError     **error)
{
  const char *dot1;
  const char *dot2;
  gsize len;
  guint8 *bytes;
  gsize bytes_length = 0;

  if (text == NULL)
    return bad_jws (error, _("it is empty"));

  /* Two bytes more than the bound: room for the line end that is not part of the JWS. */
  len = strnlen (text, MW_JWS_MAX_BYTES + 3);
  len = mw_jws_trimmed_length (text, len);
  if (len > MW_JWS_MAX_BYTES)
    return bad_jws (error, _("it is larger than 1 MiB"));
  if (len == 0)
    return bad_jws (error, _("it is empty"));

  dot1 = memchr (text, '.', len);
  dot2 = dot1 != NULL ? memchr (dot1 + 1, '.', len - (dot1 + 1 - text)) : NULL;
  if (dot1 == NULL || dot2 == NULL || memchr (dot2 + 1, '.', len - (dot2 + 1 - text)) != NULL)
    return bad_jws (error, _("it must have exactly three parts separated by dots (header.payload.signature)"));
  jws->length = len;
  jws->signing_input_length = dot2 - text;

  if (!read_header (text, dot1 - text, jws, error))
    return FALSE;

  bytes = mw_base64url_decode (dot1 + 1, dot2 - dot1 - 1, &bytes_length);
  if (bytes == NULL)
    return bad_jws (error, _("the payload is not valid base64url without padding"));
  jws->payload = g_bytes_new_take (bytes, bytes_length);

  bytes = mw_base64url_decode (dot2 + 1, len - (dot2 + 1 - text), &bytes_length);
  if (bytes == NULL)
    return bad_jws (error, _("the signature is not valid base64url without padding"));
  jws->signature = g_bytes_new_take (bytes, bytes_length);
  if (bytes_length != MW_JWS_SIGNATURE_BYTES)
    return bad_jws (error, _("the signature must be 64 bytes (Ed25519), not %u"), (guint) bytes_length);

  return TRUE;
}

MwJws *
mw_jws_read (const char  *text,
             GError     **error)
{
  g_autoptr(MwJws) jws = g_new0 (MwJws, 1);

  if (!read_parts (text, jws, error))
    return NULL;
  return g_steal_pointer (&jws);
}

gboolean
mw_jws_parse (const char  *text,
              char       **kid,
              char       **cty,
              GBytes     **payload,
              GError     **error)
{
  g_autoptr(MwJws) jws = mw_jws_read (text, error);

  if (jws == NULL)
    return FALSE;
  if (kid != NULL)
    *kid = g_steal_pointer (&jws->kid);
  if (cty != NULL)
    *cty = g_steal_pointer (&jws->cty);
  if (payload != NULL)
    *payload = g_steal_pointer (&jws->payload);
  return TRUE;
}
