/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-help"

#include <adwaita.h>

#include "mw-application.h"
#include "mw-assessment-page.h"
#include "mw-delivery-page.h"
#include "mw-early-warning-page.h"
#include "mw-key-page.h"
#include "mw-mode-page.h"
#include "mw-nature-page.h"
#include "mw-profile-page.h"
#include "mw-recovery-page.h"
#include "mw-review-page.h"
#include "mw-service-page.h"
#include "mw-when-page.h"

/* F1 on every wizard step opens a help page that exists, about that step. */
static void
test_help_page_per_step (void)
{
  struct { GType (*get_type) (void); const char *expected; } steps[] = {
    { mw_profile_page_get_type, "first-run" },
    { mw_key_page_get_type, "first-run" },
    { mw_mode_page_get_type, "training" },
    { mw_early_warning_page_get_type, "filing" },
    { mw_when_page_get_type, "filing-when" },
    { mw_nature_page_get_type, "filing-what" },
    { mw_service_page_get_type, "filing-service" },
    { mw_recovery_page_get_type, "filing-recovery" },
    { mw_assessment_page_get_type, "verdict" },
    { mw_review_page_get_type, "filing-submit" },
    { mw_delivery_page_get_type, "delivery" },
  };

  g_assert_cmpstr (mw_application_help_page_for (NULL), ==, "index");

  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      GtkWidget *page = g_object_ref_sink (g_object_new (steps[i].get_type (), NULL));
      const char *id = mw_application_help_page_for (page);
      g_autofree char *name = g_strconcat (id, ".page", NULL);
      g_autofree char *en = g_test_build_filename (G_TEST_DIST, "..", "help", "C", name, NULL);

      g_test_message ("%s → %s", G_OBJECT_TYPE_NAME (page), id);
      g_assert_cmpstr (id, ==, steps[i].expected);
      g_assert_true (g_file_test (en, G_FILE_TEST_IS_REGULAR));
      g_object_unref (page);
    }
}

/* The About window cites the law from the regime files, each with an https link. */
static void
test_legal_sources (void)
{
  g_autoptr(GPtrArray) sources = mw_application_dup_legal_sources ();
  gboolean cbw = FALSE, nis_ir = FALSE;

  g_assert_cmpuint (sources->len, >=, 4);
  for (guint i = 0; i < sources->len; i++)
    {
      char **pair = g_ptr_array_index (sources, i);

      g_assert_true (g_str_has_prefix (pair[1], "https://"));
      g_assert_cmpstr (pair[0], !=, "");
      cbw |= strstr (pair[0], "36 764") != NULL || strstr (pair[0], "Cyberbeveiligingswet") != NULL;
      nis_ir |= strstr (pair[0], "2024/2690") != NULL;
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (((char **) g_ptr_array_index (sources, j))[1], !=, pair[1]);
    }
  g_assert_true (cbw);
  g_assert_true (nis_ir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/help/page-per-step", test_help_page_per_step);
  g_test_add_func ("/app/help/legal-sources", test_legal_sources);

  return g_test_run ();
}
