/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Bounds for every JSON document that comes from outside. */
#define MW_JSON_MAX_BYTES (1024 * 1024)
#define MW_JSON_MAX_DEPTH 64

JsonNode *mw_json_parse          (const char  *data,
                                  gssize       length,
                                  const char  *source_name,
                                  GError     **error);
JsonNode *mw_json_load_file      (const char  *path,
                                  GError     **error);
/* Reads at most max_bytes of a file, NUL-terminated; a larger file is MW_ERROR_TOO_LARGE,
 * a missing one MW_ERROR_NOT_FOUND. Every message names the file. */
char     *mw_file_read_bounded   (const char  *path,
                                  gsize        max_bytes,
                                  gsize       *length,
                                  GError     **error);
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
