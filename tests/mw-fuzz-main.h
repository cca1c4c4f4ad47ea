/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The standalone driver of a fuzz target, for the test suite: runs every seed file given on
 * the command line, then a fixed number (--iterations=N) of deterministic mutations of them,
 * so that a crash is reproducible from the seed of the generator. Built with -DMW_LIBFUZZER
 * the target is a libFuzzer target instead and this file adds nothing (see tests/meson.build
 * for the longer run).
 *
 * Before including it, a target defines LLVMFuzzerTestOneInput(), fuzz_tokens[] (the pieces of
 * its format that mutations insert) and fuzz_finish() (frees what the target keeps).
 */

#ifndef MW_LIBFUZZER

#include <glib.h>
#include <string.h>

/* One of a few structure-aware or byte-level changes, chosen by a seeded generator. */
static GByteArray *
mw_fuzz_mutate (GRand            *rand,
                const GByteArray *seed)
{
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
        case 2:  /* insert a token of the format */
          {
            const char *token = fuzz_tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (fuzz_tokens))];
            g_autoptr(GByteArray) tail = g_byte_array_new ();

            g_byte_array_append (tail, out->data + at, out->len - at);
            g_byte_array_set_size (out, at);
            g_byte_array_append (out, (const guint8 *) token, strlen (token));
            g_byte_array_append (out, tail->data, tail->len);
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
  g_autofree char *name = g_path_get_basename (argv[0]);
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
          g_printerr ("%s: cannot read seed %s\n", name, argv[i]);
          return 2;
        }
      g_ptr_array_add (seeds, g_byte_array_append (g_byte_array_new (), (guint8 *) contents, length));
    }

  if (seeds->len == 0)
    {
      g_printerr ("usage: %s [--iterations=N] SEED…\n", name);
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
      g_autoptr(GByteArray) input = mw_fuzz_mutate (rand, g_ptr_array_index (seeds, g_rand_int_range (rand, 0, seeds->len)));
      LLVMFuzzerTestOneInput (input->data, input->len);
    }

  g_print ("ok 1 - %u inputs (%u seeds, %u mutations) without a crash\n", ran, seeds->len, iterations);
  fuzz_finish ();
  return 0;
}

#endif
