/* sm-wallboard-window.c: the supervisor's team board
 *
 * Read-only and free of personal data: it shows counts, never a customer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-wallboard-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-wallboard-window.h"

struct _SmWallboardWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children */
  GtkLabel             *abandoned_label;
  GtkLabel             *agents_label;
  GtkLabel             *handled_label;
  GtkLabel             *offered_label;

  /* Owned references */
  SmContext            *context;

  /* State */
  guint                 tick_id;
};

G_DEFINE_FINAL_TYPE (SmWallboardWindow, sm_wallboard_window, GTK_TYPE_APPLICATION_WINDOW)

static void
set_count (SmStore    *store,
           GtkLabel   *label,
           const char *sql,
           gint64      since_ms)
{
  g_autoptr(sqlite3_stmt) stmt = sm_store_prepare (store, sql, NULL);
  g_autofree char *text = NULL;

  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, since_ms);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = g_strdup_printf ("%d", sqlite3_column_int (stmt, 0));
    }

  gtk_label_set_text (label, text ?: "—");
}

static void
reload (SmWallboardWindow *self)
{
  SmStore *store = sm_context_get_store (self->context);
  gint64 day = sm_now_ms () / (G_TIME_SPAN_DAY / 1000) * (G_TIME_SPAN_DAY / 1000);

  set_count (store, self->offered_label,
             "SELECT count(*) FROM contacts WHERE offered_ms >= ?1", day);
  set_count (store, self->handled_label,
             "SELECT count(*) FROM contacts WHERE offered_ms >= ?1 AND answered_ms IS NOT NULL"
             " AND ended_ms IS NOT NULL", day);
  set_count (store, self->abandoned_label,
             "SELECT count(*) FROM contacts WHERE offered_ms >= ?1 AND answered_ms IS NULL"
             " AND ended_ms IS NOT NULL", day);
  set_count (store, self->agents_label,
             "SELECT count(DISTINCT agent) FROM agent_states WHERE end_ms IS NULL"
             " AND state <> 'offline' AND start_ms >= ?1 - 86400000", day);
}

static gboolean
tick_cb (gpointer user_data)
{
  reload (SM_WALLBOARD_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
sm_wallboard_window_dispose (GObject *object)
{
  SmWallboardWindow *self = (SmWallboardWindow *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_WALLBOARD_WINDOW);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_wallboard_window_parent_class)->dispose (object);
}

static void
sm_wallboard_window_class_init (SmWallboardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_wallboard_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/sm-wallboard-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, abandoned_label);
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, agents_label);
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, handled_label);
  gtk_widget_class_bind_template_child (widget_class, SmWallboardWindow, offered_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_CONTROL_MASK,
                                       "app.quit", NULL);
}

static void
sm_wallboard_window_init (SmWallboardWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SmWallboardWindow *
sm_wallboard_window_new (SmApplication *app,
                         SmContext     *context)
{
  SmWallboardWindow *self = g_object_new (SM_TYPE_WALLBOARD_WINDOW, "application", app, NULL);

  self->context = g_object_ref (context);
  reload (self);
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);

  return self;
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

  if (monitor >= 0 && (guint)monitor < g_list_model_get_n_items (monitors))
    {
      g_autoptr(GdkMonitor) m = g_list_model_get_item (monitors, monitor);
      gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), m);
    }
  else
    {
      gtk_window_fullscreen (GTK_WINDOW (self));
    }

  gtk_window_present (GTK_WINDOW (self));
}
