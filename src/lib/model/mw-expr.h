/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  MW_STATUS_NOT_MET,
  MW_STATUS_MET,
  MW_STATUS_UNKNOWN,
  MW_STATUS_EXCLUDED,   /* a result only: a criterion an applying exclusion lifts */
} MwStatus;

const char *mw_status_to_string (MwStatus status);

typedef struct _MwExpr MwExpr;

/* A fact's value as the evaluator sees it: an interval for numbers, so that unknown facts
 * still decide what they cannot change. */
typedef struct {
  gboolean is_bool;
  gboolean known;
  gboolean b;
  double lo;
  double hi;
} MwValue;

/* Looks up a fact by name; returns FALSE when the name is not a fact at all. */
typedef gboolean (*MwFactLookup) (const char *name,
                                  MwValue    *value,
                                  GPtrArray  *missing,
                                  gpointer    user_data);

/* Checks that a name is a declared fact; returns its type ("int", "number", "bool",
 * "derived") or NULL. */
typedef const char *(*MwFactType) (const char *name,
                                   gpointer    user_data);

MwExpr   *mw_expr_parse    (JsonNode     *node,
                            const char   *path,
                            MwFactType    fact_type,
                            gpointer      user_data,
                            GError      **error);
void      mw_expr_free     (MwExpr       *expr);
MwStatus  mw_expr_eval     (MwExpr       *expr,
                            MwFactLookup  lookup,
                            gpointer      user_data,
                            GPtrArray    *missing);
gboolean  mw_expr_eval_value (MwExpr     *expr,
                              MwFactLookup lookup,
                              gpointer    user_data,
                              GPtrArray  *missing,
                              MwValue    *value);
gboolean  mw_expr_is_numeric (MwExpr     *expr);
/* The facts an expression reads, without duplicates, into names. */
void      mw_expr_collect_facts (MwExpr  *expr,
                                 GPtrArray *names);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwExpr, mw_expr_free)

G_END_DECLS
