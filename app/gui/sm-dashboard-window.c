/* sm-dashboard-window.c: the agent's shift and performance, on monitor 2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-dashboard-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-dashboard-window.h"

struct _SmDashboardWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children */
  GtkLabel             *handled_label;
  GtkListBox           *shift_list;
  GtkLabel             *state_label;

  /* Owned references */
  SmContext            *context;

  /* State */
  gboolean              fullscreen_on_monitor;
  guint                 tick_id;
};

G_DEFINE_FINAL_TYPE (SmDashboardWindow, sm_dashboard_window, GTK_TYPE_APPLICATION_WINDOW)

static const char *
activity_label (const char *activity)
{
  if (g_strcmp0 (activity, "work") == 0)
    return _("Work");
  if (g_strcmp0 (activity, "break") == 0)
    return _("Break");
  if (g_strcmp0 (activity, "lunch") == 0)
    return _("Lunch");
  if (g_strcmp0 (activity, "meeting") == 0)
    return _("Meeting");
  if (g_strcmp0 (activity, "training") == 0)
    return _("Training");
  return activity;
}

static gint64
local_day_start_ms (gint64 now_ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
  g_autoptr(GDateTime) start = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now),
                                                      0, 0, 0);
  return g_date_time_to_unix (start) * 1000;
}

static void
reload (SmDashboardWindow *self)
{
  SmStore *store = sm_context_get_store (self->context);
  const char *agent = sm_context_get_agent_id (self->context);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *handled = NULL;
  gint64 now = sm_now_ms ();
  gint64 day = local_day_start_ms (now);
  SmAgentState state;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->shift_list))) != NULL)
    gtk_list_box_remove (self->shift_list, child);

  stmt = sm_store_prepare (store,
                           "SELECT activity, start_ms, end_ms FROM shifts"
                           " WHERE agent = ?1 AND end_ms > ?2 AND start_ms < ?3 ORDER BY start_ms",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, day);
      sqlite3_bind_int64 (stmt, 3, day + G_TIME_SPAN_DAY / 1000);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 start = sqlite3_column_int64 (stmt, 1);
          gint64 end = sqlite3_column_int64 (stmt, 2);
          g_autoptr(GDateTime) s = g_date_time_new_from_unix_local (start / 1000);
          g_autoptr(GDateTime) e = g_date_time_new_from_unix_local (end / 1000);
          g_autofree char *ss = g_date_time_format (s, "%H:%M");
          g_autofree char *es = g_date_time_format (e, "%H:%M");
          g_autofree char *text = g_strdup_printf ("%s–%s  %s", ss, es,
                                                   activity_label ((const char *)sqlite3_column_text (stmt, 0)));
          GtkWidget *label = gtk_label_new (text);

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_set_margin_start (label, 8);
          gtk_widget_set_margin_top (label, 4);
          gtk_widget_set_margin_bottom (label, 4);
          if (start <= now && now < end)
            gtk_widget_add_css_class (label, "now");
          gtk_list_box_append (self->shift_list, label);
        }
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = sm_store_prepare (store,
                           "SELECT count(*) FROM contacts WHERE agent = ?1 AND answered_ms IS NOT NULL"
                           " AND ended_ms IS NOT NULL AND offered_ms >= ?2",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, day);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        handled = g_strdup_printf ("%d", sqlite3_column_int (stmt, 0));
    }
  gtk_label_set_text (self->handled_label, handled ?: "—");

  if (sm_store_get_agent_state (store, agent, &state, NULL))
    gtk_label_set_text (self->state_label, sm_agent_state_get_label (state));
}

static gboolean
tick_cb (gpointer user_data)
{
  reload (SM_DASHBOARD_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
sm_dashboard_window_dispose (GObject *object)
{
  SmDashboardWindow *self = (SmDashboardWindow *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_DASHBOARD_WINDOW);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_dashboard_window_parent_class)->dispose (object);
}

static void
sm_dashboard_window_class_init (SmDashboardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_dashboard_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/sm-dashboard-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, handled_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, shift_list);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, state_label);
}

static void
sm_dashboard_window_init (SmDashboardWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SmDashboardWindow *
sm_dashboard_window_new (SmApplication *app,
                         SmContext     *context)
{
  SmDashboardWindow *self = g_object_new (SM_TYPE_DASHBOARD_WINDOW, "application", app, NULL);

  self->context = g_object_ref (context);
  reload (self);
  self->tick_id = g_timeout_add_seconds (5, tick_cb, self);

  return self;
}

/**
 * sm_dashboard_window_choose_monitor:
 * @remembered: (nullable): the connector the dashboard was on last time
 *
 * The dashboard goes to the remembered monitor if it is still there, else
 * to the second monitor. With one monitor there is no choice to make.
 *
 * Returns: (transfer none) (nullable): the monitor, or %NULL with one monitor
 */
GdkMonitor *
sm_dashboard_window_choose_monitor (GdkDisplay *display,
                                    const char *remembered)
{
  GListModel *monitors = gdk_display_get_monitors (display);
  guint n = g_list_model_get_n_items (monitors);
  GdkMonitor *chosen = NULL;

  if (n < 2)
    return NULL;

  for (guint i = 0; i < n && remembered != NULL && *remembered; i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      if (g_strcmp0 (gdk_monitor_get_connector (monitor), remembered) == 0)
        chosen = monitor;
    }

  if (chosen == NULL)
    {
      g_autoptr(GdkMonitor) second = g_list_model_get_item (monitors, 1);
      chosen = second;
    }

  return chosen;
}

/**
 * sm_dashboard_window_place:
 *
 * Shows the dashboard fullscreen on the chosen monitor, remembering it; with
 * one monitor, shows it as a normal window if the dashboard-visible setting
 * says so.
 */
void
sm_dashboard_window_place (SmDashboardWindow *self)
{
  GSettings *settings = sm_context_get_settings (self->context);
  g_autofree char *remembered = g_settings_get_string (settings, "dashboard-monitor");
  GdkMonitor *monitor;

  monitor = sm_dashboard_window_choose_monitor (gtk_widget_get_display (GTK_WIDGET (self)),
                                                remembered);
  if (monitor != NULL)
    {
      const char *connector = gdk_monitor_get_connector (monitor);

      if (connector != NULL)
        g_settings_set_string (settings, "dashboard-monitor", connector);
      self->fullscreen_on_monitor = TRUE;
      gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), monitor);
      gtk_window_present (GTK_WINDOW (self));
      return;
    }

  self->fullscreen_on_monitor = FALSE;
  gtk_window_set_default_size (GTK_WINDOW (self), 900, 640);
  if (g_settings_get_boolean (settings, "dashboard-visible"))
    gtk_window_present (GTK_WINDOW (self));
}

/**
 * sm_dashboard_window_toggle:
 *
 * Shows or hides the dashboard (F2), remembering the choice.
 */
void
sm_dashboard_window_toggle (SmDashboardWindow *self)
{
  GSettings *settings = sm_context_get_settings (self->context);
  gboolean visible = gtk_widget_get_visible (GTK_WIDGET (self));

  if (visible)
    gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  else
    gtk_window_present (GTK_WINDOW (self));

  if (!self->fullscreen_on_monitor)
    g_settings_set_boolean (settings, "dashboard-visible", !visible);
}
