/* sm-assist-panel.c: knowledge that follows the call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-assist-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-assist-panel.h"

struct _SmAssistPanel
{
  GtkWidget       parent_instance;

  /* Template children */
  GtkSearchEntry *search_entry;
  GtkStack       *stack;

  /* Owned references */
  SmContext      *context;
};

G_DEFINE_FINAL_TYPE (SmAssistPanel, sm_assist_panel, GTK_TYPE_WIDGET)

static void
sm_assist_panel_dispose (GObject *object)
{
  SmAssistPanel *self = (SmAssistPanel *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_ASSIST_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_assist_panel_parent_class)->dispose (object);
}

static void
sm_assist_panel_class_init (SmAssistPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_assist_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/sm-assist-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "assistpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, stack);
}

static void
sm_assist_panel_init (SmAssistPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
sm_assist_panel_set_context (SmAssistPanel *self,
                             SmContext     *context)
{
  g_return_if_fail (SM_IS_ASSIST_PANEL (self));
  g_return_if_fail (self->context == NULL);

  self->context = g_object_ref (context);
}

/**
 * sm_assist_panel_focus_search:
 *
 * Moves the keyboard focus to the knowledge search, selecting what was typed.
 */
void
sm_assist_panel_focus_search (SmAssistPanel *self)
{
  g_return_if_fail (SM_IS_ASSIST_PANEL (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}
