/* sm-cti-baresip.c: calls from a baresip softphone over ctrl_tcp
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * baresip 1.0.0's ctrl_tcp speaks netstring-framed JSON on a TCP socket
 * (see tests/data/baresip/README.md). This source:
 *
 * - connects to 127.0.0.1 only, unless the user allows a remote softphone;
 * - sends one command at a time with a token and waits for the response
 *   carrying that token (responses may come after the events they cause);
 * - stamps events on arrival and ignores unknown event types and fields;
 * - drops the connection on a framing error or a frame announced over
 *   1 MiB (nothing is allocated for it), skips a frame that is not JSON,
 *   and reconnects with a backoff of 0.5 s doubling to 30 s;
 * - after every (re)connection asks `listcalls` and brings the calls it
 *   knows in line with what the softphone has.
 */

#define G_LOG_DOMAIN "sm-cti-baresip"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sm-backoff.h"
#include "sm-cti-baresip.h"
#include "sm-netstring.h"
#include "sm-store.h"

#define COMMAND_TIMEOUT_MS 10000
#define READ_SIZE 16384

typedef enum
{
  PEER_RINGING,
  PEER_ESTABLISHED,
  PEER_HELD,
} PeerState;

typedef struct
{
  char      *id;
  char      *peeruri;
  char      *number;
  char      *name;
  gboolean   outbound;
  PeerState  state;
  gboolean   seen;
} PeerCall;

typedef void (*ResponseFunc) (SmCtiBaresip *self,
                              gboolean      ok,
                              const char   *data,
                              gpointer      user_data);

typedef struct
{
  char         *command;
  char         *params;
  char         *call_id;
  SmCtiCommand  kind;
  GTask        *task;      /* a caller's command, or NULL for our own */
  ResponseFunc  func;      /* for our own */
  gpointer      func_data;
  GDestroyNotify func_data_free;
} Request;

struct _SmCtiBaresip
{
  GObject             parent_instance;

  char               *host;
  guint16             port;

  GSocketClient      *client;
  GSocketConnection  *connection;
  GCancellable       *cancellable;
  SmNetstringParser  *parser;
  guint8             *read_buffer;

  GByteArray         *out_buf;     /* frames waiting for the socket */
  GBytes             *writing;     /* the frames being written now */

  GQueue              queue;
  Request            *in_flight;
  char               *in_flight_token;
  guint               timeout_id;
  guint               token_seq;

  SmBackoff           backoff;
  guint               n_connects;
  gboolean            connected;
  gboolean            muted;

  GHashTable         *calls;      /* id → PeerCall */
  GHashTable         *peer_uris;  /* number → last peer URI, for dialling back */
};

static void sm_cti_baresip_iface_init (SmCtiSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmCtiBaresip, sm_cti_baresip, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SM_TYPE_CTI_SOURCE,
                                                      sm_cti_baresip_iface_init))

static void connect_now (SmCtiBaresip *self);
static void send_next (SmCtiBaresip *self);

/* Helpers */

static void
peer_call_free (gpointer data)
{
  PeerCall *call = data;

  g_free (call->id);
  g_free (call->peeruri);
  g_free (call->number);
  g_free (call->name);
  g_free (call);
}

static void
request_free (Request *request)
{
  g_free (request->command);
  g_free (request->params);
  g_free (request->call_id);
  g_clear_object (&request->task);
  if (request->func_data_free != NULL)
    request->func_data_free (request->func_data);
  g_free (request);
}

/**
 * sm_cti_baresip_number_from_uri:
 * @uri: a peer URI such as "sip:+12025550123@127.0.0.1:5080" or
 *   "Jane Doe <sip:+1202…@host>"
 *
 * Returns: (transfer full): the user part, the caller's number
 */
char *
sm_cti_baresip_number_from_uri (const char *uri)
{
  const char *start;
  const char *end;

  if (uri == NULL)
    return NULL;

  start = strchr (uri, '<');
  start = start != NULL ? start + 1 : uri;
  if (g_ascii_strncasecmp (start, "sips:", 5) == 0)
    start += 5;
  else if (g_ascii_strncasecmp (start, "sip:", 4) == 0 || g_ascii_strncasecmp (start, "tel:", 4) == 0)
    start += 4;

  end = start;
  while (*end != '\0' && *end != '@' && *end != ';' && *end != '>' && *end != '?')
    end++;

  return g_strndup (start, end - start);
}

static const char *
json_string (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
emit (SmCtiBaresip    *self,
      SmCallEventType  type,
      PeerCall        *call,
      const char      *param)
{
  g_autoptr(SmCallEvent) event = sm_call_event_new (type, call->id, sm_now_ms ());

  switch (type)
    {
    case SM_CALL_EVENT_RINGING:
      sm_call_event_set_direction (event, call->outbound ? SM_CALL_DIRECTION_OUTBOUND
                                                         : SM_CALL_DIRECTION_INBOUND);
      event->number = g_strdup (call->number);
      event->name = g_strdup (call->name);
      break;

    case SM_CALL_EVENT_DTMF:
      event->digit = g_strdup (param);
      break;

    case SM_CALL_EVENT_ENDED:
      event->reason = g_strdup (param);
      break;

    case SM_CALL_EVENT_ANSWERED:
    case SM_CALL_EVENT_HELD:
    case SM_CALL_EVENT_RESUMED:
    case SM_CALL_EVENT_TRANSCRIPT:
    default:
      break;
    }

  sm_cti_source_emit_event (SM_CTI_SOURCE (self), event);
}

static PeerCall *
ensure_call (SmCtiBaresip *self,
             JsonObject   *object,
             const char   *id,
             gboolean     *created)
{
  PeerCall *call = g_hash_table_lookup (self->calls, id);
  const char *name;

  *created = FALSE;
  if (call != NULL)
    return call;

  call = g_new0 (PeerCall, 1);
  call->id = g_strdup (id);
  call->peeruri = g_strdup (json_string (object, "peeruri"));
  call->number = sm_cti_baresip_number_from_uri (call->peeruri);
  name = json_string (object, "peerdisplayname");
  call->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  call->outbound = g_strcmp0 (json_string (object, "direction"), "outgoing") == 0;
  call->state = PEER_RINGING;
  g_hash_table_insert (self->calls, call->id, call);
  if (call->number != NULL && call->peeruri != NULL)
    g_hash_table_insert (self->peer_uris, g_strdup (call->number), g_strdup (call->peeruri));

  *created = TRUE;
  return call;
}

static void
handle_event (SmCtiBaresip *self,
              JsonObject   *object)
{
  const char *type = json_string (object, "type");
  const char *id = json_string (object, "id");
  const char *param = json_string (object, "param");
  gboolean created;
  PeerCall *call;

  if (type == NULL || id == NULL || *id == '\0')
    return;

  if (g_str_equal (type, "CALL_INCOMING") || g_str_equal (type, "CALL_OUTGOING") ||
      g_str_equal (type, "CALL_RINGING") || g_str_equal (type, "CALL_PROGRESS"))
    {
      call = ensure_call (self, object, id, &created);
      if (created)
        emit (self, SM_CALL_EVENT_RINGING, call, NULL);
    }
  else if (g_str_equal (type, "CALL_ESTABLISHED") || g_str_equal (type, "CALL_ANSWERED"))
    {
      call = ensure_call (self, object, id, &created);
      if (created)
        emit (self, SM_CALL_EVENT_RINGING, call, NULL);
      if (call->state == PEER_RINGING)
        {
          call->state = PEER_ESTABLISHED;
          emit (self, SM_CALL_EVENT_ANSWERED, call, NULL);
        }
    }
  else if (g_str_equal (type, "CALL_HOLD") || g_str_equal (type, "CALL_RESUME"))
    {
      gboolean hold = g_str_equal (type, "CALL_HOLD");

      call = g_hash_table_lookup (self->calls, id);
      if (call != NULL && call->state != PEER_RINGING &&
          (call->state == PEER_HELD) != hold)
        {
          call->state = hold ? PEER_HELD : PEER_ESTABLISHED;
          emit (self, hold ? SM_CALL_EVENT_HELD : SM_CALL_EVENT_RESUMED, call, NULL);
        }
    }
  else if (g_str_equal (type, "CALL_DTMF_START"))
    {
      call = g_hash_table_lookup (self->calls, id);
      if (call != NULL && param != NULL && *param != '\0')
        emit (self, SM_CALL_EVENT_DTMF, call, param);
    }
  else if (g_str_equal (type, "CALL_CLOSED"))
    {
      call = g_hash_table_lookup (self->calls, id);
      if (call != NULL)
        {
          emit (self, SM_CALL_EVENT_ENDED, call, param);
          g_hash_table_remove (self->calls, id);
        }
      if (g_hash_table_size (self->calls) == 0)
        self->muted = FALSE;
    }
  /* Everything else (SDP, RTCP, VU reports, registration…) is not a call state */
}

/* Requests */

static void
finish_request (SmCtiBaresip *self,
                Request      *request,
                gboolean      ok,
                const char   *data,
                GError       *error)
{
  if (request->func != NULL)
    request->func (self, error == NULL && ok, data, request->func_data);

  if (request->task != NULL)
    {
      if (error != NULL)
        g_task_return_error (request->task, g_error_copy (error));
      else if (!ok)
        {
          g_autofree char *text = g_strstrip (g_strdup (data != NULL ? data : ""));
          g_task_return_new_error (request->task, SM_CTI_ERROR, SM_CTI_ERROR_FAILED,
                                   _("The softphone refused “%s”: %s"),
                                   request->command, *text ? text : _("no reason given"));
        }
      else
        g_task_return_boolean (request->task, TRUE);
    }

  request_free (request);
}

static void
fail_all (SmCtiBaresip *self,
          const GError *error)
{
  Request *request;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_pointer (&self->in_flight_token, g_free);
  if (self->in_flight != NULL)
    {
      request = g_steal_pointer (&self->in_flight);
      finish_request (self, request, FALSE, NULL, (GError *)error);
    }

  while ((request = g_queue_pop_head (&self->queue)) != NULL)
    finish_request (self, request, FALSE, NULL, (GError *)error);
}

static void
enqueue (SmCtiBaresip *self,
         Request      *request)
{
  g_queue_push_tail (&self->queue, request);
  send_next (self);
}

static Request *
request_new (const char *command,
             const char *params)
{
  Request *request = g_new0 (Request, 1);

  request->command = g_strdup (command);
  request->params = g_strdup (params);
  return request;
}

static void flush_output (SmCtiBaresip *self);

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SmCtiBaresip) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error);

  g_clear_pointer (&self->writing, g_bytes_unref);
  if (!ok)
    {
      /* A broken connection also shows up on the read side, which reconnects */
      g_debug ("Writing a command failed: %s", error->message);
      if (self->connection != NULL &&
          object == (GObject *)g_io_stream_get_output_stream (G_IO_STREAM (self->connection)))
        return;
    }

  /* More frames, or the first ones of a new connection */
  flush_output (self);
}

/* One write at a time: a stream refuses a second one while the first runs */
static void
flush_output (SmCtiBaresip *self)
{
  gconstpointer data;
  gsize size;

  if (self->writing != NULL || self->connection == NULL || self->out_buf->len == 0)
    return;

  self->writing = g_byte_array_free_to_bytes (self->out_buf);
  self->out_buf = g_byte_array_new ();
  data = g_bytes_get_data (self->writing, &size);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (self->connection)),
                                   data, size, G_PRIORITY_DEFAULT, self->cancellable,
                                   write_cb, g_object_ref (self));
}

static gboolean
command_timeout_cb (gpointer user_data)
{
  SmCtiBaresip *self = user_data;
  g_autoptr(GError) error = NULL;
  Request *request = g_steal_pointer (&self->in_flight);

  self->timeout_id = 0;
  g_clear_pointer (&self->in_flight_token, g_free);
  error = g_error_new (SM_CTI_ERROR, SM_CTI_ERROR_TIMED_OUT,
                       _("The softphone did not answer “%s”"), request->command);
  finish_request (self, request, FALSE, NULL, error);
  send_next (self);

  return G_SOURCE_REMOVE;
}

static void
send_next (SmCtiBaresip *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  GBytes *frame;
  gconstpointer data;
  gsize size;

  if (self->in_flight != NULL || !self->connected)
    return;

  self->in_flight = g_queue_pop_head (&self->queue);
  if (self->in_flight == NULL)
    return;

  self->in_flight_token = g_strdup_printf ("sm-%u", ++self->token_seq);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "command");
  json_builder_add_string_value (builder, self->in_flight->command);
  if (self->in_flight->params != NULL)
    {
      /* params must be a JSON string in 1.0.0 */
      json_builder_set_member_name (builder, "params");
      json_builder_add_string_value (builder, self->in_flight->params);
    }
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, self->in_flight_token);
  json_builder_end_object (builder);

  generator = json_generator_new ();
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  g_debug ("→ %s:%u %s", self->host, self->port, json);
  frame = sm_netstring_encode (json, -1);
  data = g_bytes_get_data (frame, &size);
  g_byte_array_append (self->out_buf, data, size);
  g_bytes_unref (frame);
  flush_output (self);

  self->timeout_id = g_timeout_add (COMMAND_TIMEOUT_MS, command_timeout_cb, self);
}

static void
handle_response (SmCtiBaresip *self,
                 JsonObject   *object)
{
  const char *token = json_string (object, "token");
  const char *data = json_string (object, "data");
  JsonNode *ok_node = json_object_get_member (object, "ok");
  gboolean ok = ok_node != NULL && JSON_NODE_HOLDS_VALUE (ok_node) &&
                json_node_get_value_type (ok_node) == G_TYPE_BOOLEAN &&
                json_node_get_boolean (ok_node);
  Request *request;

  if (self->in_flight == NULL || g_strcmp0 (token, self->in_flight_token) != 0)
    {
      g_debug ("Ignoring a response with token %s", token ? token : "(none)");
      return;
    }

  request = g_steal_pointer (&self->in_flight);
  g_clear_pointer (&self->in_flight_token, g_free);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  finish_request (self, request, ok, data, NULL);
  send_next (self);
}

/**
 * sm_cti_baresip_handle_frame:
 *
 * Handles one netstring payload: a response, an event or anything else.
 * A frame that is not a JSON object is logged and skipped.
 */
void
sm_cti_baresip_handle_frame (SmCtiBaresip *self,
                             const char   *frame,
                             gsize         len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *root;

  g_return_if_fail (SM_IS_CTI_BARESIP (self));

  if (!sm_json_is_single_object (frame, len))
    {
      g_message ("Skipped a softphone frame that is not one JSON object");
      return;
    }
  if (!json_parser_load_from_data (parser, frame, len, &error))
    {
      g_message ("Skipped a softphone frame that is not JSON: %s", error->message);
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_message ("Skipped a softphone frame that is not a JSON object");
      return;
    }

  object = json_node_get_object (root);
  g_debug ("← %s:%u %.*s", self->host, self->port, (int)MIN (len, 200), frame);
  if (json_object_has_member (object, "response"))
    handle_response (self, object);
  else if (json_object_has_member (object, "event"))
    handle_event (self, object);
}

/* Resynchronising after a (re)connection */

typedef struct
{
  char      *peeruri;
  PeerState  state;
  guint      line;
} ListedCall;

static void
callstat_cb (SmCtiBaresip *self,
             gboolean      ok,
             const char   *data,
             gpointer      user_data)
{
  ListedCall *listed = user_data;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  const char *p;
  gboolean created;
  PeerCall *call;

  if (!ok || data == NULL || (p = strstr (data, " id=")) == NULL)
    return;

  p += 4;
  id = g_strndup (p, strcspn (p, " \n\t"));
  if (*id == '\0' || g_hash_table_contains (self->calls, id))
    return;

  /* "peer_uri:  Jane Doe <sip:…>" */
  if ((p = strstr (data, "peer_uri:")) != NULL)
    {
      const char *lt;

      p += strlen ("peer_uri:");
      while (*p == ' ')
        p++;
      lt = strchr (p, '<');
      if (lt != NULL && lt > p && memchr (p, '\n', lt - p) == NULL)
        name = g_strstrip (g_strndup (p, lt - p));
    }

  object = json_object_new ();
  json_object_set_string_member (object, "peeruri", listed->peeruri);
  if (name != NULL)
    json_object_set_string_member (object, "peerdisplayname", name);
  if (strstr (data, "direction: Outgoing") != NULL)
    json_object_set_string_member (object, "direction", "outgoing");

  call = ensure_call (self, object, id, &created);
  emit (self, SM_CALL_EVENT_RINGING, call, NULL);
  if (listed->state != PEER_RINGING)
    {
      call->state = PEER_ESTABLISHED;
      emit (self, SM_CALL_EVENT_ANSWERED, call, NULL);
    }
}

static void
listed_call_free (gpointer data)
{
  ListedCall *listed = data;

  g_free (listed->peeruri);
  g_free (listed);
}

static void
listcalls_cb (SmCtiBaresip *self,
              gboolean      ok,
              const char   *data,
              gpointer      user_data)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (listed_call_free);
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  GHashTable *known = user_data;  /* the calls we knew when we asked */
  GHashTableIter iter;
  gpointer value;

  if (!ok || data == NULL)
    return;

  /* "> [line 1]  0:00:12  ESTABLISHED             sip:+1202…@127.0.0.1:5080" */
  regex = g_regex_new ("\\[line (\\d+)\\]\\s+\\S+\\s+([A-Z]+)\\s+(\\S+)", 0, 0, NULL);
  g_regex_match (regex, data, 0, &match);
  while (g_match_info_matches (match))
    {
      ListedCall *call = g_new0 (ListedCall, 1);
      g_autofree char *line = g_match_info_fetch (match, 1);
      g_autofree char *state = g_match_info_fetch (match, 2);

      call->line = atoi (line);
      call->peeruri = g_match_info_fetch (match, 3);
      call->state = g_str_equal (state, "ESTABLISHED") ? PEER_ESTABLISHED : PEER_RINGING;
      g_ptr_array_add (listed, call);
      g_match_info_next (match, NULL);
    }

  /* Match the calls we know to the listed ones by peer URI */
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PeerCall *call = value;
      gboolean found = FALSE;

      for (guint i = 0; i < listed->len; i++)
        {
          ListedCall *l = g_ptr_array_index (listed, i);

          if (l->peeruri != NULL && g_strcmp0 (l->peeruri, call->peeruri) == 0)
            {
              found = TRUE;
              if (call->state == PEER_RINGING && l->state == PEER_ESTABLISHED)
                {
                  call->state = PEER_ESTABLISHED;
                  emit (self, SM_CALL_EVENT_ANSWERED, call, NULL);
                }
              g_clear_pointer (&l->peeruri, g_free);
              break;
            }
        }

      /* A call that rang after we asked is not in the answer: keep it */
      if (!found && g_hash_table_contains (known, call->id))
        g_ptr_array_add (gone, call);
    }

  for (guint i = 0; i < gone->len; i++)
    {
      PeerCall *call = g_ptr_array_index (gone, i);

      emit (self, SM_CALL_EVENT_ENDED, call, "lost while the softphone was disconnected");
      g_hash_table_remove (self->calls, call->id);
    }

  /* Calls that began while we were away: select each line and ask for its id */
  for (guint i = 0; i < listed->len; i++)
    {
      ListedCall *l = g_ptr_array_index (listed, i);
      g_autofree char *line = NULL;
      Request *request;

      if (l->peeruri == NULL)
        continue;

      line = g_strdup_printf ("%u", l->line);
      enqueue (self, request_new ("line", line));
      request = request_new ("callstat", NULL);
      request->func = callstat_cb;
      request->func_data = g_ptr_array_steal_index (listed, i--);
      request->func_data_free = listed_call_free;
      enqueue (self, request);
    }
}

/* Connection */

static void
drop_connection (SmCtiBaresip *self,
                 const char   *why)
{
  g_autoptr(GError) error = NULL;
  gboolean was_connected = self->connected;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  self->connected = FALSE;
  sm_netstring_parser_reset (self->parser);
  g_byte_array_set_size (self->out_buf, 0);

  error = g_error_new_literal (SM_CTI_ERROR, SM_CTI_ERROR_DISCONNECTED,
                               _("The softphone is disconnected"));
  fail_all (self, error);

  if (was_connected)
    {
      if (sm_backoff_is_started (&self->backoff))
        g_message ("Softphone at %s:%u disconnected: %s", self->host, self->port, why);
      sm_cti_source_emit_connected (SM_CTI_SOURCE (self), FALSE, why);
    }

  sm_backoff_schedule (&self->backoff);
}

static void
frame_cb (const char *data,
          gsize       len,
          gpointer    user_data)
{
  sm_cti_baresip_handle_frame (SM_CTI_BARESIP (user_data), data, len);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SmCtiBaresip) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (n <= 0)
    {
      drop_connection (self, n == 0 ? _("The softphone closed the connection")
                                    : error->message);
      return;
    }

  if (!sm_netstring_parser_feed (self->parser, (const char *)self->read_buffer, n,
                                 frame_cb, self, &error))
    {
      g_message ("Dropping the softphone connection: %s", error->message);
      drop_connection (self, error->message);
      return;
    }

  /* A frame handler may have dropped the connection (stop) */
  if (self->connection == NULL || object != (GObject *)g_io_stream_get_input_stream (G_IO_STREAM (self->connection)))
    return;

  g_input_stream_read_async (G_INPUT_STREAM (object), self->read_buffer, READ_SIZE,
                             G_PRIORITY_DEFAULT, self->cancellable, read_cb,
                             g_object_ref (self));
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SmCtiBaresip) self = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;
  Request *request;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Cannot reach the softphone at %s:%u: %s", self->host, self->port, error->message);
      g_clear_object (&self->cancellable);
      sm_backoff_schedule (&self->backoff);
      return;
    }

  self->connection = connection;
  self->connected = TRUE;
  self->n_connects++;
  sm_backoff_reset (&self->backoff);
  g_socket_set_keepalive (g_socket_connection_get_socket (connection), TRUE);
  /* The connect timeout must not become a read timeout: an idle phone is fine */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 0);
  g_debug ("Connected to the softphone at %s:%u", self->host, self->port);

  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                             self->read_buffer, READ_SIZE, G_PRIORITY_DEFAULT,
                             self->cancellable, read_cb, g_object_ref (self));

  sm_cti_source_emit_connected (SM_CTI_SOURCE (self), TRUE, NULL);

  /* The softphone does not buffer events: ask what happened meanwhile */
  request = request_new ("listcalls", NULL);
  request->func = listcalls_cb;
  request->func_data = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  request->func_data_free = (GDestroyNotify)g_hash_table_unref;
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->calls);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_hash_table_add (request->func_data, g_strdup (key));
  }
  g_queue_push_head (&self->queue, request);
  send_next (self);
}

static void
connect_now (SmCtiBaresip *self)
{
  if (self->connection != NULL || self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  g_socket_client_connect_to_host_async (self->client, self->host, self->port,
                                         self->cancellable, connect_cb, g_object_ref (self));
}

static void
reconnect_cb (gpointer user_data)
{
  connect_now (user_data);
}

/* SmCtiSource */

static void
sm_cti_baresip_start (SmCtiSource *source)
{
  SmCtiBaresip *self = SM_CTI_BARESIP (source);

  if (sm_backoff_start (&self->backoff))
    connect_now (self);
}

static void
sm_cti_baresip_stop (SmCtiSource *source)
{
  SmCtiBaresip *self = SM_CTI_BARESIP (source);

  sm_backoff_stop (&self->backoff);
  if (self->connection != NULL || self->cancellable != NULL)
    drop_connection (self, _("Stopped"));
}

static gboolean
sm_cti_baresip_get_connected (SmCtiSource *source)
{
  return SM_CTI_BARESIP (source)->connected;
}

static void
select_call (SmCtiBaresip *self,
             const char   *call_id)
{
  /* 1.0.0's accept and hangup act on the current call: select ours first
   * when there is more than one */
  if (call_id != NULL && g_hash_table_size (self->calls) > 1 &&
      g_hash_table_contains (self->calls, call_id))
    enqueue (self, request_new ("callfind", call_id));
}

static void
command_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  SmCtiBaresip *self = g_task_get_source_object (outer);
  Request *request = g_task_get_task_data (outer);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  /* 1.0.0 sends no event for our own hold, resume or mute */
  if (request->call_id != NULL)
    {
      PeerCall *call = g_hash_table_lookup (self->calls, request->call_id);

      if (call != NULL && request->kind == SM_CTI_COMMAND_HOLD && call->state == PEER_ESTABLISHED)
        {
          call->state = PEER_HELD;
          emit (self, SM_CALL_EVENT_HELD, call, NULL);
        }
      else if (call != NULL && request->kind == SM_CTI_COMMAND_RESUME && call->state == PEER_HELD)
        {
          call->state = PEER_ESTABLISHED;
          emit (self, SM_CALL_EVENT_RESUMED, call, NULL);
        }
    }
  if (request->kind == SM_CTI_COMMAND_MUTE || request->kind == SM_CTI_COMMAND_UNMUTE)
    self->muted = !self->muted;

  g_task_return_boolean (outer, TRUE);
}

static void
sm_cti_baresip_command_async (SmCtiSource         *source,
                              SmCtiCommand         command,
                              const char          *call_id,
                              const char          *argument,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SmCtiBaresip *self = SM_CTI_BARESIP (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Request *info;
  Request *request;
  const char *name = NULL;
  g_autofree char *params = NULL;

  g_task_set_source_tag (task, sm_cti_baresip_command_async);

  if (!self->connected)
    {
      g_task_return_new_error (task, SM_CTI_ERROR, SM_CTI_ERROR_DISCONNECTED,
                               _("The softphone is disconnected"));
      return;
    }

  switch (command)
    {
    case SM_CTI_COMMAND_ANSWER:   name = "accept"; break;
    case SM_CTI_COMMAND_HOLD:     name = "hold"; break;
    case SM_CTI_COMMAND_RESUME:   name = "resume"; break;
    case SM_CTI_COMMAND_HANGUP:   name = "hangup"; break;
    case SM_CTI_COMMAND_MUTE:
    case SM_CTI_COMMAND_UNMUTE:
      /* mute toggles in 1.0.0 */
      if (self->muted == (command == SM_CTI_COMMAND_MUTE))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      name = "mute";
      break;
    case SM_CTI_COMMAND_TRANSFER:
      name = "transfer";
      params = g_strdup (argument);
      break;
    case SM_CTI_COMMAND_DTMF:
      name = "sndcode";
      params = g_strdup (argument);
      break;
    case SM_CTI_COMMAND_DIAL:
      {
        const char *uri = argument != NULL ? g_hash_table_lookup (self->peer_uris, argument) : NULL;

        name = "dial";
        params = g_strdup (uri != NULL ? uri : argument);
      }
      break;
    default:
      g_task_return_new_error (task, SM_CTI_ERROR, SM_CTI_ERROR_NOT_SUPPORTED,
                               _("The softphone cannot do that"));
      return;
    }

  if ((command == SM_CTI_COMMAND_TRANSFER || command == SM_CTI_COMMAND_DTMF ||
       command == SM_CTI_COMMAND_DIAL) && (params == NULL || *params == '\0'))
    {
      g_task_return_new_error (task, SM_CTI_ERROR, SM_CTI_ERROR_FAILED,
                               _("A number is needed"));
      return;
    }

  info = g_new0 (Request, 1);
  info->kind = command;
  info->call_id = g_strdup (call_id);
  g_task_set_task_data (task, info, (GDestroyNotify)request_free);

  if (command != SM_CTI_COMMAND_DIAL)
    select_call (self, call_id);

  request = request_new (name, params);
  request->task = g_task_new (self, cancellable, command_done_cb, g_steal_pointer (&task));
  enqueue (self, request);
}

static void
sm_cti_baresip_iface_init (SmCtiSourceInterface *iface)
{
  iface->start = sm_cti_baresip_start;
  iface->stop = sm_cti_baresip_stop;
  iface->get_connected = sm_cti_baresip_get_connected;
  iface->command_async = sm_cti_baresip_command_async;
}

/* GObject */

static void
sm_cti_baresip_dispose (GObject *object)
{
  SmCtiBaresip *self = (SmCtiBaresip *)object;

  sm_backoff_stop (&self->backoff);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sm_cti_baresip_parent_class)->dispose (object);
}

static void
sm_cti_baresip_finalize (GObject *object)
{
  SmCtiBaresip *self = (SmCtiBaresip *)object;
  g_autoptr(GError) error = g_error_new_literal (SM_CTI_ERROR, SM_CTI_ERROR_DISCONNECTED,
                                                 "finalized");

  self->connected = FALSE;
  g_clear_pointer (&self->in_flight_token, g_free);
  if (self->in_flight != NULL)
    request_free (g_steal_pointer (&self->in_flight));
  g_queue_clear_full (&self->queue, (GDestroyNotify)request_free);
  g_clear_pointer (&self->parser, sm_netstring_parser_free);
  g_clear_pointer (&self->read_buffer, g_free);
  g_clear_pointer (&self->out_buf, g_byte_array_unref);
  g_clear_pointer (&self->writing, g_bytes_unref);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_pointer (&self->peer_uris, g_hash_table_unref);
  g_clear_pointer (&self->host, g_free);

  G_OBJECT_CLASS (sm_cti_baresip_parent_class)->finalize (object);
}

static void
sm_cti_baresip_class_init (SmCtiBaresipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_cti_baresip_dispose;
  object_class->finalize = sm_cti_baresip_finalize;
}

static void
sm_cti_baresip_init (SmCtiBaresip *self)
{
  self->client = g_socket_client_new ();
  g_socket_client_set_timeout (self->client, 5);
  /* A control socket on this computer: never through a proxy */
  g_socket_client_set_enable_proxy (self->client, FALSE);
  self->parser = sm_netstring_parser_new (SM_NETSTRING_MAX_DEFAULT);
  self->read_buffer = g_malloc (READ_SIZE);
  self->out_buf = g_byte_array_new ();
  sm_backoff_init (&self->backoff, reconnect_cb, self);
  g_queue_init (&self->queue);
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, peer_call_free);
  self->peer_uris = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * sm_cti_baresip_new:
 * @address: HOST:PORT of the ctrl_tcp socket (port 4444 if left out)
 * @allow_remote: whether a non-loopback host is allowed (ctrl_tcp has no
 *   authentication at all)
 *
 * Returns: (transfer full) (nullable): the source, not yet started
 */
SmCtiBaresip *
sm_cti_baresip_new (const char  *address,
                    gboolean     allow_remote,
                    GError     **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GError) local_error = NULL;
  SmCtiBaresip *self;
  const char *host;

  g_return_val_if_fail (address != NULL, NULL);

  connectable = g_network_address_parse (address, SM_CTI_BARESIP_DEFAULT_PORT, &local_error);
  if (connectable == NULL)
    {
      g_set_error (error, SM_CTI_ERROR, SM_CTI_ERROR_REFUSED,
                   _("“%s” is not a HOST:PORT address: %s"), address, local_error->message);
      return NULL;
    }

  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable));
  if (!allow_remote && !host_is_loopback (host))
    {
      g_set_error (error, SM_CTI_ERROR, SM_CTI_ERROR_REFUSED,
                   _("The softphone address %s is not on this computer. baresip's control "
                     "socket has no authentication, so Seatmate only connects to a loopback "
                     "address unless “baresip-allow-remote” is set."),
                   address);
      return NULL;
    }

  self = g_object_new (SM_TYPE_CTI_BARESIP, NULL);
  self->host = g_strdup (host);
  self->port = g_network_address_get_port (G_NETWORK_ADDRESS (connectable));
  return self;
}

/**
 * sm_cti_baresip_set_backoff:
 *
 * Sets the reconnection backoff (0.5 s doubling to 30 s by default).
 */
void
sm_cti_baresip_set_backoff (SmCtiBaresip *self,
                            guint         initial_ms,
                            guint         max_ms)
{
  g_return_if_fail (SM_IS_CTI_BARESIP (self));
  g_return_if_fail (initial_ms > 0 && max_ms >= initial_ms);

  sm_backoff_set (&self->backoff, initial_ms, max_ms);
}

/**
 * sm_cti_baresip_get_next_backoff:
 *
 * Returns: the delay before the next reconnection attempt, in ms
 */
guint
sm_cti_baresip_get_next_backoff (SmCtiBaresip *self)
{
  g_return_val_if_fail (SM_IS_CTI_BARESIP (self), 0);
  return self->backoff.next_ms;
}

guint
sm_cti_baresip_get_n_connects (SmCtiBaresip *self)
{
  g_return_val_if_fail (SM_IS_CTI_BARESIP (self), 0);
  return self->n_connects;
}
