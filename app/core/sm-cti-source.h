/* sm-cti-source.h: a source of call events and the target of call commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sm-call-event.h"

G_BEGIN_DECLS

#define SM_CTI_ERROR (sm_cti_error_quark ())

typedef enum
{
  SM_CTI_ERROR_FAILED,
  SM_CTI_ERROR_DISCONNECTED,
  SM_CTI_ERROR_REFUSED,
  SM_CTI_ERROR_NOT_SUPPORTED,
  SM_CTI_ERROR_TIMED_OUT,
  SM_CTI_ERROR_PROTOCOL,
  SM_CTI_ERROR_NO_CALL,
} SmCtiError;

typedef enum
{
  SM_CTI_COMMAND_ANSWER,
  SM_CTI_COMMAND_HOLD,
  SM_CTI_COMMAND_RESUME,
  SM_CTI_COMMAND_MUTE,
  SM_CTI_COMMAND_UNMUTE,
  SM_CTI_COMMAND_TRANSFER,
  SM_CTI_COMMAND_DTMF,
  SM_CTI_COMMAND_HANGUP,
  SM_CTI_COMMAND_DIAL,
} SmCtiCommand;

#define SM_TYPE_CTI_SOURCE (sm_cti_source_get_type ())

G_DECLARE_INTERFACE (SmCtiSource, sm_cti_source, SM, CTI_SOURCE, GObject)

struct _SmCtiSourceInterface
{
  GTypeInterface parent_iface;

  void     (*start)          (SmCtiSource          *self);
  void     (*stop)           (SmCtiSource          *self);
  gboolean (*get_connected)  (SmCtiSource          *self);
  void     (*command_async)  (SmCtiSource          *self,
                              SmCtiCommand          command,
                              const char           *call_id,
                              const char           *argument,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean (*command_finish) (SmCtiSource          *self,
                              GAsyncResult         *result,
                              GError              **error);
};

GQuark      sm_cti_error_quark             (void);
const char *sm_cti_command_to_string       (SmCtiCommand          command);

void        sm_cti_source_start            (SmCtiSource          *self);
void        sm_cti_source_stop             (SmCtiSource          *self);
gboolean    sm_cti_source_get_connected    (SmCtiSource          *self);
void        sm_cti_source_emit_event       (SmCtiSource          *self,
                                            SmCallEvent          *event);
void        sm_cti_source_emit_connected   (SmCtiSource          *self,
                                            gboolean              connected,
                                            const char           *message);

void        sm_cti_source_command_async    (SmCtiSource          *self,
                                            SmCtiCommand          command,
                                            const char           *call_id,
                                            const char           *argument,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    sm_cti_source_command_finish   (SmCtiSource          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

#define SM_CTI_DECLARE_COMMAND(name)                                              \
void        sm_cti_source_##name##_async   (SmCtiSource          *self,          \
                                            const char           *call_id,       \
                                            GCancellable         *cancellable,   \
                                            GAsyncReadyCallback   callback,      \
                                            gpointer              user_data);    \
gboolean    sm_cti_source_##name##_finish  (SmCtiSource          *self,          \
                                            GAsyncResult         *result,        \
                                            GError              **error);

SM_CTI_DECLARE_COMMAND (answer)
SM_CTI_DECLARE_COMMAND (hold)
SM_CTI_DECLARE_COMMAND (resume)
SM_CTI_DECLARE_COMMAND (hangup)

void        sm_cti_source_mute_async       (SmCtiSource          *self,
                                            const char           *call_id,
                                            gboolean              mute,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    sm_cti_source_mute_finish      (SmCtiSource          *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        sm_cti_source_transfer_async   (SmCtiSource          *self,
                                            const char           *call_id,
                                            const char           *target,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    sm_cti_source_transfer_finish  (SmCtiSource          *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        sm_cti_source_dtmf_async       (SmCtiSource          *self,
                                            const char           *call_id,
                                            const char           *digits,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    sm_cti_source_dtmf_finish      (SmCtiSource          *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        sm_cti_source_dial_async       (SmCtiSource          *self,
                                            const char           *number,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    sm_cti_source_dial_finish      (SmCtiSource          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
