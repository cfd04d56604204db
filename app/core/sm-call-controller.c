/* sm-call-controller.c: call events → calls, agent states, contact records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The controller listens to one SmCtiSource and keeps the seat's
 * SmCallList in step with it:
 *
 * - ringing: a new SmCall; the number is looked up in the store (one match
 *   sets the call's customer, several wait for the agent's pick) and the
 *   risk rules run; a notification with an Answer action is raised when
 *   the window is not focused or the caller is high-risk;
 * - answered / held / resumed: state changes; the agent goes on_contact,
 *   and answering ends the after-call work of earlier calls;
 * - ended: a handled call enters after-call work (its own timer, the
 *   acw-timeout setting) and the agent goes to acw; an unanswered one is
 *   missed or abandoned. Either way a contact record (DESIGN.md) is
 *   written at once and rewritten when ACW ends, so nothing is lost.
 *
 * Commands go to the source; the GUI asks sm_call_controller_can() to grey
 * out what does not apply.
 */

#define G_LOG_DOMAIN "sm-call-controller"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-call-controller.h"
#include "sm-risk.h"

#define DEFAULT_ACW_TIMEOUT 120

typedef struct
{
  SmCall    *call;
  GPtrArray *matches;      /* SmCustomer */
  GPtrArray *risks;        /* SmRiskAlert */
  gboolean   transferred;
  gboolean   muted;
  gboolean   answered_here;
  guint      acw_id;
  gint64     acw_deadline;
  char      *end_reason;
} CallInfo;

struct _SmCallController
{
  GObject      parent_instance;

  SmContext   *context;
  SmCtiSource *source;
  GHashTable  *infos;        /* call id → CallInfo */
  char        *status;
  guint        acw_timeout;
  gboolean     acw_timeout_set;
  gboolean     focused;
  gboolean     connected;
};

G_DEFINE_FINAL_TYPE (SmCallController, sm_call_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTED,
  N_PROPS
};

enum {
  CALL_POPPED,
  CALL_UPDATED,
  COMMAND_FAILED,
  CONNECTION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Helpers */

static void
call_info_free (gpointer data)
{
  CallInfo *info = data;

  g_clear_handle_id (&info->acw_id, g_source_remove);
  g_clear_object (&info->call);
  g_clear_pointer (&info->matches, g_ptr_array_unref);
  g_clear_pointer (&info->risks, g_ptr_array_unref);
  g_free (info->end_reason);
  g_free (info);
}

static CallInfo *
lookup_info (SmCallController *self,
             SmCall           *call)
{
  CallInfo *info;

  if (call == NULL)
    return NULL;
  info = g_hash_table_lookup (self->infos, sm_call_get_id (call));
  return info != NULL && info->call == call ? info : NULL;
}

static SmStore *
get_store (SmCallController *self)
{
  return sm_context_get_store (self->context);
}

static guint
get_acw_timeout (SmCallController *self)
{
  GSettings *settings = sm_context_get_settings (self->context);

  if (self->acw_timeout_set)
    return self->acw_timeout;
  if (settings != NULL)
    return g_settings_get_uint (settings, "acw-timeout");
  return DEFAULT_ACW_TIMEOUT;
}

static void
record_agent_state (SmCallController *self,
                    SmAgentState      state,
                    gint64            at_ms)
{
  g_autoptr(GError) error = NULL;

  if (!sm_store_record_agent_state (get_store (self), sm_context_get_agent_id (self->context),
                                    state, at_ms, &error))
    g_warning ("Cannot record the agent state: %s", error->message);
}

static void
bind_ms (sqlite3_stmt *stmt,
         int           col,
         gint64        ms)
{
  if (ms > 0)
    sqlite3_bind_int64 (stmt, col, ms);
  else
    sqlite3_bind_null (stmt, col);
}

static gboolean
reason_is_missed (const char *reason)
{
  g_autofree char *lower = reason != NULL ? g_utf8_strdown (reason, -1) : NULL;

  return lower != NULL && (strstr (lower, "timeout") != NULL || strstr (lower, "no answer") != NULL ||
                           strstr (lower, "missed") != NULL || strstr (lower, "declined") != NULL ||
                           strstr (lower, "rejected") != NULL);
}

/* Writes (or rewrites) the DESIGN.md contact record of a call */
static void
write_contact (SmCallController *self,
               CallInfo         *info)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  SmCall *call = info->call;
  g_autofree char *id = g_strdup_printf ("c-%s", sm_call_get_id (call));
  const char *disposition;

  if (sm_call_get_answered_ms (call) == 0)
    disposition = sm_call_get_direction (call) == SM_CALL_DIRECTION_OUTBOUND ? "no_answer"
                  : reason_is_missed (info->end_reason) ? "missed" : "abandoned";
  else if (info->transferred)
    disposition = "transferred";
  else
    disposition = "resolved";

  stmt = sm_store_prepare (get_store (self),
                           "INSERT OR REPLACE INTO contacts (id, queue, agent, direction, number,"
                           " offered_ms, answered_ms, ended_ms, acw_end_ms, hold_s, transferred,"
                           " disposition, customer, reason)"
                           " VALUES (?1, 'cards', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                           &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot write the contact record: %s", error->message);
      return;
    }

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sm_context_get_agent_id (self->context), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sm_call_get_direction (call) == SM_CALL_DIRECTION_OUTBOUND
                              ? "outbound" : "inbound", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, sm_call_get_number (call), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, sm_call_get_offered_ms (call));
  bind_ms (stmt, 6, sm_call_get_answered_ms (call));
  bind_ms (stmt, 7, sm_call_get_ended_ms (call));
  bind_ms (stmt, 8, sm_call_get_acw_end_ms (call));
  sqlite3_bind_int64 (stmt, 9, sm_call_get_hold_ms (call) / 1000);
  sqlite3_bind_int (stmt, 10, info->transferred);
  sqlite3_bind_text (stmt, 11, disposition, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, sm_call_get_customer_id (call), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, sm_call_get_intent (call), -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sm_store_set_error (get_store (self), sqlite3_errcode (sm_store_get_db (get_store (self))),
                          &error);
      g_warning ("Cannot write the contact record: %s", error->message);
    }
}

static void
evaluate_risks (SmCallController *self,
                CallInfo         *info)
{
  GSettings *settings = sm_context_get_settings (self->context);
  g_autoptr(GError) error = NULL;
  SmRiskOptions options = { 0, 0 };

  if (settings != NULL)
    {
      options.complaint_threshold = g_settings_get_uint (settings, "repeat-complaint-count");
      options.complaint_days = g_settings_get_uint (settings, "repeat-complaint-days");
    }

  g_clear_pointer (&info->risks, g_ptr_array_unref);
  info->risks = sm_risk_evaluate (get_store (self), sm_call_get_customer_id (info->call),
                                  sm_now_ms (), &options, &error);
  if (info->risks == NULL)
    {
      g_warning ("Cannot check the risk rules: %s", error->message);
      info->risks = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_risk_alert_free);
    }
}

static const char *
customer_name (CallInfo *info)
{
  const char *id = sm_call_get_customer_id (info->call);

  for (guint i = 0; info->matches != NULL && i < info->matches->len; i++)
    {
      SmCustomer *customer = g_ptr_array_index (info->matches, i);

      if (g_strcmp0 (sm_customer_get_id (customer), id) == 0)
        return sm_customer_get_name (customer);
    }

  return sm_call_get_name (info->call);
}

static void
notify_call (SmCallController *self,
             CallInfo         *info)
{
  SmNotifier *notifier = sm_context_get_notifier (self->context);
  gboolean high = sm_risk_has_high (info->risks);
  g_autofree char *id = g_strdup_printf ("call-%s", sm_call_get_id (info->call));
  g_autofree char *title = NULL;
  g_autofree char *risks = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = customer_name (info);
  const char *number = sm_call_get_number (info->call);

  if (notifier == NULL || (self->focused && !high))
    return;

  if (high)
    title = g_strdup_printf (_("High-risk caller: %s"), name ? name : number ? number : "");
  else
    title = g_strdup_printf (_("Incoming call: %s"), name ? name : number ? number : "");

  risks = sm_risk_describe (info->risks);
  body = *risks ? g_strdup_printf ("%s\n%s", number ? number : "", risks)
                : g_strdup (number ? number : "");

  if (!sm_notifier_show (notifier, id, title, body, high ? SM_NOTIFY_URGENT : SM_NOTIFY_NORMAL,
                         "answer", _("Answer"), &error))
    g_debug ("No notification: %s", error->message);
}

static void
close_notification (SmCallController *self,
                    SmCall           *call)
{
  SmNotifier *notifier = sm_context_get_notifier (self->context);
  g_autofree char *id = g_strdup_printf ("call-%s", sm_call_get_id (call));

  if (notifier != NULL)
    sm_notifier_close (notifier, id);
}

static SmCall *
pick_next_current (SmCallController *self,
                   SmCall           *leaving)
{
  SmCallList *calls = sm_context_get_calls (self->context);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (calls));
  SmCall *best = NULL;

  /* A talking or ringing call first, then one on hold, then one in ACW */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SmCall) call = g_list_model_get_item (G_LIST_MODEL (calls), i);
      SmCallState state = sm_call_get_state (call);

      if (call == leaving || state == SM_CALL_STATE_ENDED)
        continue;
      if (best == NULL ||
          (state == SM_CALL_STATE_TALKING || state == SM_CALL_STATE_RINGING) ||
          (state == SM_CALL_STATE_HELD && sm_call_get_state (best) == SM_CALL_STATE_ACW))
        best = call;
      if (state == SM_CALL_STATE_TALKING)
        break;
    }

  return best;
}

static void
remove_call (SmCallController *self,
             SmCall           *call)
{
  SmCallList *calls = sm_context_get_calls (self->context);
  g_autoptr(SmCall) keep = g_object_ref (call);

  if (sm_call_list_get_current (calls) == call)
    sm_call_list_set_current (calls, pick_next_current (self, call));
  sm_call_list_remove (calls, call);
  g_hash_table_remove (self->infos, sm_call_get_id (call));
}

static gboolean
has_active_calls (SmCallController *self,
                  SmCall           *except)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->infos);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CallInfo *info = value;
      SmCallState state = sm_call_get_state (info->call);

      if (info->call != except && (state == SM_CALL_STATE_TALKING || state == SM_CALL_STATE_HELD))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_acw_calls (SmCallController *self,
               SmCall           *except)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->infos);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CallInfo *info = value;

      if (info->call != except && sm_call_get_state (info->call) == SM_CALL_STATE_ACW)
        return TRUE;
    }

  return FALSE;
}

/* After-call work ends at @time_ms: the contact record gets its acw_end,
 * and the agent's state follows the calls that are left */
static void
finish_acw_at (SmCallController *self,
               SmCall           *call,
               gint64            time_ms)
{
  CallInfo *info = lookup_info (self, call);

  if (info == NULL || sm_call_get_state (call) != SM_CALL_STATE_ACW)
    return;

  g_clear_handle_id (&info->acw_id, g_source_remove);
  sm_call_set_state (call, SM_CALL_STATE_ENDED, time_ms);
  write_contact (self, info);
  if (!has_active_calls (self, call))
    record_agent_state (self, has_acw_calls (self, call) ? SM_AGENT_STATE_ACW
                                                         : SM_AGENT_STATE_AVAILABLE, time_ms);
  g_signal_emit (self, signals[CALL_UPDATED], 0, call);
  remove_call (self, call);
}

/* Answering a call ends the after-call work of the earlier ones: the agent
 * is on the new contact from then on, and counting their ACW on would
 * put the same minutes in two contacts' handle time */
static void
finish_other_acw (SmCallController *self,
                  SmCall           *answered,
                  gint64            time_ms)
{
  g_autoptr(GPtrArray) acw = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->infos);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CallInfo *info = value;

      if (info->call != answered && sm_call_get_state (info->call) == SM_CALL_STATE_ACW)
        g_ptr_array_add (acw, g_object_ref (info->call));
    }

  for (guint i = 0; i < acw->len; i++)
    finish_acw_at (self, g_ptr_array_index (acw, i), time_ms);
}

static gboolean
acw_timeout_cb (gpointer user_data)
{
  SmCall *call = user_data;
  SmCallController *self = g_object_get_data (G_OBJECT (call), "sm-call-controller");
  CallInfo *info = self != NULL ? lookup_info (self, call) : NULL;

  if (info != NULL)
    {
      info->acw_id = 0;
      sm_call_controller_finish_acw (self, call);
    }

  return G_SOURCE_REMOVE;
}

/* Events */

static void
on_ringing (SmCallController *self,
            SmCallEvent      *event)
{
  SmCallList *calls = sm_context_get_calls (self->context);
  g_autoptr(SmCall) call = NULL;
  g_autoptr(GError) error = NULL;
  SmCallDirection direction = event->has_direction ? event->direction : SM_CALL_DIRECTION_INBOUND;
  SmCall *current;
  CallInfo *info;

  if (g_hash_table_contains (self->infos, event->call))
    return;

  call = sm_call_new (event->call, direction, event->number, event->name, event->time_ms);
  g_object_set_data (G_OBJECT (call), "sm-call-controller", self);

  info = g_new0 (CallInfo, 1);
  info->call = g_object_ref (call);
  info->matches = sm_customer_lookup_number (get_store (self), event->number, &error);
  if (info->matches == NULL)
    {
      g_warning ("Customer lookup failed: %s", error->message);
      info->matches = g_ptr_array_new_with_free_func (g_object_unref);
    }
  if (info->matches->len == 1)
    sm_call_set_customer_id (call, sm_customer_get_id (g_ptr_array_index (info->matches, 0)));
  evaluate_risks (self, info);
  g_hash_table_insert (self->infos, (gpointer)sm_call_get_id (call), info);

  sm_call_list_add (calls, call);
  current = sm_call_list_get_current (calls);
  if (current == NULL || current == call ||
      sm_call_get_state (current) == SM_CALL_STATE_ACW ||
      sm_call_get_state (current) == SM_CALL_STATE_ENDED ||
      (sm_call_get_state (current) == SM_CALL_STATE_HELD))
    sm_call_list_set_current (calls, call);

  if (direction == SM_CALL_DIRECTION_OUTBOUND)
    record_agent_state (self, SM_AGENT_STATE_ON_CONTACT, event->time_ms);
  else
    notify_call (self, info);

  g_signal_emit (self, signals[CALL_POPPED], 0, call);
}

static void
on_ended (SmCallController *self,
          CallInfo         *info,
          SmCallEvent      *event)
{
  SmCall *call = info->call;
  SmCallState state = sm_call_get_state (call);
  guint timeout;

  g_free (info->end_reason);
  info->end_reason = g_strdup (event->reason);
  close_notification (self, call);
  if (event->reason != NULL && g_str_has_prefix (event->reason, "transferred"))
    info->transferred = TRUE;

  if (state == SM_CALL_STATE_TALKING || state == SM_CALL_STATE_HELD)
    {
      sm_call_set_state (call, SM_CALL_STATE_ACW, event->time_ms);
      write_contact (self, info);
      if (!has_active_calls (self, call))
        record_agent_state (self, SM_AGENT_STATE_ACW, event->time_ms);

      timeout = get_acw_timeout (self);
      info->acw_deadline = timeout > 0 ? event->time_ms + (gint64)timeout * 1000 : 0;
      if (timeout > 0)
        info->acw_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, timeout, acw_timeout_cb,
                                                   g_object_ref (call), g_object_unref);
      g_signal_emit (self, signals[CALL_UPDATED], 0, call);
    }
  else if (state == SM_CALL_STATE_RINGING)
    {
      sm_call_set_state (call, SM_CALL_STATE_ENDED, event->time_ms);
      write_contact (self, info);
      if (sm_call_get_direction (call) == SM_CALL_DIRECTION_OUTBOUND && !has_active_calls (self, call))
        record_agent_state (self, has_acw_calls (self, call) ? SM_AGENT_STATE_ACW
                                                             : SM_AGENT_STATE_AVAILABLE,
                            event->time_ms);
      g_signal_emit (self, signals[CALL_UPDATED], 0, call);
      remove_call (self, call);
    }
}

/**
 * sm_call_controller_handle_event:
 *
 * Applies one normalised event. Events for unknown or ended calls, and
 * changes the state machine does not allow, are ignored.
 */
void
sm_call_controller_handle_event (SmCallController *self,
                                 SmCallEvent      *event)
{
  SmCall *call;
  CallInfo *info;

  g_return_if_fail (SM_IS_CALL_CONTROLLER (self));
  g_return_if_fail (event != NULL);

  if (event->type == SM_CALL_EVENT_RINGING)
    {
      on_ringing (self, event);
      return;
    }

  info = g_hash_table_lookup (self->infos, event->call);
  if (info == NULL)
    return;
  call = info->call;

  switch (event->type)
    {
    case SM_CALL_EVENT_ANSWERED:
      if (sm_call_set_state (call, SM_CALL_STATE_TALKING, event->time_ms))
        {
          close_notification (self, call);
          record_agent_state (self, SM_AGENT_STATE_ON_CONTACT, event->time_ms);
          sm_call_list_set_current (sm_context_get_calls (self->context), call);
          finish_other_acw (self, call, event->time_ms);
        }
      break;

    case SM_CALL_EVENT_HELD:
      if (sm_call_get_state (call) == SM_CALL_STATE_TALKING)
        sm_call_set_state (call, SM_CALL_STATE_HELD, event->time_ms);
      break;

    case SM_CALL_EVENT_RESUMED:
      if (sm_call_get_state (call) == SM_CALL_STATE_HELD)
        sm_call_set_state (call, SM_CALL_STATE_TALKING, event->time_ms);
      break;

    case SM_CALL_EVENT_DTMF:
      if (sm_call_get_state (call) != SM_CALL_STATE_ENDED)
        sm_call_add_dtmf (call, event->digit);
      break;

    case SM_CALL_EVENT_TRANSCRIPT:
      if (sm_call_get_state (call) != SM_CALL_STATE_ENDED)
        sm_call_add_transcript (call, event->speaker, event->text, event->time_ms);
      break;

    case SM_CALL_EVENT_ENDED:
      on_ended (self, info, event);
      return;

    case SM_CALL_EVENT_RINGING:
    default:
      break;
    }

  g_signal_emit (self, signals[CALL_UPDATED], 0, call);
}

/* Callbacks */

static void
call_event_cb (SmCtiSource      *source,
               SmCallEvent      *event,
               SmCallController *self)
{
  sm_call_controller_handle_event (self, event);
}

static void
connection_changed_cb (SmCtiSource      *source,
                       gboolean          connected,
                       const char       *message,
                       SmCallController *self)
{
  self->connected = connected;
  g_free (self->status);
  self->status = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  g_signal_emit (self, signals[CONNECTION_CHANGED], 0, connected, message);
}

static void
notifier_action_cb (SmNotifier       *notifier,
                    const char       *id,
                    const char       *action_id,
                    SmCallController *self)
{
  CallInfo *info;

  if (!g_str_has_prefix (id, "call-") || g_strcmp0 (action_id, "answer") != 0)
    return;

  info = g_hash_table_lookup (self->infos, id + strlen ("call-"));
  if (info != NULL && sm_call_get_state (info->call) == SM_CALL_STATE_RINGING)
    {
      sm_call_list_set_current (sm_context_get_calls (self->context), info->call);
      sm_call_controller_command (self, SM_CTI_COMMAND_ANSWER, info->call, NULL);
    }
}

/* GObject */

static void
sm_call_controller_dispose (GObject *object)
{
  SmCallController *self = (SmCallController *)object;

  if (self->source != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->source, self);
      sm_cti_source_stop (self->source);
    }
  if (self->context != NULL && sm_context_get_notifier (self->context) != NULL)
    g_signal_handlers_disconnect_by_data (sm_context_get_notifier (self->context), self);
  g_clear_pointer (&self->infos, g_hash_table_unref);
  g_clear_object (&self->source);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_call_controller_parent_class)->dispose (object);
}

static void
sm_call_controller_finalize (GObject *object)
{
  SmCallController *self = (SmCallController *)object;

  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (sm_call_controller_parent_class)->finalize (object);
}

static void
sm_call_controller_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SmCallController *self = SM_CALL_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_call_controller_class_init (SmCallControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_call_controller_dispose;
  object_class->finalize = sm_call_controller_finalize;
  object_class->get_property = sm_call_controller_get_property;

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmCallController::call-popped:
   * @call: a new call, with its customer looked up and risks checked
   */
  signals[CALL_POPPED] =
    g_signal_new ("call-popped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SM_TYPE_CALL);
  signals[CALL_UPDATED] =
    g_signal_new ("call-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SM_TYPE_CALL);
  /**
   * SmCallController::command-failed:
   * @message: what went wrong, for the agent
   */
  signals[COMMAND_FAILED] =
    g_signal_new ("command-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CONNECTION_CHANGED] =
    g_signal_new ("connection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
sm_call_controller_init (SmCallController *self)
{
  self->infos = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, call_info_free);
  self->focused = TRUE;
}

/**
 * sm_call_controller_new:
 * @source: (nullable): where calls come from; %NULL for none
 *
 * The source is started by the controller.
 */
SmCallController *
sm_call_controller_new (SmContext   *context,
                        SmCtiSource *source)
{
  SmCallController *self;
  SmNotifier *notifier;

  g_return_val_if_fail (SM_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (source == NULL || SM_IS_CTI_SOURCE (source), NULL);

  self = g_object_new (SM_TYPE_CALL_CONTROLLER, NULL);
  self->context = g_object_ref (context);

  notifier = sm_context_get_notifier (context);
  if (notifier != NULL)
    g_signal_connect_object (notifier, "action", G_CALLBACK (notifier_action_cb), self, 0);

  if (source != NULL)
    {
      self->source = g_object_ref (source);
      g_signal_connect (source, "call-event", G_CALLBACK (call_event_cb), self);
      g_signal_connect (source, "connection-changed", G_CALLBACK (connection_changed_cb), self);
      sm_cti_source_start (source);
      self->connected = sm_cti_source_get_connected (source);
    }

  return self;
}

/**
 * sm_call_controller_attach:
 *
 * Makes the controller the one sm_call_controller_get_for_context() returns.
 */
void
sm_call_controller_attach (SmCallController *self)
{
  g_return_if_fail (SM_IS_CALL_CONTROLLER (self));

  g_object_set_data_full (G_OBJECT (self->context), "sm-call-controller",
                          g_object_ref (self), g_object_unref);
}

/**
 * sm_call_controller_get_for_context:
 *
 * Returns: (transfer none) (nullable): the seat's controller
 */
SmCallController *
sm_call_controller_get_for_context (SmContext *context)
{
  g_return_val_if_fail (SM_IS_CONTEXT (context), NULL);
  return g_object_get_data (G_OBJECT (context), "sm-call-controller");
}

SmContext *
sm_call_controller_get_context (SmCallController *self)
{
  g_return_val_if_fail (SM_IS_CALL_CONTROLLER (self), NULL);
  return self->context;
}

SmCtiSource *
sm_call_controller_get_source (SmCallController *self)
{
  g_return_val_if_fail (SM_IS_CALL_CONTROLLER (self), NULL);
  return self->source;
}

gboolean
sm_call_controller_get_connected (SmCallController *self)
{
  g_return_val_if_fail (SM_IS_CALL_CONTROLLER (self), FALSE);
  return self->source != NULL && self->connected;
}

/**
 * sm_call_controller_get_status:
 *
 * Returns: (nullable): why the source is not connected
 */
const char *
sm_call_controller_get_status (SmCallController *self)
{
  g_return_val_if_fail (SM_IS_CALL_CONTROLLER (self), NULL);
  return self->status;
}

void
sm_call_controller_set_acw_timeout (SmCallController *self,
                                    guint             seconds)
{
  g_return_if_fail (SM_IS_CALL_CONTROLLER (self));

  self->acw_timeout = seconds;
  self->acw_timeout_set = TRUE;
}

/**
 * sm_call_controller_set_focused:
 *
 * Tells the controller whether the desk window has the focus: an incoming
 * call raises a notification only when it has not.
 */
void
sm_call_controller_set_focused (SmCallController *self,
                                gboolean          focused)
{
  g_return_if_fail (SM_IS_CALL_CONTROLLER (self));
  self->focused = focused;
}

/**
 * sm_call_controller_get_matches:
 *
 * Returns: (transfer none) (element-type SmCustomer) (nullable): the
 *   customers with the caller's number
 */
GPtrArray *
sm_call_controller_get_matches (SmCallController *self,
                                SmCall           *call)
{
  CallInfo *info = lookup_info (self, call);

  return info != NULL ? info->matches : NULL;
}

/**
 * sm_call_controller_get_risks:
 *
 * Returns: (transfer none) (element-type SmRiskAlert) (nullable): the risk
 *   rules the call's customer matches
 */
GPtrArray *
sm_call_controller_get_risks (SmCallController *self,
                              SmCall           *call)
{
  CallInfo *info = lookup_info (self, call);

  return info != NULL ? info->risks : NULL;
}

/**
 * sm_call_controller_choose_customer:
 *
 * The agent picked who is calling (among several matches, or after
 * identifying the caller): the risk rules run again.
 */
gboolean
sm_call_controller_choose_customer (SmCallController  *self,
                                    SmCall            *call,
                                    const char        *customer_id,
                                    GError           **error)
{
  CallInfo *info = lookup_info (self, call);
  g_autoptr(SmCustomer) customer = NULL;

  g_return_val_if_fail (SM_IS_CALL_CONTROLLER (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  customer = sm_customer_load (get_store (self), customer_id, error);
  if (customer == NULL)
    return FALSE;

  for (guint i = 0; i < info->matches->len; i++)
    if (g_strcmp0 (sm_customer_get_id (g_ptr_array_index (info->matches, i)), customer_id) == 0)
      g_ptr_array_remove_index (info->matches, i--);
  g_ptr_array_add (info->matches, g_steal_pointer (&customer));

  sm_call_set_customer_id (call, customer_id);
  evaluate_risks (self, info);
  if (sm_risk_has_high (info->risks))
    notify_call (self, info);
  g_signal_emit (self, signals[CALL_UPDATED], 0, call);
  return TRUE;
}

/**
 * sm_call_controller_create_customer:
 * @name: (nullable): the name; the caller's display name or number if %NULL
 *
 * Creates a customer for an unknown number and sets it on the call.
 *
 * Returns: (transfer full) (nullable): the new customer's id
 */
char *
sm_call_controller_create_customer (SmCallController  *self,
                                    SmCall            *call,
                                    const char        *name,
                                    GError           **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) phone = NULL;
  g_autofree char *id = NULL;
  SmStore *store;
  const char *number;

  g_return_val_if_fail (SM_IS_CALL_CONTROLLER (self), NULL);
  g_return_val_if_fail (lookup_info (self, call) != NULL, NULL);

  store = get_store (self);
  number = sm_call_get_number (call);
  if (name == NULL || *name == '\0')
    name = sm_call_get_name (call) != NULL ? sm_call_get_name (call) : number;
  if (name == NULL || *name == '\0')
    name = _("New customer");
  id = g_strdup_printf ("cust-new-%" G_GINT64_FORMAT, sm_now_ms ());

  if (!sm_store_begin (store, error))
    return NULL;

  if (!(insert = sm_store_prepare (store,
                                   "INSERT INTO customers (id, name, segment, customer_since)"
                                   " VALUES (?1, ?2, NULL, date('now'))", error)))
    goto fail;
  sqlite3_bind_text (insert, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, name, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      sm_store_set_error (store, sqlite3_errcode (sm_store_get_db (store)), error);
      goto fail;
    }

  if (number != NULL && *number != '\0')
    {
      if (!(phone = sm_store_prepare (store,
                                      "INSERT OR IGNORE INTO customer_phones (number, customer_id)"
                                      " VALUES (?1, ?2)", error)))
        goto fail;
      sqlite3_bind_text (phone, 1, number, -1, SQLITE_STATIC);
      sqlite3_bind_text (phone, 2, id, -1, SQLITE_STATIC);
      if (sqlite3_step (phone) != SQLITE_DONE)
        {
          sm_store_set_error (store, sqlite3_errcode (sm_store_get_db (store)), error);
          goto fail;
        }
    }

  g_clear_pointer (&insert, sqlite3_finalize);
  g_clear_pointer (&phone, sqlite3_finalize);
  if (!sm_store_commit (store, error))
    goto fail;

  if (!sm_call_controller_choose_customer (self, call, id, error))
    return NULL;

  return g_steal_pointer (&id);

fail:
  sm_store_rollback (store);
  return NULL;
}

gboolean
sm_call_controller_get_muted (SmCallController *self,
                              SmCall           *call)
{
  CallInfo *info = lookup_info (self, call);

  return info != NULL && info->muted;
}

gboolean
sm_call_controller_get_transferred (SmCallController *self,
                                    SmCall           *call)
{
  CallInfo *info = lookup_info (self, call);

  return info != NULL && info->transferred;
}

/**
 * sm_call_controller_get_acw_deadline:
 *
 * Returns: when after-call work ends by itself (ms), or 0 for never
 */
gint64
sm_call_controller_get_acw_deadline (SmCallController *self,
                                     SmCall           *call)
{
  CallInfo *info = lookup_info (self, call);

  return info != NULL ? info->acw_deadline : 0;
}

/**
 * sm_call_controller_can:
 * @call: (nullable): the call the command is for
 *
 * Returns: whether @command applies now (the GUI greys out the rest)
 */
gboolean
sm_call_controller_can (SmCallController *self,
                        SmCtiCommand      command,
                        SmCall           *call)
{
  SmCallState state;

  g_return_val_if_fail (SM_IS_CALL_CONTROLLER (self), FALSE);

  if (self->source == NULL || !self->connected)
    return FALSE;

  if (command == SM_CTI_COMMAND_DIAL)
    return !has_active_calls (self, NULL);

  if (lookup_info (self, call) == NULL)
    return FALSE;

  state = sm_call_get_state (call);
  switch (command)
    {
    case SM_CTI_COMMAND_ANSWER:
      return state == SM_CALL_STATE_RINGING && sm_call_get_direction (call) == SM_CALL_DIRECTION_INBOUND;
    case SM_CTI_COMMAND_HOLD:
      return state == SM_CALL_STATE_TALKING;
    case SM_CTI_COMMAND_RESUME:
      return state == SM_CALL_STATE_HELD;
    case SM_CTI_COMMAND_MUTE:
    case SM_CTI_COMMAND_UNMUTE:
    case SM_CTI_COMMAND_DTMF:
    case SM_CTI_COMMAND_TRANSFER:
      return state == SM_CALL_STATE_TALKING || state == SM_CALL_STATE_HELD;
    case SM_CTI_COMMAND_HANGUP:
      return state == SM_CALL_STATE_RINGING || state == SM_CALL_STATE_TALKING ||
             state == SM_CALL_STATE_HELD;
    case SM_CTI_COMMAND_DIAL:
    default:
      return FALSE;
    }
}

typedef struct
{
  SmCallController *self;
  SmCall           *call;
  SmCtiCommand      command;
} CommandData;

static void
command_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CommandData *data = user_data;
  g_autoptr(GError) error = NULL;
  CallInfo *info;

  if (!sm_cti_source_command_finish (SM_CTI_SOURCE (object), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The call could not be changed: %s"),
                                                  error->message);
      g_signal_emit (data->self, signals[COMMAND_FAILED], 0, message);
    }
  else if ((info = lookup_info (data->self, data->call)) != NULL)
    {
      if (data->command == SM_CTI_COMMAND_MUTE || data->command == SM_CTI_COMMAND_UNMUTE)
        info->muted = data->command == SM_CTI_COMMAND_MUTE;
      else if (data->command == SM_CTI_COMMAND_TRANSFER)
        info->transferred = TRUE;
      g_signal_emit (data->self, signals[CALL_UPDATED], 0, data->call);
    }

  g_clear_object (&data->call);
  g_object_unref (data->self);
  g_free (data);
}

/**
 * sm_call_controller_command:
 * @call: (nullable): the call (%NULL to dial)
 * @argument: (nullable): the number to transfer to or dial, the digits
 *
 * Sends @command to the source. A failure is reported on
 * SmCallController::command-failed.
 */
void
sm_call_controller_command (SmCallController *self,
                            SmCtiCommand      command,
                            SmCall           *call,
                            const char       *argument)
{
  CommandData *data;

  g_return_if_fail (SM_IS_CALL_CONTROLLER (self));

  if (!sm_call_controller_can (self, command, call))
    {
      g_signal_emit (self, signals[COMMAND_FAILED], 0,
                     self->source == NULL || !self->connected
                     ? _("No softphone is connected")
                     : _("That does not apply to this call now"));
      return;
    }

  data = g_new0 (CommandData, 1);
  data->self = g_object_ref (self);
  data->call = call != NULL ? g_object_ref (call) : NULL;
  data->command = command;
  sm_cti_source_command_async (self->source, command,
                               call != NULL ? sm_call_get_id (call) : NULL, argument,
                               NULL, command_cb, data);
}

/**
 * sm_call_controller_finish_acw:
 *
 * Ends after-call work (the agent is ready, or the timeout passed): the
 * contact record gets its acw_end and the agent is available again.
 */
void
sm_call_controller_finish_acw (SmCallController *self,
                               SmCall           *call)
{
  g_return_if_fail (SM_IS_CALL_CONTROLLER (self));

  finish_acw_at (self, call, sm_now_ms ());
}
