/* sm-call.c: one call and its state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-call"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-call.h"

struct _SmCall
{
  GObject          parent_instance;

  char            *id;
  char            *number;
  char            *name;
  SmCallDirection  direction;
  SmCallState      state;

  gint64           state_since_ms;
  gint64           offered_ms;
  gint64           answered_ms;
  gint64           ended_ms;
  gint64           acw_end_ms;
  gint64           hold_started_ms;
  gint64           hold_ms;

  /* What happened on the call, for assist and the work order */
  char            *customer_id;
  GString         *transcript;
  GString         *customer_text;
  char            *intent;
  double           intent_confidence;
  GPtrArray       *intents_seen;
  GPtrArray       *articles;
  GString         *dtmf;
};

G_DEFINE_FINAL_TYPE (SmCall, sm_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_NAME,
  PROP_STATE,
  PROP_CUSTOMER_ID,
  PROP_TRANSCRIPT,
  PROP_INTENT,
  N_PROPS
};

enum {
  TRANSCRIPT_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
sm_call_finalize (GObject *object)
{
  SmCall *self = (SmCall *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->intent, g_free);
  g_string_free (self->transcript, TRUE);
  g_string_free (self->customer_text, TRUE);
  g_string_free (self->dtmf, TRUE);
  g_ptr_array_unref (self->intents_seen);
  g_ptr_array_unref (self->articles);

  G_OBJECT_CLASS (sm_call_parent_class)->finalize (object);
}

static void
sm_call_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SmCall *self = SM_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;

    case PROP_TRANSCRIPT:
      g_value_set_string (value, self->transcript->str);
      break;

    case PROP_INTENT:
      g_value_set_string (value, self->intent);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_call_class_init (SmCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sm_call_finalize;
  object_class->get_property = sm_call_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      SM_CALL_STATE_RINGING, SM_CALL_STATE_ENDED, SM_CALL_STATE_RINGING,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TRANSCRIPT] =
    g_param_spec_string ("transcript", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_INTENT] =
    g_param_spec_string ("intent", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmCall::transcript-added:
   * @speaker: "customer" or "agent"
   * @text: the new segment
   */
  signals[TRANSCRIPT_ADDED] =
    g_signal_new ("transcript-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
sm_call_init (SmCall *self)
{
  self->transcript = g_string_new (NULL);
  self->customer_text = g_string_new (NULL);
  self->dtmf = g_string_new (NULL);
  self->intents_seen = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->articles = g_ptr_array_new_null_terminated (4, g_free, TRUE);
}

SmCall *
sm_call_new (const char      *id,
             SmCallDirection  direction,
             const char      *number,
             const char      *name,
             gint64           at_ms)
{
  SmCall *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (SM_TYPE_CALL, NULL);
  self->id = g_strdup (id);
  self->direction = direction;
  self->number = g_strdup (number);
  self->name = g_strdup (name);
  self->state = SM_CALL_STATE_RINGING;
  self->offered_ms = at_ms;
  self->state_since_ms = at_ms;

  return self;
}

const char *
sm_call_get_id (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return self->id;
}

SmCallDirection
sm_call_get_direction (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), SM_CALL_DIRECTION_INBOUND);
  return self->direction;
}

const char *
sm_call_get_number (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return self->number;
}

const char *
sm_call_get_name (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return self->name;
}

SmCallState
sm_call_get_state (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), SM_CALL_STATE_ENDED);
  return self->state;
}

gint64
sm_call_get_state_since (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), 0);
  return self->state_since_ms;
}

gint64
sm_call_get_offered_ms (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), 0);
  return self->offered_ms;
}

gint64
sm_call_get_answered_ms (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), 0);
  return self->answered_ms;
}

gint64
sm_call_get_ended_ms (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), 0);
  return self->ended_ms;
}

gint64
sm_call_get_acw_end_ms (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), 0);
  return self->acw_end_ms;
}

/**
 * sm_call_get_hold_ms:
 *
 * Returns: the total time on hold, including a hold still running
 */
gint64
sm_call_get_hold_ms (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), 0);
  return self->hold_ms;
}

/**
 * sm_call_can_change_state:
 *
 * The state machine: ringing → talking | ended; talking ⇄ held;
 * talking | held → acw | ended; acw → ended.
 */
gboolean
sm_call_can_change_state (SmCall      *self,
                          SmCallState  state)
{
  g_return_val_if_fail (SM_IS_CALL (self), FALSE);

  switch (self->state)
    {
    case SM_CALL_STATE_RINGING:
      return state == SM_CALL_STATE_TALKING || state == SM_CALL_STATE_ENDED;

    case SM_CALL_STATE_TALKING:
      return state == SM_CALL_STATE_HELD || state == SM_CALL_STATE_ACW ||
             state == SM_CALL_STATE_ENDED;

    case SM_CALL_STATE_HELD:
      return state == SM_CALL_STATE_TALKING || state == SM_CALL_STATE_ACW ||
             state == SM_CALL_STATE_ENDED;

    case SM_CALL_STATE_ACW:
      return state == SM_CALL_STATE_ENDED;

    case SM_CALL_STATE_ENDED:
    default:
      return FALSE;
    }
}

/**
 * sm_call_set_state:
 * @at_ms: when the change happened
 *
 * Moves the call to @state, stamping the change. An illegal change is
 * refused and returns %FALSE.
 */
gboolean
sm_call_set_state (SmCall      *self,
                   SmCallState  state,
                   gint64       at_ms)
{
  g_return_val_if_fail (SM_IS_CALL (self), FALSE);

  if (!sm_call_can_change_state (self, state))
    return FALSE;

  if (self->state == SM_CALL_STATE_HELD)
    self->hold_ms += MAX (0, at_ms - self->hold_started_ms);

  switch (state)
    {
    case SM_CALL_STATE_TALKING:
      if (self->answered_ms == 0)
        self->answered_ms = at_ms;
      break;

    case SM_CALL_STATE_HELD:
      self->hold_started_ms = at_ms;
      break;

    case SM_CALL_STATE_ACW:
      self->ended_ms = at_ms;
      break;

    case SM_CALL_STATE_ENDED:
      if (self->state == SM_CALL_STATE_ACW)
        self->acw_end_ms = at_ms;
      else
        self->ended_ms = at_ms;
      break;

    case SM_CALL_STATE_RINGING:
    default:
      break;
    }

  self->state = state;
  self->state_since_ms = at_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

  return TRUE;
}

const char *
sm_call_state_to_string (SmCallState state)
{
  static const char * const names[] = { "ringing", "talking", "held", "acw", "ended" };

  g_return_val_if_fail (state <= SM_CALL_STATE_ENDED, NULL);
  return names[state];
}

const char *
sm_call_state_get_label (SmCallState state)
{
  static const char * const labels[] = {
    N_("Ringing"), N_("Talking"), N_("On hold"), N_("After-call work"), N_("Ended"),
  };

  g_return_val_if_fail (state <= SM_CALL_STATE_ENDED, NULL);
  return _(labels[state]);
}

/* What happened on the call */

/**
 * sm_call_get_customer_id:
 *
 * Returns: (nullable): the customer the agent identified for this call
 */
const char *
sm_call_get_customer_id (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return self->customer_id;
}

void
sm_call_set_customer_id (SmCall     *self,
                         const char *customer_id)
{
  g_return_if_fail (SM_IS_CALL (self));

  if (g_strcmp0 (self->customer_id, customer_id) == 0)
    return;

  g_free (self->customer_id);
  self->customer_id = g_strdup (customer_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
}

/**
 * sm_call_add_transcript:
 * @speaker: "customer" or "agent"
 * @text: one transcript segment
 *
 * Appends a segment; the intent model reads the customer's words.
 */
void
sm_call_add_transcript (SmCall     *self,
                        const char *speaker,
                        const char *text,
                        gint64      at_ms)
{
  g_return_if_fail (SM_IS_CALL (self));

  if (text == NULL || *text == '\0')
    return;

  if (speaker == NULL)
    speaker = "customer";

  g_string_append_printf (self->transcript, "%s%s: %s",
                          self->transcript->len > 0 ? "\n" : "", speaker, text);
  if (g_str_equal (speaker, "customer"))
    g_string_append_printf (self->customer_text, "%s%s",
                            self->customer_text->len > 0 ? " " : "", text);

  g_signal_emit (self, signals[TRANSCRIPT_ADDED], 0, speaker, text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSCRIPT]);
}

/**
 * sm_call_get_transcript:
 *
 * Returns: every segment, one "speaker: text" a line
 */
const char *
sm_call_get_transcript (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return self->transcript->str;
}

/**
 * sm_call_get_customer_text:
 *
 * Returns: what the customer said, segments joined by spaces
 */
const char *
sm_call_get_customer_text (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return self->customer_text->str;
}

static void
add_unique (GPtrArray  *array,
            const char *item)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), item) == 0)
      return;

  g_ptr_array_add (array, g_strdup (item));
}

/**
 * sm_call_set_intent:
 * @intent: (nullable): the intent the desk works with now
 *
 * Records the current intent (also into the intents seen on this call).
 */
void
sm_call_set_intent (SmCall     *self,
                    const char *intent,
                    double      confidence)
{
  g_return_if_fail (SM_IS_CALL (self));

  self->intent_confidence = confidence;
  if (intent != NULL)
    add_unique (self->intents_seen, intent);

  if (g_strcmp0 (self->intent, intent) == 0)
    return;

  g_free (self->intent);
  self->intent = g_strdup (intent);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTENT]);
}

const char *
sm_call_get_intent (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return self->intent;
}

double
sm_call_get_intent_confidence (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), 0.0);
  return self->intent_confidence;
}

const char * const *
sm_call_get_intents_seen (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return (const char * const *)self->intents_seen->pdata;
}

/**
 * sm_call_add_article:
 *
 * Records that the agent used a knowledge article on this call.
 */
void
sm_call_add_article (SmCall     *self,
                     const char *article_id)
{
  g_return_if_fail (SM_IS_CALL (self));
  g_return_if_fail (article_id != NULL);

  add_unique (self->articles, article_id);
}

const char * const *
sm_call_get_articles (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return (const char * const *)self->articles->pdata;
}

void
sm_call_add_dtmf (SmCall     *self,
                  const char *digits)
{
  g_return_if_fail (SM_IS_CALL (self));

  if (digits != NULL)
    g_string_append (self->dtmf, digits);
}

/**
 * sm_call_get_dtmf:
 *
 * Returns: the DTMF digits seen on the call, in order
 */
const char *
sm_call_get_dtmf (SmCall *self)
{
  g_return_val_if_fail (SM_IS_CALL (self), NULL);
  return self->dtmf->str;
}
