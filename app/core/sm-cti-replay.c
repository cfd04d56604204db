/* sm-cti-replay.c: calls replayed from a JSON Lines file of call events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file holds the normalised events of DESIGN.md, one a line (blank
 * lines and lines starting with # are skipped). They are replayed with
 * their relative timing (divided by the speed), stamped with the time they
 * are emitted. In a loop, each round gets fresh call ids ("id~2").
 *
 * The replay is also a pretend softphone: answer, hold, resume, hang-up and
 * transfer act on the call at once, and later scripted events for a call
 * the agent has ended are dropped, so the demo can be driven by hand.
 */

#define G_LOG_DOMAIN "sm-cti-replay"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-cti-replay.h"
#include "sm-store.h"

typedef enum
{
  LIVE_RINGING,
  LIVE_TALKING,
  LIVE_HELD,
} LiveState;

struct _SmCtiReplay
{
  GObject     parent_instance;

  GPtrArray  *events;     /* SmCallEvent, as read */
  double      speed;
  gboolean    loop;
  guint       pause_ms;

  guint       next;
  guint       round;
  guint       timeout_id;
  gboolean    started;
  guint       dial_seq;

  GHashTable *live;       /* emitted call id → LiveState */
  GHashTable *ended;      /* emitted call ids the agent ended */
};

static void sm_cti_replay_iface_init (SmCtiSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmCtiReplay, sm_cti_replay, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SM_TYPE_CTI_SOURCE,
                                                      sm_cti_replay_iface_init))

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_next (SmCtiReplay *self, gint64 delay_ms);

static char *
round_id (SmCtiReplay *self,
          const char  *id)
{
  return self->round > 0 ? g_strdup_printf ("%s~%u", id, self->round + 1) : g_strdup (id);
}

static void
emit_live (SmCtiReplay *self,
           SmCallEvent *event)
{
  switch (event->type)
    {
    case SM_CALL_EVENT_RINGING:
      if (g_hash_table_contains (self->live, event->call))
        return;
      g_hash_table_insert (self->live, g_strdup (event->call), GINT_TO_POINTER (LIVE_RINGING));
      break;
    case SM_CALL_EVENT_ANSWERED:
      if (!g_hash_table_contains (self->live, event->call) ||
          GPOINTER_TO_INT (g_hash_table_lookup (self->live, event->call)) != LIVE_RINGING)
        return;
      g_hash_table_insert (self->live, g_strdup (event->call), GINT_TO_POINTER (LIVE_TALKING));
      break;
    case SM_CALL_EVENT_HELD:
      g_hash_table_insert (self->live, g_strdup (event->call), GINT_TO_POINTER (LIVE_HELD));
      break;
    case SM_CALL_EVENT_RESUMED:
      g_hash_table_insert (self->live, g_strdup (event->call), GINT_TO_POINTER (LIVE_TALKING));
      break;
    case SM_CALL_EVENT_ENDED:
      g_hash_table_remove (self->live, event->call);
      break;
    case SM_CALL_EVENT_DTMF:
    case SM_CALL_EVENT_TRANSCRIPT:
    default:
      break;
    }

  sm_cti_source_emit_event (SM_CTI_SOURCE (self), event);
}

static gboolean
tick_cb (gpointer user_data)
{
  SmCtiReplay *self = user_data;
  SmCallEvent *scripted;
  g_autoptr(SmCallEvent) event = NULL;

  self->timeout_id = 0;

  if (self->next >= self->events->len)
    {
      if (self->loop && self->events->len > 0)
        {
          self->next = 0;
          self->round++;
          g_hash_table_remove_all (self->ended);
          schedule_next (self, self->pause_ms);
        }
      else
        g_signal_emit (self, signals[FINISHED], 0);
      return G_SOURCE_REMOVE;
    }

  scripted = g_ptr_array_index (self->events, self->next++);
  event = sm_call_event_copy (scripted);
  g_free (event->call);
  event->call = round_id (self, scripted->call);
  event->time_ms = sm_now_ms ();

  /* Drop what the script says about a call the agent has already ended */
  if (!g_hash_table_contains (self->ended, event->call) &&
      (event->type == SM_CALL_EVENT_RINGING || g_hash_table_contains (self->live, event->call)))
    {
      /* The agent answered earlier than the script: nothing to repeat */
      if (!(event->type == SM_CALL_EVENT_ANSWERED &&
            GPOINTER_TO_INT (g_hash_table_lookup (self->live, event->call)) != LIVE_RINGING))
        emit_live (self, event);
    }

  if (self->next < self->events->len)
    {
      SmCallEvent *following = g_ptr_array_index (self->events, self->next);
      gint64 gap = MAX (0, following->time_ms - scripted->time_ms);

      schedule_next (self, (gint64)(gap / self->speed));
    }
  else
    schedule_next (self, 0);

  return G_SOURCE_REMOVE;
}

static void
schedule_next (SmCtiReplay *self,
               gint64       delay_ms)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (MIN (delay_ms, G_MAXUINT), tick_cb, self);
}

/* SmCtiSource */

static void
sm_cti_replay_start (SmCtiSource *source)
{
  SmCtiReplay *self = SM_CTI_REPLAY (source);

  if (self->started)
    return;

  self->started = TRUE;
  sm_cti_source_emit_connected (source, TRUE, NULL);
  schedule_next (self, 0);
}

static void
sm_cti_replay_stop (SmCtiSource *source)
{
  SmCtiReplay *self = SM_CTI_REPLAY (source);

  self->started = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

static gboolean
sm_cti_replay_get_connected (SmCtiSource *source)
{
  return SM_CTI_REPLAY (source)->started;
}

static void
emit_now (SmCtiReplay     *self,
          SmCallEventType  type,
          const char      *call_id,
          const char      *reason)
{
  g_autoptr(SmCallEvent) event = sm_call_event_new (type, call_id, sm_now_ms ());

  event->reason = g_strdup (reason);
  emit_live (self, event);
}

static void
sm_cti_replay_command_async (SmCtiSource         *source,
                             SmCtiCommand         command,
                             const char          *call_id,
                             const char          *argument,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  SmCtiReplay *self = SM_CTI_REPLAY (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  gpointer state_ptr = NULL;
  gboolean live;
  LiveState state;

  g_task_set_source_tag (task, sm_cti_replay_command_async);

  if (command == SM_CTI_COMMAND_DIAL)
    {
      g_autofree char *id = g_strdup_printf ("replay-dial-%u", ++self->dial_seq);
      g_autoptr(SmCallEvent) event = sm_call_event_new (SM_CALL_EVENT_RINGING, id, sm_now_ms ());

      sm_call_event_set_direction (event, SM_CALL_DIRECTION_OUTBOUND);
      event->number = g_strdup (argument);
      emit_live (self, event);
      /* The customer picks up at once in a replay */
      emit_now (self, SM_CALL_EVENT_ANSWERED, id, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  live = call_id != NULL && g_hash_table_lookup_extended (self->live, call_id, NULL, &state_ptr);
  state = GPOINTER_TO_INT (state_ptr);
  if (!live)
    {
      g_task_return_new_error (task, SM_CTI_ERROR, SM_CTI_ERROR_NO_CALL,
                               _("There is no such call"));
      return;
    }

  switch (command)
    {
    case SM_CTI_COMMAND_ANSWER:
      if (state == LIVE_RINGING)
        emit_now (self, SM_CALL_EVENT_ANSWERED, call_id, NULL);
      break;
    case SM_CTI_COMMAND_HOLD:
      if (state == LIVE_TALKING)
        emit_now (self, SM_CALL_EVENT_HELD, call_id, NULL);
      break;
    case SM_CTI_COMMAND_RESUME:
      if (state == LIVE_HELD)
        emit_now (self, SM_CALL_EVENT_RESUMED, call_id, NULL);
      break;
    case SM_CTI_COMMAND_HANGUP:
      g_hash_table_add (self->ended, g_strdup (call_id));
      emit_now (self, SM_CALL_EVENT_ENDED, call_id, "agent hung up");
      break;
    case SM_CTI_COMMAND_TRANSFER:
      {
        g_autofree char *reason = g_strdup_printf ("transferred to %s", argument);

        g_hash_table_add (self->ended, g_strdup (call_id));
        emit_now (self, SM_CALL_EVENT_ENDED, call_id, reason);
      }
      break;
    case SM_CTI_COMMAND_MUTE:
    case SM_CTI_COMMAND_UNMUTE:
    case SM_CTI_COMMAND_DTMF:
    case SM_CTI_COMMAND_DIAL:
    default:
      break;
    }

  g_task_return_boolean (task, TRUE);
}

static void
sm_cti_replay_iface_init (SmCtiSourceInterface *iface)
{
  iface->start = sm_cti_replay_start;
  iface->stop = sm_cti_replay_stop;
  iface->get_connected = sm_cti_replay_get_connected;
  iface->command_async = sm_cti_replay_command_async;
}

/* GObject */

static void
sm_cti_replay_dispose (GObject *object)
{
  SmCtiReplay *self = (SmCtiReplay *)object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (sm_cti_replay_parent_class)->dispose (object);
}

static void
sm_cti_replay_finalize (GObject *object)
{
  SmCtiReplay *self = (SmCtiReplay *)object;

  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->ended, g_hash_table_unref);

  G_OBJECT_CLASS (sm_cti_replay_parent_class)->finalize (object);
}

static void
sm_cti_replay_class_init (SmCtiReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_cti_replay_dispose;
  object_class->finalize = sm_cti_replay_finalize;

  /**
   * SmCtiReplay::finished:
   *
   * The last event was replayed (never emitted in a loop).
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sm_cti_replay_init (SmCtiReplay *self)
{
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref);
  self->speed = 1.0;
  self->pause_ms = 5000;
  self->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->ended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * sm_cti_replay_new_from_data:
 * @name: the file name, for error messages
 *
 * Returns: (transfer full) (nullable): the replay, or %NULL with an error
 *   "NAME:LINE: message" for the first bad line
 */
SmCtiReplay *
sm_cti_replay_new_from_data (const char  *data,
                             const char  *name,
                             GError     **error)
{
  g_autoptr(SmCtiReplay) self = g_object_new (SM_TYPE_CTI_REPLAY, NULL);
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      char *line = g_strstrip (lines[i]);
      SmCallEvent *event;

      if (*line == '\0' || *line == '#')
        continue;

      event = sm_call_event_parse (line, -1, &local_error);
      if (event == NULL)
        {
          g_set_error (error, SM_CTI_ERROR, SM_CTI_ERROR_PROTOCOL, "%s:%u: %s",
                       name, i + 1, local_error->message);
          return NULL;
        }
      if (self->events->len > 0 &&
          event->time_ms < ((SmCallEvent *)g_ptr_array_index (self->events, self->events->len - 1))->time_ms)
        {
          g_set_error (error, SM_CTI_ERROR, SM_CTI_ERROR_PROTOCOL,
                       _("%s:%u: events must be in time order"), name, i + 1);
          sm_call_event_unref (event);
          return NULL;
        }
      g_ptr_array_add (self->events, event);
    }

  return g_steal_pointer (&self);
}

SmCtiReplay *
sm_cti_replay_new_from_file (const char  *path,
                             GError     **error)
{
  g_autofree char *contents = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  return sm_cti_replay_new_from_data (contents, path, error);
}

guint
sm_cti_replay_get_n_events (SmCtiReplay *self)
{
  g_return_val_if_fail (SM_IS_CTI_REPLAY (self), 0);
  return self->events->len;
}

/**
 * sm_cti_replay_set_speed:
 * @speed: 1.0 for real time, 10.0 ten times faster, 0 for no waiting
 */
void
sm_cti_replay_set_speed (SmCtiReplay *self,
                         double       speed)
{
  g_return_if_fail (SM_IS_CTI_REPLAY (self));
  self->speed = speed > 0 ? speed : 1e9;
}

/**
 * sm_cti_replay_set_loop:
 * @pause_ms: the pause between two rounds
 */
void
sm_cti_replay_set_loop (SmCtiReplay *self,
                        gboolean     loop,
                        guint        pause_ms)
{
  g_return_if_fail (SM_IS_CTI_REPLAY (self));
  self->loop = loop;
  self->pause_ms = pause_ms;
}
