/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-parse"

/*
 * A fuzz target for what Meldwijzer reads from outside: reports and regime files.
 *
 * With libFuzzer:  clang -g -fsanitize=fuzzer,address -DMW_LIBFUZZER tests/fuzz-parse.c … libmeldwijzer.a
 * Standalone (registered as a test): runs every seed file given on the command line, then
 * a fixed number of deterministic mutations of them, so that a crash is reproducible.
 */

#include <glib/gstdio.h>

#include "mw-assessor.h"
#include "mw-error.h"
#include "mw-regime.h"
#include "mw-report.h"

static MwRegime *cbw;

static void
exercise_report (const guint8 *data,
                 gsize         size)
{
  g_autoptr(MwReport) report = mw_report_new_from_data ((const char *) data, size, "fuzz", NULL);
  g_autoptr(GPtrArray) draft = NULL;
  g_autoptr(GPtrArray) complete = NULL;
  g_autoptr(GPtrArray) sensitive = NULL;
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;
  g_autofree char *json = NULL;

  if (report == NULL)
    return;

  draft = mw_report_validate (report, MW_VALIDATE_DRAFT);
  complete = mw_report_validate (report, MW_VALIDATE_COMPLETE);
  sensitive = mw_report_find_sensitive_text (report);
  json = mw_report_to_canonical_json (report);

  assessor = mw_assessor_new (cbw);
  mw_report_set_string (report, "regime", "nl-cbw");
  assessment = mw_assessor_assess (assessor, report, NULL);
  if (assessment != NULL)
    {
      g_autofree char *text = mw_assessment_explain (assessment);
      g_autoptr(JsonNode) node = mw_assessment_to_json (assessment);
    }
}

static void
exercise_regime (const guint8 *data,
                 gsize         size)
{
  g_autoptr(MwRegime) regime = mw_regime_new_from_data ((const char *) data, size, "fuzz.json", NULL);
  GPtrArray *types;

  if (regime == NULL)
    return;

  types = mw_regime_get_entity_types (regime);
  for (guint i = 0; i < types->len; i++)
    {
      MwEntityType *type = g_ptr_array_index (types, i);
      g_autoptr(MwReport) report = mw_report_new ();
      g_autoptr(MwAssessor) assessor = mw_assessor_new (regime);
      g_autoptr(MwAssessment) assessment = NULL;

      mw_report_set_string (report, "regime", mw_regime_get_id (regime));
      mw_report_set_string (report, "provider.entity_type", type->id);
      mw_report_set_int (report, "facts.users_affected", 1000);
      mw_report_set_string (report, "timeline.aware_at", "2026-11-22T03:10:00+01:00");
      assessment = mw_assessor_assess (assessor, report, NULL);
      if (assessment != NULL)
        {
          g_autofree char *text = mw_assessment_explain (assessment);
        }
    }
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  if (cbw == NULL)
    cbw = mw_regime_load ("nl-cbw", NULL);
  g_assert (cbw != NULL);

  /* Whatever looks like a regime is tried as one; everything is tried as a report. */
  if (size > 0 && g_strstr_len ((const char *) data, MIN (size, 200), "meldwijzer.regime") != NULL)
    exercise_regime (data, size);
  exercise_report (data, size);
  return 0;
}

#ifndef MW_LIBFUZZER

/* One of a few structure-aware or byte-level changes, chosen by a seeded generator. */
static GByteArray *
mutate (GRand       *rand,
        const GByteArray *seed)
{
  static const char * const tokens[] = {
    "{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "-1", "1e308", "99999999999999999999",
    "0.5", "\"\\u0000\"", "{\"gt\": [", "\"facts\"", "\"unavailable_minutes\"", "{\"min\": [",
    "\"2026-11-22T03:10:00+01:00\"", "\"stage:final\"", "[[[[[[[[", "\"\\ud800\"",
  };
  GByteArray *out = g_byte_array_new ();
  guint n_changes = g_rand_int_range (rand, 1, 8);

  g_byte_array_append (out, seed->data, seed->len);
  for (guint c = 0; c < n_changes && out->len > 0; c++)
    {
      guint at = g_rand_int_range (rand, 0, out->len);

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:  /* flip a byte */
          out->data[at] ^= (guint8) g_rand_int_range (rand, 1, 256);
          break;
        case 1:  /* delete a run */
          {
            guint length = (guint) g_rand_int_range (rand, 1, 32);
            g_byte_array_remove_range (out, at, MIN (length, out->len - at));
          }
          break;
        case 2:  /* insert a JSON token */
          {
            const char *token = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];
            {
              g_autoptr(GByteArray) tail = g_byte_array_new ();
              g_byte_array_append (tail, out->data + at, out->len - at);
              g_byte_array_set_size (out, at);
              g_byte_array_append (out, (const guint8 *) token, strlen (token));
              g_byte_array_append (out, tail->data, tail->len);
            }
          }
          break;
        case 3:  /* truncate */
          g_byte_array_set_size (out, at);
          break;
        default: /* duplicate a run */
          {
            guint length = (guint) g_rand_int_range (rand, 1, 64);
            g_autoptr(GByteArray) run = g_byte_array_new ();

            length = MIN (length, out->len - at);
            g_byte_array_append (run, out->data + at, length);
            g_byte_array_append (out, run->data, run->len);
          }
        }
    }

  return out;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  guint iterations = 2000;
  guint ran = 0;

  /* Invalid input is expected here; a message must not abort the run. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);

  for (int i = 1; i < argc; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (g_str_has_prefix (argv[i], "--iterations="))
        {
          iterations = (guint) g_ascii_strtoull (argv[i] + strlen ("--iterations="), NULL, 10);
          continue;
        }
      if (!g_file_get_contents (argv[i], &contents, &length, NULL))
        {
          g_printerr ("fuzz-parse: cannot read seed %s\n", argv[i]);
          return 2;
        }
      g_ptr_array_add (seeds, g_byte_array_append (g_byte_array_new (), (guint8 *) contents, length));
    }

  if (seeds->len == 0)
    {
      g_printerr ("usage: fuzz-parse [--iterations=N] SEED…\n");
      return 2;
    }

  g_print ("1..1\n");
  for (guint i = 0; i < seeds->len; i++, ran++)
    {
      GByteArray *seed = g_ptr_array_index (seeds, i);
      LLVMFuzzerTestOneInput (seed->data, seed->len);
    }

  for (guint i = 0; i < iterations; i++, ran++)
    {
      g_autoptr(GByteArray) input = mutate (rand, g_ptr_array_index (seeds, g_rand_int_range (rand, 0, seeds->len)));
      LLVMFuzzerTestOneInput (input->data, input->len);
    }

  g_print ("ok 1 - %u inputs (%u seeds, %u mutations) without a crash\n", ran, seeds->len, iterations);
  g_clear_object (&cbw);
  return 0;
}

#endif
