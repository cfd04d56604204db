/* sm-call-controller.h: call events → calls, agent states, contact records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sm-context.h"
#include "sm-cti-source.h"
#include "sm-customer.h"

G_BEGIN_DECLS

#define SM_TYPE_CALL_CONTROLLER (sm_call_controller_get_type ())

G_DECLARE_FINAL_TYPE (SmCallController, sm_call_controller, SM, CALL_CONTROLLER, GObject)

SmCallController *sm_call_controller_new             (SmContext         *context,
                                                      SmCtiSource       *source);
SmCallController *sm_call_controller_get_for_context (SmContext         *context);
void              sm_call_controller_attach          (SmCallController  *self);
SmContext        *sm_call_controller_get_context     (SmCallController  *self);
SmCtiSource      *sm_call_controller_get_source      (SmCallController  *self);
gboolean          sm_call_controller_get_connected   (SmCallController  *self);
const char       *sm_call_controller_get_status      (SmCallController  *self);
void              sm_call_controller_set_acw_timeout (SmCallController  *self,
                                                      guint              seconds);
void              sm_call_controller_set_focused     (SmCallController  *self,
                                                      gboolean           focused);
void              sm_call_controller_handle_event    (SmCallController  *self,
                                                      SmCallEvent       *event);

GPtrArray        *sm_call_controller_get_matches     (SmCallController  *self,
                                                      SmCall            *call);
GPtrArray        *sm_call_controller_get_risks       (SmCallController  *self,
                                                      SmCall            *call);
gboolean          sm_call_controller_choose_customer (SmCallController  *self,
                                                      SmCall            *call,
                                                      const char        *customer_id,
                                                      GError           **error);
char             *sm_call_controller_create_customer (SmCallController  *self,
                                                      SmCall            *call,
                                                      const char        *name,
                                                      GError           **error);
gboolean          sm_call_controller_get_muted       (SmCallController  *self,
                                                      SmCall            *call);
gboolean          sm_call_controller_get_transferred (SmCallController  *self,
                                                      SmCall            *call);
gint64            sm_call_controller_get_acw_deadline (SmCallController *self,
                                                      SmCall            *call);
gboolean          sm_call_controller_can             (SmCallController  *self,
                                                      SmCtiCommand       command,
                                                      SmCall            *call);
void              sm_call_controller_command         (SmCallController  *self,
                                                      SmCtiCommand       command,
                                                      SmCall            *call,
                                                      const char        *argument);
void              sm_call_controller_finish_acw      (SmCallController  *self,
                                                      SmCall            *call);

G_END_DECLS
