/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A shared library opened when it is first needed instead of when the program starts: its
 * functions are called through a table of pointers that mw_lazy_library_open() fills.
 *
 *   #define SOUP_FUNCTIONS(F) F (soup_message_new) F (soup_session_send_async)
 *   static struct { SOUP_FUNCTIONS (MW_LAZY_SLOT) } soup;
 *   static const char * const soup_names[] = { SOUP_FUNCTIONS (MW_LAZY_NAME) NULL };
 *   static MwLazyLibrary soup_library = MW_LAZY_LIBRARY_INIT ("libsoup-3.0.so.0", soup_names, &soup);
 *   ...
 *   if (!mw_lazy_library_open (&soup_library, error)) return FALSE;
 *   message = soup.soup_message_new ("GET", url);
 *
 * Every function of the table must exist in the library, or none is used. */

/* A slot of the table with the prototype of the function in the library's header, and its
 * name for the list of names. */
#define MW_LAZY_SLOT(name) __typeof__ (name) *name;
#define MW_LAZY_NAME(name) #name,
typedef struct
{
  const char         *soname;
  const char * const *names;  /* NULL-terminated, in the order of the table */
  gpointer            table;  /* a struct of as many function pointers */

  /*< private >*/
  gsize               opened;
  GError             *error;
} MwLazyLibrary;

#define MW_LAZY_LIBRARY_INIT(soname, names, table) { (soname), (names), (table), 0, NULL }

/* Opens the library and fills its table once (thread-safe); later calls give the same
 * answer. On failure @error names the library and what is missing. */
gboolean mw_lazy_library_open (MwLazyLibrary  *library,
                               GError        **error);

G_END_DECLS
