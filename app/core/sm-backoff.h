/* sm-backoff.h: the reconnect timer of a connection-based source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SM_BACKOFF_INITIAL_MS 500
#define SM_BACKOFF_MAX_MS     30000

typedef void (*SmBackoffFunc) (gpointer user_data);

/* Embedded by value in its owner, which must outlive the pending timer
 * (call sm_backoff_stop() in its stop and dispose). */
typedef struct
{
  gboolean      started;
  guint         initial_ms;
  guint         max_ms;
  guint         next_ms;
  guint         source_id;
  SmBackoffFunc func;
  gpointer      user_data;
} SmBackoff;

void     sm_backoff_init       (SmBackoff     *self,
                                SmBackoffFunc  func,
                                gpointer       user_data);
void     sm_backoff_set        (SmBackoff     *self,
                                guint          initial_ms,
                                guint          max_ms);
gboolean sm_backoff_start      (SmBackoff     *self);
void     sm_backoff_stop       (SmBackoff     *self);
gboolean sm_backoff_is_started (SmBackoff     *self);
void     sm_backoff_reset      (SmBackoff     *self);
guint    sm_backoff_next_delay (SmBackoff     *self);
void     sm_backoff_schedule   (SmBackoff     *self);

G_END_DECLS
