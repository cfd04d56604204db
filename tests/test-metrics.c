/* test-metrics.c: the figures of KPI.md, on its worked example and edge cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "sm-metrics.h"
#include "sm-records.h"

/* 2026-01-05T09:00:00Z */
#define T0 1767603600000LL
#define S(x) ((gint64)(x) * 1000)
#define MINUTES(x) ((gint64)(x) * 60000)
#define DAYS(x) ((gint64)(x) * 86400000)
#define NONE G_MININT64

static SmStore *
new_store (void)
{
  g_autoptr(GError) error = NULL;
  SmStore *store = sm_store_open (":memory:", &error);

  g_assert_no_error (error);
  return store;
}

typedef struct
{
  const char *id;
  const char *agent;
  const char *queue;
  gint64      offered;
  gint64      answered;
  gint64      ended;
  gint64      acw_end;
  int         hold_s;
  gboolean    transferred;
  const char *disposition;
  const char *customer;
  const char *reason;
  int         csat;   /* 0: none */
  int         nps;    /* -1: none */
} Contact;

static void
bind_time (sqlite3_stmt *stmt,
           int           col,
           gint64        ms)
{
  if (ms == NONE)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, ms);
}

static void
add_contact (SmStore       *store,
             const Contact *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sm_store_prepare (store,
                           "INSERT INTO contacts (id, agent, queue, offered_ms, answered_ms, ended_ms,"
                           " acw_end_ms, hold_s, transferred, disposition, customer, reason, csat, nps)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                           &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, c->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, c->agent ? c->agent : "a", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, c->queue ? c->queue : "cards", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, c->offered);
  bind_time (stmt, 5, c->answered);
  bind_time (stmt, 6, c->ended);
  bind_time (stmt, 7, c->acw_end);
  sqlite3_bind_int (stmt, 8, c->hold_s);
  sqlite3_bind_int (stmt, 9, c->transferred);
  sqlite3_bind_text (stmt, 10, c->disposition, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, c->customer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, c->reason, -1, SQLITE_STATIC);
  if (c->csat > 0)
    sqlite3_bind_int (stmt, 13, c->csat);
  if (c->nps >= 0)
    sqlite3_bind_int (stmt, 14, c->nps);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

/* A handled contact: offered at @offered, waits, talks, then ACW (seconds) */
static void
add_handled (SmStore    *store,
             const char *id,
             gint64      offered,
             int         wait_s,
             int         talk_s,
             int         acw_s)
{
  Contact c = { id, NULL, NULL, offered, offered + S (wait_s), offered + S (wait_s + talk_s),
                acw_s > 0 ? offered + S (wait_s + talk_s + acw_s) : NONE, 0, FALSE, NULL, NULL, NULL, 0, -1 };
  add_contact (store, &c);
}

static void
add_abandoned (SmStore    *store,
               const char *id,
               gint64      offered,
               int         wait_s)
{
  Contact c = { id, NULL, NULL, offered, NONE, offered + S (wait_s), NONE, 0, FALSE, NULL, NULL, NULL, 0, -1 };
  add_contact (store, &c);
}

static void
add_interval (SmStore    *store,
              const char *table,
              const char *agent,
              const char *kind,
              gint64      start,
              gint64      end)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO %s (agent, %s, start_ms, end_ms) VALUES (?1, ?2, ?3, ?4)",
                                          table, g_str_equal (table, "shifts") ? "activity" : "state");
  g_autoptr(sqlite3_stmt) stmt = sm_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, start);
  bind_time (stmt, 4, end);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

static GArray *
compute (SmStore    *store,
         gint64      from,
         gint64      to,
         gint64      interval,
         const char *agent)
{
  g_autoptr(GError) error = NULL;
  SmMetricsQuery q;
  GArray *result;

  sm_metrics_query_init (&q);
  q.from_ms = from;
  q.to_ms = to;
  q.interval_ms = interval;
  q.agent = agent;
  q.now_ms = T0 + DAYS (30);

  result = sm_metrics_compute (store, &q, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static double
figure (const SmMetricsCounts *c,
        SmFigure               f)
{
  double v = -12345;

  if (!sm_metrics_get_figure (c, f, &v))
    g_error ("%s has no data", sm_figure_get_name (f));
  return v;
}

static void
assert_no_data (const SmMetricsCounts *c,
                SmFigure               f)
{
  double v = -12345;

  if (sm_metrics_get_figure (c, f, &v))
    g_error ("%s should be no data, got %g", sm_figure_get_name (f), v);
  g_assert_cmpfloat (v, ==, -12345);
}

#define counts_at(arr, i) (&g_array_index ((arr), SmMetricsCounts, (i)))

/* KPI.md "Worked example" */
static void
test_metrics_worked_example (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;
  const SmMetricsCounts *c;

  add_handled (store, "c1", T0, 10, 200, 30);
  add_handled (store, "c2", T0 + S (60), 30, 100, 20);
  add_abandoned (store, "c3", T0 + S (120), 3);
  add_abandoned (store, "c4", T0 + S (180), 40);

  r = compute (store, T0, T0 + MINUTES (30), 0, NULL);
  g_assert_cmpuint (r->len, ==, 1);
  c = counts_at (r, 0);

  g_assert_cmpint (c->offered, ==, 4);
  g_assert_cmpint (c->answered, ==, 2);
  g_assert_cmpint (c->abandoned, ==, 2);
  g_assert_cmpint (c->short_abandoned, ==, 1);
  g_assert_cmpint (c->handled, ==, 2);

  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_SERVICE_LEVEL), 100.0 / 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_ASA), 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_ABANDONMENT_RATE), 100.0 / 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_AHT), 175, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_AVERAGE_ACW), 25, 1e-9);

  /* The formatted figure of the dashboard and wallboard */
  {
    g_autofree char *text = sm_figure_format (SM_FIGURE_SERVICE_LEVEL, TRUE, figure (c, SM_FIGURE_SERVICE_LEVEL));
    g_assert_cmpstr (text, ==, "33.3 %");
  }
}

/* The worked example through the JSON Lines path of `metrics --events` */
static void
test_metrics_worked_example_jsonl (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) r = NULL;
  g_autoptr(GInputStream) in = NULL;
  gint64 from;
  const char *text =
    "{\"type\":\"contact\",\"id\":\"c1\",\"offered\":\"2026-01-05T09:00:00Z\",\"answered\":\"2026-01-05T09:00:10Z\","
    "\"ended\":\"2026-01-05T09:03:30Z\",\"acw_end\":\"2026-01-05T09:04:00Z\"}\n"
    "{\"type\":\"contact\",\"id\":\"c2\",\"offered\":\"2026-01-05T09:01:00Z\",\"answered\":\"2026-01-05T09:01:30Z\","
    "\"ended\":\"2026-01-05T09:03:10Z\",\"acw_end\":\"2026-01-05T09:03:30Z\"}\n"
    "{\"type\":\"contact\",\"id\":\"c3\",\"offered\":\"2026-01-05T09:02:00Z\",\"ended\":\"2026-01-05T09:02:03Z\"}\n"
    "{\"type\":\"contact\",\"id\":\"c4\",\"offered\":\"2026-01-05T09:03:00Z\",\"ended\":\"2026-01-05T09:03:40Z\"}\n";

  in = g_memory_input_stream_new_from_data (text, -1, NULL);
  g_assert_true (sm_records_import_stream (store, in, "example.jsonl", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (sm_time_parse_ms ("2026-01-05T09:00:00Z", &from));
  r = compute (store, from, from + MINUTES (30), MINUTES (30), NULL);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (figure (counts_at (r, 0), SM_FIGURE_SERVICE_LEVEL), 100.0 / 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (counts_at (r, 0), SM_FIGURE_ASA), 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (counts_at (r, 0), SM_FIGURE_ABANDONMENT_RATE), 100.0 / 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (counts_at (r, 0), SM_FIGURE_AHT), 175, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (counts_at (r, 0), SM_FIGURE_AVERAGE_ACW), 25, 1e-9);
}

static void
test_metrics_no_data (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;

  r = compute (store, T0, T0 + MINUTES (30), 0, NULL);
  for (SmFigure f = 0; f < SM_N_FIGURES; f++)
    assert_no_data (counts_at (r, 0), f);

  {
    g_autofree char *text = sm_figure_format (SM_FIGURE_AHT, FALSE, 0);
    g_assert_cmpstr (text, ==, "—");
  }
}

/* Nothing answered: ASA and AHT have no data, service level is 0 */
static void
test_metrics_no_answered (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;
  g_autoptr(GArray) r2 = NULL;
  const SmMetricsCounts *c;

  add_abandoned (store, "c1", T0, 30);
  add_abandoned (store, "c2", T0 + S (10), 2);

  r = compute (store, T0, T0 + MINUTES (30), 0, NULL);
  c = counts_at (r, 0);
  assert_no_data (c, SM_FIGURE_ASA);
  assert_no_data (c, SM_FIGURE_AHT);
  assert_no_data (c, SM_FIGURE_AVERAGE_ACW);
  assert_no_data (c, SM_FIGURE_TRANSFER_RATE);
  assert_no_data (c, SM_FIGURE_FCR);
  g_assert_cmpfloat (figure (c, SM_FIGURE_SERVICE_LEVEL), ==, 0);
  g_assert_cmpfloat (figure (c, SM_FIGURE_ABANDONMENT_RATE), ==, 100);

  /* Only a short abandon: both denominators are zero */
  r2 = compute (store, T0 + S (5), T0 + MINUTES (30), 0, NULL);
  c = counts_at (r2, 0);
  g_assert_cmpint (c->offered, ==, 1);
  assert_no_data (c, SM_FIGURE_SERVICE_LEVEL);
  assert_no_data (c, SM_FIGURE_ABANDONMENT_RATE);
}

/* A contact counts where it was offered, even when answered in the next interval */
static void
test_metrics_spanning_intervals (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;

  add_handled (store, "late", T0 + MINUTES (29) + S (50), 30, 600, 60);   /* answered at 09:30:20 */
  add_handled (store, "edge", T0 + MINUTES (30), 5, 100, 0);               /* offered on the edge */
  /* Still waiting: offered, neither answered nor abandoned */
  {
    Contact c = { "waiting", NULL, NULL, T0 + MINUTES (45), NONE, NONE, NONE, 0, FALSE, NULL, NULL, NULL, 0, -1 };
    add_contact (store, &c);
  }

  r = compute (store, T0, T0 + MINUTES (60), MINUTES (30), NULL);
  g_assert_cmpuint (r->len, ==, 2);
  g_assert_cmpint (counts_at (r, 0)->start_ms, ==, T0);
  g_assert_cmpint (counts_at (r, 0)->end_ms, ==, T0 + MINUTES (30));

  g_assert_cmpint (counts_at (r, 0)->offered, ==, 1);
  g_assert_cmpint (counts_at (r, 0)->answered, ==, 1);
  g_assert_cmpfloat (figure (counts_at (r, 0), SM_FIGURE_SERVICE_LEVEL), ==, 0);
  g_assert_cmpfloat (figure (counts_at (r, 0), SM_FIGURE_AHT), ==, 660);

  g_assert_cmpint (counts_at (r, 1)->offered, ==, 2);
  g_assert_cmpint (counts_at (r, 1)->answered, ==, 1);
  g_assert_cmpint (counts_at (r, 1)->abandoned, ==, 0);
  g_assert_cmpfloat (figure (counts_at (r, 1), SM_FIGURE_SERVICE_LEVEL), ==, 100);
  g_assert_cmpfloat (figure (counts_at (r, 1), SM_FIGURE_AVERAGE_ACW), ==, 0);
  g_assert_cmpfloat (figure (counts_at (r, 1), SM_FIGURE_ABANDONMENT_RATE), ==, 0);

  /* Intervals aligned to the clock even when the period is not */
  {
    g_autoptr(GArray) r2 = compute (store, T0 + MINUTES (10), T0 + MINUTES (70), MINUTES (30), NULL);
    g_assert_cmpuint (r2->len, ==, 3);
    g_assert_cmpint (counts_at (r2, 0)->start_ms, ==, T0 + MINUTES (10));
    g_assert_cmpint (counts_at (r2, 1)->start_ms, ==, T0 + MINUTES (30));
    g_assert_cmpint (counts_at (r2, 2)->end_ms, ==, T0 + MINUTES (70));
  }
}

/* Service level counts waits up to and including T; short abandons below 5 s */
static void
test_metrics_thresholds (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;
  const SmMetricsCounts *c;

  add_handled (store, "t20", T0, 20, 60, 0);
  add_handled (store, "t21", T0 + S (1), 21, 60, 0);
  add_abandoned (store, "a5", T0 + S (2), 5);     /* not short: 5 is not < 5 */
  add_abandoned (store, "a4", T0 + S (3), 4);     /* short */

  r = compute (store, T0, T0 + MINUTES (30), 0, NULL);
  c = counts_at (r, 0);
  g_assert_cmpint (c->answered_within_t, ==, 1);
  g_assert_cmpint (c->short_abandoned, ==, 1);
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_SERVICE_LEVEL), 100.0 / 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_ABANDONMENT_RATE), 100.0 / 3, 1e-9);
}

static void
test_metrics_hold_transfer_ratings (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;
  const SmMetricsCounts *c;
  Contact contacts[] = {
    { "h1", NULL, NULL, T0, T0 + S (10), T0 + S (110), NONE, 20, TRUE, NULL, NULL, NULL, 5, 10 },
    { "h2", NULL, NULL, T0 + S (1), T0 + S (11), T0 + S (311), NONE, 30, FALSE, NULL, NULL, NULL, 4, 9 },
    { "h3", NULL, NULL, T0 + S (2), T0 + S (12), T0 + S (112), NONE, 0, FALSE, NULL, NULL, NULL, 3, 7 },
    { "h4", NULL, NULL, T0 + S (3), T0 + S (13), T0 + S (113), NONE, 0, FALSE, NULL, NULL, NULL, 0, 0 },
    { "h5", NULL, NULL, T0 + S (4), T0 + S (14), T0 + S (114), NONE, 0, FALSE, NULL, NULL, NULL, 0, 6 },
    { "h6", NULL, NULL, T0 + S (5), T0 + S (15), T0 + S (115), NONE, 0, FALSE, NULL, NULL, NULL, 0, 8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    add_contact (store, &contacts[i]);

  r = compute (store, T0, T0 + MINUTES (30), 0, NULL);
  c = counts_at (r, 0);
  /* hold 50 s of talk 100+300+100+100+100+100 = 800 s */
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_HOLD_RATIO), 50.0 / 800 * 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_TRANSFER_RATE), 100.0 / 6, 1e-9);
  /* CSAT: 5 and 4 of 5, 4, 3 */
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_CSAT), 200.0 / 3, 1e-9);
  /* NPS: promoters 10, 9; detractors 0, 6; passives 7, 8 → (2 − 2) ÷ 6 */
  g_assert_cmpfloat (figure (c, SM_FIGURE_NPS), ==, 0);
}

static void
test_metrics_nps_range (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;

  for (int i = 0; i < 4; i++)
    {
      g_autofree char *p = g_strdup_printf ("p%d", i);
      g_autofree char *d = g_strdup_printf ("d%d", i);
      Contact promoter = { p, NULL, NULL, T0 + S (i), T0 + S (i + 5), T0 + S (i + 60), NONE, 0, FALSE,
                           NULL, NULL, NULL, 0, 10 };
      Contact detractor = { d, NULL, NULL, T0 + MINUTES (30) + S (i), T0 + MINUTES (30) + S (i + 5),
                            T0 + MINUTES (30) + S (i + 60), NONE, 0, FALSE, NULL, NULL, NULL, 0, i };
      add_contact (store, &promoter);
      add_contact (store, &detractor);
    }

  r = compute (store, T0, T0 + MINUTES (60), MINUTES (30), NULL);
  g_assert_cmpfloat (figure (counts_at (r, 0), SM_FIGURE_NPS), ==, 100);
  g_assert_cmpfloat (figure (counts_at (r, 1), SM_FIGURE_NPS), ==, -100);
  assert_no_data (counts_at (r, 0), SM_FIGURE_CSAT);
}

/* A handled contact with no talk time: the hold ratio has no data */
static void
test_metrics_division_by_zero (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;
  Contact c = { "z", NULL, NULL, T0, T0 + S (5), T0 + S (5), NONE, 0, FALSE, NULL, NULL, NULL, 0, -1 };

  add_contact (store, &c);
  r = compute (store, T0, T0 + MINUTES (30), 0, NULL);
  g_assert_cmpint (counts_at (r, 0)->handled, ==, 1);
  assert_no_data (counts_at (r, 0), SM_FIGURE_HOLD_RATIO);
  g_assert_cmpfloat (figure (counts_at (r, 0), SM_FIGURE_AHT), ==, 0);
  assert_no_data (counts_at (r, 0), SM_FIGURE_OCCUPANCY);
  assert_no_data (counts_at (r, 0), SM_FIGURE_ADHERENCE);
  assert_no_data (counts_at (r, 0), SM_FIGURE_CONFORMANCE);
}

static void
add_fcr_contact (SmStore    *store,
                 const char *id,
                 const char *agent,
                 gint64      offered,
                 const char *disposition,
                 const char *customer,
                 const char *reason)
{
  Contact c = { id, agent, NULL, offered, offered + S (5), offered + S (60), NONE, 0, FALSE,
                disposition, customer, reason, 0, -1 };
  add_contact (store, &c);
}

/* FCR: resolved, and no other contact for the same reason in the 7 days after */
static void
test_metrics_fcr_seven_days (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;
  g_autoptr(GArray) ra = NULL;

  add_fcr_contact (store, "x1", "a", T0, "resolved", "X", "card_arrival");
  add_fcr_contact (store, "x2", "b", T0 + DAYS (6), "resolved", "X", "card_arrival");      /* repeat */
  add_fcr_contact (store, "y1", "a", T0 + S (10), "resolved", "Y", "change_pin");
  add_fcr_contact (store, "y2", "a", T0 + S (10) + DAYS (8), "resolved", "Y", "change_pin"); /* too late */
  add_fcr_contact (store, "w1", "a", T0 + S (20), "resolved", "W", "exchange_rate");
  add_fcr_contact (store, "w2", "b", T0 + S (20) + DAYS (7), "resolved", "W", "exchange_rate"); /* day 7 */
  add_fcr_contact (store, "z1", "a", T0 + S (30), "resolved", "Z", "card_arrival");
  add_fcr_contact (store, "z2", "a", T0 + S (40), "resolved", "Z", "change_pin");         /* another reason */
  add_fcr_contact (store, "v1", "a", T0 + S (50), "callback", "V", "card_arrival");
  add_fcr_contact (store, "n1", "a", T0 + S (60), "resolved", NULL, "card_arrival");      /* no customer */
  add_fcr_contact (store, "n2", "a", T0 + S (70), "resolved", "N", NULL);                 /* no reason */

  /* Today only: x1 (repeat on day 6: no), y1 (yes), w1 (repeat on day 7: no),
   * z1 (yes), z2 (yes), v1 (not resolved); n1, n2 are not counted */
  r = compute (store, T0, T0 + DAYS (1), 0, NULL);
  g_assert_cmpint (counts_at (r, 0)->fcr_eligible, ==, 6);
  g_assert_cmpint (counts_at (r, 0)->fcr_resolved, ==, 3);
  g_assert_cmpfloat (figure (counts_at (r, 0), SM_FIGURE_FCR), ==, 50);

  /* Agent a alone: the repeats by agent b still count */
  ra = compute (store, T0, T0 + DAYS (1), 0, "a");
  g_assert_cmpint (counts_at (ra, 0)->fcr_eligible, ==, 6);
  g_assert_cmpint (counts_at (ra, 0)->fcr_resolved, ==, 3);
}

/* Adherence: states straddling a shift's edges, time outside shifts not counted */
static void
test_metrics_adherence_shift_edges (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;
  g_autoptr(GArray) halves = NULL;
  const SmMetricsCounts *c;

  /* Shift: work 09:00–10:00, break 10:00–10:15 */
  add_interval (store, "shifts", "a", "work", T0, T0 + MINUTES (60));
  add_interval (store, "shifts", "a", "break", T0 + MINUTES (60), T0 + MINUTES (75));
  /* available 08:30–09:30, on contact 09:30–09:45, break 09:45–10:10, available 10:10– (open) */
  add_interval (store, "agent_states", "a", "available", T0 - MINUTES (30), T0 + MINUTES (30));
  add_interval (store, "agent_states", "a", "on_contact", T0 + MINUTES (30), T0 + MINUTES (45));
  add_interval (store, "agent_states", "a", "break", T0 + MINUTES (45), T0 + MINUTES (70));
  add_interval (store, "agent_states", "a", "available", T0 + MINUTES (70), NONE);

  r = compute (store, T0 - MINUTES (60), T0 + MINUTES (120), 0, NULL);
  c = counts_at (r, 0);
  /* In adherence: 09:00–09:45 (work) + 10:00–10:10 (break) = 55 of 75 minutes */
  g_assert_cmpint (c->scheduled_ms, ==, MINUTES (75));
  g_assert_cmpint (c->adherent_ms, ==, MINUTES (55));
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_ADHERENCE), 55.0 / 75 * 100, 1e-9);
  /* Conformance: available + on contact over the whole period (60 + 15 + 50
   * minutes, the open state ending at the period's end) ÷ 60 minutes of work */
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_CONFORMANCE), 125.0 / 60 * 100, 1e-9);
  /* Occupancy: 15 of 125 minutes */
  g_assert_cmpfloat_with_epsilon (figure (c, SM_FIGURE_OCCUPANCY), 15.0 / 125 * 100, 1e-9);

  /* Cut into half hours, the shift's edges split the time */
  halves = compute (store, T0, T0 + MINUTES (90), MINUTES (30), NULL);
  g_assert_cmpuint (halves->len, ==, 3);
  g_assert_cmpfloat (figure (counts_at (halves, 0), SM_FIGURE_ADHERENCE), ==, 100);
  g_assert_cmpfloat (figure (counts_at (halves, 1), SM_FIGURE_ADHERENCE), ==, 50);
  g_assert_cmpfloat_with_epsilon (figure (counts_at (halves, 2), SM_FIGURE_ADHERENCE), 10.0 / 15 * 100, 1e-9);
  g_assert_cmpint (counts_at (halves, 2)->scheduled_work_ms, ==, 0);
  assert_no_data (counts_at (halves, 2), SM_FIGURE_CONFORMANCE);
}

/* An agent with no shift adds nothing to adherence */
static void
test_metrics_agent_without_shift (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) team = NULL;
  g_autoptr(GArray) b = NULL;

  add_interval (store, "shifts", "a", "work", T0, T0 + MINUTES (60));
  add_interval (store, "agent_states", "a", "available", T0, T0 + MINUTES (30));
  add_interval (store, "agent_states", "a", "lunch", T0 + MINUTES (30), T0 + MINUTES (60));
  add_interval (store, "agent_states", "b", "available", T0, T0 + MINUTES (60));

  team = compute (store, T0, T0 + MINUTES (60), 0, NULL);
  g_assert_cmpfloat (figure (counts_at (team, 0), SM_FIGURE_ADHERENCE), ==, 50);

  b = compute (store, T0, T0 + MINUTES (60), 0, "b");
  assert_no_data (counts_at (b, 0), SM_FIGURE_ADHERENCE);
  assert_no_data (counts_at (b, 0), SM_FIGURE_CONFORMANCE);
  g_assert_cmpfloat (figure (counts_at (b, 0), SM_FIGURE_OCCUPANCY), ==, 0);
}

/* Open states and shifts stop at "now": the rest of the day is not yet missed */
static void
test_metrics_until_now (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) r = NULL;
  SmMetricsQuery q;

  add_interval (store, "shifts", "a", "work", T0, T0 + MINUTES (480));
  add_interval (store, "agent_states", "a", "available", T0, NONE);

  sm_metrics_query_init (&q);
  q.from_ms = T0;
  q.to_ms = T0 + DAYS (1);
  q.now_ms = T0 + MINUTES (60);
  r = sm_metrics_compute (store, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (counts_at (r, 0)->scheduled_ms, ==, MINUTES (60));
  g_assert_cmpfloat (figure (counts_at (r, 0), SM_FIGURE_ADHERENCE), ==, 100);
}

static void
test_metrics_filters (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) r = NULL;
  SmMetricsQuery q;
  Contact c1 = { "q1", "a", "cards", T0, T0 + S (10), T0 + S (100), NONE, 0, FALSE, NULL, NULL, NULL, 0, -1 };
  Contact c2 = { "q2", "b", "disputes", T0, T0 + S (30), T0 + S (300), NONE, 0, FALSE, NULL, NULL, NULL, 0, -1 };

  add_contact (store, &c1);
  add_contact (store, &c2);

  sm_metrics_query_init (&q);
  q.from_ms = T0;
  q.to_ms = T0 + MINUTES (30);
  q.queue = "disputes";
  r = sm_metrics_compute (store, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (counts_at (r, 0)->offered, ==, 1);
  g_assert_cmpfloat (figure (counts_at (r, 0), SM_FIGURE_ASA), ==, 30);
  g_clear_pointer (&r, g_array_unref);

  q.queue = NULL;
  q.agent = "a";
  r = sm_metrics_compute (store, &q, &error);
  g_assert_cmpfloat (figure (counts_at (r, 0), SM_FIGURE_AHT), ==, 90);
  g_clear_pointer (&r, g_array_unref);

  /* A period that ends before it starts */
  q.to_ms = q.from_ms;
  g_assert_null (sm_metrics_compute (store, &q, &error));
  g_assert_error (error, SM_METRICS_ERROR, SM_METRICS_ERROR_INVALID);
}

static void
test_metrics_queue_now (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  gint64 waiting = -1, longest = -1;
  Contact w1 = { "w1", NULL, "cards", T0 - S (95), NONE, NONE, NONE, 0, FALSE, NULL, NULL, NULL, 0, -1 };
  Contact w2 = { "w2", NULL, "cards", T0 - S (10), NONE, NONE, NONE, 0, FALSE, NULL, NULL, NULL, 0, -1 };

  g_assert_true (sm_metrics_queue_now (store, NULL, T0, &waiting, &longest, &error));
  g_assert_cmpint (waiting, ==, 0);
  g_assert_cmpint (longest, ==, 0);

  add_contact (store, &w1);
  add_contact (store, &w2);
  add_handled (store, "h", T0 - S (200), 5, 60, 0);
  add_abandoned (store, "ab", T0 - S (300), 50);

  g_assert_true (sm_metrics_queue_now (store, NULL, T0, &waiting, &longest, &error));
  g_assert_no_error (error);
  g_assert_cmpint (waiting, ==, 2);
  g_assert_cmpint (longest, ==, S (95));

  g_assert_true (sm_metrics_queue_now (store, "disputes", T0, &waiting, &longest, &error));
  g_assert_cmpint (waiting, ==, 0);
}

static void
test_metrics_parse_duration (void)
{
  gint64 ms = 0;

  g_assert_true (sm_metrics_parse_duration ("30m", &ms));
  g_assert_cmpint (ms, ==, MINUTES (30));
  g_assert_true (sm_metrics_parse_duration ("1h", &ms));
  g_assert_cmpint (ms, ==, MINUTES (60));
  g_assert_true (sm_metrics_parse_duration ("900s", &ms));
  g_assert_cmpint (ms, ==, MINUTES (15));
  g_assert_false (sm_metrics_parse_duration ("0m", &ms));
  g_assert_false (sm_metrics_parse_duration ("-5m", &ms));
  g_assert_false (sm_metrics_parse_duration ("soon", &ms));
  g_assert_false (sm_metrics_parse_duration ("5 weeks", &ms));
}

static void
test_metrics_counts_add (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GArray) r = NULL;
  SmMetricsCounts sum = { 0 };

  add_handled (store, "c1", T0, 10, 200, 30);
  add_handled (store, "c2", T0 + MINUTES (40), 30, 100, 20);

  r = compute (store, T0, T0 + MINUTES (60), MINUTES (30), NULL);
  for (guint i = 0; i < r->len; i++)
    sm_metrics_counts_add (&sum, counts_at (r, i));

  g_assert_cmpint (sum.start_ms, ==, T0);
  g_assert_cmpint (sum.end_ms, ==, T0 + MINUTES (60));
  g_assert_cmpint (sum.handled, ==, 2);
  g_assert_cmpfloat (figure (&sum, SM_FIGURE_AHT), ==, 175);
}

/* A large period in a database file is read by two connections at once:
 * the figures are the same as on one connection */
static void
test_metrics_parallel_scan (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-metrics-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "big.db", NULL);
  g_autoptr(SmStore) file = sm_store_open (path, &error);
  g_autoptr(SmStore) memory = new_store ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  SmStore *stores[] = { file, memory };
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;

  g_assert_no_error (error);
  for (guint s = 0; s < G_N_ELEMENTS (stores); s++)
    g_assert_true (sm_store_begin (stores[s], &error));

  for (guint i = 0; i < 30000; i++)
    {
      g_autofree char *id = g_strdup_printf ("p%05u", i);
      g_autofree char *customer = g_strdup_printf ("cust-%u", g_rand_int_range (rand, 0, 3000));
      gint64 offered = T0 + g_rand_int_range (rand, 0, 8 * 3600) * 1000LL;
      gboolean abandoned = g_rand_int_range (rand, 0, 10) == 0;
      int wait = g_rand_int_range (rand, 0, 60);
      Contact c = { id, "a", "cards", offered,
                    abandoned ? NONE : offered + S (wait),
                    offered + S (wait + g_rand_int_range (rand, 1, 600)),
                    NONE, g_rand_int_range (rand, 0, 30), g_rand_boolean (rand),
                    abandoned ? NULL : (g_rand_int_range (rand, 0, 4) ? "resolved" : "callback"),
                    customer, abandoned ? NULL : "card_arrival",
                    g_rand_int_range (rand, 0, 6), g_rand_int_range (rand, -1, 11) };

      for (guint s = 0; s < G_N_ELEMENTS (stores); s++)
        add_contact (stores[s], &c);
    }

  for (guint s = 0; s < G_N_ELEMENTS (stores); s++)
    g_assert_true (sm_store_commit (stores[s], &error));

  a = compute (file, T0, T0 + DAYS (1), MINUTES (60), NULL);
  b = compute (memory, T0, T0 + DAYS (1), MINUTES (60), NULL);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpmem (counts_at (a, i), sizeof (SmMetricsCounts), counts_at (b, i), sizeof (SmMetricsCounts));
  g_assert_cmpint (counts_at (a, 0)->offered + counts_at (a, 1)->offered, >, 5000);
  g_assert_cmpint (counts_at (a, 0)->fcr_eligible, >, 0);

  g_clear_object (&file);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *f = g_strconcat (path, suffixes[i], NULL);
        g_unlink (f);
      }
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/metrics/worked-example", test_metrics_worked_example);
  g_test_add_func ("/metrics/worked-example-jsonl", test_metrics_worked_example_jsonl);
  g_test_add_func ("/metrics/no-data", test_metrics_no_data);
  g_test_add_func ("/metrics/no-answered", test_metrics_no_answered);
  g_test_add_func ("/metrics/spanning-intervals", test_metrics_spanning_intervals);
  g_test_add_func ("/metrics/thresholds", test_metrics_thresholds);
  g_test_add_func ("/metrics/hold-transfer-ratings", test_metrics_hold_transfer_ratings);
  g_test_add_func ("/metrics/nps-range", test_metrics_nps_range);
  g_test_add_func ("/metrics/division-by-zero", test_metrics_division_by_zero);
  g_test_add_func ("/metrics/fcr-seven-days", test_metrics_fcr_seven_days);
  g_test_add_func ("/metrics/adherence-shift-edges", test_metrics_adherence_shift_edges);
  g_test_add_func ("/metrics/agent-without-shift", test_metrics_agent_without_shift);
  g_test_add_func ("/metrics/until-now", test_metrics_until_now);
  g_test_add_func ("/metrics/filters", test_metrics_filters);
  g_test_add_func ("/metrics/queue-now", test_metrics_queue_now);
  g_test_add_func ("/metrics/parse-duration", test_metrics_parse_duration);
  g_test_add_func ("/metrics/counts-add", test_metrics_counts_add);
  g_test_add_func ("/metrics/parallel-scan", test_metrics_parallel_scan);

  return g_test_run ();
}
