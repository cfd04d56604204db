/* sm-work-order-panel.c: the one-screen work order and the agent's recent ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-work-order-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-work-order-panel.h"

struct _SmWorkOrderPanel
{
  GtkWidget   parent_instance;

  /* Template children */
  GtkListBox *recent_list;

  /* Owned references */
  SmContext  *context;
};

G_DEFINE_FINAL_TYPE (SmWorkOrderPanel, sm_work_order_panel, GTK_TYPE_WIDGET)

static const char *
status_label (const char *status)
{
  static const struct { const char *id; const char *label; } statuses[] = {
    { "received", N_("Received") },
    { "dispatched", N_("Dispatched") },
    { "in_progress", N_("In progress") },
    { "resolved", N_("Resolved") },
    { "informed", N_("Customer informed") },
    { "closed", N_("Closed") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (status, statuses[i].id) == 0)
      return _(statuses[i].label);

  return status;
}

static GtkWidget *
create_row (const char *id,
            const char *summary,
            const char *status,
            const char *customer,
            gint64      created_ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (created_ms / 1000);
  g_autofree char *when = g_date_time_format (dt, "%m-%d %H:%M");
  g_autofree char *sub = g_strdup_printf ("%s · %s · %s", id, customer ?: "—", when);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *title = gtk_label_new (summary);
  GtkWidget *subtitle = gtk_label_new (sub);
  GtkWidget *badge = gtk_label_new (status_label (status));

  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_widget_set_margin_start (grid, 8);
  gtk_widget_set_margin_end (grid, 8);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (badge, "status-badge");
  gtk_widget_add_css_class (badge, status);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);

  gtk_grid_attach (GTK_GRID (grid), title, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), subtitle, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), badge, 1, 0, 1, 2);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  summary, -1);
  return row;
}

static void
reload_recent (SmWorkOrderPanel *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  stmt = sm_store_prepare (sm_context_get_store (self->context),
                           "SELECT w.id, w.summary, w.status, c.name, w.created_ms"
                           " FROM work_orders w LEFT JOIN customers c ON c.id = w.customer_id"
                           " WHERE w.agent = ?1 ORDER BY w.created_ms DESC LIMIT 20",
                           &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot list work orders: %s", error->message);
      return;
    }

  sqlite3_bind_text (stmt, 1, sm_context_get_agent_id (self->context), -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gtk_list_box_append (self->recent_list,
                           create_row ((const char *)sqlite3_column_text (stmt, 0),
                                       (const char *)sqlite3_column_text (stmt, 1),
                                       (const char *)sqlite3_column_text (stmt, 2),
                                       (const char *)sqlite3_column_text (stmt, 3),
                                       sqlite3_column_int64 (stmt, 4)));
      n++;
    }

  if (n == 0)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (_("No work orders filed yet"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->recent_list, row);
    }
}

static void
sm_work_order_panel_dispose (GObject *object)
{
  SmWorkOrderPanel *self = (SmWorkOrderPanel *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_WORK_ORDER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_work_order_panel_parent_class)->dispose (object);
}

static void
sm_work_order_panel_class_init (SmWorkOrderPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_work_order_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/sm-work-order-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "workorderpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, recent_list);
}

static void
sm_work_order_panel_init (SmWorkOrderPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
sm_work_order_panel_set_context (SmWorkOrderPanel *self,
                                 SmContext        *context)
{
  g_return_if_fail (SM_IS_WORK_ORDER_PANEL (self));
  g_return_if_fail (self->context == NULL);

  self->context = g_object_ref (context);
  reload_recent (self);
}
