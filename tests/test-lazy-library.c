/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-lazy-library"

#include "config.h"

#include <libsoup/soup.h>

#include "mw-error.h"
#include "mw-lazy-library.h"

/* A library opened when first needed fills its table once; a library or a function that is
 * not there is an error that names it, and then no function of the table is used. */
static void
test_open (void)
{
  static struct
  {
    __typeof__ (soup_status_get_phrase) *soup_status_get_phrase;
    __typeof__ (soup_message_new) *soup_message_new;
  } soup;
  static const char * const soup_names[] = { "soup_status_get_phrase", "soup_message_new", NULL };
  static MwLazyLibrary library = MW_LAZY_LIBRARY_INIT ("libsoup-3.0.so.0", soup_names, &soup);
  g_autoptr(GError) error = NULL;

  g_assert_null (soup.soup_status_get_phrase);
  g_assert_true (mw_lazy_library_open (&library, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (soup.soup_status_get_phrase (404), ==, "Not Found");
  g_assert_nonnull (soup.soup_message_new);
  /* Once. */
  g_assert_true (mw_lazy_library_open (&library, NULL));
}

static void
test_missing (void)
{
  static struct { void (*nothing) (void); } none;
  static const char * const none_names[] = { "nothing", NULL };
  static MwLazyLibrary absent = MW_LAZY_LIBRARY_INIT ("libmeldwijzer-absent.so.0", none_names, &none);
  static struct
  {
    __typeof__ (soup_status_get_phrase) *soup_status_get_phrase;
    void (*soup_horoscope) (void);
  } soup;
  static const char * const soup_names[] = { "soup_status_get_phrase", "soup_horoscope", NULL };
  static MwLazyLibrary wrong = MW_LAZY_LIBRARY_INIT ("libsoup-3.0.so.0", soup_names, &soup);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_assert_false (mw_lazy_library_open (&absent, &error));
      g_assert_error (error, MW_ERROR, MW_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "libmeldwijzer-absent.so.0"));
      g_clear_error (&error);
    }
  g_assert_null (none.nothing);

  g_assert_false (mw_lazy_library_open (&wrong, &error));
  g_assert_nonnull (strstr (error->message, "soup_horoscope"));
  g_assert_null (soup.soup_status_get_phrase);
  g_assert_null (soup.soup_horoscope);
}

int
main (int    argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lazy-library/open", test_open);
  g_test_add_func ("/lazy-library/missing", test_missing);
  return g_test_run ();
}
