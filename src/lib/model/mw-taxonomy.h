/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The ENISA reference incident classification taxonomy (as MISP's "rsit"). */
typedef struct {
  const char *id;          /* "availability/ddos" */
  const char *class_id;    /* "availability" */
  const char *type_id;     /* "ddos" */
  const char *class_name;  /* "Availability" */
  const char *type_name;   /* "Denial of service" */
  const char *description;
  const char *class_name_nl;  /* Dutch, from rsit-nl.json, or NULL */
  const char *type_name_nl;
} MwTaxonomyEntry;

/* The names in the user's language (mw_language()): Dutch where rsit-nl.json has them. */
const char *mw_taxonomy_entry_get_class_label (const MwTaxonomyEntry *entry);
const char *mw_taxonomy_entry_get_type_label  (const MwTaxonomyEntry *entry);

/* Every class/type, in the taxonomy's order; borrowed, valid for the process lifetime. */
GPtrArray  *mw_taxonomy_get_entries  (void);
gboolean    mw_taxonomy_is_valid     (const char *id);
const MwTaxonomyEntry *mw_taxonomy_lookup (const char *id);

G_END_DECLS
