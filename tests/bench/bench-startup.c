/* bench-startup.c: cold start to the desk's first frame, and resident memory
 *
 * Starts `seatmate --demo` ten times on one demo database (seeded by a first,
 * unmeasured run) and prints the median and spread of the time from spawn to
 * the first painted frame, and the resident memory a second after it.
 * Needs a display: xvfb-run -a build/tests/bench/bench-startup build/app/seatmate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

#define RUNS 10

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static gboolean
run_once (const char *seatmate,
          const char *home,
          double     *first_frame_ms,
          gint64     *rss_kb)
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
  *rss_kb = -1;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, NULL)) != NULL)
    {
      if (g_str_equal (line, "bench: first-frame"))
        *first_frame_ms = (g_get_monotonic_time () - start) / 1000.0;
      else if (g_str_has_prefix (line, "bench: rss-kb "))
        *rss_kb = g_ascii_strtoll (line + strlen ("bench: rss-kb "), NULL, 10);
      g_free (line);
    }

  g_subprocess_wait (proc, NULL, NULL);
  return *first_frame_ms >= 0 && *rss_kb >= 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("seatmate-bench-XXXXXX", NULL);
  double times[RUNS];
  gint64 rss[RUNS];
  double warm;
  gint64 warm_rss;

  if (argc != 2)
    {
      g_printerr ("Usage: bench-startup SEATMATE\n");
      return 2;
    }

  /* The first run creates and seeds the demo database: not measured */
  if (!run_once (argv[1], home, &warm, &warm_rss))
    return 1;
  printf ("first run (creates and seeds the demo database): %.0f ms\n", warm);

  for (int i = 0; i < RUNS; i++)
    {
      if (!run_once (argv[1], home, &times[i], &rss[i]))
        return 1;
      printf ("run %2d: first frame %.0f ms, rss %.1f MB\n", i + 1, times[i], rss[i] / 1024.0);
    }

  qsort (times, RUNS, sizeof times[0], compare_double);
  printf ("{\"runs\":%d,\"first_frame_median_ms\":%.0f,\"first_frame_min_ms\":%.0f,"
          "\"first_frame_max_ms\":%.0f,\"rss_mb\":%.1f}\n",
          RUNS, (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2, times[0], times[RUNS - 1],
          rss[RUNS - 1] / 1024.0);

  return 0;
}
