/* bench-startup.c: cold start to the desk's first frame, and resident memory
 *
 * Starts `seatmate --demo` ten times on one demo database (seeded by a first,
 * unmeasured run) and prints the median and spread of the time from spawn to
 * the first painted frame, and the median memory a second after it: the
 * resident set, its anonymous part (the heap, stacks, the GL renderer's
 * buffers: memory of the process's own) and its file-backed part (mostly
 * shared library pages, which a GL driver such as llvmpipe makes large), and
 * the proportional set size (shared pages divided among the processes that
 * map them).
 * Needs a display: xvfb-run -a build/tests/bench/bench-startup build/app/seatmate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

#define RUNS 10

/* The memory figures the desk prints as "bench: NAME-kb N" */
typedef enum
{
  MEM_RSS,
  MEM_RSS_ANON,
  MEM_RSS_FILE,
  MEM_PSS,
  N_MEM
} Mem;

static const struct { const char *line; const char *json; } mem_names[N_MEM] = {
  [MEM_RSS] = { "rss", "rss_mb" },
  [MEM_RSS_ANON] = { "rss-anon", "rss_anon_mb" },
  [MEM_RSS_FILE] = { "rss-file", "rss_file_mb" },
  [MEM_PSS] = { "pss", "pss_mb" },
};

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double
median (double *values,
        int     n)
{
  qsort (values, n, sizeof values[0], compare_double);
  return (values[(n - 1) / 2] + values[n / 2]) / 2;
}

/* Reads a "bench: NAME-kb N" line into @kb */
static void
parse_memory_line (const char *line,
                   gint64      kb[N_MEM])
{
  for (int m = 0; m < N_MEM; m++)
    {
      g_autofree char *prefix = g_strdup_printf ("bench: %s-kb ", mem_names[m].line);

      if (g_str_has_prefix (line, prefix))
        kb[m] = g_ascii_strtoll (line + strlen (prefix), NULL, 10);
    }
}

static gboolean
run_once (const char *seatmate,
          const char *home,
          double     *first_frame_ms,
          gint64      kb[N_MEM])
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  gint64 start;
  char *line;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "SEATMATE_BENCH_STARTUP", "1", TRUE);

  start = g_get_monotonic_time ();
  proc = g_subprocess_launcher_spawn (launcher, &error, seatmate, "--demo", NULL);
  if (proc == NULL)
    {
      g_printerr ("bench-startup: %s\n", error->message);
      return FALSE;
    }

  *first_frame_ms = -1;
  for (int m = 0; m < N_MEM; m++)
    kb[m] = -1;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, NULL)) != NULL)
    {
      if (g_str_equal (line, "bench: first-frame"))
        *first_frame_ms = (g_get_monotonic_time () - start) / 1000.0;
      else
        parse_memory_line (line, kb);
      g_free (line);
    }

  g_subprocess_wait (proc, NULL, NULL);
  return *first_frame_ms >= 0 && kb[MEM_RSS] >= 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("seatmate-bench-XXXXXX", NULL);
  double times[RUNS];
  gint64 kb[RUNS][N_MEM];
  double warm;
  gint64 warm_kb[N_MEM];
  g_autoptr(GString) json = g_string_new (NULL);

  if (argc != 2)
    {
      g_printerr ("Usage: bench-startup SEATMATE\n");
      return 2;
    }

  /* The first run creates and seeds the demo database: not measured */
  if (!run_once (argv[1], home, &warm, warm_kb))
    return 1;
  printf ("first run (creates and seeds the demo database): %.0f ms\n", warm);

  for (int i = 0; i < RUNS; i++)
    {
      if (!run_once (argv[1], home, &times[i], kb[i]))
        return 1;
      printf ("run %2d: first frame %.0f ms, rss %.1f MB (anonymous %.1f MB, file %.1f MB), "
              "pss %.1f MB\n",
              i + 1, times[i], kb[i][MEM_RSS] / 1024.0, kb[i][MEM_RSS_ANON] / 1024.0,
              kb[i][MEM_RSS_FILE] / 1024.0, kb[i][MEM_PSS] / 1024.0);
    }

  g_string_append_printf (json, "{\"runs\":%d,\"first_frame_median_ms\":%.0f,", RUNS,
                          median (times, RUNS));
  g_string_append_printf (json, "\"first_frame_min_ms\":%.0f,\"first_frame_max_ms\":%.0f",
                          times[0], times[RUNS - 1]);
  for (int m = 0; m < N_MEM; m++)
    {
      double mb[RUNS];
      gboolean missing = FALSE;

      for (int i = 0; i < RUNS; i++)
        {
          mb[i] = kb[i][m] / 1024.0;
          missing |= kb[i][m] < 0;
        }
      if (missing)
        g_string_append_printf (json, ",\"%s\":null", mem_names[m].json);
      else
        g_string_append_printf (json, ",\"%s\":%.1f", mem_names[m].json, median (mb, RUNS));
    }
  printf ("%s}\n", json->str);

  return 0;
}
