/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-desk-form"

/* The answers of a report as a desk's form asks them, and the time an officer types when
 * recording a filing (mw-desk-form). */

#include <glib.h>
#include <string.h>

#include "mw-desk-form.h"
#include "mw-report.h"

static MwReport *
example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reports", "cbw-dns-outage.json", NULL);
  g_autoptr(GError) error = NULL;
  MwReport *report = mw_report_new_from_file (path, &error);

  g_assert_no_error (error);
  return report;
}

static const char *
answer (GPtrArray  *answers,
        const char *label)
{
  for (guint i = 0; i < answers->len; i++)
    if (g_str_equal (((MwDeskAnswer *) g_ptr_array_index (answers, i))->label, label))
      return ((MwDeskAnswer *) g_ptr_array_index (answers, i))->value;
  return NULL;
}

static void
test_answers_in_form_order (void)
{
  g_autoptr(MwReport) report = example ();
  const char *order[] = { "times", "organisation", "horoscope", "indicators", NULL };
  g_autoptr(GPtrArray) answers = mw_desk_form_answers (report, order);
  g_autoptr(GPtrArray) all = mw_desk_form_answers (report, NULL);
  g_autofree char *text = NULL;
  const char *last = "times";

  /* Only the sections asked for, in that order; an unknown one is skipped. */
  g_assert_cmpstr (((MwDeskAnswer *) g_ptr_array_index (answers, 0))->section, ==, "times");
  for (guint i = 0; i < answers->len; i++)
    {
      const char *section = ((MwDeskAnswer *) g_ptr_array_index (answers, i))->section;

      g_assert_true (g_str_equal (section, last) ||
                     (g_str_equal (last, "times") && g_str_equal (section, "organisation")) ||
                     (g_str_equal (last, "organisation") && g_str_equal (section, "indicators")));
      last = section;
    }
  g_assert_cmpstr (last, ==, "indicators");

  /* Values as a person pastes them: times in Dutch time, indicators one a line. */
  g_assert_cmpstr (answer (answers, "Company name"), ==, "Voorbeeld DNS B.V.");
  g_assert_cmpstr (answer (answers, "Chamber of Commerce number"), ==, "KvK 12345678");
  g_assert_cmpstr (answer (answers, "Started at"), ==, "2026-11-21 02:58 +01:00");
  g_assert_cmpstr (answer (answers, "Indicators of compromise"), ==, "ipv4-addr: 203.0.113.45\nipv4-addr: 203.0.113.77");
  g_assert_null (answer (answers, "Summary"));

  /* Every section, and unknown answers left out rather than shown empty. */
  g_assert_cmpstr (answer (all, "Possible cross-border effects"), ==, "yes");
  g_assert_cmpstr (answer (all, "Suspected unlawful or malicious"), ==, "yes");
  g_assert_nonnull (strstr (answer (all, "Facts"), "Minutes completely unavailable: 47"));
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpstr (((MwDeskAnswer *) g_ptr_array_index (all, i))->value, !=, "");

  text = mw_desk_form_to_text (answers);
  g_assert_true (g_str_has_prefix (text, "Times\nStarted at: 2026-11-21 02:58 +01:00\n"));
}

static void
test_parse_time (void)
{
  static const struct {
    const char *text;
    const char *utc;  /* NULL: not a time */
  } cases[] = {
    { "2026-12-06T03:10", "2026-12-06T02:10:00Z" },          /* winter: +01:00 */
    { "2026-07-06 03:10", "2026-07-06T01:10:00Z" },          /* summer: +02:00 */
    { " 2026-12-06 03:10:30 ", "2026-12-06T02:10:30Z" },
    { "2026-12-06T03:10:00+01:00", "2026-12-06T02:10:00Z" },
    { "2026-12-06T03:10:00Z", "2026-12-06T03:10:00Z" },
    { "2026-02-30T10:00", NULL },
    { "2026-12-06T25:00", NULL },
    { "6 dec 03:10", NULL },
    { "2026-12-06", NULL },
    { "", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) time = NULL;
      gboolean ok = mw_desk_form_parse_time (cases[i].text, &time);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].utc != NULL);
      if (ok)
        {
          g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
          g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

          g_assert_cmpstr (text, ==, cases[i].utc);
        }
    }
  g_assert_false (mw_desk_form_parse_time (NULL, NULL));
}


/* What is pasted into a form is words, never an identifier of the report format: the
 * regime's entity type, stage and fact names, the kind and the category in words. */
static void
test_answers_in_words (void)
{
  g_autoptr(MwReport) report = example ();
  g_autoptr(GPtrArray) answers = mw_desk_form_answers (report, NULL);
  const char *facts = answer (answers, "Facts");

  g_assert_cmpstr (answer (answers, "Kind of entity"), ==, "DNS service provider");
  g_assert_cmpstr (answer (answers, "Sector"), ==, "Digital infrastructure");
  g_assert_cmpstr (answer (answers, "Stage"), ==, "Incident notification (art. 27 Cbw)");
  g_assert_cmpstr (answer (answers, "Kind of report"), !=, "incident");
  g_assert_nonnull (answer (answers, "Kind of report"));
  g_assert_cmpstr (answer (answers, "Category"), !=, "availability/ddos");
  g_assert_nonnull (facts);
  g_assert_null (strstr (facts, "unavailable_minutes"));
  g_assert_nonnull (strstr (facts, "Minutes completely unavailable: 47"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/desk-form/answers-in-form-order", test_answers_in_form_order);
  g_test_add_func ("/desk-form/parse-time", test_parse_time);
  g_test_add_func ("/desk-form/answers-in-words", test_answers_in_words);
  return g_test_run ();
}
