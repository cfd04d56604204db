/* sm-notifier.c: desktop notifications, the only user of libnotify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-notifier"

#include "config.h"

#include <libnotify/notify.h>

#include "sm-notifier.h"

struct _SmNotifier
{
  GObject     parent_instance;

  /* id → NotifyNotification, so a notification can be replaced or closed */
  GHashTable *shown;
};

G_DEFINE_FINAL_TYPE (SmNotifier, sm_notifier, G_TYPE_OBJECT)

enum {
  ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  SmNotifier *self;
  char       *id;
} ActionData;

static void
action_data_free (gpointer data)
{
  ActionData *action = data;

  g_free (action->id);
  g_free (action);
}

static void
action_cb (NotifyNotification *notification,
           char               *action_id,
           gpointer            user_data)
{
  ActionData *data = user_data;

  g_signal_emit (data->self, signals[ACTION], 0, data->id, action_id);
}

static void
closed_cb (NotifyNotification *notification,
           SmNotifier         *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->shown);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (value == notification)
        {
          g_hash_table_iter_remove (&iter);
          break;
        }
    }
}

static void
sm_notifier_dispose (GObject *object)
{
  SmNotifier *self = (SmNotifier *)object;

  g_clear_pointer (&self->shown, g_hash_table_unref);

  G_OBJECT_CLASS (sm_notifier_parent_class)->dispose (object);
}

static void
sm_notifier_class_init (SmNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_notifier_dispose;

  /**
   * SmNotifier::action:
   * @id: the notification's id, as given to sm_notifier_show()
   * @action_id: the action the user chose
   */
  signals[ACTION] =
    g_signal_new ("action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
sm_notifier_init (SmNotifier *self)
{
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

SmNotifier *
sm_notifier_new (const char *app_name)
{
  if (!notify_is_initted ())
    notify_init (app_name);

  return g_object_new (SM_TYPE_NOTIFIER, NULL);
}

/**
 * sm_notifier_show:
 * @id: a stable id: showing the same id again replaces the notification
 * @action_id: (nullable): an action offered on the notification
 * @action_label: (nullable): its label
 *
 * Returns: %TRUE if the notification server took it
 */
gboolean
sm_notifier_show (SmNotifier       *self,
                  const char       *id,
                  const char       *title,
                  const char       *body,
                  SmNotifyUrgency   urgency,
                  const char       *action_id,
                  const char       *action_label,
                  GError          **error)
{
  NotifyNotification *notification;

  g_return_val_if_fail (SM_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (id != NULL && title != NULL, FALSE);

  notification = g_hash_table_lookup (self->shown, id);
  if (notification != NULL)
    {
      notify_notification_update (notification, title, body, NULL);
      notify_notification_clear_actions (notification);
    }
  else
    {
      notification = notify_notification_new (title, body, NULL);
      g_signal_connect_object (notification, "closed", G_CALLBACK (closed_cb), self, 0);
      g_hash_table_insert (self->shown, g_strdup (id), notification);
    }

  notify_notification_set_urgency (notification, urgency == SM_NOTIFY_URGENT
                                                   ? NOTIFY_URGENCY_CRITICAL
                                                   : NOTIFY_URGENCY_NORMAL);
  notify_notification_set_category (notification, "x-seatmate");

  if (action_id != NULL && action_label != NULL)
    {
      ActionData *data = g_new0 (ActionData, 1);

      data->self = self;
      data->id = g_strdup (id);
      notify_notification_add_action (notification, action_id, action_label,
                                      action_cb, data, action_data_free);
    }

  return notify_notification_show (notification, error);
}

void
sm_notifier_close (SmNotifier *self,
                   const char *id)
{
  NotifyNotification *notification;

  g_return_if_fail (SM_IS_NOTIFIER (self));

  notification = g_hash_table_lookup (self->shown, id);
  if (notification != NULL)
    {
      notify_notification_close (notification, NULL);
      g_hash_table_remove (self->shown, id);
    }
}
