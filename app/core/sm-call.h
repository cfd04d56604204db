/* sm-call.h: one call and its state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "sm-types.h"

G_BEGIN_DECLS

typedef enum
{
  SM_CALL_STATE_RINGING,
  SM_CALL_STATE_TALKING,
  SM_CALL_STATE_HELD,
  SM_CALL_STATE_ACW,
  SM_CALL_STATE_ENDED,
} SmCallState;

typedef enum
{
  SM_CALL_DIRECTION_INBOUND,
  SM_CALL_DIRECTION_OUTBOUND,
} SmCallDirection;

#define SM_TYPE_CALL (sm_call_get_type ())

G_DECLARE_FINAL_TYPE (SmCall, sm_call, SM, CALL, GObject)

SmCall          *sm_call_new                (const char      *id,
                                             SmCallDirection  direction,
                                             const char      *number,
                                             const char      *name,
                                             gint64           at_ms);
const char      *sm_call_get_id             (SmCall          *self);
SmCallDirection  sm_call_get_direction      (SmCall          *self);
const char      *sm_call_get_number         (SmCall          *self);
const char      *sm_call_get_name           (SmCall          *self);
SmCallState      sm_call_get_state          (SmCall          *self);
gint64           sm_call_get_state_since    (SmCall          *self);
gint64           sm_call_get_offered_ms     (SmCall          *self);
gint64           sm_call_get_answered_ms    (SmCall          *self);
gint64           sm_call_get_ended_ms       (SmCall          *self);
gint64           sm_call_get_acw_end_ms     (SmCall          *self);
gint64           sm_call_get_hold_ms        (SmCall          *self);
gboolean         sm_call_can_change_state   (SmCall          *self,
                                             SmCallState      state);
gboolean         sm_call_set_state          (SmCall          *self,
                                             SmCallState      state,
                                             gint64           at_ms);
const char      *sm_call_get_customer_id    (SmCall          *self);
void             sm_call_set_customer_id    (SmCall          *self,
                                             const char      *customer_id);
void             sm_call_add_transcript     (SmCall          *self,
                                             const char      *speaker,
                                             const char      *text,
                                             gint64           at_ms);
const char      *sm_call_get_transcript     (SmCall          *self);
const char      *sm_call_get_customer_text  (SmCall          *self);
void             sm_call_set_intent         (SmCall          *self,
                                             const char      *intent,
                                             double           confidence);
const char      *sm_call_get_intent         (SmCall          *self);
double           sm_call_get_intent_confidence (SmCall       *self);
const char * const *sm_call_get_intents_seen (SmCall         *self);
void             sm_call_add_article        (SmCall          *self,
                                             const char      *article_id);
const char * const *sm_call_get_articles    (SmCall          *self);
void             sm_call_add_dtmf           (SmCall          *self,
                                             const char      *digits);
const char      *sm_call_get_dtmf           (SmCall          *self);
const char      *sm_call_state_to_string    (SmCallState      state);
const char      *sm_call_state_get_label    (SmCallState      state);

G_END_DECLS
