/* sm-wallboard-window.c: the supervisor's team board
 *
 * Read-only and free of personal data: it shows counts, agents' names and
 * work order numbers, never a customer.
 *
 * Every second the window reads what is cheap (callers waiting now, each
 * agent's open state, complaints by deadline: partial indexes of migration
 * 5) on the main thread. Today's service level, ASA and abandonment rate
 * scan the day's contacts, so they are computed in a worker thread on its
 * own connection every few seconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-wallboard-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sm-agent-grid.h"
#include "sm-dashboard-window.h"
#include "sm-metrics.h"
#include "sm-schedule.h"
#include "sm-sparkline.h"
#include "sm-wallboard-window.h"

#define TODAY_EVERY_S 5
#define NOTIFY_EVERY_US (5 * 60 * G_USEC_PER_SEC)

typedef enum
{
  STATUS_NONE,
  STATUS_OK,
  STATUS_WARN,
  STATUS_ALERT,
} Status;

typedef struct
{
  GtkWidget *box;
  GtkLabel  *value;
  GtkLabel  *unit;
  GtkLabel  *status;
  GtkLabel  *threshold;
  GtkLabel  *detail;
} Tile;

#define TREND_INTERVAL_MS (30 * 60000LL)

enum {
  TILE_WAITING,
  TILE_LONGEST,
  TILE_SERVICE_LEVEL,
  TILE_ASA,
  TILE_ABANDON,
  TILE_COMPLAINTS,
  N_TILES
};

/* The groups of the "agents by state" tile */
enum {
  GROUP_ON_CONTACT,
  GROUP_AVAILABLE,
  GROUP_ACW,
  GROUP_PAUSE,
  GROUP_OTHER,
  N_GROUPS
};

struct _SmWallboardWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children */
  SmAgentGrid          *agent_grid;
  GtkLabel             *clock_label;
  GtkLabel             *footer_label;
  GtkBox               *legend_box;
  GtkLabel             *page_label;
  GtkGrid              *queue_grid;
  GtkStack             *stack;

  /* Built in code */
  Tile                  tiles[N_TILES];
  GtkLabel             *group_values[N_GROUPS];
  GtkLabel             *legend_labels[SM_AGENT_STATE_N_STATES];
  SmSparkline          *sl_trend;

  /* Owned references */
  SmContext            *context;
  GCancellable         *cancellable;
  SmStore              *worker_store;   /* used by the worker thread only */
  sqlite3_stmt         *stmts[3];       /* the per-second queries, prepared once */
  GHashTable           *names;          /* agent id → name */

  /* State */
  guint                 tick_id;
  guint                 ticks;
  guint                 page_ticks;
  gboolean              today_busy;
  gboolean              has_today;
  SmMetricsCounts       today;
  gint64                last_notified[2];
  gint64                in_adherence;
  gint64                scheduled_now;
};

G_DEFINE_FINAL_TYPE (SmWallboardWindow, sm_wallboard_window, GTK_TYPE_APPLICATION_WINDOW)

/* Tiles */

static GtkLabel *
add_label (GtkBox     *box,
           const char *css_class,
           float       xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  /* Cut long text rather than widen the tiles past the screen */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
  return GTK_LABEL (label);
}

static void
build_tile (SmWallboardWindow *self,
            guint              index,
            const char        *title,
            int                column,
            int                row,
            int                width)
{
  Tile *tile = &self->tiles[index];
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *value_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkLabel *title_label;

  tile->box = box;
  gtk_widget_add_css_class (box, "tile");
  title_label = add_label (GTK_BOX (box), "tile-title", 0);
  gtk_label_set_text (title_label, title);

  gtk_widget_set_vexpand (value_box, TRUE);
  gtk_widget_set_valign (value_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), value_box);
  tile->value = add_label (GTK_BOX (value_box), "tile-value", 0);
  gtk_label_set_ellipsize (tile->value, PANGO_ELLIPSIZE_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (tile->value), "numeric");
  tile->unit = add_label (GTK_BOX (value_box), "tile-unit", 0);
  gtk_widget_set_valign (GTK_WIDGET (tile->unit), GTK_ALIGN_BASELINE);
  gtk_widget_set_valign (GTK_WIDGET (tile->value), GTK_ALIGN_BASELINE);

  tile->detail = add_label (GTK_BOX (box), "tile-detail", 0);
  gtk_widget_set_visible (GTK_WIDGET (tile->detail), FALSE);
  tile->status = add_label (GTK_BOX (box), "tile-status", 0);
  gtk_widget_set_halign (GTK_WIDGET (tile->status), GTK_ALIGN_START);
  tile->threshold = add_label (GTK_BOX (box), "tile-threshold", 0);

  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_grid_attach (self->queue_grid, box, column, row, width, 1);
}

static void
set_tile (Tile       *tile,
          const char *value,
          const char *unit,
          Status      status,
          const char *threshold)
{
  static const char * const classes[] = { "none", "ok", "warn", "alert" };
  const char *status_text;

  gtk_label_set_text (tile->value, value);
  gtk_label_set_text (tile->unit, unit != NULL ? unit : "");
  gtk_label_set_text (tile->threshold, threshold);

  switch (status)
    {
    case STATUS_OK:
      status_text = _("● On target");
      break;
    case STATUS_WARN:
      status_text = _("▲ Watch");
      break;
    case STATUS_ALERT:
      status_text = _("■ Alert");
      break;
    case STATUS_NONE:
    default:
      status_text = _("No data yet");
      break;
    }
  gtk_label_set_text (tile->status, status_text);

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (i == status)
        gtk_widget_add_css_class (tile->box, classes[i]);
      else
        gtk_widget_remove_css_class (tile->box, classes[i]);
    }
}

/* Lower is better: green up to the target, amber up to the limit */
static Status
status_lower (double value,
              double target,
              double limit)
{
  if (value <= target)
    return STATUS_OK;
  if (value <= limit)
    return STATUS_WARN;
  return STATUS_ALERT;
}

static char *
format_wait (gint64 ms)
{
  gint64 s = ms / 1000;

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int)(s / 3600), (int)(s % 3600 / 60), (int)(s % 60));
  return g_strdup_printf ("%d:%02d", (int)(s / 60), (int)(s % 60));
}

static void
notify (SmWallboardWindow *self,
        guint              which,
        const char        *id,
        const char        *title,
        const char        *body)
{
  SmNotifier *notifier = sm_context_get_notifier (self->context);
  gint64 now = g_get_monotonic_time ();

  if (self->last_notified[which] != 0 && now - self->last_notified[which] < NOTIFY_EVERY_US)
    return;

  self->last_notified[which] = now;
  if (notifier != NULL)
    sm_notifier_show (notifier, id, title, body, SM_NOTIFY_URGENT, NULL, NULL, NULL);
}

/* The per-second queries are prepared once and reset before each use */
enum {
  STMT_QUEUE,
  STMT_COMPLAINTS,
  STMT_STATES,
};

static sqlite3_stmt *
cached_stmt (SmWallboardWindow *self,
             SmStore           *store,
             guint              which,
             const char        *sql)
{
  if (self->stmts[which] == NULL)
    self->stmts[which] = sm_store_prepare (store, sql, NULL);
  else
    {
      sqlite3_reset (self->stmts[which]);
      sqlite3_clear_bindings (self->stmts[which]);
    }

  return self->stmts[which];
}

static const char *
agent_name (SmWallboardWindow *self,
            SmStore           *store,
            const char        *id)
{
  const char *name = g_hash_table_lookup (self->names, id);

  if (name == NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      /* Load every name at once: a new agent, or the first tick */
      stmt = sm_store_prepare (store, "SELECT id, name FROM agents", NULL);
      while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_replace (self->names, g_strdup ((const char *)sqlite3_column_text (stmt, 0)),
                              g_strdup ((const char *)sqlite3_column_text (stmt, 1)));
      name = g_hash_table_lookup (self->names, id);
      if (name == NULL)
        {
          g_hash_table_replace (self->names, g_strdup (id), g_strdup (id));
          name = id;
        }
    }

  return name;
}

/* Today's figures, off the main thread */

typedef struct
{
  SmStore        *store;
  char           *path;
  SmMetricsQuery  query;
} TodayJob;

typedef struct
{
  SmMetricsCounts counts;
  gint64          in_adherence;
  gint64          scheduled_now;
  GArray         *sl_trend;       /* service level per half hour, NAN for no data */
} TodayResult;

static void
today_result_free (TodayResult *today)
{
  g_clear_pointer (&today->sl_trend, g_array_unref);
  g_free (today);
}

/* Today as one sum, and the service level of each half hour */
static TodayResult *
sum_today (GArray *halves)
{
  TodayResult *today = g_new0 (TodayResult, 1);
  gboolean started = FALSE;

  today->sl_trend = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < halves->len; i++)
    {
      const SmMetricsCounts *c = &g_array_index (halves, SmMetricsCounts, i);
      double sl = NAN;

      sm_metrics_counts_add (&today->counts, c);
      /* The trend starts with the first half hour that had calls */
      if (!sm_metrics_get_figure (c, SM_FIGURE_SERVICE_LEVEL, &sl))
        sl = NAN;
      started = started || !isnan (sl);
      if (started)
        g_array_append_val (today->sl_trend, sl);
    }

  return today;
}

static void
today_job_free (TodayJob *job)
{
  g_clear_object (&job->store);
  g_free (job->path);
  g_free (job);
}

static gint64
local_day_start (gint64 now_ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
  g_autoptr(GDateTime) start = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now),
                                                      0, 0, 0);
  return g_date_time_to_unix (start) * 1000;
}

static void
init_today_query (SmWallboardWindow *self,
                  SmMetricsQuery    *query)
{
  sm_metrics_query_init (query);
  query->to_ms = query->now_ms + 1;
  query->from_ms = local_day_start (query->now_ms);
  query->interval_ms = TREND_INTERVAL_MS;
  query->service_level_s = sm_context_get_uint (self->context, "service-level-seconds", 20);
  query->short_abandon_s = sm_context_get_uint (self->context, "short-abandon-seconds", 5);
}

static void
today_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TodayJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) result = NULL;
  TodayResult *today;

  if (job->store == NULL)
    {
      job->store = sm_store_open (job->path, &error);
      if (job->store == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  result = sm_metrics_compute (job->store, &job->query, &error);
  if (result == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  today = sum_today (result);
  /* KPI.md "In adherence now": a query per scheduled agent, so here too */
  sm_schedule_in_adherence_now (job->store, NULL, job->query.now_ms,
                                &today->in_adherence, &today->scheduled_now, NULL);
  g_task_return_pointer (task, today, (GDestroyNotify)today_result_free);
}

static void update_today_tiles (SmWallboardWindow *self);

static void
today_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SmWallboardWindow *self = SM_WALLBOARD_WINDOW (object);
  TodayJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  TodayResult *today = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->today_busy = FALSE;

  /* Keep the worker's connection for the next run */
  if (self->worker_store == NULL && job->store != NULL)
    self->worker_store = g_object_ref (job->store);

  if (today == NULL)
    {
      g_warning ("Cannot compute today's figures: %s", error->message);
      return;
    }

  self->today = today->counts;
  self->in_adherence = today->in_adherence;
  self->scheduled_now = today->scheduled_now;
  sm_sparkline_set_values (self->sl_trend, (double *)(void *)today->sl_trend->data, today->sl_trend->len);
  today_result_free (today);
  self->has_today = TRUE;
  update_today_tiles (self);
}

static void
start_today (SmWallboardWindow *self)
{
  SmStore *store = sm_context_get_store (self->context);
  const char *path = sm_store_get_path (store);
  g_autoptr(GTask) task = NULL;
  TodayJob *job;

  if (self->today_busy)
    return;

  /* An in-memory database has no second connection: compute it here */
  if (path == NULL || g_str_equal (path, ":memory:") || g_str_has_prefix (path, "file::memory:"))
    {
      g_autoptr(GArray) result = NULL;
      SmMetricsQuery query;

      init_today_query (self, &query);
      result = sm_metrics_compute (store, &query, NULL);
      if (result != NULL)
        {
          TodayResult *today = sum_today (result);

          self->today = today->counts;
          sm_sparkline_set_values (self->sl_trend, (double *)(void *)today->sl_trend->data,
                                   today->sl_trend->len);
          today_result_free (today);
          self->has_today = TRUE;
          sm_schedule_in_adherence_now (store, NULL, query.now_ms, &self->in_adherence,
                                        &self->scheduled_now, NULL);
          update_today_tiles (self);
        }
      return;
    }

  job = g_new0 (TodayJob, 1);
  job->store = self->worker_store != NULL ? g_object_ref (self->worker_store) : NULL;
  job->path = g_strdup (path);
  init_today_query (self, &job->query);

  self->today_busy = TRUE;
  task = g_task_new (self, self->cancellable, today_done_cb, NULL);
  g_task_set_source_tag (task, start_today);
  g_task_set_task_data (task, job, (GDestroyNotify)today_job_free);
  g_task_run_in_thread (task, today_thread);
}

static void
update_today_tiles (SmWallboardWindow *self)
{
  double sl_target = sm_context_get_double (self->context, "wallboard-service-level-target", 80);
  double sl_amber = sm_context_get_double (self->context, "wallboard-service-level-amber", 70);
  guint asa_target = sm_context_get_uint (self->context, "wallboard-asa-target-seconds", 20);
  guint asa_limit = sm_context_get_uint (self->context, "wallboard-asa-limit-seconds", 40);
  double ab_target = sm_context_get_double (self->context, "wallboard-abandonment-target", 5);
  double ab_limit = sm_context_get_double (self->context, "wallboard-abandonment-limit", 10);
  guint t = sm_context_get_uint (self->context, "service-level-seconds", 20);
  g_autofree char *sl_text = NULL;
  g_autofree char *sl_threshold = NULL;
  g_autofree char *asa_text = NULL;
  g_autofree char *asa_threshold = NULL;
  g_autofree char *ab_text = NULL;
  g_autofree char *ab_threshold = NULL;
  double sl = 0, asa = 0, ab = 0;
  gboolean has_sl, has_asa, has_ab;
  Status status;

  has_sl = self->has_today && sm_metrics_get_figure (&self->today, SM_FIGURE_SERVICE_LEVEL, &sl);
  has_asa = self->has_today && sm_metrics_get_figure (&self->today, SM_FIGURE_ASA, &asa);
  has_ab = self->has_today && sm_metrics_get_figure (&self->today, SM_FIGURE_ABANDONMENT_RATE, &ab);

  /* Service level: higher is better */
  sm_sparkline_set_target (self->sl_trend, TRUE, sl_target);
  sl_text = has_sl ? g_strdup_printf ("%.0f", sl) : g_strdup ("—");
  /* TRANSLATORS: the thresholds written on a wallboard tile; %g are percentages */
  sl_threshold = g_strdup_printf (_("Target ≥ %g %% answered in %u s\nred below %g %%"), sl_target, t, sl_amber);
  status = !has_sl ? STATUS_NONE : sl >= sl_target ? STATUS_OK : sl >= sl_amber ? STATUS_WARN : STATUS_ALERT;
  set_tile (&self->tiles[TILE_SERVICE_LEVEL], sl_text, has_sl ? "%" : NULL, status, sl_threshold);
  if (has_sl && sl < sl_target)
    {
      g_autofree char *body = g_strdup_printf (_("Service level today is %.0f %%, below the target of %g %%."),
                                               sl, sl_target);
      notify (self, 0, "wallboard-service-level", _("Service level below target"), body);
    }

  asa_text = has_asa ? g_strdup_printf ("%.0f", asa) : g_strdup ("—");
  /* TRANSLATORS: the thresholds written on a wallboard tile, in seconds */
  asa_threshold = g_strdup_printf (_("Target ≤ %u s\nred above %u s"), asa_target, asa_limit);
  set_tile (&self->tiles[TILE_ASA], asa_text, has_asa ? _("s") : NULL,
            has_asa ? status_lower (asa, asa_target, asa_limit) : STATUS_NONE, asa_threshold);

  ab_text = has_ab ? g_strdup_printf ("%.1f", ab) : g_strdup ("—");
  /* TRANSLATORS: the thresholds written on a wallboard tile; %g are percentages */
  ab_threshold = g_strdup_printf (_("Target ≤ %g %%\nred above %g %%"), ab_target, ab_limit);
  set_tile (&self->tiles[TILE_ABANDON], ab_text, has_ab ? "%" : NULL,
            has_ab ? status_lower (ab, ab_target, ab_limit) : STATUS_NONE, ab_threshold);
}

/* The live figures, every second */

static void
update_queue (SmWallboardWindow *self,
              SmStore           *store,
              gint64             now)
{
  guint w_target = sm_context_get_uint (self->context, "wallboard-waiting-target", 5);
  guint w_limit = sm_context_get_uint (self->context, "wallboard-waiting-limit", 15);
  guint l_target = sm_context_get_uint (self->context, "wallboard-longest-wait-target-seconds", 60);
  guint l_limit = sm_context_get_uint (self->context, "wallboard-longest-wait-limit-seconds", 180);
  g_autofree char *waiting_text = NULL;
  g_autofree char *waiting_threshold = NULL;
  g_autofree char *longest_text = NULL;
  g_autofree char *longest_threshold = NULL;
  g_autofree char *l_target_text = format_wait (l_target * 1000LL);
  g_autofree char *l_limit_text = format_wait (l_limit * 1000LL);
  gint64 waiting = 0, longest = 0;
  gboolean ok = FALSE;
  sqlite3_stmt *stmt;

  /* sm_metrics_queue_now()'s query, on the contacts_waiting partial index */
  stmt = cached_stmt (self, store, STMT_QUEUE,
                      "SELECT count(*), min(offered_ms) FROM contacts"
                      " WHERE answered_ms IS NULL AND ended_ms IS NULL AND offered_ms <= ?1");
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, now);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          ok = TRUE;
          waiting = sqlite3_column_int64 (stmt, 0);
          longest = sqlite3_column_type (stmt, 1) == SQLITE_NULL
                      ? 0 : MAX (0, now - sqlite3_column_int64 (stmt, 1));
        }
      sqlite3_reset (stmt);
    }

  waiting_text = ok ? g_strdup_printf ("%" G_GINT64_FORMAT, waiting) : g_strdup ("—");
  /* TRANSLATORS: the thresholds written on a wallboard tile, in callers */
  waiting_threshold = g_strdup_printf (_("Target ≤ %u\nred above %u"), w_target, w_limit);
  set_tile (&self->tiles[TILE_WAITING], waiting_text, NULL,
            ok ? status_lower (waiting, w_target, w_limit) : STATUS_NONE, waiting_threshold);

  longest_text = ok ? format_wait (longest) : g_strdup ("—");
  /* TRANSLATORS: the thresholds written on a wallboard tile, as m:ss */
  longest_threshold = g_strdup_printf (_("Target ≤ %s\nred above %s"), l_target_text, l_limit_text);
  set_tile (&self->tiles[TILE_LONGEST], longest_text, NULL,
            ok ? status_lower (longest / 1000.0, l_target, l_limit) : STATUS_NONE, longest_threshold);

  if (ok && longest > l_limit * 1000LL)
    {
      g_autofree char *body = g_strdup_printf (_("A caller has waited %s, longer than the limit of %s."),
                                               longest_text, l_limit_text);
      notify (self, 1, "wallboard-longest-wait", _("Longest wait over its limit"), body);
    }
}

static const char *
complaint_level_label (const char *level)
{
  if (g_strcmp0 (level, "regulatory") == 0)
    return C_("complaint level", "Regulatory");
  if (g_strcmp0 (level, "serious") == 0)
    return C_("complaint level", "Serious");
  return C_("complaint level", "General");
}

static char *
format_due (gint64 due_ms,
            gint64 now)
{
  gint64 m = (due_ms - now) / 60000;
  gint64 a = ABS (m);
  g_autofree char *span = a >= 60 ? g_strdup_printf (_("%d h"), (int)(a / 60))
                                  : g_strdup_printf (_("%d min"), (int)a);

  if (m < 0)
    /* TRANSLATORS: a complaint past its deadline, such as "3 h late" */
    return g_strdup_printf (_("%s late"), span);
  /* TRANSLATORS: time left before a complaint's deadline, such as "in 5 h" */
  return g_strdup_printf (_("in %s"), span);
}

static void
update_complaints (SmWallboardWindow *self,
                   SmStore           *store,
                   gint64             now)
{
  guint hours = sm_context_get_uint (self->context, "wallboard-complaint-hours", 24);
  sqlite3_stmt *stmt;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *count_text = NULL;
  g_autofree char *overdue_text = NULL;
  g_autofree char *threshold = NULL;
  guint n = 0, overdue = 0;

  /* Work order numbers, levels and deadlines only: no customer */
  stmt = cached_stmt (self, store, STMT_COMPLAINTS,
                      "SELECT id, complaint_level, resolution_due_ms FROM work_orders"
                      " WHERE complaint_level <> 'none' AND resolution_due_ms <= ?1"
                      " AND status NOT IN ('resolved', 'informed', 'closed')"
                      " ORDER BY resolution_due_ms");
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, now + hours * 3600000LL);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 due = sqlite3_column_int64 (stmt, 2);

          n++;
          if (due < now)
            overdue++;
          if (n <= 3)
            {
              g_autofree char *when = format_due (due, now);

              if (lines->len > 0)
                g_string_append_c (lines, '\n');
              g_string_append_printf (lines, "%s · %s · %s", (const char *)sqlite3_column_text (stmt, 0),
                                      complaint_level_label ((const char *)sqlite3_column_text (stmt, 1)),
                                      when);
            }
        }
      sqlite3_reset (stmt);
    }

  overdue_text = overdue > 0 ? g_strdup_printf (_("%u overdue"), overdue) : NULL;
  count_text = g_strdup_printf ("%u", n);
  /* TRANSLATORS: the thresholds written on the complaints tile */
  threshold = g_strdup_printf (_("Due within %u h\nred when one is overdue"), hours);
  set_tile (&self->tiles[TILE_COMPLAINTS], count_text, NULL,
            n == 0 ? STATUS_OK : overdue > 0 ? STATUS_ALERT : STATUS_WARN, threshold);
  if (overdue_text != NULL)
    {
      /* TRANSLATORS: the status of the complaints tile, such as "■ 2 overdue" */
      g_autofree char *status = g_strdup_printf (_("■ %s"), overdue_text);
      gtk_label_set_text (self->tiles[TILE_COMPLAINTS].status, status);
    }
  gtk_label_set_text (self->tiles[TILE_COMPLAINTS].detail, lines->str);
  gtk_widget_set_visible (GTK_WIDGET (self->tiles[TILE_COMPLAINTS].detail), lines->len > 0);
}

static guint
state_group (SmAgentState state)
{
  switch (state)
    {
    case SM_AGENT_STATE_ON_CONTACT:
      return GROUP_ON_CONTACT;
    case SM_AGENT_STATE_AVAILABLE:
      return GROUP_AVAILABLE;
    case SM_AGENT_STATE_ACW:
      return GROUP_ACW;
    case SM_AGENT_STATE_BREAK:
    case SM_AGENT_STATE_LUNCH:
      return GROUP_PAUSE;
    case SM_AGENT_STATE_MEETING:
    case SM_AGENT_STATE_TRAINING:
    case SM_AGENT_STATE_OFFLINE:
    case SM_AGENT_STATE_N_STATES:
    default:
      return GROUP_OTHER;
    }
}

/* The order of tiles on the agents page: busy first, then ready, then away */
static int
tile_order (SmAgentState state)
{
  static const int order[] = {
    [SM_AGENT_STATE_ON_CONTACT] = 0, [SM_AGENT_STATE_ACW] = 1, [SM_AGENT_STATE_AVAILABLE] = 2,
    [SM_AGENT_STATE_BREAK] = 3, [SM_AGENT_STATE_LUNCH] = 4, [SM_AGENT_STATE_MEETING] = 5,
    [SM_AGENT_STATE_TRAINING] = 6, [SM_AGENT_STATE_OFFLINE] = 7,
  };

  return order[MIN (state, SM_AGENT_STATE_OFFLINE)];
}

static int
tile_compare (gconstpointer a,
              gconstpointer b)
{
  const SmAgentTile *x = a, *y = b;
  int d = tile_order (x->state) - tile_order (y->state);

  return d != 0 ? d : g_strcmp0 (x->id, y->id);
}

static void
update_agents (SmWallboardWindow *self,
               SmStore           *store,
               gint64             now)
{
  sqlite3_stmt *stmt;
  g_autoptr(GArray) tiles = g_array_new (FALSE, TRUE, sizeof (SmAgentTile));
  gint64 groups[N_GROUPS] = { 0 };
  gint64 by_state[SM_AGENT_STATE_N_STATES] = { 0 };
  guint signed_out = 0;
  g_autofree char *footer = NULL;

  g_array_set_clear_func (tiles, (GDestroyNotify)sm_agent_tile_clear);

  /* Each agent's open state: the agent_states_open partial index (the unary
   * plus keeps the planner off the start_ms index, which reads the day) */
  stmt = cached_stmt (self, store, STMT_STATES,
                      "SELECT agent, state, start_ms FROM agent_states"
                      " WHERE end_ms IS NULL AND +start_ms <= ?1");
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, now);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          SmAgentTile tile = { 0 };

          if (!sm_agent_state_from_string ((const char *)sqlite3_column_text (stmt, 1), &tile.state))
            continue;
          if (tile.state == SM_AGENT_STATE_OFFLINE)
            {
              signed_out++;
              continue;
            }
          tile.id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
          tile.name = g_strdup (agent_name (self, store, tile.id));
          tile.since_ms = sqlite3_column_int64 (stmt, 2);
          groups[state_group (tile.state)]++;
          by_state[tile.state]++;
          g_array_append_val (tiles, tile);
        }
      sqlite3_reset (stmt);
    }

  g_array_sort (tiles, tile_compare);
  sm_agent_grid_set_agents (self->agent_grid, (SmAgentTile *)(void *)tiles->data, tiles->len, now);

  for (guint g = 0; g < N_GROUPS; g++)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, groups[g]);
      gtk_label_set_text (self->group_values[g], text);
    }

  for (guint s = 0; s < SM_AGENT_STATE_OFFLINE; s++)
    {
      /* TRANSLATORS: a legend entry: the state and how many agents are in it */
      g_autofree char *text = g_strdup_printf (_("%s %d"), sm_agent_state_get_short_label (s),
                                               (int)by_state[s]);
      gtk_label_set_text (self->legend_labels[s], text);
    }

  footer = g_strdup_printf (ngettext ("%u agent signed in, %u signed out. Service level counts calls answered within %u s; "
                                      "abandons under %u s are not counted. No customer data is shown.",
                                      "%u agents signed in, %u signed out. Service level counts calls answered within %u s; "
                                      "abandons under %u s are not counted. No customer data is shown.",
                                      tiles->len),
                            tiles->len, signed_out,
                            sm_context_get_uint (self->context, "service-level-seconds", 20),
                            sm_context_get_uint (self->context, "short-abandon-seconds", 5));

  /* KPI.md "In adherence now" comes with today's figures (every few seconds) */
  if (self->scheduled_now > 0)
    {
      /* TRANSLATORS: KPI.md "In adherence now", before the rest of the footer */
      g_autofree char *adherence = g_strdup_printf (_("In adherence now: %.0f %% (%d of %d scheduled agents)."),
                                                    100.0 * self->in_adherence / self->scheduled_now,
                                                    (int)self->in_adherence, (int)self->scheduled_now);
      g_autofree char *both = g_strconcat (adherence, " ", footer, NULL);

      gtk_label_set_text (self->footer_label, both);
    }
  else
    {
      gtk_label_set_text (self->footer_label, footer);
    }
}

static void
update_header (SmWallboardWindow *self,
               gint64             now)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (now / 1000);
  /* TRANSLATORS: the wallboard's clock, a g_date_time_format() format */
  g_autofree char *clock = g_date_time_format (dt, C_("wallboard clock", "%a %e %b  %H:%M:%S"));
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  g_autofree char *pages = NULL;

  gtk_label_set_text (self->clock_label, clock);

  /* The page names, the shown one in brackets: not colour alone */
  if (g_strcmp0 (page, "agents") == 0)
    pages = g_strdup_printf ("%s   ·   [ %s ]", _("Queue"), _("Agents"));
  else
    pages = g_strdup_printf ("[ %s ]   ·   %s", _("Queue"), _("Agents"));
  gtk_label_set_text (self->page_label, pages);
}

static void
refresh (SmWallboardWindow *self,
         gboolean           today_now)
{
  SmStore *store = sm_context_get_store (self->context);
  gint64 now = sm_now_ms ();

  update_queue (self, store, now);
  update_complaints (self, store, now);
  update_agents (self, store, now);
  update_header (self, now);

  if (today_now)
    {
      g_autoptr(GArray) result = NULL;
      SmMetricsQuery query;

      init_today_query (self, &query);
      result = sm_metrics_compute (store, &query, NULL);
      if (result != NULL)
        {
          TodayResult *today = sum_today (result);

          self->today = today->counts;
          sm_sparkline_set_values (self->sl_trend, (double *)(void *)today->sl_trend->data,
                                   today->sl_trend->len);
          today_result_free (today);
          self->has_today = TRUE;
        }
      sm_schedule_in_adherence_now (store, NULL, query.now_ms, &self->in_adherence,
                                    &self->scheduled_now, NULL);
      update_today_tiles (self);
    }
  else if (self->ticks % TODAY_EVERY_S == 0)
    {
      start_today (self);
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  SmWallboardWindow *self = SM_WALLBOARD_WINDOW (user_data);
  guint page_s = sm_context_get_uint (self->context, "wallboard-page-seconds", 20);

  self->ticks++;
  if (self->ticks % 60 == 0)
    g_hash_table_remove_all (self->names);
  if (page_s > 0 && ++self->page_ticks >= page_s)
    {
      const char *page = gtk_stack_get_visible_child_name (self->stack);

      self->page_ticks = 0;
      gtk_stack_set_visible_child_name (self->stack, g_strcmp0 (page, "queue") == 0 ? "agents" : "queue");
    }

  refresh (self, FALSE);
  return G_SOURCE_CONTINUE;
}

static void
build_groups_tile (SmWallboardWindow *self)
{
  static const struct { const char *label; const char *css; } groups[N_GROUPS] = {
    [GROUP_ON_CONTACT] = { N_("On a call"), "state-on_contact" },
    [GROUP_AVAILABLE] = { N_("Ready"), "state-available" },
    [GROUP_ACW] = { N_("After call"), "state-acw" },
    [GROUP_PAUSE] = { N_("On break"), "state-break" },
    [GROUP_OTHER] = { N_("Other"), "state-meeting" },
  };
  GtkWidget *tile = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkLabel *title;

  gtk_widget_add_css_class (tile, "tile");
  title = add_label (GTK_BOX (tile), "tile-title", 0);
  gtk_label_set_text (title, _("Agents by state"));
  gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
  gtk_widget_set_vexpand (row, TRUE);
  gtk_widget_set_valign (row, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (tile), row);

  for (guint g = 0; g < N_GROUPS; g++)
    {
      GtkWidget *block = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkLabel *label;

      gtk_widget_add_css_class (bar, "state-bar");
      gtk_widget_add_css_class (bar, groups[g].css);
      gtk_box_append (GTK_BOX (block), bar);
      self->group_values[g] = add_label (GTK_BOX (block), "group-value", 0);
      gtk_label_set_ellipsize (self->group_values[g], PANGO_ELLIPSIZE_NONE);
      gtk_widget_add_css_class (GTK_WIDGET (self->group_values[g]), "numeric");
      label = add_label (GTK_BOX (block), "group-label", 0);
      gtk_label_set_text (label, _(groups[g].label));
      gtk_box_append (GTK_BOX (row), block);
    }

  gtk_grid_attach (self->queue_grid, tile, 1, 1, 2, 1);
}

static void
build_legend (SmWallboardWindow *self)
{
  static const char * const css[] = {
    "state-available", "state-on_contact", "state-acw", "state-break",
    "state-lunch", "state-meeting", "state-training",
  };

  for (guint s = 0; s < SM_AGENT_STATE_OFFLINE; s++)
    {
      GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      /* The chip looks like a tile and carries the tiles' code */
      GtkWidget *chip = gtk_label_new (sm_agent_state_get_code (s));

      gtk_widget_add_css_class (chip, "state-chip");
      gtk_widget_add_css_class (chip, css[s]);
      gtk_widget_set_valign (chip, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (item), chip);
      self->legend_labels[s] = add_label (GTK_BOX (item), "legend-label", 0);
      gtk_label_set_ellipsize (self->legend_labels[s], PANGO_ELLIPSIZE_NONE);
      gtk_box_append (self->legend_box, item);
    }
}

static void
sm_wallboard_window_dispose (GObject *object)
{
  SmWallboardWindow *self = (SmWallboardWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_WALLBOARD_WINDOW);
  /* The statements go before the store they belong to */
  for (guint i = 0; i < G_N_ELEMENTS (self->stmts); i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker_store);
  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (sm_wallboard_window_parent_class)->dispose (object);
}

static void
sm_wallboard_window_class_init (SmWallboardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_wallboard_window_dispose;

  g_type_ensure (SM_TYPE_AGENT_GRID);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/sm-wallboard-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, agent_grid);
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, clock_label);
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, footer_label);
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, legend_box);
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, page_label);
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, queue_grid);
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, stack);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_CONTROL_MASK,
                                       "app.quit", NULL);
}

static void
sm_wallboard_window_init (SmWallboardWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  sm_dashboard_window_load_css ();
  gtk_widget_add_css_class (GTK_WIDGET (self), "wallboard-window");
  self->cancellable = g_cancellable_new ();
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  build_tile (self, TILE_WAITING, _("Callers waiting now"), 0, 0, 1);
  build_tile (self, TILE_LONGEST, _("Longest wait now"), 1, 0, 1);
  build_tile (self, TILE_SERVICE_LEVEL, _("Service level today"), 2, 0, 1);
  /* The half hours of today, with the target dashed */
  self->sl_trend = SM_SPARKLINE (sm_sparkline_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->sl_trend), "tile-trend");
  gtk_widget_set_size_request (GTK_WIDGET (self->sl_trend), -1, 56);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sl_trend), _("Service level per half hour today"));
  gtk_box_insert_child_after (GTK_BOX (self->tiles[TILE_SERVICE_LEVEL].box), GTK_WIDGET (self->sl_trend),
                              gtk_widget_get_next_sibling (gtk_widget_get_first_child (self->tiles[TILE_SERVICE_LEVEL].box)));
  build_tile (self, TILE_ASA, _("Avg speed of answer"), 3, 0, 1);
  build_tile (self, TILE_ABANDON, _("Abandonment today"), 0, 1, 1);
  build_groups_tile (self);
  build_tile (self, TILE_COMPLAINTS, _("Complaints due soon"), 3, 1, 1);
  build_legend (self);
}

SmWallboardWindow *
sm_wallboard_window_new (SmApplication *app,
                         SmContext     *context)
{
  SmWallboardWindow *self = g_object_new (SM_TYPE_WALLBOARD_WINDOW, "application", app, NULL);

  self->context = g_object_ref (context);
  update_today_tiles (self);
  refresh (self, FALSE);
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);

  return self;
}

/**
 * sm_wallboard_window_refresh:
 * @today_now: compute today's figures here, not in the worker thread
 *
 * What the window does every second (tests and benchmarks call it).
 */
void
sm_wallboard_window_refresh (SmWallboardWindow *self,
                             gboolean           today_now)
{
  g_return_if_fail (SM_IS_WALLBOARD_WINDOW (self));
  self->ticks++;
  refresh (self, today_now);
}

/**
 * sm_wallboard_window_show_page:
 * @name: "queue" or "agents"
 */
void
sm_wallboard_window_show_page (SmWallboardWindow *self,
                               const char        *name)
{
  g_return_if_fail (SM_IS_WALLBOARD_WINDOW (self));

  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT);
  self->page_ticks = 0;
  update_header (self, sm_now_ms ());
}

/**
 * sm_wallboard_window_present_on_monitor:
 * @monitor: the monitor's index, or -1 for the current one
 */
void
sm_wallboard_window_present_on_monitor (SmWallboardWindow *self,
                                        int                monitor)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  guint n = g_list_model_get_n_items (monitors);
  g_autoptr(GdkMonitor) m = NULL;

  if (monitor >= 0 && (guint)monitor < n)
    m = g_list_model_get_item (monitors, monitor);
  else if (n > 0)
    m = g_list_model_get_item (monitors, 0);

  /* The monitor's size, also where no window manager makes it fullscreen */
  if (m != NULL)
    {
      GdkRectangle geometry;

      gdk_monitor_get_geometry (m, &geometry);
      gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
    }

  if (monitor >= 0 && m != NULL)
    gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), m);
  else
    gtk_window_fullscreen (GTK_WINDOW (self));

  gtk_window_present (GTK_WINDOW (self));
}
