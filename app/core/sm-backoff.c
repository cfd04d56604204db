/* sm-backoff.c: the reconnect timer of a connection-based source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between start and stop the owner wants to be connected: a lost connection
 * is then retried after the initial delay (0.5 s by default), each further
 * failure doubles the delay up to the maximum (30 s), and a successful
 * connection resets it. At most one retry is pending at a time.
 */

#include "config.h"

#include "sm-backoff.h"

/**
 * sm_backoff_init:
 * @func: what to call when the delay has passed (the reconnection)
 * @user_data: its argument, usually the owner of @self
 *
 * Sets @self up with the default delays and no pending retry.
 */
void
sm_backoff_init (SmBackoff     *self,
                 SmBackoffFunc  func,
                 gpointer       user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  self->started = FALSE;
  self->source_id = 0;
  self->func = func;
  self->user_data = user_data;
  sm_backoff_set (self, SM_BACKOFF_INITIAL_MS, SM_BACKOFF_MAX_MS);
}

/**
 * sm_backoff_set:
 *
 * Sets the first delay and the most it may grow to, and starts over from
 * the first one.
 */
void
sm_backoff_set (SmBackoff *self,
                guint      initial_ms,
                guint      max_ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (initial_ms > 0 && max_ms >= initial_ms);

  self->initial_ms = initial_ms;
  self->max_ms = max_ms;
  self->next_ms = initial_ms;
}

/**
 * sm_backoff_start:
 *
 * Starts wanting the connection, from the first delay.
 *
 * Returns: %FALSE if it was started already (then nothing changes)
 */
gboolean
sm_backoff_start (SmBackoff *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->started)
    return FALSE;

  self->started = TRUE;
  sm_backoff_reset (self);
  return TRUE;
}

/**
 * sm_backoff_stop:
 *
 * Stops wanting the connection and drops the pending retry, if any.
 */
void
sm_backoff_stop (SmBackoff *self)
{
  g_return_if_fail (self != NULL);

  self->started = FALSE;
  g_clear_handle_id (&self->source_id, g_source_remove);
}

gboolean
sm_backoff_is_started (SmBackoff *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->started;
}

/**
 * sm_backoff_reset:
 *
 * Makes the next delay the first one again, after a success.
 */
void
sm_backoff_reset (SmBackoff *self)
{
  g_return_if_fail (self != NULL);

  self->next_ms = self->initial_ms;
}

/**
 * sm_backoff_next_delay:
 *
 * Returns: the delay to wait now, in ms; the one after it is doubled (at
 *   most the maximum)
 */
guint
sm_backoff_next_delay (SmBackoff *self)
{
  guint delay;

  g_return_val_if_fail (self != NULL, 0);

  delay = self->next_ms;
  self->next_ms = MIN (self->max_ms, self->next_ms * 2);
  return delay;
}

static gboolean
backoff_timeout_cb (gpointer user_data)
{
  SmBackoff *self = user_data;

  self->source_id = 0;
  self->func (self->user_data);
  return G_SOURCE_REMOVE;
}

/**
 * sm_backoff_schedule:
 *
 * Calls the function after the next delay, unless @self is stopped or a
 * call is pending already.
 */
void
sm_backoff_schedule (SmBackoff *self)
{
  g_return_if_fail (self != NULL);

  if (!self->started || self->source_id != 0)
    return;

  self->source_id = g_timeout_add (sm_backoff_next_delay (self), backoff_timeout_cb, self);
}
