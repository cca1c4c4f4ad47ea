/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-vocabulary"

#include "mw-vocabulary.h"

/* The contract strings of DESIGN.md's report, in the order the enums declare them. */
static const struct {
  const char *name;
  GType     (*get_type) (void);
  const char *nicks[8];
} vocabularies[] = {
  { "kind", mw_report_kind_get_type, { "incident", "near-miss", "threat", NULL } },
  { "cause", mw_cause_get_type,
    { "unknown", "malicious", "human-error", "system-failure", "third-party", "natural", NULL } },
  { "status", mw_recovery_status_get_type, { "investigating", "containing", "mitigating", "resolved", NULL } },
  { "stage", mw_report_stage_get_type,
    { "early-warning", "notification", "intermediate", "final", "progress", "single", NULL } },
};

static void
test_contract_nicks (void)
{
  for (gsize v = 0; v < G_N_ELEMENTS (vocabularies); v++)
    {
      GType type = vocabularies[v].get_type ();
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      guint n = 0;

      g_test_message ("vocabulary %s", vocabularies[v].name);
      for (; vocabularies[v].nicks[n] != NULL; n++)
        {
          const char *nick = vocabularies[v].nicks[n];
          int value = -1;

          g_assert_true (mw_enum_from_nick (type, nick, &value));
          g_assert_cmpstr (mw_enum_to_nick (type, value), ==, nick);
          g_assert_nonnull (mw_enum_get_display_name (type, value));
          g_assert_cmpstr (mw_enum_get_display_name (type, value), !=, "");
        }
      /* No value beyond the contract. */
      g_assert_cmpuint (klass->n_values, ==, n);
    }
}

static void
test_unknown_nick_refused (void)
{
  static const char * const hostile[] = { "", "Incident", "near_miss", "near-miss ", "NEAR-MISS",
                                          "human error", "early warning", "panicking", "0" };

  for (gsize v = 0; v < G_N_ELEMENTS (vocabularies); v++)
    {
      GType type = vocabularies[v].get_type ();
      int value = 42;

      for (gsize i = 0; i < G_N_ELEMENTS (hostile); i++)
        {
          g_assert_false (mw_enum_from_nick (type, hostile[i], &value));
          g_assert_cmpint (value, ==, 42);  /* untouched */
        }
      g_assert_false (mw_enum_from_nick (type, NULL, &value));
      g_assert_null (mw_enum_to_nick (type, -1));
      g_assert_null (mw_enum_to_nick (type, 99));
      g_assert_null (mw_enum_get_display_name (type, -1));
      g_assert_null (mw_enum_get_display_name (type, 99));
    }
  /* One vocabulary's nick is not another's. */
  g_assert_false (mw_enum_from_nick (MW_TYPE_REPORT_KIND, "malicious", NULL));
  g_assert_false (mw_enum_from_nick (MW_TYPE_CAUSE, "incident", NULL));
}

static void
test_nick_list (void)
{
  g_autofree char *stages = mw_enum_dup_nicks (MW_TYPE_REPORT_STAGE, ", ");
  g_autofree char *kinds = mw_enum_dup_nicks (MW_TYPE_REPORT_KIND, "|");

  g_assert_cmpstr (stages, ==, "early-warning, notification, intermediate, final, progress, single");
  g_assert_cmpstr (kinds, ==, "incident|near-miss|threat");
}

static void
test_display_names (void)
{
  /* Untranslated here (no locale set up): the English names of the one table. */
  g_assert_cmpstr (mw_enum_get_display_name (MW_TYPE_REPORT_KIND, MW_REPORT_KIND_NEAR_MISS), ==, "Near miss");
  g_assert_cmpstr (mw_enum_get_display_name (MW_TYPE_CAUSE, MW_CAUSE_HUMAN_ERROR), ==, "Human error");
  g_assert_cmpstr (mw_enum_get_display_name (MW_TYPE_RECOVERY_STATUS, MW_RECOVERY_STATUS_RESOLVED), ==, "Resolved");
  g_assert_cmpstr (mw_enum_get_display_name (MW_TYPE_REPORT_STAGE, MW_REPORT_STAGE_EARLY_WARNING), ==, "Early warning");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vocabulary/contract-nicks", test_contract_nicks);
  g_test_add_func ("/vocabulary/unknown-nick-refused", test_unknown_nick_refused);
  g_test_add_func ("/vocabulary/nick-list", test_nick_list);
  g_test_add_func ("/vocabulary/display-names", test_display_names);

  return g_test_run ();
}
