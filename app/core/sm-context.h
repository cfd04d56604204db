/* sm-context.h: the services of one seat, passed to every window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sm-call-list.h"
#include "sm-notifier.h"
#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_CONTEXT (sm_context_get_type ())

G_DECLARE_FINAL_TYPE (SmContext, sm_context, SM, CONTEXT, GObject)

SmContext  *sm_context_new            (SmStore    *store,
                                       GSettings  *settings,
                                       gboolean    demo);
SmStore    *sm_context_get_store      (SmContext  *self);
GSettings  *sm_context_get_settings   (SmContext  *self);
SmCallList *sm_context_get_calls      (SmContext  *self);
gboolean    sm_context_get_demo       (SmContext  *self);
SmNotifier *sm_context_get_notifier   (SmContext  *self);
const char *sm_context_get_agent_id   (SmContext  *self);
char       *sm_context_dup_agent_name (SmContext  *self);
double      sm_context_get_double     (SmContext  *self,
                                       const char *key,
                                       double      fallback);
guint       sm_context_get_uint       (SmContext  *self,
                                       const char *key,
                                       guint       fallback);

G_END_DECLS
