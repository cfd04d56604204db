/* sm-call-event.c: the normalised call event of DESIGN.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every CTI source turns what it hears into these events, and
 * `seatmate-admin cti watch` prints them, one JSON object a line:
 *
 *   {"time":"…","call":"<id>","event":"ringing|answered|held|resumed|ended|dtmf|transcript",
 *    "direction":"inbound|outbound","number":"…","name":"…","digit":"5",
 *    "speaker":"customer|agent","text":"…","reason":"…"}
 *
 * Fields an event does not have are left out; unknown fields are ignored.
 */

#define G_LOG_DOMAIN "sm-call-event"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sm-call-event.h"
#include "sm-store.h"

G_DEFINE_QUARK (sm-call-event-error-quark, sm_call_event_error)

G_DEFINE_BOXED_TYPE (SmCallEvent, sm_call_event, sm_call_event_ref, sm_call_event_unref)

static const char * const type_names[] = {
  "ringing", "answered", "held", "resumed", "ended", "dtmf", "transcript",
};

const char *
sm_call_event_type_to_string (SmCallEventType type)
{
  g_return_val_if_fail (type <= SM_CALL_EVENT_TRANSCRIPT, NULL);
  return type_names[type];
}

gboolean
sm_call_event_type_from_string (const char      *str,
                                SmCallEventType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    {
      if (g_strcmp0 (str, type_names[i]) == 0)
        {
          if (type != NULL)
            *type = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * sm_json_is_single_object:
 *
 * Checks that @data is one JSON object and nothing after it (whitespace
 * aside), without parsing it. json-glib 1.6 accepts several top-level
 * values in a row, keeps the last one and leaks the others, so every
 * input from outside is checked with this first.
 *
 * Returns: %TRUE if @data may be given to json-glib
 */
gboolean
sm_json_is_single_object (const char *data,
                          gsize       len)
{
  gsize i = 0;
  guint depth = 0;
  gboolean in_string = FALSE;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  if (i >= len || data[i] != '{')
    return FALSE;

  for (; i < len; i++)
    {
      char c = data[i];

      if (c == '\0')
        return FALSE;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']')
        {
          if (depth == 0)
            return FALSE;
          if (--depth == 0)
            break;
        }
    }

  if (depth != 0 || i >= len)
    return FALSE;

  for (i++; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;

  return TRUE;
}

SmCallEvent *
sm_call_event_new (SmCallEventType  type,
                   const char      *call,
                   gint64           time_ms)
{
  SmCallEvent *event = g_new0 (SmCallEvent, 1);

  g_atomic_ref_count_init (&event->ref_count);
  event->type = type;
  event->call = g_strdup (call);
  event->time_ms = time_ms;
  return event;
}

SmCallEvent *
sm_call_event_ref (SmCallEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);
  g_atomic_ref_count_inc (&event->ref_count);
  return event;
}

void
sm_call_event_unref (SmCallEvent *event)
{
  g_return_if_fail (event != NULL);

  if (!g_atomic_ref_count_dec (&event->ref_count))
    return;

  g_free (event->call);
  g_free (event->number);
  g_free (event->name);
  g_free (event->digit);
  g_free (event->speaker);
  g_free (event->text);
  g_free (event->reason);
  g_free (event);
}

SmCallEvent *
sm_call_event_copy (const SmCallEvent *event)
{
  SmCallEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = sm_call_event_new (event->type, event->call, event->time_ms);
  copy->has_direction = event->has_direction;
  copy->direction = event->direction;
  copy->number = g_strdup (event->number);
  copy->name = g_strdup (event->name);
  copy->digit = g_strdup (event->digit);
  copy->speaker = g_strdup (event->speaker);
  copy->text = g_strdup (event->text);
  copy->reason = g_strdup (event->reason);
  return copy;
}

void
sm_call_event_set_direction (SmCallEvent     *event,
                             SmCallDirection  direction)
{
  g_return_if_fail (event != NULL);

  event->has_direction = TRUE;
  event->direction = direction;
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                   _("“%s” must be a string"), member);
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/**
 * sm_call_event_parse:
 * @line: one JSON object
 * @len: its length, or -1
 *
 * Returns: (transfer full) (nullable): the event, or %NULL with @error set
 */
SmCallEvent *
sm_call_event_parse (const char  *line,
                     gssize       len,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SmCallEvent) event = NULL;
  g_autofree char *time_str = NULL;
  g_autofree char *call = NULL;
  g_autofree char *type_str = NULL;
  g_autofree char *direction = NULL;
  g_autoptr(GError) local_error = NULL;
  SmCallEventType type;
  JsonObject *object;
  JsonNode *root;
  gint64 time_ms = 0;

  g_return_val_if_fail (line != NULL, NULL);

  if (len < 0)
    len = strlen (line);
  if (!sm_json_is_single_object (line, len))
    {
      g_set_error_literal (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                           _("A call event must be one JSON object"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, line, len, &local_error))
    {
      g_set_error (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                   _("Not JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                           _("A call event must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  if (!get_string (object, "time", &time_str, error) ||
      !get_string (object, "call", &call, error) ||
      !get_string (object, "event", &type_str, error) ||
      !get_string (object, "direction", &direction, error))
    return NULL;

  /* 1970 to 9999: what sm_time_format_ms() prints back */
  if (time_str == NULL || !sm_time_parse_ms (time_str, &time_ms) ||
      time_ms < 0 || time_ms > G_GINT64_CONSTANT (253402300799999))
    {
      g_set_error_literal (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                           _("“time” must be an RFC 3339 time"));
      return NULL;
    }
  if (call == NULL || *call == '\0')
    {
      g_set_error_literal (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                           _("“call” is missing"));
      return NULL;
    }
  if (!sm_call_event_type_from_string (type_str, &type))
    {
      g_set_error (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                   _("Unknown call event “%s”"), type_str ? type_str : "");
      return NULL;
    }

  event = sm_call_event_new (type, call, time_ms);
  if (direction != NULL)
    {
      if (g_str_equal (direction, "inbound"))
        sm_call_event_set_direction (event, SM_CALL_DIRECTION_INBOUND);
      else if (g_str_equal (direction, "outbound"))
        sm_call_event_set_direction (event, SM_CALL_DIRECTION_OUTBOUND);
      else
        {
          g_set_error (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                       _("Unknown direction “%s”"), direction);
          return NULL;
        }
    }

  if (!get_string (object, "number", &event->number, error) ||
      !get_string (object, "name", &event->name, error) ||
      !get_string (object, "digit", &event->digit, error) ||
      !get_string (object, "speaker", &event->speaker, error) ||
      !get_string (object, "text", &event->text, error) ||
      !get_string (object, "reason", &event->reason, error))
    return NULL;

  if (type == SM_CALL_EVENT_DTMF && (event->digit == NULL || *event->digit == '\0'))
    {
      g_set_error_literal (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                           _("A dtmf event needs a “digit”"));
      return NULL;
    }
  if (type == SM_CALL_EVENT_TRANSCRIPT && event->text == NULL)
    {
      g_set_error_literal (error, SM_CALL_EVENT_ERROR, SM_CALL_EVENT_ERROR_INVALID,
                           _("A transcript event needs a “text”"));
      return NULL;
    }

  return g_steal_pointer (&event);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

/**
 * sm_call_event_to_json:
 *
 * Returns: (transfer full): one line of JSON (no newline), fields in the
 *   order of DESIGN.md
 */
char *
sm_call_event_to_json (const SmCallEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *time_str = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  time_str = sm_time_format_ms (event->time_ms);

  json_builder_begin_object (builder);
  add_string (builder, "time", time_str);
  add_string (builder, "call", event->call);
  add_string (builder, "event", sm_call_event_type_to_string (event->type));
  if (event->has_direction)
    add_string (builder, "direction",
                event->direction == SM_CALL_DIRECTION_OUTBOUND ? "outbound" : "inbound");
  add_string (builder, "number", event->number);
  add_string (builder, "name", event->name);
  add_string (builder, "digit", event->digit);
  add_string (builder, "speaker", event->speaker);
  add_string (builder, "text", event->text);
  add_string (builder, "reason", event->reason);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
