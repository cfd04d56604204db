/* sm-call-panel.c: the live call and who is calling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pane shows the current call (state, timer, direction, caller), pops
 * the customer's context from the store the moment it rings, raises the
 * high-risk banner, and carries every call control on a button and a key.
 * Controls that do not apply are greyed out, never hidden. All call logic
 * lives in SmCallController (core); this widget only shows and asks.
 */

#define G_LOG_DOMAIN "sm-call-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-call-controller.h"
#include "sm-call-journal.h"
#include "sm-call-panel.h"
#include "sm-customer.h"
#include "sm-labels.h"
#include "sm-risk.h"
#include "sm-window.h"

struct _SmCallPanel
{
  GtkWidget         parent_instance;

  /* Template children */
  GtkBox           *acw_box;
  GtkLabel         *acw_label;
  GtkLabel         *caller_label;
  GtkListBox       *cards_list;
  GtkLabel         *connection_label;
  GtkListBox       *contacts_list;
  GtkWidget        *customer_box;
  GtkLabel         *customer_meta_label;
  GtkLabel         *dtmf_label;
  GtkLabel         *flags_label;
  GtkBox           *held_box;
  GtkListBox       *held_list;
  GtkButton        *hold_button;
  GtkListBox       *journal_list;
  GtkGrid          *keypad_grid;
  GtkRevealer      *keypad_revealer;
  GtkBox           *matches_box;
  GtkListBox       *matches_list;
  GtkButton        *mute_button;
  GtkLabel         *number_label;
  GtkLabel         *open_orders_label;
  GtkLabel         *risk_label;
  GtkStack         *stack;
  GtkLabel         *state_label;
  GtkLabel         *timer_label;
  GtkEntry         *transfer_entry;
  GtkRevealer      *transfer_revealer;
  GtkBox           *unknown_box;

  /* Owned references */
  SmContext        *context;
  SmCallController *controller;
  SmCall           *call;
  SmCustomer       *customer;
  GPtrArray        *journal;
  GString          *sent_digits;

  /* State */
  guint             tick_id;
  gulong            active_handler;
  GtkWindow        *watched_window;
};

G_DEFINE_FINAL_TYPE (SmCallPanel, sm_call_panel, GTK_TYPE_WIDGET)

static const char *call_actions[] = {
  "call.answer", "call.hold", "call.mute", "call.transfer", "call.keypad", "call.hang-up",
  "call.ready", "call.new-customer", "call.call-back",
};

static void show_call (SmCallPanel *self);

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

static GtkWidget *
add_list_row (GtkListBox *list,
              const char *title,
              const char *subtitle,
              gboolean    activatable)
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
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), activatable);
  gtk_widget_set_focusable (row, activatable);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  gtk_list_box_append (list, row);
  return row;
}

static SmWindow *
get_window (SmCallPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return root != NULL && SM_IS_WINDOW (root) ? SM_WINDOW (root) : NULL;
}

static void
show_message (SmCallPanel *self,
              const char  *message)
{
  SmWindow *window = get_window (self);

  if (window != NULL)
    sm_window_show_banner (window, message);
  else
    g_message ("%s", message);
}

static gboolean
can (SmCallPanel  *self,
     SmCtiCommand  command)
{
  return self->controller != NULL && sm_call_controller_can (self->controller, command, self->call);
}

static void
update_timer (SmCallPanel *self)
{
  g_autofree char *text = NULL;
  gint64 now = sm_now_ms ();

  if (self->call == NULL)
    return;

  text = format_duration ((now - sm_call_get_state_since (self->call)) / 1000);
  gtk_label_set_text (self->timer_label, text);

  if (sm_call_get_state (self->call) == SM_CALL_STATE_ACW)
    {
      gint64 deadline = self->controller != NULL
                        ? sm_call_controller_get_acw_deadline (self->controller, self->call) : 0;
      g_autofree char *left = deadline > 0 ? format_duration ((deadline - now + 999) / 1000) : NULL;
      g_autofree char *acw = left != NULL
                             ? g_strdup_printf (_("After-call work: %s left, then you are available"), left)
                             : g_strdup (_("After-call work: press Ready when done"));

      gtk_label_set_text (self->acw_label, acw);
    }
}

static void
update_actions (SmCallPanel *self)
{
  gboolean held = self->call != NULL && sm_call_get_state (self->call) == SM_CALL_STATE_HELD;
  gboolean muted = self->controller != NULL && self->call != NULL &&
                   sm_call_controller_get_muted (self->controller, self->call);
  gboolean in_call = can (self, SM_CTI_COMMAND_DTMF);
  gboolean journal = self->journal != NULL && self->journal->len > 0 &&
                     self->controller != NULL && sm_call_controller_can (self->controller,
                                                                         SM_CTI_COMMAND_DIAL, NULL);
  GPtrArray *matches = self->controller != NULL && self->call != NULL
                       ? sm_call_controller_get_matches (self->controller, self->call) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.answer", can (self, SM_CTI_COMMAND_ANSWER));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.hold",
                                 can (self, held ? SM_CTI_COMMAND_RESUME : SM_CTI_COMMAND_HOLD));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.mute", can (self, SM_CTI_COMMAND_MUTE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.transfer", can (self, SM_CTI_COMMAND_TRANSFER));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.keypad", in_call);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.hang-up", can (self, SM_CTI_COMMAND_HANGUP));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.ready",
                                 self->call != NULL &&
                                 sm_call_get_state (self->call) == SM_CALL_STATE_ACW);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.new-customer",
                                 self->call != NULL && self->customer == NULL &&
                                 matches != NULL && matches->len == 0 &&
                                 sm_call_get_state (self->call) != SM_CALL_STATE_ENDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.call-back", journal);

  gtk_button_set_label (self->hold_button, held ? _("Res_ume") : _("H_old"));
  gtk_button_set_label (self->mute_button, muted ? _("Un_mute") : _("_Mute"));

  if (!in_call)
    {
      gtk_revealer_set_reveal_child (self->transfer_revealer, FALSE);
      gtk_revealer_set_reveal_child (self->keypad_revealer, FALSE);
    }
}

static void
update_connection (SmCallPanel *self)
{
  g_autofree char *text = NULL;

  if (self->controller == NULL || sm_call_controller_get_source (self->controller) == NULL)
    text = g_strdup (_("No call source is set up: calls cannot be taken here."));
  else if (sm_call_controller_get_connected (self->controller))
    text = g_strdup (_("Telephony connected."));
  else
    text = g_strdup (_("Softphone disconnected: reconnecting…"));

  gtk_label_set_text (self->connection_label, text);
}

static void
show_journal (SmCallPanel *self)
{
  g_autoptr(GError) error = NULL;

  clear_list (self->journal_list);
  g_clear_pointer (&self->journal, g_ptr_array_unref);
  if (self->context == NULL)
    return;

  self->journal = sm_call_journal_list (sm_context_get_store (self->context),
                                        sm_context_get_agent_id (self->context),
                                        sm_now_ms (), &error);
  if (self->journal == NULL)
    {
      g_warning ("Cannot read the call journal: %s", error->message);
      return;
    }

  for (guint i = 0; i < self->journal->len && i < 8; i++)
    {
      SmJournalEntry *entry = g_ptr_array_index (self->journal, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (entry->at_ms / 1000);
      g_autofree char *when = g_date_time_format (dt, "%H:%M");
      g_autofree char *title = g_strdup_printf ("%s · %s", sm_journal_kind_get_label (entry->kind),
                                                entry->customer_name ?: entry->number ?: "");
      g_autofree char *sub = g_strdup_printf ("%s · %s%s%s", when, entry->number ?: "",
                                              entry->note ? " · " : "", entry->note ?: "");

      add_list_row (self->journal_list, title, sub, TRUE);
    }
  if (self->journal->len == 0)
    add_list_row (self->journal_list, _("Nothing to call back"), NULL, FALSE);
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
    add_list_row (self->cards_list, cards[i], NULL, FALSE);

  contacts = sm_customer_get_recent_contacts (self->customer);
  for (guint i = 0; i < contacts->len; i++)
    {
      SmCustomerContact *contact = g_ptr_array_index (contacts, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (contact->offered_ms / 1000);
      g_autofree char *when = g_date_time_format (dt, "%Y-%m-%d %H:%M");
      g_autofree char *sub = g_strdup_printf ("%s · %s", when,
                                              sm_outcome_label (contact->disposition));
      g_autofree char *reason = contact->reason != NULL && *contact->reason != '\0'
                                  ? sm_intent_title (contact->reason) : NULL;

      add_list_row (self->contacts_list, reason ?: _("No reason recorded"), sub, FALSE);
    }
  if (contacts->len == 0)
    add_list_row (self->contacts_list, _("No earlier contacts"), NULL, FALSE);
}

static void
show_risks (SmCallPanel *self)
{
  GPtrArray *risks = self->controller != NULL && self->call != NULL
                     ? sm_call_controller_get_risks (self->controller, self->call) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; risks != NULL && i < risks->len; i++)
    {
      SmRiskAlert *alert = g_ptr_array_index (risks, i);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "⚠ %s", sm_risk_alert_get_label (alert));
      if (alert->note != NULL && *alert->note != '\0')
        g_string_append_printf (text, ": %s", alert->note);
    }

  gtk_label_set_text (self->risk_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->risk_label), text->len > 0);
}

static void
show_matches (SmCallPanel *self)
{
  GPtrArray *matches = self->controller != NULL && self->call != NULL
                       ? sm_call_controller_get_matches (self->controller, self->call) : NULL;
  gboolean picking = matches != NULL && matches->len > 1 && self->customer == NULL;

  clear_list (self->matches_list);
  for (guint i = 0; picking && i < matches->len; i++)
    {
      SmCustomer *customer = g_ptr_array_index (matches, i);
      g_autofree char *sub = g_strdup_printf ("%s · %s", sm_customer_get_id (customer),
                                              sm_customer_get_segment (customer) ?: "");
      GtkWidget *row = add_list_row (self->matches_list, sm_customer_get_name (customer), sub, TRUE);

      g_object_set_data_full (G_OBJECT (row), "customer-id",
                              g_strdup (sm_customer_get_id (customer)), g_free);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->matches_box), picking);
  gtk_widget_set_visible (GTK_WIDGET (self->unknown_box),
                          matches != NULL && matches->len == 0 && self->customer == NULL);
}

static void
show_other_calls (SmCallPanel *self)
{
  SmCallList *calls;
  guint n;
  gboolean any = FALSE;

  clear_list (self->held_list);
  if (self->context == NULL)
    return;

  calls = sm_context_get_calls (self->context);
  n = g_list_model_get_n_items (G_LIST_MODEL (calls));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SmCall) call = g_list_model_get_item (G_LIST_MODEL (calls), i);
      g_autofree char *sub = NULL;
      GtkWidget *row;

      if (call == self->call)
        continue;

      sub = g_strdup_printf ("%s · %s", sm_call_state_get_label (sm_call_get_state (call)),
                             sm_call_get_number (call) ?: "");
      row = add_list_row (self->held_list,
                          sm_call_get_name (call) ?: sm_call_get_number (call) ?: _("Unknown caller"),
                          sub, TRUE);
      g_object_set_data_full (G_OBJECT (row), "call", g_object_ref (call), g_object_unref);
      any = TRUE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->held_box), any);
}

static void
show_state (SmCallPanel *self)
{
  g_autofree char *text = NULL;
  SmCallState state;

  if (self->call == NULL)
    return;

  state = sm_call_get_state (self->call);
  text = g_strdup_printf ("%s · %s", sm_call_state_get_label (state),
                          sm_call_get_direction (self->call) == SM_CALL_DIRECTION_OUTBOUND
                          ? _("Outbound") : _("Inbound"));
  gtk_label_set_text (self->state_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->acw_box), state == SM_CALL_STATE_ACW);
  {
    const char *keyed = sm_call_get_dtmf (self->call);
    g_autofree char *digits = NULL;

    if (*keyed && self->sent_digits->len > 0)
      digits = g_strdup_printf (_("Caller keyed %s · you sent %s"), keyed, self->sent_digits->str);
    else if (*keyed)
      digits = g_strdup_printf (_("Caller keyed %s"), keyed);
    else if (self->sent_digits->len > 0)
      digits = g_strdup_printf (_("You sent %s"), self->sent_digits->str);
    else
      digits = g_strdup (_("Type digits or press the keys to send them"));
    gtk_label_set_text (self->dtmf_label, digits);
  }
  update_timer (self);
  update_actions (self);
  show_other_calls (self);
}

static void
show_call (SmCallPanel *self)
{
  g_autoptr(GError) error = NULL;
  const char *customer_id;

  g_clear_object (&self->customer);

  if (self->call == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "idle");
      show_journal (self);
      update_connection (self);
      update_actions (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "call");
  gtk_label_set_text (self->number_label, sm_call_get_number (self->call) ?: _("Number withheld"));

  customer_id = sm_call_get_customer_id (self->call);
  if (customer_id != NULL)
    {
      self->customer = sm_customer_load (sm_context_get_store (self->context), customer_id, &error);
      if (self->customer == NULL)
        g_warning ("Customer lookup failed: %s", error->message);
    }
  else if (self->controller == NULL ||
           sm_call_controller_get_matches (self->controller, self->call) == NULL)
    {
      /* A call the controller did not pop (no call source): look it up here */
      g_autoptr(GPtrArray) found = sm_customer_lookup_number (sm_context_get_store (self->context),
                                                              sm_call_get_number (self->call),
                                                              &error);

      if (found == NULL)
        g_warning ("Customer lookup failed: %s", error->message);
      else if (found->len == 1)
        self->customer = g_object_ref (g_ptr_array_index (found, 0));
    }

  gtk_label_set_text (self->caller_label,
                      self->customer != NULL ? sm_customer_get_name (self->customer)
                      : sm_call_get_name (self->call) != NULL ? sm_call_get_name (self->call)
                      : _("Unknown caller"));

  show_customer (self);
  show_risks (self);
  show_matches (self);
  show_state (self);
}

/* Callbacks */

static void
call_notify_cb (SmCallPanel *self,
                GParamSpec  *pspec,
                SmCall      *call)
{
  if (g_str_equal (pspec->name, "customer-id"))
    show_call (self);
  else
    show_state (self);
}

static void
current_call_changed_cb (SmCallPanel *self,
                         GParamSpec  *pspec,
                         SmCallList  *calls)
{
  SmCall *call = sm_call_list_get_current (calls);

  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_set_object (&self->call, call);
  if (call != NULL)
    {
      g_signal_connect_object (call, "notify::state", G_CALLBACK (call_notify_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (call, "notify::customer-id", G_CALLBACK (call_notify_cb), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_revealer_set_reveal_child (self->transfer_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->keypad_revealer, FALSE);
  g_string_truncate (self->sent_digits, 0);
  show_call (self);
}

static void
call_updated_cb (SmCallPanel      *self,
                 SmCall           *call,
                 SmCallController *controller)
{
  if (call == self->call)
    {
      show_risks (self);
      show_matches (self);
      show_state (self);
    }
  else
    {
      show_other_calls (self);
      if (self->call == NULL)
        show_journal (self);
    }
}

static void
command_failed_cb (SmCallPanel      *self,
                   const char       *message,
                   SmCallController *controller)
{
  show_message (self, message);
}

static void
connection_changed_cb (SmCallPanel      *self,
                       gboolean          connected,
                       const char       *message,
                       SmCallController *controller)
{
  SmWindow *window = get_window (self);

  update_connection (self);
  update_actions (self);

  if (window == NULL)
    return;
  if (!connected)
    sm_window_show_banner (window, _("Softphone disconnected: Seatmate is reconnecting. "
                                     "Calls in progress are recovered when it is back."));
  else
    sm_window_hide_banner (window);
}

static void
window_active_cb (SmCallPanel *self,
                  GParamSpec  *pspec,
                  GtkWindow   *window)
{
  if (self->controller != NULL)
    sm_call_controller_set_focused (self->controller, gtk_window_is_active (window));
}

static void
root_changed (SmCallPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->watched_window != NULL)
    {
      g_clear_signal_handler (&self->active_handler, self->watched_window);
      g_object_remove_weak_pointer (G_OBJECT (self->watched_window),
                                    (gpointer *)&self->watched_window);
      self->watched_window = NULL;
    }

  if (root != NULL && GTK_IS_WINDOW (root))
    {
      self->watched_window = GTK_WINDOW (root);
      g_object_add_weak_pointer (G_OBJECT (root), (gpointer *)&self->watched_window);
      self->active_handler = g_signal_connect_swapped (root, "notify::is-active",
                                                       G_CALLBACK (window_active_cb), self);
      window_active_cb (self, NULL, GTK_WINDOW (root));
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  update_timer (SM_CALL_PANEL (user_data));
  return G_SOURCE_CONTINUE;
}

static void
send_digits (SmCallPanel *self,
             const char  *digits)
{
  if (can (self, SM_CTI_COMMAND_DTMF))
    {
      sm_call_controller_command (self->controller, SM_CTI_COMMAND_DTMF, self->call, digits);
      g_string_append (self->sent_digits, digits);
      show_state (self);
    }
}

static void
keypad_clicked_cb (GtkButton   *button,
                   SmCallPanel *self)
{
  send_digits (self, g_object_get_data (G_OBJECT (button), "digit"));
}

static void
transfer_activate_cb (SmCallPanel *self)
{
  g_autofree char *target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry))));

  if (*target == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->transfer_entry));
      return;
    }

  sm_call_controller_command (self->controller, SM_CTI_COMMAND_TRANSFER, self->call, target);
  gtk_editable_set_text (GTK_EDITABLE (self->transfer_entry), "");
  gtk_revealer_set_reveal_child (self->transfer_revealer, FALSE);
}

static void
match_row_activated_cb (SmCallPanel   *self,
                        GtkListBoxRow *row,
                        GtkListBox    *list)
{
  const char *id = g_object_get_data (G_OBJECT (row), "customer-id");
  g_autoptr(GError) error = NULL;

  if (id == NULL || self->call == NULL)
    return;
  if (!sm_call_controller_choose_customer (self->controller, self->call, id, &error))
    show_message (self, error->message);
}

static void
held_row_activated_cb (SmCallPanel   *self,
                       GtkListBoxRow *row,
                       GtkListBox    *list)
{
  SmCall *call = g_object_get_data (G_OBJECT (row), "call");

  if (call != NULL)
    sm_call_list_set_current (sm_context_get_calls (self->context), call);
}

static void
call_back (SmCallPanel    *self,
           SmJournalEntry *entry)
{
  if (entry == NULL || entry->number == NULL)
    return;
  sm_call_controller_command (self->controller, SM_CTI_COMMAND_DIAL, NULL, entry->number);
}

static void
journal_row_activated_cb (SmCallPanel   *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  int index = gtk_list_box_row_get_index (row);

  if (self->journal != NULL && index >= 0 && (guint)index < self->journal->len)
    call_back (self, g_ptr_array_index (self->journal, index));
}

/* A revealer shows its child at the end of its transition: focus it then */
static void
focus_widget (GtkWidget *widget)
{
  if (GTK_IS_GRID (widget))
    gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD);
  else
    gtk_widget_grab_focus (widget);
}

static void
child_revealed_cb (GtkRevealer *revealer,
                   GParamSpec  *pspec,
                   GtkWidget   *widget)
{
  if (gtk_revealer_get_child_revealed (revealer) &&
      g_object_get_data (G_OBJECT (revealer), "sm-focus-pending") != NULL)
    {
      g_object_set_data (G_OBJECT (revealer), "sm-focus-pending", NULL);
      focus_widget (widget);
    }
}

static void
reveal_and_focus (GtkRevealer *revealer,
                  GtkWidget   *widget)
{
  gtk_revealer_set_reveal_child (revealer, TRUE);
  if (gtk_revealer_get_child_revealed (revealer))
    focus_widget (widget);
  else
    g_object_set_data (G_OBJECT (revealer), "sm-focus-pending", GINT_TO_POINTER (1));
}

/* Actions */

static void
call_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SmCallPanel *self = SM_CALL_PANEL (widget);

  if (self->controller == NULL)
    return;

  if (g_str_equal (action_name, "call.answer"))
    sm_call_controller_command (self->controller, SM_CTI_COMMAND_ANSWER, self->call, NULL);
  else if (g_str_equal (action_name, "call.hold"))
    sm_call_controller_command (self->controller,
                                sm_call_get_state (self->call) == SM_CALL_STATE_HELD
                                ? SM_CTI_COMMAND_RESUME : SM_CTI_COMMAND_HOLD,
                                self->call, NULL);
  else if (g_str_equal (action_name, "call.mute"))
    sm_call_controller_command (self->controller,
                                sm_call_controller_get_muted (self->controller, self->call)
                                ? SM_CTI_COMMAND_UNMUTE : SM_CTI_COMMAND_MUTE,
                                self->call, NULL);
  else if (g_str_equal (action_name, "call.transfer"))
    {
      reveal_and_focus (self->transfer_revealer, GTK_WIDGET (self->transfer_entry));
    }
  else if (g_str_equal (action_name, "call.keypad"))
    {
      if (gtk_revealer_get_reveal_child (self->keypad_revealer))
        gtk_revealer_set_reveal_child (self->keypad_revealer, FALSE);
      else
        reveal_and_focus (self->keypad_revealer, GTK_WIDGET (self->keypad_grid));
    }
  else if (g_str_equal (action_name, "call.hang-up"))
    sm_call_controller_command (self->controller, SM_CTI_COMMAND_HANGUP, self->call, NULL);
  else if (g_str_equal (action_name, "call.ready"))
    sm_call_controller_finish_acw (self->controller, self->call);
  else if (g_str_equal (action_name, "call.new-customer"))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = sm_call_controller_create_customer (self->controller, self->call,
                                                                NULL, &error);

      if (id == NULL)
        show_message (self, error->message);
    }
  else if (g_str_equal (action_name, "call.call-back"))
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->journal_list);
      int index = row != NULL ? gtk_list_box_row_get_index (row) : 0;

      if (self->journal != NULL && index >= 0 && (guint)index < self->journal->len)
        call_back (self, g_ptr_array_index (self->journal, index));
    }
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SmCallPanel           *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  char digit[2] = { 0, 0 };

  /* With the keypad open, typed digits go to the caller */
  if (!gtk_revealer_get_reveal_child (self->keypad_revealer) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 ||
      !(g_ascii_isdigit (c) || c == '*' || c == '#'))
    return FALSE;

  digit[0] = (char)c;
  send_digits (self, digit);
  return TRUE;
}

/* GObject */

static void
sm_call_panel_dispose (GObject *object)
{
  SmCallPanel *self = (SmCallPanel *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->watched_window != NULL)
    {
      g_clear_signal_handler (&self->active_handler, self->watched_window);
      g_object_remove_weak_pointer (G_OBJECT (self->watched_window),
                                    (gpointer *)&self->watched_window);
      self->watched_window = NULL;
    }
  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_CALL_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->journal, g_ptr_array_unref);
  if (self->sent_digits != NULL)
    g_string_free (g_steal_pointer (&self->sent_digits), TRUE);
  g_clear_object (&self->customer);
  g_clear_object (&self->call);
  g_clear_object (&self->controller);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_call_panel_parent_class)->dispose (object);
}

static void
sm_call_panel_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sm_call_panel_parent_class)->root (widget);
  root_changed (SM_CALL_PANEL (widget));
}

static void
sm_call_panel_class_init (SmCallPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_call_panel_dispose;
  widget_class->root = sm_call_panel_root;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/sm-call-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "callpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, acw_box);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, acw_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, caller_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, cards_list);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, connection_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, contacts_list);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, customer_box);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, customer_meta_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, dtmf_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, flags_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, held_box);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, held_list);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, hold_button);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, journal_list);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, keypad_grid);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, keypad_revealer);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, matches_box);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, matches_list);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, mute_button);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, number_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, open_orders_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, risk_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, timer_label);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, transfer_entry);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, transfer_revealer);
  gtk_widget_class_bind_template_child (widget_class, SmCallPanel, unknown_box);
  gtk_widget_class_bind_template_callback (widget_class, transfer_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, match_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, held_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, journal_row_activated_cb);

  for (guint i = 0; i < G_N_ELEMENTS (call_actions); i++)
    gtk_widget_class_install_action (widget_class, call_actions[i], NULL, call_action);

  /* The call keys (Ctrl+Shift+…) are window-wide: see sm-window.c */
}

static void
sm_call_panel_init (SmCallPanel *self)
{
  static const char *keys[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#" };
  GtkEventController *key;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->sent_digits = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *button = gtk_button_new_with_label (keys[i]);

      g_object_set_data (G_OBJECT (button), "digit", (gpointer)keys[i]);
      gtk_widget_add_css_class (button, "numeric");
      g_signal_connect (button, "clicked", G_CALLBACK (keypad_clicked_cb), self);
      gtk_grid_attach (self->keypad_grid, button, i % 3, i / 3, 1, 1);
    }

  g_signal_connect (self->keypad_revealer, "notify::child-revealed",
                    G_CALLBACK (child_revealed_cb), self->keypad_grid);
  g_signal_connect (self->transfer_revealer, "notify::child-revealed",
                    G_CALLBACK (child_revealed_cb), self->transfer_entry);

  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->keypad_revealer), key);

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
  self->controller = sm_call_controller_get_for_context (context);
  if (self->controller != NULL)
    {
      g_object_ref (self->controller);
      g_signal_connect_object (self->controller, "call-updated",
                               G_CALLBACK (call_updated_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->controller, "command-failed",
                               G_CALLBACK (command_failed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->controller, "connection-changed",
                               G_CALLBACK (connection_changed_cb), self, G_CONNECT_SWAPPED);
      root_changed (self);
    }

  calls = sm_context_get_calls (context);
  g_signal_connect_object (calls, "notify::current",
                           G_CALLBACK (current_call_changed_cb), self, G_CONNECT_SWAPPED);
  current_call_changed_cb (self, NULL, calls);

  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}
