/* bench-metrics.c: the metrics of one day of 1,000,000 contacts and 500 agents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds a database file with one day of a 500-agent team (shifts and states
 * from the demo generator) and 1,000,000 contact records spread over the
 * day, then times sm_metrics_compute for the whole day: as one interval, in
 * 30-minute intervals, and for one agent. Goal: < 1 s for the day.
 *
 *   bench-metrics [N_CONTACTS] [N_AGENTS]
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>
#include <json-glib/json-glib.h>

#include "sm-demo-generator.h"
#include "sm-metrics.h"
#include "sm-records.h"

typedef struct
{
  SmStore         *store;
  JsonParser      *parser;
  SmRecordsImport  import;
} Loader;

/* Keeps the team's shifts and states; the contacts come from below */
static void
load_line (const char *line,
           gpointer    user_data)
{
  Loader *loader = user_data;
  g_autoptr(GError) error = NULL;

  if (strstr (line, "\"type\":\"contact\"") != NULL || strstr (line, "\"type\":\"work_order\"") != NULL)
    return;

  if (!json_parser_load_from_data (loader->parser, line, -1, &error) ||
      !sm_records_insert (loader->store, json_node_get_object (json_parser_get_root (loader->parser)),
                          &loader->import, &error))
    g_error ("%s", error->message);
}

static void
fill (SmStore *store,
      gint64   day,
      guint    n_contacts,
      guint    n_agents)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  static const char * const reasons[] = { "card_arrival", "change_pin", "request_refund",
                                          "exchange_rate", "lost_or_stolen_card", "compromised_card" };
  static const char * const queues[] = { "cards", "cards", "disputes", "platinum" };
  static const char * const dispositions[] = { "resolved", "resolved", "resolved", "callback", "escalated" };
  SmDemoGeneratorOptions options;
  Loader loader = { store, parser, { 0 } };

  g_assert (sm_store_begin (store, &error));

  sm_demo_generator_options_init (&options);
  options.n_agents = n_agents;
  options.day_start_ms = day;
  sm_demo_generator_run (&options, load_line, &loader, NULL);

  stmt = sm_store_prepare (store,
                           "INSERT INTO contacts (id, queue, agent, number, offered_ms, answered_ms, ended_ms,"
                           " acw_end_ms, hold_s, transferred, disposition, customer, reason, csat, nps)"
                           " VALUES (?1, ?2, ?3, '+12025550100', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                           &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_contacts; i++)
    {
      char id[32], agent[16], customer[32];
      gint64 offered = day + 7 * 3600000LL + g_rand_int_range (rand, 0, 14 * 3600) * 1000LL;
      gboolean abandoned = g_rand_int_range (rand, 0, 100) < 8;
      gint64 answered = offered + g_rand_int_range (rand, 0, 60000);
      gint64 ended = abandoned ? offered + g_rand_int_range (rand, 1000, 90000)
                               : answered + g_rand_int_range (rand, 30000, 900000);

      g_snprintf (id, sizeof id, "b%07u", i);
      g_snprintf (agent, sizeof agent, "g%03u", g_rand_int_range (rand, 1, n_agents + 1));
      g_snprintf (customer, sizeof customer, "cust-%u", g_rand_int_range (rand, 0, 400000));

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, queues[i % G_N_ELEMENTS (queues)], -1, SQLITE_STATIC);
      if (abandoned)
        sqlite3_bind_null (stmt, 3);
      else
        sqlite3_bind_text (stmt, 3, agent, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, offered);
      if (abandoned)
        {
          sqlite3_bind_null (stmt, 5);
          sqlite3_bind_int64 (stmt, 6, ended);
          sqlite3_bind_null (stmt, 7);
        }
      else
        {
          sqlite3_bind_int64 (stmt, 5, answered);
          sqlite3_bind_int64 (stmt, 6, ended);
          sqlite3_bind_int64 (stmt, 7, ended + g_rand_int_range (rand, 0, 120000));
        }
      sqlite3_bind_int (stmt, 8, g_rand_int_range (rand, 0, 4) == 0 ? g_rand_int_range (rand, 5, 120) : 0);
      sqlite3_bind_int (stmt, 9, g_rand_int_range (rand, 0, 20) == 0);
      sqlite3_bind_text (stmt, 10, abandoned ? NULL : dispositions[i % G_N_ELEMENTS (dispositions)], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 11, customer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 12, abandoned ? NULL : reasons[g_rand_int_range (rand, 0, G_N_ELEMENTS (reasons))], -1, SQLITE_STATIC);
      if (!abandoned && g_rand_int_range (rand, 0, 3) == 0)
        sqlite3_bind_int (stmt, 13, g_rand_int_range (rand, 1, 6));
      else
        sqlite3_bind_null (stmt, 13);
      if (!abandoned && g_rand_int_range (rand, 0, 4) == 0)
        sqlite3_bind_int (stmt, 14, g_rand_int_range (rand, 0, 11));
      else
        sqlite3_bind_null (stmt, 14);

      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("insert: %s", sqlite3_errmsg (sm_store_get_db (store)));
    }

  g_assert (sm_store_commit (store, &error));
  /* A day that has been recorded is in the database file, not in the WAL */
  g_assert (sm_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_print ("# loaded %u contacts, %u states, %u shifts for %u agents\n",
           n_contacts, loader.import.n_states, loader.import.n_shifts, n_agents);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void
run (SmStore    *store,
     const char *name,
     gint64      day,
     gint64      interval,
     const char *agent)
{
  double times[5], cpu[5];
  SmMetricsCounts total = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) result = NULL;
      SmMetricsQuery q;
      gint64 start;
      struct rusage r0, r1;

      sm_metrics_query_init (&q);
      q.from_ms = day;
      q.to_ms = day + 24 * 3600000LL;
      q.interval_ms = interval;
      q.agent = agent;
      q.now_ms = q.to_ms;

      getrusage (RUSAGE_SELF, &r0);
      start = g_get_monotonic_time ();
      result = sm_metrics_compute (store, &q, &error);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      getrusage (RUSAGE_SELF, &r1);
      cpu[i] = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) * 1000.0 +
               (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1000.0;
      g_assert_no_error (error);

      if (i == 0)
        for (guint k = 0; k < result->len; k++)
          sm_metrics_counts_add (&total, &g_array_index (result, SmMetricsCounts, k));
    }

  qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_double);
  qsort (cpu, G_N_ELEMENTS (cpu), sizeof (double), compare_double);
  g_print ("%-26s offered %7" G_GINT64_FORMAT "  wall ms: min %6.1f median %6.1f max %6.1f"
           "  cpu ms: min %6.1f median %6.1f\n",
           name, total.offered, times[0], times[2], times[4], cpu[0], cpu[2]);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-metrics-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  guint n_contacts = argc > 1 ? atoi (argv[1]) : 1000000;
  guint n_agents = argc > 2 ? atoi (argv[2]) : 500;
  gint64 day = 1767571200000LL; /* 2026-01-05T00:00:00Z */
  gint64 start;

  g_assert_no_error (error);
  store = sm_store_open (path, &error);
  g_assert_no_error (error);

  if (g_getenv ("BENCH_DB") != NULL)
    {
      /* Measure again on a database kept by BENCH_KEEP */
      g_clear_object (&store);
      store = sm_store_open (g_getenv ("BENCH_DB"), &error);
      g_assert_no_error (error);
      run (store, "day, one interval", day, 0, NULL);
      run (store, "day, 30-minute intervals", day, 30 * 60000, NULL);
      run (store, "day, one agent", day, 0, "g042");
      return 0;
    }

  start = g_get_monotonic_time ();
  fill (store, day, n_contacts, n_agents);
  g_print ("# fill took %.1f s\n", (g_get_monotonic_time () - start) / 1e6);

  run (store, "day, one interval", day, 0, NULL);
  run (store, "day, 30-minute intervals", day, 30 * 60000, NULL);
  run (store, "day, one agent", day, 0, "g042");

  g_clear_object (&store);
  if (g_getenv ("BENCH_KEEP") != NULL)
    {
      g_print ("# kept %s\n", path);
      return 0;
    }
  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *f = g_strconcat (path, suffixes[i], NULL);
        g_unlink (f);
      }
    g_rmdir (dir);
  }

  return 0;
}
