/* sm-notifier.h: desktop notifications, the only user of libnotify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "sm-types.h"

G_BEGIN_DECLS

typedef enum
{
  SM_NOTIFY_NORMAL,
  SM_NOTIFY_URGENT,
} SmNotifyUrgency;

#define SM_TYPE_NOTIFIER (sm_notifier_get_type ())

G_DECLARE_FINAL_TYPE (SmNotifier, sm_notifier, SM, NOTIFIER, GObject)

SmNotifier *sm_notifier_new      (const char       *app_name);
gboolean    sm_notifier_show     (SmNotifier       *self,
                                  const char       *id,
                                  const char       *title,
                                  const char       *body,
                                  SmNotifyUrgency   urgency,
                                  const char       *action_id,
                                  const char       *action_label,
                                  GError          **error);
void        sm_notifier_close    (SmNotifier       *self,
                                  const char       *id);

G_END_DECLS
