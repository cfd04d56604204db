/* sm-cti-ari.c: calls from an Asterisk PBX over ARI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Events come on the ARI WebSocket (GET /ari/events?app=NAME), one JSON
 * message a frame; commands are REST calls with HTTP basic auth. Channel
 * states map onto SmCall's: a channel entering the Stasis application
 * rings, "Up" is answered, ChannelHold/Unhold hold and resume,
 * ChannelDestroyed (or StasisEnd) ends the call. Transcript segments come
 * from a channel variable (TRANSCRIPT, TRANSCRIPT_CUSTOMER,
 * TRANSCRIPT_AGENT) or a user event "Transcript" with speaker and text.
 * A malformed message is logged and skipped; a lost WebSocket reconnects
 * with backoff and resynchronises with GET /ari/channels.
 */

#define G_LOG_DOMAIN "sm-cti-ari"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sm-backoff.h"
#include "sm-cti-ari.h"
#include "sm-store.h"

typedef enum
{
  CHAN_RINGING,
  CHAN_UP,
  CHAN_HELD,
} ChanState;

typedef struct
{
  char      *id;
  ChanState  state;
} Channel;

struct _SmCtiAri
{
  GObject                 parent_instance;

  char                   *url;        /* base, no trailing slash */
  char                   *application;
  char                   *authorization;

  SoupSession            *session;
  SoupWebsocketConnection *websocket;
  GCancellable           *cancellable;

  SmBackoff               backoff;
  guint                   n_connects;
  gboolean                connected;

  GHashTable             *channels;   /* id → Channel */
};

static void sm_cti_ari_iface_init (SmCtiSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmCtiAri, sm_cti_ari, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SM_TYPE_CTI_SOURCE, sm_cti_ari_iface_init))

static void connect_now (SmCtiAri *self);

static void
channel_free (gpointer data)
{
  Channel *channel = data;

  g_free (channel->id);
  g_free (channel);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
emit_simple (SmCtiAri        *self,
             SmCallEventType  type,
             const char      *id,
             const char      *reason)
{
  g_autoptr(SmCallEvent) event = sm_call_event_new (type, id, sm_now_ms ());

  event->reason = g_strdup (reason);
  sm_cti_source_emit_event (SM_CTI_SOURCE (self), event);
}

static void
emit_transcript (SmCtiAri   *self,
                 const char *id,
                 const char *speaker,
                 const char *text)
{
  g_autoptr(SmCallEvent) event = NULL;

  if (text == NULL || *text == '\0')
    return;

  event = sm_call_event_new (SM_CALL_EVENT_TRANSCRIPT, id, sm_now_ms ());
  event->speaker = g_strdup (g_strcmp0 (speaker, "agent") == 0 ? "agent" : "customer");
  event->text = g_strdup (text);
  sm_cti_source_emit_event (SM_CTI_SOURCE (self), event);
}

static void
channel_up (SmCtiAri *self,
            Channel  *channel)
{
  if (channel->state == CHAN_RINGING)
    {
      channel->state = CHAN_UP;
      emit_simple (self, SM_CALL_EVENT_ANSWERED, channel->id, NULL);
    }
}

static void
channel_end (SmCtiAri   *self,
             const char *id,
             const char *reason)
{
  if (g_hash_table_contains (self->channels, id))
    {
      emit_simple (self, SM_CALL_EVENT_ENDED, id, reason);
      g_hash_table_remove (self->channels, id);
    }
}

static void
stasis_start (SmCtiAri   *self,
              JsonObject *message,
              JsonObject *chan)
{
  g_autoptr(SmCallEvent) event = NULL;
  const char *id = member_string (chan, "id");
  JsonObject *caller = member_object (chan, "caller");
  JsonNode *args = json_object_get_member (message, "args");
  gboolean outbound = FALSE;
  const char *name;
  Channel *channel;

  if (id == NULL || g_hash_table_contains (self->channels, id))
    return;

  if (args != NULL && JSON_NODE_HOLDS_ARRAY (args))
    {
      JsonArray *array = json_node_get_array (args);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *arg = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (arg) && json_node_get_value_type (arg) == G_TYPE_STRING &&
              g_str_equal (json_node_get_string (arg), "outbound"))
            outbound = TRUE;
        }
    }

  channel = g_new0 (Channel, 1);
  channel->id = g_strdup (id);
  channel->state = CHAN_RINGING;
  g_hash_table_insert (self->channels, channel->id, channel);

  event = sm_call_event_new (SM_CALL_EVENT_RINGING, id, sm_now_ms ());
  sm_call_event_set_direction (event, outbound ? SM_CALL_DIRECTION_OUTBOUND
                                               : SM_CALL_DIRECTION_INBOUND);
  if (outbound)
    caller = member_object (chan, "connected") ?: caller;
  event->number = g_strdup (member_string (caller, "number"));
  name = member_string (caller, "name");
  event->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  if (event->number != NULL && *event->number == '\0')
    g_clear_pointer (&event->number, g_free);
  sm_cti_source_emit_event (SM_CTI_SOURCE (self), event);

  if (g_strcmp0 (member_string (chan, "state"), "Up") == 0)
    channel_up (self, channel);
}

/**
 * sm_cti_ari_handle_message:
 *
 * Handles one WebSocket message. A malformed one is logged and skipped.
 */
void
sm_cti_ari_handle_message (SmCtiAri   *self,
                           const char *json,
                           gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *message;
  JsonObject *chan;
  const char *type;
  const char *id;
  Channel *channel;

  g_return_if_fail (SM_IS_CTI_ARI (self));

  if (!sm_json_is_single_object (json, len) ||
      !json_parser_load_from_data (parser, json, len, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_message ("Skipped an ARI message that is not a JSON object%s%s",
                 error ? ": " : "", error ? error->message : "");
      return;
    }

  message = json_node_get_object (json_parser_get_root (parser));
  type = member_string (message, "type");
  chan = member_object (message, "channel");
  id = member_string (chan, "id");
  if (type == NULL)
    {
      g_message ("Skipped an ARI message without a type");
      return;
    }

  if (g_str_equal (type, "StasisStart"))
    {
      stasis_start (self, message, chan);
      return;
    }

  if (id == NULL || (channel = g_hash_table_lookup (self->channels, id)) == NULL)
    return;

  if (g_str_equal (type, "ChannelStateChange"))
    {
      if (g_strcmp0 (member_string (chan, "state"), "Up") == 0)
        channel_up (self, channel);
    }
  else if (g_str_equal (type, "ChannelHold"))
    {
      if (channel->state == CHAN_UP)
        {
          channel->state = CHAN_HELD;
          emit_simple (self, SM_CALL_EVENT_HELD, id, NULL);
        }
    }
  else if (g_str_equal (type, "ChannelUnhold"))
    {
      if (channel->state == CHAN_HELD)
        {
          channel->state = CHAN_UP;
          emit_simple (self, SM_CALL_EVENT_RESUMED, id, NULL);
        }
    }
  else if (g_str_equal (type, "ChannelDtmfReceived"))
    {
      const char *digit = member_string (message, "digit");
      g_autoptr(SmCallEvent) event = NULL;

      if (digit == NULL || *digit == '\0')
        return;
      event = sm_call_event_new (SM_CALL_EVENT_DTMF, id, sm_now_ms ());
      event->digit = g_strdup (digit);
      sm_cti_source_emit_event (SM_CTI_SOURCE (self), event);
    }
  else if (g_str_equal (type, "ChannelVarset"))
    {
      const char *variable = member_string (message, "variable");
      const char *value = member_string (message, "value");

      if (g_strcmp0 (variable, "TRANSCRIPT") == 0 || g_strcmp0 (variable, "TRANSCRIPT_CUSTOMER") == 0)
        emit_transcript (self, id, "customer", value);
      else if (g_strcmp0 (variable, "TRANSCRIPT_AGENT") == 0)
        emit_transcript (self, id, "agent", value);
    }
  else if (g_str_equal (type, "ChannelUserevent"))
    {
      JsonObject *user = member_object (message, "userevent");

      if (g_strcmp0 (member_string (message, "eventname"), "Transcript") == 0)
        emit_transcript (self, id, member_string (user, "speaker"), member_string (user, "text"));
    }
  else if (g_str_equal (type, "ChannelDestroyed"))
    channel_end (self, id, member_string (message, "cause_txt"));
  else if (g_str_equal (type, "StasisEnd"))
    channel_end (self, id, "left the application");
}

/* REST */

static SoupMessage *
rest_message (SmCtiAri   *self,
              const char *method,
              const char *path)
{
  g_autofree char *uri = g_strconcat (self->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  if (msg == NULL)
    return NULL;
  if (self->authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  self->authorization);
  return msg;
}

typedef struct
{
  SmCtiCommand  command;
  char         *call_id;
} RestData;

static void
rest_data_free (RestData *data)
{
  g_free (data->call_id);
  g_free (data);
}

static void
rest_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SmCtiAri *self = g_task_get_source_object (task);
  RestData *data = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  guint status;
  Channel *channel;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      g_task_return_new_error (task, SM_CTI_ERROR, SM_CTI_ERROR_DISCONNECTED,
                               _("The PBX cannot be reached: %s"), error->message);
      return;
    }

  status = soup_message_get_status (msg);
  if (status < 200 || status >= 300)
    {
      g_task_return_new_error (task, SM_CTI_ERROR,
                               status == 404 ? SM_CTI_ERROR_NO_CALL : SM_CTI_ERROR_FAILED,
                               _("The PBX refused the command (HTTP %u %s)"),
                               status, soup_message_get_reason_phrase (msg) ?: "");
      return;
    }

  /* ARI's own hold sends no ChannelHold to the application */
  channel = data->call_id != NULL ? g_hash_table_lookup (self->channels, data->call_id) : NULL;
  if (channel != NULL && data->command == SM_CTI_COMMAND_HOLD && channel->state == CHAN_UP)
    {
      channel->state = CHAN_HELD;
      emit_simple (self, SM_CALL_EVENT_HELD, channel->id, NULL);
    }
  else if (channel != NULL && data->command == SM_CTI_COMMAND_RESUME && channel->state == CHAN_HELD)
    {
      channel->state = CHAN_UP;
      emit_simple (self, SM_CALL_EVENT_RESUMED, channel->id, NULL);
    }

  g_task_return_boolean (task, TRUE);
}

static void
sm_cti_ari_command_async (SmCtiSource         *source,
                          SmCtiCommand         command,
                          const char          *call_id,
                          const char          *argument,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  SmCtiAri *self = SM_CTI_ARI (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *chan = call_id != NULL ? g_uri_escape_string (call_id, NULL, FALSE) : NULL;
  g_autofree char *arg = argument != NULL ? g_uri_escape_string (argument, NULL, FALSE) : NULL;
  g_autofree char *path = NULL;
  const char *method = "POST";
  RestData *data;

  g_task_set_source_tag (task, sm_cti_ari_command_async);

  if (command != SM_CTI_COMMAND_DIAL && chan == NULL)
    {
      g_task_return_new_error (task, SM_CTI_ERROR, SM_CTI_ERROR_NO_CALL, _("There is no such call"));
      return;
    }
  if ((command == SM_CTI_COMMAND_DIAL || command == SM_CTI_COMMAND_TRANSFER ||
       command == SM_CTI_COMMAND_DTMF) && (arg == NULL || *arg == '\0'))
    {
      g_task_return_new_error (task, SM_CTI_ERROR, SM_CTI_ERROR_FAILED, _("A number is needed"));
      return;
    }

  switch (command)
    {
    case SM_CTI_COMMAND_ANSWER:
      path = g_strdup_printf ("/ari/channels/%s/answer", chan);
      break;
    case SM_CTI_COMMAND_HOLD:
      path = g_strdup_printf ("/ari/channels/%s/hold", chan);
      break;
    case SM_CTI_COMMAND_RESUME:
      method = "DELETE";
      path = g_strdup_printf ("/ari/channels/%s/hold", chan);
      break;
    case SM_CTI_COMMAND_MUTE:
      path = g_strdup_printf ("/ari/channels/%s/mute?direction=in", chan);
      break;
    case SM_CTI_COMMAND_UNMUTE:
      method = "DELETE";
      path = g_strdup_printf ("/ari/channels/%s/mute?direction=in", chan);
      break;
    case SM_CTI_COMMAND_DTMF:
      path = g_strdup_printf ("/ari/channels/%s/dtmf?dtmf=%s", chan, arg);
      break;
    case SM_CTI_COMMAND_HANGUP:
      method = "DELETE";
      path = g_strdup_printf ("/ari/channels/%s", chan);
      break;
    case SM_CTI_COMMAND_TRANSFER:
      path = g_strdup_printf ("/ari/channels/%s/redirect?endpoint=%s%s", chan,
                              strchr (argument, '/') ? "" : "PJSIP%2F", arg);
      break;
    case SM_CTI_COMMAND_DIAL:
      {
        g_autofree char *app = g_uri_escape_string (self->application, NULL, FALSE);

        path = g_strdup_printf ("/ari/channels?endpoint=%s%s&app=%s&appArgs=outbound",
                                strchr (argument, '/') ? "" : "PJSIP%2F", arg, app);
      }
      break;
    default:
      g_task_return_new_error (task, SM_CTI_ERROR, SM_CTI_ERROR_NOT_SUPPORTED,
                               _("The PBX cannot do that"));
      return;
    }

  msg = rest_message (self, method, path);
  if (msg == NULL)
    {
      g_task_return_new_error (task, SM_CTI_ERROR, SM_CTI_ERROR_FAILED, _("Bad ARI address"));
      return;
    }

  data = g_new0 (RestData, 1);
  data->command = command;
  data->call_id = g_strdup (call_id);
  g_task_set_task_data (task, data, (GDestroyNotify)rest_data_free);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    rest_cb, g_steal_pointer (&task));
}

/* Resynchronising after a (re)connection */

typedef struct
{
  SmCtiAri   *self;
  GHashTable *known;   /* the channels we knew when we asked */
} ResyncData;

static void
channels_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ResyncData *resync = user_data;
  g_autoptr(SmCtiAri) self = resync->self;
  g_autoptr(GHashTable) known = resync->known;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  JsonArray *array;
  gsize size;
  const char *data;

  g_free (resync);
  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  if (body == NULL)
    return;

  data = g_bytes_get_data (body, &size);
  if (data == NULL || size == 0 ||
      !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (
        soup_session_get_async_result_message (SOUP_SESSION (object), result))) ||
      !json_parser_load_from_data (parser, data, size, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return;

  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *chan = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = member_string (chan, "id");
      Channel *channel = id != NULL ? g_hash_table_lookup (self->channels, id) : NULL;

      if (channel == NULL)
        continue;
      g_hash_table_add (present, channel->id);
      if (g_strcmp0 (member_string (chan, "state"), "Up") == 0)
        channel_up (self, channel);
    }

  /* A channel that started after we asked is not in the answer: keep it */
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key) && g_hash_table_contains (known, key))
      g_ptr_array_add (gone, g_strdup (key));

  for (guint i = 0; i < gone->len; i++)
    channel_end (self, g_ptr_array_index (gone, i), "lost while the PBX was disconnected");
}

/* WebSocket */

static void
message_cb (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            SmCtiAri                *self)
{
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_message ("Skipped a binary ARI frame");
      return;
    }

  sm_cti_ari_handle_message (self, data, size);
}

static void
closed_cb (SoupWebsocketConnection *ws,
           SmCtiAri                *self)
{
  g_signal_handlers_disconnect_by_data (ws, self);
  g_clear_object (&self->websocket);
  if (self->connected)
    {
      self->connected = FALSE;
      sm_cti_source_emit_connected (SM_CTI_SOURCE (self), FALSE, _("The PBX connection was lost"));
    }
  sm_backoff_schedule (&self->backoff);
}

static void
websocket_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SmCtiAri) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  g_clear_object (&self->cancellable);
  if (ws == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Cannot reach ARI at %s: %s", self->url, error->message);
      sm_backoff_schedule (&self->backoff);
      return;
    }

  self->websocket = ws;
  self->connected = TRUE;
  self->n_connects++;
  sm_backoff_reset (&self->backoff);
  soup_websocket_connection_set_keepalive_interval (ws, 15);
  g_signal_connect (ws, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (ws, "closed", G_CALLBACK (closed_cb), self);
  sm_cti_source_emit_connected (SM_CTI_SOURCE (self), TRUE, NULL);

  /* Events are not buffered while we were away */
  msg = rest_message (self, "GET", "/ari/channels");
  if (msg != NULL)
    {
      ResyncData *resync = g_new0 (ResyncData, 1);
      GHashTableIter iter;
      gpointer key;

      resync->self = g_object_ref (self);
      resync->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_iter_init (&iter, self->channels);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (resync->known, g_strdup (key));
      soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        channels_cb, resync);
    }
}

static void
connect_now (SmCtiAri *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *app = NULL;
  g_autofree char *path = NULL;

  if (self->websocket != NULL || self->cancellable != NULL)
    return;

  app = g_uri_escape_string (self->application, NULL, FALSE);
  path = g_strdup_printf ("/ari/events?app=%s", app);
  msg = rest_message (self, "GET", path);
  self->cancellable = g_cancellable_new ();
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, websocket_cb, g_object_ref (self));
}

static void
reconnect_cb (gpointer user_data)
{
  connect_now (user_data);
}

/* SmCtiSource */

static void
sm_cti_ari_start (SmCtiSource *source)
{
  SmCtiAri *self = SM_CTI_ARI (source);

  if (sm_backoff_start (&self->backoff))
    connect_now (self);
}

static void
sm_cti_ari_stop (SmCtiSource *source)
{
  SmCtiAri *self = SM_CTI_ARI (source);

  sm_backoff_stop (&self->backoff);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->websocket != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->websocket, self);
      if (soup_websocket_connection_get_state (self->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->websocket, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->websocket);
    }
  if (self->connected)
    {
      self->connected = FALSE;
      sm_cti_source_emit_connected (source, FALSE, _("Stopped"));
    }
}

static gboolean
sm_cti_ari_get_connected (SmCtiSource *source)
{
  return SM_CTI_ARI (source)->connected;
}

static void
sm_cti_ari_iface_init (SmCtiSourceInterface *iface)
{
  iface->start = sm_cti_ari_start;
  iface->stop = sm_cti_ari_stop;
  iface->get_connected = sm_cti_ari_get_connected;
  iface->command_async = sm_cti_ari_command_async;
}

/* GObject */

static void
sm_cti_ari_dispose (GObject *object)
{
  SmCtiAri *self = (SmCtiAri *)object;

  sm_cti_ari_stop (SM_CTI_SOURCE (self));
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sm_cti_ari_parent_class)->dispose (object);
}

static void
sm_cti_ari_finalize (GObject *object)
{
  SmCtiAri *self = (SmCtiAri *)object;

  g_clear_pointer (&self->channels, g_hash_table_unref);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->application, g_free);
  g_clear_pointer (&self->authorization, g_free);

  G_OBJECT_CLASS (sm_cti_ari_parent_class)->finalize (object);
}

static void
sm_cti_ari_class_init (SmCtiAriClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_cti_ari_dispose;
  object_class->finalize = sm_cti_ari_finalize;
}

static void
sm_cti_ari_init (SmCtiAri *self)
{
  self->session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 10, NULL);
  self->channels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, channel_free);
  sm_backoff_init (&self->backoff, reconnect_cb, self);
}

/**
 * sm_cti_ari_new:
 * @url: the ARI base, such as "http://127.0.0.1:8088"
 * @application: the Stasis application name
 * @user: (nullable): the ARI user
 * @password: (nullable): its password
 *
 * Returns: (transfer full) (nullable): the source, not yet started
 */
SmCtiAri *
sm_cti_ari_new (const char  *url,
                const char  *application,
                const char  *user,
                const char  *password,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  SmCtiAri *self;
  const char *scheme;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, SM_CTI_ERROR, SM_CTI_ERROR_REFUSED,
                   _("“%s” is not an http:// or https:// address"), url);
      return NULL;
    }
  if (application == NULL || *application == '\0')
    {
      g_set_error_literal (error, SM_CTI_ERROR, SM_CTI_ERROR_REFUSED,
                           _("An ARI application name is needed"));
      return NULL;
    }

  self = g_object_new (SM_TYPE_CTI_ARI, NULL);
  self->url = g_strdup (url);
  while (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  self->application = g_strdup (application);
  if (user != NULL && *user != '\0')
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", user, password ? password : "");
      g_autofree char *encoded = g_base64_encode ((const guchar *)pair, strlen (pair));

      self->authorization = g_strdup_printf ("Basic %s", encoded);
    }

  return self;
}

void
sm_cti_ari_set_backoff (SmCtiAri *self,
                        guint     initial_ms,
                        guint     max_ms)
{
  g_return_if_fail (SM_IS_CTI_ARI (self));
  g_return_if_fail (initial_ms > 0 && max_ms >= initial_ms);

  sm_backoff_set (&self->backoff, initial_ms, max_ms);
}

guint
sm_cti_ari_get_n_connects (SmCtiAri *self)
{
  g_return_val_if_fail (SM_IS_CTI_ARI (self), 0);
  return self->n_connects;
}
