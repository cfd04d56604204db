/* sm-call-panel.c: the live call and who is calling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-call-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-call-panel.h"
#include "sm-customer.h"

struct _SmCallPanel
{
  GtkWidget    parent_instance;

  /* Template children */
  GtkLabel    *caller_label;
  GtkListBox  *cards_list;
  GtkListBox  *contacts_list;
  GtkWidget   *customer_box;
  GtkLabel    *customer_meta_label;
  GtkLabel    *flags_label;
  GtkLabel    *number_label;
  GtkLabel    *open_orders_label;
  GtkLabel    *state_label;
  GtkStack    *stack;
  GtkLabel    *timer_label;

  /* Owned references */
  SmContext   *context;
  SmCall      *call;
  SmCustomer  *customer;

  /* State */
  guint        tick_id;
};

G_DEFINE_FINAL_TYPE (SmCallPanel, sm_call_panel, GTK_TYPE_WIDGET)

static const char *call_actions[] = {
  "call.answer", "call.hold", "call.mute", "call.transfer", "call.keypad", "call.hang-up",
};

/* Helpers */

static char *
format_duration (gint64 seconds)
{
  seconds = MAX (0, seconds);
  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int)(seconds / 3600), (int)(seconds / 60 % 60),
                            (int)(seconds % 60));
  return g_strdup_printf ("%02d:%02d", (int)(seconds / 60), (int)(seconds % 60));
}

static const char *
flag_label (const char *flag)
{
  if (g_str_equal (flag, "fraud_watch"))
    return _("Fraud watch");
  if (g_str_equal (flag, "vulnerable"))
    return _("Vulnerable customer");
  if (g_str_equal (flag, "vip"))
    return _("VIP");
  if (g_str_equal (flag, "complaint_history"))
    return _("Repeat complainer");
  if (g_str_equal (flag, "regulatory_complaint"))
    return _("Open regulatory complaint");
  return flag;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_list_row (GtkListBox *list,
              const char *title,
              const char *subtitle)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);
  if (subtitle != NULL)
    {
      GtkWidget *sub = gtk_label_new (subtitle);
      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (box), sub);
    }
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  gtk_list_box_append (list, row);
}

static void
update_timer (SmCallPanel *self)
{
  g_autofree char *text = NULL;

  if (self->call == NULL)
    return;

  text = format_duration ((sm_now_ms () - sm_call_get_state_since (self->call)) / 1000);
  gtk_label_set_text (self->timer_label, text);
}

static void
update_actions (SmCallPanel *self)
{
  SmCallState state = self->call != NULL ? sm_call_get_state (self->call) : SM_CALL_STATE_ENDED;

  /* Call control needs a telephony source; without one every control
   * stays visible and greyed out. */
  for (guint i = 0; i < G_N_ELEMENTS (call_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), call_actions[i], FALSE);

  (void)state;
}

static void
show_customer (SmCallPanel *self)
{
  g_autoptr(GString) flags = g_string_new (NULL);
  g_autofree char *meta = NULL;
  g_autofree char *orders = NULL;
  const char * const *cards;
  const char * const *flag_ids;
  GPtrArray *contacts;

  clear_list (self->cards_list);
  clear_list (self->contacts_list);

  if (self->customer == NULL)
    {
      gtk_widget_set_visible (self->customer_box, FALSE);
      return;
    }

  gtk_widget_set_visible (self->customer_box, TRUE);

  meta = g_strdup_printf (_("%s · customer since %s"),
                          sm_customer_get_segment (self->customer) ?: _("No segment"),
                          sm_customer_get_since (self->customer) ?: "—");
  gtk_label_set_text (self->customer_meta_label, meta);

  flag_ids = sm_customer_get_flags (self->customer);
  for (guint i = 0; flag_ids[i] != NULL; i++)
    {
      if (flags->len > 0)
        g_string_append (flags, " · ");
      g_string_append (flags, flag_label (flag_ids[i]));
    }
  gtk_label_set_text (self->flags_label, flags->str);
  gtk_widget_set_visible (GTK_WIDGET (self->flags_label), flags->len > 0);

  orders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open work order",
                                         "%u open work orders",
                                         sm_customer_get_open_work_orders (self->customer)),
                            sm_customer_get_open_work_orders (self->customer));
  gtk_label_set_text (self->open_orders_label, orders);

  cards = sm_customer_get_cards (self->customer);
  for (guint i = 0; cards[i] != NULL; i++)
    add_list_row (self->cards_list, cards[i], NULL);

  contacts = sm_customer_get_recent_contacts (self->customer);
  for (guint i = 0; i < contacts->len; i++)
    {
      SmCustomerContact *contact = g_ptr_array_index (contacts, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (contact->offered_ms / 1000);
      g_autofree char *when = g_date_time_format (dt, "%Y-%m-%d %H:%M");
      g_autofree char *sub = g_strdup_printf ("%s · %s", when,
                                              contact->disposition ?: _("no outcome"));

      add_list_row (self->contacts_list, contact->reason ?: _("No reason recorded"), sub);
    }
  if (contacts->len == 0)
    add_list_row (self->contacts_list, _("No earlier contacts"), NULL);
}

static void
show_call (SmCallPanel *self)
{
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->customer);

  if (self->call == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "idle");
      update_actions (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "call");
  gtk_label_set_text (self->state_label, sm_call_state_get_label (sm_call_get_state (self->call)));
  gtk_label_set_text (self->number_label, sm_call_get_number (self->call));

  customers = sm_customer_lookup_number (sm_context_get_store (self->context),
                                         sm_call_get_number (self->call), &error);
  if (customers == NULL)
    g_warning ("Customer lookup failed: %s", error->message);
  else if (customers->len > 0)
    self->customer = g_object_ref (g_ptr_array_index (customers, 0));

  gtk_label_set_text (self->caller_label,
                      self->customer != NULL ? sm_customer_get_name (self->customer)
                      : sm_call_get_name (self->call) != NULL ? sm_call_get_name (self->call)
                      : _("Unknown caller"));

  show_customer (self);
  update_timer (self);
  update_actions (self);
}

/* Callbacks */

static void
current_call_changed_cb (SmCallPanel *self,
                         GParamSpec  *pspec,
                         SmCallList  *calls)
{
  g_set_object (&self->call, sm_call_list_get_current (calls));
  show_call (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  update_timer (SM_CALL_PANEL (user_data));
  return G_SOURCE_CONTINUE;
}

static void
call_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  /* Enabled only when a telephony source can carry the command out */
}

/* GObject */

static void
sm_call_panel_dispose (GObject *object)
{
  SmCallPanel *self = (SmCallPanel *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_CALL_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->customer);
  g_clear_object (&self->call);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_call_panel_parent_class)->dispose (object);
}

static void
sm_call_panel_class_init (SmCallPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_call_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/sm-call-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "callpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, caller_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, cards_list);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, contacts_list);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, customer_box);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, customer_meta_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, flags_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, number_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, open_orders_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, timer_label);

  for (guint i = 0; i < G_N_ELEMENTS (call_actions); i++)
    gtk_widget_class_install_action (widget_class, call_actions[i], NULL, call_action);
}

static void
sm_call_panel_init (SmCallPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

void
sm_call_panel_set_context (SmCallPanel *self,
                           SmContext   *context)
{
  SmCallList *calls;

  g_return_if_fail (SM_IS_CALL_PANEL (self));
  g_return_if_fail (self->context == NULL);

  self->context = g_object_ref (context);
  calls = sm_context_get_calls (context);
  g_signal_connect_object (calls, "notify::current",
                           G_CALLBACK (current_call_changed_cb), self, G_CONNECT_SWAPPED);
  current_call_changed_cb (self, NULL, calls);

  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}
