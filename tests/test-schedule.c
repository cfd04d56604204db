/* test-schedule.c: schedules, their CSV import, adherence, and the demo day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "sm-demo-generator.h"
#include "sm-metrics.h"
#include "sm-records.h"
#include "sm-schedule.h"

/* 2026-01-05T09:00:00Z */
#define T0 1767603600000LL
#define MINUTES(x) ((gint64)(x) * 60000)

static SmStore *
new_store (void)
{
  g_autoptr(GError) error = NULL;
  SmStore *store = sm_store_open (":memory:", &error);

  g_assert_no_error (error);
  return store;
}

static void
test_schedule_activities (void)
{
  SmActivity a;

  g_assert_true (sm_activity_from_string ("lunch", &a));
  g_assert_cmpint (a, ==, SM_ACTIVITY_LUNCH);
  g_assert_cmpstr (sm_activity_to_string (SM_ACTIVITY_TRAINING), ==, "training");
  g_assert_false (sm_activity_from_string ("nap", &a));

  g_assert_true (sm_activity_matches_state (SM_ACTIVITY_WORK, SM_AGENT_STATE_AVAILABLE));
  g_assert_true (sm_activity_matches_state (SM_ACTIVITY_WORK, SM_AGENT_STATE_ON_CONTACT));
  g_assert_true (sm_activity_matches_state (SM_ACTIVITY_WORK, SM_AGENT_STATE_ACW));
  g_assert_false (sm_activity_matches_state (SM_ACTIVITY_WORK, SM_AGENT_STATE_BREAK));
  g_assert_false (sm_activity_matches_state (SM_ACTIVITY_WORK, SM_AGENT_STATE_OFFLINE));
  g_assert_true (sm_activity_matches_state (SM_ACTIVITY_BREAK, SM_AGENT_STATE_BREAK));
  g_assert_false (sm_activity_matches_state (SM_ACTIVITY_BREAK, SM_AGENT_STATE_LUNCH));
  g_assert_true (sm_activity_matches_state (SM_ACTIVITY_MEETING, SM_AGENT_STATE_MEETING));
  g_assert_false (sm_activity_matches_state (SM_ACTIVITY_MEETING, SM_AGENT_STATE_AVAILABLE));
}

static void
sum_cb (gint64   start_ms,
        gint64   end_ms,
        gpointer user_data)
{
  *(gint64 *)user_data += end_ms - start_ms;
}

static void
test_schedule_sweep (void)
{
  SmShift shifts[] = {
    { NULL, SM_ACTIVITY_WORK, T0, T0 + MINUTES (60) },
    { NULL, SM_ACTIVITY_LUNCH, T0 + MINUTES (60), T0 + MINUTES (90) },
    { NULL, SM_ACTIVITY_WORK, T0 + MINUTES (120), T0 + MINUTES (180) },   /* gap before */
  };
  SmStateSpan states[] = {
    { SM_AGENT_STATE_ACW, T0 - MINUTES (10), T0 + MINUTES (10) },
    { SM_AGENT_STATE_OFFLINE, T0 + MINUTES (10), T0 + MINUTES (20) },
    { SM_AGENT_STATE_AVAILABLE, T0 + MINUTES (20), T0 + MINUTES (70) },
    { SM_AGENT_STATE_LUNCH, T0 + MINUTES (70), T0 + MINUTES (130) },
    { SM_AGENT_STATE_ON_CONTACT, T0 + MINUTES (130), T0 + MINUTES (200) },
  };
  gint64 adherent = 0;

  /* 10 (acw) + 40 (available) + 20 (lunch) + 50 (on contact) = 120 of 150 */
  sm_schedule_sweep_adherence (shifts, G_N_ELEMENTS (shifts), states, G_N_ELEMENTS (states),
                               sum_cb, &adherent);
  g_assert_cmpint (adherent, ==, MINUTES (120));

  adherent = 0;
  sm_schedule_sweep_adherence (shifts, G_N_ELEMENTS (shifts), states, 0, sum_cb, &adherent);
  g_assert_cmpint (adherent, ==, 0);
}

static void
test_schedule_import_csv (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  guint n = 0;
  const char *csv =
    "agent,activity,start,end\r\n"
    "a7,work,2026-01-05T09:00:00Z,2026-01-05T11:00:00Z\r\n"
    "\"a7\",break,2026-01-05T11:00:00Z,2026-01-05T11:15:00Z\r\n"
    "a7, work ,2026-01-05 11:15,2026-01-05 13:00\r\n"
    "\"b,2\",lunch,2026-01-05T12:00:00+08:00,2026-01-05T12:45:00+08:00\r\n";

  g_assert_true (sm_schedule_import_csv_data (store, csv, -1, "day.csv", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (sm_store_count (store, "shifts"), ==, 4);

  shifts = sm_schedule_load (store, "a7", T0, T0 + MINUTES (600), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, 3);
  g_assert_cmpint (((SmShift *)shifts->pdata[1])->activity, ==, SM_ACTIVITY_BREAK);
  /* A local time without a zone: TZ=UTC in the tests */
  g_assert_cmpint (((SmShift *)shifts->pdata[2])->start_ms, ==, T0 + MINUTES (135));
  g_clear_pointer (&shifts, g_ptr_array_unref);

  shifts = sm_schedule_load (store, "b,2", 0, G_MAXINT64 / 2, &error);
  g_assert_cmpuint (shifts->len, ==, 1);
  g_assert_cmpint (((SmShift *)shifts->pdata[0])->start_ms, ==, T0 - MINUTES (5 * 60));

  /* Importing the same day again replaces it */
  g_assert_true (sm_schedule_import_csv_data (store, csv, -1, "day.csv", &n, &error));
  g_assert_cmpint (sm_store_count (store, "shifts"), ==, 4);
}

static void
test_schedule_import_errors (void)
{
  g_autoptr(SmStore) store = new_store ();
  const struct { const char *csv; const char *where; } cases[] = {
    { "agent,activity,start,end\n"
      "a7,work,2026-01-05T09:00:00Z,2026-01-05T11:00:00Z\n"
      "a7,nap,2026-01-05T11:00:00Z,2026-01-05T11:15:00Z\n", "x.csv:3:" },
    { "a7,work,2026-01-05T09:00:00Z,2026-01-05T08:00:00Z\n", "x.csv:1:" },
    { "a7,work,2026-01-05T09:00:00Z\n", "x.csv:1:" },
    { "a7,work,tomorrow,2026-01-05T08:00:00Z\n", "x.csv:1:" },
    { ",work,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z\n", "x.csv:1:" },
    /* Two activities at once */
    { "a7,work,2026-01-05T09:00:00Z,2026-01-05T11:00:00Z\n"
      "b1,work,2026-01-05T09:00:00Z,2026-01-05T11:00:00Z\n"
      "a7,break,2026-01-05T10:30:00Z,2026-01-05T10:45:00Z\n", "x.csv:3:" },
    { "a7,work,\"2026-01-05T09:00:00Z\"x,2026-01-05T11:00:00Z\n", "x.csv:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint n = 99;

      g_assert_false (sm_schedule_import_csv_data (store, cases[i].csv, -1, "x.csv", &n, &error));
      g_assert_error (error, SM_SCHEDULE_ERROR, SM_SCHEDULE_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, cases[i].where))
        g_error ("case %u: “%s” does not start with %s", i, error->message, cases[i].where);
      g_assert_cmpuint (n, ==, 99);
      g_assert_cmpint (sm_store_count (store, "shifts"), ==, 0);
    }
}

static void
test_schedule_import_file (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-schedule-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "week.csv", NULL);
  guint n = 0;

  g_assert_true (g_file_set_contents (path, "a1,training,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z\n",
                                      -1, &error));
  g_assert_true (sm_schedule_import_csv (store, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);

  g_assert_false (sm_schedule_import_csv (store, "/nonexistent/week.csv", &n, &error));
  g_assert_nonnull (error);

  g_unlink (path);
  g_rmdir (dir);
}

static void
record_state (SmStore      *store,
              const char   *agent,
              SmAgentState  state,
              gint64        at)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_store_record_agent_state (store, agent, state, at, &error));
  g_assert_no_error (error);
}

static void
test_schedule_adherence_now (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  const char *csv =
    "a1,work,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z\n"
    "a1,break,2026-01-05T10:00:00Z,2026-01-05T10:15:00Z\n"
    "a1,work,2026-01-05T10:15:00Z,2026-01-05T12:00:00Z\n"
    "a1,lunch,2026-01-05T12:00:00Z,2026-01-05T12:45:00Z\n"
    "a2,work,2026-01-05T09:00:00Z,2026-01-05T12:00:00Z\n"
    "a3,work,2026-01-05T13:00:00Z,2026-01-05T17:00:00Z\n";
  gint64 in = -1, scheduled = -1;
  SmActivity activity;
  gboolean adherent;
  const SmShift *next;

  g_assert_true (sm_schedule_import_csv_data (store, csv, -1, "day.csv", NULL, &error));
  record_state (store, "a1", SM_AGENT_STATE_AVAILABLE, T0);
  record_state (store, "a1", SM_AGENT_STATE_ON_CONTACT, T0 + MINUTES (50));
  record_state (store, "a2", SM_AGENT_STATE_BREAK, T0 + MINUTES (30));
  record_state (store, "a3", SM_AGENT_STATE_AVAILABLE, T0);

  /* 09:40: a1 works (in), a2 on a break during work (out); a3 has no activity yet */
  g_assert_true (sm_schedule_in_adherence_now (store, NULL, T0 + MINUTES (40), &in, &scheduled, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scheduled, ==, 2);
  g_assert_cmpint (in, ==, 1);

  /* 10:05: a1 is still on a contact during the break: out */
  g_assert_true (sm_schedule_in_adherence_now (store, NULL, T0 + MINUTES (65), &in, &scheduled, &error));
  g_assert_cmpint (in, ==, 0);

  g_assert_true (sm_schedule_agent_now (store, "a1", T0 + MINUTES (65), &activity, &adherent));
  g_assert_cmpint (activity, ==, SM_ACTIVITY_BREAK);
  g_assert_false (adherent);
  g_assert_false (sm_schedule_agent_now (store, "a3", T0 + MINUTES (65), &activity, &adherent));

  /* 07:00: nobody is scheduled */
  g_assert_true (sm_schedule_in_adherence_now (store, NULL, T0 - MINUTES (120), &in, &scheduled, &error));
  g_assert_cmpint (scheduled, ==, 0);

  shifts = sm_schedule_load (store, "a1", T0, T0 + MINUTES (600), &error);
  next = sm_schedule_find_next_pause (shifts, T0 + MINUTES (20));
  g_assert_nonnull (next);
  g_assert_cmpint (next->activity, ==, SM_ACTIVITY_BREAK);
  next = sm_schedule_find_next_pause (shifts, T0 + MINUTES (70));
  g_assert_cmpint (next->activity, ==, SM_ACTIVITY_LUNCH);
  g_assert_null (sm_schedule_find_next_pause (shifts, T0 + MINUTES (200)));
  g_assert_cmpint (sm_schedule_find_at (shifts, T0 + MINUTES (61))->activity, ==, SM_ACTIVITY_BREAK);
}

typedef struct
{
  SmStore *store;
  GString *all;
  guint    n;
} GenData;

static void
collect_line (const char *line,
              gpointer    user_data)
{
  GenData *data = user_data;

  g_string_append (data->all, line);
  g_string_append_c (data->all, '\n');
  data->n++;
}

/* The generated day is valid input, is the same for the same seed, and
 * looks like a call center's day */
static void
test_schedule_demo_generator (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GString) b = g_string_new (NULL);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GArray) r = NULL;
  SmDemoGeneratorOptions options;
  SmDemoGeneratorStats stats;
  SmRecordsImport import = { 0 };
  GenData da = { store, a, 0 }, db = { store, b, 0 };
  SmMetricsQuery q;
  gint64 waiting = 0, longest = 0;
  double sl, aht, adherence, abandon;

  sm_demo_generator_options_init (&options);
  g_assert_true (sm_demo_generator_parse_date ("2026-01-05", &options.day_start_ms));
  g_assert_false (sm_demo_generator_parse_date ("2026-02-30", &options.day_start_ms));
  g_assert_false (sm_demo_generator_parse_date ("yesterday", &options.day_start_ms));
  options.n_agents = 20;
  options.until_ms = T0 + MINUTES (90);

  sm_demo_generator_run (&options, collect_line, &da, &stats);
  sm_demo_generator_run (&options, collect_line, &db, NULL);
  g_assert_cmpstr (a->str, ==, b->str);
  g_assert_cmpuint (stats.n_agents, ==, 20);
  g_assert_cmpuint (stats.n_contacts, >, 100);
  g_assert_cmpuint (stats.n_abandoned, >, 0);

  in = g_memory_input_stream_new_from_data (a->str, a->len, NULL);
  g_assert_true (sm_records_import_stream (store, in, "day.jsonl", &import, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (import.n_contacts, ==, stats.n_contacts);

  sm_metrics_query_init (&q);
  q.from_ms = options.day_start_ms;
  q.to_ms = options.day_start_ms + MINUTES (24 * 60);
  q.now_ms = options.until_ms;
  r = sm_metrics_compute (store, &q, &error);
  g_assert_no_error (error);

  g_assert_true (sm_metrics_get_figure (&g_array_index (r, SmMetricsCounts, 0), SM_FIGURE_SERVICE_LEVEL, &sl));
  g_assert_true (sm_metrics_get_figure (&g_array_index (r, SmMetricsCounts, 0), SM_FIGURE_AHT, &aht));
  g_assert_true (sm_metrics_get_figure (&g_array_index (r, SmMetricsCounts, 0), SM_FIGURE_ADHERENCE, &adherence));
  g_assert_true (sm_metrics_get_figure (&g_array_index (r, SmMetricsCounts, 0), SM_FIGURE_ABANDONMENT_RATE, &abandon));
  g_test_message ("SL %.1f AHT %.0f adherence %.1f abandon %.1f", sl, aht, adherence, abandon);
  g_assert_cmpfloat (sl, >, 20);
  g_assert_cmpfloat (aht, >, 120);
  g_assert_cmpfloat (aht, <, 600);
  g_assert_cmpfloat (adherence, >, 70);
  g_assert_cmpfloat (abandon, <, 40);

  g_assert_true (sm_metrics_queue_now (store, NULL, options.until_ms, &waiting, &longest, &error));
  g_assert_cmpint (longest, >=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/schedule/activities", test_schedule_activities);
  g_test_add_func ("/schedule/sweep", test_schedule_sweep);
  g_test_add_func ("/schedule/import-csv", test_schedule_import_csv);
  g_test_add_func ("/schedule/import-errors", test_schedule_import_errors);
  g_test_add_func ("/schedule/import-file", test_schedule_import_file);
  g_test_add_func ("/schedule/adherence-now", test_schedule_adherence_now);
  g_test_add_func ("/schedule/demo-generator", test_schedule_demo_generator);

  return g_test_run ();
}
