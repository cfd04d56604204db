/* sm-cti-source.c: a source of call events and the target of call commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every telephony back end (baresip ctrl_tcp, Asterisk ARI, a replay file)
 * implements this interface. It reports what happens as normalised
 * SmCallEvents on the "call-event" signal, reports its link on
 * "connection-changed", and carries out call commands as GTask async pairs.
 */

#define G_LOG_DOMAIN "sm-cti-source"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-cti-source.h"

G_DEFINE_QUARK (sm-cti-error-quark, sm_cti_error)

G_DEFINE_INTERFACE (SmCtiSource, sm_cti_source, G_TYPE_OBJECT)

enum {
  CALL_EVENT,
  CONNECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Every source completes its commands with a boolean GTask */
static gboolean
sm_cti_source_real_command_finish (SmCtiSource   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sm_cti_source_default_init (SmCtiSourceInterface *iface)
{
  iface->command_finish = sm_cti_source_real_command_finish;

  /**
   * SmCtiSource::call-event:
   * @event: (type SmCallEvent): what happened, stamped on arrival
   */
  signals[CALL_EVENT] =
    g_signal_new ("call-event", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  SM_TYPE_CALL_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * SmCtiSource::connection-changed:
   * @connected: whether the source can carry commands now
   * @message: (nullable): why it is not, for the agent
   */
  signals[CONNECTION_CHANGED] =
    g_signal_new ("connection-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

const char *
sm_cti_command_to_string (SmCtiCommand command)
{
  static const char * const names[] = {
    "answer", "hold", "resume", "mute", "unmute", "transfer", "dtmf", "hangup", "dial",
  };

  g_return_val_if_fail (command <= SM_CTI_COMMAND_DIAL, NULL);
  return names[command];
}

void
sm_cti_source_start (SmCtiSource *self)
{
  g_return_if_fail (SM_IS_CTI_SOURCE (self));

  if (SM_CTI_SOURCE_GET_IFACE (self)->start != NULL)
    SM_CTI_SOURCE_GET_IFACE (self)->start (self);
}

void
sm_cti_source_stop (SmCtiSource *self)
{
  g_return_if_fail (SM_IS_CTI_SOURCE (self));

  if (SM_CTI_SOURCE_GET_IFACE (self)->stop != NULL)
    SM_CTI_SOURCE_GET_IFACE (self)->stop (self);
}

gboolean
sm_cti_source_get_connected (SmCtiSource *self)
{
  g_return_val_if_fail (SM_IS_CTI_SOURCE (self), FALSE);

  if (SM_CTI_SOURCE_GET_IFACE (self)->get_connected != NULL)
    return SM_CTI_SOURCE_GET_IFACE (self)->get_connected (self);
  return TRUE;
}

/**
 * sm_cti_source_emit_event:
 *
 * For implementations: reports @event to every listener.
 */
void
sm_cti_source_emit_event (SmCtiSource *self,
                          SmCallEvent *event)
{
  g_return_if_fail (SM_IS_CTI_SOURCE (self));
  g_return_if_fail (event != NULL);

  g_signal_emit (self, signals[CALL_EVENT], 0, event);
}

void
sm_cti_source_emit_connected (SmCtiSource *self,
                              gboolean     connected,
                              const char  *message)
{
  g_return_if_fail (SM_IS_CTI_SOURCE (self));

  g_signal_emit (self, signals[CONNECTION_CHANGED], 0, connected, message);
}

/**
 * sm_cti_source_command_async:
 * @call_id: (nullable): the call the command is for
 * @argument: (nullable): the number to transfer to or dial, the DTMF digits
 */
void
sm_cti_source_command_async (SmCtiSource         *self,
                             SmCtiCommand         command,
                             const char          *call_id,
                             const char          *argument,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (SM_IS_CTI_SOURCE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  SM_CTI_SOURCE_GET_IFACE (self)->command_async (self, command, call_id, argument,
                                                 cancellable, callback, user_data);
}

gboolean
sm_cti_source_command_finish (SmCtiSource   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (SM_IS_CTI_SOURCE (self), FALSE);

  return SM_CTI_SOURCE_GET_IFACE (self)->command_finish (self, result, error);
}

#define SM_CTI_DEFINE_COMMAND(name, COMMAND)                                          \
void                                                                                  \
sm_cti_source_##name##_async (SmCtiSource         *self,                              \
                              const char          *call_id,                           \
                              GCancellable        *cancellable,                       \
                              GAsyncReadyCallback  callback,                          \
                              gpointer             user_data)                         \
{                                                                                     \
  sm_cti_source_command_async (self, COMMAND, call_id, NULL,                          \
                               cancellable, callback, user_data);                     \
}                                                                                     \
                                                                                      \
gboolean                                                                              \
sm_cti_source_##name##_finish (SmCtiSource   *self,                                   \
                               GAsyncResult  *result,                                 \
                               GError       **error)                                  \
{                                                                                     \
  return sm_cti_source_command_finish (self, result, error);                          \
}

SM_CTI_DEFINE_COMMAND (answer, SM_CTI_COMMAND_ANSWER)
SM_CTI_DEFINE_COMMAND (hold, SM_CTI_COMMAND_HOLD)
SM_CTI_DEFINE_COMMAND (resume, SM_CTI_COMMAND_RESUME)
SM_CTI_DEFINE_COMMAND (hangup, SM_CTI_COMMAND_HANGUP)

void
sm_cti_source_mute_async (SmCtiSource         *self,
                          const char          *call_id,
                          gboolean             mute,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  sm_cti_source_command_async (self, mute ? SM_CTI_COMMAND_MUTE : SM_CTI_COMMAND_UNMUTE,
                               call_id, NULL, cancellable, callback, user_data);
}

gboolean
sm_cti_source_mute_finish (SmCtiSource   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return sm_cti_source_command_finish (self, result, error);
}

void
sm_cti_source_transfer_async (SmCtiSource         *self,
                              const char          *call_id,
                              const char          *target,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (target != NULL);
  sm_cti_source_command_async (self, SM_CTI_COMMAND_TRANSFER, call_id, target,
                               cancellable, callback, user_data);
}

gboolean
sm_cti_source_transfer_finish (SmCtiSource   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return sm_cti_source_command_finish (self, result, error);
}

void
sm_cti_source_dtmf_async (SmCtiSource         *self,
                          const char          *call_id,
                          const char          *digits,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (digits != NULL);
  sm_cti_source_command_async (self, SM_CTI_COMMAND_DTMF, call_id, digits,
                               cancellable, callback, user_data);
}

gboolean
sm_cti_source_dtmf_finish (SmCtiSource   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return sm_cti_source_command_finish (self, result, error);
}

void
sm_cti_source_dial_async (SmCtiSource         *self,
                          const char          *number,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (number != NULL);
  sm_cti_source_command_async (self, SM_CTI_COMMAND_DIAL, NULL, number,
                               cancellable, callback, user_data);
}

gboolean
sm_cti_source_dial_finish (SmCtiSource   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return sm_cti_source_command_finish (self, result, error);
}
