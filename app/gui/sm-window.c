/* sm-window.c: the agent's desk on monitor 1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-assist-panel.h"
#include "sm-call-panel.h"
#include "sm-window.h"
#include "sm-work-order-panel.h"

/* The states an agent picks by hand; on_contact and acw follow the calls */
static const SmAgentState selectable_states[] = {
  SM_AGENT_STATE_AVAILABLE,
  SM_AGENT_STATE_BREAK,
  SM_AGENT_STATE_LUNCH,
  SM_AGENT_STATE_MEETING,
  SM_AGENT_STATE_TRAINING,
  SM_AGENT_STATE_OFFLINE,
};

struct _SmWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children */
  GtkLabel             *agent_label;
  SmAssistPanel        *assist_panel;
  GtkPaned             *assist_paned;
  GtkLabel             *banner_label;
  GtkRevealer          *banner_revealer;
  SmCallPanel          *call_panel;
  GtkPaned             *outer_paned;
  GtkDropDown          *state_dropdown;
  GtkLabel             *state_time_label;
  SmWorkOrderPanel     *work_order_panel;

  /* Owned references */
  SmContext            *context;

  /* State */
  guint                 tick_id;
  gboolean              updating_state;
};

G_DEFINE_FINAL_TYPE (SmWindow, sm_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

/* The header shows the state the store has for the agent. The selector
 * holds the states an agent picks; on a call or in after-call work (set by
 * the calls, not by hand) the label says so beside the selector. */
/* The header shows the state the store has for the agent. The selector
 * holds the states an agent picks; on a call or in after-call work (set by
 * the calls, not by hand) the label says so beside the selector. */
static void
sync_state_dropdown (SmWindow *self)
{
  g_autofree char *elapsed = NULL;
  g_autofree char *text = NULL;
  SmAgentState state;
  gboolean automatic;
  gint64 since;

  if (!sm_store_get_agent_state (sm_context_get_store (self->context),
                                 sm_context_get_agent_id (self->context), &state, &since))
    {
      gtk_label_set_text (self->state_time_label, "");
      return;
    }

  automatic = state == SM_AGENT_STATE_ON_CONTACT || state == SM_AGENT_STATE_ACW;

  for (guint i = 0; i < G_N_ELEMENTS (selectable_states); i++)
    {
      if (selectable_states[i] == (automatic ? SM_AGENT_STATE_AVAILABLE : state) &&
          gtk_drop_down_get_selected (self->state_dropdown) != i)
        {
          self->updating_state = TRUE;
          gtk_drop_down_set_selected (self->state_dropdown, i);
          self->updating_state = FALSE;
          break;
        }
    }

  since = MAX (0, sm_now_ms () - since) / 1000;
  if (since >= 3600)
    elapsed = g_strdup_printf ("%d:%02d:%02d", (int)(since / 3600), (int)(since / 60 % 60),
                               (int)(since % 60));
  else
    elapsed = g_strdup_printf ("%02d:%02d", (int)(since / 60), (int)(since % 60));

  if (automatic)
    {
      text = g_strdup_printf ("%s · %s", sm_agent_state_get_label (state), elapsed);
      gtk_widget_add_css_class (GTK_WIDGET (self->state_time_label), "automatic-state");
    }
  else
    {
      text = g_steal_pointer (&elapsed);
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_time_label), "automatic-state");
    }

  gtk_label_set_text (self->state_time_label, text);
}

static void
set_agent_state (SmWindow     *self,
                 SmAgentState  state)
{
  g_autoptr(GError) error = NULL;

  if (!sm_store_record_agent_state (sm_context_get_store (self->context),
                                    sm_context_get_agent_id (self->context),
                                    state, sm_now_ms (), &error))
    {
      g_autofree char *message = g_strdup_printf (_("The agent state was not saved: %s"),
                                                  error->message);
      sm_window_show_banner (self, message);
    }

  sync_state_dropdown (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  /* Calls change the state too: follow the store */
  sync_state_dropdown (SM_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

/* Callbacks */

static void
state_dropdown_selected_cb (SmWindow    *self,
                            GParamSpec  *pspec,
                            GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating_state || selected >= G_N_ELEMENTS (selectable_states))
    return;

  set_agent_state (self, selectable_states[selected]);
}

static void
banner_close_clicked_cb (SmWindow  *self,
                         GtkButton *button)
{
  sm_window_hide_banner (self);
}

/* The assist pane feeds the work order, and the notes feed the assist pane */

static void
assist_use_wording_cb (SmWorkOrderPanel *panel,
                       const char       *text,
                       SmAssistPanel    *assist)
{
  sm_work_order_panel_insert_notes (panel, text);
}

static void
assist_article_used_cb (SmWorkOrderPanel *panel,
                        const char       *article_id,
                        SmAssistPanel    *assist)
{
  sm_work_order_panel_link_article (panel, article_id, NULL);
}

static void
work_order_notes_changed_cb (SmAssistPanel    *assist,
                             const char       *text,
                             SmWorkOrderPanel *panel)
{
  sm_assist_panel_set_notes_text (assist, text);
}

/* Actions */

static void
agent_state_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SmWindow *self = SM_WINDOW (widget);
  SmAgentState state;

  if (sm_agent_state_from_string (g_variant_get_string (param, NULL), &state))
    set_agent_state (self, state);
}

static void
agent_choose_state_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  SmWindow *self = SM_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->state_dropdown));
  gtk_widget_activate (GTK_WIDGET (self->state_dropdown));
}

static void
desk_focus_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SmWindow *self = SM_WINDOW (widget);
  const char *pane = g_variant_get_string (param, NULL);

  if (g_str_equal (pane, "call"))
    gtk_widget_child_focus (GTK_WIDGET (self->call_panel), GTK_DIR_TAB_FORWARD);
  else if (g_str_equal (pane, "assist"))
    gtk_widget_child_focus (GTK_WIDGET (self->assist_panel), GTK_DIR_TAB_FORWARD);
  else if (g_str_equal (pane, "work-order"))
    gtk_widget_child_focus (GTK_WIDGET (self->work_order_panel), GTK_DIR_TAB_FORWARD);
}

static void
desk_call_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  g_autofree char *name = g_strdup_printf ("call.%s", g_variant_get_string (param, NULL));

  /* Call keys work wherever the focus is on the desk */
  gtk_widget_activate_action (GTK_WIDGET (SM_WINDOW (widget)->call_panel), name, NULL);
}

/* The call keys work wherever the focus is, even in a text field (whose
 * own Ctrl+Shift+A would win in the bubble phase): capture phase. */
static void
add_call_shortcuts (SmWindow *self)
{
  static const struct { guint key; const char *action; } call_keys[] = {
    { GDK_KEY_a, "answer" },   { GDK_KEY_h, "hold" },   { GDK_KEY_m, "mute" },
    { GDK_KEY_t, "transfer" }, { GDK_KEY_d, "keypad" }, { GDK_KEY_e, "hang-up" },
    { GDK_KEY_r, "ready" },    { GDK_KEY_n, "new-customer" }, { GDK_KEY_b, "call-back" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (call_keys); i++)
    {
      /* Both cases: some keymaps report the shifted letter, some do not */
      guint keys[] = { call_keys[i].key, gdk_keyval_to_upper (call_keys[i].key) };

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          GtkShortcut *shortcut =
            gtk_shortcut_new (gtk_keyval_trigger_new (keys[k], GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                              gtk_named_action_new ("desk.call"));

          gtk_shortcut_set_arguments (shortcut, g_variant_new_string (call_keys[i].action));
          gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
        }
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
desk_search_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  sm_assist_panel_focus_search (SM_WINDOW (widget)->assist_panel);
}

/* GObject */

static void
sm_window_constructed (GObject *object)
{
  SmWindow *self = SM_WINDOW (object);
  GSettings *settings = sm_context_get_settings (self->context);
  g_autoptr(GtkStringList) states = gtk_string_list_new (NULL);
  g_autofree char *agent_name = NULL;
  SmAgentState current;

  G_OBJECT_CLASS (sm_window_parent_class)->constructed (object);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "pane-call-position", self->outer_paned, "position",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "pane-assist-position", self->assist_paned, "position",
                   G_SETTINGS_BIND_DEFAULT);

  agent_name = sm_context_dup_agent_name (self->context);
  gtk_label_set_text (self->agent_label, agent_name);

  for (guint i = 0; i < G_N_ELEMENTS (selectable_states); i++)
    gtk_string_list_append (states, sm_agent_state_get_label (selectable_states[i]));
  gtk_drop_down_set_model (self->state_dropdown, G_LIST_MODEL (states));

  /* Starting the desk logs the agent in: available, unless a state is open */
  if (!sm_store_get_agent_state (sm_context_get_store (self->context),
                                 sm_context_get_agent_id (self->context), &current, NULL))
    set_agent_state (self, SM_AGENT_STATE_AVAILABLE);
  else
    sync_state_dropdown (self);

  g_signal_connect_object (self->state_dropdown, "notify::selected",
                           G_CALLBACK (state_dropdown_selected_cb), self, G_CONNECT_SWAPPED);

  sm_call_panel_set_context (self->call_panel, self->context);
  sm_assist_panel_set_context (self->assist_panel, self->context);
  sm_work_order_panel_set_context (self->work_order_panel, self->context);

  g_signal_connect_object (self->assist_panel, "use-wording",
                           G_CALLBACK (assist_use_wording_cb), self->work_order_panel,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->assist_panel, "article-used",
                           G_CALLBACK (assist_article_used_cb), self->work_order_panel,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->work_order_panel, "notes-changed",
                           G_CALLBACK (work_order_notes_changed_cb), self->assist_panel,
                           G_CONNECT_SWAPPED);

  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}

static void
sm_window_dispose (GObject *object)
{
  SmWindow *self = (SmWindow *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_WINDOW);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_window_parent_class)->dispose (object);
}

static void
sm_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SmWindow *self = SM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SmWindow *self = SM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_window_class_init (SmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct { guint key; const char *state; } state_keys[] = {
    { GDK_KEY_1, "available" }, { GDK_KEY_2, "break" },   { GDK_KEY_3, "lunch" },
    { GDK_KEY_4, "meeting" },   { GDK_KEY_5, "training" }, { GDK_KEY_6, "offline" },
  };

  object_class->constructed = sm_window_constructed;
  object_class->dispose = sm_window_dispose;
  object_class->get_property = sm_window_get_property;
  object_class->set_property = sm_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, SM_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/sm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmWindow, agent_label);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, assist_panel);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, assist_paned);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, call_panel);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, outer_paned);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, state_time_label);
  gtk_widget_class_bind_template_child (widget_class, SmWindow, work_order_panel);
  gtk_widget_class_bind_template_callback (widget_class, banner_close_clicked_cb);

  gtk_widget_class_install_action (widget_class, "agent.state", "s", agent_state_action);
  gtk_widget_class_install_action (widget_class, "agent.choose-state", NULL,
                                   agent_choose_state_action);
  gtk_widget_class_install_action (widget_class, "desk.focus", "s", desk_focus_action);
  gtk_widget_class_install_action (widget_class, "desk.call", "s", desk_call_action);
  gtk_widget_class_install_action (widget_class, "desk.search", NULL, desk_search_action);

  for (guint i = 0; i < G_N_ELEMENTS (state_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, state_keys[i].key,
                                         GDK_CONTROL_MASK | GDK_ALT_MASK,
                                         "agent.state", "s", state_keys[i].state);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F4, 0, "agent.choose-state", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "desk.focus", "s", "call");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "desk.focus", "s", "assist");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "desk.focus", "s", "work-order");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                       "desk.search", NULL);

  g_type_ensure (SM_TYPE_ASSIST_PANEL);
  g_type_ensure (SM_TYPE_CALL_PANEL);
  g_type_ensure (SM_TYPE_WORK_ORDER_PANEL);
}

static void
sm_window_init (SmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_call_shortcuts (self);
}

/* Public API */

SmWindow *
sm_window_new (SmApplication *app,
               SmContext     *context)
{
  return g_object_new (SM_TYPE_WINDOW,
                       "application", app,
                       "context", context,
                       NULL);
}

SmContext *
sm_window_get_context (SmWindow *self)
{
  g_return_val_if_fail (SM_IS_WINDOW (self), NULL);
  return self->context;
}

/**
 * sm_window_show_banner:
 *
 * Shows @message in the banner under the header bar until it is closed.
 */
void
sm_window_show_banner (SmWindow   *self,
                       const char *message)
{
  g_return_if_fail (SM_IS_WINDOW (self));

  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

void
sm_window_hide_banner (SmWindow *self)
{
  g_return_if_fail (SM_IS_WINDOW (self));
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}
