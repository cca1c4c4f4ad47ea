/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mw-file.h"

G_BEGIN_DECLS

/* Bounds for every JSON document that comes from outside. */
#define MW_JSON_MAX_BYTES (1024 * 1024)
#define MW_JSON_MAX_DEPTH 64

/* The one reader of JSON from outside: RFC 8259 and nothing more, read without recursion
 * before json-glib sees it. At most MW_JSON_MAX_BYTES of UTF-8 (a leading byte order mark is
 * ignored, RFC 8259 §8.1) and MW_JSON_MAX_DEPTH levels (MW_ERROR_TOO_LARGE). MW_ERROR_INVALID
 * for comments, single quotes, trailing commas, leading zeros, whole numbers beyond ±2^53,
 * numbers beyond a double, a member name twice in one object, a lone UTF-16 surrogate escape,
 * "\u0000" and anything else that is not JSON. Every message starts with source_name and
 * says where (line, column, the member) and what is wrong. */
JsonNode *mw_json_parse          (const char  *data,
                                  gssize       length,
                                  const char  *source_name,
                                  GError     **error);
JsonNode *mw_json_load_file      (const char  *path,
                                  GError     **error);
/* RFC 8785 (JCS): members sorted by UTF-16 code units, no white space, strings escaped as
 * §3.2.2.2, numbers as ECMAScript writes them (§3.2.2.3). */
char     *mw_json_to_canonical   (JsonNode    *node);
JsonNode *mw_json_deep_copy      (JsonNode    *node);
char     *mw_json_to_pretty      (JsonNode    *node);

/* Walks a dotted path ("timeline.started_at") through objects; NULL when absent. */
JsonNode *mw_json_lookup         (JsonNode    *root,
                                  const char  *path);
const char *mw_json_get_string   (JsonObject  *object,
                                  const char  *member);
/* What a node holds, for a message ("must be text, not a number"). */
const char *mw_json_describe_type (JsonNode  *node);

G_END_DECLS
